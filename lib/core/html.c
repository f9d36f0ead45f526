/* SPDX-License-Identifier: MIT */
/*
 * html.c - the HTML of Anki fields as terminal text (html.h). A small scanner, not a parser:
 * fields are short fragments that Anki's editor wrote, and whatever they hold must come out
 * as readable text, never as an error. Pure: no I/O, no clock, no global state.
 */
#include "core/html.h"

#include <string.h>

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Finds `needle` (lower-case ASCII) in s[from, len) ignoring ASCII case; len if absent. */
static size_t find_ci(const char *s, size_t len, size_t from, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = from; i + n <= len; i++) {
        size_t k = 0;
        while (k < n && lower(s[i + k]) == needle[k])
            k++;
        if (k == n)
            return i;
    }
    return len;
}

/* The length of the tag starting at s[i] == '<' (through its '>'), or 0 if it is not one:
 * '<' then a letter, '/' and a letter, or '!'. A quoted attribute value may hold '>'. */
static size_t tag_length(const char *s, size_t len, size_t i)
{
    if (i + 1 >= len)
        return 0;
    char c = s[i + 1];
    if (c == '!') {
        if (i + 3 < len && s[i + 2] == '-' && s[i + 3] == '-') {
            size_t end = find_ci(s, len, i + 4, "-->");
            return end < len ? end + 3 - i : 0;
        }
        const char *gt = memchr(s + i, '>', len - i);
        return gt ? (size_t)(gt - (s + i)) + 1 : 0;
    }
    if (!(is_alpha(c) || (c == '/' && i + 2 < len && is_alpha(s[i + 2]))))
        return 0;
    char quote = 0, prev = 0;
    for (size_t j = i + 1; j < len; j++) {
        char ch = s[j];
        if (quote) {
            if (ch == quote)
                quote = 0;
        } else if ((ch == '"' || ch == '\'') && prev == '=') {
            quote = ch;
        } else if (ch == '>') {
            return j - i + 1;
        }
        if (!is_space(ch))
            prev = ch;
    }
    return 0;
}

/* The tag's lower-case name (empty for comments, declarations and names over 15 bytes). */
static void tag_name(const char *s, size_t n, char name[16], int *closing)
{
    size_t k = 1, m = 0;
    *closing = 0;
    name[0] = '\0';
    if (s[k] == '!')
        return;
    if (s[k] == '/') {
        *closing = 1;
        k++;
    }
    while (k < n && (is_alpha(s[k]) || is_digit(s[k]))) {
        if (m == 15)
            return; /* no tag we know is that long: leave the name empty */
        name[m++] = lower(s[k++]);
    }
    name[m] = '\0';
}

static int is_br(const char *s, size_t n)
{
    char name[16];
    int closing;
    tag_name(s, n, name, &closing);
    return strcmp(name, "br") == 0;
}

int alliance__html_is_markup(const char *s, size_t len)
{
    for (const char *p = memchr(s, '<', len); p; p = memchr(p + 1, '<', len - (size_t)(p + 1 - s))) {
        size_t i = (size_t)(p - s);
        size_t n = tag_length(s, len, i);
        if (n && !is_br(s + i, n))
            return 1;
        if (p + 1 >= s + len)
            break;
    }
    return 0;
}

/* ---- entities ---- */

