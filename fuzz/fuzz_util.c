/* Shared fuzz harness code (see fuzz_common.h).
 * SPDX-License-Identifier: MIT */
#include "fuzz_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fz_fail(const char *file, int line, const char *what) {
  fprintf(stderr, "%s:%d: invariant violated: %s\n", file, line, what);
  fflush(stderr);
  abort();
}

static void *fz_xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (p == NULL) {
    fprintf(stderr, "fuzz harness: out of memory\n");
    abort();
  }
  return p;
}

static char *fz_strdup(const char *s) {
  size_t n;
  char *p;
  if (s == NULL)
    return NULL;
  n = strlen(s);
  p = fz_xmalloc(n + 1);
  memcpy(p, s, n + 1);
  return p;
}

/* ---- counting, failing allocator ---------------------------------------- */

/* Each block carries a header with its size and a mark, so that a free or a
 * realloc of a block that is not ours (or of one freed before) is caught. */
typedef union fz_block {
  struct {
    size_t size;
    unsigned long mark;
  } h;
  long double align_ld;
  void *align_p;
  int64_t align_i;
} fz_block;

#define FZ_BLOCK_MARK 0x5a17c0deUL
#define FZ_BLOCK_DEAD 0xdeadb10cUL

static int fz_alloc_fails(fz_alloc *a) {
  if (!a->armed)
    return 0;
  a->count++;
  if (a->fail_at != 0 && (a->count == a->fail_at || (a->persistent && a->count > a->fail_at))) {
    a->failures++;
    return 1;
  }
  return 0;
}

static void *fz_alloc_malloc(size_t n, void *user) {
  fz_alloc *a = user;
  fz_block *b;
  if (fz_alloc_fails(a))
    return NULL;
  FZ_CHECK(n > 0); /* the library never asks for 0 bytes */
  b = malloc(sizeof *b + n);
  if (b == NULL)
    abort();
  b->h.size = n;
  b->h.mark = FZ_BLOCK_MARK;
  a->live++;
  return b + 1;
}

static void fz_alloc_free(void *p, void *user) {
  fz_alloc *a = user;
  fz_block *b;
  if (p == NULL)
    return;
  b = (fz_block *)p - 1;
  FZ_CHECK(b->h.mark == FZ_BLOCK_MARK);
  b->h.mark = FZ_BLOCK_DEAD;
  FZ_CHECK(a->live > 0);
  a->live--;
  free(b);
}

static void *fz_alloc_realloc(void *p, size_t n, void *user) {
  fz_alloc *a = user;
  fz_block *b, *nb;
  if (p == NULL)
    return fz_alloc_malloc(n, user);
  b = (fz_block *)p - 1;
  FZ_CHECK(b->h.mark == FZ_BLOCK_MARK);
  if (fz_alloc_fails(a))
    return NULL; /* the old block stays valid */
  FZ_CHECK(n > 0);
  nb = malloc(sizeof *nb + n);
  if (nb == NULL)
    abort();
  nb->h.size = n;
  nb->h.mark = FZ_BLOCK_MARK;
  memcpy(nb + 1, b + 1, b->h.size < n ? b->h.size : n);
  b->h.mark = FZ_BLOCK_DEAD;
  free(b);
  return nb + 1;
}

void fz_alloc_init(fz_alloc *a, unsigned long fail_at, int persistent) {
  memset(a, 0, sizeof *a);
  a->vt.struct_size = sizeof a->vt;
  a->vt.malloc = fz_alloc_malloc;
  a->vt.realloc = fz_alloc_realloc;
  a->vt.free = fz_alloc_free;
  a->vt.user = a;
  a->fail_at = fail_at;
  a->persistent = persistent;
}

/* ---- log ---------------------------------------------------------------- */

void fz_log_add(fz_log *l, const void *s, size_t n) {
  if (l->len + n + 1 > l->cap) {
    size_t cap = l->cap ? l->cap : 256;
    char *p;
    while (cap < l->len + n + 1)
      cap *= 2;
    p = realloc(l->p, cap);
    if (p == NULL)
      abort();
    l->p = p;
    l->cap = cap;
  }
  if (n)
    memcpy(l->p + l->len, s, n);
  l->len += n;
  l->p[l->len] = '\0';
}

void fz_log_printf(fz_log *l, const char *fmt, ...) {
  char tmp[512];
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  FZ_CHECK(n >= 0 && (size_t)n < sizeof tmp);
  fz_log_add(l, tmp, (size_t)n);
}

void fz_log_str(fz_log *l, const char *s) {
  if (s == NULL) {
    fz_log_add(l, "-", 1);
    return;
  }
  fz_log_printf(l, "%zu:\"", strlen(s));
  fz_log_add(l, s, strlen(s));
  fz_log_add(l, "\"", 1);
}

void fz_log_bytes(fz_log *l, const char *s, size_t n) {
  size_t i, shown = n < 48 ? n : 48;
  fz_log_printf(l, " %zu:\"", n);
  for (i = 0; i < shown; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
      fz_log_add(l, s + i, 1);
    else
      fz_log_printf(l, "\\x%02x", c);
  }
  fz_log_add(l, shown < n ? "\"..." : "\"", shown < n ? 4 : 1);
}

void fz_log_reset(fz_log *l) {
  l->len = 0;
  if (l->p)
    l->p[0] = '\0';
}

void fz_log_free(fz_log *l) {
  free(l->p);
  l->p = NULL;
  l->len = l->cap = 0;
}

/* ---- input -------------------------------------------------------------- */

uint8_t fz_byte(fz_in *in) { return in->i < in->n ? in->p[in->i++] : 0; }
int fz_more(const fz_in *in) { return in->i < in->n; }

/* ---- validators --------------------------------------------------------- */

/* Length of the UTF-8 sequence at s[i], or 0 when it is not valid. */
static size_t fz_utf8_seq(const unsigned char *s, size_t n, size_t i) {
  unsigned c = s[i];
  size_t len, k;
  uint32_t cp;
  if (c < 0x80)
    return 1;
  if (c >= 0xc2 && c <= 0xdf) {
    len = 2;
    cp = c & 0x1f;
  } else if (c >= 0xe0 && c <= 0xef) {
    len = 3;
    cp = c & 0x0f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (n - i < len)
    return 0;
  for (k = 1; k < len; k++) {
    if ((s[i + k] & 0xc0) != 0x80)
      return 0;
    cp = (cp << 6) | (s[i + k] & 0x3fu);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
      (cp >= 0xd800 && cp <= 0xdfff))
    return 0;
  return len;
}

int fz_utf8_valid(const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    size_t k = fz_utf8_seq((const unsigned char *)s, n, i);
    if (k == 0)
      return 0;
    i += k;
  }
  return 1;
}

size_t fz_utf8_count(const char *s, size_t n) {
  size_t i, count = 0;
  for (i = 0; i < n; i++)
    if ((((unsigned char)s[i]) & 0xc0) != 0x80)
      count++;
  return count;
}

typedef struct fz_jp {
  const char *s;
  size_t n, i;
} fz_jp;

