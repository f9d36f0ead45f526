/* SPDX-License-Identifier: MIT */
/* check_report.c - properties of alliance_deck_check() that hold for any input. */
#include "check_report.h"
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Lines in the input, counting a last line without '\n': an error can point at
 * line `lines + 1` at most (end of file). */
static size_t count_lines(const uint8_t *data, size_t size)
{
    size_t lines = 1;
    for (size_t i = 0; i < size; i++)
        if (data[i] == '\n')
            lines++;
    return lines;
}

/* Strict UTF-8 (no overlongs, no surrogates, at most U+10FFFF): the API hands out UTF-8 only. */
static int valid_utf8(const unsigned char *s)
{
    while (*s) {
        unsigned char c = *s;
        size_t n;
        unsigned cp;
        if (c < 0x80) {
            s++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 1, cp = c & 0x1Fu;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2, cp = c & 0x0Fu;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3, cp = c & 0x07u;
        } else {
            return 0;
        }
        for (size_t i = 1; i <= n; i++) {
            if ((s[i] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i] & 0x3Fu);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        s += n + 1;
    }
    return 1;
}

/* Every error line reads "NAME:LINE:COLUMN: message" (docs/deck-format.md, "Errors"). */
static void check_error_lines(const char *name, const char *errors, size_t max_line)
{
    size_t name_len = strlen(name);
    const char *p = errors;
    while (*p) {
        const char *end = strchr(p, '\n');
        FUZZ_ASSERT(end != NULL, "error text does not end with a newline: '%s'", p);
        FUZZ_ASSERT(strncmp(p, name, name_len) == 0 && p[name_len] == ':',
                    "error line does not start with '%s:': '%.*s'", name, (int)(end - p), p);
        char *after = NULL;
        unsigned long line = strtoul(p + name_len + 1, &after, 10);
        FUZZ_ASSERT(after && *after == ':', "no line number in '%.*s'", (int)(end - p), p);
        unsigned long column = strtoul(after + 1, &after, 10);
        FUZZ_ASSERT(after && after[0] == ':' && after[1] == ' ', "no column in '%.*s'", (int)(end - p), p);
        FUZZ_ASSERT(line >= 1 && line <= max_line, "line %lu outside 1..%zu in '%.*s'", line, max_line,
                    (int)(end - p), p);
        FUZZ_ASSERT(column >= 1, "column 0 in '%.*s'", (int)(end - p), p);
        FUZZ_ASSERT(after + 2 < end, "empty message in '%.*s'", (int)(end - p), p);
        p = end + 1;
    }
}

void fuzz_check_one(const char *name, const uint8_t *data, size_t size, uint32_t format)
{
    alliance_import_report *report = NULL;
    int rc = alliance_deck_check(name, (const char *)data, size, format, &report);
    FUZZ_ASSERT(rc == ALLIANCE_OK || rc == ALLIANCE_EPARSE || rc == ALLIANCE_ELIMIT,
                "alliance_deck_check returned %d (%s)", rc, alliance_strerror(rc));
    FUZZ_ASSERT(report != NULL, "no report with rc %d", rc);
    FUZZ_ASSERT(report->deck_name != NULL, "report->deck_name is NULL");
    FUZZ_ASSERT(report->errors != NULL, "report->errors is NULL");
    FUZZ_ASSERT(valid_utf8((const unsigned char *)report->deck_name), "deck_name is not UTF-8");
    FUZZ_ASSERT(valid_utf8((const unsigned char *)report->errors), "errors are not UTF-8: %s", report->errors);
    if (rc == ALLIANCE_OK) {
        FUZZ_ASSERT(report->error_count == 0, "success with %u errors", report->error_count);
        FUZZ_ASSERT(report->errors[0] == '\0', "success with error text '%s'", report->errors);
    } else {
        FUZZ_ASSERT(report->error_count > 0, "failure %d without an error counted", rc);
        FUZZ_ASSERT(report->errors[0] != '\0', "failure %d without an error message", rc);
        check_error_lines(name, report->errors, count_lines(data, size) + 1);
    }
    /* Touch every byte of the strings so ASan sees a read past their block. */
    volatile size_t sink = strlen(report->deck_name) + strlen(report->errors);
    (void)sink;
    alliance_free(report);
}
