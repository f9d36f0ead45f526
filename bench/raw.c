/* SPDX-License-Identifier: MIT */
/*
 * raw.c - the baselines: the library's own SQL statements (copied verbatim
 * from lib/store/sql.c, which is private to the library) run directly through the
 * same libsqlite3, on a file whose schema alliance_open created, with the
 * pragmas and connection settings of lib/store/open.c.
 *
 * The baseline is what a careful application would write by hand for the same
 * work: statements prepared once, settings read once at open, strings bound
 * without a copy. It skips nothing a correct answer needs (the card is read,
 * checked for being due, stepped with the same SM-2 arithmetic, written back
 * with its log row in one durable transaction). All SQL text of the benchmark
 * lives in this file.
 */
#include "bench.h"

#include <stdlib.h>
#include <string.h>

/* ---- lib/store/sql.c, verbatim (keep in step when the library's statements change) ---- */

#define CARD_COLUMNS                                                                       \
    "pk, id, note_id, ordinal, deck_id, type, front, back, wrong, tags, source_file, "    \
    "source_quote, position, created, modified, suspended, leech, repetitions, efactor, " \
    "interval_days, repeat_today, due_day, last_review_day, buried_until_day, reviews, lapses, " \
    "fsrs_stability, fsrs_difficulty, fsrs_interval, fsrs_drill"

#define REVIEW_COLUMNS                                                                         \
    "r.id, r.card, r.time, r.day, r.grade, r.elapsed_days, r.answer_ms, "                     \
    "r.before_repetitions, r.before_efactor, r.before_interval, r.before_repeat_today, "      \
    "r.after_repetitions, r.after_efactor, r.after_interval, r.after_repeat_today, "          \
    "r.sm2_preset, r.sm2_initial_efactor, r.sm2_min_efactor, r.sm2_first_interval, "          \
    "r.sm2_second_interval, r.sm2_max_interval, r.prev_due_day, r.prev_last_review_day, "     \
    "r.prev_lapses, r.prev_leech, r.leech_suspended, c.id, r.origin, r.seq, r.lamport, r.sort_time, "  \
    "r.raw_day, r.leech_threshold, r.leech_suspend, r.kind, r.fuzz, r.fuzz_days, r.scheduler, f.params"
#define REVIEW_TABLES \
    "reviews AS r JOIN cards AS c ON c.pk = r.card LEFT JOIN fsrs_param_sets AS f ON f.id = r.fsrs_params "

#define IN_DECK "(?1 = 0 OR deck_id = ?1)"
#define SHOWABLE "suspended = 0 AND buried_until_day <= ?2"
#define REPEAT_CARD "reviews > 0 AND due_day <= ?2 AND last_review_day >= ?2 AND " SHOWABLE
#define DUE_CARD "reviews > 0 AND due_day <= ?2 AND last_review_day < ?2 AND " SHOWABLE
#define NEW_CARD "reviews = 0 AND " SHOWABLE
/* Siblings apart (docs/study-modes.md): with ?4 = 1, a card not answered today itself is held
 * back while another card of its note has an answer today (a preview does not count). */
#define NOT_HELD_BACK(c)                                                                               \
    "NOT (?4 = 1 AND " c ".last_review_day IS NOT ?2 AND EXISTS (SELECT 1 FROM cards AS sib INDEXED BY cards_note " \
    "JOIN reviews AS r ON r.card = sib.pk WHERE sib.note_id = " c ".note_id AND sib.pk <> " c ".pk AND r.day = ?2 " \
    "AND r.kind <> 1))"
#define STABLE_ORDER "deck_id, position, ordinal, id"

enum {
    S_BEGIN,
    S_COMMIT,
    S_ROLLBACK,
    S_SETTINGS_GET,
    S_GENERATION_NEXT,
    S_DECK_INSERT,
    S_CARD_INSERT,
    S_SCHED_GET,
    S_SCHED_PUT,
    S_REVIEW_INSERT,
    S_REVIEW_LAST,
    S_REVIEW_DELETE,
    S_QUEUE_REPEAT,
    S_QUEUE_DUE,
    S_QUEUE_NEW,
    S_COUNT_REPEAT,
    S_COUNT_DUE,
    S_COUNT_NEW,
    S_DONE_TODAY,
    S_CARD_GET_PK,
    S_DECK_GENERATION_SET,
    S_REVIEW_RECENT_CARDS,
    S_CHECKSUM_CARDS,
    S_CHECKSUM_DECKS,
    S_NEXT_EVENT,
    S_MAX_SORT,
    S_TOMBSTONE_INSERT,
    S_SELF_GET,
    S_EXAM_ACTIVE,
    S_BEGIN_READ,
    S_CARD_SYNC_GET,
    S_UNDO_LOG,
    S_N
};

/* lib/store/store.c alliance__store_bulk_begin/_end: an import's statement journals in memory.
 * Not prepared with the others: PRAGMA temp_store acts when it is prepared. */
static const char TEMP_STORE_MEMORY[] = "PRAGMA temp_store = MEMORY";
static const char TEMP_STORE_DEFAULT[] = "PRAGMA temp_store = DEFAULT";

