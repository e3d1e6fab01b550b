/*
 * csat_toolkit: URL and JSON escaping (tool_escape.h).
 * SPDX-License-Identifier: MIT
 */
#include "tool_escape.h"

static int hexval(int c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

size_t tool_url_decode(char *s, int plus_is_space) {
  size_t r = 0, w = 0;
  while (s[r] != '\0') {
    int hi, lo;
    /* s[r + 1] is read only when not NUL, so a '%' at the end is safe. */
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

int tool_url_encode(tool_buf *b, const char *s, size_t len) {
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
    if (keep ? tool_buf_add(b, s + i, 1) : tool_buf_add(b, e, 3))
      return -1;
  }
  return 0;
}

int tool_json_string(tool_buf *b, const char *s) {
  static const char hex[] = "0123456789abcdef";
  int rc = tool_buf_add(b, "\"", 1);
  for (; s != NULL && *s && rc == 0; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') {
      char e[2];
      e[0] = '\\';
      e[1] = (char)c;
      rc = tool_buf_add(b, e, 2);
    } else if (c < 0x20) {
      char e[6];
      e[0] = '\\';
      e[1] = 'u';
      e[2] = '0';
      e[3] = '0';
      e[4] = hex[c >> 4];
      e[5] = hex[c & 15];
      rc = tool_buf_add(b, e, 6);
    } else {
      rc = tool_buf_add(b, s, 1);
    }
  }
  return rc == 0 ? tool_buf_add(b, "\"", 1) : rc;
}
