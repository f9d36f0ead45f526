// SPDX-License-Identifier: MIT
'use strict';
// The JavaScript surface: a study app's whole day through the binding.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const test = require('node:test');

const alliance = require('..');
const { BUNDLED_DECK, DAY, NOW, SMALL_DECK, open, tempDir } = require('./support');

const { constants: C } = alliance;

test('a collection file is created, closed, and reopened with its cards', (t) => {
  const file = path.join(tempDir(t), 'learner.alliance');
  {
    const coll = new alliance.Collection(file, { utcOffsetSeconds: 0, clock: () => NOW });
    coll.importDeckData(SMALL_DECK, { name: 'small.deck' });
    coll.close();
    coll.close(); // idempotent
    assert.ok(coll.closed);
  }
  const again = new alliance.Collection(file, { create: false, utcOffsetSeconds: 0, clock: () => NOW });
  assert.equal(again.card('alpha').front, 'Front A');
  again[Symbol.dispose]();
  assert.ok(again.closed);
});

test('a failure throws AllianceError with the library code and message', (t) => {
  const { coll } = open(t, alliance);
  assert.throws(() => coll.card('nope'), (e) => e instanceof alliance.AllianceError &&
    e.code === alliance.codes.ENOTFOUND && e.codeName === 'ENOTFOUND' && /nope/.test(e.message));
  assert.throws(() => coll.answer('nope', 9), (e) => e.code === C.ENOTFOUND || e.code === C.EGRADE);
  assert.throws(() => new alliance.Collection(path.join(tempDir(t), 'missing'), { create: false }),
                (e) => e.code === C.ENOTFOUND || e.code === C.EIO || e.code === C.EDB);
  assert.throws(() => coll.card('a\0b'), (e) => e.code === C.EINVAL && /NUL/.test(e.message));
});

test('a malformed deck throws EPARSE with the report naming file, line and column', (t) => {
  const { coll } = open(t, alliance);
  const bad = 'deck: D\n\ncard: x\ntype: basic\nfrnot: f\nback: b\n';
  assert.throws(() => coll.importDeckData(bad, { name: 'bad.deck' }), (e) => {
    assert.equal(e.codeName, 'EPARSE');
    assert.match(e.report.errorLines[0], /^bad\.deck:5:1: /);
    return true;
  });
  assert.equal([...coll.decks()].length, 0, 'nothing was imported');
  assert.throws(() => alliance.checkDeck(bad, { name: 'bad.deck' }), (e) => e.code === C.EPARSE && e.report.errorCount >= 1);
  assert.equal(alliance.checkDeck(SMALL_DECK).added, 4);
});

test('the deck lint gives advice with file, line and column', () => {
  const deck = `deck: D

card: q1
type: choice
question: Which?
answer: Right
wrong: Wrong
`;
  const report = alliance.lintDeck(deck, { name: 'd.deck' });
  assert.equal(report.noteCount, 1);
  const few = report.warnings.find((w) => w.code === alliance.constants.LINT_FEW_WRONG);
  assert.ok(few, report.text);
  assert.equal(few.noteId, 'q1');
  assert.match(few.message, /^d\.deck:3:1: warning: /);
  assert.equal(report.text.split('\n').filter(Boolean).length, report.warnings.length);
  assert.throws(() => alliance.lintDeck('deck: D\n\ncard: x\n'), (e) => e.codeName === 'EPARSE' && e.report.errorCount >= 1);
});

test('decks are listed with their card counts', (t) => {
  const { coll } = open(t, alliance);
  const report = coll.importDeckData(SMALL_DECK, { name: 'small.deck' });
  const empty = coll.deckId('Empty', { create: true });
  coll.answer('alpha', 5);
  coll.suspend('pick');
  const decks = [...coll.decks()];
  assert.deepEqual(decks.map((d) => [d.id, d.name, d.total, d.newCards, d.learned, d.suspended]),
                   [[report.deckId, 'Small', 4, 3, 1, 1], [empty, 'Empty', 0, 0, 0, 0]]);
  assert.equal(decks[0].description, 'three cards and a choice');
  for (const d of decks) {
    const s = coll.stats({ deckId: d.id });
    assert.deepEqual([d.total, d.newCards, d.learned, d.dueToday, d.suspended, d.leeches],
                     [s.total, s.newCards, s.learned, s.dueToday, s.suspended, s.leeches]);
  }
});

