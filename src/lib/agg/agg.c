/*
 * The aggregator: creation and ingest of result records (its configuration
 * is agg_config.c), with the two-phase commit every ingest path uses
 * (agg_answer.c too): first every step that may fail (creating groups and
 * slots, reserving duration bins, preparing term tables), undone on
 * failure; then the counting, which cannot fail. So NOMEM leaves the
 * aggregator exactly as it was.
 * SPDX-License-Identifier: MIT
 */
#include "agg.h"

#include <string.h>

/* Results are read through the public accessors only: a use of the
 * session's or survey's members here fails to compile. */
#pragma GCC poison session survey answers questions fingerprint

int csat__agg_fail(csat_agg *a, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  csat__msg_vset(a->errmsg, sizeof a->errmsg, fmt, ap);
  va_end(ap);
  return code;
}

const char *csat_agg_errmsg(const csat_agg *a) { return a == NULL ? "" : a->errmsg; }

int csat__agg_fail_at(csat_agg *a, int code, const char *what, size_t i, size_t *done) {
  char msg[sizeof a->errmsg];
  memcpy(msg, a->errmsg, sizeof msg);
  if (done != NULL)
    *done = i;
  return csat__agg_fail(a, code, "%s %lu: %s", what, (unsigned long)i, msg);
}

/* ---- creation ------------------------------------------------------------ */
/* "" is string id 0 (zeroed keys mean "no value"). It must be interned after
 * the hash seed is set: hashed with another seed it is never found again. */
int csat__agg_intern_empty(csat_agg *a) {
  uint32_t id;
  return csat__agg_intern(a, "", 0, &id);
}

int csat__agg_alloc(csat_agg **out, const csat_allocator *alloc) {
  csat__alloc al;
  csat_agg *a;
  if (out == NULL)
    return CSAT_ERR_INVALID_ARG;
  *out = NULL;
  if (csat__alloc_init(&al, alloc) != CSAT_OK)
    return CSAT_ERR_INVALID_ARG;
  a = csat__calloc(&al, sizeof *a);
  if (a == NULL)
    return CSAT_ERR_NOMEM;
  a->alloc = al;
  csat__agg_cfg_defaults(&a->cfg);
  a->cfg.tz_name = csat__strndup(&al, "", 0);
  a->cfg.attr_key = csat__strndup(&al, "", 0);
  if (a->cfg.tz_name == NULL || a->cfg.attr_key == NULL) {
    csat_agg_free(a);
    return CSAT_ERR_NOMEM;
  }
  *out = a;
  return CSAT_OK;
}

void csat_agg_free(csat_agg *a) {
  size_t i;
  csat__agg_chunk *c;
  if (a == NULL)
    return;
  for (i = 0; i < a->ngroups; i++)
    csat__agg_group_release(a, &a->groups[i]);
  c = a->chunks;
  while (c != NULL) {
    csat__agg_chunk *n = c->next;
    csat__free(&a->alloc, c);
    c = n;
  }
  csat__free(&a->alloc, a->strs);
  csat__free(&a->alloc, a->str_order);
  csat__free(&a->alloc, a->str_index);
  csat__free(&a->alloc, a->groups);
  csat__free(&a->alloc, a->order);
  csat__free(&a->alloc, a->gidx);
  csat__free(&a->alloc, a->slots);
  csat__free(&a->alloc, a->hist);
  csat__free(&a->alloc, a->valid);
  csat__agg_rows_free(a);
  csat__free(&a->alloc, a->pats);
  csat__free(&a->alloc, a->pat_cat);
  csat__free(&a->alloc, a->pat_hit);
  csat__agg_cfg_free(&a->alloc, &a->cfg);
  csat__free(&a->alloc, a);
}

int csat__agg_value_scan(const char *s, size_t max, size_t *len) {
  const char *z;
  size_t n, i;
  uint64_t high = 0, w;
  /* memchr stops at the first NUL: nothing past the string is read */
  z = memchr(s, 0, max + 1);
  if (z == NULL)
    return CSAT_ERR_LIMIT;
  n = (size_t)(z - s);
  /* full UTF-8 validation only when a byte is not ASCII */
  for (i = 0; i + 8 <= n; i += 8) {
    memcpy(&w, s + i, 8);
    high |= w;
  }
  for (; i < n; i++)
    high |= (unsigned char)s[i];
  if ((high & UINT64_C(0x8080808080808080)) && !csat__utf8_valid(s, n))
    return CSAT_ERR_UTF8;
  *len = n;
  return CSAT_OK;
}

