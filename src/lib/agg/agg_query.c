/*
 * Reading an aggregator: the group order, keys, metrics, category counts,
 * period comparison, control-chart alerts, empirical-Bayes ranking and
 * Fightin' Words terms. Statistics come from agg_stats.h, comment analysis
 * from terms.h; this file only gathers the integer sums they work on.
 * SPDX-License-Identifier: MIT
 */
#include "agg.h"
#include "agg_stats.h"

#include <string.h>

/* Copy the filled struct `full` into the caller's struct of out->struct_size
 * bytes (members past it are not written; a larger caller struct learns our
 * size). `first` is the size that every version of the struct had. */
static int copy_out(void *out, const void *full, size_t full_size, size_t first) {
  size_t size;
  memcpy(&size, out, sizeof size);
  if (size < first)
    return CSAT_ERR_INVALID_ARG;
  memcpy((char *)out + sizeof size, (const char *)full + sizeof size,
         (size < full_size ? size : full_size) - sizeof size);
  if (size > full_size)
    memcpy(out, &full_size, sizeof size);
  return CSAT_OK;
}

/* Arrays of library-filled structs: out[0].struct_size is the stride. */
static int array_stride(const void *out, size_t cap, size_t first, size_t *stride) {
  size_t s = 0;
  if (cap == 0)
    return CSAT_OK;
  if (out == NULL)
    return CSAT_ERR_INVALID_ARG;
  memcpy(&s, out, sizeof s);
  if (s < first)
    return CSAT_ERR_INVALID_ARG;
  *stride = s;
  return CSAT_OK;
}

static void put_elem(void *base, size_t stride, size_t i, void *full, size_t full_size) {
  size_t n = stride < full_size ? stride : full_size;
  memcpy(full, &n, sizeof n);
  memcpy((char *)base + i * stride, full, n);
}

static int ready(const csat_agg *a) {
  if (a == NULL)
    return CSAT_ERR_INVALID_ARG;
  return a->sorted ? CSAT_OK : CSAT_ERR_STATE;
}

/* CSAT_AGG_ALL sums every group by storage index: it needs no group order,
 * so it is read even before csat_agg_group_count (a reader cannot sort, nor
 * leave a message saying it should have been called). */
static int check_group(const csat_agg *a, size_t g, int all_ok) {
  int rc;
  if (g == CSAT_AGG_ALL && all_ok)
    return a != NULL ? CSAT_OK : CSAT_ERR_INVALID_ARG;
  rc = ready(a);
  if (rc != CSAT_OK)
    return rc;
  return g < a->ngroups ? CSAT_OK : CSAT_ERR_NOT_FOUND;
}

size_t csat_agg_group_count(csat_agg *a) {
  if (a == NULL)
    return 0;
  csat__agg_sort(a);
  return a->ngroups;
}

int csat_agg_group_key(const csat_agg *a, size_t g, csat_agg_key *out) {
  const csat__agg_group *gr;
  csat_agg_key k;
  int rc = check_group(a, g, 0);
  if (out == NULL)
    return CSAT_ERR_INVALID_ARG;
  if (rc != CSAT_OK)
    return rc;
  gr = &a->groups[a->order[g]];
  memset(&k, 0, sizeof k);
  k.agent_id = a->strs[gr->dim[0]].s;
  k.queue_id = a->strs[gr->dim[1]].s;
  k.department = a->strs[gr->dim[2]].s;
  k.channel = (int32_t)gr->dim[3];
  k.survey_id = a->strs[gr->dim[4]].s;
  k.question_id = a->strs[gr->dim[5]].s;
  k.language = a->strs[gr->dim[6]].s;
  k.attribute = a->strs[gr->dim[7]].s;
  k.period = a->cfg.period;
  k.period_start = gr->period;
  csat__agg_period_label(a->cfg.period, gr->period, k.period_label, sizeof k.period_label);
  return copy_out(out, &k, sizeof k, CSAT__END(csat_agg_key, agent_id));
}

/* Position of group id `id` in the sorted order. */
static size_t position(const csat_agg *a, uint32_t id) {
  size_t lo = 0, hi = a->ngroups;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = csat__agg_group_cmp(a, a->order[mid], id);
    if (c == 0)
      return mid;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return a->ngroups;
}

