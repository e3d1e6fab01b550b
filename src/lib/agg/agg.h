/*
 * agg.h: the aggregation layer of libcsat (src/lib/agg/), its internal
 * structures shared by the agg_*.c files. Depends on base and survey; it
 * reads results through the public accessors, never the session's
 * structure. Not installed.
 *
 * State is integers only: a group holds the contact figures, duration
 * histograms and comment counts; each (group, question, scale) "slot" holds
 * the histogram of its scores. Every double is derived at read time.
 * SPDX-License-Identifier: MIT
 */
#ifndef CSAT_AGG_H
#define CSAT_AGG_H

#include "base/base.h"
#include "terms.h"

#include <stddef.h>
#include <stdint.h>

#define CSAT__AGG_DIMS 8 /* agent queue department channel survey question language attribute */
#define CSAT__AGG_DIM_CHANNEL 3 /* index of the channel: its value, not a string id */
#define CSAT__AGG_DIM_QUESTION 5
/* The string values of a csat_agg_answer or csat_agg_key (same member
 * names) in dimension order; the channel, an integer, gives NULL. */
#define CSAT__AGG_DIM_STRINGS(v, x)                                                         \
  ((v)[0] = (x)->agent_id, (v)[1] = (x)->queue_id, (v)[2] = (x)->department, (v)[3] = NULL, \
   (v)[4] = (x)->survey_id, (v)[5] = (x)->question_id, (v)[6] = (x)->language,              \
   (v)[7] = (x)->attribute)
#define CSAT__AGG_NONE UINT32_MAX /* "no slot / no group" */
#define CSAT__AGG_NORM 2520u      /* lcm(1..10): (score - min) * NORM / (max - min) is exact */
/* Short names for the public limits of csat.h. */
#define CSAT__AGG_COUNT_MAX ((uint64_t)CSAT_AGG_COUNT_MAX)
#define CSAT__AGG_DUR_MAX_MS CSAT_AGG_MAX_DURATION_MS /* longest wait / talk */
#define CSAT__AGG_VALUE_MAX CSAT_AGG_MAX_VALUE        /* bytes of a dimension value */
#define CSAT__AGG_COMMENT_MAX CSAT_AGG_MAX_COMMENT
#define CSAT__AGG_MAX_Q CSAT_AGG_MAX_QUESTIONS /* CES and CSI questions each */
#define CSAT__AGG_MAX_CAT CSAT_AGG_MAX_CATEGORIES
#define CSAT__AGG_MAX_PAT CSAT_AGG_MAX_PATTERNS /* patterns per category */
#define CSAT__AGG_SCALES 121                    /* indexed min * 11 + max */

/* Polarity of a score or comment. */
#define CSAT__POL_NEUTRAL 0
#define CSAT__POL_NEG 1
#define CSAT__POL_POS 2

/* ---- keyed hash (agg_group.c) ------------------------------------------ */
typedef struct csat__agg_seed {
  uint64_t k[4];
} csat__agg_seed;

void csat__agg_seed_init(csat__agg_seed *s, const uint32_t seed[4]);
uint64_t csat__agg_hash(const csat__agg_seed *s, const void *p, size_t n);

/* 64x64 -> 128-bit multiply folded to 64 bits (wyhash's "mum"). */
#if defined(__SIZEOF_INT128__)
__extension__ typedef unsigned __int128 csat__agg_u128;
static inline uint64_t csat__agg_mum(uint64_t a, uint64_t b) {
  csat__agg_u128 r = (csat__agg_u128)a * b;
  return (uint64_t)r ^ (uint64_t)(r >> 64);
}
#else
static inline uint64_t csat__agg_mum(uint64_t a, uint64_t b) {
  uint64_t ha = a >> 32, la = (uint32_t)a, hb = b >> 32, lb = (uint32_t)b;
  uint64_t rh = ha * hb, rm0 = ha * lb, rm1 = hb * la, rl = la * lb;
  uint64_t t = rl + (rm0 << 32), c = t < rl, lo = t + (rm1 << 32);
  c += lo < t;
  return (rh + (rm0 >> 32) + (rm1 >> 32) + c) ^ lo;
}
#endif