/* A host string: NULL = "", at most max bytes, valid UTF-8. */
int csat__agg_host_str(csat_agg *a, const char *s, size_t max, const char *what, size_t *len) {
  int rc;
  *len = 0; /* defined on every path, errors included */
  if (s == NULL)
    return CSAT_OK;
  rc = csat__agg_value_scan(s, max, len);
  if (rc == CSAT_ERR_LIMIT)
    return csat__agg_fail(a, rc, "%s is longer than %u bytes", what, (unsigned)max);
  if (rc == CSAT_ERR_UTF8)
    return csat__agg_fail(a, rc, "%s is not valid UTF-8", what);
  return CSAT_OK;
}

int csat_agg_new(csat_agg **out, const csat_agg_config *cfg, const csat_allocator *alloc) {
  csat_agg *a;
  csat_agg_config c;
  size_t n;
  int rc;
  uint32_t zero[4] = {0, 0, 0, 0};
  if (out == NULL)
    return CSAT_ERR_INVALID_ARG;
  *out = NULL;
  memset(&c, 0, sizeof c);
  if (cfg != NULL) {
    if (!CSAT__COVERS(csat_agg_config, cfg->struct_size, period))
      return CSAT_ERR_INVALID_ARG;
    memcpy(&c, cfg, cfg->struct_size < sizeof c ? cfg->struct_size : sizeof c);
  }
  if ((c.dimensions & ~(uint32_t)CSAT_DIM_ALL) != 0 || c.period < CSAT_PERIOD_NONE ||
      c.period > CSAT_PERIOD_YEAR || c.utc_offset_min < -1439 || c.utc_offset_min > 1439)
    return CSAT_ERR_INVALID_ARG;
  rc = csat__agg_alloc(&a, alloc);
  if (rc != CSAT_OK)
    return rc;
  a->cfg.dims = c.dimensions;
  a->cfg.period = c.period;
  a->cfg.terms = c.terms ? 1 : 0;
  if (c.dimensions & CSAT_DIM_ATTRIBUTE) {
    rc = csat__agg_host_str(a, c.attribute_key, CSAT__MAX_ATTR_KEY, "attribute_key", &n);
    if (rc == CSAT_OK && n == 0)
      rc = CSAT_ERR_INVALID_ARG;
    if (rc == CSAT_OK) {
      csat__free(&a->alloc, a->cfg.attr_key);
      a->cfg.attr_key = csat__strndup(&a->alloc, c.attribute_key, n);
      if (a->cfg.attr_key == NULL)
        rc = CSAT_ERR_NOMEM;
    }
    if (rc != CSAT_OK)
      goto fail;
  }
  a->local_time = c.local_time;
  a->local_time_user = c.local_time_user;
  if (c.period != CSAT_PERIOD_NONE) {
    if (c.local_time != NULL) {
      a->cfg.tz_callback = 1;
      rc = csat__agg_host_str(a, c.time_zone, CSAT__MAX_ID, "time_zone", &n);
      if (rc != CSAT_OK)
        goto fail;
      csat__free(&a->alloc, a->cfg.tz_name);
      a->cfg.tz_name = csat__strndup(&a->alloc, c.time_zone, n);
      if (a->cfg.tz_name == NULL) {
        rc = CSAT_ERR_NOMEM;
        goto fail;
      }
    } else {
      a->cfg.offset_min = c.utc_offset_min;
    }
  }
  csat__agg_seed_init(&a->seed,
                      CSAT__COVERS(csat_agg_config, c.struct_size, hash_seed) ? c.hash_seed : zero);
  a->terms_seed = a->seed.k[0] ^ a->seed.k[3];
  rc = csat__agg_intern_empty(a);
  if (rc != CSAT_OK)
    goto fail;
  *out = a;
  return CSAT_OK;
fail:
  csat_agg_free(a);
  return rc;
}

/* ---- ingest: the batch and its commit -------------------------------------- */
/* A table's pending clone (when the batch brings terms new to it). */
typedef struct t_plan {
  csat__terms *table;
  csat__terms clone;
  int cloned;
} t_plan;

