/* SPDX-License-Identifier: MIT */
/*
 * sql.c - all the SQL of liballiance: the schema and its migrations, and every
 * statement, prepared once per handle and cached. Values are always bound,
 * never formatted into the text.
 */
#include "store/handle.h"

#include <string.h>

/* ---- the schema ---------------------------------------------------------
 * STRICT tables and CHECK constraints make a wrong value impossible to store,
 * whatever a bug elsewhere tries. uint32 fields are checked against 2^32 - 1.
 * A new schema version is one more entry in `migrations`, run by open.c in the
 * same transaction as the PRAGMA user_version it ends with.
 */

static const char *const migration_1[] = {
    "CREATE TABLE config (\n"
    "  id INTEGER PRIMARY KEY CHECK (id = 1),\n"
    "  new_per_day INTEGER NOT NULL CHECK (new_per_day BETWEEN 0 AND 4294967295),\n"
    "  reviews_per_day INTEGER NOT NULL CHECK (reviews_per_day BETWEEN 0 AND 4294967295),\n"
    "  rollover_hour INTEGER NOT NULL CHECK (rollover_hour BETWEEN 0 AND 23),\n"
    "  leech_threshold INTEGER NOT NULL CHECK (leech_threshold BETWEEN 0 AND 4294967295),\n"
    "  leech_suspend INTEGER NOT NULL CHECK (leech_suspend IN (0, 1)),\n"
    "  sm2_preset INTEGER NOT NULL CHECK (sm2_preset IN (0, 1)),\n"
    "  sm2_initial_efactor INTEGER NOT NULL CHECK (sm2_initial_efactor BETWEEN 1 AND 1000000),\n"
    "  sm2_min_efactor INTEGER NOT NULL CHECK (sm2_min_efactor BETWEEN 1 AND 1000000),\n"
    "  sm2_first_interval INTEGER NOT NULL CHECK (sm2_first_interval BETWEEN 1 AND 4294967295),\n"
    "  sm2_second_interval INTEGER NOT NULL CHECK (sm2_second_interval BETWEEN 1 AND 4294967295),\n"
    "  sm2_max_interval INTEGER NOT NULL CHECK (sm2_max_interval BETWEEN 1 AND 4294967295),\n"
    "  generation INTEGER NOT NULL DEFAULT 0 CHECK (generation >= 0),\n"
    "  CHECK (sm2_initial_efactor >= sm2_min_efactor)\n"
    ") STRICT;\n",
    "CREATE TABLE decks (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),\n"
    "  description TEXT NOT NULL DEFAULT '',\n"
    "  sources TEXT NOT NULL DEFAULT '',\n"
    "  created INTEGER NOT NULL,\n"
    "  modified INTEGER NOT NULL,\n"
    /* The last import of the deck file (0: none yet). A card is in the deck file iff its
     * generation equals this: what export writes, whoever suspended the others. */
    "  generation INTEGER NOT NULL DEFAULT 0 CHECK (generation >= 0)\n"
    ") STRICT;\n",
    /* pk is the card's row; id is the author's stable text id (unique per collection). */
    "CREATE TABLE cards (\n"
    "  pk INTEGER PRIMARY KEY,\n"
    "  id TEXT NOT NULL UNIQUE CHECK (length(id) > 0),\n"
    "  note_id TEXT NOT NULL,\n"
    "  ordinal INTEGER NOT NULL CHECK (ordinal BETWEEN 0 AND 4294967295),\n"
    "  deck_id INTEGER NOT NULL REFERENCES decks (id),\n"
    "  type INTEGER NOT NULL CHECK (type BETWEEN 1 AND 3),\n"
    "  front TEXT NOT NULL,\n"
    "  back TEXT NOT NULL,\n"
    "  wrong TEXT NOT NULL,\n"
    "  tags TEXT NOT NULL,\n"
    "  source_file TEXT NOT NULL,\n"
    "  source_quote TEXT NOT NULL,\n"
    "  position INTEGER NOT NULL,\n"
    "  created INTEGER NOT NULL,\n"
    "  modified INTEGER NOT NULL,\n"
    /* 0 no, 1 by the learner (or as a leech), 2 by an import that no longer found it */
    "  suspended INTEGER NOT NULL CHECK (suspended BETWEEN 0 AND 2),\n"
    "  leech INTEGER NOT NULL CHECK (leech IN (0, 1)),\n"
    "  repetitions INTEGER NOT NULL CHECK (repetitions BETWEEN 0 AND 4294967295),\n"
    "  efactor INTEGER NOT NULL CHECK (efactor BETWEEN 1 AND 1000000),\n"
    "  interval_days INTEGER NOT NULL CHECK (interval_days BETWEEN 0 AND 4294967295),\n"
    "  repeat_today INTEGER NOT NULL CHECK (repeat_today IN (0, 1)),\n"
    "  due_day INTEGER NOT NULL,\n"
    "  last_review_day INTEGER NOT NULL,\n"
    "  buried_until_day INTEGER NOT NULL,\n"
    "  reviews INTEGER NOT NULL CHECK (reviews BETWEEN 0 AND 4294967295),\n"
    "  lapses INTEGER NOT NULL CHECK (lapses BETWEEN 0 AND 4294967295),\n"
    "  generation INTEGER NOT NULL\n"
    ") STRICT;\n",
    /* list/search/export order, and new cards in that order */
    "CREATE INDEX cards_order ON cards (deck_id, position, ordinal);\n",
    "CREATE INDEX cards_new ON cards (deck_id, position, ordinal)\n"
    "  WHERE reviews = 0 AND suspended = 0;\n",
    /* the queue of reviews (and forecast): most overdue first */
    "CREATE INDEX cards_due ON cards (due_day, deck_id, position, ordinal)\n"
    "  WHERE reviews > 0 AND suspended = 0;\n",
    /* same-day repeats: only the cards answered today, however large the backlog */
    "CREATE INDEX cards_repeat ON cards (last_review_day) WHERE reviews > 0 AND suspended = 0;\n",
    /* Rows are only appended, except that undo deletes exactly the row it
     * undoes. AUTOINCREMENT: an undone review's id is never reused, so ids
     * keep increasing with insertion time. The prev_* columns are what undo
     * restores besides the SM-2 state `before`; leech_suspended = 1 when this
     * answer suspended the card as a new leech (the only suspension undo lifts). */
    "CREATE TABLE reviews (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  card INTEGER NOT NULL REFERENCES cards (pk),\n"
    "  time INTEGER NOT NULL,\n"
    "  day INTEGER NOT NULL,\n"
    "  grade INTEGER NOT NULL CHECK (grade BETWEEN 0 AND 5),\n"
    "  elapsed_days INTEGER NOT NULL CHECK (elapsed_days >= -1),\n"
    "  answer_ms INTEGER NOT NULL CHECK (answer_ms BETWEEN 0 AND 4294967295),\n"
    "  before_repetitions INTEGER NOT NULL CHECK (before_repetitions >= 0),\n"
    "  before_efactor INTEGER NOT NULL CHECK (before_efactor BETWEEN 1 AND 1000000),\n"
    "  before_interval INTEGER NOT NULL CHECK (before_interval >= 0),\n"
    "  before_repeat_today INTEGER NOT NULL CHECK (before_repeat_today IN (0, 1)),\n"
    "  after_repetitions INTEGER NOT NULL CHECK (after_repetitions >= 0),\n"
    "  after_efactor INTEGER NOT NULL CHECK (after_efactor BETWEEN 1 AND 1000000),\n"
    "  after_interval INTEGER NOT NULL CHECK (after_interval >= 0),\n"
    "  after_repeat_today INTEGER NOT NULL CHECK (after_repeat_today IN (0, 1)),\n"
    "  sm2_preset INTEGER NOT NULL CHECK (sm2_preset IN (0, 1)),\n"
    "  sm2_initial_efactor INTEGER NOT NULL,\n"
    "  sm2_min_efactor INTEGER NOT NULL,\n"
    "  sm2_first_interval INTEGER NOT NULL,\n"
    "  sm2_second_interval INTEGER NOT NULL,\n"
    "  sm2_max_interval INTEGER NOT NULL,\n"
    "  prev_due_day INTEGER NOT NULL,\n"
    "  prev_last_review_day INTEGER NOT NULL,\n"
    "  prev_lapses INTEGER NOT NULL CHECK (prev_lapses >= 0),\n"
    "  prev_leech INTEGER NOT NULL CHECK (prev_leech IN (0, 1)),\n"
    "  leech_suspended INTEGER NOT NULL CHECK (leech_suspended IN (0, 1))\n"
    ") STRICT;\n",
    "CREATE INDEX reviews_card ON reviews (card, id);\n",
    "CREATE INDEX reviews_day ON reviews (day);\n",
    "PRAGMA application_id = 1095519321", /* ALLIANCE__APPLICATION_ID */
    "PRAGMA user_version = 1",
    NULL,
};

