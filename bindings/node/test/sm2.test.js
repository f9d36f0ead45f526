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
