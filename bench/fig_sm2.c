/* SPDX-License-Identifier: MIT */
/*
 * fig_sm2.c - pure SM-2 steps per second: alliance_sm2_next against the same
 * arithmetic written here as a plain function the optimiser may not inline.
 *
 * Both run the same steps over the same array of card states with the same
 * grades, and must end in bit-identical states: that is the proof that the
 * baseline does the same work (same checks, same arithmetic), not less.
 */
#include "bench.h"

#include <alliance.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Noinline (and on GCC noipa: no cloning or constant propagation of the
 * parameters either), so that the baseline is a real call like the one into
 * the library, just without crossing the shared library's PLT. */
#if defined(__GNUC__) && !defined(__clang__)
#define BENCH_NOINLINE __attribute__((noinline, noipa))
#elif defined(__GNUC__)
#define BENCH_NOINLINE __attribute__((noinline))
#else
#define BENCH_NOINLINE
#endif

/* The arithmetic of lib/sm2.c (docs/sm2.md), written out again as one plain
 * function: the same parameter and state checks, E-Factor in thousandths, both
 * presets. Kept in step with the library by the bit-identical check below. */
BENCH_NOINLINE int bench_sm2_next_plain(const alliance_sm2_params *p, const alliance_sm2_state *in, int grade,
                                        alliance_sm2_state *out)
{
    const uint32_t ef_max = 1000000;
    if (!p)
        return ALLIANCE_EINVAL;
    if (p->version != ALLIANCE_SM2_PARAMS_VERSION)
        return ALLIANCE_EVERSION;
    if ((p->preset != ALLIANCE_SM2_SUPERMEMO && p->preset != ALLIANCE_SM2_CLASSIC) || p->min_efactor_milli < 1 ||
        p->initial_efactor_milli < p->min_efactor_milli || p->initial_efactor_milli > ef_max ||
        p->first_interval_days < 1 || p->second_interval_days < 1 || p->max_interval_days < 1)
        return ALLIANCE_EINVAL;
    if (!in || !out)
        return ALLIANCE_EINVAL;
    if (grade < 0 || grade > 5)
        return ALLIANCE_EGRADE;
    int classic = p->preset == ALLIANCE_SM2_CLASSIC;
    if (in->efactor_milli < p->min_efactor_milli || in->efactor_milli > ef_max || in->repeat_today > 1 ||
        (in->repeat_today && (classic || in->repetitions == 0)) || in->interval_days > p->max_interval_days ||
        (in->repetitions > 0 ? in->interval_days < 1 : in->interval_days > 1))
        return ALLIANCE_ESTATE;

    alliance_sm2_state s = *in;
    uint32_t n = s.repetitions < UINT32_MAX ? s.repetitions + 1 : s.repetitions;
    int64_t d = 5 - grade;
    int64_t ef = (int64_t)s.efactor_milli + 100 - d * (80 + d * 20);
    uint32_t new_ef = ef < (int64_t)p->min_efactor_milli ? p->min_efactor_milli
                      : ef > (int64_t)ef_max             ? ef_max
                                                         : (uint32_t)ef;
    if (!classic && s.repeat_today) {
        s.repeat_today = grade >= 4 ? 0 : 1;
    } else if (grade >= 3) {
        uint32_t used_ef = classic ? s.efactor_milli : new_ef;
        uint64_t days = n == 1   ? p->first_interval_days
                        : n == 2 ? p->second_interval_days
                                 : ((uint64_t)s.interval_days * used_ef + (classic ? 500 : 999)) / 1000;
        s.interval_days = days > p->max_interval_days ? p->max_interval_days : (uint32_t)days;
        s.repetitions = n;
        s.efactor_milli = new_ef;
        if (!classic)
            s.repeat_today = grade == 3;
    } else {
        s.repetitions = 0;
        s.interval_days = classic ? 1 : 0;
        if (classic)
            s.efactor_milli = new_ef;
    }
    *out = s;
    return 0;
}

#define NSTATES 1024u /* a working set that stays in L1, as a replay of one card's log does */
#define NGRADES 4096u

typedef int (*step_fn)(const alliance_sm2_params *, const alliance_sm2_state *, int, alliance_sm2_state *);

static double thread_cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Steps first..first+steps-1 of a run; adds the wall and CPU time it took. */
static int run_steps(step_fn fn, const alliance_sm2_params *p, alliance_sm2_state *st, const int *grades,
                     uint64_t first, uint64_t steps, double *seconds, double *cpu_seconds)
{
    int bad = 0;
    double c0 = thread_cpu_seconds();
    uint64_t t0 = bench_now_ns();
    for (uint64_t i = first; i < first + steps; i++) {
        alliance_sm2_state *s = &st[i & (NSTATES - 1)];
        bad |= fn(p, s, grades[i & (NGRADES - 1)], s);
    }
    *seconds += (double)(bench_now_ns() - t0) / 1e9;
    *cpu_seconds += thread_cpu_seconds() - c0;
    return bad;
}

#define SLICES 20 /* each repetition alternates library and baseline this many times */

