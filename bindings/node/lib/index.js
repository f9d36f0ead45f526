// SPDX-License-Identifier: MIT
'use strict';
/*
 * liballiance for Node.js: SM-2 flashcard scheduling over a SQLite collection.
 *
 * A JavaScript-shaped layer over the C API (the raw one is require('liballiance/capi')):
 *   - a failing call throws an AllianceError carrying the library's code (.code, a
 *     negative ALLIANCE_E* number, and .codeName, 'EGRADE') and message (.message:
 *     what went wrong and where);
 *   - Collection, Session and the iterators own C handles: close() them, or use
 *     `using` (Symbol.dispose); a forgotten one is closed when garbage-collected.
 *     They may be closed in any order: a session or iterator whose collection was
 *     closed throws EMISUSE;
 *   - cards, reviews, reports and statistics are plain frozen objects (copies) with
 *     camelCase fields; the C memory is freed before the call returns;
 *   - `now` is Unix seconds and defaults to the collection's clock (Date.now());
 *   - 64-bit integers are Numbers (a value beyond 2^53 would be a BigInt).
 */

const capi = require('./capi');

// Node 18.18 and 20.4 have Symbol.dispose (for `using`); before them, a registered symbol stands in.
const DISPOSE = Symbol.dispose || Symbol.for('nodejs.dispose');

// AllianceError is capi's: its argument checks throw it too (a value outside its C type).
const { koffi, lib, constants: C, AllianceError, CODE_NAMES } = capi;

// ---- errors ----

function strerror(code) {
  return lib.alliance_strerror(code);
}

function checkPure(rc, context) {
  if (rc < 0) throw new AllianceError(rc, context ? `${context}: ${strerror(rc)}` : strerror(rc));
  return rc;
}

// ---- conversions ----

/** Unix seconds: any finite number, truncated (Date.now() / 1000 has a fraction), as the
 * Python binding takes time.time(); anything else goes on for capi to refuse. */
const seconds = (t) => (typeof t === 'number' && Number.isFinite(t) ? Math.trunc(t) : t);

const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
const NESTED = { state: 'alliance_sm2_state', before: 'alliance_sm2_state', after: 'alliance_sm2_state',
  params: 'alliance_sm2_params', fsrs: 'alliance_fsrs_state' };

function int64(value) {
  if (typeof value === 'bigint' && value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER))
    return Number(value);
  return value;
}

/** A decoded C struct as a frozen object with camelCase fields (without `version`). */
function fromC(obj) {
  const out = {};
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'version') continue;
    if (Array.isArray(value)) out[camel(key)] = Object.freeze([...value]);
    else out[camel(key)] = value !== null && typeof value === 'object' ? fromC(value) : int64(value);
  }
  return Object.freeze(out);
}

/** A camelCase object as the C struct `name` wants it, starting from `base` (an _init's result). */
function toC(name, value, base) {
  const out = { ...base };
  const fields = capi.STRUCTS.find(([n]) => n === name)[1];
  for (const [field] of fields) {
    const key = camel(field);
    if (value && value[key] !== undefined) {
      out[field] = NESTED[field] ? toC(NESTED[field], value[key], out[field]) : value[key];
    }
  }
  return out;
}

/** Calls an _init function on an empty object and returns it. */
function initialised(init, version) {
  const out = {};
  checkPure(init(out, version), init.name);
  return out;
}

/** Copies and frees memory the library handed out through a `_Out_ void **`. */
function take(ptr, decode) {
  if (ptr === null || ptr === undefined || ptr === 0n) return null;
  try {
    return decode(ptr);
  } finally {
    lib.alliance_free(ptr);
  }
}
const takeString = (ptr) => take(ptr, (p) => koffi.decode.string(p));
const takeStruct = (ptr, name) => take(ptr, (p) => koffi.decode(p, name));

function bytes(data) {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  throw new TypeError('data must be a string, a Buffer or a Uint8Array');
}

function text(value, what) {
  if (value === null || value === undefined) return value;
  const s = String(value);
  if (s.includes('\0')) throw new AllianceError(C.EINVAL, `${what} contains a NUL character`);
  return s;
}

// ---- value types ----

/** A copy of one card (alliance_card); render() shows it. */
class Card {
  constructor(c) {
    const v = fromC(c);
    Object.assign(this, v, {
      suspended: Boolean(c.suspended),
      leech: Boolean(c.leech),
      // INT64_MIN: not buried (days before 1970 are negative, so no real day is)
      buriedUntilDay: typeof v.buriedUntilDay === 'bigint' ? null : v.buriedUntilDay,
      // INT64_MIN: read without a time (a search), so no retrievability was computed
      retrievabilityDay: typeof v.retrievabilityDay === 'bigint' ? null : v.retrievabilityDay,
    });
    Object.defineProperty(this, '_c', { value: Object.freeze({ ...c }) }); // what render() passes back
    Object.freeze(this);
  }

  get isNew() {
    return this.reviews === 0;
  }

