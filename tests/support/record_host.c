/* The recording host (see record_host.h).
 * SPDX-License-Identifier: MIT */
#include "record_host.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *const th_cb_names[CB_COUNT] = {"play",     "collect",  "record", "transfer",
                                           "callback", "store",    "task",   "already_surveyed",
                                           "ended",    "opted_out"};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
th_log(th *h, const char *fmt, ...) {
  size_t n = strlen(h->log);
  va_list ap;
  if (n > 0 && n + 1 < sizeof h->log)
    h->log[n++] = ' ';
  va_start(ap, fmt);
  vsnprintf(h->log + n, sizeof h->log - n, fmt, ap);
  va_end(ap);
}

/* Count the call, decide whether it fails, and give on_call the last word. */
static int th_result(th *h, int cb, const th_call *call) {
  int fail = 0, rc;
  h->calls[cb]++;
  if (h->in_restore)
    h->calls_in_restore++;
  if (h->fail[cb] > 0 || h->calls[cb] == h->fail_call[cb]) {
    if (h->fail[cb] > 0)
      h->fail[cb]--;
    fail = 1;
  }
  rc = fail ? -1 : cb == CB_ALREADY ? h->already : 0;
  if (h->on_call != NULL)
    return h->on_call(h, cb, call, rc);
  if (fail)
    th_log(h, "!");
  return rc;
}

/* The compact log is written only when no on_call hook sees the calls. */
#define TH_LOG(h, ...)        \
  do {                        \
    if ((h)->on_call == NULL) \
      th_log(h, __VA_ARGS__); \
  } while (0)

const char *kit_prompt_name(int32_t kind) {
  static const char *const names[] = {"?",          "intro",      "outro",   "question", "invalid",
                                      "no_input",   "max",        "thanks",  "already",  "offer",
                                      "escalation", "invitation", "opt_out", "expired"};
  return kind >= 1 && kind <= CSAT_PROMPT_KIND_MAX ? names[kind] : "?";
}

static int h_play(void *u, const csat_prompt *p) {
  th *h = u;
  th_call c = {0};
  c.prompt = p;
  if (p->question >= 0)
    TH_LOG(h, "%s@%d", kit_prompt_name(p->kind), (int)p->question);
  else
    TH_LOG(h, "%s", kit_prompt_name(p->kind));
  return th_result(h, CB_PLAY, &c);
}

static int h_collect(void *u, const csat_collect *c) {
  th *h = u;
  th_call call = {0};
  call.collect = c;
  TH_LOG(h, "collect@%d:%d-%d", (int)c->question, (int)c->min_digits, (int)c->max_digits);
  return th_result(h, CB_COLLECT, &call);
}

static int h_record(void *u, const csat_record *r) {
  th *h = u;
  th_call c = {0};
  c.record = r;
  TH_LOG(h, "record@%d", (int)r->question);
  return th_result(h, CB_RECORD, &c);
}

static int h_transfer(void *u, const char *target) {
  th *h = u;
  th_call c = {0};
  c.target = target;
  TH_LOG(h, "transfer:%s", target);
  return th_result(h, CB_TRANSFER, &c);
}

/* schedule_callback and opted_out: an address and a contact id. */
static int th_address_call(th *h, int cb, const char *what, const char *address,
                           const char *contact_id) {
  th_call c = {0};
  c.address = address;
  c.contact_id = contact_id;
  TH_LOG(h, "%s:%s:%s", what, address, contact_id);
  return th_result(h, cb, &c);
}

static int h_callback(void *u, const char *address, const char *contact_id) {
  return th_address_call(u, CB_CALLBACK, "callback", address, contact_id);
}

static int h_store(void *u, const csat_result *r) {
  th *h = u;
  th_call c = {0};
  int rc;
  int32_t i;
  c.result = r;
  TH_LOG(h, "store:%s", csat_outcome_name(csat_result_outcome(r)));
  rc = th_result(h, CB_STORE, &c);
  if (rc != 0)
    return rc;
  h->stores++;
  snprintf(h->last_outcome, sizeof h->last_outcome, "%s",
           csat_outcome_name(csat_result_outcome(r)));
  for (i = 0; i < csat_result_answer_count(r) && i < 4; i++) {
    csat_answer a;
    memset(&a, 0, sizeof a);
    a.struct_size = sizeof a;
    if (csat_result_answer(r, i, &a) == CSAT_OK)
      h->stored_scores[i] = a.score;
  }
  return 0;
}

static int h_task(void *u, const csat_task *t) {
  th *h = u;
  th_call c = {0};
  int rc;
  c.task = t;
  TH_LOG(h, "task");
  rc = th_result(h, CB_TASK, &c);
  snprintf(h->task_key, sizeof h->task_key, "%s", t->idempotency_key);
  snprintf(h->task_name, sizeof h->task_name, "%s", t->name);
  if (rc == 0)
    h->tasks_created++;
  return rc;
}

static int h_already(void *u, const char *survey_id, const char *contact_id) {
  th *h = u;
  th_call c = {0};
  c.survey_id = survey_id;
  c.contact_id = contact_id;
  TH_LOG(h, "already?%s:%s", survey_id, contact_id);
  return th_result(h, CB_ALREADY, &c);
}

static int h_ended(void *u, int32_t outcome) {
  th *h = u;
  th_call c = {0};
  c.outcome = outcome;
  TH_LOG(h, "ended:%s", csat_outcome_name(outcome));
  return th_result(h, CB_ENDED, &c);
}

static int h_opted_out(void *u, const char *address, const char *contact_id) {
  return th_address_call(u, CB_OPTED_OUT, "opted_out", address, contact_id);
}

void kit_host(csat_host *vt, th *h) {
  memset(vt, 0, sizeof *vt);
  vt->struct_size = sizeof *vt;
  vt->user = h;
#define TH_SET(cb, member, fn)   \
  if (!(h->omit & (1u << (cb)))) \
  vt->member = fn
  TH_SET(CB_PLAY, play, h_play);
  TH_SET(CB_COLLECT, collect, h_collect);
  TH_SET(CB_RECORD, record, h_record);
  TH_SET(CB_TRANSFER, transfer, h_transfer);
  TH_SET(CB_CALLBACK, schedule_callback, h_callback);
  TH_SET(CB_STORE, store, h_store);
  TH_SET(CB_TASK, create_task, h_task);
  TH_SET(CB_ALREADY, already_surveyed, h_already);
  TH_SET(CB_ENDED, ended, h_ended);
  TH_SET(CB_OPTED_OUT, opted_out, h_opted_out);
#undef TH_SET
}
