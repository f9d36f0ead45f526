/* SPDX-License-Identifier: MIT */
/*
 * lint_similar.c - which notes ask the same thing.
 *
 * Each note becomes the set of content words (stems, lint_text.h) of its question
 * and answer together: a basic card's front and back, a choice card's question and
 * answer, a cloze card's text with every deletion shown. Words are weighted by how
 * rare they are in the deck (idf = ln((N + 1) / (df + 0.5)) for a word in df of
 * the N notes), so that the words every card shares ("client", "social") count for
 * little; two notes are compared by the cosine of their weighted sets.
 *
 * All pairs are not compared: the search is the All-Pairs algorithm of Bayardo,
 * Ma and Srikant (WWW 2007), with the length bound of L2AP (Anastasiu and Karypis,
 * ICDE 2014). Each note's words are taken most common first, and a note is indexed
 * only under the words after the point where the common words alone could no
 * longer reach the threshold with any note; a note looks for earlier ones through
 * its rarest words first and stops when the rest could no longer reach it. A pair
 * above the threshold always meets, and every candidate is verified exactly. The
 * common words' long lists are mostly never read: 10,000 notes take a third of a
 * second, 30,000 about 2 s (a Zipf-distributed vocabulary, this project's 2-core
 * machine). A budget of steps bounds what a huge or hostile deck (a million copies
 * of one card) can cost; past it the search stops and says where.
 */
#include "deck/lint_similar.h"

#include "core/cloze.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- small growable arrays ---- */

typedef struct u32vec {
    uint32_t *v;
    size_t len, cap;
} u32vec;

static int u32_push(u32vec *a, uint32_t x)
{
    if (a->len == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 64;
        uint32_t *v = alliance__realloc(a->v, cap * sizeof *v);
        if (!v)
            return ALLIANCE_ENOMEM;
        a->v = v;
        a->cap = cap;
    }
    a->v[a->len++] = x;
    return ALLIANCE_OK;
}

static int compare_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Sorts v[from..len) and drops repeats. */
static void sort_unique(u32vec *a, size_t from)
{
    size_t n = a->len - from;
    if (n < 2)
        return;
    qsort(a->v + from, n, sizeof *a->v, compare_u32);
    size_t o = from + 1;
    for (size_t i = from + 1; i < a->len; i++)
        if (a->v[i] != a->v[o - 1])
            a->v[o++] = a->v[i];
    a->len = o;
}

/* ---- a string -> id table (words, option keys) ---- */

typedef struct strtab {
    alliance__buf chars;   /* the strings, each NUL-terminated */
    size_t *offset;        /* per id */
    uint32_t *count;       /* per id: df for words, sharers for option keys */
    uint32_t size, cap;
    uint32_t *slots;       /* open addressing: id + 1, 0 = empty */
    uint32_t slot_cap;     /* a power of two */
} strtab;

static uint64_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static int strtab_grow(strtab *t)
{
    uint32_t cap = t->slot_cap ? t->slot_cap * 2 : 1024;
    uint32_t *slots = alliance__calloc(cap, sizeof *slots);
    if (!slots)
        return ALLIANCE_ENOMEM;
    for (uint32_t id = 0; id < t->size; id++) {
        const char *s = t->chars.data + t->offset[id];
        uint32_t i = (uint32_t)hash_bytes(s, strlen(s)) & (cap - 1);
        while (slots[i])
            i = (i + 1) & (cap - 1);
        slots[i] = id + 1;
    }
    alliance__free(t->slots);
    t->slots = slots;
    t->slot_cap = cap;
    return ALLIANCE_OK;
}