  /** The card made ready to show (alliance_card_render): prompt, answer, extra, a choice
   * card's options shuffled reproducibly by `seed` (0: the order alliance-drill shows). */
  render(options = {}) {
    return renderCard(this, options);
  }
}

function renderCard(card, { seed = 0, keepOrder = false, htmlText = false } = {}) {
  const options = initialised(lib.alliance_render_options_init, C.RENDER_OPTIONS_VERSION);
  options.flags = (keepOrder ? C.RENDER_KEEP_ORDER : 0) | (htmlText ? C.RENDER_HTML_TEXT : 0);
  // Any integer seed is taken modulo 2^64, as the Python binding does; capi refuses anything else.
  options.seed = typeof seed === 'bigint' || Number.isInteger(seed) ? BigInt.asUintN(64, BigInt(seed)) : seed;
  const raw = card instanceof Card ? card._c : toC('alliance_card', card, { version: 1, back: '', wrong: '', tags: '',
    source_file: '', source_quote: '' });
  const out = [null];
  checkPure(lib.alliance_card_render(out, raw, options), `rendering card ${JSON.stringify(card.id)}`);
  return take(out[0], (p) => {
    const r = koffi.decode(p, 'alliance_rendered_card');
    const list = r.option_count ? koffi.decode(r.options, 'const char *', r.option_count) : [];
    return Object.freeze({ type: r.type, prompt: r.prompt, answer: r.answer, extra: r.extra,
      options: Object.freeze(list), correctOption: r.correct_option });
  });
}

/** An import report: the whole file's counts, and with a file of several decks (Anki text,
 * .apkg) each deck's in `decks`. Its decks live in the report's block: decoded before it is
 * freed (takeReport). */
function report(c) {
  const pointers = c.deck_count ? koffi.decode(c.decks, 'void *', c.deck_count) : [];
  const { decks, ...rest } = c; // eslint-disable-line no-unused-vars
  const r = fromC(rest);
  return Object.freeze({ ...r, decks: Object.freeze(pointers.map((p) => fromC(koffi.decode(p, 'alliance_import_deck')))),
    errorLines: Object.freeze(r.errors.split('\n').filter(Boolean)),
    noticeLines: Object.freeze((r.notices || '').split('\n').filter(Boolean)) });
}

/** Which format (constants.FORMAT_*) these bytes are, from their content. */
/** Copies and frees a report the library handed out. */
const takeReport = (ptr) => take(ptr, (p) => report(koffi.decode(p, 'alliance_import_report')));

function detectFormat(data) {
  const buf = bytes(data);
  const out = [0];
  checkPure(lib.alliance_format_detect(buf, buf.length, out), 'detectFormat');
  return out[0];
}

function exportOptions(format, subdecks) {
  const o = initialised(lib.alliance_export_options_init, C.EXPORT_OPTIONS_VERSION);
  o.format = format;
  o.flags = subdecks ? C.EXPORT_SUBDECKS : 0;
  return o;
}

// ---- pure functions ----

function sm2Params(preset = C.SM2_SUPERMEMO) {
  const out = {};
  const rc = lib.alliance_sm2_params_init_v2.missing
    ? lib.alliance_sm2_params_init(out, preset) // a 0.1.0 library
    : lib.alliance_sm2_params_init_v2(out, C.SM2_PARAMS_VERSION, preset);
  checkPure(rc, `SM-2 preset ${preset}`);
  return fromC(out);
}

const paramsToC = (params) => toC('alliance_sm2_params', params || sm2Params(),
  initialised((o, v) => lib.alliance_sm2_params_init_v2(o, v, C.SM2_SUPERMEMO), C.SM2_PARAMS_VERSION));

function checkSm2Params(params) {
  checkPure(lib.alliance_sm2_params_check(paramsToC(params)), 'SM-2 parameters');
}

function sm2NewState(params) {
  const out = {};
  checkPure(lib.alliance_sm2_state_init(paramsToC(params), out), 'SM-2 parameters');
  return fromC(out);
}

/** One pure SM-2 step: the state after answering `grade` (0..5) in `state`. */
function sm2Next(state, grade, params) {
  const out = {};
  checkPure(lib.alliance_sm2_next(paramsToC(params), toC('alliance_sm2_state', state, {}), grade, out),
            `SM-2 step with grade ${grade}`);
  return fromC(out);
}

// ---- FSRS: the pure step ----

/** The default FSRS-6 parameters (alliance_fsrs_params_init). */
function fsrsParams() {
  return fromC(initialised(lib.alliance_fsrs_params_init, C.FSRS_PARAMS_VERSION));
}

const fsrsParamsToC = (params) => toC('alliance_fsrs_params', params || fsrsParams(),
  initialised(lib.alliance_fsrs_params_init, C.FSRS_PARAMS_VERSION));

/** The state of a new card: all zeros. */
const FSRS_NEW_STATE = Object.freeze({ stability: 0, difficulty: 0, intervalDays: 0 });