typedef struct tok_ctx {
  csat__terms *t;
  const csat__terms *probe;
  int rc;
} tok_ctx;

static int tok_missing(void *user, const char *tok, size_t len) {
  tok_ctx *c = user;
  if (csat__terms_get(c->probe, tok, len) == 0) {
    c->rc = 1;
    return 1;
  }
  return 0;
}

static int tok_add(void *user, const char *tok, size_t len) {
  tok_ctx *c = user;
  int rc = csat__terms_add(c->t, tok, len, 1);
  if (rc != CSAT_OK) {
    c->rc = rc;
    return 1;
  }
  return 0;
}

static csat__terms *comment_table(const csat_agg *a, const csat__agg_bcomment *c) {
  csat__agg_group *g = &a->groups[c->group];
  if (!a->cfg.terms || c->pol == CSAT__POL_NEUTRAL || g->terms == NULL)
    return NULL;
  return &g->terms[c->pol == CSAT__POL_NEG ? 0 : 1];
}

static void plans_free(t_plan *p, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if (p[i].cloned)
      csat__terms_free(&p[i].clone);
}

/* Phase 1: everything that may fail. */
static int prepare(csat_agg *a, const csat__agg_batch *b, t_plan *plans, size_t *nplans) {
  size_t i, j;
  *nplans = 0;
  for (i = 0; i < b->nct; i++) {
    csat__agg_group *g = &a->groups[b->ct[i].group];
    size_t nw = 0, nt = 0; /* durations the batch adds to this group */
    for (j = 0; j <= i; j++)
      if (b->ct[j].group == b->ct[i].group) {
        nw += b->ct[j].wait >= 0;
        nt += b->ct[j].talk >= 0;
      }
    if (csat__agg_dur_reserve(&a->alloc, &g->wait, nw) != CSAT_OK ||
        csat__agg_dur_reserve(&a->alloc, &g->talk, nt) != CSAT_OK)
      return CSAT_ERR_NOMEM;
  }
  for (i = 0; i < b->ncm; i++) {
    const csat__agg_bcomment *c = &b->cm[i];
    csat__agg_group *g = &a->groups[c->group];
    csat__terms *t;
    tok_ctx tc;
    if (a->cfg.ncat > 0 && g->cats == NULL) {
      g->cats = csat__calloc(&a->alloc, a->cfg.ncat * 3 * sizeof *g->cats);
      if (g->cats == NULL)
        return CSAT_ERR_NOMEM;
    }
    if (!a->cfg.terms || c->pol == CSAT__POL_NEUTRAL)
      continue;
    if (g->terms == NULL) {
      g->terms = csat__malloc(&a->alloc, 2 * sizeof *g->terms);
      if (g->terms == NULL)
        return CSAT_ERR_NOMEM;
      csat__terms_init(&g->terms[0], &a->alloc, a->terms_seed);
      csat__terms_init(&g->terms[1], &a->alloc, a->terms_seed);
    }
    t = comment_table(a, c);
    for (j = 0; j < *nplans && plans[j].table != t; j++)
      ;
    if (j == *nplans) {
      plans[j].table = t;
      plans[j].cloned = 0;
      (*nplans)++;
    }
    if (plans[j].cloned)
      continue;
    tc.probe = t;
    tc.rc = 0;
    csat__terms_tokenize(c->text, c->len, 0, tok_missing, &tc);
    if (tc.rc == 0)
      continue;
    /* A term new to the table: adding could fail half way, so the batch
     * works on a copy that replaces the table at commit. */
    csat__terms_init(&plans[j].clone, &a->alloc, a->terms_seed);
    plans[j].cloned = 1;
    if (csat__terms_merge(&plans[j].clone, t) != CSAT_OK)
      return CSAT_ERR_NOMEM;
  }
  /* Fill the copies with every comment of the batch bound for them. */
  for (i = 0; i < b->ncm; i++) {
    csat__terms *t = comment_table(a, &b->cm[i]);
    tok_ctx tc;
    if (t == NULL)
      continue;
    for (j = 0; j < *nplans && plans[j].table != t; j++)
      ;
    if (!plans[j].cloned)
      continue;
    tc.t = &plans[j].clone;
    tc.rc = 0;
    csat__terms_tokenize(b->cm[i].text, b->cm[i].len, 0, tok_add, &tc);
    if (tc.rc != 0)
      return CSAT_ERR_NOMEM;
  }
  return CSAT_OK;
}

