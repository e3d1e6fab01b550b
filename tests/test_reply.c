/*
 * Reply understanding: the corpus tests/replies/corpus.tsv (format at its
 * top), then properties that must hold for any input: every prefix of every
 * corpus message and random bytes parse without crashing, with offsets inside
 * the input; huge messages complete (linear time).
 * SPDX-License-Identifier: MIT
 */
#include "registry.h"
#include "csat.h"
#include "reply/reply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_Q 8

static const char *reason_name(int32_t r) {
  switch (r) {
  case CSAT_REASON_NONE: return "none";
  case CSAT_REASON_NO_NUMBER: return "no_number";
  case CSAT_REASON_OUT_OF_RANGE: return "out_of_range";
  case CSAT_REASON_AMBIGUOUS: return "ambiguous";
  case CSAT_REASON_SEVERAL_NUMBERS: return "several_numbers";
  case CSAT_REASON_NEGATIVE: return "negative";
  case CSAT_REASON_INVALID_UTF8: return "invalid_utf8";
  default: return "?";
  }
}

/* Append printable text to buf (bounded). */
static void app(char *buf, size_t cap, const char *s, size_t n) {
  size_t l = strlen(buf);
  if (l + n >= cap)
    n = cap - l - 1;
  memcpy(buf + l, s, n);
  buf[l + n] = 0;
}

/* One reading in the corpus notation. */
static void format_reading(const csat_reply *r, const char *msg, char *buf, size_t cap) {
  char t[64];
  buf[0] = 0;
  switch (r->kind) {
  case CSAT_REPLY_SCORE: snprintf(t, sizeof t, "score %d", (int)r->score); break;
  case CSAT_REPLY_YES: snprintf(t, sizeof t, "yes"); break;
  case CSAT_REPLY_NO: snprintf(t, sizeof t, "no"); break;
  case CSAT_REPLY_OPT_OUT: snprintf(t, sizeof t, "opt_out"); break;
  case CSAT_REPLY_HELP: snprintf(t, sizeof t, "help"); break;
  case CSAT_REPLY_EMPTY: snprintf(t, sizeof t, "empty"); break;
  case CSAT_REPLY_UNKNOWN: snprintf(t, sizeof t, "unknown %s", reason_name(r->reason)); break;
  case CSAT_REPLY_COMMENT:
    app(buf, cap, "comment ", 8);
    app(buf, cap, msg + r->comment_offset, r->comment_length);
    return;
  default: snprintf(t, sizeof t, "kind %d", (int)r->kind); break;
  }
  app(buf, cap, t, strlen(t));
  if (r->comment_length) {
    app(buf, cap, " | comment ", 11);
    app(buf, cap, msg + r->comment_offset, r->comment_length);
  }
}

/* \t \n \r \\ \xHH */
static size_t unescape(const char *in, char *out) {
  size_t n = 0;
  while (*in) {
    if (in[0] == '\\' && in[1]) {
      char c = in[1];
      in += 2;
      if (c == 't')
        out[n++] = '\t';
      else if (c == 'n')
        out[n++] = '\n';
      else if (c == 'r')
        out[n++] = '\r';
      else if (c == 'x' && in[0] && in[1]) {
        char h[3] = {in[0], in[1], 0};
        out[n++] = (char)strtoul(h, NULL, 16);
        in += 2;
      } else
        out[n++] = c;
    } else
      out[n++] = *in++;
  }
  out[n] = 0;
  return n;
}

static int parse_kind(const char *s, int32_t *k) {
  if (!strcmp(s, "rating"))
    *k = CSAT_Q_RATING;
  else if (!strcmp(s, "yes_no"))
    *k = CSAT_Q_YES_NO;
  else if (!strcmp(s, "comment"))
    *k = CSAT_Q_TEXT_COMMENT;
  else
    return 0;
  return 1;
}

/* Split s at `sep` into at most max parts (in place). */
static int split(char *s, char sep, char **parts, int max) {
  int n = 0;
  parts[n++] = s;
  while (*s && n < max) {
    if (*s == sep) {
      *s = 0;
      parts[n++] = s + 1;
    }
    s++;
  }
  return n;
}

