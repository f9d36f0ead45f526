/* SPDX-License-Identifier: MIT */
/*
 * lint.c - the deck lint: advice to a deck author, as warnings that say where
 * (file:line:column of the note, its id) and what, each with a pinned code.
 * The checks within one note live here; the comparisons between notes in
 * lint_similar.c. docs/deck-format.md ("Writing good cards") is the spec.
 */
#include "deck/lint.h"

#include "core/cloze.h"
#include "deck/lint_similar.h"
#include "deck/lint_text.h"

#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The codes' names, shown in every message and in alliance_lint_warning.name. */
static const char *const code_names[] = {
    [ALLIANCE_LINT_NEAR_DUPLICATE] = "near-duplicate",
    [ALLIANCE_LINT_BLANK_IS_ANSWER] = "blank-is-answer",
    [ALLIANCE_LINT_FEW_WRONG] = "few-wrong-options",
    [ALLIANCE_LINT_SAME_OPTION] = "same-option",
    [ALLIANCE_LINT_UNNAMED_ARTICLE] = "unnamed-article",
    [ALLIANCE_LINT_QUOTE_NOT_FOUND] = "quote-not-found",
    [ALLIANCE_LINT_SOURCE_UNREADABLE] = "source-unreadable",
    [ALLIANCE_LINT_INCOMPLETE] = "incomplete",
};

/* A choice card with fewer wrong options than this gets a warning. */
#define WRONG_MIN 3u
/* An option quoted in a message is cut after this many bytes. */
#define QUOTED_MAX 80u

typedef struct warning {
    uint32_t code, line, column;
    uint32_t seq;                     /* the order found: the last tie-break of the sort */
    size_t note_id, other_id, text;   /* offsets of NUL-terminated strings in lint.strings */
} warning;

typedef struct lint {
    const alliance__lint_input *in;
    const alliance__deck *deck;
    size_t *note_offset;              /* our format: where each note's first line starts */
    warning *w;
    size_t count, cap;
    alliance__buf strings;            /* offset 0 holds "" */
    alliance__buf titles;             /* the sources' titles, normalised and lower-cased, '\0' after each */
    alliance__buf scratch, scratch2;
    alliance__words *words;
    uint8_t *source_reported;         /* per header source: its unreadable warning was given */
    uint64_t quote_bytes;
    int quotes_stopped;
} lint;

/* ---- warnings ---- */

static int keep_string(lint *l, const char *s, size_t *out)
{
    *out = l->strings.len;
    return alliance__buf_append(&l->strings, s, strlen(s) + 1);
}

#if defined(__GNUC__)
__attribute__((format(printf, 7, 8)))
#endif
static int warn(lint *l, uint32_t code, uint32_t line, uint32_t column, const char *note_id, const char *other_id,
                const char *fmt, ...)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        warning *w = alliance__realloc(l->w, cap * sizeof *w);
        if (!w)
            return ALLIANCE_ENOMEM;
        l->w = w;
        l->cap = cap;
    }
    warning *w = &l->w[l->count];
    w->code = code;
    w->line = line;
    w->column = column;
    w->seq = (uint32_t)l->count;
    if (keep_string(l, note_id ? note_id : "", &w->note_id) != 0 ||
        keep_string(l, other_id ? other_id : "", &w->other_id) != 0)
        return ALLIANCE_ENOMEM;
    w->text = l->strings.len;
    va_list ap;
    va_start(ap, fmt);
    char text[1024];
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (alliance__buf_append(&l->strings, text, strlen(text) + 1) != 0)
        return ALLIANCE_ENOMEM;
    l->count++;
    return ALLIANCE_OK;
}

/* An option or a title quoted in a message: at most QUOTED_MAX bytes, cut at a character. */
static const char *quoted(char *buf, size_t size, const char *s)
{
    size_t len = strlen(s);
    if (len <= QUOTED_MAX && len < size) {
        memcpy(buf, s, len + 1);
        return buf;
    }
    size_t cut = QUOTED_MAX < size - 4 ? QUOTED_MAX : size - 4;
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    memcpy(buf, s, cut);
    memcpy(buf + cut, "...", 4);
    return buf;
}

/* ---- where things are in the file ---- */

