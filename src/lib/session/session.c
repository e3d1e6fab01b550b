/*
 * The session state machine. The host feeds events; the library asks for
 * prompts, digit collection, recordings, transfers and delivery through the
 * host's callbacks. The behaviour is the contract written in csat.h ("How a
 * voice session behaves", "How a text session behaves"); comments here say
 * how, not what. Messages on text channels are read in session_text.c; the
 * questions, attempts and the end are shared and live here.
 *
 * Memory: a session is four allocations made at creation (the session, its
 * contact strings, its attributes, its answers). Events allocate only a copy
 * of a recording reference or a text comment (before anything changes) and a
 * task (after the state change, kept pending when that fails).
 * SPDX-License-Identifier: MIT
 */
#include "session.h"

#include <string.h>

/* ---- errors ------------------------------------------------------------- */

int csat__session_fail(csat_session *s, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  csat__msg_vset(s->errmsg, sizeof s->errmsg, fmt, ap);
  va_end(ap);
  return code;
}

static const char *state_name(int32_t st) {
  static const char *const names[] = {"invalid",   "new",        "offer", "question",
                                      "recording", "escalation", "ended"};
  if (st < CSAT__ST_NEW || st > CSAT__ST_ENDED)
    return names[0];
  return names[st];
}

int csat__session_reentered(csat_session *s, const char *call) {
  if (s->in_callback == NULL)
    return CSAT_OK;
  return csat__session_fail(s, CSAT_ERR_STATE,
                            "%s called from inside the %s callback: callbacks must not re-enter "
                            "their session",
                            call, s->in_callback);
}

int csat__session_cb_done(csat_session *s, int r) {
  s->in_callback = NULL;
  return r;
}

int csat__session_state_error(csat_session *s, const char *event) {
  return csat__session_fail(s, CSAT_ERR_STATE, "%s is not expected in state \"%s\"", event,
                            state_name(s->state));
}

/* Remember the first failure of an event; the event still runs to its end so
 * that the state change is complete when the error is returned. */
void csat__session_cb_failed(csat_session *s, int *rc, const char *what, int ret) {
  if (*rc == CSAT_OK)
    *rc = csat__session_fail(s, CSAT_ERR_CALLBACK, "the %s callback failed (%d)", what, ret);
}

/* ---- creation ----------------------------------------------------------- */

static const char *const contact_field[CSAT__C_STRINGS] = {
    "contact_id", "agent_id", "queue_id", "department", "language", "customer_address"};

/* `index` is -1 for the fixed fields, the attribute index otherwise. */
static int span_check(const csat__span *sp, size_t max, const char *what, int index, char *msg,
                      size_t cap) {
  char name[64];
  size_t bad;
  if (index < 0)
    csat__msg_set(name, sizeof name, "contact %s", what);
  else
    csat__msg_set(name, sizeof name, "contact attribute %d %s", index, what);
  if (sp->n > max) {
    csat__msg_set(msg, cap, "%s is longer than %d bytes", name, (int)max);
    return CSAT_ERR_LIMIT;
  }
  if (sp->n > 0 && memchr(sp->p, '\0', sp->n) != NULL) {
    csat__msg_set(msg, cap, "%s contains a NUL byte", name);
    return CSAT_ERR_INVALID_ARG;
  }
  bad = csat__utf8_invalid_at(sp->p, sp->n);
  if (bad != sp->n) {
    csat__msg_set(msg, cap, "%s is not valid UTF-8 (byte %d)", name, (int)bad);
    return CSAT_ERR_UTF8;
  }
  return CSAT_OK;
}

int csat__session_contact_check(const csat__contact_in *c, char *msg, size_t cap) {
  size_t i;
  int rc;
  if (c->channel < CSAT_CHANNEL_VOICE || c->channel > CSAT_CHANNEL_CHAT) {
    csat__msg_set(msg, cap, "contact channel %d is not a CSAT_CHANNEL_*", (int)c->channel);
    return CSAT_ERR_INVALID_ARG;
  }
  if (c->str[CSAT__C_CONTACT_ID].n == 0) {
    csat__msg_set(msg, cap, "contact_id is required");
    return CSAT_ERR_INVALID_ARG;
  }
  for (i = 0; i < CSAT__C_STRINGS; i++) {
    rc = span_check(&c->str[i], CSAT__MAX_ID, contact_field[i], -1, msg, cap);
    if (rc != CSAT_OK)
      return rc;
  }
  if (c->attr_count > CSAT__MAX_ATTRS) {
    csat__msg_set(msg, cap, "at most %d contact attributes", CSAT__MAX_ATTRS);
    return CSAT_ERR_LIMIT;
  }
  for (i = 0; i < c->attr_count; i++) {
    /* An attribute without a key cannot be named in a task or an export. */
    if (c->keys[i].n == 0) {
      csat__msg_set(msg, cap, "contact attribute %d has no key", (int)i);
      return CSAT_ERR_INVALID_ARG;
    }
    rc = span_check(&c->keys[i], CSAT__MAX_ATTR_KEY, "key", (int)i, msg, cap);
    if (rc == CSAT_OK)
      rc = span_check(&c->values[i], CSAT__MAX_ATTR_VALUE, "value", (int)i, msg, cap);
    if (rc != CSAT_OK)
      return rc;
  }
  return CSAT_OK;
}

/* A member is usable only when the host's struct is large enough to hold it:
 * a host built against an older header has a shorter vtable. */