/* Keyed hash of n words (a row cache key: fixed length per aggregator). */
static inline uint64_t csat__agg_row_hash(const csat__agg_seed *s, const uint64_t *w, unsigned n) {
  uint64_t h = s->k[0] ^ n;
  unsigned i;
  for (i = 0; i + 1 < n; i += 2)
    h = csat__agg_mum(w[i] ^ s->k[1] ^ h, w[i + 1] ^ s->k[2]);
  if (i < n)
    h = csat__agg_mum(w[i] ^ s->k[3] ^ h, s->k[1]);
  return h;
}

/* ---- interned strings (agg_group.c) ------------------------------------ */
/* Strings live in chunks that never move, so pointers handed out in keys
 * stay valid for the aggregator's life. Id 0 is "". */
typedef struct csat__agg_chunk {
  struct csat__agg_chunk *next;
  size_t used, cap;
  /* bytes follow */
} csat__agg_chunk;

typedef struct csat__agg_str {
  const char *s; /* NUL-terminated */
  uint32_t len;
  uint32_t rank; /* position in bytewise order; valid when strings_sorted */
  uint64_t hash;
} csat__agg_str;

/* ---- durations (agg_metrics.c) ------------------------------------------ */
typedef struct csat__agg_bin {
  uint32_t sec;
  uint32_t pad_;
  uint64_t count;
} csat__agg_bin;

/* A duration is counted per whole second in up to three places whose counts
 * add up: a dense window win[sec - base] for sec in [base, base + span) (a
 * 16-bit count each), the sorted sparse bins, and `pend`, a few seconds not
 * yet folded into the bins, kept inline so small groups need no allocation.
 *
 * Ingest is one indexed increment when the second lies in the window, else
 * an append to pend (folded into the bins when full). The window is made or
 * widened only by csat__agg_dur_reserve when the bins must grow, from the
 * densest run of seconds, and only when it costs at most about twice the
 * bins it replaces: small groups and far outliers stay sparse. A window
 * slot never exceeds CSAT__AGG_DUR_WIN_FULL: a value meeting a full slot
 * goes to pend, and the fold moves the slot's count into the bins.
 *
 * Readers see the three merged (the iterator below), so the state, its blob
 * and its figures do not depend on where a count lies. Invariants between
 * calls: npend <= DUR_PEND; a fold needs cap >= len + npend, which
 * csat__agg_dur_room / csat__agg_dur_reserve guarantee before it happens. */
#define CSAT__AGG_DUR_PEND 7
#define CSAT__AGG_DUR_WIN_FULL UINT16_MAX
typedef struct csat__agg_dur {
  uint64_t n;          /* known values */
  uint64_t sum_ms;     /* exact sum */
  uint16_t *win;       /* span counts, NULL when span == 0 */
  csat__agg_bin *bins; /* sorted by sec, counts >= 1 */
  uint32_t base, span; /* the window's seconds */
  uint32_t len, cap;   /* bins */
  uint32_t npend;
  uint32_t pend[CSAT__AGG_DUR_PEND]; /* seconds not yet in bins */
} csat__agg_dur;

/* The merged, sorted view of window, bins and pend (no allocation). */
typedef struct csat__agg_dur_iter {
  const csat__agg_dur *d;
  uint32_t i, j, w, np;
  uint32_t p[CSAT__AGG_DUR_PEND]; /* pend, sorted */
} csat__agg_dur_iter;

/* ---- groups and slots ---------------------------------------------------- */
/* Slot hints of a group (a cache, never state): a few (question, scale)
 * keys (hint_key in agg_rowkey.h) with their slots, so a result record whose
 * group the row cache knows finds its answers' slots in the group's own
 * lines instead of a row cache probe each (agg_records.c). */
#define CSAT__AGG_HINTS 4
typedef struct csat__agg_group {
  uint32_t dim[CSAT__AGG_DIMS]; /* string ids; the channel's own value */
  int64_t period;               /* period start, local ms (0: none) */
  uint64_t hash;
  uint32_t first_slot; /* chain through csat__agg_slot.next */
  uint32_t hint_slot[CSAT__AGG_HINTS];
  uint32_t pad_;
  uint64_t hint[CSAT__AGG_HINTS]; /* 0: free */
  /* contacts */
  uint64_t outcomes[CSAT_OUTCOME_MAX + 1]; /* [0] unused */
  uint64_t answered, flagged, esc_offered, escalated;
  csat__agg_dur wait, talk;
  /* comments */
  uint64_t comments, comments_neg, comments_pos;
  uint64_t *cats;     /* 3 per category (all, neg, pos); NULL = zeros */
  csat__terms *terms; /* [2]: negative, positive; NULL = none yet */
} csat__agg_group;

