/* SPDX-License-Identifier: MIT */
/*
 * anki_sql.c - the SQL run against Anki's own databases: the collection inside a package we
 * read (apkg_read.c) and the one we write (apkg_write.c). It lives here, not in store/sql.c,
 * because it is not our collection's SQL: store/sql.c keeps every statement of our schema,
 * this file every statement of Anki's (schema 11 and 18), so that each room's SQL stays in
 * one place. Values are always bound, never formatted into the text.
 */
#include "interop/apkg.h"

static const char *const statements[ALLIANCE__ANKI_SQL_N] = {
    /* conf is JSON in schema 11 (schedVer: 1 or 2; absent means 1), empty in 18 (scheduler 2 or 3). */
    [ALLIANCE__ANKI_SQL_COL] =
        "SELECT crt, ver, CASE WHEN json_valid(conf) THEN json_extract(conf, '$.schedVer') END FROM col LIMIT 1",
    /* Schema 11: note types and decks are JSON objects keyed by id in the one row of col. */
    [ALLIANCE__ANKI_SQL_NOTETYPES_11] =
        "SELECT CAST(m.key AS INTEGER), json_extract(m.value, '$.name'), json_extract(m.value, '$.type'), "
        "json_array_length(m.value, '$.tmpls') FROM col, json_each(col.models) AS m",
    [ALLIANCE__ANKI_SQL_FIELDS_11] =
        "SELECT CAST(m.key AS INTEGER), f.key, json_extract(f.value, '$.name') "
        "FROM col, json_each(col.models) AS m, json_each(m.value, '$.flds') AS f ORDER BY 1, 2",
    [ALLIANCE__ANKI_SQL_DECKS_11] =
        "SELECT CAST(d.key AS INTEGER), json_extract(d.value, '$.name') FROM col, json_each(col.decks) AS d",
    /* Schema 18: tables of their own; a note type's kind is in its protobuf config. */
    [ALLIANCE__ANKI_SQL_NOTETYPES_18] = "SELECT id, name, config FROM notetypes",
    [ALLIANCE__ANKI_SQL_FIELDS_18] = "SELECT ntid, ord, name FROM fields ORDER BY ntid, ord",
    [ALLIANCE__ANKI_SQL_TEMPLATES_18] = "SELECT ntid, count(*) FROM templates GROUP BY ntid",
    [ALLIANCE__ANKI_SQL_DECKS_18] = "SELECT id, name FROM decks",
    /* Both. */
    [ALLIANCE__ANKI_SQL_NOTES] = "SELECT id, guid, mid, flds, tags FROM notes ORDER BY id",
    /* Cards and the review log are read in table order (a scan) and sorted in memory by note
     * and by card (apkg_read.c): ordering them here walks an index and looks every row up. */
    [ALLIANCE__ANKI_SQL_CARDS] =
        "SELECT id, nid, did, odid, ord, type, queue, due, odue, ivl, factor, reps, lapses FROM cards",
    [ALLIANCE__ANKI_SQL_REVLOG] = "SELECT id, cid, ease, type, ivl, lastIvl, factor, time FROM revlog",
    /* A legacy package we write: schema 11 (ver 11), nothing to sync (usn -1). */
    [ALLIANCE__ANKI_SQL_INSERT_COL] =
        "INSERT INTO col (id, crt, mod, scm, ver, dty, usn, ls, conf, models, decks, dconf, tags) "
        "VALUES (1, ?1, ?2, ?2, 11, 0, 0, 0, ?3, ?4, ?5, ?6, '{}')",
    [ALLIANCE__ANKI_SQL_INSERT_NOTE] =
        "INSERT INTO notes (id, guid, mid, mod, usn, tags, flds, sfld, csum, flags, data) "
        "VALUES (?1, ?2, ?3, ?4, -1, ?5, ?6, ?7, ?8, 0, '')",
    [ALLIANCE__ANKI_SQL_INSERT_CARD] =
        "INSERT INTO cards (id, nid, did, ord, mod, usn, type, queue, due, ivl, factor, reps, lapses, left, "
        "odue, odid, flags, data) VALUES (?1, ?2, ?3, ?4, ?5, -1, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 0, 0, 0, '')",
    [ALLIANCE__ANKI_SQL_INSERT_REVLOG] =
        "INSERT OR IGNORE INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) "
        "VALUES (?1, ?2, -1, ?3, ?4, ?5, ?6, ?7, ?8)",
    /* Learned cards were written with our day numbers: from then on they count from crt's day ?1. */
    [ALLIANCE__ANKI_SQL_REBASE_DUE] = "UPDATE cards SET due = due - ?1 WHERE type <> 0",
};

const char *alliance__anki_sql(alliance__anki_sql_id id)
{
    return id < ALLIANCE__ANKI_SQL_N ? statements[id] : NULL;
}

/* The tables and indexes of Anki's schema 11 (the one every Anki and AnkiDroid imports),
 * then the statements apkg_write.c fills them with. */
static const char *const schema11[] = {
    "CREATE TABLE col (id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL, "
    "scm integer NOT NULL, ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL, "
    "ls integer NOT NULL, conf text NOT NULL, models text NOT NULL, decks text NOT NULL, "
    "dconf text NOT NULL, tags text NOT NULL)",
    "CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL, "
    "mod integer NOT NULL, usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL, "
    "sfld integer NOT NULL, csum integer NOT NULL, flags integer NOT NULL, data text NOT NULL)",
    "CREATE TABLE cards (id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL, "
    "ord integer NOT NULL, mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL, "
    "queue integer NOT NULL, due integer NOT NULL, ivl integer NOT NULL, factor integer NOT NULL, "
    "reps integer NOT NULL, lapses integer NOT NULL, left integer NOT NULL, odue integer NOT NULL, "
    "odid integer NOT NULL, flags integer NOT NULL, data text NOT NULL)",
    "CREATE TABLE revlog (id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL, "
    "ease integer NOT NULL, ivl integer NOT NULL, lastIvl integer NOT NULL, factor integer NOT NULL, "
    "time integer NOT NULL, type integer NOT NULL)",
    "CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL)",
    "CREATE INDEX ix_notes_usn ON notes (usn)",
    "CREATE INDEX ix_cards_usn ON cards (usn)",
    "CREATE INDEX ix_revlog_usn ON revlog (usn)",
    "CREATE INDEX ix_cards_nid ON cards (nid)",
    "CREATE INDEX ix_cards_sched ON cards (did, queue, due)",
    "CREATE INDEX ix_revlog_cid ON revlog (cid)",
    "CREATE INDEX ix_notes_csum ON notes (csum)",
    NULL,
};

const char *const *alliance__anki_sql_schema11(void)
{
    return schema11;
}
