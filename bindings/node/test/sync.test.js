// SPDX-License-Identifier: MIT
'use strict';
// Sync through the binding (docs/sync.md): clones, both ways, streams, refusals.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const test = require('node:test');

const alliance = require('..');
const { DAY, NOW, SMALL_DECK, open, tempDir } = require('./support');

const { constants: C } = alliance;

/** What a user or the API can see, in a comparable form (review ids are each file's own). */
function everything(coll) {
  const reviews = [...coll.reviews()].map(({ reviewId, ...r }) => r); // eslint-disable-line no-unused-vars
  return JSON.stringify({ cards: [...coll.cards()], reviews, config: coll.config, params: coll.sm2Params,
    settings: coll.studySettings }, (key, value) => (typeof value === 'bigint' ? `${value}n` : value));
}

function laptop(t) {
  const { coll, clock } = open(t, alliance);
  coll.importDeckData(SMALL_DECK, { name: 'small.deck' });
  return { coll, clock };
}

function clone(t, from, file = ':memory:') {
  const { collection, report } = alliance.Collection.clone(file, from.syncChanges(), { utcOffsetSeconds: 0,
    clock: () => NOW });
  t.after(() => collection.close());
  return { phone: collection, report };
}

test('a clone shares the collection id and reads back the same', (t) => {
  const { coll } = laptop(t);
  coll.answer('alpha', 5);
  const { phone, report } = clone(t, coll);
  assert.ok(Buffer.isBuffer(phone.collectionId));
  assert.equal(phone.collectionId.length, 16);
  assert.deepEqual(phone.collectionId, coll.collectionId);
  assert.notEqual(phone.replicaId, coll.replicaId);
  assert.equal(report.reviews, 1);
  assert.equal(report.cardsAdded, 4);
  assert.equal(report.senderReplica, coll.replicaId);
  assert.ok(Object.isFrozen(report));
  assert.equal(everything(phone), everything(coll));
  assert.equal(phone.verify(), 0);
});

test('two collections sync both ways, converge and verify', (t) => {
  const { coll, clock } = laptop(t);
  const { phone } = clone(t, coll);
  coll.answer('alpha', 5, { now: NOW });
  phone.answer('alpha', 3, { now: NOW + 3600 });
  phone.answer('pick', 4, { now: NOW + 3600 });
  phone.undo();
  phone.config = { newPerDay: 3 };
  phone.studySettings = { fuzz: true };
  coll.setExam('Small', coll.today() + 30);
  const [mine, theirs] = coll.syncWith(phone);
  assert.equal(mine.reviews, 1);
  assert.equal(mine.tombstones, 1);
  assert.ok(mine.settings >= 2, `settings ${mine.settings}`);
  assert.equal(theirs.reviews, 1);
  assert.equal(everything(phone), everything(coll));
  assert.deepEqual([...coll.reviews({ cardId: 'alpha' })].map((r) => r.grade), [5, 3]);
  assert.equal(phone.exam('Small').examDay, coll.today() + 30);
  assert.equal(coll.verify(), 0);
  assert.equal(phone.verify(), 0);
  // later answers on both sides converge again; a repeated sync brings nothing new
  clock.now += DAY;
  coll.answer('charlie::c1', 4);
  phone.answer('charlie::c2', 2, { now: NOW + DAY });
  phone.syncWith(coll);
  assert.equal(everything(phone), everything(coll));
  const [again] = coll.syncWith(phone);
  assert.equal(again.reviews + again.tombstones + again.cards + again.settings, 0);
  assert.equal(coll.verify(), 0);
  assert.equal(phone.verify(), 0);
});