int csat_agg_group_find(const csat_agg *a, const csat_agg_key *key, size_t *g) {
  const char *vals[CSAT__AGG_DIMS];
  uint32_t dim[CSAT__AGG_DIMS], id;
  int64_t period = 0;
  int d, rc = ready(a);
  if (key == NULL || g == NULL || !CSAT__COVERS(csat_agg_key, key->struct_size, period_start))
    return CSAT_ERR_INVALID_ARG;
  if (rc != CSAT_OK)
    return rc;
  CSAT__AGG_DIM_STRINGS(vals, key);
  for (d = 0; d < CSAT__AGG_DIMS; d++) {
    dim[d] = 0;
    if (!(a->cfg.dims & (1u << d)))
      continue;
    if (d == CSAT__AGG_DIM_CHANNEL) {
      dim[d] = (uint32_t)(key->channel < 0 ? 0 : key->channel);
      continue;
    }
    dim[d] = csat__agg_str_find(a, vals[d] ? vals[d] : "", vals[d] ? strlen(vals[d]) : 0);
    if (dim[d] == CSAT__AGG_NONE)
      return CSAT_ERR_NOT_FOUND;
  }
  if (a->cfg.period != CSAT_PERIOD_NONE)
    period = key->period_start;
  id = csat__agg_group_find_key(a, dim, period);
  if (id == CSAT__AGG_NONE)
    return CSAT_ERR_NOT_FOUND;
  *g = position(a, id);
  return *g < a->ngroups ? CSAT_OK : CSAT_ERR_NOT_FOUND;
}

static int same_dims(const csat_agg *a, size_t x, size_t y) {
  return memcmp(a->groups[a->order[x]].dim, a->groups[a->order[y]].dim, sizeof a->groups[0].dim) ==
         0;
}

int csat_agg_series(const csat_agg *a, size_t g, size_t *first, size_t *count) {
  size_t lo, hi;
  int rc = check_group(a, g, 0);
  if (first == NULL || count == NULL)
    return CSAT_ERR_INVALID_ARG;
  if (rc != CSAT_OK)
    return rc;
  lo = g;
  while (lo > 0 && same_dims(a, lo - 1, g))
    lo--;
  hi = g + 1;
  while (hi < a->ngroups && same_dims(a, hi, g))
    hi++;
  *first = lo;
  *count = hi - lo;
  return CSAT_OK;
}

/* ---- metrics ------------------------------------------------------------- */
static void group_sums(const csat_agg *a, size_t g, csat__agg_sums *s) {
  memset(s, 0, sizeof *s);
  if (g == CSAT_AGG_ALL) {
    size_t i;
    for (i = 0; i < a->ngroups; i++)
      csat__agg_sums_group(a, (uint32_t)i, s);
  } else {
    csat__agg_sums_group(a, a->order[g], s);
  }
}

static void bin_sift(csat__agg_bin *v, size_t root, size_t n) {
  for (;;) {
    size_t c = 2 * root + 1;
    csat__agg_bin t;
    if (c >= n)
      return;
    if (c + 1 < n && v[c].sec < v[c + 1].sec)
      c++;
    if (v[root].sec >= v[c].sec)
      return;
    t = v[root];
    v[root] = v[c];
    v[c] = t;
    root = c;
  }
}

/* The durations of every group as one histogram (temporary memory). */
static int all_durations(const csat_agg *a, int talk, csat__agg_dur *out) {
  size_t total = 0, i, j, w = 0;
  csat__agg_bin *b;
  memset(out, 0, sizeof *out);
  for (i = 0; i < a->ngroups; i++) {
    const csat__agg_dur *d = talk ? &a->groups[i].talk : &a->groups[i].wait;
    total += csat__agg_dur_bins(d);
    out->n += d->n;
    out->sum_ms += d->sum_ms;
  }
  if (total == 0)
    return CSAT_OK;
  if (total > UINT32_MAX / 2)
    return CSAT_ERR_NOMEM;
  b = csat__malloc(&a->alloc, total * sizeof *b);
  if (b == NULL)
    return CSAT_ERR_NOMEM;
  for (i = 0, j = 0; i < a->ngroups; i++) {
    const csat__agg_dur *d = talk ? &a->groups[i].talk : &a->groups[i].wait;
    csat__agg_dur_iter it;
    uint32_t sec;
    uint64_t count;
    csat__agg_dur_iter_init(&it, d);
    while (csat__agg_dur_next(&it, &sec, &count)) {
      b[j].sec = sec;
      b[j].pad_ = 0;
      b[j++].count = count;
    }
  }
  for (i = total / 2; i-- > 0;)
    bin_sift(b, i, total);
  for (i = total - 1; i > 0; i--) {
    csat__agg_bin t = b[0];
    b[0] = b[i];
    b[i] = t;
    bin_sift(b, 0, i);
  }
  for (i = 0; i < total; i++) {
    if (w > 0 && b[w - 1].sec == b[i].sec)
      b[w - 1].count += b[i].count;
    else
      b[w++] = b[i];
  }
  out->bins = b;
  out->len = out->cap = (uint32_t)w;
  return CSAT_OK;
}

