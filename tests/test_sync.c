/* SPDX-License-Identifier: MIT */
/* test_sync.c - sync between copies of a collection (docs/sync.md): identity,
 * clones, merging answers, undo across copies, last-writer-wins by a Lamport clock,
 * leeches, idempotence, refusals, and damaged changesets. */
#include "collection_fixture.h"
#include "sync_fixture.h"

#include <sqlite3.h>

static alliance_db *a, *b;

static void setup(void)
{
    a = fixture_open(":memory:");
    fixture_add_cards(a, "deck", "c", 6, ALLIANCE_TEST_NOW);
    b = sync_clone_of(a, ":memory:");
}

static void teardown(void)
{
    alliance_close(a);
    alliance_close(b);
    a = b = NULL;
}

static void assert_same(alliance_db *x, alliance_db *y)
{
    char *dx = sync_dump(x), *dy = sync_dump(y);
    ck_assert_msg(strcmp(dx, dy) == 0, "the copies differ:%s", sync_dump_diff(dx, dy));
    free(dx);
    free(dy);
    ck_assert_uint_eq(sync_verify(x), 0);
    ck_assert_uint_eq(sync_verify(y), 0);
}

/* ---- identity ---- */

START_TEST(a_clone_shares_the_collection_id_and_has_its_own_replica_id)
{
    uint8_t ida[16], idb[16];
    int64_t ra = 0, rb = 0;
    ck_assert_int_eq(alliance_collection_id(a, ida, sizeof ida), ALLIANCE_OK);
    ck_assert_int_eq(alliance_collection_id(b, idb, sizeof idb), ALLIANCE_OK);
    ck_assert_mem_eq(ida, idb, 16);
    ck_assert_int_eq(alliance_replica_id(a, &ra), ALLIANCE_OK);
    ck_assert_int_eq(alliance_replica_id(b, &rb), ALLIANCE_OK);
    ck_assert_int_ne(ra, 0);
    ck_assert_int_ne(ra, rb);
    ck_assert_int_eq(alliance_collection_id(a, ida, 15), ALLIANCE_EINVAL);
}
END_TEST

START_TEST(two_new_collections_have_different_ids)
{
    alliance_db *c = fixture_open(":memory:");
    uint8_t ida[16], idc[16];
    alliance_collection_id(a, ida, 16);
    alliance_collection_id(c, idc, 16);
    ck_assert_int_ne(memcmp(ida, idc, 16), 0);
    alliance_close(c);
}
END_TEST

START_TEST(a_clone_reads_back_the_same_and_verifies)
{
    fixture_answer(a, "c1", 5, fixture_at(0, 9));
    fixture_answer(a, "c2", 1, fixture_at(0, 9));
    ck_assert_int_eq(alliance_card_suspend(a, "c3", 1, 0), ALLIANCE_OK);
    alliance_db *c = sync_clone_of(a, ":memory:");
    assert_same(a, c);
    alliance_close(c);
}
END_TEST

START_TEST(clone_refuses_a_collection_that_has_changes)
{
    membuf cs = { 0 };
    ck_assert_int_eq(alliance_sync_changes(a, NULL, NULL, membuf_write, &cs), ALLIANCE_OK);
    memreader r = memreader_of(&cs, 0);
    ck_assert_int_eq(alliance_sync_clone(b, memreader_read, &r, NULL), ALLIANCE_EMISUSE);
    membuf_free(&cs);
}
END_TEST

/* ---- answers merge by union ---- */

START_TEST(answers_on_both_copies_are_all_kept)
{
    fixture_answer(a, "c1", 5, fixture_at(0, 9));
    fixture_answer(b, "c2", 4, fixture_at(0, 10));
    fixture_answer(b, "c1", 3, fixture_at(0, 11)); /* the same card, offline on both */
    sync_both(a, b);
    assert_same(a, b);
    alliance_card *c1 = fixture_card(a, "c1");
    ck_assert_uint_eq(c1->reviews, 2);
    alliance_free(c1);
    ck_assert_int_eq(fixture_log_rows(b, NULL), 3);
}
END_TEST