#define HOST_TAKE(d, h, m) ((d)->m = CSAT__COVERS(csat_host, (h)->struct_size, m) ? (h)->m : NULL)

int csat__session_host_copy(csat_host *dst, const csat_host *src, int32_t channel, char *msg,
                            size_t cap) {
  memset(dst, 0, sizeof *dst);
  if (src == NULL) {
    csat__msg_set(msg, cap, "host vtable is NULL");
    return CSAT_ERR_INVALID_ARG;
  }
  if (!CSAT__COVERS(csat_host, src->struct_size, user)) {
    csat__msg_set(msg, cap, "host struct_size %d is too small", (int)src->struct_size);
    return CSAT_ERR_INVALID_ARG;
  }
  dst->struct_size = sizeof *dst;
  dst->user = src->user;
  HOST_TAKE(dst, src, play);
  HOST_TAKE(dst, src, collect);
  HOST_TAKE(dst, src, record);
  HOST_TAKE(dst, src, transfer);
  HOST_TAKE(dst, src, schedule_callback);
  HOST_TAKE(dst, src, store);
  HOST_TAKE(dst, src, create_task);
  HOST_TAKE(dst, src, already_surveyed);
  HOST_TAKE(dst, src, ended);
  HOST_TAKE(dst, src, opted_out);
  if (channel == CSAT_CHANNEL_VOICE && (dst->play == NULL || dst->collect == NULL)) {
    csat__msg_set(msg, cap, "voice sessions need the play and collect callbacks");
    return CSAT_ERR_UNSUPPORTED;
  }
  if (channel != CSAT_CHANNEL_VOICE && dst->play == NULL) {
    csat__msg_set(msg, cap, "text sessions need the play callback (it sends the messages)");
    return CSAT_ERR_UNSUPPORTED;
  }
  return CSAT_OK;
}

static const char *put_span(char **p, const csat__span *sp) {
  const char *start = *p;
  if (sp->n > 0)
    memcpy(*p, sp->p, sp->n);
  (*p)[sp->n] = '\0';
  *p += sp->n + 1;
  return start;
}

int csat__session_create(csat_session **out, const csat_survey *survey, const csat__contact_in *c,
                         const csat_host *host, const csat__alloc *a) {
  csat_session *s;
  size_t total = 0, i, nq = (size_t)survey->question_count;
  char *p;
  const char *str[CSAT__C_STRINGS];

  /* Every length is bounded by the checks above: no overflow possible. */
  for (i = 0; i < CSAT__C_STRINGS; i++)
    total += c->str[i].n + 1;
  for (i = 0; i < c->attr_count; i++)
    total += c->keys[i].n + c->values[i].n + 2;

  s = csat__calloc(a, sizeof *s);
  if (s == NULL)
    return CSAT_ERR_NOMEM;
  s->alloc = *a;
  s->attrs = NULL;
  s->answers = NULL;
  s->strings = csat__malloc(a, total);
  if (s->strings == NULL)
    goto nomem;
  s->strings_len = total;
  if (c->attr_count > 0) {
    s->attrs = csat__malloc(a, c->attr_count * sizeof *s->attrs);
    if (s->attrs == NULL)
      goto nomem;
  }
  s->answers = csat__malloc(a, nq * sizeof *s->answers);
  if (s->answers == NULL)
    goto nomem;

  p = s->strings;
  for (i = 0; i < CSAT__C_STRINGS; i++)
    str[i] = put_span(&p, &c->str[i]);
  for (i = 0; i < c->attr_count; i++) {
    s->attrs[i].key = put_span(&p, &c->keys[i]);
    s->attrs[i].value = put_span(&p, &c->values[i]);
  }
  s->contact.struct_size = sizeof s->contact;
  s->contact.contact_id = str[CSAT__C_CONTACT_ID];
  s->contact.agent_id = str[CSAT__C_AGENT_ID];
  s->contact.queue_id = str[CSAT__C_QUEUE_ID];
  s->contact.department = str[CSAT__C_DEPARTMENT];
  s->contact.channel = c->channel;
  s->contact.language = str[CSAT__C_LANGUAGE];
  s->contact.customer_address = str[CSAT__C_ADDRESS];
  s->contact.started_ms = c->started_ms;
  s->contact.ended_ms = c->ended_ms;
  s->contact.wait_ms = c->wait_ms;
  s->contact.talk_ms = c->talk_ms;
  s->contact.attrs = s->attrs;
  s->contact.attr_count = c->attr_count;

  s->survey = survey;
  s->host = *host;
  s->state = CSAT__ST_NEW;
  s->opt_in = -1;
  s->current = -1;
  s->menu_attempts = 0;
  s->outcome = CSAT_OUTCOME_NONE;
  s->escalation = CSAT_ESCALATION_NONE;
  s->pending = 0;
  s->task_done = 0;
  s->text_flags = 0;
  s->started_ms = 0;
  s->ended_ms = 0;
  for (i = 0; i < nq; i++) {
    csat__answer *ans = &s->answers[i];
    memset(ans, 0, sizeof *ans);
    ans->status = CSAT_ANSWER_NOT_ASKED;
    ans->score = -1;
    ans->comment = NULL;
  }
  s->result.session = s;
  s->errmsg[0] = '\0';
  *out = s;
  return CSAT_OK;

nomem:
  csat__free(a, s->answers);
  csat__free(a, s->attrs);
  csat__free(a, s->strings);
  csat__free(a, s);
  return CSAT_ERR_NOMEM;
}

