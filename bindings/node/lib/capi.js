// SPDX-License-Identifier: MIT
'use strict';
/*
 * The thin layer: include/alliance.h mirrored in koffi, one to one.
 *
 * PROTOTYPES holds every ALLIANCE_API function as the header declares it, with
 * koffi's direction markers (_Out_, _Inout_) and one substitution: an out-parameter
 * through which the library hands out memory to be freed with alliance_free (a
 * string, a card, a report...) is written `_Out_ void **`, so that the binding
 * keeps the pointer, copies what it points to and frees it. test/capi.test.js
 * checks every prototype against the header with exactly these rules, every
 * struct's fields against the header and their offsets against the C compiler.
 * Adding a function to the binding is one line here (copied from the header) and
 * a method in index.js.
 *
 * The library is found, in this order (libraryCandidates()):
 *   1. ALLIANCE_LIBRARY, if set: only that one, never silently another;
 *   2. the library in pkg-config's libdir for `alliance`, if pkg-config finds it;
 *   3. the dynamic loader's own search for liballiance.so.MAJOR (LD_LIBRARY_PATH,
 *      the ld.so cache, the system directories).
 */

const childProcess = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const koffi = require('koffi');

// ---- constants: the header's integer macros without ALLIANCE_ (test/capi.test.js compares) ----

const VERSION_MAJOR = 0;
const VERSION_MINOR = 1;
const VERSION_PATCH = 0;

const constants = Object.freeze({
  VERSION_MAJOR,
  VERSION_MINOR,
  VERSION_PATCH,
  VERSION_NUMBER: VERSION_MAJOR * 1000000 + VERSION_MINOR * 1000 + VERSION_PATCH,
  OK: 0,
  DONE: 1,
  EINVAL: -1,
  ENOMEM: -2,
  EVERSION: -3,
  EGRADE: -4,
  ESTATE: -5,
  ENOTFOUND: -6,
  ENOTDUE: -7,
  EEXISTS: -8,
  ENOUNDO: -9,
  EPARSE: -10,
  ELIMIT: -11,
  EIO: -12,
  EFULL: -13,
  EREADONLY: -14,
  EBUSY: -15,
  ECORRUPT: -16,
  ENOTCOLLECTION: -17,
  ENEWER: -18,
  EMISUSE: -19,
  EDB: -20,
  EFOREIGN: -21,
  ALLOCATOR_VERSION: 1,
  SM2_SUPERMEMO: 0,
  SM2_CLASSIC: 1,
  SM2_PARAMS_VERSION: 1,
  FSRS_AGAIN: 1,
  FSRS_HARD: 2,
  FSRS_GOOD: 3,
  FSRS_EASY: 4,
  FSRS_PARAMS_VERSION: 1,
  SCHEDULER_SM2: 0,
  SCHEDULER_FSRS: 1,
  UTC_OFFSET_LOCAL: -2147483648,
  OPEN_CREATE: 0x1,
  OPEN_READONLY: 0x2,
  SYNC_NORMAL: 1,
  SYNC_FULL: 2,
  OPEN_OPTIONS_VERSION: 1,
  CONFIG_VERSION: 1,
  DECK_DELETE_CARDS: 0x1,
  NOTE_DELETE_KEEP_HISTORY: 0x1,
  CARD_BASIC: 1,
  CARD_CLOZE: 2,
  CARD_CHOICE: 3,
  NOTE_VERSION: 1,
  RENDER_OPTIONS_VERSION: 1,
  RENDER_KEEP_ORDER: 0x1,
  RENDER_HTML_TEXT: 0x2,
  RENDER_HTML_SGR: 0x4,
  REVIEW_VERSION: 4,
  COUNTS_VERSION: 1,
  STATS_VERSION: 2,
  EXAM_STATUS_VERSION: 1,
  CRAM_PREVIEW: 1,
  CRAM_AHEAD: 2,
  CRAM_OPTIONS_VERSION: 1,
  STUDY_SETTINGS_VERSION: 1,
  FORMAT_DECK: 1,
  FORMAT_ANKI_TEXT: 2,
  FORMAT_APKG: 3,
  IMPORT_OPTIONS_VERSION: 1,
  EXPORT_SUBDECKS: 0x1,
  EXPORT_OPTIONS_VERSION: 1,
  LINT_NEAR_DUPLICATE: 1,
  LINT_BLANK_IS_ANSWER: 2,
  LINT_FEW_WRONG: 3,
  LINT_SAME_OPTION: 4,
  LINT_UNNAMED_ARTICLE: 5,
  LINT_QUOTE_NOT_FOUND: 6,
  LINT_SOURCE_UNREADABLE: 7,
  LINT_INCOMPLETE: 8,
  LINT_OPTIONS_VERSION: 1,
  SYNC_OPTIONS_VERSION: 1,
});
const VERSION_STRING = '0.1.0';

