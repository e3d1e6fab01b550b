/* The checking host of the session targets: every callback logged, checked
 * against the contract and failed on request (see fuzz_common.h).
 * SPDX-License-Identifier: MIT */
#include "fuzz_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fz_decide(fz_host *h, int required) {
  unsigned c = h->ncalls++;
  int fail = h->fail_on && c < 8 && ((h->fail_mask >> c) & 1u);
  FZ_CHECK(!h->in_restore); /* csat_session_restore never calls a callback */
  if (fail) {
    h->failed_any = 1;
    if (required)
      h->failed_required = 1;
  }
  tb_printf(&h->log, " =%s\n", fail ? "FAIL" : "ok");
  return fail ? -1 : 0;
}

/* Prompt texts/audio of the embedded surveys begin with a tag
 * "K<kind> Q<question> L<lang>" followed by ':' (text) or ".wav" (audio). */
static void fz_check_tag(const fz_host *h, const csat_prompt *p, const char *s) {
  long kind = 0, q = 0;
  int neg = 0;
  const char *lang, *end;
  char quoted[4200];
  size_t n = strlen(s);
  FZ_CHECK(n + 3 < sizeof quoted);
  /* The text must be one of the survey's own strings. */
  quoted[0] = '"';
  memcpy(quoted + 1, s, n);
  quoted[n + 1] = '"';
  quoted[n + 2] = '\0';
  FZ_CHECK(strstr(h->survey_json, quoted) != NULL);
  FZ_CHECK(*s == 'K');
  for (s++; *s >= '0' && *s <= '9'; s++)
    kind = kind * 10 + (*s - '0');
  FZ_CHECK(s[0] == ' ' && s[1] == 'Q');
  s += 2;
  if (*s == '-') {
    neg = 1;
    s++;
  }
  for (; *s >= '0' && *s <= '9'; s++)
    q = q * 10 + (*s - '0');
  if (neg)
    q = -q;
  FZ_CHECK(s[0] == ' ' && s[1] == 'L');
  lang = s + 2;
  end = lang;
  while (*end && *end != ':' && *end != '.')
    end++;
  FZ_CHECK(kind == p->kind);
  /* A question's own prompt is only ever played for that question; a
   * survey-level one for any (the library may report -1 or the index). */
  if (q >= 0)
    FZ_CHECK(p->question == q);
  FZ_CHECK(p->kind != CSAT_PROMPT_QUESTION || q >= 0);
  FZ_CHECK(strlen(p->language) == (size_t)(end - lang) &&
           memcmp(p->language, lang, (size_t)(end - lang)) == 0);
}

static int fz_lang_eq(const char *a, size_t an, const char *b, size_t bn) {
  size_t i;
  if (an != bn)
    return 0;
  for (i = 0; i < an; i++) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z')
      x = (char)(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z')
      y = (char)(y - 'A' + 'a');
    if (x != y)
      return 0;
  }
  return 1;
}

