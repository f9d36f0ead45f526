/* SPDX-License-Identifier: MIT */
/*
 * killloop: a learner's answers survive the process being killed at any moment.
 *
 * A child process drills a collection as fast as it can through the public API
 * (alliance_session_next / alliance_session_answer, and now and then
 * alliance_session_undo). Before each call it writes its intent to a pipe, and
 * after the call returned 0 its acknowledgement. The parent SIGKILLs the child
 * after a random (seeded) delay, then:
 *   - runs PRAGMA integrity_check through SQLite directly,
 *   - reopens the collection and reads the whole review log: for every card it
 *     must equal, row by row (grade and time), the answers the child
 *     acknowledged, except for the one call that was in flight when the kill
 *     came, which may have committed or not, but entirely or not at all;
 *   - checks each card's review count against its log and alliance_verify()
 *     reports 0 cards whose state differs from the replay of their log.
 * Kills: ALLIANCE_KILLLOOP_KILLS (default 200) per durability setting;
 * seed: ALLIANCE_KILLLOOP_SEED.
 *
 * synchronous=NORMAL must pass too: a killed process loses nothing the kernel
 * already has, and WAL with NORMAL only gives up the fsync that protects
 * against power loss (docs/reliability.md).
 */
#include "reliability.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NCARDS 40
#define MAX_DELAY_US 30000

enum { REC_INTENT_ANSWER = 1, REC_ACK_ANSWER, REC_INTENT_UNDO, REC_ACK_UNDO, REC_ERROR };

/* One pipe record; smaller than PIPE_BUF, so each write() is atomic. */
typedef struct record {
    uint32_t kind;
    int32_t grade;
    int64_t time;
    char id[48]; /* card id; for REC_ERROR the start of a message */
    char text[192];
} record;

/* ---- the child: drill until killed ---- */

static void send_record(int fd, const record *rec)
{
    const char *p = (const char *)rec;
    size_t left = sizeof *rec;
    while (left) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            _exit(4);
        p += n;
        left -= (size_t)n;
    }
}

static void child_fail(int fd, const char *what, int rc, alliance_db *db)
{
    record rec;
    memset(&rec, 0, sizeof rec);
    rec.kind = REC_ERROR;
    snprintf(rec.text, sizeof rec.text, "%s: %d %s", what, rc, alliance_errmsg(db));
    send_record(fd, &rec);
    _exit(3);
}

static void child_drill(const char *path, uint32_t synchronous, int64_t now, uint64_t seed, int fd)
{
    alliance_open_options options = rel_options(synchronous);
    alliance_db *db = NULL;
    int rc = alliance_open(&db, path, &options);
    if (rc)
        child_fail(fd, "alliance_open", rc, db);
    for (;;) {
        alliance_session *session = NULL;
        rc = alliance_session_open(&session, db, 0, now);
        if (rc)
            child_fail(fd, "alliance_session_open", rc, db);
        for (;;) {
            record rec;
            memset(&rec, 0, sizeof rec);
            if (rel_rand(&seed) % 8 == 0) {
                rec.kind = REC_INTENT_UNDO;
                send_record(fd, &rec);
                char *undone = NULL;
                rc = alliance_session_undo(session, &undone);
                if (rc != 0 && rc != ALLIANCE_ENOUNDO)
                    child_fail(fd, "alliance_session_undo", rc, db);
                rec.kind = REC_ACK_UNDO;
                snprintf(rec.id, sizeof rec.id, "%s", undone ? undone : "");
                alliance_free(undone);
                send_record(fd, &rec);
                continue;
            }
            alliance_card *card = NULL;
            rc = alliance_session_next(session, now, &card);
            if (rc == ALLIANCE_DONE)
                break;
            if (rc)
                child_fail(fd, "alliance_session_next", rc, db);
            rec.kind = REC_INTENT_ANSWER;
            rec.grade = (int32_t)(rel_rand(&seed) % 6);
            rec.time = now;
            snprintf(rec.id, sizeof rec.id, "%s", card->id);
            send_record(fd, &rec);
            rc = alliance_session_answer(session, card->id, rec.grade, now, 1000, NULL);
            alliance_free(card);
            if (rc)
                child_fail(fd, "alliance_session_answer", rc, db);
            rec.kind = REC_ACK_ANSWER;
            send_record(fd, &rec);
            now += 7;
        }
        alliance_session_close(session);
        now += ALLIANCE_TEST_DAY; /* nothing left today: tomorrow */
    }
}

