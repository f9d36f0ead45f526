// SPDX-License-Identifier: MIT
// TypeScript declarations of liballiance for Node.js (lib/index.js). test/types.test.js compiles
// test/types-check.ts against this file with tsc --strict, and checks that every export of
// lib/index.js is declared here.

/** The binding's version: the version of include/alliance.h it mirrors ("MAJOR.MINOR.PATCH"). */
export const version: string;

/** The header's integer macros without the ALLIANCE_ prefix (EGRADE, CARD_CLOZE, FORMAT_DECK...). */
export const constants: Readonly<Record<string, number>>;
/** Error code names to codes: { EINVAL: -1, ENOMEM: -2, ... }. */
export const codes: Readonly<Record<string, number>>;

/** A failing call: the library's code and message ("what and where"). */
export class AllianceError extends Error {
  constructor(code: number, message?: string, extra?: object);
  readonly name: 'AllianceError';
  /** A negative ALLIANCE_E* code, pinned forever. */
  readonly code: number;
  /** Its name: 'EGRADE', 'ENOTFOUND', ... ('UNKNOWN' for a code this binding does not know). */
  readonly codeName: string;
  /** For a failed import or check (EPARSE, ELIMIT): what the library reported. */
  readonly report?: ImportReport | null;
}

export interface SM2State {
  readonly repetitions: number;
  readonly efactorMilli: number;
  readonly intervalDays: number;
  readonly repeatToday: number;
}

export interface SM2Params {
  readonly preset: number;
  readonly initialEfactorMilli: number;
  readonly minEfactorMilli: number;
  readonly firstIntervalDays: number;
  readonly secondIntervalDays: number;
  readonly maxIntervalDays: number;
}

export interface FSRSParams {
  /** FSRS-6 w0..w20. */
  readonly weights: readonly number[];
  readonly desiredRetention: number;
  readonly maxIntervalDays: number;
}

/** What switching the scheduler or setting the FSRS parameters did (alliance_scheduler_report). */
export interface SchedulerReport {
  readonly scheduler: number;
  readonly cards: number;
  readonly reviews: number;
  readonly dueEarlier: number;
  readonly dueLater: number;
  readonly dueToday: number;
}

export interface FSRSState {
  readonly stability: number;
  readonly difficulty: number;
  readonly intervalDays: number;
}

export interface Config {
  readonly newPerDay: number;
  readonly reviewsPerDay: number;
  readonly rolloverHour: number;
  readonly leechThreshold: number;
  readonly leechSuspend: boolean;
}

export interface Note {
  id: string;
  /** constants.CARD_BASIC (default), CARD_CLOZE or CARD_CHOICE. */
  type?: number;
  /** basic: front; cloze: the text with {{cN::deletions}}; choice: the question. */
  front: string;
  /** basic: back; cloze: extra; choice: the correct answer. */
  back?: string | null;
  /** choice: the wrong options. */
  wrong?: string | string[] | null;
  tags?: string | null;
  sourceFile?: string | null;
  sourceQuote?: string | null;
}

/** A card made ready to show (alliance_card_render). */
export interface RenderedCard {
  readonly type: number;
  readonly prompt: string;
  readonly answer: string;
  readonly extra: string;
  /** choice: the answer and every wrong option, shuffled; [] otherwise. */
  readonly options: readonly string[];
  /** choice: the index of the answer in options. */
  readonly correctOption: number;
}

export interface RenderOptions {
  /** The shuffle's seed (mixed with the card id); 0 is the order alliance-drill shows. */
  seed?: number | bigint;
  /** Options in the author's order, the answer first. */
  keepOrder?: boolean;
  /** Fields holding HTML (from Anki) shown as plain text. */
  htmlText?: boolean;
}

/** A copy of one card (alliance_card). */
export class Card {
  private constructor();
  readonly id: string;
  readonly noteId: string;
  readonly type: number;
  readonly ordinal: number;
  readonly deckId: number;
  readonly front: string;
  readonly back: string;
  readonly wrong: string;
  readonly tags: string;
  readonly sourceFile: string;
  readonly sourceQuote: string;
  readonly created: number;
  readonly modified: number;
  readonly suspended: boolean;
  readonly leech: boolean;
  readonly state: SM2State;
  readonly dueDay: number;
  readonly lastReviewDay: number;
  /** null when the card is not buried. */
  readonly buriedUntilDay: number | null;
  readonly reviews: number;
  readonly lapses: number;
  /** The FSRS track: all zeros while the collection is scheduled by SM-2. */
  readonly fsrs: FSRSState;
  /** 1 after an Again under FSRS: due again the same day. */
  readonly fsrsDrill: number;
  /** The day fsrsRetrievability is for; null for a card from a search (no time given). */
  readonly retrievabilityDay: number | null;
  /** The predicted recall on retrievabilityDay under FSRS; 0 under SM-2 and for a new card. */
  readonly fsrsRetrievability: number;
  readonly isNew: boolean;
  render(options?: RenderOptions): RenderedCard;
}

