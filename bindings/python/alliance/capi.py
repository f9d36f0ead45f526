# SPDX-License-Identifier: MIT
"""The thin layer: include/alliance.h mirrored in ctypes, one to one.

Every ALLIANCE_API function of the header has a prototype in PROTOTYPES
(argtypes and restype), every struct is mirrored field for field, every
macro constant has the same name without the ALLIANCE_ prefix. The
Pythonic layer in alliance/__init__.py is written only against this module;
a program that wants the raw C API can use `alliance.capi.lib` directly.

The library is found, in this order (library_candidates()):
  1. the path in the environment variable ALLIANCE_LIBRARY, if set: only that
     one, never silently another;
  2. the library recorded when this package was installed (alliance/_install.py,
     written by the build backend from pkg-config's libdir, or from
     `pip install --config-settings library=PATH`);
  3. the library in pkg-config's libdir for `alliance`, if pkg-config finds it now;
  4. the dynamic loader's own search for liballiance.so.MAJOR (LD_LIBRARY_PATH,
     the ld.so cache, the system directories), then ctypes.util.find_library.
A repository's build/ is used only when asked for (ALLIANCE_LIBRARY; the
alliance.py shim at the repository's root asks for it).
"""

import ctypes
import ctypes.util
import os
import subprocess
from ctypes import (CFUNCTYPE, POINTER, Structure, c_char, c_char_p, c_double, c_int, c_int32,
                    c_int64, c_size_t, c_uint8, c_uint32, c_uint64, c_void_p)

# ---------------------------------------------------------------------------
# Constants (tests/test_capi.py checks each one against the header)
# ---------------------------------------------------------------------------

VERSION_MAJOR = 0
VERSION_MINOR = 1
VERSION_PATCH = 0
VERSION_NUMBER = VERSION_MAJOR * 1000000 + VERSION_MINOR * 1000 + VERSION_PATCH
VERSION_STRING = "0.1.0"

OK = 0
DONE = 1
EINVAL = -1
ENOMEM = -2
EVERSION = -3
EGRADE = -4
ESTATE = -5
ENOTFOUND = -6
ENOTDUE = -7
EEXISTS = -8
ENOUNDO = -9
EPARSE = -10
ELIMIT = -11
EIO = -12
EFULL = -13
EREADONLY = -14
EBUSY = -15
ECORRUPT = -16
ENOTCOLLECTION = -17
ENEWER = -18
EMISUSE = -19
EDB = -20
EFOREIGN = -21

ALLOCATOR_VERSION = 1
SM2_SUPERMEMO = 0
SM2_CLASSIC = 1
SM2_PARAMS_VERSION = 1
FSRS_AGAIN = 1
FSRS_HARD = 2
FSRS_GOOD = 3
FSRS_EASY = 4
FSRS_PARAMS_VERSION = 1
SCHEDULER_SM2 = 0
SCHEDULER_FSRS = 1
UTC_OFFSET_LOCAL = -2147483648  # INT32_MIN
OPEN_CREATE = 0x1
OPEN_READONLY = 0x2
SYNC_NORMAL = 1
SYNC_FULL = 2
OPEN_OPTIONS_VERSION = 1
CONFIG_VERSION = 1
DECK_DELETE_CARDS = 0x1
NOTE_DELETE_KEEP_HISTORY = 0x1
CARD_BASIC = 1
CARD_CLOZE = 2
CARD_CHOICE = 3
NOTE_VERSION = 1
REVIEW_VERSION = 4
COUNTS_VERSION = 1
STATS_VERSION = 2
EXAM_STATUS_VERSION = 1
CRAM_PREVIEW = 1
CRAM_AHEAD = 2
CRAM_OPTIONS_VERSION = 1
STUDY_SETTINGS_VERSION = 1
FORMAT_DECK = 1
FORMAT_ANKI_TEXT = 2
FORMAT_APKG = 3
IMPORT_OPTIONS_VERSION = 1
SYNC_OPTIONS_VERSION = 1
RENDER_OPTIONS_VERSION = 1
RENDER_KEEP_ORDER = 0x1
RENDER_HTML_TEXT = 0x2
RENDER_HTML_SGR = 0x4
EXPORT_SUBDECKS = 0x1
EXPORT_OPTIONS_VERSION = 1
LINT_NEAR_DUPLICATE = 1
LINT_BLANK_IS_ANSWER = 2
LINT_FEW_WRONG = 3
LINT_SAME_OPTION = 4
LINT_UNNAMED_ARTICLE = 5
LINT_QUOTE_NOT_FOUND = 6
LINT_SOURCE_UNREADABLE = 7
LINT_INCOMPLETE = 8
LINT_OPTIONS_VERSION = 1

