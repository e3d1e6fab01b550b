/* Result records: accessors and the JSON Lines and CSV serialisations.
 * A csat_result is a view of its session, so every figure is read live.
 * SPDX-License-Identifier: MIT */
#include "session.h"

#include <string.h>

/* ---- names (stable: they are part of the JSONL and CSV formats) --------- */

static const char *kind_name(int32_t kind) {
  static const char *const names[] = {"unknown", "rating", "yes_no", "voice_comment",
                                      "text_comment"};
  if (kind < 1 || kind > CSAT_Q_TEXT_COMMENT)
    return names[0];
  return names[kind];
}

static const char *status_name(int32_t status) {
  static const char *const names[] = {"not_asked", "answered",  "no_input",
                                      "invalid",   "condition", "not_applicable"};
  if (status < 0 || status > CSAT_ANSWER_NOT_APPLICABLE)
    return "unknown";
  return names[status];
}

static const char *escalation_name(int32_t esc) {
  static const char *const names[] = {"none", "offered", "transfer", "callback"};
  if (esc < 0 || esc > CSAT_ESCALATION_CALLBACK)
    return "unknown";
  return names[esc];
}

static const char *channel_name(int32_t channel) {
  static const char *const names[] = {"unknown", "voice", "sms", "chat"};
  if (channel < 1 || channel > CSAT_CHANNEL_CHAT)
    return names[0];
  return names[channel];
}

static const char *nz(const char *s) { return s != NULL ? s : ""; }

/* The language the survey ran in: the contact's, else the survey default,
 * so exports can be sliced by language without knowing the survey. */
static const char *effective_language(const csat_session *s) {
  if (s->contact.language != NULL && s->contact.language[0] != '\0')
    return s->contact.language;
  return nz(s->survey->default_language);
}

/* The score an answer reports: only answered rating / yes-no questions have
 * one, whatever else the session left in the field. */
static int32_t answer_score(const csat_session *s, int32_t i) {
  const csat__answer *a = &s->answers[i];
  int32_t kind = s->survey->questions[i].kind;
  if (a->status == CSAT_ANSWER_ANSWERED && a->score >= 0 &&
      (kind == CSAT_Q_RATING || kind == CSAT_Q_YES_NO))
    return a->score;
  return -1;
}

static int32_t question_count(const csat_session *s) {
  return s->answers != NULL ? s->survey->question_count : 0;
}

/* ---- accessors ---------------------------------------------------------- */

int32_t csat_result_outcome(const csat_result *r) {
  return r != NULL ? r->session->outcome : CSAT_OUTCOME_NONE;
}

const char *csat_result_survey_id(const csat_result *r) {
  return r != NULL ? nz(r->session->survey->id) : NULL;
}

int32_t csat_result_survey_version(const csat_result *r) {
  return r != NULL ? r->session->survey->version : 0;
}

const csat_contact *csat_result_contact(const csat_result *r) {
  return r != NULL ? &r->session->contact : NULL;
}

int32_t csat_result_answer_count(const csat_result *r) {
  return r != NULL ? question_count(r->session) : 0;
}

int csat_result_answer(const csat_result *r, int32_t index, csat_answer *out) {
  const csat_session *s;
  const csat__answer *a;
  size_t size;
  if (r == NULL || out == NULL)
    return CSAT_ERR_INVALID_ARG;
  size = out->struct_size;
  /* A struct too small to hold even the question id is a caller bug, not
   * an old header: every version of csat_answer had it. */
  if (!CSAT__COVERS(csat_answer, size, question_id))
    return CSAT_ERR_INVALID_ARG;
  s = r->session;
  if (index < 0 || index >= question_count(s))
    return CSAT_ERR_NOT_FOUND;
  a = &s->answers[index];
  out->question_id = nz(s->survey->questions[index].id);
  if (CSAT__COVERS(csat_answer, size, kind))
    out->kind = s->survey->questions[index].kind;
  if (CSAT__COVERS(csat_answer, size, status))
    out->status = a->status;
  if (CSAT__COVERS(csat_answer, size, score))
    out->score = answer_score(s, index);
  if (CSAT__COVERS(csat_answer, size, attempts))
    out->attempts = a->attempts;
  if (CSAT__COVERS(csat_answer, size, flagged))
    out->flagged = a->flagged ? 1 : 0;
  if (CSAT__COVERS(csat_answer, size, raw))
    out->raw = a->raw;
  if (CSAT__COVERS(csat_answer, size, comment))
    out->comment = nz(a->comment);
  if (CSAT__COVERS(csat_answer, size, answered_ms))
    out->answered_ms = a->answered_ms;
  /* A host built against a newer header learns how much was filled. */
  if (size > sizeof(csat_answer))
    out->struct_size = sizeof(csat_answer);
  return CSAT_OK;
}

