/*
 * The reply reader's scanner (reply_scan.h): what a code point is, how a word
 * is normalised and looked up, and how the message splits into tokens
 * (digit runs with keycaps, star runs, 👍/👎, words, punctuation, symbols).
 * SPDX-License-Identifier: MIT
 */
#include "reply_scan.h"

#include <string.h>

/* ---- characters --------------------------------------------------------- */

/* Zeros of the Unicode decimal-digit (Nd) blocks: each zero starts a run of
 * ten (Unicode 14; later additions at the end of each range are included). */
static const uint32_t nd_zeros[] = {
    0x660,   0x6F0,   0x7C0,   0x966,   0x9E6,   0xA66,   0xAE6,   0xB66,   0xBE6,   0xC66,
    0xCE6,   0xD66,   0xDE6,   0xE50,   0xED0,   0xF20,   0x1040,  0x1090,  0x17E0,  0x1810,
    0x1946,  0x19D0,  0x1A80,  0x1A90,  0x1B50,  0x1BB0,  0x1C40,  0x1C50,  0xA620,  0xA8D0,
    0xA900,  0xA9D0,  0xA9F0,  0xAA50,  0xABF0,  0xFF10,  0x104A0, 0x10D30, 0x10D40, 0x11066,
    0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0, 0x116D0, 0x116DA,
    0x11730, 0x118E0, 0x11950, 0x11BF0, 0x11C50, 0x11D50, 0x11DA0, 0x11F50, 0x16130, 0x16A60,
    0x16AC0, 0x16B50, 0x16D70, 0x1CCF0, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140,
    0x1E2F0, 0x1E4F0, 0x1E5F1, 0x1E950, 0x1FBF0};

int csat__reply_digit_high(uint32_t c) {
  size_t lo = 0, hi = sizeof nd_zeros / sizeof nd_zeros[0];
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (c < nd_zeros[mid])
      hi = mid;
    else if (c >= nd_zeros[mid] + 10)
      lo = mid + 1;
    else
      return (int)(c - nd_zeros[mid]);
  }
  return -1;
}

int csat__reply_cls_high(uint32_t c) {
  if (c < 0x400) {
    if (c <= 0xA0)
      return C_WS; /* C1 controls, NEL, no-break space */
    if (c <= 0xBF || c == 0xD7 || c == 0xF7)
      return C_PUNCT;
    if (c == 0x2BB || c == 0x2BC)
      return C_APOS; /* Uzbek o‘ / g‘ */
    return C_LETTER;
  }
  if (c < 0x530 || (c >= 0xAC00 && c <= 0xD7A3))
    return C_LETTER; /* Cyrillic, Hangul syllables: the common cases first */
  /* no decimal digits in U+2000..U+A61F (punctuation, symbols, CJK) nor
   * among the emoji: spare them the search */
  if (!((c >= 0x2000 && c < 0xA620) || (c >= 0x1F000 && c < 0x1FBF0)) &&
      csat__reply_digit_high(c) >= 0)
    return C_DIGIT;
  if (c < 0x2000) {
    if ((c >= 0x55A && c <= 0x55F) || c == 0x589 || c == 0x5BE || c == 0x5C0 || c == 0x5C3 ||
        c == 0x5C6 || c == 0x5F3 || c == 0x5F4 || c == 0x60C || c == 0x60D || c == 0x61B ||
        c == 0x61E || c == 0x61F || (c >= 0x66A && c <= 0x66D) || c == 0x6D4 || c == 0x964 ||
        c == 0x965 || c == 0xE4F || c == 0xE5A || c == 0xE5B || c == 0x10FB ||
        (c >= 0x1360 && c <= 0x1368) || c == 0x166E || (c >= 0x1800 && c <= 0x180A))
      return C_PUNCT;
    if (c == 0x1680 || c == 0x180E)
      return C_WS;
    return C_LETTER;
  }
  if (c < 0x2070) {
    if (c <= 0x200F || (c >= 0x2028 && c <= 0x202F) || c >= 0x205F)
      return C_WS; /* spaces, zero-width and direction marks */
    if (c == 0x2018 || c == 0x2019)
      return C_APOS;
    return C_PUNCT;
  }
  if (c < 0x2C00)
    return c == 0x2212 ? C_PUNCT : C_SYM; /* symbols, arrows, shapes, dingbats */
  if (c < 0x2E00)
    return C_LETTER;
  if (c < 0x2E80)
    return C_PUNCT;
  if (c < 0x3000)
    return C_LETTER;
  if (c < 0x3040) {
    if (c == 0x3000)
      return C_WS;
    if ((c >= 0x3001 && c <= 0x3003) || (c >= 0x3008 && c <= 0x3011) ||
        (c >= 0x3014 && c <= 0x301F) || c == 0x3030 || c == 0x303D)
      return C_PUNCT;
    return C_SYM;
  }
  if (c < 0x3200)
    return C_LETTER;
  if (c < 0x3400)
    return C_SYM;
  if (c < 0xE000)
    return C_LETTER;
  if (c < 0xF900)
    return C_SYM; /* private use */
  if (c < 0xFE00)
    return C_LETTER;
  if (c < 0xFE10)
    return C_WS; /* variation selectors */
  if (c < 0xFE70)
    return (c >= 0xFE20 && c < 0xFE30) ? C_LETTER : C_PUNCT;
  if (c < 0xFF00)
    return c == 0xFEFF ? C_WS : C_LETTER;
  if (c < 0xFFF0) {
    if ((c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A) || c >= 0xFF66)
      return C_LETTER;
    return C_PUNCT;
  }
  if (c < 0x10000)
    return C_SYM;
  if ((c >= 0x1F000 && c < 0x1FC00) || (c >= 0x1D000 && c < 0x1D250) || c >= 0xF0000)
    return C_SYM;
  if (c >= 0xE0000 && c < 0xE1000)
    return C_WS; /* tags, variation selectors supplement */
  return C_LETTER;
}

