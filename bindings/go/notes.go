// SPDX-License-Identifier: MIT

package alliance

/*
#include <stdint.h>
#include <stdlib.h>
#include <alliance.h>
*/
import "C"

import (
	"time"
	"unsafe"
)

// NOTE_DELETE_KEEP_HISTORY makes DeleteNote suspend the note's cards out of the deck file,
// keeping their history, as a re-import without the note does.
const NOTE_DELETE_KEEP_HISTORY = uint32(C.ALLIANCE_NOTE_DELETE_KEEP_HISTORY)

// UpdateNote updates the note note.ID with the rules of a re-import (alliance_note_update): an
// edited text keeps each card's history, a card the note gains is new, one it loses is suspended
// out of the deck file. ErrNotFound if there is no such note.
func (c *Collection) UpdateNote(note Note, now time.Time) error {
	var cs cstrings
	defer cs.free()
	cnote, err := noteToC(note, &cs)
	if err != nil {
		return err
	}
	_, err = c.call(func(db *C.alliance_db) C.int { return C.alliance_note_update(db, &cnote, unix(now)) })
	return err
}

// DeleteNote deletes a note: its cards and their review history, in one transaction, synced;
// with keepHistory its cards are suspended out of the deck file instead (alliance_note_delete).
func (c *Collection) DeleteNote(noteID string, keepHistory bool) error {
	cid, err := cstring(noteID, "note id")
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cid))
	flags := C.uint32_t(0)
	if keepHistory {
		flags = C.ALLIANCE_NOTE_DELETE_KEEP_HISTORY
	}
	_, err = c.call(func(db *C.alliance_db) C.int { return C.alliance_note_delete(db, cid, flags) })
	return err
}

// UTCOffset is the UTC offset this handle counts days with: the open option, else the one stored
// in the file (SetUTCOffset stores it; never synced), else UTC_OFFSET_LOCAL (the process's zone).
func (c *Collection) UTCOffset() (int32, error) {
	var out C.int32_t
	_, err := c.call(func(db *C.alliance_db) C.int { return C.alliance_utc_offset_get(db, &out) })
	return int32(out), err
}
