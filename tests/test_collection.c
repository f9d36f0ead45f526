/* SPDX-License-Identifier: MIT */
/* collection: opening, creating, recognising and refusing files; settings; reopening;
 * waiting for a busy collection. */
#include "collection_fixture.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- helpers: look at a file with SQLite directly ---- */

static int64_t sqlite_int(const char *path, const char *sql)
{
    sqlite3 *raw = NULL;
    ck_assert_int_eq(sqlite3_open_v2(path, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *stmt = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(raw, sql, -1, &stmt, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
    int64_t value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(raw);
    return value;
}

static void sqlite_exec(const char *path, const char *sql)
{
    sqlite3 *raw = NULL;
    ck_assert_int_eq(sqlite3_open(path, &raw), SQLITE_OK);
    char *error = NULL;
    int rc = sqlite3_exec(raw, sql, NULL, NULL, &error);
    ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, error ? error : "?");
    sqlite3_close(raw);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

/* Opening `path` fails with `expected`, and the file's bytes stay exactly the same. */
static void check_refused_untouched(const char *path, int expected, const char *message_part)
{
    size_t before_len = 0, after_len = 0;
    char *before = alliance_test_read_file(path, &before_len);
    ck_assert_ptr_nonnull(before);
    alliance_db *db = NULL;
    int rc = alliance_open(&db, path, NULL);
    ck_assert_int_eq(rc, expected);
    ck_assert_ptr_nonnull(db);
    ck_assert_int_eq(alliance_errcode(db), expected);
    ck_assert_msg(strstr(alliance_errmsg(db), message_part) != NULL, "message: %s", alliance_errmsg(db));
    ck_assert_int_eq(alliance_close(db), ALLIANCE_OK);
    char *after = alliance_test_read_file(path, &after_len);
    ck_assert_ptr_nonnull(after);
    ck_assert_uint_eq(before_len, after_len);
    ck_assert_int_eq(memcmp(before, after, before_len), 0);
    free(before);
    free(after);
}

/* ---- opening ---- */

START_TEST(memory_collection_opens_and_reports_no_error)
{
    alliance_db *db = fixture_open(":memory:");
    ck_assert_str_eq(alliance_errmsg(db), "not an error");
    ck_assert_int_eq(alliance_errcode(db), ALLIANCE_OK);
    ck_assert_int_eq(alliance_close(db), ALLIANCE_OK);
}
END_TEST

START_TEST(close_null_is_a_no_op)
{
    ck_assert_int_eq(alliance_close(NULL), ALLIANCE_OK);
    ck_assert_str_eq(alliance_errmsg(NULL), "out of memory");
}
END_TEST

START_TEST(a_new_file_gets_the_schema_and_wal)
{
    const char *path = alliance_test_path("new.alliance");
    alliance_db *db = fixture_open(path);
    ck_assert_int_eq(alliance_close(db), ALLIANCE_OK);
    ck_assert_int_eq(sqlite_int(path, "PRAGMA application_id"), 0x414C4C59);
    ck_assert_int_eq(sqlite_int(path, "PRAGMA user_version"), 7);
    ck_assert_int_eq(sqlite_int(path, "SELECT count(*) FROM sqlite_master WHERE name IN "
                                      "('config', 'decks', 'cards', 'reviews')"), 4);
    ck_assert_int_eq(sqlite_int(path, "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"), 1);
}
END_TEST

START_TEST(an_empty_file_gets_the_schema)
{
    const char *path = alliance_test_path("empty.alliance");
    write_file(path, "");
    alliance_db *db = fixture_open(path);
    alliance_close(db);
    ck_assert_int_eq(sqlite_int(path, "PRAGMA user_version"), 7);
}
END_TEST

START_TEST(a_missing_file_without_create_is_not_found_and_the_handle_tells_why)
{
    const char *path = alliance_test_path("missing.alliance");
    alliance_open_options options;
    alliance_open_options_init(&options, ALLIANCE_OPEN_OPTIONS_VERSION);
    options.flags = 0;
    alliance_db *db = NULL;
    ck_assert_int_eq(alliance_open(&db, path, &options), ALLIANCE_ENOTFOUND);
    ck_assert_ptr_nonnull(db);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "missing.alliance"));
    /* later calls on the failed handle are misuse, and say why */
    alliance_config config;
    alliance_config_init(&config, ALLIANCE_CONFIG_VERSION);
    ck_assert_int_eq(alliance_config_get(db, &config), ALLIANCE_EMISUSE);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "could not be opened"));
    ck_assert_int_eq(alliance_close(db), ALLIANCE_OK);
    ck_assert_int_ne(access(path, F_OK), 0);
}
END_TEST

