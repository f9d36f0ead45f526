/* SPDX-License-Identifier: MIT */
/* deck_parse.c - the text of a .deck file -> an in-memory deck, with FILE:LINE:COLUMN errors. */
#include "deck/deck_parse.h"

#include "core/text.h"

#include <stdio.h>
#include <string.h>

enum key {
    K_DECK, K_DESCRIPTION, K_SOURCE, K_CARD, K_TYPE, K_FRONT, K_BACK, K_TEXT, K_EXTRA,
    K_QUESTION, K_ANSWER, K_WRONG, K_TAGS, K_QUOTE, K_COUNT
};

static const char *const key_names[K_COUNT] = {
    "deck", "description", "source", "card", "type", "front", "back", "text", "extra",
    "question", "answer", "wrong", "tags", "quote",
};
/* The key named by the k bytes at s, or K_COUNT: one switch instead of 14 comparisons a line. */
static enum key key_of(const char *s, size_t k)
{
#define IS(name) (k == sizeof name - 1 && memcmp(s, name, sizeof name - 1) == 0)
    switch (s[0]) {
    case 'a': return IS("answer") ? K_ANSWER : K_COUNT;
    case 'b': return IS("back") ? K_BACK : K_COUNT;
    case 'c': return IS("card") ? K_CARD : K_COUNT;
    case 'd': return IS("deck") ? K_DECK : IS("description") ? K_DESCRIPTION : K_COUNT;
    case 'e': return IS("extra") ? K_EXTRA : K_COUNT;
    case 'f': return IS("front") ? K_FRONT : K_COUNT;
    case 'q': return IS("question") ? K_QUESTION : IS("quote") ? K_QUOTE : K_COUNT;
    case 's': return IS("source") ? K_SOURCE : K_COUNT;
    case 't': return IS("type") ? K_TYPE : IS("text") ? K_TEXT : IS("tags") ? K_TAGS : K_COUNT;
    case 'w': return IS("wrong") ? K_WRONG : K_COUNT;
    default: return K_COUNT;
    }
#undef IS
}

/* One `key: value` of the block being read; its value lives in parser.values. */
typedef struct field {
    enum key key;
    uint32_t line;       /* line of the key */
    uint32_t column;     /* column where the value starts (just after ':' when empty) */
    size_t line_start;   /* offset of the key line in the input, to locate continued lines */
    size_t start, len;   /* the value in parser.values */
    int over;            /* the value limit was already reported */
} field;

enum block_kind { B_NONE, B_HEADER, B_CARD, B_SKIP };

/* A header holds deck, description and up to 256 sources; a card at most 11 keys + 16 wrong. */
#define MAX_FIELDS (2 + ALLIANCE__DECK_SOURCES_MAX)

typedef struct parser {
    alliance__deck *deck;
    const char *data;
    size_t len;
    enum block_kind kind;
    uint32_t block_line;
    int header_seen;         /* the first block was read */
    int current;             /* index of the field continuation lines extend, -1: none (dropped) */
    unsigned block_errors;   /* errors found in the current block */
    field fields[MAX_FIELDS];
    unsigned nfields;
    alliance__buf values;    /* the block's values, each NUL-terminated */
    alliance__buf scratch;
    alliance__buf tags;      /* a card's tags, normalised */
    int stop;                /* a limit that ends parsing was reached */
    int sources_over;        /* "more than 256 sources" was reported */
} parser;

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static void oom(parser *p)
{
    p->deck->oom = 1;
    p->stop = 1;
}

#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static void error_at(parser *p, uint32_t line, uint32_t column, int code, const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    alliance__deck_error(p->deck, line, column, code, "%s", message);
    p->block_errors++;
}

/* The card id for messages (the value of the block's `card:`), at most 64 bytes. */
static const char *block_id(const parser *p)
{
    if (p->kind == B_CARD && p->nfields > 0 && p->fields[0].key == K_CARD)
        return p->values.data + p->fields[0].start;
    return "";
}

static int find_field(const parser *p, enum key key)
{
    for (unsigned i = 0; i < p->nfields; i++)
        if (p->fields[i].key == key)
            return (int)i;
    return -1;
}

/* Where byte `offset` of a field's value came from. Continued lines are found again in the
 * input, skipping comments; only done for errors that are shown. */
