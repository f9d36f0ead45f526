/* SPDX-License-Identifier: MIT */
/*
 * fsrs.c - one FSRS-6 step, as ts-fsrs 5.x computes it in long-term mode
 * (enable_short_term = false, no fuzz). docs/fsrs.md has the formulas in words.
 *
 * Pure: no I/O, no clock, no allocation, no global state. Floating point, with
 * the same bits on every platform: exp, log and pow come from detmath.c, and
 * every other operation is a single correctly rounded IEEE-754 one, written in
 * the order ts-fsrs evaluates it, its rounding to 8 decimals included (which
 * is what makes our results equal to ts-fsrs's bit for bit almost always).
 * Compiled with -ffp-contract=off, like detmath.c.
 */
#include "core/fsrs_check.h"
#include "core/internal.h"

#include "core/detmath.h"

#include <float.h>
#include <stdio.h>
#include <string.h>

#if !defined(FLT_EVAL_METHOD) || FLT_EVAL_METHOD != 0
#error "fsrs.c needs FLT_EVAL_METHOD == 0 (on 32-bit x86: -msse2 -mfpmath=sse)"
#endif
#if defined(__FAST_MATH__)
#error "fsrs.c must not be compiled with -ffast-math"
#endif
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

#define S_MIN 0.001         /* ts-fsrs S_MIN: the least stability */
#define S_MAX 36500.0       /* ts-fsrs S_MAX: the greatest stability */
#define D_MIN 1.0
#define D_MAX 10.0
#define INIT_S_FLOOR 0.1    /* ts-fsrs init_stability: max(w[G-1], 0.1) */
#define MAX_INTERVAL_LIMIT (UINT32_MAX - 3u) /* hard, good, easy may each add a day past the cap */
#define NWEIGHTS 21
#define LN_0_9 (-0x1.af8e8210a415cp-4) /* ln of the double 0.9, rounded to nearest (V8's Math.log(0.9)) */

static const double default_weights[NWEIGHTS] = {
    0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
    1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
};

/* ts-fsrs's CLAMP_PARAMETERS with enable_short_term = false and one relearning
 * step: the range each weight is clipped to there, and refused outside here. */
static const double weight_min[NWEIGHTS] = {
    S_MIN, S_MIN, S_MIN, S_MIN, 1.0, 0.001, 0.001, 0.001, 0.0, 0.0, 0.001,
    0.001, 0.001, 0.001, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.1,
};
static const double weight_max[NWEIGHTS] = {
    100.0, 100.0, 100.0, 100.0, 10.0, 4.0, 4.0, 0.75, 4.5, 0.8, 3.5,
    5.0, 0.25, 0.9, 4.0, 1.0, 6.0, 2.0, 2.0, 0.8, 0.8,
};

/* NaN, told by its bits. An ordered comparison (x >= lo) with a NaN raises
 * FE_INVALID, and in a program that traps invalid operations (feenableexcept)
 * that is SIGFPE instead of the documented refusal; a signaling NaN raises it
 * even in a quiet comparison. So a NaN is never compared, only looked at. */
static int is_nan(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return (u & UINT64_C(0x7fffffffffffffff)) > UINT64_C(0x7ff0000000000000);
}

/* lo <= x <= hi, false for NaN (without raising FE_INVALID). */
static int within(double x, double lo, double hi)
{
    return !is_nan(x) && x >= lo && x <= hi;
}

int alliance_fsrs_params_init(alliance_fsrs_params *params, uint32_t version)
{
    if (params == NULL)
        return ALLIANCE_EINVAL;
    if (version != ALLIANCE_FSRS_PARAMS_VERSION)
        return ALLIANCE_EVERSION;
    params->version = ALLIANCE_FSRS_PARAMS_VERSION;
    memcpy(params->weights, default_weights, sizeof params->weights);
    params->desired_retention = 0.9;
    params->max_interval_days = 36500;
    return ALLIANCE_OK;
}