/* Phase 2: counting; nothing here can fail. */
static void apply(csat_agg *a, const csat__agg_batch *b, t_plan *plans, size_t nplans) {
  size_t i, j;
  for (i = 0; i < b->nsc; i++)
    a->hist[(size_t)b->sc[i].slot * 11 + b->sc[i].score]++;
  for (i = 0; i < b->nct; i++)
    csat__agg_count_contact(&a->groups[b->ct[i].group], &b->ct[i]);
  for (i = 0; i < b->ncm; i++) {
    const csat__agg_bcomment *c = &b->cm[i];
    csat__agg_group *g = &a->groups[c->group];
    csat__terms *t;
    g->comments++;
    if (c->pol == CSAT__POL_NEG)
      g->comments_neg++;
    else if (c->pol == CSAT__POL_POS)
      g->comments_pos++;
    if (a->npat > 0) {
      size_t k;
      int hitcat[CSAT__AGG_MAX_CAT];
      memset(hitcat, 0, sizeof hitcat);
      if (csat__terms_patterns_scan(a->pats, a->npat, c->text, c->len, a->pat_hit) > 0)
        for (k = 0; k < a->npat; k++)
          if (a->pat_hit[k])
            hitcat[a->pat_cat[k]] = 1;
      for (k = 0; k < a->cfg.ncat; k++)
        if (hitcat[k]) {
          g->cats[k * 3]++;
          if (c->pol == CSAT__POL_NEG)
            g->cats[k * 3 + 1]++;
          else if (c->pol == CSAT__POL_POS)
            g->cats[k * 3 + 2]++;
        }
    }
    t = comment_table(a, c);
    if (t == NULL)
      continue;
    for (j = 0; j < nplans && plans[j].table != t; j++)
      ;
    if (j < nplans && !plans[j].cloned) {
      /* Every term is already in the table: adding only counts. */
      tok_ctx tc;
      tc.t = t;
      tc.rc = 0;
      csat__terms_tokenize(c->text, c->len, 0, tok_add, &tc);
    }
  }
  for (j = 0; j < nplans; j++)
    if (plans[j].cloned) {
      csat__terms_free(plans[j].table);
      *plans[j].table = plans[j].clone;
      plans[j].cloned = 0;
    }
}

int csat__agg_commit(csat_agg *a, const csat__agg_batch *b, size_t ng0, size_t ns0) {
  t_plan plans[CSAT__AGG_B_MAX];
  size_t np = 0;
  if (prepare(a, b, plans, &np) != CSAT_OK) {
    plans_free(plans, np);
    csat__agg_rollback(a, ng0, ns0);
    return csat__agg_fail(a, CSAT_ERR_NOMEM, "out of memory");
  }
  apply(a, b, plans, np);
  return CSAT_OK;
}

/* ---- ingest: keys ----------------------------------------------------------- */
int csat__agg_intern_dim(csat_agg *a, int d, const char *s, size_t n, uint32_t *id) {
  uint32_t c = a->cache[d];
  if (c < a->nstr && a->strs[c].len == n && memcmp(a->strs[c].s, s, n) == 0) {
    *id = c;
    return CSAT_OK;
  }
  if (csat__agg_intern(a, s, n, id) != CSAT_OK)
    return csat__agg_fail(a, CSAT_ERR_NOMEM, "out of memory");
  a->cache[d] = *id;
  return CSAT_OK;
}

int csat__agg_time_key(csat_agg *a, int64_t utc_ms, int64_t *period) {
  int64_t local;
  int rc;
  *period = 0;
  if (a->cfg.period == CSAT_PERIOD_NONE)
    return CSAT_OK;
  rc = csat__agg_local(a, utc_ms, &local);
  if (rc == CSAT_ERR_UNSUPPORTED)
    return csat__agg_fail(a, rc, "restored with a time-zone callback: give local_time again");
  if (rc == CSAT_OK)
    rc = csat__agg_period_start(a->cfg.period, local, period);
  if (rc != CSAT_OK)
    return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "time %lld ms is outside years 1..9999",
                          (long long)utc_ms);
  return CSAT_OK;
}