/* A host string as a span; a string longer than max reports max + 1 so the
 * limit check refuses it without reading further. */
static csat__span host_span(const char *str, size_t max) {
  csat__span sp;
  sp.p = str;
  sp.n = str != NULL ? csat__strnlen(str, max) : 0;
  return sp;
}

int csat_session_new(csat_session **out, const csat_survey *survey, const csat_contact *contact,
                     const csat_host *host, const csat_allocator *alloc) {
  csat__alloc a;
  csat__contact_in in;
  csat_host h;
  char msg[200];
  size_t i;
  int rc;

  if (out == NULL)
    return CSAT_ERR_INVALID_ARG;
  *out = NULL;
  if (survey == NULL || contact == NULL || host == NULL)
    return CSAT_ERR_INVALID_ARG;
  /* All of the v1 contact is required (not today's sizeof: it may grow). */
  if (contact->struct_size < CSAT__V1_SIZE(csat_contact))
    return CSAT_ERR_INVALID_ARG;
  rc = csat__alloc_init(&a, alloc);
  if (rc != CSAT_OK)
    return rc;

  in.str[CSAT__C_CONTACT_ID] = host_span(contact->contact_id, CSAT__MAX_ID);
  in.str[CSAT__C_AGENT_ID] = host_span(contact->agent_id, CSAT__MAX_ID);
  in.str[CSAT__C_QUEUE_ID] = host_span(contact->queue_id, CSAT__MAX_ID);
  in.str[CSAT__C_DEPARTMENT] = host_span(contact->department, CSAT__MAX_ID);
  in.str[CSAT__C_LANGUAGE] = host_span(contact->language, CSAT__MAX_ID);
  in.str[CSAT__C_ADDRESS] = host_span(contact->customer_address, CSAT__MAX_ID);
  in.channel = contact->channel;
  in.started_ms = contact->started_ms;
  in.ended_ms = contact->ended_ms;
  in.wait_ms = contact->wait_ms;
  in.talk_ms = contact->talk_ms;
  if (contact->attr_count > CSAT__MAX_ATTRS)
    return CSAT_ERR_LIMIT;
  if (contact->attr_count > 0 && contact->attrs == NULL)
    return CSAT_ERR_INVALID_ARG;
  in.attr_count = contact->attr_count;
  for (i = 0; i < in.attr_count; i++) {
    in.keys[i] = host_span(contact->attrs[i].key, CSAT__MAX_ATTR_KEY);
    in.values[i] = host_span(contact->attrs[i].value, CSAT__MAX_ATTR_VALUE);
  }
  rc = csat__session_contact_check(&in, msg, sizeof msg);
  if (rc == CSAT_OK)
    rc = csat__session_host_copy(&h, host, in.channel, msg, sizeof msg);
  if (rc != CSAT_OK)
    return rc;
  return csat__session_create(out, survey, &in, &h, &a);
}

void csat_session_free(csat_session *s) {
  csat__alloc a;
  int32_t i;
  if (s == NULL)
    return;
  a = s->alloc;
  if (s->answers != NULL)
    for (i = 0; i < s->survey->question_count; i++)
      csat__free(&a, s->answers[i].comment);
  csat__free(&a, s->answers);
  csat__free(&a, s->attrs);
  csat__free(&a, s->strings);
  csat__free(&a, s);
}

/* ---- requests to the host ----------------------------------------------- */

static const char *prompt_language(const csat_session *s) {
  return s->contact.language[0] != '\0' ? s->contact.language : s->survey->default_language;
}

/* The prompt of `kind` this session would play or send, or NULL: on text
 * channels a prompt without text cannot be sent. */
const csat__prompt_text *csat__session_prompt(const csat_session *s, int32_t kind,
                                              int32_t question) {
  const csat__prompt_text *p = csat__survey_prompt(s->survey, kind, question, prompt_language(s));
  if (p != NULL && s->contact.channel != CSAT_CHANNEL_VOICE && p->text == NULL)
    return NULL;
  return p;
}

/* Play (voice) or send (text) a prompt when one exists in some language;
 * `question` is the question the prompt is played for (-1 for survey-level
 * moments and menus). Returns 1 when the prompt exists (even if the callback
 * failed), 0 when there was nothing to play. */
int csat__session_play(csat_session *s, int *rc, int32_t kind, int32_t question) {
  const csat__prompt_text *p = csat__session_prompt(s, kind, question);
  csat_prompt pr;
  int r;
  if (p == NULL || s->host.play == NULL)
    return 0;
  pr.struct_size = sizeof pr;
  pr.kind = kind;
  pr.question = question;
  pr.language = p->lang;
  pr.text = p->text;
  pr.audio = p->audio;
  r = CSAT__SESSION_CALLBACK(s, "play", s->host.play(s->host.user, &pr));
  if (r < 0)
    csat__session_cb_failed(s, rc, "play", r);
  return 1;
}

static void play(csat_session *s, int *rc, int32_t kind, int32_t question) {
  (void)csat__session_play(s, rc, kind, question);
}