# ---------------------------------------------------------------------------
# Opaque handles: incomplete structs, so that a db pointer cannot be passed
# where a session pointer is expected.
# ---------------------------------------------------------------------------


class alliance_db(Structure):
    pass


class alliance_session(Structure):
    pass


class alliance_card_iter(Structure):
    pass


class alliance_review_iter(Structure):
    pass


class alliance_deck_iter(Structure):
    pass


# ---------------------------------------------------------------------------
# Structs, field for field (ctypes applies the platform's C alignment rules,
# so implicit padding matches the compiler's; tests/test_capi.py compares
# every size and offset with a C program compiled against the header).
# ---------------------------------------------------------------------------

alloc_malloc_fn = CFUNCTYPE(c_void_p, c_void_p, c_size_t)
alloc_realloc_fn = CFUNCTYPE(c_void_p, c_void_p, c_void_p, c_size_t)
alloc_free_fn = CFUNCTYPE(None, c_void_p, c_void_p)

# `data` is not NUL-terminated: a POINTER(c_char), read with string_at(data, len).
alliance_write_fn = CFUNCTYPE(c_int, c_void_p, POINTER(c_char), c_size_t)
alliance_read_fn = CFUNCTYPE(c_int, c_void_p, c_void_p, c_size_t, POINTER(c_size_t))


class alliance_allocator(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("malloc_fn", alloc_malloc_fn),
        ("realloc_fn", alloc_realloc_fn),
        ("free_fn", alloc_free_fn),
        ("opaque", c_void_p),
    ]


class alliance_sm2_state(Structure):
    _fields_ = [
        ("repetitions", c_uint32),
        ("efactor_milli", c_uint32),
        ("interval_days", c_uint32),
        ("repeat_today", c_uint32),
    ]


class alliance_sm2_params(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("preset", c_uint32),
        ("initial_efactor_milli", c_uint32),
        ("min_efactor_milli", c_uint32),
        ("first_interval_days", c_uint32),
        ("second_interval_days", c_uint32),
        ("max_interval_days", c_uint32),
    ]


class alliance_fsrs_params(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("weights", c_double * 21),
        ("desired_retention", c_double),
        ("max_interval_days", c_uint32),
    ]


class alliance_fsrs_state(Structure):
    _fields_ = [
        ("stability", c_double),
        ("difficulty", c_double),
        ("interval_days", c_uint32),
    ]


class alliance_open_options(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("flags", c_uint32),
        ("synchronous", c_uint32),
        ("busy_timeout_ms", c_uint32),
        ("utc_offset_seconds", c_int32),
    ]


class alliance_config(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("new_per_day", c_uint32),
        ("reviews_per_day", c_uint32),
        ("rollover_hour", c_uint32),
        ("leech_threshold", c_uint32),
        ("leech_suspend", c_uint32),
    ]


class alliance_note(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("type", c_uint32),
        ("id", c_char_p),
        ("front", c_char_p),
        ("back", c_char_p),
        ("wrong", c_char_p),
        ("tags", c_char_p),
        ("source_file", c_char_p),
        ("source_quote", c_char_p),
    ]


class alliance_card(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("type", c_uint32),
        ("id", c_char_p),
        ("note_id", c_char_p),
        ("ordinal", c_uint32),
        ("deck_id", c_int64),
        ("front", c_char_p),
        ("back", c_char_p),
        ("wrong", c_char_p),
        ("tags", c_char_p),
        ("source_file", c_char_p),
        ("source_quote", c_char_p),
        ("created", c_int64),
        ("modified", c_int64),
        ("suspended", c_uint32),
        ("leech", c_uint32),
        ("state", alliance_sm2_state),
        ("due_day", c_int64),
        ("last_review_day", c_int64),
        ("buried_until_day", c_int64),
        ("reviews", c_uint32),
        ("lapses", c_uint32),
        # version 2
        ("fsrs", alliance_fsrs_state),
        ("fsrs_drill", c_uint32),
        # version 3
        ("retrievability_day", c_int64),
        ("fsrs_retrievability", c_double),
    ]


