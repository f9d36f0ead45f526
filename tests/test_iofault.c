/* SPDX-License-Identifier: MIT */
/*
 * iofault: a collection file that cannot be written, is not there, or is
 * damaged gives a clear error and code, never a crash, and never a half-written
 * collection: a file that passed PRAGMA integrity_check before still passes it
 * afterwards, with the same content.
 *
 * Disk full is simulated portably with a file-size limit (RLIMIT_FSIZE, with
 * SIGXFSZ ignored) in a child process: a write past the limit fails exactly
 * like one on a full disk, without root or a small filesystem. A read-only file
 * is chmod 0444; as root (CI), permissions do not bind, so that case runs in a
 * child that first drops to an unprivileged user.
 */
#include "reliability.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOW (ALLIANCE_TEST_NOW + ALLIANCE_TEST_DAY)

/* ---- helpers ---- */

typedef void (*child_fn)(const char *path, char *result, size_t size);

/* Runs fn(path) in a child; returns its result text ("" means it held up). */
static void run_in_child(child_fn fn, const char *path, char *result, size_t size)
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(fds[0]);
        char out[1024] = "";
        fn(path, out, sizeof out);
        size_t len = strlen(out);
        ssize_t n = write(fds[1], out, len);
        _exit(n == (ssize_t)len ? 0 : 1);
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
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child died (status %d): %s", status, result);
}

static char *big_deck(unsigned cards, size_t *out_len)
{
    size_t cap = 64 + (size_t)cards * 400;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    size_t len = (size_t)snprintf(text, cap, "deck: Big deck\n");
    for (unsigned i = 0; i < cards; i++)
        len += (size_t)snprintf(text + len, cap - len,
                                "\ncard: big-%05u\ntype: basic\nfront: question number %u, padded with words "
                                "so that the deck takes some room on disk\nback: answer number %u, padded "
                                "with words so that the deck takes some room on disk\n",
                                i, i, i);
    *out_len = len;
    return text;
}

static off_t file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? st.st_size : -1;
}

static void assert_intact(const char *path, const char *before_dump)
{
    char msg[512];
    ck_assert_msg(rel_integrity_ok(path, msg, sizeof msg), "integrity_check afterwards: %s", msg);
    char *after = rel_dump(path);
    ck_assert_ptr_nonnull(after);
    ck_assert_msg(strcmp(after, before_dump) == 0, "the collection's content changed");
    free(after);
}

/* A full disk is reported as such (SQLite says "disk I/O error"; the OS says ENOSPC/EFBIG). */
static int is_io_error(int rc) { return rc == ALLIANCE_EFULL; }

/* ---- disk full ---- */

static void limit_file_size(off_t limit)
{
    signal(SIGXFSZ, SIG_IGN); /* a write past the limit then fails with EFBIG instead of killing us */
    struct rlimit rl = {(rlim_t)limit, (rlim_t)limit};
    setrlimit(RLIMIT_FSIZE, &rl);
}

static void import_on_full_disk(const char *path, char *result, size_t size)
{
    alliance_open_options options = rel_options(ALLIANCE_SYNC_FULL);
    alliance_db *db = NULL;
    int rc = alliance_open(&db, path, &options);
    if (rc) {
        snprintf(result, size, "open: %d %s", rc, alliance_errmsg(db));
        return;
    }
    /* Room for a few pages more than the files hold now, not for 2000 cards. */
    char wal[4200];
    snprintf(wal, sizeof wal, "%s-wal", path);
    off_t biggest = file_size(path) > file_size(wal) ? file_size(path) : file_size(wal);
    limit_file_size(biggest + 8192);
    size_t len = 0;
    char *deck = big_deck(2000, &len);
    alliance_import_report *report = NULL;
    rc = alliance_deck_import_buffer(db, "big.deck", deck, len, NULL, NOW, &report);
    free(deck);
    const char *msg = alliance_errmsg(db);
    fprintf(stderr, "iofault: import on a full disk: %d (%s): %s\n", rc, alliance_strerror(rc), msg);
    if (!is_io_error(rc))
        snprintf(result, size, "import on a full disk returned %d (%s), want ALLIANCE_EFULL: %s", rc,
                 alliance_strerror(rc), msg);
    else if (!msg[0] || strcmp(msg, "not an error") == 0)
        snprintf(result, size, "import on a full disk: code %d but no message", rc);
    else if (!strstr(msg, path))
        snprintf(result, size, "import on a full disk: the message does not name the file: %s", msg);
    alliance_free(report);
    alliance_close(db);
}

