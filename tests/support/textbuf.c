/* The text buffer (see textbuf.h).
 * SPDX-License-Identifier: MIT */
#include "textbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void tb_reserve(textbuf *b, size_t more) {
  size_t cap = b->cap ? b->cap : 256;
  char *p;
  if (b->len + more + 1 <= b->cap)
    return;
  while (cap < b->len + more + 1)
    cap *= 2;
  p = realloc(b->p, cap);
  if (p == NULL) {
    fprintf(stderr, "textbuf: out of memory\n");
    abort();
  }
  b->p = p;
  b->cap = cap;
}

void tb_add(textbuf *b, const void *s, size_t n) {
  tb_reserve(b, n);
  if (n)
    memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

void tb_str(textbuf *b, const char *s) { tb_add(b, s, strlen(s)); }

void tb_printf(textbuf *b, const char *fmt, ...) {
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) {
    fprintf(stderr, "textbuf: bad format %s\n", fmt);
    abort();
  }
  tb_reserve(b, (size_t)n);
  va_start(ap, fmt);
  vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

void tb_reset(textbuf *b) {
  b->len = 0;
  if (b->p)
    b->p[0] = '\0';
}

void tb_free(textbuf *b) {
  free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
}
