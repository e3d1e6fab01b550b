/*
 * The row cache's table: open addressing over fixed-size entries that hold
 * a key's words and its (group, slot) side by side, so a lookup is one probe
 * into one cache line; and the value memo's sizing. Keys and values are
 * looked up in agg_answer.c; this file grows, fills and frees the tables.
 * Failing to grow only means something is not cached: caches are never
 * state.
 * SPDX-License-Identifier: MIT
 */
#include "agg.h"

#include <stddef.h>
#include <string.h>

void csat__agg_rows_layout(csat_agg *a) {
  static const uint16_t off[CSAT__AGG_DIMS] = {
      offsetof(csat_agg_answer, agent_id),   offsetof(csat_agg_answer, queue_id),
      offsetof(csat_agg_answer, department), 0,
      offsetof(csat_agg_answer, survey_id),  offsetof(csat_agg_answer, question_id),
      offsetof(csat_agg_answer, language),   offsetof(csat_agg_answer, attribute)};
  unsigned d;
  a->nkey = 0;
  for (d = 0; d < CSAT__AGG_DIMS; d++)
    if (d != CSAT__AGG_DIM_CHANNEL && (d == CSAT__AGG_DIM_QUESTION || (a->cfg.dims & (1u << d)))) {
      if (d == CSAT__AGG_DIM_QUESTION)
        a->key_qpos = a->nkey;
      a->key_dims[a->nkey] = (uint8_t)d;
      a->key_off[a->nkey++] = off[d];
    }
  /* ids two per word, then the scale word and the period */
  a->row_kw = (a->nkey + 1) / 2 + 2 <= 3 ? 3 : 7;
}

/* Insert entry e (key words, value) unless its key is there: 1 if inserted. */
static int put(uint64_t *rows, size_t cap, unsigned kw, const uint64_t *e, uint64_t h) {
  size_t j, stride = kw + 1;
  for (j = (size_t)h & (cap - 1); rows[j * stride + kw] != 0; j = (j + 1) & (cap - 1))
    if (memcmp(&rows[j * stride], e, (size_t)kw * sizeof *e) == 0)
      return 0;
  memcpy(&rows[j * stride], e, (size_t)(kw + 1) * sizeof *e);
  return 1;
}

/* A table of nc entries (zeroed, 64-byte aligned) holding the old entries. */
static int grow(csat_agg *a, size_t nc) {
  size_t bytes, i;
  unsigned char *mem;
  uint64_t *nr;
  if (nc > SIZE_MAX / 4 / ((a->row_kw + 1) * sizeof *nr))
    return CSAT_ERR_NOMEM;
  bytes = nc * (a->row_kw + 1) * sizeof *nr;
  mem = csat__malloc(&a->alloc, bytes + 64);
  if (mem == NULL)
    return CSAT_ERR_NOMEM;
  nr = (uint64_t *)(void *)(mem + ((64u - (unsigned)((uintptr_t)mem & 63u)) & 63u));
  memset(nr, 0, bytes);
  for (i = 0; i < a->rows_cap; i++) {
    const uint64_t *e = &a->rows[i * (a->row_kw + 1)];
    if (e[a->row_kw] != 0)
      (void)put(nr, nc, a->row_kw, e, csat__agg_row_hash(&a->seed, e, a->row_kw));
  }
  csat__free(&a->alloc, a->rows_mem);
  a->rows_mem = mem;
  a->rows = nr;
  a->rows_cap = nc;
  return CSAT_OK;
}

void csat__agg_row_add(csat_agg *a, const uint64_t *key, uint64_t h, uint32_t group,
                       uint32_t slot) {
  uint64_t e[CSAT__AGG_ROW_WORDS + 1];
  if ((a->nrows + 1) * 4 > a->rows_cap * 3 && /* load <= 3/4 */
      grow(a, a->rows_cap ? a->rows_cap * 2 : 1024) != CSAT_OK)
    return;
  memcpy(e, key, (size_t)a->row_kw * sizeof *e);
  e[a->row_kw] = (uint64_t)group << 32 | ((uint64_t)slot + 1u);
  /* The ordinary path adds keys the fast path did not try (a row with a
   * comment, say): a key already cached is left as it is. */
  if (put(a->rows, a->rows_cap, a->row_kw, e, h))
    a->nrows++;
}

void csat__agg_vmemo_fit(csat_agg *a) {
  size_t nc = a->vmemo_cap ? a->vmemo_cap : 256;
  csat__agg_vmemo *m;
  while (nc < a->nstr * 2 && nc < CSAT__AGG_VMEMO_MAX)
    nc *= 2;
  if (a->vmemo != NULL && nc == a->vmemo_cap)
    return;
  m = csat__malloc(&a->alloc, nc * sizeof *m);
  if (m == NULL)
    return; /* a cache: keep the old one, or none */
  memset(m, 0, nc * sizeof *m);
  csat__free(&a->alloc, a->vmemo);
  a->vmemo = m;
  a->vmemo_cap = nc;
}

void csat__agg_rows_free(csat_agg *a) {
  csat__free(&a->alloc, a->vmemo);
  a->vmemo = NULL;
  a->vmemo_cap = 0;
  csat__free(&a->alloc, a->rows_mem);
  a->rows_mem = NULL;
  a->rows = NULL;
  a->nrows = a->rows_cap = 0;
}