test('every card type renders through the library', (t) => {
  const { coll } = open(t, alliance);
  coll.importDeckData(SMALL_DECK, { name: 'small.deck' });
  const basic = coll.card('alpha').render();
  assert.deepEqual([basic.prompt, basic.answer, basic.extra, basic.options], ['Front A', 'Back A', '', []]);
  const cloze = coll.card('charlie::c2').render();
  assert.equal(cloze.prompt, 'The alliance is a [...].');
  assert.equal(cloze.answer, 'The alliance is a bond.');
  assert.equal(cloze.extra, 'from the seed articles');
  const card = coll.card('pick');
  const choice = card.render();
  assert.deepEqual([...choice.options].sort(), ['Right', 'Wrong A', 'Wrong B', 'Wrong C']);
  assert.equal(choice.options[choice.correctOption], 'Right');
  assert.deepEqual(card.render({ keepOrder: true }).options, ['Right', 'Wrong A', 'Wrong B', 'Wrong C']);
  assert.deepEqual(card.render({ seed: 7 }), card.render({ seed: 7n }));
  assert.deepEqual(alliance.renderCard(card), choice);
});

test('an app lists, renames and deletes decks and shows every card type through the API alone', (t) => {
  const { coll } = open(t, alliance);
  const small = coll.importDeckData(SMALL_DECK, { name: 'small.deck' }).deckId;
  const other = coll.importDeckData('deck: Other\n\ncard: o1\ntype: basic\nfront: F\nback: B\n',
                                    { name: 'other.deck' }).deckId;
  assert.deepEqual([...coll.decks()].map((d) => [d.name, d.total]), [['Small', 4], ['Other', 1]]);
  for (const d of coll.decks()) {
    for (const card of coll.cards({ deckId: d.id })) {
      const shown = card.render({ seed: 3 });
      assert.ok(shown.prompt && shown.answer && !shown.prompt.includes('{{'), card.id);
      if (card.type === C.CARD_CHOICE) assert.equal(shown.options[shown.correctOption], 'Right');
    }
  }
  coll.answer('alpha', 5);
  assert.throws(() => coll.renameDeck(small, 'Other'), (e) => e.codeName === 'EEXISTS');
  coll.renameDeck('Small', 'Renamed');
  assert.equal(coll.deckName(small), 'Renamed');
  assert.equal(coll.card('alpha').reviews, 1);
  assert.throws(() => coll.deleteDeck(other), (e) => e.codeName === 'EINVAL');
  assert.throws(() => coll.deleteDeck(-1), (e) => e.codeName === 'EINVAL');
  coll.deleteDeck(other, { withCards: true });
  assert.deepEqual([...coll.decks()].map((d) => d.name), ['Renamed']);
  assert.throws(() => coll.card('o1'), (e) => e.codeName === 'ENOTFOUND');
  coll.deleteDeck(coll.deckId('Empty', { create: true }));
  assert.deepEqual([...coll.decks()].map((d) => d.name), ['Renamed']);
  assert.equal(coll.verify(), 0);
});

test('the bundled deck: every card renders without markup', (t) => {
  const { coll } = open(t, alliance);
  const report = coll.importDeck(BUNDLED_DECK);
  let count = 0;
  for (const card of coll.cards({ deckId: report.deckId })) {
    const shown = card.render();
    assert.ok(shown.prompt && shown.answer, card.id);
    assert.ok(!shown.prompt.includes('{{'), card.id);
    if (card.type === C.CARD_CHOICE) assert.equal(shown.options[shown.correctOption], card.back);
    count += 1;
  }
  assert.equal(count, report.added);
});

