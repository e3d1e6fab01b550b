/*
 * csat_agg_add_records against its contract in csat.h: a record equals its
 * answer rows wherever their semantics coincide (byte-identical saved state
 * over thousands of random records, five configurations); the record rules
 * rows do not have (answered when any answer has a score or a comment; a
 * comment without a score takes the polarity of the record's last earlier
 * score; grouped by question, the contact in each answer's group); batching
 * (one per call, all at once, chunks, a second pass over warm caches); every
 * documented error, naming the record and applying nothing of it, and the
 * rows' code where a record holds what rows hold; records and answers that
 * count nothing; out of memory at every allocation; a host buffer refilled
 * between calls.
 */
#include "agg_kit.h"
#include "registry.h"
#include "fail_alloc.h"

#include <stdlib.h>

/* ---- records and their rows ----------------------------------------------------- */

#define MAXA 6 /* answers of a generated record */

typedef struct rec_store {
  csat_agg_record_answer ans[MAXA];
  char comment[MAXA][160];
} rec_store;

/* Distinct questions (a record asks each at most once). */
static const kit_question rec_questions[] = {{"q5", 1, 5}, {"nps", 0, 10},   {"ces", 1, 7},
                                             {"yn", 0, 1}, {"effort", 1, 7}, {"fcr", 0, 1}};
#define REC_NQ 6

#define REC_MAX_AGENTS 200
static char rec_agent_names[REC_MAX_AGENTS][24]; /* "agent-" and any unsigned */

static const char *rec_agent(uint32_t i) {
  if (i < sizeof kit_agents / sizeof *kit_agents)
    return kit_agents[i]; /* "", Łukasz, 김민수 among them */
  if (rec_agent_names[i][0] == '\0')
    snprintf(rec_agent_names[i], sizeof rec_agent_names[i], "agent-%03u", (unsigned)i);
  return rec_agent_names[i];
}

/* What a generated record may hold. */
#define GEN_ROWS 0       /* first answer scored, comments only on scored answers */
#define GEN_PER_ANSWER 1 /* comments only on scored answers */
#define GEN_FREE 2       /* anything valid */

static void gen_comment(kit_rng *r, int polarity, char *buf, size_t cap) {
  int words = 1 + (int)kit_below(r, 5), w;
  size_t n = 0;
  for (w = 0; w < words; w++) {
    const char *s;
    if (kit_below(r, 3) == 0 && polarity != 0)
      s = polarity < 0 ? kit_bad_words[kit_below(r, 8)] : kit_good_words[kit_below(r, 7)];
    else
      s = kit_any_words[kit_below(r, 7)];
    if (n + strlen(s) + 2 >= cap)
      break;
    if (n)
      buf[n++] = ' ';
    memcpy(buf + n, s, strlen(s));
    n += strlen(s);
  }
  buf[n] = '\0';
}

static void gen_record(kit_rng *r, uint32_t nagents, int mode, csat_agg_record *x, rec_store *st) {
  uint32_t order[REC_NQ], i, k;
  int polarity = 0;
  memset(x, 0, sizeof *x);
  x->struct_size = sizeof *x;
  x->time_ms = KIT_T0 + (int64_t)(kit_next(r) % (uint64_t)(60LL * 86400000LL));
  x->agent_id = rec_agent(kit_below(r, nagents));
  x->queue_id = kit_queues[kit_below(r, 3)];
  x->department = kit_depts[kit_below(r, 3)];
  x->channel = (int32_t)kit_below(r, 5);
  x->survey_id = kit_surveys[kit_below(r, 2)];
  x->language = kit_langs[kit_below(r, 5)];
  x->attribute = kit_tiers[kit_below(r, 3)];
  x->outcome = kit_below(r, 8) == 0 ? 0 : (int32_t)(1 + kit_below(r, CSAT_OUTCOME_MAX));
  x->flagged = kit_below(r, 7) == 0 ? (kit_below(r, 2) ? 1 : 7) : 0;
  x->escalation = (int32_t)kit_below(r, 4);
  x->wait_ms = kit_below(r, 8) == 0 ? -1 : (int64_t)(kit_next(r) % 900000);
  x->talk_ms = kit_below(r, 8) == 0 ? -1 : (int64_t)(kit_next(r) % 3600000);
  if (kit_below(r, 300) == 0)
    x->wait_ms = 30LL * 86400000LL; /* the longest allowed */
  k = kit_below(r, 12) == 0 ? 0 : 1 + kit_below(r, MAXA);
  for (i = 0; i < REC_NQ; i++)
    order[i] = i;
  for (i = 0; i < k; i++) {
    uint32_t j = i + kit_below(r, REC_NQ - i), t = order[i];
    const kit_question *q;
    csat_agg_record_answer *a = &st->ans[i];
    int scored;
    order[i] = order[j];
    order[j] = t;
    q = &rec_questions[order[i]];
    memset(a, 0, sizeof *a);
    a->struct_size = sizeof *a;
    a->question_id = q->id;
    a->scale_min = q->min;
    a->scale_max = q->max;
    scored = kit_below(r, 4) != 0 || (mode == GEN_ROWS && i == 0);
    if (scored) {
      int32_t range = q->max - q->min, s = (int32_t)kit_below(r, (uint32_t)range + 1);
      a->score = q->min + s;
      polarity = s * 3 < range ? -1 : s * 3 > 2 * range ? 1 : 0;
    } else {
      a->score = -1;
      if (kit_below(r, 4) == 0) { /* the scale of an unscored answer is ignored */
        a->scale_min = 7;
        a->scale_max = 2;
      }
    }
    if (kit_below(r, 3) == 0 && (scored || mode == GEN_FREE)) {
      gen_comment(r, polarity, st->comment[i], sizeof st->comment[i]);
      a->comment = st->comment[i];
    } else {
      a->comment = kit_below(r, 2) ? NULL : "";
    }
  }
  x->answers = k ? st->ans : NULL;
  x->answer_count = k;
}

/*
 * The answer rows of a record: row i carries the record's key and time and
 * answer i (a record without answers: one row without score or comment).
 * Row 0 carries the contact's figures; the others carry them too when
 * per_answer (grouped by question every answer's group counts the contact),
 * else none. Returns the number of rows.
 */
static size_t rec_rows(const csat_agg_record *x, int per_answer, csat_agg_answer *out) {
  size_t i, n = x->answer_count ? x->answer_count : 1;
  for (i = 0; i < n; i++) {
    csat_agg_answer *y = &out[i];
    memset(y, 0, sizeof *y);
    y->struct_size = sizeof *y;
    y->time_ms = x->time_ms;
    y->agent_id = x->agent_id;
    y->queue_id = x->queue_id;
    y->department = x->department;
    y->channel = x->channel;
    y->survey_id = x->survey_id;
    y->language = x->language;
    y->attribute = x->attribute;
    if (x->answer_count) {
      y->question_id = x->answers[i].question_id;
      y->scale_min = x->answers[i].scale_min;
      y->scale_max = x->answers[i].scale_max;
      y->score = x->answers[i].score;
      y->comment = x->answers[i].comment;
    } else {
      y->scale_min = 1;
      y->scale_max = 5;
      y->score = -1;
    }
    if (i == 0 || per_answer) {
      y->outcome = x->outcome;
      y->flagged = x->flagged;
      y->escalation = x->escalation;
      y->wait_ms = x->wait_ms;
      y->talk_ms = x->talk_ms;
    } else {
      y->wait_ms = -1;
      y->talk_ms = -1;
    }
  }
  return n;
}

/* The configurations: 0 agent; 1 agent + queue; 2 agent by day; 3 channel;
 * 4 department + question by month; 5 (errors) agent + channel + question
 * by day. All with kit_setup's CES, CSI and categories. */