START_TEST(the_merged_log_is_replayed_in_time_order)
{
    /* b answered earlier in the day than a, but syncs later: replay puts b's answer first */
    fixture_answer(a, "c1", 2, fixture_at(0, 12));
    fixture_answer(b, "c1", 5, fixture_at(0, 8));
    sync_both(a, b);
    assert_same(a, b);
    alliance_review_iter *it = NULL;
    ck_assert_int_eq(alliance_review_iter_open(&it, a, "c1"), ALLIANCE_OK);
    alliance_review r = { .version = ALLIANCE_REVIEW_VERSION };
    ck_assert_int_eq(alliance_review_iter_next(it, &r), ALLIANCE_OK);
    ck_assert_int_eq(r.grade, 5);
    ck_assert_int_eq(r.elapsed_days, -1);
    ck_assert_int_eq(alliance_review_iter_next(it, &r), ALLIANCE_OK);
    ck_assert_int_eq(r.grade, 2);
    ck_assert_int_eq(r.elapsed_days, 0);
    alliance_review_iter_free(it);
}
END_TEST

START_TEST(a_clock_a_day_behind_never_counts_a_review_before_the_previous_one)
{
    fixture_answer(a, "c1", 5, fixture_at(3, 9));
    sync_both(a, b);
    /* b's clock says day 2, but the card was last answered on day 3 */
    fixture_answer(b, "c1", 5, fixture_at(2, 9) + 3 * ALLIANCE_TEST_DAY);
    fixture_answer(a, "c2", 4, fixture_at(3, 10));
    fixture_answer(b, "c2", 4, fixture_at(2, 10)); /* b is a day behind */
    sync_both(a, b);
    assert_same(a, b);
    alliance_card *c2 = fixture_card(a, "c2");
    ck_assert_int_eq(c2->last_review_day, FIXTURE_DAY0 + 3);
    alliance_free(c2);
}
END_TEST

START_TEST(a_second_sync_changes_nothing)
{
    fixture_answer(a, "c1", 5, fixture_at(0, 9));
    ck_assert_int_eq(alliance_card_suspend(b, "c2", 1, 0), ALLIANCE_OK);
    sync_both(a, b);
    char *before = sync_dump(a);
    alliance_sync_report *rep = NULL;
    ck_assert_int_eq(sync_one_way(b, a, &rep), ALLIANCE_OK);
    ck_assert_uint_eq(rep->reviews + rep->tombstones + rep->cards + rep->decks + rep->settings, 0);
    alliance_free(rep);
    char *after = sync_dump(a);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
}
END_TEST

START_TEST(the_same_changeset_applied_twice_changes_nothing_the_second_time)
{
    fixture_answer(a, "c1", 5, fixture_at(0, 9));
    membuf cs = { 0 };
    ck_assert_int_eq(sync_changes_for(a, b, &cs), ALLIANCE_OK);
    memreader r = memreader_of(&cs, 0);
    alliance_sync_report *rep = NULL;
    ck_assert_int_eq(alliance_sync_apply(b, NULL, memreader_read, &r, &rep), ALLIANCE_OK);
    ck_assert_uint_eq(rep->reviews, 1);
    alliance_free(rep);
    char *before = sync_dump(b);
    r = memreader_of(&cs, 0);
    ck_assert_int_eq(alliance_sync_apply(b, NULL, memreader_read, &r, &rep), ALLIANCE_OK);
    ck_assert_uint_eq(rep->reviews, 0);
    ck_assert_uint_ge(rep->already_held, 1);
    alliance_free(rep);
    char *after = sync_dump(b);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    membuf_free(&cs);
}
END_TEST

START_TEST(a_changeset_is_proportional_to_the_changes)
{
    fixture_add_cards(a, "big", "x", 500, ALLIANCE_TEST_NOW);
    sync_both(a, b);
    fixture_answer(a, "c1", 5, fixture_at(0, 9));
    membuf cs = { 0 };
    ck_assert_int_eq(sync_changes_for(a, b, &cs), ALLIANCE_OK);
    ck_assert_uint_lt(cs.len, 400); /* one review, whatever the size of the collection */
    membuf_free(&cs);
}
END_TEST

/* ---- undo ---- */

START_TEST(an_undo_reaches_the_other_copy)
{
    fixture_answer(a, "c1", 5, fixture_at(0, 9));
    sync_both(a, b);
    ck_assert_int_eq(fixture_log_rows(b, "c1"), 1);
    ck_assert_int_eq(alliance_undo(a, NULL), ALLIANCE_OK);
    sync_both(a, b);
    ck_assert_int_eq(fixture_log_rows(b, "c1"), 0);
    assert_same(a, b);
    alliance_card *c1 = fixture_card(b, "c1");
    ck_assert_uint_eq(c1->reviews, 0);
    ck_assert_int_eq(c1->last_review_day, -1);
    alliance_free(c1);
}
END_TEST

