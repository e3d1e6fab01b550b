/* Compact binary encoding shared by the blob formats (session, aggregator,
 * term tables): unsigned LEB128 varints and zigzag for signed values (the
 * reader is inline in csat_internal.h).
 * The readers' own rules (limits, messages, error offsets) stay with them;
 * here only what every format means by a varint.
 * SPDX-License-Identifier: MIT
 */
#include "base.h"

size_t csat__varint_encode(unsigned char b[CSAT__VARINT_MAX], uint64_t v) {
  size_t n = 0;
  do {
    b[n] = (unsigned char)(v & 0x7fu);
    v >>= 7;
    if (v != 0)
      b[n] |= 0x80u;
    n++;
  } while (v != 0);
  return n;
}

void csat__out_varint(csat__out *o, uint64_t v) {
  unsigned char b[CSAT__VARINT_MAX];
  csat__out_bytes(o, b, csat__varint_encode(b, v));
}

uint64_t csat__zigzag(int64_t v) {
  /* ~v is -(v + 1) without the signed overflow at INT64_MIN. */
  return v < 0 ? ((~(uint64_t)v) << 1) | 1u : (uint64_t)v << 1;
}

int64_t csat__unzigzag(uint64_t u) {
  /* Never converts an out-of-range unsigned value to a signed type. */
  return (u & 1u) ? -(int64_t)(u >> 1) - 1 : (int64_t)(u >> 1);
}