typedef struct csat__agg_slot {
  uint32_t group;
  uint32_t question; /* string id */
  uint32_t next;     /* next slot of the group */
  uint8_t min, max;
  int8_t ces; /* index into ces[], -1 */
  int8_t csi; /* index into csi[], -1 */
} csat__agg_slot;

/* Row cache (agg_rows.c): the key of a scored answer as words (the grouped
 * string dimensions and the question as interned ids, two per word, in
 * dimension order; then scale | channel << 16; then the period; zeros to
 * row_kw) -> its group and slot. An entry is row_kw + 1 words: the key, then
 * (group << 32) | (slot + 1), 0 when empty. Key and value share a line, so a
 * hit costs one probe; keys come in two lengths (3 words for up to two
 * ids, else 7) so their word loops unroll. */
/* A result record's group has a row of its own: its key with the
 * question's id NONE and the scale 0..0, which no answer has (agg_rowkey.h,
 * group_row_key), and (group << 32) | 1; its slots are hinted in the group
 * (CSAT__AGG_HINTS). */
#define CSAT__AGG_ROW_WORDS 7 /* 7 ids in 4 words, scale word, period, pad */

/* Value memo (agg_answer.c; sized in agg_rows.c): a host value's address ->
 * its interned id, with the value's bytes kept to check it by (a host may
 * reuse a buffer for another value). A value met again costs a compare with
 * bytes in this table instead of a walk through the string index, record
 * and storage. Direct-mapped by address; a cache, never state. */
#define CSAT__AGG_VMEMO_BYTES 19
typedef struct csat__agg_vmemo {
  const char *p;
  uint32_t id;
  uint8_t len;
  char bytes[CSAT__AGG_VMEMO_BYTES];
} csat__agg_vmemo;

/* ---- configuration ------------------------------------------------------ */
typedef struct csat__agg_qcfg {
  char *question; /* owned */
  uint32_t value; /* CES: agree mask (0 = above the midpoint); CSI: weight */
} csat__agg_qcfg;

typedef struct csat__agg_cat {
  char *name;      /* owned */
  char **patterns; /* owned, as given */
  size_t npat;
} csat__agg_cat;

typedef struct csat__agg_cfg {
  uint32_t dims;
  int32_t period;
  int32_t offset_min;
  int32_t tz_callback; /* 1: periods come from a callback named tz_name */
  char *tz_name;       /* owned, "" when none */
  char *attr_key;      /* owned, "" when none */
  int32_t terms;
  uint16_t pos[CSAT__AGG_SCALES], neg[CSAT__AGG_SCALES]; /* per scale index */
  csat__agg_qcfg ces[CSAT__AGG_MAX_Q];
  size_t nces; /* sorted by question bytes */
  csat__agg_qcfg csi[CSAT__AGG_MAX_Q];
  size_t ncsi; /* sorted by question bytes */
  csat__agg_cat *cats;
  size_t ncat;
} csat__agg_cfg;

