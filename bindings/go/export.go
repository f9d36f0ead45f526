// SPDX-License-Identifier: MIT

package alliance

/*
#include <stdint.h>
#include <alliance.h>
int alliance_go_export(alliance_db *db, int64_t deck_id, uint32_t format, uintptr_t writer);
int alliance_go_export_any(alliance_db *db, int64_t deck_id, const alliance_export_options *options, int64_t now,
                           uintptr_t writer);
int alliance_go_export_fsrs(alliance_db *db, int64_t deck_id, uintptr_t writer);
*/
import "C"

import (
	"io"
	"runtime/cgo"
	"time"
	"unsafe"
)

// exportWriter is what the C callback writes into: the caller's io.Writer and its first error.
type exportWriter struct {
	coll *Collection
	w    io.Writer
	err  error
}

//export allianceGoWrite
func allianceGoWrite(opaque unsafe.Pointer, data *C.char, length C.size_t) C.int {
	ew := cgo.Handle(uintptr(opaque)).Value().(*exportWriter)
	// The export holds the collection's lock: a call the writer makes on it is ErrMisuse.
	previous := ew.coll.callbackThread.Swap(currentThread())
	defer ew.coll.callbackThread.Store(previous)
	if _, err := ew.w.Write(C.GoBytes(unsafe.Pointer(data), C.int(length))); err != nil {
		ew.err = err
		return 1 // stops the export
	}
	return 0
}

// ExportDeck writes a deck in format (FORMAT_DECK or FORMAT_ANKI_TEXT) to w, piece by piece
// (the deck is never held in memory whole). w runs inside the library's call: it must not
// use this collection (a call it makes on it is ErrMisuse; other goroutines' calls wait for
// the export). An error from w stops the export and is returned.
func (c *Collection) ExportDeck(deckID int64, format uint32, w io.Writer) error {
	return c.exportTo(w, func(db *C.alliance_db, handle C.uintptr_t) C.int {
		return C.alliance_go_export(db, C.int64_t(deckID), C.uint32_t(format), handle)
	})
}

// Export writes one deck, a deck and its subdecks, or every deck (deckID 0) in any format, an
// .apkg included (alliance_export), to w; now dates a package. w has ExportDeck's rules.
func (c *Collection) Export(deckID int64, opts ExportOptions, now time.Time, w io.Writer) error {
	copts, err := exportOptionsToC(opts)
	if err != nil {
		return err
	}
	return c.exportTo(w, func(db *C.alliance_db, handle C.uintptr_t) C.int {
		return C.alliance_go_export_any(db, C.int64_t(deckID), &copts, unix(now), handle)
	})
}

// ExportFSRSCSV writes the review log of a deck (0: every deck) to w as the CSV the FSRS
// optimizer reads: card_id,review_time,review_rating,review_state,review_duration
// (alliance_review_export_fsrs; docs/fsrs.md). One read snapshot; w has ExportDeck's rules.
func (c *Collection) ExportFSRSCSV(deckID int64, w io.Writer) error {
	return c.exportTo(w, func(db *C.alliance_db, handle C.uintptr_t) C.int {
		return C.alliance_go_export_fsrs(db, C.int64_t(deckID), handle)
	})
}

// exportTo runs an export whose C callback writes into w, and returns w's error first.
func (c *Collection) exportTo(w io.Writer, run func(db *C.alliance_db, handle C.uintptr_t) C.int) error {
	ew := &exportWriter{coll: c, w: w}
	handle := cgo.NewHandle(ew)
	defer handle.Delete()
	_, err := c.call(func(db *C.alliance_db) C.int { return run(db, C.uintptr_t(handle)) })
	if ew.err != nil {
		return ew.err
	}
	return err
}
