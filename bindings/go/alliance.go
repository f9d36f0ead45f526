// SPDX-License-Identifier: MIT

// Package alliance is liballiance for Go: SM-2 flashcard scheduling over a SQLite
// collection, through cgo and the C API of include/alliance.h.
//
// The C library is found with pkg-config (`#cgo pkg-config: alliance`): install
// liballiance first (README.md, "Build and install"), and for a prefix outside the
// system's paths set PKG_CONFIG_PATH to PREFIX/lib/pkgconfig when building, and let
// the program find liballiance.so.0 at run time (an rpath, LD_LIBRARY_PATH, or
// ldconfig). docs/bindings.md says what the binding covers.
//
// Conventions:
//   - A failing call returns an *Error carrying the library's code (Code, a negative
//     ALLIANCE_E* number) and message (what went wrong and where); errors.Is(err,
//     alliance.ErrNotFound) compares codes.
//   - Collection, Session and the iterators hold C handles: Close them (Close is
//     idempotent; a finalizer closes what was forgotten). They may be closed in any
//     order: a session or iterator whose collection was closed returns ErrMisuse.
//   - Time is a time.Time (the library counts Unix seconds); days are int64 day numbers.
//   - Cards, reviews, reports and statistics are Go values: copies, the C memory is
//     freed before the call returns.
//   - A Collection may be used from several goroutines: each call and the reading of
//     its error message happen under the collection's lock.
package alliance

/*
#cgo pkg-config: alliance
#include <stdlib.h>
#include <alliance.h>
*/
import "C"

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unsafe"
)

// ---- constants: the header's, read by cgo from alliance.h itself ----

// Result codes (pinned forever).
const (
	OK             = int(C.ALLIANCE_OK)
	DONE           = int(C.ALLIANCE_DONE)
	EINVAL         = int(C.ALLIANCE_EINVAL)
	ENOMEM         = int(C.ALLIANCE_ENOMEM)
	EVERSION       = int(C.ALLIANCE_EVERSION)
	EGRADE         = int(C.ALLIANCE_EGRADE)
	ESTATE         = int(C.ALLIANCE_ESTATE)
	ENOTFOUND      = int(C.ALLIANCE_ENOTFOUND)
	ENOTDUE        = int(C.ALLIANCE_ENOTDUE)
	EEXISTS        = int(C.ALLIANCE_EEXISTS)
	ENOUNDO        = int(C.ALLIANCE_ENOUNDO)
	EPARSE         = int(C.ALLIANCE_EPARSE)
	ELIMIT         = int(C.ALLIANCE_ELIMIT)
	EIO            = int(C.ALLIANCE_EIO)
	EFULL          = int(C.ALLIANCE_EFULL)
	EREADONLY      = int(C.ALLIANCE_EREADONLY)
	EBUSY          = int(C.ALLIANCE_EBUSY)
	ECORRUPT       = int(C.ALLIANCE_ECORRUPT)
	ENOTCOLLECTION = int(C.ALLIANCE_ENOTCOLLECTION)
	ENEWER         = int(C.ALLIANCE_ENEWER)
	EMISUSE        = int(C.ALLIANCE_EMISUSE)
	EDB            = int(C.ALLIANCE_EDB)
)

