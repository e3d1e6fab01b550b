/*
 * Fuzz target: aggregation of hostile answers (csat_agg_add_answer, the
 * resolve/add_scores fast path, csat_agg_add_answers, csat_agg_add_records,
 * merge, save/restore, metrics, reports).
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
 *           values and comments), at most FZ_MAX_ROWS; a row's first byte
 *           (fza_row.op) marks it fast (bit 0) and, for GRP, asks to join
 *           the record before it (bit 1, xor a bit of the input's size)
 *
 * ALL ingests every row in order with csat_agg_add_answer; REV every row in
 * reverse order with another hash seed; BATCH every row through
 * csat_agg_add_answers (resuming after each refused row); A and B their share of the rows,
 * rows marked "fast" through csat_agg_resolve + csat_agg_add_scores.
 * REC makes each row a record of one answer (its key, time and contact
 * figures, its question, scale, score and comment: the same meaning) and
 * ingests them through csat_agg_add_records in calls of 1 to 11 records or
 * all at once (from the input's size), resuming after each refused record.
 * GRP joins consecutive rows into records of several answers (the key, time
 * and figures of the first) wherever a record means what its rows would
 * mean: no comment without a score after the first answer (it would take the
 * record's polarity), no score or comment after a first answer without a
 * score (the record would count answered), grouped by question no question
 * twice (the contact counts once per group), no row that counts nothing
 * joined or joined to (a record reads every answer, a row that counts
 * nothing is not read); EXPG gets those rows (the
 * contact's figures on the first, or on every row when grouped by question)
 * when none of them is refused.
 *
 * Invariants: each row gets the same code from ALL and from its side (one of
 * OK, INVALID_ARG, LIMIT, UTF8; a fast row with two faults may name
 * either); BATCH stops only at rows ALL refused, with their codes; REC
 * refuses exactly the records whose row ALL refused, with the row's code;
 * GRP refuses exactly the records with a refused row (with a code of its
 * own choosing when several faults compete) and counts nothing of them;
 * both name the record ("record N: "); REV, BATCH and REC save to ALL's
 * bytes, GRP to EXPG's; merge(A, B),
 * merge(B, A) (each on a restored copy), merging both blobs into an empty
 * aggregator, and merge(A, B) in place all save to ALL's bytes; ALL's save
 * follows the buffer conventions (the others are saved once each), its blob
 * restores and saves to the same bytes; ALL's metrics satisfy
 * fza_check_metrics and add up; reports follow the buffer conventions.
 * SPDX-License-Identifier: MIT
 */
#include "fuzz_agg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FZ_MAX_ROWS 64

static void check_code(int rc) {
  FZ_CHECK(rc == CSAT_OK || rc == CSAT_ERR_INVALID_ARG || rc == CSAT_ERR_LIMIT ||
           rc == CSAT_ERR_UTF8);
}

/* One scratch buffer for the saves that are only compared (reused across
 * inputs: three saves per blob, the buffer conventions, made this target
 * spend most of its time saving; fza_save checks them on ALL's blob). */
static unsigned char *scratch;
static size_t scratch_cap;

static void expect_blob(csat_agg *a, const unsigned char *want, size_t wlen) {
  size_t len = fza_save_into(a, &scratch, &scratch_cap);
  FZ_CHECK(fza_same(scratch, len, want, wlen));
}

/* A save in a malloc'd buffer of exactly *len bytes (restores read it: an
 * overread is caught), with one call to csat_agg_save when the scratch
 * buffer is large enough. */
static unsigned char *save_exact(const csat_agg *a, size_t *len) {
  unsigned char *b;
  *len = fza_save_into(a, &scratch, &scratch_cap);
  b = malloc(*len);
  FZ_CHECK(b != NULL);
  memcpy(b, scratch, *len);
  return b;
}

static csat_agg *restored(unsigned sel, uint32_t seed, const unsigned char *b, size_t len) {
  csat_agg *a = NULL;
  FZ_CHECK(fza_restore(&a, sel, seed, b, len, NULL) == CSAT_OK);
  return a;
}

/* ---- records ---- */