// ---- types: the header's structs, field for field, in order ----

const OPAQUE = ['alliance_db', 'alliance_session', 'alliance_card_iter', 'alliance_review_iter', 'alliance_deck_iter'];

// The callbacks (types the header declares as pointers to functions). A callback's
// `const char *data` with an explicit length is `const void *data` here: it is not
// NUL-terminated, so it must not be decoded as a string.
const CALLBACKS = {
  alliance_write_fn: 'int alliance_write_fn(void *opaque, const void *data, size_t len)',
  alliance_read_fn: 'int alliance_read_fn(void *opaque, void *buf, size_t cap, size_t *out_len)',
  alliance_malloc_fn: 'void *alliance_malloc_fn(void *opaque, size_t size)',
  alliance_realloc_fn: 'void *alliance_realloc_fn(void *opaque, void *ptr, size_t size)',
  alliance_free_fn: 'void alliance_free_fn(void *opaque, void *ptr)',
};

// [name, fields]; a field is [name, C type as the header writes it]. The allocator's
// function pointers are the callback types above (the header writes them inline).
const STRUCTS = [
  ['alliance_allocator', [['version', 'uint32_t'], ['malloc_fn', 'alliance_malloc_fn'],
    ['realloc_fn', 'alliance_realloc_fn'], ['free_fn', 'alliance_free_fn'], ['opaque', 'void *']]],
  ['alliance_sm2_state', [['repetitions', 'uint32_t'], ['efactor_milli', 'uint32_t'], ['interval_days', 'uint32_t'],
    ['repeat_today', 'uint32_t']]],
  ['alliance_sm2_params', [['version', 'uint32_t'], ['preset', 'uint32_t'], ['initial_efactor_milli', 'uint32_t'],
    ['min_efactor_milli', 'uint32_t'], ['first_interval_days', 'uint32_t'], ['second_interval_days', 'uint32_t'],
    ['max_interval_days', 'uint32_t']]],
  ['alliance_fsrs_params', [['version', 'uint32_t'], ['weights', 'double[21]'], ['desired_retention', 'double'],
    ['max_interval_days', 'uint32_t']]],
  ['alliance_fsrs_state', [['stability', 'double'], ['difficulty', 'double'], ['interval_days', 'uint32_t']]],
  ['alliance_open_options', [['version', 'uint32_t'], ['flags', 'uint32_t'], ['synchronous', 'uint32_t'],
    ['busy_timeout_ms', 'uint32_t'], ['utc_offset_seconds', 'int32_t']]],
  ['alliance_config', [['version', 'uint32_t'], ['new_per_day', 'uint32_t'], ['reviews_per_day', 'uint32_t'],
    ['rollover_hour', 'uint32_t'], ['leech_threshold', 'uint32_t'], ['leech_suspend', 'uint32_t']]],
  ['alliance_deck_info', [['version', 'uint32_t'], ['id', 'int64_t'], ['name', 'const char *'],
    ['description', 'const char *'], ['created', 'int64_t'], ['modified', 'int64_t'], ['total', 'uint32_t'],
    ['new_cards', 'uint32_t'], ['learned', 'uint32_t'], ['due_today', 'uint32_t'], ['suspended', 'uint32_t'],
    ['leeches', 'uint32_t']]],
  ['alliance_note', [['version', 'uint32_t'], ['type', 'uint32_t'], ['id', 'const char *'], ['front', 'const char *'],
    ['back', 'const char *'], ['wrong', 'const char *'], ['tags', 'const char *'], ['source_file', 'const char *'],
    ['source_quote', 'const char *']]],
  ['alliance_card', [['version', 'uint32_t'], ['type', 'uint32_t'], ['id', 'const char *'], ['note_id', 'const char *'],
    ['ordinal', 'uint32_t'], ['deck_id', 'int64_t'], ['front', 'const char *'], ['back', 'const char *'],
    ['wrong', 'const char *'], ['tags', 'const char *'], ['source_file', 'const char *'],
    ['source_quote', 'const char *'], ['created', 'int64_t'], ['modified', 'int64_t'], ['suspended', 'uint32_t'],
    ['leech', 'uint32_t'], ['state', 'alliance_sm2_state'], ['due_day', 'int64_t'], ['last_review_day', 'int64_t'],
    ['buried_until_day', 'int64_t'], ['reviews', 'uint32_t'], ['lapses', 'uint32_t'],
    ['fsrs', 'alliance_fsrs_state'], ['fsrs_drill', 'uint32_t'], ['retrievability_day', 'int64_t'],
    ['fsrs_retrievability', 'double']]],
  ['alliance_render_options', [['version', 'uint32_t'], ['flags', 'uint32_t'], ['seed', 'uint64_t']]],
  ['alliance_rendered_card', [['version', 'uint32_t'], ['type', 'uint32_t'], ['prompt', 'const char *'],
    ['answer', 'const char *'], ['extra', 'const char *'], ['option_count', 'uint32_t'],
    ['correct_option', 'uint32_t'], ['options', 'const char *const *']]],
  ['alliance_review', [['version', 'uint32_t'], ['review_id', 'int64_t'], ['card_id', 'const char *'],
    ['time', 'int64_t'], ['day', 'int64_t'], ['grade', 'int32_t'], ['before', 'alliance_sm2_state'],
    ['after', 'alliance_sm2_state'], ['elapsed_days', 'int64_t'], ['answer_ms', 'uint32_t'],
    ['params', 'alliance_sm2_params'], ['origin_replica', 'int64_t'], ['origin_seq', 'int64_t'],
    ['scheduler', 'uint32_t'], ['fsrs_params', 'alliance_fsrs_params'],
    ['import_id', 'int64_t']]],
  ['alliance_counts', [['version', 'uint32_t'], ['new_cards', 'uint32_t'], ['due', 'uint32_t'], ['repeat', 'uint32_t'],
    ['answered', 'uint32_t']]],
  ['alliance_stats', [['version', 'uint32_t'], ['total', 'uint32_t'], ['new_cards', 'uint32_t'], ['learned', 'uint32_t'],
    ['due_today', 'uint32_t'], ['suspended', 'uint32_t'], ['leeches', 'uint32_t'], ['window_days', 'uint32_t'],
    ['reviews', 'uint32_t'], ['correct', 'uint32_t'], ['true_reviews', 'uint32_t'], ['true_passed', 'uint32_t'],
    ['mature_reviews', 'uint32_t'], ['mature_passed', 'uint32_t'], ['timed_answers', 'uint32_t'],
    ['average_answer_ms', 'uint32_t']]],
  ['alliance_exam_status', [['version', 'uint32_t'], ['has_exam', 'uint32_t'], ['exam_day', 'int64_t'],
    ['final_days', 'uint32_t'], ['new_cards', 'uint32_t'], ['ready_by_day', 'int64_t'], ['pace', 'uint32_t'],
    ['introduced_today', 'uint32_t']]],
  ['alliance_cram_options', [['version', 'uint32_t'], ['kind', 'uint32_t'], ['deck_id', 'int64_t'],
    ['text', 'const char *'], ['ahead_days', 'uint32_t']]],
  ['alliance_study_settings', [['version', 'uint32_t'], ['bury_siblings', 'uint32_t'], ['fuzz', 'uint32_t']]],
  ['alliance_import_options', [['version', 'uint32_t'], ['format', 'uint32_t'], ['deck_name', 'const char *'],
    ['dry_run', 'uint32_t']]],
  ['alliance_import_deck', [['version', 'uint32_t'], ['deck_id', 'int64_t'], ['deck_name', 'const char *'],
    ['added', 'uint32_t'], ['updated', 'uint32_t'], ['unchanged', 'uint32_t'], ['suspended', 'uint32_t']]],
  ['alliance_import_report', [['version', 'uint32_t'], ['deck_id', 'int64_t'], ['deck_name', 'const char *'],
    ['added', 'uint32_t'], ['updated', 'uint32_t'], ['unchanged', 'uint32_t'], ['suspended', 'uint32_t'],
    ['error_count', 'uint32_t'], ['errors', 'const char *'], ['deck_count', 'uint32_t'],
    ['decks', 'const alliance_import_deck *const *'], ['media', 'uint32_t'], ['notices', 'const char *']]],
  ['alliance_export_options', [['version', 'uint32_t'], ['format', 'uint32_t'], ['flags', 'uint32_t']]],
  ['alliance_lint_options', [['version', 'uint32_t'], ['format', 'uint32_t'], ['sources_dir', 'const char *'],
    ['similarity_milli', 'uint32_t']]],
  ['alliance_lint_warning', [['version', 'uint32_t'], ['code', 'uint32_t'], ['name', 'const char *'],
    ['line', 'uint32_t'], ['column', 'uint32_t'], ['note_id', 'const char *'], ['other_id', 'const char *'],
    ['message', 'const char *']]],
  ['alliance_lint_report', [['version', 'uint32_t'], ['note_count', 'uint32_t'], ['warning_count', 'uint32_t'],
    ['warnings', 'const alliance_lint_warning *const *'], ['text', 'const char *'], ['error_count', 'uint32_t'],
    ['errors', 'const char *']]],
  ['alliance_sync_options', [['version', 'uint32_t'], ['force', 'uint32_t']]],
  ['alliance_sync_report', [['version', 'uint32_t'], ['sender_replica', 'int64_t'], ['bytes', 'uint64_t'],
    ['reviews', 'uint32_t'], ['tombstones', 'uint32_t'], ['reviews_removed', 'uint32_t'], ['cards', 'uint32_t'],
    ['cards_added', 'uint32_t'], ['decks', 'uint32_t'], ['settings', 'uint32_t'], ['already_held', 'uint32_t'],
    ['cards_replayed', 'uint32_t'], ['conflicts', 'uint32_t'], ['conflicts_kept_local', 'uint32_t'],
    ['conflicts_kept_remote', 'uint32_t'], ['conflict_text', 'const char *']]],
  ['alliance_scheduler_report', [['version', 'uint32_t'], ['scheduler', 'uint32_t'], ['cards', 'uint64_t'],
    ['reviews', 'uint64_t'], ['due_earlier', 'uint64_t'], ['due_later', 'uint64_t'], ['due_today', 'uint64_t']]],
];