static void locate(const parser *p, const field *f, size_t offset, uint32_t *line, uint32_t *column)
{
    const char *value = p->values.data + f->start;
    size_t k = 0, line_off = offset;
    for (size_t i = 0; i < offset && i < f->len; i++) {
        if (value[i] == '\n') {
            k++;
            line_off = offset - i - 1;
        }
    }
    if (k == 0) {
        *line = f->line;
        *column = f->column + (uint32_t)line_off;
        return;
    }
    size_t pos = f->line_start;
    uint32_t n = f->line;
    while (pos < p->len) {
        const char *nl = memchr(p->data + pos, '\n', p->len - pos);
        pos = nl ? (size_t)(nl - p->data) + 1 : p->len;
        n++;
        size_t fb = pos;
        while (fb < p->len && is_blank(p->data[fb]))
            fb++;
        if (fb < p->len && p->data[fb] == '#')
            continue;
        if (--k == 0) {
            *line = n;
            *column = (uint32_t)(fb - pos + 1 + line_off);
            return;
        }
    }
    *line = f->line;
    *column = f->column;
}

/* ---- the deck header ---- */

static void finish_header(parser *p)
{
    alliance__deck *deck = p->deck;
    int i = find_field(p, K_DECK);
    if (i < 0) {
        error_at(p, p->block_line, 1, ALLIANCE_EPARSE, "missing key 'deck' in the deck header");
    } else {
        const field *f = &p->fields[i];
        const char *name = p->values.data + f->start;
        size_t at = 0;
        const char *problem = alliance__text_check(ALLIANCE__TEXT_DECK_NAME, name, f->len, &at);
        if (f->len == 0) {
            error_at(p, f->line, f->column, ALLIANCE_EPARSE, "empty value for 'deck'");
        } else if (problem) {
            uint32_t line = f->line, column = f->column;
            locate(p, f, at, &line, &column);
            error_at(p, line, column, ALLIANCE_EPARSE, "invalid deck name: %s", problem);
        } else if (alliance__deck_intern(deck, name, f->len, &deck->name) != 0) {
            oom(p);
            return;
        }
    }
    i = find_field(p, K_DESCRIPTION);
    if (i >= 0) {
        const field *f = &p->fields[i];
        size_t at = 0;
        const char *problem = f->len ? alliance__text_lines_fit(p->values.data + f->start, f->len,
                                                                 sizeof "description: " - 1, 2, &at)
                                     : NULL;
        uint32_t line = f->line, column = f->column;
        if (f->len == 0) {
            error_at(p, f->line, f->column, ALLIANCE_EPARSE, "empty value for 'description'");
        } else if (problem) {
            locate(p, f, at, &line, &column);
            error_at(p, line, column, ALLIANCE_ELIMIT, "the description: %s", problem);
        } else if (alliance__deck_intern(deck, p->values.data + f->start, f->len, &deck->description) != 0) {
            oom(p);
        }
    }
    for (unsigned j = 0; j < p->nfields; j++) {
        const field *f = &p->fields[j];
        if (f->key != K_SOURCE)
            continue;
        const char *v = p->values.data + f->start;
        const char *bar = memchr(v, '|', f->len);
        if (f->len == 0) {
            error_at(p, f->line, f->column, ALLIANCE_EPARSE, "empty value for 'source'");
            continue;
        }
        if (!bar || memchr(v, '\n', f->len)) {
            error_at(p, f->line, f->column, ALLIANCE_EPARSE, "a header source is one line: 'FILE | TITLE'");
            continue;
        }
        size_t a = 0, b = (size_t)(bar - v);
        while (b > a && is_blank(v[b - 1]))
            b--;
        size_t t = (size_t)(bar - v) + 1, e = f->len;
        while (t < e && is_blank(v[t]))
            t++;
        int bad = (b == 0);
        for (size_t c = 0; c < b && !bad; c++)
            if (is_blank(v[c]))
                bad = 1;
        if (bad) {
            error_at(p, f->line, f->column, ALLIANCE_EPARSE,
                     "a header source is 'FILE | TITLE' with a FILE name without blanks");
            continue;
        }
        if (t == e) {
            error_at(p, f->line, f->column + (uint32_t)(bar - v), ALLIANCE_EPARSE,
                     "a header source is 'FILE | TITLE' with a non-empty TITLE");
            continue;
        }
        int rc = alliance__deck_add_source(deck, v, b, v + t, e - t);
        if (rc == ALLIANCE_EEXISTS)
            error_at(p, f->line, f->column, ALLIANCE_EPARSE, "source '%.*s' is listed twice in the deck header",
                     (int)(b > 64 ? 64 : b), v);
        else if (rc == ALLIANCE_ELIMIT)
            error_at(p, f->line, 1, ALLIANCE_ELIMIT, "more than %u sources in the deck header",
                     ALLIANCE__DECK_SOURCES_MAX);
        else if (rc)
            oom(p);
    }
}

