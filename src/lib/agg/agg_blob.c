/*
 * Aggregator state: canonical save and validated restore.
 *
 * Blob (version 1): "CSAG", u32 LE version, the configuration, a string
 * table, the groups, and a u64 LE FNV-1a checksum of everything before it.
 * Integers are unsigned LEB128 varints in their shortest form (signed ones
 * zigzag-coded), so the bytes do not depend on the machine. Canonical: the
 * string table holds only the strings in use, sorted bytewise; groups are
 * written in key order, slots in (question, scale) order, duration bins in
 * second order, term tables sorted; empty groups and slots are left out. So
 * the same multiset of answers gives the same bytes whatever the split,
 * merge order, insertion order or hash seed.
 *
 * Group record: the grouped dimensions (string ids; the channel's value),
 * the period start (zigzag, with a period), the slots (question id, min,
 * max, max - min + 1 counts), outcome counts 1..9, answered, flagged,
 * escalation offered, escalated, wait and talk (n, sum ms, bins: second as
 * a delta from the previous bin, count), comments (all, negative, positive),
 * 3 counts per category, and with terms the negative and positive tables
 * in csat__terms_save form. Merging is in agg_merge.c.
 * SPDX-License-Identifier: MIT
 */
#include "agg.h"

#include <string.h>

static const unsigned char MAGIC[4] = {'C', 'S', 'A', 'G'};
#define COUNT_MAX CSAT__AGG_COUNT_MAX
#define SEC_MAX ((uint64_t)(CSAT__AGG_DUR_MAX_MS + 500) / 1000)

/* ---- writing -------------------------------------------------------------- */
/* The encodings live in wire.c (csat__out_varint, csat__zigzag). */

static void put_str(csat__out *o, const char *s) {
  size_t n = strlen(s);
  csat__out_varint(o, n);
  csat__out_bytes(o, s, n);
}

void csat__agg_cfg_write(const csat__agg_cfg *c, csat__out *o) {
  int min, max;
  size_t i, j;
  csat__out_varint(o, c->dims);
  csat__out_varint(o, (uint64_t)c->period);
  csat__out_varint(o, csat__zigzag(c->offset_min));
  csat__out_varint(o, (uint64_t)c->tz_callback);
  put_str(o, c->tz_name);
  put_str(o, c->attr_key);
  csat__out_varint(o, (uint64_t)c->terms);
  for (min = 0; min <= 10; min++)
    for (max = min + 1; max <= 10; max++) {
      csat__out_varint(o, c->pos[csat__agg_scale_index(min, max)]);
      csat__out_varint(o, c->neg[csat__agg_scale_index(min, max)]);
    }
  csat__out_varint(o, c->nces);
  for (i = 0; i < c->nces; i++) {
    put_str(o, c->ces[i].question);
    csat__out_varint(o, c->ces[i].value);
  }
  csat__out_varint(o, c->ncsi);
  for (i = 0; i < c->ncsi; i++) {
    put_str(o, c->csi[i].question);
    csat__out_varint(o, c->csi[i].value);
  }
  csat__out_varint(o, c->ncat);
  for (i = 0; i < c->ncat; i++) {
    put_str(o, c->cats[i].name);
    csat__out_varint(o, c->cats[i].npat);
    for (j = 0; j < c->cats[i].npat; j++)
      put_str(o, c->cats[i].patterns[j]);
  }
}

