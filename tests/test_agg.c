/*
 * The aggregation engine: periods (ISO weeks, year boundaries, negative
 * offsets, callbacks), metrics on hand-made data, result ingestion, the fast
 * path, merge laws and byte-identical state under any split and order, blob
 * round trips, hostile blobs (every truncation, every bit flip, wrong
 * version, huge counts, inconsistent sums), keyed hashing, and out-of-memory
 * loops that must leave the aggregator exactly as it was.
 */
#include "agg/agg.h"
#include "agg/agg_stats.h"
#include "agg_kit.h"
#include "registry.h"
#include "fail_alloc.h"
#include "session_kit.h"

#include <stdlib.h>

#define CHECK_NEAR(a, b)                                                                   \
  do {                                                                                     \
    double cn_a_ = (a), cn_b_ = (b);                                                       \
    check_count++;                                                                         \
    if (!(t_abs(cn_a_ - cn_b_) <= 1e-9 * (1.0 + t_abs(cn_b_)))) {                          \
      check_failures++;                                                                    \
      fprintf(stderr, "%s:%d: CHECK_NEAR failed: %s == %.17g, expected %.17g\n", __FILE__, \
              __LINE__, #a, cn_a_, cn_b_);                                                 \
    }                                                                                      \
  } while (0)

static double t_abs(double x) { return x < 0 ? -x : x; }

static void ans_init(csat_agg_answer *x) {
  memset(x, 0, sizeof *x);
  x->struct_size = sizeof *x;
  x->scale_min = 1;
  x->scale_max = 5;
  x->score = -1;
  x->wait_ms = -1;
  x->talk_ms = -1;
}

static csat_agg *new_agg_with(uint32_t dims, int32_t period, int32_t offset,
                              const csat_allocator *al) {
  csat_agg_config c;
  csat_agg *a = NULL;
  memset(&c, 0, sizeof c);
  c.struct_size = sizeof c;
  c.dimensions = dims;
  c.period = period;
  c.utc_offset_min = offset;
  if (csat_agg_new(&a, &c, al) != CSAT_OK) {
    fprintf(stderr, "csat_agg_new failed\n");
    exit(2);
  }
  return a;
}

static csat_agg *new_agg(uint32_t dims, int32_t period, int32_t offset) {
  return new_agg_with(dims, period, offset, NULL);
}

static void refix_checksum(unsigned char *b, size_t len) {
  uint64_t h = csat__hash_fnv1a(CSAT__HASH_FNV_INIT, b, len - 8);
  size_t i;
  for (i = 0; i < 8; i++)
    b[len - 8 + i] = (unsigned char)(h >> (8 * i));
}

/* ---- periods ---------------------------------------------------------------- */
static int64_t utc(int64_t y, int m, int d, int hh, int mm) {
  return csat__agg_days_from_civil(y, m, d) * 86400000LL + (int64_t)hh * 3600000 +
         (int64_t)mm * 60000;
}

static void label_at(int32_t period, int32_t offset, int64_t t, char *out) {
  int64_t local = t + (int64_t)offset * 60000, start = 0;
  CHECK_INT(csat__agg_period_start(period, local, &start), CSAT_OK);
  csat__agg_period_label(period, start, out, 24);
}

#define CHECK_LABEL(period, offset, t, expected) \
  do {                                           \
    char lb_[24];                                \
    label_at(period, offset, t, lb_);            \
    CHECK_STR(lb_, expected);                    \
  } while (0)

static int64_t cb_plus2(void *user, int64_t t) {
  (void)user;
  return t + 2 * 3600000;
}

/* The host's clock callback runs once per row, whichever way the row is
 * counted: a new key, a new key after the cache has filled, a cached key,
 * one call per row or a batch. */
static int64_t cb_counting(void *user, int64_t t) {
  ++*(int *)user;
  return t;
}

TEST(clock_once) {
  static const char *const agents[] = {"a1", "a2", "a1", "a3", "a2", "a2"};
  csat_agg_config c;
  csat_agg_answer x[6];
  csat_agg *a = NULL;
  int calls = 0, i;
  size_t done;
  memset(&c, 0, sizeof c);
  c.struct_size = sizeof c;
  c.dimensions = CSAT_DIM_AGENT;
  c.period = CSAT_PERIOD_DAY;
  c.local_time = cb_counting;
  c.local_time_user = &calls;
  c.time_zone = "Test/Counting";
  CHECK_INT(csat_agg_new(&a, &c, NULL), CSAT_OK);
  for (i = 0; i < 6; i++) {
    ans_init(&x[i]);
    x[i].agent_id = agents[i];
    x[i].time_ms = utc(2024, 3, 1, 10, 0);
    x[i].score = 4;
  }
  for (i = 0; i < 6; i++)
    CHECK_INT(csat_agg_add_answer(a, &x[i]), CSAT_OK);
  CHECK_INT(calls, 6);
  calls = 0;
  x[3].agent_id = "a4"; /* a new key in the batch too */
  CHECK_INT(csat_agg_add_answers(a, x, 6, &done), CSAT_OK);
  CHECK_INT(calls, 6);
  CHECK_INT(csat_agg_group_count(a), 4);
  csat_agg_free(a);
}

TEST(calendar) {
  int64_t d, y;
  int m, dd, prev_m = 12, prev_d = 31;
  int64_t prev_y = 0;
  /* Every day of years 1..9999 round-trips and follows the previous one. */
  for (d = CSAT__AGG_MIN_DAY; d <= CSAT__AGG_MAX_DAY; d++) {
    csat__agg_civil_from_days(d, &y, &m, &dd);
    if (csat__agg_days_from_civil(y, m, dd) != d) {
      CHECK(0);
      break;
    }
    if (!((y == prev_y && m == prev_m && dd == prev_d + 1) ||
          (y == prev_y && m == prev_m + 1 && dd == 1) || (y == prev_y + 1 && m == 1 && dd == 1))) {
      CHECK(0);
      break;
    }
    prev_y = y;
    prev_m = m;
    prev_d = dd;
  }
  CHECK_INT(prev_y, 9999);
  CHECK_INT(csat__agg_days_from_civil(1970, 1, 1), 0);
  CHECK_INT(csat__agg_days_from_civil(2000, 3, 1), 11017);
  CHECK_INT(csat__agg_days_from_civil(1, 1, 1), CSAT__AGG_MIN_DAY);
  CHECK_INT(csat__agg_days_from_civil(9999, 12, 31), CSAT__AGG_MAX_DAY);
  CHECK_INT(csat__agg_days_from_civil(1969, 12, 31), -1);
}

TEST(periods) {
  csat_agg *a;
  csat_agg_config c;
  csat_agg_answer x;
  csat_agg_key k;
  size_t n, g;
  int64_t start;
  /* ISO weeks at year boundaries: week 53 and week 1 of the next year. */
  CHECK_LABEL(CSAT_PERIOD_WEEK, 0, utc(2020, 12, 31, 12, 0), "2020-W53");
  CHECK_LABEL(CSAT_PERIOD_WEEK, 0, utc(2021, 1, 3, 23, 59), "2020-W53");
  CHECK_LABEL(CSAT_PERIOD_WEEK, 0, utc(2021, 1, 4, 0, 0), "2021-W01");
  CHECK_LABEL(CSAT_PERIOD_WEEK, 0, utc(2016, 1, 1, 0, 0), "2015-W53");
  CHECK_LABEL(CSAT_PERIOD_WEEK, 0, utc(2008, 12, 29, 0, 0), "2009-W01");
  CHECK_LABEL(CSAT_PERIOD_WEEK, 0, utc(2026, 12, 31, 0, 0), "2026-W53");
  CHECK_LABEL(CSAT_PERIOD_WEEK, 0, utc(2027, 1, 1, 0, 0), "2026-W53");
  CHECK_LABEL(CSAT_PERIOD_WEEK, 0, utc(2024, 12, 30, 0, 0), "2025-W01");
  CHECK_LABEL(CSAT_PERIOD_WEEK, 0, utc(2024, 3, 5, 0, 0), "2024-W10");
  CHECK_LABEL(CSAT_PERIOD_WEEK, 0, utc(1, 1, 1, 0, 0), "0001-W01");
  CHECK_LABEL(CSAT_PERIOD_WEEK, 0, utc(1970, 1, 1, 0, 0), "1970-W01");
  CHECK_LABEL(CSAT_PERIOD_WEEK, 0, utc(1969, 12, 28, 0, 0), "1969-W52");
  /* Negative offsets move local time back across day, month, year. */
  CHECK_LABEL(CSAT_PERIOD_HOUR, -300, utc(2024, 1, 1, 2, 30), "2023-12-31T21");
  CHECK_LABEL(CSAT_PERIOD_DAY, -300, utc(2024, 1, 1, 2, 30), "2023-12-31");
  CHECK_LABEL(CSAT_PERIOD_MONTH, -300, utc(2024, 1, 1, 2, 30), "2023-12");
  CHECK_LABEL(CSAT_PERIOD_QUARTER, -300, utc(2024, 1, 1, 2, 30), "2023-Q4");
  CHECK_LABEL(CSAT_PERIOD_YEAR, -300, utc(2024, 1, 1, 2, 30), "2023");
  CHECK_LABEL(CSAT_PERIOD_WEEK, -300, utc(2024, 1, 1, 2, 30), "2023-W52");
  CHECK_LABEL(CSAT_PERIOD_DAY, 330, utc(2023, 12, 31, 19, 0), "2024-01-01");
  CHECK_LABEL(CSAT_PERIOD_DAY, -1439, utc(2024, 3, 1, 0, 0), "2024-02-29");
  CHECK_LABEL(CSAT_PERIOD_QUARTER, 0, utc(2024, 9, 30, 23, 59), "2024-Q3");
  CHECK_LABEL(CSAT_PERIOD_QUARTER, 0, utc(2024, 10, 1, 0, 0), "2024-Q4");
  /* Before the epoch: floor, not truncation. */
  CHECK_LABEL(CSAT_PERIOD_DAY, 0, -1, "1969-12-31");
  CHECK_LABEL(CSAT_PERIOD_HOUR, 0, -1, "1969-12-31T23");
  CHECK_LABEL(CSAT_PERIOD_YEAR, 0, utc(9999, 12, 31, 23, 59), "9999");
  CHECK_INT(csat__agg_period_start(CSAT_PERIOD_DAY, utc(10000, 1, 1, 0, 0), &start),
            CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat__agg_period_start(CSAT_PERIOD_DAY, utc(0, 12, 31, 0, 0), &start),
            CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat__agg_period_start(CSAT_PERIOD_WEEK, utc(2024, 3, 7, 5, 0), &start), CSAT_OK);
  CHECK_INT(start, utc(2024, 3, 4, 0, 0));

  /* Through the API: an answer at 2024-01-01T02:30Z with UTC-5. */
  a = new_agg(0, CSAT_PERIOD_DAY, -300);
  ans_init(&x);
  x.time_ms = utc(2024, 1, 1, 2, 30);
  x.score = 4;
  CHECK_INT(csat_agg_add_answer(a, &x), CSAT_OK);
  x.time_ms = utc(10000, 1, 1, 0, 0);
  CHECK_INT(csat_agg_add_answer(a, &x), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_agg_group_key(a, 0, &k), CSAT_ERR_STATE);
  n = csat_agg_group_count(a);
  CHECK_INT(n, 1);
  memset(&k, 0, sizeof k);
  k.struct_size = sizeof k;
  CHECK_INT(csat_agg_group_key(a, 0, &k), CSAT_OK);
  CHECK_STR(k.period_label, "2023-12-31");
  CHECK_INT(k.period_start, utc(2023, 12, 31, 0, 0));
  CHECK_INT(k.period, CSAT_PERIOD_DAY);
  CHECK_STR(k.agent_id, "");
  CHECK_INT(csat_agg_group_find(a, &k, &g), CSAT_OK);
  CHECK_INT(g, 0);
  k.period_start += 86400000;
  CHECK_INT(csat_agg_group_find(a, &k, &g), CSAT_ERR_NOT_FOUND);
  csat_agg_free(a);

  /* A callback instead of an offset; restored without it, ingest is refused. */
  memset(&c, 0, sizeof c);
  c.struct_size = sizeof c;
  c.period = CSAT_PERIOD_HOUR;
  c.local_time = cb_plus2;
  c.time_zone = "Europe/Kyiv";
  CHECK_INT(csat_agg_new(&a, &c, NULL), CSAT_OK);
  x.time_ms = utc(2024, 6, 30, 22, 15);
  CHECK_INT(csat_agg_add_answer(a, &x), CSAT_OK);
  csat_agg_group_count(a);
  CHECK_INT(csat_agg_group_key(a, 0, &k), CSAT_OK);
  CHECK_STR(k.period_label, "2024-07-01T00");
  {
    size_t len;
    unsigned char *b = save_blob(a, &len);
    csat_agg *r = NULL;
    csat_agg_config c2 = c;
    CHECK_INT(csat_agg_restore(&r, b, len, NULL, NULL, NULL), CSAT_OK);
    CHECK_INT(csat_agg_add_answer(r, &x), CSAT_ERR_UNSUPPORTED);
    csat_agg_free(r);
    CHECK_INT(csat_agg_restore(&r, b, len, &c2, NULL, NULL), CSAT_OK);
    CHECK_INT(csat_agg_add_answer(r, &x), CSAT_OK);
    csat_agg_free(r);
    free(b);
  }
  csat_agg_free(a);

  /* Invalid configurations. */
  memset(&c, 0, sizeof c);
  c.struct_size = sizeof c;
  c.period = 7;
  CHECK_INT(csat_agg_new(&a, &c, NULL), CSAT_ERR_INVALID_ARG);
  c.period = CSAT_PERIOD_DAY;
  c.utc_offset_min = 1440;
  CHECK_INT(csat_agg_new(&a, &c, NULL), CSAT_ERR_INVALID_ARG);
  c.utc_offset_min = 0;
  c.dimensions = CSAT_DIM_ATTRIBUTE;
  CHECK_INT(csat_agg_new(&a, &c, NULL), CSAT_ERR_INVALID_ARG);
  c.dimensions = 0x100;
  CHECK_INT(csat_agg_new(&a, &c, NULL), CSAT_ERR_INVALID_ARG);
  c.dimensions = 0;
  c.struct_size = 4;
  CHECK_INT(csat_agg_new(&a, &c, NULL), CSAT_ERR_INVALID_ARG);
}

/* ---- metrics on hand-made data ------------------------------------------------ */
static void get_metrics(const csat_agg *a, size_t g, csat_metrics *m) {
  memset(m, 0, sizeof *m);
  m->struct_size = sizeof *m;
  CHECK_INT(csat_agg_metrics(a, g, m), CSAT_OK);
}

TEST(metrics) {
  static const int five[] = {5, 5, 4, 3, 1, 2, 5};
  static const int nps[] = {10, 9, 8, 7, 6, 0, 9, 9};
  static const int64_t waits[] = {1499, 1500, 2500, 0};
  csat_agg *a = new_agg(CSAT_DIM_QUESTION, CSAT_PERIOD_NONE, 0);
  csat_agg_answer x;
  csat_metrics m;
  csat_agg_key k;
  size_t i, n;
  double z = 1.959963984540054, p, lo, hi, center, half;
  CHECK_INT(csat_agg_set_ces_question(a, "ces", 0), CSAT_OK);
  CHECK_INT(csat_agg_set_csi_weight(a, "q5", 3), CSAT_OK);
  CHECK_INT(csat_agg_set_csi_weight(a, "nps", 1), CSAT_OK);
  CHECK_INT(csat_agg_set_csi_weight(a, "nps", 0), CSAT_OK); /* removed again */
  CHECK_INT(csat_agg_set_csi_weight(a, "nps", 1001), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_agg_set_scale(a, 1, 5, 0x30, 0x10), CSAT_ERR_INVALID_ARG); /* overlap */
  ans_init(&x);
  x.question_id = "q5";
  for (i = 0; i < sizeof five / sizeof *five; i++) {
    x.score = five[i];
    x.outcome = CSAT_OUTCOME_COMPLETED;
    x.wait_ms = i < 4 ? waits[i] : -1;
    x.talk_ms = (int64_t)i * 1000;
    x.flagged = five[i] <= 2;
    x.escalation = five[i] == 1   ? CSAT_ESCALATION_TRANSFER
                   : five[i] == 2 ? CSAT_ESCALATION_OFFERED
                                  : 0;
    CHECK_INT(csat_agg_add_answer(a, &x), CSAT_OK);
  }
  /* a contact that declined, and one already answered */
  x.score = -1;
  x.outcome = CSAT_OUTCOME_DECLINED;
  x.flagged = 0;
  x.escalation = 0;
  x.wait_ms = x.talk_ms = -1;
  CHECK_INT(csat_agg_add_answer(a, &x), CSAT_OK);
  x.outcome = CSAT_OUTCOME_ALREADY_ANSWERED;
  CHECK_INT(csat_agg_add_answer(a, &x), CSAT_OK);
  /* setters are refused once data is in */
  CHECK_INT(csat_agg_set_csi_weight(a, "q3", 1), CSAT_ERR_STATE);
  x.question_id = "nps";
  x.scale_min = 0;
  x.scale_max = 10;
  x.outcome = 0;
  for (i = 0; i < sizeof nps / sizeof *nps; i++) {
    x.score = nps[i];
    CHECK_INT(csat_agg_add_answer(a, &x), CSAT_OK);
  }
  x.question_id = "ces";
  x.scale_min = 1;
  x.scale_max = 7;
  for (i = 1; i <= 7; i++) {
    x.score = (int32_t)i;
    CHECK_INT(csat_agg_add_answer(a, &x), CSAT_OK);
  }
  x.score = 8;
  CHECK_INT(csat_agg_add_answer(a, &x), CSAT_ERR_INVALID_ARG);
  x.score = -2;
  CHECK_INT(csat_agg_add_answer(a, &x), CSAT_ERR_INVALID_ARG);
  n = csat_agg_group_count(a);
  CHECK_INT(n, 3); /* ces, nps, q5 in key order */
  memset(&k, 0, sizeof k);
  k.struct_size = sizeof k;
  CHECK_INT(csat_agg_group_key(a, 0, &k), CSAT_OK);
  CHECK_STR(k.question_id, "ces");
  CHECK_INT(csat_agg_group_key(a, 2, &k), CSAT_OK);
  CHECK_STR(k.question_id, "q5");
  CHECK_INT(csat_agg_group_key(a, 3, &k), CSAT_ERR_NOT_FOUND);

  get_metrics(a, 2, &m); /* q5 */
  CHECK_INT(m.count, 7);
  CHECK_NEAR(m.mean, 25.0 / 7.0);
  /* sample sd: sum of squares 25+25+16+9+1+4+25 = 105 */
  CHECK_NEAR(m.sd, csat__stats_sqrt((7.0 * 105.0 - 625.0) / (7.0 * 6.0)));
  CHECK_NEAR(m.mean_pct, (4 + 4 + 3 + 2 + 0 + 1 + 4) / 7.0 / 4.0 * 100.0);
  CHECK_INT(m.distribution[5], 3);
  CHECK_INT(m.distribution[0], 0);
  CHECK_INT(m.positive, 4);
  CHECK_INT(m.negative, 2);
  CHECK_NEAR(m.csat, 4.0 / 7.0);
  p = 4.0 / 7.0;
  center = (p + z * z / 14.0) / (1 + z * z / 7.0);
  half = z / (1 + z * z / 7.0) * csat__stats_sqrt(p * (1 - p) / 7.0 + z * z / 196.0);
  CHECK_NEAR(m.csat_lo, center - half);
  CHECK_NEAR(m.csat_hi, center + half);
  CHECK_NEAR(m.csi, 18.0 / 7.0 / 4.0 * 100.0);
  CHECK_INT(m.csi_count, 7);
  CHECK_INT(m.nps_count, 0);
  CHECK_INT(m.contacts, 9);
  CHECK_INT(m.offered, 8);
  CHECK_INT(m.answered, 7);
  CHECK_INT(m.completed, 7);
  CHECK_INT(m.outcomes[CSAT_OUTCOME_DECLINED], 1);
  CHECK_NEAR(m.response_rate, 7.0 / 8.0);
  CHECK_INT(m.flagged, 2);
  CHECK_INT(m.escalation_offered, 2);
  CHECK_INT(m.escalated, 1);
  /* waits 1499 -> 1 s, 1500 -> 2 s, 2500 -> 3 s, 0 -> 0 s: median of 0,1,2,3 = 1.5 */
  CHECK_INT(m.wait_count, 4);
  CHECK_NEAR(m.wait_mean_s, (1499.0 + 1500.0 + 2500.0) / 4.0 / 1000.0);
  CHECK_NEAR(m.wait_median_s, 1.5);
  CHECK_INT(m.talk_count, 7);
  CHECK_NEAR(m.talk_median_s, 3.0);

  get_metrics(a, 1, &m); /* nps: 10 9 8 7 6 0 9 9 */
  CHECK_INT(m.count, 8);
  CHECK_INT(m.nps_count, 8);
  CHECK_INT(m.promoters, 4);
  CHECK_INT(m.detractors, 2);
  CHECK_NEAR(m.nps, 25.0);
  csat__stats_nps(4, 2, 8, z, &p, &lo, &hi);
  CHECK_NEAR(m.nps_lo, lo);
  CHECK_NEAR(m.nps_hi, hi);
  CHECK(m.nps_lo < 25.0 && m.nps_hi > 25.0);
  CHECK_INT(m.contacts, 0);
  CHECK_NEAR(m.response_rate, 0.0);

  get_metrics(a, 0, &m); /* ces 1..7 once each */
  CHECK_INT(m.ces_count, 7);
  CHECK_NEAR(m.ces_mean, 4.0);
  CHECK_INT(m.ces_agree, 3);
  CHECK_INT(m.positive, 2); /* top-2-box of 7 */
  CHECK_INT(m.negative, 2);

  get_metrics(a, CSAT_AGG_ALL, &m);
  CHECK_INT(m.count, 22);
  CHECK_INT(m.nps_count, 8);
  CHECK_INT(m.ces_count, 7);
  CHECK_INT(m.wait_count, 4);
  CHECK_NEAR(m.wait_median_s, 1.5);

  /* A short caller struct gets only what it has room for. */
  {
    csat_metrics small;
    memset(&small, 0x55, sizeof small);
    small.struct_size = offsetof(csat_metrics, sd);
    CHECK_INT(csat_agg_metrics(a, 2, &small), CSAT_OK);
    CHECK_INT(small.count, 7);
    CHECK_INT(small.struct_size, offsetof(csat_metrics, sd));
    {
      unsigned char pat[sizeof(double)];
      memset(pat, 0x55, sizeof pat);
      CHECK(memcmp(&small.sd, pat, sizeof pat) == 0);
    }
  }
  csat_agg_free(a);
}

/* Scale defaults and custom sets. */
/* ---- durations: pending values, folds and merges ------------------------ */
static int cmp_u32(const void *x, const void *y) {
  uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
  return a < b ? -1 : a > b;
}

/* The median of whole seconds, the naive way. */
static double naive_median(const uint32_t *secs, size_t n) {
  uint32_t *v = malloc(n * sizeof *v);
  double m;
  memcpy(v, secs, n * sizeof *v);
  qsort(v, n, sizeof *v, cmp_u32);
  m = ((double)v[(n - 1) / 2] + (double)v[n / 2]) / 2.0;
  free(v);
  return m;
}

/* A contact of the duration tests: wait ms, talk ms / 2. */
static void dur_row(csat_agg_answer *x, int64_t ms) {
  ans_init(x);
  x->agent_id = "dur";
  x->outcome = CSAT_OUTCOME_COMPLETED;
  x->wait_ms = ms;
  x->talk_ms = ms / 2;
}

static void add_wait(csat_agg *a, int64_t ms) {
  csat_agg_answer x;
  dur_row(&x, ms);
  CHECK_INT(csat_agg_add_answer(a, &x), CSAT_OK);
}

TEST(durations) {
  enum { N = 700 };
  static uint32_t secs[N];
  static int64_t ms[N];
  kit_rng r;
  csat_agg *whole = new_agg(CSAT_DIM_AGENT, CSAT_PERIOD_NONE, 0);
  int i, split;
  r.s = 0xd0e5;
  /* Patterns that stress the sorted insert: repeats, descending runs, new
   * minima and maxima, and wide random values. */
  for (i = 0; i < N; i++) {
    uint32_t k = kit_below(&r, 5);
    int64_t v = k == 0   ? 5000                              /* one hot second */
                : k == 1 ? (int64_t)(N - i) * 1000 + 499     /* descending */
                : k == 2 ? (int64_t)kit_below(&r, 40) * 1000 /* small repeats */
                : k == 3 ? (int64_t)kit_below(&r, 2592000) * 1000
                         : (int64_t)kit_below(&r, 100000);
    ms[i] = v;
    secs[i] = (uint32_t)((v + 500) / 1000);
  }
  for (i = 0; i < N; i++) {
    csat_metrics m;
    add_wait(whole, ms[i]);
    if (i < 64 || i % 37 == 0 || i == N - 1) {
      memset(&m, 0, sizeof m);
      m.struct_size = sizeof m;
      CHECK_INT(csat_agg_group_count(whole), 1);
      CHECK_INT(csat_agg_metrics(whole, 0, &m), CSAT_OK);
      CHECK_INT(m.wait_count, i + 1);
      CHECK_NEAR(m.wait_median_s, naive_median(secs, (size_t)i + 1));
    }
  }
  /* Any split, each side left with pending values or not, merges into the
   * same bytes as the whole (and the merge in either direction). */
  for (split = 0; split <= N; split += split < 20 ? 1 : 53) {
    csat_agg *x = new_agg(CSAT_DIM_AGENT, CSAT_PERIOD_NONE, 0);
    csat_agg *y = new_agg(CSAT_DIM_AGENT, CSAT_PERIOD_NONE, 0);
    csat_agg *y2 = new_agg(CSAT_DIM_AGENT, CSAT_PERIOD_NONE, 0);
    for (i = 0; i < N; i++) {
      add_wait(i < split ? x : y, ms[i]);
      if (i >= split)
        add_wait(y2, ms[i]);
    }
    CHECK_INT(csat_agg_merge(x, y), CSAT_OK);
    CHECK(same_state(x, whole));
    for (i = 0; i < split; i++)
      add_wait(y2, ms[i]);
    CHECK(same_state(y2, whole));
    csat_agg_free(x);
    csat_agg_free(y);
    csat_agg_free(y2);
  }
  /* Self-merge doubles every bin, pending ones included. */
  {
    csat_agg *d = new_agg(CSAT_DIM_AGENT, CSAT_PERIOD_NONE, 0);
    csat_agg *e = new_agg(CSAT_DIM_AGENT, CSAT_PERIOD_NONE, 0);
    for (i = 0; i < 13; i++) {
      add_wait(d, ms[i]);
      add_wait(e, ms[i]);
      add_wait(e, ms[i]);
    }
    CHECK_INT(csat_agg_merge(d, d), CSAT_OK);
    CHECK(same_state(d, e));
    csat_agg_free(d);
    csat_agg_free(e);
  }
  csat_agg_free(whole);
}

/* ---- durations: windows, outliers, spills, every pairing ------------------ */
/* Value sets that put a duration in each representation: pend only, sparse
 * bins, a dense window, a window widened by later values, a window beside
 * far outliers, and a full window slot spilling into the bins. */
enum { DUR_TINY, DUR_FAR, DUR_DENSE, DUR_WIDEN, DUR_OUTLIERS, DUR_HOT, DUR_CASES };

#define DUR_HOT_VALUES 70000 /* more than a 16-bit window slot holds */
#define DUR_DAY_MS (24LL * 3600 * 1000)

/* The ms values of case c, at most cap of them; their count. */
static size_t dur_case(int c, int64_t *ms, size_t cap) {
  kit_rng r;
  size_t n = 0, i;
  r.s = 0xd1ce + (uint64_t)c;
#define PUT(v)       \
  do {               \
    if (n < cap)     \
      ms[n++] = (v); \
  } while (0)
  switch (c) {
  case DUR_TINY:
    PUT(1499);
    PUT(1500);
    PUT(CSAT__AGG_DUR_MAX_MS);
    break;
  case DUR_FAR: /* sparse: seconds far apart over 30 days */
    for (i = 0; i < 300; i++)
      PUT((int64_t)kit_below(&r, 2592000) * 1000 + (int64_t)kit_below(&r, 1000));
    break;
  case DUR_DENSE: /* talk-like: 60 s .. 11 min */
    for (i = 0; i < 900; i++)
      PUT(60000 + (int64_t)kit_below(&r, 600000));
    break;
  case DUR_WIDEN: /* dense, then creeping past both ends */
    for (i = 0; i < 400; i++)
      PUT(300000 + (int64_t)kit_below(&r, 100000));
    for (i = 0; i < 600; i++)
      PUT(i % 2 ? 400000 + (int64_t)i * 500 : 300000 - (int64_t)i * 400);
    break;
  case DUR_OUTLIERS: /* dense wait times, with 0 and 30-day outliers mixed in */
    for (i = 0; i < 1200; i++) {
      uint32_t k = kit_below(&r, 20);
      PUT(k == 0   ? (int64_t)kit_below(&r, 3) * 1000
          : k == 1 ? CSAT__AGG_DUR_MAX_MS - (int64_t)kit_below(&r, 5) * DUR_DAY_MS -
                         (int64_t)kit_below(&r, 1000) * 1000
                   : 20000 + (int64_t)kit_below(&r, 180000));
    }
    break;
  default: /* DUR_HOT: a window, then one second far past a slot's count */
    for (i = 0; i < 200; i++)
      PUT((int64_t)kit_below(&r, 100) * 1000);
    for (i = 0; i < DUR_HOT_VALUES; i++)
      PUT(42000 + (int64_t)(i % 1000) - 500 + (i % 1000 == 0)); /* 41.5 s .. 42.499 s */
    for (i = 0; i < 50; i++)
      PUT((int64_t)kit_below(&r, 100) * 1000);
    break;
  }
#undef PUT
  return n;
}

/* Both medians of the one group against a naive sort of the values fed. */
static void check_medians(csat_agg *a, const int64_t *ms, size_t n) {
  uint32_t *w = malloc(n * sizeof *w), *t = malloc(n * sizeof *t);
  csat_metrics m;
  size_t i;
  for (i = 0; i < n; i++) {
    w[i] = (uint32_t)((ms[i] + 500) / 1000);
    t[i] = (uint32_t)((ms[i] / 2 + 500) / 1000);
  }
  memset(&m, 0, sizeof m);
  m.struct_size = sizeof m;
  CHECK_INT(csat_agg_group_count(a), 1);
  CHECK_INT(csat_agg_metrics(a, 0, &m), CSAT_OK);
  CHECK_INT(m.wait_count, (int64_t)n);
  CHECK_NEAR(m.wait_median_s, naive_median(w, n));
  CHECK_NEAR(m.talk_median_s, naive_median(t, n));
  free(w);
  free(t);
}

/* The merged view counts every value once, in increasing seconds. */
static void check_dur_view(const csat__agg_dur *d) {
  csat__agg_dur_iter it;
  uint32_t sec, prev = 0, distinct = 0;
  uint64_t c, total = 0;
  int first = 1;
  csat__agg_dur_iter_init(&it, d);
  while (csat__agg_dur_next(&it, &sec, &c)) {
    CHECK(first || sec > prev);
    CHECK(c > 0);
    total += c;
    prev = sec;
    first = 0;
    distinct++;
  }
  CHECK(total == d->n);
  CHECK(distinct == csat__agg_dur_bins(d));
}

/* What the cases are for: each reaches the representation it names. */
static void check_case_shape(int c, const csat__agg_dur *d) {
  check_dur_view(d);
  switch (c) {
  case DUR_TINY: CHECK(d->span == 0 && d->cap == 0 && d->npend == 3); break;
  case DUR_FAR: CHECK(d->span == 0 && d->len > 200); break;
  case DUR_HOT: { /* the hot second's overflow lies in the bins, inside the window */
    uint32_t i, inside = 0;
    for (i = 0; i < d->len; i++)
      inside += d->bins[i].sec - d->base < d->span;
    CHECK(d->span > 0 && inside == 1);
    break;
  }
  case DUR_OUTLIERS: /* the far ones stay sparse */
    CHECK(d->span > 0 && d->span < 1000 && d->len + d->npend >= 20);
    break;
  default: CHECK(d->span > 0); break;
  }
}

TEST(duration_shapes) {
  enum { CAP = DUR_HOT_VALUES + 1000 };
  int64_t *ms = malloc(2 * CAP * sizeof *ms);
  size_t n[DUR_CASES];
  int c, e;
  for (c = 0; c < DUR_CASES; c++) {
    csat_agg *a = new_agg(CSAT_DIM_AGENT, CSAT_PERIOD_NONE, 0);
    size_t i;
    n[c] = dur_case(c, ms, CAP);
    for (i = 0; i < n[c]; i++)
      add_wait(a, ms[i]);
    check_case_shape(c, &a->groups[0].wait);
    check_medians(a, ms, n[c]);
    csat_agg_free(a);
  }
  /* The window widens as values creep past its ends. */
  {
    csat_agg *a = new_agg(CSAT_DIM_AGENT, CSAT_PERIOD_NONE, 0);
    uint32_t span0 = 0;
    size_t i, k = dur_case(DUR_WIDEN, ms, CAP);
    for (i = 0; i < k; i++) {
      add_wait(a, ms[i]);
      if (i == 399)
        span0 = a->groups[0].wait.span;
    }
    CHECK(span0 > 0 && a->groups[0].wait.span > span0);
    csat_agg_free(a);
  }
  /* Values on and just past each end of a window, split over two
   * aggregators or fed to one. */
  {
    csat_agg *a = new_agg(CSAT_DIM_AGENT, CSAT_PERIOD_NONE, 0);
    csat_agg *b = new_agg(CSAT_DIM_AGENT, CSAT_PERIOD_NONE, 0);
    size_t i, k = dur_case(DUR_DENSE, ms, CAP);
    uint32_t base, span;
    int64_t edge[5];
    for (i = 0; i < k; i++)
      add_wait(a, ms[i]);
    base = a->groups[0].wait.base;
    span = a->groups[0].wait.span;
    CHECK(span > 0 && base > 0);
    edge[0] = ((int64_t)base - 1) * 1000;
    edge[1] = (int64_t)base * 1000 - 500; /* rounds up into the window */
    edge[2] = ((int64_t)base + span - 1) * 1000 + 499;
    edge[3] = ((int64_t)base + span) * 1000 - 500; /* rounds up past it */
    edge[4] = ((int64_t)base + span + 1) * 1000;
    for (i = 0; i < 5 * 9; i++) {
      ms[k] = edge[i % 5];
      add_wait(i % 2 ? a : b, ms[k++]);
    }
    check_dur_view(&a->groups[0].wait);
    CHECK_INT(csat_agg_merge(a, b), CSAT_OK);
    check_dur_view(&a->groups[0].wait);
    check_medians(a, ms, k);
    csat_agg_free(b);
    b = new_agg(CSAT_DIM_AGENT, CSAT_PERIOD_NONE, 0);
    for (i = 0; i < k; i++)
      add_wait(b, ms[i]);
    CHECK(same_state(a, b));
    csat_agg_free(a);
    csat_agg_free(b);
  }
  /* Every pair of cases, merged either way, equals feeding both into one
   * aggregator; a self-merge equals feeding everything twice. */
  for (c = 0; c < DUR_CASES; c++)
    for (e = 0; e < DUR_CASES; e++) {
      csat_agg *x = new_agg(CSAT_DIM_AGENT, CSAT_PERIOD_NONE, 0);
      csat_agg *y = new_agg(CSAT_DIM_AGENT, CSAT_PERIOD_NONE, 0);
      csat_agg *whole = new_agg(CSAT_DIM_AGENT, CSAT_PERIOD_NONE, 0);
      size_t nx = dur_case(c, ms, CAP), ny = dur_case(e, ms + nx, CAP), i;
      for (i = 0; i < nx + ny; i++) {
        add_wait(i < nx ? x : y, ms[i]);
        add_wait(whole, ms[i]);
      }
      CHECK_INT(csat_agg_merge(x, y), CSAT_OK);
      check_dur_view(&x->groups[0].wait);
      check_dur_view(&x->groups[0].talk);
      CHECK(same_state(x, whole));
      check_medians(x, ms, nx + ny);
      csat_agg_free(x);
      x = new_agg(CSAT_DIM_AGENT, CSAT_PERIOD_NONE, 0);
      for (i = 0; i < nx; i++)
        add_wait(x, ms[i]);
      CHECK_INT(csat_agg_merge(y, x), CSAT_OK);
      CHECK(same_state(y, whole));
      if (c == e) {
        CHECK_INT(csat_agg_merge(x, x), CSAT_OK);
        CHECK_INT(csat_agg_merge(y, y), CSAT_OK);
        CHECK_INT(csat_agg_merge(whole, whole), CSAT_OK);
        CHECK(same_state(y, whole));
        for (i = 0; i < nx; i++)
          ms[nx + i] = ms[i];
        check_medians(x, ms, 2 * nx);
      }
      csat_agg_free(x);
      csat_agg_free(y);
      csat_agg_free(whole);
    }
  free(ms);
}

/* Fail each allocation of every ingest and merge, once or from there on:
 * the refused call leaves the bytes of an aggregator fed the same values
 * without failures, and the retry ends where that one does. */
static int dur_add_failing(csat_agg *x, fail_alloc *t, long j, int64_t ms) {
  csat_agg_answer a;
  int rc;
  dur_row(&a, ms);
  t->fail_at = t->calls + j;
  rc = csat_agg_add_answer(x, &a);
  t->fail_at = 0;
  return rc;
}

TEST(duration_oom) {
  enum { CAP = DUR_HOT_VALUES + 1000 };
  int64_t *ms = malloc(2 * CAP * sizeof *ms);
  int c, e, persistent;
  for (persistent = 0; persistent < 2; persistent++)
    for (c = 0; c < DUR_CASES; c++)
      for (e = 0; e < DUR_CASES; e += c == DUR_HOT || CHECK_QUICK() ? 2 : 1) {
        fail_alloc t;
        csat_allocator al = fail_alloc_init(&t, 0, persistent);
        csat_agg *x = new_agg_with(CSAT_DIM_AGENT, CSAT_PERIOD_NONE, 0, &al),
                 *y = new_agg(CSAT_DIM_AGENT, CSAT_PERIOD_NONE, 0);
        csat_agg *ref = new_agg(CSAT_DIM_AGENT, CSAT_PERIOD_NONE, 0);
        size_t nx = dur_case(c, ms, CAP), ny = dur_case(e, ms + nx, CAP), i;
        long j, refused = 0;
        int rc = CSAT_OK;
        for (i = 0; i < nx; i++) {
          for (j = 1; (rc = dur_add_failing(x, &t, j, ms[i])) == CSAT_ERR_NOMEM; j++) {
            refused++;
            CHECK(same_state(x, ref));
          }
          CHECK_INT(rc, CSAT_OK);
          add_wait(ref, ms[i]);
        }
        for (i = nx; i < nx + ny; i++)
          add_wait(y, ms[i]);
        for (j = 1;; j++) {
          t.fail_at = t.calls + j;
          rc = csat_agg_merge(x, y);
          t.fail_at = 0;
          if (rc != CSAT_ERR_NOMEM)
            break;
          refused++;
          CHECK(same_state(x, ref));
        }
        CHECK_INT(rc, CSAT_OK);
        CHECK(refused > 0);
        CHECK_INT(csat_agg_merge(ref, y), CSAT_OK);
        CHECK(same_state(x, ref));
        csat_agg_free(x);
        CHECK_INT(t.live, 0);
        csat_agg_free(y);
        csat_agg_free(ref);
      }
  free(ms);
}

/* ---- many answers per call ----------------------------------------------- */
static csat_agg *kit_agg(int which) {
  csat_agg_config c;
  csat_agg *a = NULL;
  kit_config(which, &c, 77);
  if (csat_agg_new(&a, &c, NULL) != CSAT_OK)
    exit(2);
  return a;
}

/* csat_agg_add_answers against one csat_agg_add_answer per row, over
 * AA_N generated rows whose keys repeat often. */
enum { AA_N = 3000 };
static kit_row aa_rows[AA_N];
static csat_agg_answer flat[AA_N];

/* (Re)generate flat[]: the same rows every time. */
static void aa_generate(void) {
  kit_rng r;
  int i;
  r.s = 0xba7c4;
  for (i = 0; i < AA_N; i++) {
    kit_gen(&r, &aa_rows[i]);
    flat[i] = aa_rows[i].a;
    /* repeat keys often, so most rows take the cached way */
    if (i >= 50 && kit_below(&r, 4) != 0) {
      const csat_agg_answer *o = &flat[kit_below(&r, (uint32_t)i)];
      flat[i].agent_id = o->agent_id;
      flat[i].queue_id = o->queue_id;
      flat[i].department = o->department;
      flat[i].channel = o->channel;
      flat[i].survey_id = o->survey_id;
      flat[i].question_id = o->question_id;
      flat[i].language = o->language;
      flat[i].attribute = o->attribute;
      flat[i].time_ms = o->time_ms;
      flat[i].scale_min = o->scale_min;
      flat[i].scale_max = o->scale_max;
      if (flat[i].score >= 0)
        flat[i].score =
            o->scale_min + (int32_t)kit_below(&r, (uint32_t)(o->scale_max - o->scale_min + 1));
    }
  }
}

TEST(add_answers_chunks) {
  int which, i;
  size_t done;
  aa_generate();
  for (which = 0; which < 5; which++) {
    csat_agg *one = kit_agg(which), *many = kit_agg(which);
    size_t at = 0, chunk = 1;
    for (i = 0; i < AA_N; i++)
      CHECK_INT(csat_agg_add_answer(one, &flat[i]), CSAT_OK);
    /* chunks of 1, 2, 3, ... rows: every pipeline fill and drain */
    while (at < AA_N) {
      size_t n = chunk < AA_N - at ? chunk : AA_N - at;
      CHECK_INT(csat_agg_add_answers(many, &flat[at], n, &done), CSAT_OK);
      CHECK_INT(done, n);
      at += n;
      chunk = chunk * 3 / 2 + 1;
    }
    CHECK(same_state(one, many));
    csat_agg_free(one);
    csat_agg_free(many);
  }
}

/* A bad row stops the call there: the rows before it count, it and the
 * rest do not, and the message names it. */
TEST(add_answers_bad_row) {
  csat_agg *got = kit_agg(0), *want = kit_agg(0);
  csat_agg_answer saved;
  int i;
  size_t done;
  aa_generate();
  saved = flat[700];
  flat[700].score = 11;
  flat[700].scale_min = 0;
  flat[700].scale_max = 10;
  CHECK_INT(csat_agg_add_answers(got, flat, AA_N, &done), CSAT_ERR_INVALID_ARG);
  CHECK_INT(done, 700);
  CHECK(strncmp(csat_agg_errmsg(got), "row 700: ", 9) == 0);
  for (i = 0; i < 700; i++)
    CHECK_INT(csat_agg_add_answer(want, &flat[i]), CSAT_OK);
  CHECK(same_state(got, want));
  flat[700] = saved;
  /* a row with another struct_size */
  flat[900].struct_size = sizeof flat[900] - 8;
  CHECK_INT(csat_agg_add_answers(got, &flat[700], AA_N - 700, &done), CSAT_ERR_INVALID_ARG);
  CHECK_INT(done, 200);
  CHECK(strncmp(csat_agg_errmsg(got), "row 200: ", 9) == 0);
  flat[900].struct_size = sizeof flat[900];
  for (i = 700; i < 900; i++)
    CHECK_INT(csat_agg_add_answer(want, &flat[i]), CSAT_OK);
  CHECK(same_state(got, want));
  /* a first row too small to read */
  flat[0].struct_size = 8;
  CHECK_INT(csat_agg_add_answers(got, flat, 1, &done), CSAT_ERR_INVALID_ARG);
  CHECK_INT(done, 0);
  flat[0].struct_size = sizeof flat[0];
  CHECK_INT(csat_agg_add_answers(got, NULL, 0, &done), CSAT_OK);
  CHECK_INT(done, 0);
  CHECK_INT(csat_agg_add_answers(got, NULL, 1, NULL), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_agg_add_answers(NULL, flat, 1, NULL), CSAT_ERR_INVALID_ARG);
  CHECK(same_state(got, want));
  csat_agg_free(got);
  csat_agg_free(want);
}

/* Values are bytes, not addresses: a host buffer reused with other bytes
 * between calls is another value (nothing about a pointer outlives the
 * call), and two buffers with the same bytes are one value. */
TEST(add_answers_reused_buffers) {
  csat_agg *got = kit_agg(0), *want = kit_agg(0);
  char agent[16], same[16];
  csat_agg_answer x[3];
  int round;
  size_t done;
  aa_generate();
  for (round = 0; round < 6; round++) {
    size_t k;
    snprintf(agent, sizeof agent, "agent-%d", round % 3);
    if (round == 4)
      strcpy(agent, "a"); /* shorter than what the buffer held */
    memcpy(same, agent, sizeof same);
    for (k = 0; k < 3; k++) {
      x[k] = flat[k];
      x[k].agent_id = k == 2 ? same : agent;
      x[k].comment = NULL;
      x[k].outcome = k == 0 ? CSAT_OUTCOME_COMPLETED : 0;
      x[k].score = x[k].scale_min;
    }
    CHECK_INT(csat_agg_add_answers(got, x, 3, &done), CSAT_OK);
    for (k = 0; k < 3; k++) {
      csat_agg_answer y = x[k];
      char copy[16];
      memcpy(copy, y.agent_id, sizeof copy);
      y.agent_id = copy;
      /* copy: a reused buffer for the single-row way too */
      CHECK_INT(csat_agg_add_answer(want, &y), CSAT_OK);
    }
    CHECK(same_state(got, want));
  }
  CHECK(csat_agg_group_count(got) >= 3);
  csat_agg_free(got);
  csat_agg_free(want);
}

/* Out of memory at every point: the rows before the failing one count,
 * nothing leaks, and a retry of the rest finishes the same state. */
TEST(add_answers_nomem) {
  csat_agg *ref = kit_agg(2);
  int k, finished = 0;
  int i;
  size_t done;
  aa_generate();
  for (i = 0; i < 400; i++)
    CHECK_INT(csat_agg_add_answer(ref, &flat[i]), CSAT_OK);
  for (k = 1; !finished && k < 5000; k += k < 60 ? 1 : 37) {
    fail_alloc fa;
    csat_allocator al = fail_alloc_init(&fa, 0, 0);
    csat_agg_config c;
    csat_agg *a = NULL;
    int rc;
    kit_config(2, &c, 77);
    CHECK_INT(csat_agg_new(&a, &c, &al), CSAT_OK);
    fa.fail_at = fa.calls + k;
    fa.persistent = 1;
    rc = csat_agg_add_answers(a, flat, 400, &done);
    fa.fail_at = 0;
    if (rc == CSAT_OK) {
      finished = 1;
    } else {
      CHECK_INT(rc, CSAT_ERR_NOMEM);
      CHECK(done < 400);
      CHECK_INT(csat_agg_add_answers(a, &flat[done], 400 - done, NULL), CSAT_OK);
    }
    CHECK(same_state(a, ref));
    csat_agg_free(a);
    CHECK_INT(fa.live, 0);
  }
  CHECK(finished);
  csat_agg_free(ref);
}

TEST(scales) {
  static const struct {
    int min, max;
    uint16_t pos, neg;
  } defaults[] = {{1, 5, 0x30, 0x06},   {1, 3, 0x08, 0x02},   {1, 7, 0xc0, 0x06},
                  {1, 10, 0x600, 0x7e}, {0, 10, 0x600, 0x7f}, {0, 1, 0x02, 0x01}};
  size_t i;
  uint16_t p, n;
  csat_agg *a;
  csat_agg_answer x;
  csat_metrics m;
  /* default positive / negative sets: top-2 / bottom-2 box on 5 points,
   * NPS promoters / detractors on 0..10, yes / no */
  for (i = 0; i < sizeof defaults / sizeof *defaults; i++) {
    csat__agg_scale_defaults(defaults[i].min, defaults[i].max, &p, &n);
    CHECK_INT(p, defaults[i].pos);
    CHECK_INT(n, defaults[i].neg);
  }
  a = new_agg(0, CSAT_PERIOD_NONE, 0);
  CHECK_INT(csat_agg_set_scale(a, 1, 5, 0x38, 0x02), CSAT_OK); /* top-3 / bottom-1 */
  CHECK_INT(csat_agg_set_scale(a, 1, 5, 0x38, 0x0a), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_agg_set_scale(a, 1, 5, 0x01, 0), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_agg_set_scale(a, 5, 5, 0, 0), CSAT_ERR_INVALID_ARG);
  ans_init(&x);
  for (x.score = 1; x.score <= 5; x.score++)
    CHECK_INT(csat_agg_add_answer(a, &x), CSAT_OK);
  csat_agg_group_count(a);
  get_metrics(a, 0, &m);
  CHECK_INT(m.positive, 3);
  CHECK_INT(m.negative, 1);
  csat_agg_free(a);
}

/* Issue 13, item 16: by default a CES answer "agrees" when it lies above the
 * midpoint of its scale. A fixed top 3 counted the neutral 3 of 1..5 and
 * every answer of 1..3. Each scale gets every point once. */
TEST(ces_agree_default) {
  static const struct {
    const char *q;
    int min, max;
    uint32_t mask;
    int64_t agree;
  } cases[] = {
      {"c03", 1, 3, 0, 1},    /* 3 */
      {"c04", 1, 4, 0, 2},    /* 3, 4 (midpoint 2.5) */
      {"c05", 1, 5, 0, 2},    /* 4, 5: the neutral 3 does not agree */
      {"c07", 1, 7, 0, 3},    /* 5, 6, 7 */
      {"c10", 1, 10, 0, 5},   /* 6..10 (midpoint 5.5) */
      {"c11", 0, 10, 0, 5},   /* 6..10 (midpoint 5) */
      {"m05", 1, 5, 0x38, 3}, /* an explicit set is kept: 3, 4, 5 */
  };
  size_t i;
  csat_agg *a = new_agg(CSAT_DIM_QUESTION, CSAT_PERIOD_NONE, 0);
  csat_agg_answer x;
  csat_metrics m;
  ans_init(&x);
  for (i = 0; i < sizeof cases / sizeof *cases; i++) /* configuration before data */
    CHECK_INT(csat_agg_set_ces_question(a, cases[i].q, cases[i].mask), CSAT_OK);
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    x.question_id = cases[i].q;
    x.scale_min = cases[i].min;
    x.scale_max = cases[i].max;
    for (x.score = cases[i].min; x.score <= cases[i].max; x.score++)
      CHECK_INT(csat_agg_add_answer(a, &x), CSAT_OK);
  }
  CHECK_INT(csat_agg_group_count(a), sizeof cases / sizeof *cases);
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    get_metrics(a, i, &m); /* groups in key order: the order of cases[] */
    CHECK_INT(m.ces_count, cases[i].max - cases[i].min + 1);
    CHECK_INT(m.ces_agree, cases[i].agree);
  }
  csat_agg_free(a);
}

