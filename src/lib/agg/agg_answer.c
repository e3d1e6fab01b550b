/*
 * Host answers: csat_agg_add_answer with its row cache (a repeated key skips
 * validation, interning and the group lookup), the pre-resolved fast path
 * (csat_agg_resolve, csat_agg_add_scores).
 * SPDX-License-Identifier: MIT
 */
#include "agg_rowkey.h"

#include <string.h>

/* Validate an answer's key and find (creating) its group; dim[] gets the
 * key's ids (the question's even when it is not grouped). */
static int answer_group(csat_agg *a, const csat_agg_answer *x, int64_t period, uint32_t *g,
                        uint32_t dim[CSAT__AGG_DIMS]) {
  static const char *const names[CSAT__AGG_DIMS] = {"agent_id", "queue_id",  "department",
                                                    "channel",  "survey_id", "question_id",
                                                    "language", "attribute"};
  const char *vals[CSAT__AGG_DIMS];
  uint32_t gdim[CSAT__AGG_DIMS];
  size_t n;
  int d, created, rc;
  CSAT__AGG_DIM_STRINGS(vals, x);
  for (d = 0; d < CSAT__AGG_DIMS; d++) {
    dim[d] = 0;
    if (d == CSAT__AGG_DIM_CHANNEL) { /* >= 0: key_group checked it */
      if (a->cfg.dims & CSAT_DIM_CHANNEL)
        dim[d] = (uint32_t)x->channel;
      continue;
    }
    if (!(a->cfg.dims & (1u << d)) && d != CSAT__AGG_DIM_QUESTION)
      continue;
    rc = csat__agg_host_str(a, vals[d], CSAT__AGG_VALUE_MAX, names[d], &n);
    if (rc != CSAT_OK)
      return rc;
    if (csat__agg_intern_dim(a, d, vals[d] != NULL ? vals[d] : "", n, &dim[d]) != CSAT_OK)
      return CSAT_ERR_NOMEM;
  }
  memcpy(gdim, dim, sizeof gdim);
  if (!(a->cfg.dims & CSAT_DIM_QUESTION))
    gdim[CSAT__AGG_DIM_QUESTION] = 0;
  if (csat__agg_group_get(a, gdim, period, g, &created) != CSAT_OK)
    return csat__agg_fail(a, CSAT_ERR_NOMEM, "out of memory");
  return CSAT_OK;
}

int csat__agg_key_group(csat_agg *a, const csat_agg_answer *x, int have_period, int64_t *period,
                        uint32_t *g, uint32_t dim[CSAT__AGG_DIMS]) {
  int rc;
  if (x->channel < 0)
    return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "channel is negative");
  if (!have_period && (rc = csat__agg_time_key(a, x->time_ms, period)) != CSAT_OK)
    return rc;
  return answer_group(a, x, *period, g, dim);
}

int csat__agg_key_slot(csat_agg *a, const csat_agg_answer *x, uint32_t g,
                       const uint32_t dim[CSAT__AGG_DIMS], size_t ng0, size_t ns0, uint32_t *slot) {
  int created;
  if (csat__agg_slot_get(a, g, dim[CSAT__AGG_DIM_QUESTION], x->scale_min, x->scale_max, slot,
                         &created) != CSAT_OK) {
    csat__agg_rollback(a, ng0, ns0);
    return csat__agg_fail(a, CSAT_ERR_NOMEM, "out of memory");
  }
  return CSAT_OK;
}

static int check_answer(csat_agg *a, const csat_agg_answer *x, int need_scale) {
  if (!CSAT__COVERS(csat_agg_answer, x->struct_size, talk_ms))
    return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "csat_agg_answer.struct_size is too small");
  if (need_scale || x->score >= 0) {
    if (x->scale_min < 0 || x->scale_max > 10 || x->scale_min >= x->scale_max)
      return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "scale %d..%d is not inside 0..10",
                            (int)x->scale_min, (int)x->scale_max);
  }
  return CSAT_OK;
}