/* The id of s[0..len) (no NUL inside), added if new. */
static int strtab_intern(strtab *t, const char *s, size_t len, uint32_t *out)
{
    if ((t->size + 1) * 2 > t->slot_cap && strtab_grow(t) != 0)
        return ALLIANCE_ENOMEM;
    uint32_t i = (uint32_t)hash_bytes(s, len) & (t->slot_cap - 1);
    while (t->slots[i]) {
        uint32_t id = t->slots[i] - 1;
        const char *have = t->chars.data + t->offset[id];
        if (strncmp(have, s, len) == 0 && have[len] == '\0') {
            *out = id;
            return ALLIANCE_OK;
        }
        i = (i + 1) & (t->slot_cap - 1);
    }
    if (t->size == t->cap) {
        uint32_t cap = t->cap ? t->cap * 2 : 1024;
        size_t *offset = alliance__realloc(t->offset, cap * sizeof *offset);
        if (!offset)
            return ALLIANCE_ENOMEM;
        t->offset = offset;
        uint32_t *count = alliance__realloc(t->count, cap * sizeof *count);
        if (!count)
            return ALLIANCE_ENOMEM;
        t->count = count;
        t->cap = cap;
    }
    size_t at = t->chars.len;
    if (alliance__buf_append(&t->chars, s, len) != 0 || alliance__buf_append(&t->chars, "", 1) != 0)
        return ALLIANCE_ENOMEM;
    t->offset[t->size] = at;
    t->count[t->size] = 0;
    t->slots[i] = t->size + 1;
    *out = t->size++;
    return ALLIANCE_OK;
}

static void strtab_free(strtab *t)
{
    alliance__buf_free(&t->chars);
    alliance__free(t->offset);
    alliance__free(t->count);
    alliance__free(t->slots);
}

/* ---- one inverted index in a single block: term -> items, in the order added ---- */

typedef struct postings {
    size_t *start;      /* per term, start[term_count] = entries */
    uint32_t *item;
} postings;

static void postings_free(postings *p)
{
    alliance__free(p->start);
    alliance__free(p->item);
}

/* ---- the deck as word sets ---- */

/* A card's answer: a basic back, a choice answer, or the text of one cloze deletion number. */
typedef struct answer {
    uint32_t note;
    uint32_t number;   /* the deletion number of a cloze, else 0 */
    size_t off, count; /* its words in words.answers */
    double norm;
    uint32_t rarest;   /* its word with the highest idf */
} answer;

typedef struct sets {
    const alliance__deck *deck;
    alliance__words *splitter;
    strtab vocab;
    u32vec facts;      /* every note's words, sorted by id, one note after another */
    size_t *fact_off;  /* note_count + 1 */
    double *norm;      /* per note */
    u32vec answer_words;
    answer *answers;
    size_t answer_count, answer_cap;
    double *idf;       /* per word */
    alliance__buf text, scratch;
    uint64_t work, work_max; /* steps taken and allowed, per comparison */
} sets;

typedef struct collect {
    sets *s;
    u32vec *into;
} collect;

static int collect_word(void *ctx, const char *stem, size_t len)
{
    collect *c = ctx;
    uint32_t id;
    if (strtab_intern(&c->s->vocab, stem, len, &id) != 0)
        return ALLIANCE_ENOMEM;
    return u32_push(c->into, id);
}

