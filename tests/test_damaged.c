/* SPDX-License-Identifier: MIT */
/*
 * damaged: every loop over rows ends on a damaged collection. The library
 * reads rows one call at a time, each call seeking past the key of the last
 * row (keyset paging); a damaged index can hand back a row whose key does not
 * follow that one, and the loop would then go round for ever. Each case here
 * damages one byte of an index record and checks that listing, exporting,
 * verifying and reading the review log either work or stop with a documented
 * code, ALLIANCE_ECORRUPT naming the file.
 *
 * Export and verify loop inside the library, where a test cannot count: every
 * damaged copy is used in a child process with an alarm, so a loop is a failed
 * test, not a hang.
 */
#include "reliability.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#define CARDS 20
#define CHILD_SECONDS 20

/* A small collection of CARDS notes, a third of them answered (one page per index). */
static char *small_collection(const char *path, size_t *len)
{
    alliance_db *db = NULL;
    alliance_open_options options = rel_options(ALLIANCE_SYNC_NORMAL);
    ck_assert_int_eq(alliance_open(&db, path, &options), 0);
    int64_t deck = 0;
    ck_assert_int_eq(alliance_deck_id(db, "Damaged", 1, &deck), 0);
    for (int i = 0; i < CARDS; i++) {
        char id[16], front[32];
        snprintf(id, sizeof id, "c%02d", i);
        snprintf(front, sizeof front, "question %d", i);
        alliance_note note;
        alliance_note_init(&note, ALLIANCE_NOTE_VERSION);
        note.id = id;
        note.front = front;
        note.back = "answer";
        ck_assert_int_eq(alliance_note_add(db, deck, &note, ALLIANCE_TEST_NOW + i), 0);
        if (i % 3 == 0)
            ck_assert_int_eq(alliance_answer(db, id, 4, ALLIANCE_TEST_NOW + 100 + i, 0, NULL), 0);
    }
    ck_assert_int_eq(alliance_close(db), 0);
    char *bytes = alliance_test_read_file(path, len);
    ck_assert_ptr_nonnull(bytes);
    return bytes;
}

