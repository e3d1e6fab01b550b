/* Aggregation statistics (src/lib/agg/agg_stats.c) against values computed
 * independently (mpmath at 30 digits and exact fractions in Python, and
 * hand calculations noted beside them). */
#include "agg/agg_stats.h"
#include "registry.h"

#include <stdint.h>

static double dabs(double x) { return x < 0 ? -x : x; }

/* |got - want| <= abs_tol + rel_tol * |want| */
#define CHECK_NEAR(got, want, abs_tol, rel_tol)                                           \
  do {                                                                                    \
    double cn_g_ = (got), cn_w_ = (want);                                                 \
    check_count++;                                                                        \
    if (!(dabs(cn_g_ - cn_w_) <= (abs_tol) + (rel_tol)*dabs(cn_w_))) {                    \
      check_failures++;                                                                   \
      fprintf(stderr, "%s:%d: CHECK_NEAR failed: %s = %.17g, expected %.17g\n", __FILE__, \
              __LINE__, #got, cn_g_, cn_w_);                                              \
    }                                                                                     \
  } while (0)

/* A small deterministic generator for property checks. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static double rnd01(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (double)(rng_state >> 11) / 9007199254740992.0;
}

TEST(elementary) {
  int i;
  CHECK_NEAR(csat__stats_sqrt(2.0), 1.4142135623730951, 0, 2.3e-16);
  CHECK(csat__stats_sqrt(0x1p-1060) == 0x1p-530); /* subnormal */
  CHECK_NEAR(csat__stats_sqrt(3e-320) * csat__stats_sqrt(3e-320), 3e-320, 0, 1e-3);
  CHECK(csat__stats_sqrt(0.0) == 0.0 && csat__stats_sqrt(-1.0) == 0.0);
  CHECK(csat__stats_sqrt(16.0) == 4.0);
  CHECK_NEAR(csat__stats_log(2.0), 0.6931471805599453, 0, 2.3e-16);
  CHECK_NEAR(csat__stats_log(10.0), 2.302585092994046, 0, 2.3e-16);
  CHECK_NEAR(csat__stats_log(1e-300), -690.77552789821368, 0, 2.3e-16);
  CHECK_NEAR(csat__stats_log(5e-324), -744.44007192138122, 0, 1e-15);
  CHECK(csat__stats_log(1.0) == 0.0);
  CHECK(csat__stats_log(0.0) < -1e300 && csat__stats_log(-3.0) < -1e300);
  CHECK_NEAR(csat__stats_exp(1.0), 2.718281828459045, 0, 2.3e-16);
  CHECK_NEAR(csat__stats_exp(-1.0), 0.36787944117144233, 0, 2.3e-16);
  CHECK_NEAR(csat__stats_exp(700.0), 1.0142320547350045e304, 0, 4.5e-16);
  CHECK_NEAR(csat__stats_exp(-700.0), 9.8596765437597708e-305, 0, 4.5e-16);
  CHECK(csat__stats_exp(0.0) == 1.0);
  CHECK(csat__stats_exp(-800.0) == 0.0 && csat__stats_exp(800.0) > 1e307);
  for (i = 0; i < 100000; i++) {
    double x = rnd01() * 1400.0 - 700.0, y = csat__stats_exp(x);
    double r = rnd01() * 1e6;
    CHECK_NEAR(csat__stats_log(y), x, 1e-15, 4.5e-16);
    CHECK_NEAR(csat__stats_sqrt(r) * csat__stats_sqrt(r), r, 0, 4.5e-16);
    if (check_failures > 20)
      break;
  }
}

