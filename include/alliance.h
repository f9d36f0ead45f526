/* SPDX-License-Identifier: MIT */
/*
 * alliance.h - the whole public API of liballiance.
 *
 * liballiance schedules flashcards with the SuperMemo SM-2 algorithm and keeps
 * a learner's collection (decks, cards, scheduling state, review log) in one
 * SQLite file. If it is not in this file, it is not API.
 *
 * Conventions (they hold for every function below unless its comment says otherwise):
 *
 *  - Errors. A fallible function returns int: 0 (ALLIANCE_OK) on success, a
 *    negative ALLIANCE_E* code on failure. Positive values are non-error
 *    statuses (ALLIANCE_DONE). Codes are pinned forever. After a failure on a
 *    collection, alliance_errmsg(db) says what went wrong and where.
 *  - Nothing changes on failure. A call that fails leaves the collection and
 *    every out-parameter exactly as they were.
 *  - Ownership. A `T **out` parameter hands the caller a new object, released
 *    with the matching _close/_free function, or with alliance_free() for plain
 *    memory (cards, strings, reports); constructors take it first (as libgit2).
 *    Functions acting on a handle take the handle first and write results
 *    into caller-owned memory given last (as SQLite's getters do).
 *  - Strings are UTF-8, NUL-terminated, `const char *`; the library copies
 *    what it keeps. Strings inside a returned object live as long as it does.
 *  - Time is always passed in by the caller as int64 Unix seconds (UTC); the
 *    library never reads the clock on its own. Days are counted in the
 *    learner's local calendar with a rollover hour (see "The learner's day").
 *  - Structs the caller fills in start with `uint32_t version`; fill them with
 *    their _init(&s, ALLIANCE_S_VERSION) function (or *_INIT macro in C), then
 *    change fields. Fields are only ever appended. _init writes exactly the
 *    layout of the version it is given (so a program built against an older
 *    header never has more written than it allocated), as libgit2 does. An
 *    unknown version is refused (ALLIANCE_EVERSION).
 *  - No varargs, no struct passed or returned by value: every function can be
 *    called through a C FFI (ctypes, cgo, Swift, Dart, Rust).
 *  - Threads. The pure functions (alliance_sm2_*, alliance_fsrs_*, alliance_day_*,
 *    alliance_version_*, alliance_strerror, alliance_cloze_render, alliance_card_render,
 *    the _init functions) are safe from any thread. A collection handle and everything
 *    opened from it (sessions, iterators) may be used from several threads: calls on
 *    one collection are serialised by a mutex inside it.
 *    alliance_errmsg() then reports the last failure of any thread on that handle
 *    (as sqlite3_errmsg does): a thread that needs its own call's message must
 *    keep other threads off the handle until it has read it, or use a handle of
 *    its own. Every call's return code is always its own.
 *  - Misuse. NULL handles and NULL required arguments return ALLIANCE_EINVAL;
 *    using an object whose collection was closed returns ALLIANCE_EMISUSE.
 *    Calling anything on a pointer that was already closed or freed is undefined
 *    behaviour, as in every C library: C cannot detect it.
 */
#ifndef ALLIANCE_H
#define ALLIANCE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ALLIANCE_API marks what leaves the shared library; everything else is hidden. */
#if defined(ALLIANCE_STATIC)
#  define ALLIANCE_API
#elif defined(_WIN32)
#  if defined(ALLIANCE_BUILDING)
#    define ALLIANCE_API __declspec(dllexport)
#  else
#    define ALLIANCE_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define ALLIANCE_API __attribute__((visibility("default")))
#else
#  define ALLIANCE_API
#endif

/* ------------------------------------------------------------------------- */
/* Version                                                                   */
/* ------------------------------------------------------------------------- */

#define ALLIANCE_VERSION_MAJOR 0
#define ALLIANCE_VERSION_MINOR 1
#define ALLIANCE_VERSION_PATCH 0
/* MAJOR * 1000000 + MINOR * 1000 + PATCH, as SQLITE_VERSION_NUMBER. */
#define ALLIANCE_VERSION_NUMBER \
    (ALLIANCE_VERSION_MAJOR * 1000000 + ALLIANCE_VERSION_MINOR * 1000 + ALLIANCE_VERSION_PATCH)
#define ALLIANCE_VERSION_STRING "0.1.0"

/* The version of the library actually linked (compare with the macros above). */
ALLIANCE_API int alliance_version_number(void);
/* "MAJOR.MINOR.PATCH"; static storage, never NULL. */
ALLIANCE_API const char *alliance_version_string(void);

/* ------------------------------------------------------------------------- */
/* Result codes (pinned forever: never renumbered, never reused)             */
/* ------------------------------------------------------------------------- */

#define ALLIANCE_OK              0   /* success */
#define ALLIANCE_DONE            1   /* not an error: an iterator or queue has nothing more */
#define ALLIANCE_EINVAL        (-1)  /* an argument is NULL or out of its documented range */
#define ALLIANCE_ENOMEM        (-2)  /* an allocation failed */
#define ALLIANCE_EVERSION      (-3)  /* a struct's version field is not one this library knows */
#define ALLIANCE_EGRADE        (-4)  /* a grade outside 0..5 (an FSRS rating outside 1..4) */
#define ALLIANCE_ESTATE        (-5)  /* an SM-2 or FSRS state that cannot occur */
#define ALLIANCE_ENOTFOUND     (-6)  /* no such card, deck or file */
#define ALLIANCE_ENOTDUE       (-7)  /* the card is not due today (or suspended, or buried) */
#define ALLIANCE_EEXISTS       (-8)  /* an id that must be new is already taken */
#define ALLIANCE_ENOUNDO       (-9)  /* there is no answer to undo */
#define ALLIANCE_EPARSE        (-10) /* a deck file is malformed (see the import report) */
#define ALLIANCE_ELIMIT        (-11) /* a value, file or count is over its documented limit */
#define ALLIANCE_EIO           (-12) /* reading or writing a file failed */
#define ALLIANCE_EFULL         (-13) /* the disk (or the collection's size limit) is full */
#define ALLIANCE_EREADONLY     (-14) /* the collection was opened (or is only) readable */
#define ALLIANCE_EBUSY         (-15) /* another connection held a lock past the busy timeout */
#define ALLIANCE_ECORRUPT      (-16) /* the collection file is damaged */
#define ALLIANCE_ENOTCOLLECTION (-17) /* the file is not a liballiance collection; left untouched */
#define ALLIANCE_ENEWER        (-18) /* the collection was made by a newer liballiance; left untouched */
#define ALLIANCE_EMISUSE       (-19) /* a call out of order, or on an object whose collection is closed,
                                       or FSRS with a changed floating-point environment */
#define ALLIANCE_EDB           (-20) /* any other SQLite failure (alliance_errmsg has SQLite's text) */
#define ALLIANCE_EFOREIGN      (-21) /* a changeset of another collection (another learner's); nothing applied */

/* A static English description of a code; never NULL ("unknown error code" for others). */
ALLIANCE_API const char *alliance_strerror(int code);

/* ------------------------------------------------------------------------- */
/* Memory                                                                    */
/* ------------------------------------------------------------------------- */

/* Frees memory the library handed out (cards, strings, reports). NULL is a no-op. */
ALLIANCE_API void alliance_free(void *ptr);

#define ALLIANCE_ALLOCATOR_VERSION 1
/* Custom allocator for the library's own allocations (not SQLite's: configure
 * SQLite with sqlite3_config(SQLITE_CONFIG_MALLOC) for those). */
typedef struct alliance_allocator {
    uint32_t version;                                          /* ALLIANCE_ALLOCATOR_VERSION */
    void *(*malloc_fn)(void *opaque, size_t size);
    void *(*realloc_fn)(void *opaque, void *ptr, size_t size);
    void (*free_fn)(void *opaque, void *ptr);
    void *opaque;
} alliance_allocator;

/* Installs an allocator (copied), or the C library's with NULL. Call it before
 * any other function, while no object of the library exists; not thread-safe.
 * Returns ALLIANCE_EINVAL if a function pointer is NULL, ALLIANCE_EVERSION. */
ALLIANCE_API int alliance_set_allocator(const alliance_allocator *allocator);

#define ALLIANCE_ALLOCATOR_INIT { ALLIANCE_ALLOCATOR_VERSION, NULL, NULL, NULL, NULL }
/* Writes the version and NULL everywhere else: the caller then sets the three
 * functions (and opaque). ALLIANCE_EINVAL for NULL, ALLIANCE_EVERSION. */
ALLIANCE_API int alliance_allocator_init(alliance_allocator *allocator, uint32_t version);

/* ------------------------------------------------------------------------- */
/* SM-2: the pure scheduler                                                  */
/* ------------------------------------------------------------------------- */

/* The presets (see docs/sm2.md for every point where SM-2 readings differ). */
#define ALLIANCE_SM2_SUPERMEMO 0 /* Wozniak's 1990 text: same-day repeats, EF kept on failure, round up */
#define ALLIANCE_SM2_CLASSIC   1 /* the widely copied pseudo-code: EF always updated, round half up */

/* One card's SM-2 state. A new card is {0, initial_efactor_milli, 0, 0}. */
typedef struct alliance_sm2_state {
    uint32_t repetitions;    /* n: successful recalls in a row; 0 = new or lapsed      */
    uint32_t efactor_milli;  /* E-Factor in thousandths: 2500 means 2.5                */
    uint32_t interval_days;  /* I(n) in days; 0 means "due again today"                */
    uint32_t repeat_today;   /* 1 while SM-2's same-day repeat of a weak answer is due */
} alliance_sm2_state;

#define ALLIANCE_SM2_PARAMS_VERSION 1
typedef struct alliance_sm2_params {
    uint32_t version;               /* ALLIANCE_SM2_PARAMS_VERSION */
    uint32_t preset;                /* ALLIANCE_SM2_SUPERMEMO or ALLIANCE_SM2_CLASSIC */
    uint32_t initial_efactor_milli; /* 2500; E-Factor of a new card, min_efactor_milli..1000000 */
    uint32_t min_efactor_milli;     /* 1300; the E-Factor floor, >= 1 */
    uint32_t first_interval_days;   /* 1; I(1), >= 1 */
    uint32_t second_interval_days;  /* 6; I(2), >= 1 */
    uint32_t max_interval_days;     /* 36500; every interval is capped here, >= 1 */
} alliance_sm2_params;

#define ALLIANCE_SM2_PARAMS_INIT \
    { ALLIANCE_SM2_PARAMS_VERSION, ALLIANCE_SM2_SUPERMEMO, 2500, 1300, 1, 6, 36500 }

/* Fills *params with the defaults of `preset`. ALLIANCE_EINVAL for NULL or an unknown preset.
 * Deprecated: use alliance_sm2_params_init_v2, which takes the struct version as
 * every other _init does and the preset as the field's type (uint32_t). */
ALLIANCE_API int alliance_sm2_params_init(alliance_sm2_params *params, int preset);

/* Fills *params (layout `version`) with the defaults of `preset`. ALLIANCE_EINVAL
 * for NULL or an unknown preset, ALLIANCE_EVERSION; *params is untouched on failure. */
