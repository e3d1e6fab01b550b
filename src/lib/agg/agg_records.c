/*
 * Host result records (csat_agg_add_records): a contact's key and figures
 * given once with its answers. Each record is counted all or nothing, as
 * csat_agg_add_result counts a session's result; a record whose key the row
 * cache knows is counted through one probe per answer, with the lookups of
 * neighbouring records overlapping.
 * SPDX-License-Identifier: MIT
 */
#include "agg_rowkey.h"

#include <string.h>

#define MAX_ANSWERS CSAT_AGG_RECORD_MAX_ANSWERS

/* A record's batch holds one score, comment and contact per answer. */
typedef char batch_fits_a_record[CSAT__AGG_B_MAX >= MAX_ANSWERS ? 1 : -1];

/* Answer i of an array whose answers lie step bytes apart. */
static inline const csat_agg_record_answer *answer_at(const void *answers, size_t step, size_t i) {
  return (const csat_agg_record_answer *)(const void *)((const char *)answers + i * step);
}

/* Answer i of a record (answers[0].struct_size apart). */
static inline const csat_agg_record_answer *rec_answer(const csat_agg_record *r, size_t i) {
  return answer_at(r->answers, r->answers->struct_size, i);
}

/* Everything about a record but its key strings (checked when they are
 * interned): INVALID_ARG, LIMIT, UTF8. In the order the answer path checks
 * a row (scale and score, outcome, durations, comment), so a one-answer
 * record fails as its row would. clen[i]: answer i's comment length. */
static int check_record(csat_agg *a, const csat_agg_record *r, size_t clen[MAX_ANSWERS]) {
  size_t i, n = r->answer_count, step = 0;
  if (!CSAT__COVERS(csat_agg_record, r->struct_size, answer_count))
    return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "csat_agg_record.struct_size is too small");
  if (n > MAX_ANSWERS)
    return csat__agg_fail(a, CSAT_ERR_LIMIT, "more than %d answers", MAX_ANSWERS);
  if (n > 0 && r->answers == NULL)
    return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "answers is NULL");
  if (n > 0 && !CSAT__COVERS(csat_agg_record_answer, step = r->answers->struct_size, comment))
    return csat__agg_fail(a, CSAT_ERR_INVALID_ARG,
                          "csat_agg_record_answer.struct_size is too small");
  for (i = 0; i < n; i++) {
    const csat_agg_record_answer *x = rec_answer(r, i);
    if (x->struct_size != step)
      return csat__agg_fail(a, CSAT_ERR_INVALID_ARG,
                            "answer %lu: struct_size differs from the first answer's",
                            (unsigned long)i);
    if (x->score >= 0 && (x->scale_min < 0 || x->scale_max > 10 || x->scale_min >= x->scale_max))
      return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "answer %lu: scale %d..%d is not inside 0..10",
                            (unsigned long)i, (int)x->scale_min, (int)x->scale_max);
    if (x->score < -1 || (x->score >= 0 && (x->score < x->scale_min || x->score > x->scale_max)))
      return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "answer %lu: score %d is outside %d..%d",
                            (unsigned long)i, (int)x->score, (int)x->scale_min, (int)x->scale_max);
  }
  if (r->outcome < 0 || r->outcome > CSAT_OUTCOME_MAX || r->escalation < 0 ||
      r->escalation > CSAT_ESCALATION_CALLBACK)
    return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "unknown outcome or escalation");
  if (r->outcome != 0 && (csat__agg_check_dur(a, r->wait_ms, "wait") != CSAT_OK ||
                          csat__agg_check_dur(a, r->talk_ms, "talk") != CSAT_OK))
    return CSAT_ERR_LIMIT;
  for (i = 0; i < n; i++) {
    int rc = csat__agg_check_comment(a, rec_answer(r, i)->comment, &clen[i]);
    if (rc != CSAT_OK)
      return csat__agg_fail_at(a, rc, "answer", i, NULL);
  }
  return CSAT_OK;
}

/* The key members of a record as a csat_agg_answer (question and scale set
 * per answer), for the key functions the answer path shares. */