static int by_question(unsigned sel) {
  csat_agg_config c;
  fza_config(sel, 0, &c);
  return (c.dimensions & CSAT_DIM_QUESTION) != 0;
}

static int has_comment(const char *c) { return c != NULL && c[0] != '\0'; }

static int same_str(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : "") == 0; }

/* The record of row k's key, time and contact figures, without answers. */
static void record_of(const csat_agg_answer *r, csat_agg_record *o) {
  memset(o, 0, sizeof *o);
  o->struct_size = sizeof *o;
  o->time_ms = r->time_ms;
  o->agent_id = r->agent_id;
  o->queue_id = r->queue_id;
  o->department = r->department;
  o->channel = r->channel;
  o->survey_id = r->survey_id;
  o->language = r->language;
  o->attribute = r->attribute;
  o->outcome = r->outcome;
  o->flagged = r->flagged;
  o->escalation = r->escalation;
  o->wait_ms = r->wait_ms;
  o->talk_ms = r->talk_ms;
}

static void answer_of(const csat_agg_answer *r, csat_agg_record_answer *o) {
  memset(o, 0, sizeof *o);
  o->struct_size = sizeof *o;
  o->question_id = r->question_id;
  o->scale_min = r->scale_min;
  o->scale_max = r->scale_max;
  o->score = r->score;
  o->comment = r->comment;
}

/* The message of a refused record names it. */
static void check_named(const csat_agg *a, size_t index) {
  char want[32];
  snprintf(want, sizeof want, "record %u: ", (unsigned)index);
  FZ_CHECK(strncmp(csat_agg_errmsg(a), want, strlen(want)) == 0);
}

/* Ingest recs[0..n) in calls of `chunk` records, resuming after each
 * refused record; codes[i] receives record i's code. */
static void add_records_all(csat_agg *a, const csat_agg_record *recs, size_t n, size_t chunk,
                            int *codes) {
  size_t at = 0, done, k;
  while (at < n) {
    size_t want = chunk < n - at ? chunk : n - at;
    int rc = csat_agg_add_records(a, &recs[at], want, &done);
    FZ_CHECK(done <= want);
    for (k = at; k < at + done; k++)
      codes[k] = CSAT_OK;
    if (rc == CSAT_OK) {
      FZ_CHECK(done == want);
      at += want;
      continue;
    }
    check_code(rc);
    FZ_CHECK(rc != CSAT_OK && done < want);
    check_named(a, done);
    codes[at + done] = rc;
    at += done + 1;
  }
}

/* REC: one record per row. Returns the aggregator. */
static csat_agg *ingest_rec(unsigned sel, uint32_t seed, const fza_row *rows, size_t nrows,
                            size_t chunk, const int *codes) {
  csat_agg_record *recs = malloc((nrows ? nrows : 1) * sizeof *recs);
  csat_agg_record_answer *ans = malloc((nrows ? nrows : 1) * sizeof *ans);
  int got[FZ_MAX_ROWS];
  csat_agg *a = fza_new(sel, seed);
  size_t k;
  FZ_CHECK(recs != NULL && ans != NULL);
  for (k = 0; k < nrows; k++) {
    record_of(&rows[k].a, &recs[k]);
    answer_of(&rows[k].a, &ans[k]);
    recs[k].answers = &ans[k];
    recs[k].answer_count = 1;
  }
  add_records_all(a, recs, nrows, chunk, got);
  for (k = 0; k < nrows; k++)
    FZ_CHECK(got[k] == codes[k]);
  free(recs);
  free(ans);
  return a;
}

/* GRP: consecutive rows joined into records where that keeps their meaning
 * (see the header); *expg receives the rows' aggregator. */