static const char *const sql[S_N] = {
    [S_BEGIN] = "BEGIN IMMEDIATE",
    [S_COMMIT] = "COMMIT",
    [S_ROLLBACK] = "ROLLBACK",
    /* lib/store/sql.c SETTINGS_GET: the settings and the SM-2 parameters in one read */
    [S_SETTINGS_GET] =
        "SELECT new_per_day, reviews_per_day, rollover_hour, leech_threshold, leech_suspend, sm2_preset, "
        "sm2_initial_efactor, sm2_min_efactor, sm2_first_interval, sm2_second_interval, sm2_max_interval, "
        "scheduler, fsrs_params, bury_siblings, fuzz FROM config WHERE id = 1",
    [S_GENERATION_NEXT] = "UPDATE config SET generation = generation + 1 WHERE id = 1 RETURNING generation",
    [S_DECK_INSERT] =
        "INSERT INTO decks (id, name, description, sources, created, modified) VALUES (?5, ?1, ?2, ?3, ?4, ?4)",
    [S_CARD_INSERT] =
        "INSERT INTO cards (id, note_id, ordinal, deck_id, type, front, back, wrong, tags, source_file, "
        "source_quote, position, created, modified, suspended, leech, repetitions, efactor, "
        "interval_days, repeat_today, due_day, last_review_day, buried_until_day, reviews, lapses, "
        "generation, user_suspended, in_file, initial_efactor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
        "?11, ?12, ?13, ?13, 0, 0, 0, ?14, 0, 0, 0, ?16, ?16, 0, 0, ?15, 0, 1, ?14)",
    [S_SCHED_GET] =
        "SELECT pk, deck_id, repetitions, efactor, interval_days, repeat_today, due_day, "
        "last_review_day, buried_until_day, suspended, leech, reviews, lapses, "
        "fsrs_stability, fsrs_difficulty, fsrs_interval, fsrs_drill FROM cards WHERE id = ?1",
    [S_SCHED_PUT] =
        "UPDATE cards SET repetitions = ?2, efactor = ?3, interval_days = ?4, repeat_today = ?5, "
        /* ?8 (buried_until_day) is not written: burial is the learner's (a synced flag), never the schedule's */
        "due_day = ?6, last_review_day = ?7, suspended = ?9, leech = ?10, "
        "reviews = ?11, lapses = ?12, fsrs_stability = ?13, fsrs_difficulty = ?14, fsrs_interval = ?15, "
        "fsrs_drill = ?16 WHERE pk = ?1",
    [S_REVIEW_INSERT] =
        "INSERT INTO reviews (card, time, day, grade, elapsed_days, answer_ms, before_repetitions, "
        "before_efactor, before_interval, before_repeat_today, after_repetitions, after_efactor, "
        "after_interval, after_repeat_today, sm2_preset, sm2_initial_efactor, sm2_min_efactor, "
        "sm2_first_interval, sm2_second_interval, sm2_max_interval, prev_due_day, "
        "prev_last_review_day, prev_lapses, prev_leech, leech_suspended, origin, seq, lamport, sort_time, "
        "raw_day, leech_threshold, leech_suspend, kind, fuzz, fuzz_days, scheduler, fsrs_params) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
        "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, "
        "?31, ?32, ?33, ?34, ?35, ?36, nullif(?37, 0))",
    /* undo: the newest answer this replica gave (?1 = its replica id) */
    [S_REVIEW_LAST] = "SELECT " REVIEW_COLUMNS " FROM " REVIEW_TABLES
                      "WHERE r.origin = ?1 ORDER BY r.seq DESC LIMIT 1",
    [S_REVIEW_DELETE] = "DELETE FROM reviews WHERE id = ?1",
    [S_QUEUE_REPEAT] = "SELECT " CARD_COLUMNS " FROM cards INDEXED BY cards_repeat WHERE " REPEAT_CARD " AND " IN_DECK
                       " ORDER BY due_day, " STABLE_ORDER " LIMIT ?3",
    [S_QUEUE_DUE] = "SELECT " CARD_COLUMNS " FROM cards INDEXED BY cards_due WHERE " DUE_CARD " AND " IN_DECK
                    " AND " NOT_HELD_BACK("cards") " ORDER BY due_day, " STABLE_ORDER " LIMIT ?3",
    [S_QUEUE_NEW] = "SELECT " CARD_COLUMNS " FROM cards WHERE " NEW_CARD " AND " IN_DECK
                    " AND (" NOT_HELD_BACK("cards") " OR (SELECT exam_day FROM decks WHERE decks.id = cards.deck_id) = ?2 + 1)"
                    " ORDER BY " STABLE_ORDER " LIMIT ?3",
    [S_COUNT_REPEAT] = "SELECT count(*) FROM (SELECT 1 FROM cards INDEXED BY cards_repeat WHERE " REPEAT_CARD " AND " IN_DECK " LIMIT ?3)",
    [S_COUNT_DUE] = "SELECT count(*) FROM (SELECT 1 FROM cards INDEXED BY cards_due WHERE " DUE_CARD " AND " IN_DECK
                    " AND " NOT_HELD_BACK("cards") " LIMIT ?3)",
    [S_COUNT_NEW] = "SELECT count(*) FROM (SELECT 1 FROM cards WHERE " NEW_CARD " AND " IN_DECK
                    " AND (" NOT_HELD_BACK("cards") " OR (SELECT exam_day FROM decks WHERE decks.id = cards.deck_id) = ?2 + 1)"
                    " LIMIT ?3)",
    [S_DONE_TODAY] = "SELECT coalesce(sum(elapsed_days = -1), 0), coalesce(sum(elapsed_days > 0), 0) "
                     "FROM reviews WHERE day = ?1 AND kind = 0",
    [S_CARD_GET_PK] = "SELECT " CARD_COLUMNS " FROM cards WHERE pk = ?1",
    [S_DECK_GENERATION_SET] = "UPDATE decks SET generation = ?2 WHERE id = ?1",
    [S_REVIEW_RECENT_CARDS] = "SELECT card FROM reviews WHERE day = ?1 ORDER BY id DESC LIMIT ?2",
    /* The benchmark's own: every stored column, to prove both sides wrote the same rows. */
    [S_CHECKSUM_CARDS] = "SELECT " CARD_COLUMNS ", generation FROM cards ORDER BY pk",
    [S_CHECKSUM_DECKS] = "SELECT * FROM decks ORDER BY id",
    [S_NEXT_EVENT] =
        "UPDATE sync_self SET seq = seq + 1, lamport = lamport + 1 WHERE id = 1 RETURNING replica_id, seq, lamport",
    [S_MAX_SORT] = "SELECT max(sort_time) FROM reviews WHERE card = ?1",
    [S_TOMBSTONE_INSERT] =
        "INSERT OR IGNORE INTO sync_tombstones (origin, seq, lamport, review_origin, review_seq) "
        "VALUES (?1, ?2, ?3, ?4, ?5)",
    [S_SELF_GET] = "SELECT collection_id, replica_id, seq, lamport FROM sync_self WHERE id = 1",
    /* the decks (?2: one, 0: every deck) whose exam is after day ?1, in id order */
    /* A deferred read transaction: one snapshot (and one WAL lock) for several reads. */
    [S_BEGIN_READ] = "BEGIN DEFERRED",
    [S_EXAM_ACTIVE] =
        "SELECT id, exam_day, exam_final_days FROM decks WHERE exam_day > ?1 AND (?2 = 0 OR id = ?2) ORDER BY id",
    /* what replay needs besides the schedule: the new-card E-Factor and the flags group */
    [S_CARD_SYNC_GET] =
        "SELECT c.initial_efactor, c.user_suspended, coalesce(s.lamport, 0), coalesce(s.origin, 0) "
        "FROM cards AS c LEFT JOIN sync_stamps AS s ON s.kind = 1 AND s.key = c.id AND s.grp = 1 WHERE c.pk = ?1",
    /* The benchmark's own: the card's log in the merged order (docs/sync.md), in one pass
     * (index reviews_order), with what its replay reads and the caches it compares. */
    [S_UNDO_LOG] =
        "SELECT day, grade, elapsed_days, before_repetitions, before_efactor, before_interval, before_repeat_today, "
        "after_repetitions, after_efactor, after_interval, after_repeat_today, sm2_preset, sm2_initial_efactor, "
        "sm2_min_efactor, sm2_first_interval, sm2_second_interval, sm2_max_interval, prev_due_day, "
        "prev_last_review_day, prev_lapses, prev_leech, leech_suspended, origin, lamport, raw_day, "
        "leech_threshold, leech_suspend, kind, fuzz, fuzz_days, import_id FROM reviews WHERE card = ?1 "
        "ORDER BY sort_time, origin, seq",
};

