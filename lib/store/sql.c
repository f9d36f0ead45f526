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

/* ---- migration 2: sync (docs/sync.md) -------------------------------------
 * Identity (collection id, replica id), the version vector, the stamps of the
 * field groups, tombstones; each review gets its global id (origin, seq), a
 * Lamport stamp, its merge order (sort_time), the day its device saw (raw_day)
 * and the leech settings it was answered under. Existing rows become events of
 * this replica, numbered in their old order, so that a clone receives them.
 */
#define NO_DAY_SQL "-9223372036854775808"
#define NOT_APPLYING "(SELECT applying FROM sync_self) = 0"
/* The body of every stamping trigger: one event of this replica, one Lamport tick. */
#define STAMP(kind, key, grp) "INSERT INTO sync_stamp_write VALUES (" kind ", " key ", " grp ");\n"
/* Stamps for every existing row of a migrated file, numbered after what is already used. */
#define MIGRATE_STAMPS(kind, key, grp, from_where)                                          \
    "INSERT INTO sync_stamps (kind, key, grp, lamport, origin, seq)\n"                      \
    "  SELECT " kind ", " key ", " grp ",\n"                                                \
    "    (SELECT seq FROM sync_self) + row_number() OVER (ORDER BY rowid),\n"               \
    "    (SELECT replica_id FROM sync_self),\n"                                             \
    "    (SELECT seq FROM sync_self) + row_number() OVER (ORDER BY rowid)\n"                \
    "  " from_where ";\n",                                                                  \
    "UPDATE sync_self SET seq = max(seq, (SELECT coalesce(max(seq), 0) FROM sync_stamps)), "   \
    "lamport = max(seq, (SELECT coalesce(max(seq), 0) FROM sync_stamps))"
#define CONFIG_TRIGGER(name, grp, columns, changed)                                         \
    "CREATE TRIGGER sync_config_" name " AFTER UPDATE OF " columns " ON config\n"           \
    "WHEN " NOT_APPLYING " AND (" changed ")\nBEGIN\n" STAMP("3", "''", grp) "END"

/* The stamps of every local write of a field group go through this view: one small statement in
 * each trigger below (a trigger's text is parsed at every open, allocation by allocation). */
#define SYNC_STAMP_VIEW \
    "CREATE VIEW sync_stamp_write (kind, key, grp) AS SELECT 0, '', 0 WHERE 0", \
    "CREATE TRIGGER sync_stamp_write INSTEAD OF INSERT ON sync_stamp_write\nBEGIN\n" \
    "UPDATE sync_self SET seq = seq + 1, lamport = lamport + 1;\n" \
    "INSERT OR REPLACE INTO sync_stamps (kind, key, grp, lamport, origin, seq)\n" \
    "  SELECT NEW.kind, NEW.key, NEW.grp, lamport, replica_id, seq FROM sync_self;\nEND"

#define SYNC_TABLES \
    "CREATE TABLE sync_self (\n" \
    "  id INTEGER PRIMARY KEY CHECK (id = 1),\n" \
    "  collection_id BLOB NOT NULL CHECK (length(collection_id) = 16),\n" \
    "  replica_id INTEGER NOT NULL CHECK (replica_id <> 0),\n" \
    "  seq INTEGER NOT NULL CHECK (seq >= 0),\n"         /* this replica's last event */ \
    "  lamport INTEGER NOT NULL CHECK (lamport >= 0),\n" /* the highest stamp made or seen */ \
    "  applying INTEGER NOT NULL DEFAULT 0 CHECK (applying IN (0, 1))\n" /* 1 only inside an apply */ \
    ") STRICT;\n", \
    /* randomblob and random use sqlite3_randomness, seeded from the OS */ \
    "INSERT INTO sync_self (id, collection_id, replica_id, seq, lamport) " \
    "VALUES (1, randomblob(16), random() | 1, 0, 0);\n", \
    /* the version vector, except this replica's own entry (sync_self.seq) */ \
    "CREATE TABLE sync_vector (\n" \
    "  replica INTEGER PRIMARY KEY,\n" \
    "  seq INTEGER NOT NULL CHECK (seq >= 0)\n" \
    ") STRICT;\n", \
    /* the newest write of each field group (lib/sync/groups.c); its values are in the ordinary tables */ \
    "CREATE TABLE sync_stamps (\n" \
    "  kind INTEGER NOT NULL,\n" \
    "  key TEXT NOT NULL,\n" \
    "  grp INTEGER NOT NULL,\n" \
    "  lamport INTEGER NOT NULL,\n" \
    "  origin INTEGER NOT NULL,\n" \
    "  seq INTEGER NOT NULL,\n" \
    "  PRIMARY KEY (kind, key, grp)\n" \
    ") STRICT, WITHOUT ROWID;\n", \
    "CREATE INDEX sync_stamps_event ON sync_stamps (origin, seq);\n", \
    "CREATE TABLE sync_tombstones (\n" \
    "  origin INTEGER NOT NULL,\n" \
    "  seq INTEGER NOT NULL,\n" \
    "  lamport INTEGER NOT NULL,\n" \
    "  review_origin INTEGER NOT NULL,\n" \
    "  review_seq INTEGER NOT NULL,\n" \
    "  PRIMARY KEY (origin, seq)\n" \
    ") STRICT, WITHOUT ROWID;\n", \
    "CREATE INDEX sync_tombstones_review ON sync_tombstones (review_origin, review_seq);\n"

#define REVIEW_SYNC_INDEXES \
    "CREATE UNIQUE INDEX reviews_event ON reviews (origin, seq);\n", \
    "CREATE INDEX reviews_order ON reviews (card, sort_time, origin, seq);\n", \
    "CREATE INDEX reviews_merged ON reviews (sort_time, origin, seq);\n"

#define SYNC_TRIGGERS \
    "CREATE TRIGGER sync_card_insert AFTER INSERT ON cards WHEN " NOT_APPLYING "\nBEGIN\n" \
    STAMP("1", "NEW.id", "0") "END", \
    "CREATE TRIGGER sync_card_content AFTER UPDATE OF note_id, ordinal, deck_id, type, front, back, wrong, tags,\n" \
    "  source_file, source_quote, position, in_file, created, modified, initial_efactor ON cards\n" \
    "WHEN " NOT_APPLYING " AND (OLD.note_id IS NOT NEW.note_id OR OLD.ordinal IS NOT NEW.ordinal\n" \
    "  OR OLD.deck_id IS NOT NEW.deck_id OR OLD.type IS NOT NEW.type OR OLD.front IS NOT NEW.front\n" \
    "  OR OLD.back IS NOT NEW.back OR OLD.wrong IS NOT NEW.wrong OR OLD.tags IS NOT NEW.tags\n" \
    "  OR OLD.source_file IS NOT NEW.source_file OR OLD.source_quote IS NOT NEW.source_quote\n" \
    "  OR OLD.position IS NOT NEW.position OR OLD.in_file IS NOT NEW.in_file OR OLD.created IS NOT NEW.created\n" \
    "  OR OLD.modified IS NOT NEW.modified OR OLD.initial_efactor IS NOT NEW.initial_efactor)\nBEGIN\n" \
    STAMP("1", "NEW.id", "0") "END", \
    "CREATE TRIGGER sync_card_flags AFTER UPDATE OF user_suspended, buried_until_day ON cards\n" \
    /* suspended too: a learner's unsuspend of a leech changes only the derived column */ \
    "WHEN " NOT_APPLYING " AND (OLD.user_suspended IS NOT NEW.user_suspended OR OLD.suspended IS NOT NEW.suspended\n" \
    "  OR OLD.buried_until_day IS NOT NEW.buried_until_day)\nBEGIN\n" \
    STAMP("1", "NEW.id", "1") "END", \
    "CREATE TRIGGER sync_deck_insert AFTER INSERT ON decks WHEN " NOT_APPLYING "\nBEGIN\n" \
    STAMP("2", "NEW.name", "0") "END", \
    "CREATE TRIGGER sync_deck_header AFTER UPDATE OF description, sources, created, modified ON decks\n" \
    "WHEN " NOT_APPLYING " AND (OLD.description IS NOT NEW.description OR OLD.sources IS NOT NEW.sources\n" \
    "  OR OLD.created IS NOT NEW.created OR OLD.modified IS NOT NEW.modified)\nBEGIN\n" \
    STAMP("2", "NEW.name", "0") "END", \
    CONFIG_TRIGGER("new_per_day", "0", "new_per_day", "OLD.new_per_day IS NOT NEW.new_per_day"), \
    CONFIG_TRIGGER("reviews_per_day", "1", "reviews_per_day", "OLD.reviews_per_day IS NOT NEW.reviews_per_day"), \
    CONFIG_TRIGGER("rollover_hour", "2", "rollover_hour", "OLD.rollover_hour IS NOT NEW.rollover_hour"), \
    CONFIG_TRIGGER("leech_threshold", "3", "leech_threshold", "OLD.leech_threshold IS NOT NEW.leech_threshold"), \
    CONFIG_TRIGGER("leech_suspend", "4", "leech_suspend", "OLD.leech_suspend IS NOT NEW.leech_suspend"), \
    CONFIG_TRIGGER("sm2", "5", \
                   "sm2_preset, sm2_initial_efactor, sm2_min_efactor, sm2_first_interval, sm2_second_interval, " \
                   "sm2_max_interval", \
                   "OLD.sm2_preset IS NOT NEW.sm2_preset OR OLD.sm2_initial_efactor IS NOT NEW.sm2_initial_efactor " \
                   "OR OLD.sm2_min_efactor IS NOT NEW.sm2_min_efactor OR OLD.sm2_first_interval IS NOT " \
                   "NEW.sm2_first_interval OR OLD.sm2_second_interval IS NOT NEW.sm2_second_interval OR " \
                   "OLD.sm2_max_interval IS NOT NEW.sm2_max_interval")

