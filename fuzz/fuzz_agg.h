/*
 * Shared pieces of the aggregator fuzz targets (fuzz_agg_blob.c,
 * fuzz_agg_ingest.c, gen_agg_corpus.c): a few fixed aggregator
 * configurations, save/restore helpers that check the buffer conventions,
 * metric invariants and report checks. Static functions in a header so that
 * the CMake rule "one <target>.c plus the common files" stays as it is.
 * SPDX-License-Identifier: MIT
 */
#ifndef CSAT_FUZZ_AGG_H
#define CSAT_FUZZ_AGG_H

#include "fuzz_common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
#  define FZA_UNUSED __attribute__((unused))
#else
#  define FZA_UNUSED
#endif

/* Number of fixed configurations (fza_new's `sel` is taken modulo it). */
#define FZA_NCFG 6

/* Local time of configuration 4: UTC + 1:30, a pure function. */
static FZA_UNUSED int64_t fza_local_time(void *user, int64_t utc_ms) {
  (void)user;
  if (utc_ms > INT64_MAX - 5400000)
    return utc_ms;
  return utc_ms + 5400000;
}

/* The configuration struct of sel (strings are static). */
static FZA_UNUSED void fza_config(unsigned sel, uint32_t seed, csat_agg_config *c) {
  memset(c, 0, sizeof *c);
  c->struct_size = sizeof *c;
  c->hash_seed[0] = seed;
  c->hash_seed[1] = seed * 2654435761u;
  c->hash_seed[2] = ~seed;
  c->hash_seed[3] = seed ^ 0x5bd1e995u;
  switch (sel % FZA_NCFG) {
  case 0: /* defaults: one group, no period */ break;
  case 1:
    c->dimensions = CSAT_DIM_AGENT | CSAT_DIM_QUEUE;
    c->period = CSAT_PERIOD_DAY;
    c->utc_offset_min = 120;
    c->terms = 1;
    break;
  case 2:
    c->dimensions = CSAT_DIM_QUESTION | CSAT_DIM_CHANNEL | CSAT_DIM_LANGUAGE;
    c->period = CSAT_PERIOD_WEEK;
    c->utc_offset_min = -300;
    break;
  case 3:
    c->dimensions = CSAT_DIM_ALL;
    c->attribute_key = "tier";
    c->period = CSAT_PERIOD_MONTH;
    c->utc_offset_min = 1439;
    c->terms = 1;
    break;
  case 4:
    c->dimensions = CSAT_DIM_SURVEY | CSAT_DIM_DEPARTMENT;
    c->period = CSAT_PERIOD_HOUR;
    c->local_time = fza_local_time;
    c->time_zone = "Test/Plus0130";
    break;
  default:
    c->dimensions = CSAT_DIM_QUESTION;
    c->period = CSAT_PERIOD_QUARTER;
    c->utc_offset_min = -1439;
    c->terms = 1;
    break;
  }
}

/* A new, empty aggregator of configuration sel (aborts on failure). */
static FZA_UNUSED csat_agg *fza_new(unsigned sel, uint32_t seed) {
  csat_agg_config c;
  csat_agg *a = NULL;
  fza_config(sel, seed, &c);
  FZ_CHECK(csat_agg_new(&a, &c, NULL) == CSAT_OK && a != NULL);
  switch (sel % FZA_NCFG) {
  case 2: {
    static const char *const billing[] = {"bill*", "invoice", "счет*", "faktur*"};
    static const char *const waiting[] = {"long wait", "slow*", "czekał*", "待*"};
    FZ_CHECK(csat_agg_set_ces_question(a, "ces", 0) == CSAT_OK);
    FZ_CHECK(csat_agg_set_csi_weight(a, "sat", 3) == CSAT_OK);
    FZ_CHECK(csat_agg_set_csi_weight(a, "nps", 1) == CSAT_OK);
    FZ_CHECK(csat_agg_add_category(a, "billing", billing, 4, NULL) == CSAT_OK);
    FZ_CHECK(csat_agg_add_category(a, "waiting", waiting, 4, NULL) == CSAT_OK);
    break;
  }
  case 3: {
    static const char *const rude[] = {"rude", "unfreundlich", "груб*", "niegrzeczn*"};
    FZ_CHECK(csat_agg_set_scale(a, 1, 5, 1u << 5, (1u << 1) | (1u << 2)) == CSAT_OK);
    FZ_CHECK(csat_agg_set_ces_question(a, "effort", (1u << 6) | (1u << 7)) == CSAT_OK);
    FZ_CHECK(csat_agg_add_category(a, "rude", rude, 4, NULL) == CSAT_OK);
    break;
  }
  case 5:
    FZ_CHECK(csat_agg_set_scale(a, 0, 10, (1u << 10), 1u) == CSAT_OK);
    FZ_CHECK(csat_agg_set_csi_weight(a, "q1", 1000) == CSAT_OK);
    break;
  default: break;
  }
  return a;
}

