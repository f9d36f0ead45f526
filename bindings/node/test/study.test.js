// SPDX-License-Identifier: MIT
'use strict';
// Study modes through the binding (docs/study-modes.md): an exam per deck, cram sessions
// (preview, review ahead), the study settings; and their bad arguments.

const assert = require('node:assert/strict');
const test = require('node:test');

const alliance = require('..');
const { DAY, SMALL_DECK, open } = require('./support');

const { constants: C } = alliance;

function small(t) {
  const { coll, clock } = open(t, alliance);
  const deck = coll.importDeckData(SMALL_DECK, { name: 'small.deck' }).deckId;
  return { coll, clock, deck };
}

const snapshot = (coll, deck) => JSON.stringify([...coll.cards({ deckId: deck })]);

test('an exam is set, read, replaced and cleared; by id or by name', (t) => {
  const { coll, deck } = small(t);
  assert.equal(coll.exam(deck), null);
  const today = coll.today();
  coll.setExam(deck, today + 21);
  const exam = coll.exam('Small');
  assert.deepEqual({ ...exam }, { examDay: today + 21, finalDays: 3, newCards: 4,
    readyByDay: exam.readyByDay, pace: exam.pace, introducedToday: 0 });
  assert.ok(Object.isFrozen(exam));
  assert.ok(exam.readyByDay < today + 21 - 3 && exam.pace >= 1);
  coll.setExam('Small', today + 21, { finalDays: 5 });
  assert.equal(coll.exam(deck).finalDays, 5);
  coll.clearExam(deck);
  assert.equal(coll.exam(deck), null);
  coll.clearExam(deck); // nothing to clear is fine
});

test('an exam changes the pace: new cards a day rise to meet it', (t) => {
  const { coll, deck } = small(t);
  coll.config = { newPerDay: 1 };
  const plain = coll.session({ deckId: deck }).counts().newCards;
  assert.equal(plain, 1);
  const today = coll.today();
  coll.setExam(deck, today + 5, { finalDays: 1 }); // little time: every new card now
  const status = coll.exam(deck);
  assert.ok(status.pace > 1, `pace ${status.pace}`);
  const s = coll.session({ deckId: deck });
  assert.equal(s.counts().newCards, Math.min(4, status.pace));
  const card = s.next();
  s.answer(card, 4);
  assert.equal(coll.exam(deck).introducedToday, 1);
  assert.equal(coll.verify(), 0);
});

test('an interval crossing the exam is clamped by cardDueDay; SM-2 resumes once it is cleared', (t) => {
  const { coll, clock, deck } = small(t);
  const today = coll.today();
  coll.setExam(deck, today + 12);
  assert.equal(coll.cardDueDay('alpha'), today, 'a new card is due today');
  coll.answer('alpha', 5);
  clock.now += DAY;
  coll.answer('alpha', 5);
  clock.now += 6 * DAY;
  coll.answer('alpha', 5);
  const card = coll.card('alpha');
  assert.ok(card.dueDay >= today + 12, 'SM-2 alone would pass the exam');
  const clamped = coll.cardDueDay(card);
  assert.ok(clamped < today + 12 && clamped > today + 7, `clamped to ${clamped}`);
  coll.clearExam(deck);
  assert.equal(coll.cardDueDay('alpha'), card.dueDay);
  assert.equal(coll.verify(), 0);
});

test('bad exams throw the library code, and change nothing', (t) => {
  const { coll, deck } = small(t);
  const today = coll.today();
  assert.throws(() => coll.setExam(deck, today + 5, { finalDays: 31 }), (e) => e.code === C.EINVAL);
  assert.throws(() => coll.setExam(999, today + 5), (e) => e.code === C.ENOTFOUND);
  assert.throws(() => coll.setExam('No such deck', today + 5), (e) => e.code === C.ENOTFOUND);
  assert.throws(() => coll.setExam(deck, today, { finalDays: -1 }), (e) => e.code === C.EINVAL && /uint32/.test(e.message));
  assert.throws(() => coll.setExam(deck, 2n ** 63n), (e) => e.code === C.EINVAL && /int64/.test(e.message));
  assert.throws(() => coll.setExam(deck, '5'), (e) => e.code === C.EINVAL);
  assert.throws(() => coll.exam(0), (e) => e.code === C.EINVAL);
  assert.throws(() => coll.cardDueDay('nope'), (e) => e.code === C.ENOTFOUND);
  assert.equal(coll.exam(deck), null);
});

test('a preview cram session changes no schedule', (t) => {
  const { coll, deck } = small(t);
  coll.answer('alpha', 5);
  const before = snapshot(coll, deck);
  const reviewsBefore = [...coll.reviews()].length;
  const s = coll.cram({ deckId: deck });
  assert.ok(s instanceof alliance.Session);
  const counts = s.counts();
  assert.deepEqual([counts.due, counts.newCards], [1, 3]);
  const ids = [];
  for (const card of s) {
    ids.push(card.id);
    s.answer(card, 4);
  }
  s.close();
  assert.equal(ids[0], 'alpha', 'learned cards first');
  assert.deepEqual([...ids].sort(), ['alpha', 'charlie::c1', 'charlie::c2', 'pick']);
  assert.equal(snapshot(coll, deck), before, 'every card kept its state, due day and counts');
  assert.equal([...coll.reviews()].length, reviewsBefore + 4, 'each preview answer is logged');
  assert.equal(coll.stats({ deckId: deck }).reviews, 1, 'previews are not counted as reviews');
  assert.equal(coll.verify(), 0);
});

