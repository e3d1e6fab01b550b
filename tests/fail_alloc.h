/*
 * The tests' one failing allocator: a csat_allocator that counts its
 * malloc/realloc calls, can fail the k-th call (once, or every call from k
 * on), and keeps live blocks and bytes so a test can see a leak
 * (live != 0 once everything is freed) and print a footprint.
 *
 * Each block carries a small header (its size and the fail_alloc it came
 * from): byte accounting needs the size, and a block freed or resized through
 * another allocator, or not allocated here at all, aborts the test at once
 * instead of corrupting the counts. realloc always moves the block, so a
 * pointer kept across a realloc shows up under the sanitizers and valgrind.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CSAT_TEST_FAIL_ALLOC_H
#define CSAT_TEST_FAIL_ALLOC_H

#include "csat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fail_alloc {
  long calls;     /* malloc + realloc calls so far, failed ones included */
  long fail_at;   /* 1-based call that fails (0: never) */
  int persistent; /* fail every call from fail_at on, not just that one */
  long failures;  /* calls that failed: 0 means fail_at was never reached */
  long live;      /* blocks allocated and not yet freed */
  size_t bytes;   /* bytes in those blocks */
  size_t peak;    /* the most bytes live at once */
} fail_alloc;

typedef struct fail_alloc_header {
  size_t size;
  const fail_alloc *owner;
} fail_alloc_header;

/* 16 bytes keep the caller's block aligned as malloc's own (max_align_t is
 * 16 bytes on the usual 64-bit ABIs); the header must fit in them. */
#define FAIL_ALLOC_HEADER 16
typedef char fail_alloc_header_fits[sizeof(fail_alloc_header) <= FAIL_ALLOC_HEADER ? 1 : -1];

/* Count the call and say whether it is one that must fail. */
static inline int fail_alloc_should_fail(fail_alloc *fa) {
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
static inline fail_alloc_header fail_alloc_header_of(const fail_alloc *fa, void *ptr) {
  fail_alloc_header h;
  memcpy(&h, (unsigned char *)ptr - FAIL_ALLOC_HEADER, sizeof h);
  if (h.owner != fa) {
    fprintf(stderr, "fail_alloc: block %p was not allocated by this allocator\n", ptr);
    abort();
  }
  return h;
}

static inline void *fail_alloc_malloc(size_t n, void *user) {
  fail_alloc *fa = user;
  fail_alloc_header h;
  unsigned char *p;
  if (fail_alloc_should_fail(fa))
    return NULL;
  p = malloc(FAIL_ALLOC_HEADER + n);
  if (p == NULL)
    return NULL;
  h.size = n;
  h.owner = fa;
  memcpy(p, &h, sizeof h);
  fa->live++;
  fa->bytes += n;
  if (fa->bytes > fa->peak)
    fa->peak = fa->bytes;
  return p + FAIL_ALLOC_HEADER;
}

static inline void fail_alloc_free(void *ptr, void *user) {
  fail_alloc *fa = user;
  fail_alloc_header h;
  if (ptr == NULL)
    return;
  h = fail_alloc_header_of(fa, ptr);
  fa->live--;
  fa->bytes -= h.size;
  free((unsigned char *)ptr - FAIL_ALLOC_HEADER);
}

static inline void *fail_alloc_realloc(void *ptr, size_t n, void *user) {
  fail_alloc *fa = user;
  fail_alloc_header h;
  unsigned char *p;
  if (ptr == NULL)
    return fail_alloc_malloc(n, user); /* one call, counted there */
  h = fail_alloc_header_of(fa, ptr);
  if (fail_alloc_should_fail(fa))
    return NULL; /* the old block stays as it was */
  p = malloc(FAIL_ALLOC_HEADER + n);
  if (p == NULL)
    return NULL;
  memcpy(p + FAIL_ALLOC_HEADER, ptr, h.size < n ? h.size : n);
  free((unsigned char *)ptr - FAIL_ALLOC_HEADER);
  fa->bytes = fa->bytes - h.size + n;
  h.size = n;
  memcpy(p, &h, sizeof h);
  if (fa->bytes > fa->peak)
    fa->peak = fa->bytes;
  return p + FAIL_ALLOC_HEADER;
}

/* Reset every counter, arm the failure (fail_at 0: never) and return the
 * csat_allocator that allocates through fa. Tests may move fail_at and
 * persistent later, e.g. fa->fail_at = fa->calls + 1 fails the next call. */
static inline csat_allocator fail_alloc_init(fail_alloc *fa, long fail_at, int persistent) {
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

#endif
