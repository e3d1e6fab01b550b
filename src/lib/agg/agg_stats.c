/*
 * Statistics for the aggregation engine (see agg_stats.h). Elementary
 * functions are written here so the library needs no libm.
 * SPDX-License-Identifier: MIT
 */
#include "agg_stats.h"

#include <string.h>

/* ---- bits of a double --------------------------------------------------- */
static uint64_t dbits(double x) {
  uint64_t u;
  memcpy(&u, &x, sizeof u);
  return u;
}

static double bitsd(uint64_t u) {
  double x;
  memcpy(&x, &u, sizeof x);
  return x;
}

/* 2^e for -1022 <= e <= 1023. */
static double pow2i(int e) { return bitsd((uint64_t)(e + 1023) << 52); }

#define DBL_BIG 1e308
#define TWO54 18014398509481984.0         /* 2^54 */
#define LN2_HI 6.93147180369123816490e-01 /* ln 2, high part: k * LN2_HI is exact */
#define LN2_LO 1.90821492927058770002e-10 /* ln 2 - LN2_HI */
#define INV_SQRT2 0.70710678118654752440
#define INV_SQRT_PI 0.56418958354775628695
#define INV_SQRT_2PI 0.39894228040143267794

static int not_finite(double x) { return ((dbits(x) >> 52) & 0x7FF) == 0x7FF; }

double csat__stats_sqrt(double x) {
  double y, scale = 1.0;
  int i;
  if (!(x > 0.0))
    return 0.0;
  if (not_finite(x))
    return x;
  if (x < 1e-300) { /* subnormal or near: scale into the normal range */
    x *= TWO54 * TWO54;
    scale = 1.0 / TWO54;
  }
  /* Halving the exponent gives a guess within 6%; Newton doubles the digits. */
  y = bitsd((dbits(x) >> 1) + 0x1FF8000000000000ull);
  for (i = 0; i < 6; i++)
    y = 0.5 * (y + x / y);
  return y * scale;
}