START_TEST(disk_full_during_import_writes_nothing)
{
    const char *path = alliance_test_path("full-import.alliance");
    ck_assert_int_eq(rel_make_collection(path, 20, ALLIANCE_TEST_NOW), 0);
    char *before = rel_dump(path);
    char result[1024];
    run_in_child(import_on_full_disk, path, result, sizeof result);
    ck_assert_msg(result[0] == '\0', "%s", result);
    assert_intact(path, before);
    /* With room again, the same import succeeds. */
    alliance_open_options options = rel_options(ALLIANCE_SYNC_FULL);
    alliance_db *db = NULL;
    ck_assert_int_eq(alliance_open(&db, path, &options), 0);
    size_t len = 0;
    char *deck = big_deck(2000, &len);
    alliance_import_report *report = NULL;
    int rc = alliance_deck_import_buffer(db, "big.deck", deck, len, NULL, NOW, &report);
    ck_assert_msg(rc == 0, "import with room: %d %s", rc, alliance_errmsg(db));
    ck_assert_uint_eq(report->added, 2000);
    alliance_free(report);
    free(deck);
    alliance_close(db);
    free(before);
}
END_TEST

static void answer_on_full_disk(const char *path, char *result, size_t size)
{
    alliance_open_options options = rel_options(ALLIANCE_SYNC_FULL);
    alliance_db *db = NULL;
    int rc = alliance_open(&db, path, &options);
    if (rc) {
        snprintf(result, size, "open: %d %s", rc, alliance_errmsg(db));
        return;
    }
    alliance_card *card = NULL; /* a read first: the WAL index exists before the limit */
    rc = alliance_card_get(db, "k0000", &card);
    alliance_free(card);
    if (rc) {
        snprintf(result, size, "card_get: %d %s", rc, alliance_errmsg(db));
        alliance_close(db);
        return;
    }
    /* The first rounds: no file may grow at all; the last: the WAL may grow by a part of a
     * frame, so a write stops part-way. (A real full disk, ENOSPC, is SQLITE_FULL instead: the
     * errors suite checks that that message names the file too.) */
    limit_file_size(1);
    size_t used = 0;
    for (int i = 0; i < 6 && !used; i++) {
        if (i == 5) {
            char wal[4300];
            snprintf(wal, sizeof wal, "%s-wal", path);
            limit_file_size(file_size(wal) + 1000);
        }
        rc = alliance_answer(db, "k0000", 4, NOW + i, 0, NULL);
        if (i == 0 || i == 5)
            fprintf(stderr, "iofault: answer on a full disk: %d (%s): %s\n", rc, alliance_strerror(rc),
                    alliance_errmsg(db));
        if (!is_io_error(rc))
            used = (size_t)snprintf(result, size, "answer %d on a full disk returned %d (%s): %s", i, rc,
                                    alliance_strerror(rc), alliance_errmsg(db));
        else if (!strstr(alliance_errmsg(db), path))
            used = (size_t)snprintf(result, size, "answer %d on a full disk: the message does not name the file: %s",
                                    i, alliance_errmsg(db));
    }
    /* The failed answers left the handle usable for reading. */
    if (!used && (rc = alliance_card_get(db, "k0000", &card)) != 0)
        snprintf(result, size, "card_get after the failures: %d %s", rc, alliance_errmsg(db));
    else if (!used && card->reviews != 0)
        snprintf(result, size, "the handle sees %u reviews after failed answers", card->reviews);
    alliance_free(card);
    alliance_close(db);
}

START_TEST(disk_full_during_answer_loses_no_earlier_answer)
{
    const char *path = alliance_test_path("full-answer.alliance");
    ck_assert_int_eq(rel_make_collection(path, 5, ALLIANCE_TEST_NOW), 0);
    char *before = rel_dump(path);
    char result[1024];
    run_in_child(answer_on_full_disk, path, result, sizeof result);
    ck_assert_msg(result[0] == '\0', "%s", result);
    assert_intact(path, before);
    free(before);
}
END_TEST

/* ---- read-only ---- */

