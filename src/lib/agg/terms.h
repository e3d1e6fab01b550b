/*
 * Comment analysis for the aggregation engine: a multilingual tokeniser,
 * a mergeable term-count table with a canonical serialised form, Fightin'
 * Words (log-odds with an informative Dirichlet prior) and keyword
 * categories. Internal (csat__ prefix, hidden). No I/O, no globals.
 * SPDX-License-Identifier: MIT
 */
#ifndef CSAT_TERMS_H
#define CSAT_TERMS_H

#include "base/base.h"

#include <stddef.h>
#include <stdint.h>

/* ---- seeded hash -------------------------------------------------------- */
/* SipHash-1-3 keyed by the 64-bit seed: crafted keys cannot collide on
 * purpose without knowing the seed. Usable for group keys too. */
uint64_t csat__terms_hash_seeded(uint64_t seed, const void *p, size_t n);

/* ---- tokeniser ---------------------------------------------------------- */
#define CSAT__TOKEN_MAX \
  CSAT_AGG_MAX_TERM_BYTES /* bytes of a token; longer words are cut at a character */

/* Flags for csat__terms_tokenize. */
#define CSAT__TOK_KEEP_STOP 1u    /* keep stop words */
#define CSAT__TOK_KEEP_NUMBERS 2u /* keep tokens made only of digits */
#define CSAT__TOK_NO_PARTICLE 4u  /* keep Korean particles attached */
#define CSAT__TOK_ALL (CSAT__TOK_KEEP_STOP | CSAT__TOK_KEEP_NUMBERS)

/* Called once per token with the folded token (valid UTF-8, 1..64 bytes, not
 * NUL-terminated, valid only during the call). Nonzero stops tokenising and
 * is returned by csat__terms_tokenize. */
typedef int (*csat__token_fn)(void *user, const char *tok, size_t len);

/* Split text (UTF-8; invalid bytes act as separators) into words, in one
 * linear pass, with no allocation:
 * - a word is a run of letters, digits and combining marks: Latin (Latin-1,
 *   Extended-A/B, Extended Additional), Greek, Cyrillic (with Uzbek ў қ ғ ҳ
 *   and the rest of U+0400..U+052F), Armenian, Hebrew, Arabic, Devanagari,
 *   Thai, Georgian, kana, CJK ideographs, Hangul syllables and jamo;
 *   everything else (spaces, punctuation, symbols, emoji) separates;
 * - an apostrophe (' U+2019 U+2018 U+02BC U+02BB U+0060) between two letters stays in
 *   the word as ASCII ': o'n, toʻrt and to’rt all give "to'rt";
 * - case folding: Latin (A-Z, Latin-1, Extended-A: Ą→ą Ł→ł Ż→ż, Extended
 *   Additional, İ→i, Ÿ→ÿ), Greek (with tonos; σ and ς are one letter, written
 *   ς at the end of a word: ΛΟΓΟΣ → λογος), Cyrillic (А-Я,
 *   Ѐ-Џ: Ё→ё Ў→ў, and the extended pairs: Қ→қ Ғ→ғ Ҳ→ҳ ...); ё stays ё;
 * - Hangul is never split: a Korean word is one token. One trailing particle
 *   (은 는 이 가 을 를 에 의 도 만 와 과 로 으로 에서 에게 한테 까지 부터) is
 *   removed when at least two Hangul syllables remain and, for the pairs that
 *   depend on it, the stem's final consonant agrees (이/가, 을/를, 은/는,
 *   과/와, 으로/로): 상담원이 → 상담원, 사이 stays (unless CSAT__TOK_NO_PARTICLE);
 * - words in the small stop lists (en, ru, pl, uz Latin and Cyrillic, ko
 *   particles and connectives, el) and words made only of digits are dropped
 *   unless the flags keep them; negations (not, no, не, nie, emas, 안) are
 *   never stop words: they carry the complaint signal;
 * - a word longer than 64 bytes is cut after its last whole character that
 *   fits; the rest of the word is skipped.
 * Returns 0, or the callback's nonzero value. */
