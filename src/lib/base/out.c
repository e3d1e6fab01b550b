/* Output into caller-owned buffers with a "needed size" answer.
 * SPDX-License-Identifier: MIT */
#include "base.h"

#include <string.h>

void csat__out_init(csat__out *o, char *buf, size_t cap) {
  o->buf = buf;
  o->cap = buf ? cap : 0;
  o->len = 0;
  o->overflow = 0;
}

void csat__out_bytes(csat__out *o, const void *p, size_t n) {
  if (n == 0)
    return;
  if (o->len < o->cap) {
    size_t room = o->cap - o->len;
    memcpy(o->buf + o->len, p, n < room ? n : room);
  }
  if (SIZE_MAX - o->len < n) {
    o->overflow = 1;
    o->len = SIZE_MAX;
  } else {
    o->len += n;
  }
}

void csat__out_str(csat__out *o, const char *s) {
  if (s != NULL)
    csat__out_bytes(o, s, strlen(s));
}

void csat__out_char(csat__out *o, char c) { csat__out_bytes(o, &c, 1); }

void csat__out_put(void *ctx, const char *p, size_t n) { csat__out_bytes(ctx, p, n); }

void csat__out_i64(csat__out *o, int64_t v) {
  char tmp[24];
  size_t i = sizeof tmp;
  /* Work on the magnitude as unsigned so INT64_MIN does not overflow. */
  uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  do {
    tmp[--i] = (char)('0' + (int)(m % 10));
    m /= 10;
  } while (m != 0);
  if (v < 0)
    tmp[--i] = '-';
  csat__out_bytes(o, tmp + i, sizeof tmp - i);
}

void csat__out_u64_hex(csat__out *o, uint64_t v, int digits) {
  static const char hex[] = "0123456789abcdef";
  char tmp[16];
  int i;
  if (digits < 1 || digits > 16)
    digits = 16;
  for (i = digits - 1; i >= 0; i--) {
    tmp[i] = hex[v & 0xf];
    v >>= 4;
  }
  csat__out_bytes(o, tmp, (size_t)digits);
}

void csat__json_str(csat__put_fn put, void *ctx, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  size_t i, start = 0;
  put(ctx, "\"", 1);
  for (i = 0; s != NULL && i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    const char *esc = NULL;
    char u[6];
    if (c >= 0x20 && c != '"' && c != '\\')
      continue;
    put(ctx, s + start, i - start);
    start = i + 1;
    switch (c) {
    case '"': esc = "\\\""; break;
    case '\\': esc = "\\\\"; break;
    case '\n': esc = "\\n"; break;
    case '\r': esc = "\\r"; break;
    case '\t': esc = "\\t"; break;
    case '\b': esc = "\\b"; break;
    case '\f': esc = "\\f"; break;
    default:
      u[0] = '\\';
      u[1] = 'u';
      u[2] = '0';
      u[3] = '0';
      u[4] = hex[c >> 4];
      u[5] = hex[c & 0xf];
      put(ctx, u, 6);
      continue;
    }
    put(ctx, esc, 2);
  }
  if (s != NULL)
    put(ctx, s + start, n - start);
  put(ctx, "\"", 1);
}

void csat__out_json_str(csat__out *o, const char *s, size_t n) {
  csat__json_str(csat__out_put, o, s, n);
}

int csat__out_finish_text(csat__out *o, size_t *needed) {
  if (needed != NULL)
    *needed = o->len;
  if (o->overflow || o->len >= o->cap) {
    if (o->cap > 0)
      o->buf[o->cap - 1] = '\0';
    return o->overflow ? CSAT_ERR_LIMIT : CSAT_ERR_BUFFER_TOO_SMALL;
  }
  o->buf[o->len] = '\0';
  return CSAT_OK;
}

int csat__out_finish_bin(csat__out *o, size_t *needed) {
  if (needed != NULL)
    *needed = o->len;
  if (o->overflow)
    return CSAT_ERR_LIMIT;
  return o->len > o->cap ? CSAT_ERR_BUFFER_TOO_SMALL : CSAT_OK;
}
