/* SPDX-License-Identifier: MIT */
/*
 * fuzz_apkg.c - an .apkg is hostile input: whatever the bytes, the package reader and the
 * mapping to our notes end in success or in an error that names what is wrong, never in a
 * crash, a leak, or memory past the limits (docs/anki.md, "Safety").
 */
#include "fuzz.h"

#include "interop/apkg.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    alliance__apkg pkg;
    alliance__apkg_init(&pkg);
    int rc = alliance__apkg_read(&pkg, "fuzz.apkg", NULL, (const char *)data, size);
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
        alliance__buf_free(&notices);
        alliance__deck_free(&deck);
    }
    alliance__apkg_free(&pkg);
    return 0;
}