/* ---- the connection ---- */

struct bench_raw {
    sqlite3 *db;
    sqlite3_stmt *st[S_N];
    alliance_sm2_params params; /* read once at open */
    uint32_t new_per_day, reviews_per_day, rollover_hour, leech_threshold, leech_suspend;
    uint32_t bury_siblings; /* read once at open, with the settings */
    int fuzz_or_fsrs;       /* fuzz on or the FSRS scheduler: the answer baseline has neither and refuses */
    int has_exam;           /* a deck has an exam: the queue baseline has no exam mode and refuses */
};

sqlite3 *bench_raw_db(bench_raw *raw)
{
    return raw->db;
}

static int fail(bench_raw *raw, char *err, size_t errsize, const char *what)
{
    snprintf(err, errsize, "%s: %s", what, raw->db ? sqlite3_errmsg(raw->db) : "no connection");
    return -1;
}

/* The cached statement, reset and ready to bind. */
static sqlite3_stmt *stmt(bench_raw *raw, int id)
{
    sqlite3_stmt *s = raw->st[id];
    sqlite3_reset(s);
    return s;
}

static int exec_stmt(bench_raw *raw, int id, char *err, size_t errsize)
{
    sqlite3_stmt *s = stmt(raw, id);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : fail(raw, err, errsize, sql[id]);
}

static int exec_pragma(bench_raw *raw, const char *pragma, char *err, size_t errsize)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(raw->db, pragma, -1, &s, NULL);
    if (rc == SQLITE_OK)
        while ((rc = sqlite3_step(s)) == SQLITE_ROW)
            ;
    sqlite3_finalize(s);
    if (rc == SQLITE_DONE)
        return 0;
    snprintf(err, errsize, "%s: %s (%s)", pragma, sqlite3_errstr(rc), sqlite3_errmsg(raw->db));
    return -1;
}