function checkFsrsParams(params) {
  checkPure(lib.alliance_fsrs_params_check(fsrsParamsToC(params)), 'FSRS parameters');
}

/** One pure FSRS step: the state after answering `rating` (1..4) elapsedDays after the last review. */
function fsrsNext(state, rating, elapsedDays = 0, params) {
  const out = {};
  checkPure(lib.alliance_fsrs_next(fsrsParamsToC(params), toC('alliance_fsrs_state', state || FSRS_NEW_STATE, {}),
                                   rating, elapsedDays, out), `FSRS step with rating ${rating}`);
  return fromC(out);
}

/** The predicted probability of recall elapsedDays after the last review. */
function fsrsRetrievability(state, elapsedDays, params) {
  const out = [0];
  checkPure(lib.alliance_fsrs_retrievability(fsrsParamsToC(params), toC('alliance_fsrs_state', state, {}),
                                             elapsedDays, out), 'FSRS retrievability');
  return out[0];
}

function dayNumber(unixSeconds, { utcOffsetSeconds = C.UTC_OFFSET_LOCAL, rolloverHour = 4 } = {}) {
  const out = [0];
  checkPure(lib.alliance_day_number(out, seconds(unixSeconds), utcOffsetSeconds, rolloverHour), 'dayNumber');
  return int64(out[0]);
}

function dayStart(day, { utcOffsetSeconds = C.UTC_OFFSET_LOCAL, rolloverHour = 4 } = {}) {
  const out = [0];
  checkPure(lib.alliance_day_start(out, day, utcOffsetSeconds, rolloverHour), 'dayStart');
  return int64(out[0]);
}

function clozeRender(clozeText, ordinal, reveal = false) {
  const out = [null];
  checkPure(lib.alliance_cloze_render(out, text(clozeText, 'the cloze text'), ordinal, reveal ? 1 : 0),
            `cloze deletion ${ordinal}`);
  return takeString(out[0]);
}

function importOptions(format, deckName, dryRun) {
  const o = initialised(lib.alliance_import_options_init, C.IMPORT_OPTIONS_VERSION);
  o.format = format;
  o.deck_name = text(deckName, 'deckName') ?? null;
  o.dry_run = dryRun ? 1 : 0;
  return o;
}

/** Parses deck text without a collection: the report counts its cards under `added`. */
function checkDeck(data, { name = '<deck>', format = C.FORMAT_DECK } = {}) {
  const buf = bytes(data);
  const out = [null];
  const rc = lib.alliance_deck_check(text(name, 'name'), buf, buf.length, format, out);
  const rep = takeReport(out[0]);
  if (rc < 0) throw new AllianceError(rc, rep && rep.errors ? rep.errors.trim() : strerror(rc), { report: rep });
  return rep;
}

/** Lints deck text without a collection: advice for its author (alliance_deck_lint). With
 * sourcesDir, every quote is checked against the files the header's source: lines name. A
 * deck that does not parse throws EPARSE or ELIMIT with .report. */
function lintDeck(data, { name = '<deck>', format = C.FORMAT_DECK, sourcesDir = null, similarityMilli = 300 } = {}) {
  const buf = bytes(data);
  const options = initialised(lib.alliance_lint_options_init, C.LINT_OPTIONS_VERSION);
  options.format = format;
  options.sources_dir = text(sourcesDir, 'sourcesDir') ?? null;
  options.similarity_milli = similarityMilli;
  const out = [null];
  const rc = lib.alliance_deck_lint(text(name, 'name'), buf, buf.length, options, out);
  const rep = take(out[0], (p) => {
    const r = koffi.decode(p, 'alliance_lint_report');
    const pointers = r.warning_count ? koffi.decode(r.warnings, 'void *', r.warning_count) : [];
    return Object.freeze({ noteCount: r.note_count,
      warnings: Object.freeze(pointers.map((w) => fromC(koffi.decode(w, 'alliance_lint_warning')))),
      text: r.text, errorCount: r.error_count, errors: r.errors });
  });
  if (rc < 0) throw new AllianceError(rc, rep && rep.errors ? rep.errors.trim() : strerror(rc), { report: rep });
  return rep;
}

// ---- handles: collections, sessions, iterators ----

const HANDLE = Symbol('handle');
const CALL = Symbol('call');
const finalizer = new FinalizationRegistry(({ ptr, free }) => free(ptr));

/** Owns one C handle: closed once, by close(), `using`, or garbage collection. */
class Owned {
  constructor(ptr, free) {
    this._ptr = ptr;
    this._free = free;
    finalizer.register(this, { ptr, free }, this);
  }

  get closed() {
    return !this._ptr;
  }

  close() {
    const ptr = this._ptr;
    if (!ptr) return;
    this._ptr = null;
    finalizer.unregister(this);
    this._free(ptr);
  }

  [DISPOSE]() {
    this.close();
  }

  [HANDLE]() {
    if (!this._ptr) throw new AllianceError(C.EMISUSE, `${this.constructor.name} is closed`);
    return this._ptr;
  }
}