test('a review-ahead cram session counts, scored on the real elapsed days', (t) => {
  const { coll, clock, deck } = small(t);
  coll.answer('alpha', 5);
  clock.now += DAY;
  coll.answer('alpha', 5); // interval 6
  clock.now += 3 * DAY;
  const s = coll.cram({ deckId: 'Small', ahead: true, aheadDays: 5 });
  const card = s.next();
  assert.equal(card.id, 'alpha');
  const after = s.answer(card, 5);
  assert.equal(s.next(), null, 'a review ahead offers learned cards only');
  s.close();
  assert.equal(coll.card('alpha').reviews, 3);
  assert.equal(coll.card('alpha').dueDay, coll.today() + after.intervalDays);
  assert.equal(coll.verify(), 0);
});

test('cram filters by text, and refuses bad options', (t) => {
  const { coll, deck } = small(t);
  const s = coll.cram({ deckId: deck, text: 'Front A' });
  const ids = [];
  for (const card of s) { // a session offers a card until it is answered
    ids.push(card.id);
    s.answer(card, 4);
  }
  assert.deepEqual(ids, ['alpha']);
  assert.throws(() => coll.cram({ deckId: 999 }), (e) => e.code === C.ENOTFOUND);
  assert.throws(() => coll.cram({ aheadDays: -1 }), (e) => e.code === C.EINVAL && /ahead_days/.test(e.message));
  assert.throws(() => coll.cram({ text: 'a\0b' }), (e) => e.code === C.EINVAL && /NUL/.test(e.message));
});

test('the study settings round-trip; a part of them can be set', (t) => {
  const { coll } = small(t);
  assert.deepEqual({ ...coll.studySettings }, { burySiblings: false, fuzz: false });
  coll.studySettings = { burySiblings: true, fuzz: true };
  assert.deepEqual({ ...coll.studySettings }, { burySiblings: true, fuzz: true });
  coll.studySettings = { fuzz: false };
  assert.deepEqual({ ...coll.studySettings }, { burySiblings: true, fuzz: false });
  coll.studySettings = { burySiblings: 0 };
  assert.deepEqual({ ...coll.studySettings }, { burySiblings: false, fuzz: false });
});

test('bad study settings throw EINVAL and change nothing', (t) => {
  const { coll } = small(t);
  coll.studySettings = { fuzz: true };
  assert.throws(() => { coll.studySettings = { burySiblings: 2 }; }, (e) => e.code === C.EINVAL);
  assert.throws(() => { coll.studySettings = { fuzz: 'yes' }; }, (e) => e.code === C.EINVAL);
  assert.throws(() => { coll.studySettings = { fuzz: -1 }; }, (e) => e.code === C.EINVAL);
  assert.throws(() => { coll.studySettings = null; }, (e) => e.code === C.EINVAL);
  assert.deepEqual({ ...coll.studySettings }, { burySiblings: false, fuzz: true });
});

test('siblings apart holds back a cloze note\'s other deletion for the day; off, it is offered', (t) => {
  for (const burySiblings of [false, true]) {
    const { coll, deck } = small(t);
    coll.studySettings = { burySiblings };
    coll.answer('charlie::c1', 4);
    const s = coll.session({ deckId: deck });
    const ids = [];
    for (const card of s) {
      ids.push(card.id);
      s.answer(card, 4);
    }
    assert.ok(ids.length > 0 && !ids.includes('charlie::c1'));
    assert.equal(ids.includes('charlie::c2'), !burySiblings, `burySiblings ${burySiblings}: offered ${ids}`);
    assert.equal(coll.verify(), 0);
  }
});

test('nextWithCounts gives the next card and the counts from one snapshot, in a cram session too', (t) => {
  const { coll, deck } = small(t);
  const s = coll.session({ deckId: deck });
  const { card, counts } = s.nextWithCounts();
  assert.ok(card instanceof alliance.Card);
  assert.deepEqual(counts, s.counts(), 'the card returned is still counted');
  s.answer(card, 4);
  assert.equal(s.nextWithCounts().counts.remaining, counts.remaining - 1);
  const other = small(t).coll;
  other.answer('alpha', 5);
  const cram = other.cram({ deckId: deck, ahead: true });
  const first = cram.nextWithCounts();
  assert.equal(first.card.id, 'alpha');
  assert.equal(first.counts.due, 1);
  cram.answer(first.card, 5);
  const done = cram.nextWithCounts();
  assert.equal(done.card, null);
  assert.equal(done.counts.remaining, 0);
  assert.equal(coll.verify(), 0);
  assert.equal(other.verify(), 0);
});