#define REC_NCFG 5
static csat_agg *rec_agg(int which, const csat_allocator *al) {
  csat_agg_config c;
  csat_agg *a = NULL;
  memset(&c, 0, sizeof c);
  c.struct_size = sizeof c;
  c.hash_seed[0] = 0x1234u + (uint32_t)which;
  c.hash_seed[3] = 0x9e3779b9u;
  switch (which) {
  case 0:
    c.dimensions = CSAT_DIM_AGENT;
    c.terms = 1;
    break;
  case 1: c.dimensions = CSAT_DIM_AGENT | CSAT_DIM_QUEUE; break;
  case 2:
    c.dimensions = CSAT_DIM_AGENT;
    c.period = CSAT_PERIOD_DAY;
    c.utc_offset_min = 180;
    break;
  case 3:
    c.dimensions = CSAT_DIM_CHANNEL;
    c.terms = 1;
    break;
  case 4:
    c.dimensions = CSAT_DIM_DEPARTMENT | CSAT_DIM_QUESTION;
    c.period = CSAT_PERIOD_MONTH;
    c.utc_offset_min = -300;
    c.terms = 1;
    break;
  default:
    c.dimensions = CSAT_DIM_AGENT | CSAT_DIM_CHANNEL | CSAT_DIM_QUESTION;
    c.period = CSAT_PERIOD_DAY;
    c.utc_offset_min = 60;
    c.terms = 1;
    break;
  }
  if (csat_agg_new(&a, &c, al) != CSAT_OK || kit_setup(a) != CSAT_OK) {
    fprintf(stderr, "cannot set up configuration %d\n", which);
    exit(2);
  }
  return a;
}

static void total_metrics(csat_agg *a, csat_metrics *m) {
  csat_agg_group_count(a);
  memset(m, 0, sizeof *m);
  m->struct_size = sizeof *m;
  if (csat_agg_metrics(a, CSAT_AGG_ALL, m) != CSAT_OK) {
    fprintf(stderr, "metrics: %s\n", csat_agg_errmsg(a));
    exit(2);
  }
}

/* Metrics of the group of agent (and question, when grouped by it) at time
 * KIT_T0, 2023-01-01T00:00Z: that day and month start there in local time
 * for the configurations these tests look up (UTC+1, UTC+3 would not). */
static int group_metrics(csat_agg *a, const char *agent, const char *question, csat_metrics *m) {
  csat_agg_key k;
  size_t g = 0;
  int rc;
  csat_agg_group_count(a);
  memset(&k, 0, sizeof k);
  k.struct_size = sizeof k;
  k.agent_id = agent;
  k.queue_id = k.department = k.survey_id = k.language = k.attribute = "";
  k.question_id = question;
  k.period_start = KIT_T0;
  rc = csat_agg_group_find(a, &k, &g);
  if (rc != CSAT_OK)
    return rc;
  memset(m, 0, sizeof *m);
  m->struct_size = sizeof *m;
  return csat_agg_metrics(a, g, m);
}

static csat_agg_record_answer ra(const char *q, int32_t min, int32_t max, int32_t score,
                                 const char *comment) {
  csat_agg_record_answer a;
  memset(&a, 0, sizeof a);
  a.struct_size = sizeof a;
  a.question_id = q;
  a.scale_min = min;
  a.scale_max = max;
  a.score = score;
  a.comment = comment;
  return a;
}

static csat_agg_record rec_of(const char *agent, int32_t outcome, const csat_agg_record_answer *ans,
                              size_t n) {
  csat_agg_record x;
  memset(&x, 0, sizeof x);
  x.struct_size = sizeof x;
  x.time_ms = KIT_T0;
  x.agent_id = agent;
  x.outcome = outcome;
  x.wait_ms = -1;
  x.talk_ms = -1;
  x.answers = n ? ans : NULL;
  x.answer_count = n;
  return x;
}

static int add_one(csat_agg *a, const csat_agg_record *x) {
  size_t done = 99;
  int rc = csat_agg_add_records(a, x, 1, &done);
  CHECK_INT(done, rc == CSAT_OK ? 1 : 0);
  return rc;
}

/* ---- records equal their rows ----------------------------------------------------- */

#define EQ_N 3000
static csat_agg_record eq_recs[EQ_N];
static rec_store eq_store[EQ_N];
static csat_agg_answer eq_rows[EQ_N * MAXA];

/* Generate n records of a mode and their rows; returns the row count. */
static size_t gen_set(uint64_t seed, uint32_t nagents, int mode, size_t n, int per_answer) {
  kit_rng r;
  size_t i, nrows = 0;
  r.s = seed;
  for (i = 0; i < n; i++) {
    gen_record(&r, nagents, mode, &eq_recs[i], &eq_store[i]);
    nrows += rec_rows(&eq_recs[i], per_answer, &eq_rows[nrows]);
  }
  return nrows;
}

TEST(equivalence) {
  static const size_t min_groups[REC_NCFG] = {10, 55, 100, 5, 3 * REC_NQ};
  size_t n = CHECK_QUICK() ? EQ_N / 5 : EQ_N;
  int which;
  for (which = 0; which < REC_NCFG; which++) {
    int per_answer = which == 4; /* grouped by question */
    uint32_t nagents = 10 + 45 * (uint32_t)which;
    size_t nrows = gen_set(0x5eed0 + (uint64_t)which, nagents,
                           per_answer ? GEN_PER_ANSWER : GEN_ROWS, n, per_answer);
    csat_agg *got = rec_agg(which, NULL), *want = rec_agg(which, NULL);
    csat_metrics mg, mw;
    size_t done = 0;
    int before = check_failures;
    CHECK_INT(csat_agg_add_records(got, eq_recs, n, &done), CSAT_OK);
    CHECK_INT(done, n);
    CHECK_INT(csat_agg_add_answers(want, eq_rows, nrows, &done), CSAT_OK);
    CHECK_INT(done, nrows);
    total_metrics(got, &mg);
    total_metrics(want, &mw);
    /* the figures first, for a readable failure; then every byte */
    CHECK_INT(mg.count, mw.count);
    CHECK_INT(mg.contacts, mw.contacts);
    CHECK_INT(mg.offered, mw.offered);
    CHECK_INT(mg.answered, mw.answered);
    CHECK_INT(mg.flagged, mw.flagged);
    CHECK_INT(mg.escalated, mw.escalated);
    CHECK_INT(mg.wait_count, mw.wait_count);
    CHECK_INT(mg.comments, mw.comments);
    CHECK_INT(mg.comments_negative, mw.comments_negative);
    CHECK_INT(csat_agg_group_count(got), csat_agg_group_count(want));
    CHECK(same_state(got, want));
    /* the data exercise what they should */
    CHECK(mw.contacts > (int64_t)n / 2 && mw.answered < mw.contacts && mw.offered < mw.contacts);
    CHECK(mw.comments_negative > 0 && mw.comments_positive > 0 && mw.flagged > 0);
    CHECK(csat_agg_group_count(want) >= min_groups[which]);
    if (check_failures != before)
      fprintf(stderr, "  in configuration %d\n", which);
    csat_agg_free(got);
    csat_agg_free(want);
  }
}

/* ---- record rules -------------------------------------------------------------------- */