int bench_raw_open(bench_raw **out, const char *path, uint32_t synchronous, char *err, size_t errsize)
{
    *out = NULL;
    bench_raw *raw = calloc(1, sizeof *raw);
    if (!raw) {
        snprintf(err, errsize, "out of memory");
        return -1;
    }
    /* lib/store/open.c: open_sqlite, configure_connection, enable_wal. */
    if (sqlite3_open_v2(path, &raw->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        fail(raw, err, errsize, path);
        bench_raw_close(raw);
        return -1;
    }
    sqlite3_db_config(raw->db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
    sqlite3_db_config(raw->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
    sqlite3_extended_result_codes(raw->db, 1);
    sqlite3_busy_timeout(raw->db, 5000);
    if (exec_pragma(raw, "PRAGMA foreign_keys = ON", err, errsize) != 0 ||
        exec_pragma(raw, synchronous == ALLIANCE_SYNC_FULL ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL",
                    err, errsize) != 0 ||
        exec_pragma(raw, "PRAGMA journal_mode = WAL", err, errsize) != 0) {
        bench_raw_close(raw);
        return -1;
    }
    for (int i = 0; i < S_N; i++) {
        if (sqlite3_prepare_v3(raw->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &raw->st[i], NULL) != SQLITE_OK) {
            fail(raw, err, errsize, sql[i]);
            bench_raw_close(raw);
            return -1;
        }
    }
    sqlite3_stmt *s = stmt(raw, S_SETTINGS_GET);
    if (sqlite3_step(s) != SQLITE_ROW) {
        fail(raw, err, errsize, "reading the settings");
        bench_raw_close(raw);
        return -1;
    }
    raw->new_per_day = (uint32_t)sqlite3_column_int64(s, 0);
    raw->reviews_per_day = (uint32_t)sqlite3_column_int64(s, 1);
    raw->rollover_hour = (uint32_t)sqlite3_column_int64(s, 2);
    raw->leech_threshold = (uint32_t)sqlite3_column_int64(s, 3);
    raw->leech_suspend = (uint32_t)sqlite3_column_int64(s, 4);
    raw->params.version = ALLIANCE_SM2_PARAMS_VERSION;
    raw->params.preset = (uint32_t)sqlite3_column_int64(s, 5);
    raw->params.initial_efactor_milli = (uint32_t)sqlite3_column_int64(s, 6);
    raw->params.min_efactor_milli = (uint32_t)sqlite3_column_int64(s, 7);
    raw->params.first_interval_days = (uint32_t)sqlite3_column_int64(s, 8);
    raw->params.second_interval_days = (uint32_t)sqlite3_column_int64(s, 9);
    raw->params.max_interval_days = (uint32_t)sqlite3_column_int64(s, 10);
    raw->bury_siblings = sqlite3_column_int64(s, 13) != 0;
    raw->fuzz_or_fsrs = sqlite3_column_int64(s, 11) != ALLIANCE_SCHEDULER_SM2 || sqlite3_column_int64(s, 14) != 0;
    sqlite3_reset(s);
    /* Exam days are settings of the decks, read once at open as the settings are: any exam at all
     * (after day INT64_MIN, the "no exam" value) would need the exam queue, which this baseline
     * does not implement, so its queue refuses to run rather than differ. */
    s = stmt(raw, S_EXAM_ACTIVE);
    sqlite3_bind_int64(s, 1, INT64_MIN);
    sqlite3_bind_int64(s, 2, 0);
    raw->has_exam = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_reset(s);
    *out = raw;
    return 0;
}

void bench_raw_close(bench_raw *raw)
{
    if (!raw)
        return;
    for (int i = 0; i < S_N; i++)
        sqlite3_finalize(raw->st[i]);
    sqlite3_close(raw->db);
    free(raw);
}

/* The learner's day with a fixed UTC offset (0 here): lib/core/day.c's arithmetic. */
static int64_t day_of(const bench_raw *raw, int64_t now)
{
    int64_t shifted = now - (int64_t)raw->rollover_hour * 3600;
    int64_t q = shifted / 86400;
    return (shifted % 86400 < 0) ? q - 1 : q;
}

/* ---- import ---- */

static int import_rows(bench_raw *raw, const bench_deck *deck, char *err, size_t errsize);

/* As the library's import: the statement journals in memory for the transaction (a bulk insert
 * whose statements fire triggers would otherwise write every changed page to a temporary file
 * once one statement spills it), the setting put back after. */
int bench_raw_import(bench_raw *raw, const bench_deck *deck, char *err, size_t errsize)
{
    if (sqlite3_exec(raw->db, TEMP_STORE_MEMORY, NULL, NULL, NULL) != SQLITE_OK)
        return fail(raw, err, errsize, TEMP_STORE_MEMORY);
    int rc = import_rows(raw, deck, err, errsize);
    if (sqlite3_exec(raw->db, TEMP_STORE_DEFAULT, NULL, NULL, NULL) != SQLITE_OK && rc == 0)
        rc = fail(raw, err, errsize, TEMP_STORE_DEFAULT);
    return rc;
}

static int import_rows(bench_raw *raw, const bench_deck *deck, char *err, size_t errsize)
{
    if (exec_stmt(raw, S_BEGIN, err, errsize) != 0)
        return -1;
    sqlite3_stmt *s = stmt(raw, S_GENERATION_NEXT);
    if (sqlite3_step(s) != SQLITE_ROW) {
        fail(raw, err, errsize, "numbering the import");
        goto rollback;
    }
    int64_t generation = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    s = stmt(raw, S_DECK_INSERT); /* ?5 unbound (NULL): the next row id, as the library does */
    sqlite3_bind_text(s, 1, deck->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, deck->description, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, deck->sources, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, BENCH_NOW);
    if (sqlite3_step(s) != SQLITE_DONE) {
        fail(raw, err, errsize, "inserting the deck");
        goto rollback;
    }
    int64_t deck_id = sqlite3_last_insert_rowid(raw->db);
    s = stmt(raw, S_CARD_INSERT);
    for (size_t i = 0; i < deck->ncards; i++) {
        const bench_card *c = &deck->cards[i];
        sqlite3_reset(s);
        sqlite3_bind_text(s, 1, c->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, c->note_id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 3, c->ordinal);
        sqlite3_bind_int64(s, 4, deck_id);
        sqlite3_bind_int64(s, 5, c->type);
        sqlite3_bind_text(s, 6, c->front, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 7, c->back, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 8, c->wrong, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 9, c->tags, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 10, c->source_file, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 11, c->source_quote, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 12, c->position);
        sqlite3_bind_int64(s, 13, BENCH_NOW);
        sqlite3_bind_int64(s, 14, raw->params.initial_efactor_milli);
        sqlite3_bind_int64(s, 15, generation);
        sqlite3_bind_int64(s, 16, INT64_MIN); /* ALLIANCE__NO_DAY: never reviewed, not buried */
        if (sqlite3_step(s) != SQLITE_DONE) {
            fail(raw, err, errsize, c->id);
            goto rollback;
        }
    }
    sqlite3_reset(s);
    /* lib/store/store.c records the import on the deck row once its cards are in. */
    s = stmt(raw, S_DECK_GENERATION_SET);
    sqlite3_bind_int64(s, 1, deck_id);
    sqlite3_bind_int64(s, 2, generation);
    if (sqlite3_step(s) != SQLITE_DONE) {
        fail(raw, err, errsize, "recording the deck's import");
        goto rollback;
    }
    sqlite3_reset(s);
    if (exec_stmt(raw, S_COMMIT, err, errsize) != 0)
        goto rollback;
    return 0;
rollback:
    sqlite3_reset(s);
    exec_stmt(raw, S_ROLLBACK, err + strlen(err), 0);
    return -1;
}

/* FNV-1a over every column of every row, in row order. */
static uint64_t checksum_rows(sqlite3_stmt *s, uint64_t h, int *rc)
{
    while ((*rc = sqlite3_step(s)) == SQLITE_ROW) {
        for (int col = 0; col < sqlite3_column_count(s); col++) {
            const unsigned char *v = sqlite3_column_text(s, col);
            int n = sqlite3_column_bytes(s, col);
            for (int i = 0; i < n; i++)
                h = (h ^ v[i]) * UINT64_C(0x100000001B3);
            h = (h ^ 0x1F) * UINT64_C(0x100000001B3); /* column separator */
        }
        h = (h ^ 0x1E) * UINT64_C(0x100000001B3);
    }
    sqlite3_reset(s);
    return h;
}

int bench_raw_checksum(bench_raw *raw, uint64_t *out, char *err, size_t errsize)
{
    int rc;
    uint64_t h = checksum_rows(stmt(raw, S_CHECKSUM_CARDS), UINT64_C(0xCBF29CE484222325), &rc);
    if (rc != SQLITE_DONE)
        return fail(raw, err, errsize, "reading the cards");
    h = checksum_rows(stmt(raw, S_CHECKSUM_DECKS), h, &rc);
    if (rc != SQLITE_DONE)
        return fail(raw, err, errsize, "reading the decks");
    *out = h;
    return 0;
}

/* ---- answer and undo ---- */

typedef struct sched {
    int64_t pk, deck_id;
    alliance_sm2_state state;
    int64_t due_day, last_review_day, buried_until_day;
    int64_t suspended, leech, reviews, lapses;
    double fsrs_stability, fsrs_difficulty; /* the FSRS caches, written back as read (SM-2 here) */
    int64_t fsrs_interval, fsrs_drill;
} sched;

static int sched_get(bench_raw *raw, const char *id, sched *out, char *err, size_t errsize)
{
    sqlite3_stmt *s = stmt(raw, S_SCHED_GET);
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_reset(s);
        snprintf(err, errsize, "no card %s", id);
        return -1;
    }
    out->pk = sqlite3_column_int64(s, 0);
    out->deck_id = sqlite3_column_int64(s, 1);
    out->state.repetitions = (uint32_t)sqlite3_column_int64(s, 2);
    out->state.efactor_milli = (uint32_t)sqlite3_column_int64(s, 3);
    out->state.interval_days = (uint32_t)sqlite3_column_int64(s, 4);
    out->state.repeat_today = (uint32_t)sqlite3_column_int64(s, 5);
    out->due_day = sqlite3_column_int64(s, 6);
    out->last_review_day = sqlite3_column_int64(s, 7);
    out->buried_until_day = sqlite3_column_int64(s, 8);
    out->suspended = sqlite3_column_int64(s, 9);
    out->leech = sqlite3_column_int64(s, 10);
    out->reviews = sqlite3_column_int64(s, 11);
    out->lapses = sqlite3_column_int64(s, 12);
    out->fsrs_stability = sqlite3_column_double(s, 13);
    out->fsrs_difficulty = sqlite3_column_double(s, 14);
    out->fsrs_interval = sqlite3_column_int64(s, 15);
    out->fsrs_drill = sqlite3_column_int64(s, 16);
    sqlite3_reset(s);
    return 0;
}

static int sched_put(bench_raw *raw, const sched *c, char *err, size_t errsize)
{
    sqlite3_stmt *s = stmt(raw, S_SCHED_PUT);
    const int64_t v[] = {c->pk,          c->state.repetitions, c->state.efactor_milli, c->state.interval_days,
                         c->state.repeat_today, c->due_day,    c->last_review_day,     c->buried_until_day,
                         c->suspended,   c->leech,             c->reviews,             c->lapses};
    for (int i = 0; i < (int)(sizeof v / sizeof v[0]); i++)
        sqlite3_bind_int64(s, i + 1, v[i]);
    sqlite3_bind_double(s, 13, c->fsrs_stability);
    sqlite3_bind_double(s, 14, c->fsrs_difficulty);
    sqlite3_bind_int64(s, 15, c->fsrs_interval);
    sqlite3_bind_int64(s, 16, c->fsrs_drill);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : fail(raw, err, errsize, "updating the card");
}

int bench_raw_card_state(bench_raw *raw, const char *card_id, int64_t out[12], char *err, size_t errsize)
{
    sched c;
    if (sched_get(raw, card_id, &c, err, errsize) != 0)
        return -1;
    const int64_t v[12] = {c.state.repetitions, c.state.efactor_milli, c.state.interval_days, c.state.repeat_today,
                           c.due_day,           c.last_review_day,     c.buried_until_day,    c.suspended,
                           c.leech,             c.reviews,             c.lapses,              c.deck_id};
    memcpy(out, v, sizeof v);
    return 0;
}

int bench_raw_answer(bench_raw *raw, const char *card_id, int grade, int64_t now, uint32_t answer_ms, char *err,
                     size_t errsize)
{
    if (raw->fuzz_or_fsrs) {
        snprintf(err, errsize, "fuzz or FSRS is on: the answer baseline has SM-2 without fuzz only");
        return -1;
    }
    int64_t today = day_of(raw, now);
    if (exec_stmt(raw, S_BEGIN, err, errsize) != 0)
        return -1;
    sched c;
    if (sched_get(raw, card_id, &c, err, errsize) != 0)
        goto rollback;
    if (c.suspended || c.buried_until_day > today || (c.reviews > 0 && c.due_day > today)) {
        snprintf(err, errsize, "card %s is not due", card_id);
        goto rollback;
    }
    /* The log keeps the stored state; a new card is stepped from the current parameters' start. */
    alliance_sm2_state before = c.state, input = c.state, after;
    if (c.reviews == 0)
        input = (alliance_sm2_state){0, raw->params.initial_efactor_milli, 0, 0};
    if (bench_sm2_next_plain(&raw->params, &input, grade, &after) != 0) {
        snprintf(err, errsize, "card %s: SM-2 step refused", card_id);
        goto rollback;
    }
    int64_t day = c.reviews > 0 && c.last_review_day > today ? c.last_review_day : today;
    int64_t elapsed = c.reviews > 0 ? day - c.last_review_day : -1;
    const int64_t prev_due = c.due_day, prev_last = c.last_review_day, prev_lapses = c.lapses,
                  prev_leech = c.leech;
    int64_t leech_suspended = 0;
    c.state = after;
    c.due_day = day + (after.repeat_today ? 0 : after.interval_days);
    c.last_review_day = day;
    c.reviews++;
    /* lib/study/answer.c count_lapse: a learned card sent back to the start is a lapse. */
    if (input.repetitions > 0 && after.repetitions == 0) {
        if (c.lapses < UINT32_MAX)
            c.lapses++;
        if (raw->leech_threshold > 0 && c.lapses >= raw->leech_threshold && !c.leech) {
            c.leech = 1;
            if (raw->leech_suspend && !c.suspended) {
                c.suspended = 1;
                leech_suspended = 1;
            }
        }
    }
    if (sched_put(raw, &c, err, errsize) != 0)
        goto rollback;
    /* its global id and Lamport stamp, and its place after every review of the card */
    sqlite3_stmt *s = stmt(raw, S_NEXT_EVENT);
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_reset(s);
        fail(raw, err, errsize, "numbering the review");
        goto rollback;
    }
    int64_t origin = sqlite3_column_int64(s, 0), seq = sqlite3_column_int64(s, 1), lamport = sqlite3_column_int64(s, 2);
    while (sqlite3_step(s) == SQLITE_ROW)
        ;
    sqlite3_reset(s);
    s = stmt(raw, S_MAX_SORT);
    sqlite3_bind_int64(s, 1, c.pk);
    int64_t sort_time = now;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL &&
        sqlite3_column_int64(s, 0) >= now)
        sort_time = sqlite3_column_int64(s, 0) + 1;
    sqlite3_reset(s);
    s = stmt(raw, S_REVIEW_INSERT);
    const alliance_sm2_params *p = &raw->params;
    const int64_t v[] = {c.pk,
                         now,
                         day,
                         grade,
                         elapsed,
                         answer_ms,
                         before.repetitions,
                         before.efactor_milli,
                         before.interval_days,
                         before.repeat_today,
                         after.repetitions,
                         after.efactor_milli,
                         after.interval_days,
                         after.repeat_today,
                         p->preset,
                         p->initial_efactor_milli,
                         p->min_efactor_milli,
                         p->first_interval_days,
                         p->second_interval_days,
                         p->max_interval_days,
                         prev_due,
                         prev_last,
                         prev_lapses,
                         prev_leech,
                         leech_suspended,
                         origin,
                         seq,
                         lamport,
                         sort_time,
                         today,
                         raw->leech_threshold,
                         raw->leech_suspend,
                         0 /* kind: a review */,
                         0 /* fuzz off (the baseline refuses otherwise) */,
                         0 /* fuzz_days */,
                         0 /* scheduler: SM-2 (the baseline refuses FSRS) */,
                         0 /* no FSRS parameters */};
    for (int i = 0; i < (int)(sizeof v / sizeof v[0]); i++)
        sqlite3_bind_int64(s, i + 1, v[i]);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        fail(raw, err, errsize, "logging the review");
        goto rollback;
    }
    if (exec_stmt(raw, S_COMMIT, err, errsize) != 0)
        goto rollback;
    return 0;