/* Save a into a malloc'd buffer of exactly *len bytes, checking the buffer
 * conventions (size query, a buffer one byte short). Aborts on failure. */
static FZA_UNUSED unsigned char *fza_save(const csat_agg *a, size_t *len) {
  size_t need = 0, need2 = 0;
  unsigned char *buf;
  FZ_CHECK(csat_agg_save(a, NULL, 0, &need) == CSAT_ERR_BUFFER_TOO_SMALL);
  FZ_CHECK(need >= 18);
  buf = malloc(need);
  FZ_CHECK(buf != NULL);
  FZ_CHECK(csat_agg_save(a, buf, need - 1, &need2) == CSAT_ERR_BUFFER_TOO_SMALL);
  FZ_CHECK(need2 == need);
  FZ_CHECK(csat_agg_save(a, buf, need, &need2) == CSAT_OK);
  FZ_CHECK(need2 == need);
  FZ_CHECK(memcmp(buf, "CSAG", 4) == 0);
  *len = need;
  return buf;
}

/* Save a into *buf (capacity *cap, grown as needed) with one call when it
 * fits: the buffer conventions cost two more saves, fza_save checks them.
 * Returns the length. */
static FZA_UNUSED size_t fza_save_into(const csat_agg *a, unsigned char **buf, size_t *cap) {
  size_t need = 0, need2 = 0;
  int rc = csat_agg_save(a, *buf, *cap, &need);
  if (rc == CSAT_ERR_BUFFER_TOO_SMALL) {
    FZ_CHECK(need > *cap);
    free(*buf);
    *cap = need * 2;
    *buf = malloc(*cap);
    FZ_CHECK(*buf != NULL);
    rc = csat_agg_save(a, *buf, *cap, &need2);
    FZ_CHECK(need2 == need);
  }
  FZ_CHECK(rc == CSAT_OK && need >= 18 && need <= *cap);
  FZ_CHECK(memcmp(*buf, "CSAG", 4) == 0);
  return need;
}

static FZA_UNUSED int fza_same(const unsigned char *a, size_t na, const unsigned char *b,
                               size_t nb) {
  return na == nb && memcmp(a, b, na) == 0;
}

/* Restore with configuration sel's restore parameters (local_time for 4). */
static FZA_UNUSED int fza_restore(csat_agg **out, unsigned sel, uint32_t seed, const void *blob,
                                  size_t len, csat_error *err) {
  csat_agg_config c;
  fza_config(sel, seed, &c);
  return csat_agg_restore(out, blob, len, &c, NULL, err);
}

#define FZA_EPS 1e-9

static FZA_UNUSED void fza_share(int64_t k, int64_t n, double v, double lo, double hi) {
  FZ_CHECK(k >= 0 && n >= 0 && k <= n);
  FZ_CHECK(isfinite(v) && isfinite(lo) && isfinite(hi));
  FZ_CHECK(lo >= -FZA_EPS && hi <= 1 + FZA_EPS);
  FZ_CHECK(lo <= v + FZA_EPS && v <= hi + FZA_EPS);
  if (n == 0) {
    FZ_CHECK(v == 0 && lo == 0 && hi == 1);
  } else {
    FZ_CHECK(fabs(v - (double)k / (double)n) <= 1e-12);
  }
}

