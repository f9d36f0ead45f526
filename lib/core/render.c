/* SPDX-License-Identifier: MIT */
/*
 * render.c - a card made ready to show (alliance_card_render): the prompt, the
 * answer, a cloze card's extra, and a choice card's options in a reproducible
 * shuffle. Pure: no SQLite, no clock; every app shows every card type the same
 * way because none of them re-derives it.
 *
 * Every string of the result passes through put_text(), the one place where a
 * rendering flag that changes text (such as HTML to plain text) applies.
 */
#include "core/cloze.h"
#include "core/html.h"

#include <string.h>

#define KNOWN_FLAGS (ALLIANCE_RENDER_KEEP_ORDER | ALLIANCE_RENDER_HTML_TEXT | ALLIANCE_RENDER_HTML_SGR)

int alliance_render_options_init(alliance_render_options *options, uint32_t version)
{
    if (!options)
        return ALLIANCE_EINVAL;
    /* Only version 1 exists; a later one will write exactly the layout asked for. */
    if (version != ALLIANCE_RENDER_OPTIONS_VERSION)
        return ALLIANCE_EVERSION;
    memset(options, 0, sizeof *options);
    options->version = ALLIANCE_RENDER_OPTIONS_VERSION;
    return ALLIANCE_OK;
}

/* ---- the shuffle (documented in alliance.h: never change it) ---- */

/* FNV-1a, 64 bits. */
static uint64_t fnv1a64(const char *s)
{
    uint64_t h = UINT64_C(14695981039346656037);
    for (; *s != '\0'; s++) {
        h ^= (unsigned char)*s;
        h *= UINT64_C(1099511628211);
    }
    return h;
}

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* order[0..n) becomes a permutation of 0..n-1 (Fisher-Yates, from the end). */
static void shuffle(size_t *order, size_t n, const char *card_id, uint64_t seed)
{
    uint64_t state = fnv1a64(card_id) ^ seed;
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = (size_t)(splitmix64(&state) % (uint64_t)(i + 1));
        size_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
}

/* ---- building the result ---- */

/* One string of the result: where its text starts in the text buffer. */
typedef struct piece {
    size_t offset;
} piece;

/* Appends text (len bytes) and its NUL; *out is where it starts. */
static int put_text(alliance__buf *text, const char *s, size_t len, uint32_t flags, piece *out)
{
    out->offset = text->len;
    int rc;
    if (flags & ALLIANCE_RENDER_HTML_TEXT)
        rc = alliance__html_to_text(text, s, len, (flags & ALLIANCE_RENDER_HTML_SGR) ? ALLIANCE__HTML_SGR : 0);
    else
        rc = alliance__buf_append(text, s, len);
    return rc ? rc : alliance__buf_append(text, "", 1);
}

/* The cloze text of `card` with its deletion hidden or revealed. */
static int put_cloze(alliance__buf *text, const alliance_card *card, int reveal, uint32_t flags, piece *out)
{
    alliance__buf rendered = {0};
    int rc = alliance__cloze_render(&rendered, card->front, strlen(card->front), card->ordinal, reveal);
    if (rc == 0)
        rc = put_text(text, rendered.data ? rendered.data : "", rendered.len, flags, out);
    alliance__buf_free(&rendered);
    return rc == ALLIANCE_EPARSE ? ALLIANCE_EINVAL : rc;
}

/* A cloze card's text must hold its own deletion, else there is nothing to hide. */
static int cloze_valid(const alliance_card *card)
{
    uint8_t seen[ALLIANCE__CLOZE_MAX + 1];
    uint32_t distinct;
    size_t offset;
    const char *message;
    if (card->ordinal < 1 || card->ordinal > ALLIANCE__CLOZE_MAX)
        return 0;
    if (alliance__cloze_scan(card->front, strlen(card->front), seen, &distinct, &offset, &message) != 0)
        return 0;
    return seen[card->ordinal] != 0;
}

/* The number of wrong options: the non-empty lines of `wrong`. */
static size_t count_lines(const char *s)
{
    size_t n = 0;
    while (*s != '\0') {
        size_t len = strcspn(s, "\n");
        n += len > 0;
        s += len + (s[len] == '\n');
    }
    return n;
}

typedef struct render_job {
    alliance__buf text;   /* every string, NUL-terminated, one after the other */
    piece prompt, answer, extra;
    piece *options;       /* option_count pieces, in display order */
    size_t option_count;
    size_t correct;
} render_job;

