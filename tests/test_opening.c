/* SPDX-License-Identifier: MIT */
/*
 * opening: what alliance_open does with every kind of path it can be given.
 * A file that is not ours is recognised from its bytes before SQLite may
 * recover anything, and is left byte-for-byte as it was, with its journal or
 * write-ahead log; what is not a regular file is refused before SQLite touches
 * it; a file-system failure gets its own code and a message naming the file
 * and the OS's reason; a read-only open reads even where nothing can be
 * written (a read-only directory, a full disk).
 *
 * Permissions do not bind root (CI runs as root), so those cases run in a child
 * that first becomes an unprivileged user; a full disk is a file-size limit
 * (RLIMIT_FSIZE) in a child, as in the iofault suite.
 */
#include "reliability.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOW (ALLIANCE_TEST_NOW + ALLIANCE_TEST_DAY)

typedef void (*child_fn)(const char *path, char *result, size_t size);

/* Runs fn(path) in a child (with an alarm: a blocked open fails the test); returns its result text. */
static void run_in_child(child_fn fn, const char *path, char *result, size_t size)
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(fds[0]);
        alarm(30);
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

/* As root, becomes `nobody` so that file modes bind; "" or why it could not. */
static const char *drop_root(void)
{
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
        return "cannot drop root privileges";
    return "";
}

static alliance_open_options options_with(uint32_t flags)
{
    alliance_open_options options = rel_options(ALLIANCE_SYNC_FULL);
    options.flags = flags;
    return options;
}

/* A directory of the test's own that `nobody` may enter. */
static const char *open_dir(const char *name)
{
    ck_assert_int_eq(chmod(alliance_test_tmpdir(), 0755), 0);
    const char *dir = alliance_test_path(name);
    ck_assert_int_eq(mkdir(dir, 0755), 0);
    return dir;
}

static char *bytes_of(const char *path, size_t *len)
{
    char *data = alliance_test_read_file(path, len);
    ck_assert_msg(data != NULL, "cannot read %s", path);
    return data;
}

static void assert_same_bytes(const char *path, const char *before, size_t len, const char *what)
{
    size_t now_len = 0;
    char *now = alliance_test_read_file(path, &now_len);
    ck_assert_msg(now != NULL, "%s: %s is gone", what, path);
    ck_assert_msg(now_len == len && memcmp(now, before, len) == 0, "%s: %s was modified", what, path);
    free(now);
}

/* ---- foreign files with a pending journal or write-ahead log ---- */

/* In a child: a foreign database (not ours) in the middle of a transaction whose changed
 * pages were already written to the file (a tiny page cache spills them), then the process
 * dies: the file is changed and its rollback journal is hot. */
static void foreign_with_hot_journal(const char *path)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        sqlite3 *raw = NULL;
        if (sqlite3_open(path, &raw) != SQLITE_OK ||
            sqlite3_exec(raw, "PRAGMA journal_mode = DELETE; PRAGMA application_id = 7;"
                              "CREATE TABLE t (x TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
                              "FROM n WHERE i < 200) INSERT INTO t SELECT printf('row %d %0400d', i, i) FROM n;",
                         NULL, NULL, NULL) != SQLITE_OK)
            _exit(1);
        if (sqlite3_exec(raw, "PRAGMA cache_size = 2; BEGIN; UPDATE t SET x = upper(x) || 'changed';", NULL, NULL,
                         NULL) != SQLITE_OK)
            _exit(2);
        _exit(0); /* dies in the middle of the transaction */
    }
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "making the foreign file failed (%d)", status);
}

START_TEST(a_foreign_database_with_a_hot_journal_is_left_untouched)
{
    const char *dir = open_dir("hot-journal");
    char path[4300], journal[4400];
    snprintf(path, sizeof path, "%s/foreign.db", dir);
    snprintf(journal, sizeof journal, "%s-journal", path);
    foreign_with_hot_journal(path);
    size_t len = 0, jlen = 0;
    char *before = bytes_of(path, &len);
    char *jbefore = bytes_of(journal, &jlen);
    ck_assert_uint_gt(jlen, 0);
    for (int readonly = 0; readonly <= 1; readonly++) {
        alliance_open_options options = options_with(readonly ? ALLIANCE_OPEN_READONLY : 0);
        alliance_db *db = NULL;
        int rc = alliance_open(&db, path, &options);
        ck_assert_msg(rc == ALLIANCE_ENOTCOLLECTION, "%s open: %d (%s) %s", readonly ? "read-only" : "read-write", rc,
                      alliance_strerror(rc), alliance_errmsg(db));
        ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "left untouched"));
        ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), path));
        alliance_close(db);
        assert_same_bytes(path, before, len, "the foreign file");
        assert_same_bytes(journal, jbefore, jlen, "its journal");
    }
    free(before);
    free(jbefore);
}
END_TEST

