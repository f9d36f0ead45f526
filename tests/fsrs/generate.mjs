// SPDX-License-Identifier: MIT
// Generates tests/fsrs/vectors.txt: random rating sequences scheduled by ts-fsrs
// (the version pinned in package.json / package-lock.json) in long-term mode,
// enable_short_term = false, no fuzz. CI never runs this; the output is committed.
//
//   cd tests/fsrs && npm ci && npm run generate     (or: node generate.mjs > vectors.txt)
//   node generate.mjs --bits    prints the bit-pattern table of tests/test_fsrs.c
//
// The generator is deterministic (its own seeded PRNG), so running it again with
// the same ts-fsrs gives the same file byte for byte.
import { readFileSync } from 'node:fs'
import { CLAMP_PARAMETERS, createEmptyCard, default_w, fsrs, FSRSVersion, State } from 'ts-fsrs'

// mulberry32: a small seeded PRNG, so that the vectors do not depend on Math.random.
function rng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const rand = rng(20240917)
const below = (n) => Math.floor(rand() * n) // 0..n-1
const pick = (table) => {
  // table: [[weight, value], ...]
  const total = table.reduce((s, [w]) => s + w, 0)
  let x = rand() * total
  for (const [w, v] of table) {
    if ((x -= w) < 0) return v
  }
  return table[table.length - 1][1]
}

const DAY_MS = 24 * 60 * 60 * 1000
const START = Date.UTC(2024, 0, 1, 12, 0, 0) // noon UTC: day numbers are unambiguous

// The ranges ts-fsrs clips each weight to (long-term mode): random weights stay
// inside, so that ts-fsrs uses them unchanged (checked below).
const ranges = CLAMP_PARAMETERS(2.0, false)
function randomWeights(extremeDecay) {
  return ranges.map(([lo, hi], i) => {
    if (i === 20 && extremeDecay !== undefined) return extremeDecay
    const v = lo + rand() * (hi - lo)
    return Math.min(hi, Math.max(lo, Math.round(v * 10000) / 10000))
  })
}

const paramSets = [
  { w: [...default_w], r: 0.9, max: 36500 },
  { w: [...default_w], r: 0.8, max: 365 },
  { w: [...default_w], r: 0.95, max: 60 }, // a low cap: hard/good/easy pile up at it
  { w: [...default_w], r: 0.7, max: 36500 },
  { w: [...default_w], r: 1.0, max: 36500 }, // every interval rounds to 0 before the floor of 1
  { w: randomWeights(0.1), r: 0.9, max: 36500 },
  { w: randomWeights(0.8), r: 0.85, max: 3650 },
]
for (let i = 0; i < 6; i++) {
  const caps = [30, 180, 3650, 36500, 36500]
  paramSets.push({ w: randomWeights(), r: 0.7 + below(30) / 100, max: caps[below(caps.length)] })
}

const ratingProfiles = [
  [[10, 1], [15, 2], [60, 3], [15, 4]], // a typical learner
  [[1, 1], [1, 2], [1, 3], [1, 4]], // uniform
  [[2, 1], [1, 2], [6, 3], [6, 4]], // a strong learner: stabilities reach the cap
]

// Days until the next review, given the interval just scheduled.
function nextElapsed(interval) {
  switch (pick([[55, 'due'], [15, 'early'], [15, 'late'], [10, 'same'], [5, 'wild']])) {
    case 'due': return interval
    case 'early': return interval > 1 ? below(interval) : 0
    case 'late': return interval + 1 + below(interval)
    case 'same': return 0
    default: return below(5 * interval + 30)
  }
}

const fmt = (x) => String(x)
const out = []

// --bits: the rows of the bit-pattern table of tests/test_fsrs.c, as ts-fsrs
// computes them (the IEEE-754 bits of each double, in hexadecimal).
if (process.argv.includes('--bits')) {
  const bitSets = [paramSets[0], paramSets[1], paramSets[5], paramSets[6]]
  const hex = (x) => {
    const v = new DataView(new ArrayBuffer(8))
    v.setFloat64(0, x)
    return 'UINT64_C(0x' + v.getBigUint64(0).toString(16).padStart(16, '0') + ')'
  }
  const states = [
    [0, 0, 0], [3.14159265358979, 4.24242424242424, 3, 3], [3.14159265358979, 4.24242424242424, 3, 0],
    [0.001, 10, 1, 7], [36500, 1, 36500, 36500], [36500, 10, 36500, 1], [100.5, 5.5, 100, 99],
    [7.25, 9.87654321, 7, 365], [0.35, 1.5, 1, 1], [1234.56789012, 2.2, 1235, 2000], [42, 6, 42, 100000],
  ]
  const rows = []
  bitSets.forEach((ps, si) => {
    const f = fsrs({ w: ps.w, request_retention: ps.r, maximum_interval: ps.max, enable_fuzz: false, enable_short_term: false })
    for (const [s, d, ivl, elapsedIn] of states) {
      const elapsed = elapsedIn ?? 0
      const last = new Date(START)
      const card = s === 0 ? createEmptyCard(last)
        : { due: last, stability: s, difficulty: d, elapsed_days: 0, scheduled_days: ivl, reps: 1, lapses: 0,
            learning_steps: 0, state: State.Review, last_review: last }
      const now = new Date(START + elapsed * DAY_MS)
      const preview = f.repeat(card, now)
      const r = f.get_retrievability(card, now, false)
      const outs = [1, 2, 3, 4].map((g) => {
        const c = preview[g].card
        return `{ ${hex(c.stability)}, ${hex(c.difficulty)}, ${c.scheduled_days} }`
      })
      rows.push(`    { ${si}, { ${s}, ${d}, ${ivl} }, ${elapsed}, ${hex(r)},\n      { ${outs.join(',\n        ')} } },`)
    }
  })
  process.stdout.write(rows.join('\n') + '\n')
  process.exit(0)
}

