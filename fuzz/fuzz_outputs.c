/* Buffers and results: save and export through size queries and short
 * buffers, and every result accessor checked for consistency.
 * SPDX-License-Identifier: MIT */
#include "fuzz_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

unsigned char *fz_save(const csat_session *s, size_t *len) {
  /* One pass in the common case: the blob size of the last call as a guess. */
  static size_t guess = 1024;
  size_t needed = 0, again = 0;
  unsigned char *buf = fz_xmalloc(guess), *exact;
  int rc = csat_session_save(s, buf, guess, &needed);
  if (rc == CSAT_ERR_BUFFER_TOO_SMALL) {
    FZ_CHECK(needed > guess && needed <= CSAT_BLOB_MAX);
    free(buf);
    guess = needed;
    buf = fz_xmalloc(needed);
    rc = csat_session_save(s, buf, needed, &again);
    FZ_CHECK(rc == CSAT_OK && again == needed);
  } else {
    FZ_CHECK(rc == CSAT_OK);
    FZ_CHECK(needed > 0 && needed <= guess);
  }
  /* Exactly sized, so that a restore reading past the end is caught. */
  exact = fz_xmalloc(needed);
  memcpy(exact, buf, needed);
  free(buf);
  *len = needed;
  return exact;
}

void fz_save_conventions(const csat_session *s, const unsigned char *blob, size_t len) {
  size_t needed = 0;
  unsigned char *shortbuf;
  int rc = csat_session_save(s, NULL, 0, &needed);
  FZ_CHECK(rc == CSAT_ERR_BUFFER_TOO_SMALL && needed == len);
  /* One byte short: refused with the same answer, nothing written past cap. */
  shortbuf = fz_xmalloc(len - 1);
  needed = 0;
  rc = csat_session_save(s, len > 1 ? shortbuf : NULL, len - 1, &needed);
  FZ_CHECK(rc == CSAT_ERR_BUFFER_TOO_SMALL && needed == len);
  if (len > 1)
    FZ_CHECK(memcmp(shortbuf, blob, len - 1) == 0);
  free(shortbuf);
}

char *fz_text(fz_text_fn fn, const void *obj, size_t *len, int *rc_out) {
  size_t needed = 0, again, cap, k;
  char *full, *part;
  int rc = fn(obj, NULL, 0, &needed);
  if (rc_out)
    *rc_out = rc;
  if (rc != CSAT_ERR_BUFFER_TOO_SMALL) {
    FZ_CHECK(rc != CSAT_OK); /* there is always at least a NUL to write */
    return NULL;
  }
  FZ_CHECK(needed < ((size_t)1 << 30));
  full = fz_xmalloc(needed + 1);
  again = 0;
  rc = fn(obj, full, needed + 1, &again);
  FZ_CHECK(rc == CSAT_OK);
  FZ_CHECK(again == needed);
  FZ_CHECK(full[needed] == '\0');
  FZ_CHECK(strlen(full) == needed); /* no NUL inside the text */
  /* Short buffers: cap = needed, 1, and a few in between; each must be
   * NUL-terminated, hold a prefix of the text and answer the same size. */
  for (k = 0; k < 4; k++) {
    cap = k == 0 ? needed : k == 1 ? 1 : k == 2 ? needed / 2 : needed / 3;
    if (cap == 0)
      continue;
    part = fz_xmalloc(cap);
    memset(part, 'x', cap);
    again = 0;
    rc = fn(obj, part, cap, &again);
    FZ_CHECK(rc == CSAT_ERR_BUFFER_TOO_SMALL);
    FZ_CHECK(again == needed);
    FZ_CHECK(part[cap - 1] == '\0');
    FZ_CHECK(memcmp(part, full, cap - 1) == 0);
    free(part);
  }
  *len = needed;
  return full;
}

