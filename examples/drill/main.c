/* SPDX-License-Identifier: MIT */
/*
 * main.c - alliance-drill's command line: options, which command runs, which
 * collection it opens, and the exit code (0 ok, 1 user error, 2 usage error).
 */
#include "drill.h"
#include "bundled_deck.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char usage_text[] =
    "Usage: alliance-drill [OPTIONS] [COMMAND [ARGS]]\n"
    "\n"
    "Study flashcards with the SuperMemo SM-2 algorithm. With no command it opens\n"
    "your collection (creating it, with the bundled therapeutic-alliance deck, on\n"
    "first run) and starts today's session.\n"
    "\n"
    "Commands:\n"
    "  drill                 study today's cards (the default)\n"
    "                          alliance-drill\n"
    "  import FILE           add or update the cards of a deck file, an Anki text\n"
    "                        file or an .apkg (told apart by their content); prints\n"
    "                        a report\n"
    "                          alliance-drill import my.deck\n"
    "                          alliance-drill import shared-deck.apkg\n"
    "  export [DECK] [-o FILE] [--format deck|anki|apkg|fsrs-csv] [--subdecks]\n"
    "                        write a deck (stdout by default; DECK is its name,\n"
    "                        needed for our format when the collection has\n"
    "                        several: Anki text and .apkg then hold every deck);\n"
    "                        fsrs-csv: the review log (every deck, or DECK) as\n"
    "                        the FSRS optimizer reads it\n"
    "                          alliance-drill export --format anki -o notes.txt\n"
    "                          alliance-drill export --format apkg -o deck.apkg\n"
    "                          alliance-drill export --format fsrs-csv -o revlog.csv\n"
    "  stats                 counts, retention over 30 days, 30-day forecast chart\n"
    "                          alliance-drill stats --json\n"
    "  list                  every card with its schedule\n"
    "                          alliance-drill list\n"
    "  search TEXT           the cards whose text or tags contain TEXT\n"
    "                          alliance-drill search empathy\n"
    ;

/* (split in two: C99 compilers need only take strings of 4095 characters) */
static const char usage_text2[] =
    "  decks                 every deck with its card counts\n"
    "                          alliance-drill decks --json\n"
    "  decks rename OLD NEW  rename a deck (cards and history stay)\n"
    "                          alliance-drill decks rename Spanish \"Spanish A1\"\n"
    "  decks delete NAME [--with-cards]\n"
    "                        delete a deck; one with cards only with --with-cards,\n"
    "                        which deletes its cards and their history too\n"
    "                          alliance-drill decks delete Spanish --with-cards\n"
    "  note delete ID [--keep-history]\n"
    "                        delete a note's cards and their history; with\n"
    "                        --keep-history suspend them instead, as a re-import\n"
    "                        of a deck file without the note does\n"
    "                          alliance-drill note delete capital-france\n"
    "  undo                  take back the most recent answer (given on this device)\n"
    "                          alliance-drill undo\n"
    "  verify                check the collection's health: SQLite's integrity_check,\n"
    "                        then every card against the replay of its review log;\n"
    "                        exit 0 healthy, 1 damaged (opens read-only)\n"
    "                          alliance-drill verify --json\n"
    "  simulate GRADES...    the SM-2 schedule a sequence of grades (0-5) gives,\n"
    "                        each answer given on the day it falls due\n"
    "                          alliance-drill simulate --preset classic 5 5 3 5\n"
    "  simulate --days N [--seed S] [--exam-in D]\n"
    "                        a simulated learner studies the bundled deck for N\n"
    "                        days: answers per day, cards seen in the week before\n"
    "                        an exam D days in (default 21), expected exam score\n"
    "                          alliance-drill simulate --days 60 --seed 7\n"
    "  sync PATH             sync both ways with another copy of the collection\n"
    "                        (a file on a USB stick...); a new PATH becomes a copy\n"
    "                          alliance-drill sync /media/usb/collection.db\n"
    "  sync --remote CMD     sync with the copy that 'alliance-drill serve' reads\n"
    "                        and writes at the other end of CMD's stdin/stdout\n"
    "                          alliance-drill sync --remote 'ssh laptop alliance-drill serve'\n"
    "  serve                 the other end of sync --remote (stdin/stdout only)\n"
    "  simulate --scheduler fsrs RATINGS...\n"
    "                        the FSRS-6 schedule of ratings (1 again, 2 hard,\n"
    "                        3 good, 4 easy), with the default weights\n"
    "                          alliance-drill simulate --scheduler fsrs 3 3 1 3\n"
    "  simulate --days N --scheduler fsrs [--retention R] [--seed S]\n"
    "                        the same simulated learner under SM-2 and under FSRS\n"
    "                        (desired retention R, default 0.9): answers per day,\n"
    "                        retention, the deck's recall at the end\n"
    "                          alliance-drill simulate --days 90 --scheduler fsrs\n"
    "  lint FILE             advice for a deck's author: cards that ask nearly the\n"
    "                        same thing, cloze blanks that are another card's\n"
    "                        answer, choice cards with fewer than three wrong\n"
    "                        options or one option twice, \"the article\" unnamed,\n"
    "                        and with --sources, quotes not in their source file\n"
    "                          alliance-drill lint --sources articles my.deck\n"
    "\n"
    ;