int csat_agg_metrics(const csat_agg *a, size_t g, csat_metrics *out) {
  csat__agg_sums s;
  int rc = check_group(a, g, 1);
  if (out == NULL || !CSAT__COVERS(csat_metrics, out->struct_size, count))
    return CSAT_ERR_INVALID_ARG;
  if (rc != CSAT_OK)
    return rc;
  group_sums(a, g, &s);
  if (g == CSAT_AGG_ALL) {
    csat__agg_dur w, t;
    if (all_durations(a, 0, &w) != CSAT_OK)
      return CSAT_ERR_NOMEM;
    if (all_durations(a, 1, &t) != CSAT_OK) {
      csat__free(&a->alloc, w.bins);
      return CSAT_ERR_NOMEM;
    }
    csat__agg_metrics_fill(a, &s, &w, &t, out);
    csat__free(&a->alloc, w.bins);
    csat__free(&a->alloc, t.bins);
  } else {
    const csat__agg_group *gr = &a->groups[a->order[g]];
    csat__agg_metrics_fill(a, &s, &gr->wait, &gr->talk, out);
  }
  return CSAT_OK;
}

int csat_agg_outcome_count(const csat_agg *a, size_t g, int32_t outcome, int64_t *count) {
  uint64_t n = 0;
  size_t i;
  int rc = check_group(a, g, 1);
  if (count == NULL)
    return CSAT_ERR_INVALID_ARG;
  if (rc != CSAT_OK)
    return rc;
  if (outcome <= CSAT_OUTCOME_NONE || outcome > CSAT_OUTCOME_MAX)
    return CSAT_ERR_NOT_FOUND;
  if (g != CSAT_AGG_ALL)
    n = a->groups[a->order[g]].outcomes[outcome];
  else
    for (i = 0; i < a->ngroups; i++)
      n += a->groups[i].outcomes[outcome];
  *count = n > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)n;
  return CSAT_OK;
}

int csat_agg_category(const csat_agg *a, size_t g, int32_t category, csat_category_counts *out) {
  csat_category_counts c;
  uint64_t v[3] = {0, 0, 0};
  size_t i;
  int rc = check_group(a, g, 1);
  if (out == NULL)
    return CSAT_ERR_INVALID_ARG;
  if (rc != CSAT_OK)
    return rc;
  if (category < 0 || (size_t)category >= a->cfg.ncat)
    return CSAT_ERR_NOT_FOUND;
  for (i = 0; i < a->ngroups; i++) {
    const csat__agg_group *gr;
    if (g != CSAT_AGG_ALL && i != a->order[g])
      continue;
    gr = &a->groups[i];
    if (gr->cats != NULL) {
      v[0] += gr->cats[category * 3];
      v[1] += gr->cats[category * 3 + 1];
      v[2] += gr->cats[category * 3 + 2];
    }
  }
  memset(&c, 0, sizeof c);
  c.name = a->cfg.cats[category].name;
  c.comments = (int64_t)v[0];
  c.negative = (int64_t)v[1];
  c.positive = (int64_t)v[2];
  return copy_out(out, &c, sizeof c, CSAT__END(csat_category_counts, name));
}