TEST(answered) {
  csat_agg *a = rec_agg(0, NULL), *q = rec_agg(5, NULL);
  csat_agg_record_answer ans[4];
  csat_agg_record x;
  csat_metrics m;
  /* a later score makes the contact answered (its row 0 would not be) */
  ans[0] = ra("q5", 1, 5, -1, NULL);
  ans[1] = ra("nps", 0, 10, 9, NULL);
  x = rec_of("late", CSAT_OUTCOME_COMPLETED, ans, 2);
  CHECK_INT(add_one(a, &x), CSAT_OK);
  CHECK_INT(group_metrics(a, "late", "", &m), CSAT_OK);
  CHECK_INT(m.contacts, 1);
  CHECK_INT(m.offered, 1);
  CHECK_INT(m.answered, 1);
  CHECK_INT(m.count, 1);
  /* so does a comment without a score */
  ans[0] = ra("q5", 1, 5, -1, "");
  ans[1] = ra("note", 1, 5, -1, "thanks");
  x = rec_of("comment", CSAT_OUTCOME_PARTIAL, ans, 2);
  CHECK_INT(add_one(a, &x), CSAT_OK);
  CHECK_INT(group_metrics(a, "comment", "", &m), CSAT_OK);
  CHECK_INT(m.answered, 1);
  CHECK_INT(m.count, 0);
  CHECK_INT(m.comments, 1);
  /* answers without score or comment: offered, not answered */
  ans[0] = ra("q5", 1, 5, -1, NULL);
  ans[1] = ra("nps", 0, 10, -1, "");
  x = rec_of("none", CSAT_OUTCOME_PARTIAL, ans, 2);
  CHECK_INT(add_one(a, &x), CSAT_OK);
  CHECK_INT(group_metrics(a, "none", "", &m), CSAT_OK);
  CHECK_INT(m.contacts, 1);
  CHECK_INT(m.offered, 1);
  CHECK_INT(m.partial, 1);
  CHECK_INT(m.answered, 0);
  CHECK_INT(m.count, 0);
  CHECK_INT(m.comments, 0);
  /* no answers at all */
  x = rec_of("empty", CSAT_OUTCOME_DECLINED, NULL, 0);
  CHECK_INT(add_one(a, &x), CSAT_OK);
  CHECK_INT(group_metrics(a, "empty", "", &m), CSAT_OK);
  CHECK_INT(m.contacts, 1);
  CHECK_INT(m.offered, 1);
  CHECK_INT(m.outcomes[CSAT_OUTCOME_DECLINED], 1);
  CHECK_INT(m.answered, 0);
  /* already answered: a contact, not offered */
  x = rec_of("already", CSAT_OUTCOME_ALREADY_ANSWERED, NULL, 0);
  CHECK_INT(add_one(a, &x), CSAT_OK);
  CHECK_INT(group_metrics(a, "already", "", &m), CSAT_OK);
  CHECK_INT(m.contacts, 1);
  CHECK_INT(m.offered, 0);
  CHECK_INT(m.outcomes[CSAT_OUTCOME_ALREADY_ANSWERED], 1);
  /* three answers, one contact: its figures once */
  ans[0] = ra("q5", 1, 5, 5, NULL);
  ans[1] = ra("nps", 0, 10, 10, NULL);
  ans[2] = ra("yn", 0, 1, 1, NULL);
  x = rec_of("multi", CSAT_OUTCOME_COMPLETED, ans, 3);
  x.flagged = 1;
  x.escalation = CSAT_ESCALATION_TRANSFER;
  x.wait_ms = 30000;
  x.talk_ms = 60000;
  CHECK_INT(add_one(a, &x), CSAT_OK);
  CHECK_INT(group_metrics(a, "multi", "", &m), CSAT_OK);
  CHECK_INT(m.contacts, 1);
  CHECK_INT(m.answered, 1);
  CHECK_INT(m.count, 3);
  CHECK_INT(m.nps_count, 1);
  CHECK_INT(m.flagged, 1);
  CHECK_INT(m.escalation_offered, 1);
  CHECK_INT(m.escalated, 1);
  CHECK_INT(m.wait_count, 1);
  CHECK_INT(m.talk_count, 1);
  CHECK(m.wait_mean_s == 30.0 && m.talk_mean_s == 60.0);
  /* no outcome: the answers only, none of the contact's figures */
  ans[0] = ra("q5", 1, 5, 2, NULL);
  x = rec_of("answers-only", 0, ans, 1);
  x.flagged = 1;
  x.escalation = CSAT_ESCALATION_CALLBACK;
  x.wait_ms = 1000;
  CHECK_INT(add_one(a, &x), CSAT_OK);
  CHECK_INT(group_metrics(a, "answers-only", "", &m), CSAT_OK);
  CHECK_INT(m.count, 1);
  CHECK_INT(m.contacts, 0);
  CHECK_INT(m.flagged, 0);
  CHECK_INT(m.escalated, 0);
  CHECK_INT(m.wait_count, 0);

  /* Grouped by question: each answer's group counts the contact, answered
   * by that answer; a record without answers counts in question "". */
  ans[0] = ra("q5", 1, 5, -1, NULL);
  ans[1] = ra("nps", 0, 10, 7, NULL);
  ans[2] = ra("note", 1, 5, -1, "ok");
  x = rec_of("dq", CSAT_OUTCOME_COMPLETED, ans, 3);
  x.flagged = 1;
  CHECK_INT(add_one(q, &x), CSAT_OK);
  CHECK_INT(group_metrics(q, "dq", "q5", &m), CSAT_OK);
  CHECK_INT(m.contacts, 1);
  CHECK_INT(m.answered, 0);
  CHECK_INT(m.flagged, 1);
  CHECK_INT(m.count, 0);
  CHECK_INT(group_metrics(q, "dq", "nps", &m), CSAT_OK);
  CHECK_INT(m.contacts, 1);
  CHECK_INT(m.answered, 1);
  CHECK_INT(m.count, 1);
  CHECK_INT(group_metrics(q, "dq", "note", &m), CSAT_OK);
  CHECK_INT(m.contacts, 1);
  CHECK_INT(m.answered, 1);
  CHECK_INT(m.comments, 1);
  CHECK_INT(group_metrics(q, "dq", "", &m), CSAT_ERR_NOT_FOUND);
  x = rec_of("dq0", CSAT_OUTCOME_TIMED_OUT, NULL, 0);
  CHECK_INT(add_one(q, &x), CSAT_OK);
  CHECK_INT(group_metrics(q, "dq0", "", &m), CSAT_OK);
  CHECK_INT(m.contacts, 1);
  CHECK_INT(m.answered, 0);
  /* one question asked twice: one group, the contact once in it */
  ans[0] = ra("q5", 1, 5, 4, NULL);
  ans[1] = ra("q5", 1, 5, 2, NULL);
  x = rec_of("twice", CSAT_OUTCOME_COMPLETED, ans, 2);
  CHECK_INT(add_one(q, &x), CSAT_OK);
  CHECK_INT(group_metrics(q, "twice", "q5", &m), CSAT_OK);
  CHECK_INT(m.contacts, 1);
  CHECK_INT(m.count, 2);
  csat_agg_free(a);
  csat_agg_free(q);
}

/* Comments without a score take the polarity of the record's last earlier
 * score (scale 1..5: 1-2 negative, 4-5 positive). */
TEST(polarity) {
  static const struct {
    const char *agent;
    int32_t s[3];   /* scores of q5, q5b, then a comment "fraud" on note; -2: absent */
    int comment_at; /* index of the unscored, commented answer */
    int neg, pos;
  } cases[] = {
      {"p-neg", {1, -2, -2}, 1, 1, 0},   /* after a negative score */
      {"p-pos", {5, -2, -2}, 1, 0, 1},   /* after a positive score */
      {"p-last", {5, 1, -2}, 2, 1, 0},   /* the last earlier score, not the first */
      {"p-first", {1, -2, -2}, 0, 0, 0}, /* no earlier score: a later one does not count */
      {"p-mid", {1, 5, -2}, 1, 1, 0},    /* the score after it does not count */
      {"p-neutral", {3, -2, -2}, 1, 0, 0},
      {"p-gap", {2, -1, -2}, 2, 1, 0}, /* an unscored answer between changes nothing */
  };
  csat_agg *a = rec_agg(0, NULL), *q = rec_agg(5, NULL);
  size_t c;
  for (c = 0; c < sizeof cases / sizeof *cases; c++) {
    csat_agg_record_answer ans[4];
    csat_agg_record x;
    csat_metrics m;
    csat_category_counts cc;
    size_t n = 0, s = 0;
    int before = check_failures;
    while (n < 4) {
      if ((int)n == cases[c].comment_at) {
        ans[n++] = ra("note", 1, 5, -1, "fraud again");
      } else if (s < 3 && cases[c].s[s] != -2) {
        ans[n] = ra(s ? "q5b" : "q5", 1, 5, cases[c].s[s], NULL);
        n++;
        s++;
      } else {
        break;
      }
    }
    x = rec_of(cases[c].agent, CSAT_OUTCOME_COMPLETED, ans, n);
    CHECK_INT(add_one(a, &x), CSAT_OK);
    CHECK_INT(add_one(q, &x), CSAT_OK);
    CHECK_INT(group_metrics(a, cases[c].agent, "", &m), CSAT_OK);
    CHECK_INT(m.comments, 1);
    CHECK_INT(m.comments_negative, cases[c].neg);
    CHECK_INT(m.comments_positive, cases[c].pos);
    /* the category (kit_setup's "fraud") carries the same polarity */
    memset(&cc, 0, sizeof cc);
    cc.struct_size = sizeof cc;
    {
      csat_agg_key k;
      size_t g = 0;
      memset(&k, 0, sizeof k);
      k.struct_size = sizeof k;
      k.agent_id = cases[c].agent;
      CHECK_INT(csat_agg_group_find(a, &k, &g), CSAT_OK);
      CHECK_INT(csat_agg_category(a, g, 0, &cc), CSAT_OK);
    }
    CHECK_INT(cc.comments, 1);
    CHECK_INT(cc.negative, cases[c].neg);
    CHECK_INT(cc.positive, cases[c].pos);
    /* grouped by question: the comment in its own question's group */
    CHECK_INT(group_metrics(q, cases[c].agent, "note", &m), CSAT_OK);
    CHECK_INT(m.comments, 1);
    CHECK_INT(m.comments_negative, cases[c].neg);
    CHECK_INT(m.comments_positive, cases[c].pos);
    CHECK_INT(group_metrics(q, cases[c].agent, "q5", &m), CSAT_OK);
    CHECK_INT(m.comments, 0);
    if (check_failures != before)
      fprintf(stderr, "  in polarity case %s\n", cases[c].agent);
  }
  csat_agg_free(a);
  csat_agg_free(q);
}