int csat__agg_check_comment(csat_agg *a, const char *c, size_t *len) {
  *len = 0;
  if (c == NULL)
    return CSAT_OK;
  *len = csat__strnlen(c, CSAT__AGG_COMMENT_MAX);
  if (*len > CSAT__AGG_COMMENT_MAX)
    return csat__agg_fail(a, CSAT_ERR_LIMIT, "comment is longer than %u bytes",
                          CSAT__AGG_COMMENT_MAX);
  if (!csat__utf8_valid(c, *len))
    return csat__agg_fail(a, CSAT_ERR_UTF8, "comment is not valid UTF-8");
  return CSAT_OK;
}

int csat__agg_check_dur(csat_agg *a, int64_t ms, const char *what) {
  if (ms > CSAT__AGG_DUR_MAX_MS)
    return csat__agg_fail(a, CSAT_ERR_LIMIT, "%s %lld ms is longer than 30 days", what,
                          (long long)ms);
  return CSAT_OK;
}

static const char *attr_value(const csat_agg *a, const csat_contact *c) {
  size_t i;
  for (i = 0; i < c->attr_count; i++)
    if (c->attrs[i].key != NULL && strcmp(c->attrs[i].key, a->cfg.attr_key) == 0)
      return c->attrs[i].value != NULL ? c->attrs[i].value : "";
  return "";
}

/* The interned id of answer i's question: the id met there last time when
 * its bytes match (a survey's results come one after another), else
 * interned. NOMEM. */
static int result_question(csat_agg *a, int32_t i, const char *q, uint32_t *id) {
  size_t n = strlen(q);
  uint32_t c = i < CSAT__MAX_QUESTIONS ? a->result_q[i] : 0;
  if (c < a->nstr && a->strs[c].len == n && memcmp(a->strs[c].s, q, n) == 0) {
    *id = c;
    return CSAT_OK;
  }
  if (csat__agg_intern(a, q, n, id) != CSAT_OK)
    return CSAT_ERR_NOMEM;
  if (i < CSAT__MAX_QUESTIONS)
    a->result_q[i] = *id;
  return CSAT_OK;
}

/* Only the public result accessors are used here, so the session's
 * internals may change without touching the aggregator (the pragma at the
 * top of this file keeps it so). */
