/*
 * csat_sms: byte buffers and the text codecs between Kannel and the library.
 * SPDX-License-Identifier: MIT
 */
#include "sms.h"

#include <stdlib.h>
#include <string.h>

int sms_buf_add(sms_buf *b, const void *data, size_t n) {
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

int sms_buf_str(sms_buf *b, const char *s) { return sms_buf_add(b, s, strlen(s)); }

void sms_buf_free(sms_buf *b) {
  free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
}

int sms_parse_u64(const char *s, int64_t *out) {
  int64_t v = 0;
  if (*s == '\0')
    return -1;
  for (; *s; s++) {
    if (*s < '0' || *s > '9' || v > (INT64_MAX - 9) / 10)
      return -1;
    v = v * 10 + (*s - '0');
  }
  *out = v;
  return 0;
}

static int hexval(int c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

size_t sms_url_decode(char *s, int plus_is_space) {
  size_t r = 0, w = 0;
  while (s[r] != '\0') {
    int hi, lo;
    if (s[r] == '+' && plus_is_space) {
      s[w++] = ' ';
      r++;
    } else if (s[r] == '%' && (hi = hexval((unsigned char)s[r + 1])) >= 0 &&
               (lo = hexval((unsigned char)s[r + 2])) >= 0) {
      s[w++] = (char)(hi * 16 + lo);
      r += 3;
    } else {
      s[w++] = s[r++];
    }
  }
  s[w] = '\0';
  return w;
}

int sms_url_encode(sms_buf *b, const char *s, size_t len) {
  static const char hex[] = "0123456789ABCDEF";
  size_t i;
  for (i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    int keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_' || c == '.' || c == '~';
    char e[3];
    e[0] = '%';
    e[1] = hex[c >> 4];
    e[2] = hex[c & 15];
    if (keep ? sms_buf_add(b, s + i, 1) : sms_buf_add(b, e, 3))
      return -1;
  }
  return 0;
}

static int put_utf8(sms_buf *b, uint32_t cp) {
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
  return sms_buf_add(b, u, n);
}

int sms_utf16be_to_utf8(const unsigned char *s, size_t len, sms_buf *out) {
  size_t i = 0;
  if (sms_buf_add(out, "", 0) != 0)
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

int sms_clean_text(const char *s, size_t len, size_t max, sms_buf *out) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  if (sms_buf_add(out, "", 0) != 0)
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
    if (sms_buf_add(out, piece, plen) != 0)
      return -1;
    i += n;
  }
  return 0;
}

int sms_json_str(sms_buf *b, const char *s) {
  static const char hex[] = "0123456789abcdef";
  int rc = sms_buf_add(b, "\"", 1);
  for (; s != NULL && *s && rc == 0; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') {
      char e[2];
      e[0] = '\\';
      e[1] = (char)c;
      rc = sms_buf_add(b, e, 2);
    } else if (c < 0x20) {
      char e[6];
      e[0] = '\\';
      e[1] = 'u';
      e[2] = '0';
      e[3] = '0';
      e[4] = hex[c >> 4];
      e[5] = hex[c & 15];
      rc = sms_buf_add(b, e, 6);
    } else {
      rc = sms_buf_add(b, s, 1);
    }
  }
  return rc == 0 ? sms_buf_add(b, "\"", 1) : rc;
}
