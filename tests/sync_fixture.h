/* SPDX-License-Identifier: MIT */
/* sync_fixture.h - what the sync suites share (header-only: every suite is its own
 * program): changesets in memory, one-way and two-way syncs, and a canonical dump
 * of everything a user or the API can see of a collection. */
#ifndef ALLIANCE_SYNC_FIXTURE_H
#define ALLIANCE_SYNC_FIXTURE_H

#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct membuf {
    char *data;
    size_t len, cap;
} membuf;

static inline int membuf_write(void *opaque, const char *data, size_t len)
{
    membuf *b = opaque;
    if (b->len + len + 1 > b->cap) {
        size_t cap = (b->len + len + 1) * 2;
        char *grown = realloc(b->data, cap);
        if (!grown)
            return -1;
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

static inline void membuf_free(membuf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

/* Reads a buffer back `chunk` bytes at a time (small chunks exercise the reader's refills). */
typedef struct memreader {
    const char *data;
    size_t len, pos, chunk;
} memreader;

static inline int memreader_read(void *opaque, void *buf, size_t cap, size_t *out_len)
{
    memreader *r = opaque;
    size_t n = r->len - r->pos;
    if (n > cap)
        n = cap;
    if (r->chunk && n > r->chunk)
        n = r->chunk;
    memcpy(buf, r->data + r->pos, n);
    r->pos += n;
    *out_len = n;
    return 0;
}

static inline memreader memreader_of(const membuf *b, size_t chunk)
{
    memreader r = { b->data, b->len, 0, chunk };
    return r;
}

/* The changeset `from` writes for `to` (what `to` lacks). */
static inline int sync_changes_for(alliance_db *from, alliance_db *to, membuf *out)
{
    membuf state = { 0 };
    int rc = alliance_sync_state(to, membuf_write, &state);
    if (rc == ALLIANCE_OK) {
        memreader r = memreader_of(&state, 0);
        rc = alliance_sync_changes(from, memreader_read, &r, membuf_write, out);
    }
    membuf_free(&state);
    return rc;
}

/* One way: `to` receives what it lacks from `from`. *out_report may be NULL. */
static inline int sync_one_way(alliance_db *from, alliance_db *to, alliance_sync_report **out_report)
{
    membuf cs = { 0 };
    int rc = sync_changes_for(from, to, &cs);
    if (rc == ALLIANCE_OK) {
        memreader r = memreader_of(&cs, 1000);
        rc = alliance_sync_apply(to, NULL, memreader_read, &r, out_report);
    }
    membuf_free(&cs);
    return rc;
}

static inline void sync_both(alliance_db *a, alliance_db *b)
{
    int rc = sync_one_way(a, b, NULL);
    ck_assert_msg(rc == ALLIANCE_OK, "sync a -> b: %d %s", rc, alliance_errmsg(b));
    rc = sync_one_way(b, a, NULL);
    ck_assert_msg(rc == ALLIANCE_OK, "sync b -> a: %d %s", rc, alliance_errmsg(a));
}

/* A new in-memory (or file) copy of `src`, through a changeset of everything. */
static inline alliance_db *sync_clone_of(alliance_db *src, const char *path)
{
    alliance_open_options o;
    alliance_open_options_init(&o, ALLIANCE_OPEN_OPTIONS_VERSION);
    o.utc_offset_seconds = 0;
    alliance_db *db = NULL;
    int rc = alliance_open(&db, path, &o);
    ck_assert_msg(rc == ALLIANCE_OK, "open %s: %s", path, alliance_errmsg(db));
    membuf cs = { 0 };
    ck_assert_int_eq(alliance_sync_changes(src, NULL, NULL, membuf_write, &cs), ALLIANCE_OK);
    memreader r = memreader_of(&cs, 0);
    rc = alliance_sync_clone(db, memreader_read, &r, NULL);
    ck_assert_msg(rc == ALLIANCE_OK, "clone: %d %s", rc, alliance_errmsg(db));
    membuf_free(&cs);
    return db;
}

/* ---- the canonical dump: every field a user or the API can see ---- */

static inline void dump_state(membuf *out, const char *name, const alliance_sm2_state *s)
{
    char line[160];
    snprintf(line, sizeof line, " %s=%u/%u/%u/%u", name, s->repetitions, s->efactor_milli, s->interval_days,
             s->repeat_today);
    membuf_write(out, line, strlen(line));
}

static inline void dump_text(membuf *out, const char *key, const char *value)
{
    membuf_write(out, " ", 1);
    membuf_write(out, key, strlen(key));
    membuf_write(out, "=[", 2);
    membuf_write(out, value, strlen(value));
    membuf_write(out, "]", 1);
}

/* Cards in search order with every field, their reviews (all but the local review_id), the
 * settings, the SM-2 parameters and the decks (headers, counts and exams). Free with free(). */
static int dump_line_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends the lines of `lines` (n of them, each ending in '\n') sorted, and frees them. */
static inline void dump_sorted(membuf *out, char **lines, size_t n)
{
    if (n > 0) /* qsort's array may not be NULL, even with nothing to sort */
        qsort(lines, n, sizeof *lines, dump_line_cmp);
    for (size_t i = 0; i < n; i++) {
        membuf_write(out, lines[i], strlen(lines[i]));
        free(lines[i]);
    }
    free(lines);
}

/* The decks by name with their headers (deck ids only if with_ids), sorted by name. */
static inline void dump_decks(membuf *out, alliance_db *db, int with_ids)
{
    char **lines = NULL;
    size_t n = 0;
    alliance_deck_iter *it = NULL;
    ck_assert_int_eq(alliance_deck_iter_open(&it, db, ALLIANCE_TEST_NOW), ALLIANCE_OK);
    alliance_deck_info *d = NULL;
    while (alliance_deck_iter_next(it, &d) == ALLIANCE_OK) {
        membuf line = { 0 };
        char head[512];
        alliance_exam_status ex = ALLIANCE_EXAM_STATUS_INIT;
        ck_assert_int_eq(alliance_exam_get(db, d->id, 0, &ex), ALLIANCE_OK);
        snprintf(head, sizeof head, " id=%lld cards=%u created=%lld modified=%lld new=%u learned=%u due=%u "
                 "suspended=%u leeches=%u exam %u %lld %u", with_ids ? (long long)d->id : 0LL, d->total,
                 (long long)d->created, (long long)d->modified, d->new_cards, d->learned, d->due_today, d->suspended,
                 d->leeches, ex.has_exam, (long long)ex.exam_day, ex.final_days);
        membuf_write(&line, "deck", 4);
        dump_text(&line, "name", d->name);
        dump_text(&line, "description", d->description);
        membuf_write(&line, head, strlen(head));
        membuf_write(&line, "\n", 1);
        lines = realloc(lines, (n + 1) * sizeof *lines);
        ck_assert_ptr_nonnull(lines);
        lines[n++] = line.data;
        alliance_free(d);
    }
    alliance_deck_iter_free(it);
    dump_sorted(out, lines, n);
}

static inline char *sync_dump_ex(alliance_db *db, int with_deck_ids);

static inline char *sync_dump(alliance_db *db)
{
    return sync_dump_ex(db, 1);
}

/* As sync_dump; without deck ids (local handles, docs/sync.md "Limits"), cards are sorted by id. */
static inline char *sync_dump_ex(alliance_db *db, int with_deck_ids)
{
    membuf out = { 0 };
    membuf cards = { 0 };
    char line[512];
    char **card_lines = NULL;
    size_t ncards = 0;
    alliance_card_iter *it = NULL;
    ck_assert_int_eq(alliance_card_search(&it, db, 0, NULL), ALLIANCE_OK);
    alliance_card *c = NULL;
    while (alliance_card_iter_next(it, &c) == ALLIANCE_OK) {
        char *deck = NULL;
        ck_assert_int_eq(alliance_deck_name(db, c->deck_id, &deck), ALLIANCE_OK);
        snprintf(line, sizeof line, "card %s deck=%lld(%s) type=%u ord=%u created=%lld modified=%lld susp=%u leech=%u "
                 "due=%lld last=%lld buried=%lld reviews=%u lapses=%u",
                 c->id, with_deck_ids ? (long long)c->deck_id : 0LL, deck, c->type, c->ordinal, (long long)c->created,
                 (long long)c->modified, c->suspended, c->leech, (long long)c->due_day, (long long)c->last_review_day,
                 (long long)c->buried_until_day, c->reviews, c->lapses);
        alliance_free(deck);
        membuf_write(&cards, line, strlen(line));
        dump_state(&cards, "state", &c->state);
        snprintf(line, sizeof line, " fsrs=%a/%a/%u/%u", c->fsrs.stability, c->fsrs.difficulty,
                 c->fsrs.interval_days, c->fsrs_drill);
        membuf_write(&cards, line, strlen(line));
        dump_text(&cards, "note", c->note_id);
        dump_text(&cards, "front", c->front);
        dump_text(&cards, "back", c->back);
        dump_text(&cards, "wrong", c->wrong);
        dump_text(&cards, "tags", c->tags);
        dump_text(&cards, "src", c->source_file);
        dump_text(&cards, "quote", c->source_quote);
        membuf_write(&cards, "\n", 1);
        if (with_deck_ids) {
            membuf_write(&out, cards.data, strlen(cards.data));
            membuf_free(&cards);
        } else {
            card_lines = realloc(card_lines, (ncards + 1) * sizeof *card_lines);
            ck_assert_ptr_nonnull(card_lines);
            card_lines[ncards++] = cards.data;
            memset(&cards, 0, sizeof cards);
        }
        alliance_free(c);
    }
    alliance_card_iter_free(it);
    if (!with_deck_ids)
        dump_sorted(&out, card_lines, ncards);
    dump_decks(&out, db, with_deck_ids);
    alliance_review_iter *ri = NULL;
    ck_assert_int_eq(alliance_review_iter_open(&ri, db, NULL), ALLIANCE_OK);
    alliance_review r;
    memset(&r, 0, sizeof r);
    r.version = ALLIANCE_REVIEW_VERSION;
    while (alliance_review_iter_next(ri, &r) == ALLIANCE_OK) {
        snprintf(line, sizeof line, "review %lld:%lld card=%s time=%lld day=%lld grade=%d elapsed=%lld ms=%u "
                 "params=%u/%u/%u/%u/%u/%u",
                 (long long)r.origin_replica, (long long)r.origin_seq, r.card_id, (long long)r.time, (long long)r.day,
                 r.grade, (long long)r.elapsed_days, r.answer_ms, r.params.preset, r.params.initial_efactor_milli,
                 r.params.min_efactor_milli, r.params.first_interval_days, r.params.second_interval_days,
                 r.params.max_interval_days);
        membuf_write(&out, line, strlen(line));
        dump_state(&out, "before", &r.before);
        dump_state(&out, "after", &r.after);
        /* schema 5: the scheduler in force and its FSRS parameters, bit for bit */
        snprintf(line, sizeof line, " sched=%u fsrs=%u/%a/%u", r.scheduler, r.fsrs_params.version,
                 r.fsrs_params.desired_retention, r.fsrs_params.max_interval_days);
        membuf_write(&out, line, strlen(line));
        for (int w = 0; w < 21; w++) {
            snprintf(line, sizeof line, "/%a", r.fsrs_params.weights[w]);
            membuf_write(&out, line, strlen(line));
        }
        membuf_write(&out, "\n", 1);
    }
    alliance_review_iter_free(ri);
    alliance_config cfg;
    alliance_config_init(&cfg, ALLIANCE_CONFIG_VERSION);
    ck_assert_int_eq(alliance_config_get(db, &cfg), ALLIANCE_OK);
    alliance_sm2_params p;
    alliance_sm2_params_init(&p, ALLIANCE_SM2_SUPERMEMO);
    ck_assert_int_eq(alliance_sm2_params_get(db, &p), ALLIANCE_OK);
    snprintf(line, sizeof line, "config %u %u %u %u %u params %u %u %u %u %u %u\n", cfg.new_per_day,
             cfg.reviews_per_day, cfg.rollover_hour, cfg.leech_threshold, cfg.leech_suspend, p.preset,
             p.initial_efactor_milli, p.min_efactor_milli, p.first_interval_days, p.second_interval_days,
             p.max_interval_days);
    membuf_write(&out, line, strlen(line));
    uint32_t scheduler = 99;
    ck_assert_int_eq(alliance_scheduler_get(db, &scheduler), ALLIANCE_OK);
    alliance_fsrs_params fp;
    alliance_fsrs_params_init(&fp, ALLIANCE_FSRS_PARAMS_VERSION);
    ck_assert_int_eq(alliance_fsrs_params_get(db, &fp), ALLIANCE_OK);
    snprintf(line, sizeof line, "scheduler %u fsrs %a %a %u\n", scheduler, fp.desired_retention, fp.weights[20],
             fp.max_interval_days);
    membuf_write(&out, line, strlen(line));
    alliance_study_settings study = ALLIANCE_STUDY_SETTINGS_INIT;
    ck_assert_int_eq(alliance_study_settings_get(db, &study), ALLIANCE_OK);
    snprintf(line, sizeof line, "study %u %u\n", study.bury_siblings, study.fuzz);
    membuf_write(&out, line, strlen(line));
    uint8_t id[16];
    ck_assert_int_eq(alliance_collection_id(db, id, sizeof id), ALLIANCE_OK);
    for (int i = 0; i < 16; i++) {
        snprintf(line, sizeof line, "%02x", id[i]);
        membuf_write(&out, line, 2);
    }
    membuf_write(&out, "\n", 1);
    return out.data ? out.data : calloc(1, 1);
}

/* The first line where two dumps differ, for a short failure message (static storage). */
static inline const char *sync_dump_diff(const char *x, const char *y)
{
    static char msg[1200];
    size_t line_start = 0, i = 0;
    while (x[i] && x[i] == y[i]) {
        if (x[i] == '\n')
            line_start = i + 1;
        i++;
    }
    const char *ex = strchr(x + line_start, '\n'), *ey = strchr(y + line_start, '\n');
    int lx = ex ? (int)(ex - x - (long)line_start) : (int)strlen(x + line_start);
    int ly = ey ? (int)(ey - y - (long)line_start) : (int)strlen(y + line_start);
    snprintf(msg, sizeof msg, "\n  x: %.*s\n  y: %.*s", lx > 500 ? 500 : lx, x + line_start, ly > 500 ? 500 : ly,
             y + line_start);
    return msg;
}

static inline uint64_t sync_verify(alliance_db *db)
{
    uint64_t mismatches = 99;
    ck_assert_int_eq(alliance_verify(db, &mismatches), ALLIANCE_OK);
    return mismatches;
}

#endif
