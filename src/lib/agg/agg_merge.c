/*
 * Merging aggregators: refused across configurations (MISMATCH with the
 * part that differs); otherwise two phases like ingest: first every group,
 * slot, limit check and allocation (term tables are merged into copies),
 * undone on failure; then the additions, which cannot fail. So merge is
 * all-or-nothing, and since every part of the state is an integer sum (or a
 * union of sorted histograms), it is associative and commutative with the
 * empty aggregator as identity.
 * SPDX-License-Identifier: MIT
 */
#include "agg.h"

#include <string.h>

#define COUNT_MAX CSAT__AGG_COUNT_MAX

static int cfg_compat(csat_agg *dst, const csat_agg *src) {
  const csat__agg_cfg *x = &dst->cfg, *y = &src->cfg;
  size_t i, j;
  if (x->dims != y->dims)
    return csat__agg_fail(dst, CSAT_ERR_MISMATCH, "dimensions differ (0x%x vs 0x%x)",
                          (unsigned)x->dims, (unsigned)y->dims);
  if (x->period != y->period)
    return csat__agg_fail(dst, CSAT_ERR_MISMATCH, "periods differ");
  if (x->offset_min != y->offset_min || x->tz_callback != y->tz_callback ||
      strcmp(x->tz_name, y->tz_name) != 0)
    return csat__agg_fail(dst, CSAT_ERR_MISMATCH, "time zones differ");
  if (strcmp(x->attr_key, y->attr_key) != 0)
    return csat__agg_fail(dst, CSAT_ERR_MISMATCH, "attribute keys differ");
  if (x->terms != y->terms)
    return csat__agg_fail(dst, CSAT_ERR_MISMATCH, "term analysis differs");
  if (memcmp(x->pos, y->pos, sizeof x->pos) != 0 || memcmp(x->neg, y->neg, sizeof x->neg) != 0)
    return csat__agg_fail(dst, CSAT_ERR_MISMATCH, "positive/negative score sets differ");
  if (x->nces != y->nces)
    return csat__agg_fail(dst, CSAT_ERR_MISMATCH, "CES questions differ");
  for (i = 0; i < x->nces; i++)
    if (strcmp(x->ces[i].question, y->ces[i].question) != 0 || x->ces[i].value != y->ces[i].value)
      return csat__agg_fail(dst, CSAT_ERR_MISMATCH, "CES questions differ");
  if (x->ncsi != y->ncsi)
    return csat__agg_fail(dst, CSAT_ERR_MISMATCH, "CSI weights differ");
  for (i = 0; i < x->ncsi; i++)
    if (strcmp(x->csi[i].question, y->csi[i].question) != 0 || x->csi[i].value != y->csi[i].value)
      return csat__agg_fail(dst, CSAT_ERR_MISMATCH, "CSI weights differ");
  if (x->ncat != y->ncat)
    return csat__agg_fail(dst, CSAT_ERR_MISMATCH, "keyword categories differ");
  for (i = 0; i < x->ncat; i++) {
    if (strcmp(x->cats[i].name, y->cats[i].name) != 0 || x->cats[i].npat != y->cats[i].npat)
      return csat__agg_fail(dst, CSAT_ERR_MISMATCH, "keyword categories differ");
    for (j = 0; j < x->cats[i].npat; j++)
      if (strcmp(x->cats[i].patterns[j], y->cats[i].patterns[j]) != 0)
        return csat__agg_fail(dst, CSAT_ERR_MISMATCH, "keyword categories differ");
  }
  return CSAT_OK;
}

typedef struct m_plan {
  csat__terms *table;
  const csat__terms *src;
  csat__terms clone;
  int used;
} m_plan;

static int total_over(uint64_t a, uint64_t b) { return a > COUNT_MAX || b > COUNT_MAX - a; }

static void group_totals(const csat_agg *a, uint32_t gi, uint64_t *answers, uint64_t *contacts) {
  const csat__agg_group *g = &a->groups[gi];
  uint32_t s;
  int v;
  *answers = *contacts = 0;
  for (s = g->first_slot; s != CSAT__AGG_NONE; s = a->slots[s].next)
    for (v = 0; v < 11; v++)
      *answers += a->hist[(size_t)s * 11 + (size_t)v];
  for (v = 1; v <= CSAT_OUTCOME_MAX; v++)
    *contacts += g->outcomes[v];
}

