/*
 * Statistics for the aggregation engine: pure functions on integer counts.
 * Internal (csat__ prefix, hidden). No allocation, no I/O, no globals.
 *
 * libm decision: NOT needed. sqrt, log and exp are implemented here
 * (csat__stats_sqrt, csat__stats_log, csat__stats_exp; exact to a few ulps, tested) so the
 * shared library keeps libc.so.6 as its only NEEDED entry and
 * tests/check_exports.sh stays as it is. Do not call <math.h> functions from
 * the aggregation code; use these.
 *
 * Conventions: a share is k/n with k <= n (k > n is clamped to n); n == 0
 * gives the "no information" answer documented per function, never NaN.
 * Every output pointer must be valid unless marked "may be NULL".
 * SPDX-License-Identifier: MIT
 */
#ifndef CSAT_AGG_STATS_H
#define CSAT_AGG_STATS_H

#include <stddef.h>
#include <stdint.h>

/* ---- elementary functions (no libm) ------------------------------------ */
/* sqrt(x); x <= 0 (or NaN) gives 0. Correctly rounded or within 1 ulp. */
double csat__stats_sqrt(double x);
/* Natural logarithm; x <= 0 gives -1e308 (a finite "minus infinity"). Within
 * 2 ulp for normal x. */
double csat__stats_log(double x);
/* e^x; x < -745 gives 0, x > 709.7 gives 1e308 (finite). Within 2 ulp. */
double csat__stats_exp(double x);

/* ---- normal distribution ------------------------------------------------ */
/* erfc(x): relative error < 1e-14 for x >= 0 (3e-15 measured against 200-bit
 * references), absolute < 1e-15 for x < 0; 0 beyond x = 27.3 (underflow). */
double csat__stats_erfc(double x);
/* Standard normal CDF P(Z <= z); absolute error < 1e-15, relative error
 * < 1e-14 in the lower tail down to 1e-308 (so tiny p-values keep their
 * digits). normal_cdf(1.96) = 0.9750021048517795. */
double csat__stats_normal_cdf(double z);
/* Two-sided p-value of a z statistic: 2 * P(Z >= |z|), in [0, 1]. */
double csat__stats_normal_p2(double z);
/* Quantile: z with normal_cdf(z) == p, for 0 < p < 1 (|error| < 1e-12);
 * p <= 0 gives -40, p >= 1 gives 40. csat__stats_normal_quantile(0.975) is the
 * 1.959963984540054 of a 95% interval. */
double csat__stats_normal_quantile(double p);

/* ---- shares ------------------------------------------------------------- */
/* Wilson score interval for k successes in n at critical value z (1.96 for
 * 95%). n == 0 gives [0, 1]. k == 0 gives lo exactly 0, k == n hi exactly 1. */
void csat__stats_wilson(uint64_t k, uint64_t n, double z, double *lo, double *hi);

/* Two-proportion z test, pooled variance: z = (p1 - p2) / se, so z > 0 when
 * share 1 is larger. n1 == 0 or n2 == 0, or a pooled share of 0 or 1, gives
 * z = 0, p = 1. */
void csat__stats_two_prop_test(uint64_t k1, uint64_t n1, uint64_t k2, uint64_t n2, double *z,
                               double *p_two_sided);

/* ---- NPS ---------------------------------------------------------------- */
/* NPS = 100 * (prom - det) / n in -100..100 with the adjusted-Wald interval
 * of Rocks (2016): with n' = n + 3, pP = (prom + 3/4) / n',
 * pD = (det + 3/4) / n',
 *   100 (pP - pD) +/- z * 100 * sqrt((pP + pD - (pP - pD)^2) / n'),
 * clamped to -100..100 (the variance of the difference of two shares of one
 * multinomial, at the adjusted shares). The interval is centred on the
 * adjusted NPS, not on *nps; it never has width zero (27 promoters of 27:
 * [76.6, 100]) and from n = 2 on it holds *nps (one promoter alone gives
 * [-48.5, 98.5]). n == 0 gives nps 0 and [-100, 100]. prom + det > n is
 * clamped. */
void csat__stats_nps(uint64_t prom, uint64_t det, uint64_t n, double z, double *nps, double *lo,
                     double *hi);
/* z test of NPS1 - NPS2 (z > 0 when sample 1 scores higher). Variance under
 * the null of one common distribution (pooled promoter and detractor shares):
 * (pP + pD - (pP - pD)^2) * (1/n1 + 1/n2). Either n == 0 or a zero variance
 * gives z = 0, p = 1. */
void csat__stats_nps_z_test(uint64_t p1, uint64_t d1, uint64_t n1, uint64_t p2, uint64_t d2,
                            uint64_t n2, double *z, double *p_two_sided);

/* ---- control charts ----------------------------------------------------- */
#define CSAT__ALARM_HIGH 1u /* above the upper control limit (share jumped) */
#define CSAT__ALARM_LOW 2u  /* below the lower control limit */

