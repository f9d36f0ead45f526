/* SPDX-License-Identifier: MIT */
/*
 * lint.h - the deck lint over a parsed deck: every check, the positions of the
 * warnings in the file, and the report handed to the caller. The source files
 * are read by the caller (lib/exchange/deck_lint.c): no I/O here. Nothing here
 * is API.
 */
#ifndef ALLIANCE_LINT_H
#define ALLIANCE_LINT_H

#include "deck/deck.h"

#include <stdint.h>

/* Steps of work each similarity comparison may take before it stops and says so;
 * the quote check stops after comparing this many bytes of source text. Far above
 * what a deck of a hundred thousand ordinary notes needs. */
#define ALLIANCE__LINT_WORK_MAX       ((uint64_t)400 * 1000 * 1000)
#define ALLIANCE__LINT_QUOTE_BYTES_MAX ((uint64_t)4 << 30)

/* One source file of the deck's header, as the caller could read it. */
typedef struct alliance__lint_source {
    const char *text;    /* the file normalised (alliance__text_normalise); NULL if unreadable */
    const char *problem; /* why it could not be read, when text is NULL ("No such file or directory") */
} alliance__lint_source;

typedef struct alliance__lint_input {
    const alliance__deck *deck;        /* parsed without error */
    const char *data;                  /* the file as given, for the positions of warnings */
    size_t len;
    uint32_t format;                   /* ALLIANCE_FORMAT_* it was read as */
    const alliance__lint_source *sources; /* one per header source, in header order; NULL: quotes unchecked */
    double similarity;                 /* the near-duplicate threshold, (0, 1] */
} alliance__lint_input;

/* Lints a parsed deck into a new report (one block, alliance_free). ALLIANCE_ENOMEM. */
int alliance__lint(const alliance__lint_input *in, alliance_lint_report **out);

/* The report of a deck that did not parse: its errors, no warning. ALLIANCE_ENOMEM. */
int alliance__lint_report_errors(const alliance__deck *deck, alliance_lint_report **out);

#endif /* ALLIANCE_LINT_H */
