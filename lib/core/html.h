/* SPDX-License-Identifier: MIT */
/*
 * html.h - the HTML that Anki fields hold, as text: a pure routine (no I/O, no clock, no
 * global state) that renders the common markup for a terminal, and the rule that says when
 * a field holds markup at all (docs/anki.md, "HTML"). Nothing here is API.
 */
#ifndef ALLIANCE_HTML_H
#define ALLIANCE_HTML_H

#include "core/internal.h"

/* Styles <b>/<strong>, <i>/<em> and <u> with terminal escape sequences (SGR); without this
 * flag the text is plain. */
#define ALLIANCE__HTML_SGR 0x1u

/* 1 if `s` holds markup: a tag other than <br> (<br/>, <br />), i.e. '<' followed by a
 * letter, '/' and a letter, or "!--", and closed by a later '>'. A field of line breaks and
 * entities only is text that was escaped for HTML, not markup (see alliance__html_field_in). */
int alliance__html_is_markup(const char *s, size_t len);

/* Appends the text `s` shows: markup rendered (see ALLIANCE__HTML_SGR) when it holds markup,
 * else `s` as it is; in both, "[sound:...]" becomes "[sound]". Blocks (<div>, <p>, <br>, list
 * items) become line breaks, lists get "- " or "N. " (indented by depth), <img> becomes
 * "[image]", entities are decoded (named ones of HTML 4 that are common in notes, and &#N; /
 * &#xN;, with U+FFFD for a code point that is not a character), <script>/<style> content and
 * comments are dropped, runs of blanks become one space, and other tags are dropped keeping
 * their text. Malformed markup is shown as text. The output is valid UTF-8 when the input is.
 * ALLIANCE_ENOMEM. */
int alliance__html_to_text(alliance__buf *out, const char *s, size_t len, unsigned flags);

/* A field as read from HTML (Anki text with #html:true, an .apkg): kept as it is when it
 * holds markup; else it is escaped text, so <br> becomes '\n' and entities are decoded.
 * ALLIANCE_ENOMEM. */
int alliance__html_field_in(alliance__buf *out, const char *s, size_t len);

/* A field for HTML output: kept as it is when it holds markup, else escaped (& < > " and
 * line breaks as <br>), so that alliance__html_field_in gives it back. ALLIANCE_ENOMEM. */
int alliance__html_field_out(alliance__buf *out, const char *s, size_t len);

#endif /* ALLIANCE_HTML_H */
