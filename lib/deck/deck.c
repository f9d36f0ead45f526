/* SPDX-License-Identifier: MIT */
/* deck.c - the in-memory deck (arena, id set, sources, errors) and one note's rules. */
#include "deck/deck.h"

#include "core/cloze.h"
#include "core/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void alliance__deck_init(alliance__deck *deck, const char *file)
{
    memset(deck, 0, sizeof *deck);
    deck->file = file ? file : "(deck)";
}

void alliance__deck_free(alliance__deck *deck)
{
    alliance__buf_free(&deck->strings);
    alliance__buf_free(&deck->errors);
    alliance__free(deck->notes);
    alliance__free(deck->id_set);
    alliance__free(deck->more);
    alliance__free(deck->holds);
    deck->holds = NULL;
    deck->hold_count = deck->hold_cap = 0;
    deck->notes = NULL;
    deck->id_set = NULL;
    deck->more = NULL;
    deck->note_count = deck->note_cap = deck->id_set_cap = 0;
    deck->more_count = deck->more_cap = 0;
}

int alliance__deck_result(const alliance__deck *deck)
{
    if (deck->oom)
        return ALLIANCE_ENOMEM;
    if (deck->limit_hit)
        return ALLIANCE_ELIMIT;
    return deck->error_count ? ALLIANCE_EPARSE : ALLIANCE_OK;
}

/* A message quotes the input, which may hold anything: escape line breaks, other
 * control bytes and bytes that are not UTF-8 (also a sequence cut by a %.64s) as
 * \n, \r, \xNN, so that each error stays one line of valid UTF-8. */
static void escape_message(char *out, size_t size, const char *in)
{
    static const char hex[] = "0123456789abcdef";
    size_t len = strlen(in), o = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)in[i];
        size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        if (c >= 0x80 && i + n <= len && alliance__utf8_check(in + i, n) == n) {
            if (o + n >= size)
                break;
            memcpy(out + o, in + i, n);
            o += n;
            i += n;
            continue;
        }
        if (o + 4 >= size)
            break;
        if (c == '\n' || c == '\r') {
            out[o++] = '\\';
            out[o++] = c == '\n' ? 'n' : 'r';
        } else if (c >= 0x80 || (c < 0x20 && c != '\t') || c == 0x7F) {
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 0xF];
        } else {
            out[o++] = (char)c;
        }
        i++;
    }
    out[o] = '\0';
}

void alliance__deck_error(alliance__deck *deck, uint32_t line, uint32_t column, int code, const char *fmt, ...)
{
    if (code == ALLIANCE_ELIMIT)
        deck->limit_hit = 1;
    else if (code == ALLIANCE_ENOMEM)
        deck->oom = 1;
    if (deck->error_count < UINT32_MAX)
        deck->error_count++;
    if (deck->error_count > ALLIANCE__DECK_ERRORS_SHOWN)
        return;
    char raw[512], message[4 * sizeof raw];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    escape_message(message, sizeof message, raw);
    /* Out of memory while recording an error: the count still says something went wrong. */
    if (alliance__buf_printf(&deck->errors, "%s:%u:%u: %s\n", deck->file, (unsigned)line, (unsigned)column,
                             message) != 0)
        deck->oom = 1;
}

int alliance__note_tags(const alliance__deck *deck, const alliance__deck_note *note, alliance__buf *out)
{
    const char *own = alliance__note_str(deck, note, ALLIANCE__F_TAGS);
    const char *all = alliance__deck_str(deck, deck->tags);
    out->len = 0;
    int rc = alliance__buf_puts(out, own);
    if (!rc && own[0] && all[0])
        rc = alliance__buf_append(out, " ", 1);
    if (!rc)
        rc = alliance__buf_puts(out, all);
    return rc;
}

int alliance__deck_intern(alliance__deck *deck, const char *s, size_t len, uint32_t *out)
{
    if (deck->strings.len == 0) {
        /* Offset 0 is the shared empty string. */
        if (alliance__buf_append(&deck->strings, "", 1) != 0)
            return ALLIANCE_ENOMEM;
    }
    if (len == 0) {
        *out = 0;
        return ALLIANCE_OK;
    }
    if (deck->strings.len + len + 1 > UINT32_MAX)
        return ALLIANCE_ELIMIT;
    uint32_t offset = (uint32_t)deck->strings.len;
    /* s may point into the arena itself, which appending may move: copy it aside first. */
    alliance__buf copy = {0};
    if (s >= deck->strings.data && s < deck->strings.data + deck->strings.len) {
        if (alliance__buf_append(&copy, s, len) != 0)
            return ALLIANCE_ENOMEM;
        s = copy.data;
    }
    int rc = alliance__buf_append(&deck->strings, s, len);
    if (!rc)
        rc = alliance__buf_append(&deck->strings, "", 1);
    alliance__buf_free(&copy);
    if (rc)
        return ALLIANCE_ENOMEM;
    *out = offset;
    return ALLIANCE_OK;
}

