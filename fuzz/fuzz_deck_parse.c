/* SPDX-License-Identifier: MIT */
/* fuzz_deck_parse.c - any bytes through the deck parser (ALLIANCE_FORMAT_DECK). */
#include "check_report.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_check_one("fuzz.deck", data, size, ALLIANCE_FORMAT_DECK);
    return 0;
}
