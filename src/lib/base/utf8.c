/* UTF-8 validation, counting and safe truncation.
 * SPDX-License-Identifier: MIT */
#include "base.h"

/* Length of the valid sequence at s[i], or 0 when it is invalid (RFC 3629:
 * no overlong forms, no surrogates, nothing above U+10FFFF). */
static size_t seq_len(const unsigned char *s, size_t n, size_t i) {
  unsigned char c = s[i];
  size_t len, k;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c < 0x80)
    return 1;
  if (c >= 0xC2 && c <= 0xDF)
    len = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0)
      lo = 0xA0;
    else if (c == 0xED)
      hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0)
      lo = 0x90;
    else if (c == 0xF4)
      hi = 0x8F;
  } else
    return 0;
  if (n - i < len)
    return 0;
  if (s[i + 1] < lo || s[i + 1] > hi)
    return 0;
  for (k = 2; k < len; k++)
    if (s[i + k] < 0x80 || s[i + k] > 0xBF)
      return 0;
  return len;
}

size_t csat__utf8_invalid_at(const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  while (i < n) {
    size_t l = seq_len(u, n, i);
    if (l == 0)
      return i;
    i += l;
  }
  return n;
}

int csat__utf8_valid(const char *s, size_t n) { return csat__utf8_invalid_at(s, n) == n; }

size_t csat__utf8_count(const char *s, size_t n) {
  size_t i, count = 0;
  for (i = 0; i < n; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80)
      count++;
  return count;
}

size_t csat__utf8_prefix(const char *s, size_t n, size_t max_chars) {
  size_t i = 0, chars = 0;
  while (i < n && chars < max_chars) {
    size_t l = seq_len((const unsigned char *)s, n, i);
    if (l == 0)
      break; /* stop before anything invalid rather than split it */
    i += l;
    chars++;
  }
  return i;
}

uint32_t csat__utf8_next(const char *s, size_t n, size_t *i) {
  const unsigned char *u = (const unsigned char *)s;
  size_t l = seq_len(u, n, *i), k;
  uint32_t cp;
  if (l == 0) {
    (*i)++;
    return 0xFFFDu;
  }
  if (l == 1) {
    cp = u[*i];
  } else {
    cp = u[*i] & (0xFFu >> (l + 1));
    for (k = 1; k < l; k++)
      cp = (cp << 6) | (u[*i + k] & 0x3Fu);
  }
  *i += l;
  return cp;
}