const defaultClock = () => Math.floor(Date.now() / 1000);

class Collection extends Owned {
  /** Opens (and by default creates) the collection at `path` (':memory:' for a private one). */
  constructor(path, { create = true, readonly = false, synchronous = C.SYNC_FULL, busyTimeoutMs = 5000,
    utcOffsetSeconds = C.UTC_OFFSET_LOCAL, clock = defaultClock } = {}) {
    const opts = initialised(lib.alliance_open_options_init, C.OPEN_OPTIONS_VERSION);
    opts.flags = (create ? C.OPEN_CREATE : 0) | (readonly ? C.OPEN_READONLY : 0);
    opts.synchronous = synchronous;
    opts.busy_timeout_ms = busyTimeoutMs;
    opts.utc_offset_seconds = utcOffsetSeconds;
    const out = [null];
    const rc = lib.alliance_open(out, text(path, 'path'), opts);
    if (rc !== C.OK) {
      // As sqlite3_open_v2: the handle carries the message and is closed all the same.
      const message = out[0] ? lib.alliance_errmsg(out[0]) : strerror(rc);
      lib.alliance_close(out[0]);
      throw new AllianceError(rc, message);
    }
    super(out[0], lib.alliance_close);
    this.path = path;
    this.clock = clock;
  }

  /** Runs a C function on this collection; a negative result throws with the handle's message. */
  [CALL](fn, ...args) {
    const rc = fn(...args);
    if (rc < 0) throw new AllianceError(rc, lib.alliance_errmsg(this._ptr));
    return rc;
  }

  _now(now) {
    return seconds(now === undefined || now === null ? this.clock() : now);
  }

  get errmsg() {
    return lib.alliance_errmsg(this[HANDLE]());
  }

  get errcode() {
    return lib.alliance_errcode(this[HANDLE]());
  }

  // -- settings --

  today(now) {
    const out = [0];
    this[CALL](lib.alliance_today, this[HANDLE](), this._now(now), out);
    return int64(out[0]);
  }

  setUtcOffset(utcOffsetSeconds) {
    this[CALL](lib.alliance_set_utc_offset, this[HANDLE](), utcOffsetSeconds);
  }

  /** The UTC offset this handle counts days with: the open option, else the one stored in the
   *  file (setUtcOffset stores it; never synced), else UTC_OFFSET_LOCAL (the process time zone). */
  utcOffset() {
    const out = [0];
    this[CALL](lib.alliance_utc_offset_get, this[HANDLE](), out);
    return out[0];
  }

  get config() {
    const c = initialised(lib.alliance_config_init, C.CONFIG_VERSION);
    this[CALL](lib.alliance_config_get, this[HANDLE](), c);
    return Object.freeze({ ...fromC(c), leechSuspend: Boolean(c.leech_suspend) });
  }

  set config(value) {
    const c = toC('alliance_config', { ...this.config, ...value },
                  initialised(lib.alliance_config_init, C.CONFIG_VERSION));
    c.leech_suspend = c.leech_suspend ? 1 : 0;
    this[CALL](lib.alliance_config_set, this[HANDLE](), c);
  }

  get sm2Params() {
    const p = initialised((o, v) => lib.alliance_sm2_params_init_v2(o, v, C.SM2_SUPERMEMO), C.SM2_PARAMS_VERSION);
    this[CALL](lib.alliance_sm2_params_get, this[HANDLE](), p);
    return fromC(p);
  }

  set sm2Params(params) {
    this[CALL](lib.alliance_sm2_params_set, this[HANDLE](), paramsToC(params));
  }

  // -- the scheduler (docs/fsrs.md, "FSRS in a collection") --

  /** constants.SCHEDULER_SM2 or constants.SCHEDULER_FSRS. */
  get scheduler() {
    const out = [0];
    this[CALL](lib.alliance_scheduler_get, this[HANDLE](), out);
    return out[0];
  }

  /** Switches the collection's scheduler, replaying every card's log under it in one
   * transaction; returns the report ({scheduler, cards, reviews, dueEarlier, dueLater, dueToday}). */
  setScheduler(scheduler, now) {
    const out = [null];
    this[CALL](lib.alliance_scheduler_set, this[HANDLE](), scheduler, this._now(now), out);
    return fromC(takeStruct(out[0], 'alliance_scheduler_report'));
  }

  /** The collection's FSRS parameters. */
  get fsrsParams() {
    const p = initialised(lib.alliance_fsrs_params_init, C.FSRS_PARAMS_VERSION);
    this[CALL](lib.alliance_fsrs_params_get, this[HANDLE](), p);
    return fromC(p);
  }

  /** Sets the FSRS parameters (e.g. fitted weights); under FSRS every card is replayed. */
  setFsrsParams(params, now) {
    const out = [null];
    this[CALL](lib.alliance_fsrs_params_set, this[HANDLE](), fsrsParamsToC(params), this._now(now), out);
    return fromC(takeStruct(out[0], 'alliance_scheduler_report'));
  }

