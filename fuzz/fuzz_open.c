/* SPDX-License-Identifier: MIT */
/*
 * fuzz_open.c - arbitrary bytes opened as a collection, then used as an app
 * would: open, list and render every card, list the decks, a session (next,
 * answer), export each deck in both formats, verify, integrity_check,
 * statistics, the review log.
 *
 * Every call must return 0, ALLIANCE_DONE or a documented code for a file that
 * is not a sound collection, with a message; nothing may crash, leak or read
 * out of bounds, and nothing may loop: libFuzzer's -timeout (scripts/fuzz.sh)
 * and replay.c's alarm turn a loop into a failure. The seeds (fuzz/corpus/open,
 * made by fuzz/make_seeds.py) are small real collections with 512-byte pages.
 */
#include "fuzz.h"

#include <alliance.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NOW INT64_C(1767614400)

static char path[4096];

static void remove_files(void);

/* The private directory goes when the process does. */
static void remove_dir(void)
{
    remove_files();
    char *slash = strrchr(path, '/');
    if (slash) {
        *slash = '\0';
        rmdir(path);
    }
}

/* A private directory for the file, made once (in /dev/shm when there is one: no disk I/O). */
static void make_path(void)
{
    if (path[0])
        return;
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char dir[4000];
    snprintf(dir, sizeof dir, "%s/alliance-fuzz-open-XXXXXX", base);
    FUZZ_ASSERT(mkdtemp(dir) != NULL, "cannot make a directory under %s", base);
    snprintf(path, sizeof path, "%s/c.alliance", dir);
    atexit(remove_dir);
}

static void remove_files(void)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    char side[4200];
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        snprintf(side, sizeof side, "%s%s", path, suffixes[i]);
        unlink(side);
    }
}

/* What a damaged or foreign file may make a call return. */
static int documented(int rc)
{
    switch (rc) {
    case ALLIANCE_OK:
    case ALLIANCE_DONE:
    case ALLIANCE_ECORRUPT:      /* damage found */
    case ALLIANCE_ENOTCOLLECTION:
    case ALLIANCE_ENEWER:
    case ALLIANCE_ENOTFOUND:     /* a card or deck the damage made vanish */
    case ALLIANCE_ENOTDUE:
    case ALLIANCE_ESTATE:        /* an SM-2 state that cannot occur, stored in the file */
    case ALLIANCE_EGRADE:        /* a review row with a grade outside 0..5, replayed */
    case ALLIANCE_ELIMIT:        /* an export of a damaged deck with too many notes to remember */
        return 1;
    default:
        return 0;
    }
}