/* The contact figures of a row with an outcome. */
static void fill_contact(csat__agg_bcontact *c, uint32_t g, const csat_agg_answer *x,
                         int has_answer) {
  c->group = g;
  c->outcome = x->outcome;
  c->answered = has_answer && x->outcome != CSAT_OUTCOME_ALREADY_ANSWERED;
  c->flagged = x->flagged != 0;
  c->escalation = x->escalation;
  c->wait = x->wait_ms;
  c->talk = x->talk_ms;
}

/* Everything about a row but its key strings (checked when the key is
 * first interned): INVALID_ARG, LIMIT, UTF8. *clen: the comment's length. */
static int check_row(csat_agg *a, const csat_agg_answer *x, size_t *clen) {
  int rc = check_answer(a, x, 0);
  *clen = 0;
  if (rc != CSAT_OK)
    return rc;
  if (x->score < -1 || (x->score >= 0 && (x->score < x->scale_min || x->score > x->scale_max)))
    return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "score %d is outside %d..%d", (int)x->score,
                          (int)x->scale_min, (int)x->scale_max);
  if (x->outcome < 0 || x->outcome > CSAT_OUTCOME_MAX || x->escalation < 0 ||
      x->escalation > CSAT_ESCALATION_CALLBACK)
    return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "unknown outcome or escalation");
  if (x->outcome != 0 && (csat__agg_check_dur(a, x->wait_ms, "wait") != CSAT_OK ||
                          csat__agg_check_dur(a, x->talk_ms, "talk") != CSAT_OK))
    return CSAT_ERR_LIMIT;
  return csat__agg_check_comment(a, x->comment, clen);
}

/* ---- the fast path: rows whose key the row cache knows ---------------------
 * A scored row with no comment whose every field is plainly in range and
 * whose key strings are interned already is counted through one probe of
 * the row cache. Anything else, and every error, takes the ordinary path,
 * which validates, interns and reports; being stricter here only costs time. */

static inline int plain_row(const csat_agg_answer *x) {
  int bad = (x->scale_min < 0) | (x->scale_max > 10) | (x->scale_min >= x->scale_max) |
            (x->score < x->scale_min) | (x->score > x->scale_max) | (x->channel < 0) |
            (x->outcome < 0) | (x->outcome > CSAT_OUTCOME_MAX) | (x->escalation < 0) |
            (x->escalation > CSAT_ESCALATION_CALLBACK) | (x->wait_ms > CSAT__AGG_DUR_MAX_MS) |
            (x->talk_ms > CSAT__AGG_DUR_MAX_MS);
  return !bad && (x->comment == NULL || x->comment[0] == '\0');
}

/* The key of a plain row whose values are all interned: 0 when one is not.
 * m: the call's memo, or NULL. */
static inline int plain_key(csat_agg *a, const csat_agg_answer *x, int64_t period, id_memo *m,
                            uint64_t *w) {
  uint32_t ids[CSAT__AGG_DIMS];
  unsigned i;
  const char *v;
  for (i = 0; i < a->nkey; i++) {
    memcpy(&v, (const char *)x + a->key_off[i], sizeof v);
    if ((ids[i] = memo_id(a, m, v)) == CSAT__AGG_NONE)
      return 0;
  }
  key_of_ids(a, ids, x->channel, x->scale_min, x->scale_max, period, w);
  return 1;
}

/* Count a plain row with a known group and slot. A contact's durations may
 * need room first: reserving it is the only step that can fail (NOMEM,
 * nothing counted), as in the ordinary path's commit. */
