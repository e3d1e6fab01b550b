/*
 * Reference-test generator: writes random answers (agg_kit.h: scales 3, 5,
 * 7, 10 and 0..10) to DIR/answers.tsv, aggregates them under each test
 * configuration, and writes the library's metrics per group (in the
 * library's group order, plus one "*" line for every group together) to
 * DIR/metrics_<c>.tsv, for tests/agg_reference.py to recompute
 * independently. It also checks at this scale that random splits merged in
 * random orders give byte-identical saved state.
 *
 * Usage: agg_gen DIR [ANSWERS]   (default 120000)
 */
#include "agg_kit.h"
#include "csat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NCONFIG 5

static void die(const char *what, const csat_agg *a) {
  fprintf(stderr, "agg_gen: %s: %s\n", what, a ? csat_agg_errmsg(a) : "");
  exit(1);
}

/* kit_setup's CES question is on 1..7, where "above the midpoint" and "top
 * 3" agree; here every scale of kit_gen is a CES question too, so the
 * default agree set is checked on 3, 5, 10 and 11 points as well (not in
 * kit_setup: the blob pinned by test_agg would change). */
static const char *const extra_ces[] = {"q3", "q5", "q10", "nps"};

static csat_agg *make(int which, uint32_t seed) {
  csat_agg_config c;
  csat_agg *a = NULL;
  size_t i;
  kit_config(which, &c, seed);
  if (csat_agg_new(&a, &c, NULL) != CSAT_OK || kit_setup(a) != CSAT_OK)
    die("configuration", a);
  for (i = 0; i < sizeof extra_ces / sizeof *extra_ces; i++)
    if (csat_agg_set_ces_question(a, extra_ces[i], 0) != CSAT_OK)
      die("configuration", a);
  return a;
}

static unsigned char *save(const csat_agg *a, size_t *len) {
  size_t need = 0;
  unsigned char *b;
  if (csat_agg_save(a, NULL, 0, &need) != CSAT_ERR_BUFFER_TOO_SMALL)
    die("save size", a);
  b = malloc(need);
  if (b == NULL || csat_agg_save(a, b, need, len) != CSAT_OK)
    die("save", a);
  return b;
}

static void put_d(FILE *f, double v) { fprintf(f, "\t%.17g", v); }

static void put_i(FILE *f, int64_t v) { fprintf(f, "\t%lld", (long long)v); }

static void write_metrics(FILE *f, const csat_metrics *m) {
  int i;
  put_i(f, m->count);
  put_d(f, m->mean);
  put_d(f, m->sd);
  put_d(f, m->mean_pct);
  for (i = 0; i < 11; i++)
    put_i(f, m->distribution[i]);
  put_i(f, m->positive);
  put_d(f, m->csat);
  put_d(f, m->csat_lo);
  put_d(f, m->csat_hi);
  put_i(f, m->negative);
  put_d(f, m->negative_share);
  put_d(f, m->negative_lo);
  put_d(f, m->negative_hi);
  put_i(f, m->nps_count);
  put_i(f, m->promoters);
  put_i(f, m->detractors);
  put_d(f, m->nps);
  put_d(f, m->nps_lo);
  put_d(f, m->nps_hi);
  put_i(f, m->ces_count);
  put_d(f, m->ces_mean);
  put_i(f, m->ces_agree);
  put_d(f, m->ces_agree_share);
  put_d(f, m->ces_agree_lo);
  put_d(f, m->ces_agree_hi);
  put_i(f, m->csi_count);
  put_d(f, m->csi);
  put_i(f, m->contacts);
  put_i(f, m->offered);
  put_i(f, m->answered);
  put_i(f, m->completed);
  put_i(f, m->partial);
  put_i(f, m->opted_out);
  for (i = 1; i < 10; i++)
    put_i(f, m->outcomes[i]);
  put_d(f, m->response_rate);
  put_d(f, m->response_lo);
  put_d(f, m->response_hi);
  put_i(f, m->flagged);
  put_i(f, m->escalation_offered);
  put_i(f, m->escalated);
  put_i(f, m->wait_count);
  put_d(f, m->wait_mean_s);
  put_d(f, m->wait_median_s);
  put_i(f, m->talk_count);
  put_d(f, m->talk_mean_s);
  put_d(f, m->talk_median_s);
  put_i(f, m->comments);
  put_i(f, m->comments_negative);
  put_i(f, m->comments_positive);
  fputc('\n', f);
}