START_TEST(undo_never_takes_back_an_answer_of_another_copy)
{
    fixture_answer(a, "c1", 5, fixture_at(0, 9));
    sync_both(a, b);
    ck_assert_int_eq(alliance_undo(b, NULL), ALLIANCE_ENOUNDO);
    fixture_answer(b, "c2", 5, fixture_at(0, 10));
    sync_both(a, b);
    char *id = NULL;
    ck_assert_int_eq(alliance_undo(a, &id), ALLIANCE_OK); /* a's own, though b's is newer */
    ck_assert_str_eq(id, "c1");
    alliance_free(id);
    sync_both(a, b);
    assert_same(a, b);
    ck_assert_int_eq(fixture_log_rows(a, NULL), 1);
}
END_TEST

START_TEST(an_undo_that_arrives_with_its_answer_drops_it)
{
    fixture_answer(a, "c1", 5, fixture_at(0, 9));
    fixture_answer(a, "c2", 5, fixture_at(0, 9));
    ck_assert_int_eq(alliance_undo(a, NULL), ALLIANCE_OK);
    sync_both(a, b);
    ck_assert_int_eq(fixture_log_rows(b, "c2"), 0);
    ck_assert_int_eq(fixture_log_rows(b, "c1"), 1);
    assert_same(a, b);
}
END_TEST

/* ---- last writer wins, by a Lamport clock ---- */

START_TEST(settings_changed_on_both_converge_on_the_later_write)
{
    alliance_config cfg;
    alliance_config_init(&cfg, ALLIANCE_CONFIG_VERSION);
    cfg.new_per_day = 5;
    ck_assert_int_eq(alliance_config_set(a, &cfg), ALLIANCE_OK);
    cfg.new_per_day = 7;
    ck_assert_int_eq(alliance_config_set(b, &cfg), ALLIANCE_OK);
    alliance_sync_report *rep = NULL;
    ck_assert_int_eq(sync_one_way(a, b, &rep), ALLIANCE_OK);
    ck_assert_uint_eq(rep->conflicts, 1);
    ck_assert_ptr_nonnull(strstr(rep->conflict_text, "new_per_day"));
    alliance_free(rep);
    ck_assert_int_eq(sync_one_way(b, a, NULL), ALLIANCE_OK);
    assert_same(a, b);
}
END_TEST

START_TEST(a_write_after_seeing_another_wins_whatever_the_wall_clock)
{
    /* a's write comes after it has seen b's: a wins, even though b's "phone" is set to 2031 */
    ck_assert_int_eq(alliance_card_suspend(b, "c1", 1, INT64_C(1956528000)), ALLIANCE_OK);
    sync_both(a, b);
    ck_assert_int_eq(alliance_card_suspend(a, "c1", 0, ALLIANCE_TEST_NOW), ALLIANCE_OK);
    sync_both(a, b);
    alliance_card *c1 = fixture_card(b, "c1");
    ck_assert_uint_eq(c1->suspended, 0);
    alliance_free(c1);
    assert_same(a, b);
}
END_TEST

START_TEST(a_leech_suspension_holds_unless_unsuspended_after_it)
{
    alliance_config cfg;
    alliance_config_init(&cfg, ALLIANCE_CONFIG_VERSION);
    cfg.leech_threshold = 1;
    ck_assert_int_eq(alliance_config_set(a, &cfg), ALLIANCE_OK);
    sync_both(a, b);
    fixture_answer(a, "c1", 5, fixture_at(0, 9));
    fixture_answer(a, "c1", 5, fixture_at(1, 9));
    sync_both(a, b);
    /* b suspended and unsuspended c1 earlier (a has seen it): older than the lapse to come */
    ck_assert_int_eq(alliance_card_suspend(b, "c1", 1, 0), ALLIANCE_OK);
    ck_assert_int_eq(alliance_card_suspend(b, "c1", 0, 0), ALLIANCE_OK);
    sync_both(a, b);
    fixture_answer(a, "c1", 1, fixture_at(7, 9)); /* a lapse: a leech, suspended */
    sync_both(a, b);
    assert_same(a, b);
    alliance_card *c1 = fixture_card(b, "c1");
    ck_assert_uint_eq(c1->leech, 1);
    ck_assert_uint_eq(c1->suspended, 1);
    alliance_free(c1);
    /* now the learner unsuspends it on b, after the lapse: it stays unsuspended everywhere */
    ck_assert_int_eq(alliance_card_suspend(b, "c1", 0, 0), ALLIANCE_OK);
    sync_both(a, b);
    assert_same(a, b);
    c1 = fixture_card(a, "c1");
    ck_assert_uint_eq(c1->suspended, 0);
    ck_assert_uint_eq(c1->leech, 1);
    alliance_free(c1);
    /* undoing the lapse on a lifts the leech everywhere, and the learner's unsuspend stays */
    ck_assert_int_eq(alliance_undo(a, NULL), ALLIANCE_OK);
    sync_both(a, b);
    assert_same(a, b);
    c1 = fixture_card(b, "c1");
    ck_assert_uint_eq(c1->leech, 0);
    ck_assert_uint_eq(c1->suspended, 0);
    alliance_free(c1);
}
END_TEST

