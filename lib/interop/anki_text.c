/* SPDX-License-Identifier: MIT */
/* anki_text.c - Anki's "Notes in Plain Text" files: reader and writer (docs/anki.md). */
#include "interop/anki_text.h"

#include "deck/deck_write.h"
#include "core/html.h"
#include "core/utf8.h"

#include <stdio.h>
#include <string.h>

/* Columns past this are read over but not kept: no note type we map uses more. */
#define MAX_COLUMNS 64

/* The columns we write; Wrong, Source and Quote are ours and named by #columns:. */
static const char *const our_columns[] = {
    "guid", "notetype", "deck", "Front", "Back", "Wrong", "Source", "Quote", "tags",
};
enum { COL_GUID = 1, COL_NOTETYPE, COL_DECK, COL_FRONT, COL_BACK, COL_WRONG, COL_SOURCE, COL_QUOTE, COL_TAGS };

typedef struct cell {
    size_t start, len;       /* in reader.cells */
    uint32_t line, column;   /* where the field starts in the file */
} cell;

typedef struct reader {
    alliance__deck *deck;
    const char *data;
    size_t len, pos;
    uint32_t line;
    size_t line_start;
    char sep;
    int html;
    unsigned guid_col, notetype_col, deck_col, tags_col, wrong_col, source_col, quote_col;
    alliance__buf notetype;      /* #notetype: */
    alliance__buf deck_name;     /* deck 0: #deck:, else the deck column of the first row that has one */
    int deck_named;              /* deck_name is set */
    uint32_t scope;              /* the deck '#alliance description:' and '#alliance source:' describe */
    uint32_t last_deck;          /* the deck of the last row that named one, and its index */
    alliance__buf last_name;
    alliance__buf global_tags;   /* #tags: lines as read; held once in deck->tags */
    int global_choice;           /* the file's tags hold our choice marker */
    alliance__buf description;
    int description_over;        /* "over 1 MiB" was reported */
    alliance__buf cells;         /* the current record's fields, NUL-separated */
    cell cell[MAX_COLUMNS];
    unsigned ncells;
    int stop;
} reader;

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static int ieq(const char *a, size_t alen, const char *b)
{
    size_t blen = strlen(b);
    if (alen != blen)
        return 0;
    for (size_t i = 0; i < alen; i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return 0;
    }
    return 1;
}

static int contains_ci(const char *s, const char *needle)
{
    size_t n = strlen(needle), len = strlen(s);
    for (size_t i = 0; i + n <= len; i++)
        if (ieq(s + i, n, needle))
            return 1;
    return 0;
}

static void oom(reader *r)
{
    r->deck->oom = 1;
    r->stop = 1;
}

/* ---- the file header: "#key:value" lines at the top ---- */

static void trim(const char **s, size_t *len)
{
    while (*len && is_blank(**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len && is_blank((*s)[*len - 1]))
        (*len)--;
}

static unsigned column_number(reader *r, const char *v, size_t n, uint32_t col)
{
    unsigned value = 0;
    trim(&v, &n);
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9' || value > MAX_COLUMNS) {
            value = 0;
            break;
        }
        value = value * 10 + (unsigned)(v[i] - '0');
    }
    if (value == 0 || value > MAX_COLUMNS) {
        alliance__deck_error(r->deck, r->line, col, ALLIANCE_EPARSE, "a column number is 1 to %u", MAX_COLUMNS);
        return 0;
    }
    return value;
}

static void header_source(reader *r, const char *v, size_t n, uint32_t col)
{
    const char *bar = memchr(v, '|', n);
    const char *file = v, *title = bar ? bar + 1 : v + n;
    size_t file_len = bar ? (size_t)(bar - v) : n, title_len = bar ? n - (size_t)(title - v) : 0;
    trim(&file, &file_len);
    trim(&title, &title_len);
    int bad = !bar || file_len == 0 || title_len == 0;
    for (size_t i = 0; i < file_len && !bad; i++)
        bad = is_blank(file[i]);
    if (bad) {
        alliance__deck_error(r->deck, r->line, col, ALLIANCE_EPARSE, "a source is 'FILE | TITLE'");
        return;
    }
    int rc = alliance__deck_add_source_to(r->deck, r->scope, file, file_len, title, title_len);
    if (rc == ALLIANCE_EEXISTS)
        alliance__deck_error(r->deck, r->line, col, ALLIANCE_EPARSE, "source '%.*s' is listed twice",
                             (int)(file_len > 64 ? 64 : file_len), file);
    else if (rc == ALLIANCE_ELIMIT)
        alliance__deck_error(r->deck, r->line, col, ALLIANCE_ELIMIT, "more than %u sources",
                             ALLIANCE__DECK_SOURCES_MAX);
    else if (rc)
        oom(r);
}

static void header_columns(reader *r, const char *v, size_t n)
{
    unsigned index = 1;
    size_t i = 0;
    while (i <= n) {
        const char *end = memchr(v + i, r->sep, n - i);
        size_t e = end ? (size_t)(end - v) : n;
        const char *label = v + i;
        size_t label_len = e - i;
        trim(&label, &label_len);
        if (ieq(label, label_len, "Wrong"))
            r->wrong_col = index;
        else if (ieq(label, label_len, "Source"))
            r->source_col = index;
        else if (ieq(label, label_len, "Quote"))
            r->quote_col = index;
        index++;
        i = e + 1;
        if (!end)
            break;
    }
}

