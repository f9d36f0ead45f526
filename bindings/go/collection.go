// SPDX-License-Identifier: MIT

package alliance

/*
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <alliance.h>

static uintptr_t alliance_go_thread(void) { return (uintptr_t)pthread_self(); }
*/
import "C"

import (
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// OpenOptions are how a collection is opened (alliance_open_options).
type OpenOptions struct {
	NoCreate         bool   // fail if the file does not exist (default: create it)
	ReadOnly         bool   // never write
	Synchronous      uint32 // SYNC_FULL (default, 0 means it too) or SYNC_NORMAL
	BusyTimeoutMs    uint32 // 0: the library's default (5000)
	UTCOffsetSeconds int32  // the learner's offset east of UTC; UTC_OFFSET_LOCAL: the process's zone
}

// DefaultOpenOptions are the library's defaults: create, SYNC_FULL, 5 s, the process's zone.
func DefaultOpenOptions() OpenOptions {
	return OpenOptions{Synchronous: SYNC_FULL, BusyTimeoutMs: 5000, UTCOffsetSeconds: UTC_OFFSET_LOCAL}
}

// Collection is a learner's collection (alliance_db).
type Collection struct {
	mu   sync.Mutex // each call and the reading of its message, together
	db   *C.alliance_db
	Path string
	// The thread running a callback of a call on this collection (an export's writer), or 0.
	// The call holds mu; a call from that callback would wait for it for ever.
	callbackThread atomic.Uintptr
}

// currentThread identifies the OS thread this goroutine runs on. During a cgo callback the
// goroutine is locked to the thread that called into C, and no other goroutine runs there.
func currentThread() uintptr { return uintptr(C.alliance_go_thread()) }

// lock takes the collection's lock; another goroutine's call is waited for. A call from inside
// a callback of a call on this collection (an export's writer using it) would wait for itself:
// it is ErrMisuse instead, as the C library answers such a call.
func (c *Collection) lock() error {
	if c.mu.TryLock() {
		return nil
	}
	if t := c.callbackThread.Load(); t != 0 && t == currentThread() {
		return &Error{Code: EMISUSE, Message: "the collection is busy with the call whose callback this is " +
			"(an export's writer must not use its collection)"}
	}
	c.mu.Lock()
	return nil
}

// Open opens (and unless opts.NoCreate creates) the collection at path (":memory:" for a
// private one). opts may be nil for DefaultOpenOptions().
func Open(path string, opts *OpenOptions) (*Collection, error) {
	if err := CheckLibrary(); err != nil {
		return nil, err
	}
	o := DefaultOpenOptions()
	if opts != nil {
		o = *opts
	}
	var c C.alliance_open_options
	if err := pureError(C.alliance_open_options_init(&c, C.uint32_t(OPEN_OPTIONS_VERSION)), "alliance_open_options_init"); err != nil {
		return nil, err
	}
	c.flags = 0
	if !o.NoCreate {
		c.flags |= C.uint32_t(OPEN_CREATE)
	}
	if o.ReadOnly {
		c.flags |= C.uint32_t(OPEN_READONLY)
	}
	if o.Synchronous != 0 {
		c.synchronous = C.uint32_t(o.Synchronous)
	}
	if o.BusyTimeoutMs != 0 {
		c.busy_timeout_ms = C.uint32_t(o.BusyTimeoutMs)
	}
	c.utc_offset_seconds = C.int32_t(o.UTCOffsetSeconds)
	cpath, err := cstring(path, "path")
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cpath))
	var db *C.alliance_db
	if rc := C.alliance_open(&db, cpath, &c); rc != 0 {
		// As sqlite3_open_v2: the handle carries the message and is closed all the same.
		message := Strerror(int(rc))
		if db != nil {
			message = C.GoString(C.alliance_errmsg(db))
		}
		C.alliance_close(db)
		return nil, &Error{Code: int(rc), Message: message}
	}
	coll := &Collection{db: db, Path: path}
	runtime.SetFinalizer(coll, (*Collection).Close)
	return coll, nil
}

// Close closes the collection; idempotent. Sessions and iterators still open are detached
// (their calls return ErrMisuse) and must still be closed.
func (c *Collection) Close() error {
	if err := c.lock(); err != nil {
		return err
	}
	defer c.mu.Unlock()
	if c.db == nil {
		return nil
	}
	runtime.SetFinalizer(c, nil)
	rc := C.alliance_close(c.db)
	c.db = nil
	if rc < 0 {
		return &Error{Code: int(rc), Message: Strerror(int(rc))}
	}
	return nil
}

