/* SPDX-License-Identifier: MIT */
/*
 * fig_fsrs.c - pure FSRS-6 steps per second: alliance_fsrs_next (its own
 * deterministic exp/log/pow) against the same formulas written here as a plain
 * C function on libm's exp/log/pow, interleaved in the same run, and against
 * ts-fsrs under node (bench/fsrs_node.mjs) when node and ts-fsrs are there.
 *
 * Every side does the same work: 1024 cards, ratings mostly Good, each card
 * answered on the day it is due. The library and the libm function must end in
 * the same states (stability and difficulty within 1e-6, the same intervals),
 * and node's final states must match the library's on node's own sequence:
 * that is the proof that each side did the same work.
 */
#include "bench.h"

#include <alliance.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__GNUC__) && !defined(__clang__)
#define BENCH_NOINLINE __attribute__((noinline, noipa))
#elif defined(__GNUC__)
#define BENCH_NOINLINE __attribute__((noinline))
#else
#define BENCH_NOINLINE
#endif

#ifndef ALLIANCE_BENCH_SOURCE_DIR
#define ALLIANCE_BENCH_SOURCE_DIR "."
#endif

#define NSTATES 1024u
#define NRATINGS 65536u
#define SLICES 20

/* ---- the baseline: lib/core/fsrs.c's formulas and checks, on libm ---- */

static const double w_min[21] = { 0.001, 0.001, 0.001, 0.001, 1, 0.001, 0.001, 0.001, 0, 0, 0.001,
                                  0.001, 0.001, 0.001, 0, 0, 1, 0, 0, 0, 0.1 };
static const double w_max[21] = { 100, 100, 100, 100, 10, 4, 4, 0.75, 4.5, 0.8, 3.5,
                                  5, 0.25, 0.9, 4, 1, 6, 2, 2, 0.8, 0.8 };

static double plain_round(double x) /* JavaScript's Math.round */
{
    if (!(fabs(x) < 0x1p52))
        return x;
    double t = floor(x);
    return x - t >= 0.5 ? t + 1.0 : t;
}

static double plain_round8(double x)
{
    return plain_round(x * 1e8) / 1e8;
}

static double plain_clamp(double x, double lo, double hi)
{
    double m = x > lo ? x : lo;
    return m < hi ? m : hi;
}

static double plain_interval(double stability, double scale, double max_ivl)
{
    double v = plain_round(stability * scale);
    v = v > 1 ? v : 1;
    return v < max_ivl ? v : max_ivl;
}

static double plain_forget(const double *w, const alliance_fsrs_state *in, double r)
{
    double after = plain_round8(plain_clamp(w[11] * pow(in->difficulty, -w[12]) * (pow(in->stability + 1.0, w[13]) - 1.0) *
                                                exp((1.0 - r) * w[14]),
                                            0.001, 36500));
    return plain_clamp(plain_round8(in->stability), 0.001, after);
}

