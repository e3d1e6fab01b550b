/*
 * The aggregator's configuration: scales and their positive and negative
 * points, the questions that feed CES and CSI, comment categories, and the
 * lookups the ingest paths (agg.c, agg_answer.c, agg_records.c), the groups
 * (agg_group.c) and the metrics (agg_metrics.c) make into it. Set before the
 * first data; read-only after.
 * SPDX-License-Identifier: MIT
 */
#include "agg.h"

#include <string.h>

/* ---- scales and question roles ---------------------------------------- */
int csat__agg_scale_index(int min, int max) { return min * 11 + max; }

static uint16_t bits(int from, int to) {
  uint16_t m = 0;
  int v;
  for (v = from; v <= to; v++)
    m = (uint16_t)(m | (1u << v));
  return m;
}

void csat__agg_scale_defaults(int min, int max, uint16_t *pos, uint16_t *neg) {
  int k = max - min + 1;
  if (k <= 3) {
    *pos = bits(max, max);
    *neg = bits(min, min);
  } else if (max == 10 && (min == 0 || min == 1)) {
    *pos = bits(9, 10);  /* promoters / 9-10 of ten points */
    *neg = bits(min, 6); /* detractors 0-6 / 1-6 */
  } else {
    *pos = bits(max - 1, max);
    *neg = bits(min, min + 1);
  }
}

void csat__agg_cfg_defaults(csat__agg_cfg *c) {
  int min, max;
  memset(c, 0, sizeof *c);
  for (min = 0; min <= 10; min++)
    for (max = min + 1; max <= 10; max++) {
      int i = csat__agg_scale_index(min, max);
      csat__agg_scale_defaults(min, max, &c->pos[i], &c->neg[i]);
    }
}

void csat__agg_cfg_free(const csat__alloc *al, csat__agg_cfg *c) {
  size_t i, j;
  csat__free(al, c->tz_name);
  csat__free(al, c->attr_key);
  for (i = 0; i < c->nces; i++)
    csat__free(al, c->ces[i].question);
  for (i = 0; i < c->ncsi; i++)
    csat__free(al, c->csi[i].question);
  for (i = 0; i < c->ncat; i++) {
    csat__free(al, c->cats[i].name);
    for (j = 0; j < c->cats[i].npat; j++)
      csat__free(al, c->cats[i].patterns[j]);
    csat__free(al, c->cats[i].patterns);
  }
  csat__free(al, c->cats);
  memset(c, 0, sizeof *c);
}

static int qcmp(const char *a, size_t an, const char *b) {
  size_t bn = strlen(b), n = an < bn ? an : bn;
  int c = memcmp(a, b, n);
  if (c != 0)
    return c;
  return an < bn ? -1 : an > bn;
}

static int q_index(const csat__agg_qcfg *v, size_t n, const char *q, size_t len) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = qcmp(q, len, v[mid].question);
    if (c == 0)
      return (int)mid;
    if (c < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return -1;
}

int csat__agg_ces_index(const csat__agg_cfg *c, const char *q, size_t len) {
  return q_index(c->ces, c->nces, q, len);
}
int csat__agg_csi_index(const csat__agg_cfg *c, const char *q, size_t len) {
  return q_index(c->csi, c->ncsi, q, len);
}

int csat__agg_polarity(const csat_agg *a, int min, int max, int score) {
  int i = csat__agg_scale_index(min, max);
  if (score < 0)
    return CSAT__POL_NEUTRAL;
  if (a->cfg.neg[i] >> score & 1u)
    return CSAT__POL_NEG;
  if (a->cfg.pos[i] >> score & 1u)
    return CSAT__POL_POS;
  return CSAT__POL_NEUTRAL;
}

/* ---- setters ---------------------------------------------------------------- */
static int setter_state(csat_agg *a) {
  if (a->ngroups > 0)
    return csat__agg_fail(a, CSAT_ERR_STATE, "configuration is fixed once data was added");
  return CSAT_OK;
}

