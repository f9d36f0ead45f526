/* SPDX-License-Identifier: MIT */
/* detmath: the library's own exp, log and pow (lib/core/detmath.c), which
 * decide FSRS schedules: within one ulp of libm over wide sweeps, exact on
 * special values and exact powers, and pinned to the same bits in every build. */
#include "testutil.h"

#include "core/detmath.h"

#include <fenv.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static uint64_t bits_of(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

/* Distance in ulps between two finite doubles of the same sign (0 when equal). */
static uint64_t ulps_apart(double a, double b)
{
    int64_t ia, ib;
    memcpy(&ia, &a, sizeof ia);
    memcpy(&ib, &b, sizeof ib);
    if (ia < 0)
        ia = INT64_MIN - ia;
    if (ib < 0)
        ib = INT64_MIN - ib;
    return ia > ib ? (uint64_t)(ia - ib) : (uint64_t)(ib - ia);
}

static uint64_t rng = 0x2545F4914F6CDD1DULL;
static double uniform(void) /* [0, 1) */
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) * 0x1p-53;
}

typedef struct sweep {
    uint64_t n, differ, max_ulps;
    double worst_x, worst_y;
} sweep;

static void sweep_add(sweep *s, double got, double want, double x, double y)
{
    uint64_t u = ulps_apart(got, want);
    s->n++;
    s->differ += u != 0;
    if (u > s->max_ulps) {
        s->max_ulps = u;
        s->worst_x = x;
        s->worst_y = y;
    }
}

static void sweep_report(const char *what, const sweep *s)
{
    printf("detmath %s vs libm: %llu points, %llu differ (%.3f%%), max %llu ulp (at %a, %a)\n", what,
           (unsigned long long)s->n, (unsigned long long)s->differ, 100.0 * (double)s->differ / (double)s->n,
           (unsigned long long)s->max_ulps, s->worst_x, s->worst_y);
    ck_assert_msg(s->max_ulps <= 1, "%s: %llu ulps from libm at %a, %a", what, (unsigned long long)s->max_ulps,
                  s->worst_x, s->worst_y);
    /* Not just within an ulp: glibc's results are correctly rounded almost always, and so are ours. */
    ck_assert_msg(s->differ * 100 < s->n, "%s: %llu of %llu differ from libm", what, (unsigned long long)s->differ,
                  (unsigned long long)s->n);
}

/* ---- accuracy: sweeps against libm (CI budget: under a second plain, a few seconds in the -O0 sanitizer build) ---- */

#define POINTS 1000000

START_TEST(exp_is_within_one_ulp_of_libm)
{
    sweep s = { 0 };
    for (int i = 0; i < POINTS; i++) {
        double x;
        switch (i % 4) {
        case 0: x = -708.0 + uniform() * (709.78 + 708.0); break; /* the whole normal range */
        case 1: x = (uniform() - 0.5) * 2.0; break;               /* around 0 */
        case 2: x = (uniform() - 0.5) * 1e-6; break;              /* very near 0 */
        default: x = (uniform() - 0.5) * 40.0; break;             /* FSRS's arguments */
        }
        sweep_add(&s, alliance__det_exp(x), exp(x), x, 0);
    }
    sweep_report("exp", &s);
}
END_TEST

START_TEST(log_is_within_one_ulp_of_libm)
{
    sweep s = { 0 };
    for (int i = 0; i < POINTS; i++) {
        double x;
        switch (i % 4) {
        case 0: x = exp((uniform() - 0.5) * 1400.0); break;  /* 1e-304 .. 1e304 */
        case 1: x = 0.5 + uniform() * 1.5; break;            /* one binade around 1 */
        case 2: x = 1.0 + (uniform() - 0.5) * 1e-6; break;   /* very near 1 */
        default: x = uniform() * 0x1p-1022; break;           /* subnormals */
        }
        if (x == 0.0)
            continue;
        sweep_add(&s, alliance__det_log(x), log(x), x, 0);
    }
    sweep_report("log", &s);
}
END_TEST