static FZA_UNUSED void fza_duration(int64_t n, int64_t contacts, double mean, double median) {
  FZ_CHECK(n >= 0 && n <= contacts);
  FZ_CHECK(isfinite(mean) && isfinite(median));
  if (n == 0) {
    FZ_CHECK(mean == 0 && median == 0);
  } else {
    /* <= 30 days each, also for a restored blob (found by this target) */
    FZ_CHECK(mean >= 0 && mean <= 2592000.0 + 1e-6);
    FZ_CHECK(median >= 0 && median <= 2592001.0);
  }
}

/* Invariants of one group's (or the total's) metrics. */
static FZA_UNUSED void fza_check_metrics(const csat_metrics *m) {
  int64_t sum = 0, osum = 0;
  int v;
  FZ_CHECK(m->struct_size == sizeof *m);
  FZ_CHECK(m->count >= 0 && m->count <= CSAT_AGG_COUNT_MAX);
  for (v = 0; v < 11; v++) {
    FZ_CHECK(m->distribution[v] >= 0);
    sum += m->distribution[v];
  }
  FZ_CHECK(sum == m->count);
  FZ_CHECK(isfinite(m->mean) && isfinite(m->sd) && isfinite(m->mean_pct));
  if (m->count == 0) {
    FZ_CHECK(m->mean == 0 && m->sd == 0 && m->mean_pct == 0);
  } else {
    int lo = 0, hi = 10;
    while (m->distribution[lo] == 0)
      lo++;
    while (m->distribution[hi] == 0)
      hi--;
    FZ_CHECK(m->mean >= lo - FZA_EPS && m->mean <= hi + FZA_EPS);
    FZ_CHECK(m->sd >= 0 && m->sd <= 10);
    FZ_CHECK(m->mean_pct >= -FZA_EPS && m->mean_pct <= 100 + FZA_EPS);
    if (m->count < 2)
      FZ_CHECK(m->sd == 0);
  }
  FZ_CHECK(m->positive + m->negative <= m->count);
  fza_share(m->positive, m->count, m->csat, m->csat_lo, m->csat_hi);
  fza_share(m->negative, m->count, m->negative_share, m->negative_lo, m->negative_hi);
  FZ_CHECK(m->nps_count >= 0 && m->nps_count <= m->count);
  FZ_CHECK(m->promoters >= 0 && m->detractors >= 0);
  FZ_CHECK(m->promoters + m->detractors <= m->nps_count);
  FZ_CHECK(isfinite(m->nps) && isfinite(m->nps_lo) && isfinite(m->nps_hi));
  FZ_CHECK(m->nps >= -100 - FZA_EPS && m->nps <= 100 + FZA_EPS);
  FZ_CHECK(m->nps_lo >= -100 - FZA_EPS && m->nps_hi <= 100 + FZA_EPS);
  FZ_CHECK(m->nps_lo <= m->nps_hi);
  /* The adjusted-Wald interval of a single answer is centred on +-25 and
   * stops short of its +-100 (csat__stats_nps); from two answers on it
   * holds the observed NPS. */
  if (m->nps_count >= 2)
    FZ_CHECK(m->nps_lo <= m->nps + FZA_EPS && m->nps <= m->nps_hi + FZA_EPS);
  if (m->nps_count == 0)
    FZ_CHECK(m->nps == 0 && m->nps_lo == -100 && m->nps_hi == 100);
  else
    FZ_CHECK(fabs(m->nps - 100.0 * (double)(m->promoters - m->detractors) / (double)m->nps_count) <=
             1e-9);
  FZ_CHECK(m->ces_count >= 0 && m->ces_count <= m->count);
  FZ_CHECK(isfinite(m->ces_mean) && m->ces_mean >= 0 && m->ces_mean <= 10);
  fza_share(m->ces_agree, m->ces_count, m->ces_agree_share, m->ces_agree_lo, m->ces_agree_hi);
  FZ_CHECK(m->csi_count >= 0 && m->csi_count <= m->count);
  FZ_CHECK(isfinite(m->csi) && m->csi >= -FZA_EPS && m->csi <= 100 + FZA_EPS);
  if (m->csi_count == 0)
    FZ_CHECK(m->csi == 0);
  /* contacts */
  FZ_CHECK(m->contacts >= 0 && m->contacts <= CSAT_AGG_COUNT_MAX);
  FZ_CHECK(m->outcomes[0] == 0);
  for (v = 1; v <= CSAT_OUTCOME_MAX; v++) {
    FZ_CHECK(m->outcomes[v] >= 0);
    osum += m->outcomes[v];
  }
  FZ_CHECK(osum == m->contacts);
  FZ_CHECK(m->offered == m->contacts - m->outcomes[CSAT_OUTCOME_ALREADY_ANSWERED]);
  FZ_CHECK(m->completed == m->outcomes[CSAT_OUTCOME_COMPLETED]);
  FZ_CHECK(m->partial == m->outcomes[CSAT_OUTCOME_PARTIAL]);
  FZ_CHECK(m->opted_out == m->outcomes[CSAT_OUTCOME_OPTED_OUT]);
  FZ_CHECK(m->answered >= 0 && m->answered <= m->contacts);
  fza_share(m->answered, m->offered, m->response_rate, m->response_lo, m->response_hi);
  FZ_CHECK(m->flagged >= 0 && m->flagged <= m->contacts);
  FZ_CHECK(m->escalated >= 0 && m->escalation_offered >= 0);
  FZ_CHECK(m->escalated <= m->escalation_offered && m->escalation_offered <= m->contacts);
  fza_duration(m->wait_count, m->contacts, m->wait_mean_s, m->wait_median_s);
  fza_duration(m->talk_count, m->contacts, m->talk_mean_s, m->talk_median_s);
  FZ_CHECK(m->comments >= 0 && m->comments_negative >= 0 && m->comments_positive >= 0);
  FZ_CHECK(m->comments_negative + m->comments_positive <= m->comments);
}

