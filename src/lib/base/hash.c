/* FNV-1a 64: the content fingerprint of surveys (survey_json.c), tasks'
 * idempotency keys (task.c) and the checksum of saved aggregators
 * (agg_blob.c); stable across machines, which is all they need of it (the
 * aggregator's tables use a keyed hash of their own, agg_group.c, against
 * chosen-key collisions).
 * SPDX-License-Identifier: MIT */
#include "base.h"

uint64_t csat__hash_fnv1a(uint64_t h, const void *p, size_t n) {
  const unsigned char *b = p;
  size_t i;
  for (i = 0; i < n; i++) {
    h ^= b[i];
    h *= 0x100000001b3ull;
  }
  return h;
}
