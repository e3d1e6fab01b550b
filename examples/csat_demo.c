/*
 * csat_demo - a day of post-call voice surveys run through libcsat.
 *
 * An IVR vendor's view of the library: one survey defined with the builder
 * API, a batch of calls across agents, queues and departments, and callers who
 * behave like real callers: most answer, some press the wrong keys, some stay
 * silent, some hang up, a few unhappy ones are offered a supervisor. The host
 * below plays prompts by printing them, keeps results in an in-memory
 * "database" that fails once (to show nothing is lost), turns flagged results
 * into tasks, and prints the results as CSV and a short summary.
 *
 * The calls are spread over two weeks of simulated time, and a batch of chat
 * surveys with written comments (Russian, English, Polish) joins them. The
 * aggregation API then turns everything into a report: per department and
 * ISO week, this week against last, control-chart alerts over each agent's
 * days, an agent ranking that does not shame small samples, and the words
 * that mark complaints.
 *
 * Everything is deterministic: the same output on every run.
 * SPDX-License-Identifier: MIT
 */
#include <csat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CALLS 64
#define MAX_ROW 4096

/* ---- the host: what an IVR would do with the library's requests ---------- */

typedef struct demo_host {
  int verbose;           /* print the call's prompts */
  int fail_next_store;   /* the "database" is briefly down */
  char *rows[MAX_CALLS]; /* stored results, as CSV rows */
  int row_count;
  char surveyed[MAX_CALLS][32]; /* contacts surveyed already */
  int surveyed_count;
  int tasks;
  int transfers;
  int callbacks;
  int waiting;                /* the library asked us to collect or record */
  struct demo_report *report; /* aggregators fed with every ended survey */
} demo_host;

static void report_add_result(struct demo_report *rep, const csat_result *r);

static int host_play(void *user, const csat_prompt *p) {
  demo_host *h = user;
  if (h->verbose)
    printf("    IVR  says: %s\n", p->text ? p->text : p->audio);
  return 0;
}

static int host_collect(void *user, const csat_collect *c) {
  demo_host *h = user;
  h->waiting = 1;
  if (h->verbose)
    printf("    IVR  waits for %d..%d digit(s)%s\n", (int)c->min_digits, (int)c->max_digits,
           c->terminator ? ", # to finish" : "");
  return 0;
}

static int host_record(void *user, const csat_record *r) {
  demo_host *h = user;
  h->waiting = 1;
  if (h->verbose)
    printf("    IVR  records up to %d s\n", (int)(r->max_duration_ms / 1000));
  return 0;
}

static int host_transfer(void *user, const char *target) {
  demo_host *h = user;
  h->transfers++;
  if (h->verbose)
    printf("    IVR  transfers the caller to '%s'\n", target);
  return 0;
}

static int host_callback(void *user, const char *address, const char *contact_id) {
  demo_host *h = user;
  h->callbacks++;
  if (h->verbose)
    printf("    IVR  schedules a callback to %s (contact %s)\n", address, contact_id);
  return 0;
}

static int host_store(void *user, const csat_result *r) {
  demo_host *h = user;
  size_t needed = 0;
  char *row;
  if (h->fail_next_store) {
    h->fail_next_store = 0;
    printf("    DB   is down: result for %s not stored (the library keeps it)\n",
           csat_result_contact(r)->contact_id);
    return -1;
  }
  if (csat_result_to_csv(r, NULL, 0, &needed) != CSAT_ERR_BUFFER_TOO_SMALL ||
      h->row_count == MAX_CALLS)
    return -1;
  row = malloc(needed + 1);
  if (row == NULL || csat_result_to_csv(r, row, needed + 1, NULL) != CSAT_OK) {
    free(row);
    return -1;
  }
  h->rows[h->row_count++] = row;
  if (h->surveyed_count < MAX_CALLS) {
    snprintf(h->surveyed[h->surveyed_count], sizeof h->surveyed[0], "%s",
             csat_result_contact(r)->contact_id);
    h->surveyed_count++;
  }
  return 0;
}

static int host_task(void *user, const csat_task *t) {
  demo_host *h = user;
  size_t i;
  h->tasks++;
  if (!h->verbose)
    return 0;
  printf("    TASK %s\n", t->name);
  printf("         -> queue '%s', previous contact %s, key %s\n", t->target, t->previous_contact_id,
         t->idempotency_key);
  for (i = 0; i < t->reference_count; i++)
    printf("         ref %s: %s\n", t->references[i].key, t->references[i].value);
  return 0;
}

static int host_already(void *user, const char *survey_id, const char *contact_id) {
  demo_host *h = user;
  int i;
  (void)survey_id;
  for (i = 0; i < h->surveyed_count; i++)
    if (strcmp(h->surveyed[i], contact_id) == 0)
      return 1;
  return 0;
}

/* ---- the survey ----------------------------------------------------------- */

static int must(int rc, const char *what) {
  if (rc != CSAT_OK) {
    fprintf(stderr, "csat_demo: %s: %s\n", what, csat_strerror(rc));
    exit(1);
  }
  return rc;
}

