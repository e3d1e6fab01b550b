/*
 * Fuzz target: aggregation of hostile answers (csat_agg_add_answer, the
 * resolve/add_scores fast path, merge, save/restore, metrics, reports).
 *
 * Input layout:
 *   byte 0  bits 0-2: one of the fixed configurations of fuzz_agg.h (mod
 *           FZA_NCFG); bits 3-7: report flags (CSAT_REPORT_*)
 *   byte 1  the split: bit 7 clear: rows before index (b & 0x7f) go to A,
 *           the others to B; bit 7 set: row i goes to A when bit (i % 7) of
 *           b is set
 *   rest    rows as fza_decode reads them (hostile strings, valid and
 *           invalid UTF-8, scales and scores out of range, times negative
 *           and huge, comments in several languages or raw bytes, long
 *           values and comments), at most FZ_MAX_ROWS
 *
 * ALL ingests every row in order with csat_agg_add_answer; REV every row in
 * reverse order with another hash seed; BATCH every row through
 * csat_agg_add_answers (resuming after each refused row); A and B their share of the rows,
 * rows marked "fast" through csat_agg_resolve + csat_agg_add_scores.
 *
 * Invariants: each row gets the same code from ALL and from its side (one of
 * OK, INVALID_ARG, LIMIT, UTF8; a fast row with two faults may name
 * either); BATCH stops only at rows ALL refused, with their codes; REV and
 * BATCH save to ALL's bytes; merge(A, B),
 * merge(B, A) (each on a restored copy), merging both blobs into an empty
 * aggregator, and merge(A, B) in place all save to ALL's bytes; ALL's blob
 * restores and saves to the same bytes; ALL's metrics satisfy
 * fza_check_metrics and add up; reports follow the buffer conventions.
 * SPDX-License-Identifier: MIT
 */
#include "fuzz_agg.h"

#include <stdlib.h>
#include <string.h>

#define FZ_MAX_ROWS 64

static void check_code(int rc) {
  FZ_CHECK(rc == CSAT_OK || rc == CSAT_ERR_INVALID_ARG || rc == CSAT_ERR_LIMIT ||
           rc == CSAT_ERR_UTF8);
}

static void expect_blob(csat_agg *a, const unsigned char *want, size_t wlen) {
  size_t len;
  unsigned char *b = fza_save(a, &len);
  FZ_CHECK(fza_same(b, len, want, wlen));
  free(b);
}

static csat_agg *restored(unsigned sel, uint32_t seed, const unsigned char *b, size_t len) {
  csat_agg *a = NULL;
  FZ_CHECK(fza_restore(&a, sel, seed, b, len, NULL) == CSAT_OK);
  return a;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz_in in;
  fza_row *rows;
  size_t nrows = 0, i, sa_len, sb_len, sall_len;
  unsigned sel;
  uint32_t flags, seed;
  uint8_t split;
  csat_agg *all, *rev, *batch, *side[2], *x;
  unsigned char *sa, *sb, *sall;
  int codes[FZ_MAX_ROWS];

  if (size < 2)
    return 0;
  sel = (unsigned)(data[0] & 7u) % FZA_NCFG;
  flags = (uint32_t)(data[0] >> 3) & 0x1fu;
  split = data[1];
  seed = (uint32_t)size * 0x9e3779b9u;
  in.p = data + 2;
  in.n = size - 2;
  in.i = 0;
  rows = malloc(FZ_MAX_ROWS * sizeof *rows);
  FZ_CHECK(rows != NULL);
  while (fz_more(&in) && nrows < FZ_MAX_ROWS)
    fza_decode(&in, &rows[nrows++]);

  all = fza_new(sel, seed);
  rev = fza_new(sel, ~seed);
  side[0] = fza_new(sel, seed + 1);
  side[1] = fza_new(sel, seed + 2);
  for (i = 0; i < nrows; i++) {
    int to_b = (split & 0x80u) ? !((split >> (i % 7)) & 1u) : i >= (size_t)(split & 0x7fu);
    int rc = fza_ingest(all, &rows[i], 0);
    int rc2 = fza_ingest(side[to_b], &rows[i], 1);
    check_code(rc);
    check_code(rc2);
    /* The fast path reads no score when resolving: a row with two faults
     * may report another of them first. */
    FZ_CHECK(rc == rc2 || (rows[i].fast && rc != CSAT_OK && rc2 != CSAT_OK));
    codes[i] = rc;
  }
  for (i = nrows; i-- > 0;)
    FZ_CHECK(csat_agg_add_answer(rev, &rows[i].a) == codes[i]);
  /* BATCH: every row through csat_agg_add_answers, restarting after each
   * failing row; each stop must be at a row ALL refused, with its code. */
  {
    csat_agg_answer *flat = malloc((nrows ? nrows : 1) * sizeof *flat);
    size_t at = 0, done, k;
    FZ_CHECK(flat != NULL);
    for (k = 0; k < nrows; k++)
      flat[k] = rows[k].a;
    batch = fza_new(sel, seed + 7);
    while (at < nrows) {
      int rc = csat_agg_add_answers(batch, &flat[at], nrows - at, &done);
      FZ_CHECK(done <= nrows - at);
      for (k = at; k < at + done; k++)
        FZ_CHECK(codes[k] == CSAT_OK);
      if (rc == CSAT_OK) {
        FZ_CHECK(done == nrows - at);
        break;
      }
      FZ_CHECK(rc == codes[at + done]);
      at += done + 1;
    }
    free(flat);
  }

  sall = fza_save(all, &sall_len);
  expect_blob(rev, sall, sall_len);
  expect_blob(batch, sall, sall_len);
  sa = fza_save(side[0], &sa_len);
  sb = fza_save(side[1], &sb_len);

  /* merge(A, B) and merge(B, A) on restored copies */
  x = restored(sel, seed + 3, sa, sa_len);
  FZ_CHECK(csat_agg_merge(x, side[1]) == CSAT_OK);
  expect_blob(x, sall, sall_len);
  csat_agg_free(x);
  x = restored(sel, seed + 4, sb, sb_len);
  FZ_CHECK(csat_agg_merge(x, side[0]) == CSAT_OK);
  expect_blob(x, sall, sall_len);
  csat_agg_free(x);
  /* both blobs into an empty aggregator, B first */
  x = fza_new(sel, seed + 5);
  FZ_CHECK(csat_agg_merge_blob(x, sb, sb_len, NULL) == CSAT_OK);
  FZ_CHECK(csat_agg_merge_blob(x, sa, sa_len, NULL) == CSAT_OK);
  expect_blob(x, sall, sall_len);
  csat_agg_free(x);
  /* in place */
  FZ_CHECK(csat_agg_merge(side[0], side[1]) == CSAT_OK);
  expect_blob(side[0], sall, sall_len);
  /* canonical */
  x = restored(sel, seed + 6, sall, sall_len);
  expect_blob(x, sall, sall_len);
  csat_agg_free(x);

  (void)fza_check_all_metrics(all, NULL);
  if (flags & 1u)
    fza_check_report(all, 1, flags & ~(uint32_t)CSAT_REPORT_NO_HEADER);
  else
    fza_check_report(all, 0, flags);

  free(sa);
  free(sb);
  free(sall);
  csat_agg_free(side[0]);
  csat_agg_free(side[1]);
  csat_agg_free(rev);
  csat_agg_free(batch);
  csat_agg_free(all);
  free(rows);
  return 0;
}
