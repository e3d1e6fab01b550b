/* Seed generator helpers (see gen_common.h).
 * SPDX-License-Identifier: MIT */
#include "gen_common.h"

#include <stdio.h>
#include <stdlib.h>

void gen_buf_reset(gen_buf *b, size_t max) {
  b->n = 0;
  b->max = max < sizeof b->p ? max : sizeof b->p;
}

void gen_put(gen_buf *b, unsigned v) {
  if (b->n < b->max)
    b->p[b->n++] = (unsigned char)v;
}

void gen_write(const char *root, const char *dir, const char *name, const void *data, size_t len) {
  char path[1024];
  FILE *f;
  snprintf(path, sizeof path, "%s/%s/%s", root, dir, name);
  f = fopen(path, "wb");
  if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
    fprintf(stderr, "seed generator: cannot write %s\n", path);
    exit(1);
  }
}
