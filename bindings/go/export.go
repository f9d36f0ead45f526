// SPDX-License-Identifier: MIT

package alliance

/*
#include <stdint.h>
#include <alliance.h>
int alliance_go_export(alliance_db *db, int64_t deck_id, uint32_t format, uintptr_t writer);
*/
import "C"

import (
	"io"
	"runtime/cgo"
	"unsafe"
)

// exportWriter is what the C callback writes into: the caller's io.Writer and its first error.
type exportWriter struct {
	w   io.Writer
	err error
}

//export allianceGoWrite
func allianceGoWrite(opaque unsafe.Pointer, data *C.char, length C.size_t) C.int {
	ew := cgo.Handle(uintptr(opaque)).Value().(*exportWriter)
	if _, err := ew.w.Write(C.GoBytes(unsafe.Pointer(data), C.int(length))); err != nil {
		ew.err = err
		return 1 // stops the export
	}
	return 0
}

// ExportDeck writes a deck in format (FORMAT_DECK or FORMAT_ANKI_TEXT) to w, piece by piece
// (the deck is never held in memory whole). w runs inside the library's call: it must not
// use this collection. An error from w stops the export and is returned.
func (c *Collection) ExportDeck(deckID int64, format uint32, w io.Writer) error {
	ew := &exportWriter{w: w}
	handle := cgo.NewHandle(ew)
	defer handle.Delete()
	_, err := c.call(func(db *C.alliance_db) C.int {
		return C.alliance_go_export(db, C.int64_t(deckID), C.uint32_t(format), C.uintptr_t(handle))
	})
	if ew.err != nil {
		return ew.err
	}
	return err
}