static const struct { const char *name; uint32_t cp; } entities[] = {
    {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}, {"nbsp", ' '},
    {"ndash", 0x2013}, {"mdash", 0x2014}, {"hellip", 0x2026}, {"lsquo", 0x2018}, {"rsquo", 0x2019},
    {"sbquo", 0x201A}, {"ldquo", 0x201C}, {"rdquo", 0x201D}, {"bdquo", 0x201E}, {"laquo", 0xAB},
    {"raquo", 0xBB}, {"lsaquo", 0x2039}, {"rsaquo", 0x203A}, {"bull", 0x2022}, {"middot", 0xB7},
    {"copy", 0xA9}, {"reg", 0xAE}, {"trade", 0x2122}, {"euro", 0x20AC}, {"pound", 0xA3}, {"yen", 0xA5},
    {"cent", 0xA2}, {"deg", 0xB0}, {"plusmn", 0xB1}, {"times", 0xD7}, {"divide", 0xF7}, {"para", 0xB6},
    {"sect", 0xA7}, {"shy", 0xAD}, {"iexcl", 0xA1}, {"iquest", 0xBF}, {"frac12", 0xBD}, {"frac14", 0xBC},
    {"frac34", 0xBE}, {"sup1", 0xB9}, {"sup2", 0xB2}, {"sup3", 0xB3}, {"micro", 0xB5}, {"ordf", 0xAA},
    {"ordm", 0xBA}, {"not", 0xAC}, {"larr", 0x2190}, {"uarr", 0x2191}, {"rarr", 0x2192}, {"darr", 0x2193},
    {"harr", 0x2194}, {"lArr", 0x21D0}, {"rArr", 0x21D2}, {"hArr", 0x21D4}, {"le", 0x2264}, {"ge", 0x2265},
    {"ne", 0x2260}, {"asymp", 0x2248}, {"equiv", 0x2261}, {"infin", 0x221E}, {"minus", 0x2212},
    {"radic", 0x221A}, {"sum", 0x2211}, {"prod", 0x220F}, {"int", 0x222B}, {"part", 0x2202},
    {"forall", 0x2200}, {"exist", 0x2203}, {"isin", 0x2208}, {"notin", 0x2209}, {"cap", 0x2229},
    {"cup", 0x222A}, {"sub", 0x2282}, {"sup", 0x2283}, {"and", 0x2227}, {"or", 0x2228}, {"prime", 0x2032},
    {"Prime", 0x2033}, {"dagger", 0x2020}, {"Dagger", 0x2021}, {"permil", 0x2030}, {"ensp", ' '},
    {"emsp", ' '}, {"thinsp", ' '}, {"zwj", 0x200D}, {"zwnj", 0x200C},
    {"alpha", 0x3B1}, {"beta", 0x3B2}, {"gamma", 0x3B3}, {"delta", 0x3B4}, {"epsilon", 0x3B5},
    {"zeta", 0x3B6}, {"eta", 0x3B7}, {"theta", 0x3B8}, {"iota", 0x3B9}, {"kappa", 0x3BA},
    {"lambda", 0x3BB}, {"mu", 0x3BC}, {"nu", 0x3BD}, {"xi", 0x3BE}, {"omicron", 0x3BF}, {"pi", 0x3C0},
    {"rho", 0x3C1}, {"sigmaf", 0x3C2}, {"sigma", 0x3C3}, {"tau", 0x3C4}, {"upsilon", 0x3C5},
    {"phi", 0x3C6}, {"chi", 0x3C7}, {"psi", 0x3C8}, {"omega", 0x3C9}, {"Gamma", 0x393}, {"Delta", 0x394},
    {"Theta", 0x398}, {"Lambda", 0x39B}, {"Xi", 0x39E}, {"Pi", 0x3A0}, {"Sigma", 0x3A3}, {"Phi", 0x3A6},
    {"Psi", 0x3A8}, {"Omega", 0x3A9},
    {"Agrave", 0xC0}, {"Aacute", 0xC1}, {"Acirc", 0xC2}, {"Atilde", 0xC3}, {"Auml", 0xC4}, {"Aring", 0xC5},
    {"AElig", 0xC6}, {"Ccedil", 0xC7}, {"Egrave", 0xC8}, {"Eacute", 0xC9}, {"Ecirc", 0xCA}, {"Euml", 0xCB},
    {"Igrave", 0xCC}, {"Iacute", 0xCD}, {"Icirc", 0xCE}, {"Iuml", 0xCF}, {"Ntilde", 0xD1}, {"Ograve", 0xD2},
    {"Oacute", 0xD3}, {"Ocirc", 0xD4}, {"Otilde", 0xD5}, {"Ouml", 0xD6}, {"Oslash", 0xD8}, {"Ugrave", 0xD9},
    {"Uacute", 0xDA}, {"Ucirc", 0xDB}, {"Uuml", 0xDC}, {"Yacute", 0xDD}, {"szlig", 0xDF}, {"agrave", 0xE0},
    {"aacute", 0xE1}, {"acirc", 0xE2}, {"atilde", 0xE3}, {"auml", 0xE4}, {"aring", 0xE5}, {"aelig", 0xE6},
    {"ccedil", 0xE7}, {"egrave", 0xE8}, {"eacute", 0xE9}, {"ecirc", 0xEA}, {"euml", 0xEB}, {"igrave", 0xEC},
    {"iacute", 0xED}, {"icirc", 0xEE}, {"iuml", 0xEF}, {"ntilde", 0xF1}, {"ograve", 0xF2}, {"oacute", 0xF3},
    {"ocirc", 0xF4}, {"otilde", 0xF5}, {"ouml", 0xF6}, {"oslash", 0xF8}, {"ugrave", 0xF9}, {"uacute", 0xFA},
    {"ucirc", 0xFB}, {"uuml", 0xFC}, {"yacute", 0xFD}, {"yuml", 0xFF}, {"OElig", 0x152}, {"oelig", 0x153},
    {"Scaron", 0x160}, {"scaron", 0x161},
};