/* ---- comparison ------------------------------------------------------------ */
int csat_agg_compare(const csat_agg *a, size_t a_g, size_t b_g, csat_comparison *out) {
  csat__agg_sums x, y;
  csat_comparison c;
  int rc = check_group(a, a_g, 1);
  if (rc == CSAT_OK)
    rc = check_group(a, b_g, 1);
  if (out == NULL)
    return CSAT_ERR_INVALID_ARG;
  if (rc != CSAT_OK)
    return rc;
  group_sums(a, a_g, &x);
  group_sums(a, b_g, &y);
  memset(&c, 0, sizeof c);
  c.count_a = (int64_t)x.n;
  c.count_b = (int64_t)y.n;
  c.csat_a = x.n ? (double)x.pos / (double)x.n : 0.0;
  c.csat_b = y.n ? (double)y.pos / (double)y.n : 0.0;
  c.csat_diff = c.csat_b - c.csat_a;
  csat__stats_two_prop_test(y.pos, y.n, x.pos, x.n, &c.csat_z, &c.csat_p);
  c.negative_a = x.n ? (double)x.neg / (double)x.n : 0.0;
  c.negative_b = y.n ? (double)y.neg / (double)y.n : 0.0;
  c.negative_diff = c.negative_b - c.negative_a;
  csat__stats_two_prop_test(y.neg, y.n, x.neg, x.n, &c.negative_z, &c.negative_p);
  c.nps_count_a = (int64_t)x.nps_n;
  c.nps_count_b = (int64_t)y.nps_n;
  c.nps_a = x.nps_n ? 100.0 * ((double)x.prom - (double)x.det) / (double)x.nps_n : 0.0;
  c.nps_b = y.nps_n ? 100.0 * ((double)y.prom - (double)y.det) / (double)y.nps_n : 0.0;
  c.nps_diff = c.nps_b - c.nps_a;
  csat__stats_nps_z_test(y.prom, y.det, y.nps_n, x.prom, x.det, x.nps_n, &c.nps_z, &c.nps_p);
  c.mean_a = x.n ? (double)x.sum / (double)x.n : 0.0;
  c.mean_b = y.n ? (double)y.sum / (double)y.n : 0.0;
  c.mean_diff = c.mean_b - c.mean_a;
  return copy_out(out, &c, sizeof c, CSAT__END(csat_comparison, count_b));
}

/* ---- control charts --------------------------------------------------------- */

int csat_agg_alerts(const csat_agg *a, size_t g, const csat_alert_params *params, csat_alert *out,
                    size_t cap, size_t *count) {
  size_t first, n, i, stride = 0, baseline = 0;
  double sigma = 3.0, lambda = 0.2, L = 3.0;
  uint64_t *k, *nn;
  double *ucl, *lcl, *ew, *eucl, center = 0.0;
  uint8_t *pf, *ef;
  void *mem;
  int rc = csat_agg_series(a, g, &first, &n);
  if (rc != CSAT_OK)
    return rc;
  if (count == NULL)
    return CSAT_ERR_INVALID_ARG;
  *count = n;
  if (params != NULL) {
    if (CSAT__COVERS(csat_alert_params, params->struct_size, baseline))
      baseline = params->baseline;
    if (CSAT__COVERS(csat_alert_params, params->struct_size, sigma) && params->sigma > 0)
      sigma = params->sigma;
    if (CSAT__COVERS(csat_alert_params, params->struct_size, lambda) && params->lambda > 0 &&
        params->lambda <= 1)
      lambda = params->lambda;
    if (CSAT__COVERS(csat_alert_params, params->struct_size, ewma_l) && params->ewma_l > 0)
      L = params->ewma_l;
  }
  if (cap < n)
    return CSAT_ERR_BUFFER_TOO_SMALL;
  if (array_stride(out, cap, CSAT__V1_SIZE(csat_alert), &stride))
    return CSAT_ERR_INVALID_ARG;
  mem = csat__malloc(&a->alloc, n * (2 * sizeof(uint64_t) + 4 * sizeof(double) + 2));
  if (mem == NULL)
    return CSAT_ERR_NOMEM;
  k = mem;
  nn = k + n;
  ucl = (double *)(nn + n);
  lcl = ucl + n;
  ew = lcl + n;
  eucl = ew + n;
  pf = (uint8_t *)(eucl + n);
  ef = pf + n;
  for (i = 0; i < n; i++) {
    csat__agg_sums s;
    group_sums(a, first + i, &s);
    k[i] = s.neg;
    nn[i] = s.n;
  }
  csat__stats_pchart(k, nn, n, baseline, sigma, pf, ucl, lcl, &center);
  csat__stats_ewma(k, nn, n, baseline, lambda, L, ew, eucl, ef);
  for (i = 0; i < n; i++) {
    csat_alert al;
    memset(&al, 0, sizeof al);
    al.group = first + i;
    al.count = (int64_t)nn[i];
    al.negative = (int64_t)k[i];
    al.share = nn[i] ? (double)k[i] / (double)nn[i] : 0.0;
    al.center = center;
    al.lcl = lcl[i];
    al.ucl = ucl[i];
    al.p_alarm = pf[i] == CSAT__ALARM_HIGH ? 1 : pf[i] == CSAT__ALARM_LOW ? -1 : 0;
    al.ewma_alarm = ef[i] == CSAT__ALARM_HIGH ? 1 : ef[i] == CSAT__ALARM_LOW ? -1 : 0;
    al.ewma = ew[i];
    al.ewma_ucl = eucl[i];
    put_elem(out, stride, i, &al, sizeof al);
  }
  csat__free(&a->alloc, mem);
  return CSAT_OK;
}

