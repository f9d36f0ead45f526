/* SPDX-License-Identifier: MIT */
/*
 * detmath.c - exp, log and pow from IEEE-754 basic operations only.
 *
 * Two libms may differ by an ulp in exp(), and an ulp can move a rounded FSRS
 * interval by a day; a collection replayed on a phone and on a laptop must
 * agree. So nothing here calls libm: every result is a fixed sequence of
 * correctly rounded +, -, *, / on doubles, which IEEE-754 makes the same
 * everywhere, provided that
 *  - intermediate results are doubles (FLT_EVAL_METHOD == 0: SSE2, not x87),
 *  - a*b+c is never fused into an fma (this file is compiled with
 *    -ffp-contract=off, and Clang also sees the pragma below),
 *  - the rounding mode is to nearest and subnormals are kept.
 * The first two are checked when compiling, all at run time by
 * alliance__detmath_env_ok(). Accuracy (< 1 ulp) is measured against libm by
 * tests/test_detmath.c; exact outputs are pinned there too.
 *
 * Method. Products and sums that must not lose bits are carried in
 * "double-double" (an unevaluated sum hi + lo, Dekker and Knuth's error-free
 * transformations). ln x = e ln 2 + 2 atanh((m - 1) / (m + 1)) with
 * m in [sqrt(1/2), sqrt(2)], an odd series to s^23; e^x = 2^k e^r with
 * |r| <= ln(2)/2, a Taylor polynomial to r^14. The constants are derived
 * exactly by tests/fsrs/detmath_constants.py.
 */
#include "core/detmath.h"

#include <float.h>
#include <stdint.h>
#include <string.h>

#if !defined(FLT_EVAL_METHOD) || FLT_EVAL_METHOD != 0
#error "detmath.c needs FLT_EVAL_METHOD == 0 (on 32-bit x86: -msse2 -mfpmath=sse)"
#endif
#if DBL_MANT_DIG != 53 || FLT_RADIX != 2
#error "detmath.c needs IEEE-754 binary64 doubles"
#endif
#if defined(__FAST_MATH__)
#error "detmath.c must not be compiled with -ffast-math"
#endif
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

/* ln 2 = LN2_HI + LN2_LO; LN2_HI has 33 significant bits, so k * LN2_HI is exact for |k| < 2^20. */
#define LN2_HI 0x1.62e42ff000000p-1
#define LN2_LO (-0x1.718432a1b0e26p-35)
#define INV_LN2 0x1.71547652b82fep+0
#define SQRT2 0x1.6a09e667f3bcdp+0
/* Adding and subtracting 1.5 * 2^52 rounds a double below 2^51 to an integer (ties to even). */
#define ROUND_SHIFT 0x1.8p52

/* Above this e^x overflows, below the other it is under half the smallest subnormal. */
#define EXP_OVERFLOW 709.79
#define EXP_UNDERFLOW (-745.2)