static void collect(csat_session *s, int *rc, int32_t question) {
  const csat_survey *sv = s->survey;
  csat_collect c;
  int r;
  if (s->host.collect == NULL)
    return;
  c.struct_size = sizeof c;
  c.question = question;
  c.min_digits = 1;
  c.max_digits = question >= 0 && sv->questions[question].max >= 10 ? 2 : 1;
  c.terminator = sv->terminator;
  c.first_digit_timeout_ms = sv->first_digit_timeout_ms;
  c.inter_digit_timeout_ms = sv->inter_digit_timeout_ms;
  r = CSAT__SESSION_CALLBACK(s, "collect", s->host.collect(s->host.user, &c));
  if (r < 0)
    csat__session_cb_failed(s, rc, "collect", r);
}

static void record(csat_session *s, int *rc, int32_t question) {
  const csat__question *q = &s->survey->questions[question];
  csat_record spec;
  int r;
  if (s->host.record == NULL)
    return;
  spec.struct_size = sizeof spec;
  spec.question = question;
  spec.max_duration_ms = q->max_duration_ms;
  spec.silence_timeout_ms = q->silence_timeout_ms;
  r = CSAT__SESSION_CALLBACK(s, "record", s->host.record(s->host.user, &spec));
  if (r < 0)
    csat__session_cb_failed(s, rc, "record", r);
}

/* ---- end of the session and delivery ------------------------------------ */

static int result_flagged(const csat_session *s) {
  int32_t i;
  for (i = 0; i < s->survey->question_count; i++)
    if (s->answers[i].flagged)
      return 1;
  return 0;
}

void csat__session_deliver_opt_out(csat_session *s, int *rc) {
  int r;
  if (!(s->pending & CSAT_PENDING_OPT_OUT))
    return;
  if (s->host.opted_out != NULL) {
    r = CSAT__SESSION_CALLBACK(
        s, "opted_out",
        s->host.opted_out(s->host.user, s->contact.customer_address, s->contact.contact_id));
    if (r < 0) {
      csat__session_cb_failed(s, rc, "opted_out", r);
      return;
    }
  }
  s->pending &= ~CSAT_PENDING_OPT_OUT;
}

/* The opt-out (text), then store, then task: the work csat_session_flush
 * retries. A callback missing from the host (e.g. after a restore with
 * another vtable) counts as done. */
static void deliver(csat_session *s, int *rc) {
  int r;
  csat__session_deliver_opt_out(s, rc);
  if (s->pending & CSAT_PENDING_STORE) {
    if (s->host.store == NULL) {
      s->pending &= ~CSAT_PENDING_STORE;
    } else {
      r = CSAT__SESSION_CALLBACK(s, "store", s->host.store(s->host.user, &s->result));
      if (r < 0)
        csat__session_cb_failed(s, rc, "store", r);
      else
        s->pending &= ~CSAT_PENDING_STORE;
    }
  }
  if (s->pending & CSAT_PENDING_TASK) {
    csat__task_data t;
    if (s->host.create_task == NULL || s->task_done) {
      s->pending &= ~CSAT_PENDING_TASK;
      return;
    }
    r = csat__task_build(s, &t);
    if (r != CSAT_OK) {
      if (*rc == CSAT_OK)
        *rc = csat__session_fail(s, CSAT_ERR_NOMEM, "out of memory building the task");
      return;
    }
    r = CSAT__SESSION_CALLBACK(s, "create_task", s->host.create_task(s->host.user, &t.task));
    csat__task_data_free(s, &t);
    if (r < 0) {
      csat__session_cb_failed(s, rc, "create_task", r);
    } else {
      s->pending &= ~CSAT_PENDING_TASK;
      s->task_done = 1;
    }
  }
}

void csat__session_finish(csat_session *s, int *rc, int32_t outcome, int64_t now) {
  int r;
  s->state = CSAT__ST_ENDED;
  s->outcome = outcome;
  s->ended_ms = now;
  s->pending &= CSAT_PENDING_OPT_OUT; /* an opt-out that ends the session goes first */
  /* A contact surveyed before already has its result and its task. */
  if (outcome != CSAT_OUTCOME_ALREADY_ANSWERED) {
    if (s->host.store != NULL)
      s->pending |= CSAT_PENDING_STORE;
    if (s->survey->task_enabled && s->host.create_task != NULL && !s->task_done &&
        result_flagged(s))
      s->pending |= CSAT_PENDING_TASK;
  }
  deliver(s, rc);
  if (s->host.ended != NULL) {
    r = CSAT__SESSION_CALLBACK(s, "ended", s->host.ended(s->host.user, outcome));
    if (r < 0)
      csat__session_cb_failed(s, rc, "ended", r);
  }
}

/* The outcome after the last question (or at a hang-up during escalation). */
int32_t csat__session_final_outcome(const csat_session *s) {
  int32_t i, answered = 0, failed = 0, invalid = 0;
  for (i = 0; i < s->survey->question_count; i++) {
    switch (s->answers[i].status) {
    case CSAT_ANSWER_ANSWERED: answered++; break;
    case CSAT_ANSWER_INVALID:
      invalid++;
      failed++;
      break;
    case CSAT_ANSWER_NO_INPUT: failed++; break;
    default: break;
    }
  }
  if (failed == 0)
    return CSAT_OUTCOME_COMPLETED;
  if (answered > 0)
    return CSAT_OUTCOME_PARTIAL;
  return invalid > 0 ? CSAT_OUTCOME_ATTEMPTS_EXHAUSTED : CSAT_OUTCOME_TIMED_OUT;
}

int csat__session_any_answered(const csat_session *s) {
  int32_t i;
  for (i = 0; i < s->survey->question_count; i++)
    if (s->answers[i].status == CSAT_ANSWER_ANSWERED)
      return 1;
  return 0;
}

