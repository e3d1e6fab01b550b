/* Error text, version, outcome names, message formatting.
 * SPDX-License-Identifier: MIT */
#include "base.h"

#include <stdio.h>
#include <string.h>

const char *csat_version(void) { return CSAT_VERSION_STRING; }

uint32_t csat_version_num(void) { return (uint32_t)CSAT_VERSION_NUM; }

const char *csat_strerror(int code) {
  switch (code) {
  case CSAT_OK: return "success";
  case CSAT_ERR_INVALID_ARG: return "invalid argument";
  case CSAT_ERR_NOMEM: return "out of memory";
  case CSAT_ERR_BUFFER_TOO_SMALL: return "output buffer too small";
  case CSAT_ERR_PARSE: return "malformed JSON";
  case CSAT_ERR_INVALID_SURVEY: return "invalid survey definition";
  case CSAT_ERR_LIMIT: return "input exceeds a documented limit";
  case CSAT_ERR_STATE: return "call not legal in the current state";
  case CSAT_ERR_BLOB: return "saved session is corrupt";
  case CSAT_ERR_BLOB_VERSION: return "saved session has an unsupported format version";
  case CSAT_ERR_MISMATCH: return "saved session belongs to another survey";
  case CSAT_ERR_CALLBACK: return "a host callback failed; the work is kept pending";
  case CSAT_ERR_NOT_FOUND: return "not found";
  case CSAT_ERR_UTF8: return "invalid UTF-8";
  case CSAT_ERR_UNSUPPORTED: return "the host does not provide a required callback";
  default: return "unknown error";
  }
}

const char *csat_outcome_name(int32_t outcome) {
  static const char *const names[] = {
      "none",      "completed",          "partial",   "abandoned", "declined",
      "timed_out", "attempts_exhausted", "opted_out", "expired",   "already_answered"};
  if (outcome < 0 || outcome > CSAT_OUTCOME_MAX)
    return "unknown";
  return names[outcome];
}

void csat__msg_vset(char *buf, size_t cap, const char *fmt, va_list ap) {
  int n;
  if (cap == 0)
    return;
  /* %s and %d only: their output does not depend on the locale. */
  n = vsnprintf(buf, cap, fmt, ap);
  if (n < 0)
    buf[0] = '\0';
}

void csat__msg_set(char *buf, size_t cap, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  csat__msg_vset(buf, cap, fmt, ap);
  va_end(ap);
}

void csat__error_set(csat_error *err, int code, int32_t line, int32_t column, size_t offset,
                     const char *fmt, ...) {
  va_list ap;
  if (err == NULL || err->struct_size < CSAT__V1_SIZE(csat_error))
    return;
  err->code = code;
  err->line = line;
  err->column = column;
  err->offset = offset;
  va_start(ap, fmt);
  csat__msg_vset(err->message, sizeof err->message, fmt, ap);
  va_end(ap);
}