int csat__terms_tokenize(const char *text, size_t len, unsigned flags, csat__token_fn fn,
                         void *user);

/* 1 when the folded token is a stop word (stopwords.c). */
int csat__terms_is_stopword(const char *tok, size_t len);
/* The list itself, sorted by bytes (for tests). */
size_t csat__terms_stopword_count(void);
const char *csat__terms_stopword_at(size_t i);

/* ---- term table --------------------------------------------------------- */
typedef struct csat__term {
  uint64_t count;
  uint64_t hash;
  uint32_t off; /* into pool */
  uint8_t len;
} csat__term;

typedef struct csat__terms {
  csat__alloc alloc; /* copied */
  uint64_t seed;
  csat__term *items; /* insertion order (compacted by clear) */
  uint32_t *slots;   /* open addressing: index + 1, 0 = empty */
  char *pool;        /* term bytes */
  uint32_t *order;   /* sorted index, valid when sorted == 1 */
  size_t count, cap; /* items used / allocated */
  size_t nslots;     /* power of two */
  size_t pool_len, pool_cap;
  uint64_t total; /* sum of counts (saturating) */
  int sorted;
} csat__terms;

/* Empty table (no allocation yet). */
void csat__terms_init(csat__terms *t, const csat__alloc *a, uint64_t seed);
void csat__terms_free(csat__terms *t);
/* Remove every term, keep the memory. */
void csat__terms_clear(csat__terms *t);
/* Add count occurrences of tok (1..64 bytes, valid UTF-8). Counts saturate
 * at UINT64_MAX. OK, INVALID_ARG (bad length/UTF-8, count 0 is a no-op OK),
 * NOMEM (the table is unchanged), LIMIT (2^31 terms or 4 GiB of term text). */
int csat__terms_add(csat__terms *t, const char *tok, size_t len, uint64_t count);
/* Tokenise text (csat__terms_tokenize with flags, usually 0) and add one count per
 * occurrence of each token. OK, NOMEM or LIMIT (the table then holds the
 * tokens before the failing one). */
int csat__terms_add_text(csat__terms *t, const char *text, size_t len, unsigned flags);
/* Add every term of src to dst. OK or NOMEM (dst may then hold part of src:
 * the caller treats the aggregate as failed), LIMIT past 2^31 terms. */
int csat__terms_merge(csat__terms *dst, const csat__terms *src);
/* Count of tok (0 when absent). */
uint64_t csat__terms_get(const csat__terms *t, const char *tok, size_t len);
/* Distinct terms and the sum of counts. */
size_t csat__terms_size(const csat__terms *t);
uint64_t csat__terms_total(const csat__terms *t);
/* Sort for iteration (bytewise, i.e. by code point): OK or NOMEM. Any add
 * invalidates the order; call again before iterating. */
int csat__terms_sort(csat__terms *t);
/* The i-th term in sorted order (after csat__terms_sort), i < size. The
 * pointer stays valid until the table is changed. */
void csat__terms_at(const csat__terms *t, size_t i, const char **tok, size_t *len, uint64_t *count);

/* Serialised form (canonical: equal multisets give identical bytes whatever
 * the insertion order or seed): varint(size), then per term in sorted order
 * byte len (1..64), the bytes, varint(count >= 1). Varints are LEB128,
 * shortest form only. Read-only: sorts a temporary index, never t (several
 * threads may save one table): OK or NOMEM. */
int csat__terms_save(const csat__terms *t, csat__out *o);
/* The same with the caller's scratch index of at least csat__terms_size(t)
 * entries (no allocation). */
void csat__terms_write(const csat__terms *t, uint32_t *order, csat__out *o);
/* Load a serialised table into an empty t (INVALID_ARG when not empty),
 * reading from data[0..n); *used receives the bytes consumed (the form is
 * self-delimiting, so it can sit inside a larger blob). Validates every
 * field: lengths, UTF-8, strictly increasing order (no duplicates), counts
 * >= 1, shortest varints, no overflow of the total. CSAT_ERR_BLOB on any
 * violation or truncation, NOMEM; on error t is left empty. */