ALLIANCE_API int alliance_sm2_params_init_v2(alliance_sm2_params *params, uint32_t version, uint32_t preset);

/* Checks that *params is usable: 0, ALLIANCE_EINVAL (NULL, unknown preset, a
 * range above) or ALLIANCE_EVERSION. */
ALLIANCE_API int alliance_sm2_params_check(const alliance_sm2_params *params);

/* Writes the state of a new card: {0, initial_efactor_milli, 0, 0}. Returns 0,
 * ALLIANCE_EINVAL (NULL) or a code of alliance_sm2_params_check; *out is untouched on failure. */
ALLIANCE_API int alliance_sm2_state_init(const alliance_sm2_params *params, alliance_sm2_state *out);

/* One SM-2 step: the state after answering `grade` (0..5) in state *in.
 * Pure: no I/O, no clock, no allocation, no global state. `in` and `out` may
 * point to the same struct. After a review on day D the card is due on
 * D + (out->repeat_today ? 0 : out->interval_days).
 * Returns 0; ALLIANCE_EINVAL (NULL), ALLIANCE_EVERSION / ALLIANCE_EINVAL (bad
 * params), ALLIANCE_EGRADE, ALLIANCE_ESTATE (E-Factor below the floor or above
 * 1000000, repeat_today not 0/1, or another state these params cannot produce,
 * such as an interval above the cap: docs/sm2.md); *out is untouched on failure.
 * The E-Factor never leaves min_efactor_milli..1000000. */
ALLIANCE_API int alliance_sm2_next(const alliance_sm2_params *params, const alliance_sm2_state *in,
                                   int grade, alliance_sm2_state *out);

/* ------------------------------------------------------------------------- */
/* FSRS-6: the pure scheduler                                                */
/* ------------------------------------------------------------------------- */

/* FSRS-6 (the Free Spaced Repetition Scheduler), day-granular long-term
 * scheduling exactly as ts-fsrs 5.x computes it with enable_short_term = false
 * and no fuzz; docs/fsrs.md gives the formulas, each parameter and where
 * implementations differ. The arithmetic is floating point, yet the same bits
 * on every platform and compiler: exp, log and pow are the library's own, made
 * of IEEE-754 basic operations, never libm's. That holds in the default
 * floating-point environment (round to nearest, subnormals kept), which every
 * alliance_fsrs_* call checks: a caller that changed it (fesetround, or
 * flush-to-zero as a program linked with -ffast-math sets) gets ALLIANCE_EMISUSE. */

/* Ratings. */
#define ALLIANCE_FSRS_AGAIN 1 /* forgotten */
#define ALLIANCE_FSRS_HARD  2 /* recalled with serious difficulty */
#define ALLIANCE_FSRS_GOOD  3 /* recalled */
#define ALLIANCE_FSRS_EASY  4 /* recalled easily */

#define ALLIANCE_FSRS_PARAMS_VERSION 1
typedef struct alliance_fsrs_params {
    uint32_t version;            /* ALLIANCE_FSRS_PARAMS_VERSION */
    double weights[21];          /* FSRS-6 w0..w20, each finite and within its range (docs/fsrs.md);
                                    defaults: the published FSRS-6 defaults */
    double desired_retention;    /* 0.9; the recall probability intervals aim at, 0 < r <= 1 */
    uint32_t max_interval_days;  /* 36500; 1..UINT32_MAX - 3 (see alliance_fsrs_next) */
} alliance_fsrs_params;

#define ALLIANCE_FSRS_PARAMS_INIT                                                                  \
    { ALLIANCE_FSRS_PARAMS_VERSION,                                                                \
      { 0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,       \
        1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542 },          \
      0.9, 36500 }

/* One card's FSRS memory state. A new card is all zeros. */
typedef struct alliance_fsrs_state {
    double stability;            /* days until recall falls to 90%; 0.001..36500, 0 for a new card */
    double difficulty;           /* 1..10; 0 for a new card */
    uint32_t interval_days;      /* the interval this answer scheduled, >= 1; 0 for a new card */
} alliance_fsrs_state;

/* Fills *params with the defaults of layout `version` (ALLIANCE_FSRS_PARAMS_VERSION).
 * ALLIANCE_EINVAL for NULL, ALLIANCE_EVERSION for an unknown version. */
ALLIANCE_API int alliance_fsrs_params_init(alliance_fsrs_params *params, uint32_t version);

/* Checks that *params is usable: 0, ALLIANCE_EINVAL (NULL, a weight NaN, infinite
 * or outside its range, desired_retention outside (0, 1], max_interval_days
 * outside its range) or ALLIANCE_EVERSION. */
ALLIANCE_API int alliance_fsrs_params_check(const alliance_fsrs_params *params);

/* One FSRS step: the state after answering `rating` (ALLIANCE_FSRS_AGAIN..EASY)
 * in state *in, elapsed_days after the previous review (0 for a new card's
 * first answer; 0 for a second review on the same day is allowed).
 * After a review on day D the card is due on D + out->interval_days.
 * Intervals are ordered again <= hard < good < easy as ts-fsrs orders them:
 * each is its stability scaled to desired_retention, rounded, clamped to
 * 1..max_interval_days, then hard is at least again + 1, good hard + 1 and easy
 * good + 1, so when the stabilities reach the cap hard, good and easy may lie
 * 1, 2 and 3 days past max_interval_days (Anki keeps them at the cap: docs/fsrs.md).
 * Pure: no I/O, no clock, no allocation, no global state; `in` and `out` may
 * point to the same struct.
 * Returns 0; ALLIANCE_EINVAL (NULL, or elapsed_days != 0 for a new card),
 * ALLIANCE_EVERSION / ALLIANCE_EINVAL (bad params), ALLIANCE_EGRADE (rating
 * outside 1..4), ALLIANCE_ESTATE (a state no answer produces: NaN, stability
 * outside 0.001..36500, difficulty outside 1..10, interval 0, or only some
 * fields zero), ALLIANCE_EMISUSE (floating-point environment, above); *out is
 * untouched on failure. */
ALLIANCE_API int alliance_fsrs_next(const alliance_fsrs_params *params, const alliance_fsrs_state *in,
                                    int rating, uint32_t elapsed_days, alliance_fsrs_state *out);

/* The predicted probability of recall after elapsed_days since the last
 * review: R = (1 + factor t / S)^(-w20) with factor = 0.9^(-1/w20) - 1, rounded
 * to 8 decimals as ts-fsrs does (so 0.9 when t == S); 0 for a new card.
 * Returns 0 and *out in [0, 1]; ALLIANCE_EINVAL, ALLIANCE_EVERSION, ALLIANCE_ESTATE,
 * ALLIANCE_EMISUSE as alliance_fsrs_next; *out is untouched on failure. */
ALLIANCE_API int alliance_fsrs_retrievability(const alliance_fsrs_params *params, const alliance_fsrs_state *state,
                                              uint32_t elapsed_days, double *out);

/* ------------------------------------------------------------------------- */
/* The learner's day                                                         */
/* ------------------------------------------------------------------------- */

/* A day number counts local calendar days since 1970-01-01 (day 0), after
 * moving the day's start to the rollover hour: with rollover 4, a review at
 * 01:30 local time belongs to the previous day. */

/* utc_offset_seconds value meaning "the process time zone" (localtime_r, TZ). */
#define ALLIANCE_UTC_OFFSET_LOCAL INT32_MIN

/* The day number of `unix_seconds`. utc_offset_seconds is east of UTC (-50400..50400)
 * or ALLIANCE_UTC_OFFSET_LOCAL; rollover_hour is 0..23. With the process time zone,
 * DST never skips or repeats a day (the local calendar date decides). */
ALLIANCE_API int alliance_day_number(int64_t *out_day, int64_t unix_seconds,
                                     int32_t utc_offset_seconds, uint32_t rollover_hour);

/* The first Unix second of day `day` (its rollover instant); inverse of alliance_day_number. */
ALLIANCE_API int alliance_day_start(int64_t *out_unix_seconds, int64_t day,
                                    int32_t utc_offset_seconds, uint32_t rollover_hour);

/* ------------------------------------------------------------------------- */
/* Collections                                                               */
/* ------------------------------------------------------------------------- */

typedef struct alliance_db alliance_db;

#define ALLIANCE_OPEN_CREATE   0x1u /* create the file (and the schema) if it does not exist */
#define ALLIANCE_OPEN_READONLY 0x2u /* never write; writes fail with ALLIANCE_EREADONLY */

#define ALLIANCE_SYNC_NORMAL 1 /* WAL + synchronous=NORMAL: never corrupt; a power cut may lose the last commits */
#define ALLIANCE_SYNC_FULL   2 /* WAL + synchronous=FULL: every acknowledged answer survives a power cut (default) */

#define ALLIANCE_OPEN_OPTIONS_VERSION 1
typedef struct alliance_open_options {
    uint32_t version;            /* ALLIANCE_OPEN_OPTIONS_VERSION */
    uint32_t flags;              /* ALLIANCE_OPEN_*; default ALLIANCE_OPEN_CREATE */
    uint32_t synchronous;        /* ALLIANCE_SYNC_*; default ALLIANCE_SYNC_FULL */
    uint32_t busy_timeout_ms;    /* wait this long for another connection's lock; default 5000 */
    int32_t utc_offset_seconds;  /* the learner's offset for this handle (not stored); default
                                    ALLIANCE_UTC_OFFSET_LOCAL: the offset stored in the file by
                                    alliance_set_utc_offset, else the process time zone */
} alliance_open_options;

#define ALLIANCE_OPEN_OPTIONS_INIT \
    { ALLIANCE_OPEN_OPTIONS_VERSION, ALLIANCE_OPEN_CREATE, ALLIANCE_SYNC_FULL, 5000, ALLIANCE_UTC_OFFSET_LOCAL }

ALLIANCE_API int alliance_open_options_init(alliance_open_options *options, uint32_t version);

/* Opens (and with ALLIANCE_OPEN_CREATE creates) the collection at `path`
 * (":memory:" for a private in-memory one), creating or upgrading its schema.
 * options may be NULL for the defaults.
 * Like sqlite3_open_v2, *out is set to a handle even when opening fails (unless
 * memory ran out, then *out is NULL): alliance_errmsg(*out) tells why, and the
 * caller must still alliance_close(*out). A file made by a newer liballiance
 * (ALLIANCE_ENEWER) or one that is not a collection (ALLIANCE_ENOTCOLLECTION) is
 * never modified: the file is recognised from its own bytes before SQLite may
 * recover a journal, so a foreign database keeps its journal or write-ahead log
 * too. `path` is taken literally (never as a SQLite URI). Refused: anything but
 * a regular file (ALLIANCE_EIO for a directory, ALLIANCE_ENOTCOLLECTION for a
 * FIFO or device), a file with our ids but not our schema (ALLIANCE_ECORRUPT);
 * a path the system cannot reach (EACCES, ELOOP...) is ALLIANCE_EIO with the
 * system's reason. With ALLIANCE_OPEN_READONLY a collection is read even where
 * its WAL index (the -shm file) cannot be made (a read-only directory, a full
 * disk): if no -wal file is pending it is then opened in SQLite's immutable mode,
 * which does not see what other processes write while it is open; with a -wal
 * pending (beside the file a symlink names) that fails with ALLIANCE_EREADONLY
 * (ALLIANCE_EFULL on a full disk) naming the log and the reason. */
