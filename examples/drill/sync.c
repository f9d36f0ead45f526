/* SPDX-License-Identifier: MIT */
/*
 * sync.c - alliance-drill sync and serve: two copies of a collection exchange
 * what each lacks (docs/sync.md), with another collection file, or over the
 * stdin/stdout of a command (as git does over ssh). Each side applies a
 * changeset in one transaction, so a sync cut anywhere leaves both copies
 * consistent and the next sync finishes the job. Changesets go through
 * temporary files or the pipe, never whole in memory.
 *
 * The wire protocol of --remote / serve: frames of one type byte and a u32
 * length (little-endian), then the payload.
 *   'C' a piece of the current stream, 'Z' its end,
 *   'R' the server's report of its apply ("N N N ...\ntext"), 'X' an error message.
 * The client sends its state; the server answers with its changes for the
 * client, then its own state; the client applies, then sends its changes for
 * the server; the server applies and answers 'R' (or 'X').
 */
#include "drill.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- changesets through temporary files ---- */

static int file_write(void *opaque, const char *data, size_t len)
{
    return fwrite(data, 1, len, (FILE *)opaque) == len ? 0 : -1;
}

static int file_read(void *opaque, void *buf, size_t cap, size_t *out_len)
{
    FILE *f = opaque;
    *out_len = fread(buf, 1, cap, f);
    return ferror(f) ? -1 : 0;
}

/* ---- framed streams over file descriptors ---- */

typedef struct wire {
    int in, out;
    /* reading the current stream */
    uint32_t left; /* bytes left in the current 'C' frame */
    int ended;     /* 'Z' seen */
    char error[512];
} wire;

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* A connection that stays open but goes silent (a half-dead link) ends the sync after this
 * long without a byte: ALLIANCE_DRILL_SYNC_TIMEOUT seconds, 120 by default. */
static int idle_timeout_ms(void)
{
    const char *env = getenv("ALLIANCE_DRILL_SYNC_TIMEOUT");
    long seconds = env != NULL ? strtol(env, NULL, 10) : 120;
    return seconds > 0 && seconds < 86400 ? (int)(seconds * 1000) : 120000;
}