TEST(normal) {
  double p;
  int i;
  /* mpmath.ncdf */
  CHECK_NEAR(csat__stats_normal_cdf(1.96), 0.975002104851779564, 1e-16, 0);
  CHECK_NEAR(csat__stats_normal_cdf(-1.96), 0.0249978951482204362, 0, 1e-14);
  CHECK(csat__stats_normal_cdf(0.0) == 0.5);
  CHECK_NEAR(csat__stats_normal_cdf(3.5), 0.999767370920964475, 1e-16, 0);
  CHECK_NEAR(csat__stats_normal_cdf(-5.0), 2.86651571879193912e-7, 0, 1e-14);
  CHECK_NEAR(csat__stats_normal_cdf(-10.0), 7.61985302416052607e-24, 0, 1e-14);
  CHECK_NEAR(csat__stats_normal_cdf(-37.0), 5.72557122252457682e-300, 0, 1e-14);
  CHECK(csat__stats_normal_cdf(-40.0) == 0.0 && csat__stats_normal_cdf(40.0) == 1.0);
  CHECK_NEAR(csat__stats_erfc(0.5), 0.479500122186953462, 0, 1e-15);
  CHECK_NEAR(csat__stats_erfc(3.0), 2.20904969985854414e-5, 0, 1e-14);
  CHECK_NEAR(csat__stats_erfc(-1.0), 1.84270079294971487, 0, 1e-15);
  CHECK_NEAR(csat__stats_normal_p2(1.96), 0.0499957902964408724, 0, 1e-14);
  CHECK_NEAR(csat__stats_normal_p2(-1.96), 0.0499957902964408724, 0, 1e-14);
  CHECK(csat__stats_normal_p2(0.0) == 1.0);
  CHECK_NEAR(csat__stats_normal_quantile(0.975), 1.95996398454005424, 1e-14, 0);
  CHECK_NEAR(csat__stats_normal_quantile(0.025), -1.95996398454005424, 1e-14, 0);
  CHECK_NEAR(csat__stats_normal_quantile(1e-10), -6.36134090240405620, 1e-13, 0);
  CHECK_NEAR(csat__stats_normal_quantile(0.5), 0.0, 1e-15, 0);
  CHECK(csat__stats_normal_quantile(0.0) == -40.0 && csat__stats_normal_quantile(1.0) == 40.0);
  /* Symmetry, monotony and the quantile as the inverse. */
  for (i = 0; i < 20000; i++) {
    double z = rnd01() * 16.0 - 8.0;
    CHECK_NEAR(csat__stats_normal_cdf(z) + csat__stats_normal_cdf(-z), 1.0, 2e-16, 0);
    CHECK(csat__stats_normal_cdf(z) <= csat__stats_normal_cdf(z + 1e-9));
    p = rnd01();
    if (p > 0.0)
      CHECK_NEAR(csat__stats_normal_cdf(csat__stats_normal_quantile(p)), p, 1e-15, 1e-13);
    if (check_failures > 20)
      break;
  }
}

TEST(shares) {
  double lo, hi, z, p;
  /* Wilson: hand formula at 30 digits. */
  csat__stats_wilson(8, 10, 1.96, &lo, &hi);
  CHECK_NEAR(lo, 0.490156846720723397, 1e-15, 0);
  CHECK_NEAR(hi, 0.943319052019306662, 1e-15, 0);
  csat__stats_wilson(0, 10, 1.96, &lo, &hi);
  CHECK(lo == 0.0);
  CHECK_NEAR(hi, 0.277540168766616569, 1e-15, 0); /* z^2/n / (1 + z^2/n) */
  csat__stats_wilson(10, 10, 1.96, &lo, &hi);
  CHECK_NEAR(lo, 0.722459831233383431, 1e-15, 0);
  CHECK(hi == 1.0);
  csat__stats_wilson(540, 1000, 1.959963984540054, &lo, &hi);
  CHECK_NEAR(lo, 0.509015286202262060, 1e-15, 0);
  CHECK_NEAR(hi, 0.570678573118893531, 1e-15, 0);
  csat__stats_wilson(0, 0, 1.96, &lo, &hi);
  CHECK(lo == 0.0 && hi == 1.0);
  csat__stats_wilson(12, 10, 1.96, &lo, &hi); /* k > n clamps */
  CHECK(hi == 1.0 && lo > 0.7);

  /* Pooled two-proportion test: 30/100 vs 20/100: p = .25,
   * se = sqrt(.25 * .75 * .02) = .0612372, z = .1 / se = 1.6329932. */
  csat__stats_two_prop_test(30, 100, 20, 100, &z, &p);
  CHECK_NEAR(z, 1.63299316185545207, 1e-14, 0);
  CHECK_NEAR(p, 0.102470434859749428, 1e-14, 0);
  csat__stats_two_prop_test(5, 50, 15, 60, &z, &p);
  CHECK_NEAR(z, -2.03100960115899009, 1e-14, 0);
  CHECK_NEAR(p, 0.0422540206544222631, 1e-14, 0);
  csat__stats_two_prop_test(5, 0, 15, 60, &z, &p);
  CHECK(z == 0.0 && p == 1.0);
  csat__stats_two_prop_test(0, 40, 0, 60, &z, &p); /* pooled share 0 */
  CHECK(z == 0.0 && p == 1.0);
  csat__stats_two_prop_test(40, 40, 60, 60, &z, &p);
  CHECK(z == 0.0 && p == 1.0);
}