static size_t utf8_put(char out[4], uint32_t cp)
{
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        cp = 0xFFFD; /* not a character: the replacement character, as browsers show */
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* The entity at s[i] == '&': its bytes consumed (0 if it is not one we know) and its UTF-8
 * text in out (*out_len bytes; 0 for a soft hyphen). */
static size_t entity(const char *s, size_t len, size_t i, char out[4], size_t *out_len)
{
    size_t j = i + 1;
    if (j < len && s[j] == '#') {
        int hex = j + 1 < len && (s[j + 1] == 'x' || s[j + 1] == 'X');
        size_t k = j + 1 + (size_t)hex, digits = 0;
        uint32_t cp = 0;
        for (; k < len && digits < 8; k++, digits++) {
            char c = s[k];
            uint32_t v;
            if (is_digit(c))
                v = (uint32_t)(c - '0');
            else if (hex && lower(c) >= 'a' && lower(c) <= 'f')
                v = (uint32_t)(lower(c) - 'a' + 10);
            else
                break;
            cp = cp * (hex ? 16u : 10u) + v;
        }
        if (digits == 0 || k >= len || s[k] != ';')
            return 0;
        *out_len = utf8_put(out, cp);
        return k + 1 - i;
    }
    size_t k = j;
    while (k < len && k - j < 10 && (is_alpha(s[k]) || is_digit(s[k])))
        k++;
    if (k == j || k >= len || s[k] != ';')
        return 0;
    for (size_t e = 0; e < sizeof entities / sizeof entities[0]; e++) {
        if (strlen(entities[e].name) == k - j && memcmp(entities[e].name, s + j, k - j) == 0) {
            *out_len = entities[e].cp == 0xAD ? 0 : utf8_put(out, entities[e].cp);
            return k + 1 - i;
        }
    }
    return 0;
}

/* "[sound:...]" at s[i]: its length, or 0. */
static size_t sound_length(const char *s, size_t len, size_t i)
{
    static const char open[] = "[sound:";
    if (len - i < sizeof open - 1 || memcmp(s + i, open, sizeof open - 1) != 0)
        return 0;
    const char *close = memchr(s + i, ']', len - i);
    const char *nl = memchr(s + i, '\n', len - i);
    if (!close || (nl && nl < close))
        return 0;
    return (size_t)(close - (s + i)) + 1;
}

/* ---- rendering ---- */

#define LIST_DEPTH_MAX 8

typedef struct render {
    alliance__buf *out;
    size_t start;          /* out->len when we began: the trimming at the end stops there */
    unsigned flags;
    int rc;
    int col0;              /* nothing visible on the current line yet */
    int nospace;           /* a blank here would only pad: after a line break or a bullet */
    int pending_space;     /* blanks were seen since the last text */
    int pending_break;     /* a block ended or began: the next text starts a line */
    int bold, italic, underline;
    int lists;             /* open <ul>/<ol>, the innermost LIST_DEPTH_MAX kept */
    struct { int ordered; uint32_t n; } list[LIST_DEPTH_MAX];
} render;

static void put(render *r, const char *s, size_t n)
{
    if (!r->rc)
        r->rc = alliance__buf_append(r->out, s, n);
}

/* The line break and blank owed before what comes next. */
static void flush_pending(render *r)
{
    if (r->pending_break && !r->col0) {
        put(r, "\n", 1);
        r->col0 = 1;
        r->nospace = 1;
    }
    if (r->pending_space && !r->nospace) {
        put(r, " ", 1);
        r->nospace = 1;
    }
    r->pending_break = r->pending_space = 0;
}

static void text(render *r, const char *s, size_t n)
{
    flush_pending(r);
    put(r, s, n);
    r->pending_break = r->pending_space = 0;
    r->col0 = r->nospace = 0;
}

static void line_break(render *r)
{
    put(r, "\n", 1);
    r->col0 = r->nospace = 1;
    r->pending_break = r->pending_space = 0;
}

static void style(render *r, int *depth, int closing, const char *on, const char *off)
{
    if (!(r->flags & ALLIANCE__HTML_SGR))
        return;
    if (!closing) {
        if ((*depth)++ == 0) {
            flush_pending(r); /* the blank before a bold word is not bold */
            put(r, on, strlen(on));
        }
    } else if (*depth > 0 && --(*depth) == 0) {
        put(r, off, strlen(off));
    }
}

static void bullet(render *r)
{
    if (!r->col0)
        put(r, "\n", 1);
    /* Indented by depth, up to the depth kept: a hostile nest cannot make lines grow without end. */
    int depth = r->lists < 1 ? 1 : r->lists > LIST_DEPTH_MAX ? LIST_DEPTH_MAX : r->lists;
    for (int d = 1; d < depth; d++)
        put(r, "  ", 2);
    int inner = (r->lists > LIST_DEPTH_MAX ? LIST_DEPTH_MAX : r->lists) - 1;
    if (inner >= 0 && r->list[inner].ordered) {
        char num[16];
        size_t n = 0;
        uint32_t v = ++r->list[inner].n;
        char digits[12];
        size_t d = 0;
        do {
            digits[d++] = (char)('0' + v % 10);
            v /= 10;
        } while (v && d < sizeof digits);
        while (d)
            num[n++] = digits[--d];
        num[n++] = '.';
        num[n++] = ' ';
        put(r, num, n);
    } else {
        put(r, "- ", 2);
    }
    r->col0 = 0;
    r->nospace = 1;
    r->pending_break = r->pending_space = 0;
}

static int is_block(const char *name)
{
    static const char *const blocks[] = {
        "div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tr", "hr",
        "section", "article", "header", "footer", "dl", "dt", "dd", "figure", "figcaption", "center",
    };
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
        if (strcmp(name, blocks[i]) == 0)
            return 1;
    return 0;
}

/* Handles one tag s[0, n); returns how far to skip past it (n, or more for <script>/<style>). */
static size_t tag(render *r, const char *s, size_t n, size_t rest)
{
    char name[16];
    int closing;
    tag_name(s, n, name, &closing);
    if (strcmp(name, "br") == 0) {
        line_break(r);
    } else if (strcmp(name, "b") == 0 || strcmp(name, "strong") == 0) {
        style(r, &r->bold, closing, "\033[1m", "\033[22m");
    } else if (strcmp(name, "i") == 0 || strcmp(name, "em") == 0) {
        style(r, &r->italic, closing, "\033[3m", "\033[23m");
    } else if (strcmp(name, "u") == 0) {
        style(r, &r->underline, closing, "\033[4m", "\033[24m");
    } else if (strcmp(name, "ul") == 0 || strcmp(name, "ol") == 0) {
        if (!closing) {
            if (r->lists < LIST_DEPTH_MAX) {
                r->list[r->lists].ordered = name[0] == 'o';
                r->list[r->lists].n = 0;
            }
            r->lists++;
        } else if (r->lists > 0) {
            r->lists--;
        }
        r->pending_break = 1;
    } else if (strcmp(name, "li") == 0) {
        if (closing)
            r->pending_break = 1;
        else
            bullet(r);
    } else if (strcmp(name, "img") == 0 && !closing) {
        text(r, "[image]", 7);
    } else if ((strcmp(name, "script") == 0 || strcmp(name, "style") == 0) && !closing) {
        /* Their content is code, not text: skip to the closing tag (or the end). */
        char end[10] = "</";
        memcpy(end + 2, name, strlen(name) + 1);
        size_t at = find_ci(s, rest, n, end);
        if (at >= rest)
            return rest;
        const char *gt = memchr(s + at, '>', rest - at);
        return gt ? (size_t)(gt - s) + 1 : rest;
    } else if (name[0] && is_block(name)) {
        r->pending_break = 1;
    }
    /* Any other tag (and a comment) shows nothing; its content, if any, is text. */
    return n;
}

static void render_markup(render *r, const char *s, size_t len)
{
    size_t i = 0, plain = 0;
    /* Text runs are copied whole; only '<', '&', '[' and blanks stop the copy. */
    while (i < len && !r->rc) {
        char c = s[i];
        size_t n = 0;
        if (c == '<' && (n = tag_length(s, len, i)) != 0) {
            if (i > plain)
                text(r, s + plain, i - plain);
            i += tag(r, s + i, n, len - i);
            plain = i;
        } else if (c == '&') {
            char buf[4];
            size_t blen = 0;
            if ((n = entity(s, len, i, buf, &blen)) != 0) {
                if (i > plain)
                    text(r, s + plain, i - plain);
                if (blen)
                    text(r, buf, blen);
                i += n;
                plain = i;
            } else {
                i++;
            }
        } else if (c == '[' && (n = sound_length(s, len, i)) != 0) {
            if (i > plain)
                text(r, s + plain, i - plain);
            text(r, "[sound]", 7);
            i += n;
            plain = i;
        } else if (is_space(c)) {
            if (i > plain)
                text(r, s + plain, i - plain);
            r->pending_space = 1;
            i++;
            plain = i;
        } else {
            i++;
        }
    }
    if (i > plain && !r->rc)
        text(r, s + plain, i - plain);
}

int alliance__html_to_text(alliance__buf *out, const char *s, size_t len, unsigned flags)
{
    render r;
    memset(&r, 0, sizeof r);
    r.out = out;
    r.start = out->len;
    r.flags = flags;
    r.col0 = r.nospace = 1;
    r.rc = alliance__buf_append(out, NULL, 0);
    if (!alliance__html_is_markup(s, len)) {
        size_t plain = 0;
        for (size_t i = 0; i < len && !r.rc; i++) {
            size_t n = s[i] == '[' ? sound_length(s, len, i) : 0;
            if (n) {
                put(&r, s + plain, i - plain);
                put(&r, "[sound]", 7);
                i += n - 1;
                plain = i + 1;
            }
        }
        if (plain < len)
            put(&r, s + plain, len - plain);
        return r.rc;
    }
    render_markup(&r, s, len);
    if (r.rc)
        return r.rc;
    /* Trailing line breaks and blanks (a closing </div>, a last <br>) show nothing. */
    while (out->len > r.start && (out->data[out->len - 1] == '\n' || out->data[out->len - 1] == ' '))
        out->data[--out->len] = '\0';
    if ((flags & ALLIANCE__HTML_SGR) && (r.bold || r.italic || r.underline))
        put(&r, "\033[0m", 4);
    return r.rc;
}

int alliance__html_field_in(alliance__buf *out, const char *s, size_t len)
{
    int rc = alliance__buf_append(out, NULL, 0);
    if (rc || alliance__html_is_markup(s, len))
        return rc ? rc : alliance__buf_append(out, s, len);
    size_t i = 0, plain = 0;
    while (i < len && !rc) {
        size_t n = 0;
        char buf[4];
        size_t blen = 0;
        if (s[i] == '<' && (n = tag_length(s, len, i)) != 0) { /* only <br> here: no markup */
            rc = alliance__buf_append(out, s + plain, i - plain);
            if (!rc)
                rc = alliance__buf_append(out, "\n", 1);
        } else if (s[i] == '&' && (n = entity(s, len, i, buf, &blen)) != 0) {
            rc = alliance__buf_append(out, s + plain, i - plain);
            if (!rc)
                rc = alliance__buf_append(out, buf, blen);
        }
        if (n) {
            i += n;
            plain = i;
        } else {
            i++;
        }
    }
    if (!rc)
        rc = alliance__buf_append(out, s + plain, len - plain);
    return rc;
}

int alliance__html_field_out(alliance__buf *out, const char *s, size_t len)
{
    int rc = alliance__buf_append(out, NULL, 0);
    if (rc || alliance__html_is_markup(s, len))
        return rc ? rc : alliance__buf_append(out, s, len);
    size_t plain = 0;
    for (size_t i = 0; i < len && !rc; i++) {
        const char *with = s[i] == '&' ? "&amp;" : s[i] == '<' ? "&lt;" : s[i] == '>' ? "&gt;"
                         : s[i] == '\n' ? "<br>" : NULL;
        if (!with)
            continue;
        rc = alliance__buf_append(out, s + plain, i - plain);
        if (!rc)
            rc = alliance__buf_puts(out, with);
        plain = i + 1;
    }
    if (!rc)
        rc = alliance__buf_append(out, s + plain, len - plain);
    return rc;
}