START_TEST(a_newer_schema_is_refused_and_left_untouched)
{
    const char *path = alliance_test_path("newer.alliance");
    alliance_close(fixture_open(path));
    sqlite_exec(path, "PRAGMA journal_mode = DELETE; PRAGMA user_version = 99;");
    check_refused_untouched(path, ALLIANCE_ENEWER, "newer liballiance");
}
END_TEST

START_TEST(a_foreign_sqlite_file_is_refused_and_left_untouched)
{
    const char *path = alliance_test_path("foreign.sqlite");
    sqlite_exec(path, "CREATE TABLE shopping (item TEXT); INSERT INTO shopping VALUES ('milk');");
    check_refused_untouched(path, ALLIANCE_ENOTCOLLECTION, "not a liballiance collection");
}
END_TEST

START_TEST(a_text_file_is_refused_and_left_untouched)
{
    const char *path = alliance_test_path("notes.txt");
    write_file(path, "These are my notes, not a database.\nThey are long enough to have a header-sized "
                     "first part that SQLite would read and reject as not a database file at all.\n");
    check_refused_untouched(path, ALLIANCE_ENOTCOLLECTION, "not a SQLite database");
}
END_TEST

START_TEST(bad_open_options_are_refused)
{
    alliance_open_options options;
    alliance_open_options_init(&options, ALLIANCE_OPEN_OPTIONS_VERSION);
    options.version = 99;
    alliance_db *db = NULL;
    ck_assert_int_eq(alliance_open(&db, ":memory:", &options), ALLIANCE_EVERSION);
    alliance_close(db);
    alliance_open_options_init(&options, ALLIANCE_OPEN_OPTIONS_VERSION);
    options.synchronous = 7;
    ck_assert_int_eq(alliance_open(&db, ":memory:", &options), ALLIANCE_EINVAL);
    alliance_close(db);
    alliance_open_options_init(&options, ALLIANCE_OPEN_OPTIONS_VERSION);
    options.utc_offset_seconds = 50401;
    ck_assert_int_eq(alliance_open(&db, ":memory:", &options), ALLIANCE_EINVAL);
    alliance_close(db);
    ck_assert_int_eq(alliance_open(NULL, ":memory:", NULL), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_open(&db, NULL, NULL), ALLIANCE_EINVAL);
    ck_assert_ptr_nonnull(db);
    alliance_close(db);
}
END_TEST

START_TEST(normal_synchronous_is_accepted)
{
    alliance_open_options options;
    alliance_open_options_init(&options, ALLIANCE_OPEN_OPTIONS_VERSION);
    options.synchronous = ALLIANCE_SYNC_NORMAL;
    alliance_db *db = NULL;
    ck_assert_int_eq(alliance_open(&db, alliance_test_path("normal.alliance"), &options), ALLIANCE_OK);
    alliance_close(db);
}
END_TEST

START_TEST(a_read_only_collection_refuses_writes_and_changes_nothing)
{
    const char *path = alliance_test_path("readonly.alliance");
    alliance_db *db = fixture_open(path);
    fixture_add_cards(db, "deck", "c", 2, ALLIANCE_TEST_NOW);
    alliance_close(db);
    alliance_open_options options;
    alliance_open_options_init(&options, ALLIANCE_OPEN_OPTIONS_VERSION);
    options.flags = ALLIANCE_OPEN_READONLY;
    ck_assert_int_eq(alliance_open(&db, path, &options), ALLIANCE_OK);
    alliance_config config;
    alliance_config_init(&config, ALLIANCE_CONFIG_VERSION);
    config.new_per_day = 5;
    ck_assert_int_eq(alliance_config_set(db, &config), ALLIANCE_EREADONLY);
    ck_assert_int_eq(alliance_card_suspend(db, "c1", 1, ALLIANCE_TEST_NOW), ALLIANCE_EREADONLY);
    alliance_config_init(&config, ALLIANCE_CONFIG_VERSION);
    ck_assert_int_eq(alliance_config_get(db, &config), ALLIANCE_OK);
    ck_assert_uint_eq(config.new_per_day, 20);
    alliance_card *card = NULL;
    ck_assert_int_eq(alliance_card_get(db, "c1", &card), ALLIANCE_OK);
    ck_assert_uint_eq(card->suspended, 0);
    alliance_free(card);
    alliance_close(db);
}
END_TEST

