/*
 * Groups, slots and interned strings of an aggregator: open-addressing hash
 * tables under a keyed hash (so crafted keys cannot pile into one chain
 * without the seed), string storage that never moves, LIFO rollback of
 * creations for all-or-nothing ingest, and the in-place key sort.
 * SPDX-License-Identifier: MIT
 */
#include "agg.h"

#include <string.h>

/* ---- keyed hash -----------------------------------------------------------
 * A wyhash-style construction: 64x64 -> 128-bit multiplications folded to
 * 64 bits, every input word mixed with secret key material. Not a MAC, but
 * an attacker who does not know the seed cannot aim keys at one bucket.
 * (csat__agg_mum lives in agg.h: the row cache hashes with it too.) */

static uint64_t rd64(const unsigned char *p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}
static uint64_t rd32(const unsigned char *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

static uint64_t splitmix(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

void csat__agg_seed_init(csat__agg_seed *s, const uint32_t seed[4]) {
  uint64_t x = ((uint64_t)seed[1] << 32 | seed[0]) ^ 0x2d358dccaa6c78a5ull;
  uint64_t y = ((uint64_t)seed[3] << 32 | seed[2]) ^ 0x8bb84b93962eacc9ull;
  int i;
  for (i = 0; i < 4; i++)
    s->k[i] = splitmix(&x) ^ splitmix(&y) ^ ((uint64_t)(i + 1) * 0x4b33a62ed433d4a3ull);
}

uint64_t csat__agg_hash(const csat__agg_seed *s, const void *data, size_t n) {
  const unsigned char *p = data;
  uint64_t see = s->k[0] ^ csat__agg_mum(s->k[1] ^ (uint64_t)n, s->k[2]), a, b;
  size_t i = n;
  while (i > 16) {
    see = csat__agg_mum(rd64(p) ^ s->k[1], rd64(p + 8) ^ see);
    p += 16;
    i -= 16;
  }
  if (i >= 8) {
    a = rd64(p);
    b = rd64(p + i - 8);
  } else if (i >= 4) {
    a = rd32(p);
    b = rd32(p + i - 4);
  } else if (i > 0) {
    a = ((uint64_t)p[0] << 16) | ((uint64_t)p[i >> 1] << 8) | p[i - 1];
    b = 0;
  } else {
    a = b = 0;
  }
  return csat__agg_mum(s->k[3] ^ (uint64_t)n, csat__agg_mum(a ^ s->k[1], b ^ see));
}

/* ---- growth helpers ------------------------------------------------------ */
/* New capacity for `need` elements (power of two >= 16), 0 on overflow. */
static size_t new_cap(size_t cap, size_t need, size_t elem) {
  size_t nc = cap ? cap : 16;
  while (nc < need) {
    if (nc > SIZE_MAX / 4 / elem)
      return 0;
    nc *= 2;
  }
  return nc;
}

static int realloc_to(const csat__alloc *al, void **p, size_t n, size_t elem) {
  void *q = csat__realloc(al, *p, n * elem);
  if (q == NULL)
    return CSAT_ERR_NOMEM;
  *p = q;
  return CSAT_OK;
}

/* ---- open-addressing indexes: id + 1 per entry, 0 empty ------------------ */
static void idx_insert(uint32_t *idx, size_t n, uint64_t h, uint32_t id) {
  size_t j;
  for (j = (size_t)h & (n - 1); idx[j] != 0; j = (j + 1) & (n - 1))
    ;
  idx[j] = id + 1;
}

static uint64_t str_hash(const csat_agg *a, size_t i) { return a->strs[i].hash; }

static uint64_t group_record_hash(const csat_agg *a, size_t i) { return a->groups[i].hash; }

/* Replace *idx (*n entries) by an index of at least `want` entries holding
 * ids 0..count-1 (rebuilt in id order, which csat__agg_rollback relies on).
 * NOMEM leaves it as it was. */
static int index_grow(csat_agg *a, uint32_t **idx, size_t *n, size_t want, size_t count,
                      uint64_t (*hash_of)(const csat_agg *a, size_t i)) {
  size_t ni = new_cap(*n, want, sizeof(uint32_t)), i;
  uint32_t *fresh;
  if (ni == 0)
    return CSAT_ERR_NOMEM;
  fresh = csat__calloc(&a->alloc, ni * sizeof *fresh);
  if (fresh == NULL)
    return CSAT_ERR_NOMEM;
  for (i = 0; i < count; i++)
    idx_insert(fresh, ni, hash_of(a, i), (uint32_t)i);
  csat__free(&a->alloc, *idx);
  *idx = fresh;
  *n = ni;
  return CSAT_OK;
}

/* ---- strings ------------------------------------------------------------- */
static int str_reserve(csat_agg *a, size_t more, size_t bytes) {
  size_t need = a->nstr + more, nc;
  csat__agg_chunk *c = a->chunks;
  if (need > a->str_cap) {
    nc = new_cap(a->str_cap, need, sizeof(csat__agg_str));
    if (nc == 0 || nc > UINT32_MAX / 4)
      return CSAT_ERR_NOMEM;
    if (realloc_to(&a->alloc, (void **)&a->strs, nc, sizeof *a->strs) ||
        realloc_to(&a->alloc, (void **)&a->str_order, nc, sizeof *a->str_order))
      return CSAT_ERR_NOMEM;
    a->str_cap = nc;
  }
  if (need * 2 > a->str_nidx &&
      index_grow(a, &a->str_index, &a->str_nidx, need * 2, a->nstr, str_hash) != CSAT_OK)
    return CSAT_ERR_NOMEM;
  if (bytes > 0 && (c == NULL || c->cap - c->used < bytes)) {
    size_t cap = bytes > 65536 ? bytes : 65536;
    c = csat__malloc(&a->alloc, sizeof *c + cap);
    if (c == NULL)
      return CSAT_ERR_NOMEM;
    c->used = 0;
    c->cap = cap;
    c->next = a->chunks;
    a->chunks = c;
  }
  return CSAT_OK;
}

uint32_t csat__agg_str_find(const csat_agg *a, const char *s, size_t n) {
  uint64_t h;
  size_t j;
  if (a->str_nidx == 0)
    return CSAT__AGG_NONE;
  h = csat__agg_hash(&a->seed, s, n);
  for (j = (size_t)h & (a->str_nidx - 1); a->str_index[j] != 0; j = (j + 1) & (a->str_nidx - 1)) {
    const csat__agg_str *e = &a->strs[a->str_index[j] - 1];
    if (e->hash == h && e->len == n && memcmp(e->s, s, n) == 0)
      return a->str_index[j] - 1;
  }
  return CSAT__AGG_NONE;
}

int csat__agg_intern(csat_agg *a, const char *s, size_t n, uint32_t *id) {
  uint64_t h;
  size_t j;
  csat__agg_str *e;
  char *p;
  uint32_t f;
  if (n == 0 && a->nstr > 0) {
    *id = 0;
    return CSAT_OK;
  }
  f = csat__agg_str_find(a, s, n);
  if (f != CSAT__AGG_NONE) {
    *id = f;
    return CSAT_OK;
  }
  if (n > UINT32_MAX - 1 || str_reserve(a, 1, n + 1) != CSAT_OK)
    return CSAT_ERR_NOMEM;
  h = csat__agg_hash(&a->seed, s, n);
  p = (char *)(a->chunks + 1) + a->chunks->used;
  if (n)
    memcpy(p, s, n);
  p[n] = '\0';
  a->chunks->used += n + 1;
  e = &a->strs[a->nstr];
  e->s = p;
  e->len = (uint32_t)n;
  e->rank = 0;
  e->hash = h;
  for (j = (size_t)h & (a->str_nidx - 1); a->str_index[j] != 0; j = (j + 1) & (a->str_nidx - 1))
    ;
  a->str_index[j] = (uint32_t)a->nstr + 1;
  *id = (uint32_t)a->nstr++;
  a->sorted = 0;
  return CSAT_OK;
}

/* ---- groups ---------------------------------------------------------------- */
/* The key is nine integers: three keyed multiply-folds, no byte loop. */
static uint64_t group_hash(const csat_agg *a, const uint32_t dim[CSAT__AGG_DIMS], int64_t period) {
  const uint64_t *k = a->seed.k;
  uint64_t w0 = (uint64_t)dim[0] | (uint64_t)dim[1] << 32;
  uint64_t w1 = (uint64_t)dim[2] | (uint64_t)dim[3] << 32;
  uint64_t w2 = (uint64_t)dim[4] | (uint64_t)dim[5] << 32;
  uint64_t w3 = (uint64_t)dim[6] | (uint64_t)dim[7] << 32;
  uint64_t h = csat__agg_mum(w0 ^ k[0], w1 ^ k[1]);
  h = csat__agg_mum(h ^ w2 ^ k[2], w3 ^ k[3]);
  return csat__agg_mum(h ^ (uint64_t)period ^ k[1], k[2] ^ 0x9e3779b97f4a7c15ull);
}

static int same_key(const csat__agg_group *g, const uint32_t dim[CSAT__AGG_DIMS], int64_t period) {
  uint32_t d = 0;
  int i;
  for (i = 0; i < CSAT__AGG_DIMS; i++)
    d |= g->dim[i] ^ dim[i];
  return d == 0 && g->period == period;
}

uint32_t csat__agg_group_find_key(const csat_agg *a, const uint32_t dim[CSAT__AGG_DIMS],
                                  int64_t period) {
  uint64_t h;
  size_t j;
  if (a->gidx_n == 0)
    return CSAT__AGG_NONE;
  h = group_hash(a, dim, period);
  for (j = (size_t)h & (a->gidx_n - 1); a->gidx[j] != 0; j = (j + 1) & (a->gidx_n - 1)) {
    const csat__agg_group *g = &a->groups[a->gidx[j] - 1];
    if (g->hash == h && same_key(g, dim, period))
      return a->gidx[j] - 1;
  }
  return CSAT__AGG_NONE;
}

int csat__agg_reserve(csat_agg *a, size_t groups, size_t slots) {
  size_t need = a->ngroups + groups, nc;
  if (groups > UINT32_MAX / 4 || slots > UINT32_MAX / 4)
    return CSAT_ERR_NOMEM;
  if (need > a->group_cap) {
    nc = new_cap(a->group_cap, need, sizeof(csat__agg_group));
    if (nc == 0 || nc > UINT32_MAX / 4)
      return CSAT_ERR_NOMEM;
    if (realloc_to(&a->alloc, (void **)&a->groups, nc, sizeof *a->groups) ||
        realloc_to(&a->alloc, (void **)&a->order, nc, sizeof *a->order))
      return CSAT_ERR_NOMEM;
    a->group_cap = nc;
  }
  if (need * 2 > a->gidx_n &&
      index_grow(a, &a->gidx, &a->gidx_n, need * 2, a->ngroups, group_record_hash) != CSAT_OK)
    return CSAT_ERR_NOMEM;
  need = a->nslots + slots;
  if (need > a->slot_cap) {
    nc = new_cap(a->slot_cap, need, 11 * sizeof(uint64_t));
    if (nc == 0 || nc > UINT32_MAX / 4)
      return CSAT_ERR_NOMEM;
    if (realloc_to(&a->alloc, (void **)&a->slots, nc, sizeof *a->slots) ||
        realloc_to(&a->alloc, (void **)&a->hist, nc, 11 * sizeof *a->hist) ||
        realloc_to(&a->alloc, (void **)&a->valid, nc, sizeof *a->valid))
      return CSAT_ERR_NOMEM;
    a->slot_cap = nc;
  }
  return CSAT_OK;
}

int csat__agg_group_get(csat_agg *a, const uint32_t dim[CSAT__AGG_DIMS], int64_t period,
                        uint32_t *group, int *created) {
  uint32_t f = csat__agg_group_find_key(a, dim, period);
  csat__agg_group *g;
  if (f != CSAT__AGG_NONE) {
    *group = f;
    *created = 0;
    return CSAT_OK;
  }
  if (csat__agg_reserve(a, 1, 0) != CSAT_OK)
    return CSAT_ERR_NOMEM;
  g = &a->groups[a->ngroups];
  memset(g, 0, sizeof *g);
  memcpy(g->dim, dim, sizeof g->dim);
  g->period = period;
  g->hash = group_hash(a, dim, period);
  g->first_slot = CSAT__AGG_NONE;
  idx_insert(a->gidx, a->gidx_n, g->hash, (uint32_t)a->ngroups);
  *group = (uint32_t)a->ngroups++;
  *created = 1;
  a->sorted = 0;
  return CSAT_OK;
}

int csat__agg_slot_get(csat_agg *a, uint32_t group, uint32_t question, int min, int max,
                       uint32_t *slot, int *created) {
  csat__agg_group *g = &a->groups[group];
  csat__agg_slot *s;
  const csat__agg_str *q;
  uint32_t i;
  int v;
  for (i = g->first_slot; i != CSAT__AGG_NONE; i = a->slots[i].next) {
    s = &a->slots[i];
    if (s->question == question && s->min == min && s->max == max) {
      *slot = i;
      *created = 0;
      return CSAT_OK;
    }
  }
  if (csat__agg_reserve(a, 0, 1) != CSAT_OK)
    return CSAT_ERR_NOMEM;
  g = &a->groups[group];
  i = (uint32_t)a->nslots;
  s = &a->slots[i];
  s->group = group;
  s->question = question;
  s->min = (uint8_t)min;
  s->max = (uint8_t)max;
  q = &a->strs[question];
  s->ces = (int8_t)csat__agg_ces_index(&a->cfg, q->s, q->len);
  s->csi = (int8_t)csat__agg_csi_index(&a->cfg, q->s, q->len);
  s->next = g->first_slot;
  g->first_slot = i;
  memset(&a->hist[(size_t)i * 11], 0, 11 * sizeof *a->hist);
  a->valid[i] = 0;
  for (v = min; v <= max; v++)
    a->valid[i] = (uint16_t)(a->valid[i] | (1u << v));
  a->nslots++;
  *slot = i;
  *created = 1;
  return CSAT_OK;
}

void csat__agg_group_release(csat_agg *a, csat__agg_group *g) {
  csat__agg_dur_free(&a->alloc, &g->wait);
  csat__agg_dur_free(&a->alloc, &g->talk);
  csat__free(&a->alloc, g->cats);
  g->cats = NULL;
  if (g->terms != NULL) {
    csat__terms_free(&g->terms[0]);
    csat__terms_free(&g->terms[1]);
    csat__free(&a->alloc, g->terms);
    g->terms = NULL;
  }
}

void csat__agg_rollback(csat_agg *a, size_t ngroups, size_t nslots) {
  /* Creations are undone newest first. Slots were pushed on the front of
   * their group's chain; groups were the last entries inserted into the
   * index (a rehash reinserts in id order), so clearing their positions
   * cannot cut the probe sequence of an older group. */
  while (a->nslots > nslots) {
    csat__agg_slot *s = &a->slots[--a->nslots];
    if (s->group < ngroups)
      a->groups[s->group].first_slot = s->next;
  }
  while (a->ngroups > ngroups) {
    csat__agg_group *g = &a->groups[a->ngroups - 1];
    size_t j;
    for (j = (size_t)g->hash & (a->gidx_n - 1); a->gidx[j] != a->ngroups;
         j = (j + 1) & (a->gidx_n - 1))
      ;
    a->gidx[j] = 0;
    csat__agg_group_release(a, g);
    a->ngroups--;
  }
}

static uint64_t sat_mul(uint64_t x, uint64_t y) {
  return x != 0 && y > UINT64_MAX / x ? UINT64_MAX : x * y;
}

static int room_for(const csat_agg *a, uint64_t inc, uint64_t dinc) {
  return a->count_hi <= CSAT__AGG_COUNT_MAX && inc <= CSAT__AGG_COUNT_MAX - a->count_hi &&
         a->sum_hi <= UINT64_MAX - dinc;
}

int csat__agg_room(csat_agg *a, uint64_t counts, uint64_t durations) {
  uint64_t inc = counts, dinc = sat_mul(durations, (uint64_t)CSAT__AGG_DUR_MAX_MS);
  size_t gi;
  if (!room_for(a, inc, dinc)) {
    a->count_hi = a->sum_hi = 0;
    for (gi = 0; gi < a->ngroups; gi++) {
      const csat__agg_group *g = &a->groups[gi];
      uint64_t an = 0, ct = 0;
      uint32_t s;
      int v;
      for (s = g->first_slot; s != CSAT__AGG_NONE; s = a->slots[s].next)
        for (v = 0; v < 11; v++)
          an += a->hist[(size_t)s * 11 + (size_t)v];
      for (v = 1; v <= CSAT_OUTCOME_MAX; v++)
        ct += g->outcomes[v];
      an = an > ct ? an : ct;
      an = an > g->comments ? an : g->comments;
      a->count_hi = an > a->count_hi ? an : a->count_hi;
      an = g->wait.sum_ms > g->talk.sum_ms ? g->wait.sum_ms : g->talk.sum_ms;
      a->sum_hi = an > a->sum_hi ? an : a->sum_hi;
    }
    if (!room_for(a, inc, dinc)) {
      int over = a->count_hi > CSAT__AGG_COUNT_MAX || inc > CSAT__AGG_COUNT_MAX - a->count_hi;
      return csat__agg_fail(a, CSAT_ERR_LIMIT,
                            over ? "a group's count would exceed CSAT_AGG_COUNT_MAX"
                                 : "a group's wait or talk time sum would exceed 2^64 ms");
    }
  }
  a->count_hi += inc;
  a->sum_hi += dinc;
  return CSAT_OK;
}

int csat__agg_group_empty(const csat_agg *a, uint32_t gi) {
  const csat__agg_group *g = &a->groups[gi];
  uint32_t s;
  int o;
  if (g->comments != 0 || g->wait.n != 0 || g->talk.n != 0 || g->answered || g->flagged ||
      g->esc_offered || g->escalated)
    return 0;
  for (o = 0; o <= CSAT_OUTCOME_MAX; o++)
    if (g->outcomes[o])
      return 0;
  for (s = g->first_slot; s != CSAT__AGG_NONE; s = a->slots[s].next) {
    int v;
    for (v = 0; v < 11; v++)
      if (a->hist[(size_t)s * 11 + (size_t)v])
        return 0;
  }
  return 1;
}

/* ---- sorting ----------------------------------------------------------- */
static void sift(uint32_t *v, size_t root, size_t n,
                 int (*cmp)(const void *ctx, uint32_t x, uint32_t y), const void *ctx) {
  for (;;) {
    size_t c = 2 * root + 1;
    uint32_t t;
    if (c >= n)
      return;
    if (c + 1 < n && cmp(ctx, v[c], v[c + 1]) < 0)
      c++;
    if (cmp(ctx, v[root], v[c]) >= 0)
      return;
    t = v[root];
    v[root] = v[c];
    v[c] = t;
    root = c;
  }
}

void csat__agg_heapsort(uint32_t *v, size_t n, int (*cmp)(const void *ctx, uint32_t x, uint32_t y),
                        const void *ctx) {
  size_t i;
  if (n < 2)
    return;
  for (i = n / 2; i-- > 0;)
    sift(v, i, n, cmp, ctx);
  for (i = n - 1; i > 0; i--) {
    uint32_t t = v[0];
    v[0] = v[i];
    v[i] = t;
    sift(v, 0, i, cmp, ctx);
  }
}

static int str_cmp(const void *ctx, uint32_t x, uint32_t y) {
  const csat_agg *a = ctx;
  const csat__agg_str *p = &a->strs[x], *q = &a->strs[y];
  size_t n = p->len < q->len ? p->len : q->len;
  int c = memcmp(p->s, q->s, n);
  if (c != 0)
    return c;
  return p->len < q->len ? -1 : p->len > q->len;
}

int csat__agg_group_cmp(const csat_agg *a, uint32_t x, uint32_t y) {
  const csat__agg_group *p = &a->groups[x], *q = &a->groups[y];
  int d;
  for (d = 0; d < CSAT__AGG_DIMS; d++) {
    uint32_t u = p->dim[d], v = q->dim[d];
    if (d != CSAT__AGG_DIM_CHANNEL) {
      u = a->strs[u].rank;
      v = a->strs[v].rank;
    }
    if (u != v)
      return u < v ? -1 : 1;
  }
  if (p->period != q->period)
    return p->period < q->period ? -1 : 1;
  return 0;
}

static int group_cmp_ctx(const void *ctx, uint32_t x, uint32_t y) {
  return csat__agg_group_cmp(ctx, x, y);
}

void csat__agg_sort(csat_agg *a) {
  size_t i;
  if (a->sorted)
    return;
  for (i = 0; i < a->nstr; i++)
    a->str_order[i] = (uint32_t)i;
  csat__agg_heapsort(a->str_order, a->nstr, str_cmp, a);
  for (i = 0; i < a->nstr; i++)
    a->strs[a->str_order[i]].rank = (uint32_t)i;
  for (i = 0; i < a->ngroups; i++)
    a->order[i] = (uint32_t)i;
  csat__agg_heapsort(a->order, a->ngroups, group_cmp_ctx, a);
  a->sorted = 1;
}
