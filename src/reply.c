/*
 * Understanding one customer message on a text channel: csat_reply_parse
 * (csat.h) and csat__reply_parse_seq (reply_internal.h).
 *
 * How a message is read (the rules the corpus tests/replies/corpus.tsv pins):
 *
 *  1. Bytes that are not UTF-8: UNKNOWN / INVALID_UTF8. Nothing but white
 *     space and punctuation: EMPTY.
 *  2. A whole message (trimmed, surrounding punctuation allowed, any case) that
 *     is an opt-out word (STOP, СТОП, WYPISZ, 수신거부, TO'XTAT, ...) is OPT_OUT,
 *     a help word (HELP, ПОМОЩЬ, ...) is HELP, whatever the question. Only the
 *     whole message: "don't stop calling me" is not an opt-out.
 *  3. A text-comment question takes any other text as its COMMENT.
 *  4. A rating: the answer stands FIRST (after opening punctuation and words
 *     such as "оценка", "rating:", "ставлю", "별" that say nothing else).
 *     Digits of any script, keycaps, 🔟, runs of stars (★★★★☆ counts filled
 *     stars when filled + empty equals the maximum), number words. A
 *     denominator equal to the maximum belongs to the answer ("4/5", "4 из 5",
 *     "4 out of 5", "4 z 5", "5 dan 4", "5점 만점에 4점"); another denominator is
 *     AMBIGUOUS. Units may follow ("5 stars", "5 баллов", "5점").
 *     After the answer and any separators comes the comment ("4. Оператор был
 *     вежлив..." -> 4 + comment). The reader refuses to guess:
 *       - another number right after the answer: SEVERAL_NUMBERS ("5 4");
 *         after a dash or a word like or/или/lub/yoki/아니면: AMBIGUOUS
 *         ("4-5", "4 or 5", "4 или 5");
 *       - "4.5", "4,5", "4:5", "80%", digits glued to letters ("5G"): AMBIGUOUS;
 *       - "-3": NEGATIVE; outside the scale ("0", "45" on 1..5): OUT_OF_RANGE.
 *     A number WORD must look like an answer: followed by the end, punctuation,
 *     a unit, "thanks" or a number; "One hour waiting" is prose, not a 1.
 *     Sino-Korean numerals (일 이 삼 사 오 ...) are everyday syllables and count
 *     only as the whole message; the 한/두/세/네 forms only before a counter.
 *  5. Comment before the score ("great service 5", "Спасибо, 5"): accepted
 *     only when the message holds exactly ONE number, written in digits (or
 *     keycaps, stars), standing at the END (punctuation, emoji or "thanks" may
 *     follow); the text before it is the comment. A number word in prose is
 *     never taken ("I waited one hour": NO_NUMBER); digits inside prose are
 *     AMBIGUOUS ("I waited 2 hours"); two numbers are SEVERAL_NUMBERS.
 *  6. Yes/no: a yes/no word (five languages) or 👍/👎 first, then the comment.
 *     Digits are NOT read as yes/no ("1" for yes works on the keypad, but in
 *     a text it may as well be a score): AMBIGUOUS. "yes and no", "да или
 *     нет": AMBIGUOUS; "да да" is yes. A yes/no word followed by an ordinary
 *     word without punctuation ("No problem") is AMBIGUOUS.
 *
 * Linear time: every scan moves forward; look-ahead is bounded to a few
 * tokens. Words longer than the table's longest are read but never looked up.
 * No allocation, no locale, no globals but const tables.
 * SPDX-License-Identifier: MIT
 */
#include "reply_internal.h"

#include <string.h>

#if defined(__GNUC__)
#define CSAT__INLINE inline __attribute__((always_inline))
#else
#define CSAT__INLINE inline
#endif

/* ---- characters --------------------------------------------------------- */

enum { C_LETTER = 0, C_WS, C_PUNCT, C_APOS, C_SYM, C_DIGIT };

/* Zeros of the Unicode decimal-digit (Nd) blocks: each zero starts a run of
 * ten (Unicode 14; later additions at the end of each range are included). */
static const uint32_t nd_zeros[] = {
    0x660,   0x6F0,   0x7C0,   0x966,   0x9E6,   0xA66,   0xAE6,   0xB66,   0xBE6,
    0xC66,   0xCE6,   0xD66,   0xDE6,   0xE50,   0xED0,   0xF20,   0x1040,  0x1090,
    0x17E0,  0x1810,  0x1946,  0x19D0,  0x1A80,  0x1A90,  0x1B50,  0x1BB0,  0x1C40,
    0x1C50,  0xA620,  0xA8D0,  0xA900,  0xA9D0,  0xA9F0,  0xAA50,  0xABF0,  0xFF10,
    0x104A0, 0x10D30, 0x10D40, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450,
    0x114D0, 0x11650, 0x116C0, 0x116D0, 0x116DA, 0x11730, 0x118E0, 0x11950, 0x11BF0,
    0x11C50, 0x11D50, 0x11DA0, 0x11F50, 0x16130, 0x16A60, 0x16AC0, 0x16B50, 0x16D70,
    0x1CCF0, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E4F0,
    0x1E5F1, 0x1E950, 0x1FBF0};

