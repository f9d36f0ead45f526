/* SPDX-License-Identifier: MIT */
/* bulk_write: an import keeps SQLite's statement journal in memory. Every card insert fires
 * the sync triggers, so SQLite journals each statement; once one statement spills that
 * journal to a temporary file, every later insert of the transaction writes its pages there
 * (two thirds of a 100k-card import's time, and card text in a file under /var/tmp). A VFS
 * that counts the statement-journal files SQLite opens shows the import opens none, where the
 * same inserts in a plain transaction do; and the connection's temp_store is put back. */
#include "collection_fixture.h"

#include "store/handle.h"

#include <stdlib.h>
#include <unistd.h>

/* ---- a VFS that counts statement-journal files, over the default one ---- */

static sqlite3_vfs *base;
static sqlite3_vfs counting;
static int subjournals;

static int counting_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
    (void)vfs;
    if (flags & SQLITE_OPEN_SUBJOURNAL)
        subjournals++;
    return base->xOpen(base, name, file, flags, out_flags);
}

static void counting_vfs_install(void)
{
    base = sqlite3_vfs_find(NULL);
    ck_assert_ptr_nonnull(base);
    counting = *base;
    counting.zName = "alliance-test-counting";
    counting.xOpen = counting_open;
    ck_assert_int_eq(sqlite3_vfs_register(&counting, 1), SQLITE_OK); /* the default from now on */
}

static void counting_vfs_remove(void)
{
    sqlite3_vfs_unregister(&counting);
}

/* ---- the deck ---- */

#define CARDS 6000

/* A deck of CARDS basic cards whose ids, texts and order match fixture_add_cards' "c1".. */
static char *deck_text(size_t *out_len)
{
    size_t cap = (size_t)CARDS * 96 + 64, len = 0;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    len += (size_t)snprintf(text, cap, "deck: Bulk\n");
    for (int i = 1; i <= CARDS; i++)
        len += (size_t)snprintf(text + len, cap - len, "\ncard: c%d\ntype: basic\nfront: question c%d\nback: answer c%d\n", i, i, i);
    *out_len = len;
    return text;
}

static alliance_db *open_file(const char *name)
{
    const char *path = alliance_test_path(name);
    char extra[512];
    unlink(path);
    snprintf(extra, sizeof extra, "%s-wal", path);
    unlink(extra);
    snprintf(extra, sizeof extra, "%s-shm", path);
    unlink(extra);
    return fixture_open(path);
}

static int64_t temp_store_of(alliance_db *db)
{
    sqlite3_stmt *stmt = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(db->sqlite, "PRAGMA temp_store", -1, &stmt, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
    int64_t value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return value;
}

START_TEST(the_same_inserts_in_a_plain_transaction_spill_their_journal)
{
    /* The control: without the import's setting, these inserts do open a statement-journal
     * file, so the count below is able to see one. */
    counting_vfs_install();
    alliance_db *db = open_file("plain.db");
    subjournals = 0;
    fixture_add_cards(db, "Bulk", "c", CARDS, ALLIANCE_TEST_NOW);
    ck_assert_int_gt(subjournals, 0);
    alliance_close(db);
    counting_vfs_remove();
}
END_TEST

START_TEST(an_import_opens_no_statement_journal_file)
{
    counting_vfs_install();
    alliance_db *db = open_file("bulk.db");
    size_t len = 0;
    char *text = deck_text(&len);
    alliance_import_report *report = NULL;
    subjournals = 0;
    int rc = alliance_deck_import_buffer(db, "bulk.deck", text, len, NULL, ALLIANCE_TEST_NOW, &report);
    ck_assert_msg(rc == ALLIANCE_OK, "import: %d %s", rc, alliance_errmsg(db));
    ck_assert_uint_eq(report->added, CARDS);
    ck_assert_int_eq(subjournals, 0);
    ck_assert_int_eq(temp_store_of(db), 0); /* put back: DEFAULT */
    alliance_free(report);
    report = NULL;
    /* A second import on the same handle (the setting acts when its PRAGMA is prepared, so a
     * cached statement would not repeat it): re-importing changes nothing, spills nothing. */
    ck_assert_int_eq(alliance_deck_import_buffer(db, "bulk.deck", text, len, NULL, ALLIANCE_TEST_NOW, &report),
                     ALLIANCE_OK);
    ck_assert_uint_eq(report->unchanged, CARDS);
    ck_assert_int_eq(subjournals, 0);
    ck_assert_int_eq(temp_store_of(db), 0);
    alliance_free(report);
    free(text);
    uint64_t mismatches = 1;
    ck_assert_int_eq(alliance_verify(db, &mismatches), ALLIANCE_OK);
    ck_assert_uint_eq(mismatches, 0);
    alliance_close(db);
    counting_vfs_remove();
}
END_TEST

START_TEST(a_failed_import_puts_temp_store_back)
{
    alliance_db *db = open_file("failed.db");
    fixture_add_cards(db, "Other", "c", 1, ALLIANCE_TEST_NOW); /* c1 belongs to another deck */
    size_t len = 0;
    char *text = deck_text(&len);
    alliance_import_report *report = NULL;
    ck_assert_int_eq(alliance_deck_import_buffer(db, "bulk.deck", text, len, NULL, ALLIANCE_TEST_NOW, &report),
                     ALLIANCE_EEXISTS);
    ck_assert_str_ne(alliance_errmsg(db), ""); /* the import's own message, not the reset's */
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "c1"));
    ck_assert_int_eq(temp_store_of(db), 0);
    alliance_free(report);
    free(text);
    alliance_close(db);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("bulk_write");
    TCase *t = tcase_create("import");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, the_same_inserts_in_a_plain_transaction_spill_their_journal);
    tcase_add_test(t, an_import_opens_no_statement_journal_file);
    tcase_add_test(t, a_failed_import_puts_temp_store_back);
    suite_add_tcase(s, t);
    return alliance_test_run(s);
}
