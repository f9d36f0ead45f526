/* SPDX-License-Identifier: MIT */
/*
 * apkg_write.c - a collection's decks as a legacy Anki package: a zip holding collection.anki2
 * (Anki's schema 11, which every Anki and AnkiDroid imports) and an empty media map. The cards
 * keep their schedule and the review log comes along (docs/anki.md, ".apkg export"). The
 * collection is built in a private in-memory database, serialized, zipped in memory, then
 * handed to the caller's write function in chunks.
 */
#include "interop/apkg.h"

#include "core/html.h"
#include "core/sha1.h"
#include "interop/anki_text.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>
#include <zip.h>

/* Our two note types, with ids that stay the same from one export to the next. */
#define BASIC_ID INT64_C(1672531200000)
#define CLOZE_ID INT64_C(1672531200001)
/* Deck ids: ours, in the range of Anki's (millisecond times), so the same deck keeps its id. */
#define DECK_ID_BASE INT64_C(1000000000000)
/* A package counts time in milliseconds in 64 bits (ids are such times, plus a count below
 * 2^32): the furthest time, in seconds, either way, that it can hold. The API accepts more. */
#define ANKI_SECONDS_MAX (INT64_MAX / 1000 - (INT64_C(1) << 32))

static const char model_css[] =
    ".card { font-family: arial; font-size: 20px; text-align: center; color: black; background-color: white; }\\n"
    ".alliance-source { font-size: 14px; color: #666; margin-top: 1em; }";

/* A field's JSON in a note type. */
#define FIELD(name, ord) \
    "{\"name\":\"" name "\",\"ord\":" #ord ",\"sticky\":false,\"rtl\":false,\"font\":\"Arial\",\"size\":20,\"media\":[]}"

#define SOURCE_HTML "{{#Source}}<div class=alliance-source>{{Source}}{{#Quote}}: {{Quote}}{{/Quote}}</div>{{/Source}}"

/* The choice card's wrong options show on the back, under the answer. */
static const char basic_model[] =
    "{\"id\":1672531200000,\"name\":\"Basic (liballiance)\",\"type\":0,\"mod\":%lld,\"usn\":-1,\"sortf\":0,"
    "\"did\":1,\"tmpls\":[{\"name\":\"Card 1\",\"ord\":0,\"qfmt\":\"{{Front}}\","
    "\"afmt\":\"{{FrontSide}}<hr id=answer>{{Back}}{{#Wrong}}<br><br>Not: {{Wrong}}{{/Wrong}}" SOURCE_HTML "\","
    "\"bqfmt\":\"\",\"bafmt\":\"\",\"did\":null,\"bfont\":\"\",\"bsize\":0}],"
    "\"flds\":[" FIELD("Front", 0) "," FIELD("Back", 1) "," FIELD("Wrong", 2) "," FIELD("Source", 3) ","
    FIELD("Quote", 4) "],\"css\":\"%s\",\"latexPre\":\"\\\\documentclass[12pt]{article}\\n\\\\special{papersize=3in,5in}"
    "\\n\\\\usepackage[utf8]{inputenc}\\n\\\\usepackage{amssymb,amsmath}\\n\\\\pagestyle{empty}\\n\\\\setlength{\\\\parindent}{0in}"
    "\\n\\\\begin{document}\\n\",\"latexPost\":\"\\\\end{document}\",\"latexsvg\":false,\"req\":[[0,\"any\",[0]]],"
    "\"tags\":[],\"vers\":[]}";

