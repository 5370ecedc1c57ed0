/* theory_text.h - the human output of 'portsim theory': the closed form's
 * figures (models/theory.h) in the words of the scenario's profile
 * ("3,976 ports (1025-5000) / 240 s TIME_WAIT = 16.57 connections/s
 * sustainable"), then the notes.
 *
 * Invariant: computes nothing; what it prints is a function of the scenario
 * and its struct theory.  Cost: O(length of the text).
 */
#ifndef PORTSIM_CLI_THEORY_TEXT_H
#define PORTSIM_CLI_THEORY_TEXT_H

#include <stdio.h>

#include "models/params.h"
#include "models/theory.h"

/* Print the figures of 't' (computed from 'p') to 'f'. */
void theory_text_print(FILE *f, const struct scenario_params *p, const struct theory *t);

#endif /* PORTSIM_CLI_THEORY_TEXT_H */
