/*
 * Shared by test_session.c and test_session_blob.c: a host that logs every
 * callback in a compact line, surveys built through the public builder, and a
 * small event script runner.
 */
#ifndef CSAT_TEST_SESSION_KIT_H
#define CSAT_TEST_SESSION_KIT_H

#include "check.h"
#include "csat.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a logging host ----------------------------------------------------- */

enum { CB_PLAY, CB_COLLECT, CB_RECORD, CB_TRANSFER, CB_CALLBACK, CB_STORE, CB_TASK,
       CB_ALREADY, CB_ENDED, CB_OPTED_OUT, CB_COUNT };

typedef struct th {
  char log[8192];
  int fail[CB_COUNT]; /* the next fail[i] calls of callback i return -1 */
  int calls[CB_COUNT];
  int already;        /* what already_surveyed answers */
  char task_key[256]; /* idempotency key of the last task */
  char task_name[600];
  int tasks_created;
  int stores;
} th;

static void th_log(th *h, const char *fmt, ...) {
  size_t n = strlen(h->log);
  va_list ap;
  if (n > 0 && n + 1 < sizeof h->log)
    h->log[n++] = ' ';
  va_start(ap, fmt);
  vsnprintf(h->log + n, sizeof h->log - n, fmt, ap);
  va_end(ap);
}

static int th_result(th *h, int cb) {
  h->calls[cb]++;
  if (h->fail[cb] > 0) {
    h->fail[cb]--;
    th_log(h, "!");
    return -1;
  }
  return 0;
}

static const char *kit_prompt_name(int32_t kind) {
  static const char *const names[] = {"?",      "intro",   "outro",  "question", "invalid",
                                      "no_input", "max",   "thanks", "already",  "offer",
                                      "escalation", "invitation", "opt_out", "expired"};
  return kind >= 1 && kind <= CSAT_PROMPT_KIND_MAX ? names[kind] : "?";
}

static int h_play(void *u, const csat_prompt *p) {
  th *h = u;
  if (p->question >= 0)
    th_log(h, "%s@%d", kit_prompt_name(p->kind), (int)p->question);
  else
    th_log(h, "%s", kit_prompt_name(p->kind));
  return th_result(h, CB_PLAY);
}

static int h_collect(void *u, const csat_collect *c) {
  th *h = u;
  th_log(h, "collect@%d:%d-%d", (int)c->question, (int)c->min_digits, (int)c->max_digits);
  return th_result(h, CB_COLLECT);
}

static int h_record(void *u, const csat_record *r) {
  th *h = u;
  th_log(h, "record@%d", (int)r->question);
  return th_result(h, CB_RECORD);
}

static int h_transfer(void *u, const char *target) {
  th *h = u;
  th_log(h, "transfer:%s", target);
  return th_result(h, CB_TRANSFER);
}

static int h_callback(void *u, const char *address, const char *contact_id) {
  th *h = u;
  th_log(h, "callback:%s:%s", address, contact_id);
  return th_result(h, CB_CALLBACK);
}

static int h_store(void *u, const csat_result *r) {
  th *h = u;
  int rc;
  th_log(h, "store:%s", csat_outcome_name(csat_result_outcome(r)));
  rc = th_result(h, CB_STORE);
  if (rc == 0)
    h->stores++;
  return rc;
}

static int h_task(void *u, const csat_task *t) {
  th *h = u;
  int rc;
  th_log(h, "task");
  rc = th_result(h, CB_TASK);
  snprintf(h->task_key, sizeof h->task_key, "%s", t->idempotency_key);
  snprintf(h->task_name, sizeof h->task_name, "%s", t->name);
  if (rc == 0)
    h->tasks_created++;
  return rc;
}

static int h_already(void *u, const char *survey_id, const char *contact_id) {
  th *h = u;
  int rc;
  th_log(h, "already?%s:%s", survey_id, contact_id);
  rc = th_result(h, CB_ALREADY);
  return rc < 0 ? rc : h->already;
}

static int h_ended(void *u, int32_t outcome) {
  th *h = u;
  th_log(h, "ended:%s", csat_outcome_name(outcome));
  return th_result(h, CB_ENDED);
}

static int h_opted_out(void *u, const char *address, const char *contact_id) {
  th *h = u;
  th_log(h, "opted_out:%s:%s", address, contact_id);
  return th_result(h, CB_OPTED_OUT);
}

