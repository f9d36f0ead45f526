# SPDX-License-Identifier: MIT
"""liballiance for Python: SM-2 (and pure FSRS-6) flashcard scheduling over a SQLite collection.

A Pythonic layer over the C library (standard-library ctypes only; the raw
API is in alliance.capi)::

    import alliance
    with alliance.Collection("learner.alliance") as coll:
        coll.import_deck("decks/therapeutic-alliance.deck")
        with coll.session() as session:
            for card in session:
                print(card.prompt())
                session.answer(card, 4)

Conventions of this layer:
  - A failing call raises a subclass of alliance.Error carrying the library's
    code (.code, a negative ALLIANCE_E* number) and its message (.message,
    alliance_errmsg: what went wrong and where).
  - `now` (Unix seconds) defaults to the collection's clock, time.time()
    unless Collection(..., clock=...) says otherwise (tests pass a fake one).
  - Cards, reviews, reports and states are plain dataclasses: copies, the C
    memory is freed at once.
  - Collection, Session and the iterators are context managers; close() is
    idempotent, and garbage collection closes what was not closed, in any
    order. A Session or iterator keeps its Collection's Python object alive,
    but closing the Collection explicitly is allowed while they are open:
    the library detaches them, and their later calls raise MisuseError.
  - Like the C handle, a Collection may be used from several threads (the
    library serialises the calls; each call and the reading of its error
    message happen under the Collection's lock, so a message is never another
    thread's), but must not be closed while another thread is inside one of
    its calls.
"""

import ctypes
import dataclasses
import operator
import os
import threading
import time
import warnings
from ctypes import byref
from dataclasses import dataclass
from typing import List, Optional

from . import capi
from .capi import (CARD_BASIC, CARD_CHOICE, CARD_CLOZE, DECK_DELETE_CARDS, DONE, FORMAT_ANKI_TEXT, FORMAT_DECK,  # noqa: F401
                   FSRS_AGAIN, FSRS_EASY, FSRS_GOOD, FSRS_HARD, NOTE_DELETE_KEEP_HISTORY, RENDER_KEEP_ORDER,
                   SM2_CLASSIC, SM2_SUPERMEMO, SYNC_FULL, SYNC_NORMAL, UTC_OFFSET_LOCAL,
                   VERSION_NUMBER, VERSION_STRING)

# The binding's version: the header it mirrors (pyproject.toml says the same; the
# version_policy test checks both). library_version() is the library actually loaded.
__version__ = VERSION_STRING

_lib = capi.lib

__all__ = [
    "Error", "InvalidArgument", "OutOfMemory", "VersionError", "GradeError", "StateError", "NotFound",
    "NotDue", "AlreadyExists", "NothingToUndo", "ParseError", "LimitError", "InputOutputError",
    "FullError", "ReadOnlyError", "BusyError", "CorruptError", "NotACollection", "NewerCollection",
    "MisuseError", "DatabaseError", "ForeignCollection", "SyncReport", "SchedulerReport",
    "SM2State", "SM2Params", "FSRSState", "FSRSParams", "Config", "Note", "Card", "RenderedCard", "DeckInfo",
    "Review", "Counts", "Stats", "ExamStatus", "ImportReport", "LintWarning", "LintReport", "lint_deck",
    "Collection", "Session", "CardIterator", "ReviewIterator", "DeckIterator",
    "library_version", "library_version_number", "strerror", "sm2_params", "check_sm2_params",
    "sm2_new_state", "sm2_next", "fsrs_params", "check_fsrs_params", "fsrs_next", "fsrs_retrievability",
    "day_number", "day_start", "cloze_render", "render_card", "check_deck",
    "set_allocator", "error_class",
    "CARD_BASIC", "CARD_CLOZE", "CARD_CHOICE", "FORMAT_DECK", "FORMAT_ANKI_TEXT", "SM2_SUPERMEMO",
    "SM2_CLASSIC", "FSRS_AGAIN", "FSRS_HARD", "FSRS_GOOD", "FSRS_EASY", "SYNC_NORMAL", "SYNC_FULL",
    "UTC_OFFSET_LOCAL", "DONE", "RENDER_KEEP_ORDER", "SCHEDULER_SM2", "SCHEDULER_FSRS",
    "DECK_DELETE_CARDS",
    "NOTE_DELETE_KEEP_HISTORY",
]

SCHEDULER_SM2 = capi.SCHEDULER_SM2    # the default
SCHEDULER_FSRS = capi.SCHEDULER_FSRS  # docs/fsrs.md, "FSRS in a collection"

# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------


class Error(Exception):
    """A liballiance failure: .code is the ALLIANCE_E* code, .message the library's text."""

    def __init__(self, code, message=None):
        self.code = code
        self.message = message if message is not None else strerror(code)
        super().__init__(self.message)

    def __repr__(self):
        return "%s(%d, %r)" % (type(self).__name__, self.code, self.message)


class InvalidArgument(Error, ValueError):
    """ALLIANCE_EINVAL: an argument is NULL or out of its documented range."""


class OutOfMemory(Error, MemoryError):
    """ALLIANCE_ENOMEM."""


class VersionError(Error):
    """ALLIANCE_EVERSION: a struct's version is not one the library knows."""


class GradeError(Error, ValueError):
    """ALLIANCE_EGRADE: a grade outside 0..5."""


class StateError(Error, ValueError):
    """ALLIANCE_ESTATE: an SM-2 state that cannot occur."""


class NotFound(Error, LookupError):
    """ALLIANCE_ENOTFOUND: no such card, deck or file."""


class NotDue(Error):
    """ALLIANCE_ENOTDUE: the card is not due today (or suspended, or buried)."""


class AlreadyExists(Error):
    """ALLIANCE_EEXISTS: an id that must be new is already taken."""


class NothingToUndo(Error):
    """ALLIANCE_ENOUNDO: there is no answer to undo."""


class ParseError(Error):
    """ALLIANCE_EPARSE: a malformed deck file; .report (an ImportReport) lists the errors."""

    def __init__(self, code, message=None, report=None):
        super().__init__(code, message)
        self.report = report


class LimitError(Error):
    """ALLIANCE_ELIMIT: over a documented limit; .report is set for deck files."""

    def __init__(self, code, message=None, report=None):
        super().__init__(code, message)
        self.report = report


class InputOutputError(Error):
    """ALLIANCE_EIO: reading or writing a file failed."""


class FullError(Error):
    """ALLIANCE_EFULL: the disk or the collection's size limit is full."""


class ReadOnlyError(Error):
    """ALLIANCE_EREADONLY."""


class BusyError(Error):
    """ALLIANCE_EBUSY: another connection held a lock past the busy timeout."""


class CorruptError(Error):
    """ALLIANCE_ECORRUPT: the collection file is damaged."""


class NotACollection(Error):
    """ALLIANCE_ENOTCOLLECTION: the file is not a liballiance collection (left untouched)."""


class NewerCollection(Error):
    """ALLIANCE_ENEWER: made by a newer liballiance (left untouched)."""


class MisuseError(Error):
    """ALLIANCE_EMISUSE: a call out of order, or on a closed object."""


class DatabaseError(Error):
    """ALLIANCE_EDB: any other SQLite failure."""


class ForeignCollection(Error):
    """ALLIANCE_EFOREIGN: a changeset of another collection (another learner's); nothing applied."""


_ERRORS = {
    capi.EINVAL: InvalidArgument, capi.ENOMEM: OutOfMemory, capi.EVERSION: VersionError,
    capi.EGRADE: GradeError, capi.ESTATE: StateError, capi.ENOTFOUND: NotFound,
    capi.ENOTDUE: NotDue, capi.EEXISTS: AlreadyExists, capi.ENOUNDO: NothingToUndo,
    capi.EPARSE: ParseError, capi.ELIMIT: LimitError, capi.EIO: InputOutputError,
    capi.EFULL: FullError, capi.EREADONLY: ReadOnlyError, capi.EBUSY: BusyError,
    capi.ECORRUPT: CorruptError, capi.ENOTCOLLECTION: NotACollection,
    capi.ENEWER: NewerCollection, capi.EMISUSE: MisuseError, capi.EDB: DatabaseError,
    capi.EFOREIGN: ForeignCollection,
}


def error_class(code):
    """The Error subclass raised for `code` (Error itself for an unknown code)."""
    return _ERRORS.get(code, Error)


def _raise(code, message=None):
    raise error_class(code)(code, message)


def _check_pure(rc, context=None):
    """For functions without a handle: the message is the code's static text."""
    if rc < 0:
        text = strerror(rc)
        _raise(rc, "%s: %s" % (context, text) if context else text)
    return rc


# ---------------------------------------------------------------------------
# Argument checks: every integer and every string or path goes through these
# before it reaches C. ctypes would silently wrap an int to the C type (a grade
# of 2**32 becomes 0) and cut a string at its first NUL ("victim.txt\0.deck"
# becomes "victim.txt"). Out of range is ValueError (InvalidArgument, or the
# library's own class where one fits), as open() refuses a NUL; a non-integer
# is TypeError.
# ---------------------------------------------------------------------------

