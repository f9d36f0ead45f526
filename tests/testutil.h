/* SPDX-License-Identifier: MIT */
/* testutil.h - what the Check suites share. */
#ifndef ALLIANCE_TESTUTIL_H
#define ALLIANCE_TESTUTIL_H

#include <alliance.h>
#include <check.h>
#include <stdint.h>

/* Runs one suite (no fork by default: sanitizer reports stay in the output);
 * returns the process exit status. */
int alliance_test_run(Suite *suite);

/* A new empty directory under $TMPDIR (or /tmp), removed at exit. Never NULL. */
const char *alliance_test_tmpdir(void);

/* A path inside alliance_test_tmpdir(): "<tmpdir>/<name>", in static storage
 * rotated over 8 slots. */
const char *alliance_test_path(const char *name);

/* 2026-01-05 12:00:00 UTC, a Monday: the default fake "now" of the suites. */
#define ALLIANCE_TEST_NOW INT64_C(1767614400)
#define ALLIANCE_TEST_DAY INT64_C(86400)

/* Reads a whole file into a new buffer (free()); NULL on failure. */
char *alliance_test_read_file(const char *path, size_t *out_len);

#endif
