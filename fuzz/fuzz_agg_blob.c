/*
 * Fuzz target: saved aggregator state (csat_agg_restore and everything that
 * reads a restored aggregator).
 *
 * Input layout:
 *   byte 0  bits 0-2: one of the fixed configurations of fuzz_agg.h (mod
 *           FZA_NCFG), the "operations" configuration B; bits 3-7: report
 *           flags (CSAT_REPORT_*)
 *   rest    the blob
 *
 * The blob is restored as it is; when that fails it is restored again with
 * its checksum (u64 LE FNV-1a of everything before the last 8 bytes)
 * recomputed, so that mutations get past the checksum. Restoring with B's
 * local_time callback a blob saved with a fixed offset must give MISMATCH
 * (then it is restored without the callback).
 *
 * Invariants: restore fails only with BLOB, BLOB_VERSION or LIMIT (and an
 * error struct that says so); a restored aggregator saves (size query, short
 * buffer, exact buffer) to a canonical blob that restores (with another hash
 * seed) and saves to the same bytes, and a blob accepted unmodified is
 * already canonical (FUZZ_AGG_LAX_CANON=1 skips that); every group's metrics
 * and the total satisfy fza_check_metrics and add up; CSV and JSON reports
 * follow the buffer conventions and are valid; merging the state into an
 * empty aggregator of B, as an aggregator or as a blob, succeeds exactly
 * when the blob's configuration is B's (the configuration prefix of the
 * blob equals that of B's empty blob) and then saves to the same bytes,
 * otherwise fails with MISMATCH and changes nothing; merging the empty B
 * into the state gives the same answer and changes nothing; merging the
 * state into a copy of itself (and into itself) doubles it or fails with
 * LIMIT, changing nothing.
 * SPDX-License-Identifier: MIT
 */
#include "fuzz_agg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t fnv1a64(const unsigned char *p, size_t n) {
  uint64_t h = 0xcbf29ce484222325ull;
  size_t i;
  for (i = 0; i < n; i++) {
    h ^= p[i];
    h *= 0x100000001b3ull;
  }
  return h;
}

static void check_err(const csat_error *e, int rc, size_t len) {
  FZ_CHECK(e->code == rc);
  FZ_CHECK(memchr(e->message, 0, sizeof e->message) != NULL);
  FZ_CHECK(e->message[0] != '\0');
  FZ_CHECK(e->offset <= len);
}

/* Restore with B's parameters, then (MISMATCH) without a callback. */
static int restore_one(unsigned sel, uint32_t seed, const unsigned char *p, size_t n,
                       csat_agg **out, int *cb) {
  csat_error e;
  csat_agg_config c;
  int rc;
  memset(&e, 0, sizeof e);
  e.struct_size = sizeof e;
  rc = fza_restore(out, sel, seed, p, n, &e);
  *cb = 1;
  if (rc == CSAT_ERR_MISMATCH) {
    fza_config(sel, seed, &c);
    FZ_CHECK(c.local_time != NULL);
    FZ_CHECK(*out == NULL);
    check_err(&e, rc, n);
    c.local_time = NULL;
    c.time_zone = NULL;
    memset(&e, 0, sizeof e);
    e.struct_size = sizeof e;
    rc = csat_agg_restore(out, p, n, &c, NULL, &e);
    *cb = 0;
    FZ_CHECK(rc != CSAT_ERR_MISMATCH);
  }
  if (rc == CSAT_OK) {
    FZ_CHECK(*out != NULL);
  } else {
    FZ_CHECK(*out == NULL);
    FZ_CHECK(rc == CSAT_ERR_BLOB || rc == CSAT_ERR_BLOB_VERSION || rc == CSAT_ERR_LIMIT);
    check_err(&e, rc, n);
  }
  return rc;
}

