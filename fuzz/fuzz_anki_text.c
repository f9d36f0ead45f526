/* SPDX-License-Identifier: MIT */
/* fuzz_anki_text.c - any bytes through the Anki "Notes in Plain Text" reader. */
#include "check_report.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_check_one("fuzz.txt", data, size, ALLIANCE_FORMAT_ANKI_TEXT);
    return 0;
}