static int render_choice(render_job *job, const alliance_card *card, const char *back, const char *wrong,
                         const alliance_render_options *options)
{
    size_t n = 1 + count_lines(wrong);
    piece *authored = alliance__calloc(n, sizeof *authored); /* the answer, then each wrong option */
    size_t *order = alliance__calloc(n, sizeof *order);
    job->options = alliance__calloc(n, sizeof *job->options);
    int rc = authored && order && job->options ? ALLIANCE_OK : ALLIANCE_ENOMEM;
    if (rc == ALLIANCE_OK)
        rc = put_text(&job->text, back, strlen(back), options->flags, &authored[0]);
    size_t k = 1;
    for (const char *p = wrong; rc == ALLIANCE_OK && *p != '\0';) {
        size_t len = strcspn(p, "\n");
        if (len > 0)
            rc = put_text(&job->text, p, len, options->flags, &authored[k++]);
        p += len + (p[len] == '\n');
    }
    if (rc == ALLIANCE_OK) {
        for (size_t i = 0; i < n; i++)
            order[i] = i;
        if (!(options->flags & ALLIANCE_RENDER_KEEP_ORDER))
            shuffle(order, n, card->id, options->seed);
        for (size_t i = 0; i < n; i++) {
            job->options[i] = authored[order[i]];
            if (order[i] == 0)
                job->correct = i;
        }
        job->option_count = n;
        job->answer = authored[0];
    }
    alliance__free(authored);
    alliance__free(order);
    return rc;
}

static int render_into(render_job *job, const alliance_card *card, const alliance_render_options *options)
{
    const char *back = card->back ? card->back : "";
    const char *wrong = card->wrong ? card->wrong : "";
    int rc;
    switch (card->type) {
    case ALLIANCE_CARD_BASIC:
        if ((rc = put_text(&job->text, card->front, strlen(card->front), options->flags, &job->prompt)) == 0 &&
            (rc = put_text(&job->text, back, strlen(back), options->flags, &job->answer)) == 0)
            rc = put_text(&job->text, "", 0, options->flags, &job->extra);
        return rc;
    case ALLIANCE_CARD_CLOZE:
        if (!cloze_valid(card))
            return ALLIANCE_EINVAL;
        if ((rc = put_cloze(&job->text, card, 0, options->flags, &job->prompt)) == 0 &&
            (rc = put_cloze(&job->text, card, 1, options->flags, &job->answer)) == 0)
            rc = put_text(&job->text, back, strlen(back), options->flags, &job->extra);
        return rc;
    case ALLIANCE_CARD_CHOICE:
        if ((rc = put_text(&job->text, card->front, strlen(card->front), options->flags, &job->prompt)) == 0 &&
            (rc = put_text(&job->text, "", 0, options->flags, &job->extra)) == 0)
            rc = render_choice(job, card, back, wrong, options);
        return rc;
    }
    return ALLIANCE_EINVAL;
}

/* One block: the struct, the options array, then every string. */
static int assemble(const render_job *job, uint32_t type, alliance_rendered_card **out)
{
    size_t array = job->option_count * sizeof(const char *);
    alliance_rendered_card *r = alliance__calloc(1, sizeof *r + array + job->text.len);
    if (!r)
        return ALLIANCE_ENOMEM;
    const char **options = (const char **)(r + 1);
    char *text = (char *)(r + 1) + array;
    memcpy(text, job->text.data, job->text.len);
    r->version = 1;
    r->type = type;
    r->prompt = text + job->prompt.offset;
    r->answer = text + job->answer.offset;
    r->extra = text + job->extra.offset;
    r->option_count = (uint32_t)job->option_count;
    r->correct_option = (uint32_t)job->correct;
    for (size_t i = 0; i < job->option_count; i++)
        options[i] = text + job->options[i].offset;
    r->options = job->option_count ? options : NULL;
    *out = r;
    return ALLIANCE_OK;
}

int alliance_card_render(alliance_rendered_card **out, const alliance_card *card,
                         const alliance_render_options *options)
{
    alliance_render_options defaults;
    alliance_render_options_init(&defaults, ALLIANCE_RENDER_OPTIONS_VERSION);
    if (!out || !card || !card->id || !card->front)
        return ALLIANCE_EINVAL;
    if (options) {
        if (options->version != ALLIANCE_RENDER_OPTIONS_VERSION)
            return ALLIANCE_EVERSION;
        if (options->flags & ~(uint32_t)KNOWN_FLAGS)
            return ALLIANCE_EINVAL;
    } else {
        options = &defaults;
    }
    render_job job;
    memset(&job, 0, sizeof job);
    int rc = render_into(&job, card, options);
    if (rc == ALLIANCE_OK && job.option_count > UINT32_MAX)
        rc = ALLIANCE_ELIMIT;
    if (rc == ALLIANCE_OK)
        rc = assemble(&job, card->type, out);
    alliance__buf_free(&job.text);
    alliance__free(job.options);
    return rc;
}
