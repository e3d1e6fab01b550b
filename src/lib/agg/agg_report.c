/*
 * Reports of an aggregator: CSV (RFC 4180) and JSON, into a caller-owned
 * buffer or through a write callback, one row (object) per group in the
 * aggregator's stable group order.
 *
 * Numbers are formatted here, never by printf: the C library's %f depends on
 * the locale (a decimal comma) and rounds halves to even. Figures that are
 * ratios of integer counts (mean, every share, NPS) and the differences of
 * two such ratios (the compare figures) are rounded exactly from the counts;
 * the others (intervals, p-values, durations) are rounded from their double
 * with csat__stats_round_half_away and then printed exactly. Every figure
 * rounds halves away from zero.
 * SPDX-License-Identifier: MIT
 */
#include "agg_report.h"

#include "agg.h"
#include "agg_stats.h"

#include <string.h>

/* ---- numbers -------------------------------------------------------------- */

#define BIG_LIMBS 40 /* 2^1024 * 10^9 fits in 36 limbs of 32 bits */

/* big = big * 10 */
static size_t big_mul10(uint32_t *big, size_t n) {
  uint64_t carry = 0;
  size_t i;
  for (i = 0; i < n; i++) {
    uint64_t t = (uint64_t)big[i] * 10u + carry;
    big[i] = (uint32_t)t;
    carry = t >> 32;
  }
  if (carry != 0)
    big[n++] = (uint32_t)carry;
  return n;
}

/* big = big << bits */
static size_t big_shl(uint32_t *big, size_t n, unsigned bits) {
  size_t limbs = bits / 32, i;
  unsigned sh = bits % 32;
  uint32_t carry = 0;
  for (i = n; i-- > 0;)
    big[i + limbs] = big[i];
  for (i = 0; i < limbs; i++)
    big[i] = 0;
  n += limbs;
  if (sh != 0) {
    for (i = limbs; i < n; i++) {
      uint32_t v = big[i];
      big[i] = (v << sh) | carry;
      carry = v >> (32 - sh);
    }
    if (carry != 0)
      big[n++] = carry;
  }
  return n;
}

/* big = big >> bits, rounded half up (on the magnitude: half away from zero). */
static size_t big_shr_round(uint32_t *big, size_t n, unsigned bits) {
  size_t limbs = bits / 32, i;
  unsigned sh = bits % 32;
  int half = 0;
  if (bits == 0)
    return n;
  if ((bits - 1) / 32 < n)
    half = (int)((big[(bits - 1) / 32] >> ((bits - 1) % 32)) & 1u);
  if (limbs >= n) {
    n = 1;
    big[0] = 0;
  } else {
    for (i = 0; i + limbs < n; i++)
      big[i] = big[i + limbs];
    n -= limbs;
    if (sh != 0)
      for (i = 0; i < n; i++) {
        uint32_t hi = i + 1 < n ? big[i + 1] : 0;
        big[i] = (big[i] >> sh) | (uint32_t)(hi << (32 - sh));
      }
  }
  if (half) {
    for (i = 0; i < n; i++)
      if (++big[i] != 0)
        break;
    if (i == n)
      big[n++] = 1;
  }
  return n;
}