double csat__stats_log(double x) {
  uint64_t u;
  int e;
  double m, s, s2, p;
  if (!(x > 0.0))
    return -DBL_BIG;
  if (not_finite(x))
    return x;
  e = 0;
  if (x < 2.2250738585072014e-308) { /* subnormal */
    x *= TWO54;
    e = -54;
  }
  u = dbits(x);
  e += (int)((u >> 52) & 0x7FF) - 1023;
  m = bitsd((u & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull); /* [1, 2) */
  if (m > 1.4142135623730951) {
    m *= 0.5;
    e++;
  }
  /* log m = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.1716. */
  s = (m - 1.0) / (m + 1.0);
  s2 = s * s;
  p = 1.0 / 23;
  p = p * s2 + 1.0 / 21;
  p = p * s2 + 1.0 / 19;
  p = p * s2 + 1.0 / 17;
  p = p * s2 + 1.0 / 15;
  p = p * s2 + 1.0 / 13;
  p = p * s2 + 1.0 / 11;
  p = p * s2 + 1.0 / 9;
  p = p * s2 + 1.0 / 7;
  p = p * s2 + 1.0 / 5;
  p = p * s2 + 1.0 / 3;
  p = p * s2;
  /* 2s(1 + p) = 2s + 2sp: the small part is added last. */
  return (double)e * LN2_HI + ((double)e * LN2_LO + (2.0 * s + 2.0 * s * p));
}

double csat__stats_exp(double x) {
  double kd, r, p;
  int k, i;
  if (x != x)
    return x;
  if (x > 709.782712893384)
    return DBL_BIG;
  if (x < -745.2)
    return 0.0;
  kd = x * 1.4426950408889634 + (x < 0 ? -0.5 : 0.5);
  k = (int)kd; /* truncation toward zero of x/ln2 +- 0.5: nearest integer */
  r = (x - (double)k * LN2_HI) - (double)k * LN2_LO; /* |r| <= 0.347 */
  /* Taylor to degree 17: the remainder is below 1e-22. */
  p = 1.0;
  for (i = 17; i >= 1; i--)
    p = 1.0 + p * r / (double)i;
  if (k > 1023)
    return p * pow2i(1023) * pow2i(k - 1023);
  if (k < -1021)
    return p * pow2i(k + 54) * (1.0 / TWO54);
  return p * pow2i(k);
}

/* ---- normal distribution ------------------------------------------------ */

/* e^(-x*x*c) without losing the rounding error of x*x (it matters for large
 * x): x = h + l with h holding 26 bits, so h*h is exact. c is 1 or 1/2. */
static double exp_neg_sq(double x, double c) {
  double h = bitsd(dbits(x) & 0xFFFFFFFFF8000000ull), l = x - h;
  return csat__stats_exp(-h * h * c) * csat__stats_exp(-l * (x + h) * c);
}

/* erf(x) for 0 <= x < 1 by the series with positive terms
 * erf x = 2/sqrt(pi) e^(-x^2) sum_n 2^n x^(2n+1) / (1*3*...*(2n+1)). */
static double erf_series(double x) {
  double t = x, sum = x, x2 = 2.0 * x * x;
  int n;
  for (n = 1; n < 200; n++) {
    t *= x2 / (double)(2 * n + 1);
    sum += t;
    if (t < sum * 1e-17)
      break;
  }
  return 2.0 * INV_SQRT_PI * exp_neg_sq(x, 1.0) * sum;
}

/* erfc(x) for x >= 1 by Laplace's continued fraction
 * sqrt(pi) e^(x^2) erfc x = 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))),
 * evaluated backwards from a depth that converges below 1e-18. */
static double erfc_cf(double x) {
  int n = x < 2.0 ? 250 : x < 3.0 ? 120 : x < 5.0 ? 60 : 30;
  double f = x;
  for (; n >= 1; n--)
    f = x + 0.5 * (double)n / f;
  return INV_SQRT_PI * exp_neg_sq(x, 1.0) / f;
}

double csat__stats_erfc(double x) {
  if (x != x)
    return 1.0;
  if (x < 0.0)
    return 2.0 - csat__stats_erfc(-x);
  if (x < 1.0)
    return 1.0 - erf_series(x);
  if (x > 27.3)
    return 0.0;
  return erfc_cf(x);
}

/* Upper tail P(Z >= t), t >= 0. From t = 2.5 on by the continued fraction of
 * Mills' ratio, Q(t) = phi(t) / (t + 1/(t + 2/(t + 3/(t + ...)))), which
 * avoids rounding t / sqrt(2) (that error grows with t^2 in the tail). */
static double normal_upper(double t) {
  int n;
  double f;
  if (t < 2.5)
    return 0.5 * csat__stats_erfc(t * INV_SQRT2);
  if (t > 38.5)
    return 0.0;
  n = t < 4.0 ? 120 : t < 6.0 ? 60 : 30;
  f = t;
  for (; n >= 1; n--)
    f = t + (double)n / f;
  return INV_SQRT_2PI * exp_neg_sq(t, 0.5) / f;
}

double csat__stats_normal_cdf(double z) {
  if (z != z)
    return 0.5;
  if (z <= -2.5)
    return normal_upper(-z);
  return 0.5 * csat__stats_erfc(-z * INV_SQRT2);
}

double csat__stats_normal_p2(double z) {
  double p;
  if (z != z)
    return 1.0;
  if (z < 0)
    z = -z;
  p = 2.0 * normal_upper(z);
  return p > 1.0 ? 1.0 : p;
}

double csat__stats_normal_quantile(double p) {
  double q, t, x;
  int i, lower;
  if (!(p > 0.0))
    return -40.0;
  if (p >= 1.0)
    return 40.0;
  lower = p < 0.5;
  q = lower ? p : 1.0 - p; /* upper tails lose digits in 1 - p; Newton fixes the rest */
  /* Starting point: a classical rational approximation (|error| < 5e-4). */
  t = csat__stats_sqrt(-2.0 * csat__stats_log(q));
  x = t - (2.515517 + t * (0.802853 + t * 0.010328)) /
              (1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308)));
  x = -x; /* the lower-tail quantile of q */
  /* Newton on the lower tail: relative accuracy there is good. */
  for (i = 0; i < 8; i++) {
    double f = csat__stats_normal_cdf(x) - q;
    double d = INV_SQRT_2PI * csat__stats_exp(-0.5 * x * x);
    double step;
    if (d <= 0.0)
      break;
    step = f / d;
    x -= step;
    if (step < 1e-15 && step > -1e-15)
      break;
  }
  return lower ? x : -x;
}

