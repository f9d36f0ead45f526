// SPDX-License-Identifier: MIT

package alliance

/*
#include <stdlib.h>
#include <alliance.h>
*/
import "C"

import (
	"runtime"
	"time"
	"unsafe"
)

// child is what sessions and iterators share: the collection whose lock and messages
// they use, and closing exactly once.
type child struct {
	coll *Collection
}

// call runs fn under the collection's lock, even after the collection was closed (the
// library then answers ErrMisuse itself: the object is detached, not freed).
func (ch *child) call(open bool, fn func() C.int) (int, error) {
	c := ch.coll
	if err := c.lock(); err != nil {
		return EMISUSE, err
	}
	defer c.mu.Unlock()
	if !open {
		return EMISUSE, &Error{Code: EMISUSE, Message: "it is closed"}
	}
	rc := fn()
	if rc < 0 {
		message := Strerror(int(rc))
		if c.db != nil {
			message = C.GoString(C.alliance_errmsg(c.db))
		} else if int(rc) == EMISUSE {
			message = "its collection is closed"
		}
		return int(rc), &Error{Code: int(rc), Message: message}
	}
	return int(rc), nil
}

// Session is today's study session (alliance_session).
type Session struct {
	child
	s *C.alliance_session
}

// Session opens today's session over deckID (0: every deck).
func (c *Collection) Session(deckID int64, now time.Time) (*Session, error) {
	var s *C.alliance_session
	if _, err := c.call(func(db *C.alliance_db) C.int {
		return C.alliance_session_open(&s, db, C.int64_t(deckID), unix(now))
	}); err != nil {
		return nil, err
	}
	session := &Session{child{c}, s}
	runtime.SetFinalizer(session, (*Session).Close)
	return session, nil
}

// CramOptions choose a cram session (alliance_cram_options): Kind CRAM_PREVIEW (0 means it
// too) or CRAM_AHEAD, a deck (0: every deck), a text ("": any) and days ahead (0: any).
type CramOptions struct {
	Kind      uint32
	DeckID    int64
	Text      string
	AheadDays uint32
}

// Cram opens a cram session over cards that are not due (alliance_cram_open).
func (c *Collection) Cram(o CramOptions, now time.Time) (*Session, error) {
	var opts C.alliance_cram_options
	if err := pureError(C.alliance_cram_options_init(&opts, C.uint32_t(CRAM_OPTIONS_VERSION)),
		"alliance_cram_options_init"); err != nil {
		return nil, err
	}
	opts.kind = C.uint32_t(o.Kind)
	opts.deck_id = C.int64_t(o.DeckID)
	opts.ahead_days = C.uint32_t(o.AheadDays)
	if o.Text != "" {
		text := C.CString(o.Text)
		defer C.free(unsafe.Pointer(text))
		opts.text = text
	}
	var s *C.alliance_session
	if _, err := c.call(func(db *C.alliance_db) C.int { return C.alliance_cram_open(&s, db, &opts, unix(now)) }); err != nil {
		return nil, err
	}
	session := &Session{child{c}, s}
	runtime.SetFinalizer(session, (*Session).Close)
	return session, nil
}

// Close frees the session; idempotent, and safe after the collection was closed.
func (s *Session) Close() error {
	if err := s.coll.lock(); err != nil {
		return err
	}
	defer s.coll.mu.Unlock()
	if s.s != nil {
		runtime.SetFinalizer(s, nil)
		C.alliance_session_close(s.s)
		s.s = nil
	}
	return nil
}

// Counts are what today's session still holds (alliance_counts).
type Counts struct {
	NewCards, Due, Repeat, Answered uint32
}

// Remaining is how many cards are left today.
func (c Counts) Remaining() uint32 { return c.NewCards + c.Due + c.Repeat }

// Counts of what is left today.
func (s *Session) Counts(now time.Time) (Counts, error) {
	var out C.alliance_counts
	if err := pureError(C.alliance_counts_init(&out, C.uint32_t(COUNTS_VERSION)), "alliance_counts_init"); err != nil {
		return Counts{}, err
	}
	_, err := s.call(s.s != nil, func() C.int { return C.alliance_session_counts(s.s, unix(now), &out) })
	return Counts{uint32(out.new_cards), uint32(out.due), uint32(out.repeat), uint32(out.answered)}, err
}

// Next is the next card to show, or nil (and no error) when nothing is left today.
func (s *Session) Next(now time.Time) (*Card, error) {
	var out *C.alliance_card
	rc, err := s.call(s.s != nil, func() C.int { return C.alliance_session_next(s.s, unix(now), &out) })
	if err != nil || rc == DONE {
		return nil, err
	}
	return takeCard(out), nil
}