/* ---- the parent's model of what must be in the log ---- */

typedef struct answer {
    int32_t grade;
    int64_t time;
} answer;

typedef struct model {
    answer *log[NCARDS]; /* per card, the acknowledged answers, oldest first */
    size_t len[NCARDS], cap[NCARDS];
    int *order;          /* card index of every live answer, oldest first: what undo pops */
    size_t norder, order_cap;
    int64_t last_time;
    long acked_answers, acked_undos, inflight_committed, inflight_lost;
} model;

static int card_index(const char *id)
{
    if (id[0] != 'k')
        return -1;
    char *end = NULL;
    long i = strtol(id + 1, &end, 10);
    return end && *end == '\0' && i >= 0 && i < NCARDS ? (int)i : -1;
}

static void model_push(model *m, int card, int32_t grade, int64_t time)
{
    if (m->len[card] == m->cap[card]) {
        m->cap[card] = m->cap[card] ? m->cap[card] * 2 : 16;
        m->log[card] = realloc(m->log[card], m->cap[card] * sizeof *m->log[card]);
        ck_assert_ptr_nonnull(m->log[card]);
    }
    m->log[card][m->len[card]++] = (answer){grade, time};
    if (m->norder == m->order_cap) {
        m->order_cap = m->order_cap ? m->order_cap * 2 : 256;
        m->order = realloc(m->order, m->order_cap * sizeof *m->order);
        ck_assert_ptr_nonnull(m->order);
    }
    m->order[m->norder++] = card;
    if (time > m->last_time)
        m->last_time = time;
}

/* Undo takes back the most recent answer of the whole collection. */
static int model_pop(model *m)
{
    ck_assert_uint_gt(m->norder, 0);
    int card = m->order[--m->norder];
    ck_assert_uint_gt(m->len[card], 0);
    m->len[card]--;
    return card;
}

static void model_free(model *m)
{
    for (int i = 0; i < NCARDS; i++)
        free(m->log[i]);
    free(m->order);
}

/* Applies the child's records; returns the intent still in flight (kind 0 if none). */
static record apply_records(model *m, const record *recs, size_t n)
{
    record pending;
    memset(&pending, 0, sizeof pending);
    for (size_t i = 0; i < n; i++) {
        const record *r = &recs[i];
        switch (r->kind) {
        case REC_INTENT_ANSWER:
        case REC_INTENT_UNDO:
            pending = *r;
            break;
        case REC_ACK_ANSWER: {
            int card = card_index(r->id);
            ck_assert_msg(card >= 0, "answer acknowledged for unknown card '%s'", r->id);
            model_push(m, card, r->grade, r->time);
            m->acked_answers++;
            pending.kind = 0;
            break;
        }
        case REC_ACK_UNDO:
            if (r->id[0]) {
                int expected = model_pop(m);
                ck_assert_msg(card_index(r->id) == expected,
                              "undo took back '%s', but the most recent answer was to k%04d", r->id,
                              expected);
                m->acked_undos++;
            } else {
                ck_assert_msg(m->norder == 0, "ALLIANCE_ENOUNDO with %zu answers in the log", m->norder);
            }
            pending.kind = 0;
            break;
        case REC_ERROR:
            ck_abort_msg("the drilling child failed: %s", r->text);
            break;
        default:
            ck_abort_msg("garbled pipe record of kind %u", r->kind);
        }
    }
    return pending;
}

/* ---- the parent: kill, reopen, compare ---- */

typedef struct logrow {
    int card;
    int32_t grade;
    int64_t time;
} logrow;

/* Reads the whole review log through the public API. */
static logrow *read_log(alliance_db *db, size_t *out_n)
{
    alliance_review_iter *iter = NULL;
    int rc = alliance_review_iter_open(&iter, db, NULL);
    ck_assert_msg(rc == 0, "alliance_review_iter_open: %d %s", rc, alliance_errmsg(db));
    logrow *rows = NULL;
    size_t n = 0, cap = 0;
    alliance_review review;
    memset(&review, 0, sizeof review);
    review.version = ALLIANCE_REVIEW_VERSION;
    while ((rc = alliance_review_iter_next(iter, &review)) == 0) {
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            rows = realloc(rows, cap * sizeof *rows);
            ck_assert_ptr_nonnull(rows);
        }
        int card = card_index(review.card_id);
        ck_assert_msg(card >= 0, "log row for unknown card '%s'", review.card_id);
        rows[n++] = (logrow){card, review.grade, review.time};
    }
    ck_assert_msg(rc == ALLIANCE_DONE, "alliance_review_iter_next: %d %s", rc, alliance_errmsg(db));
    alliance_review_iter_free(iter);
    *out_n = n;
    return rows;
}