static const char *const migration_2[] = {
    SYNC_TABLES,
    SYNC_STAMP_VIEW,
    "ALTER TABLE reviews ADD COLUMN origin INTEGER NOT NULL DEFAULT 0;\n",
    "ALTER TABLE reviews ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;\n",
    "ALTER TABLE reviews ADD COLUMN lamport INTEGER NOT NULL DEFAULT 0;\n",
    "ALTER TABLE reviews ADD COLUMN sort_time INTEGER NOT NULL DEFAULT 0;\n",
    "ALTER TABLE reviews ADD COLUMN raw_day INTEGER NOT NULL DEFAULT 0;\n",
    "ALTER TABLE reviews ADD COLUMN leech_threshold INTEGER NOT NULL DEFAULT 0 "
    "CHECK (leech_threshold BETWEEN 0 AND 4294967295);\n",
    "ALTER TABLE reviews ADD COLUMN leech_suspend INTEGER NOT NULL DEFAULT 0 CHECK (leech_suspend IN (0, 1));\n",
    /* Old rows keep their order: sort_time is the running maximum of their times in id order, and
     * ties are broken by seq = id. The day they counted on is the day their device saw. */
    "UPDATE reviews SET origin = (SELECT replica_id FROM sync_self), seq = id, lamport = id, raw_day = day,\n"
    "  sort_time = (SELECT max(r2.time) FROM reviews AS r2 WHERE r2.card = reviews.card AND r2.id <= reviews.id),\n"
    "  leech_threshold = coalesce((SELECT leech_threshold FROM config), 0),\n"
    "  leech_suspend = coalesce((SELECT leech_suspend FROM config), 0);\n",
    "UPDATE sync_self SET seq = (SELECT coalesce(max(id), 0) FROM reviews), "
    "lamport = (SELECT coalesce(max(id), 0) FROM reviews);\n",
    REVIEW_SYNC_INDEXES,
    /* user_suspended: the flags group's value (0, 1 learner, 2 import); `suspended` is derived
     * (docs/sync.md). in_file replaces comparing import generations, which are local counters. */
    "ALTER TABLE cards ADD COLUMN user_suspended INTEGER NOT NULL DEFAULT 0 CHECK (user_suspended BETWEEN 0 AND 2);\n",
    "ALTER TABLE cards ADD COLUMN in_file INTEGER NOT NULL DEFAULT 1 CHECK (in_file IN (0, 1));\n",
    "ALTER TABLE cards ADD COLUMN initial_efactor INTEGER NOT NULL DEFAULT 2500 "
    "CHECK (initial_efactor BETWEEN 1 AND 1000000);\n",
    /* A version-1 leech suspension still in force becomes the learner's (stamped after every review). */
    "UPDATE cards SET user_suspended = suspended,\n"
    "  in_file = (generation = (SELECT d.generation FROM decks AS d WHERE d.id = cards.deck_id)),\n"
    "  initial_efactor = coalesce((SELECT r.before_efactor FROM reviews AS r WHERE r.card = cards.pk\n"
    "                              ORDER BY r.id LIMIT 1), efactor);\n",

    MIGRATE_STAMPS("1", "id", "0", "FROM cards"),
    MIGRATE_STAMPS("1", "id", "1", "FROM cards WHERE user_suspended <> 0 OR buried_until_day <> " NO_DAY_SQL
                   " OR EXISTS (SELECT 1 FROM reviews AS r WHERE r.card = cards.pk AND r.leech_suspended = 1)"),
    MIGRATE_STAMPS("2", "name", "0", "FROM decks"),
    MIGRATE_STAMPS("3", "''", "0", "FROM config"),
    MIGRATE_STAMPS("3", "''", "1", "FROM config"),
    MIGRATE_STAMPS("3", "''", "2", "FROM config"),
    MIGRATE_STAMPS("3", "''", "3", "FROM config"),
    MIGRATE_STAMPS("3", "''", "4", "FROM config"),
    MIGRATE_STAMPS("3", "''", "5", "FROM config"),

    /* Every local write of a group is stamped, whichever code path made it. */
    SYNC_TRIGGERS,
    "PRAGMA user_version = 2",
    NULL,
};

/* ---- migration 3: FSRS in the collection (docs/fsrs.md) -------------------
 * The scheduler setting and the FSRS parameters (two synced field groups of the
 * settings: 6 and 7), and each card's FSRS track, a replay cache like the SM-2
 * columns: all zeros while the collection is scheduled by SM-2 (the default, so
 * an upgraded file is consistent without a replay). fsrs_params '' means the
 * published defaults; otherwise the text of alliance__fsrs_params_encode.
 */
#define FSRS_TRIGGERS \
    CONFIG_TRIGGER("scheduler", "6", "scheduler", "OLD.scheduler IS NOT NEW.scheduler"), \
    CONFIG_TRIGGER("fsrs", "7", "fsrs_params", "OLD.fsrs_params IS NOT NEW.fsrs_params")

static const char *const migration_3[] = {
    "ALTER TABLE config ADD COLUMN scheduler INTEGER NOT NULL DEFAULT 0 CHECK (scheduler IN (0, 1));\n",
    "ALTER TABLE config ADD COLUMN fsrs_params TEXT NOT NULL DEFAULT '';\n",
    "ALTER TABLE cards ADD COLUMN fsrs_stability REAL NOT NULL DEFAULT 0;\n",
    "ALTER TABLE cards ADD COLUMN fsrs_difficulty REAL NOT NULL DEFAULT 0;\n",
    "ALTER TABLE cards ADD COLUMN fsrs_interval INTEGER NOT NULL DEFAULT 0 "
    "CHECK (fsrs_interval BETWEEN 0 AND 4294967295);\n",
    "ALTER TABLE cards ADD COLUMN fsrs_drill INTEGER NOT NULL DEFAULT 0 CHECK (fsrs_drill IN (0, 1));\n",
    FSRS_TRIGGERS,
    "PRAGMA user_version = 3",
    NULL,
};

/* ---- migration 4: study modes (docs/study-modes.md) ---------------------------
 * An exam per deck (its day, NO_DAY for none, and the final window), two settings (siblings
 * apart, fuzz; both off, so that an upgraded collection studies as before) and, in each review
 * row, its kind (review, preview, ahead), whether fuzz was on (an input replay reads) and the fuzz it drew (a cache replay rewrites). The exam is the deck's
 * field group 1, the settings are config groups 8 and 9 (lib/sync/groups.c); kind and fuzz travel
 * with each review in changesets of format 2 (docs/sync.md).
 */
#define STUDY_DECK_COLUMNS \
    "ALTER TABLE decks ADD COLUMN exam_day INTEGER NOT NULL DEFAULT " NO_DAY_SQL ";\n", \
    "ALTER TABLE decks ADD COLUMN exam_final_days INTEGER NOT NULL DEFAULT 3 CHECK (exam_final_days BETWEEN 1 AND 30);\n"
#define STUDY_CONFIG_COLUMNS \
    "ALTER TABLE config ADD COLUMN bury_siblings INTEGER NOT NULL DEFAULT 0 CHECK (bury_siblings IN (0, 1));\n", \
    "ALTER TABLE config ADD COLUMN fuzz INTEGER NOT NULL DEFAULT 0 CHECK (fuzz IN (0, 1));\n"
#define STUDY_REVIEW_COLUMNS \
    "ALTER TABLE reviews ADD COLUMN kind INTEGER NOT NULL DEFAULT 0 CHECK (kind BETWEEN 0 AND 2);\n", \
    "ALTER TABLE reviews ADD COLUMN fuzz INTEGER NOT NULL DEFAULT 0 CHECK (fuzz IN (0, 1));\n", \
    "ALTER TABLE reviews ADD COLUMN fuzz_days INTEGER NOT NULL DEFAULT 0;\n"
/* siblings apart: the cards of one note, found without a scan */
#define STUDY_INDEXES "CREATE INDEX cards_note ON cards (note_id);\n"
#define STUDY_TRIGGERS \
    "CREATE TRIGGER sync_deck_exam AFTER UPDATE OF exam_day, exam_final_days ON decks\n" \
    "WHEN " NOT_APPLYING " AND (OLD.exam_day IS NOT NEW.exam_day OR OLD.exam_final_days IS NOT NEW.exam_final_days)\n" \
    "BEGIN\n" STAMP("2", "NEW.name", "1") "END", \
    CONFIG_TRIGGER("bury_siblings", "8", "bury_siblings", "OLD.bury_siblings IS NOT NEW.bury_siblings"), \
    CONFIG_TRIGGER("fuzz", "9", "fuzz", "OLD.fuzz IS NOT NEW.fuzz")

static const char *const migration_4[] = {
    STUDY_DECK_COLUMNS,
    STUDY_CONFIG_COLUMNS,
    STUDY_REVIEW_COLUMNS,
    STUDY_INDEXES,
    /* No stamps: every copy starts from the same defaults (no exam, no siblings apart, no fuzz), as a
     * new file does; the first write of a group stamps it. */
    STUDY_TRIGGERS,
    "PRAGMA user_version = 4",
    NULL,
};

/* ---- migration 5: each review records its scheduler (docs/fsrs.md, "The scheduler of each review")
 * Each row records which scheduler was in force when the answer was given (0 SM-2, 1 FSRS) and,
 * for FSRS, which FSRS parameters: a reference to a row of fsrs_param_sets, which holds each
 * set once, keyed by its text (config.fsrs_params's: '' for the published defaults), so the 23
 * values are not copied into every row. Rows from before the migration say SM-2: schema 4 did
 * not record it, and every copy must read an old row alike whenever it upgraded. The record is
 * history: replay reads the collection's settings, never it (it is carried by changesets of
 * format 3).
 */
#define FSRS_RECORD_TABLE \
    "CREATE TABLE fsrs_param_sets (\n" \
    "  id INTEGER PRIMARY KEY,\n" \
    "  params TEXT NOT NULL\n" \
    ") STRICT;\n", \
    "CREATE UNIQUE INDEX fsrs_param_sets_params ON fsrs_param_sets (params);\n"
