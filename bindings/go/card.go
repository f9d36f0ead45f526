// SPDX-License-Identifier: MIT

package alliance

/*
#include <stdlib.h>
#include <alliance.h>
*/
import "C"

import (
	"fmt"
	"math"
	"strings"
	"unsafe"
)

// NotBuried is Card.BuriedUntilDay of a card that is not buried.
const NotBuried = int64(math.MinInt64)

// Card is a copy of one card (alliance_card).
type Card struct {
	ID             string // the note id, or "NOTE::cN" for cloze deletion N
	NoteID         string
	Type           uint32 // CARD_BASIC, CARD_CLOZE or CARD_CHOICE
	Ordinal        uint32 // cloze deletion number; 0 for other types
	DeckID         int64
	Front          string // as the author wrote it (a cloze card's raw text): show Render()
	Back           string
	Wrong          string // a choice card's wrong options, one per line
	Tags           string
	SourceFile     string
	SourceQuote    string
	Created        int64 // Unix seconds
	Modified       int64
	Suspended      bool
	Leech          bool
	State          SM2State
	DueDay         int64
	LastReviewDay  int64 // -1 if never reviewed
	BuriedUntilDay int64 // NotBuried if not buried
	Reviews        uint32
	Lapses         uint32
	FSRS           FSRSState // the FSRS track: all zeros while the collection is under SM-2
	FSRSDrill      uint32    // 1 after an Again under FSRS: due again the same day
	// The predicted recall on RetrievabilityDay under FSRS (0 under SM-2 and for a new card).
	// Only a read given a time computes it (CardAt, a session's next card); the others leave
	// RetrievabilityDay NoRetrievability: the library never reads the clock.
	RetrievabilityDay  int64
	FSRSRetrievability float64
}

// NoRetrievability is Card.RetrievabilityDay of a card read without a time.
const NoRetrievability = int64(math.MinInt64)

// IsNew says whether the card was never answered.
func (c *Card) IsNew() bool { return c.Reviews == 0 }

func cardFromC(c *C.alliance_card) *Card {
	return &Card{
		ID: C.GoString(c.id), NoteID: C.GoString(c.note_id), Type: uint32(c._type), Ordinal: uint32(c.ordinal),
		DeckID: int64(c.deck_id), Front: C.GoString(c.front), Back: C.GoString(c.back), Wrong: C.GoString(c.wrong),
		Tags: C.GoString(c.tags), SourceFile: C.GoString(c.source_file), SourceQuote: C.GoString(c.source_quote),
		Created: int64(c.created), Modified: int64(c.modified), Suspended: c.suspended != 0, Leech: c.leech != 0,
		State: stateFromC(&c.state), DueDay: int64(c.due_day), LastReviewDay: int64(c.last_review_day),
		BuriedUntilDay: int64(c.buried_until_day), Reviews: uint32(c.reviews), Lapses: uint32(c.lapses),
		FSRS: fsrsStateFromC(&c.fsrs), FSRSDrill: uint32(c.fsrs_drill),
		RetrievabilityDay: int64(c.retrievability_day), FSRSRetrievability: float64(c.fsrs_retrievability),
	}
}

// takeCard copies and frees a card the library handed out.
func takeCard(p *C.alliance_card) *Card {
	if p == nil {
		return nil
	}
	defer C.alliance_free(unsafe.Pointer(p))
	return cardFromC(p)
}

// cardToC is the card as the library reads it; its strings are added to cs.
func cardToC(card *Card, cs *cstrings) (C.alliance_card, error) {
	c := C.alliance_card{version: 1, _type: C.uint32_t(card.Type), ordinal: C.uint32_t(card.Ordinal),
		deck_id: C.int64_t(card.DeckID), created: C.int64_t(card.Created), modified: C.int64_t(card.Modified),
		state: stateToC(card.State), due_day: C.int64_t(card.DueDay), last_review_day: C.int64_t(card.LastReviewDay),
		buried_until_day: C.int64_t(card.BuriedUntilDay), reviews: C.uint32_t(card.Reviews),
		lapses: C.uint32_t(card.Lapses), fsrs: fsrsStateToC(card.FSRS), fsrs_drill: C.uint32_t(card.FSRSDrill),
		retrievability_day: C.int64_t(card.RetrievabilityDay), fsrs_retrievability: C.double(card.FSRSRetrievability)}
	if card.Suspended {
		c.suspended = 1
	}
	if card.Leech {
		c.leech = 1
	}
	fields := []struct {
		dst  **C.char
		text string
		what string
	}{{&c.id, card.ID, "ID"}, {&c.note_id, card.NoteID, "NoteID"}, {&c.front, card.Front, "Front"},
		{&c.back, card.Back, "Back"}, {&c.wrong, card.Wrong, "Wrong"}, {&c.tags, card.Tags, "Tags"},
		{&c.source_file, card.SourceFile, "SourceFile"}, {&c.source_quote, card.SourceQuote, "SourceQuote"}}
	for _, f := range fields {
		p, err := cs.add(f.text, "card "+f.what)
		if err != nil {
			return c, err
		}
		*f.dst = p
	}
	return c, nil
}

