/*
 * Aggregation throughput, one core: 10 million answers over 10,000 agents
 * (a deterministic generator), grouped by agent with count, mean and
 * top-2-box, through
 *   (a) a plain C loop over arrays (the practical limit),
 *   (b) the library's fast path: pre-resolved slots, csat_agg_add_scores,
 *   (c) the library with records keyed by strings (csat_agg_add_answer):
 *       contacts of 4 answers (4 question ids), first scores only, then full
 *       records whose first answer carries the contact's time, channel,
 *       outcome, flag, wait and talk: one call per row, then 1024 rows per
 *       csat_agg_add_answers call, then grouped by agent and day (140,000
 *       groups) in random and in time order; then (cr) the same contacts as
 *       result records through csat_agg_add_records (key and figures once
 *       per contact, its 4 answers as an array),
 *   (d) the sqlite3 CLI on the same data (tests/bench_agg_sqlite.sh: CSV
 *       import untimed, the GROUP BY query timed), skipped without sqlite3.
 * Prints answers per second and the ratio to the plain loop, and checks that
 * every way gives the same counts. A program that prints figures; never fails
 * on speed (exit 1 only when the results disagree or the library fails).
 *   bench_agg [answers] [--no-sqlite] [--only a|b|c|cb|c1|c1b|cr|c2|c3|e|d]   (--only: for profiling)
 * SPDX-License-Identifier: MIT
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, popen, mkstemp */
#include "csat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CSAT_BENCH_SQLITE_SCRIPT
#  define CSAT_BENCH_SQLITE_SCRIPT "tests/bench_agg_sqlite.sh"
#endif