static int set_separator(reader *r, const char *v, size_t n)
{
    static const struct { const char *name; char sep; } names[] = {
        {"tab", '\t'}, {"comma", ','}, {"semicolon", ';'}, {"space", ' '}, {"pipe", '|'}, {"colon", ':'},
    };
    /* A single character is taken literally (before trimming: it may be a blank). */
    if (n == 1 && v[0] != '"' && v[0] != '\r') {
        r->sep = v[0];
        return 1;
    }
    trim(&v, &n);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (ieq(v, n, names[i].name)) {
            r->sep = names[i].sep;
            return 1;
        }
    }
    return 0;
}

/* One line of the description, held as our format holds a value (docs/deck-format.md), so
 * that the deck exports to a .deck file that reads back the same: blanks trimmed, an empty
 * line dropped, no later line starting with '#' (a comment there), no CR, at most 1 MiB. */
/* A deck name follows the text rule (core/text.h): a CR or a line break in it (from '#deck:'
 * or a quoted deck cell) could not be written back, so it is refused where it is. */
static int deck_name_refused(reader *r, const char *v, size_t n, uint32_t line, uint32_t col)
{
    const char *problem = alliance__text_check(ALLIANCE__TEXT_DECK_NAME, v, n, NULL);
    if (problem)
        alliance__deck_error(r->deck, line, col, ALLIANCE_EPARSE, "invalid deck name: %s", problem);
    return problem != NULL;
}

static void header_description(reader *r, const char *v, size_t vn, uint32_t col)
{
    while (vn && is_blank(*v)) {
        v++;
        vn--;
        col++;
    }
    while (vn && is_blank(v[vn - 1]))
        vn--;
    if (vn == 0)
        return;
    const char *cr = memchr(v, '\r', vn);
    if (cr) {
        alliance__deck_error(r->deck, r->line, col + (uint32_t)(cr - v), ALLIANCE_EPARSE,
                             "a carriage return (CR) in '#alliance description:'");
        return;
    }
    if (r->description.len && v[0] == '#') {
        alliance__deck_error(r->deck, r->line, col, ALLIANCE_EPARSE,
                             "a line of the description after the first cannot start with '#'");
        return;
    }
    if (r->description_over || r->description.len + 1 + vn > ALLIANCE__DECK_VALUE_MAX) {
        if (!r->description_over)
            alliance__deck_error(r->deck, r->line, col, ALLIANCE_ELIMIT, "the description is over 1 MiB");
        r->description_over = 1;
        return;
    }
    int rc = r->description.len ? alliance__buf_append(&r->description, "\n", 1) : 0;
    if (!rc)
        rc = alliance__buf_append(&r->description, v, vn);
    if (rc)
        oom(r);
}

/* The description read so far belongs to the deck in scope: hand it over before the scope moves. */
static void flush_description(reader *r)
{
    if (r->description.len) {
        uint32_t off = 0;
        if (alliance__deck_intern(r->deck, r->description.data, r->description.len, &off) != 0)
            oom(r);
        else
            alliance__deck_set_description(r->deck, r->scope, off);
    }
    r->description.len = 0;
    r->description_over = 0;
}

/* The index of the deck called v (n bytes, trimmed, one line): deck 0 if it is deck 0's name, or
 * becomes it when deck 0 has none yet; else a further deck. 0 with an error recorded on failure. */
static uint32_t deck_index(reader *r, const char *v, size_t n, uint32_t line, uint32_t col)
{
    if (!r->deck_named) {
        r->deck_name.len = 0;
        if (alliance__buf_append(&r->deck_name, v, n) != 0) {
            oom(r);
            return 0;
        }
        r->deck_named = 1;
        return 0;
    }
    if (n == r->deck_name.len && memcmp(v, r->deck_name.data, n) == 0)
        return 0;
    /* Rows of one deck usually follow each other: the last one's answer is kept. */
    if (r->last_deck && n == r->last_name.len && memcmp(v, r->last_name.data, n) == 0)
        return r->last_deck;
    uint32_t index = 0;
    int rc = alliance__deck_more(r->deck, v, n, &index);
    if (rc == ALLIANCE_ELIMIT) {
        alliance__deck_error(r->deck, line, col, ALLIANCE_ELIMIT, "the file names more than %u decks",
                             ALLIANCE__DECK_DECKS_MAX);
        r->stop = 1;
        return 0;
    }
    if (rc) {
        oom(r);
        return 0;
    }
    r->last_name.len = 0;
    if (alliance__buf_append(&r->last_name, v, n) != 0) {
        oom(r);
        return 0;
    }
    r->last_deck = index;
    return index;
}