// The koffi spelling of a field's C type: a read-only array of pointers (strings, warnings)
// is kept as a pointer and decoded by hand.
function koffiFieldType(type) {
  if (/^const \w+ \*const \*$/.test(type)) return 'void *';
  const array = /^(\w+)\[(\d+)\]$/.exec(type);
  if (array) return koffi.array(array[1], Number(array[2]), 'Array');
  return type;
}

for (const name of OPAQUE) koffi.opaque(name);
for (const [name, proto] of Object.entries(CALLBACKS)) {
  // The header's type names a pointer to a function: the prototype is the pointed-to type.
  koffi.pointer(name, koffi.proto(proto.replace(name, name + '_proto')));
}
const types = {};
for (const [name, fields] of STRUCTS) {
  types[name] = koffi.struct(name, Object.fromEntries(fields.map(([f, t]) => [f, koffiFieldType(t)])));
}

// ---- functions: the header's declarations, in its order ----

const PROTOTYPES = [
  // version
  'int alliance_version_number(void)',
  'const char *alliance_version_string(void)',
  // errors and memory
  'const char *alliance_strerror(int code)',
  'void alliance_free(void *ptr)',
  'int alliance_set_allocator(const alliance_allocator *allocator)',
  'int alliance_allocator_init(_Out_ alliance_allocator *allocator, uint32_t version)',
  // SM-2
  'int alliance_sm2_params_init(_Out_ alliance_sm2_params *params, int preset)',
  'int alliance_sm2_params_init_v2(_Out_ alliance_sm2_params *params, uint32_t version, uint32_t preset)',
  'int alliance_sm2_params_check(const alliance_sm2_params *params)',
  'int alliance_sm2_state_init(const alliance_sm2_params *params, _Out_ alliance_sm2_state *out)',
  'int alliance_sm2_next(const alliance_sm2_params *params, const alliance_sm2_state *in, int grade, _Out_ alliance_sm2_state *out)',
  // FSRS
  'int alliance_fsrs_params_init(_Out_ alliance_fsrs_params *params, uint32_t version)',
  'int alliance_fsrs_params_check(const alliance_fsrs_params *params)',
  'int alliance_fsrs_next(const alliance_fsrs_params *params, const alliance_fsrs_state *in, int rating, uint32_t elapsed_days, _Out_ alliance_fsrs_state *out)',
  'int alliance_fsrs_retrievability(const alliance_fsrs_params *params, const alliance_fsrs_state *state, uint32_t elapsed_days, _Out_ double *out)',
  // the learner's day
  'int alliance_day_number(_Out_ int64_t *out_day, int64_t unix_seconds, int32_t utc_offset_seconds, uint32_t rollover_hour)',
  'int alliance_day_start(_Out_ int64_t *out_unix_seconds, int64_t day, int32_t utc_offset_seconds, uint32_t rollover_hour)',
  // collections
  'int alliance_open_options_init(_Out_ alliance_open_options *options, uint32_t version)',
  'int alliance_open(_Out_ alliance_db **out, const char *path, const alliance_open_options *options)',
  'int alliance_close(alliance_db *db)',
  'const char *alliance_errmsg(alliance_db *db)',
  'int alliance_errcode(alliance_db *db)',
  'int alliance_set_utc_offset(alliance_db *db, int32_t utc_offset_seconds)',
  'int alliance_utc_offset_get(alliance_db *db, _Out_ int32_t *out)',
  'int alliance_today(alliance_db *db, int64_t now, _Out_ int64_t *out_day)',
  'int alliance_config_init(_Out_ alliance_config *config, uint32_t version)',
  'int alliance_config_get(alliance_db *db, _Inout_ alliance_config *out)',
  'int alliance_config_set(alliance_db *db, const alliance_config *config)',
  'int alliance_sm2_params_get(alliance_db *db, _Inout_ alliance_sm2_params *out)',
  'int alliance_sm2_params_set(alliance_db *db, const alliance_sm2_params *params)',
  // decks and cards
  'int alliance_deck_id(alliance_db *db, const char *name, int create, _Out_ int64_t *out_deck_id)',
  'int alliance_deck_name(alliance_db *db, int64_t deck_id, _Out_ void **out_name)',
  'int alliance_deck_source_title(alliance_db *db, int64_t deck_id, const char *source_file, _Out_ void **out_title)',
  'int alliance_deck_iter_open(_Out_ alliance_deck_iter **out, alliance_db *db, int64_t now)',
  'int alliance_deck_iter_next(alliance_deck_iter *iter, _Out_ void **out)',
  'void alliance_deck_iter_free(alliance_deck_iter *iter)',
  'int alliance_deck_rename(alliance_db *db, int64_t deck_id, const char *new_name)',
  'int alliance_deck_delete(alliance_db *db, int64_t deck_id, uint32_t flags)',
  'int alliance_note_init(_Out_ alliance_note *note, uint32_t version)',
  'int alliance_note_add(alliance_db *db, int64_t deck_id, const alliance_note *note, int64_t now)',
  'int alliance_note_update(alliance_db *db, const alliance_note *note, int64_t now)',
  'int alliance_note_delete(alliance_db *db, const char *note_id, uint32_t flags)',
  'int alliance_card_get(alliance_db *db, const char *card_id, _Out_ void **out)',
  'int alliance_card_get_at(alliance_db *db, const char *card_id, int64_t now, _Out_ void **out)',
  'int alliance_card_suspend(alliance_db *db, const char *card_id, int suspended, int64_t now)',
  'int alliance_card_bury(alliance_db *db, const char *card_id, int64_t now)',
  'int alliance_cloze_render(_Out_ void **out, const char *text, uint32_t ordinal, int reveal)',
  'int alliance_render_options_init(_Out_ alliance_render_options *options, uint32_t version)',
  'int alliance_card_render(_Out_ void **out, const alliance_card *card, const alliance_render_options *options)',
  'int alliance_card_search(_Out_ alliance_card_iter **out, alliance_db *db, int64_t deck_id, const char *text)',
  'int alliance_card_iter_next(alliance_card_iter *iter, _Out_ void **out)',
  'void alliance_card_iter_free(alliance_card_iter *iter)',
  // answering, undo, the review log
  'int alliance_answer(alliance_db *db, const char *card_id, int grade, int64_t now, uint32_t answer_ms, _Out_ alliance_sm2_state *out_after)',
  'int alliance_undo(alliance_db *db, _Out_ void **out_card_id)',
  'int alliance_review_init(_Out_ alliance_review *review, uint32_t version)',
  'int alliance_review_iter_open(_Out_ alliance_review_iter **out, alliance_db *db, const char *card_id)',
  'int alliance_review_iter_next(alliance_review_iter *iter, _Inout_ alliance_review *out)',
  'void alliance_review_iter_free(alliance_review_iter *iter)',
  'int alliance_replay(alliance_db *db, const char *card_id, _Out_ alliance_sm2_state *out_state, _Out_ int64_t *out_due_day)',
  'int alliance_verify(alliance_db *db, _Out_ uint64_t *out_mismatches)',
  'int alliance_integrity_check(alliance_db *db, _Out_ void **out_report)',
  // sessions
  'int alliance_counts_init(_Out_ alliance_counts *counts, uint32_t version)',
  'int alliance_session_open(_Out_ alliance_session **out, alliance_db *db, int64_t deck_id, int64_t now)',
  'int alliance_session_counts(alliance_session *session, int64_t now, _Inout_ alliance_counts *out)',
  'int alliance_session_next(alliance_session *session, int64_t now, _Out_ void **out)',
  'int alliance_session_next_with_counts(alliance_session *session, int64_t now, _Out_ void **out, _Inout_ alliance_counts *out_counts)',
  'int alliance_session_answer(alliance_session *session, const char *card_id, int grade, int64_t now, uint32_t answer_ms, _Out_ alliance_sm2_state *out_after)',
  'int alliance_session_undo(alliance_session *session, _Out_ void **out_card_id)',
  'void alliance_session_close(alliance_session *session)',
  // statistics
  'int alliance_stats_init(_Out_ alliance_stats *stats, uint32_t version)',
  'int alliance_stats_get(alliance_db *db, int64_t deck_id, int64_t now, uint32_t window_days, _Inout_ alliance_stats *out)',
  'int alliance_forecast(alliance_db *db, int64_t deck_id, int64_t now, uint32_t *counts, size_t ndays)',
  'int alliance_forecast_v2(alliance_db *db, int64_t deck_id, int64_t now, uint32_t *counts, uint32_t ndays)',
  'int alliance_review_history(alliance_db *db, int64_t deck_id, int64_t now, uint32_t *counts, uint32_t ndays)',
  // deck files
  'int alliance_import_options_init(_Out_ alliance_import_options *options, uint32_t version)',
  'int alliance_deck_import(alliance_db *db, const char *path, const alliance_import_options *options, int64_t now, _Out_ void **out_report)',
  'int alliance_deck_import_buffer(alliance_db *db, const char *name, const char *data, size_t len, const alliance_import_options *options, int64_t now, _Out_ void **out_report)',
  'int alliance_format_detect(const char *data, size_t len, _Out_ uint32_t *out_format)',
  'int alliance_deck_check(const char *name, const char *data, size_t len, uint32_t format, _Out_ void **out_report)',
  'int alliance_deck_export(alliance_db *db, int64_t deck_id, uint32_t format, alliance_write_fn write, void *opaque)',
  'int alliance_deck_export_file(alliance_db *db, int64_t deck_id, uint32_t format, const char *path)',
  'int alliance_export_options_init(_Out_ alliance_export_options *options, uint32_t version)',
  'int alliance_export(alliance_db *db, int64_t deck_id, const alliance_export_options *options, int64_t now, alliance_write_fn write, void *opaque)',
  'int alliance_export_file(alliance_db *db, int64_t deck_id, const alliance_export_options *options, int64_t now, const char *path)',
  // the deck lint
  'int alliance_lint_options_init(_Out_ alliance_lint_options *options, uint32_t version)',
  'int alliance_deck_lint(const char *name, const char *data, size_t len, const alliance_lint_options *options, _Out_ void **out_report)',
  // sync (docs/sync.md)
  'int alliance_collection_id(alliance_db *db, _Out_ uint8_t *out_id, size_t size)',
  'int alliance_replica_id(alliance_db *db, _Out_ int64_t *out_replica)',
  'int alliance_sync_state(alliance_db *db, alliance_write_fn write, void *opaque)',
  'int alliance_sync_changes(alliance_db *db, alliance_read_fn peer_state, void *state_opaque, alliance_write_fn write, void *opaque)',
  'int alliance_sync_options_init(_Out_ alliance_sync_options *options, uint32_t version)',
  'int alliance_sync_apply(alliance_db *db, const alliance_sync_options *options, alliance_read_fn read, void *opaque, _Out_ void **out_report)',
  'int alliance_sync_clone(alliance_db *db, alliance_read_fn read, void *opaque, _Out_ void **out_report)',
  // FSRS and the review log
  'int alliance_review_export_fsrs(alliance_db *db, int64_t deck_id, alliance_write_fn write, void *opaque)',
  'int alliance_scheduler_get(alliance_db *db, _Out_ uint32_t *out_scheduler)',
  'int alliance_scheduler_set(alliance_db *db, uint32_t scheduler, int64_t now, _Out_ void **out_report)',
  'int alliance_fsrs_params_get(alliance_db *db, _Inout_ alliance_fsrs_params *out)',
  'int alliance_fsrs_params_set(alliance_db *db, const alliance_fsrs_params *params, int64_t now, _Out_ void **out_report)',
  // study modes: an exam date per deck
  'int alliance_exam_set(alliance_db *db, int64_t deck_id, int64_t exam_day, uint32_t final_days)',
  'int alliance_exam_clear(alliance_db *db, int64_t deck_id)',
  'int alliance_exam_status_init(_Out_ alliance_exam_status *status, uint32_t version)',
  'int alliance_exam_get(alliance_db *db, int64_t deck_id, int64_t now, _Inout_ alliance_exam_status *out)',
  'int alliance_card_due_day(alliance_db *db, const char *card_id, int64_t now, _Out_ int64_t *out_day)',
  'int alliance_cram_options_init(_Out_ alliance_cram_options *options, uint32_t version)',
  'int alliance_cram_open(_Out_ alliance_session **out, alliance_db *db, const alliance_cram_options *options, int64_t now)',
  'int alliance_study_settings_init(_Out_ alliance_study_settings *settings, uint32_t version)',
  'int alliance_study_settings_get(alliance_db *db, _Inout_ alliance_study_settings *out)',
  'int alliance_study_settings_set(alliance_db *db, const alliance_study_settings *settings)',
];

