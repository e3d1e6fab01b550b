/*
 * Comment analysis (see terms.h): tokeniser, term table, Fightin' Words,
 * keyword categories.
 * SPDX-License-Identifier: MIT
 */
#include "terms.h"

#include "agg_stats.h"

#include <string.h>

/* ---- seeded hash: SipHash-1-3 ------------------------------------------ */

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static void sip_round(uint64_t v[4]) {
  v[0] += v[1];
  v[1] = ROTL(v[1], 13);
  v[1] ^= v[0];
  v[0] = ROTL(v[0], 32);
  v[2] += v[3];
  v[3] = ROTL(v[3], 16);
  v[3] ^= v[2];
  v[0] += v[3];
  v[3] = ROTL(v[3], 21);
  v[3] ^= v[0];
  v[2] += v[1];
  v[1] = ROTL(v[1], 17);
  v[1] ^= v[2];
  v[2] = ROTL(v[2], 32);
}

uint64_t csat__terms_hash_seeded(uint64_t seed, const void *p, size_t n) {
  const unsigned char *b = p;
  uint64_t k0 = seed, k1 = (seed ^ 0x9E3779B97F4A7C15ull) * 0xD6E8FEB86659FD93ull;
  uint64_t v[4], m;
  size_t i, end = n - n % 8;
  int j;
  v[0] = k0 ^ 0x736f6d6570736575ull;
  v[1] = k1 ^ 0x646f72616e646f6dull;
  v[2] = k0 ^ 0x6c7967656e657261ull;
  v[3] = k1 ^ 0x7465646279746573ull;
  for (i = 0; i < end; i += 8) {
    m = 0;
    for (j = 7; j >= 0; j--)
      m = (m << 8) | b[i + (size_t)j];
    v[3] ^= m;
    sip_round(v);
    v[0] ^= m;
  }
  m = (uint64_t)(n & 0xFF) << 56;
  for (j = 0; i + (size_t)j < n; j++)
    m |= (uint64_t)b[i + (size_t)j] << (8 * j);
  v[3] ^= m;
  sip_round(v);
  v[0] ^= m;
  v[2] ^= 0xFF;
  sip_round(v);
  sip_round(v);
  sip_round(v);
  return v[0] ^ v[1] ^ v[2] ^ v[3];
}

/* ---- characters --------------------------------------------------------- */

#define C_OTHER 0
#define C_LETTER 1
#define C_DIGIT 2
#define C_MARK 3 /* combining mark: continues a word, never starts one */

typedef struct char_range {
  uint32_t lo, hi;
  uint8_t cls;
} char_range;

/* Non-ASCII word characters, sorted. Blocks are taken whole where their
 * few punctuation marks do not matter for comments. */
static const char_range ranges[] = {
    {0x00AA, 0x00AA, C_LETTER}, {0x00B5, 0x00B5, C_LETTER}, {0x00BA, 0x00BA, C_LETTER},
    {0x00C0, 0x00D6, C_LETTER}, {0x00D8, 0x00F6, C_LETTER}, {0x00F8, 0x02BA, C_LETTER},
    {0x02BD, 0x02C1, C_LETTER}, {0x0300, 0x036F, C_MARK},   {0x0370, 0x0373, C_LETTER},
    {0x0376, 0x0377, C_LETTER}, {0x037A, 0x037D, C_LETTER}, {0x037F, 0x037F, C_LETTER},
    {0x0386, 0x0386, C_LETTER}, {0x0388, 0x038A, C_LETTER}, {0x038C, 0x038C, C_LETTER},
    {0x038E, 0x03A1, C_LETTER}, {0x03A3, 0x03F5, C_LETTER}, {0x03F7, 0x0481, C_LETTER},
    {0x0483, 0x0489, C_MARK},   {0x048A, 0x052F, C_LETTER}, {0x0531, 0x0556, C_LETTER},
    {0x0561, 0x0587, C_LETTER}, {0x0591, 0x05C7, C_MARK},   {0x05D0, 0x05EA, C_LETTER},
    {0x05F0, 0x05F2, C_LETTER}, {0x0610, 0x061A, C_MARK},   {0x0620, 0x064A, C_LETTER},
    {0x064B, 0x065F, C_MARK},   {0x0660, 0x0669, C_DIGIT},  {0x066E, 0x06D3, C_LETTER},
    {0x06D5, 0x06D5, C_LETTER}, {0x06D6, 0x06ED, C_MARK},   {0x06EE, 0x06EF, C_LETTER},
    {0x06F0, 0x06F9, C_DIGIT},  {0x06FA, 0x06FC, C_LETTER}, {0x0900, 0x0903, C_MARK},
    {0x0904, 0x0939, C_LETTER}, {0x093A, 0x094F, C_MARK},   {0x0950, 0x0950, C_LETTER},
    {0x0951, 0x0957, C_MARK},   {0x0958, 0x0961, C_LETTER}, {0x0962, 0x0963, C_MARK},
    {0x0966, 0x096F, C_DIGIT},  {0x0971, 0x097F, C_LETTER}, {0x0E01, 0x0E30, C_LETTER},
    {0x0E31, 0x0E3A, C_MARK},   {0x0E40, 0x0E46, C_LETTER}, {0x0E47, 0x0E4E, C_MARK},
    {0x0E50, 0x0E59, C_DIGIT},  {0x10A0, 0x10FA, C_LETTER}, {0x10FC, 0x10FF, C_LETTER},
    {0x1100, 0x11FF, C_LETTER}, {0x1AB0, 0x1AFF, C_MARK},   {0x1DC0, 0x1DFF, C_MARK},
    {0x1E00, 0x1FBC, C_LETTER}, {0x1FC2, 0x1FCC, C_LETTER}, {0x1FD0, 0x1FDB, C_LETTER},
    {0x1FE0, 0x1FEC, C_LETTER}, {0x1FF2, 0x1FFC, C_LETTER}, {0x20D0, 0x20FF, C_MARK},
    {0x3041, 0x3096, C_LETTER}, {0x3099, 0x309A, C_MARK},   {0x309D, 0x309F, C_LETTER},
    {0x30A1, 0x30FA, C_LETTER}, {0x30FC, 0x30FF, C_LETTER}, {0x3131, 0x318E, C_LETTER},
    {0x3400, 0x4DBF, C_LETTER}, {0x4E00, 0x9FFF, C_LETTER}, {0xA960, 0xA97F, C_LETTER},
    {0xAC00, 0xD7A3, C_LETTER}, {0xD7B0, 0xD7FF, C_LETTER}, {0xF900, 0xFAFF, C_LETTER},
    {0xFE20, 0xFE2F, C_MARK},   {0xFF10, 0xFF19, C_DIGIT},  {0xFF21, 0xFF3A, C_LETTER},
    {0xFF41, 0xFF5A, C_LETTER}, {0xFF66, 0xFFDC, C_LETTER}, {0x20000, 0x3134F, C_LETTER},
};