// The other constants of the header.
const (
	VERSION_MAJOR          = int(C.ALLIANCE_VERSION_MAJOR)
	VERSION_MINOR          = int(C.ALLIANCE_VERSION_MINOR)
	VERSION_PATCH          = int(C.ALLIANCE_VERSION_PATCH)
	VERSION_NUMBER         = int(C.ALLIANCE_VERSION_NUMBER)
	VERSION_STRING         = C.ALLIANCE_VERSION_STRING
	ALLOCATOR_VERSION      = uint32(C.ALLIANCE_ALLOCATOR_VERSION)
	SM2_SUPERMEMO          = uint32(C.ALLIANCE_SM2_SUPERMEMO)
	SM2_CLASSIC            = uint32(C.ALLIANCE_SM2_CLASSIC)
	SM2_PARAMS_VERSION     = uint32(C.ALLIANCE_SM2_PARAMS_VERSION)
	UTC_OFFSET_LOCAL       = int32(C.ALLIANCE_UTC_OFFSET_LOCAL)
	OPEN_CREATE            = uint32(C.ALLIANCE_OPEN_CREATE)
	OPEN_READONLY          = uint32(C.ALLIANCE_OPEN_READONLY)
	SYNC_NORMAL            = uint32(C.ALLIANCE_SYNC_NORMAL)
	SYNC_FULL              = uint32(C.ALLIANCE_SYNC_FULL)
	OPEN_OPTIONS_VERSION   = uint32(C.ALLIANCE_OPEN_OPTIONS_VERSION)
	CONFIG_VERSION         = uint32(C.ALLIANCE_CONFIG_VERSION)
	DECK_DELETE_CARDS      = uint32(C.ALLIANCE_DECK_DELETE_CARDS)
	CARD_BASIC             = uint32(C.ALLIANCE_CARD_BASIC)
	CARD_CLOZE             = uint32(C.ALLIANCE_CARD_CLOZE)
	CARD_CHOICE            = uint32(C.ALLIANCE_CARD_CHOICE)
	NOTE_VERSION           = uint32(C.ALLIANCE_NOTE_VERSION)
	RENDER_OPTIONS_VERSION = uint32(C.ALLIANCE_RENDER_OPTIONS_VERSION)
	RENDER_KEEP_ORDER      = uint32(C.ALLIANCE_RENDER_KEEP_ORDER)
	RENDER_HTML_TEXT       = uint32(C.ALLIANCE_RENDER_HTML_TEXT)
	RENDER_HTML_SGR        = uint32(C.ALLIANCE_RENDER_HTML_SGR)
	REVIEW_VERSION         = uint32(C.ALLIANCE_REVIEW_VERSION)
	COUNTS_VERSION         = uint32(C.ALLIANCE_COUNTS_VERSION)
	STATS_VERSION          = uint32(C.ALLIANCE_STATS_VERSION)
	EXAM_STATUS_VERSION    = uint32(C.ALLIANCE_EXAM_STATUS_VERSION)
	CRAM_OPTIONS_VERSION   = uint32(C.ALLIANCE_CRAM_OPTIONS_VERSION)
	CRAM_PREVIEW           = uint32(C.ALLIANCE_CRAM_PREVIEW)
	CRAM_AHEAD             = uint32(C.ALLIANCE_CRAM_AHEAD)
	STUDY_SETTINGS_VERSION = uint32(C.ALLIANCE_STUDY_SETTINGS_VERSION)
	FORMAT_DECK            = uint32(C.ALLIANCE_FORMAT_DECK)
	FORMAT_ANKI_TEXT       = uint32(C.ALLIANCE_FORMAT_ANKI_TEXT)
	FORMAT_APKG            = uint32(C.ALLIANCE_FORMAT_APKG)
	IMPORT_OPTIONS_VERSION = uint32(C.ALLIANCE_IMPORT_OPTIONS_VERSION)
	EXPORT_SUBDECKS        = uint32(C.ALLIANCE_EXPORT_SUBDECKS)
	EXPORT_OPTIONS_VERSION = uint32(C.ALLIANCE_EXPORT_OPTIONS_VERSION)
)

// HeaderVersionNumber is ALLIANCE_VERSION_NUMBER of the header this package was compiled with.
const HeaderVersionNumber = VERSION_NUMBER

// ---- errors ----

// Error is a failed call: the library's code and its message.
type Error struct {
	Code    int    // a negative ALLIANCE_E* code
	Message string // what went wrong and where (card id, file:line:column)
	// Report is what a failed import or check reported (EPARSE, ELIMIT), or nil.
	Report *ImportReport
}

func (e *Error) Error() string {
	if e.Message == "" {
		return Strerror(e.Code)
	}
	return e.Message
}

// CodeName is the code's name: "ENOTFOUND", "EGRADE"... ("UNKNOWN" for another code).
func (e *Error) CodeName() string { return CodeName(e.Code) }

// Is makes errors.Is(err, alliance.ErrNotFound) compare codes.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// One sentinel per code, for errors.Is.
var (
	ErrInvalid       = &Error{Code: EINVAL}
	ErrNoMemory      = &Error{Code: ENOMEM}
	ErrVersion       = &Error{Code: EVERSION}
	ErrGrade         = &Error{Code: EGRADE}
	ErrState         = &Error{Code: ESTATE}
	ErrNotFound      = &Error{Code: ENOTFOUND}
	ErrNotDue        = &Error{Code: ENOTDUE}
	ErrExists        = &Error{Code: EEXISTS}
	ErrNoUndo        = &Error{Code: ENOUNDO}
	ErrParse         = &Error{Code: EPARSE}
	ErrLimit         = &Error{Code: ELIMIT}
	ErrIO            = &Error{Code: EIO}
	ErrFull          = &Error{Code: EFULL}
	ErrReadOnly      = &Error{Code: EREADONLY}
	ErrBusy          = &Error{Code: EBUSY}
	ErrCorrupt       = &Error{Code: ECORRUPT}
	ErrNotCollection = &Error{Code: ENOTCOLLECTION}
	ErrNewer         = &Error{Code: ENEWER}
	ErrMisuse        = &Error{Code: EMISUSE}
	ErrDB            = &Error{Code: EDB}
)

