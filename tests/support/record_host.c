/* The recording host (see record_host.h).
 * SPDX-License-Identifier: MIT */
#include "record_host.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *const th_cb_names[CB_COUNT] = {"play",  "collect", "record",  "transfer",
                                           "callback", "store", "task", "already",
                                           "ended", "opted_out"};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
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
  if (h->fail[cb] > 0 || h->calls[cb] == h->fail_call[cb]) {
    if (h->fail[cb] > 0)
      h->fail[cb]--;
    th_log(h, "!");
    return -1;
  }
  return 0;
}

const char *kit_prompt_name(int32_t kind) {
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
  int32_t i;
  th_log(h, "store:%s", csat_outcome_name(csat_result_outcome(r)));
  rc = th_result(h, CB_STORE);
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

void kit_host(csat_host *vt, th *h) {
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