BENCH_NOINLINE int bench_fsrs_next_plain(const alliance_fsrs_params *p, const alliance_fsrs_state *in, int rating,
                                         uint32_t elapsed, alliance_fsrs_state *out)
{
    if (!p)
        return ALLIANCE_EINVAL;
    if (p->version != ALLIANCE_FSRS_PARAMS_VERSION)
        return ALLIANCE_EVERSION;
    for (int i = 0; i < 21; i++)
        if (!(p->weights[i] >= w_min[i] && p->weights[i] <= w_max[i]))
            return ALLIANCE_EINVAL;
    if (!(p->desired_retention > 0 && p->desired_retention <= 1) || p->max_interval_days < 1 ||
        p->max_interval_days > UINT32_MAX - 3u)
        return ALLIANCE_EINVAL;
    if (!in || !out)
        return ALLIANCE_EINVAL;
    if (rating < 1 || rating > 4)
        return ALLIANCE_EGRADE;
    int fresh = in->stability == 0 && in->difficulty == 0 && in->interval_days == 0;
    if (!fresh && !(in->stability >= 0.001 && in->stability <= 36500 && in->difficulty >= 1 &&
                    in->difficulty <= 10 && in->interval_days >= 1))
        return ALLIANCE_ESTATE;
    if (fresh && elapsed != 0)
        return ALLIANCE_EINVAL;

    const double *w = p->weights;
    double decay = -w[20];
    double factor = plain_round8(exp((1.0 / decay) * -0x1.af8e8210a415cp-4 /* ln 0.9 */) - 1.0);
    double scale = plain_round8((pow(p->desired_retention, 1.0 / decay) - 1.0) / factor);
    double max_ivl = (double)p->max_interval_days;
    double s[5] = { 0 }, d, again, hard;
    if (fresh) {
        int upto = rating > 2 ? rating : 2;
        for (int g = 1; g <= upto; g++)
            s[g] = w[g - 1] > 0.1 ? w[g - 1] : 0.1;
        d = plain_clamp(plain_round8((w[4] - exp((double)(rating - 1) * w[5])) + 1.0), 1, 10);
        again = plain_interval(s[1], scale, max_ivl);
        hard = plain_interval(s[2], scale, max_ivl);
    } else {
        double r = plain_round8(pow(1.0 + (factor * (double)elapsed) / in->stability, decay));
        double damped = in->difficulty + plain_round8((-w[6] * (double)(rating - 3) * (10.0 - in->difficulty)) / 9.0);
        double easy_d = plain_round8((w[4] - exp(3.0 * w[5])) + 1.0);
        d = plain_clamp(plain_round8(w[7] * easy_d + (1.0 - w[7]) * damped), 1, 10);
        /* the library's shortcut (lib/core/fsrs.c): Again's stability only when it can matter */
        if (rating == 1) {
            s[1] = plain_forget(w, in, r);
            again = hard = plain_interval(s[1], scale, max_ivl);
        } else {
            double growth = exp(w[8]) * (11.0 - in->difficulty) * pow(in->stability, -w[9]) *
                            (exp((1.0 - r) * w[10]) - 1.0);
            for (int g = 2; g <= rating; g++) {
                double hp = g == 2 ? w[15] : 1.0, eb = g == 4 ? w[16] : 1.0;
                s[g] = plain_round8(plain_clamp(in->stability * (1.0 + growth * hp * eb), 0.001, 36500));
            }
            hard = plain_interval(s[2], scale, max_ivl);
            again = plain_interval(plain_round8(in->stability), scale, max_ivl);
            if (again >= hard)
                again = plain_interval(plain_forget(w, in, r), scale, max_ivl);
        }
    }
    again = again < hard ? again : hard;
    hard = hard > again + 1 ? hard : again + 1;
    double days = rating == 1 ? again : hard;
    for (int g = 3; g <= rating; g++) {
        double own = plain_interval(s[g], scale, max_ivl);
        days = own > days + 1 ? own : days + 1;
    }
    out->stability = s[rating];
    out->difficulty = d;
    out->interval_days = (uint32_t)days;
    return ALLIANCE_OK;
}

/* ---- the workload ---- */

typedef int (*fsrs_step_fn)(const alliance_fsrs_params *, const alliance_fsrs_state *, int, uint32_t,
                            alliance_fsrs_state *);

static const int rating_table[10] = { 1, 2, 3, 3, 3, 3, 3, 3, 4, 4 }; /* as fsrs_node.mjs */