static const char *const *const migrations[] = { NULL, migration_1 };

const char *const *alliance__sql_migration(int to)
{
    if (to < 1 || to >= (int)(sizeof migrations / sizeof migrations[0]))
        return NULL;
    return migrations[to];
}

/* ---- the statements ------------------------------------------------------ */

/* Keep in the order of ALLIANCE__COL_* (sql.h). */
#define CARD_COLUMNS                                                                       \
    "pk, id, note_id, ordinal, deck_id, type, front, back, wrong, tags, source_file, "    \
    "source_quote, position, created, modified, suspended, leech, repetitions, efactor, " \
    "interval_days, repeat_today, due_day, last_review_day, buried_until_day, reviews, lapses"

/* Keep in the order of ALLIANCE__RCOL_* (sql.h). */
#define REVIEW_COLUMNS                                                                         \
    "r.id, r.card, r.time, r.day, r.grade, r.elapsed_days, r.answer_ms, "                     \
    "r.before_repetitions, r.before_efactor, r.before_interval, r.before_repeat_today, "      \
    "r.after_repetitions, r.after_efactor, r.after_interval, r.after_repeat_today, "          \
    "r.sm2_preset, r.sm2_initial_efactor, r.sm2_min_efactor, r.sm2_first_interval, "          \
    "r.sm2_second_interval, r.sm2_max_interval, r.prev_due_day, r.prev_last_review_day, "     \
    "r.prev_lapses, r.prev_leech, r.leech_suspended, c.id"

