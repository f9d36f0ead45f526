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
 * "double-double" (an unevaluated sum hi + lo, Dekker's and Knuth's error-free
 * transformations). ln x = e ln 2 - ln C + ln(1 + r), where C comes from a
 * 128-entry table indexed by the top bits of the mantissa m and r = m C - 1
 * (|r| <= 1/128) is exact; a series to r^9 does the rest. e^x = 2^k 2^(j/64) e^r
 * with 2^(j/64) from a 64-entry double-double table and |r| <= ln(2)/128; a
 * Taylor polynomial to r^6 does the rest. pow is e^(y ln x) with ln x and the
 * product in double-double. The constants and tables are derived exactly by
 * tests/fsrs/detmath_constants.py (lib/core/detmath_tables.h is its output).
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

/* On x86-64 (and SSE2 x86) the FP environment is read from MXCSR; elsewhere it is probed. */
#if defined(__x86_64__) || defined(_M_X64) || (defined(__i386__) && defined(__SSE2__))
#include <xmmintrin.h>
#define DETMATH_HAVE_MXCSR 1
#else
#define DETMATH_HAVE_MXCSR 0
#endif

#include "core/detmath_tables.h"

/* ln 2 = LN2_HI + LN2_LO; LN2_HI has 33 significant bits, so e * LN2_HI is exact for |e| < 2^20. */
#define LN2_HI 0x1.62e42ff000000p-1
#define LN2_LO (-0x1.718432a1b0e26p-35)
/* ln(2)/64 = LN2_64_HI + LN2_64_LO; n * LN2_64_HI is exact for |n| < 2^17. */
#define LN2_64_HI 0x1.62e42fefa0000p-7
#define LN2_64_LO 0x1.cf79abc9e3b3ap-46
#define INV_LN2_64 0x1.71547652b82fep+6
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

/* ln x as a double-double (absolute error about 2^-66), for finite x > 0. */
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
    int j = (int)((u >> 45) & 127); /* the top 7 bits of the fraction */
    double m = from_bits((u & ((UINT64_C(1) << 52) - 1)) | (UINT64_C(1023) << 52)); /* [1, 2) */
    if (j >= LOG_HALVE_FROM) { /* m in [0.707, 1): no cancellation between e ln 2 and ln m */
        m *= 0.5;
        e += 1;
    }
    const double *t = LOG_TABLE[j];
    /* r = m C - 1 exactly: m C is exact in double-double and its high part is within
     * 1% of 1, so subtracting 1 is exact too (Sterbenz). */
    dd p = two_prod(m, t[0]);
    dd r = two_sum(p.hi - 1.0, p.lo);
    double h = r.hi, l = r.lo;
    /* ln(1 + h) - h = -h^2/2 + h^3/3 - ... - h^10/10 (the rest is below 2^-66 |h|);
     * ln(1 + h + l) = ln(1 + h) + l (1 - h) to within l h^2. */
    /* Estrin's scheme (pairs, then pairs of pairs): a shorter chain of dependent operations than Horner's. */
    double h2 = h * h, h4 = h2 * h2;
    double p23 = -0x1.0000000000000p-1 + h * 0x1.5555555555555p-2;  /* -1/2 + h/3 */
    double p45 = -0x1.0000000000000p-2 + h * 0x1.999999999999ap-3;  /* -1/4 + h/5 */
    double p67 = -0x1.5555555555555p-3 + h * 0x1.2492492492492p-3;  /* -1/6 + h/7 */
    double p89 = -0x1.0000000000000p-3 + h * 0x1.c71c71c71c71cp-4;  /* -1/8 + h/9 */
    double q = h2 * ((p23 + h2 * p45) + h4 * (p67 + h2 * p89));
    /* ln x = e ln 2 - ln C + h + (l - l h + q), summed without losing the low parts. */
    double ed = (double)e;
    dd a = two_sum(ed * LN2_HI, t[1]); /* ed * LN2_HI is exact */
    dd b = two_sum(a.hi, h);
    double lo = ((l - l * h) + q) + ((a.lo + b.lo) + (t[2] + ed * LN2_LO));
    return two_sum(b.hi, lo);
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

/* e^(xh + xl), |xl| <= ulp(xh) / 2, rounded once at the end (error about 0.51 ulp). */
static double exp_dd(double xh, double xl)
{
    if (xh != xh)
        return xh;
    if (xh > EXP_OVERFLOW)
        return POS_INF;
    if (xh < EXP_UNDERFLOW)
        return 0.0;
    /* x = n ln(2)/64 + r with n = 64 k + j, |r| <= ln(2)/128 (plus rounding). */
    double nd = (xh * INV_LN2_64 + ROUND_SHIFT) - ROUND_SHIFT;
    int n = (int)nd;
    int j = n & 63;
    int k = (n - j) / 64; /* exact: n - j is a multiple of 64 */
    double rh = xh - nd * LN2_64_HI; /* exact: nd * LN2_64_HI is, and it is within a factor 2 of xh */
    dd r = two_sum(rh, xl - nd * LN2_64_LO);
    double h = r.hi;
    /* e^(h + l) - 1 = h + l + h^2/2 + ... + h^6/720 to within 2^-65 (and l h, below 2^-60 ulp). */
    double c = 0x1.6c16c16c16c17p-10;        /* 1/6! */
    c = 0x1.1111111111111p-7 + h * c;        /* 1/5! */
    c = 0x1.5555555555555p-5 + h * c;        /* 1/4! */
    c = 0x1.5555555555555p-3 + h * c;        /* 1/3! */
    c = 0x1.0000000000000p-1 + h * c;        /* 1/2! */
    double q = h + (r.lo + (h * h) * c);
    /* 2^(j/64) (1 + q) = T_hi + (T_hi q + T_lo (1 + q)): one rounding of a sum whose parts
     * after T_hi are below 0.011 T_hi. */
    const double *t = EXP2_TABLE[j];
    double y = t[0] + (t[0] * q + t[1] * (1.0 + q));
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
    /* (1 + 2^-30)(1 - 2^-30) = 1 - 2^-60 rounds to 1; fused with -1 it would give -2^-60.
     * volatile: computed at run time as this file was compiled, never folded. */
    volatile double a = 1.0 + 0x1p-30, b = 1.0 - 0x1p-30, c = -1.0;
    volatile double fused = a * b + c;
    if (fused != 0.0)
        return 0;
#if DETMATH_HAVE_MXCSR
    /* SSE does all the double arithmetic here: its control register says it all, cheaply.
     * Bits 13-14: rounding (00 = to nearest); 15: flush-to-zero; 6: denormals-are-zero. */
    return (_mm_getcsr() & 0xE040u) == 0;
#else
    volatile double one = 1.0, three_quarter_ulp = 0x1.8p-53;
    volatile double up = one + three_quarter_ulp, down = -one - three_quarter_ulp;
    /* To nearest, both move away from 1 (towards zero, up or down, one of them would not). */
    int nearest = up == 1.0 + 0x1p-52 && down == -(1.0 + 0x1p-52);
    volatile double min_normal = 0x1p-1022, half = 0.5, two = 2.0;
    volatile double sub = min_normal * half;
    volatile double back = sub * two;
    /* Flush-to-zero makes sub 0; denormals-are-zero makes back 0. */
    return nearest && sub != 0.0 && back == min_normal;
#endif
}