/* ---- result records -------------------------------------------------------------- */
static csat_session *run_session(const csat_survey *sv, th *h, const char *agent,
                                 const char *const *events) {
  csat_contact c;
  csat_host vt;
  csat_session *s = NULL;
  int64_t now = 1717171957000;
  kit_contact(&c, CSAT_CHANNEL_VOICE);
  c.agent_id = agent;
  kit_host(&vt, h);
  if (csat_session_new(&s, sv, &c, &vt, NULL) != CSAT_OK)
    exit(2);
  for (; *events; events++)
    kit_event(s, *events, now += 1000);
  return s;
}

#define PIN_LEN 1224
#define PIN_FNV 0x360b62edfb00268dull
TEST(results) {
  static const char *const low[] = {"start", "in:2", "in:9", "in:1", "rec:r1.wav", NULL};
  static const char *const high[] = {"start", "in:5", "in:10", "in:2", NULL};
  static const char *const part[] = {"start", "in:4", "hang", NULL};
  csat_survey *sv = kit_survey("post-call", 1, 0);
  th h;
  csat_session *s1, *s2, *s3, *s4;
  csat_agg *a = new_agg(CSAT_DIM_AGENT | CSAT_DIM_QUESTION, CSAT_PERIOD_DAY, 120);
  csat_agg *b = new_agg(CSAT_DIM_AGENT, CSAT_PERIOD_DAY, 120);
  csat_agg_key k;
  csat_metrics m;
  size_t n, g;
  memset(&h, 0, sizeof h);
  s1 = run_session(sv, &h, "agent-1", low);
  s2 = run_session(sv, &h, "agent-1", high);
  s3 = run_session(sv, &h, "agent-2", part);
  s4 = run_session(sv, &h, "agent-2", (const char *const[]){"start", NULL});
  CHECK_INT(csat_session_outcome(s1), CSAT_OUTCOME_COMPLETED);
  CHECK_INT(csat_session_outcome(s3), CSAT_OUTCOME_PARTIAL);
  CHECK_INT(csat_agg_add_result(a, csat_session_result(s4)), CSAT_ERR_STATE);
  CHECK_INT(csat_agg_add_result(a, csat_session_result(s1)), CSAT_OK);
  CHECK_INT(csat_agg_add_result(a, csat_session_result(s2)), CSAT_OK);
  CHECK_INT(csat_agg_add_result(a, csat_session_result(s3)), CSAT_OK);
  CHECK_INT(csat_agg_add_result(b, csat_session_result(s1)), CSAT_OK);
  CHECK_INT(csat_agg_add_result(b, csat_session_result(s2)), CSAT_OK);
  CHECK_INT(csat_agg_add_result(b, csat_session_result(s3)), CSAT_OK);
  /* per agent and question: 5 questions x 2 agents */
  n = csat_agg_group_count(a);
  CHECK_INT(n, 10);
  memset(&k, 0, sizeof k);
  k.struct_size = sizeof k;
  k.agent_id = "agent-1";
  k.question_id = "csat";
  {
    int64_t local = 1717171958000LL + 120 * 60000, start;
    csat__agg_period_start(CSAT_PERIOD_DAY, local, &start);
    k.period_start = start;
  }
  CHECK_INT(csat_agg_group_find(a, &k, &g), CSAT_OK);
  get_metrics(a, g, &m);
  CHECK_INT(m.count, 2);
  CHECK_NEAR(m.mean, 3.5);
  CHECK_INT(m.contacts, 2);
  CHECK_INT(m.answered, 2);
  CHECK_INT(m.flagged, 1);
  CHECK_INT(m.wait_count, 2);
  CHECK_NEAR(m.wait_mean_s, 45.0);
  CHECK_NEAR(m.talk_median_s, 195.0);
  k.question_id = "note"; /* a text comment: not applicable on voice, not answered */
  CHECK_INT(csat_agg_group_find(a, &k, &g), CSAT_OK);
  get_metrics(a, g, &m);
  CHECK_INT(m.count, 0);
  CHECK_INT(m.contacts, 2);
  CHECK_INT(m.answered, 0);
  k.question_id = "resolved";
  CHECK_INT(csat_agg_group_find(a, &k, &g), CSAT_OK);
  get_metrics(a, g, &m);
  CHECK_INT(m.count, 2);
  CHECK_INT(m.positive, 1); /* yes */
  k.agent_id = "agent-2";
  k.question_id = "nps";
  CHECK_INT(csat_agg_group_find(a, &k, &g), CSAT_OK);
  get_metrics(a, g, &m);
  CHECK_INT(m.count, 0);
  CHECK_INT(m.partial, 1);
  CHECK_INT(m.answered, 0);
  /* per agent only: one contact per result */
  CHECK_INT(csat_agg_group_count(b), 2);
  get_metrics(b, 0, &m);
  CHECK_INT(m.contacts, 2);
  CHECK_INT(m.answered, 2);
  CHECK_INT(m.count, 6); /* csat, nps, resolved twice */
  CHECK_INT(m.nps_count, 2);
  CHECK_INT(m.promoters, 2);
  get_metrics(b, 1, &m);
  CHECK_INT(m.contacts, 1);
  CHECK_INT(m.partial, 1);
  CHECK_INT(m.count, 1);
  /* Every dimension (an attribute; the survey's default language for a
   * contact without one) and two scales, pinned to the blob written when
   * add_result read the session's internals: reading the result through
   * its public accessors changes nothing. */
  {
    csat_agg_config cc;
    csat_agg *x = NULL;
    csat_session *s5 = NULL;
    csat_contact c5;
    csat_host vt;
    const char *const *ev;
    int64_t now = 1717171957000;
    unsigned char *blob;
    size_t len = 0;
    kit_contact(&c5, CSAT_CHANNEL_VOICE);
    c5.language = NULL;
    kit_host(&vt, &h);
    CHECK_INT(csat_session_new(&s5, sv, &c5, &vt, NULL), CSAT_OK);
    for (ev = high; *ev; ev++)
      kit_event(s5, *ev, now += 1000);
    kit_config(2, &cc, 5);
    cc.terms = 1;
    cc.period = CSAT_PERIOD_DAY;
    CHECK_INT(csat_agg_new(&x, &cc, NULL), CSAT_OK);
    CHECK_INT(kit_setup(x), CSAT_OK);
    CHECK_INT(csat_agg_add_result(x, csat_session_result(s1)), CSAT_OK);
    CHECK_INT(csat_agg_add_result(x, csat_session_result(s2)), CSAT_OK);
    CHECK_INT(csat_agg_add_result(x, csat_session_result(s3)), CSAT_OK);
    CHECK_INT(csat_agg_add_result(x, csat_session_result(s5)), CSAT_OK);
    blob = save_blob(x, &len);
    printf("pinned blob: %lu bytes, fnv %016llx\n", (unsigned long)len,
           (unsigned long long)csat__hash_fnv1a(CSAT__HASH_FNV_INIT, blob, len));
    CHECK_INT(len, PIN_LEN);
    CHECK(csat__hash_fnv1a(CSAT__HASH_FNV_INIT, blob, len) == PIN_FNV);
    free(blob);
    csat_agg_free(x);
    csat_session_free(s5);
  }
  csat_session_free(s1);
  csat_session_free(s2);
  csat_session_free(s3);
  csat_session_free(s4);
  csat_survey_free(sv);
  csat_agg_free(a);
  csat_agg_free(b);
}

