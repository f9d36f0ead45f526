/* SPDX-License-Identifier: MIT */
/*
 * concurrency: answers given at the same time all land, none is lost, none
 * corrupts the schedule.
 *
 * Two processes (fork) answer the same cards of one collection as fast as they
 * can, each on its own handle: a writer that finds the file locked waits (the
 * busy timeout) instead of failing, every answer acknowledged by either
 * process is in the log, and every card's state equals the replay of its log
 * (alliance_verify: a lost update - two answers computed from the same state -
 * would break the chain). Then one handle is shared by several threads at once
 * (the handle serialises calls with its mutex, as alliance.h documents):
 * every thread's answers land, and readers on the same handle never see a
 * half-done answer.
 */
#include "reliability.h"

#include <pthread.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NCARDS 12
#define ANSWERS_PER_WORKER 150

/* Answers cards round-robin (starting at `offset`) with grades 0..3, which
 * keep a card due again today (SM-2's same-day repeat), so both workers keep
 * competing for the same cards. Another worker answering a card first is
 * fine (the card stays due); no other failure is. Returns answers acknowledged. */
static long answer_round_robin(alliance_db *db, unsigned offset, int64_t now, long answers, char *err,
                               size_t errsize)
{
    long acked = 0;
    for (long i = 0; i < answers; i++) {
        char id[16];
        rel_card_id(id, sizeof id, "k", (unsigned)((offset + (unsigned long)i) % NCARDS));
        int rc = alliance_answer(db, id, (int)(i % 4), now + i, 0, NULL);
        if (rc) {
            snprintf(err, errsize, "answer %s: %d (%s) %s", id, rc, alliance_strerror(rc), alliance_errmsg(db));
            return -1;
        }
        acked++;
    }
    return acked;
}

static void check_collection(alliance_db *db, long expected_answers)
{
    uint64_t mismatches = 99;
    int rc = alliance_verify(db, &mismatches);
    ck_assert_msg(rc == 0 && mismatches == 0, "verify: %d, %llu mismatches: %s", rc,
                  (unsigned long long)mismatches, alliance_errmsg(db));
    ck_assert_int_eq(rel_log_count(db, NULL), expected_answers);
    long per_card_sum = 0;
    for (unsigned c = 0; c < NCARDS; c++) {
        char id[16];
        rel_card_id(id, sizeof id, "k", c);
        alliance_card *card = NULL;
        ck_assert_int_eq(alliance_card_get(db, id, &card), 0);
        ck_assert_int_eq(card->reviews, rel_log_count(db, id));
        per_card_sum += card->reviews;
        alliance_free(card);
    }
    ck_assert_int_eq(per_card_sum, expected_answers);
}

START_TEST(two_processes_answering_at_once_lose_nothing)
{
    const char *path = alliance_test_path("two-processes.alliance");
    ck_assert_int_eq(rel_make_collection(path, NCARDS, ALLIANCE_TEST_NOW), 0);
    enum { WORKERS = 2 };
    int fds[WORKERS][2];
    pid_t pids[WORKERS];
    for (int w = 0; w < WORKERS; w++) {
        ck_assert_int_eq(pipe(fds[w]), 0);
        pids[w] = fork();
        ck_assert_int_ge(pids[w], 0);
        if (pids[w] == 0) {
            close(fds[w][0]);
            char result[512] = "";
            alliance_open_options options = rel_options(ALLIANCE_SYNC_FULL);
            alliance_db *db = NULL;
            long acked = -1;
            int rc = alliance_open(&db, path, &options);
            if (rc)
                snprintf(result, sizeof result, "open: %d %s", rc, alliance_errmsg(db));
            else
                acked = answer_round_robin(db, (unsigned)w * (NCARDS / 2), ALLIANCE_TEST_NOW + 3600,
                                           ANSWERS_PER_WORKER, result, sizeof result);
            if (alliance_close(db) != 0 && acked >= 0) {
                snprintf(result, sizeof result, "close failed");
                acked = -1;
            }
            char line[600];
            int n = snprintf(line, sizeof line, "%ld %s", acked, result);
            ssize_t written = write(fds[w][1], line, (size_t)n);
            _exit(written == n ? 0 : 1);
        }
        close(fds[w][1]);
    }
    long total = 0;
    for (int w = 0; w < WORKERS; w++) {
        char line[600] = "";
        ssize_t n = read(fds[w][0], line, sizeof line - 1);
        close(fds[w][0]);
        int status = 0;
        ck_assert_int_eq(waitpid(pids[w], &status, 0), pids[w]);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "worker %d died (status %d)", w, status);
        ck_assert_int_gt(n, 0);
        long acked = strtol(line, NULL, 10);
        ck_assert_msg(acked == ANSWERS_PER_WORKER, "worker %d: %s", w, line);
        total += acked;
    }
    char msg[256];
    ck_assert_msg(rel_integrity_ok(path, msg, sizeof msg), "integrity_check: %s", msg);
    alliance_open_options options = rel_options(ALLIANCE_SYNC_FULL);
    alliance_db *db = NULL;
    ck_assert_int_eq(alliance_open(&db, path, &options), 0);
    check_collection(db, total);
    alliance_close(db);
}
END_TEST