size_t csat__agg_fmt_fixed(char *dst, double x, int decimals) {
  uint64_t bits, mant;
  uint32_t big[BIG_LIMBS];
  char digits[CSAT__FMT_FIXED_MAX];
  size_t n = 2, nd = 0, len = 0, i;
  int exp2, d, neg;

  memcpy(&bits, &x, sizeof bits); /* IEEE 754 binary64 */
  neg = (int)(bits >> 63);
  exp2 = (int)((bits >> 52) & 0x7ff);
  mant = bits & ((UINT64_C(1) << 52) - 1);
  if (exp2 == 0x7ff)
    return 0;
  if (exp2 == 0)
    exp2 = 1; /* subnormal */
  else
    mant |= UINT64_C(1) << 52;
  exp2 -= 1075; /* |x| = mant * 2^exp2 */
  decimals = decimals < 0 ? 0 : decimals > 9 ? 9 : decimals;

  /* N = mant * 10^decimals * 2^exp2, rounded to an integer: exact. */
  big[0] = (uint32_t)mant;
  big[1] = (uint32_t)(mant >> 32);
  for (d = 0; d < decimals; d++)
    n = big_mul10(big, n);
  if (exp2 >= 0)
    n = big_shl(big, n, (unsigned)exp2);
  else
    n = big_shr_round(big, n, (unsigned)-exp2);
  while (n > 1 && big[n - 1] == 0)
    n--;

  /* Decimal digits of N, least significant first, nine at a time. */
  while (n > 1 || big[0] != 0) {
    uint64_t rem = 0;
    uint32_t chunk;
    for (i = n; i-- > 0;) {
      uint64_t cur = (rem << 32) | big[i];
      big[i] = (uint32_t)(cur / 1000000000u);
      rem = cur % 1000000000u;
    }
    while (n > 1 && big[n - 1] == 0)
      n--;
    chunk = (uint32_t)rem;
    for (d = 0; d < 9; d++) {
      digits[nd++] = (char)('0' + (int)(chunk % 10u));
      chunk /= 10u;
    }
  }
  while (nd > 0 && digits[nd - 1] == '0')
    nd--;
  if (neg && nd > 0)
    dst[len++] = '-'; /* a result of zero has no sign */
  while (nd < (size_t)decimals + 1)
    digits[nd++] = '0';
  for (i = nd; i-- > 0;) {
    dst[len++] = digits[i];
    if (i == (size_t)decimals && decimals > 0)
      dst[len++] = '.';
  }
  return len;
}

size_t csat__agg_fmt_units(char *dst, int64_t units, int decimals) {
  char tmp[24];
  uint64_t m = units < 0 ? (uint64_t)0 - (uint64_t)units : (uint64_t)units;
  size_t n = 0, len = 0;
  decimals = decimals < 0 ? 0 : decimals > 18 ? 18 : decimals;
  do {
    tmp[n++] = (char)('0' + (int)(m % 10u));
    m /= 10u;
  } while (m != 0);
  while (n < (size_t)decimals + 1)
    tmp[n++] = '0';
  if (units < 0)
    dst[len++] = '-';
  while (n > 0) {
    n--;
    dst[len++] = tmp[n];
    if (n == (size_t)decimals && decimals > 0)
      dst[len++] = '.';
  }
  return len;
}

/* ---- output: a caller buffer or a write callback ------------------------- */

#define SINK_CHUNK 4096

typedef struct sink {
  csat__out out;                                          /* buffer mode */
  int (*write)(void *user, const char *data, size_t len); /* stream mode when set */
  void *user;
  int failed; /* the callback refused: nothing more is written */
  size_t n;
  char chunk[SINK_CHUNK];
} sink;

static void sink_flush(sink *s) {
  if (s->write != NULL && s->n > 0 && !s->failed && s->write(s->user, s->chunk, s->n) != 0)
    s->failed = 1;
  s->n = 0;
}

static void put(sink *s, const char *p, size_t n) {
  if (s->write == NULL) {
    csat__out_bytes(&s->out, p, n);
    return;
  }
  while (n > 0 && !s->failed) {
    size_t room = SINK_CHUNK - s->n, k = n < room ? n : room;
    memcpy(s->chunk + s->n, p, k);
    s->n += k;
    p += k;
    n -= k;
    if (s->n == SINK_CHUNK)
      sink_flush(s);
  }
}

static void puts_(sink *s, const char *str) { put(s, str, strlen(str)); }

/* ---- the report walker ------------------------------------------------------
 * One description of the fields drives three outputs: the CSV header (names,
 * nested names joined with '_'), CSV rows and JSON objects (nested). So the
 * header and the rows can never disagree. */

#define MAX_DEPTH 6
#define MAX_PREFIX 320

enum { OUT_CSV_HEADER, OUT_CSV_ROW, OUT_JSON };

typedef struct level {
  size_t prefix_len; /* CSV prefix length before this level */
  int absent;        /* this level holds no values */
  int opened;        /* JSON: '{' written */
} level;

typedef struct report {
  csat_agg *a;
  sink *s;
  int out;   /* OUT_* */
  int cells; /* CSV: cells written on this line */
  int first; /* JSON: no member yet in the current object */
  int depth;
  int absent; /* inside an absent block */
  level lv[MAX_DEPTH];
  char prefix[MAX_PREFIX];
  size_t prefix_len;
  /* alerts of the series being written */
  csat_alert *alerts;
  size_t alerts_cap, alerts_first, alerts_count;
  int alerts_valid;
} report;