test('a study session: next, answer, undo, counts, then statistics and the log', (t) => {
  const { coll, clock } = open(t, alliance);
  coll.importDeckData(SMALL_DECK, { name: 'small.deck' });
  const session = coll.session();
  t.after(() => session.close());
  assert.equal(session.counts().newCards, 4);
  const first = session.next();
  assert.equal(first.id, 'alpha');
  assert.ok(first.isNew);
  assert.deepEqual(session.answer(first, 5), { repetitions: 1, efactorMilli: 2600, intervalDays: 1, repeatToday: 0 });
  assert.equal(session.undo(), 'alpha');
  assert.equal(session.next().id, 'alpha', 'the undone card comes back');
  let answered = 0;
  for (const card of session) {
    session.answer(card, 4);
    answered += 1;
  }
  assert.equal(answered, 4);
  assert.equal(session.counts().remaining, 0);
  assert.equal(coll.stats().reviews, 4);
  assert.deepEqual(coll.forecast({ days: 3 }), [0, 4, 0]);
  assert.deepEqual(coll.reviewHistory({ days: 2 }), [4, 0]);
  assert.equal(coll.stats().trueReviews, 0, 'first answers are not true reviews');
  const log = [...coll.reviews({ cardId: 'alpha' })];
  assert.equal(log.length, 1);
  assert.equal(log[0].grade, 4);
  assert.equal(log[0].params.preset, C.SM2_SUPERMEMO);
  assert.deepEqual(coll.replay('alpha'), { state: log[0].after, dueDay: coll.today() + 1 });
  assert.equal(coll.verify(), 0);
  assert.deepEqual(coll.integrityCheck(), []);
  clock.now += DAY;
  const tomorrow = coll.session();
  assert.equal(tomorrow.counts().due, 4);
  tomorrow.close();
});

test('iterators close when a loop breaks, and after their collection closes they say so', (t) => {
  const { coll } = open(t, alliance);
  coll.importDeckData(SMALL_DECK, { name: 'small.deck' });
  const iter = coll.cards();
  for (const card of iter) {
    assert.equal(card.id, 'alpha');
    break;
  }
  assert.ok(iter.closed);
  const still = coll.cards();
  const session = coll.session();
  coll.close();
  assert.throws(() => still.next(), (e) => e.codeName === 'EMISUSE');
  assert.throws(() => session.next(), (e) => e.codeName === 'EMISUSE');
  still.close();
  session.close();
  assert.throws(() => coll.card('alpha'), (e) => e.codeName === 'EMISUSE');
});

test('notes, suspension, burial and search', (t) => {
  const { coll, clock } = open(t, alliance);
  const deck = coll.addNote('Mine', { id: 'n1', front: 'Q', back: 'A', tags: 'x y' });
  coll.addNote(deck, { id: 'n2', type: C.CARD_CHOICE, front: 'Pick', back: 'R', wrong: ['W1', 'W2'] });
  coll.addNote(deck, { id: 'n3', type: C.CARD_CLOZE, front: '{{c1::a}} {{c2::b}}' });
  assert.deepEqual([...coll.cards({ deckId: deck })].map((c) => c.id), ['n1', 'n2', 'n3::c1', 'n3::c2']);
  assert.deepEqual([...coll.cards({ text: 'w2' })].map((c) => c.id), ['n2']);
  assert.throws(() => coll.addNote(deck, { id: 'n1', front: 'again', back: 'x' }), (e) => e.codeName === 'EEXISTS');
  coll.suspend('n1');
  assert.ok(coll.card('n1').suspended);
  coll.unsuspend('n1');
  coll.bury('n2');
  assert.equal(coll.card('n2').buriedUntilDay, coll.today() + 1);
  assert.equal(coll.card('n1').buriedUntilDay, null);
  clock.now += DAY;
  assert.equal(coll.deckName(deck), 'Mine');
});

test('settings, SM-2 parameters and the UTC offset', (t) => {
  const { coll } = open(t, alliance);
  assert.deepEqual(coll.config, { newPerDay: 20, reviewsPerDay: 200, rolloverHour: 4, leechThreshold: 8,
    leechSuspend: true });
  coll.config = { newPerDay: 5, leechSuspend: false };
  assert.equal(coll.config.newPerDay, 5);
  assert.equal(coll.config.leechSuspend, false);
  assert.throws(() => { coll.config = { rolloverHour: 24 }; }, (e) => e.codeName === 'EINVAL');
  coll.sm2Params = alliance.sm2Params(C.SM2_CLASSIC);
  assert.equal(coll.sm2Params.preset, C.SM2_CLASSIC);
  const today = coll.today();
  coll.setUtcOffset(14 * 3600);
  assert.ok(coll.today() >= today);
});

