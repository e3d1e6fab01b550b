/*
 * The one failing allocator of the tests and the fuzz harness: a
 * csat_allocator that counts its malloc/realloc calls, can fail the k-th call
 * (once, or every call from k on), and keeps live blocks and bytes so a test
 * can see a leak (live != 0 once everything is freed) and print a footprint.
 *
 * Each block carries a small header (its size and the fail_alloc it came
 * from): byte accounting needs the size, and a block freed twice, freed or
 * resized through another allocator, or not allocated here at all, aborts at
 * once instead of corrupting the counts. realloc always moves the block, so
 * a pointer kept across a realloc shows up under the sanitizers and valgrind.
 * A request for 0 bytes aborts too: the library never makes one.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CSAT_TEST_FAIL_ALLOC_H
#define CSAT_TEST_FAIL_ALLOC_H

#include "csat.h"

#include <stddef.h>

typedef struct fail_alloc {
  long calls;     /* malloc + realloc calls so far, failed ones included */
  long fail_at;   /* 1-based call that fails (0: never) */
  int persistent; /* fail every call from fail_at on, not just that one */
  int paused;     /* calls are neither counted nor failed while set */
  long failures;  /* calls that failed: 0 means fail_at was never reached */
  long live;      /* blocks allocated and not yet freed */
  size_t bytes;   /* bytes in those blocks */
  size_t peak;    /* the most bytes live at once */
} fail_alloc;

/* Reset every counter, arm the failure (fail_at 0: never) and return the
 * csat_allocator that allocates through fa. Tests may move fail_at and
 * persistent later, e.g. fa->fail_at = fa->calls + 1 fails the next call. */
csat_allocator fail_alloc_init(fail_alloc *fa, long fail_at, int persistent);

void *fail_alloc_malloc(size_t n, void *user);
void *fail_alloc_realloc(void *ptr, size_t n, void *user);
void fail_alloc_free(void *ptr, void *user);

#endif
