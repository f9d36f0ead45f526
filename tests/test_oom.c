/* SPDX-License-Identifier: MIT */
/*
 * oom: running out of memory at any allocation fails the call cleanly.
 *
 * Every allocation of the process - liballiance's own, through
 * alliance_set_allocator, and SQLite's, through SQLITE_CONFIG_MALLOC set
 * before SQLite initialises - goes through one counter. For each public entry
 * point that allocates, the sweep runs the call with the Nth allocation
 * failing, for N = 1, 2, 3... until a run in which the Nth allocation is never
 * reached (the call ran clean). Every run must:
 *   - return 0 (SQLite absorbed the failure) or ALLIANCE_ENOMEM: no other code
 *     (docs/reliability.md);
 *   - on failure, leave the collection's committed content byte-for-byte as it
 *     was (a dump of every table through a separate connection), leave the
 *     handle usable (the same call, retried without faults, succeeds and gives
 *     the same result and the same file as a clean run);
 *   - on success, give the same result and file as a clean run;
 *   - leak nothing: every block the library or SQLite allocated is freed once
 *     everything is closed (counted here in every build; LSan agrees in the
 *     sanitizer build).
 */
#include "reliability.h"

#include <unistd.h>

/* The sanitizer build runs the same sweep for what only it can see (a bad read or
 * write, a leak, on every error path) and leaves comparing the file's content after
 * each run to the plain build, which does exactly that: it halves the slower build's
 * time. */
#if defined(__SANITIZE_ADDRESS__)
#define COMPARE_FILES 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define COMPARE_FILES 0
#endif
#endif
#ifndef COMPARE_FILES
#define COMPARE_FILES 1
#endif
/* Creating a collection's schema (the open entries) takes ~7.9k allocations since sync
 * (migration 2's tables and triggers), and a sweep costs the square of that. The plain
 * build sweeps every one; the sanitizer build every one of the first 2000 and then every
 * OPEN_STRIDE-th, which still fails an allocation in every statement of the schema. */
#define OPEN_STRIDE (COMPARE_FILES ? 1 : 4)

/* ---- the failing allocators ---- */

static long alloc_count; /* allocations since arming */
static long fail_at;     /* the allocation that fails; 0: none */
static int armed, fired;
static long live_sqlite, live_alliance;

static int should_fail(void)
{
    if (!armed)
        return 0;
    if (++alloc_count == fail_at) {
        fired = 1;
        return 1;
    }
    return 0;
}

/* SQLite wants the size of a block back: keep it in a 16-byte header. */
#define HDR 16

static void *sq_malloc(int n)
{
    if (should_fail())
        return NULL;
    char *p = malloc((size_t)n + HDR);
    if (!p)
        return NULL;
    *(size_t *)p = (size_t)n;
    live_sqlite++;
    return p + HDR;
}

static void sq_free(void *p)
{
    if (!p)
        return;
    live_sqlite--;
    free((char *)p - HDR);
}

static void *sq_realloc(void *p, int n)
{
    if (should_fail())
        return NULL;
    char *q = realloc((char *)p - HDR, (size_t)n + HDR);
    if (!q)
        return NULL;
    *(size_t *)q = (size_t)n;
    return q + HDR;
}

static int sq_size(void *p) { return p ? (int)*(size_t *)((char *)p - HDR) : 0; }
static int sq_roundup(int n) { return (n + 7) & ~7; }
static int sq_init(void *unused) { (void)unused; return SQLITE_OK; }
static void sq_shutdown(void *unused) { (void)unused; }

static void *al_malloc(void *opaque, size_t size)
{
    (void)opaque;
    if (should_fail())
        return NULL;
    void *p = malloc(size);
    if (p)
        live_alliance++;
    return p;
}

static void *al_realloc(void *opaque, void *ptr, size_t size)
{
    (void)opaque;
    if (should_fail())
        return NULL;
    void *p = realloc(ptr, size);
    if (p && !ptr)
        live_alliance++;
    return p;
}

static void al_free(void *opaque, void *ptr)
{
    (void)opaque;
    if (ptr) {
        live_alliance--;
        free(ptr);
    }
}

static void install_allocators(void)
{
    static const sqlite3_mem_methods methods = {
        sq_malloc, sq_free, sq_realloc, sq_size, sq_roundup, sq_init, sq_shutdown, NULL
    };
    if (sqlite3_config(SQLITE_CONFIG_MALLOC, &methods) != SQLITE_OK) {
        fprintf(stderr, "oom: SQLITE_CONFIG_MALLOC refused (SQLite initialised too early?)\n");
        exit(EXIT_FAILURE);
    }
    alliance_allocator allocator = {ALLIANCE_ALLOCATOR_VERSION, al_malloc, al_realloc, al_free, NULL};
    if (alliance_set_allocator(&allocator) != 0 || sqlite3_initialize() != SQLITE_OK) {
        fprintf(stderr, "oom: cannot install the counting allocators\n");
        exit(EXIT_FAILURE);
    }
}

static void arm(long n)
{
    alloc_count = 0;
    fail_at = n;
    fired = 0;
    armed = 1;
}

static void disarm(void) { armed = 0; }

/* ---- fixtures ---- */

#define NOW (ALLIANCE_TEST_NOW + 3 * ALLIANCE_TEST_DAY)

static const char small_deck[] =
    "deck: OOM deck\n"
    "description: a small deck\n"
    "source: a.txt | Article A\n"
    "\n"
    "card: d-basic\n"
    "type: basic\n"
    "front: What is SM-2?\n"
    "back: A scheduler.\n"
    "tags: srs\n"
    "source: a.txt\n"
    "quote: SM-2 schedules.\n"
    "\n"
    "card: d-cloze\n"
    "type: cloze\n"
    "text: The {{c1::alliance}} is {{c2::pivotal}}.\n"
    "\n"
    "card: d-choice\n"
    "type: choice\n"
    "question: Which?\n"
    "answer: This\n"
    "wrong: That\n"
    "wrong: The other\n";

/* The same deck edited: one card changed, one removed (suspended), one added. */
static const char edited_deck[] =
    "deck: OOM deck\n"
    "\n"
    "card: d-basic\n"
    "type: basic\n"
    "front: What is SM-2, exactly?\n"
    "back: A scheduler.\n"
    "\n"
    "card: d-choice\n"
    "type: choice\n"
    "question: Which?\n"
    "answer: This\n"
    "wrong: That\n"
    "wrong: The other\n"
    "\n"
    "card: d-new\n"
    "type: basic\n"
    "front: new\n"
    "back: card\n";

static char template_path[4200], work_path[4200], export_path[4200];
static long alliance_baseline, sqlite_baseline; /* blocks alive when an entry's sweep starts */

typedef struct fixture {
    alliance_db *db;
    alliance_session *session;
    alliance_card_iter *card_iter;
    alliance_review_iter *review_iter;
    char sig[8192]; /* what the call returned, to compare with a clean run */
} fixture;

