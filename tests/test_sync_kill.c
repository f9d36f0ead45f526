/* SPDX-License-Identifier: MIT */
/* test_sync_kill.c - kill -9 of the process applying a changeset, at random points,
 * 200 times (ALLIANCE_SYNC_KILLS): the copy is always either exactly as before or
 * exactly as after the whole changeset, alliance_verify is clean, and the next apply
 * finishes the job. CI budget: about 15 seconds. */
#include "collection_fixture.h"
#include "sync_fixture.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int copy_file(const char *from, const char *to)
{
    size_t len = 0;
    char *data = alliance_test_read_file(from, &len);
    if (!data)
        return -1;
    FILE *f = fopen(to, "wb");
    int rc = f && fwrite(data, 1, len, f) == len ? 0 : -1;
    if (f)
        fclose(f);
    free(data);
    char wal[512];
    snprintf(wal, sizeof wal, "%s-wal", to);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", to);
    unlink(wal);
    return rc;
}

static alliance_db *open_file(const char *path)
{
    alliance_open_options o;
    alliance_open_options_init(&o, ALLIANCE_OPEN_OPTIONS_VERSION);
    o.utc_offset_seconds = 0;
    o.synchronous = ALLIANCE_SYNC_NORMAL;
    alliance_db *db = NULL;
    int rc = alliance_open(&db, path, &o);
    ck_assert_msg(rc == ALLIANCE_OK, "open %s: %s", path, alliance_errmsg(db));
    return db;
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int apply_file(const char *db_path, const membuf *cs)
{
    alliance_db *db = open_file(db_path);
    memreader r = memreader_of(cs, 512);
    int rc = alliance_sync_apply(db, NULL, memreader_read, &r, NULL);
    alliance_close(db);
    return rc;
}

START_TEST(kill_9_while_applying_never_leaves_half_a_changeset)
{
    const char *env = getenv("ALLIANCE_SYNC_KILLS");
    int kills = env ? atoi(env) : 200;
    /* a: the source, with answers, undos, flags and an import; b: a copy that lacks them */
    alliance_db *a = fixture_open(alliance_test_path("a.db"));
    fixture_add_cards(a, "deck", "c", 150, ALLIANCE_TEST_NOW);
    alliance_db *b = sync_clone_of(a, alliance_test_path("b.db"));
    alliance_close(b);
    for (int day = 0; day < 8; day++)
        for (int i = 1; i <= 150; i++) {
            char id[16];
            snprintf(id, sizeof id, "c%d", i);
            alliance_answer(a, id, (i + day) % 6, fixture_at(day, 9), 0, NULL);
            if (i % 50 == 0)
                alliance_undo(a, NULL);
            if (i % 37 == 0)
                alliance_card_suspend(a, id, day % 2, 0);
        }
    membuf cs = { 0 };
    b = open_file(alliance_test_path("b.db"));
    ck_assert_int_eq(sync_changes_for(a, b, &cs), ALLIANCE_OK);
    char *before = sync_dump(b);
    alliance_close(b);
    ck_assert_int_eq(copy_file(alliance_test_path("b.db"), alliance_test_path("b.orig")), 0);
    /* the oracle: the same copy with the whole changeset applied */
    ck_assert_int_eq(copy_file(alliance_test_path("b.orig"), alliance_test_path("c.db")), 0);
    double t0 = seconds();
    ck_assert_int_eq(apply_file(alliance_test_path("c.db"), &cs), ALLIANCE_OK);
    double took = seconds() - t0;
    alliance_db *c = open_file(alliance_test_path("c.db"));
    char *after = sync_dump(c);
    alliance_close(c);
    ck_assert_str_ne(before, after);

    srand(12345);
    int killed_midway = 0, completed = 0;
    for (int k = 0; k < kills; k++) {
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
            alliance_db *db = NULL;
            alliance_open_options o;
            alliance_open_options_init(&o, ALLIANCE_OPEN_OPTIONS_VERSION);
            o.synchronous = ALLIANCE_SYNC_NORMAL;
            if (alliance_open(&db, alliance_test_path("b.db"), &o) != ALLIANCE_OK)
                _exit(3);
            memreader r = memreader_of(&cs, 512);
            int rc = alliance_sync_apply(db, NULL, memreader_read, &r, NULL);
            alliance_close(db);
            _exit(rc == ALLIANCE_OK ? 0 : 4);
        }
        long delay = (long)((double)rand() / RAND_MAX * took * 1.3e6);
        struct timespec pause = { delay / 1000000, (delay % 1000000) * 1000 };
        nanosleep(&pause, NULL);
        kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        if (WIFEXITED(status))
            ck_assert_msg(WEXITSTATUS(status) == 0, "kill %d: the apply failed with %d", k, WEXITSTATUS(status));
        alliance_db *db = open_file(alliance_test_path("b.db"));
        char *now = sync_dump(db);
        int is_before = strcmp(now, before) == 0, is_after = strcmp(now, after) == 0;
        ck_assert_msg(is_before || is_after, "kill %d after %u us: neither before nor after:%s", k, (unsigned)delay,
                      sync_dump_diff(before, now));
        if (k % 20 == 0)
            ck_assert_uint_eq(sync_verify(db), 0);
        free(now);
        alliance_close(db);
        if (is_after) { /* start again from the copy without the changeset */
            completed++;
            ck_assert_int_eq(copy_file(alliance_test_path("b.orig"), alliance_test_path("b.db")), 0);
        } else {
            killed_midway++;
        }
    }
    /* the next apply finishes the job */
    ck_assert_int_eq(apply_file(alliance_test_path("b.db"), &cs), ALLIANCE_OK);
    b = open_file(alliance_test_path("b.db"));
    char *final = sync_dump(b);
    ck_assert_str_eq(final, after);
    ck_assert_uint_eq(sync_verify(b), 0);
    alliance_close(b);
    fprintf(stderr, "kill -9: %d before the commit, %d after it (apply takes %.1f ms)\n", killed_midway, completed,
            took * 1e3);
    ck_assert_int_ge(killed_midway, kills / 4);
    free(final);
    free(before);
    free(after);
    membuf_free(&cs);
    alliance_close(a);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sync_kill");
    TCase *t = tcase_create("kill");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, kill_9_while_applying_never_leaves_half_a_changeset);
    suite_add_tcase(s, t);
    return alliance_test_run(s);
}