class alliance_review(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("review_id", c_int64),
        ("card_id", c_char_p),
        ("time", c_int64),
        ("day", c_int64),
        ("grade", c_int32),
        ("before", alliance_sm2_state),
        ("after", alliance_sm2_state),
        ("elapsed_days", c_int64),
        ("answer_ms", c_uint32),
        ("params", alliance_sm2_params),
        # version 2
        ("origin_replica", c_int64),
        ("origin_seq", c_int64),
        # version 3
        ("scheduler", c_uint32),
        ("fsrs_params", alliance_fsrs_params),
        ("import_id", c_int64),
    ]


class alliance_counts(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("new_cards", c_uint32),
        ("due", c_uint32),
        ("repeat", c_uint32),
        ("answered", c_uint32),
    ]


class alliance_stats(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("total", c_uint32),
        ("new_cards", c_uint32),
        ("learned", c_uint32),
        ("due_today", c_uint32),
        ("suspended", c_uint32),
        ("leeches", c_uint32),
        ("window_days", c_uint32),
        ("reviews", c_uint32),
        ("correct", c_uint32),
        # version 2
        ("true_reviews", c_uint32),
        ("true_passed", c_uint32),
        ("mature_reviews", c_uint32),
        ("mature_passed", c_uint32),
        ("timed_answers", c_uint32),
        ("average_answer_ms", c_uint32),
    ]


class alliance_exam_status(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("has_exam", c_uint32),
        ("exam_day", c_int64),
        ("final_days", c_uint32),
        ("new_cards", c_uint32),
        ("ready_by_day", c_int64),
        ("pace", c_uint32),
        ("introduced_today", c_uint32),
    ]


class alliance_cram_options(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("kind", c_uint32),
        ("deck_id", c_int64),
        ("text", c_char_p),
        ("ahead_days", c_uint32),
    ]


class alliance_study_settings(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("bury_siblings", c_uint32),
        ("fuzz", c_uint32),
    ]


class alliance_import_options(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("format", c_uint32),
        ("deck_name", c_char_p),
        ("dry_run", c_uint32),
    ]


class alliance_import_deck(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("deck_id", c_int64),
        ("deck_name", c_char_p),
        ("added", c_uint32),
        ("updated", c_uint32),
        ("unchanged", c_uint32),
        ("suspended", c_uint32),
    ]


class alliance_import_report(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("deck_id", c_int64),
        ("deck_name", c_char_p),
        ("added", c_uint32),
        ("updated", c_uint32),
        ("unchanged", c_uint32),
        ("suspended", c_uint32),
        ("error_count", c_uint32),
        ("errors", c_char_p),
        # version 2
        ("deck_count", c_uint32),
        ("decks", POINTER(POINTER(alliance_import_deck))),
        ("media", c_uint32),
        ("notices", c_char_p),
    ]


class alliance_export_options(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("format", c_uint32),
        ("flags", c_uint32),
    ]


class alliance_sync_options(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("force", c_uint32),
    ]


class alliance_sync_report(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("sender_replica", c_int64),
        ("bytes", c_uint64),
        ("reviews", c_uint32),
        ("tombstones", c_uint32),
        ("reviews_removed", c_uint32),
        ("cards", c_uint32),
        ("cards_added", c_uint32),
        ("decks", c_uint32),
        ("settings", c_uint32),
        ("already_held", c_uint32),
        ("cards_replayed", c_uint32),
        ("conflicts", c_uint32),
        ("conflicts_kept_local", c_uint32),
        ("conflicts_kept_remote", c_uint32),
        ("conflict_text", c_char_p),
    ]


class alliance_deck_info(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("id", c_int64),
        ("name", c_char_p),
        ("description", c_char_p),
        ("created", c_int64),
        ("modified", c_int64),
        ("total", c_uint32),
        ("new_cards", c_uint32),
        ("learned", c_uint32),
        ("due_today", c_uint32),
        ("suspended", c_uint32),
        ("leeches", c_uint32),
    ]


class alliance_render_options(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("flags", c_uint32),
        ("seed", c_uint64),
    ]


