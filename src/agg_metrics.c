/*
 * Metrics from integer state. A slot's histogram gives every score figure;
 * a group's counters give the contact figures; durations are exact sums plus
 * a sparse 1-second histogram (sorted bins) for the median. Doubles appear
 * only here, at read time.
 * SPDX-License-Identifier: MIT
 */
#include "agg_internal.h"
#include "agg_stats.h"

#include <string.h>

/* z of a two-sided 95% interval: csat__normal_quantile(0.975). */
#define Z95 1.959963984540054

/* ---- durations ---------------------------------------------------------- */
int csat__agg_dur_reserve(const csat__alloc *al, csat__agg_dur *d, size_t more) {
  size_t need = (size_t)d->len + more, nc;
  csat__agg_bin *b;
  if (need <= d->cap)
    return CSAT_OK;
  if (need > UINT32_MAX / 2)
    return CSAT_ERR_NOMEM;
  nc = d->cap ? (size_t)d->cap * 2 : 4;
  while (nc < need)
    nc *= 2;
  b = csat__realloc(al, d->bins, nc * sizeof *b);
  if (b == NULL)
    return CSAT_ERR_NOMEM;
  d->bins = b;
  d->cap = (uint32_t)nc;
  return CSAT_OK;
}

void csat__agg_dur_free(const csat__alloc *al, csat__agg_dur *d) {
  csat__free(al, d->bins);
  memset(d, 0, sizeof *d);
}

static uint32_t ms_to_sec(int64_t ms) {
  return (uint32_t)((ms + 500) / 1000); /* half up: 1500 ms -> 2 s */
}

static void sort_secs(uint32_t *v, uint32_t n) {
  uint32_t i, j;
  for (i = 1; i < n; i++) {
    uint32_t x = v[i];
    for (j = i; j > 0 && v[j - 1] > x; j--)
      v[j] = v[j - 1];
    v[j] = x;
  }
}

/* Count the sorted seconds v[0..n) into d's bins; cap >= len + distinct new
 * seconds. Existing bins are found moving forward (v is sorted): a linear
 * walk while the bins are few per value, which streams through memory the
 * prefetcher follows, else a binary search; new ones are inserted in one
 * backward pass. */
static void fold_sorted(csat__agg_dur *d, const uint32_t *v, uint32_t n) {
  uint32_t sec[CSAT__AGG_DUR_PEND], pos[CSAT__AGG_DUR_PEND];
  uint64_t cnt[CSAT__AGG_DUR_PEND];
  uint32_t k = 0, fresh = 0, lo = 0, i, r, w;
  int walk = d->len <= 64u * n;
  for (i = 0; i < n; i++) {
    uint32_t hi = d->len;
    if (k > 0 && sec[k - 1] == v[i]) {
      cnt[k - 1]++;
      continue;
    }
    if (walk) {
      while (lo < hi && d->bins[lo].sec < v[i])
        lo++;
    } else {
      while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (d->bins[mid].sec < v[i])
          lo = mid + 1;
        else
          hi = mid;
      }
    }
    if (lo < d->len && d->bins[lo].sec == v[i]) {
      d->bins[lo].count++;
      continue;
    }
    sec[k] = v[i];
    cnt[k] = 1;
    pos[k++] = lo;
    fresh++;
  }
  if (fresh == 0)
    return;
  r = d->len;
  w = d->len + fresh;
  while (k-- > 0) {
    uint32_t m = r - pos[k];
    w -= m;
    memmove(&d->bins[w], &d->bins[pos[k]], (size_t)m * sizeof *d->bins);
    r = pos[k];
    w--;
    d->bins[w].sec = sec[k];
    d->bins[w].pad_ = 0;
    d->bins[w].count = cnt[k];
  }
  d->len += fresh;
}

static void fold(csat__agg_dur *d) {
  sort_secs(d->pend, d->npend);
  fold_sorted(d, d->pend, d->npend);
  d->npend = 0;
}