static int merge_in(csat_agg *dst, const csat_agg *src) {
  size_t ng0 = dst->ngroups, ns0 = dst->nslots, i, np = 0;
  uint32_t *gmap, *smap;
  m_plan *plans;
  int rc = CSAT_OK, d, created;
  const char *limit = "a merged count would exceed CSAT_AGG_COUNT_MAX";
  if (src->ngroups == 0)
    return CSAT_OK;
  dst->count_hi = dst->sum_hi = UINT64_MAX; /* recount at the next ingest */
  gmap = csat__malloc(&dst->alloc, (src->ngroups + src->nslots) * sizeof *gmap);
  plans = csat__calloc(&dst->alloc, 2 * src->ngroups * sizeof *plans);
  if (gmap == NULL || plans == NULL) {
    csat__free(&dst->alloc, gmap);
    csat__free(&dst->alloc, plans);
    return csat__agg_fail(dst, CSAT_ERR_NOMEM, "out of memory");
  }
  smap = gmap + src->ngroups;
  /* Phase 1: groups, slots, limits, room. */
  for (i = 0; i < src->ngroups && rc == CSAT_OK; i++) {
    const csat__agg_group *sg = &src->groups[i];
    csat__agg_group *dg;
    uint32_t dim[CSAT__AGG_DIMS], s;
    uint64_t an0, ct0, an1, ct1;
    gmap[i] = CSAT__AGG_NONE;
    if (csat__agg_group_empty(src, (uint32_t)i))
      continue;
    for (d = 0; d < CSAT__AGG_DIMS && rc == CSAT_OK; d++) {
      const csat__agg_str *st = &src->strs[sg->dim[d]];
      dim[d] = sg->dim[d];
      if (d != CSAT__AGG_DIM_CHANNEL && csat__agg_intern(dst, st->s, st->len, &dim[d]) != CSAT_OK)
        rc = CSAT_ERR_NOMEM;
    }
    if (rc != CSAT_OK || csat__agg_group_get(dst, dim, sg->period, &gmap[i], &created) != CSAT_OK) {
      rc = CSAT_ERR_NOMEM;
      break;
    }
    for (s = sg->first_slot; s != CSAT__AGG_NONE && rc == CSAT_OK; s = src->slots[s].next) {
      const csat__agg_slot *sl = &src->slots[s];
      const csat__agg_str *q = &src->strs[sl->question];
      uint32_t qid;
      smap[s] = CSAT__AGG_NONE;
      if (csat__agg_slot_empty(src, s))
        continue;
      if (csat__agg_intern(dst, q->s, q->len, &qid) != CSAT_OK ||
          csat__agg_slot_get(dst, gmap[i], qid, sl->min, sl->max, &smap[s], &created) != CSAT_OK)
        rc = CSAT_ERR_NOMEM;
    }
    if (rc != CSAT_OK)
      break;
    group_totals(dst, gmap[i], &an0, &ct0);
    group_totals(src, (uint32_t)i, &an1, &ct1);
    dg = &dst->groups[gmap[i]];
    if (total_over(an0, an1) || total_over(ct0, ct1) || total_over(dg->comments, sg->comments)) {
      rc = CSAT_ERR_LIMIT;
      break;
    }
    /* Durations sum in 64-bit milliseconds, which can run out before the
     * counts do: name that limit, not the count one. */
    if (dg->wait.sum_ms > UINT64_MAX - sg->wait.sum_ms ||
        dg->talk.sum_ms > UINT64_MAX - sg->talk.sum_ms) {
      limit = "a merged wait or talk time sum would exceed 2^64 ms";
      rc = CSAT_ERR_LIMIT;
      break;
    }
    if (csat__agg_dur_reserve_merge(&dst->alloc, &dg->wait, &sg->wait) != CSAT_OK ||
        csat__agg_dur_reserve_merge(&dst->alloc, &dg->talk, &sg->talk) != CSAT_OK) {
      rc = CSAT_ERR_NOMEM;
      break;
    }
    if (dst->cfg.ncat > 0 && sg->cats != NULL && dg->cats == NULL) {
      dg->cats = csat__calloc(&dst->alloc, dst->cfg.ncat * 3 * sizeof *dg->cats);
      if (dg->cats == NULL) {
        rc = CSAT_ERR_NOMEM;
        break;
      }
    }
    if (dst->cfg.terms && sg->terms != NULL &&
        (csat__terms_size(&sg->terms[0]) || csat__terms_size(&sg->terms[1]))) {
      int side;
      if (dg->terms == NULL) {
        dg->terms = csat__malloc(&dst->alloc, 2 * sizeof *dg->terms);
        if (dg->terms == NULL) {
          rc = CSAT_ERR_NOMEM;
          break;
        }
        csat__terms_init(&dg->terms[0], &dst->alloc, dst->terms_seed);
        csat__terms_init(&dg->terms[1], &dst->alloc, dst->terms_seed);
      }
      for (side = 0; side < 2 && rc == CSAT_OK; side++) {
        m_plan *pl;
        if (csat__terms_size(&sg->terms[side]) == 0)
          continue;
        pl = &plans[np++];
        pl->table = &dg->terms[side];
        pl->src = &sg->terms[side];
        csat__terms_init(&pl->clone, &dst->alloc, dst->terms_seed);
        pl->used = 1;
        if (csat__terms_merge(&pl->clone, pl->table) != CSAT_OK ||
            csat__terms_merge(&pl->clone, pl->src) != CSAT_OK)
          rc = CSAT_ERR_NOMEM;
      }
    }
  }
  if (rc != CSAT_OK) {
    size_t k;
    for (k = 0; k < np; k++)
      csat__terms_free(&plans[k].clone);
    csat__agg_rollback(dst, ng0, ns0);
    csat__free(&dst->alloc, gmap);
    csat__free(&dst->alloc, plans);
    return rc == CSAT_ERR_LIMIT ? csat__agg_fail(dst, rc, "%s", limit)
                                : csat__agg_fail(dst, rc, "out of memory");
  }
  /* Phase 2: add. */
  for (i = 0; i < src->ngroups; i++) {
    const csat__agg_group *sg = &src->groups[i];
    csat__agg_group *dg;
    uint32_t s;
    int o;
    size_t j;
    if (gmap[i] == CSAT__AGG_NONE)
      continue;
    dg = &dst->groups[gmap[i]];
    for (s = sg->first_slot; s != CSAT__AGG_NONE; s = src->slots[s].next) {
      int v;
      if (smap[s] == CSAT__AGG_NONE)
        continue;
      for (v = 0; v < 11; v++)
        dst->hist[(size_t)smap[s] * 11 + (size_t)v] += src->hist[(size_t)s * 11 + (size_t)v];
    }
    for (o = 0; o <= CSAT_OUTCOME_MAX; o++)
      dg->outcomes[o] += sg->outcomes[o];
    dg->answered += sg->answered;
    dg->flagged += sg->flagged;
    dg->esc_offered += sg->esc_offered;
    dg->escalated += sg->escalated;
    csat__agg_dur_merge(&dg->wait, &sg->wait);
    csat__agg_dur_merge(&dg->talk, &sg->talk);
    dg->comments += sg->comments;
    dg->comments_neg += sg->comments_neg;
    dg->comments_pos += sg->comments_pos;
    if (sg->cats != NULL)
      for (j = 0; j < dst->cfg.ncat * 3; j++)
        dg->cats[j] += sg->cats[j];
  }
  for (i = 0; i < np; i++) {
    csat__terms_free(plans[i].table);
    *plans[i].table = plans[i].clone;
  }
  csat__free(&dst->alloc, gmap);
  csat__free(&dst->alloc, plans);
  return CSAT_OK;
}