int alliance_fsrs_params_check(const alliance_fsrs_params *params)
{
    if (params == NULL)
        return ALLIANCE_EINVAL;
    if (params->version != ALLIANCE_FSRS_PARAMS_VERSION)
        return ALLIANCE_EVERSION;
    for (int i = 0; i < NWEIGHTS; i++)
        if (!within(params->weights[i], weight_min[i], weight_max[i]))
            return ALLIANCE_EINVAL;
    if (is_nan(params->desired_retention) || !(params->desired_retention > 0.0 && params->desired_retention <= 1.0))
        return ALLIANCE_EINVAL;
    if (params->max_interval_days < 1 || params->max_interval_days > MAX_INTERVAL_LIMIT)
        return ALLIANCE_EINVAL;
    return ALLIANCE_OK;
}

int alliance__fsrs_params_problem(const alliance_fsrs_params *params, char *buf, size_t n)
{
    int rc = alliance_fsrs_params_check(params);
    if (rc == ALLIANCE_OK || n == 0)
        return rc;
    buf[0] = '\0';
    if (params == NULL) {
        snprintf(buf, n, "params is NULL");
    } else if (rc == ALLIANCE_EVERSION) {
        snprintf(buf, n, "version %u, this library knows version %u", params->version,
                 (unsigned)ALLIANCE_FSRS_PARAMS_VERSION);
    } else {
        for (int i = 0; i < NWEIGHTS && buf[0] == '\0'; i++)
            if (!within(params->weights[i], weight_min[i], weight_max[i]))
                snprintf(buf, n, "weights[%d] = %.17g is outside [%.17g, %.17g]", i, params->weights[i],
                         weight_min[i], weight_max[i]);
        if (buf[0] == '\0' && (is_nan(params->desired_retention) ||
                                !(params->desired_retention > 0.0 && params->desired_retention <= 1.0)))
            snprintf(buf, n, "desired_retention = %.17g is outside (0, 1]", params->desired_retention);
        if (buf[0] == '\0')
            snprintf(buf, n, "max_interval_days = %u is outside [1, %u]", params->max_interval_days,
                     (unsigned)MAX_INTERVAL_LIMIT);
    }
    return rc;
}

/* ---- JavaScript's rounding and clamping, as ts-fsrs uses them ---- */

static int sign_bit(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return (int)(u >> 63);
}

/* Math.round: the nearest integer, halves towards +infinity, -0 for -0.5 <= x <= -0. */
static double js_round(double x)
{
    if (!(x > -0x1p52 && x < 0x1p52)) /* NaN, infinities, and doubles with no fraction bits */
        return x;
    double t = (double)(int64_t)x; /* truncation, exact */
    if (t > x)
        t -= 1.0;                  /* floor */
    if (x - t >= 0.5)              /* x - floor(x) is exact */
        t += 1.0;
    if (t == 0.0 && sign_bit(x))
        return -0.0;
    return t;
}

/* ts-fsrs roundTo(x, 8): Math.round(x * 10^8) / 10^8. */
static double round8(double x)
{
    return js_round(x * 1e8) / 1e8;
}

/* ts-fsrs clamp: Math.min(Math.max(x, lo), hi). */
static double js_clamp(double x, double lo, double hi)
{
    double m = x > lo ? x : lo;
    return m < hi ? m : hi;
}

/* ---- the model ---- */

typedef struct model {
    const double *w;
    double decay;     /* -w20 */
    double factor;    /* 0.9^(1/decay) - 1, rounded to 8 decimals */
    double ivl_scale; /* (r^(1/decay) - 1) / factor, rounded: interval = S * ivl_scale */
    double max_ivl;
} model;

static void model_init(model *m, const alliance_fsrs_params *p)
{
    m->w = p->weights;
    m->decay = -p->weights[20];
    /* computeDecayFactor: exp(pow(decay, -1) * ln 0.9) - 1; pow(d, -1) is 1/d exactly in V8. */
    m->factor = round8(alliance__det_exp((1.0 / m->decay) * LN_0_9) - 1.0);
    /* calculate_interval_modifier */
    m->ivl_scale = round8((alliance__det_pow(p->desired_retention, 1.0 / m->decay) - 1.0) / m->factor);
    m->max_ivl = (double)p->max_interval_days;
}

/* forgetting_curve: R(t, S) = (1 + factor t / S)^decay. */
static double retrievability(const model *m, double t, double s)
{
    return round8(alliance__det_pow(1.0 + (m->factor * t) / s, m->decay));
}

