/*
 * csat_sms: what its store knows of SMS: phone numbers as file names, and
 * the opt-out list. The files themselves go through tool_store.h.
 * SPDX-License-Identifier: MIT
 */
#define _POSIX_C_SOURCE 200809L

#include "sms.h"
#include "tool_store.h"

#include <errno.h>
#include <string.h>

int sms_number_key(const char *num, char *addr, char *key) {
  size_t digits = 0, a = 0, k = 0;
  const char *p = num;
  while (*p == ' ')
    p++;
  if (*p == '+') {
    addr[a++] = '+';
    key[k++] = 'p';
    p++;
  }
  for (; *p; p++) {
    if (*p >= '0' && *p <= '9') {
      if (++digits > SMS_MAX_DIGITS)
        return -1;
      addr[a++] = *p;
      key[k++] = *p;
    } else if (*p != ' ' && *p != '-' && *p != '.' && *p != '(' && *p != ')') {
      return -1;
    }
  }
  addr[a] = key[k] = '\0';
  return digits > 0 ? 0 : -1;
}

int sms_listed(const char *dir, const char *name, const char *addr) {
  char path[TOOL_PATH_MAX];
  tool_buf b = {0};
  size_t alen = strlen(addr);
  const char *p, *end;
  int found = 0;
  if (tool_store_path(path, dir, name, NULL) != 0)
    return -1;
  if (tool_store_read(path, (size_t)64 << 20, &b) != 0) {
    int e = errno;
    tool_buf_free(&b);
    errno = e;
    return e == ENOENT ? 0 : -1;
  }
  for (p = b.p, end = b.p + b.len; p < end && !found;) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
    found = n == alen && memcmp(p, addr, n) == 0;
    p += n + 1;
  }
  tool_buf_free(&b);
  return found;
}