// NextWithCounts is Next and Counts read from one snapshot (one read transaction): the card
// (nil when nothing is left today) and the counts shown with it.
func (s *Session) NextWithCounts(now time.Time) (*Card, Counts, error) {
	var counts C.alliance_counts
	if err := pureError(C.alliance_counts_init(&counts, C.uint32_t(COUNTS_VERSION)), "alliance_counts_init"); err != nil {
		return nil, Counts{}, err
	}
	var out *C.alliance_card
	rc, err := s.call(s.s != nil, func() C.int {
		return C.alliance_session_next_with_counts(s.s, unix(now), &out, &counts)
	})
	if err != nil {
		return nil, Counts{}, err
	}
	c := Counts{uint32(counts.new_cards), uint32(counts.due), uint32(counts.repeat), uint32(counts.answered)}
	if rc == DONE {
		return nil, c, nil
	}
	return takeCard(out), c, nil
}

// Answer answers a card of this session (grade 0..5); returns its new state.
func (s *Session) Answer(cardID string, grade int, now time.Time, answerMs uint32) (SM2State, error) {
	cid, err := cstring(cardID, "card id")
	if err != nil {
		return SM2State{}, err
	}
	defer C.free(unsafe.Pointer(cid))
	cgrade, err := cGrade(grade, "alliance_session_answer: grade")
	if err != nil {
		return SM2State{}, err
	}
	var out C.alliance_sm2_state
	_, err = s.call(s.s != nil, func() C.int {
		return C.alliance_session_answer(s.s, cid, cgrade, unix(now), C.uint32_t(answerMs), &out)
	})
	return stateFromC(&out), err
}

// Undo undoes the collection's newest answer; the card is shown next. Returns its id.
func (s *Session) Undo() (string, error) {
	var out *C.char
	_, err := s.call(s.s != nil, func() C.int { return C.alliance_session_undo(s.s, &out) })
	return takeString(out), err
}

// ---- iterators: for it.Next() { it.Card() }; then it.Err() and it.Close() ----

// CardIterator goes over cards (alliance_card_iter).
type CardIterator struct {
	child
	it   *C.alliance_card_iter
	card *Card
	err  error
}

// Cards iterates over the cards of deckID (0: all) containing text ("" for all), in deck order.
func (c *Collection) Cards(deckID int64, text string) (*CardIterator, error) {
	ctext, err := cstring(text, "search text")
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(ctext))
	var it *C.alliance_card_iter
	if _, err := c.call(func(db *C.alliance_db) C.int {
		return C.alliance_card_search(&it, db, C.int64_t(deckID), ctext)
	}); err != nil {
		return nil, err
	}
	iter := &CardIterator{child: child{c}, it: it}
	runtime.SetFinalizer(iter, (*CardIterator).Close)
	return iter, nil
}

// Next moves to the next card: false at the end or on an error (see Err).
func (i *CardIterator) Next() bool {
	i.card = nil
	if i.err != nil || i.it == nil {
		return false
	}
	var out *C.alliance_card
	rc, err := i.call(true, func() C.int { return C.alliance_card_iter_next(i.it, &out) })
	if err != nil || rc == DONE {
		i.err = err
		return false
	}
	i.card = takeCard(out)
	return true
}

// Card is the card Next moved to.
func (i *CardIterator) Card() *Card { return i.card }

// Err is the error that ended the iteration, if any.
func (i *CardIterator) Err() error { return i.err }

// Close frees the iterator; idempotent.
func (i *CardIterator) Close() error {
	if err := i.coll.lock(); err != nil {
		return err
	}
	defer i.coll.mu.Unlock()
	if i.it != nil {
		runtime.SetFinalizer(i, nil)
		C.alliance_card_iter_free(i.it)
		i.it = nil
	}
	return nil
}

// Review is one row of the review log (alliance_review).
type Review struct {
	ReviewID    int64
	CardID      string
	Time        int64 // Unix seconds
	Day         int64
	Grade       int32
	Before      SM2State
	After       SM2State
	ElapsedDays int64 // -1 for a card's first review
	AnswerMs    uint32
	Params      SM2Params
	// The replica (device) that gave the answer and its number there: its id on every copy.
	OriginReplica, OriginSeq int64
	// The scheduler in force when it was answered (SCHEDULER_SM2 or SCHEDULER_FSRS) and, under
	// FSRS, its parameters (nil under SM-2); rows from before schema 5 say SM-2.
	Scheduler  uint32
	FSRSParams *FSRSParams
	// Anki's revlog id of a row an .apkg import wrote (docs/anki.md); 0 for an answer given here.
	ImportID int64
}

func reviewFromC(r *C.alliance_review) Review {
	var fsrs *FSRSParams
	if uint32(r.scheduler) == SCHEDULER_FSRS {
		p := fsrsParamsFromC(&r.fsrs_params)
		fsrs = &p
	}
	return Review{ReviewID: int64(r.review_id), CardID: C.GoString(r.card_id), Time: int64(r.time), Day: int64(r.day),
		Grade: int32(r.grade), Before: stateFromC(&r.before), After: stateFromC(&r.after),
		ElapsedDays: int64(r.elapsed_days), AnswerMs: uint32(r.answer_ms), Params: paramsFromC(&r.params),
		OriginReplica: int64(r.origin_replica), OriginSeq: int64(r.origin_seq),
		Scheduler: uint32(r.scheduler), FSRSParams: fsrs, ImportID: int64(r.import_id)}
}