int fz_jsonl_fn(const void *r, char *buf, size_t cap, size_t *needed) {
  return csat_result_to_jsonl((const csat_result *)r, buf, cap, needed);
}
int fz_csv_fn(const void *r, char *buf, size_t cap, size_t *needed) {
  return csat_result_to_csv((const csat_result *)r, buf, cap, needed);
}
int fz_csv_header_fn(const void *s, char *buf, size_t cap, size_t *needed) {
  return csat_survey_csv_header((const csat_survey *)s, buf, cap, needed);
}
int fz_survey_json_fn(const void *s, char *buf, size_t cap, size_t *needed) {
  return csat_survey_to_json((const csat_survey *)s, buf, cap, needed);
}

void fz_check_result(const csat_result *r, const csat_survey *sv, int strict_times) {
  int32_t n, i, any_flag = 0;
  int32_t outcome = csat_result_outcome(r);
  int64_t st = csat_result_started_ms(r), en = csat_result_ended_ms(r);
  const csat_contact *c = csat_result_contact(r);
  csat_answer a;
  FZ_CHECK(outcome >= CSAT_OUTCOME_NONE && outcome <= CSAT_OUTCOME_MAX);
  FZ_CHECK(strcmp(csat_result_survey_id(r), csat_survey_id(sv)) == 0);
  FZ_CHECK(csat_result_survey_version(r) == csat_survey_version(sv));
  FZ_CHECK(c != NULL && c->contact_id != NULL && c->contact_id[0] != '\0');
  /* The library trusts the host's clock ("should not go back"), so a blob
   * may legitimately carry any times; the other targets' clocks only move on. */
  if (strict_times) {
    FZ_CHECK(st >= 0 && en >= 0);
    FZ_CHECK(st == 0 || en == 0 || en >= st);
  }
  FZ_CHECK(csat_result_escalation(r) >= CSAT_ESCALATION_NONE &&
           csat_result_escalation(r) <= CSAT_ESCALATION_CALLBACK);
  n = csat_result_answer_count(r);
  FZ_CHECK(n == csat_survey_question_count(sv));
  for (i = 0; i < n; i++) {
    memset(&a, 0, sizeof a);
    a.struct_size = sizeof a;
    FZ_CHECK(csat_result_answer(r, i, &a) == CSAT_OK);
    FZ_CHECK(a.question_id != NULL && strcmp(a.question_id, csat_survey_question_id(sv, i)) == 0);
    FZ_CHECK(a.kind >= CSAT_Q_RATING && a.kind <= CSAT_Q_TEXT_COMMENT);
    FZ_CHECK(a.status >= CSAT_ANSWER_NOT_ASKED && a.status <= CSAT_ANSWER_NOT_APPLICABLE);
    if (a.status == CSAT_ANSWER_ANSWERED && (a.kind == CSAT_Q_RATING || a.kind == CSAT_Q_YES_NO))
      FZ_CHECK(a.score >= 0 && a.score <= 10);
    else
      FZ_CHECK(a.score == -1);
    FZ_CHECK(a.attempts >= 0 && a.attempts <= 9);
    FZ_CHECK(a.raw != NULL && a.comment != NULL);
    FZ_CHECK(!a.flagged || a.status == CSAT_ANSWER_ANSWERED);
    if (a.status != CSAT_ANSWER_ANSWERED)
      FZ_CHECK(a.answered_ms == 0);
    else if (strict_times)
      FZ_CHECK(a.answered_ms >= st && (en == 0 || a.answered_ms <= en));
    FZ_CHECK(fz_utf8_valid(a.raw, strlen(a.raw)) && fz_utf8_valid(a.comment, strlen(a.comment)));
    if (a.flagged)
      any_flag = 1;
  }
  FZ_CHECK((csat_result_flagged(r) != 0) == any_flag);
  memset(&a, 0, sizeof a);
  a.struct_size = sizeof a;
  FZ_CHECK(csat_result_answer(r, n, &a) == CSAT_ERR_NOT_FOUND);
  FZ_CHECK(csat_result_answer(r, -1, &a) != CSAT_OK);
}