export interface DeckInfo {
  readonly id: number;
  readonly name: string;
  readonly description: string;
  readonly created: number;
  readonly modified: number;
  readonly total: number;
  readonly newCards: number;
  readonly learned: number;
  readonly dueToday: number;
  readonly suspended: number;
  readonly leeches: number;
}

export interface Review {
  readonly reviewId: number;
  readonly cardId: string;
  readonly time: number;
  readonly day: number;
  readonly grade: number;
  readonly before: SM2State;
  readonly after: SM2State;
  readonly elapsedDays: number;
  readonly answerMs: number;
  readonly params: SM2Params;
  /** The scheduler in force when it was answered (SCHEDULER_SM2 or SCHEDULER_FSRS). */
  readonly scheduler: number;
  /** Under FSRS the parameters in force; null under SM-2. */
  readonly fsrsParams: FSRSParams | null;
}

export interface Counts {
  readonly newCards: number;
  readonly due: number;
  readonly repeat: number;
  readonly answered: number;
  readonly remaining: number;
}

export interface Stats {
  readonly total: number;
  readonly newCards: number;
  readonly learned: number;
  readonly dueToday: number;
  readonly suspended: number;
  readonly leeches: number;
  readonly windowDays: number;
  readonly reviews: number;
  readonly correct: number;
  /** Anki's true retention: reviews of cards that had an interval of a day or more, and passed ones. */
  readonly trueReviews: number;
  readonly truePassed: number;
  /** The same for cards whose interval was 21 days or more. */
  readonly matureReviews: number;
  readonly maturePassed: number;
  readonly timedAnswers: number;
  readonly averageAnswerMs: number;
}

export interface ImportDeck {
  readonly deckId: number;
  readonly deckName: string;
  readonly added: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly suspended: number;
}

export interface ImportReport {
  readonly deckId: number;
  readonly deckName: string;
  readonly added: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly suspended: number;
  readonly errorCount: number;
  readonly errors: string;
  /** The first errors, one "FILE:LINE:COLUMN: message" each. */
  readonly errorLines: readonly string[];
  readonly deckCount: number;
  /** Each deck of a file that names several (Anki text, .apkg). */
  readonly decks: readonly ImportDeck[];
  /** .apkg: the media files the package holds (not copied). */
  readonly media: number;
  /** What was read in a lossy way, one line each. */
  readonly notices: string;
  readonly noticeLines: readonly string[];
}

export interface OpenOptions {
  create?: boolean;
  readonly?: boolean;
  synchronous?: number;
  busyTimeoutMs?: number;
  utcOffsetSeconds?: number;
  /** Unix seconds; default Date.now() / 1000. */
  clock?: () => number;
}

export interface ImportOptions {
  format?: number;
  deckName?: string | null;
  dryRun?: boolean;
  now?: number;
}

/** What Collection#syncApply and Collection.clone received (alliance_sync_report). */
export interface SyncReport {
  /** The replica that wrote the changeset (a bigint beyond 2^53). */
  readonly senderReplica: number | bigint;
  /** The changeset's length in bytes. */
  readonly bytes: number;
  readonly reviews: number;
  readonly tombstones: number;
  readonly reviewsRemoved: number;
  readonly cards: number;
  readonly cardsAdded: number;
  readonly decks: number;
  readonly settings: number;
  readonly alreadyHeld: number;
  readonly cardsReplayed: number;
  readonly conflicts: number;
  readonly conflictsKeptLocal: number;
  readonly conflictsKeptRemote: number;
  /** The first conflicts, one line each; never null. */
  readonly conflictText: string;
  readonly conflictLines: readonly string[];
}

/** A changeset or a sync state handed in: bytes, or an iterable of pieces of them. */
export type SyncBytes = Uint8Array | ArrayBuffer | Iterable<Uint8Array>;

/** A deck's exam and its pace (alliance_exam_status); Collection#exam gives null without one. */
export interface ExamStatus {
  readonly examDay: number;
  readonly finalDays: number;
  readonly newCards: number;
  readonly readyByDay: number;
  readonly pace: number;
  readonly introducedToday: number;
}

/** Siblings apart and fuzz (alliance_study_settings). */
export interface StudySettings {
  readonly burySiblings: boolean;
  readonly fuzz: boolean;
}

export interface CramOptions {
  /** A deck id or name; 0: every deck. */
  deckId?: number | string;
  /** false: a preview (answers change no schedule); true: a review ahead (answers count). */
  ahead?: boolean;
  /** 0: any card not due today; N: learned cards due within the next N days. */
  aheadDays?: number;
  text?: string | null;
  now?: number;
}

