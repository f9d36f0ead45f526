// SPDX-License-Identifier: MIT

package alliance_test

// A study app's whole day through the Go binding, and the pure functions giving the
// numbers the C library gives (docs/sm2.md's worked examples, as tests/consumer and the
// Node binding check them).

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"liballiance/alliance"
)

// 2026-01-05 12:00:00 UTC, a Monday: the same fake "now" as the C suites.
var now = time.Unix(1767614400, 0)

const day = 24 * time.Hour

const smallDeck = `deck: Small
description: three notes, four cards

card: alpha
type: basic
front: Front A
back: Back A

card: charlie
type: cloze
text: The {{c1::alliance}} is a {{c2::bond}}.
extra: from the seed articles

card: pick
type: choice
question: Which one?
answer: Right
wrong: Wrong A
wrong: Wrong B
wrong: Wrong C
`

func open(t *testing.T) *alliance.Collection {
	t.Helper()
	opts := alliance.DefaultOpenOptions()
	opts.UTCOffsetSeconds = 0
	coll, err := alliance.Open(":memory:", &opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { coll.Close() })
	return coll
}

func openSmall(t *testing.T) (*alliance.Collection, int64) {
	t.Helper()
	coll := open(t)
	report, err := coll.ImportDeckData("small.deck", []byte(smallDeck), alliance.ImportOptions{}, now)
	if err != nil {
		t.Fatal(err)
	}
	if report.Added != 4 {
		t.Fatalf("added %d cards", report.Added)
	}
	return coll, report.DeckID
}

// must returns v, or fails the running test (by panicking: go test reports it with the
// stack) when err is not nil. It takes a call's two results directly: must(coll.Card("x")).
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestWorkedExamplesOfSM2(t *testing.T) {
	examples := []struct {
		preset uint32
		grades string
		due    []uint32
	}{
		{alliance.SM2_SUPERMEMO, "55555", []uint32{1, 6, 17, 50, 150}},
		{alliance.SM2_SUPERMEMO, "4334530133453", []uint32{1, 0, 0, 6, 15, 0, 0, 0, 0, 0, 35, 85, 0}},
		{alliance.SM2_SUPERMEMO, "4441444", []uint32{1, 6, 15, 0, 1, 6, 15}},
		{alliance.SM2_CLASSIC, "55555", []uint32{1, 6, 16, 45, 131}},
		{alliance.SM2_CLASSIC, "4441444", []uint32{1, 6, 15, 1, 1, 6, 12}},
	}
	for _, ex := range examples {
		params := must(alliance.DefaultSM2Params(ex.preset))
		state := must(params.NewState())
		var got []uint32
		for _, g := range ex.grades {
			state = must(params.Next(state, int(g-'0')))
			got = append(got, state.DaysUntilDue())
		}
		if !reflect.DeepEqual(got, ex.due) {
			t.Errorf("preset %d, grades %s: %v, want %v", ex.preset, ex.grades, got, ex.due)
		}
	}
}

// The start of seq 0 of tests/fsrs/vectors.txt (ts-fsrs 5.4.2, default parameters), as
// tests/consumer/consumer.c, the Python and the Node bindings check it.
func TestAnFSRSSequenceGivesTsFsrssNumbers(t *testing.T) {
	steps := []struct {
		elapsed               uint32
		rating                int
		stability, difficulty float64
		interval              uint32
	}{
		{0, 3, 2.3065, 2.11810397, 3}, {3, 3, 13.82690327, 2.11121424, 14}, {14, 3, 56.95670978, 2.1043314, 57},
		{1, 3, 60.47506896, 2.09745544, 60}, {83, 2, 169.98469165, 4.73915103, 170},
		{11, 3, 192.16935401, 4.72964025, 192}, {192, 3, 462.34107252, 4.72013898, 462},
		{0, 1, 5.424186, 8.24977395, 5}, {0, 3, 5.424186, 8.23675255, 6}, {6, 1, 0.98070699, 9.40566093, 1},
	}
	params := must(alliance.DefaultFSRSParams())
	var state alliance.FSRSState
	for i, s := range steps {
		state = must(params.Next(state, s.rating, s.elapsed))
		if state != (alliance.FSRSState{Stability: s.stability, Difficulty: s.difficulty, IntervalDays: s.interval}) {
			t.Fatalf("step %d: %+v", i, state)
		}
	}
	if r := must(params.Retrievability(alliance.FSRSState{Stability: 10, Difficulty: 5, IntervalDays: 10}, 10)); r != 0.9 {
		t.Errorf("retrievability %v", r)
	}
	if _, err := params.Next(alliance.FSRSState{}, 5, 0); !errors.Is(err, alliance.ErrGrade) {
		t.Errorf("rating 5: %v", err)
	}
	bad := params
	bad.DesiredRetention = 1.5
	if !errors.Is(bad.Check(), alliance.ErrInvalid) {
		t.Error("a desired retention of 1.5 was accepted")
	}
}