test('export: a Buffer, a stream of pieces, a file; an exception in the writer propagates', (t) => {
  const { coll } = open(t, alliance);
  const deck = coll.importDeckData(SMALL_DECK, { name: 'small.deck' }).deckId;
  const whole = coll.exportDeck(deck);
  assert.match(whole.toString(), /^deck: Small\n/);
  const pieces = [];
  assert.equal(coll.exportDeck(deck, { write: (p) => pieces.push(p) }), undefined);
  assert.deepEqual(Buffer.concat(pieces), whole);
  const file = path.join(tempDir(t), 'out.deck');
  coll.exportDeckFile(deck, file);
  assert.deepEqual(fs.readFileSync(file), whole);
  assert.throws(() => coll.exportDeck(deck, { write: () => { throw new Error('the disk says no'); } }),
                /the disk says no/);
  const apkg = coll.export(deck, { format: C.FORMAT_APKG });
  assert.equal(alliance.detectFormat(apkg), C.FORMAT_APKG);
  assert.equal(alliance.detectFormat(whole), C.FORMAT_DECK);
  const fromPackage = open(t, alliance).coll.importDeckData(apkg, { name: 'small.apkg', format: C.FORMAT_APKG });
  assert.equal(fromPackage.added, 4);
  assert.equal(fromPackage.decks.length, 1);
  assert.equal(fromPackage.decks[0].deckName, 'Small');
  const file2 = path.join(tempDir(t), 'all.txt');
  coll.exportFile(0, file2, { format: C.FORMAT_ANKI_TEXT });
  assert.equal(alliance.detectFormat(fs.readFileSync(file2)), C.FORMAT_ANKI_TEXT);
  const anki = coll.exportDeck(deck, { format: C.FORMAT_ANKI_TEXT }).toString();
  assert.match(anki, /^#separator:/m);
  const other = open(t, alliance).coll;
  assert.equal(other.importDeckData(whole, { name: 'again.deck' }).added, 4);
});

test('the review log as the FSRS optimizer reads it', (t) => {
  const { coll } = open(t, alliance);
  coll.importDeckData(SMALL_DECK, { name: 'small.deck' });
  coll.answer('alpha', 5, { now: NOW, answerMs: 1200 });
  const csv = coll.exportFsrsCsv().toString();
  assert.equal(csv, 'card_id,review_time,review_rating,review_state,review_duration\n' +
                    `alpha,${NOW}000,4,0,1200\n`);
  const pieces = [];
  assert.equal(coll.exportFsrsCsv(0, { write: (p) => pieces.push(p) }), undefined);
  assert.equal(Buffer.concat(pieces).toString(), csv);
  assert.throws(() => coll.exportFsrsCsv(999), (e) => e.codeName === 'ENOTFOUND');
});

test('a card carries its FSRS retrievability for the day asked (0 under SM-2)', (t) => {
  const { coll } = open(t, alliance);
  coll.importDeckData(SMALL_DECK, { name: 'small.deck', now: NOW });
  coll.answer('alpha', 4, { now: NOW });
  const sm2 = coll.card('alpha', { now: NOW + 3 * DAY });
  assert.equal(sm2.fsrsRetrievability, 0);
  coll.setScheduler(C.SCHEDULER_FSRS, NOW);
  const today = coll.today(NOW);
  assert.equal(coll.card('alpha', { now: NOW }).fsrsRetrievability, 1);
  const later = coll.card('alpha', { now: NOW + 10 * DAY });
  assert.equal(later.retrievabilityDay, today + 10);
  assert.equal(later.fsrsRetrievability, alliance.fsrsRetrievability(later.fsrs, 10));
  assert.ok(later.fsrsRetrievability > 0 && later.fsrsRetrievability < 0.9);
  assert.equal([...coll.cards()][0].retrievabilityDay, null); // a search has no time
});

test('each review records the scheduler and the FSRS parameters in force', (t) => {
  const { coll } = open(t, alliance);
  coll.importDeckData(SMALL_DECK, { name: 'small.deck', now: NOW });
  coll.answer('alpha', 4, { now: NOW });
  coll.setScheduler(C.SCHEDULER_FSRS, NOW);
  coll.answer('pick', 4, { now: NOW });
  coll.setScheduler(C.SCHEDULER_SM2, NOW); // a switch rewrites no record
  const rows = Object.fromEntries([...coll.reviews()].map((r) => [r.cardId, r]));
  assert.equal(rows.alpha.scheduler, C.SCHEDULER_SM2);
  assert.equal(rows.alpha.fsrsParams, null);
  assert.equal(rows.pick.scheduler, C.SCHEDULER_FSRS);
  assert.deepEqual(rows.pick.fsrsParams, alliance.fsrsParams());
});

test('a collection switches to FSRS and back, keeping every review (docs/fsrs.md)', (t) => {
  const { coll } = open(t, alliance);
  coll.importDeckData(SMALL_DECK, { name: 'small.deck', now: NOW });
  assert.equal(coll.scheduler, C.SCHEDULER_SM2);
  coll.answer('alpha', 4, { now: NOW });
  coll.answer('alpha', 1, { now: NOW + 6 * DAY });
  const report = coll.setScheduler(C.SCHEDULER_FSRS, NOW + 6 * DAY);
  assert.equal(report.scheduler, C.SCHEDULER_FSRS);
  assert.equal(report.reviews, 2);
  assert.equal(coll.scheduler, C.SCHEDULER_FSRS);
  const card = coll.card('alpha');
  assert.ok(card.fsrs.stability > 0);
  assert.equal(card.fsrsDrill, 1); // failed today: due again today as a drill
  assert.equal(coll.verify(), 0);
  const params = { ...coll.fsrsParams, desiredRetention: 0.85 };
  assert.equal(coll.setFsrsParams(params, NOW + 6 * DAY).cards, report.cards);
  assert.equal(coll.fsrsParams.desiredRetention, 0.85);
  assert.throws(() => coll.setFsrsParams({ ...params, desiredRetention: 2 }), (e) => e.code === C.EINVAL);
  coll.setScheduler(C.SCHEDULER_SM2, NOW + 6 * DAY);
  assert.equal(coll.card('alpha').fsrs.stability, 0);
  assert.equal(coll.verify(), 0);
});

test('a note updated and deleted with the re-import rules', (t) => {
  const { coll } = open(t, alliance);
  const deck = coll.addNote('Mine', { id: 'z', type: C.CARD_CLOZE, front: '{{c1::a}} {{c2::b}}' });
  coll.addNote(deck, { id: 'n', front: 'Q', back: 'A' });
  coll.answer('z::c1', 5);
  coll.updateNote({ id: 'z', type: C.CARD_CLOZE, front: '{{c1::a}} {{c3::c}}' });
  assert.equal(coll.card('z::c1').reviews, 1);
  assert.equal(coll.card('z::c1').front, '{{c1::a}} {{c3::c}}');
  assert.ok(coll.card('z::c2').suspended);
  assert.equal(coll.card('z::c3').reviews, 0);
  assert.throws(() => coll.updateNote({ id: 'nope', front: 'q', back: 'a' }), (e) => e.codeName === 'ENOTFOUND');
  coll.deleteNote('n', { keepHistory: true });
  assert.ok(coll.card('n').suspended);
  coll.deleteNote('z');
  assert.throws(() => coll.card('z::c1'), (e) => e.codeName === 'ENOTFOUND');
  assert.throws(() => coll.deleteNote('z'), (e) => e.codeName === 'ENOTFOUND');
  assert.equal(coll.verify(), 0);
});

test('the UTC offset is stored in the file as this device\'s', (t) => {
  const file = path.join(tempDir(t), 'offset.db');
  let coll = new alliance.Collection(file, { clock: () => NOW });
  assert.equal(coll.utcOffset(), C.UTC_OFFSET_LOCAL);
  coll.setUtcOffset(-18000);
  coll.close();
  coll = new alliance.Collection(file, { clock: () => NOW });
  assert.equal(coll.utcOffset(), -18000);
  coll.close();
  coll = new alliance.Collection(file, { utcOffsetSeconds: 3600, clock: () => NOW });
  assert.equal(coll.utcOffset(), 3600);
  coll.close();
});
