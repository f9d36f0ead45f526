/* SPDX-License-Identifier: MIT */
/*
 * fuzz_deck_roundtrip.c - whatever the readers accept, the writers write back
 * without loss: export -> import changes nothing.
 *
 * The input is read as our deck format and as Anki text. For each reading that
 * succeeds, W = the deck written in our format (the canonical form). Then:
 *   - W reads back without error, and writing that deck again gives W exactly;
 *   - the deck written as Anki text reads back without error to a deck whose
 *     canonical form is W again (liballiance -> Anki text -> liballiance keeps
 *     everything, docs/anki.md).
 * This is the property alliance_deck_export promises ("importing the output
 * again changes nothing"), checked on the writers and readers it is built from.
 * An Anki file that names several decks has no form in our format (one deck per
 * file): its Anki-text export must read back and be written again byte for byte.
 */
#include "fuzz.h"

#include "deck/deck_parse.h"
#include "exchange/formats.h"
#include "deck/deck_write.h"

#include <string.h>

static int collect(void *opaque, const char *data, size_t len)
{
    return alliance__buf_append(opaque, data, len);
}

/* The deck written in `format`; aborts if writing fails (only memory could make it). */
static void write_deck(const alliance__deck *deck, uint32_t format, alliance__buf *out)
{
    alliance__sink sink;
    alliance__sink_init(&sink, collect, out);
    int rc = alliance__deck_write(&sink, deck, format);
    alliance__sink_free(&sink);
    FUZZ_ASSERT(rc == 0, "writing format %u failed: %d", format, rc);
    if (!out->data)
        alliance__buf_append(out, "", 0);
}

/* Reads text in `format` (it must succeed) and returns its canonical form. */
static void reread(const char *what, const alliance__buf *text, uint32_t format, alliance__buf *canonical)
{
    alliance__deck deck;
    alliance__deck_init(&deck, what);
    int rc = alliance__deck_read(&deck, text->data, text->len, format, NULL);
    FUZZ_ASSERT(rc == 0, "%s does not read back (%d):\n%s\n--- the text:\n%s", what, rc,
                deck.errors.data ? deck.errors.data : "", text->data);
    write_deck(&deck, ALLIANCE_FORMAT_DECK, canonical);
    alliance__deck_free(&deck);
}

static void roundtrip(const uint8_t *data, size_t size, uint32_t format)
{
    alliance__deck deck;
    alliance__deck_init(&deck, "fuzz");
    /* Anki text may name no deck; the importer then takes the options' name. */
    if (alliance__deck_read(&deck, (const char *)data, size, format, "fuzz deck") != 0) {
        alliance__deck_free(&deck);
        return;
    }
    alliance__buf ours = {0}, anki = {0}, again = {0}, via_anki = {0};
    if (deck.more_count > 0) {
        write_deck(&deck, ALLIANCE_FORMAT_ANKI_TEXT, &anki);
        alliance__deck_free(&deck);
        alliance__deck back;
        alliance__deck_init(&back, "the Anki-text export");
        int rc = alliance__deck_read(&back, anki.data, anki.len, ALLIANCE_FORMAT_ANKI_TEXT, "fuzz deck");
        FUZZ_ASSERT(rc == 0, "the Anki-text export of several decks does not read back (%d):\n%s\n--- the text:\n%s",
                    rc, back.errors.data ? back.errors.data : "", anki.data);
        write_deck(&back, ALLIANCE_FORMAT_ANKI_TEXT, &again);
        alliance__deck_free(&back);
        FUZZ_ASSERT(again.len == anki.len && memcmp(again.data, anki.data, anki.len) == 0,
                    "the Anki-text export of several decks changes when read back:\n%s\n--- written again:\n%s",
                    anki.data, again.data);
        alliance__buf_free(&anki);
        alliance__buf_free(&again);
        return;
    }
    write_deck(&deck, ALLIANCE_FORMAT_DECK, &ours);
    write_deck(&deck, ALLIANCE_FORMAT_ANKI_TEXT, &anki);
    alliance__deck_free(&deck);

    reread("the deck-format export", &ours, ALLIANCE_FORMAT_DECK, &again);
    FUZZ_ASSERT(again.len == ours.len && memcmp(again.data, ours.data, ours.len) == 0,
                "the deck-format export is not canonical:\n%s\n--- written again:\n%s", ours.data, again.data);
    reread("the Anki-text export", &anki, ALLIANCE_FORMAT_ANKI_TEXT, &via_anki);
    FUZZ_ASSERT(via_anki.len == ours.len && memcmp(via_anki.data, ours.data, ours.len) == 0,
                "the Anki-text export loses something:\n%s\n--- after Anki text:\n%s\n--- the Anki text:\n%s",
                ours.data, via_anki.data, anki.data);
    alliance__buf_free(&ours);
    alliance__buf_free(&anki);
    alliance__buf_free(&again);
    alliance__buf_free(&via_anki);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    roundtrip(data, size, ALLIANCE_FORMAT_DECK);
    roundtrip(data, size, ALLIANCE_FORMAT_ANKI_TEXT);
    return 0;
}