START_TEST(a_foreign_database_with_a_pending_wal_is_left_untouched)
{
    const char *dir = open_dir("pending-wal");
    char path[4300], wal[4400];
    snprintf(path, sizeof path, "%s/foreign-wal.db", dir);
    snprintf(wal, sizeof wal, "%s-wal", path);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        sqlite3 *raw = NULL;
        if (sqlite3_open(path, &raw) != SQLITE_OK ||
            sqlite3_exec(raw, "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (x);"
                              "INSERT INTO t VALUES (1), (2), (3);", NULL, NULL, NULL) != SQLITE_OK)
            _exit(1);
        _exit(0); /* no checkpoint: the rows are only in the -wal */
    }
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_int_eq(status, 0);
    size_t len = 0, wlen = 0;
    char *before = bytes_of(path, &len);
    char *wbefore = bytes_of(wal, &wlen);
    ck_assert_uint_gt(wlen, 0);
    for (int readonly = 0; readonly <= 1; readonly++) {
        alliance_open_options options = options_with(readonly ? ALLIANCE_OPEN_READONLY : 0);
        alliance_db *db = NULL;
        int rc = alliance_open(&db, path, &options);
        ck_assert_msg(rc == ALLIANCE_ENOTCOLLECTION, "open: %d (%s) %s", rc, alliance_strerror(rc), alliance_errmsg(db));
        alliance_close(db);
        assert_same_bytes(path, before, len, "the foreign file");
        assert_same_bytes(wal, wbefore, wlen, "its write-ahead log");
    }
    free(before);
    free(wbefore);
}
END_TEST

/* ---- what is not a regular file ---- */

/* In a child: SQLite would block reading a FIFO for ever (the alarm ends that). */
static void open_fifo(const char *fifo, char *result, size_t size)
{
    for (int readonly = 0; readonly <= 1 && !result[0]; readonly++) {
        alliance_open_options options = options_with(readonly ? ALLIANCE_OPEN_READONLY : ALLIANCE_OPEN_CREATE);
        alliance_db *db = NULL;
        int rc = alliance_open(&db, fifo, &options);
        if (rc != ALLIANCE_ENOTCOLLECTION || !strstr(alliance_errmsg(db), "not a regular file"))
            snprintf(result, size, "open of a FIFO: %d (%s) %s", rc, alliance_strerror(rc), alliance_errmsg(db));
        alliance_close(db);
    }
}

START_TEST(a_fifo_or_a_device_is_refused_before_sqlite_touches_it)
{
    const char *fifo = alliance_test_path("a-fifo");
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    char result[1024];
    run_in_child(open_fifo, fifo, result, sizeof result);
    ck_assert_msg(result[0] == '\0', "%s", result);
    char journal[4400];
    snprintf(journal, sizeof journal, "%s-journal", fifo);
    ck_assert_int_eq(access(journal, F_OK), -1);
    /* /dev/null: SQLite would read it as an empty database and write /dev/null-journal. */
    int had_journal = access("/dev/null-journal", F_OK) == 0;
    alliance_open_options options = options_with(ALLIANCE_OPEN_CREATE);
    alliance_db *db = NULL;
    int rc = alliance_open(&db, "/dev/null", &options);
    int made_journal = !had_journal && access("/dev/null-journal", F_OK) == 0;
    if (made_journal)
        unlink("/dev/null-journal");
    ck_assert_msg(rc == ALLIANCE_ENOTCOLLECTION, "open of /dev/null: %d (%s) %s", rc, alliance_strerror(rc),
                  alliance_errmsg(db));
    ck_assert_msg(!made_journal, "opening /dev/null made /dev/null-journal");
    alliance_close(db);
}
END_TEST