START_TEST(pow_is_within_one_ulp_of_libm)
{
    sweep s = { 0 };
    for (int i = 0; i < POINTS; i++) {
        double x, y;
        switch (i % 4) {
        case 0: /* stability^-w9, (S+1)^w13, D^-w12 */
            x = 0.001 + uniform() * 36501.0;
            y = (uniform() - 0.5) * 2.0;
            break;
        case 1: /* the forgetting curve: (1 + factor t / S)^-w20 */
            x = 1.0 + exp(uniform() * 30.0) - 1.0;
            y = -(0.1 + uniform() * 0.7);
            break;
        case 2: /* retention^(1/decay) */
            x = 0.5 + uniform() * 0.5;
            y = -(1.25 + uniform() * 8.75);
            break;
        default: /* anything whose result stays normal */
            x = exp((uniform() - 0.5) * 40.0);
            y = (uniform() - 0.5) * 40.0;
            break;
        }
        double want = pow(x, y);
        if (!(fabs(want) >= DBL_MIN && fabs(want) <= DBL_MAX))
            continue;
        sweep_add(&s, alliance__det_pow(x, y), want, x, y);
    }
    sweep_report("pow", &s);
}
END_TEST

/* ---- exact values ---- */

START_TEST(exact_powers_are_exact)
{
    for (int k = -1022; k <= 1023; k++)
        ck_assert_msg(alliance__det_pow(2.0, k) == ldexp(1.0, k), "2^%d", k);
    double ten = 1.0;
    for (int k = 0; k <= 22; k++, ten *= 10.0) /* 10^k is a double up to 10^22 */
        ck_assert_msg(alliance__det_pow(10.0, k) == ten, "10^%d = %a", k, alliance__det_pow(10.0, k));
    ck_assert(alliance__det_pow(4.0, 0.5) == 2.0);
    ck_assert(alliance__det_pow(0.25, -0.5) == 2.0);
    ck_assert(alliance__det_pow(9.0, 1.5) == 27.0);
    for (int k = -1022; k <= 1023; k++)
        ck_assert_msg(alliance__det_log(ldexp(1.0, k)) == (double)k * 0x1.62e42fefa39efp-1 ||
                          ulps_apart(alliance__det_log(ldexp(1.0, k)), log(ldexp(1.0, k))) == 0,
                      "ln 2^%d", k);
}
END_TEST

START_TEST(special_values)
{
    ck_assert(alliance__det_exp(0.0) == 1.0);
    ck_assert(alliance__det_exp(-0.0) == 1.0);
    ck_assert(alliance__det_exp(INFINITY) == INFINITY);
    ck_assert(alliance__det_exp(-INFINITY) == 0.0);
    ck_assert(isnan(alliance__det_exp(NAN)));
    ck_assert(alliance__det_exp(709.79) == INFINITY);   /* past DBL_MAX */
    ck_assert(alliance__det_exp(710.0) == INFINITY);
    ck_assert(alliance__det_exp(-746.0) == 0.0);
    ck_assert(alliance__det_exp(-745.0) == 0x1p-1074); /* the smallest subnormal */
    ck_assert(alliance__det_exp(709.7) < DBL_MAX);

    ck_assert(alliance__det_log(1.0) == 0.0);
    ck_assert(alliance__det_log(0.0) == -INFINITY);
    ck_assert(alliance__det_log(-0.0) == -INFINITY);
    ck_assert(alliance__det_log(INFINITY) == INFINITY);
    ck_assert(isnan(alliance__det_log(-1.0)));
    ck_assert(isnan(alliance__det_log(-INFINITY)));
    ck_assert(isnan(alliance__det_log(NAN)));
    ck_assert(alliance__det_log(DBL_MAX) == log(DBL_MAX));
    ck_assert(alliance__det_log(0x1p-1074) == log(0x1p-1074));

    const double any[] = { 0.0, 0.5, 1.0, 2.0, INFINITY, NAN, -3.0 };
    for (size_t i = 0; i < sizeof any / sizeof any[0]; i++) {
        ck_assert(alliance__det_pow(any[i], 0.0) == 1.0);
        ck_assert(alliance__det_pow(any[i], -0.0) == 1.0);
        ck_assert(alliance__det_pow(1.0, any[i]) == 1.0);
    }
    ck_assert(alliance__det_pow(0.0, 2.0) == 0.0);
    ck_assert(alliance__det_pow(0.0, -1.0) == INFINITY);
    ck_assert(alliance__det_pow(INFINITY, 0.5) == INFINITY);
    ck_assert(alliance__det_pow(INFINITY, -0.5) == 0.0);
    ck_assert(alliance__det_pow(2.0, INFINITY) == INFINITY);
    ck_assert(alliance__det_pow(2.0, -INFINITY) == 0.0);
    ck_assert(alliance__det_pow(0.5, INFINITY) == 0.0);
    ck_assert(alliance__det_pow(0.5, -INFINITY) == INFINITY);
    ck_assert(alliance__det_pow(2.0, 1024.0) == INFINITY);
    ck_assert(alliance__det_pow(2.0, -1075.0) == 0.0);
    ck_assert(alliance__det_pow(2.0, 1e300) == INFINITY);
    ck_assert(alliance__det_pow(2.0, -1e300) == 0.0);
    ck_assert(alliance__det_pow(0.5, 1e300) == 0.0);
    ck_assert(isnan(alliance__det_pow(-2.0, 0.5)));
    ck_assert(isnan(alliance__det_pow(NAN, 2.0)));
    ck_assert(isnan(alliance__det_pow(2.0, NAN)));
    ck_assert(alliance__det_pow(0x1p-1074, 0.5) == 0x1p-537);
}
END_TEST