/** Something that owns a C handle: close() it, or `using` it. */
interface Owned {
  readonly closed: boolean;
  close(): void;
  [Symbol.dispose](): void;
}

export class Collection implements Owned {
  constructor(path: string, options?: OpenOptions);
  readonly path: string;
  clock: () => number;
  readonly closed: boolean;
  close(): void;
  [Symbol.dispose](): void;
  readonly errmsg: string;
  readonly errcode: number;

  today(now?: number): number;
  setUtcOffset(utcOffsetSeconds: number): void;
  utcOffset(): number;
  config: Config;
  sm2Params: SM2Params;
  /** constants.SCHEDULER_SM2 or constants.SCHEDULER_FSRS. */
  readonly scheduler: number;
  setScheduler(scheduler: number, now?: number): SchedulerReport;
  readonly fsrsParams: FSRSParams;
  setFsrsParams(params: FSRSParams, now?: number): SchedulerReport;

  deckId(name: string, options?: { create?: boolean }): number;
  deckName(deckId: number): string;
  deckSourceTitle(deckId: number, sourceFile: string): string;
  decks(options?: { now?: number }): DeckIterator;
  /** Renames a deck (an id or a name); throws EEXISTS if another deck has newName. */
  renameDeck(deck: number | string, newName: string): void;
  /** Deletes a deck; one with cards only with withCards (its cards and their history go too). */
  deleteDeck(deck: number | string, options?: { withCards?: boolean }): void;
  addNote(deck: number | string, note: Note, options?: { now?: number }): number;
  updateNote(note: Note, options?: { now?: number }): void;
  deleteNote(noteId: string, options?: { keepHistory?: boolean }): void;
  card(cardId: string, options?: { now?: number }): Card;
  suspend(card: Card | string, suspended?: boolean, options?: { now?: number }): void;
  unsuspend(card: Card | string, options?: { now?: number }): void;
  bury(card: Card | string, options?: { now?: number }): void;
  cards(options?: { deckId?: number; text?: string | null }): CardIterator;

  answer(card: Card | string, grade: number, options?: { now?: number; answerMs?: number }): SM2State;
  undo(): string;
  reviews(options?: { cardId?: Card | string | null }): ReviewIterator;
  replay(card: Card | string): { readonly state: SM2State; readonly dueDay: number };
  verify(): number;
  integrityCheck(): string[];

  session(options?: { deckId?: number; now?: number }): Session;
  stats(options?: { deckId?: number; now?: number; windowDays?: number }): Stats;
  forecast(options?: { deckId?: number; days?: number; now?: number }): number[];
  /** Answers per day: [today, yesterday, ...]. */
  reviewHistory(options?: { deckId?: number; days?: number; now?: number }): number[];

  // study modes (docs/study-modes.md)
  /** An exam on day number examDay for a deck (an id or a name); finalDays 1..30 (0: 3). */
  setExam(deck: number | string, examDay: number, options?: { finalDays?: number }): void;
  clearExam(deck: number | string): void;
  /** The deck's exam and pace as of now, or null without one. */
  exam(deck: number | string, options?: { now?: number }): ExamStatus | null;
  /** The day a card is due as seen at now, the exam clamp applied. */
  cardDueDay(card: Card | string, options?: { now?: number }): number;
  /** A session over the cards not due today: a preview, or with ahead a review ahead. */
  cram(options?: CramOptions): Session;
  /** Set a part of them: { fuzz: true } keeps burySiblings. */
  get studySettings(): StudySettings;
  set studySettings(value: Partial<StudySettings>);

  importDeck(path: string, options?: ImportOptions): ImportReport;
  importDeckData(data: string | Uint8Array, options?: ImportOptions & { name?: string }): ImportReport;
  exportDeck(deckId: number, options?: { format?: number }): Buffer;
  exportDeck(deckId: number, options: { format?: number; write: (chunk: Buffer) => void }): undefined;
  exportDeckFile(deckId: number, path: string, options?: { format?: number }): void;
  /** One deck, a deck and its subdecks, or every deck (deckId 0), in any format (an .apkg too). */
  export(deckId: number, options?: { format?: number; subdecks?: boolean; now?: number }): Buffer;
  export(deckId: number, options: { format?: number; subdecks?: boolean; now?: number;
    write: (chunk: Buffer) => void }): undefined;
  exportFile(deckId: number, path: string, options?: { format?: number; subdecks?: boolean; now?: number }): void;
  /** The review log (of deckId, 0: every deck) as the CSV the FSRS optimizer reads. */
  exportFsrsCsv(deckId?: number): Buffer;
  exportFsrsCsv(deckId: number, options: { write: (chunk: Buffer) => void }): undefined;

