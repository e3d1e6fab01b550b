/*
 * Fuzz target: result export (JSON Lines and CSV) with hostile contact data.
 *
 * Input layout:
 *   byte 0  survey (index into fz_surveys)
 *   byte 1  answers: 2 bits per question choose "1", "2", "5" or no input
 *   rest    NUL-separated fields: contact_id, agent_id, queue_id, department,
 *           language, customer_address, then attribute key, value, key, ...
 *
 * csat_session_new must refuse invalid UTF-8 (and over-long strings); an
 * accepted contact must export, mid-session and after the end, to one valid
 * JSON line and one well-formed, formula-safe CSV record with as many fields
 * as the survey's header, with the buffer conventions honoured for exact and
 * short buffers.
 * SPDX-License-Identifier: MIT
 */
#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FZ_FIELDS 6
#define FZ_MAX_ATTRS 40

static void fz_check_exports(const csat_session *s, const csat_survey *sv) {
  const csat_result *r = csat_session_result(s);
  size_t len = 0, hlen = 0;
  int rc, fields;
  char *text, *hdr;

  fz_check_result(r, sv, 1);
  text = fz_text(fz_jsonl_fn, r, &len, &rc);
  FZ_CHECK(text != NULL);
  FZ_CHECK(len >= 2 && text[len - 1] == '\n' && memchr(text, '\n', len - 1) == NULL);
  FZ_CHECK(fz_utf8_valid(text, len));
  FZ_CHECK(fz_json_valid(text, len - 1));
  free(text);

  hdr = fz_text(fz_csv_header_fn, sv, &hlen, &rc);
  FZ_CHECK(hdr != NULL);
  fields = fz_csv_record(hdr, hlen, 1);
  FZ_CHECK(fields == 13 + 2 * csat_survey_question_count(sv));
  text = fz_text(fz_csv_fn, r, &len, &rc);
  FZ_CHECK(text != NULL);
  FZ_CHECK(fz_utf8_valid(text, len));
  if (fz_csv_record(text, len, 1) != fields)
    fprintf(stderr, "header: %s\nrow: %s\n", hdr, text);
  FZ_CHECK(fz_csv_record(text, len, 1) == fields);
  free(text);
  free(hdr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  size_t si, nfields = 0, i, start;
  unsigned answers;
  char *copy;
  const char *field[FZ_FIELDS + 2 * FZ_MAX_ATTRS];
  size_t flen[FZ_FIELDS + 2 * FZ_MAX_ATTRS];
  csat_attr attrs[FZ_MAX_ATTRS];
  csat_contact contact;
  const csat_survey *sv;
  fz_twin t;
  int rc, all_utf8 = 1, within_limits = 1, q, nq;
  int64_t now = 1700000000000;

  if (size < 2)
    return 0;
  si = data[0] % fz_survey_count;
  answers = data[1];
  sv = fz_survey_get(si);

  /* Split the rest into NUL-terminated fields (in a copy). */
  copy = malloc(size - 1);
  FZ_CHECK(copy != NULL);
  memcpy(copy, data + 2, size - 2);
  copy[size - 2] = '\0';
  start = 0;
  for (i = 0; i <= size - 2 && nfields < FZ_FIELDS + 2 * FZ_MAX_ATTRS; i++) {
    if (copy[i] == '\0') {
      field[nfields] = copy + start;
      flen[nfields] = i - start;
      nfields++;
      start = i + 1;
    }
  }
  for (i = nfields; i < FZ_FIELDS; i++) {
    field[i] = NULL;
    flen[i] = 0;
  }
  if (nfields > FZ_FIELDS && (nfields - FZ_FIELDS) % 2 == 1)
    nfields--; /* an unpaired last field is not passed on */
  for (i = 0; i < nfields; i++) {
    size_t limit = i < FZ_FIELDS ? 128 : ((i - FZ_FIELDS) % 2 == 0 ? 128 : 1024);
    if (!fz_utf8_valid(field[i], flen[i]))
      all_utf8 = 0;
    if (flen[i] > limit)
      within_limits = 0;
  }

  memset(&contact, 0, sizeof contact);
  contact.struct_size = sizeof contact;
  contact.contact_id = field[0];
  contact.agent_id = field[1];
  contact.queue_id = field[2];
  contact.department = field[3];
  contact.language = field[4];
  contact.customer_address = field[5];
  contact.channel = CSAT_CHANNEL_VOICE;
  contact.started_ms = now - 100000;
  contact.ended_ms = now - 5000;
  contact.wait_ms = 1000;
  contact.talk_ms = 94000;
  contact.attr_count = nfields > FZ_FIELDS ? (nfields - FZ_FIELDS) / 2 : 0;
  for (i = 0; i < contact.attr_count; i++) {
    attrs[i].key = field[FZ_FIELDS + 2 * i];
    attrs[i].value = field[FZ_FIELDS + 2 * i + 1];
  }
  contact.attrs = attrs;
  if (contact.attr_count > 32)
    within_limits = 0;

  memset(&t, 0, sizeof t);
  t.survey = sv;
  for (i = 0; i < 2; i++) {
    fz_host_setup(&t.side[i].h, &t.side[i].vt, 0);
    t.side[i].h.question_count = csat_survey_question_count(sv);
    rc = csat_session_new(&t.side[i].s, sv, &contact, &t.side[i].vt, NULL);
    if (rc != CSAT_OK) {
      FZ_CHECK(i == 0);
      FZ_CHECK(rc == CSAT_ERR_INVALID_ARG || rc == CSAT_ERR_LIMIT || rc == CSAT_ERR_UTF8);
      if (all_utf8)
        FZ_CHECK(rc != CSAT_ERR_UTF8);
      if (within_limits)
        FZ_CHECK(rc != CSAT_ERR_LIMIT);
      fz_host_free(&t.side[0].h);
      free(copy);
      return 0;
    }
  }
  /* Invalid UTF-8 and over-long strings must never get in. */
  FZ_CHECK(all_utf8);
  FZ_CHECK(within_limits);
  FZ_CHECK(field[0] != NULL && flen[0] > 0);
  free(copy); /* the session copied everything it keeps */

  fz_twin_begin(&t);
  fz_check_exports(t.side[0].s, sv);
  {
    fz_event e;
    memset(&e, 0, sizeof e);
    e.kind = FZ_EV_START;
    e.now = (now += 1000);
    fz_twin_step(&t, &e);
    nq = csat_survey_question_count(sv);
    for (q = 0; q < nq + 2 && !csat_session_ended(t.side[0].s); q++) {
      static const char *const pick[] = {"1", "2", "5", ""};
      const char *a = pick[(answers >> (2 * (q % 4))) & 3u];
      memset(&e, 0, sizeof e);
      e.kind = (q % 3 == 2) ? FZ_EV_RECORDED : FZ_EV_INPUT;
      if (e.kind == FZ_EV_RECORDED)
        a = "c.wav";
      e.ndigits = strlen(a);
      memcpy(e.digits, a, e.ndigits < sizeof e.digits ? e.ndigits : sizeof e.digits);
      if (e.ndigits > sizeof e.digits)
        e.ndigits = sizeof e.digits;
      e.now = (now += 1000);
      fz_twin_step(&t, &e);
      if (q == 0)
        fz_check_exports(t.side[0].s, sv);
    }
    memset(&e, 0, sizeof e);
    e.kind = FZ_EV_HANGUP;
    e.now = (now += 1000);
    fz_twin_step(&t, &e);
  }
  fz_check_exports(t.side[0].s, sv);
  fz_twin_free(&t);
  return 0;
}