rollback:
    exec_stmt(raw, S_ROLLBACK, err + strlen(err), 0);
    return -1;
}

/* lib/core/sm2.c alliance__sm2_adapt: a state carried into a step under its row's parameters. */
static void sm2_adapt(const alliance_sm2_params *p, alliance_sm2_state *s)
{
    if (s->efactor_milli < p->min_efactor_milli)
        s->efactor_milli = p->min_efactor_milli;
    if (s->efactor_milli > 1000000u)
        s->efactor_milli = 1000000u;
    if (s->repeat_today > 1 || p->preset == ALLIANCE_SM2_CLASSIC || s->repetitions == 0)
        s->repeat_today = 0;
    if (s->interval_days > p->max_interval_days)
        s->interval_days = p->max_interval_days;
    if (s->repetitions > 0 && s->interval_days == 0)
        s->interval_days = 1;
    if (s->repetitions == 0 && s->interval_days > 1)
        s->interval_days = 1;
}

static int col_state_eq(sqlite3_stmt *s, int first, const alliance_sm2_state *st)
{
    return (uint32_t)sqlite3_column_int64(s, first) == st->repetitions &&
           (uint32_t)sqlite3_column_int64(s, first + 1) == st->efactor_milli &&
           (uint32_t)sqlite3_column_int64(s, first + 2) == st->interval_days &&
           (uint32_t)sqlite3_column_int64(s, first + 3) == st->repeat_today;
}

