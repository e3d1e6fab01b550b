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

void fz_log_str(fz_log *l, const char *s) {
  if (s == NULL) {
    tb_add(l, "-", 1);
    return;
  }
  tb_printf(l, "%zu:\"", strlen(s));
  tb_add(l, s, strlen(s));
  tb_add(l, "\"", 1);
}

void fz_log_bytes(fz_log *l, const char *s, size_t n) {
  size_t i, shown = n < 48 ? n : 48;
  tb_printf(l, " %zu:\"", n);
  for (i = 0; i < shown; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
      tb_add(l, s + i, 1);
    else
      tb_printf(l, "\\x%02x", c);
  }
  tb_add(l, shown < n ? "\"..." : "\"", shown < n ? 4 : 1);
}

/* ---- input -------------------------------------------------------------- */

uint8_t fz_byte(fz_in *in) { return in->i < in->n ? in->p[in->i++] : 0; }
int fz_more(const fz_in *in) { return in->i < in->n; }