/* ---- pinned bits: the same in every build (plain -O2, -O0 with sanitizers,
 * GCC or Clang); values first printed by this implementation, each within an
 * ulp of glibc (the sweeps above). ---- */

static const struct { double x; uint64_t bits; } exp_pins[] = {
    { -0x1.748p+9, UINT64_C(0x0000000000000001) },
    { -0x1.5e4p+9, UINT64_C(0x00c4ff475c68ca02) },
    { -0x1.44p+4, UINT64_C(0x3e1b93de1e27ca3b) },
    { -0x1p+0, UINT64_C(0x3fd78b56362cef38) },
    { -0x1.af8e8210a415cp-4, UINT64_C(0x3feccccccccccccd) },
    { -0x1.b7cdfd9d7bdbbp-34, UINT64_C(0x3feffffffff24190) },
    { 0x1.56e1fc2f8f359p-997, UINT64_C(0x3ff0000000000000) },
    { 0x1p-1, UINT64_C(0x3ffa61298e1e069c) },
    { 0x1.62e42fefa39efp-1, UINT64_C(0x4000000000000000) },
    { 0x1p+0, UINT64_C(0x4005bf0a8b145769) },
    { 0x1.df487fcb923a3p+0, UINT64_C(0x401a02a5fffcdc30) },
    { 0x1.8p+1, UINT64_C(0x403415e5bf6fb106) },
    { 0x1.8p+3, UINT64_C(0x4103de1654d37c9a) },
    { 0x1.9p+6, UINT64_C(0x48f3494a9b171bf5) },
    { 0x1.62d999999999ap+9, UINT64_C(0x7fed75ae7a50ee14) },
};
static const struct { double x; uint64_t bits; } log_pins[] = {
    { 0x0.0000000000001p-1022, UINT64_C(0xc0874385446d71c3) },
    { 0x1.56e1fc2f8f359p-997, UINT64_C(0xc085963447f87fb5) },
    { 0x1.0624dd2f1a9fcp-10, UINT64_C(0xc01ba18a998fffa0) },
    { 0x1.999999999999ap-4, UINT64_C(0xc0026bb1bbb55515) },
    { 0x1p-1, UINT64_C(0xbfe62e42fefa39ef) },
    { 0x1.ccccccccccccdp-1, UINT64_C(0xbfbaf8e8210a415c) },
    { 0x1.ffffffaa19c47p-1, UINT64_C(0xbe45798ee5cd2b2a) },
    { 0x1.0000002af31dcp+0, UINT64_C(0x3e45798ede32d4d7) },
    { 0x1.8p+0, UINT64_C(0x3fd9f323ecbf984c) },
    { 0x1p+1, UINT64_C(0x3fe62e42fefa39ef) },
    { 0x1.5bf0a8b145769p+1, UINT64_C(0x3ff0000000000000) },
    { 0x1.4p+3, UINT64_C(0x40026bb1bbb55516) },
    { 0x1.1d28p+15, UINT64_C(0x4025029836697424) },
    { 0x1.7e43c8800759cp+996, UINT64_C(0x4085963447f87fb5) },
};
static const struct { double x, y; uint64_t bits; } pow_pins[] = {
    { 0x1.ccccccccccccdp-1, -0x1.9f0b9f0b9f0bap+2, UINT64_C(0x3fffaf7fce4410f7) },
    { 0x1.ccccccccccccdp-1, -0x1.4p+3, UINT64_C(0x4006f19b4c926160) },
    { 0x1.ccccccccccccdp-1, -0x1.4p+0, UINT64_C(0x3ff24094a9036a8d) },
    { 0x1.1d28p+15, -0x1.5532617c1bda5p-3, UINT64_C(0x3fc63d673a5ee32d) },
    { 0x1.0624dd2f1a9fcp-10, -0x1.5532617c1bda5p-3, UINT64_C(0x4009495ce4e6453f) },
    { 0x1.4p+3, -0x1.f6fd21ff2e48fp-5, UINT64_C(0x3febc7f86f911654) },
    { 0x1.1d2ap+15, 0x1.0d35a858793dep-2, UINT64_C(0x402fa802273c5046) },
    { 0x1.000001ad7f29bp+0, -0x1.3bcd35a858794p-3, UINT64_C(0x3feffffff7b8b103) },
    { 0x1.d1a94a2p+42, -0x1.999999999999ap-1, UINT64_C(0x3dca29e308a7aed8) },
    { 0x1p+1, 0x1p-1, UINT64_C(0x3ff6a09e667f3bcd) },
    { 0x1.56e1fc2f8f359p-997, -0x1.4p+3, UINT64_C(0x7ff0000000000000) },
    { 0x1.8p+1, 0x1.79ca10c924223p-67, UINT64_C(0x3ff0000000000000) },
    { 0x1.6666666666666p-1, -0x1.9f0b9f0b9f0bap+2, UINT64_C(0x402435f335b1ea66) },
};