  // -- decks and cards --

  /** The id of the deck called `name` (created if `create` and missing). */
  deckId(name, { create = false } = {}) {
    const out = [0];
    this[CALL](lib.alliance_deck_id, this[HANDLE](), text(name, 'name'), create ? 1 : 0, out);
    return int64(out[0]);
  }

  deckName(deckId) {
    const out = [null];
    this[CALL](lib.alliance_deck_name, this[HANDLE](), deckId, out);
    return takeString(out[0]);
  }

  deckSourceTitle(deckId, sourceFile) {
    const out = [null];
    this[CALL](lib.alliance_deck_source_title, this[HANDLE](), deckId, text(sourceFile, 'sourceFile'), out);
    return takeString(out[0]);
  }

  /** The decks with their card counts at `now`, oldest first: an iterator of DeckInfo. */
  decks({ now } = {}) {
    return new DeckIterator(this, this._now(now));
  }

  /** Renames a deck (an id or a name): its cards, history and id stay. EEXISTS if the name is taken. */
  renameDeck(deck, newName) {
    const deckId = typeof deck === 'string' ? this.deckId(deck) : deck;
    this[CALL](lib.alliance_deck_rename, this[HANDLE](), deckId, text(newName, 'newName'));
  }

  /** Deletes a deck (an id or a name); one with cards only with `withCards`, which deletes its
   *  cards and their review history too, in one transaction (EINVAL otherwise). */
  deleteDeck(deck, { withCards = false } = {}) {
    const deckId = typeof deck === 'string' ? this.deckId(deck) : deck;
    this[CALL](lib.alliance_deck_delete, this[HANDLE](), deckId, withCards ? C.DECK_DELETE_CARDS : 0);
  }

  /** Adds a note's cards to a deck (an id, or a name created if missing); returns the deck id. */
  addNote(deck, note, { now } = {}) {
    const deckId = typeof deck === 'string' ? this.deckId(deck, { create: true }) : deck;
    const n = initialised(lib.alliance_note_init, C.NOTE_VERSION);
    const wrong = Array.isArray(note.wrong) ? note.wrong.join('\n') : note.wrong;
    Object.assign(n, {
      type: note.type ?? C.CARD_BASIC,
      id: text(note.id, 'note.id'), front: text(note.front, 'note.front'), back: text(note.back, 'note.back') ?? null,
      wrong: text(wrong, 'note.wrong') ?? null, tags: text(note.tags, 'note.tags') ?? null,
      source_file: text(note.sourceFile, 'note.sourceFile') ?? null,
      source_quote: text(note.sourceQuote, 'note.sourceQuote') ?? null,
    });
    this[CALL](lib.alliance_note_add, this[HANDLE](), deckId, n, this._now(now));
    return deckId;
  }

  /** Updates the note `note.id` with the rules of a re-import (alliance_note_update): an edited
   *  text keeps each card's history, a card the note gains is new, one it loses is suspended out
   *  of the deck file. Throws ENOTFOUND if there is no such note. */
  updateNote(note, { now } = {}) {
    const n = initialised(lib.alliance_note_init, C.NOTE_VERSION);
    const wrong = Array.isArray(note.wrong) ? note.wrong.join('\n') : note.wrong;
    Object.assign(n, {
      type: note.type ?? C.CARD_BASIC,
      id: text(note.id, 'note.id'), front: text(note.front, 'note.front'), back: text(note.back, 'note.back') ?? null,
      wrong: text(wrong, 'note.wrong') ?? null, tags: text(note.tags, 'note.tags') ?? null,
      source_file: text(note.sourceFile, 'note.sourceFile') ?? null,
      source_quote: text(note.sourceQuote, 'note.sourceQuote') ?? null,
    });
    this[CALL](lib.alliance_note_update, this[HANDLE](), n, this._now(now));
  }

  /** Deletes a note: its cards and their review history, in one transaction, synced; with
   *  `keepHistory` its cards are suspended out of the deck file instead (alliance_note_delete). */
  deleteNote(noteId, { keepHistory = false } = {}) {
    this[CALL](lib.alliance_note_delete, this[HANDLE](), text(noteId, 'noteId'),
      keepHistory ? C.NOTE_DELETE_KEEP_HISTORY : 0);
  }

  /** A copy of one card; throws ENOTFOUND if there is none. It carries its FSRS
   * retrievability for the day of `now` (default: the collection's clock). */
  card(cardId, { now } = {}) {
    const out = [null];
    this[CALL](lib.alliance_card_get_at, this[HANDLE](), text(cardId, 'cardId'), this._now(now), out);
    return new Card(takeStruct(out[0], 'alliance_card'));
  }

  suspend(card, suspended = true, { now } = {}) {
    this[CALL](lib.alliance_card_suspend, this[HANDLE](), cardId(card), suspended ? 1 : 0, this._now(now));
  }

  unsuspend(card, { now } = {}) {
    this.suspend(card, false, { now });
  }

