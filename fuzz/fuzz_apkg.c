/* SPDX-License-Identifier: MIT */
/*
 * fuzz_apkg.c - an .apkg is hostile input: whatever the bytes, the package reader and the
 * mapping to our notes end in success or in an error that names what is wrong, never in a
 * crash, a leak, or memory past the limits (docs/anki.md, "Safety").
 */
#include "fuzz.h"

#include "interop/apkg.h"

#include <string.h>
#include <zip.h>
#include <zstd.h>

/* A zip's CRC stops most mutations of a member at the door: so the first byte also says what
 * the rest is. 'P' (or anything else): a whole package. 1: the collection of a legacy package
 * (collection.anki2), zipped here. 2: the collection of a current package, compressed with
 * zstd here as collection.anki21b, with meta. The reader sees a well-formed zip either way. */
static char *wrap(const uint8_t *data, size_t size, int current, size_t *out_len)
{
    void *compressed = NULL;
    size_t clen = size;
    if (current) {
        size_t bound = ZSTD_compressBound(size);
        compressed = malloc(bound ? bound : 1);
        if (!compressed)
            return NULL;
        clen = ZSTD_compress(compressed, bound, data, size, 1);
        if (ZSTD_isError(clen)) {
            free(compressed);
            return NULL;
        }
    }
    zip_error_t e;
    zip_error_init(&e);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &e);
    zip_t *z = src ? zip_open_from_source(src, ZIP_TRUNCATE, &e) : NULL;
    zip_error_fini(&e);
    char *out = NULL;
    if (z) {
        zip_source_keep(src);
        if (current)
            zip_file_add(z, "meta", zip_source_buffer(z, "\x08\x03", 2, 0), 0);
        zip_file_add(z, current ? "collection.anki21b" : "collection.anki2",
                     zip_source_buffer(z, current ? compressed : (const void *)data, clen, 0), 0);
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_close(z) != 0) {
            zip_discard(z);
        } else if (zip_source_stat(src, &st) == 0 && zip_source_open(src) == 0) {
            out = malloc(st.size ? st.size : 1);
            if (out)
                *out_len = (size_t)zip_source_read(src, out, st.size);
            zip_source_close(src);
        }
    }
    if (src)
        zip_source_free(src);
    free(compressed);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *wrapped = NULL;
    size_t len = size;
    if (size > 0 && (data[0] == 1 || data[0] == 2)) {
        wrapped = wrap(data + 1, size - 1, data[0] == 2, &len);
        if (!wrapped)
            return 0;
    }
    alliance__apkg pkg;
    alliance__apkg_init(&pkg);
    int rc = alliance__apkg_read(&pkg, "fuzz.apkg", NULL, wrapped ? wrapped : (const char *)data, len);
    FUZZ_ASSERT(rc == 0 || rc == ALLIANCE_EPARSE || rc == ALLIANCE_ELIMIT || rc == ALLIANCE_ENOMEM,
                "unexpected code %d", rc);
    FUZZ_ASSERT(rc == 0 || pkg.error[0] != '\0', "a failure (%d) without a message", rc);
    if (rc == 0) {
        alliance__deck deck;
        alliance__deck_init(&deck, pkg.where);
        alliance__buf notices = {0};
        int mrc = alliance__apkg_to_deck(&pkg, &deck, &notices);
        FUZZ_ASSERT(mrc == 0 || deck.error_count > 0 || mrc == ALLIANCE_ENOMEM, "a failure (%d) without an error",
                    mrc);
        /* Every note kept obeys our rules: its id is one, so it can be stored. */
        for (uint32_t i = 0; mrc == 0 && i < deck.note_count; i++)
            FUZZ_ASSERT(alliance__note_str(&deck, &deck.notes[i], ALLIANCE__F_ID)[0] != '\0', "note %u has no id", i);
        /* Anki's suspended and buried cards are held on notes kept, in note order (a lookup
         * searches them by note), each with a card ordinal a note can have. */
        for (uint32_t i = 0; mrc == 0 && i < deck.hold_count; i++) {
            const alliance__deck_hold *h = &deck.holds[i];
            FUZZ_ASSERT(h->note < deck.note_count && h->ordinal <= 99 && h->what != 0, "hold %u: note %u ord %u",
                        i, h->note, h->ordinal);
            FUZZ_ASSERT(i == 0 || deck.holds[i - 1].note <= h->note, "hold %u out of note order", i);
            FUZZ_ASSERT(alliance__deck_hold_of(&deck, h->note, h->ordinal) & h->what, "hold %u not found", i);
        }
        alliance__buf_free(&notices);
        alliance__deck_free(&deck);
        /* Into a collection with its review history (schema 5): a package Anki never wrote
         * (odd states, times, eases) is imported or refused cleanly, and every card is then
         * the replay of its log. */
        alliance_db *db = NULL;
        if (mrc == 0 && alliance_open(&db, ":memory:", NULL) == ALLIANCE_OK) {
            alliance_import_options o;
            alliance_import_options_init(&o, ALLIANCE_IMPORT_OPTIONS_VERSION);
            o.format = ALLIANCE_FORMAT_APKG;
            int irc = alliance_deck_import_buffer(db, "fuzz.apkg", wrapped ? wrapped : (const char *)data, len, &o,
                                                  1767614400, NULL);
            FUZZ_ASSERT(irc == 0 || irc == ALLIANCE_EPARSE || irc == ALLIANCE_ELIMIT || irc == ALLIANCE_ENOMEM ||
                            irc == ALLIANCE_EINVAL || irc == ALLIANCE_EEXISTS,
                        "import: %d %s", irc, alliance_errmsg(db));
            uint64_t mismatches = 0;
            FUZZ_ASSERT(alliance_verify(db, &mismatches) == 0 && mismatches == 0, "verify: %llu %s",
                        (unsigned long long)mismatches, alliance_errmsg(db));
        }
        alliance_close(db);
    }
    alliance__apkg_free(&pkg);
    free(wrapped);
    return 0;
}