static uint64_t to_bits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static double from_bits(uint64_t u)
{
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

#define POS_INF from_bits(UINT64_C(0x7ff0000000000000))
#define QUIET_NAN from_bits(UINT64_C(0x7ff8000000000000))

/* 2^j for -1022 <= j <= 1023. */
static double pow2i(int j)
{
    return from_bits((uint64_t)(j + 1023) << 52);
}

/* ---- double-double: value = hi + lo, |lo| <= ulp(hi) / 2 ---- */

typedef struct dd {
    double hi, lo;
} dd;

/* a + b exactly, for any a and b (Knuth). */
static dd two_sum(double a, double b)
{
    dd r;
    r.hi = a + b;
    double bb = r.hi - a;
    r.lo = (a - (r.hi - bb)) + (b - bb);
    return r;
}

/* a + b exactly when |a| >= |b| (Dekker). */
static dd fast_two_sum(double a, double b)
{
    dd r;
    r.hi = a + b;
    r.lo = b - (r.hi - a);
    return r;
}

/* a = hi + lo with 26 significant bits in each (Veltkamp); |a| < 2^995. */
static void split(double a, double *hi, double *lo)
{
    double c = 134217729.0 * a; /* 2^27 + 1 */
    *hi = c - (c - a);
    *lo = a - *hi;
}

/* a * b exactly (Dekker), without an fma. */
static dd two_prod(double a, double b)
{
    double ah, al, bh, bl;
    dd r;
    r.hi = a * b;
    split(a, &ah, &al);
    split(b, &bh, &bl);
    r.lo = (((ah * bh - r.hi) + ah * bl) + al * bh) + al * bl;
    return r;
}

/* ---- ln ---- */

/* ln x as a double-double (absolute error about 2^-62), for finite x > 0. */
static dd log_dd(double x)
{
    uint64_t u = to_bits(x);
    int e = 0;
    if (u < (UINT64_C(1) << 52)) { /* subnormal: make it normal first */
        x *= 0x1p54;
        u = to_bits(x);
        e = -54;
    }
    e += (int)(u >> 52) - 1023;
    double m = from_bits((u & ((UINT64_C(1) << 52) - 1)) | (UINT64_C(1023) << 52)); /* [1, 2) */
    if (m > SQRT2) {
        m *= 0.5;
        e += 1;
    }
    /* s = (m - 1) / (m + 1) in double-double; m - 1 is exact (Sterbenz). */
    double f = m - 1.0;
    dd a = two_sum(m, 1.0);
    double sh = f / a.hi;
    dd p = two_prod(sh, a.hi);
    double sl = (((f - p.hi) - p.lo) - sh * a.lo) / a.hi;
    /* ln m = 2 atanh s = 2 (s + s^3/3 + s^5/5 + ...), |s| <= 0.1716: the terms
     * after s^23 are below 2^-66. q = s^2/3 + s^4/5 + ... + s^22/23. */
    double s2 = sh * sh;
    double q = 0x1.642c8590b2164p-5;         /* 1/23 */
    q = 0x1.8618618618618p-5 + s2 * q;       /* 1/21 */
    q = 0x1.af286bca1af28p-5 + s2 * q;       /* 1/19 */
    q = 0x1.e1e1e1e1e1e1ep-5 + s2 * q;       /* 1/17 */
    q = 0x1.1111111111111p-4 + s2 * q;       /* 1/15 */
    q = 0x1.3b13b13b13b14p-4 + s2 * q;       /* 1/13 */
    q = 0x1.745d1745d1746p-4 + s2 * q;       /* 1/11 */
    q = 0x1.c71c71c71c71cp-4 + s2 * q;       /* 1/9 */
    q = 0x1.2492492492492p-3 + s2 * q;       /* 1/7 */
    q = 0x1.999999999999ap-3 + s2 * q;       /* 1/5 */
    q = 0x1.5555555555555p-2 + s2 * q;       /* 1/3 */
    q = s2 * q;
    /* 2 (sh + sl)(1 + q(s^2)), to first order in sl: the s^3 term's share of sl is sl s^2. */
    double t = sl + (sh * q + sl * s2);
    dd lm = fast_two_sum(2.0 * sh, 2.0 * t);
    if (e == 0)
        return lm;
    double ed = (double)e;
    dd h = two_sum(ed * LN2_HI, lm.hi); /* ed * LN2_HI is exact */
    double lo = h.lo + (lm.lo + ed * LN2_LO);
    return fast_two_sum(h.hi, lo); /* |e ln 2| > |ln m|: no cancellation */
}

double alliance__det_log(double x)
{
    if (x != x || x < 0.0)
        return QUIET_NAN;
    if (x == 0.0)
        return -POS_INF;
    if (x == POS_INF)
        return x;
    return log_dd(x).hi;
}

/* ---- exp ---- */

/* e^(xh + xl), |xl| <= ulp(xh) / 2, rounded once at the end (error about 0.53 ulp). */
static double exp_dd(double xh, double xl)
{
    if (xh != xh)
        return xh;
    if (xh > EXP_OVERFLOW)
        return POS_INF;
    if (xh < EXP_UNDERFLOW)
        return 0.0;
    /* x = k ln 2 + r, |r| <= ln(2)/2 (plus rounding), r kept in double-double. */
    double kd = (xh * INV_LN2 + ROUND_SHIFT) - ROUND_SHIFT;
    int k = (int)kd;
    double rh = xh - kd * LN2_HI; /* exact: kd * LN2_HI is, and it is within a factor 2 of xh */
    dd p = two_prod(kd, LN2_LO);
    dd r = two_sum(rh, -p.hi);
    r = two_sum(r.hi, (r.lo - p.lo) + xl);
    double h = r.hi, l = r.lo;
    /* e^h = 1 + h + h^2/2 + h^3 c(h), c(h) = 1/3! + h/4! + ... + h^11/14!; the
     * first three terms in double-double, the rest (< 0.008) in double. */
    double c = 0x1.93974a8c07c9dp-37;        /* 1/14! */
    c = 0x1.6124613a86d09p-33 + h * c;       /* 1/13! */
    c = 0x1.1eed8eff8d898p-29 + h * c;       /* 1/12! */
    c = 0x1.ae64567f544e4p-26 + h * c;       /* 1/11! */
    c = 0x1.27e4fb7789f5cp-22 + h * c;       /* 1/10! */
    c = 0x1.71de3a556c734p-19 + h * c;       /* 1/9! */
    c = 0x1.a01a01a01a01ap-16 + h * c;       /* 1/8! */
    c = 0x1.a01a01a01a01ap-13 + h * c;       /* 1/7! */
    c = 0x1.6c16c16c16c17p-10 + h * c;       /* 1/6! */
    c = 0x1.1111111111111p-7 + h * c;        /* 1/5! */
    c = 0x1.5555555555555p-5 + h * c;        /* 1/4! */
    c = 0x1.5555555555555p-3 + h * c;        /* 1/3! */
    dd sq = two_prod(h, h);
    dd a = two_sum(1.0, h);
    dd b = two_sum(a.hi, 0.5 * sq.hi);
    /* e^(h+l) = e^h + l e^h to within l^2, and e^h ~ b.hi to within h^3/6 (l < 2^-53). */
    double tail = (sq.hi * h) * c + (((a.lo + b.lo) + 0.5 * sq.lo) + l * b.hi);
    double y = b.hi + tail;
    /* y * 2^k, in two exact steps when 2^k itself is not a normal double. */
    if (k > 1023)
        return (y * 0x1p1023) * pow2i(k - 1023);
    if (k < -1022)
        return (y * pow2i(k + 54)) * 0x1p-54; /* one rounding, into the subnormals */
    return y * pow2i(k);
}

double alliance__det_exp(double x)
{
    return exp_dd(x, 0.0);
}

/* ---- pow ---- */

double alliance__det_pow(double x, double y)
{
    if (y == 0.0 || x == 1.0)
        return 1.0;
    if (x != x || y != y)
        return QUIET_NAN;
    if (x < 0.0)
        return QUIET_NAN;
    if (x == 0.0)
        return y > 0.0 ? 0.0 : POS_INF;
    if (x == POS_INF)
        return y > 0.0 ? POS_INF : 0.0;
    if (y == POS_INF || y == -POS_INF)
        return (x > 1.0) == (y > 0.0) ? POS_INF : 0.0;
    dd l = log_dd(x);
    double ay = y < 0.0 ? -y : y;
    if (ay > 0x1p900) /* |y ln x| > 2^846: certain overflow or underflow (ln x != 0 here) */
        return (y > 0.0) == (l.hi > 0.0) ? POS_INF : 0.0;
    /* z = y ln x in double-double, so that its rounding error is not magnified by e^z. */
    dd z = two_prod(y, l.hi);
    z = two_sum(z.hi, z.lo + y * l.lo);
    return exp_dd(z.hi, z.lo);
}

/* ---- the environment ---- */

int alliance__detmath_env_ok(void)
{
    /* volatile: computed now, in the caller's environment, never folded by the compiler. */
    volatile double one = 1.0, three_quarter_ulp = 0x1.8p-53;
    volatile double up = one + three_quarter_ulp, down = -one - three_quarter_ulp;
    /* To nearest, both move away from 1 (towards zero, up or down, one of them would not). */
    int nearest = up == 1.0 + 0x1p-52 && down == -(1.0 + 0x1p-52);
    volatile double min_normal = 0x1p-1022, half = 0.5, two = 2.0;
    volatile double sub = min_normal * half;
    volatile double back = sub * two;
    /* Flush-to-zero makes sub 0; denormals-are-zero makes back 0. */
    int subnormals = sub != 0.0 && back == min_normal;
    /* (1 + 2^-30)(1 - 2^-30) = 1 - 2^-60 rounds to 1; fused with -1 it would give -2^-60. */
    volatile double a = 1.0 + 0x1p-30, b = 1.0 - 0x1p-30, c = -1.0;
    volatile double fused = a * b + c;
    return nearest && subnormals && fused == 0.0;
}