/* ---- questions ---------------------------------------------------------- */

/* The menu options exist only when the survey allows them and the host can
 * carry them out. */
static int can_transfer(const csat_session *s) {
  const char *t = s->survey->esc_transfer_target;
  return t != NULL && t[0] != '\0' && s->host.transfer != NULL;
}

static int can_callback(const csat_session *s) {
  return s->survey->esc_callback && s->host.schedule_callback != NULL;
}

static int escalation_due(const csat_session *s) {
  const csat_survey *sv = s->survey;
  int32_t i;
  if (s->contact.channel != CSAT_CHANNEL_VOICE) /* a voice feature */
    return 0;
  if (!sv->esc_enabled || (!can_transfer(s) && !can_callback(s)))
    return 0;
  for (i = 0; i < sv->question_count; i++) {
    const csat__answer *a = &s->answers[i];
    if (sv->questions[i].kind == CSAT_Q_RATING && a->status == CSAT_ANSWER_ANSWERED &&
        a->score >= 0 && a->score < sv->esc_below)
      return 1;
  }
  return 0;
}

int csat__session_condition_holds(const csat__question *qq, int32_t parent_status,
                                  int32_t parent_score) {
  return parent_status == CSAT_ANSWER_ANSWERED && parent_score >= 0 &&
         parent_score <= qq->cond_at_most;
}

int32_t csat__session_skip_status(const csat_session *s, int32_t q, const int32_t *status,
                                  const int32_t *score) {
  const csat__question *qq = &s->survey->questions[q];
  int32_t p = qq->cond_parent;
  if (p >= 0 &&
      !csat__session_condition_holds(qq, status != NULL ? status[p] : s->answers[p].status,
                                     score != NULL ? score[p] : s->answers[p].score))
    return CSAT_ANSWER_CONDITION;
  if (s->contact.channel == CSAT_CHANNEL_VOICE) {
    /* Without a record callback a voice comment cannot be taken either. */
    if (qq->kind == CSAT_Q_TEXT_COMMENT ||
        (qq->kind == CSAT_Q_VOICE_COMMENT && s->host.record == NULL))
      return CSAT_ANSWER_NOT_APPLICABLE;
  } else if (qq->kind == CSAT_Q_VOICE_COMMENT) {
    return CSAT_ANSWER_NOT_APPLICABLE;
  }
  return CSAT_ANSWER_NOT_ASKED;
}

/* Play the question and ask for its answer (also used to replay it). On a
 * text channel: send the question (session_text.c), nothing to collect. */
static void ask(csat_session *s, int *rc, int32_t q) {
  int voice_comment = s->survey->questions[q].kind == CSAT_Q_VOICE_COMMENT;
  s->current = q;
  s->state = voice_comment ? CSAT__ST_RECORDING : CSAT__ST_QUESTION;
  if (s->contact.channel != CSAT_CHANNEL_VOICE) {
    csat__session_text_ask(s, rc, q);
    return;
  }
  play(s, rc, CSAT_PROMPT_QUESTION, q);
  if (voice_comment)
    record(s, rc, q);
  else
    collect(s, rc, q);
}

static void menu_prompt(csat_session *s, int *rc) {
  play(s, rc, s->state == CSAT__ST_OFFER ? CSAT_PROMPT_OPT_IN_OFFER : CSAT_PROMPT_ESCALATION, -1);
  collect(s, rc, -1);
}

/* After the last question: the escalation offer, or the end (text: THANKS). */
static void after_last(csat_session *s, int *rc, int64_t now) {
  if (s->contact.channel != CSAT_CHANNEL_VOICE) {
    play(s, rc, CSAT_PROMPT_THANKS, -1);
    csat__session_finish(s, rc, csat__session_final_outcome(s), now);
    return;
  }
  if (escalation_due(s)) {
    s->state = CSAT__ST_ESCALATION;
    s->escalation = CSAT_ESCALATION_OFFERED;
    s->menu_attempts = 0;
    menu_prompt(s, rc);
    return;
  }
  play(s, rc, CSAT_PROMPT_OUTRO, -1);
  csat__session_finish(s, rc, csat__session_final_outcome(s), now);
}

int32_t csat__session_next_question(csat_session *s, int32_t from) {
  int32_t q;
  for (q = from; q < s->survey->question_count; q++) {
    int32_t st = csat__session_skip_status(s, q, NULL, NULL);
    if (st == CSAT_ANSWER_NOT_ASKED)
      return q;
    s->answers[q].status = st;
  }
  return q;
}

void csat__session_advance(csat_session *s, int *rc, int32_t from, int64_t now) {
  int32_t q = csat__session_next_question(s, from);
  if (q < s->survey->question_count)
    ask(s, rc, q);
  else
    after_last(s, rc, now);
}

/* An invalid or missing answer to the current question uses an attempt. On
 * text channels the re-prompt is INVALID_INPUT alone (the question again
 * only when the survey has no INVALID_INPUT). */
