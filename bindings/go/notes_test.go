// SPDX-License-Identifier: MIT

package alliance_test

import (
	"errors"
	"path/filepath"
	"testing"

	"liballiance/alliance"
)

func TestNotesAreUpdatedAndDeletedWithTheReimportRules(t *testing.T) {
	coll, _ := openSmall(t)
	if _, err := coll.Answer("charlie::c1", 5, now, 1000); err != nil {
		t.Fatal(err)
	}
	edited := alliance.Note{ID: "charlie", Type: alliance.CARD_CLOZE, Front: "The {{c1::alliance}} is a {{c3::pact}}."}
	if err := coll.UpdateNote(edited, now); err != nil {
		t.Fatal(err)
	}
	c1, err := coll.Card("charlie::c1")
	if err != nil || c1.Reviews != 1 || c1.Front != edited.Front {
		t.Fatalf("charlie::c1 after the update: %+v %v", c1, err)
	}
	if c2, err := coll.Card("charlie::c2"); err != nil || !c2.Suspended {
		t.Fatalf("charlie::c2 should be suspended: %+v %v", c2, err)
	}
	if err := coll.UpdateNote(alliance.Note{ID: "nope", Front: "q", Back: "a"}, now); !errors.Is(err, alliance.ErrNotFound) {
		t.Fatalf("update of an unknown note: %v", err)
	}
	if err := coll.DeleteNote("charlie", false); err != nil {
		t.Fatal(err)
	}
	if _, err := coll.Card("charlie::c1"); !errors.Is(err, alliance.ErrNotFound) {
		t.Fatalf("a deleted note's card: %v", err)
	}
	if err := coll.DeleteNote("alpha", true); err != nil {
		t.Fatal(err)
	}
	if a, err := coll.Card("alpha"); err != nil || !a.Suspended {
		t.Fatalf("alpha should be suspended: %+v %v", a, err)
	}
	if n, err := coll.Verify(); err != nil || n != 0 {
		t.Fatalf("verify: %d %v", n, err)
	}
}

func TestTheUTCOffsetIsStoredInTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "offset.db")
	opts := alliance.DefaultOpenOptions()
	coll, err := alliance.Open(path, &opts)
	if err != nil {
		t.Fatal(err)
	}
	if off, _ := coll.UTCOffset(); off != alliance.UTC_OFFSET_LOCAL {
		t.Fatalf("a new file: %d", off)
	}
	if err := coll.SetUTCOffset(-18000); err != nil {
		t.Fatal(err)
	}
	coll.Close()
	if coll, err = alliance.Open(path, &opts); err != nil {
		t.Fatal(err)
	}
	defer coll.Close()
	if off, err := coll.UTCOffset(); err != nil || off != -18000 {
		t.Fatalf("reopened: %d %v", off, err)
	}
}