START_TEST(a_writer_waits_for_a_lock_instead_of_failing)
{
    /* A raw connection holds the write lock for a while; the library's answer must wait it out. */
    const char *path = alliance_test_path("busy.alliance");
    ck_assert_int_eq(rel_make_collection(path, NCARDS, ALLIANCE_TEST_NOW), 0);
    int ready[2];
    ck_assert_int_eq(pipe(ready), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(ready[0]);
        sqlite3 *raw = NULL;
        int ok = sqlite3_open(path, &raw) == SQLITE_OK &&
                 sqlite3_exec(raw, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
        ssize_t w = write(ready[1], ok ? "1" : "0", 1);
        (void)w;
        struct timespec pause = {0, 300 * 1000 * 1000};
        nanosleep(&pause, NULL);
        sqlite3_exec(raw, "COMMIT", NULL, NULL, NULL);
        sqlite3_close(raw);
        _exit(0);
    }
    close(ready[1]);
    char c = 0;
    ck_assert_int_eq(read(ready[0], &c, 1), 1);
    close(ready[0]);
    ck_assert_msg(c == '1', "the lock holder could not take the lock");
    alliance_open_options options = rel_options(ALLIANCE_SYNC_FULL);
    options.busy_timeout_ms = 5000;
    alliance_db *db = NULL;
    int rc = alliance_open(&db, path, &options);
    ck_assert_msg(rc == 0, "open while another connection writes: %d %s", rc, alliance_errmsg(db));
    rc = alliance_answer(db, "k0000", 4, ALLIANCE_TEST_NOW, 0, NULL);
    ck_assert_msg(rc == 0, "answer while locked: %d %s", rc, alliance_errmsg(db));
    int status = 0;
    waitpid(pid, &status, 0);
    ck_assert_int_eq(rel_log_count(db, "k0000"), 1);
    alliance_close(db);
}
END_TEST

START_TEST(a_lock_held_past_the_busy_timeout_gives_ebusy_and_changes_nothing)
{
    const char *path = alliance_test_path("busy-timeout.alliance");
    ck_assert_int_eq(rel_make_collection(path, NCARDS, ALLIANCE_TEST_NOW), 0);
    alliance_open_options options = rel_options(ALLIANCE_SYNC_FULL);
    options.busy_timeout_ms = 100;
    alliance_db *db = NULL;
    ck_assert_int_eq(alliance_open(&db, path, &options), 0);
    sqlite3 *raw = NULL;
    ck_assert_int_eq(sqlite3_open(path, &raw), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(raw, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    int rc = alliance_answer(db, "k0000", 4, ALLIANCE_TEST_NOW, 0, NULL);
    ck_assert_msg(rc == ALLIANCE_EBUSY, "answer past the busy timeout: %d %s", rc, alliance_errmsg(db));
    ck_assert_int_eq(sqlite3_exec(raw, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);
    ck_assert_int_eq(rel_log_count(db, "k0000"), 0);
    /* Once the lock is gone, the same answer goes through. */
    ck_assert_int_eq(alliance_answer(db, "k0000", 4, ALLIANCE_TEST_NOW, 0, NULL), 0);
    alliance_close(db);
}
END_TEST

/* ---- one handle, several threads ---- */

typedef struct worker {
    alliance_db *db;
    unsigned offset;
    long acked;
    char err[512];
} worker;

static void *answer_thread(void *arg)
{
    worker *w = arg;
    w->acked = answer_round_robin(w->db, w->offset, ALLIANCE_TEST_NOW + 3600, ANSWERS_PER_WORKER, w->err,
                                  sizeof w->err);
    return NULL;
}

typedef struct reader {
    alliance_db *db;
    volatile int *stop;
    long reads;
    char err[512];
} reader;

/* Reads through the same handle while the writers answer: every card seen must
 * have as many log rows as its review count (never half an answer). */
static void *read_thread(void *arg)
{
    reader *r = arg;
    while (!*r->stop && !r->err[0]) {
        alliance_card_iter *iter = NULL;
        int rc = alliance_card_search(&iter, r->db, 0, NULL);
        alliance_card *card = NULL;
        while (rc == 0 && (rc = alliance_card_iter_next(iter, &card)) == 0) {
            alliance_free(card);
            card = NULL;
        }
        alliance_card_iter_free(iter);
        if (rc != ALLIANCE_DONE) {
            snprintf(r->err, sizeof r->err, "search: %d %s", rc, alliance_errmsg(r->db));
            break;
        }
        alliance_stats stats;
        alliance_stats_init(&stats, ALLIANCE_STATS_VERSION);
        rc = alliance_stats_get(r->db, 0, ALLIANCE_TEST_NOW + 3600, 30, &stats);
        if (rc) {
            snprintf(r->err, sizeof r->err, "stats: %d %s", rc, alliance_errmsg(r->db));
            break;
        }
        if (stats.total != NCARDS)
            snprintf(r->err, sizeof r->err, "stats saw %u cards", stats.total);
        r->reads++;
    }
    return NULL;
}

START_TEST(one_handle_shared_by_threads_serialises_their_calls)
{
    const char *path = alliance_test_path("threads.alliance");
    ck_assert_int_eq(rel_make_collection(path, NCARDS, ALLIANCE_TEST_NOW), 0);
    alliance_open_options options = rel_options(ALLIANCE_SYNC_NORMAL);
    alliance_db *db = NULL;
    ck_assert_int_eq(alliance_open(&db, path, &options), 0);
    enum { WRITERS = 3 };
    worker workers[WRITERS];
    pthread_t threads[WRITERS + 1];
    volatile int stop = 0;
    reader r;
    memset(&r, 0, sizeof r);
    r.db = db;
    r.stop = &stop;
    ck_assert_int_eq(pthread_create(&threads[WRITERS], NULL, read_thread, &r), 0);
    for (int i = 0; i < WRITERS; i++) {
        memset(&workers[i], 0, sizeof workers[i]);
        workers[i].db = db;
        workers[i].offset = (unsigned)i * 4;
        ck_assert_int_eq(pthread_create(&threads[i], NULL, answer_thread, &workers[i]), 0);
    }
    long total = 0;
    for (int i = 0; i < WRITERS; i++) {
        pthread_join(threads[i], NULL);
        ck_assert_msg(workers[i].acked == ANSWERS_PER_WORKER, "thread %d: %s", i, workers[i].err);
        total += workers[i].acked;
    }
    stop = 1;
    pthread_join(threads[WRITERS], NULL);
    ck_assert_msg(!r.err[0], "reader: %s", r.err);
    ck_assert_int_gt(r.reads, 0);
    check_collection(db, total);
    alliance_close(db);
}
END_TEST

static Suite *concurrency_suite(void)
{
    Suite *s = suite_create("concurrency");
    TCase *tc = tcase_create("concurrency");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, two_processes_answering_at_once_lose_nothing);
    tcase_add_test(tc, a_writer_waits_for_a_lock_instead_of_failing);
    tcase_add_test(tc, a_lock_held_past_the_busy_timeout_gives_ebusy_and_changes_nothing);
    tcase_add_test(tc, one_handle_shared_by_threads_serialises_their_calls);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return alliance_test_run(concurrency_suite());
}