static int read_all(int fd, void *data, size_t len)
{
    char *p = data;
    while (len > 0) {
        struct pollfd pfd = {fd, POLLIN, 0};
        int ready = poll(&pfd, 1, idle_timeout_ms());
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready == 0)
            errno = ETIMEDOUT;
        if (ready <= 0)
            return -1;
        ssize_t n = read(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int send_frame(wire *w, char type, const void *data, size_t len)
{
    unsigned char h[5] = {(unsigned char)type, (unsigned char)len, (unsigned char)(len >> 8),
                          (unsigned char)(len >> 16), (unsigned char)(len >> 24)};
    if (write_all(w->out, h, 5) != 0 || (len > 0 && write_all(w->out, data, len) != 0)) {
        snprintf(w->error, sizeof w->error, "the other end closed the connection (%s)", strerror(errno));
        return -1;
    }
    return 0;
}

/* Frame header: type and length. */
static int read_header(wire *w, char *type, uint32_t *len)
{
    unsigned char h[5];
    if (read_all(w->in, h, 5) != 0) {
        snprintf(w->error, sizeof w->error, "the other end %s",
                 errno == ETIMEDOUT ? "went silent (no byte for ALLIANCE_DRILL_SYNC_TIMEOUT seconds)"
                                    : "closed the connection");
        return -1;
    }
    *type = (char)h[0];
    *len = (uint32_t)h[1] | ((uint32_t)h[2] << 8) | ((uint32_t)h[3] << 16) | ((uint32_t)h[4] << 24);
    return 0;
}

static int wire_write(void *opaque, const char *data, size_t len)
{
    wire *w = opaque;
    while (len > 0) {
        size_t n = len > 65536 ? 65536 : len;
        if (send_frame(w, 'C', data, n) != 0)
            return -1;
        data += n;
        len -= n;
    }
    return 0;
}

/* Reads an 'X' frame's text into w->error. */
static void read_error_text(wire *w, uint32_t len)
{
    char buf[400];
    uint32_t keep = len < sizeof buf - 1 ? len : (uint32_t)sizeof buf - 1;
    if (read_all(w->in, buf, keep) != 0)
        keep = 0;
    buf[keep] = '\0';
    for (uint32_t rest = len - keep; rest > 0; rest--) {
        char c;
        if (read_all(w->in, &c, 1) != 0)
            break;
    }
    snprintf(w->error, sizeof w->error, "the other end says: %s", buf);
}

static int wire_read(void *opaque, void *buf, size_t cap, size_t *out_len)
{
    wire *w = opaque;
    *out_len = 0;
    while (!w->ended && w->left == 0) {
        char type;
        uint32_t len;
        if (read_header(w, &type, &len) != 0)
            return -1;
        if (type == 'C') {
            w->left = len;
        } else if (type == 'Z') {
            w->ended = 1;
        } else if (type == 'X') {
            read_error_text(w, len);
            return -1;
        } else {
            snprintf(w->error, sizeof w->error, "the other end does not speak this protocol (frame '%c')", type);
            return -1;
        }
    }
    if (w->ended)
        return 0;
    size_t n = cap < w->left ? cap : w->left;
    if (read_all(w->in, buf, n) != 0) {
        snprintf(w->error, sizeof w->error, "the other end closed the connection mid-way");
        return -1;
    }
    w->left -= (uint32_t)n;
    *out_len = n;
    return 0;
}

/* Starts reading the next stream. */
static void wire_next_stream(wire *w)
{
    w->left = 0;
    w->ended = 0;
}

/* Sends a stream written by `fn` and its end. */
static int wire_send_end(wire *w)
{
    return send_frame(w, 'Z', NULL, 0);
}

/* ---- reports ---- */

typedef struct totals {
    int ok;
    uint32_t reviews, tombstones, cards, cards_added, decks, settings, conflicts;
    char conflicts_text[4096];
} totals;

static void totals_from(totals *t, const alliance_sync_report *r)
{
    t->ok = 1;
    t->reviews = r->reviews;
    t->tombstones = r->tombstones;
    t->cards = r->cards;
    t->cards_added = r->cards_added;
    t->decks = r->decks;
    t->settings = r->settings;
    t->conflicts = r->conflicts;
    snprintf(t->conflicts_text, sizeof t->conflicts_text, "%s", r->conflict_text);
}

static const char *plural(uint32_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static void print_totals_json(const char *key, const totals *t, int *first)
{
    printf("%s\"%s\":{\"reviews\":%u,\"undos\":%u,\"cards\":%u,\"cards_added\":%u,\"decks\":%u,\"settings\":%u,"
           "\"conflicts\":%u,\"conflict_text\":",
           *first ? "" : ",", key, t->reviews, t->tombstones, t->cards, t->cards_added, t->decks, t->settings,
           t->conflicts);
    drill_json_string(t->conflicts_text);
    putchar('}');
    *first = 0;
}

static void print_result(const drill_ctx *ctx, const char *with, const totals *got, const totals *sent, int cloned)
{
    if (ctx->opt->json) {
        int first = 1;
        printf("{\"ok\":true,\"with\":");
        drill_json_string(with);
        printf(",\"cloned\":%s,", cloned ? "true" : "false");
        print_totals_json("received", got, &first);
        print_totals_json("sent", sent, &first);
        printf("}\n");
        return;
    }
    if (cloned) {
        printf("Cloned the collection into %s: %u %s, %u %s.\n", with, sent->cards_added,
               plural(sent->cards_added, "card", "cards"), sent->reviews, plural(sent->reviews, "answer", "answers"));
        return;
    }
    printf("Synced with %s: %u %s sent, %u received", with, sent->reviews, plural(sent->reviews, "answer", "answers"),
           got->reviews);
    if (sent->tombstones || got->tombstones)
        printf("; %u %s sent, %u received", sent->tombstones, plural(sent->tombstones, "undo", "undos"), got->tombstones);
    if (sent->cards || got->cards)
        printf("; %u %s changed there, %u here", sent->cards, plural(sent->cards, "card", "cards"), got->cards);
    if (sent->settings || got->settings || sent->decks || got->decks)
        printf("; %u %s and %u %s updated", sent->decks + got->decks, plural(sent->decks + got->decks, "deck", "decks"),
               sent->settings + got->settings, plural(sent->settings + got->settings, "setting", "settings"));
    printf(".\n");
    uint32_t conflicts = got->conflicts + sent->conflicts;
    if (conflicts) {
        printf("%u %s changed on both sides (the later change wins, on both):\n", conflicts,
               plural(conflicts, "thing", "things"));
        fputs(got->conflicts_text, stdout);
        fputs(sent->conflicts_text, stdout);
    }
}

/* ---- sync PATH ---- */

static int open_other(const drill_ctx *ctx, const char *path, int create, alliance_db **out)
{
    alliance_open_options o;
    alliance_open_options_init(&o, ALLIANCE_OPEN_OPTIONS_VERSION);
    o.flags = create ? ALLIANCE_OPEN_CREATE : 0;
    o.utc_offset_seconds = ctx->opt->utc_offset;
    int rc = alliance_open(out, path, &o);
    if (rc != ALLIANCE_OK) {
        drill_db_error(*out, "cannot open %s", path);
        alliance_close(*out);
        *out = NULL;
        return DRILL_EXIT_USER;
    }
    return DRILL_EXIT_OK;
}

/* `to` receives what it lacks from `from`, through a temporary file. */
static int one_way(alliance_db *from, alliance_db *to, const char *from_name, const char *to_name, int clone,
                   totals *t)
{
    FILE *state = clone ? NULL : tmpfile(), *changes = tmpfile();
    int rc = ALLIANCE_OK, exit_code = DRILL_EXIT_OK;
    if ((!clone && state == NULL) || changes == NULL) {
        drill_error("cannot make a temporary file: %s", strerror(errno));
        exit_code = DRILL_EXIT_USER;
    } else if (!clone && (rc = alliance_sync_state(to, file_write, state)) != ALLIANCE_OK) {
        drill_db_error(to, "cannot read the state of %s", to_name);
        exit_code = DRILL_EXIT_USER;
    } else {
        if (state)
            rewind(state);
        rc = alliance_sync_changes(from, state ? file_read : NULL, state, file_write, changes);
        if (rc != ALLIANCE_OK || fflush(changes) != 0) {
            drill_db_error(from, "cannot write the changes of %s", from_name);
            exit_code = DRILL_EXIT_USER;
        } else {
            rewind(changes);
            alliance_sync_report *report = NULL;
            rc = clone ? alliance_sync_clone(to, file_read, changes, &report)
                       : alliance_sync_apply(to, NULL, file_read, changes, &report);
            if (rc != ALLIANCE_OK) {
                drill_db_error(to, "cannot apply the changes of %s to %s", from_name, to_name);
                exit_code = DRILL_EXIT_USER;
            } else {
                totals_from(t, report);
            }
            alliance_free(report);
        }
    }
    if (state)
        fclose(state);
    if (changes)
        fclose(changes);
    return exit_code;
}

/* Removes a collection file and what SQLite keeps beside it. */
static void remove_collection_file(const char *path)
{
    static const char *const suffixes[] = { "", "-journal", "-wal", "-shm" };
    char name[4096];
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
        if (snprintf(name, sizeof name, "%s%s", path, suffixes[i]) < (int)sizeof name)
            unlink(name);
}

static int sync_with_file(drill_ctx *ctx, const char *path)
{
    struct stat st;
    int clone = stat(path, &st) != 0 || st.st_size == 0;
    /* A clone is made under a temporary name beside PATH and renamed into place once it is
     * complete and closed: killed half-way, it leaves no PATH (only the temporary file), so the
     * next sync clones again instead of meeting a new, empty collection of its own id there. */
    char target[4096];
    if (clone && snprintf(target, sizeof target, "%s.clone-%ld", path, (long)getpid()) >= (int)sizeof target) {
        drill_error("the path %s is too long", path);
        return DRILL_EXIT_USER;
    }
    if (clone)
        remove_collection_file(target);
    const char *open_path = clone ? target : path;
    alliance_db *other = NULL;
    int rc = open_other(ctx, open_path, clone, &other);
    totals got, sent;
    memset(&got, 0, sizeof got);
    memset(&sent, 0, sizeof sent);
    if (rc == DRILL_EXIT_OK && !clone)
        rc = one_way(other, ctx->db, path, ctx->db_path, 0, &got);
    if (rc == DRILL_EXIT_OK)
        rc = one_way(ctx->db, other, ctx->db_path, path, clone, &sent);
    if (other != NULL && alliance_close(other) != ALLIANCE_OK && rc == DRILL_EXIT_OK) {
        drill_error("closing %s failed", open_path);
        rc = DRILL_EXIT_USER;
    }
    if (rc == DRILL_EXIT_OK && clone && rename(target, path) != 0) {
        drill_error("cannot rename %s to %s: %s", target, path, strerror(errno));
        rc = DRILL_EXIT_USER;
    }
    if (rc != DRILL_EXIT_OK && clone)
        remove_collection_file(target); /* a clone that failed leaves nothing behind */
    if (rc == DRILL_EXIT_OK)
        print_result(ctx, path, &got, &sent, clone);
    return rc;
}

/* ---- sync --remote COMMAND ---- */

static pid_t spawn(const char *command, int *to_child, int *from_child)
{
    int in[2], out[2];
    if (pipe(in) != 0)
        return -1;
    if (pipe(out) != 0) {
        close(in[0]);
        close(in[1]);
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        execl("/bin/sh", "sh", "-c", command, (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    if (pid < 0) {
        close(in[1]);
        close(out[0]);
        return -1;
    }
    *to_child = in[1];
    *from_child = out[0];
    return pid;
}

/* The 'R' frame: "reviews tombstones cards cards_added decks settings conflicts\nconflict text". */
static int read_remote_report(wire *w, totals *t)
{
    char type;
    uint32_t len;
    if (read_header(w, &type, &len) != 0)
        return -1;
    if (type == 'X') {
        read_error_text(w, len);
        return -1;
    }
    if (type != 'R' || len > 65536) {
        snprintf(w->error, sizeof w->error, "the other end does not speak this protocol");
        return -1;
    }
    char *text = malloc((size_t)len + 1);
    if (text == NULL || read_all(w->in, text, len) != 0) {
        free(text);
        snprintf(w->error, sizeof w->error, "the other end closed the connection");
        return -1;
    }
    text[len] = '\0';
    memset(t, 0, sizeof *t);
    t->ok = 1;
    int used = 0;
    sscanf(text, "%u %u %u %u %u %u %u\n%n", &t->reviews, &t->tombstones, &t->cards, &t->cards_added, &t->decks,
           &t->settings, &t->conflicts, &used);
    snprintf(t->conflicts_text, sizeof t->conflicts_text, "%s", text + used);
    free(text);
    return 0;
}

static int remote_sync(drill_ctx *ctx, wire *w, totals *got, totals *sent)
{
    /* 1. our state */
    if (alliance_sync_state(ctx->db, wire_write, w) != ALLIANCE_OK || wire_send_end(w) != 0) {
        drill_error("cannot send this collection's state: %s", w->error[0] ? w->error : alliance_errmsg(ctx->db));
        return DRILL_EXIT_USER;
    }
    /* 2. their changes for us, applied as they arrive (one transaction: all or nothing) */
    alliance_sync_report *report = NULL;
    wire_next_stream(w);
    int rc = alliance_sync_apply(ctx->db, NULL, wire_read, w, &report);
    if (rc != ALLIANCE_OK) {
        if (w->error[0])
            drill_error("cannot receive the remote changes: %s", w->error);
        else
            drill_db_error(ctx->db, "cannot apply the remote changes");
        return DRILL_EXIT_USER;
    }
    totals_from(got, report);
    alliance_free(report);
    /* 3. their state, into a temporary file (we must read it whole before writing to them) */
    FILE *state = tmpfile();
    if (state == NULL) {
        drill_error("cannot make a temporary file: %s", strerror(errno));
        return DRILL_EXIT_USER;
    }
    char buf[65536];
    size_t n;
    wire_next_stream(w);
    while ((rc = wire_read(w, buf, sizeof buf, &n)) == 0 && n > 0)
        fwrite(buf, 1, n, state);
    if (rc != 0 || fflush(state) != 0) {
        drill_error("cannot receive the remote state: %s", w->error[0] ? w->error : strerror(errno));
        fclose(state);
        return DRILL_EXIT_USER;
    }
    rewind(state);
    /* 4. our changes for them */
    rc = alliance_sync_changes(ctx->db, file_read, state, wire_write, w);
    fclose(state);
    if (rc != ALLIANCE_OK || wire_send_end(w) != 0) {
        drill_error("cannot send this collection's changes: %s", w->error[0] ? w->error : alliance_errmsg(ctx->db));
        return DRILL_EXIT_USER;
    }
    /* Nothing more to say: the other end sees the end of its input (and a filter in between
     * that waits for more, such as head -c, ends instead of waiting for ever). */
    close(w->out);
    w->out = -1;
    /* 5. what they did with them */
    if (read_remote_report(w, sent) != 0) {
        drill_error("the remote end did not apply the changes: %s", w->error);
        return DRILL_EXIT_USER;
    }
    return DRILL_EXIT_OK;
}

static int sync_with_remote(drill_ctx *ctx, const char *command)
{
    int to_child = -1, from_child = -1;
    pid_t pid = spawn(command, &to_child, &from_child);
    if (pid < 0) {
        drill_error("cannot run '%s': %s", command, strerror(errno));
        return DRILL_EXIT_USER;
    }
    wire w;
    memset(&w, 0, sizeof w);
    w.in = from_child;
    w.out = to_child;
    totals got, sent;
    memset(&got, 0, sizeof got);
    memset(&sent, 0, sizeof sent);
    int rc = remote_sync(ctx, &w, &got, &sent);
    if (w.out >= 0)
        close(w.out);
    close(from_child);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (rc == DRILL_EXIT_OK && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
        drill_error("'%s' failed (exit status %d)", command, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        rc = DRILL_EXIT_USER;
    }
    if (rc == DRILL_EXIT_OK)
        print_result(ctx, command, &got, &sent, 0);
    return rc;
}

int cmd_sync(drill_ctx *ctx)
{
    signal(SIGPIPE, SIG_IGN); /* a closed pipe is an error to report, not a way to die */
    if (ctx->opt->remote != NULL)
        return sync_with_remote(ctx, ctx->opt->remote);
    return sync_with_file(ctx, ctx->opt->args[0]);
}

/* ---- serve: the other end of --remote, on stdin/stdout ---- */

static int serve_fail(wire *w, alliance_db *db, const char *what)
{
    char msg[1024];
    snprintf(msg, sizeof msg, "%s: %s", what, w->error[0] ? w->error : alliance_errmsg(db));
    send_frame(w, 'X', msg, strlen(msg));
    drill_error("%s", msg);
    return DRILL_EXIT_USER;
}

int cmd_serve(drill_ctx *ctx)
{
    signal(SIGPIPE, SIG_IGN);
    wire w;
    memset(&w, 0, sizeof w);
    w.in = 0;
    w.out = 1;
    /* 1. the client's state, kept in a temporary file */
    FILE *state = tmpfile();
    if (state == NULL)
        return serve_fail(&w, ctx->db, "cannot make a temporary file");
    char buf[65536];
    size_t n;
    int rc;
    while ((rc = wire_read(&w, buf, sizeof buf, &n)) == 0 && n > 0)
        fwrite(buf, 1, n, state);
    if (rc != 0 || fflush(state) != 0) {
        fclose(state);
        drill_error("cannot read the client's state: %s", w.error);
        return DRILL_EXIT_USER;
    }
    rewind(state);
    /* 2. our changes for the client, then 3. our state */
    rc = alliance_sync_changes(ctx->db, file_read, state, wire_write, &w);
    fclose(state);
    if (rc != ALLIANCE_OK)
        return serve_fail(&w, ctx->db, "cannot write the changes");
    if (wire_send_end(&w) != 0 || alliance_sync_state(ctx->db, wire_write, &w) != ALLIANCE_OK || wire_send_end(&w) != 0)
        return serve_fail(&w, ctx->db, "cannot send the state");
    /* 4. the client's changes for us, applied as they arrive */
    alliance_sync_report *report = NULL;
    wire_next_stream(&w);
    rc = alliance_sync_apply(ctx->db, NULL, wire_read, &w, &report);
    if (rc != ALLIANCE_OK)
        return serve_fail(&w, ctx->db, "cannot apply the client's changes");
    /* 5. what we did */
    char head[256];
    int len = snprintf(head, sizeof head, "%u %u %u %u %u %u %u\n", report->reviews, report->tombstones, report->cards,
                       report->cards_added, report->decks, report->settings, report->conflicts);
    size_t text_len = strlen(report->conflict_text);
    char *msg = malloc((size_t)len + text_len);
    if (msg != NULL) {
        memcpy(msg, head, (size_t)len);
        memcpy(msg + len, report->conflict_text, text_len);
        rc = send_frame(&w, 'R', msg, (size_t)len + text_len);
    }
    free(msg);
    alliance_free(report);
    return rc == 0 && msg != NULL ? DRILL_EXIT_OK : DRILL_EXIT_USER;
}