// call runs fn on the handle under the lock; a negative result becomes an *Error with the
// handle's message.
func (c *Collection) call(fn func(db *C.alliance_db) C.int) (int, error) {
	if err := c.lock(); err != nil {
		return EMISUSE, err
	}
	defer c.mu.Unlock()
	if c.db == nil {
		return int(EMISUSE), &Error{Code: EMISUSE, Message: "the collection is closed"}
	}
	rc := fn(c.db)
	if rc < 0 {
		return int(rc), &Error{Code: int(rc), Message: C.GoString(C.alliance_errmsg(c.db))}
	}
	return int(rc), nil
}

// Errmsg and Errcode are the last failure on the handle (alliance_errmsg, alliance_errcode).
func (c *Collection) Errmsg() string {
	if err := c.lock(); err != nil {
		return err.Error()
	}
	defer c.mu.Unlock()
	return C.GoString(C.alliance_errmsg(c.db))
}

func (c *Collection) Errcode() int {
	if err := c.lock(); err != nil {
		return EMISUSE
	}
	defer c.mu.Unlock()
	return int(C.alliance_errcode(c.db))
}

// ---- settings ----

// Today is the collection's day number of now.
func (c *Collection) Today(now time.Time) (int64, error) {
	var out C.int64_t
	_, err := c.call(func(db *C.alliance_db) C.int { return C.alliance_today(db, unix(now), &out) })
	return int64(out), err
}

// SetUTCOffset changes the learner's UTC offset.
func (c *Collection) SetUTCOffset(seconds int32) error {
	_, err := c.call(func(db *C.alliance_db) C.int { return C.alliance_set_utc_offset(db, C.int32_t(seconds)) })
	return err
}

// Config are the collection's settings (alliance_config).
type Config struct {
	NewPerDay      uint32
	ReviewsPerDay  uint32
	RolloverHour   uint32
	LeechThreshold uint32
	LeechSuspend   bool
}

func configFromC(c *C.alliance_config) Config {
	return Config{uint32(c.new_per_day), uint32(c.reviews_per_day), uint32(c.rollover_hour), uint32(c.leech_threshold),
		c.leech_suspend != 0}
}

// Config reads the stored settings.
func (c *Collection) Config() (Config, error) {
	var out C.alliance_config
	if err := pureError(C.alliance_config_init(&out, C.uint32_t(CONFIG_VERSION)), "alliance_config_init"); err != nil {
		return Config{}, err
	}
	_, err := c.call(func(db *C.alliance_db) C.int { return C.alliance_config_get(db, &out) })
	return configFromC(&out), err
}

// SetConfig stores new settings.
func (c *Collection) SetConfig(cfg Config) error {
	var in C.alliance_config
	if err := pureError(C.alliance_config_init(&in, C.uint32_t(CONFIG_VERSION)), "alliance_config_init"); err != nil {
		return err
	}
	in.new_per_day, in.reviews_per_day = C.uint32_t(cfg.NewPerDay), C.uint32_t(cfg.ReviewsPerDay)
	in.rollover_hour, in.leech_threshold = C.uint32_t(cfg.RolloverHour), C.uint32_t(cfg.LeechThreshold)
	in.leech_suspend = 0
	if cfg.LeechSuspend {
		in.leech_suspend = 1
	}
	_, err := c.call(func(db *C.alliance_db) C.int { return C.alliance_config_set(db, &in) })
	return err
}

// SM2Params are the parameters every answer uses from now on.
func (c *Collection) SM2Params() (SM2Params, error) {
	var out C.alliance_sm2_params
	if err := pureError(C.alliance_sm2_params_init_v2(&out, C.uint32_t(SM2_PARAMS_VERSION), C.uint32_t(SM2_SUPERMEMO)),
		"alliance_sm2_params_init_v2"); err != nil {
		return SM2Params{}, err
	}
	_, err := c.call(func(db *C.alliance_db) C.int { return C.alliance_sm2_params_get(db, &out) })
	return paramsFromC(&out), err
}