START_TEST(our_application_id_without_our_tables_is_refused_at_open)
{
    const char *path = alliance_test_path("ours-but-empty.alliance");
    sqlite3 *raw = NULL;
    ck_assert_int_eq(sqlite3_open(path, &raw), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(raw, "PRAGMA application_id = 1095519321; PRAGMA user_version = 1;"
                                       "CREATE TABLE unrelated (x);", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);
    alliance_db *db = NULL;
    int rc = alliance_open(&db, path, NULL);
    ck_assert_msg(rc == ALLIANCE_ECORRUPT, "open: %d (%s) %s", rc, alliance_strerror(rc), alliance_errmsg(db));
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), path));
    alliance_close(db);
}
END_TEST

/* ---- what the file system refuses ---- */

static void open_readonly_in_readonly_dir(const char *path, char *result, size_t size)
{
    const char *failed = drop_root();
    if (failed[0]) {
        snprintf(result, size, "%s", failed);
        return;
    }
    alliance_open_options options = options_with(ALLIANCE_OPEN_READONLY);
    alliance_db *db = NULL;
    int rc = alliance_open(&db, path, &options);
    alliance_card *card = NULL;
    if (rc)
        snprintf(result, size, "read-only open in a read-only directory: %d (%s) %s", rc, alliance_strerror(rc),
                 alliance_errmsg(db));
    else if ((rc = alliance_card_get(db, "k0001", &card)) != 0)
        snprintf(result, size, "reading: %d %s", rc, alliance_errmsg(db));
    else if ((rc = alliance_answer(db, "k0001", 4, NOW, 0, NULL)) != ALLIANCE_EREADONLY)
        snprintf(result, size, "an answer: %d (%s), want ALLIANCE_EREADONLY", rc, alliance_strerror(rc));
    alliance_free(card);
    alliance_close(db);
}

START_TEST(a_readonly_open_reads_a_collection_in_a_readonly_directory)
{
    const char *dir = open_dir("readonly-directory");
    char path[4300];
    snprintf(path, sizeof path, "%s/c.alliance", dir);
    ck_assert_int_eq(rel_make_collection(path, 5, ALLIANCE_TEST_NOW), 0);
    size_t len = 0;
    char *before = bytes_of(path, &len);
    ck_assert_int_eq(chmod(dir, 0555), 0);
    char result[1024];
    run_in_child(open_readonly_in_readonly_dir, path, result, sizeof result);
    ck_assert_int_eq(chmod(dir, 0755), 0);
    ck_assert_msg(result[0] == '\0', "%s", result);
    assert_same_bytes(path, before, len, "the collection");
    free(before);
}
END_TEST

static void open_behind_closed_dir(const char *path, char *result, size_t size)
{
    const char *failed = drop_root();
    if (failed[0]) {
        snprintf(result, size, "%s", failed);
        return;
    }
    for (int readonly = 0; readonly <= 1 && !result[0]; readonly++) {
        alliance_open_options options = options_with(readonly ? ALLIANCE_OPEN_READONLY : ALLIANCE_OPEN_CREATE);
        alliance_db *db = NULL;
        int rc = alliance_open(&db, path, &options);
        const char *msg = alliance_errmsg(db);
        if (rc != ALLIANCE_EIO || !strstr(msg, path) || !strstr(msg, strerror(EACCES)))
            snprintf(result, size, "a directory without search permission: %d (%s) %s; want ALLIANCE_EIO naming the "
                     "file and \"%s\"", rc, alliance_strerror(rc), msg, strerror(EACCES));
        alliance_close(db);
    }
}

START_TEST(a_directory_without_search_permission_is_eio_with_the_reason)
{
    const char *dir = open_dir("no-search");
    char path[4300];
    snprintf(path, sizeof path, "%s/c.alliance", dir);
    ck_assert_int_eq(rel_make_collection(path, 2, ALLIANCE_TEST_NOW), 0);
    ck_assert_int_eq(chmod(dir, 0600), 0);
    char result[1024];
    run_in_child(open_behind_closed_dir, path, result, sizeof result);
    ck_assert_int_eq(chmod(dir, 0755), 0);
    ck_assert_msg(result[0] == '\0', "%s", result);
}
END_TEST