struct csat_agg {
  csat__alloc alloc;
  csat__agg_cfg cfg;
  int64_t (*local_time)(void *user, int64_t utc_ms);
  void *local_time_user;
  csat__agg_seed seed;
  uint64_t terms_seed;
  /* Upper bounds on any group's counts and on its wait/talk sums, raised by
   * every ingest batch (csat__agg_room); UINT64_MAX means "recount". */
  uint64_t count_hi, sum_hi;
  /* compiled category patterns, flattened; pat_cat[i] = category of pattern i */
  csat__pattern *pats;
  uint8_t *pat_cat;
  uint8_t *pat_hit; /* scratch, npat entries */
  size_t npat;
  /* strings */
  csat__agg_chunk *chunks;
  csat__agg_str *strs;
  uint32_t *str_order; /* sorted ids (valid when strings_sorted) */
  uint32_t *str_index; /* open addressing: id + 1, 0 empty */
  size_t nstr, str_cap, str_nidx;
  uint32_t cache[CSAT__AGG_DIMS]; /* last id per dimension (ingest shortcut) */
  /* add_result: the interned id of the question last met at each answer
   * position (checked against the id's bytes before use). */
  uint32_t result_q[CSAT__MAX_QUESTIONS];
  /* groups */
  csat__agg_group *groups;
  uint32_t *order; /* sorted group ids (valid when sorted) */
  uint32_t *gidx;  /* open addressing: id + 1, 0 empty */
  size_t ngroups, group_cap, gidx_n;
  int sorted;
  /* slots */
  csat__agg_slot *slots;
  uint64_t *hist;  /* 11 per slot */
  uint16_t *valid; /* bit v: score v lies in the slot's scale */
  size_t nslots, slot_cap;
  /* Row cache (an accelerator, not state): a repeated key skips
   * validation, interning and the group lookup. Filled best effort after a
   * successful ingest; consulted by add_answer(s) only. */
  uint64_t *rows; /* rows_cap entries of row_stride words, 64-byte aligned */
  void *rows_mem; /* the allocation rows lies in */
  size_t nrows, rows_cap;
  /* The layout of a key, fixed with the dimensions (set by
   * csat__agg_rows_layout once a group exists): key_dims[0..nkey) the key's
   * string dimensions in order, key_off[] their csat_agg_answer members. */
  unsigned row_kw;        /* key words: 3 or 7 (0: no layout yet) */
  csat__agg_vmemo *vmemo; /* vmemo_cap entries (a power of two), or NULL */
  size_t vmemo_cap;
  unsigned nkey;
  unsigned key_qpos; /* the question's place among key_dims */
  uint8_t key_dims[CSAT__AGG_DIMS];
  uint16_t key_off[CSAT__AGG_DIMS];
  char errmsg[256];
};

/* ---- agg.c: the ingest batch and its two-phase commit ---------------------- */
#define CSAT__AGG_B_MAX CSAT__MAX_QUESTIONS

typedef struct csat__agg_bscore {
  uint32_t slot;
  uint32_t score;
} csat__agg_bscore;

typedef struct csat__agg_bcontact {
  uint32_t group;
  int32_t outcome, flagged, escalation, answered;
  int64_t wait, talk;
} csat__agg_bcontact;

typedef struct csat__agg_bcomment {
  uint32_t group;
  int pol;
  const char *text;
  size_t len;
} csat__agg_bcomment;

typedef struct csat__agg_batch {
  size_t nsc, nct, ncm;
  csat__agg_bscore sc[CSAT__AGG_B_MAX];
  csat__agg_bcontact ct[CSAT__AGG_B_MAX];
  csat__agg_bcomment cm[CSAT__AGG_B_MAX];
} csat__agg_batch;

/* Apply a batch: first every step that may fail, then the counting. On NOMEM
 * groups >= ng0 and slots >= ns0 are rolled back and nothing is counted. */
int csat__agg_commit(csat_agg *a, const csat__agg_batch *b, size_t ng0, size_t ns0);
/* Is there room for one more duration without allocating? (pend has a
 * free place, or the fold that empties it has its bins.) */
static inline int csat__agg_dur_room(const csat__agg_dur *d) {
  return d->npend < CSAT__AGG_DUR_PEND || (size_t)d->len + d->npend <= d->cap;
}
/* The whole second a duration counts in: half up (1500 ms -> 2 s). */
static inline uint32_t csat__agg_ms_to_sec(int64_t ms) {
  return (uint32_t)((uint64_t)(ms + 500) / 1000);
}
/* The window count adding ms would increment, or NULL (for a prefetch). */
static inline const void *csat__agg_dur_slot(const csat__agg_dur *d, int64_t ms) {
  uint32_t off = csat__agg_ms_to_sec(ms) - d->base;
  return off < d->span ? (const void *)&d->win[off] : NULL;
}
/* ---- agg_answer.c: a host key's group and slot -------------------------- */
/* The group of a host key (a csat_agg_answer's key members), found or
 * created, and its period: the channel is checked first, then the local
 * time (unless *period is known already: have_period), then the values.
 * dim[] gets the key's ids (the question's even when it is not grouped).
 * INVALID_ARG, UNSUPPORTED, LIMIT, UTF8, NOMEM (agg_answer.c). */