int csat_agg_merge(csat_agg *dst, const csat_agg *src) {
  int rc;
  if (dst == NULL || src == NULL)
    return CSAT_ERR_INVALID_ARG;
  rc = cfg_compat(dst, src);
  if (rc != CSAT_OK)
    return rc;
  if (src == dst) {
    /* Doubling: merge a copy, so reading and writing never overlap. */
    size_t need = 0;
    void *buf;
    csat_agg *copy;
    if (csat_agg_save(src, NULL, 0, &need) != CSAT_ERR_BUFFER_TOO_SMALL)
      return csat__agg_fail(dst, CSAT_ERR_NOMEM, "out of memory");
    buf = csat__malloc(&dst->alloc, need);
    if (buf == NULL)
      return csat__agg_fail(dst, CSAT_ERR_NOMEM, "out of memory");
    rc = csat_agg_save(src, buf, need, &need);
    if (rc == CSAT_OK) {
      csat_allocator al;
      al.struct_size = sizeof al;
      al.malloc = dst->alloc.malloc;
      al.realloc = dst->alloc.realloc;
      al.free = dst->alloc.free;
      al.user = dst->alloc.user;
      rc = csat__agg_restore(&copy, buf, need, &dst->seed, NULL, &al, NULL);
      if (rc == CSAT_OK) {
        rc = merge_in(dst, copy);
        csat_agg_free(copy);
      }
    }
    csat__free(&dst->alloc, buf);
    return rc == CSAT_OK || rc == CSAT_ERR_LIMIT
               ? rc
               : csat__agg_fail(dst, CSAT_ERR_NOMEM, "out of memory");
  }
  return merge_in(dst, src);
}

int csat_agg_merge_blob(csat_agg *dst, const void *blob, size_t len, csat_error *err) {
  csat_agg *tmp;
  csat_allocator al;
  int rc;
  if (dst == NULL)
    return CSAT_ERR_INVALID_ARG;
  al.struct_size = sizeof al;
  al.malloc = dst->alloc.malloc;
  al.realloc = dst->alloc.realloc;
  al.free = dst->alloc.free;
  al.user = dst->alloc.user;
  rc = csat__agg_restore(&tmp, blob, len, &dst->seed, NULL, &al, err);
  if (rc != CSAT_OK) {
    if (err != NULL && err->struct_size >= CSAT__V1_SIZE(csat_error))
      csat__msg_set(dst->errmsg, sizeof dst->errmsg, "%s", err->message);
    else
      csat__agg_fail(dst, rc, "bad aggregator blob");
    return rc;
  }
  rc = csat_agg_merge(dst, tmp);
  if (rc != CSAT_OK)
    csat__error_set(err, rc, 0, 0, 0, "%s", dst->errmsg);
  csat_agg_free(tmp);
  return rc;
}