void csat__session_attempt_failed(csat_session *s, int *rc, int32_t status, int64_t now) {
  int32_t q = s->current;
  const csat__question *qq = &s->survey->questions[q];
  csat__answer *a = &s->answers[q];
  a->attempts++;
  if (a->attempts < qq->max_attempts) {
    if (s->contact.channel != CSAT_CHANNEL_VOICE) {
      if (!csat__session_play(s, rc, CSAT_PROMPT_INVALID_INPUT, q))
        csat__session_text_ask(s, rc, q);
      return;
    }
    play(s, rc, status == CSAT_ANSWER_INVALID ? CSAT_PROMPT_INVALID_INPUT : CSAT_PROMPT_NO_INPUT,
         q);
    ask(s, rc, q);
    return;
  }
  play(s, rc, CSAT_PROMPT_MAX_ATTEMPTS, q);
  a->status = status;
  if (qq->on_exhausted == CSAT_EXHAUSTED_END)
    csat__session_finish(s, rc, CSAT_OUTCOME_ATTEMPTS_EXHAUSTED, now);
  else
    csat__session_advance(s, rc, q + 1, now);
}

/* "1".."99" without a leading zero, inside the question's scale; yes/no
 * takes 1 = yes (score 1) and 2 = no (score 0). */
static int parse_score(const csat__question *qq, const char *d, size_t n, int32_t *score) {
  int32_t v;
  if (n == 0 || n > 2 || d[0] < '0' || d[0] > '9')
    return 0;
  v = d[0] - '0';
  if (n == 2) {
    if (d[0] == '0' || d[1] < '0' || d[1] > '9')
      return 0;
    v = v * 10 + (d[1] - '0');
  }
  if (qq->kind == CSAT_Q_YES_NO) {
    if (v != 1 && v != 2)
      return 0;
    *score = v == 1 ? 1 : 0;
    return 1;
  }
  if (v < qq->min || v > qq->max)
    return 0;
  *score = v;
  return 1;
}

static int is_terminator(const csat_session *s, char c) {
  return s->survey->terminator != 0 && (unsigned char)c == (unsigned)s->survey->terminator;
}

static int question_input(csat_session *s, const char *d, size_t n, int64_t now) {
  int rc = CSAT_OK;
  int32_t q = s->current, score;
  const csat__question *qq = &s->survey->questions[q];
  csat__answer *a = &s->answers[q];

  if (n > 0)
    memcpy(a->raw, d, n);
  a->raw[n] = '\0';
  if (n == 0 || (n == 1 && is_terminator(s, d[0]))) {
    csat__session_attempt_failed(s, &rc, CSAT_ANSWER_NO_INPUT, now);
    return rc;
  }
  if (d[0] == '*') {
    if (a->repeats < s->survey->max_repeats) {
      a->repeats++;
      ask(s, &rc, q);
    } else {
      csat__session_attempt_failed(s, &rc, CSAT_ANSWER_INVALID, now);
    }
    return rc;
  }
  if (is_terminator(s, d[n - 1]))
    n--;
  if (!parse_score(qq, d, n, &score)) {
    csat__session_attempt_failed(s, &rc, CSAT_ANSWER_INVALID, now);
    return rc;
  }
  a->status = CSAT_ANSWER_ANSWERED;
  a->score = score;
  a->attempts++;
  a->answered_ms = now;
  a->flagged = qq->flag_enabled && score <= qq->flag_threshold;
  csat__session_advance(s, &rc, q + 1, now);
  return rc;
}

/* ---- menus (opt-in offer, escalation offer) ----------------------------- */

#define MENU_NONE 0
#define MENU_INVALID (-1)

static int menu_choice(const csat_session *s, const char *d, size_t n) {
  if (n > 0 && is_terminator(s, d[n - 1]))
    n--;
  if (n == 0)
    return MENU_NONE;
  if (n == 1 && (d[0] == '1' || d[0] == '2'))
    return d[0] - '0';
  return MENU_INVALID;
}

static int menu_input(csat_session *s, int choice, int64_t now) {
  int rc = CSAT_OK, r;
  if (s->state == CSAT__ST_OFFER) {
    if (choice == 1 || choice == 2) {
      s->opt_in = choice == 1;
      s->state = CSAT__ST_NEW;
      return rc;
    }
  } else if (choice == 1 && can_transfer(s)) {
    s->escalation = CSAT_ESCALATION_TRANSFER;
    r = CSAT__SESSION_CALLBACK(s, "transfer",
                               s->host.transfer(s->host.user, s->survey->esc_transfer_target));
    if (r < 0)
      csat__session_cb_failed(s, &rc, "transfer", r);
    csat__session_finish(s, &rc, csat__session_final_outcome(s), now);
    return rc;
  } else if (choice == 2 && can_callback(s)) {
    play(s, &rc, CSAT_PROMPT_OUTRO, -1);
    s->escalation = CSAT_ESCALATION_CALLBACK;
    r = CSAT__SESSION_CALLBACK(s, "schedule_callback",
                               s->host.schedule_callback(s->host.user, s->contact.customer_address,
                                                         s->contact.contact_id));
    if (r < 0)
      csat__session_cb_failed(s, &rc, "schedule_callback", r);
    csat__session_finish(s, &rc, csat__session_final_outcome(s), now);
    return rc;
  }
  s->menu_attempts++;
  if (s->menu_attempts < CSAT__MENU_ATTEMPTS) {
    play(s, &rc, choice == MENU_NONE ? CSAT_PROMPT_NO_INPUT : CSAT_PROMPT_INVALID_INPUT, -1);
    menu_prompt(s, &rc);
  } else if (s->state == CSAT__ST_OFFER) {
    s->opt_in = 0; /* the offer counts as refused */
    s->state = CSAT__ST_NEW;
  } else {
    play(s, &rc, CSAT_PROMPT_OUTRO, -1); /* the offer lapses: escalation stays "offered" */
    csat__session_finish(s, &rc, csat__session_final_outcome(s), now);
  }
  return rc;
}

