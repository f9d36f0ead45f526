// SPDX-License-Identifier: MIT
'use strict';
/*
 * Study modes (docs/study-modes.md) for the Node binding: the methods lib/index.js adds to
 * Collection.
 *
 *   setExam(deck, examDay, { finalDays })  an exam date for a deck: new cards are paced to it
 *   clearExam(deck)                        removes it
 *   exam(deck, { now })                    its status (ExamStatus), or null without one
 *   cardDueDay(card, { now })              the day a card is due, the exam clamp applied
 *   cram({ deckId, ahead, aheadDays, text, now })  a Session over cards not due today:
 *                                          a preview (answers change no schedule) or a review ahead
 *   studySettings                          { burySiblings, fuzz } (get; set a part of it)
 *
 * A deck is its id or its name (which must exist).
 */

function install({ lib, C, AllianceError, HANDLE, CALL, Collection, Session, fromC, initialised, text, cardId,
  int64 }) {
  /** A deck id from an id or a name. */
  function deckOf(coll, deck) {
    return typeof deck === 'string' ? coll.deckId(deck) : deck;
  }

  /** A boolean as 0/1; anything else goes on for capi (not a uint32) or the library (not 0/1) to refuse. */
  const flag = (value) => (typeof value === 'boolean' ? (value ? 1 : 0) : value);

  function studySettingsOf(coll) {
    const s = initialised(lib.alliance_study_settings_init, C.STUDY_SETTINGS_VERSION);
    coll[CALL](lib.alliance_study_settings_get, coll[HANDLE](), s);
    return Object.freeze({ burySiblings: Boolean(s.bury_siblings), fuzz: Boolean(s.fuzz) });
  }

  const methods = {
    /** Gives a deck an exam on day number `examDay` (see today(), dayNumber()) with a final
     * window of `finalDays` days (1..30; 0: the default, 3). Replaces an exam the deck had. */
    setExam(deck, examDay, { finalDays = 0 } = {}) {
      this[CALL](lib.alliance_exam_set, this[HANDLE](), deckOf(this, deck), examDay, finalDays);
    },

    /** Removes a deck's exam (nothing to remove is fine). */
    clearExam(deck) {
      this[CALL](lib.alliance_exam_clear, this[HANDLE](), deckOf(this, deck));
    },

    /** A deck's exam and pace as of `now`: { examDay, finalDays, newCards, readyByDay, pace,
     * introducedToday }, or null for a deck without one. */
    exam(deck, { now } = {}) {
      const s = initialised(lib.alliance_exam_status_init, C.EXAM_STATUS_VERSION);
      this[CALL](lib.alliance_exam_get, this[HANDLE](), deckOf(this, deck), this._now(now), s);
      if (!s.has_exam) return null;
      const { hasExam, ...status } = fromC(s); // eslint-disable-line no-unused-vars
      return Object.freeze(status);
    },

    /** The day number a card is due as seen at `now`: its SM-2 due day with its deck's exam
     * clamp applied; today for a new card. */
    cardDueDay(card, { now } = {}) {
      const out = [0];
      this[CALL](lib.alliance_card_due_day, this[HANDLE](), cardId(card), this._now(now), out);
      return int64(out[0]);
    },

    /** A cram session (alliance_cram_open) over the cards that are not due today: a preview
     * (answers are logged as previews and change no schedule; new cards come after the
     * learned ones) or, with `ahead`, a review ahead (learned cards only; answers count,
     * scored on the real elapsed days). `aheadDays` > 0 keeps the cards due within that many
     * days; `text` filters as cards({ text }) does. Use it as a Session. */
    cram({ deckId = 0, ahead = false, aheadDays = 0, text: search = null, now } = {}) {
      const o = initialised(lib.alliance_cram_options_init, C.CRAM_OPTIONS_VERSION);
      o.kind = ahead ? C.CRAM_AHEAD : C.CRAM_PREVIEW;
      o.deck_id = deckOf(this, deckId);
      o.text = text(search, 'text') ?? null;
      o.ahead_days = aheadDays;
      return new Session(this, o.deck_id, this._now(now), o);
    },

    /** The study settings: { burySiblings, fuzz } (booleans). */
    get studySettings() {
      return studySettingsOf(this);
    },

    /** Changes some of them ({ fuzz: true } keeps burySiblings) in one transaction; each must
     * be a boolean (or 0/1): anything else throws EINVAL and changes nothing. */
    set studySettings(value) {
      if (value === null || typeof value !== 'object')
        throw new AllianceError(C.EINVAL, 'studySettings takes an object { burySiblings, fuzz }');
      const old = studySettingsOf(this);
      const s = initialised(lib.alliance_study_settings_init, C.STUDY_SETTINGS_VERSION);
      s.bury_siblings = flag(value.burySiblings === undefined ? old.burySiblings : value.burySiblings);
      s.fuzz = flag(value.fuzz === undefined ? old.fuzz : value.fuzz);
      this[CALL](lib.alliance_study_settings_set, this[HANDLE](), s);
    },
  };
  for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(methods)))
    Object.defineProperty(Collection.prototype, name, { ...descriptor, enumerable: false });
}

module.exports = { install };