/* One "#key:value" line (without its line end). Unknown keys are skipped, as Anki does. */
static void header_line(reader *r, const char *s, size_t n)
{
    const char *colon = memchr(s, ':', n);
    if (!colon)
        return; /* a plain comment */
    const char *key = s + 1;
    size_t key_len = (size_t)(colon - key);
    trim(&key, &key_len);
    const char *v = colon + 1;
    size_t vn = n - (size_t)(v - s);
    uint32_t col = (uint32_t)(v - s) + 1;
    int rc = 0;
    if (ieq(key, key_len, "separator")) {
        if (!set_separator(r, v, vn))
            alliance__deck_error(r->deck, r->line, col, ALLIANCE_EPARSE,
                                 "unknown separator (tab, comma, semicolon, space, pipe, colon or one character)");
    } else if (ieq(key, key_len, "html")) {
        trim(&v, &vn);
        if (ieq(v, vn, "true"))
            r->html = 1;
        else if (ieq(v, vn, "false"))
            r->html = 0;
        else
            alliance__deck_error(r->deck, r->line, col, ALLIANCE_EPARSE, "#html: is true or false");
    } else if (ieq(key, key_len, "guid column")) {
        r->guid_col = column_number(r, v, vn, col);
    } else if (ieq(key, key_len, "notetype column")) {
        r->notetype_col = column_number(r, v, vn, col);
    } else if (ieq(key, key_len, "deck column")) {
        r->deck_col = column_number(r, v, vn, col);
    } else if (ieq(key, key_len, "tags column")) {
        r->tags_col = column_number(r, v, vn, col);
    } else if (ieq(key, key_len, "columns")) {
        header_columns(r, v, vn);
    } else if (ieq(key, key_len, "notetype")) {
        trim(&v, &vn);
        r->notetype.len = 0;
        rc = alliance__buf_append(&r->notetype, v, vn);
    } else if (ieq(key, key_len, "deck")) {
        trim(&v, &vn);
        if (vn == 0 || !deck_name_refused(r, v, vn, r->line, col)) {
            /* '#deck:' names deck 0 (a later one renames it, as before several decks were read). */
            r->deck_name.len = 0;
            rc = alliance__buf_append(&r->deck_name, v, vn);
            r->deck_named = 1;
        }
    } else if (ieq(key, key_len, "alliance deck")) {
        /* Ours: the description and sources after it are this deck's (docs/anki.md). */
        trim(&v, &vn);
        if (vn == 0)
            alliance__deck_error(r->deck, r->line, col, ALLIANCE_EPARSE, "'#alliance deck:' names no deck");
        else if (!deck_name_refused(r, v, vn, r->line, col)) {
            flush_description(r);
            r->scope = deck_index(r, v, vn, r->line, col);
        }
    } else if (ieq(key, key_len, "tags")) {
        rc = alliance__buf_append(&r->global_tags, " ", 1);
        if (!rc)
            rc = alliance__buf_append(&r->global_tags, v, vn);
    } else if (ieq(key, key_len, "alliance description")) {
        header_description(r, v, vn, col);
    } else if (ieq(key, key_len, "alliance source")) {
        header_source(r, v, vn, col);
    }
    if (rc)
        oom(r);
}

/* ---- records ---- */

static const char *cell_text(const reader *r, unsigned column)
{
    if (column == 0 || column > r->ncells)
        return NULL;
    return r->cells.data + r->cell[column - 1].start;
}

static void cell_where(const reader *r, unsigned column, uint32_t *line, uint32_t *col)
{
    if (column >= 1 && column <= r->ncells) {
        *line = r->cell[column - 1].line;
        *col = r->cell[column - 1].column;
    }
}

