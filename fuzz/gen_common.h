/* What the two seed generators (gen_corpus.c, gen_agg_corpus.c) share: a
 * byte buffer that drops what does not fit, and writing one seed file.
 * SPDX-License-Identifier: MIT */
#ifndef CSAT_FUZZ_GEN_COMMON_H
#define CSAT_FUZZ_GEN_COMMON_H

#include <stddef.h>

typedef struct gen_buf {
  unsigned char p[8192];
  size_t n, max; /* bytes held; at most max of them (<= sizeof p) */
} gen_buf;

/* Empty b and cap it at max bytes (seeds keep the sizes they always had). */
void gen_buf_reset(gen_buf *b, size_t max);
/* Append one byte; bytes past max are dropped. */
void gen_put(gen_buf *b, unsigned v);
/* Write root/dir/name; exits with status 1 when it cannot. */
void gen_write(const char *root, const char *dir, const char *name, const void *data, size_t len);

#endif