/* Every group's metrics and the total: invariants, and the answer and
 * comment counts of the groups add up to the total's when no answer can
 * land in two groups (always: an answer has one question). Returns the
 * group count. */
static FZA_UNUSED size_t fza_check_all_metrics(csat_agg *a, csat_metrics *total) {
  size_t n = csat_agg_group_count(a), g;
  int64_t count = 0, comments = 0, dist[11];
  int v;
  csat_metrics m;
  memset(dist, 0, sizeof dist);
  for (g = 0; g < n; g++) {
    csat_agg_key k;
    memset(&k, 0, sizeof k);
    k.struct_size = sizeof k;
    FZ_CHECK(csat_agg_group_key(a, g, &k) == CSAT_OK);
    FZ_CHECK(k.agent_id && k.queue_id && k.department && k.survey_id && k.question_id &&
             k.language && k.attribute);
    FZ_CHECK(memchr(k.period_label, 0, sizeof k.period_label) != NULL);
    {
      /* every group is found by its own key, "" values included (a group
       * with an empty value was once unfindable: found by this target) */
      size_t f = 0;
      FZ_CHECK(csat_agg_group_find(a, &k, &f) == CSAT_OK && f == g);
    }
    memset(&m, 0, sizeof m);
    m.struct_size = sizeof m;
    FZ_CHECK(csat_agg_metrics(a, g, &m) == CSAT_OK);
    fza_check_metrics(&m);
    count += m.count;
    comments += m.comments;
    for (v = 0; v < 11; v++)
      dist[v] += m.distribution[v];
  }
  memset(&m, 0, sizeof m);
  m.struct_size = sizeof m;
  FZ_CHECK(csat_agg_metrics(a, n, &m) == CSAT_ERR_NOT_FOUND);
  FZ_CHECK(csat_agg_metrics(a, CSAT_AGG_ALL, &m) == CSAT_OK);
  fza_check_metrics(&m);
  FZ_CHECK(m.count == count && m.comments == comments);
  for (v = 0; v < 11; v++)
    FZ_CHECK(m.distribution[v] == dist[v]);
  if (total != NULL)
    *total = m;
  return n;
}