/* Reads one record starting at r->pos into r->cells. 0, or -1 at the end of the data. */
static int read_record(reader *r)
{
    r->ncells = 0;
    r->cells.len = 0;
    for (;;) {
        int keep = r->ncells < MAX_COLUMNS;
        cell c = {r->cells.len, 0, r->line, (uint32_t)(r->pos - r->line_start) + 1};
        int over = 0;
        if (r->pos < r->len && r->data[r->pos] == '"') {
            r->pos++;
            for (;;) {
                if (r->pos >= r->len) {
                    alliance__deck_error(r->deck, c.line, c.column, ALLIANCE_EPARSE, "a quoted field has no closing '\"'");
                    r->stop = 1;
                    return -1;
                }
                char ch = r->data[r->pos];
                if (ch == '"') {
                    if (r->pos + 1 < r->len && r->data[r->pos + 1] == '"') {
                        r->pos += 2;
                    } else {
                        r->pos++;
                        break;
                    }
                } else {
                    r->pos++;
                    if (ch == '\n') {
                        r->line++;
                        r->line_start = r->pos;
                    }
                }
                if (keep && !over) {
                    if (c.len + 1 > ALLIANCE__DECK_VALUE_MAX) {
                        over = 1;
                        alliance__deck_error(r->deck, c.line, c.column, ALLIANCE_ELIMIT, "a field is over 1 MiB");
                    } else if (alliance__buf_append(&r->cells, &ch, 1) != 0) {
                        oom(r);
                        return -1;
                    } else {
                        c.len++;
                    }
                }
            }
            /* Anki's reader is lenient here; we say so rather than guess. */
            if (r->pos < r->len && r->data[r->pos] != r->sep && r->data[r->pos] != '\n' &&
                !(r->data[r->pos] == '\r' && r->pos + 1 < r->len && r->data[r->pos + 1] == '\n')) {
                alliance__deck_error(r->deck, r->line, (uint32_t)(r->pos - r->line_start) + 1, ALLIANCE_EPARSE,
                                     "text after the closing '\"' of a quoted field");
                while (r->pos < r->len && r->data[r->pos] != r->sep && r->data[r->pos] != '\n')
                    r->pos++;
            }
        } else {
            size_t a = r->pos;
            while (r->pos < r->len && r->data[r->pos] != r->sep && r->data[r->pos] != '\n')
                r->pos++;
            size_t b = r->pos;
            if (b > a && b < r->len && r->data[b] == '\n' && r->data[b - 1] == '\r')
                b--;
            else if (b > a && b == r->len && r->data[b - 1] == '\r')
                b--;
            if (keep) {
                if (b - a > ALLIANCE__DECK_VALUE_MAX) {
                    alliance__deck_error(r->deck, c.line, c.column, ALLIANCE_ELIMIT, "a field is over 1 MiB");
                    b = a;
                }
                if (alliance__buf_append(&r->cells, r->data + a, b - a) != 0) {
                    oom(r);
                    return -1;
                }
                c.len = b - a;
            }
        }
        if (keep) {
            if (alliance__buf_append(&r->cells, "", 1) != 0) {
                oom(r);
                return -1;
            }
            r->cell[r->ncells++] = c;
        }
        if (r->pos < r->len && r->data[r->pos] == r->sep) {
            r->pos++;
            continue;
        }
        /* The line end (or the end of the data) ends the record; "\r\n" is one line end. */
        if (r->pos < r->len) {
            if (r->data[r->pos] == '\r' && r->pos + 1 < r->len && r->data[r->pos + 1] == '\n')
                r->pos++;
            r->pos++;
            r->line++;
            r->line_start = r->pos;
        }
        return 0;
    }
}

/* Column `index` (1-based) is a field of the note, not one of the meta columns. */
static int is_field_column(const reader *r, unsigned index)
{
    return index != r->guid_col && index != r->notetype_col && index != r->deck_col && index != r->tags_col &&
           index != r->wrong_col && index != r->source_col && index != r->quote_col;
}

typedef struct row_ctx {
    reader *r;
    uint32_t line;
    unsigned column_of[ALLIANCE__F_COUNT];
} row_ctx;

static void row_problem(void *ctx, int f, size_t offset, int code, const char *message)
{
    row_ctx *rc = ctx;
    uint32_t line = rc->line, column = 1;
    (void)offset; /* values were normalised: a column inside them would not match the file */
    if (f >= 0 && rc->column_of[f])
        cell_where(rc->r, rc->column_of[f], &line, &column);
    alliance__deck_error(rc->r->deck, line, column, code, "%s", message);
}

/* A stable id for a row without a GUID: "anki-" and a hash of its first field. */
static void derived_id(char *out, size_t size, const char *first_field)
{
    uint64_t h = UINT64_C(14695981039346656037);
    for (const char *p = first_field; *p; p++)
        h = (h ^ (unsigned char)*p) * UINT64_C(1099511628211);
    snprintf(out, size, "anki-%016llx", (unsigned long long)h);
}

/* Anki's GUIDs are base91 and may hold "::", which our ids reserve for the cards of a cloze
 * note. Such a GUID is stored with ':' as "%3A" and '%' as "%25" (docs/anki.md); the writer
 * turns an id holding "%3A%3A" (which every encoded GUID does) back into the GUID. */
int alliance__anki_guid_to_id(alliance__buf *out, const char *guid)
{
    if (!strstr(guid, "::"))
        return alliance__buf_puts(out, guid);
    int rc = 0;
    for (const char *p = guid; *p && !rc; p++)
        rc = *p == ':' ? alliance__buf_puts(out, "%3A") : *p == '%' ? alliance__buf_puts(out, "%25")
                                                                   : alliance__buf_append(out, p, 1);
    return rc;
}

int alliance__anki_id_to_guid(alliance__buf *out, const char *id)
{
    if (!strstr(id, "%3A%3A"))
        return alliance__buf_puts(out, id);
    alliance__buf guid = {0}, again = {0};
    int rc = 0;
    for (const char *p = id; *p && !rc; p++) {
        if (p[0] == '%' && p[1] == '3' && p[2] == 'A') {
            rc = alliance__buf_append(&guid, ":", 1);
            p += 2;
        } else if (p[0] == '%' && p[1] == '2' && p[2] == '5') {
            rc = alliance__buf_append(&guid, "%", 1);
            p += 2;
        } else {
            rc = alliance__buf_append(&guid, p, 1);
        }
    }
    /* Decoded only if the id is exactly what guid_to_id makes of that GUID: an id of our own
     * that merely contains "%3A%3A" (say "a:b%3A%3Ac") is written as it is, so it reads back
     * as itself (found by fuzz_deck_roundtrip). */
    if (!rc)
        rc = alliance__anki_guid_to_id(&again, guid.data);
    if (!rc)
        rc = alliance__buf_puts(out, strcmp(again.data, id) == 0 ? guid.data : id);
    alliance__buf_free(&guid);
    alliance__buf_free(&again);
    return rc;
}