static const char cloze_model[] =
    "{\"id\":1672531200001,\"name\":\"Cloze (liballiance)\",\"type\":1,\"mod\":%lld,\"usn\":-1,\"sortf\":0,"
    "\"did\":1,\"tmpls\":[{\"name\":\"Cloze\",\"ord\":0,\"qfmt\":\"{{cloze:Text}}\","
    "\"afmt\":\"{{cloze:Text}}<br>{{Back Extra}}" SOURCE_HTML "\",\"bqfmt\":\"\",\"bafmt\":\"\",\"did\":null,"
    "\"bfont\":\"\",\"bsize\":0}],\"flds\":[" FIELD("Text", 0) "," FIELD("Back Extra", 1) "," FIELD("Source", 2) ","
    FIELD("Quote", 3) "],\"css\":\"%s\",\"latexPre\":\"\\\\documentclass[12pt]{article}\\n\\\\special{papersize=3in,5in}"
    "\\n\\\\usepackage[utf8]{inputenc}\\n\\\\usepackage{amssymb,amsmath}\\n\\\\pagestyle{empty}\\n\\\\setlength{\\\\parindent}{0in}"
    "\\n\\\\begin{document}\\n\",\"latexPost\":\"\\\\end{document}\",\"latexsvg\":false,\"req\":[[0,\"any\",[0]]],"
    "\"tags\":[],\"vers\":[]}";

static const char deck_json[] =
    "\"%lld\":{\"id\":%lld,\"mod\":%lld,\"name\":%s,\"usn\":-1,\"lrnToday\":[0,0],\"revToday\":[0,0],"
    "\"newToday\":[0,0],\"timeToday\":[0,0],\"collapsed\":false,\"browserCollapsed\":false,\"desc\":%s,"
    "\"dyn\":0,\"conf\":1,\"extendNew\":0,\"extendRev\":0}";

static const char dconf_json[] =
    "{\"1\":{\"id\":1,\"mod\":0,\"name\":\"Default\",\"usn\":0,\"maxTaken\":60,\"autoplay\":true,\"timer\":0,"
    "\"replayq\":true,\"dyn\":false,\"new\":{\"bury\":false,\"delays\":[1.0,10.0],\"initialFactor\":2500,"
    "\"ints\":[1,4,0],\"order\":1,\"perDay\":20},\"lapse\":{\"delays\":[10.0],\"leechAction\":1,"
    "\"leechFails\":8,\"minInt\":1,\"mult\":0.0},\"rev\":{\"bury\":false,\"ease4\":1.3,\"ivlFct\":1.0,"
    "\"maxIvl\":36500,\"perDay\":200,\"hardFactor\":1.2}}}";

static const char conf_json[] =
    "{\"nextPos\":%u,\"estTimes\":true,\"activeDecks\":[1],\"sortType\":\"noteFld\",\"timeLim\":0,"
    "\"sortBackwards\":false,\"addToCur\":true,\"curDeck\":1,\"newBury\":true,\"newSpread\":0,"
    "\"dueCounts\":true,\"curModel\":\"1672531200000\",\"collapseTime\":1200,\"schedVer\":2}";

typedef struct writer {
    alliance_db *db;
    sqlite3 *anki;
    int64_t now;
    int64_t today;
    int64_t first_day;       /* the earliest due day of a review card, or today */
    int64_t note_id;         /* the next note's id (and its cards') */
    uint32_t position;       /* new cards' order */
    alliance__buf decks;     /* the decks' JSON, without the braces */
} writer;

static int fail(writer *w, int rc, const char *what)
{
    if (alliance__db_enter(w->db) != 0)
        return rc;
    if (rc == ALLIANCE_ENOMEM)
        return alliance__db_leave(w->db, alliance__error_set(alliance__db_error(w->db), rc,
                                                             "alliance_export: out of memory (%s)", what));
    return alliance__db_leave(w->db, alliance__error_set(alliance__db_error(w->db), rc, "alliance_export: %s: %s",
                                                         what, w->anki ? sqlite3_errmsg(w->anki) : "?"));
}

/* A failure of the package's own database: out of memory is ALLIANCE_ENOMEM (docs/reliability.md),
 * anything else ALLIANCE_EDB. */
static int sql_fail(writer *w, const char *what)
{
    int code = w->anki ? sqlite3_errcode(w->anki) & 0xFF : SQLITE_NOMEM;
    return fail(w, code == SQLITE_NOMEM ? ALLIANCE_ENOMEM : ALLIANCE_EDB, what);
}