static void fz_jws(fz_jp *p) {
  while (p->i < p->n &&
         (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' || p->s[p->i] == '\r'))
    p->i++;
}

static int fz_jdigit(const fz_jp *p) { return p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9'; }

static int fz_jstring(fz_jp *p) {
  if (p->i >= p->n || p->s[p->i] != '"')
    return 0;
  p->i++;
  while (p->i < p->n) {
    unsigned char c = (unsigned char)p->s[p->i++];
    if (c == '"')
      return 1;
    if (c < 0x20)
      return 0;
    if (c == '\\') {
      int k;
      if (p->i >= p->n)
        return 0;
      c = (unsigned char)p->s[p->i++];
      if (c == 'u') {
        for (k = 0; k < 4; k++) {
          char h;
          if (p->i >= p->n)
            return 0;
          h = p->s[p->i++];
          if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F')))
            return 0;
        }
      } else if (!strchr("\"\\/bfnrt", c) || c == 0) {
        return 0;
      }
    }
  }
  return 0;
}

static int fz_jvalue(fz_jp *p, int depth) {
  char c;
  if (depth > 64)
    return 0;
  fz_jws(p);
  if (p->i >= p->n)
    return 0;
  c = p->s[p->i];
  if (c == '{' || c == '[') {
    char close = c == '{' ? '}' : ']';
    p->i++;
    fz_jws(p);
    if (p->i < p->n && p->s[p->i] == close) {
      p->i++;
      return 1;
    }
    for (;;) {
      if (c == '{') {
        fz_jws(p);
        if (!fz_jstring(p))
          return 0;
        fz_jws(p);
        if (p->i >= p->n || p->s[p->i] != ':')
          return 0;
        p->i++;
      }
      if (!fz_jvalue(p, depth + 1))
        return 0;
      fz_jws(p);
      if (p->i >= p->n)
        return 0;
      if (p->s[p->i] == ',') {
        p->i++;
        continue;
      }
      if (p->s[p->i] == close) {
        p->i++;
        return 1;
      }
      return 0;
    }
  }
  if (c == '"')
    return fz_jstring(p);
  if (c == 't' || c == 'f' || c == 'n') {
    const char *w = c == 't' ? "true" : c == 'f' ? "false" : "null";
    size_t wl = strlen(w);
    if (p->n - p->i < wl || memcmp(p->s + p->i, w, wl) != 0)
      return 0;
    p->i += wl;
    return 1;
  }
  if (c == '-')
    p->i++;
  if (!fz_jdigit(p))
    return 0;
  if (p->s[p->i] == '0') {
    p->i++;
  } else {
    while (fz_jdigit(p))
      p->i++;
  }
  if (p->i < p->n && p->s[p->i] == '.') {
    p->i++;
    if (!fz_jdigit(p))
      return 0;
    while (fz_jdigit(p))
      p->i++;
  }
  if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
    p->i++;
    if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
      p->i++;
    if (!fz_jdigit(p))
      return 0;
    while (fz_jdigit(p))
      p->i++;
  }
  return 1;
}

int fz_json_valid(const char *s, size_t n) {
  fz_jp p;
  p.s = s;
  p.n = n;
  p.i = 0;
  if (!fz_jvalue(&p, 0))
    return 0;
  fz_jws(&p);
  return p.i == n;
}

int fz_csv_record(const char *s, size_t n, int check_formula) {
  size_t i = 0;
  int fields = 0;
  for (;;) {
    char first = 0;
    int have_first = 0;
    if (i < n && s[i] == '"') {
      i++;
      for (;;) {
        if (i >= n)
          return -1;
        if (s[i] == '"') {
          if (i + 1 < n && s[i + 1] == '"') {
            if (!have_first) {
              first = '"';
              have_first = 1;
            }
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (!have_first) {
          first = s[i];
          have_first = 1;
        }
        i++;
      }
    } else {
      while (i < n && s[i] != ',' && s[i] != '\r' && s[i] != '\n') {
        if (s[i] == '"')
          return -1;
        if (!have_first) {
          first = s[i];
          have_first = 1;
        }
        i++;
      }
    }
    fields++;
    if (check_formula && have_first &&
        (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' ||
         first == '\r'))
      return -1;
    if (i < n && s[i] == ',') {
      i++;
      continue;
    }
    if (i + 2 == n && s[i] == '\r' && s[i + 1] == '\n')
      return fields;
    return -1;
  }
}

/* ---- buffers ------------------------------------------------------------ */

unsigned char *fz_save(const csat_session *s, size_t *len) {
  /* One pass in the common case: the blob size of the last call as a guess. */
  static size_t guess = 1024;
  size_t needed = 0, again = 0;
  unsigned char *buf = fz_xmalloc(guess), *exact;
  int rc = csat_session_save(s, buf, guess, &needed);
  if (rc == CSAT_ERR_BUFFER_TOO_SMALL) {
    FZ_CHECK(needed > guess && needed <= CSAT_BLOB_MAX);
    free(buf);
    guess = needed;
    buf = fz_xmalloc(needed);
    rc = csat_session_save(s, buf, needed, &again);
    FZ_CHECK(rc == CSAT_OK && again == needed);
  } else {
    FZ_CHECK(rc == CSAT_OK);
    FZ_CHECK(needed > 0 && needed <= guess);
  }
  /* Exactly sized, so that a restore reading past the end is caught. */
  exact = fz_xmalloc(needed);
  memcpy(exact, buf, needed);
  free(buf);
  *len = needed;
  return exact;
}

void fz_save_conventions(const csat_session *s, const unsigned char *blob, size_t len) {
  size_t needed = 0;
  unsigned char *shortbuf;
  int rc = csat_session_save(s, NULL, 0, &needed);
  FZ_CHECK(rc == CSAT_ERR_BUFFER_TOO_SMALL && needed == len);
  /* One byte short: refused with the same answer, nothing written past cap. */
  shortbuf = fz_xmalloc(len - 1);
  needed = 0;
  rc = csat_session_save(s, len > 1 ? shortbuf : NULL, len - 1, &needed);
  FZ_CHECK(rc == CSAT_ERR_BUFFER_TOO_SMALL && needed == len);
  if (len > 1)
    FZ_CHECK(memcmp(shortbuf, blob, len - 1) == 0);
  free(shortbuf);
}

char *fz_text(fz_text_fn fn, const void *obj, size_t *len, int *rc_out) {
  size_t needed = 0, again, cap, k;
  char *full, *part;
  int rc = fn(obj, NULL, 0, &needed);
  if (rc_out)
    *rc_out = rc;
  if (rc != CSAT_ERR_BUFFER_TOO_SMALL) {
    FZ_CHECK(rc != CSAT_OK); /* there is always at least a NUL to write */
    return NULL;
  }
  FZ_CHECK(needed < ((size_t)1 << 30));
  full = fz_xmalloc(needed + 1);
  again = 0;
  rc = fn(obj, full, needed + 1, &again);
  FZ_CHECK(rc == CSAT_OK);
  FZ_CHECK(again == needed);
  FZ_CHECK(full[needed] == '\0');
  FZ_CHECK(strlen(full) == needed); /* no NUL inside the text */
  /* Short buffers: cap = needed, 1, and a few in between; each must be
   * NUL-terminated, hold a prefix of the text and answer the same size. */
  for (k = 0; k < 4; k++) {
    cap = k == 0 ? needed : k == 1 ? 1 : k == 2 ? needed / 2 : needed / 3;
    if (cap == 0)
      continue;
    part = fz_xmalloc(cap);
    memset(part, 'x', cap);
    again = 0;
    rc = fn(obj, part, cap, &again);
    FZ_CHECK(rc == CSAT_ERR_BUFFER_TOO_SMALL);
    FZ_CHECK(again == needed);
    FZ_CHECK(part[cap - 1] == '\0');
    FZ_CHECK(memcmp(part, full, cap - 1) == 0);
    free(part);
  }
  *len = needed;
  return full;
}

int fz_jsonl_fn(const void *r, char *buf, size_t cap, size_t *needed) {
  return csat_result_to_jsonl((const csat_result *)r, buf, cap, needed);
}
int fz_csv_fn(const void *r, char *buf, size_t cap, size_t *needed) {
  return csat_result_to_csv((const csat_result *)r, buf, cap, needed);
}
int fz_csv_header_fn(const void *s, char *buf, size_t cap, size_t *needed) {
  return csat_survey_csv_header((const csat_survey *)s, buf, cap, needed);
}
int fz_survey_json_fn(const void *s, char *buf, size_t cap, size_t *needed) {
  return csat_survey_to_json((const csat_survey *)s, buf, cap, needed);
}

void fz_check_result(const csat_result *r, const csat_survey *sv, int strict_times) {
  int32_t n, i, any_flag = 0;
  int32_t outcome = csat_result_outcome(r);
  int64_t st = csat_result_started_ms(r), en = csat_result_ended_ms(r);
  const csat_contact *c = csat_result_contact(r);
  csat_answer a;
  FZ_CHECK(outcome >= CSAT_OUTCOME_NONE && outcome <= CSAT_OUTCOME_MAX);
  FZ_CHECK(strcmp(csat_result_survey_id(r), csat_survey_id(sv)) == 0);
  FZ_CHECK(csat_result_survey_version(r) == csat_survey_version(sv));
  FZ_CHECK(c != NULL && c->contact_id != NULL && c->contact_id[0] != '\0');
  /* The library trusts the host's clock ("should not go back"), so a blob
   * may legitimately carry any times; the other targets' clocks only move on. */
  if (strict_times) {
    FZ_CHECK(st >= 0 && en >= 0);
    FZ_CHECK(st == 0 || en == 0 || en >= st);
  }
  FZ_CHECK(csat_result_escalation(r) >= CSAT_ESCALATION_NONE &&
           csat_result_escalation(r) <= CSAT_ESCALATION_CALLBACK);
  n = csat_result_answer_count(r);
  FZ_CHECK(n == csat_survey_question_count(sv));
  for (i = 0; i < n; i++) {
    memset(&a, 0, sizeof a);
    a.struct_size = sizeof a;
    FZ_CHECK(csat_result_answer(r, i, &a) == CSAT_OK);
    FZ_CHECK(a.question_id != NULL && strcmp(a.question_id, csat_survey_question_id(sv, i)) == 0);
    FZ_CHECK(a.kind >= CSAT_Q_RATING && a.kind <= CSAT_Q_TEXT_COMMENT);
    FZ_CHECK(a.status >= CSAT_ANSWER_NOT_ASKED && a.status <= CSAT_ANSWER_NOT_APPLICABLE);
    if (a.status == CSAT_ANSWER_ANSWERED && (a.kind == CSAT_Q_RATING || a.kind == CSAT_Q_YES_NO))
      FZ_CHECK(a.score >= 0 && a.score <= 10);
    else
      FZ_CHECK(a.score == -1);
    FZ_CHECK(a.attempts >= 0 && a.attempts <= 9);
    FZ_CHECK(a.raw != NULL && a.comment != NULL);
    FZ_CHECK(!a.flagged || a.status == CSAT_ANSWER_ANSWERED);
    if (a.status != CSAT_ANSWER_ANSWERED)
      FZ_CHECK(a.answered_ms == 0);
    else if (strict_times)
      FZ_CHECK(a.answered_ms >= st && (en == 0 || a.answered_ms <= en));
    FZ_CHECK(fz_utf8_valid(a.raw, strlen(a.raw)) && fz_utf8_valid(a.comment, strlen(a.comment)));
    if (a.flagged)
      any_flag = 1;
  }
  FZ_CHECK((csat_result_flagged(r) != 0) == any_flag);
  memset(&a, 0, sizeof a);
  a.struct_size = sizeof a;
  FZ_CHECK(csat_result_answer(r, n, &a) == CSAT_ERR_NOT_FOUND);
  FZ_CHECK(csat_result_answer(r, -1, &a) != CSAT_OK);
}

/* ---- recording host ----------------------------------------------------- */

static int fz_decide(fz_host *h, int required) {
  unsigned c = h->ncalls++;
  int fail = h->fail_on && c < 8 && ((h->fail_mask >> c) & 1u);
  FZ_CHECK(!h->in_restore); /* csat_session_restore never calls a callback */
  if (fail) {
    h->failed_any = 1;
    if (required)
      h->failed_required = 1;
  }
  fz_log_printf(&h->log, " =%s\n", fail ? "FAIL" : "ok");
  return fail ? -1 : 0;
}

/* Prompt texts/audio of the embedded surveys begin with a tag
 * "K<kind> Q<question> L<lang>" followed by ':' (text) or ".wav" (audio). */
static void fz_check_tag(const fz_host *h, const csat_prompt *p, const char *s) {
  long kind = 0, q = 0;
  int neg = 0;
  const char *lang, *end;
  char quoted[4200];
  size_t n = strlen(s);
  FZ_CHECK(n + 3 < sizeof quoted);
  /* The text must be one of the survey's own strings. */
  quoted[0] = '"';
  memcpy(quoted + 1, s, n);
  quoted[n + 1] = '"';
  quoted[n + 2] = '\0';
  FZ_CHECK(strstr(h->survey_json, quoted) != NULL);
  FZ_CHECK(*s == 'K');
  for (s++; *s >= '0' && *s <= '9'; s++)
    kind = kind * 10 + (*s - '0');
  FZ_CHECK(s[0] == ' ' && s[1] == 'Q');
  s += 2;
  if (*s == '-') {
    neg = 1;
    s++;
  }
  for (; *s >= '0' && *s <= '9'; s++)
    q = q * 10 + (*s - '0');
  if (neg)
    q = -q;
  FZ_CHECK(s[0] == ' ' && s[1] == 'L');
  lang = s + 2;
  end = lang;
  while (*end && *end != ':' && *end != '.')
    end++;
  FZ_CHECK(kind == p->kind);
  /* A question's own prompt is only ever played for that question; a
   * survey-level one for any (the library may report -1 or the index). */
  if (q >= 0)
    FZ_CHECK(p->question == q);
  FZ_CHECK(p->kind != CSAT_PROMPT_QUESTION || q >= 0);
  FZ_CHECK(strlen(p->language) == (size_t)(end - lang) &&
           memcmp(p->language, lang, (size_t)(end - lang)) == 0);
}

static int fz_lang_eq(const char *a, size_t an, const char *b, size_t bn) {
  size_t i;
  if (an != bn)
    return 0;
  for (i = 0; i < an; i++) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z')
      x = (char)(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z')
      y = (char)(y - 'A' + 'a');
    if (x != y)
      return 0;
  }
  return 1;
}

static void fz_check_prompt(const fz_host *h, const csat_prompt *p) {
  FZ_CHECK(p != NULL);
  FZ_CHECK(p->struct_size >= sizeof(csat_prompt));
  FZ_CHECK(p->kind >= 1 && p->kind <= CSAT_PROMPT_KIND_MAX);
  FZ_CHECK(p->question == -1 || (p->question >= 0 && p->question < h->question_count));
  FZ_CHECK(p->text != NULL || p->audio != NULL);
  FZ_CHECK(p->language != NULL);
  FZ_CHECK(p->text == NULL || fz_utf8_valid(p->text, strlen(p->text)));
  FZ_CHECK(p->audio == NULL || fz_utf8_valid(p->audio, strlen(p->audio)));
  /* Voice sessions never play the text-channel prompts. */
  FZ_CHECK(!h->voice || (p->kind != CSAT_PROMPT_THANKS && p->kind != CSAT_PROMPT_INVITATION &&
                          p->kind != CSAT_PROMPT_OPT_OUT && p->kind != CSAT_PROMPT_EXPIRED));
  /* Text channels never send the voice-only prompts. */
  FZ_CHECK(h->voice || (p->kind != CSAT_PROMPT_INTRO && p->kind != CSAT_PROMPT_OUTRO &&
                        p->kind != CSAT_PROMPT_NO_INPUT && p->kind != CSAT_PROMPT_OPT_IN_OFFER &&
                        p->kind != CSAT_PROMPT_ESCALATION));
  /* ... and send only prompts that have a text. */
  FZ_CHECK(h->voice || p->text != NULL);
  FZ_CHECK(p->kind != CSAT_PROMPT_QUESTION || p->question >= 0);
  if (h->default_language != NULL) {
    /* Contact language, its primary subtag, or the survey's default
     * (language tags compare without regard to ASCII case). */
    size_t pl = strcspn(h->language, "-");
    int ok = fz_lang_eq(p->language, strlen(p->language), h->default_language,
                        strlen(h->default_language)) ||
             (h->language[0] &&
              fz_lang_eq(p->language, strlen(p->language), h->language, strlen(h->language))) ||
             (pl > 0 && fz_lang_eq(p->language, strlen(p->language), h->language, pl));
    FZ_CHECK(ok);
  }
  if (h->survey_json != NULL) {
    if (p->text)
      fz_check_tag(h, p, p->text);
    if (p->audio)
      fz_check_tag(h, p, p->audio);
  }
}

static int fz_is_notice(int32_t kind) {
  return kind == CSAT_PROMPT_ALREADY_ANSWERED || kind == CSAT_PROMPT_EXPIRED;
}

static int cb_play(void *user, const csat_prompt *p) {
  fz_host *h = user;
  fz_check_prompt(h, p);
  /* After the end only a text channel sends anything: the opt-out
   * confirmation or the one notice. */
  if (h->voice || !(p->kind == CSAT_PROMPT_OPT_OUT || fz_is_notice(p->kind)))
    FZ_CHECK(h->ended_calls == 0);
  if (!h->voice) {
    /* After an opt-out was honoured nothing more is sent, ever. */
    FZ_CHECK(!h->optout_done);
    if (p->kind == CSAT_PROMPT_OPT_OUT) {
      FZ_CHECK(h->optout_sent);
      h->optout_done = 1;
      h->optout_prompts_event++;
    }
    if (fz_is_notice(p->kind)) {
      /* So an autoresponder gets at most one reply. */
      FZ_CHECK(h->notices == 0);
      h->notices++;
      h->notices_event++;
      h->notice_kind = p->kind;
    }
  }
  h->plays_event++;
  fz_log_printf(&h->log, "play k=%d q=%d l=", (int)p->kind, (int)p->question);
  fz_log_str(&h->log, p->language);
  fz_log_str(&h->log, p->text);
  fz_log_str(&h->log, p->audio);
  return fz_decide(h, 1);
}

static int cb_collect(void *user, const csat_collect *c) {
  fz_host *h = user;
  FZ_CHECK(h->voice); /* never called on a text channel */
  FZ_CHECK(h->ended_calls == 0);
  FZ_CHECK(c != NULL && c->struct_size >= sizeof(csat_collect));
  FZ_CHECK(c->question == -1 || (c->question >= 0 && c->question < h->question_count));
  FZ_CHECK(c->min_digits >= 1 && c->min_digits <= c->max_digits && c->max_digits <= 2);
  FZ_CHECK(c->terminator == '#' || c->terminator == 0);
  FZ_CHECK(c->first_digit_timeout_ms >= 100 && c->first_digit_timeout_ms <= 600000);
  FZ_CHECK(c->inter_digit_timeout_ms >= 100 && c->inter_digit_timeout_ms <= 600000);
  fz_log_printf(&h->log, "collect q=%d min=%d max=%d t=%d fd=%d id=%d", (int)c->question,
                (int)c->min_digits, (int)c->max_digits, (int)c->terminator,
                (int)c->first_digit_timeout_ms, (int)c->inter_digit_timeout_ms);
  return fz_decide(h, 1);
}

static int cb_record(void *user, const csat_record *r) {
  fz_host *h = user;
  FZ_CHECK(h->voice); /* never called on a text channel */
  FZ_CHECK(h->ended_calls == 0);
  FZ_CHECK(r != NULL && r->struct_size >= sizeof(csat_record));
  FZ_CHECK(r->question >= 0 && r->question < h->question_count);
  FZ_CHECK(r->max_duration_ms >= 1000 && r->max_duration_ms <= 600000);
  FZ_CHECK(r->silence_timeout_ms >= 500 && r->silence_timeout_ms <= 60000);
  fz_log_printf(&h->log, "record q=%d max=%d sil=%d", (int)r->question, (int)r->max_duration_ms,
                (int)r->silence_timeout_ms);
  return fz_decide(h, 1);
}

static int cb_transfer(void *user, const char *target) {
  fz_host *h = user;
  FZ_CHECK(h->voice); /* never called on a text channel */
  FZ_CHECK(h->ended_calls == 0);
  FZ_CHECK(target != NULL && target[0] != '\0');
  if (h->survey_json != NULL)
    FZ_CHECK(h->transfer_target != NULL && strcmp(target, h->transfer_target) == 0);
  fz_log_printf(&h->log, "transfer ");
  fz_log_str(&h->log, target);
  return fz_decide(h, 0);
}

static int cb_callback(void *user, const char *address, const char *contact_id) {
  fz_host *h = user;
  FZ_CHECK(h->voice); /* never called on a text channel */
  FZ_CHECK(h->ended_calls == 0);
  FZ_CHECK(address != NULL && contact_id != NULL);
  FZ_CHECK(strcmp(address, h->address) == 0);
  FZ_CHECK(strcmp(contact_id, h->contact_id) == 0);
  fz_log_printf(&h->log, "callback ");
  fz_log_str(&h->log, address);
  return fz_decide(h, 0);
}

static int cb_store(void *user, const csat_result *r) {
  fz_host *h = user;
  char *text;
  size_t len = 0;
  int rc;
  int32_t outcome;
  static unsigned store_count;
  static char *buf;
  static size_t cap;
  char *owned = NULL;
  FZ_CHECK(r != NULL);
  /* Stored exactly once successfully: never offered again after a success. */
  FZ_CHECK(h->store_ok == 0);
  outcome = csat_result_outcome(r);
  FZ_CHECK(outcome >= 1 && outcome <= CSAT_OUTCOME_MAX);
  FZ_CHECK(outcome != CSAT_OUTCOME_ALREADY_ANSWERED);
  FZ_CHECK(strcmp(csat_result_contact(r)->contact_id, h->contact_id) == 0);
  FZ_CHECK(strcmp(csat_result_survey_id(r), h->survey_id) == 0);
  /* A pending opt-out is retried before the store. */
  FZ_CHECK(!h->optout_owed || h->optout_calls_event > 0 || (h->omit & FZ_OMIT_OPTED_OUT));
  /* The JSON line, with the buffer conventions checked now and then (they
   * cost several calls; fuzz_result_csv checks them on every input). */
  if ((store_count++ & 15u) == 0) {
    text = owned = fz_text(fz_jsonl_fn, r, &len, &rc);
    FZ_CHECK(text != NULL);
  } else {
    len = 0;
    rc = csat_result_to_jsonl(r, buf, cap, &len);
    if (rc == CSAT_ERR_BUFFER_TOO_SMALL) {
      free(buf);
      cap = 2 * len + 1;
      buf = fz_xmalloc(cap);
      rc = csat_result_to_jsonl(r, buf, cap, &len);
    }
    FZ_CHECK(rc == CSAT_OK && len < cap && buf[len] == '\0');
    text = buf;
  }
  FZ_CHECK(len >= 2 && text[len - 1] == '\n' && memchr(text, '\n', len - 1) == NULL);
  FZ_CHECK(fz_utf8_valid(text, len) && fz_json_valid(text, len - 1));
  fz_log_printf(&h->log, "store ");
  fz_log_add(&h->log, text, len - 1);
  free(owned);
  h->store_calls++;
  h->store_calls_event++;
  rc = fz_decide(h, 1);
  if (rc == 0)
    h->store_ok = 1;
  return rc;
}

static void fz_check_limited(const char *s, size_t max_chars) {
  FZ_CHECK(s != NULL);
  FZ_CHECK(fz_utf8_valid(s, strlen(s)));
  FZ_CHECK(fz_utf8_count(s, strlen(s)) <= max_chars);
}

static int cb_task(void *user, const csat_task *t) {
  fz_host *h = user;
  size_t i;
  int rc;
  FZ_CHECK(t != NULL && t->struct_size >= sizeof(csat_task));
  FZ_CHECK(h->task_ok == 0); /* created at most once */
  fz_check_limited(t->name, 512);
  fz_check_limited(t->description, 4096);
  fz_check_limited(t->category, 200);
  fz_check_limited(t->target, 4096);
  FZ_CHECK(t->previous_contact_id != NULL && strcmp(t->previous_contact_id, h->contact_id) == 0);
  FZ_CHECK(t->idempotency_key != NULL && t->idempotency_key[0] != '\0');
  if (h->task_key != NULL)
    FZ_CHECK(strcmp(h->task_key, t->idempotency_key) == 0);
  else
    h->task_key = fz_strdup(t->idempotency_key);
  FZ_CHECK(t->reference_count <= 25);
  FZ_CHECK(t->reference_count == 0 || t->references != NULL);
  FZ_CHECK(t->attribute_count == h->attr_count);
  FZ_CHECK(t->attribute_count == 0 || t->attributes != NULL);
  fz_log_printf(&h->log, "task ");
  fz_log_str(&h->log, t->name);
  fz_log_str(&h->log, t->description);
  fz_log_str(&h->log, t->category);
  fz_log_str(&h->log, t->target);
  fz_log_str(&h->log, t->idempotency_key);
  for (i = 0; i < t->reference_count; i++) {
    FZ_CHECK(t->references[i].key != NULL);
    FZ_CHECK(fz_utf8_valid(t->references[i].key, strlen(t->references[i].key)));
    fz_check_limited(t->references[i].value, 4096);
    fz_log_str(&h->log, t->references[i].key);
    fz_log_str(&h->log, t->references[i].value);
  }
  for (i = 0; i < t->attribute_count; i++) {
    FZ_CHECK(t->attributes[i].key != NULL && t->attributes[i].value != NULL);
    fz_log_str(&h->log, t->attributes[i].key);
    fz_log_str(&h->log, t->attributes[i].value);
  }
  h->task_calls++;
  h->task_calls_event++;
  rc = fz_decide(h, 1);
  if (rc == 0)
    h->task_ok = 1;
  return rc;
}

static int cb_already(void *user, const char *survey_id, const char *contact_id) {
  fz_host *h = user;
  FZ_CHECK(h->ended_calls == 0);
  FZ_CHECK(survey_id != NULL && strcmp(survey_id, h->survey_id) == 0);
  FZ_CHECK(contact_id != NULL && strcmp(contact_id, h->contact_id) == 0);
  fz_log_printf(&h->log, "already");
  if (fz_decide(h, 1))
    return -1;
  return h->already_answer;
}

static int cb_ended(void *user, int32_t outcome) {
  fz_host *h = user;
  FZ_CHECK(h->ended_calls == 0); /* at most once */
  FZ_CHECK(outcome >= 1 && outcome <= CSAT_OUTCOME_MAX);
  /* Called after the result was offered to store (not stored: already
   * answered; never offered without a store callback). */
  if (outcome == CSAT_OUTCOME_ALREADY_ANSWERED || (h->omit & FZ_OMIT_STORE))
    FZ_CHECK(h->store_calls == 0);
  else
    FZ_CHECK(h->store_calls > 0);
  h->ended_calls++;
  h->ended_outcome = outcome;
  fz_log_printf(&h->log, "ended %d", (int)outcome);
  return fz_decide(h, 0);
}

static int cb_opted_out(void *user, const char *address, const char *contact_id) {
  fz_host *h = user;
  int rc;
  FZ_CHECK(!h->voice);
  /* Never without an opt-out message; successfully at most once. */
  FZ_CHECK(h->optout_sent);
  FZ_CHECK(h->optout_ok == 0);
  FZ_CHECK(address != NULL && strcmp(address, h->address) == 0);
  FZ_CHECK(contact_id != NULL && strcmp(contact_id, h->contact_id) == 0);
  h->optout_done = 1;
  h->optout_calls++;
  h->optout_calls_event++;
  fz_log_printf(&h->log, "opted_out ");
  fz_log_str(&h->log, address);
  rc = fz_decide(h, 1);
  if (rc == 0)
    h->optout_ok = 1;
  h->optout_owed = rc != 0;
  return rc;
}

void fz_host_setup(fz_host *h, csat_host *vt, unsigned omit) {
  h->omit = omit;
  memset(vt, 0, sizeof *vt);
  vt->struct_size = sizeof *vt;
  vt->user = h;
  vt->play = cb_play;
  vt->collect = cb_collect;
  vt->record = (omit & FZ_OMIT_RECORD) ? NULL : cb_record;
  vt->transfer = (omit & FZ_OMIT_TRANSFER) ? NULL : cb_transfer;
  vt->schedule_callback = (omit & FZ_OMIT_CALLBACK) ? NULL : cb_callback;
  vt->store = (omit & FZ_OMIT_STORE) ? NULL : cb_store;
  vt->create_task = (omit & FZ_OMIT_TASK) ? NULL : cb_task;
  vt->already_surveyed = (omit & FZ_OMIT_ALREADY) ? NULL : cb_already;
  vt->ended = cb_ended;
  vt->opted_out = (omit & FZ_OMIT_OPTED_OUT) ? NULL : cb_opted_out;
}

void fz_host_adopt(fz_host *h, const csat_session *s) {
  const csat_result *r = csat_session_result(s);
  const csat_contact *c;
  int32_t outcome = csat_session_outcome(s);
  uint32_t pending = csat_session_pending(s);
  FZ_CHECK(r != NULL);
  c = csat_result_contact(r);
  FZ_CHECK(c != NULL && c->contact_id != NULL);
  free(h->contact_id);
  free(h->language);
  free(h->address);
  h->contact_id = fz_strdup(c->contact_id);
  h->language = fz_strdup(c->language ? c->language : "");
  h->address = fz_strdup(c->customer_address ? c->customer_address : "");
  h->attr_count = c->attr_count;
  h->survey_id = csat_result_survey_id(r);
  h->voice = c->channel == CSAT_CHANNEL_VOICE;
  h->pending_mask = CSAT_PENDING_STORE | CSAT_PENDING_TASK;
  if (!h->voice) /* a blob may hold a text contact */
    h->pending_mask |= CSAT_PENDING_OPT_OUT;
  /* Work for a callback the host lacks is never pending. */
  if (h->omit & FZ_OMIT_STORE)
    h->pending_mask &= ~CSAT_PENDING_STORE;
  if (h->omit & FZ_OMIT_TASK)
    h->pending_mask &= ~CSAT_PENDING_TASK;
  if (h->omit & FZ_OMIT_OPTED_OUT)
    h->pending_mask &= ~CSAT_PENDING_OPT_OUT;
  /* What the state says about work done before this host saw the session. */
  FZ_CHECK(outcome >= 0 && outcome <= CSAT_OUTCOME_MAX);
  FZ_CHECK((csat_session_ended(s) != 0) == (outcome != 0));
  FZ_CHECK((pending & ~h->pending_mask) == 0);
  if (outcome == 0) {
    FZ_CHECK(pending == 0);
    return;
  }
  h->ended_calls = 1;
  h->ended_outcome = outcome;
  /* A saved opt-out may still be owed to the host. */
  if ((pending & CSAT_PENDING_OPT_OUT) || outcome == CSAT_OUTCOME_OPTED_OUT)
    h->optout_sent = 1;
  h->optout_owed = (pending & CSAT_PENDING_OPT_OUT) != 0;
  if (outcome == CSAT_OUTCOME_ALREADY_ANSWERED) {
    /* Never stored, never a task. */
    FZ_CHECK(pending == 0);
    return;
  }
  h->store_calls = (h->omit & FZ_OMIT_STORE) ? 0 : 1;
  h->store_ok = (pending & CSAT_PENDING_STORE) ? 0 : 1;
  h->task_ok = (pending & CSAT_PENDING_TASK) ? 0 : 1;
  if (pending & CSAT_PENDING_TASK)
    FZ_CHECK(csat_result_flagged(r));
}

void fz_host_event(fz_host *h, int fail_on, unsigned fail_mask) {
  h->fail_on = fail_on;
  h->fail_mask = fail_mask;
  h->ncalls = 0;
  h->failed_any = h->failed_required = 0;
  h->task_calls_event = h->store_calls_event = 0;
  h->optout_calls_event = h->plays_event = h->notices_event = h->optout_prompts_event = 0;
}

void fz_host_free(fz_host *h) {
  fz_log_free(&h->log);
  free(h->contact_id);
  free(h->language);
  free(h->address);
  free(h->task_key);
  h->contact_id = h->language = h->address = h->task_key = NULL;
}

/* Restore blob[0..len) (exactly sized) for h; no callback may fire. */
static csat_session *fz_restore_exact(const csat_survey *sv, const unsigned char *blob, size_t len,
                                      const csat_host *vt, fz_host *h) {
  csat_session *r = NULL;
  csat_error err;
  int rc;
  memset(&err, 0, sizeof err);
  err.struct_size = sizeof err;
  h->in_restore = 1;
  rc = csat_session_restore(&r, sv, blob, len, vt, h->fa ? &h->fa->vt : NULL, &err);
  h->in_restore = 0;
  if (rc != CSAT_OK)
    fprintf(stderr, "restore of a fresh blob failed: %d %s\n", rc, err.message);
  FZ_CHECK(rc == CSAT_OK && r != NULL);
  return r;
}

csat_session *fz_save_restore(csat_session *s, const csat_survey *sv, const csat_host *vt,
                              fz_host *h, unsigned char **resaved, size_t *resaved_len) {
  size_t len = 0, len2 = 0;
  unsigned char *blob = fz_save(s, &len), *blob2;
  csat_session *r = fz_restore_exact(sv, blob, len, vt, h);
  /* Restoring is exact: the copy saves to the same bytes. */
  blob2 = fz_save(r, &len2);
  FZ_CHECK(len2 == len && memcmp(blob, blob2, len) == 0);
  FZ_CHECK(csat_session_outcome(r) == csat_session_outcome(s));
  FZ_CHECK(csat_session_ended(r) == csat_session_ended(s));
  FZ_CHECK(csat_session_pending(r) == csat_session_pending(s));
  free(blob);
  if (resaved != NULL) {
    *resaved = blob2;
    *resaved_len = len2;
  } else {
    free(blob2);
  }
  csat_session_free(s);
  return r;
}

/* ---- twin runner -------------------------------------------------------- */

/* Save s into *buf, grown as needed (capacity *cap); returns the length. */
static size_t fz_save_buf(const csat_session *s, unsigned char **buf, size_t *cap) {
  size_t needed = 0, again = 0;
  int rc = csat_session_save(s, *buf, *cap, &needed);
  if (rc == CSAT_ERR_BUFFER_TOO_SMALL) {
    FZ_CHECK(needed > *cap && needed <= CSAT_BLOB_MAX);
    free(*buf);
    *cap = needed < 1024 ? 1024 : needed * 2;
    *buf = fz_xmalloc(*cap);
    rc = csat_session_save(s, *buf, *cap, &again);
    FZ_CHECK(rc == CSAT_OK && again == needed);
  } else {
    FZ_CHECK(rc == CSAT_OK);
    FZ_CHECK(needed > 0 && needed <= *cap);
  }
  return needed;
}

static int fz_apply(csat_session *s, const fz_event *e) {
  switch (e->kind) {
  case FZ_EV_OFFER:
    return csat_session_offer(s, e->now);
  case FZ_EV_OPT_IN:
    return csat_session_opt_in(s, e->accepted, e->now);
  case FZ_EV_START:
    return csat_session_start(s, e->now);
  case FZ_EV_INPUT:
    return csat_session_input(s, e->digits, e->ndigits, e->now);
  case FZ_EV_NO_INPUT:
    return csat_session_no_input(s, e->now);
  case FZ_EV_RECORDED:
    return csat_session_recorded(s, e->digits, e->ndigits, e->now);
  case FZ_EV_REPEAT:
    return csat_session_repeat(s, e->now);
  case FZ_EV_HANGUP:
    return csat_session_hangup(s, e->now);
  case FZ_EV_FLUSH:
    return csat_session_flush(s, e->now);
  case FZ_EV_TEXT:
    return csat_session_text(s, e->text, e->ntext, e->now);
  case FZ_EV_EXPIRE:
    return csat_session_expire(s, e->now);
  default:
    return CSAT_OK;
  }
}

static int fz_trace(void) {
  static int trace = -1;
  if (trace < 0)
    trace = getenv("FUZZ_TRACE") != NULL;
  return trace;
}

static void fz_dump_logs(const fz_twin *t) {
  fprintf(stderr, "--- original:\n%s\n--- restored twin:\n%s\n",
          t->side[0].h.log.p ? t->side[0].h.log.p : "",
          t->side[1].h.log.p ? t->side[1].h.log.p : "");
}

/* The twin saves to the bytes of the original's last save. */
static void fz_twin_compare(fz_twin *t) {
  size_t len1 = fz_save_buf(t->side[1].s, &t->spare, &t->spare_cap);
  if (!(len1 == t->blob_len && memcmp(t->spare, t->blob, len1) == 0)) {
    fz_dump_logs(t);
    fz_fail(__FILE__, __LINE__, "original and restored twin saved different blobs");
  }
}

/* Replace the twin by a restore of the original's last save (t->blob). */
static void fz_twin_restore(fz_twin *t) {
  csat_session *r;
  unsigned char *exact = fz_xmalloc(t->blob_len);
  memcpy(exact, t->blob, t->blob_len);
  r = fz_restore_exact(t->survey, exact, t->blob_len, &t->side[1].vt, &t->side[1].h);
  free(exact);
  FZ_CHECK(csat_session_outcome(r) == csat_session_outcome(t->side[0].s) &&
           csat_session_ended(r) == csat_session_ended(t->side[0].s) &&
           csat_session_pending(r) == csat_session_pending(t->side[0].s));
  csat_session_free(t->side[1].s);
  t->side[1].s = r;
}

void fz_twin_begin(fz_twin *t) {
  int i;
  for (i = 0; i < 2; i++)
    fz_host_adopt(&t->side[i].h, t->side[i].s);
  t->outcome_seen = csat_session_outcome(t->side[0].s);
  FZ_CHECK(csat_session_outcome(t->side[1].s) == t->outcome_seen);
  /* The two start in the same state; the twin goes on as a restore of it. */
  t->blob_len = fz_save_buf(t->side[0].s, &t->blob, &t->blob_cap);
  fz_twin_compare(t);
  fz_twin_restore(t);
}


/* What a message means for the opt-out rule. The contract makes an opt-out
 * word one whatever the question (the whole message is STOP, ...), so the
 * reading as a text comment will do. */
static int fz_reads_as_opt_out(const char *text, size_t len) {
  csat_reply r;
  memset(&r, 0, sizeof r);
  r.struct_size = sizeof r;
  FZ_CHECK(csat_reply_parse(text, len, CSAT_Q_TEXT_COMMENT, 0, 0, &r) == CSAT_OK);
  return r.kind == CSAT_REPLY_OPT_OUT;
}

/* The answers of a result, condensed: what a message may or may not change. */
typedef struct fz_snap {
  int32_t n;
  struct {
    int32_t status, score, attempts, flagged;
    int64_t answered_ms;
    uint64_t raw, comment;
  } a[64];
} fz_snap;

static uint64_t fz_hash(const char *s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 0x100000001b3ull;
  }
  return h;
}

static void fz_snap_take(const csat_result *r, fz_snap *sn) {
  int32_t i;
  sn->n = csat_result_answer_count(r);
  FZ_CHECK(sn->n >= 0 && sn->n <= 64);
  for (i = 0; i < sn->n; i++) {
    csat_answer a;
    memset(&a, 0, sizeof a);
    a.struct_size = sizeof a;
    FZ_CHECK(csat_result_answer(r, i, &a) == CSAT_OK);
    sn->a[i].status = a.status;
    sn->a[i].score = a.score;
    sn->a[i].attempts = a.attempts;
    sn->a[i].flagged = a.flagged;
    sn->a[i].answered_ms = a.answered_ms;
    sn->a[i].raw = fz_hash(a.raw);
    sn->a[i].comment = fz_hash(a.comment);
  }
}

static int fz_snap_same(const fz_snap *x, const fz_snap *y) {
  int32_t i;
  if (x->n != y->n)
    return 0;
  for (i = 0; i < x->n; i++)
    if (x->a[i].status != y->a[i].status || x->a[i].score != y->a[i].score ||
        x->a[i].attempts != y->a[i].attempts || x->a[i].flagged != y->a[i].flagged ||
        x->a[i].answered_ms != y->a[i].answered_ms || x->a[i].raw != y->a[i].raw ||
        x->a[i].comment != y->a[i].comment)
      return 0;
  return 1;
}

int fz_scale(const fz_survey_def *def, int32_t q, int32_t *kind, int32_t *min, int32_t *max) {
  const char *p = def->scales;
  int32_t i;
  if (p == NULL || q < 0)
    return 0;
  for (i = 0; i < q; i++) {
    p = strchr(p, ' ');
    if (p == NULL)
      return 0;
    p++;
  }
  if (p[0] == 'y' && p[1] == 'n') {
    *kind = CSAT_Q_YES_NO;
    *min = 0;
    *max = 1;
  } else if (p[0] == 'v' && p[1] == 'c') {
    *kind = CSAT_Q_VOICE_COMMENT;
    *min = *max = -1;
  } else if (p[0] == 't' && p[1] == 'c') {
    *kind = CSAT_Q_TEXT_COMMENT;
    *min = *max = -1;
  } else {
    char *end;
    long lo = strtol(p, &end, 10), hi;
    FZ_CHECK(*end == '-');
    hi = strtol(end + 1, &end, 10);
    FZ_CHECK(lo >= 0 && lo < hi && hi <= 10);
    *kind = CSAT_Q_RATING;
    *min = (int32_t)lo;
    *max = (int32_t)hi;
  }
  return 1;
}

static int fz_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Every answer against its question: the kind, the scale, what a channel
 * can give. */
static void fz_check_answers(const fz_host *h, const csat_result *r) {
  int32_t i, n = csat_result_answer_count(r);
  for (i = 0; i < n; i++) {
    csat_answer a;
    int32_t kind = 0, min = 0, max = 0;
    size_t cl, chars;
    memset(&a, 0, sizeof a);
    a.struct_size = sizeof a;
    FZ_CHECK(csat_result_answer(r, i, &a) == CSAT_OK);
    FZ_CHECK(fz_scale(h->def, i, &kind, &min, &max));
    FZ_CHECK(a.kind == kind);
    cl = strlen(a.comment);
    chars = fz_utf8_count(a.comment, cl);
    FZ_CHECK(chars <= 4096);
    /* Text comments are trimmed, then cut to 4096 characters. */
    if (cl > 0 && !h->voice)
      FZ_CHECK(!fz_ascii_space(a.comment[0]) &&
               (chars == 4096 || !fz_ascii_space(a.comment[cl - 1])));
    if (a.status == CSAT_ANSWER_ANSWERED && (kind == CSAT_Q_RATING || kind == CSAT_Q_YES_NO))
      FZ_CHECK(a.score >= min && a.score <= max); /* inside the question's own scale */
    if (kind == CSAT_Q_RATING || kind == CSAT_Q_YES_NO)
      FZ_CHECK(strlen(a.raw) <= 32);
    /* A kind the channel (or the host) cannot carry is never asked. */
    if ((kind == CSAT_Q_VOICE_COMMENT && (!h->voice || (h->omit & FZ_OMIT_RECORD))) ||
        (kind == CSAT_Q_TEXT_COMMENT && h->voice))
      FZ_CHECK(a.status != CSAT_ANSWER_ANSWERED && a.status != CSAT_ANSWER_NO_INPUT &&
               a.status != CSAT_ANSWER_INVALID && a.attempts == 0);
    if (kind == CSAT_Q_TEXT_COMMENT && a.status == CSAT_ANSWER_ANSWERED)
      FZ_CHECK(a.score == -1 && a.raw[0] == '\0' && cl > 0);
    if (kind == CSAT_Q_TEXT_COMMENT)
      FZ_CHECK(a.status != CSAT_ANSWER_INVALID);
  }
}

/* The one notice a message after an end with this outcome gets, or 0. */
static int32_t fz_notice_for(int32_t outcome) {
  switch (outcome) {
  case CSAT_OUTCOME_EXPIRED:
    return CSAT_PROMPT_EXPIRED;
  case CSAT_OUTCOME_COMPLETED:
  case CSAT_OUTCOME_PARTIAL:
  case CSAT_OUTCOME_TIMED_OUT:
  case CSAT_OUTCOME_ATTEMPTS_EXHAUSTED:
  case CSAT_OUTCOME_ALREADY_ANSWERED:
    return CSAT_PROMPT_ALREADY_ANSWERED;
  default:
    return 0;
  }
}

/* Text-channel rules for one event that went through (h: side 0). */
static void fz_check_text_event(fz_twin *t, const fz_event *e, int rc, int32_t prev_outcome,
                                int prev_new, int prev_ended, int prev_optout_done,
                                int prev_notices, int msg_optout, const fz_snap *before,
                                const fz_snap *after, int unchanged) {
  fz_host *h = &t->side[0].h;
  const csat_result *r = csat_session_result(t->side[0].s);
  int32_t outcome = csat_session_outcome(t->side[0].s);
  int prev_running = !prev_new && !prev_ended;
  int64_t started = csat_result_started_ms(r);
  const fz_survey_def *def = h->def;

  if (h->notices) {
    if (h->notice_kind == CSAT_PROMPT_EXPIRED)
      FZ_CHECK(outcome == CSAT_OUTCOME_EXPIRED);
    else
      FZ_CHECK(fz_notice_for(outcome) == CSAT_PROMPT_ALREADY_ANSWERED);
  }
  /* Notices and opt-out confirmations answer messages only. */
  FZ_CHECK(h->notices_event == 0 || e->kind == FZ_EV_TEXT);
  FZ_CHECK(h->optout_prompts_event == 0 || (e->kind == FZ_EV_TEXT && msg_optout));
  FZ_CHECK(h->optout_calls_event == 0 || (e->kind == FZ_EV_TEXT && msg_optout) ||
           e->kind == FZ_EV_FLUSH);
  if (outcome == CSAT_OUTCOME_OPTED_OUT || outcome == CSAT_OUTCOME_EXPIRED)
    FZ_CHECK(prev_outcome == outcome || e->kind == FZ_EV_TEXT || e->kind == FZ_EV_EXPIRE);

  if (e->kind == FZ_EV_EXPIRE) {
    if (prev_running) {
      FZ_CHECK(rc != CSAT_ERR_STATE);
      FZ_CHECK(outcome == CSAT_OUTCOME_EXPIRED);
      FZ_CHECK(h->plays_event == 0); /* nothing is sent */
      FZ_CHECK(fz_snap_same(before, after));
    } else {
      FZ_CHECK(rc == CSAT_ERR_STATE);
    }
    return;
  }
  if (e->kind != FZ_EV_TEXT || rc == CSAT_ERR_INVALID_ARG || rc == CSAT_ERR_LIMIT ||
      rc == CSAT_ERR_UTF8)
    return;
  if (prev_new) {
    FZ_CHECK(rc == CSAT_ERR_STATE);
    return;
  }
  FZ_CHECK(rc != CSAT_ERR_STATE);
  if (rc == CSAT_ERR_NOMEM && unchanged)
    return; /* the comment could not be copied: nothing changed */
  if (msg_optout) {
    /* Opt-out: the message is stored nowhere, the answers stay as they were. */
    FZ_CHECK(fz_snap_same(before, after));
    if (!prev_optout_done) {
      if (def->text_notices)
        FZ_CHECK(h->optout_prompts_event == 1);
      if (!(h->omit & FZ_OMIT_OPTED_OUT))
        FZ_CHECK(h->optout_calls_event == 1);
      if (prev_running)
        FZ_CHECK(outcome == CSAT_OUTCOME_OPTED_OUT);
    } else {
      /* A second opt-out gets nothing. */
      FZ_CHECK(h->ncalls == 0 && unchanged);
    }
    if (prev_ended && !prev_optout_done)
      t->side[0].h.optout_after_end = t->side[1].h.optout_after_end = 1;
    t->side[0].h.optout_done = t->side[1].h.optout_done = 1;
    return;
  }
  FZ_CHECK(h->optout_prompts_event == 0 && h->optout_calls_event == 0);
  if (prev_ended) {
    int32_t want = fz_notice_for(prev_outcome);
    FZ_CHECK(fz_snap_same(before, after));
    FZ_CHECK(h->ncalls == (unsigned)h->plays_event); /* nothing but the notice */
    FZ_CHECK(h->plays_event == h->notices_event);
    if (prev_notices == 0 && want != 0 && def->text_notices && !prev_optout_done)
      FZ_CHECK(h->notices_event == 1 && h->notice_kind == want);
    else if (prev_notices != 0 || want == 0 || prev_optout_done)
      FZ_CHECK(h->notices_event == 0);
    return;
  }
  /* A message while the survey runs. */
  if (started <= INT64_MAX - def->window_ms && e->now > started + def->window_ms) {
    FZ_CHECK(outcome == CSAT_OUTCOME_EXPIRED);
    FZ_CHECK(fz_snap_same(before, after));
    if (def->text_notices)
      FZ_CHECK(h->notices_event == 1 && h->notice_kind == CSAT_PROMPT_EXPIRED);
  } else {
    FZ_CHECK(outcome != CSAT_OUTCOME_EXPIRED && outcome != CSAT_OUTCOME_OPTED_OUT);
    FZ_CHECK(h->notices_event == 0);
  }
}

/* A restore that runs out of memory fails cleanly and leaks nothing. */
static void fz_restore_nomem(const fz_twin *t, const unsigned char *blob, size_t len) {
  const fz_host *h = &t->side[0].h;
  fz_alloc fa;
  csat_session *r = NULL;
  unsigned char *exact = fz_xmalloc(len);
  int rc;
  memcpy(exact, blob, len);
  fz_alloc_init(&fa, (h->fa->fail_at - 1) % 12 + 1, h->fa->persistent);
  fa.armed = 1;
  rc = csat_session_restore(&r, t->survey, exact, len, &t->side[0].vt, &fa.vt, NULL);
  fa.armed = 0;
  FZ_CHECK(rc == CSAT_OK || (rc == CSAT_ERR_NOMEM && fa.failures > 0));
  if (rc == CSAT_OK)
    csat_session_free(r);
  FZ_CHECK(fa.live == 0);
  free(exact);
}

static int fz_channel_mismatch(int voice, int kind) {
  if (voice)
    return kind == FZ_EV_TEXT || kind == FZ_EV_EXPIRE;
  return kind == FZ_EV_OFFER || kind == FZ_EV_INPUT || kind == FZ_EV_NO_INPUT ||
         kind == FZ_EV_RECORDED;
}

void fz_twin_step(fz_twin *t, const fz_event *e) {
  int rc[2], i, unchanged;
  int32_t outcome, ended, prev_outcome = t->outcome_seen;
  uint32_t pending;
  size_t after_len;
  fz_host *h = &t->side[0].h;
  csat_session *s = t->side[0].s;
  const csat_result *r0 = csat_session_result(s);
  int text_checks = !h->voice && h->def != NULL;
  int prev_ended = csat_session_ended(s) != 0;
  int prev_new = !prev_ended && csat_result_started_ms(r0) == 0;
  int prev_optout_done = h->optout_done, prev_notices = h->notices;
  int mismatch = fz_channel_mismatch(h->voice, e->kind);
  int msg_valid = 1, msg_optout = 0;
  unsigned long failures_before = h->fa ? h->fa->failures : 0;
  fz_snap before, after;
  unsigned char *tmp;

  if (e->kind == FZ_EV_TEXT) {
    msg_valid = e->ntext <= CSAT_TEXT_MAX && (e->ntext == 0 || memchr(e->text, 0, e->ntext) == NULL) &&
                fz_utf8_valid(e->text, e->ntext);
    msg_optout = msg_valid && fz_reads_as_opt_out(e->text, e->ntext);
    if (msg_optout && !mismatch && !prev_new)
      t->side[0].h.optout_sent = t->side[1].h.optout_sent = 1;
  }
  if (text_checks && (e->kind == FZ_EV_TEXT || e->kind == FZ_EV_EXPIRE))
    fz_snap_take(r0, &before);

  for (i = 0; i < 2; i++) {
    fz_host *hi = &t->side[i].h;
    fz_host_event(hi, e->fail_on, e->fail_mask);
    fz_log_printf(&hi->log, "event %d t=%lld", e->kind, (long long)e->now);
    if (e->kind == FZ_EV_TEXT)
      fz_log_bytes(&hi->log, e->text, e->ntext);
    fz_log_add(&hi->log, "\n", 1);
    if (e->kind == FZ_EV_SAVE_RESTORE) {
      if (i == 0) {
        if (h->fa != NULL && h->fa->fail_at != 0)
          fz_restore_nomem(t, t->blob, t->blob_len);
        t->side[0].s = fz_save_restore(t->side[0].s, t->survey, &t->side[0].vt, h, NULL, NULL);
      }
      rc[i] = CSAT_OK;
    } else {
      if (hi->fa)
        hi->fa->armed = 1;
      rc[i] = fz_apply(t->side[i].s, e);
      if (hi->fa)
        hi->fa->armed = 0;
    }
    s = t->side[i].s;
    fz_log_printf(&hi->log, "-> rc=%d outcome=%d ended=%d pending=%u\n", rc[i],
                  (int)csat_session_outcome(s), (int)csat_session_ended(s),
                  (unsigned)csat_session_pending(s));
  }
  /* A restored session behaves exactly as the original. */
  if (rc[0] != rc[1] || t->side[0].h.log.len != t->side[1].h.log.len ||
      memcmp(t->side[0].h.log.p, t->side[1].h.log.p, t->side[0].h.log.len) != 0) {
    fz_dump_logs(t);
    fz_fail(__FILE__, __LINE__, "original and restored twin diverged");
  }

  if (fz_trace())
    fprintf(stderr, "%s", t->side[0].h.log.p);
  s = t->side[0].s;
  outcome = csat_session_outcome(s);
  ended = csat_session_ended(s);
  pending = csat_session_pending(s);
  /* Documented codes only, each for its own reason. */
  switch (rc[0]) {
  case CSAT_OK:
  case CSAT_ERR_STATE:
  case CSAT_ERR_CALLBACK:
    break;
  case CSAT_ERR_NOMEM:
    FZ_CHECK(h->fa != NULL && h->fa->failures > failures_before);
    break;
  case CSAT_ERR_UNSUPPORTED:
    FZ_CHECK(mismatch);
    break;
  case CSAT_ERR_INVALID_ARG:
    FZ_CHECK(e->kind == FZ_EV_TEXT && e->ntext > 0 && memchr(e->text, 0, e->ntext) != NULL);
    break;
  case CSAT_ERR_LIMIT:
    FZ_CHECK(e->kind == FZ_EV_TEXT && e->ntext > CSAT_TEXT_MAX);
    break;
  case CSAT_ERR_UTF8:
    FZ_CHECK(e->kind == FZ_EV_TEXT && !fz_utf8_valid(e->text, e->ntext));
    break;
  default:
    fz_dump_logs(t);
    fz_fail(__FILE__, __LINE__, "undocumented return code for a well-formed event");
  }
  if (e->kind == FZ_EV_TEXT && !msg_valid)
    FZ_CHECK(rc[0] == CSAT_ERR_INVALID_ARG || rc[0] == CSAT_ERR_LIMIT || rc[0] == CSAT_ERR_UTF8 ||
             rc[0] == CSAT_ERR_UNSUPPORTED);
  if (mismatch) {
    if (e->kind == FZ_EV_OFFER || (e->kind == FZ_EV_TEXT && !msg_valid))
      FZ_CHECK(rc[0] != CSAT_OK && rc[0] != CSAT_ERR_CALLBACK && rc[0] != CSAT_ERR_NOMEM);
    else
      FZ_CHECK(rc[0] == CSAT_ERR_UNSUPPORTED);
  }
  /* CALLBACK exactly when a callback the contract names failed. */
  if (rc[0] == CSAT_ERR_CALLBACK)
    FZ_CHECK(h->failed_any);
  if (h->failed_required)
    FZ_CHECK(rc[0] == CSAT_ERR_CALLBACK);
  FZ_CHECK(csat_session_errmsg(s) != NULL);

  /* The outcome, once set, never changes; ended <=> outcome set. */
  FZ_CHECK(outcome >= 0 && outcome <= CSAT_OUTCOME_MAX);
  if (t->outcome_seen != 0)
    FZ_CHECK(outcome == t->outcome_seen);
  t->outcome_seen = outcome;
  FZ_CHECK((ended != 0) == (outcome != 0));
  FZ_CHECK((pending & ~h->pending_mask) == 0);
  if (!ended) {
    FZ_CHECK(pending == 0);
    FZ_CHECK(h->ended_calls == 0 && h->store_calls == 0 && h->task_calls == 0);
    FZ_CHECK(h->optout_calls == 0);
  } else {
    FZ_CHECK(h->ended_calls == 1 && h->ended_outcome == outcome);
    if (outcome == CSAT_OUTCOME_ALREADY_ANSWERED)
      FZ_CHECK((pending & ~(uint32_t)CSAT_PENDING_OPT_OUT) == 0 && h->store_calls == 0 &&
               h->task_calls == 0);
    else if (!(h->omit & FZ_OMIT_STORE))
      FZ_CHECK(((pending & CSAT_PENDING_STORE) != 0) == (h->store_ok == 0));
    if (pending & CSAT_PENDING_TASK)
      FZ_CHECK(h->task_ok == 0);
    if (pending & CSAT_PENDING_OPT_OUT)
      FZ_CHECK(h->optout_ok == 0 && h->optout_sent);
    else if (h->optout_calls > 0)
      FZ_CHECK(h->optout_ok);
  }
  if (outcome == CSAT_OUTCOME_OPTED_OUT) {
    /* On text only, and nothing may be sent from now on. */
    FZ_CHECK(!h->voice && h->optout_sent);
    t->side[0].h.optout_done = t->side[1].h.optout_done = 1;
  }
  if (h->voice)
    FZ_CHECK(outcome != CSAT_OUTCOME_EXPIRED && outcome != CSAT_OUTCOME_OPTED_OUT);
  if (h->task_calls_event || (pending & CSAT_PENDING_TASK))
    FZ_CHECK(csat_result_flagged(csat_session_result(s)));
  if (e->kind == FZ_EV_FLUSH)
    FZ_CHECK((rc[0] == CSAT_OK || rc[0] == CSAT_ERR_NOMEM || rc[0] == CSAT_ERR_CALLBACK) &&
             (rc[0] == CSAT_OK) == (pending == 0));

  /* Side 0 saved into the spare buffer, then compared with the blob of the
   * step before. */
  after_len = fz_save_buf(s, &t->spare, &t->spare_cap);
  unchanged = after_len == t->blob_len && memcmp(t->spare, t->blob, after_len) == 0;
  /* The result, when anything changed. */
  if (!unchanged || t->steps == 0) {
    fz_check_result(csat_session_result(s), t->survey, !t->lax_times);
    if (h->def != NULL)
      fz_check_answers(h, csat_session_result(s));
  }
  /* STATE and the argument errors: the event was refused, nothing changed. */
  if (rc[0] == CSAT_ERR_STATE || rc[0] == CSAT_ERR_UNSUPPORTED || rc[0] == CSAT_ERR_INVALID_ARG ||
      rc[0] == CSAT_ERR_LIMIT || rc[0] == CSAT_ERR_UTF8)
    FZ_CHECK(h->ncalls == 0 && unchanged);
  /* NOMEM: either nothing changed (a copy failed first), or the event was
   * applied and the task it could not build is pending. */
  if (rc[0] == CSAT_ERR_NOMEM)
    FZ_CHECK((h->ncalls == 0 && unchanged) || (pending & CSAT_PENDING_TASK));
  if (text_checks) {
    if (e->kind == FZ_EV_TEXT || e->kind == FZ_EV_EXPIRE)
      fz_snap_take(csat_session_result(s), &after);
    fz_check_text_event(t, e, rc[0], prev_outcome, prev_new, prev_ended, prev_optout_done,
                        prev_notices, msg_optout, &before, &after, unchanged);
  }
  /* The spare buffer becomes the blob of this step. */
  tmp = t->blob;
  t->blob = t->spare;
  t->spare = tmp;
  {
    size_t c = t->blob_cap;
    t->blob_cap = t->spare_cap;
    t->spare_cap = c;
  }
  t->blob_len = after_len;
  /* The buffer conventions of save: at explicit saves (they cost two more). */
  if (e->kind == FZ_EV_SAVE_RESTORE)
    fz_save_conventions(s, t->blob, t->blob_len);
  t->steps++;

  for (i = 0; i < 2; i++)
    fz_log_reset(&t->side[i].h.log);
  /* When the state changed: the twin must be in the same state, byte for
   * byte; then it is replaced by a restore of that state. The restore is
   * checked by the next comparison (or the last one in fz_twin_free), at
   * once now and then. An unchanged state needs neither: the twin is
   * already a restore of it, and it is compared after the next change. */
  if (!unchanged || e->kind == FZ_EV_SAVE_RESTORE) {
    fz_twin_compare(t);
    fz_twin_restore(t);
    if ((t->steps & 7u) == 0)
      fz_twin_compare(t);
  }
}

void fz_twin_free(fz_twin *t) {
  int i;
  /* The last comparison, and now and then the buffer conventions of save
   * (also checked at every explicit save and restore). */
  if (t->side[0].s != NULL && t->side[1].s != NULL && t->blob != NULL) {
    static unsigned count;
    fz_twin_compare(t);
    if ((count++ & 7u) == 0)
      fz_save_conventions(t->side[0].s, t->blob, t->blob_len);
  }
  for (i = 0; i < 2; i++) {
    csat_session_free(t->side[i].s);
    t->side[i].s = NULL;
    /* Every block of the side's sessions went back to its allocator. */
    if (t->side[i].h.fa != NULL)
      FZ_CHECK(t->side[i].h.fa->live == 0);
    fz_host_free(&t->side[i].h);
  }
  free(t->blob);
  free(t->spare);
  t->blob = t->spare = NULL;
  t->blob_cap = t->spare_cap = 0;
}
