/* SPDX-License-Identifier: MIT */
/*
 * fsrs_check.h - what is wrong with a set of FSRS parameters, in words: the
 * member and the range it must be in, for the error message of a call that
 * refuses them (alliance_fsrs_params_check itself returns only a code). Pure.
 */
#ifndef ALLIANCE_FSRS_CHECK_H
#define ALLIANCE_FSRS_CHECK_H

#include "core/internal.h"

/* ALLIANCE_OK when alliance_fsrs_params_check accepts *params; otherwise its code,
 * with buf (size n) saying which member is out of which range. */
int alliance__fsrs_params_problem(const alliance_fsrs_params *params, char *buf, size_t n);

#endif /* ALLIANCE_FSRS_CHECK_H */
