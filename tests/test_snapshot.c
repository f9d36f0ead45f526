/* SPDX-License-Identifier: MIT */
/*
 * snapshot: the reads a caller relies on for completeness or consistency see
 * one snapshot of the collection, whatever other connections commit meanwhile.
 *
 * An export (alliance_deck_export) reads the deck's header and then its cards
 * in many steps; another connection re-importing the same deck in another card
 * order while it runs used to make it skip notes (3000-note deck: 1938
 * written) and return 0, and importing that file back then suspended the
 * missing cards. Here the re-import runs from inside the export's own write
 * callback, on a second handle, so the interleaving is certain, not a race.
 * alliance_verify compares every card with the replay of its log: answers
 * committed between reading a card and reading its log used to count as
 * mismatches.
 */
#include "reliability.h"

#include <pthread.h>
#include <unistd.h>

#define NOTES 3000
#define NOW (ALLIANCE_TEST_NOW + ALLIANCE_TEST_DAY)

/* A deck of NOTES basic notes, in file order or reversed. */
static char *deck_text(int reversed, size_t *out_len)
{
    size_t cap = 64 + (size_t)NOTES * 80, len = 0;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    len += (size_t)snprintf(text, cap, "deck: Snapshot\n");
    for (int i = 0; i < NOTES; i++) {
        int n = reversed ? NOTES - 1 - i : i;
        len += (size_t)snprintf(text + len, cap - len, "\ncard: n%04d\ntype: basic\nfront: question %d\nback: answer\n",
                                n, n);
    }
    *out_len = len;
    return text;
}

static void import_text(alliance_db *db, int reversed)
{
    size_t len = 0;
    char *text = deck_text(reversed, &len);
    alliance_import_report *report = NULL;
    int rc = alliance_deck_import_buffer(db, "snapshot.deck", text, len, NULL, NOW, &report);
    ck_assert_msg(rc == 0, "import: %d %s", rc, alliance_errmsg(db));
    ck_assert_uint_eq(report->suspended, 0);
    alliance_free(report);
    free(text);
}

typedef struct capture {
    alliance__buf out;
    const char *path;    /* where the second handle re-imports (NULL: nothing) */
    int calls;
    alliance_db *self;   /* the exporting handle: calling it back must be refused */
    int reentry_rc;
} capture;

/* The write callback: keeps the text; at its first call a second connection
 * re-imports the deck in the other order and commits. */
static int capture_write(void *opaque, const char *data, size_t len)
{
    capture *c = opaque;
    if (c->calls++ == 0 && c->path) {
        alliance_db *other = NULL;
        alliance_open_options options = rel_options(ALLIANCE_SYNC_NORMAL);
        ck_assert_int_eq(alliance_open(&other, c->path, &options), 0);
        import_text(other, 1);
        ck_assert_int_eq(alliance_close(other), 0);
    }
    if (c->self) {
        alliance_card *card = NULL;
        c->reentry_rc = alliance_card_get(c->self, "n0000", &card);
        alliance_free(card);
    }
    return alliance__buf_append(&c->out, data, len) == 0 ? 0 : 1;
}

static int count_notes(const char *text)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, "\ncard: ")) != NULL; p++)
        n++;
    return n;
}