/*
 * The log must equal the model, but for the call in flight: an answer to
 * `pending.id` appended, or the model's most recent answer taken back.
 * Brings the model in line with what the kill left.
 */
static void check_collection(model *m, const char *path, uint32_t synchronous, const record *pending,
                             long kill_no)
{
    char msg[512];
    ck_assert_msg(rel_integrity_ok(path, msg, sizeof msg), "kill %ld: integrity_check: %s", kill_no, msg);

    alliance_open_options options = rel_options(synchronous);
    alliance_db *db = NULL;
    int rc = alliance_open(&db, path, &options);
    ck_assert_msg(rc == 0, "kill %ld: reopen: %d %s", kill_no, rc, alliance_errmsg(db));

    size_t nrows = 0;
    logrow *rows = read_log(db, &nrows);
    size_t seen[NCARDS] = {0};
    int differing = -1;
    for (size_t i = 0; i < nrows; i++) {
        int c = rows[i].card;
        size_t k = seen[c]++;
        if (k < m->len[c] && m->log[c][k].grade == rows[i].grade && m->log[c][k].time == rows[i].time)
            continue;
        if (pending->kind == REC_INTENT_ANSWER && card_index(pending->id) == c && k == m->len[c] &&
            rows[i].grade == pending->grade && rows[i].time == pending->time && differing < 0) {
            differing = c; /* the answer in flight committed before the kill */
            continue;
        }
        ck_abort_msg("kill %ld: log row %zu of k%04d is (grade %d, time %lld); expected %s", kill_no, k, c,
                     rows[i].grade, (long long)rows[i].time,
                     k < m->len[c] ? "another answer" : "no row (answered more often than acknowledged)");
    }
    int undone = -1;
    for (int c = 0; c < NCARDS; c++) {
        if (seen[c] == m->len[c] || c == differing)
            continue;
        /* One row short: only the undo in flight may explain it, and only for the most recent answer. */
        int explained = pending->kind == REC_INTENT_UNDO && undone < 0 && m->norder > 0 &&
                        m->order[m->norder - 1] == c && seen[c] + 1 == m->len[c];
        ck_assert_msg(explained, "kill %ld: k%04d has %zu answers in the log but %zu were acknowledged: %s",
                      kill_no, c, seen[c], m->len[c], seen[c] < m->len[c] ? "LOST" : "extra");
        undone = c;
    }
    if (differing >= 0) {
        model_push(m, differing, pending->grade, pending->time);
        m->inflight_committed++;
    } else if (undone >= 0) {
        model_pop(m);
        m->inflight_committed++;
    } else if (pending->kind) {
        m->inflight_lost++;
    }

    for (int c = 0; c < NCARDS; c++) {
        char id[16];
        rel_card_id(id, sizeof id, "k", (unsigned)c);
        alliance_card *card = NULL;
        rc = alliance_card_get(db, id, &card);
        ck_assert_msg(rc == 0, "kill %ld: card_get %s: %d %s", kill_no, id, rc, alliance_errmsg(db));
        ck_assert_msg(card->reviews == m->len[c], "kill %ld: %s counts %u reviews, its log has %zu", kill_no,
                      id, card->reviews, m->len[c]);
        alliance_free(card);
    }
    uint64_t mismatches = 99;
    rc = alliance_verify(db, &mismatches);
    ck_assert_msg(rc == 0 && mismatches == 0, "kill %ld: verify: rc %d, %llu mismatches: %s", kill_no, rc,
                  (unsigned long long)mismatches, alliance_errmsg(db));
    free(rows);
    ck_assert_int_eq(alliance_close(db), 0);
}

