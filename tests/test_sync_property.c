/* SPDX-License-Identifier: MIT */
/* test_sync_property.c - convergence, idempotence and exact replay, over thousands of
 * seeded histories: 3-5 copies of a collection answer, undo, suspend, bury, change
 * settings (rollover hour included), SM-2 parameters, the scheduler and FSRS parameters,
 * import edited decks and add notes, set and clear an exam, turn siblings apart and fuzz
 * on and off (schema 4), rename and delete decks (with their cards), update and delete notes,
 * import an Anki package with its review history (schema 6: the same package on several
 * copies makes one import key twice) and answer its cards, with clocks days apart, sync in
 * random pairs and directions,
 * apply changesets kept from earlier (late, or by a copy they were not written for), and a
 * new copy may be cloned mid-history; a final round of syncs must leave
 * every copy identical in everything a user or the API can see (each review's record of
 * the scheduler and FSRS parameters it was answered under included: schema 5, checked at
 * the answer too), with alliance_verify clean, and one more sync must change nothing.
 *
 * CI budget: ALLIANCE_SYNC_SEEDS seeds (default 2000 in a plain build, about a minute
 * on one core; 150 under the sanitizers). A failing seed is printed: rerun it alone
 * with ALLIANCE_SYNC_SEED=N. */
#include "sync_fixture.h"

#include <stdlib.h>

#if defined(__SANITIZE_ADDRESS__)
#define DEFAULT_SEEDS 150
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DEFAULT_SEEDS 150
#endif
#endif
#ifndef DEFAULT_SEEDS
#define DEFAULT_SEEDS 2000
#endif

#define MAX_REPLICAS 5
#define DECK_CARDS 10

static uint64_t rng_state;

