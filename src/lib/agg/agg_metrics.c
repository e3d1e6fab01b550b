/*
 * Metrics from integer state. A slot's histogram gives every score figure;
 * a group's counters give the contact figures; durations are exact sums plus
 * a sparse 1-second histogram (sorted bins) for the median. Doubles appear
 * only here, at read time.
 * SPDX-License-Identifier: MIT
 */
#include "agg.h"
#include "agg_stats.h"

#include <string.h>

/* z of a two-sided 95% interval: csat__stats_normal_quantile(0.975). */
#define Z95 1.959963984540054

/* ---- durations ---------------------------------------------------------- */
#define PEND CSAT__AGG_DUR_PEND
#define WIN_FULL CSAT__AGG_DUR_WIN_FULL
/* A window covers at least this many distinct seconds, one per WIN_DENSITY
 * seconds or more: its 2-byte slots then cost at most twice the 16-byte
 * bins they replace, so few values or far outliers stay sparse. */
#define WIN_MIN_SECS 16
#define WIN_DENSITY 16
/* Seconds further apart than this end a run when a window is chosen. */
#define WIN_GAP 64
#define SEC_LAST ((uint32_t)((CSAT__AGG_DUR_MAX_MS + 500) / 1000))
#define BINS_MIN 8

#if defined(__GNUC__)
#  define DUR_COLD __attribute__((noinline, cold))
#else
#  define DUR_COLD
#endif

static int bins_resize(const csat__alloc *al, csat__agg_dur *d, size_t cap) {
  csat__agg_bin *b = csat__realloc(al, d->bins, cap * sizeof *b);
  if (b == NULL)
    return CSAT_ERR_NOMEM;
  d->bins = b;
  d->cap = (uint32_t)cap;
  return CSAT_OK;
}

/* Make cap >= need, doubling. NOMEM (d unchanged). */
static int bins_grow(const csat__alloc *al, csat__agg_dur *d, size_t need) {
  size_t nc;
  if (need <= d->cap)
    return CSAT_OK;
  if (need > UINT32_MAX / 2)
    return CSAT_ERR_NOMEM;
  nc = d->cap ? (size_t)d->cap * 2 : BINS_MIN;
  while (nc < need)
    nc *= 2;
  return bins_resize(al, d, nc);
}

/* Give back bins a window took over (best effort: a failed shrink keeps
 * the larger block). */
static void bins_trim(const csat__alloc *al, csat__agg_dur *d, size_t need) {
  size_t want = BINS_MIN;
  while (want < need)
    want *= 2;
  if ((size_t)d->cap >= 4 * want)
    (void)bins_resize(al, d, want);
}