START_TEST(a_collection_opened_readonly_refuses_every_write)
{
    const char *path = alliance_test_path("readonly-flag.alliance");
    ck_assert_int_eq(rel_make_collection(path, 5, ALLIANCE_TEST_NOW), 0);
    char *before = rel_dump(path);
    alliance_open_options options = rel_options(ALLIANCE_SYNC_FULL);
    options.flags = ALLIANCE_OPEN_READONLY;
    alliance_db *db = NULL;
    int rc = alliance_open(&db, path, &options);
    ck_assert_msg(rc == 0, "open read-only: %d %s", rc, alliance_errmsg(db));
    alliance_card *card = NULL;
    ck_assert_int_eq(alliance_card_get(db, "k0000", &card), 0); /* reading works */
    alliance_free(card);
    ck_assert_int_eq(alliance_answer(db, "k0000", 4, NOW, 0, NULL), ALLIANCE_EREADONLY);
    ck_assert_str_ne(alliance_errmsg(db), "not an error");
    alliance_note note;
    alliance_note_init(&note, ALLIANCE_NOTE_VERSION);
    note.type = ALLIANCE_CARD_BASIC;
    note.id = "new";
    note.front = "f";
    note.back = "b";
    int64_t deck = 0;
    ck_assert_int_eq(alliance_deck_id(db, "test deck", 0, &deck), 0);
    ck_assert_int_eq(alliance_note_add(db, deck, &note, NOW), ALLIANCE_EREADONLY);
    ck_assert_int_eq(alliance_deck_id(db, "another deck", 1, &deck), ALLIANCE_EREADONLY);
    ck_assert_int_eq(alliance_card_suspend(db, "k0001", 1, NOW), ALLIANCE_EREADONLY);
    ck_assert_int_eq(alliance_card_bury(db, "k0001", NOW), ALLIANCE_EREADONLY);
    alliance_config config;
    alliance_config_init(&config, ALLIANCE_CONFIG_VERSION);
    ck_assert_int_eq(alliance_config_set(db, &config), ALLIANCE_EREADONLY);
    static const char text[] = "deck: New\n\ncard: n\ntype: basic\nfront: f\nback: b\n";
    ck_assert_int_eq(alliance_deck_import_buffer(db, "n.deck", text, sizeof text - 1, NULL, NOW, NULL),
                     ALLIANCE_EREADONLY);
    alliance_close(db);
    assert_intact(path, before);
    free(before);
}
END_TEST

START_TEST(opening_readonly_a_file_that_does_not_exist_creates_nothing)
{
    const char *path = alliance_test_path("never-created.alliance");
    alliance_open_options options = rel_options(ALLIANCE_SYNC_FULL);
    options.flags = ALLIANCE_OPEN_READONLY;
    alliance_db *db = NULL;
    int rc = alliance_open(&db, path, &options);
    ck_assert_msg(rc == ALLIANCE_ENOTFOUND, "open read-only of a missing file: %d %s", rc, alliance_errmsg(db));
    alliance_close(db);
    options.flags = 0; /* without ALLIANCE_OPEN_CREATE either */
    rc = alliance_open(&db, path, &options);
    ck_assert_msg(rc == ALLIANCE_ENOTFOUND, "open without CREATE of a missing file: %d %s", rc,
                  alliance_errmsg(db));
    alliance_close(db);
    ck_assert_int_eq(access(path, F_OK), -1);
}
END_TEST

static void write_to_readonly_file(const char *path, char *result, size_t size)
{
    if (geteuid() == 0) {
        /* Root ignores file modes: become nobody so that 0444 means what it says. */
        if (setgid(65534) != 0 || setuid(65534) != 0) {
            snprintf(result, size, "cannot drop root privileges");
            return;
        }
    }
    alliance_open_options options = rel_options(ALLIANCE_SYNC_FULL);
    alliance_db *db = NULL;
    int rc = alliance_open(&db, path, &options);
    fprintf(stderr, "iofault: open of a 0444 file as uid %d: %d %s\n", (int)geteuid(), rc, alliance_errmsg(db));
    if (rc != 0 && rc != ALLIANCE_EREADONLY) {
        snprintf(result, size, "open of a 0444 file: %d (%s), want 0 or ALLIANCE_EREADONLY: %s", rc,
                 alliance_strerror(rc), alliance_errmsg(db));
    } else if (rc == 0) {
        /* Opened: reading works, writing is refused with its own code. */
        alliance_card *card = NULL;
        rc = alliance_card_get(db, "k0000", &card);
        alliance_free(card);
        if (rc)
            snprintf(result, size, "reading a 0444 collection: %d %s", rc, alliance_errmsg(db));
        else if ((rc = alliance_answer(db, "k0000", 4, NOW, 0, NULL)) != ALLIANCE_EREADONLY)
            snprintf(result, size, "answer in a 0444 collection: %d (%s), want ALLIANCE_EREADONLY: %s", rc,
                     alliance_strerror(rc), alliance_errmsg(db));
    } else if (strstr(alliance_errmsg(db), path) == NULL) {
        snprintf(result, size, "the message does not name the file: %s", alliance_errmsg(db));
    }
    alliance_close(db);
}