/* ---- a card ---- */

typedef struct problem_ctx {
    parser *p;
    int field_of[ALLIANCE__F_COUNT];  /* index in p->fields, -1 if absent */
    int wrong_field[ALLIANCE__DECK_WRONG_MAX + 1];
    size_t wrong_start[ALLIANCE__DECK_WRONG_MAX + 1]; /* offset of each option in the joined text */
    unsigned nwrong;
} problem_ctx;

static void card_problem(void *ctx, int f, size_t offset, int code, const char *message)
{
    problem_ctx *pc = ctx;
    parser *p = pc->p;
    uint32_t line = p->block_line, column = 1;
    /* Positions are only worth finding for the errors that are shown. */
    if (p->deck->error_count < ALLIANCE__DECK_ERRORS_SHOWN && f >= 0) {
        int i = pc->field_of[f];
        if (f == ALLIANCE__F_WRONG) {
            unsigned k = 0;
            while (k + 1 < pc->nwrong && pc->wrong_start[k + 1] <= offset)
                k++;
            i = pc->nwrong ? pc->wrong_field[k] : -1;
            offset -= pc->nwrong ? pc->wrong_start[k] : offset;
        }
        if (i >= 0)
            locate(p, &p->fields[i], offset, &line, &column);
    }
    error_at(p, line, column, code, "%s", message);
}

/* Keys each type uses, besides card, type, tags, source and quote. */
static int key_fits_type(enum key key, uint32_t type)
{
    switch (key) {
    case K_FRONT: case K_BACK: return type == ALLIANCE_CARD_BASIC;
    case K_TEXT: case K_EXTRA: return type == ALLIANCE_CARD_CLOZE;
    case K_QUESTION: case K_ANSWER: case K_WRONG: return type == ALLIANCE_CARD_CHOICE;
    default: return 1;
    }
}

static int field_index(enum key key)
{
    switch (key) {
    case K_CARD: return ALLIANCE__F_ID;
    case K_FRONT: case K_TEXT: case K_QUESTION: return ALLIANCE__F_FRONT;
    case K_BACK: case K_EXTRA: case K_ANSWER: return ALLIANCE__F_BACK;
    case K_WRONG: return ALLIANCE__F_WRONG;
    case K_TAGS: return ALLIANCE__F_TAGS;
    case K_SOURCE: return ALLIANCE__F_SOURCE;
    case K_QUOTE: return ALLIANCE__F_QUOTE;
    default: return -1;
    }
}

static void store_card(parser *p, uint32_t type, const problem_ctx *pc)
{
    alliance__deck *deck = p->deck;
    alliance__deck_note note;
    memset(&note, 0, sizeof note);
    note.type = type;
    note.line = p->block_line;
    for (int f = 0; f < ALLIANCE__F_COUNT; f++) {
        int rc = 0;
        if (f == ALLIANCE__F_WRONG) {
            if (pc->nwrong)
                rc = alliance__deck_intern(deck, p->scratch.data, p->scratch.len, &note.field[f]);
        } else if (f == ALLIANCE__F_TAGS && pc->field_of[f] >= 0) {
            const field *fl = &p->fields[pc->field_of[f]];
            p->tags.len = 0; /* one buffer for every card's tags */
            rc = alliance__tags_normalise(&p->tags, p->values.data + fl->start, fl->len);
            if (!rc)
                rc = alliance__deck_intern(deck, p->tags.data, p->tags.len, &note.field[f]);
        } else if (pc->field_of[f] >= 0) {
            const field *fl = &p->fields[pc->field_of[f]];
            rc = alliance__deck_intern(deck, p->values.data + fl->start, fl->len, &note.field[f]);
        }
        if (rc == ALLIANCE_ELIMIT) {
            error_at(p, p->block_line, 1, ALLIANCE_ELIMIT, "the deck is too large to hold in memory");
            p->stop = 1;
            return;
        }
        if (rc) {
            oom(p);
            return;
        }
    }
    const alliance__deck_note *first = NULL;
    int rc = alliance__deck_add(deck, &note, &first);
    if (rc == ALLIANCE_EEXISTS) {
        const field *id = &p->fields[0];
        error_at(p, id->line, id->column, ALLIANCE_EPARSE, "duplicate card id '%.64s' (first on line %u)",
                 block_id(p), (unsigned)first->line);
    } else if (rc == ALLIANCE_ELIMIT) {
        error_at(p, p->block_line, 1, ALLIANCE_ELIMIT, "more than %u cards in the deck",
                 ALLIANCE__DECK_CARDS_MAX);
        p->stop = 1;
    } else if (rc) {
        oom(p);
    }
}

