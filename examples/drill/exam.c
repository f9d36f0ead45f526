/* SPDX-License-Identifier: MIT */
/*
 * exam.c - `alliance-drill exam DATE [--deck FILE] | --clear`: an exam date for a deck
 * (docs/study-modes.md), and the line a drill and stats show about it.
 */
#include "drill.h"

#include <stdio.h>
#include <stdlib.h>

/* The deck the command is about: --deck's, or the only deck of the collection. */
static int exam_deck(drill_ctx *ctx, int64_t *out_id)
{
    if (ctx->deck_id != 0) {
        *out_id = ctx->deck_id;
        return 0;
    }
    alliance_deck_iter *it = NULL;
    if (alliance_deck_iter_open(&it, ctx->db, drill_now(ctx)) != ALLIANCE_OK) {
        drill_db_error(ctx->db, "cannot list the decks");
        return -1;
    }
    alliance_deck_info *deck = NULL;
    int64_t id = 0;
    unsigned n = 0;
    int rc;
    while ((rc = alliance_deck_iter_next(it, &deck)) == ALLIANCE_OK) {
        id = deck->id;
        n++;
        alliance_free(deck);
    }
    alliance_deck_iter_free(it);
    if (rc != ALLIANCE_DONE) {
        drill_db_error(ctx->db, "cannot list the decks");
        return -1;
    }
    if (n != 1) {
        drill_error(n == 0 ? "the collection has no deck: import one first"
                           : "the collection has %u decks: name one with --deck FILE", n);
        return -1;
    }
    *out_id = id;
    return 0;
}

static void print_status(drill_ctx *ctx, const alliance_exam_status *st, int64_t today, const char *indent)
{
    char exam[16], from[16], ready[16];
    timefmt_date(st->exam_day, exam);
    timefmt_date(st->exam_day - st->final_days, from);
    timefmt_date(st->ready_by_day, ready);
    if (today >= st->exam_day) {
        printf("%sExam on %s: passed; plain SM-2 scheduling again.\n", indent, exam);
        return;
    }
    alliance_config config = ALLIANCE_CONFIG_INIT;
    uint32_t per_day = alliance_config_get(ctx->db, &config) == ALLIANCE_OK ? config.new_per_day : 0;
    uint32_t today_new = st->pace > per_day ? st->pace : per_day;
    printf("%sExam on %s (%lld day%s away); every card seen from %s.\n", indent, exam,
           (long long)(st->exam_day - today), st->exam_day - today == 1 ? "" : "s", from);
    if (st->new_cards > st->introduced_today)
        printf("%s%u new today to be ready by %s (%u new card%s left).\n", indent, today_new, ready,
               st->new_cards - st->introduced_today, st->new_cards - st->introduced_today == 1 ? "" : "s");
    else
        printf("%sEvery card has been introduced.\n", indent);
}

void drill_exam_lines(drill_ctx *ctx, const char *indent)
{
    int64_t now = drill_now(ctx), today = 0;
    if (alliance_today(ctx->db, now, &today) != ALLIANCE_OK)
        return;
    alliance_deck_iter *it = NULL;
    if (alliance_deck_iter_open(&it, ctx->db, now) != ALLIANCE_OK)
        return;
    alliance_deck_info *deck = NULL;
    while (alliance_deck_iter_next(it, &deck) == ALLIANCE_OK) {
        alliance_exam_status st = ALLIANCE_EXAM_STATUS_INIT;
        if ((ctx->deck_id == 0 || deck->id == ctx->deck_id) &&
            alliance_exam_get(ctx->db, deck->id, now, &st) == ALLIANCE_OK && st.has_exam && today < st.exam_day) {
            if (ctx->deck_id == 0)
                printf("%s%s:\n", indent, deck->name);
            printf("%s", indent);
            print_status(ctx, &st, today, indent);
        }
        alliance_free(deck);
    }
    alliance_deck_iter_free(it);
}

int cmd_exam(drill_ctx *ctx)
{
    const drill_options *opt = ctx->opt;
    int64_t deck_id = 0, now = drill_now(ctx), today = 0;
    if (exam_deck(ctx, &deck_id) != 0)
        return DRILL_EXIT_USER;
    if (alliance_today(ctx->db, now, &today) != ALLIANCE_OK) {
        drill_db_error(ctx->db, "cannot tell today's date");
        return DRILL_EXIT_USER;
    }
    if (opt->clear) {
        if (alliance_exam_clear(ctx->db, deck_id) != ALLIANCE_OK) {
            drill_db_error(ctx->db, "cannot clear the exam");
            return DRILL_EXIT_USER;
        }
        printf("No exam: plain SM-2 scheduling.\n");
        return DRILL_EXIT_OK;
    }
    if (opt->nargs == 1) {
        int64_t day = 0;
        if (timefmt_parse_date(opt->args[0], &day) != 0) {
            drill_error("bad exam date '%s': use YYYY-MM-DD (2027-01-15)", opt->args[0]);
            return DRILL_EXIT_USAGE;
        }
        if (day <= today) {
            char t[16];
            timefmt_date(today, t);
            drill_error("the exam date %s is not after today (%s)", opt->args[0], t);
            return DRILL_EXIT_USER;
        }
        if (alliance_exam_set(ctx->db, deck_id, day, 0) != ALLIANCE_OK) {
            drill_db_error(ctx->db, "cannot set the exam");
            return DRILL_EXIT_USER;
        }
    }
    alliance_exam_status st = ALLIANCE_EXAM_STATUS_INIT;
    if (alliance_exam_get(ctx->db, deck_id, now, &st) != ALLIANCE_OK) {
        drill_db_error(ctx->db, "cannot read the exam");
        return DRILL_EXIT_USER;
    }
    if (!st.has_exam)
        printf("No exam: plain SM-2 scheduling.\n");
    else
        print_status(ctx, &st, today, "");
    return DRILL_EXIT_OK;
}