static void key_row(csat_agg_answer *k, const csat_agg_record *r) {
  memset(k, 0, sizeof *k);
  k->struct_size = sizeof *k;
  k->time_ms = r->time_ms;
  k->agent_id = r->agent_id;
  k->queue_id = r->queue_id;
  k->department = r->department;
  k->channel = r->channel;
  k->survey_id = r->survey_id;
  k->language = r->language;
  k->attribute = r->attribute;
  k->score = -1;
}

static void fill_contact(csat__agg_bcontact *c, uint32_t g, const csat_agg_record *r,
                         int answered) {
  c->group = g;
  c->outcome = r->outcome;
  c->answered = answered && r->outcome != CSAT_OUTCOME_ALREADY_ANSWERED;
  c->flagged = r->flagged != 0;
  c->escalation = r->escalation;
  c->wait = r->wait_ms;
  c->talk = r->talk_ms;
}

/* Count the contact in group g once: answered when any of its answers
 * there has a score or a comment. */
static void add_contact(csat__agg_batch *b, uint32_t g, const csat_agg_record *r, int has) {
  size_t i;
  for (i = 0; i < b->nct; i++)
    if (b->ct[i].group == g) {
      b->ct[i].answered |= has && r->outcome != CSAT_OUTCOME_ALREADY_ANSWERED;
      return;
    }
  fill_contact(&b->ct[b->nct++], g, r, has);
}

/* What the ordinary path gathers for the row cache: a scored answer's key. */
typedef struct cached_key {
  uint64_t w[CSAT__AGG_ROW_WORDS];
  uint64_t hint; /* hint_key of its question and scale */
  uint32_t group, slot;
} cached_key;

/* The ordinary path: validate, intern, find or create the groups and slots,
 * commit all or nothing, then cache the scored answers' keys. period: the
 * record's period when the fast path computed it (the host's clock runs
 * once), or NULL. */