static uint32_t xorshift32(uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

static double thread_cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Steps first..first+steps-1: card i % NSTATES, answered on its due day. */
static int run_steps(fsrs_step_fn fn, const alliance_fsrs_params *p, alliance_fsrs_state *st,
                     const unsigned char *ratings, uint64_t first, uint64_t steps, double *seconds, double *cpu)
{
    int bad = 0;
    double c0 = thread_cpu_seconds();
    uint64_t t0 = bench_now_ns();
    for (uint64_t i = first; i < first + steps; i++) {
        alliance_fsrs_state *s = &st[i & (NSTATES - 1)];
        bad |= fn(p, s, ratings[i & (NRATINGS - 1)], s->interval_days, s);
    }
    *seconds += (double)(bench_now_ns() - t0) / 1e9;
    *cpu += thread_cpu_seconds() - c0;
    return bad;
}

/* ---- ts-fsrs under node ---- */

typedef struct node_result {
    int ran;
    char why[512]; /* why it did not run */
    double next_per_s, next_per_cpu_s, state_per_s, state_per_cpu_s;
    double intervals, stability, difficulty;
    char version[32];
} node_result;

static int json_number(const char *json, const char *key, double *out)
{
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    const char *at = strstr(json, pattern);
    if (!at)
        return -1;
    char *end;
    *out = strtod(at + strlen(pattern), &end);
    return end == at + strlen(pattern) ? -1 : 0;
}

static int file_exists(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f)
        fclose(f);
    return f != NULL;
}

static void run_node(uint64_t steps, node_result *nr)
{
    memset(nr, 0, sizeof *nr);
    const char *dir = getenv("ALLIANCE_BENCH_TSFSRS");
    if (!dir || !*dir)
        dir = ALLIANCE_BENCH_SOURCE_DIR "/tests/fsrs";
    char pkg[4096], cmd[8192];
    snprintf(pkg, sizeof pkg, "%s/node_modules/ts-fsrs/package.json", dir);
    if (!file_exists(pkg)) {
        snprintf(nr->why, sizeof nr->why, "ts-fsrs not installed in %s (cd tests/fsrs && npm ci)", dir);
        return;
    }
    if (system("node --version >/dev/null 2>&1") != 0) {
        snprintf(nr->why, sizeof nr->why, "node not found on PATH");
        return;
    }
    snprintf(cmd, sizeof cmd, "node '%s/bench/fsrs_node.mjs' '%s' %llu", ALLIANCE_BENCH_SOURCE_DIR, dir,
             (unsigned long long)steps);
    FILE *p = popen(cmd, "r");
    char line[4096] = "";
    if (!p || !fgets(line, sizeof line, p)) {
        snprintf(nr->why, sizeof nr->why, "running node failed: %.400s", cmd);
        if (p)
            pclose(p);
        return;
    }
    int status = pclose(p);
    if (status != 0 || json_number(line, "next_steps_per_s", &nr->next_per_s) ||
        json_number(line, "next_steps_per_cpu_s", &nr->next_per_cpu_s) ||
        json_number(line, "next_state_steps_per_s", &nr->state_per_s) ||
        json_number(line, "next_state_steps_per_cpu_s", &nr->state_per_cpu_s) ||
        json_number(line, "intervals", &nr->intervals) || json_number(line, "stability", &nr->stability) ||
        json_number(line, "difficulty", &nr->difficulty)) {
        snprintf(nr->why, sizeof nr->why, "node's output did not parse (status %d): %.200s", status, line);
        return;
    }
    const char *v = strstr(line, "\"node\":\"");
    if (v)
        sscanf(v + 8, "%31[^\"]", nr->version);
    nr->ran = 1;
}