/* A JSON string literal of s. */
static int json_string(alliance__buf *out, const char *s)
{
    int rc = alliance__buf_append(out, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p && !rc; p++) {
        if (*p == '"' || *p == '\\')
            rc = alliance__buf_printf(out, "\\%c", *p);
        else if (*p < 0x20)
            rc = alliance__buf_printf(out, "\\u%04x", *p);
        else
            rc = alliance__buf_append(out, (const char *)p, 1);
    }
    if (!rc)
        rc = alliance__buf_append(out, "\"", 1);
    return rc;
}

static int run(writer *w, alliance__anki_sql_id id, sqlite3_stmt **out)
{
    if (sqlite3_prepare_v2(w->anki, alliance__anki_sql(id), -1, out, NULL) != SQLITE_OK) {
        sqlite3_finalize(*out);
        *out = NULL;
        return sql_fail(w, "preparing the package");
    }
    return ALLIANCE_OK;
}

static int step(writer *w, sqlite3_stmt *stmt, const char *what)
{
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE)
        return sql_fail(w, what);
    return ALLIANCE_OK;
}

/* A field as Anki holds it: HTML (our plain text escaped, markup as it is). */
static int html_field(alliance__buf *out, const char *s)
{
    return alliance__html_field_out(out, s ? s : "", s ? strlen(s) : 0);
}

/* The first 32 bits of the SHA-1 of the first field's text: Anki's duplicate check (csum). */
static int64_t checksum(const char *text)
{
    uint8_t digest[20];
    alliance__sha1(text, strlen(text), digest);
    return (int64_t)((uint32_t)digest[0] << 24 | (uint32_t)digest[1] << 16 | (uint32_t)digest[2] << 8 | digest[3]);
}

/* One note (its first card) into notes. */
static int put_note(writer *w, sqlite3_stmt *stmt, const alliance_card *card, int64_t nid)
{
    int cloze = card->type == ALLIANCE_CARD_CLOZE;
    alliance__buf flds = {0}, tags = {0}, guid = {0}, sort = {0};
    int rc = html_field(&flds, card->front);
    if (!rc)
        rc = alliance__buf_append(&flds, "\x1f", 1);
    if (!rc)
        rc = html_field(&flds, card->back);
    if (!rc && !cloze) {
        rc = alliance__buf_append(&flds, "\x1f", 1);
        if (!rc)
            rc = html_field(&flds, card->type == ALLIANCE_CARD_CHOICE ? card->wrong : "");
    }
    if (!rc)
        rc = alliance__buf_append(&flds, "\x1f", 1);
    if (!rc)
        rc = html_field(&flds, card->source_file);
    if (!rc)
        rc = alliance__buf_append(&flds, "\x1f", 1);
    if (!rc)
        rc = html_field(&flds, card->source_quote);
    /* Anki keeps tags with a blank on each side. */
    if (!rc)
        rc = alliance__buf_printf(&tags, " %s%s%s ", card->tags, card->tags[0] && card->type == ALLIANCE_CARD_CHOICE ? " " : "",
                                  card->type == ALLIANCE_CARD_CHOICE ? ALLIANCE__CHOICE_TAG : "");
    if (!rc && strcmp(tags.data, "  ") == 0)
        tags.data[0] = '\0', tags.len = 0;
    if (!rc)
        rc = alliance__anki_id_to_guid(&guid, card->note_id);
    if (!rc)
        rc = alliance__html_to_text(&sort, card->front, strlen(card->front), 0);
    if (rc) {
        alliance__buf_free(&flds);
        alliance__buf_free(&tags);
        alliance__buf_free(&guid);
        alliance__buf_free(&sort);
        return fail(w, ALLIANCE_ENOMEM, "a note");
    }
    sqlite3_bind_int64(stmt, 1, nid);
    sqlite3_bind_int64(stmt, 3, cloze ? CLOZE_ID : BASIC_ID);
    sqlite3_bind_int64(stmt, 4, card->modified);
    sqlite3_bind_int64(stmt, 8, checksum(sort.data ? sort.data : ""));
    /* A text bound as a copy needs memory: a bind that failed left the value NULL. */
    int bound = sqlite3_bind_text(stmt, 2, guid.data, (int)guid.len, SQLITE_TRANSIENT) == SQLITE_OK &&
                sqlite3_bind_text(stmt, 5, tags.data ? tags.data : "", -1, SQLITE_TRANSIENT) == SQLITE_OK &&
                sqlite3_bind_text(stmt, 6, flds.data, (int)flds.len, SQLITE_TRANSIENT) == SQLITE_OK &&
                sqlite3_bind_text(stmt, 7, sort.data ? sort.data : "", -1, SQLITE_TRANSIENT) == SQLITE_OK;
    alliance__buf_free(&flds);
    alliance__buf_free(&tags);
    alliance__buf_free(&guid);
    alliance__buf_free(&sort);
    if (!bound)
        return fail(w, ALLIANCE_ENOMEM, "a note");
    return step(w, stmt, "writing a note");
}