uint32_t csat__reply_fold(uint32_t c) {
  if (c < 0x80)
    return (c - 'A' < 26u) ? c + 32 : c;
  if (c >= 0x400 && c < 0x530) {
    if (c < 0x410)
      c += 0x50;
    else if (c < 0x430)
      c += 0x20;
    else if ((c >= 0x460 && c < 0x482) || (c >= 0x48A && c < 0x4C0) || c >= 0x4D0)
      c |= 1u;
    else if (c == 0x4C0)
      c = 0x4CF;
    else if (c >= 0x4C1 && c < 0x4CF && (c & 1u))
      c += 1;
    return c == 0x451 ? 0x435 : c;
  }
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
    return c + 32;
  if (c >= 0x100 && c < 0x180) {
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
      return (c & 1u) ? c + 1 : c;
    if (c == 0x178)
      return 0xFF;
    if (c == 0x130 || c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17F)
      return c;
    return c | 1u;
  }
  if (c >= 0xFF21 && c <= 0xFF3A)
    return 'a' + (c - 0xFF21);
  if (c >= 0xFF41 && c <= 0xFF5A)
    return 'a' + (c - 0xFF41);
  return c;
}

/* ---- the message -------------------------------------------------------- */

size_t csat__reply_skip_ws(const rd *r, size_t p) {
  size_t l;
  while (p < r->e) {
    uint32_t c = r->s[p];
    if (c == ' ') {
      p++;
      continue;
    }
    c = dec(r, p, &l);
    if (cls(c) != C_WS)
      break;
    p += l;
  }
  return p;
}

/* ---- words -------------------------------------------------------------- */

static void put_utf8(word *w, uint32_t c, int *full) {
  char t[4];
  size_t n = csat__utf8_put(t, c), i;
  if (*full || w->len + n > WORD_CAP) {
    *full = 1;
    return;
  }
  for (i = 0; i < n; i++) {
    w->buf[w->len++] = t[i];
    w->hash = CSAT__WORD_HASH_STEP(w->hash, (unsigned char)t[i]);
  }
}

/* Read the word at p (a letter): letters, with apostrophes between letters
 * (to'rt, o‘n, yo’q). Normalised into w->buf. */