static int char_class(uint32_t c) {
  size_t lo = 0, hi = sizeof ranges / sizeof ranges[0];
  if (c < 0x80) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
      return C_LETTER;
    return c >= '0' && c <= '9' ? C_DIGIT : C_OTHER;
  }
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (c < ranges[mid].lo)
      hi = mid;
    else if (c > ranges[mid].hi)
      lo = mid + 1;
    else
      return ranges[mid].cls;
  }
  return C_OTHER;
}

/* ' U+2019 U+2018 U+02BC U+02BB and the grave accent, all written for the
 * Uzbek o' g' and the tutuq belgisi. */
static int is_apostrophe(uint32_t c) {
  return c == 0x27 || c == 0x2019 || c == 0x2018 || c == 0x2BC || c == 0x2BB || c == 0x60;
}

/* Upper- and title-case letters of Latin, Greek, Cyrillic and Armenian to
 * lower case (simple case folding; one code point to one). */
static uint32_t fold(uint32_t c) {
  if (c < 0x80)
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
  if (c < 0x100)
    return c >= 0xC0 && c <= 0xDE && c != 0xD7 ? c + 32 : c;
  if (c < 0x180) { /* Latin Extended-A: pairs, even or odd first */
    if (c == 0x130)
      return 'i';
    if (c == 0x178)
      return 0xFF;
    if (c == 0x17F)
      return 's';
    if ((c < 0x138 || (c >= 0x14A && c < 0x178)) && !(c & 1))
      return c + 1;
    if (((c >= 0x139 && c < 0x149) || (c >= 0x179 && c < 0x17F)) && (c & 1))
      return c + 1;
    return c;
  }
  if (c < 0x250) { /* Latin Extended-B: the regular runs */
    if (c == 0x18F)
      return 0x259;
    if (c >= 0x1CD && c <= 0x1DC && (c & 1))
      return c + 1;
    if (((c >= 0x1DE && c <= 0x1EF) || (c >= 0x1F8 && c <= 0x21F) || (c >= 0x222 && c <= 0x233)) &&
        !(c & 1))
      return c + 1;
    return c;
  }
  if (c < 0x370)
    return c;
  if (c < 0x400) { /* Greek */
    if (c == 0x386)
      return 0x3AC;
    if (c >= 0x388 && c <= 0x38A)
      return c + 37;
    if (c == 0x38C)
      return 0x3CC;
    if (c == 0x38E || c == 0x38F)
      return c + 63;
    if ((c >= 0x391 && c <= 0x3A1) || (c >= 0x3A3 && c <= 0x3AB))
      return c + 32;
    if (c == 0x3C2) /* final sigma folds to sigma */
      return 0x3C3;
    if (c >= 0x3D8 && c <= 0x3EF && !(c & 1))
      return c + 1;
    return c;
  }
  if (c < 0x530) { /* Cyrillic */
    if (c < 0x410)
      return c + 80;
    if (c < 0x430)
      return c + 32;
    if (c < 0x460)
      return c;
    if (c <= 0x481 || (c >= 0x48A && c <= 0x4BF) || c >= 0x4D0)
      return (c & 1) ? c : c + 1;
    if (c == 0x4C0)
      return 0x4CF;
    if (c >= 0x4C1 && c <= 0x4CE)
      return (c & 1) ? c + 1 : c;
    return c;
  }
  if (c >= 0x531 && c <= 0x556) /* Armenian */
    return c + 48;
  if (c >= 0x1E00 && c <= 0x1EFF) { /* Latin Extended Additional */
    if (c == 0x1E9E)
      return 0xDF;
    if ((c <= 0x1E95 || c >= 0x1EA0) && !(c & 1))
      return c + 1;
    return c;
  }
  if (c >= 0x1F00 && c <= 0x1F6F && (c & 0xF) >= 8) /* Greek Extended capitals */
    return c - 8;
  if (c >= 0xFF21 && c <= 0xFF3A) /* fullwidth Latin */
    return c + 32;
  return c;
}