static size_t line_end(const char *d, size_t len, size_t off)
{
    const char *nl = off < len ? memchr(d + off, '\n', len - off) : NULL;
    return nl ? (size_t)(nl - d) : len;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static int note_offsets(lint *l)
{
    const alliance__deck *deck = l->deck;
    if (l->in->format != ALLIANCE_FORMAT_DECK)
        return ALLIANCE_OK;
    l->note_offset = alliance__malloc((deck->note_count ? deck->note_count : 1) * sizeof *l->note_offset);
    if (!l->note_offset)
        return ALLIANCE_ENOMEM;
    size_t off = 0;
    uint32_t line = 1;
    for (uint32_t i = 0; i < deck->note_count; i++) {
        while (line < deck->notes[i].line && off < l->in->len) {
            off = line_end(l->in->data, l->in->len, off) + 1;
            line++;
        }
        l->note_offset[i] = off;
    }
    return ALLIANCE_OK;
}

/* A field of a note in our format. */
typedef struct field {
    uint32_t line, column;   /* of the value's first byte */
    size_t line_start, value;
} field;

/* The nth (from 0) line `key:` of note i. 0 if there is none (or the file is not our format). */
static int find_field(const lint *l, uint32_t i, const char *key, uint32_t nth, field *out)
{
    if (!l->note_offset)
        return 0;
    const char *d = l->in->data;
    size_t len = l->in->len, key_len = strlen(key), off = l->note_offset[i];
    uint32_t line = l->deck->notes[i].line, seen = 0;
    while (off < len) {
        size_t end = line_end(d, len, off), e = end;
        if (e > off && d[e - 1] == '\r')
            e--;
        size_t p = off;
        while (p < e && is_blank(d[p]))
            p++;
        if (p == e)
            break; /* a blank line ends the block */
        if (p == off && d[p] != '#') {
            size_t k = off;
            while (k < e && ((d[k] >= 'a' && d[k] <= 'z') || d[k] == '-'))
                k++;
            if (k < e && d[k] == ':' && k - off == key_len && memcmp(d + off, key, key_len) == 0 && seen++ == nth) {
                size_t v = k + 1;
                while (v < e && is_blank(d[v]))
                    v++;
                out->line = line;
                out->column = (uint32_t)(v - off + 1);
                out->line_start = off;
                out->value = v;
                return 1;
            }
        }
        off = end + 1;
        line++;
    }
    return 0;
}

/* The position of byte `offset` of a field's value as the parser joined it (continuation lines
 * after a '\n', their leading and trailing blanks removed, comment lines skipped). */
static void value_position(const lint *l, const field *f, size_t offset, uint32_t *out_line, uint32_t *out_col)
{
    const char *d = l->in->data;
    size_t len = l->in->len, seg = f->value, start = f->line_start;
    uint32_t line = f->line;
    *out_line = f->line;
    *out_col = f->column;
    for (;;) {
        size_t end = line_end(d, len, seg), e = end;
        if (e > seg && d[e - 1] == '\r')
            e--;
        while (e > seg && is_blank(d[e - 1]))
            e--;
        if (offset <= e - seg) {
            *out_line = line;
            *out_col = (uint32_t)(seg - start + offset + 1);
            return;
        }
        offset -= e - seg + 1;
        for (;;) { /* the next continuation line */
            start = end + 1;
            line++;
            if (start >= len)
                return;
            end = line_end(d, len, start);
            size_t p = start, le = end > start && d[end - 1] == '\r' ? end - 1 : end;
            while (p < le && is_blank(d[p]))
                p++;
            if (p == le || p == start)
                return; /* a blank line or a key: not this value any more */
            if (d[p] == '#')
                continue;
            seg = p;
            break;
        }
    }
}

/* Where to point for a note: a field's value (at byte `offset` of it), else the note's first line. */
static void note_position(const lint *l, uint32_t i, const char *key, uint32_t nth, size_t offset, uint32_t *line,
                          uint32_t *column)
{
    field f;
    if (find_field(l, i, key, nth, &f)) {
        value_position(l, &f, offset, line, column);
    } else {
        *line = l->deck->notes[i].line;
        *column = 1;
    }
}

static const char *note_id(const lint *l, uint32_t i)
{
    return alliance__note_str(l->deck, &l->deck->notes[i], ALLIANCE__F_ID);
}

static const char *prompt_key(uint32_t type)
{
    return type == ALLIANCE_CARD_BASIC ? "front" : type == ALLIANCE_CARD_CLOZE ? "text" : "question";
}

/* ---- the sources' titles ---- */

static int add_title(lint *l, const char *title, size_t len)
{
    while (len > 0 && (is_blank(title[len - 1]) || title[len - 1] == ':'))
        len--;
    while (len > 0 && is_blank(*title))
        title++, len--;
    if (len == 0)
        return ALLIANCE_OK;
    l->scratch.len = 0;
    if (alliance__text_normalise(&l->scratch, title, len) != 0)
        return ALLIANCE_ENOMEM;
    alliance__text_lower(l->scratch.data, l->scratch.len);
    return alliance__buf_append(&l->titles, l->scratch.data, l->scratch.len + 1);
}

/* Every "FILE | TITLE" of the header gives TITLE and, when it has one, its part before ':'. */
static int read_titles(lint *l)
{
    const char *p = alliance__deck_str(l->deck, l->deck->sources);
    int rc = alliance__buf_append(&l->titles, "", 0);
    while (rc == 0 && *p) {
        size_t len = strcspn(p, "\n");
        const char *bar = memchr(p, '|', len);
        if (bar) {
            const char *title = bar + 1;
            size_t title_len = len - (size_t)(title - p);
            rc = add_title(l, title, title_len);
            const char *colon = memchr(title, ':', title_len);
            if (rc == 0 && colon)
                rc = add_title(l, title, (size_t)(colon - title));
        }
        p += len + (p[len] == '\n');
    }
    return rc;
}

/* 1 if `hay` (lower case) holds `needle` as whole words. */
static int has_words(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *hit = n ? strstr(hay, needle) : NULL; hit; hit = strstr(hit + 1, needle)) {
        int before = hit > hay && ((hit[-1] >= 'a' && hit[-1] <= 'z') || (hit[-1] >= '0' && hit[-1] <= '9'));
        int after = (hit[n] >= 'a' && hit[n] <= 'z') || (hit[n] >= '0' && hit[n] <= '9');
        if (!before && !after)
            return 1;
    }
    return 0;
}