static void check_invariants(const char *msg, size_t len, const int32_t *kinds, const int32_t *mins,
                             const int32_t *maxs, int32_t n, const csat_reply *out, int32_t count,
                             const char *what) {
  int32_t i;
  check_count++;
  if ((out[0].kind == CSAT_REPLY_UNKNOWN && out[0].reason == CSAT_REASON_INVALID_UTF8) !=
      !csat__utf8_valid(msg, len)) {
    check_failures++;
    fprintf(stderr, "%s: INVALID_UTF8 reading disagrees with the validator\n", what);
  }
  if (count < 1 || count > n) {
    check_failures++;
    fprintf(stderr, "%s: count %d outside 1..%d\n", what, (int)count, (int)n);
    return;
  }
  for (i = 0; i < count; i++) {
    const csat_reply *r = &out[i];
    int bad = 0;
    check_count++;
    if (r->answer_offset > len || r->answer_length > len - r->answer_offset)
      bad = 1;
    if (r->comment_offset > len || r->comment_length > len - r->comment_offset)
      bad = 2;
    if (r->kind < CSAT_REPLY_SCORE || r->kind > CSAT_REPLY_COMMENT)
      bad = 3;
    if (r->kind == CSAT_REPLY_SCORE &&
        (kinds[i] != CSAT_Q_RATING || r->score < mins[i] || r->score > maxs[i]))
      bad = 4;
    if ((r->kind == CSAT_REPLY_YES && r->score != 1) || (r->kind == CSAT_REPLY_NO && r->score != 0))
      bad = 5;
    if (r->kind != CSAT_REPLY_UNKNOWN && r->reason != CSAT_REASON_NONE)
      bad = 6;
    if (r->kind == CSAT_REPLY_UNKNOWN && r->reason == CSAT_REASON_NONE)
      bad = 7;
    if (r->comment_length && r->answer_length &&
        r->comment_offset < r->answer_offset + r->answer_length &&
        r->answer_offset < r->comment_offset + r->comment_length)
      bad = 8;
    if (r->comment_length && (r->comment_offset + r->comment_length > len ||
                              !csat__utf8_valid(msg + r->comment_offset, r->comment_length)))
      bad = 9;
    if (i + 1 < count && r->kind != CSAT_REPLY_SCORE && r->kind != CSAT_REPLY_YES &&
        r->kind != CSAT_REPLY_NO)
      bad = 10; /* only the last reading may be anything but an answer */
    if (i + 1 < count && r->comment_length)
      bad = 11;
    if (bad) {
      check_failures++;
      fprintf(stderr, "%s: reading %d breaks invariant %d\n", what, (int)i, bad);
    }
  }
  (void)msg;
}

static int32_t run(const char *msg, size_t len, const int32_t *kinds, const int32_t *mins,
                   const int32_t *maxs, int32_t n, csat_reply *out, const char *what) {
  int32_t count = 0;
  int rc;
  if (n == 1) {
    out[0].struct_size = sizeof out[0];
    rc = csat_reply_parse(msg, len, kinds[0], mins[0], maxs[0], &out[0]);
    count = 1;
  } else
    rc = csat__reply_parse_seq(msg, len, kinds, mins, maxs, n, out, &count);
  if (rc != CSAT_OK) {
    check_failures++;
    fprintf(stderr, "%s: rc %d\n", what, rc);
    return 0;
  }
  check_invariants(msg, len, kinds, mins, maxs, n, out, count, what);
  return count;
}

/* Every prefix of msg, for every kind, parses and keeps the invariants. */
static void prefixes(const char *msg, size_t len) {
  static const int32_t kinds[3] = {CSAT_Q_RATING, CSAT_Q_YES_NO, CSAT_Q_TEXT_COMMENT};
  static const int32_t mins[3] = {1, 0, 0}, maxs[3] = {5, 1, 0};
  static const int32_t sk[3] = {CSAT_Q_RATING, CSAT_Q_YES_NO, CSAT_Q_RATING};
  static const int32_t smin[3] = {0, 0, 1}, smax[3] = {10, 1, 5};
  size_t k;
  csat_reply out[3];
  for (k = 0; k <= len; k++) {
    int j;
    char *copy = malloc(k + 1); /* exact size: ASan sees any read past the end */
    if (!copy)
      abort();
    memcpy(copy, msg, k);
    for (j = 0; j < 3; j++)
      run(copy, k, &kinds[j], &mins[j], &maxs[j], 1, out, "prefix");
    run(copy, k, sk, smin, smax, 3, out, "prefix seq");
    free(copy);
  }
}