_C_RANGES = {
    "int32": (-2 ** 31, 2 ** 31 - 1),
    "uint32": (0, 2 ** 32 - 1),
    "int64": (-2 ** 63, 2 ** 63 - 1),
    "uint64": (0, 2 ** 64 - 1),
    "size_t": (0, 2 ** (8 * ctypes.sizeof(ctypes.c_size_t)) - 1),
}


# A keyword argument's default that tells "not given" from any value the caller may pass.
_UNSET = object()


def _integer(value, c_type, what, error=None):
    """`value` as an int that fits the C type `c_type` ("int32", "uint32", "int64", "size_t")."""
    try:
        v = operator.index(value)
    except TypeError:
        raise TypeError("%s must be an integer, not %s" % (what, type(value).__name__)) from None
    low, high = _C_RANGES[c_type]
    if not low <= v <= high:
        cls = error or InvalidArgument
        code = capi.EGRADE if cls is GradeError else capi.EINVAL
        raise cls(code, "%s %d is outside what C's %s holds (%d..%d)" % (what, v, c_type, low, high))
    return v


def _int32(value, what):
    return _integer(value, "int32", what)


def _uint32(value, what):
    return _integer(value, "uint32", what)


def _int64(value, what):
    return _integer(value, "int64", what)


def _grade(value):
    # Within int the library itself says GradeError for anything but 0..5.
    return _integer(value, "int32", "grade", GradeError)


def _time(value, what="now"):
    """Unix seconds: any real number, truncated (time.time() is a float), within int64."""
    return _integer(int(value), "int64", what)


def _no_nul(b, what):
    if b"\0" in b:
        raise InvalidArgument(capi.EINVAL, "%s contains a NUL character: %r" % (what, b))
    return b


def _enc(s, what="string"):
    """A str (or bytes) argument as the NUL-terminated UTF-8 the library takes."""
    if s is None:
        return None
    return _no_nul(s if isinstance(s, bytes) else str(s).encode("utf-8"), what)


def _path(path):
    """A path (str, bytes or os.PathLike) as bytes, refused with a NUL as open() refuses it."""
    return _no_nul(os.fsencode(path), "path")


# ---------------------------------------------------------------------------
# Conversions
# ---------------------------------------------------------------------------


def _dec(b):
    return None if b is None else b.decode("utf-8", "replace")


def _take_string(ptr):
    """Copies and frees a char * the library handed out."""
    if not ptr:
        return None
    try:
        return _dec(ctypes.string_at(ptr))
    finally:
        _lib.alliance_free(ptr)


# ---------------------------------------------------------------------------
# Value types (copies of the C structs)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SM2State:
    """One card's SM-2 state (alliance_sm2_state)."""
    repetitions: int = 0
    efactor_milli: int = 2500
    interval_days: int = 0
    repeat_today: int = 0

    @property
    def efactor(self):
        return self.efactor_milli / 1000.0

    @property
    def days_until_due(self):
        """Days from the review that produced this state until the card is due."""
        return 0 if self.repeat_today else self.interval_days

    def _to_c(self):
        return capi.alliance_sm2_state(_uint32(self.repetitions, "repetitions"),
                                       _uint32(self.efactor_milli, "efactor_milli"),
                                       _uint32(self.interval_days, "interval_days"),
                                       _uint32(self.repeat_today, "repeat_today"))

    @classmethod
    def _from_c(cls, s):
        return cls(s.repetitions, s.efactor_milli, s.interval_days, s.repeat_today)


@dataclass(frozen=True)
class SM2Params:
    """SM-2 parameters (alliance_sm2_params; the version field is filled in for you).
    SM2Params.preset_defaults(preset) gives the library's defaults."""
    preset: int = SM2_SUPERMEMO
    initial_efactor_milli: int = 2500
    min_efactor_milli: int = 1300
    first_interval_days: int = 1
    second_interval_days: int = 6
    max_interval_days: int = 36500

    @classmethod
    def preset_defaults(cls, preset=SM2_SUPERMEMO):
        return sm2_params(preset)

    def _to_c(self):
        return capi.alliance_sm2_params(capi.SM2_PARAMS_VERSION, _uint32(self.preset, "preset"),
                                        _uint32(self.initial_efactor_milli, "initial_efactor_milli"),
                                        _uint32(self.min_efactor_milli, "min_efactor_milli"),
                                        _uint32(self.first_interval_days, "first_interval_days"),
                                        _uint32(self.second_interval_days, "second_interval_days"),
                                        _uint32(self.max_interval_days, "max_interval_days"))

    @classmethod
    def _from_c(cls, p):
        return cls(p.preset, p.initial_efactor_milli, p.min_efactor_milli, p.first_interval_days,
                   p.second_interval_days, p.max_interval_days)


# The published FSRS-6 defaults, as ALLIANCE_FSRS_PARAMS_INIT (test_fsrs.py compares them with the library's).
FSRS6_DEFAULT_WEIGHTS = (0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
                         1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542)


@dataclass(frozen=True)
class FSRSState:
    """One card's FSRS memory state (alliance_fsrs_state); FSRSState() is a new card."""
    stability: float = 0.0
    difficulty: float = 0.0
    interval_days: int = 0

    @property
    def is_new(self):
        return self.stability == 0.0

    def _to_c(self):
        return capi.alliance_fsrs_state(self.stability, self.difficulty, _uint32(self.interval_days, "interval_days"))

    @classmethod
    def _from_c(cls, s):
        return cls(s.stability, s.difficulty, s.interval_days)


@dataclass(frozen=True)
class FSRSParams:
    """FSRS-6 parameters (alliance_fsrs_params; the version field is filled in for you):
    the 21 weights w0..w20, the desired retention and the longest interval."""
    weights: tuple = FSRS6_DEFAULT_WEIGHTS
    desired_retention: float = 0.9
    max_interval_days: int = 36500

    def __post_init__(self):
        weights = tuple(float(w) for w in self.weights)
        if len(weights) != 21:
            raise InvalidArgument(capi.EINVAL, "FSRS-6 has 21 weights, not %d" % len(weights))
        object.__setattr__(self, "weights", weights)

    def _to_c(self):
        return capi.alliance_fsrs_params(capi.FSRS_PARAMS_VERSION, (ctypes.c_double * 21)(*self.weights),
                                         self.desired_retention, _uint32(self.max_interval_days, "max_interval_days"))

    @classmethod
    def _from_c(cls, p):
        return cls(tuple(p.weights), p.desired_retention, p.max_interval_days)


@dataclass(frozen=True)
class Config:
    """Collection settings (alliance_config). Config.defaults() gives the library's defaults."""
    new_per_day: int
    reviews_per_day: int
    rollover_hour: int
    leech_threshold: int
    leech_suspend: bool

    @classmethod
    def defaults(cls):
        c = capi.alliance_config()
        _check_pure(_lib.alliance_config_init(byref(c), capi.CONFIG_VERSION), "alliance_config_init")
        return cls._from_c(c)

    def _to_c(self):
        c = capi.alliance_config()
        _check_pure(_lib.alliance_config_init(byref(c), capi.CONFIG_VERSION), "alliance_config_init")
        c.new_per_day = _uint32(self.new_per_day, "new_per_day")
        c.reviews_per_day = _uint32(self.reviews_per_day, "reviews_per_day")
        c.rollover_hour = _uint32(self.rollover_hour, "rollover_hour")
        c.leech_threshold = _uint32(self.leech_threshold, "leech_threshold")
        c.leech_suspend = 1 if self.leech_suspend else 0
        return c

    @classmethod
    def _from_c(cls, c):
        return cls(c.new_per_day, c.reviews_per_day, c.rollover_hour, c.leech_threshold, bool(c.leech_suspend))


@dataclass(frozen=True)
class Note:
    """A card as its author writes it (alliance_note). `wrong` may be a list of options."""
    id: str
    front: str
    back: Optional[str] = None
    type: int = CARD_BASIC
    wrong: object = None
    tags: Optional[str] = None
    source_file: Optional[str] = None
    source_quote: Optional[str] = None