#define AGENTS 10000
#define DAYS 14
#define RUNS 3

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t splitmix(uint64_t *s) {
  uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

typedef struct data {
  size_t n;
  uint32_t *agent;  /* 0..AGENTS-1 */
  uint8_t *score;   /* 1..5 */
  int64_t *time_ms; /* spread over DAYS days */
  char names[AGENTS][16];
} data;

#define QUESTIONS 4
static const char *const question_ids[QUESTIONS] = {"satisfaction", "resolved", "effort",
                                                    "recommend"};

/* Contacts of QUESTIONS answers each (answer i belongs to contact i / 4 and
 * answers question i % 4): one agent and one time per contact. Scores lean
 * on the agent: some agents are better than others. */
static void generate(data *d, size_t n) {
  uint64_t s = 20261122u;
  size_t i;
  d->n = n;
  d->agent = malloc(n * sizeof *d->agent);
  d->score = malloc(n);
  d->time_ms = malloc(n * sizeof *d->time_ms);
  if (d->agent == NULL || d->score == NULL || d->time_ms == NULL) {
    fprintf(stderr, "bench_agg: out of memory\n");
    exit(1);
  }
  for (i = 0; i < AGENTS; i++)
    snprintf(d->names[i], sizeof d->names[i], "agent-%05u", (unsigned)i);
  for (i = 0; i < n; i++) {
    uint64_t r = splitmix(&s), c = (i / QUESTIONS) * UINT64_C(0x9e3779b97f4a7c15);
    uint32_t a;
    int v;
    c ^= c >> 29;
    c *= UINT64_C(0xbf58476d1ce4e5b9);
    c ^= c >> 32;
    a = (uint32_t)(c % AGENTS);
    v = 1 + (int)((r >> 20) % 5) + (int)((r >> 40) % 4 < (a % 4));
    d->agent[i] = a;
    d->score[i] = (uint8_t)(v > 5 ? 5 : v);
    d->time_ms[i] = 1795000000000LL + (int64_t)((c >> 20) % ((uint64_t)DAYS * 86400000u));
  }
}

/* What every way must agree on. */
typedef struct totals {
  int64_t count[AGENTS], sum[AGENTS], top2[AGENTS];
} totals;

/* (a) the plain loop, written as one would by hand: one small record per
 * agent (12 bytes: the 10,000 of them stay in the L2 cache). */
typedef struct plain_group {
  uint32_t count, sum, top2;
} plain_group;

static void plain_loop(const data *d, totals *t) {
  static plain_group g[AGENTS];
  const uint32_t *agent = d->agent;
  const uint8_t *score = d->score;
  size_t i, n = d->n;
  memset(g, 0, sizeof g);
  for (i = 0; i < n; i++) {
    plain_group *p = &g[agent[i]];
    uint32_t v = score[i];
    p->count++;
    p->sum += v;
    p->top2 += v >= 4;
  }
  for (i = 0; i < AGENTS; i++) {
    t->count[i] = g[i].count;
    t->sum[i] = g[i].sum;
    t->top2[i] = g[i].top2;
  }
}

static void must(int rc, const char *what) {
  if (rc != CSAT_OK) {
    fprintf(stderr, "bench_agg: %s: %s\n", what, csat_strerror(rc));
    exit(1);
  }
}

static csat_agg *new_agg(uint32_t dims, int32_t period) {
  csat_agg_config cfg;
  csat_agg *a = NULL;
  memset(&cfg, 0, sizeof cfg);
  cfg.struct_size = sizeof cfg;
  cfg.dimensions = dims;
  cfg.period = period;
  cfg.hash_seed[0] = 0x5eed;
  must(csat_agg_new(&a, &cfg, NULL), "csat_agg_new");
  return a;
}

static void answer_key(csat_agg_answer *k, const char *agent) {
  memset(k, 0, sizeof *k);
  k->struct_size = sizeof *k;
  k->agent_id = agent;
  k->question_id = "satisfaction";
  k->scale_min = 1;
  k->scale_max = 5;
  k->score = -1;
  k->wait_ms = -1;
  k->talk_ms = -1;
}

/* Per agent, summed over its periods: the library's figures against t. */
static int check(csat_agg *a, const data *d, const totals *t, const char *what) {
  static totals got;
  size_t g, ng = csat_agg_group_count(a);
  int v;
  memset(&got, 0, sizeof got);
  for (g = 0; g < ng; g++) {
    csat_agg_key k;
    csat_metrics m;
    unsigned idx;
    memset(&k, 0, sizeof k);
    memset(&m, 0, sizeof m);
    k.struct_size = sizeof k;
    m.struct_size = sizeof m;
    must(csat_agg_group_key(a, g, &k), "group key");
    must(csat_agg_metrics(a, g, &m), "metrics");
    if (sscanf(k.agent_id, "agent-%u", &idx) != 1 || idx >= AGENTS) {
      fprintf(stderr, "bench_agg: %s: unexpected group '%s'\n", what, k.agent_id);
      return 1;
    }
    got.count[idx] += m.count;
    got.top2[idx] += m.positive;
    for (v = 0; v <= 10; v++)
      got.sum[idx] += v * m.distribution[v];
  }
  (void)d;
  if (memcmp(&got, t, sizeof got) != 0) {
    fprintf(stderr, "bench_agg: %s: figures differ from the plain loop\n", what);
    return 1;
  }
  return 0;
}

/* Every contact counted once, with its durations. */
static int check_contacts(csat_agg *a, size_t contacts, size_t flagged, const char *what) {
  csat_metrics m;
  memset(&m, 0, sizeof m);
  m.struct_size = sizeof m;
  must(csat_agg_metrics(a, CSAT_AGG_ALL, &m), "metrics");
  if ((size_t)m.completed != contacts || (size_t)m.wait_count != contacts ||
      (size_t)m.talk_count != contacts || (size_t)m.flagged != flagged) {
    fprintf(stderr, "bench_agg: %s: contact figures differ (%lld completed of %zu)\n", what,
            (long long)m.completed, contacts);
    return 1;
  }
  return 0;
}

typedef struct row {
  const char *name;
  double rate; /* answers per second; 0: not measured */
  const char *note;
} row;

/* (b) pre-resolved slots */
static double run_fast(const data *d, const totals *t, int *bad) {
  uint32_t slot_of[AGENTS];
  uint32_t *slots = malloc(d->n * sizeof *slots);
  double best = 0;
  int run;
  size_t i;
  if (slots == NULL)
    exit(1);
  for (run = 0; run < RUNS; run++) {
    csat_agg *a = new_agg(CSAT_DIM_AGENT, CSAT_PERIOD_NONE);
    double t0, t1;
    for (i = 0; i < AGENTS; i++) {
      csat_agg_answer k;
      answer_key(&k, d->names[i]);
      must(csat_agg_resolve(a, &k, &slot_of[i]), "resolve");
    }
    for (i = 0; i < d->n; i++)
      slots[i] = slot_of[d->agent[i]];
    t0 = now_s();
    must(csat_agg_add_scores(a, slots, d->score, d->n), "add_scores");
    t1 = now_s();
    if ((double)d->n / (t1 - t0) > best)
      best = (double)d->n / (t1 - t0);
    if (run == 0)
      *bad |= check(a, d, t, "fast path");
    csat_agg_free(a);
  }
  free(slots);
  return best;
}

/* (c) records with string keys through csat_agg_add_answer. */
enum { BARE, FULL, FULL_DAY, FULL_DAY_SORTED };

static const size_t *time_order; /* contacts by time (FULL_DAY_SORTED) */
static const data *order_data;

static int by_time(const void *x, const void *y) {
  int64_t a = order_data->time_ms[*(const size_t *)x * QUESTIONS];
  int64_t b = order_data->time_ms[*(const size_t *)y * QUESTIONS];
  return a < b ? -1 : a > b;
}

/* Rows handed to csat_agg_add_answers at a time (a host's read buffer). */
#define BATCH 1024

static double run_full(const data *d, const totals *t, int mode, int batched, int *bad) {
  static const char *const what[] = {"scores by string key", "full records", "full records by day",
                                     "full records by day, in time order"};
  double best = 0;
  int run, day = mode == FULL_DAY || mode == FULL_DAY_SORTED;
  size_t nc = d->n / QUESTIONS;
  if (mode == FULL_DAY_SORTED && time_order == NULL) {
    size_t *o = malloc(nc * sizeof *o), c;
    if (o == NULL)
      exit(1);
    for (c = 0; c < nc; c++)
      o[c] = c;
    order_data = d;
    qsort(o, nc, sizeof *o, by_time);
    time_order = o;
  }
  for (run = 0; run < (day ? 2 : RUNS); run++) {
    csat_agg *a = new_agg(CSAT_DIM_AGENT, day ? CSAT_PERIOD_DAY : CSAT_PERIOD_NONE);
    static csat_agg_answer buf[BATCH];
    csat_agg_answer one, *cur = &one;
    double t0, t1;
    size_t c, q, nb = 0;
    answer_key(&one, NULL);
    one.channel = CSAT_CHANNEL_VOICE;
    for (q = 0; q < BATCH; q++)
      buf[q] = one;
    t0 = now_s();
    for (c = 0; c < nc; c++) {
      size_t k = mode == FULL_DAY_SORTED ? time_order[c] : c, i = k * QUESTIONS;
      for (q = 0; q < QUESTIONS; q++, i++) {
        /* a host filling its read buffer: the fields that change per row */
        if (batched)
          cur = &buf[nb++];
        cur->agent_id = d->names[d->agent[i]];
        cur->time_ms = d->time_ms[i];
        cur->question_id = question_ids[q];
        cur->score = d->score[i];
        if (mode != BARE && q == 0) {
          /* the contact's figures ride on its first answer */
          cur->outcome = CSAT_OUTCOME_COMPLETED;
          cur->flagged = k % 20 == 0;
          cur->wait_ms = (int64_t)(k % 180) * 1000 + 250;
          cur->talk_ms = 60000 + (int64_t)(k % 600) * 1000;
        } else {
          cur->outcome = 0;
          cur->flagged = 0;
          cur->wait_ms = cur->talk_ms = -1;
        }
        if (!batched) {
          must(csat_agg_add_answer(a, cur), "add_answer");
        } else if (nb == BATCH) {
          must(csat_agg_add_answers(a, buf, nb, NULL), "add_answers");
          nb = 0;
        }
      }
    }
    if (nb > 0)
      must(csat_agg_add_answers(a, buf, nb, NULL), "add_answers");
    t1 = now_s();
    if ((double)d->n / (t1 - t0) > best)
      best = (double)d->n / (t1 - t0);
    if (run == 0) {
      *bad |= check(a, d, t, what[mode]);
      if (mode != BARE)
        *bad |= check_contacts(a, nc, (nc + 19) / 20, what[mode]);
    }
    csat_agg_free(a);
  }
  return best;
}

/* (cr) the same contacts as result records (csat_agg_add_records): the key
 * and the contact's figures once, its 4 answers as an array; RECS records
 * per call (a host's read buffer). */
#define RECS 256

static double run_records(const data *d, const totals *t, int *bad) {
  static csat_agg_record buf[RECS];
  static csat_agg_record_answer ans[RECS][QUESTIONS];
  size_t nc = d->n / QUESTIONS, c, q, nb;
  double best = 0;
  int run;
  memset(buf, 0, sizeof buf);
  memset(ans, 0, sizeof ans);
  for (c = 0; c < RECS; c++) {
    buf[c].struct_size = sizeof buf[c];
    buf[c].channel = CSAT_CHANNEL_VOICE;
    buf[c].outcome = CSAT_OUTCOME_COMPLETED;
    buf[c].answers = ans[c];
    buf[c].answer_count = QUESTIONS;
    for (q = 0; q < QUESTIONS; q++) {
      ans[c][q].struct_size = sizeof ans[c][q];
      ans[c][q].question_id = question_ids[q];
      ans[c][q].scale_min = 1;
      ans[c][q].scale_max = 5;
    }
  }
  for (run = 0; run < RUNS; run++) {
    csat_agg *a = new_agg(CSAT_DIM_AGENT, CSAT_PERIOD_NONE);
    double t0, t1;
    nb = 0;
    t0 = now_s();
    for (c = 0; c < nc; c++) {
      /* a host filling its read buffer: the fields that change per record */
      csat_agg_record *r = &buf[nb];
      size_t i = c * QUESTIONS;
      r->agent_id = d->names[d->agent[i]];
      r->time_ms = d->time_ms[i];
      r->flagged = c % 20 == 0;
      r->wait_ms = (int64_t)(c % 180) * 1000 + 250;
      r->talk_ms = 60000 + (int64_t)(c % 600) * 1000;
      for (q = 0; q < QUESTIONS; q++)
        ans[nb][q].score = d->score[i + q];
      if (++nb == RECS) {
        must(csat_agg_add_records(a, buf, nb, NULL), "add_records");
        nb = 0;
      }
    }
    if (nb > 0)
      must(csat_agg_add_records(a, buf, nb, NULL), "add_records");
    t1 = now_s();
    if ((double)d->n / (t1 - t0) > best)
      best = (double)d->n / (t1 - t0);
    if (run == 0) {
      *bad |= check(a, d, t, "result records");
      *bad |= check_contacts(a, nc, (nc + 19) / 20, "result records");
    }
    csat_agg_free(a);
  }
  return best;
}

/* (e) result records of ended voice sessions (csat_agg_add_result): a
 * survey of the same 4 questions on 1..5; a pool of 4 sessions per agent,
 * ingested in the contacts' order (contact c -> a session of its agent). */
#define VARIANTS 4

static csat_survey *bench_survey(void) {
  csat_survey_builder *b = NULL;
  csat_survey *sv = NULL;
  int32_t q, i;
  must(csat_survey_builder_new(&b, "post-call", 1, NULL), "builder");
  must(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INTRO, -1, NULL, "Welcome", NULL), "intro");
  must(csat_survey_builder_set_prompt(b, CSAT_PROMPT_OUTRO, -1, NULL, "Thanks", NULL), "outro");
  for (i = 0; i < QUESTIONS; i++) {
    must(csat_survey_builder_add_question(b, question_ids[i], CSAT_Q_RATING, 1, 5, &q), "question");
    must(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, q, NULL, "Rate 1 to 5", NULL),
         "prompt");
  }
  must(csat_survey_builder_finish(b, &sv, NULL), "finish");
  return sv;
}