static int corpus(const char *path, int *lines_out) {
  FILE *f = fopen(path, "rb");
  char line[8192], msg[8192], exp_buf[8192], got[16384], want[16384];
  int lineno = 0, cases = 0, failed = 0;
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    check_failures++;
    return 0;
  }
  while (fgets(line, sizeof line, f)) {
    char *fld[7], *kp[MAX_Q], *mnp[MAX_Q], *mxp[MAX_Q], *ep[MAX_Q];
    int nf, nk, i;
    int32_t kinds[MAX_Q], mins[MAX_Q], maxs[MAX_Q], count;
    csat_reply out[MAX_Q];
    size_t len, L = strlen(line);
    lineno++;
    while (L && (line[L - 1] == '\n' || line[L - 1] == '\r'))
      line[--L] = 0;
    if (L == 0 || line[0] == '#')
      continue;
    nf = split(line, '\t', fld, 7);
    if (nf < 5) {
      fprintf(stderr, "%s:%d: malformed line (%d fields)\n", path, lineno, nf);
      check_failures++;
      continue;
    }
    nk = split(fld[0], ',', kp, MAX_Q);
    if (split(fld[1], ',', mnp, MAX_Q) != nk || split(fld[2], ',', mxp, MAX_Q) != nk) {
      fprintf(stderr, "%s:%d: kinds and scales differ in count\n", path, lineno);
      check_failures++;
      continue;
    }
    for (i = 0; i < nk; i++) {
      if (!parse_kind(kp[i], &kinds[i])) {
        fprintf(stderr, "%s:%d: unknown kind %s\n", path, lineno, kp[i]);
        check_failures++;
        nk = 0;
        break;
      }
      mins[i] = (int32_t)atoi(mnp[i]);
      maxs[i] = (int32_t)atoi(mxp[i]);
    }
    if (nk == 0)
      continue;
    len = unescape(fld[3], msg);
    unescape(fld[4], exp_buf);
    cases++;
    count = run(msg, len, kinds, mins, maxs, nk, out, "corpus");
    got[0] = 0;
    for (i = 0; i < count; i++) {
      char one[8192];
      format_reading(&out[i], msg, one, sizeof one);
      if (i)
        app(got, sizeof got, " ;; ", 4);
      app(got, sizeof got, one, strlen(one));
    }
    /* the expected readings, separated by " ;; " */
    {
      int ne = 0;
      char *s = exp_buf;
      want[0] = 0;
      while (s && ne < MAX_Q) {
        char *sep = strstr(s, " ;; ");
        if (sep)
          *sep = 0;
        ep[ne++] = s;
        s = sep ? sep + 4 : NULL;
      }
      for (i = 0; i < ne; i++) {
        if (i)
          app(want, sizeof want, " ;; ", 4);
        app(want, sizeof want, ep[i], strlen(ep[i]));
      }
    }
    check_count++;
    if (strcmp(got, want) != 0) {
      failed++;
      check_failures++;
      fprintf(stderr, "%s:%d: %s\n  expected: %s\n  got:      %s\n", path, lineno, fld[3], want,
              got);
    }
    prefixes(msg, len);
  }
  fclose(f);
  printf("corpus: %d messages, %d failed\n", cases, failed);
  *lines_out = cases;
  return failed;
}

/* ---- random input ------------------------------------------------------- */

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (uint32_t)(rng >> 16);
}