static inline int count_known(csat_agg *a, uint32_t g, uint32_t slot, const csat_agg_answer *x) {
  csat__agg_group *gr;
  csat__agg_bcontact c;
  if (x->outcome != 0) {
    gr = &a->groups[g];
    if (contact_room(a, gr, x->wait_ms, x->talk_ms) != CSAT_OK)
      return CSAT_ERR_NOMEM;
    fill_contact(&c, g, x, 1);
    csat__agg_count_contact(gr, &c);
  }
  a->hist[(size_t)slot * 11 + (size_t)x->score]++;
  return CSAT_OK;
}

/* The ordinary path: validate, intern, find or create the group and slot,
 * commit all or nothing, then cache the key. period: the row's period when
 * the fast path computed it (the host's clock callback runs once), or NULL. */
static int add_ordinary(csat_agg *a, const csat_agg_answer *x, const int64_t *period_known) {
  size_t ng0 = a->ngroups, ns0 = a->nslots, clen = 0;
  uint32_t g, slot = CSAT__AGG_NONE, dim[CSAT__AGG_DIMS];
  int64_t period = period_known != NULL ? *period_known : 0;
  int rc, pol = CSAT__POL_NEUTRAL;
  csat__agg_batch bb;
  rc = check_row(a, x, &clen);
  if (rc != CSAT_OK)
    return rc;
  /* A row with no score, comment or contact counts nothing: no group for it. */
  if (x->score < 0 && clen == 0 && x->outcome == 0)
    return CSAT_OK;
  rc = csat__agg_key_group(a, x, period_known != NULL, &period, &g, dim);
  if (rc != CSAT_OK)
    return rc;
  bb.nsc = bb.nct = bb.ncm = 0;
  if (x->score >= 0) {
    rc = csat__agg_key_slot(a, x, g, dim, ng0, ns0, &slot);
    if (rc != CSAT_OK)
      return rc;
    bb.sc[0].slot = slot;
    bb.sc[0].score = (uint32_t)x->score;
    bb.nsc = 1;
    pol = csat__agg_polarity(a, x->scale_min, x->scale_max, x->score);
  }
  if (x->outcome != 0) {
    fill_contact(&bb.ct[0], g, x, x->score >= 0 || clen > 0);
    bb.nct = 1;
  }
  if (clen > 0) {
    bb.cm[0].group = g;
    bb.cm[0].pol = pol;
    bb.cm[0].text = x->comment;
    bb.cm[0].len = clen;
    bb.ncm = 1;
  }
  if (bb.nct == 0 && bb.ncm == 0) {
    a->hist[(size_t)slot * 11 + (size_t)x->score]++; /* a bare score: nothing can fail */
    rc = CSAT_OK;
  } else {
    rc = csat__agg_commit(a, &bb, ng0, ns0);
  }
  if (rc == CSAT_OK && slot != CSAT__AGG_NONE) {
    uint64_t w[CSAT__AGG_ROW_WORDS];
    uint32_t ids[CSAT__AGG_DIMS];
    unsigned i;
    if (a->row_kw == 0)
      csat__agg_rows_layout(a); /* a group exists: the dimensions are fixed */
    for (i = 0; i < a->nkey; i++)
      ids[i] = dim[a->key_dims[i]];
    key_of_ids(a, ids, x->channel, x->scale_min, x->scale_max, period, w);
    csat__agg_row_add(a, w, row_hash(a, w), g, slot);
  }
  return rc;
}

/* 1: a row the fast path may try (the struct's size checked by the caller). */
static inline int fast_candidate(const csat_agg *a, const csat_agg_answer *x) {
  return a->rows_cap > 0 && x->score >= 0 && plain_row(x);
}

