/*
 * The reply reader's scanner: character classes, case folding, words and
 * tokens over a validated UTF-8 message. Shared by reply_scan.c (which
 * implements it) and reply.c (which interprets the tokens). Not installed.
 * SPDX-License-Identifier: MIT
 */
#ifndef CSAT_REPLY_SCAN_H
#define CSAT_REPLY_SCAN_H

#include "reply.h"

#if defined(__GNUC__)
#  define CSAT__INLINE inline __attribute__((always_inline))
#else
#  define CSAT__INLINE inline
#endif

/* ---- characters --------------------------------------------------------- */

enum { C_LETTER = 0, C_WS, C_PUNCT, C_APOS, C_SYM, C_DIGIT };

/* Class of a code point >= 0x80 (C_*). */
int csat__reply_cls_high(uint32_t c);
/* Value of a decimal digit (Unicode Nd) >= U+0660, or -1. */
int csat__reply_digit_high(uint32_t c);
/* Lower case for the scripts whose words the table holds; ё as е. */
uint32_t csat__reply_fold(uint32_t c);

/* Value of a decimal digit of any script, or -1. */
static CSAT__INLINE int digit_value(uint32_t c) {
  if (c - '0' < 10u)
    return (int)(c - '0');
  if (c < 0x660)
    return -1;
  return csat__reply_digit_high(c);
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
  return csat__reply_cls_high(c);
}

/* ---- the message -------------------------------------------------------- */

struct tcache;

typedef struct rd {
  const unsigned char *s;
  size_t e;          /* end of the trimmed message: every decode stays below it */
  int list_comma;    /* several answers: a comma between digits separates them */
  struct tcache *tc; /* the last tokens read (look-ahead reads them again) */
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

static CSAT__INLINE uint32_t peek(const rd *r, size_t p, size_t *l) {
  if (p >= r->e) {
    *l = 0;
    return NO_CP;
  }
  return dec(r, p, l);
}

/* ---- words and tokens --------------------------------------------------- */

#define WORD_CAP 64

typedef struct word {
  char buf[WORD_CAP];
  uint32_t hash; /* of buf[0..len) */
  size_t len;    /* bytes in buf; 0 when the word is too long to be known */
  size_t end;    /* input offset after the word */
  int hangul;    /* starts with a Hangul syllable */
} word;

#define W_NUMBERISH (CSAT__W_NUM | CSAT__W_KODET | CSAT__W_WHOLE)

enum { T_END, T_NUM, T_WORD, T_PUNCT, T_SYM, T_THUMB };
enum { N_DIGITS = 1, N_STARS, N_TEN };

typedef struct tok {
  size_t b, e;           /* input span */
  int32_t val;           /* number value (T_NUM, number words) */
  int32_t white;         /* N_STARS: empty stars */
  uint32_t flags;        /* T_WORD: CSAT__W_* */
  uint32_t cp;           /* T_PUNCT / T_SYM: the code point */
  unsigned char type;    /* T_* */
  unsigned char nk;      /* T_NUM: N_* */
  unsigned char counter; /* T_WORD: a Korean counter was attached */
  unsigned char yes;     /* T_THUMB: 1 up, 0 down */
} tok;

#define VAL_CAP 1000000

static CSAT__INLINE int is_star(uint32_t c) { return c == 0x2B50 || c == 0x1F31F || c == 0x2605; }

#define TC_N 4
typedef struct tcache {
  size_t key[TC_N];
  tok t[TC_N];
  unsigned next;
} tcache;

/* Skip white space. */
size_t csat__reply_skip_ws(const rd *r, size_t p);
/* Skip white space and punctuation. */
size_t csat__reply_skip_sep(const rd *r, size_t p);
/* Read the word at p (a letter), normalised, into *w. */
void csat__reply_read_word(const rd *r, size_t p, word *w);
/* Read the token at p (T_END at the end); through the cache when r->tc is set. */
void csat__reply_read_tok(const rd *r, size_t p, tok *t);

/* Short names inside the reply reader. */
#define skip_ws csat__reply_skip_ws
#define skip_sep csat__reply_skip_sep
#define read_word csat__reply_read_word
#define read_tok csat__reply_read_tok

#endif
