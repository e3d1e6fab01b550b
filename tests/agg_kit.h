/*
 * Shared by test_agg.c, test_agg_records.c and agg_gen.c: a deterministic
 * generator of random answers across scales 3, 5, 7 (CES), 10 (1..10) and
 * 0..10 (NPS) with comments, contact figures and times over two years, the
 * aggregator configurations the tests use, and saved-state comparison.
 * Functions are static inline: a file may use some of them only.
 */
#ifndef CSAT_TEST_AGG_KIT_H
#define CSAT_TEST_AGG_KIT_H

#include "csat.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct kit_rng {
  uint64_t s;
} kit_rng;

static inline uint64_t kit_next(kit_rng *r) {
  uint64_t x = r->s;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  r->s = x;
  return x * 0x2545f4914f6cdd1dull;
}

/* Uniform in [0, n). */
static inline uint32_t kit_below(kit_rng *r, uint32_t n) {
  return (uint32_t)((kit_next(r) >> 32) % n);
}

typedef struct kit_question {
  const char *id;
  int32_t min, max;
} kit_question;

static const kit_question kit_questions[] = {
    {"q3", 1, 3}, {"q5", 1, 5}, {"ces", 1, 7}, {"q10", 1, 10}, {"nps", 0, 10}};
#define KIT_NQ 5

static const char *const kit_agents[] = {"anna",  "boris",  "chen",   "dilnoza", "ewa",
                                         "farid", "gosia",  "hyejin", "ivan",    "jamshid",
                                         "",      "Łukasz", "김민수"};
static const char *const kit_queues[] = {"billing", "support", "sales"};
static const char *const kit_depts[] = {"Care", "Retail", "Отдел продаж"};
static const char *const kit_langs[] = {"en", "ru", "pl", "ko", "uz"};
static const char *const kit_tiers[] = {"gold", "silver", ""};
static const char *const kit_surveys[] = {"post-call", "sms-csi"};

static const char *const kit_bad_words[] = {"rude",      "slow",  "waited", "fraud",
                                            "мошенники", "долго", "never",  "refund"};
static const char *const kit_good_words[] = {"helpful", "quick",  "polite", "спасибо",
                                             "great",   "solved", "친절"};
static const char *const kit_any_words[] = {"agent", "call",     "the",  "operator",
                                            "line",  "оператор", "today"};

/* Answer rows keep their strings here. */
typedef struct kit_row {
  csat_agg_answer a;
  char comment[256];
} kit_row;

/* Times: 2023-01-01T00:00Z .. two years later (a leap year included). */
#define KIT_T0 1672531200000LL
#define KIT_SPAN (731LL * 86400000LL)

static inline void kit_gen(kit_rng *r, kit_row *row) {
  csat_agg_answer *a = &row->a;
  const kit_question *q = &kit_questions[kit_below(r, KIT_NQ)];
  uint32_t agent = kit_below(r, (uint32_t)(sizeof kit_agents / sizeof *kit_agents));
  int32_t range = q->max - q->min;
  memset(row, 0, sizeof *row);
  a->struct_size = sizeof *a;
  a->time_ms = KIT_T0 + (int64_t)(kit_next(r) % (uint64_t)KIT_SPAN);
  a->agent_id = kit_agents[agent];
  a->queue_id = kit_queues[kit_below(r, 3)];
  a->department = kit_depts[agent % 3];
  a->channel = (int32_t)(1 + kit_below(r, 3));
  a->survey_id = kit_surveys[kit_below(r, 2)];
  a->question_id = q->id;
  a->language = kit_langs[kit_below(r, 5)];
  a->attribute = kit_tiers[kit_below(r, 3)];
  a->scale_min = q->min;
  a->scale_max = q->max;
  /* Agents differ: a skew toward the top for even agents, the bottom for odd. */
  if (kit_below(r, 20) == 0) {
    a->score = -1;
  } else {
    int32_t s = (int32_t)kit_below(r, (uint32_t)range + 1);
    if (kit_below(r, 3) == 0)
      s = (agent % 2 == 0) ? range - (int32_t)kit_below(r, 2) : (int32_t)kit_below(r, 2);
    a->score = q->min + (s < 0 ? 0 : s > range ? range : s);
  }
  a->outcome = kit_below(r, 8) == 0 ? 0 : (int32_t)(1 + kit_below(r, CSAT_OUTCOME_MAX));
  a->flagged = kit_below(r, 10) == 0;
  a->escalation = (int32_t)(kit_below(r, 6) < 4 ? 0 : kit_below(r, 4));
  a->wait_ms = kit_below(r, 10) == 0 ? -1 : (int64_t)(kit_next(r) % 900000);
  a->talk_ms = kit_below(r, 10) == 0 ? -1 : (int64_t)(kit_next(r) % 3600000);
  if (kit_below(r, 4) == 0) {
    int words = 1 + (int)kit_below(r, 6), w;
    int bad = a->score >= 0 && (a->score - q->min) * 2 < range;
    size_t n = 0;
    for (w = 0; w < words; w++) {
      const char *s;
      uint32_t pick = kit_below(r, 3);
      if (pick == 0)
        s = bad ? kit_bad_words[kit_below(r, 8)] : kit_good_words[kit_below(r, 7)];
      else
        s = kit_any_words[kit_below(r, 7)];
      if (n + strlen(s) + 2 >= sizeof row->comment)
        break;
      if (n)
        row->comment[n++] = ' ';
      memcpy(row->comment + n, s, strlen(s));
      n += strlen(s);
    }
    row->comment[n] = '\0';
    a->comment = row->comment;
  }
}