ALLIANCE_API int alliance_open(alliance_db **out, const char *path, const alliance_open_options *options);

/* Closes the collection. NULL is a no-op. Sessions and iterators still open on
 * it are detached: their later calls return ALLIANCE_EMISUSE and they must
 * still be closed/freed. The handle is always freed. Closing checkpoints the
 * WAL into the main file; a checkpoint that cannot run (another process is
 * reading, an I/O error) is not reported: every committed answer stays in the
 * WAL and the next open sees it. Returns 0, or an ALLIANCE_E* code if SQLite
 * refused to close the connection (the handle is freed all the same). */
ALLIANCE_API int alliance_close(alliance_db *db);

/* The message of the last failure on `db`, in English, naming what and where
 * (card id, file:line:column). "not an error" after success; never NULL, also
 * for db == NULL ("out of memory"). Valid until the next call on `db` from any
 * thread (see "Threads" at the top of this file). */
ALLIANCE_API const char *alliance_errmsg(alliance_db *db);
/* The code of the last failure on `db` (0 after success). */
ALLIANCE_API int alliance_errcode(alliance_db *db);

/* Changes the learner's UTC offset (for example after travelling): this handle's, and the one
 * stored in the file as this device's setting (schema 7; never synced: each device keeps its own
 * zone, docs/sync.md), which later opens without an offset option use. ALLIANCE_UTC_OFFSET_LOCAL
 * stores "none" (the process time zone). On a handle opened read-only only the handle's changes.
 * Returns 0, ALLIANCE_EINVAL (outside -50400..50400), or a storage error (nothing changed). */
ALLIANCE_API int alliance_set_utc_offset(alliance_db *db, int32_t utc_offset_seconds);

/* The day number of `now` for this collection (its offset and rollover hour). */
ALLIANCE_API int alliance_today(alliance_db *db, int64_t now, int64_t *out_day);

/* Collection settings, stored in the file. */
#define ALLIANCE_CONFIG_VERSION 1
typedef struct alliance_config {
    uint32_t version;          /* ALLIANCE_CONFIG_VERSION */
    uint32_t new_per_day;      /* new cards introduced per day; default 20 */
    uint32_t reviews_per_day;  /* review cards per day (same-day repeats not counted); default 200 */
    uint32_t rollover_hour;    /* local hour at which a new day starts, 0..23; default 4 */
    uint32_t leech_threshold;  /* lapses that make a card a leech; 0 = never; default 8 */
    uint32_t leech_suspend;    /* 1: a new leech is also suspended; 0: only flagged; default 1 */
} alliance_config;

#define ALLIANCE_CONFIG_INIT { ALLIANCE_CONFIG_VERSION, 20, 200, 4, 8, 1 }

ALLIANCE_API int alliance_config_init(alliance_config *config, uint32_t version);
/* Reads the stored settings into *out (out->version must be set, e.g. by alliance_config_init(out, ALLIANCE_CONFIG_VERSION)). */
ALLIANCE_API int alliance_config_get(alliance_db *db, alliance_config *out);
ALLIANCE_API int alliance_config_set(alliance_db *db, const alliance_config *config);

/* The SM-2 parameters used for every answer from now on. Each review records
 * the parameters it was scheduled with, so changing them never rewrites history.
 * _get reads them into *out (out->version must be set, e.g. by alliance_sm2_params_init_v2). */
ALLIANCE_API int alliance_sm2_params_get(alliance_db *db, alliance_sm2_params *out);
ALLIANCE_API int alliance_sm2_params_set(alliance_db *db, const alliance_sm2_params *params);

/* ------------------------------------------------------------------------- */
/* Decks and cards                                                           */
/* ------------------------------------------------------------------------- */

/* Deck ids are positive; 0 means "every deck" where a function accepts it. */

/* The id of the deck called `name`, created (empty) if create != 0 and it does not exist.
 * ALLIANCE_ENOTFOUND if it does not exist and create == 0. No time is given here: a deck
 * created this way has created/modified 0 until an import of its deck file sets them. */
ALLIANCE_API int alliance_deck_id(alliance_db *db, const char *name, int create, int64_t *out_deck_id);

/* The deck's name, in a new string freed with alliance_free. */
ALLIANCE_API int alliance_deck_name(alliance_db *db, int64_t deck_id, char **out_name);

/* The title the deck's header gives to one of its sources ("source: FILE | TITLE"),
 * for showing "where this card comes from" when a card names only its source_file.
 * *out_title is a new string freed with alliance_free. ALLIANCE_ENOTFOUND if the
 * deck does not exist or its header lists no such FILE. */
ALLIANCE_API int alliance_deck_source_title(alliance_db *db, int64_t deck_id, const char *source_file,
                                            char **out_title);

/* One deck of a collection, as alliance_deck_iter_next hands it out: one block
 * allocated by the library (strings included), freed with alliance_free().
 * The library only appends fields; callers never allocate it. The counts are
 * those alliance_stats_get gives for the deck at the `now` the iterator was
 * opened with. */
typedef struct alliance_deck_info {
    uint32_t version;           /* the layout version the library filled in (1) */
    int64_t id;                 /* the deck id (positive) */
    const char *name;           /* never NULL */
    const char *description;    /* never NULL ("" when none) */
    int64_t created;            /* Unix seconds (0 for a deck made by alliance_deck_id) */
    int64_t modified;           /* Unix seconds of the last import of its deck file (or 0) */
    uint32_t total;             /* cards, suspended ones included */
    uint32_t new_cards;         /* never answered */
    uint32_t learned;           /* answered at least once */
    uint32_t due_today;         /* learned, not suspended, due today or earlier (buried included) */
    uint32_t suspended;
    uint32_t leeches;
} alliance_deck_info;

typedef struct alliance_deck_iter alliance_deck_iter;

/* Iterates over the collection's decks in the order they were created (by id),
 * counting each deck's cards at `now`. Like the card iterator it holds no
 * statement between calls. */
ALLIANCE_API int alliance_deck_iter_open(alliance_deck_iter **out, alliance_db *db, int64_t now);
/* 0 and a new deck in *out (freed with alliance_free), or ALLIANCE_DONE and *out = NULL. */
ALLIANCE_API int alliance_deck_iter_next(alliance_deck_iter *iter, alliance_deck_info **out);
/* NULL is a no-op; safe after the collection was closed. */
ALLIANCE_API void alliance_deck_iter_free(alliance_deck_iter *iter);

/* Renames deck_id to new_name (the rule of every deck name: a name an export reads back).
 * ALLIANCE_EEXISTS if another deck has that name, ALLIANCE_ENOTFOUND if deck_id is not a
 * deck; its own name is a no-op. Cards, history and the deck id stay. Synced: a deck is
 * keyed by its name, so a rename deletes the old name and moves every card, in one stamp
 * (docs/sync.md, "Renaming and deleting a deck"). One transaction. */
ALLIANCE_API int alliance_deck_rename(alliance_db *db, int64_t deck_id, const char *new_name);

/* alliance_deck_delete flags */
#define ALLIANCE_DECK_DELETE_CARDS 1u /* delete the deck's cards and their whole history too */

/* Deletes deck_id. Refused with ALLIANCE_EINVAL while it has cards unless flags has
 * ALLIANCE_DECK_DELETE_CARDS; then its cards and their review logs go with it, in one
 * transaction. Synced: the deletion reaches every copy, and an answer given meanwhile on
 * another copy to one of its cards goes with the card (docs/sync.md). A later import
 * or note under the same name makes a new deck. ALLIANCE_ENOTFOUND if deck_id is not a deck. */
ALLIANCE_API int alliance_deck_delete(alliance_db *db, int64_t deck_id, uint32_t flags);

#define ALLIANCE_CARD_BASIC  1 /* front / back */
#define ALLIANCE_CARD_CLOZE  2 /* a sentence with {{cN::deletions}}; one card per deletion number */
#define ALLIANCE_CARD_CHOICE 3 /* question, one correct answer, wrong options */

#define ALLIANCE_NOTE_VERSION 1
/* A card as its author writes it (a cloze note becomes one card per deletion number). */
typedef struct alliance_note {
    uint32_t version;         /* ALLIANCE_NOTE_VERSION */
    uint32_t type;            /* ALLIANCE_CARD_* */
    const char *id;           /* the author's stable id (see docs/deck-format.md for the rules) */
    const char *front;        /* basic: front; cloze: the text with deletions; choice: question */
    const char *back;         /* basic: back; cloze: extra (may be NULL); choice: the correct answer */
    const char *wrong;        /* choice: the wrong options, one per line; NULL otherwise */
    const char *tags;         /* blank-separated tags, may be NULL */
    const char *source_file;  /* the article the card comes from, may be NULL */
    const char *source_quote; /* a short verbatim quote of that sentence, may be NULL */
} alliance_note;

#define ALLIANCE_NOTE_INIT { ALLIANCE_NOTE_VERSION, ALLIANCE_CARD_BASIC, NULL, NULL, NULL, NULL, NULL, NULL, NULL }
ALLIANCE_API int alliance_note_init(alliance_note *note, uint32_t version);

/* Adds a note's cards to a deck as new cards. ALLIANCE_EEXISTS if one of its
 * card ids is already in the collection; ALLIANCE_EINVAL (with a message) if the
 * note is malformed (cloze without deletion, choice without wrong options...). */
ALLIANCE_API int alliance_note_add(alliance_db *db, int64_t deck_id, const alliance_note *note, int64_t now);

/* A card as the library hands it out: one block allocated by the library,
 * freed with alliance_free(). Every string lives inside that block. The library
 * only appends fields, and callers never allocate this struct themselves. */
