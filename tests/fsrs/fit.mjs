// SPDX-License-Identifier: MIT
// Fits FSRS-6 weights to a review log exported by `alliance-drill export --format fsrs-csv`,
// with fsrs-rs (the optimizer Anki uses) through @open-spaced-repetition/binding: its own
// CSV reader (convertCsvToFsrsItems) and computeParameters. See README.md here.
//
// Usage: node fit.mjs REVLOG.csv [NEXT_DAY_STARTS_AT=4] [UTC_OFFSET_MINUTES=0]
// Prints one JSON object: the number of training items and the 21 weights.
import { readFileSync } from 'node:fs'
import { computeParameters, convertCsvToFsrsItems } from '@open-spaced-repetition/binding'

const [file, dayStart = '4', offset = '0'] = process.argv.slice(2)
if (!file) {
  console.error('usage: node fit.mjs REVLOG.csv [NEXT_DAY_STARTS_AT] [UTC_OFFSET_MINUTES]')
  process.exit(2)
}
const items = convertCsvToFsrsItems(readFileSync(file), Number(dayStart), 'UTC', () => Number(offset))
// Long-term mode, as liballiance schedules: no short-term weights are fitted.
const weights = await computeParameters(items, { enableShortTerm: false, timeout: 0 })
console.log(JSON.stringify({ items: items.length, weights }))
