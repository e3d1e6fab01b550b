/*
 * The row cache's keys, shared by the answer and record ingest paths
 * (agg_answer.c, agg_records.c): host values to interned ids through the
 * value memo and a per-call pointer memo, key words, their hash and probe.
 * Static inline: these run once or more per answer. Not installed.
 * SPDX-License-Identifier: MIT
 */
#ifndef CSAT_AGG_ROWKEY_H
#define CSAT_AGG_ROWKEY_H

#include "agg.h"

#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#  define PREFETCH(p) __builtin_prefetch(p)
#else
#  define PREFETCH(p) ((void)(p))
#endif

/* The id csat__agg_intern would give a host value the ordinary path accepts
 * (at most CSAT__AGG_VALUE_MAX bytes, UTF-8; NULL is ""), without interning
 * it: NONE when it is not interned yet or not acceptable. *len: its length
 * when found. */
static inline uint32_t known_id(const csat_agg *a, const char *s, size_t *len) {
  *len = 0;
  if (s == NULL || s[0] == '\0')
    return a->nstr > 0 ? 0 : CSAT__AGG_NONE;
  if (csat__agg_value_scan(s, CSAT__AGG_VALUE_MAX, len) != CSAT_OK)
    return CSAT__AGG_NONE;
  return csat__agg_str_find(a, s, *len);
}

/* n <= CSAT__AGG_VMEMO_BYTES bytes equal (both readable for n bytes). */
static inline int same_bytes(const char *x, const char *y, size_t n) {
  uint64_t p, q, r, t;
  size_t i;
  if (n < 8) {
    for (i = 0; i < n; i++)
      if (x[i] != y[i])
        return 0;
    return 1;
  }
  /* first and last words overlap for 8..16 bytes; a middle one past 16 */
  memcpy(&p, x, 8);
  memcpy(&q, y, 8);
  memcpy(&r, x + n - 8, 8);
  memcpy(&t, y + n - 8, 8);
  if ((p ^ q) | (r ^ t))
    return 0;
  if (n > 16) {
    memcpy(&p, x + 8, 8);
    memcpy(&q, y + 8, 8);
    return p == q;
  }
  return 1;
}

static inline csat__agg_vmemo *vmemo_entry(const csat_agg *a, const char *s) {
  return &a->vmemo[((uintptr_t)s >> 3 ^ (uintptr_t)s >> 13) & (a->vmemo_cap - 1)];
}

/* The id of a value through the value memo, or known_id (remembering it). */
static inline uint32_t value_id(csat_agg *a, const char *s) {
  csat__agg_vmemo *e = NULL;
  uint32_t id;
  size_t n;
  if (a->vmemo != NULL && s != NULL) {
    e = vmemo_entry(a, s);
    /* the host's bytes, up to their NUL (memchr reads no further), equal
     * the remembered ones */
    if (e->p == s && memchr(s, 0, (size_t)e->len + 1) == s + e->len &&
        same_bytes(s, e->bytes, e->len))
      return e->id;
  }
  id = known_id(a, s, &n);
  if (e != NULL && id != CSAT__AGG_NONE && n > 0 && n <= CSAT__AGG_VMEMO_BYTES) {
    e->p = s;
    e->id = id;
    e->len = (uint8_t)n;
    memcpy(e->bytes, s, n);
  }
  return id;
}

/* Within one call of csat_agg_add_answers the rows and their strings are
 * the call's constant input, so a pointer met earlier in the call names the
 * same bytes: its id is remembered (direct-mapped by address) without a
 * check. Never kept across calls. */
#define MEMO 128
typedef struct id_memo {
  const char *p[MEMO];
  uint32_t id[MEMO];
} id_memo;

static inline uint32_t memo_id(csat_agg *a, id_memo *m, const char *s) {
  size_t k;
  uint32_t id;
  if (m == NULL)
    return value_id(a, s);
  k = ((uintptr_t)s >> 3 ^ (uintptr_t)s >> 10) & (MEMO - 1);
  if (m->p[k] == s && s != NULL)
    return m->id[k];
  id = value_id(a, s);
  if (id != CSAT__AGG_NONE) {
    m->p[k] = s;
    m->id[k] = id;
  }
  return id;
}

/* The row cache key (csat__agg_row_add's layout) of the key dimensions'
 * ids (a->key_dims order), a channel, a scale and a period. */
static inline void key_of_ids(const csat_agg *a, const uint32_t *ids, int32_t channel, int32_t smin,
                              int32_t smax, int64_t period, uint64_t *w) {
  unsigned i, k = (a->nkey + 1) / 2;
  uint64_t sw = (uint64_t)(uint8_t)smin | (uint64_t)(uint8_t)smax << 8 |
                (a->cfg.dims & CSAT_DIM_CHANNEL ? (uint64_t)(uint32_t)channel << 16 : 0);
  if (a->row_kw == 3) { /* one or two ids: the common layout, unrolled */
    w[0] = ids[0] | (a->nkey > 1 ? (uint64_t)ids[1] << 32 : 0);
    w[1] = sw;
    w[2] = (uint64_t)period;
    return;
  }
  for (i = 0; i < CSAT__AGG_ROW_WORDS; i++)
    w[i] = 0;
  for (i = 0; i < a->nkey; i++)
    w[i >> 1] |= (uint64_t)ids[i] << (32 * (i & 1));
  w[k] = sw;
  w[k + 1] = (uint64_t)period;
}

/* The row cache key of a record's group (its key dimensions but the
 * question, its channel and period): the question's id is NONE and the
 * scale 0..0, which no answer's key has (a scale has min < max). Its value
 * is (group << 32) | 1. ids[] are the key dimensions' ids; the question's
 * place among them is overwritten with NONE. */
