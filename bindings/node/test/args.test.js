// SPDX-License-Identifier: MIT
'use strict';
// Arguments: every value handed to C is checked against its C type first. koffi would
// otherwise truncate an integer (a grade of 2^32 + 3 logged as 3), read a number given for a
// string or a struct as an address (a segmentation fault) and abort the whole process on a
// string or a boolean given for an integer field of a struct. Each is an AllianceError
// instead (EGRADE for a grade or rating, EINVAL otherwise), and nothing is written.

const assert = require('node:assert/strict');
const childProcess = require('node:child_process');
const path = require('node:path');
const test = require('node:test');

const alliance = require('..');
const { NOW, SMALL_DECK, open } = require('./support');

const { constants: C } = alliance;

function openSmall(t) {
  const { coll } = open(t, alliance);
  coll.importDeckData(SMALL_DECK, { name: 'small.deck' });
  return coll;
}

const logSize = (coll) => [...coll.reviews()].length;
const code = (name) => (e) => e instanceof alliance.AllianceError && e.codeName === name;

test('a grade outside int is EGRADE, never a wrapped grade; nothing is logged', (t) => {
  const coll = openSmall(t);
  for (const grade of [2 ** 32 + 3, -(2 ** 32) + 4, 2 ** 31, 3.5, NaN, Infinity]) {
    assert.throws(() => coll.answer('alpha', grade), code('EGRADE'), `answer, grade ${grade}`);
    const session = coll.session();
    const card = session.next();
    assert.throws(() => session.answer(card, grade), code('EGRADE'), `session answer, grade ${grade}`);
    session.close();
    assert.throws(() => alliance.sm2Next(alliance.sm2NewState(), grade), code('EGRADE'), `sm2Next, grade ${grade}`);
    assert.throws(() => alliance.fsrsNext(null, grade), code('EGRADE'), `fsrsNext, rating ${grade}`);
  }
  assert.equal(logSize(coll), 0);
  assert.equal(coll.card('alpha').reviews, 0);
});

test('an integer outside its C type, or not an integer, is EINVAL', (t) => {
  const coll = openSmall(t);
  const deck = coll.decks().next().value.id;
  assert.throws(() => coll.stats({ deckId: 2 ** 64 }), code('EINVAL'));
  assert.throws(() => coll.stats({ deckId: deck + 0.5 }), code('EINVAL'), 'deck 1.5 is not deck 1');
  assert.throws(() => coll.stats({ windowDays: -1 }), code('EINVAL'), 'a window of -1 days is not 2^32 - 1');
  assert.deepEqual(coll.stats({ now: NOW + 0.5 }), coll.stats({ now: NOW }), 'a time in seconds is truncated');
  assert.throws(() => coll.stats({ now: NaN }), code('EINVAL'));
  assert.throws(() => coll.stats({ now: 2 ** 64 }), code('EINVAL'));
  assert.throws(() => coll.forecast({ days: 2 ** 32 + 2 }), code('EINVAL'), 'not 2 days, and not a RangeError');
  assert.throws(() => coll.forecast({ days: 1e9 }), code('EINVAL'), 'refused before an array of 1e9 is made');
  // reviewHistory had its own `days >>> 0`: 2^32 + 2 days became 2 (after a RangeError or an
  // array of 2^32 counts), and the array was made before the library could refuse.
  assert.throws(() => coll.reviewHistory({ days: 2 ** 32 + 2 }), code('EINVAL'), 'history: not 2 days');
  assert.throws(() => coll.reviewHistory({ days: 1e9 }), code('EINVAL'), 'history: no array of 1e9');
  assert.throws(() => coll.reviewHistory({ days: 2.5 }), code('EINVAL'), 'history: not an integer');
  assert.throws(() => coll.reviewHistory({ deckId: 2 ** 64 }), code('EINVAL'), 'history: deck outside int64');
  assert.deepEqual(coll.reviewHistory({ days: 2 }), [0, 0], 'history in range still works');
  assert.throws(() => alliance.dayNumber(NOW, { utcOffsetSeconds: 2 ** 32 + 3600 }), code('EINVAL'));
  assert.throws(() => coll.setUtcOffset(2 ** 32), code('EINVAL'), 'not an offset of 0');
  assert.throws(() => coll.card('alpha').render({ seed: 1.5 }), code('EINVAL'));
  assert.deepEqual(coll.card('pick').render({ seed: -1 }), coll.card('pick').render({ seed: 2n ** 64n - 1n }),
                   'an integer seed is taken modulo 2^64, as in Python');
  assert.deepEqual(coll.forecast({ days: 3 }), [0, 0, 0], 'in range it still works (no card learned yet)');
  assert.deepEqual(coll.stats({ deckId: BigInt(deck) }).total, 4, 'a BigInt in range is an integer');
});