typedef struct fza_sink {
  char *p;
  size_t len, cap;
} fza_sink;

static FZA_UNUSED int fza_sink_write(void *user, const char *data, size_t len) {
  fza_sink *s = user;
  FZ_CHECK(len > 0 && len <= 4096);
  if (s->len + len > s->cap) {
    size_t cap = (s->len + len) * 2;
    char *p = realloc(s->p, cap);
    FZ_CHECK(p != NULL);
    s->p = p;
    s->cap = cap;
  }
  memcpy(s->p + s->len, data, len);
  s->len += len;
  return 0;
}

/* Report (CSV or JSON) with the buffer conventions: sizing call, a buffer
 * of exactly the size (NUL-terminated), one byte short; the streaming
 * variant gives the same bytes. */
static FZA_UNUSED void fza_check_report(csat_agg *a, int json, uint32_t flags) {
  csat_report_options o;
  size_t need = 0, need2 = 0;
  char *buf;
  fza_sink sink;
  int rc;
  memset(&o, 0, sizeof o);
  o.struct_size = sizeof o;
  o.flags = flags;
  rc = json ? csat_agg_report_json(a, &o, NULL, 0, &need)
            : csat_agg_report_csv(a, &o, NULL, 0, &need);
  FZ_CHECK(rc == CSAT_ERR_BUFFER_TOO_SMALL);
  buf = malloc(need + 1);
  FZ_CHECK(buf != NULL);
  if (need > 0) {
    rc = json ? csat_agg_report_json(a, &o, buf, need, &need2)
              : csat_agg_report_csv(a, &o, buf, need, &need2);
    FZ_CHECK(rc == CSAT_ERR_BUFFER_TOO_SMALL && need2 == need);
  }
  rc = json ? csat_agg_report_json(a, &o, buf, need + 1, &need2)
            : csat_agg_report_csv(a, &o, buf, need + 1, &need2);
  FZ_CHECK(rc == CSAT_OK && need2 == need);
  FZ_CHECK(buf[need] == '\0' && strlen(buf) == need);
  FZ_CHECK(fz_utf8_valid(buf, need));
  if (json) {
    FZ_CHECK(fz_json_valid(buf, need));
    FZ_CHECK(need > 0 && buf[need - 1] == '\n');
  } else if (need > 0) {
    FZ_CHECK(need >= 2 && buf[need - 2] == '\r' && buf[need - 1] == '\n');
  }
  memset(&sink, 0, sizeof sink);
  rc = json ? csat_agg_report_json_write(a, &o, fza_sink_write, &sink)
            : csat_agg_report_csv_write(a, &o, fza_sink_write, &sink);
  FZ_CHECK(rc == CSAT_OK);
  FZ_CHECK(sink.len == need && (need == 0 || memcmp(sink.p, buf, need) == 0));
  free(sink.p);
  free(buf);
}

/* ---- answers decoded from bytes (fuzz_agg_ingest.c, gen_agg_corpus.c) ---- */

#define FZA_RAW 64 /* longest raw string taken from the input */

typedef struct fza_row {
  csat_agg_answer a;
  char raw[9][FZA_RAW + 1]; /* raw strings (NUL-terminated copies) */
  int fast;                 /* ingest through csat_agg_resolve + csat_agg_add_scores */
  uint8_t op;               /* the row's first byte: bit 0 fast, bit 1 see fuzz_agg_ingest.c */
} fza_row;

static char fza_long[4][16u * 1024u + 2];

/* Long strings: a value of CSAT_AGG_MAX_VALUE bytes and one more, a comment
 * of CSAT_AGG_MAX_COMMENT bytes and one more (words, some of them Cyrillic). */