/* ---- the fast path -------------------------------------------------------------- */
TEST(fast_path) {
  csat_agg *a = new_agg(CSAT_DIM_AGENT, CSAT_PERIOD_NONE, 0);
  csat_agg *b = new_agg(CSAT_DIM_AGENT, CSAT_PERIOD_NONE, 0);
  csat_agg_answer x;
  uint32_t ids[2], slots[6];
  uint8_t scores[6] = {5, 4, 1, 3, 3, 2};
  csat_metrics m;
  int i;
  ans_init(&x);
  x.agent_id = "a";
  CHECK_INT(csat_agg_resolve(a, &x, &ids[0]), CSAT_OK);
  x.agent_id = "b";
  CHECK_INT(csat_agg_resolve(a, &x, &ids[1]), CSAT_OK);
  x.scale_max = 11;
  CHECK_INT(csat_agg_resolve(a, &x, &ids[1]), CSAT_ERR_INVALID_ARG);
  for (i = 0; i < 6; i++)
    slots[i] = ids[i % 2];
  CHECK_INT(csat_agg_add_scores(a, slots, scores, 6), CSAT_OK);
  /* one bad score: nothing applied */
  scores[4] = 0;
  CHECK_INT(csat_agg_add_scores(a, slots, scores, 6), CSAT_ERR_INVALID_ARG);
  slots[3] = 99;
  scores[4] = 3;
  CHECK_INT(csat_agg_add_scores(a, slots, scores, 6), CSAT_ERR_INVALID_ARG);
  /* the same answers through add_answer */
  ans_init(&x);
  for (i = 0; i < 6; i++) {
    static const uint8_t sc[6] = {5, 4, 1, 3, 3, 2};
    x.agent_id = i % 2 ? "b" : "a";
    x.score = sc[i];
    CHECK_INT(csat_agg_add_answer(b, &x), CSAT_OK);
  }
  CHECK(same_state(a, b));
  csat_agg_group_count(a);
  get_metrics(a, 0, &m);
  CHECK_INT(m.count, 3);
  CHECK_NEAR(m.mean, 3.0);
  csat_agg_free(a);
  csat_agg_free(b);
}

