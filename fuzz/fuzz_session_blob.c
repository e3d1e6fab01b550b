/*
 * Fuzz target: csat_session_restore on hostile blobs.
 *
 * The input is a blob for the fixed survey fz_surveys[FZ_BLOB_SURVEY]. When it
 * restores, the session is saved again; that blob must restore and re-save
 * byte-identically, must be refused for a survey with other content, and must
 * be refused when truncated or altered (the format is checksummed). Then both
 * sessions get the same few events and must behave identically, and the
 * restored session must honour the same contract as a fresh one.
 *
 * The blob ends in a CRC-32 of every byte before it (src/lib/session/session_blob.c), so
 * almost every mutation would stop at the checksum. The input is restored as
 * it is (checksum path) and then "fixed": the survey fingerprint after the
 * blob's survey id and version is replaced by the current one (so that seeds
 * outlive changes to the survey model) and the last 4 bytes by the right CRC,
 * which lets mutations reach the field validation behind them.
 * SPDX-License-Identifier: MIT
 */
#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The blob survey with one setting changed: same id and version, other content. */
static const csat_survey *fz_other_survey(void) {
  static csat_survey *other;
  if (other == NULL) {
    const char *src = fz_surveys[FZ_BLOB_SURVEY].json;
    size_t n = strlen(src);
    char *copy = malloc(n + 1);
    char *at;
    FZ_CHECK(copy != NULL);
    memcpy(copy, src, n + 1);
    at = strstr(copy, "\"below\":3");
    FZ_CHECK(at != NULL);
    at[8] = '4';
    FZ_CHECK(csat_survey_from_json(&other, copy, n, NULL, NULL) == CSAT_OK);
    free(copy);
  }
  return other;
}

static int fz_restore(csat_session **out, const csat_survey *sv, const void *blob, size_t len,
                      fz_side *side, csat_error *err) {
  int rc;
  *out = NULL;
  memset(err, 0, sizeof *err);
  err->struct_size = sizeof *err;
  side->h.in_restore = 1;
  rc = csat_session_restore(out, sv, blob, len, &side->vt, NULL, err);
  side->h.in_restore = 0;
  if (rc != CSAT_OK) {
    FZ_CHECK(rc == CSAT_ERR_BLOB || rc == CSAT_ERR_BLOB_VERSION || rc == CSAT_ERR_LIMIT ||
             rc == CSAT_ERR_UTF8 || rc == CSAT_ERR_NOMEM || rc == CSAT_ERR_INVALID_ARG ||
             rc == CSAT_ERR_MISMATCH);
    FZ_CHECK(err->code == rc);
    FZ_CHECK(memchr(err->message, '\0', sizeof err->message) != NULL);
    FZ_CHECK(err->offset <= len);
  } else {
    FZ_CHECK(*out != NULL);
  }
  return rc;
}

/* The blob of a fresh session: "CSAT" u8 format, str survey id, sv version,
 * 8 bytes fingerprint, ... Returns the length of the prefix up to the
 * fingerprint (0 if the layout is not the expected one). */
static size_t fz_reference_prefix(const unsigned char **ref_out) {
  static unsigned char *ref;
  static size_t ref_len, prefix;
  if (ref == NULL) {
    fz_host h;
    csat_host vt;
    csat_contact c;
    csat_session *s = NULL;
    memset(&h, 0, sizeof h);
    fz_host_setup(&h, &vt, 0);
    memset(&c, 0, sizeof c);
    c.struct_size = sizeof c;
    c.contact_id = "ref";
    c.channel = CSAT_CHANNEL_VOICE;
    FZ_CHECK(csat_session_new(&s, fz_survey_get(FZ_BLOB_SURVEY), &c, &vt, NULL) == CSAT_OK);
    ref = fz_save(s, &ref_len);
    csat_session_free(s);
    fz_host_free(&h);
    if (ref_len > 6 && ref[5] < 0x80 && ref_len > 7u + ref[5] + 8u && ref[6 + ref[5]] < 0x80)
      prefix = 7u + ref[5];
  }
  *ref_out = ref;
  return prefix;
}