/* ---- ranking ---------------------------------------------------------------- */
typedef struct rank_ctx {
  const csat_agg *a;
  const double *key;   /* per position: the figure ordered by */
  const double *raw;   /* per position: the group's own figure */
  const double *prior; /* per position: its pool's mean */
  const uint64_t *cnt;
  const uint8_t *ranked;
  int by_period, ascending;
} rank_ctx;

/* Pool order: period (when by_period), then position. */
static int pool_cmp(const void *ctx, uint32_t x, uint32_t y) {
  const rank_ctx *c = ctx;
  if (c->by_period) {
    int64_t p = c->a->groups[c->a->order[x]].period, q = c->a->groups[c->a->order[y]].period;
    if (p != q)
      return p < q ? -1 : 1;
  }
  return x < y ? -1 : x > y;
}

/* -1 when u is better than v for the metric, 1 when worse, 0 when equal. */
static int better(const rank_ctx *c, double u, double v) {
  if (u == v)
    return 0;
  return (c->ascending ? u < v : u > v) ? -1 : 1;
}

/* Within a pool: ranked first, by shrunk figure (best first). Equal shrunk
 * figures (every one of them when the between-group variance is estimated
 * as zero) break by the raw figure, then by n the way a tiny between-group
 * variance would: more answers ahead on the good side of the pool mean,
 * behind on the bad side (more evidence of being there); then position. */
static int rank_cmp(const void *ctx, uint32_t x, uint32_t y) {
  const rank_ctx *c = ctx;
  int r, side;
  if (c->ranked[x] != c->ranked[y])
    return c->ranked[x] ? -1 : 1;
  if ((r = better(c, c->key[x], c->key[y])) != 0)
    return r;
  if ((r = better(c, c->raw[x], c->raw[y])) != 0)
    return r;
  side = better(c, c->raw[x], c->prior[x]); /* equal raw: one side for both */
  if (side != 0 && c->cnt[x] != c->cnt[y])
    return (c->cnt[x] > c->cnt[y]) == (side < 0) ? -1 : 1;
  return x < y ? -1 : x > y;
}