static int quiet_play(void *user, const csat_prompt *prompt) {
  (void)user;
  (void)prompt;
  return 0;
}

static int quiet_collect(void *user, const csat_collect *spec) {
  (void)user;
  (void)spec;
  return 0;
}

static int pool_score(size_t agent, size_t v, size_t q) {
  return 1 + (int)((agent * 7 + v * 3 + q * 5 + (agent % 4) * (q + 1)) % 5);
}

static double run_results(const data *d, int *bad, double *results_rate) {
  static totals want;
  csat_survey *sv = bench_survey();
  csat_session **pool = malloc(AGENTS * VARIANTS * sizeof *pool);
  size_t nc = d->n / QUESTIONS, c, p;
  double best = 0;
  int run;
  csat_host host;
  if (pool == NULL)
    exit(1);
  memset(&host, 0, sizeof host);
  host.struct_size = sizeof host;
  host.play = quiet_play;
  host.collect = quiet_collect;
  for (p = 0; p < AGENTS * VARIANTS; p++) {
    csat_contact ct;
    int64_t t = 1795000000000LL + (int64_t)p * 30000;
    size_t q;
    memset(&ct, 0, sizeof ct);
    ct.struct_size = sizeof ct;
    ct.contact_id = "bench";
    ct.agent_id = d->names[p / VARIANTS];
    ct.channel = CSAT_CHANNEL_VOICE;
    ct.started_ms = t;
    ct.ended_ms = t + 240000;
    ct.wait_ms = (int64_t)(p % 180) * 1000;
    ct.talk_ms = 60000 + (int64_t)(p % 600) * 1000;
    must(csat_session_new(&pool[p], sv, &ct, &host, NULL), "session");
    must(csat_session_start(pool[p], t + 240000), "start");
    for (q = 0; q < QUESTIONS; q++) {
      char digit = (char)('0' + pool_score(p / VARIANTS, p % VARIANTS, q));
      must(csat_session_input(pool[p], &digit, 1, t + 241000 + (int64_t)q * 1000), "input");
    }
    if (csat_session_outcome(pool[p]) != CSAT_OUTCOME_COMPLETED) {
      fprintf(stderr, "bench_agg: a pool session did not complete\n");
      exit(1);
    }
  }
  memset(&want, 0, sizeof want);
  for (c = 0; c < nc; c++) {
    size_t ag = d->agent[c * QUESTIONS], v = c % VARIANTS, q;
    for (q = 0; q < QUESTIONS; q++) {
      int sc = pool_score(ag, v, q);
      want.count[ag]++;
      want.sum[ag] += sc;
      want.top2[ag] += sc >= 4;
    }
  }
  for (run = 0; run < RUNS; run++) {
    csat_agg *a = new_agg(CSAT_DIM_AGENT, CSAT_PERIOD_NONE);
    double t0, t1;
    t0 = now_s();
    for (c = 0; c < nc; c++)
      must(csat_agg_add_result(
               a, csat_session_result(pool[d->agent[c * QUESTIONS] * VARIANTS + c % VARIANTS])),
           "add_result");
    t1 = now_s();
    if ((double)d->n / (t1 - t0) > best) {
      best = (double)d->n / (t1 - t0);
      *results_rate = (double)nc / (t1 - t0);
    }
    if (run == 0)
      *bad |= check(a, d, &want, "result records") | check_contacts(a, nc, 0, "result records");
    csat_agg_free(a);
  }
  for (p = 0; p < AGENTS * VARIANTS; p++)
    csat_session_free(pool[p]);
  free(pool);
  csat_survey_free(sv);
  return best;
}