void csat__agg_dur_free(const csat__alloc *al, csat__agg_dur *d) {
  csat__free(al, d->bins);
  csat__free(al, d->win);
  memset(d, 0, sizeof *d);
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

/* Count c more of second sec into the window when the slot has room: 1.
 * Else 0, and a full slot's count moves into *c, for the bins to take. */
static int win_take(csat__agg_dur *d, uint32_t sec, uint64_t *c) {
  uint32_t off = sec - d->base; /* wraps below base: out of range */
  uint64_t t;
  if (off >= d->span)
    return 0;
  t = d->win[off] + *c;
  if (t <= WIN_FULL) {
    d->win[off] = (uint16_t)t;
    return 1;
  }
  d->win[off] = 0;
  *c = t;
  return 0;
}

/* First bin in bins[lo, hi) with sec >= key (hi when none). The halving
 * step is a conditional move, not a branch the data mispredicts. */
static uint32_t bins_lower_bound(const csat__agg_bin *b, uint32_t lo, uint32_t hi, uint32_t key) {
  const csat__agg_bin *p = b + lo;
  uint32_t n = hi - lo;
  if (n == 0)
    return lo;
  while (n > 1) {
    uint32_t half = n / 2;
    p = p[half].sec < key ? p + half : p;
    n -= half;
  }
  return (uint32_t)(p - b) + (p->sec < key);
}

/* Add the increasing seconds sec[0..k) with counts cnt to the bins; cap >=
 * len + k. Known seconds are counted in place; the fresh ones are inserted
 * in one backward pass. */
static void bins_add_sorted(csat__agg_dur *d, const uint32_t *sec, const uint64_t *cnt,
                            uint32_t k) {
  uint32_t fsec[PEND], fpos[PEND];
  uint64_t fcnt[PEND];
  uint32_t nf = 0, lo = 0, i, r, w;
  for (i = 0; i < k; i++) {
    lo = bins_lower_bound(d->bins, lo, d->len, sec[i]);
    if (lo < d->len && d->bins[lo].sec == sec[i]) {
      d->bins[lo].count += cnt[i];
      continue;
    }
    fsec[nf] = sec[i];
    fcnt[nf] = cnt[i];
    fpos[nf++] = lo;
  }
  r = d->len;
  w = d->len + nf;
  d->len = w;
  while (nf-- > 0) {
    uint32_t m = r - fpos[nf];
    w -= m;
    memmove(&d->bins[w], &d->bins[fpos[nf]], (size_t)m * sizeof *d->bins);
    r = fpos[nf];
    w--;
    d->bins[w].sec = fsec[nf];
    d->bins[w].pad_ = 0;
    d->bins[w].count = fcnt[nf];
  }
}

/* Empty pend into the window (a full slot's overflow) and the bins; needs
 * cap >= len + npend. */
static void fold(csat__agg_dur *d) {
  uint32_t sec[PEND], k = 0, i, n;
  uint64_t cnt[PEND];
  if (d->npend == 0)
    return;
  sort_secs(d->pend, d->npend);
  for (i = 0; i < d->npend; i++) {
    if (k > 0 && sec[k - 1] == d->pend[i]) {
      cnt[k - 1]++;
      continue;
    }
    sec[k] = d->pend[i];
    cnt[k++] = 1;
  }
  d->npend = 0;
  for (i = 0, n = k, k = 0; i < n; i++)
    if (!win_take(d, sec[i], &cnt[i])) {
      sec[k] = sec[i];
      cnt[k++] = cnt[i];
    }
  bins_add_sorted(d, sec, cnt, k);
}

/* Out of line (csat__agg_dur_add, inline, increments the window). */
DUR_COLD void csat__agg_dur_add_sparse(csat__agg_dur *d, uint32_t sec) {
  if (d->npend == PEND)
    fold(d);
  d->pend[d->npend++] = sec;
}

void csat__agg_dur_iter_init(csat__agg_dur_iter *it, const csat__agg_dur *d) {
  it->d = d;
  it->i = it->j = it->w = 0;
  it->np = d->npend;
  memcpy(it->p, d->pend, (size_t)d->npend * sizeof *it->p);
  sort_secs(it->p, it->np);
}

int csat__agg_dur_next(csat__agg_dur_iter *it, uint32_t *sec, uint64_t *count) {
  const csat__agg_dur *d = it->d;
  uint64_t c = 0;
  uint32_t s = UINT32_MAX;
  int any = 0;
  while (it->w < d->span && d->win[it->w] == 0)
    it->w++;
  if (it->i < d->len) {
    s = d->bins[it->i].sec;
    any = 1;
  }
  if (it->j < it->np && (!any || it->p[it->j] < s)) {
    s = it->p[it->j];
    any = 1;
  }
  if (it->w < d->span && (!any || d->base + it->w < s)) {
    s = d->base + it->w;
    any = 1;
  }
  if (!any)
    return 0;
  if (it->i < d->len && d->bins[it->i].sec == s)
    c += d->bins[it->i++].count;
  while (it->j < it->np && it->p[it->j] == s) {
    c++;
    it->j++;
  }
  if (it->w < d->span && d->base + it->w == s)
    c += d->win[it->w++];
  *sec = s;
  *count = c;
  return 1;
}

uint32_t csat__agg_dur_bins(const csat__agg_dur *d) {
  csat__agg_dur_iter it;
  uint32_t n = 0, sec;
  uint64_t c;
  if (d->npend == 0 && d->span == 0)
    return d->len;
  csat__agg_dur_iter_init(&it, d);
  while (csat__agg_dur_next(&it, &sec, &c))
    n++;
  return n;
}

/* ---- choosing a window ---- */
/* Runs of seconds no more than WIN_GAP apart, the window's range counting as
 * one piece, so the run holding it can only widen it. */
typedef struct win_runs {
  uint32_t lo, hi, n; /* the run being built: range, distinct seconds */
  int has_win, open;
  uint32_t best_lo, best_hi, best_n; /* the chosen run so far */
  int best_has_win;
} win_runs;

static void runs_close(win_runs *r) {
  if (!r->open || r->best_has_win)
    return;
  if (r->has_win || r->n > r->best_n) {
    r->best_lo = r->lo;
    r->best_hi = r->hi;
    r->best_n = r->n;
    r->best_has_win = r->has_win;
  }
}

static void runs_add(win_runs *r, uint32_t lo, uint32_t hi, uint32_t n, int is_win) {
  if (r->open && (lo <= r->hi || lo - r->hi <= WIN_GAP)) { /* lo <= hi: inside the window */
    if (hi > r->hi)
      r->hi = hi;
    r->n += n;
    r->has_win |= is_win;
    return;
  }
  runs_close(r);
  r->lo = lo;
  r->hi = hi;
  r->n = n;
  r->has_win = is_win;
  r->open = 1;
}

/* Seconds the window counts (non-zero slots). */
static uint32_t win_used(const csat__agg_dur *d) {
  uint32_t i, n = 0;
  for (i = 0; i < d->span; i++)
    n += d->win[i] != 0;
  return n;
}

/* The range a window should cover (padded so neighbours of its values land
 * in it too): 0 when no run is dense enough or the window would not grow.
 * Reads the bins and window only: pend must be folded. */
static int window_choice(const csat__agg_dur *d, uint32_t *lo, uint32_t *hi) {
  win_runs r;
  uint32_t i, span, pad;
  int placed = d->span == 0;
  if (d->span == 0 && d->len < WIN_MIN_SECS)
    return 0;
  memset(&r, 0, sizeof r);
  for (i = 0; i < d->len; i++) {
    uint32_t sec = d->bins[i].sec;
    if (!placed && sec >= d->base) {
      runs_add(&r, d->base, d->base + d->span - 1, win_used(d), 1);
      placed = 1;
    }
    runs_add(&r, sec, sec, 1, 0);
  }
  if (!placed)
    runs_add(&r, d->base, d->base + d->span - 1, win_used(d), 1);
  runs_close(&r);
  span = r.best_hi - r.best_lo + 1;
  if (r.best_n < WIN_MIN_SECS || span / WIN_DENSITY > r.best_n)
    return 0;
  pad = span / 8 < WIN_GAP ? span / 8 : WIN_GAP;
  *lo = r.best_lo > pad ? r.best_lo - pad : 0;
  *hi = SEC_LAST - r.best_hi > pad ? r.best_hi + pad : SEC_LAST;
  return d->span == 0 || *lo < d->base || *hi > d->base + d->span - 1;
}

/* Replace the window by [lo, hi] (which holds it) and move into it the
 * bins it covers whose counts fit. Best effort: without memory nothing
 * changes. The bins only shrink. */
static void window_rebuild(const csat__alloc *al, csat__agg_dur *d, uint32_t lo, uint32_t hi) {
  uint32_t span = hi - lo + 1, i, w = 0;
  uint16_t *win = csat__calloc(al, (size_t)span * sizeof *win);
  if (win == NULL)
    return;
  if (d->span > 0)
    memcpy(win + (d->base - lo), d->win, (size_t)d->span * sizeof *win);
  for (i = 0; i < d->len; i++) {
    csat__agg_bin b = d->bins[i];
    uint32_t off = b.sec - lo;
    if (off < span) {
      if (win[off] + b.count <= WIN_FULL) {
        win[off] = (uint16_t)(win[off] + b.count);
        continue;
      }
      b.count += win[off];
      win[off] = 0;
    }
    d->bins[w++] = b;
  }
  d->len = w;
  csat__free(al, d->win);
  d->win = win;
  d->base = lo;
  d->span = span;
}

/* The bins must grow: fold, let a window take what it can, then make room
 * for what stays sparse. */
static int reserve_grow(const csat__alloc *al, csat__agg_dur *d, size_t more) {
  uint32_t lo, hi;
  if (more > UINT32_MAX / 4 || bins_grow(al, d, (size_t)d->len + d->npend) != CSAT_OK)
    return CSAT_ERR_NOMEM;
  fold(d);
  if (window_choice(d, &lo, &hi))
    window_rebuild(al, d, lo, hi);
  if (bins_grow(al, d, (size_t)d->len + more) != CSAT_OK)
    return CSAT_ERR_NOMEM;
  bins_trim(al, d, (size_t)d->len + more);
  return CSAT_OK;
}

int csat__agg_dur_reserve(const csat__alloc *al, csat__agg_dur *d, size_t more) {
  if (more <= PEND - d->npend)
    return CSAT_OK; /* they only fill pend */
  if ((size_t)d->len + d->npend + more <= d->cap)
    return CSAT_OK; /* every fold has its bins */
  return reserve_grow(al, d, more);
}

int csat__agg_dur_reserve_merge(const csat__alloc *al, csat__agg_dur *d, const csat__agg_dur *s) {
  /* The merge folds pend (at most npend bins, and npend more in any slot),
   * then every second of s the window cannot surely take needs a bin. */
  csat__agg_dur_iter it;
  size_t need = (size_t)d->len + d->npend;
  uint32_t sec;
  uint64_t c;
  csat__agg_dur_iter_init(&it, s);
  while (csat__agg_dur_next(&it, &sec, &c)) {
    uint32_t off = sec - d->base;
    if (!(off < d->span && d->win[off] + c + d->npend <= WIN_FULL))
      need++;
  }
  return bins_grow(al, d, need);
}

/* The next second of s the window of d does not take (counted there). */
static int next_for_bins(csat__agg_dur *d, csat__agg_dur_iter *it, uint32_t *sec, uint64_t *c) {
  while (csat__agg_dur_next(it, sec, c))
    if (!win_take(d, *sec, c))
      return 1;
  return 0;
}

void csat__agg_dur_merge(csat__agg_dur *d, const csat__agg_dur *s) {
  /* Fold d's pending values, move d's bins to the end of its (reserved)
   * room, then merge forward with what s adds to the bins: the write
   * position never passes the read position of d's bins. */
  csat__agg_dur_iter it;
  uint32_t off, di = 0, w = 0, dl, ssec = 0;
  uint64_t scnt = 0;
  int more;
  fold(d);
  csat__agg_dur_iter_init(&it, s);
  more = next_for_bins(d, &it, &ssec, &scnt);
  d->n += s->n;
  d->sum_ms += s->sum_ms;
  if (!more)
    return;
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
      more = next_for_bins(d, &it, &ssec, &scnt);
    }
    d->bins[w++] = b;
  }
  d->len = w;
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
/* The default agree set is the points above the midpoint: 5-7 on 1..7, 4-5
 * on 1..5, 3 on 1..3 (a fixed "top 3" took in the neutral point of a
 * 5-point scale and every point of a 3-point one). */