/* Our grade as Anki's button: a failed recall is Again; 3, 4, 5 are Hard, Good, Easy. */
static int ease_of(int grade)
{
    return grade < 3 ? 1 : grade - 1;
}

static int put_reviews(writer *w, sqlite3_stmt *stmt, const alliance_card *card, int64_t cid)
{
    alliance_review_iter *it = NULL;
    int rc = alliance_review_iter_open(&it, w->db, card->id);
    while (!rc) {
        alliance_review r;
        memset(&r, 0, sizeof r);
        r.version = ALLIANCE_REVIEW_VERSION;
        rc = alliance_review_iter_next(it, &r);
        if (rc == ALLIANCE_DONE) {
            rc = 0;
            break;
        }
        if (rc)
            break;
        if (r.time > ANKI_SECONDS_MAX || r.time < -ANKI_SECONDS_MAX) {
            rc = ALLIANCE_EINVAL;
            if (alliance__db_enter(w->db) == 0)
                alliance__db_leave(w->db, alliance__error_set(alliance__db_error(w->db), rc,
                                                              "alliance_export: card '%s' has a review at time %lld, "
                                                              "which an Anki package cannot hold (milliseconds in 64 bits)",
                                                              card->id, (long long)r.time));
            break;
        }
        int type = r.elapsed_days < 0 ? 0 : r.before.repetitions == 0 ? 2 : 1; /* learn, relearn, review */
        /* Anki's revlog id is the answer's time in milliseconds; ours are unique per second
         * and increase, so the review's id makes them unique within a second. */
        int64_t id = r.time * 1000 + r.review_id % 1000;
        /* A row an import wrote from Anki's log goes back with its revlog id: importing the
         * package again (here or into a copy that imported the original) adds nothing. */
        if (r.import_id != 0)
            id = r.import_id;
        for (int tries = 0; tries < 1000 && !rc; tries++, id++) {
            sqlite3_bind_int64(stmt, 1, id);
            sqlite3_bind_int64(stmt, 2, cid);
            sqlite3_bind_int64(stmt, 3, ease_of(r.grade));
            sqlite3_bind_int64(stmt, 4, r.after.interval_days);
            sqlite3_bind_int64(stmt, 5, r.before.interval_days);
            sqlite3_bind_int64(stmt, 6, r.after.efactor_milli);
            sqlite3_bind_int64(stmt, 7, r.answer_ms > 60000 ? 60000 : r.answer_ms);
            sqlite3_bind_int64(stmt, 8, type);
            rc = step(w, stmt, "writing the review log");
            if (!rc && sqlite3_changes(w->anki) == 1)
                break;
        }
    }
    alliance_review_iter_free(it);
    return rc;
}

/* Our card as Anki's: new (type 0, by position), review (type 2), or, when its last answer
 * failed (SM-2's repetitions 0), learning (type 1; relearning, type 3, after a lapse) in the
 * day-based queue 3, due on its due day. */