static const char *s_or(const char *s) { return s ? s : ""; }

int main(int argc, char **argv) {
  const char *dir;
  size_t n = 120000, i, g, groups;
  kit_row *rows;
  kit_rng r = {0x1234567887654321ull};
  char path[4096];
  FILE *f;
  int which;
  if (argc < 2) {
    fprintf(stderr, "usage: agg_gen DIR [ANSWERS]\n");
    return 2;
  }
  dir = argv[1];
  if (argc > 2)
    n = (size_t)strtoul(argv[2], NULL, 10);
  rows = malloc(n * sizeof *rows);
  if (rows == NULL)
    return 1;
  for (i = 0; i < n; i++)
    kit_gen(&r, &rows[i]);
  snprintf(path, sizeof path, "%s/answers.tsv", dir);
  f = fopen(path, "w");
  if (f == NULL) {
    perror(path);
    return 1;
  }
  for (i = 0; i < n; i++) {
    const csat_agg_answer *a = &rows[i].a;
    fprintf(f, "%lld\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%lld\t%lld\t%d\n",
            (long long)a->time_ms, s_or(a->agent_id), s_or(a->queue_id), s_or(a->department),
            (int)a->channel, s_or(a->survey_id), s_or(a->question_id), s_or(a->language),
            s_or(a->attribute), (int)a->scale_min, (int)a->scale_max, (int)a->score,
            (int)a->outcome, (int)a->flagged, (int)a->escalation, (long long)a->wait_ms,
            (long long)a->talk_ms, a->comment != NULL && a->comment[0] != '\0');
  }
  fclose(f);

  for (which = 0; which < NCONFIG; which++) {
    csat_agg *whole = make(which, 1), *parts[5];
    unsigned char *ref, *got;
    size_t ref_len, got_len;
    int p, order[5] = {3, 0, 4, 1, 2};
    csat_metrics m;
    csat_agg_key k;
    for (i = 0; i < n; i++)
      if (csat_agg_add_answer(whole, &rows[i].a) != CSAT_OK)
        die("add_answer", whole);
    groups = csat_agg_group_count(whole);
    snprintf(path, sizeof path, "%s/metrics_%d.tsv", dir, which);
    f = fopen(path, "w");
    if (f == NULL) {
      perror(path);
      return 1;
    }
    for (g = 0; g <= groups; g++) {
      size_t gi = g < groups ? g : CSAT_AGG_ALL;
      memset(&m, 0, sizeof m);
      m.struct_size = sizeof m;
      if (csat_agg_metrics(whole, gi, &m) != CSAT_OK)
        die("metrics", whole);
      if (g < groups) {
        memset(&k, 0, sizeof k);
        k.struct_size = sizeof k;
        if (csat_agg_group_key(whole, g, &k) != CSAT_OK)
          die("key", whole);
        fprintf(f, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%lld", k.agent_id, k.queue_id, k.department,
                (int)k.channel, k.survey_id, k.question_id, k.language, k.attribute, k.period_label,
                (long long)k.period_start);
      } else {
        fprintf(f, "*\t*\t*\t0\t*\t*\t*\t*\t*\t0");
      }
      write_metrics(f, &m);
    }
    fclose(f);
    /* split at random into 5 parts with their own seeds, merge in an odd order */
    ref = save(whole, &ref_len);
    for (p = 0; p < 5; p++)
      parts[p] = make(which, (uint32_t)(100 + p));
    for (i = 0; i < n; i++)
      if (csat_agg_add_answer(parts[kit_below(&r, 5)], &rows[i].a) != CSAT_OK)
        die("add_answer", NULL);
    for (p = 1; p < 5; p++)
      if (csat_agg_merge(parts[order[0]], parts[order[p]]) != CSAT_OK)
        die("merge", parts[order[0]]);
    got = save(parts[order[0]], &got_len);
    if (got_len != ref_len || memcmp(got, ref, ref_len) != 0) {
      fprintf(stderr, "agg_gen: configuration %d: merged state differs from the whole\n", which);
      return 1;
    }
    printf("configuration %d: %zu answers, %zu groups, merged state identical (%zu bytes)\n", which,
           n, groups, ref_len);
    for (p = 0; p < 5; p++)
      csat_agg_free(parts[p]);
    free(ref);
    free(got);
    csat_agg_free(whole);
  }
  free(rows);
  return 0;
}