static void fz_check_prompt(const fz_host *h, const csat_prompt *p) {
  FZ_CHECK(p != NULL);
  FZ_CHECK(p->struct_size >= sizeof(csat_prompt));
  FZ_CHECK(p->kind >= 1 && p->kind <= CSAT_PROMPT_KIND_MAX);
  FZ_CHECK(p->question == -1 || (p->question >= 0 && p->question < h->question_count));
  FZ_CHECK(p->text != NULL || p->audio != NULL);
  FZ_CHECK(p->language != NULL);
  FZ_CHECK(p->text == NULL || fz_utf8_valid(p->text, strlen(p->text)));
  FZ_CHECK(p->audio == NULL || fz_utf8_valid(p->audio, strlen(p->audio)));
  /* Voice sessions never play the text-channel prompts. */
  FZ_CHECK(!h->voice || (p->kind != CSAT_PROMPT_THANKS && p->kind != CSAT_PROMPT_INVITATION &&
                         p->kind != CSAT_PROMPT_OPT_OUT && p->kind != CSAT_PROMPT_EXPIRED));
  /* Text channels never send the voice-only prompts. */
  FZ_CHECK(h->voice || (p->kind != CSAT_PROMPT_INTRO && p->kind != CSAT_PROMPT_OUTRO &&
                        p->kind != CSAT_PROMPT_NO_INPUT && p->kind != CSAT_PROMPT_OPT_IN_OFFER &&
                        p->kind != CSAT_PROMPT_ESCALATION));
  /* ... and send only prompts that have a text. */
  FZ_CHECK(h->voice || p->text != NULL);
  FZ_CHECK(p->kind != CSAT_PROMPT_QUESTION || p->question >= 0);
  if (h->default_language != NULL) {
    /* Contact language, its primary subtag, or the survey's default
     * (language tags compare without regard to ASCII case). */
    size_t pl = strcspn(h->language, "-");
    int ok = fz_lang_eq(p->language, strlen(p->language), h->default_language,
                        strlen(h->default_language)) ||
             (h->language[0] &&
              fz_lang_eq(p->language, strlen(p->language), h->language, strlen(h->language))) ||
             (pl > 0 && fz_lang_eq(p->language, strlen(p->language), h->language, pl));
    FZ_CHECK(ok);
  }
  if (h->survey_json != NULL) {
    if (p->text)
      fz_check_tag(h, p, p->text);
    if (p->audio)
      fz_check_tag(h, p, p->audio);
  }
}

static int fz_is_notice(int32_t kind) {
  return kind == CSAT_PROMPT_ALREADY_ANSWERED || kind == CSAT_PROMPT_EXPIRED;
}

static int cb_play(void *user, const csat_prompt *p) {
  fz_host *h = user;
  fz_check_prompt(h, p);
  /* After the end only a text channel sends anything: the opt-out
   * confirmation or the one notice. */
  if (h->voice || !(p->kind == CSAT_PROMPT_OPT_OUT || fz_is_notice(p->kind)))
    FZ_CHECK(h->ended_calls == 0);
  if (!h->voice) {
    /* After an opt-out was honoured nothing more is sent, ever. */
    FZ_CHECK(!h->optout_done);
    if (p->kind == CSAT_PROMPT_OPT_OUT) {
      FZ_CHECK(h->optout_sent);
      h->optout_done = 1;
      h->optout_prompts_event++;
    }
    if (fz_is_notice(p->kind)) {
      /* So an autoresponder gets at most one reply. */
      FZ_CHECK(h->notices == 0);
      h->notices++;
      h->notices_event++;
      h->notice_kind = p->kind;
    }
  }
  h->plays_event++;
  tb_printf(&h->log, "play k=%d q=%d l=", (int)p->kind, (int)p->question);
  fz_log_str(&h->log, p->language);
  fz_log_str(&h->log, p->text);
  fz_log_str(&h->log, p->audio);
  return fz_decide(h, 1);
}

static int cb_collect(void *user, const csat_collect *c) {
  fz_host *h = user;
  FZ_CHECK(h->voice); /* never called on a text channel */
  FZ_CHECK(h->ended_calls == 0);
  FZ_CHECK(c != NULL && c->struct_size >= sizeof(csat_collect));
  FZ_CHECK(c->question == -1 || (c->question >= 0 && c->question < h->question_count));
  FZ_CHECK(c->min_digits >= 1 && c->min_digits <= c->max_digits && c->max_digits <= 2);
  FZ_CHECK(c->terminator == '#' || c->terminator == 0);
  FZ_CHECK(c->first_digit_timeout_ms >= 100 && c->first_digit_timeout_ms <= 600000);
  FZ_CHECK(c->inter_digit_timeout_ms >= 100 && c->inter_digit_timeout_ms <= 600000);
  tb_printf(&h->log, "collect q=%d min=%d max=%d t=%d fd=%d id=%d", (int)c->question,
            (int)c->min_digits, (int)c->max_digits, (int)c->terminator,
            (int)c->first_digit_timeout_ms, (int)c->inter_digit_timeout_ms);
  return fz_decide(h, 1);
}

