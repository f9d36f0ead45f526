/* SPDX-License-Identifier: MIT */
/*
 * detmath.h - exp, log and pow that give the same bits on every platform.
 *
 * Built only from IEEE-754 double +, -, *, / (correctly rounded by the
 * standard) with contraction off, a fixed argument reduction and a fixed
 * polynomial, so that no libm decides a schedule (docs/fsrs.md, "Determinism").
 * Requires FLT_EVAL_METHOD == 0 (checked when compiling) and, at run time,
 * the default floating-point environment (alliance__detmath_env_ok).
 */
#ifndef ALLIANCE_DETMATH_H
#define ALLIANCE_DETMATH_H

/* e^x. Error below 1 ulp (tests/test_detmath.c measures it against libm);
 * overflow gives +inf, underflow 0 (gradually, through the subnormals). */
double alliance__det_exp(double x);

/* Natural logarithm. x < 0 or NaN gives NaN, 0 gives -inf, +inf gives +inf. */
double alliance__det_log(double x);

/* x^y for x >= 0 (all that FSRS needs; x < 0 gives NaN). pow(x, 0) = 1 and
 * pow(1, y) = 1 for every y, NaN included; otherwise NaN in gives NaN out.
 * Computed as e^(y ln x) with ln x and the product carried in double-double,
 * so that a large |y ln x| does not magnify the error. */
double alliance__det_pow(double x, double y);

/* 1 when the floating-point environment is the one the functions above are
 * exact in: round to nearest, subnormals kept (no flush-to-zero or
 * denormals-are-zero, as -ffast-math's startup code sets), no contraction of
 * a*b+c into a fused multiply-add. Cheap (a few volatile operations). */
int alliance__detmath_env_ok(void);

#endif
