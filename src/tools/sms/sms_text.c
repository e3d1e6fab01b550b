/*
 * csat_sms: the text codecs between Kannel and the library (UTF-16BE in,
 * clean UTF-8 for the library).
 * SPDX-License-Identifier: MIT
 */
#include "sms.h"

static int put_utf8(tool_buf *b, uint32_t cp) {
  unsigned char u[4];
  size_t n;
  if (cp < 0x80) {
    u[0] = (unsigned char)cp;
    n = 1;
  } else if (cp < 0x800) {
    u[0] = (unsigned char)(0xC0 | (cp >> 6));
    u[1] = (unsigned char)(0x80 | (cp & 0x3F));
    n = 2;
  } else if (cp < 0x10000) {
    u[0] = (unsigned char)(0xE0 | (cp >> 12));
    u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    u[2] = (unsigned char)(0x80 | (cp & 0x3F));
    n = 3;
  } else {
    u[0] = (unsigned char)(0xF0 | (cp >> 18));
    u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (unsigned char)(0x80 | (cp & 0x3F));
    n = 4;
  }
  return tool_buf_add(b, u, n);
}

int sms_utf16be_to_utf8(const unsigned char *s, size_t len, tool_buf *out) {
  size_t i = 0;
  if (tool_buf_add(out, "", 0) != 0)
    return -1;
  while (i + 1 < len) {
    uint32_t u = (uint32_t)s[i] << 8 | s[i + 1];
    i += 2;
    if (u >= 0xD800 && u <= 0xDBFF && i + 1 < len) {
      uint32_t l = (uint32_t)s[i] << 8 | s[i + 1];
      if (l >= 0xDC00 && l <= 0xDFFF) {
        u = 0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00);
        i += 2;
      } else {
        u = 0xFFFD;
      }
    } else if (u >= 0xD800 && u <= 0xDFFF) {
      u = 0xFFFD;
    }
    if (put_utf8(out, u) != 0)
      return -1;
  }
  if (i < len && put_utf8(out, 0xFFFD) != 0)
    return -1;
  return 0;
}

/* Length of the valid UTF-8 sequence at s (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF), or 0 when it is not one. */
static size_t utf8_seq(const unsigned char *s, size_t len) {
  size_t n, i;
  uint32_t cp, lo;
  if (s[0] < 0x80)
    return 1;
  if (s[0] >= 0xC2 && s[0] <= 0xDF) {
    n = 2;
    cp = s[0] & 0x1Fu;
    lo = 0x80;
  } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
    n = 3;
    cp = s[0] & 0x0Fu;
    lo = 0x800;
  } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
    n = 4;
    cp = s[0] & 0x07u;
    lo = 0x10000;
  } else {
    return 0;
  }
  if (len < n)
    return 0;
  for (i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return 0;
    cp = cp << 6 | (s[i] & 0x3Fu);
  }
  if (cp < lo || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return n;
}

int sms_clean_text(const char *s, size_t len, size_t max, tool_buf *out) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  if (tool_buf_add(out, "", 0) != 0)
    return -1;
  while (i < len) {
    size_t n = utf8_seq(u + i, len - i);
    const char *piece = s + i;
    size_t plen = n;
    if (n == 0) {
      piece = "\xEF\xBF\xBD"; /* U+FFFD */
      plen = 3;
      n = 1;
    } else if (u[i] == 0) {
      piece = " ";
    }
    if (out->len + plen > max)
      break; /* whole characters only */
    if (tool_buf_add(out, piece, plen) != 0)
      return -1;
    i += n;
  }
  return 0;
}