static int is_alnum_byte(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Appends the words of text[0..len) to `into` as a sorted set. Titles are blanked out and
 * case and quotes normalised first. */
static int add_words(sets *s, u32vec *into, const char *text, size_t len, const char *titles, size_t titles_len)
{
    s->scratch.len = 0;
    if (alliance__text_normalise(&s->scratch, text, len) != 0)
        return ALLIANCE_ENOMEM;
    char *t = s->scratch.data;
    alliance__text_lower(t, s->scratch.len);
    for (size_t at = 0; at < titles_len; at += strlen(titles + at) + 1) {
        const char *title = titles + at;
        size_t n = strlen(title);
        for (char *hit = n ? strstr(t, title) : NULL; hit; hit = strstr(hit + 1, title))
            if (!(hit > t && is_alnum_byte(hit[-1])) && !is_alnum_byte(hit[n]))
                memset(hit, ' ', n);
    }
    size_t from = into->len;
    collect c = {s, into};
    int rc = alliance__words_each(s->splitter, t, s->scratch.len, collect_word, &c);
    if (rc == 0)
        sort_unique(into, from);
    return rc;
}

static int add_answer(sets *s, uint32_t note, uint32_t number, const char *text, size_t len, const char *titles,
                      size_t titles_len)
{
    if (s->answer_count == s->answer_cap) {
        size_t cap = s->answer_cap ? s->answer_cap * 2 : 256;
        answer *a = alliance__realloc(s->answers, cap * sizeof *a);
        if (!a)
            return ALLIANCE_ENOMEM;
        s->answers = a;
        s->answer_cap = cap;
    }
    answer *a = &s->answers[s->answer_count];
    memset(a, 0, sizeof *a);
    a->note = note;
    a->number = number;
    a->off = s->answer_words.len;
    int rc = add_words(s, &s->answer_words, text, len, titles, titles_len);
    if (rc)
        return rc;
    a->count = s->answer_words.len - a->off;
    s->answer_count++;
    return ALLIANCE_OK;
}

/* A note's question-and-answer text in s->text, and its answers. */
static int read_note(sets *s, uint32_t index, const char *titles, size_t titles_len)
{
    const alliance__deck *deck = s->deck;
    const alliance__deck_note *n = &deck->notes[index];
    const char *front = alliance__note_str(deck, n, ALLIANCE__F_FRONT);
    const char *back = alliance__note_str(deck, n, ALLIANCE__F_BACK);
    size_t front_len = strlen(front);
    s->text.len = 0;
    int rc;
    if (n->type == ALLIANCE_CARD_CLOZE) {
        /* Ordinal 0 matches no deletion: every deletion shows its text. */
        rc = alliance__cloze_render(&s->text, front, front_len, 0, 1);
        uint8_t seen[ALLIANCE__CLOZE_MAX + 1] = {0};
        size_t pos = 0;
        alliance__cloze_deletion d;
        while (rc == 0 && alliance__cloze_next(front, front_len, &pos, &d) == 0)
            seen[d.number] = 1;
        for (uint32_t number = 1; rc == 0 && number <= ALLIANCE__CLOZE_MAX; number++) {
            if (!seen[number])
                continue;
            alliance__buf joined = {0};
            pos = 0;
            while (rc == 0 && alliance__cloze_next(front, front_len, &pos, &d) == 0)
                if (d.number == number)
                    if ((rc = alliance__buf_append(&joined, front + d.text, d.text_len)) == 0)
                        rc = alliance__buf_append(&joined, " ", 1);
            if (rc == 0)
                rc = add_answer(s, index, number, joined.data, joined.len, titles, titles_len);
            alliance__buf_free(&joined);
        }
    } else {
        rc = alliance__buf_append(&s->text, front, front_len);
        if (rc == 0)
            rc = alliance__buf_append(&s->text, "\n", 1);
        if (rc == 0)
            rc = alliance__buf_append(&s->text, back, strlen(back));
        if (rc == 0)
            rc = add_answer(s, index, 0, back, strlen(back), titles, titles_len);
    }
    if (rc == 0 && !s->text.data)
        rc = alliance__buf_append(&s->text, "", 0);
    if (rc)
        return rc == ALLIANCE_EPARSE ? ALLIANCE_OK : rc; /* a parsed deck has no malformed cloze */
    return add_words(s, &s->facts, s->text.data, s->text.len, titles, titles_len);
}

static double set_norm(const sets *s, const uint32_t *w, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += s->idf[w[i]] * s->idf[w[i]];
    return sqrt(sum);
}

/* Sum of idf^2 over the words both sorted sets hold; *a_in_b / *b_in_a say whether one holds
 * all of the other. */
static double overlap(sets *s, const uint32_t *a, size_t na, const uint32_t *b, size_t nb, int *a_in_b,
                      int *b_in_a)
{
    size_t i = 0, j = 0, common = 0;
    double sum = 0;
    while (i < na && j < nb) {
        if (a[i] < b[j]) {
            i++;
        } else if (a[i] > b[j]) {
            j++;
        } else {
            sum += s->idf[a[i]] * s->idf[a[i]];
            common++;
            i++;
            j++;
        }
    }
    s->work += na + nb;
    if (a_in_b)
        *a_in_b = common == na;
    if (b_in_a)
        *b_in_a = common == nb;
    return sum;
}

/* Past the budget of one comparison: it stops before `next` and says so. */
static int over_budget(sets *s, uint32_t next, const alliance__lint_similar_hooks *hooks, const char *what,
                       int *rc)
{
    if (s->work <= s->work_max || next >= s->deck->note_count)
        return 0;
    *rc = hooks->incomplete(hooks->ctx, next, what);
    return 1;
}

static uint32_t milli(double x)
{
    return x >= 1.0 ? 1000u : (uint32_t)(x * 1000.0);
}

/* ---- near duplicates: All-Pairs ---- */

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* rank[w]: the place of word w when the words are ordered most common first (ties by id). */
static uint32_t *word_ranks(const sets *s)
{
    uint32_t words = s->vocab.size;
    uint64_t *key = alliance__malloc((words ? words : 1) * sizeof *key);
    uint32_t *rank = alliance__malloc((words ? words : 1) * sizeof *rank);
    if (!key || !rank) {
        alliance__free(key);
        alliance__free(rank);
        return NULL;
    }
    for (uint32_t w = 0; w < words; w++)
        key[w] = ((uint64_t)(UINT32_MAX - s->vocab.count[w]) << 32) | w;
    qsort(key, words, sizeof *key, compare_u64);
    for (uint32_t r = 0; r < words; r++)
        rank[(uint32_t)key[r]] = r;
    alliance__free(key);
    return rank;
}

static int near_duplicates(sets *s, double threshold, const alliance__lint_similar_hooks *hooks, uint8_t *flagged)
{
    uint32_t n = s->deck->note_count, words = s->vocab.size;
    double *maxw = alliance__calloc(words ? words : 1, sizeof *maxw);
    size_t *count = alliance__calloc((size_t)words + 1, sizeof *count);
    uint32_t *order = alliance__malloc((s->facts.len ? s->facts.len : 1) * sizeof *order);
    uint32_t *rank = word_ranks(s), *word_at = alliance__malloc((words ? words : 1) * sizeof *word_at);
    size_t *prefix = alliance__malloc(((size_t)n + 1) * sizeof *prefix);
    uint8_t *touched_flag = alliance__calloc(n ? n : 1, 1);
    u32vec touched = {0};
    postings idx = {0};
    int rc = ALLIANCE_ENOMEM;
    if (!maxw || !count || !order || !prefix || !touched_flag || !rank || !word_at)
        goto done;
    for (uint32_t w = 0; w < words; w++)
        word_at[rank[w]] = w;
    for (uint32_t i = 0; i < n; i++) {
        for (size_t k = s->fact_off[i]; k < s->fact_off[i + 1]; k++) {
            double w = s->idf[s->facts.v[k]] / s->norm[i];
            if (w > maxw[s->facts.v[k]])
                maxw[s->facts.v[k]] = w;
        }
    }
    /* Each note's words, most common first; prefix[i]: how many of them stay out of the index. */
    for (size_t k = 0; k < s->facts.len; k++)
        order[k] = rank[s->facts.v[k]];
    for (uint32_t i = 0; i < n; i++) {
        size_t from = s->fact_off[i], len = s->fact_off[i + 1] - from;
        if (len > 1)
            qsort(order + from, len, sizeof *order, compare_u32);
        for (size_t k = 0; k < len; k++)
            order[from + k] = word_at[order[from + k]];
        /* Two bounds of what the prefix can add to a cosine with any note: the sum of its
         * weights times the largest weight each word has anywhere (All-Pairs), and its own
         * length, since every note has length 1 (Cauchy-Schwarz, as L2AP). The smaller wins. */
        double by_max = 0, squares = 0;
        size_t k = 0;
        for (; k < len; k++) {
            uint32_t w = order[from + k];
            double weight = s->idf[w] / s->norm[i];
            by_max += weight * maxw[w];
            squares += weight * weight;
            if (by_max >= threshold && squares >= threshold * threshold)
                break;
        }
        prefix[i] = k;
        for (; k < len; k++)
            count[order[from + k]]++;
    }
    idx.start = alliance__malloc(((size_t)words + 1) * sizeof *idx.start);
    size_t total = 0;
    if (!idx.start)
        goto done;
    for (uint32_t w = 0; w < words; w++) {
        idx.start[w] = total;
        total += count[w];
        count[w] = idx.start[w]; /* now the next free entry */
    }
    idx.start[words] = total;
    idx.item = alliance__malloc((total ? total : 1) * sizeof *idx.item);
    if (!idx.item)
        goto done;
    for (uint32_t i = 0; i < n; i++) {
        for (size_t k = s->fact_off[i] + prefix[i]; k < s->fact_off[i + 1]; k++) {
            uint32_t w = order[k];
            idx.item[count[w]++] = i;
        }
    }

    rc = ALLIANCE_OK;
    for (uint32_t i = 0; i < n && rc == 0; i++) {
        if (s->norm[i] == 0)
            continue;
        touched.len = 0;
        /* Rarest words first. A note that shares none of the words seen so far can only reach
         * the threshold through the rest; once the rest's bound (as for the index above) is
         * below it, no new candidate can come, and the candidates found are verified in full. */
        size_t from = s->fact_off[i], len = s->fact_off[i + 1] - from;
        double rest_by_max = 0, rest_squares = 0;
        for (size_t k = 0; k < len; k++) {
            double weight = s->idf[order[from + k]] / s->norm[i];
            rest_by_max += weight * maxw[order[from + k]];
            rest_squares += weight * weight;
        }
        for (size_t k = len; k-- > 0 && rc == 0;) {
            if (rest_by_max < threshold || rest_squares < threshold * threshold)
                break;
            uint32_t w = order[from + k];
            double wi = s->idf[w] / s->norm[i];
            rest_by_max -= wi * maxw[w];
            rest_squares -= wi * wi;
            for (size_t e = idx.start[w]; e < idx.start[w + 1] && idx.item[e] < i; e++) {
                uint32_t j = idx.item[e];
                if (!touched_flag[j]) {
                    touched_flag[j] = 1;
                    if (u32_push(&touched, j) != 0)
                        rc = ALLIANCE_ENOMEM;
                }
                s->work++;
            }
        }
        uint32_t best = UINT32_MAX;
        double best_sim = 0;
        for (size_t t = 0; t < touched.len; t++) {
            uint32_t j = touched.v[t];
            touched_flag[j] = 0;
            if (rc)
                continue;
            double sim = overlap(s, s->facts.v + s->fact_off[i], s->fact_off[i + 1] - s->fact_off[i],
                                 s->facts.v + s->fact_off[j], s->fact_off[j + 1] - s->fact_off[j], NULL, NULL) /
                         (s->norm[i] * s->norm[j]);
            if (sim >= threshold && (sim > best_sim || (sim == best_sim && j < best))) {
                best = j;
                best_sim = sim;
            }
        }
        if (rc)
            break;
        if (best != UINT32_MAX) {
            flagged[i] = 1;
            rc = hooks->near_duplicate(hooks->ctx, i, best, milli(best_sim));
        }
        if (rc == 0 && over_budget(s, i + 1, hooks, "near-duplicate", &rc))
            break;
    }
done:
    alliance__free(maxw);
    alliance__free(count);
    alliance__free(order);
    alliance__free(rank);
    alliance__free(word_at);
    alliance__free(prefix);
    alliance__free(touched_flag);
    alliance__free(touched.v);
    postings_free(&idx);
    return rc;
}

/* ---- choice notes that share two wrong options ---- */

int alliance__lint_option_key(alliance__buf *out, const char *option, size_t len)
{
    out->len = 0;
    if (alliance__text_normalise(out, option, len) != 0)
        return ALLIANCE_ENOMEM;
    alliance__text_lower(out->data, out->len);
    if (out->len > 0 && out->data[out->len - 1] == '.')
        out->data[--out->len] = '\0';
    return ALLIANCE_OK;
}

/* The choice note's answer (every note has one answer entry, clozes one per number). */
static const answer *answer_of(const sets *s, const size_t *first_answer, uint32_t note)
{
    return &s->answers[first_answer[note]];
}

static int shared_options(sets *s, const size_t *first_answer, const alliance__lint_similar_hooks *hooks,
                          const uint8_t *flagged)
{
    const alliance__deck *deck = s->deck;
    uint32_t n = deck->note_count;
    strtab keys = {0};
    u32vec key_of = {0};     /* per wrong option of every choice note, in order: its key */
    u32vec note_of = {0};    /* ... and its note */
    u32vec line_of = {0};    /* ... and which line of the note's wrong options it is */
    postings idx = {0};
    uint32_t *hits = alliance__calloc(n ? n : 1, sizeof *hits);
    uint32_t *line1 = alliance__calloc(n ? n : 1, sizeof *line1); /* the option lines of the first */
    uint32_t *line2 = alliance__calloc(n ? n : 1, sizeof *line2); /* two shared with note j */
    u32vec touched = {0};
    alliance__buf key = {0};
    int rc = hits && line1 && line2 ? ALLIANCE_OK : ALLIANCE_ENOMEM;
    for (uint32_t i = 0; i < n && rc == 0; i++) {
        if (deck->notes[i].type != ALLIANCE_CARD_CHOICE)
            continue;
        const char *wrong = alliance__note_str(deck, &deck->notes[i], ALLIANCE__F_WRONG);
        uint32_t line = 0;
        for (const char *p = wrong; rc == 0; line++) {
            size_t len = strcspn(p, "\n");
            uint32_t id;
            rc = alliance__lint_option_key(&key, p, len);
            if (rc == 0)
                rc = strtab_intern(&keys, key.data, key.len, &id);
            if (rc == 0 && (rc = u32_push(&key_of, id)) == 0 && (rc = u32_push(&note_of, i)) == 0)
                rc = u32_push(&line_of, line);
            if (!p[len])
                break;
            p += len + 1;
        }
    }
    /* An option repeated within one note counts once for it (the same-option check says the rest). */
    for (size_t e = 0; e < key_of.len && rc == 0; e++) {
        int repeat = 0;
        for (size_t f = e; f-- > 0 && note_of.v[f] == note_of.v[e];)
            repeat |= key_of.v[f] == key_of.v[e];
        if (!repeat)
            keys.count[key_of.v[e]]++;
        else
            key_of.v[e] = UINT32_MAX;
    }
    if (rc == 0) {
        idx.start = alliance__malloc(((size_t)keys.size + 1) * sizeof *idx.start);
        idx.item = alliance__malloc((key_of.len ? key_of.len : 1) * sizeof *idx.item);
        if (!idx.start || !idx.item)
            rc = ALLIANCE_ENOMEM;
    }
    if (rc == 0) {
        size_t total = 0;
        for (uint32_t k = 0; k < keys.size; k++) {
            idx.start[k] = total;
            total += keys.count[k];
            keys.count[k] = (uint32_t)idx.start[k];
        }
        idx.start[keys.size] = total;
        for (size_t e = 0; e < key_of.len; e++)
            if (key_of.v[e] != UINT32_MAX)
                idx.item[keys.count[key_of.v[e]]++] = note_of.v[e];
    }
    for (size_t e = 0; e < key_of.len && rc == 0;) {
        uint32_t i = note_of.v[e];
        size_t end = e;
        while (end < key_of.len && note_of.v[end] == i)
            end++;
        touched.len = 0;
        for (size_t f = e; f < end && rc == 0; f++) {
            uint32_t k = key_of.v[f];
            if (k == UINT32_MAX || idx.start[k + 1] - idx.start[k] > ALLIANCE__LINT_OPTION_SHARERS_MAX)
                continue;
            for (size_t p = idx.start[k]; p < idx.start[k + 1] && idx.item[p] < i; p++) {
                uint32_t j = idx.item[p];
                if (hits[j]++ == 0) {
                    line1[j] = line_of.v[f];
                    rc = u32_push(&touched, j);
                } else if (hits[j] == 2) {
                    line2[j] = line_of.v[f];
                }
                s->work++;
            }
        }
        uint32_t other = UINT32_MAX;
        for (size_t t = 0; t < touched.len; t++) {
            uint32_t j = touched.v[t];
            if (rc == 0 && other == UINT32_MAX && !flagged[i] && hits[j] >= 2) {
                const answer *a = answer_of(s, first_answer, i), *b = answer_of(s, first_answer, j);
                if (overlap(s, s->answer_words.v + a->off, a->count, s->answer_words.v + b->off, b->count, NULL,
                            NULL) > 0)
                    other = j;
            }
            if (other != j)
                hits[j] = 0;
        }
        if (rc == 0 && other != UINT32_MAX) {
            /* The two options as `note` writes them. */
            const char *p = alliance__note_str(deck, &deck->notes[i], ALLIANCE__F_WRONG);
            char *opt[2] = {NULL, NULL};
            for (uint32_t line = 0; rc == 0; line++) {
                size_t len = strcspn(p, "\n");
                for (int q = 0; q < 2; q++)
                    if (line == (q ? line2[other] : line1[other]) && !(opt[q] = alliance__strndup(p, len)))
                        rc = ALLIANCE_ENOMEM;
                if (!p[len])
                    break;
                p += len + 1;
            }
            if (rc == 0 && opt[0] && opt[1])
                rc = hooks->shared_options(hooks->ctx, i, other, opt[0], opt[1]);
            alliance__free(opt[0]);
            alliance__free(opt[1]);
            hits[other] = 0;
        }
        if (rc == 0 && end < key_of.len && over_budget(s, note_of.v[end], hooks, "shared-option", &rc))
            break;
        e = end;
    }
    strtab_free(&keys);
    alliance__free(key_of.v);
    alliance__free(note_of.v);
    alliance__free(line_of.v);
    postings_free(&idx);
    alliance__free(hits);
    alliance__free(line1);
    alliance__free(line2);
    alliance__free(touched.v);
    alliance__buf_free(&key);
    return rc;
}

/* ---- cloze deletions that hide another card's answer ---- */

static int blanks(sets *s, const alliance__lint_similar_hooks *hooks)
{
    uint32_t words = s->vocab.size;
    postings all = {0}, rare = {0};
    size_t *count_all = alliance__calloc((size_t)words + 1, sizeof *count_all);
    size_t *count_rare = alliance__calloc((size_t)words + 1, sizeof *count_rare);
    int rc = count_all && count_rare ? ALLIANCE_OK : ALLIANCE_ENOMEM;
    for (size_t a = 0; a < s->answer_count && rc == 0; a++) {
        answer *x = &s->answers[a];
        const uint32_t *w = s->answer_words.v + x->off;
        x->norm = set_norm(s, w, x->count);
        x->rarest = UINT32_MAX;
        for (size_t k = 0; k < x->count; k++) {
            count_all[w[k]]++;
            if (x->rarest == UINT32_MAX || s->idf[w[k]] > s->idf[x->rarest])
                x->rarest = w[k];
        }
        if (x->rarest != UINT32_MAX)
            count_rare[x->rarest]++;
    }
    if (rc == 0) {
        all.start = alliance__malloc(((size_t)words + 1) * sizeof *all.start);
        rare.start = alliance__malloc(((size_t)words + 1) * sizeof *rare.start);
        all.item = alliance__malloc((s->answer_words.len ? s->answer_words.len : 1) * sizeof *all.item);
        rare.item = alliance__malloc((s->answer_count ? s->answer_count : 1) * sizeof *rare.item);
        if (!all.start || !rare.start || !all.item || !rare.item)
            rc = ALLIANCE_ENOMEM;
    }
    if (rc == 0) {
        size_t ta = 0, tr = 0;
        for (uint32_t w = 0; w < words; w++) {
            all.start[w] = ta;
            rare.start[w] = tr;
            ta += count_all[w];
            tr += count_rare[w];
            count_all[w] = all.start[w];
            count_rare[w] = rare.start[w];
        }
        all.start[words] = ta;
        rare.start[words] = tr;
        for (size_t a = 0; a < s->answer_count; a++) {
            const answer *x = &s->answers[a];
            for (size_t k = 0; k < x->count; k++)
                all.item[count_all[s->answer_words.v[x->off + k]]++] = (uint32_t)a;
            if (x->rarest != UINT32_MAX)
                rare.item[count_rare[x->rarest]++] = (uint32_t)a;
        }
    }
    for (size_t b = 0; b < s->answer_count && rc == 0; b++) {
        const answer *blank = &s->answers[b];
        if (s->deck->notes[blank->note].type != ALLIANCE_CARD_CLOZE || blank->count == 0)
            continue;
        const uint32_t *bw = s->answer_words.v + blank->off;
        size_t best = SIZE_MAX;
        double best_sim = 0;
        /* Answers holding all of the blank's words hold its rarest one; answers whose words
         * are all in the blank have their rarest word there. */
        for (size_t pass = 0; pass <= blank->count; pass++) {
            const postings *p = pass == 0 ? &all : &rare;
            uint32_t w = pass == 0 ? blank->rarest : bw[pass - 1];
            for (size_t e = p->start[w]; e < p->start[w + 1]; e++) {
                const answer *a = &s->answers[p->item[e]];
                s->work++;
                if (a->note == blank->note || a->count == 0 ||
                    (s->deck->notes[a->note].type == ALLIANCE_CARD_CLOZE && a->note > blank->note))
                    continue;
                int b_in_a, a_in_b;
                double sim = overlap(s, bw, blank->count, s->answer_words.v + a->off, a->count, &b_in_a, &a_in_b) /
                             (blank->norm * a->norm);
                if ((b_in_a || a_in_b) && sim >= ALLIANCE__LINT_BLANK_SIMILARITY - 1e-9 &&
                    (sim > best_sim || (sim == best_sim && p->item[e] < best))) {
                    best = p->item[e];
                    best_sim = sim;
                }
            }
        }
        if (best != SIZE_MAX)
            rc = hooks->blank_is_answer(hooks->ctx, blank->note, blank->number, s->answers[best].note,
                                        s->answers[best].number, milli(best_sim));
        if (rc == 0 && b + 1 < s->answer_count && s->answers[b + 1].note != blank->note &&
            over_budget(s, s->answers[b + 1].note, hooks, "blank-is-answer", &rc))
            break;
    }
    alliance__free(count_all);
    alliance__free(count_rare);
    postings_free(&all);
    postings_free(&rare);
    return rc;
}

int alliance__lint_similar(const alliance__deck *deck, alliance__words *words, const char *titles,
                           size_t titles_len, double threshold, uint64_t work_max,
                           const alliance__lint_similar_hooks *hooks)
{
    sets s;
    memset(&s, 0, sizeof s);
    s.deck = deck;
    s.splitter = words;
    s.work_max = work_max;
    uint32_t n = deck->note_count;
    uint8_t *flagged = alliance__calloc(n ? n : 1, 1);
    size_t *first_answer = alliance__malloc(((size_t)n + 1) * sizeof *first_answer);
    s.fact_off = alliance__malloc(((size_t)n + 1) * sizeof *s.fact_off);
    s.norm = alliance__calloc(n ? n : 1, sizeof *s.norm);
    int rc = flagged && first_answer && s.fact_off && s.norm ? ALLIANCE_OK : ALLIANCE_ENOMEM;
    /* Both word lists exist even for a deck without a word: they are indexed with offsets. */
    if (rc == 0 && (u32_push(&s.facts, 0) != 0 || u32_push(&s.answer_words, 0) != 0))
        rc = ALLIANCE_ENOMEM;
    s.facts.len = s.answer_words.len = 0;
    for (uint32_t i = 0; i < n && rc == 0; i++) {
        s.fact_off[i] = s.facts.len;
        first_answer[i] = s.answer_count;
        rc = read_note(&s, i, titles, titles_len);
    }
    if (rc == 0) {
        s.fact_off[n] = s.facts.len;
        first_answer[n] = s.answer_count;
        /* Document frequency over the notes' question-and-answer sets. */
        for (size_t k = 0; k < s.facts.len; k++)
            s.vocab.count[s.facts.v[k]]++;
        s.idf = alliance__malloc((s.vocab.size ? s.vocab.size : 1) * sizeof *s.idf);
        if (!s.idf)
            rc = ALLIANCE_ENOMEM;
    }
    if (rc == 0) {
        for (uint32_t w = 0; w < s.vocab.size; w++)
            s.idf[w] = log(((double)n + 1.0) / ((double)s.vocab.count[w] + 0.5));
        for (uint32_t i = 0; i < n; i++)
            s.norm[i] = set_norm(&s, s.facts.v + s.fact_off[i], s.fact_off[i + 1] - s.fact_off[i]);
        rc = near_duplicates(&s, threshold, hooks, flagged);
    }
    s.work = 0;
    if (rc == 0)
        rc = shared_options(&s, first_answer, hooks, flagged);
    s.work = 0;
    if (rc == 0)
        rc = blanks(&s, hooks);
    strtab_free(&s.vocab);
    alliance__free(s.facts.v);
    alliance__free(s.fact_off);
    alliance__free(s.norm);
    alliance__free(s.answer_words.v);
    alliance__free(s.answers);
    alliance__free(s.idf);
    alliance__buf_free(&s.text);
    alliance__buf_free(&s.scratch);
    alliance__free(flagged);
    alliance__free(first_answer);
    return rc;
}