/* (d) the sqlite3 CLI: rates of the plain and the indexed query, or a reason. */
static const char *run_sqlite(const data *d, double *plain, double *indexed) {
  static char reason[256];
  char path[] = "/tmp/bench_agg_XXXXXX";
  char cmd[512], line[128];
  FILE *f, *p;
  int fd = mkstemp(path), status;
  size_t i;
  *plain = *indexed = 0;
  if (fd < 0 || (f = fdopen(fd, "w")) == NULL)
    return "cannot write a temporary CSV file";
  fputs("agent,score\n", f);
  for (i = 0; i < d->n; i++)
    fprintf(f, "%u,%u\n", (unsigned)d->agent[i], (unsigned)d->score[i]);
  fclose(f);
  snprintf(cmd, sizeof cmd, "sh '%s' '%s'", CSAT_BENCH_SQLITE_SCRIPT, path);
  p = popen(cmd, "r");
  if (p == NULL) {
    unlink(path);
    return "popen failed";
  }
  while (fgets(line, sizeof line, p) != NULL) {
    double sec;
    if (sscanf(line, "plain %lf", &sec) == 1 && sec > 0)
      *plain = (double)d->n / sec;
    else if (sscanf(line, "indexed %lf", &sec) == 1 && sec > 0)
      *indexed = (double)d->n / sec;
  }
  status = pclose(p);
  unlink(path);
  if (*plain == 0) {
    snprintf(reason, sizeof reason, "skipped: %s (exit status %d)",
             status != 0 && WEXITSTATUS(status) == 77 ? "sqlite3 CLI not installed "
                                                        "(apt-get install -y sqlite3)"
                                                      : "bench_agg_sqlite.sh failed",
             WEXITSTATUS(status));
    return reason;
  }
  return NULL;
}