int32_t csat_result_flagged(const csat_result *r) {
  const csat_session *s;
  int32_t i, n;
  if (r == NULL)
    return 0;
  s = r->session;
  n = question_count(s);
  for (i = 0; i < n; i++)
    if (s->answers[i].flagged)
      return 1;
  return 0;
}

int32_t csat_result_escalation(const csat_result *r) {
  return r != NULL ? r->session->escalation : CSAT_ESCALATION_NONE;
}

int64_t csat_result_started_ms(const csat_result *r) {
  return r != NULL ? r->session->started_ms : 0;
}

int64_t csat_result_ended_ms(const csat_result *r) { return r != NULL ? r->session->ended_ms : 0; }

const char *csat_result_language(const csat_result *r) {
  return r != NULL ? effective_language(r->session) : NULL;
}

int csat_result_answer_scale(const csat_result *r, int32_t index, int32_t *min, int32_t *max) {
  const csat__question *q;
  if (r == NULL || min == NULL || max == NULL)
    return CSAT_ERR_INVALID_ARG;
  if (index < 0 || index >= question_count(r->session))
    return CSAT_ERR_NOT_FOUND;
  q = &r->session->survey->questions[index];
  *min = q->kind == CSAT_Q_RATING ? q->min : 0;
  *max = q->kind == CSAT_Q_RATING ? q->max : q->kind == CSAT_Q_YES_NO ? 1 : 0;
  return CSAT_OK;
}

/* ---- JSON Lines --------------------------------------------------------- */

static void json_key(csat__out *o, const char *key, int first) {
  if (!first)
    csat__out_char(o, ',');
  csat__out_char(o, '"');
  csat__out_str(o, key); /* keys are our own ASCII names: no escaping needed */
  csat__out_str(o, "\":");
}

static void json_str_member(csat__out *o, const char *key, const char *v) {
  json_key(o, key, 0);
  v = nz(v);
  csat__out_json_str(o, v, strlen(v));
}

static void json_int_member(csat__out *o, const char *key, int64_t v) {
  json_key(o, key, 0);
  csat__out_i64(o, v);
}

static void json_bool_member(csat__out *o, const char *key, int v) {
  json_key(o, key, 0);
  csat__out_str(o, v ? "true" : "false");
}

int csat_result_to_jsonl(const csat_result *r, char *buf, size_t cap, size_t *needed) {
  const csat_session *s;
  const csat_contact *c;
  csat__out o;
  size_t i;
  int32_t q, n;
  if (r == NULL || (buf == NULL && cap != 0))
    return CSAT_ERR_INVALID_ARG;
  s = r->session;
  c = &s->contact;
  n = question_count(s);
  csat__out_init(&o, buf, cap);

  csat__out_char(&o, '{');
  json_key(&o, "contact_id", 1);
  csat__out_json_str(&o, nz(c->contact_id), strlen(nz(c->contact_id)));
  json_str_member(&o, "agent_id", c->agent_id);
  json_str_member(&o, "queue_id", c->queue_id);
  json_str_member(&o, "department", c->department);
  json_str_member(&o, "channel", channel_name(c->channel));
  json_str_member(&o, "language", effective_language(s));
  json_str_member(&o, "customer_address", c->customer_address);
  json_int_member(&o, "contact_started_ms", c->started_ms);
  json_int_member(&o, "contact_ended_ms", c->ended_ms);
  json_int_member(&o, "wait_ms", c->wait_ms);
  json_int_member(&o, "talk_ms", c->talk_ms);
  json_key(&o, "attributes", 0);
  csat__out_char(&o, '{');
  for (i = 0; c->attrs != NULL && i < c->attr_count; i++) {
    const char *k = nz(c->attrs[i].key), *v = nz(c->attrs[i].value);
    if (i > 0)
      csat__out_char(&o, ',');
    csat__out_json_str(&o, k, strlen(k));
    csat__out_char(&o, ':');
    csat__out_json_str(&o, v, strlen(v));
  }
  csat__out_char(&o, '}');
  json_str_member(&o, "survey_id", s->survey->id);
  json_int_member(&o, "survey_version", s->survey->version);
  json_str_member(&o, "outcome", csat_outcome_name(s->outcome));
  json_bool_member(&o, "flagged", csat_result_flagged(r));
  json_str_member(&o, "escalation", escalation_name(s->escalation));
  json_int_member(&o, "started_ms", s->started_ms);
  json_int_member(&o, "ended_ms", s->ended_ms);

  json_key(&o, "answers", 0);
  csat__out_char(&o, '[');
  for (q = 0; q < n; q++) {
    const csat__answer *a = &s->answers[q];
    const csat__question *qq = &s->survey->questions[q];
    int32_t score = answer_score(s, q);
    if (q > 0)
      csat__out_char(&o, ',');
    csat__out_char(&o, '{');
    json_key(&o, "id", 1);
    csat__out_json_str(&o, nz(qq->id), strlen(nz(qq->id)));
    json_str_member(&o, "kind", kind_name(qq->kind));
    json_str_member(&o, "status", status_name(a->status));
    json_key(&o, "score", 0);
    if (score >= 0)
      csat__out_i64(&o, score);
    else
      csat__out_str(&o, "null");
    json_int_member(&o, "attempts", a->attempts);
    json_bool_member(&o, "flagged", a->flagged);
    json_key(&o, "raw", 0);
    /* raw is a fixed array the session keeps NUL-terminated; bound it anyway. */
    csat__out_json_str(&o, a->raw, csat__strnlen(a->raw, CSAT__MAX_DIGITS));
    json_str_member(&o, "comment", a->comment);
    json_int_member(&o, "answered_ms", a->answered_ms);
    csat__out_char(&o, '}');
  }
  csat__out_str(&o, "]}\n");
  return csat__out_finish_text(&o, needed);
}