/* Term counts take that polarity too: 30 negative and 30 positive records
 * whose only comments sit on unscored answers mark "fraud" and "helpful". */
TEST(polarity_terms) {
  csat_agg *a = rec_agg(0, NULL);
  csat_agg_record_answer ans[2];
  csat_agg_record x;
  csat_term t[8];
  size_t n = 0, i;
  int k, found = 0;
  for (k = 0; k < 30; k++) {
    ans[0] = ra("q5", 1, 5, 1, NULL);
    ans[1] = ra("note", 1, 5, -1, "fraud again");
    x = rec_of("t", CSAT_OUTCOME_COMPLETED, ans, 2);
    CHECK_INT(add_one(a, &x), CSAT_OK);
    /* x reads ans: now the positive record */
    ans[0] = ra("q5", 1, 5, 5, NULL);
    ans[1] = ra("note", 1, 5, -1, "helpful again");
    CHECK_INT(add_one(a, &x), CSAT_OK);
  }
  csat_agg_group_count(a);
  t[0].struct_size = sizeof t[0];
  CHECK_INT(csat_agg_top_terms(a, CSAT_AGG_ALL, CSAT_TERMS_NEGATIVE, 1, t, 8, &n), CSAT_OK);
  for (i = 0; i < n; i++)
    if (strcmp(t[i].term, "fraud") == 0) {
      found++;
      CHECK_INT(t[i].count_negative, 30);
      CHECK_INT(t[i].count_positive, 0);
    }
  CHECK_INT(csat_agg_top_terms(a, CSAT_AGG_ALL, CSAT_TERMS_POSITIVE, 1, t, 8, &n), CSAT_OK);
  for (i = 0; i < n; i++)
    if (strcmp(t[i].term, "helpful") == 0) {
      found++;
      CHECK_INT(t[i].count_negative, 0);
      CHECK_INT(t[i].count_positive, 30);
    }
  CHECK_INT(found, 2);
  csat_agg_free(a);
}

/* A record with no outcome, no score and no comment counts nothing, its
 * other figures notwithstanding. */
TEST(nothing) {
  int which;
  for (which = 0; which <= 5; which += 5) {
    csat_agg *a = rec_agg(which, NULL), *empty = rec_agg(which, NULL);
    csat_agg_record_answer ans[2];
    csat_agg_record x[2];
    size_t done = 0;
    ans[0] = ra("q5", 1, 5, -1, NULL);
    ans[1] = ra("nps", 0, 10, -1, "");
    x[0] = rec_of("nobody", 0, ans, 2);
    x[1] = rec_of("nobody-else", 0, NULL, 0);
    x[0].flagged = x[1].flagged = 1;
    x[0].escalation = x[1].escalation = CSAT_ESCALATION_TRANSFER;
    x[0].wait_ms = x[1].wait_ms = 5000;
    x[0].talk_ms = x[1].talk_ms = 9000;
    CHECK_INT(csat_agg_add_records(a, x, 2, &done), CSAT_OK);
    CHECK_INT(done, 2);
    CHECK_INT(csat_agg_group_count(a), 0);
    CHECK(same_state(a, empty));
    csat_agg_free(a);
    csat_agg_free(empty);
  }
  /* Grouped by question, an answer with nothing to count (no score, no
   * comment, no contact) creates no group of its question either, as its
   * row would not. */
  {
    csat_agg *a = rec_agg(5, NULL);
    csat_agg_record_answer ans[3];
    csat_agg_record x;
    csat_metrics m;
    ans[0] = ra("q5", 1, 5, -1, NULL);
    ans[1] = ra("nps", 0, 10, 7, NULL);
    ans[2] = ra("ces", 1, 7, -1, "");
    x = rec_of("some", 0, ans, 3);
    CHECK_INT(add_one(a, &x), CSAT_OK);
    CHECK_INT(csat_agg_group_count(a), 1);
    CHECK_INT(group_metrics(a, "some", "nps", &m), CSAT_OK);
    CHECK_INT(m.count, 1);
    CHECK_INT(group_metrics(a, "some", "q5", &m), CSAT_ERR_NOT_FOUND);
    csat_agg_free(a);
  }
}

/* ---- batching ---------------------------------------------------------------------- */

static void add_in_chunks(csat_agg *a, const csat_agg_record *recs, size_t n, size_t chunk) {
  size_t at = 0, done = 0;
  while (at < n) {
    size_t k = chunk < n - at ? chunk : n - at;
    CHECK_INT(csat_agg_add_records(a, &recs[at], k, &done), CSAT_OK);
    CHECK_INT(done, k);
    at += k;
  }
}

TEST(batching) {
  size_t n = CHECK_QUICK() ? 400 : 2000;
  int which;
  for (which = 2; which <= 4; which += 2) {
    csat_agg *one, *all, *chunked, *twice;
    csat_metrics m1, m2;
    size_t done = 0;
    int before = check_failures;
    gen_set(0xba7c4 + (uint64_t)which, 150, GEN_FREE, n, 0);
    one = rec_agg(which, NULL);
    all = rec_agg(which, NULL);
    chunked = rec_agg(which, NULL);
    add_in_chunks(one, eq_recs, n, 1);
    CHECK_INT(csat_agg_add_records(all, eq_recs, n, &done), CSAT_OK);
    CHECK_INT(done, n);
    add_in_chunks(chunked, eq_recs, n, 7);
    CHECK_INT(csat_agg_add_records(all, eq_recs, 0, &done), CSAT_OK);
    CHECK_INT(done, 0);
    CHECK(same_state(one, all));
    CHECK(same_state(one, chunked));
    /* a second pass over warm caches counts everything again */
    twice = rec_agg(which, NULL);
    CHECK_INT(csat_agg_merge(twice, one), CSAT_OK);
    CHECK_INT(csat_agg_merge(twice, one), CSAT_OK);
    CHECK_INT(csat_agg_add_records(all, eq_recs, n, &done), CSAT_OK);
    CHECK_INT(done, n);
    add_in_chunks(chunked, eq_recs, n, 7);
    CHECK(same_state(all, twice));
    CHECK(same_state(chunked, twice));
    total_metrics(one, &m1);
    total_metrics(all, &m2);
    CHECK(m1.contacts > 0 && m1.count > 0 && m1.comments > 0);
    CHECK_INT(m2.contacts, 2 * m1.contacts);
    CHECK_INT(m2.answered, 2 * m1.answered);
    CHECK_INT(m2.count, 2 * m1.count);
    CHECK_INT(m2.comments, 2 * m1.comments);
    if (check_failures != before)
      fprintf(stderr, "  in configuration %d\n", which);
    csat_agg_free(one);
    csat_agg_free(all);
    csat_agg_free(chunked);
    csat_agg_free(twice);
  }
}

/* ---- errors -------------------------------------------------------------------------- */

#define ERR_N 20
#define ERR_AT 9
#define ERR_CFG 5

static char long_value[CSAT_AGG_MAX_VALUE + 2];
static char long_comment[CSAT_AGG_MAX_COMMENT + 2];

/*
 * Spoil record x (its answers in ans, three valid ones, the third one
 * spoiled where an answer is) by case c. Returns the expected code, -100
 * when c is past the last case; *row: whether the spoiled record has
 * equivalent rows (add_answers must then refuse them with the same code).
 */
