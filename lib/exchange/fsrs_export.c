/* SPDX-License-Identifier: MIT */
/*
 * fsrs_export.c - the review log as the CSV the FSRS optimizer reads
 * (card_id,review_time,review_rating,review_state,review_duration), streamed
 * from one read snapshot. The layout and each column's meaning: docs/fsrs.md.
 */
#include "core/rating.h"
#include "deck/sink.h"
#include "store/schedule.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* The optimizer's review_state values (fsrs-optimizer: New, Learning, Review, Relearning). */
enum { STATE_NEW = 0, STATE_LEARNING = 1, STATE_REVIEW = 2, STATE_RELEARNING = 3 };

/* review_time is time * 1000: beyond this a millisecond count leaves int64. */
#define MAX_SECONDS (INT64_MAX / 1000 - 1)

typedef struct csv_writer {
    alliance_db *db;
    alliance__sink sink;
    int64_t card_pk;  /* the card of the previous row (0: none yet) */
    int64_t last_ms;  /* that row's review_time */
    int later_day;    /* the card was answered on a later day than its first */
} csv_writer;

/* RFC 4180: a field holding a comma, a quote or a line break is quoted, quotes doubled. */
static void put_field(alliance__sink *sink, const char *text)
{
    if (strpbrk(text, ",\"\r\n") == NULL) {
        alliance__sink_puts(sink, text);
        return;
    }
    alliance__sink_put(sink, "\"", 1);
    for (const char *p = text; *p; p++) {
        const char *q = strchr(p, '"');
        size_t n = q ? (size_t)(q - p) + 1 : strlen(p);
        alliance__sink_put(sink, p, n);
        if (!q)
            break;
        alliance__sink_put(sink, "\"", 1);
        p = q;
    }
    alliance__sink_put(sink, "\"", 1);
}

static int write_row(void *opaque, const alliance__scan_row *row)
{
    csv_writer *w = opaque;
    int same_card = row->card_pk == w->card_pk;
    if (row->time > MAX_SECONDS || row->time < -MAX_SECONDS || (same_card && w->last_ms == INT64_MAX))
        return alliance__error_set(alliance__db_error(w->db), ALLIANCE_ELIMIT,
                                   "card \"%s\": review time %" PRId64 " s is too far from 1970 for milliseconds",
                                   row->card_id, row->time);
    int64_t ms = row->time * 1000;
    int state;
    if (!same_card) {
        w->card_pk = row->card_pk;
        w->later_day = 0;
        state = STATE_NEW;
    } else {
        if (ms <= w->last_ms)
            ms = w->last_ms + 1;
        if (row->elapsed_days > 0) {
            w->later_day = 1;
            state = STATE_REVIEW;
        } else {
            state = w->later_day ? STATE_RELEARNING : STATE_LEARNING;
        }
    }
    w->last_ms = ms;
    int rating = alliance__rating_of_grade(row->grade);
    if (rating == 0) /* the schema's CHECK makes this a damaged file */
        return alliance__error_set(alliance__db_error(w->db), ALLIANCE_ECORRUPT,
                                   "card \"%s\": the review log holds grade %d", row->card_id, (int)row->grade);
    char line[96];
    put_field(&w->sink, row->card_id);
    snprintf(line, sizeof line, ",%" PRId64 ",%d,%d,%" PRIu32 "\n", ms, rating, state, row->answer_ms);
    return alliance__sink_puts(&w->sink, line);
}

int alliance_review_export_fsrs(alliance_db *db, int64_t deck_id, alliance_write_fn write, void *opaque)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    alliance__error *err = alliance__db_error(db);
    if (!write)
        return alliance__db_leave(db, alliance__error_set(err, ALLIANCE_EINVAL, "alliance_review_export_fsrs: write is NULL"));
    if (deck_id < 0)
        return alliance__db_leave(db, alliance__error_set(err, ALLIANCE_EINVAL,
                                                          "alliance_review_export_fsrs: deck id %" PRId64 " is negative",
                                                          deck_id));
    if (deck_id && (rc = alliance__store_deck_get(db, deck_id, NULL, NULL, NULL)) != ALLIANCE_OK)
        return alliance__db_leave(db, rc);

    csv_writer w;
    memset(&w, 0, sizeof w);
    w.db = db;
    alliance__sink_init(&w.sink, write, opaque);
    alliance__sink_puts(&w.sink, "card_id,review_time,review_rating,review_state,review_duration\n");
    rc = alliance__log_scan(db, deck_id, write_row, &w);
    if (!rc)
        rc = alliance__sink_flush(&w.sink);
    if (rc == ALLIANCE_EIO)
        alliance__error_set(err, rc, "alliance_review_export_fsrs: the write callback asked to stop");
    else if (rc == ALLIANCE_ENOMEM && w.sink.rc)
        alliance__error_set(err, rc, "alliance_review_export_fsrs: out of memory");
    alliance__sink_free(&w.sink);
    return alliance__db_leave(db, rc);
}