/* ---- events ------------------------------------------------------------- */

static int text_unsupported(csat_session *s, const char *event) {
  return csat__session_fail(s, CSAT_ERR_UNSUPPORTED, "%s does not exist on a text channel", event);
}

int csat_session_offer(csat_session *s, int64_t now_ms) {
  int rc = CSAT_OK;
  (void)now_ms;
  if (s == NULL)
    return CSAT_ERR_INVALID_ARG;
  if (s->in_callback != NULL)
    return csat__session_reentered(s, "csat_session_offer");
  if (s->survey->mode != CSAT_MODE_OPT_IN)
    return csat__session_fail(s, CSAT_ERR_STATE, "offers exist only in opt-in mode");
  if (s->state != CSAT__ST_NEW)
    return csat__session_state_error(s, "an offer");
  if (s->contact.channel != CSAT_CHANNEL_VOICE)
    return text_unsupported(s, "an offer");
  s->state = CSAT__ST_OFFER;
  s->menu_attempts = 0;
  menu_prompt(s, &rc);
  return rc;
}

int csat_session_opt_in(csat_session *s, int32_t accepted, int64_t now_ms) {
  (void)now_ms;
  if (s == NULL)
    return CSAT_ERR_INVALID_ARG;
  if (s->in_callback != NULL)
    return csat__session_reentered(s, "csat_session_opt_in");
  if (s->survey->mode != CSAT_MODE_OPT_IN)
    return csat__session_fail(s, CSAT_ERR_STATE, "opt-in answers exist only in opt-in mode");
  if (s->state != CSAT__ST_NEW)
    return csat__session_state_error(s, "an opt-in answer");
  s->opt_in = accepted != 0;
  return CSAT_OK;
}

int csat_session_start(csat_session *s, int64_t now_ms) {
  int rc = CSAT_OK, r = 0;
  if (s == NULL)
    return CSAT_ERR_INVALID_ARG;
  if (s->in_callback != NULL)
    return csat__session_reentered(s, "csat_session_start");
  if (s->state != CSAT__ST_NEW)
    return csat__session_state_error(s, "start");
  if (s->host.already_surveyed != NULL) {
    r = CSAT__SESSION_CALLBACK(
        s, "already_surveyed",
        s->host.already_surveyed(s->host.user, s->survey->id, s->contact.contact_id));
    if (r < 0)
      return csat__session_fail(s, CSAT_ERR_CALLBACK,
                                "the already_surveyed callback failed (%d); start may be retried",
                                r);
  }
  s->started_ms = now_ms;
  if (r > 0) {
    /* On text, an unsolicited "you answered before" would be spam. */
    if (s->contact.channel == CSAT_CHANNEL_VOICE)
      play(s, &rc, CSAT_PROMPT_ALREADY_ANSWERED, -1);
    csat__session_finish(s, &rc, CSAT_OUTCOME_ALREADY_ANSWERED, now_ms);
  } else if (s->survey->mode == CSAT_MODE_OPT_IN && s->opt_in != 1) {
    csat__session_finish(s, &rc, CSAT_OUTCOME_DECLINED, now_ms);
  } else {
    /* Text: the invitation stands for the intro and the first question. */
    if (s->contact.channel == CSAT_CHANNEL_VOICE)
      play(s, &rc, CSAT_PROMPT_INTRO, -1);
    csat__session_advance(s, &rc, 0, now_ms);
  }
  return rc;
}

int csat_session_input(csat_session *s, const char *digits, size_t len, int64_t now_ms) {
  size_t i;
  if (s == NULL)
    return CSAT_ERR_INVALID_ARG;
  if (s->in_callback != NULL)
    return csat__session_reentered(s, "csat_session_input");
  if (digits == NULL && len > 0)
    return csat__session_fail(s, CSAT_ERR_INVALID_ARG, "digits is NULL");
  if (len > CSAT__MAX_DIGITS)
    return csat__session_fail(s, CSAT_ERR_INVALID_ARG, "at most %d digits are accepted",
                              CSAT__MAX_DIGITS);
  for (i = 0; i < len; i++) {
    char c = digits[i];
    if (!((c >= '0' && c <= '9') || c == '*' || c == '#'))
      return csat__session_fail(s, CSAT_ERR_INVALID_ARG,
                                "input byte %d is not a DTMF digit (0-9 * #)", (int)i);
  }
  if (s->contact.channel != CSAT_CHANNEL_VOICE)
    return text_unsupported(s, "digit input");
  switch (s->state) {
  case CSAT__ST_QUESTION: return question_input(s, digits, len, now_ms);
  case CSAT__ST_OFFER:
  case CSAT__ST_ESCALATION: return menu_input(s, menu_choice(s, digits, len), now_ms);
  default: return csat__session_state_error(s, "digit input");
  }
}