/* ---- shares ------------------------------------------------------------- */

void csat__stats_wilson(uint64_t k, uint64_t n, double z, double *lo, double *hi) {
  double nd, p, z2, den, center, half, l, h;
  if (n == 0) {
    *lo = 0.0;
    *hi = 1.0;
    return;
  }
  if (k > n)
    k = n;
  if (z < 0)
    z = -z;
  if (z != z) /* NaN: no width rather than NaN limits */
    z = 0.0;
  nd = (double)n;
  p = (double)k / nd;
  z2 = z * z;
  den = 1.0 + z2 / nd;
  center = (p + z2 / (2.0 * nd)) / den;
  half = z / den * csat__stats_sqrt(p * (1.0 - p) / nd + z2 / (4.0 * nd * nd));
  l = center - half;
  h = center + half;
  *lo = k == 0 || l < 0.0 ? 0.0 : l;
  *hi = k == n || h > 1.0 ? 1.0 : h;
}

void csat__stats_two_prop_test(uint64_t k1, uint64_t n1, uint64_t k2, uint64_t n2, double *z,
                               double *p_two_sided) {
  double p1, p2, p, se;
  *z = 0.0;
  *p_two_sided = 1.0;
  if (n1 == 0 || n2 == 0)
    return;
  if (k1 > n1)
    k1 = n1;
  if (k2 > n2)
    k2 = n2;
  p1 = (double)k1 / (double)n1;
  p2 = (double)k2 / (double)n2;
  p = ((double)k1 + (double)k2) / ((double)n1 + (double)n2);
  se = csat__stats_sqrt(p * (1.0 - p) * (1.0 / (double)n1 + 1.0 / (double)n2));
  if (!(se > 0.0))
    return;
  *z = (p1 - p2) / se;
  *p_two_sided = csat__stats_normal_p2(*z);
}

/* ---- NPS ---------------------------------------------------------------- */

static void nps_clamp(uint64_t *prom, uint64_t *det, uint64_t n) {
  if (*prom > n)
    *prom = n;
  if (*det > n - *prom)
    *det = n - *prom;
}

/* Variance of one answer's (promoter - detractor) value: pP + pD - (pP - pD)^2. */
static double nps_unit_var(double pp, double pd) {
  double v = pp + pd - (pp - pd) * (pp - pd);
  return v > 0.0 ? v : 0.0;
}

/* Adjusted-Wald interval (Rocks 2016, "Interval Estimation for the 'Net
 * Promoter Score'", The American Statistician 70(4); as Sauro and Lewis
 * restate it: add 3 to n and 3/4 to each of promoters and detractors). The
 * plain Wald interval has width zero at 0 or n promoters and undercovers
 * with small n; the pseudo-counts fix both, as Wilson does for shares. The
 * point estimate stays the observed NPS; the interval is centred on the
 * adjusted one. */
#define NPS_ADD_N 3.0
#define NPS_ADD_PD 0.75

void csat__stats_nps(uint64_t prom, uint64_t det, uint64_t n, double z, double *nps, double *lo,
                     double *hi) {
  double na, pp, pd, v, half, l, h, center;
  if (n == 0) {
    *nps = 0.0;
    *lo = -100.0;
    *hi = 100.0;
    return;
  }
  nps_clamp(&prom, &det, n);
  if (z < 0)
    z = -z;
  if (z != z)
    z = 0.0;
  *nps = 100.0 * ((double)prom - (double)det) / (double)n;
  na = (double)n + NPS_ADD_N;
  pp = ((double)prom + NPS_ADD_PD) / na;
  pd = ((double)det + NPS_ADD_PD) / na;
  center = 100.0 * (pp - pd);
  v = nps_unit_var(pp, pd);
  half = 100.0 * z * csat__stats_sqrt(v / na);
  l = center - half;
  h = center + half;
  *lo = l < -100.0 ? -100.0 : l;
  *hi = h > 100.0 ? 100.0 : h;
}