START_TEST(a_readonly_file_is_refused_for_writing_with_ereadonly)
{
    /* A directory of its own that the unprivileged child may enter but not write. */
    const char *dir = alliance_test_path("readonly-dir");
    ck_assert_int_eq(mkdir(dir, 0755), 0);
    ck_assert_int_eq(chmod(alliance_test_tmpdir(), 0755), 0);
    char path[4300];
    snprintf(path, sizeof path, "%s/ro.alliance", dir);
    ck_assert_int_eq(rel_make_collection(path, 5, ALLIANCE_TEST_NOW), 0);
    char *before = rel_dump(path);
    ck_assert_int_eq(chmod(path, 0444), 0);
    ck_assert_int_eq(chmod(dir, 0555), 0);
    char result[1024];
    run_in_child(write_to_readonly_file, path, result, sizeof result);
    ck_assert_int_eq(chmod(dir, 0755), 0);
    ck_assert_int_eq(chmod(path, 0644), 0);
    ck_assert_msg(result[0] == '\0', "%s", result);
    assert_intact(path, before);
    free(before);
}
END_TEST

/* ---- not a file, not a collection ---- */

START_TEST(a_directory_where_the_file_should_be_gives_eio)
{
    const char *path = alliance_test_path("i-am-a-directory");
    ck_assert_int_eq(mkdir(path, 0700), 0);
    alliance_db *db = NULL;
    int rc = alliance_open(&db, path, NULL);
    ck_assert_msg(rc == ALLIANCE_EIO, "open of a directory: %d (%s) %s", rc, alliance_strerror(rc),
                  alliance_errmsg(db));
    ck_assert_msg(strstr(alliance_errmsg(db), path) != NULL, "the message does not name the path: %s",
                  alliance_errmsg(db));
    alliance_close(db);
}
END_TEST

/* Bytes of a file, to prove a refused file was not modified. */
static char *read_all(const char *path, size_t *len)
{
    char *data = alliance_test_read_file(path, len);
    ck_assert_ptr_nonnull(data);
    return data;
}

static void assert_refused_untouched(const char *path, int want, const char *what)
{
    size_t len_before = 0, len_after = 0;
    char *bytes_before = read_all(path, &len_before);
    alliance_db *db = NULL;
    int rc = alliance_open(&db, path, NULL);
    ck_assert_msg(rc == want, "%s: open returned %d (%s), want %s; %s", what, rc, alliance_strerror(rc),
                  alliance_strerror(want), alliance_errmsg(db));
    ck_assert_str_ne(alliance_errmsg(db), "not an error");
    alliance_close(db);
    char *bytes_after = read_all(path, &len_after);
    ck_assert_msg(len_before == len_after && memcmp(bytes_before, bytes_after, len_before) == 0,
                  "%s: the refused file was modified", what);
    free(bytes_before);
    free(bytes_after);
}

START_TEST(a_text_file_is_not_a_collection_and_is_left_untouched)
{
    const char *path = alliance_test_path("notes.txt");
    FILE *f = fopen(path, "wb");
    fputs("deck: this is a deck file, not a collection\n\ncard: x\ntype: basic\nfront: f\nback: b\n", f);
    fclose(f);
    assert_refused_untouched(path, ALLIANCE_ENOTCOLLECTION, "a text file");
}
END_TEST