/* ---- Korean particles --------------------------------------------------- */

#define HANGUL_FIRST 0xAC00u
#define HANGUL_LAST 0xD7A3u

/* The Hangul syllable whose UTF-8 ends at tok[end], or 0. */
static uint32_t hangul_before(const char *tok, size_t end) {
  const unsigned char *u = (const unsigned char *)tok;
  uint32_t c;
  if (end < 3)
    return 0;
  u += end - 3;
  if ((u[0] & 0xF0) != 0xE0 || (u[1] & 0xC0) != 0x80 || (u[2] & 0xC0) != 0x80)
    return 0;
  c = ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) | (u[2] & 0x3Fu);
  return c >= HANGUL_FIRST && c <= HANGUL_LAST ? c : 0;
}

/* Final consonant of a syllable: 0 none, 8 is ㄹ. */
static unsigned jong(uint32_t c) { return (unsigned)((c - HANGUL_FIRST) % 28); }

#define P_ANY 0
#define P_CONS 1  /* after a final consonant */
#define P_VOWEL 2 /* after no final consonant */
#define P_EURO 3  /* 으로: a final consonant other than ㄹ */
#define P_RO 4    /* 로: no final consonant, or ㄹ */

typedef struct particle {
  const char *s; /* UTF-8 */
  uint8_t len;
  uint8_t rule;
} particle;

/* Two-syllable particles first: the longest match wins. */
static const particle particles[] = {
    {"으로", 6, P_EURO}, {"에서", 6, P_ANY}, {"에게", 6, P_ANY}, {"한테", 6, P_ANY},
    {"까지", 6, P_ANY},  {"부터", 6, P_ANY}, {"이", 3, P_CONS},  {"을", 3, P_CONS},
    {"은", 3, P_CONS},   {"과", 3, P_CONS},  {"가", 3, P_VOWEL}, {"를", 3, P_VOWEL},
    {"는", 3, P_VOWEL},  {"와", 3, P_VOWEL}, {"로", 3, P_RO},    {"에", 3, P_ANY},
    {"의", 3, P_ANY},    {"도", 3, P_ANY},   {"만", 3, P_ANY},
};

/* New length of tok with one trailing particle removed (or len). */
static size_t strip_particle(const char *tok, size_t len) {
  size_t i;
  for (i = 0; i < sizeof particles / sizeof particles[0]; i++) {
    const particle *p = &particles[i];
    size_t stem = len - p->len;
    uint32_t last, prev;
    unsigned j;
    if (len < (size_t)p->len + 6 || memcmp(tok + stem, p->s, p->len) != 0)
      continue;
    last = hangul_before(tok, stem);
    prev = hangul_before(tok, stem - 3);
    if (!last || !prev)
      continue; /* the stem must end in two Hangul syllables */
    j = jong(last);
    if (p->rule == P_RO && last == 0xC73Cu)
      continue; /* 으로 after a one-syllable stem: not 로 after 으 */
    if ((p->rule == P_CONS && j == 0) || (p->rule == P_VOWEL && j != 0) ||
        (p->rule == P_EURO && (j == 0 || j == 8)) || (p->rule == P_RO && j != 0 && j != 8))
      continue;
    return stem;
  }
  return len;
}

/* ---- tokeniser ---------------------------------------------------------- */

typedef struct tok_state {
  char buf[CSAT__TOKEN_MAX];
  size_t len;
  int full;       /* a character did not fit: skip the rest of the word */
  int digits;     /* only digits so far */
  int last_alpha; /* the previous character was a letter or mark */
} tok_state;