/* ---- settings ---- */

START_TEST(settings_have_documented_defaults)
{
    alliance_db *db = fixture_open(":memory:");
    alliance_config config;
    alliance_config_init(&config, ALLIANCE_CONFIG_VERSION);
    config.new_per_day = 0;
    ck_assert_int_eq(alliance_config_get(db, &config), ALLIANCE_OK);
    ck_assert_uint_eq(config.new_per_day, 20);
    ck_assert_uint_eq(config.reviews_per_day, 200);
    ck_assert_uint_eq(config.rollover_hour, 4);
    ck_assert_uint_eq(config.leech_threshold, 8);
    ck_assert_uint_eq(config.leech_suspend, 1);
    alliance_close(db);
}
END_TEST

START_TEST(bad_settings_are_refused_and_nothing_changes)
{
    alliance_db *db = fixture_open(":memory:");
    alliance_config config;
    alliance_config_init(&config, ALLIANCE_CONFIG_VERSION);
    config.rollover_hour = 24;
    config.new_per_day = 3;
    ck_assert_int_eq(alliance_config_set(db, &config), ALLIANCE_EINVAL);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "rollover_hour"));
    alliance_config_init(&config, ALLIANCE_CONFIG_VERSION);
    config.leech_suspend = 2;
    ck_assert_int_eq(alliance_config_set(db, &config), ALLIANCE_EINVAL);
    config.leech_suspend = 1;
    config.version = 2;
    ck_assert_int_eq(alliance_config_set(db, &config), ALLIANCE_EVERSION);
    ck_assert_int_eq(alliance_config_get(db, &config), ALLIANCE_EVERSION);
    ck_assert_int_eq(alliance_config_set(db, NULL), ALLIANCE_EINVAL);
    alliance_config_init(&config, ALLIANCE_CONFIG_VERSION);
    ck_assert_int_eq(alliance_config_get(db, &config), ALLIANCE_OK);
    ck_assert_uint_eq(config.new_per_day, 20);
    ck_assert_uint_eq(config.rollover_hour, 4);
    alliance_close(db);
}
END_TEST

START_TEST(today_uses_the_offset_and_the_stored_rollover_hour)
{
    alliance_db *db = fixture_open(":memory:");
    int64_t day = 0;
    int64_t three_am = 20458 * ALLIANCE_TEST_DAY + 3 * 3600;
    ck_assert_int_eq(alliance_today(db, three_am, &day), ALLIANCE_OK);
    ck_assert_int_eq(day, 20457);
    alliance_config config;
    alliance_config_init(&config, ALLIANCE_CONFIG_VERSION);
    config.rollover_hour = 2;
    ck_assert_int_eq(alliance_config_set(db, &config), ALLIANCE_OK);
    ck_assert_int_eq(alliance_today(db, three_am, &day), ALLIANCE_OK);
    ck_assert_int_eq(day, 20458);
    ck_assert_int_eq(alliance_set_utc_offset(db, -2 * 3600), ALLIANCE_OK); /* 01:00 local */
    ck_assert_int_eq(alliance_today(db, three_am, &day), ALLIANCE_OK);
    ck_assert_int_eq(day, 20457);
    ck_assert_int_eq(alliance_set_utc_offset(db, 99999), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_today(db, INT64_MAX, &day), ALLIANCE_EINVAL);
    ck_assert_int_eq(day, 20457);
    alliance_close(db);
}
END_TEST

