// SPDX-License-Identifier: MIT

package alliance

/*
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <alliance.h>

int alliance_go_sync_state(alliance_db *db, uintptr_t writer);
int alliance_go_sync_changes(alliance_db *db, uintptr_t reader, uintptr_t writer);
int alliance_go_sync_apply(alliance_db *db, const alliance_sync_options *options, uintptr_t reader,
                           alliance_sync_report **out);
int alliance_go_sync_clone(alliance_db *db, uintptr_t reader, alliance_sync_report **out);
*/
import "C"

import (
	"errors"
	"io"
	"runtime/cgo"
	"unsafe"
)

// Sync (docs/sync.md): copies of a collection exchange changesets and converge.
const (
	EFOREIGN             = int(C.ALLIANCE_EFOREIGN)
	SYNC_OPTIONS_VERSION = uint32(C.ALLIANCE_SYNC_OPTIONS_VERSION)
)

// ErrForeign: a changeset of another collection (another learner's); nothing applied.
var ErrForeign = &Error{Code: EFOREIGN}

type syncReader struct {
	r   io.Reader
	err error
}

//export allianceGoRead
func allianceGoRead(opaque unsafe.Pointer, buf unsafe.Pointer, capacity C.size_t, outLen *C.size_t) C.int {
	sr := cgo.Handle(uintptr(opaque)).Value().(*syncReader)
	p := unsafe.Slice((*byte)(buf), int(capacity))
	for {
		n, err := sr.r.Read(p)
		if n > 0 {
			*outLen = C.size_t(n)
			return 0
		}
		if errors.Is(err, io.EOF) {
			*outLen = 0
			return 0
		}
		if err != nil {
			sr.err = err
			return 1 // the library reports ALLIANCE_EIO and applies nothing
		}
	}
}

// CollectionID is the collection's 16-byte id, shared by every copy.
func (c *Collection) CollectionID() ([16]byte, error) {
	var out [16]byte
	var buf [16]C.uint8_t
	_, err := c.call(func(db *C.alliance_db) C.int { return C.alliance_collection_id(db, &buf[0], 16) })
	for i := range buf {
		out[i] = byte(buf[i])
	}
	return out, err
}

// ReplicaID is this copy's id, never shared with another copy.
func (c *Collection) ReplicaID() (int64, error) {
	var out C.int64_t
	_, err := c.call(func(db *C.alliance_db) C.int { return C.alliance_replica_id(db, &out) })
	return int64(out), err
}

// SyncState writes what this copy holds (its version vector) to w.
func (c *Collection) SyncState(w io.Writer) error {
	return c.exportTo(w, func(db *C.alliance_db, handle C.uintptr_t) C.int {
		return C.alliance_go_sync_state(db, handle)
	})
}

// SyncChanges reads a peer's state from peerState (nil: everything, for a clone) and writes
// the changeset the peer lacks to w, streaming. Neither may use this collection.
func (c *Collection) SyncChanges(peerState io.Reader, w io.Writer) error {
	var rh cgo.Handle
	sr := &syncReader{r: peerState}
	if peerState != nil {
		rh = cgo.NewHandle(sr)
		defer rh.Delete()
	}
	err := c.exportTo(w, func(db *C.alliance_db, handle C.uintptr_t) C.int {
		return C.alliance_go_sync_changes(db, C.uintptr_t(rh), handle)
	})
	if sr.err != nil {
		return sr.err
	}
	return err
}

// SyncOptions are alliance_sync_options.
type SyncOptions struct {
	Force bool // apply a changeset of another collection
}

func syncOptionsToC(o SyncOptions) (C.alliance_sync_options, error) {
	var c C.alliance_sync_options
	if err := pureError(C.alliance_sync_options_init(&c, C.uint32_t(SYNC_OPTIONS_VERSION)), "alliance_sync_options_init"); err != nil {
		return c, err
	}
	if o.Force {
		c.force = 1
	}
	return c, nil
}

// SyncReport says what an apply or a clone did (alliance_sync_report).
type SyncReport struct {
	SenderReplica                                      int64
	Bytes                                              uint64
	Reviews, Tombstones, ReviewsRemoved                uint32
	Cards, CardsAdded, Decks, Settings                 uint32
	AlreadyHeld, CardsReplayed                         uint32
	Conflicts, ConflictsKeptLocal, ConflictsKeptRemote uint32
	ConflictText                                       string
}

func syncReportFromC(r *C.alliance_sync_report) SyncReport {
	return SyncReport{SenderReplica: int64(r.sender_replica), Bytes: uint64(r.bytes), Reviews: uint32(r.reviews),
		Tombstones: uint32(r.tombstones), ReviewsRemoved: uint32(r.reviews_removed), Cards: uint32(r.cards),
		CardsAdded: uint32(r.cards_added), Decks: uint32(r.decks), Settings: uint32(r.settings),
		AlreadyHeld: uint32(r.already_held), CardsReplayed: uint32(r.cards_replayed), Conflicts: uint32(r.conflicts),
		ConflictsKeptLocal: uint32(r.conflicts_kept_local), ConflictsKeptRemote: uint32(r.conflicts_kept_remote),
		ConflictText: C.GoString(r.conflict_text)}
}

func (c *Collection) syncRead(r io.Reader, run func(db *C.alliance_db, handle C.uintptr_t, out **C.alliance_sync_report) C.int) (SyncReport, error) {
	sr := &syncReader{r: r}
	handle := cgo.NewHandle(sr)
	defer handle.Delete()
	var out *C.alliance_sync_report
	_, err := c.call(func(db *C.alliance_db) C.int { return run(db, C.uintptr_t(handle), &out) })
	if out != nil {
		defer C.alliance_free(unsafe.Pointer(out))
	}
	if sr.err != nil {
		return SyncReport{}, sr.err
	}
	if err != nil {
		return SyncReport{}, err
	}
	return syncReportFromC(out), nil
}

// SyncApply reads a changeset from r and applies it in one transaction: all of it or nothing.
func (c *Collection) SyncApply(opts SyncOptions, r io.Reader) (SyncReport, error) {
	copts, err := syncOptionsToC(opts)
	if err != nil {
		return SyncReport{}, err
	}
	return c.syncRead(r, func(db *C.alliance_db, handle C.uintptr_t, out **C.alliance_sync_report) C.int {
		return C.alliance_go_sync_apply(db, &copts, handle, out)
	})
}

// SyncClone makes this collection, just created, a new copy from a changeset of everything.
func (c *Collection) SyncClone(r io.Reader) (SyncReport, error) {
	return c.syncRead(r, func(db *C.alliance_db, handle C.uintptr_t, out **C.alliance_sync_report) C.int {
		return C.alliance_go_sync_clone(db, handle, out)
	})
}