void csat__reply_read_word(const rd *r, size_t p, word *w) {
  int full = 0;
  size_t l;
  uint32_t c = dec(r, p, &l);
  w->len = 0;
  w->hash = CSAT__WORD_HASH_INIT;
  w->hangul = c >= 0xAC00 && c <= 0xD7A3;
  for (;;) {
    if (c < 0x80 && !full && w->len < WORD_CAP) {
      unsigned char b = (unsigned char)(c | 0x20u); /* an ASCII letter */
      w->buf[w->len++] = (char)b;
      w->hash = CSAT__WORD_HASH_STEP(w->hash, b);
    } else if (c >= 0x410 && c < 0x450 && !full && w->len + 2 <= WORD_CAP) {
      /* Russian letters: fold А-Я, ё is outside this range */
      uint32_t f = c < 0x430 ? c + 0x20 : c;
      unsigned char b0 = (unsigned char)(0xC0 | (f >> 6)), b1 = (unsigned char)(0x80 | (f & 0x3F));
      w->buf[w->len++] = (char)b0;
      w->buf[w->len++] = (char)b1;
      w->hash = CSAT__WORD_HASH_STEP(CSAT__WORD_HASH_STEP(w->hash, b0), b1);
    } else
      put_utf8(w, csat__reply_fold(c), &full);
    p += l;
    if (p >= r->e)
      break;
    c = r->s[p];
    if (c < 0x80) {
      l = 1;
      if ((c | 0x20u) - 'a' < 26u)
        continue;
    } else {
      c = dec(r, p, &l);
      if (c >= 0x400 && c < 0x530)
        continue; /* Cyrillic */
    }
    {
      int k = cls(c);
      if (k == C_LETTER)
        continue;
      if (k == C_APOS) {
        size_t l2;
        uint32_t c2 = peek(r, p + l, &l2);
        if (c2 != NO_CP && cls(c2) == C_LETTER) {
          put_utf8(w, '\'', &full);
          p += l;
          c = c2;
          l = l2;
          continue;
        }
      }
    }
    break;
  }
  w->end = p;
  if (full)
    w->len = 0;
}

/* Flags of a normalised word. Korean words also lose a polite ending
 * (다섯이요, 넷입니다) and a counter (네개, 오점): *counter says so. */
static uint32_t lookup(const word *w, int32_t *num, int *counter) {
  static const char *const endings[] = {"\xec\x9d\xb4\xec\x97\x90\xec\x9a\x94", /* 이에요 */
                                        "\xec\x9e\x85\xeb\x8b\x88\xeb\x8b\xa4", /* 입니다 */
                                        "\xec\x9d\xb4\xec\x9a\x94",             /* 이요 */
                                        "\xec\x98\x88\xec\x9a\x94",             /* 예요 */
                                        "\xec\x97\x90\xec\x9a\x94",             /* 에요 */
                                        "\xec\x9a\x94",                         /* 요 */
                                        ""};
  uint32_t f;
  size_t i;
  *counter = 0;
  *num = 0;
  if (w->len == 0)
    return 0;
  f = csat__reply_word_lookup_h(w->buf, w->len, w->hash, num);
  if (f || !w->hangul)
    return f;
  for (i = 0; i < sizeof endings / sizeof endings[0]; i++) {
    size_t el = strlen(endings[i]), n = w->len;
    if (n <= el || memcmp(w->buf + n - el, endings[i], el) != 0)
      continue;
    n -= el;
    if (el > 0) {
      f = csat__reply_word_lookup(w->buf, n, num);
      /* a Sino-Korean stem needs its counter: 사요 is "buy", not 4 */
      if (f & (CSAT__W_NUM | CSAT__W_KODET | CSAT__W_UNIT | CSAT__W_YES | CSAT__W_NO))
        return f & (CSAT__W_NUM | CSAT__W_UNIT | CSAT__W_YES | CSAT__W_NO);
    }
    /* counter 점 / 개 */
    if (n > 3 && (memcmp(w->buf + n - 3, "\xec\xa0\x90", 3) == 0 ||
                  memcmp(w->buf + n - 3, "\xea\xb0\x9c", 3) == 0)) {
      f = csat__reply_word_lookup(w->buf, n - 3, num);
      if (f & W_NUMBERISH) {
        *counter = 1;
        return f & W_NUMBERISH;
      }
    }
  }
  *num = 0;
  return 0;
}
/* ---- tokens ------------------------------------------------------------- */