// RenderOptions say how to render a card.
type RenderOptions struct {
	Seed      uint64 // the shuffle's seed, mixed with the card id; 0 is the order alliance-drill shows
	KeepOrder bool   // a choice card's options in the author's order, the answer first
	HTMLText  bool   // fields holding HTML (from Anki) shown as plain text
}

// RenderedCard is a card made ready to show (alliance_rendered_card).
type RenderedCard struct {
	Type          uint32
	Prompt        string   // shown first
	Answer        string   // shown on reveal
	Extra         string   // shown with the answer (a cloze card's extra)
	Options       []string // a choice card's options, shuffled; nil otherwise
	CorrectOption int      // the index of the answer in Options
}

func renderedFromC(r *C.alliance_rendered_card) *RenderedCard {
	out := &RenderedCard{Type: uint32(r._type), Prompt: C.GoString(r.prompt), Answer: C.GoString(r.answer),
		Extra: C.GoString(r.extra), CorrectOption: int(r.correct_option)}
	if r.option_count > 0 {
		options := unsafe.Slice(r.options, int(r.option_count))
		out.Options = make([]string, len(options))
		for i, p := range options {
			out.Options[i] = C.GoString(p)
		}
	}
	return out
}

// Render makes the card ready to show (alliance_card_render): the prompt, the answer, a
// cloze card's extra and a choice card's options in a reproducible shuffle.
func (c *Card) Render(opts RenderOptions) (*RenderedCard, error) {
	var cs cstrings
	defer cs.free()
	card, err := cardToC(c, &cs)
	if err != nil {
		return nil, err
	}
	var options C.alliance_render_options
	if err := pureError(C.alliance_render_options_init(&options, C.uint32_t(RENDER_OPTIONS_VERSION)),
		"alliance_render_options_init"); err != nil {
		return nil, err
	}
	options.seed = C.uint64_t(opts.Seed)
	if opts.KeepOrder {
		options.flags |= C.uint32_t(RENDER_KEEP_ORDER)
	}
	if opts.HTMLText {
		options.flags |= C.uint32_t(RENDER_HTML_TEXT)
	}
	var out *C.alliance_rendered_card
	if err := pureError(C.alliance_card_render(&out, &card, &options), fmt.Sprintf("rendering card %q", c.ID)); err != nil {
		return nil, err
	}
	defer C.alliance_free(unsafe.Pointer(out))
	return renderedFromC(out), nil
}

// WrongOptions are a choice card's wrong options.
func (c *Card) WrongOptions() []string {
	var out []string
	for _, w := range strings.Split(c.Wrong, "\n") {
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

// Note is a card as its author writes it (alliance_note).
type Note struct {
	ID          string
	Type        uint32   // CARD_BASIC (0 means basic too), CARD_CLOZE or CARD_CHOICE
	Front       string   // basic: front; cloze: the text with {{cN::deletions}}; choice: the question
	Back        string   // basic: back; cloze: extra; choice: the correct answer
	Wrong       []string // choice: the wrong options
	Tags        string
	SourceFile  string
	SourceQuote string
}

// noteToC is the note as the library reads it; its strings are added to cs.
func noteToC(n Note, cs *cstrings) (C.alliance_note, error) {
	var c C.alliance_note
	if err := pureError(C.alliance_note_init(&c, C.uint32_t(NOTE_VERSION)), "alliance_note_init"); err != nil {
		return c, err
	}
	if n.Type != 0 {
		c._type = C.uint32_t(n.Type)
	}
	var err error
	optional := func(dst **C.char, s, what string) {
		if err == nil && s != "" {
			*dst, err = cs.add(s, what)
		}
	}
	if c.id, err = cs.add(n.ID, "note ID"); err != nil {
		return c, err
	}
	if c.front, err = cs.add(n.Front, "note Front"); err != nil {
		return c, err
	}
	optional(&c.back, n.Back, "note Back")
	optional(&c.wrong, strings.Join(n.Wrong, "\n"), "note Wrong")
	optional(&c.tags, n.Tags, "note Tags")
	optional(&c.source_file, n.SourceFile, "note SourceFile")
	optional(&c.source_quote, n.SourceQuote, "note SourceQuote")
	return c, err
}