TEST(random_inputs) {
  static const char *const atoms[] = {"5",
                                      "4",
                                      "10",
                                      "0",
                                      "-",
                                      "/",
                                      " ",
                                      ".",
                                      ",",
                                      "!",
                                      "?",
                                      " из ",
                                      " out of ",
                                      " or ",
                                      "пять",
                                      "Пятёрка",
                                      "five",
                                      "pięć",
                                      "다섯",
                                      "오",
                                      "네",
                                      "개",
                                      "점",
                                      "to'rt",
                                      "besh",
                                      "тўрт",
                                      "yes",
                                      "нет",
                                      "tak",
                                      "yo'q",
                                      "\xef\xbc\x95",
                                      "\xd9\xa4",
                                      "\xe2\xad\x90",
                                      "\xef\xb8\x8f",
                                      "\xe2\x83\xa3",
                                      "\xf0\x9f\x94\x9f",
                                      "\xf0\x9f\x91\x8d",
                                      "\xe2\x98\x85",
                                      "\xe2\x98\x86",
                                      "STOP",
                                      "help",
                                      "\n",
                                      "\t",
                                      "\xc2\xa0",
                                      "dan",
                                      "만점에",
                                      "stars",
                                      "x",
                                      "\xe2\x80\x99",
                                      "'",
                                      "spasibo",
                                      "\x80",
                                      "\xff",
                                      "\xe2\x82",
                                      "\xf0\x9f"};
  char buf[512];
  int32_t kinds[3] = {CSAT_Q_RATING, CSAT_Q_YES_NO, CSAT_Q_RATING};
  int32_t mins[3] = {1, 0, 0}, maxs[3] = {5, 1, 10};
  csat_reply out[3];
  int it;
  for (it = 0; it < 40000; it++) {
    size_t len = 0, want = rnd() % 200, i;
    int32_t n = (int32_t)(rnd() % 3) + 1;
    char *copy;
    if (it & 1) {
      for (i = 0; i < want; i++)
        buf[len++] = (char)rnd();
    } else {
      while (len < want) {
        const char *a = atoms[rnd() % (sizeof atoms / sizeof atoms[0])];
        size_t al = strlen(a);
        if (len + al > sizeof buf)
          break;
        memcpy(buf + len, a, al);
        len += al;
      }
    }
    copy = malloc(len ? len : 1);
    if (!copy)
      abort();
    memcpy(copy, buf, len);
    kinds[0] = (it & 2) ? CSAT_Q_RATING : CSAT_Q_YES_NO;
    run(copy, len, kinds, mins, maxs, n, out, "random");
    free(copy);
  }
}

/* Huge inputs complete (each is a single linear pass). */
TEST(huge_inputs) {
  const size_t N = 10u * 1024u * 1024u;
  char *big = malloc(N);
  csat_reply r;
  size_t i;
  if (!big)
    abort();
  r.struct_size = sizeof r;
  for (i = 0; i < N; i += 2) {
    big[i] = '4';
    big[i + 1] = ' ';
  }
  CHECK_INT(csat_reply_parse(big, N, CSAT_Q_RATING, 1, 5, &r), CSAT_OK);
  CHECK_INT(r.kind, CSAT_REPLY_UNKNOWN);
  CHECK_INT(r.reason, CSAT_REASON_SEVERAL_NUMBERS);

  memset(big, '4', N); /* one enormous number */
  CHECK_INT(csat_reply_parse(big, N, CSAT_Q_RATING, 1, 5, &r), CSAT_OK);
  CHECK_INT(r.reason, CSAT_REASON_OUT_OF_RANGE);

  memset(big, 'a', N); /* one enormous word, then a score: comment before it */
  big[N - 2] = ' ';
  big[N - 1] = '5';
  CHECK_INT(csat_reply_parse(big, N, CSAT_Q_RATING, 1, 5, &r), CSAT_OK);
  CHECK_INT(r.kind, CSAT_REPLY_SCORE);
  CHECK_INT(r.comment_length, N - 2);

  for (i = 0; i + 4 <= N; i += 4) /* ⭐ + space, repeated */
    memcpy(big + i, "\xe2\xad\x90 ", 4);
  CHECK_INT(csat_reply_parse(big, N, CSAT_Q_RATING, 1, 5, &r), CSAT_OK);
  CHECK_INT(r.reason, CSAT_REASON_OUT_OF_RANGE);

  for (i = 0; i + 2 <= N; i += 2) /* "5 great great great ..." */
    memcpy(big + i, "x ", 2);
  big[0] = '5';
  CHECK_INT(csat_reply_parse(big, N, CSAT_Q_TEXT_COMMENT, 0, 0, &r), CSAT_OK);
  CHECK_INT(r.kind, CSAT_REPLY_COMMENT);
  CHECK_INT(csat_reply_parse(big, N, CSAT_Q_RATING, 1, 5, &r), CSAT_OK);
  CHECK_INT(r.kind, CSAT_REPLY_SCORE);

  memset(big, ' ', N);
  CHECK_INT(csat_reply_parse(big, N, CSAT_Q_RATING, 1, 5, &r), CSAT_OK);
  CHECK_INT(r.kind, CSAT_REPLY_EMPTY);
  memset(big, '.', N);
  big[N - 1] = '4';
  CHECK_INT(csat_reply_parse(big, N, CSAT_Q_RATING, 1, 5, &r), CSAT_OK);
  CHECK_INT(r.kind, CSAT_REPLY_SCORE);
  free(big);
}