static size_t skip_vs16(const rd *r, size_t p) {
  size_t l;
  return peek(r, p, &l) == 0xFE0F ? p + l : p;
}

static void read_tok_raw(const rd *r, size_t p, tok *t);

void csat__reply_read_tok(const rd *r, size_t p, tok *t) {
  tcache *tc = r->tc;
  unsigned i;
  if (!tc) {
    read_tok_raw(r, p, t);
    return;
  }
  for (i = 0; i < TC_N; i++)
    if (tc->key[i] == p) {
      *t = tc->t[i];
      return;
    }
  read_tok_raw(r, p, t);
  i = tc->next++ % TC_N;
  tc->key[i] = p;
  tc->t[i] = *t;
}

static void read_tok_raw(const rd *r, size_t p, tok *t) {
  size_t l;
  uint32_t c;
  int k;
  t->b = p;
  t->val = t->white = 0;
  t->flags = t->cp = 0;
  t->nk = t->counter = t->yes = 0;
  if (p >= r->e) {
    t->type = T_END;
    t->e = p;
    return;
  }
  c = dec(r, p, &l);
  k = cls(c);
  if (k == C_DIGIT) {
    int32_t v = 0;
    t->type = T_NUM;
    t->nk = N_DIGITS;
    for (;;) {
      int d = digit_value(c);
      size_t q, l2;
      uint32_t c2;
      v = v < VAL_CAP / 10 ? v * 10 + d : VAL_CAP;
      p += l;
      /* keycap: digit, optional U+FE0F, U+20E3 */
      q = skip_vs16(r, p);
      c2 = peek(r, q, &l2);
      if (c2 == 0x20E3)
        p = q + l2;
      c = peek(r, p, &l);
      if (c == NO_CP || digit_value(c) < 0)
        break;
    }
    t->val = v;
    t->e = p;
    return;
  }
  if (c == 0x1F51F) { /* 🔟 */
    t->type = T_NUM;
    t->nk = N_TEN;
    t->val = 10;
    t->e = skip_vs16(r, p + l);
    return;
  }
  if (is_star(c) || c == 0x2606) {
    size_t end;
    t->type = T_NUM;
    t->nk = N_STARS;
    for (;;) {
      if (c == 0x2606)
        t->white++;
      else if (t->val < VAL_CAP)
        t->val++;
      end = skip_vs16(r, p + l);
      p = skip_ws(r, end);
      c = peek(r, p, &l);
      if (c == NO_CP || !(is_star(c) || c == 0x2606))
        break;
    }
    t->e = end;
    return;
  }
  if (c == 0x1F44D || c == 0x1F44E) { /* 👍 👎 with skin tone */
    size_t l2;
    uint32_t c2;
    t->type = T_THUMB;
    t->yes = (unsigned char)(c == 0x1F44D);
    p += l;
    c2 = peek(r, p, &l2);
    if (c2 >= 0x1F3FB && c2 <= 0x1F3FF)
      p += l2;
    t->e = skip_vs16(r, p);
    return;
  }
  if (k == C_LETTER) {
    word w;
    csat__reply_read_word(r, p, &w);
    t->type = T_WORD;
    t->e = w.end;
    {
      int counter;
      t->flags = lookup(&w, &t->val, &counter);
      t->counter = (unsigned char)counter;
    }
    return;
  }
  t->type = (k == C_SYM) ? T_SYM : T_PUNCT;
  t->cp = c;
  t->e = p + l;
}

/* Skip white space and punctuation (not a minus glued to digits). */
size_t csat__reply_skip_sep(const rd *r, size_t p) {
  size_t l;
  while (p < r->e) {
    uint32_t c = dec(r, p, &l);
    int k = cls(c);
    if (k != C_WS && k != C_PUNCT && k != C_APOS)
      break;
    p += l;
  }
  return p;
}