/* Field values normalised into `out`, each NUL-terminated; returns their offsets. */
static int normalised(reader *r, alliance__buf *out, const char *text, int tags, size_t *offset)
{
    *offset = out->len;
    int rc;
    if (r->html && !tags) {
        /* Kept as it is when it holds markup; escaped text (line breaks, entities) is decoded. */
        alliance__buf plain = {0};
        rc = alliance__html_field_in(&plain, text, strlen(text));
        if (!rc)
            rc = alliance__value_normalise(out, plain.data ? plain.data : "", plain.len);
        alliance__buf_free(&plain);
    } else if (tags) {
        rc = alliance__tags_normalise(out, text, strlen(text));
    } else {
        rc = alliance__value_normalise(out, text, strlen(text));
    }
    if (!rc)
        rc = alliance__buf_append(out, "", 1);
    return rc;
}

/* Appends the tags of `value` normalised (one space between), without our choice marker,
 * whose presence sets *choice. */
static int take_tags(alliance__buf *out, const char *value, int *choice)
{
    size_t start = out->len;
    int rc = 0;
    const char *t = value;
    while (!rc && *t) {
        while (*t && (is_blank(*t) || *t == '\n' || *t == '\r'))
            t++;
        const char *e = t;
        while (*e && !(is_blank(*e) || *e == '\n' || *e == '\r'))
            e++;
        if (e > t) {
            if (ieq(t, (size_t)(e - t), ALLIANCE__ANKI_CHOICE_TAG))
                *choice = 1;
            else if (out->len > start)
                rc = alliance__buf_printf(out, " %.*s", (int)(e - t), t);
            else
                rc = alliance__buf_append(out, t, (size_t)(e - t));
        }
        t = e;
    }
    return rc;
}