/* Undo's replay of card `c` (lib/study/replay.c, SM-2 reviews without fuzz, which is all the
 * benchmark writes): its log in the merged order, each answer stepped with alliance_sm2_next,
 * every row's caches compared (the library rewrites a row whose caches differ: here that would
 * be a difference, refused), the leech suspension kept only when its answer is newer than the
 * flags group's stamp. Leaves the replayed schedule in *c. */
static int replay_card(bench_raw *raw, sched *c, char *err, size_t errsize)
{
    sqlite3_stmt *s = stmt(raw, S_CARD_SYNC_GET);
    sqlite3_bind_int64(s, 1, c->pk);
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_reset(s);
        return fail(raw, err, errsize, "reading the card for its replay");
    }
    const uint32_t initial_efactor = (uint32_t)sqlite3_column_int64(s, 0);
    const int64_t user_suspended = sqlite3_column_int64(s, 1), flags_lamport = sqlite3_column_int64(s, 2),
                  flags_origin = sqlite3_column_int64(s, 3);
    sqlite3_reset(s);
    alliance_sm2_state state = {0, initial_efactor, 0, 0};
    int64_t due = 0, last = INT64_MIN /* ALLIANCE__NO_DAY */, reviews = 0, lapses = 0, leech = 0;
    int leech_suspends = 0, rc;
    s = stmt(raw, S_UNDO_LOG);
    sqlite3_bind_int64(s, 1, c->pk);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (sqlite3_column_int64(s, 27) != 0 || sqlite3_column_int64(s, 28) != 0 || sqlite3_column_int64(s, 30) != 0) {
            snprintf(err, errsize, "card row %lld: a review of another kind, with fuzz or imported from Anki: the "
                     "undo baseline replays plain SM-2 reviews only", (long long)c->pk);
            goto refuse;
        }
        alliance_sm2_params p = {ALLIANCE_SM2_PARAMS_VERSION, (uint32_t)sqlite3_column_int64(s, 11),
                                 (uint32_t)sqlite3_column_int64(s, 12), (uint32_t)sqlite3_column_int64(s, 13),
                                 (uint32_t)sqlite3_column_int64(s, 14), (uint32_t)sqlite3_column_int64(s, 15),
                                 (uint32_t)sqlite3_column_int64(s, 16)};
        const alliance_sm2_state before = state;
        alliance_sm2_state input = state, after;
        if (reviews == 0 && alliance_sm2_state_init(&p, &input) != 0) {
            snprintf(err, errsize, "card row %lld: invalid SM-2 parameters in its log", (long long)c->pk);
            goto refuse;
        }
        sm2_adapt(&p, &input);
        const int64_t raw_day = sqlite3_column_int64(s, 24);
        const int64_t day = reviews > 0 && last > raw_day ? last : raw_day;
        const int64_t elapsed = reviews > 0 ? day - last : -1;
        if (alliance_sm2_next(&p, &input, (int)sqlite3_column_int64(s, 1), &after) != 0) {
            snprintf(err, errsize, "card row %lld cannot be replayed", (long long)c->pk);
            goto refuse;
        }
        const int64_t prev_due = due, prev_last = last, prev_lapses = lapses, prev_leech = leech;
        int64_t leech_suspended = 0;
        state = after;
        due = after.repeat_today ? day : day + (int64_t)after.interval_days;
        last = day;
        reviews++;
        if (input.repetitions > 0 && after.repetitions == 0) {
            if (lapses < UINT32_MAX)
                lapses++;
            const int64_t threshold = sqlite3_column_int64(s, 25);
            if (threshold > 0 && lapses >= threshold && !leech) {
                leech = 1;
                leech_suspended = sqlite3_column_int64(s, 26);
            }
        }
        const int64_t origin = sqlite3_column_int64(s, 22), lamport = sqlite3_column_int64(s, 23);
        if (leech_suspended &&
            (lamport != flags_lamport ? lamport > flags_lamport : origin > flags_origin))
            leech_suspends = 1;
        /* the row's caches: day, elapsed, before, after, prev_*, leech_suspended, fuzz_days */
        if (sqlite3_column_int64(s, 0) != day || sqlite3_column_int64(s, 2) != elapsed ||
            !col_state_eq(s, 3, &before) || !col_state_eq(s, 7, &after) || sqlite3_column_int64(s, 17) != prev_due ||
            sqlite3_column_int64(s, 18) != prev_last || sqlite3_column_int64(s, 19) != prev_lapses ||
            sqlite3_column_int64(s, 20) != prev_leech || sqlite3_column_int64(s, 21) != leech_suspended ||
            sqlite3_column_int64(s, 29) != 0) {
            snprintf(err, errsize, "card row %lld: a review's stored caches differ from its replay (the undo "
                     "baseline does not rewrite them)", (long long)c->pk);
            goto refuse;
        }
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return fail(raw, err, errsize, "reading the card's log");
    c->state = state;
    c->due_day = due;
    c->last_review_day = last;
    c->reviews = reviews;
    c->lapses = lapses;
    c->leech = leech;
    c->suspended = user_suspended != 0 ? user_suspended : leech_suspends;
    return 0;
refuse:
    sqlite3_reset(s);
    return -1;
}