int csat_agg_rank(const csat_agg *a, const csat_rank_params *params, csat_rank *out, size_t cap,
                  size_t *count) {
  size_t n, i, start, stride = 0;
  int32_t metric;
  int64_t min_count = 0;
  int by_period = 0;
  uint32_t *pool;
  int64_t *sum, *sumsq;
  uint64_t *cnt;
  double *shrunk, *prior, *raw;
  uint8_t *ranked;
  void *mem;
  rank_ctx rc;
  int r = ready(a);
  if (params == NULL || count == NULL ||
      !CSAT__COVERS(csat_rank_params, params->struct_size, metric))
    return CSAT_ERR_INVALID_ARG;
  if (r != CSAT_OK)
    return r;
  metric = params->metric;
  if (metric < CSAT_RANK_MEAN || metric > CSAT_RANK_NEGATIVE)
    return CSAT_ERR_INVALID_ARG;
  if (CSAT__COVERS(csat_rank_params, params->struct_size, by_period))
    by_period = params->by_period != 0;
  if (CSAT__COVERS(csat_rank_params, params->struct_size, min_count))
    min_count = params->min_count;
  n = a->ngroups;
  *count = n;
  if (cap < n)
    return CSAT_ERR_BUFFER_TOO_SMALL;
  if (array_stride(out, cap, CSAT__V1_SIZE(csat_rank), &stride))
    return CSAT_ERR_INVALID_ARG;
  if (n == 0)
    return CSAT_OK;
  mem = csat__malloc(&a->alloc, n * (sizeof(uint32_t) + 2 * sizeof(int64_t) + sizeof(uint64_t) +
                                     3 * sizeof(double) + 1));
  if (mem == NULL)
    return CSAT_ERR_NOMEM;
  sum = mem;
  sumsq = sum + n;
  cnt = (uint64_t *)(sumsq + n);
  shrunk = (double *)(cnt + n);
  prior = shrunk + n;
  raw = prior + n;
  pool = (uint32_t *)(raw + n);
  ranked = (uint8_t *)(pool + n);
  for (i = 0; i < n; i++) {
    csat__agg_sums s;
    group_sums(a, i, &s);
    cnt[i] = s.n;
    if (metric == CSAT_RANK_MEAN) {
      sum[i] = (int64_t)s.sum;
      sumsq[i] = (int64_t)s.sumsq;
    } else {
      sum[i] = sumsq[i] = (int64_t)(metric == CSAT_RANK_CSAT ? s.pos : s.neg);
    }
    raw[i] = s.n ? (double)sum[i] / (double)s.n : 0.0;
    ranked[i] = s.n > 0 && (int64_t)s.n >= min_count;
    pool[i] = (uint32_t)i;
  }
  rc.a = a;
  rc.raw = raw;
  rc.prior = prior;
  rc.cnt = cnt;
  rc.by_period = by_period;
  rc.ascending = metric == CSAT_RANK_NEGATIVE;
  rc.key = shrunk;
  rc.ranked = ranked;
  csat__agg_heapsort(pool, n, pool_cmp, &rc);
  for (start = 0; start < n;) {
    size_t end = start + 1, j, m;
    double mu = 0.0, tau2 = 0.0;
    int32_t total = 0;
    while (end < n && (!by_period || a->groups[a->order[pool[end]]].period ==
                                         a->groups[a->order[pool[start]]].period))
      end++;
    m = end - start;
    /* csat__stats_eb_shrink works on contiguous arrays: gather the pool. */
    {
      int64_t *gs =
          csat__malloc(&a->alloc, m * (2 * sizeof(int64_t) + sizeof(uint64_t) + sizeof(double)));
      int64_t *gq;
      uint64_t *gn;
      double *gsh;
      if (gs == NULL) {
        csat__free(&a->alloc, mem);
        return CSAT_ERR_NOMEM;
      }
      gq = gs + m;
      gn = (uint64_t *)(gq + m);
      gsh = (double *)(gn + m);
      for (j = 0; j < m; j++) {
        gs[j] = sum[pool[start + j]];
        gq[j] = sumsq[pool[start + j]];
        gn[j] = cnt[pool[start + j]];
      }
      /* Two or more groups and no between-group variance: every group is
       * shrunk to mu, and the tie-breaks alone order them. */
      total = csat__stats_eb_shrink(gs, gq, gn, m, gsh, &mu, &tau2, NULL) >= 2 && tau2 == 0.0;
      for (j = 0; j < m; j++) {
        shrunk[pool[start + j]] = gsh[j];
        prior[pool[start + j]] = mu;
      }
      csat__free(&a->alloc, gs);
    }
    csat__agg_heapsort(pool + start, m, rank_cmp, &rc);
    for (j = 0; j < m; j++) {
      size_t p = pool[start + j];
      csat_rank rk;
      memset(&rk, 0, sizeof rk);
      rk.group = p;
      rk.count = (int64_t)cnt[p];
      rk.value = raw[p];
      rk.shrunk = shrunk[p];
      rk.prior = prior[p];
      rk.rank = ranked[p] ? (int32_t)(j + 1) : 0;
      /* Below min_count only: a group without answers is unranked (rank 0)
       * but is no small sample when min_count is 0. */
      rk.small_sample = (int64_t)cnt[p] < min_count;
      rk.total_shrinkage = total;
      put_elem(out, stride, start + j, &rk, sizeof rk);
    }
    start = end;
  }
  csat__free(&a->alloc, mem);
  return CSAT_OK;
}

