// SPDX-License-Identifier: MIT

package alliance_test

// What the C library answers a misuse with, the Go binding answers too: a grade that does not
// fit C's int is ErrGrade (not the grade it wraps to), and an export writer that calls back
// into its collection gets ErrMisuse (not a goroutine blocked for ever on the collection's lock).

import (
	"errors"
	"math"
	"testing"
	"time"

	"liballiance/alliance"
)

func TestAGradeOutsideIntIsErrGradeNotAWrappedGrade(t *testing.T) {
	coll, deck := openSmall(t)
	params, err := alliance.DefaultSM2Params(alliance.SM2_SUPERMEMO)
	if err != nil {
		t.Fatal(err)
	}
	fsrs, err := alliance.DefaultFSRSParams()
	if err != nil {
		t.Fatal(err)
	}
	for _, grade := range []int{1<<32 + 3, -(1 << 32) + 4, math.MaxInt32 + 1, math.MinInt32 - 1} {
		if _, err := coll.Answer("alpha", grade, now, 0); !errors.Is(err, alliance.ErrGrade) {
			t.Errorf("Answer with grade %d: %v, want ErrGrade", grade, err)
		}
		session, err := coll.Session(deck, now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := session.Answer("alpha", grade, now, 0); !errors.Is(err, alliance.ErrGrade) {
			t.Errorf("Session.Answer with grade %d: %v, want ErrGrade", grade, err)
		}
		session.Close()
		if _, err := params.Next(alliance.SM2State{EFactorMilli: 2500}, grade); !errors.Is(err, alliance.ErrGrade) {
			t.Errorf("SM2Params.Next with grade %d: %v, want ErrGrade", grade, err)
		}
		if _, err := fsrs.Next(alliance.FSRSState{}, grade, 0); !errors.Is(err, alliance.ErrGrade) {
			t.Errorf("FSRSParams.Next with rating %d: %v, want ErrGrade", grade, err)
		}
	}
	card, err := coll.Card("alpha")
	if err != nil {
		t.Fatal(err)
	}
	if card.Reviews != 0 {
		t.Fatalf("a refused grade was logged: %d reviews", card.Reviews)
	}
	if got := alliance.Strerror(1<<32 + alliance.EGRADE); got == alliance.Strerror(alliance.EGRADE) {
		t.Errorf("Strerror(1<<32 + EGRADE) is EGRADE's text %q: the code was wrapped", got)
	}
}

// A writer that uses the collection it is exporting from.
type reentrantWriter struct {
	coll *alliance.Collection
	err  error
}

func (w *reentrantWriter) Write(p []byte) (int, error) {
	_, w.err = w.coll.DeckName(1)
	return len(p), nil
}

// openUnmanaged is a small collection that no cleanup closes: a test that finds the collection's
// lock held for ever must fail, not hang in its cleanup.
func openUnmanaged(t *testing.T) (*alliance.Collection, int64) {
	t.Helper()
	opts := alliance.DefaultOpenOptions()
	opts.UTCOffsetSeconds = 0
	coll, err := alliance.Open(":memory:", &opts)
	if err != nil {
		t.Fatal(err)
	}
	report, err := coll.ImportDeckData("small.deck", []byte(smallDeck), alliance.ImportOptions{}, now)
	if err != nil {
		t.Fatal(err)
	}
	return coll, report.DeckID
}

func TestAnExportWriterThatCallsTheCollectionGetsErrMisuse(t *testing.T) {
	coll, deck := openUnmanaged(t)
	w := &reentrantWriter{coll: coll}
	done := make(chan error, 1)
	go func() { done <- coll.ExportDeck(deck, alliance.FORMAT_DECK, w) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("the export itself failed: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("ExportDeck with a writer that calls the collection never returns")
	}
	if !errors.Is(w.err, alliance.ErrMisuse) {
		t.Fatalf("the writer's call on the collection: %v, want ErrMisuse", w.err)
	}
	// The collection is usable afterwards, from this goroutine and from others.
	if name, err := coll.DeckName(deck); err != nil || name != "Small" {
		t.Fatalf("after the export: %q, %v", name, err)
	}
	other := make(chan error, 1)
	go func() { _, err := coll.Card("alpha"); other <- err }()
	if err := <-other; err != nil {
		t.Fatal(err)
	}
	coll.Close()
}

func TestAnotherGoroutineWaitsForAnExportInsteadOfFailing(t *testing.T) {
	coll, deck := openUnmanaged(t)
	started, release := make(chan struct{}), make(chan struct{})
	w := writerFunc(func(p []byte) (int, error) {
		select {
		case <-started:
		default:
			close(started)
			<-release // hold the export (and the collection) while the other goroutine calls
		}
		return len(p), nil
	})
	done := make(chan error, 1)
	go func() { done <- coll.ExportDeck(deck, alliance.FORMAT_DECK, w) }()
	<-started
	other := make(chan error, 1)
	go func() { _, err := coll.DeckName(deck); other <- err }()
	time.Sleep(100 * time.Millisecond)
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := <-other; err != nil {
		t.Fatalf("a call from another goroutine during an export: %v, want it to wait and succeed", err)
	}
	coll.Close()
}