int csat_session_no_input(csat_session *s, int64_t now_ms) {
  int rc = CSAT_OK;
  csat__answer *a;
  if (s == NULL)
    return CSAT_ERR_INVALID_ARG;
  if (s->in_callback != NULL)
    return csat__session_reentered(s, "csat_session_no_input");
  if (s->contact.channel != CSAT_CHANNEL_VOICE)
    return text_unsupported(s, "no input");
  switch (s->state) {
  case CSAT__ST_QUESTION:
    csat__session_attempt_failed(s, &rc, CSAT_ANSWER_NO_INPUT, now_ms);
    return rc;
  case CSAT__ST_RECORDING:
    /* A comment nobody left is skipped without a re-prompt. */
    a = &s->answers[s->current];
    a->attempts++;
    a->status = CSAT_ANSWER_NO_INPUT;
    csat__session_advance(s, &rc, s->current + 1, now_ms);
    return rc;
  case CSAT__ST_OFFER:
  case CSAT__ST_ESCALATION: return menu_input(s, MENU_NONE, now_ms);
  default: return csat__session_state_error(s, "no input");
  }
}

int csat_session_recorded(csat_session *s, const char *ref, size_t len, int64_t now_ms) {
  int rc = CSAT_OK;
  size_t bad;
  char *copy;
  csat__answer *a;
  if (s == NULL)
    return CSAT_ERR_INVALID_ARG;
  if (s->in_callback != NULL)
    return csat__session_reentered(s, "csat_session_recorded");
  if (ref == NULL || len == 0)
    return csat__session_fail(s, CSAT_ERR_INVALID_ARG, "the recording reference is empty");
  if (len > CSAT__MAX_AUDIO)
    return csat__session_fail(s, CSAT_ERR_LIMIT, "a recording reference is at most %d bytes",
                              CSAT__MAX_AUDIO);
  if (memchr(ref, '\0', len) != NULL)
    return csat__session_fail(s, CSAT_ERR_INVALID_ARG,
                              "the recording reference contains a NUL byte");
  bad = csat__utf8_invalid_at(ref, len);
  if (bad != len)
    return csat__session_fail(s, CSAT_ERR_UTF8,
                              "the recording reference is not valid UTF-8 (byte %d)", (int)bad);
  if (s->contact.channel != CSAT_CHANNEL_VOICE)
    return text_unsupported(s, "a recording");
  if (s->state != CSAT__ST_RECORDING)
    return csat__session_state_error(s, "a recording");
  /* Copy first: running out of memory must leave the session as it was. */
  copy = csat__strndup(&s->alloc, ref, len);
  if (copy == NULL)
    return csat__session_fail(s, CSAT_ERR_NOMEM, "out of memory copying the recording reference");
  a = &s->answers[s->current];
  csat__free(&s->alloc, a->comment);
  a->comment = copy;
  a->status = CSAT_ANSWER_ANSWERED;
  a->score = -1;
  a->attempts++;
  a->answered_ms = now_ms;
  csat__session_advance(s, &rc, s->current + 1, now_ms);
  return rc;
}

int csat_session_repeat(csat_session *s, int64_t now_ms) {
  int rc = CSAT_OK;
  (void)now_ms;
  if (s == NULL)
    return CSAT_ERR_INVALID_ARG;
  if (s->in_callback != NULL)
    return csat__session_reentered(s, "csat_session_repeat");
  switch (s->state) {
  case CSAT__ST_QUESTION:
  case CSAT__ST_RECORDING: ask(s, &rc, s->current); return rc;
  case CSAT__ST_OFFER:
  case CSAT__ST_ESCALATION: menu_prompt(s, &rc); return rc;
  default: return csat__session_state_error(s, "repeat");
  }
}

int csat_session_hangup(csat_session *s, int64_t now_ms) {
  int rc = CSAT_OK;
  int32_t outcome;
  if (s == NULL)
    return CSAT_ERR_INVALID_ARG;
  if (s->in_callback != NULL)
    return csat__session_reentered(s, "csat_session_hangup");
  switch (s->state) {
  case CSAT__ST_NEW:
  case CSAT__ST_OFFER:
    outcome = s->survey->mode == CSAT_MODE_OPT_IN && s->opt_in != 1 ? CSAT_OUTCOME_DECLINED
                                                                    : CSAT_OUTCOME_ABANDONED;
    break;
  case CSAT__ST_QUESTION:
  case CSAT__ST_RECORDING:
    outcome = csat__session_any_answered(s) ? CSAT_OUTCOME_PARTIAL : CSAT_OUTCOME_ABANDONED;
    break;
  case CSAT__ST_ESCALATION: outcome = csat__session_final_outcome(s); break;
  default: return csat__session_state_error(s, "hang-up");
  }
  csat__session_finish(s, &rc, outcome, now_ms);
  return rc;
}

/* ---- pending work and accessors ----------------------------------------- */

uint32_t csat_session_pending(const csat_session *s) { return s != NULL ? s->pending : 0; }

int csat_session_flush(csat_session *s, int64_t now_ms) {
  int rc = CSAT_OK;
  (void)now_ms;
  if (s == NULL)
    return CSAT_ERR_INVALID_ARG;
  if (s->in_callback != NULL)
    return csat__session_reentered(s, "csat_session_flush");
  if (s->pending != 0)
    deliver(s, &rc);
  return rc;
}

int32_t csat_session_outcome(const csat_session *s) {
  return s != NULL ? s->outcome : CSAT_OUTCOME_NONE;
}

int32_t csat_session_ended(const csat_session *s) {
  return s != NULL && s->state == CSAT__ST_ENDED;
}

const csat_result *csat_session_result(const csat_session *s) {
  return s != NULL ? &s->result : NULL;
}

const char *csat_session_errmsg(const csat_session *s) { return s != NULL ? s->errmsg : ""; }