static uint64_t next(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static int pick(int n)
{
    return (int)(next() % (uint64_t)n);
}

static alliance_db *open_new(void)
{
    alliance_open_options o;
    alliance_open_options_init(&o, ALLIANCE_OPEN_OPTIONS_VERSION);
    o.utc_offset_seconds = 0;
    alliance_db *db = NULL;
    ck_assert_int_eq(alliance_open(&db, ":memory:", &o), ALLIANCE_OK);
    return db;
}

/* A version of the deck: some of its cards, some of them edited. */
/* The name of the deck card p0 is in (renames move it), or "P". */
static void deck_of_p0(alliance_db *db, char *out, size_t size)
{
    alliance_card *c = NULL;
    char *name = NULL;
    snprintf(out, size, "P");
    if (alliance_card_get(db, "p0", &c) == ALLIANCE_OK && alliance_deck_name(db, c->deck_id, &name) == ALLIANCE_OK)
        snprintf(out, size, "%s", name);
    alliance_free(name);
    alliance_free(c);
}

static void import_variant(alliance_db *db, int64_t now)
{
    char text[4096], deck[64];
    deck_of_p0(db, deck, sizeof deck);
    int len = snprintf(text, sizeof text, "deck: %s\ndescription: version %d\n", deck, pick(100));
    int mask = pick(1 << DECK_CARDS) | 0x7; /* the first three always there */
    for (int k = 0; k < DECK_CARDS; k++)
        if (mask & (1 << k))
            len += snprintf(text + len, sizeof text - (size_t)len,
                            "\ncard: p%d\ntype: basic\nfront: question %d%s\nback: answer %d\ntags: t%d\n", k, k,
                            pick(4) == 0 ? " (edited)" : "", k, pick(3));
    int rc = alliance_deck_import_buffer(db, "p.deck", text, (size_t)len, NULL, now, NULL);
    /* EEXISTS: after concurrent renames and imports, some p cards are in another deck */
    ck_assert_msg(rc == ALLIANCE_OK || rc == ALLIANCE_EEXISTS, "import: %s", alliance_errmsg(db));
}

#define STASH 4

typedef struct world {
    alliance_db *r[MAX_REPLICAS];
    int n;
    int64_t skew[MAX_REPLICAS];
    int notes;
    int decks_changed; /* a rename or deletion happened: deck ids may differ (docs/sync.md) */
    membuf stash[STASH]; /* changesets kept to be applied late, or by another copy */
    int stash_from[STASH];
} world;

/* A changeset kept from earlier, applied late and perhaps by a copy it was not written for:
 * it must still apply (idempotently) or be refused whole, and never lose anything. */
static long stale_applied, stale_refused;
static int trace; /* ALLIANCE_SYNC_TRACE: 1 each seed, 2 each operation */

static void stale_apply(world *w, int k)
{
    int s = pick(STASH);
    if (!w->stash[s].data || w->stash_from[s] == k)
        return;
    alliance_sync_report *rep = NULL;
    memreader r = memreader_of(&w->stash[s], 333);
    int rc = alliance_sync_apply(w->r[k], NULL, memreader_read, &r, &rep);
    if (trace > 1)
        fprintf(stderr, "  kept changeset %d (from copy %d) applied by copy %d: %d\n", s, w->stash_from[s], k, rc);
    /* a review of a card the copy has not received yet (it was sent to a peer that had it) */
    ck_assert_msg(rc == ALLIANCE_OK || (rc == ALLIANCE_ECORRUPT && strstr(alliance_errmsg(w->r[k]), "neither this copy")),
                  "stale changeset: %d %s", rc, alliance_errmsg(w->r[k]));
    if (rc == ALLIANCE_OK && rep->reviews + rep->tombstones + rep->cards + rep->decks + rep->settings > 0)
        stale_applied++;
    else if (rc != ALLIANCE_OK)
        stale_refused++;
    alliance_free(rep);
}

/* Anki's SM-2 package with its review log (tests/data/anki), read once. */
static char *anki_package;
static size_t anki_package_len;
static const char *const anki_cards[] = { "r|EIC$_]pj", "k&[6p>ObDt", "G[H4:`awB!", "OU~g|+iYDa~reverse" };

static void import_anki(alliance_db *db, int64_t now)
{
    if (!anki_package) {
        anki_package = alliance_test_read_file(ALLIANCE_TEST_DATA "/anki/anki-legacy-cloze-learning.apkg",
                                               &anki_package_len);
        ck_assert_ptr_nonnull(anki_package);
    }
    alliance_import_options o;
    alliance_import_options_init(&o, ALLIANCE_IMPORT_OPTIONS_VERSION);
    o.format = ALLIANCE_FORMAT_APKG;
    int rc = alliance_deck_import_buffer(db, "history.apkg", anki_package, anki_package_len, &o, now, NULL);
    ck_assert_msg(rc == ALLIANCE_OK || rc == ALLIANCE_EEXISTS, "apkg import: %d %s", rc, alliance_errmsg(db));
}

/* The answer just given (the last of its card's log) records the scheduler and the FSRS
 * parameters in force on its copy (schema 5); the final dumps then check that every copy holds
 * the same record. */
static void assert_recorded_setting(alliance_db *db, const char *card_id)
{
    alliance_review_iter *it = NULL;
    ck_assert_int_eq(alliance_review_iter_open(&it, db, card_id), ALLIANCE_OK);
    alliance_review r, last;
    ck_assert_int_eq(alliance_review_init(&r, ALLIANCE_REVIEW_VERSION), ALLIANCE_OK);
    last = r;
    while (alliance_review_iter_next(it, &r) == ALLIANCE_OK)
        last = r;
    alliance_review_iter_free(it);
    uint32_t scheduler = 99;
    ck_assert_int_eq(alliance_scheduler_get(db, &scheduler), ALLIANCE_OK);
    ck_assert_uint_eq(last.scheduler, scheduler);
    if (scheduler == ALLIANCE_SCHEDULER_FSRS) {
        alliance_fsrs_params p;
        alliance_fsrs_params_init(&p, ALLIANCE_FSRS_PARAMS_VERSION);
        ck_assert_int_eq(alliance_fsrs_params_get(db, &p), ALLIANCE_OK);
        ck_assert_mem_eq(last.fsrs_params.weights, p.weights, sizeof p.weights);
        ck_assert(memcmp(&last.fsrs_params.desired_retention, &p.desired_retention, sizeof(double)) == 0);
        ck_assert_uint_eq(last.fsrs_params.max_interval_days, p.max_interval_days);
    } else {
        ck_assert_uint_eq(last.fsrs_params.version, 0);
    }
}

static void random_op(world *w, int i, int64_t now)
{
    alliance_db *db = w->r[i];
    char id[32];
    int op = pick(100);
    if (trace > 1)
        fprintf(stderr, "  copy %d op %d\n", i, op);
    if (op < 40) {
        snprintf(id, sizeof id, "p%d", pick(DECK_CARDS));
        if (w->notes && pick(4) == 0)
            snprintf(id, sizeof id, "n%d", pick(w->notes));
        else if (pick(8) == 0) /* a card of the Anki package, once a copy holds it */
            snprintf(id, sizeof id, "%s", anki_cards[pick(4)]);
        int rc = alliance_answer(db, id, pick(6), now, 1000, NULL);
        ck_assert_msg(rc == ALLIANCE_OK || rc == ALLIANCE_ENOTDUE || rc == ALLIANCE_ENOTFOUND, "answer: %d %s", rc,
                      alliance_errmsg(db));
        if (rc == ALLIANCE_OK)
            assert_recorded_setting(db, id);
    } else if (op < 48) {
        int rc = alliance_undo(db, NULL);
        ck_assert_msg(rc == ALLIANCE_OK || rc == ALLIANCE_ENOUNDO, "undo: %d %s", rc, alliance_errmsg(db));
    } else if (op < 56) {
        snprintf(id, sizeof id, "p%d", pick(DECK_CARDS));
        int rc = alliance_card_suspend(db, id, pick(2), now);
        ck_assert(rc == ALLIANCE_OK || rc == ALLIANCE_ENOTFOUND);
    } else if (op < 59) {
        snprintf(id, sizeof id, "p%d", pick(DECK_CARDS));
        int rc = alliance_card_bury(db, id, now);
        ck_assert(rc == ALLIANCE_OK || rc == ALLIANCE_ENOTFOUND);
    } else if (op < 63) {
        alliance_config c;
        alliance_config_init(&c, ALLIANCE_CONFIG_VERSION);
        ck_assert_int_eq(alliance_config_get(db, &c), ALLIANCE_OK);
        if (pick(2))
            c.new_per_day = (uint32_t)pick(30);
        else
            c.leech_threshold = (uint32_t)pick(4);
        c.leech_suspend = (uint32_t)pick(2);
        ck_assert_int_eq(alliance_config_set(db, &c), ALLIANCE_OK);
    } else if (op < 66) {
        alliance_sm2_params p;
        alliance_sm2_params_init(&p, pick(2) ? ALLIANCE_SM2_CLASSIC : ALLIANCE_SM2_SUPERMEMO);
        p.initial_efactor_milli = 2300 + 100 * (uint32_t)pick(4);
        ck_assert_int_eq(alliance_sm2_params_set(db, &p), ALLIANCE_OK);
    } else if (op < 68) { /* the scheduler and the FSRS parameters (docs/fsrs.md) */
        int what = pick(3);
        if (what < 2) {
            ck_assert_int_eq(alliance_scheduler_set(db, what ? ALLIANCE_SCHEDULER_FSRS : ALLIANCE_SCHEDULER_SM2,
                                                    now, NULL), ALLIANCE_OK);
        } else {
            alliance_fsrs_params p;
            alliance_fsrs_params_init(&p, ALLIANCE_FSRS_PARAMS_VERSION);
            p.desired_retention = 0.75 + 0.05 * pick(5);
            p.weights[20] = 0.1 + 0.05 * pick(3);
            ck_assert_int_eq(alliance_fsrs_params_set(db, &p, now, NULL), ALLIANCE_OK);
        }
    } else if (op < 72) {
        import_variant(db, now);
    } else if (op < 75) {
        int64_t deck = 0;
        ck_assert_int_eq(alliance_deck_id(db, "P", 1, &deck), ALLIANCE_OK);
        char front[64];
        snprintf(id, sizeof id, "n%d", w->notes);
        snprintf(front, sizeof front, "note %d from copy %d", w->notes, i);
        alliance_note note;
        alliance_note_init(&note, ALLIANCE_NOTE_VERSION);
        note.type = ALLIANCE_CARD_BASIC;
        note.id = id;
        note.front = front;
        note.back = "b";
        ck_assert_int_eq(alliance_note_add(db, deck, &note, now), ALLIANCE_OK);
        w->notes++;
    } else if (op < 77) {
        /* an exam on deck P (schema 4), set or cleared: its field group merges by LWW */
        int64_t deck = 0;
        ck_assert_int_eq(alliance_deck_id(db, "P", 1, &deck), ALLIANCE_OK);
        int64_t today = 0;
        ck_assert_int_eq(alliance_today(db, now, &today), ALLIANCE_OK);
        int rc = pick(3) == 0 ? alliance_exam_clear(db, deck)
                              : alliance_exam_set(db, deck, today + 1 + pick(20), (uint32_t)(1 + pick(5)));
        ck_assert_msg(rc == ALLIANCE_OK, "exam: %d %s", rc, alliance_errmsg(db));
    } else if (op < 78) {
        /* siblings apart and fuzz on or off (schema 4's settings) */
        alliance_study_settings st = ALLIANCE_STUDY_SETTINGS_INIT;
        st.bury_siblings = (uint32_t)pick(2);
        st.fuzz = (uint32_t)pick(2);
        ck_assert_int_eq(alliance_study_settings_set(db, &st), ALLIANCE_OK);
    } else if (op < 79) {
        stale_apply(w, i);
    } else if (op < 80) {
        if (w->n < MAX_REPLICAS) { /* a new device joins mid-history */
            w->r[w->n] = sync_clone_of(db, ":memory:");
            w->skew[w->n] = w->skew[i];
            w->n++;
        }
    } else if (op < 82) {
        alliance_config c;
        alliance_config_init(&c, ALLIANCE_CONFIG_VERSION);
        ck_assert_int_eq(alliance_config_get(db, &c), ALLIANCE_OK);
        c.rollover_hour = (uint32_t)pick(24);
        ck_assert_int_eq(alliance_config_set(db, &c), ALLIANCE_OK);
    } else if (op < 86) {
        int j = pick(w->n), s = pick(STASH);
        if (j == i)
            return;
        membuf_free(&w->stash[s]);
        ck_assert_int_eq(sync_changes_for(db, w->r[j], &w->stash[s]), ALLIANCE_OK);
        if (trace > 1)
            fprintf(stderr, "  kept changeset %d: copy %d for copy %d\n", s, i, j);
        w->stash_from[s] = i;
    } else if (op < 89) {
        static const char *const names[] = { "P", "Q", "R" };
        char from[64];
        deck_of_p0(db, from, sizeof from);
        int64_t deck = 0;
        if (alliance_deck_id(db, pick(2) ? from : names[pick(3)], 0, &deck) != ALLIANCE_OK)
            return;
        const char *to = names[pick(3)];
        int rc = alliance_deck_rename(db, deck, to);
        ck_assert_msg(rc == ALLIANCE_OK || rc == ALLIANCE_EEXISTS, "rename: %d %s", rc, alliance_errmsg(db));
        int64_t other = 0; /* refused only when another deck has the name; done, the deck has it */
        ck_assert_int_eq(alliance_deck_id(db, to, 0, &other), ALLIANCE_OK);
        ck_assert(rc == ALLIANCE_OK ? other == deck : other != deck);
        w->decks_changed = 1;
    } else if (op < 91) {
        static const char *const names[] = { "P", "Q", "R" };
        int64_t deck = 0;
        if (alliance_deck_id(db, names[pick(3)], 0, &deck) != ALLIANCE_OK)
            return;
        uint32_t flags = pick(4) ? ALLIANCE_DECK_DELETE_CARDS : 0;
        int rc = alliance_deck_delete(db, deck, flags);
        /* refused only without the flag, for the deck's cards; done, the deck is gone */
        ck_assert_msg(rc == ALLIANCE_OK || (rc == ALLIANCE_EINVAL && flags == 0 &&
                                            strstr(alliance_errmsg(db), "ALLIANCE_DECK_DELETE_CARDS")),
                      "delete: %d %s", rc, alliance_errmsg(db));
        char *gone = NULL;
        ck_assert_int_eq(alliance_deck_name(db, deck, &gone), rc == ALLIANCE_OK ? ALLIANCE_ENOTFOUND : ALLIANCE_OK);
        alliance_free(gone);
        w->decks_changed = 1;
    } else if (op < 92) {
        import_anki(db, now); /* Anki's history (schema 6): one import key per card and revlog row */
    } else if (op < 93) {
        /* a note edited through the API: text (history kept), or turned into a cloze note and
         * back (the card it loses is suspended out of the deck file, docs/deck-format.md) */
        snprintf(id, sizeof id, "p%d", pick(DECK_CARDS));
        char front[64];
        alliance_note n = ALLIANCE_NOTE_INIT;
        n.id = id;
        if (pick(4) == 0) {
            n.type = ALLIANCE_CARD_CLOZE;
            snprintf(front, sizeof front, "{{c1::question}} %s%s", id, pick(2) ? " {{c2::two}}" : "");
        } else {
            snprintf(front, sizeof front, "question %s (api %d)", id + 1, pick(3));
            n.back = "answer";
        }
        n.front = front;
        int rc = alliance_note_update(db, &n, now);
        /* ENOTFOUND: not in this copy (yet); EEXISTS: a cloze card of the note is in another deck */
        ck_assert_msg(rc == ALLIANCE_OK || rc == ALLIANCE_ENOTFOUND || rc == ALLIANCE_EEXISTS, "note update: %d %s", rc,
                      alliance_errmsg(db));
    } else if (op < 94) {
        snprintf(id, sizeof id, "p%d", pick(DECK_CARDS));
        int rc = alliance_note_delete(db, id, pick(3) == 0 ? ALLIANCE_NOTE_DELETE_KEEP_HISTORY : 0);
        ck_assert_msg(rc == ALLIANCE_OK || rc == ALLIANCE_ENOTFOUND, "note delete: %d %s", rc, alliance_errmsg(db));
    } else {
        int j = pick(w->n);
        if (j == i)
            return;
        if (trace > 1)
            fprintf(stderr, "  sync copy %d -> copy %d\n", i, j);
        int rc = pick(3) == 0 ? (sync_both(w->r[i], w->r[j]), ALLIANCE_OK) : sync_one_way(w->r[i], w->r[j], NULL);
        ck_assert_msg(rc == ALLIANCE_OK, "sync: %d %s", rc, alliance_errmsg(w->r[j]));
    }
}

static void run_seed(uint64_t seed)
{
    trace = getenv("ALLIANCE_SYNC_TRACE") ? atoi(getenv("ALLIANCE_SYNC_TRACE")) : 0;
    if (trace) /* which seed a failure deep in a helper belongs to */
        fprintf(stderr, "seed %llu\n", (unsigned long long)seed);
    rng_state = seed;
    world w;
    memset(&w, 0, sizeof w);
    w.n = 3 + pick(3);
    w.r[0] = open_new();
    alliance_config c;
    alliance_config_init(&c, ALLIANCE_CONFIG_VERSION);
    c.leech_threshold = 2;
    ck_assert_int_eq(alliance_config_set(w.r[0], &c), ALLIANCE_OK);
    import_variant(w.r[0], ALLIANCE_TEST_NOW);
    for (int i = 1; i < w.n; i++)
        w.r[i] = sync_clone_of(w.r[pick(i)], ":memory:");
    for (int i = 0; i < w.n; i++) /* clocks up to two days apart, and not on the hour */
        w.skew[i] = (pick(5) - 2) * ALLIANCE_TEST_DAY + pick(3600);
    int steps = 20 + pick(40);
    for (int s = 0; s < steps; s++) {
        int i = pick(w.n);
        int64_t now = ALLIANCE_TEST_NOW + (s / 4) * ALLIANCE_TEST_DAY + w.skew[i] + pick(8 * 3600);
        random_op(&w, i, now);
    }
    /* the final round: everything to copy 0, then from it to every copy */
    for (int i = 1; i < w.n; i++)
        ck_assert_msg(sync_one_way(w.r[i], w.r[0], NULL) == ALLIANCE_OK, "seed %llu: final sync: %s",
                      (unsigned long long)seed, alliance_errmsg(w.r[0]));
    for (int i = 1; i < w.n; i++)
        ck_assert_msg(sync_one_way(w.r[0], w.r[i], NULL) == ALLIANCE_OK, "seed %llu: final sync: %s",
                      (unsigned long long)seed, alliance_errmsg(w.r[i]));
    int ids = !w.decks_changed;
    char *d0 = sync_dump_ex(w.r[0], ids);
    for (int i = 0; i < w.n; i++) {
        char *di = sync_dump_ex(w.r[i], ids);
        if (getenv("ALLIANCE_SYNC_DUMP") && strcmp(d0, di) != 0) /* to debug one seed */
            fprintf(stderr, "== copy 0\n%s== copy %d\n%s", d0, i, di);
        ck_assert_msg(strcmp(d0, di) == 0, "seed %llu: copy %d differs from copy 0:%s", (unsigned long long)seed, i,
                      sync_dump_diff(d0, di));
        free(di);
        uint64_t m = sync_verify(w.r[i]);
        ck_assert_msg(m == 0, "seed %llu: copy %d: %s", (unsigned long long)seed, i, alliance_errmsg(w.r[i]));
    }
    /* idempotence: another sync in any direction changes nothing */
    alliance_sync_report *rep = NULL;
    int j = 1 + pick(w.n - 1);
    ck_assert_int_eq(sync_one_way(w.r[j], w.r[0], &rep), ALLIANCE_OK);
    ck_assert_msg(rep->reviews + rep->tombstones + rep->cards + rep->decks + rep->settings == 0,
                  "seed %llu: a repeated sync changed something: %u reviews, %u tombstones, %u cards, %u decks, "
                  "%u settings", (unsigned long long)seed, rep->reviews, rep->tombstones, rep->cards, rep->decks,
                  rep->settings);
    alliance_free(rep);
    char *again = sync_dump_ex(w.r[0], ids);
    ck_assert_msg(strcmp(d0, again) == 0, "seed %llu: a repeated sync changed the dump", (unsigned long long)seed);
    free(again);
    free(d0);
    for (int i = 0; i < w.n; i++)
        alliance_close(w.r[i]);
    for (int i = 0; i < STASH; i++)
        membuf_free(&w.stash[i]);
}

START_TEST(every_history_converges_and_replays_exactly)
{
    const char *one = getenv("ALLIANCE_SYNC_SEED");
    if (one) {
        run_seed(strtoull(one, NULL, 10));
        return;
    }
    const char *env = getenv("ALLIANCE_SYNC_SEEDS");
    long seeds = env ? atol(env) : DEFAULT_SEEDS;
    for (long s = 1; s <= seeds; s++)
        run_seed((uint64_t)s);
    /* the late changesets did bring something in (not only refusals or no-ops) */
    if (seeds >= 100)
        ck_assert_msg(stale_applied > 0, "no kept changeset brought anything (%ld refused)", stale_refused);
    fprintf(stderr, "sync_property: %ld seeds; kept changesets applied late: %ld brought changes, %ld refused\n",
            seeds, stale_applied, stale_refused);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sync_property");
    TCase *t = tcase_create("convergence");
    tcase_set_timeout(t, 600);
    tcase_add_test(t, every_history_converges_and_replays_exactly);
    suite_add_tcase(s, t);
    return alliance_test_run(s);
}