/* ---- CSV ---------------------------------------------------------------- */

/* One text cell after its separator (none when first): s then suffix (NULL
 * for none), so "<id>_comment" is one cell. csv.c quotes and guards it. */
static void csv_text(csat__out *o, const char *s, const char *suffix, int first) {
  if (!first)
    csat__out_char(o, ',');
  s = nz(s);
  suffix = nz(suffix);
  csat__out_csv_text(o, s, strlen(s), suffix, strlen(suffix));
}

static void csv_int(csat__out *o, int64_t v) {
  csat__out_char(o, ',');
  csat__out_i64(o, v);
}

/* A time cell: empty when the moment was not reached (0), like a missing score. */
static void csv_time(csat__out *o, int64_t v) {
  csat__out_char(o, ',');
  if (v != 0)
    csat__out_i64(o, v);
}

static void csv_header(csat__out *o, const csat_survey *sv) {
  static const char *const fixed[] = {
      "contact_id", "survey_id", "survey_version", "agent_id", "queue_id", "department", "channel",
      "language",   "outcome",   "started",        "ended",    "flagged",  "escalation"};
  size_t i;
  int32_t q;
  for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
    csv_text(o, fixed[i], NULL, i == 0);
  for (q = 0; q < sv->question_count; q++) {
    csv_text(o, sv->questions[q].id, NULL, 0);
    csv_text(o, sv->questions[q].id, "_comment", 0);
  }
  csat__out_str(o, "\r\n");
}

int csat_survey_csv_header(const csat_survey *s, char *buf, size_t cap, size_t *needed) {
  csat__out o;
  if (s == NULL || (buf == NULL && cap != 0))
    return CSAT_ERR_INVALID_ARG;
  csat__out_init(&o, buf, cap);
  csv_header(&o, s);
  return csat__out_finish_text(&o, needed);
}

int csat_result_to_csv(const csat_result *r, char *buf, size_t cap, size_t *needed) {
  const csat_session *s;
  const csat_contact *c;
  csat__out o;
  int32_t q, n;
  if (r == NULL || (buf == NULL && cap != 0))
    return CSAT_ERR_INVALID_ARG;
  s = r->session;
  c = &s->contact;
  n = question_count(s);
  csat__out_init(&o, buf, cap);
  csv_text(&o, c->contact_id, NULL, 1);
  csv_text(&o, s->survey->id, NULL, 0);
  csv_int(&o, s->survey->version);
  csv_text(&o, c->agent_id, NULL, 0);
  csv_text(&o, c->queue_id, NULL, 0);
  csv_text(&o, c->department, NULL, 0);
  csv_text(&o, channel_name(c->channel), NULL, 0);
  csv_text(&o, effective_language(s), NULL, 0);
  csv_text(&o, csat_outcome_name(s->outcome), NULL, 0);
  csv_time(&o, s->started_ms);
  csv_time(&o, s->ended_ms);
  csv_int(&o, csat_result_flagged(r));
  csv_text(&o, escalation_name(s->escalation), NULL, 0);
  for (q = 0; q < n; q++) {
    int32_t score = answer_score(s, q);
    csat__out_char(&o, ',');
    if (score >= 0)
      csat__out_i64(&o, score);
    csv_text(&o, s->answers[q].comment, NULL, 0);
  }
  csat__out_str(&o, "\r\n");
  return csat__out_finish_text(&o, needed);
}