static void record_to_note(reader *r, uint32_t line)
{
    alliance__deck *deck = r->deck;
    row_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.r = r;
    ctx.line = line;

    /* The deck: the row's deck column, else the file's deck (deck 0). */
    uint32_t deck_of_row = 0;
    const char *row_deck = cell_text(r, r->deck_col);
    size_t row_deck_len = row_deck ? strlen(row_deck) : 0;
    /* Trimmed as '#deck:' is, and as our format reads a name back. */
    if (row_deck)
        trim(&row_deck, &row_deck_len);
    if (row_deck_len) {
        uint32_t dl = line, dc = 1;
        cell_where(r, r->deck_col, &dl, &dc);
        if (deck_name_refused(r, row_deck, row_deck_len, dl, dc))
            return;
        deck_of_row = deck_index(r, row_deck, row_deck_len, dl, dc);
        if (r->stop)
            return;
    }

    /* The note's own fields: every column that is not a meta column, in order. */
    unsigned field_cols[2] = {0, 0}, nf = 0;
    for (unsigned c = 1; c <= r->ncells && nf < 2; c++)
        if (is_field_column(r, c))
            field_cols[nf++] = c;

    alliance__buf text = {0};
    size_t off[ALLIANCE__F_COUNT] = {0};
    int have[ALLIANCE__F_COUNT] = {0};
    int rc = 0;
    const char *nt = r->notetype_col ? cell_text(r, r->notetype_col) : NULL;
    if (!nt || !nt[0])
        nt = r->notetype.len ? r->notetype.data : "Basic";
    uint32_t type = contains_ci(nt, "cloze") ? ALLIANCE_CARD_CLOZE : ALLIANCE_CARD_BASIC;

    /* Tags: the row's own (the file's are held once in deck->tags, joined at use); our choice
     * marker is taken out of them. */
    const char *row_tags = cell_text(r, r->tags_col);
    int choice = r->global_choice;
    off[ALLIANCE__F_TAGS] = text.len;
    rc = take_tags(&text, row_tags ? row_tags : "", &choice);
    if (!rc) {
        have[ALLIANCE__F_TAGS] = text.len > off[ALLIANCE__F_TAGS];
        rc = alliance__buf_append(&text, "", 1);
    }
    if (choice && type != ALLIANCE_CARD_CLOZE)
        type = ALLIANCE_CARD_CHOICE;
    ctx.column_of[ALLIANCE__F_TAGS] = r->tags_col;
    if (!rc && have[ALLIANCE__F_TAGS] &&
        strlen(text.data + off[ALLIANCE__F_TAGS]) + 1 + strlen(alliance__deck_str(deck, deck->tags)) >
            ALLIANCE__DECK_VALUE_MAX) {
        /* Joined with the file's tags, the value must still fit a line of our format. */
        uint32_t l = line, c = 1;
        cell_where(r, r->tags_col, &l, &c);
        alliance__deck_error(deck, l, c, ALLIANCE_ELIMIT, "the tags of this row and the file are over 1 MiB");
        alliance__buf_free(&text);
        return;
    }

    struct { int f; unsigned col; } map[] = {
        {ALLIANCE__F_FRONT, field_cols[0]},
        {ALLIANCE__F_BACK, field_cols[1]},
        {ALLIANCE__F_WRONG, type == ALLIANCE_CARD_CHOICE ? r->wrong_col : 0},
        {ALLIANCE__F_SOURCE, r->source_col},
        {ALLIANCE__F_QUOTE, r->quote_col},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0] && !rc; i++) {
        const char *v = cell_text(r, map[i].col);
        ctx.column_of[map[i].f] = map[i].col;
        if (!v)
            continue;
        rc = normalised(r, &text, v, 0, &off[map[i].f]);
        /* Optional fields left empty are simply absent; front and back are always there. */
        have[map[i].f] = text.data[off[map[i].f]] != '\0' || map[i].f == ALLIANCE__F_FRONT ||
                         (map[i].f == ALLIANCE__F_BACK && type != ALLIANCE_CARD_CLOZE);
    }

    char derived[32];
    const char *id = NULL;
    size_t id_off = 0;
    if (!rc) {
        const char *guid = cell_text(r, r->guid_col);
        if (guid && guid[0]) {
            id_off = text.len;
            rc = alliance__anki_guid_to_id(&text, guid);
            if (!rc)
                rc = alliance__buf_append(&text, "", 1);
            ctx.column_of[ALLIANCE__F_ID] = r->guid_col;
        } else {
            derived_id(derived, sizeof derived, have[ALLIANCE__F_FRONT] ? text.data + off[ALLIANCE__F_FRONT] : "");
            id = derived;
        }
    }
    if (rc) {
        alliance__buf_free(&text);
        oom(r);
        return;
    }
    if (!id)
        id = text.data + id_off;

    /* A source the file does not declare is declared with its file name as title, so that
     * the deck converts to our format as it is. */
    if (have[ALLIANCE__F_SOURCE]) {
        const char *src = text.data + off[ALLIANCE__F_SOURCE];
        size_t n = strlen(src);
        int plain = n > 0 && !memchr(src, '|', n) && !memchr(src, ' ', n) && !memchr(src, '\t', n) &&
                    !memchr(src, '\n', n);
        if (plain && !alliance__deck_has_source(deck, src)) {
            int arc = alliance__deck_add_source(deck, src, n, src, n);
            if (arc == ALLIANCE_ELIMIT) {
                uint32_t l = line, c = 1;
                cell_where(r, r->source_col, &l, &c);
                alliance__deck_error(deck, l, c, ALLIANCE_ELIMIT, "more than %u sources", ALLIANCE__DECK_SOURCES_MAX);
            } else if (arc) {
                alliance__buf_free(&text);
                oom(r);
                return;
            }
        }
    }

    alliance__note_in in;
    memset(&in, 0, sizeof in);
    in.type = type;
    in.id = id;
    for (int f = ALLIANCE__F_FRONT; f < ALLIANCE__F_COUNT; f++)
        in.field[f] = have[f] ? text.data + off[f] : NULL;
    uint32_t before = deck->error_count;
    alliance__note_check(&in, deck, 0, row_problem, &ctx);
    if (deck->error_count == before) {
        alliance__deck_note note;
        memset(&note, 0, sizeof note);
        note.type = type;
        note.line = line;
        note.deck = deck_of_row;
        for (int f = 0; f < ALLIANCE__F_COUNT && !rc; f++) {
            const char *v = f == ALLIANCE__F_ID ? id : in.field[f];
            if (v)
                rc = alliance__deck_intern(deck, v, strlen(v), &note.field[f]);
        }
        const alliance__deck_note *first = NULL;
        /* Interning and adding fail for different reasons: each says its own. */
        int add_rc = rc ? 0 : alliance__deck_add(deck, &note, &first);
        if (rc == ALLIANCE_ELIMIT) {
            alliance__deck_error(deck, line, 1, ALLIANCE_ELIMIT, "the deck is too large to hold in memory");
            r->stop = 1;
        } else if (rc) {
            oom(r);
        } else if (add_rc == ALLIANCE_EEXISTS) {
            uint32_t l = line, c = 1;
            cell_where(r, r->guid_col, &l, &c);
            alliance__deck_error(deck, l, c, ALLIANCE_EPARSE, "duplicate card id '%.64s' (first on line %u)", id,
                                 (unsigned)first->line);
        } else if (add_rc == ALLIANCE_ELIMIT) {
            alliance__deck_error(deck, line, 1, ALLIANCE_ELIMIT, "more than %u cards in the deck",
                                 ALLIANCE__DECK_CARDS_MAX);
            r->stop = 1;
        } else if (add_rc) {
            oom(r);
        }
    }
    alliance__buf_free(&text);
}