START_TEST(reopening_finds_everything)
{
    const char *path = alliance_test_path("reopen.alliance");
    alliance_db *db = fixture_open(path);
    alliance_config config;
    alliance_config_init(&config, ALLIANCE_CONFIG_VERSION);
    config.new_per_day = 7;
    config.leech_threshold = 3;
    ck_assert_int_eq(alliance_config_set(db, &config), ALLIANCE_OK);
    int64_t deck = fixture_add_cards(db, "Biology", "bio", 3, ALLIANCE_TEST_NOW);
    ck_assert_int_eq(alliance_card_suspend(db, "bio2", 1, ALLIANCE_TEST_NOW), ALLIANCE_OK);
    ck_assert_int_eq(alliance_close(db), ALLIANCE_OK);

    db = fixture_open(path);
    alliance_config_init(&config, ALLIANCE_CONFIG_VERSION);
    ck_assert_int_eq(alliance_config_get(db, &config), ALLIANCE_OK);
    ck_assert_uint_eq(config.new_per_day, 7);
    ck_assert_uint_eq(config.leech_threshold, 3);
    int64_t found = 0;
    ck_assert_int_eq(alliance_deck_id(db, "Biology", 0, &found), ALLIANCE_OK);
    ck_assert_int_eq(found, deck);
    alliance_card *card = NULL;
    ck_assert_int_eq(alliance_card_get(db, "bio2", &card), ALLIANCE_OK);
    ck_assert_str_eq(card->front, "question bio2");
    ck_assert_uint_eq(card->suspended, 1);
    alliance_free(card);
    alliance_close(db);
}
END_TEST

/* ---- a second connection holding the write lock ---- */

struct holder {
    sqlite3 *raw;
    int release_after_ms;
};

static void sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

static void *release_later(void *arg)
{
    struct holder *h = arg;
    sleep_ms(h->release_after_ms);
    sqlite3_exec(h->raw, "COMMIT", NULL, NULL, NULL);
    return NULL;
}