/* init_stability: S0(G) = max(w[G-1], 0.1). */
static double init_stability(const model *m, int g)
{
    double s = m->w[g - 1];
    return s > INIT_S_FLOOR ? s : INIT_S_FLOOR;
}

/* init_difficulty: D0(G) = w4 - e^((G-1) w5) + 1, unclamped (D0(4) is used so). */
static double init_difficulty(const model *m, int g)
{
    return round8((m->w[4] - alliance__det_exp((double)(g - 1) * m->w[5])) + 1.0);
}

/* next_difficulty: linear damping of -w6 (G-3), then mean reversion towards D0(4) by w7. */
static double next_difficulty(const model *m, double d, int g)
{
    const double *w = m->w;
    double delta = -w[6] * (double)(g - 3);
    double damped = d + round8((delta * (10.0 - d)) / 9.0);
    double reverted = round8(w[7] * init_difficulty(m, 4) + (1.0 - w[7]) * damped);
    return js_clamp(reverted, D_MIN, D_MAX);
}

/* next_recall_stability: S (1 + e^w8 (11 - D) S^-w9 (e^((1-R) w10) - 1) hard easy).
 * The product up to the last factor is the same for Hard, Good and Easy: computed
 * once, in ts-fsrs's left-to-right order, it gives the same bits. */
static double recall_growth(const model *m, double d, double s, double r)
{
    const double *w = m->w;
    return alliance__det_exp(w[8]) * (11.0 - d) * alliance__det_pow(s, -w[9]) *
           (alliance__det_exp((1.0 - r) * w[10]) - 1.0);
}

static double recall_stability(const model *m, double s, double growth, int g)
{
    double hard_penalty = g == ALLIANCE_FSRS_HARD ? m->w[15] : 1.0;
    double easy_bonus = g == ALLIANCE_FSRS_EASY ? m->w[16] : 1.0;
    return round8(js_clamp(s * (1.0 + growth * hard_penalty * easy_bonus), S_MIN, S_MAX));
}

/* next_forget_stability w11 D^-w12 ((S+1)^w13 - 1) e^((1-R) w14), never above S. */
static double forget_stability(const model *m, double d, double s, double r)
{
    const double *w = m->w;
    double after = round8(js_clamp(w[11] * alliance__det_pow(d, -w[12]) * (alliance__det_pow(s + 1.0, w[13]) - 1.0) *
                                       alliance__det_exp((1.0 - r) * w[14]),
                                   S_MIN, S_MAX));
    /* ts-fsrs: clamp(S / e^(w17 w18), S_MIN, after), with w17 = w18 = 0 in long-term mode. */
    return js_clamp(round8(s), S_MIN, after);
}

/* next_interval: S scaled to the desired retention, rounded, within 1..max. */
static double interval_for(const model *m, double s)
{
    double days = js_round(s * m->ivl_scale);
    days = days > 1.0 ? days : 1.0;
    return days < m->max_ivl ? days : m->max_ivl;
}

/* The states a step produces (docs/fsrs.md, "Impossible states"). */
static int state_possible(const alliance_fsrs_state *s)
{
    if (is_nan(s->stability) || is_nan(s->difficulty))
        return 0; /* before any comparison: even == raises FE_INVALID for a signaling NaN */
    if (s->stability == 0.0 && s->difficulty == 0.0 && s->interval_days == 0)
        return 1; /* new */
    return within(s->stability, S_MIN, S_MAX) && within(s->difficulty, D_MIN, D_MAX) && s->interval_days >= 1;
}

static int is_new(const alliance_fsrs_state *s)
{
    return s->stability == 0.0;
}

/* Checks shared by both entry points, in the documented order. */
static int check_call(const alliance_fsrs_params *params, const alliance_fsrs_state *state, const void *out)
{
    int rc = alliance_fsrs_params_check(params);
    if (rc != ALLIANCE_OK)
        return rc;
    if (state == NULL || out == NULL)
        return ALLIANCE_EINVAL;
    return ALLIANCE_OK;
}

