/* SPDX-License-Identifier: MIT */
/* test_utc_offset.c - the learner's UTC offset stored in the collection (schema 7): what
 * alliance_set_utc_offset keeps, what alliance_utc_offset_get says, that the open option
 * overrides for its handle only, that a read-only handle changes only itself, that the setting
 * is this device's (never synced), and that files of versions 1-4 upgrade with none stored. */
#include "sync_fixture.h"

#include <stdio.h>

static alliance_db *open_path(const char *path, int32_t offset, uint32_t flags)
{
    alliance_open_options o;
    alliance_open_options_init(&o, ALLIANCE_OPEN_OPTIONS_VERSION);
    o.utc_offset_seconds = offset;
    if (flags)
        o.flags = flags;
    alliance_db *db = NULL;
    int rc = alliance_open(&db, path, &o);
    ck_assert_msg(rc == ALLIANCE_OK, "open %s: %s", path, alliance_errmsg(db));
    return db;
}

static int32_t offset_of(alliance_db *db)
{
    int32_t v = 12345;
    ck_assert_int_eq(alliance_utc_offset_get(db, &v), ALLIANCE_OK);
    return v;
}

static int32_t stored_in(const char *path)
{
    alliance_db *db = open_path(path, ALLIANCE_UTC_OFFSET_LOCAL, 0);
    int32_t v = offset_of(db);
    alliance_close(db);
    return v;
}

START_TEST(set_is_kept_in_the_file_and_used_for_days)
{
    const char *path = alliance_test_path("kept.db");
    alliance_db *db = open_path(path, ALLIANCE_UTC_OFFSET_LOCAL, 0);
    ck_assert_int_eq(offset_of(db), ALLIANCE_UTC_OFFSET_LOCAL); /* none stored: the process zone */
    ck_assert_int_eq(alliance_set_utc_offset(db, -36000), ALLIANCE_OK);
    ck_assert_int_eq(offset_of(db), -36000);
    alliance_close(db);

    db = open_path(path, ALLIANCE_UTC_OFFSET_LOCAL, 0);
    ck_assert_int_eq(offset_of(db), -36000);
    /* 2026-01-05 12:00 UTC is 02:00 at -10:00, before the 4:00 rollover: still January 4th */
    int64_t today = 0, expected = 0;
    ck_assert_int_eq(alliance_today(db, ALLIANCE_TEST_NOW, &today), ALLIANCE_OK);
    ck_assert_int_eq(alliance_day_number(&expected, ALLIANCE_TEST_NOW, -36000, 4), ALLIANCE_OK);
    ck_assert_int_eq(today, expected);
    ck_assert_int_eq(today, ALLIANCE_TEST_NOW / ALLIANCE_TEST_DAY - 1);
    /* LOCAL stores "none" again */
    ck_assert_int_eq(alliance_set_utc_offset(db, ALLIANCE_UTC_OFFSET_LOCAL), ALLIANCE_OK);
    alliance_close(db);
    ck_assert_int_eq(stored_in(path), ALLIANCE_UTC_OFFSET_LOCAL);
}
END_TEST

START_TEST(the_open_option_is_for_its_handle_only)
{
    const char *path = alliance_test_path("option.db");
    alliance_db *db = open_path(path, 3600, 0);
    ck_assert_int_eq(offset_of(db), 3600);
    alliance_close(db);
    ck_assert_int_eq(stored_in(path), ALLIANCE_UTC_OFFSET_LOCAL); /* an option is never stored */

    db = open_path(path, 3600, 0);
    ck_assert_int_eq(alliance_set_utc_offset(db, 7200), ALLIANCE_OK);
    alliance_close(db);
    db = open_path(path, -18000, 0); /* an app that passes its offset every time gets it */
    ck_assert_int_eq(offset_of(db), -18000);
    alliance_close(db);
    ck_assert_int_eq(stored_in(path), 7200);
}
END_TEST