/* The shared text writers (JSON strings, CSV cells) write through this. */
static void sink_put(void *ctx, const char *p, size_t n) { put(ctx, p, n); }

static void csv_sep(report *r) {
  if (r->cells++ > 0)
    put(r->s, ",", 1);
}

/* A text cell a + b (quoted and guarded by csv.c). Numbers are written by
 * cells of their own, never guarded. */
static void csv_text(report *r, const char *a, size_t na, const char *b, size_t nb) {
  csv_sep(r);
  csat__csv_text(sink_put, r->s, a, na, b, nb);
}

static void json_str(sink *s, const char *p, size_t n) { csat__json_str(sink_put, s, p, n); }

static void json_member(report *r, const char *name, size_t n) {
  if (!r->first)
    put(r->s, ",", 1);
  r->first = 0;
  json_str(r->s, name, n);
  put(r->s, ":", 1);
}

/* A nested block (JSON object, CSV name prefix). present == 0: JSON null,
 * CSV empty cells for every field inside. */
static void f_begin_n(report *r, const char *name, size_t n, int present) {
  level *l = &r->lv[r->depth++];
  l->prefix_len = r->prefix_len;
  l->absent = r->absent;
  l->opened = 0;
  if (r->out == OUT_JSON) {
    if (!r->absent) {
      json_member(r, name, n);
      if (present) {
        put(r->s, "{", 1);
        r->first = 1;
        l->opened = 1;
      } else {
        put(r->s, "null", 4);
      }
    }
  } else if (r->prefix_len + n + 1 < MAX_PREFIX) {
    memcpy(r->prefix + r->prefix_len, name, n);
    r->prefix[r->prefix_len + n] = '_';
    r->prefix_len += n + 1;
  }
  if (!present)
    r->absent = 1;
}

static void f_begin(report *r, const char *name, int present) {
  f_begin_n(r, name, strlen(name), present);
}

static void f_end(report *r) {
  level *l = &r->lv[--r->depth];
  if (l->opened) {
    put(r->s, "}", 1);
    r->first = 0;
  }
  r->prefix_len = l->prefix_len;
  r->absent = l->absent;
}

/* One field: text of a number (is_text 0) or a string (is_text 1); NULL
 * text: no value (JSON null, CSV empty cell). */
static void f_value(report *r, const char *name, const char *text, size_t len, int is_text) {
  if (r->out == OUT_CSV_HEADER) {
    csv_text(r, r->prefix, r->prefix_len, name, strlen(name));
    return;
  }
  if (r->out == OUT_CSV_ROW) {
    if (r->absent || text == NULL) {
      csv_sep(r);
    } else if (is_text) {
      csv_text(r, text, len, "", 0);
    } else {
      csv_sep(r);
      put(r->s, text, len);
    }
    return;
  }
  if (r->absent)
    return;
  json_member(r, name, strlen(name));
  if (text == NULL)
    put(r->s, "null", 4);
  else if (is_text)
    json_str(r->s, text, len);
  else
    put(r->s, text, len);
}

static void f_int(report *r, const char *name, int64_t v) {
  char buf[24];
  f_value(r, name, buf, csat__agg_fmt_units(buf, v, 0), 0);
}

/* num / den in units of 10^-decimals, exactly rounded; scale 100 gives a
 * percentage. No value when den is 0. */
static void f_ratio(report *r, const char *name, int64_t num, int64_t den, int scale100,
                    int decimals) {
  char buf[48];
  int64_t units;
  if (den <= 0) {
    f_value(r, name, NULL, 0, 0);
    return;
  }
  units = csat__stats_round_ratio(num, (uint64_t)den, decimals + (scale100 ? 2 : 0));
  f_value(r, name, buf, csat__agg_fmt_units(buf, units, decimals), 0);
}

/* A double (times 100 when scale100), rounded half away from zero. */
static void f_dbl(report *r, const char *name, int present, double v, int scale100, int decimals) {
  char buf[CSAT__FMT_FIXED_MAX];
  size_t n = 0;
  if (present) {
    if (scale100)
      v *= 100.0;
    n = csat__agg_fmt_fixed(buf, csat__stats_round_half_away(v, decimals), decimals);
  }
  f_value(r, name, n > 0 ? buf : NULL, n, 0);
}

static void f_str(report *r, const char *name, const char *v) {
  if (v == NULL)
    v = "";
  f_value(r, name, v, strlen(v), 1);
}