int csat_agg_set_scale(csat_agg *a, int32_t min, int32_t max, uint32_t positive_mask,
                       uint32_t negative_mask) {
  uint32_t scale;
  int i;
  if (a == NULL)
    return CSAT_ERR_INVALID_ARG;
  if (setter_state(a) != CSAT_OK)
    return CSAT_ERR_STATE;
  if (min < 0 || max > 10 || min >= max)
    return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "scale %d..%d is not inside 0..10", (int)min,
                          (int)max);
  scale = bits(min, max);
  if ((positive_mask & ~scale) || (negative_mask & ~scale) || (positive_mask & negative_mask))
    return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "score sets must lie in %d..%d and be disjoint",
                          (int)min, (int)max);
  i = csat__agg_scale_index(min, max);
  a->cfg.pos[i] = (uint16_t)positive_mask;
  a->cfg.neg[i] = (uint16_t)negative_mask;
  return CSAT_OK;
}

/* Insert or replace (value 0 with `remove`: delete) a question in a sorted list. */
static int q_set(csat_agg *a, csat__agg_qcfg *v, size_t *n, const char *q, uint32_t value,
                 int remove) {
  size_t len, pos;
  int rc = csat__agg_host_str(a, q, CSAT__MAX_ID, "question id", &len), i;
  char *copy;
  if (rc != CSAT_OK)
    return rc;
  if (q == NULL || len == 0)
    return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "question id is empty");
  i = q_index(v, *n, q, len);
  if (i >= 0) {
    if (remove) {
      csat__free(&a->alloc, v[i].question);
      memmove(&v[i], &v[i + 1], (*n - (size_t)i - 1) * sizeof *v);
      (*n)--;
    } else {
      v[i].value = value;
    }
    return CSAT_OK;
  }
  if (remove)
    return CSAT_OK;
  if (*n >= CSAT__AGG_MAX_Q)
    return csat__agg_fail(a, CSAT_ERR_LIMIT, "more than %d questions", CSAT__AGG_MAX_Q);
  copy = csat__strndup(&a->alloc, q, len);
  if (copy == NULL)
    return CSAT_ERR_NOMEM;
  for (pos = 0; pos < *n && qcmp(q, len, v[pos].question) > 0; pos++)
    ;
  memmove(&v[pos + 1], &v[pos], (*n - pos) * sizeof *v);
  v[pos].question = copy;
  v[pos].value = value;
  (*n)++;
  return CSAT_OK;
}

int csat_agg_set_ces_question(csat_agg *a, const char *question_id, uint32_t agree_mask) {
  if (a == NULL)
    return CSAT_ERR_INVALID_ARG;
  if (setter_state(a) != CSAT_OK)
    return CSAT_ERR_STATE;
  if (agree_mask & ~(uint32_t)bits(0, 10))
    return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "agree set outside 0..10");
  return q_set(a, a->cfg.ces, &a->cfg.nces, question_id, agree_mask, 0);
}

int csat_agg_set_csi_weight(csat_agg *a, const char *question_id, int32_t weight) {
  if (a == NULL)
    return CSAT_ERR_INVALID_ARG;
  if (setter_state(a) != CSAT_OK)
    return CSAT_ERR_STATE;
  if (weight < 0 || weight > 1000)
    return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "CSI weight %d is not in 0..1000", (int)weight);
  return q_set(a, a->cfg.csi, &a->cfg.ncsi, question_id, (uint32_t)weight, weight == 0);
}

int csat__agg_compile_patterns(csat_agg *a) {
  size_t n = 0, i, j, k = 0;
  csat__pattern *p;
  uint8_t *cat, *hit;
  for (i = 0; i < a->cfg.ncat; i++)
    n += a->cfg.cats[i].npat;
  p = csat__malloc(&a->alloc, (n ? n : 1) * sizeof *p);
  cat = csat__malloc(&a->alloc, n ? n : 1);
  hit = csat__malloc(&a->alloc, n ? n : 1);
  if (p == NULL || cat == NULL || hit == NULL) {
    csat__free(&a->alloc, p);
    csat__free(&a->alloc, cat);
    csat__free(&a->alloc, hit);
    return CSAT_ERR_NOMEM;
  }
  for (i = 0; i < a->cfg.ncat; i++)
    for (j = 0; j < a->cfg.cats[i].npat; j++, k++) {
      const char *s = a->cfg.cats[i].patterns[j];
      if (csat__terms_pattern_compile(&p[k], s, strlen(s)) != CSAT_OK) {
        csat__free(&a->alloc, p);
        csat__free(&a->alloc, cat);
        csat__free(&a->alloc, hit);
        return CSAT_ERR_INVALID_ARG;
      }
      cat[k] = (uint8_t)i;
    }
  csat__free(&a->alloc, a->pats);
  csat__free(&a->alloc, a->pat_cat);
  csat__free(&a->alloc, a->pat_hit);
  a->pats = p;
  a->pat_cat = cat;
  a->pat_hit = hit;
  a->npat = n;
  return CSAT_OK;
}