/* In two parts: C99 promises string literals of 4095 bytes, no more. */
/* The scheduler: a string of its own (ISO C's limit on one literal's length). */
static const char usage_scheduler[] =
    "  scheduler [sm2 | fsrs [--retention R] [--weights W0,...,W20]]\n"
    "                        which scheduler sets due days (SM-2 by default): each\n"
    "                        card's review log is replayed under it, nothing lost;\n"
    "                        under FSRS grade with 1 again, 2 hard, 3 good, 4 easy;\n"
    "                        --weights: the 21 the FSRS optimizer fitted to\n"
    "                        export --format fsrs-csv; no argument shows the setting\n"
    "                          alliance-drill scheduler fsrs --retention 0.9\n"
    "\n";
static const char usage_study[] =
    "Study modes:\n"
    "  exam DATE             an exam on DATE (YYYY-MM-DD) for the deck: new cards\n"
    "                        paced, every card seen in the 3 days before it\n"
    "                          alliance-drill exam 2027-01-15 --deck spanish.deck\n"
    "  exam [--clear]        show the deck's exam, or remove it\n"
    "  cram [--ahead N] [--review]\n"
    "                        go over cards that are not due (due in the next N\n"
    "                        days): a preview changes no schedule; --review\n"
    "                        counts the answers, on the real days elapsed\n"
    "                          alliance-drill cram --ahead 3 --deck spanish.deck\n"
    "\n"
    ;

static const char usage_options[] =
    "Options:\n"
    "  --db PATH             the collection file (default:\n"
    "                        $XDG_DATA_HOME/alliance/collection.db, or\n"
    "                        ~/.local/share/alliance/collection.db)\n"
    "                          alliance-drill --db /tmp/test.db\n"
    "  --deck FILE           drill (after importing it), list, export or show stats\n"
    "                        of this deck file's deck instead of every deck\n"
    "                          alliance-drill --deck spanish.deck\n"
    "  --now TIME            pretend it is TIME: ISO 8601 or Unix seconds\n"
    "                          alliance-drill --now 2026-01-05T09:30:00+02:00\n"
    "                          alliance-drill --now 1767605400\n"
    "  --utc-offset OFFSET   your offset from UTC (+02:00, -0530, Z) or \"local\"\n"
    "                        (the default, from TZ); decides when a day starts\n"
    "                          alliance-drill --utc-offset +01:00 stats\n"
    "  --json                machine-readable output (import, stats, list, search,\n"
    "                        decks, verify, simulate, lint, sync)\n"
    "                          alliance-drill list --json\n"
    "  --format deck|anki|apkg|fsrs-csv\n"
    "                        import, export or lint format (export and lint: default\n"
    "                        deck; import: told from the file; anki is Anki's \"Notes\n"
    "                        in Plain Text\", apkg an Anki package with schedules and\n"
    "                        history; lint reads deck or anki; fsrs-csv, export only,\n"
    "                        the review log for the FSRS optimizer)\n"
    "  --subdecks            export the deck and the decks under it (\"DECK::...\")\n"
    "  -o, --output FILE     export to FILE (replaced atomically)\n"
    "  --preset supermemo|classic\n"
    "                        simulate with this reading of SM-2 (default supermemo)\n"
    "  --scheduler sm2|fsrs  simulate with this scheduler (default sm2)\n"
    "  --retention R         FSRS: the recall probability intervals aim at,\n"
    "                        0 < R <= 1 (default 0.9)\n"
    "                          alliance-drill simulate --scheduler fsrs --retention 0.85 3 3 3\n"
    "  --sources DIR         lint: the folder of the files the deck's source: lines\n"
    "                        name; every quote is checked against its file\n"
    "  -h, --help            this text\n"
    "  -V, --version         the versions of alliance-drill and liballiance\n"
    "\n"
    "Keys while drilling:\n"
    "  any key   show the answer (choice cards: the letter of your pick)\n"
    "  0-5       your grade: 5 perfect, 4 good, 3 hard, 2 and 1 wrong, 0 blackout\n"
    "  Enter     accept the suggested grade (choice cards)\n"
    "  u         undo the last answer     s   suspend this card\n"
    "  q         quit (Ctrl-C, Ctrl-D too); every answer is saved when given\n"
    "With stdin not a terminal, each line is one key (an empty line is Enter).\n"
    "\n"
    "Exit status: 0 success, 1 user error (bad file, nothing to undo, lint\n"
    "warnings, a damaged collection for verify...), 2 usage error (unknown option or\n"
    "command, bad --now). See alliance-drill(1).\n";