/* FNV-1a: the ids are short and this is not exposed to anyone choosing collisions on purpose
 * beyond a slower load of their own file. */
static uint32_t hash_id(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

const alliance__deck_note *alliance__deck_find(const alliance__deck *deck, const char *id)
{
    if (!deck->id_set_cap)
        return NULL;
    uint32_t mask = deck->id_set_cap - 1;
    for (uint32_t i = hash_id(id) & mask;; i = (i + 1) & mask) {
        uint32_t slot = deck->id_set[i];
        if (!slot)
            return NULL;
        const alliance__deck_note *n = &deck->notes[slot - 1];
        if (strcmp(alliance__note_str(deck, n, ALLIANCE__F_ID), id) == 0)
            return n;
    }
}

static void id_set_insert(uint32_t *set, uint32_t cap, uint32_t hash, uint32_t value)
{
    uint32_t mask = cap - 1;
    uint32_t i = hash & mask;
    while (set[i])
        i = (i + 1) & mask;
    set[i] = value;
}

int alliance__deck_add(alliance__deck *deck, const alliance__deck_note *note,
                       const alliance__deck_note **out_first)
{
    const char *id = alliance__deck_str(deck, note->field[ALLIANCE__F_ID]);
    const alliance__deck_note *first = alliance__deck_find(deck, id);
    if (first) {
        if (out_first)
            *out_first = first;
        return ALLIANCE_EEXISTS;
    }
    if (deck->note_count >= ALLIANCE__DECK_CARDS_MAX)
        return ALLIANCE_ELIMIT;
    if (deck->note_count == deck->note_cap) {
        uint32_t cap = deck->note_cap ? deck->note_cap * 2 : 64;
        if (cap > ALLIANCE__DECK_CARDS_MAX)
            cap = ALLIANCE__DECK_CARDS_MAX;
        alliance__deck_note *notes = alliance__realloc(deck->notes, (size_t)cap * sizeof *notes);
        if (!notes)
            return ALLIANCE_ENOMEM;
        deck->notes = notes;
        deck->note_cap = cap;
    }
    /* Keep the id set at most half full. */
    if ((deck->note_count + 1) * 2 > deck->id_set_cap) {
        uint32_t cap = deck->id_set_cap ? deck->id_set_cap * 2 : 128;
        uint32_t *set = alliance__calloc(cap, sizeof *set);
        if (!set)
            return ALLIANCE_ENOMEM;
        for (uint32_t i = 0; i < deck->note_count; i++)
            id_set_insert(set, cap, hash_id(alliance__note_str(deck, &deck->notes[i], ALLIANCE__F_ID)), i + 1);
        alliance__free(deck->id_set);
        deck->id_set = set;
        deck->id_set_cap = cap;
    }
    deck->notes[deck->note_count] = *note;
    deck->note_count++;
    id_set_insert(deck->id_set, deck->id_set_cap, hash_id(id), deck->note_count);
    return ALLIANCE_OK;
}

alliance__deck_entry alliance__deck_entry_at(const alliance__deck *deck, uint32_t index)
{
    if (index == 0 || index > deck->more_count) {
        alliance__deck_entry e = {deck->name, deck->description, deck->sources};
        return e;
    }
    return deck->more[index - 1];
}

void alliance__deck_set_description(alliance__deck *deck, uint32_t index, uint32_t description)
{
    if (index == 0)
        deck->description = description;
    else if (index <= deck->more_count)
        deck->more[index - 1].description = description;
}

int alliance__deck_more(alliance__deck *deck, const char *name, size_t len, uint32_t *out_index)
{
    for (uint32_t i = 0; i < deck->more_count; i++) {
        const char *known = alliance__deck_str(deck, deck->more[i].name);
        if (strlen(known) == len && memcmp(known, name, len) == 0) {
            *out_index = i + 1;
            return ALLIANCE_OK;
        }
    }
    if (deck->more_count + 1 >= ALLIANCE__DECK_DECKS_MAX)
        return ALLIANCE_ELIMIT;
    if (deck->more_count == deck->more_cap) {
        uint32_t cap = deck->more_cap ? deck->more_cap * 2 : 8;
        alliance__deck_entry *more = alliance__realloc(deck->more, (size_t)cap * sizeof *more);
        if (!more)
            return ALLIANCE_ENOMEM;
        deck->more = more;
        deck->more_cap = cap;
    }
    alliance__deck_entry e = {0, 0, 0};
    int rc = alliance__deck_intern(deck, name, len, &e.name);
    if (rc)
        return rc;
    deck->more[deck->more_count++] = e;
    *out_index = deck->more_count;
    return ALLIANCE_OK;
}

int alliance__deck_add_source_to(alliance__deck *deck, uint32_t index, const char *file, size_t file_len,
                                 const char *title, size_t title_len)
{
    for (uint32_t i = 0; i < deck->source_count; i++) {
        const char *known = alliance__deck_str(deck, deck->source_file[i]);
        if (deck->source_deck[i] == index && strlen(known) == file_len && memcmp(known, file, file_len) == 0)
            return ALLIANCE_EEXISTS;
    }
    if (deck->source_count >= ALLIANCE__DECK_SOURCES_MAX)
        return ALLIANCE_ELIMIT;
    /* The joined "FILE | TITLE\n..." text is rebuilt whole: at most 256 short lines. */
    uint32_t *sources = index == 0 ? &deck->sources : &deck->more[index - 1].sources;
    alliance__buf joined = {0};
    int rc = 0;
    if (*sources)
        rc = alliance__buf_printf(&joined, "%s\n", alliance__deck_str(deck, *sources));
    if (!rc)
        rc = alliance__buf_append(&joined, file, file_len);
    if (!rc)
        rc = alliance__buf_puts(&joined, " | ");
    if (!rc)
        rc = alliance__buf_append(&joined, title, title_len);
    uint32_t file_off = 0, title_off = 0, joined_off = 0;
    if (!rc)
        rc = alliance__deck_intern(deck, file, file_len, &file_off);
    if (!rc)
        rc = alliance__deck_intern(deck, title, title_len, &title_off);
    if (!rc)
        rc = alliance__deck_intern(deck, joined.data, joined.len, &joined_off);
    alliance__buf_free(&joined);
    if (rc)
        return rc;
    deck->source_file[deck->source_count] = file_off;
    deck->source_title[deck->source_count] = title_off;
    deck->source_deck[deck->source_count] = index;
    deck->source_count++;
    sources = index == 0 ? &deck->sources : &deck->more[index - 1].sources; /* interning never moves `more` */
    *sources = joined_off;
    return ALLIANCE_OK;
}

int alliance__deck_add_source(alliance__deck *deck, const char *file, size_t file_len,
                              const char *title, size_t title_len)
{
    return alliance__deck_add_source_to(deck, 0, file, file_len, title, title_len);
}

int alliance__deck_has_source(const alliance__deck *deck, const char *file)
{
    for (uint32_t i = 0; i < deck->source_count; i++)
        if (strcmp(alliance__deck_str(deck, deck->source_file[i]), file) == 0)
            return 1;
    return 0;
}

int alliance__deck_complete_sources(alliance__deck *deck)
{
    if (deck->more_count == 0)
        return ALLIANCE_OK;
    for (uint32_t n = 0; n < deck->note_count; n++) {
        const alliance__deck_note *note = &deck->notes[n];
        const char *src = alliance__note_str(deck, note, ALLIANCE__F_SOURCE);
        if (!src[0])
            continue;
        int own = 0;
        uint32_t other = UINT32_MAX;
        for (uint32_t i = 0; i < deck->source_count && !own; i++) {
            if (strcmp(alliance__deck_str(deck, deck->source_file[i]), src) != 0)
                continue;
            if (deck->source_deck[i] == note->deck)
                own = 1;
            else if (other == UINT32_MAX)
                other = i;
        }
        if (own || other == UINT32_MAX)
            continue;
        /* Copied out first: adding interns into the arena, which may move. */
        alliance__buf file = {0}, title = {0};
        int rc = alliance__buf_puts(&file, src);
        if (!rc)
            rc = alliance__buf_puts(&title, alliance__deck_str(deck, deck->source_title[other]));
        if (!rc)
            rc = alliance__deck_add_source_to(deck, deck->notes[n].deck, file.data, file.len, title.data, title.len);
        alliance__buf_free(&file);
        alliance__buf_free(&title);
        if (rc)
            return rc;
    }
    return ALLIANCE_OK;
}

/* ---- one note's rules ---- */

const char *alliance__type_name(uint32_t type)
{
    switch (type) {
    case ALLIANCE_CARD_BASIC: return "basic";
    case ALLIANCE_CARD_CLOZE: return "cloze";
    case ALLIANCE_CARD_CHOICE: return "choice";
    default: return "?";
    }
}

const char *alliance__field_key(uint32_t type, int field)
{
    switch (field) {
    case ALLIANCE__F_ID: return "card";
    case ALLIANCE__F_FRONT:
        return type == ALLIANCE_CARD_CLOZE ? "text" : type == ALLIANCE_CARD_CHOICE ? "question" : "front";
    case ALLIANCE__F_BACK:
        return type == ALLIANCE_CARD_CLOZE ? "extra" : type == ALLIANCE_CARD_CHOICE ? "answer" : "back";
    case ALLIANCE__F_WRONG: return "wrong";
    case ALLIANCE__F_TAGS: return "tags";
    case ALLIANCE__F_SOURCE: return "source";
    case ALLIANCE__F_QUOTE: return "quote";
    default: return "?";
    }
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

typedef struct checker {
    const alliance__note_in *note;
    alliance__note_problem_fn problem;
    void *ctx;
    unsigned count;
    char shown_id[ALLIANCE__DECK_ID_MAX + 1]; /* the id as messages quote it (an invalid one cut at 64 bytes) */
} checker;

#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static void report(checker *c, int field, size_t offset, int code, const char *fmt, ...)
{
    char message[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    c->problem(c->ctx, field, offset, code, message);
    c->count++;
}

/* Returns 1 if the id is valid, else reports why: the rule is the text rule's
 * (ALLIANCE__TEXT_CARD_ID, core/text.c: any GUID Anki can write, docs/deck-format.md). */
static int check_id(checker *c, const char *id)
{
    size_t len = strlen(id), offset = 0;
    if (len == 0) {
        report(c, ALLIANCE__F_ID, 0, ALLIANCE_EPARSE, "empty value for 'card'");
        return 0;
    }
    const char *problem = alliance__text_check(ALLIANCE__TEXT_CARD_ID, id, len, &offset);
    if (problem) {
        report(c, ALLIANCE__F_ID, offset, ALLIANCE_EPARSE, "invalid card id: %s", problem);
        return 0;
    }
    return 1;
}

static int required(uint32_t type, int field)
{
    switch (field) {
    case ALLIANCE__F_FRONT: return 1;
    case ALLIANCE__F_BACK: return type != ALLIANCE_CARD_CLOZE;
    case ALLIANCE__F_WRONG: return type == ALLIANCE_CARD_CHOICE;
    default: return 0;
    }
}

static void check_cloze(checker *c, const char *text)
{
    uint8_t seen[ALLIANCE__CLOZE_MAX + 1];
    uint32_t distinct = 0;
    size_t offset = 0;
    const char *message = NULL;
    if (alliance__cloze_scan(text, strlen(text), seen, &distinct, &offset, &message) != 0)
        report(c, ALLIANCE__F_FRONT, offset, ALLIANCE_EPARSE, "%s in card '%s'", message, c->shown_id);
    else if (distinct == 0)
        report(c, ALLIANCE__F_FRONT, 0, ALLIANCE_EPARSE, "cloze text of card '%s' has no deletion {{c1::...}}",
               c->shown_id);
}

static void check_wrong(checker *c, const char *wrong, const char *answer)
{
    unsigned n = 0;
    const char *line = wrong;
    for (;;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        n++;
        if (n == ALLIANCE__DECK_WRONG_MAX + 1) {
            report(c, ALLIANCE__F_WRONG, (size_t)(line - wrong), ALLIANCE_ELIMIT,
                   "more than %u 'wrong' options in card '%s'", ALLIANCE__DECK_WRONG_MAX, c->shown_id);
            return;
        }
        if (len == 0)
            report(c, ALLIANCE__F_WRONG, (size_t)(line - wrong), ALLIANCE_EPARSE,
                   "empty value for 'wrong' in card '%s'", c->shown_id);
        else if (answer && strlen(answer) == len && memcmp(answer, line, len) == 0)
            report(c, ALLIANCE__F_WRONG, (size_t)(line - wrong), ALLIANCE_EPARSE,
                   "a 'wrong' option of card '%s' is the answer", c->shown_id);
        if (!end)
            return;
        line = end + 1;
    }
}

unsigned alliance__note_check(const alliance__note_in *note, const alliance__deck *deck, unsigned flags,
                              alliance__note_problem_fn problem, void *ctx)
{
    checker c = {note, problem, ctx, 0, ""};
    if (!note->id) {
        report(&c, -1, 0, ALLIANCE_EPARSE, "a note without an id");
    } else {
        int valid = check_id(&c, note->id);
        /* A valid id fits (at most ALLIANCE__DECK_ID_MAX bytes); an invalid one is cut at 64. */
        size_t n = strnlen(note->id, valid ? sizeof c.shown_id - 1 : 64);
        memcpy(c.shown_id, note->id, n);
        c.shown_id[n] = '\0';
    }
    uint32_t type = note->type;
    if (type != ALLIANCE_CARD_BASIC && type != ALLIANCE_CARD_CLOZE && type != ALLIANCE_CARD_CHOICE)
        return c.count; /* the caller reports a missing or unknown type in its own terms */

    for (int f = ALLIANCE__F_FRONT; f < ALLIANCE__F_COUNT; f++) {
        const char *value = note->field[f];
        const char *key = alliance__field_key(type, f);
        if (!value) {
            if (required(type, f))
                report(&c, -1, 0, ALLIANCE_EPARSE, "missing key '%s' in card '%s'", key, c.shown_id);
            continue;
        }
        if (f == ALLIANCE__F_WRONG && type != ALLIANCE_CARD_CHOICE) {
            if (value[0])
                report(&c, f, 0, ALLIANCE_EPARSE, "key 'wrong' does not belong to a %s card",
                       alliance__type_name(type));
            continue;
        }
        if (!value[0]) {
            if (required(type, f) || (flags & ALLIANCE__CHECK_EMPTY_OPTIONAL))
                report(&c, f, 0, ALLIANCE_EPARSE, "empty value for '%s' in card '%s'", key, c.shown_id);
            continue;
        }
        size_t len = strlen(value);
        if (len > ALLIANCE__DECK_VALUE_MAX) {
            report(&c, f, ALLIANCE__DECK_VALUE_MAX, ALLIANCE_ELIMIT, "value of '%s' in card '%s' is over 1 MiB",
                   key, c.shown_id);
            continue;
        }
        /* The text rule (core/text.h): what passes can be written to a file and read back. */
        size_t offset = 0;
        const char *wrong_text = alliance__text_check(
            flags & ALLIANCE__CHECK_BYTES_DONE ? ALLIANCE__TEXT_VALUE_LINES : ALLIANCE__TEXT_VALUE, value, len,
            &offset);
        if (wrong_text) {
            report(&c, f, offset, ALLIANCE_EPARSE, "the value of '%s' in card '%s': %s", key, c.shown_id, wrong_text);
            continue;
        }
        /* Written back as "key: line" (every 'wrong' option so) and "  line": each must fit a line. */
        size_t key_prefix = strlen(key) + 2;
        wrong_text = alliance__text_lines_fit(value, len, key_prefix,
                                              f == ALLIANCE__F_WRONG ? key_prefix : 2, &offset);
        if (wrong_text) {
            report(&c, f, offset, ALLIANCE_ELIMIT, "the value of '%s' in card '%s': %s", key, c.shown_id, wrong_text);
            continue;
        }
        switch (f) {
        case ALLIANCE__F_FRONT:
            if (type == ALLIANCE_CARD_CLOZE)
                check_cloze(&c, value);
            break;
        case ALLIANCE__F_WRONG:
            check_wrong(&c, value, note->field[ALLIANCE__F_BACK]);
            break;
        case ALLIANCE__F_SOURCE:
            for (const char *p = value; *p; p++) {
                if (is_blank(*p) || *p == '\n' || *p == '|') {
                    report(&c, f, (size_t)(p - value), ALLIANCE_EPARSE,
                           "invalid source '%.64s' in card '%s': a file name without blanks or '|'", value,
                           c.shown_id);
                    break;
                }
            }
            if (deck && !alliance__deck_has_source(deck, value))
                report(&c, f, 0, ALLIANCE_EPARSE, "source '%.64s' of card '%s' is not listed in the deck header",
                       value, c.shown_id);
            break;
        case ALLIANCE__F_TAGS:
            /* Blanks are separators, nothing else is special, but one tag is ours: it marks a
             * choice card in Anki text (docs/anki.md), so a card cannot carry it itself. */
            for (const char *t = value; *t;) {
                while (*t && (is_blank(*t) || *t == '\n' || *t == '\r'))
                    t++;
                const char *e = t;
                while (*e && !(is_blank(*e) || *e == '\n' || *e == '\r'))
                    e++;
                size_t n = (size_t)(e - t);
                if (n == strlen(ALLIANCE__CHOICE_TAG) && strncasecmp(t, ALLIANCE__CHOICE_TAG, n) == 0) {
                    report(&c, f, (size_t)(t - value), ALLIANCE_EPARSE,
                           "the tag '" ALLIANCE__CHOICE_TAG "' is reserved: it marks choice cards in Anki text "
                           "(card '%s')", c.shown_id);
                    break;
                }
                t = e;
            }
            break;
        default:
            break;
        }
    }
    const char *source = note->field[ALLIANCE__F_SOURCE];
    const char *quote = note->field[ALLIANCE__F_QUOTE];
    if (quote && quote[0] && !(source && source[0]))
        report(&c, ALLIANCE__F_QUOTE, 0, ALLIANCE_EPARSE, "quote without source in card '%s'", c.shown_id);
    return c.count;
}

/* ---- normalising values ---- */

int alliance__value_normalise(alliance__buf *buf, const char *value, size_t len)
{
    size_t start = buf->len;
    size_t i = 0;
    int rc = alliance__buf_append(buf, NULL, 0);
    while (!rc && i < len) {
        const char *nl = memchr(value + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - value) : len;
        size_t a = i, b = end;
        if (b > a && value[b - 1] == '\r')
            b--;
        while (a < b && is_blank(value[a]))
            a++;
        while (b > a && is_blank(value[b - 1]))
            b--;
        if (b > a) {
            if (buf->len > start)
                rc = alliance__buf_append(buf, "\n", 1);
            if (!rc)
                rc = alliance__buf_append(buf, value + a, b - a);
        }
        i = end + 1;
    }
    return rc;
}

int alliance__tags_normalise(alliance__buf *buf, const char *value, size_t len)
{
    size_t start = buf->len;
    size_t i = 0;
    int rc = alliance__buf_append(buf, NULL, 0);
    while (!rc && i < len) {
        while (i < len && (is_blank(value[i]) || value[i] == '\n' || value[i] == '\r'))
            i++;
        size_t a = i;
        while (i < len && !(is_blank(value[i]) || value[i] == '\n' || value[i] == '\r'))
            i++;
        if (i > a) {
            if (buf->len > start)
                rc = alliance__buf_append(buf, " ", 1);
            if (!rc)
                rc = alliance__buf_append(buf, value + a, i - a);
        }
    }
    return rc;
}

int alliance__deck_hold_add(alliance__deck *deck, uint32_t note, uint32_t ordinal, uint32_t what)
{
    if (deck->hold_count == deck->hold_cap) {
        if (deck->hold_cap > UINT32_MAX / 2)
            return ALLIANCE_ENOMEM;
        uint32_t cap = deck->hold_cap ? deck->hold_cap * 2 : 16;
        alliance__deck_hold *holds = alliance__realloc(deck->holds, (size_t)cap * sizeof *holds);
        if (!holds)
            return ALLIANCE_ENOMEM;
        deck->holds = holds;
        deck->hold_cap = cap;
    }
    alliance__deck_hold h = {note, ordinal, what};
    deck->holds[deck->hold_count++] = h;
    return ALLIANCE_OK;
}

uint32_t alliance__deck_hold_of(const alliance__deck *deck, uint32_t note, uint32_t ordinal)
{
    /* The first hold of the note (holds are in note order), then its cards. */
    uint32_t lo = 0, hi = deck->hold_count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (deck->holds[mid].note < note)
            lo = mid + 1;
        else
            hi = mid;
    }
    uint32_t what = 0;
    for (uint32_t i = lo; i < deck->hold_count && deck->holds[i].note == note; i++)
        if (deck->holds[i].ordinal == ordinal)
            what |= deck->holds[i].what;
    return what;
}