/* The first byte of an index's root page in the file, read with SQLite itself. */
static size_t index_page_offset(const char *path, const char *index, size_t *out_page_size)
{
    sqlite3 *raw = NULL;
    ck_assert_int_eq(sqlite3_open_v2(path, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *stmt = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(raw, "SELECT rootpage FROM sqlite_schema WHERE name = ?1", -1, &stmt, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(stmt, 1, index, -1, SQLITE_STATIC);
    ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
    long root = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    ck_assert_int_eq(sqlite3_prepare_v2(raw, "PRAGMA page_size", -1, &stmt, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
    *out_page_size = (size_t)sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(raw);
    return (size_t)(root - 1) * *out_page_size;
}

static int code_documented(int rc)
{
    return rc == ALLIANCE_OK || rc == ALLIANCE_DONE || rc == ALLIANCE_ECORRUPT || rc == ALLIANCE_ENOTFOUND ||
           rc == ALLIANCE_ENOTDUE || rc == ALLIANCE_ESTATE;
}

static int discard(void *opaque, const char *data, size_t len)
{
    (void)data;
    *(size_t *)opaque += len;
    return 0;
}

/* Every call either works or fails with a documented code and, for ECORRUPT, names the file.
 * Returns "" or what went wrong. */
static const char *check_call(alliance_db *db, const char *path, const char *what, int rc, char *buf, size_t size)
{
    if (!code_documented(rc))
        snprintf(buf, size, "%s returned %d (%s): %s", what, rc, alliance_strerror(rc), alliance_errmsg(db));
    else if (rc == ALLIANCE_ECORRUPT && !strstr(alliance_errmsg(db), path))
        snprintf(buf, size, "%s: ALLIANCE_ECORRUPT without the file's name: %s", what, alliance_errmsg(db));
    else
        buf[0] = '\0';
    return buf;
}

/* Runs in the child: writes "" to `fd` if the damaged collection held up, else the reason. */
static void use_damaged(const char *path, int fd)
{
    char out[1024] = "";
    alliance_db *db = NULL;
    alliance_open_options options = rel_options(ALLIANCE_SYNC_NORMAL);
    options.flags = 0;
    int rc = alliance_open(&db, path, &options);
    if (rc == 0) {
        /* The listing: at most one card per index entry, then DONE or ECORRUPT. */
        alliance_card_iter *iter = NULL;
        int n = 0;
        rc = alliance_card_search(&iter, db, 0, NULL);
        alliance_card *card = NULL;
        while (rc == 0 && (rc = alliance_card_iter_next(iter, &card)) == 0) {
            alliance_free(card);
            if (++n > CARDS) {
                snprintf(out, sizeof out, "the card iterator returned more cards than the collection holds");
                break;
            }
        }
        alliance_card_iter_free(iter);
        if (!out[0])
            check_call(db, path, "listing", rc, out, sizeof out);
        /* The export and verify loop inside the library: the alarm ends a loop. */
        size_t written = 0;
        if (!out[0])
            check_call(db, path, "export", alliance_deck_export(db, 1, ALLIANCE_FORMAT_DECK, discard, &written),
                       out, sizeof out);
        uint64_t mismatches = 0;
        if (!out[0])
            check_call(db, path, "verify", alliance_verify(db, &mismatches), out, sizeof out);
        /* The deck listing (its counts read the cards): one deck, then DONE or ECORRUPT. */
        if (!out[0]) {
            alliance_deck_iter *decks = NULL;
            alliance_deck_info *info = NULL;
            int listed = 0;
            rc = alliance_deck_iter_open(&decks, db, ALLIANCE_TEST_NOW);
            while (rc == 0 && (rc = alliance_deck_iter_next(decks, &info)) == 0) {
                alliance_free(info);
                if (++listed > 1) {
                    snprintf(out, sizeof out, "the deck iterator returned more decks than the collection holds");
                    break;
                }
            }
            alliance_deck_iter_free(decks);
            if (!out[0])
                check_call(db, path, "listing decks", rc, out, sizeof out);
        }
        /* The review log, whole and of one card. */
        for (int k = 0; k < 2 && !out[0]; k++) {
            alliance_review_iter *log = NULL;
            rc = alliance_review_iter_open(&log, db, k ? "c03" : NULL);
            alliance_review review;
            memset(&review, 0, sizeof review);
            review.version = ALLIANCE_REVIEW_VERSION;
            long rows = 0;
            while (rc == 0 && (rc = alliance_review_iter_next(log, &review)) == 0) {
                if (++rows > CARDS) {
                    snprintf(out, sizeof out, "the review iterator returned more rows than the log holds");
                    break;
                }
            }
            alliance_review_iter_free(log);
            if (!out[0])
                check_call(db, path, "the review log", rc, out, sizeof out);
        }
    }
    alliance_close(db);
    ssize_t w = write(fd, out, strlen(out));
    (void)w;
}

/* Writes the damaged bytes to `path` and uses them in a child; "" if it held up. */
static void try_damaged(const char *path, const char *bytes, size_t len, char *result, size_t size)
{
    char side[4300];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(bytes, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);

    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(fds[0]);
        alarm(CHILD_SECONDS);
        use_damaged(path, fds[1]);
        _exit(0);
    }
    close(fds[1]);
    size_t got = 0;
    ssize_t n;
    while (got + 1 < size && (n = read(fds[0], result + got, size - 1 - got)) > 0)
        got += (size_t)n;
    result[got] = '\0';
    close(fds[0]);
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
        snprintf(result, size, "still running after %d s: a loop that never ends", CHILD_SECONDS);
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        snprintf(result, size, "the child died (status %d)", status);
}

/* Damages each byte of every record of `index` in turn, a few ways each. */
static void damage_every_record(const char *index)
{
    const char *source = alliance_test_path("damaged-source.alliance");
    unlink(source);
    size_t len = 0, page_size = 0;
    char *good = small_collection(source, &len);
    size_t page = index_page_offset(source, index, &page_size);
    const unsigned char *p = (const unsigned char *)good + page;
    ck_assert_msg(p[0] == 0x0A, "%s: the test expects one leaf index page, found page type %u", index, p[0]);
    unsigned cells = (unsigned)p[3] << 8 | p[4];
    size_t content = (size_t)p[5] << 8 | p[6];
    ck_assert_uint_gt(cells, 0);
    const char *path = alliance_test_path("damaged.alliance");
    char *bad = malloc(len);
    ck_assert_ptr_nonnull(bad);
    long tried = 0;
    for (size_t at = content; at < page_size; at++) {
        const unsigned char values[] = {0x00, 0x0C, 0xFF, (unsigned char)(p[at] ^ 0x01), (unsigned char)(p[at] ^ 0x80)};
        for (size_t v = 0; v < sizeof values; v++) {
            if (values[v] == p[at])
                continue;
            memcpy(bad, good, len);
            bad[page + at] = (char)values[v];
            char result[1200];
            try_damaged(path, bad, len, result, sizeof result);
            ck_assert_msg(result[0] == '\0', "%s: byte %zu of its page set to 0x%02x: %s", index, at, values[v],
                          result);
            tried++;
        }
    }
    fprintf(stderr, "damaged: %s: %ld damaged copies (%u records) held up\n", index, tried, cells);
    free(bad);
    free(good);
}

START_TEST(a_damaged_card_index_never_makes_a_loop_endless)
{
    damage_every_record("cards_order");
}
END_TEST

START_TEST(a_damaged_review_index_never_makes_a_loop_endless)
{
    damage_every_record("reviews_card");
}
END_TEST

START_TEST(integrity_check_passes_a_sound_file_and_names_a_damaged_index)
{
    const char *path = alliance_test_path("integrity.alliance");
    unlink(path);
    size_t len = 0, page_size = 0;
    char *good = small_collection(path, &len);
    alliance_db *db = NULL;
    ck_assert_int_eq(alliance_open(&db, path, NULL), 0);
    char *report = NULL;
    ck_assert_int_eq(alliance_integrity_check(db, &report), 0);
    ck_assert_str_eq(report, "ok");
    alliance_free(report);
    ck_assert_int_eq(alliance_integrity_check(db, NULL), 0);
    alliance_close(db);

    /* The position of the first record of cards_order changed: the index no longer matches its table. */
    size_t page = index_page_offset(path, "cards_order", &page_size);
    const unsigned char *p = (const unsigned char *)good + page;
    size_t cell = (size_t)p[8] << 8 | p[9];
    good[page + cell + 6] ^= 0x40;
    const char *damaged = alliance_test_path("integrity-damaged.alliance");
    FILE *f = fopen(damaged, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(good, 1, len, f), len);
    fclose(f);
    ck_assert_int_eq(alliance_open(&db, damaged, NULL), 0);
    report = NULL;
    int rc = alliance_integrity_check(db, &report);
    ck_assert_msg(rc == ALLIANCE_ECORRUPT, "integrity_check of a damaged index: %d %s", rc, alliance_errmsg(db));
    ck_assert_ptr_nonnull(report);
    ck_assert_msg(strstr(report, "cards_order") != NULL, "%s", report);
    ck_assert_msg(strstr(alliance_errmsg(db), damaged) != NULL, "%s", alliance_errmsg(db));
    alliance_free(report);
    alliance_close(db);
    free(good);
}
END_TEST

static Suite *damaged_suite(void)
{
    Suite *s = suite_create("damaged");
    TCase *tc = tcase_create("damaged");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, a_damaged_card_index_never_makes_a_loop_endless);
    tcase_add_test(tc, a_damaged_review_index_never_makes_a_loop_endless);
    tcase_add_test(tc, integrity_check_passes_a_sound_file_and_names_a_damaged_index);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return alliance_test_run(damaged_suite());
}
