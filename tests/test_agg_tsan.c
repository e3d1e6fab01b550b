/*
 * The aggregator's readers (csat.h, "Threads") are read-only in fact:
 * several threads save, read and merge from one populated aggregator at
 * once, and every answer equals a single-threaded run on an identical twin.
 * Built with -fsanitize=thread (tests/CMakeLists.txt), so ThreadSanitizer
 * reports any write a reader makes (a sort order, a cache, a memo) even
 * when the answers come out right. The shared aggregator is never read
 * before the threads start, so a lazily built cache would be built by them.
 * SPDX-License-Identifier: MIT
 */
#include "agg_kit.h"
#include "check.h"

#include <pthread.h>

#define NTHREADS 4
#define ROUNDS 3
#define ROWS_PER_ROUND 1500
#define MAX_GROUPS 4096
#define NTERMS 8

/* What one read of the aggregator gives: the reference, and each thread's. */
typedef struct reading {
  unsigned char *blob;
  size_t blob_len;
  size_t ngroups;
  csat_metrics *metrics;      /* ngroups + 1 (the last: CSAT_AGG_ALL) */
  csat_category_counts *cats; /* 2 per group + 2 for ALL */
  csat_comparison *cmp;       /* ngroups: g against the next of its series (or itself) */
  csat_alert *alerts;         /* one series' alerts per group's series start */
  size_t *nalerts;
  csat_rank *rank;
  size_t nrank;
  csat_term *terms; /* NTERMS for ALL, then NTERMS per group (first 16) */
  size_t nterms[17];
} reading;

typedef struct job {
  const csat_agg *a;
  const reading *ref;
  int failures;
  int rounds;
} job;

static void reading_free(reading *r) {
  free(r->blob);
  free(r->metrics);
  free(r->cats);
  free(r->cmp);
  free(r->alerts);
  free(r->nalerts);
  free(r->rank);
  free(r->terms);
  memset(r, 0, sizeof *r);
}

/* Read everything the readers offer; 0 on success (errors counted in *bad). */
static int read_all(const csat_agg *a, reading *r, int *bad) {
  size_t g, ng, need = 0, i;
  csat_rank_params rp;
  memset(r, 0, sizeof *r);
  if (csat_agg_save(a, NULL, 0, &need) != CSAT_ERR_BUFFER_TOO_SMALL)
    return ++*bad;
  r->blob = malloc(need);
  if (r->blob == NULL || csat_agg_save(a, r->blob, need, &r->blob_len) != CSAT_OK ||
      r->blob_len != need)
    return ++*bad;
  /* The group count without the writer csat_agg_group_count: rank says it. */
  memset(&rp, 0, sizeof rp);
  rp.struct_size = sizeof rp;
  rp.metric = CSAT_RANK_CSAT;
  rp.by_period = 1;
  rp.min_count = 5;
  if (csat_agg_rank(a, &rp, NULL, 0, &ng) != CSAT_ERR_BUFFER_TOO_SMALL || ng > MAX_GROUPS)
    return ++*bad;
  r->ngroups = ng;
  r->metrics = calloc(ng + 1, sizeof *r->metrics);
  r->cats = calloc(2 * (ng + 1), sizeof *r->cats);
  r->cmp = calloc(ng + 1, sizeof *r->cmp);
  r->alerts = calloc(ng + 1, sizeof *r->alerts);
  r->nalerts = calloc(ng + 1, sizeof *r->nalerts);
  r->rank = calloc(ng + 1, sizeof *r->rank);
  r->terms = calloc(17 * NTERMS, sizeof *r->terms);
  if (!r->metrics || !r->cats || !r->cmp || !r->alerts || !r->nalerts || !r->rank || !r->terms)
    return ++*bad;
  r->rank[0].struct_size = sizeof *r->rank;
  if (csat_agg_rank(a, &rp, r->rank, ng, &r->nrank) != CSAT_OK || r->nrank != ng)
    return ++*bad;
  for (g = 0; g <= ng; g++) {
    size_t gg = g == ng ? CSAT_AGG_ALL : g;
    int32_t c;
    r->metrics[g].struct_size = sizeof r->metrics[g];
    if (csat_agg_metrics(a, gg, &r->metrics[g]) != CSAT_OK)
      return ++*bad;
    for (c = 0; c < 2; c++) {
      r->cats[2 * g + (size_t)c].struct_size = sizeof *r->cats;
      if (csat_agg_category(a, gg, c, &r->cats[2 * g + (size_t)c]) != CSAT_OK)
        return ++*bad;
    }
    if (g < ng) {
      csat_agg_key key;
      size_t first, count, found = (size_t)-1;
      memset(&key, 0, sizeof key);
      key.struct_size = sizeof key;
      if (csat_agg_group_key(a, g, &key) != CSAT_OK ||
          csat_agg_group_find(a, &key, &found) != CSAT_OK || found != g)
        return ++*bad;
      if (csat_agg_series(a, g, &first, &count) != CSAT_OK)
        return ++*bad;
      r->cmp[g].struct_size = sizeof *r->cmp;
      if (csat_agg_compare(a, g, g + 1 < first + count ? g + 1 : g, &r->cmp[g]) != CSAT_OK)
        return ++*bad;
      if (first == g) {
        /* The alerts of the whole series land at its positions. */
        r->alerts[g].struct_size = sizeof *r->alerts;
        if (csat_agg_alerts(a, g, NULL, &r->alerts[g], count, &r->nalerts[g]) != CSAT_OK)
          return ++*bad;
      }
    }
  }
  for (i = 0; i < 17 && i <= ng; i++) {
    size_t gg = i == 0 ? CSAT_AGG_ALL : i - 1;
    csat_term *t = &r->terms[i * NTERMS];
    t->struct_size = sizeof *t;
    if (csat_agg_top_terms(a, gg, i % 2 ? CSAT_TERMS_NEGATIVE : CSAT_TERMS_POSITIVE, 1, t, NTERMS,
                           &r->nterms[i]) != CSAT_OK)
      return ++*bad;
  }
  return 0;
}

