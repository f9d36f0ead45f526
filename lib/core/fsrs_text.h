/* SPDX-License-Identifier: MIT */
/*
 * fsrs_text.h - FSRS parameters as the text the collection stores and sync
 * carries (config.fsrs_params): "" for the published defaults, otherwise the 21
 * weights and the desired retention as the 16 hex digits of their IEEE-754 bits
 * and the maximum interval in decimal, separated by single spaces. Bits, not
 * decimals: every copy of a collection gets exactly the same doubles. Pure.
 */
#ifndef ALLIANCE_FSRS_TEXT_H
#define ALLIANCE_FSRS_TEXT_H

#include "core/internal.h"

#define ALLIANCE__FSRS_TEXT_MAX (22 * 17 + 11) /* with the NUL */

/* Writes the text of *params (checked by the caller) into buf. */
void alliance__fsrs_params_encode(const alliance_fsrs_params *params, char buf[ALLIANCE__FSRS_TEXT_MAX]);

/* The same, but "" for parameters bit for bit equal to the published defaults: one text per
 * set of values, as a review row's record of its parameters keys them (schema 5). */
void alliance__fsrs_params_canonical(const alliance_fsrs_params *params, char buf[ALLIANCE__FSRS_TEXT_MAX]);

/* Parses len bytes of text: 0 and *out, or ALLIANCE_EINVAL for anything that is not
 * exactly such a text of parameters alliance_fsrs_params_check accepts. */
int alliance__fsrs_params_decode(const char *text, size_t len, alliance_fsrs_params *out);

#endif /* ALLIANCE_FSRS_TEXT_H */
