/* Shared by the survey tests: a survey built through the builder touching
 * every field, and a field-by-field comparison of two surveys (unit tests
 * reach internals). */
#ifndef CSAT_TEST_SURVEY_KIT_H
#define CSAT_TEST_SURVEY_KIT_H

#include "survey/survey.h"

#include <stdlib.h>
#include <string.h>

/* Every kind of awkward text: quotes, backslash, controls, 2/3/4-byte UTF-8,
 * U+2028 (legal in JSON, not in JavaScript). */
#define KIT_NASTY \
  "Oce\xC5\x84 \"nas\" \\ od 1 do 5\n\t\x01 \xE2\x80\xA8 \xF0\x9F\x98\x80 \xED\x95\x9C"

/* A survey touching every field the builder can set. With `retry`, a setter
 * that fails with NOMEM is called again (it must have left the builder
 * unchanged, so the result is the same as without failures). */
#define KIT_STEP(call)                 \
  do {                                 \
    rc = (call);                       \
    if (rc == CSAT_ERR_NOMEM && retry) \
      rc = (call);                     \
    if (rc != CSAT_OK)                 \
      goto out;                        \
  } while (0)

static inline int kit_build_full(const csat_allocator *a, int retry, csat_survey **out) {
  csat_survey_builder *b = NULL;
  int32_t q1 = -1, nps = -1, again = -1, why = -1, txt = -1, k;
  int rc;
  *out = NULL;
  rc = csat_survey_builder_new(&b, "full-survey", 7, a);
  if (rc == CSAT_ERR_NOMEM && retry)
    rc = csat_survey_builder_new(&b, "full-survey", 7, a);
  if (rc != CSAT_OK)
    return rc;
  KIT_STEP(
      csat_survey_builder_set_name(b, "Za\xC5\xBC\xC3\xB3\xC5\x82\xC4\x87 survey \xE2\x9C\x93"));
  KIT_STEP(csat_survey_builder_set_default_language(b, "pl"));
  KIT_STEP(csat_survey_builder_set_mode(b, CSAT_MODE_OPT_IN));
  KIT_STEP(csat_survey_builder_set_input(b, 4000, 2500, 0, 2));
  /* 30 days: beyond INT32_MAX, so the JSON integer must travel as 64 bits */
  KIT_STEP(csat_survey_builder_set_text(b, 2592000000LL, 7));
  for (k = 1; k <= CSAT_PROMPT_KIND_MAX; k++) {
    if (k == CSAT_PROMPT_QUESTION)
      continue;
    KIT_STEP(csat_survey_builder_set_prompt(b, k, -1, NULL, KIT_NASTY, NULL));
    if (k % 2 == 0)
      KIT_STEP(csat_survey_builder_set_prompt(b, k, -1, "en", "English", "sounds/en.wav"));
    if (k % 3 == 0)
      KIT_STEP(csat_survey_builder_set_prompt(b, k, -1, "ko-KR", NULL, "sounds/ko.wav"));
  }
  KIT_STEP(csat_survey_builder_add_question(b, "q1", CSAT_Q_RATING, 1, 5, &q1));
  KIT_STEP(csat_survey_builder_add_question(b, "nps", CSAT_Q_RATING, 0, 10, &nps));
  KIT_STEP(csat_survey_builder_add_question(b, "again", CSAT_Q_YES_NO, 0, 0, &again));
  KIT_STEP(csat_survey_builder_add_question(b, "why", CSAT_Q_VOICE_COMMENT, 0, 0, &why));
  KIT_STEP(csat_survey_builder_add_question(b, "text", CSAT_Q_TEXT_COMMENT, 0, 0, &txt));
  for (k = 0; k < 5; k++) {
    KIT_STEP(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, k, "pl", "Pytanie?", NULL));
    KIT_STEP(
        csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, k, "en", "Question?", "q.wav"));
  }
  KIT_STEP(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INVALID_INPUT, q1, "pl", "Zle", NULL));
  KIT_STEP(csat_survey_builder_set_prompt(b, CSAT_PROMPT_NO_INPUT, q1, "en", NULL, "silence.wav"));
  KIT_STEP(csat_survey_builder_set_prompt(b, CSAT_PROMPT_MAX_ATTEMPTS, q1, "pl", KIT_NASTY, NULL));
  KIT_STEP(csat_survey_builder_set_flag(b, q1, 1, 2));
  KIT_STEP(csat_survey_builder_set_attempts(b, q1, 4, CSAT_EXHAUSTED_END));
  KIT_STEP(csat_survey_builder_set_flag(b, nps, 0, 6));
  KIT_STEP(csat_survey_builder_set_flag(b, again, 1, 0));
  KIT_STEP(csat_survey_builder_set_condition(b, again, q1, 3));
  KIT_STEP(csat_survey_builder_set_recording(b, why, 120000, 5000));
  KIT_STEP(csat_survey_builder_set_condition(b, why, nps, 6));
  KIT_STEP(csat_survey_builder_set_attempts(b, why, 1, CSAT_EXHAUSTED_SKIP));
  KIT_STEP(csat_survey_builder_set_attempts(b, txt, 2, CSAT_EXHAUSTED_END));
  KIT_STEP(csat_survey_builder_set_escalation(b, 1, 4, "sup-queue", 1));
  KIT_STEP(csat_survey_builder_set_task(b, 0, "N [ContactId]", "D [Comment]\n", "cat", "flow-1",
                                        "rule-x"));
  rc = csat_survey_builder_finish(b, out, NULL);
  if (rc == CSAT_OK)
    b = NULL;