#define CHECK(db, call)                                                                                    \
    do {                                                                                                   \
        int rc_ = (call);                                                                                  \
        FUZZ_ASSERT(documented(rc_), "%s returned %d (%s): %s", #call, rc_, alliance_strerror(rc_),       \
                    alliance_errmsg(db));                                                                  \
        if (rc_ < 0)                                                                                       \
            FUZZ_ASSERT(strcmp(alliance_errmsg(db), "not an error") != 0, "%s failed without a message", #call); \
    } while (0)

static int discard(void *opaque, const char *data, size_t len)
{
    (void)opaque;
    (void)data;
    (void)len;
    return 0;
}

static void use(alliance_db *db)
{
    /* Every card, and the decks they are in. */
    int64_t decks[8];
    size_t ndecks = 0;
    alliance_card_iter *iter = NULL;
    int rc = alliance_card_search(&iter, db, 0, NULL);
    CHECK(db, rc);
    alliance_card *card = NULL;
    while (rc == 0 && (rc = alliance_card_iter_next(iter, &card)) == 0) {
        size_t i = 0;
        while (i < ndecks && decks[i] != card->deck_id)
            i++;
        if (i == ndecks && ndecks < sizeof decks / sizeof decks[0] && card->deck_id > 0)
            decks[ndecks++] = card->deck_id;
        /* Whatever the file holds, a card read from it renders or is refused with EINVAL. */
        alliance_rendered_card *shown = NULL;
        int rendered = alliance_card_render(&shown, card, NULL);
        FUZZ_ASSERT(rendered == 0 || rendered == ALLIANCE_EINVAL, "alliance_card_render returned %d", rendered);
        alliance_free(shown);
        alliance_free(card);
        card = NULL;
    }
    CHECK(db, rc);
    alliance_card_iter_free(iter);

    /* The decks with their counts. */
    alliance_deck_iter *deck_iter = NULL;
    rc = alliance_deck_iter_open(&deck_iter, db, NOW);
    CHECK(db, rc);
    alliance_deck_info *info = NULL;
    while (rc == 0 && (rc = alliance_deck_iter_next(deck_iter, &info)) == 0)
        alliance_free(info);
    CHECK(db, rc);
    alliance_deck_iter_free(deck_iter);

    alliance_session *session = NULL;
    rc = alliance_session_open(&session, db, 0, NOW);
    CHECK(db, rc);
    for (int i = 0; rc == 0 && i < 3; i++) {
        alliance_counts counts;
        memset(&counts, 0, sizeof counts);
        counts.version = ALLIANCE_COUNTS_VERSION;
        CHECK(db, alliance_session_counts(session, NOW, &counts));
        rc = alliance_session_next(session, NOW, &card);
        CHECK(db, rc);
        if (rc == 0)
            CHECK(db, alliance_session_answer(session, card->id, i % 2 ? 5 : 2, NOW + i, 0, NULL));
        alliance_free(card);
        card = NULL;
    }
    alliance_session_close(session);

    for (size_t i = 0; i < ndecks; i++) {
        CHECK(db, alliance_deck_export(db, decks[i], ALLIANCE_FORMAT_DECK, discard, NULL));
        CHECK(db, alliance_deck_export(db, decks[i], ALLIANCE_FORMAT_ANKI_TEXT, discard, NULL));
    }
    uint64_t mismatches = 0;
    CHECK(db, alliance_verify(db, &mismatches));
    char *report = NULL;
    CHECK(db, alliance_integrity_check(db, &report));
    alliance_free(report);
    alliance_stats stats;
    alliance_stats_init(&stats, ALLIANCE_STATS_VERSION);
    CHECK(db, alliance_stats_get(db, 0, NOW, 30, &stats));
    uint32_t forecast[7];
    CHECK(db, alliance_forecast(db, 0, NOW, forecast, 7));

    alliance_review_iter *log = NULL;
    rc = alliance_review_iter_open(&log, db, NULL);
    CHECK(db, rc);
    alliance_review review;
    memset(&review, 0, sizeof review);
    review.version = ALLIANCE_REVIEW_VERSION;
    while (rc == 0 && (rc = alliance_review_iter_next(log, &review)) == 0)
        ;
    CHECK(db, rc);
    alliance_review_iter_free(log);
    rc = alliance_undo(db, NULL);
    if (rc != ALLIANCE_ENOUNDO)
        CHECK(db, rc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    make_path();
    remove_files();
    FILE *f = fopen(path, "wb");
    FUZZ_ASSERT(f != NULL, "cannot write %s", path);
    FUZZ_ASSERT(fwrite(data, 1, size, f) == size && fclose(f) == 0, "cannot write %s", path);

    alliance_open_options options;
    alliance_open_options_init(&options, ALLIANCE_OPEN_OPTIONS_VERSION);
    options.flags = 0; /* never create: the bytes are the file */
    options.synchronous = ALLIANCE_SYNC_NORMAL;
    options.busy_timeout_ms = 0;
    options.utc_offset_seconds = 0;
    alliance_db *db = NULL;
    int rc = alliance_open(&db, path, &options);
    CHECK(db, rc);
    if (rc == 0)
        use(db);
    alliance_close(db);
    remove_files();
    return 0;
}