typedef struct alliance_card {
    uint32_t version;           /* the layout version the library filled in (1) */
    uint32_t type;              /* ALLIANCE_CARD_* */
    const char *id;             /* card id: the note id, or "NOTE::cN" for cloze deletion N */
    const char *note_id;        /* the author's id */
    uint32_t ordinal;           /* cloze deletion number N; 0 for other types */
    int64_t deck_id;
    const char *front;          /* as in alliance_note (cloze: the raw text; see alliance_cloze_render) */
    const char *back;           /* never NULL ("" when absent) */
    const char *wrong;          /* never NULL */
    const char *tags;           /* never NULL */
    const char *source_file;    /* never NULL */
    const char *source_quote;   /* never NULL */
    int64_t created;            /* Unix seconds */
    int64_t modified;           /* Unix seconds of the last change of its text */
    uint32_t suspended;         /* 1 if suspended */
    uint32_t leech;             /* 1 if flagged as a leech */
    alliance_sm2_state state;   /* the SM-2 state now */
    int64_t due_day;            /* day number it is due (meaningless while reviews == 0) */
    int64_t last_review_day;    /* day of the last review, -1 if never reviewed */
    int64_t buried_until_day;   /* hidden from sessions before this day; INT64_MIN if not buried
                                   (days before 1970 are negative: no real day is "not buried") */
    uint32_t reviews;           /* answers in the log */
    uint32_t lapses;            /* answers below 3 after the card had been learned */
    /* version 2 (FSRS in the collection, docs/fsrs.md): the card's FSRS memory state, the
     * replay of its log under FSRS while the collection is scheduled by FSRS; all zeros
     * while it is scheduled by SM-2. alliance_fsrs_retrievability(params, &fsrs,
     * today - last_review_day, &r) gives its predicted recall today. */
    alliance_fsrs_state fsrs;
    uint32_t fsrs_drill;        /* 1 after an Again under FSRS: due again the same day, as a drill
                                   that leaves the FSRS state as it is */
    /* version 3: the card's predicted probability of recall on retrievability_day, from
     * alliance_fsrs_retrievability(collection's params, &fsrs, retrievability_day -
     * last_review_day) (deterministic math, docs/fsrs.md). FSRS only: 0 while the collection
     * is scheduled by SM-2 (its fsrs state is all zeros) and for a card never reviewed.
     * The library never reads the clock, so only a call given a `now` computes it
     * (alliance_session_next, alliance_card_get_at); the others (alliance_card_get,
     * alliance_card_search) leave retrievability_day INT64_MIN and the value 0. */
    int64_t retrievability_day; /* the day (as alliance_today gives) it is for, or INT64_MIN */
    double fsrs_retrievability; /* in [0, 1]; never NaN */
} alliance_card;

/* A copy of one card (by card id). ALLIANCE_ENOTFOUND if there is none. */
ALLIANCE_API int alliance_card_get(alliance_db *db, const char *card_id, alliance_card **out);

/* As alliance_card_get, with fsrs_retrievability computed for the day of `now`
 * (a review after `now`, from a clock that went back, counts as 0 days elapsed).
 * ALLIANCE_EINVAL also for a `now` outside the supported range; ALLIANCE_ECORRUPT
 * if the card's stored FSRS state is one no answer produces. */
ALLIANCE_API int alliance_card_get_at(alliance_db *db, const char *card_id, int64_t now, alliance_card **out);

/* Suspends (1) or unsuspends (0) a card: suspended cards are never scheduled. */
ALLIANCE_API int alliance_card_suspend(alliance_db *db, const char *card_id, int suspended, int64_t now);

/* Hides a card from sessions until tomorrow (the next day number). */
ALLIANCE_API int alliance_card_bury(alliance_db *db, const char *card_id, int64_t now);

/* Renders a cloze text for deletion `ordinal`: with reveal == 0 its deletions
 * become "[...]" (or "[hint]"), with reveal != 0 their text; other deletions
 * always show their text. *out is freed with alliance_free. ALLIANCE_EINVAL for
 * a malformed text or an ordinal outside 1..99, ALLIANCE_ENOTFOUND if the text
 * has no deletion `ordinal`. */
ALLIANCE_API int alliance_cloze_render(char **out, const char *text, uint32_t ordinal, int reveal);

/* How to render a card for display (alliance_card_render). */
#define ALLIANCE_RENDER_OPTIONS_VERSION 1
/* Flags. A flag this library does not know is refused (ALLIANCE_EINVAL), so a
 * program can tell whether the loaded library renders what it asks for. */
#define ALLIANCE_RENDER_KEEP_ORDER 0x1u /* choice: options in the author's order, the answer first */
/* Fields holding HTML (from Anki: see docs/anki.md, "HTML") rendered as plain text: blocks
 * and <br> become line breaks, lists "- " / "N. " items, entities decoded, <img> "[image]",
 * "[sound:...]" "[sound]", other tags dropped keeping their text. A field without markup
 * is shown as it is. Without this flag every field is shown exactly as stored. */
#define ALLIANCE_RENDER_HTML_TEXT 0x2u
/* With ALLIANCE_RENDER_HTML_TEXT: <b>/<strong>, <i>/<em> and <u> become terminal
 * escape sequences (SGR bold, italic, underline, each followed by a reset). */
#define ALLIANCE_RENDER_HTML_SGR 0x4u
typedef struct alliance_render_options {
    uint32_t version;  /* ALLIANCE_RENDER_OPTIONS_VERSION */
    uint32_t flags;    /* ALLIANCE_RENDER_*; default 0 */
    uint64_t seed;     /* choice: the shuffle's seed, mixed with the card id; default 0 */
} alliance_render_options;

#define ALLIANCE_RENDER_OPTIONS_INIT { ALLIANCE_RENDER_OPTIONS_VERSION, 0, 0 }
ALLIANCE_API int alliance_render_options_init(alliance_render_options *options, uint32_t version);

/* A card made ready to show, by alliance_card_render: one block allocated by
 * the library (strings and the options array included), freed with
 * alliance_free(). The library only appends fields. */
typedef struct alliance_rendered_card {
    uint32_t version;            /* the layout version the library filled in (1) */
    uint32_t type;               /* the card's ALLIANCE_CARD_* */
    const char *prompt;          /* shown first: basic the front; cloze the text with this card's
                                    deletions hidden ("[...]" or "[hint]"); choice the question */
    const char *answer;          /* shown on reveal: basic the back; cloze the text with this card's
                                    deletions revealed; choice the correct option */
    const char *extra;           /* shown with the answer: a cloze card's extra; "" otherwise */
    uint32_t option_count;       /* choice: the answer and every wrong option; 0 otherwise */
    uint32_t correct_option;     /* choice: the index of the answer in options; 0 otherwise */
    const char *const *options;  /* choice: option_count strings, shuffled; NULL otherwise */
} alliance_rendered_card;

/* Renders a card (from alliance_card_get, a session or an iterator) for display,
 * so that every app shows each card type the same way. A choice card's options
 * are shuffled reproducibly: the order depends only on options->seed and the
 * card id (FNV-1a 64 of the id, XOR the seed, drives splitmix64 and a
 * Fisher-Yates shuffle), the same on every machine and in every version;
 * seed 0 is the order alliance-drill shows. options may be NULL for the
 * defaults. Pure: no collection, no clock; safe from any thread.
 * Returns 0; ALLIANCE_EINVAL for NULL, an unknown flag, an unknown card type or
 * a malformed cloze text; ALLIANCE_EVERSION; ALLIANCE_ENOMEM. */
ALLIANCE_API int alliance_card_render(alliance_rendered_card **out, const alliance_card *card,
                                      const alliance_render_options *options);


/* Card iteration (list, search): cards are read one at a time, never all at once.
 * An iterator holds nothing between calls (so it never blocks a writer): each
 * alliance_card_iter_next reads the collection as it is at that call, and cards
 * that another connection adds or re-orders meanwhile (an import of the deck in
 * another order) may be missed or met twice. For a complete, consistent copy of
 * a deck use alliance_deck_export, which reads one snapshot. */
typedef struct alliance_card_iter alliance_card_iter;

/* Iterates over the cards of `deck_id` (0: all decks) whose fields or tags
 * contain `text` (case-insensitive for ASCII; NULL or "": all cards), in a stable
 * order: deck, then the card's position in its deck file (notes added with
 * alliance_note_add after them). */
ALLIANCE_API int alliance_card_search(alliance_card_iter **out, alliance_db *db, int64_t deck_id,
                                      const char *text);
/* 0 and a new card in *out (freed with alliance_free), or ALLIANCE_DONE and *out = NULL. */
ALLIANCE_API int alliance_card_iter_next(alliance_card_iter *iter, alliance_card **out);
/* NULL is a no-op; safe after the collection was closed. */
ALLIANCE_API void alliance_card_iter_free(alliance_card_iter *iter);

/* ------------------------------------------------------------------------- */
/* Answering, undo and the review log                                        */
/* ------------------------------------------------------------------------- */

/* Answers a due card with `grade` (0..5) at time `now`, in one transaction:
 * the new SM-2 state and its review-log row are written together or not at
 * all. answer_ms is how long the learner took (0 if unknown). *out_after (may
 * be NULL) receives the new state. A card is due when it is new, or its due
 * day is today or earlier, and it is neither suspended nor buried.
 * ALLIANCE_ENOTFOUND, ALLIANCE_ENOTDUE, ALLIANCE_EGRADE: nothing changes.
 * If the clock went backwards since the card's last review, the review counts
 * on the day of that last review, so a card is never due before it was answered. */
ALLIANCE_API int alliance_answer(alliance_db *db, const char *card_id, int grade, int64_t now,
                                 uint32_t answer_ms, alliance_sm2_state *out_after);

/* Undoes the most recent answer this copy of the collection gave (never one that
 * sync brought from another copy: docs/sync.md): deletes exactly that review-log
 * row and replays the card, which restores its exact previous state when no other
 * copy's answer to it came after; the undo reaches the other copies at the next
 * sync. Can be repeated to undo older answers. *out_card_id (may be NULL) receives
 * the card's id, freed with alliance_free. ALLIANCE_ENOUNDO if this copy has no
 * answer left in the log, or if its newest row is history an .apkg import wrote
 * (undo takes back answers given here, never imported ones). */
ALLIANCE_API int alliance_undo(alliance_db *db, char **out_card_id);

#define ALLIANCE_REVIEW_VERSION 4
/* One row of the review log (rows are only appended; alliance_undo deletes exactly the row it undoes,
 * and sync adds the rows of other devices and removes the rows they undid: docs/sync.md). */
typedef struct alliance_review {
    uint32_t version;            /* set by the caller: ALLIANCE_REVIEW_VERSION (1, 2, 3 still accepted) */
    int64_t review_id;           /* this file's row id: increasing with time of insertion here */
    const char *card_id;         /* valid until the next call on the iterator */
    int64_t time;                /* Unix seconds, as given to alliance_answer */
    int64_t day;                 /* the day number it counted on */
    int32_t grade;
    alliance_sm2_state before;
    alliance_sm2_state after;
    int64_t elapsed_days;        /* days since the previous review of this card; -1 for the first */
    uint32_t answer_ms;          /* 0 if unknown */
    alliance_sm2_params params;  /* the parameters it was scheduled with */
    /* version 2: */
    int64_t origin_replica;      /* the replica (device) that gave the answer ... */
    int64_t origin_seq;          /* ... and its number there: the review's id on every copy */
    /* version 3 (schema 5, docs/fsrs.md "The scheduler of each review"): which scheduler was in
     * force when the answer was given, and under FSRS with which parameters. A record of
     * history, the same on every copy: replay and a later switch never change it (the
     * schedule is the replay under the collection's settings now). Rows of a file from
     * before schema 5 say SM-2. */
    uint32_t scheduler;                /* ALLIANCE_SCHEDULER_SM2 or ALLIANCE_SCHEDULER_FSRS */
    alliance_fsrs_params fsrs_params;  /* under FSRS the parameters in force; all zeros under SM-2 */
    /* version 4 (schema 6, docs/anki.md): */
    int64_t import_id;           /* a row an .apkg import wrote from Anki's review log: Anki's revlog id
                                  * (the answer's time in ms; docs/anki.md); 0 for an answer given here */
} alliance_review;