static int cb_record(void *user, const csat_record *r) {
  fz_host *h = user;
  FZ_CHECK(h->voice); /* never called on a text channel */
  FZ_CHECK(h->ended_calls == 0);
  FZ_CHECK(r != NULL && r->struct_size >= sizeof(csat_record));
  FZ_CHECK(r->question >= 0 && r->question < h->question_count);
  FZ_CHECK(r->max_duration_ms >= 1000 && r->max_duration_ms <= 600000);
  FZ_CHECK(r->silence_timeout_ms >= 500 && r->silence_timeout_ms <= 60000);
  tb_printf(&h->log, "record q=%d max=%d sil=%d", (int)r->question, (int)r->max_duration_ms,
            (int)r->silence_timeout_ms);
  return fz_decide(h, 1);
}

static int cb_transfer(void *user, const char *target) {
  fz_host *h = user;
  FZ_CHECK(h->voice); /* never called on a text channel */
  FZ_CHECK(h->ended_calls == 0);
  FZ_CHECK(target != NULL && target[0] != '\0');
  if (h->survey_json != NULL)
    FZ_CHECK(h->transfer_target != NULL && strcmp(target, h->transfer_target) == 0);
  tb_printf(&h->log, "transfer ");
  fz_log_str(&h->log, target);
  return fz_decide(h, 0);
}

static int cb_callback(void *user, const char *address, const char *contact_id) {
  fz_host *h = user;
  FZ_CHECK(h->voice); /* never called on a text channel */
  FZ_CHECK(h->ended_calls == 0);
  FZ_CHECK(address != NULL && contact_id != NULL);
  FZ_CHECK(strcmp(address, h->address) == 0);
  FZ_CHECK(strcmp(contact_id, h->contact_id) == 0);
  tb_printf(&h->log, "callback ");
  fz_log_str(&h->log, address);
  return fz_decide(h, 0);
}

static int cb_store(void *user, const csat_result *r) {
  fz_host *h = user;
  char *text;
  size_t len = 0;
  int rc;
  int32_t outcome;
  static unsigned store_count;
  static char *buf;
  static size_t cap;
  char *owned = NULL;
  FZ_CHECK(r != NULL);
  /* Stored exactly once successfully: never offered again after a success. */
  FZ_CHECK(h->store_ok == 0);
  outcome = csat_result_outcome(r);
  FZ_CHECK(outcome >= 1 && outcome <= CSAT_OUTCOME_MAX);
  FZ_CHECK(outcome != CSAT_OUTCOME_ALREADY_ANSWERED);
  FZ_CHECK(strcmp(csat_result_contact(r)->contact_id, h->contact_id) == 0);
  FZ_CHECK(strcmp(csat_result_survey_id(r), h->survey_id) == 0);
  /* A pending opt-out is retried before the store. */
  FZ_CHECK(!h->optout_owed || h->optout_calls_event > 0 || (h->omit & FZ_OMIT_OPTED_OUT));
  /* The JSON line, with the buffer conventions checked now and then (they
   * cost several calls; fuzz_result_csv checks them on every input). */
  if ((store_count++ & 15u) == 0) {
    text = owned = fz_text(fz_jsonl_fn, r, &len, &rc);
    FZ_CHECK(text != NULL);
  } else {
    len = 0;
    rc = csat_result_to_jsonl(r, buf, cap, &len);
    if (rc == CSAT_ERR_BUFFER_TOO_SMALL) {
      free(buf);
      cap = 2 * len + 1;
      buf = fz_xmalloc(cap);
      rc = csat_result_to_jsonl(r, buf, cap, &len);
    }
    FZ_CHECK(rc == CSAT_OK && len < cap && buf[len] == '\0');
    text = buf;
  }
  FZ_CHECK(len >= 2 && text[len - 1] == '\n' && memchr(text, '\n', len - 1) == NULL);
  FZ_CHECK(fz_utf8_valid(text, len) && fz_json_valid(text, len - 1));
  tb_printf(&h->log, "store ");
  tb_add(&h->log, text, len - 1);
  free(owned);
  h->store_calls++;
  h->store_calls_event++;
  rc = fz_decide(h, 1);
  if (rc == 0)
    h->store_ok = 1;
  return rc;
}