#define FSRS_RECORD_COLUMNS \
    "ALTER TABLE reviews ADD COLUMN scheduler INTEGER NOT NULL DEFAULT 0 CHECK (scheduler IN (0, 1));\n", \
    "ALTER TABLE reviews ADD COLUMN fsrs_params INTEGER REFERENCES fsrs_param_sets (id) " \
    "CHECK ((scheduler = 1) = (fsrs_params IS NOT NULL));\n"

static const char *const migration_5[] = {
    FSRS_RECORD_TABLE,
    FSRS_RECORD_COLUMNS,
    "PRAGMA user_version = 5",
    NULL,
};

/* ---- migration 6: Anki history (docs/anki.md, "What a package's schedule becomes") ----------
 * A review row an .apkg import wrote from Anki's revlog: import_id is Anki's revlog id (its answer
 * time in milliseconds; 0 for an answer given here), and the row records what Anki's schedule
 * was after it: the SM-2 state in after_* (input, not a cache, for such a row), its due day,
 * count of reviews and lapses. Replay starts the card afresh from each such row. The import key
 * (card, import_id) is unique: a re-import or a peer's import of the same package adds nothing.
 * Existing rows are ours (import_id 0): an upgraded file replays as before.
 */
#define HISTORY_REVIEW_COLUMNS \
    "ALTER TABLE reviews ADD COLUMN import_id INTEGER NOT NULL DEFAULT 0 CHECK (import_id >= 0);\n", \
    "ALTER TABLE reviews ADD COLUMN import_due_day INTEGER NOT NULL DEFAULT 0;\n", \
    "ALTER TABLE reviews ADD COLUMN import_reviews INTEGER NOT NULL DEFAULT 0 " \
    "CHECK (import_reviews BETWEEN 0 AND 4294967295);\n", \
    "ALTER TABLE reviews ADD COLUMN import_lapses INTEGER NOT NULL DEFAULT 0 " \
    "CHECK (import_lapses BETWEEN 0 AND 4294967295);\n"
#define HISTORY_INDEXES "CREATE UNIQUE INDEX reviews_import ON reviews (card, import_id) WHERE import_id <> 0;\n"

static const char *const migration_6[] = {
    HISTORY_REVIEW_COLUMNS,
    HISTORY_INDEXES,
    "PRAGMA user_version = 6",
    NULL,
};

/* ---- migration 7: the learner's UTC offset, stored (docs/sync.md, "What is not synced") -----
 * This replica's setting, so a column of sync_self (never sent): each device has its own zone
 * and each review records the day its device saw. NULL: none stored (the process time zone, as
 * before this version, unless the handle is given one). -50400..50400 as alliance_set_utc_offset.
 */
#define UTC_OFFSET_COLUMN \
    "ALTER TABLE sync_self ADD COLUMN utc_offset INTEGER " \
    "CHECK (utc_offset IS NULL OR utc_offset BETWEEN -50400 AND 50400);\n"

static const char *const migration_7[] = {
    UTC_OFFSET_COLUMN,
    "PRAGMA user_version = 7",
    NULL,
};

/* Migration 1's decks table, copied as it is (migration 1 itself is never edited). */
#define MIGRATION_1_DECKS \
    "CREATE TABLE decks (\n" \
    "  id INTEGER PRIMARY KEY,\n" \
    "  name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),\n" \
    "  description TEXT NOT NULL DEFAULT '',\n" \
    "  sources TEXT NOT NULL DEFAULT '',\n" \
    "  created INTEGER NOT NULL,\n" \
    "  modified INTEGER NOT NULL,\n" \
    /* The last import of the deck file (0: none yet). A card is in the deck file iff its \
     * generation equals this: what export writes, whoever suspended the others. */ \
    "  generation INTEGER NOT NULL DEFAULT 0 CHECK (generation >= 0)\n" \
    ") STRICT;\n"

/* ---- a new collection: the schema of the current version in one go ------------
 * The same tables as migrations 1, 2 and 3 in turn (tests/test_sync.c checks that both
 * give the same columns, indexes and triggers), created with their final columns:
 * ALTER TABLE reloads the whole schema, so a new file would otherwise pay for each. */
static const char *const schema_current[] = {
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
    "  scheduler INTEGER NOT NULL DEFAULT 0 CHECK (scheduler IN (0, 1)),\n"
    "  fsrs_params TEXT NOT NULL DEFAULT '',\n"
    "  CHECK (sm2_initial_efactor >= sm2_min_efactor)\n"
    ") STRICT;\n",
    MIGRATION_1_DECKS,
    STUDY_DECK_COLUMNS,  /* two small tables: ALTER on them costs little (migration 4) */
    STUDY_CONFIG_COLUMNS,
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
    "  generation INTEGER NOT NULL,\n"
    "  user_suspended INTEGER NOT NULL DEFAULT 0 CHECK (user_suspended BETWEEN 0 AND 2),\n"
    "  in_file INTEGER NOT NULL DEFAULT 1 CHECK (in_file IN (0, 1)),\n"
    "  initial_efactor INTEGER NOT NULL DEFAULT 2500 CHECK (initial_efactor BETWEEN 1 AND 1000000),\n"
    "  fsrs_stability REAL NOT NULL DEFAULT 0,\n"
    "  fsrs_difficulty REAL NOT NULL DEFAULT 0,\n"
    "  fsrs_interval INTEGER NOT NULL DEFAULT 0 CHECK (fsrs_interval BETWEEN 0 AND 4294967295),\n"
    "  fsrs_drill INTEGER NOT NULL DEFAULT 0 CHECK (fsrs_drill IN (0, 1))\n"
    ") STRICT;\n",
    "CREATE INDEX cards_order ON cards (deck_id, position, ordinal);\n",
    "CREATE INDEX cards_new ON cards (deck_id, position, ordinal)\n"
    "  WHERE reviews = 0 AND suspended = 0;\n",
    "CREATE INDEX cards_due ON cards (due_day, deck_id, position, ordinal)\n"
    "  WHERE reviews > 0 AND suspended = 0;\n",
    "CREATE INDEX cards_repeat ON cards (last_review_day) WHERE reviews > 0 AND suspended = 0;\n",
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
    "  leech_suspended INTEGER NOT NULL CHECK (leech_suspended IN (0, 1)),\n"
    "  origin INTEGER NOT NULL DEFAULT 0,\n"
    "  seq INTEGER NOT NULL DEFAULT 0,\n"
    "  lamport INTEGER NOT NULL DEFAULT 0,\n"
    "  sort_time INTEGER NOT NULL DEFAULT 0,\n"
    "  raw_day INTEGER NOT NULL DEFAULT 0,\n"
    "  leech_threshold INTEGER NOT NULL DEFAULT 0 CHECK (leech_threshold BETWEEN 0 AND 4294967295),\n"
    "  leech_suspend INTEGER NOT NULL DEFAULT 0 CHECK (leech_suspend IN (0, 1)),\n"
    "  kind INTEGER NOT NULL DEFAULT 0 CHECK (kind BETWEEN 0 AND 2),\n"
    "  fuzz INTEGER NOT NULL DEFAULT 0 CHECK (fuzz IN (0, 1)),\n"
    "  fuzz_days INTEGER NOT NULL DEFAULT 0,\n"
    "  scheduler INTEGER NOT NULL DEFAULT 0 CHECK (scheduler IN (0, 1)),\n"
    "  fsrs_params INTEGER REFERENCES fsrs_param_sets (id) CHECK ((scheduler = 1) = (fsrs_params IS NOT NULL)),\n"
    "  import_id INTEGER NOT NULL DEFAULT 0 CHECK (import_id >= 0),\n"
    "  import_due_day INTEGER NOT NULL DEFAULT 0,\n"
    "  import_reviews INTEGER NOT NULL DEFAULT 0 CHECK (import_reviews BETWEEN 0 AND 4294967295),\n"
    "  import_lapses INTEGER NOT NULL DEFAULT 0 CHECK (import_lapses BETWEEN 0 AND 4294967295)\n"
    ") STRICT;\n",
    "CREATE INDEX reviews_card ON reviews (card, id);\n",
    "CREATE INDEX reviews_day ON reviews (day);\n",
    FSRS_RECORD_TABLE,
    SYNC_TABLES,
    UTC_OFFSET_COLUMN, /* a one-row table: ALTER costs little (migration 7) */
    SYNC_STAMP_VIEW,
    REVIEW_SYNC_INDEXES,
    SYNC_TRIGGERS,
    FSRS_TRIGGERS,
    STUDY_INDEXES,
    STUDY_TRIGGERS,
    HISTORY_INDEXES,
    "PRAGMA application_id = 1095519321", /* ALLIANCE__APPLICATION_ID */
    "PRAGMA user_version = 7",
    NULL,
};

static const char *const *const migrations[] = { NULL, migration_1, migration_2, migration_3, migration_4,
                                                  migration_5, migration_6, migration_7 };

const char *const *alliance__sql_schema_current(void)
{
    return schema_current;
}

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
    "interval_days, repeat_today, due_day, last_review_day, buried_until_day, reviews, lapses, " \
    "fsrs_stability, fsrs_difficulty, fsrs_interval, fsrs_drill"

/* Keep in the order of ALLIANCE__RCOL_* (sql.h); card_id: the card's text id (c.id of a join). */
#define REVIEW_COLUMNS_WITH(card_id)                                                           \
    "r.id, r.card, r.time, r.day, r.grade, r.elapsed_days, r.answer_ms, "                     \
    "r.before_repetitions, r.before_efactor, r.before_interval, r.before_repeat_today, "      \
    "r.after_repetitions, r.after_efactor, r.after_interval, r.after_repeat_today, "          \
    "r.sm2_preset, r.sm2_initial_efactor, r.sm2_min_efactor, r.sm2_first_interval, "          \
    "r.sm2_second_interval, r.sm2_max_interval, r.prev_due_day, r.prev_last_review_day, "     \
    "r.prev_lapses, r.prev_leech, r.leech_suspended, " card_id ", r.origin, r.seq, r.lamport, r.sort_time, "  \
    "r.raw_day, r.leech_threshold, r.leech_suspend, r.kind, r.fuzz, r.fuzz_days, r.scheduler, f.params, "  \
    "r.import_id, r.import_due_day, r.import_reviews, r.import_lapses"