/* The configurations of the reference and merge tests. */
static inline void kit_config(int which, csat_agg_config *c, uint32_t seed) {
  memset(c, 0, sizeof *c);
  c->struct_size = sizeof *c;
  c->hash_seed[0] = seed;
  c->hash_seed[1] = seed * 2654435761u;
  c->hash_seed[2] = ~seed;
  c->hash_seed[3] = seed ^ 0x5bd1e995u;
  switch (which) {
  case 0: /* per agent and question, ISO week, UTC-5 */
    c->dimensions = CSAT_DIM_AGENT | CSAT_DIM_QUESTION;
    c->period = CSAT_PERIOD_WEEK;
    c->utc_offset_min = -300;
    break;
  case 1: /* per department and channel (mixed scales), month, UTC+5:30 */
    c->dimensions = CSAT_DIM_DEPARTMENT | CSAT_DIM_CHANNEL;
    c->period = CSAT_PERIOD_MONTH;
    c->utc_offset_min = 330;
    break;
  case 2: /* everything, quarter */
    c->dimensions = CSAT_DIM_ALL;
    c->attribute_key = "tier";
    c->period = CSAT_PERIOD_QUARTER;
    c->utc_offset_min = 60;
    break;
  case 3: /* no dimension, day, with terms */
    c->period = CSAT_PERIOD_DAY;
    c->terms = 1;
    break;
  default: /* per queue and language, no period */
    c->dimensions = CSAT_DIM_QUEUE | CSAT_DIM_LANGUAGE | CSAT_DIM_SURVEY;
    c->period = CSAT_PERIOD_NONE;
    c->terms = 1;
    break;
  }
}

/* CES, CSI and categories for every configuration. Returns 0 on success. */
static inline int kit_setup(csat_agg *a) {
  static const char *const fraud[] = {"fraud*", "мошенн*"};
  static const char *const wait[] = {"waited", "долго", "slow"};
  int rc = csat_agg_set_ces_question(a, "ces", 0);
  if (rc == CSAT_OK)
    rc = csat_agg_set_csi_weight(a, "q5", 3);
  if (rc == CSAT_OK)
    rc = csat_agg_set_csi_weight(a, "q10", 2);
  if (rc == CSAT_OK)
    rc = csat_agg_set_csi_weight(a, "q3", 1);
  if (rc == CSAT_OK)
    rc = csat_agg_add_category(a, "fraud", fraud, 2, NULL);
  if (rc == CSAT_OK)
    rc = csat_agg_add_category(a, "waiting", wait, 3, NULL);
  return rc;
}

/* The saved state of a in a malloc'd buffer of *len bytes (exits on failure). */
static inline unsigned char *save_blob(const csat_agg *a, size_t *len) {
  size_t need = 0;
  unsigned char *buf;
  int rc = csat_agg_save(a, NULL, 0, &need);
  if (rc != CSAT_ERR_BUFFER_TOO_SMALL) {
    fprintf(stderr, "save sizing: %d\n", rc);
    exit(2);
  }
  buf = malloc(need);
  rc = csat_agg_save(a, buf, need, len);
  if (buf == NULL || rc != CSAT_OK || *len != need) {
    fprintf(stderr, "save: %d\n", rc);
    exit(2);
  }
  return buf;
}

/* Whether x and y save to the same bytes. */
static inline int same_state(const csat_agg *x, const csat_agg *y) {
  size_t lx, ly;
  unsigned char *bx = save_blob(x, &lx), *by = save_blob(y, &ly);
  int eq = lx == ly && memcmp(bx, by, lx) == 0;
  free(bx);
  free(by);
  return eq;
}

#endif