void csat__stats_nps_z_test(uint64_t p1, uint64_t d1, uint64_t n1, uint64_t p2, uint64_t d2,
                            uint64_t n2, double *z, double *p_two_sided) {
  double pp, pd, se, diff;
  *z = 0.0;
  *p_two_sided = 1.0;
  if (n1 == 0 || n2 == 0)
    return;
  nps_clamp(&p1, &d1, n1);
  nps_clamp(&p2, &d2, n2);
  pp = ((double)p1 + (double)p2) / ((double)n1 + (double)n2);
  pd = ((double)d1 + (double)d2) / ((double)n1 + (double)n2);
  se = csat__stats_sqrt(nps_unit_var(pp, pd) * (1.0 / (double)n1 + 1.0 / (double)n2));
  if (!(se > 0.0))
    return;
  diff = ((double)p1 - (double)d1) / (double)n1 - ((double)p2 - (double)d2) / (double)n2;
  *z = diff / se;
  *p_two_sided = csat__stats_normal_p2(*z);
}

/* ---- control charts ----------------------------------------------------- */

/* Pooled share of the baseline periods; 0 when they hold no answers. */
/* Pooled share of the baseline periods into *p, and into *w the share that
 * sets the limits' width. A baseline with no event at all (or nothing but
 * events) has p = 0 (or 1) and would give limits of width zero, so the first
 * negative answer after a clean week would raise an alarm; the width comes
 * instead from (K + 1/2) / (N + 1), the share moved half an event off the
 * boundary. Returns 0 when the baseline holds no answers. */
static int baseline_share(const uint64_t *k, const uint64_t *n, size_t periods, size_t baseline,
                          double *p, double *w) {
  double sk = 0.0, sn = 0.0;
  size_t i;
  if (baseline == 0 || baseline > periods)
    baseline = periods;
  for (i = 0; i < baseline; i++) {
    sn += (double)n[i];
    sk += (double)(k[i] > n[i] ? n[i] : k[i]);
  }
  if (!(sn > 0.0)) {
    *p = 0.0;
    *w = 0.0;
    return 0;
  }
  *p = sk / sn;
  *w = (sk > 0.0 && sk < sn) ? *p : (sk + 0.5) / (sn + 1.0);
  return 1;
}

static double clamp01(double x) { return x < 0.0 ? 0.0 : x > 1.0 ? 1.0 : x; }

/* Largest n for which an alarm is confirmed by the exact binomial tail (the
 * sum costs O(n)); beyond it the normal approximation is good anyway. */
#define EXACT_TAIL_MAX 100000u

/* P(X >= x) (upper) or P(X <= x) for X ~ Binomial(m, p), 0 < p < 1, x <= m:
 * the first term in log space, then the ratio of neighbouring terms. */
static double binom_tail(uint64_t x, uint64_t m, double p, int upper) {
  double lt = 0.0, t, sum, q = 1.0 - p;
  uint64_t i, j, small = x < m - x ? x : m - x;
  for (i = 1; i <= small; i++) /* log C(m, x) */
    lt += csat__stats_log((double)(m - small + i) / (double)i);
  lt += (double)x * csat__stats_log(p) + (double)(m - x) * csat__stats_log(q);
  t = csat__stats_exp(lt);
  sum = t;
  if (upper) {
    for (j = x; j < m && t > sum * 1e-17; j++) {
      t *= (double)(m - j) / (double)(j + 1) * (p / q);
      sum += t;
    }
  } else {
    for (j = x; j > 0 && t > sum * 1e-17; j--) {
      t *= (double)j / (double)(m - j + 1) * (q / p);
      sum += t;
    }
  }
  return sum > 1.0 ? 1.0 : sum;
}

/* The normal limits promise a tail of Phi(-sigma) (0.135% at 3 sigma); with
 * few answers they do not keep it, so a period beyond them alarms only when
 * its count is that improbable under the exact binomial law too. */
static int exact_confirms(uint64_t k, uint64_t n, double w, double sigma, int upper) {
  if (n > EXACT_TAIL_MAX || !(w > 0.0 && w < 1.0))
    return 1;
  return binom_tail(k, n, w, upper) < csat__stats_normal_cdf(-sigma);
}

