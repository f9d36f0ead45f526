// SPDX-License-Identifier: MIT
// The ts-fsrs side of alliance-bench's FSRS figure (bench/fig_fsrs.c runs it):
// the same work as the C side, in long-term mode with no fuzz: NSTATES cards,
// ratings from the same xorshift32 sequence, each answered on its due day.
// Prints one JSON line: steps/s (wall and per CPU-second of the process) for
// f.next (the per-answer call an app makes: dates, all four outcomes, the log)
// and for the bare algorithm.next_state (memory state only, no interval), and a
// checksum of the final states that the C side compares with its own.
//
//   node fsrs_node.mjs DIR STEPS     (DIR holds node_modules/ts-fsrs: tests/fsrs after npm ci)
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'

const [dir, stepsArg] = process.argv.slice(2)
const { fsrs, createEmptyCard, State } = createRequire(join(resolve(dir), 'package.json'))('ts-fsrs')
const steps = Number(stepsArg)
const NSTATES = 1024
const DAY_MS = 86400000
const START = Date.UTC(2026, 0, 5, 12)
const RATINGS = [1, 2, 3, 3, 3, 3, 3, 3, 4, 4] // mostly Good, as a learner answers

function xorshift32(seed) {
  let x = seed >>> 0
  return () => {
    x ^= x << 13; x >>>= 0
    x ^= x >>> 17
    x ^= x << 5; x >>>= 0
    return x
  }
}

const f = fsrs({ enable_fuzz: false, enable_short_term: false })

function runNext(n) {
  const rnd = xorshift32(0x5eed)
  const cards = Array.from({ length: NSTATES }, () => createEmptyCard(new Date(START)))
  const t0 = process.hrtime.bigint()
  const c0 = process.cpuUsage()
  for (let i = 0; i < n; i++) {
    const k = i % NSTATES
    const card = cards[k]
    const rating = RATINGS[rnd() % 10]
    const now = card.state === State.New ? new Date(START)
      : new Date(card.last_review.getTime() + card.scheduled_days * DAY_MS)
    cards[k] = f.next(card, now, rating).card
  }
  const cpu = process.cpuUsage(c0)
  const wall = Number(process.hrtime.bigint() - t0) / 1e9
  let intervals = 0, stability = 0, difficulty = 0
  for (const c of cards) {
    intervals += c.scheduled_days
    stability += c.stability
    difficulty += c.difficulty
  }
  return { wall, cpu: (cpu.user + cpu.system) / 1e6, intervals, stability, difficulty }
}

function runNextState(n) {
  const rnd = xorshift32(0x5eed)
  const states = Array.from({ length: NSTATES }, () => null)
  const t0 = process.hrtime.bigint()
  const c0 = process.cpuUsage()
  for (let i = 0; i < n; i++) {
    const k = i % NSTATES
    const rating = RATINGS[rnd() % 10]
    states[k] = f.next_state(states[k], states[k] ? 3 : 0, rating) // three days after the last review
  }
  const cpu = process.cpuUsage(c0)
  return { wall: Number(process.hrtime.bigint() - t0) / 1e9, cpu: (cpu.user + cpu.system) / 1e6 }
}

runNext(Math.min(steps, 20000)) // let the JIT compile both loops first
runNextState(Math.min(steps, 20000))
const a = runNext(steps)
const b = runNextState(steps)
process.stdout.write(JSON.stringify({
  steps,
  next_steps_per_s: steps / a.wall,
  next_steps_per_cpu_s: steps / a.cpu,
  next_state_steps_per_s: steps / b.wall,
  next_state_steps_per_cpu_s: steps / b.cpu,
  checksum: { intervals: a.intervals, stability: a.stability, difficulty: a.difficulty },
  node: process.version,
}) + '\n')
