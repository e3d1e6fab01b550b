/*
 * Fuzz target: the survey JSON reader and writer, and the Amazon Connect
 * importer, on the same input.
 *
 * Invariants: a refusal carries a documented code and a sane csat_error; an
 * accepted survey serialises (buffer conventions checked) to valid JSON that
 * reads back to a survey serialising to the same bytes (canonical round trip)
 * with equal accessors; an imported Amazon survey does the same; and a voice
 * session on any accepted survey runs to its end without breaking the
 * session contract.
 * SPDX-License-Identifier: MIT
 */
#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fz_check_error(int rc, const csat_error *err, size_t size) {
  FZ_CHECK(rc == CSAT_ERR_PARSE || rc == CSAT_ERR_LIMIT || rc == CSAT_ERR_UTF8 ||
           rc == CSAT_ERR_INVALID_SURVEY || rc == CSAT_ERR_NOMEM);
  FZ_CHECK(err->code == rc);
  FZ_CHECK(err->line >= 0 && err->column >= 0);
  FZ_CHECK(err->offset <= size);
  FZ_CHECK(memchr(err->message, '\0', sizeof err->message) != NULL);
  FZ_CHECK(err->message[0] != '\0');
  if (rc == CSAT_ERR_PARSE || rc == CSAT_ERR_UTF8)
    FZ_CHECK(err->line >= 1 && err->column >= 1);
}

static void fz_check_accessors(const csat_survey *s) {
  int32_t n = csat_survey_question_count(s), i;
  const char *id = csat_survey_id(s);
  FZ_CHECK(id != NULL && strlen(id) >= 1 && strlen(id) <= 128);
  FZ_CHECK(csat_survey_version(s) >= 1);
  FZ_CHECK(csat_survey_name(s) != NULL);
  FZ_CHECK(fz_utf8_valid(csat_survey_name(s), strlen(csat_survey_name(s))));
  FZ_CHECK(n >= 1 && n <= 64);
  FZ_CHECK(csat_survey_question_id(s, -1) == NULL);
  FZ_CHECK(csat_survey_question_id(s, n) == NULL);
  for (i = 0; i < n; i++) {
    const char *q = csat_survey_question_id(s, i);
    FZ_CHECK(q != NULL && q[0] != '\0');
    FZ_CHECK(csat_survey_question_index(s, q) == i);
  }
  FZ_CHECK(csat_survey_question_index(s, "") == CSAT_ERR_NOT_FOUND);
}

static void fz_same_survey(const csat_survey *a, const csat_survey *b) {
  int32_t i, n = csat_survey_question_count(a);
  FZ_CHECK(strcmp(csat_survey_id(a), csat_survey_id(b)) == 0);
  FZ_CHECK(csat_survey_version(a) == csat_survey_version(b));
  FZ_CHECK(strcmp(csat_survey_name(a), csat_survey_name(b)) == 0);
  FZ_CHECK(n == csat_survey_question_count(b));
  for (i = 0; i < n; i++)
    FZ_CHECK(strcmp(csat_survey_question_id(a, i), csat_survey_question_id(b, i)) == 0);
}

/* Serialise, re-read, re-serialise: byte-identical. */
static void fz_round_trip(const csat_survey *s) {
  size_t len1 = 0, len2 = 0, hlen = 0;
  int rc;
  char *j1, *j2, *hdr;
  csat_survey *again = NULL;
  csat_error err;

  fz_check_accessors(s);
  j1 = fz_text(fz_survey_json_fn, s, &len1, &rc);
  FZ_CHECK(j1 != NULL);
  FZ_CHECK(len1 <= CSAT_JSON_MAX_INPUT);
  FZ_CHECK(fz_utf8_valid(j1, len1) && fz_json_valid(j1, len1));
  memset(&err, 0, sizeof err);
  err.struct_size = sizeof err;
  rc = csat_survey_from_json(&again, j1, len1, NULL, &err);
  if (rc != CSAT_OK)
    fprintf(stderr, "re-reading the written survey failed: %d at %d:%d: %s\n%s\n", rc,
            (int)err.line, (int)err.column, err.message, j1);
  FZ_CHECK(rc == CSAT_OK);
  fz_same_survey(s, again);
  j2 = fz_text(fz_survey_json_fn, again, &len2, &rc);
  FZ_CHECK(j2 != NULL);
  if (len1 != len2 || memcmp(j1, j2, len1) != 0)
    fprintf(stderr, "first:\n%s\nsecond:\n%s\n", j1, j2);
  FZ_CHECK(len1 == len2 && memcmp(j1, j2, len1) == 0);

  /* The CSV header: one record, 13 + 2 per question fields, formula-safe. */
  hdr = fz_text(fz_csv_header_fn, s, &hlen, &rc);
  FZ_CHECK(hdr != NULL);
  FZ_CHECK(fz_utf8_valid(hdr, hlen));
  FZ_CHECK(fz_csv_record(hdr, hlen, 1) == 13 + 2 * csat_survey_question_count(s));
  free(hdr);
  free(j1);
  free(j2);
  csat_survey_free(again);
}