static FZA_UNUSED const char *fza_long_str(int which) {
  static int ready;
  if (!ready) {
    static const char words[] = "wait rude счет invoice ok ";
    size_t i, lens[4] = {CSAT_AGG_MAX_VALUE, CSAT_AGG_MAX_VALUE + 1, CSAT_AGG_MAX_COMMENT,
                         CSAT_AGG_MAX_COMMENT + 1};
    int k;
    for (k = 0; k < 4; k++) {
      size_t n = lens[k];
      if (k < 2) {
        memset(fza_long[k], 'v', n);
      } else {
        for (i = 0; i < n; i++)
          fza_long[k][i] = words[i % (sizeof words - 1)];
        /* do not cut a two-byte character at the end */
        while (n > 0 && ((unsigned char)fza_long[k][n - 1] & 0xc0u) == 0x80u)
          fza_long[k][--n] = 'x';
        if (n > 0 && ((unsigned char)fza_long[k][n - 1] & 0xc0u) == 0xc0u)
          fza_long[k][n - 1] = 'x';
        n = lens[k];
      }
      fza_long[k][n] = '\0';
    }
    ready = 1;
  }
  return fza_long[which & 3];
}

static const char *const fza_values[] = {
    "",       "a1",   "a2",    "q1",    "sat",        "nps",      "ces",      "effort",
    "tier",   "gold", "pl-PL", "ru",    "Łukasz",     "Zoë",      "客服",     "=HYPERLINK(\"x\")",
    "+1",     "-",    "@sum",  "\tTab", "a,b\"c\r\n", "\xff\xfe", "\xc0\x80", "\xed\xa0\x80",
    "x\x01y", NULL};
#define FZA_NVALUES (sizeof fza_values / sizeof fza_values[0])

static const char *const fza_comments[] = {"",
                                           NULL,
                                           "Great service, thanks!",
                                           "Very long wait and a rude agent",
                                           "Bardzo długo czekałem, faktura błędna",
                                           "Очень грубый оператор, счет неверный",
                                           "Sehr unfreundlich, lange gewartet",
                                           "待ち時間が長すぎる",
                                           "خدمة سيئة جدا",
                                           "\xf0\x9f\x91\x8d\xf0\x9f\x91\x8d super",
                                           "\xff bad utf8",
                                           "bill* invoice INVOICE Invoice",
                                           "slow slow slow SLOW",
                                           "ok",
                                           "Rude! RUDE? rude...",
                                           "İstanbul ΣΊΣΥΦΟΣ straße",
                                           "=cmd|' /C calc'!A0",
                                           "a\r\nb\"c\""};
#define FZA_NCOMMENTS (sizeof fza_comments / sizeof fza_comments[0])

static FZA_UNUSED const char *fza_str(fz_in *in, char *raw, size_t maxlen, int comment) {
  uint8_t v = fz_byte(in);
  if (v >= 0xf0) {
    size_t n = (size_t)(v & 0x0fu) * (comment ? 4u : 2u), i;
    if (n > maxlen)
      n = maxlen;
    for (i = 0; i < n; i++)
      raw[i] = (char)fz_byte(in);
    raw[n] = '\0';
    return raw;
  }
  if (v >= 0xec)
    return fza_long_str((comment ? 2 : 0) + (v & 1));
  if (comment)
    return fza_comments[v % FZA_NCOMMENTS];
  return fza_values[v % FZA_NVALUES];
}

static FZA_UNUSED int64_t fza_ms(fz_in *in) {
  static const int64_t special[] = {INT64_MIN,
                                    INT64_MAX,
                                    -1,
                                    0,
                                    INT64_C(253402300799999),
                                    INT64_C(253402300800000),
                                    -INT64_C(62135596800000),
                                    -INT64_C(62135596800001)};
  uint8_t t = fz_byte(in), u;
  if (t < 8)
    return special[t];
  u = fz_byte(in);
  return INT64_C(1700000000000) + ((int64_t)t - 128) * INT64_C(86400000) * 3 +
         (int64_t)u * INT64_C(997) * 1000;
}

static FZA_UNUSED int64_t fza_duration_ms(uint8_t b) {
  static const int64_t special[] = {-1,   0,          499,        500, 1499,     1500,
                                    2500, 2592000000, 2592000001, -2,  INT64_MAX};
  if (b < sizeof special / sizeof special[0])
    return special[b];
  return (int64_t)b * 1733;
}

