#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Derives the constants of lib/core/detmath.c from exact rational arithmetic.

Run it to check them: it prints every constant as a C99 hexadecimal literal
(float(Fraction) rounds to the nearest double, ties to even, exactly).
ln 2 comes from the series ln 2 = sum 1/(k 2^k), summed far past double precision.
"""
from fractions import Fraction
from math import factorial


def ln2(bits=200):
    total, k = Fraction(0), 1
    while k <= bits:
        total += Fraction(1, k * 2 ** k)
        k += 1
    return total


def hexf(q):
    return float(q).hex()


L = ln2()
# ln 2 cut to 32 significant bits (a multiple of 2^-33): k * LN2_HI is exact for |k| < 2^21.
ln2_hi = Fraction(round(L * 2 ** 33), 2 ** 33)
ln2_lo = float(L - ln2_hi)
print("LN2_HI  ", hexf(ln2_hi))
print("LN2_LO  ", ln2_lo.hex())
print("INV_LN2 ", hexf(1 / L))
# sqrt(2), to split the mantissa at the geometric middle of [1, 2).
lo, hi = Fraction(1), Fraction(2)
for _ in range(120):
    mid = (lo + hi) / 2
    lo, hi = (mid, hi) if mid * mid < 2 else (lo, mid)
print("SQRT2   ", hexf(lo))
for j in range(3, 15):
    print("1/%d!" % j, hexf(Fraction(1, factorial(j))))
for k in range(1, 12):
    print("1/%d" % (2 * k + 1), hexf(Fraction(1, 2 * k + 1)))