int main(int argc, char **argv) {
  static data d;
  static totals t;
  size_t n = 10000000;
  int i, sqlite = 1, bad = 0, run;
  const char *only = "";
  double plain = 0, sq_plain, sq_indexed;
  const char *sq_reason;
  row rows[10];
  int nrows = 0;

  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--no-sqlite") == 0)
      sqlite = 0;
    else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
      only = argv[++i];
    else if (atol(argv[i]) > 0)
      n = (size_t)atol(argv[i]);
  }
  printf("libcsat %s aggregation benchmark: %zu answers over %d agents, one core\n", csat_version(),
         n, AGENTS);
  generate(&d, n);

  for (run = 0; run < RUNS; run++) {
    double t0 = now_s(), t1;
    plain_loop(&d, &t);
    t1 = now_s();
    if ((double)n / (t1 - t0) > plain)
      plain = (double)n / (t1 - t0);
  }
  rows[nrows].name = "(a) plain C loop over arrays";
  rows[nrows].note = "count/sum/top-2-box per agent: the limit";
  rows[nrows++].rate = plain;
#define WANT(x) (only[0] == '\0' || strcmp(only, x) == 0)
  if (WANT("b")) {
    rows[nrows].name = "(b) library, pre-resolved slots";
    rows[nrows].note = "csat_agg_add_scores; target >= 100 M/s";
    rows[nrows++].rate = run_fast(&d, &t, &bad);
  }
  if (WANT("c")) {
    rows[nrows].name = "(c) library, scores by string key";
    rows[nrows].note = "csat_agg_add_answer: agent and question strings, score";
    rows[nrows++].rate = run_full(&d, &t, BARE, 0, &bad);
  }
  if (WANT("cb")) {
    rows[nrows].name = "(cb) scores by string key, batched";
    rows[nrows].note = "the same, 1024 rows per csat_agg_add_answers call";
    rows[nrows++].rate = run_full(&d, &t, BARE, 1, &bad);
  }
  if (WANT("c1")) {
    rows[nrows].name = "(c1) library, full records";
    rows[nrows].note = "+ time, channel, outcome, flag, wait, talk; one call each";
    rows[nrows++].rate = run_full(&d, &t, FULL, 0, &bad);
  }
  if (WANT("c1b")) {
    rows[nrows].name = "(c1b) full records, 1024 per call";
    rows[nrows].note = "the same through csat_agg_add_answers";
    rows[nrows++].rate = run_full(&d, &t, FULL, 1, &bad);
  }
  if (WANT("cr")) {
    rows[nrows].name = "(cr) full records, 256 per call";
    rows[nrows].note = "csat_agg_add_records: a contact and its answers; target >= 20 M/s";
    rows[nrows++].rate = run_records(&d, &t, &bad);
  }
  if (WANT("c2")) {
    rows[nrows].name = "(c2) full records by agent x day";
    rows[nrows].note = "140,000 groups, random order, 1024 per call";
    rows[nrows++].rate = run_full(&d, &t, FULL_DAY, 1, &bad);
  }
  if (WANT("c3")) {
    rows[nrows].name = "(c3) full records by agent x day";
    rows[nrows].note = "the same in time order, as a live stream arrives";
    rows[nrows++].rate = run_full(&d, &t, FULL_DAY_SORTED, 1, &bad);
  }
  if (WANT("e")) {
    static char note[96];
    double per_result = 0;
    rows[nrows].name = "(e) library, result records";
    rows[nrows].rate = run_results(&d, &bad, &per_result);
    snprintf(note, sizeof note, "csat_agg_add_result, 4 answers each: %.2f M results/s",
             per_result / 1e6);
    rows[nrows++].note = note;
  }
  if (sqlite && WANT("d")) {
    sq_reason = run_sqlite(&d, &sq_plain, &sq_indexed);
    rows[nrows].name = "(d) sqlite3 CLI, GROUP BY";
    rows[nrows].note = sq_reason ? sq_reason : "query only; CSV .import not timed";
    rows[nrows++].rate = sq_plain;
    if (sq_reason == NULL) {
      rows[nrows].name = "(d') sqlite3 CLI, covering index";
      rows[nrows].note = "index on (agent, score) built untimed";
      rows[nrows++].rate = sq_indexed;
    }
  }

  printf("\n%-34s %12s %9s  %s\n", "way", "answers/s", "vs (a)", "note");
  for (i = 0; i < nrows; i++) {
    if (rows[i].rate > 0)
      printf("%-34s %10.1f M %8.3fx  %s\n", rows[i].name, rows[i].rate / 1e6, rows[i].rate / plain,
             rows[i].note);
    else
      printf("%-34s %12s %9s  %s\n", rows[i].name, "-", "-", rows[i].note);
  }
  printf("\nresults %s\n",
         bad ? "DIFFER (see above)" : "agree in every way (count, sum, top-2-box per agent)");
  free(d.agent);
  free(d.score);
  free(d.time_ms);
  return bad;
}