func TestErrorsCarryTheLibrarysCodeAndMessage(t *testing.T) {
	coll := open(t)
	_, err := coll.Card("nope")
	var e *alliance.Error
	if !errors.As(err, &e) || e.Code != alliance.ENOTFOUND || e.CodeName() != "ENOTFOUND" || !strings.Contains(e.Message, "nope") {
		t.Fatalf("got %#v", err)
	}
	if !errors.Is(err, alliance.ErrNotFound) || errors.Is(err, alliance.ErrGrade) {
		t.Error("errors.Is does not compare the codes")
	}
	params := must(alliance.DefaultSM2Params(alliance.SM2_SUPERMEMO))
	if _, err := params.Next(alliance.SM2State{EFactorMilli: 2500}, 6); !errors.Is(err, alliance.ErrGrade) {
		t.Errorf("grade 6: %v", err)
	}
	if _, err := coll.Card("a\x00b"); !errors.Is(err, alliance.ErrInvalid) {
		t.Errorf("a NUL in a string: %v", err)
	}
	if _, err := alliance.DefaultSM2Params(9); !errors.Is(err, alliance.ErrInvalid) {
		t.Errorf("preset 9: %v", err)
	}
}

func TestAMalformedDeckReportsFileLineAndColumn(t *testing.T) {
	coll := open(t)
	bad := []byte("deck: D\n\ncard: x\ntype: basic\nfrnot: f\nback: b\n")
	_, err := coll.ImportDeckData("bad.deck", bad, alliance.ImportOptions{}, now)
	var e *alliance.Error
	if !errors.As(err, &e) || e.Code != alliance.EPARSE || e.Report == nil ||
		!strings.HasPrefix(e.Report.ErrorLines()[0], "bad.deck:5:1: ") {
		t.Fatalf("got %#v", err)
	}
	if _, err := alliance.CheckDeck("bad.deck", bad, alliance.FORMAT_DECK); !errors.Is(err, alliance.ErrParse) {
		t.Errorf("CheckDeck: %v", err)
	}
	if r := must(alliance.CheckDeck("small.deck", []byte(smallDeck), alliance.FORMAT_DECK)); r.Added != 4 {
		t.Errorf("CheckDeck counted %d cards", r.Added)
	}
}

func TestTheDeckLintGivesAdviceWithFileLineAndColumn(t *testing.T) {
	deck := []byte("deck: D\n\ncard: q1\ntype: choice\nquestion: Which?\nanswer: Right\nwrong: Wrong\n")
	report := must(alliance.LintDeck("d.deck", deck, alliance.LintOptions{}))
	if report.NoteCount != 1 {
		t.Fatalf("%+v", report)
	}
	var few *alliance.LintWarning
	for i := range report.Warnings {
		if report.Warnings[i].Code == alliance.LINT_FEW_WRONG {
			few = &report.Warnings[i]
		}
	}
	if few == nil || few.NoteID != "q1" || !strings.HasPrefix(few.Message, "d.deck:3:1: warning: ") {
		t.Fatalf("%+v", report)
	}
	if _, err := alliance.LintDeck("bad.deck", []byte("deck: D\n\ncard: x\n"), alliance.LintOptions{}); !errors.Is(err, alliance.ErrParse) {
		t.Errorf("a deck that does not parse: %v", err)
	}
}

