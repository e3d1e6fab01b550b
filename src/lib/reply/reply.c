/*
 * Understanding one customer message on a text channel: csat_reply_parse
 * (csat.h) and csat__reply_parse_seq (reply.h).
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
 *       - digits counting something else ("2 hours on hold", "3 раза", "30분"):
 *         AMBIGUOUS;
 *       - "-3": NEGATIVE; outside the scale ("0", "45" on 1..5): OUT_OF_RANGE;
 *       - a score with an opt-out word as the whole rest ("5 STOP", "STOP 5"):
 *         AMBIGUOUS (neither stored as an answer nor taken as an opt-out).
 *     The comment may hold numbers ("4. Waited 20 minutes") once words began.
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
 *     word without punctuation ("No problem") is AMBIGUOUS. "y" and "n" count
 *     only alone ("n/a" is not a no).
 *  7. Several answers (csat__reply_parse_seq): answers in a row separated by
 *     white space, "," or ";" ("5 4 5", "5,4,5"); see reply.h.
 *
 * Linear time: every scan moves forward; look-ahead is bounded to a few
 * tokens. Words longer than the table's longest are read but never looked up.
 * No allocation, no locale, no globals but const tables.
 * SPDX-License-Identifier: MIT
 */
#include "reply_scan.h"

#include <string.h>

/* ---- characters the reader cares about --------------------------------- */