@dataclass(frozen=True)
class Card:
    """A copy of one card (alliance_card)."""
    id: str
    note_id: str
    type: int
    ordinal: int
    deck_id: int
    front: str
    back: str
    wrong: str
    tags: str
    source_file: str
    source_quote: str
    created: int
    modified: int
    suspended: bool
    leech: bool
    state: SM2State
    due_day: int
    last_review_day: int
    buried_until_day: int
    reviews: int
    lapses: int
    fsrs: FSRSState = FSRSState()  # the FSRS track: all zeros while the collection is under SM-2
    fsrs_drill: int = 0            # 1 after an Again under FSRS: due again the same day
    # The predicted recall on retrievability_day under FSRS (0.0 under SM-2 and for a new card);
    # Collection.card and a session's next card compute it; cards from a search do not
    # (retrievability_day None): the library never reads the clock.
    retrievability_day: Optional[int] = None
    fsrs_retrievability: float = 0.0

    @property
    def is_new(self):
        return self.reviews == 0

    @property
    def wrong_options(self):
        return [w for w in self.wrong.split("\n") if w]

    def render(self, seed=0, keep_order=False, html_text=False):
        """The card made ready to show (alliance_card_render): a RenderedCard with the
        prompt, the answer, a cloze card's extra and a choice card's options,
        shuffled reproducibly by `seed` (0: the order alliance-drill shows).
        html_text=True shows fields holding HTML (from Anki) as plain text."""
        flags = (RENDER_KEEP_ORDER if keep_order else 0) | (capi.RENDER_HTML_TEXT if html_text else 0)
        return render_card(self, seed=seed, flags=flags)

    def prompt(self):
        """What to show before the answer (a cloze with its deletion hidden)."""
        return self.render().prompt

    def answer_text(self):
        """What to show as the answer (a cloze with its deletion revealed, plus any extra)."""
        shown = self.render()
        return shown.answer + ("\n" + shown.extra if shown.extra else "")

    def _to_c(self):
        """An alliance_card for the library, and the encoded strings it points to (keep both)."""
        strings = [_enc(v) for v in (self.id, self.note_id, self.front, self.back, self.wrong, self.tags,
                                     self.source_file, self.source_quote)]
        c = capi.alliance_card()
        c.version = 1
        c.type = _uint32(self.type, "type")
        c.id, c.note_id, c.front, c.back, c.wrong, c.tags, c.source_file, c.source_quote = strings
        c.ordinal = _uint32(self.ordinal, "ordinal")
        c.deck_id = _int64(self.deck_id, "deck_id")
        c.created, c.modified = _int64(self.created, "created"), _int64(self.modified, "modified")
        c.suspended, c.leech = _uint32(int(self.suspended), "suspended"), _uint32(int(self.leech), "leech")
        c.state = self.state._to_c()
        c.due_day = _int64(self.due_day, "due_day")
        c.last_review_day = _int64(self.last_review_day, "last_review_day")
        c.buried_until_day = _int64(self.buried_until_day, "buried_until_day")
        c.reviews, c.lapses = _uint32(self.reviews, "reviews"), _uint32(self.lapses, "lapses")
        return c, strings

    @classmethod
    def _take(cls, ptr):
        """Copies a card the library handed out, then frees the C card."""
        try:
            c = ptr.contents
            return cls(id=_dec(c.id), note_id=_dec(c.note_id), type=c.type, ordinal=c.ordinal,
                       deck_id=c.deck_id, front=_dec(c.front), back=_dec(c.back), wrong=_dec(c.wrong),
                       tags=_dec(c.tags), source_file=_dec(c.source_file),
                       source_quote=_dec(c.source_quote), created=c.created, modified=c.modified,
                       suspended=bool(c.suspended), leech=bool(c.leech), state=SM2State._from_c(c.state),
                       due_day=c.due_day, last_review_day=c.last_review_day,
                       buried_until_day=c.buried_until_day, reviews=c.reviews, lapses=c.lapses,
                       fsrs=FSRSState._from_c(c.fsrs) if c.version >= 2 else FSRSState(),
                       fsrs_drill=c.fsrs_drill if c.version >= 2 else 0,
                       retrievability_day=(c.retrievability_day if c.version >= 3 and
                                           c.retrievability_day != -2**63 else None),
                       fsrs_retrievability=c.fsrs_retrievability if c.version >= 3 else 0.0)
        finally:
            _lib.alliance_free(ptr)


@dataclass(frozen=True)
class RenderedCard:
    """A card made ready to show (alliance_rendered_card)."""
    type: int
    prompt: str
    answer: str
    extra: str
    options: List[str]
    correct_option: int

    @classmethod
    def _take(cls, ptr):
        try:
            r = ptr.contents
            options = [_dec(r.options[i]) for i in range(r.option_count)]
            return cls(r.type, _dec(r.prompt), _dec(r.answer), _dec(r.extra), options, r.correct_option)
        finally:
            _lib.alliance_free(ptr)


@dataclass(frozen=True)
class DeckInfo:
    """One deck with its card counts (alliance_deck_info)."""
    id: int
    name: str
    description: str
    created: int
    modified: int
    total: int
    new_cards: int
    learned: int
    due_today: int
    suspended: int
    leeches: int

    @classmethod
    def _take(cls, ptr):
        try:
            d = ptr.contents
            return cls(d.id, _dec(d.name), _dec(d.description), d.created, d.modified, d.total, d.new_cards,
                       d.learned, d.due_today, d.suspended, d.leeches)
        finally:
            _lib.alliance_free(ptr)


@dataclass(frozen=True)
class Review:
    """One row of the review log (alliance_review)."""
    review_id: int
    card_id: str
    time: int
    day: int
    grade: int
    before: SM2State
    after: SM2State
    elapsed_days: int
    answer_ms: int
    params: SM2Params
    origin_replica: int = 0  # the device that gave the answer, and its number there:
    origin_seq: int = 0      # the review's id on every copy of the collection
    # The scheduler in force when it was answered (SCHEDULER_SM2 or SCHEDULER_FSRS) and, under
    # FSRS, its parameters (None under SM-2); rows from before schema 5 say SM-2.
    scheduler: int = 0
    fsrs_params: Optional["FSRSParams"] = None
    import_id: int = 0       # Anki's revlog id of a row an .apkg import wrote; 0: an answer given here

    @property
    def imported(self):
        """Whether this row is history an .apkg import wrote (docs/anki.md)."""
        return self.import_id != 0


@dataclass(frozen=True)
class SyncReport:
    """What a sync apply or clone did (alliance_sync_report)."""
    sender_replica: int
    bytes: int
    reviews: int
    tombstones: int
    reviews_removed: int
    cards: int
    cards_added: int
    decks: int
    settings: int
    already_held: int
    cards_replayed: int
    conflicts: int
    conflicts_kept_local: int
    conflicts_kept_remote: int
    conflict_text: str

    @classmethod
    def _take(cls, ptr):
        try:
            r = ptr.contents
            return cls(r.sender_replica, r.bytes, r.reviews, r.tombstones, r.reviews_removed, r.cards,
                       r.cards_added, r.decks, r.settings, r.already_held, r.cards_replayed, r.conflicts,
                       r.conflicts_kept_local, r.conflicts_kept_remote, _dec(r.conflict_text))
        finally:
            _lib.alliance_free(ptr)


@dataclass(frozen=True)
class SchedulerReport:
    """What switching the scheduler or setting the FSRS parameters did (alliance_scheduler_report)."""
    scheduler: int
    cards: int
    reviews: int
    due_earlier: int
    due_later: int
    due_today: int

    @classmethod
    def _take(cls, ptr):
        try:
            r = ptr.contents
            return cls(r.scheduler, r.cards, r.reviews, r.due_earlier, r.due_later, r.due_today)
        finally:
            _lib.alliance_free(ptr)


class _Streams:
    """ctypes callbacks over bytes or file objects, keeping the first Python
    exception to re-raise once the library has unwound."""

    def __init__(self):
        self.failure = []

    def reader(self, source):
        if source is None:
            return capi.alliance_read_fn()  # NULL
        if isinstance(source, (bytes, bytearray, memoryview)):
            data, pos = bytes(source), [0]

            def read_bytes(opaque, buf, cap, out_len):
                n = min(cap, len(data) - pos[0])
                ctypes.memmove(buf, data[pos[0]:pos[0] + n], n)
                pos[0] += n
                out_len[0] = n
                return 0
            return capi.alliance_read_fn(read_bytes)

        def read_file(opaque, buf, cap, out_len):
            try:
                piece = source.read(cap)
                if len(piece) > cap:  # never copy past the library's buffer
                    raise ValueError("the changeset's file object returned %d bytes, more than the %d asked for"
                                     % (len(piece), cap))
                ctypes.memmove(buf, piece, len(piece))
                out_len[0] = len(piece)
                return 0
            except BaseException as e:
                self.failure.append(e)
                return 1
        return capi.alliance_read_fn(read_file)

    def writer(self, file, chunks):
        def write(opaque, data, length):
            try:
                piece = ctypes.string_at(data, length)
                if file is None:
                    chunks.append(piece)
                else:
                    file.write(piece)
                return 0
            except BaseException as e:
                self.failure.append(e)
                return 1
        return capi.alliance_write_fn(write)

    def check(self, rc, message):
        if self.failure:
            raise self.failure[0]
        if rc < 0:
            _raise(rc, message)


@dataclass(frozen=True)
class Counts:
    """What today's session holds (alliance_counts)."""
    new_cards: int
    due: int
    repeat: int
    answered: int

    @property
    def remaining(self):
        return self.new_cards + self.due + self.repeat


@dataclass(frozen=True)
class ExamStatus:
    """A deck's exam and its new-card pace (alliance_exam_status; docs/study-modes.md)."""
    exam_day: int
    final_days: int
    new_cards: int
    ready_by_day: int
    pace: int
    introduced_today: int


@dataclass(frozen=True)
class Stats:
    """Statistics of a deck or collection (alliance_stats)."""
    total: int
    new_cards: int
    learned: int
    due_today: int
    suspended: int
    leeches: int
    window_days: int
    reviews: int
    correct: int
    true_reviews: int = 0
    true_passed: int = 0
    mature_reviews: int = 0
    mature_passed: int = 0
    timed_answers: int = 0
    average_answer_ms: int = 0

    @property
    def retention(self):
        """correct / reviews over the window, None without reviews."""
        return self.correct / self.reviews if self.reviews else None

    @property
    def true_retention(self):
        """Anki's true retention: passed / reviews of cards that had an interval, None without any."""
        return self.true_passed / self.true_reviews if self.true_reviews else None

    @property
    def mature_retention(self):
        """True retention of cards whose interval was 21 days or more, None without any."""
        return self.mature_passed / self.mature_reviews if self.mature_reviews else None