void csat__agg_dur_add(csat__agg_dur *d, int64_t ms) {
  if (d->npend == CSAT__AGG_DUR_PEND)
    fold(d);
  d->pend[d->npend++] = ms_to_sec(ms);
  d->n++;
  d->sum_ms += (uint64_t)ms;
}

void csat__agg_dur_iter_init(csat__agg_dur_iter *it, const csat__agg_dur *d) {
  it->d = d;
  it->i = it->j = 0;
  it->np = d->npend;
  memcpy(it->p, d->pend, (size_t)d->npend * sizeof *it->p);
  sort_secs(it->p, it->np);
}

int csat__agg_dur_next(csat__agg_dur_iter *it, uint32_t *sec, uint64_t *count) {
  const csat__agg_dur *d = it->d;
  uint32_t s;
  uint64_t c = 0;
  if (it->i < d->len && (it->j >= it->np || d->bins[it->i].sec <= it->p[it->j]))
    s = d->bins[it->i].sec;
  else if (it->j < it->np)
    s = it->p[it->j];
  else
    return 0;
  if (it->i < d->len && d->bins[it->i].sec == s)
    c = d->bins[it->i++].count;
  while (it->j < it->np && it->p[it->j] == s) {
    c++;
    it->j++;
  }
  *sec = s;
  *count = c;
  return 1;
}

uint32_t csat__agg_dur_bins(const csat__agg_dur *d) {
  csat__agg_dur_iter it;
  uint32_t n = 0, sec;
  uint64_t c;
  if (d->npend == 0)
    return d->len;
  csat__agg_dur_iter_init(&it, d);
  while (csat__agg_dur_next(&it, &sec, &c))
    n++;
  return n;
}

void csat__agg_dur_merge(csat__agg_dur *d, const csat__agg_dur *s) {
  /* Fold d's own pending values, move d's bins to the end of its (reserved)
   * room, then merge forward with s's view: the write position never
   * passes the read position of d's bins. */
  csat__agg_dur_iter it;
  uint32_t off, di = 0, w = 0, dl, ssec = 0;
  uint64_t scnt = 0;
  int more;
  fold(d);
  csat__agg_dur_iter_init(&it, s);
  more = csat__agg_dur_next(&it, &ssec, &scnt);
  if (!more) {
    d->n += s->n;
    d->sum_ms += s->sum_ms;
    return;
  }
  dl = d->len;
  off = d->cap - dl;
  memmove(&d->bins[off], &d->bins[0], (size_t)dl * sizeof *d->bins);
  while (di < dl || more) {
    csat__agg_bin b;
    if (!more || (di < dl && d->bins[off + di].sec < ssec)) {
      b = d->bins[off + di++];
    } else {
      if (di < dl && d->bins[off + di].sec == ssec) {
        b = d->bins[off + di++];
        b.count += scnt;
      } else {
        b.sec = ssec;
        b.pad_ = 0;
        b.count = scnt;
      }
      more = csat__agg_dur_next(&it, &ssec, &scnt);
    }
    d->bins[w++] = b;
  }
  d->len = w;
  d->n += s->n;
  d->sum_ms += s->sum_ms;
}

double csat__agg_dur_median(const csat__agg_dur *d) {
  /* Ranks (n+1)/2 and n/2+1 (1-based): the same rank for odd n. */
  uint64_t r1 = (d->n + 1) / 2, r2 = d->n / 2 + 1, seen = 0, c;
  uint32_t v1 = 0, v2 = 0, sec;
  int got1 = 0;
  csat__agg_dur_iter it;
  if (d->n == 0)
    return 0.0;
  csat__agg_dur_iter_init(&it, d);
  while (csat__agg_dur_next(&it, &sec, &c)) {
    seen += c;
    if (!got1 && seen >= r1) {
      v1 = sec;
      got1 = 1;
    }
    if (seen >= r2) {
      v2 = sec;
      break;
    }
  }
  return ((double)v1 + (double)v2) / 2.0;
}

/* ---- sums ----------------------------------------------------------------- */
static uint32_t ces_mask(const csat_agg *a, int ces, int min, int max) {
  uint32_t m = a->cfg.ces[ces].value;
  int v;
  if (m != 0)
    return m;
  for (v = max; v >= min && v > max - 3; v--)
    m |= 1u << v;
  return m;
}