int csat_agg_add_result(csat_agg *a, const csat_result *r) {
  const csat_contact *c;
  const char *vals[CSAT__AGG_DIMS];
  uint32_t dim[CSAT__AGG_DIMS], g = 0, slot;
  int64_t t, period;
  size_t ng0, ns0;
  int32_t i, n, any_answer = 0, last_pol = CSAT__POL_NEUTRAL, outcome, escalation;
  int d, created, rc, flagged;
  csat__agg_batch *b, bb;
  if (a == NULL || r == NULL)
    return CSAT_ERR_INVALID_ARG;
  c = csat_result_contact(r);
  outcome = csat_result_outcome(r);
  if (outcome <= CSAT_OUTCOME_NONE || outcome > CSAT_OUTCOME_MAX)
    return csat__agg_fail(a, CSAT_ERR_STATE, "the session has not ended");
  n = csat_result_answer_count(r);
  if (n < 0 || n > CSAT__AGG_B_MAX)
    return csat__agg_fail(a, CSAT_ERR_LIMIT, "more than %d answers", CSAT__AGG_B_MAX);
  t = csat_result_started_ms(r);
  if (t == 0)
    t = c->ended_ms != 0 ? c->ended_ms : c->started_ms;
  if (a->cfg.period != CSAT_PERIOD_NONE && t == 0)
    return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "the result has no time");
  if (csat__agg_check_dur(a, c->wait_ms, "wait") != CSAT_OK ||
      csat__agg_check_dur(a, c->talk_ms, "talk") != CSAT_OK)
    return CSAT_ERR_LIMIT;
  if (csat__agg_room(a, CSAT__AGG_B_MAX, CSAT__AGG_B_MAX) != CSAT_OK)
    return CSAT_ERR_LIMIT;
  rc = csat__agg_time_key(a, t, &period);
  if (rc != CSAT_OK)
    return rc;
  vals[0] = c->agent_id;
  vals[1] = c->queue_id;
  vals[2] = c->department;
  vals[3] = NULL;
  vals[4] = csat_result_survey_id(r);
  vals[5] = NULL;
  vals[6] = csat_result_language(r);
  vals[7] = (a->cfg.dims & CSAT_DIM_ATTRIBUTE) ? attr_value(a, c) : "";
  for (d = 0; d < CSAT__AGG_DIMS; d++) {
    dim[d] = 0;
    if (!(a->cfg.dims & (1u << d)) || d == CSAT__AGG_DIM_QUESTION)
      continue;
    if (d == CSAT__AGG_DIM_CHANNEL) {
      dim[d] = (uint32_t)(c->channel < 0 ? 0 : c->channel);
      continue;
    }
    if (csat__agg_intern_dim(a, d, vals[d], strlen(vals[d]), &dim[d]) != CSAT_OK)
      return CSAT_ERR_NOMEM;
  }
  b = &bb;
  b->nsc = b->nct = b->ncm = 0;
  ng0 = a->ngroups;
  ns0 = a->nslots;
  flagged = csat_result_flagged(r) ? 1 : 0;
  escalation = csat_result_escalation(r);
  if (!(a->cfg.dims & CSAT_DIM_QUESTION) &&
      csat__agg_group_get(a, dim, period, &g, &created) != CSAT_OK)
    goto nomem;
  for (i = 0; i < n; i++) {
    csat_answer an;
    uint32_t qid;
    int answered, pol = CSAT__POL_NEUTRAL, scored;
    memset(&an, 0, sizeof an);
    an.struct_size = sizeof an;
    if (csat_result_answer(r, i, &an) != CSAT_OK) {
      csat__agg_rollback(a, ng0, ns0);
      return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "answer %d unreadable", (int)i);
    }
    if (result_question(a, i, an.question_id, &qid) != CSAT_OK)
      goto nomem;
    answered = an.status == CSAT_ANSWER_ANSWERED;
    if (a->cfg.dims & CSAT_DIM_QUESTION) {
      dim[CSAT__AGG_DIM_QUESTION] = qid;
      if (csat__agg_group_get(a, dim, period, &g, &created) != CSAT_OK)
        goto nomem;
      b->ct[b->nct].group = g;
      b->ct[b->nct].answered = answered && outcome != CSAT_OUTCOME_ALREADY_ANSWERED;
      b->nct++;
    }
    any_answer |= answered;
    /* The accessor gives a score only to an answered rating or yes/no. */
    scored = an.score >= 0;
    if (scored) {
      int32_t min = 0, max = 0;
      if (csat_result_answer_scale(r, i, &min, &max) != CSAT_OK || an.score < min ||
          an.score > max) {
        csat__agg_rollback(a, ng0, ns0);
        return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "answer %d: score off its scale", (int)i);
      }
      if (csat__agg_slot_get(a, g, qid, min, max, &slot, &created) != CSAT_OK)
        goto nomem;
      b->sc[b->nsc].slot = slot;
      b->sc[b->nsc].score = (uint32_t)an.score;
      b->nsc++;
      pol = last_pol = csat__agg_polarity(a, min, max, an.score);
    }
    if (answered && an.comment[0] != '\0' && an.kind != CSAT_Q_VOICE_COMMENT) {
      b->cm[b->ncm].group = g;
      b->cm[b->ncm].pol = scored ? pol : last_pol;
      b->cm[b->ncm].text = an.comment;
      b->cm[b->ncm].len = strlen(an.comment);
      b->ncm++;
    }
  }
  if (!(a->cfg.dims & CSAT_DIM_QUESTION)) {
    b->ct[0].group = g;
    b->ct[0].answered = any_answer && outcome != CSAT_OUTCOME_ALREADY_ANSWERED;
    b->nct = 1;
  }
  for (i = 0; i < (int32_t)b->nct; i++) {
    b->ct[i].outcome = outcome;
    b->ct[i].flagged = flagged;
    b->ct[i].escalation = escalation;
    b->ct[i].wait = c->wait_ms;
    b->ct[i].talk = c->talk_ms;
  }
  return csat__agg_commit(a, b, ng0, ns0);
nomem:
  csat__agg_rollback(a, ng0, ns0);
  return csat__agg_fail(a, CSAT_ERR_NOMEM, "out of memory");
}
