/* SPDX-License-Identifier: MIT */
/* deck_lint.c - alliance_deck_lint: read the deck and its source files, then lint (lib/deck/lint.c). */
#include "deck/lint.h"
#include "deck/lint_text.h"
#include "exchange/formats.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int alliance_lint_options_init(alliance_lint_options *options, uint32_t version)
{
    if (!options)
        return ALLIANCE_EINVAL;
    /* Only version 1 exists; a later one will write exactly the layout asked for. */
    if (version != ALLIANCE_LINT_OPTIONS_VERSION)
        return ALLIANCE_EVERSION;
    alliance_lint_options init = ALLIANCE_LINT_OPTIONS_INIT;
    *options = init;
    return ALLIANCE_OK;
}

/* A FILE of a `source:` line read under sources_dir must stay there. */
static int leaves_folder(const char *file)
{
    if (file[0] == '/')
        return 1;
    for (const char *p = file; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return 1;
        p += n + (p[n] == '/');
    }
    return 0;
}

/* Reads dir/file, normalised for the quote check, into *out; else a reason in `why`. */
static int read_source(const char *dir, const char *file, alliance__buf *out, char *why, size_t why_size)
{
    if (leaves_folder(file)) {
        snprintf(why, why_size, "the name leaves the sources folder");
        return ALLIANCE_EINVAL;
    }
    alliance__buf path = {0}, raw = {0};
    int rc = *dir ? alliance__buf_printf(&path, "%s/%s", dir, file) : alliance__buf_puts(&path, file);
    FILE *f = rc == 0 ? fopen(path.data, "rb") : NULL;
    if (rc == 0 && !f) {
        snprintf(why, why_size, "%s: %s", path.data, strerror(errno));
        rc = ALLIANCE_EIO;
    }
    if (f) {
        char chunk[65536];
        size_t n;
        while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
            if (raw.len + n > ALLIANCE__DECK_FILE_MAX) {
                snprintf(why, why_size, "%s: larger than %zu bytes", path.data, (size_t)ALLIANCE__DECK_FILE_MAX);
                rc = ALLIANCE_ELIMIT;
            } else {
                rc = alliance__buf_append(&raw, chunk, n);
            }
        }
        if (rc == 0 && ferror(f)) {
            snprintf(why, why_size, "%s: %s", path.data, strerror(errno));
            rc = ALLIANCE_EIO;
        }
        fclose(f);
    }
    if (rc == 0)
        rc = alliance__text_normalise(out, raw.data ? raw.data : "", raw.len);
    alliance__buf_free(&path);
    alliance__buf_free(&raw);
    return rc;
}

int alliance_deck_lint(const char *name, const char *data, size_t len, const alliance_lint_options *options,
                       alliance_lint_report **out_report)
{
    alliance_lint_options defaults = ALLIANCE_LINT_OPTIONS_INIT;
    if (!options)
        options = &defaults;
    if (!out_report || (!data && len))
        return ALLIANCE_EINVAL;
    if (options->version != ALLIANCE_LINT_OPTIONS_VERSION)
        return ALLIANCE_EVERSION;
    if ((options->format != ALLIANCE_FORMAT_DECK && options->format != ALLIANCE_FORMAT_ANKI_TEXT) ||
        options->similarity_milli < 1 || options->similarity_milli > 1000)
        return ALLIANCE_EINVAL;
    alliance__deck deck;
    alliance__deck_init(&deck, name ? name : "(buffer)");
    const char *text = data ? data : "";
    int rc = alliance__deck_read(&deck, text, len, options->format, NULL);
    if (rc == ALLIANCE_EPARSE || rc == ALLIANCE_ELIMIT) {
        int made = alliance__lint_report_errors(&deck, out_report);
        alliance__deck_free(&deck);
        return made ? made : rc;
    }
    alliance__buf *texts = NULL;
    alliance__lint_source *sources = NULL;
    char (*why)[512] = NULL;
    if (rc == 0 && options->sources_dir) {
        uint32_t n = deck.source_count ? deck.source_count : 1;
        texts = alliance__calloc(n, sizeof *texts);
        sources = alliance__calloc(n, sizeof *sources);
        why = alliance__calloc(n, sizeof *why);
        if (!texts || !sources || !why)
            rc = ALLIANCE_ENOMEM;
        for (uint32_t s = 0; rc == 0 && s < deck.source_count; s++) {
            const char *file = alliance__deck_str(&deck, deck.source_file[s]);
            int read = read_source(options->sources_dir, file, &texts[s], why[s], sizeof why[s]);
            if (read == ALLIANCE_ENOMEM)
                rc = read;
            sources[s].text = read == 0 ? texts[s].data : NULL;
            sources[s].problem = why[s];
        }
    }
    if (rc == 0) {
        alliance__lint_input in = {&deck, text, len, options->format, sources, options->similarity_milli / 1000.0};
        rc = alliance__lint(&in, out_report);
    }
    for (uint32_t s = 0; texts && s < deck.source_count; s++)
        alliance__buf_free(&texts[s]);
    alliance__free(texts);
    alliance__free(sources);
    alliance__free(why);
    alliance__deck_free(&deck);
    return rc;
}