void csat__agg_sums_group(const csat_agg *a, uint32_t gi, csat__agg_sums *s) {
  const csat__agg_group *g = &a->groups[gi];
  uint32_t si;
  int o;
  for (si = g->first_slot; si != CSAT__AGG_NONE; si = a->slots[si].next) {
    const csat__agg_slot *sl = &a->slots[si];
    const uint64_t *h = &a->hist[(size_t)si * 11];
    int min = sl->min, max = sl->max, idx = csat__agg_scale_index(min, max), v;
    uint32_t pos = a->cfg.pos[idx], neg = a->cfg.neg[idx];
    uint32_t agree = sl->ces >= 0 ? ces_mask(a, sl->ces, min, max) : 0;
    int nps = min == 0 && max == 10;
    for (v = min; v <= max; v++) {
      uint64_t c = h[v], norm = (uint64_t)(v - min) * CSAT__AGG_NORM / (uint64_t)(max - min);
      if (c == 0)
        continue;
      s->dist[v] += c;
      s->n += c;
      s->sum += (uint64_t)v * c;
      s->sumsq += (uint64_t)(v * v) * c;
      s->sum_norm += norm * c;
      if (pos >> v & 1u) {
        s->pos += c;
        if (nps)
          s->prom += c;
      }
      if (neg >> v & 1u) {
        s->neg += c;
        if (nps)
          s->det += c;
      }
      if (nps)
        s->nps_n += c;
      if (sl->ces >= 0) {
        s->ces_n += c;
        s->ces_sum += (uint64_t)v * c;
        if (agree >> v & 1u)
          s->ces_agree += c;
      }
      if (sl->csi >= 0) {
        s->csi_n[sl->csi] += c;
        s->csi_norm[sl->csi] += norm * c;
      }
    }
  }
  for (o = 0; o <= CSAT_OUTCOME_MAX; o++)
    s->outcomes[o] += g->outcomes[o];
  s->answered += g->answered;
  s->flagged += g->flagged;
  s->esc_offered += g->esc_offered;
  s->escalated += g->escalated;
  s->comments += g->comments;
  s->comments_neg += g->comments_neg;
  s->comments_pos += g->comments_pos;
}

/* ---- derived figures -------------------------------------------------------- */
double csat__agg_variance(uint64_t n, uint64_t sum, uint64_t sumsq) {
  /* n * sumsq - sum^2 exactly in 128 bits (both products below 2^128). */
  uint64_t ah, al, bh, bl, hi, lo;
  uint64_t x0, x1, y0, y1, p00, p01, p10, p11, mid, carry;
  if (n < 2)
    return 0.0;
#define MUL128(a, b, H, L)                                                                 \
  do {                                                                                     \
    x0 = (uint32_t)(a);                                                                    \
    x1 = (a) >> 32;                                                                        \
    y0 = (uint32_t)(b);                                                                    \
    y1 = (b) >> 32;                                                                        \
    p00 = x0 * y0;                                                                         \
    p01 = x0 * y1;                                                                         \
    p10 = x1 * y0;                                                                         \
    p11 = x1 * y1;                                                                         \
    mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;                                     \
    L = (mid << 32) | (uint32_t)p00;                                                       \
    H = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);                                    \
  } while (0)
  MUL128(n, sumsq, ah, al);
  MUL128(sum, sum, bh, bl);
#undef MUL128
  carry = al < bl;
  lo = al - bl;
  hi = ah - bh - carry;
  if (ah < bh || (ah == bh && al < bl))
    return 0.0; /* cannot happen for real data (Cauchy-Schwarz) */
  return ((double)hi * 18446744073709551616.0 + (double)lo) / ((double)n * (double)(n - 1));
}

static double share(uint64_t k, uint64_t n) {
  return n ? (double)k / (double)n : 0.0;
}

static int64_t i64(uint64_t v) {
  return v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v;
}