int bench_raw_undo(bench_raw *raw, char *id_out, size_t id_size, char *err, size_t errsize)
{
    if (raw->fuzz_or_fsrs) {
        snprintf(err, errsize, "fuzz or FSRS is on: the undo baseline replays SM-2 without fuzz only");
        return -1;
    }
    if (exec_stmt(raw, S_BEGIN, err, errsize) != 0)
        return -1;
    sqlite3_stmt *s = stmt(raw, S_SELF_GET);
    int64_t self = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 1) : 0;
    sqlite3_reset(s);
    s = stmt(raw, S_REVIEW_LAST);
    sqlite3_bind_int64(s, 1, self);
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_reset(s);
        snprintf(err, errsize, "nothing to undo");
        goto rollback;
    }
    /* Columns of REVIEW_COLUMNS: 0 id, 26 card id, 27 origin, 28 seq. */
    int64_t review_id = sqlite3_column_int64(s, 0);
    const unsigned char *id = sqlite3_column_text(s, 26);
    snprintf(id_out, id_size, "%s", id ? (const char *)id : "");
    int64_t review_origin = sqlite3_column_int64(s, 27), review_seq = sqlite3_column_int64(s, 28);
    sqlite3_reset(s);
    sched c;
    if (sched_get(raw, id_out, &c, err, errsize) != 0)
        goto rollback;
    s = stmt(raw, S_REVIEW_DELETE);
    sqlite3_bind_int64(s, 1, review_id);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        fail(raw, err, errsize, "deleting the review");
        goto rollback;
    }
    /* the tombstone that carries the undo to the other copies */
    s = stmt(raw, S_NEXT_EVENT);
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_reset(s);
        fail(raw, err, errsize, "numbering the undo");
        goto rollback;
    }
    const int64_t t[5] = {sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1), sqlite3_column_int64(s, 2),
                          review_origin, review_seq};
    while (sqlite3_step(s) == SQLITE_ROW)
        ;
    sqlite3_reset(s);
    s = stmt(raw, S_TOMBSTONE_INSERT);
    for (int i = 0; i < 5; i++)
        sqlite3_bind_int64(s, i + 1, t[i]);
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        fail(raw, err, errsize, "recording the undo");
        goto rollback;
    }
    /* The card is the replay of the log that is left (docs/sync.md "Undo"): the undone answer
     * need not be the newest of the card's merged log (another device's may follow it). */
    if (replay_card(raw, &c, err, errsize) != 0 || sched_put(raw, &c, err, errsize) != 0)
        goto rollback;
    if (exec_stmt(raw, S_COMMIT, err, errsize) != 0)
        goto rollback;
    return 0;
rollback:
    exec_stmt(raw, S_ROLLBACK, err + strlen(err), 0);
    return -1;
}

/* ---- today's queue ---- */

/* ?4 of the queue statements that have it: siblings apart, as read at open. */
static void bind_bury(const bench_raw *raw, sqlite3_stmt *s)
{
    if (sqlite3_bind_parameter_count(s) >= 4)
        sqlite3_bind_int64(s, 4, raw->bury_siblings);
}

static int count(bench_raw *raw, int id, int64_t today, int64_t limit, uint32_t *out, char *err, size_t errsize)
{
    sqlite3_stmt *s = stmt(raw, id);
    sqlite3_bind_int64(s, 1, 0);
    sqlite3_bind_int64(s, 2, today);
    sqlite3_bind_int64(s, 3, limit);
    bind_bury(raw, s);
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_reset(s);
        return fail(raw, err, errsize, sql[id]);
    }
    *out = (uint32_t)sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return 0;
}

/* Reads up to `limit` rows of a queue statement, every column of each row as
 * an app showing the card would; the first row's card id goes to first_id. */
static int rows(bench_raw *raw, int id, int64_t today, int64_t limit, uint32_t *got, char *first_id,
                size_t first_size, char *err, size_t errsize)
{
    sqlite3_stmt *s = stmt(raw, id);
    sqlite3_bind_int64(s, 1, 0);
    sqlite3_bind_int64(s, 2, today);
    sqlite3_bind_int64(s, 3, limit);
    bind_bury(raw, s);
    int rc;
    size_t sink = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        for (int col = 0; col < sqlite3_column_count(s); col++)
            sink += (size_t)sqlite3_column_bytes(s, col);
        if (*got == 0 && !first_id[0])
            snprintf(first_id, first_size, "%s", (const char *)sqlite3_column_text(s, 1));
        (*got)++;
    }
    sqlite3_reset(s);
    (void)sink;
    return rc == SQLITE_DONE ? 0 : fail(raw, err, errsize, sql[id]);
}

/* The first repeat row not among the `nrecent` newest answers (any row when
 * recent is NULL: lib/study/session.c's fallback, which prefers the oldest answered). */
static int pick(bench_raw *raw, int id, int64_t today, int64_t limit, const int64_t *recent, int nrecent,
                uint32_t *got, char *first_id, size_t first_size, char *err, size_t errsize)
{
    sqlite3_stmt *s = stmt(raw, id);
    sqlite3_bind_int64(s, 1, 0);
    sqlite3_bind_int64(s, 2, today);
    sqlite3_bind_int64(s, 3, limit);
    bind_bury(raw, s);
    int rc;
    long best = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t pk = sqlite3_column_int64(s, 0);
        long ago = 0;
        for (int i = 0; i < nrecent; i++)
            if (recent[i] == pk)
                ago = i + 1;
        long score = recent ? (ago ? 0 : 1000) : (ago ? ago : 4);
        if (score > best) {
            best = score;
            snprintf(first_id, first_size, "%s", (const char *)sqlite3_column_text(s, 1));
            *got = 1;
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : fail(raw, err, errsize, sql[id]);
}

static int queue_in_txn(bench_raw *raw, int64_t today, uint32_t limit, uint32_t out_counts[3], uint32_t *out_ncards,
                    char *first_id, size_t first_size, char *err, size_t errsize);
int bench_raw_queue(bench_raw *raw, int64_t now, uint32_t limit, uint32_t out_counts[3], uint32_t *out_ncards,
                    char *first_id, size_t first_size, char *err, size_t errsize)
{
    /* lib/study/session.c: read_budget, then the three counts, then the queues in
     * their order (repeats, due reviews within the day's limit, new cards). */
    if (raw->has_exam) {
        snprintf(err, errsize, "a deck has an exam: the queue baseline has no exam mode");
        return -1;
    }
    int64_t today = day_of(raw, now);
    /* one snapshot, the statements prepared once (as the library's BEGIN_READ and COMMIT) */
    if (exec_stmt(raw, S_BEGIN_READ, err, errsize) != 0)
        return -1;
    int qrc = queue_in_txn(raw, today, limit, out_counts, out_ncards, first_id, first_size, err, errsize);
    if (exec_stmt(raw, S_COMMIT, qrc ? err + strlen(err) : err, qrc ? 0 : errsize) != 0 && qrc == 0)
        return -1;
    return qrc;
}

static int queue_in_txn(bench_raw *raw, int64_t today, uint32_t limit, uint32_t out_counts[3], uint32_t *out_ncards,
                    char *first_id, size_t first_size, char *err, size_t errsize)
{
    sqlite3_stmt *s = stmt(raw, S_DONE_TODAY);
    sqlite3_bind_int64(s, 1, today);
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_reset(s);
        return fail(raw, err, errsize, sql[S_DONE_TODAY]);
    }
    int64_t new_done = sqlite3_column_int64(s, 0), due_done = sqlite3_column_int64(s, 1);
    sqlite3_reset(s);
    int64_t new_left = raw->new_per_day > new_done ? raw->new_per_day - new_done : 0;
    int64_t due_left = raw->reviews_per_day > due_done ? raw->reviews_per_day - due_done : 0;
    uint32_t c_new, c_due, c_rep;
    if (count(raw, S_COUNT_NEW, today, new_left, &c_new, err, errsize) != 0 ||
        count(raw, S_COUNT_DUE, today, due_left, &c_due, err, errsize) != 0 ||
        count(raw, S_COUNT_REPEAT, today, -1, &c_rep, err, errsize) != 0)
        return -1;
    out_counts[0] = c_new;
    out_counts[1] = c_due;
    out_counts[2] = c_rep;
    first_id[0] = 0;
    uint32_t got = 0;
    if (limit == 1) {
        /* lib/study/session.c next_card: today's newest answers space the repeats, then the
         * first rested repeat, else the first due review, else the first new card. */
        s = stmt(raw, S_REVIEW_RECENT_CARDS);
        sqlite3_bind_int64(s, 1, today);
        sqlite3_bind_int64(s, 2, 3);
        int64_t recent[3];
        int nrecent = 0, rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW)
            if (nrecent < 3)
                recent[nrecent++] = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
        if (rc != SQLITE_DONE)
            return fail(raw, err, errsize, sql[S_REVIEW_RECENT_CARDS]);
        if (pick(raw, S_QUEUE_REPEAT, today, 4, recent, nrecent, &got, first_id, first_size, err, errsize) != 0)
            return -1;
        if (!got && due_left > 0 && rows(raw, S_QUEUE_DUE, today, 1, &got, first_id, first_size, err, errsize) != 0)
            return -1;
        if (!got && new_left > 0 && rows(raw, S_QUEUE_NEW, today, 1, &got, first_id, first_size, err, errsize) != 0)
            return -1;
        if (!got && pick(raw, S_QUEUE_REPEAT, today, 4, NULL, 0, &got, first_id, first_size, err, errsize) != 0)
            return -1;
        *out_ncards = got;
        return 0;
    }
    /* The first `limit` cards in queue order: repeats, due reviews, new cards. */
    int64_t want = limit;
    if (rows(raw, S_QUEUE_REPEAT, today, want, &got, first_id, first_size, err, errsize) != 0)
        return -1;
    if (got < limit && due_left > 0 &&
        rows(raw, S_QUEUE_DUE, today, due_left < want - got ? due_left : want - got, &got, first_id, first_size,
             err, errsize) != 0)
        return -1;
    if (got < limit && new_left > 0 &&
        rows(raw, S_QUEUE_NEW, today, new_left < want - got ? new_left : want - got, &got, first_id, first_size,
             err, errsize) != 0)
        return -1;
    *out_ncards = got;
    return 0;
}