#define ALLIANCE_REVIEW_INIT \
    { ALLIANCE_REVIEW_VERSION, 0, NULL, 0, 0, 0, { 0, 0, 0, 0 }, { 0, 0, 0, 0 }, 0, 0, ALLIANCE_SM2_PARAMS_INIT, 0, 0, \
      0, { 0, { 0 }, 0, 0 }, 0 }
/* Zeroes *review, sets its version and its params to the SuperMemo defaults (as
 * ALLIANCE_REVIEW_INIT does), ready for alliance_review_iter_next. */
ALLIANCE_API int alliance_review_init(alliance_review *review, uint32_t version);

typedef struct alliance_review_iter alliance_review_iter;

/* Iterates over the log of one card (card_id) or of the whole collection (NULL), oldest first:
 * in the merged order every copy of the collection shares (docs/sync.md: time, then the
 * answering replica, then its sequence; a device's own answers never go back in time).
 * Like the card iterator it holds nothing between calls: it meets every row committed before
 * it began (unless undone meanwhile), and a row committed while it runs when that row sorts
 * after the last one it returned (an answer received by sync may sort before it). */
ALLIANCE_API int alliance_review_iter_open(alliance_review_iter **out, alliance_db *db, const char *card_id);
/* 0 and *out filled (out->version must be set), or ALLIANCE_DONE. */
ALLIANCE_API int alliance_review_iter_next(alliance_review_iter *iter, alliance_review *out);
/* NULL is a no-op; safe after the collection was closed. */
ALLIANCE_API void alliance_review_iter_free(alliance_review_iter *iter);

/* Rebuilds a card's state by replaying its review log with the recorded
 * parameters, without writing anything, from one snapshot of the collection.
 * out_due_day may be NULL. */
ALLIANCE_API int alliance_replay(alliance_db *db, const char *card_id, alliance_sm2_state *out_state,
                                 int64_t *out_due_day);

/* Checks every card: stored state == replay of its log. *out_mismatches counts
 * the cards that differ (0 for a healthy collection); the first is named in
 * alliance_errmsg. Reads one snapshot: answers other connections commit
 * meanwhile are not half-seen. ALLIANCE_ECORRUPT if the file is damaged. */
ALLIANCE_API int alliance_verify(alliance_db *db, uint64_t *out_mismatches);

/* Runs SQLite's PRAGMA integrity_check over the whole collection file (every
 * page, table, index and constraint: it reads the whole file, so it takes a
 * while on a big collection) and PRAGMA foreign_key_check, reading one
 * snapshot. Returns 0 if the file is sound, ALLIANCE_ECORRUPT if it is damaged
 * (alliance_errmsg names the file and the first problem). *out_report (may be
 * NULL) receives what SQLite found, one problem per line ("ok" when sound; at
 * most 100 lines), freed with alliance_free. A health check runs this, then
 * alliance_verify. Added in 0.2. */
ALLIANCE_API int alliance_integrity_check(alliance_db *db, char **out_report);

/* ------------------------------------------------------------------------- */
/* Study sessions                                                            */
/* ------------------------------------------------------------------------- */

typedef struct alliance_session alliance_session;

/* Counts of what today's session holds, for "12 due, 5 new, 2 to repeat". */
typedef struct alliance_counts {
    uint32_t version;      /* set by the caller: ALLIANCE_COUNTS_VERSION */
    uint32_t new_cards;    /* new cards still allowed today (within new_per_day) */
    uint32_t due;          /* reviews due today or earlier, within reviews_per_day */
    uint32_t repeat;       /* cards to see again today (same-day repeats, lapses) */
    uint32_t answered;     /* answers given in this session */
} alliance_counts;
#define ALLIANCE_COUNTS_VERSION 1
#define ALLIANCE_COUNTS_INIT { ALLIANCE_COUNTS_VERSION, 0, 0, 0, 0 }
ALLIANCE_API int alliance_counts_init(alliance_counts *counts, uint32_t version);

/* Starts today's session over deck_id (0: every deck). The queue is: due
 * reviews (most overdue first, then a stable order), then new cards by deck,
 * then the card's position in its deck file (notes added with
 * alliance_note_add after them), within the daily limits; a card to repeat
 * today comes back after a few other answers (never right after itself while
 * others remain, also across session objects: the review log decides) until
 * SM-2 lets it go. */
ALLIANCE_API int alliance_session_open(alliance_session **out, alliance_db *db, int64_t deck_id, int64_t now);

ALLIANCE_API int alliance_session_counts(alliance_session *session, int64_t now, alliance_counts *out);

/* The next card to show: 0 and a new card in *out (alliance_free), or
 * ALLIANCE_DONE and *out = NULL when nothing is left today. */
ALLIANCE_API int alliance_session_next(alliance_session *session, int64_t now, alliance_card **out);

/* alliance_session_counts and then alliance_session_next, read from one snapshot of the
 * collection: what a study screen shows together ("12 due, 5 new, 2 to repeat" above the
 * card), consistent even while another process answers, and cheaper than the two calls
 * (one read transaction instead of two). *out_counts (version set by the caller) gets what
 * alliance_session_counts gives (the card returned is still counted). Returns 0 with
 * a new card in *out (alliance_free) and the counts; ALLIANCE_DONE with *out = NULL and the
 * counts when nothing is left today; ALLIANCE_EINVAL (out or out_counts NULL),
 * ALLIANCE_EVERSION (out_counts->version unknown), or a storage error (then neither out
 * parameter is written). Works for cram sessions too. Added in 0.2. */
ALLIANCE_API int alliance_session_next_with_counts(alliance_session *session, int64_t now, alliance_card **out,
                                                   alliance_counts *out_counts);

/* alliance_answer() for a card of this session, keeping the queue's order. */
ALLIANCE_API int alliance_session_answer(alliance_session *session, const char *card_id, int grade,
                                         int64_t now, uint32_t answer_ms, alliance_sm2_state *out_after);

/* alliance_undo() within the session: it undoes this copy's newest answer,
 * whatever session or deck it came from. The undone card is shown next again if
 * it belongs to the session's deck (any card for deck_id 0); a card of another
 * deck is undone all the same but not offered by this session. */
ALLIANCE_API int alliance_session_undo(alliance_session *session, char **out_card_id);

/* NULL is a no-op; safe before or after the collection is closed. */
ALLIANCE_API void alliance_session_close(alliance_session *session);

/* ------------------------------------------------------------------------- */
/* Statistics                                                                */
/* ------------------------------------------------------------------------- */

#define ALLIANCE_STATS_VERSION 2
typedef struct alliance_stats {
    uint32_t version;           /* set by the caller: ALLIANCE_STATS_VERSION (1 and 2 are accepted) */
    uint32_t total;             /* cards */
    uint32_t new_cards;         /* never answered */
    uint32_t learned;           /* answered at least once */
    uint32_t due_today;         /* due today or earlier (no limits applied), not suspended;
                                   buried cards are included */
    uint32_t suspended;
    uint32_t leeches;
    uint32_t window_days;       /* the window of the figures below */
    uint32_t reviews;           /* answers in the last window_days days (today included) */
    uint32_t correct;           /* of those, grade >= 3: retention = correct / reviews */
    /* version 2 (docs/study-modes.md, "Statistics"); same window */
    uint32_t true_reviews;      /* answers to cards that had an interval of at least one day (not a
                                   new card's first answer, not a same-day repeat): Anki's reviews */
    uint32_t true_passed;       /* of those, grade >= 3: true retention = true_passed / true_reviews */
    uint32_t mature_reviews;    /* the true reviews of cards whose interval was >= 21 days */
    uint32_t mature_passed;     /* of those, grade >= 3 (young = true - mature) */
    uint32_t timed_answers;     /* answers with a known answer time (answer_ms > 0) */
    uint32_t average_answer_ms; /* their mean, rounded half up; 0 if none */
} alliance_stats;

#define ALLIANCE_STATS_INIT { ALLIANCE_STATS_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }

/* Fills *stats with zeros in the layout of `version` (1 or 2), version set. */
ALLIANCE_API int alliance_stats_init(alliance_stats *stats, uint32_t version);

/* Statistics of deck_id (0: every deck) at `now` over the last window_days days,
 * from one snapshot of the collection. Writes only the fields of out->version. */
ALLIANCE_API int alliance_stats_get(alliance_db *db, int64_t deck_id, int64_t now, uint32_t window_days,
                                    alliance_stats *out);

/* counts[i] = cards (not suspended) due on day today + i, for i < ndays;
 * counts[0] also holds the overdue ones, and buried cards (a burial only
 * hides a card from sessions until tomorrow). ndays is 1..3650. One snapshot.
 * Deprecated: use alliance_forecast_v2. */
ALLIANCE_API int alliance_forecast(alliance_db *db, int64_t deck_id, int64_t now, uint32_t *counts,
                                   size_t ndays);
/* The same with ndays as uint32_t, as every other count of days in this header
 * (alliance_forecast, which takes a size_t, is deprecated in its favour). */
ALLIANCE_API int alliance_forecast_v2(alliance_db *db, int64_t deck_id, int64_t now, uint32_t *counts,
                                      uint32_t ndays);

/* Reviews per day, for a heatmap: counts[i] = answers given on day today - i
 * (counts[0] is today, counts[365] a year ago) to cards of deck_id (0: every
 * deck), for i < ndays (1..3650; 366 covers the last year). Every answer
 * counts, same-day repeats included. From one snapshot of the collection;
 * on failure counts is left untouched. */
ALLIANCE_API int alliance_review_history(alliance_db *db, int64_t deck_id, int64_t now, uint32_t *counts,
                                         uint32_t ndays);

/* ------------------------------------------------------------------------- */
/* Deck files: import, export, validation                                    */
/* ------------------------------------------------------------------------- */

#define ALLIANCE_FORMAT_DECK      1 /* liballiance's plain-text deck format (docs/deck-format.md) */
#define ALLIANCE_FORMAT_ANKI_TEXT 2 /* Anki's "Notes in Plain Text" (docs/anki.md) */
#define ALLIANCE_FORMAT_APKG      3 /* Anki's package (.apkg): read both kinds, write schema 11 (docs/anki.md) */

#define ALLIANCE_IMPORT_OPTIONS_VERSION 1
typedef struct alliance_import_options {
    uint32_t version;        /* ALLIANCE_IMPORT_OPTIONS_VERSION */
    uint32_t format;         /* ALLIANCE_FORMAT_*; default ALLIANCE_FORMAT_DECK */
    const char *deck_name;   /* the deck when the file names none (Anki text without #deck:); may be NULL */
    uint32_t dry_run;        /* 1: check and count, write nothing */
} alliance_import_options;

#define ALLIANCE_IMPORT_OPTIONS_INIT { ALLIANCE_IMPORT_OPTIONS_VERSION, ALLIANCE_FORMAT_DECK, NULL, 0 }
ALLIANCE_API int alliance_import_options_init(alliance_import_options *options, uint32_t version);