@dataclass(frozen=True)
class ImportReport:
    """What an import (or a check) did, or why it did nothing (alliance_import_report)."""
    deck_id: int
    deck_name: str
    added: int
    updated: int
    unchanged: int
    suspended: int
    error_count: int
    errors: str

    @property
    def error_lines(self):
        """The first errors, one "FILE:LINE:COLUMN: message" each."""
        return [line for line in self.errors.split("\n") if line]

    @classmethod
    def _take(cls, ptr):
        if not ptr:
            return None
        try:
            r = ptr.contents
            return cls(r.deck_id, _dec(r.deck_name), r.added, r.updated, r.unchanged, r.suspended,
                       r.error_count, _dec(r.errors))
        finally:
            _lib.alliance_free(ptr)


# ---------------------------------------------------------------------------
# Pure functions
# ---------------------------------------------------------------------------


def library_version():
    """The version string of the library actually loaded (alliance_version_string)."""
    return _dec(_lib.alliance_version_string())


def library_version_number():
    return _lib.alliance_version_number()


def strerror(code):
    """The library's static description of a code."""
    return _dec(_lib.alliance_strerror(code))


def sm2_params(preset=SM2_SUPERMEMO):
    """The default parameters of an SM-2 preset (alliance_sm2_params_init_v2)."""
    p = capi.alliance_sm2_params()
    if _lib.alliance_sm2_params_init_v2:
        rc = _lib.alliance_sm2_params_init_v2(byref(p), capi.SM2_PARAMS_VERSION, _uint32(preset, "preset"))
    else:  # a 0.1.0 library
        rc = _lib.alliance_sm2_params_init(byref(p), _int32(preset, "preset"))
    _check_pure(rc, "SM-2 preset %r" % (preset,))
    return SM2Params._from_c(p)


def check_sm2_params(params):
    """Raises InvalidArgument (or VersionError) if the parameters are unusable."""
    _check_pure(_lib.alliance_sm2_params_check(byref(params._to_c())), "SM-2 parameters %r" % (params,))


def sm2_new_state(params=None):
    """The state of a new card under `params` (default: the SuperMemo preset)."""
    p = (params or sm2_params())._to_c()
    out = capi.alliance_sm2_state()
    _check_pure(_lib.alliance_sm2_state_init(byref(p), byref(out)), "SM-2 parameters %r" % (params,))
    return SM2State._from_c(out)


def sm2_next(state, grade, params=None):
    """One pure SM-2 step: the state after answering `grade` (0..5) in `state`."""
    p = (params or sm2_params())._to_c()
    out = capi.alliance_sm2_state()
    rc = _lib.alliance_sm2_next(byref(p), byref(state._to_c()), _grade(grade), byref(out))
    _check_pure(rc, "SM-2 step from %r with grade %r" % (state, grade))
    return SM2State._from_c(out)


def fsrs_params():
    """The library's FSRS-6 defaults (alliance_fsrs_params_init)."""
    p = capi.alliance_fsrs_params()
    _check_pure(_lib.alliance_fsrs_params_init(byref(p), capi.FSRS_PARAMS_VERSION), "FSRS parameters")
    return FSRSParams._from_c(p)


def check_fsrs_params(params):
    """Raises InvalidArgument if the parameters are unusable (a weight NaN or out of its range...)."""
    _check_pure(_lib.alliance_fsrs_params_check(byref(params._to_c())), "FSRS parameters %r" % (params,))


def _days(elapsed_days):
    """A count of days as the uint32 the library takes (ctypes would silently wrap a negative one)."""
    if isinstance(elapsed_days, bool) or not isinstance(elapsed_days, int) or not 0 <= elapsed_days <= 0xFFFFFFFF:
        raise InvalidArgument(capi.EINVAL, "elapsed_days must be an int in 0..2**32-1, not %r" % (elapsed_days,))
    return elapsed_days


def fsrs_next(state, rating, elapsed_days=0, params=None):
    """One pure FSRS step: the state after answering `rating` (FSRS_AGAIN..FSRS_EASY, 1..4)
    elapsed_days after the previous review (0 for a new card). The card is then due
    interval_days after this review."""
    p = (params or FSRSParams())._to_c()
    if isinstance(rating, bool) or not isinstance(rating, int) or not -2 ** 31 <= rating < 2 ** 31:
        raise GradeError(capi.EGRADE, "FSRS rating %r: %s" % (rating, strerror(capi.EGRADE)))
    out = capi.alliance_fsrs_state()
    rc = _lib.alliance_fsrs_next(byref(p), byref(state._to_c()), rating, _days(elapsed_days), byref(out))
    _check_pure(rc, "FSRS step from %r with rating %r after %r days" % (state, rating, elapsed_days))
    return FSRSState._from_c(out)


def fsrs_retrievability(state, elapsed_days, params=None):
    """The predicted probability of recall elapsed_days after the review that left `state`
    (0 for a new card)."""
    p = (params or FSRSParams())._to_c()
    out = ctypes.c_double()
    rc = _lib.alliance_fsrs_retrievability(byref(p), byref(state._to_c()), _days(elapsed_days), byref(out))
    _check_pure(rc, "FSRS retrievability of %r after %r days" % (state, elapsed_days))
    return out.value


def day_number(unix_seconds, utc_offset_seconds=UTC_OFFSET_LOCAL, rollover_hour=4):
    """The learner's day number of a Unix time (alliance_day_number)."""
    out = ctypes.c_int64()
    _check_pure(_lib.alliance_day_number(byref(out), _time(unix_seconds, "unix_seconds"),
                                         _int32(utc_offset_seconds, "utc_offset_seconds"),
                                         _uint32(rollover_hour, "rollover_hour")),
                "day_number(%r, %r, %r)" % (unix_seconds, utc_offset_seconds, rollover_hour))
    return out.value


def day_start(day, utc_offset_seconds=UTC_OFFSET_LOCAL, rollover_hour=4):
    """The first Unix second of a day number (alliance_day_start)."""
    out = ctypes.c_int64()
    _check_pure(_lib.alliance_day_start(byref(out), _int64(day, "day"), _int32(utc_offset_seconds, "utc_offset_seconds"),
                                        _uint32(rollover_hour, "rollover_hour")),
                "day_start(%r, %r, %r)" % (day, utc_offset_seconds, rollover_hour))
    return out.value


def cloze_render(text, ordinal, reveal=False):
    """Renders cloze deletion `ordinal` of `text`, hidden as "[...]" or revealed."""
    out = capi.char_p()
    _check_pure(_lib.alliance_cloze_render(byref(out), _enc(text), _uint32(ordinal, "ordinal"), 1 if reveal else 0),
                "cloze deletion %r of %r" % (ordinal, text))
    return _take_string(out)


def render_card(card, seed=0, flags=0):
    """alliance_card_render for a Card: a RenderedCard (see Card.render)."""
    options = capi.alliance_render_options()
    _check_pure(_lib.alliance_render_options_init(byref(options), capi.RENDER_OPTIONS_VERSION),
                "alliance_render_options_init")
    options.flags = _uint32(flags, "flags")
    try:  # any integer, taken modulo 2^64 (the shuffle's seed); not a float or a str (int() would cut or parse it)
        options.seed = operator.index(seed) & 0xFFFFFFFFFFFFFFFF
    except TypeError:
        raise TypeError("seed must be an integer, not %s" % type(seed).__name__) from None
    c, strings = card._to_c()  # noqa: F841 (the strings must live until the call returns)
    out = capi.rendered_card_p()
    _check_pure(_lib.alliance_card_render(byref(out), byref(c), byref(options)), "rendering card %r" % (card.id,))
    return RenderedCard._take(out)


def _data_bytes(data):
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def _raise_import(rc, message, report):
    cls = error_class(rc)
    if cls in (ParseError, LimitError):
        raise cls(rc, message, report)
    raise cls(rc, message)


def check_deck(data, name="<deck>", format=FORMAT_DECK):
    """Parses deck text (str or bytes) without a collection; returns an ImportReport
    counting its cards under .added, or raises ParseError/LimitError with .report."""
    data = _data_bytes(data)
    out = capi.report_p()
    rc = _lib.alliance_deck_check(_enc(name), data, len(data), _uint32(format, "format"), byref(out))
    report = ImportReport._take(out)
    if rc < 0:
        _raise_import(rc, report.errors.strip() if report and report.errors else strerror(rc), report)
    return report


@dataclass(frozen=True)
class LintWarning:
    """One piece of advice of alliance_deck_lint (alliance_lint_warning)."""
    code: int        # capi.LINT_*
    name: str        # "near-duplicate", ...
    line: int
    column: int
    note_id: str
    other_id: str    # the other card involved, or ""
    message: str     # "FILE:LINE:COLUMN: warning: what [name]"


@dataclass(frozen=True)
class LintReport:
    """What alliance_deck_lint found (alliance_lint_report)."""
    note_count: int
    warnings: List[LintWarning]
    text: str
    error_count: int
    errors: str