test('states and changesets stream through write callbacks and iterables of pieces', (t) => {
  const { coll } = laptop(t);
  coll.answer('alpha', 5);
  const pieces = [];
  assert.equal(coll.syncChanges(null, { write: (p) => pieces.push(p) }), undefined);
  assert.ok(pieces.length >= 1 && pieces.every(Buffer.isBuffer));
  const whole = Buffer.concat(pieces);
  assert.deepEqual(whole, coll.syncChanges());
  // byte by byte: the reader hands the library every piece, however small
  const bytes = function* () {
    for (let i = 0; i < whole.length; i++) yield whole.subarray(i, i + 1);
  };
  const file = path.join(tempDir(t), 'phone.alliance');
  const { phone, report } = clone(t, { syncChanges: () => bytes() }, file);
  assert.equal(report.bytes, whole.length);
  const state = [];
  phone.syncState({ write: (p) => state.push(p) });
  assert.deepEqual(Buffer.concat(state), phone.syncState());
  assert.deepEqual(coll.syncChanges(new Uint8Array(phone.syncState())).length > 0, true);
  assert.equal(phone.syncApply(coll.syncChanges(state)).reviews, 0, 'the phone has it all');
  assert.ok(fs.existsSync(file));
});

test('a changeset of another collection throws EFOREIGN unless forced; nothing is applied', (t) => {
  const { coll } = laptop(t);
  const { coll: stranger } = open(t, alliance);
  stranger.importDeckData('deck: Other\n\ncard: x\ntype: basic\nfront: f\nback: b\n', { name: 'other.deck' });
  const before = everything(coll);
  assert.throws(() => coll.syncApply(stranger.syncChanges()), (e) => e instanceof alliance.AllianceError &&
    e.code === C.EFOREIGN && e.codeName === 'EFOREIGN');
  assert.equal(everything(coll), before);
  const report = coll.syncApply(stranger.syncChanges(), { force: true });
  assert.equal(report.cardsAdded, 1);
  assert.equal(coll.verify(), 0);
});

test('damaged changesets and bad arguments throw, and leave the collection as it was', (t) => {
  const { coll } = laptop(t);
  const { phone } = clone(t, coll);
  coll.answer('alpha', 5);
  const changes = coll.syncChanges(phone.syncState());
  const before = everything(phone);
  assert.throws(() => phone.syncApply(changes.subarray(0, changes.length - 3)),
                (e) => e.code === C.ECORRUPT || e.code === C.ELIMIT);
  assert.throws(() => phone.syncApply(Buffer.from('not a changeset')), (e) => e.code === C.ECORRUPT);
  assert.throws(() => phone.syncApply('text'), (e) => e.code === C.EINVAL && /Buffer/.test(e.message));
  assert.throws(() => phone.syncApply(null), (e) => e.code === C.EINVAL);
  assert.throws(() => phone.syncApply([changes, 'x']), (e) => e.code === C.EINVAL && /piece/.test(e.message));
  const boom = new Error('the disk went away');
  assert.throws(() => phone.syncApply((function* () { yield changes.subarray(0, 10); throw boom; })()),
                (e) => e === boom);
  assert.throws(() => coll.syncChanges(42), (e) => e.code === C.EINVAL);
  assert.throws(() => coll.syncChanges((function* () { throw boom; })()), (e) => e === boom);
  assert.throws(() => coll.syncWith({}), (e) => e.code === C.EINVAL);
  assert.throws(() => coll.syncState({ write: () => { throw boom; } }), (e) => e === boom);
  assert.equal(everything(phone), before);
  assert.equal(phone.syncApply(changes).reviews, 1, 'the whole changeset still applies');
  assert.equal(phone.verify(), 0);
});

test('clone refuses a collection that is not new, and closes what it opened', (t) => {
  const { coll } = laptop(t);
  const file = path.join(tempDir(t), 'used.alliance');
  const used = new alliance.Collection(file, { utcOffsetSeconds: 0 });
  used.importDeckData(SMALL_DECK, { name: 'small.deck' });
  used.close();
  assert.throws(() => alliance.Collection.clone(file, coll.syncChanges()), (e) => e instanceof alliance.AllianceError);
  assert.throws(() => alliance.Collection.clone(':memory:', Buffer.alloc(0)), (e) => e instanceof alliance.AllianceError);
  const closed = new alliance.Collection(':memory:');
  closed.close();
  assert.throws(() => closed.collectionId, (e) => e.code === C.EMISUSE);
  assert.throws(() => closed.syncState(), (e) => e.code === C.EMISUSE);
});