/* Value of a decimal digit of any script, or -1. */
static int digit_value(uint32_t c) {
  size_t lo = 0, hi = sizeof nd_zeros / sizeof nd_zeros[0];
  if (c - '0' < 10u)
    return (int)(c - '0');
  if (c < 0x660)
    return -1;
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

static int cls_high(uint32_t c) {
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
  if (digit_value(c) >= 0)
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

static CSAT__INLINE int cls(uint32_t c) {
  if (c < 0x80) {
    if ((c | 0x20u) - 'a' < 26u)
      return C_LETTER;
    if (c - '0' < 10u)
      return C_DIGIT;
    if (c <= 0x20 || c == 0x7F)
      return C_WS; /* space, tab, line breaks and other controls */
    if (c == '\'' || c == '`')
      return C_APOS;
    return C_PUNCT;
  }
  return cls_high(c);
}

/* Lower case for the scripts whose words the table holds; ё as е. */
static uint32_t fold(uint32_t c) {
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

/* ---- the reader --------------------------------------------------------- */

struct tcache;

typedef struct rd {
  const unsigned char *s;
  size_t e;           /* end of the trimmed message: every decode stays below it */
  int list_comma;     /* several answers: a comma between digits separates them */
  struct tcache *tc;  /* the last tokens read (look-ahead reads them again) */
} rd;

/* Decode the code point at p < r->e (the input was validated). */
static CSAT__INLINE uint32_t dec(const rd *r, size_t p, size_t *l) {
  const unsigned char *s = r->s + p;
  uint32_t c = s[0];
  if (c < 0x80) {
    *l = 1;
    return c;
  }
  if (c < 0xE0) {
    *l = 2;
    return ((c & 0x1Fu) << 6) | (s[1] & 0x3Fu);
  }
  if (c < 0xF0) {
    *l = 3;
    return ((c & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
  }
  *l = 4;
  return ((c & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
}

#define NO_CP 0xFFFFFFFFu

static uint32_t peek(const rd *r, size_t p, size_t *l) {
  if (p >= r->e) {
    *l = 0;
    return NO_CP;
  }
  return dec(r, p, l);
}

static size_t skip_ws(const rd *r, size_t p) {
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

static int is_dash(uint32_t c) {
  return c == '-' || c == '~' || (c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0xFF0D ||
         c == 0x301C || c == 0xFF5E;
}

static int is_minus(uint32_t c) { return c == '-' || c == 0x2212 || c == 0x2013 || c == 0xFF0D; }

static int is_opening(uint32_t c) {
  return c == '(' || c == '[' || c == '{' || c == '"' || c == '\'' || c == 0xAB ||
         c == 0x201C || c == 0x201E || c == 0x2018 || c == 0xBF || c == 0xA1 || c == '#' ||
         c == '@' || c == 0x300C || c == 0x300E || c == 0xFF08;
}

/* Digits next at p? */
static int digit_at(const rd *r, size_t p) {
  size_t l;
  uint32_t c = peek(r, p, &l);
  return c != NO_CP && digit_value(c) >= 0;
}

/* ---- words -------------------------------------------------------------- */

#define WORD_CAP 64

typedef struct word {
  char buf[WORD_CAP];
  uint32_t hash; /* of buf[0..len) */
  size_t len;   /* bytes in buf; 0 when the word is too long to be known */
  size_t end;   /* input offset after the word */
  int hangul;   /* starts with a Hangul syllable */
} word;

static void put_utf8(word *w, uint32_t c, int *full) {
  char t[4];
  size_t n, i;
  if (c < 0x80) {
    t[0] = (char)c;
    n = 1;
  } else if (c < 0x800) {
    t[0] = (char)(0xC0 | (c >> 6));
    t[1] = (char)(0x80 | (c & 0x3F));
    n = 2;
  } else if (c < 0x10000) {
    t[0] = (char)(0xE0 | (c >> 12));
    t[1] = (char)(0x80 | ((c >> 6) & 0x3F));
    t[2] = (char)(0x80 | (c & 0x3F));
    n = 3;
  } else {
    t[0] = (char)(0xF0 | (c >> 18));
    t[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    t[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    t[3] = (char)(0x80 | (c & 0x3F));
    n = 4;
  }
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
static void read_word(const rd *r, size_t p, word *w) {
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
      put_utf8(w, fold(c), &full);
    p += l;
    if (p >= r->e)
      break;
    c = r->s[p];
    if (c < 0x80) {
      l = 1;
      if ((c | 0x20u) - 'a' < 26u)
        continue;
    } else
      c = dec(r, p, &l);
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

#define W_NUMBERISH (CSAT__W_NUM | CSAT__W_KODET | CSAT__W_WHOLE)

/* Flags of a normalised word. Korean words also lose a polite ending
 * (다섯이요, 넷입니다) and a counter (네개, 오점): *counter says so. */
static uint32_t lookup(const word *w, int32_t *num, int *counter) {
  static const char *const endings[] = {"\xec\x9d\xb4\xec\x97\x90\xec\x9a\x94", /* 이에요 */
                                        "\xec\x9e\x85\xeb\x8b\x88\xeb\x8b\xa4", /* 입니다 */
                                        "\xec\x9d\xb4\xec\x9a\x94",             /* 이요 */
                                        "\xec\x98\x88\xec\x9a\x94",             /* 예요 */
                                        "\xec\x97\x90\xec\x9a\x94",             /* 에요 */
                                        "\xec\x9a\x94",                          /* 요 */
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

enum { T_END, T_NUM, T_WORD, T_PUNCT, T_SYM, T_THUMB };
enum { N_DIGITS = 1, N_STARS, N_TEN };

typedef struct tok {
  size_t b, e;          /* input span */
  int32_t val;          /* number value (T_NUM, number words) */
  int32_t white;        /* N_STARS: empty stars */
  uint32_t flags;       /* T_WORD: CSAT__W_* */
  uint32_t cp;          /* T_PUNCT / T_SYM: the code point */
  unsigned char type;   /* T_* */
  unsigned char nk;     /* T_NUM: N_* */
  unsigned char counter; /* T_WORD: a Korean counter was attached */
  unsigned char yes;    /* T_THUMB: 1 up, 0 down */
} tok;

#define VAL_CAP 1000000

static int is_star(uint32_t c) { return c == 0x2B50 || c == 0x1F31F || c == 0x2605; }

static size_t skip_vs16(const rd *r, size_t p) {
  size_t l;
  return peek(r, p, &l) == 0xFE0F ? p + l : p;
}

#define TC_N 4
typedef struct tcache {
  size_t key[TC_N];
  tok t[TC_N];
  unsigned next;
} tcache;

static void read_tok_raw(const rd *r, size_t p, tok *t);

static void read_tok(const rd *r, size_t p, tok *t) {
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
    read_word(r, p, &w);
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
static size_t skip_sep(const rd *r, size_t p) {
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

/* ---- rating answers ----------------------------------------------------- */

enum { A_OK, A_NOT, A_UNK };

typedef struct ans {
  int st;        /* A_* */
  int32_t reason;
  int32_t val;
  size_t b, e;   /* answer span */
  int word;      /* the number was a word */
} ans;

static void unk(ans *a, int32_t reason, size_t e) {
  a->st = A_UNK;
  a->reason = reason;
  if (e > a->e)
    a->e = e;
}

/* A number token usable as a denominator or second number. */
static int tok_number(const tok *t) {
  return t->type == T_NUM ||
         (t->type == T_WORD && (t->flags & (CSAT__W_NUM | CSAT__W_NUMDEN)) != 0);
}

/* The core of a number at t: its value and glued unit ("5점", "5-ка", "5dan").
 * Sets *revof when a glued "dan" asks for the answer to follow. */
static void number_core(const rd *r, const tok *t, int32_t max, ans *a, int *revof) {
  size_t l, q;
  uint32_t c;
  a->st = A_OK;
  a->b = t->b;
  a->e = t->e;
  a->val = t->val;
  a->word = 0;
  *revof = 0;
  if (t->type == T_WORD) {
    a->word = 1;
    if (t->flags & CSAT__W_NUM)
      return;
    if ((t->flags & CSAT__W_REVOF) && t->val > 0) { /* beshdan */
      *revof = 1;
      return;
    }
    if ((t->flags & CSAT__W_KODET) && !t->counter) { /* 네 개 */
      tok u;
      read_tok(r, skip_ws(r, t->e), &u);
      if (u.type == T_WORD && (u.flags & CSAT__W_UNIT)) {
        a->e = u.e;
        return;
      }
      a->st = A_NOT;
      return;
    }
    if (t->flags & (CSAT__W_KODET | CSAT__W_WHOLE))
      return;
    a->st = A_NOT;
    return;
  }
  if (t->nk == N_STARS) {
    if (t->white > 0 && (int64_t)t->val + t->white != max)
      unk(a, CSAT_REASON_AMBIGUOUS, t->e);
    return;
  }
  if (t->nk != N_DIGITS)
    return;
  q = t->e;
  c = peek(r, q, &l);
  if (c == NO_CP)
    return;
  if ((c == '.' || c == ',' || c == ':' || c == 0x66B || c == 0x66C) && digit_at(r, q + l)) {
    if (!(c == ',' && r->list_comma))
      unk(a, CSAT_REASON_AMBIGUOUS, q + l);
    return;
  }
  if (c == '%' || c == 0x66A || c == 0xFF05) {
    unk(a, CSAT_REASON_AMBIGUOUS, q + l);
    return;
  }
  if (c == '-' && q + l < r->e) {
    size_t l2;
    uint32_t c2 = peek(r, q + l, &l2);
    if (cls(c2) == C_LETTER) { /* 5-ка, 5-dan */
      tok u;
      read_tok(r, q + l, &u);
      if (u.flags & CSAT__W_UNIT)
        a->e = u.e;
      else if (u.flags & CSAT__W_REVOF) {
        a->e = u.e;
        *revof = 1;
      }
    }
    return;
  }
  if (cls(c) == C_LETTER) {
    tok u;
    read_tok(r, q, &u);
    if (u.flags & CSAT__W_UNIT)
      a->e = u.e;
    else if (u.flags & CSAT__W_REVOF) {
      a->e = u.e;
      *revof = 1;
    } else
      unk(a, CSAT_REASON_AMBIGUOUS, u.e); /* 5G, 2x */
  }
}

/* A rating answer at p (a token start). */
static void rating_answer(const rd *r, size_t p, int32_t max, ans *a) {
  tok t;
  int revof, den = 0, unit = 0, rev = 0, extended = 0;
  read_tok(r, p, &t);
  memset(a, 0, sizeof *a);
  a->b = a->e = p;
  if (t.type != T_NUM && t.type != T_WORD) {
    a->st = A_NOT;
    return;
  }
  number_core(r, &t, max, a, &revof);
  if (a->st != A_OK)
    return;
  if (revof) {
    /* "5 dan 4" with dan glued, "beshdan to'rt": the maximum, then the answer */
    ans b2;
    int rv2;
    tok u;
    read_tok(r, skip_ws(r, a->e), &u);
    if (!tok_number(&u) && !(u.type == T_WORD && (u.flags & W_NUMBERISH))) {
      a->st = A_NOT;
      return;
    }
    number_core(r, &u, max, &b2, &rv2);
    if (b2.st == A_NOT) {
      a->st = A_NOT;
      return;
    }
    if (a->val != max || b2.st == A_UNK || rv2) {
      unk(a, b2.st == A_UNK ? b2.reason : CSAT_REASON_AMBIGUOUS, b2.e);
      return;
    }
    a->val = b2.val;
    a->e = b2.e;
    rev = extended = 1;
  }
  for (;;) {
    size_t q = skip_ws(r, a->e), l;
    uint32_t c = peek(r, q, &l);
    tok u;
    if (c == NO_CP)
      break;
    if (!den && !rev && (c == '/' || c == 0xFF0F || c == 0x2215)) {
      read_tok(r, skip_ws(r, q + l), &u);
      if (!tok_number(&u))
        break; /* a separator: "5/ thanks" */
      if (u.val != max) {
        unk(a, CSAT_REASON_AMBIGUOUS, u.e); /* another scale: "4/10" on 1..5 */
        return;
      }
      a->e = u.e;
      den = extended = 1;
      continue;
    }
    if (!unit && is_star(c)) { /* "4 ⭐", "5⭐" */
      read_tok(r, q, &u);
      if (u.val != 1 || u.white)
        break;
      a->e = u.e;
      unit = extended = 1;
      continue;
    }
    if (cls(c) != C_LETTER)
      break;
    read_tok(r, q, &u);
    if (!den && !rev && !unit && t.type == T_NUM && (u.flags & CSAT__W_MEASURE) &&
        !(u.flags & CSAT__W_UNIT)) {
      unk(a, CSAT_REASON_AMBIGUOUS, u.e); /* "2 hours on hold", "3 раза" */
      return;
    }
    if (!den && !rev && (u.flags & CSAT__W_OF)) {
      tok v;
      read_tok(r, skip_ws(r, u.e), &v);
      if (v.type == T_WORD && (v.flags & CSAT__W_OF)) /* out of */
        read_tok(r, skip_ws(r, v.e), &v);
      if (!tok_number(&v))
        break; /* "5 of course" */
      if (v.val != max) {
        unk(a, CSAT_REASON_AMBIGUOUS, v.e);
        return;
      }
      a->e = v.e;
      den = extended = 1;
      continue;
    }
    if (!den && !rev && (u.flags & CSAT__W_REVOF)) {
      ans b2;
      int rv2;
      tok v;
      read_tok(r, skip_ws(r, u.e), &v);
      if (!(v.type == T_NUM || (v.type == T_WORD && (v.flags & W_NUMBERISH))))
        break;
      number_core(r, &v, max, &b2, &rv2);
      if (b2.st == A_NOT)
        break;
      if (a->val != max || b2.st == A_UNK || rv2) {
        unk(a, b2.st == A_UNK ? b2.reason : CSAT_REASON_AMBIGUOUS, b2.e);
        return;
      }
      a->val = b2.val;
      a->e = b2.e;
      rev = extended = 1;
      continue;
    }
    if (!unit && (u.flags & CSAT__W_UNIT)) {
      a->e = u.e;
      unit = extended = 1;
      continue;
    }
    break;
  }
  if (t.type == T_WORD && (t.flags & CSAT__W_WHOLE) && !(t.flags & CSAT__W_NUM)) {
    /* Sino-Korean: only the whole message */
    if (skip_sep(r, a->e) != r->e)
      a->st = A_NOT;
    return;
  }
  if (a->word && !extended) {
    /* a number word must look like an answer, not like prose */
    size_t q = skip_ws(r, a->e);
    tok u;
    read_tok(r, q, &u);
    if (u.type == T_WORD &&
        !(u.flags & (CSAT__W_THANKS | CSAT__W_HEDGE | CSAT__W_RANGE | CSAT__W_NUM |
                     CSAT__W_UNIT | CSAT__W_YES | CSAT__W_NO)))
      a->st = A_NOT;
  }
}

/* ---- yes / no ----------------------------------------------------------- */

/* 1 yes, 0 no, -1 neither. */
static int tok_polarity(const tok *t) {
  if (t->type == T_THUMB)
    return t->yes;
  if (t->type == T_WORD && (t->flags & CSAT__W_YES))
    return 1;
  if (t->type == T_WORD && (t->flags & CSAT__W_NO))
    return 0;
  return -1;
}

static void yesno_answer(const rd *r, size_t p, ans *a) {
  tok t;
  int pol;
  read_tok(r, p, &t);
  memset(a, 0, sizeof *a);
  a->b = p;
  a->e = t.e;
  if (t.type == T_NUM) {
    unk(a, CSAT_REASON_AMBIGUOUS, t.e); /* digits are not read as yes/no */
    return;
  }
  pol = tok_polarity(&t);
  if (pol < 0 || (t.type == T_WORD && t.e - t.b == 1 && skip_sep(r, t.e) != r->e)) {
    a->st = A_NOT; /* "y" and "n" only alone: "n/a" is not a no */
    return;
  }
  a->st = A_OK;
  a->val = pol;
  if (t.type == T_WORD) {
    tok u;
    read_tok(r, skip_ws(r, t.e), &u);
    if (u.type == T_WORD && !(u.flags & (CSAT__W_THANKS | CSAT__W_HEDGE | CSAT__W_RANGE |
                                         CSAT__W_YES | CSAT__W_NO)))
      unk(a, CSAT_REASON_AMBIGUOUS, u.e); /* "No problem" */
  }
}

/* ---- after an answer ---------------------------------------------------- */

enum { AF_END, AF_NEXT, AF_AMBIG, AF_COMMENT, AF_SAME };

/* What follows an answer ending at p: the end, the next answer (at *np), an
 * ambiguity, a comment (starting at *np), or (yes/no) the same answer again
 * (ending at *np). check_kind/check_max: the question a following answer
 * would be read against (the next one, or the current one when it is the
 * last, to detect "several"). */
static int after_answer(const rd *r, size_t p, int32_t check_kind, int32_t check_max,
                        int cur_yes, size_t *np) {
  size_t q = p, open = (size_t)-1, l;
  int dash = 0;
  tok t;
  while (q < r->e) {
    uint32_t c = dec(r, q, &l);
    int k = cls(c);
    if (k == C_WS) {
      q += l;
      continue;
    }
    if (k != C_PUNCT && k != C_APOS)
      break;
    if (is_dash(c))
      dash = 1;
    if (open == (size_t)-1 && is_opening(c))
      open = q;
    q += l;
  }
  if (q >= r->e)
    return AF_END;
  read_tok(r, q, &t);
  *np = open != (size_t)-1 ? open : q;
  if (t.type == T_WORD && (t.flags & (CSAT__W_HEDGE | CSAT__W_RANGE)) &&
      !(t.flags & (CSAT__W_NUM | CSAT__W_YES | CSAT__W_NO))) {
    tok u;
    read_tok(r, skip_sep(r, t.e), &u);
    if (u.type == T_WORD && (u.flags & (CSAT__W_HEDGE | CSAT__W_RANGE)) &&
        !(u.flags & (CSAT__W_NUM | CSAT__W_YES | CSAT__W_NO)))
      read_tok(r, skip_sep(r, u.e), &u); /* "or maybe", "а может" */
    if (check_kind == CSAT_Q_YES_NO ? tok_polarity(&u) >= 0
                                    : (tok_number(&u) || (u.type == T_WORD &&
                                                          (u.flags & CSAT__W_KODET))))
      return AF_AMBIG;
    return AF_COMMENT;
  }
  if (check_kind == CSAT_Q_RATING) {
    if (t.type == T_NUM || (t.type == T_WORD && (t.flags & (W_NUMBERISH | CSAT__W_REVOF)))) {
      ans a;
      rating_answer(r, q, check_max, &a);
      if (a.st != A_NOT) {
        *np = q;
        return dash ? AF_AMBIG : AF_NEXT;
      }
    }
  } else if (check_kind == CSAT_Q_YES_NO) {
    int pol = tok_polarity(&t);
    if (cur_yes >= 0) { /* the current yes/no question is the last one */
      if (pol == cur_yes) {
        *np = t.e;
        return AF_SAME;
      }
      if (pol >= 0)
        return AF_AMBIG;
    } else if (pol >= 0 || t.type == T_NUM) {
      *np = q;
      return dash ? AF_AMBIG : AF_NEXT;
    }
  }
  return AF_COMMENT;
}

/* ---- readings ----------------------------------------------------------- */

static void put(csat_reply *o, int32_t kind, int32_t score, int32_t reason, size_t ab,
                size_t ae, size_t cb, size_t ce) {
  o->struct_size = sizeof *o;
  o->kind = kind;
  o->score = score;
  o->reason = reason;
  o->answer_offset = ab;
  o->answer_length = ae - ab;
  o->comment_offset = ce > cb ? cb : 0;
  o->comment_length = ce > cb ? ce - cb : 0;
}

static void put_unknown(csat_reply *o, int32_t reason, size_t ab, size_t ae) {
  put(o, CSAT_REPLY_UNKNOWN, -1, reason, ab, ae, 0, 0);
}

/* Could the text at p start an opt-out or help phrase? (cheap: the cached token) */
static int starts_phrase(const rd *r, size_t p) {
  tok t;
  read_tok(r, p, &t);
  return t.type != T_WORD ||
         (t.flags & (CSAT__W_OPTOUT | CSAT__W_HELP | CSAT__W_PHRASE)) != 0;
}

/* The text [b, end) as a whole opt-out or help phrase: its flags, or 0. */
static uint32_t whole_keyword(const rd *whole, size_t b, size_t end, size_t *kb, size_t *ke) {
  char buf[WORD_CAP];
  rd sub = *whole, *r = &sub;
  size_t n = 0, p, l, last;
  int words = 0;
  int32_t num;
  sub.e = end;
  sub.tc = NULL;
  p = b;
  while (p < end) { /* punctuation and emoji around: "STOP!", "🛑 STOP" */
    int k = cls(dec(r, p, &l));
    if (k != C_WS && k != C_PUNCT && k != C_APOS && k != C_SYM)
      break;
    p += l;
  }
  last = p;
  *kb = p;
  if (end - b > 4 * WORD_CAP)
    return 0;
  while (p < r->e) {
    uint32_t c = dec(r, p, &l);
    word w;
    if (cls(c) != C_LETTER)
      return 0;
    read_word(r, p, &w);
    if (w.len == 0 || n + w.len + 1 > sizeof buf || ++words > 3)
      return 0;
    if (words == 1 && !(csat__reply_word_lookup_h(w.buf, w.len, w.hash, &num) &
                        (CSAT__W_OPTOUT | CSAT__W_HELP | CSAT__W_PHRASE)))
      return 0; /* no phrase starts with this word */
    if (n)
      buf[n++] = ' ';
    memcpy(buf + n, w.buf, w.len);
    n += w.len;
    last = p = w.end;
    /* between words: white space, '-' or '_' ("opt-out"); after the last: punctuation */
    {
      size_t q = p;
      int other = 0;
      while (q < r->e) {
        uint32_t c2 = dec(r, q, &l);
        int k = cls(c2);
        if (k != C_WS && c2 != '-' && c2 != '_') {
          if (k != C_PUNCT && k != C_APOS && k != C_SYM)
            break;
          other = 1;
        }
        q += l;
      }
      if (q < r->e && other)
        return 0; /* "stop, please" */
      p = q;
    }
  }
  *ke = last;
  return csat__reply_word_lookup(buf, n, &num) & (CSAT__W_OPTOUT | CSAT__W_HELP);
}

/* Comment before the score: "great service 5". One number, in digits, at the
 * end. The reading goes to *o. */
static void comment_before(const rd *r, size_t b, size_t p, int32_t min, int32_t max,
                           csat_reply *o) {
  ans a1;
  size_t q = p, l, neg_at = (size_t)-1, minus_at = 0, neg_b = 0;
  int count = 0, hedge = 0, dash = 0, trailing_ok = 1, neg = 0, first_word = 0;
  memset(&a1, 0, sizeof a1);
  while (q < r->e) {
    uint32_t c = dec(r, q, &l);
    int k = cls(c);
    tok t;
    if (k == C_WS) {
      q += l;
      continue;
    }
    if (k == C_PUNCT || k == C_APOS) {
      if (count && is_dash(c))
        dash = 1;
      if (is_minus(c) && digit_at(r, q + l)) {
        neg_at = q + l;
        minus_at = q;
      }
      q += l;
      continue;
    }
    read_tok(r, q, &t);
    if (t.type == T_NUM || (t.type == T_WORD && (t.flags & CSAT__W_NUM)) ||
        (t.type == T_WORD && (t.flags & CSAT__W_KODET) && t.counter)) {
      ans a;
      rating_answer(r, q, max, &a);
      if (++count == 1) {
        a1 = a;
        first_word = t.type == T_WORD;
        neg = neg_at == q;
        neg_b = minus_at;
        if (a.st == A_NOT) {
          a1.b = t.b;
          a1.e = t.e;
        }
        q = a1.e > t.e ? a1.e : t.e;
        continue;
      }
      put_unknown(o, (hedge || dash) ? CSAT_REASON_AMBIGUOUS : CSAT_REASON_SEVERAL_NUMBERS,
                  a1.b, a1.e);
      return;
    }
    if (t.type == T_WORD && count) {
      if (t.flags & (CSAT__W_HEDGE | CSAT__W_RANGE))
        hedge = 1;
      if (!(t.flags & CSAT__W_THANKS))
        trailing_ok = 0;
    }
    q = t.e;
  }
  if (count == 0 || first_word) {
    put_unknown(o, CSAT_REASON_NO_NUMBER, count ? a1.b : b, count ? a1.e : b);
    return;
  }
  if (neg) {
    put_unknown(o, CSAT_REASON_NEGATIVE, neg_b, a1.e);
    return;
  }
  if (a1.st == A_UNK) {
    put_unknown(o, a1.reason, a1.b, a1.e);
    return;
  }
  if (!trailing_ok || a1.st != A_OK) {
    put_unknown(o, CSAT_REASON_AMBIGUOUS, a1.b, a1.e); /* "I waited 2 hours" */
    return;
  }
  if (a1.val < min || a1.val > max) {
    put_unknown(o, CSAT_REASON_OUT_OF_RANGE, a1.b, a1.e);
    return;
  }
  {
    /* the comment: [b, number), without trailing separators */
    size_t ce = a1.b;
    while (ce > b) {
      size_t s0 = ce - 1;
      uint32_t c;
      while (s0 > b && (r->s[s0] & 0xC0) == 0x80)
        s0--;
      c = dec(r, s0, &l);
      if (!(cls(c) == C_WS || c == ',' || c == ':' || c == ';' || is_dash(c) || c == 0x2014))
        break;
      ce = s0;
    }
    if (whole_keyword(r, b, ce, &l, &q) & CSAT__W_OPTOUT) {
      put_unknown(o, CSAT_REASON_AMBIGUOUS, a1.b, a1.e); /* "STOP 5": a score or an opt-out? */
      return;
    }
    put(o, CSAT_REPLY_SCORE, a1.val, CSAT_REASON_NONE, a1.b, a1.e, b, ce);
  }
}

int csat__reply_parse_seq(const char *text, size_t len, const int32_t *kinds,
                          const int32_t *mins, const int32_t *maxs, int32_t n,
                          csat_reply *out_array, int32_t *count_out) {
  rd r;
  tcache tc;
  size_t b, p, inv, l, kb, ke;
  int32_t i;
  uint32_t kw = 0;
  if (!kinds || !mins || !maxs || n < 1 || !out_array || !count_out || (!text && len))
    return CSAT_ERR_INVALID_ARG;
  for (i = 0; i < n; i++) {
    if (kinds[i] == CSAT_Q_RATING) {
      if (mins[i] < 0 || mins[i] >= maxs[i] || maxs[i] > 10)
        return CSAT_ERR_INVALID_ARG;
    } else if (kinds[i] != CSAT_Q_YES_NO && kinds[i] != CSAT_Q_TEXT_COMMENT)
      return CSAT_ERR_INVALID_ARG;
  }
  *count_out = 1;
  if (!text)
    text = "";
  if (n == 1 && kinds[0] == CSAT_Q_RATING && len <= 8) {
    /* most SMS replies: a bare ASCII score, maybe with spaces and "." or "!" */
    size_t k = 0, db, de;
    int32_t v = 0;
    while (k < len && text[k] == ' ')
      k++;
    db = k;
    while (k < len && k - db < 3 && (unsigned)(text[k] - '0') < 10u)
      v = v * 10 + (text[k++] - '0');
    de = k;
    while (k < len && (text[k] == ' ' || text[k] == '.' || text[k] == '!'))
      k++;
    if (k == len && de > db && de - db < 3) {
      if (v < mins[0] || v > maxs[0])
        put_unknown(&out_array[0], CSAT_REASON_OUT_OF_RANGE, db, de);
      else
        put(&out_array[0], CSAT_REPLY_SCORE, v, CSAT_REASON_NONE, db, de, 0, 0);
      return CSAT_OK;
    }
  }
  for (inv = 0; inv < len && (unsigned char)text[inv] < 0x80; inv++)
    ;
  if (inv < len)
    inv += csat__utf8_invalid_at(text + inv, len - inv);
  if (inv != len) {
    put_unknown(&out_array[0], CSAT_REASON_INVALID_UTF8, inv, inv);
    return CSAT_OK;
  }
  r.s = (const unsigned char *)text;
  r.e = len;
  r.list_comma = n > 1;
  r.tc = &tc;
  for (i = 0; i < TC_N; i++)
    tc.key[i] = (size_t)-1;
  tc.next = 0;
  /* trim white space at both ends */
  b = skip_ws(&r, 0);
  while (r.e > b) {
    size_t s0 = r.e - 1;
    while (s0 > b && (r.s[s0] & 0xC0) == 0x80)
      s0--;
    if (cls(dec(&r, s0, &l)) != C_WS)
      break;
    r.e = s0;
  }
  p = skip_sep(&r, b);
  if (p >= r.e) {
    put(&out_array[0], CSAT_REPLY_EMPTY, -1, CSAT_REASON_NONE, 0, 0, 0, 0);
    return CSAT_OK;
  }
  if (r.s[p] >= 0x80 || ((unsigned)(r.s[p] | 0x20u) - 'a' < 26u)) {
    tok t;
    size_t q = p;
    while (q < r.e && r.s[p] >= 0x80) { /* emoji before the word: "🛑 STOP" */
      int k = cls(dec(&r, q, &l));
      if (k != C_SYM && k != C_WS && k != C_PUNCT && k != C_APOS)
        break;
      q += l;
    }
    read_tok(&r, q, &t);
    if (t.type == T_WORD && (t.flags & (CSAT__W_OPTOUT | CSAT__W_HELP | CSAT__W_PHRASE)))
      kw = whole_keyword(&r, b, r.e, &kb, &ke);
  }
  if (kw) {
    put(&out_array[0], (kw & CSAT__W_OPTOUT) ? CSAT_REPLY_OPT_OUT : CSAT_REPLY_HELP, -1,
        CSAT_REASON_NONE, kb, ke, 0, 0);
    return CSAT_OK;
  }
  if (kinds[0] == CSAT_Q_TEXT_COMMENT) {
    put(&out_array[0], CSAT_REPLY_COMMENT, -1, CSAT_REASON_NONE, b, b, b, r.e);
    return CSAT_OK;
  }
  /* opening punctuation; a minus glued to digits is a negative number */
  p = b;
  while (p < r.e) {
    uint32_t c = dec(&r, p, &l);
    int k = cls(c);
    if (k == C_WS) {
      p += l;
      continue;
    }
    if (k != C_PUNCT && k != C_APOS)
      break;
    if (is_minus(c) && digit_at(&r, p + l) && kinds[0] == CSAT_Q_RATING) {
      tok t;
      read_tok(&r, p + l, &t);
      put_unknown(&out_array[0], CSAT_REASON_NEGATIVE, p, t.e);
      return CSAT_OK;
    }
    p += l;
  }
  if (kinds[0] == CSAT_Q_RATING) {
    /* words that only announce the score: "оценка: 5", "I give 5", "별 다섯 개" */
    size_t q = p;
    for (;;) {
      tok t;
      read_tok(&r, q, &t);
      if (t.type != T_WORD || !(t.flags & CSAT__W_LEADIN) || (t.flags & W_NUMBERISH))
        break;
      q = skip_sep(&r, t.e);
    }
    if (q != p && q < r.e) {
      ans a;
      rating_answer(&r, q, maxs[0], &a);
      if (a.st != A_NOT)
        p = q;
    }
  }
  for (i = 0;; i++) {
    int32_t kind = kinds[i];
    int last = i == n - 1;
    int32_t ck = last ? kind : kinds[i + 1];
    int32_t cmax = last ? maxs[i] : maxs[i + 1];
    csat_reply *o = &out_array[i];
    size_t np = 0;
    int af;
    ans a;
    *count_out = i + 1;
    if (kind == CSAT_Q_TEXT_COMMENT) { /* reached only after an answer */
      put(o, CSAT_REPLY_COMMENT, -1, CSAT_REASON_NONE, p, p, p, r.e);
      return CSAT_OK;
    }
    if (kind == CSAT_Q_RATING) {
      rating_answer(&r, p, maxs[i], &a);
      if (a.st == A_NOT) {
        if (i == 0)
          comment_before(&r, b, p, mins[0], maxs[0], o);
        else
          put_unknown(o, CSAT_REASON_NO_NUMBER, p, p);
        return CSAT_OK;
      }
    } else {
      yesno_answer(&r, p, &a);
      if (a.st == A_NOT) {
        put_unknown(o, CSAT_REASON_NO_NUMBER, p, p);
        return CSAT_OK;
      }
    }
    if (a.st == A_UNK) {
      put_unknown(o, a.reason, a.b, a.e);
      return CSAT_OK;
    }
    for (;;) {
      af = after_answer(&r, a.e, ck, cmax,
                        (last && kind == CSAT_Q_YES_NO) ? (int)a.val : -1, &np);
      if (af != AF_SAME)
        break;
      a.e = np; /* "да да" */
    }
    if (af == AF_NEXT && last) {
      *count_out = 1;
      put_unknown(&out_array[0], kind == CSAT_Q_RATING ? CSAT_REASON_SEVERAL_NUMBERS
                                                       : CSAT_REASON_AMBIGUOUS,
                  i == 0 ? a.b : b, a.e);
      return CSAT_OK;
    }
    if (af == AF_AMBIG) {
      put_unknown(o, CSAT_REASON_AMBIGUOUS, a.b, a.e);
      return CSAT_OK;
    }
    if (kind == CSAT_Q_RATING && (a.val < mins[i] || a.val > maxs[i])) {
      put_unknown(o, CSAT_REASON_OUT_OF_RANGE, a.b, a.e);
      return CSAT_OK;
    }
    if (kind == CSAT_Q_RATING)
      put(o, CSAT_REPLY_SCORE, a.val, CSAT_REASON_NONE, a.b, a.e, 0, 0);
    else
      put(o, a.val ? CSAT_REPLY_YES : CSAT_REPLY_NO, a.val, CSAT_REASON_NONE, a.b, a.e, 0, 0);
    if (af == AF_END)
      return CSAT_OK;
    if (af == AF_COMMENT) {
      if (!last && kinds[i + 1] == CSAT_Q_TEXT_COMMENT) {
        *count_out = i + 2;
        put(&out_array[i + 1], CSAT_REPLY_COMMENT, -1, CSAT_REASON_NONE, np, np, np, r.e);
      } else if (starts_phrase(&r, np) && (whole_keyword(&r, np, r.e, &kb, &ke) & CSAT__W_OPTOUT)) {
        put_unknown(o, CSAT_REASON_AMBIGUOUS, a.b, a.e); /* "5 STOP" */
      } else {
        o->comment_offset = np;
        o->comment_length = r.e - np;
      }
      return CSAT_OK;
    }
    p = np; /* AF_NEXT */
  }
}

int csat_reply_parse(const char *text, size_t len, int32_t kind, int32_t min, int32_t max,
                     csat_reply *out) {
  int32_t count;
  int rc;
  size_t ss;
  if (!out || out->struct_size < sizeof(csat_reply))
    return CSAT_ERR_INVALID_ARG;
  ss = out->struct_size; /* a newer host's larger struct: keep its size */
  rc = csat__reply_parse_seq(text, len, &kind, &min, &max, 1, out, &count);
  out->struct_size = ss;
  return rc;
}