START_TEST(a_foreign_sqlite_file_is_not_a_collection_and_is_left_untouched)
{
    const char *path = alliance_test_path("foreign.sqlite");
    sqlite3 *raw = NULL;
    ck_assert_int_eq(sqlite3_open(path, &raw), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(raw, "CREATE TABLE t(x); INSERT INTO t VALUES (1)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);
    assert_refused_untouched(path, ALLIANCE_ENOTCOLLECTION, "a foreign SQLite file");
}
END_TEST

/* ---- damaged files ---- */

static const int damage_codes[] = {ALLIANCE_OK, ALLIANCE_DONE, ALLIANCE_ECORRUPT, ALLIANCE_ENOTCOLLECTION,
                                   ALLIANCE_ENOTFOUND, ALLIANCE_ENOTDUE, ALLIANCE_ESTATE};

static long damage_errors; /* calls that reported the damage (any negative code) */

static int damage_code_ok(int rc)
{
    if (rc < 0)
        damage_errors++;
    for (size_t i = 0; i < sizeof damage_codes / sizeof damage_codes[0]; i++)
        if (rc == damage_codes[i])
            return 1;
    return 0;
}

#define DAMAGE_CHECK(call, what)                                                                 \
    do {                                                                                         \
        int rc_ = (call);                                                                        \
        ck_assert_msg(damage_code_ok(rc_), "%s: %s returned %d (%s): %s", what, #call, rc_,     \
                      alliance_strerror(rc_), alliance_errmsg(db));                              \
        if (rc_ < 0)                                                                             \
            ck_assert_str_ne(alliance_errmsg(db), "not an error");                               \
    } while (0)

/* Uses a damaged collection every way a learner's app would: each call either
 * works or fails with a documented code and a message; nothing crashes. */
static void exercise(const char *path, const char *what)
{
    alliance_open_options options = rel_options(ALLIANCE_SYNC_FULL);
    options.flags = 0; /* never create over a damaged file */
    alliance_db *db = NULL;
    int rc = alliance_open(&db, path, &options);
    DAMAGE_CHECK(rc, what);
    if (rc == 0) {
        uint64_t mismatches = 0;
        DAMAGE_CHECK(alliance_verify(db, &mismatches), what);
        alliance_stats stats;
        alliance_stats_init(&stats, ALLIANCE_STATS_VERSION);
        DAMAGE_CHECK(alliance_stats_get(db, 0, NOW, 30, &stats), what);
        uint32_t forecast[7];
        DAMAGE_CHECK(alliance_forecast(db, 0, NOW, forecast, 7), what);
        alliance_card_iter *iter = NULL;
        rc = alliance_card_search(&iter, db, 0, "question");
        DAMAGE_CHECK(rc, what);
        alliance_card *card = NULL;
        for (int i = 0; rc == 0 && i < 1000; i++) {
            rc = alliance_card_iter_next(iter, &card);
            DAMAGE_CHECK(rc, what);
            alliance_free(card);
            card = NULL;
        }
        alliance_card_iter_free(iter);
        alliance_session *session = NULL;
        rc = alliance_session_open(&session, db, 0, NOW);
        DAMAGE_CHECK(rc, what);
        if (rc == 0) {
            rc = alliance_session_next(session, NOW, &card);
            DAMAGE_CHECK(rc, what);
            if (rc == 0)
                DAMAGE_CHECK(alliance_session_answer(session, card->id, 3, NOW, 0, NULL), what);
            alliance_free(card);
        }
        alliance_session_close(session);
        /* The whole log, bounded: a damaged file must end the iteration, not loop. */
        alliance_review_iter *log = NULL;
        rc = alliance_review_iter_open(&log, db, NULL);
        DAMAGE_CHECK(rc, what);
        alliance_review review;
        memset(&review, 0, sizeof review);
        review.version = ALLIANCE_REVIEW_VERSION;
        long rows = 0;
        while (rc == 0 && (rc = alliance_review_iter_next(log, &review)) == 0)
            ck_assert_msg(++rows <= 100000, "%s: the review log iterator does not end", what);
        DAMAGE_CHECK(rc, what);
        alliance_review_iter_free(log);
    }
    alliance_close(db);
}

static void copy_bytes(const char *to, const char *data, size_t len)
{
    /* A WAL left by the previous variant would be replayed onto these bytes. */
    char side[4300];
    snprintf(side, sizeof side, "%s-wal", to);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", to);
    unlink(side);
    FILE *f = fopen(to, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

static char *answered_collection(const char *name, size_t *len)
{
    const char *path = alliance_test_path(name);
    ck_assert_int_eq(rel_make_collection(path, 150, ALLIANCE_TEST_NOW), 0);
    alliance_open_options options = rel_options(ALLIANCE_SYNC_FULL);
    alliance_db *db = NULL;
    ck_assert_int_eq(alliance_open(&db, path, &options), 0);
    for (unsigned i = 0; i < 150; i += 3) {
        char id[16];
        rel_card_id(id, sizeof id, "k", i);
        ck_assert_int_eq(alliance_answer(db, id, (int)(i % 6), ALLIANCE_TEST_NOW, 0, NULL), 0);
    }
    alliance_close(db);
    return read_all(path, len);
}

START_TEST(a_truncated_collection_gives_a_clear_error)
{
    size_t len = 0;
    char *good = answered_collection("truncate-source.alliance", &len);
    ck_assert_uint_gt(len, 8 * 4096);
    const size_t cuts[] = {50, 100, 4096, 4096 + 1000, len / 2, len - 4096, len - 1};
    const char *path = alliance_test_path("truncated.alliance");
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        char what[64];
        snprintf(what, sizeof what, "truncated to %zu of %zu bytes", cuts[i], len);
        copy_bytes(path, good, cuts[i]);
        exercise(path, what);
    }
    free(good);
}
END_TEST

START_TEST(a_damaged_header_is_refused_untouched)
{
    size_t len = 0;
    char *bytes = answered_collection("header-source.alliance", &len);
    const char *path = alliance_test_path("bad-magic.alliance");
    memcpy(bytes, "SQLite format 4", 15); /* the magic string */
    copy_bytes(path, bytes, len);
    assert_refused_untouched(path, ALLIANCE_ENOTCOLLECTION, "a file with a damaged magic string");
    free(bytes);
}
END_TEST

START_TEST(corrupted_bytes_never_crash_the_library)
{
    size_t len = 0;
    char *good = answered_collection("corrupt-source.alliance", &len);
    const char *path = alliance_test_path("corrupted.alliance");
    uint64_t seed = 42;
    long variants = rel_env_long("ALLIANCE_IOFAULT_CORRUPTIONS", 60);
    for (long v = 0; v < variants; v++) {
        char *bad = malloc(len);
        ck_assert_ptr_nonnull(bad);
        memcpy(bad, good, len);
        /* A burst of random bytes somewhere after the 100-byte database header:
         * b-tree pages, free pages, overflow pages, the schema page. */
        size_t at = 100 + (size_t)(rel_rand(&seed) % (len - 200));
        size_t n = 1 + (size_t)(rel_rand(&seed) % 64);
        for (size_t i = 0; i < n && at + i < len; i++)
            bad[at + i] = (char)rel_rand(&seed);
        copy_bytes(path, bad, len);
        char what[96];
        snprintf(what, sizeof what, "%zu random bytes at offset %zu (variant %ld)", n, at, v);
        exercise(path, what);
        free(bad);
    }
    fprintf(stderr, "iofault: %ld corrupted files, %ld calls reported the damage\n", variants, damage_errors);
    free(good);
}
END_TEST

static Suite *iofault_suite(void)
{
    Suite *s = suite_create("iofault");
    TCase *tc = tcase_create("iofault");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, disk_full_during_import_writes_nothing);
    tcase_add_test(tc, disk_full_during_answer_loses_no_earlier_answer);
    tcase_add_test(tc, a_collection_opened_readonly_refuses_every_write);
    tcase_add_test(tc, opening_readonly_a_file_that_does_not_exist_creates_nothing);
    tcase_add_test(tc, a_readonly_file_is_refused_for_writing_with_ereadonly);
    tcase_add_test(tc, a_directory_where_the_file_should_be_gives_eio);
    tcase_add_test(tc, a_text_file_is_not_a_collection_and_is_left_untouched);
    tcase_add_test(tc, a_foreign_sqlite_file_is_not_a_collection_and_is_left_untouched);
    tcase_add_test(tc, a_truncated_collection_gives_a_clear_error);
    tcase_add_test(tc, a_damaged_header_is_refused_untouched);
    tcase_add_test(tc, corrupted_bytes_never_crash_the_library);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return alliance_test_run(iofault_suite());
}