TEST(nps) {
  double v, lo, hi, z, p;
  /* Adjusted Wald (Rocks 2016): n' = n + 3, 3/4 added to promoters and to
   * detractors. 50 promoters, 20 detractors of 100: NPS 30 (unadjusted);
   * pP = 50.75/103, pD = 20.75/103, centre 100 * 30/103 = 29.1262;
   * unit variance 71.5/103 - (30/103)^2 = .609341; half width
   * 1.96 * 100 * sqrt(.609341/103) = 15.0754. */
  csat__stats_nps(50, 20, 100, 1.96, &v, &lo, &hi);
  CHECK_NEAR(v, 30.0, 1e-12, 0);
  CHECK_NEAR(lo, 14.0508531654760886, 1e-12, 0);
  CHECK_NEAR(hi, 44.2015740189899308, 1e-12, 0);
  /* 300, 150 of 800: pP = 300.75/803, pD = 150.75/803, centre 18.6800,
   * variance .527372, half 1.96 * 100 * sqrt(.527372/803) = 5.0229. */
  csat__stats_nps(300, 150, 800, 1.96, &v, &lo, &hi);
  CHECK_NEAR(v, 18.75, 1e-12, 0);
  CHECK_NEAR(lo, 13.6570214502340692, 1e-12, 0);
  CHECK_NEAR(hi, 23.7028789233649346, 1e-12, 0);
  csat__stats_nps(0, 0, 0, 1.96, &v, &lo, &hi);
  CHECK(v == 0.0 && lo == -100.0 && hi == 100.0);
  /* 27 promoters of 27 (issue 13: the Wald interval was [100, 100]):
   * pP = 27.75/30 = .925, pD = .75/30 = .025, centre 90, variance
   * .95 - .81 = .14, half 1.96 * 100 * sqrt(.14/30) = 13.3893. */
  csat__stats_nps(27, 0, 27, 1.96, &v, &lo, &hi);
  CHECK(v == 100.0 && hi == 100.0);
  CHECK_NEAR(lo, 76.6106509991461248, 1e-12, 0);
  csat__stats_nps(0, 27, 27, 1.96, &v, &lo, &hi); /* the mirror image */
  CHECK(v == -100.0 && lo == -100.0);
  CHECK_NEAR(hi, -76.6106509991461248, 1e-12, 0);
  /* 10 promoters, 5 detractors of 20: centre 100 * 5/23 = 21.7391,
   * variance 16.5/23 - (5/23)^2 = .670132, half 33.4558. */
  csat__stats_nps(10, 5, 20, 1.96, &v, &lo, &hi);
  CHECK_NEAR(v, 25.0, 1e-12, 0);
  CHECK_NEAR(lo, -11.7167479741766357, 1e-12, 0);
  CHECK_NEAR(hi, 55.1950088437418531, 1e-12, 0);
  /* One passive answer: centre 0, variance 1.5/4 = .375, +/- 60.0125. */
  csat__stats_nps(0, 0, 1, 1.96, &v, &lo, &hi);
  CHECK(v == 0.0);
  CHECK_NEAR(hi, 60.0124986981878634, 1e-12, 0);
  CHECK_NEAR(lo, -60.0124986981878634, 1e-12, 0);
  csat__stats_nps(9, 1, 10, 1.96, &v, &lo, &hi); /* clamped at 100 */
  CHECK(hi == 100.0 && lo < 80.0);
  /* z test, pooled: pP = .45, pD = .25, unit var .7 - .04 = .66,
   * se = sqrt(.66 * .02) = .114891, diff .3 - .1 = .2, z = 1.740777 */
  csat__stats_nps_z_test(50, 20, 100, 40, 30, 100, &z, &p);
  CHECK_NEAR(z, 1.74077655955697838, 1e-13, 0);
  CHECK_NEAR(p, 0.0817227522986593351, 1e-13, 0);
  csat__stats_nps_z_test(40, 30, 100, 50, 20, 100, &z, &p);
  CHECK_NEAR(z, -1.74077655955697838, 1e-13, 0);
  csat__stats_nps_z_test(100, 0, 100, 0, 100, 100, &z, &p); /* all promoters vs all detractors */
  CHECK_NEAR(z, 2.0 / csat__stats_sqrt(0.02), 1e-12, 0);
  CHECK(p < 1e-40);
  csat__stats_nps_z_test(1, 1, 0, 5, 5, 10, &z, &p);
  CHECK(z == 0.0 && p == 1.0);
}