static int spoil(int c, csat_agg_record *x, csat_agg_record_answer *ans, const char **name,
                 int *row) {
  *row = 1;
  switch (c) {
  case 0:
    *name = "scale min > max";
    ans[2].scale_min = 5;
    ans[2].scale_max = 3;
    ans[2].score = 4;
    return CSAT_ERR_INVALID_ARG;
  case 1:
    *name = "scale max 11";
    ans[2].scale_min = 0;
    ans[2].scale_max = 11;
    ans[2].score = 4;
    return CSAT_ERR_INVALID_ARG;
  case 2:
    *name = "score above the scale";
    ans[2].score = ans[2].scale_max + 1;
    return CSAT_ERR_INVALID_ARG;
  case 3:
    *name = "score below the scale";
    ans[2].scale_min = 1;
    ans[2].scale_max = 5;
    ans[2].score = 0;
    return CSAT_ERR_INVALID_ARG;
  case 4:
    *name = "score -2";
    ans[2].score = -2;
    return CSAT_ERR_INVALID_ARG;
  case 5:
    *name = "outcome above CSAT_OUTCOME_MAX";
    x->outcome = CSAT_OUTCOME_MAX + 1;
    return CSAT_ERR_INVALID_ARG;
  case 6:
    *name = "outcome -1";
    x->outcome = -1;
    return CSAT_ERR_INVALID_ARG;
  case 7:
    *name = "escalation 4";
    x->escalation = CSAT_ESCALATION_CALLBACK + 1;
    return CSAT_ERR_INVALID_ARG;
  case 8:
    *name = "escalation -1";
    x->escalation = -1;
    return CSAT_ERR_INVALID_ARG;
  case 9:
    *name = "channel -1";
    x->channel = -1;
    return CSAT_ERR_INVALID_ARG;
  case 10:
    *name = "value too long";
    x->agent_id = long_value;
    return CSAT_ERR_LIMIT;
  case 11:
    *name = "question id too long";
    ans[2].question_id = long_value;
    return CSAT_ERR_LIMIT;
  case 12:
    *name = "comment too long";
    ans[2].comment = long_comment;
    return CSAT_ERR_LIMIT;
  case 13:
    *name = "invalid UTF-8 value";
    x->agent_id = "agent-\xff";
    return CSAT_ERR_UTF8;
  case 14:
    *name = "invalid UTF-8 question id (a surrogate)";
    ans[2].question_id = "q\xed\xa0\x80";
    return CSAT_ERR_UTF8;
  case 15:
    *name = "invalid UTF-8 comment (cut)";
    ans[2].comment = "fraud \xd0";
    return CSAT_ERR_UTF8;
  case 16:
    *name = "wait over 30 days";
    x->wait_ms = 30LL * 86400000LL + 1;
    return CSAT_ERR_LIMIT;
  case 17:
    *name = "talk over 30 days";
    x->talk_ms = 30LL * 86400000LL + 1;
    return CSAT_ERR_LIMIT;
  case 18:
    *name = "time past year 9999";
    x->time_ms = 253402300800000LL;
    return CSAT_ERR_INVALID_ARG;
  case 19:
    *name = "more than CSAT_AGG_RECORD_MAX_ANSWERS answers";
    *row = 0;
    x->answer_count = CSAT_AGG_RECORD_MAX_ANSWERS + 1;
    return CSAT_ERR_LIMIT;
  case 20:
    *name = "answers NULL";
    *row = 0;
    x->answers = NULL;
    return CSAT_ERR_INVALID_ARG;
  case 21:
    *name = "answer struct_size too small";
    *row = 0;
    ans[0].struct_size = 8;
    ans[1].struct_size = 8;
    ans[2].struct_size = 8;
    return CSAT_ERR_INVALID_ARG;
  case 22:
    *name = "answer struct_size differs";
    *row = 0;
    ans[2].struct_size = sizeof *ans - 8;
    return CSAT_ERR_INVALID_ARG;
  case 23:
    *name = "record struct_size differs";
    *row = 0;
    x->struct_size = sizeof *x - 8;
    return CSAT_ERR_INVALID_ARG;
  default: return -100;
  }
}

TEST(errors) {
  static csat_agg_record base[ERR_N], work[ERR_N];
  static rec_store st[ERR_N];
  static csat_agg_record_answer ans[CSAT_AGG_RECORD_MAX_ANSWERS + 1];
  csat_agg *want = rec_agg(ERR_CFG, NULL), *empty = rec_agg(ERR_CFG, NULL), *got;
  csat_agg_answer rows[CSAT_AGG_RECORD_MAX_ANSWERS + 1];
  kit_rng r;
  size_t i, done;
  int c, expect;
  memset(long_value, 'v', CSAT_AGG_MAX_VALUE + 1);
  memset(long_comment, 'w', CSAT_AGG_MAX_COMMENT + 1);
  r.s = 0xe44;
  for (i = 0; i < ERR_N; i++)
    gen_record(&r, 30, GEN_FREE, &base[i], &st[i]);
  CHECK_INT(csat_agg_add_records(want, base, ERR_AT, &done), CSAT_OK);
  for (c = 0;; c++) {
    const char *name = "";
    int row = 0, before = check_failures;
    csat_agg *alone;
    memcpy(work, base, sizeof work);
    /* the failing record: a contact and two valid answers before the bad one */
    ans[0] = ra("q5", 1, 5, 1, "fraud");
    ans[1] = ra("nps", 0, 10, 9, NULL);
    ans[2] = ra("ces", 1, 7, 6, "waited");
    for (i = 3; i <= CSAT_AGG_RECORD_MAX_ANSWERS; i++)
      ans[i] = ra("q5", 1, 5, 3, NULL);
    work[ERR_AT] = rec_of("the-bad-one", CSAT_OUTCOME_COMPLETED, ans, 3);
    work[ERR_AT].channel = 2;
    work[ERR_AT].flagged = 1;
    work[ERR_AT].wait_ms = 1000;
    expect = spoil(c, &work[ERR_AT], ans, &name, &row);
    if (expect == -100)
      break;
    got = rec_agg(ERR_CFG, NULL);
    done = 12345;
    CHECK_INT(csat_agg_add_records(got, work, ERR_N, &done), expect);
    CHECK_INT(done, ERR_AT);
    CHECK(strncmp(csat_agg_errmsg(got), "record 9: ", 10) == 0);
    CHECK(same_state(got, want));
    /* the rest goes in after it */
    CHECK_INT(csat_agg_add_records(got, &work[ERR_AT + 1], ERR_N - ERR_AT - 1, &done), CSAT_OK);
    CHECK_INT(done, ERR_N - ERR_AT - 1);
    /* alone: nothing of it is applied */
    alone = rec_agg(ERR_CFG, NULL);
    CHECK_INT(csat_agg_add_records(alone, &work[ERR_AT], 1, &done), expect);
    CHECK_INT(done, 0);
    CHECK(strncmp(csat_agg_errmsg(alone), "record 0: ", 10) == 0);
    CHECK_INT(csat_agg_group_count(alone), 0);
    CHECK(same_state(alone, empty));
    /* the same fault in rows gets the same code ("members shared with
     * csat_agg_answer mean the same") */
    if (row) {
      csat_agg *scratch = rec_agg(ERR_CFG, NULL);
      size_t n = rec_rows(&work[ERR_AT], 1, rows);
      CHECK_INT(csat_agg_add_answers(scratch, rows, n, NULL), expect);
      csat_agg_free(scratch);
    }
    if (check_failures != before)
      fprintf(stderr, "  in error case %d: %s (%s)\n", c, name, csat_agg_errmsg(alone));
    csat_agg_free(alone);
    csat_agg_free(got);
  }
  /* a first record too small to read: nothing read past it */
  memcpy(work, base, sizeof work);
  work[0].struct_size = 8;
  got = rec_agg(ERR_CFG, NULL);
  done = 12345;
  CHECK_INT(csat_agg_add_records(got, work, ERR_N, &done), CSAT_ERR_INVALID_ARG);
  CHECK_INT(done, 0);
  CHECK(strncmp(csat_agg_errmsg(got), "record 0: ", 10) == 0);
  CHECK(same_state(got, empty));
  /* NULL */
  done = 12345;
  CHECK_INT(csat_agg_add_records(got, NULL, 1, &done), CSAT_ERR_INVALID_ARG);
  CHECK_INT(done, 0);
  CHECK_INT(csat_agg_add_records(NULL, base, 1, &done), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_agg_add_records(NULL, base, 1, NULL), CSAT_ERR_INVALID_ARG);
  CHECK(same_state(got, empty));
  csat_agg_free(got);

  /* The limits themselves are allowed: a value of CSAT_AGG_MAX_VALUE bytes,
   * CSAT_AGG_RECORD_MAX_ANSWERS answers, a comment of CSAT_AGG_MAX_COMMENT
   * bytes, 30 days; a dimension not grouped by is not read. */
  {
    csat_agg_record x;
    csat_metrics m;
    long_value[CSAT_AGG_MAX_VALUE] = '\0';
    long_comment[CSAT_AGG_MAX_COMMENT] = '\0';
    for (i = 0; i < CSAT_AGG_RECORD_MAX_ANSWERS; i++)
      ans[i] = ra("q5", 1, 5, 1 + (int32_t)(i % 5), i == 7 ? long_comment : NULL);
    x = rec_of(long_value, CSAT_OUTCOME_COMPLETED, ans, CSAT_AGG_RECORD_MAX_ANSWERS);
    x.wait_ms = 30LL * 86400000LL;
    x.talk_ms = 30LL * 86400000LL;
    x.queue_id = "\xff not read";
    x.department = long_comment;
    got = rec_agg(ERR_CFG, NULL);
    CHECK_INT(add_one(got, &x), CSAT_OK);
    CHECK_INT(csat_agg_group_count(got), 1);
    CHECK_INT(group_metrics(got, long_value, "q5", &m), CSAT_OK);
    CHECK_INT(m.count, CSAT_AGG_RECORD_MAX_ANSWERS);
    CHECK_INT(m.contacts, 1);
    CHECK_INT(m.comments, 1);
    CHECK_INT(m.wait_count, 1);
    CHECK_INT(m.talk_count, 1);
    csat_agg_free(got);
  }
  csat_agg_free(want);
  csat_agg_free(empty);
}