// SetSM2Params changes them (each review records the parameters it used).
func (c *Collection) SetSM2Params(p SM2Params) error {
	in := paramsToC(p)
	_, err := c.call(func(db *C.alliance_db) C.int { return C.alliance_sm2_params_set(db, &in) })
	return err
}

// ---- decks and cards ----

// DeckID is the id of the deck called name (created, empty, if create and missing).
func (c *Collection) DeckID(name string, create bool) (int64, error) {
	cname, err := cstring(name, "deck name")
	if err != nil {
		return 0, err
	}
	defer C.free(unsafe.Pointer(cname))
	var out C.int64_t
	flag := C.int(0)
	if create {
		flag = 1
	}
	_, err = c.call(func(db *C.alliance_db) C.int { return C.alliance_deck_id(db, cname, flag, &out) })
	return int64(out), err
}

// DeckName is the deck's name.
func (c *Collection) DeckName(deckID int64) (string, error) {
	var out *C.char
	_, err := c.call(func(db *C.alliance_db) C.int { return C.alliance_deck_name(db, C.int64_t(deckID), &out) })
	return takeString(out), err
}

// DeckSourceTitle is the title the deck's header gives to one of its source files.
func (c *Collection) DeckSourceTitle(deckID int64, sourceFile string) (string, error) {
	cfile, err := cstring(sourceFile, "source file")
	if err != nil {
		return "", err
	}
	defer C.free(unsafe.Pointer(cfile))
	var out *C.char
	_, err = c.call(func(db *C.alliance_db) C.int {
		return C.alliance_deck_source_title(db, C.int64_t(deckID), cfile, &out)
	})
	return takeString(out), err
}

// RenameDeck renames a deck: its cards, their history and its id stay. An *Error with
// EEXISTS if another deck has newName (synced: docs/sync.md).
func (c *Collection) RenameDeck(deckID int64, newName string) error {
	cname, err := cstring(newName, "deck name")
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cname))
	_, err = c.call(func(db *C.alliance_db) C.int { return C.alliance_deck_rename(db, C.int64_t(deckID), cname) })
	return err
}

// DeleteDeck deletes a deck. One with cards only with withCards, which deletes its cards and
// their review history too, in one transaction (EINVAL otherwise; synced: docs/sync.md).
func (c *Collection) DeleteDeck(deckID int64, withCards bool) error {
	flags := C.uint32_t(0)
	if withCards {
		flags = C.ALLIANCE_DECK_DELETE_CARDS
	}
	_, err := c.call(func(db *C.alliance_db) C.int { return C.alliance_deck_delete(db, C.int64_t(deckID), flags) })
	return err
}

// AddNote adds a note's cards to a deck as new cards.
func (c *Collection) AddNote(deckID int64, note Note, now time.Time) error {
	var cs cstrings
	defer cs.free()
	cnote, err := noteToC(note, &cs)
	if err != nil {
		return err
	}
	_, err = c.call(func(db *C.alliance_db) C.int { return C.alliance_note_add(db, C.int64_t(deckID), &cnote, unix(now)) })
	return err
}

// Card is a copy of one card (ErrNotFound if there is none).
func (c *Collection) Card(cardID string) (*Card, error) {
	cid, err := cstring(cardID, "card id")
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cid))
	var out *C.alliance_card
	if _, err := c.call(func(db *C.alliance_db) C.int { return C.alliance_card_get(db, cid, &out) }); err != nil {
		return nil, err
	}
	return takeCard(out), nil
}

// CardAt is Card with the card's FSRS retrievability computed for the day of now
// (alliance_card_get_at).
func (c *Collection) CardAt(cardID string, now time.Time) (*Card, error) {
	cid, err := cstring(cardID, "card id")
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cid))
	var out *C.alliance_card
	if _, err := c.call(func(db *C.alliance_db) C.int { return C.alliance_card_get_at(db, cid, unix(now), &out) }); err != nil {
		return nil, err
	}
	return takeCard(out), nil
}

// Suspend suspends (or with false unsuspends) a card.
func (c *Collection) Suspend(cardID string, suspended bool, now time.Time) error {
	cid, err := cstring(cardID, "card id")
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cid))
	flag := C.int(0)
	if suspended {
		flag = 1
	}
	_, err = c.call(func(db *C.alliance_db) C.int { return C.alliance_card_suspend(db, cid, flag, unix(now)) })
	return err
}