static void finish_card(parser *p)
{
    const char *id = block_id(p);
    uint32_t type = 0;
    int t = find_field(p, K_TYPE);
    if (t < 0) {
        error_at(p, p->block_line, 1, ALLIANCE_EPARSE, "missing key 'type' in card '%.64s'", id);
    } else {
        const field *f = &p->fields[t];
        const char *v = p->values.data + f->start;
        if (strcmp(v, "basic") == 0)
            type = ALLIANCE_CARD_BASIC;
        else if (strcmp(v, "cloze") == 0)
            type = ALLIANCE_CARD_CLOZE;
        else if (strcmp(v, "choice") == 0)
            type = ALLIANCE_CARD_CHOICE;
        else if (f->len == 0)
            error_at(p, f->line, f->column, ALLIANCE_EPARSE, "empty value for 'type' in card '%.64s'", id);
        else
            error_at(p, f->line, f->column, ALLIANCE_EPARSE,
                     "unknown type '%.32s' in card '%.64s' (basic, cloze or choice)", v, id);
    }

    problem_ctx pc;
    alliance__note_in in;
    memset(&in, 0, sizeof in);
    for (int f = 0; f < ALLIANCE__F_COUNT; f++)
        pc.field_of[f] = -1;
    pc.p = p;
    pc.nwrong = 0;
    p->scratch.len = 0;
    for (unsigned i = 0; i < p->nfields; i++) {
        const field *f = &p->fields[i];
        if (type && !key_fits_type(f->key, type)) {
            error_at(p, f->line, 1, ALLIANCE_EPARSE, "key '%s' does not belong to a %s card ('%.64s')",
                     key_names[f->key], alliance__type_name(type), id);
            continue;
        }
        int fi = field_index(f->key);
        if (fi < 0)
            continue;
        if (f->key == K_WRONG) {
            if (memchr(p->values.data + f->start, '\n', f->len)) {
                error_at(p, f->line, f->column, ALLIANCE_EPARSE, "a 'wrong' option is one line (card '%.64s')",
                         id);
                continue;
            }
            pc.wrong_field[pc.nwrong] = (int)i;
            pc.wrong_start[pc.nwrong] = p->scratch.len;
            pc.nwrong++;
            if ((p->scratch.len && alliance__buf_append(&p->scratch, "\n", 1) != 0) ||
                alliance__buf_append(&p->scratch, p->values.data + f->start, f->len) != 0) {
                oom(p);
                return;
            }
            if (pc.nwrong > 1)
                pc.wrong_start[pc.nwrong - 1]++; /* past the '\n' */
            pc.field_of[fi] = (int)i;
            continue;
        }
        pc.field_of[fi] = (int)i;
        in.field[fi] = p->values.data + f->start;
    }
    if (pc.nwrong)
        in.field[ALLIANCE__F_WRONG] = p->scratch.data;
    in.type = type;
    in.id = p->values.data + p->fields[0].start;
    alliance__note_check(&in, p->deck, ALLIANCE__CHECK_EMPTY_OPTIONAL | ALLIANCE__CHECK_BYTES_DONE, card_problem, &pc);
    if (p->block_errors == 0)
        store_card(p, type, &pc);
}

static void end_block(parser *p)
{
    if (p->kind == B_HEADER)
        finish_header(p);
    else if (p->kind == B_CARD)
        finish_card(p);
    p->kind = B_NONE;
    p->nfields = 0;
    p->current = -1;
    p->block_errors = 0;
    p->values.len = 0;
    if (p->values.data)
        p->values.data[0] = '\0';
}

/* ---- lines ---- */