/* Members shared with csat_agg_answer mean the same: a record gets the code
 * its rows get, also for what the aggregator does not read (a dimension it
 * does not group by). One difference is documented: every answer of a
 * record that counts something is read, so a bad question id on an answer
 * that counts nothing refuses the record, where its row (with no outcome)
 * would not be read. */
TEST(like_rows) {
  static const struct {
    int cfg;
    const char *name;
    int refused; /* the record's code when its rows are accepted, 0: theirs */
  } cases[] = {
      {0, "question id of invalid UTF-8, not grouped by question", 0},
      {0, "question id too long, not grouped by question", 0},
      {0, "queue of invalid UTF-8, channel -1, not grouped by", 0},
      {5, "an answer that counts nothing, with a question id of invalid UTF-8", CSAT_ERR_UTF8},
      {5, "an answer that counts nothing, with a question id too long", CSAT_ERR_LIMIT},
      {0, "an answer that counts nothing, a question id of invalid UTF-8, not grouped by",
       CSAT_ERR_UTF8},
  };
  size_t c;
  memset(long_value, 'v', CSAT_AGG_MAX_VALUE + 1);
  long_value[CSAT_AGG_MAX_VALUE + 1] = '\0';
  for (c = 0; c < sizeof cases / sizeof *cases; c++) {
    csat_agg *got = rec_agg(cases[c].cfg, NULL), *want = rec_agg(cases[c].cfg, NULL);
    csat_agg_record_answer ans[2];
    csat_agg_answer rows[2];
    csat_agg_record x;
    size_t n;
    int rc, before = check_failures;
    ans[0] = ra("q5", 1, 5, 4, NULL);
    ans[1] = ra("nps", 0, 10, 9, "fine");
    x = rec_of("like-rows", CSAT_OUTCOME_COMPLETED, ans, 2);
    switch (c) {
    case 0: ans[1].question_id = "q\xff"; break;
    case 1: ans[1].question_id = long_value; break;
    case 2:
      x.queue_id = "\xc3";
      x.channel = -1;
      break;
    case 3:
    case 4:
      x.outcome = 0;
      ans[1] = ra(c == 3 ? "q\xff" : long_value, 0, 10, -1, NULL);
      break;
    case 5: ans[1] = ra("\xff\xfe", 0, 10, -1, ""); break;
    default: break;
    }
    n = rec_rows(&x, cases[c].cfg == 5, rows);
    rc = csat_agg_add_answers(want, rows, n, NULL);
    if (cases[c].refused != 0) {
      CHECK_INT(rc, CSAT_OK);
      CHECK_INT(add_one(got, &x), cases[c].refused);
      CHECK_INT((int)csat_agg_group_count(got), 0); /* nothing of it applied */
    } else {
      CHECK_INT(add_one(got, &x), rc);
      if (rc == CSAT_OK)
        CHECK(same_state(got, want));
    }
    if (check_failures != before)
      fprintf(stderr, "  in case %s (%s)\n", cases[c].name, csat_agg_errmsg(got));
    csat_agg_free(got);
    csat_agg_free(want);
  }
}

/* ---- out of memory ------------------------------------------------------------------- */

TEST(oom) {
  enum { N = 36 };
  static unsigned char *ref[N + 1];
  static size_t ref_len[N + 1], ref_groups[N + 1];
  size_t i, at = 0;
  int persistent;
  csat_agg *inc = rec_agg(ERR_CFG, NULL), *one = rec_agg(ERR_CFG, NULL);
  /* the state after each prefix, built from the equivalent rows, and the
   * group count of those records taken one by one (a group with nothing in
   * it, left by a failed record, would not show in the blob) */
  gen_set(0x00f, 24, GEN_PER_ANSWER, N, 1);
  ref[0] = save_blob(inc, &ref_len[0]);
  ref_groups[0] = 0;
  for (i = 0; i < N; i++) {
    size_t n = rec_rows(&eq_recs[i], 1, &eq_rows[at]);
    CHECK_INT(csat_agg_add_answers(inc, &eq_rows[at], n, NULL), CSAT_OK);
    at += n;
    ref[i + 1] = save_blob(inc, &ref_len[i + 1]);
    CHECK_INT(add_one(one, &eq_recs[i]), CSAT_OK);
    ref_groups[i + 1] = csat_agg_group_count(one);
  }
  csat_agg_free(inc);
  csat_agg_free(one);
  for (persistent = 1; persistent >= 0; persistent--) {
    long k, nomem = 0;
    int reached = 1;
    /* under valgrind (CSAT_TEST_QUICK) every fifth point past the first 40 */
    for (k = 1; reached && k < 100000; k += CHECK_QUICK() && k > 40 ? 5 : 1) {
      fail_alloc fa;
      csat_allocator al = fail_alloc_init(&fa, 0, 0);
      csat_agg *a = rec_agg(ERR_CFG, &al);
      size_t done = 12345, len;
      unsigned char *b;
      int rc;
      fa.fail_at = fa.calls + k;
      fa.persistent = persistent;
      rc = csat_agg_add_records(a, eq_recs, N, &done);
      reached = fa.failures > 0;
      fa.fail_at = 0;
      if (rc == CSAT_OK) {
        CHECK_INT(done, N);
      } else {
        CHECK_INT(rc, CSAT_ERR_NOMEM);
        CHECK(done < N);
        if (done < N) {
          char prefix[32];
          snprintf(prefix, sizeof prefix, "record %u: ", (unsigned)done);
          CHECK(strncmp(csat_agg_errmsg(a), prefix, strlen(prefix)) == 0);
          b = save_blob(a, &len);
          CHECK(len == ref_len[done] && memcmp(b, ref[done], len) == 0);
          CHECK_INT(csat_agg_group_count(a), ref_groups[done]);
          free(b);
          /* and the rest finishes the same state */
          CHECK_INT(csat_agg_add_records(a, &eq_recs[done], N - done, NULL), CSAT_OK);
        }
        nomem++;
      }
      b = save_blob(a, &len);
      CHECK(len == ref_len[N] && memcmp(b, ref[N], len) == 0);
      CHECK_INT(csat_agg_group_count(a), ref_groups[N]);
      free(b);
      csat_agg_free(a);
      CHECK_INT(fa.live, 0);
    }
    CHECK(!reached);  /* a run where no allocation failed ended the loop */
    CHECK(nomem > 0); /* some allocation the state needs failed, once or for good */
  }
  for (i = 0; i <= N; i++)
    free(ref[i]);
}

/* ---- the cached ways in: group rows, slot hints, answer rows ------------------------ */

/* The (question, scale) pairs the cache tests ask: more than a group has
 * hints for (4), one question on two scales. */
