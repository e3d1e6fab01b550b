/* Per-object allocation through the host's allocator, and small helpers.
 * SPDX-License-Identifier: MIT */
#include "base.h"

#include <stdlib.h>
#include <string.h>

static void *libc_malloc(size_t n, void *user) {
  (void)user;
  return malloc(n);
}
static void *libc_realloc(void *p, size_t n, void *user) {
  (void)user;
  return realloc(p, n);
}
static void libc_free(void *p, void *user) {
  (void)user;
  free(p);
}

int csat__alloc_init(csat__alloc *a, const csat_allocator *host) {
  if (host == NULL) {
    a->malloc = libc_malloc;
    a->realloc = libc_realloc;
    a->free = libc_free;
    a->user = NULL;
    return CSAT_OK;
  }
  /* All four v1 members are required (not today's sizeof: it may grow). */
  if (host->struct_size < CSAT__V1_SIZE(csat_allocator) || host->malloc == NULL ||
      host->realloc == NULL || host->free == NULL)
    return CSAT_ERR_INVALID_ARG;
  a->malloc = host->malloc;
  a->realloc = host->realloc;
  a->free = host->free;
  a->user = host->user;
  return CSAT_OK;
}

void *csat__malloc(const csat__alloc *a, size_t n) { return a->malloc(n ? n : 1, a->user); }

void *csat__calloc(const csat__alloc *a, size_t n) {
  void *p = csat__malloc(a, n);
  if (p != NULL)
    memset(p, 0, n ? n : 1);
  return p;
}

void *csat__realloc(const csat__alloc *a, void *p, size_t n) {
  return a->realloc(p, n ? n : 1, a->user);
}

void csat__free(const csat__alloc *a, void *p) {
  if (p != NULL)
    a->free(p, a->user);
}

char *csat__strndup(const csat__alloc *a, const char *s, size_t n) {
  char *p;
  if (n == SIZE_MAX)
    return NULL;
  p = csat__malloc(a, n + 1);
  if (p == NULL)
    return NULL;
  if (n)
    memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

size_t csat__strnlen(const char *s, size_t max) {
  size_t i;
  for (i = 0; i <= max; i++)
    if (s[i] == '\0')
      return i;
  return max + 1;
}