static int add_ordinary(csat_agg *a, const csat_agg_record *r, const int64_t *period_known) {
  size_t ng0 = a->ngroups, ns0 = a->nslots, clen[MAX_ANSWERS], i, n = r->answer_count, nkeys = 0;
  uint32_t g = 0, slot, dim[CSAT__AGG_DIMS];
  int64_t period = period_known != NULL ? *period_known : 0;
  int rc, timed = period_known != NULL, grouped = 0, any = 0, last_pol = CSAT__POL_NEUTRAL;
  int by_question = (a->cfg.dims & CSAT_DIM_QUESTION) != 0;
  cached_key keys[MAX_ANSWERS];
  csat_agg_answer k;
  csat__agg_batch bb;
  rc = check_record(a, r, clen);
  if (rc != CSAT_OK)
    return rc;
  for (i = 0; i < n; i++)
    any |= rec_answer(r, i)->score >= 0 || clen[i] > 0;
  /* A record with no score, comment or contact counts nothing: no group. */
  if (!any && r->outcome == 0)
    return CSAT_OK;
  key_row(&k, r);
  bb.nsc = bb.nct = bb.ncm = 0;
  for (i = 0; i < n; i++) {
    const csat_agg_record_answer *x = rec_answer(r, i);
    int pol = last_pol, has = x->score >= 0 || clen[i] > 0;
    /* Every answer of a record that counts something is read. One that
     * counts nothing needs no group without an outcome; with one, grouped
     * by question, its question's group counts the contact. */
    if (!has && r->outcome == 0) {
      size_t len;
      rc = csat__agg_host_str(a, x->question_id, CSAT__AGG_VALUE_MAX, "question_id", &len);
      if (rc != CSAT_OK)
        goto fail;
      continue;
    }
    k.question_id = x->question_id;
    k.scale_min = x->scale_min;
    k.scale_max = x->scale_max;
    /* (a fault of a key value names its member: question_id, agent_id...) */
    rc = csat__agg_key_group(a, &k, timed, &period, &g, dim);
    if (rc != CSAT_OK)
      goto fail;
    timed = grouped = 1;
    if (x->score >= 0) {
      unsigned d;
      uint32_t ids[CSAT__AGG_DIMS];
      if (csat__agg_key_slot(a, &k, g, dim, ng0, ns0, &slot) != CSAT_OK)
        return CSAT_ERR_NOMEM; /* rolled back */
      bb.sc[bb.nsc].slot = slot;
      bb.sc[bb.nsc].score = (uint32_t)x->score;
      bb.nsc++;
      pol = last_pol = csat__agg_polarity(a, x->scale_min, x->scale_max, x->score);
      if (a->row_kw == 0)
        csat__agg_rows_layout(a); /* a group exists: the dimensions are fixed */
      for (d = 0; d < a->nkey; d++)
        ids[d] = dim[a->key_dims[d]];
      key_of_ids(a, ids, k.channel, x->scale_min, x->scale_max, period, keys[nkeys].w);
      keys[nkeys].hint = hint_key(dim[CSAT__AGG_DIM_QUESTION], x->scale_min, x->scale_max);
      keys[nkeys].group = g;
      keys[nkeys++].slot = slot;
    }
    if (clen[i] > 0) {
      bb.cm[bb.ncm].group = g;
      bb.cm[bb.ncm].pol = pol;
      bb.cm[bb.ncm].text = x->comment;
      bb.cm[bb.ncm].len = clen[i];
      bb.ncm++;
    }
    if (r->outcome != 0 && by_question)
      add_contact(&bb, g, r, has); /* once per question group */
  }
  if (r->outcome != 0 && (!by_question || n == 0)) {
    if (!grouped) { /* no answer: the record's group is that of question "" */
      k.question_id = NULL;
      rc = csat__agg_key_group(a, &k, timed, &period, &g, dim);
      if (rc != CSAT_OK)
        goto fail;
    }
    fill_contact(&bb.ct[bb.nct++], g, r, any);
  }
  rc = csat__agg_commit(a, &bb, ng0, ns0);
  if (rc != CSAT_OK)
    return rc;
  for (i = 0; i < nkeys; i++)
    csat__agg_row_add(a, keys[i].w, row_hash(a, keys[i].w), keys[i].group, keys[i].slot);
  if (!by_question) {
    /* the fast path's way in: the record's group (every record that gets
     * this far has one) as a row, then its hints */
    uint32_t ids[CSAT__AGG_DIMS];
    uint64_t w[CSAT__AGG_ROW_WORDS];
    unsigned d;
    if (a->row_kw == 0)
      csat__agg_rows_layout(a);
    for (d = 0; d < a->nkey; d++)
      ids[d] = dim[a->key_dims[d]];
    group_row_key(a, ids, k.channel, period, w);
    csat__agg_row_add(a, w, row_hash(a, w), g, 0);
    for (i = 0; i < nkeys; i++)
      hint_add(&a->groups[g], keys[i].hint, keys[i].slot);
  }
  return CSAT_OK;
fail:
  csat__agg_rollback(a, ng0, ns0);
  return rc;
}

/* ---- the fast path ----------------------------------------------------------
 * A record not grouped by question, with an outcome in range (or none), 1 to
 * FAST_MAX answers without comments, each scored in its scale or not scored
 * (-1), one scored at least or an outcome, whose key strings and questions
 * are interned, whose group the row cache knows
 * (by its group row) and whose every (question, scale) that group hints, is
 * counted without validation, interning or lookups but one row cache probe.
 * Such a record whose group or hints are not cached yet is looked up answer
 * by answer in the row cache, and caches them; anything else, and every
 * error, takes the ordinary path, in order. Being stricter here only costs
 * time. */
#define FAST_MAX 8
#define BLOCK 4 /* records (of up to FAST_MAX answers) */
#define INFLIGHT 3

typedef struct ahead_rec {
  const csat_agg_record *r;
  int64_t period;
  int timed;           /* period is known */
  int keyed;           /* plain: every answer's hint key, and the group row's key and hash */
  int found;           /* the group row is cached: g */
  int hinted;          /* every scored answer's slot is hinted: slot[] */
  int bad_size;        /* struct_size differs from the first record's */
  unsigned prefetched; /* by stages 2 and 3 (see agg_rowkey.h) */
  size_t n;            /* scored answers (when keyed): qk[], score[] */
  uint32_t g;
  uint32_t ids[CSAT__AGG_DIMS];         /* the key dimensions' ids (a->key_dims order) */
  uint64_t gh, gw[CSAT__AGG_ROW_WORDS]; /* the group row's hash and key */
  uint64_t qk[FAST_MAX];                /* hint_key of each scored answer */
  uint32_t slot[FAST_MAX];
  uint8_t score[FAST_MAX];
} ahead_rec;