#define REVIEW_COLUMNS REVIEW_COLUMNS_WITH("c.id")
/* The tables REVIEW_COLUMNS reads. */
#define REVIEW_TABLES \
    "reviews AS r JOIN cards AS c ON c.pk = r.card LEFT JOIN fsrs_param_sets AS f ON f.id = r.fsrs_params "
/* A review's place in its card's log, the same on every replica (docs/sync.md). */
#define MERGED_ORDER "r.sort_time, r.origin, r.seq"

/* ?1 = deck id or 0 for every deck */
#define IN_DECK "(?1 = 0 OR deck_id = ?1)"
/* ?2 = today. A card is hidden while buried; "repeat" = reviewed today and due again today. */
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
/* ties broken by the card id, not the local row: the same order on every copy of the collection */
#define STABLE_ORDER "deck_id, position, ordinal, id"

/* A deck's deletion (group 2) beats its header (group 0), d and h joined on the name. */
#define DECK_DELETION_WINS \
    "(h.lamport IS NULL OR d.lamport > h.lamport OR (d.lamport = h.lamport AND d.origin > h.origin))"
/* A deck's deletion (group 2) beats its exam (group 1, migration 4), d and e joined on the name:
 * a deletion newer than the exam clears it, an exam newer than the deletion keeps the deck. */
#define EXAM_DELETED_DECKS \
    "SELECT d.key FROM sync_stamps AS d JOIN sync_stamps AS e ON e.kind = 2 AND e.key = d.key AND e.grp = 1 " \
    "WHERE d.kind = 2 AND d.grp = 2 AND (d.lamport > e.lamport OR (d.lamport = e.lamport AND d.origin > e.origin))"
#define DYING_DECKS \
    "SELECT d.key FROM sync_stamps AS d LEFT JOIN sync_stamps AS h ON h.kind = 2 AND h.key = d.key AND h.grp = 0 " \
    "WHERE d.kind = 2 AND d.grp = 2 AND " DECK_DELETION_WINS

/* Exam mode: the due day of card c of deck d as seen on day ?2 (docs/study-modes.md, "The clamp";
 * alliance__exam_due_from in lib/core/exam.c is the same rule in C, and a test compares them).
 * A deck without an exam has exam_day = NO_DAY, never > ?2. */
#define EXAM_DUE                                                                                          \
    "(CASE WHEN d.exam_day > ?2 AND c.due_day >= d.exam_day AND c.last_review_day < d.exam_day - d.exam_final_days " \
    "THEN d.exam_day - d.exam_final_days + ((c.last_review_day % d.exam_final_days) + d.exam_final_days) "  \
    "% d.exam_final_days ELSE c.due_day END)"
#define CARD_COLUMNS_C                                                                                   \
    "c.pk, c.id, c.note_id, c.ordinal, c.deck_id, c.type, c.front, c.back, c.wrong, c.tags, c.source_file, " \
    "c.source_quote, c.position, c.created, c.modified, c.suspended, c.leech, c.repetitions, c.efactor, "  \
    "c.interval_days, c.repeat_today, c.due_day, c.last_review_day, c.buried_until_day, c.reviews, c.lapses, " \
    "c.fsrs_stability, c.fsrs_difficulty, c.fsrs_interval, c.fsrs_drill" /* as CARD_COLUMNS */