static void key_line(parser *p, size_t pos, size_t end, uint32_t lineno)
{
    const char *s = p->data + pos;
    size_t n = end - pos, k = 0;
    while (k < n && ((s[k] >= 'a' && s[k] <= 'z') || s[k] == '-'))
        k++;
    int starts_block = (p->kind == B_NONE);
    if (starts_block)
        p->block_line = lineno;
    if (k == 0 || k == n || s[k] != ':') {
        error_at(p, lineno, (uint32_t)(k == 0 ? 1 : k + 1), ALLIANCE_EPARSE,
                 "expected 'key: value' (a key is lower-case letters and '-' followed by ':')");
        if (starts_block) {
            p->kind = B_SKIP;
            p->header_seen = 1;
        }
        p->current = -1;
        return;
    }
    enum key key = key_of(s, k);

    if (starts_block) {
        if (!p->header_seen) {
            p->header_seen = 1;
            if (key == K_CARD) {
                error_at(p, lineno, 1, ALLIANCE_EPARSE, "missing deck header: the first block must have 'deck:'");
                p->block_errors = 0; /* the card itself may still be fine */
                p->kind = B_CARD;
            } else {
                p->kind = B_HEADER;
            }
        } else if (key == K_CARD) {
            p->kind = B_CARD;
        } else {
            error_at(p, lineno, 1, ALLIANCE_EPARSE, "a card must start with 'card:', not '%.*s:'",
                     (int)(k > 32 ? 32 : k), s);
            p->kind = B_SKIP;
        }
    }
    p->current = -1;
    if (p->kind == B_SKIP)
        return;

    int allowed = p->kind == B_HEADER ? (key == K_DECK || key == K_DESCRIPTION || key == K_SOURCE)
                                      : (key != K_DECK && key != K_DESCRIPTION && key != K_COUNT);
    if (!allowed) {
        if (p->kind == B_HEADER)
            error_at(p, lineno, 1, ALLIANCE_EPARSE, "unknown key '%.*s' in the deck header", (int)(k > 32 ? 32 : k),
                     s);
        else
            error_at(p, lineno, 1, ALLIANCE_EPARSE, "unknown key '%.*s' in card '%.64s'", (int)(k > 32 ? 32 : k), s,
                     block_id(p));
        return;
    }
    int repeatable = (p->kind == B_HEADER && key == K_SOURCE) || key == K_WRONG;
    if (!repeatable) {
        int first = find_field(p, key);
        if (first >= 0) {
            if (p->kind == B_HEADER)
                error_at(p, lineno, 1, ALLIANCE_EPARSE, "repeated key '%s' in the deck header (first on line %u)",
                         key_names[key], (unsigned)p->fields[first].line);
            else
                error_at(p, lineno, 1, ALLIANCE_EPARSE, "repeated key '%s' in card '%.64s' (first on line %u)",
                         key_names[key], block_id(p), (unsigned)p->fields[first].line);
            return;
        }
    } else {
        unsigned count = 0;
        for (unsigned i = 0; i < p->nfields; i++)
            count += p->fields[i].key == key;
        unsigned max = key == K_WRONG ? ALLIANCE__DECK_WRONG_MAX : ALLIANCE__DECK_SOURCES_MAX;
        if (count >= max) {
            if (key == K_WRONG)
                error_at(p, lineno, 1, ALLIANCE_ELIMIT, "more than %u 'wrong' options in card '%.64s'", max,
                         block_id(p));
            else if (!p->sources_over) /* once, not for every further source */
                error_at(p, lineno, 1, ALLIANCE_ELIMIT, "more than %u sources in the deck header", max);
            if (key == K_SOURCE)
                p->sources_over = 1;
            return;
        }
    }
    if (p->nfields >= MAX_FIELDS)
        return; /* cannot happen: every key is bounded above */

    size_t v = k + 1, e = n;
    while (v < e && is_blank(s[v]))
        v++;
    while (e > v && is_blank(s[e - 1]))
        e--;
    field *f = &p->fields[p->nfields];
    f->key = key;
    f->line = lineno;
    f->column = (uint32_t)(v < e ? v + 1 : k + 2);
    f->line_start = pos;
    f->over = 0;
    /* Each value ends with a NUL so that the checks can use it as a string. */
    if (p->nfields > 0 && alliance__buf_append(&p->values, "", 1) != 0) {
        oom(p);
        return;
    }
    f->start = p->values.len;
    f->len = e - v;
    if (alliance__buf_append(&p->values, s + v, e - v) != 0) {
        oom(p);
        return;
    }
    p->current = (int)p->nfields;
    p->nfields++;
}

