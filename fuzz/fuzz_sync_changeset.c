/* SPDX-License-Identifier: MIT */
/* fuzz_sync_changeset.c - any bytes as a changeset applied to a small collection
 * (docs/sync.md). Properties: no crash or sanitizer report; a refused changeset
 * changes nothing (the collection's sync state is byte-for-byte the same); an
 * accepted one leaves every card equal to the replay of its log. */
#include "fuzz.h"

#include <alliance.h>
#include <string.h>

typedef struct bytes {
    const uint8_t *data;
    size_t len, pos;
} bytes;

static int read_bytes(void *opaque, void *buf, size_t cap, size_t *out_len)
{
    bytes *b = opaque;
    size_t n = b->len - b->pos;
    if (n > cap)
        n = cap;
    if (n > 97) /* small pieces: every refill path of the reader */
        n = 97;
    memcpy(buf, b->data + b->pos, n);
    b->pos += n;
    *out_len = n;
    return 0;
}

typedef struct sink {
    char data[4096];
    size_t len;
} sink;

static int write_sink(void *opaque, const char *data, size_t len)
{
    sink *s = opaque;
    if (s->len + len > sizeof s->data)
        return 1;
    memcpy(s->data + s->len, data, len);
    s->len += len;
    return 0;
}

static const char deck[] = "deck: Fuzz\n\ncard: f1\ntype: basic\nfront: one\nback: 1\n\n"
                           "card: f2\ntype: basic\nfront: two\nback: 2\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    alliance_open_options o;
    alliance_open_options_init(&o, ALLIANCE_OPEN_OPTIONS_VERSION);
    o.utc_offset_seconds = 0;
    alliance_db *db = NULL;
    FUZZ_ASSERT(alliance_open(&db, ":memory:", &o) == ALLIANCE_OK, "open: %s", alliance_errmsg(db));
    FUZZ_ASSERT(alliance_deck_import_buffer(db, "fuzz.deck", deck, sizeof deck - 1, NULL, 1767614400, NULL) ==
                    ALLIANCE_OK, "import");
    FUZZ_ASSERT(alliance_answer(db, "f1", 4, 1767614400, 0, NULL) == ALLIANCE_OK, "answer");
    sink before = { .len = 0 }, after = { .len = 0 };
    FUZZ_ASSERT(alliance_sync_state(db, write_sink, &before) == ALLIANCE_OK, "state");
    alliance_sync_options so;
    alliance_sync_options_init(&so, ALLIANCE_SYNC_OPTIONS_VERSION);
    so.force = 1; /* seeds come from other collections: get past the id check into the records */
    bytes in = { data, size, 0 };
    alliance_sync_report *report = NULL;
    int rc = alliance_sync_apply(db, &so, read_bytes, &in, &report);
    if (rc == ALLIANCE_OK) {
        FUZZ_ASSERT(report != NULL && report->conflict_text != NULL, "no report");
        uint64_t mismatches = 1;
        FUZZ_ASSERT(alliance_verify(db, &mismatches) == ALLIANCE_OK && mismatches == 0, "verify: %s",
                    alliance_errmsg(db));
    } else {
        FUZZ_ASSERT(rc < 0 && alliance_errmsg(db)[0] != '\0', "rc %d", rc);
        FUZZ_ASSERT(alliance_sync_state(db, write_sink, &after) == ALLIANCE_OK, "state");
        FUZZ_ASSERT(before.len == after.len && memcmp(before.data, after.data, before.len) == 0,
                    "a refused changeset changed the collection (%s)", alliance_errmsg(db));
    }
    alliance_free(report);
    alliance_close(db);
    return 0;
}
