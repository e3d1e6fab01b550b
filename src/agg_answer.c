/*
 * Host answers: csat_agg_add_answer with its row cache (a repeated key skips
 * validation, interning and the group lookup), the pre-resolved fast path
 * (csat_agg_resolve, csat_agg_add_scores).
 * SPDX-License-Identifier: MIT
 */
#include "agg_internal.h"

#include <string.h>

#define ANS_HAS(size, m) ((size) >= offsetof(csat_agg_answer, m) + sizeof(((csat_agg_answer *)0)->m))

/* Validate an answer's key and find (creating) its group. */
static int answer_group(csat_agg *a, const csat_agg_answer *x, int64_t period, uint32_t *g,
                        uint32_t *qid) {
  static const char *const names[CSAT__AGG_DIMS] = {
      "agent_id", "queue_id", "department", "channel", "survey_id", "question_id", "language",
      "attribute"};
  const char *vals[CSAT__AGG_DIMS];
  uint32_t dim[CSAT__AGG_DIMS];
  size_t n;
  int d, created, rc;
  CSAT__AGG_DIM_STRINGS(vals, x);
  for (d = 0; d < CSAT__AGG_DIMS; d++) {
    dim[d] = 0;
    if (d == CSAT__AGG_DIM_CHANNEL) {
      if (x->channel < 0)
        return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "channel is negative");
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
  *qid = dim[CSAT__AGG_DIM_QUESTION];
  if (!(a->cfg.dims & CSAT_DIM_QUESTION))
    dim[CSAT__AGG_DIM_QUESTION] = 0;
  if (csat__agg_group_get(a, dim, period, g, &created) != CSAT_OK)
    return csat__agg_fail(a, CSAT_ERR_NOMEM, "out of memory");
  return CSAT_OK;
}

static int check_answer(csat_agg *a, const csat_agg_answer *x, int need_scale) {
  if (!ANS_HAS(x->struct_size, talk_ms))
    return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "csat_agg_answer.struct_size is too small");
  if (need_scale || x->score >= 0) {
    if (x->scale_min < 0 || x->scale_max > 10 || x->scale_min >= x->scale_max)
      return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "scale %d..%d is not inside 0..10",
                            (int)x->scale_min, (int)x->scale_max);
  }
  return CSAT_OK;
}

/* Row cache lookup (filled by csat__agg_row_add in agg_group.c). */
static inline int row_key_eq(const csat_agg *a, const csat__agg_row *r, const unsigned char *key,
                      size_t len) {
  const unsigned char *p;
  uint64_t x, y, d = 0;
  size_t i;
  if (r->len != len || len < 8)
    return 0; /* every key has a scale and a period: at least 12 bytes */
  if (len <= CSAT__AGG_ROW_INLINE) {
    p = r->key;
  } else {
    uint64_t off;
    memcpy(&off, r->key, sizeof off);
    p = a->row_bytes + off;
  }
  /* word compares, the last word overlapping: no library call */
  for (i = 0; i + 8 < len; i += 8) {
    memcpy(&x, p + i, 8);
    memcpy(&y, key + i, 8);
    d |= x ^ y;
  }
  memcpy(&x, p + len - 8, 8);
  memcpy(&y, key + len - 8, 8);
  return (d | (x ^ y)) == 0;
}

static inline uint32_t row_find(const csat_agg *a, const unsigned char *key, size_t len, uint64_t h) {
  size_t j, mask;
  uint64_t e, tag = h >> 32;
  if (a->rows_cap == 0)
    return CSAT__AGG_NONE;
  mask = a->rows_cap - 1;
  for (j = (size_t)h & mask; (e = a->ridx[j]) != 0; j = (j + 1) & mask) {
    if ((e >> 32) == tag) {
      uint32_t slot = (uint32_t)e - 1u;
      if (slot < a->rkey_cap && row_key_eq(a, &a->rkey[slot], key, len))
        return slot;
    }
  }
  return CSAT__AGG_NONE;
}