def lint_deck(data, name="<deck>", format=FORMAT_DECK, sources_dir=None, similarity_milli=300):
    """Lints deck text (str or bytes) without a collection and returns a LintReport: its
    warnings are advice for the deck's author, not errors. With sources_dir, every quote
    is checked against the files the header's source: lines name. A deck that does not
    parse raises ParseError/LimitError with .report (an ImportReport-like LintReport)."""
    data = _data_bytes(data)
    options = capi.alliance_lint_options()
    _check_pure(_lib.alliance_lint_options_init(byref(options), capi.LINT_OPTIONS_VERSION),
                "alliance_lint_options_init")
    options.format = _uint32(format, "format")
    options.sources_dir = _enc(os.fspath(sources_dir)) if sources_dir is not None else None
    options.similarity_milli = _uint32(similarity_milli, "similarity_milli")
    out = capi.lint_report_p()
    rc = _lib.alliance_deck_lint(_enc(name), data, len(data), byref(options), byref(out))
    report = None
    if out:
        try:
            r = out.contents
            warnings = [LintWarning(w.code, _dec(w.name), w.line, w.column, _dec(w.note_id), _dec(w.other_id),
                                    _dec(w.message))
                        for w in (r.warnings[i].contents for i in range(r.warning_count))]
            report = LintReport(r.note_count, warnings, _dec(r.text), r.error_count, _dec(r.errors))
        finally:
            _lib.alliance_free(out)
    if rc < 0:
        _raise_import(rc, report.errors.strip() if report and report.errors else strerror(rc), report)
    return report


# Callbacks handed to the library must outlive every call that may use them;
# an allocator's must live as long as memory it allocated, so none is dropped.
_allocators_kept = []


def set_allocator(allocator):
    """Installs an allocator for the library's own allocations, or the C
    library's with None. As in C, only before any Collection exists.
    `allocator` has malloc(size) -> int address (0 on failure),
    realloc(address, size) -> int address, free(address); an exception in
    malloc/realloc counts as a failed allocation (ENOMEM)."""
    if allocator is None:
        _check_pure(_lib.alliance_set_allocator(None), "set_allocator(None)")
        return

    def c_malloc(opaque, size):
        try:
            return allocator.malloc(size) or None
        except BaseException:
            return None

    def c_realloc(opaque, ptr, size):
        try:
            return allocator.realloc(ptr or 0, size) or None
        except BaseException:
            return None

    def c_free(opaque, ptr):
        try:
            allocator.free(ptr or 0)
        except BaseException:
            pass

    a = capi.alliance_allocator(capi.ALLOCATOR_VERSION, capi.alloc_malloc_fn(c_malloc),
                                capi.alloc_realloc_fn(c_realloc), capi.alloc_free_fn(c_free), None)
    _allocators_kept.append((allocator, a))
    _check_pure(_lib.alliance_set_allocator(byref(a)), "set_allocator")


# ---------------------------------------------------------------------------
# Collections
# ---------------------------------------------------------------------------