int csat_agg_add_category(csat_agg *a, const char *name, const char *const *patterns, size_t count,
                          int32_t *index) {
  size_t nlen, i, plen;
  csat__agg_cat c, *cats;
  csat__pattern tmp;
  int rc;
  if (a == NULL || name == NULL || (patterns == NULL && count > 0))
    return CSAT_ERR_INVALID_ARG;
  if (setter_state(a) != CSAT_OK)
    return CSAT_ERR_STATE;
  rc = csat__agg_host_str(a, name, CSAT__MAX_ID, "category name", &nlen);
  if (rc != CSAT_OK)
    return rc;
  if (nlen == 0 || count == 0)
    return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "a category needs a name and patterns");
  if (count > CSAT__AGG_MAX_PAT || a->cfg.ncat >= CSAT__AGG_MAX_CAT)
    return csat__agg_fail(a, CSAT_ERR_LIMIT, "at most %d categories of %d patterns",
                          CSAT__AGG_MAX_CAT, CSAT__AGG_MAX_PAT);
  for (i = 0; i < count; i++) {
    rc = csat__agg_host_str(a, patterns[i], CSAT__MAX_ID * 8, "pattern", &plen);
    if (rc != CSAT_OK)
      return rc;
    if (patterns[i] == NULL || csat__terms_pattern_compile(&tmp, patterns[i], plen) != CSAT_OK)
      return csat__agg_fail(a, CSAT_ERR_INVALID_ARG,
                            "pattern %u of category \"%s\" is not a phrase of 1..8 words "
                            "with an optional trailing '*'",
                            (unsigned)i + 1, name);
  }
  memset(&c, 0, sizeof c);
  c.name = csat__strndup(&a->alloc, name, nlen);
  c.patterns = csat__calloc(&a->alloc, count * sizeof *c.patterns);
  cats = csat__realloc(&a->alloc, a->cfg.cats, (a->cfg.ncat + 1) * sizeof *cats);
  if (cats != NULL)
    a->cfg.cats = cats;
  rc = (c.name == NULL || c.patterns == NULL || cats == NULL) ? CSAT_ERR_NOMEM : CSAT_OK;
  for (i = 0; rc == CSAT_OK && i < count; i++) {
    c.patterns[i] = csat__strndup(&a->alloc, patterns[i], strlen(patterns[i]));
    if (c.patterns[i] == NULL)
      rc = CSAT_ERR_NOMEM;
    c.npat = i + 1;
  }
  if (rc == CSAT_OK) {
    a->cfg.cats[a->cfg.ncat++] = c;
    rc = csat__agg_compile_patterns(a);
    if (rc == CSAT_OK) {
      if (index != NULL)
        *index = (int32_t)(a->cfg.ncat - 1);
      return CSAT_OK;
    }
    a->cfg.ncat--;
  }
  for (i = 0; i < c.npat; i++)
    csat__free(&a->alloc, c.patterns[i]);
  csat__free(&a->alloc, c.patterns);
  csat__free(&a->alloc, c.name);
  return rc;
}

int32_t csat_agg_category_count(const csat_agg *a) { return a == NULL ? 0 : (int32_t)a->cfg.ncat; }

const char *csat_agg_category_name(const csat_agg *a, int32_t index) {
  if (a == NULL || index < 0 || (size_t)index >= a->cfg.ncat)
    return NULL;
  return a->cfg.cats[index].name;
}