/* ?1 = deck id or 0 for every deck */
#define IN_DECK "(?1 = 0 OR deck_id = ?1)"
/* ?2 = today. A card is hidden while buried; "repeat" = reviewed today and due again today. */
#define SHOWABLE "suspended = 0 AND buried_until_day <= ?2"
#define REPEAT_CARD "reviews > 0 AND due_day <= ?2 AND last_review_day >= ?2 AND " SHOWABLE
#define DUE_CARD "reviews > 0 AND due_day <= ?2 AND last_review_day < ?2 AND " SHOWABLE
#define NEW_CARD "reviews = 0 AND " SHOWABLE
#define STABLE_ORDER "deck_id, position, ordinal, pk"

static const char *const statements[ALLIANCE__SQL_N] = {
    [ALLIANCE__SQL_BEGIN] = "BEGIN IMMEDIATE",
    [ALLIANCE__SQL_COMMIT] = "COMMIT",
    [ALLIANCE__SQL_ROLLBACK] = "ROLLBACK",
    /* A deferred read transaction: one snapshot (and one WAL lock) for several reads. */
    [ALLIANCE__SQL_BEGIN_READ] = "BEGIN DEFERRED",

    [ALLIANCE__SQL_APPLICATION_ID] = "PRAGMA application_id",
    [ALLIANCE__SQL_USER_VERSION] = "PRAGMA user_version",
    [ALLIANCE__SQL_SCHEMA_OBJECTS] = "SELECT count(*) FROM sqlite_master",
    /* After any migration: every table and index of the schema (ALLIANCE__SCHEMA_OBJECTS) and the
     * settings row are there. Keep in step with the migrations above. */
    [ALLIANCE__SQL_SCHEMA_CHECK] =
        "SELECT (SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'index') AND name IN "
        "('config', 'decks', 'cards', 'reviews', 'cards_order', 'cards_new', 'cards_due', 'cards_repeat', "
        "'reviews_card', 'reviews_day')), (SELECT count(*) FROM config)",
    [ALLIANCE__SQL_FOREIGN_KEYS_ON] = "PRAGMA foreign_keys = ON",
    [ALLIANCE__SQL_SYNC_NORMAL] = "PRAGMA synchronous = NORMAL",
    [ALLIANCE__SQL_SYNC_FULL] = "PRAGMA synchronous = FULL",
    [ALLIANCE__SQL_JOURNAL_WAL] = "PRAGMA journal_mode = WAL",

    [ALLIANCE__SQL_CONFIG_INSERT] =
        "INSERT INTO config (id, new_per_day, reviews_per_day, rollover_hour, leech_threshold, "
        "leech_suspend, sm2_preset, sm2_initial_efactor, sm2_min_efactor, sm2_first_interval, "
        "sm2_second_interval, sm2_max_interval) "
        "VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    /* The settings and the SM-2 parameters in one read (config.c keeps them for the call). */
    [ALLIANCE__SQL_SETTINGS_GET] =
        "SELECT new_per_day, reviews_per_day, rollover_hour, leech_threshold, leech_suspend, sm2_preset, "
        "sm2_initial_efactor, sm2_min_efactor, sm2_first_interval, sm2_second_interval, sm2_max_interval "
        "FROM config WHERE id = 1",
    [ALLIANCE__SQL_CONFIG_SET] =
        "UPDATE config SET new_per_day = ?1, reviews_per_day = ?2, rollover_hour = ?3, "
        "leech_threshold = ?4, leech_suspend = ?5 WHERE id = 1",
    [ALLIANCE__SQL_PARAMS_SET] =
        "UPDATE config SET sm2_preset = ?1, sm2_initial_efactor = ?2, sm2_min_efactor = ?3, "
        "sm2_first_interval = ?4, sm2_second_interval = ?5, sm2_max_interval = ?6 WHERE id = 1",
    [ALLIANCE__SQL_GENERATION_NEXT] =
        "UPDATE config SET generation = generation + 1 WHERE id = 1 RETURNING generation",

    [ALLIANCE__SQL_DECK_BY_NAME] = "SELECT id FROM decks WHERE name = ?1",
    [ALLIANCE__SQL_DECK_INSERT] =
        "INSERT INTO decks (name, description, sources, created, modified) VALUES (?1, ?2, ?3, ?4, ?4)",
    [ALLIANCE__SQL_DECK_UPDATE] =
        "UPDATE decks SET description = ?2, sources = ?3, modified = ?4 WHERE id = ?1",
    [ALLIANCE__SQL_DECK_GET] = "SELECT name, description, sources FROM decks WHERE id = ?1",
    [ALLIANCE__SQL_DECK_GENERATION_GET] = "SELECT generation FROM decks WHERE id = ?1",
    [ALLIANCE__SQL_DECK_GENERATION_SET] = "UPDATE decks SET generation = ?2 WHERE id = ?1",
    /* Keyset paging over the decks in id order, as the card iterator does over cards. */
    [ALLIANCE__SQL_DECK_NEXT] =
        "SELECT id, name, description, created, modified FROM decks WHERE id > ?1 ORDER BY id LIMIT 1",
    /* Every deck (?1 = 0), or deck ?1 and, with ?2 = 1, its subdecks: the names that start with
     * its name ?3 and "::" (compared as bytes: substr, not LIKE, whose % and _ a name may hold).
     * By name, so that a deck comes before its subdecks. */
    [ALLIANCE__SQL_DECK_LIST] =
        "SELECT id FROM decks WHERE ?1 = 0 OR id = ?1 "
        "OR (?2 = 1 AND substr(name, 1, length(?3) + 2) = ?3 || '::') ORDER BY name, id",

    [ALLIANCE__SQL_CARD_GET] = "SELECT " CARD_COLUMNS " FROM cards WHERE id = ?1",
    [ALLIANCE__SQL_CARD_GET_PK] = "SELECT " CARD_COLUMNS " FROM cards WHERE pk = ?1",
    [ALLIANCE__SQL_CARD_FOR_PUT] =
        "SELECT pk, deck_id, note_id, ordinal, type, front, back, wrong, tags, source_file, "
        "source_quote, position FROM cards WHERE id = ?1",
    /* Whether note ?1 has a card: the note's own id (basic, choice) or ?2 <= id < ?3, the
     * range of its cloze cards "NOTE::c1".. (both through the id's unique index). */
    [ALLIANCE__SQL_NOTE_TAKEN] =
        "SELECT id FROM cards WHERE id = ?1 UNION ALL "
        "SELECT * FROM (SELECT id FROM cards WHERE id >= ?2 AND id < ?3 LIMIT 1) LIMIT 1",
    /* a new card: SM-2 state {0, ?14, 0, 0}, never reviewed and not buried
     * (?16 = ALLIANCE__NO_DAY in last_review_day and buried_until_day) */
    [ALLIANCE__SQL_CARD_INSERT] =
        "INSERT INTO cards (id, note_id, ordinal, deck_id, type, front, back, wrong, tags, source_file, "
        "source_quote, position, created, modified, suspended, leech, repetitions, efactor, "
        "interval_days, repeat_today, due_day, last_review_day, buried_until_day, reviews, lapses, "
        "generation) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, 0, 0, 0, ?14, "
        "0, 0, 0, ?16, ?16, 0, 0, ?15)",
    /* Seen again by an import: only a suspension made by an import is lifted. */
    [ALLIANCE__SQL_CARD_UPDATE_TEXT] =
        "UPDATE cards SET note_id = ?2, ordinal = ?3, type = ?4, front = ?5, back = ?6, wrong = ?7, "
        "tags = ?8, source_file = ?9, source_quote = ?10, position = ?11, modified = ?12, "
        "generation = ?13, suspended = CASE suspended WHEN 2 THEN 0 ELSE suspended END WHERE pk = ?1",
    [ALLIANCE__SQL_CARD_MARK_SEEN] =
        "UPDATE cards SET position = ?2, generation = ?3, "
        "suspended = CASE suspended WHEN 2 THEN 0 ELSE suspended END WHERE pk = ?1",
    /* Before the deck's generation moves to ?2: the cards the last import saw and this one did not. */
    [ALLIANCE__SQL_CARD_COUNT_LEFT_FILE] =
        "SELECT count(*) FROM cards WHERE deck_id = ?1 AND generation <> ?2 "
        "AND generation = (SELECT generation FROM decks WHERE id = ?1)",
    /* A learner's own suspension (1) is kept as it is: the deck generation says the card left. */
    [ALLIANCE__SQL_CARD_SUSPEND_UNSEEN] =
        "UPDATE cards SET suspended = 2 WHERE deck_id = ?1 AND generation <> ?2 AND suspended = 0",
    [ALLIANCE__SQL_CARD_SET_SUSPENDED] = "UPDATE cards SET suspended = ?2 WHERE id = ?1",
    [ALLIANCE__SQL_CARD_SET_BURIED] = "UPDATE cards SET buried_until_day = ?2 WHERE id = ?1",
    /* Keyset paging: each call seeks past the last card returned, so an
     * iterator holds no statement (and no read transaction) between calls. */
    [ALLIANCE__SQL_CARD_SEARCH_NEXT] =
        "SELECT " CARD_COLUMNS " FROM cards WHERE " IN_DECK
        " AND (deck_id, position, ordinal, pk) > (?2, ?3, ?4, ?5)"
        /* alliance_text (open.c): the text a field shows, not its markup */
        " AND (?6 = '' OR instr(lower(alliance_text(front)), lower(?6)) OR instr(lower(alliance_text(back)), lower(?6))"
        " OR instr(lower(alliance_text(wrong)), lower(?6)) OR instr(lower(tags), lower(?6)))"
        " AND (?7 = 0 OR generation = (SELECT d.generation FROM decks AS d WHERE d.id = cards.deck_id))"
        " ORDER BY " STABLE_ORDER " LIMIT 1",
    /* The deck file as last imported, in its order, in one pass: for a reader that holds a
     * snapshot anyway (export). ?1 = deck id. */
    [ALLIANCE__SQL_CARD_DECK_FILE] =
        "SELECT " CARD_COLUMNS " FROM cards WHERE deck_id = ?1"
        " AND generation = (SELECT d.generation FROM decks AS d WHERE d.id = ?1)"
        " ORDER BY " STABLE_ORDER,
    [ALLIANCE__SQL_SCHED_GET] =
        "SELECT pk, deck_id, repetitions, efactor, interval_days, repeat_today, due_day, "
        "last_review_day, buried_until_day, suspended, leech, reviews, lapses FROM cards WHERE id = ?1",
    [ALLIANCE__SQL_SCHED_PUT] =
        "UPDATE cards SET repetitions = ?2, efactor = ?3, interval_days = ?4, repeat_today = ?5, "
        "due_day = ?6, last_review_day = ?7, buried_until_day = ?8, suspended = ?9, leech = ?10, "
        "reviews = ?11, lapses = ?12 WHERE pk = ?1",

    [ALLIANCE__SQL_REVIEW_INSERT] =
        "INSERT INTO reviews (card, time, day, grade, elapsed_days, answer_ms, before_repetitions, "
        "before_efactor, before_interval, before_repeat_today, after_repetitions, after_efactor, "
        "after_interval, after_repeat_today, sm2_preset, sm2_initial_efactor, sm2_min_efactor, "
        "sm2_first_interval, sm2_second_interval, sm2_max_interval, prev_due_day, "
        "prev_last_review_day, prev_lapses, prev_leech, leech_suspended) VALUES (?1, ?2, ?3, ?4, ?5, "
        "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)",
    [ALLIANCE__SQL_REVIEW_LAST] =
        "SELECT " REVIEW_COLUMNS " FROM reviews AS r JOIN cards AS c ON c.pk = r.card "
        "ORDER BY r.id DESC LIMIT 1",
    [ALLIANCE__SQL_REVIEW_DELETE] = "DELETE FROM reviews WHERE id = ?1",
    [ALLIANCE__SQL_REVIEW_NEXT] =
        "SELECT " REVIEW_COLUMNS " FROM reviews AS r JOIN cards AS c ON c.pk = r.card "
        "WHERE r.id > ?1 ORDER BY r.id LIMIT 1",
    [ALLIANCE__SQL_REVIEW_NEXT_OF_CARD] =
        "SELECT " REVIEW_COLUMNS " FROM reviews AS r JOIN cards AS c ON c.pk = r.card "
        "WHERE r.card = ?2 AND r.id > ?1 ORDER BY r.id LIMIT 1",
    /* alliance_verify merges these two passes (both in the order of an index, no sort):
     * every card by row, and every review by card, then id (reviews_card). */
    [ALLIANCE__SQL_VERIFY_CARDS] =
        "SELECT pk, id, repetitions, efactor, interval_days, repeat_today, due_day, last_review_day, reviews "
        "FROM cards ORDER BY pk",
    [ALLIANCE__SQL_VERIFY_REVIEWS] =
        "SELECT " REVIEW_COLUMNS " FROM reviews AS r JOIN cards AS c ON c.pk = r.card ORDER BY r.card, r.id",
    /* the cards of the newest answers of day ?1 (today), newest first, at most ?2 (index reviews_day) */
    [ALLIANCE__SQL_REVIEW_RECENT_CARDS] = "SELECT card FROM reviews WHERE day = ?1 ORDER BY id DESC LIMIT ?2",
    /* The whole log of deck ?1 (0: every deck), card by card and in log order within a card:
     * what the FSRS optimizer export streams (index reviews_card, no sort). */
    [ALLIANCE__SQL_REVIEW_SCAN] =
        "SELECT r.card, c.id, r.time, r.grade, r.elapsed_days, r.answer_ms FROM reviews AS r "
        "JOIN cards AS c ON c.pk = r.card WHERE (?1 = 0 OR c.deck_id = ?1) ORDER BY r.card, r.id",

    /* ?3 = how many rows at most */
    [ALLIANCE__SQL_QUEUE_REPEAT] =
        "SELECT " CARD_COLUMNS " FROM cards INDEXED BY cards_repeat WHERE " REPEAT_CARD " AND " IN_DECK
        " ORDER BY due_day, " STABLE_ORDER " LIMIT ?3",
    [ALLIANCE__SQL_QUEUE_DUE] =
        "SELECT " CARD_COLUMNS " FROM cards INDEXED BY cards_due WHERE " DUE_CARD " AND " IN_DECK
        " ORDER BY due_day, " STABLE_ORDER " LIMIT ?3",
    [ALLIANCE__SQL_QUEUE_NEW] =
        "SELECT " CARD_COLUMNS " FROM cards WHERE " NEW_CARD " AND " IN_DECK
        " ORDER BY " STABLE_ORDER " LIMIT ?3",
    /* Counting stops at ?3 (the day's remaining limit): bounded work on a big collection. */
    [ALLIANCE__SQL_COUNT_REPEAT] =
        "SELECT count(*) FROM (SELECT 1 FROM cards INDEXED BY cards_repeat WHERE " REPEAT_CARD " AND " IN_DECK " LIMIT ?3)",
    [ALLIANCE__SQL_COUNT_DUE] =
        "SELECT count(*) FROM (SELECT 1 FROM cards INDEXED BY cards_due WHERE " DUE_CARD " AND " IN_DECK " LIMIT ?3)",
    [ALLIANCE__SQL_COUNT_NEW] =
        "SELECT count(*) FROM (SELECT 1 FROM cards WHERE " NEW_CARD " AND " IN_DECK " LIMIT ?3)",
    /* Today's answers: first answers of new cards (elapsed -1) and first answers
     * today of learned cards (elapsed > 0); same-day repeats (elapsed 0) count for neither. */
    [ALLIANCE__SQL_DONE_TODAY] =
        "SELECT coalesce(sum(elapsed_days = -1), 0), coalesce(sum(elapsed_days > 0), 0) "
        "FROM reviews WHERE day = ?1",

    /* at most 100 problems; "ok" as the one row of a sound file */
    [ALLIANCE__SQL_INTEGRITY_CHECK] = "PRAGMA integrity_check(100)",
    /* rows: table, rowid, parent table, foreign key number */
    [ALLIANCE__SQL_FOREIGN_KEY_CHECK] = "PRAGMA foreign_key_check",

    [ALLIANCE__SQL_STATS_CARDS] =
        "SELECT count(*), coalesce(sum(reviews = 0), 0), coalesce(sum(reviews > 0), 0), "
        "coalesce(sum(reviews > 0 AND suspended = 0 AND due_day <= ?2), 0), "
        "coalesce(sum(suspended <> 0), 0), coalesce(sum(leech), 0) FROM cards WHERE " IN_DECK,
    /* ?2 = today, ?3 = window: days today - window + 1 .. today */
    [ALLIANCE__SQL_STATS_REVIEWS] =
        "SELECT count(*), coalesce(sum(r.grade >= 3), 0) FROM reviews AS r JOIN cards AS c "
        "ON c.pk = r.card WHERE r.day > ?2 - ?3 AND r.day <= ?2 AND (?1 = 0 OR c.deck_id = ?1)",
    /* ?3 = ndays; overdue cards count on today */
    [ALLIANCE__SQL_FORECAST] =
        "SELECT max(due_day, ?2) - ?2, count(*) FROM cards WHERE reviews > 0 AND suspended = 0 "
        "AND due_day < ?2 + ?3 AND " IN_DECK " GROUP BY 1",
};

