/*
 * Reports of the aggregation engine (agg_report.c): the number formatter is
 * internal but reachable from the unit tests.
 * SPDX-License-Identifier: MIT
 */
#ifndef CSAT_AGG_REPORT_H
#define CSAT_AGG_REPORT_H

#include <stddef.h>
#include <stdint.h>

/* Longest text csat__agg_fmt_fixed writes (sign, 309 integer digits, point, 9
 * decimals), without a NUL. */
#define CSAT__FMT_FIXED_MAX 330

/* The exact binary value of x rounded half away from zero to `decimals`
 * places (clamped to 0..9), written as plain decimal digits with '.' (never a
 * locale's comma, never an exponent) into dst[CSAT__FMT_FIXED_MAX]; no NUL.
 * A result of zero has no sign. Returns the length, or 0 for NaN and
 * infinities (nothing written). Independent of libm and of the C library's
 * printf. */
size_t csat__agg_fmt_fixed(char *dst, double x, int decimals);

/* `units` in units of 10^-decimals (decimals 0..18) as a decimal number:
 * csat__agg_fmt_units(buf, -5, 2) writes "-0.05". dst[24 + decimals]; no NUL. */
size_t csat__agg_fmt_units(char *dst, int64_t units, int decimals);

#endif /* CSAT_AGG_REPORT_H */
