/* SPDX-License-Identifier: MIT */
/* lint_text.c - normalised text for the quote check, content words for the similarity checks. */
#include "deck/lint_text.h"

#include <libstemmer.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A code point and its length; a byte that does not start a UTF-8 sequence is read
 * as itself (cp = the byte, length 1), so that any input is walked to its end. */
static size_t next_cp(const unsigned char *s, size_t len, uint32_t *cp)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
    if (n == 1 || n > len) {
        *cp = c;
        return 1;
    }
    uint32_t v = c & (0x7F >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = c;
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3F);
    }
    *cp = v;
    return n;
}

static int is_space(uint32_t cp)
{
    return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
           cp == 0x3000;
}

/* ' or " for the typographic quotes (the list of tests/deck_quotes.py), else 0. */
static char ascii_quote(uint32_t cp)
{
    switch (cp) {
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x2035: case 0x02BC: case 0xFF07:
        return '\'';
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: case 0x2036: case 0x00AB: case 0x00BB:
    case 0xFF02:
        return '"';
    default:
        return 0;
    }
}

int alliance__text_normalise(alliance__buf *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    int pending_space = 0, wrote = 0, rc = 0;
    while (i < len && !rc) {
        uint32_t cp;
        size_t n = next_cp(p + i, len - i, &cp);
        if (is_space(cp)) {
            pending_space = 1;
            i += n;
            continue;
        }
        if (pending_space && wrote)
            rc = alliance__buf_append(out, " ", 1);
        pending_space = 0;
        char q = ascii_quote(cp);
        if (!rc)
            rc = q ? alliance__buf_append(out, &q, 1) : alliance__buf_append(out, s + i, n);
        wrote = 1;
        i += n;
    }
    if (!rc && !out->data)
        rc = alliance__buf_append(out, "", 0);
    return rc;
}

void alliance__text_lower(char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] >= 'A' && s[i] <= 'Z')
            s[i] = (char)(s[i] - 'A' + 'a');
}

/* ---- words ---- */

/* English stop words (and "according", "article", "per": the scaffolding of a prompt
 * that names its source), sorted in byte order for bsearch. */
static const char *const stop_words[] = {
    "a", "about", "above", "according", "after", "again", "against", "all", "also", "am", "an", "and",
    "any", "are", "aren't", "article", "articles", "as", "at", "be", "because", "been", "before",
    "being", "below", "between", "both", "but", "by", "can", "can't", "cannot", "could", "couldn't",
    "did", "didn't", "do", "does", "doesn't", "doing", "don't", "down", "during", "each", "even",
    "few", "for", "from", "further", "had", "hadn't", "has", "hasn't", "have", "haven't", "having",
    "he", "he'd", "he'll", "he's", "her", "here", "here's", "hers", "herself", "him", "himself", "his",
    "how", "how's", "i", "i'd", "i'll", "i'm", "i've", "if", "in", "into", "is", "isn't", "it", "it's",
    "its", "itself", "just", "let's", "me", "more", "most", "mustn't", "my", "myself", "no", "nor",
    "not", "of", "off", "on", "once", "only", "or", "other", "ought", "our", "ours", "ourselves",
    "out", "over", "own", "per", "s", "same", "shan't", "she", "she'd", "she'll", "she's", "should",
    "shouldn't", "so", "some", "such", "t", "than", "that", "that's", "the", "their", "theirs", "them",
    "themselves", "then", "there", "there's", "these", "they", "they'd", "they'll", "they're",
    "they've", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was",
    "wasn't", "we", "we'd", "we'll", "we're", "we've", "were", "weren't", "what", "what's", "when",
    "when's", "where", "where's", "which", "while", "who", "who's", "whom", "whose", "why", "why's",
    "with", "won't", "would", "wouldn't", "you", "you'd", "you'll", "you're", "you've", "your",
    "yours", "yourself", "yourselves"};