// ---- loading ----

const SONAME = `liballiance.so.${VERSION_MAJOR}`;

function pkgConfigLibrary() {
  try {
    const libdir = childProcess.execFileSync('pkg-config', ['--variable=libdir', 'alliance'], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30000,
    }).trim();
    const candidate = libdir ? path.join(libdir, SONAME) : null;
    return candidate && fs.existsSync(candidate) ? candidate : null;
  } catch {
    return null;
  }
}

function libraryCandidates() {
  const explicit = process.env.ALLIANCE_LIBRARY;
  if (explicit) return [explicit]; // an explicit choice is never silently replaced
  return [pkgConfigLibrary(), SONAME].filter(Boolean);
}

function load() {
  const errors = [];
  for (const candidate of libraryCandidates()) {
    try {
      return { handle: koffi.load(candidate), path: candidate };
    } catch (e) {
      errors.push(`${candidate}: ${e.message}`);
    }
  }
  throw new Error(`liballiance not found: install it (README.md, "Build and install"; for a prefix the ` +
                  `loader does not search, set PKG_CONFIG_PATH or LD_LIBRARY_PATH), or set ALLIANCE_LIBRARY ` +
                  `to the path of ${SONAME}` + errors.map((e) => '\n  ' + e).join(''));
}

// ---- errors: what a failing call throws (lib/index.js uses the same class) ----