static void kit_host(csat_host *vt, th *h) {
  memset(vt, 0, sizeof *vt);
  vt->struct_size = sizeof *vt;
  vt->user = h;
  vt->play = h_play;
  vt->collect = h_collect;
  vt->record = h_record;
  vt->transfer = h_transfer;
  vt->schedule_callback = h_callback;
  vt->store = h_store;
  vt->create_task = h_task;
  vt->already_surveyed = h_already;
  vt->ended = h_ended;
  vt->opted_out = h_opted_out;
}

/* Compare the log and clear it. */
#define CHECK_LOG(h, expected)                                                 \
  do {                                                                         \
    CHECK_STR((h)->log, expected);                                             \
    (h)->log[0] = '\0';                                                        \
  } while (0)

/* ---- surveys ------------------------------------------------------------ */

/* Survey options for kit_survey. */
#define KS_OPT_IN 1       /* opt-in mode */
#define KS_ESCALATION 2   /* escalation below 3: transfer "sup" and callback */
#define KS_END 4          /* question 0 ends the survey when attempts run out (2 attempts) */
#define KS_NO_TARGET 8    /* escalation without a transfer target */
#define KS_NO_TASKS 16
#define KS_NO_TERM 32     /* no terminator */
#define KS_OTHER_TEXT 64  /* same id and version, other content */
#define KS_TEXT 128       /* text prompts (invitation, thanks, opt-out, expired), 1-minute window */
#define KS_MULTI 256      /* text: several answers in one message */

#define KB(call)                                                               \
  do {                                                                         \
    int kb_rc_ = (call);                                                       \
    if (kb_rc_ != CSAT_OK) {                                                   \
      fprintf(stderr, "%s:%d: %s -> %d (%s)\n", __FILE__, __LINE__, #call,     \
              kb_rc_, csat_survey_builder_errmsg(b));                          \
      exit(2);                                                                 \
    }                                                                          \
  } while (0)

/*
 * Five questions:
 *   0 "csat"     rating 1..5, flagged at <= 2
 *   1 "nps"      rating 0..10
 *   2 "resolved" yes/no
 *   3 "why"      voice comment, asked when csat <= 2
 *   4 "note"     text comment (not applicable on voice)
 */
static csat_survey *kit_survey(const char *id, int32_t version, int opts) {
  csat_survey_builder *b = NULL;
  csat_survey *s = NULL;
  csat_error err;
  int32_t q;
  if (csat_survey_builder_new(&b, id, version, NULL) != CSAT_OK)
    exit(2);
  KB(csat_survey_builder_set_name(b, "Post-call survey"));
  if (opts & KS_OPT_IN)
    KB(csat_survey_builder_set_mode(b, CSAT_MODE_OPT_IN));
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INTRO, -1, NULL,
                                    (opts & KS_OTHER_TEXT) ? "Hello!" : "Welcome", NULL));
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_OUTRO, -1, NULL, "Thank you", "bye.wav"));
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INVALID_INPUT, -1, NULL, "Invalid", NULL));
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_NO_INPUT, -1, NULL, "Nothing heard", NULL));
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_MAX_ATTEMPTS, -1, NULL, "Moving on", NULL));
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_ALREADY_ANSWERED, -1, NULL, "Done before",
                                    NULL));
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_OPT_IN_OFFER, -1, NULL, "Survey? 1/2", NULL));
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_ESCALATION, -1, NULL, "Sorry. 1 or 2", NULL));
  KB(csat_survey_builder_add_question(b, "csat", CSAT_Q_RATING, 1, 5, &q));
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, q, NULL, "Rate 1 to 5", NULL));
  KB(csat_survey_builder_set_flag(b, q, 1, 2));
  if (opts & KS_END)
    KB(csat_survey_builder_set_attempts(b, q, 2, CSAT_EXHAUSTED_END));
  KB(csat_survey_builder_add_question(b, "nps", CSAT_Q_RATING, 0, 10, &q));
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, q, NULL, "Recommend 0 to 10",
                                    NULL));
  KB(csat_survey_builder_add_question(b, "resolved", CSAT_Q_YES_NO, 0, 0, &q));
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, q, NULL, "Resolved? 1 yes 2 no",
                                    NULL));
  KB(csat_survey_builder_add_question(b, "why", CSAT_Q_VOICE_COMMENT, 0, 0, &q));
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, q, NULL, "Tell us why", NULL));
  KB(csat_survey_builder_set_condition(b, q, 0, 2));
  KB(csat_survey_builder_add_question(b, "note", CSAT_Q_TEXT_COMMENT, 0, 0, &q));
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, q, NULL, "Any note?", NULL));
  if (opts & KS_ESCALATION)
    KB(csat_survey_builder_set_escalation(b, 1, 3, (opts & KS_NO_TARGET) ? NULL : "sup", 1));
  if (opts & KS_NO_TASKS)
    KB(csat_survey_builder_set_task(b, 0, NULL, NULL, NULL, NULL, NULL));
  if (opts & KS_NO_TERM)
    KB(csat_survey_builder_set_input(b, 5000, 3000, 0, 3));
  if (opts & (KS_TEXT | KS_MULTI)) {
    KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INVITATION, -1, NULL, "Invite", NULL));
    KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_THANKS, -1, NULL, "Thanks", NULL));
    KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_OPT_OUT, -1, NULL, "Unsubscribed", NULL));
    KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_EXPIRED, -1, NULL, "Closed", NULL));
    KB(csat_survey_builder_set_text(b, 60000, (opts & KS_MULTI) != 0));
  }
  err.struct_size = sizeof err;
  if (csat_survey_builder_finish(b, &s, &err) != CSAT_OK) {
    fprintf(stderr, "survey: %s\n", err.message);
    exit(2);
  }
  return s;
}