#define DUE_CARD_EXAM                                                                                    \
    "c.reviews > 0 AND " EXAM_DUE " <= ?2 AND c.last_review_day < ?2 AND c.suspended = 0 AND "           \
    "c.buried_until_day <= ?2 AND (?1 = 0 OR c.deck_id = ?1) AND "                                       \
    /* never held back on the last day before the deck's exam: it would miss it */                       \
    "(" NOT_HELD_BACK("c") " OR d.exam_day = ?2 + 1)"

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
        "SELECT (SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'index', 'view', 'trigger') AND name IN "
        "('config', 'decks', 'cards', 'reviews', 'cards_order', 'cards_new', 'cards_due', 'cards_repeat', "
        "'reviews_card', 'reviews_day', "
        /* version 2: sync (a missing trigger would leave local writes unstamped, never sent) */
        "'sync_self', 'sync_vector', 'sync_stamps', 'sync_tombstones', 'sync_stamps_event', "
        "'sync_tombstones_review', 'reviews_event', 'reviews_order', 'reviews_merged', 'sync_stamp_write', "
        "'sync_card_insert', 'sync_card_content', 'sync_card_flags', 'sync_deck_insert', 'sync_deck_header', "
        "'sync_config_new_per_day', 'sync_config_reviews_per_day', 'sync_config_rollover_hour', "
        "'sync_config_leech_threshold', 'sync_config_leech_suspend', 'sync_config_sm2', "
        /* version 3: FSRS */
        "'sync_config_scheduler', 'sync_config_fsrs', "
        /* version 4: study modes */
        "'sync_deck_exam', 'sync_config_bury_siblings', 'sync_config_fuzz', 'cards_note', "
        /* version 5: the scheduler of each review */
        "'fsrs_param_sets', 'fsrs_param_sets_params', "
        /* version 6: Anki history */
        "'reviews_import')), "
        "(SELECT count(*) FROM config)",
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
        "sm2_initial_efactor, sm2_min_efactor, sm2_first_interval, sm2_second_interval, sm2_max_interval, "
        "scheduler, fsrs_params, bury_siblings, fuzz FROM config WHERE id = 1",
    [ALLIANCE__SQL_SCHEDULER_SET] = "UPDATE config SET scheduler = ?1 WHERE id = 1",
    [ALLIANCE__SQL_FSRS_PARAMS_SET] = "UPDATE config SET fsrs_params = ?1 WHERE id = 1",
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
        "INSERT INTO decks (id, name, description, sources, created, modified) VALUES (?5, ?1, ?2, ?3, ?4, ?4)",
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
        "generation, user_suspended, in_file, initial_efactor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
        "?11, ?12, ?13, ?13, 0, 0, 0, ?14, 0, 0, 0, ?16, ?16, 0, 0, ?15, 0, 1, ?14)",
    /* Seen again by an import: only a suspension made by an import is lifted. */
    [ALLIANCE__SQL_CARD_UPDATE_TEXT] =
        "UPDATE cards SET note_id = ?2, ordinal = ?3, type = ?4, front = ?5, back = ?6, wrong = ?7, "
        "tags = ?8, source_file = ?9, source_quote = ?10, position = ?11, modified = ?12, "
        "generation = ?13, in_file = 1, suspended = CASE suspended WHEN 2 THEN 0 ELSE suspended END, "
        "user_suspended = CASE user_suspended WHEN 2 THEN 0 ELSE user_suspended END WHERE pk = ?1",
    [ALLIANCE__SQL_CARD_MARK_SEEN] =
        "UPDATE cards SET position = ?2, generation = ?3, in_file = 1, "
        "suspended = CASE suspended WHEN 2 THEN 0 ELSE suspended END, "
        "user_suspended = CASE user_suspended WHEN 2 THEN 0 ELSE user_suspended END WHERE pk = ?1",
    /* Before the deck's generation moves to ?2: the cards the last import saw and this one did not. */
    [ALLIANCE__SQL_CARD_COUNT_LEFT_FILE] =
        "SELECT count(*) FROM cards WHERE deck_id = ?1 AND generation <> ?2 AND in_file = 1",
    /* A learner's own suspension (1) is kept as it is: the deck generation says the card left. */
    [ALLIANCE__SQL_CARD_SUSPEND_UNSEEN] =
        "UPDATE cards SET suspended = 2, user_suspended = 2 WHERE deck_id = ?1 AND generation <> ?2 AND suspended = 0",
    [ALLIANCE__SQL_CARD_LEAVE_FILE] =
        "UPDATE cards SET in_file = 0 WHERE deck_id = ?1 AND generation <> ?2 AND in_file = 1",
    /* A learner's act is the newest write of the flags group: it overrides a leech suspension. */
    [ALLIANCE__SQL_CARD_SET_SUSPENDED] = "UPDATE cards SET user_suspended = ?2, suspended = ?2 WHERE id = ?1",
    [ALLIANCE__SQL_CARD_SET_BURIED] = "UPDATE cards SET buried_until_day = ?2 WHERE id = ?1",
    /* Keyset paging: each call seeks past the last card returned, so an
     * iterator holds no statement (and no read transaction) between calls. */
    [ALLIANCE__SQL_CARD_SEARCH_NEXT] =
        "SELECT " CARD_COLUMNS " FROM cards WHERE " IN_DECK
        " AND (deck_id, position, ordinal, id) > (?2, ?3, ?4, ?5)"
        /* alliance_text (open.c): the text a field shows, not its markup */
        " AND (?6 = '' OR instr(lower(alliance_text(front)), lower(?6)) OR instr(lower(alliance_text(back)), lower(?6))"
        " OR instr(lower(alliance_text(wrong)), lower(?6)) OR instr(lower(tags), lower(?6)))"
        " AND (?7 = 0 OR in_file = 1)"
        " ORDER BY " STABLE_ORDER " LIMIT 1",
    /* The deck file as last imported, in its order, in one pass: for a reader that holds a
     * snapshot anyway (export). ?1 = deck id. */
    [ALLIANCE__SQL_CARD_DECK_FILE] =
        "SELECT " CARD_COLUMNS " FROM cards WHERE deck_id = ?1 AND in_file = 1"
        " ORDER BY " STABLE_ORDER,
    [ALLIANCE__SQL_CARD_NEXT_PK] = "SELECT pk, id FROM cards WHERE pk > ?1 ORDER BY pk LIMIT 1",
    [ALLIANCE__SQL_SCHED_GET] =
        "SELECT pk, deck_id, repetitions, efactor, interval_days, repeat_today, due_day, "
        "last_review_day, buried_until_day, suspended, leech, reviews, lapses, "
        "fsrs_stability, fsrs_difficulty, fsrs_interval, fsrs_drill FROM cards WHERE id = ?1",
    [ALLIANCE__SQL_SCHED_PUT] =
        "UPDATE cards SET repetitions = ?2, efactor = ?3, interval_days = ?4, repeat_today = ?5, "
        /* ?8 (buried_until_day) is not written: burial is the learner's (a synced flag), never the schedule's */
        "due_day = ?6, last_review_day = ?7, suspended = ?9, leech = ?10, "
        "reviews = ?11, lapses = ?12, fsrs_stability = ?13, fsrs_difficulty = ?14, fsrs_interval = ?15, "
        "fsrs_drill = ?16 WHERE pk = ?1",

    [ALLIANCE__SQL_REVIEW_INSERT] =
        "INSERT INTO reviews (card, time, day, grade, elapsed_days, answer_ms, before_repetitions, "
        "before_efactor, before_interval, before_repeat_today, after_repetitions, after_efactor, "
        "after_interval, after_repeat_today, sm2_preset, sm2_initial_efactor, sm2_min_efactor, "
        "sm2_first_interval, sm2_second_interval, sm2_max_interval, prev_due_day, "
        "prev_last_review_day, prev_lapses, prev_leech, leech_suspended, origin, seq, lamport, sort_time, "
        "raw_day, leech_threshold, leech_suspend, kind, fuzz, fuzz_days, import_id, import_due_day, import_reviews, "
        "import_lapses, scheduler, fsrs_params) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
        "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, "
        "?31, ?32, ?33, ?34, ?35, ?36, ?37, ?38, ?39, ?40, nullif(?41, 0))",
    /* a set of FSRS parameters by its text (?1), added if new; then its id */
    [ALLIANCE__SQL_FSRS_SET_ADD] = "INSERT OR IGNORE INTO fsrs_param_sets (params) VALUES (?1)",
    [ALLIANCE__SQL_FSRS_SET_ID] = "SELECT id FROM fsrs_param_sets WHERE params = ?1",
    /* undo: the newest answer this replica gave (?1 = its replica id) */
    [ALLIANCE__SQL_REVIEW_LAST] =
        "SELECT " REVIEW_COLUMNS " FROM " REVIEW_TABLES
        "WHERE r.origin = ?1 ORDER BY r.seq DESC LIMIT 1",
    [ALLIANCE__SQL_REVIEW_DELETE] = "DELETE FROM reviews WHERE id = ?1",
    [ALLIANCE__SQL_REVIEW_NEXT] =
        "SELECT " REVIEW_COLUMNS " FROM " REVIEW_TABLES
        "WHERE (" MERGED_ORDER ") > (?1, ?2, ?3) ORDER BY " MERGED_ORDER " LIMIT 1",
    [ALLIANCE__SQL_REVIEW_NEXT_OF_CARD] =
        "SELECT " REVIEW_COLUMNS " FROM " REVIEW_TABLES
        "WHERE r.card = ?4 AND (" MERGED_ORDER ") > (?1, ?2, ?3) ORDER BY " MERGED_ORDER " LIMIT 1",
    /* the cards of the newest answers of day ?1 (today), newest first, at most ?2 (index reviews_day) */
    [ALLIANCE__SQL_REVIEW_RECENT_CARDS] =
        /* this device's insertion order: a queue heuristic, not stored state */
        "SELECT card FROM reviews WHERE day = ?1 ORDER BY id DESC LIMIT ?2",
    /* the caches that replay rewrites (lib/study/replay.c) */
    [ALLIANCE__SQL_REVIEW_CACHE_PUT] =
        "UPDATE reviews SET day = ?2, elapsed_days = ?3, before_repetitions = ?4, before_efactor = ?5, "
        "before_interval = ?6, before_repeat_today = ?7, after_repetitions = ?8, after_efactor = ?9, "
        "after_interval = ?10, after_repeat_today = ?11, prev_due_day = ?12, prev_last_review_day = ?13, "
        "prev_lapses = ?14, prev_leech = ?15, leech_suspended = ?16, fuzz_days = ?17 WHERE id = ?1",
    [ALLIANCE__SQL_REVIEW_MAX_SORT] = "SELECT max(sort_time) FROM reviews WHERE card = ?1",
    /* Anki history (schema 6): card ?1's newest imported row (its revlog id and place), and
     * whether an answer given here follows place ?2 (a re-import then adds nothing) */
    [ALLIANCE__SQL_REVIEW_IMPORT_LAST] =
        "SELECT import_id, sort_time FROM reviews WHERE card = ?1 AND import_id <> 0 "
        "ORDER BY import_id DESC LIMIT 1",
    [ALLIANCE__SQL_REVIEW_OWN_AFTER] =
        "SELECT 1 FROM reviews WHERE card = ?1 AND import_id = 0 AND sort_time >= ?2 LIMIT 1",
    /* an answer given here to card ?1 at time ?2: a package we exported holds it as a revlog row */
    [ALLIANCE__SQL_REVIEW_OWN_AT] = "SELECT 1 FROM reviews WHERE card = ?1 AND import_id = 0 AND time = ?2 LIMIT 1",
    /* what replay needs besides the schedule: the new-card E-Factor and the flags group */
    [ALLIANCE__SQL_CARD_SYNC_GET] =
        "SELECT c.initial_efactor, c.user_suspended, coalesce(s.lamport, 0), coalesce(s.origin, 0) "
        "FROM cards AS c LEFT JOIN sync_stamps AS s ON s.kind = 1 AND s.key = c.id AND s.grp = 1 WHERE c.pk = ?1",
    /* alliance_verify merges these two passes, both in the order of an index (no sort): every
     * card by row (SCHED_GET's columns first, then what replay starts from), and every review
     * by card, then in the merged order (reviews_order). The reviews' card id is not read: the
     * cards pass names the card, and a row of a card that is not there is passed over. */
    [ALLIANCE__SQL_VERIFY_CARDS] =
        "SELECT pk, deck_id, repetitions, efactor, interval_days, repeat_today, due_day, "
        "last_review_day, buried_until_day, suspended, leech, reviews, lapses, "
        "fsrs_stability, fsrs_difficulty, fsrs_interval, fsrs_drill, id, initial_efactor, user_suspended "
        "FROM cards ORDER BY pk",
    [ALLIANCE__SQL_VERIFY_REVIEWS] =
        "SELECT " REVIEW_COLUMNS_WITH("NULL") " FROM reviews AS r "
        "LEFT JOIN fsrs_param_sets AS f ON f.id = r.fsrs_params ORDER BY r.card, " MERGED_ORDER,

    /* ---- sync (lib/sync/) ---- */
    [ALLIANCE__SQL_SYNC_SELF_GET] = "SELECT collection_id, replica_id, seq, lamport FROM sync_self WHERE id = 1",
    [ALLIANCE__SQL_SYNC_NEXT_EVENT] =
        "UPDATE sync_self SET seq = seq + 1, lamport = lamport + 1 WHERE id = 1 RETURNING replica_id, seq, lamport",
    /* ?1 events at once: the first one's numbers (an import's rows of one card) */
    [ALLIANCE__SQL_SYNC_NEXT_EVENTS] =
        "UPDATE sync_self SET seq = seq + ?1, lamport = lamport + ?1 WHERE id = 1 "
        "RETURNING replica_id, seq - ?1 + 1, lamport - ?1 + 1",
    [ALLIANCE__SQL_SYNC_APPLYING] = "UPDATE sync_self SET applying = ?1 WHERE id = 1",
    [ALLIANCE__SQL_SYNC_SEE_LAMPORT] = "UPDATE sync_self SET lamport = max(lamport, ?1) WHERE id = 1",
    [ALLIANCE__SQL_SYNC_SET_COLLECTION] = "UPDATE sync_self SET collection_id = ?1 WHERE id = 1",
    /* a copy restored from an old backup learns its own later events back from its peers */
    [ALLIANCE__SQL_SYNC_SEQ_FLOOR] = "UPDATE sync_self SET seq = max(seq, ?1) WHERE id = 1",
    /* this replica's UTC offset (migration 7; NULL: none stored), never synced */
    [ALLIANCE__SQL_UTC_OFFSET_GET] = "SELECT utc_offset FROM sync_self WHERE id = 1",
    [ALLIANCE__SQL_UTC_OFFSET_SET] = "UPDATE sync_self SET utc_offset = ?1 WHERE id = 1",
    [ALLIANCE__SQL_SYNC_VECTOR_ALL] = "SELECT replica, seq FROM sync_vector ORDER BY replica",
    [ALLIANCE__SQL_SYNC_VECTOR_PUT] =
        "INSERT INTO sync_vector (replica, seq) VALUES (?1, ?2) "
        "ON CONFLICT (replica) DO UPDATE SET seq = max(seq, excluded.seq)",
    [ALLIANCE__SQL_STAMP_GET] = "SELECT lamport, origin, seq FROM sync_stamps WHERE kind = ?1 AND key = ?2 AND grp = ?3",
    [ALLIANCE__SQL_STAMP_PUT] =
        "INSERT OR REPLACE INTO sync_stamps (kind, key, grp, lamport, origin, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    /* the writes of one origin that a peer lacks, one kind (and group, or all: ?4 = -1) at a time */
    [ALLIANCE__SQL_STAMPS_OF_ORIGIN] =
        "SELECT kind, key, grp, lamport, seq FROM sync_stamps WHERE origin = ?1 AND seq > ?2 AND kind = ?3 "
        "AND (?4 < 0 OR grp = ?4) ORDER BY seq",
    [ALLIANCE__SQL_REVIEWS_OF_ORIGIN] =
        "SELECT r.origin, r.seq, r.lamport, c.id, r.time, r.sort_time, r.raw_day, r.grade, r.answer_ms, "
        "r.sm2_preset, r.sm2_initial_efactor, r.sm2_min_efactor, r.sm2_first_interval, r.sm2_second_interval, "
        "r.sm2_max_interval, r.leech_threshold, r.leech_suspend, r.kind, r.fuzz, r.scheduler, f.params, r.import_id, "
        "r.after_repetitions, r.after_efactor, r.after_interval, r.after_repeat_today, r.import_due_day, "
        "r.import_reviews, r.import_lapses "
        "FROM " REVIEW_TABLES "WHERE r.origin = ?1 AND r.seq > ?2 ORDER BY r.seq",
    [ALLIANCE__SQL_TOMBSTONES_OF_ORIGIN] =
        "SELECT origin, seq, lamport, review_origin, review_seq FROM sync_tombstones "
        "WHERE origin = ?1 AND seq > ?2 ORDER BY seq",
    [ALLIANCE__SQL_REVIEW_BY_EVENT] = "SELECT id, card FROM reviews WHERE origin = ?1 AND seq = ?2",
    /* the row holding import key (card ?1, Anki revlog id ?2), schema 6 */
    [ALLIANCE__SQL_REVIEW_BY_IMPORT_KEY] =
        "SELECT id, origin, seq FROM reviews WHERE card = ?1 AND import_id = ?2 AND import_id <> 0",
    [ALLIANCE__SQL_TOMBSTONE_INSERT] =
        "INSERT OR IGNORE INTO sync_tombstones (origin, seq, lamport, review_origin, review_seq) "
        "VALUES (?1, ?2, ?3, ?4, ?5)",
    [ALLIANCE__SQL_TOMBSTONE_EXISTS] = "SELECT 1 FROM sync_tombstones WHERE origin = ?1 AND seq = ?2",
    [ALLIANCE__SQL_TOMBSTONE_FOR_REVIEW] =
        "SELECT 1 FROM sync_tombstones WHERE review_origin = ?1 AND review_seq = ?2",
    [ALLIANCE__SQL_CARD_PK_BY_ID] = "SELECT pk FROM cards WHERE id = ?1",
    /* the values of each field group (lib/sync/groups.c keeps the order) */
    [ALLIANCE__SQL_GROUP_CARD_CONTENT_GET] =
        "SELECT c.note_id, c.ordinal, d.name, c.type, c.front, c.back, c.wrong, c.tags, c.source_file, "
        "c.source_quote, c.position, c.in_file, c.created, c.modified, c.initial_efactor "
        "FROM cards AS c JOIN decks AS d ON d.id = c.deck_id WHERE c.id = ?1",
    /* ?3 = the deck's id (the caller makes sure it exists); a new card is new in every respect */
    [ALLIANCE__SQL_GROUP_CARD_CONTENT_PUT] =
        "INSERT INTO cards (id, note_id, ordinal, deck_id, type, front, back, wrong, tags, source_file, "
        "source_quote, position, in_file, created, modified, initial_efactor, suspended, user_suspended, leech, "
        "repetitions, efactor, interval_days, repeat_today, due_day, last_review_day, buried_until_day, reviews, "
        "lapses, generation) VALUES (?16, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
        "0, 0, 0, 0, ?15, 0, 0, 0, " NO_DAY_SQL ", " NO_DAY_SQL ", 0, 0, -1) "
        "ON CONFLICT (id) DO UPDATE SET note_id = excluded.note_id, ordinal = excluded.ordinal, "
        "deck_id = excluded.deck_id, type = excluded.type, front = excluded.front, back = excluded.back, "
        "wrong = excluded.wrong, tags = excluded.tags, source_file = excluded.source_file, "
        "source_quote = excluded.source_quote, position = excluded.position, in_file = excluded.in_file, "
        "created = excluded.created, modified = excluded.modified, initial_efactor = excluded.initial_efactor",
    [ALLIANCE__SQL_GROUP_CARD_FLAGS_GET] = "SELECT user_suspended, buried_until_day FROM cards WHERE id = ?1",
    [ALLIANCE__SQL_GROUP_CARD_FLAGS_PUT] =
        "UPDATE cards SET user_suspended = ?1, buried_until_day = ?2 WHERE id = ?3",
    [ALLIANCE__SQL_GROUP_DECK_GET] = "SELECT description, sources, created, modified, id FROM decks WHERE name = ?1",
    /* ?5, the sender's id for the deck, only names a new deck (sync_deck.c) */
    [ALLIANCE__SQL_GROUP_DECK_PUT] =
        "UPDATE decks SET description = ?1, sources = ?2, created = ?3, modified = ?4 WHERE name = ?6",
    [ALLIANCE__SQL_DECK_ID_TAKEN] = "SELECT 1 FROM decks WHERE id = ?1",
    [ALLIANCE__SQL_DECK_INSERT_WITH_ID] =
        "INSERT INTO decks (id, name, description, sources, created, modified) VALUES (?1, ?2, '', '', 0, 0)",
    [ALLIANCE__SQL_GROUP_CONFIG_GET] =
        "SELECT new_per_day, reviews_per_day, rollover_hour, leech_threshold, leech_suspend, sm2_preset, "
        "sm2_initial_efactor, sm2_min_efactor, sm2_first_interval, sm2_second_interval, sm2_max_interval, "
        "scheduler, fsrs_params, bury_siblings, fuzz FROM config WHERE id = 1",
    /* NULL leaves a column as it is: a group binds only its own columns */
    [ALLIANCE__SQL_GROUP_CONFIG_PUT] =
        "UPDATE config SET new_per_day = coalesce(?1, new_per_day), reviews_per_day = coalesce(?2, reviews_per_day), "
        "rollover_hour = coalesce(?3, rollover_hour), leech_threshold = coalesce(?4, leech_threshold), "
        "leech_suspend = coalesce(?5, leech_suspend), sm2_preset = coalesce(?6, sm2_preset), "
        "sm2_initial_efactor = coalesce(?7, sm2_initial_efactor), sm2_min_efactor = coalesce(?8, sm2_min_efactor), "
        "sm2_first_interval = coalesce(?9, sm2_first_interval), "
        "sm2_second_interval = coalesce(?10, sm2_second_interval), "
        "sm2_max_interval = coalesce(?11, sm2_max_interval), scheduler = coalesce(?12, scheduler), "
        "fsrs_params = coalesce(?13, fsrs_params), bury_siblings = coalesce(?14, bury_siblings), "
        "fuzz = coalesce(?15, fuzz) WHERE id = 1",
    /* a remote change of the scheduler or of the FSRS parameters replays every card */
    [ALLIANCE__SQL_SYNC_TOUCH_ALL] = "INSERT OR IGNORE INTO temp.sync_touched (pk) SELECT pk FROM cards",
    /* a deck's exam: its day (NO_DAY: none), the final window, and the deck's id (names a new deck) */
    [ALLIANCE__SQL_GROUP_DECK_EXAM_GET] = "SELECT exam_day, exam_final_days, id FROM decks WHERE name = ?1",
    [ALLIANCE__SQL_GROUP_DECK_EXAM_PUT] = "UPDATE decks SET exam_day = ?1, exam_final_days = ?2 WHERE name = ?3",
    [ALLIANCE__SQL_EXAM_GET] = "SELECT exam_day, exam_final_days FROM decks WHERE id = ?1",
    [ALLIANCE__SQL_EXAM_PUT] = "UPDATE decks SET exam_day = ?2, exam_final_days = ?3 WHERE id = ?1",
    /* the decks (?2: one, 0: every deck) whose exam is after today ?1, in id order */
    [ALLIANCE__SQL_EXAM_ACTIVE] =
        "SELECT id, exam_day, exam_final_days FROM decks WHERE exam_day > ?1 AND (?2 = 0 OR id = ?2) ORDER BY id",
    /* the pace's N for deck ?1 on day ?2: the cards still new plus those introduced today (first
     * answers of kind review or ahead), and the latter alone */
    [ALLIANCE__SQL_EXAM_NEW_AT_DAY_START] =
        "SELECT (SELECT count(*) FROM cards WHERE deck_id = ?1 AND reviews = 0 AND suspended = 0), "
        "(SELECT count(*) FROM reviews AS r JOIN cards AS c ON c.pk = r.card "
        "WHERE r.day = ?2 AND r.elapsed_days = -1 AND r.kind <> 1 AND c.deck_id = ?1)",
    /* The due queue and its count when an exam is ahead: the clamped due day (no index on it; a
     * collection without an exam keeps the indexed statements). */
    [ALLIANCE__SQL_QUEUE_DUE_EXAM] =
        "SELECT " CARD_COLUMNS_C " FROM cards AS c JOIN decks AS d ON d.id = c.deck_id WHERE " DUE_CARD_EXAM
        " ORDER BY " EXAM_DUE ", c.deck_id, c.position, c.ordinal, c.id LIMIT ?3",
    [ALLIANCE__SQL_COUNT_DUE_EXAM] =
        "SELECT count(*) FROM (SELECT 1 FROM cards AS c JOIN decks AS d ON d.id = c.deck_id WHERE " DUE_CARD_EXAM
        " LIMIT ?3)",
    [ALLIANCE__SQL_FORECAST_EXAM] =
        "SELECT max(" EXAM_DUE ", ?2) - ?2, count(*) FROM cards AS c JOIN decks AS d ON d.id = c.deck_id "
        "WHERE c.reviews > 0 AND c.suspended = 0 AND " EXAM_DUE " < ?2 + ?3 AND (?1 = 0 OR c.deck_id = ?1) GROUP BY 1",
    /* A cram session's cards (docs/study-modes.md, "Cram"): not due today as exam mode sees it,
     * learned ones due within ?4 days (0: any), new ones too when ?5 = 1 (a preview; only without
     * ?4), matching text ?6 as CARD_SEARCH_NEXT; soonest due first, new cards last. ?3 rows. */
    [ALLIANCE__SQL_CRAM_NEXT] =
        "SELECT " CARD_COLUMNS_C " FROM cards AS c JOIN decks AS d ON d.id = c.deck_id "
        "WHERE (?1 = 0 OR c.deck_id = ?1) AND c.suspended = 0 AND c.buried_until_day <= ?2 "
        "AND ((c.reviews > 0 AND " EXAM_DUE " > ?2 AND (?4 = 0 OR " EXAM_DUE " <= ?2 + ?4)) "
        "OR (?5 = 1 AND ?4 = 0 AND c.reviews = 0)) "
        "AND (?6 = '' OR instr(lower(alliance_text(c.front)), lower(?6)) OR instr(lower(alliance_text(c.back)), lower(?6))"
        " OR instr(lower(alliance_text(c.wrong)), lower(?6)) OR instr(lower(c.tags), lower(?6))) "
        "ORDER BY c.reviews = 0, " EXAM_DUE ", c.deck_id, c.position, c.ordinal, c.id LIMIT ?3",
    [ALLIANCE__SQL_STUDY_SETTINGS_SET] = "UPDATE config SET bury_siblings = ?1, fuzz = ?2 WHERE id = 1",
    [ALLIANCE__SQL_STATS_DUE_EXAM] =
        "SELECT count(*) FROM cards AS c JOIN decks AS d ON d.id = c.deck_id "
        "WHERE c.reviews > 0 AND c.suspended = 0 AND " EXAM_DUE " <= ?2 AND (?1 = 0 OR c.deck_id = ?1)",
    [ALLIANCE__SQL_SYNC_TOUCHED_CREATE] = "CREATE TEMP TABLE IF NOT EXISTS sync_touched (pk INTEGER PRIMARY KEY)",
    [ALLIANCE__SQL_SYNC_TOUCH] = "INSERT OR IGNORE INTO temp.sync_touched (pk) VALUES (?1)",
    [ALLIANCE__SQL_SYNC_TOUCHED_NEXT] =
        "SELECT t.pk, c.id FROM temp.sync_touched AS t JOIN cards AS c ON c.pk = t.pk WHERE t.pk > ?1 "
        "ORDER BY t.pk LIMIT 1",
    [ALLIANCE__SQL_SYNC_TOUCHED_CLEAR] = "DELETE FROM temp.sync_touched",
    /* The whole log of deck ?1 (0: every deck), card by card and in log order within a card:
     * what the FSRS optimizer export streams, in merged order (index reviews_order, no sort). */
    [ALLIANCE__SQL_REVIEW_SCAN] =
        "SELECT r.card, c.id, r.time, r.grade, r.elapsed_days, r.answer_ms FROM reviews AS r "
        /* a preview (kind 1) is not a review: the optimizer never sees it */
        "JOIN cards AS c ON c.pk = r.card WHERE (?1 = 0 OR c.deck_id = ?1) AND r.kind <> 1 ORDER BY r.card, "
        MERGED_ORDER,

    /* ?3 = how many rows at most */
    [ALLIANCE__SQL_QUEUE_REPEAT] =
        "SELECT " CARD_COLUMNS " FROM cards INDEXED BY cards_repeat WHERE " REPEAT_CARD " AND " IN_DECK
        " ORDER BY due_day, " STABLE_ORDER " LIMIT ?3",
    [ALLIANCE__SQL_QUEUE_DUE] =
        "SELECT " CARD_COLUMNS " FROM cards INDEXED BY cards_due WHERE " DUE_CARD " AND " IN_DECK
        " AND " NOT_HELD_BACK("cards") " ORDER BY due_day, " STABLE_ORDER " LIMIT ?3",
    /* ?4 siblings apart (tested first: with it off, nothing more is read); a deck whose exam is
     * tomorrow holds none back (?2 + 1 = its exam day) */
    [ALLIANCE__SQL_QUEUE_NEW] =
        "SELECT " CARD_COLUMNS " FROM cards WHERE " NEW_CARD " AND " IN_DECK
        " AND (" NOT_HELD_BACK("cards") " OR (SELECT exam_day FROM decks WHERE decks.id = cards.deck_id) = ?2 + 1)"
        " ORDER BY " STABLE_ORDER " LIMIT ?3",
    /* Counting stops at ?3 (the day's remaining limit): bounded work on a big collection. */
    [ALLIANCE__SQL_COUNT_REPEAT] =
        "SELECT count(*) FROM (SELECT 1 FROM cards INDEXED BY cards_repeat WHERE " REPEAT_CARD " AND " IN_DECK " LIMIT ?3)",
    [ALLIANCE__SQL_COUNT_DUE] =
        "SELECT count(*) FROM (SELECT 1 FROM cards INDEXED BY cards_due WHERE " DUE_CARD " AND " IN_DECK
        " AND " NOT_HELD_BACK("cards") " LIMIT ?3)",
    [ALLIANCE__SQL_COUNT_NEW] =
        "SELECT count(*) FROM (SELECT 1 FROM cards WHERE " NEW_CARD " AND " IN_DECK
        " AND (" NOT_HELD_BACK("cards") " OR (SELECT exam_day FROM decks WHERE decks.id = cards.deck_id) = ?2 + 1)"
        " LIMIT ?3)",
    /* Today's answers: first answers of new cards (elapsed -1) and first answers
     * today of learned cards (elapsed > 0); same-day repeats (elapsed 0) count for neither. */
    [ALLIANCE__SQL_DONE_TODAY] =
        "SELECT coalesce(sum(elapsed_days = -1), 0), coalesce(sum(elapsed_days > 0), 0) "
        "FROM reviews WHERE day = ?1 AND kind = 0", /* previews and reviews ahead count for no limit */

    /* at most 100 problems; "ok" as the one row of a sound file */
    [ALLIANCE__SQL_INTEGRITY_CHECK] = "PRAGMA integrity_check(100)",
    /* rows: table, rowid, parent table, foreign key number */
    [ALLIANCE__SQL_FOREIGN_KEY_CHECK] = "PRAGMA foreign_key_check",

    [ALLIANCE__SQL_STATS_CARDS] =
        "SELECT count(*), coalesce(sum(reviews = 0), 0), coalesce(sum(reviews > 0), 0), "
        "coalesce(sum(reviews > 0 AND suspended = 0 AND due_day <= ?2), 0), "
        "coalesce(sum(suspended <> 0), 0), coalesce(sum(leech), 0) FROM cards WHERE " IN_DECK,
    /* ?2 = today, ?3 = window: days today - window + 1 .. today */
    /* ?2 = today, ?3 = window. A "true" review is one of a card that had an interval of at
     * least a day (Anki's review cards: no first answer, no same-day repeat); mature: >= 21. */
    /* Not a same-day repeat: no repeat owed, or a later day than the previous answer (a repeat
     * SM-2 owed but was not given that day; under FSRS, every review after a Hard). */