// Bury hides a card from sessions until tomorrow.
func (c *Collection) Bury(cardID string, now time.Time) error {
	cid, err := cstring(cardID, "card id")
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cid))
	_, err = c.call(func(db *C.alliance_db) C.int { return C.alliance_card_bury(db, cid, unix(now)) })
	return err
}

// ---- answering, undo, the review log ----

// Answer answers a due card with grade 0..5 at now; returns its new state.
func (c *Collection) Answer(cardID string, grade int, now time.Time, answerMs uint32) (SM2State, error) {
	cid, err := cstring(cardID, "card id")
	if err != nil {
		return SM2State{}, err
	}
	defer C.free(unsafe.Pointer(cid))
	cgrade, err := cGrade(grade, "alliance_answer: grade")
	if err != nil {
		return SM2State{}, err
	}
	var out C.alliance_sm2_state
	_, err = c.call(func(db *C.alliance_db) C.int {
		return C.alliance_answer(db, cid, cgrade, unix(now), C.uint32_t(answerMs), &out)
	})
	return stateFromC(&out), err
}

// Undo undoes the most recent answer and returns its card id (ErrNoUndo if there is none).
func (c *Collection) Undo() (string, error) {
	var out *C.char
	_, err := c.call(func(db *C.alliance_db) C.int { return C.alliance_undo(db, &out) })
	return takeString(out), err
}

// Replay rebuilds a card's state and due day from its review log, without writing.
func (c *Collection) Replay(cardID string) (SM2State, int64, error) {
	cid, err := cstring(cardID, "card id")
	if err != nil {
		return SM2State{}, 0, err
	}
	defer C.free(unsafe.Pointer(cid))
	var state C.alliance_sm2_state
	var due C.int64_t
	_, err = c.call(func(db *C.alliance_db) C.int { return C.alliance_replay(db, cid, &state, &due) })
	return stateFromC(&state), int64(due), err
}

// Verify counts the cards whose stored state differs from the replay of their log.
func (c *Collection) Verify() (uint64, error) {
	var out C.uint64_t
	_, err := c.call(func(db *C.alliance_db) C.int { return C.alliance_verify(db, &out) })
	return uint64(out), err
}

// IntegrityCheck runs SQLite's integrity_check and foreign_key_check of the file: nil if it
// is sound, else the problems SQLite found (at most 100), one string each.
func (c *Collection) IntegrityCheck() ([]string, error) {
	var out *C.char
	rc, err := c.call(func(db *C.alliance_db) C.int { return C.alliance_integrity_check(db, &out) })
	report := takeString(out)
	if rc != ECORRUPT {
		return nil, err
	}
	if report == "" {
		report = err.Error()
	}
	var problems []string
	for _, line := range strings.Split(report, "\n") {
		if line != "" {
			problems = append(problems, line)
		}
	}
	return problems, nil
}

// ---- statistics ----

// Stats are a deck's (or the collection's) statistics (alliance_stats).
type Stats struct {
	Total, NewCards, Learned, DueToday, Suspended, Leeches uint32
	WindowDays, Reviews, Correct                           uint32
	// Anki's true retention (TruePassed / TrueReviews) and its mature part (interval >= 21 days).
	TrueReviews, TruePassed, MatureReviews, MaturePassed uint32
	// Answers with a known answer time, and their mean in milliseconds.
	TimedAnswers, AverageAnswerMs uint32
}

func statsFromC(s *C.alliance_stats) Stats {
	return Stats{uint32(s.total), uint32(s.new_cards), uint32(s.learned), uint32(s.due_today), uint32(s.suspended),
		uint32(s.leeches), uint32(s.window_days), uint32(s.reviews), uint32(s.correct),
		uint32(s.true_reviews), uint32(s.true_passed), uint32(s.mature_reviews), uint32(s.mature_passed),
		uint32(s.timed_answers), uint32(s.average_answer_ms)}
}

// Stats of deckID (0: every deck) at now over the last windowDays days.
func (c *Collection) Stats(deckID int64, now time.Time, windowDays uint32) (Stats, error) {
	var out C.alliance_stats
	if err := pureError(C.alliance_stats_init(&out, C.uint32_t(STATS_VERSION)), "alliance_stats_init"); err != nil {
		return Stats{}, err
	}
	_, err := c.call(func(db *C.alliance_db) C.int {
		return C.alliance_stats_get(db, C.int64_t(deckID), unix(now), C.uint32_t(windowDays), &out)
	})
	return statsFromC(&out), err
}