/* The library on node's exact sequence: the same final-state checksum, or an error. */
static int node_agrees(const alliance_fsrs_params *p, uint64_t steps, const node_result *nr, char *err, size_t size)
{
    alliance_fsrs_state *st = calloc(NSTATES, sizeof *st);
    if (!st) {
        snprintf(err, size, "out of memory");
        return 0;
    }
    uint32_t x = 0x5eed;
    for (uint64_t i = 0; i < steps; i++) {
        alliance_fsrs_state *s = &st[i % NSTATES];
        int rating = rating_table[xorshift32(&x) % 10];
        if (alliance_fsrs_next(p, s, rating, s->interval_days, s) != 0) {
            snprintf(err, size, "alliance_fsrs_next failed on node's sequence at step %llu", (unsigned long long)i);
            free(st);
            return 0;
        }
    }
    double intervals = 0, stability = 0, difficulty = 0;
    for (uint32_t i = 0; i < NSTATES; i++) {
        intervals += st[i].interval_days;
        stability += st[i].stability;
        difficulty += st[i].difficulty;
    }
    free(st);
    if (intervals != nr->intervals || fabs(stability - nr->stability) > 1e-9 * nr->stability ||
        fabs(difficulty - nr->difficulty) > 1e-9 * nr->difficulty) {
        snprintf(err, size,
                 "ts-fsrs ended in other states than the library on the same answers: intervals %.0f vs %.0f, "
                 "stability sum %.10g vs %.10g, difficulty sum %.10g vs %.10g",
                 nr->intervals, intervals, nr->stability, stability, nr->difficulty, difficulty);
        return 0;
    }
    return 1;
}