START_TEST(a_leech_and_a_concurrent_unsuspend_converge)
{
    alliance_config cfg;
    alliance_config_init(&cfg, ALLIANCE_CONFIG_VERSION);
    cfg.leech_threshold = 1;
    ck_assert_int_eq(alliance_config_set(a, &cfg), ALLIANCE_OK);
    fixture_answer(a, "c1", 5, fixture_at(0, 9));
    fixture_answer(a, "c1", 5, fixture_at(1, 9));
    sync_both(a, b);
    for (int i = 0; i < 3; i++) { /* b's counter runs ahead: its write is the newer stamp */
        ck_assert_int_eq(alliance_card_suspend(b, "c1", 1, 0), ALLIANCE_OK);
        ck_assert_int_eq(alliance_card_suspend(b, "c1", 0, 0), ALLIANCE_OK);
    }
    fixture_answer(a, "c1", 1, fixture_at(7, 9));
    sync_both(a, b);
    assert_same(a, b);
    alliance_card *c1 = fixture_card(a, "c1");
    ck_assert_uint_eq(c1->leech, 1);
    ck_assert_uint_eq(c1->suspended, 0);
    alliance_free(c1);
}
END_TEST

START_TEST(an_edited_deck_imported_on_one_copy_reaches_the_other)
{
    static const char deck1[] = "deck: D\n\ncard: d1\ntype: basic\nfront: one\nback: 1\n\n"
                                "card: d2\ntype: basic\nfront: two\nback: 2\n";
    static const char deck2[] = "deck: D\ndescription: edited\n\ncard: d1\ntype: basic\nfront: one, edited\nback: 1\n\n"
                                "card: d3\ntype: basic\nfront: three\nback: 3\n";
    ck_assert_int_eq(alliance_deck_import_buffer(a, "d.deck", deck1, sizeof deck1 - 1, NULL, ALLIANCE_TEST_NOW, NULL),
                     ALLIANCE_OK);
    sync_both(a, b);
    fixture_answer(b, "d2", 4, fixture_at(0, 9));
    ck_assert_int_eq(alliance_deck_import_buffer(a, "d.deck", deck2, sizeof deck2 - 1, NULL, fixture_at(0, 10), NULL),
                     ALLIANCE_OK);
    sync_both(a, b);
    assert_same(a, b);
    alliance_card *d1 = fixture_card(b, "d1"), *d2 = fixture_card(b, "d2");
    ck_assert_str_eq(d1->front, "one, edited");
    ck_assert_uint_eq(d2->suspended, 1); /* dropped by the import; its answer from b kept */
    ck_assert_uint_eq(d2->reviews, 1);
    alliance_free(d1);
    alliance_free(d2);
    membuf ea = { 0 }, eb = { 0 };
    int64_t deck = 0;
    ck_assert_int_eq(alliance_deck_id(b, "D", 0, &deck), ALLIANCE_OK);
    ck_assert_int_eq(alliance_deck_export(a, deck, ALLIANCE_FORMAT_DECK, membuf_write, &ea), ALLIANCE_OK);
    ck_assert_int_eq(alliance_deck_export(b, deck, ALLIANCE_FORMAT_DECK, membuf_write, &eb), ALLIANCE_OK);
    ck_assert_str_eq(ea.data, eb.data);
    ck_assert_ptr_null(strstr(eb.data, "d2"));
    ck_assert_ptr_nonnull(strstr(eb.data, "edited"));
    membuf_free(&ea);
    membuf_free(&eb);
}
END_TEST

/* ---- refusals ---- */

START_TEST(a_changeset_of_another_collection_is_refused_unless_forced)
{
    alliance_db *other = fixture_open(":memory:");
    fixture_add_cards(other, "other", "o", 2, ALLIANCE_TEST_NOW);
    char *before = sync_dump(a);
    ck_assert_int_eq(sync_one_way(other, a, NULL), ALLIANCE_EFOREIGN);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(a), "another learner"));
    char *after = sync_dump(a);
    ck_assert_str_eq(before, after);
    membuf cs = { 0 };
    ck_assert_int_eq(sync_changes_for(other, a, &cs), ALLIANCE_OK);
    alliance_sync_options o;
    alliance_sync_options_init(&o, ALLIANCE_SYNC_OPTIONS_VERSION);
    o.force = 1;
    memreader r = memreader_of(&cs, 0);
    ck_assert_int_eq(alliance_sync_apply(a, &o, memreader_read, &r, NULL), ALLIANCE_OK);
    alliance_card *o1 = fixture_card(a, "o1");
    alliance_free(o1);
    membuf_free(&cs);
    free(before);
    free(after);
    alliance_close(other);
}
END_TEST