int csat__agg_slot_empty(const csat_agg *a, uint32_t s) {
  int v;
  for (v = 0; v < 11; v++)
    if (a->hist[(size_t)s * 11 + (size_t)v])
      return 0;
  return 1;
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

typedef struct save_ctx {
  const csat_agg *a;
  const uint32_t *newid;
} save_ctx;

static int save_group_cmp(const void *ctx, uint32_t x, uint32_t y) {
  const save_ctx *c = ctx;
  const csat__agg_group *p = &c->a->groups[x], *q = &c->a->groups[y];
  int d;
  for (d = 0; d < CSAT__AGG_DIMS; d++) {
    uint32_t u = p->dim[d], v = q->dim[d];
    if (d != CSAT__AGG_DIM_CHANNEL) {
      u = c->newid[u];
      v = c->newid[v];
    }
    if (u != v)
      return u < v ? -1 : 1;
  }
  if (p->period != q->period)
    return p->period < q->period ? -1 : 1;
  return 0;
}

static int save_slot_cmp(const void *ctx, uint32_t x, uint32_t y) {
  const save_ctx *c = ctx;
  const csat__agg_slot *p = &c->a->slots[x], *q = &c->a->slots[y];
  uint32_t u = c->newid[p->question], v = c->newid[q->question];
  if (u != v)
    return u < v ? -1 : 1;
  if (p->min != q->min)
    return p->min < q->min ? -1 : 1;
  if (p->max != q->max)
    return p->max < q->max ? -1 : 1;
  return 0;
}

static void put_dur(csat__out *o, const csat__agg_dur *d) {
  csat__agg_dur_iter it;
  uint32_t prev = 0, sec;
  uint64_t count;
  csat__out_varint(o, d->n);
  csat__out_varint(o, d->sum_ms);
  csat__out_varint(o, csat__agg_dur_bins(d));
  csat__agg_dur_iter_init(&it, d);
  while (csat__agg_dur_next(&it, &sec, &count)) {
    csat__out_varint(o, sec - prev);
    csat__out_varint(o, count);
    prev = sec;
  }
}

static void put_empty_terms(csat__out *o) { csat__out_varint(o, 0); }

/* A reader: every order it needs is sorted in memory of its own (no cache
 * of the aggregator is written), so saves and other readers may run
 * concurrently on one aggregator. */
int csat_agg_save(const csat_agg *a, void *buf, size_t cap, size_t *needed) {
  csat__out o;
  uint32_t *ord, *newid, *gord, *sord, *tord;
  uint8_t *used;
  size_t i, k, ng = 0, nused = 0, nterms = 0;
  save_ctx sc;
  int d;
  unsigned char tail[8];
  if (a == NULL || (buf == NULL && cap > 0))
    return CSAT_ERR_INVALID_ARG;
  if (a->cfg.terms)
    for (i = 0; i < a->ngroups; i++)
      if (a->groups[i].terms != NULL)
        for (d = 0; d < 2; d++)
          if (csat__terms_size(&a->groups[i].terms[d]) > nterms)
            nterms = csat__terms_size(&a->groups[i].terms[d]);
  ord = csat__malloc(&a->alloc, (3 * a->nstr + a->ngroups + a->nslots + nterms + 1) * sizeof *ord);
  used = csat__calloc(&a->alloc, a->nstr + 1);
  if (ord == NULL || used == NULL) {
    csat__free(&a->alloc, ord);
    csat__free(&a->alloc, used);
    return CSAT_ERR_NOMEM;
  }
  newid = ord + a->nstr;
  gord = newid + a->nstr;
  sord = gord + a->ngroups;
  tord = sord + a->nslots;
  for (i = 0; i < a->ngroups; i++) {
    const csat__agg_group *g = &a->groups[i];
    uint32_t s;
    if (csat__agg_group_empty(a, (uint32_t)i))
      continue;
    gord[ng++] = (uint32_t)i;
    for (d = 0; d < CSAT__AGG_DIMS; d++)
      if (d != CSAT__AGG_DIM_CHANNEL && (a->cfg.dims & (1u << d)))
        used[g->dim[d]] = 1;
    for (s = g->first_slot; s != CSAT__AGG_NONE; s = a->slots[s].next)
      if (!csat__agg_slot_empty(a, s))
        used[a->slots[s].question] = 1;
  }
  for (i = 0; i < a->nstr; i++)
    ord[i] = (uint32_t)i;
  csat__agg_heapsort(ord, a->nstr, str_cmp, a);
  for (i = 0; i < a->nstr; i++) {
    newid[ord[i]] = (uint32_t)nused;
    if (used[ord[i]])
      nused++;
  }
  sc.a = a;
  sc.newid = newid;
  csat__agg_heapsort(gord, ng, save_group_cmp, &sc);

  csat__out_init(&o, buf, cap);
  csat__out_bytes(&o, MAGIC, 4);
  {
    unsigned char v[4] = {CSAT_AGG_BLOB_VERSION, 0, 0, 0};
    csat__out_bytes(&o, v, 4);
  }
  csat__agg_cfg_write(&a->cfg, &o);
  csat__out_varint(&o, nused);
  for (i = 0; i < a->nstr; i++)
    if (used[ord[i]]) {
      csat__out_varint(&o, a->strs[ord[i]].len);
      csat__out_bytes(&o, a->strs[ord[i]].s, a->strs[ord[i]].len);
    }
  csat__out_varint(&o, ng);
  for (k = 0; k < ng; k++) {
    const csat__agg_group *g = &a->groups[gord[k]];
    size_t ns = 0, j;
    uint32_t s;
    int o2;
    for (d = 0; d < CSAT__AGG_DIMS; d++)
      if (a->cfg.dims & (1u << d))
        csat__out_varint(&o, d == CSAT__AGG_DIM_CHANNEL ? g->dim[d] : newid[g->dim[d]]);
    if (a->cfg.period != CSAT_PERIOD_NONE)
      csat__out_varint(&o, csat__zigzag(g->period));
    for (s = g->first_slot; s != CSAT__AGG_NONE; s = a->slots[s].next)
      if (!csat__agg_slot_empty(a, s))
        sord[ns++] = s;
    csat__agg_heapsort(sord, ns, save_slot_cmp, &sc);
    csat__out_varint(&o, ns);
    for (j = 0; j < ns; j++) {
      const csat__agg_slot *sl = &a->slots[sord[j]];
      unsigned char mm[2];
      int v;
      csat__out_varint(&o, newid[sl->question]);
      mm[0] = sl->min;
      mm[1] = sl->max;
      csat__out_bytes(&o, mm, 2);
      for (v = sl->min; v <= sl->max; v++)
        csat__out_varint(&o, a->hist[(size_t)sord[j] * 11 + (size_t)v]);
    }
    for (o2 = 1; o2 <= CSAT_OUTCOME_MAX; o2++)
      csat__out_varint(&o, g->outcomes[o2]);
    csat__out_varint(&o, g->answered);
    csat__out_varint(&o, g->flagged);
    csat__out_varint(&o, g->esc_offered);
    csat__out_varint(&o, g->escalated);
    put_dur(&o, &g->wait);
    put_dur(&o, &g->talk);
    csat__out_varint(&o, g->comments);
    csat__out_varint(&o, g->comments_neg);
    csat__out_varint(&o, g->comments_pos);
    for (j = 0; j < a->cfg.ncat * 3; j++)
      csat__out_varint(&o, g->cats ? g->cats[j] : 0);
    if (a->cfg.terms) {
      if (g->terms == NULL) {
        put_empty_terms(&o);
        put_empty_terms(&o);
      } else {
        csat__terms_write(&g->terms[0], tord, &o);
        csat__terms_write(&g->terms[1], tord, &o);
      }
    }
  }
  csat__free(&a->alloc, ord);
  csat__free(&a->alloc, used);
  memset(tail, 0, sizeof tail);
  if (!o.overflow && o.len <= cap && cap - o.len >= 8) {
    uint64_t h = csat__hash_fnv1a(CSAT__HASH_FNV_INIT, buf, o.len);
    for (i = 0; i < 8; i++)
      tail[i] = (unsigned char)(h >> (8 * i));
  }
  csat__out_bytes(&o, tail, 8);
  return csat__out_finish_bin(&o, needed);
}

/* ---- reading ------------------------------------------------------------- */
typedef struct rd {
  const unsigned char *p;
  size_t pos, end;
  int rc;
  size_t err_at;
  char msg[160];
} rd;

static int rd_fail(rd *r, int code, const char *what) {
  if (r->rc == CSAT_OK) {
    r->rc = code;
    r->err_at = r->pos;
    csat__msg_set(r->msg, sizeof r->msg, "%s", what);
  }
  return r->rc;
}

static size_t rd_left(const rd *r) { return r->end - r->pos; }

/* A fault is reported at the byte that showed it (the blob's end when
 * truncated). */
static uint64_t rd_varint(rd *r) {
  uint64_t v = 0;
  int st;
  if (r->rc != CSAT_OK)
    return 0;
  st = csat__varint_decode(r->p, r->end, &r->pos, &v);
  if (st == CSAT__VARINT_OK)
    return v;
  rd_fail(r, CSAT_ERR_BLOB,
          st == CSAT__VARINT_TRUNCATED ? "truncated"
          : st == CSAT__VARINT_LONG    ? "integer not in its shortest form"
                                       : "integer overflows 64 bits");
  return 0;
}

/* A varint that must not exceed max. */
static uint64_t rd_max(rd *r, uint64_t max, const char *what) {
  uint64_t v = rd_varint(r);
  if (r->rc == CSAT_OK && v > max)
    rd_fail(r, CSAT_ERR_BLOB, what);
  return r->rc == CSAT_OK ? v : 0;
}

/* A string id: an index into the blob's string table (of nstr strings, which
 * may be none). */
static uint32_t rd_str_id(rd *r, size_t nstr) {
  uint64_t v = rd_varint(r);
  if (r->rc == CSAT_OK && v >= nstr)
    rd_fail(r, CSAT_ERR_BLOB, "string id out of range");
  return r->rc == CSAT_OK ? (uint32_t)v : 0;
}

/* A count of items, each taking at least one byte: bounded by what is left. */
static size_t rd_count(rd *r, size_t max) {
  uint64_t v = rd_varint(r);
  if (r->rc != CSAT_OK)
    return 0;
  if (v > rd_left(r) || v > max) {
    rd_fail(r, CSAT_ERR_BLOB, "count larger than the blob can hold");
    return 0;
  }
  return (size_t)v;
}

/* A string (copied, NUL-terminated) of at most max bytes, valid UTF-8. */
static char *rd_str(rd *r, const csat__alloc *al, size_t max, size_t *len_out) {
  size_t n = (size_t)rd_max(r, max, "string too long");
  char *s;
  if (r->rc != CSAT_OK)
    return NULL;
  if (n > rd_left(r)) {
    rd_fail(r, CSAT_ERR_BLOB, "truncated");
    return NULL;
  }
  if (!csat__utf8_valid((const char *)r->p + r->pos, n) || memchr(r->p + r->pos, 0, n) != NULL) {
    rd_fail(r, CSAT_ERR_BLOB, "string is not valid UTF-8 without NUL");
    return NULL;
  }
  s = csat__strndup(al, (const char *)r->p + r->pos, n);
  if (s == NULL) {
    rd_fail(r, CSAT_ERR_NOMEM, "out of memory");
    return NULL;
  }
  r->pos += n;
  if (len_out != NULL)
    *len_out = n;
  return s;
}

static int qlist_read(rd *r, const csat__alloc *al, csat__agg_qcfg *v, size_t *n, uint32_t lo,
                      uint32_t hi) {
  size_t cnt = rd_count(r, CSAT__AGG_MAX_Q), i;
  for (i = 0; i < cnt && r->rc == CSAT_OK; i++) {
    size_t len;
    char *q = rd_str(r, al, CSAT__MAX_ID, &len);
    uint64_t val;
    if (q == NULL)
      break;
    v[i].question = q;
    v[i].value = 0;
    *n = i + 1;
    if (len == 0 || (i > 0 && strcmp(v[i - 1].question, q) >= 0)) {
      rd_fail(r, CSAT_ERR_BLOB, "question list not sorted");
      break;
    }
    val = rd_varint(r);
    if (r->rc == CSAT_OK && (val < lo || val > hi))
      rd_fail(r, CSAT_ERR_BLOB, "question setting out of range");
    v[i].value = (uint32_t)val;
  }
  return r->rc;
}

static int cfg_read(rd *r, const csat__alloc *al, csat__agg_cfg *c) {
  int min, max;
  size_t i, j, n;
  uint64_t v;
  c->dims = (uint32_t)rd_max(r, CSAT_DIM_ALL, "unknown dimension");
  c->period = (int32_t)rd_max(r, CSAT_PERIOD_YEAR, "unknown period");
  v = rd_varint(r);
  c->offset_min = (int32_t)csat__unzigzag(v > 4000 ? 4000 : v);
  if (r->rc == CSAT_OK && (c->offset_min < -1439 || c->offset_min > 1439))
    rd_fail(r, CSAT_ERR_BLOB, "UTC offset out of range");
  c->tz_callback = (int32_t)rd_max(r, 1, "bad time-zone flag");
  csat__free(al, c->tz_name);
  c->tz_name = rd_str(r, al, CSAT__MAX_ID, &n);
  if (r->rc != CSAT_OK)
    return r->rc;
  if (!c->tz_callback && n != 0)
    return rd_fail(r, CSAT_ERR_BLOB, "time-zone name without a callback");
  if (c->period == CSAT_PERIOD_NONE && (c->offset_min != 0 || c->tz_callback))
    return rd_fail(r, CSAT_ERR_BLOB, "time zone without a period");
  if (c->tz_callback && c->offset_min != 0)
    return rd_fail(r, CSAT_ERR_BLOB, "offset with a time-zone callback");
  csat__free(al, c->attr_key);
  c->attr_key = rd_str(r, al, CSAT__MAX_ATTR_KEY, &n);
  if (r->rc != CSAT_OK)
    return r->rc;
  if ((n != 0) != ((c->dims & CSAT_DIM_ATTRIBUTE) != 0))
    return rd_fail(r, CSAT_ERR_BLOB, "attribute key does not match the dimensions");
  c->terms = (int32_t)rd_max(r, 1, "bad terms flag");
  for (min = 0; min <= 10; min++)
    for (max = min + 1; max <= 10; max++) {
      int k = csat__agg_scale_index(min, max);
      uint32_t scale = 0;
      int b;
      for (b = min; b <= max; b++)
        scale |= 1u << b;
      c->pos[k] = (uint16_t)rd_max(r, 0x7ff, "bad score set");
      c->neg[k] = (uint16_t)rd_max(r, 0x7ff, "bad score set");
      if (r->rc == CSAT_OK &&
          ((c->pos[k] & ~scale) || (c->neg[k] & ~scale) || (c->pos[k] & c->neg[k])))
        return rd_fail(r, CSAT_ERR_BLOB, "score set outside its scale");
    }
  if (qlist_read(r, al, c->ces, &c->nces, 0, 0x7ff) != CSAT_OK ||
      qlist_read(r, al, c->csi, &c->ncsi, 1, 1000) != CSAT_OK)
    return r->rc;
  n = rd_count(r, CSAT__AGG_MAX_CAT);
  if (r->rc != CSAT_OK)
    return r->rc;
  if (n > 0) {
    c->cats = csat__calloc(al, n * sizeof *c->cats);
    if (c->cats == NULL)
      return rd_fail(r, CSAT_ERR_NOMEM, "out of memory");
  }
  for (i = 0; i < n && r->rc == CSAT_OK; i++) {
    csat__agg_cat *cat = &c->cats[i];
    size_t len, np;
    c->ncat = i + 1;
    cat->name = rd_str(r, al, CSAT__MAX_ID, &len);
    if (r->rc == CSAT_OK && len == 0)
      return rd_fail(r, CSAT_ERR_BLOB, "empty category name");
    np = rd_count(r, CSAT__AGG_MAX_PAT);
    if (r->rc != CSAT_OK)
      return r->rc;
    if (np == 0)
      return rd_fail(r, CSAT_ERR_BLOB, "category without patterns");
    cat->patterns = csat__calloc(al, np * sizeof *cat->patterns);
    if (cat->patterns == NULL)
      return rd_fail(r, CSAT_ERR_NOMEM, "out of memory");
    for (j = 0; j < np && r->rc == CSAT_OK; j++) {
      csat__pattern tmp;
      cat->patterns[j] = rd_str(r, al, CSAT__MAX_ID * 8, &len);
      cat->npat = j + 1;
      if (r->rc == CSAT_OK && csat__terms_pattern_compile(&tmp, cat->patterns[j], len) != CSAT_OK)
        return rd_fail(r, CSAT_ERR_BLOB, "bad category pattern");
    }
  }
  return r->rc;
}

/* Checked a * b + acc, saturating at UINT64_MAX. */
static uint64_t mul_add_sat(uint64_t acc, uint64_t a, uint64_t b) {
  uint64_t p;
  if (a != 0 && b > UINT64_MAX / a)
    return UINT64_MAX;
  p = a * b;
  return acc > UINT64_MAX - p ? UINT64_MAX : acc + p;
}

static void rd_dur(rd *r, csat_agg *a, csat__agg_dur *d, uint64_t contacts) {
  uint64_t n = rd_max(r, contacts, "more durations than contacts");
  uint64_t sum = rd_varint(r), total = 0, lo = 0, hi = 0;
  size_t len = rd_count(r, UINT32_MAX / 4), i;
  uint32_t prev = 0;
  if (r->rc != CSAT_OK)
    return;
  if (len > 0) {
    d->bins = csat__malloc(&a->alloc, len * sizeof *d->bins);
    if (d->bins == NULL) {
      rd_fail(r, CSAT_ERR_NOMEM, "out of memory");
      return;
    }
    d->cap = (uint32_t)len;
  }
  for (i = 0; i < len && r->rc == CSAT_OK; i++) {
    uint64_t delta = rd_varint(r), c = rd_varint(r), sec = prev + delta;
    if (r->rc != CSAT_OK)
      return;
    if ((i > 0 && delta == 0) || delta > SEC_MAX || sec > SEC_MAX || c == 0 || c > COUNT_MAX) {
      rd_fail(r, CSAT_ERR_BLOB, "bad duration bin");
      return;
    }
    d->bins[i].sec = (uint32_t)sec;
    d->bins[i].pad_ = 0;
    d->bins[i].count = c;
    d->len = (uint32_t)i + 1;
    prev = (uint32_t)sec;
    total += c;
    /* A bin of second `sec` holds durations rounded to it; ingest caps them
     * at CSAT__AGG_DUR_MAX_MS, so the last bin holds nothing above that. */
    lo = mul_add_sat(lo, c, sec * 1000 >= 500 ? sec * 1000 - 500 : 0);
    hi = mul_add_sat(hi, c,
                     sec * 1000 + 499 > (uint64_t)CSAT__AGG_DUR_MAX_MS
                         ? (uint64_t)CSAT__AGG_DUR_MAX_MS
                         : sec * 1000 + 499);
  }
  if (r->rc == CSAT_OK && (total != n || sum < lo || sum > hi))
    rd_fail(r, CSAT_ERR_BLOB, "durations inconsistent with their sum");
  d->n = n;
  d->sum_ms = sum;
}

static int rd_terms(rd *r, csat__terms *t) {
  size_t used = 0;
  int rc = csat__terms_load(t, r->p + r->pos, r->end - r->pos, &used);
  if (rc != CSAT_OK)
    return rd_fail(r, rc == CSAT_ERR_NOMEM ? CSAT_ERR_NOMEM : CSAT_ERR_BLOB, "bad term table");
  r->pos += used;
  return CSAT_OK;
}

static void rd_group(rd *r, csat_agg *a, const uint32_t *smap, size_t nstr, uint32_t *prev_key,
                     int64_t *prev_period, int first) {
  uint32_t dim[CSAT__AGG_DIMS], key[CSAT__AGG_DIMS], gi, prev_q = 0;
  int64_t period = 0;
  int d, created, o, prev_min = -1, prev_max = -1, cmp = 0;
  size_t ns, j;
  uint64_t answers = 0, contacts = 0, offered;
  csat__agg_group *g;
  for (d = 0; d < CSAT__AGG_DIMS; d++) {
    dim[d] = key[d] = 0;
    if (!(a->cfg.dims & (1u << d)))
      continue;
    if (d == CSAT__AGG_DIM_CHANNEL) {
      dim[d] = key[d] = (uint32_t)rd_max(r, INT32_MAX, "channel out of range");
    } else {
      key[d] = rd_str_id(r, nstr);
      dim[d] = r->rc == CSAT_OK ? smap[key[d]] : 0;
    }
  }
  if (a->cfg.period != CSAT_PERIOD_NONE) {
    int64_t start;
    period = csat__unzigzag(rd_varint(r));
    if (r->rc == CSAT_OK &&
        (csat__agg_period_start(a->cfg.period, period, &start) != CSAT_OK || start != period))
      rd_fail(r, CSAT_ERR_BLOB, "bad period start");
  }
  if (r->rc != CSAT_OK)
    return;
  for (d = 0; d < CSAT__AGG_DIMS && cmp == 0; d++)
    if (key[d] != prev_key[d])
      cmp = key[d] < prev_key[d] ? -1 : 1;
  if (cmp == 0 && period != *prev_period)
    cmp = period < *prev_period ? -1 : 1;
  if (!first && cmp <= 0) {
    rd_fail(r, CSAT_ERR_BLOB, "groups not in key order");
    return;
  }
  memcpy(prev_key, key, sizeof key);
  *prev_period = period;
  if (csat__agg_group_get(a, dim, period, &gi, &created) != CSAT_OK) {
    rd_fail(r, CSAT_ERR_NOMEM, "out of memory");
    return;
  }
  ns = rd_count(r, 11 * 11 * (nstr ? nstr : 1));
  for (j = 0; j < ns && r->rc == CSAT_OK; j++) {
    uint32_t q = rd_str_id(r, nstr), slot;
    int min, max, v, c2;
    uint64_t sum = 0;
    if (r->rc != CSAT_OK)
      return;
    if (rd_left(r) < 2) {
      rd_fail(r, CSAT_ERR_BLOB, "truncated");
      return;
    }
    min = r->p[r->pos];
    max = r->p[r->pos + 1];
    r->pos += 2;
    if (min > 10 || max > 10 || min >= max) {
      rd_fail(r, CSAT_ERR_BLOB, "bad scale");
      return;
    }
    c2 = j == 0            ? 1
         : q != prev_q     ? (q > prev_q ? 1 : -1)
         : min != prev_min ? (min > prev_min ? 1 : -1)
                           : (max > prev_max) - (max < prev_max);
    if (c2 <= 0) {
      rd_fail(r, CSAT_ERR_BLOB, "slots not in order");
      return;
    }
    prev_q = q;
    prev_min = min;
    prev_max = max;
    if ((a->cfg.dims & CSAT_DIM_QUESTION) && smap[q] != dim[CSAT__AGG_DIM_QUESTION]) {
      rd_fail(r, CSAT_ERR_BLOB, "slot question differs from the group's");
      return;
    }
    if (csat__agg_slot_get(a, gi, smap[q], min, max, &slot, &created) != CSAT_OK) {
      rd_fail(r, CSAT_ERR_NOMEM, "out of memory");
      return;
    }
    for (v = min; v <= max; v++) {
      uint64_t c = rd_max(r, COUNT_MAX, "count out of range");
      a->hist[(size_t)slot * 11 + (size_t)v] = c;
      sum += c;
    }
    answers += sum;
    if (r->rc == CSAT_OK && (sum == 0 || answers > COUNT_MAX)) {
      rd_fail(r, CSAT_ERR_BLOB, sum == 0 ? "empty slot" : "count out of range");
      return;
    }
  }
  g = &a->groups[gi];
  for (o = 1; o <= CSAT_OUTCOME_MAX; o++) {
    g->outcomes[o] = rd_max(r, COUNT_MAX, "count out of range");
    contacts += g->outcomes[o];
  }
  if (r->rc == CSAT_OK && contacts > COUNT_MAX)
    rd_fail(r, CSAT_ERR_BLOB, "count out of range");
  offered = contacts - g->outcomes[CSAT_OUTCOME_ALREADY_ANSWERED];
  g->answered = rd_max(r, offered, "more answered than offered");
  g->flagged = rd_max(r, contacts, "more flagged than contacts");
  g->esc_offered = rd_max(r, contacts, "more escalations than contacts");
  g->escalated = rd_max(r, g->esc_offered, "more escalated than offered");
  if (r->rc != CSAT_OK)
    return;
  rd_dur(r, a, &g->wait, contacts);
  rd_dur(r, a, &g->talk, contacts);
  g->comments = rd_max(r, COUNT_MAX, "count out of range");
  g->comments_neg = rd_max(r, g->comments, "inconsistent comment counts");
  g->comments_pos = rd_max(r, g->comments - g->comments_neg, "inconsistent comment counts");
  if (r->rc != CSAT_OK)
    return;
  if (a->cfg.ncat > 0) {
    g->cats = csat__calloc(&a->alloc, a->cfg.ncat * 3 * sizeof *g->cats);
    if (g->cats == NULL) {
      rd_fail(r, CSAT_ERR_NOMEM, "out of memory");
      return;
    }
    for (j = 0; j < a->cfg.ncat && r->rc == CSAT_OK; j++) {
      uint64_t all = rd_max(r, g->comments, "inconsistent category counts");
      uint64_t neg =
          rd_max(r, all < g->comments_neg ? all : g->comments_neg, "inconsistent category counts");
      uint64_t pos = rd_max(r, all - neg < g->comments_pos ? all - neg : g->comments_pos,
                            "inconsistent category counts");
      g->cats[j * 3] = all;
      g->cats[j * 3 + 1] = neg;
      g->cats[j * 3 + 2] = pos;
    }
  }
  if (r->rc == CSAT_OK && a->cfg.terms) {
    g->terms = csat__malloc(&a->alloc, 2 * sizeof *g->terms);
    if (g->terms == NULL) {
      rd_fail(r, CSAT_ERR_NOMEM, "out of memory");
      return;
    }
    csat__terms_init(&g->terms[0], &a->alloc, a->terms_seed);
    csat__terms_init(&g->terms[1], &a->alloc, a->terms_seed);
    if (rd_terms(r, &g->terms[0]) != CSAT_OK || rd_terms(r, &g->terms[1]) != CSAT_OK)
      return;
    if ((g->comments_neg == 0 && csat__terms_size(&g->terms[0]) != 0) ||
        (g->comments_pos == 0 && csat__terms_size(&g->terms[1]) != 0)) {
      rd_fail(r, CSAT_ERR_BLOB, "terms without comments");
      return;
    }
  }
  if (r->rc == CSAT_OK && csat__agg_group_empty(a, gi))
    rd_fail(r, CSAT_ERR_BLOB, "empty group");
}

int csat__agg_restore(csat_agg **out, const void *blob, size_t len, const csat__agg_seed *seed,
                      const csat_agg_config *cfg, const csat_allocator *alloc, csat_error *err) {
  const unsigned char *p = blob;
  csat_agg *a = NULL;
  uint32_t *smap = NULL, prev_key[CSAT__AGG_DIMS];
  int64_t prev_period = 0;
  size_t nstr, ng, i;
  uint64_t h, stored = 0;
  rd r;
  int rc;
  if (out == NULL || (blob == NULL && len > 0))
    return CSAT_ERR_INVALID_ARG;
  *out = NULL;
  if (len < 16 || memcmp(p, MAGIC, 4) != 0) {
    csat__error_set(err, CSAT_ERR_BLOB, 0, 0, 0, "not an aggregator blob");
    return CSAT_ERR_BLOB;
  }
  if (p[4] != CSAT_AGG_BLOB_VERSION || p[5] || p[6] || p[7]) {
    csat__error_set(err, CSAT_ERR_BLOB_VERSION, 0, 0, 4, "aggregator blob version %u",
                    (unsigned)p[4] | (unsigned)p[5] << 8 | (unsigned)p[6] << 16 |
                        (unsigned)p[7] << 24);
    return CSAT_ERR_BLOB_VERSION;
  }
  h = csat__hash_fnv1a(CSAT__HASH_FNV_INIT, p, len - 8);
  for (i = 0; i < 8; i++)
    stored |= (uint64_t)p[len - 8 + i] << (8 * i);
  if (h != stored) {
    csat__error_set(err, CSAT_ERR_BLOB, 0, 0, len - 8, "checksum mismatch");
    return CSAT_ERR_BLOB;
  }
  rc = csat__agg_alloc(&a, alloc);
  if (rc != CSAT_OK) {
    csat__error_set(err, rc, 0, 0, 0, "cannot create the aggregator");
    return rc;
  }
  if (seed != NULL)
    a->seed = *seed;
  else {
    uint32_t zero[4] = {0, 0, 0, 0};
    int has = cfg != NULL && CSAT__COVERS(csat_agg_config, cfg->struct_size, hash_seed);
    csat__agg_seed_init(&a->seed, has ? cfg->hash_seed : zero);
  }
  a->terms_seed = a->seed.k[0] ^ a->seed.k[3];
  if (csat__agg_intern_empty(a) != CSAT_OK) {
    csat_agg_free(a);
    csat__error_set(err, CSAT_ERR_NOMEM, 0, 0, 0, "cannot create the aggregator");
    return CSAT_ERR_NOMEM;
  }
  memset(&r, 0, sizeof r);
  r.p = p;
  r.pos = 8;
  r.end = len - 8;
  cfg_read(&r, &a->alloc, &a->cfg);
  if (r.rc == CSAT_OK && cfg != NULL &&
      CSAT__COVERS(csat_agg_config, cfg->struct_size, local_time_user)) {
    if (cfg->local_time != NULL && a->cfg.period != CSAT_PERIOD_NONE && !a->cfg.tz_callback) {
      r.rc = CSAT_ERR_MISMATCH;
      csat__msg_set(r.msg, sizeof r.msg, "blob uses a fixed UTC offset, not a callback");
    }
    a->local_time = cfg->local_time;
    a->local_time_user = cfg->local_time_user;
  }
  if (r.rc == CSAT_OK && a->cfg.ncat > 0) {
    rc = csat__agg_compile_patterns(a);
    if (rc != CSAT_OK)
      rd_fail(&r, rc == CSAT_ERR_NOMEM ? rc : CSAT_ERR_BLOB, "bad category patterns");
  }
  nstr = rd_count(&r, UINT32_MAX / 8);
  if (r.rc == CSAT_OK && nstr > 0) {
    smap = csat__malloc(&a->alloc, nstr * sizeof *smap);
    if (smap == NULL)
      rd_fail(&r, CSAT_ERR_NOMEM, "out of memory");
  }
  for (i = 0; i < nstr && r.rc == CSAT_OK; i++) {
    size_t n = (size_t)rd_max(&r, CSAT__AGG_VALUE_MAX, "string too long");
    const char *s = (const char *)p + r.pos;
    if (r.rc != CSAT_OK)
      break;
    if (n > rd_left(&r)) {
      rd_fail(&r, CSAT_ERR_BLOB, "truncated");
      break;
    }
    if (!csat__utf8_valid(s, n) || memchr(s, 0, n) != NULL) {
      rd_fail(&r, CSAT_ERR_BLOB, "string is not valid UTF-8 without NUL");
      break;
    }
    if (i > 0) {
      const csat__agg_str *q = &a->strs[smap[i - 1]];
      size_t m = q->len < n ? q->len : n;
      int c = memcmp(q->s, s, m);
      if (c > 0 || (c == 0 && q->len >= n)) {
        rd_fail(&r, CSAT_ERR_BLOB, "strings not sorted");
        break;
      }
    }
    if (csat__agg_intern(a, s, n, &smap[i]) != CSAT_OK) {
      rd_fail(&r, CSAT_ERR_NOMEM, "out of memory");
      break;
    }
    r.pos += n;
  }
  ng = rd_count(&r, UINT32_MAX / 8);
  memset(prev_key, 0, sizeof prev_key);
  for (i = 0; i < ng && r.rc == CSAT_OK; i++)
    rd_group(&r, a, smap, nstr, prev_key, &prev_period, i == 0);
  if (r.rc == CSAT_OK && r.pos != r.end)
    rd_fail(&r, CSAT_ERR_BLOB, "trailing bytes");
  csat__free(&a->alloc, smap);
  if (r.rc != CSAT_OK) {
    csat__error_set(err, r.rc, 0, 0, r.err_at, "aggregator blob: %s", r.msg);
    csat_agg_free(a);
    return r.rc;
  }
  a->count_hi = a->sum_hi = UINT64_MAX; /* recount at the first ingest */
  *out = a;
  return CSAT_OK;
}

int csat_agg_restore(csat_agg **out, const void *blob, size_t len, const csat_agg_config *cfg,
                     const csat_allocator *alloc, csat_error *err) {
  return csat__agg_restore(out, blob, len, NULL, cfg, alloc, err);
}