static int tok_emit(tok_state *st, unsigned flags, csat__token_fn fn, void *user) {
  size_t len = st->len;
  int digits = st->digits;
  st->len = 0;
  st->full = 0;
  st->digits = 1;
  st->last_alpha = 0;
  while (len > 0 && st->buf[len - 1] == '\'') /* an apostrophe cut from its letter */
    len--;
  if (len == 0)
    return 0;
  if (digits && !(flags & CSAT__TOK_KEEP_NUMBERS))
    return 0;
  if (!(flags & CSAT__TOK_NO_PARTICLE))
    len = strip_particle(st->buf, len);
  /* Greek sigma: folded to σ everywhere, written ς again at the end of a
   * word, so ΛΟΓΟΣ and λόγος give the same, readable λογος / λόγος. */
  if (len > 2 && (unsigned char)st->buf[len - 2] == 0xCF && (unsigned char)st->buf[len - 1] == 0x83)
    st->buf[len - 1] = (char)0x82;
  if (!(flags & CSAT__TOK_KEEP_STOP) && csat__terms_is_stopword(st->buf, len))
    return 0;
  return fn(user, st->buf, len);
}

static void tok_append(tok_state *st, uint32_t c) {
  char tmp[4];
  size_t n;
  if (st->full)
    return;
  n = csat__utf8_put(tmp, c);
  if (st->len + n > CSAT__TOKEN_MAX) {
    st->full = 1;
    return;
  }
  memcpy(st->buf + st->len, tmp, n);
  st->len += n;
}

int csat__terms_tokenize(const char *text, size_t len, unsigned flags, csat__token_fn fn,
                         void *user) {
  tok_state st;
  size_t i = 0;
  int rc;
  st.len = 0;
  st.full = 0;
  st.digits = 1;
  st.last_alpha = 0;
  if (text == NULL)
    return 0;
  while (i < len) {
    uint32_t c = csat__utf8_next(text, len, &i);
    int cls = char_class(c);
    if (cls == C_LETTER || cls == C_DIGIT || (cls == C_MARK && st.len > 0)) {
      tok_append(&st, fold(c));
      if (cls != C_DIGIT)
        st.digits = 0;
      st.last_alpha = cls != C_DIGIT;
      continue;
    }
    if (is_apostrophe(c) && st.last_alpha) {
      size_t j = i;
      uint32_t next = j < len ? csat__utf8_next(text, len, &j) : 0;
      if (char_class(next) == C_LETTER) {
        tok_append(&st, '\'');
        st.last_alpha = 0;
        continue;
      }
    }
    if (st.len > 0 || st.full) {
      rc = tok_emit(&st, flags, fn, user);
      if (rc != 0)
        return rc;
    }
  }
  if (st.len > 0) {
    rc = tok_emit(&st, flags, fn, user);
    if (rc != 0)
      return rc;
  }
  return 0;
}

/* ---- term table --------------------------------------------------------- */

#define TERMS_MAX_ITEMS 0x7FFFFFFFu /* slots hold index + 1 in 32 bits */

static int cmp_bytes(const char *a, size_t al, const char *b, size_t bl) {
  size_t m = al < bl ? al : bl;
  int c = m ? memcmp(a, b, m) : 0;
  if (c != 0)
    return c;
  return al < bl ? -1 : al > bl ? 1 : 0;
}

/* Valid UTF-8 of 1..64 bytes without control characters. */
static int term_ok(const char *tok, size_t len) {
  size_t i;
  if (tok == NULL || len == 0 || len > CSAT__TOKEN_MAX)
    return 0;
  for (i = 0; i < len; i++) {
    unsigned char ch = (unsigned char)tok[i];
    if (ch < 0x20 || ch == 0x7F)
      return 0;
  }
  return csat__utf8_valid(tok, len);
}

void csat__terms_init(csat__terms *t, const csat__alloc *a, uint64_t seed) {
  memset(t, 0, sizeof *t);
  t->alloc = *a;
  t->seed = seed;
}

void csat__terms_free(csat__terms *t) {
  csat__free(&t->alloc, t->items);
  csat__free(&t->alloc, t->slots);
  csat__free(&t->alloc, t->pool);
  csat__free(&t->alloc, t->order);
  t->items = NULL;
  t->slots = NULL;
  t->pool = NULL;
  t->order = NULL;
  t->count = t->cap = t->nslots = t->pool_len = t->pool_cap = 0;
  t->total = 0;
  t->sorted = 0;
}

void csat__terms_clear(csat__terms *t) {
  t->count = 0;
  t->pool_len = 0;
  t->total = 0;
  t->sorted = 0;
  if (t->slots)
    memset(t->slots, 0, t->nslots * sizeof t->slots[0]);
}

size_t csat__terms_size(const csat__terms *t) { return t->count; }

uint64_t csat__terms_total(const csat__terms *t) { return t->total; }

/* Slot holding tok, or the empty slot where it would go. */
static size_t find_slot(const csat__terms *t, const char *tok, size_t len, uint64_t h) {
  size_t mask = t->nslots - 1, i = (size_t)h & mask;
  for (;;) {
    uint32_t s = t->slots[i];
    const csat__term *e;
    if (s == 0)
      return i;
    e = &t->items[s - 1];
    if (e->hash == h && e->len == len && memcmp(t->pool + e->off, tok, len) == 0)
      return i;
    i = (i + 1) & mask;
  }
}