void csat__agg_metrics_fill(const csat_agg *a, const csat__agg_sums *s,
                            const csat__agg_dur *wait, const csat__agg_dur *talk,
                            csat_metrics *out) {
  csat_metrics m;
  size_t size = out->struct_size, q;
  uint64_t offered = 0, contacts = 0, wsum = 0;
  double csi_num = 0.0;
  int o;
  memset(&m, 0, sizeof m);
  m.struct_size = size;
  m.count = i64(s->n);
  if (s->n) {
    m.mean = (double)s->sum / (double)s->n;
    m.sd = csat__sqrt(csat__agg_variance(s->n, s->sum, s->sumsq));
    m.mean_pct = (double)s->sum_norm * 100.0 / ((double)s->n * CSAT__AGG_NORM);
  }
  for (o = 0; o < 11; o++)
    m.distribution[o] = i64(s->dist[o]);
  m.positive = i64(s->pos);
  m.csat = share(s->pos, s->n);
  csat__wilson(s->pos, s->n, Z95, &m.csat_lo, &m.csat_hi);
  m.negative = i64(s->neg);
  m.negative_share = share(s->neg, s->n);
  csat__wilson(s->neg, s->n, Z95, &m.negative_lo, &m.negative_hi);
  m.nps_count = i64(s->nps_n);
  m.promoters = i64(s->prom);
  m.detractors = i64(s->det);
  csat__nps(s->prom, s->det, s->nps_n, Z95, &m.nps, &m.nps_lo, &m.nps_hi);
  m.ces_count = i64(s->ces_n);
  m.ces_mean = s->ces_n ? (double)s->ces_sum / (double)s->ces_n : 0.0;
  m.ces_agree = i64(s->ces_agree);
  m.ces_agree_share = share(s->ces_agree, s->ces_n);
  csat__wilson(s->ces_agree, s->ces_n, Z95, &m.ces_agree_lo, &m.ces_agree_hi);
  for (q = 0; q < a->cfg.ncsi; q++) {
    if (s->csi_n[q] == 0)
      continue;
    m.csi_count += i64(s->csi_n[q]);
    wsum += a->cfg.csi[q].value;
    csi_num += (double)a->cfg.csi[q].value * ((double)s->csi_norm[q] * 100.0 /
                                              ((double)s->csi_n[q] * CSAT__AGG_NORM));
  }
  m.csi = wsum ? csi_num / (double)wsum : 0.0;
  for (o = 1; o <= CSAT_OUTCOME_MAX; o++) {
    contacts += s->outcomes[o];
    m.outcomes[o] = i64(s->outcomes[o]);
  }
  offered = contacts - s->outcomes[CSAT_OUTCOME_ALREADY_ANSWERED];
  m.contacts = i64(contacts);
  m.offered = i64(offered);
  m.answered = i64(s->answered);
  m.completed = i64(s->outcomes[CSAT_OUTCOME_COMPLETED]);
  m.partial = i64(s->outcomes[CSAT_OUTCOME_PARTIAL]);
  m.opted_out = i64(s->outcomes[CSAT_OUTCOME_OPTED_OUT]);
  m.response_rate = share(s->answered, offered);
  csat__wilson(s->answered, offered, Z95, &m.response_lo, &m.response_hi);
  m.flagged = i64(s->flagged);
  m.escalation_offered = i64(s->esc_offered);
  m.escalated = i64(s->escalated);
  m.wait_count = i64(wait->n);
  if (wait->n) {
    m.wait_mean_s = (double)wait->sum_ms / (double)wait->n / 1000.0;
    m.wait_median_s = csat__agg_dur_median(wait);
  }
  m.talk_count = i64(talk->n);
  if (talk->n) {
    m.talk_mean_s = (double)talk->sum_ms / (double)talk->n / 1000.0;
    m.talk_median_s = csat__agg_dur_median(talk);
  }
  m.comments = i64(s->comments);
  m.comments_negative = i64(s->comments_neg);
  m.comments_positive = i64(s->comments_pos);
  memcpy(out, &m, size < sizeof m ? size : sizeof m);
  out->struct_size = size > sizeof m ? sizeof m : size;
}