static csat_agg *ingest_grp(unsigned sel, uint32_t seed, const fza_row *rows, size_t nrows,
                            csat_agg **expg) {
  int byq = by_question(sel);
  size_t cap = nrows ? nrows : 1, start[FZ_MAX_ROWS + 1], ng = 0, g, k, j;
  csat_agg_record *recs = malloc(cap * sizeof *recs);
  csat_agg_record_answer *ans = malloc(cap * sizeof *ans);
  csat_agg_answer *grows = malloc(cap * sizeof *grows);
  int want[FZ_MAX_ROWS], got[FZ_MAX_ROWS];
  csat_agg *a = fza_new(sel, seed), *val = fza_new(sel, seed + 1);
  FZ_CHECK(recs != NULL && ans != NULL && grows != NULL);
  *expg = fza_new(sel, seed + 2);
  for (k = 0; k < nrows; k++) {
    const csat_agg_answer *r = &rows[k].a;
    int join = k > 0 && ((((unsigned)rows[k].op >> 1) ^ (seed >> (k % 32))) & 1u);
    if (join) {
      const csat_agg_answer *f = &rows[start[ng - 1]].a;
      if (has_comment(r->comment) && r->score < 0)
        join = 0; /* its polarity would come from the record's earlier scores */
      if (!byq && f->score < 0 && (r->score != -1 || r->comment != NULL))
        join = 0; /* it could make the contact answered */
      if ((r->score < 0 && !has_comment(r->comment)) ||
          (f->score < 0 && !has_comment(f->comment) && f->outcome == 0))
        join = 0; /* a record reads every answer; a row that counts nothing is not read */
      for (j = start[ng - 1]; join && byq && j < k; j++)
        if (same_str(rows[j].a.question_id, r->question_id))
          join = 0; /* one group, one contact */
    }
    if (!join)
      start[ng++] = k;
  }
  start[ng] = nrows;
  for (g = 0; g < ng; g++) {
    size_t b = start[g], e = start[g + 1];
    const csat_agg_answer *f = &rows[b].a;
    record_of(f, &recs[g]);
    recs[g].answers = &ans[b];
    recs[g].answer_count = e - b;
    want[g] = CSAT_OK;
    for (k = b; k < e; k++) {
      csat_agg_answer *y = &grows[k];
      int rc;
      answer_of(&rows[k].a, &ans[k]);
      *y = *f;
      y->question_id = rows[k].a.question_id;
      y->scale_min = rows[k].a.scale_min;
      y->scale_max = rows[k].a.scale_max;
      y->score = rows[k].a.score;
      y->comment = rows[k].a.comment;
      if (k > b && !byq) {
        y->outcome = 0;
        y->flagged = 0;
        y->escalation = 0;
        y->wait_ms = -1;
        y->talk_ms = -1;
      }
      rc = csat_agg_add_answer(val, y); /* codes do not depend on the state */
      check_code(rc);
      if (want[g] == CSAT_OK)
        want[g] = rc;
    }
    if (want[g] == CSAT_OK)
      FZ_CHECK(csat_agg_add_answers(*expg, &grows[b], e - b, NULL) == CSAT_OK);
  }
  add_records_all(a, recs, ng, ng ? ng : 1, got);
  for (g = 0; g < ng; g++)
    FZ_CHECK((got[g] == CSAT_OK) == (want[g] == CSAT_OK));
  csat_agg_free(val);
  free(recs);
  free(ans);
  free(grows);
  return a;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz_in in;
  fza_row *rows;
  size_t nrows = 0, i, sa_len, sb_len, sall_len;
  unsigned sel;
  uint32_t flags, seed;
  uint8_t split;
  csat_agg *all, *rev, *batch, *rec, *grp, *expg, *side[2], *x;
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

  rec = ingest_rec(sel, seed + 8, rows, nrows, size % 5 == 0 ? FZ_MAX_ROWS : 1 + size % 11, codes);
  grp = ingest_grp(sel, seed + 9, rows, nrows, &expg);

  sall = fza_save(all, &sall_len);
  expect_blob(rev, sall, sall_len);
  expect_blob(batch, sall, sall_len);
  expect_blob(rec, sall, sall_len);
  {
    size_t elen;
    unsigned char *e = save_exact(expg, &elen);
    expect_blob(grp, e, elen);
    free(e);
  }
  sa = save_exact(side[0], &sa_len);
  sb = save_exact(side[1], &sb_len);

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
  csat_agg_free(rec);
  csat_agg_free(grp);
  csat_agg_free(expg);
  csat_agg_free(all);
  free(rows);
  return 0;
}