const CODE_NAMES = Object.freeze(Object.fromEntries(
  Object.entries(constants).filter(([name, value]) => /^E[A-Z]+$/.test(name) && value < 0).map(([n, v]) => [v, n])));

class AllianceError extends Error {
  /** code: a negative ALLIANCE_E* code; message: the library's message (default: strerror). */
  constructor(code, message, extra) {
    super(message || lib.alliance_strerror(code));
    this.name = 'AllianceError';
    this.code = code;
    this.codeName = CODE_NAMES[code] || 'UNKNOWN';
    if (extra) Object.assign(this, extra);
  }
}

// ---- argument checks: nothing reaches koffi that it would misread ----
// koffi truncates an integer to its C type (a grade of 2^32 + 3 becomes 3), takes a number
// given for a pointer as an address (a string, a struct or a handle: a segmentation fault),
// and aborts the process on a string or a boolean given for an integer field of a struct.
// So every argument, and every field of a struct passed in, is checked against its C type
// here, once for every caller of this module: a value outside it throws AllianceError
// (EGRADE for a grade or a rating, as the library says for one outside 0..5; EINVAL
// otherwise) before C is called, so nothing is written.

const INTEGER_BITS = { int: [true, 32], int32_t: [true, 32], uint32_t: [false, 32], int64_t: [true, 64],
  uint64_t: [false, 64], size_t: [false, 8 * koffi.sizeof('size_t')] };