func listDecks(t *testing.T, coll *alliance.Collection, at time.Time) []alliance.DeckInfo {
	t.Helper()
	it := must(coll.Decks(at))
	defer it.Close()
	var decks []alliance.DeckInfo
	for it.Next() {
		decks = append(decks, it.Deck())
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	return decks
}

func TestDecksAreListedWithTheirCounts(t *testing.T) {
	coll, deck := openSmall(t)
	empty := must(coll.DeckID("Empty", true))
	must(coll.Answer("alpha", 5, now, 0))
	if err := coll.Suspend("pick", true, now); err != nil {
		t.Fatal(err)
	}
	decks := listDecks(t, coll, now)
	if len(decks) != 2 || decks[0].ID != deck || decks[0].Name != "Small" || decks[1].ID != empty {
		t.Fatalf("decks: %+v", decks)
	}
	got := decks[0]
	if got.Total != 4 || got.NewCards != 3 || got.Learned != 1 || got.Suspended != 1 || got.Description != "three notes, four cards" {
		t.Errorf("counts: %+v", got)
	}
	for _, d := range decks {
		s := must(coll.Stats(d.ID, now, 30))
		if d.Total != s.Total || d.NewCards != s.NewCards || d.Learned != s.Learned || d.DueToday != s.DueToday ||
			d.Suspended != s.Suspended || d.Leeches != s.Leeches {
			t.Errorf("deck %d: %+v, stats %+v", d.ID, d, s)
		}
	}
}

func TestEveryCardTypeRendersThroughTheLibrary(t *testing.T) {
	coll, _ := openSmall(t)
	basic := must(must(coll.Card("alpha")).Render(alliance.RenderOptions{}))
	if basic.Prompt != "Front A" || basic.Answer != "Back A" || basic.Extra != "" || basic.Options != nil {
		t.Errorf("basic: %+v", basic)
	}
	cloze := must(must(coll.Card("charlie::c2")).Render(alliance.RenderOptions{}))
	if cloze.Prompt != "The alliance is a [...]." || cloze.Answer != "The alliance is a bond." ||
		cloze.Extra != "from the seed articles" {
		t.Errorf("cloze: %+v", cloze)
	}
	card := must(coll.Card("pick"))
	choice := must(card.Render(alliance.RenderOptions{}))
	sorted := append([]string(nil), choice.Options...)
	sort.Strings(sorted)
	if !reflect.DeepEqual(sorted, []string{"Right", "Wrong A", "Wrong B", "Wrong C"}) ||
		choice.Options[choice.CorrectOption] != "Right" || choice.Answer != "Right" {
		t.Errorf("choice: %+v", choice)
	}
	kept := must(card.Render(alliance.RenderOptions{KeepOrder: true}))
	if !reflect.DeepEqual(kept.Options, []string{"Right", "Wrong A", "Wrong B", "Wrong C"}) {
		t.Errorf("author's order: %v", kept.Options)
	}
	again := must(card.Render(alliance.RenderOptions{Seed: 7}))
	if !reflect.DeepEqual(again, must(card.Render(alliance.RenderOptions{Seed: 7}))) {
		t.Error("the same seed gave two orders")
	}
}

// An app lists, renames and deletes decks and shows every card type through the API alone.
func TestAnAppManagesDecksAndShowsEveryCardType(t *testing.T) {
	coll, small := openSmall(t)
	other := must(coll.ImportDeckData("other.deck", []byte("deck: Other\n\ncard: o1\ntype: basic\nfront: F\nback: B\n"),
		alliance.ImportOptions{}, now)).DeckID
	decks := listDecks(t, coll, now)
	if len(decks) != 2 || decks[0].Name != "Small" || decks[0].Total != 4 || decks[1].Name != "Other" {
		t.Fatalf("decks: %+v", decks)
	}
	for _, d := range decks {
		it := must(coll.Cards(d.ID, ""))
		for it.Next() {
			card := it.Card()
			shown := must(card.Render(alliance.RenderOptions{Seed: 3}))
			if shown.Prompt == "" || shown.Answer == "" || strings.Contains(shown.Prompt, "{{") {
				t.Errorf("%s: %+v", card.ID, shown)
			}
			if card.Type == alliance.CARD_CHOICE && shown.Options[shown.CorrectOption] != "Right" {
				t.Errorf("%s: %+v", card.ID, shown)
			}
		}
		if err := it.Err(); err != nil {
			t.Fatal(err)
		}
		it.Close()
	}
	must(coll.Answer("alpha", 5, now, 0))
	if err := coll.RenameDeck(small, "Other"); !errors.Is(err, alliance.ErrExists) {
		t.Fatalf("rename onto a taken name: %v", err)
	}
	if err := coll.RenameDeck(small, "Renamed"); err != nil {
		t.Fatal(err)
	}
	if name := must(coll.DeckName(small)); name != "Renamed" {
		t.Errorf("renamed to %q", name)
	}
	if c := must(coll.Card("alpha")); c.Reviews != 1 {
		t.Errorf("the history went: %+v", c)
	}
	if err := coll.DeleteDeck(other, false); !errors.Is(err, alliance.ErrInvalid) {
		t.Fatalf("delete with cards: %v", err)
	}
	if err := coll.DeleteDeck(other, true); err != nil {
		t.Fatal(err)
	}
	if _, err := coll.Card("o1"); !errors.Is(err, alliance.ErrNotFound) {
		t.Errorf("card of a deleted deck: %v", err)
	}
	if err := coll.DeleteDeck(must(coll.DeckID("Empty", true)), false); err != nil {
		t.Fatal(err)
	}
	if decks := listDecks(t, coll, now); len(decks) != 1 || decks[0].Name != "Renamed" {
		t.Errorf("decks: %+v", decks)
	}
	if n := must(coll.Verify()); n != 0 {
		t.Errorf("verify: %d", n)
	}
}

func TestTheBundledDeckRendersWithoutMarkup(t *testing.T) {
	coll := open(t)
	report := must(coll.ImportDeck(filepath.Join("..", "..", "decks", "therapeutic-alliance.deck"),
		alliance.ImportOptions{}, now))
	it := must(coll.Cards(report.DeckID, ""))
	defer it.Close()
	n := uint32(0)
	for it.Next() {
		card := it.Card()
		shown := must(card.Render(alliance.RenderOptions{}))
		if shown.Prompt == "" || shown.Answer == "" || strings.Contains(shown.Prompt, "{{") {
			t.Errorf("%s: %+v", card.ID, shown)
		}
		if card.Type == alliance.CARD_CHOICE && shown.Options[shown.CorrectOption] != card.Back {
			t.Errorf("%s: the answer is not among the options", card.ID)
		}
		n++
	}
	if it.Err() != nil || n != report.Added {
		t.Fatalf("%d of %d cards, %v", n, report.Added, it.Err())
	}
}

func TestAStudySession(t *testing.T) {
	coll, _ := openSmall(t)
	session := must(coll.Session(0, now))
	defer session.Close()
	if c := must(session.Counts(now)); c.NewCards != 4 {
		t.Fatalf("counts %+v", c)
	}
	first := must(session.Next(now))
	if first.ID != "alpha" || !first.IsNew() {
		t.Fatalf("first: %+v", first)
	}
	if card, c, err := session.NextWithCounts(now); err != nil || card.ID != first.ID || c.NewCards != 4 {
		t.Fatalf("next with counts: %+v %+v %v", card, c, err)
	}
	state := must(session.Answer(first.ID, 5, now, 1200))
	if state != (alliance.SM2State{Repetitions: 1, EFactorMilli: 2600, IntervalDays: 1}) {
		t.Errorf("state %+v", state)
	}
	if id := must(session.Undo()); id != "alpha" {
		t.Errorf("undo gave %s", id)
	}
	answered := 0
	for {
		card := must(session.Next(now))
		if card == nil {
			break
		}
		must(session.Answer(card.ID, 4, now, 0))
		answered++
	}
	if answered != 4 {
		t.Errorf("answered %d", answered)
	}
	if s := must(coll.Stats(0, now, 30)); s.Reviews != 4 || s.Learned != 4 {
		t.Errorf("stats %+v", s)
	}
	if f := must(coll.Forecast(0, now, 3)); !reflect.DeepEqual(f, []uint32{0, 4, 0}) {
		t.Errorf("forecast %v", f)
	}
	if _, err := coll.Forecast(0, now, 0); !errors.Is(err, alliance.ErrInvalid) {
		t.Errorf("a forecast of 0 days: %v", err)
	}
	if h := must(coll.ReviewHistory(0, now, 2)); !reflect.DeepEqual(h, []uint32{4, 0}) {
		t.Errorf("review history %v", h)
	}
	if s := must(coll.Stats(0, now, 30)); s.TrueReviews != 0 {
		t.Errorf("first answers are not true reviews: %+v", s)
	}
	reviews := must(coll.Reviews("alpha"))
	defer reviews.Close()
	var log []alliance.Review
	for reviews.Next() {
		log = append(log, reviews.Review())
	}
	if len(log) != 1 || log[0].Grade != 4 || log[0].CardID != "alpha" || log[0].Params.Preset != alliance.SM2_SUPERMEMO {
		t.Fatalf("log %+v", log)
	}
	replayed, due, err := coll.Replay("alpha")
	today := must(coll.Today(now))
	if err != nil || replayed != log[0].After || due != today+1 {
		t.Errorf("replay %+v %d %v", replayed, due, err)
	}
	if mismatches := must(coll.Verify()); mismatches != 0 {
		t.Errorf("verify: %d", mismatches)
	}
	if problems := must(coll.IntegrityCheck()); len(problems) != 0 {
		t.Errorf("integrity check: %q", problems)
	}
	var csv strings.Builder
	if err := coll.ExportFSRSCSV(0, &csv); err != nil {
		t.Fatalf("fsrs csv: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(csv.String(), "\n"), "\n")
	if len(lines) != 5 || lines[0] != "card_id,review_time,review_rating,review_state,review_duration" ||
		lines[1] != fmt.Sprintf("alpha,%d000,3,0,0", now.Unix()) {
		t.Errorf("fsrs csv:\n%s", csv.String())
	}
	tomorrow := must(coll.Session(0, now.Add(day)))
	defer tomorrow.Close()
	if c := must(tomorrow.Counts(now.Add(day))); c.Due != 4 || c.Remaining() != 4 {
		t.Errorf("tomorrow %+v", c)
	}
}

func TestHandlesCloseInAnyOrder(t *testing.T) {
	coll, _ := openSmall(t)
	session := must(coll.Session(0, now))
	cards := must(coll.Cards(0, ""))
	if err := coll.Close(); err != nil {
		t.Fatal(err)
	}
	if err := coll.Close(); err != nil {
		t.Fatal("Close is not idempotent")
	}
	if _, err := session.Next(now); !errors.Is(err, alliance.ErrMisuse) {
		t.Errorf("a session of a closed collection: %v", err)
	}
	if cards.Next() || !errors.Is(cards.Err(), alliance.ErrMisuse) {
		t.Errorf("an iterator of a closed collection: %v", cards.Err())
	}
	session.Close()
	cards.Close()
	if _, err := coll.Card("alpha"); !errors.Is(err, alliance.ErrMisuse) {
		t.Errorf("a closed collection: %v", err)
	}
}

func TestNotesSettingsAndFiles(t *testing.T) {
	dir := t.TempDir()
	opts := alliance.DefaultOpenOptions()
	opts.UTCOffsetSeconds = 0
	coll := must(alliance.Open(filepath.Join(dir, "learner.alliance"), &opts))
	defer coll.Close()
	deck := must(coll.DeckID("Mine", true))
	for _, n := range []alliance.Note{
		{ID: "n1", Front: "Q", Back: "A", Tags: "x y"},
		{ID: "n2", Type: alliance.CARD_CHOICE, Front: "Pick", Back: "R", Wrong: []string{"W1", "W2"}},
		{ID: "n3", Type: alliance.CARD_CLOZE, Front: "{{c1::a}} {{c2::b}}"},
	} {
		if err := coll.AddNote(deck, n, now); err != nil {
			t.Fatal(err)
		}
	}
	if err := coll.AddNote(deck, alliance.Note{ID: "n1", Front: "again", Back: "x"}, now); !errors.Is(err, alliance.ErrExists) {
		t.Errorf("a taken id: %v", err)
	}
	if w := must(coll.Card("n2")).WrongOptions(); !reflect.DeepEqual(w, []string{"W1", "W2"}) {
		t.Errorf("wrong options %v", w)
	}
	if err := coll.Bury("n1", now); err != nil {
		t.Fatal(err)
	}
	if c := must(coll.Card("n1")); c.BuriedUntilDay != must(coll.Today(now))+1 {
		t.Errorf("buried until %d", c.BuriedUntilDay)
	}
	if c := must(coll.Card("n2")); c.BuriedUntilDay != alliance.NotBuried {
		t.Errorf("not buried: %d", c.BuriedUntilDay)
	}
	cfg := must(coll.Config())
	cfg.NewPerDay = 5
	cfg.LeechSuspend = false
	if err := coll.SetConfig(cfg); err != nil {
		t.Fatal(err)
	}
	if got := must(coll.Config()); got != cfg {
		t.Errorf("config %+v, want %+v", got, cfg)
	}
	cfg.RolloverHour = 24
	if err := coll.SetConfig(cfg); !errors.Is(err, alliance.ErrInvalid) {
		t.Errorf("rollover 24: %v", err)
	}
	classic := must(alliance.DefaultSM2Params(alliance.SM2_CLASSIC))
	if err := coll.SetSM2Params(classic); err != nil || must(coll.SM2Params()) != classic {
		t.Errorf("SM-2 parameters: %v", err)
	}
	var out bytes.Buffer
	if err := coll.ExportDeck(deck, alliance.FORMAT_DECK, &out); err != nil || !strings.HasPrefix(out.String(), "deck: Mine\n") {
		t.Fatalf("export: %v %q", err, out.String())
	}
	file := filepath.Join(dir, "mine.deck")
	if err := coll.ExportDeckFile(deck, alliance.FORMAT_DECK, file); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(file); !bytes.Equal(data, out.Bytes()) {
		t.Error("the exported file differs from the stream")
	}
	refusing := writerFunc(func(p []byte) (int, error) { return 0, errors.New("the disk says no") })
	if err := coll.ExportDeck(deck, alliance.FORMAT_DECK, refusing); err == nil || err.Error() != "the disk says no" {
		t.Errorf("a failing writer: %v", err)
	}
	other := open(t)
	if r := must(other.ImportDeckData("again.deck", out.Bytes(), alliance.ImportOptions{}, now)); r.Added != 4 {
		t.Errorf("re-import added %d", r.Added)
	}
	var apkg bytes.Buffer
	if err := coll.Export(deck, alliance.ExportOptions{Format: alliance.FORMAT_APKG}, now, &apkg); err != nil {
		t.Fatal(err)
	}
	if f := must(alliance.DetectFormat(apkg.Bytes())); f != alliance.FORMAT_APKG {
		t.Errorf("an .apkg detected as %d", f)
	}
	third := open(t)
	r := must(third.ImportDeckData("mine.apkg", apkg.Bytes(), alliance.ImportOptions{Format: alliance.FORMAT_APKG}, now))
	if r.Added != 4 || len(r.Decks) != 1 || r.Decks[0].DeckName != "Mine" {
		t.Errorf("the package imported as %+v", r)
	}
	all := filepath.Join(dir, "all.txt")
	if err := coll.ExportFile(0, alliance.ExportOptions{Format: alliance.FORMAT_ANKI_TEXT}, now, all); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(all); must(alliance.DetectFormat(data)) != alliance.FORMAT_ANKI_TEXT {
		t.Error("the Anki text export is not detected as Anki text")
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func TestOneCollectionFromSeveralGoroutines(t *testing.T) {
	coll := open(t)
	deck := must(coll.DeckID("Many", true))
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				id := string(rune('a'+g)) + string(rune('0'+i))
				if err := coll.AddNote(deck, alliance.Note{ID: id, Front: "f", Back: "b"}, now); err != nil {
					errs <- err
					return
				}
				if _, err := coll.Answer(id, 4, now, 0); err != nil {
					errs <- err
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if s := must(coll.Stats(deck, now, 1)); s.Reviews != 80 {
		t.Errorf("%d reviews", s.Reviews)
	}
}

func TestVersionsAndTheDay(t *testing.T) {
	if alliance.BindingVersion != alliance.VERSION_STRING || alliance.LibraryVersion() != alliance.VERSION_STRING {
		t.Errorf("binding %s, header %s, library %s", alliance.BindingVersion, alliance.VERSION_STRING, alliance.LibraryVersion())
	}
	if err := alliance.CheckLibrary(); err != nil {
		t.Error(err)
	}
	if d := must(alliance.DayNumber(now, 0, 4)); d != 20458 {
		t.Errorf("day %d", d)
	}
	if start := must(alliance.DayStart(20458, 0, 4)); start.Unix() != 1767614400-8*3600 {
		t.Errorf("day start %v", start)
	}
	if s := must(alliance.ClozeRender("A {{c1::b::hint}} and {{c2::c}}.", 1, false)); s != "A [hint] and c." {
		t.Errorf("cloze %q", s)
	}
}

func TestTwoCopiesSyncBothWaysAndConverge(t *testing.T) {
	laptop, _ := openSmall(t)
	var everything bytes.Buffer
	if err := laptop.SyncChanges(nil, &everything); err != nil {
		t.Fatal(err)
	}
	phone := open(t)
	report, err := phone.SyncClone(&everything)
	if err != nil {
		t.Fatal(err)
	}
	if report.CardsAdded != 4 {
		t.Fatalf("clone added %d cards, want 4", report.CardsAdded)
	}
	a, _ := laptop.CollectionID()
	b, _ := phone.CollectionID()
	ra, _ := laptop.ReplicaID()
	rb, _ := phone.ReplicaID()
	if a != b || ra == rb || ra == 0 {
		t.Fatalf("ids: collection %x / %x, replica %d / %d", a, b, ra, rb)
	}
	if _, err := phone.Answer("alpha", 4, now, 0); err != nil {
		t.Fatal(err)
	}
	var state, changes bytes.Buffer
	if err := laptop.SyncState(&state); err != nil {
		t.Fatal(err)
	}
	if err := phone.SyncChanges(&state, &changes); err != nil {
		t.Fatal(err)
	}
	got, err := laptop.SyncApply(alliance.SyncOptions{}, &changes)
	if err != nil || got.Reviews != 1 {
		t.Fatalf("apply: %v, %+v", err, got)
	}
	if m, err := laptop.Verify(); err != nil || m != 0 {
		t.Fatalf("verify: %d %v", m, err)
	}
	stranger, _ := openSmall(t)
	var foreign bytes.Buffer
	if err := stranger.SyncChanges(nil, &foreign); err != nil {
		t.Fatal(err)
	}
	if _, err := laptop.SyncApply(alliance.SyncOptions{}, &foreign); !errors.Is(err, alliance.ErrForeign) {
		t.Fatalf("another collection: %v, want ErrForeign", err)
	}
}

func TestACardCarriesItsFSRSRetrievabilityForTheDayAsked(t *testing.T) {
	coll, _ := openSmall(t)
	must(coll.Answer("alpha", 4, now, 0))
	if c := must(coll.CardAt("alpha", now.Add(3*day))); c.FSRSRetrievability != 0 {
		t.Fatalf("under SM-2: retrievability %v", c.FSRSRetrievability)
	}
	must(coll.SetScheduler(alliance.SCHEDULER_FSRS, now))
	today := must(coll.Today(now))
	c := must(coll.CardAt("alpha", now.Add(10*day)))
	want := must(must(coll.FSRSParams()).Retrievability(c.FSRS, 10))
	if c.RetrievabilityDay != today+10 || c.FSRSRetrievability != want || want <= 0 || want >= 0.9 {
		t.Fatalf("ten days on: day %d (today %d), retrievability %v, want %v", c.RetrievabilityDay, today,
			c.FSRSRetrievability, want)
	}
	if c := must(coll.Card("alpha")); c.RetrievabilityDay != alliance.NoRetrievability || c.FSRSRetrievability != 0 {
		t.Fatalf("read without a time: %+v", c)
	}
}

func TestEachReviewRecordsTheSchedulerAndFSRSParametersInForce(t *testing.T) {
	coll, _ := openSmall(t)
	must(coll.Answer("alpha", 4, now, 0))
	must(coll.SetScheduler(alliance.SCHEDULER_FSRS, now))
	must(coll.Answer("pick", 4, now, 0))
	must(coll.SetScheduler(alliance.SCHEDULER_SM2, now)) // a switch rewrites no record
	it := must(coll.Reviews(""))
	defer it.Close()
	rows := map[string]alliance.Review{}
	for it.Next() {
		rows[it.Review().CardID] = it.Review()
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	if r := rows["alpha"]; r.Scheduler != alliance.SCHEDULER_SM2 || r.FSRSParams != nil {
		t.Fatalf("an SM-2 answer recorded %+v", r)
	}
	defaults := must(alliance.DefaultFSRSParams())
	if r := rows["pick"]; r.Scheduler != alliance.SCHEDULER_FSRS || r.FSRSParams == nil || *r.FSRSParams != defaults {
		t.Fatalf("an FSRS answer recorded %+v", r)
	}
}

func TestACollectionSwitchesToFSRSAndBackKeepingEveryReview(t *testing.T) {
	coll, _ := openSmall(t)
	if s := must(coll.Scheduler()); s != alliance.SCHEDULER_SM2 {
		t.Fatalf("a new collection is scheduled by %d", s)
	}
	must(coll.Answer("alpha", 4, now, 0))
	must(coll.Answer("alpha", 1, now.Add(6*day), 0))
	report := must(coll.SetScheduler(alliance.SCHEDULER_FSRS, now.Add(6*day)))
	if report.Scheduler != alliance.SCHEDULER_FSRS || report.Reviews != 2 || report.Cards != 4 {
		t.Fatalf("report %+v", report)
	}
	card := must(coll.Card("alpha"))
	if card.FSRS.Stability <= 0 || card.FSRSDrill != 1 {
		t.Fatalf("after a failed answer under FSRS: %+v, drill %d", card.FSRS, card.FSRSDrill)
	}
	p := must(coll.FSRSParams())
	p.DesiredRetention = 0.85
	must(coll.SetFSRSParams(p, now.Add(6*day)))
	if got := must(coll.FSRSParams()); got != p {
		t.Fatalf("params %+v, set %+v", got, p)
	}
	p.DesiredRetention = 2
	if _, err := coll.SetFSRSParams(p, now); err == nil {
		t.Fatal("a retention of 2 was accepted")
	}
	must(coll.SetScheduler(alliance.SCHEDULER_SM2, now.Add(6*day)))
	if n := must(coll.Verify()); n != 0 {
		t.Fatalf("%d cards differ from their replay", n)
	}
	if c := must(coll.Card("alpha")); c.FSRS != (alliance.FSRSState{}) || c.Reviews != 2 {
		t.Fatalf("back under SM-2: %+v", c)
	}
}