/* Run a voice session on an arbitrary accepted survey until it ends. */
static void fz_run_session(const csat_survey *sv) {
  fz_twin t;
  csat_contact contact;
  int i, rc;
  int64_t now = 1700000000000;
  static const char *const answers[] = {"1", "", "5#", "*", "99", "0", "2"};

  memset(&contact, 0, sizeof contact);
  contact.struct_size = sizeof contact;
  contact.contact_id = "c-json";
  contact.channel = CSAT_CHANNEL_VOICE;
  contact.language = "pl-PL";
  contact.customer_address = "+15550100";
  memset(&t, 0, sizeof t);
  t.survey = sv;
  for (i = 0; i < 2; i++) {
    fz_host_setup(&t.side[i].h, &t.side[i].vt, 0);
    t.side[i].h.question_count = csat_survey_question_count(sv);
    rc = csat_session_new(&t.side[i].s, sv, &contact, &t.side[i].vt, NULL);
    FZ_CHECK(rc == CSAT_OK);
  }
  fz_twin_begin(&t);
  for (i = 0; i < 1200 && !csat_session_ended(t.side[0].s); i++) {
    fz_event e;
    memset(&e, 0, sizeof e);
    e.now = (now += 700);
    if (i == 0) {
      e.kind = FZ_EV_OPT_IN; /* STATE unless the survey is opt-in */
      e.accepted = 1;
    } else if (i == 1) {
      e.kind = FZ_EV_START;
    } else if (i % 5 == 4) {
      e.kind = FZ_EV_RECORDED;
      memcpy(e.digits, "r.wav", 5);
      e.ndigits = 5;
    } else {
      const char *a = answers[(size_t)i % (sizeof answers / sizeof answers[0])];
      e.kind = FZ_EV_INPUT;
      e.ndigits = strlen(a);
      memcpy(e.digits, a, e.ndigits);
    }
    fz_twin_step(&t, &e);
  }
  if (!csat_session_ended(t.side[0].s)) {
    fz_event e;
    memset(&e, 0, sizeof e);
    e.kind = FZ_EV_HANGUP;
    e.now = now + 1;
    fz_twin_step(&t, &e);
  }
  FZ_CHECK(csat_session_ended(t.side[0].s));
  fz_twin_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  csat_survey *s = NULL;
  csat_error err;
  int rc;

  memset(&err, 0, sizeof err);
  err.struct_size = sizeof err;
  rc = csat_survey_from_json(&s, (const char *)data, size, NULL, &err);
  if (rc == CSAT_OK) {
    FZ_CHECK(s != NULL);
    FZ_CHECK(fz_utf8_valid((const char *)data, size));
    fz_round_trip(s);
    fz_run_session(s);
    csat_survey_free(s);
  } else {
    fz_check_error(rc, &err, size);
  }

  s = NULL;
  memset(&err, 0, sizeof err);
  err.struct_size = sizeof err;
  rc = csat_survey_from_amazon_json(&s, (const char *)data, size, NULL, &err);
  if (rc == CSAT_OK) {
    FZ_CHECK(s != NULL);
    fz_round_trip(s);
    csat_survey_free(s);
  } else {
    fz_check_error(rc, &err, size);
  }
  return 0;
}