/* The raw key of an answer with a score for the row cache, in whole 8-byte
 * words (aligned stores, so the hash's loads forward from them): each
 * grouped value and the question zero-padded to words, a word with the
 * scale and the channel, words of 16-bit value lengths, the period. With
 * the dimensions fixed it reads back unambiguously from its end. 0 when
 * the key is too long to cache (the ordinary path then decides). */
static size_t row_key(const csat_agg *a, const csat_agg_answer *x, int64_t period,
                      unsigned char *kb, size_t max) {
  const char *v[7];
  size_t n[7], k = 0, i, j;
  unsigned np = 0;
  uint32_t dims = a->cfg.dims;
  uint64_t w;
  const uint16_t one = 1;
  const int little = *(const unsigned char *)&one == 1;
  if (dims & CSAT_DIM_AGENT)
    v[np++] = x->agent_id;
  if (dims & CSAT_DIM_QUEUE)
    v[np++] = x->queue_id;
  if (dims & CSAT_DIM_DEPARTMENT)
    v[np++] = x->department;
  if (dims & CSAT_DIM_SURVEY)
    v[np++] = x->survey_id;
  v[np++] = x->question_id;
  if (dims & CSAT_DIM_LANGUAGE)
    v[np++] = x->language;
  if (dims & CSAT_DIM_ATTRIBUTE)
    v[np++] = x->attribute;
  for (i = 0; i < np; i++) {
    const char *z;
    if (v[i] == NULL)
      v[i] = "";
    /* memchr stops at the first NUL: nothing past the string is read */
    z = memchr(v[i], 0, max);
    if (z == NULL)
      return 0;
    n[i] = (size_t)(z - v[i]);
    k += (n[i] + 7) & ~(size_t)7;
    if (k > max)
      return 0;
  }
  if (k + 16 + (np + 3) / 4 * 8 > max)
    return 0;
  k = 0;
  for (i = 0; i < np; i++) {
    const char *s = v[i];
    size_t full = n[i] & ~(size_t)7;
    for (j = 0; j < full; j += 8) {
      memcpy(&w, s + j, 8);
      memcpy(kb + k + j, &w, 8);
    }
    if (full < n[i]) {
      size_t t = n[i] - full; /* 1..7 tail bytes, zero-padded */
      if (full > 0) {
        /* the string's last 8 bytes, keeping the tail's */
        uint64_t m = ((uint64_t)1 << (8 * t)) - 1;
        memcpy(&w, s + n[i] - 8, 8);
        w = little ? w >> (8 * (8 - t)) : w & m;
      } else {
        w = 0;
        for (j = 0; j < t; j++)
          w |= (uint64_t)(unsigned char)s[j] << (8 * j);
      }
      memcpy(kb + k + full, &w, 8);
    }
    k += (n[i] + 7) & ~(size_t)7;
  }
  w = (uint64_t)(unsigned char)x->scale_min | (uint64_t)(unsigned char)x->scale_max << 8;
  if (dims & CSAT_DIM_CHANNEL)
    w |= (uint64_t)(uint32_t)x->channel << 16;
  memcpy(kb + k, &w, 8);
  k += 8;
  for (i = 0; i < np; i += 4) {
    w = 0;
    for (j = 0; j < 4 && i + j < np; j++)
      w |= (uint64_t)n[i + j] << (16 * j);
    memcpy(kb + k, &w, 8);
    k += 8;
  }
  memcpy(kb + k, &period, 8);
  return k + 8;
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
    return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "score %d is outside %d..%d",
                          (int)x->score, (int)x->scale_min, (int)x->scale_max);
  if (x->outcome < 0 || x->outcome > CSAT_OUTCOME_MAX || x->escalation < 0 ||
      x->escalation > CSAT_ESCALATION_CALLBACK)
    return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "unknown outcome or escalation");
  if (x->outcome != 0 && (csat__agg_check_dur(a, x->wait_ms, "wait") != CSAT_OK ||
                          csat__agg_check_dur(a, x->talk_ms, "talk") != CSAT_OK))
    return CSAT_ERR_LIMIT;
  if (x->comment != NULL) {
    *clen = csat__strnlen(x->comment, CSAT__AGG_COMMENT_MAX);
    if (*clen > CSAT__AGG_COMMENT_MAX)
      return csat__agg_fail(a, CSAT_ERR_LIMIT, "comment is longer than %u bytes",
                            CSAT__AGG_COMMENT_MAX);
    if (!csat__utf8_valid(x->comment, *clen))
      return csat__agg_fail(a, CSAT_ERR_UTF8, "comment is not valid UTF-8");
  }
  return CSAT_OK;
}