static const kit_question cache_pairs[] = {{"q5", 1, 5},      {"nps", 0, 10}, {"ces", 1, 7},
                                           {"yn", 0, 1},      {"q5", 1, 10},  {"effort", 1, 7},
                                           {"resolved", 0, 1}};
#define CACHE_NP 7
#define CACHE_N 400 /* records per round */

/* A record of agent `agent` whose answers are k of the pairs from `first`
 * on, in a shuffled order, all scored; wait and talk drawn. */
static void cache_record(kit_rng *r, const char *agent, uint32_t first, uint32_t k,
                         csat_agg_record *x, rec_store *st) {
  uint32_t order[CACHE_NP], i;
  for (i = 0; i < CACHE_NP; i++)
    order[i] = (first + i) % CACHE_NP;
  for (i = 0; i + 1 < k; i++) {
    uint32_t j = i + kit_below(r, k - i), t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  for (i = 0; i < k; i++) {
    const kit_question *q = &cache_pairs[order[i]];
    st->ans[i] =
        ra(q->id, q->min, q->max, q->min + (int32_t)kit_below(r, (uint32_t)(q->max - q->min) + 1),
           kit_below(r, 2) ? NULL : "");
    if (kit_below(r, 5) == 0) { /* skipped (its scale is ignored, even a wrong one) */
      st->ans[i].score = -1;
      if (kit_below(r, 2))
        st->ans[i].scale_min = 9;
    }
  }
  /* a record's first row carries its contact: its first answer is scored
   * when any is, or rows and record would not agree on "answered" */
  for (i = 1; i < k && st->ans[0].score < 0; i++)
    if (st->ans[i].score >= 0) {
      csat_agg_record_answer t = st->ans[0];
      st->ans[0] = st->ans[i];
      st->ans[i] = t;
    }
  *x = rec_of(agent, kit_below(r, 5) == 0 ? 0 : (int32_t)(1 + kit_below(r, CSAT_OUTCOME_MAX)),
              st->ans, k);
  x->time_ms = KIT_T0 + (int64_t)kit_below(r, 3) * 86400000LL + (int64_t)kit_below(r, 1000);
  x->queue_id = kit_queues[kit_below(r, 2)];
  x->channel = (int32_t)kit_below(r, 3);
  x->wait_ms = kit_below(r, 6) == 0 ? -1 : (int64_t)kit_below(r, 400) * 1000 + 499;
  x->talk_ms = kit_below(r, 6) == 0 ? -1 : (int64_t)kit_below(r, 5000) * 1000;
}

/* Rounds of records through csat_agg_add_records, some agents' keys first
 * cached by csat_agg_add_answers, equal the same records as rows: records
 * whose pairs the group hints, whose pairs the hints have no room for,
 * whose group only the answer path has seen, in any answer order, in both
 * key layouts (configurations 0 and 2: one id; 1: two ids and the
 * question, seven words; 3: the channel, in the scale word). */
TEST(cached_paths) {
  static csat_agg_record recs[CACHE_N];
  static rec_store st[CACHE_N];
  static csat_agg_answer rows[CACHE_N * MAXA];
  int which, round;
  for (which = 0; which < 4; which++) {
    csat_agg *got = rec_agg(which, NULL), *want = rec_agg(which, NULL);
    kit_rng r;
    r.s = 0xcac4e + (uint64_t)which;
    for (round = 0; round < 6; round++) {
      size_t i, nrows = 0, done = 0;
      int before = check_failures;
      for (i = 0; i < CACHE_N; i++) {
        /* agents 0..7: a round narrows or widens their pairs; agent 8 + round
         * is new, its first half-round of records given as rows first */
        uint32_t agent = kit_below(&r, 4) == 0 ? 8 + (uint32_t)round : kit_below(&r, 8);
        uint32_t first = round < 2 ? 0 : kit_below(&r, CACHE_NP);
        uint32_t k = 1 + kit_below(&r, round < 2 ? 3 : MAXA);
        cache_record(&r, rec_agent(agent + 100), first, k, &recs[i], &st[i]);
        nrows += rec_rows(&recs[i], 0, &rows[nrows]);
      }
      CHECK_INT(csat_agg_add_answers(want, rows, nrows, &done), CSAT_OK);
      /* the new agent's records of the first half as rows, the rest as records */
      nrows = 0;
      for (i = 0; i < CACHE_N; i++) {
        csat_agg_answer one[MAXA];
        size_t n;
        if (i >= CACHE_N / 2 || recs[i].agent_id != rec_agent(8 + (uint32_t)round + 100)) {
          CHECK_INT(add_one(got, &recs[i]), CSAT_OK);
          continue;
        }
        n = rec_rows(&recs[i], 0, one);
        CHECK_INT(csat_agg_add_answers(got, one, n, &done), CSAT_OK);
      }
      CHECK(same_state(got, want));
      /* and a round's records all at once, twice more */
      CHECK_INT(csat_agg_add_records(got, recs, CACHE_N, &done), CSAT_OK);
      CHECK_INT(done, CACHE_N);
      CHECK_INT(csat_agg_add_records(got, recs, CACHE_N, &done), CSAT_OK);
      for (i = 0; i < CACHE_N; i++) {
        csat_agg_answer one[MAXA];
        size_t n = rec_rows(&recs[i], 0, one);
        CHECK_INT(csat_agg_add_answers(want, one, n, &done), CSAT_OK);
        CHECK_INT(csat_agg_add_answers(want, one, n, &done), CSAT_OK);
      }
      CHECK(same_state(got, want));
      if (check_failures != before)
        fprintf(stderr, "  in configuration %d, round %d\n", which, round);
    }
    CHECK_INT(csat_agg_group_count(got), csat_agg_group_count(want));
    csat_agg_free(got);
    csat_agg_free(want);
  }
}

/* A cached record whose duration needs memory the allocator refuses stops
 * its batch there with NOMEM, having counted the records before it and
 * nothing of its own: a record whose slots the group hints (pair 0), and one
 * whose pair the full hints leave to the answer rows (pair 4). */
TEST(cached_oom) {
  int pair;
  for (pair = 0; pair <= 4; pair += 4) {
    enum { N = 40 };
    fail_alloc fa;
    csat_allocator al = fail_alloc_init(&fa, 0, 0);
    csat_agg *a = rec_agg(0, &al), *want = rec_agg(0, NULL);
    csat_agg_record_answer warm_ans[CACHE_NP], ans[N][1];
    csat_agg_record warm[CACHE_NP], recs[N];
    csat_agg_answer rows[1];
    size_t i, done = 99, n;
    int rc;
    /* warm: the group row, hints for pairs 0..3, answer rows for all */
    for (i = 0; i < CACHE_NP; i++) {
      const kit_question *q = &cache_pairs[i];
      warm_ans[i] = ra(q->id, q->min, q->max, q->max, NULL);
      warm[i] = rec_of("agent-oom", CSAT_OUTCOME_COMPLETED, &warm_ans[i], 1);
      CHECK_INT(add_one(a, &warm[i]), CSAT_OK);
      n = rec_rows(&warm[i], 0, rows);
      CHECK_INT(csat_agg_add_answers(want, rows, n, NULL), CSAT_OK);
    }
    /* durations of seconds far apart: pend fills, then its fold needs bins */
    for (i = 0; i < N; i++) {
      const kit_question *q = &cache_pairs[pair];
      ans[i][0] = ra(q->id, q->min, q->max, q->min, NULL);
      recs[i] = rec_of("agent-oom", CSAT_OUTCOME_COMPLETED, ans[i], 1);
      recs[i].wait_ms = (int64_t)i * 3600000;
    }
    fa.fail_at = fa.calls + 1;
    fa.persistent = 1;
    rc = csat_agg_add_records(a, recs, N, &done);
    fa.fail_at = 0;
    CHECK_INT(rc, CSAT_ERR_NOMEM);
    CHECK(done > 0 && done < N);
    if (rc == CSAT_ERR_NOMEM && done < N) {
      char prefix[32];
      snprintf(prefix, sizeof prefix, "record %u: ", (unsigned)done);
      CHECK(strncmp(csat_agg_errmsg(a), prefix, strlen(prefix)) == 0);
      for (i = 0; i < done; i++) {
        n = rec_rows(&recs[i], 0, rows);
        CHECK_INT(csat_agg_add_answers(want, rows, n, NULL), CSAT_OK);
      }
      CHECK(same_state(a, want));
      CHECK_INT(csat_agg_add_records(a, &recs[done], N - done, NULL), CSAT_OK);
      for (i = done; i < N; i++) {
        n = rec_rows(&recs[i], 0, rows);
        CHECK_INT(csat_agg_add_answers(want, rows, n, NULL), CSAT_OK);
      }
      CHECK(same_state(a, want));
    }
    csat_agg_free(a);
    csat_agg_free(want);
    CHECK_INT(fa.live, 0);
  }
}

/* An answer the check refuses before its comment is read (another
 * struct_size, a score outside its scale) is refused on the fast path's
 * turf too without its comment being read: here a pointer that would
 * crash. Found by review: the fast path read comments first. */
TEST(unread_comment) {
  int variant;
  for (variant = 0; variant < 2; variant++) {
    csat_agg *a = rec_agg(0, NULL), *before = rec_agg(0, NULL);
    csat_agg_record_answer ans[2];
    csat_agg_record x;
    size_t done = 99;
    ans[0] = ra("q5", 1, 5, 4, NULL);
    x = rec_of("agent-unread", CSAT_OUTCOME_COMPLETED, ans, 1);
    CHECK_INT(add_one(a, &x), CSAT_OK); /* cached: the next record tries the fast path */
    CHECK_INT(add_one(before, &x), CSAT_OK);
    ans[1] = ra("nps", 0, 10, 9, (const char *)(uintptr_t)16);
    if (variant == 0)
      ans[1].struct_size = 0; /* never filled in */
    else
      ans[1].score = 11;
    x.answer_count = 2;
    CHECK_INT(csat_agg_add_records(a, &x, 1, &done), CSAT_ERR_INVALID_ARG);
    CHECK_INT(done, 0);
    CHECK(strstr(csat_agg_errmsg(a), variant == 0
                                         ? "record 0: answer 1: struct_size differs"
                                         : "record 0: answer 1: score 11 is outside") != NULL);
    CHECK(same_state(a, before));
    csat_agg_free(a);
    csat_agg_free(before);
  }
}

/* A skipped answer's question is checked on the fast path's turf as the
 * ordinary path checks it (a record with no contact: checked, not
 * interned; with one: interned), in calls of any size; and one that is
 * valid but never met keeps nothing off the fast path's results. */
TEST(skipped_question) {
  static const char *const questions[] = {"\xff", "optional", NULL};
  size_t qi;
  for (qi = 0; qi < 3; qi++) {
    int outcome;
    for (outcome = 0; outcome <= CSAT_OUTCOME_COMPLETED; outcome += CSAT_OUTCOME_COMPLETED) {
      enum { N = 7 };
      csat_agg *a = rec_agg(0, NULL), *want = rec_agg(0, NULL);
      csat_agg_record_answer ans[N][2];
      csat_agg_record x[N];
      csat_agg_answer rows[2];
      size_t i, k, n, done = 99, stop = questions[qi] != NULL && qi == 0 ? N - 1 : N;
      for (i = 0; i < N; i++) {
        ans[i][0] = ra("q5", 1, 5, 1 + (int32_t)(i % 5), NULL);
        ans[i][1] = ra(i == N - 1 ? questions[qi] : "later", 1, 5, -1, NULL);
        x[i] = rec_of(i % 2 ? "agent-s1" : "agent-s2", (int32_t)outcome, ans[i], 2);
      }
      CHECK_INT(add_one(a, &x[0]), CSAT_OK); /* cached from here on */
      CHECK_INT(csat_agg_add_records(a, &x[1], N - 1, &done), stop < N ? CSAT_ERR_UTF8 : CSAT_OK);
      CHECK_INT(done, stop - 1);
      if (stop < N)
        CHECK(strncmp(csat_agg_errmsg(a), "record 5: ", 10) == 0 &&
              strstr(csat_agg_errmsg(a), "question_id") != NULL);
      for (i = 0; i < stop; i++) {
        n = rec_rows(&x[i], 0, rows);
        for (k = 0; k < n; k++)
          CHECK_INT(csat_agg_add_answers(want, &rows[k], 1, NULL), CSAT_OK);
      }
      CHECK(same_state(a, want));
      csat_agg_free(a);
      csat_agg_free(want);
    }
  }
}

/* Any negative wait or talk time is unknown, as -1 is (the header says
 * so): the contact counts, its durations do not, on the first record (the
 * ordinary path) and on the cached ones after it. */
TEST(negative_durations) {
  static const int64_t ms[] = {-1, -2, -1000, INT64_MIN, 61000};
  csat_agg *a = rec_agg(0, NULL);
  csat_agg_record_answer ans[1];
  csat_agg_record x;
  csat_metrics m;
  size_t i;
  ans[0] = ra("q5", 1, 5, 4, NULL);
  for (i = 0; i < sizeof ms / sizeof *ms; i++) {
    x = rec_of("agent-neg", CSAT_OUTCOME_COMPLETED, ans, 1);
    x.wait_ms = ms[i];
    x.talk_ms = ms[(i + 1) % (sizeof ms / sizeof *ms)];
    CHECK_INT(add_one(a, &x), CSAT_OK);
  }
  total_metrics(a, &m);
  CHECK_INT(m.contacts, 5);
  CHECK_INT(m.wait_count, 1);
  CHECK_INT(m.talk_count, 1);
  CHECK(m.wait_mean_s > 60.9 && m.wait_mean_s < 61.1);
  csat_agg_free(a);
}

/* ---- a host buffer refilled between calls ----------------------------------------- */

TEST(reused_buffer) {
  csat_agg *got = rec_agg(ERR_CFG, NULL), *want = rec_agg(ERR_CFG, NULL);
  static char copies[8][3][40];
  char agent[40], question[16], comment[40];
  int round;
  for (round = 0; round < 8; round++) {
    csat_agg_record_answer ans[1];
    csat_agg_record x[2];
    csat_agg_answer rows[2];
    size_t done = 0, k;
    snprintf(agent, sizeof agent, "agent-with-a-long-name-%d", round % 3);
    if (round == 5)
      strcpy(agent, "b"); /* shorter than what the buffer held */
    snprintf(question, sizeof question, "q-%d", round % 2);
    snprintf(comment, sizeof comment, round % 2 ? "fraud %d" : "helpful %d", round);
    ans[0] = ra(question, 1, 5, round % 2 ? 1 : 5, comment);
    x[0] = rec_of(agent, CSAT_OUTCOME_COMPLETED, ans, 1);
    x[1] = x[0];
    x[1].outcome = 0;
    if (round % 3 == 2) {
      /* the answer-row path sees the same buffer in between */
      rec_rows(&x[0], 1, rows);
      rec_rows(&x[1], 1, rows + 1);
      CHECK_INT(csat_agg_add_answers(got, rows, 2, &done), CSAT_OK);
    } else {
      CHECK_INT(csat_agg_add_records(got, x, 2, &done), CSAT_OK);
    }
    CHECK_INT(done, 2);
    /* the same bytes in buffers of their own */
    memcpy(copies[round][0], agent, sizeof agent);
    memcpy(copies[round][1], question, sizeof question);
    memcpy(copies[round][2], comment, sizeof comment);
    for (k = 0; k < 2; k++) {
      rec_rows(&x[k], 1, rows);
      rows[0].agent_id = copies[round][0];
      rows[0].question_id = copies[round][1];
      rows[0].comment = copies[round][2];
      CHECK_INT(csat_agg_add_answers(want, rows, 1, NULL), CSAT_OK);
    }
    CHECK(same_state(got, want));
  }
  CHECK_INT(csat_agg_group_count(got), 6); /* 4 agents x their questions */
  csat_agg_free(got);
  csat_agg_free(want);
}

static const test_case tests[] = {
    TEST_ENTRY(equivalence),    TEST_ENTRY(answered),         TEST_ENTRY(polarity),
    TEST_ENTRY(polarity_terms), TEST_ENTRY(nothing),          TEST_ENTRY(batching),
    TEST_ENTRY(errors),         TEST_ENTRY(like_rows),        TEST_ENTRY(oom),
    TEST_ENTRY(cached_paths),   TEST_ENTRY(cached_oom),       TEST_ENTRY(negative_durations),
    TEST_ENTRY(unread_comment), TEST_ENTRY(skipped_question), TEST_ENTRY(reused_buffer),
};

TEST_MAIN(tests)