/* ---- merge laws and byte identity --------------------------------------------- */
static csat_agg *cfg_agg(int which, uint32_t seed, const csat_allocator *al) {
  csat_agg_config c;
  csat_agg *a = NULL;
  kit_config(which, &c, seed);
  if (csat_agg_new(&a, &c, al) != CSAT_OK || kit_setup(a) != CSAT_OK) {
    fprintf(stderr, "cannot set up configuration %d\n", which);
    exit(2);
  }
  return a;
}

static void feed(csat_agg *a, const kit_row *rows, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if (csat_agg_add_answer(a, &rows[i].a) != CSAT_OK) {
      fprintf(stderr, "add_answer: %s\n", csat_agg_errmsg(a));
      exit(2);
    }
}

/* Merge laws over N generated rows, for each of the five configurations:
 * identity, random splits merged in random orders and trees, commutativity
 * and associativity, restore. Each case generates the same rows (and the
 * random splits draw from the generator after them, as before the split). */
enum { MERGE_PARTS = 7 };

/* One law, checked for configuration `which` against `whole`, the
 * aggregator of all n rows; r is the generator right after the rows. */
typedef void merge_law(int which, const kit_row *rows, size_t n, csat_agg *whole, kit_rng *r);

/* Generate the rows (the same every time) and check law for each of the
 * five configurations, in order. */