/* ---- work per statement ---- */

int bench_raw_queue_work(bench_raw *raw, int64_t now, char *out, size_t size, uint64_t *out_total, char *err,
                         size_t errsize)
{
    static const int ids[] = {S_DONE_TODAY,   S_COUNT_NEW,          S_COUNT_DUE, S_COUNT_REPEAT,
                              S_REVIEW_RECENT_CARDS, S_QUEUE_REPEAT, S_QUEUE_DUE, S_QUEUE_NEW};
    static const char *const names[] = {"DONE_TODAY",          "COUNT_NEW",    "COUNT_DUE", "COUNT_REPEAT",
                                        "REVIEW_RECENT_CARDS", "QUEUE_REPEAT", "QUEUE_DUE", "QUEUE_NEW"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        sqlite3_stmt_status(raw->st[ids[i]], SQLITE_STMTSTATUS_VM_STEP, 1);
    uint32_t counts[3], n;
    char first[256];
    if (bench_raw_queue(raw, now, 1, counts, &n, first, sizeof first, err, errsize) != 0)
        return -1;
    size_t at = 0;
    uint64_t total = 0;
    out[0] = 0;
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        int steps = sqlite3_stmt_status(raw->st[ids[i]], SQLITE_STMTSTATUS_VM_STEP, 1);
        total += (uint64_t)steps;
        at += (size_t)snprintf(out + at, at < size ? size - at : 0, "%s%s %d", i ? ", " : "", names[i], steps);
    }
    *out_total = total;
    return 0;
}

/* ---- query plans ---- */

/* Every statement alliance_session_open/_counts/_next runs (lib/study/session.c). */
static const int queue_statements[] = {S_QUEUE_REPEAT, S_QUEUE_DUE,   S_QUEUE_NEW,           S_COUNT_REPEAT,
                                       S_COUNT_DUE,    S_COUNT_NEW,   S_DONE_TODAY,          S_REVIEW_RECENT_CARDS,
                                       S_CARD_GET_PK,  S_SETTINGS_GET};
static const char *const queue_names[] = {"QUEUE_REPEAT", "QUEUE_DUE",  "QUEUE_NEW",           "COUNT_REPEAT",
                                          "COUNT_DUE",    "COUNT_NEW",  "DONE_TODAY",          "REVIEW_RECENT_CARDS",
                                          "CARD_GET_PK",  "SETTINGS_GET"};

int bench_raw_queue_plans(bench_raw *raw, char *plans, size_t plans_size, int *out_indexed, int *out_sorts,
                          char *err, size_t errsize)
{
    size_t at = 0;
    int indexed = 1, sorts = 0;
    plans[0] = 0;
    for (size_t i = 0; i < sizeof queue_statements / sizeof queue_statements[0]; i++) {
        char *q = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql[queue_statements[i]]);
        sqlite3_stmt *s = NULL;
        if (!q || sqlite3_prepare_v2(raw->db, q, -1, &s, NULL) != SQLITE_OK) {
            sqlite3_free(q);
            return fail(raw, err, errsize, "EXPLAIN QUERY PLAN");
        }
        sqlite3_free(q);
        at += (size_t)snprintf(plans + at, at < plans_size ? plans_size - at : 0, "%s%s:", i ? "; " : "",
                               queue_names[i]);
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            const char *d = (const char *)sqlite3_column_text(s, 3);
            d = d ? d : "";
            at += (size_t)snprintf(plans + at, at < plans_size ? plans_size - at : 0, " [%s]", d);
            /* A full scan of a table (SCAN without an index) is work
             * proportional to the collection. A sort is reported apart: it is
             * harmless over a bounded range and costly over all due cards,
             * which the plan alone cannot tell (the timing does). */
            int scan = strncmp(d, "SCAN ", 5) == 0 && !strstr(d, "USING INDEX") && !strstr(d, "COVERING INDEX") &&
                       strncmp(d, "SCAN (subquery", 14) != 0 && strncmp(d, "SCAN CONSTANT ROW", 17) != 0;
            if (scan)
                indexed = 0;
            if (strstr(d, "TEMP B-TREE"))
                sorts++;
        }
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE)
            return fail(raw, err, errsize, "EXPLAIN QUERY PLAN");
        if (at >= plans_size)
            break;
    }
    *out_indexed = indexed;
    *out_sorts = sorts;
    return 0;
}