size_t csat__stats_pchart(const uint64_t *k, const uint64_t *n, size_t periods, size_t baseline,
                          double sigma, uint8_t *flags, double *ucl, double *lcl, double *center) {
  double p, w, sd1;
  size_t i, high = 0;
  int ok = baseline_share(k, n, periods, baseline, &p, &w);
  if (!(sigma > 0.0))
    sigma = 3.0;
  if (center)
    *center = p;
  sd1 = csat__stats_sqrt(w * (1.0 - w));
  for (i = 0; i < periods; i++) {
    double u = 1.0, l = 0.0;
    flags[i] = 0;
    if (n[i] > 0) {
      double half = sigma * sd1 / csat__stats_sqrt((double)n[i]);
      uint64_t ki = k[i] > n[i] ? n[i] : k[i];
      double share = (double)ki / (double)n[i];
      u = p + half;
      l = p - half;
      if (ok && share > u && exact_confirms(ki, n[i], w, sigma, 1)) {
        flags[i] = CSAT__ALARM_HIGH;
        high++;
      } else if (ok && share < l && exact_confirms(ki, n[i], w, sigma, 0)) {
        flags[i] = CSAT__ALARM_LOW;
      }
    }
    if (ucl)
      ucl[i] = clamp01(u);
    if (lcl)
      lcl[i] = clamp01(l);
  }
  return high;
}

size_t csat__stats_ewma(const uint64_t *k, const uint64_t *n, size_t periods, size_t baseline,
                        double lambda, double L, double *ewma, double *ucl, uint8_t *flags) {
  double p0, w, z, v = 0.0, var1, keep;
  size_t i, high = 0;
  int normal_ok;
  int ok = baseline_share(k, n, periods, baseline, &p0, &w);
  if (!(lambda > 0.0 && lambda <= 1.0))
    lambda = 0.2;
  if (!(L > 0.0))
    L = 3.0;
  keep = 1.0 - lambda;
  var1 = w * (1.0 - w); /* the width share: see baseline_share */
  z = p0;
  for (i = 0; i < periods; i++) {
    double half;
    flags[i] = 0;
    if (n[i] > 0) {
      double share = (double)(k[i] > n[i] ? n[i] : k[i]) / (double)n[i];
      z = lambda * share + keep * z;
      v = lambda * lambda * var1 / (double)n[i] + keep * keep * v;
      half = L * csat__stats_sqrt(v);
      /* The limits assume z is near normal: with var1 / v answers behind it
       * (its effective sample) that needs about 5 expected events and 5
       * non-events; with fewer, the p-chart's exact test is the judge. */
      normal_ok = var1 >= 5.0 * v / w && var1 >= 5.0 * v / (1.0 - w);
      if (ok && normal_ok && z > p0 + half) {
        flags[i] = CSAT__ALARM_HIGH;
        high++;
      } else if (ok && normal_ok && z < p0 - half) {
        flags[i] = CSAT__ALARM_LOW;
      }
    }
    half = L * csat__stats_sqrt(v);
    if (ewma)
      ewma[i] = z;
    if (ucl)
      ucl[i] = v > 0.0 ? clamp01(p0 + half) : 1.0;
  }
  return high;
}

/* ---- empirical Bayes ---------------------------------------------------- */