static void drain(int fd, record **recs, size_t *n, size_t *cap, size_t *partial, char *buf)
{
    for (;;) {
        ssize_t got = read(fd, buf + *partial, sizeof(record) - *partial);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return; /* EAGAIN (nothing yet) or EOF */
        *partial += (size_t)got;
        if (*partial == sizeof(record)) {
            if (*n == *cap) {
                *cap = *cap ? *cap * 2 : 256;
                *recs = realloc(*recs, *cap * sizeof **recs);
                ck_assert_ptr_nonnull(*recs);
            }
            memcpy(&(*recs)[(*n)++], buf, sizeof(record));
            *partial = 0;
        }
    }
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void kill_loop(uint32_t synchronous, const char *name)
{
    long kills = rel_env_long("ALLIANCE_KILLLOOP_KILLS", 200);
    uint64_t seed = (uint64_t)rel_env_long("ALLIANCE_KILLLOOP_SEED", 20260105);
    const char *path = alliance_test_path(name);
    ck_assert_int_eq(rel_make_collection(path, NCARDS, ALLIANCE_TEST_NOW), 0);

    model m;
    memset(&m, 0, sizeof m);
    m.last_time = ALLIANCE_TEST_NOW;
    for (long k = 1; k <= kills; k++) {
        int fds[2];
        ck_assert_int_eq(pipe(fds), 0);
        /* Start a day after anything answered so far: the clock never goes back. */
        int64_t start = m.last_time + ALLIANCE_TEST_DAY;
        uint64_t child_seed = rel_rand(&seed);
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
            close(fds[0]);
            child_drill(path, synchronous, start, child_seed, fds[1]);
            _exit(5);
        }
        close(fds[1]);
        ck_assert_int_eq(fcntl(fds[0], F_SETFL, O_NONBLOCK), 0);

        record *recs = NULL;
        size_t n = 0, cap = 0, partial = 0;
        char buf[sizeof(record)];
        /* Two kinds of kill. A third land at a random moment from the start
         * (often inside open or WAL recovery); the rest wait for a random
         * number of acknowledged answers and then strike within a few
         * milliseconds, mostly inside a commit. */
        int64_t start_us = now_us(), deadline;
        if (k % 3 == 0) {
            deadline = start_us + (int64_t)(rel_rand(&seed) % MAX_DELAY_US);
        } else {
            size_t acks = 1 + (size_t)(rel_rand(&seed) % 6), seen = 0;
            deadline = start_us + 10 * 1000000; /* a child that stalls is killed after 10 s all the same */
            while (seen < acks && now_us() < deadline) {
                struct pollfd p = {fds[0], POLLIN, 0};
                poll(&p, 1, 50);
                drain(fds[0], &recs, &n, &cap, &partial, buf);
                seen = 0;
                for (size_t i = 0; i < n; i++)
                    seen += recs[i].kind == REC_ACK_ANSWER || recs[i].kind == REC_ERROR;
            }
            deadline = now_us() + (int64_t)(rel_rand(&seed) % 3000);
        }
        for (int64_t left; (left = deadline - now_us()) > 0;) {
            struct pollfd p = {fds[0], POLLIN, 0};
            poll(&p, 1, (int)((left + 999) / 1000));
            drain(fds[0], &recs, &n, &cap, &partial, buf);
        }
        kill(pid, SIGKILL);
        int status = 0;
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert_int_eq(fcntl(fds[0], F_SETFL, 0), 0);
        drain(fds[0], &recs, &n, &cap, &partial, buf);
        close(fds[0]);

        record pending = apply_records(&m, recs, n);
        ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
                      "kill %ld: the child ended on its own (status %d)", k, status);
        free(recs);
        check_collection(&m, path, synchronous, &pending, k);
    }
    fprintf(stderr,
            "killloop %s: %ld kills, %ld answers and %ld undos acknowledged, %ld in-flight calls "
            "committed and %ld not; 0 lost, 0 corrupt\n",
            name, kills, m.acked_answers, m.acked_undos, m.inflight_committed, m.inflight_lost);
    /* The child must have been drilling, not just starting up, for the kills to mean anything. */
    ck_assert_msg(m.acked_answers >= kills, "only %ld answers in %ld runs", m.acked_answers, kills);
    model_free(&m);
}

START_TEST(acknowledged_answers_survive_sigkill_with_synchronous_full)
{
    kill_loop(ALLIANCE_SYNC_FULL, "kill-full.alliance");
}
END_TEST

START_TEST(acknowledged_answers_survive_sigkill_with_synchronous_normal)
{
    kill_loop(ALLIANCE_SYNC_NORMAL, "kill-normal.alliance");
}
END_TEST

static Suite *killloop_suite(void)
{
    Suite *s = suite_create("killloop");
    TCase *tc = tcase_create("sigkill");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, acknowledged_answers_survive_sigkill_with_synchronous_full);
    tcase_add_test(tc, acknowledged_answers_survive_sigkill_with_synchronous_normal);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return alliance_test_run(killloop_suite());
}