static void continuation_line(parser *p, size_t pos, size_t fb, size_t end, uint32_t lineno)
{
    if (p->kind == B_NONE) {
        error_at(p, lineno, 1, ALLIANCE_EPARSE, "a continuation line (starting with a blank) cannot start a block");
        p->kind = B_SKIP;
        p->header_seen = 1;
        return;
    }
    if (p->current < 0)
        return; /* continues a line that was already reported */
    field *f = &p->fields[p->current];
    if (f->over)
        return;
    size_t e = end;
    while (e > fb && is_blank(p->data[e - 1]))
        e--;
    /* A value whose first line is empty ("front:" then "  text") starts with its text: blank
     * lines are dropped, as alliance__value_normalise (note_add, the Anki reader) does. */
    size_t sep = f->len ? 1 : 0;
    if (f->len + sep + (e - fb) > ALLIANCE__DECK_VALUE_MAX) {
        f->over = 1;
        error_at(p, lineno, (uint32_t)(fb - pos + 1), ALLIANCE_ELIMIT, "the value of '%s' is over 1 MiB",
                 key_names[f->key]);
        return;
    }
    if (alliance__buf_append(&p->values, "\n", sep) != 0 ||
        alliance__buf_append(&p->values, p->data + fb, e - fb) != 0) {
        oom(p);
        return;
    }
    f->len += sep + (e - fb);
}

int alliance__deck_parse(alliance__deck *deck, const char *data, size_t len)
{
    if (len > ALLIANCE__DECK_FILE_MAX) {
        alliance__deck_error(deck, 1, 1, ALLIANCE_ELIMIT, "the file is over 64 MiB (%zu bytes)", len);
        return alliance__deck_result(deck);
    }
    if (len && !data) {
        alliance__deck_error(deck, 1, 1, ALLIANCE_EPARSE, "no data");
        return alliance__deck_result(deck);
    }
    parser p;
    memset(&p, 0, sizeof p);
    p.deck = deck;
    p.data = data;
    p.len = len;
    p.current = -1;
    /* The arena's offset 0 must exist before any note refers to it. */
    uint32_t empty;
    if (alliance__deck_intern(deck, "", 0, &empty) != 0)
        oom(&p);

    size_t pos = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    uint32_t lineno = 0;
    while (pos < len && !p.stop) {
        lineno++;
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - data) : len;
        size_t next = nl ? end + 1 : len;
        if (end > pos && data[end - 1] == '\r')
            end--;
        size_t n = end - pos;
        if (n > ALLIANCE__DECK_VALUE_MAX) {
            /* Over the limit: reported and skipped, so nothing is held for it. */
            alliance__deck_error(deck, lineno, (uint32_t)ALLIANCE__DECK_VALUE_MAX + 1, ALLIANCE_ELIMIT,
                                 "the line is over 1 MiB");
            p.block_errors++;
            p.current = -1;
            pos = next;
            continue;
        }
        /* The text rule's bytes (core/text.h), line by line so that the error has its place:
         * strict UTF-8, no NUL, no CR but the line end's. */
        size_t bad = 0;
        const char *problem = alliance__text_check(ALLIANCE__TEXT_BYTES, data + pos, n, &bad);
        if (problem)
            error_at(&p, lineno, (uint32_t)bad + 1, ALLIANCE_EPARSE, "%s", problem);
        const char *cr = problem ? memchr(data + pos, '\r', n) : NULL; /* no problem: no CR */
        if (cr)
            end = (size_t)(cr - data); /* reported once here, not again by the note's checks */

        size_t fb = pos;
        while (fb < end && is_blank(data[fb]))
            fb++;
        if (fb == end)
            end_block(&p);
        else if (data[fb] == '#')
            ; /* a comment: skipped, it neither ends a block nor interrupts a value */
        else if (fb > pos)
            continuation_line(&p, pos, fb, end, lineno);
        else
            key_line(&p, pos, end, lineno);
        pos = next;
    }
    if (!p.stop)
        end_block(&p);
    if (!p.stop && !p.header_seen)
        alliance__deck_error(deck, 1, 1, ALLIANCE_EPARSE, "missing deck header: the file has no 'deck:' line");
    alliance__buf_free(&p.values);
    alliance__buf_free(&p.scratch);
    alliance__buf_free(&p.tags);
    return alliance__deck_result(deck);
}