TEST(pchart) {
  /* Eight steady periods of 10/100, then a jump to 25/100, a dip to 0/100
   * and an empty period. Baseline 8: p = .1, sd = .3 / sqrt(100) = .03,
   * UCL = .19, LCL = .01. */
  const uint64_t k[11] = {10, 12, 8, 11, 9, 10, 10, 10, 25, 0, 0};
  const uint64_t n[11] = {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 0};
  uint8_t flags[11];
  double ucl[11], lcl[11], center;
  size_t i, high = csat__stats_pchart(k, n, 11, 8, 3.0, flags, ucl, lcl, &center);
  CHECK_INT(high, 1);
  CHECK_NEAR(center, 0.1, 1e-15, 0);
  for (i = 0; i < 8; i++)
    CHECK_INT(flags[i], 0);
  CHECK_INT(flags[8], CSAT__ALARM_HIGH);
  CHECK_INT(flags[9], CSAT__ALARM_LOW);
  CHECK_INT(flags[10], 0);
  CHECK_NEAR(ucl[8], 0.19, 1e-15, 0);
  CHECK_NEAR(lcl[8], 0.01, 1e-15, 0);
  CHECK(ucl[10] == 1.0 && lcl[10] == 0.0);
  /* Per-period n: a period of 400 answers has limits half as wide. */
  {
    const uint64_t k2[3] = {10, 10, 70};
    const uint64_t n2[3] = {100, 100, 400};
    uint8_t f2[3];
    double u2[3];
    CHECK_INT(csat__stats_pchart(k2, n2, 3, 2, 3.0, f2, u2, NULL, NULL), 1);
    CHECK_NEAR(u2[2], 0.1 + 3.0 * 0.3 / 20.0, 1e-15, 0); /* .145 < .175 */
    CHECK_INT(f2[2], CSAT__ALARM_HIGH);
  }
  /* Baseline 0 = every period; an empty baseline flags nothing. */
  {
    const uint64_t kz[3] = {0, 0, 50};
    const uint64_t nz[3] = {0, 0, 100};
    uint8_t fz[3];
    CHECK_INT(csat__stats_pchart(kz, nz, 3, 2, 3.0, fz, NULL, NULL, NULL), 0);
    CHECK(fz[0] == 0 && fz[1] == 0 && fz[2] == 0);
    CHECK_INT(csat__stats_pchart(k, n, 11, 0, 3.0, flags, NULL, NULL, &center), 1);
    CHECK_NEAR(center, 105.0 / 1000.0, 1e-15, 0);
  }
}

TEST(ewma) {
  /* Reference: the recursion of agg_stats.h evaluated at 30 digits. */
  const uint64_t k[10] = {10, 12, 8, 11, 9, 10, 30, 10, 10, 10};
  const uint64_t n[10] = {100, 100, 100, 100, 100, 100, 100, 100, 100, 50};
  const double want_z[10] = {0.1,       0.104,      0.0992,      0.10136,      0.099088,
                             0.0992704, 0.13941632, 0.131533056, 0.1252264448, 0.14018115584};
  const double want_u[10] = {0.118,
                             0.12305124725475826,
                             0.12576956344216952,
                             0.12736795673776177,
                             0.12834366306319633,
                             0.12895086304305278,
                             0.12933287543695748,
                             0.12957477391453806,
                             0.12972855599152885,
                             0.1348371024406241};
  const uint8_t want_f[10] = {0, 0, 0, 0, 0, 0, 1, 1, 0, 1};
  double z[10], u[10];
  uint8_t f[10];
  size_t i, high = csat__stats_ewma(k, n, 10, 6, 0.2, 3.0, z, u, f);
  CHECK_INT(high, 3);
  for (i = 0; i < 10; i++) {
    CHECK_NEAR(z[i], want_z[i], 1e-15, 0);
    CHECK_NEAR(u[i], want_u[i], 1e-15, 0);
    CHECK_INT(f[i], want_f[i]);
  }
  /* An empty period carries the state over; a steady series never alarms. */
  {
    const uint64_t k2[4] = {10, 0, 10, 10};
    const uint64_t n2[4] = {100, 0, 100, 100};
    CHECK_INT(csat__stats_ewma(k2, n2, 4, 0, 0.2, 3.0, z, u, f), 0);
    CHECK_NEAR(z[1], z[0], 0, 0);
    CHECK_NEAR(u[1], u[0], 0, 0);
    CHECK(f[0] == 0 && f[1] == 0 && f[2] == 0 && f[3] == 0);
  }
  /* A drop below the target raises LOW; defaults replace bad parameters. */
  {
    const uint64_t k3[5] = {20, 20, 20, 20, 0};
    const uint64_t n3[5] = {100, 100, 100, 100, 100};
    CHECK_INT(csat__stats_ewma(k3, n3, 5, 4, -1.0, 0.0, NULL, NULL, f), 0);
    CHECK_INT(f[4], CSAT__ALARM_LOW); /* z = .16 < .2 - 3 * .2 * .4 / 10 = .176 */
  }
}