/* Room for one more term of len bytes: items, pool, and slots at most half
 * full. Nothing changes on failure. */
static int reserve(csat__terms *t, size_t len) {
  if (t->count >= TERMS_MAX_ITEMS || t->pool_len + len > 0xFFFFFFFFu)
    return CSAT_ERR_LIMIT;
  if (t->count == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 16;
    csat__term *p = csat__realloc(&t->alloc, t->items, cap * sizeof *p);
    if (p == NULL)
      return CSAT_ERR_NOMEM;
    t->items = p;
    t->cap = cap;
  }
  if (t->pool_len + len > t->pool_cap) {
    size_t cap = t->pool_cap ? t->pool_cap : 256;
    char *p;
    while (cap < t->pool_len + len)
      cap *= 2;
    p = csat__realloc(&t->alloc, t->pool, cap);
    if (p == NULL)
      return CSAT_ERR_NOMEM;
    t->pool = p;
    t->pool_cap = cap;
  }
  if ((t->count + 1) * 2 > t->nslots) {
    size_t n = t->nslots ? t->nslots * 2 : 32, i;
    uint32_t *s = csat__calloc(&t->alloc, n * sizeof *s);
    if (s == NULL)
      return CSAT_ERR_NOMEM;
    csat__free(&t->alloc, t->slots);
    t->slots = s;
    t->nslots = n;
    for (i = 0; i < t->count; i++) {
      size_t j = (size_t)t->items[i].hash & (n - 1);
      while (s[j] != 0)
        j = (j + 1) & (n - 1);
      s[j] = (uint32_t)(i + 1);
    }
  }
  return CSAT_OK;
}

