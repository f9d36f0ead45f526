/* SPDX-License-Identifier: MIT */
/* fuzz_deck_lint.c - any bytes through alliance_deck_lint, in both formats: a file that parses
 * gets warnings that point inside it, one line each; a file that does not gets its errors only. */
#include "fuzz.h"

#include <alliance.h>
#include <string.h>

static void lint_one(const uint8_t *data, size_t size, uint32_t format)
{
    alliance_lint_options options = ALLIANCE_LINT_OPTIONS_INIT;
    options.format = format;
    alliance_lint_report *r = NULL;
    int rc = alliance_deck_lint("fuzz.deck", (const char *)data, size, &options, &r);
    if (rc == ALLIANCE_ENOMEM)
        return;
    FUZZ_ASSERT(rc == ALLIANCE_OK || rc == ALLIANCE_EPARSE || rc == ALLIANCE_ELIMIT, "rc %d", rc);
    FUZZ_ASSERT(r != NULL, "no report for rc %d", rc);
    FUZZ_ASSERT(r->version == 1 && r->text && r->errors && (r->warning_count == 0 || r->warnings),
                "malformed report");
    if (rc != ALLIANCE_OK) {
        FUZZ_ASSERT(r->error_count > 0 && r->warning_count == 0 && r->text[0] == '\0',
                    "a file with errors is linted: %u errors, %u warnings", r->error_count, r->warning_count);
        alliance_free(r);
        return;
    }
    uint32_t lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';
    size_t text_at = 0;
    for (uint32_t i = 0; i < r->warning_count; i++) {
        const alliance_lint_warning *w = r->warnings[i];
        FUZZ_ASSERT(w->version == 1 && w->code >= ALLIANCE_LINT_NEAR_DUPLICATE && w->code <= ALLIANCE_LINT_INCOMPLETE,
                    "warning %u: code %u", i, w->code);
        FUZZ_ASSERT(w->name && w->note_id && w->other_id && w->message, "warning %u: a NULL string", i);
        FUZZ_ASSERT(w->line >= 1 && w->line <= lines && w->column >= 1, "warning %u at %u:%u of %u lines", i,
                    w->line, w->column, lines);
        FUZZ_ASSERT(i == 0 || r->warnings[i - 1]->line <= w->line, "warning %u out of file order", i);
        FUZZ_ASSERT(strchr(w->message, '\n') == NULL && strncmp(w->message, "fuzz.deck:", 10) == 0,
                    "warning %u: message '%s'", i, w->message);
        size_t len = strlen(w->message);
        FUZZ_ASSERT(strncmp(r->text + text_at, w->message, len) == 0 && r->text[text_at + len] == '\n',
                    "text does not hold warning %u in order", i);
        text_at += len + 1;
    }
    FUZZ_ASSERT(r->text[text_at] == '\0', "text holds more than the warnings");
    alliance_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lint_one(data, size, ALLIANCE_FORMAT_DECK);
    lint_one(data, size, ALLIANCE_FORMAT_ANKI_TEXT);
    return 0;
}