START_TEST(a_newer_format_is_refused)
{
    fixture_answer(a, "c1", 5, fixture_at(0, 9));
    membuf cs = { 0 };
    ck_assert_int_eq(sync_changes_for(a, b, &cs), ALLIANCE_OK);
    cs.data[8] = 5; /* format version 5 (this library writes 4) */
    memreader r = memreader_of(&cs, 0);
    ck_assert_int_eq(alliance_sync_apply(b, NULL, memreader_read, &r, NULL), ALLIANCE_ENEWER);
    ck_assert_int_eq(fixture_log_rows(b, NULL), 0);
    membuf_free(&cs);
}
END_TEST

START_TEST(every_truncation_and_bit_flip_is_refused_with_nothing_applied)
{
    fixture_answer(a, "c1", 5, fixture_at(0, 9));
    fixture_answer(a, "c2", 2, fixture_at(0, 9));
    ck_assert_int_eq(alliance_card_suspend(a, "c3", 1, 0), ALLIANCE_OK);
    ck_assert_int_eq(alliance_undo(a, NULL), ALLIANCE_OK);
    membuf cs = { 0 };
    ck_assert_int_eq(sync_changes_for(a, b, &cs), ALLIANCE_OK);
    char *before = sync_dump(b);
    for (size_t len = 0; len < cs.len; len++) {
        memreader r = { cs.data, len, 0, 7 };
        int rc = alliance_sync_apply(b, NULL, memreader_read, &r, NULL);
        ck_assert_msg(rc == ALLIANCE_ECORRUPT, "truncated to %zu bytes: %d %s", len, rc, alliance_errmsg(b));
    }
    for (size_t bit = 0; bit < cs.len * 8; bit += 3) {
        cs.data[bit / 8] ^= (char)(1 << (bit % 8));
        memreader r = memreader_of(&cs, 0);
        int rc = alliance_sync_apply(b, NULL, memreader_read, &r, NULL);
        cs.data[bit / 8] ^= (char)(1 << (bit % 8));
        ck_assert_msg(rc < 0, "bit %zu flipped: accepted", bit);
    }
    char *after = sync_dump(b);
    ck_assert_str_eq(before, after);
    ck_assert_uint_eq(sync_verify(b), 0);
    free(before);
    free(after);
    /* and the intact changeset still applies */
    memreader r = memreader_of(&cs, 0);
    ck_assert_int_eq(alliance_sync_apply(b, NULL, memreader_read, &r, NULL), ALLIANCE_OK);
    assert_same(a, b);
    membuf_free(&cs);
}
END_TEST

/* CRC-32 (IEEE, as zlib's crc32), to re-seal a changeset a test has edited. */
static uint32_t test_crc32(const char *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= (uint8_t)p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return ~c;
}

/* Replaces every occurrence of `from` by `to` (same length) and re-seals the changeset:
 * what a hostile or buggy peer could send with a valid checksum. */
static void edit_and_reseal(membuf *cs, const char *from, const char *to, size_t n)
{
    int found = 0;
    for (size_t i = 0; i + n <= cs->len - 4; i++)
        if (memcmp(cs->data + i, from, n) == 0) {
            memcpy(cs->data + i, to, n);
            found = 1;
        }
    ck_assert_msg(found, "the changeset does not hold the text to edit");
    uint32_t crc = test_crc32(cs->data, cs->len - 4);
    for (int k = 0; k < 4; k++)
        cs->data[cs->len - 4 + (size_t)k] = (char)(crc >> (8 * k));
}

/* Texts a changeset brings in follow the rule every other way in has (docs/deck-format.md,
 * "Text"): a card id or deck name with a line break, a text with a carriage return, would be
 * a card that no deck file can hold. Refused, with nothing applied. */
