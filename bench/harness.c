/* SPDX-License-Identifier: MIT */
/*
 * harness.c - time, statistics, machine description, and the two outputs
 * (a table for people, one JSON object for tools).
 */
#include "bench.h"

#include <alliance.h>
#include <sqlite3.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

/* ---- time and statistics ---- */

uint64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void bench_series_add(bench_series *s, double x)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        double *v = realloc(s->v, cap * sizeof *v);
        if (!v) {
            fprintf(stderr, "alliance-bench: out of memory\n");
            exit(2);
        }
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = x;
}

void bench_series_free(bench_series *s)
{
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_series_quantile(const bench_series *s, double q)
{
    if (s->n == 0)
        return NAN;
    double *c = malloc(s->n * sizeof *c);
    if (!c)
        return NAN;
    memcpy(c, s->v, s->n * sizeof *c);
    qsort(c, s->n, sizeof *c, cmp_double);
    double r;
    if (q == 0.5 && s->n % 2 == 0)
        r = (c[s->n / 2 - 1] + c[s->n / 2]) / 2; /* the usual median of an even count */
    else {
        size_t i = (size_t)ceil(q * (double)s->n);
        r = c[i ? i - 1 : 0];
    }
    free(c);
    return r;
}

double bench_series_median(const bench_series *s)
{
    return bench_series_quantile(s, 0.5);
}

/* ---- figures ---- */

#define BENCH_MAX_FIGURES 32
static bench_figure figures[BENCH_MAX_FIGURES];
static size_t nfigures;

bench_figure *bench_figure_new(const char *key, const char *title, const char *unit, int higher_is_better,
                               const char *target)
{
    if (nfigures == BENCH_MAX_FIGURES) {
        fprintf(stderr, "alliance-bench: BENCH_MAX_FIGURES too small\n");
        exit(2);
    }
    bench_figure *f = &figures[nfigures++];
    memset(f, 0, sizeof *f);
    f->key = key;
    snprintf(f->title, sizeof f->title, "%s", title);
    f->unit = unit;
    f->higher_is_better = higher_is_better;
    f->target = target;
    f->value = NAN;
    f->baseline = NAN;
    f->ratio = NAN;
    f->met = -1;
    return f;
}

static bench_field *field_add(bench_figure *f, const char *name)
{
    for (size_t i = 0; i < f->nfields; i++)
        if (strcmp(f->fields[i].name, name) == 0)
            return &f->fields[i];
    if (f->nfields == BENCH_MAX_FIELDS) {
        fprintf(stderr, "alliance-bench: BENCH_MAX_FIELDS too small for %s\n", f->key);
        exit(2);
    }
    bench_field *x = &f->fields[f->nfields++];
    memset(x, 0, sizeof *x);
    x->name = name;
    return x;
}

void bench_figure_num(bench_figure *f, const char *name, double value)
{
    bench_field *x = field_add(f, name);
    x->is_text = 0;
    x->num = value;
}

void bench_figure_text(bench_figure *f, const char *name, const char *fmt, ...)
{
    bench_field *x = field_add(f, name);
    x->is_text = 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->text, sizeof x->text, fmt, ap);
    va_end(ap);
}

void bench_figure_fail(bench_figure *f, const char *fmt, ...)
{
    if (f->error[0])
        return; /* the first failure is the one that explains the others */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->error, sizeof f->error, fmt, ap);
    va_end(ap);
    bench_log("  ERROR in %s: %s", f->key, f->error);
}

void bench_figure_finish(bench_figure *f)
{
    if (isfinite(f->value) && isfinite(f->baseline) && f->value > 0 && f->baseline > 0)
        f->ratio = f->higher_is_better ? f->value / f->baseline : f->baseline / f->value;
}

size_t bench_error_count(void)
{
    size_t n = 0;
    for (size_t i = 0; i < nfigures; i++)
        n += figures[i].error[0] != 0;
    return n;
}

/* ---- logging ---- */

int bench_verbose = 1;
static uint64_t log_start;

void bench_log(const char *fmt, ...)
{
    if (!bench_verbose)
        return;
    if (!log_start)
        log_start = bench_now_ns();
    fprintf(stderr, "[%7.2fs] ", (double)(bench_now_ns() - log_start) / 1e9);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* ---- machine ---- */

static struct {
    long cores_online;
    long cores_configured;
    char cpu_model[256];
    char os[256];
    char fs_type[32];
    char date_utc[32];
    double loadavg[3];
    int64_t ram_bytes;
} machine;

static void read_cpu_model(char *out, size_t size)
{
    snprintf(out, size, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) == 0) {
            char *colon = strchr(line, ':');
            if (colon) {
                colon++;
                while (*colon == ' ' || *colon == '\t')
                    colon++;
                colon[strcspn(colon, "\n")] = 0;
                snprintf(out, size, "%s", colon);
            }
            break;
        }
    }
    fclose(f);
}