class Collection:
    """A learner's collection (alliance_db), opened or created at `path`
    (":memory:" for a private in-memory one)."""

    def __init__(self, path, *, create=True, readonly=False, synchronous=SYNC_FULL, busy_timeout_ms=5000,
                 utc_offset_seconds=UTC_OFFSET_LOCAL, clock=None):
        self._ptr = None  # first, so that close() and __del__ work whatever fails below
        self._lib = _lib  # kept: __del__ may run while the module is being torn down
        self._lock = threading.RLock()
        self.path = path
        self.clock = clock or time.time
        opts = capi.alliance_open_options()
        _check_pure(_lib.alliance_open_options_init(byref(opts), capi.OPEN_OPTIONS_VERSION), "alliance_open_options_init")
        opts.flags = (capi.OPEN_CREATE if create else 0) | (capi.OPEN_READONLY if readonly else 0)
        opts.synchronous = _uint32(synchronous, "synchronous")
        opts.busy_timeout_ms = _uint32(busy_timeout_ms, "busy_timeout_ms")
        opts.utc_offset_seconds = _int32(utc_offset_seconds, "utc_offset_seconds")
        out = capi.db_p()
        rc = _lib.alliance_open(byref(out), _path(path), byref(opts))
        if rc != capi.OK:
            # As sqlite3_open_v2: the handle carries the message and must be closed all the same.
            message = _dec(_lib.alliance_errmsg(out)) if out else strerror(rc)
            _lib.alliance_close(out)
            _raise(rc, message)
        self._ptr = out

    # -- lifetime ---------------------------------------------------------

    def close(self):
        """Closes the collection; idempotent. Sessions and iterators still open
        are detached by the library (their later calls raise MisuseError)."""
        ptr, self._ptr = self._ptr, None
        if ptr:
            rc = self._lib.alliance_close(ptr)
            if rc < 0:
                _raise(rc, "closing %s: %s" % (self.path, strerror(rc)))  # the handle is gone: no errmsg

    @property
    def closed(self):
        return not self._ptr

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except BaseException:
            pass

    def __repr__(self):
        return "<alliance.Collection %r%s>" % (self.path, " closed" if self.closed else "")

    # -- plumbing shared with sessions and iterators ---------------------

    def _handle(self):
        if not self._ptr:
            raise MisuseError(capi.EMISUSE, "collection %s is closed" % (self.path,))
        return self._ptr

    def _invoke(self, fn, *args):
        """Calls fn(*args), a function on this collection or on an object opened
        from it: (rc, message), the message being the collection's for a failure.
        alliance_errmsg reports the last failure of *any* thread on the handle and
        another thread's call may replace it before it is read, so the call and the
        read happen under the collection's lock. (The library serialises calls on
        a handle anyway: the lock costs no concurrency. It is re-entrant, because
        the garbage collector may finalise this collection's sessions in between.)"""
        with self._lock:
            rc = fn(*args)
            if rc >= 0:
                return rc, None
            if self._ptr:
                return rc, _dec(self._lib.alliance_errmsg(self._ptr))
        return rc, "%s (collection %s is closed)" % (strerror(rc), self.path)

    def _call(self, fn, *args):
        """_invoke, raising the Error of a failure; returns 0 or ALLIANCE_DONE."""
        rc, message = self._invoke(fn, *args)
        if rc < 0:
            _raise(rc, message)
        return rc

    def _now(self, now):
        return _time(self.clock() if now is None else now)

    # -- errors and time ----------------------------------------------------

    def errmsg(self):
        """The message of the last failure on this collection (alliance_errmsg)."""
        return _dec(self._lib.alliance_errmsg(self._handle()))

    def errcode(self):
        return self._lib.alliance_errcode(self._handle())

    def set_utc_offset(self, utc_offset_seconds):
        """Changes the learner's UTC offset: this handle's, and the one stored in the file as this
        device's setting (never synced), used by later opens without utc_offset_seconds.
        UTC_OFFSET_LOCAL stores none (the process time zone)."""
        self._call(self._lib.alliance_set_utc_offset, self._handle(), _int32(utc_offset_seconds, "utc_offset_seconds"))

    def utc_offset(self):
        """The UTC offset this handle computes days with: the open option if given, else the one
        stored in the file, else UTC_OFFSET_LOCAL (the process time zone)."""
        out = ctypes.c_int32()
        self._call(self._lib.alliance_utc_offset_get, self._handle(), byref(out))
        return out.value

    def today(self, now=None):
        """The day number of `now` for this collection."""
        out = ctypes.c_int64()
        self._call(self._lib.alliance_today, self._handle(), self._now(now), byref(out))
        return out.value

    # -- settings -----------------------------------------------------------

    @property
    def config(self):
        c = capi.alliance_config()
        _check_pure(self._lib.alliance_config_init(byref(c), capi.CONFIG_VERSION), "alliance_config_init")
        self._call(self._lib.alliance_config_get, self._handle(), byref(c))
        return Config._from_c(c)

    @config.setter
    def config(self, config):
        self._call(self._lib.alliance_config_set, self._handle(), byref(config._to_c()))

    def configure(self, **changes):
        """Changes some settings, keeping the others; returns the new Config."""
        config = dataclasses.replace(self.config, **changes)
        self.config = config
        return config

    @property
    def sm2_params(self):
        p = capi.alliance_sm2_params()
        p.version = capi.SM2_PARAMS_VERSION
        self._call(self._lib.alliance_sm2_params_get, self._handle(), byref(p))
        return SM2Params._from_c(p)

    @sm2_params.setter
    def sm2_params(self, params):
        self._call(self._lib.alliance_sm2_params_set, self._handle(), byref(params._to_c()))

    # -- the scheduler (docs/fsrs.md, "FSRS in a collection") -----------------

    @property
    def scheduler(self):
        """SCHEDULER_SM2 or SCHEDULER_FSRS."""
        out = ctypes.c_uint32()
        self._call(self._lib.alliance_scheduler_get, self._handle(), byref(out))
        return out.value

    def set_scheduler(self, scheduler, now=None):
        """Switches the collection to `scheduler`, replaying every card's log under it in one
        transaction (alliance_scheduler_set); returns a SchedulerReport."""
        out = ctypes.POINTER(capi.alliance_scheduler_report)()
        self._call(self._lib.alliance_scheduler_set, self._handle(), _uint32(scheduler, "scheduler"),
                   self._now(now), byref(out))
        return SchedulerReport._take(out)

    @property
    def fsrs_params(self):
        """The collection's FSRSParams."""
        p = capi.alliance_fsrs_params()
        p.version = capi.FSRS_PARAMS_VERSION
        self._call(self._lib.alliance_fsrs_params_get, self._handle(), byref(p))
        return FSRSParams._from_c(p)

    def set_fsrs_params(self, params, now=None):
        """Sets the FSRS parameters (e.g. fitted weights); under FSRS every card is replayed
        with them. Returns a SchedulerReport."""
        out = ctypes.POINTER(capi.alliance_scheduler_report)()
        self._call(self._lib.alliance_fsrs_params_set, self._handle(), byref(params._to_c()), self._now(now),
                   byref(out))
        return SchedulerReport._take(out)

    # -- decks and cards ------------------------------------------------------

    def deck_id(self, name, create=False):
        """The id of the deck called `name` (created if create and missing)."""
        out = ctypes.c_int64()
        self._call(self._lib.alliance_deck_id, self._handle(), _enc(name), 1 if create else 0, byref(out))
        return out.value

    def deck_name(self, deck_id):
        out = capi.char_p()
        self._call(self._lib.alliance_deck_name, self._handle(), _int64(deck_id, "deck_id"), byref(out))
        return _take_string(out)

    def deck_source_title(self, deck_id, source_file):
        """The title the deck's header gives to a source file (a card's source_file)."""
        out = capi.char_p()
        self._call(self._lib.alliance_deck_source_title, self._handle(), _int64(deck_id, "deck_id"), _enc(source_file),
                                                         byref(out))
        return _take_string(out)

    def rename_deck(self, deck, new_name):
        """Renames a deck (an id or a name): cards, history and id stay. AlreadyExists if
        another deck has new_name (alliance_deck_rename; synced, see docs/sync.md)."""
        deck_id = self.deck_id(deck) if isinstance(deck, str) else _int64(deck, "deck")
        self._call(self._lib.alliance_deck_rename, self._handle(), deck_id, _enc(new_name))

    def delete_deck(self, deck, with_cards=False):
        """Deletes a deck (an id or a name). A deck with cards only with with_cards=True,
        which deletes its cards and their review history too, in one transaction
        (alliance_deck_delete; synced, see docs/sync.md). InvalidArgument otherwise."""
        deck_id = self.deck_id(deck) if isinstance(deck, str) else _int64(deck, "deck")
        self._call(self._lib.alliance_deck_delete, self._handle(), deck_id,
                   DECK_DELETE_CARDS if with_cards else 0)

    def decks(self, now=None):
        """An iterator over the decks (DeckInfo: id, name, card counts at `now`), oldest first."""
        return DeckIterator(self, now)

    def _deck(self, deck):
        return self.deck_id(deck, create=True) if isinstance(deck, str) else _int64(deck, "deck")

    def add_note(self, deck, note, now=None):
        """Adds a Note's cards to a deck (an id, or a name created if missing); returns the deck id."""
        deck_id = self._deck(deck)
        n, keep = self._note_struct(note)
        self._call(self._lib.alliance_note_add, self._handle(), deck_id, byref(n), self._now(now))
        del keep
        return deck_id

    def _note_struct(self, note):
        """An alliance_note for `note`, and the encoded strings it points into (keep them alive
        until the call returns; the library copies them)."""
        n = capi.alliance_note()
        _check_pure(self._lib.alliance_note_init(byref(n), capi.NOTE_VERSION), "alliance_note_init")
        wrong = note.wrong
        if wrong is not None and not isinstance(wrong, (str, bytes)):
            wrong = "\n".join(wrong)
        fields = dict(id=_enc(note.id), front=_enc(note.front), back=_enc(note.back), wrong=_enc(wrong),
                      tags=_enc(note.tags), source_file=_enc(note.source_file),
                      source_quote=_enc(note.source_quote))
        n.type = _uint32(note.type, "type")
        for name, value in fields.items():
            setattr(n, name, value)
        return n, fields

    def update_note(self, note, now=None):
        """Updates the note note.id with the rules of a re-import (alliance_note_update): edited
        text keeps each card's history, a card the note gains is new, a card it loses is
        suspended out of the deck file. NotFound if there is no such note."""
        n, keep = self._note_struct(note)
        self._call(self._lib.alliance_note_update, self._handle(), byref(n), self._now(now))
        del keep

    def delete_note(self, note_id, keep_history=False):
        """Deletes a note: its cards and their review history, in one transaction, synced
        (alliance_note_delete). keep_history=True suspends its cards out of the deck file instead,
        as a re-import without the note does. NotFound if there is no such note."""
        self._call(self._lib.alliance_note_delete, self._handle(), _enc(note_id),
                   NOTE_DELETE_KEEP_HISTORY if keep_history else 0)

    def card(self, card_id, now=None):
        """A copy of one card; NotFound if there is none. It carries its FSRS retrievability
        for the day of `now` (default: the collection's clock), as alliance_card_get_at."""
        out = capi.card_p()
        self._call(self._lib.alliance_card_get_at, self._handle(), _enc(card_id), self._now(now), byref(out))
        return Card._take(out)

    def suspend(self, card_id, suspended=True, now=None):
        self._call(self._lib.alliance_card_suspend, self._handle(), _enc(_card_id(card_id)),
                                                     1 if suspended else 0, self._now(now))

    def unsuspend(self, card_id, now=None):
        self.suspend(card_id, False, now)

    def bury(self, card_id, now=None):
        """Hides a card from sessions until tomorrow."""
        self._call(self._lib.alliance_card_bury, self._handle(), _enc(_card_id(card_id)), self._now(now))

    def cards(self, deck_id=0, text=None):
        """An iterator over the cards of a deck (0: all) containing `text` (None: all)."""
        return CardIterator(self, deck_id, text)

    # -- answering, undo, the review log -------------------------------------

    def answer(self, card_id, grade, now=None, answer_ms=0):
        """Answers a due card; returns its new SM2State."""
        out = capi.alliance_sm2_state()
        self._call(self._lib.alliance_answer, self._handle(), _enc(_card_id(card_id)), _grade(grade),
                                              self._now(now), _uint32(answer_ms, "answer_ms"), byref(out))
        return SM2State._from_c(out)

    def undo(self):
        """Undoes the most recent answer; returns the card id. NothingToUndo if none."""
        out = capi.char_p()
        self._call(self._lib.alliance_undo, self._handle(), byref(out))
        return _take_string(out)

    def reviews(self, card_id=None):
        """An iterator over the review log of one card (or all), oldest first."""
        return ReviewIterator(self, card_id)

    def replay(self, card_id):
        """(state, due_day) rebuilt from the card's review log, without writing."""
        state = capi.alliance_sm2_state()
        due = ctypes.c_int64()
        self._call(self._lib.alliance_replay, self._handle(), _enc(_card_id(card_id)), byref(state),
                                              byref(due))
        return SM2State._from_c(state), due.value

    def verify(self):
        """The number of cards whose stored state differs from the replay of their log."""
        out = ctypes.c_uint64()
        self._call(self._lib.alliance_verify, self._handle(), byref(out))
        return out.value

    def integrity_check(self):
        """SQLite's integrity_check and foreign_key_check of the file: [] if it is sound,
        else the problems SQLite found (at most 100), one string each."""
        out = capi.char_p()
        rc, message = self._invoke(self._lib.alliance_integrity_check, self._handle(), byref(out))
        report = _take_string(out)
        if rc == capi.ECORRUPT:
            return [line for line in (report or message).split("\n") if line]
        if rc < 0:
            _raise(rc, message)
        return []

    # -- sessions and statistics ----------------------------------------------

    def session(self, deck_id=0, now=None):
        """Today's study session over a deck (0: every deck)."""
        return Session(self, deck_id, now)

    def cram(self, deck_id=0, *, ahead=False, ahead_days=0, text=None, now=None):
        """A cram session (alliance_cram_open) over cards that are not due: a preview (answers
        change no schedule) or, with ahead=True, a review ahead (answers count, scored on the
        real elapsed days); ahead_days > 0 keeps the cards due within that many days."""
        o = capi.alliance_cram_options()
        _check_pure(self._lib.alliance_cram_options_init(byref(o), capi.CRAM_OPTIONS_VERSION),
                    "alliance_cram_options_init")
        o.kind = capi.CRAM_AHEAD if ahead else capi.CRAM_PREVIEW
        o.deck_id = _int64(deck_id, "deck_id")
        o.text = _enc(text, "text") if text else None
        o.ahead_days = _uint32(ahead_days, "ahead_days")
        return Session(self, deck_id, now, _cram=o)

    def stats(self, deck_id=0, now=None, window_days=30):
        s = capi.alliance_stats()
        _check_pure(self._lib.alliance_stats_init(byref(s), capi.STATS_VERSION), "alliance_stats_init")
        self._call(self._lib.alliance_stats_get, self._handle(), _int64(deck_id, "deck_id"), self._now(now),
                   _uint32(window_days, "window_days"), byref(s))
        return Stats(s.total, s.new_cards, s.learned, s.due_today, s.suspended, s.leeches, s.window_days,
                     s.reviews, s.correct, s.true_reviews, s.true_passed, s.mature_reviews, s.mature_passed,
                     s.timed_answers, s.average_answer_ms)

    def forecast(self, *args, deck_id=_UNSET, days=_UNSET, now=_UNSET):
        """[cards due today (overdue included), tomorrow, ...] for `days` days of deck
        `deck_id` (0: every deck). Pass the arguments by keyword: forecast(deck_id=2, days=30).

        Deprecated: positional arguments, which meant (days, deck_id, now), the
        opposite order of stats(deck_id, now, ...). They keep that meaning in every
        0.x release, with a DeprecationWarning."""
        if args:
            if len(args) > 3:
                raise TypeError("forecast() takes at most 3 positional arguments (%d given)" % len(args))
            warnings.warn("Collection.forecast(days, deck_id, now) with positional arguments is deprecated: "
                          "write forecast(deck_id=..., days=..., now=...)", DeprecationWarning, stacklevel=2)
            keywords = {"days": days, "deck_id": deck_id, "now": now}
            for name, value in zip(("days", "deck_id", "now"), args):
                if keywords[name] is not _UNSET:
                    raise TypeError("forecast() got multiple values for argument %r" % name)
                keywords[name] = value
            days, deck_id, now = keywords["days"], keywords["deck_id"], keywords["now"]
        days = _uint32(7 if days is _UNSET else days, "days")
        deck_id = 0 if deck_id is _UNSET else deck_id
        now = None if now is _UNSET else now
        deck_id = _int64(deck_id, "deck_id")
        now = self._now(now)
        if days > 3650:  # the library's limit: refused before an array of that size is made
            raise InvalidArgument(capi.EINVAL, "days %d is outside 1..3650" % days)
        counts = (ctypes.c_uint32 * max(days, 1))()
        if self._lib.alliance_forecast_v2:
            self._call(self._lib.alliance_forecast_v2, self._handle(), deck_id, now, counts, days)
        else:  # a 0.1.0 library
            self._call(self._lib.alliance_forecast, self._handle(), deck_id, now, counts, days)
        return list(counts)[:days]

    # -- study modes: an exam date per deck -------------------------------------

    def exam_set(self, deck_id, exam_day, final_days=0):
        """Gives deck `deck_id` an exam on day number `exam_day` with a final window of
        `final_days` days (1..30; 0: the default, 3). See alliance_exam_set."""
        self._call(self._lib.alliance_exam_set, self._handle(), _int64(deck_id, "deck_id"),
                   _int64(exam_day, "exam_day"), _uint32(final_days, "final_days"))

    def exam_clear(self, deck_id):
        """Removes deck `deck_id`'s exam."""
        self._call(self._lib.alliance_exam_clear, self._handle(), _int64(deck_id, "deck_id"))

    def exam(self, deck_id, now=None):
        """Deck `deck_id`'s exam and pace as of `now` (an ExamStatus), or None without one."""
        s = capi.alliance_exam_status()
        _check_pure(self._lib.alliance_exam_status_init(byref(s), capi.EXAM_STATUS_VERSION),
                    "alliance_exam_status_init")
        self._call(self._lib.alliance_exam_get, self._handle(), _int64(deck_id, "deck_id"), self._now(now), byref(s))
        if not s.has_exam:
            return None
        return ExamStatus(s.exam_day, s.final_days, s.new_cards, s.ready_by_day, s.pace, s.introduced_today)

    @property
    def study_settings(self):
        """(bury_siblings, fuzz) as booleans (alliance_study_settings_get)."""
        s = capi.alliance_study_settings()
        _check_pure(self._lib.alliance_study_settings_init(byref(s), capi.STUDY_SETTINGS_VERSION),
                    "alliance_study_settings_init")
        self._call(self._lib.alliance_study_settings_get, self._handle(), byref(s))
        return bool(s.bury_siblings), bool(s.fuzz)

    def set_study_settings(self, *, bury_siblings=None, fuzz=None):
        """Changes siblings apart and/or fuzz (each True or False; None keeps it)."""
        old_bury, old_fuzz = self.study_settings
        s = capi.alliance_study_settings()
        _check_pure(self._lib.alliance_study_settings_init(byref(s), capi.STUDY_SETTINGS_VERSION),
                    "alliance_study_settings_init")
        s.bury_siblings = int(bool(old_bury if bury_siblings is None else bury_siblings))
        s.fuzz = int(bool(old_fuzz if fuzz is None else fuzz))
        self._call(self._lib.alliance_study_settings_set, self._handle(), byref(s))

    def card_due_day(self, card_id, now=None):
        """The day `card_id` is due as seen at `now` (its deck's exam clamp applied)."""
        day = ctypes.c_int64()
        self._call(self._lib.alliance_card_due_day, self._handle(), _enc(card_id, "card_id"), self._now(now),
                   byref(day))
        return day.value

    def review_history(self, *, deck_id=0, days=366, now=None):
        """Answers per day: [today, yesterday, ...] for `days` days (1..3650; 366: the last year)
        of deck `deck_id` (0: every deck). Keyword arguments only, as forecast's."""
        deck_id = _int64(deck_id, "deck_id")
        days = _uint32(days, "days")
        if days > 3650:  # the library's limit: refused before an array of that size is made
            raise InvalidArgument(capi.EINVAL, "days %d is outside 1..3650" % days)
        counts = (ctypes.c_uint32 * max(days, 1))()
        self._call(self._lib.alliance_review_history, self._handle(), deck_id, self._now(now), counts, days)
        return list(counts)[:days]

    # -- deck files -------------------------------------------------------------

    def _import_options(self, format, deck_name, dry_run):
        o = capi.alliance_import_options()
        _check_pure(self._lib.alliance_import_options_init(byref(o), capi.IMPORT_OPTIONS_VERSION), "alliance_import_options_init")
        o.format = _uint32(format, "format")
        o.deck_name = _enc(deck_name, "deck_name")
        o.dry_run = 1 if dry_run else 0
        return o

    def _finish_import(self, rc, message, out):
        report = ImportReport._take(out)
        if rc < 0:
            _raise_import(rc, message, report)
        return report

    def import_deck(self, path, *, format=FORMAT_DECK, deck_name=None, dry_run=False, now=None):
        """Imports a deck file in one transaction; returns an ImportReport.
        ParseError/LimitError carry the report listing FILE:LINE:COLUMN errors."""
        opts = self._import_options(format, deck_name, dry_run)
        out = capi.report_p()
        rc, message = self._invoke(self._lib.alliance_deck_import, self._handle(), _path(path), byref(opts),
                                   self._now(now), byref(out))
        return self._finish_import(rc, message, out)

    def import_deck_data(self, data, name="<deck>", *, format=FORMAT_DECK, deck_name=None, dry_run=False,
                         now=None):
        """import_deck() for deck text (str or bytes); `name` is used in messages."""
        data = _data_bytes(data)
        opts = self._import_options(format, deck_name, dry_run)
        out = capi.report_p()
        rc, message = self._invoke(self._lib.alliance_deck_import_buffer, self._handle(), _enc(name), data,
                                   len(data), byref(opts), self._now(now), byref(out))
        return self._finish_import(rc, message, out)

    def export_deck(self, deck_id, format=FORMAT_DECK, file=None):
        """Exports a deck: returns its text as bytes, or with `file` writes it
        there piece by piece (file.write(bytes)) and returns None. The write
        must not call back into this collection."""
        return self._stream(self._lib.alliance_deck_export, file, _int64(deck_id, "deck_id"), _uint32(format, "format"))

    def export_fsrs_csv(self, deck_id=0, file=None):
        """The review log of a deck (0: every deck) as the CSV the FSRS optimizer
        reads (card_id,review_time,review_rating,review_state,review_duration;
        docs/fsrs.md): bytes, or with `file` written there piece by piece and None.
        One snapshot of the log; the write must not call back into this collection."""
        return self._stream(self._lib.alliance_review_export_fsrs, file, _int64(deck_id, "deck_id"))

    def _stream(self, function, file, *args):
        """Calls function(db, *args, write, NULL), collecting what `write` receives."""
        chunks = []
        failure = []

        def write(opaque, data, length):
            try:
                piece = ctypes.string_at(data, length)
                if file is None:
                    chunks.append(piece)
                else:
                    file.write(piece)
                return 0
            except BaseException as e:  # re-raised below, after the library has unwound
                failure.append(e)
                return 1

        callback = capi.alliance_write_fn(write)
        rc, message = self._invoke(function, self._handle(), *args, callback, None)
        if failure:
            raise failure[0]
        if rc < 0:
            _raise(rc, message)
        return b"".join(chunks) if file is None else None

    def export_deck_file(self, deck_id, path, *args, format=FORMAT_DECK):
        """Exports a deck to a file, replaced atomically. Pass format= by keyword
        (export_deck takes it second, as the C function does; a third positional
        argument here is deprecated and still means the format)."""
        if args:
            if len(args) > 1:
                raise TypeError("export_deck_file() takes at most 3 positional arguments")
            warnings.warn("Collection.export_deck_file(deck_id, path, format): pass format= by keyword",
                          DeprecationWarning, stacklevel=2)
            format = args[0]
        self._call(self._lib.alliance_deck_export_file, self._handle(), _int64(deck_id, "deck_id"),
                   _uint32(format, "format"), _path(path))

    # -- sync (docs/sync.md) -------------------------------------------------

    @property
    def collection_id(self):
        """The collection's 16-byte id (shared by every copy), as bytes."""
        out = (ctypes.c_uint8 * 16)()
        self._call(self._lib.alliance_collection_id, self._handle(), out, 16)
        return bytes(out)

    @property
    def replica_id(self):
        """This copy's replica id (an int, never shared with another copy)."""
        out = ctypes.c_int64()
        self._call(self._lib.alliance_replica_id, self._handle(), byref(out))
        return out.value

    def sync_state(self, file=None):
        """What this copy holds (its version vector): bytes, or written to `file`."""
        streams, chunks = _Streams(), []
        rc, message = self._invoke(self._lib.alliance_sync_state, self._handle(), streams.writer(file, chunks), None)
        streams.check(rc, message)
        return b"".join(chunks) if file is None else None

    def sync_changes(self, peer_state=None, file=None):
        """The changeset a peer lacks, given its sync_state() (bytes or a file
        object; None: everything, for a clone): bytes, or written to `file`."""
        streams, chunks = _Streams(), []
        rc, message = self._invoke(self._lib.alliance_sync_changes, self._handle(), streams.reader(peer_state), None,
                                   streams.writer(file, chunks), None)
        streams.check(rc, message)
        return b"".join(chunks) if file is None else None

    def sync_apply(self, changeset, force=False):
        """Applies a changeset (bytes or a file object) in one transaction and
        returns a SyncReport. A changeset of another collection raises
        ForeignCollection unless force=True."""
        streams = _Streams()
        opts = capi.alliance_sync_options()
        _check_pure(_lib.alliance_sync_options_init(byref(opts), capi.SYNC_OPTIONS_VERSION), "alliance_sync_options_init")
        opts.force = 1 if force else 0
        out = capi.sync_report_p()
        rc, message = self._invoke(self._lib.alliance_sync_apply, self._handle(), byref(opts), streams.reader(changeset),
                                   None, byref(out))
        streams.check(rc, message)
        return SyncReport._take(out)

    def sync_with(self, other):
        """Syncs this collection with another open Collection both ways; returns
        (report of what this one received, report of what the other received)."""
        mine = self.sync_apply(other.sync_changes(self.sync_state()))
        theirs = other.sync_apply(self.sync_changes(other.sync_state()))
        return mine, theirs

    @classmethod
    def clone(cls, path, changeset, **options):
        """A new copy at `path` (a new file, or ":memory:") from a changeset of
        everything (sync_changes() with no peer state); keyword options as for
        Collection(). Returns (Collection, SyncReport)."""
        db = cls(path, create=True, **options)
        try:
            streams = _Streams()
            out = capi.sync_report_p()
            rc, message = db._invoke(db._lib.alliance_sync_clone, db._handle(), streams.reader(changeset), None,
                                     byref(out))
            streams.check(rc, message)
            return db, SyncReport._take(out)
        except BaseException:
            db.close()
            raise