START_TEST(a_changeset_with_texts_the_api_refuses_is_refused)
{
    int64_t deck = 0;
    ck_assert_int_eq(alliance_deck_id(a, "Hostile", 1, &deck), ALLIANCE_OK);
    alliance_note note;
    alliance_note_init(&note, ALLIANCE_NOTE_VERSION);
    note.type = ALLIANCE_CARD_BASIC;
    note.id = "zq";
    note.front = "front-of-zq";
    note.back = "b";
    ck_assert_int_eq(alliance_note_add(a, deck, &note, ALLIANCE_TEST_NOW), ALLIANCE_OK);
    fixture_answer(a, "zq", 4, fixture_at(0, 9));
    static const struct { const char *from, *to; size_t n; } edits[] = {
        { "\x02\0\0\0zq", "\x02\0\0\0z\n", 6 },       /* a card id (and note id) with a line break */
        { "\x02\0\0\0zq", "\x02\0\0\0z\x01", 6 },     /* ... with a control character */
        { "Hostile", "Host\nle", 7 },                 /* a deck name with a line break */
        { "front-of-zq", "front\rof-zq", 11 },       /* a carriage return in a text */
    };
    char *before = sync_dump(b);
    for (size_t e = 0; e < sizeof edits / sizeof edits[0]; e++) {
        membuf cs = { 0 };
        ck_assert_int_eq(sync_changes_for(a, b, &cs), ALLIANCE_OK);
        edit_and_reseal(&cs, edits[e].from, edits[e].to, edits[e].n);
        memreader r = memreader_of(&cs, 0);
        int rc = alliance_sync_apply(b, NULL, memreader_read, &r, NULL);
        ck_assert_msg(rc == ALLIANCE_ECORRUPT, "edit %zu: %d %s", e, rc, alliance_errmsg(b));
        membuf_free(&cs);
        char *after = sync_dump(b);
        ck_assert_str_eq(before, after);
        free(after);
    }
    free(before);
    /* the intact changeset applies */
    ck_assert_int_eq(sync_one_way(a, b, NULL), ALLIANCE_OK);
    assert_same(a, b);
}
END_TEST

static int failing_read(void *opaque, void *buf, size_t cap, size_t *out_len)
{
    (void)opaque;
    (void)buf;
    (void)cap;
    *out_len = 0;
    return 5;
}

START_TEST(a_failing_read_is_an_io_error)
{
    ck_assert_int_eq(alliance_sync_apply(b, NULL, failing_read, NULL, NULL), ALLIANCE_EIO);
    ck_assert_int_eq(alliance_sync_apply(b, NULL, NULL, NULL, NULL), ALLIANCE_EINVAL);
    membuf st = { 0 };
    ck_assert_int_eq(alliance_sync_state(b, membuf_write, &st), ALLIANCE_OK);
    memreader r = memreader_of(&st, 0);
    ck_assert_int_eq(alliance_sync_apply(b, NULL, memreader_read, &r, NULL), ALLIANCE_EINVAL); /* a state */
    membuf_free(&st);
}
END_TEST

START_TEST(a_changeset_written_for_another_peer_never_loses_events)
{
    /* c is a third copy that already has a's first answer; a changeset written for c
     * and applied by b (which lacks that answer) must not make b believe it has it. */
    alliance_db *c = sync_clone_of(a, ":memory:");
    fixture_answer(a, "c1", 5, fixture_at(0, 9));
    sync_both(a, c);
    fixture_answer(a, "c2", 5, fixture_at(0, 10));
    membuf cs = { 0 };
    ck_assert_int_eq(sync_changes_for(a, c, &cs), ALLIANCE_OK);
    memreader r = memreader_of(&cs, 0);
    ck_assert_int_eq(alliance_sync_apply(b, NULL, memreader_read, &r, NULL), ALLIANCE_OK);
    sync_both(a, b);
    ck_assert_int_eq(fixture_log_rows(b, "c1"), 1);
    assert_same(a, b);
    membuf_free(&cs);
    alliance_close(c);
}
END_TEST

/* Writing a changeset leaves no statement on a row: the handle then sees what another
 * connection writes (a statement left busy would keep its old read snapshot open). */