const INTEGER_RANGES = Object.fromEntries(Object.entries(INTEGER_BITS).map(([type, [signed, bits]]) =>
  [type, signed ? [-(2n ** BigInt(bits - 1)), 2n ** BigInt(bits - 1) - 1n] : [0n, 2n ** BigInt(bits) - 1n]]));
const STRUCT_FIELDS = new Map(STRUCTS);

function describe(value) {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '...' : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

const isPointer = (value) => value === null || value === undefined || typeof value === 'bigint';
const isBytes = (value) => typeof value === 'string' || ArrayBuffer.isView(value) || value instanceof ArrayBuffer;
const isStruct = (value) => typeof value === 'object' && value !== null && !Array.isArray(value) &&
  !ArrayBuffer.isView(value);

/** A function (value, where) that throws unless value can be passed as C type `type`. */
function checker(type, errorCode) {
  const fail = (where, value, why) => {
    throw new AllianceError(errorCode, `${where} ${describe(value)} ${why}`);
  };
  const range = INTEGER_RANGES[type];
  if (range) {
    return (value, where) => {
      const integer = typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value));
      if (!integer) fail(where, value, `is not an integer (${type})`);
      const big = BigInt(value);
      if (big < range[0] || big > range[1]) fail(where, value, `is outside ${type} (${range[0]}..${range[1]})`);
    };
  }
  if (type === 'double') {
    return (value, where) => {
      if (typeof value !== 'number') fail(where, value, 'is not a number (double)');
    };
  }
  if (type === 'const char *') { // a NUL-terminated string
    return (value, where) => {
      if (typeof value === 'string') {
        if (value.includes('\0')) fail(where, value, 'contains a NUL character');
      } else if (!isPointer(value)) {
        fail(where, value, 'is not a string');
      }
    };
  }
  const struct = /^(?:const )?(alliance_\w+)(?: \*)?$/.exec(type);
  if (struct && STRUCT_FIELDS.has(struct[1])) {
    const fields = STRUCT_FIELDS.get(struct[1]).map(([field, fieldType]) => [field, checker(fieldType, constants.EINVAL)])
      .filter(([, check]) => check);
    const byValue = !type.endsWith('*'); // embedded: an object or nothing (zeros)
    return (value, where) => {
      if (isStruct(value)) {
        for (const [field, check] of fields) {
          if (value[field] !== undefined) check(value[field], `${where}.${field}`);
        }
      } else if (byValue ? value !== undefined : !isPointer(value)) {
        fail(where, value, `is not an ${struct[1]}`);
      }
    };
  }
  if (CALLBACKS[type]) {
    return (value, where) => {
      if (typeof value !== 'function' && !isPointer(value)) fail(where, value, 'is not a function');
    };
  }
  if (/^(?:const )?(?:\w+ )?\w+ \*$/.test(type) || type === 'void *') { // a handle, a buffer, memory to free
    return (value, where) => {
      if (!isPointer(value) && !isBytes(value)) fail(where, value, `is not a ${type.replace(/^const /, '')}`);
    };
  }
  return null; // arrays and library-allocated pointer arrays: koffi refuses what does not fit
}