/* ---- Fightin' Words --------------------------------------------------------- */
static int pool_terms(const csat_agg *a, int side, csat__terms *t) {
  size_t i;
  for (i = 0; i < a->ngroups; i++) {
    const csat__agg_group *g = &a->groups[i];
    if (g->terms == NULL)
      continue;
    if (side != 1 && csat__terms_merge(t, &g->terms[0]) != CSAT_OK)
      return CSAT_ERR_NOMEM;
    if (side != 0 && csat__terms_merge(t, &g->terms[1]) != CSAT_OK)
      return CSAT_ERR_NOMEM;
  }
  return CSAT_OK;
}

int csat_agg_top_terms(const csat_agg *a, size_t g, int32_t side, int64_t min_count, csat_term *out,
                       size_t cap, size_t *count) {
  csat__terms neg, pos, prior, empty;
  const csat__terms *ta, *tb, *tp;
  csat__fw_term *top;
  size_t stride = 0, got = 0, i;
  int rc = check_group(a, g, 1);
  if (count == NULL || (side != CSAT_TERMS_NEGATIVE && side != CSAT_TERMS_POSITIVE))
    return CSAT_ERR_INVALID_ARG;
  if (rc != CSAT_OK)
    return rc;
  *count = 0;
  if (!a->cfg.terms)
    return CSAT_ERR_UNSUPPORTED;
  if (array_stride(out, cap, CSAT__V1_SIZE(csat_term), &stride))
    return CSAT_ERR_INVALID_ARG;
  if (cap == 0)
    return CSAT_OK;
  if (min_count < 1)
    min_count = 1;
  top = csat__malloc(&a->alloc, cap * sizeof *top);
  if (top == NULL || cap > SIZE_MAX / sizeof *top) {
    csat__free(&a->alloc, top);
    return CSAT_ERR_NOMEM;
  }
  csat__terms_init(&neg, &a->alloc, a->terms_seed);
  csat__terms_init(&pos, &a->alloc, a->terms_seed);
  csat__terms_init(&prior, &a->alloc, a->terms_seed);
  csat__terms_init(&empty, &a->alloc, a->terms_seed);
  if (g == CSAT_AGG_ALL) {
    rc = pool_terms(a, 0, &neg);
    if (rc == CSAT_OK)
      rc = pool_terms(a, 1, &pos);
    ta = &neg;
    tb = &pos;
    tp = NULL;
  } else {
    const csat__agg_group *gr = &a->groups[a->order[g]];
    rc = pool_terms(a, 2, &prior);
    ta = gr->terms ? &gr->terms[0] : &empty;
    tb = gr->terms ? &gr->terms[1] : &empty;
    tp = &prior;
  }
  if (rc == CSAT_OK) {
    if (side == CSAT_TERMS_NEGATIVE)
      rc = csat__terms_fightin_words(ta, tb, tp, 0.0, (uint64_t)min_count, top, cap, &got, NULL, 0,
                                     NULL);
    else
      rc = csat__terms_fightin_words(ta, tb, tp, 0.0, (uint64_t)min_count, NULL, 0, NULL, top, cap,
                                     &got);
  }
  if (rc == CSAT_OK) {
    for (i = 0; i < got; i++) {
      csat_term t;
      size_t len = top[i].len < 64 ? top[i].len : 64;
      memset(&t, 0, sizeof t);
      memcpy(t.term, top[i].term, len);
      t.term[len] = '\0';
      t.count_negative = (int64_t)top[i].count_a;
      t.count_positive = (int64_t)top[i].count_b;
      t.log_odds = top[i].delta;
      t.z = top[i].z;
      put_elem(out, stride, i, &t, sizeof t);
    }
    *count = got;
  }
  csat__terms_free(&neg);
  csat__terms_free(&pos);
  csat__terms_free(&prior);
  csat__terms_free(&empty);
  csat__free(&a->alloc, top);
  return rc;
}