START_TEST(an_export_is_one_snapshot_while_another_connection_reimports)
{
    const char *path = alliance_test_path("snapshot-export.alliance");
    alliance_db *db = NULL;
    alliance_open_options options = rel_options(ALLIANCE_SYNC_NORMAL);
    ck_assert_int_eq(alliance_open(&db, path, &options), 0);
    import_text(db, 0);
    int64_t deck = 0;
    ck_assert_int_eq(alliance_deck_id(db, "Snapshot", 0, &deck), 0);

    capture before = {{0}, NULL, 0, NULL, 0};
    ck_assert_int_eq(alliance_deck_export(db, deck, ALLIANCE_FORMAT_DECK, capture_write, &before), 0);
    ck_assert_int_eq(count_notes(before.out.data), NOTES);

    capture during = {{0}, path, 0, NULL, 0};
    int rc = alliance_deck_export(db, deck, ALLIANCE_FORMAT_DECK, capture_write, &during);
    ck_assert_msg(rc == 0, "export: %d %s", rc, alliance_errmsg(db));
    ck_assert_int_gt(during.calls, 1); /* the re-import really ran in the middle of the export */
    ck_assert_int_eq(count_notes(during.out.data), NOTES);
    ck_assert_msg(strcmp(during.out.data, before.out.data) == 0,
                  "the export is not the collection as it was when the export began");

    /* Importing that export (the re-import's file order is now the deck's) suspends nothing. */
    alliance_import_report *report = NULL;
    rc = alliance_deck_import_buffer(db, "export.deck", during.out.data, during.out.len, NULL, NOW, &report);
    ck_assert_msg(rc == 0, "import of the export: %d %s", rc, alliance_errmsg(db));
    ck_assert_uint_eq(report->suspended, 0);
    ck_assert_uint_eq(report->unchanged, NOTES);
    alliance_free(report);
    alliance__buf_free(&before.out);
    alliance__buf_free(&during.out);
    alliance_close(db);
}
END_TEST

/* alliance_export (several decks, Anki text, .apkg) holds the same promise: a package is read
 * back into a fresh collection and counted, as its bytes say nothing plain. */
START_TEST(every_export_format_is_one_snapshot)
{
    const char *path = alliance_test_path("snapshot-formats.alliance");
    const uint32_t formats[] = {ALLIANCE_FORMAT_ANKI_TEXT, ALLIANCE_FORMAT_APKG};
    for (size_t k = 0; k < sizeof formats / sizeof formats[0]; k++) {
        unlink(path);
        alliance_db *db = NULL;
        alliance_open_options options = rel_options(ALLIANCE_SYNC_NORMAL);
        ck_assert_int_eq(alliance_open(&db, path, &options), 0);
        import_text(db, 0);
        alliance_export_options export_options;
        alliance_export_options_init(&export_options, ALLIANCE_EXPORT_OPTIONS_VERSION);
        export_options.format = formats[k];
        capture during = {{0}, path, 0, NULL, 0};
        int rc = alliance_export(db, 0, &export_options, NOW, capture_write, &during);
        ck_assert_msg(rc == 0, "export in format %u: %d %s", formats[k], rc, alliance_errmsg(db));
        ck_assert_int_gt(during.calls, 1);
        alliance_db *fresh = NULL;
        ck_assert_int_eq(alliance_open(&fresh, ":memory:", &options), 0);
        alliance_import_options import_options;
        alliance_import_options_init(&import_options, ALLIANCE_IMPORT_OPTIONS_VERSION);
        import_options.format = formats[k];
        alliance_import_report *report = NULL;
        rc = alliance_deck_import_buffer(fresh, "export", during.out.data, during.out.len, &import_options, NOW,
                                         &report);
        ck_assert_msg(rc == 0, "import of the export (format %u): %d %s", formats[k], rc, alliance_errmsg(fresh));
        ck_assert_uint_eq(report->added, NOTES);
        alliance_free(report);
        alliance_close(fresh);
        alliance__buf_free(&during.out);
        alliance_close(db);
    }
}
END_TEST

