/* SPDX-License-Identifier: MIT */
/* errors: result codes are stable and each has its own static text; versions agree. */
#include "testutil.h"

#include "store/handle.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const int all_codes[] = {
    ALLIANCE_OK, ALLIANCE_DONE, ALLIANCE_EINVAL, ALLIANCE_ENOMEM, ALLIANCE_EVERSION,
    ALLIANCE_EGRADE, ALLIANCE_ESTATE, ALLIANCE_ENOTFOUND, ALLIANCE_ENOTDUE, ALLIANCE_EEXISTS,
    ALLIANCE_ENOUNDO, ALLIANCE_EPARSE, ALLIANCE_ELIMIT, ALLIANCE_EIO, ALLIANCE_EFULL,
    ALLIANCE_EREADONLY, ALLIANCE_EBUSY, ALLIANCE_ECORRUPT, ALLIANCE_ENOTCOLLECTION,
    ALLIANCE_ENEWER, ALLIANCE_EMISUSE, ALLIANCE_EDB,
};
#define NCODES (sizeof all_codes / sizeof all_codes[0])

START_TEST(codes_are_pinned)
{
    /* These numbers are ABI: a program compiled today must read the same codes forever. */
    ck_assert_int_eq(ALLIANCE_OK, 0);
    ck_assert_int_eq(ALLIANCE_DONE, 1);
    ck_assert_int_eq(ALLIANCE_EINVAL, -1);
    ck_assert_int_eq(ALLIANCE_ENOMEM, -2);
    ck_assert_int_eq(ALLIANCE_EGRADE, -4);
    ck_assert_int_eq(ALLIANCE_EPARSE, -10);
    ck_assert_int_eq(ALLIANCE_ENEWER, -18);
    ck_assert_int_eq(ALLIANCE_EDB, -20);
}
END_TEST

START_TEST(every_code_has_its_own_text)
{
    for (size_t i = 0; i < NCODES; i++) {
        const char *text = alliance_strerror(all_codes[i]);
        ck_assert_ptr_nonnull(text);
        ck_assert_str_ne(text, "unknown error code");
        for (size_t j = 0; j < i; j++)
            ck_assert_msg(strcmp(text, alliance_strerror(all_codes[j])) != 0,
                          "codes %d and %d share the text '%s'", all_codes[i], all_codes[j], text);
    }
}
END_TEST

START_TEST(unknown_codes_have_a_text_too)
{
    ck_assert_str_eq(alliance_strerror(-9999), "unknown error code");
    ck_assert_str_eq(alliance_strerror(42), "unknown error code");
}
END_TEST

START_TEST(runtime_version_matches_the_header)
{
    ck_assert_int_eq(alliance_version_number(), ALLIANCE_VERSION_NUMBER);
    ck_assert_str_eq(alliance_version_string(), ALLIANCE_VERSION_STRING);
    ck_assert_int_eq(ALLIANCE_VERSION_NUMBER,
                     ALLIANCE_VERSION_MAJOR * 1000000 + ALLIANCE_VERSION_MINOR * 1000 + ALLIANCE_VERSION_PATCH);
}
END_TEST

START_TEST(free_accepts_null)
{
    alliance_free(NULL);
}
END_TEST

/* A failure SQLite reports about the file says which file, and (for the file system's
 * failures) the OS's reason: a real full disk is SQLITE_FULL with no OS error kept. */
START_TEST(sqlite_failures_name_the_file_and_the_cause)
{
    const char *path = alliance_test_path("named.alliance");
    alliance_db *db = NULL;
    ck_assert_int_eq(alliance_open(&db, path, NULL), ALLIANCE_OK);
    static const struct {
        int sqlite_rc, os_errno, want;
        const char *cause;
    } cases[] = {
        {SQLITE_FULL, 0, ALLIANCE_EFULL, "full"},
        {SQLITE_IOERR_WRITE, ENOSPC, ALLIANCE_EFULL, "full"},
        {SQLITE_IOERR_READ, EIO, ALLIANCE_EIO, "Input/output error"},
        {SQLITE_CORRUPT, 0, ALLIANCE_ECORRUPT, "damaged"},
        {SQLITE_READONLY, 0, ALLIANCE_EREADONLY, "cannot be written"},
        {SQLITE_CONSTRAINT_CHECK, 0, ALLIANCE_ECORRUPT, "damaged"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ck_assert_int_eq(alliance__db_enter(db), ALLIANCE_OK);
        errno = cases[i].os_errno;
        int rc = alliance__db_sqlite_error(db, cases[i].sqlite_rc, "committing");
        char message[ALLIANCE__ERRMSG_MAX];
        snprintf(message, sizeof message, "%s", alliance__db_error(db)->message);
        alliance__db_leave(db, rc);
        ck_assert_msg(rc == cases[i].want, "SQLite code %d: %d, want %d", cases[i].sqlite_rc, rc, cases[i].want);
        ck_assert_msg(strstr(message, path) && strstr(message, cases[i].cause) && strstr(message, "committing"),
                      "SQLite code %d: the message does not say what, where and why: %s", cases[i].sqlite_rc, message);
    }
    alliance_close(db);
}
END_TEST

static Suite *errors_suite(void)
{
    Suite *s = suite_create("errors");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, codes_are_pinned);
    tcase_add_test(tc, every_code_has_its_own_text);
    tcase_add_test(tc, unknown_codes_have_a_text_too);
    tcase_add_test(tc, runtime_version_matches_the_header);
    tcase_add_test(tc, free_accepts_null);
    tcase_add_test(tc, sqlite_failures_name_the_file_and_the_cause);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return alliance_test_run(errors_suite());
}