// Forecast is the number of cards due on each of the next days (1..3650), overdue ones today.
func (c *Collection) Forecast(deckID int64, now time.Time, days uint32) ([]uint32, error) {
	size := days
	if size < 1 || size > 3650 {
		size = 1 // the library refuses the count with its message; nothing is allocated for it
	}
	counts := make([]uint32, size)
	_, err := c.call(func(db *C.alliance_db) C.int {
		return C.alliance_forecast_v2(db, C.int64_t(deckID), unix(now), (*C.uint32_t)(unsafe.Pointer(&counts[0])),
			C.uint32_t(days))
	})
	if err != nil {
		return nil, err
	}
	return counts, nil
}

// ReviewHistory is the number of answers on each day back from today: [today, yesterday, ...]
// for days days (1..3650; 366 is the last year).
func (c *Collection) ReviewHistory(deckID int64, now time.Time, days uint32) ([]uint32, error) {
	size := days
	if size < 1 || size > 3650 {
		size = 1 // the library refuses the count with its message
	}
	counts := make([]uint32, size)
	_, err := c.call(func(db *C.alliance_db) C.int {
		return C.alliance_review_history(db, C.int64_t(deckID), unix(now), (*C.uint32_t)(unsafe.Pointer(&counts[0])),
			C.uint32_t(days))
	})
	if err != nil {
		return nil, err
	}
	return counts, nil
}

// ---- study modes: an exam date per deck (docs/study-modes.md) ----

// ExamStatus is a deck's exam and its new-card pace (alliance_exam_status).
type ExamStatus struct {
	HasExam         bool
	ExamDay         int64
	FinalDays       uint32
	NewCards        uint32
	ReadyByDay      int64
	Pace            uint32
	IntroducedToday uint32
}

func examStatusFromC(s *C.alliance_exam_status) ExamStatus {
	return ExamStatus{s.has_exam != 0, int64(s.exam_day), uint32(s.final_days), uint32(s.new_cards),
		int64(s.ready_by_day), uint32(s.pace), uint32(s.introduced_today)}
}

// ExamSet gives deck deckID an exam on day examDay with a final window of finalDays (0: 3).
func (c *Collection) ExamSet(deckID, examDay int64, finalDays uint32) error {
	_, err := c.call(func(db *C.alliance_db) C.int {
		return C.alliance_exam_set(db, C.int64_t(deckID), C.int64_t(examDay), C.uint32_t(finalDays))
	})
	return err
}

// ExamClear removes deck deckID's exam.
func (c *Collection) ExamClear(deckID int64) error {
	_, err := c.call(func(db *C.alliance_db) C.int { return C.alliance_exam_clear(db, C.int64_t(deckID)) })
	return err
}

// Exam is deck deckID's exam and pace as of now.
func (c *Collection) Exam(deckID int64, now time.Time) (ExamStatus, error) {
	var out C.alliance_exam_status
	if err := pureError(C.alliance_exam_status_init(&out, C.uint32_t(EXAM_STATUS_VERSION)),
		"alliance_exam_status_init"); err != nil {
		return ExamStatus{}, err
	}
	_, err := c.call(func(db *C.alliance_db) C.int {
		return C.alliance_exam_get(db, C.int64_t(deckID), unix(now), &out)
	})
	return examStatusFromC(&out), err
}

// StudySettings are siblings apart and fuzz (alliance_study_settings).
func (c *Collection) StudySettings() (burySiblings, fuzz bool, err error) {
	var s C.alliance_study_settings
	if err := pureError(C.alliance_study_settings_init(&s, C.uint32_t(STUDY_SETTINGS_VERSION)),
		"alliance_study_settings_init"); err != nil {
		return false, false, err
	}
	_, err = c.call(func(db *C.alliance_db) C.int { return C.alliance_study_settings_get(db, &s) })
	return s.bury_siblings != 0, s.fuzz != 0, err
}