  // sync (docs/sync.md)
  /** The 16-byte id every copy of the collection shares. */
  readonly collectionId: Buffer;
  /** This copy's id (a bigint beyond 2^53). */
  readonly replicaId: number | bigint;
  syncState(): Buffer;
  syncState(options: { write: (chunk: Buffer) => void }): undefined;
  /** The changeset a peer lacks, given its syncState() (null: everything, for clone). */
  syncChanges(peerState?: SyncBytes | null): Buffer;
  syncChanges(peerState: SyncBytes | null, options: { write: (chunk: Buffer) => void }): undefined;
  /** Applies a changeset in one transaction; EFOREIGN for another collection's unless force. */
  syncApply(changeset: SyncBytes, options?: { force?: boolean }): SyncReport;
  /** Both ways: [what this collection received, what other received]. */
  syncWith(other: Collection, options?: { force?: boolean }): [SyncReport, SyncReport];
  /** A new copy at path from a changeset of everything (syncChanges(null)). */
  static clone(path: string, changeset: SyncBytes, options?: OpenOptions): { collection: Collection; report: SyncReport };
}

export class Session implements Owned, Iterable<Card> {
  private constructor();
  readonly collection: Collection;
  readonly closed: boolean;
  close(): void;
  [Symbol.dispose](): void;
  counts(options?: { now?: number }): Counts;
  next(options?: { now?: number }): Card | null;
  /** next() and counts() from one snapshot; the card returned is still counted. */
  nextWithCounts(options?: { now?: number }): { readonly card: Card | null; readonly counts: Counts };
  [Symbol.iterator](): Iterator<Card>;
  answer(card: Card | string, grade: number, options?: { now?: number; answerMs?: number }): SM2State;
  undo(): string;
}

declare class ChildIterator<T> implements Owned, IterableIterator<T> {
  private constructor();
  readonly collection: Collection;
  readonly closed: boolean;
  close(): void;
  [Symbol.dispose](): void;
  next(): IteratorResult<T, undefined>;
  return(): IteratorResult<T, undefined>;
  [Symbol.iterator](): this;
}

export class CardIterator extends ChildIterator<Card> {}
export class ReviewIterator extends ChildIterator<Review> {}
export class DeckIterator extends ChildIterator<DeckInfo> {}

export function libraryVersion(): string;
export function libraryVersionNumber(): number;
export function strerror(code: number): string;
export function sm2Params(preset?: number): SM2Params;
export function checkSm2Params(params: SM2Params): void;
export function sm2NewState(params?: SM2Params): SM2State;
export function sm2Next(state: SM2State, grade: number, params?: SM2Params): SM2State;
/** A new card's FSRS state: all zeros. */
export const FSRS_NEW_STATE: FSRSState;
export function fsrsParams(): FSRSParams;
export function checkFsrsParams(params: FSRSParams): void;
/** One pure FSRS-6 step; rating is constants.FSRS_AGAIN..FSRS_EASY. */
export function fsrsNext(state: FSRSState | null, rating: number, elapsedDays?: number, params?: FSRSParams): FSRSState;
export function fsrsRetrievability(state: FSRSState, elapsedDays: number, params?: FSRSParams): number;
export function dayNumber(unixSeconds: number, options?: { utcOffsetSeconds?: number; rolloverHour?: number }): number;
export function dayStart(day: number, options?: { utcOffsetSeconds?: number; rolloverHour?: number }): number;
export function clozeRender(text: string, ordinal: number, reveal?: boolean): string;
export function renderCard(card: Card, options?: RenderOptions): RenderedCard;
export interface LintWarning {
  /** constants.LINT_* */
  readonly code: number;
  readonly name: string;
  readonly line: number;
  readonly column: number;
  readonly noteId: string;
  readonly otherId: string;
  /** "FILE:LINE:COLUMN: warning: what [name]" */
  readonly message: string;
}

export interface LintReport {
  readonly noteCount: number;
  readonly warnings: readonly LintWarning[];
  readonly text: string;
  readonly errorCount: number;
  readonly errors: string;
}

export function lintDeck(data: string | Uint8Array, options?: { name?: string; format?: number;
  sourcesDir?: string | null; similarityMilli?: number }): LintReport;
/** Which constants.FORMAT_* these bytes are, from their content. */
export function detectFormat(data: string | Uint8Array): number;
export function checkDeck(data: string | Uint8Array, options?: { name?: string; format?: number }): ImportReport;

/** The raw layer (lib/capi.js): the header's functions through koffi. */
export const capi: {
  readonly lib: { readonly path: string; readonly missing: readonly string[]; readonly [name: string]: unknown };
  readonly constants: Readonly<Record<string, number>>;
  readonly VERSION_STRING: string;
  readonly SONAME: string;
  readonly PROTOTYPES: readonly string[];
  libraryCandidates(): string[];
  readonly [name: string]: unknown;
};