/* A validated row with a score, an outcome and no comment whose slot is
 * known: count it when nothing can fail, i.e. when its durations have room
 * (they have but when their bins must grow). 0: take the commit path. */
static int count_scored_contact(csat_agg *a, uint32_t slot, const csat_agg_answer *x) {
  uint32_t g = a->slots[slot].group;
  csat__agg_group *gr = &a->groups[g];
  csat__agg_bcontact c;
  if ((x->wait_ms >= 0 && !csat__agg_dur_room(&gr->wait)) ||
      (x->talk_ms >= 0 && !csat__agg_dur_room(&gr->talk)))
    return 0;
  fill_contact(&c, g, x, 1);
  csat__agg_count_contact(gr, &c);
  a->hist[(size_t)slot * 11 + (size_t)x->score]++;
  return 1;
}

int csat_agg_add_answer(csat_agg *a, const csat_agg_answer *x) {
  size_t ng0, ns0, clen = 0, klen = 0;
  uint32_t g, qid = 0, slot;
  uint64_t kh = 0;
  int64_t period;
  int rc, created, pol = CSAT__POL_NEUTRAL, remember = 0;
  uint64_t kbw[CSAT__AGG_ROW_KEY_MAX / 8]; /* word-aligned key bytes */
  unsigned char *kb = (unsigned char *)kbw;
  csat__agg_batch bb;
  if (a == NULL || x == NULL)
    return CSAT_ERR_INVALID_ARG;
  rc = check_row(a, x, &clen);
  if (rc != CSAT_OK)
    return rc;
  /* A row with no score, comment or contact counts nothing: no group for it. */
  if (x->score < 0 && clen == 0 && x->outcome == 0)
    return CSAT_OK;
  if (x->channel < 0)
    return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "channel is negative");
  rc = csat__agg_time_key(a, x->time_ms, &period);
  if (rc != CSAT_OK)
    return rc;
  ng0 = a->ngroups;
  ns0 = a->nslots;
  slot = CSAT__AGG_NONE;
  if (x->score >= 0) {
    /* A key seen before was validated then: its slot is all we need. */
    klen = row_key(a, x, period, kb, CSAT__AGG_ROW_KEY_MAX);
    if (klen > 0) {
      kh = csat__agg_hash(&a->seed, kb, klen);
      slot = row_find(a, kb, klen, kh);
    }
  }
  if (slot != CSAT__AGG_NONE) {
    if (x->outcome == 0 && clen == 0) {
      a->hist[(size_t)slot * 11 + (size_t)x->score]++; /* a bare score: nothing can fail */
      return CSAT_OK;
    }
    g = a->slots[slot].group;
    if (clen == 0 && count_scored_contact(a, slot, x))
      return CSAT_OK;
  } else {
    rc = answer_group(a, x, period, &g, &qid);
    if (rc != CSAT_OK)
      return rc;
  }
  bb.nsc = bb.nct = bb.ncm = 0;
  if (x->score >= 0) {
    if (slot == CSAT__AGG_NONE) {
      if (csat__agg_slot_get(a, g, qid, x->scale_min, x->scale_max, &slot, &created) !=
          CSAT_OK) {
        csat__agg_rollback(a, ng0, ns0);
        return csat__agg_fail(a, CSAT_ERR_NOMEM, "out of memory");
      }
      if (klen > 0)
        remember = 1;
    }
    if (x->outcome == 0 && clen == 0) {
      a->hist[(size_t)slot * 11 + (size_t)x->score]++; /* a bare score: nothing can fail */
      if (remember)
        csat__agg_row_add(a, kb, klen, kh, slot);
      return CSAT_OK;
    }
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
  rc = csat__agg_commit(a, &bb, ng0, ns0);
  if (rc == CSAT_OK && remember)
    csat__agg_row_add(a, kb, klen, kh, slot);
  return rc;
}