/* One deck of an import, inside an alliance_import_report (allocated with it; only appended to). */
typedef struct alliance_import_deck {
    uint32_t version;        /* the layout version the library filled in (1) */
    int64_t deck_id;         /* 0 for a dry run */
    const char *deck_name;   /* never NULL */
    uint32_t added;
    uint32_t updated;
    uint32_t unchanged;
    uint32_t suspended;      /* as alliance_import_report.suspended, for this deck */
} alliance_import_deck;

/* What an import did (or, on failure, why it did nothing). */
typedef struct alliance_import_report {
    uint32_t version;        /* the layout version the library filled in (1) */
    int64_t deck_id;         /* 0 if nothing was imported */
    const char *deck_name;   /* never NULL */
    uint32_t added;          /* new cards */
    uint32_t updated;        /* cards whose text changed; schedule and history kept */
    uint32_t unchanged;
    uint32_t suspended;      /* cards the last import of the deck had and this file does not: every
                              * card newly missing, whoever had suspended it. They are suspended
                              * (a learner's suspension kept as it is), never deleted, and left
                              * out of alliance_deck_export */
    uint32_t error_count;    /* all errors found */
    const char *errors;      /* the first errors, "FILE:LINE:COLUMN: message\n" each; never NULL */
    /* version 2: a file may name several decks (Anki text, .apkg). The fields
     * above then describe all of them: deck_id and deck_name are the file's first deck, the
     * counts are sums; decks[] has each deck's own. */
    uint32_t deck_count;     /* decks created or updated (0 if nothing was imported, 1 for our format) */
    const alliance_import_deck *const *decks; /* deck_count pointers, in the file's order */
    uint32_t media;          /* .apkg: media files the package holds; they are not copied */
    const char *notices;     /* what was read in a lossy way (e.g. a note type read from its first two
                                fields), one line each; never NULL */
} alliance_import_report;


/* Imports a deck file (or, with the _buffer form, `len` bytes named `name` in
 * messages) in one transaction: all of it or nothing. A file may name several decks
 * (Anki text, .apkg): each is created or updated, and the report lists them. An .apkg
 * (ALLIANCE_FORMAT_APKG) is read member by member from its file (its media are never
 * loaded); a note it holds that our rules refuse is left out and named in the report's
 * notices; a package that is itself wrong fails naming the member (docs/anki.md). Cards are matched by id:
 * new ones added, changed text updated keeping state and log, others left
 * untouched, cards of the deck missing from the file suspended.
 * *out_report (may be NULL) is set on success and on ALLIANCE_EPARSE/ELIMIT
 * failures; free it with alliance_free. options may be NULL. */
ALLIANCE_API int alliance_deck_import(alliance_db *db, const char *path, const alliance_import_options *options,
                                      int64_t now, alliance_import_report **out_report);
ALLIANCE_API int alliance_deck_import_buffer(alliance_db *db, const char *name, const char *data, size_t len,
                                             const alliance_import_options *options, int64_t now,
                                             alliance_import_report **out_report);

/* Which ALLIANCE_FORMAT_* `len` bytes of a file are, from their content: a zip (.apkg),
 * Anki text (a first line "#separator:", "#html:", "#columns:"... or "tags:"; or, past blank
 * and comment lines, a first line holding a tab that is not one of our format's "deck:",
 * "description:", "source:" or "card:" lines), else our deck format. Pure; *out_format is
 * always set. ALLIANCE_EINVAL for NULL. */
ALLIANCE_API int alliance_format_detect(const char *data, size_t len, uint32_t *out_format);

/* Parses without a collection (a deck author's lint); the report counts the
 * cards under `added` (an .apkg: also its media and notices). Returns 0 or
 * ALLIANCE_EPARSE / ALLIANCE_ELIMIT. */
ALLIANCE_API int alliance_deck_check(const char *name, const char *data, size_t len, uint32_t format,
                                     alliance_import_report **out_report);

/* Receives the exported text piece by piece (chunks of about 64 KiB); returns 0 to
 * go on, non-zero to stop (the export then returns ALLIANCE_EIO).
 * It runs inside alliance_deck_export, which holds the collection's handle and a
 * read snapshot of the collection until it returns. So, from inside it:
 *  - a call on the same handle, or on its sessions and iterators, returns
 *    ALLIANCE_EMISUSE and does nothing (freeing an iterator or closing a session
 *    still works; alliance_close is refused); other threads' calls on the
 *    handle wait until the export has returned;
 *  - another handle (another alliance_open of the same file, in this thread,
 *    another thread or another process) may read and write the collection; the
 *    export does not see what it commits, and is complete all the same. */
typedef int (*alliance_write_fn)(void *opaque, const char *data, size_t len);

/* Writes deck_id in `format`, streaming (the deck is never held in memory whole).
 * The deck is read from one snapshot (one read transaction), so the output is
 * the whole deck as it was when the export began, whatever other connections
 * commit meanwhile. Importing the output again changes nothing. */
ALLIANCE_API int alliance_deck_export(alliance_db *db, int64_t deck_id, uint32_t format,
                                      alliance_write_fn write, void *opaque);
/* The same to a file, replaced atomically (written aside, then renamed). A symlink
 * is followed (its target gets the deck); anything but a regular file is refused
 * (ALLIANCE_EIO), and so is the collection's own file or one SQLite keeps beside
 * it, by any name (ALLIANCE_EINVAL): nothing is written then. A new file has mode
 * 0666 less the umask; a replaced one keeps its mode. */
ALLIANCE_API int alliance_deck_export_file(alliance_db *db, int64_t deck_id, uint32_t format, const char *path);

#define ALLIANCE_EXPORT_SUBDECKS 0x1u /* also every deck named "NAME::..." under the deck */

#define ALLIANCE_EXPORT_OPTIONS_VERSION 1
typedef struct alliance_export_options {
    uint32_t version;        /* ALLIANCE_EXPORT_OPTIONS_VERSION */
    uint32_t format;         /* ALLIANCE_FORMAT_*; default ALLIANCE_FORMAT_DECK */
    uint32_t flags;          /* ALLIANCE_EXPORT_*; default 0 */
} alliance_export_options;

#define ALLIANCE_EXPORT_OPTIONS_INIT { ALLIANCE_EXPORT_OPTIONS_VERSION, ALLIANCE_FORMAT_DECK, 0 }
ALLIANCE_API int alliance_export_options_init(alliance_export_options *options, uint32_t version);

/* Writes one deck (deck_id), a deck and its subdecks (ALLIANCE_EXPORT_SUBDECKS: the decks whose
 * names start with its name and "::"), or every deck (deck_id 0) into one file. Anki text names
 * each row's deck; an .apkg (ALLIANCE_FORMAT_APKG) holds the decks, the cards with their
 * schedules and the review log (docs/anki.md); our format holds one deck, so several decks are
 * ALLIANCE_EINVAL. `now` dates the package (Anki's collection creation and modification); a
 * package's times are 64-bit milliseconds, so a `now` or a review time past about 9.2e15
 * seconds either side of 1970 is ALLIANCE_EINVAL there. Importing the output again changes
 * nothing. options may be NULL (our format, one deck). The write callback has the rules of
 * alliance_deck_export. */
ALLIANCE_API int alliance_export(alliance_db *db, int64_t deck_id, const alliance_export_options *options,
                                 int64_t now, alliance_write_fn write, void *opaque);
/* The same to a file, as alliance_deck_export_file writes one. */
ALLIANCE_API int alliance_export_file(alliance_db *db, int64_t deck_id, const alliance_export_options *options,
                                      int64_t now, const char *path);

/* ------------------------------------------------------------------------- */
/* Sync: one learner, many devices (docs/sync.md)                            */
/* ------------------------------------------------------------------------- */

/* Copies of a collection (replicas) merge by exchanging changesets: byte
 * streams in a documented, versioned format that the application carries
 * however it likes (its server, a shared folder, a pipe). The library never
 * opens a socket. Every copy converges to the same collection whatever the
 * order of the syncs: answers merge by union (a card's schedule is the replay
 * of the merged log), an undo travels as a tombstone, and everything else
 * merges field group by field group, the newest write winning by a Lamport
 * clock (device clocks play no part).
 *
 * A two-way sync of A and B: A writes its state (alliance_sync_state), B reads
 * it and writes the changes A lacks (alliance_sync_changes), A applies them
 * (alliance_sync_apply); then the same the other way. Each apply is one
 * transaction, so an interrupted sync leaves each side as it was or with one
 * complete step applied; syncing again finishes the job. */

/* Reads up to `cap` bytes into buf: returns 0 with *out_len the number read
 * (0 only at the end of the stream), or non-zero to fail (-> ALLIANCE_EIO).
 * It runs inside the call that was given it, with the collection locked: it
 * must not call any function on the same collection. */
typedef int (*alliance_read_fn)(void *opaque, void *buf, size_t cap, size_t *out_len);

/* The collection's id: 16 random bytes made when it was created (copies made by
 * sync share it) into out_id, which holds at least `size` >= 16 bytes. */
ALLIANCE_API int alliance_collection_id(alliance_db *db, uint8_t *out_id, size_t size);

/* This copy's replica id: random, non-zero, never shared with another copy. */
ALLIANCE_API int alliance_replica_id(alliance_db *db, int64_t *out_replica);

/* Writes this copy's state (what it holds: its version vector), for a peer's
 * alliance_sync_changes. A few bytes per replica that ever wrote to the collection. */
ALLIANCE_API int alliance_sync_state(alliance_db *db, alliance_write_fn write, void *opaque);

/* Reads a peer's state through peer_state (NULL: an empty state, for a clone)
 * and writes a changeset of everything the peer lacks, streaming: its cost
 * follows the changes, not the collection. A damaged or newer state is refused
 * (ALLIANCE_ECORRUPT, ALLIANCE_ENEWER) before anything is written. The
 * changeset may be kept and applied later (also more than once: applying is
 * idempotent). */
ALLIANCE_API int alliance_sync_changes(alliance_db *db, alliance_read_fn peer_state, void *state_opaque,
                                       alliance_write_fn write, void *opaque);

#define ALLIANCE_SYNC_OPTIONS_VERSION 1
typedef struct alliance_sync_options {
    uint32_t version;     /* ALLIANCE_SYNC_OPTIONS_VERSION */
    uint32_t force;       /* 1: apply a changeset of another collection (merging two learners'
                             collections on purpose); default 0: ALLIANCE_EFOREIGN */
} alliance_sync_options;

#define ALLIANCE_SYNC_OPTIONS_INIT { ALLIANCE_SYNC_OPTIONS_VERSION, 0 }
ALLIANCE_API int alliance_sync_options_init(alliance_sync_options *options, uint32_t version);