TEST(api) {
  csat_reply r, seq[3];
  int32_t k[2] = {CSAT_Q_RATING, CSAT_Q_VOICE_COMMENT}, mn[2] = {1, 0}, mx[2] = {5, 0}, c;
  memset(&r, 0, sizeof r);
  r.struct_size = sizeof r;
  CHECK_INT(csat_reply_parse("5", 1, CSAT_Q_RATING, 1, 5, NULL), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_reply_parse(NULL, 1, CSAT_Q_RATING, 1, 5, &r), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_reply_parse("5", 1, CSAT_Q_VOICE_COMMENT, 0, 0, &r), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_reply_parse("5", 1, 99, 0, 0, &r), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_reply_parse("5", 1, CSAT_Q_RATING, 5, 5, &r), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_reply_parse("5", 1, CSAT_Q_RATING, -1, 5, &r), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_reply_parse("5", 1, CSAT_Q_RATING, 0, 11, &r), CSAT_ERR_INVALID_ARG);
  r.struct_size = sizeof r - 1;
  CHECK_INT(csat_reply_parse("5", 1, CSAT_Q_RATING, 1, 5, &r), CSAT_ERR_INVALID_ARG);
  r.struct_size = sizeof r;
  CHECK_INT(csat_reply_parse(NULL, 0, CSAT_Q_RATING, 1, 5, &r), CSAT_OK);
  CHECK_INT(r.kind, CSAT_REPLY_EMPTY);
  CHECK_INT(r.struct_size, sizeof r);
  /* YES_NO and TEXT_COMMENT ignore the scale */
  CHECK_INT(csat_reply_parse("yes", 3, CSAT_Q_YES_NO, 7, 3, &r), CSAT_OK);
  CHECK_INT(r.kind, CSAT_REPLY_YES);
  CHECK_INT(r.score, 1);
  CHECK_INT(r.answer_offset, 0);
  CHECK_INT(r.answer_length, 3);
  CHECK_INT(csat_reply_parse("  4. Good  ", 11, CSAT_Q_RATING, 1, 5, &r), CSAT_OK);
  CHECK_INT(r.answer_offset, 2);
  CHECK_INT(r.answer_length, 1);
  CHECK_INT(r.comment_offset, 5);
  CHECK_INT(r.comment_length, 4);
  CHECK_INT(csat_reply_parse(" fine ", 6, CSAT_Q_TEXT_COMMENT, 0, 0, &r), CSAT_OK);
  CHECK_INT(r.comment_offset, 1);
  CHECK_INT(r.comment_length, 4);
  CHECK_INT(csat__reply_parse_seq("5", 1, k, mn, mx, 2, seq, &c), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat__reply_parse_seq("5", 1, k, mn, mx, 0, seq, &c), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat__reply_parse_seq("5", 1, k, mn, mx, 1, NULL, &c), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat__reply_parse_seq("5", 1, k, mn, mx, 1, seq, NULL), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat__reply_parse_seq("5", 1, k, mn, mx, 1, seq, &c), CSAT_OK);
  CHECK_INT(c, 1);
  CHECK_INT(seq[0].score, 5);
  CHECK_INT(seq[0].struct_size, sizeof seq[0]);
}