static int put_card(writer *w, sqlite3_stmt *stmt, const alliance_card *card, int64_t cid, int64_t nid, int64_t did)
{
    int learned = card->reviews > 0;
    int failed = learned && card->state.repetitions == 0;
    int type = !learned ? 0 : !failed ? 2 : card->lapses > 0 ? 3 : 1;
    int buried = card->buried_until_day > w->today;
    int queue = card->suspended ? -1 : buried ? -3 : !learned ? 0 : failed ? 3 : 2;
    int64_t due = learned ? card->due_day : (int64_t)++w->position;
    if (learned && card->due_day < w->first_day)
        w->first_day = card->due_day;
    int64_t ivl = !learned || type == 1 ? 0 : card->state.interval_days ? card->state.interval_days : 1;
    sqlite3_bind_int64(stmt, 1, cid);
    sqlite3_bind_int64(stmt, 2, nid);
    sqlite3_bind_int64(stmt, 3, did);
    sqlite3_bind_int64(stmt, 4, card->type == ALLIANCE_CARD_CLOZE && card->ordinal > 0 ? card->ordinal - 1 : 0);
    sqlite3_bind_int64(stmt, 5, card->modified);
    sqlite3_bind_int64(stmt, 6, type);
    sqlite3_bind_int64(stmt, 7, queue);
    sqlite3_bind_int64(stmt, 8, due); /* a learned card's: our day number until REBASE_DUE */
    sqlite3_bind_int64(stmt, 9, ivl);
    sqlite3_bind_int64(stmt, 10, learned ? card->state.efactor_milli : 0);
    sqlite3_bind_int64(stmt, 11, card->reviews);
    sqlite3_bind_int64(stmt, 12, card->lapses);
    sqlite3_bind_int64(stmt, 13, failed ? 1001 : 0); /* left: one step to go, today */
    return step(w, stmt, "writing a card");
}

/* One deck: its JSON, then its notes, cards and review log. */
static int put_deck(writer *w, int64_t deck_id, sqlite3_stmt *notes, sqlite3_stmt *cards, sqlite3_stmt *revlog)
{
    char *name = NULL, *description = NULL;
    int rc = alliance__db_enter(w->db);
    if (rc)
        return rc;
    rc = alliance__db_leave(w->db, alliance__store_deck_get(w->db, deck_id, &name, &description, NULL));
    if (rc)
        return rc;
    int64_t did = DECK_ID_BASE + deck_id;
    alliance__buf n = {0}, d = {0}, html = {0};
    rc = json_string(&n, name);
    if (!rc)
        rc = html_field(&html, description);
    if (!rc)
        rc = json_string(&d, html.data ? html.data : "");
    if (!rc)
        rc = alliance__buf_printf(&w->decks, ",");
    if (!rc)
        rc = alliance__buf_printf(&w->decks, deck_json, (long long)did, (long long)did, (long long)w->now, n.data,
                                  d.data);
    alliance__buf_free(&n);
    alliance__buf_free(&d);
    alliance__buf_free(&html);
    alliance__free(name);
    alliance__free(description);
    if (rc)
        return fail(w, ALLIANCE_ENOMEM, "a deck");

    alliance_card_iter *it = NULL;
    rc = alliance__card_search_deck_file(&it, w->db, deck_id);
    char *last_note = NULL;
    int64_t nid = 0;
    while (!rc) {
        alliance_card *card = NULL;
        rc = alliance_card_iter_next(it, &card);
        if (rc == ALLIANCE_DONE) {
            rc = 0;
            break;
        }
        if (rc)
            break;
        /* A note's cards come one after another (by position, then ordinal). */
        if (!last_note || strcmp(last_note, card->note_id) != 0) {
            nid = w->note_id++;
            rc = put_note(w, notes, card, nid);
            alliance__free(last_note);
            last_note = alliance__strdup(card->note_id);
            if (!rc && !last_note)
                rc = fail(w, ALLIANCE_ENOMEM, "a note");
        }
        int64_t cid = w->note_id++;
        if (!rc)
            rc = put_card(w, cards, card, cid, nid, did);
        if (!rc)
            rc = put_reviews(w, revlog, card, cid);
        alliance_free(card);
    }
    alliance__free(last_note);
    alliance_card_iter_free(it);
    return rc;
}