/* What an apply (or a clone) did. */
typedef struct alliance_sync_report {
    uint32_t version;             /* the layout version the library filled in (1) */
    int64_t sender_replica;       /* the replica that wrote the changeset */
    uint64_t bytes;               /* the changeset's length */
    uint32_t reviews;             /* answers received (new to this copy) */
    uint32_t tombstones;          /* undos received */
    uint32_t reviews_removed;     /* answers this copy held that those undos removed */
    uint32_t cards;               /* cards whose content or flags changed */
    uint32_t cards_added;         /* of which new to this copy */
    uint32_t decks;               /* decks created or whose header changed */
    uint32_t settings;            /* setting groups changed (SM-2 parameters count as one) */
    uint32_t already_held;        /* records this copy already had (a repeated sync) */
    uint32_t cards_replayed;      /* cards whose schedule was replayed */
    uint32_t conflicts;           /* field groups changed on both sides since they last met */
    uint32_t conflicts_kept_local;  /* ... where this copy's write was newer */
    uint32_t conflicts_kept_remote; /* ... where the sender's was */
    const char *conflict_text;    /* the first conflicts, one line each ("card \"x\" content: kept
                                     remote write"); never NULL */
} alliance_sync_report;

/* Reads a changeset and applies it in one transaction: all of it or nothing.
 * Touched cards are replayed, so alliance_verify stays exact. options may be NULL.
 * Refused with nothing applied: a changeset of another collection
 * (ALLIANCE_EFOREIGN, unless options->force), of a newer format (ALLIANCE_ENEWER),
 * damaged, truncated or over a limit (ALLIANCE_ECORRUPT / ALLIANCE_ELIMIT, with
 * the byte offset in alliance_errmsg), a failing read (ALLIANCE_EIO).
 * *out_report (may be NULL) is set on success; free it with alliance_free. */
ALLIANCE_API int alliance_sync_apply(alliance_db *db, const alliance_sync_options *options,
                                     alliance_read_fn read, void *opaque, alliance_sync_report **out_report);

/* Makes `db`, a collection just created (alliance_open with ALLIANCE_OPEN_CREATE on a
 * new file, nothing done with it yet), a new copy of the collection a changeset of
 * everything comes from (alliance_sync_changes with a NULL state): it takes the
 * sender's collection id and keeps a replica id of its own. In one transaction, as
 * alliance_sync_apply; ALLIANCE_EMISUSE if db already has changes of its own or from
 * another copy. Copying a collection file by hand instead would give two copies
 * one replica id, which sync cannot tell apart. */
ALLIANCE_API int alliance_sync_clone(alliance_db *db, alliance_read_fn read, void *opaque,
                                     alliance_sync_report **out_report);
/* Deck lint: advice for deck authors                                        */
/* ------------------------------------------------------------------------- */

/* A lint reads a deck file as alliance_deck_check does and then looks for cards
 * that are hard to learn from. What it finds are warnings, not errors: the deck
 * imports all the same. docs/deck-format.md ("Writing good cards") gives the
 * rules behind each warning, with the measure and thresholds of the first two. */

/* Warning codes (pinned forever: never renumbered, never reused). */
#define ALLIANCE_LINT_NEAR_DUPLICATE    1 /* two notes ask nearly the same thing (similar question and
                                             answer, or choice cards sharing two wrong options) */
#define ALLIANCE_LINT_BLANK_IS_ANSWER   2 /* a cloze deletion hides what another card answers */
#define ALLIANCE_LINT_FEW_WRONG         3 /* a choice card has fewer than three wrong options */
#define ALLIANCE_LINT_SAME_OPTION       4 /* a choice card offers the same option twice */
#define ALLIANCE_LINT_UNNAMED_ARTICLE   5 /* a prompt says "the article" but names none of the sources */
#define ALLIANCE_LINT_QUOTE_NOT_FOUND   6 /* a quote is not verbatim in its source file */
#define ALLIANCE_LINT_SOURCE_UNREADABLE 7 /* a source file could not be read from sources_dir */
#define ALLIANCE_LINT_INCOMPLETE        8 /* a check stopped at its work limit (a huge deck) */

#define ALLIANCE_LINT_OPTIONS_VERSION 1
typedef struct alliance_lint_options {
    uint32_t version;          /* ALLIANCE_LINT_OPTIONS_VERSION */
    uint32_t format;           /* ALLIANCE_FORMAT_*; default ALLIANCE_FORMAT_DECK */
    const char *sources_dir;   /* the folder holding the files the header's `source:` lines name, to
                                  check each quote against; NULL (the default): quotes not checked */
    uint32_t similarity_milli; /* near-duplicate threshold in thousandths, 1..1000; default 300 */
} alliance_lint_options;

#define ALLIANCE_LINT_OPTIONS_INIT { ALLIANCE_LINT_OPTIONS_VERSION, ALLIANCE_FORMAT_DECK, NULL, 300 }
ALLIANCE_API int alliance_lint_options_init(alliance_lint_options *options, uint32_t version);

/* One warning. Its strings live as long as the report. */
typedef struct alliance_lint_warning {
    uint32_t version;          /* the layout version the library filled in (1) */
    uint32_t code;             /* ALLIANCE_LINT_* */
    const char *name;          /* the code as a word ("near-duplicate"...); never NULL */
    uint32_t line;             /* where: 1-based line and byte column in the file */
    uint32_t column;
    const char *note_id;       /* the card it is about; never NULL */
    const char *other_id;      /* the other card involved (the earlier near-duplicate, the card whose
                                  answer a deletion hides: "NOTE::cN" for a cloze), else ""; never NULL */
    const char *message;       /* "FILE:LINE:COLUMN: warning: what [name]", one line; never NULL */
} alliance_lint_warning;

/* What a lint found: one block, freed with alliance_free. */
typedef struct alliance_lint_report {
    uint32_t version;          /* the layout version the library filled in (1) */
    uint32_t note_count;       /* notes linted (0 when the file has errors) */
    uint32_t warning_count;    /* every warning found; all are in warnings[] */
    const alliance_lint_warning *const *warnings; /* in file order (line, then column) */
    const char *text;          /* every message, each followed by '\n'; "" if none; never NULL */
    uint32_t error_count;      /* the file's errors (as alliance_deck_check): then nothing is linted */
    const char *errors;        /* the first errors, "FILE:LINE:COLUMN: message\n" each; never NULL */
} alliance_lint_report;

/* Lints `len` bytes of a deck file, named `name` in messages (NULL: "(buffer)"),
 * in options->format (options may be NULL for the defaults). With
 * options->sources_dir set, it reads each source file of the header from there
 * (a name that is absolute or holds a ".." part is refused with a warning) and
 * checks that every quote occurs in its file, as tests/deck_quotes.py does.
 * Returns 0 when the file parses, whatever it warns about; ALLIANCE_EPARSE or
 * ALLIANCE_ELIMIT when it does not (the report then holds its errors);
 * ALLIANCE_EINVAL (data NULL with len > 0, an unknown format, similarity_milli
 * outside 1..1000), ALLIANCE_EVERSION, ALLIANCE_ENOMEM. *out_report is set on
 * 0, EPARSE and ELIMIT. Needs no collection; safe from any thread. */
ALLIANCE_API int alliance_deck_lint(const char *name, const char *data, size_t len,
                                    const alliance_lint_options *options, alliance_lint_report **out_report);

/* ------------------------------------------------------------------------- */
/* FSRS and the review log                                                   */
/* ------------------------------------------------------------------------- */

/* Writes the review log of deck_id (0: every deck) as the CSV the FSRS
 * optimizer reads (fsrs-optimizer's "Review Logs Schema"; docs/fsrs.md), so a
 * learner can fit FSRS weights to their own history:
 *
 *     card_id,review_time,review_rating,review_state,review_duration
 *
 * one line per answer: the card's id (quoted as RFC 4180 says when it holds a
 * comma, a quote or a line break); the answer's time in milliseconds since
 * 1970 UTC (a card's answers in one second, or after the clock went back, are
 * spaced 1 ms apart so that sorting by time keeps the log's order); the rating
 * 1..4 (an SM-2 grade 0-2 -> 1 again, 3 -> 2 hard, 4 -> 3 good, 5 -> 4 easy);
 * the state 0 new (the card's first answer), 1 learning (again on that first
 * day), 2 review (on a later day than the card's previous answer) or
 * 3 relearning (again on the same day, after the first day); and how long the
 * learner took in milliseconds (0 if unknown). Cards come in row order, each
 * card's answers in log order. Streamed from one read snapshot (answers given
 * meanwhile through other connections are not in it): `write` runs with the
 * collection locked and must not call any function on the same collection.
 * Returns 0; ALLIANCE_EINVAL (NULL write, deck_id < 0), ALLIANCE_ENOTFOUND (no
 * such deck), ALLIANCE_EIO (write asked to stop), ALLIANCE_ELIMIT (a time too
 * far from 1970 for milliseconds in 64 bits). */
ALLIANCE_API int alliance_review_export_fsrs(alliance_db *db, int64_t deck_id, alliance_write_fn write,
                                             void *opaque);

/* Which scheduler sets a collection's due days (a synced setting; SM-2 is the default).
 * Every card's schedule is the replay of its review log under the collection's
 * scheduler: under FSRS each answer is read as a rating (grades 0-2 -> again,
 * 3 -> hard, 4 -> good, 5 -> easy), the first answer of a card is the new-card step,
 * an answer on a later day a step over the days between, and an answer on the same
 * day as the card's previous one a drill that leaves the FSRS state as it is. After
 * an Again a card is due again the same day; after any other rating on the day
 * + the FSRS interval. To answer with a rating, pass grade 1 (again), 3 (hard),
 * 4 (good) or 5 (easy) to alliance_answer. Lapses and leeches count as under SM-2
 * (an answer below 3 on a learned card), whichever scheduler is chosen. */
#define ALLIANCE_SCHEDULER_SM2  0
#define ALLIANCE_SCHEDULER_FSRS 1

/* What switching the scheduler (or setting the FSRS parameters) did. */
typedef struct alliance_scheduler_report {
    uint32_t version;             /* the layout version the library filled in (1) */
    uint32_t scheduler;           /* the collection's scheduler now */
    uint64_t cards;               /* cards replayed (every card of the collection) */
    uint64_t reviews;             /* review-log rows replayed (none is changed or removed) */
    uint64_t due_earlier;         /* reviewed cards whose due day moved earlier */
    uint64_t due_later;           /* ... later */
    uint64_t due_today;           /* reviewed, unsuspended cards due on `now`'s day or before */
} alliance_scheduler_report;

/* *out_scheduler = ALLIANCE_SCHEDULER_SM2 or ALLIANCE_SCHEDULER_FSRS. */
ALLIANCE_API int alliance_scheduler_get(alliance_db *db, uint32_t *out_scheduler);

/* Sets the collection's scheduler and replays every card's log under it, in one
 * transaction: the review log is kept as it is, every card's due day, SM-2 and
 * FSRS state become the replay (alliance_verify stays exact), and the change
 * reaches the other copies at the next sync (which replays their cards too).
 * Setting the scheduler the collection already has replays nothing. `now` only
 * decides report->due_today. *out_report (may be NULL) is set on success; free it
 * with alliance_free. ALLIANCE_EINVAL for an unknown scheduler; on failure nothing
 * changes. */