function bytesChecker(value, where) {
  if (!isPointer(value) && !isBytes(value)) {
    throw new AllianceError(constants.EINVAL, `${where} ${describe(value)} is not a string or a Buffer`);
  }
}

/** The checks of one prototype's parameters (none for an _Out_ one: the library writes it). */
function parameterChecks(prototype) {
  const list = /\((.*)\)$/.exec(prototype)[1];
  if (list === 'void') return [];
  const params = list.split(',').map((param) => {
    const [, type, name] = /^\s*(.*?[\s*])(\w+)\s*$/.exec(param);
    return [type.trim().replace(/\s+/g, ' '), name];
  });
  return params.map(([type, name], i) => {
    if (/^_Out_ /.test(type)) return null;
    // `const char *data, size_t len`: bytes with their length, not a NUL-terminated string.
    if (type === 'const char *' && params[i + 1] && params[i + 1][0] === 'size_t') return [bytesChecker, name];
    const errorCode = name === 'grade' || name === 'rating' ? constants.EGRADE : constants.EINVAL;
    const check = checker(type.replace(/^_Inout_ /, ''), errorCode);
    return check && [check, name];
  });
}

function checked(name, fn, checks) {
  const wrapper = function (...args) {
    checks.forEach((c, i) => {
      if (c) c[0](args[i], `${name}: ${c[1]}`);
    });
    return fn(...args);
  };
  Object.defineProperty(wrapper, 'name', { value: name });
  return wrapper;
}

const loaded = load();
const lib = { path: loaded.path, missing: [] };
for (const prototype of PROTOTYPES) {
  const name = /(alliance_[a-z0-9_]+)\(/.exec(prototype)[1];
  let fn;
  try {
    fn = loaded.handle.func(prototype);
  } catch (e) {
    // An older library of the same MAJOR version: say which function it lacks when called.
    if (!/cannot find|not find|undefined symbol|symbol/i.test(e.message)) throw e;
    lib.missing.push(name);
    lib[name] = Object.assign(() => {
      const error = new Error(`${loaded.path} does not export ${name}`);
      error.code = 'ERR_ALLIANCE_MISSING_FUNCTION';
      throw error;
    }, { missing: true });
    continue;
  }
  lib[name] = checked(name, fn, parameterChecks(prototype));
}

module.exports = {
  koffi, lib, types, constants, VERSION_STRING, SONAME, PROTOTYPES, STRUCTS, CALLBACKS, OPAQUE, libraryCandidates,
  AllianceError, CODE_NAMES,
};
