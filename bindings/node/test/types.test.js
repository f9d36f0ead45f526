// SPDX-License-Identifier: MIT
'use strict';
// index.d.ts declares what lib/index.js exports, and a typical program compiles against it.

const assert = require('node:assert/strict');
const childProcess = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const test = require('node:test');

const alliance = require('..');

const ROOT = path.join(__dirname, '..');
const declarations = fs.readFileSync(path.join(ROOT, 'index.d.ts'), 'utf8');

test('every export of lib/index.js is declared in index.d.ts', () => {
  for (const name of Object.keys(alliance)) {
    assert.match(declarations, new RegExp(`export (?:const|class|function) ${name}\\b`), `${name} is not declared`);
  }
});

test('a typical program compiles against index.d.ts with tsc --strict', () => {
  let tsc;
  try {
    tsc = require.resolve('typescript/bin/tsc');
  } catch {
    assert.fail('typescript (a devDependency) is not installed: run npm ci in bindings/node');
  }
  const result = childProcess.spawnSync(process.execPath, [tsc, '--strict', '--noEmit', '--target', 'es2022',
    '--lib', 'es2022,esnext.disposable', '--module', 'commonjs', '--types', 'node', '--skipLibCheck',
    path.join(__dirname, 'types-check.ts')], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stdout + result.stderr);
});