ALLIANCE_API int alliance_scheduler_set(alliance_db *db, uint32_t scheduler, int64_t now,
                                        alliance_scheduler_report **out_report);

/* The collection's FSRS parameters (the published defaults until set): a synced setting. */
ALLIANCE_API int alliance_fsrs_params_get(alliance_db *db, alliance_fsrs_params *out);

/* Sets the FSRS parameters (e.g. the 21 weights the FSRS optimizer fitted to
 * alliance_review_export_fsrs's CSV, a desired retention), checked by
 * alliance_fsrs_params_check and never clipped. Under FSRS every card is replayed
 * with them in the same transaction (as alliance_scheduler_set does; *out_report,
 * which may be NULL, says what moved); under SM-2 they wait for the switch and
 * *out_report counts nothing. ALLIANCE_EINVAL / ALLIANCE_EVERSION for parameters
 * refused; on failure nothing changes. */
ALLIANCE_API int alliance_fsrs_params_set(alliance_db *db, const alliance_fsrs_params *params, int64_t now,
                                          alliance_scheduler_report **out_report);

/* ------------------------------------------------------------------------- */
/* Study modes: an exam date per deck (docs/study-modes.md)                  */
/* ------------------------------------------------------------------------- */

/* Gives deck deck_id an exam on day exam_day (a day number, as alliance_today
 * gives; within +-2^31 of day 0), with a final window of final_days days (1..30;
 * 0 means the default, 3) before it in which every card of the deck is seen.
 * While the exam is ahead, sessions, counts, the forecast and the due check
 * of alliance_answer see each card on its due day clamped before the exam
 * (alliance_card_due_day), and the deck's new cards are paced so that all of
 * them are introduced by the ready-by day; the SM-2 state and the stored
 * due day stay SM-2's, so from the exam day on (or once cleared) plain SM-2
 * resumes with nothing lost. Replaces an exam the deck had. One transaction;
 * the exam syncs as one field group (last writer wins). Returns 0,
 * ALLIANCE_EINVAL (deck_id < 1, exam_day or final_days out of range),
 * ALLIANCE_ENOTFOUND (no such deck), ALLIANCE_EREADONLY. */
ALLIANCE_API int alliance_exam_set(alliance_db *db, int64_t deck_id, int64_t exam_day, uint32_t final_days);

/* Removes deck deck_id's exam (nothing to remove is fine). Same codes as alliance_exam_set. */
ALLIANCE_API int alliance_exam_clear(alliance_db *db, int64_t deck_id);

#define ALLIANCE_EXAM_STATUS_VERSION 1
typedef struct alliance_exam_status {
    uint32_t version;          /* set by the caller: ALLIANCE_EXAM_STATUS_VERSION */
    uint32_t has_exam;         /* 1 if the deck has an exam (past or ahead); 0: the rest is 0 */
    int64_t exam_day;          /* E */
    uint32_t final_days;       /* W: the final window is days E - W .. E - 1 */
    uint32_t new_cards;        /* N: the deck's new cards at the start of today (still new
                                  + introduced today), not suspended */
    int64_t ready_by_day;      /* R = E - W - I(1) - I(2) - 1: every card introduced by then */
    uint32_t pace;             /* P = ceil(N / max(1, R - today + 1)); 0 from the exam day on.
                                  Today the deck may introduce max(new_per_day, P) new cards */
    uint32_t introduced_today; /* of the deck's new cards, answered for the first time today */
} alliance_exam_status;

#define ALLIANCE_EXAM_STATUS_INIT { ALLIANCE_EXAM_STATUS_VERSION, 0, 0, 0, 0, 0, 0, 0 }

/* Fills *status with zeros, version set. ALLIANCE_EVERSION for an unknown version. */
ALLIANCE_API int alliance_exam_status_init(alliance_exam_status *status, uint32_t version);

/* Deck deck_id's exam and its pace as of `now`, from one snapshot. Returns 0
 * (has_exam = 0 for a deck without one), ALLIANCE_EINVAL, ALLIANCE_EVERSION,
 * ALLIANCE_ENOTFOUND (no such deck). */
ALLIANCE_API int alliance_exam_get(alliance_db *db, int64_t deck_id, int64_t now, alliance_exam_status *out);

/* The day card_id is due as seen at `now`: its SM-2 due day (alliance_card.due_day)
 * with its deck's exam clamp applied (docs/study-modes.md, "The clamp"); for a
 * new card, today. Returns 0, ALLIANCE_EINVAL, ALLIANCE_ENOTFOUND. */
ALLIANCE_API int alliance_card_due_day(alliance_db *db, const char *card_id, int64_t now, int64_t *out_day);

/* ---- cram: preview and review ahead (docs/study-modes.md, "Cram") ---- */

#define ALLIANCE_CRAM_PREVIEW 1 /* answers are logged as previews and change no schedule */
#define ALLIANCE_CRAM_AHEAD   2 /* answers count: SM-2 applied to the real elapsed days */

#define ALLIANCE_CRAM_OPTIONS_VERSION 1
typedef struct alliance_cram_options {
    uint32_t version;    /* ALLIANCE_CRAM_OPTIONS_VERSION */
    uint32_t kind;       /* ALLIANCE_CRAM_PREVIEW (also 0) or ALLIANCE_CRAM_AHEAD */
    int64_t deck_id;     /* 0: every deck */
    const char *text;    /* NULL or "": any card; else as alliance_card_search's text (fields, tags) */
    uint32_t ahead_days; /* 0: any card not due today; N: learned cards due within the next N days */
} alliance_cram_options;

#define ALLIANCE_CRAM_OPTIONS_INIT { ALLIANCE_CRAM_OPTIONS_VERSION, ALLIANCE_CRAM_PREVIEW, 0, NULL, 0 }

/* Fills *options with the defaults (a preview of every deck), version set. */
ALLIANCE_API int alliance_cram_options_init(alliance_cram_options *options, uint32_t version);

/* A cram session: the cards of the options' scope that are NOT due today (not
 * suspended, not buried), each offered once, soonest due first, then in deck
 * order; a preview offers new cards too, after the learned ones (a review ahead
 * offers learned cards only). Use it as any session (alliance_session_next,
 * _answer, _undo, _counts: counts.due holds the learned cards left, new_cards the
 * new ones; _close). Its answers count for no daily limit and for no true
 * retention. A preview answer writes a review row of kind preview and nothing
 * else (the card keeps its state, due day and counts; a new card stays new); a
 * review-ahead answer is scored on the real elapsed days (docs/study-modes.md,
 * "The ahead step"). Both replay, verify, undo and sync exactly. The text is
 * copied. Returns 0, ALLIANCE_EINVAL, ALLIANCE_EVERSION, ALLIANCE_ENOTFOUND (no
 * such deck). */
ALLIANCE_API int alliance_cram_open(alliance_session **out, alliance_db *db, const alliance_cram_options *options,
                                    int64_t now);

/* ---- study settings: siblings apart, fuzz (docs/study-modes.md) ---- */

#define ALLIANCE_STUDY_SETTINGS_VERSION 1
typedef struct alliance_study_settings {
    uint32_t version;       /* ALLIANCE_STUDY_SETTINGS_VERSION */
    uint32_t bury_siblings; /* 0 (default, as before schema 4); 1: once a card of a note (a cloze
                               note's deletions) is answered today, sessions hold its siblings
                               back until tomorrow, except on the last day before their deck's
                               exam */
    uint32_t fuzz;          /* 0 (default): 1 spreads each new interval of 3 days or more over
                               Anki's range, drawn from the card id and its review count; the
                               review row records it, so replay and sync reproduce it */
} alliance_study_settings;

#define ALLIANCE_STUDY_SETTINGS_INIT { ALLIANCE_STUDY_SETTINGS_VERSION, 0, 0 }

/* Fills *settings with the defaults, version set. */
ALLIANCE_API int alliance_study_settings_init(alliance_study_settings *settings, uint32_t version);
/* The collection's study settings. Returns 0, ALLIANCE_EINVAL, ALLIANCE_EVERSION. */
ALLIANCE_API int alliance_study_settings_get(alliance_db *db, alliance_study_settings *out);
/* Sets them (each 0 or 1) in one transaction; each syncs as its own setting (last writer
 * wins). Turning fuzz on or off changes only later answers. Returns 0, ALLIANCE_EINVAL,
 * ALLIANCE_EVERSION, ALLIANCE_EREADONLY. */
ALLIANCE_API int alliance_study_settings_set(alliance_db *db, const alliance_study_settings *settings);

/* ---- a note updated or deleted (docs/deck-format.md, "Updating and deleting a note") ---- */

/* Updates the note whose id is note->id with the rules of a re-import of its deck file that has
 * the edited note: the note stays in its deck and its place; a card whose text changed keeps
 * its SM-2 state and review log; a card the note gains (a new cloze deletion, a type changed
 * between basic/choice and cloze) is added new; a card it no longer has is suspended and leaves
 * the deck file, keeping its history, and comes back if a later update or import has it again.
 * A note taken out of its deck file (by an import or ALLIANCE_NOTE_DELETE_KEEP_HISTORY) is put
 * back in it. Synced like an import. One transaction. Returns 0, ALLIANCE_ENOTFOUND (with a
 * message naming the note) if the collection has no such note, ALLIANCE_EINVAL, ALLIANCE_ELIMIT
 * or ALLIANCE_EVERSION for a malformed note as alliance_note_add does, ALLIANCE_EEXISTS if a card
 * it gains is another deck's; on failure the collection is as it was. */
ALLIANCE_API int alliance_note_update(alliance_db *db, const alliance_note *note, int64_t now);

/* alliance_note_delete flags */
#define ALLIANCE_NOTE_DELETE_KEEP_HISTORY 1u /* do what a re-import without the note does: suspend its
                                                cards and take them out of the deck file, history kept */

/* Deletes the note note_id: its cards and their whole review logs go, in one transaction, as a
 * deck deletion removes its cards (synced: the removal reaches every copy, and an answer given
 * meanwhile on another copy goes with the card; docs/sync.md). A later import or note with the
 * same id adds new cards. With ALLIANCE_NOTE_DELETE_KEEP_HISTORY nothing is deleted: its cards are
 * suspended and leave the deck file as a re-import without the note would do. Returns 0,
 * ALLIANCE_ENOTFOUND (naming the note), ALLIANCE_EINVAL (NULL or empty id, unknown flag). */
ALLIANCE_API int alliance_note_delete(alliance_db *db, const char *note_id, uint32_t flags);

/* ---- the learner's UTC offset, stored (docs/collection.md) ---- */

/* The UTC offset this handle computes days with: the open option if one was given, else the one
 * stored in the file (alliance_set_utc_offset), else ALLIANCE_UTC_OFFSET_LOCAL, which means the
 * process time zone (its offset depends on the moment: alliance_day_number resolves it). Returns
 * 0 or ALLIANCE_EINVAL (out is NULL). */
ALLIANCE_API int alliance_utc_offset_get(alliance_db *db, int32_t *out);

#ifdef __cplusplus
}
#endif

#endif /* ALLIANCE_H */