// SetStudySettings sets siblings apart and fuzz.
func (c *Collection) SetStudySettings(burySiblings, fuzz bool) error {
	var s C.alliance_study_settings
	if err := pureError(C.alliance_study_settings_init(&s, C.uint32_t(STUDY_SETTINGS_VERSION)),
		"alliance_study_settings_init"); err != nil {
		return err
	}
	if burySiblings {
		s.bury_siblings = 1
	}
	if fuzz {
		s.fuzz = 1
	}
	_, err := c.call(func(db *C.alliance_db) C.int { return C.alliance_study_settings_set(db, &s) })
	return err
}

// CardDueDay is the day cardID is due as seen at now (its deck's exam clamp applied).
func (c *Collection) CardDueDay(cardID string, now time.Time) (int64, error) {
	id := C.CString(cardID)
	defer C.free(unsafe.Pointer(id))
	var day C.int64_t
	_, err := c.call(func(db *C.alliance_db) C.int { return C.alliance_card_due_day(db, id, unix(now), &day) })
	return int64(day), err
}

// ---- deck files ----

// ImportOptions say how to import a deck file.
type ImportOptions struct {
	Format   uint32 // FORMAT_DECK (default, 0 means it too) or FORMAT_ANKI_TEXT
	DeckName string // the deck when the file names none
	DryRun   bool   // check and count, write nothing
}

// ImportReport is what an import did, or why it did nothing (alliance_import_report). With a
// file of several decks (Anki text, .apkg) the counts are sums and Decks has each deck's.
type ImportReport struct {
	DeckID                               int64
	DeckName                             string
	Added, Updated, Unchanged, Suspended uint32
	ErrorCount                           uint32
	Errors                               string // "FILE:LINE:COLUMN: message\n" each
	Decks                                []ImportDeck
	Media                                uint32 // .apkg: the media files it holds (not copied)
	Notices                              string // what was read in a lossy way, one line each
}

// ImportDeck is one deck of an import (alliance_import_deck).
type ImportDeck struct {
	DeckID                               int64
	DeckName                             string
	Added, Updated, Unchanged, Suspended uint32
}

func importDeckFromC(d *C.alliance_import_deck) ImportDeck {
	return ImportDeck{DeckID: int64(d.deck_id), DeckName: C.GoString(d.deck_name), Added: uint32(d.added),
		Updated: uint32(d.updated), Unchanged: uint32(d.unchanged), Suspended: uint32(d.suspended)}
}

// ErrorLines are the first errors, one "FILE:LINE:COLUMN: message" each.
func (r *ImportReport) ErrorLines() []string {
	var out []string
	for _, line := range strings.Split(r.Errors, "\n") {
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

func takeReport(p *C.alliance_import_report) *ImportReport {
	if p == nil {
		return nil
	}
	defer C.alliance_free(unsafe.Pointer(p))
	r := &ImportReport{DeckID: int64(p.deck_id), DeckName: C.GoString(p.deck_name), Added: uint32(p.added),
		Updated: uint32(p.updated), Unchanged: uint32(p.unchanged), Suspended: uint32(p.suspended),
		ErrorCount: uint32(p.error_count), Errors: C.GoString(p.errors), Media: uint32(p.media),
		Notices: C.GoString(p.notices)}
	if p.deck_count > 0 {
		for _, d := range unsafe.Slice(p.decks, int(p.deck_count)) {
			r.Decks = append(r.Decks, importDeckFromC(d))
		}
	}
	return r
}

// DetectFormat says which FORMAT_* data is, from its content.
func DetectFormat(data []byte) (uint32, error) {
	cdata := C.CBytes(data)
	defer C.free(cdata)
	var out C.uint32_t
	err := pureError(C.alliance_format_detect((*C.char)(cdata), C.size_t(len(data)), &out), "DetectFormat")
	return uint32(out), err
}

// ExportOptions say what alliance_export writes.
type ExportOptions struct {
	Format   uint32 // FORMAT_DECK (default, 0 means it too), FORMAT_ANKI_TEXT or FORMAT_APKG
	Subdecks bool   // also the decks named "NAME::..." under the deck
}

func exportOptionsToC(o ExportOptions) (C.alliance_export_options, error) {
	var c C.alliance_export_options
	if err := pureError(C.alliance_export_options_init(&c, C.uint32_t(EXPORT_OPTIONS_VERSION)), "alliance_export_options_init"); err != nil {
		return c, err
	}
	if o.Format != 0 {
		c.format = C.uint32_t(o.Format)
	}
	if o.Subdecks {
		c.flags |= C.uint32_t(EXPORT_SUBDECKS)
	}
	return c, nil
}

// ExportFile writes one deck, a deck and its subdecks, or every deck (deckID 0) to a file in
// any format, an .apkg included; the file is replaced atomically. now dates a package.
func (c *Collection) ExportFile(deckID int64, opts ExportOptions, now time.Time, path string) error {
	copts, err := exportOptionsToC(opts)
	if err != nil {
		return err
	}
	cpath, err := cstring(path, "path")
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cpath))
	_, err = c.call(func(db *C.alliance_db) C.int {
		return C.alliance_export_file(db, C.int64_t(deckID), &copts, unix(now), cpath)
	})
	return err
}