var codeNames = map[int]string{
	EINVAL: "EINVAL", ENOMEM: "ENOMEM", EVERSION: "EVERSION", EGRADE: "EGRADE", ESTATE: "ESTATE",
	ENOTFOUND: "ENOTFOUND", ENOTDUE: "ENOTDUE", EEXISTS: "EEXISTS", ENOUNDO: "ENOUNDO", EPARSE: "EPARSE",
	ELIMIT: "ELIMIT", EIO: "EIO", EFULL: "EFULL", EREADONLY: "EREADONLY", EBUSY: "EBUSY", ECORRUPT: "ECORRUPT",
	ENOTCOLLECTION: "ENOTCOLLECTION", ENEWER: "ENEWER", EMISUSE: "EMISUSE", EDB: "EDB", EFOREIGN: "EFOREIGN",
}

// CodeName is the name of an ALLIANCE_E* code ("UNKNOWN" for another one).
func CodeName(code int) string {
	if name, ok := codeNames[code]; ok {
		return name
	}
	return "UNKNOWN"
}

// Strerror is the library's static description of a code.
func Strerror(code int) string {
	if code < math.MinInt32 || code > math.MaxInt32 {
		code = math.MinInt32 // no code: C.int(code) would wrap it to another one
	}
	return C.GoString(C.alliance_strerror(C.int(code)))
}

// cGrade is a grade (or an FSRS rating) as C's int. One that does not fit is ErrGrade, as
// the library says for any grade it does not know: C.int(grade) would wrap it to another.
func cGrade(grade int, what string) (C.int, error) {
	if grade < math.MinInt32 || grade > math.MaxInt32 {
		return 0, &Error{Code: EGRADE, Message: fmt.Sprintf("%s %d is not a grade (it does not fit C's int)", what, grade)}
	}
	return C.int(grade), nil
}

func pureError(rc C.int, context string) error {
	if rc >= 0 {
		return nil
	}
	return &Error{Code: int(rc), Message: context + ": " + Strerror(int(rc))}
}

// ---- strings ----

// cstring is a C copy of s (free it with C.free), or an EINVAL error if s holds a NUL,
// which C would silently cut the string at.
func cstring(s, what string) (*C.char, error) {
	if strings.IndexByte(s, 0) >= 0 {
		return nil, &Error{Code: EINVAL, Message: what + " contains a NUL character"}
	}
	return C.CString(s), nil
}

// cstrings makes C copies of several strings; free releases them all.
type cstrings []*C.char

func (cs *cstrings) add(s, what string) (*C.char, error) {
	p, err := cstring(s, what)
	if err == nil {
		*cs = append(*cs, p)
	}
	return p, err
}

func (cs cstrings) free() {
	for _, p := range cs {
		C.free(unsafe.Pointer(p))
	}
}

// takeString copies and frees a string the library handed out.
func takeString(p *C.char) string {
	if p == nil {
		return ""
	}
	defer C.alliance_free(unsafe.Pointer(p))
	return C.GoString(p)
}

func unix(t time.Time) C.int64_t { return C.int64_t(t.Unix()) }

// ---- versions ----

// LibraryVersion is the version of the library actually loaded ("MAJOR.MINOR.PATCH").
func LibraryVersion() string { return C.GoString(C.alliance_version_string()) }

// LibraryVersionNumber is MAJOR * 1000000 + MINOR * 1000 + PATCH of the library loaded.
func LibraryVersionNumber() int { return int(C.alliance_version_number()) }

// CheckLibrary says whether the loaded library can serve this package: the same MAJOR
// version (docs/abi.md, "Versions") and not older than the header it was compiled with
// (a function added since would be missing). Open calls it.
func CheckLibrary() error {
	loaded := LibraryVersionNumber()
	if loaded/1000000 != VERSION_NUMBER/1000000 || loaded < VERSION_NUMBER {
		return &Error{Code: EVERSION, Message: fmt.Sprintf("this package was compiled with liballiance %s "+
			"but the library loaded is %s", VERSION_STRING, LibraryVersion())}
	}
	return nil
}

// ---- the pure scheduler and the learner's day ----

// SM2State is one card's SM-2 state (alliance_sm2_state).
type SM2State struct {
	Repetitions  uint32 // successful recalls in a row
	EFactorMilli uint32 // E-Factor in thousandths
	IntervalDays uint32 // 0: due again today
	RepeatToday  uint32 // 1 while a same-day repeat is due
}

// DaysUntilDue is the number of days from the review that produced this state to the next.
func (s SM2State) DaysUntilDue() uint32 {
	if s.RepeatToday != 0 {
		return 0
	}
	return s.IntervalDays
}

func stateFromC(c *C.alliance_sm2_state) SM2State {
	return SM2State{uint32(c.repetitions), uint32(c.efactor_milli), uint32(c.interval_days), uint32(c.repeat_today)}
}