static void merge_for_each_config(merge_law *law) {
  const size_t n = CHECK_QUICK() ? 600 : 6000;
  kit_rng r = {0x9e3779b97f4a7c15ull};
  kit_row *rows = malloc(n * sizeof *rows);
  size_t i;
  int which;
  if (rows == NULL)
    exit(2);
  for (i = 0; i < n; i++)
    kit_gen(&r, &rows[i]);
  for (which = 0; which < 5; which++) {
    csat_agg *whole = cfg_agg(which, 1, NULL);
    feed(whole, rows, n);
    law(which, rows, n, whole, &r);
    csat_agg_free(whole);
  }
  free(rows);
}

static void merge_identity(int which, const kit_row *rows, size_t N, csat_agg *whole, kit_rng *r) {
  csat_agg *empty = cfg_agg(which, 99, NULL), *tmp;
  (void)r;
  /* identity */
  tmp = cfg_agg(which, 7, NULL);
  feed(tmp, rows, N);
  CHECK_INT(csat_agg_merge(tmp, empty), CSAT_OK);
  CHECK(same_state(tmp, whole));
  CHECK_INT(csat_agg_merge(empty, tmp), CSAT_OK);
  CHECK(same_state(empty, whole));
  csat_agg_free(tmp);
  csat_agg_free(empty);
}

static void merge_random_trees(int which, const kit_row *rows, size_t N, csat_agg *whole,
                               kit_rng *r) {
  enum { PARTS = MERGE_PARTS };
  const int trials = CHECK_QUICK() ? 1 : 4;
  csat_agg *parts[PARTS], *tmp;
  unsigned char *ref;
  size_t i, ref_len, len;
  int trial, p;
  ref = save_blob(whole, &ref_len);
  /* random splits, random merge orders and trees, random seeds */
  for (trial = 0; trial < trials; trial++) {
    uint32_t order[PARTS];
    for (p = 0; p < PARTS; p++) {
      parts[p] = cfg_agg(which, (uint32_t)(trial * 31 + p + 2), NULL);
      order[p] = (uint32_t)p;
    }
    for (i = 0; i < N; i++) {
      int k = (int)kit_below(r, PARTS);
      if (csat_agg_add_answer(parts[k], &rows[i].a) != CSAT_OK)
        exit(2);
    }
    for (p = PARTS - 1; p > 0; p--) {
      uint32_t j = kit_below(r, (uint32_t)p + 1), t = order[p];
      order[p] = order[j];
      order[j] = t;
    }
    if (trial % 2 == 0) {
      /* left fold in random order */
      for (p = 1; p < PARTS; p++)
        CHECK_INT(csat_agg_merge(parts[order[0]], parts[order[p]]), CSAT_OK);
      tmp = parts[order[0]];
    } else {
      /* pairwise tree through blobs */
      int live = PARTS;
      while (live > 1) {
        int w = 0;
        for (p = 0; p + 1 < live; p += 2) {
          unsigned char *b = save_blob(parts[order[p + 1]], &len);
          CHECK_INT(csat_agg_merge_blob(parts[order[p]], b, len, NULL), CSAT_OK);
          free(b);
          order[w++] = order[p];
        }
        if (live % 2)
          order[w++] = order[live - 1];
        live = w;
      }
      tmp = parts[order[0]];
    }
    {
      unsigned char *b = save_blob(tmp, &len);
      CHECK(len == ref_len && memcmp(b, ref, len) == 0);
      free(b);
    }
    for (p = 0; p < PARTS; p++)
      csat_agg_free(parts[p]);
  }
  free(ref);
}

static void merge_three_parts(int which, const kit_row *rows, size_t N, csat_agg *whole,
                              kit_rng *r) {
  csat_agg *ab, *ba, *abc1, *abc2;
  (void)r;
  /* commutativity and associativity on three parts */
  ab = cfg_agg(which, 3, NULL);
  ba = cfg_agg(which, 4, NULL);
  abc1 = cfg_agg(which, 5, NULL);
  abc2 = cfg_agg(which, 6, NULL);
  {
    csat_agg *x = cfg_agg(which, 8, NULL), *y = cfg_agg(which, 9, NULL),
             *z = cfg_agg(which, 10, NULL);
    feed(x, rows, N / 3);
    feed(y, rows + N / 3, N / 3);
    feed(z, rows + 2 * (N / 3), N - 2 * (N / 3));
    CHECK_INT(csat_agg_merge(ab, x), CSAT_OK);
    CHECK_INT(csat_agg_merge(ab, y), CSAT_OK);
    CHECK_INT(csat_agg_merge(ba, y), CSAT_OK);
    CHECK_INT(csat_agg_merge(ba, x), CSAT_OK);
    CHECK(same_state(ab, ba));
    /* (x + y) + z versus x + (y + z) */
    CHECK_INT(csat_agg_merge(abc1, ab), CSAT_OK);
    CHECK_INT(csat_agg_merge(abc1, z), CSAT_OK);
    CHECK_INT(csat_agg_merge(y, z), CSAT_OK);
    CHECK_INT(csat_agg_merge(abc2, x), CSAT_OK);
    CHECK_INT(csat_agg_merge(abc2, y), CSAT_OK);
    CHECK(same_state(abc1, abc2));
    CHECK(same_state(abc1, whole));
    /* doubling: merge with itself equals merging a copy */
    CHECK_INT(csat_agg_merge(x, x), CSAT_OK);
    CHECK_INT(csat_agg_merge(ab, ba), CSAT_OK);
    CHECK_INT(csat_agg_merge(ba, ba), CSAT_OK);
    CHECK(same_state(ab, ba));
    csat_agg_free(x);
    csat_agg_free(y);
    csat_agg_free(z);
  }
  csat_agg_free(ab);
  csat_agg_free(ba);
  csat_agg_free(abc1);
  csat_agg_free(abc2);
}

static void merge_restore(int which, const kit_row *rows, size_t N, csat_agg *whole, kit_rng *r) {
  unsigned char *ref;
  size_t ref_len;
  (void)which;
  (void)rows;
  (void)N;
  (void)r;
  ref = save_blob(whole, &ref_len);
  /* restore gives the same bytes and the same metrics */
  {
    csat_agg *rs = NULL;
    csat_metrics m1, m2;
    size_t n1, n2, g;
    CHECK_INT(csat_agg_restore(&rs, ref, ref_len, NULL, NULL, NULL), CSAT_OK);
    CHECK(same_state(rs, whole));
    n1 = csat_agg_group_count(whole);
    n2 = csat_agg_group_count(rs);
    CHECK_INT(n1, n2);
    for (g = 0; g < n1; g += 1 + n1 / 50) {
      get_metrics(whole, g, &m1);
      get_metrics(rs, g, &m2);
      CHECK(memcmp(&m1, &m2, sizeof m1) == 0);
    }
    csat_agg_free(rs);
  }
  free(ref);
}

TEST(merge_identity) { merge_for_each_config(merge_identity); }
TEST(merge_random_trees) { merge_for_each_config(merge_random_trees); }
TEST(merge_three_parts) { merge_for_each_config(merge_three_parts); }
TEST(merge_restore) { merge_for_each_config(merge_restore); }

TEST(merge_mismatch) {
  kit_rng r = {0x9e3779b97f4a7c15ull};
  kit_row rows[10];
  int i;
  for (i = 0; i < 10; i++)
    kit_gen(&r, &rows[i]);
  /* incompatible configurations are refused with a message */
  {
    csat_agg *x = cfg_agg(0, 1, NULL), *y = cfg_agg(1, 1, NULL), *z = cfg_agg(0, 1, NULL);
    csat_agg *w = new_agg(CSAT_DIM_AGENT | CSAT_DIM_QUESTION, CSAT_PERIOD_WEEK, -300);
    unsigned char *b;
    csat_error err;
    feed(y, rows, 10);
    CHECK_INT(csat_agg_merge(x, y), CSAT_ERR_MISMATCH);
    CHECK(strstr(csat_agg_errmsg(x), "dimensions") != NULL);
    CHECK_INT(csat_agg_merge(w, z), CSAT_ERR_MISMATCH); /* no CES/CSI/categories */
    CHECK(strstr(csat_agg_errmsg(w), "CES") != NULL);
    b = save_blob(x, &err.offset);
    err.struct_size = sizeof err;
    CHECK_INT(csat_agg_merge_blob(y, b, err.offset, &err), CSAT_ERR_MISMATCH);
    free(b);
    csat_agg_free(x);
    csat_agg_free(y);
    csat_agg_free(z);
    csat_agg_free(w);
  }
}

/* ---- hostile blobs ---------------------------------------------------------------- */
static int restore_rc(const unsigned char *b, size_t len) {
  csat_agg *r = NULL;
  csat_error err;
  int rc;
  err.struct_size = sizeof err;
  rc = csat_agg_restore(&r, b, len, NULL, NULL, &err);
  if (rc == CSAT_OK) {
    /* whatever was accepted must save and restore again */
    size_t l2;
    unsigned char *b2 = save_blob(r, &l2);
    csat_agg *r2 = NULL;
    CHECK_INT(csat_agg_restore(&r2, b2, l2, NULL, NULL, NULL), CSAT_OK);
    csat_agg_free(r2);
    free(b2);
    csat_agg_free(r);
  } else {
    CHECK(r == NULL);
    CHECK(err.message[0] != '\0');
  }
  return rc;
}

