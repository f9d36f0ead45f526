// SPDX-License-Identifier: MIT
// Reads an .apkg with the npm package anki-reader (a reader no one here wrote) and prints
// what it found as JSON: the decks by name, each with its cards' fields, type, queue,
// interval, ease factor and reviews. Used by the ctest test apkg_thirdparty_reader.
// Run: node read_package.mjs FILE.apkg
import fs from 'fs';
import { readAnkiPackage } from 'anki-reader';

const file = process.argv[2];
const data = fs.readFileSync(file);
const blob = new Blob([data]);
const { collection } = await readAnkiPackage(blob);
const out = {};
for (const deck of Object.values(collection.getDecks())) {
  const raw = deck.getRawDeck();
  const cards = [];
  for (const card of Object.values(deck.getCards())) {
    const c = card.getRawCard();
    cards.push({ fields: c.flds ?? c.fields, type: c.type, queue: c.queue, ivl: c.ivl, factor: c.factor, reps: c.reps });
  }
  out[raw.name] = cards;
}
process.stdout.write(JSON.stringify(out));