static int build(writer *w, const int64_t *ids, uint32_t n)
{
    int rc = ALLIANCE_OK;
    for (const char *const *sql = alliance__anki_sql_schema11(); *sql && !rc; sql++)
        if (sqlite3_exec(w->anki, *sql, NULL, NULL, NULL) != SQLITE_OK)
            rc = sql_fail(w, "creating the package's tables");
    sqlite3_stmt *notes = NULL, *cards = NULL, *revlog = NULL, *stmt = NULL;
    if (!rc)
        rc = run(w, ALLIANCE__ANKI_SQL_INSERT_NOTE, &notes);
    if (!rc)
        rc = run(w, ALLIANCE__ANKI_SQL_INSERT_CARD, &cards);
    if (!rc)
        rc = run(w, ALLIANCE__ANKI_SQL_INSERT_REVLOG, &revlog);
    if (!rc && sqlite3_exec(w->anki, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        rc = sql_fail(w, "writing the package");
    /* Anki's default deck (id 1) is always there. */
    if (!rc && alliance__buf_printf(&w->decks, deck_json, 1LL, 1LL, (long long)w->now, "\"Default\"", "\"\"") != 0)
        rc = fail(w, ALLIANCE_ENOMEM, "a deck");
    for (uint32_t i = 0; i < n && !rc; i++)
        rc = put_deck(w, ids[i], notes, cards, revlog);
    /* Review cards count their due from the collection's creation: the earliest due day. */
    if (!rc)
        rc = run(w, ALLIANCE__ANKI_SQL_REBASE_DUE, &stmt);
    if (!rc) {
        sqlite3_bind_int64(stmt, 1, w->first_day);
        rc = step(w, stmt, "dating the cards");
    }
    sqlite3_finalize(stmt);
    stmt = NULL;
    int64_t crt = 0;
    if (!rc && alliance_day_start(&crt, w->first_day, 0, 0) != 0)
        rc = fail(w, ALLIANCE_EINVAL, "dating the collection");
    /* Anki's crt is the rollover of its first day; ours starts at the learner's (docs/anki.md). */
    alliance__buf conf = {0}, models = {0}, decks = {0};
    if (!rc && (alliance__buf_printf(&conf, conf_json, (unsigned)w->position + 1) != 0 ||
                alliance__buf_puts(&models, "{\"1672531200000\":") != 0 ||
                alliance__buf_printf(&models, basic_model, (long long)w->now, model_css) != 0 ||
                alliance__buf_puts(&models, ",\"1672531200001\":") != 0 ||
                alliance__buf_printf(&models, cloze_model, (long long)w->now, model_css) != 0 ||
                alliance__buf_puts(&models, "}") != 0 ||
                alliance__buf_printf(&decks, "{%s}", w->decks.data) != 0))
        rc = fail(w, ALLIANCE_ENOMEM, "the collection");
    if (!rc)
        rc = run(w, ALLIANCE__ANKI_SQL_INSERT_COL, &stmt);
    if (!rc) {
        sqlite3_bind_int64(stmt, 1, crt);
        sqlite3_bind_int64(stmt, 2, w->now * 1000);
        if (sqlite3_bind_text(stmt, 3, conf.data, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
            sqlite3_bind_text(stmt, 4, models.data, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
            sqlite3_bind_text(stmt, 5, decks.data, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
            sqlite3_bind_text(stmt, 6, dconf_json, -1, SQLITE_STATIC) != SQLITE_OK)
            rc = fail(w, ALLIANCE_ENOMEM, "the collection");
        else
            rc = step(w, stmt, "writing the collection");
    }
    alliance__buf_free(&conf);
    alliance__buf_free(&models);
    alliance__buf_free(&decks);
    if (!rc && sqlite3_exec(w->anki, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = sql_fail(w, "writing the package");
    sqlite3_finalize(stmt);
    sqlite3_finalize(notes);
    sqlite3_finalize(cards);
    sqlite3_finalize(revlog);
    return rc;
}

/* The zip: collection.anki2 and an empty media map, built in memory, then handed out. */
static int zip_and_write(writer *w, const unsigned char *db_bytes, size_t db_len, alliance_write_fn write, void *opaque)
{
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t *out = zip_source_buffer_create(NULL, 0, 0, &error);
    zip_t *zip = out ? zip_open_from_source(out, ZIP_TRUNCATE, &error) : NULL;
    int rc = ALLIANCE_OK;
    if (!zip) {
        zip_error_fini(&error);
        if (out)
            zip_source_free(out);
        return fail(w, ALLIANCE_ENOMEM, "creating the zip");
    }
    zip_error_fini(&error);
    zip_source_keep(out); /* read back after zip_close */
    zip_source_t *col = zip_source_buffer(zip, db_bytes, db_len, 0);
    zip_source_t *media = zip_source_buffer(zip, "{}", 2, 0);
    if (!col || zip_file_add(zip, "collection.anki2", col, ZIP_FL_ENC_UTF_8) < 0) {
        zip_source_free(col);
        rc = ALLIANCE_ENOMEM;
    }
    if (!rc && (!media || zip_file_add(zip, "media", media, ZIP_FL_ENC_UTF_8) < 0)) {
        zip_source_free(media);
        rc = ALLIANCE_ENOMEM;
    }
    if (rc || zip_close(zip) != 0) {
        zip_discard(zip);
        zip_source_free(out);
        return fail(w, ALLIANCE_ENOMEM, "writing the zip");
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_source_stat(out, &st) != 0 || zip_source_open(out) != 0) {
        zip_source_free(out);
        return fail(w, ALLIANCE_ENOMEM, "reading the zip back");
    }
    char chunk[65536];
    zip_int64_t got;
    while ((got = zip_source_read(out, chunk, sizeof chunk)) > 0) {
        if (write(opaque, chunk, (size_t)got) != 0) {
            rc = ALLIANCE_EIO;
            break;
        }
    }
    if (!rc && got < 0)
        rc = ALLIANCE_ENOMEM;
    zip_source_close(out);
    zip_source_free(out);
    if (rc == ALLIANCE_EIO) {
        if (alliance__db_enter(w->db) == 0)
            alliance__db_leave(w->db, alliance__error_set(alliance__db_error(w->db), rc,
                                                          "alliance_export: the write callback asked to stop"));
        return rc;
    }
    return rc ? fail(w, rc, "reading the zip back") : ALLIANCE_OK;
}

int alliance__apkg_export(alliance_db *db, const int64_t *ids, uint32_t n, int64_t now, alliance_write_fn write,
                          void *opaque)
{
    writer w;
    memset(&w, 0, sizeof w);
    w.db = db;
    w.now = now;
    if (now > ANKI_SECONDS_MAX || now < -ANKI_SECONDS_MAX) {
        if (alliance__db_enter(db) != 0)
            return ALLIANCE_EINVAL;
        return alliance__db_leave(db, alliance__error_set(alliance__db_error(db), ALLIANCE_EINVAL,
                                                          "alliance_export: time %lld cannot date an Anki package "
                                                          "(milliseconds in 64 bits)", (long long)now));
    }
    w.note_id = now * 1000;
    int rc = alliance_today(db, now, &w.today);
    if (rc)
        return rc;
    w.first_day = w.today;
    if (sqlite3_open_v2(":memory:", &w.anki, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        sqlite3_close(w.anki);
        return fail(&w, ALLIANCE_ENOMEM, "opening the package's database");
    }
    rc = build(&w, ids, n);
    sqlite3_int64 size = 0;
    unsigned char *bytes = rc ? NULL : sqlite3_serialize(w.anki, "main", &size, 0);
    if (!rc && !bytes)
        rc = fail(&w, ALLIANCE_ENOMEM, "serializing the package's database");
    if (!rc)
        rc = zip_and_write(&w, bytes, (size_t)size, write, opaque);
    sqlite3_free(bytes);
    sqlite3_close(w.anki);
    alliance__buf_free(&w.decks);
    return rc;
}