/* Decode one row from in. */
static FZA_UNUSED void fza_decode(fz_in *in, fza_row *r) {
  static const int32_t channels[] = {0, 1, 2, 3, -1, 7, INT32_MAX, 1};
  csat_agg_answer *a = &r->a;
  uint8_t op = fz_byte(in), s, b;
  memset(a, 0, sizeof *a);
  a->struct_size = sizeof *a;
  a->time_ms = fza_ms(in);
  a->agent_id = fza_str(in, r->raw[0], FZA_RAW, 0);
  a->queue_id = fza_str(in, r->raw[1], FZA_RAW, 0);
  a->department = fza_str(in, r->raw[2], FZA_RAW, 0);
  a->survey_id = fza_str(in, r->raw[3], FZA_RAW, 0);
  a->question_id = fza_str(in, r->raw[4], FZA_RAW, 0);
  a->language = fza_str(in, r->raw[5], FZA_RAW, 0);
  a->attribute = fza_str(in, r->raw[6], FZA_RAW, 0);
  a->channel = channels[fz_byte(in) & 7u];
  s = fz_byte(in);
  if (s < 0xf0) {
    int k = s % 55, mn = 0;
    while (k >= 10 - mn) {
      k -= 10 - mn;
      mn++;
    }
    a->scale_min = mn;
    a->scale_max = mn + 1 + k;
  } else {
    static const int32_t bad[][2] = {{0, 0},   {5, 3}, {-1, 5}, {0, 11},
                                     {10, 10}, {1, 5}, {0, 10}, {INT32_MIN, INT32_MAX}};
    a->scale_min = bad[s & 7u][0];
    a->scale_max = bad[s & 7u][1];
  }
  b = fz_byte(in);
  if (b < 0xe0) {
    int64_t w = (int64_t)a->scale_max - a->scale_min + 1;
    a->score = w > 0 && w <= 11 ? a->scale_min + (int32_t)(b % w) : (int32_t)(b % 11);
  } else {
    int32_t sp[8];
    sp[0] = -1;
    sp[1] = -1;
    sp[2] = -2;
    sp[3] = 11;
    sp[4] = a->scale_min > INT32_MIN ? a->scale_min - 1 : 0;
    sp[5] = a->scale_max < INT32_MAX ? a->scale_max + 1 : 0;
    sp[6] = 100;
    sp[7] = INT32_MIN;
    a->score = sp[b & 7u];
  }
  a->comment = fza_str(in, r->raw[7], FZA_RAW, 1);
  b = fz_byte(in);
  a->outcome = (int32_t)(b % 12) - 1;
  if (b >= 0xc0)
    a->outcome = 0;
  b = fz_byte(in);
  a->flagged = b < 0xf0 ? (b & 1) : (int32_t)b;
  a->escalation = (int32_t)(fz_byte(in) % 6) - 1;
  a->wait_ms = fza_duration_ms(fz_byte(in));
  a->talk_ms = fza_duration_ms(fz_byte(in));
  r->op = op;
  r->fast = 0;
  if ((op & 1u) && a->score >= 0 && (a->comment == NULL || a->comment[0] == '\0')) {
    /* the fast path carries no contact figures: give the slow path none */
    r->fast = 1;
    a->outcome = 0;
    a->flagged = 0;
    a->escalation = 0;
    a->wait_ms = -1;
    a->talk_ms = -1;
  }
}

/* Ingest a row: rows marked fast through resolve + add_scores. */
static FZA_UNUSED int fza_ingest(csat_agg *a, const fza_row *r, int fast) {
  uint32_t slot = 0;
  uint8_t sc;
  int rc;
  if (!fast || !r->fast)
    return csat_agg_add_answer(a, &r->a);
  rc = csat_agg_resolve(a, &r->a, &slot);
  if (rc != CSAT_OK)
    return rc;
  if (r->a.score > 255)
    return CSAT_ERR_INVALID_ARG;
  sc = (uint8_t)r->a.score;
  return csat_agg_add_scores(a, &slot, &sc, 1);
}

#endif