/* 64 x 64 -> 128 bits. */
static void mul128(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo) {
  uint64_t a0 = a & 0xFFFFFFFFu, a1 = a >> 32, b0 = b & 0xFFFFFFFFu, b1 = b >> 32;
  uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  uint64_t mid = (p00 >> 32) + (p01 & 0xFFFFFFFFu) + (p10 & 0xFFFFFFFFu);
  *lo = (mid << 32) | (p00 & 0xFFFFFFFFu);
  *hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

static uint64_t mag64(int64_t v) { return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v; }

/* n * sumsq - sum^2 (>= 0 for consistent data; clamped at 0), as a double. */
static double group_ss_times_n(int64_t sum, int64_t sumsq, uint64_t n) {
  uint64_t ah, al, bh, bl, dh, dl;
  if (sumsq <= 0)
    return 0.0;
  mul128(n, (uint64_t)sumsq, &ah, &al);
  mul128(mag64(sum), mag64(sum), &bh, &bl);
  if (ah < bh || (ah == bh && al <= bl))
    return 0.0;
  dl = al - bl;
  dh = ah - bh - (al < bl ? 1u : 0u);
  return (double)dh * 18446744073709551616.0 + (double)dl;
}

size_t csat__stats_eb_shrink(const int64_t *sum, const int64_t *sumsq, const uint64_t *n,
                             size_t groups, double *shrunk_mean, double *prior_mean,
                             double *prior_var, double *within_var) {
  double N = 0.0, S = 0.0, ssw = 0.0, ssb = 0.0, sn2 = 0.0, mu = 0.0, s2 = 0.0, t2 = 0.0;
  size_t g, G = 0;
  int full_shrink = 0;
  for (g = 0; g < groups; g++) {
    if (n[g] == 0)
      continue;
    G++;
    N += (double)n[g];
    S += (double)sum[g];
    sn2 += (double)n[g] * (double)n[g];
    ssw += group_ss_times_n(sum[g], sumsq[g], n[g]) / (double)n[g];
  }
  if (G > 0)
    mu = S / N;
  if (N > (double)G)
    s2 = ssw / (N - (double)G);
  else if (G >= 2)
    full_shrink = 1; /* one answer per group: within variance unknown */
  if (G >= 2 && !full_shrink) {
    double denom = N - sn2 / N, d;
    for (g = 0; g < groups; g++) {
      if (n[g] == 0)
        continue;
      d = (double)sum[g] / (double)n[g] - mu;
      ssb += (double)n[g] * d * d;
    }
    if (denom > 0.0) {
      t2 = (ssb - (double)(G - 1) * s2) / denom;
      if (!(t2 > 0.0))
        t2 = 0.0;
    }
  }
  for (g = 0; g < groups; g++) {
    double mean, w;
    if (n[g] == 0) {
      shrunk_mean[g] = mu;
      continue;
    }
    mean = (double)sum[g] / (double)n[g];
    if (G < 2)
      w = 1.0;
    else if (full_shrink || t2 == 0.0)
      w = 0.0;
    else if (s2 == 0.0)
      w = 1.0;
    else
      w = (double)n[g] / ((double)n[g] + s2 / t2);
    shrunk_mean[g] = mu + w * (mean - mu);
  }
  if (prior_mean)
    *prior_mean = mu;
  if (prior_var)
    *prior_var = t2;
  if (within_var)
    *within_var = s2;
  return G;
}

/* ---- rounding ----------------------------------------------------------- */

static const double pow10d[16] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                  1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

double csat__stats_round_half_away(double x, int digits) {
  double y, scale, frac, ulp, r;
  uint64_t f;
  int neg = x < 0.0;
  if (not_finite(x))
    return x;
  if (digits < 0)
    digits = 0;
  if (digits > 15)
    digits = 15;
  scale = pow10d[digits];
  y = (neg ? -x : x) * scale;
  if (!(y < 4503599627370496.0)) /* 2^52: already an integer */
    return x;
  f = (uint64_t)y;
  frac = y - (double)f;
  /* One ulp of y: its exponent with a one mantissa bit. */
  ulp = y >= 2.2250738585072014e-308
            ? bitsd(dbits(y) & 0x7FF0000000000000ull) * 2.220446049250313e-16
            : 4.9406564584124654e-324;
  r = (double)f + (frac >= 0.5 - 4.0 * ulp ? 1.0 : 0.0);
  r /= scale;
  return neg ? -r : r;
}

/* (hi:lo) / d for hi < d: quotient and remainder, bit by bit. */
static uint64_t div128(uint64_t hi, uint64_t lo, uint64_t d, uint64_t *rem) {
  uint64_t q = 0;
  int i;
  for (i = 63; i >= 0; i--) {
    uint64_t top = hi >> 63;
    hi = (hi << 1) | (lo >> 63);
    lo <<= 1;
    q <<= 1;
    if (top || hi >= d) {
      hi -= d;
      q |= 1u;
    }
  }
  *rem = hi;
  return q;
}

int64_t csat__stats_round_ratio(int64_t num, uint64_t den, int digits) {
  uint64_t m = mag64(num), scale = 1, q0, r0, hi, lo, q1, r1, qh, ql, q;
  int i, neg = num < 0;
  if (den == 0)
    return 0;
  if (digits < 0)
    digits = 0;
  if (digits > 18)
    digits = 18;
  for (i = 0; i < digits; i++)
    scale *= 10u;
  q0 = m / den;
  r0 = m % den;
  /* result = q0 * scale + round(r0 * scale / den) */
  mul128(q0, scale, &qh, &ql);
  mul128(r0, scale, &hi, &lo);
  q1 = div128(hi, lo, den, &r1); /* r0 < den, so r0 * scale / den < scale fits */
  if (r1 >= den - r1)            /* 2 r1 >= den without overflow */
    q1++;
  q = ql + q1;
  if (qh != 0 || q < ql || q > (uint64_t)INT64_MAX + (neg ? 1u : 0u))
    return neg ? INT64_MIN : INT64_MAX;
  if (neg)
    return q == (uint64_t)INT64_MAX + 1u ? INT64_MIN : -(int64_t)q;
  return (int64_t)q;
}

/* Unsigned 128-bit values as (hi, lo) pairs: what the difference of two
 * ratios needs (products of two 64-bit counts). */
typedef struct u128 {
  uint64_t hi, lo;
} u128;

static u128 u128_mul(uint64_t a, uint64_t b) {
  u128 r;
  mul128(a, b, &r.hi, &r.lo);
  return r;
}

static int u128_less(u128 a, u128 b) { return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo); }

