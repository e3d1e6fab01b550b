/*
 * csat_toolkit: the growable byte buffer (tool_buf.h).
 * SPDX-License-Identifier: MIT
 */
#include "tool_buf.h"

#include <stdlib.h>
#include <string.h>

int tool_buf_add(tool_buf *b, const void *data, size_t n) {
  if (n > (size_t)-1 - b->len - 1)
    return -1;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    char *p;
    while (cap < b->len + n + 1)
      cap = cap > (size_t)-1 / 2 ? b->len + n + 1 : cap * 2;
    if ((p = realloc(b->p, cap)) == NULL)
      return -1;
    b->p = p;
    b->cap = cap;
  }
  if (n > 0)
    memcpy(b->p + b->len, data, n);
  b->len += n;
  b->p[b->len] = '\0';
  return 0;
}

int tool_buf_str(tool_buf *b, const char *s) { return tool_buf_add(b, s, strlen(s)); }

void tool_buf_free(tool_buf *b) {
  free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
}