static int is_dash(uint32_t c) {
  return c == '-' || c == '~' || (c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0xFF0D ||
         c == 0x301C || c == 0xFF5E;
}

static int is_minus(uint32_t c) { return c == '-' || c == 0x2212 || c == 0x2013 || c == 0xFF0D; }

static int is_opening(uint32_t c) {
  return c == '(' || c == '[' || c == '{' || c == '"' || c == '\'' || c == 0xAB || c == 0x201C ||
         c == 0x201E || c == 0x2018 || c == 0xBF || c == 0xA1 || c == '#' || c == '@' ||
         c == 0x300C || c == 0x300E || c == 0xFF08;
}

/* Digits next at p? */
static int digit_at(const rd *r, size_t p) {
  size_t l;
  uint32_t c = peek(r, p, &l);
  return c != NO_CP && digit_value(c) >= 0;
}

/* ---- rating answers ----------------------------------------------------- */

enum { A_OK, A_NOT, A_UNK };

typedef struct ans {
  int st; /* A_* */
  int32_t reason;
  int32_t val;
  size_t b, e; /* answer span */
  int word;    /* the number was a word */
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

/* The answer that follows the scale's maximum ("5 dan 4", "из 5 — 4"): a
 * number at v. 0 when v reads as no number (the caller decides); else 1,
 * with a's value replaced, or a marked unknown when a was not the maximum
 * or the second number is itself unclear. */
static int answer_after_max(const rd *r, const tok *v, int32_t max, ans *a) {
  ans b2;
  int rv2;
  number_core(r, v, max, &b2, &rv2);
  if (b2.st == A_NOT)
    return 0;
  if (a->val != max || b2.st == A_UNK || rv2) {
    unk(a, b2.st == A_UNK ? b2.reason : CSAT_REASON_AMBIGUOUS, b2.e);
  } else {
    a->val = b2.val;
    a->e = b2.e;
  }
  return 1;
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
    tok u;
    read_tok(r, skip_ws(r, a->e), &u);
    if ((!tok_number(&u) && !(u.type == T_WORD && (u.flags & W_NUMBERISH))) ||
        !answer_after_max(r, &u, max, a)) {
      a->st = A_NOT;
      return;
    }
    if (a->st != A_OK)
      return;
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
      tok v;
      read_tok(r, skip_ws(r, u.e), &v);
      if (!(v.type == T_NUM || (v.type == T_WORD && (v.flags & W_NUMBERISH))) ||
          !answer_after_max(r, &v, max, a))
        break;
      if (a->st != A_OK)
        return;
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
    if (u.type == T_WORD && !(u.flags & (CSAT__W_THANKS | CSAT__W_HEDGE | CSAT__W_RANGE |
                                         CSAT__W_NUM | CSAT__W_UNIT | CSAT__W_YES | CSAT__W_NO)))
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
    if (u.type == T_WORD &&
        !(u.flags & (CSAT__W_THANKS | CSAT__W_HEDGE | CSAT__W_RANGE | CSAT__W_YES | CSAT__W_NO)))
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
static int after_answer(const rd *r, size_t p, int32_t check_kind, int32_t check_max, int cur_yes,
                        size_t *np) {
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
    if (check_kind == CSAT_Q_YES_NO
            ? tok_polarity(&u) >= 0
            : (tok_number(&u) || (u.type == T_WORD && (u.flags & CSAT__W_KODET))))
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

static void put(csat_reply *o, int32_t kind, int32_t score, int32_t reason, size_t ab, size_t ae,
                size_t cb, size_t ce) {
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
  return t.type != T_WORD || (t.flags & (CSAT__W_OPTOUT | CSAT__W_HELP | CSAT__W_PHRASE)) != 0;
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
        if (q > b) { /* digits glued to a word ("iPhone5") are not a score */
          size_t s0 = q - 1;
          while (s0 > b && (r->s[s0] & 0xC0) == 0x80)
            s0--;
          if (cls(dec(r, s0, &l)) == C_LETTER && a1.st == A_OK)
            a1.st = A_NOT;
        }
        neg = neg_at == q;
        neg_b = minus_at;
        if (a.st == A_NOT) {
          a1.b = t.b;
          a1.e = t.e;
        }
        q = a1.e > t.e ? a1.e : t.e;
        continue;
      }
      put_unknown(o, (hedge || dash) ? CSAT_REASON_AMBIGUOUS : CSAT_REASON_SEVERAL_NUMBERS, a1.b,
                  a1.e);
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
      if (!(cls(c) == C_WS || c == ',' || c == ':' || c == ';' || is_dash(c) || is_opening(c)))
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

/* Length of the valid UTF-8 prefix: ASCII, two-byte letters (Cyrillic,
 * Polish) and E1..EC three-byte sequences inline, the rest through
 * csat__utf8_invalid_at. */
static size_t valid_prefix(const unsigned char *s, size_t len) {
  size_t i = 0;
  while (i < len) {
    unsigned c = s[i];
    if (c < 0x80)
      i++;
    else if (c >= 0xC2 && c <= 0xDF && i + 1 < len && (s[i + 1] & 0xC0) == 0x80)
      i += 2;
    else if (c >= 0xE1 && c <= 0xEC && i + 2 < len && (s[i + 1] & 0xC0) == 0x80 &&
             (s[i + 2] & 0xC0) == 0x80)
      i += 3; /* Hangul, symbols: no overlong or surrogate forms start here */
    else {
      /* a longer sequence: validate one code point's worth, then go on */
      size_t k = i + 1;
      while (k < len && k < i + 4 && (s[k] & 0xC0) == 0x80)
        k++;
      if (csat__utf8_invalid_at((const char *)s + i, k - i) != k - i)
        return i + csat__utf8_invalid_at((const char *)s + i, k - i);
      i = k;
    }
  }
  return i;
}

int csat__reply_parse_seq(const char *text, size_t len, const int32_t *kinds, const int32_t *mins,
                          const int32_t *maxs, int32_t n, csat_reply *out_array,
                          int32_t *count_out) {
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
  inv = valid_prefix((const unsigned char *)text, len);
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
    /* when the message starts with a non-ASCII character, skip emoji and
     * punctuation before the first word: "🛑 STOP" */
    while (q < r.e && r.s[p] >= 0x80) {
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
      if (a.st != A_NOT) {
        /* "оценка -3": a minus glued to the digits after a space is a sign */
        size_t m = q - 1, m0;
        while (m > p && (r.s[m] & 0xC0) == 0x80)
          m--;
        m0 = m > p ? m - 1 : p;
        while (m0 > p && (r.s[m0] & 0xC0) == 0x80)
          m0--;
        if (digit_at(&r, q) && is_minus(dec(&r, m, &l)) && m > p && cls(dec(&r, m0, &l)) == C_WS) {
          put_unknown(&out_array[0], CSAT_REASON_NEGATIVE, m, a.e);
          return CSAT_OK;
        }
        p = q;
      }
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
      af = after_answer(&r, a.e, ck, cmax, (last && kind == CSAT_Q_YES_NO) ? (int)a.val : -1, &np);
      if (af != AF_SAME)
        break;
      a.e = np; /* "да да" */
    }
    if (af == AF_NEXT && last) {
      *count_out = 1;
      put_unknown(&out_array[0],
                  kind == CSAT_Q_RATING ? CSAT_REASON_SEVERAL_NUMBERS : CSAT_REASON_AMBIGUOUS,
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
  csat_reply r;
  int32_t count;
  int rc;
  size_t n;
  if (!out || out->struct_size < CSAT__V1_SIZE(csat_reply))
    return CSAT_ERR_INVALID_ARG;
  /* Read into our own struct, then fill the caller's up to the smaller of
   * the two sizes: an older host's struct may be shorter than ours, a newer
   * one's members past ours are not written, and struct_size says how much. */
  n = CSAT__FILL_SIZE(csat_reply, out->struct_size);
  memset(&r, 0, sizeof r);
  rc = csat__reply_parse_seq(text, len, &kind, &min, &max, 1, &r, &count);
  if (rc != CSAT_OK)
    return rc;
  r.struct_size = n;
  memcpy(out, &r, n);
  return rc;
}