static csat_survey *make_survey(void) {
  csat_survey_builder *b = NULL;
  csat_survey *s = NULL;
  csat_error err;
  int32_t q;

  must(csat_survey_builder_new(&b, "post-call-csat", 3, NULL), "builder");
  must(csat_survey_builder_set_name(b, "Post-call satisfaction"), "name");
  must(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INTRO, -1, "en",
                                      "Thank you for staying on the line for a short survey.",
                                      NULL),
       "intro");
  must(csat_survey_builder_set_prompt(b, CSAT_PROMPT_OUTRO, -1, "en",
                                      "Thank you for your feedback. Goodbye.", NULL),
       "outro");
  must(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INVALID_INPUT, -1, "en",
                                      "Sorry, that is not one of the choices.", NULL),
       "invalid");
  must(csat_survey_builder_set_prompt(b, CSAT_PROMPT_NO_INPUT, -1, "en",
                                      "Sorry, we did not hear your answer.", NULL),
       "no input");
  must(csat_survey_builder_set_prompt(b, CSAT_PROMPT_MAX_ATTEMPTS, -1, "en", "Let us move on.",
                                      NULL),
       "max attempts");
  must(csat_survey_builder_set_prompt(b, CSAT_PROMPT_ALREADY_ANSWERED, -1, "en",
                                      "You have already answered this survey. Thank you!", NULL),
       "already");
  must(csat_survey_builder_set_prompt(
           b, CSAT_PROMPT_ESCALATION, -1, "en",
           "We are sorry about your experience. Press 1 to speak to a supervisor now, "
           "or 2 to be called back.",
           NULL),
       "escalation prompt");

  must(csat_survey_builder_add_question(b, "satisfaction", CSAT_Q_RATING, 1, 5, &q), "q1");
  must(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, q, "en",
                                      "How satisfied are you with the call, from 1 to 5?",
                                      "csat-q1.wav"),
       "q1 prompt");
  must(csat_survey_builder_set_flag(b, q, 1, 2), "q1 flag"); /* 1 or 2 flags */

  must(csat_survey_builder_add_question(b, "effort", CSAT_Q_RATING, 1, 7, &q), "q2");
  must(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, q, "en",
                                      "The agent made it easy to handle my issue: 1 strongly "
                                      "disagree, 7 strongly agree.",
                                      NULL),
       "q2 prompt");

  must(csat_survey_builder_add_question(b, "nps", CSAT_Q_RATING, 0, 10, &q), "q3");
  must(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, q, "en",
                                      "How likely are you to recommend us, from 0 to 10? "
                                      "Press # when done.",
                                      NULL),
       "q3 prompt");
  must(csat_survey_builder_set_attempts(b, q, 2, CSAT_EXHAUSTED_SKIP), "q3 attempts");

  /* A recorded comment, asked only after a low satisfaction score. */
  must(csat_survey_builder_add_question(b, "what_went_wrong", CSAT_Q_VOICE_COMMENT, 0, 0, &q),
       "q4");
  must(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, q, "en",
                                      "Please tell us what went wrong after the tone.", NULL),
       "q4 prompt");
  must(csat_survey_builder_set_condition(b, q, 0, 2), "q4 condition");

  must(csat_survey_builder_set_escalation(b, 1, 3, "supervisors", 1), "escalation");
  must(csat_survey_builder_set_task(b, 1, "Low CSAT [Score] on [Question] - contact [ContactId]",
                                    "Agent [AgentId] in queue [QueueId] received [Score] on "
                                    "[Question] (survey [SurveyId]). Comment: [Comment]",
                                    "csat-review", "supervisor-review-queue", "CSAT low score"),
       "task");

  memset(&err, 0, sizeof err);
  err.struct_size = sizeof err;
  if (csat_survey_builder_finish(b, &s, &err) != CSAT_OK) {
    fprintf(stderr, "csat_demo: survey: %s\n", err.message);
    csat_survey_builder_free(b);
    exit(1);
  }
  return s;
}

/* ---- callers -------------------------------------------------------------- */

/* A small deterministic generator (no global state, no libc rand()). */
static uint32_t next_rand(uint32_t *state) {
  *state = *state * 1664525u + 1013904223u;
  return *state >> 8;
}

typedef struct agent {
  const char *id;
  const char *queue;
  const char *department;
  int mood; /* 0 struggling .. 3 excellent: shapes the scores callers give */
} agent;

static const agent agents[] = {
    {"A-101 Anna", "Q-billing", "Finance", 3},    {"A-102 Bartek", "Q-billing", "Finance", 2},
    {"A-201 Min-jun", "Q-support", "Support", 2}, {"A-202 Olga", "Q-support", "Support", 0},
    {"A-301 Dilnoza", "Q-sales", "Sales", 3},     {"A-302 Tom", "Q-sales", "Sales", 1},
};
#define AGENT_COUNT (int)(sizeof agents / sizeof agents[0])

/* A caller's script: one step per input the IVR waits for.
 * "H" hangs up, "" stays silent, "R" leaves a recording, else digits. */
typedef struct script {
  const char *steps[12];
  int count;
} script;

