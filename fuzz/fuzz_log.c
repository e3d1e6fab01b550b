/* The fuzz harness's basics: invariant failure, checked allocation, the
 * callback log and the input reader (see fuzz_common.h).
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

void *fz_xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (p == NULL) {
    fprintf(stderr, "fuzz harness: out of memory\n");
    abort();
  }
  return p;
}

char *fz_strdup(const char *s) {
  size_t n;
  char *p;
  if (s == NULL)
    return NULL;
  n = strlen(s);
  p = fz_xmalloc(n + 1);
  memcpy(p, s, n + 1);
  return p;
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