static void line_begin(report *r) {
  r->cells = 0;
  r->first = 1;
  r->prefix_len = 0;
  r->absent = 0;
  r->depth = 0;
  if (r->out == OUT_JSON)
    put(r->s, "{", 1);
}

static void line_end(report *r) {
  if (r->out == OUT_JSON)
    put(r->s, "}", 1);
  else
    put(r->s, "\r\n", 2);
}

/* ---- what a report holds -------------------------------------------------- */

static const char *const dim_names[CSAT__AGG_DIMS] = {
    "agent", "queue", "department", "channel", "survey", "question", "language", "attribute"};

static const char *period_name(int32_t period) {
  static const char *const names[] = {"none", "hour", "day", "week", "month", "quarter", "year"};
  return period >= 0 && period <= CSAT_PERIOD_YEAR ? names[period] : "none";
}

static const char *alarm_name(int32_t alarm) {
  return alarm > 0 ? "high" : alarm < 0 ? "low" : "ok";
}

/* Days since 1970-01-01 to a civil date (proleptic Gregorian). */
static void civil(int64_t days, int64_t *y, int *m, int *d) {
  int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

static size_t put2(char *p, int v) {
  p[0] = (char)('0' + v / 10 % 10);
  p[1] = (char)('0' + v % 10);
  return 2;
}

/* "2026-11-16", or "2026-11-16T14:00" for hours. */
static size_t period_start_text(int32_t period, int64_t start, char *buf) {
  int64_t day = start >= 0 ? start / 86400000 : -((-start + 86399999) / 86400000);
  int64_t y;
  int m, d, hour = (int)((start - day * 86400000) / 3600000);
  size_t n;
  civil(day, &y, &m, &d);
  n = csat__agg_fmt_units(buf, y, 0);
  while (n < 4) { /* years 1..999: zero-padded like the labels */
    memmove(buf + 1, buf, n++);
    buf[0] = '0';
  }
  buf[n++] = '-';
  n += put2(buf + n, m);
  buf[n++] = '-';
  n += put2(buf + n, d);
  if (period == CSAT_PERIOD_HOUR) {
    buf[n++] = 'T';
    n += put2(buf + n, hour);
    memcpy(buf + n, ":00", 3);
    n += 3;
  }
  return n;
}

static void key_fields(report *r, const csat_agg_key *k, int total) {
  const csat__agg_cfg *c = &r->a->cfg;
  int i;
  for (i = 0; i < CSAT__AGG_DIMS; i++) {
    const char *v = "*";
    char num[24];
    if (!(c->dims & (1u << i)))
      continue;
    if (total && r->out == OUT_JSON)
      continue;
    if (!total) {
      switch (i) {
      case 0: v = k->agent_id; break;
      case 1: v = k->queue_id; break;
      case 2: v = k->department; break;
      case CSAT__AGG_DIM_CHANNEL:
        v = k->channel == CSAT_CHANNEL_VOICE ? "voice"
            : k->channel == CSAT_CHANNEL_SMS ? "sms"
            : k->channel == CSAT_CHANNEL_CHAT
                ? "chat"
                : (num[csat__agg_fmt_units(num, k->channel, 0)] = '\0', num);
        break;
      case 4: v = k->survey_id; break;
      case CSAT__AGG_DIM_QUESTION: v = k->question_id; break;
      case 6: v = k->language; break;
      default: v = k->attribute; break;
      }
    }
    f_str(r, dim_names[i], v);
  }
  if (c->period != CSAT_PERIOD_NONE && !(total && r->out == OUT_JSON)) {
    char buf[32];
    if (total) {
      f_str(r, "period", "*");
      f_str(r, "period_start", "*");
    } else {
      f_str(r, "period", k->period_label);
      f_value(r, "period_start", buf, period_start_text(c->period, k->period_start, buf), 1);
    }
  }
}

static void metric_fields(report *r, const csat_metrics *m) {
  int64_t sum = 0;
  int v, has = m->count > 0;
  char name[4] = {'d', 0, 0, 0};
  for (v = 0; v <= 10; v++)
    sum += (int64_t)v * m->distribution[v];

  f_int(r, "n", m->count);
  f_ratio(r, "mean", sum, m->count, 0, 2);
  f_dbl(r, "sd", m->count >= 2, m->sd, 0, 2);
  f_dbl(r, "mean_pct", has, m->mean_pct, 0, 1);
  f_begin(r, "csat", 1);
  f_ratio(r, "pct", m->positive, m->count, 1, 1);
  f_dbl(r, "lo", has, m->csat_lo, 1, 1);
  f_dbl(r, "hi", has, m->csat_hi, 1, 1);
  f_end(r);
  f_begin(r, "negative", 1);
  f_ratio(r, "pct", m->negative, m->count, 1, 1);
  f_dbl(r, "lo", has, m->negative_lo, 1, 1);
  f_dbl(r, "hi", has, m->negative_hi, 1, 1);
  f_end(r);
  f_begin(r, "nps", 1);
  f_int(r, "n", m->nps_count);
  f_ratio(r, "value", m->promoters - m->detractors, m->nps_count, 1, 1);
  f_dbl(r, "lo", m->nps_count > 0, m->nps_lo, 0, 1);
  f_dbl(r, "hi", m->nps_count > 0, m->nps_hi, 0, 1);
  f_end(r);
  f_begin(r, "ces", 1);
  f_int(r, "n", m->ces_count);
  f_dbl(r, "mean", m->ces_count > 0, m->ces_mean, 0, 2);
  f_ratio(r, "agree_pct", m->ces_agree, m->ces_count, 1, 1);
  f_end(r);
  f_begin(r, "csi", 1);
  f_int(r, "n", m->csi_count);
  f_dbl(r, "value", m->csi_count > 0, m->csi, 0, 1);
  f_end(r);
  f_begin(r, "contacts", 1);
  f_int(r, "n", m->contacts);
  f_int(r, "offered", m->offered);
  f_int(r, "answered", m->answered);
  f_int(r, "completed", m->completed);
  f_int(r, "partial", m->partial);
  f_int(r, "opted_out", m->opted_out);
  f_ratio(r, "response_pct", m->answered, m->offered, 1, 1);
  f_dbl(r, "response_lo", m->offered > 0, m->response_lo, 1, 1);
  f_dbl(r, "response_hi", m->offered > 0, m->response_hi, 1, 1);
  f_int(r, "flagged", m->flagged);
  f_int(r, "escalation_offered", m->escalation_offered);
  f_int(r, "escalated", m->escalated);
  f_end(r);
  f_begin(r, "wait", 1);
  f_int(r, "n", m->wait_count);
  f_dbl(r, "mean_s", m->wait_count > 0, m->wait_mean_s, 0, 1);
  f_dbl(r, "median_s", m->wait_count > 0, m->wait_median_s, 0, 1);
  f_end(r);
  f_begin(r, "talk", 1);
  f_int(r, "n", m->talk_count);
  f_dbl(r, "mean_s", m->talk_count > 0, m->talk_mean_s, 0, 1);
  f_dbl(r, "median_s", m->talk_count > 0, m->talk_median_s, 0, 1);
  f_end(r);
  f_begin(r, "comments", 1);
  f_int(r, "n", m->comments);
  f_int(r, "negative", m->comments_negative);
  f_int(r, "positive", m->comments_positive);
  f_end(r);
  /* The distribution: d0..d10 cells in CSV, an array in JSON. */
  if (r->out == OUT_JSON) {
    json_member(r, "distribution", 12);
    put(r->s, "[", 1);
    for (v = 0; v <= 10; v++) {
      char buf[24];
      if (v > 0)
        put(r->s, ",", 1);
      put(r->s, buf, csat__agg_fmt_units(buf, m->distribution[v], 0));
    }
    put(r->s, "]", 1);
  } else {
    for (v = 0; v <= 10; v++) {
      size_t n = 1;
      if (v == 10)
        name[n++] = '1';
      name[n++] = (char)('0' + v % 10);
      name[n] = '\0';
      f_int(r, name, m->distribution[v]);
    }
  }
}

/* (num_b / den_b - num_a / den_a) in units of 10^-decimals, exactly rounded
 * from the counts as f_ratio does (the difference of two doubles can fall on
 * the wrong side of a tie: -0.225 printed as -0.22); scale 100 gives
 * percentage points. No value when a den is 0. */
static void f_ratio_diff(report *r, const char *name, int64_t num_b, uint64_t den_b, int64_t num_a,
                         uint64_t den_a, int scale100, int decimals) {
  char buf[48];
  int64_t units;
  if (den_a == 0 || den_b == 0) {
    f_value(r, name, NULL, 0, 0);
    return;
  }
  units = csat__stats_round_ratio_diff(num_b, den_b, num_a, den_a, decimals + (scale100 ? 2 : 0));
  f_value(r, name, buf, csat__agg_fmt_units(buf, units, decimals), 0);
}

static int compare_fields(report *r, size_t g, size_t first) {
  csat_comparison c;
  csat_agg_key prev;
  csat__agg_sums x, y; /* of g - 1 (a) and g (b): the exact differences */
  int rc, have = g > first && r->out != OUT_CSV_HEADER;
  memset(&c, 0, sizeof c);
  memset(&prev, 0, sizeof prev);
  memset(&x, 0, sizeof x);
  memset(&y, 0, sizeof y);
  if (have) {
    c.struct_size = sizeof c;
    prev.struct_size = sizeof prev;
    if ((rc = csat_agg_compare(r->a, g - 1, g, &c)) != CSAT_OK ||
        (rc = csat_agg_group_key(r->a, g - 1, &prev)) != CSAT_OK)
      return rc;
    csat__agg_sums_group(r->a, r->a->order[g - 1], &x);
    csat__agg_sums_group(r->a, r->a->order[g], &y);
  }
  f_begin(r, "compare", have || r->out == OUT_CSV_HEADER);
  f_str(r, "previous", prev.period_label);
  f_ratio_diff(r, "csat_diff_pts", (int64_t)y.pos, y.n, (int64_t)x.pos, x.n, 1, 1);
  f_dbl(r, "csat_p", c.count_a > 0 && c.count_b > 0, c.csat_p, 0, 4);
  f_ratio_diff(r, "negative_diff_pts", (int64_t)y.neg, y.n, (int64_t)x.neg, x.n, 1, 1);
  f_dbl(r, "negative_p", c.count_a > 0 && c.count_b > 0, c.negative_p, 0, 4);
  f_ratio_diff(r, "nps_diff", (int64_t)y.prom - (int64_t)y.det, y.nps_n,
               (int64_t)x.prom - (int64_t)x.det, x.nps_n, 1, 1);
  f_dbl(r, "nps_p", c.nps_count_a > 0 && c.nps_count_b > 0, c.nps_p, 0, 4);
  f_ratio_diff(r, "mean_diff", (int64_t)y.sum, y.n, (int64_t)x.sum, x.n, 0, 2);
  f_end(r);
  return CSAT_OK;
}

/* Control-chart figures of group g (none: the total, which has no series). */
static int alert_fields(report *r, size_t g, size_t first, size_t count,
                        const csat_alert_params *params, int none) {
  const csat_alert *al = NULL;
  int rc;
  if (r->out != OUT_CSV_HEADER && !none) {
    if (!r->alerts_valid || r->alerts_first != first) {
      if (count > r->alerts_cap)
        return CSAT_ERR_INVALID_ARG; /* cannot happen: sized before */
      /* The caller's struct size, in the first element, is the stride. */
      r->alerts[0].struct_size = sizeof(csat_alert);
      rc = csat_agg_alerts(r->a, first, params, r->alerts, r->alerts_cap, &r->alerts_count);
      if (rc != CSAT_OK)
        return rc;
      r->alerts_first = first;
      r->alerts_valid = 1;
    }
    if (g - first < r->alerts_count)
      al = &r->alerts[g - first];
  }
  if (none)
    r->absent = 1; /* nothing in JSON, empty cells in CSV */
  f_begin(r, "alert", al != NULL || r->out == OUT_CSV_HEADER);
  f_dbl(r, "center_pct", al != NULL, al ? al->center : 0, 1, 1);
  f_dbl(r, "lcl_pct", al != NULL && al->count > 0, al ? al->lcl : 0, 1, 1);
  f_dbl(r, "ucl_pct", al != NULL && al->count > 0, al ? al->ucl : 0, 1, 1);
  f_str(r, "p_chart", al ? alarm_name(al->p_alarm) : "");
  f_dbl(r, "ewma_pct", al != NULL, al ? al->ewma : 0, 1, 1);
  f_dbl(r, "ewma_ucl_pct", al != NULL, al ? al->ewma_ucl : 0, 1, 1);
  f_str(r, "ewma", al ? alarm_name(al->ewma_alarm) : "");
  f_end(r);
  if (none)
    r->absent = 0;
  return CSAT_OK;
}

static int category_fields(report *r, size_t g) {
  int32_t i, n = csat_agg_category_count(r->a);
  int rc;
  if (n <= 0)
    return CSAT_OK;
  f_begin(r, "categories", 1);
  for (i = 0; i < n; i++) {
    csat_category_counts cc;
    const char *name = csat_agg_category_name(r->a, i);
    memset(&cc, 0, sizeof cc);
    cc.struct_size = sizeof cc;
    if (r->out != OUT_CSV_HEADER && (rc = csat_agg_category(r->a, g, i, &cc)) != CSAT_OK)
      return rc;
    f_begin(r, name ? name : "", 1);
    f_int(r, "n", cc.comments);
    f_int(r, "negative", cc.negative);
    f_int(r, "positive", cc.positive);
    f_end(r);
  }
  f_end(r);
  return CSAT_OK;
}

/* One group (g < groups), the total (g == CSAT_AGG_ALL) or the CSV header
 * (out == OUT_CSV_HEADER, g ignored). */
static int write_line(report *r, size_t g, uint32_t flags, const csat_alert_params *params) {
  csat_agg_key k;
  csat_metrics m;
  size_t first = 0, count = 1;
  int rc, total = g == CSAT_AGG_ALL;
  memset(&k, 0, sizeof k);
  memset(&m, 0, sizeof m);
  k.struct_size = sizeof k;
  m.struct_size = sizeof m;
  if (r->out != OUT_CSV_HEADER) {
    if (!total && ((rc = csat_agg_group_key(r->a, g, &k)) != CSAT_OK ||
                   (rc = csat_agg_series(r->a, g, &first, &count)) != CSAT_OK))
      return rc;
    if ((rc = csat_agg_metrics(r->a, g, &m)) != CSAT_OK)
      return rc;
  }
  line_begin(r);
  key_fields(r, &k, total);
  metric_fields(r, &m);
  if (flags & CSAT_REPORT_COMPARE) {
    if (total)
      r->absent = 1; /* empty cells in CSV, nothing in JSON */
    if ((rc = compare_fields(r, total ? 0 : g, total ? 0 : first)) != CSAT_OK)
      return rc;
    r->absent = 0;
  }
  if ((flags & CSAT_REPORT_ALERTS) &&
      (rc = alert_fields(r, g, first, count, params, total)) != CSAT_OK)
    return rc;
  if ((flags & CSAT_REPORT_CATEGORIES) && (rc = category_fields(r, g)) != CSAT_OK)
    return rc;
  line_end(r);
  return CSAT_OK;
}

#define KNOWN_FLAGS                                                                        \
  (CSAT_REPORT_TOTAL | CSAT_REPORT_COMPARE | CSAT_REPORT_ALERTS | CSAT_REPORT_CATEGORIES | \
   CSAT_REPORT_NO_HEADER)

static int run(csat_agg *a, const csat_report_options *opt, sink *s, int json) {
  report r;
  uint32_t flags = 0;
  const csat_alert_params *params = NULL;
  size_t ng, g;
  int rc = CSAT_OK;

  if (a == NULL)
    return CSAT_ERR_INVALID_ARG;
  if (opt != NULL) {
    if (!CSAT__COVERS(csat_report_options, opt->struct_size, flags))
      return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "report options: struct_size too small");
    flags = opt->flags;
    if (CSAT__COVERS(csat_report_options, opt->struct_size, alerts))
      params = opt->alerts;
  }
  if (flags & ~KNOWN_FLAGS)
    return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "report options: unknown flag 0x%x",
                          (unsigned)(flags & ~KNOWN_FLAGS));
  memset(&r, 0, sizeof r);
  r.a = a;
  r.s = s;
  ng = csat_agg_group_count(a);

  if (flags & CSAT_REPORT_ALERTS) {
    /* Room for the longest series, taken before anything is written. */
    size_t longest = 1, first, count;
    for (g = 0; g < ng; g += count) {
      if ((rc = csat_agg_series(a, g, &first, &count)) != CSAT_OK)
        return rc;
      if (count == 0)
        count = 1;
      if (count > longest)
        longest = count;
    }
    if (longest > SIZE_MAX / sizeof(csat_alert))
      return csat__agg_fail(a, CSAT_ERR_NOMEM, "report: out of memory");
    r.alerts = csat__malloc(&a->alloc, longest * sizeof(csat_alert));
    if (r.alerts == NULL)
      return csat__agg_fail(a, CSAT_ERR_NOMEM, "report: out of memory");
    r.alerts_cap = longest;
  }

  if (json) {
    const csat__agg_cfg *c = &a->cfg;
    int i, n = 0;
    r.out = OUT_JSON;
    puts_(s, "{\"report\":\"csat_agg\",\"version\":1,\"dimensions\":[");
    for (i = 0; i < CSAT__AGG_DIMS; i++)
      if (c->dims & (1u << i)) {
        if (n++ > 0)
          put(s, ",", 1);
        json_str(s, dim_names[i], strlen(dim_names[i]));
      }
    put(s, "]", 1);
    if (c->dims & CSAT_DIM_ATTRIBUTE) {
      puts_(s, ",\"attribute_key\":");
      json_str(s, c->attr_key, strlen(c->attr_key));
    }
    puts_(s, ",\"period\":");
    json_str(s, period_name(c->period), strlen(period_name(c->period)));
    if (c->tz_callback) {
      puts_(s, ",\"time_zone\":");
      json_str(s, c->tz_name, strlen(c->tz_name));
    } else {
      char buf[24];
      puts_(s, ",\"utc_offset_min\":");
      put(s, buf, csat__agg_fmt_units(buf, c->offset_min, 0));
    }
    puts_(s, ",\"groups\":[");
  } else if (!(flags & CSAT_REPORT_NO_HEADER)) {
    r.out = OUT_CSV_HEADER;
    rc = write_line(&r, 0, flags, params);
  }
  if (!json)
    r.out = OUT_CSV_ROW;

  for (g = 0; g < ng && rc == CSAT_OK && !s->failed; g++) {
    if (json)
      puts_(s, g > 0 ? ",\n" : "\n");
    rc = write_line(&r, g, flags, params);
  }
  if (json && rc == CSAT_OK)
    puts_(s, ng > 0 ? "\n]" : "]");
  if ((flags & CSAT_REPORT_TOTAL) && rc == CSAT_OK) {
    if (json)
      puts_(s, ",\n\"total\":");
    rc = write_line(&r, CSAT_AGG_ALL, flags, params);
  }
  if (json && rc == CSAT_OK)
    puts_(s, "}\n");
  if (r.alerts != NULL)
    csat__free(&a->alloc, r.alerts);
  return rc;
}