int alliance__sql_stmt(alliance_db *db, alliance__sql_id id, sqlite3_stmt **out)
{
    sqlite3_stmt *stmt = db->stmts[id];
    if (stmt == NULL) {
        int rc = sqlite3_prepare_v3(db->sqlite, statements[id], -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
        /* Every statement here is valid SQL for the schema the migrations make: one that
         * does not prepare ("no such column") means the file's schema is not that one. */
        if ((rc & 0xff) == SQLITE_ERROR)
            return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "preparing a statement: %s is damaged: its "
                                       "schema is not liballiance's (%s)", alliance__db_file(db),
                                       sqlite3_errmsg(db->sqlite));
        if (rc != SQLITE_OK)
            return alliance__db_sqlite_error(db, rc, "preparing a statement");
        db->stmts[id] = stmt;
    } else {
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt);
    }
    *out = stmt;
    return ALLIANCE_OK;
}

int alliance__sql_step(alliance_db *db, sqlite3_stmt *stmt, const char *what)
{
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        return rc;
    if (rc == SQLITE_DONE) {
        sqlite3_reset(stmt); /* nothing left to read: release the statement's read lock now */
        return rc;
    }
    /* sqlite3_errmsg must be read before the reset clears it. */
    int code = alliance__db_sqlite_error(db, rc, what);
    sqlite3_reset(stmt);
    return code;
}