// ReviewIterator goes over the review log (alliance_review_iter).
type ReviewIterator struct {
	child
	it     *C.alliance_review_iter
	review Review
	err    error
}

// Reviews iterates over the log of one card (or of every card with ""), oldest first.
func (c *Collection) Reviews(cardID string) (*ReviewIterator, error) {
	var cid *C.char
	if cardID != "" {
		var err error
		if cid, err = cstring(cardID, "card id"); err != nil {
			return nil, err
		}
		defer C.free(unsafe.Pointer(cid))
	}
	var it *C.alliance_review_iter
	if _, err := c.call(func(db *C.alliance_db) C.int { return C.alliance_review_iter_open(&it, db, cid) }); err != nil {
		return nil, err
	}
	iter := &ReviewIterator{child: child{c}, it: it}
	runtime.SetFinalizer(iter, (*ReviewIterator).Close)
	return iter, nil
}

// Next moves to the next row: false at the end or on an error (see Err).
func (i *ReviewIterator) Next() bool {
	if i.err != nil || i.it == nil {
		return false
	}
	var out C.alliance_review
	if err := pureError(C.alliance_review_init(&out, C.uint32_t(REVIEW_VERSION)), "alliance_review_init"); err != nil {
		i.err = err
		return false
	}
	rc, err := i.call(true, func() C.int { return C.alliance_review_iter_next(i.it, &out) })
	if err != nil || rc == DONE {
		i.err = err
		return false
	}
	i.review = reviewFromC(&out) // copied now: card_id is valid until the next call only
	return true
}

// Review is the row Next moved to.
func (i *ReviewIterator) Review() Review { return i.review }

// Err is the error that ended the iteration, if any.
func (i *ReviewIterator) Err() error { return i.err }

// Close frees the iterator; idempotent.
func (i *ReviewIterator) Close() error {
	if err := i.coll.lock(); err != nil {
		return err
	}
	defer i.coll.mu.Unlock()
	if i.it != nil {
		runtime.SetFinalizer(i, nil)
		C.alliance_review_iter_free(i.it)
		i.it = nil
	}
	return nil
}

// DeckInfo is one deck with its card counts (alliance_deck_info).
type DeckInfo struct {
	ID                                                     int64
	Name, Description                                      string
	Created, Modified                                      int64
	Total, NewCards, Learned, DueToday, Suspended, Leeches uint32
}

func deckInfoFromC(d *C.alliance_deck_info) DeckInfo {
	return DeckInfo{ID: int64(d.id), Name: C.GoString(d.name), Description: C.GoString(d.description),
		Created: int64(d.created), Modified: int64(d.modified), Total: uint32(d.total), NewCards: uint32(d.new_cards),
		Learned: uint32(d.learned), DueToday: uint32(d.due_today), Suspended: uint32(d.suspended),
		Leeches: uint32(d.leeches)}
}

// DeckIterator goes over the decks (alliance_deck_iter).
type DeckIterator struct {
	child
	it   *C.alliance_deck_iter
	deck DeckInfo
	err  error
}

// Decks iterates over the decks, oldest first, with their card counts at now.
func (c *Collection) Decks(now time.Time) (*DeckIterator, error) {
	var it *C.alliance_deck_iter
	if _, err := c.call(func(db *C.alliance_db) C.int { return C.alliance_deck_iter_open(&it, db, unix(now)) }); err != nil {
		return nil, err
	}
	iter := &DeckIterator{child: child{c}, it: it}
	runtime.SetFinalizer(iter, (*DeckIterator).Close)
	return iter, nil
}

// Next moves to the next deck: false at the end or on an error (see Err).
func (i *DeckIterator) Next() bool {
	if i.err != nil || i.it == nil {
		return false
	}
	var out *C.alliance_deck_info
	rc, err := i.call(true, func() C.int { return C.alliance_deck_iter_next(i.it, &out) })
	if err != nil || rc == DONE {
		i.err = err
		return false
	}
	defer C.alliance_free(unsafe.Pointer(out))
	i.deck = deckInfoFromC(out)
	return true
}

// Deck is the deck Next moved to.
func (i *DeckIterator) Deck() DeckInfo { return i.deck }

// Err is the error that ended the iteration, if any.
func (i *DeckIterator) Err() error { return i.err }

// Close frees the iterator; idempotent.
func (i *DeckIterator) Close() error {
	if err := i.coll.lock(); err != nil {
		return err
	}
	defer i.coll.mu.Unlock()
	if i.it != nil {
		runtime.SetFinalizer(i, nil)
		C.alliance_deck_iter_free(i.it)
		i.it = nil
	}
	return nil
}