func importOptionsToC(o ImportOptions, cs *cstrings) (C.alliance_import_options, error) {
	var c C.alliance_import_options
	if err := pureError(C.alliance_import_options_init(&c, C.uint32_t(IMPORT_OPTIONS_VERSION)), "alliance_import_options_init"); err != nil {
		return c, err
	}
	if o.Format != 0 {
		c.format = C.uint32_t(o.Format)
	}
	if o.DryRun {
		c.dry_run = 1
	}
	if o.DeckName != "" {
		name, err := cs.add(o.DeckName, "deck name")
		if err != nil {
			return c, err
		}
		c.deck_name = name
	}
	return c, nil
}

// finishImport attaches the report to a failure (EPARSE, ELIMIT list the errors there).
func finishImport(report *ImportReport, err error) (*ImportReport, error) {
	if e, ok := errorsAs(err); ok {
		e.Report = report
		return nil, e
	}
	return report, err
}

// ImportDeck imports a deck file in one transaction: all of it or nothing.
func (c *Collection) ImportDeck(path string, opts ImportOptions, now time.Time) (*ImportReport, error) {
	var cs cstrings
	defer cs.free()
	cpath, err := cs.add(path, "path")
	if err != nil {
		return nil, err
	}
	copts, err := importOptionsToC(opts, &cs)
	if err != nil {
		return nil, err
	}
	var out *C.alliance_import_report
	_, err = c.call(func(db *C.alliance_db) C.int { return C.alliance_deck_import(db, cpath, &copts, unix(now), &out) })
	return finishImport(takeReport(out), err)
}

// ImportDeckData is ImportDeck for deck text in memory; name is used in messages.
func (c *Collection) ImportDeckData(name string, data []byte, opts ImportOptions, now time.Time) (*ImportReport, error) {
	var cs cstrings
	defer cs.free()
	cname, err := cs.add(name, "name")
	if err != nil {
		return nil, err
	}
	copts, err := importOptionsToC(opts, &cs)
	if err != nil {
		return nil, err
	}
	cdata := C.CBytes(data) // C memory: the library may read it while Go moves things
	defer C.free(cdata)
	var out *C.alliance_import_report
	_, err = c.call(func(db *C.alliance_db) C.int {
		return C.alliance_deck_import_buffer(db, cname, (*C.char)(cdata), C.size_t(len(data)), &copts, unix(now), &out)
	})
	return finishImport(takeReport(out), err)
}

// CheckDeck parses deck text without a collection: the report counts its cards as Added.
func CheckDeck(name string, data []byte, format uint32) (*ImportReport, error) {
	cname, err := cstring(name, "name")
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cname))
	cdata := C.CBytes(data)
	defer C.free(cdata)
	var out *C.alliance_import_report
	rc := C.alliance_deck_check(cname, (*C.char)(cdata), C.size_t(len(data)), C.uint32_t(format), &out)
	report := takeReport(out)
	if rc < 0 {
		message := Strerror(int(rc))
		if report != nil && report.Errors != "" {
			message = strings.TrimSpace(report.Errors)
		}
		return nil, &Error{Code: int(rc), Message: message, Report: report}
	}
	return report, nil
}

// ExportDeckFile writes a deck to a file, replaced atomically.
func (c *Collection) ExportDeckFile(deckID int64, format uint32, path string) error {
	cpath, err := cstring(path, "path")
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cpath))
	_, err = c.call(func(db *C.alliance_db) C.int {
		return C.alliance_deck_export_file(db, C.int64_t(deckID), C.uint32_t(format), cpath)
	})
	return err
}