/* Every physical line: no NUL, strict UTF-8, not over the line limit. */
static void check_bytes(alliance__deck *deck, const char *data, size_t len, size_t pos)
{
    uint32_t line = 0;
    while (pos < len) {
        line++;
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - data) : len;
        size_t n = end - pos;
        const char *nul = memchr(data + pos, '\0', n);
        size_t bad = alliance__utf8_check(data + pos, n);
        if (nul && (size_t)(nul - (data + pos)) < bad)
            alliance__deck_error(deck, line, (uint32_t)(nul - (data + pos)) + 1, ALLIANCE_EPARSE, "NUL byte");
        else if (bad < n)
            alliance__deck_error(deck, line, (uint32_t)bad + 1, ALLIANCE_EPARSE, "invalid UTF-8");
        pos = nl ? end + 1 : len;
    }
}

int alliance__anki_read(alliance__deck *deck, const char *data, size_t len, const char *default_name)
{
    if (len > ALLIANCE__DECK_FILE_MAX) {
        alliance__deck_error(deck, 1, 1, ALLIANCE_ELIMIT, "the file is over 64 MiB (%zu bytes)", len);
        return alliance__deck_result(deck);
    }
    reader r;
    memset(&r, 0, sizeof r);
    r.deck = deck;
    r.data = data;
    r.len = len;
    r.line = 1;
    r.sep = 0;
    uint32_t empty;
    if (alliance__deck_intern(deck, "", 0, &empty) != 0) {
        deck->oom = 1;
        return alliance__deck_result(deck);
    }
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        r.pos = r.line_start = 3;
    check_bytes(deck, data, len, r.pos);
    if (deck->error_count)
        return alliance__deck_result(deck); /* the bytes themselves are wrong: records would only add noise */

    /* Header: "tags:" may open the file (historic), then "#key:value" lines. */
    int first = 1;
    while (r.pos < len && !r.stop) {
        const char *nl = memchr(data + r.pos, '\n', len - r.pos);
        size_t end = nl ? (size_t)(nl - data) : len;
        size_t n = end - r.pos;
        if (n && data[end - 1] == '\r')
            n--;
        if (n > ALLIANCE__DECK_VALUE_MAX) {
            alliance__deck_error(deck, r.line, (uint32_t)ALLIANCE__DECK_VALUE_MAX + 1, ALLIANCE_ELIMIT,
                                 "the line is over 1 MiB");
            r.stop = 1;
            break;
        }
        const char *s = data + r.pos;
        if (first && n >= 5 && memcmp(s, "tags:", 5) == 0) {
            if (alliance__buf_append(&r.global_tags, s + 5, n - 5) != 0)
                oom(&r);
        } else if (n && s[0] == '#') {
            header_line(&r, s, n);
        } else {
            break;
        }
        first = 0;
        r.pos = nl ? end + 1 : len;
        r.line++;
        r.line_start = r.pos;
    }
    flush_description(&r);
    if (!r.stop && r.global_tags.len) {
        alliance__buf tags = {0};
        int rc = take_tags(&tags, r.global_tags.data, &r.global_choice);
        if (!rc && tags.len > ALLIANCE__DECK_VALUE_MAX) {
            alliance__deck_error(deck, 1, 1, ALLIANCE_ELIMIT, "the file's tags are over 1 MiB");
            r.stop = 1;
        } else if (!rc && tags.len) {
            rc = alliance__deck_intern(deck, tags.data, tags.len, &deck->tags);
        }
        alliance__buf_free(&tags);
        if (rc)
            oom(&r);
    }
    if (!r.sep) {
        /* Without #separator: a tab if the data has one, else a comma (docs/anki.md). */
        r.sep = memchr(data + r.pos, '\t', len - r.pos) ? '\t' : ',';
    }

    while (r.pos < len && !r.stop) {
        /* Blank lines and '#' comments between records are skipped, as Anki's reader does. */
        char c = data[r.pos];
        if (c == '\n' || (c == '\r' && r.pos + 1 < len && data[r.pos + 1] == '\n') || c == '#') {
            const char *nl = memchr(data + r.pos, '\n', len - r.pos);
            r.pos = nl ? (size_t)(nl - data) + 1 : len;
            r.line++;
            r.line_start = r.pos;
            continue;
        }
        uint32_t line = r.line;
        if (read_record(&r) != 0)
            break;
        record_to_note(&r, line);
    }

    const char *name = r.deck_name.len ? r.deck_name.data : default_name ? default_name : "";
    if (!deck->oom && alliance__deck_intern(deck, name, strlen(name), &deck->name) != 0)
        deck->oom = 1;
    /* A source a row cites that only another deck's header lists is listed for the row's deck too. */
    if (!deck->oom && alliance__deck_complete_sources(deck) != 0)
        deck->oom = 1;
    alliance__buf_free(&r.notetype);
    alliance__buf_free(&r.deck_name);
    alliance__buf_free(&r.last_name);
    alliance__buf_free(&r.global_tags);
    alliance__buf_free(&r.description);
    alliance__buf_free(&r.cells);
    return alliance__deck_result(deck);
}

/* ---- writer ---- */

static void put_field(alliance__sink *sink, const char *v, char sep)
{
    int quote = v[0] == '#' || strchr(v, sep) || strchr(v, '"') || strchr(v, '\n') || strchr(v, '\r');
    if (!quote) {
        alliance__sink_puts(sink, v);
        return;
    }
    alliance__sink_put(sink, "\"", 1);
    for (const char *q; (q = strchr(v, '"')) != NULL; v = q + 1) {
        alliance__sink_put(sink, v, (size_t)(q - v) + 1);
        alliance__sink_put(sink, "\"", 1);
    }
    alliance__sink_puts(sink, v);
    alliance__sink_put(sink, "\"", 1);
}