static const char *fs_name(long type)
{
    /* The filesystem decides what a "durable commit" costs: fsync on tmpfs is free. */
    switch ((unsigned long)type) {
    case 0xEF53: return "ext2/3/4";
    case 0x01021994: return "tmpfs";
    case 0x58465342: return "xfs";
    case 0x9123683E: return "btrfs";
    case 0x794c7630: return "overlayfs";
    case 0x2FC12FC1: return "zfs";
    case 0x6969: return "nfs";
    case 0x65735546: return "fuse";
    default: return NULL;
    }
}

void bench_machine_collect(const bench_config *cfg)
{
    machine.cores_online = sysconf(_SC_NPROCESSORS_ONLN);
    machine.cores_configured = sysconf(_SC_NPROCESSORS_CONF);
    read_cpu_model(machine.cpu_model, sizeof machine.cpu_model);
    struct utsname u;
    if (uname(&u) == 0)
        snprintf(machine.os, sizeof machine.os, "%s %s %s", u.sysname, u.release, u.machine);
    struct statfs sf;
    if (statfs(cfg->dir, &sf) == 0) {
        const char *n = fs_name((long)sf.f_type);
        if (n)
            snprintf(machine.fs_type, sizeof machine.fs_type, "%s", n);
        else
            snprintf(machine.fs_type, sizeof machine.fs_type, "0x%lx", (unsigned long)sf.f_type);
    } else {
        snprintf(machine.fs_type, sizeof machine.fs_type, "unknown");
    }
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(machine.date_utc, sizeof machine.date_utc, "%Y-%m-%dT%H:%M:%SZ", &tm);
    FILE *la = fopen("/proc/loadavg", "r");
    if (la) {
        if (fscanf(la, "%lf %lf %lf", &machine.loadavg[0], &machine.loadavg[1], &machine.loadavg[2]) != 3)
            machine.loadavg[0] = machine.loadavg[1] = machine.loadavg[2] = -1;
        fclose(la);
    }
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    machine.ram_bytes = (pages > 0 && page > 0) ? (int64_t)pages * page : -1;
}

int64_t bench_proc_status_bytes(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    size_t klen = strlen(key);
    int64_t kb = -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
            kb = strtoll(line + klen + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return kb < 0 ? -1 : kb * 1024;
}

/* ---- output: table ---- */

static void fmt_num(char *out, size_t size, double v)
{
    if (!isfinite(v))
        snprintf(out, size, "-");
    else if (fabs(v) >= 1e6)
        snprintf(out, size, "%.3g M", v / 1e6);
    else if (fabs(v) >= 100)
        snprintf(out, size, "%.0f", v);
    else if (fabs(v) >= 1)
        snprintf(out, size, "%.3g", v);
    else
        snprintf(out, size, "%.3g", v);
}

void bench_print_table(FILE *out, const bench_config *cfg)
{
    fprintf(out, "\nliballiance %s benchmark - %s\n", alliance_version_string(), machine.date_utc);
    fprintf(out, "machine: %ld cores online, %s, %s; SQLite %s; files on %s; load %.2f %.2f %.2f\n",
            machine.cores_online, machine.cpu_model, machine.os, sqlite3_libversion(), machine.fs_type,
            machine.loadavg[0], machine.loadavg[1], machine.loadavg[2]);
    fprintf(out, "sizes: %u / %u cards; %u repetitions; medians%s\n\n", cfg->cards_medium, cfg->cards_large,
            cfg->reps, cfg->quick ? "; QUICK RUN (sizes too small for the targets)" : "");
    fprintf(out, "%-46s %12s %12s %-8s %7s  %-34s %s\n", "figure", "liballiance", "baseline", "unit", "ratio",
            "target", "met");
    for (int i = 0; i < 136; i++)
        fputc('-', out);
    fputc('\n', out);
    for (size_t i = 0; i < nfigures; i++) {
        const bench_figure *f = &figures[i];
        char v[32], b[32], r[32];
        fmt_num(v, sizeof v, f->value);
        fmt_num(b, sizeof b, f->baseline);
        if (isfinite(f->ratio))
            snprintf(r, sizeof r, "%.2f", f->ratio);
        else
            snprintf(r, sizeof r, "-");
        const char *met = f->error[0] ? "ERROR" : f->met == 1 ? "yes" : f->met == 0 ? "NO" : "-";
        fprintf(out, "%-46s %12s %12s %-8s %7s  %-34s %s\n", f->title, v, b, f->unit, r,
                f->target ? f->target : "-", met);
        if (f->error[0])
            fprintf(out, "    error: %s\n", f->error);
        for (size_t k = 0; k < f->nfields; k++) {
            const bench_field *x = &f->fields[k];
            if (x->is_text && strcmp(x->name, "note") == 0)
                fprintf(out, "    %s\n", x->text);
        }
    }
    fputc('\n', out);
}

/* ---- output: JSON ---- */

static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*p < 0x20)
                fprintf(out, "\\u%04x", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}

static void json_number(FILE *out, double v)
{
    /* JSON has no NaN or infinity: a figure not measured is null. */
    if (!isfinite(v))
        fputs("null", out);
    else if (v == floor(v) && fabs(v) < 9e15)
        fprintf(out, "%.0f", v);
    else
        fprintf(out, "%.6g", v);
}