TEST(eb) {
  /* Ten agents with 100 answers each, means 3.30 .. 3.57; an agent with two
   * answers of 5, one with no answers and one with a single 1. Reference
   * values from exact fractions (Python) with the estimators of agg_stats.h. */
  int64_t sum[13], sumsq[13];
  uint64_t n[13];
  double shrunk[13], mu, t2, s2;
  const double want[13] = {3.4350897854006162, 3.4352231311559098, 3.4353564769112035,
                           3.4354898226664967, 3.4356231684217904, 3.4357565141770841,
                           3.4358898599323777, 3.4360232056876714, 3.4361565514429651,
                           3.4362898971982587, 3.4358325921098358, 3.4356929212362912,
                           3.4355841796245419};
  int i;
  size_t g;
  for (i = 0; i < 10; i++) {
    n[i] = 100;
    sum[i] = 330 + 3 * i;
    sumsq[i] = 1250 + 21 * i;
  }
  n[10] = 2, sum[10] = 10, sumsq[10] = 50;
  n[11] = 0, sum[11] = 0, sumsq[11] = 0;
  n[12] = 1, sum[12] = 1, sumsq[12] = 1;
  g = csat__stats_eb_shrink(sum, sumsq, n, 13, shrunk, &mu, &t2, &s2);
  CHECK_INT(g, 12);
  CHECK_NEAR(mu, 3.4356929212362912, 1e-14, 0);
  CHECK_NEAR(s2, 1.653229061553986, 1e-13, 0);
  CHECK_NEAR(t2, 7.3811775527341891e-05, 1e-15, 1e-9);
  for (i = 0; i < 13; i++)
    CHECK_NEAR(shrunk[i], want[i], 1e-12, 0);
  /* The two-answer agent is neither top nor bottom any more. */
  CHECK(shrunk[10] < shrunk[9] && shrunk[10] > shrunk[0]);
  CHECK(shrunk[12] < shrunk[9] && shrunk[12] > shrunk[0]);

  /* Clearly different agents keep their order, the small one moves most. */
  {
    int64_t s[4] = {400, 300, 10, 175}, q[4] = {1700, 1000, 50, 625};
    uint64_t m[4] = {100, 100, 2, 50};
    double out[4];
    csat__stats_eb_shrink(s, q, m, 4, out, &mu, &t2, &s2);
    CHECK_NEAR(mu, 885.0 / 252.0, 1e-14, 0);
    CHECK_NEAR(s2, 0.85685483870967742, 1e-13, 0);
    CHECK_NEAR(t2, 0.3189565302911094, 1e-13, 0);
    CHECK_NEAR(out[0], 3.987230694876835, 1e-12, 0);
    CHECK_NEAR(out[1], 3.013392198056002, 1e-12, 0);
    CHECK_NEAR(out[2], 4.146970171203992, 1e-12, 0);
    CHECK_NEAR(out[3], 3.5006070125715176, 1e-12, 0);
  }
  /* One group: keeps its mean. One answer per group: all go to the mean. */
  {
    int64_t s[3] = {7, 3, 5}, q[3] = {25, 9, 25};
    uint64_t m[3] = {2, 1, 1};
    double out[3];
    CHECK_INT(csat__stats_eb_shrink(s, q, m, 1, out, &mu, &t2, NULL), 1);
    CHECK_NEAR(out[0], 3.5, 1e-15, 0);
    CHECK(t2 == 0.0);
    CHECK_INT(csat__stats_eb_shrink(s + 1, q + 1, m + 1, 2, out, &mu, NULL, NULL), 2);
    CHECK_NEAR(out[0], 4.0, 1e-15, 0);
    CHECK_NEAR(out[1], 4.0, 1e-15, 0);
  }
  /* Huge counts: n * sumsq - sum^2 needs 128 bits. Within variance 0.25. */
  {
    int64_t s[2] = {3000000000000000000ll, 2000000000000000000ll};
    int64_t q[2] = {5000000000000000000ll, 2500000000000000000ll};
    uint64_t m[2] = {2000000000000000000ull, 2000000000000000000ull};
    double out[2];
    CHECK_INT(csat__stats_eb_shrink(s, q, m, 2, out, &mu, &t2, &s2), 2);
    CHECK_NEAR(s2, 0.25, 0, 1e-12);
    CHECK_NEAR(mu, 1.25, 0, 1e-15);
    CHECK_NEAR(out[0], 1.5, 0, 1e-12);
    CHECK_NEAR(out[1], 1.0, 0, 1e-12);
  }
  /* Empty input. */
  CHECK_INT(csat__stats_eb_shrink(NULL, NULL, NULL, 0, NULL, &mu, &t2, &s2), 0);
  CHECK(mu == 0.0 && t2 == 0.0 && s2 == 0.0);
}

