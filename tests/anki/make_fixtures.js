// SPDX-License-Identifier: MIT
// Writes tests/data/anki/thirdparty-*.apkg with the npm package anki-apkg-export (a writer
// no one here wrote). Run: cd tests/anki && npm ci && node make_fixtures.js
// The output is committed, so CI never needs Node to run the tests that read it.
'use strict';
const fs = require('fs');
const path = require('path');
const AnkiExport = require('anki-apkg-export').default;

const out = path.join(__dirname, '..', 'data', 'anki');

async function write(name, deck, cards) {
  const apkg = new AnkiExport(deck);
  for (const [front, back, tags] of cards) apkg.addCard(front, back, tags ? { tags } : undefined);
  const zip = await apkg.save();
  fs.writeFileSync(path.join(out, name), zip, 'binary');
  console.log(`wrote ${name}`);
}

(async () => {
  await write('thirdparty-anki-apkg-export.apkg', 'Third party::Social work', [
    ['What is the key to a strong bond?', 'The client&#39;s <b>strengths</b> &amp; resilience', ['alliance', 'exam']],
    ['Two lines?', 'one<br>two'],
    ['Caf\u00e9 \u2014 unicode', '\u00e9t\u00e9 \u65e5\u672c'],
    ['A list', '<ul><li>trust</li><li>warmth</li></ul>', ['list']],
  ]);
})().catch((err) => {
  console.error(err.stack || err);
  process.exit(1);
});