/* A header line's value cannot hold a line break: each line gets its own "#key:" line. */
static void put_header_lines(alliance__sink *sink, const char *key, const char *value)
{
    while (value && value[0]) {
        const char *nl = strchr(value, '\n');
        size_t n = nl ? (size_t)(nl - value) : strlen(value);
        alliance__sink_puts(sink, key);
        alliance__sink_put(sink, value, n);
        alliance__sink_put(sink, "\n", 1);
        value = nl ? nl + 1 : NULL;
    }
}

int alliance__anki_write_head(alliance__sink *sink, const alliance__deck_head *head, int html)
{
    alliance__sink_puts(sink, html ? "#separator:tab\n#html:true\n" : "#separator:tab\n#html:false\n");
    /* #deck: comes before #deck column: so that, in Anki, the column decides. */
    put_header_lines(sink, "#deck:", head->name);
    alliance__sink_puts(sink, "#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:9\n#columns:");
    for (size_t i = 0; i < sizeof our_columns / sizeof our_columns[0]; i++) {
        if (i)
            alliance__sink_put(sink, "\t", 1);
        alliance__sink_puts(sink, our_columns[i]);
    }
    alliance__sink_put(sink, "\n", 1);
    put_header_lines(sink, "#alliance description:", head->description);
    put_header_lines(sink, "#alliance source:", head->sources);
    return sink->rc;
}

int alliance__anki_write_deck_head(alliance__sink *sink, const alliance__deck_head *head)
{
    put_header_lines(sink, "#alliance deck:", head->name);
    put_header_lines(sink, "#alliance description:", head->description);
    put_header_lines(sink, "#alliance source:", head->sources);
    return sink->rc;
}

int alliance__anki_markup(const alliance__note_in *note)
{
    static const int fields[] = {ALLIANCE__F_FRONT, ALLIANCE__F_BACK, ALLIANCE__F_WRONG, ALLIANCE__F_SOURCE,
                                 ALLIANCE__F_QUOTE};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const char *v = note->field[fields[i]];
        if (v && alliance__html_is_markup(v, strlen(v)))
            return 1;
    }
    return 0;
}

int alliance__anki_write_note(alliance__sink *sink, const char *deck_name, const alliance__note_in *note, int html)
{
    const char *cols[COL_TAGS];
    alliance__buf tags = {0};
    const char *t = note->field[ALLIANCE__F_TAGS] ? note->field[ALLIANCE__F_TAGS] : "";
    if (note->type == ALLIANCE_CARD_CHOICE) {
        if (alliance__buf_printf(&tags, "%s%s%s", t, t[0] ? " " : "", ALLIANCE__ANKI_CHOICE_TAG) != 0) {
            sink->rc = sink->rc ? sink->rc : ALLIANCE_ENOMEM;
            return sink->rc;
        }
        t = tags.data;
    }
    alliance__buf guid = {0};
    if (alliance__anki_id_to_guid(&guid, note->id) != 0) {
        alliance__buf_free(&tags);
        alliance__buf_free(&guid);
        sink->rc = sink->rc ? sink->rc : ALLIANCE_ENOMEM;
        return sink->rc;
    }
    cols[COL_GUID - 1] = guid.data;
    cols[COL_NOTETYPE - 1] = note->type == ALLIANCE_CARD_CLOZE ? "Cloze" : "Basic";
    cols[COL_DECK - 1] = deck_name;
    cols[COL_FRONT - 1] = note->field[ALLIANCE__F_FRONT];
    cols[COL_BACK - 1] = note->field[ALLIANCE__F_BACK];
    cols[COL_WRONG - 1] = note->type == ALLIANCE_CARD_CHOICE ? note->field[ALLIANCE__F_WRONG] : "";
    cols[COL_SOURCE - 1] = note->field[ALLIANCE__F_SOURCE];
    cols[COL_QUOTE - 1] = note->field[ALLIANCE__F_QUOTE];
    cols[COL_TAGS - 1] = t;
    alliance__buf field = {0};
    for (int i = 0; i < COL_TAGS; i++) {
        const char *v = cols[i] ? cols[i] : "";
        /* In an HTML file a field of plain text is escaped, so that Anki shows it as it is. */
        if (html && i >= COL_FRONT - 1 && i <= COL_QUOTE - 1) {
            field.len = 0;
            if (alliance__html_field_out(&field, v, strlen(v)) != 0) {
                sink->rc = sink->rc ? sink->rc : ALLIANCE_ENOMEM;
                break;
            }
            v = field.data;
        }
        if (i)
            alliance__sink_put(sink, "\t", 1);
        put_field(sink, v, '\t');
    }
    alliance__sink_put(sink, "\n", 1);
    alliance__buf_free(&field);
    alliance__buf_free(&tags);
    alliance__buf_free(&guid);
    return sink->rc;
}