static csat_agg *small_agg(void) {
  csat_agg *a = cfg_agg(3, 5, NULL);
  kit_row *rows = malloc(40 * sizeof *rows);
  kit_rng r = {12345};
  size_t i;
  for (i = 0; i < 40; i++) {
    kit_gen(&r, &rows[i]);
    rows[i].a.time_ms = KIT_T0 + (int64_t)(i % 3) * 86400000;
  }
  feed(a, rows, 40);
  free(rows);
  return a;
}

/* A group at CSAT_AGG_COUNT_MAX (as a restore or merge can leave it) takes no
 * more through any ingest path: LIMIT, nothing changed, and what save writes
 * restores. */
TEST(ingest_limit) {
  csat_agg *a = small_agg();
  kit_row row;
  kit_rng r = {777};
  unsigned char *before, *after;
  size_t blen, alen, done = 0;
  uint64_t total = 0;
  uint32_t s = a->groups[0].first_slot, t;
  uint8_t score = (uint8_t)a->slots[s].min;
  int v;
  for (t = s; t != CSAT__AGG_NONE; t = a->slots[t].next)
    for (v = 0; v < 11; v++)
      total += a->hist[(size_t)t * 11 + (size_t)v];
  a->hist[(size_t)s * 11 + score] += CSAT__AGG_COUNT_MAX - total;
  a->count_hi = a->sum_hi = UINT64_MAX; /* as restore leaves it */
  before = save_blob(a, &blen);
  CHECK_INT(restore_rc(before, blen), CSAT_OK);
  CHECK_INT(csat_agg_add_scores(a, &s, &score, 1), CSAT_ERR_LIMIT);
  CHECK(strstr(csat_agg_errmsg(a), "CSAT_AGG_COUNT_MAX") != NULL);
  kit_gen(&r, &row);
  row.a.time_ms = KIT_T0;
  CHECK_INT(csat_agg_add_answer(a, &row.a), CSAT_ERR_LIMIT);
  CHECK_INT(csat_agg_add_answers(a, &row.a, 1, &done), CSAT_ERR_LIMIT);
  CHECK(done == 0);
  {
    csat_agg_record rec;
    memset(&rec, 0, sizeof rec);
    rec.struct_size = sizeof rec;
    rec.time_ms = KIT_T0;
    rec.agent_id = row.a.agent_id;
    rec.queue_id = row.a.queue_id;
    rec.outcome = CSAT_OUTCOME_COMPLETED;
    rec.wait_ms = rec.talk_ms = -1;
    done = 99;
    CHECK_INT(csat_agg_add_records(a, &rec, 1, &done), CSAT_ERR_LIMIT);
    CHECK(done == 0);
  }
  after = save_blob(a, &alen);
  CHECK(alen == blen && memcmp(after, before, alen) == 0);
  CHECK_INT(restore_rc(after, alen), CSAT_OK);
  free(after);
  free(before);
  csat_agg_free(a);
}

TEST(hostile) {
  csat_agg *a = small_agg(), *b;
  unsigned char *blob, *copy;
  size_t len, i;
  int bit, bad = 0;
  blob = save_blob(a, &len);
  CHECK(len > 100);
  CHECK_INT(restore_rc(blob, len), CSAT_OK);
  /* every truncation */
  for (i = 0; i < len; i++) {
    int rc = restore_rc(blob, i);
    if (rc != CSAT_ERR_BLOB && rc != CSAT_ERR_BLOB_VERSION)
      bad++;
  }
  CHECK_INT(bad, 0);
  /* every bit flip */
  copy = malloc(len);
  for (i = 0; i < len; i += CHECK_QUICK() ? 13 : 1)
    for (bit = 0; bit < 8; bit++) {
      int rc;
      memcpy(copy, blob, len);
      copy[i] ^= (unsigned char)(1u << bit);
      rc = restore_rc(copy, len);
      if (rc != CSAT_ERR_BLOB && rc != CSAT_ERR_BLOB_VERSION)
        bad++;
    }
  CHECK_INT(bad, 0);
  /* wrong version */
  memcpy(copy, blob, len);
  copy[4] = 2;
  refix_checksum(copy, len);
  CHECK_INT(restore_rc(copy, len), CSAT_ERR_BLOB_VERSION);
  /* random byte changes past the checksum: validation alone must hold */
  {
    kit_rng r = {777};
    int t, accepted = 0;
    for (t = 0; t < (CHECK_QUICK() ? 300 : 10000); t++) {
      int k, changes = 1 + (int)kit_below(&r, 3), rc;
      memcpy(copy, blob, len);
      for (k = 0; k < changes; k++)
        copy[8 + kit_below(&r, (uint32_t)(len - 16))] = (unsigned char)kit_next(&r);
      refix_checksum(copy, len);
      rc = restore_rc(copy, len);
      if (rc == CSAT_OK)
        accepted++;
      else if (rc != CSAT_ERR_BLOB && rc != CSAT_ERR_BLOB_VERSION) {
        fprintf(stderr, "mutation %d: restore gave %d\n", t, rc);
        if (getenv("AGG_DUMP")) {
          FILE *f = fopen("/tmp/agg_bad.bin", "wb");
          fwrite(copy, 1, len, f);
          fclose(f);
        }
        bad++;
      }
    }
    CHECK_INT(bad, 0);
    CHECK(accepted < 10000);
  }
  free(copy);
  free(blob);
  /* huge counts and inconsistent sums, written through internals */
  {
    uint32_t s = 0;
    uint64_t keep;
    csat__agg_group *g = &a->groups[0];
    while (a->hist[(size_t)s * 11 + 0] == 0 && a->hist[(size_t)s * 11 + 1] == 0 &&
           a->hist[(size_t)s * 11 + 2] == 0 && a->hist[(size_t)s * 11 + 3] == 0)
      s++;
    keep = a->hist[(size_t)s * 11 + a->slots[s].min];
    a->hist[(size_t)s * 11 + a->slots[s].min] = CSAT__AGG_COUNT_MAX + 1;
    blob = save_blob(a, &len);
    CHECK_INT(restore_rc(blob, len), CSAT_ERR_BLOB);
    free(blob);
    a->hist[(size_t)s * 11 + a->slots[s].min] = UINT64_MAX;
    blob = save_blob(a, &len);
    CHECK_INT(restore_rc(blob, len), CSAT_ERR_BLOB);
    free(blob);
    a->hist[(size_t)s * 11 + a->slots[s].min] = keep;
    keep = g->answered;
    g->answered = g->outcomes[1] + g->outcomes[2] + g->outcomes[3] + g->outcomes[4] +
                  g->outcomes[5] + g->outcomes[6] + g->outcomes[7] + g->outcomes[8] + 1;
    blob = save_blob(a, &len);
    CHECK_INT(restore_rc(blob, len), CSAT_ERR_BLOB); /* answered > offered */
    free(blob);
    g->answered = keep;
    g->wait.sum_ms += 1000000;
    blob = save_blob(a, &len);
    CHECK_INT(restore_rc(blob, len), CSAT_ERR_BLOB); /* sum outside what the bins allow */
    free(blob);
    g->wait.sum_ms -= 1000000;
    g->wait.n++;
    blob = save_blob(a, &len);
    CHECK_INT(restore_rc(blob, len), CSAT_ERR_BLOB); /* n differs from the bins */
    free(blob);
    g->wait.n--;
    keep = g->comments_neg;
    g->comments_neg = g->comments + 1;
    blob = save_blob(a, &len);
    CHECK_INT(restore_rc(blob, len), CSAT_ERR_BLOB);
    free(blob);
    g->comments_neg = keep;
    blob = save_blob(a, &len);
    CHECK_INT(restore_rc(blob, len), CSAT_OK);
    /* merge refuses to pass the count limit and leaves dst unchanged */
    b = small_agg();
    b->hist[(size_t)s * 11 + b->slots[s].min] = CSAT__AGG_COUNT_MAX - 1;
    {
      unsigned char *before;
      size_t blen;
      before = save_blob(b, &blen);
      CHECK_INT(csat_agg_merge(b, a), CSAT_ERR_LIMIT);
      CHECK(strstr(csat_agg_errmsg(b), "CSAT_AGG_COUNT_MAX") != NULL);
      {
        size_t alen;
        unsigned char *after = save_blob(b, &alen);
        CHECK(alen == blen && memcmp(after, before, alen) == 0);
        free(after);
      }
      free(before);
    }
    csat_agg_free(b);
    /* a wait-sum overflow names the sum, not the count limit */
    b = small_agg();
    {
      size_t k;
      for (k = 0; k < b->ngroups; k++)
        b->groups[k].wait.sum_ms = b->groups[k].talk.sum_ms = UINT64_MAX;
      CHECK_INT(csat_agg_merge(b, a), CSAT_ERR_LIMIT);
      CHECK(strstr(csat_agg_errmsg(b), "CSAT_AGG_COUNT_MAX") == NULL);
      CHECK(strstr(csat_agg_errmsg(b), "time sum") != NULL);
    }
    csat_agg_free(b);
    free(blob);
  }
  /* empty and tiny inputs */
  CHECK_INT(restore_rc((const unsigned char *)"", 0), CSAT_ERR_BLOB);
  CHECK_INT(restore_rc((const unsigned char *)"CSAG\x01\0\0\0\0\0\0\0\0\0\0\0", 16), CSAT_ERR_BLOB);
  csat_agg_free(a);
}

/* ---- out of memory ---------------------------------------------------------------- */
/* Save without consuming the failure countdown. */
static unsigned char *snap(const csat_agg *a, fail_alloc *t, size_t *len) {
  long fa = t->fail_at, cnt = t->calls;
  unsigned char *b;
  t->fail_at = 0;
  b = save_blob(a, len);
  t->fail_at = fa;
  t->calls = cnt;
  return b;
}

typedef struct oom_env {
  const kit_row *rows;
  const csat_result *result;
  const csat_agg *src;
  const unsigned char *sblob;
  size_t slen;
  const csat_allocator *al;
} oom_env;

#define OOM_STEPS 7

static int oom_step(csat_agg *a, int step, const oom_env *e) {
  switch (step) {
  case 0: return csat_agg_add_answer(a, &e->rows[0].a);
  case 1: return csat_agg_add_result(a, e->result);
  case 2: return csat_agg_merge(a, e->src);
  case 3: return csat_agg_merge_blob(a, e->sblob, e->slen, NULL);
  case 4: {
    csat_agg *rs = NULL;
    int rc = csat_agg_restore(&rs, e->sblob, e->slen, NULL, e->al, NULL);
    csat_agg_free(rs);
    return rc;
  }
  case 5: {
    size_t need = 0;
    unsigned char *b;
    int rc = csat_agg_save(a, NULL, 0, &need);
    if (rc != CSAT_ERR_BUFFER_TOO_SMALL)
      return rc;
    b = malloc(need);
    rc = csat_agg_save(a, b, need, &need);
    free(b);
    return rc;
  }
  default: {
    csat_metrics m;
    csat_term terms[4];
    size_t n = 0;
    int rc;
    csat_agg_group_count(a);
    m.struct_size = sizeof m;
    rc = csat_agg_metrics(a, CSAT_AGG_ALL, &m);
    terms[0].struct_size = sizeof terms[0];
    if (rc == CSAT_OK && a->cfg.terms)
      rc = csat_agg_top_terms(a, 0, CSAT_TERMS_NEGATIVE, 1, terms, 4, &n);
    return rc;
  }
  }
}

TEST(oom) {
  const size_t N = CHECK_QUICK() ? 24 : 200;
  kit_row *rows = malloc(N * sizeof *rows);
  kit_rng r = {4242};
  fail_alloc t;
  csat_allocator al = fail_alloc_init(&t, 0, 0);
  csat_survey *sv = kit_survey("post-call", 1, KS_TEXT);
  csat_session *sess;
  oom_env e;
  size_t i;
  int which, persistent;
  for (i = 0; i < N; i++)
    kit_gen(&r, &rows[i]);
  rows[0].a.agent_id = "brand-new-agent"; /* a new group for the add_answer step */
  rows[0].a.comment = "completely novel words here";
  {
    th h;
    csat_contact c;
    csat_host vt;
    memset(&h, 0, sizeof h);
    kit_contact(&c, CSAT_CHANNEL_SMS);
    kit_host(&vt, &h);
    if (csat_session_new(&sess, sv, &c, &vt, NULL) != CSAT_OK)
      exit(2);
    kit_event(sess, "start", 1717171957000);
    kit_event(sess, "txt:2 rude operator, fraud", 1717171958000);
    kit_event(sess, "txt:9", 1717171959000);
    kit_event(sess, "txt:нет", 1717171960000);
    kit_event(sess, "txt:мошенники, долго ждали", 1717171961000);
    CHECK(csat_session_ended(sess));
  }
  for (which = 0; which < 5; which += 3)
    for (persistent = 0; persistent < 2; persistent++) {
      long k;
      int done = 0, failures = 0;
      unsigned char *ref = NULL;
      size_t ref_len = 0;
      for (k = 0; !done && k < 100000; k++) {
        csat_agg *a, *src;
        unsigned char *before, *mid, *fin;
        size_t blen, mlen, flen;
        int rc = CSAT_OK, step, failed = -1;
        t.fail_at = 0;
        a = cfg_agg(which, 1, &al);
        feed(a, rows + 1, N / 2);
        src = cfg_agg(which, 2, &al);
        feed(src, rows + 1 + N / 2, N / 2 - 1);
        e.rows = rows;
        e.result = csat_session_result(sess);
        e.src = src;
        e.sblob = save_blob(src, &e.slen);
        e.al = &al;
        t.calls = 0;
        t.fail_at = k; /* k == 0: the reference run, nothing fails */
        t.persistent = persistent;
        for (step = 0; step < OOM_STEPS; step++) {
          before = snap(a, &t, &blen);
          rc = oom_step(a, step, &e);
          if (rc != CSAT_OK) {
            CHECK_INT(rc, CSAT_ERR_NOMEM);
            mid = snap(a, &t, &mlen);
            CHECK(mlen == blen && memcmp(mid, before, mlen) == 0);
            free(mid);
            free(before);
            failed = step;
            break;
          }
          free(before);
        }
        /* without failures, finish the run: the result is the reference */
        t.fail_at = 0;
        if (failed >= 0) {
          failures++;
          for (step = failed; step < OOM_STEPS; step++)
            CHECK_INT(oom_step(a, step, &e), CSAT_OK);
        }
        fin = save_blob(a, &flen);
        if (k == 0) {
          ref = fin;
          ref_len = flen;
        } else {
          CHECK(flen == ref_len && memcmp(fin, ref, flen) == 0);
          free(fin);
          if (failed < 0)
            done = 1;
        }
        free((void *)e.sblob);
        csat_agg_free(a);
        csat_agg_free(src);
        CHECK_INT(t.live, 0);
        if (check_failures > 20)
          break;
      }
      CHECK(done);
      CHECK(failures > 10);
      free(ref);
    }
  csat_session_free(sess);
  csat_survey_free(sv);
  free(rows);
}