class alliance_rendered_card(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("type", c_uint32),
        ("prompt", c_char_p),
        ("answer", c_char_p),
        ("extra", c_char_p),
        ("option_count", c_uint32),
        ("correct_option", c_uint32),
        ("options", POINTER(c_char_p)),
    ]


class alliance_lint_options(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("format", c_uint32),
        ("sources_dir", c_char_p),
        ("similarity_milli", c_uint32),
    ]


class alliance_lint_warning(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("code", c_uint32),
        ("name", c_char_p),
        ("line", c_uint32),
        ("column", c_uint32),
        ("note_id", c_char_p),
        ("other_id", c_char_p),
        ("message", c_char_p),
    ]


class alliance_lint_report(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("note_count", c_uint32),
        ("warning_count", c_uint32),
        ("warnings", POINTER(POINTER(alliance_lint_warning))),
        ("text", c_char_p),
        ("error_count", c_uint32),
        ("errors", c_char_p),
    ]


class alliance_scheduler_report(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("scheduler", c_uint32),
        ("cards", c_uint64),
        ("reviews", c_uint64),
        ("due_earlier", c_uint64),
        ("due_later", c_uint64),
        ("due_today", c_uint64),
    ]


STRUCTS = (alliance_allocator, alliance_sm2_state, alliance_sm2_params, alliance_fsrs_params,
           alliance_fsrs_state, alliance_open_options,
           alliance_config, alliance_note, alliance_card, alliance_review, alliance_counts,
           alliance_stats, alliance_import_options, alliance_import_deck, alliance_import_report,
           alliance_export_options, alliance_deck_info, alliance_render_options, alliance_rendered_card,
           alliance_lint_options, alliance_lint_warning, alliance_lint_report, alliance_sync_options,
           alliance_sync_report, alliance_scheduler_report, alliance_exam_status, alliance_cram_options,
           alliance_study_settings)

# ---------------------------------------------------------------------------
# Prototypes: name -> (restype, argtypes), in the header's order.
# ---------------------------------------------------------------------------

db_p = POINTER(alliance_db)
session_p = POINTER(alliance_session)
card_iter_p = POINTER(alliance_card_iter)
review_iter_p = POINTER(alliance_review_iter)
deck_iter_p = POINTER(alliance_deck_iter)
deck_info_p = POINTER(alliance_deck_info)
rendered_card_p = POINTER(alliance_rendered_card)
card_p = POINTER(alliance_card)
report_p = POINTER(alliance_import_report)
sync_report_p = POINTER(alliance_sync_report)
lint_report_p = POINTER(alliance_lint_report)
char_p = POINTER(c_char)  # memory the library hands out, freed with alliance_free