static u128 u128_sub(u128 a, u128 b) { /* a >= b */
  u128 r;
  r.lo = a.lo - b.lo;
  r.hi = a.hi - b.hi - (a.lo < b.lo);
  return r;
}

/* num * scale = q * den + r with 0 <= r < den (floor division). 0 when |q|
 * would reach 2^62 (the callers' ratios are small), so q_b - q_a fits. */
static int floor_scaled(int64_t num, uint64_t den, uint64_t scale, int64_t *q, uint64_t *r) {
  uint64_t m = mag64(num), q0 = m / den, r0 = m % den, hi, lo, q1, r1, qq;
  mul128(r0, scale, &hi, &lo);
  q1 = div128(hi, lo, den, &r1); /* r0 < den */
  if (q0 > ((uint64_t)1 << 62) / scale)
    return 0;
  qq = q0 * scale + q1;
  if (qq >= (uint64_t)1 << 62)
    return 0;
  if (num >= 0 || r1 == 0) {
    *q = num >= 0 ? (int64_t)qq : -(int64_t)qq;
    *r = r1;
  } else {
    *q = -(int64_t)qq - 1;
    *r = den - r1;
  }
  return 1;
}

int64_t csat__stats_round_ratio_diff(int64_t num_b, uint64_t den_b, int64_t num_a, uint64_t den_a,
                                     int digits) {
  uint64_t scale = 1, ra, rb;
  int64_t qa, qb, i;
  u128 x, y, h, g;
  int k;
  if (den_a == 0 || den_b == 0)
    return 0;
  if (digits < 0)
    digits = 0;
  if (digits > 18)
    digits = 18;
  for (k = 0; k < digits; k++)
    scale *= 10u;
  if (!floor_scaled(num_b, den_b, scale, &qb, &rb) || !floor_scaled(num_a, den_a, scale, &qa, &ra))
    return 0; /* out of range (no caller gets there) */
  /* value * 10^digits = (qb - qa) + (rb * den_a - ra * den_b) / (den_a * den_b)
   *                   = i + g / h with 0 <= g < h */
  i = qb - qa;
  x = u128_mul(rb, den_a);
  y = u128_mul(ra, den_b);
  h = u128_mul(den_a, den_b);
  if (!u128_less(x, y)) {
    g = u128_sub(x, y);
  } else {
    g = u128_sub(h, u128_sub(y, x));
    i--;
  }
  /* Half away from zero: up when g >= h - g at or above zero; below zero
   * (i <= -1) the magnitude is -i - g/h, which rounds up when g <= h - g. */
  if (i >= 0)
    return u128_less(g, u128_sub(h, g)) ? i : i + 1;
  if (g.hi == 0 && g.lo == 0)
    return i;
  return u128_less(u128_sub(h, g), g) ? i + 1 : i;
}