/* ---- comparison, alerts, ranking, terms, categories ------------------------------- */
static void add_n(csat_agg *a, const char *agent, int64_t t, int score, int n,
                  const char *comment) {
  csat_agg_answer x;
  int i;
  ans_init(&x);
  x.agent_id = agent;
  x.time_ms = t;
  x.score = score;
  x.comment = comment;
  for (i = 0; i < n; i++)
    CHECK_INT(csat_agg_add_answer(a, &x), CSAT_OK);
}

/* csat_agg_outcome_count: every outcome, per group (in group order, not
 * insertion order) and in total, as csat_metrics.outcomes has them. */
TEST(outcome_count) {
  csat_agg *a = new_agg(CSAT_DIM_AGENT, CSAT_PERIOD_NONE, 0);
  static const struct {
    const char *agent;
    int32_t outcome;
  } rows[] = {{"b", CSAT_OUTCOME_DECLINED},        {"b", CSAT_OUTCOME_DECLINED},
              {"b", CSAT_OUTCOME_EXPIRED},         {"b", 0},
              {"a", CSAT_OUTCOME_COMPLETED},       {"a", CSAT_OUTCOME_COMPLETED},
              {"a", CSAT_OUTCOME_ALREADY_ANSWERED}};
  csat_agg_answer x;
  csat_metrics m;
  int64_t n = -1, sum;
  size_t i, g;
  int32_t o;
  for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    ans_init(&x);
    x.agent_id = rows[i].agent;
    x.score = 4;
    x.outcome = rows[i].outcome;
    CHECK_INT(csat_agg_add_answer(a, &x), CSAT_OK);
  }
  CHECK_INT(csat_agg_group_count(a), 2);
  /* group 0 is "a" (bytewise order), though "b" came first */
  CHECK_INT(csat_agg_outcome_count(a, 0, CSAT_OUTCOME_COMPLETED, &n), CSAT_OK);
  CHECK_INT(n, 2);
  CHECK_INT(csat_agg_outcome_count(a, 0, CSAT_OUTCOME_DECLINED, &n), CSAT_OK);
  CHECK_INT(n, 0);
  CHECK_INT(csat_agg_outcome_count(a, 1, CSAT_OUTCOME_DECLINED, &n), CSAT_OK);
  CHECK_INT(n, 2);
  CHECK_INT(csat_agg_outcome_count(a, CSAT_AGG_ALL, CSAT_OUTCOME_ALREADY_ANSWERED, &n), CSAT_OK);
  CHECK_INT(n, 1);
  for (g = 0; g <= 2; g++) {
    size_t gg = g == 2 ? CSAT_AGG_ALL : g;
    memset(&m, 0, sizeof m);
    m.struct_size = sizeof m;
    CHECK_INT(csat_agg_metrics(a, gg, &m), CSAT_OK);
    sum = 0;
    for (o = 1; o <= CSAT_OUTCOME_MAX; o++) {
      n = -1;
      CHECK_INT(csat_agg_outcome_count(a, gg, o, &n), CSAT_OK);
      CHECK_INT(n, m.outcomes[o]);
      sum += n;
    }
    CHECK_INT(sum, m.contacts);
  }
  /* unknown outcomes and groups; NULL */
  CHECK_INT(csat_agg_outcome_count(a, 0, CSAT_OUTCOME_NONE, &n), CSAT_ERR_NOT_FOUND);
  CHECK_INT(csat_agg_outcome_count(a, 0, -1, &n), CSAT_ERR_NOT_FOUND);
  CHECK_INT(csat_agg_outcome_count(a, 0, CSAT_OUTCOME_MAX + 1, &n), CSAT_ERR_NOT_FOUND);
  CHECK_INT(csat_agg_outcome_count(a, 2, CSAT_OUTCOME_COMPLETED, &n), CSAT_ERR_NOT_FOUND);
  CHECK_INT(csat_agg_outcome_count(a, 0, CSAT_OUTCOME_COMPLETED, NULL), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_agg_outcome_count(NULL, 0, CSAT_OUTCOME_COMPLETED, &n), CSAT_ERR_INVALID_ARG);
  csat_agg_free(a);
}

/* Issue 13 item 5: the totals (CSAT_AGG_ALL) need no group order, so the
 * readers give them before csat_agg_group_count and after an ingest that
 * invalidated the order; a single group still needs the order (STATE). */
TEST(all_without_order) {
  csat_agg *a = new_agg(CSAT_DIM_AGENT, CSAT_PERIOD_NONE, 0);
  csat_agg_answer x;
  csat_metrics m;
  csat_comparison c;
  int64_t n = -1;
  int round;
  ans_init(&x);
  for (round = 0; round < 2; round++) {
    x.agent_id = round == 0 ? "b" : "a";
    x.score = round == 0 ? 5 : 1;
    x.outcome = CSAT_OUTCOME_COMPLETED;
    CHECK_INT(csat_agg_add_answer(a, &x), CSAT_OK);
    memset(&m, 0, sizeof m);
    m.struct_size = sizeof m;
    CHECK_INT(csat_agg_metrics(a, CSAT_AGG_ALL, &m), CSAT_OK);
    CHECK_INT(m.count, round + 1);
    CHECK_INT(m.positive, 1);
    CHECK_INT(csat_agg_outcome_count(a, CSAT_AGG_ALL, CSAT_OUTCOME_COMPLETED, &n), CSAT_OK);
    CHECK_INT(n, round + 1);
    memset(&c, 0, sizeof c);
    c.struct_size = sizeof c;
    CHECK_INT(csat_agg_compare(a, CSAT_AGG_ALL, CSAT_AGG_ALL, &c), CSAT_OK);
    CHECK_INT(c.count_b, round + 1);
    /* one group still needs the order */
    CHECK_INT(csat_agg_metrics(a, 0, &m), CSAT_ERR_STATE);
    CHECK_INT(csat_agg_compare(a, CSAT_AGG_ALL, 0, &c), CSAT_ERR_STATE);
    CHECK_INT((int64_t)csat_agg_group_count(a), round + 1);
    CHECK_INT(csat_agg_metrics(a, 0, &m), CSAT_OK);
  }
  CHECK_INT(csat_agg_metrics(NULL, CSAT_AGG_ALL, &m), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_agg_outcome_count(NULL, CSAT_AGG_ALL, 1, &n), CSAT_ERR_INVALID_ARG);
  csat_agg_free(a);
}

#define QUERIES_D0 utc(2024, 3, 4, 12, 0)

/* Agent "a": 8 stable days, then a day where negative answers jump (with
 * categorised comments); agents b, c, d on day 0 for the ranking. */
static csat_agg *queries_agg(void) {
  csat_agg_config c;
  csat_agg *a;
  static const char *const fraud[] = {"fraud*", "мошенн*"};
  size_t n;
  int day;
  int64_t d0 = QUERIES_D0;
  memset(&c, 0, sizeof c);
  c.struct_size = sizeof c;
  c.dimensions = CSAT_DIM_AGENT;
  c.period = CSAT_PERIOD_DAY;
  c.terms = 1;
  CHECK_INT(csat_agg_new(&a, &c, NULL), CSAT_OK);
  CHECK_INT(csat_agg_add_category(a, "fraud", fraud, 2, NULL), CSAT_OK);
  CHECK_INT(csat_agg_add_category(a, "bad", (const char *const[]){"long wait*"}, 1, NULL), CSAT_OK);
  CHECK_INT(csat_agg_add_category(a, "bad2", (const char *const[]){"*"}, 1, NULL),
            CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_agg_category_count(a), 2);
  CHECK_STR(csat_agg_category_name(a, 1), "bad");
  CHECK(csat_agg_category_name(a, 2) == NULL);
  /* agent "a": 8 stable days, then a day where negative answers jump */
  for (day = 0; day < 8; day++) {
    add_n(a, "a", d0 + day * 86400000LL, 5, 40, "helpful and quick");
    add_n(a, "a", d0 + day * 86400000LL, 1, 4, "rude agent");
  }
  add_n(a, "a", d0 + 8 * 86400000LL, 5, 20, "polite");
  add_n(a, "a", d0 + 8 * 86400000LL, 1, 24, "Fraud! They are мошенники, rude");
  add_n(a, "a", d0 + 8 * 86400000LL, 2, 3, "a long waiting time");
  /* agents for ranking: "b" great with many answers, "c" perfect with two */
  add_n(a, "b", d0, 5, 78, NULL);
  add_n(a, "b", d0, 4, 2, NULL);
  add_n(a, "c", d0, 5, 2, NULL);
  add_n(a, "d", d0, 2, 30, NULL);
  add_n(a, "d", d0, 3, 30, NULL);
  n = csat_agg_group_count(a); /* also orders the groups for the queries */
  CHECK_INT(n, 12);
  return a;
}

TEST(queries_series_compare) {
  csat_agg *a = queries_agg();
  csat_comparison cmp;
  size_t first, cnt;
  /* the series of agent a */
  CHECK_INT(csat_agg_series(a, 3, &first, &cnt), CSAT_OK);
  CHECK_INT(first, 0);
  CHECK_INT(cnt, 9);
  CHECK_INT(csat_agg_series(a, 10, &first, &cnt), CSAT_OK);
  CHECK_INT(first, 10);
  CHECK_INT(cnt, 1);
  /* day 7 vs day 8 */
  memset(&cmp, 0, sizeof cmp);
  cmp.struct_size = sizeof cmp;
  CHECK_INT(csat_agg_compare(a, 7, 8, &cmp), CSAT_OK);
  CHECK_INT(cmp.count_a, 44);
  CHECK_INT(cmp.count_b, 47);
  CHECK_NEAR(cmp.negative_a, 4.0 / 44.0);
  CHECK_NEAR(cmp.negative_b, 27.0 / 47.0);
  CHECK(cmp.negative_z > 3.0);
  CHECK(cmp.negative_p < 0.001);
  CHECK(cmp.csat_z < -3.0);
  CHECK_INT(cmp.nps_count_a, 0);
  CHECK_NEAR(cmp.nps_p, 1.0);
  csat_agg_free(a);
}

TEST(queries_alerts) {
  csat_agg *a = queries_agg();
  csat_alert al[16];
  csat_alert_params ap;
  size_t i, cnt;
  /* alerts: only day 8 */
  memset(&ap, 0, sizeof ap);
  ap.struct_size = sizeof ap;
  ap.baseline = 8;
  al[0].struct_size = sizeof al[0];
  CHECK_INT(csat_agg_alerts(a, 0, &ap, al, 4, &cnt), CSAT_ERR_BUFFER_TOO_SMALL);
  CHECK_INT(cnt, 9);
  CHECK_INT(csat_agg_alerts(a, 0, &ap, al, 16, &cnt), CSAT_OK);
  for (i = 0; i < 8; i++) {
    CHECK_INT(al[i].p_alarm, 0);
    CHECK_INT(al[i].group, i);
  }
  CHECK_INT(al[8].p_alarm, 1);
  CHECK_INT(al[8].ewma_alarm, 1);
  CHECK_NEAR(al[8].center, 32.0 / 352.0);
  CHECK(al[8].share > al[8].ucl);
  CHECK_INT(csat_agg_alerts(a, 0, NULL, al, 16, &cnt), CSAT_OK);
  CHECK_INT(al[8].p_alarm, 1);
  csat_agg_free(a);
}

TEST(queries_rank) {
  csat_agg *a = queries_agg();
  csat_rank rk[16];
  csat_rank_params rp;
  size_t i, cnt;
  int found;
  /* ranking: c (2 answers of 5) must not come first; with min_count it is flagged */
  memset(&rp, 0, sizeof rp);
  rp.struct_size = sizeof rp;
  rp.metric = CSAT_RANK_MEAN;
  rp.by_period = 1;
  rp.min_count = 10;
  rk[0].struct_size = sizeof rk[0];
  CHECK_INT(csat_agg_rank(a, &rp, rk, 16, &cnt), CSAT_OK);
  CHECK_INT(cnt, 12);
  /* first pool: day 0 has a, b, c, d */
  found = 0;
  for (i = 0; i < 4; i++) {
    csat_agg_key k;
    memset(&k, 0, sizeof k);
    k.struct_size = sizeof k;
    csat_agg_group_key(a, rk[i].group, &k);
    if (strcmp(k.agent_id, "c") == 0) {
      found = 1;
      CHECK_INT(rk[i].rank, 0);
      CHECK_INT(rk[i].small_sample, 1);
      CHECK(rk[i].shrunk < 5.0);
      CHECK_INT(i, 3);
    }
    if (strcmp(k.agent_id, "b") == 0)
      CHECK_INT(rk[i].rank, 1);
    if (strcmp(k.agent_id, "d") == 0)
      CHECK_INT(rk[i].rank, 3);
  }
  CHECK(found);
  rp.min_count = 0;
  CHECK_INT(csat_agg_rank(a, &rp, rk, 16, &cnt), CSAT_OK);
  {
    csat_agg_key k;
    memset(&k, 0, sizeof k);
    k.struct_size = sizeof k;
    csat_agg_group_key(a, rk[0].group, &k);
    CHECK_STR(k.agent_id, "b"); /* shrinkage keeps c below b */
  }
  rp.metric = 9;
  CHECK_INT(csat_agg_rank(a, &rp, rk, 16, &cnt), CSAT_ERR_INVALID_ARG);
  csat_agg_free(a);
}

/* Issue 13 item 20 (documented): an already_answered contact is neither
 * offered nor answered, even when its row carries a score; the score still
 * counts in the score figures. */