static int64_t total_count(csat_agg *a) {
  csat_metrics m;
  (void)csat_agg_group_count(a);
  memset(&m, 0, sizeof m);
  m.struct_size = sizeof m;
  FZ_CHECK(csat_agg_metrics(a, CSAT_AGG_ALL, &m) == CSAT_OK);
  return m.count + m.contacts;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  unsigned sel;
  uint32_t flags, seed;
  const unsigned char *blob;
  unsigned char *fixed = NULL, *s = NULL, *s2 = NULL, *eb = NULL, *t = NULL;
  size_t n, slen, s2len, eblen, tlen, pre;
  csat_agg *r = NULL, *r2 = NULL, *b = NULL;
  csat_error e;
  int rc, cb, as_is = 1, match, want;
  csat_metrics total;

  if (size < 1)
    return 0;
  sel = (unsigned)(data[0] & 7u) % FZA_NCFG;
  flags = (uint32_t)(data[0] >> 3) & 0x1fu;
  blob = data + 1;
  n = size - 1;
  seed = (uint32_t)size * 2654435761u;

  rc = restore_one(sel, seed, blob, n, &r, &cb);
  if (rc != CSAT_OK && n >= 16) {
    uint64_t h;
    size_t i;
    fixed = malloc(n);
    FZ_CHECK(fixed != NULL);
    memcpy(fixed, blob, n);
    h = fnv1a64(fixed, n - 8);
    for (i = 0; i < 8; i++)
      fixed[n - 8 + i] = (unsigned char)(h >> (8 * i));
    as_is = 0;
    rc = restore_one(sel, seed, fixed, n, &r, &cb);
  }
  if (rc != CSAT_OK) {
    free(fixed);
    return 0;
  }

  /* Canonical form. */
  s = fza_save(r, &slen);
  if (as_is && getenv("FUZZ_AGG_LAX_CANON") == NULL)
    FZ_CHECK(fza_same(s, slen, blob, n));
  {
    csat_agg_config c;
    fza_config(sel, seed ^ 0xa5a5a5a5u, &c);
    if (!cb) {
      c.local_time = NULL;
      c.time_zone = NULL;
    }
    memset(&e, 0, sizeof e);
    e.struct_size = sizeof e;
    FZ_CHECK(csat_agg_restore(&r2, s, slen, &c, NULL, &e) == CSAT_OK);
  }
  s2 = fza_save(r2, &s2len);
  FZ_CHECK(fza_same(s, slen, s2, s2len));
  free(s2);
  s2 = NULL;

  /* Metrics and reports. */
  (void)fza_check_all_metrics(r, &total);
  fza_check_report(r, 0, flags);
  fza_check_report(r, 1, flags & ~(uint32_t)CSAT_REPORT_NO_HEADER);

  /* Merging into an empty aggregator of configuration B. */
  b = fza_new(sel, seed + 1);
  eb = fza_save(b, &eblen);
  /* B's empty blob: magic, version, configuration, 0 strings, 0 groups, checksum. */
  FZ_CHECK(eblen >= 18 && eb[eblen - 10] == 0 && eb[eblen - 9] == 0);
  pre = eblen - 10;
  match = slen >= pre && memcmp(s, eb, pre) == 0;
  want = match ? CSAT_OK : CSAT_ERR_MISMATCH;

  /* The empty B into the state: identity or MISMATCH, nothing changes. */
  FZ_CHECK(csat_agg_merge(r, b) == want);
  if (!match)
    FZ_CHECK(csat_agg_errmsg(r)[0] != '\0');
  t = fza_save(r, &tlen);
  FZ_CHECK(fza_same(t, tlen, s, slen));
  free(t);

  rc = csat_agg_merge(b, r);
  FZ_CHECK(rc == want);
  t = fza_save(b, &tlen);
  if (match) {
    FZ_CHECK(fza_same(t, tlen, s, slen));
  } else {
    FZ_CHECK(csat_agg_errmsg(b)[0] != '\0');
    FZ_CHECK(fza_same(t, tlen, eb, eblen));
  }
  free(t);
  csat_agg_free(b);

  b = fza_new(sel, seed + 2);
  memset(&e, 0, sizeof e);
  e.struct_size = sizeof e;
  rc = csat_agg_merge_blob(b, s, slen, &e);
  FZ_CHECK(rc == want);
  t = fza_save(b, &tlen);
  if (match) {
    FZ_CHECK(fza_same(t, tlen, s, slen));
  } else {
    check_err(&e, rc, slen);
    FZ_CHECK(fza_same(t, tlen, eb, eblen));
  }
  free(t);
  csat_agg_free(b);

  /* The input itself (as restored, checksum fixed or not) merges likewise. */
  b = fza_new(sel, seed + 3);
  rc = csat_agg_merge_blob(b, fixed ? fixed : blob, n, NULL);
  FZ_CHECK(rc == want);
  t = fza_save(b, &tlen);
  FZ_CHECK(fza_same(t, tlen, match ? s : eb, match ? slen : eblen));
  free(t);
  csat_agg_free(b);

  /* Doubling: into a copy, and into itself; both give the same state. */
  {
    int64_t before = total.count + total.contacts;
    int rc1 = csat_agg_merge(r2, r), rc2;
    FZ_CHECK(rc1 == CSAT_OK || rc1 == CSAT_ERR_LIMIT);
    s2 = fza_save(r2, &s2len);
    if (rc1 == CSAT_OK) {
      FZ_CHECK(total_count(r2) == 2 * before);
    } else {
      FZ_CHECK(fza_same(s2, s2len, s, slen));
    }
    rc2 = csat_agg_merge(r, r);
    FZ_CHECK(rc2 == rc1);
    t = fza_save(r, &tlen);
    FZ_CHECK(fza_same(t, tlen, s2, s2len));
    free(t);
    if (rc1 == CSAT_OK)
      (void)fza_check_all_metrics(r, NULL);
  }

  free(s2);
  free(eb);
  free(s);
  free(fixed);
  csat_agg_free(r2);
  csat_agg_free(r);
  return 0;
}