  /** Hides a card from sessions until tomorrow. */
  bury(card, { now } = {}) {
    this[CALL](lib.alliance_card_bury, this[HANDLE](), cardId(card), this._now(now));
  }

  /** The cards of a deck (0: all) containing `text` (all when empty): an iterator of Card. */
  cards({ deckId = 0, text: search = null } = {}) {
    return new CardIterator(this, deckId, text(search, 'text'));
  }

  // -- answering, undo, the review log --

  /** Answers a due card (0..5); returns its new SM-2 state. */
  answer(card, grade, { now, answerMs = 0 } = {}) {
    const out = {};
    this[CALL](lib.alliance_answer, this[HANDLE](), cardId(card), grade, this._now(now), answerMs, out);
    return fromC(out);
  }

  /** Undoes the most recent answer; returns the card id (throws ENOUNDO when there is none). */
  undo() {
    const out = [null];
    this[CALL](lib.alliance_undo, this[HANDLE](), out);
    return takeString(out[0]);
  }

  /** The review log of one card (or of all), oldest first: an iterator of reviews. */
  reviews({ cardId: id = null } = {}) {
    return new ReviewIterator(this, id === null ? null : cardId(id));
  }

  /** { state, dueDay } rebuilt from the card's review log, without writing. */
  replay(card) {
    const state = {};
    const due = [0];
    this[CALL](lib.alliance_replay, this[HANDLE](), cardId(card), state, due);
    return Object.freeze({ state: fromC(state), dueDay: int64(due[0]) });
  }

  /** The number of cards whose stored state differs from the replay of their log. */
  verify() {
    const out = [0];
    this[CALL](lib.alliance_verify, this[HANDLE](), out);
    return int64(out[0]);
  }

  /** SQLite's integrity_check and foreign_key_check of the file: [] if it is
   * sound, else the problems SQLite found (at most 100), one string each. */
  integrityCheck() {
    const out = [null];
    const rc = lib.alliance_integrity_check(this[HANDLE](), out);
    const report = takeString(out[0]);
    if (rc === C.ECORRUPT)
      return (report ?? lib.alliance_errmsg(this._ptr)).split('\n').filter((line) => line !== '');
    if (rc < 0) throw new AllianceError(rc, lib.alliance_errmsg(this._ptr));
    return [];
  }

  // -- sessions and statistics --

  /** Today's study session over a deck (0: every deck). */
  session({ deckId = 0, now } = {}) {
    return new Session(this, deckId, this._now(now));
  }

  stats({ deckId = 0, now, windowDays = 30 } = {}) {
    const s = initialised(lib.alliance_stats_init, C.STATS_VERSION);
    this[CALL](lib.alliance_stats_get, this[HANDLE](), deckId, this._now(now), windowDays, s);
    return fromC(s);
  }

  /** [cards due today (overdue included), tomorrow, ...] for `days` days (1..3650). */
  forecast({ deckId = 0, days = 7, now } = {}) {
    // The array is made only for a count the library accepts (1..3650); any other `days` is
    // passed as it is, for capi (not an integer of the type) or the library (out of range) to refuse.
    const counts = new Uint32Array(Number.isInteger(days) && days >= 1 && days <= 3650 ? days : 1);
    if (lib.alliance_forecast_v2.missing) // a 0.1.0 library
      this[CALL](lib.alliance_forecast, this[HANDLE](), deckId, this._now(now), counts, days);
    else
      this[CALL](lib.alliance_forecast_v2, this[HANDLE](), deckId, this._now(now), counts, days);
    return Array.from(counts.subarray(0, days));
  }

  /** Answers per day: [today, yesterday, ...] for `days` days (1..3650; 366: the last year). */
  reviewHistory({ deckId = 0, days = 366, now } = {}) {
    // As forecast(): the array is made only for a count the library accepts (1..3650); any other
    // `days` is passed as it is, for capi (not a uint32) or the library (out of range) to refuse.
    const counts = new Uint32Array(Number.isInteger(days) && days >= 1 && days <= 3650 ? days : 1);
    this[CALL](lib.alliance_review_history, this[HANDLE](), deckId, this._now(now), counts, days);
    return Array.from(counts.subarray(0, days));
  }

  // -- deck files --

  _import(rc, out) {
    const rep = takeReport(out[0]);
    if (rc < 0) throw new AllianceError(rc, lib.alliance_errmsg(this._ptr), { report: rep });
    return rep;
  }

  /** Imports a deck file in one transaction; returns the report. A malformed file throws
   * EPARSE with .report listing FILE:LINE:COLUMN errors. */
  importDeck(path, { format = C.FORMAT_DECK, deckName = null, dryRun = false, now } = {}) {
    const out = [null];
    const rc = lib.alliance_deck_import(this[HANDLE](), text(path, 'path'), importOptions(format, deckName, dryRun),
                                        this._now(now), out);
    return this._import(rc, out);
  }