int alliance_fsrs_next(const alliance_fsrs_params *params, const alliance_fsrs_state *in, int rating,
                       uint32_t elapsed_days, alliance_fsrs_state *out)
{
    int rc = check_call(params, in, out);
    if (rc != ALLIANCE_OK)
        return rc;
    if (rating < ALLIANCE_FSRS_AGAIN || rating > ALLIANCE_FSRS_EASY)
        return ALLIANCE_EGRADE;
    if (!state_possible(in))
        return ALLIANCE_ESTATE;
    if (is_new(in) && elapsed_days != 0)
        return ALLIANCE_EINVAL;
    if (!alliance__detmath_env_ok())
        return ALLIANCE_EMISUSE;

    model m;
    model_init(&m, params);
    /* ts-fsrs computes all four outcomes and orders their intervals:
     *   again = min(again, hard); hard = max(hard, again + 1);
     *   good = max(good, hard + 1); easy = max(easy, good + 1).
     * A rating's interval thus depends on the ratings below it (and Again's on
     * Hard's); only what can change the answer is computed here. */
    double stability[5] = { 0 };
    double difficulty, again, hard;
    if (is_new(in)) {
        int upto = rating > ALLIANCE_FSRS_HARD ? rating : ALLIANCE_FSRS_HARD;
        for (int g = ALLIANCE_FSRS_AGAIN; g <= upto; g++)
            stability[g] = init_stability(&m, g);
        difficulty = js_clamp(init_difficulty(&m, rating), D_MIN, D_MAX);
        again = interval_for(&m, stability[ALLIANCE_FSRS_AGAIN]);
        hard = interval_for(&m, stability[ALLIANCE_FSRS_HARD]);
    } else {
        /* On a reviewed card Again's own interval never exceeds Hard's: a lapse leaves
         * at most round8(S), a recall at least round8(S) (its growth is >= 0 because
         * R <= 1), and intervals never shrink as stability grows. So min(again, hard)
         * is Again's own interval, and Again can only raise Hard (by a day) when the two
         * are equal, which needs interval(round8(S)) >= Hard's. */
        double r = retrievability(&m, (double)elapsed_days, in->stability);
        difficulty = next_difficulty(&m, in->difficulty, rating);
        if (rating == ALLIANCE_FSRS_AGAIN) {
            stability[ALLIANCE_FSRS_AGAIN] = forget_stability(&m, in->difficulty, in->stability, r);
            again = hard = interval_for(&m, stability[ALLIANCE_FSRS_AGAIN]);
        } else {
            double growth = recall_growth(&m, in->difficulty, in->stability, r);
            for (int g = ALLIANCE_FSRS_HARD; g <= rating; g++)
                stability[g] = recall_stability(&m, in->stability, growth, g);
            hard = interval_for(&m, stability[ALLIANCE_FSRS_HARD]);
            again = interval_for(&m, round8(in->stability)); /* a bound on Again's own interval */
            if (again >= hard)
                again = interval_for(&m, forget_stability(&m, in->difficulty, in->stability, r));
        }
    }
    again = again < hard ? again : hard;
    hard = hard > again + 1.0 ? hard : again + 1.0;
    double days = rating == ALLIANCE_FSRS_AGAIN ? again : hard;
    for (int g = ALLIANCE_FSRS_GOOD; g <= rating; g++) {
        double own = interval_for(&m, stability[g]);
        days = own > days + 1.0 ? own : days + 1.0;
    }

    out->stability = stability[rating];
    out->difficulty = difficulty;
    out->interval_days = (uint32_t)days; /* an integer <= max + 3 <= UINT32_MAX */
    return ALLIANCE_OK;
}

int alliance_fsrs_retrievability(const alliance_fsrs_params *params, const alliance_fsrs_state *state,
                                 uint32_t elapsed_days, double *out)
{
    int rc = check_call(params, state, out);
    if (rc != ALLIANCE_OK)
        return rc;
    if (!state_possible(state))
        return ALLIANCE_ESTATE;
    if (!alliance__detmath_env_ok())
        return ALLIANCE_EMISUSE;
    if (is_new(state)) {
        *out = 0.0; /* as ts-fsrs's get_retrievability for a new card */
        return ALLIANCE_OK;
    }
    model m;
    model_init(&m, params);
    *out = retrievability(&m, (double)elapsed_days, state->stability);
    return ALLIANCE_OK;
}