int csat_agg_resolve(csat_agg *a, const csat_agg_answer *key, uint32_t *slot) {
  size_t ng0, ns0;
  int64_t period;
  uint32_t g, qid;
  int rc, created;
  if (a == NULL || key == NULL || slot == NULL)
    return CSAT_ERR_INVALID_ARG;
  rc = check_answer(a, key, 1);
  if (rc != CSAT_OK)
    return rc;
  if (key->channel < 0)
    return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "channel is negative");
  rc = csat__agg_time_key(a, key->time_ms, &period);
  if (rc != CSAT_OK)
    return rc;
  ng0 = a->ngroups;
  ns0 = a->nslots;
  rc = answer_group(a, key, period, &g, &qid);
  if (rc != CSAT_OK)
    return rc;
  if (csat__agg_slot_get(a, g, qid, key->scale_min, key->scale_max, slot, &created) != CSAT_OK) {
    csat__agg_rollback(a, ng0, ns0);
    return csat__agg_fail(a, CSAT_ERR_NOMEM, "out of memory");
  }
  return CSAT_OK;
}

int csat_agg_add_scores(csat_agg *a, const uint32_t *slots, const uint8_t *scores, size_t n) {
  uint64_t *hist;
  const uint16_t *valid;
  size_t i, ns;
  if (a == NULL || ((slots == NULL || scores == NULL) && n > 0))
    return CSAT_ERR_INVALID_ARG;
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
#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

/* The batch is a software pipeline: row i computes its key while row i - D
 * probes the index, row i - 2D checks its key and row i - 3D is counted, so
 * each stage's loads have D rows of work to land in. Keys longer than
 * AHEAD_KEY_MAX take the ordinary path (they are rare; the ring stays
 * small on the stack). */
#define D 4
#define RING 16 /* a power of two > 3 * D */
#define AHEAD_KEY_MAX 192

typedef struct ahead_row {
  const csat_agg_answer *x;
  uint64_t h;
  size_t klen;   /* 0: the row takes the ordinary path */
  uint32_t slot; /* candidate, then verified slot; NONE: ordinary path */
  int bad_size;  /* struct_size differs from the first row's */
  uint64_t kbw[AHEAD_KEY_MAX / 8];
} ahead_row;

/* Stage 1: a row the cache may answer (a score, no comment, everything but
 * its key valid): its key, hash, and a prefetch of its index entry. */
static void stage_key(csat_agg *a, ahead_row *r) {
  size_t clen;
  int64_t period;
  const csat_agg_answer *x = r->x;
  if (a->rows_cap == 0 || x->score < 0 || x->channel < 0)
    return;
  if (x->comment != NULL && x->comment[0] != '\0')
    return;
  if (check_row(a, x, &clen) != CSAT_OK || csat__agg_time_key(a, x->time_ms, &period) != CSAT_OK)
    return; /* the ordinary path reports it, in order */
  r->klen = row_key(a, x, period, (unsigned char *)r->kbw, AHEAD_KEY_MAX);
  if (r->klen == 0)
    return;
  r->h = csat__agg_hash(&a->seed, r->kbw, r->klen);
  PREFETCH(&a->ridx[(size_t)r->h & (a->rows_cap - 1)]);
}

/* Stage 2: the first index entry with the key's tag; prefetch what the row
 * will read next (its key, histogram and slot record). */
static void stage_probe(csat_agg *a, ahead_row *r) {
  size_t j, mask = a->rows_cap - 1;
  uint64_t e, tag = r->h >> 32;
  if (r->klen == 0)
    return;
  for (j = (size_t)r->h & mask; (e = a->ridx[j]) != 0; j = (j + 1) & mask)
    if ((e >> 32) == tag) {
      uint32_t slot = (uint32_t)e - 1u;
      if (slot < a->rkey_cap && slot < a->nslots) {
        r->slot = slot;
        PREFETCH(&a->rkey[slot]);
        PREFETCH(&a->hist[(size_t)slot * 11]);
        PREFETCH(&a->slots[slot]);
      }
      return;
    }
}

/* Stage 3: verify the key; a contact row prefetches its group's counters. */
static void stage_verify(csat_agg *a, ahead_row *r) {
  if (r->slot == CSAT__AGG_NONE)
    return;
  if (!row_key_eq(a, &a->rkey[r->slot], (const unsigned char *)r->kbw, r->klen)) {
    r->slot = CSAT__AGG_NONE;
    return;
  }
  if (r->x->outcome != 0) {
    const csat__agg_group *g = &a->groups[a->slots[r->slot].group];
    PREFETCH(&g->outcomes[0]);
    PREFETCH(&g->wait);
    PREFETCH(&g->talk);
    PREFETCH((const char *)&g->talk + 64);
  }
}

/* Stage 4, in row order: count a verified row, or take the ordinary path.
 * Only the cache and existing slots were read before: rows applied in
 * between may have created slots, which changes nothing verified. */
static int stage_apply(csat_agg *a, const ahead_row *r) {
  const csat_agg_answer *x = r->x;
  uint32_t slot = r->slot;
  if (slot != CSAT__AGG_NONE) {
    if (x->outcome == 0) {
      a->hist[(size_t)slot * 11 + (size_t)x->score]++;
      return CSAT_OK;
    }
    if (count_scored_contact(a, slot, x))
      return CSAT_OK;
  }
  return csat_agg_add_answer(a, x);
}

int csat_agg_add_answers(csat_agg *a, const csat_agg_answer *rows, size_t n, size_t *done) {
  ahead_row ring[RING];
  size_t step, i;
  if (done != NULL)
    *done = 0;
  if (a == NULL || (rows == NULL && n > 0))
    return CSAT_ERR_INVALID_ARG;
  if (n == 0)
    return CSAT_OK;
  step = rows->struct_size;
  if (!ANS_HAS(step, talk_ms))
    return csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "csat_agg_answer.struct_size is too small");
  for (i = 0; i < n + 3 * D; i++) {
    if (i < n) {
      ahead_row *r = &ring[i % RING];
      r->x = (const csat_agg_answer *)(const void *)((const char *)rows + i * step);
      r->bad_size = r->x->struct_size != step;
      r->klen = 0;
      r->slot = CSAT__AGG_NONE;
      if (!r->bad_size)
        stage_key(a, r);
    }
    if (i >= D && i - D < n)
      stage_probe(a, &ring[(i - D) % RING]);
    if (i >= 2 * D && i - 2 * D < n)
      stage_verify(a, &ring[(i - 2 * D) % RING]);
    if (i >= 3 * D) {
      size_t k = i - 3 * D;
      const ahead_row *r = &ring[k % RING];
      int rc;
      if (r->bad_size)
        rc = csat__agg_fail(a, CSAT_ERR_INVALID_ARG, "struct_size differs from the first row's");
      else
        rc = stage_apply(a, r);
      if (rc != CSAT_OK) {
        char msg[sizeof a->errmsg];
        memcpy(msg, a->errmsg, sizeof msg);
        csat__agg_fail(a, rc, "row %lu: %s", (unsigned long)k, msg);
        if (done != NULL)
          *done = k;
        return rc;
      }
    }
  }
  if (done != NULL)
    *done = n;
  return CSAT_OK;
}