START_TEST(after_writing_changes_the_copy_sees_another_connections_writes)
{
    char path[4200];
    snprintf(path, sizeof path, "%s", alliance_test_path("seen.db"));
    alliance_db *c = fixture_open(path);
    fixture_add_cards(c, "deck", "s", 2, ALLIANCE_TEST_NOW);
    membuf cs = { 0 };
    ck_assert_int_eq(alliance_sync_changes(c, NULL, NULL, membuf_write, &cs), ALLIANCE_OK);
    membuf_free(&cs);
    sqlite3 *raw = NULL;
    ck_assert_int_eq(sqlite3_open(path, &raw), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(raw, "UPDATE config SET new_per_day = 7", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);
    alliance_config cfg;
    alliance_config_init(&cfg, ALLIANCE_CONFIG_VERSION);
    ck_assert_int_eq(alliance_config_get(c, &cfg), ALLIANCE_OK);
    ck_assert_uint_eq(cfg.new_per_day, 7);
    alliance_close(c);
}
END_TEST

/* A changeset written for c, applied by b: b keeps what it was sent (a's new card n2) but,
 * lacking what c already had (n1), does not advance its entry for a. It must still pass n2
 * on: its own later answer and suspension of n2 go to c, which lacks n2 too, and were
 * refused there ("flags of card n2, which the changeset does not contain") for ever. */
START_TEST(events_held_beyond_the_vector_are_passed_on)
{
    alliance_db *c = sync_clone_of(a, ":memory:");
    fixture_add_cards(a, "deck", "n", 1, ALLIANCE_TEST_NOW); /* n1 */
    ck_assert_int_eq(sync_one_way(a, c, NULL), ALLIANCE_OK);
    ck_assert_int_eq(alliance_deck_import_buffer(a, "more.deck", "deck: more\n\ncard: n2\ntype: basic\nfront: f\n"
                                                 "back: b\n", 50, NULL, ALLIANCE_TEST_NOW, NULL), ALLIANCE_OK);
    membuf cs = { 0 };
    ck_assert_int_eq(sync_changes_for(a, c, &cs), ALLIANCE_OK);
    memreader r = memreader_of(&cs, 0);
    ck_assert_int_eq(alliance_sync_apply(b, NULL, memreader_read, &r, NULL), ALLIANCE_OK);
    membuf_free(&cs);
    fixture_answer(b, "n2", 4, fixture_at(0, 9));
    ck_assert_int_eq(alliance_card_suspend(b, "n2", 1, 0), ALLIANCE_OK);
    /* c (no n2) and b (n2, and b's own events on it) */
    alliance_sync_report *rep = NULL;
    int rc = sync_one_way(b, c, &rep);
    ck_assert_msg(rc == ALLIANCE_OK, "b -> c: %d %s", rc, alliance_errmsg(c));
    alliance_free(rep);
    ck_assert_int_eq(fixture_log_rows(c, "n2"), 1);
    sync_both(a, b);
    sync_both(b, c);
    sync_both(a, c);
    assert_same(a, b);
    assert_same(b, c);
    alliance_close(c);
}
END_TEST

/* A deck name is limited only by the deck format's line (1 MiB), so a deck the API
 * accepts may have a name far longer than a card id: it must sync like any other. */
START_TEST(a_deck_with_a_long_name_syncs)
{
    size_t len = 3000;
    char *name = malloc(len + 1);
    ck_assert_ptr_nonnull(name);
    for (size_t i = 0; i < len; i++)
        name[i] = (char)('a' + i % 26);
    name[len] = '\0';
    int64_t deck = 0;
    ck_assert_int_eq(alliance_deck_id(a, name, 1, &deck), ALLIANCE_OK);
    alliance_note note;
    alliance_note_init(&note, ALLIANCE_NOTE_VERSION);
    note.type = ALLIANCE_CARD_BASIC;
    note.id = "long-deck-card";
    note.front = "f";
    note.back = "b";
    ck_assert_int_eq(alliance_note_add(a, deck, &note, ALLIANCE_TEST_NOW), ALLIANCE_OK);
    int rc = sync_one_way(a, b, NULL);
    ck_assert_msg(rc == ALLIANCE_OK, "sync: %d %s", rc, alliance_errmsg(b));
    alliance_card *c = NULL;
    ck_assert_int_eq(alliance_card_get(b, "long-deck-card", &c), ALLIANCE_OK);
    char *got = NULL;
    ck_assert_int_eq(alliance_deck_name(b, c->deck_id, &got), ALLIANCE_OK);
    ck_assert_str_eq(got, name);
    alliance_free(got);
    alliance_free(c);
    assert_same(a, b);
    free(name);
}
END_TEST

/* ---- the schema: a new file and an upgraded version-1 file are the same ---- */

static char *schema_of(const char *path)
{
    sqlite3 *raw = NULL;
    ck_assert_int_eq(sqlite3_open_v2(path, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    membuf out = { 0 };
    sqlite3_stmt *objects = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(raw, "SELECT type, name, tbl_name FROM sqlite_master "
                                        "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name", -1, &objects, NULL),
                     SQLITE_OK);
    while (sqlite3_step(objects) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(objects, 0);
        const char *name = (const char *)sqlite3_column_text(objects, 1);
        char line[512];
        snprintf(line, sizeof line, "%s %s on %s\n", type, name, (const char *)sqlite3_column_text(objects, 2));
        membuf_write(&out, line, strlen(line));
        const char *pragma = strcmp(type, "table") == 0 ? "table_xinfo" : strcmp(type, "index") == 0 ? "index_xinfo"
                                                                                                      : NULL;
        if (!pragma)
            continue;
        char *q = sqlite3_mprintf("SELECT * FROM pragma_%s(%Q)", pragma, name);
        sqlite3_stmt *cols = NULL;
        ck_assert_int_eq(sqlite3_prepare_v2(raw, q, -1, &cols, NULL), SQLITE_OK);
        while (sqlite3_step(cols) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(cols); c++) {
                const unsigned char *v = sqlite3_column_text(cols, c);
                snprintf(line, sizeof line, " %s", v ? (const char *)v : "NULL");
                membuf_write(&out, line, strlen(line));
            }
            membuf_write(&out, "\n", 1);
        }
        sqlite3_finalize(cols);
        sqlite3_free(q);
    }
    sqlite3_finalize(objects);
    sqlite3_close(raw);
    return out.data;
}

START_TEST(a_new_collection_has_the_schema_of_an_upgraded_one)
{
    size_t len = 0;
    char *v1 = alliance_test_read_file(ALLIANCE_TEST_DATA "/v1/collection.db", &len);
    ck_assert_ptr_nonnull(v1);
    const char *upgraded = alliance_test_path("upgraded.db"), *fresh = alliance_test_path("fresh.db");
    FILE *f = fopen(upgraded, "wb");
    ck_assert_uint_eq(fwrite(v1, 1, len, f), len);
    fclose(f);
    free(v1);
    alliance_close(fixture_open(upgraded));
    alliance_close(fixture_open(fresh));
    char *x = schema_of(upgraded), *y = schema_of(fresh);
    ck_assert_msg(strcmp(x, y) == 0, "the schemas differ:%s", sync_dump_diff(x, y));
    free(x);
    free(y);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sync");
    TCase *t = tcase_create("identity");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, a_clone_shares_the_collection_id_and_has_its_own_replica_id);
    tcase_add_test(t, two_new_collections_have_different_ids);
    tcase_add_test(t, a_clone_reads_back_the_same_and_verifies);
    tcase_add_test(t, clone_refuses_a_collection_that_has_changes);
    tcase_add_test(t, a_new_collection_has_the_schema_of_an_upgraded_one);
    tcase_add_test(t, after_writing_changes_the_copy_sees_another_connections_writes);
    suite_add_tcase(s, t);
    t = tcase_create("merge");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, answers_on_both_copies_are_all_kept);
    tcase_add_test(t, the_merged_log_is_replayed_in_time_order);
    tcase_add_test(t, a_clock_a_day_behind_never_counts_a_review_before_the_previous_one);
    tcase_add_test(t, a_second_sync_changes_nothing);
    tcase_add_test(t, the_same_changeset_applied_twice_changes_nothing_the_second_time);
    tcase_add_test(t, a_changeset_is_proportional_to_the_changes);
    tcase_add_test(t, an_undo_reaches_the_other_copy);
    tcase_add_test(t, undo_never_takes_back_an_answer_of_another_copy);
    tcase_add_test(t, an_undo_that_arrives_with_its_answer_drops_it);
    tcase_add_test(t, settings_changed_on_both_converge_on_the_later_write);
    tcase_add_test(t, a_write_after_seeing_another_wins_whatever_the_wall_clock);
    tcase_add_test(t, a_leech_suspension_holds_unless_unsuspended_after_it);
    tcase_add_test(t, a_leech_and_a_concurrent_unsuspend_converge);
    tcase_add_test(t, an_edited_deck_imported_on_one_copy_reaches_the_other);
    tcase_add_test(t, a_changeset_written_for_another_peer_never_loses_events);
    tcase_add_test(t, a_deck_with_a_long_name_syncs);
    tcase_add_test(t, events_held_beyond_the_vector_are_passed_on);
    suite_add_tcase(s, t);
    t = tcase_create("refusals");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, a_changeset_of_another_collection_is_refused_unless_forced);
    tcase_add_test(t, a_newer_format_is_refused);
    tcase_add_test(t, every_truncation_and_bit_flip_is_refused_with_nothing_applied);
    tcase_add_test(t, a_failing_read_is_an_io_error);
    tcase_add_test(t, a_changeset_with_texts_the_api_refuses_is_refused);
    suite_add_tcase(s, t);
    return alliance_test_run(s);
}