void bench_fig_fsrs(const bench_config *cfg)
{
    bench_figure *f = bench_figure_new("fsrs_steps", "pure alliance_fsrs_next (1 core)", "steps/s", 1,
                                       "ratio >= 0.5 against libm (our target: the price of determinism)");
    bench_log("fsrs: %llu steps x %u repetitions", (unsigned long long)cfg->fsrs_steps, cfg->reps);
    alliance_fsrs_params params;
    unsigned char *ratings = malloc(NRATINGS);
    alliance_fsrs_state *lib = malloc(NSTATES * sizeof *lib);
    alliance_fsrs_state *base = malloc(NSTATES * sizeof *base);
    bench_series slib = { 0 }, sbase = { 0 }, clib = { 0 }, cbase = { 0 };
    uint32_t identical = 0;
    if (!ratings || !lib || !base) {
        bench_figure_fail(f, "out of memory");
        goto done;
    }
    if (alliance_fsrs_params_init(&params, ALLIANCE_FSRS_PARAMS_VERSION) != 0) {
        bench_figure_fail(f, "alliance_fsrs_params_init failed");
        goto done;
    }
    uint32_t x = (uint32_t)(cfg->seed ^ 0x46535253u) | 1u;
    for (uint32_t i = 0; i < NRATINGS; i++)
        ratings[i] = (unsigned char)rating_table[xorshift32(&x) % 10];

    for (uint32_t rep = 0; rep < cfg->reps && !f->error[0]; rep++) {
        double tl = 0, tb = 0, cl = 0, cb = 0;
        memset(lib, 0, NSTATES * sizeof *lib);
        memset(base, 0, NSTATES * sizeof *base);
        uint64_t slice = cfg->fsrs_steps / SLICES;
        for (uint64_t sl = 0; sl < SLICES; sl++)
            for (int k = 0; k < 2; k++) {
                if ((k ^ (int)(sl & 1)) == 0) {
                    if (run_steps(alliance_fsrs_next, &params, lib, ratings, sl * slice, slice, &tl, &cl) != 0)
                        bench_figure_fail(f, "alliance_fsrs_next returned an error during the run");
                } else if (run_steps(bench_fsrs_next_plain, &params, base, ratings, sl * slice, slice, &tb, &cb) !=
                           0) {
                    bench_figure_fail(f, "the baseline returned an error during the run");
                }
            }
        identical = 0;
        for (uint32_t i = 0; i < NSTATES && !f->error[0]; i++) {
            const alliance_fsrs_state *a = &lib[i], *b = &base[i];
            if (fabs(a->stability - b->stability) > 1e-6 * b->stability ||
                fabs(a->difficulty - b->difficulty) > 1e-6 * b->difficulty || a->interval_days != b->interval_days)
                bench_figure_fail(f,
                                  "the libm baseline ended elsewhere (card %u: library S %.10g D %.10g I %u, "
                                  "baseline S %.10g D %.10g I %u)",
                                  i, a->stability, a->difficulty, a->interval_days, b->stability, b->difficulty,
                                  b->interval_days);
            identical += a->stability == b->stability && a->difficulty == b->difficulty &&
                         a->interval_days == b->interval_days;
        }
        uint64_t done = slice * SLICES;
        bench_series_add(&slib, (double)done / tl);
        bench_series_add(&sbase, (double)done / tb);
        bench_series_add(&clib, (double)done / cl);
        bench_series_add(&cbase, (double)done / cb);
    }
    f->value = bench_series_median(&slib);
    f->baseline = bench_series_median(&sbase);
    bench_figure_finish(f);
    bench_figure_num(f, "ns_per_step", 1e9 / f->value);
    bench_figure_num(f, "baseline_ns_per_step", 1e9 / f->baseline);
    bench_figure_num(f, "steps_per_rep", (double)cfg->fsrs_steps);
    bench_figure_num(f, "steps_per_cpu_s", bench_series_median(&clib));
    bench_figure_num(f, "baseline_steps_per_cpu_s", bench_series_median(&cbase));
    bench_figure_num(f, "states_bit_identical_to_libm", identical);
    bench_figure_text(f, "baseline_is",
                      "the same formulas, checks and 8-decimal roundings in a plain C function on libm's "
                      "exp/log/pow (noinline); final states checked within 1e-6 and equal intervals");

    /* ts-fsrs under node: the app-level call (f.next) and the bare memory-state update. */
    if (cfg->quick) {
        bench_figure_text(f, "tsfsrs", "skipped in --quick (run without --quick, with node and tests/fsrs npm ci)");
    } else {
        node_result nr;
        uint64_t node_steps = 100000;
        bench_log("fsrs: ts-fsrs under node, %llu steps", (unsigned long long)node_steps);
        run_node(node_steps, &nr);
        char err[512];
        if (!nr.ran) {
            bench_figure_text(f, "tsfsrs", "skipped: %s", nr.why);
        } else if (!node_agrees(&params, node_steps, &nr, err, sizeof err)) {
            bench_figure_fail(f, "%s", err);
        } else {
            bench_figure_num(f, "tsfsrs_next_steps_per_s", nr.next_per_s);
            bench_figure_num(f, "tsfsrs_next_steps_per_cpu_s", nr.next_per_cpu_s);
            bench_figure_num(f, "tsfsrs_next_state_steps_per_s", nr.state_per_s);
            bench_figure_num(f, "tsfsrs_next_state_steps_per_cpu_s", nr.state_per_cpu_s);
            bench_figure_num(f, "ratio_vs_tsfsrs_next", f->value / nr.next_per_s);
            bench_figure_num(f, "ratio_vs_tsfsrs_next_state", f->value / nr.state_per_s);
            bench_figure_text(f, "tsfsrs",
                              "ts-fsrs under node %s, %llu steps after a warm-up: f.next (dates, all four "
                              "outcomes, the log) %.0f k/s, algorithm.next_state (memory state only, no "
                              "interval) %.0f k/s; final states equal the library's on the same answers",
                              nr.version, (unsigned long long)node_steps, nr.next_per_s / 1e3, nr.state_per_s / 1e3);
        }
    }
    double per_core = bench_series_median(&clib);
    bench_figure_text(f, "note",
                      "per CPU-second of the thread: %.2f M/s vs %.2f M/s with libm; %u of %u final states "
                      "bit-identical to the libm baseline; library called through the PLT",
                      per_core / 1e6, bench_series_median(&cbase) / 1e6, identical, NSTATES);
    bench_figure_text(f, "target_judged_on", "ratio (wall clock, interleaved) >= 0.5");
    if (!f->error[0])
        f->met = f->ratio >= 0.5;
done:
    bench_series_free(&slib);
    bench_series_free(&sbase);
    bench_series_free(&clib);
    bench_series_free(&cbase);
    free(ratings);
    free(lib);
    free(base);
}
