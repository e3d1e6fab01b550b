/* The failing allocator (see fail_alloc.h).
 * SPDX-License-Identifier: MIT */
#include "fail_alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fail_alloc_header {
  size_t size;
  const fail_alloc *owner; /* NULL once freed: a second free aborts */
} fail_alloc_header;

/* 16 bytes keep the caller's block aligned as malloc's own (max_align_t is
 * 16 bytes on the usual 64-bit ABIs); the header must fit in them. */
#define FAIL_ALLOC_HEADER 16
typedef char fail_alloc_header_fits[sizeof(fail_alloc_header) <= FAIL_ALLOC_HEADER ? 1 : -1];

static void fail_alloc_abort(const char *what, const void *ptr) {
  fprintf(stderr, "fail_alloc: %s (%p)\n", what, ptr);
  fflush(stderr);
  abort();
}

/* Count the call and say whether it is one that must fail. */
static int fail_alloc_should_fail(fail_alloc *fa) {
  if (fa->paused)
    return 0;
  fa->calls++;
  if (fa->fail_at == 0)
    return 0;
  if (fa->calls == fa->fail_at || (fa->persistent && fa->calls > fa->fail_at)) {
    fa->failures++;
    return 1;
  }
  return 0;
}

/* The header of a block handed out by fa; aborts when the block is not one. */
static fail_alloc_header fail_alloc_header_of(const fail_alloc *fa, void *ptr) {
  fail_alloc_header h;
  memcpy(&h, (unsigned char *)ptr - FAIL_ALLOC_HEADER, sizeof h);
  if (h.owner != fa)
    fail_alloc_abort("block not allocated by this allocator, or freed before", ptr);
  return h;
}

static void *fail_alloc_block(fail_alloc *fa, size_t n) {
  fail_alloc_header h;
  unsigned char *p = malloc(FAIL_ALLOC_HEADER + n);
  if (p == NULL)
    fail_alloc_abort("out of real memory", NULL);
  h.size = n;
  h.owner = fa;
  memcpy(p, &h, sizeof h);
  fa->bytes += n;
  if (fa->bytes > fa->peak)
    fa->peak = fa->bytes;
  return p + FAIL_ALLOC_HEADER;
}

static void fail_alloc_release(void *ptr, fail_alloc_header h) {
  h.owner = NULL;
  memcpy((unsigned char *)ptr - FAIL_ALLOC_HEADER, &h, sizeof h);
  free((unsigned char *)ptr - FAIL_ALLOC_HEADER);
}

void *fail_alloc_malloc(size_t n, void *user) {
  fail_alloc *fa = user;
  if (fail_alloc_should_fail(fa))
    return NULL;
  if (n == 0)
    fail_alloc_abort("a request for 0 bytes", NULL);
  fa->live++;
  return fail_alloc_block(fa, n);
}

void fail_alloc_free(void *ptr, void *user) {
  fail_alloc *fa = user;
  fail_alloc_header h;
  if (ptr == NULL)
    return;
  h = fail_alloc_header_of(fa, ptr);
  fa->live--;
  fa->bytes -= h.size;
  fail_alloc_release(ptr, h);
}

void *fail_alloc_realloc(void *ptr, size_t n, void *user) {
  fail_alloc *fa = user;
  fail_alloc_header h;
  unsigned char *p;
  if (ptr == NULL)
    return fail_alloc_malloc(n, user); /* one call, counted there */
  h = fail_alloc_header_of(fa, ptr);
  if (fail_alloc_should_fail(fa))
    return NULL; /* the old block stays as it was */
  if (n == 0)
    fail_alloc_abort("a request for 0 bytes", ptr);
  fa->bytes -= h.size; /* before the new block counts, as the peak would be */
  p = fail_alloc_block(fa, n);
  memcpy(p, ptr, h.size < n ? h.size : n);
  fail_alloc_release(ptr, h);
  return p;
}

csat_allocator fail_alloc_init(fail_alloc *fa, long fail_at, int persistent) {
  csat_allocator a;
  memset(fa, 0, sizeof *fa);
  fa->fail_at = fail_at;
  fa->persistent = persistent;
  a.struct_size = sizeof a;
  a.malloc = fail_alloc_malloc;
  a.realloc = fail_alloc_realloc;
  a.free = fail_alloc_free;
  a.user = fa;
  return a;
}