TEST(round) {
  CHECK(csat__stats_round_half_away(2.675, 2) == 2.68);
  CHECK(csat__stats_round_half_away(-2.675, 2) == -2.68);
  CHECK(csat__stats_round_half_away(1.005, 2) == 1.01);
  CHECK(csat__stats_round_half_away(-0.125, 2) == -0.13);
  CHECK(csat__stats_round_half_away(0.5, 0) == 1.0);
  CHECK(csat__stats_round_half_away(-2.5, 0) == -3.0);
  CHECK(csat__stats_round_half_away(2.4999, 2) == 2.5);
  CHECK(csat__stats_round_half_away(2.4949, 2) == 2.49);
  CHECK(csat__stats_round_half_away(4.35, 1) == 4.4);
  CHECK(csat__stats_round_half_away(107.0 / 40.0, 2) == 2.68);
  CHECK(csat__stats_round_half_away(2.0 / 3.0, 3) == 0.667);
  CHECK(csat__stats_round_half_away(0.0, 2) == 0.0);
  CHECK(csat__stats_round_half_away(1e17, 2) == 1e17);
  CHECK(csat__stats_round_half_away(123.456, -3) == 123.0);
  CHECK(csat__stats_round_half_away(0.1234567890123456, 20) == 0.123456789012346);

  CHECK_INT(csat__stats_round_ratio(107, 40, 2), 268);
  CHECK_INT(csat__stats_round_ratio(-107, 40, 2), -268);
  CHECK_INT(csat__stats_round_ratio(1, 3, 2), 33);
  CHECK_INT(csat__stats_round_ratio(2, 3, 2), 67);
  CHECK_INT(csat__stats_round_ratio(-1, 2, 0), -1);
  CHECK_INT(csat__stats_round_ratio(1, 2, 0), 1);
  CHECK_INT(csat__stats_round_ratio(5, 0, 2), 0);
  CHECK_INT(csat__stats_round_ratio(INT64_MAX, 1, 0), INT64_MAX);
  CHECK_INT(csat__stats_round_ratio(INT64_MAX, 1, 1), INT64_MAX); /* saturates */
  CHECK_INT(csat__stats_round_ratio(INT64_MIN, 1, 0), INT64_MIN);
  CHECK_INT(csat__stats_round_ratio(INT64_MAX, UINT64_MAX, 18), 500000000000000000ll);
  CHECK_INT(csat__stats_round_ratio(9999999999ll, 10000000000ull, 9), 1000000000);
  CHECK_INT(csat__stats_round_ratio(123456789, 1000, 18), INT64_MAX);
  /* Differences of ratios, exactly (issue 13 item 4): 123/40 - 33/10 is
   * -0.225, whose doubles give -0.22499999999999964. */
  CHECK_INT(csat__stats_round_ratio_diff(123, 40, 33, 10, 2), -23);
  CHECK_INT(csat__stats_round_ratio_diff(33, 10, 123, 40, 2), 23);
  CHECK_INT(csat__stats_round_ratio_diff(13, 16, 4, 5, 3), 13); /* +1.25 points, 1 decimal */
  CHECK_INT(csat__stats_round_ratio_diff(-1, 4, 0, 1, 1), -3);  /* -0.25 */
  CHECK_INT(csat__stats_round_ratio_diff(1, 3, 1, 3, 2), 0);
  CHECK_INT(csat__stats_round_ratio_diff(5, 0, 1, 2, 2), 0);
  CHECK_INT(csat__stats_round_ratio_diff(INT64_MAX, UINT64_MAX, 0, 1, 18), 500000000000000000ll);
  CHECK_INT(csat__stats_round_ratio_diff(0, 1, INT64_MAX, UINT64_MAX, 18), -500000000000000000ll);
  CHECK_INT(csat__stats_round_ratio_diff(1, UINT64_MAX, 1, UINT64_MAX - 1, 0), 0);
  CHECK_INT(csat__stats_round_ratio_diff(INT64_MAX, 1, 0, 1, 0), 0); /* out of range */
  /* Against one exact ratio over a common denominator, for small counts of
   * either sign (an NPS numerator is negative). */
  {
    uint32_t seed = 12345u;
    int k, bad = 0;
    for (k = 0; k < 200000; k++) {
      int64_t na, nb, ua, ub;
      int d;
      seed = seed * 1103515245u + 12345u;
      nb = 1 + (int64_t)(seed >> 8) % 97;
      seed = seed * 1103515245u + 12345u;
      na = 1 + (int64_t)(seed >> 8) % 89;
      seed = seed * 1103515245u + 12345u;
      ub = (int64_t)((seed >> 8) % (uint32_t)(21 * nb)) - 10 * nb;
      seed = seed * 1103515245u + 12345u;
      ua = (int64_t)((seed >> 8) % (uint32_t)(21 * na)) - 10 * na;
      d = (int)((seed >> 4) % 5u);
      if (csat__stats_round_ratio_diff(ub, (uint64_t)nb, ua, (uint64_t)na, d) !=
          csat__stats_round_ratio(ub * na - ua * nb, (uint64_t)(na * nb), d))
        bad++;
    }
    CHECK_INT(bad, 0);
  }
}