static int report_buffer(csat_agg *a, const csat_report_options *opt, char *buf, size_t cap,
                         size_t *needed, int json) {
  sink s;
  int rc;
  if (needed != NULL)
    *needed = 0;
  if (a == NULL || (buf == NULL && cap > 0))
    return CSAT_ERR_INVALID_ARG;
  memset(&s, 0, offsetof(sink, chunk));
  csat__out_init(&s.out, buf, cap);
  rc = run(a, opt, &s, json);
  if (rc != CSAT_OK) {
    if (cap > 0)
      buf[0] = '\0';
    return rc;
  }
  return csat__out_finish_text(&s.out, needed);
}

static int report_stream(csat_agg *a, const csat_report_options *opt,
                         int (*write)(void *user, const char *data, size_t len), void *user,
                         int json) {
  sink s;
  int rc;
  if (a == NULL || write == NULL)
    return CSAT_ERR_INVALID_ARG;
  memset(&s, 0, offsetof(sink, chunk));
  s.write = write;
  s.user = user;
  rc = run(a, opt, &s, json);
  if (rc == CSAT_OK)
    sink_flush(&s);
  if (rc == CSAT_OK && s.failed)
    rc = csat__agg_fail(a, CSAT_ERR_CALLBACK, "report: the write callback failed");
  return rc;
}

int csat_agg_report_csv(csat_agg *a, const csat_report_options *opt, char *buf, size_t cap,
                        size_t *needed) {
  return report_buffer(a, opt, buf, cap, needed, 0);
}

int csat_agg_report_json(csat_agg *a, const csat_report_options *opt, char *buf, size_t cap,
                         size_t *needed) {
  return report_buffer(a, opt, buf, cap, needed, 1);
}

int csat_agg_report_csv_write(csat_agg *a, const csat_report_options *opt,
                              int (*write)(void *user, const char *data, size_t len), void *user) {
  return report_stream(a, opt, write, user, 0);
}

int csat_agg_report_json_write(csat_agg *a, const csat_report_options *opt,
                               int (*write)(void *user, const char *data, size_t len), void *user) {
  return report_stream(a, opt, write, user, 1);
}