void bench_write_json(FILE *out, const bench_config *cfg, double total_seconds)
{
    fputs("{\"benchmark\":\"alliance-bench\",\"liballiance\":", out);
    json_string(out, alliance_version_string());
    fputs(",\"date_utc\":", out);
    json_string(out, machine.date_utc);
    fputs(",\"machine\":{\"cores_online\":", out);
    json_number(out, (double)machine.cores_online);
    fputs(",\"cores_configured\":", out);
    json_number(out, (double)machine.cores_configured);
    fputs(",\"cpu_model\":", out);
    json_string(out, machine.cpu_model);
    fputs(",\"os\":", out);
    json_string(out, machine.os);
    fputs(",\"ram_bytes\":", out);
    json_number(out, (double)machine.ram_bytes);
    fputs(",\"filesystem\":", out);
    json_string(out, machine.fs_type);
    fprintf(out, ",\"loadavg_at_start\":[%.2f,%.2f,%.2f]", machine.loadavg[0], machine.loadavg[1],
            machine.loadavg[2]);
    fputs(",\"sqlite_version\":", out);
    json_string(out, sqlite3_libversion());
    fputs(",\"sqlite_source_id\":", out);
    json_string(out, sqlite3_sourceid());
    fputs(",\"compiler\":", out);
#if defined(__VERSION__)
    json_string(out, __VERSION__);
#else
    json_string(out, "unknown");
#endif
    fputs(",\"build_type\":", out);
    json_string(out, ALLIANCE_BENCH_BUILD_TYPE);
    fputs(",\"library_linkage\":\"shared\"}", out);

    fprintf(out, ",\"config\":{\"quick\":%s,\"reps\":%u,\"cards_medium\":%u,\"cards_large\":%u,"
                 "\"answer_ops\":%u,\"queue_ops\":%u,\"sm2_steps\":%llu,\"seed\":%llu,\"statistic\":\"median\"}",
            cfg->quick ? "true" : "false", cfg->reps, cfg->cards_medium, cfg->cards_large, cfg->answer_ops,
            cfg->queue_ops, (unsigned long long)cfg->sm2_steps, (unsigned long long)cfg->seed);

    fputs(",\"figures\":{", out);
    for (size_t i = 0; i < nfigures; i++) {
        const bench_figure *f = &figures[i];
        if (i)
            fputc(',', out);
        json_string(out, f->key);
        fputs(":{\"title\":", out);
        json_string(out, f->title);
        fputs(",\"unit\":", out);
        json_string(out, f->unit);
        fputs(",\"value\":", out);
        json_number(out, f->value);
        fputs(",\"baseline\":", out);
        json_number(out, f->baseline);
        fputs(",\"ratio\":", out);
        json_number(out, f->ratio);
        fputs(",\"ratio_meaning\":", out);
        json_string(out, isfinite(f->baseline)
                             ? (f->higher_is_better ? "value / baseline (>1: liballiance faster)"
                                                    : "baseline / value (>1: liballiance faster)")
                             : "none");
        fputs(",\"target\":", out);
        if (f->target)
            json_string(out, f->target);
        else
            fputs("null", out);
        fputs(",\"target_met\":", out);
        fputs(f->met == 1 ? "true" : f->met == 0 ? "false" : "null", out);
        fputs(",\"error\":", out);
        if (f->error[0])
            json_string(out, f->error);
        else
            fputs("null", out);
        for (size_t k = 0; k < f->nfields; k++) {
            const bench_field *x = &f->fields[k];
            fputc(',', out);
            json_string(out, x->name);
            fputc(':', out);
            if (x->is_text)
                json_string(out, x->text);
            else
                json_number(out, x->num);
        }
        fputc('}', out);
    }
    fputs("}", out);
    fprintf(out, ",\"errors\":%zu,\"total_seconds\":%.1f}\n", bench_error_count(), total_seconds);
}

/* ---- files ---- */

char *bench_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (!p) {
        fprintf(stderr, "alliance-bench: out of memory\n");
        exit(2);
    }
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

void bench_remove_db(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        size_t n = strlen(path) + 16;
        char *p = malloc(n);
        if (!p)
            return;
        snprintf(p, n, "%s%s", path, suffixes[i]);
        unlink(p);
        free(p);
    }
}

int bench_copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY);
    if (in < 0)
        return -1;
    int outfd = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (outfd < 0) {
        int e = errno;
        close(in);
        errno = e;
        return -1;
    }
    static char buf[1 << 16];
    int rc = 0;
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            rc = -1;
            break;
        }
        if (n == 0)
            break;
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(outfd, buf + off, (size_t)(n - off));
            if (w < 0) {
                if (errno == EINTR)
                    continue;
                rc = -1;
                break;
            }
            off += w;
        }
        if (rc)
            break;
    }
    /* Both files must start equally durable, or the first commits would pay for the copy. */
    if (rc == 0 && fsync(outfd) != 0)
        rc = -1;
    int e = errno;
    close(in);
    close(outfd);
    errno = e;
    return rc;
}

int bench_evict_file(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    fdatasync(fd);
    int rc = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    close(fd);
    return rc == 0 ? 0 : -1;
}