/* p-chart. The centre line is the pooled share of the baseline periods
 * p = sum k[0..b) / sum n[0..b), where b = baseline, or every period when
 * baseline == 0 or baseline > periods. For each period i with n[i] > 0:
 *   UCL_i = p + sigma * sqrt(p (1 - p) / n[i]),  LCL_i = p - (same)
 * flags[i] = CSAT__ALARM_HIGH when k[i]/n[i] > UCL_i, CSAT__ALARM_LOW when
 * k[i]/n[i] < LCL_i, else 0; periods with n[i] == 0 get 0. When the
 * baseline holds no answers nothing is flagged. Two small-sample guards: the
 * width sqrt(p (1 - p)) uses (K + 1/2) / (N + 1) instead of p when the
 * baseline's K events of N are 0 or N (else the limits have width zero and
 * the first event alarms), and for n[i] <= 100000 an alarm also needs the
 * exact binomial tail of k[i] (under that share) below Phi(-sigma), the tail
 * the normal limits promise. ucl and lcl (may be NULL)
 * receive the limits, clamped to [0, 1] (1 and 0 when n[i] == 0).
 * *center (may be NULL) receives p. Returns the number of HIGH alarms. */
size_t csat__stats_pchart(const uint64_t *k, const uint64_t *n, size_t periods, size_t baseline,
                          double sigma, uint8_t *flags, double *ucl, double *lcl, double *center);

/* EWMA chart of the per-period share p_i = k[i]/n[i] around the target p0,
 * the pooled share of the baseline periods (as for the p-chart):
 *   z_i = lambda p_i + (1 - lambda) z_{i-1},   z_{-1} = p0
 *   v_i = lambda^2 p0 (1 - p0) / n[i] + (1 - lambda)^2 v_{i-1},  v_{-1} = 0
 * (p0 (1 - p0) in v_i is replaced by the p-chart's width share w when the
 * baseline is all 0 or all 1, for the same reason, and an alarm needs the
 * normal approximation to hold: the effective sample w (1 - w) / v_i holds
 * at least 5 expected events and 5 non-events;
 * v_i is the exact variance of z_i for independent periods of unequal size;
 * with equal n it is the textbook time-varying limit). flags[i] =
 * CSAT__ALARM_HIGH when z_i > p0 + L sqrt(v_i), LOW when z_i < p0 - L sqrt(v_i).
 * A period with n[i] == 0 carries z and v over unchanged and gets no flag.
 * lambda outside (0, 1] is taken as 0.2; L <= 0 as 3. ewma (may be NULL)
 * receives z_i; ucl (may be NULL) p0 + L sqrt(v_i) clamped to [0, 1].
 * No answers in the baseline: nothing flagged. Returns the HIGH alarms. */
size_t csat__stats_ewma(const uint64_t *k, const uint64_t *n, size_t periods, size_t baseline,
                        double lambda, double L, double *ewma, double *ucl, uint8_t *flags);

/* ---- empirical Bayes ---------------------------------------------------- */
/* Normal-normal empirical Bayes by the method of moments (one-way random
 * effects ANOVA) over `groups` groups of answers, group g holding n[g]
 * answers with sum[g] and sum of squares sumsq[g] (a share: sum = sumsq = k).
 *   mu     = sum of all answers / all answers               (prior mean)
 *   sigma2 = sum_g (sumsq - sum^2/n) / (N - G)              (within-group)
 *   tau2   = max(0, (sum_g n (mean_g - mu)^2 - (G - 1) sigma2)
 *                   / (N - sum_g n^2 / N))                  (prior variance)
 * (G, N: groups with n > 0 and their answers.) shrunk_mean[g] =
 * mu + w (mean_g - mu) with w = n / (n + sigma2 / tau2) (w = 1 when sigma2
 * is 0, w = 0 when tau2 is 0); groups with n == 0 get mu. Fewer than two
 * non-empty groups: tau2 = 0 is unknown, each group keeps its own mean
 * (mu is still reported). N == G (one answer per group) leaves sigma2
 * unknown: everyone is shrunk fully to mu (an honest "cannot tell").
 * prior_mean, prior_var, within_var may be NULL. Returns the number of
 * non-empty groups. Exact 128-bit arithmetic for sumsq * n - sum^2. */
size_t csat__stats_eb_shrink(const int64_t *sum, const int64_t *sumsq, const uint64_t *n,
                             size_t groups, double *shrunk_mean, double *prior_mean,
                             double *prior_var, double *within_var);

/* ---- rounding ----------------------------------------------------------- */
/* Round to `digits` decimals (clamped to 0..15), halves away from zero. A
 * value within 4 ulps of a decimal half counts as the half, so 2.675 (stored
 * as 2.67499999...) gives 2.68 and -0.125 gives -0.13. |x| >= 2^52 / 10^digits
 * and non-finite values are returned unchanged. */
double csat__stats_round_half_away(double x, int digits);
/* Exact: num / den * 10^digits rounded half away from zero, as an integer
 * (the value in units of 10^-digits). den == 0 gives 0; digits clamped to
 * 0..18; saturates at INT64_MIN/INT64_MAX. Use it for means of integer
 * scores: csat__stats_round_ratio(sum, n, 2) == 268 for 107/40. */
int64_t csat__stats_round_ratio(int64_t num, uint64_t den, int digits);
/* Exact: (num_b / den_b - num_a / den_a) * 10^digits rounded half away
 * from zero, in units of 10^-digits: the printed difference of two ratios
 * (the difference of their doubles can land on the wrong side of a tie).
 * A zero den, or a ratio of magnitude 2^62 / 10^digits or more, gives 0. */
int64_t csat__stats_round_ratio_diff(int64_t num_b, uint64_t den_b, int64_t num_a, uint64_t den_a,
                                     int digits);

#endif /* CSAT_AGG_STATS_H */