static void fz_check_limited(const char *s, size_t max_chars) {
  FZ_CHECK(s != NULL);
  FZ_CHECK(fz_utf8_valid(s, strlen(s)));
  FZ_CHECK(fz_utf8_count(s, strlen(s)) <= max_chars);
}

static int cb_task(void *user, const csat_task *t) {
  fz_host *h = user;
  size_t i;
  int rc;
  FZ_CHECK(t != NULL && t->struct_size >= sizeof(csat_task));
  FZ_CHECK(h->task_ok == 0); /* created at most once */
  fz_check_limited(t->name, 512);
  fz_check_limited(t->description, 4096);
  fz_check_limited(t->category, 200);
  fz_check_limited(t->target, 4096);
  FZ_CHECK(t->previous_contact_id != NULL && strcmp(t->previous_contact_id, h->contact_id) == 0);
  FZ_CHECK(t->idempotency_key != NULL && t->idempotency_key[0] != '\0');
  if (h->task_key != NULL)
    FZ_CHECK(strcmp(h->task_key, t->idempotency_key) == 0);
  else
    h->task_key = fz_strdup(t->idempotency_key);
  FZ_CHECK(t->reference_count <= 25);
  FZ_CHECK(t->reference_count == 0 || t->references != NULL);
  FZ_CHECK(t->attribute_count == h->attr_count);
  FZ_CHECK(t->attribute_count == 0 || t->attributes != NULL);
  tb_printf(&h->log, "task ");
  fz_log_str(&h->log, t->name);
  fz_log_str(&h->log, t->description);
  fz_log_str(&h->log, t->category);
  fz_log_str(&h->log, t->target);
  fz_log_str(&h->log, t->idempotency_key);
  for (i = 0; i < t->reference_count; i++) {
    FZ_CHECK(t->references[i].key != NULL);
    FZ_CHECK(fz_utf8_valid(t->references[i].key, strlen(t->references[i].key)));
    fz_check_limited(t->references[i].value, 4096);
    fz_log_str(&h->log, t->references[i].key);
    fz_log_str(&h->log, t->references[i].value);
  }
  for (i = 0; i < t->attribute_count; i++) {
    FZ_CHECK(t->attributes[i].key != NULL && t->attributes[i].value != NULL);
    fz_log_str(&h->log, t->attributes[i].key);
    fz_log_str(&h->log, t->attributes[i].value);
  }
  h->task_calls++;
  h->task_calls_event++;
  rc = fz_decide(h, 1);
  if (rc == 0)
    h->task_ok = 1;
  return rc;
}

static int cb_already(void *user, const char *survey_id, const char *contact_id) {
  fz_host *h = user;
  FZ_CHECK(h->ended_calls == 0);
  FZ_CHECK(survey_id != NULL && strcmp(survey_id, h->survey_id) == 0);
  FZ_CHECK(contact_id != NULL && strcmp(contact_id, h->contact_id) == 0);
  tb_printf(&h->log, "already");
  if (fz_decide(h, 1))
    return -1;
  return h->already_answer;
}

static int cb_ended(void *user, int32_t outcome) {
  fz_host *h = user;
  FZ_CHECK(h->ended_calls == 0); /* at most once */
  FZ_CHECK(outcome >= 1 && outcome <= CSAT_OUTCOME_MAX);
  /* Called after the result was offered to store (not stored: already
   * answered; never offered without a store callback). */
  if (outcome == CSAT_OUTCOME_ALREADY_ANSWERED || (h->omit & FZ_OMIT_STORE))
    FZ_CHECK(h->store_calls == 0);
  else
    FZ_CHECK(h->store_calls > 0);
  h->ended_calls++;
  h->ended_outcome = outcome;
  tb_printf(&h->log, "ended %d", (int)outcome);
  return fz_decide(h, 0);
}