/* The record's key members, by dimension (the question is per answer). */
static const uint16_t rec_off[CSAT__AGG_DIMS] = {
    offsetof(csat_agg_record, agent_id),   offsetof(csat_agg_record, queue_id),
    offsetof(csat_agg_record, department), 0,
    offsetof(csat_agg_record, survey_id),  0,
    offsetof(csat_agg_record, language),   offsetof(csat_agg_record, attribute)};

/* A record the fast path may try (its answers are checked as keyed). */
static inline int plain_record(const csat_agg *a, const csat_agg_record *r) {
  size_t n = r->answer_count;
  int bad = (r->channel < 0) | (r->outcome < 0) | (r->outcome > CSAT_OUTCOME_MAX) |
            (r->escalation < 0) | (r->escalation > CSAT_ESCALATION_CALLBACK) |
            (r->wait_ms > CSAT__AGG_DUR_MAX_MS) | (r->talk_ms > CSAT__AGG_DUR_MAX_MS) | (n == 0) |
            (n > FAST_MAX) | (r->answers == NULL);
  return !bad && a->rows_cap > 0 && !(a->cfg.dims & CSAT_DIM_QUESTION) &&
         CSAT__COVERS(csat_agg_record_answer, r->answers->struct_size, comment);
}

/* An answer the fast path may take: without a comment, scored in its scale
 * (1) or not scored (2, its scale ignored); else 0. Its comment is read
 * last, as check_record reads it: an answer of another struct_size may hold
 * anything there. */
static inline int plain_answer(const csat_agg_record_answer *x, size_t step) {
  /* 0 <= min < max <= 10 and min <= score <= max, as unsigned spans */
  int bad = (x->struct_size != step) | ((uint32_t)x->scale_min >= (uint32_t)x->scale_max) |
            (x->scale_max > 10) |
            ((uint32_t)x->score - (uint32_t)x->scale_min >
             (uint32_t)x->scale_max - (uint32_t)x->scale_min);
  int kind = !bad ? 1 : x->struct_size == step && x->score == -1 ? 2 : 0;
  if (kind == 0 || (x->comment != NULL && x->comment[0] != '\0'))
    return 0;
  return kind;
}

/* Stage 1: a plain record's ids, its answers' hint keys and its group row's
 * hash, prefetching the row. p: the record before it in the call, or NULL
 * (whose period a record of the same time takes: the clock is a pure
 * function). The key values go through the value memo (a record's agent is
 * seldom the previous one's); the questions, the same few pointers, through
 * the call's memo m. */
static inline void stage_key(csat_agg *a, ahead_rec *e, const ahead_rec *p, id_memo *m) {
  const csat_agg_record *r = e->r;
  unsigned i, q = a->key_qpos;
  size_t j, n, step;
  if (!plain_record(a, r))
    return;
  if (p != NULL && p->timed && p->r->time_ms == r->time_ms)
    e->period = p->period;
  else if (csat__agg_time_key(a, r->time_ms, &e->period) != CSAT_OK)
    return; /* the ordinary path reports it */
  e->timed = 1;
  for (i = 0; i < a->nkey; i++) {
    const char *v;
    if (i == q)
      continue;
    memcpy(&v, (const char *)r + rec_off[a->key_dims[i]], sizeof v);
    if ((e->ids[i] = value_id(a, v)) == CSAT__AGG_NONE)
      return;
  }
  n = 0;
  step = r->answers->struct_size;
  for (j = 0; j < r->answer_count; j++) {
    const csat_agg_record_answer *x = answer_at(r->answers, step, j);
    uint32_t qid;
    int kind = plain_answer(x, step);
    /* (a skipped answer's question is read too: interned, it is valid) */
    if (kind == 0)
      return;
    if ((qid = memo_id(a, m, x->question_id)) == CSAT__AGG_NONE) {
      size_t len;
      /* a skipped answer of a record without a contact: the ordinary path
       * only checks its question (csat__agg_host_str), never interns it */
      if (kind == 1 || r->outcome != 0 ||
          (x->question_id != NULL &&
           csat__agg_value_scan(x->question_id, CSAT__AGG_VALUE_MAX, &len) != CSAT_OK))
        return;
    }
    if (kind == 1) {
      e->score[n] = (uint8_t)x->score;
      e->qk[n++] = hint_key(qid, x->scale_min, x->scale_max);
    }
  }
  if (n == 0 && r->outcome == 0)
    return; /* counts nothing: the ordinary path knows */
  group_row_key(a, e->ids, r->channel, e->period, e->gw);
  e->gh = row_hash(a, e->gw);
  PREFETCH(&a->rows[((size_t)e->gh & (a->rows_cap - 1)) * (a->row_kw + 1)]);
  e->n = n;
  e->keyed = 1;
}

