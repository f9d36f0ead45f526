/* SPDX-License-Identifier: MIT */
/* threads: one collection handle shared by several threads, and a second connection
 * writing at the same time: every answer lands exactly once and the log replays. */
#include "collection_fixture.h"

#include <pthread.h>

#define WRITERS 4
#define CARDS_EACH 25

struct worker {
    alliance_db *db;
    int index;
    int failures;
};

static void *answer_own_cards(void *arg)
{
    struct worker *w = arg;
    for (int i = 1; i <= CARDS_EACH; i++) {
        char id[32];
        snprintf(id, sizeof id, "t%d-%d", w->index, i);
        if (alliance_answer(w->db, id, 3 + i % 3, fixture_at(0, 12), 100, NULL) != ALLIANCE_OK)
            w->failures++;
    }
    return NULL;
}

static void *read_while_others_write(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < 50; i++) {
        alliance_stats stats;
        alliance_stats_init(&stats, ALLIANCE_STATS_VERSION);
        if (alliance_stats_get(w->db, 0, fixture_at(0, 12), 7, &stats) != ALLIANCE_OK)
            w->failures++;
        alliance_card_iter *iter = NULL;
        if (alliance_card_search(&iter, w->db, 0, "question") != ALLIANCE_OK) {
            w->failures++;
            continue;
        }
        alliance_card *card = NULL;
        for (int k = 0; k < 5 && alliance_card_iter_next(iter, &card) == ALLIANCE_OK; k++)
            alliance_free(card);
        alliance_card_iter_free(iter);
    }
    return NULL;
}

START_TEST(threads_sharing_a_handle_and_a_second_connection_lose_no_answer)
{
    const char *path = alliance_test_path("threads.alliance");
    alliance_db *db = fixture_open(path);
    for (int t = 0; t < WRITERS + 1; t++) {
        char prefix[16];
        snprintf(prefix, sizeof prefix, "t%d-", t);
        fixture_add_cards(db, "deck", prefix, CARDS_EACH, ALLIANCE_TEST_NOW);
    }
    alliance_db *second = fixture_open(path); /* another connection, as another process would have */
    pthread_t threads[WRITERS + 2];
    struct worker workers[WRITERS + 2];
    for (int t = 0; t < WRITERS + 2; t++) {
        workers[t].db = t == WRITERS ? second : db;
        workers[t].index = t;
        workers[t].failures = 0;
        void *(*fn)(void *) = t <= WRITERS ? answer_own_cards : read_while_others_write;
        ck_assert_int_eq(pthread_create(&threads[t], NULL, fn, &workers[t]), 0);
    }
    for (int t = 0; t < WRITERS + 2; t++) {
        pthread_join(threads[t], NULL);
        ck_assert_msg(workers[t].failures == 0, "thread %d: %d failures", t, workers[t].failures);
    }
    alliance_close(second);
    ck_assert_int_eq(fixture_log_rows(db, NULL), (WRITERS + 1) * CARDS_EACH);
    uint64_t mismatches = 1;
    ck_assert_int_eq(alliance_verify(db, &mismatches), ALLIANCE_OK);
    ck_assert_uint_eq(mismatches, 0);
    alliance_close(db);
}
END_TEST

static Suite *threads_suite(void)
{
    Suite *s = suite_create("threads");
    TCase *tc = tcase_create("threads");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, threads_sharing_a_handle_and_a_second_connection_lose_no_answer);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return alliance_test_run(threads_suite());
}
