// SPDX-License-Identifier: MIT
'use strict';
// The JavaScript layer covers the whole header (docs/bindings.md, "What each covers"): every
// function declared in include/alliance.h is called by lib/*.js (not only declared in capi),
// or is listed here with the reason it is left to capi. A function added to the header turns
// this red until the JavaScript layer wraps it.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const test = require('node:test');

const { HEADER } = require('./support');

const LEFT_TO_CAPI = {
  alliance_set_allocator: 'a JavaScript allocator would run inside every call (README.md)',
  alliance_allocator_init: 'only for alliance_set_allocator',
  alliance_card_get: 'alliance_card_get_at does the same at a given time; Collection#card calls it',
};

test('every header function is called by the JavaScript layer, or is listed with its reason', () => {
  const header = fs.readFileSync(HEADER, 'utf8');
  const functions = [...header.matchAll(/ALLIANCE_API [^;(]*?\b(alliance_[a-z0-9_]+)\s*\(/g)].map((m) => m[1]);
  assert.ok(functions.length > 50, `only ${functions.length} functions found in ${HEADER}`);
  const dir = path.join(__dirname, '..', 'lib');
  const source = fs.readdirSync(dir).filter((f) => f.endsWith('.js') && f !== 'capi.js')
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
  const missing = functions.filter((name) => !LEFT_TO_CAPI[name] && !new RegExp(`\\blib\\.${name}\\b`).test(source));
  assert.deepEqual(missing, [], 'header functions the JavaScript layer does not call');
  for (const name of Object.keys(LEFT_TO_CAPI)) assert.ok(functions.includes(name), `${name} is not in the header`);
});