/* Stage 2: the record's cached group; prefetch its hints and, for a
 * contact, its counters and durations. */
static inline void stage_probe(csat_agg *a, ahead_rec *e) {
  const csat__agg_group *gr;
  uint64_t v;
  if (!e->keyed || (v = row_find(a, e->gw, e->gh)) == 0)
    return;
  e->g = (uint32_t)(v >> 32);
  e->found = 1;
  gr = &a->groups[e->g];
  PREFETCH(&gr->hint_slot[0]);
  PREFETCH(&gr->hint[CSAT__AGG_HINTS - 1]);
  e->prefetched = 2;
  if (e->r->outcome != 0)
    e->prefetched += contact_prefetch(gr, e->r->outcome);
}

/* Stage 3: the answers' slots from the group's hints, prefetching their
 * histogram counts, and a contact's duration counts (read through the
 * group's lines that stage 2 brought in a stage before). */
static inline void stage_reach(const csat_agg *a, ahead_rec *e) {
  const csat__agg_group *gr;
  size_t j;
  if (!e->found)
    return;
  gr = &a->groups[e->g];
  for (j = 0; j < e->n; j++) {
    if ((e->slot[j] = hint_find(gr, e->qk[j], j)) == CSAT__AGG_NONE)
      return;
    PREFETCH(&a->hist[(size_t)e->slot[j] * 11 + e->score[j]]);
  }
  e->hinted = 1;
  if (e->r->outcome != 0)
    e->prefetched += durations_prefetch(gr, e->r->wait_ms, e->r->talk_ms);
}

/* Count a record whose group and slots are known. NOMEM (nothing counted). */
static int count_known(csat_agg *a, const ahead_rec *e) {
  const csat_agg_record *r = e->r;
  size_t j;
  if (r->outcome != 0) {
    csat__agg_bcontact c;
    if (contact_room(a, &a->groups[e->g], r->wait_ms, r->talk_ms) != CSAT_OK)
      return CSAT_ERR_NOMEM;
    fill_contact(&c, e->g, r, e->n > 0); /* answered: some answer is scored */
    csat__agg_count_contact(&a->groups[e->g], &c);
  }
  for (j = 0; j < e->n; j++)
    a->hist[(size_t)e->slot[j] * 11 + e->score[j]]++;
  return CSAT_OK;
}

/* A keyed record whose group or hints were not cached: its answers' (group,
 * slot) through the row cache, one probe each. When all are there it is
 * counted, its group row and hints cached (*counted = 1); else nothing is
 * done. NOMEM. */