START_TEST(outputs_are_pinned_to_the_bit)
{
    for (size_t i = 0; i < sizeof exp_pins / sizeof exp_pins[0]; i++)
        ck_assert_msg(bits_of(alliance__det_exp(exp_pins[i].x)) == exp_pins[i].bits, "exp(%a) = %a", exp_pins[i].x,
                      alliance__det_exp(exp_pins[i].x));
    for (size_t i = 0; i < sizeof log_pins / sizeof log_pins[0]; i++)
        ck_assert_msg(bits_of(alliance__det_log(log_pins[i].x)) == log_pins[i].bits, "log(%a) = %a", log_pins[i].x,
                      alliance__det_log(log_pins[i].x));
    for (size_t i = 0; i < sizeof pow_pins / sizeof pow_pins[0]; i++)
        ck_assert_msg(bits_of(alliance__det_pow(pow_pins[i].x, pow_pins[i].y)) == pow_pins[i].bits, "pow(%a, %a) = %a",
                      pow_pins[i].x, pow_pins[i].y, alliance__det_pow(pow_pins[i].x, pow_pins[i].y));
}
END_TEST

/* ---- the environment check ---- */

START_TEST(the_default_environment_is_accepted_and_others_are_not)
{
    ck_assert_int_eq(alliance__detmath_env_ok(), 1);
    const int modes[] = { FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO };
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        ck_assert_int_eq(fesetround(modes[i]), 0);
        int ok = alliance__detmath_env_ok();
        ck_assert_int_eq(fesetround(FE_TONEAREST), 0);
        ck_assert_msg(ok == 0, "rounding mode %d accepted", modes[i]);
    }
    ck_assert_int_eq(alliance__detmath_env_ok(), 1);
}
END_TEST

static Suite *detmath_suite(void)
{
    Suite *s = suite_create("detmath");
    TCase *tc = tcase_create("accuracy");
    tcase_add_test(tc, exp_is_within_one_ulp_of_libm);
    tcase_add_test(tc, log_is_within_one_ulp_of_libm);
    tcase_add_test(tc, pow_is_within_one_ulp_of_libm);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);

    tc = tcase_create("exact");
    tcase_add_test(tc, exact_powers_are_exact);
    tcase_add_test(tc, special_values);
    tcase_add_test(tc, outputs_are_pinned_to_the_bit);
    tcase_add_test(tc, the_default_environment_is_accepted_and_others_are_not);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return alliance_test_run(detmath_suite());
}