static inline void group_row_key(const csat_agg *a, uint32_t *ids, int32_t channel, int64_t period,
                                 uint64_t *w) {
  ids[a->key_qpos] = CSAT__AGG_NONE;
  key_of_ids(a, ids, channel, 0, 0, period, w);
}

/* A group's slot hint key of a question id and scale (never 0). */
static inline uint64_t hint_key(uint32_t question, int32_t smin, int32_t smax) {
  return (uint64_t)question | (uint64_t)(uint8_t)smin << 32 | (uint64_t)(uint8_t)smax << 40 |
         (uint64_t)1 << 48;
}

/* The hinted slot of key k in group g (hint j first: answers tend to come
 * in the order their hints were made), or NONE. */
static inline uint32_t hint_find(const csat__agg_group *g, uint64_t k, size_t j) {
  unsigned i;
  if (j < CSAT__AGG_HINTS && g->hint[j] == k)
    return g->hint_slot[j];
  for (i = 0; i < CSAT__AGG_HINTS; i++)
    if (g->hint[i] == k)
      return g->hint_slot[i];
  return CSAT__AGG_NONE;
}

/* Remember slot for key k in group g while a hint is free (best effort:
 * a group with more (question, scale) pairs keeps its first ones). */
static inline void hint_add(csat__agg_group *g, uint64_t k, uint32_t slot) {
  unsigned i;
  for (i = 0; i < CSAT__AGG_HINTS; i++) {
    if (g->hint[i] == k)
      return;
    if (g->hint[i] == 0) {
      g->hint[i] = k;
      g->hint_slot[i] = slot;
      return;
    }
  }
}

/* The cached (group << 32 | slot + 1) of a key of kw words (a constant at
 * each call), 0 when not cached. */
static inline uint64_t row_find_kw(const csat_agg *a, const uint64_t *w, uint64_t h, unsigned kw) {
  size_t j, mask = a->rows_cap - 1;
  unsigned i;
  for (j = (size_t)h & mask;; j = (j + 1) & mask) {
    const uint64_t *e = &a->rows[j * (kw + 1)];
    uint64_t diff;
    if (e[kw] == 0)
      return 0;
    if (kw == 3) { /* spelled out: the compiler does not unroll at -O2 */
      diff = (e[0] ^ w[0]) | (e[1] ^ w[1]) | (e[2] ^ w[2]);
    } else {
      diff = 0;
      for (i = 0; i < kw; i++)
        diff |= e[i] ^ w[i];
    }
    if (diff == 0)
      return e[kw];
  }
}

static inline uint64_t row_hash(const csat_agg *a, const uint64_t *w) {
  return a->row_kw == 3 ? csat__agg_row_hash(&a->seed, w, 3) : csat__agg_row_hash(&a->seed, w, 7);
}

static inline uint64_t row_find(const csat_agg *a, const uint64_t *w, uint64_t h) {
  return a->row_kw == 3 ? row_find_kw(a, w, h, 3) : row_find_kw(a, w, h, 7);
}

/* The prefetch helpers return how many prefetches they issued, and callers
 * store it: gcc counts a prefetch as no effect, finds a helper that only
 * prefetches pure, and drops its calls when their result goes unused. */

/* Prefetch every line of group g that counting a contact of this outcome
 * touches (the record spans several). */
static inline unsigned contact_prefetch(const csat__agg_group *g, int32_t outcome) {
  PREFETCH(&g->outcomes[outcome]);
  PREFETCH(&g->escalated);
  PREFETCH(&g->wait.n);
  PREFETCH(&g->wait.span);
  PREFETCH(&g->talk.n);
  PREFETCH(&g->talk.span);
  return 6;
}

/* Prefetch the window counts a contact's durations will increment (read
 * through g's counters, which contact_prefetch brought in a stage before). */
static inline unsigned durations_prefetch(const csat__agg_group *g, int64_t wait_ms,
                                          int64_t talk_ms) {
  const void *p;
  unsigned n = 0;
  if (wait_ms >= 0 && (p = csat__agg_dur_slot(&g->wait, wait_ms)) != NULL) {
    PREFETCH(p);
    n++;
  }
  if (talk_ms >= 0 && (p = csat__agg_dur_slot(&g->talk, talk_ms)) != NULL) {
    PREFETCH(p);
    n++;
  }
  return n;
}

/* ---- batches: blocks of neighbouring items in flight ---- */

/* Items in block t of a batch of n cut into blocks of `block`. */
static inline size_t batch_block_len(size_t n, size_t t, size_t block) {
  return n - t * block < block ? n - t * block : block;
}

/* Start a batch call: an empty call memo, the value memo sized. */
static inline void batch_begin(csat_agg *a, id_memo *m) {
  memset(m->p, 0, sizeof m->p);
  if (csat__agg_vmemo_due(a))
    csat__agg_vmemo_fit(a);
}

/* Room for one more contact's durations in group gr, the only step of
 * counting a cached contact that can fail: NOMEM (nothing counted; room
 * made for one of them changes no figure). */
static inline int contact_room(csat_agg *a, csat__agg_group *gr, int64_t wait_ms, int64_t talk_ms) {
  if ((wait_ms >= 0 && !csat__agg_dur_room(&gr->wait) &&
       csat__agg_dur_reserve(&a->alloc, &gr->wait, 1) != CSAT_OK) ||
      (talk_ms >= 0 && !csat__agg_dur_room(&gr->talk) &&
       csat__agg_dur_reserve(&a->alloc, &gr->talk, 1) != CSAT_OK))
    return csat__agg_fail(a, CSAT_ERR_NOMEM, "out of memory");
  return CSAT_OK;
}

#endif /* CSAT_AGG_ROWKEY_H */