static double monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* Another connection takes the write lock and a thread releases it after `hold_ms`. */
static void hold_lock(struct holder *h, pthread_t *thread, const char *path, int hold_ms)
{
    ck_assert_int_eq(sqlite3_open(path, &h->raw), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(h->raw, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    h->release_after_ms = hold_ms;
    ck_assert_int_eq(pthread_create(thread, NULL, release_later, h), 0);
}

START_TEST(a_write_waits_for_a_busy_connection_and_succeeds)
{
    const char *path = alliance_test_path("busy-wait.alliance");
    alliance_db *db = fixture_open(path);
    fixture_add_cards(db, "deck", "c", 1, ALLIANCE_TEST_NOW);
    struct holder h;
    pthread_t thread;
    hold_lock(&h, &thread, path, 200);
    double start = monotonic_ms();
    ck_assert_int_eq(alliance_card_suspend(db, "c1", 1, ALLIANCE_TEST_NOW), ALLIANCE_OK);
    ck_assert_double_ge(monotonic_ms() - start, 150.0);
    pthread_join(thread, NULL);
    sqlite3_close(h.raw);
    alliance_card *card = NULL;
    ck_assert_int_eq(alliance_card_get(db, "c1", &card), ALLIANCE_OK);
    ck_assert_uint_eq(card->suspended, 1);
    alliance_free(card);
    alliance_close(db);
}
END_TEST

START_TEST(a_write_past_the_busy_timeout_fails_with_ebusy_and_changes_nothing)
{
    const char *path = alliance_test_path("busy-fail.alliance");
    alliance_db *db = fixture_open(path);
    fixture_add_cards(db, "deck", "c", 1, ALLIANCE_TEST_NOW);
    alliance_close(db);
    alliance_open_options options;
    alliance_open_options_init(&options, ALLIANCE_OPEN_OPTIONS_VERSION);
    options.busy_timeout_ms = 20;
    options.utc_offset_seconds = 0;
    ck_assert_int_eq(alliance_open(&db, path, &options), ALLIANCE_OK);
    struct holder h;
    pthread_t thread;
    hold_lock(&h, &thread, path, 400);
    ck_assert_int_eq(alliance_card_suspend(db, "c1", 1, ALLIANCE_TEST_NOW), ALLIANCE_EBUSY);
    ck_assert_int_eq(alliance_errcode(db), ALLIANCE_EBUSY);
    pthread_join(thread, NULL);
    sqlite3_close(h.raw);
    alliance_card *card = NULL;
    ck_assert_int_eq(alliance_card_get(db, "c1", &card), ALLIANCE_OK);
    ck_assert_uint_eq(card->suspended, 0);
    alliance_free(card);
    alliance_close(db);
}
END_TEST

/* A newer liballiance (like this one) keeps its file in WAL mode. If its last
 * writer died before a checkpoint, the WAL holds committed pages. Opening the
 * file to refuse it must not fold them into the main file ("it is never modified"),
 * yet the read-write connection checkpoints on close. */
START_TEST(a_newer_collection_with_a_pending_wal_is_left_untouched)
{
    const char *path = alliance_test_path("newer-wal.alliance");
    alliance_close(fixture_open(path));
    pid_t child = fork();
    ck_assert_int_ne(child, -1);
    if (child == 0) { /* the newer program: writes, then dies before any checkpoint */
        sqlite3 *raw = NULL;
        if (sqlite3_open(path, &raw) != SQLITE_OK ||
            sqlite3_exec(raw, "PRAGMA wal_autocheckpoint = 0; PRAGMA user_version = 99; "
                              "CREATE TABLE newer_things (x INTEGER);", NULL, NULL, NULL) != SQLITE_OK)
            _exit(1);
        _exit(0);
    }
    int status = 0;
    ck_assert_int_eq(waitpid(child, &status, 0), child);
    ck_assert_int_eq(WEXITSTATUS(status), 0);
    char wal[4096];
    snprintf(wal, sizeof wal, "%s-wal", path);
    size_t before_len = 0, after_len = 0, wal_before_len = 0, wal_after_len = 0;
    char *before = alliance_test_read_file(path, &before_len);
    char *wal_before = alliance_test_read_file(wal, &wal_before_len);
    ck_assert_ptr_nonnull(wal_before);
    ck_assert_uint_gt(wal_before_len, 0); /* the newer program's commits are only in the WAL */
    alliance_db *newer = NULL;
    ck_assert_int_eq(alliance_open(&newer, path, NULL), ALLIANCE_ENEWER);
    alliance_close(newer);
    char *after = alliance_test_read_file(path, &after_len);
    char *wal_after = alliance_test_read_file(wal, &wal_after_len);
    int same = before && after && before_len == after_len && memcmp(before, after, before_len) == 0;
    int wal_same = wal_after && wal_before_len == wal_after_len && memcmp(wal_before, wal_after, wal_before_len) == 0;
    free(before);
    free(after);
    free(wal_before);
    free(wal_after);
    ck_assert_msg(same, "refusing the newer collection rewrote its main file (%zu -> %zu bytes)", before_len,
                  after_len);
    ck_assert_msg(wal_same, "refusing the newer collection changed or removed its WAL (%zu -> %zu bytes)",
                  wal_before_len, wal_after_len);
}
END_TEST

static Suite *collection_suite(void)
{
    Suite *s = suite_create("collection");
    TCase *open = tcase_create("open");
    tcase_add_test(open, memory_collection_opens_and_reports_no_error);
    tcase_add_test(open, close_null_is_a_no_op);
    tcase_add_test(open, a_new_file_gets_the_schema_and_wal);
    tcase_add_test(open, an_empty_file_gets_the_schema);
    tcase_add_test(open, a_missing_file_without_create_is_not_found_and_the_handle_tells_why);
    tcase_add_test(open, a_newer_schema_is_refused_and_left_untouched);
    tcase_add_test(open, a_newer_collection_with_a_pending_wal_is_left_untouched);
    tcase_add_test(open, a_foreign_sqlite_file_is_refused_and_left_untouched);
    tcase_add_test(open, a_text_file_is_refused_and_left_untouched);
    tcase_add_test(open, bad_open_options_are_refused);
    tcase_add_test(open, normal_synchronous_is_accepted);
    tcase_add_test(open, a_read_only_collection_refuses_writes_and_changes_nothing);
    suite_add_tcase(s, open);
    TCase *settings = tcase_create("settings");
    tcase_add_test(settings, settings_have_documented_defaults);
    tcase_add_test(settings, bad_settings_are_refused_and_nothing_changes);
    tcase_add_test(settings, today_uses_the_offset_and_the_stored_rollover_hour);
    tcase_add_test(settings, reopening_finds_everything);
    suite_add_tcase(s, settings);
    TCase *busy = tcase_create("busy");
    tcase_add_test(busy, a_write_waits_for_a_busy_connection_and_succeeds);
    tcase_add_test(busy, a_write_past_the_busy_timeout_fails_with_ebusy_and_changes_nothing);
    suite_add_tcase(s, busy);
    return s;
}

int main(void)
{
    return alliance_test_run(collection_suite());
}
