/* Validators of the library's output, independent of its code: UTF-8,
 * JSON (RFC 8259) and CSV records (RFC 4180).
 * SPDX-License-Identifier: MIT */
#include "fuzz_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of the UTF-8 sequence at s[i], or 0 when it is not valid. */
static size_t fz_utf8_seq(const unsigned char *s, size_t n, size_t i) {
  unsigned c = s[i];
  size_t len, k;
  uint32_t cp;
  if (c < 0x80)
    return 1;
  if (c >= 0xc2 && c <= 0xdf) {
    len = 2;
    cp = c & 0x1f;
  } else if (c >= 0xe0 && c <= 0xef) {
    len = 3;
    cp = c & 0x0f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (n - i < len)
    return 0;
  for (k = 1; k < len; k++) {
    if ((s[i + k] & 0xc0) != 0x80)
      return 0;
    cp = (cp << 6) | (s[i + k] & 0x3fu);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
      (cp >= 0xd800 && cp <= 0xdfff))
    return 0;
  return len;
}

int fz_utf8_valid(const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    size_t k = fz_utf8_seq((const unsigned char *)s, n, i);
    if (k == 0)
      return 0;
    i += k;
  }
  return 1;
}

size_t fz_utf8_count(const char *s, size_t n) {
  size_t i, count = 0;
  for (i = 0; i < n; i++)
    if ((((unsigned char)s[i]) & 0xc0) != 0x80)
      count++;
  return count;
}

typedef struct fz_jp {
  const char *s;
  size_t n, i;
} fz_jp;

static void fz_jws(fz_jp *p) {
  while (p->i < p->n &&
         (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' || p->s[p->i] == '\r'))
    p->i++;
}

static int fz_jdigit(const fz_jp *p) {
  return p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9';
}

static int fz_jstring(fz_jp *p) {
  if (p->i >= p->n || p->s[p->i] != '"')
    return 0;
  p->i++;
  while (p->i < p->n) {
    unsigned char c = (unsigned char)p->s[p->i++];
    if (c == '"')
      return 1;
    if (c < 0x20)
      return 0;
    if (c == '\\') {
      int k;
      if (p->i >= p->n)
        return 0;
      c = (unsigned char)p->s[p->i++];
      if (c == 'u') {
        for (k = 0; k < 4; k++) {
          char h;
          if (p->i >= p->n)
            return 0;
          h = p->s[p->i++];
          if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F')))
            return 0;
        }
      } else if (!strchr("\"\\/bfnrt", c) || c == 0) {
        return 0;
      }
    }
  }
  return 0;
}

static int fz_jvalue(fz_jp *p, int depth) {
  char c;
  if (depth > 64)
    return 0;
  fz_jws(p);
  if (p->i >= p->n)
    return 0;
  c = p->s[p->i];
  if (c == '{' || c == '[') {
    char close = c == '{' ? '}' : ']';
    p->i++;
    fz_jws(p);
    if (p->i < p->n && p->s[p->i] == close) {
      p->i++;
      return 1;
    }
    for (;;) {
      if (c == '{') {
        fz_jws(p);
        if (!fz_jstring(p))
          return 0;
        fz_jws(p);
        if (p->i >= p->n || p->s[p->i] != ':')
          return 0;
        p->i++;
      }
      if (!fz_jvalue(p, depth + 1))
        return 0;
      fz_jws(p);
      if (p->i >= p->n)
        return 0;
      if (p->s[p->i] == ',') {
        p->i++;
        continue;
      }
      if (p->s[p->i] == close) {
        p->i++;
        return 1;
      }
      return 0;
    }
  }
  if (c == '"')
    return fz_jstring(p);
  if (c == 't' || c == 'f' || c == 'n') {
    const char *w = c == 't' ? "true" : c == 'f' ? "false" : "null";
    size_t wl = strlen(w);
    if (p->n - p->i < wl || memcmp(p->s + p->i, w, wl) != 0)
      return 0;
    p->i += wl;
    return 1;
  }
  if (c == '-')
    p->i++;
  if (!fz_jdigit(p))
    return 0;
  if (p->s[p->i] == '0') {
    p->i++;
  } else {
    while (fz_jdigit(p))
      p->i++;
  }
  if (p->i < p->n && p->s[p->i] == '.') {
    p->i++;
    if (!fz_jdigit(p))
      return 0;
    while (fz_jdigit(p))
      p->i++;
  }
  if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
    p->i++;
    if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
      p->i++;
    if (!fz_jdigit(p))
      return 0;
    while (fz_jdigit(p))
      p->i++;
  }
  return 1;
}

int fz_json_valid(const char *s, size_t n) {
  fz_jp p;
  p.s = s;
  p.n = n;
  p.i = 0;
  if (!fz_jvalue(&p, 0))
    return 0;
  fz_jws(&p);
  return p.i == n;
}

int fz_csv_record(const char *s, size_t n, int check_formula) {
  size_t i = 0;
  int fields = 0;
  for (;;) {
    char first = 0;
    int have_first = 0;
    if (i < n && s[i] == '"') {
      i++;
      for (;;) {
        if (i >= n)
          return -1;
        if (s[i] == '"') {
          if (i + 1 < n && s[i + 1] == '"') {
            if (!have_first) {
              first = '"';
              have_first = 1;
            }
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (!have_first) {
          first = s[i];
          have_first = 1;
        }
        i++;
      }
    } else {
      while (i < n && s[i] != ',' && s[i] != '\r' && s[i] != '\n') {
        if (s[i] == '"')
          return -1;
        if (!have_first) {
          first = s[i];
          have_first = 1;
        }
        i++;
      }
    }
    fields++;
    if (check_formula && have_first &&
        (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' ||
         first == '\r'))
      return -1;
    if (i < n && s[i] == ',') {
      i++;
      continue;
    }
    if (i + 2 == n && s[i] == '\r' && s[i + 1] == '\n')
      return fields;
    return -1;
  }
}
