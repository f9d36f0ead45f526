// SPDX-License-Identifier: MIT

package alliance_test

// Study modes through the Go binding (docs/study-modes.md): an exam per deck and its pace
// and clamp, cram sessions (preview, review ahead), the study settings, and their errors.

import (
	"errors"
	"reflect"
	"sort"
	"testing"

	"liballiance/alliance"
)

// cardsOf is every card of a deck, by id, as copies.
func cardsOf(t *testing.T, coll *alliance.Collection, deckID int64) map[string]alliance.Card {
	t.Helper()
	it := must(coll.Cards(deckID, ""))
	defer it.Close()
	out := map[string]alliance.Card{}
	for it.Next() {
		out[it.Card().ID] = *it.Card()
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// study answers every card a session offers with grade, and returns their ids in order.
func study(t *testing.T, s *alliance.Session, grade int) []string {
	t.Helper()
	var ids []string
	for {
		card := must(s.Next(now))
		if card == nil {
			return ids
		}
		ids = append(ids, card.ID)
		must(s.Answer(card.ID, grade, now, 0))
	}
}

func TestExamSetReadAndClear(t *testing.T) {
	coll, deck := openSmall(t)
	if exam := must(coll.Exam(deck, now)); exam.HasExam {
		t.Fatalf("a new deck has an exam: %+v", exam)
	}
	today := must(coll.Today(now))
	if err := coll.ExamSet(deck, today+21, 0); err != nil {
		t.Fatal(err)
	}
	exam := must(coll.Exam(deck, now))
	if !exam.HasExam || exam.ExamDay != today+21 || exam.FinalDays != 3 || exam.NewCards != 4 ||
		exam.ReadyByDay >= today+21-3 || exam.Pace < 1 || exam.IntroducedToday != 0 {
		t.Fatalf("exam %+v", exam)
	}
	if err := coll.ExamSet(deck, today+21, 5); err != nil {
		t.Fatal(err)
	}
	if got := must(coll.Exam(deck, now)).FinalDays; got != 5 {
		t.Fatalf("final days %d", got)
	}
	if err := coll.ExamClear(deck); err != nil {
		t.Fatal(err)
	}
	if must(coll.Exam(deck, now)).HasExam {
		t.Fatal("the exam was not cleared")
	}
}

func TestAnExamRaisesThePace(t *testing.T) {
	coll, deck := openSmall(t)
	cfg := must(coll.Config())
	cfg.NewPerDay = 1
	if err := coll.SetConfig(cfg); err != nil {
		t.Fatal(err)
	}
	s := must(coll.Session(deck, now))
	if n := must(s.Counts(now)).NewCards; n != 1 {
		t.Fatalf("new cards without an exam: %d", n)
	}
	s.Close()
	today := must(coll.Today(now))
	if err := coll.ExamSet(deck, today+5, 1); err != nil {
		t.Fatal(err)
	}
	exam := must(coll.Exam(deck, now))
	if exam.Pace <= 1 {
		t.Fatalf("pace %d", exam.Pace)
	}
	s = must(coll.Session(deck, now))
	defer s.Close()
	want := exam.Pace
	if want > 4 {
		want = 4
	}
	if n := must(s.Counts(now)).NewCards; n != want {
		t.Fatalf("new cards with an exam: %d, pace %d", n, exam.Pace)
	}
	if ids := study(t, s, 4); len(ids) < int(want) {
		t.Fatalf("studied %v", ids)
	}
	if got := must(coll.Exam(deck, now)).IntroducedToday; got != want {
		t.Fatalf("introduced today %d, want %d", got, want)
	}
	if n := must(coll.Verify()); n != 0 {
		t.Fatalf("verify: %d cards differ", n)
	}
}

func TestTheExamClampsTheDueDay(t *testing.T) {
	coll, deck := openSmall(t)
	today := must(coll.Today(now))
	if err := coll.ExamSet(deck, today+12, 0); err != nil {
		t.Fatal(err)
	}
	if d := must(coll.CardDueDay("alpha", now)); d != today {
		t.Fatalf("a new card is due on %d, not today %d", d, today)
	}
	must(coll.Answer("alpha", 5, now, 0))
	must(coll.Answer("alpha", 5, now.Add(day), 0))
	later := now.Add(7 * day)
	must(coll.Answer("alpha", 5, later, 0))
	card := must(coll.Card("alpha"))
	if card.DueDay < today+12 {
		t.Fatalf("SM-2 alone is due on %d, before the exam", card.DueDay)
	}
	clamped := must(coll.CardDueDay("alpha", later))
	if clamped >= today+12 || clamped <= today+7 {
		t.Fatalf("clamped to %d (today %d, exam %d)", clamped, today, today+12)
	}
	if err := coll.ExamClear(deck); err != nil {
		t.Fatal(err)
	}
	if d := must(coll.CardDueDay("alpha", later)); d != card.DueDay {
		t.Fatalf("without the exam due on %d, want %d", d, card.DueDay)
	}
	if n := must(coll.Verify()); n != 0 {
		t.Fatalf("verify: %d cards differ", n)
	}
}

func TestBadExamsFail(t *testing.T) {
	coll, deck := openSmall(t)
	today := must(coll.Today(now))
	if err := coll.ExamSet(deck, today+5, 31); !errors.Is(err, alliance.ErrInvalid) {
		t.Fatalf("final days 31: %v", err)
	}
	if err := coll.ExamSet(999, today+5, 0); !errors.Is(err, alliance.ErrNotFound) {
		t.Fatalf("no such deck: %v", err)
	}
	if _, err := coll.Exam(0, now); !errors.Is(err, alliance.ErrInvalid) {
		t.Fatalf("deck 0: %v", err)
	}
	if _, err := coll.CardDueDay("nope", now); !errors.Is(err, alliance.ErrNotFound) {
		t.Fatalf("no such card: %v", err)
	}
	if must(coll.Exam(deck, now)).HasExam {
		t.Fatal("a refused exam was set")
	}
}

func TestAPreviewChangesNoSchedule(t *testing.T) {
	coll, deck := openSmall(t)
	must(coll.Answer("alpha", 5, now, 0))
	before := cardsOf(t, coll, deck)
	s := must(coll.Cram(alliance.CramOptions{Kind: alliance.CRAM_PREVIEW, DeckID: deck}, now))
	defer s.Close()
	counts := must(s.Counts(now))
	if counts.Due != 1 || counts.NewCards != 3 {
		t.Fatalf("counts %+v", counts)
	}
	ids := study(t, s, 4)
	if len(ids) == 0 || ids[0] != "alpha" {
		t.Fatalf("offered %v: learned cards first", ids)
	}
	sort.Strings(ids)
	if !reflect.DeepEqual(ids, []string{"alpha", "charlie::c1", "charlie::c2", "pick"}) {
		t.Fatalf("offered %v", ids)
	}
	if after := cardsOf(t, coll, deck); !reflect.DeepEqual(after, before) {
		t.Fatalf("a preview changed cards:\n%+v\n%+v", before, after)
	}
	if st := must(coll.Stats(deck, now, 30)); st.Reviews != 1 {
		t.Fatalf("reviews %d: previews are not reviews", st.Reviews)
	}
	if n := must(coll.Verify()); n != 0 {
		t.Fatalf("verify: %d cards differ", n)
	}
}

func TestAReviewAheadCounts(t *testing.T) {
	coll, deck := openSmall(t)
	must(coll.Answer("alpha", 5, now, 0))
	must(coll.Answer("alpha", 5, now.Add(day), 0)) // interval 6
	at := now.Add(4 * day)
	s := must(coll.Cram(alliance.CramOptions{Kind: alliance.CRAM_AHEAD, DeckID: deck, AheadDays: 5}, at))
	defer s.Close()
	card := must(s.Next(at))
	if card == nil || card.ID != "alpha" {
		t.Fatalf("offered %+v", card)
	}
	after := must(s.Answer(card.ID, 5, at, 0))
	if next := must(s.Next(at)); next != nil {
		t.Fatalf("a review ahead offered a new card %s", next.ID)
	}
	got := must(coll.Card("alpha"))
	if got.Reviews != 3 || got.DueDay != must(coll.Today(at))+int64(after.IntervalDays) {
		t.Fatalf("after the review ahead: %+v (interval %d)", got, after.IntervalDays)
	}
	if n := must(coll.Verify()); n != 0 {
		t.Fatalf("verify: %d cards differ", n)
	}
}

func TestCramFiltersAndRefuses(t *testing.T) {
	coll, deck := openSmall(t)
	s := must(coll.Cram(alliance.CramOptions{DeckID: deck, Text: "Front A"}, now))
	defer s.Close()
	if ids := study(t, s, 4); !reflect.DeepEqual(ids, []string{"alpha"}) {
		t.Fatalf("offered %v", ids)
	}
	if _, err := coll.Cram(alliance.CramOptions{DeckID: 999}, now); !errors.Is(err, alliance.ErrNotFound) {
		t.Fatalf("no such deck: %v", err)
	}
	if _, err := coll.Cram(alliance.CramOptions{Kind: 7}, now); !errors.Is(err, alliance.ErrInvalid) {
		t.Fatalf("kind 7: %v", err)
	}
}

func TestStudySettingsRoundTrip(t *testing.T) {
	coll, deck := openSmall(t)
	for _, want := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}, {false, false}} {
		if err := coll.SetStudySettings(want[0], want[1]); err != nil {
			t.Fatal(err)
		}
		bury, fuzz, err := coll.StudySettings()
		if err != nil || bury != want[0] || fuzz != want[1] {
			t.Fatalf("set %v, read %v %v (%v)", want, bury, fuzz, err)
		}
	}
	// siblings apart holds back a cloze note's other deletion for the day; off, it is offered
	for _, bury := range []bool{false, true} {
		coll, deck = openSmall(t)
		if err := coll.SetStudySettings(bury, false); err != nil {
			t.Fatal(err)
		}
		must(coll.Answer("charlie::c1", 4, now, 0))
		s := must(coll.Session(deck, now))
		ids := study(t, s, 4)
		s.Close()
		offered := false
		for _, id := range ids {
			offered = offered || id == "charlie::c2"
		}
		if offered == bury {
			t.Fatalf("bury siblings %v: offered %v", bury, ids)
		}
	}
}