/* A clean baseline (no negative in 35 answers) must not turn the first
 * negative answer into an alarm: 1 of 4 is not improbable (about 5% under
 * the half-event share), 4 of 4 is. */
TEST(small_sample_guard) {
  uint64_t k[3] = {0, 1, 4}, n[3] = {35, 4, 4};
  uint8_t flags[3];
  double ucl[3], lcl[3], center, ewma_v[3], ewma_u[3];
  CHECK_INT(csat__stats_pchart(k, n, 2, 1, 3.0, flags, ucl, lcl, &center), 0);
  CHECK_INT(flags[1], 0);
  CHECK(center == 0.0);
  CHECK(ucl[1] > 0.0); /* a real width, not a zero-width limit */
  CHECK_INT(csat__stats_pchart(k, n, 3, 1, 3.0, flags, ucl, lcl, &center), 1);
  CHECK_INT(flags[1], 0);
  CHECK_INT(flags[2], CSAT__ALARM_HIGH);
  CHECK_INT(csat__stats_ewma(k, n, 2, 1, 0.2, 3.0, ewma_v, ewma_u, flags), 0);
  CHECK_INT(flags[1], 0);
  /* the exact tail also holds back a large-sample-looking jump on few answers:
   * centre 10%, 2 of 3 is above the normal UCL (~62%) but P(X >= 2) = 2.8% */
  {
    uint64_t k2[2] = {10, 2}, n2[2] = {100, 3};
    CHECK_INT(csat__stats_pchart(k2, n2, 2, 1, 3.0, flags, ucl, lcl, &center), 0);
    CHECK(2.0 / 3.0 > ucl[1]);
  }
}

static const test_case tests[] = {
    TEST_ENTRY(small_sample_guard),
    TEST_ENTRY(elementary),
    TEST_ENTRY(normal),
    TEST_ENTRY(shares),
    TEST_ENTRY(nps),
    TEST_ENTRY(pchart),
    TEST_ENTRY(ewma),
    TEST_ENTRY(eb),
    TEST_ENTRY(round),
};

TEST_MAIN(tests)