TEST(answered_excludes_already_answered) {
  csat_agg *a = new_agg(CSAT_DIM_AGENT, CSAT_PERIOD_NONE, 0);
  csat_agg_answer x;
  csat_metrics m;
  ans_init(&x);
  x.agent_id = "a";
  x.score = 4;
  x.outcome = CSAT_OUTCOME_COMPLETED;
  CHECK_INT(csat_agg_add_answer(a, &x), CSAT_OK);
  x.outcome = CSAT_OUTCOME_ALREADY_ANSWERED;
  CHECK_INT(csat_agg_add_answer(a, &x), CSAT_OK);
  CHECK_INT(csat_agg_group_count(a), 1);
  memset(&m, 0, sizeof m);
  m.struct_size = sizeof m;
  CHECK_INT(csat_agg_metrics(a, 0, &m), CSAT_OK);
  CHECK_INT(m.count, 2);
  CHECK_INT(m.contacts, 2);
  CHECK_INT(m.offered, 1);
  CHECK_INT(m.answered, 1);
  CHECK(m.response_rate == 1.0);
  csat_agg_free(a);
}

/* Issue 13 item 20: a group without a scored answer is never ranked, but it
 * is a small sample only when min_count asks for more answers than it has. */
TEST(rank_group_without_answers) {
  csat_agg *a = new_agg(CSAT_DIM_AGENT, CSAT_PERIOD_NONE, 0);
  csat_agg_answer x;
  csat_rank rk[4];
  csat_rank_params rp;
  size_t i, cnt = 0;
  add_n(a, "a", 0, 5, 3, NULL);
  ans_init(&x);
  x.agent_id = "e";
  x.outcome = CSAT_OUTCOME_DECLINED; /* a contact, no answer */
  CHECK_INT(csat_agg_add_answer(a, &x), CSAT_OK);
  CHECK_INT(csat_agg_group_count(a), 2); /* orders the groups for the queries */
  memset(&rp, 0, sizeof rp);
  rp.struct_size = sizeof rp;
  rp.metric = CSAT_RANK_MEAN;
  rk[0].struct_size = sizeof rk[0];
  CHECK_INT(csat_agg_rank(a, &rp, rk, 4, &cnt), CSAT_OK);
  CHECK_INT(cnt, 2);
  for (i = 0; i < cnt && i < 2; i++) {
    CHECK_INT(rk[i].small_sample, 0); /* min_count 0: nothing is too small */
    CHECK_INT(rk[i].rank, rk[i].count > 0 ? 1 : 0);
  }
  CHECK_INT(rk[1].count, 0); /* the unranked group comes last */
  rp.min_count = 1;
  CHECK_INT(csat_agg_rank(a, &rp, rk, 4, &cnt), CSAT_OK);
  CHECK_INT(rk[0].small_sample, 0);
  CHECK_INT(rk[1].small_sample, 1);
  CHECK_INT(rk[1].rank, 0);
  csat_agg_free(a);
}

/* Issue 13, item 17: when the between-agent variance is estimated as zero
 * every agent is shrunk to the pool mean; the order then comes from the raw
 * figure, then n, and the output says the shrinkage was total. */
static csat_agg *rank_agg(const char *const *agents, const int *positive, const int *n,
                          size_t count) {
  csat_agg *a = new_agg(CSAT_DIM_AGENT, CSAT_PERIOD_NONE, 0);
  csat_agg_answer x;
  size_t i;
  int j;
  ans_init(&x);
  for (i = 0; i < count; i++) {
    x.agent_id = agents[i];
    for (j = 0; j < n[i]; j++) {
      x.score = j < positive[i] ? 5 : 1;
      CHECK_INT(csat_agg_add_answer(a, &x), CSAT_OK);
    }
  }
  CHECK_INT(csat_agg_group_count(a), count);
  return a;
}

static void check_rank_order(const csat_agg *a, const char *const *want, size_t count,
                             int32_t total) {
  csat_rank rk[8];
  csat_rank_params rp;
  size_t i, cnt = 0;
  memset(&rp, 0, sizeof rp);
  rp.struct_size = sizeof rp;
  rp.metric = CSAT_RANK_CSAT;
  rk[0].struct_size = sizeof rk[0];
  CHECK_INT(csat_agg_rank(a, &rp, rk, 8, &cnt), CSAT_OK);
  CHECK_INT(cnt, count);
  for (i = 0; i < count && i < cnt; i++) {
    csat_agg_key k;
    memset(&k, 0, sizeof k);
    k.struct_size = sizeof k;
    CHECK_INT(csat_agg_group_key(a, rk[i].group, &k), CSAT_OK);
    CHECK_STR(k.agent_id, want[i]);
    CHECK_INT(rk[i].rank, (int32_t)(i + 1));
    CHECK_INT(rk[i].total_shrinkage, total);
  }
}

TEST(queries_rank_ties) {
  static const char *const agents[] = {"amy", "bob", "zed"};
  static const int pos[] = {1, 2, 3}, n[] = {4, 4, 4};
  static const char *const best_first[] = {"zed", "bob", "amy"};
  /* 1/4, 3/4, 2/4, 2/8, 4/8: mean 12/28, within-agent variance 6/23, and
   * the spread between agents is below what that explains: tau2 = 0 again.
   * Equal raw figures:
   * above the mean more answers first (eve 4/8 before cat 2/4), below it
   * fewer first (ann 1/4 before dan 2/8). */
  static const char *const agents2[] = {"ann", "ben", "cat", "dan", "eve"};
  static const int pos2[] = {1, 3, 2, 2, 4}, n2[] = {4, 4, 4, 8, 8};
  static const char *const best_first2[] = {"ben", "eve", "cat", "ann", "dan"};
  static const char *const agents3[] = {"amy", "bob"};
  static const int pos3[] = {0, 20}, n3[] = {20, 20};
  static const char *const best_first3[] = {"bob", "amy"};
  csat_agg *a = rank_agg(agents, pos, n, 3);
  csat_rank_params rp;
  size_t cnt;
  check_rank_order(a, best_first, 3, 1);
  /* A host built before total_shrinkage: its stride ends at small_sample,
   * and nothing past its three elements is written. */
  memset(&rp, 0, sizeof rp);
  rp.struct_size = sizeof rp;
  rp.metric = CSAT_RANK_CSAT;
  {
    unsigned char buf[3 * sizeof(csat_rank)];
    size_t stride = offsetof(csat_rank, total_shrinkage), i;
    csat_rank r;
    memset(buf, 0xAB, sizeof buf);
    memcpy(buf, &stride, sizeof stride);
    CHECK_INT(csat_agg_rank(a, &rp, (csat_rank *)(void *)buf, 3, &cnt), CSAT_OK);
    for (i = 3 * stride; i < sizeof buf; i++)
      CHECK_INT(buf[i], 0xAB);
    memcpy(&r, buf, stride);
    CHECK_INT(r.struct_size, stride);
    CHECK_INT(r.rank, 1);
  }
  csat_agg_free(a);
  a = rank_agg(agents2, pos2, n2, 5);
  check_rank_order(a, best_first2, 5, 1);
  csat_agg_free(a);
  a = rank_agg(agents3, pos3, n3, 2); /* clearly apart: shrinkage is partial */
  check_rank_order(a, best_first3, 2, 0);
  csat_agg_free(a);
}

TEST(queries_terms) {
  csat_agg *a = queries_agg();
  csat_term terms[8];
  size_t i, cnt;
  int found;
  /* terms: negative comments of agent a on day 8 are marked by fraud / rude */
  terms[0].struct_size = sizeof terms[0];
  CHECK_INT(csat_agg_top_terms(a, 8, CSAT_TERMS_NEGATIVE, 1, terms, 8, &cnt), CSAT_OK);
  CHECK(cnt >= 2);
  found = 0;
  for (i = 0; i < cnt; i++) {
    if (strcmp(terms[i].term, "rude") == 0 || strcmp(terms[i].term, "fraud") == 0)
      found++;
    CHECK(terms[i].z > 0);
  }
  CHECK(found == 2);
  CHECK_INT(csat_agg_top_terms(a, CSAT_AGG_ALL, CSAT_TERMS_POSITIVE, 1, terms, 8, &cnt), CSAT_OK);
  CHECK(cnt >= 1);
  found = 0;
  for (i = 0; i < cnt; i++) {
    if (strcmp(terms[i].term, "helpful") == 0 || strcmp(terms[i].term, "quick") == 0)
      found++;
    CHECK(terms[i].z < 0);
  }
  CHECK(found == 2);
  csat_agg_free(a);
}

TEST(queries_categories) {
  csat_agg *a = queries_agg();
  csat_category_counts cc;
  csat_comparison cmp;
  size_t g;
  int64_t d0 = QUERIES_D0;
  /* categories */
  memset(&cc, 0, sizeof cc);
  cc.struct_size = sizeof cc;
  CHECK_INT(csat_agg_category(a, 8, 0, &cc), CSAT_OK);
  CHECK_STR(cc.name, "fraud");
  CHECK_INT(cc.comments, 24);
  CHECK_INT(cc.negative, 24);
  CHECK_INT(csat_agg_category(a, 8, 1, &cc), CSAT_OK);
  CHECK_INT(cc.comments, 3);
  CHECK_INT(csat_agg_category(a, CSAT_AGG_ALL, 0, &cc), CSAT_OK);
  CHECK_INT(cc.comments, 24);
  CHECK_INT(csat_agg_category(a, 8, 2, &cc), CSAT_ERR_NOT_FOUND);
  memset(&cmp, 0, sizeof cmp);
  cmp.struct_size = sizeof cmp;
  /* adding a group invalidates the order */
  add_n(a, "e", d0, 3, 1, NULL);
  CHECK_INT(csat_agg_compare(a, 0, 1, &cmp), CSAT_ERR_STATE);
  CHECK_INT(csat_agg_group_count(a), 13);
  CHECK_INT(csat_agg_group_find(
                a,
                &(csat_agg_key){
                    sizeof(csat_agg_key), "e", NULL, NULL, 0, NULL, NULL, NULL, NULL, 0, 0, {0}},
                &g),
            CSAT_ERR_NOT_FOUND); /* period_start must match */
  csat_agg_free(a);
}

TEST(queries_without_terms) {
  csat_agg *a;
  csat_term terms[8];
  size_t cnt;
  /* without terms: UNSUPPORTED */
  a = new_agg(0, CSAT_PERIOD_NONE, 0);
  add_n(a, "x", 0, 3, 1, "text");
  csat_agg_group_count(a);
  CHECK_INT(csat_agg_top_terms(a, 0, CSAT_TERMS_NEGATIVE, 1, terms, 8, &cnt), CSAT_ERR_UNSUPPORTED);
  csat_agg_free(a);
}

/* ---- keyed hash ------------------------------------------------------------------- */
TEST(hash) {
  csat__agg_seed s1, s2;
  uint32_t k1[4] = {1, 2, 3, 4}, k2[4] = {1, 2, 3, 5};
  const char *key = "agent-0001";
  csat_agg *a;
  csat_agg_config c;
  csat_agg_answer x;
  char name[32];
  int i, same = 0;
  const int groups = CHECK_QUICK() ? 5000 : 50000;
  csat__agg_seed_init(&s1, k1);
  csat__agg_seed_init(&s2, k2);
  CHECK(csat__agg_hash(&s1, key, 10) != csat__agg_hash(&s2, key, 10));
  CHECK(csat__agg_hash(&s1, key, 10) == csat__agg_hash(&s1, key, 10));
  CHECK(csat__agg_hash(&s1, key, 9) != csat__agg_hash(&s1, key, 10));
  for (i = 0; i < 1000; i++) {
    snprintf(name, sizeof name, "k%d", i);
    if ((csat__agg_hash(&s1, name, strlen(name)) & 1023) ==
        (csat__agg_hash(&s2, name, strlen(name)) & 1023))
      same++;
  }
  CHECK(same < 20); /* bucket positions depend on the seed */
  /* many groups: probing stays short, lookups find every key */
  memset(&c, 0, sizeof c);
  c.struct_size = sizeof c;
  c.dimensions = CSAT_DIM_AGENT;
  c.hash_seed[0] = 0xdeadbeef;
  CHECK_INT(csat_agg_new(&a, &c, NULL), CSAT_OK);
  ans_init(&x);
  x.score = 3;
  for (i = 0; i < groups; i++) {
    snprintf(name, sizeof name, "agent-%06d", i);
    x.agent_id = name;
    if (csat_agg_add_answer(a, &x) != CSAT_OK)
      CHECK(0);
  }
  CHECK_INT(csat_agg_group_count(a), groups);
  {
    size_t j, longest = 0, run = 0;
    for (j = 0; j < a->gidx_n; j++) {
      run = a->gidx[j] ? run + 1 : 0;
      if (run > longest)
        longest = run;
    }
    CHECK(longest < 64);
  }
  csat_agg_free(a);
}

static const test_case tests[] = {
    TEST_ENTRY(calendar),
    TEST_ENTRY(clock_once),
    TEST_ENTRY(periods),
    TEST_ENTRY(metrics),
    TEST_ENTRY(durations),
    TEST_ENTRY(duration_shapes),
    TEST_ENTRY(duration_oom),
    TEST_ENTRY(add_answers_chunks),
    TEST_ENTRY(add_answers_bad_row),
    TEST_ENTRY(add_answers_reused_buffers),
    TEST_ENTRY(add_answers_nomem),
    TEST_ENTRY(scales),
    TEST_ENTRY(ces_agree_default),
    TEST_ENTRY(results),
    TEST_ENTRY(fast_path),
    TEST_ENTRY(queries_series_compare),
    TEST_ENTRY(queries_alerts),
    TEST_ENTRY(queries_rank),
    TEST_ENTRY(queries_rank_ties),
    TEST_ENTRY(rank_group_without_answers),
    TEST_ENTRY(answered_excludes_already_answered),
    TEST_ENTRY(queries_terms),
    TEST_ENTRY(queries_categories),
    TEST_ENTRY(queries_without_terms),
    TEST_ENTRY(outcome_count),
    TEST_ENTRY(all_without_order),
    TEST_ENTRY(hash),
    TEST_ENTRY(merge_identity),
    TEST_ENTRY(merge_random_trees),
    TEST_ENTRY(merge_three_parts),
    TEST_ENTRY(merge_restore),
    TEST_ENTRY(merge_mismatch),
    TEST_ENTRY(hostile),
    TEST_ENTRY(ingest_limit),
    TEST_ENTRY(oom),
};

TEST_MAIN(tests)