int csat__agg_key_group(csat_agg *a, const csat_agg_answer *x, int have_period, int64_t *period,
                        uint32_t *g, uint32_t dim[CSAT__AGG_DIMS]);
/* The slot of a key's group, question and scale, found or created; NOMEM
 * undoes every group and slot created since ng0, ns0. */
int csat__agg_key_slot(csat_agg *a, const csat_agg_answer *x, uint32_t g,
                       const uint32_t dim[CSAT__AGG_DIMS], size_t ng0, size_t ns0, uint32_t *slot);
/* ---- agg.c: host strings, comments, durations --------------------------- */
/* A host string: NULL = "", at most max bytes, valid UTF-8; *len always set.
 * LIMIT, UTF8 (with the message naming `what`). */
int csat__agg_host_str(csat_agg *a, const char *s, size_t max, const char *what, size_t *len);
/* The same checks without a message: *len (set on success), LIMIT, UTF8. */
int csat__agg_value_scan(const char *s, size_t max, size_t *len);
/* Intern a value of dimension d (a one-entry cache per dimension first). NOMEM. */
int csat__agg_intern_dim(csat_agg *a, int d, const char *s, size_t n, uint32_t *id);
/* The period start of a UTC time (0 without a period). INVALID_ARG, UNSUPPORTED. */
int csat__agg_time_key(csat_agg *a, int64_t utc_ms, int64_t *period);
/* A host comment: NULL or at most CSAT__AGG_COMMENT_MAX bytes of UTF-8;
 * *len its length (0 for NULL). LIMIT, UTF8. */
int csat__agg_check_comment(csat_agg *a, const char *c, size_t *len);
/* LIMIT when a wait or talk time exceeds CSAT__AGG_DUR_MAX_MS. */
int csat__agg_check_dur(csat_agg *a, int64_t ms, const char *what);

/* ---- agg.c -------------------------------------------------------------- */
int csat__agg_fail(csat_agg *a, int code, const char *fmt, ...) CSAT__PRINTF(3, 4);
/* A batch stops at its item i ("row", "record"): the message gets "what i: "
 * in front, *done (may be NULL) = i; returns code. */
int csat__agg_fail_at(csat_agg *a, int code, const char *what, size_t i, size_t *done);
/* Allocate an aggregator shell with cfg defaults (used by new and restore). */
int csat__agg_alloc(csat_agg **out, const csat_allocator *alloc);
/* Intern "" as string id 0; call once, right after the seed is set. */
int csat__agg_intern_empty(csat_agg *a);

/* ---- agg_config.c ------------------------------------------------------- */
/* Default configuration for a new or restored aggregator. */
void csat__agg_cfg_defaults(csat__agg_cfg *c);
void csat__agg_cfg_free(const csat__alloc *al, csat__agg_cfg *c);
/* Compile the categories' patterns into a->pats (after cfg is set). */
int csat__agg_compile_patterns(csat_agg *a);
/* Scale index of [min, max] (0 <= min < max <= 10). */
int csat__agg_scale_index(int min, int max);
/* Default positive / negative masks of a scale. */
void csat__agg_scale_defaults(int min, int max, uint16_t *pos, uint16_t *neg);
/* CES / CSI config index of a question (-1 when none). */
int csat__agg_ces_index(const csat__agg_cfg *c, const char *q, size_t len);
int csat__agg_csi_index(const csat__agg_cfg *c, const char *q, size_t len);
/* Polarity of a score on a scale. */
int csat__agg_polarity(const csat_agg *a, int min, int max, int score);

/* ---- agg_group.c -------------------------------------------------------- */
/* Intern s[0..n) (valid UTF-8 checked by the caller): id, or NOMEM. */
int csat__agg_intern(csat_agg *a, const char *s, size_t n, uint32_t *id);
/* Find without inserting: id or CSAT__AGG_NONE. */
uint32_t csat__agg_str_find(const csat_agg *a, const char *s, size_t n);
/* Find or create the group of a key. *created = 1 when new. NOMEM. */
int csat__agg_group_get(csat_agg *a, const uint32_t dim[CSAT__AGG_DIMS], int64_t period,
                        uint32_t *group, int *created);