START_TEST(refusals_and_read_only_handles_store_nothing)
{
    const char *path = alliance_test_path("refused.db");
    alliance_db *db = open_path(path, ALLIANCE_UTC_OFFSET_LOCAL, 0);
    ck_assert_int_eq(alliance_set_utc_offset(db, 3600), ALLIANCE_OK);
    ck_assert_int_eq(alliance_set_utc_offset(db, 50401), ALLIANCE_EINVAL);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "50401"));
    ck_assert_int_eq(offset_of(db), 3600);
    ck_assert_int_eq(alliance_utc_offset_get(db, NULL), ALLIANCE_EINVAL);
    alliance_close(db);

    db = open_path(path, ALLIANCE_UTC_OFFSET_LOCAL, ALLIANCE_OPEN_READONLY);
    ck_assert_int_eq(offset_of(db), 3600);
    ck_assert_int_eq(alliance_set_utc_offset(db, -3600), ALLIANCE_OK); /* as before schema 7 */
    ck_assert_int_eq(offset_of(db), -3600);
    alliance_close(db);
    ck_assert_int_eq(stored_in(path), 3600);
}
END_TEST

START_TEST(each_device_keeps_its_own_offset)
{
    alliance_db *a = open_path(":memory:", ALLIANCE_UTC_OFFSET_LOCAL, 0);
    ck_assert_int_eq(alliance_set_utc_offset(a, 3600), ALLIANCE_OK);
    alliance_db *b = sync_clone_of(a, alliance_test_path("clone.db"));
    ck_assert_int_eq(alliance_set_utc_offset(b, -28800), ALLIANCE_OK);
    sync_both(a, b);
    sync_both(b, a);
    ck_assert_int_eq(offset_of(a), 3600);
    ck_assert_int_eq(offset_of(b), -28800);
    alliance_close(a);
    alliance_close(b);
    ck_assert_int_eq(stored_in(alliance_test_path("clone.db")), -28800);
}
END_TEST

/* A file of an earlier version upgrades with no offset stored, then keeps one. */
static void upgrade(const char *fixture, const char *name)
{
    size_t len = 0;
    char *bytes = alliance_test_read_file(fixture, &len);
    ck_assert_ptr_nonnull(bytes);
    const char *path = alliance_test_path(name);
    FILE *f = fopen(path, "wb");
    ck_assert_uint_eq(fwrite(bytes, 1, len, f), len);
    fclose(f);
    free(bytes);
    alliance_db *db = open_path(path, ALLIANCE_UTC_OFFSET_LOCAL, 0);
    ck_assert_int_eq(offset_of(db), ALLIANCE_UTC_OFFSET_LOCAL);
    uint64_t bad = 1;
    ck_assert_int_eq(alliance_verify(db, &bad), ALLIANCE_OK);
    ck_assert_uint_eq(bad, 0);
    ck_assert_int_eq(alliance_set_utc_offset(db, 19800), ALLIANCE_OK);
    alliance_close(db);
    ck_assert_int_eq(stored_in(path), 19800);
}

START_TEST(files_of_versions_1_to_6_upgrade_with_none_stored)
{
    upgrade(ALLIANCE_TEST_DATA "/v1/collection.db", "v1.db");
    upgrade(ALLIANCE_TEST_DATA "/v2/collection.db", "v2.db");
    upgrade(ALLIANCE_TEST_DATA "/v3/collection.db", "v3.db");
    upgrade(ALLIANCE_TEST_DATA "/v4/collection.db", "v4.db");
    upgrade(ALLIANCE_TEST_DATA "/v5/collection.db", "v5.db");
    upgrade(ALLIANCE_TEST_DATA "/v6/collection.db", "v6.db");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("utc_offset");
    TCase *t = tcase_create("stored");
    tcase_add_test(t, set_is_kept_in_the_file_and_used_for_days);
    tcase_add_test(t, the_open_option_is_for_its_handle_only);
    tcase_add_test(t, refusals_and_read_only_handles_store_nothing);
    tcase_add_test(t, each_device_keeps_its_own_offset);
    tcase_add_test(t, files_of_versions_1_to_6_upgrade_with_none_stored);
    suite_add_tcase(s, t);
    return alliance_test_run(s);
}