void drill_error(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fputs("alliance-drill: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void drill_db_error(alliance_db *db, const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fputs("alliance-drill: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    /* The library's message says what and where; keep it on the same line. */
    const char *msg = alliance_errmsg(db);
    fputs(": ", stderr);
    for (const char *p = msg; *p != '\0'; p++)
        fputc(*p == '\n' ? ' ' : *p, stderr);
    fputc('\n', stderr);
}

int64_t drill_now(const drill_ctx *ctx)
{
    return ctx->opt->fixed_now ? ctx->opt->now : (int64_t)time(NULL);
}

int64_t drill_clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fputs("alliance-drill: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs(" (see alliance-drill --help)\n", stderr);
    return DRILL_EXIT_USAGE;
}

/* ---- the collection's path ---- */

/* mkdir -p of the directory part of `path`. */
static int make_parent_dirs(const char *path)
{
    char *dir = strdup(path);
    if (dir == NULL)
        return -1;
    char *slash = strrchr(dir, '/');
    int rc = 0;
    if (slash != NULL && slash != dir) {
        *slash = '\0';
        for (char *p = dir + 1; rc == 0; p++) {
            if (*p == '/' || *p == '\0') {
                char saved = *p;
                *p = '\0';
                if (mkdir(dir, 0700) != 0 && errno != EEXIST)
                    rc = -1;
                *p = saved;
                if (saved == '\0')
                    break;
            }
        }
    }
    free(dir);
    return rc;
}

/* The default collection path in a new string, or NULL without a home. */
static char *default_db_path(void)
{
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    const char *base, *suffix;
    /* The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored. */
    if (xdg != NULL && xdg[0] == '/') {
        base = xdg;
        suffix = "/alliance/collection.db";
    } else if (home != NULL && home[0] != '\0') {
        base = home;
        suffix = "/.local/share/alliance/collection.db";
    } else {
        return NULL;
    }
    size_t len = strlen(base) + strlen(suffix) + 1;
    char *path = malloc(len);
    if (path != NULL)
        snprintf(path, len, "%s%s", base, suffix);
    return path;
}

enum open_mode { OPEN_CREATE, OPEN_EXISTING, OPEN_READ };

/* Opens the collection into ctx->db; DRILL_EXIT_OK or an exit code (message printed). */
static int open_collection(drill_ctx *ctx, const drill_options *opt, enum open_mode mode, char **owned_path)
{
    const char *path = opt->db_path;
    *owned_path = NULL;
    if (path == NULL) {
        *owned_path = default_db_path();
        if (*owned_path == NULL) {
            drill_error("no HOME or XDG_DATA_HOME to keep the collection in; use --db PATH");
            return DRILL_EXIT_USER;
        }
        path = *owned_path;
        if (mode == OPEN_CREATE && make_parent_dirs(path) != 0) {
            drill_error("cannot create the directory of %s: %s", path, strerror(errno));
            return DRILL_EXIT_USER;
        }
    }
    ctx->db_path = path;
    if (mode == OPEN_EXISTING && access(path, F_OK) != 0) {
        drill_error("no collection at %s (run alliance-drill to start one, or import a deck)", path);
        return DRILL_EXIT_USER;
    }
    alliance_open_options options;
    alliance_open_options_init(&options, ALLIANCE_OPEN_OPTIONS_VERSION);
    options.flags = mode == OPEN_CREATE ? ALLIANCE_OPEN_CREATE : mode == OPEN_READ ? ALLIANCE_OPEN_READONLY : 0;
    options.utc_offset_seconds = opt->utc_offset;
    int rc = alliance_open(&ctx->db, path, &options);
    if (rc != ALLIANCE_OK) {
        if (mode == OPEN_READ && opt->json) /* verify: a health check answers in JSON whatever it found */
            cmd_verify_unopened(path, ctx->db ? alliance_errmsg(ctx->db) : alliance_strerror(rc));
        drill_db_error(ctx->db, "cannot open %s", path);
        alliance_close(ctx->db);
        ctx->db = NULL;
        return DRILL_EXIT_USER;
    }
    return DRILL_EXIT_OK;
}

/* ---- the deck a command works on ---- */

char *drill_read_file(const char *path, size_t *out_len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (len < cap) {
            if (ferror(f)) {
                free(buf);
                buf = NULL;
            }
            break;
        }
        char *bigger = realloc(buf, cap * 2);
        if (bigger == NULL) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    int saved = errno;
    fclose(f);
    errno = saved;
    *out_len = len;
    return buf;
}

/* --deck FILE for the commands that only read: the deck the file names, which
 * must already be in the collection (the file is parsed, nothing is imported). */
static int scope_to_deck_file(drill_ctx *ctx, const char *file)
{
    size_t len;
    char *data = drill_read_file(file, &len);
    if (data == NULL) {
        drill_error("cannot read %s: %s", file, strerror(errno));
        return DRILL_EXIT_USER;
    }
    alliance_import_report *report = NULL;
    int rc = alliance_deck_check(file, data, len, ALLIANCE_FORMAT_DECK, &report);
    free(data);
    if (rc != ALLIANCE_OK) {
        const char *first = report != NULL && report->errors[0] != '\0' ? report->errors : alliance_strerror(rc);
        drill_error("%.*s", (int)strcspn(first, "\n"), first);
        alliance_free(report);
        return DRILL_EXIT_USER;
    }
    rc = alliance_deck_id(ctx->db, report->deck_name, 0, &ctx->deck_id);
    if (rc != ALLIANCE_OK) {
        if (rc == ALLIANCE_ENOTFOUND)
            drill_error("the deck '%s' of %s is not in the collection (import it first)", report->deck_name, file);
        else
            drill_db_error(ctx->db, "cannot find the deck '%s'", report->deck_name);
        alliance_free(report);
        return DRILL_EXIT_USER;
    }
    alliance_free(report);
    return DRILL_EXIT_OK;
}

/* A one-line note for the start of a session about what was imported. */
static void describe_import(char *buf, size_t size, const alliance_import_report *r, const char *what)
{
    if (r->added > 0 || r->updated > 0 || r->suspended > 0)
        snprintf(buf, size, "%s '%s': %u new, %u updated, %u unchanged, %u no longer in the file.", what,
                 r->deck_name, r->added, r->updated, r->unchanged, r->suspended);
    else
        buf[0] = '\0';
}

/* The default command: make sure there is something to study, then study it. */
static int run_drill(drill_ctx *ctx, const drill_options *opt)
{
    char welcome[1024] = "";
    alliance_import_report *report = NULL;
    int rc;
    if (opt->deck_file != NULL) {
        /* Importing every time keeps the collection in step with an edited file. */
        rc = alliance_deck_import(ctx->db, opt->deck_file, NULL, drill_now(ctx), &report);
        if (rc != ALLIANCE_OK) {
            drill_import_error(ctx, opt->deck_file, report);
            alliance_free(report);
            return DRILL_EXIT_USER;
        }
        ctx->deck_id = report->deck_id;
        describe_import(welcome, sizeof welcome, report, "Deck");
    } else {
        alliance_stats stats;
        alliance_stats_init(&stats, ALLIANCE_STATS_VERSION);
        rc = alliance_stats_get(ctx->db, 0, drill_now(ctx), 1, &stats);
        if (rc != ALLIANCE_OK) {
            drill_db_error(ctx->db, "cannot read %s", ctx->db_path);
            return DRILL_EXIT_USER;
        }
        if (stats.total == 0) {
            rc = alliance_deck_import_buffer(ctx->db, drill_bundled_deck_name, (const char *)drill_bundled_deck,
                                             drill_bundled_deck_size, NULL, drill_now(ctx), &report);
            if (rc != ALLIANCE_OK) {
                drill_db_error(ctx->db, "cannot import the bundled deck");
                alliance_free(report);
                return DRILL_EXIT_USER;
            }
            snprintf(welcome, sizeof welcome, "Welcome! Your new collection holds the deck '%s' (%u cards).\n"
                     "It is kept in %s.", report->deck_name, report->added, ctx->db_path);
        }
    }
    alliance_free(report);
    return drill_session(ctx, welcome);
}

/* ---- the command line ---- */

typedef struct option_values {
    const char *now;
    const char *utc_offset;
    const char *preset;
    const char *days;
    const char *seed;
    const char *exam_in;
    const char *ahead;
    const char *retention;
    const char *only_for;   /* the first command-specific option seen, for a usage error */
} option_values;

/* The value of an option given as "--name VALUE" or "--name=VALUE"; NULL if missing. */
static const char *option_value(int argc, char **argv, int *i, const char *eq)
{
    if (eq != NULL)
        return eq + 1;
    if (*i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

/* A whole decimal number within lo..hi: 0, or -1. */
static int parse_count(const char *text, uint32_t lo, uint32_t hi, uint32_t *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || text[0] == '-' || v < lo || v > hi)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

static int is_command(const char *word)
{
    static const char *const commands[] = {"drill", "import", "export", "stats", "list", "search", "undo", "decks", "note",
                                           "verify", "simulate", "lint", "sync", "serve", "scheduler", "exam",
                                           "cram", "help", "version"};
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(word, commands[i]) == 0)
            return 1;
    return 0;
}

static int parse_args(int argc, char **argv, drill_options *opt, int *show)
{
    option_values v = {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
    int only_options = 0;
    opt->args = calloc((size_t)argc + 1, sizeof *opt->args);
    if (opt->args == NULL)
        return usage_error("%s", "out of memory");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_options || a[0] != '-' || a[1] == '\0') {
            if (opt->command == NULL) {
                if (!is_command(a))
                    return usage_error("unknown command '%s'", a);
                opt->command = a;
            } else {
                opt->args[opt->nargs++] = argv[i];
            }
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_options = 1;
            continue;
        }
        const char *eq = strncmp(a, "--", 2) == 0 ? strchr(a, '=') : NULL;
        size_t name_len = eq != NULL ? (size_t)(eq - a) : strlen(a);
#define IS(name) (name_len == strlen(name) && strncmp(a, name, name_len) == 0)
        const char **target = NULL;
        if (IS("-h") || IS("--help")) {
            *show = 'h';
            continue;
        } else if (IS("-V") || IS("--version")) {
            *show = 'V';
            continue;
        } else if (IS("--json")) {
            if (eq != NULL)
                return usage_error("--json takes no value: '%s'", a);
            opt->json = 1;
            continue;
        } else if (IS("--with-cards")) {
            if (eq != NULL)
                return usage_error("--with-cards takes no value: '%s'", a);
            opt->with_cards = 1;
            continue;
        } else if (IS("--keep-history")) {
            if (eq != NULL)
                return usage_error("--keep-history takes no value: '%s'", a);
            opt->keep_history = 1;
            continue;
        } else if (IS("--review")) {
            if (eq != NULL)
                return usage_error("--review takes no value: '%s'", a);
            opt->cram_review = 1;
            continue;
        } else if (IS("--ahead")) {
            target = &v.ahead;
        } else if (IS("--clear")) {
            if (eq != NULL)
                return usage_error("--clear takes no value: '%s'", a);
            opt->clear = 1;
            continue;
        } else if (IS("--subdecks")) {
            if (eq != NULL)
                return usage_error("--subdecks takes no value: '%s'", a);
            opt->subdecks = 1;
            continue;
        } else if (IS("--db")) {
            target = &opt->db_path;
        } else if (IS("--deck")) {
            target = &opt->deck_file;
        } else if (IS("--now")) {
            target = &v.now;
        } else if (IS("--utc-offset")) {
            target = &v.utc_offset;
        } else if (IS("--format")) {
            target = &opt->format;
        } else if (IS("-o") || IS("--output")) {
            target = &opt->output;
        } else if (IS("--preset")) {
            target = &v.preset;
        } else if (IS("--days")) {
            target = &v.days;
        } else if (IS("--seed")) {
            target = &v.seed;
        } else if (IS("--exam-in")) {
            target = &v.exam_in;
        } else if (IS("--remote")) {
            target = &opt->remote;
        } else if (IS("--scheduler")) {
            target = &opt->scheduler;
        } else if (IS("--retention")) {
            target = &v.retention;
        } else if (IS("--weights")) {
            target = &opt->weights;
        } else if (IS("--sources")) {
            target = &opt->sources;
        } else {
            return usage_error("unknown option '%s'", a);
        }
#undef IS
        const char *value = option_value(argc, argv, &i, eq);
        if (value == NULL || value[0] == '\0')
            return usage_error("option '%s' needs a value", a);
        *target = value;
    }
    if (opt->command == NULL)
        opt->command = "drill";

    if (v.utc_offset != NULL && timefmt_parse_offset(v.utc_offset, &opt->utc_offset) != 0)
        return usage_error("bad --utc-offset '%s': use +02:00, -0530, Z or local", v.utc_offset);
    if (v.now != NULL) {
        if (timefmt_parse_now(v.now, opt->utc_offset, &opt->now) != 0)
            return usage_error("bad --now '%s': use ISO 8601 (2026-01-05T09:30:00Z) or Unix seconds", v.now);
        opt->fixed_now = 1;
    }
    if (v.preset != NULL) {
        if (strcmp(v.preset, "supermemo") == 0)
            opt->preset = ALLIANCE_SM2_SUPERMEMO;
        else if (strcmp(v.preset, "classic") == 0)
            opt->preset = ALLIANCE_SM2_CLASSIC;
        else
            return usage_error("unknown --preset '%s': use supermemo or classic", v.preset);
    }

    /* Options that belong to one command are refused elsewhere, rather than ignored. */
    const char *cmd = opt->command;
    if (opt->output != NULL && strcmp(cmd, "export") != 0)
        return usage_error("--output applies to export, not %s", cmd);
    if (opt->format != NULL && strcmp(cmd, "export") != 0 && strcmp(cmd, "import") != 0 &&
        strcmp(cmd, "lint") != 0)
        return usage_error("--format applies to import, export and lint, not %s", cmd);
    if (opt->sources != NULL && strcmp(cmd, "lint") != 0)
        return usage_error("--sources applies to lint, not %s", cmd);
    if (opt->format != NULL && strcmp(opt->format, "deck") != 0 && strcmp(opt->format, "anki") != 0 &&
        strcmp(opt->format, "apkg") != 0 && strcmp(opt->format, "fsrs-csv") != 0)
        return usage_error("unknown --format '%s': use deck, anki, apkg or fsrs-csv", opt->format);
    if (opt->format != NULL && strcmp(opt->format, "apkg") == 0 && strcmp(cmd, "lint") == 0)
        return usage_error("lint reads deck or anki files, not apkg");
    if (opt->format != NULL && strcmp(opt->format, "fsrs-csv") == 0 && strcmp(cmd, "export") != 0)
        return usage_error("--format fsrs-csv applies to export, not %s", cmd);
    if (opt->with_cards && (strcmp(cmd, "decks") != 0 || opt->nargs == 0 || strcmp(opt->args[0], "delete") != 0))
        return usage_error("--with-cards applies to decks delete, not %s", cmd);
    if (opt->keep_history && strcmp(cmd, "note") != 0)
        return usage_error("--keep-history applies to note delete, not %s", cmd);
    if ((opt->cram_review || v.ahead != NULL) && strcmp(cmd, "cram") != 0)
        return usage_error("%s applies to cram, not %s", opt->cram_review ? "--review" : "--ahead", cmd);
    if (v.ahead != NULL && parse_count(v.ahead, 1, 36500, &opt->cram_ahead) != 0)
        return usage_error("bad --ahead '%s': a number of days, 1 to 36500", v.ahead);
    if (opt->clear && strcmp(cmd, "exam") != 0)
        return usage_error("--clear applies to exam, not %s", cmd);
    if (opt->subdecks && strcmp(cmd, "export") != 0)
        return usage_error("--subdecks applies to export, not %s", cmd);
    if (opt->subdecks && opt->format != NULL && strcmp(opt->format, "fsrs-csv") == 0)
        return usage_error("--subdecks does not apply to --format fsrs-csv: it exports the log of one deck "
                           "(DECK or --deck) or of every deck");
    int fsrs = opt->scheduler != NULL && strcmp(opt->scheduler, "fsrs") == 0;
    if (opt->scheduler != NULL && !fsrs && strcmp(opt->scheduler, "sm2") != 0)
        return usage_error("unknown --scheduler '%s': use sm2 or fsrs", opt->scheduler);
    if (opt->scheduler != NULL && strcmp(cmd, "simulate") != 0)
        return usage_error("--scheduler applies to simulate, not %s", cmd);
    if (v.retention != NULL) {
        char *end = NULL;
        errno = 0;
        opt->retention = strtod(v.retention, &end);
        if (errno != 0 || end == v.retention || *end != '\0' || !(opt->retention > 0 && opt->retention <= 1))
            return usage_error("bad --retention '%s': a probability above 0, at most 1 (0.9)", v.retention);
        int scheduler_fsrs = strcmp(cmd, "scheduler") == 0 && opt->nargs == 1 && strcmp(opt->args[0], "fsrs") == 0;
        if (!scheduler_fsrs && (strcmp(cmd, "simulate") != 0 || !fsrs))
            return usage_error("--retention applies to FSRS (simulate --scheduler fsrs, scheduler fsrs), not %s%s",
                               cmd, strcmp(cmd, "simulate") == 0 || strcmp(cmd, "scheduler") == 0 ? " with SM-2" : "");
    }
    if (v.preset != NULL && fsrs)
        return usage_error("--preset applies to SM-2, not to --scheduler fsrs");
    if (v.preset != NULL && strcmp(cmd, "simulate") != 0)
        return usage_error("--preset applies to simulate, not %s", cmd);
    const char *learner_only = v.days == NULL ? (v.seed != NULL ? "--seed" : v.exam_in != NULL ? "--exam-in" : NULL) : NULL;
    if ((v.days != NULL || learner_only != NULL) && strcmp(cmd, "simulate") != 0)
        return usage_error("%s applies to simulate, not %s", v.days != NULL ? "--days" : learner_only, cmd);
    if (learner_only != NULL)
        return usage_error("%s goes with simulate --days N", learner_only);
    if (v.days != NULL && fsrs && v.exam_in != NULL)
        return usage_error("%s", "--exam-in goes with simulate --days N under SM-2, not --scheduler fsrs");
    if (v.days != NULL && (parse_count(v.days, 1, 3650, &opt->sim_days) != 0))
        return usage_error("bad --days '%s': a number of days, 1 to 3650", v.days);
    if (v.exam_in != NULL && (parse_count(v.exam_in, 1, 3650, &opt->exam_in) != 0))
        return usage_error("bad --exam-in '%s': a number of days, 1 to 3650", v.exam_in);
    if (v.seed != NULL) {
        char *end;
        errno = 0;
        unsigned long long seed = strtoull(v.seed, &end, 10);
        if (errno != 0 || *end != '\0' || v.seed[0] == '-')
            return usage_error("bad --seed '%s': a number", v.seed);
        opt->seed = seed;
    }
    if (v.days != NULL && v.preset != NULL)
        return usage_error("%s", "--preset goes with simulate GRADES, not --days");
    if (v.days != NULL && opt->nargs > 0)
        return usage_error("simulate --days takes no grades: '%s'", opt->args[0]);
    if (opt->remote != NULL && strcmp(cmd, "sync") != 0)
        return usage_error("--remote applies to sync, not %s", cmd);
    if (strcmp(cmd, "scheduler") == 0 && opt->nargs >= 1 && strcmp(opt->args[0], "fsrs") != 0 &&
        strcmp(opt->args[0], "sm2") != 0)
        return usage_error("unknown scheduler '%s': use sm2 or fsrs", opt->args[0]);
    if (opt->weights != NULL && !(strcmp(cmd, "scheduler") == 0 && opt->nargs == 1 && strcmp(opt->args[0], "fsrs") == 0))
        return usage_error("--weights applies to scheduler fsrs, not %s", cmd);
    if (opt->json && (strcmp(cmd, "drill") == 0 || strcmp(cmd, "export") == 0 || strcmp(cmd, "undo") == 0 ||
                      strcmp(cmd, "serve") == 0 || strcmp(cmd, "scheduler") == 0 || strcmp(cmd, "exam") == 0 ||
                      strcmp(cmd, "cram") == 0 || strcmp(cmd, "note") == 0))
        return usage_error("--json does not apply to %s", cmd);
    if (opt->json && strcmp(cmd, "decks") == 0 && opt->nargs > 0 && strcmp(opt->args[0], "list") != 0)
        return usage_error("--json does not apply to decks %s", opt->args[0]);
    if (opt->deck_file != NULL && (strcmp(cmd, "import") == 0 || strcmp(cmd, "undo") == 0 || strcmp(cmd, "decks") == 0 || strcmp(cmd, "note") == 0 ||
                                   strcmp(cmd, "simulate") == 0 || strcmp(cmd, "lint") == 0 ||
                                   strcmp(cmd, "verify") == 0 || strcmp(cmd, "sync") == 0 ||
                                   strcmp(cmd, "serve") == 0 || strcmp(cmd, "scheduler") == 0))
        return usage_error("--deck does not apply to %s", cmd);

    int want_min = 0, want_max = 0;
    if (strcmp(cmd, "import") == 0 || strcmp(cmd, "search") == 0 || strcmp(cmd, "lint") == 0)
        want_min = want_max = 1;
    else if (strcmp(cmd, "export") == 0)
        want_max = 1; /* an optional deck name */
    else if (strcmp(cmd, "simulate") == 0)
        want_min = opt->sim_days ? 0 : 1, want_max = argc;
    else if (strcmp(cmd, "sync") == 0)
        want_min = want_max = opt->remote != NULL ? 0 : 1;
    else if (strcmp(cmd, "decks") == 0) {
        const char *action = opt->nargs > 0 ? opt->args[0] : "list";
        if (strcmp(action, "list") != 0 && strcmp(action, "rename") != 0 && strcmp(action, "delete") != 0)
            return usage_error("unknown decks action '%s': use list, rename OLD NEW or delete NAME", action);
        want_min = want_max = strcmp(action, "rename") == 0 ? 3 : strcmp(action, "delete") == 0 ? 2 : opt->nargs;
        if (opt->nargs < want_min && *show == 0)
            return usage_error("decks %s needs %s", action, want_min == 3 ? "OLD and NEW names" : "a deck NAME");
    }
    else if (strcmp(cmd, "note") == 0) {
        if (opt->nargs > 0 && strcmp(opt->args[0], "delete") != 0)
            return usage_error("unknown note action '%s': use delete ID", opt->args[0]);
        want_min = want_max = 2;
        if (opt->nargs < want_min && *show == 0)
            return usage_error("note delete needs a note ID");
    }
    else if (strcmp(cmd, "scheduler") == 0)
        want_max = 1; /* sm2 or fsrs; none shows the setting */
    else if (strcmp(cmd, "exam") == 0)
        want_max = opt->clear ? 0 : 1; /* DATE, or nothing to show the exam */
    if (opt->nargs < want_min && *show == 0)
        return usage_error(strcmp(cmd, "import") == 0 || strcmp(cmd, "lint") == 0 ? "%s needs a FILE"
                           : strcmp(cmd, "sync") == 0 ? "%s needs the PATH of another copy, or --remote COMMAND"
                           : strcmp(cmd, "search") == 0 ? "%s needs the TEXT to look for"
                           : opt->scheduler != NULL && strcmp(opt->scheduler, "fsrs") == 0
                                                        ? "%s needs ratings (1-4)"
                                                        : "%s needs grades (0-5)",
                           cmd);
    if (opt->nargs > want_max)
        return usage_error("unexpected argument '%s'", opt->args[want_max]);
    if (strcmp(cmd, "help") == 0)
        *show = 'h';
    else if (strcmp(cmd, "version") == 0)
        *show = 'V';
    return DRILL_EXIT_OK;
}

int main(int argc, char **argv)
{
    drill_options opt;
    memset(&opt, 0, sizeof opt);
    opt.utc_offset = ALLIANCE_UTC_OFFSET_LOCAL;
    opt.preset = ALLIANCE_SM2_SUPERMEMO;
    opt.seed = 1;
    opt.now = (int64_t)time(NULL);

    int show = 0;
    int rc = parse_args(argc, argv, &opt, &show);
    if (rc == DRILL_EXIT_OK && show == 'h') {
        fputs(usage_text, stdout);
        fputs(usage_text2, stdout);
        fputs(usage_scheduler, stdout);
        fputs(usage_study, stdout);
        fputs(usage_options, stdout);
    } else if (rc == DRILL_EXIT_OK && show == 'V')
        printf("alliance-drill %s (liballiance %s)\n", ALLIANCE_VERSION_STRING, alliance_version_string());
    if (rc != DRILL_EXIT_OK || show != 0) {
        free(opt.args);
        return rc;
    }

    render_init();
    const char *cmd = opt.command;
    if (strcmp(cmd, "simulate") == 0 || strcmp(cmd, "lint") == 0) {
        /* Neither needs a collection. */
        if (strcmp(cmd, "lint") == 0)
            rc = cmd_lint(&opt);
        else
            rc = !opt.sim_days ? cmd_simulate(&opt)
                 : opt.scheduler != NULL && strcmp(opt.scheduler, "fsrs") == 0 ? cmd_simulate_schedulers(&opt)
                                                                                : cmd_simulate_learner(&opt);
        free(opt.args);
        return rc;
    }

    drill_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.opt = &opt;
    int creates = strcmp(cmd, "drill") == 0 || strcmp(cmd, "import") == 0;
    char *owned_path = NULL;
    /* verify only reads: a damaged file must not be written to (nor switched to WAL). */
    rc = open_collection(&ctx, &opt, creates ? OPEN_CREATE : strcmp(cmd, "verify") == 0 ? OPEN_READ : OPEN_EXISTING,
                         &owned_path);
    if (rc == DRILL_EXIT_OK && opt.deck_file != NULL && strcmp(cmd, "drill") != 0)
        rc = scope_to_deck_file(&ctx, opt.deck_file);
    if (rc == DRILL_EXIT_OK) {
        if (strcmp(cmd, "drill") == 0)
            rc = run_drill(&ctx, &opt);
        else if (strcmp(cmd, "import") == 0)
            rc = cmd_import(&ctx);
        else if (strcmp(cmd, "export") == 0)
            rc = cmd_export(&ctx);
        else if (strcmp(cmd, "stats") == 0)
            rc = cmd_stats(&ctx);
        else if (strcmp(cmd, "list") == 0)
            rc = cmd_list(&ctx, NULL);
        else if (strcmp(cmd, "search") == 0)
            rc = cmd_list(&ctx, opt.args[0]);
        else if (strcmp(cmd, "undo") == 0)
            rc = cmd_undo(&ctx);
        else if (strcmp(cmd, "decks") == 0)
            rc = cmd_decks(&ctx);
        else if (strcmp(cmd, "note") == 0)
            rc = cmd_note(&ctx);
        else if (strcmp(cmd, "sync") == 0)
            rc = cmd_sync(&ctx);
        else if (strcmp(cmd, "serve") == 0)
            rc = cmd_serve(&ctx);
        else if (strcmp(cmd, "verify") == 0)
            rc = cmd_verify(&ctx);
        else if (strcmp(cmd, "scheduler") == 0)
            rc = cmd_scheduler(&ctx);
        else if (strcmp(cmd, "exam") == 0)
            rc = cmd_exam(&ctx);
        else if (strcmp(cmd, "cram") == 0)
            rc = drill_session(&ctx, NULL);
    }
    if (ctx.db != NULL && alliance_close(ctx.db) != ALLIANCE_OK && rc == DRILL_EXIT_OK) {
        drill_error("closing %s failed", ctx.db_path);
        rc = DRILL_EXIT_USER;
    }
    free(owned_path);
    free(opt.args);
    return rc;
}