static int cb_opted_out(void *user, const char *address, const char *contact_id) {
  fz_host *h = user;
  int rc;
  FZ_CHECK(!h->voice);
  /* Never without an opt-out message; successfully at most once. */
  FZ_CHECK(h->optout_sent);
  FZ_CHECK(h->optout_ok == 0);
  FZ_CHECK(address != NULL && strcmp(address, h->address) == 0);
  FZ_CHECK(contact_id != NULL && strcmp(contact_id, h->contact_id) == 0);
  h->optout_done = 1;
  h->optout_calls++;
  h->optout_calls_event++;
  tb_printf(&h->log, "opted_out ");
  fz_log_str(&h->log, address);
  rc = fz_decide(h, 1);
  if (rc == 0)
    h->optout_ok = 1;
  h->optout_owed = rc != 0;
  return rc;
}

/* The test kit's host does the plumbing (vtable, call counts, callbacks
 * left out); every call comes here, and the checks above decide. */
static int fz_on_call(th *t, int cb, const th_call *c, int rc) {
  fz_host *h = t->ctx;
  (void)rc; /* th fails nothing here: fz_decide does, per event */
  switch (cb) {
  case CB_PLAY: return cb_play(h, c->prompt);
  case CB_COLLECT: return cb_collect(h, c->collect);
  case CB_RECORD: return cb_record(h, c->record);
  case CB_TRANSFER: return cb_transfer(h, c->target);
  case CB_CALLBACK: return cb_callback(h, c->address, c->contact_id);
  case CB_STORE: return cb_store(h, c->result);
  case CB_TASK: return cb_task(h, c->task);
  case CB_ALREADY: return cb_already(h, c->survey_id, c->contact_id);
  case CB_ENDED: return cb_ended(h, c->outcome);
  case CB_OPTED_OUT: return cb_opted_out(h, c->address, c->contact_id);
  default: FZ_CHECK(0); return -1;
  }
}

void fz_host_setup(fz_host *h, csat_host *vt, unsigned omit) {
  static const struct {
    unsigned fz;
    int cb;
  } omits[] = {{FZ_OMIT_ALREADY, CB_ALREADY},    {FZ_OMIT_RECORD, CB_RECORD},
               {FZ_OMIT_TRANSFER, CB_TRANSFER},  {FZ_OMIT_CALLBACK, CB_CALLBACK},
               {FZ_OMIT_STORE, CB_STORE},        {FZ_OMIT_TASK, CB_TASK},
               {FZ_OMIT_OPTED_OUT, CB_OPTED_OUT}};
  size_t i;
  h->omit = omit;
  memset(&h->th, 0, sizeof h->th);
  for (i = 0; i < sizeof omits / sizeof omits[0]; i++)
    if (omit & omits[i].fz)
      h->th.omit |= 1u << omits[i].cb;
  h->th.on_call = fz_on_call;
  h->th.ctx = h;
  kit_host(vt, &h->th);
}

