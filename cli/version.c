/* version.c - the version text, given by the Makefile (see version.h).
 *
 * Only this file is recompiled when the version changes: the Makefile
 * passes -DPORTSIM_VERSION_TEXT and makes the object depend on a stamp file
 * rewritten only when the text differs.
 */
#include "cli/version.h"

#ifndef PORTSIM_VERSION_TEXT
#define PORTSIM_VERSION_TEXT "0.1.0"
#endif

const char *version_string(void)
{
    return PORTSIM_VERSION_TEXT;
}