/* Where the answer stands: the bytes answer_offset/length cover. */
TEST(answer_spans) {
  static const struct {
    int32_t kind, min, max;
    const char *msg, *answer, *comment;
  } cases[] = {
      {CSAT_Q_RATING, 1, 5, "  4. Good  ", "4", "Good"},
      {CSAT_Q_RATING, 1, 5,
       "\xd0\x9e\xd1\x86\xd0\xb5\xd0\xbd\xd0\xba\xd0\xb0: 4 \xd0\xb8\xd0\xb7 5, ok",
       "4 \xd0\xb8\xd0\xb7 5", "ok"},
      {CSAT_Q_RATING, 1, 5, "4 out of 5 stars - slow", "4 out of 5 stars", "slow"},
      {CSAT_Q_RATING, 1, 5, "great service 5", "5", "great service"},
      {CSAT_Q_RATING, 1, 5, "\xe2\xad\x90\xe2\xad\x90\xe2\xad\x90 meh",
       "\xe2\xad\x90\xe2\xad\x90\xe2\xad\x90", "meh"},
      {CSAT_Q_RATING, 1, 5, "4\xef\xb8\x8f\xe2\x83\xa3!", "4\xef\xb8\x8f\xe2\x83\xa3", ""},
      {CSAT_Q_RATING, 1, 5, "5\xec\xa0\x90 \xeb\xa7\x8c\xec\xa0\x90\xec\x97\x90 4\xec\xa0\x90",
       "5\xec\xa0\x90 \xeb\xa7\x8c\xec\xa0\x90\xec\x97\x90 4\xec\xa0\x90", ""},
      {CSAT_Q_RATING, 1, 5, "-3", "-3", ""},
      {CSAT_Q_RATING, 1, 5, "45", "45", ""},
      {CSAT_Q_YES_NO, 0, 1, "  Yes, fine", "Yes", "fine"},
      {CSAT_Q_RATING, 1, 5, " STOP! ", "STOP", ""},
      {CSAT_Q_TEXT_COMMENT, 0, 0, "  so so  ", "", "so so"},
  };
  size_t i;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    csat_reply r;
    const char *m = cases[i].msg;
    r.struct_size = sizeof r;
    CHECK_INT(csat_reply_parse(m, strlen(m), cases[i].kind, cases[i].min, cases[i].max, &r),
              CSAT_OK);
    check_count++;
    if (r.answer_length != strlen(cases[i].answer) ||
        memcmp(m + r.answer_offset, cases[i].answer, r.answer_length) != 0 ||
        r.comment_length != strlen(cases[i].comment) ||
        memcmp(m + r.comment_offset, cases[i].comment, r.comment_length) != 0) {
      check_failures++;
      fprintf(stderr, "span of \"%s\": answer \"%.*s\" comment \"%.*s\"\n", m, (int)r.answer_length,
              m + r.answer_offset, (int)r.comment_length, m + r.comment_offset);
    }
  }
}

/* The word table is sorted (binary search) and every word finds itself. */
TEST(word_table) {
  size_t i;
  for (i = 0; i < csat__reply_words_count; i++) {
    const csat__word *w = &csat__reply_words[i];
    int32_t num = -1;
    CHECK_INT(strlen(w->w), w->len);
    if (i > 0) {
      const csat__word *p = &csat__reply_words[i - 1];
      CHECK(p->len < w->len || (p->len == w->len && memcmp(p->w, w->w, w->len) < 0));
    }
    CHECK_INT(csat__reply_word_lookup(w->w, w->len, &num), w->flags);
    CHECK_INT(num, w->num);
  }
}

/* Set by --corpus PATH (default replies/corpus.tsv, relative to tests/). */
static const char *corpus_path = "replies/corpus.tsv";

TEST(corpus) {
  int lines = 0;
  corpus(corpus_path, &lines);
  CHECK(lines >= 300);
}

static const test_case tests[] = {
    TEST_ENTRY(api),    TEST_ENTRY(word_table),    TEST_ENTRY(answer_spans),
    TEST_ENTRY(corpus), TEST_ENTRY(random_inputs), TEST_ENTRY(huge_inputs),
};

/* test_reply [--corpus PATH] [--list] [filter] */
int main(int argc, char **argv) {
  const char *path = test_option(&argc, argv, "--corpus");
  if (path != NULL)
    corpus_path = path;
  return test_main(argc, argv, tests, TEST_COUNT(tests));
}