def _card_id(card):
    return card.id if isinstance(card, Card) else card


# ---------------------------------------------------------------------------
# Objects opened from a collection
# ---------------------------------------------------------------------------


class _Child:
    """A C object opened from a collection: keeps the Collection's Python
    object alive (its error messages live there), frees the C object once."""

    _free_name = None

    def _init_child(self, collection):
        self._ptr = None
        self._collection = collection
        self._lib = collection._lib
        self._free = getattr(collection._lib, self._free_name)

    def close(self):
        """Frees the C object; idempotent, and safe after the collection was closed."""
        ptr, self._ptr = getattr(self, "_ptr", None), None
        if ptr:
            self._free(ptr)

    @property
    def closed(self):
        return not self._ptr

    @property
    def collection(self):
        return self._collection

    def _handle(self):
        if not self._ptr:
            raise MisuseError(capi.EMISUSE, "%s is closed" % (type(self).__name__,))
        return self._ptr

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except BaseException:
            pass


class Session(_Child):
    """Today's study session (alliance_session). Iterating yields the next card
    until nothing is left today; answer each card before asking for the next."""

    _free_name = "alliance_session_close"

    def __init__(self, collection, deck_id=0, now=None, _cram=None):
        self._init_child(collection)
        out = capi.session_p()
        if _cram is not None:
            collection._call(self._lib.alliance_cram_open, byref(out), collection._handle(), byref(_cram),
                             collection._now(now))
        else:
            collection._call(self._lib.alliance_session_open, byref(out), collection._handle(),
                             _int64(deck_id, "deck_id"), collection._now(now))
        self._ptr = out

    def counts(self, now=None):
        c = capi.alliance_counts()
        _check_pure(self._lib.alliance_counts_init(byref(c), capi.COUNTS_VERSION), "alliance_counts_init")
        self._collection._call(self._lib.alliance_session_counts, self._handle(), self._collection._now(now),
                                                                  byref(c))
        return Counts(c.new_cards, c.due, c.repeat, c.answered)

    def next_card(self, now=None):
        """The next card to show, or None when nothing is left today."""
        out = capi.card_p()
        rc = self._collection._call(self._lib.alliance_session_next, self._handle(),
                                                                     self._collection._now(now), byref(out))
        if rc == DONE or not out:
            return None
        return Card._take(out)

    def __iter__(self):
        return self

    def __next__(self):
        card = self.next_card()
        if card is None:
            raise StopIteration
        return card

    def answer(self, card, grade, now=None, answer_ms=0):
        """Answers a card of this session (a Card or its id); returns the new SM2State."""
        out = capi.alliance_sm2_state()
        self._collection._call(self._lib.alliance_session_answer, 
            self._handle(), _enc(_card_id(card)), _grade(grade), self._collection._now(now),
            _uint32(answer_ms, "answer_ms"), byref(out))
        return SM2State._from_c(out)

    def undo(self):
        """Undoes the last answer; the undone card is shown next. Returns its id."""
        out = capi.char_p()
        self._collection._call(self._lib.alliance_session_undo, self._handle(), byref(out))
        return _take_string(out)