static void copy_file(const char *from, const char *to)
{
    size_t len = 0;
    char *data = alliance_test_read_file(from, &len);
    ck_assert_ptr_nonnull(data);
    FILE *f = fopen(to, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
    free(data);
}

/* A fresh copy of the template collection, closed, at work_path. */
static void reset_work(void)
{
    char side[4300];
    snprintf(side, sizeof side, "%s-wal", work_path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", work_path);
    unlink(side);
    copy_file(template_path, work_path);
}

static void open_work(fixture *f)
{
    alliance_open_options options = rel_options(ALLIANCE_SYNC_NORMAL);
    int rc = alliance_open(&f->db, work_path, &options);
    ck_assert_msg(rc == 0, "open %s: %d %s", work_path, rc, alliance_errmsg(f->db));
}

/* The template: 6 cards in "test deck", 3 of them answered, and the small deck imported. */
static void make_template(void)
{
    static int made;
    if (made++)
        return;
    snprintf(template_path, sizeof template_path, "%s", alliance_test_path("template.alliance"));
    ck_assert_int_eq(rel_make_collection(template_path, 6, ALLIANCE_TEST_NOW), 0);
    alliance_open_options options = rel_options(ALLIANCE_SYNC_NORMAL);
    alliance_db *db = NULL;
    ck_assert_int_eq(alliance_open(&db, template_path, &options), 0);
    for (unsigned i = 0; i < 3; i++) {
        char id[16];
        rel_card_id(id, sizeof id, "k", i);
        int rc = alliance_answer(db, id, (int)(3 + i), ALLIANCE_TEST_NOW + i, 500, NULL);
        ck_assert_msg(rc == 0, "answer %s: %d %s", id, rc, alliance_errmsg(db));
    }
    int rc = alliance_deck_import_buffer(db, "small.deck", small_deck, sizeof small_deck - 1, NULL,
                                         ALLIANCE_TEST_NOW, NULL);
    ck_assert_msg(rc == 0, "import: %d %s", rc, alliance_errmsg(db));
    ck_assert_int_eq(alliance_close(db), 0);
}

static void setup_open(fixture *f) { open_work(f); }
static void setup_none(fixture *f) { (void)f; }

static void setup_session(fixture *f)
{
    open_work(f);
    ck_assert_int_eq(alliance_session_open(&f->session, f->db, 0, NOW), 0);
}

static void setup_session_next(fixture *f)
{
    setup_session(f);
    alliance_card *card = NULL;
    ck_assert_int_eq(alliance_session_next(f->session, NOW, &card), 0);
    alliance_free(card);
}

static void setup_answered(fixture *f)
{
    open_work(f);
    ck_assert_int_eq(alliance_answer(f->db, "k0004", 2, NOW, 0, NULL), 0);
}

static void setup_session_answered(fixture *f)
{
    setup_session(f);
    alliance_card *card = NULL;
    ck_assert_int_eq(alliance_session_next(f->session, NOW, &card), 0);
    ck_assert_int_eq(alliance_session_answer(f->session, card->id, 1, NOW, 0, NULL), 0);
    alliance_free(card);
}

static void setup_card_iter(fixture *f)
{
    open_work(f);
    ck_assert_int_eq(alliance_card_search(&f->card_iter, f->db, 0, NULL), 0);
    for (int i = 0; i < 2; i++) {
        alliance_card *card = NULL;
        ck_assert_int_eq(alliance_card_iter_next(f->card_iter, &card), 0);
        alliance_free(card);
    }
}

static void setup_review_iter(fixture *f)
{
    open_work(f);
    ck_assert_int_eq(alliance_review_iter_open(&f->review_iter, f->db, NULL), 0);
    alliance_review review;
    memset(&review, 0, sizeof review);
    review.version = ALLIANCE_REVIEW_VERSION;
    ck_assert_int_eq(alliance_review_iter_next(f->review_iter, &review), 0);
}

static void teardown(fixture *f)
{
    alliance_card_iter_free(f->card_iter);
    alliance_review_iter_free(f->review_iter);
    alliance_session_close(f->session);
    alliance_close(f->db);
    memset(f, 0, sizeof *f);
}

/* ---- the calls under test: each returns its code and, on success, fills f->sig ---- */

static void sig_card(fixture *f, const alliance_card *c)
{
    snprintf(f->sig, sizeof f->sig, "%s|%s|%s|%u/%u/%u/%u|%lld|%u|%u|%u", c->id, c->front, c->back,
             c->state.repetitions, c->state.efactor_milli, c->state.interval_days, c->state.repeat_today,
             (long long)c->due_day, c->reviews, c->lapses, c->suspended);
}

static void sig_state(fixture *f, const alliance_sm2_state *s)
{
    snprintf(f->sig, sizeof f->sig, "%u/%u/%u/%u", s->repetitions, s->efactor_milli, s->interval_days,
             s->repeat_today);
}

static void sig_report(fixture *f, const alliance_import_report *r)
{
    snprintf(f->sig, sizeof f->sig, "%lld|%s|%u+%u=%u-%u|%u|%s", (long long)r->deck_id, r->deck_name,
             r->added, r->updated, r->unchanged, r->suspended, r->error_count, r->errors);
}

static int call_open_existing(fixture *f)
{
    alliance_open_options options = rel_options(ALLIANCE_SYNC_NORMAL);
    return alliance_open(&f->db, work_path, &options);
}

static void remove_collection(const char *path)
{
    char side[4300];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

static int call_open_create(fixture *f)
{
    remove_collection(work_path);
    alliance_open_options options = rel_options(ALLIANCE_SYNC_NORMAL);
    return alliance_open(&f->db, work_path, &options);
}

static int call_open_memory(fixture *f)
{
    alliance_open_options options = rel_options(ALLIANCE_SYNC_NORMAL);
    return alliance_open(&f->db, ":memory:", &options);
}

static int call_note_add_basic(fixture *f)
{
    alliance_note note;
    alliance_note_init(&note, ALLIANCE_NOTE_VERSION);
    note.type = ALLIANCE_CARD_BASIC;
    note.id = "added-basic";
    note.front = "front text";
    note.back = "back text";
    note.tags = "t1 t2";
    int64_t deck = 0;
    int rc = alliance_deck_id(f->db, "test deck", 0, &deck);
    return rc ? rc : alliance_note_add(f->db, deck, &note, NOW);
}

static int call_note_add_cloze(fixture *f)
{
    alliance_note note;
    alliance_note_init(&note, ALLIANCE_NOTE_VERSION);
    note.type = ALLIANCE_CARD_CLOZE;
    note.id = "added-cloze";
    note.front = "{{c1::one}} {{c2::two}} {{c3::three}}";
    int64_t deck = 0;
    int rc = alliance_deck_id(f->db, "test deck", 0, &deck);
    return rc ? rc : alliance_note_add(f->db, deck, &note, NOW);
}

static int call_deck_id_create(fixture *f)
{
    int64_t deck = 0;
    int rc = alliance_deck_id(f->db, "a brand new deck", 1, &deck);
    if (rc == 0)
        snprintf(f->sig, sizeof f->sig, "%lld", (long long)deck);
    return rc;
}

static int call_deck_name(fixture *f)
{
    char *name = NULL;
    int64_t deck = 0; /* looked up by name: a deck received by sync keeps the sender's id */
    int rc = alliance_deck_id(f->db, "OOM deck", 0, &deck);
    if (rc == 0)
        rc = alliance_deck_name(f->db, deck, &name);
    if (rc == 0)
        snprintf(f->sig, sizeof f->sig, "%s", name);
    alliance_free(name);
    return rc;
}

static int import(fixture *f, const char *text, size_t len, uint32_t dry_run)
{
    alliance_import_options options;
    alliance_import_options_init(&options, ALLIANCE_IMPORT_OPTIONS_VERSION);
    options.dry_run = dry_run;
    alliance_import_report *report = NULL;
    int rc = alliance_deck_import_buffer(f->db, "oom.deck", text, len, &options, NOW, &report);
    if (rc == 0)
        sig_report(f, report);
    alliance_free(report);
    return rc;
}

static int call_import_new(fixture *f)
{
    static const char deck[] =
        "deck: Another deck\n\ncard: n1\ntype: basic\nfront: f1\nback: b1\n\n"
        "card: n2\ntype: cloze\ntext: {{c1::x}} and {{c2::y}}\n\n"
        "card: n3\ntype: choice\nquestion: q\nanswer: a\nwrong: w\n";
    return import(f, deck, sizeof deck - 1, 0);
}

static int call_import_edited(fixture *f) { return import(f, edited_deck, sizeof edited_deck - 1, 0); }
static int call_import_dry_run(fixture *f) { return import(f, edited_deck, sizeof edited_deck - 1, 1); }

static int call_deck_check(fixture *f)
{
    alliance_import_report *report = NULL;
    int rc = alliance_deck_check("small.deck", small_deck, sizeof small_deck - 1, ALLIANCE_FORMAT_DECK, &report);
    if (rc == 0)
        sig_report(f, report);
    alliance_free(report);
    return rc;
}

static int call_deck_check_errors(fixture *f)
{
    static const char bad[] = "deck: x\n\ncard: a\ntype: basic\nfront: f\nfrnot: b\n\ncard: a\ntype: nope\n";
    alliance_import_report *report = NULL;
    int rc = alliance_deck_check("bad.deck", bad, sizeof bad - 1, ALLIANCE_FORMAT_DECK, &report);
    if (rc == ALLIANCE_EPARSE) {
        /* The expected outcome: a parse error with its report is this call's success. */
        ck_assert_ptr_nonnull(report);
        sig_report(f, report);
        rc = 0;
    }
    alliance_free(report);
    return rc;
}

static int call_answer(fixture *f)
{
    alliance_sm2_state after;
    int rc = alliance_answer(f->db, "k0004", 4, NOW, 1234, &after);
    if (rc == 0)
        sig_state(f, &after);
    return rc;
}

static int call_answer_cloze(fixture *f)
{
    alliance_sm2_state after;
    int rc = alliance_answer(f->db, "d-cloze::c2", 1, NOW, 0, &after);
    if (rc == 0)
        sig_state(f, &after);
    return rc;
}

static int call_undo(fixture *f)
{
    char *id = NULL;
    int rc = alliance_undo(f->db, &id);
    if (rc == 0)
        snprintf(f->sig, sizeof f->sig, "%s", id);
    alliance_free(id);
    return rc;
}

static int call_card_get(fixture *f)
{
    alliance_card *card = NULL;
    int rc = alliance_card_get(f->db, "k0001", &card);
    if (rc == 0)
        sig_card(f, card);
    alliance_free(card);
    return rc;
}

static int call_card_suspend(fixture *f) { return alliance_card_suspend(f->db, "k0002", 1, NOW); }
static int call_card_bury(fixture *f) { return alliance_card_bury(f->db, "k0003", NOW); }

static int call_deck_rename(fixture *f)
{
    int64_t deck = 0;
    int rc = alliance_deck_id(f->db, "OOM deck", 0, &deck);
    return rc ? rc : alliance_deck_rename(f->db, deck, "Renamed deck");
}

/* The first deck: six cards, three of them answered (their answers get tombstones). */
static int call_deck_delete(fixture *f) { return alliance_deck_delete(f->db, 1, ALLIANCE_DECK_DELETE_CARDS); }

/* A cloze note edited: one card updated, one suspended out of the deck file, one added. */
static int call_note_update(fixture *f)
{
    alliance_note note;
    alliance_note_init(&note, ALLIANCE_NOTE_VERSION);
    note.type = ALLIANCE_CARD_CLOZE;
    note.id = "d-cloze";
    note.front = "The {{c1::alliance}} is {{c3::key}}.";
    return alliance_note_update(f->db, &note, NOW);
}

/* An answered note: its card goes, its answer gets a tombstone. */
static int call_note_delete(fixture *f) { return alliance_note_delete(f->db, "k0000", 0); }
static int call_note_delete_keep(fixture *f)
{
    return alliance_note_delete(f->db, "d-cloze", ALLIANCE_NOTE_DELETE_KEEP_HISTORY);
}

static int call_config_set(fixture *f)
{
    alliance_config config;
    alliance_config_init(&config, ALLIANCE_CONFIG_VERSION);
    config.new_per_day = 7;
    config.rollover_hour = 2;
    return alliance_config_set(f->db, &config);
}

static int call_config_get(fixture *f)
{
    alliance_config config;
    alliance_config_init(&config, ALLIANCE_CONFIG_VERSION);
    int rc = alliance_config_get(f->db, &config);
    if (rc == 0)
        snprintf(f->sig, sizeof f->sig, "%u %u %u %u %u", config.new_per_day, config.reviews_per_day,
                 config.rollover_hour, config.leech_threshold, config.leech_suspend);
    return rc;
}

static int call_params_set(fixture *f)
{
    alliance_sm2_params params;
    alliance_sm2_params_init(&params, ALLIANCE_SM2_CLASSIC);
    return alliance_sm2_params_set(f->db, &params);
}

static int call_params_get(fixture *f)
{
    alliance_sm2_params params;
    alliance_sm2_params_init(&params, ALLIANCE_SM2_SUPERMEMO);
    int rc = alliance_sm2_params_get(f->db, &params);
    if (rc == 0)
        snprintf(f->sig, sizeof f->sig, "%u %u", params.preset, params.initial_efactor_milli);
    return rc;
}

static int call_session_open(fixture *f)
{
    int rc = alliance_session_open(&f->session, f->db, 0, NOW);
    if (rc == 0)
        snprintf(f->sig, sizeof f->sig, "opened");
    return rc;
}

static int call_session_counts(fixture *f)
{
    alliance_counts counts;
    memset(&counts, 0, sizeof counts);
    counts.version = ALLIANCE_COUNTS_VERSION;
    int rc = alliance_session_counts(f->session, NOW, &counts);
    if (rc == 0)
        snprintf(f->sig, sizeof f->sig, "%u %u %u %u", counts.new_cards, counts.due, counts.repeat,
                 counts.answered);
    return rc;
}

static int call_session_next(fixture *f)
{
    alliance_card *card = NULL;
    int rc = alliance_session_next(f->session, NOW, &card);
    if (rc == 0)
        sig_card(f, card);
    alliance_free(card);
    return rc;
}

static int call_session_next_with_counts(fixture *f)
{
    alliance_card *card = NULL;
    alliance_counts counts = ALLIANCE_COUNTS_INIT;
    int rc = alliance_session_next_with_counts(f->session, NOW, &card, &counts);
    if (rc == 0) {
        sig_card(f, card);
        size_t len = strlen(f->sig);
        snprintf(f->sig + len, sizeof f->sig - len, " / %u %u %u %u", counts.new_cards, counts.due, counts.repeat,
                 counts.answered);
    }
    alliance_free(card);
    return rc;
}

static int call_session_answer(fixture *f)
{
    /* setup_session_next handed out the first card of the queue: k0003, the first new one
     * after the due reviews? Whatever it was, answer the next one the session gives. */
    alliance_card *card = NULL;
    int rc = alliance_session_next(f->session, NOW, &card);
    if (rc)
        return rc;
    alliance_sm2_state after;
    rc = alliance_session_answer(f->session, card->id, 2, NOW, 0, &after);
    if (rc == 0) {
        sig_state(f, &after);
        size_t n = strlen(f->sig);
        snprintf(f->sig + n, sizeof f->sig - n, " %s", card->id);
    }
    alliance_free(card);
    return rc;
}

static int call_session_undo(fixture *f)
{
    char *id = NULL;
    int rc = alliance_session_undo(f->session, &id);
    if (rc == 0)
        snprintf(f->sig, sizeof f->sig, "%s", id);
    alliance_free(id);
    return rc;
}

static int call_stats(fixture *f)
{
    alliance_stats stats;
    alliance_stats_init(&stats, ALLIANCE_STATS_VERSION);
    int rc = alliance_stats_get(f->db, 0, NOW, 30, &stats);
    if (rc == 0)
        snprintf(f->sig, sizeof f->sig, "%u %u %u %u %u %u %u %u", stats.total, stats.new_cards, stats.learned,
                 stats.due_today, stats.suspended, stats.leeches, stats.reviews, stats.correct);
    return rc;
}

static int call_forecast(fixture *f)
{
    uint32_t counts[30];
    memset(counts, 0xee, sizeof counts);
    int rc = alliance_forecast(f->db, 0, NOW, counts, 30);
    if (rc == 0) {
        size_t n = 0;
        for (int i = 0; i < 30; i++)
            n += (size_t)snprintf(f->sig + n, sizeof f->sig - n, "%u ", counts[i]);
    }
    return rc;
}

static int call_search(fixture *f)
{
    alliance_card_iter *iter = NULL;
    int rc = alliance_card_search(&iter, f->db, 0, "answer");
    size_t n = 0;
    f->sig[0] = '\0';
    alliance_card *card = NULL;
    while (rc == 0 && (rc = alliance_card_iter_next(iter, &card)) == 0) {
        n += (size_t)snprintf(f->sig + n, sizeof f->sig - n, "%s ", card->id);
        alliance_free(card);
    }
    alliance_card_iter_free(iter);
    return rc == ALLIANCE_DONE ? 0 : rc;
}

static int call_card_iter_next(fixture *f)
{
    alliance_card *card = NULL;
    int rc = alliance_card_iter_next(f->card_iter, &card);
    if (rc == 0)
        sig_card(f, card);
    alliance_free(card);
    return rc;
}

static int call_review_iter_next(fixture *f)
{
    alliance_review review;
    memset(&review, 0, sizeof review);
    review.version = ALLIANCE_REVIEW_VERSION;
    int rc = alliance_review_iter_next(f->review_iter, &review);
    if (rc == 0)
        snprintf(f->sig, sizeof f->sig, "%lld %s %d %lld", (long long)review.review_id, review.card_id,
                 review.grade, (long long)review.time);
    return rc;
}

static int call_review_log(fixture *f)
{
    alliance_review_iter *iter = NULL;
    int rc = alliance_review_iter_open(&iter, f->db, "k0001");
    alliance_review review;
    memset(&review, 0, sizeof review);
    review.version = ALLIANCE_REVIEW_VERSION;
    size_t n = 0;
    f->sig[0] = '\0';
    while (rc == 0 && (rc = alliance_review_iter_next(iter, &review)) == 0)
        n += (size_t)snprintf(f->sig + n, sizeof f->sig - n, "%s/%d ", review.card_id, review.grade);
    alliance_review_iter_free(iter);
    return rc == ALLIANCE_DONE ? 0 : rc;
}

static int call_replay(fixture *f)
{
    alliance_sm2_state state;
    int64_t due = 0;
    int rc = alliance_replay(f->db, "k0002", &state, &due);
    if (rc == 0) {
        sig_state(f, &state);
        size_t n = strlen(f->sig);
        snprintf(f->sig + n, sizeof f->sig - n, " %lld", (long long)due);
    }
    return rc;
}

static int call_verify(fixture *f)
{
    uint64_t mismatches = 99;
    int rc = alliance_verify(f->db, &mismatches);
    if (rc == 0)
        snprintf(f->sig, sizeof f->sig, "%llu", (unsigned long long)mismatches);
    return rc;
}

static int call_integrity_check(fixture *f)
{
    char *report = NULL;
    int rc = alliance_integrity_check(f->db, &report);
    if (rc == 0)
        snprintf(f->sig, sizeof f->sig, "%s", report);
    alliance_free(report);
    return rc;
}

/* The caller's side of an export: plain malloc, outside the fault counter. */
typedef struct sink {
    char *data;
    size_t len;
} sink;

static int collect(void *opaque, const char *data, size_t len)
{
    sink *s = opaque;
    char *bigger = realloc(s->data, s->len + len + 1);
    if (!bigger)
        return 1;
    memcpy(bigger + s->len, data, len);
    s->len += len;
    bigger[s->len] = '\0';
    s->data = bigger;
    return 0;
}

static int call_export(fixture *f)
{
    int64_t deck = 0;
    int rc = alliance_deck_id(f->db, "OOM deck", 0, &deck);
    if (rc)
        return rc;
    sink out = {NULL, 0};
    rc = alliance_deck_export(f->db, deck, ALLIANCE_FORMAT_DECK, collect, &out);
    if (rc == 0)
        snprintf(f->sig, sizeof f->sig, "%s", out.data ? out.data : "");
    free(out.data);
    return rc;
}

/* The review log as the FSRS optimizer's CSV (every deck). */
static int call_export_fsrs(fixture *f)
{
    sink out = {NULL, 0};
    int rc = alliance_review_export_fsrs(f->db, 0, collect, &out);
    if (rc == 0)
        snprintf(f->sig, sizeof f->sig, "%s", out.data ? out.data : "");
    free(out.data);
    return rc;
}

/* Switching the scheduler replays every card in one transaction: a failure anywhere
 * leaves the collection (setting, cards, FSRS caches) exactly as it was. */
static int call_scheduler_set(fixture *f)
{
    alliance_scheduler_report *report = NULL;
    int rc = alliance_scheduler_set(f->db, ALLIANCE_SCHEDULER_FSRS, NOW, &report);
    if (rc == 0)
        snprintf(f->sig, sizeof f->sig, "%u %llu %llu %llu %llu %llu", report->scheduler,
                 (unsigned long long)report->cards, (unsigned long long)report->reviews,
                 (unsigned long long)report->due_earlier, (unsigned long long)report->due_later,
                 (unsigned long long)report->due_today);
    alliance_free(report);
    return rc;
}

static int call_scheduler_get(fixture *f)
{
    uint32_t scheduler = 99;
    int rc = alliance_scheduler_get(f->db, &scheduler);
    if (rc == 0)
        snprintf(f->sig, sizeof f->sig, "%u", scheduler);
    return rc;
}

static void setup_fsrs(fixture *f)
{
    open_work(f);
    ck_assert_int_eq(alliance_scheduler_set(f->db, ALLIANCE_SCHEDULER_FSRS, NOW, NULL), 0);
}

static void setup_fsrs_answered(fixture *f)
{
    setup_fsrs(f);
    ck_assert_int_eq(alliance_answer(f->db, "k0004", 4, NOW, 0, NULL), 0);
}

/* A card with its FSRS retrievability ten days on. */
static int call_card_get_at(fixture *f)
{
    alliance_card *card = NULL;
    int rc = alliance_card_get_at(f->db, "k0004", NOW + 10 * 86400, &card);
    if (rc == 0) {
        sig_card(f, card);
        size_t n = strlen(f->sig);
        snprintf(f->sig + n, sizeof f->sig - n, "|%lld|%.17g", (long long)card->retrievability_day,
                 card->fsrs_retrievability);
    }
    alliance_free(card);
    return rc;
}

/* New parameters under FSRS: every card is replayed with them, all or nothing. */
static int call_fsrs_params_set(fixture *f)
{
    alliance_fsrs_params params;
    alliance_fsrs_params_init(&params, ALLIANCE_FSRS_PARAMS_VERSION);
    params.desired_retention = 0.85;
    alliance_scheduler_report *report = NULL;
    int rc = alliance_fsrs_params_set(f->db, &params, NOW, &report);
    if (rc == 0)
        snprintf(f->sig, sizeof f->sig, "%u %llu %llu %llu %llu", report->scheduler,
                 (unsigned long long)report->cards, (unsigned long long)report->reviews,
                 (unsigned long long)report->due_earlier, (unsigned long long)report->due_later);
    alliance_free(report);
    return rc;
}

static int call_fsrs_params_get(fixture *f)
{
    alliance_fsrs_params params;
    alliance_fsrs_params_init(&params, ALLIANCE_FSRS_PARAMS_VERSION);
    int rc = alliance_fsrs_params_get(f->db, &params);
    if (rc == 0)
        snprintf(f->sig, sizeof f->sig, "%.17g %.17g %u", params.weights[0], params.desired_retention,
                 params.max_interval_days);
    return rc;
}

/* Reviews per day over a year; a failure leaves counts as they were. */
static int call_review_history(fixture *f)
{
    uint32_t counts[366];
    memset(counts, 0xee, sizeof counts);
    int rc = alliance_review_history(f->db, 0, NOW, counts, 366);
    if (rc == 0) {
        size_t n = 0;
        for (int i = 0; i < 8; i++)
            n += (size_t)snprintf(f->sig + n, sizeof f->sig - n, "%u ", counts[i]);
    } else {
        for (int i = 0; i < 366; i++)
            ck_assert_msg(counts[i] == 0xeeeeeeeeu, "alliance_review_history failed (%d) but wrote counts[%d]",
                          rc, i);
    }
    return rc;
}

static int call_export_anki(fixture *f)
{
    int64_t deck = 0;
    int rc = alliance_deck_id(f->db, "OOM deck", 0, &deck);
    if (rc)
        return rc;
    sink out = {NULL, 0};
    rc = alliance_deck_export(f->db, deck, ALLIANCE_FORMAT_ANKI_TEXT, collect, &out);
    if (rc == 0)
        snprintf(f->sig, sizeof f->sig, "%s", out.data ? out.data : "");
    free(out.data);
    return rc;
}

/* alliance_export as a package: its size (libzip stamps the members with the time, so the
 * bytes differ from run to run; the size does not). */
static int call_export_apkg(fixture *f)
{
    alliance_export_options options;
    alliance_export_options_init(&options, ALLIANCE_EXPORT_OPTIONS_VERSION);
    options.format = ALLIANCE_FORMAT_APKG;
    sink out = {NULL, 0};
    int rc = alliance_export(f->db, 0, &options, NOW, collect, &out);
    if (rc == 0)
        snprintf(f->sig, sizeof f->sig, "%zu", out.len);
    free(out.data);
    return rc;
}

/* A package Anki wrote (tests/data/anki), imported from memory. */
static int import_package(fixture *f, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/anki/%s", ALLIANCE_TEST_DATA, name);
    size_t len = 0;
    char *data = alliance_test_read_file(path, &len);
    ck_assert_ptr_nonnull(data);
    alliance_import_options options;
    alliance_import_options_init(&options, ALLIANCE_IMPORT_OPTIONS_VERSION);
    options.format = ALLIANCE_FORMAT_APKG;
    alliance_import_report *report = NULL;
    int rc = alliance_deck_import_buffer(f->db, name, data, len, &options, NOW, &report);
    free(data);
    if (rc == 0)
        sig_report(f, report);
    alliance_free(report);
    return rc;
}

static int call_import_apkg_legacy(fixture *f) { return import_package(f, "thirdparty-anki-apkg-export.apkg"); }
static int call_import_apkg_current(fixture *f) { return import_package(f, "anki-current-example.apkg"); }
/* Anki's SM-2 package: its review log written as imported history (schema 6). */
static int call_import_apkg_history(fixture *f) { return import_package(f, "anki-legacy-cloze-learning.apkg"); }

/* Anki text naming two decks (a deck and its subdeck), with HTML. */
static int call_import_anki_decks(fixture *f)
{
    static const char text[] = "#separator:tab\n#html:true\n#guid column:1\n#deck column:2\n"
                               "g1\tSocial Work\t<b>bold</b> front\tback &amp; more\n"
                               "g2\tSocial Work::Alliance\tfront two\tline<br>two\n";
    alliance_import_options options;
    alliance_import_options_init(&options, ALLIANCE_IMPORT_OPTIONS_VERSION);
    options.format = ALLIANCE_FORMAT_ANKI_TEXT;
    alliance_import_report *report = NULL;
    int rc = alliance_deck_import_buffer(f->db, "decks.txt", text, sizeof text - 1, &options, NOW, &report);
    if (rc == 0)
        sig_report(f, report);
    alliance_free(report);
    return rc;
}

static void setup_export_file(fixture *f)
{
    open_work(f);
    FILE *old = fopen(export_path, "wb");
    ck_assert_ptr_nonnull(old);
    fputs("the previous export\n", old);
    fclose(old);
}

static int call_export_file(fixture *f)
{
    int64_t deck = 0;
    int rc = alliance_deck_id(f->db, "OOM deck", 0, &deck);
    if (rc)
        return rc;
    rc = alliance_deck_export_file(f->db, deck, ALLIANCE_FORMAT_DECK, export_path);
    char *text = alliance_test_read_file(export_path, NULL);
    ck_assert_ptr_nonnull(text);
    if (rc == 0)
        snprintf(f->sig, sizeof f->sig, "%s", text);
    else /* replaced atomically: on failure the old file is whole */
        ck_assert_str_eq(text, "the previous export\n");
    free(text);
    return rc;
}

static void sig_lint(fixture *f, const alliance_lint_report *r)
{
    int n = snprintf(f->sig, sizeof f->sig, "%u/%u/%u|%s|%s", r->note_count, r->warning_count, r->error_count,
                     r->text, r->errors);
    for (uint32_t i = 0; i < r->warning_count && n > 0 && (size_t)n < sizeof f->sig; i++)
        n += snprintf(f->sig + n, sizeof f->sig - (size_t)n, "|%u %s %s", r->warnings[i]->code,
                      r->warnings[i]->note_id, r->warnings[i]->other_id);
}

/* A small deck that gives every kind of warning the lint has without source files. */
static int call_deck_lint(fixture *f)
{
    static const char deck[] =
        "deck: Lint\nsource: a.txt | Article A: On Change\n\n"
        "card: l1\ntype: basic\nfront: What fosters real change in the alliance?\nback: Warmth and trust.\n\n"
        "card: l2\ntype: basic\nfront: In the alliance, what fosters real change?\nback: Its warmth and trust.\n\n"
        "card: l3\ntype: cloze\ntext: According to the article, {{c1::warmth and trust}} foster change.\n\n"
        "card: l4\ntype: choice\nquestion: Which is red?\nanswer: Blood\nwrong: Grass\nwrong: grass.\n\n"
        "card: l5\ntype: choice\nquestion: Which is green?\nanswer: Blood grass\nwrong: Grass\nwrong: Sky\n";
    alliance_lint_report *report = NULL;
    int rc = alliance_deck_lint("lint.deck", deck, sizeof deck - 1, NULL, &report);
    if (rc == 0)
        sig_lint(f, report);
    alliance_free(report);
    return rc;
}

static int call_deck_lint_errors(fixture *f)
{
    static const char bad[] = "deck: x\n\ncard: a\ntype: basic\nfront: f\nfrnot: b\n";
    alliance_lint_report *report = NULL;
    int rc = alliance_deck_lint("bad.deck", bad, sizeof bad - 1, NULL, &report);
    if (rc == ALLIANCE_EPARSE) {
        ck_assert_ptr_nonnull(report);
        sig_lint(f, report);
        rc = 0;
    }
    alliance_free(report);
    return rc;
}

static int call_cloze_render(fixture *f)
{
    char *out = NULL;
    int rc = alliance_cloze_render(&out, "A {{c1::b::hint}} and {{c2::c}}.", 1, 0);
    if (rc == 0)
        snprintf(f->sig, sizeof f->sig, "%s", out);
    alliance_free(out);
    return rc;
}

static int call_forecast_v2(fixture *f)
{
    uint32_t counts[30];
    memset(counts, 0xee, sizeof counts);
    int rc = alliance_forecast_v2(f->db, 0, NOW, counts, 30);
    if (rc == 0) {
        size_t n = 0;
        for (int i = 0; i < 30; i++)
            n += (size_t)snprintf(f->sig + n, sizeof f->sig - n, "%u ", counts[i]);
    }
    return rc;
}

static int call_deck_list(fixture *f)
{
    alliance_deck_iter *iter = NULL;
    int rc = alliance_deck_iter_open(&iter, f->db, NOW);
    size_t n = 0;
    f->sig[0] = '\0';
    alliance_deck_info *info = NULL;
    while (rc == 0 && (rc = alliance_deck_iter_next(iter, &info)) == 0) {
        n += (size_t)snprintf(f->sig + n, sizeof f->sig - n, "%lld %s %u %u %u %u %u|", (long long)info->id,
                              info->name, info->total, info->new_cards, info->learned, info->due_today,
                              info->suspended);
        alliance_free(info);
    }
    alliance_deck_iter_free(iter);
    return rc == ALLIANCE_DONE ? 0 : rc;
}

static int call_card_render(fixture *f)
{
    alliance_card *card = NULL;
    size_t n = 0;
    f->sig[0] = '\0';
    const char *ids[] = {"d-basic", "d-cloze::c2", "d-choice"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        int rc = alliance_card_get(f->db, ids[i], &card);
        if (rc)
            return rc;
        alliance_rendered_card *r = NULL;
        rc = alliance_card_render(&r, card, NULL);
        alliance_free(card);
        if (rc)
            return rc;
        n += (size_t)snprintf(f->sig + n, sizeof f->sig - n, "%s/%s/%s/%u:", r->prompt, r->answer, r->extra,
                              r->correct_option);
        for (uint32_t k = 0; k < r->option_count; k++)
            n += (size_t)snprintf(f->sig + n, sizeof f->sig - n, "%s,", r->options[k]);
        alliance_free(r);
    }
    return 0;
}

/* ---- study modes (schema 4): exam, cram, study settings ---- */

static int64_t test_deck(fixture *f)
{
    int64_t deck = 0;
    ck_assert_int_eq(alliance_deck_id(f->db, "test deck", 0, &deck), 0);
    return deck;
}

static int64_t today_of(fixture *f)
{
    int64_t day = 0;
    ck_assert_int_eq(alliance_today(f->db, NOW, &day), 0);
    return day;
}

/* an exam 6 days ahead: sessions clamp and pace "test deck" */
static void setup_exam(fixture *f)
{
    open_work(f);
    ck_assert_int_eq(alliance_exam_set(f->db, test_deck(f), today_of(f) + 6, 2), 0);
}

/* k0001 answered today: learned and not due, what a review ahead takes */
static void setup_learned(fixture *f)
{
    open_work(f);
    ck_assert_int_eq(alliance_answer(f->db, "k0001", 5, NOW, 0, NULL), 0);
}

static void setup_study_settings(fixture *f)
{
    open_work(f);
    alliance_study_settings st = ALLIANCE_STUDY_SETTINGS_INIT;
    st.bury_siblings = 1;
    st.fuzz = 1;
    ck_assert_int_eq(alliance_study_settings_set(f->db, &st), 0);
}

static int call_exam_set(fixture *f)
{
    int64_t deck = 0;
    int rc = alliance_deck_id(f->db, "test deck", 0, &deck);
    if (rc == 0)
        rc = alliance_exam_set(f->db, deck, 20000, 4);
    return rc;
}

static int call_exam_get(fixture *f)
{
    alliance_exam_status st = ALLIANCE_EXAM_STATUS_INIT;
    int64_t deck = 0;
    int rc = alliance_deck_id(f->db, "test deck", 0, &deck);
    if (rc == 0)
        rc = alliance_exam_get(f->db, deck, NOW, &st);
    if (rc == 0)
        snprintf(f->sig, sizeof f->sig, "%u %lld %u %u %lld %u %u", st.has_exam, (long long)st.exam_day,
                 st.final_days, st.new_cards, (long long)st.ready_by_day, st.pace, st.introduced_today);
    return rc;
}

static int call_card_due_day(fixture *f)
{
    int64_t day = -1;
    int rc = alliance_card_due_day(f->db, "k0001", NOW, &day);
    if (rc == 0)
        snprintf(f->sig, sizeof f->sig, "%lld", (long long)day);
    return rc;
}

/* a session of a deck with an exam ahead: the clamped queue, the pace, one answer */
static void setup_exam_session(fixture *f)
{
    setup_exam(f);
    ck_assert_int_eq(alliance_session_open(&f->session, f->db, 0, NOW), 0);
}

/* The session's next card answered with `grade`; its new schedule is the entry's signature. */
static int answer_next(fixture *f, int grade)
{
    int rc;
    alliance_card *card = NULL;
    if ((rc = alliance_session_next(f->session, NOW, &card)) != 0) {
        alliance_free(card);
        return rc;
    }
    alliance_sm2_state after;
    rc = alliance_session_answer(f->session, card->id, grade, NOW, 0, &after);
    if (rc == 0)
        snprintf(f->sig, sizeof f->sig, "%s %u %u", card->id, after.interval_days, after.repetitions);
    alliance_free(card);
    return rc;
}

static int call_exam_session_answer(fixture *f)
{
    return answer_next(f, 4);
}

static void cram_open(fixture *f, uint32_t kind)
{
    alliance_cram_options options = ALLIANCE_CRAM_OPTIONS_INIT;
    options.kind = kind;
    ck_assert_int_eq(alliance_cram_open(&f->session, f->db, &options, NOW), 0);
}

static void setup_cram_preview(fixture *f)
{
    open_work(f);
    cram_open(f, ALLIANCE_CRAM_PREVIEW);
}

static void setup_cram_ahead(fixture *f)
{
    setup_learned(f);
    cram_open(f, ALLIANCE_CRAM_AHEAD);
}

static int call_cram_answer(fixture *f)
{
    return answer_next(f, 5);
}


static int call_study_settings_set(fixture *f)
{
    alliance_study_settings st = ALLIANCE_STUDY_SETTINGS_INIT;
    st.bury_siblings = 1;
    st.fuzz = 1;
    return alliance_study_settings_set(f->db, &st);
}

static int call_study_settings_get(fixture *f)
{
    alliance_study_settings st = ALLIANCE_STUDY_SETTINGS_INIT;
    int rc = alliance_study_settings_get(f->db, &st);
    if (rc == 0)
        snprintf(f->sig, sizeof f->sig, "%u %u", st.bury_siblings, st.fuzz);
    return rc;
}

/* an answer with fuzz on and siblings apart: the fuzz drawn and recorded */
static int call_answer_fuzz(fixture *f)
{
    alliance_sm2_state after;
    int rc = alliance_answer(f->db, "k0001", 5, NOW, 0, &after);
    if (rc == 0)
        snprintf(f->sig, sizeof f->sig, "%u %u", after.interval_days, after.repetitions);
    return rc;
}

/* ---- the sweep ---- */

typedef struct entry {
    const char *name;
    void (*setup)(fixture *);
    int (*call)(fixture *);
    int opens; /* the call opens f->db itself: a failed open's handle is closed before the retry;
                * 2: it also creates the file, so there was no collection before to compare with */
} entry;

static const entry entries[] = {
    {"alliance_open (existing file)", setup_none, call_open_existing, 1},
    {"alliance_open (new file)", setup_none, call_open_create, 2},
    {"alliance_open (:memory:)", setup_none, call_open_memory, 1},
    {"alliance_note_add (basic)", setup_open, call_note_add_basic, 0},
    {"alliance_note_add (cloze, 3 cards)", setup_open, call_note_add_cloze, 0},
    {"alliance_deck_id (create)", setup_open, call_deck_id_create, 0},
    {"alliance_deck_name", setup_open, call_deck_name, 0},
    {"alliance_deck_import_buffer (new deck)", setup_open, call_import_new, 0},
    {"alliance_deck_import_buffer (edited deck)", setup_open, call_import_edited, 0},
    {"alliance_deck_import_buffer (dry run)", setup_open, call_import_dry_run, 0},
    {"alliance_deck_check", setup_none, call_deck_check, 0},
    {"alliance_deck_check (errors)", setup_none, call_deck_check_errors, 0},
    {"alliance_deck_lint", setup_none, call_deck_lint, 0},
    {"alliance_deck_lint (errors)", setup_none, call_deck_lint_errors, 0},
    {"alliance_answer", setup_open, call_answer, 0},
    {"alliance_answer (cloze card)", setup_open, call_answer_cloze, 0},
    {"alliance_undo", setup_answered, call_undo, 0},
    {"alliance_card_get", setup_open, call_card_get, 0},
    {"alliance_card_suspend", setup_open, call_card_suspend, 0},
    {"alliance_card_bury", setup_open, call_card_bury, 0},
    {"alliance_deck_rename", setup_open, call_deck_rename, 0},
    {"alliance_deck_delete (with cards and answers)", setup_open, call_deck_delete, 0},
    {"alliance_note_update (cloze: updated, dropped, added)", setup_open, call_note_update, 0},
    {"alliance_note_delete (answered)", setup_open, call_note_delete, 0},
    {"alliance_note_delete (keep history)", setup_open, call_note_delete_keep, 0},
    {"alliance_config_set", setup_open, call_config_set, 0},
    {"alliance_config_get", setup_open, call_config_get, 0},
    {"alliance_sm2_params_set", setup_open, call_params_set, 0},
    {"alliance_sm2_params_get", setup_open, call_params_get, 0},
    {"alliance_session_open", setup_open, call_session_open, 0},
    {"alliance_session_counts", setup_session, call_session_counts, 0},
    {"alliance_session_next", setup_session, call_session_next, 0},
    {"alliance_session_next_with_counts", setup_session, call_session_next_with_counts, 0},
    {"alliance_session_answer", setup_session_next, call_session_answer, 0},
    {"alliance_session_undo", setup_session_answered, call_session_undo, 0},
    {"alliance_stats_get", setup_open, call_stats, 0},
    {"alliance_forecast", setup_open, call_forecast, 0},
    {"alliance_card_search + iter_next", setup_open, call_search, 0},
    {"alliance_card_iter_next (third card)", setup_card_iter, call_card_iter_next, 0},
    {"alliance_review_iter_open + next", setup_open, call_review_log, 0},
    {"alliance_review_iter_next (second row)", setup_review_iter, call_review_iter_next, 0},
    {"alliance_replay", setup_open, call_replay, 0},
    {"alliance_verify", setup_open, call_verify, 0},
    {"alliance_integrity_check", setup_open, call_integrity_check, 0},
    {"alliance_deck_export (deck format)", setup_open, call_export, 0},
    {"alliance_deck_export (Anki text)", setup_open, call_export_anki, 0},
    {"alliance_deck_export_file", setup_export_file, call_export_file, 0},
    {"alliance_export (.apkg)", setup_open, call_export_apkg, 0},
    {"alliance_deck_import_buffer (.apkg, legacy)", setup_open, call_import_apkg_legacy, 0},
    {"alliance_deck_import_buffer (.apkg, current)", setup_open, call_import_apkg_current, 0},
    {"alliance_deck_import_buffer (.apkg with Anki's review history)", setup_open, call_import_apkg_history, 0},
    {"alliance_deck_import_buffer (Anki text, two decks)", setup_open, call_import_anki_decks, 0},
    {"alliance_cloze_render", setup_none, call_cloze_render, 0},
    {"alliance_forecast_v2", setup_open, call_forecast_v2, 0},
    {"alliance_deck_iter_open + next", setup_open, call_deck_list, 0},
    {"alliance_card_get + alliance_card_render", setup_open, call_card_render, 0},
    {"alliance_review_export_fsrs", setup_open, call_export_fsrs, 0},
    {"alliance_review_history", setup_open, call_review_history, 0},
    {"alliance_exam_set", setup_open, call_exam_set, 0},
    {"alliance_exam_get", setup_exam, call_exam_get, 0},
    {"alliance_card_due_day (exam ahead)", setup_exam, call_card_due_day, 0},
    {"alliance_session_open (exam ahead)", setup_exam, call_session_open, 0},
    {"alliance_session_next + answer (exam ahead)", setup_exam_session, call_exam_session_answer, 0},
    {"alliance_cram_open (preview): next + answer", setup_cram_preview, call_cram_answer, 0},
    {"alliance_cram_open (ahead): next + answer", setup_cram_ahead, call_cram_answer, 0},
    {"alliance_study_settings_set", setup_open, call_study_settings_set, 0},
    {"alliance_study_settings_get", setup_study_settings, call_study_settings_get, 0},
    {"alliance_answer (fuzz, siblings apart)", setup_study_settings, call_answer_fuzz, 0},
    {"alliance_scheduler_set (to FSRS)", setup_open, call_scheduler_set, 0},
    {"alliance_scheduler_get", setup_open, call_scheduler_get, 0},
    {"alliance_fsrs_params_set (under FSRS)", setup_fsrs, call_fsrs_params_set, 0},
    {"alliance_fsrs_params_get", setup_fsrs, call_fsrs_params_get, 0},
    {"alliance_answer (under FSRS)", setup_fsrs, call_answer, 0},
    {"alliance_card_get_at (under FSRS)", setup_fsrs_answered, call_card_get_at, 0},
};
#define NENTRIES (sizeof entries / sizeof entries[0])

static char *dump_work(void)
{
    char *d = rel_dump(work_path);
    ck_assert_ptr_nonnull(d);
    return d;
}

/* Everything is closed: no block of the library's or SQLite's may remain. */
static void assert_no_leak(const char *name, long n)
{
    ck_assert_msg(live_alliance == alliance_baseline, "%s, allocation %ld failing: %ld blocks of liballiance leaked",
                  name, n, live_alliance - alliance_baseline);
    ck_assert_msg(live_sqlite == sqlite_baseline, "%s, allocation %ld failing: %ld SQLite blocks leaked", name,
                  n, live_sqlite - sqlite_baseline);
}

START_TEST(every_allocation_failure_is_clean)
{
    const entry *e = &entries[_i];
    const char *only = getenv("ALLIANCE_OOM_ENTRY"); /* debugging: sweep only entries whose name has this */
    if (only && !strstr(e->name, only))
        return;
    /* ctest runs the sweep as several tests side by side (tests/CMakeLists.txt): shard K of N
     * sweeps the entries whose index is K modulo N. */
    const char *shard = getenv("ALLIANCE_OOM_SHARD");
    unsigned k = 0, shards = 1;
    if (shard && (sscanf(shard, "%u/%u", &k, &shards) != 2 || shards == 0 || k >= shards))
        ck_abort_msg("ALLIANCE_OOM_SHARD=%s: want K/N with K < N", shard);
    if ((unsigned)_i % shards != k)
        return;
    disarm();
    make_template();
    /* A file of its own per entry: a handle left open by an earlier failure cannot disturb it. */
    char name[64];
    snprintf(name, sizeof name, "work-%d.alliance", _i);
    snprintf(work_path, sizeof work_path, "%s", alliance_test_path(name));
    snprintf(name, sizeof name, "export-%d.deck", _i);
    snprintf(export_path, sizeof export_path, "%s", alliance_test_path(name));
    alliance_baseline = live_alliance;
    sqlite_baseline = live_sqlite;
    fixture f;
    memset(&f, 0, sizeof f);

    /* A clean run: the result and the file every other run must reproduce. */
    reset_work();
    e->setup(&f);
    char *before = dump_work();
    int rc = e->call(&f);
    ck_assert_msg(rc == 0, "%s without faults: %d %s", e->name, rc, alliance_errmsg(f.db));
    char reference_sig[sizeof f.sig];
    memcpy(reference_sig, f.sig, sizeof f.sig);
    teardown(&f);
    char *reference = dump_work();
    assert_no_leak(e->name, 0);

    long n, failures = 0, absorbed = 0;
    for (n = 1;; n += e->opens && n >= 2000 ? OPEN_STRIDE : 1) {
        reset_work();
        e->setup(&f);
        f.sig[0] = '\0';
        arm(n);
        rc = e->call(&f);
        disarm();
        if (!fired) {
            ck_assert_msg(rc == 0, "%s: %d without a fault", e->name, rc);
            teardown(&f);
            break; /* the call needs fewer than n allocations: swept */
        }
        if (rc == 0) {
            absorbed++; /* SQLite recovered from the failure on its own */
        } else {
            failures++;
            ck_assert_msg(rc == ALLIANCE_ENOMEM, "%s, allocation %ld failing: %d (%s), want ALLIANCE_ENOMEM: %s",
                          e->name, n, rc, alliance_strerror(rc), f.db ? alliance_errmsg(f.db) : "(no handle)");
            if (e->opens != 2 && COMPARE_FILES) {
                char *after = dump_work();
                ck_assert_msg(strcmp(after, before) == 0, "%s, allocation %ld failing: the collection changed",
                              e->name, n);
                free(after);
            }
            if (e->opens) {
                alliance_close(f.db);
                f.db = NULL;
            }
            /* The handle is still usable: the same call now succeeds. */
            rc = e->call(&f);
            ck_assert_msg(rc == 0, "%s, after allocation %ld failed, a retry failed: %d %s", e->name, n, rc,
                          f.db ? alliance_errmsg(f.db) : "");
        }
        ck_assert_msg(strcmp(f.sig, reference_sig) == 0, "%s, allocation %ld failing: result '%s', want '%s'",
                      e->name, n, f.sig, reference_sig);
        teardown(&f);
        if (COMPARE_FILES) {
            char *after = dump_work();
            ck_assert_msg(strcmp(after, reference) == 0,
                          "%s, allocation %ld failing: the collection differs from a clean run's", e->name, n);
            free(after);
        }
        assert_no_leak(e->name, n);
    }
    fprintf(stderr, "oom: %-44s %4ld allocations, %4ld failed cleanly, %3ld absorbed by SQLite\n", e->name,
            n - 1, failures, absorbed);
    free(before);
    free(reference);
}
END_TEST

static Suite *oom_suite(void)
{
    Suite *s = suite_create("oom");
    TCase *tc = tcase_create("sweep");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, every_allocation_failure_is_clean, 0, (int)NENTRIES);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    /* Thousands of opens and copies: on a RAM file system when the machine has one. */
    if (!getenv("TMPDIR") && access("/dev/shm", W_OK) == 0)
        setenv("TMPDIR", "/dev/shm", 1);
    install_allocators();
    return alliance_test_run(oom_suite());
}