static uint64_t sat_add(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

/* Add a term already known to be valid. */
static int terms_add_valid(csat__terms *t, const char *tok, size_t len, uint64_t count,
                           uint64_t h) {
  size_t slot;
  csat__term *e;
  int rc;
  if (t->nslots) {
    slot = find_slot(t, tok, len, h);
    if (t->slots[slot] != 0) {
      e = &t->items[t->slots[slot] - 1];
      e->count = sat_add(e->count, count);
      t->total = sat_add(t->total, count);
      return CSAT_OK;
    }
  }
  rc = reserve(t, len);
  if (rc != CSAT_OK)
    return rc;
  slot = find_slot(t, tok, len, h);
  e = &t->items[t->count];
  e->count = count;
  e->hash = h;
  e->off = (uint32_t)t->pool_len;
  e->len = (uint8_t)len;
  memcpy(t->pool + t->pool_len, tok, len);
  t->pool_len += len;
  t->count++;
  t->slots[slot] = (uint32_t)t->count;
  t->total = sat_add(t->total, count);
  t->sorted = 0;
  return CSAT_OK;
}

int csat__terms_add(csat__terms *t, const char *tok, size_t len, uint64_t count) {
  if (!term_ok(tok, len))
    return CSAT_ERR_INVALID_ARG;
  if (count == 0)
    return CSAT_OK;
  return terms_add_valid(t, tok, len, count, csat__terms_hash_seeded(t->seed, tok, len));
}

static int add_token(void *user, const char *tok, size_t len) {
  csat__terms *t = user;
  return terms_add_valid(t, tok, len, 1, csat__terms_hash_seeded(t->seed, tok, len));
}

int csat__terms_add_text(csat__terms *t, const char *text, size_t len, unsigned flags) {
  return csat__terms_tokenize(text, len, flags, add_token, t);
}

int csat__terms_merge(csat__terms *dst, const csat__terms *src) {
  size_t i;
  int same_seed = dst->seed == src->seed;
  for (i = 0; i < src->count; i++) {
    const csat__term *e = &src->items[i];
    const char *tok = src->pool + e->off;
    uint64_t h = same_seed ? e->hash : csat__terms_hash_seeded(dst->seed, tok, e->len);
    int rc = terms_add_valid(dst, tok, e->len, e->count, h);
    if (rc != CSAT_OK)
      return rc;
  }
  return CSAT_OK;
}

uint64_t csat__terms_get(const csat__terms *t, const char *tok, size_t len) {
  size_t slot;
  if (t->nslots == 0 || tok == NULL || len == 0 || len > CSAT__TOKEN_MAX)
    return 0;
  slot = find_slot(t, tok, len, csat__terms_hash_seeded(t->seed, tok, len));
  return t->slots[slot] ? t->items[t->slots[slot] - 1].count : 0;
}

static int item_less(const csat__terms *t, uint32_t a, uint32_t b) {
  const csat__term *x = &t->items[a], *y = &t->items[b];
  return cmp_bytes(t->pool + x->off, x->len, t->pool + y->off, y->len) < 0;
}

/* Heapsort of the index array (in place, O(n log n), no extra memory). */
static void sift_down(const csat__terms *t, uint32_t *o, size_t root, size_t n) {
  for (;;) {
    size_t child = 2 * root + 1;
    uint32_t tmp;
    if (child >= n)
      return;
    if (child + 1 < n && item_less(t, o[child], o[child + 1]))
      child++;
    if (!item_less(t, o[root], o[child]))
      return;
    tmp = o[root];
    o[root] = o[child];
    o[child] = tmp;
    root = child;
  }
}

/* Fill o[0..t->count) with the items' indexes in byte order. */
static void sort_index(const csat__terms *t, uint32_t *o) {
  size_t i, n = t->count;
  for (i = 0; i < n; i++)
    o[i] = (uint32_t)i;
  for (i = n / 2; i-- > 0;)
    sift_down(t, o, i, n);
  for (i = n; i-- > 1;) {
    uint32_t tmp = o[0];
    o[0] = o[i];
    o[i] = tmp;
    sift_down(t, o, 0, i);
  }
}

int csat__terms_sort(csat__terms *t) {
  size_t n = t->count;
  uint32_t *o;
  if (t->sorted)
    return CSAT_OK;
  o = csat__realloc(&t->alloc, t->order, (n ? n : 1) * sizeof *o);
  if (o == NULL)
    return CSAT_ERR_NOMEM;
  t->order = o;
  sort_index(t, o);
  t->sorted = 1;
  return CSAT_OK;
}

void csat__terms_at(const csat__terms *t, size_t i, const char **tok, size_t *len,
                    uint64_t *count) {
  const csat__term *e = &t->items[t->sorted ? t->order[i] : i];
  *tok = t->pool + e->off;
  *len = e->len;
  if (count)
    *count = e->count;
}

void csat__terms_write(const csat__terms *t, uint32_t *order, csat__out *o) {
  size_t i;
  sort_index(t, order);
  csat__out_varint(o, t->count);
  for (i = 0; i < t->count; i++) {
    const csat__term *e = &t->items[order[i]];
    char l = (char)e->len;
    csat__out_bytes(o, &l, 1);
    csat__out_bytes(o, t->pool + e->off, e->len);
    csat__out_varint(o, e->count);
  }
}

int csat__terms_save(const csat__terms *t, csat__out *o) {
  /* A private index, not t->order: saving must not write the table, so
   * that concurrent readers of one aggregator do not race. */
  uint32_t *order = csat__malloc(&t->alloc, (t->count ? t->count : 1) * sizeof *order);
  if (order == NULL)
    return CSAT_ERR_NOMEM;
  csat__terms_write(t, order, o);
  csat__free(&t->alloc, order);
  return CSAT_OK;
}

int csat__terms_load(csat__terms *t, const uint8_t *data, size_t n, size_t *used) {
  size_t pos = 0, i, prev_off = 0, prev_len = 0;
  uint64_t size, total = 0;
  int rc = CSAT_ERR_BLOB;
  if (t->count != 0)
    return CSAT_ERR_INVALID_ARG;
  if (data == NULL && n != 0)
    return CSAT_ERR_INVALID_ARG;
  if (csat__varint_decode(data, n, &pos, &size) != CSAT__VARINT_OK || size > (n - pos) / 3)
    return CSAT_ERR_BLOB; /* each term takes at least 3 bytes */
  for (i = 0; i < size; i++) {
    size_t len;
    uint64_t count;
    const char *tok;
    if (pos >= n)
      goto fail;
    len = data[pos++];
    if (len == 0 || len > CSAT__TOKEN_MAX || n - pos < len)
      goto fail;
    tok = (const char *)data + pos;
    if (!term_ok(tok, len))
      goto fail;
    if (i > 0 && cmp_bytes((const char *)data + prev_off, prev_len, tok, len) >= 0)
      goto fail; /* out of order or duplicate */
    prev_off = pos;
    prev_len = len;
    pos += len;
    if (csat__varint_decode(data, n, &pos, &count) != CSAT__VARINT_OK || count == 0 ||
        count > UINT64_MAX - total)
      goto fail;
    total += count;
    rc = terms_add_valid(t, tok, len, count, csat__terms_hash_seeded(t->seed, tok, len));
    if (rc != CSAT_OK)
      goto fail;
    rc = CSAT_ERR_BLOB;
  }
  if (used)
    *used = pos;
  return CSAT_OK;
fail:
  csat__terms_clear(t);
  return rc;
}

/* ---- Fightin' Words ----------------------------------------------------- */

/* a ranks before b: larger key, then smaller bytes. */
static int fw_better(const csat__fw_term *a, double ka, const csat__fw_term *b, double kb) {
  if (ka != kb)
    return ka > kb;
  return cmp_bytes(a->term, a->len, b->term, b->len) < 0;
}

typedef struct fw_heap {
  csat__fw_term *v;
  size_t cap, n;
  double sign; /* +1: rank by z, -1: by -z */
} fw_heap;

/* Min-heap: the root is the worst kept term. */
static void fw_sift(fw_heap *h, size_t i) {
  for (;;) {
    size_t l = 2 * i + 1, worst = i;
    csat__fw_term tmp;
    if (l < h->n && fw_better(&h->v[worst], h->sign * h->v[worst].z, &h->v[l], h->sign * h->v[l].z))
      worst = l;
    if (l + 1 < h->n &&
        fw_better(&h->v[worst], h->sign * h->v[worst].z, &h->v[l + 1], h->sign * h->v[l + 1].z))
      worst = l + 1;
    if (worst == i)
      return;
    tmp = h->v[i];
    h->v[i] = h->v[worst];
    h->v[worst] = tmp;
    i = worst;
  }
}

static void fw_push(fw_heap *h, const csat__fw_term *e) {
  size_t i;
  if (h->cap == 0 || !(h->sign * e->z > 0.0))
    return;
  if (h->n == h->cap) {
    if (!fw_better(e, h->sign * e->z, &h->v[0], h->sign * h->v[0].z))
      return;
    h->v[0] = *e;
    fw_sift(h, 0);
    return;
  }
  i = h->n++;
  h->v[i] = *e;
  while (i > 0) { /* sift up */
    size_t p = (i - 1) / 2;
    csat__fw_term tmp;
    if (!fw_better(&h->v[p], h->sign * h->v[p].z, &h->v[i], h->sign * h->v[i].z))
      break;
    tmp = h->v[p];
    h->v[p] = h->v[i];
    h->v[i] = tmp;
    i = p;
  }
}

/* Best first: repeatedly move the worst to the end. */
static void fw_finish(fw_heap *h) {
  size_t n = h->n;
  while (h->n > 1) {
    csat__fw_term tmp = h->v[0];
    h->v[0] = h->v[h->n - 1];
    h->v[h->n - 1] = tmp;
    h->n--;
    fw_sift(h, 0);
  }
  h->n = n;
}

typedef struct fw_ctx {
  const csat__terms *prior; /* NULL: A + B */
  double na, nb, a0, prior_total;
} fw_ctx;

static void fw_score(const fw_ctx *c, const char *tok, size_t len, uint64_t ya, uint64_t yb,
                     csat__fw_term *out) {
  double alpha, pa, pb, da, db;
  if (c->prior_total > 0.0) {
    double pw = c->prior ? (double)csat__terms_get(c->prior, tok, len) : (double)ya + (double)yb;
    alpha = pw > 0.0 ? c->a0 * pw / c->prior_total : 0.01;
  } else {
    alpha = 0.01;
  }
  pa = (double)ya + alpha;
  pb = (double)yb + alpha;
  da = c->na + c->a0 - pa;
  db = c->nb + c->a0 - pb;
  out->term = tok;
  out->len = len;
  out->count_a = ya;
  out->count_b = yb;
  if (!(da > 0.0) || !(db > 0.0)) { /* the term is the whole corpus: no contrast */
    out->delta = 0.0;
    out->var = 1.0 / pa + 1.0 / pb;
    out->z = 0.0;
    return;
  }
  out->delta =
      (csat__stats_log(pa) - csat__stats_log(da)) - (csat__stats_log(pb) - csat__stats_log(db));
  out->var = 1.0 / pa + 1.0 / pb;
  out->z = out->delta / csat__stats_sqrt(out->var);
}

int csat__terms_fightin_words(const csat__terms *a, const csat__terms *b, const csat__terms *prior,
                              double a0, uint64_t min_count, csat__fw_term *top_a, size_t k_a,
                              size_t *n_a, csat__fw_term *top_b, size_t k_b, size_t *n_b) {
  fw_heap ha, hb;
  fw_ctx c;
  size_t i;
  if (n_a)
    *n_a = 0;
  if (n_b)
    *n_b = 0;
  if (a == NULL || b == NULL || (k_a && top_a == NULL) || (k_b && top_b == NULL))
    return CSAT_ERR_INVALID_ARG;
  if (min_count == 0)
    min_count = 1;
  c.prior = prior;
  c.na = (double)a->total;
  c.nb = (double)b->total;
  c.a0 = a0 > 0.0 ? a0 : 0.1 * (c.na + c.nb);
  if (c.a0 < 1.0)
    c.a0 = 1.0;
  c.prior_total = prior ? (double)prior->total : c.na + c.nb;
  ha.v = top_a;
  ha.cap = top_a ? k_a : 0;
  ha.n = 0;
  ha.sign = 1.0;
  hb.v = top_b;
  hb.cap = top_b ? k_b : 0;
  hb.n = 0;
  hb.sign = -1.0;
  for (i = 0; i < a->count; i++) {
    const csat__term *e = &a->items[i];
    const char *tok = a->pool + e->off;
    uint64_t yb = csat__terms_get(b, tok, e->len);
    csat__fw_term s;
    if (sat_add(e->count, yb) < min_count)
      continue;
    fw_score(&c, tok, e->len, e->count, yb, &s);
    fw_push(&ha, &s);
    fw_push(&hb, &s);
  }
  for (i = 0; i < b->count; i++) {
    const csat__term *e = &b->items[i];
    const char *tok = b->pool + e->off;
    csat__fw_term s;
    if (e->count < min_count || csat__terms_get(a, tok, e->len) != 0)
      continue;
    fw_score(&c, tok, e->len, 0, e->count, &s);
    fw_push(&ha, &s);
    fw_push(&hb, &s);
  }
  fw_finish(&ha);
  fw_finish(&hb);
  if (n_a)
    *n_a = ha.n;
  if (n_b)
    *n_b = hb.n;
  return CSAT_OK;
}

/* ---- keyword categories ------------------------------------------------- */

typedef struct pat_build {
  csat__pattern *p;
  int too_many;
} pat_build;

static int pat_word(void *user, const char *tok, size_t len) {
  pat_build *b = user;
  csat__pattern *p = b->p;
  if (p->nwords == CSAT__PATTERN_WORDS) {
    b->too_many = 1;
    return 1;
  }
  memcpy(p->word[p->nwords], tok, len);
  p->len[p->nwords] = (uint8_t)len;
  p->nwords++;
  return 0;
}

int csat__terms_pattern_compile(csat__pattern *p, const char *pattern, size_t len) {
  pat_build b;
  size_t i, end = len, star = len;
  memset(p, 0, sizeof *p);
  if (pattern == NULL || len == 0 || !csat__utf8_valid(pattern, len))
    return CSAT_ERR_INVALID_ARG;
  while (end > 0 && (pattern[end - 1] == ' ' || pattern[end - 1] == '\t'))
    end--;
  for (i = 0; i < end; i++)
    if (pattern[i] == '*') {
      if (star != len)
        return CSAT_ERR_INVALID_ARG;
      star = i;
    }
  if (star != len) {
    size_t j = 0;
    uint32_t prevc = 0;
    if (star != end - 1 || star == 0)
      return CSAT_ERR_INVALID_ARG;
    while (j < star) { /* the character before '*' must be a word character */
      prevc = csat__utf8_next(pattern, star, &j);
    }
    if (char_class(prevc) == C_OTHER)
      return CSAT_ERR_INVALID_ARG;
    p->prefix = 1;
    end = star;
  }
  b.p = p;
  b.too_many = 0;
  csat__terms_tokenize(pattern, end, CSAT__TOK_ALL, pat_word, &b);
  if (b.too_many || p->nwords == 0) {
    memset(p, 0, sizeof *p);
    return CSAT_ERR_INVALID_ARG;
  }
  return CSAT_OK;
}

typedef struct scan_ctx {
  const csat__pattern *p;
  size_t count;
  uint8_t *hit;
  size_t nhit;
  size_t ntok; /* tokens seen */
  uint8_t len[CSAT__PATTERN_WORDS];
  char word[CSAT__PATTERN_WORDS][CSAT__TOKEN_MAX]; /* ring of the last words */
} scan_ctx;

static int scan_word(void *user, const char *tok, size_t len) {
  scan_ctx *c = user;
  size_t i, j, slot = c->ntok % CSAT__PATTERN_WORDS;
  memcpy(c->word[slot], tok, len);
  c->len[slot] = (uint8_t)len;
  c->ntok++;
  for (i = 0; i < c->count; i++) {
    const csat__pattern *p = &c->p[i];
    size_t m = p->nwords, first;
    if (c->hit[i] || m == 0 || m > c->ntok)
      continue;
    first = c->ntok - m;
    for (j = 0; j < m; j++) {
      size_t s = (first + j) % CSAT__PATTERN_WORDS;
      size_t pl = p->len[j], tl = c->len[s];
      int last_prefix = p->prefix && j + 1 == m;
      if (last_prefix ? (tl < pl || memcmp(c->word[s], p->word[j], pl) != 0)
                      : (tl != pl || memcmp(c->word[s], p->word[j], pl) != 0))
        break;
    }
    if (j == m) {
      c->hit[i] = 1;
      c->nhit++;
    }
  }
  return 0;
}

size_t csat__terms_patterns_scan(const csat__pattern *p, size_t count, const char *text, size_t len,
                                 uint8_t *hit) {
  scan_ctx c;
  if (count == 0)
    return 0;
  memset(hit, 0, count);
  c.p = p;
  c.count = count;
  c.hit = hit;
  c.nhit = 0;
  c.ntok = 0;
  csat__terms_tokenize(text, len, CSAT__TOK_ALL, scan_word, &c);
  return c.nhit;
}

int csat__terms_category_match(const char *pattern, size_t plen, const char *text, size_t tlen) {
  csat__pattern p;
  uint8_t hit = 0;
  if (csat__terms_pattern_compile(&p, pattern, plen) != CSAT_OK)
    return 0;
  return csat__terms_patterns_scan(&p, 1, text, tlen, &hit) > 0;
}