START_TEST(a_symlink_loop_is_eio_with_the_reason)
{
    const char *a = alliance_test_path("loop-a");
    const char *b = alliance_test_path("loop-b");
    ck_assert_int_eq(symlink(b, a), 0);
    ck_assert_int_eq(symlink(a, b), 0);
    for (int create = 0; create <= 1; create++) {
        alliance_open_options options = options_with(create ? ALLIANCE_OPEN_CREATE : 0);
        alliance_db *db = NULL;
        int rc = alliance_open(&db, a, &options);
        ck_assert_msg(rc == ALLIANCE_EIO, "open of a symlink loop: %d (%s) %s", rc, alliance_strerror(rc),
                      alliance_errmsg(db));
        ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), a));
        ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), strerror(ELOOP)));
        alliance_close(db);
    }
}
END_TEST

static void limit_file_size(off_t limit)
{
    signal(SIGXFSZ, SIG_IGN); /* a write past the limit then fails with EFBIG instead of killing us */
    struct rlimit rl = {(rlim_t)limit, (rlim_t)limit};
    setrlimit(RLIMIT_FSIZE, &rl);
}

static void open_on_full_disk(const char *path, char *result, size_t size)
{
    limit_file_size(1); /* no file may grow: not even the WAL index (-shm) */
    alliance_open_options options = options_with(ALLIANCE_OPEN_READONLY);
    alliance_db *db = NULL;
    int rc = alliance_open(&db, path, &options);
    alliance_card *card = NULL;
    if (rc)
        snprintf(result, size, "read-only open on a full disk: %d (%s) %s", rc, alliance_strerror(rc),
                 alliance_errmsg(db));
    else if ((rc = alliance_card_get(db, "k0001", &card)) != 0)
        snprintf(result, size, "reading on a full disk: %d %s", rc, alliance_errmsg(db));
    alliance_free(card);
    card = NULL;
    alliance_close(db);
    if (result[0])
        return;
    /* A read-write open needs the WAL index: the disk is full, and the message says so and where. */
    options = options_with(0);
    rc = alliance_open(&db, path, &options);
    if (rc == 0)
        rc = alliance_card_get(db, "k0001", &card);
    alliance_free(card);
    const char *msg = alliance_errmsg(db);
    if (rc != 0 && (rc != ALLIANCE_EFULL || !strstr(msg, path) || !strstr(msg, "full")))
        snprintf(result, size, "read-write open on a full disk: %d (%s) %s; want 0 or ALLIANCE_EFULL naming the file",
                 rc, alliance_strerror(rc), msg);
    alliance_close(db);
}

START_TEST(a_full_disk_still_lets_a_collection_be_read)
{
    const char *path = alliance_test_path("full-open.alliance");
    ck_assert_int_eq(rel_make_collection(path, 5, ALLIANCE_TEST_NOW), 0);
    size_t len = 0;
    char *before = bytes_of(path, &len);
    char result[1024];
    run_in_child(open_on_full_disk, path, result, sizeof result);
    ck_assert_msg(result[0] == '\0', "%s", result);
    assert_same_bytes(path, before, len, "the collection");
    free(before);
}
END_TEST

static Suite *opening_suite(void)
{
    Suite *s = suite_create("opening");
    TCase *tc = tcase_create("opening");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, a_foreign_database_with_a_hot_journal_is_left_untouched);
    tcase_add_test(tc, a_foreign_database_with_a_pending_wal_is_left_untouched);
    tcase_add_test(tc, a_fifo_or_a_device_is_refused_before_sqlite_touches_it);
    tcase_add_test(tc, our_application_id_without_our_tables_is_refused_at_open);
    tcase_add_test(tc, a_readonly_open_reads_a_collection_in_a_readonly_directory);
    tcase_add_test(tc, a_directory_without_search_permission_is_eio_with_the_reason);
    tcase_add_test(tc, a_symlink_loop_is_eio_with_the_reason);
    tcase_add_test(tc, a_full_disk_still_lets_a_collection_be_read);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return alliance_test_run(opening_suite());
}