out:
  csat_survey_builder_free(b);
  return rc;
}

static inline int kit_str_eq(const char *a, const char *b) {
  if (a == NULL || b == NULL)
    return a == b;
  return strcmp(a, b) == 0;
}

static inline int kit_set_eq(const csat__prompt_set *a, const csat__prompt_set *b) {
  int32_t i;
  if (a->count != b->count)
    return 0;
  for (i = 0; i < a->count; i++)
    if (!kit_str_eq(a->items[i].lang, b->items[i].lang) ||
        !kit_str_eq(a->items[i].text, b->items[i].text) ||
        !kit_str_eq(a->items[i].audio, b->items[i].audio))
      return 0;
  return 1;
}

/* 0 when equal, else a number saying which field differs (for the message). */
static inline int kit_survey_diff(const csat_survey *a, const csat_survey *b) {
  int32_t i, k;
  if (!kit_str_eq(a->id, b->id))
    return 1;
  if (a->version != b->version)
    return 2;
  if (!kit_str_eq(a->name, b->name))
    return 3;
  if (!kit_str_eq(a->default_language, b->default_language))
    return 4;
  if (a->mode != b->mode)
    return 5;
  for (k = 0; k < CSAT__PROMPT_SLOTS; k++)
    if (!kit_set_eq(&a->prompts[k], &b->prompts[k]))
      return 100 + k;
  if (a->question_count != b->question_count)
    return 6;
  for (i = 0; i < a->question_count; i++) {
    const csat__question *p = &a->questions[i], *q = &b->questions[i];
    if (!kit_str_eq(p->id, q->id) || p->kind != q->kind || p->min != q->min || p->max != q->max ||
        p->flag_enabled != q->flag_enabled || p->flag_threshold != q->flag_threshold ||
        p->max_attempts != q->max_attempts || p->on_exhausted != q->on_exhausted ||
        p->cond_parent != q->cond_parent || p->cond_at_most != q->cond_at_most ||
        p->max_duration_ms != q->max_duration_ms || p->silence_timeout_ms != q->silence_timeout_ms)
      return 1000 + i;
    for (k = 0; k < CSAT__PROMPT_SLOTS; k++)
      if (!kit_set_eq(&p->prompts[k], &q->prompts[k]))
        return 2000 + i * 100 + k;
  }
  if (a->esc_enabled != b->esc_enabled || a->esc_below != b->esc_below ||
      !kit_str_eq(a->esc_transfer_target, b->esc_transfer_target) ||
      a->esc_callback != b->esc_callback)
    return 7;
  if (a->task_enabled != b->task_enabled || !kit_str_eq(a->task_name, b->task_name) ||
      !kit_str_eq(a->task_description, b->task_description) ||
      !kit_str_eq(a->task_category, b->task_category) ||
      !kit_str_eq(a->task_target, b->task_target) ||
      !kit_str_eq(a->task_rule_name, b->task_rule_name))
    return 8;
  if (a->first_digit_timeout_ms != b->first_digit_timeout_ms ||
      a->inter_digit_timeout_ms != b->inter_digit_timeout_ms || a->terminator != b->terminator ||
      a->max_repeats != b->max_repeats)
    return 9;
  if (a->text_window_ms != b->text_window_ms || a->text_multiple != b->text_multiple)
    return 11;
  if (a->fingerprint != b->fingerprint)
    return 10;
  return 0;
}

/* to_json into a malloc'ed buffer (NULL on failure). */
static inline char *kit_to_json(const csat_survey *s, size_t *len) {
  size_t needed = 0;
  char *buf;
  if (csat_survey_to_json(s, NULL, 0, &needed) != CSAT_ERR_BUFFER_TOO_SMALL)
    return NULL;
  buf = malloc(needed + 1);
  if (buf == NULL || csat_survey_to_json(s, buf, needed + 1, len) != CSAT_OK) {
    free(buf);
    return NULL;
  }
  return buf;
}

/* Read a file into a malloc'ed, NUL-terminated buffer. */
static inline char *kit_read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  long n;
  if (f == NULL)
    return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
    buf = malloc((size_t)n + 1);
    if (buf != NULL && fread(buf, 1, (size_t)n, f) == (size_t)n) {
      buf[n] = '\0';
      *len = (size_t)n;
    } else {
      free(buf);
      buf = NULL;
    }
  }
  fclose(f);
  return buf;
}

#endif