int csat_agg_add_answer(csat_agg *a, const csat_agg_answer *x) {
  uint64_t w[CSAT__AGG_ROW_WORDS], v;
  int64_t period = 0;
  if (a == NULL || x == NULL)
    return CSAT_ERR_INVALID_ARG;
  if (csat__agg_room(a, 1, 1) != CSAT_OK)
    return CSAT_ERR_LIMIT;
  if (csat__agg_vmemo_due(a))
    csat__agg_vmemo_fit(a);
  if (!CSAT__COVERS(csat_agg_answer, x->struct_size, talk_ms) || !fast_candidate(a, x) ||
      csat__agg_time_key(a, x->time_ms, &period) != CSAT_OK)
    return add_ordinary(a, x, NULL); /* which reports any error, in its order */
  if (plain_key(a, x, period, NULL, w) && (v = row_find(a, w, row_hash(a, w))) != 0)
    return count_known(a, (uint32_t)(v >> 32), (uint32_t)v - 1u, x);
  return add_ordinary(a, x, &period);
}

int csat_agg_resolve(csat_agg *a, const csat_agg_answer *key, uint32_t *slot) {
  size_t ng0, ns0;
  int64_t period;
  uint32_t g, dim[CSAT__AGG_DIMS];
  int rc;
  if (a == NULL || key == NULL || slot == NULL)
    return CSAT_ERR_INVALID_ARG;
  rc = check_answer(a, key, 1);
  if (rc != CSAT_OK)
    return rc;
  ng0 = a->ngroups;
  ns0 = a->nslots;
  rc = csat__agg_key_group(a, key, 0, &period, &g, dim);
  if (rc != CSAT_OK)
    return rc;
  return csat__agg_key_slot(a, key, g, dim, ng0, ns0, slot);
}

int csat_agg_add_scores(csat_agg *a, const uint32_t *slots, const uint8_t *scores, size_t n) {
  uint64_t *hist;
  const uint16_t *valid;
  size_t i, ns;
  if (a == NULL || ((slots == NULL || scores == NULL) && n > 0))
    return CSAT_ERR_INVALID_ARG;
  if (csat__agg_room(a, n, 0) != CSAT_OK)
    return CSAT_ERR_LIMIT;
  hist = a->hist;
  valid = a->valid;
  ns = a->nslots;
  for (i = 0; i < n; i++) {
    uint32_t s = slots[i];
    unsigned v = scores[i];
    if (s >= ns || v > 10 || !((valid[s] >> v) & 1u)) {
      while (i-- > 0)
        hist[(size_t)slots[i] * 11 + scores[i]]--;
      return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "slot or score out of range");
    }
    hist[(size_t)s * 11 + v]++;
  }
  return CSAT_OK;
}

/* ---- many answers: the lookups of neighbouring rows overlap ----------------- */

/* The batch goes in blocks of BLOCK rows, three blocks in flight: while
 * block t computes its keys (prefetching cache entries) and probes the cache
 * (prefetching histograms and group counters), block t - 1 follows its
 * groups' counters to the duration counts it will add to (prefetching
 * them), and block t - 2 is counted, in row order. Each prefetch so has a
 * block of work or more to land in, and the loops stay simple. */
#define BLOCK 16
#define INFLIGHT 3

typedef struct ahead_row {
  const csat_agg_answer *x;
  uint64_t h;
  uint64_t v; /* the cached (group << 32 | slot + 1); 0: the ordinary path */
  int64_t period;
  int keyed;           /* has a key and hash (else the ordinary path) */
  int timed;           /* period is known */
  int bad_size;        /* struct_size differs from the first row's */
  unsigned prefetched; /* by stages 2 and 3 (see agg_rowkey.h) */
  uint64_t w[CSAT__AGG_ROW_WORDS];
} ahead_row;

/* Stage 1: the key and hash of a row the fast path may take, and a
 * prefetch of its first cache entry. */
static inline void stage_key(csat_agg *a, ahead_row *r, id_memo *m) {
  const csat_agg_answer *x = r->x;
  if (!fast_candidate(a, x) || csat__agg_time_key(a, x->time_ms, &r->period) != CSAT_OK)
    return; /* the ordinary path reports any error, in order */
  r->timed = 1;
  if (!plain_key(a, x, r->period, m, r->w))
    return;
  r->keyed = 1;
  r->h = row_hash(a, r->w);
  PREFETCH(&a->rows[((size_t)r->h & (a->rows_cap - 1)) * (a->row_kw + 1)]);
}