uint32_t csat__agg_group_find_key(const csat_agg *a, const uint32_t dim[CSAT__AGG_DIMS],
                                  int64_t period);
/* Find or create the slot (group, question, scale). NOMEM. */
int csat__agg_slot_get(csat_agg *a, uint32_t group, uint32_t question, int min, int max,
                       uint32_t *slot, int *created);
/* Undo the creation of groups >= ngroups and slots >= nslots (newest first). */
void csat__agg_rollback(csat_agg *a, size_t ngroups, size_t nslots);
/* Make room for `groups` more groups and `slots` more slots. NOMEM. */
int csat__agg_reserve(csat_agg *a, size_t groups, size_t slots);
/* Free one group's owned memory. */
void csat__agg_group_release(csat_agg *a, csat__agg_group *g);
/* Sort strings and groups (no allocation). */
void csat__agg_sort(csat_agg *a);
/* Compare two groups by key (strings by rank: strings must be sorted). */
int csat__agg_group_cmp(const csat_agg *a, uint32_t x, uint32_t y);
/* In-place heap sort of ids with a comparison. */
void csat__agg_heapsort(uint32_t *v, size_t n, int (*cmp)(const void *ctx, uint32_t x, uint32_t y),
                        const void *ctx);
/* ---- agg_rows.c: the row cache and the value memo ----------------------- */
/* Row cache: add best effort (the key's words, csat__agg_row_hash). */
void csat__agg_row_add(csat_agg *a, const uint64_t *key, uint64_t h, uint32_t group, uint32_t slot);
void csat__agg_rows_free(csat_agg *a);
/* Size the value memo to the interned strings (best effort), when due: it
 * serves once the row cache does, with about two entries per string. */
#define CSAT__AGG_VMEMO_MAX 65536
void csat__agg_vmemo_fit(csat_agg *a);
static inline int csat__agg_vmemo_due(const csat_agg *a) {
  return a->rows_cap > 0 && a->vmemo_cap < a->nstr * 2 && a->vmemo_cap < CSAT__AGG_VMEMO_MAX;
}
/* Fix the key layout from the dimensions (which cannot change once a group
 * exists: call it only then). */
void csat__agg_rows_layout(csat_agg *a);
/* ---- agg_group.c (continued) -------------------------------------------- */
/* Is the group empty (nothing counted)? */
int csat__agg_group_empty(const csat_agg *a, uint32_t g);
/* Before an ingest batch adding at most `counts` to any group count and at
 * most `durations` wait or talk times to any group:
 * LIMIT (with the message) unless every group could take them without a
 * count passing CSAT__AGG_COUNT_MAX or a time sum passing 2^64 ms, which
 * is what csat_agg_restore accepts. One compare per batch until the bound
 * nears the limit; then the groups are recounted. */
int csat__agg_room(csat_agg *a, uint64_t counts, uint64_t durations);

/* ---- agg_period.c ------------------------------------------------------- */
#define CSAT__AGG_MIN_DAY (-719162LL) /* 0001-01-01 in days since 1970-01-01 */
#define CSAT__AGG_MAX_DAY (2932896LL) /* 9999-12-31 */
int64_t csat__agg_days_from_civil(int64_t y, int m, int d);
void csat__agg_civil_from_days(int64_t days, int64_t *y, int *m, int *d);
/* Start of the period holding local time `local_ms` (in years 1..9999).
 * INVALID_ARG when out of range. */
int csat__agg_period_start(int32_t period, int64_t local_ms, int64_t *start);
/* UTC -> local through the offset or the callback. INVALID_ARG, UNSUPPORTED. */
int csat__agg_local(const csat_agg *a, int64_t utc_ms, int64_t *local_ms);
/* Label of a period start ("2024-W09", ...), NUL-terminated in buf[cap >= 24]. */
void csat__agg_period_label(int32_t period, int64_t start, char *buf, size_t cap);

/* ---- agg_metrics.c ------------------------------------------------------ */
/* A duration's second outside the window or on a full slot: to pend,
 * folded into the bins when full (room made). */
void csat__agg_dur_add_sparse(csat__agg_dur *d, uint32_t sec);
/* Add a duration (ms, 0..DUR_MAX) to d; room must have been made
 * (csat__agg_dur_room, or csat__agg_dur_reserve for the values added).
 * Inline: once the window holds a duration's seconds, this is all a
 * contact's duration costs. */