  /** importDeck() for deck text (a string or bytes); `name` is used in messages. */
  importDeckData(data, { name = '<deck>', format = C.FORMAT_DECK, deckName = null, dryRun = false, now } = {}) {
    const buf = bytes(data);
    const out = [null];
    const rc = lib.alliance_deck_import_buffer(this[HANDLE](), text(name, 'name'), buf, buf.length,
                                               importOptions(format, deckName, dryRun), this._now(now), out);
    return this._import(rc, out);
  }

  /** Exports a deck: returns its text as a Buffer, or with `write` hands it over piece by
   * piece (write(Buffer)) and returns undefined. `write` must not call this collection;
   * an exception it throws stops the export and is rethrown. */
  exportDeck(deckId, { format = C.FORMAT_DECK, write = null } = {}) {
    return this._export(write, (callback) => lib.alliance_deck_export(this[HANDLE](), deckId, format, callback, null));
  }

  /** The review log of a deck (0: every deck) as the CSV the FSRS optimizer reads
   * (card_id,review_time,review_rating,review_state,review_duration; docs/fsrs.md): a Buffer,
   * or with `write` piece by piece. One read snapshot; `write` has exportDeck()'s rules. */
  exportFsrsCsv(deckId = 0, { write = null } = {}) {
    return this._export(write, (callback) => lib.alliance_review_export_fsrs(this[HANDLE](), deckId, callback, null));
  }

  _export(write, run) {
    const chunks = [];
    let failure = null;
    const callback = (opaque, data, len) => {
      try {
        const piece = Buffer.from(new Uint8Array(koffi.view(data, Number(len)))); // a copy
        if (write) write(piece);
        else chunks.push(piece);
        return 0;
      } catch (e) {
        failure = e;
        return 1;
      }
    };
    const rc = run(callback);
    if (failure) throw failure;
    if (rc < 0) throw new AllianceError(rc, lib.alliance_errmsg(this._ptr));
    return write ? undefined : Buffer.concat(chunks);
  }

  /** Exports a deck to a file, replaced atomically. */
  exportDeckFile(deckId, path, { format = C.FORMAT_DECK } = {}) {
    this[CALL](lib.alliance_deck_export_file, this[HANDLE](), deckId, format, text(path, 'path'));
  }

  /** Exports one deck, a deck and its subdecks (`subdecks`), or every deck (deckId 0) in any
   * format, an .apkg included (alliance_export): a Buffer, or pieces handed to `write`. */
  export(deckId, { format = C.FORMAT_DECK, subdecks = false, now, write = null } = {}) {
    return this._export(write, (callback) => lib.alliance_export(this[HANDLE](), deckId,
      exportOptions(format, subdecks), this._now(now), callback, null));
  }

  /** export() to a file, replaced atomically. */
  exportFile(deckId, path, { format = C.FORMAT_DECK, subdecks = false, now } = {}) {
    this[CALL](lib.alliance_export_file, this[HANDLE](), deckId, exportOptions(format, subdecks), this._now(now),
               text(path, 'path'));
  }
}

function cardId(card) {
  return text(card instanceof Card ? card.id : card, 'card id');
}

/** A C object opened from a collection: keeps the collection object alive. */
class Child extends Owned {
  constructor(collection, ptr, free) {
    super(ptr, free);
    this.collection = collection;
  }

  _call(fn, ...args) {
    const rc = fn(...args);
    if (rc < 0) {
      const db = this.collection._ptr;
      throw new AllianceError(rc, db ? lib.alliance_errmsg(db) : `the collection of this ${this.constructor.name} is closed`);
    }
    return rc;
  }
}

/** Today's study session (alliance_session). Iterating yields the next card until nothing is
 * left today; answer each card before asking for the next. */
class Session extends Child {
  constructor(collection, deckId, now, cramOptions = null) {
    const out = [null];
    if (cramOptions) // a cram session (lib/study.js, Collection#cram): alliance_cram_open's options
      collection[CALL](lib.alliance_cram_open, out, collection[HANDLE](), cramOptions, now);
    else
      collection[CALL](lib.alliance_session_open, out, collection[HANDLE](), deckId, now);
    super(collection, out[0], lib.alliance_session_close);
  }

  counts({ now } = {}) {
    const c = initialised(lib.alliance_counts_init, C.COUNTS_VERSION);
    this._call(lib.alliance_session_counts, this[HANDLE](), this.collection._now(now), c);
    const v = fromC(c);
    return Object.freeze({ ...v, remaining: v.newCards + v.due + v.repeat });
  }

  /** The next card to show, or null when nothing is left today. */
  next({ now } = {}) {
    const out = [null];
    const rc = this._call(lib.alliance_session_next, this[HANDLE](), this.collection._now(now), out);
    return rc === C.DONE ? null : new Card(takeStruct(out[0], 'alliance_card'));
  }