/* CRC-32 (IEEE 802.3, reflected, as zlib's crc32), bit by bit. */
static uint32_t fz_crc32(const unsigned char *p, size_t n) {
  uint32_t crc = 0xffffffffu;
  size_t i;
  int k;
  for (i = 0; i < n; i++) {
    crc ^= p[i];
    for (k = 0; k < 8; k++)
      crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

static int64_t fz_latest_time(const csat_result *r) {
  int64_t t = csat_result_started_ms(r);
  int32_t i, n = csat_result_answer_count(r);
  if (csat_result_ended_ms(r) > t)
    t = csat_result_ended_ms(r);
  for (i = 0; i < n; i++) {
    csat_answer a;
    memset(&a, 0, sizeof a);
    a.struct_size = sizeof a;
    if (csat_result_answer(r, i, &a) == CSAT_OK && a.answered_ms > t)
      t = a.answered_ms;
  }
  return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const csat_survey *sv = fz_survey_get(FZ_BLOB_SURVEY);
  fz_twin t;
  csat_error err;
  csat_session *other = NULL;
  unsigned char *b1, *b2, *bad, *fixed;
  size_t len1 = 0, len2 = 0, i;
  int rc;
  int64_t now;
  static const struct {
    int kind;
    const char *digits;
    int fail_on;
    unsigned fail_mask;
  } script[] = {
      {FZ_EV_REPEAT, "", 0, 0},    {FZ_EV_INPUT, "1", 0, 0},        {FZ_EV_NO_INPUT, "", 1, 0x01},
      {FZ_EV_INPUT, "2#", 0, 0},   {FZ_EV_RECORDED, "r.wav", 0, 0}, {FZ_EV_INPUT, "1", 0, 0},
      {FZ_EV_HANGUP, "", 1, 0x02}, {FZ_EV_FLUSH, "", 0, 0},
  };

  memset(&t, 0, sizeof t);
  t.survey = sv;
  t.lax_times = 1;
  for (i = 0; i < 2; i++) {
    fz_host *h = &t.side[i].h;
    fz_host_setup(h, &t.side[i].vt, 0);
    h->survey_json = fz_surveys[FZ_BLOB_SURVEY].json;
    h->default_language = fz_surveys[FZ_BLOB_SURVEY].default_language;
    h->transfer_target = fz_surveys[FZ_BLOB_SURVEY].transfer_target;
    h->question_count = csat_survey_question_count(sv);
  }

  /* As it is: the checksum decides. */
  rc = fz_restore(&other, sv, data, size, &t.side[0], &err);
  csat_session_free(other);
  other = NULL;
  if (size < 9) {
    FZ_CHECK(rc != CSAT_OK);
    fz_twin_free(&t);
    return 0;
  }
  /* With the checksum made right: the fields decide. */
  fixed = malloc(size);
  FZ_CHECK(fixed != NULL);
  memcpy(fixed, data, size);
  {
    const unsigned char *ref;
    size_t prefix = fz_reference_prefix(&ref);
    if (prefix > 0 && size >= prefix + 8 + 4 && memcmp(fixed, ref, prefix) == 0)
      memcpy(fixed + prefix, ref + prefix, 8);
  }
  {
    uint32_t crc = fz_crc32(fixed, size - 4);
    for (i = 0; i < 4; i++)
      fixed[size - 4 + i] = (unsigned char)(crc >> (8 * i));
  }
  if (rc == CSAT_OK) /* the blob was right as it was */
    FZ_CHECK(memcmp(fixed, data, size) == 0);
  rc = fz_restore(&t.side[0].s, sv, fixed, size, &t.side[0], &err);
  if (rc != CSAT_OK) {
    free(fixed);
    fz_twin_free(&t);
    return 0;
  }
  /* Content is part of the identity. */
  rc = fz_restore(&other, fz_other_survey(), fixed, size, &t.side[1], &err);
  FZ_CHECK(rc == CSAT_ERR_MISMATCH);
  free(fixed);

  b1 = fz_save(t.side[0].s, &len1);
  fz_save_conventions(t.side[0].s, b1, len1);
  rc = fz_restore(&t.side[1].s, sv, b1, len1, &t.side[1], &err);
  FZ_CHECK(rc == CSAT_OK);
  b2 = fz_save(t.side[1].s, &len2);
  FZ_CHECK(len1 == len2 && memcmp(b1, b2, len1) == 0);
  free(b2);

  /* Truncated or altered blobs are refused. */
  bad = malloc(len1);
  FZ_CHECK(bad != NULL);
  memcpy(bad, b1, len1);
  rc = fz_restore(&other, sv, bad, len1 - 1, &t.side[1], &err);
  FZ_CHECK(rc != CSAT_OK);
  rc = fz_restore(&other, sv, bad, len1 / 2, &t.side[1], &err);
  FZ_CHECK(rc != CSAT_OK);
  i = (size_t)data[0] * 131u % len1;
  bad[i] ^= (unsigned char)(1u << (data[size - 1] % 8u));
  rc = fz_restore(&other, sv, bad, len1, &t.side[1], &err);
  if (rc == CSAT_OK) {
    fprintf(stderr, "altered byte %zu of %zu still restores\n", i, len1);
    csat_session_free(other);
  }
  FZ_CHECK(rc != CSAT_OK);
  free(bad);
  free(b1);

  fz_twin_begin(&t);
  fz_check_result(csat_session_result(t.side[0].s), sv, 0);

  /* Drive it: the restored session must be usable and keep the contract. */
  now = fz_latest_time(csat_session_result(t.side[0].s));
  if (now < 1700000000000)
    now = 1700000000000;
  if (now < INT64_MAX / 2) {
    for (i = 0; i < sizeof script / sizeof script[0]; i++) {
      fz_event e;
      memset(&e, 0, sizeof e);
      e.kind = script[i].kind;
      e.ndigits = strlen(script[i].digits);
      memcpy(e.digits, script[i].digits, e.ndigits);
      e.fail_on = script[i].fail_on;
      e.fail_mask = script[i].fail_mask;
      now += 1000;
      e.now = now;
      fz_twin_step(&t, &e);
    }
  }
  fz_twin_free(&t);
  return 0;
}