static int count_by_rows(csat_agg *a, ahead_rec *e, int *counted) {
  uint64_t w[CSAT__AGG_ROW_WORDS], v;
  size_t j;
  int rc;
  *counted = 0;
  if (e->n == 0)
    return CSAT_OK; /* no answer to find the group by */
  for (j = 0; j < e->n; j++) {
    uint64_t k = e->qk[j];
    e->ids[a->key_qpos] = (uint32_t)k;
    key_of_ids(a, e->ids, e->r->channel, (int32_t)(uint8_t)(k >> 32), (int32_t)(uint8_t)(k >> 40),
               e->period, w);
    if ((v = row_find(a, w, row_hash(a, w))) == 0 || (j > 0 && (uint32_t)(v >> 32) != e->g))
      return CSAT_OK;
    e->g = (uint32_t)(v >> 32);
    e->slot[j] = (uint32_t)v - 1u;
  }
  rc = count_known(a, e);
  if (rc != CSAT_OK)
    return rc;
  *counted = 1;
  if (!e->found)
    csat__agg_row_add(a, e->gw, e->gh, e->g, 0);
  for (j = 0; j < e->n; j++)
    hint_add(&a->groups[e->g], e->qk[j], e->slot[j]);
  return CSAT_OK;
}

/* Stage 4, in record order: count a record whose slots are hinted, or one
 * the row cache knows, or take the ordinary path. */
static inline int stage_apply(csat_agg *a, ahead_rec *e) {
  if (e->bad_size)
    return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "struct_size differs from the first record's");
  if (e->found && !e->hinted)
    stage_reach(a, e); /* the first block has no block before it to reach it */
  if (e->hinted)
    return count_known(a, e);
  if (e->keyed) {
    int counted, rc = count_by_rows(a, e, &counted);
    if (rc != CSAT_OK || counted)
      return rc;
  }
  return add_ordinary(a, e->r, e->timed ? &e->period : NULL);
}

int csat_agg_add_records(csat_agg *a, const csat_agg_record *recs, size_t n, size_t *done) {
  ahead_rec blocks[INFLIGHT][BLOCK];
  id_memo memo;
  size_t step, nb, t, k;
  if (done != NULL)
    *done = 0;
  if (a == NULL || (recs == NULL && n > 0))
    return CSAT_ERR_INVALID_ARG;
  if (n == 0)
    return CSAT_OK;
  step = recs->struct_size;
  if (!CSAT__COVERS(csat_agg_record, step, answer_count))
    return csat__agg_fail(a, CSAT_ERR_INVALID_ARG,
                          "record 0: csat_agg_record.struct_size is too small");
  if (csat__agg_room(a, (uint64_t)n * MAX_ANSWERS, (uint64_t)n * MAX_ANSWERS) != CSAT_OK)
    return CSAT_ERR_LIMIT;
  batch_begin(a, &memo);
  nb = (n + BLOCK - 1) / BLOCK;
  for (t = 0; t < nb + 2; t++) {
    if (t < nb) {
      ahead_rec *b = blocks[t % INFLIGHT];
      size_t m = batch_block_len(n, t, BLOCK);
      for (k = 0; k < m; k++) {
        ahead_rec *e = &b[k];
        e->r = (const csat_agg_record *)(const void *)((const char *)recs + (t * BLOCK + k) * step);
        e->bad_size = e->r->struct_size != step;
        e->timed = e->keyed = e->found = e->hinted = 0;
        e->prefetched = 0;
        if (!e->bad_size)
          stage_key(a, e,
                    k > 0   ? &b[k - 1]
                    : t > 0 ? &blocks[(t - 1) % INFLIGHT][BLOCK - 1]
                            : NULL,
                    &memo);
      }
      for (k = 0; k < m; k++)
        stage_probe(a, &b[k]);
    }
    if (t >= 2) {
      /* Count block t - 2 while reaching into block t - 1 (which has at
       * most as many records: blocks only shrink at the end). */
      size_t u = t - 2, m = batch_block_len(n, u, BLOCK);
      size_t m1 = u + 1 < nb ? batch_block_len(n, u + 1, BLOCK) : 0;
      for (k = 0; k < m; k++) {
        int rc;
        if (k < m1)
          stage_reach(a, &blocks[(u + 1) % INFLIGHT][k]);
        rc = stage_apply(a, &blocks[u % INFLIGHT][k]);
        if (rc != CSAT_OK)
          return csat__agg_fail_at(a, rc, "record", u * BLOCK + k, done);
      }
    }
  }
  if (done != NULL)
    *done = n;
  return CSAT_OK;
}
