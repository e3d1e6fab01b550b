/* A growing, always NUL-terminated text buffer for logs and action lines
 * (test_transcripts, the fuzz harness). Out of memory aborts: a test host
 * has nothing better to do.
 * SPDX-License-Identifier: MIT */
#ifndef CSAT_TEST_TEXTBUF_H
#define CSAT_TEST_TEXTBUF_H

#include <stddef.h>

typedef struct textbuf {
  char *p; /* NULL until something is added */
  size_t len, cap;
} textbuf;

#if defined(__GNUC__)
#  define TB_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#  define TB_PRINTF(f, a)
#endif

void tb_add(textbuf *b, const void *s, size_t n);
void tb_str(textbuf *b, const char *s);
/* printf of any length. */
void tb_printf(textbuf *b, const char *fmt, ...) TB_PRINTF(2, 3);
void tb_reset(textbuf *b);
void tb_free(textbuf *b);

#endif
