// SPDX-License-Identifier: MIT
'use strict';
// The pure functions give the numbers the C library gives: docs/sm2.md's worked examples
// (the same table as tests/consumer/consumer.c and bindings/go).

const assert = require('node:assert/strict');
const test = require('node:test');

const alliance = require('..');

const { constants: C } = alliance;

const EXAMPLES = [
  [C.SM2_SUPERMEMO, '55555', [1, 6, 17, 50, 150]],
  [C.SM2_SUPERMEMO, '4334530133453', [1, 0, 0, 6, 15, 0, 0, 0, 0, 0, 35, 85, 0]],
  [C.SM2_SUPERMEMO, '4441444', [1, 6, 15, 0, 1, 6, 15]],
  [C.SM2_CLASSIC, '55555', [1, 6, 16, 45, 131]],
  [C.SM2_CLASSIC, '4441444', [1, 6, 15, 1, 1, 6, 12]],
];

test('the worked examples of docs/sm2.md', () => {
  for (const [preset, grades, due] of EXAMPLES) {
    const params = alliance.sm2Params(preset);
    let state = alliance.sm2NewState(params);
    const got = [];
    for (const g of grades) {
      state = alliance.sm2Next(state, Number(g), params);
      got.push(state.repeatToday ? 0 : state.intervalDays);
    }
    assert.deepEqual(got, due, `preset ${preset}, grades ${grades}`);
  }
});

// The start of seq 0 of tests/fsrs/vectors.txt (ts-fsrs 5.4.2, default parameters), as
// tests/consumer/consumer.c, the Python and the Go bindings check it: elapsed days, rating,
// then ts-fsrs's stability, difficulty, interval.
const FSRS_SEQUENCE = [
  [0, 3, 2.3065, 2.11810397, 3], [3, 3, 13.82690327, 2.11121424, 14], [14, 3, 56.95670978, 2.1043314, 57],
  [1, 3, 60.47506896, 2.09745544, 60], [83, 2, 169.98469165, 4.73915103, 170],
  [11, 3, 192.16935401, 4.72964025, 192], [192, 3, 462.34107252, 4.72013898, 462],
  [0, 1, 5.424186, 8.24977395, 5], [0, 3, 5.424186, 8.23675255, 6], [6, 1, 0.98070699, 9.40566093, 1],
];

test('an FSRS sequence gives ts-fsrs\'s numbers', () => {
  let state = alliance.FSRS_NEW_STATE;
  for (const [elapsed, rating, stability, difficulty, interval] of FSRS_SEQUENCE) {
    state = alliance.fsrsNext(state, rating, elapsed);
    assert.deepEqual(state, { stability, difficulty, intervalDays: interval });
  }
  assert.equal(alliance.fsrsParams().weights.length, 21);
  assert.equal(alliance.fsrsRetrievability({ stability: 10, difficulty: 5, intervalDays: 10 }, 10), 0.9);
  assert.throws(() => alliance.fsrsNext(null, 5), (e) => e.codeName === 'EGRADE');
  assert.throws(() => alliance.checkFsrsParams({ ...alliance.fsrsParams(), desiredRetention: 1.5 }),
                (e) => e.codeName === 'EINVAL');
});

test('bad input is refused with the library code', () => {
  assert.throws(() => alliance.sm2Next(alliance.sm2NewState(), 6), (e) => e.codeName === 'EGRADE');
  assert.throws(() => alliance.sm2Params(7), (e) => e.codeName === 'EINVAL');
  assert.throws(() => alliance.checkSm2Params({ ...alliance.sm2Params(), minEfactorMilli: 0 }),
                (e) => e.codeName === 'EINVAL');
  assert.throws(() => alliance.sm2Next({ repetitions: 0, efactorMilli: 1, intervalDays: 0, repeatToday: 0 }, 3),
                (e) => e.codeName === 'ESTATE');
});

test('the learner\'s day', () => {
  assert.equal(alliance.dayNumber(1767614400, { utcOffsetSeconds: 0 }), 20458);
  assert.equal(alliance.dayNumber(1767583800, { utcOffsetSeconds: 0 }), 20457, '03:30 belongs to the day before');
  assert.equal(alliance.dayStart(20458, { utcOffsetSeconds: 0 }), 1767614400 - 8 * 3600);
  assert.throws(() => alliance.dayNumber(0, { rolloverHour: 24 }), (e) => e.codeName === 'EINVAL');
});

test('cloze rendering and versions', () => {
  assert.equal(alliance.clozeRender('A {{c1::b::hint}} and {{c2::c}}.', 1), 'A [hint] and c.');
  assert.equal(alliance.clozeRender('A {{c1::b::hint}} and {{c2::c}}.', 1, true), 'A b and c.');
  assert.throws(() => alliance.clozeRender('no deletion', 1), (e) => e.codeName === 'ENOTFOUND' || e.codeName === 'EINVAL');
  assert.equal(alliance.version, require('../package.json').version);
  assert.equal(alliance.libraryVersion(), alliance.version);
  assert.equal(alliance.strerror(alliance.codes.EGRADE).length > 0, true);
});