test('a struct field outside its C type is EINVAL and changes nothing', (t) => {
  const coll = openSmall(t);
  assert.throws(() => { coll.config = { newPerDay: 2 ** 32 + 5 }; }, code('EINVAL'));
  assert.throws(() => { coll.config = { rolloverHour: -1 }; }, code('EINVAL'));
  assert.throws(() => { coll.sm2Params = { ...coll.sm2Params, maxIntervalDays: 2 ** 32 + 7 }; }, code('EINVAL'));
  assert.equal(coll.config.newPerDay, 20);
  assert.equal(coll.sm2Params.maxIntervalDays, 36500);
  assert.throws(() => new alliance.Collection(':memory:', { busyTimeoutMs: 2 ** 32 }), code('EINVAL'));
  assert.throws(() => alliance.sm2Next({ repetitions: 0, efactorMilli: 2 ** 32 + 2500, intervalDays: 0,
    repeatToday: 0 }, 4), code('EINVAL'));
});

// A value of the wrong type used to crash the process (abort or segmentation fault), so each
// case runs in a child process: a crash fails its case instead of the test runner.
const CRASHERS = {
  'a string for an integer field (config)': 'coll.config = { newPerDay: "30" }',
  'a boolean for an integer field (SM-2 state)': 'alliance.sm2Next({ repetitions: true, efactorMilli: 2500, ' +
    'intervalDays: 0, repeatToday: 0 }, 4)',
  'a string for an option (open)': 'new alliance.Collection(":memory:", { busyTimeoutMs: "100" })',
  'a string for an option (import)': 'coll.importDeckData("deck: A\\n", { format: "1" })',
  'a number for a string field (render)': 'alliance.renderCard({ id: "a", type: 1, front: 5, back: "b" })',
  'a number for a struct pointer (capi)': 'alliance.capi.lib.alliance_sm2_params_check(5)',
  'a number for a string argument (capi)': 'alliance.capi.lib.alliance_deck_id(coll._ptr, 5, 0, [0])',
  'a number for a collection handle (capi)': 'alliance.capi.lib.alliance_today(12345, 0, [0])',
};

for (const [what, expression] of Object.entries(CRASHERS)) {
  test(`${what}: EINVAL, not a crash`, () => {
    const script = `
      const alliance = require(${JSON.stringify(path.join(__dirname, '..'))});
      const coll = new alliance.Collection(':memory:', { utcOffsetSeconds: 0, clock: () => ${NOW} });
      try {
        ${expression};
        console.log('no error');
      } catch (e) {
        console.log(e instanceof alliance.AllianceError ? e.codeName : e.constructor.name, e.message);
      }`;
    const result = childProcess.spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: process.env });
    assert.equal(result.signal, null, `${what}: killed by ${result.signal}\n${result.stderr}`);
    assert.equal(result.status, 0, `${what}: exit status ${result.status}\n${result.stderr}`);
    assert.match(result.stdout, /^EINVAL /, `${what}: ${result.stdout}`);
  });
}

test('in range and of the right type, every kind of argument still goes through', (t) => {
  const coll = openSmall(t);
  const { lib } = alliance.capi;
  const deck = coll.deckId('Small');
  assert.equal(coll.answer('alpha', 4, { now: BigInt(NOW) }).repetitions, 1);
  coll.config = { newPerDay: 30, leechSuspend: false };
  assert.equal(coll.config.newPerDay, 30);
  assert.equal(coll.stats({ deckId: BigInt(deck), windowDays: 7 }).reviews, 1);
  assert.equal(alliance.renderCard({ id: 'a', type: C.CARD_BASIC, front: 'F', back: 'B' }).answer, 'B');
  assert.equal(coll.card('pick').render({ seed: 2n ** 64n - 1n }).options.length, 4);
  const pieces = [];
  coll.exportDeck(deck, { write: (p) => pieces.push(p) });
  assert.match(Buffer.concat(pieces).toString(), /^deck: Small\n/);
  assert.equal(coll.importDeckData(Buffer.from(SMALL_DECK), { name: 'again.deck', format: C.FORMAT_DECK }).unchanged, 4);
  const out = [0];
  assert.equal(lib.alliance_deck_id(coll._ptr, 'Small', 0, out), C.OK);
  assert.equal(Number(out[0]), deck);
  assert.equal(lib.alliance_strerror(C.EGRADE), alliance.strerror(C.EGRADE));
  assert.equal(lib.alliance_close(null), C.OK, 'NULL is still a harmless no-op');
});