class CardIterator(_Child):
    """Cards of a search, one at a time (alliance_card_iter)."""

    _free_name = "alliance_card_iter_free"

    def __init__(self, collection, deck_id=0, text=None):
        self._init_child(collection)
        out = capi.card_iter_p()
        collection._call(self._lib.alliance_card_search, byref(out), collection._handle(), _int64(deck_id, "deck_id"),
                                                         _enc(text))
        self._ptr = out

    def __iter__(self):
        return self

    def __next__(self):
        if not self._ptr:
            raise StopIteration
        out = capi.card_p()
        rc = self._collection._call(self._lib.alliance_card_iter_next, self._ptr, byref(out))
        if rc == DONE or not out:
            self.close()
            raise StopIteration
        return Card._take(out)


class ReviewIterator(_Child):
    """The review log, oldest first (alliance_review_iter)."""

    _free_name = "alliance_review_iter_free"

    def __init__(self, collection, card_id=None):
        self._init_child(collection)
        out = capi.review_iter_p()
        collection._call(self._lib.alliance_review_iter_open, byref(out), collection._handle(),
                                                              _enc(_card_id(card_id)))
        self._ptr = out

    def __iter__(self):
        return self

    def __next__(self):
        if not self._ptr:
            raise StopIteration
        r = capi.alliance_review()
        _check_pure(self._lib.alliance_review_init(byref(r), capi.REVIEW_VERSION), "alliance_review_init")
        rc = self._collection._call(self._lib.alliance_review_iter_next, self._ptr, byref(r))
        if rc == DONE:
            self.close()
            raise StopIteration
        return Review(r.review_id, _dec(r.card_id), r.time, r.day, r.grade, SM2State._from_c(r.before),
                      SM2State._from_c(r.after), r.elapsed_days, r.answer_ms, SM2Params._from_c(r.params),
                      r.origin_replica, r.origin_seq, r.scheduler,
                      FSRSParams._from_c(r.fsrs_params) if r.scheduler == SCHEDULER_FSRS else None,
                      r.import_id)


class DeckIterator(_Child):
    """The decks with their card counts, oldest first (alliance_deck_iter)."""

    _free_name = "alliance_deck_iter_free"

    def __init__(self, collection, now=None):
        self._init_child(collection)
        out = capi.deck_iter_p()
        collection._call(self._lib.alliance_deck_iter_open, byref(out), collection._handle(), collection._now(now))
        self._ptr = out

    def __iter__(self):
        return self

    def __next__(self):
        if not self._ptr:
            raise StopIteration
        out = capi.deck_info_p()
        rc = self._collection._call(self._lib.alliance_deck_iter_next, self._ptr, byref(out))
        if rc == DONE or not out:
            self.close()
            raise StopIteration
        return DeckInfo._take(out)


# ---------------------------------------------------------------------------
# The library must speak the ABI this binding mirrors: the same MAJOR version
# (docs/abi.md: within one SONAME, a newer library keeps every struct layout
# and signature; functions it lacks raise NotImplementedError when called).
# ---------------------------------------------------------------------------

if _lib.alliance_version_number:
    _runtime = _lib.alliance_version_number()
    if _runtime // 1000000 != VERSION_NUMBER // 1000000:
        raise ImportError("the alliance binding mirrors liballiance %s but %s is version %s"
                          % (VERSION_STRING, _lib.path, library_version()))