int csat__terms_load(csat__terms *t, const uint8_t *data, size_t n, size_t *used);

/* ---- Fightin' Words ----------------------------------------------------- */
/* Monroe, Colaresi & Quinn (2008), log-odds ratio with an informative
 * Dirichlet prior. For a term w with counts y_a (in A), y_b (in B), totals
 * n_a, n_b, prior pseudo-count alpha_w and alpha0 = sum of alpha:
 *   delta = log((y_a + alpha_w) / (n_a + alpha0 - y_a - alpha_w))
 *         - log((y_b + alpha_w) / (n_b + alpha0 - y_b - alpha_w))
 *   var   = 1 / (y_a + alpha_w) + 1 / (y_b + alpha_w),   z = delta / sqrt(var)
 * The prior is the table `prior` (NULL: A and B together) scaled so its
 * pseudo-counts sum to a0: alpha_w = a0 * prior_w / prior_total; a term
 * absent from the prior gets alpha_w = 0.01. a0 <= 0 chooses the default
 * a0 = max(1, (n_a + n_b) / 10): the prior weighs a tenth of the data
 * compared, whatever its own size, so it smooths rare terms (a term seen
 * once scores |z| < 1) without drowning frequent ones, and the result
 * depends only on the merged counts. Only terms with y_a + y_b >= min_count
 * (at least 1) are scored. */
typedef struct csat__fw_term {
  const char *term; /* points into table A or B (valid while they are unchanged) */
  size_t len;
  uint64_t count_a, count_b;
  double delta, var, z; /* as above, for A vs B */
} csat__fw_term;

/* The top terms of A (largest z) into top_a[0..*n_a) and of B (smallest z,
 * i.e. largest -z; values still for A vs B) into top_b[0..*n_b), best first;
 * only terms with z > 0 (for A) or z < 0 (for B) are listed. k_a, k_b are
 * the capacities (0 allowed with NULL). Ties by bytes ascending, so the
 * output does not depend on the seeds. No allocation. OK, INVALID_ARG
 * (NULL tables). */
int csat__terms_fightin_words(const csat__terms *a, const csat__terms *b, const csat__terms *prior,
                              double a0, uint64_t min_count, csat__fw_term *top_a, size_t k_a,
                              size_t *n_a, csat__fw_term *top_b, size_t k_b, size_t *n_b);

/* ---- keyword categories ------------------------------------------------- */
#define CSAT__PATTERN_WORDS CSAT_AGG_MAX_PATTERN_WORDS /* words in one phrase */

/* A compiled phrase: words folded by the tokeniser exactly as comments are
 * (stop words and numbers kept, one Korean particle stripped: 상담원 also
 * matches 상담원이); the last word may be a prefix. */
typedef struct csat__pattern {
  uint8_t nwords;
  uint8_t prefix; /* 1: the last word ends in '*' (prefix match) */
  uint8_t len[CSAT__PATTERN_WORDS];
  char word[CSAT__PATTERN_WORDS][CSAT__TOKEN_MAX];
} csat__pattern;

/* Compile "fraud*", "мошенн*", "long wait", "не помог*". A '*' may only end
 * the phrase, right after a letter; the phrase must hold 1..8 words.
 * OK or INVALID_ARG. */
int csat__terms_pattern_compile(csat__pattern *p, const char *pattern, size_t len);
/* Scan a comment once: hit[i] = 1 when pattern i occurs in it as a run of
 * consecutive words (tokenised with CSAT__TOK_ALL, like the pattern), else 0. Each pattern counts at most once per comment. Returns the
 * number of patterns hit. Linear in the text times the patterns. */
size_t csat__terms_patterns_scan(const csat__pattern *p, size_t count, const char *text, size_t len,
                                 uint8_t *hit);
/* One pattern against one text (compiles it; 0 also for a bad pattern). */
int csat__terms_category_match(const char *pattern, size_t plen, const char *text, size_t tlen);

#endif /* CSAT_TERMS_H */