static void kit_contact(csat_contact *c, int32_t channel) {
  static const csat_attr attrs[2] = {{"crm_case", "CASE-2024-0042"}, {"tier", "gold"}};
  memset(c, 0, sizeof *c);
  c->struct_size = sizeof *c;
  c->contact_id = "C-000123456";
  c->agent_id = "agent-42";
  c->queue_id = "support-en";
  c->department = "Support";
  c->channel = channel;
  c->language = "en";
  c->customer_address = "+48600100200";
  c->started_ms = 1717171717000;
  c->ended_ms = 1717171957000;
  c->wait_ms = 45000;
  c->talk_ms = 195000;
  c->attrs = attrs;
  c->attr_count = 2;
}

/* ---- event scripts ------------------------------------------------------ */

/*
 * One event per string: "start", "offer", "optin:1", "in:DIGITS" ("in:" is
 * empty input), "noin", "rec:REF", "rep", "hang", "flush", "txt:MESSAGE",
 * "late:MESSAGE" (a message a day later: after any survey window), "exp".
 * Returns the event's return code.
 */
static int kit_event(csat_session *s, const char *ev, int64_t now) {
  if (strcmp(ev, "start") == 0)
    return csat_session_start(s, now);
  if (strcmp(ev, "offer") == 0)
    return csat_session_offer(s, now);
  if (strncmp(ev, "optin:", 6) == 0)
    return csat_session_opt_in(s, ev[6] == '1', now);
  if (strncmp(ev, "in:", 3) == 0)
    return csat_session_input(s, ev + 3, strlen(ev + 3), now);
  if (strcmp(ev, "noin") == 0)
    return csat_session_no_input(s, now);
  if (strncmp(ev, "rec:", 4) == 0)
    return csat_session_recorded(s, ev + 4, strlen(ev + 4), now);
  if (strcmp(ev, "rep") == 0)
    return csat_session_repeat(s, now);
  if (strcmp(ev, "hang") == 0)
    return csat_session_hangup(s, now);
  if (strcmp(ev, "flush") == 0)
    return csat_session_flush(s, now);
  if (strncmp(ev, "txt:", 4) == 0)
    return csat_session_text(s, ev + 4, strlen(ev + 4), now);
  if (strncmp(ev, "late:", 5) == 0)
    return csat_session_text(s, ev + 5, strlen(ev + 5), now + 86400000);
  if (strcmp(ev, "exp") == 0)
    return csat_session_expire(s, now);
  fprintf(stderr, "unknown event %s\n", ev);
  exit(2);
}

/* Save into a fresh heap buffer; *len receives the size. */
static unsigned char *kit_save(const csat_session *s, size_t *len) {
  size_t need = 0;
  unsigned char *buf;
  int rc = csat_session_save(s, NULL, 0, &need);
  if (rc != CSAT_ERR_BUFFER_TOO_SMALL || need == 0) {
    fprintf(stderr, "save sizing failed: %d\n", rc);
    exit(2);
  }
  buf = malloc(need);
  if (buf == NULL || csat_session_save(s, buf, need, len) != CSAT_OK || *len != need) {
    fprintf(stderr, "save failed\n");
    exit(2);
  }
  return buf;
}

#endif