static inline void csat__agg_dur_add(csat__agg_dur *d, int64_t ms) {
  uint32_t sec = csat__agg_ms_to_sec(ms), off = sec - d->base;
  d->n++;
  d->sum_ms += (uint64_t)ms;
  if (off < d->span && d->win[off] != CSAT__AGG_DUR_WIN_FULL)
    d->win[off]++;
  else
    csat__agg_dur_add_sparse(d, sec);
}
/* Count one contact into its group (room for its durations reserved). */
static inline void csat__agg_count_contact(csat__agg_group *g, const csat__agg_bcontact *c) {
  g->outcomes[c->outcome]++;
  g->answered += c->answered != 0;
  g->flagged += c->flagged != 0;
  g->esc_offered += c->escalation >= CSAT_ESCALATION_OFFERED;
  g->escalated += c->escalation >= CSAT_ESCALATION_TRANSFER;
  if (c->wait >= 0)
    csat__agg_dur_add(&g->wait, c->wait);
  if (c->talk >= 0)
    csat__agg_dur_add(&g->talk, c->talk);
}
/* Make room for `more` adds without allocating; may also move counts into a
 * window (the logical content never changes). NOMEM (content unchanged). */
int csat__agg_dur_reserve(const csat__alloc *al, csat__agg_dur *d, size_t more);
/* Make room for csat__agg_dur_merge(d, s). NOMEM (content unchanged). */
int csat__agg_dur_reserve_merge(const csat__alloc *al, csat__agg_dur *d, const csat__agg_dur *s);
/* d += s (reserved with csat__agg_dur_reserve_merge; s != d). */
void csat__agg_dur_merge(csat__agg_dur *d, const csat__agg_dur *s);
void csat__agg_dur_free(const csat__alloc *al, csat__agg_dur *d);
/* Walk the distinct seconds of d in increasing order with their counts:
 * next returns 0 at the end. */
void csat__agg_dur_iter_init(csat__agg_dur_iter *it, const csat__agg_dur *d);
int csat__agg_dur_next(csat__agg_dur_iter *it, uint32_t *sec, uint64_t *count);
/* Number of distinct seconds in d (what the iterator yields). */
uint32_t csat__agg_dur_bins(const csat__agg_dur *d);

/* Integer sums of a set of slots / groups (what csat_metrics is made of). */
typedef struct csat__agg_sums {
  uint64_t dist[11];
  uint64_t n, sum, sumsq, sum_norm, pos, neg;
  uint64_t nps_n, prom, det;
  uint64_t ces_n, ces_sum, ces_agree;
  uint64_t csi_n[CSAT__AGG_MAX_Q], csi_norm[CSAT__AGG_MAX_Q];
  uint64_t outcomes[CSAT_OUTCOME_MAX + 1];
  uint64_t answered, flagged, esc_offered, escalated;
  uint64_t comments, comments_neg, comments_pos;
} csat__agg_sums;

void csat__agg_sums_group(const csat_agg *a, uint32_t g, csat__agg_sums *s);
/* Fill the public metrics (out->struct_size respected) from sums and durations. */
void csat__agg_metrics_fill(const csat_agg *a, const csat__agg_sums *s, const csat__agg_dur *wait,
                            const csat__agg_dur *talk, csat_metrics *out);
/* Exact (n * sumsq - sum^2) / (n (n - 1)) as a double sample variance. */
double csat__agg_variance(uint64_t n, uint64_t sum, uint64_t sumsq);
/* Median in seconds of a duration histogram (0 when empty). */
double csat__agg_dur_median(const csat__agg_dur *d);

/* ---- agg_blob.c --------------------------------------------------------- */
/* Canonical configuration bytes (as saved). */
void csat__agg_cfg_write(const csat__agg_cfg *c, csat__out *o);
/* csat_agg_restore with an explicit hash seed (NULL: from cfg). */
int csat__agg_restore(csat_agg **out, const void *blob, size_t len, const csat__agg_seed *seed,
                      const csat_agg_config *cfg, const csat_allocator *alloc, csat_error *err);
/* No score counted in the slot. */
int csat__agg_slot_empty(const csat_agg *a, uint32_t s);

#endif /* CSAT_AGG_H */