func stateToC(s SM2State) C.alliance_sm2_state {
	return C.alliance_sm2_state{repetitions: C.uint32_t(s.Repetitions), efactor_milli: C.uint32_t(s.EFactorMilli),
		interval_days: C.uint32_t(s.IntervalDays), repeat_today: C.uint32_t(s.RepeatToday)}
}

// SM2Params are SM-2's parameters (alliance_sm2_params; the version is filled in for you).
type SM2Params struct {
	Preset              uint32 // SM2_SUPERMEMO or SM2_CLASSIC
	InitialEFactorMilli uint32
	MinEFactorMilli     uint32
	FirstIntervalDays   uint32
	SecondIntervalDays  uint32
	MaxIntervalDays     uint32
}

func paramsFromC(c *C.alliance_sm2_params) SM2Params {
	return SM2Params{uint32(c.preset), uint32(c.initial_efactor_milli), uint32(c.min_efactor_milli),
		uint32(c.first_interval_days), uint32(c.second_interval_days), uint32(c.max_interval_days)}
}

func paramsToC(p SM2Params) C.alliance_sm2_params {
	return C.alliance_sm2_params{version: C.uint32_t(SM2_PARAMS_VERSION), preset: C.uint32_t(p.Preset),
		initial_efactor_milli: C.uint32_t(p.InitialEFactorMilli), min_efactor_milli: C.uint32_t(p.MinEFactorMilli),
		first_interval_days: C.uint32_t(p.FirstIntervalDays), second_interval_days: C.uint32_t(p.SecondIntervalDays),
		max_interval_days: C.uint32_t(p.MaxIntervalDays)}
}

// DefaultSM2Params are the defaults of a preset.
func DefaultSM2Params(preset uint32) (SM2Params, error) {
	var c C.alliance_sm2_params
	if err := pureError(C.alliance_sm2_params_init_v2(&c, C.uint32_t(SM2_PARAMS_VERSION), C.uint32_t(preset)),
		fmt.Sprintf("SM-2 preset %d", preset)); err != nil {
		return SM2Params{}, err
	}
	return paramsFromC(&c), nil
}

// Check says whether the parameters are usable (nil, or ErrInvalid / ErrVersion).
func (p SM2Params) Check() error {
	c := paramsToC(p)
	return pureError(C.alliance_sm2_params_check(&c), "SM-2 parameters")
}

// NewState is the state of a new card under these parameters.
func (p SM2Params) NewState() (SM2State, error) {
	c := paramsToC(p)
	var out C.alliance_sm2_state
	if err := pureError(C.alliance_sm2_state_init(&c, &out), "SM-2 parameters"); err != nil {
		return SM2State{}, err
	}
	return stateFromC(&out), nil
}

// Next is one pure SM-2 step: the state after answering grade (0..5) in state.
func (p SM2Params) Next(state SM2State, grade int) (SM2State, error) {
	cgrade, err := cGrade(grade, "SM-2 step: grade")
	if err != nil {
		return SM2State{}, err
	}
	c := paramsToC(p)
	in := stateToC(state)
	var out C.alliance_sm2_state
	if err := pureError(C.alliance_sm2_next(&c, &in, cgrade, &out),
		fmt.Sprintf("SM-2 step with grade %d", grade)); err != nil {
		return SM2State{}, err
	}
	return stateFromC(&out), nil
}

// DayNumber is the learner's day of t: utcOffsetSeconds east of UTC (or UTC_OFFSET_LOCAL),
// the day starting at rolloverHour.
func DayNumber(t time.Time, utcOffsetSeconds int32, rolloverHour uint32) (int64, error) {
	var out C.int64_t
	err := pureError(C.alliance_day_number(&out, unix(t), C.int32_t(utcOffsetSeconds), C.uint32_t(rolloverHour)),
		"DayNumber")
	return int64(out), err
}

// DayStart is the first instant of a day number (its rollover).
func DayStart(day int64, utcOffsetSeconds int32, rolloverHour uint32) (time.Time, error) {
	var out C.int64_t
	err := pureError(C.alliance_day_start(&out, C.int64_t(day), C.int32_t(utcOffsetSeconds), C.uint32_t(rolloverHour)),
		"DayStart")
	return time.Unix(int64(out), 0), err
}

// ClozeRender renders deletion ordinal of a cloze text, hidden ("[...]") or revealed.
func ClozeRender(text string, ordinal uint32, reveal bool) (string, error) {
	ctext, err := cstring(text, "the cloze text")
	if err != nil {
		return "", err
	}
	defer C.free(unsafe.Pointer(ctext))
	var out *C.char
	r := C.int(0)
	if reveal {
		r = 1
	}
	if err := pureError(C.alliance_cloze_render(&out, ctext, C.uint32_t(ordinal), r),
		fmt.Sprintf("cloze deletion %d", ordinal)); err != nil {
		return "", err
	}
	return takeString(out), nil
}

// errorsAs is errors.As for *Error.
func errorsAs(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