#define NOT_SAME_DAY_REPEAT "(r.before_repeat_today = 0 OR r.elapsed_days > 0)"
    [ALLIANCE__SQL_STATS_REVIEWS] =
        /* previews (kind 1) count for nothing here; a true review is of kind review (0) */
        "SELECT coalesce(sum(r.kind <> 1), 0), coalesce(sum(r.kind <> 1 AND r.grade >= 3), 0), "
        "coalesce(sum(r.kind = 0 AND r.before_interval >= 1 AND " NOT_SAME_DAY_REPEAT "), 0), "
        "coalesce(sum(r.kind = 0 AND r.before_interval >= 1 AND " NOT_SAME_DAY_REPEAT " AND r.grade >= 3), 0), "
        "coalesce(sum(r.kind = 0 AND r.before_interval >= 21 AND " NOT_SAME_DAY_REPEAT "), 0), "
        "coalesce(sum(r.kind = 0 AND r.before_interval >= 21 AND " NOT_SAME_DAY_REPEAT " AND r.grade >= 3), 0), "
        "coalesce(sum(r.answer_ms > 0), 0), coalesce(sum(r.answer_ms), 0) "
        "FROM reviews AS r JOIN cards AS c "
        "ON c.pk = r.card WHERE r.day > ?2 - ?3 AND r.day <= ?2 AND (?1 = 0 OR c.deck_id = ?1)",
    /* answers per day, ?2 = today, ?3 = how many days back (index reviews_day) */
    [ALLIANCE__SQL_REVIEW_HISTORY] =
        "SELECT ?2 - r.day, count(*) FROM reviews AS r JOIN cards AS c ON c.pk = r.card "
        "WHERE r.day > ?2 - ?3 AND r.day <= ?2 AND (?1 = 0 OR c.deck_id = ?1) GROUP BY r.day",
    /* ?3 = ndays; overdue cards count on today */
    [ALLIANCE__SQL_FORECAST] =
        "SELECT max(due_day, ?2) - ?2, count(*) FROM cards WHERE reviews > 0 AND suspended = 0 "
        "AND due_day < ?2 + ?3 AND " IN_DECK " GROUP BY 1",

    /* ---- decks renamed and deleted (lib/sync/decks.c, docs/sync.md "Renaming and deleting a deck") ---- */
    /* one Lamport tick for a whole operation: every write it makes carries the same stamp */
    [ALLIANCE__SQL_DM_TICK] = "UPDATE sync_self SET lamport = lamport + 1 WHERE id = 1",
    [ALLIANCE__SQL_DM_STAMP_ONE] =
        "INSERT OR REPLACE INTO sync_stamps (kind, key, grp, lamport, origin, seq) "
        "SELECT ?1, ?2, ?3, lamport, replica_id, seq + 1 FROM sync_self WHERE id = 1",
    [ALLIANCE__SQL_DM_SEQ_ADD] = "UPDATE sync_self SET seq = seq + ?1 WHERE id = 1",
    [ALLIANCE__SQL_DM_STAMP_CARDS] =
        "INSERT OR REPLACE INTO sync_stamps (kind, key, grp, lamport, origin, seq) "
        "SELECT 1, c.id, 0, s.lamport, s.replica_id, s.seq + row_number() OVER (ORDER BY c.pk) "
        "FROM cards AS c, sync_self AS s WHERE c.deck_id = ?1 AND s.id = 1",
    [ALLIANCE__SQL_DM_STAMP_DELETE] = "DELETE FROM sync_stamps WHERE kind = ?1 AND key = ?2 AND grp = ?3",
    [ALLIANCE__SQL_DM_DECK_RENAME] = "UPDATE decks SET name = ?2 WHERE id = ?1",
    [ALLIANCE__SQL_DM_DECK_CARDS] = "SELECT count(*) FROM cards WHERE deck_id = ?1",
    /* a deck deletion, or a card's removal (a deleted note's cards have one but no deck deletion) */
    [ALLIANCE__SQL_DM_ANY_DELETION] = "SELECT 1 FROM sync_stamps WHERE kind IN (1, 2) AND grp = 2 LIMIT 1",
    [ALLIANCE__SQL_DM_DYING_BY_ID] =
        "SELECT 1 FROM decks AS k JOIN sync_stamps AS d ON d.kind = 2 AND d.key = k.name AND d.grp = 2 "
        "LEFT JOIN sync_stamps AS h ON h.kind = 2 AND h.key = k.name AND h.grp = 0 "
        "WHERE k.id = ?1 AND " DECK_DELETION_WINS,
    [ALLIANCE__SQL_DM_DEFER_FK] = "PRAGMA defer_foreign_keys = ON",
    [ALLIANCE__SQL_DM_DECK_MOVE] =
        "UPDATE decks SET id = (SELECT max(id) + 1 FROM decks) WHERE id = ?1 RETURNING id",
    [ALLIANCE__SQL_DM_CARDS_MOVE] = "UPDATE cards SET deck_id = ?2 WHERE deck_id = ?1",
    /* the sweep: cards whose deck's deletion is newer than their content, with their answers */
    [ALLIANCE__SQL_SW_DEAD_CREATE] =
        "CREATE TEMP TABLE IF NOT EXISTS sync_dead (pk INTEGER PRIMARY KEY, id TEXT NOT NULL, by_deck INTEGER NOT NULL)",
    [ALLIANCE__SQL_SW_DEAD_CLEAR] = "DELETE FROM temp.sync_dead",
    [ALLIANCE__SQL_SW_DEAD_FIND] =
        "INSERT OR IGNORE INTO temp.sync_dead (pk, id, by_deck) SELECT c.pk, c.id, 1 FROM sync_stamps AS d "
        "JOIN decks AS k ON k.name = d.key JOIN cards AS c ON c.deck_id = k.id "
        "LEFT JOIN sync_stamps AS s ON s.kind = 1 AND s.key = c.id AND s.grp = 0 "
        "WHERE d.kind = 2 AND d.grp = 2 AND (s.lamport IS NULL OR d.lamport > s.lamport "
        "OR (d.lamport = s.lamport AND d.origin > s.origin))",
    /* every answer removed gets a tombstone of this replica: the removal reaches every copy,
     * whatever becomes of the card (docs/sync.md) */
    [ALLIANCE__SQL_SW_TOMBSTONES] =
        "INSERT OR IGNORE INTO sync_tombstones (origin, seq, lamport, review_origin, review_seq) "
        "SELECT s.replica_id, s.seq + row_number() OVER (ORDER BY r.id), s.lamport, r.origin, r.seq "
        "FROM reviews AS r JOIN temp.sync_dead AS t ON t.pk = r.card, sync_self AS s WHERE s.id = 1",
    /* A card removed with learner flags (suspended, buried) leaves its flags group at the empty
     * values, stamped anew by this replica: the flags of a removed card are always empty, so a
     * card brought back later has the same flags on every copy (docs/sync.md). */
    [ALLIANCE__SQL_SW_FLAGS_RESET] =
        "INSERT OR REPLACE INTO sync_stamps (kind, key, grp, lamport, origin, seq) "
        "SELECT 1, t.id, 1, s.lamport + 1, s.replica_id, s.seq + row_number() OVER (ORDER BY t.pk) "
        "FROM temp.sync_dead AS t JOIN cards AS c ON c.pk = t.pk, sync_self AS s "
        "WHERE s.id = 1 AND (c.user_suspended <> 0 OR c.buried_until_day <> " NO_DAY_SQL ")",
    /* A card removed because of its deck's deletion gets a removal (card group 2) of this replica,
     * newer than the content it had here: the removal reaches the copies that hold an older
     * content, whatever deck that content names. */
    [ALLIANCE__SQL_SW_REMOVALS] =
        "INSERT OR REPLACE INTO sync_stamps (kind, key, grp, lamport, origin, seq) "
        "SELECT 1, t.id, 2, s.lamport + 1, s.replica_id, s.seq + row_number() OVER (ORDER BY t.pk) "
        "FROM temp.sync_dead AS t, sync_self AS s WHERE s.id = 1 AND t.by_deck = 1",
    /* card ?1 when the removal (?2 lamport, ?3 origin) is newer than its content */
    [ALLIANCE__SQL_SW_DEAD_BY_REMOVAL] =
        "INSERT OR IGNORE INTO temp.sync_dead (pk, id, by_deck) SELECT c.pk, c.id, 0 FROM cards AS c "
        "LEFT JOIN sync_stamps AS s ON s.kind = 1 AND s.key = c.id AND s.grp = 0 WHERE c.id = ?1 "
        "AND (s.lamport IS NULL OR ?2 > s.lamport OR (?2 = s.lamport AND ?3 > s.origin))",
    /* card ?1 when its content (?2 lamport, ?3 origin) is older than its removal */
    [ALLIANCE__SQL_SW_DEAD_BY_CONTENT] =
        "INSERT OR IGNORE INTO temp.sync_dead (pk, id, by_deck) SELECT c.pk, c.id, 0 FROM cards AS c "
        "JOIN sync_stamps AS r ON r.kind = 1 AND r.key = c.id AND r.grp = 2 WHERE c.id = ?1 "
        "AND (r.lamport > ?2 OR (r.lamport = ?2 AND r.origin > ?3))",
    [ALLIANCE__SQL_DM_FLAGS_RESET_ONE] = "INSERT INTO sync_stamp_write (kind, key, grp) VALUES (1, ?1, 1)",
    [ALLIANCE__SQL_SW_REVIEWS] = "DELETE FROM reviews WHERE card IN (SELECT pk FROM temp.sync_dead)",
    [ALLIANCE__SQL_SW_STAMPS] =
        "DELETE FROM sync_stamps WHERE kind = 1 AND grp = 0 AND key IN (SELECT id FROM temp.sync_dead)",
    [ALLIANCE__SQL_SW_CARDS] = "DELETE FROM cards WHERE pk IN (SELECT pk FROM temp.sync_dead)",
    /* decks whose deletion is newer than their header: the header goes back to empty, and the
     * deck goes if no card is left in it */
    [ALLIANCE__SQL_SW_DECKS_RESET] =
        "UPDATE decks SET description = '', sources = '', created = 0, modified = 0 WHERE name IN (" DYING_DECKS ")",
    [ALLIANCE__SQL_SW_HEADER_STAMPS] =
        "DELETE FROM sync_stamps WHERE kind = 2 AND grp = 0 AND key IN (" DYING_DECKS ")",
    /* decks whose deletion is newer than their exam: the exam goes (no exam, the default window) */
    [ALLIANCE__SQL_SW_EXAMS_RESET] =
        "UPDATE decks SET exam_day = " NO_DAY_SQL ", exam_final_days = 3 WHERE name IN (" EXAM_DELETED_DECKS ")",
    [ALLIANCE__SQL_SW_EXAM_STAMPS] =
        "DELETE FROM sync_stamps WHERE kind = 2 AND grp = 1 AND key IN (" EXAM_DELETED_DECKS ")",
    /* a deck whose exam is newer than its deletion stays (with that exam), as on the copy that
     * set the exam after the deletion */
    [ALLIANCE__SQL_SW_DECKS_DELETE] =
        "DELETE FROM decks WHERE name IN (" DYING_DECKS ") AND NOT EXISTS (SELECT 1 FROM cards AS c "
        "WHERE c.deck_id = decks.id) AND NOT EXISTS (SELECT 1 FROM sync_stamps AS e WHERE e.kind = 2 "
        "AND e.grp = 1 AND e.key = decks.name)",
    /* A bulk write's statement journals in memory (store.c, alliance__store_bulk_begin). */
    [ALLIANCE__SQL_TEMP_STORE_MEMORY] = "PRAGMA temp_store = MEMORY",
    [ALLIANCE__SQL_TEMP_STORE_DEFAULT] = "PRAGMA temp_store = DEFAULT",
    /* ---- a note updated or deleted through the API (docs/deck-format.md, "Updating and deleting
     * a note") ---- */
    /* the note's cards (index cards_note), its own card first, then its cloze deletions */
    [ALLIANCE__SQL_NOTE_CARDS] = "SELECT id, deck_id, position FROM cards WHERE note_id = ?1 ORDER BY ordinal, id",
    /* a card the note no longer has, as an import suspends a card its file no longer has: a
     * learner's own suspension (1) is kept as it is */
    [ALLIANCE__SQL_NOTE_CARD_SUSPEND] = "UPDATE cards SET suspended = 2, user_suspended = 2 WHERE id = ?1 AND suspended = 0",
    [ALLIANCE__SQL_NOTE_CARD_LEAVE_FILE] = "UPDATE cards SET in_file = 0 WHERE id = ?1 AND in_file = 1",
    /* the note's cards for the sweep, each with a removal of its own (card group 2) */
    [ALLIANCE__SQL_NOTE_DEAD] =
        "INSERT OR IGNORE INTO temp.sync_dead (pk, id, by_deck) SELECT pk, id, 1 FROM cards "
        "WHERE note_id = ?1 AND deck_id = ?2",
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

int alliance__sql_exec_fresh(alliance_db *db, alliance__sql_id id, const char *what)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db->sqlite, statements[id], -1, &stmt, NULL);
    if (rc != SQLITE_OK) {
        int code = alliance__db_sqlite_error(db, rc, what);
        sqlite3_finalize(stmt);
        return code;
    }
    rc = alliance__sql_run(db, stmt, what);
    sqlite3_finalize(stmt);
    return rc;
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

void alliance__sql_reset_all(alliance_db *db)
{
    for (size_t i = 0; i < ALLIANCE__SQL_N; i++)
        if (db->stmts[i])
            sqlite3_reset(db->stmts[i]);
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
