// SPDX-License-Identifier: MIT
'use strict';
// The thin layer mirrors include/alliance.h exactly: every function (with the documented
// substitutions only), every constant, every struct field, every size and offset.

const assert = require('node:assert/strict');
const childProcess = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const test = require('node:test');

const capi = require('../lib/capi');
const { HEADER, REPOSITORY } = require('./support');

const header = fs.readFileSync(HEADER, 'utf8');
const uncommented = header.replace(/\/\*[\s\S]*?\*\//g, ' ');
const flat = (s) => s.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')').trim();

// Memory the library hands out through a `T **` out-parameter, freed with alliance_free: the
// binding writes those `_Out_ void **` to keep the pointer.
const LIBRARY_MEMORY = new Set(['char', 'alliance_card', 'alliance_import_report', 'alliance_deck_info',
  'alliance_rendered_card', 'alliance_lint_report', 'alliance_sync_report', 'alliance_scheduler_report']);

function parsePrototype(text) {
  const m = /^(.*?)\b(alliance_[a-z0-9_]+)\((.*)\)$/.exec(flat(text));
  assert.ok(m, `not a prototype: ${text}`);
  const params = m[3] === 'void' ? [] : m[3].split(',').map((p) => {
    const q = /^(.*?[\s*])([A-Za-z_][A-Za-z0-9_]*)$/.exec(p.trim());
    return { type: flat(q[1]), name: q[2] };
  });
  return { ret: flat(m[1]), name: m[2], params };
}

function headerDeclarations() {
  const found = new Map();
  const re = /ALLIANCE_API ([^;(]*?\balliance_[a-z0-9_]+\s*\([^)]*\))\s*;/g;
  for (const m of flat(uncommented).matchAll(re)) {
    const p = parsePrototype(m[1]);
    found.set(p.name, p);
  }
  return found;
}

test('every header function has exactly one prototype, and nothing more', () => {
  const declared = headerDeclarations();
  assert.ok(declared.size > 60);
  const bound = capi.PROTOTYPES.map((p) => parsePrototype(p.replace(/_(Out|Inout)_ /g, '')).name);
  assert.equal(new Set(bound).size, bound.length, 'a function is bound twice');
  assert.deepEqual([...declared.keys()].filter((n) => !bound.includes(n)), [], 'declared but not bound');
  assert.deepEqual(bound.filter((n) => !declared.has(n)), [], 'bound but not declared');
});

test('every prototype is the header declaration, with direction markers and the documented substitution', () => {
  const declared = headerDeclarations();
  for (const prototype of capi.PROTOTYPES) {
    const marked = parsePrototype(prototype);
    const bound = parsePrototype(prototype.replace(/_(Out|Inout)_ /g, ''));
    const want = declared.get(bound.name);
    assert.equal(bound.ret, want.ret, `${bound.name}: return type`);
    assert.equal(bound.params.length, want.params.length, `${bound.name}: parameter count`);
    bound.params.forEach((param, i) => {
      const expected = want.params[i];
      const where = `${bound.name}, parameter ${expected.name}`;
      assert.equal(param.name, expected.name, where);
      const out = /^_Out_ /.test(marked.params[i].type);
      const inout = /^_Inout_ /.test(marked.params[i].type);
      const base = /^(?:const )?(\w+) \*\*$/.exec(expected.type);
      if (base && LIBRARY_MEMORY.has(base[1])) {
        assert.equal(param.type, 'void **', `${where}: library memory is taken as void **`);
        assert.ok(out, `${where}: must be _Out_`);
      } else {
        assert.equal(param.type, expected.type, where);
        if (/\*\*$/.test(expected.type)) assert.ok(out, `${where}: a handle comes back through _Out_`);
      }
      // A non-const pointer to a struct or a number is written by the library: it needs a
      // direction marker, except the forecast's counts (a Uint32Array, written in place).
      const writable = /^(?!const )(alliance_\w+|u?int\d+_t|double) \*$/.exec(expected.type);
      const handle = writable && capi.OPAQUE.includes(writable[1]);
      if (writable && !handle && expected.name !== 'counts') {
        assert.ok(out || inout, `${where}: ${expected.type} needs _Out_ or _Inout_`);
      }
    });
  }
});

test('the library exports every function', () => {
  assert.deepEqual(capi.lib.missing, [], `${capi.lib.path} lacks these functions`);
  if (process.env.ALLIANCE_LIBRARY) assert.equal(capi.lib.path, process.env.ALLIANCE_LIBRARY);
});