START_TEST(the_write_callback_cannot_call_back_into_the_exporting_collection)
{
    alliance_db *db = NULL;
    alliance_open_options options = rel_options(ALLIANCE_SYNC_NORMAL);
    ck_assert_int_eq(alliance_open(&db, ":memory:", &options), 0);
    import_text(db, 0);
    int64_t deck = 0;
    ck_assert_int_eq(alliance_deck_id(db, "Snapshot", 0, &deck), 0);
    capture c = {{0}, NULL, 0, db, 0};
    int rc = alliance_deck_export(db, deck, ALLIANCE_FORMAT_DECK, capture_write, &c);
    ck_assert_msg(rc == 0, "export: %d %s", rc, alliance_errmsg(db));
    ck_assert_int_eq(c.reentry_rc, ALLIANCE_EMISUSE);
    ck_assert_int_eq(count_notes(c.out.data), NOTES);
    /* After the export the handle is usable again. */
    alliance_card *card = NULL;
    ck_assert_int_eq(alliance_card_get(db, "n0000", &card), 0);
    alliance_free(card);
    alliance__buf_free(&c.out);
    alliance_close(db);
}
END_TEST

/* ---- verify while another connection answers ---- */

typedef struct answerer {
    const char *path;
    volatile int stop;
    long answers;
    char error[512];
} answerer;

static void *answer_loop(void *arg)
{
    answerer *a = arg;
    alliance_db *db = NULL;
    alliance_open_options options = rel_options(ALLIANCE_SYNC_NORMAL);
    if (alliance_open(&db, a->path, &options) != 0) {
        snprintf(a->error, sizeof a->error, "open: %s", alliance_errmsg(db));
        alliance_close(db);
        return NULL;
    }
    for (long i = 0; !a->stop && i < 200000; i++) {
        char id[16];
        rel_card_id(id, sizeof id, "k", (unsigned)(i % 200));
        /* grades 0..2 keep every card due again today: the answers never run out */
        int rc = alliance_answer(db, id, (int)(i % 3), NOW + i, 0, NULL);
        if (rc && rc != ALLIANCE_EBUSY) {
            snprintf(a->error, sizeof a->error, "answer %s: %d %s", id, rc, alliance_errmsg(db));
            break;
        }
        a->answers += rc == 0;
    }
    alliance_close(db);
    return NULL;
}

START_TEST(verify_sees_one_snapshot_while_another_connection_answers)
{
    const char *path = alliance_test_path("snapshot-verify.alliance");
    ck_assert_int_eq(rel_make_collection(path, 200, ALLIANCE_TEST_NOW), 0);
    alliance_db *db = NULL;
    alliance_open_options options = rel_options(ALLIANCE_SYNC_NORMAL);
    ck_assert_int_eq(alliance_open(&db, path, &options), 0);
    answerer a = {path, 0, 0, ""};
    pthread_t thread;
    ck_assert_int_eq(pthread_create(&thread, NULL, answer_loop, &a), 0);
    long runs = 0;
    uint64_t worst = 0;
    char first[1024] = "";
    for (; runs < 40 || (a.answers < 200 && runs < 4000); runs++) {
        uint64_t mismatches = 0;
        int rc = alliance_verify(db, &mismatches);
        ck_assert_msg(rc == 0, "verify: %d %s", rc, alliance_errmsg(db));
        if (mismatches > worst) {
            worst = mismatches;
            snprintf(first, sizeof first, "%s", alliance_errmsg(db));
        }
    }
    a.stop = 1;
    pthread_join(thread, NULL);
    ck_assert_msg(a.error[0] == '\0', "%s", a.error);
    fprintf(stderr, "snapshot: %ld verifies while %ld answers landed\n", runs, a.answers);
    ck_assert_int_gt(a.answers, 0);
    ck_assert_msg(worst == 0, "a verify counted %llu mismatches while answers landed: %s", (unsigned long long)worst,
                  first);
    alliance_close(db);
}
END_TEST

static Suite *snapshot_suite(void)
{
    Suite *s = suite_create("snapshot");
    TCase *tc = tcase_create("snapshot");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, an_export_is_one_snapshot_while_another_connection_reimports);
    tcase_add_test(tc, every_export_format_is_one_snapshot);
    tcase_add_test(tc, the_write_callback_cannot_call_back_into_the_exporting_collection);
    tcase_add_test(tc, verify_sees_one_snapshot_while_another_connection_answers);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return alliance_test_run(snapshot_suite());
}