static void add(script *sc, const char *step) {
  if (sc->count < 12)
    sc->steps[sc->count++] = step;
}

static const char *const digit_text[] = {"0#", "1#", "2#", "3#", "4#", "5#",
                                         "6#", "7#", "8#", "9#", "10#"};

static int score_for(uint32_t *rng, int mood, int lo, int hi) {
  int span = hi - lo, base = lo + span * (mood + 1) / 4;
  int jitter = (int)(next_rand(rng) % 3) - 1;
  int v = base + jitter;
  return v < lo ? lo : v > hi ? hi : v;
}

static void make_script(script *sc, uint32_t *rng, int mood, int kind) {
  int sat = score_for(rng, mood, 1, 5), eff = score_for(rng, mood, 1, 7);
  int nps = score_for(rng, mood, 0, 10);
  static const char *const single[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
  sc->count = 0;
  switch (kind) {
  case 1: /* presses 9 on a 1..5 scale first, then answers */ add(sc, "9"); break;
  case 2: /* silent throughout */
    add(sc, ""), add(sc, ""), add(sc, ""), add(sc, ""), add(sc, ""), add(sc, ""), add(sc, ""),
        add(sc, "");
    return;
  case 3: /* hangs up at the first question */ add(sc, "H"); return;
  case 4: /* asks to hear the question again */ add(sc, "*"); break;
  default: break;
  }
  add(sc, single[sat]);
  if (kind == 5) { /* answers one question, then hangs up */
    add(sc, "H");
    return;
  }
  add(sc, single[eff]);
  add(sc, digit_text[nps]);
  if (sat <= 2)
    add(sc, "R"); /* the recorded comment */
  /* Escalation menu if offered: unhappy callers take a supervisor, a callback,
   * or let the offer lapse. */
  {
    static const char *const choice[] = {"1", "2", ""};
    add(sc, choice[next_rand(rng) % 3]);
  }
  add(sc, "");
}

/* What a call shows (one bit per story): an unhappy caller's escalation
 * choice after the recorded comment, else the behaviour. */
static unsigned story_of(const script *sc, int kind) {
  int i;
  for (i = 0; i + 1 < sc->count; i++)
    if (strcmp(sc->steps[i], "R") == 0)
      return 1u << (sc->steps[i + 1][0] == '1' ? 6 : sc->steps[i + 1][0] == '2' ? 7 : 8);
  return 1u << kind;
}

/* ---- running one call ---------------------------------------------------- */

static int run_call(const csat_survey *survey, demo_host *h, const csat_contact *c,
                    const script *sc, int64_t now, size_t *blob_size) {
  csat_host vt;
  csat_session *s = NULL;
  int step = 0, rc;
  char recording[64];

  memset(&vt, 0, sizeof vt);
  vt.struct_size = sizeof vt;
  vt.user = h;
  vt.play = host_play;
  vt.collect = host_collect;
  vt.record = host_record;
  vt.transfer = host_transfer;
  vt.schedule_callback = host_callback;
  vt.store = host_store;
  vt.create_task = host_task;
  vt.already_surveyed = host_already;

  must(csat_session_new(&s, survey, c, &vt, NULL), "session");
  h->waiting = 0;
  rc = csat_session_start(s, now);
  while (!csat_session_ended(s)) {
    const char *in = step < sc->count ? sc->steps[step++] : "H";
    now += 4000;
    if (!h->waiting)
      break; /* nothing asked of the caller: should not happen */
    h->waiting = 0;
    if (h->verbose)
      printf("    CALLER %s\n", in[0] == 'H'    ? "hangs up"
                                : in[0] == '\0' ? "(silence)"
                                : in[0] == 'R'  ? "speaks a comment"
                                                : in);
    if (in[0] == 'H')
      rc = csat_session_hangup(s, now);
    else if (in[0] == '\0')
      rc = csat_session_no_input(s, now);
    else if (in[0] == 'R') {
      snprintf(recording, sizeof recording, "rec/%s.wav", c->contact_id);
      rc = csat_session_recorded(s, recording, strlen(recording), now);
    } else
      rc = csat_session_input(s, in, strlen(in), now);
    /* A real IVR would persist the session here between caller inputs; we
     * measure what that costs. */
    if (blob_size != NULL)
      csat_session_save(s, NULL, 0, blob_size);
  }
  if (rc == CSAT_ERR_CALLBACK || csat_session_pending(s)) {
    /* The library kept the result; the host retries once the DB is back. */
    rc = csat_session_flush(s, now);
    printf("    DB   retry: %s\n", rc == CSAT_OK ? "stored" : csat_strerror(rc));
  }
  rc = csat_session_outcome(s);
  if (h->report != NULL)
    report_add_result(h->report, csat_session_result(s));
  csat_session_free(s);
  return rc;
}

/* ---- the report: the aggregation API over two weeks of surveys ------------ */

/* One aggregator per view. Voice results and chat answers go into each. */
typedef struct demo_report {
  csat_agg *dept_week;  /* department x ISO week: the management table */
  csat_agg *agent_week; /* agent x ISO week: this week against last */
  csat_agg *agent_day;  /* agent x day: control charts over each agent's days */
  csat_agg *agent_all;  /* agent, all time: ranking, comment terms, categories */
} demo_report;

#define REPORT_AGGS 4

static csat_agg **report_aggs(demo_report *rep, int i) {
  csat_agg **v[REPORT_AGGS];
  v[0] = &rep->dept_week;
  v[1] = &rep->agent_week;
  v[2] = &rep->agent_day;
  v[3] = &rep->agent_all;
  return v[i];
}

static csat_agg *new_agg(uint32_t dims, int32_t period, int32_t terms) {
  static const char *const waiting[] = {"wait*", "long wait", "czeka*",  "długo",
                                        "долго", "ждал*",     "ожидани*"};
  static const char *const rude[] = {"rude*", "impolite", "груб*", "niemił*", "niegrzecz*"};
  static const char *const billing[] = {"charged*", "refund*",  "списал*",
                                        "деньг*",   "płatnoś*", "opłat*"};
  csat_agg_config cfg;
  csat_agg *a = NULL;
  memset(&cfg, 0, sizeof cfg);
  cfg.struct_size = sizeof cfg;
  cfg.dimensions = dims;
  cfg.period = period;
  cfg.terms = terms;
  cfg.hash_seed[0] = 2026; /* a real host picks it at random */
  must(csat_agg_new(&a, &cfg, NULL), "aggregator");
  must(csat_agg_set_ces_question(a, "effort", 0), "CES question");
  must(csat_agg_set_csi_weight(a, "satisfaction", 2), "CSI weight");
  must(csat_agg_set_csi_weight(a, "nps", 1), "CSI weight");
  must(csat_agg_add_category(a, "waiting", waiting, sizeof waiting / sizeof waiting[0], NULL),
       "category");
  must(csat_agg_add_category(a, "rude", rude, sizeof rude / sizeof rude[0], NULL), "category");
  must(csat_agg_add_category(a, "billing", billing, sizeof billing / sizeof billing[0], NULL),
       "category");
  return a;
}

static void report_init(demo_report *rep) {
  rep->dept_week = new_agg(CSAT_DIM_DEPARTMENT, CSAT_PERIOD_WEEK, 0);
  rep->agent_week = new_agg(CSAT_DIM_AGENT, CSAT_PERIOD_WEEK, 0);
  rep->agent_day = new_agg(CSAT_DIM_AGENT, CSAT_PERIOD_DAY, 0);
  rep->agent_all = new_agg(CSAT_DIM_AGENT, CSAT_PERIOD_NONE, 1);
}

static void report_free(demo_report *rep) {
  int i;
  for (i = 0; i < REPORT_AGGS; i++)
    csat_agg_free(*report_aggs(rep, i));
}

static void report_add_result(demo_report *rep, const csat_result *r) {
  int i;
  for (i = 0; i < REPORT_AGGS; i++)
    must(csat_agg_add_result(*report_aggs(rep, i), r), "aggregate a result");
}

/* The chat channel: the host's own records of chat surveys, one answer each,
 * most with a written comment. Olga's chats turn sour in the middle of the
 * second week; a new agent, Nika, has only two chats. */
static const char *const praise[] = {
    "Thank you, quick and helpful answer",
    "\xd0\xa1\xd0\xbf\xd0\xb0\xd1\x81\xd0\xb8\xd0\xb1\xd0\xbe, "
    "\xd0\xb1\xd1\x8b\xd1\x81\xd1\x82\xd1\x80\xd0\xbe "
    "\xd0\xbf\xd0\xbe\xd0\xbc\xd0\xbe\xd0\xb3\xd0\xbb\xd0\xb8", /* Спасибо, быстро помогли */
    "Dzi\xc4\x99kuj\xc4\x99, bardzo mi\xc5\x82\x61 obs\xc5\x82uga", /* Dziękuję, bardzo miła obsługa */
    "Friendly agent, solved in minutes",
    "\xd0\x9e\xd1\x82\xd0\xbb\xd0\xb8\xd1\x87\xd0\xbd\xd0\xb0\xd1\x8f "
    "\xd0\xba\xd0\xbe\xd0\xbd\xd1\x81\xd1\x83\xd0\xbb\xd1\x8c\xd1\x82\xd0\xb0\xd1\x86\xd0\xb8"
    "\xd1\x8f, \xd1\x81\xd0\xbf\xd0\xb0\xd1\x81\xd0\xb8\xd0\xb1\xd0\xbe", /* Отличная консультация, спасибо */
    "Szybko i sprawnie, dzi\xc4\x99kuj\xc4\x99", /* Szybko i sprawnie, dziękuję */
};
static const char *const complaints[] = {
    "Waited forever and the agent was rude",
    "\xd0\x94\xd0\xbe\xd0\xbb\xd0\xb3\xd0\xbe \xd0\xb6\xd0\xb4\xd0\xb0\xd0\xbb "
    "\xd0\xbe\xd1\x82\xd0\xb2\xd0\xb5\xd1\x82\xd0\xb0, \xd0\xbe\xd0\xbf\xd0\xb5\xd1\x80\xd0\xb0"
    "\xd1\x82\xd0\xbe\xd1\x80 \xd0\xb3\xd1\x80\xd1\x83\xd0\xb1\xd0\xb8\xd0\xbb", /* Долго ждал ответа, оператор грубил */
    "Czeka\xc5\x82\x65m bardzo d\xc5\x82ugo, nikt nie pom\xc3\xb3g\xc5\x82", /* Czekałem bardzo długo, nikt nie pomógł */
    "Charged twice and the refund is still missing",
    "\xd0\xa1\xd0\xbf\xd0\xb8\xd1\x81\xd0\xb0\xd0\xbb\xd0\xb8 \xd0\xb4\xd0\xb5\xd0\xbd\xd1\x8c"
    "\xd0\xb3\xd0\xb8 \xd0\xb4\xd0\xb2\xd0\xb0\xd0\xb6\xd0\xb4\xd1\x8b, "
    "\xd0\xbf\xd1\x80\xd0\xbe\xd0\xb1\xd0\xbb\xd0\xb5\xd0\xbc\xd1\x83 \xd0\xbd\xd0\xb5 "
    "\xd1\x80\xd0\xb5\xd1\x88\xd0\xb8\xd0\xbb\xd0\xb8", /* Списали деньги дважды, проблему не решили */
    "Obs\xc5\x82uga niemi\xc5\x82\x61, problem nie zosta\xc5\x82 rozwi\xc4\x85zany", /* Obsługa niemiła, problem nie został rozwiązany */
    "Long wait again, nobody helped",
};
static const char *const neutral[] = {
    "ok",
    "\xd0\xbd\xd0\xbe\xd1\x80\xd0\xbc\xd0\xb0\xd0\xbb\xd1\x8c\xd0\xbd\xd0\xbe", /* нормально */
    "",
    "it was fine",
};
#define PICK(v, r) (v)[(r) % (sizeof(v) / sizeof((v)[0]))]

static void chat_answer(demo_report *rep, const agent *a, int64_t t, int score, uint32_t r) {
  csat_agg_answer ans;
  int i;
  memset(&ans, 0, sizeof ans);
  ans.struct_size = sizeof ans;
  ans.time_ms = t;
  ans.agent_id = a->id;
  ans.queue_id = a->queue;
  ans.department = a->department;
  ans.channel = CSAT_CHANNEL_CHAT;
  ans.survey_id = "chat-csat";
  ans.question_id = "satisfaction";
  ans.scale_min = 1;
  ans.scale_max = 5;
  ans.score = score;
  ans.comment = score >= 4 ? PICK(praise, r) : score <= 2 ? PICK(complaints, r) : PICK(neutral, r);
  ans.outcome = CSAT_OUTCOME_COMPLETED;
  ans.flagged = score <= 2;
  ans.wait_ms = 5000 + (int64_t)(r % 90) * 1000;
  ans.talk_ms = 120000 + (int64_t)(r % 600) * 1000;
  for (i = 0; i < REPORT_AGGS; i++)
    must(csat_agg_add_answer(*report_aggs(rep, i), &ans), "aggregate a chat answer");
}

static int chat_batch(demo_report *rep, int64_t midnight, uint32_t *rng) {
  static const agent nika = {"A-303 Nika", "Q-sales", "Sales", 3};
  int day, i, chats = 0;
  for (day = 0; day < 14; day++)
    for (i = 0; i < AGENT_COUNT; i++) {
      const agent *a = &agents[i];
      int mood = a->mood, n = 1 + (int)(next_rand(rng) % 2), k;
      if (strcmp(a->id, "A-202 Olga") == 0 && day >= 9) {
        mood = 0; /* something went wrong on Wednesday of the second week */
        n = 3;
      } else if (strcmp(a->id, "A-202 Olga") == 0) {
        mood = 2;
      }
      for (k = 0; k < n; k++) {
        int64_t t = midnight + day * 86400000LL + (9 + (int64_t)(next_rand(rng) % 9)) * 3600000;
        int score = score_for(rng, mood, 1, 5);
        if (mood == 0 && next_rand(rng) % 3 == 0)
          score = 1;
        chat_answer(rep, a, t, score, next_rand(rng));
        chats++;
      }
    }
  chat_answer(rep, &nika, midnight + 12 * 86400000LL + 10 * 3600000, 5, 1);
  chat_answer(rep, &nika, midnight + 13 * 86400000LL + 15 * 3600000, 5, 3);
  return chats + 2;
}

static csat_metrics metrics_of(csat_agg *a, size_t g) {
  csat_metrics m;
  memset(&m, 0, sizeof m);
  m.struct_size = sizeof m;
  must(csat_agg_metrics(a, g, &m), "metrics");
  return m;
}

static csat_agg_key key_of(csat_agg *a, size_t g) {
  csat_agg_key k;
  memset(&k, 0, sizeof k);
  k.struct_size = sizeof k;
  must(csat_agg_group_key(a, g, &k), "group key");
  return k;
}

/* Count what the streaming report writes (a host would write to a file or socket). */
typedef struct byte_count {
  size_t bytes, pieces;
} byte_count;

static int count_bytes(void *user, const char *data, size_t len) {
  byte_count *c = user;
  (void)data;
  c->bytes += len;
  c->pieces++;
  return 0;
}

/* The header and the first rows of a CSV report (lines end in CRLF). */
static void print_csv_report(csat_agg *a, int rows) {
  size_t needed = 0;
  char *csv;
  csat_agg_report_csv(a, NULL, NULL, 0, &needed); /* size it first */
  csv = malloc(needed + 1);
  if (csv != NULL && csat_agg_report_csv(a, NULL, csv, needed + 1, NULL) == CSAT_OK) {
    char *line = csv, *end;
    int n = 0;
    while ((end = strstr(line, "\r\n")) != NULL) {
      if (n++ <= rows)
        printf("  %.*s\n", (int)(end - line), line);
      line = end + 2;
    }
    if (n > rows + 1)
      printf("  ... %d more rows (%d bytes in all)\n", n - rows - 1, (int)needed);
  }
  free(csv);
}

static void print_week_table(csat_agg *a) {
  size_t g, n = csat_agg_group_count(a);
  printf("  %-10s %-9s %4s %6s %14s %12s %5s %6s\n", "department", "week", "n", "CSAT%",
         "95% interval", "NPS (n)", "CES", "flags");
  for (g = 0; g < n; g++) {
    csat_agg_key k = key_of(a, g);
    csat_metrics m = metrics_of(a, g);
    if (m.count == 0) { /* contacts without answers: no figures to show */
      printf("  %-10s %-9s %4d %6s\n", k.department, k.period_label, 0, "-");
      continue;
    }
    printf("  %-10s %-9s %4lld %6.1f %6.1f..%5.1f %7.1f (%2lld) %5.2f %6lld\n", k.department,
           k.period_label, (long long)m.count, 100 * m.csat, 100 * m.csat_lo, 100 * m.csat_hi,
           m.nps, (long long)m.nps_count, m.ces_mean, (long long)m.flagged);
  }
}

/* This week against last, per agent: the two-proportion test on CSAT. */
static void print_week_compare(csat_agg *a, const char *last, const char *this_week) {
  size_t g, n = csat_agg_group_count(a);
  printf("  %-15s %13s %13s %8s %8s\n", "agent", last, this_week, "change", "p");
  for (g = 0; g < n; g++) {
    size_t first, count, i, ga = SIZE_MAX, gb = SIZE_MAX;
    csat_comparison c;
    must(csat_agg_series(a, g, &first, &count), "series");
    if (g != first)
      continue;
    for (i = first; i < first + count; i++) {
      csat_agg_key k = key_of(a, i);
      if (strcmp(k.period_label, last) == 0)
        ga = i;
      if (strcmp(k.period_label, this_week) == 0)
        gb = i;
    }
    if (ga == SIZE_MAX || gb == SIZE_MAX)
      continue;
    memset(&c, 0, sizeof c);
    c.struct_size = sizeof c;
    must(csat_agg_compare(a, ga, gb, &c), "compare");
    printf("  %-15s %5.1f%% (%3lld) %5.1f%% (%3lld) %+7.1f %8.4f%s\n", key_of(a, g).agent_id,
           100 * c.csat_a, (long long)c.count_a, 100 * c.csat_b, (long long)c.count_b,
           100 * c.csat_diff, c.csat_p, c.csat_p < 0.05 ? "  significant" : "");
  }
}

/* Control charts of the negative share over each agent's days. */
static void print_alerts(csat_agg *a) {
  csat_alert al[64];
  csat_alert_params p;
  size_t g, n = csat_agg_group_count(a), shown = 0;
  memset(&p, 0, sizeof p);
  p.struct_size = sizeof p;
  p.baseline = 7; /* the centre line: the agent's first seven days with answers */
  for (g = 0; g < n; g++) {
    size_t first, count, i;
    must(csat_agg_series(a, g, &first, &count), "series");
    if (g != first || count > 64)
      continue;
    al[0].struct_size = sizeof al[0]; /* the element size the library writes */
    must(csat_agg_alerts(a, g, &p, al, 64, &count), "alerts");
    for (i = 0; i < count; i++) {
      csat_agg_key k;
      /* Tell once: a day out of control, or the day the EWMA crosses its limit. */
      if (al[i].p_alarm <= 0 && (al[i].ewma_alarm <= 0 || (i > 0 && al[i - 1].ewma_alarm > 0)))
        continue;
      k = key_of(a, al[i].group);
      printf("  ALERT %-15s %s  negative %3.0f%% of %lld (centre %2.0f%%, UCL %3.0f%%)%s%s\n",
             k.agent_id, k.period_label, 100 * al[i].share, (long long)al[i].count,
             100 * al[i].center, 100 * al[i].ucl, al[i].p_alarm > 0 ? "  p-chart" : "",
             al[i].ewma_alarm > 0 ? "  EWMA" : "");
      shown++;
    }
  }
  if (shown == 0)
    printf("  no alerts\n");
}

static void print_ranking(csat_agg *a) {
  csat_rank r[16];
  csat_rank_params p;
  size_t i, count = 0;
  memset(&p, 0, sizeof p);
  p.struct_size = sizeof p;
  p.metric = CSAT_RANK_CSAT;
  p.min_count = 10;
  r[0].struct_size = sizeof r[0]; /* the element size the library writes */
  must(csat_agg_rank(a, &p, r, 16, &count), "ranking");
  printf("  %4s %-15s %4s %8s %14s\n", "rank", "agent", "n", "CSAT%", "shrunk CSAT%");
  for (i = 0; i < count; i++) {
    char rank[8];
    snprintf(rank, sizeof rank, "%d", (int)r[i].rank);
    printf("  %4s %-15s %4lld %8.1f %14.1f%s\n", r[i].small_sample ? "-" : rank,
           key_of(a, r[i].group).agent_id, (long long)r[i].count, 100 * r[i].value,
           100 * r[i].shrunk, r[i].small_sample ? "  small sample: not ranked" : "");
  }
}

static void print_terms(csat_agg *a) {
  csat_term t[8];
  size_t i, count = 0;
  int32_t c;
  t[0].struct_size = sizeof t[0]; /* the element size the library writes */
  must(csat_agg_top_terms(a, CSAT_AGG_ALL, CSAT_TERMS_NEGATIVE, 3, t, 8, &count), "terms");
  printf("  complaints:");
  for (i = 0; i < count; i++)
    printf(" %s (%lld)%s", t[i].term, (long long)t[i].count_negative, i + 1 < count ? "," : "\n");
  t[0].struct_size = sizeof t[0];
  must(csat_agg_top_terms(a, CSAT_AGG_ALL, CSAT_TERMS_POSITIVE, 3, t, 5, &count), "terms");
  printf("  praise:    ");
  for (i = 0; i < count; i++)
    printf(" %s (%lld)%s", t[i].term, (long long)t[i].count_positive, i + 1 < count ? "," : "\n");
  printf("  categories:");
  for (c = 0; c < csat_agg_category_count(a); c++) {
    csat_category_counts cc;
    memset(&cc, 0, sizeof cc);
    cc.struct_size = sizeof cc;
    must(csat_agg_category(a, CSAT_AGG_ALL, c, &cc), "category");
    printf(" %s %lld (%lld negative)%s", cc.name, (long long)cc.comments, (long long)cc.negative,
           c + 1 < csat_agg_category_count(a) ? "," : "\n");
  }
}

static void print_report(demo_report *rep) {
  csat_report_options o;
  byte_count csv = {0, 0}, json = {0, 0};
  csat_metrics all;
  int i;
  for (i = 0; i < REPORT_AGGS; i++)
    csat_agg_group_count(*report_aggs(rep, i)); /* establish the group order */
  all = metrics_of(rep->agent_all, CSAT_AGG_ALL);
  printf("\nReport: %lld answers from %lld contacts (voice and chat), %lld comments\n",
         (long long)all.count, (long long)all.contacts, (long long)all.comments);

  printf("\nPer department and ISO week:\n");
  print_week_table(rep->dept_week);
  printf("\nThe same as a CSV report (csat_agg_report_csv):\n");
  print_csv_report(rep->dept_week, 2);

  printf("\nThis week against last, CSAT per agent (two-proportion test):\n");
  print_week_compare(rep->agent_week, "2026-W47", "2026-W48");

  printf("\nAlerts (control charts of the negative share over each agent's days):\n");
  print_alerts(rep->agent_day);

  printf("\nAgents ranked by CSAT, shrunk toward the mean (empirical Bayes, at least 10 "
         "answers):\n");
  print_ranking(rep->agent_all);

  printf("\nWhat the comments say (log-odds with an informative prior):\n");
  print_terms(rep->agent_all);

  memset(&o, 0, sizeof o);
  o.struct_size = sizeof o;
  o.flags = CSAT_REPORT_TOTAL | CSAT_REPORT_COMPARE | CSAT_REPORT_ALERTS | CSAT_REPORT_CATEGORIES;
  must(csat_agg_report_csv_write(rep->agent_day, &o, count_bytes, &csv), "CSV report");
  must(csat_agg_report_json_write(rep->agent_day, &o, count_bytes, &json), "JSON report");
  printf("\nPer agent and day (%d groups), streamed through a write callback: CSV %d bytes "
         "in %d pieces, JSON %d bytes in %d pieces\n",
         (int)csat_agg_group_count(rep->agent_day), (int)csv.bytes, (int)csv.pieces,
         (int)json.bytes, (int)json.pieces);
}

int main(void) {
  csat_survey *survey = make_survey();
  demo_host h;
  uint32_t rng = 20261122u;
  int outcomes[CSAT_OUTCOME_MAX + 1] = {0};
  int i, calls = 36, chats;
  unsigned shown = 1u << 8; /* stories printed (an offer that lapses is not shown) */
  /* Monday 2026-11-16 08:00 UTC, ms since the epoch; a call every 10 hours
   * spreads the 36 calls over two weeks and a bit. */
  const int64_t monday = 1794816000000;
  int64_t now = monday;
  size_t blob_size = 0, header_len = 0;
  char *header;
  demo_report rep;

  memset(&h, 0, sizeof h);
  report_init(&rep);
  h.report = &rep;
  printf("libcsat %s demo: %d post-call voice surveys on survey '%s' v%d (%d questions)\n\n",
         csat_version(), calls, csat_survey_id(survey), (int)csat_survey_version(survey),
         (int)csat_survey_question_count(survey));

  for (i = 0; i < calls; i++) {
    const agent *a = &agents[i % AGENT_COUNT];
    /* Behaviours spread over the day: mostly plain answers, some trouble. */
    static const int behaviour[] = {0, 0, 1, 0, 0, 2, 0, 4, 0, 3, 0, 0, 5, 0, 0, 0, 1, 0};
    int kind = behaviour[i % (int)(sizeof behaviour / sizeof behaviour[0])];
    char contact_id[32], phone[32];
    csat_contact c;
    script sc;
    csat_attr attrs[2] = {{"crm_case", NULL}, {"tier", NULL}};
    char case_id[32];
    int outcome;

    snprintf(contact_id, sizeof contact_id, "C-%05d", 41000 + i);
    snprintf(phone, sizeof phone, "+4860%07d", 1234567 + i * 7919);
    snprintf(case_id, sizeof case_id, "CASE-%d", 9000 + i);
    attrs[0].value = case_id;
    attrs[1].value = (i % 4 == 0) ? "gold" : "standard";
    memset(&c, 0, sizeof c);
    c.struct_size = sizeof c;
    c.contact_id = contact_id;
    c.agent_id = a->id;
    c.queue_id = a->queue;
    c.department = a->department;
    c.channel = CSAT_CHANNEL_VOICE;
    c.language = "en";
    c.customer_address = phone;
    c.started_ms = now;
    c.wait_ms = 15000 + (int64_t)(next_rand(&rng) % 120000);
    c.talk_ms = 60000 + (int64_t)(next_rand(&rng) % 480000);
    c.ended_ms = now + c.wait_ms + c.talk_ms;
    c.attrs = attrs;
    c.attr_count = 2;
    make_script(&sc, &rng, a->mood, kind);

    /* Print the first call of each behaviour and of each escalation choice. */
    {
      unsigned bit = story_of(&sc, kind);
      h.verbose = !(shown & bit);
      shown |= bit;
    }
    h.fail_next_store = (i == 7);
    if (h.verbose)
      printf("  call %s  agent %s  queue %s\n", contact_id, a->id, a->queue);
    outcome = run_call(survey, &h, &c, &sc, c.ended_ms, i == 0 ? &blob_size : NULL);
    outcomes[outcome]++;
    if (h.verbose)
      printf("    => %s\n\n", csat_outcome_name(outcome));
    now += 10 * 3600 * 1000;
  }

  /* The same customer calls again: the survey is not run twice. */
  {
    csat_contact c;
    script sc = {{"5"}, 1};
    memset(&c, 0, sizeof c);
    c.struct_size = sizeof c;
    c.contact_id = "C-41000";
    c.agent_id = agents[0].id;
    c.queue_id = agents[0].queue;
    c.department = agents[0].department;
    c.channel = CSAT_CHANNEL_VOICE;
    h.verbose = 1;
    printf("  call C-41000 again (same contact)\n");
    i = run_call(survey, &h, &c, &sc, now, NULL);
    outcomes[i]++;
    printf("    => %s\n\n", csat_outcome_name(i));
  }

  printf("Results (CSV, %d rows):\n", h.row_count);
  csat_survey_csv_header(survey, NULL, 0, &header_len);
  header = malloc(header_len + 1);
  if (header != NULL && csat_survey_csv_header(survey, header, header_len + 1, NULL) == CSAT_OK)
    fputs(header, stdout);
  free(header);
  for (i = 0; i < h.row_count; i++) {
    if (i < 4)
      fputs(h.rows[i], stdout);
    else if (i == 4)
      printf("... %d more rows\n", h.row_count - 4);
    free(h.rows[i]);
  }

  printf("\nSummary\n");
  for (i = 1; i <= CSAT_OUTCOME_MAX; i++)
    if (outcomes[i])
      printf("  %-20s %3d\n", csat_outcome_name(i), outcomes[i]);
  printf("  %-20s %3d\n", "results stored", h.row_count);
  printf("  %-20s %3d\n", "tasks created", h.tasks);
  printf("  %-20s %3d\n", "transfers", h.transfers);
  printf("  %-20s %3d\n", "callbacks", h.callbacks);
  printf("  %-20s %3d bytes (a saved session between two caller inputs)\n", "session blob",
         (int)blob_size);

  /* The chat platform's own records join the voice results. */
  chats = chat_batch(&rep, monday - 8 * 3600 * 1000, &rng);
  printf("\n%d chat surveys with written comments join from the chat platform "
         "(csat_agg_add_answer)\n",
         chats);
  print_report(&rep);
  report_free(&rep);
  csat_survey_free(survey);
  return 0;
}