static uint32_t ces_mask(const csat_agg *a, int ces, int min, int max) {
  uint32_t m = a->cfg.ces[ces].value;
  int v;
  if (m != 0)
    return m;
  for (v = max; v >= min && 2 * v > min + max; v--)
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
#define MUL128(a, b, H, L)                             \
  do {                                                 \
    x0 = (uint32_t)(a);                                \
    x1 = (a) >> 32;                                    \
    y0 = (uint32_t)(b);                                \
    y1 = (b) >> 32;                                    \
    p00 = x0 * y0;                                     \
    p01 = x0 * y1;                                     \
    p10 = x1 * y0;                                     \
    p11 = x1 * y1;                                     \
    mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10; \
    L = (mid << 32) | (uint32_t)p00;                   \
    H = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32); \
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

static double share(uint64_t k, uint64_t n) { return n ? (double)k / (double)n : 0.0; }

static int64_t i64(uint64_t v) { return v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v; }

void csat__agg_metrics_fill(const csat_agg *a, const csat__agg_sums *s, const csat__agg_dur *wait,
                            const csat__agg_dur *talk, csat_metrics *out) {
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
    m.sd = csat__stats_sqrt(csat__agg_variance(s->n, s->sum, s->sumsq));
    m.mean_pct = (double)s->sum_norm * 100.0 / ((double)s->n * CSAT__AGG_NORM);
  }
  for (o = 0; o < 11; o++)
    m.distribution[o] = i64(s->dist[o]);
  m.positive = i64(s->pos);
  m.csat = share(s->pos, s->n);
  csat__stats_wilson(s->pos, s->n, Z95, &m.csat_lo, &m.csat_hi);
  m.negative = i64(s->neg);
  m.negative_share = share(s->neg, s->n);
  csat__stats_wilson(s->neg, s->n, Z95, &m.negative_lo, &m.negative_hi);
  m.nps_count = i64(s->nps_n);
  m.promoters = i64(s->prom);
  m.detractors = i64(s->det);
  csat__stats_nps(s->prom, s->det, s->nps_n, Z95, &m.nps, &m.nps_lo, &m.nps_hi);
  m.ces_count = i64(s->ces_n);
  m.ces_mean = s->ces_n ? (double)s->ces_sum / (double)s->ces_n : 0.0;
  m.ces_agree = i64(s->ces_agree);
  m.ces_agree_share = share(s->ces_agree, s->ces_n);
  csat__stats_wilson(s->ces_agree, s->ces_n, Z95, &m.ces_agree_lo, &m.ces_agree_hi);
  for (q = 0; q < a->cfg.ncsi; q++) {
    if (s->csi_n[q] == 0)
      continue;
    m.csi_count += i64(s->csi_n[q]);
    wsum += a->cfg.csi[q].value;
    csi_num += (double)a->cfg.csi[q].value *
               ((double)s->csi_norm[q] * 100.0 / ((double)s->csi_n[q] * CSAT__AGG_NORM));
  }
  m.csi = wsum ? csi_num / (double)wsum : 0.0;
  for (o = 1; o <= CSAT_OUTCOME_MAX; o++) {
    contacts += s->outcomes[o];
    /* outcomes[] holds 1..9 forever; later ones: csat_agg_outcome_count. */
    if ((size_t)o < sizeof m.outcomes / sizeof m.outcomes[0])
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
  csat__stats_wilson(s->answered, offered, Z95, &m.response_lo, &m.response_hi);
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