  /** The next card (null when nothing is left today) and the counts, read from one snapshot
   * (alliance_session_next_with_counts): { card, counts }; the card returned is still counted. */
  nextWithCounts({ now } = {}) {
    const out = [null];
    const c = initialised(lib.alliance_counts_init, C.COUNTS_VERSION);
    const rc = this._call(lib.alliance_session_next_with_counts, this[HANDLE](), this.collection._now(now), out, c);
    const card = rc === C.DONE ? null : new Card(takeStruct(out[0], 'alliance_card'));
    const v = fromC(c);
    return Object.freeze({ card, counts: Object.freeze({ ...v, remaining: v.newCards + v.due + v.repeat }) });
  }

  * [Symbol.iterator]() {
    for (let card = this.next(); card !== null; card = this.next()) yield card;
  }

  /** Answers a card of this session (a Card or its id); returns the new SM-2 state. */
  answer(card, grade, { now, answerMs = 0 } = {}) {
    const out = {};
    this._call(lib.alliance_session_answer, this[HANDLE](), cardId(card), grade, this.collection._now(now),
               answerMs, out);
    return fromC(out);
  }

  /** Undoes the collection's last answer; the undone card is shown next. Returns its id. */
  undo() {
    const out = [null];
    this._call(lib.alliance_session_undo, this[HANDLE](), out);
    return takeString(out[0]);
  }
}

/** An iterator over a C iterator: next() returns { value, done }; breaking out of a
 * for...of closes it. */
class ChildIterator extends Child {
  [Symbol.iterator]() {
    return this;
  }

  next() {
    if (!this._ptr) return { value: undefined, done: true };
    const value = this._fetch();
    if (value === null) {
      this.close();
      return { value: undefined, done: true };
    }
    return { value, done: false };
  }

  return() {
    this.close();
    return { value: undefined, done: true };
  }
}

class CardIterator extends ChildIterator {
  constructor(collection, deckId, search) {
    const out = [null];
    collection[CALL](lib.alliance_card_search, out, collection[HANDLE](), deckId, search);
    super(collection, out[0], lib.alliance_card_iter_free);
  }

  _fetch() {
    const out = [null];
    const rc = this._call(lib.alliance_card_iter_next, this._ptr, out);
    return rc === C.DONE ? null : new Card(takeStruct(out[0], 'alliance_card'));
  }
}

class ReviewIterator extends ChildIterator {
  constructor(collection, id) {
    const out = [null];
    collection[CALL](lib.alliance_review_iter_open, out, collection[HANDLE](), id);
    super(collection, out[0], lib.alliance_review_iter_free);
  }

  _fetch() {
    const r = initialised(lib.alliance_review_init, C.REVIEW_VERSION);
    const rc = this._call(lib.alliance_review_iter_next, this._ptr, r);
    if (rc === C.DONE) return null;
    const review = fromC(r);
    // the parameters in force under FSRS; none under SM-2 (rows from before schema 5 say SM-2)
    return review.scheduler === C.SCHEDULER_FSRS ? review : Object.freeze({ ...review, fsrsParams: null });
  }
}

class DeckIterator extends ChildIterator {
  constructor(collection, now) {
    const out = [null];
    collection[CALL](lib.alliance_deck_iter_open, out, collection[HANDLE](), now);
    super(collection, out[0], lib.alliance_deck_iter_free);
  }

  _fetch() {
    const out = [null];
    const rc = this._call(lib.alliance_deck_iter_next, this._ptr, out);
    return rc === C.DONE ? null : fromC(takeStruct(out[0], 'alliance_deck_info'));
  }
}

// ---- sync and study modes: their methods live in their own files and join Collection here ----

const internals = { lib, C, koffi, AllianceError, HANDLE, CALL, Collection, Session, fromC, initialised, take,
  takeStruct, text, cardId, int64, bytes };
require('./sync').install(internals);
require('./study').install(internals);

// ---- the library must speak the ABI this binding mirrors (docs/abi.md, "Versions") ----

function libraryVersion() {
  return lib.alliance_version_string();
}

function libraryVersionNumber() {
  return lib.alliance_version_number();
}

if (Math.floor(libraryVersionNumber() / 1000000) !== C.VERSION_MAJOR) {
  throw new Error(`the liballiance binding mirrors liballiance ${capi.VERSION_STRING} but ${lib.path} is ` +
                  `version ${libraryVersion()} (another MAJOR version)`);
}

const codes = Object.freeze(Object.fromEntries(Object.entries(CODE_NAMES).map(([v, n]) => [n, Number(v)])));

module.exports = {
  version: capi.VERSION_STRING,
  constants: C,
  codes,
  AllianceError,
  Collection,
  Session,
  Card,
  CardIterator,
  ReviewIterator,
  DeckIterator,
  libraryVersion,
  libraryVersionNumber,
  strerror,
  sm2Params,
  checkSm2Params,
  sm2NewState,
  sm2Next,
  FSRS_NEW_STATE,
  fsrsParams,
  checkFsrsParams,
  fsrsNext,
  fsrsRetrievability,
  dayNumber,
  dayStart,
  clozeRender,
  renderCard,
  checkDeck,
  detectFormat,
  lintDeck,
  capi,
};