int alliance__sql_run(alliance_db *db, sqlite3_stmt *stmt, const char *what)
{
    int rc;
    while ((rc = alliance__sql_step(db, stmt, what)) == SQLITE_ROW)
        ;
    if (rc < 0)
        return rc;
    sqlite3_reset(stmt);
    return ALLIANCE_OK;
}

void alliance__sql_finalize_all(alliance_db *db)
{
    for (size_t i = 0; i < ALLIANCE__SQL_N; i++) {
        sqlite3_finalize(db->stmts[i]);
        db->stmts[i] = NULL;
    }
}

void alliance__sql_bind_int(sqlite3_stmt *stmt, int index, int64_t value)
{
    sqlite3_bind_int64(stmt, index, value);
}

void alliance__sql_bind_text(sqlite3_stmt *stmt, int index, const char *text)
{
    /* SQLITE_TRANSIENT: the caller's string may not outlive the statement's use. */
    if (sqlite3_bind_text(stmt, index, text ? text : "", -1, SQLITE_TRANSIENT) == SQLITE_NOMEM) {
        /* The copy failed and left the parameter NULL: a lookup would then find
         * nothing and an update change nothing, without an error. Bind the
         * caller's string itself (no allocation): it lives until this use of the
         * statement ends, and alliance__sql_stmt clears the bindings before the next. */
        sqlite3_bind_text(stmt, index, text ? text : "", -1, SQLITE_STATIC);
    }
}

void alliance__sql_bind_static(sqlite3_stmt *stmt, int index, const char *text)
{
    sqlite3_bind_text(stmt, index, text ? text : "", -1, SQLITE_STATIC);
}