static int compare_word(const void *key, const void *item)
{
    return strcmp((const char *)key, *(const char *const *)item);
}

static int is_stop_word(const char *word)
{
    return bsearch(word, stop_words, sizeof stop_words / sizeof stop_words[0], sizeof stop_words[0],
                   compare_word) != NULL;
}

/* Words longer than this are used as they are, unstemmed (no English word is). */
#define WORD_STEM_MAX 64

struct alliance__words {
    struct sb_stemmer *stemmer;
    alliance__buf word;
};

int alliance__words_open(alliance__words **out)
{
    alliance__words *w = alliance__calloc(1, sizeof *w);
    if (!w)
        return ALLIANCE_ENOMEM;
    w->stemmer = sb_stemmer_new("english", "UTF_8");
    if (!w->stemmer) {
        alliance__free(w);
        return ALLIANCE_ENOMEM;
    }
    *out = w;
    return ALLIANCE_OK;
}

void alliance__words_close(alliance__words *w)
{
    if (!w)
        return;
    sb_stemmer_delete(w->stemmer);
    alliance__buf_free(&w->word);
    alliance__free(w);
}

static int is_ascii_alnum(uint32_t cp)
{
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
}

/* Non-ASCII code points that separate words: Latin-1 and general punctuation, CJK and
 * full-width punctuation. Every other non-ASCII code point is read as a letter. */
static int is_separator(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x206F) ||
           (cp >= 0x2E00 && cp <= 0x2E7F) || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
           (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40) ||
           (cp >= 0xFF5B && cp <= 0xFF65) || cp == 0xFFFD;
}

static int is_word_cp(uint32_t cp)
{
    return cp < 0x80 ? is_ascii_alnum(cp) : !is_separator(cp) && ascii_quote(cp) == 0;
}

/* The word held in w->word (NUL-terminated, lower case, ASCII apostrophes): its stem, if it is
 * a content word. */
static int emit_word(alliance__words *w, alliance__word_fn each, void *ctx)
{
    char *word = w->word.data;
    if (is_stop_word(word))
        return 0;
    char *apostrophe = strchr(word, '\'');
    size_t len = apostrophe ? (size_t)(apostrophe - word) : w->word.len;
    word[len] = '\0';
    if (len < 2 || is_stop_word(word))
        return 0;
    if (len > WORD_STEM_MAX)
        return each(ctx, word, len);
    const sb_symbol *stem = sb_stemmer_stem(w->stemmer, (const sb_symbol *)word, (int)len);
    if (!stem)
        return ALLIANCE_ENOMEM;
    return each(ctx, (const char *)stem, (size_t)sb_stemmer_length(w->stemmer));
}

int alliance__words_each(alliance__words *w, const char *s, size_t len, alliance__word_fn each, void *ctx)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = next_cp(p + i, len - i, &cp);
        if (!is_word_cp(cp)) {
            i += n;
            continue;
        }
        w->word.len = 0;
        int rc = 0;
        while (i < len && !rc) {
            n = next_cp(p + i, len - i, &cp);
            if (is_word_cp(cp)) {
                if (cp >= 'A' && cp <= 'Z') {
                    char lower = (char)(cp - 'A' + 'a');
                    rc = alliance__buf_append(&w->word, &lower, 1);
                } else {
                    rc = alliance__buf_append(&w->word, s + i, n);
                }
                i += n;
                continue;
            }
            /* An apostrophe between two word characters joins them ("client's", "isn't"). */
            if ((cp == '\'' || ascii_quote(cp) == '\'') && i + n < len) {
                uint32_t after;
                next_cp(p + i + n, len - i - n, &after);
                if (is_word_cp(after)) {
                    rc = alliance__buf_append(&w->word, "'", 1);
                    i += n;
                    continue;
                }
            }
            break;
        }
        if (!rc)
            rc = emit_word(w, each, ctx);
        if (rc)
            return rc;
    }
    return ALLIANCE_OK;
}
