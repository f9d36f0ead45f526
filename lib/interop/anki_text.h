/* SPDX-License-Identifier: MIT */
/*
 * anki_text.h - Anki's "Notes in Plain Text" files, read into and written from the same
 * in-memory deck as our format (docs/anki.md says what maps). Nothing here is API.
 */
#ifndef ALLIANCE_ANKI_TEXT_H
#define ALLIANCE_ANKI_TEXT_H

#include "deck/deck_write.h" /* the deck header and the sink the writers share */

/* Reads an Anki text file into *deck (initialised by the caller). default_name names the
 * deck when the file has neither #deck: nor a deck column. Same contract as
 * alliance__deck_parse: bounded, never past data + len, errors collected in deck. */
int alliance__anki_read(alliance__deck *deck, const char *data, size_t len, const char *default_name);

/* Writes an Anki text file: the header lines (#html:true when html, which the caller decides
 * with alliance__anki_markup over every note first), then, for each further deck, its own
 * header lines, then one row per note naming its deck (docs/anki.md). */
int alliance__anki_write_head(alliance__sink *sink, const alliance__deck_head *head, int html);
int alliance__anki_write_deck_head(alliance__sink *sink, const alliance__deck_head *head);
int alliance__anki_write_note(alliance__sink *sink, const char *deck_name, const alliance__note_in *note, int html);
/* 1 if a field of the note that a row writes holds markup (so the file must say #html:true). */
int alliance__anki_markup(const alliance__note_in *note);

/* A GUID as our card id (a GUID holding "::" is encoded, docs/anki.md), and an id back as the
 * GUID it came from (appended to out). ALLIANCE_ENOMEM. Shared with the .apkg reader and writer. */
int alliance__anki_guid_to_id(alliance__buf *out, const char *guid);
int alliance__anki_id_to_guid(alliance__buf *out, const char *id);

/* The tag that marks a choice card exported as an Anki Basic note (docs/anki.md). */
#define ALLIANCE__ANKI_CHOICE_TAG ALLIANCE__CHOICE_TAG

#endif /* ALLIANCE_ANKI_TEXT_H */