const pkg = JSON.parse(readFileSync(new URL('./node_modules/ts-fsrs/package.json', import.meta.url)))
out.push('# SPDX-License-Identifier: MIT')
out.push(`# FSRS test vectors: ts-fsrs ${pkg.version} (${FSRSVersion}), node ${process.version},`)
out.push('# long-term mode (enable_short_term = false), no fuzz. Generated by tests/fsrs/generate.mjs;')
out.push('# do not edit (see tests/fsrs/README.md). Numbers are JavaScript doubles, shortest round-trip text.')
out.push('#')
out.push('# params ID RETENTION MAX_INTERVAL W0 .. W20 FACTOR INTERVAL_MODIFIER')
out.push('# seq N PARAMS_ID')
out.push('# step ELAPSED RATING R  S1 D1 I1  S2 D2 I2  S3 D3 I3  S4 D4 I4')
out.push('#   one answer: ELAPSED days after the previous one (0 for the first), the rating given,')
out.push('#   R = get_retrievability just before it (0 for a new card), then the outcome of each')
out.push('#   rating 1..4 (stability, difficulty, scheduled days); the next step starts from RATING\'s.')

let seqNo = 0
paramSets.forEach((ps, pi) => {
  const f = fsrs({
    w: ps.w,
    request_retention: ps.r,
    maximum_interval: ps.max,
    enable_fuzz: false,
    enable_short_term: false,
  })
  const used = f.parameters.w
  ps.w.forEach((v, i) => {
    if (used[i] !== v) throw new Error(`ts-fsrs changed w${i} of set ${pi}: ${v} -> ${used[i]}`)
  })
  if (f.parameters.request_retention !== ps.r || f.parameters.maximum_interval !== ps.max) {
    throw new Error(`ts-fsrs changed the retention or cap of set ${pi}`)
  }
  // The algorithm's own constants, so that a test can tell how close an interval was to a rounding boundary.
  const decay = -ps.w[20]
  const factor = Math.round((Math.exp(Math.pow(decay, -1) * Math.log(0.9)) - 1.0) * 1e8) / 1e8
  out.push(['params', `P${pi}`, ps.r, ps.max, ...ps.w, factor, f.interval_modifier].map(fmt).join(' '))
  const nseq = 10
  for (let q = 0; q < nseq; q++) {
    const profile = ratingProfiles[(q + pi) % ratingProfiles.length]
    const len = 5 + below(36)
    out.push(`seq ${seqNo++} P${pi}`)
    let card = createEmptyCard(new Date(START))
    let day = 0
    let elapsed = 0
    for (let k = 0; k < len; k++) {
      day += elapsed
      const now = new Date(START + day * DAY_MS)
      const r = f.get_retrievability(card, now, false)
      const preview = f.repeat(card, now)
      const rating = pick(profile)
      const fields = ['step', elapsed, rating, r]
      for (let g = 1; g <= 4; g++) {
        const c = preview[g].card
        fields.push(c.stability, c.difficulty, c.scheduled_days)
      }
      const chosen = preview[rating]
      if (chosen.log.elapsed_days !== elapsed) {
        throw new Error(`ts-fsrs counted ${chosen.log.elapsed_days} elapsed days, expected ${elapsed}`)
      }
      out.push(fields.map(fmt).join(' '))
      card = chosen.card
      elapsed = nextElapsed(card.scheduled_days)
    }
  }
})
// Edge states no short random sequence reaches: the ends of the stability and
// difficulty ranges, very long absences, under every parameter set.
const DAYS_MAX = 50000000 // JavaScript dates end about 10^8 days after 1970
const edgeStates = [
  [0.001, 10], [0.001, 1], [0.1, 10], [36500, 1], [36500, 10], [1, 5.5], [0.5, 9.99999999], [12345.6789, 3.3],
]
const edgeElapsed = [0, 1, 2, 30, 36500, 100000, DAYS_MAX]
out.push('# case PARAMS_ID S D ELAPSED R  S1 D1 I1  S2 D2 I2  S3 D3 I3  S4 D4 I4')
out.push('#   one answer from a reviewed card (S, D) after ELAPSED days; the rest as in step.')
paramSets.forEach((ps, pi) => {
  const f = fsrs({ w: ps.w, request_retention: ps.r, maximum_interval: ps.max, enable_fuzz: false, enable_short_term: false })
  for (const [s, d] of edgeStates) {
    for (const elapsed of edgeElapsed) {
      const last = new Date(START)
      const card = { due: last, stability: s, difficulty: d, elapsed_days: 0, scheduled_days: 1, reps: 1, lapses: 0,
        learning_steps: 0, state: State.Review, last_review: last }
      const now = new Date(START + elapsed * DAY_MS)
      const fields = ['case', `P${pi}`, s, d, elapsed, f.get_retrievability(card, now, false)]
      const preview = f.repeat(card, now)
      for (let g = 1; g <= 4; g++) {
        const c = preview[g].card
        fields.push(c.stability, c.difficulty, c.scheduled_days)
      }
      out.push(fields.map(fmt).join(' '))
    }
  }
})
process.stdout.write(out.join('\n') + '\n')
