/* version.h - the program version: part of what a run is a function of.
 *
 * The text is compiled into cli/version.c by the Makefile from
 * 'git describe --always --dirty' (tools/version.sh), so that the runs
 * table tells builds apart: "0.1.0-g6dcdbb9" for a commit, with "-dirty"
 * for uncommitted changes, a tag's own name ("0.2.0") when one is checked
 * out; outside a checkout the VERSION file, else "0.1.0".
 * PORTSIM_VERSION stays an expression of type 'const char *' (not a
 * literal: it cannot be pasted into another string).
 */
#ifndef PORTSIM_CLI_VERSION_H
#define PORTSIM_CLI_VERSION_H

/* The version text; static, never NULL. */
const char *version_string(void);

#define PORTSIM_VERSION (version_string())

#endif /* PORTSIM_CLI_VERSION_H */