static int make(csat_agg **out) {
  csat_agg_config cfg;
  kit_config(3, &cfg, 7); /* terms on */
  cfg.dimensions = CSAT_DIM_AGENT | CSAT_DIM_QUEUE;
  cfg.period = CSAT_PERIOD_MONTH;
  if (csat_agg_new(out, &cfg, NULL) != CSAT_OK)
    return 1;
  return kit_setup(*out) != CSAT_OK;
}

/* Merge reads its source: a private aggregator built from `a` saves as `a`. */
static int merge_copy(const csat_agg *a, const reading *ref) {
  csat_agg *c = NULL;
  size_t len = 0;
  unsigned char *blob;
  int ok;
  if (make(&c) != 0 || csat_agg_merge(c, a) != CSAT_OK) {
    csat_agg_free(c);
    return 0;
  }
  blob = save_blob(c, &len);
  ok = len == ref->blob_len && memcmp(blob, ref->blob, len) == 0;
  free(blob);
  csat_agg_free(c);
  return ok;
}

static int same_reading(const reading *x, const reading *y) {
  size_t n = x->ngroups, i;
  if (x->blob_len != y->blob_len || memcmp(x->blob, y->blob, x->blob_len) != 0 || n != y->ngroups ||
      x->nrank != y->nrank)
    return 0;
  if (memcmp(x->metrics, y->metrics, (n + 1) * sizeof *x->metrics) != 0 ||
      memcmp(x->cmp, y->cmp, (n + 1) * sizeof *x->cmp) != 0 ||
      memcmp(x->alerts, y->alerts, (n + 1) * sizeof *x->alerts) != 0 ||
      memcmp(x->nalerts, y->nalerts, (n + 1) * sizeof *x->nalerts) != 0 ||
      memcmp(x->rank, y->rank, n * sizeof *x->rank) != 0 ||
      memcmp(x->nterms, y->nterms, sizeof x->nterms) != 0 ||
      memcmp(x->terms, y->terms, 17 * NTERMS * sizeof *x->terms) != 0)
    return 0;
  for (i = 0; i < 2 * (n + 1); i++)
    if (x->cats[i].comments != y->cats[i].comments || x->cats[i].negative != y->cats[i].negative ||
        x->cats[i].positive != y->cats[i].positive || strcmp(x->cats[i].name, y->cats[i].name))
      return 0;
  return 1;
}

static void *reader(void *arg) {
  job *j = arg;
  int r;
  for (r = 0; r < j->rounds; r++) {
    reading got;
    int bad = 0;
    read_all(j->a, &got, &bad);
    if (bad || !same_reading(&got, j->ref))
      j->failures++;
    if (!merge_copy(j->a, j->ref))
      j->failures++;
    reading_free(&got);
  }
  return NULL;
}

int main(void) {
  csat_agg *shared = NULL, *twin = NULL;
  kit_rng rng = {0x9e3779b97f4a7c15ull};
  int round;
  CHECK_INT(make(&shared), 0);
  CHECK_INT(make(&twin), 0);
  if (shared == NULL || twin == NULL)
    return CHECK_DONE();
  /* Each round adds answers (so every cache a reader might build is stale
   * again), establishes the order with the writer csat_agg_group_count,
   * then reads the twin alone and the shared one from NTHREADS threads. */
  for (round = 0; round < ROUNDS; round++) {
    reading ref;
    job jobs[NTHREADS];
    pthread_t th[NTHREADS];
    int i, bad = 0;
    for (i = 0; i < ROWS_PER_ROUND; i++) {
      kit_row row;
      kit_gen(&rng, &row);
      CHECK_INT(csat_agg_add_answer(shared, &row.a), CSAT_OK);
      CHECK_INT(csat_agg_add_answer(twin, &row.a), CSAT_OK);
    }
    CHECK(csat_agg_group_count(shared) == csat_agg_group_count(twin));
    read_all(twin, &ref, &bad);
    CHECK_INT(bad, 0);
    CHECK(ref.ngroups > 1 && ref.nterms[0] > 0);
    for (i = 0; i < NTHREADS; i++) {
      jobs[i].a = shared;
      jobs[i].ref = &ref;
      jobs[i].failures = 0;
      jobs[i].rounds = 2;
      CHECK_INT(pthread_create(&th[i], NULL, reader, &jobs[i]), 0);
    }
    for (i = 0; i < NTHREADS; i++) {
      CHECK_INT(pthread_join(th[i], NULL), 0);
      CHECK_INT(jobs[i].failures, 0);
    }
    reading_free(&ref);
  }
  csat_agg_free(shared);
  csat_agg_free(twin);
  return CHECK_DONE();
}