PROTOTYPES = {
    # version
    "alliance_version_number": (c_int, []),
    "alliance_version_string": (c_char_p, []),
    # errors and memory
    "alliance_strerror": (c_char_p, [c_int]),
    "alliance_free": (None, [c_void_p]),
    "alliance_set_allocator": (c_int, [POINTER(alliance_allocator)]),
    "alliance_allocator_init": (c_int, [POINTER(alliance_allocator), c_uint32]),
    # SM-2
    "alliance_sm2_params_init": (c_int, [POINTER(alliance_sm2_params), c_int]),
    "alliance_sm2_params_init_v2": (c_int, [POINTER(alliance_sm2_params), c_uint32, c_uint32]),
    "alliance_sm2_params_check": (c_int, [POINTER(alliance_sm2_params)]),
    "alliance_sm2_state_init": (c_int, [POINTER(alliance_sm2_params), POINTER(alliance_sm2_state)]),
    "alliance_sm2_next": (c_int, [POINTER(alliance_sm2_params), POINTER(alliance_sm2_state), c_int,
                                  POINTER(alliance_sm2_state)]),
    # FSRS
    "alliance_fsrs_params_init": (c_int, [POINTER(alliance_fsrs_params), c_uint32]),
    "alliance_fsrs_params_check": (c_int, [POINTER(alliance_fsrs_params)]),
    "alliance_fsrs_next": (c_int, [POINTER(alliance_fsrs_params), POINTER(alliance_fsrs_state), c_int, c_uint32,
                                   POINTER(alliance_fsrs_state)]),
    "alliance_fsrs_retrievability": (c_int, [POINTER(alliance_fsrs_params), POINTER(alliance_fsrs_state), c_uint32,
                                             POINTER(c_double)]),
    # the learner's day
    "alliance_day_number": (c_int, [POINTER(c_int64), c_int64, c_int32, c_uint32]),
    "alliance_day_start": (c_int, [POINTER(c_int64), c_int64, c_int32, c_uint32]),
    # collections
    "alliance_open_options_init": (c_int, [POINTER(alliance_open_options), c_uint32]),
    "alliance_open": (c_int, [POINTER(db_p), c_char_p, POINTER(alliance_open_options)]),
    "alliance_close": (c_int, [db_p]),
    "alliance_errmsg": (c_char_p, [db_p]),
    "alliance_errcode": (c_int, [db_p]),
    "alliance_set_utc_offset": (c_int, [db_p, c_int32]),
    "alliance_today": (c_int, [db_p, c_int64, POINTER(c_int64)]),
    "alliance_config_init": (c_int, [POINTER(alliance_config), c_uint32]),
    "alliance_config_get": (c_int, [db_p, POINTER(alliance_config)]),
    "alliance_config_set": (c_int, [db_p, POINTER(alliance_config)]),
    "alliance_sm2_params_get": (c_int, [db_p, POINTER(alliance_sm2_params)]),
    "alliance_sm2_params_set": (c_int, [db_p, POINTER(alliance_sm2_params)]),
    # decks and cards
    "alliance_deck_id": (c_int, [db_p, c_char_p, c_int, POINTER(c_int64)]),
    "alliance_deck_name": (c_int, [db_p, c_int64, POINTER(char_p)]),
    "alliance_deck_source_title": (c_int, [db_p, c_int64, c_char_p, POINTER(char_p)]),
    "alliance_deck_iter_open": (c_int, [POINTER(deck_iter_p), db_p, c_int64]),
    "alliance_deck_iter_next": (c_int, [deck_iter_p, POINTER(deck_info_p)]),
    "alliance_deck_iter_free": (None, [deck_iter_p]),
    "alliance_deck_rename": (c_int, [db_p, c_int64, c_char_p]),
    "alliance_deck_delete": (c_int, [db_p, c_int64, c_uint32]),
    "alliance_note_init": (c_int, [POINTER(alliance_note), c_uint32]),
    "alliance_note_add": (c_int, [db_p, c_int64, POINTER(alliance_note), c_int64]),
    "alliance_card_get": (c_int, [db_p, c_char_p, POINTER(card_p)]),
    "alliance_card_get_at": (c_int, [db_p, c_char_p, c_int64, POINTER(card_p)]),
    "alliance_card_suspend": (c_int, [db_p, c_char_p, c_int, c_int64]),
    "alliance_card_bury": (c_int, [db_p, c_char_p, c_int64]),
    "alliance_cloze_render": (c_int, [POINTER(char_p), c_char_p, c_uint32, c_int]),
    "alliance_render_options_init": (c_int, [POINTER(alliance_render_options), c_uint32]),
    "alliance_card_render": (c_int, [POINTER(rendered_card_p), POINTER(alliance_card),
                                     POINTER(alliance_render_options)]),
    "alliance_card_search": (c_int, [POINTER(card_iter_p), db_p, c_int64, c_char_p]),
    "alliance_card_iter_next": (c_int, [card_iter_p, POINTER(card_p)]),
    "alliance_card_iter_free": (None, [card_iter_p]),
    # answering, undo, the review log
    "alliance_answer": (c_int, [db_p, c_char_p, c_int, c_int64, c_uint32, POINTER(alliance_sm2_state)]),
    "alliance_undo": (c_int, [db_p, POINTER(char_p)]),
    "alliance_review_init": (c_int, [POINTER(alliance_review), c_uint32]),
    "alliance_review_iter_open": (c_int, [POINTER(review_iter_p), db_p, c_char_p]),
    "alliance_review_iter_next": (c_int, [review_iter_p, POINTER(alliance_review)]),
    "alliance_review_iter_free": (None, [review_iter_p]),
    "alliance_replay": (c_int, [db_p, c_char_p, POINTER(alliance_sm2_state), POINTER(c_int64)]),
    "alliance_verify": (c_int, [db_p, POINTER(c_uint64)]),
    "alliance_integrity_check": (c_int, [db_p, POINTER(char_p)]),
    # sessions
    "alliance_session_open": (c_int, [POINTER(session_p), db_p, c_int64, c_int64]),
    "alliance_counts_init": (c_int, [POINTER(alliance_counts), c_uint32]),
    "alliance_session_counts": (c_int, [session_p, c_int64, POINTER(alliance_counts)]),
    "alliance_session_next": (c_int, [session_p, c_int64, POINTER(card_p)]),
    "alliance_session_next_with_counts": (c_int, [session_p, c_int64, POINTER(card_p), POINTER(alliance_counts)]),
    "alliance_session_answer": (c_int, [session_p, c_char_p, c_int, c_int64, c_uint32,
                                        POINTER(alliance_sm2_state)]),
    "alliance_session_undo": (c_int, [session_p, POINTER(char_p)]),
    "alliance_session_close": (None, [session_p]),
    # statistics
    "alliance_stats_init": (c_int, [POINTER(alliance_stats), c_uint32]),
    "alliance_stats_get": (c_int, [db_p, c_int64, c_int64, c_uint32, POINTER(alliance_stats)]),
    "alliance_forecast": (c_int, [db_p, c_int64, c_int64, POINTER(c_uint32), c_size_t]),
    "alliance_forecast_v2": (c_int, [db_p, c_int64, c_int64, POINTER(c_uint32), c_uint32]),
    "alliance_review_history": (c_int, [db_p, c_int64, c_int64, POINTER(c_uint32), c_uint32]),
    # deck files
    "alliance_import_options_init": (c_int, [POINTER(alliance_import_options), c_uint32]),
    "alliance_deck_import": (c_int, [db_p, c_char_p, POINTER(alliance_import_options), c_int64,
                                     POINTER(report_p)]),
    "alliance_deck_import_buffer": (c_int, [db_p, c_char_p, c_char_p, c_size_t,
                                            POINTER(alliance_import_options), c_int64, POINTER(report_p)]),
    "alliance_format_detect": (c_int, [c_char_p, c_size_t, POINTER(c_uint32)]),
    "alliance_deck_check": (c_int, [c_char_p, c_char_p, c_size_t, c_uint32, POINTER(report_p)]),
    "alliance_deck_export": (c_int, [db_p, c_int64, c_uint32, alliance_write_fn, c_void_p]),
    "alliance_deck_export_file": (c_int, [db_p, c_int64, c_uint32, c_char_p]),
    "alliance_export_options_init": (c_int, [POINTER(alliance_export_options), c_uint32]),
    "alliance_export": (c_int, [db_p, c_int64, POINTER(alliance_export_options), c_int64, alliance_write_fn,
                                c_void_p]),
    "alliance_export_file": (c_int, [db_p, c_int64, POINTER(alliance_export_options), c_int64, c_char_p]),
    # sync
    "alliance_collection_id": (c_int, [db_p, POINTER(c_uint8), c_size_t]),
    "alliance_replica_id": (c_int, [db_p, POINTER(c_int64)]),
    "alliance_sync_state": (c_int, [db_p, alliance_write_fn, c_void_p]),
    "alliance_sync_changes": (c_int, [db_p, alliance_read_fn, c_void_p, alliance_write_fn, c_void_p]),
    "alliance_sync_options_init": (c_int, [POINTER(alliance_sync_options), c_uint32]),
    "alliance_sync_apply": (c_int, [db_p, POINTER(alliance_sync_options), alliance_read_fn, c_void_p,
                                    POINTER(sync_report_p)]),
    "alliance_sync_clone": (c_int, [db_p, alliance_read_fn, c_void_p, POINTER(sync_report_p)]),
    # deck lint
    "alliance_lint_options_init": (c_int, [POINTER(alliance_lint_options), c_uint32]),
    "alliance_deck_lint": (c_int, [c_char_p, c_char_p, c_size_t, POINTER(alliance_lint_options),
                                   POINTER(lint_report_p)]),
    # FSRS and the review log
    "alliance_review_export_fsrs": (c_int, [db_p, c_int64, alliance_write_fn, c_void_p]),
    "alliance_scheduler_get": (c_int, [db_p, POINTER(c_uint32)]),
    "alliance_scheduler_set": (c_int, [db_p, c_uint32, c_int64, POINTER(POINTER(alliance_scheduler_report))]),
    "alliance_fsrs_params_get": (c_int, [db_p, POINTER(alliance_fsrs_params)]),
    "alliance_fsrs_params_set": (c_int, [db_p, POINTER(alliance_fsrs_params), c_int64,
                                         POINTER(POINTER(alliance_scheduler_report))]),
    # study modes: an exam date per deck
    "alliance_exam_set": (c_int, [db_p, c_int64, c_int64, c_uint32]),
    "alliance_exam_clear": (c_int, [db_p, c_int64]),
    "alliance_exam_status_init": (c_int, [POINTER(alliance_exam_status), c_uint32]),
    "alliance_exam_get": (c_int, [db_p, c_int64, c_int64, POINTER(alliance_exam_status)]),
    "alliance_card_due_day": (c_int, [db_p, c_char_p, c_int64, POINTER(c_int64)]),
    "alliance_cram_options_init": (c_int, [POINTER(alliance_cram_options), c_uint32]),
    "alliance_cram_open": (c_int, [POINTER(session_p), db_p, POINTER(alliance_cram_options), c_int64]),
    "alliance_study_settings_init": (c_int, [POINTER(alliance_study_settings), c_uint32]),
    "alliance_study_settings_get": (c_int, [db_p, POINTER(alliance_study_settings)]),
    "alliance_study_settings_set": (c_int, [db_p, POINTER(alliance_study_settings)]),
    "alliance_note_update": (c_int, [db_p, POINTER(alliance_note), c_int64]),
    "alliance_note_delete": (c_int, [db_p, c_char_p, c_uint32]),
    "alliance_utc_offset_get": (c_int, [db_p, POINTER(c_int32)]),
}

# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------

SONAME = "liballiance.so.%d" % VERSION_MAJOR


def _recorded_library():
    try:
        from . import _install  # written at install time; absent in the source tree
    except ImportError:
        return None
    return getattr(_install, "LIBRARY", None)


def _pkg_config_library():
    try:
        libdir = subprocess.run(["pkg-config", "--variable=libdir", "alliance"], capture_output=True,
                                text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    path = os.path.join(libdir, SONAME) if libdir else None
    return path if path and os.path.exists(path) else None


def library_candidates():
    """The libraries tried, in order (a bare name is left to the dynamic loader's search)."""
    env = os.environ.get("ALLIANCE_LIBRARY")
    if env:
        return [env]  # an explicit choice is never silently replaced by another library
    found = []
    for path in (_recorded_library(), _pkg_config_library()):
        if path and os.path.exists(path) and path not in found:
            found.append(path)
    found.append(SONAME)
    system = ctypes.util.find_library("alliance")
    if system and system not in found:
        found.append(system)
    return found


class _Missing:
    """Stands in for a function the loaded library does not export (an older
    liballiance, or one still being written): calling it says which one."""

    def __init__(self, name, path):
        self.name = name
        self.path = path

    def __call__(self, *args):
        raise NotImplementedError("%s does not export %s" % (self.path, self.name))

    def __bool__(self):
        return False


class Library:
    """A loaded liballiance with every prototype applied: lib.alliance_open(...)."""

    def __init__(self, path):
        self.path = path
        self.cdll = ctypes.CDLL(path)
        self.missing = []
        for name, (restype, argtypes) in PROTOTYPES.items():
            try:
                fn = getattr(self.cdll, name)
            except AttributeError:
                self.missing.append(name)
                setattr(self, name, _Missing(name, path))
                continue
            fn.restype = restype
            fn.argtypes = argtypes
            setattr(self, name, fn)


def load(path=None):
    """Loads liballiance from `path`, or from the first candidate that loads."""
    if path is not None:
        return Library(path)
    errors = []
    for candidate in library_candidates():
        try:
            return Library(candidate)
        except OSError as e:
            errors.append("%s: %s" % (candidate, e))
    raise OSError("liballiance not found: install it (README.md, \"Build and install\"; with a prefix the "
                  "loader does not search, reinstall this package with PKG_CONFIG_PATH=PREFIX/lib/pkgconfig), "
                  "or set ALLIANCE_LIBRARY to the path of %s" % SONAME
                  + ("".join("\n  " + e for e in errors)))


lib = load()