void fz_host_adopt(fz_host *h, const csat_session *s) {
  const csat_result *r = csat_session_result(s);
  const csat_contact *c;
  int32_t outcome = csat_session_outcome(s);
  uint32_t pending = csat_session_pending(s);
  FZ_CHECK(r != NULL);
  c = csat_result_contact(r);
  FZ_CHECK(c != NULL && c->contact_id != NULL);
  free(h->contact_id);
  free(h->language);
  free(h->address);
  h->contact_id = fz_strdup(c->contact_id);
  h->language = fz_strdup(c->language ? c->language : "");
  h->address = fz_strdup(c->customer_address ? c->customer_address : "");
  h->attr_count = c->attr_count;
  h->survey_id = csat_result_survey_id(r);
  h->voice = c->channel == CSAT_CHANNEL_VOICE;
  h->pending_mask = CSAT_PENDING_STORE | CSAT_PENDING_TASK;
  if (!h->voice) /* a blob may hold a text contact */
    h->pending_mask |= CSAT_PENDING_OPT_OUT;
  /* Work for a callback the host lacks is never pending. */
  if (h->omit & FZ_OMIT_STORE)
    h->pending_mask &= ~CSAT_PENDING_STORE;
  if (h->omit & FZ_OMIT_TASK)
    h->pending_mask &= ~CSAT_PENDING_TASK;
  if (h->omit & FZ_OMIT_OPTED_OUT)
    h->pending_mask &= ~CSAT_PENDING_OPT_OUT;
  /* What the state says about work done before this host saw the session. */
  FZ_CHECK(outcome >= 0 && outcome <= CSAT_OUTCOME_MAX);
  FZ_CHECK((csat_session_ended(s) != 0) == (outcome != 0));
  FZ_CHECK((pending & ~h->pending_mask) == 0);
  if (outcome == 0) {
    FZ_CHECK(pending == 0);
    return;
  }
  h->ended_calls = 1;
  h->ended_outcome = outcome;
  /* A saved opt-out may still be owed to the host. */
  if ((pending & CSAT_PENDING_OPT_OUT) || outcome == CSAT_OUTCOME_OPTED_OUT)
    h->optout_sent = 1;
  h->optout_owed = (pending & CSAT_PENDING_OPT_OUT) != 0;
  if (outcome == CSAT_OUTCOME_ALREADY_ANSWERED) {
    /* Never stored, never a task. */
    FZ_CHECK(pending == 0);
    return;
  }
  h->store_calls = (h->omit & FZ_OMIT_STORE) ? 0 : 1;
  h->store_ok = (pending & CSAT_PENDING_STORE) ? 0 : 1;
  h->task_ok = (pending & CSAT_PENDING_TASK) ? 0 : 1;
  if (pending & CSAT_PENDING_TASK)
    FZ_CHECK(csat_result_flagged(r));
}

void fz_host_event(fz_host *h, int fail_on, unsigned fail_mask) {
  h->fail_on = fail_on;
  h->fail_mask = fail_mask;
  h->ncalls = 0;
  h->failed_any = h->failed_required = 0;
  h->task_calls_event = h->store_calls_event = 0;
  h->optout_calls_event = h->plays_event = h->notices_event = h->optout_prompts_event = 0;
}

void fz_host_free(fz_host *h) {
  tb_free(&h->log);
  free(h->contact_id);
  free(h->language);
  free(h->address);
  free(h->task_key);
  h->contact_id = h->language = h->address = h->task_key = NULL;
}

csat_session *fz_restore_exact(const csat_survey *sv, const unsigned char *blob, size_t len,
                               const csat_host *vt, fz_host *h) {
  csat_session *r = NULL;
  csat_error err;
  int rc;
  memset(&err, 0, sizeof err);
  err.struct_size = sizeof err;
  h->in_restore = 1;
  rc = csat_session_restore(&r, sv, blob, len, vt, h->fa ? &h->alloc : NULL, &err);
  h->in_restore = 0;
  if (rc != CSAT_OK)
    fprintf(stderr, "restore of a fresh blob failed: %d %s\n", rc, err.message);
  FZ_CHECK(rc == CSAT_OK && r != NULL);
  return r;
}

csat_session *fz_save_restore(csat_session *s, const csat_survey *sv, const csat_host *vt,
                              fz_host *h, unsigned char **resaved, size_t *resaved_len) {
  size_t len = 0, len2 = 0;
  unsigned char *blob = fz_save(s, &len), *blob2;
  csat_session *r = fz_restore_exact(sv, blob, len, vt, h);
  /* Restoring is exact: the copy saves to the same bytes. */
  blob2 = fz_save(r, &len2);
  FZ_CHECK(len2 == len && memcmp(blob, blob2, len) == 0);
  FZ_CHECK(csat_session_outcome(r) == csat_session_outcome(s));
  FZ_CHECK(csat_session_ended(r) == csat_session_ended(s));
  FZ_CHECK(csat_session_pending(r) == csat_session_pending(s));
  free(blob);
  if (resaved != NULL) {
    *resaved = blob2;
    *resaved_len = len2;
  } else {
    free(blob2);
  }
  csat_session_free(s);
  return r;
}
