/*
 * A small, strict, bounded JSON reader (RFC 8259) producing a DOM that the
 * survey loaders walk. Internal: not installed.
 *
 * - input <= CSAT_JSON_MAX_INPUT bytes, nesting <= CSAT_JSON_MAX_DEPTH;
 * - UTF-8 validated, no BOM, no raw control characters in strings,
 *   \u escapes decoded (surrogate pairs joined, lone surrogates and \u0000
 *   refused), duplicate member names refused;
 * - numbers are checked against the grammar; integers (no fraction or
 *   exponent) are also converted with a hand-written digit loop;
 * - errors carry code, "line:column: message" and the byte offset.
 *
 * Every decoded string lives in one pool as large as the input (a string's
 * decoded bytes plus NUL never exceed its quoted source), so a document costs
 * one pool plus one buffer per non-empty array or object.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CSAT_JSON_H
#define CSAT_JSON_H

#include "base.h"

#define CSAT__J_NULL 1
#define CSAT__J_BOOL 2
#define CSAT__J_NUMBER 3
#define CSAT__J_STRING 4
#define CSAT__J_ARRAY 5
#define CSAT__J_OBJECT 6

typedef struct csat__jval csat__jval;
typedef struct csat__jmem csat__jmem;

struct csat__jval {
  uint8_t type;    /* CSAT__J_* */
  uint8_t is_int;  /* number written without fraction or exponent */
  uint8_t big;     /* integer outside the int64 range (num is meaningless) */
  uint8_t boolean; /* CSAT__J_BOOL: 0 or 1 */
  uint32_t offset; /* byte offset of the value's first byte */
  uint32_t len;    /* string bytes, array items or object members */
  int64_t num;     /* integer value when is_int && !big */
  union {
    const char *str;     /* NUL-terminated; never contains NUL */
    csat__jval *items;   /* array items in order */
    csat__jmem *members; /* object members in document order */
  } u;
};

struct csat__jmem {
  const char *key; /* NUL-terminated; never contains NUL */
  uint32_t key_len;
  uint32_t key_offset; /* byte offset of the key's opening quote */
  csat__jval val;
};

typedef struct csat__jdoc {
  csat__alloc alloc;
  const char *src; /* the input (borrowed) */
  size_t len;
  char *pool; /* every decoded string */
  csat__jval root;
} csat__jdoc;

/* Parse src[0..len). On success the caller frees the document with
 * csat__json_free; on failure nothing stays allocated and err (may be NULL)
 * is filled. Returns OK, PARSE, UTF8, LIMIT, NOMEM or INVALID_ARG. */
int csat__json_parse(csat__jdoc *d, const csat__alloc *a, const char *src, size_t len,
                     csat_error *err);
void csat__json_free(csat__jdoc *d);

/* The member of an object called key, or NULL (also when obj is no object). */
const csat__jval *csat__json_get(const csat__jval *obj, const char *key);

/* 1-based line and byte column of a byte offset in the document's input. */
void csat__json_pos(const char *src, size_t len, size_t offset, int32_t *line, int32_t *column);

/* Fill err with code, the position of `offset` and "line:column: message";
 * returns code so callers can `return csat__json_fail(...)`. */
int csat__json_fail(const csat__jdoc *d, csat_error *err, int code, size_t offset, const char *fmt,
                    ...) CSAT__PRINTF(5, 6);

#endif /* CSAT_JSON_H */