/* ---- the checks within one note ---- */

static int lower_ascii(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int is_letter(int c)
{
    c = lower_ascii(c);
    return (c >= 'a' && c <= 'z') || c >= 0x80;
}

/* The offset of "the article" or "this article" (any case, one blank or line break between
 * the words, not "articles") in s, or SIZE_MAX. */
static size_t find_the_article(const char *s)
{
    static const char *const firsts[] = {"the", "this"};
    for (size_t i = 0; s[i]; i++) {
        if (i > 0 && is_letter((unsigned char)s[i - 1]))
            continue;
        for (size_t f = 0; f < 2; f++) {
            size_t n = strlen(firsts[f]), k = 0;
            while (k < n && lower_ascii((unsigned char)s[i + k]) == firsts[f][k])
                k++;
            if (k < n || !(s[i + n] == ' ' || s[i + n] == '\t' || s[i + n] == '\n'))
                continue;
            const char *w = "article";
            size_t j = i + n + 1, m = 0;
            while (w[m] && lower_ascii((unsigned char)s[j + m]) == w[m])
                m++;
            if (!w[m] && !is_letter((unsigned char)s[j + m]))
                return i;
        }
    }
    return SIZE_MAX;
}

static int check_unnamed_article(lint *l, uint32_t i)
{
    const alliance__deck_note *n = &l->deck->notes[i];
    const char *prompt = alliance__note_str(l->deck, n, ALLIANCE__F_FRONT);
    size_t at = find_the_article(prompt);
    if (at == SIZE_MAX)
        return ALLIANCE_OK;
    l->scratch.len = 0;
    if (alliance__text_normalise(&l->scratch, prompt, strlen(prompt)) != 0)
        return ALLIANCE_ENOMEM;
    alliance__text_lower(l->scratch.data, l->scratch.len);
    for (size_t t = 0; t < l->titles.len; t += strlen(l->titles.data + t) + 1)
        if (has_words(l->scratch.data, l->titles.data + t))
            return ALLIANCE_OK;
    uint32_t line, column;
    note_position(l, i, prompt_key(n->type), 0, at, &line, &column);
    return warn(l, ALLIANCE_LINT_UNNAMED_ARTICLE, line, column, note_id(l, i), NULL,
                "the %s of card '%s' says \"%.*s article\" but names none of the deck's sources: "
                "say which (its title, or the title's part before ':')",
                prompt_key(n->type), note_id(l, i), (int)strcspn(prompt + at, " \t\n"), prompt + at);
}

typedef struct stems {
    lint *l;
    alliance__buf *out;
} stems;

static int keep_stem(void *ctx, const char *stem, size_t len)
{
    stems *s = ctx;
    if (alliance__buf_append(s->out, stem, len) != 0 || alliance__buf_append(s->out, "", 1) != 0)
        return ALLIANCE_ENOMEM;
    return ALLIANCE_OK;
}

static int compare_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The option's content words, sorted and joined by ' ', in *out: two options with the same
 * words say the same thing ("Prescribing medication" and "medication, prescribing"). */
static int word_signature(lint *l, const char *option, size_t len, alliance__buf *out)
{
    alliance__buf list = {0};
    stems s = {l, &list};
    int rc = alliance__words_each(l->words, option, len, keep_stem, &s);
    size_t count = 0;
    for (size_t p = 0; rc == 0 && p < list.len; p += strlen(list.data + p) + 1)
        count++;
    const char **words = rc == 0 ? alliance__malloc((count ? count : 1) * sizeof *words) : NULL;
    if (rc == 0 && !words)
        rc = ALLIANCE_ENOMEM;
    out->len = 0;
    if (rc == 0) {
        size_t k = 0;
        for (size_t p = 0; p < list.len; p += strlen(list.data + p) + 1)
            words[k++] = list.data + p;
        qsort(words, count, sizeof *words, compare_str);
        for (size_t k2 = 0; rc == 0 && k2 < count; k2++)
            if (k2 == 0 || strcmp(words[k2], words[k2 - 1]) != 0)
                rc = alliance__buf_printf(out, k2 ? " %s" : "%s", words[k2]);
        if (rc == 0)
            rc = alliance__buf_append(out, "", 0);
    }
    alliance__free(words);
    alliance__buf_free(&list);
    return rc;
}

static int check_choice(lint *l, uint32_t i)
{
    const alliance__deck_note *n = &l->deck->notes[i];
    const char *answer = alliance__note_str(l->deck, n, ALLIANCE__F_BACK);
    const char *wrong = alliance__note_str(l->deck, n, ALLIANCE__F_WRONG);
    /* options[0] is the answer, then the wrong ones; wrong options are one line each. */
    const char *opt[ALLIANCE__DECK_WRONG_MAX + 1];
    size_t len[ALLIANCE__DECK_WRONG_MAX + 1];
    uint32_t count = 0;
    opt[count] = answer;
    len[count++] = strlen(answer);
    for (const char *p = wrong; count <= ALLIANCE__DECK_WRONG_MAX;) {
        size_t k = strcspn(p, "\n");
        opt[count] = p;
        len[count++] = k;
        if (!p[k])
            break;
        p += k + 1;
    }
    int rc = ALLIANCE_OK;
    if (count - 1 < WRONG_MIN) {
        rc = warn(l, ALLIANCE_LINT_FEW_WRONG, n->line, 1, note_id(l, i), NULL,
                  "choice card '%s' has %u wrong option%s: with fewer than %u, its answer is guessed more than "
                  "recalled",
                  note_id(l, i), count - 1, count == 2 ? "" : "s", WRONG_MIN);
    }
    alliance__buf key[ALLIANCE__DECK_WRONG_MAX + 1], sig[ALLIANCE__DECK_WRONG_MAX + 1];
    memset(key, 0, sizeof key);
    memset(sig, 0, sizeof sig);
    for (uint32_t b = 0; b < count && rc == 0; b++) {
        rc = alliance__lint_option_key(&key[b], opt[b], len[b]);
        if (rc == 0)
            rc = word_signature(l, opt[b], len[b], &sig[b]);
        for (uint32_t a = 0; a < b && rc == 0; a++) {
            int same = strcmp(key[a].data, key[b].data) == 0 || (sig[b].len > 0 && strcmp(sig[a].data, sig[b].data) == 0);
            if (!same)
                continue;
            char first[QUOTED_MAX + 4], second[QUOTED_MAX + 4];
            char *oa = alliance__strndup(opt[a], len[a]), *ob = alliance__strndup(opt[b], len[b]);
            if (!oa || !ob) {
                rc = ALLIANCE_ENOMEM;
            } else {
                uint32_t line, column;
                note_position(l, i, "wrong", b - 1, 0, &line, &column);
                rc = warn(l, ALLIANCE_LINT_SAME_OPTION, line, column, note_id(l, i), NULL,
                          "card '%s' offers the same option twice: '%s' and '%s'", note_id(l, i),
                          quoted(first, sizeof first, oa), quoted(second, sizeof second, ob));
            }
            alliance__free(oa);
            alliance__free(ob);
            break;
        }
    }
    for (uint32_t b = 0; b < count; b++) {
        alliance__buf_free(&key[b]);
        alliance__buf_free(&sig[b]);
    }
    return rc;
}

/* The header source a note cites, as an index; UINT32_MAX if none. */
static uint32_t source_index(const lint *l, const char *file)
{
    for (uint32_t s = 0; s < l->deck->source_count; s++)
        if (strcmp(alliance__deck_str(l->deck, l->deck->source_file[s]), file) == 0)
            return s;
    return UINT32_MAX;
}

static int check_quote(lint *l, uint32_t i)
{
    const alliance__deck_note *n = &l->deck->notes[i];
    const char *file = alliance__note_str(l->deck, n, ALLIANCE__F_SOURCE);
    const char *quote = alliance__note_str(l->deck, n, ALLIANCE__F_QUOTE);
    if (!l->in->sources || !*file || !*quote || l->quotes_stopped)
        return ALLIANCE_OK;
    uint32_t s = source_index(l, file);
    if (s == UINT32_MAX)
        return ALLIANCE_OK; /* the parser refuses it: not reached */
    const alliance__lint_source *src = &l->in->sources[s];
    uint32_t line, column;
    if (!src->text) {
        if (l->source_reported[s])
            return ALLIANCE_OK;
        l->source_reported[s] = 1;
        note_position(l, i, "source", 0, 0, &line, &column);
        return warn(l, ALLIANCE_LINT_SOURCE_UNREADABLE, line, column, note_id(l, i), NULL,
                    "cannot read the source %s of card '%s' (%s): its quotes were not checked", file,
                    note_id(l, i), src->problem ? src->problem : "unreadable");
    }
    size_t text_len = strlen(src->text);
    if (l->quote_bytes + text_len > ALLIANCE__LINT_QUOTE_BYTES_MAX) {
        l->quotes_stopped = 1;
        return warn(l, ALLIANCE_LINT_INCOMPLETE, n->line, 1, note_id(l, i), NULL,
                    "the quote check stopped at card '%s' after comparing %llu bytes of sources (its limit): "
                    "the quotes from here on were not checked",
                    note_id(l, i), (unsigned long long)l->quote_bytes);
    }
    l->quote_bytes += text_len;
    l->scratch.len = 0;
    if (alliance__text_normalise(&l->scratch, quote, strlen(quote)) != 0)
        return ALLIANCE_ENOMEM;
    if (strstr(src->text, l->scratch.data))
        return ALLIANCE_OK;
    note_position(l, i, "quote", 0, 0, &line, &column);
    return warn(l, ALLIANCE_LINT_QUOTE_NOT_FOUND, line, column, note_id(l, i), NULL,
                "the quote of card '%s' is not in %s (compared with typographic quotes as ASCII and runs of "
                "whitespace as one space)",
                note_id(l, i), file);
}

/* ---- the comparisons' findings ---- */

static int on_near_duplicate(void *ctx, uint32_t note, uint32_t other, uint32_t similarity_milli)
{
    lint *l = ctx;
    uint32_t line, column;
    note_position(l, note, prompt_key(l->deck->notes[note].type), 0, 0, &line, &column);
    return warn(l, ALLIANCE_LINT_NEAR_DUPLICATE, line, column, note_id(l, note), note_id(l, other),
                "card '%s' asks nearly what card '%s' (line %u) asks: similarity %u.%03u of question and answer, "
                "threshold %.3f; keep one card per fact",
                note_id(l, note), note_id(l, other), (unsigned)l->deck->notes[other].line, similarity_milli / 1000,
                similarity_milli % 1000, l->in->similarity);
}

static int on_shared_options(void *ctx, uint32_t note, uint32_t other, const char *first, const char *second)
{
    lint *l = ctx;
    uint32_t line, column;
    char a[QUOTED_MAX + 4], b[QUOTED_MAX + 4];
    note_position(l, note, "question", 0, 0, &line, &column);
    return warn(l, ALLIANCE_LINT_NEAR_DUPLICATE, line, column, note_id(l, note), note_id(l, other),
                "card '%s' offers the wrong options '%s' and '%s' as card '%s' (line %u) does, and their answers "
                "share a word: the same question twice?",
                note_id(l, note), quoted(a, sizeof a, first), quoted(b, sizeof b, second), note_id(l, other),
                (unsigned)l->deck->notes[other].line);
}

static int on_blank_is_answer(void *ctx, uint32_t note, uint32_t number, uint32_t other, uint32_t other_number,
                              uint32_t similarity_milli)
{
    lint *l = ctx;
    const char *text = alliance__note_str(l->deck, &l->deck->notes[note], ALLIANCE__F_FRONT);
    size_t pos = 0, at = 0;
    alliance__cloze_deletion d;
    while (alliance__cloze_next(text, strlen(text), &pos, &d) == 0)
        if (d.number == number) {
            at = d.start;
            break;
        }
    uint32_t line, column;
    note_position(l, note, "text", 0, at, &line, &column);
    char other_card[ALLIANCE__DECK_ID_MAX + 8];
    if (other_number)
        snprintf(other_card, sizeof other_card, "%s::c%u", note_id(l, other), (unsigned)other_number);
    else
        snprintf(other_card, sizeof other_card, "%s", note_id(l, other));
    return warn(l, ALLIANCE_LINT_BLANK_IS_ANSWER, line, column, note_id(l, note), other_card,
                "deletion c%u of card '%s' hides what card '%s' (line %u) answers (similarity %u.%03u): "
                "each gives the other away",
                (unsigned)number, note_id(l, note), other_card, (unsigned)l->deck->notes[other].line,
                similarity_milli / 1000, similarity_milli % 1000);
}

static int on_incomplete(void *ctx, uint32_t note, const char *what)
{
    lint *l = ctx;
    return warn(l, ALLIANCE_LINT_INCOMPLETE, l->deck->notes[note].line, 1, note_id(l, note), NULL,
                "the %s search stopped at card '%s' after %llu steps (its limit): the cards from here on were "
                "not compared",
                what, note_id(l, note), (unsigned long long)ALLIANCE__LINT_WORK_MAX);
}

/* ---- the report: one block ---- */

static int compare_warnings(const void *a, const void *b)
{
    const warning *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->column != y->column)
        return x->column < y->column ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static size_t align_up(size_t n)
{
    size_t a = alignof(max_align_t);
    return (n + a - 1) / a * a;
}

/* Builds the report from the warnings of *l (none when l is NULL) and the deck's errors. */
static int make_report(const lint *l, const alliance__deck *deck, alliance_lint_report **out)
{
    size_t count = l ? l->count : 0;
    const char *file = deck->file;
    const char *errors = deck->errors.data ? deck->errors.data : "";
    alliance__buf text = {0}, messages = {0};
    size_t *message_at = alliance__malloc((count ? count : 1) * sizeof *message_at);
    int rc = message_at ? ALLIANCE_OK : ALLIANCE_ENOMEM;
    for (size_t k = 0; k < count && rc == 0; k++) {
        const warning *w = &l->w[k];
        message_at[k] = messages.len;
        rc = alliance__buf_printf(&messages, "%s:%u:%u: warning: %s [%s]", file, (unsigned)w->line,
                                  (unsigned)w->column, l->strings.data + w->text, code_names[w->code]);
        if (rc == 0)
            rc = alliance__buf_append(&messages, "", 1);
        if (rc == 0)
            rc = alliance__buf_printf(&text, "%s\n", messages.data + message_at[k]);
    }
    if (rc == 0 && !text.data)
        rc = alliance__buf_append(&text, "", 0);
    if (rc == 0) {
        size_t strings_len = l ? l->strings.len : 0;
        size_t head = align_up(sizeof(alliance_lint_report));
        size_t pointers = align_up(count * sizeof(alliance_lint_warning *));
        size_t structs = align_up(count * sizeof(alliance_lint_warning));
        size_t size = head + pointers + structs + strings_len + messages.len + text.len + 1 + strlen(errors) + 1;
        char *block = alliance__malloc(size);
        if (!block) {
            rc = ALLIANCE_ENOMEM;
        } else {
            memset(block, 0, head + pointers + structs);
            alliance_lint_report *r = (alliance_lint_report *)(void *)block;
            const alliance_lint_warning **ptrs = (const alliance_lint_warning **)(void *)(block + head);
            alliance_lint_warning *ws = (alliance_lint_warning *)(void *)(block + head + pointers);
            char *strings = block + head + pointers + structs;
            if (strings_len)
                memcpy(strings, l->strings.data, strings_len);
            char *msgs = strings + strings_len;
            if (messages.len)
                memcpy(msgs, messages.data, messages.len);
            char *txt = msgs + messages.len;
            memcpy(txt, text.data, text.len + 1);
            char *errs = txt + text.len + 1;
            memcpy(errs, errors, strlen(errors) + 1);
            for (size_t k = 0; k < count; k++) {
                const warning *w = &l->w[k];
                ws[k].version = 1;
                ws[k].code = w->code;
                ws[k].name = code_names[w->code];
                ws[k].line = w->line;
                ws[k].column = w->column;
                ws[k].note_id = strings + w->note_id;
                ws[k].other_id = strings + w->other_id;
                ws[k].message = msgs + message_at[k];
                ptrs[k] = &ws[k];
            }
            r->version = 1;
            r->note_count = deck->error_count ? 0 : deck->note_count;
            r->warning_count = (uint32_t)count;
            r->warnings = ptrs;
            r->text = txt;
            r->error_count = deck->error_count;
            r->errors = errs;
            *out = r;
        }
    }
    alliance__free(message_at);
    alliance__buf_free(&messages);
    alliance__buf_free(&text);
    return rc;
}

int alliance__lint_report_errors(const alliance__deck *deck, alliance_lint_report **out)
{
    return make_report(NULL, deck, out);
}

int alliance__lint(const alliance__lint_input *in, alliance_lint_report **out)
{
    lint l;
    memset(&l, 0, sizeof l);
    l.in = in;
    l.deck = in->deck;
    const alliance__deck *deck = in->deck;
    int rc = alliance__buf_append(&l.strings, "", 1);
    if (rc == 0)
        rc = note_offsets(&l);
    if (rc == 0)
        rc = read_titles(&l);
    if (rc == 0)
        rc = alliance__words_open(&l.words);
    if (rc == 0 && in->sources) {
        l.source_reported = alliance__calloc(deck->source_count ? deck->source_count : 1, 1);
        if (!l.source_reported)
            rc = ALLIANCE_ENOMEM;
    }
    for (uint32_t i = 0; i < deck->note_count && rc == 0; i++) {
        if (deck->notes[i].type == ALLIANCE_CARD_CHOICE)
            rc = check_choice(&l, i);
        if (rc == 0)
            rc = check_unnamed_article(&l, i);
        if (rc == 0)
            rc = check_quote(&l, i);
    }
    if (rc == 0) {
        alliance__lint_similar_hooks hooks = {&l, on_near_duplicate, on_shared_options, on_blank_is_answer,
                                              on_incomplete};
        rc = alliance__lint_similar(deck, l.words, l.titles.data, l.titles.len, in->similarity,
                                    ALLIANCE__LINT_WORK_MAX, &hooks);
    }
    if (rc == 0) {
        if (l.count > 1)
            qsort(l.w, l.count, sizeof *l.w, compare_warnings);
        rc = make_report(&l, deck, out);
    }
    alliance__words_close(l.words);
    alliance__free(l.note_offset);
    alliance__free(l.w);
    alliance__free(l.source_reported);
    alliance__buf_free(&l.strings);
    alliance__buf_free(&l.titles);
    alliance__buf_free(&l.scratch);
    alliance__buf_free(&l.scratch2);
    return rc;
}
