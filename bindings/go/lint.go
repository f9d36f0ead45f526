// SPDX-License-Identifier: MIT

package alliance

/*
#include <stdlib.h>
#include <alliance.h>
*/
import "C"

import (
	"strings"
	"unsafe"
)

// The lint's warning codes and its options' layout version, from the header.
const (
	LINT_NEAR_DUPLICATE    = uint32(C.ALLIANCE_LINT_NEAR_DUPLICATE)
	LINT_BLANK_IS_ANSWER   = uint32(C.ALLIANCE_LINT_BLANK_IS_ANSWER)
	LINT_FEW_WRONG         = uint32(C.ALLIANCE_LINT_FEW_WRONG)
	LINT_SAME_OPTION       = uint32(C.ALLIANCE_LINT_SAME_OPTION)
	LINT_UNNAMED_ARTICLE   = uint32(C.ALLIANCE_LINT_UNNAMED_ARTICLE)
	LINT_QUOTE_NOT_FOUND   = uint32(C.ALLIANCE_LINT_QUOTE_NOT_FOUND)
	LINT_SOURCE_UNREADABLE = uint32(C.ALLIANCE_LINT_SOURCE_UNREADABLE)
	LINT_INCOMPLETE        = uint32(C.ALLIANCE_LINT_INCOMPLETE)
	LINT_OPTIONS_VERSION   = uint32(C.ALLIANCE_LINT_OPTIONS_VERSION)
)

// LintOptions say how to lint a deck (alliance_lint_options).
type LintOptions struct {
	Format          uint32 // FORMAT_DECK (default, 0 means it too) or FORMAT_ANKI_TEXT
	SourcesDir      string // where the header's source files are, to check the quotes; "": not checked
	SimilarityMilli uint32 // near-duplicate threshold in thousandths; 0: the library's default (300)
}

// LintWarning is one piece of advice (alliance_lint_warning).
type LintWarning struct {
	Code         uint32 // LINT_*
	Name         string // "near-duplicate", ...
	Line, Column uint32
	NoteID       string
	OtherID      string // the other card involved, or ""
	Message      string // "FILE:LINE:COLUMN: warning: what [name]"
}

// LintReport is what a lint found (alliance_lint_report).
type LintReport struct {
	NoteCount  uint32
	Warnings   []LintWarning
	Text       string // every message, one per line
	ErrorCount uint32
	Errors     string // the file's first errors, when it does not parse
}

func lintOptionsToC(o LintOptions, cs *cstrings) (C.alliance_lint_options, error) {
	var c C.alliance_lint_options
	if err := pureError(C.alliance_lint_options_init(&c, C.uint32_t(LINT_OPTIONS_VERSION)), "alliance_lint_options_init"); err != nil {
		return c, err
	}
	if o.Format != 0 {
		c.format = C.uint32_t(o.Format)
	}
	if o.SimilarityMilli != 0 {
		c.similarity_milli = C.uint32_t(o.SimilarityMilli)
	}
	if o.SourcesDir != "" {
		dir, err := cs.add(o.SourcesDir, "sources dir")
		if err != nil {
			return c, err
		}
		c.sources_dir = dir
	}
	return c, nil
}

func lintWarningFromC(w *C.alliance_lint_warning) LintWarning {
	return LintWarning{Code: uint32(w.code), Name: C.GoString(w.name), Line: uint32(w.line), Column: uint32(w.column),
		NoteID: C.GoString(w.note_id), OtherID: C.GoString(w.other_id), Message: C.GoString(w.message)}
}

func lintReportFromC(r *C.alliance_lint_report) *LintReport {
	out := &LintReport{NoteCount: uint32(r.note_count), Text: C.GoString(r.text), ErrorCount: uint32(r.error_count),
		Errors: C.GoString(r.errors)}
	if r.warning_count > 0 {
		for _, w := range unsafe.Slice(r.warnings, int(r.warning_count)) {
			out.Warnings = append(out.Warnings, lintWarningFromC(w))
		}
	}
	return out
}

// LintDeck lints deck text without a collection (alliance_deck_lint): advice for its author.
// A deck that does not parse returns an *Error (ErrParse, ErrLimit) whose Report holds
// its errors in Errors.
func LintDeck(name string, data []byte, opts LintOptions) (*LintReport, error) {
	var cs cstrings
	defer cs.free()
	cname, err := cs.add(name, "name")
	if err != nil {
		return nil, err
	}
	copts, err := lintOptionsToC(opts, &cs)
	if err != nil {
		return nil, err
	}
	cdata := C.CBytes(data)
	defer C.free(cdata)
	var out *C.alliance_lint_report
	rc := C.alliance_deck_lint(cname, (*C.char)(cdata), C.size_t(len(data)), &copts, &out)
	var report *LintReport
	if out != nil {
		report = lintReportFromC(out)
		C.alliance_free(unsafe.Pointer(out))
	}
	if rc < 0 {
		message := Strerror(int(rc))
		e := &Error{Code: int(rc), Message: message}
		if report != nil {
			if report.Errors != "" {
				e.Message = strings.TrimSpace(report.Errors)
			}
			e.Report = &ImportReport{ErrorCount: report.ErrorCount, Errors: report.Errors}
		}
		return nil, e
	}
	return report, nil
}