/* Stage 2: the cached group and slot; prefetch the histogram and, for a
 * contact, the group's counters and durations. Only the cache and existing
 * slots are read: rows counted in between only add entries. */
static inline void stage_probe(csat_agg *a, ahead_row *r) {
  if (!r->keyed)
    return;
  r->v = row_find(a, r->w, r->h);
  if (r->v == 0)
    return;
  PREFETCH(&a->hist[(size_t)((uint32_t)r->v - 1u) * 11]);
  if (r->x->outcome != 0)
    r->prefetched = contact_prefetch(&a->groups[r->v >> 32], r->x->outcome);
}

/* Stage 3: a contact's duration counts, through its group's counters. */
static inline void stage_reach(const csat_agg *a, ahead_row *r) {
  if (r->v != 0 && r->x->outcome != 0)
    r->prefetched += durations_prefetch(&a->groups[r->v >> 32], r->x->wait_ms, r->x->talk_ms);
}

/* Stage 4, in row order: count a cached row, or take the ordinary path. */
static inline int stage_apply(csat_agg *a, const ahead_row *r) {
  if (r->bad_size)
    return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "struct_size differs from the first row's");
  if (r->v != 0)
    return count_known(a, (uint32_t)(r->v >> 32), (uint32_t)r->v - 1u, r->x);
  return add_ordinary(a, r->x, r->timed ? &r->period : NULL);
}

int csat_agg_add_answers(csat_agg *a, const csat_agg_answer *rows, size_t n, size_t *done) {
  ahead_row blocks[INFLIGHT][BLOCK];
  id_memo memo;
  size_t step, nb, t, k;
  if (done != NULL)
    *done = 0;
  if (a == NULL || (rows == NULL && n > 0))
    return CSAT_ERR_INVALID_ARG;
  if (n == 0)
    return CSAT_OK;
  step = rows->struct_size;
  if (!CSAT__COVERS(csat_agg_answer, step, talk_ms))
    return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "csat_agg_answer.struct_size is too small");
  if (csat__agg_room(a, n, n) != CSAT_OK)
    return CSAT_ERR_LIMIT;
  batch_begin(a, &memo);
  nb = (n + BLOCK - 1) / BLOCK;
  for (t = 0; t < nb + 2; t++) {
    if (t < nb) {
      ahead_row *b = blocks[t % INFLIGHT];
      size_t m = batch_block_len(n, t, BLOCK);
      for (k = 0; k < m; k++) {
        ahead_row *r = &b[k];
        r->x = (const csat_agg_answer *)(const void *)((const char *)rows + (t * BLOCK + k) * step);
        r->bad_size = r->x->struct_size != step;
        r->keyed = r->timed = 0;
        r->v = 0;
        r->prefetched = 0;
        if (!r->bad_size)
          stage_key(a, r, &memo);
      }
      for (k = 0; k < m; k++)
        stage_probe(a, &b[k]);
    }
    if (t >= 2) {
      /* Count block t - 2 while reaching into block t - 1, so the counting's
       * loads and the prefetches interleave. Blocks only shrink at the end,
       * so block t - 1 has at most as many rows. */
      size_t u = t - 2, m = batch_block_len(n, u, BLOCK);
      size_t m1 = u + 1 < nb ? batch_block_len(n, u + 1, BLOCK) : 0;
      for (k = 0; k < m; k++) {
        int rc;
        if (k < m1)
          stage_reach(a, &blocks[(u + 1) % INFLIGHT][k]);
        rc = stage_apply(a, &blocks[u % INFLIGHT][k]);
        if (rc != CSAT_OK)
          return csat__agg_fail_at(a, rc, "row", u * BLOCK + k, done);
      }
    }
  }
  if (done != NULL)
    *done = n;
  return CSAT_OK;
}
