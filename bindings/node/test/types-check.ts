// SPDX-License-Identifier: MIT
// Compiled (not run) by test/types.test.js with tsc --strict --noEmit: a typical program against
// index.d.ts. A declaration that does not fit the way the API is used fails the compile.
import * as alliance from '..';

const { constants: C } = alliance;

function studyToday(path: string): number {
  using coll = new alliance.Collection(path, { utcOffsetSeconds: 0, clock: () => 1767614400 });
  const report: alliance.ImportReport = coll.importDeck('deck.deck', { dryRun: false });
  for (const deck of coll.decks()) {
    const line: string = `${deck.name}: ${deck.total} cards, ${deck.dueToday} due`;
    void line;
  }
  let answered = 0;
  using session = coll.session({ deckId: report.deckId });
  for (const card of session) {
    const shown: alliance.RenderedCard = card.render({ seed: 0n });
    const first: string | undefined = shown.options[shown.correctOption];
    void first;
    const after: alliance.SM2State = session.answer(card, card.type === C.CARD_CHOICE ? 4 : 3, { answerMs: 900 });
    answered += after.repetitions;
  }
  const counts: alliance.Counts = session.counts();
  const days: number[] = coll.forecast({ deckId: report.deckId, days: 7 });
  const text: Buffer = coll.exportDeck(report.deckId);
  coll.exportDeck(report.deckId, { write: (chunk: Buffer) => void chunk.length });
  try {
    coll.card('missing');
  } catch (e) {
    if (e instanceof alliance.AllianceError && e.codeName === 'ENOTFOUND') answered += e.code;
  }
  return answered + counts.remaining + days.length + text.length;
}

function syncAndStudyModes(laptop: alliance.Collection): number {
  const { collection: phone, report } = alliance.Collection.clone(':memory:', laptop.syncChanges());
  const [mine, theirs]: [alliance.SyncReport, alliance.SyncReport] = laptop.syncWith(phone);
  const pieces: Buffer[] = [];
  phone.syncChanges(laptop.syncState(), { write: (chunk: Buffer) => void pieces.push(chunk) });
  const applied: alliance.SyncReport = laptop.syncApply(pieces, { force: false });
  const id: Buffer = phone.collectionId;
  const replica: number | bigint = phone.replicaId;
  phone.close();
  laptop.setExam('Deck', laptop.today() + 30, { finalDays: 5 });
  const exam: alliance.ExamStatus | null = laptop.exam('Deck');
  const due: number = laptop.cardDueDay('alpha');
  using cram = laptop.cram({ deckId: 'Deck', ahead: true, aheadDays: 3 });
  const card: alliance.Card | null = cram.next();
  laptop.studySettings = { fuzz: true };
  const settings: alliance.StudySettings = laptop.studySettings;
  return report.reviews + mine.conflicts + theirs.conflictLines.length + applied.bytes + id.length +
    Number(replica) + (exam ? exam.pace : 0) + due + (card ? 1 : 0) + (settings.burySiblings ? 1 : 0);
}

const state: alliance.SM2State = alliance.sm2Next(alliance.sm2NewState(), 5, alliance.sm2Params(C.SM2_CLASSIC));
const version: string = alliance.version;
void studyToday;
void syncAndStudyModes;
void state;
void version;