void bench_fig_sm2(const bench_config *cfg)
{
    bench_figure *f = bench_figure_new("sm2_steps", "pure alliance_sm2_next (1 core)", "steps/s", 1,
                                       ">= 100 M/s per core; ratio >= 0.7");
    bench_log("sm2: %llu steps x %u repetitions", (unsigned long long)cfg->sm2_steps, cfg->reps);

    alliance_sm2_params params;
    if (alliance_sm2_params_init(&params, ALLIANCE_SM2_SUPERMEMO) != 0) {
        bench_figure_fail(f, "alliance_sm2_params_init failed");
        return;
    }
    /* A learner's grades: mostly recalled, some failures; the E-Factor drifts
     * down slowly as in real logs, so no state leaves its valid range. */
    static const int table[20] = {5, 5, 5, 5, 5, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 3, 2, 1, 0};
    int *grades = malloc(NGRADES * sizeof *grades);
    alliance_sm2_state *lib = malloc(NSTATES * sizeof *lib);
    alliance_sm2_state *base = malloc(NSTATES * sizeof *base);
    if (!grades || !lib || !base) {
        bench_figure_fail(f, "out of memory");
        goto done;
    }
    bench_rng r;
    bench_rng_seed(&r, cfg->seed ^ 0x5353);
    for (uint32_t i = 0; i < NGRADES; i++)
        grades[i] = table[bench_rng_below(&r, 20)];

    bench_series slib = {0}, sbase = {0}, clib = {0}, cbase = {0};
    for (uint32_t rep = 0; rep < cfg->reps && !f->error[0]; rep++) {
        double tl = 0, tb = 0, cl = 0, cb = 0;
        alliance_sm2_state init = {0, params.initial_efactor_milli, 0, 0};
        for (uint32_t i = 0; i < NSTATES; i++)
            lib[i] = base[i] = init;
        /* Slices alternate between the sides (and which goes first), so that
         * frequency ramps and noisy neighbours hit both alike. */
        uint64_t slice = cfg->sm2_steps / SLICES;
        for (uint64_t sl = 0; sl < SLICES; sl++) {
            for (int k = 0; k < 2; k++) {
                if ((k ^ (int)(sl & 1)) == 0) {
                    if (run_steps(alliance_sm2_next, &params, lib, grades, sl * slice, slice, &tl, &cl) != 0)
                        bench_figure_fail(f, "alliance_sm2_next returned an error during the run");
                } else {
                    if (run_steps(bench_sm2_next_plain, &params, base, grades, sl * slice, slice, &tb, &cb) != 0)
                        bench_figure_fail(f, "the baseline returned an error during the run");
                }
            }
        }
        if (memcmp(lib, base, NSTATES * sizeof *lib) != 0) {
            for (uint32_t i = 0; i < NSTATES; i++)
                if (memcmp(&lib[i], &base[i], sizeof lib[i]) != 0) {
                    bench_figure_fail(f,
                                      "the baseline's arithmetic differs from the library's (state %u: "
                                      "library {%u,%u,%u,%u}, baseline {%u,%u,%u,%u})",
                                      i, lib[i].repetitions, lib[i].efactor_milli, lib[i].interval_days,
                                      lib[i].repeat_today, base[i].repetitions, base[i].efactor_milli,
                                      base[i].interval_days, base[i].repeat_today);
                    break;
                }
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
    bench_figure_num(f, "steps_per_rep", (double)cfg->sm2_steps);
    bench_figure_num(f, "value_min", bench_series_quantile(&slib, 0));
    bench_figure_num(f, "value_max", bench_series_quantile(&slib, 1));
    /* On a shared machine the thread may wait for a core: per CPU-second is the core's own speed. */
    bench_figure_num(f, "steps_per_cpu_s", bench_series_median(&clib));
    bench_figure_num(f, "baseline_steps_per_cpu_s", bench_series_median(&cbase));
    bench_figure_text(f, "baseline_is", "the same checks and integer arithmetic in a plain C function marked "
#if defined(__GNUC__) && !defined(__clang__)
                                        "noinline,noipa"
#else
                                        "noinline"
#endif
                                        " in the benchmark; results checked bit-identical");
    double per_core = bench_series_median(&clib);
    bench_figure_text(f, "note",
                      "per CPU-second of the thread (the core's own speed, without the time a shared machine "
                      "lends the core to others): %.0f M/s vs %.0f M/s; library called through the PLT",
                      per_core / 1e6, bench_series_median(&cbase) / 1e6);
    /* "per core": judged on CPU time; the wall-clock value above includes waiting for a core. */
    bench_figure_text(f, "target_judged_on", "steps_per_cpu_s >= 100e6 and ratio (wall clock, interleaved) >= 0.7");
    if (!f->error[0])
        f->met = per_core >= 100e6 && f->ratio >= 0.7;
    bench_series_free(&slib);
    bench_series_free(&sbase);
    bench_series_free(&clib);
    bench_series_free(&cbase);
done:
    free(grades);
    free(lib);
    free(base);
}
