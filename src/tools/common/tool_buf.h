/*
 * csat_toolkit: a growable byte buffer for the programs in src/tools.
 *
 * Host-side helper (not part of libcsat, not installed). A zeroed tool_buf
 * is empty and ready; once anything was added (even zero bytes) `p` is
 * NUL-terminated, so text can be read as a C string. Memory comes from
 * malloc/realloc and is released by tool_buf_free. One thread at a time.
 * SPDX-License-Identifier: MIT
 */
#ifndef CSAT_TOOL_BUF_H
#define CSAT_TOOL_BUF_H

#include <stddef.h>

typedef struct tool_buf {
  char *p;    /* the bytes, NULL until the first add */
  size_t len; /* bytes held, not counting the terminating NUL */
  size_t cap; /* bytes allocated */
} tool_buf;

/* Append n bytes (n may be 0: makes `p` a valid empty string). 0, or -1 when
 * out of memory or the length would overflow (the buffer is unchanged). */
int tool_buf_add(tool_buf *b, const void *data, size_t n);
/* Append a NUL-terminated string (without its NUL). 0 or -1, as above. */
int tool_buf_str(tool_buf *b, const char *s);
/* Release the memory; the buffer is empty and reusable. */
void tool_buf_free(tool_buf *b);

#endif
