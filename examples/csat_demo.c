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
  int verbose;               /* print the call's prompts */
  int fail_next_store;       /* the "database" is briefly down */
  char *rows[MAX_CALLS];     /* stored results, as CSV rows */
  int row_count;
  char surveyed[MAX_CALLS][32]; /* contacts surveyed already */
  int surveyed_count;
  int tasks;
  int transfers;
  int callbacks;
  int waiting;               /* the library asked us to collect or record */
} demo_host;

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
  printf("    IVR  transfers the caller to '%s'\n", target);
  return 0;
}

static int host_callback(void *user, const char *address, const char *contact_id) {
  demo_host *h = user;
  h->callbacks++;
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
  printf("    TASK %s\n", t->name);
  printf("         -> queue '%s', previous contact %s, key %s\n", t->target,
         t->previous_contact_id, t->idempotency_key);
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
                                      NULL), "intro");
  must(csat_survey_builder_set_prompt(b, CSAT_PROMPT_OUTRO, -1, "en",
                                      "Thank you for your feedback. Goodbye.", NULL), "outro");
  must(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INVALID_INPUT, -1, "en",
                                      "Sorry, that is not one of the choices.", NULL), "invalid");
  must(csat_survey_builder_set_prompt(b, CSAT_PROMPT_NO_INPUT, -1, "en",
                                      "Sorry, we did not hear your answer.", NULL), "no input");
  must(csat_survey_builder_set_prompt(b, CSAT_PROMPT_MAX_ATTEMPTS, -1, "en",
                                      "Let us move on.", NULL), "max attempts");
  must(csat_survey_builder_set_prompt(b, CSAT_PROMPT_ALREADY_ANSWERED, -1, "en",
                                      "You have already answered this survey. Thank you!",
                                      NULL), "already");
  must(csat_survey_builder_set_prompt(
           b, CSAT_PROMPT_ESCALATION, -1, "en",
           "We are sorry about your experience. Press 1 to speak to a supervisor now, "
           "or 2 to be called back.", NULL), "escalation prompt");

  must(csat_survey_builder_add_question(b, "satisfaction", CSAT_Q_RATING, 1, 5, &q), "q1");
  must(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, q, "en",
                                      "How satisfied are you with the call, from 1 to 5?",
                                      "csat-q1.wav"), "q1 prompt");
  must(csat_survey_builder_set_flag(b, q, 1, 2), "q1 flag"); /* 1 or 2 flags */

  must(csat_survey_builder_add_question(b, "effort", CSAT_Q_RATING, 1, 7, &q), "q2");
  must(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, q, "en",
                                      "The agent made it easy to handle my issue: 1 strongly "
                                      "disagree, 7 strongly agree.", NULL), "q2 prompt");

  must(csat_survey_builder_add_question(b, "nps", CSAT_Q_RATING, 0, 10, &q), "q3");
  must(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, q, "en",
                                      "How likely are you to recommend us, from 0 to 10? "
                                      "Press # when done.", NULL), "q3 prompt");
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
                                    "csat-review", "supervisor-review-queue",
                                    "CSAT low score"), "task");

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
    {"A-101 Anna", "Q-billing", "Finance", 3},   {"A-102 Bartek", "Q-billing", "Finance", 2},
    {"A-201 Min-jun", "Q-support", "Support", 2}, {"A-202 Olga", "Q-support", "Support", 0},
    {"A-301 Dilnoza", "Q-sales", "Sales", 3},    {"A-302 Tom", "Q-sales", "Sales", 1},
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
  case 1: /* presses 9 on a 1..5 scale first, then answers */
    add(sc, "9");
    break;
  case 2: /* silent throughout */
    add(sc, ""), add(sc, ""), add(sc, ""), add(sc, ""), add(sc, ""), add(sc, ""), add(sc, ""),
        add(sc, "");
    return;
  case 3: /* hangs up at the first question */
    add(sc, "H");
    return;
  case 4: /* asks to hear the question again */
    add(sc, "*");
    break;
  default:
    break;
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
      printf("    CALLER %s\n", in[0] == 'H' ? "hangs up" : in[0] == '\0' ? "(silence)"
                                   : in[0] == 'R' ? "speaks a comment" : in);
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
  csat_session_free(s);
  return rc;
}

int main(void) {
  csat_survey *survey = make_survey();
  demo_host h;
  uint32_t rng = 20261122u;
  int outcomes[CSAT_OUTCOME_MAX + 1] = {0};
  int i, calls = 36;
  int64_t now = 1795000000000; /* a morning in November 2026, ms since the epoch */
  size_t blob_size = 0, header_len = 0;
  char *header;

  memset(&h, 0, sizeof h);
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

    h.verbose = (i < 3) || kind != 0 || agents[i % AGENT_COUNT].mood == 0;
    h.fail_next_store = (i == 7);
    if (h.verbose)
      printf("  call %s  agent %s  queue %s\n", contact_id, a->id, a->queue);
    outcome = run_call(survey, &h, &c, &sc, c.ended_ms, i == 0 ? &blob_size : NULL);
    outcomes[outcome]++;
    if (h.verbose)
      printf("    => %s\n\n", csat_outcome_name(outcome));
    now += 11 * 60 * 1000;
  }

  /* The same customer calls again: the survey is not run twice. */
  {
    csat_contact c;
    script sc = {{"5"}, 1};
    memset(&c, 0, sizeof c);
    c.struct_size = sizeof c;
    c.contact_id = "C-41000";
    c.agent_id = agents[0].id;
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
    fputs(h.rows[i], stdout);
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
  csat_survey_free(survey);
  return 0;
}