test('every integer macro has the same value', () => {
  const macros = {};
  for (const m of header.matchAll(/^#define ALLIANCE_([A-Z0-9_]+)[ \t]+([^/\n]+)/gm)) {
    const value = m[2].trim();
    const n = /^\(?(-?(?:0x[0-9a-fA-F]+|\d+))u?\)?$/.exec(value);
    if (n) macros[m[1]] = Number(n[1]);
    else if (value === 'INT32_MIN') macros[m[1]] = -(2 ** 31);
  }
  assert.equal(macros.EGRADE, -4);
  for (const [name, value] of Object.entries(macros)) {
    assert.equal(capi.constants[name], value, `ALLIANCE_${name}`);
  }
  assert.match(header, new RegExp(`#define ALLIANCE_VERSION_STRING "${capi.VERSION_STRING.replace(/\./g, '\\.')}"`));
});

function headerStructs() {
  const structs = new Map();
  for (const m of uncommented.matchAll(/typedef struct (alliance_[a-z0-9_]+) \{([\s\S]*?)\} \1;/g)) {
    const fields = [];
    for (const member of m[2].split(';').map((s) => s.trim()).filter(Boolean)) {
      const fn = /^(.*?)\(\s*\*\s*(\w+)\s*\)\s*\((.*)\)$/s.exec(member);
      if (fn) fields.push([fn[2], { ret: flat(fn[1]), params: flat(fn[3]) }]);
      else {
        const q = /^(.*?[\s*])(\w+)(?:\[(\d+)\])?$/s.exec(member);
        fields.push([q[2], flat(q[1]) + (q[3] ? `[${q[3]}]` : '')]);
      }
    }
    structs.set(m[1], fields);
  }
  return structs;
}

test('every struct is mirrored field for field with the header types', () => {
  const structs = headerStructs();
  assert.deepEqual(capi.STRUCTS.map(([n]) => n).sort(), [...structs.keys()].sort());
  for (const [name, fields] of capi.STRUCTS) {
    const want = structs.get(name);
    assert.deepEqual(fields.map(([f]) => f), want.map(([f]) => f), `${name}: field names`);
    fields.forEach(([field, type], i) => {
      const expected = want[i][1];
      if (typeof expected === 'object') { // a function pointer: the callback type's prototype
        const p = /^(.*?)\balliance_\w+\((.*)\)$/.exec(capi.CALLBACKS[type]);
        assert.equal(flat(p[1]), expected.ret, `${name}.${field}: return type`);
        assert.equal(flat(p[2]), expected.params, `${name}.${field}: parameters`);
      } else {
        assert.equal(type, expected, `${name}.${field}`);
      }
    });
  }
});

test('callback typedefs match, with their non-NUL-terminated data as void', () => {
  for (const m of uncommented.matchAll(/typedef (\w+) \(\*(alliance_\w+)\)\(([^)]*)\);/g)) {
    const [, ret, name, params] = m;
    const bound = /^(.*?)\balliance_\w+\((.*)\)$/.exec(capi.CALLBACKS[name]);
    assert.ok(bound, `${name} is not bound`);
    assert.equal(flat(bound[1]), ret);
    assert.equal(flat(bound[2]), flat(params).replace('const char *data', 'const void *data'));
  }
});

test('sizes and offsets equal the C compiler\'s', () => {
  const program = process.env.ALLIANCE_LAYOUT || path.join(REPOSITORY, 'build', 'bindings', 'alliance_layout');
  assert.ok(fs.existsSync(program), `${program} is missing: build the alliance_layout target or set ALLIANCE_LAYOUT`);
  const sizes = new Map();
  const offsets = new Map();
  for (const line of childProcess.execFileSync(program, { encoding: 'utf8' }).split('\n').filter(Boolean)) {
    const parts = line.split(' ');
    if (parts.length === 2) sizes.set(parts[0], Number(parts[1]));
    else offsets.set(parts[0], [Number(parts[1]), Number(parts[2])]);
  }
  for (const [name, fields] of capi.STRUCTS) {
    assert.equal(capi.koffi.sizeof(capi.types[name]), sizes.get(name), `sizeof ${name}`);
    for (const [field] of fields) {
      const [offset, size] = offsets.get(`${name}.${field}`);
      assert.equal(capi.koffi.offsetof(capi.types[name], field), offset, `offsetof ${name}.${field}`);
      assert.equal(capi.types[name].members[field].type.size, size, `sizeof ${name}.${field}`);
    }
  }
});

test('the loaded library is the version the header says', () => {
  assert.equal(capi.lib.alliance_version_string(), capi.VERSION_STRING);
  assert.equal(capi.lib.alliance_version_number(), capi.constants.VERSION_NUMBER);
});
