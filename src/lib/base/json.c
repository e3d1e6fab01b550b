/* A strict, bounded, locale-independent JSON reader (see json.h).
 * SPDX-License-Identifier: MIT */
#include "json.h"

#include <string.h>

typedef struct jp {
  csat__jdoc *d;
  csat_error *err;
  const unsigned char *s;
  size_t n;
  size_t i;
  size_t pool_len; /* bytes of d->pool used */
  int depth;
} jp;

void csat__json_pos(const char *src, size_t len, size_t offset, int32_t *line, int32_t *column) {
  size_t i, line_start = 0;
  int32_t l = 1;
  if (offset > len)
    offset = len;
  for (i = 0; i < offset; i++) {
    if (src[i] == '\n') {
      l++;
      line_start = i + 1;
    }
  }
  *line = l;
  *column = (int32_t)(offset - line_start + 1);
}

int csat__json_fail(const csat__jdoc *d, csat_error *err, int code, size_t offset, const char *fmt,
                    ...) {
  char msg[224];
  int32_t line, column;
  va_list ap;
  va_start(ap, fmt);
  csat__msg_vset(msg, sizeof msg, fmt, ap);
  va_end(ap);
  csat__json_pos(d->src, d->len, offset, &line, &column);
  csat__error_set(err, code, line, column, offset, "%d:%d: %s", (int)line, (int)column, msg);
  return code;
}

static int fail(jp *p, int code, size_t offset, const char *msg) {
  return csat__json_fail(p->d, p->err, code, offset, "%s", msg);
}

static void free_value(const csat__alloc *a, csat__jval *v) {
  uint32_t k;
  if (v->type == CSAT__J_ARRAY) {
    for (k = 0; k < v->len; k++)
      free_value(a, &v->u.items[k]);
    csat__free(a, v->u.items);
  } else if (v->type == CSAT__J_OBJECT) {
    for (k = 0; k < v->len; k++)
      free_value(a, &v->u.members[k].val);
    csat__free(a, v->u.members);
  }
  v->type = 0;
  v->len = 0;
}

static void skip_ws(jp *p) {
  while (p->i < p->n) {
    unsigned char c = p->s[p->i];
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
      break;
    p->i++;
  }
}

/* Length of the UTF-8 sequence at s[i] when it is valid, else 0. */
static size_t utf8_seq(const jp *p, size_t i) {
  unsigned char c = p->s[i];
  size_t l;
  if (c >= 0xC2 && c <= 0xDF)
    l = 2;
  else if (c >= 0xE0 && c <= 0xEF)
    l = 3;
  else if (c >= 0xF0 && c <= 0xF4)
    l = 4;
  else
    return 0;
  if (p->n - i < l || !csat__utf8_valid((const char *)p->s + i, l))
    return 0;
  return l;
}

static int hex4(const jp *p, size_t i, uint32_t *out) {
  uint32_t v = 0;
  size_t k;
  if (i > p->n || p->n - i < 4)
    return 0;
  for (k = 0; k < 4; k++) {
    unsigned char c = p->s[i + k];
    uint32_t d;
    if (c >= '0' && c <= '9')
      d = (uint32_t)(c - '0');
    else if (c >= 'a' && c <= 'f')
      d = (uint32_t)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      d = (uint32_t)(c - 'A' + 10);
    else
      return 0;
    v = (v << 4) | d;
  }
  *out = v;
  return 1;
}

/* p->s[p->i] is '"'. Decodes into the pool. */
static int parse_string(jp *p, const char **out, uint32_t *out_len) {
  size_t start = p->i;
  char *dst = p->d->pool + p->pool_len;
  size_t dn = 0;
  p->i++;
  for (;;) {
    unsigned char c;
    if (p->i >= p->n)
      return fail(p, CSAT_ERR_PARSE, start, "unterminated string");
    c = p->s[p->i];
    if (c == '"') {
      p->i++;
      break;
    }
    if (c == '\\') {
      size_t esc = p->i;
      uint32_t cp, lo;
      if (p->i + 1 >= p->n)
        return fail(p, CSAT_ERR_PARSE, start, "unterminated string");
      switch (p->s[p->i + 1]) {
      case '"': dst[dn++] = '"'; break;
      case '\\': dst[dn++] = '\\'; break;
      case '/': dst[dn++] = '/'; break;
      case 'b': dst[dn++] = '\b'; break;
      case 'f': dst[dn++] = '\f'; break;
      case 'n': dst[dn++] = '\n'; break;
      case 'r': dst[dn++] = '\r'; break;
      case 't': dst[dn++] = '\t'; break;
      case 'u':
        if (!hex4(p, p->i + 2, &cp))
          return fail(p, CSAT_ERR_PARSE, esc, "invalid \\u escape (4 hex digits expected)");
        p->i += 6;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          if (p->n - p->i >= 6 && p->s[p->i] == '\\' && p->s[p->i + 1] == 'u' &&
              hex4(p, p->i + 2, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
            p->i += 6;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else {
            return fail(p, CSAT_ERR_PARSE, esc, "lone surrogate in \\u escape");
          }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          return fail(p, CSAT_ERR_PARSE, esc, "lone surrogate in \\u escape");
        } else if (cp == 0) {
          return fail(p, CSAT_ERR_PARSE, esc, "\\u0000 is not allowed in strings");
        }
        dn += csat__utf8_put(dst + dn, cp);
        continue;
      default: return fail(p, CSAT_ERR_PARSE, esc, "invalid escape sequence");
      }
      p->i += 2;
    } else if (c < 0x20) {
      return fail(p, CSAT_ERR_PARSE, p->i, "control character in string (must be escaped)");
    } else if (c < 0x80) {
      dst[dn++] = (char)c;
      p->i++;
    } else {
      size_t l = utf8_seq(p, p->i);
      if (l == 0)
        return fail(p, CSAT_ERR_UTF8, p->i, "invalid UTF-8");
      memcpy(dst + dn, p->s + p->i, l);
      dn += l;
      p->i += l;
    }
  }
  /* dn + 1 <= the quoted source length, so the pool (input-sized) suffices. */
  dst[dn] = '\0';
  p->pool_len += dn + 1;
  *out = dst;
  *out_len = (uint32_t)dn;
  return CSAT_OK;
}

static int parse_number(jp *p, csat__jval *v) {
  size_t start = p->i;
  int neg = 0, is_int = 1, big = 0;
  uint64_t mag = 0;
  if (p->s[p->i] == '-') {
    neg = 1;
    p->i++;
  }
  if (p->i >= p->n || p->s[p->i] < '0' || p->s[p->i] > '9')
    return fail(p, CSAT_ERR_PARSE, p->i, "expected a digit");
  if (p->s[p->i] == '0') {
    p->i++;
    if (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
      return fail(p, CSAT_ERR_PARSE, start, "leading zeros are not allowed in numbers");
  } else {
    while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9') {
      uint64_t d = (uint64_t)(p->s[p->i] - '0');
      if (mag > (UINT64_MAX - d) / 10)
        big = 1;
      else
        mag = mag * 10 + d;
      p->i++;
    }
  }
  if (p->i < p->n && p->s[p->i] == '.') {
    is_int = 0;
    p->i++;
    if (p->i >= p->n || p->s[p->i] < '0' || p->s[p->i] > '9')
      return fail(p, CSAT_ERR_PARSE, p->i, "expected a digit after '.'");
    while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
      p->i++;
  }
  if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
    is_int = 0;
    p->i++;
    if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
      p->i++;
    if (p->i >= p->n || p->s[p->i] < '0' || p->s[p->i] > '9')
      return fail(p, CSAT_ERR_PARSE, p->i, "expected a digit in the exponent");
    while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
      p->i++;
  }
  v->type = CSAT__J_NUMBER;
  v->is_int = (uint8_t)is_int;
  v->num = 0;
  if (is_int) {
    if (!big && !neg && mag > (uint64_t)INT64_MAX)
      big = 1;
    if (!big && neg && mag > (uint64_t)INT64_MAX + 1u)
      big = 1;
    if (!big)
      v->num = neg ? (mag == (uint64_t)INT64_MAX + 1u ? INT64_MIN : -(int64_t)mag) : (int64_t)mag;
  }
  v->big = (uint8_t)big;
  return CSAT_OK;
}

static int parse_value(jp *p, csat__jval *v);

/* Double a buffer of `elem`-sized items; NULL (and the error set) on failure,
 * when the old buffer is still valid. */
static void *grow(jp *p, void *buf, uint32_t *cap, size_t elem) {
  uint32_t ncap = *cap ? *cap * 2 : 4;
  void *nb = csat__realloc(&p->d->alloc, buf, (size_t)ncap * elem);
  if (nb == NULL) {
    fail(p, CSAT_ERR_NOMEM, p->i, "out of memory");
    return NULL;
  }
  *cap = ncap;
  return nb;
}

static int key_cmp(const csat__jmem *a, uint32_t ia, const csat__jmem *b, uint32_t ib) {
  uint32_t n = a->key_len < b->key_len ? a->key_len : b->key_len;
  int c = memcmp(a->key, b->key, n);
  if (c != 0)
    return c;
  if (a->key_len != b->key_len)
    return a->key_len < b->key_len ? -1 : 1;
  return ia < ib ? -1 : (ia > ib ? 1 : 0);
}

static void sift(const csat__jmem *m, uint32_t *idx, uint32_t root, uint32_t n) {
  for (;;) {
    uint32_t child = 2 * root + 1, t;
    if (child >= n)
      return;
    if (child + 1 < n &&
        key_cmp(&m[idx[child]], idx[child], &m[idx[child + 1]], idx[child + 1]) < 0)
      child++;
    if (key_cmp(&m[idx[root]], idx[root], &m[idx[child]], idx[child]) >= 0)
      return;
    t = idx[root];
    idx[root] = idx[child];
    idx[child] = t;
    root = child;
  }
}

/* Find the first member (in document order) whose name appeared before.
 * *dup = its index, or count when there is none. Small objects are checked
 * pairwise; large ones through a sorted index so a hostile input with many
 * members stays O(n log n). */
static int find_duplicate(jp *p, const csat__jmem *m, uint32_t count, uint32_t *dup) {
  uint32_t i, j, *idx;
  *dup = count;
  if (count <= 16) {
    for (j = 1; j < count; j++)
      for (i = 0; i < j; i++)
        if (m[i].key_len == m[j].key_len && memcmp(m[i].key, m[j].key, m[j].key_len) == 0) {
          *dup = j;
          return CSAT_OK;
        }
    return CSAT_OK;
  }
  idx = csat__malloc(&p->d->alloc, (size_t)count * sizeof *idx);
  if (idx == NULL)
    return fail(p, CSAT_ERR_NOMEM, p->i, "out of memory");
  for (i = 0; i < count; i++)
    idx[i] = i;
  for (i = count / 2; i-- > 0;)
    sift(m, idx, i, count);
  for (i = count - 1; i > 0; i--) {
    uint32_t t = idx[0];
    idx[0] = idx[i];
    idx[i] = t;
    sift(m, idx, 0, i);
  }
  /* Equal names are adjacent, in document order: every later one is a duplicate. */
  for (i = 1; i < count; i++) {
    const csat__jmem *a = &m[idx[i - 1]], *b = &m[idx[i]];
    if (a->key_len == b->key_len && memcmp(a->key, b->key, a->key_len) == 0 && idx[i] < *dup)
      *dup = idx[i];
  }
  csat__free(&p->d->alloc, idx);
  return CSAT_OK;
}

static int parse_object(jp *p, csat__jval *v) {
  size_t start = p->i, comma = 0;
  csat__jmem *m = NULL;
  uint32_t count = 0, cap = 0, dup;
  int rc;
  p->i++;
  skip_ws(p);
  if (p->i < p->n && p->s[p->i] == '}') {
    p->i++;
    goto done;
  }
  for (;;) {
    skip_ws(p);
    if (p->i >= p->n) {
      rc = fail(p, CSAT_ERR_PARSE, p->i, "unexpected end of input");
      goto fail;
    }
    if (p->s[p->i] != '"') {
      if (count > 0 && p->s[p->i] == '}')
        rc = fail(p, CSAT_ERR_PARSE, comma, "trailing comma in object");
      else
        rc = fail(p, CSAT_ERR_PARSE, p->i, "expected a member name string");
      goto fail;
    }
    if (count == cap) {
      csat__jmem *nm = grow(p, m, &cap, sizeof *m);
      if (nm == NULL) {
        rc = CSAT_ERR_NOMEM;
        goto fail;
      }
      m = nm;
    }
    memset(&m[count], 0, sizeof m[count]);
    m[count].key_offset = (uint32_t)p->i;
    if ((rc = parse_string(p, &m[count].key, &m[count].key_len)) != CSAT_OK)
      goto fail;
    skip_ws(p);
    if (p->i >= p->n || p->s[p->i] != ':') {
      rc = fail(p, CSAT_ERR_PARSE, p->i, "expected ':' after member name");
      goto fail;
    }
    p->i++;
    if ((rc = parse_value(p, &m[count].val)) != CSAT_OK)
      goto fail;
    count++;
    skip_ws(p);
    if (p->i < p->n && p->s[p->i] == ',') {
      comma = p->i++;
      continue;
    }
    if (p->i < p->n && p->s[p->i] == '}') {
      p->i++;
      break;
    }
    rc = fail(p, CSAT_ERR_PARSE, p->i, "expected ',' or '}' after member");
    goto fail;
  }
  if ((rc = find_duplicate(p, m, count, &dup)) != CSAT_OK)
    goto fail;
  if (dup < count) {
    rc = csat__json_fail(p->d, p->err, CSAT_ERR_PARSE, m[dup].key_offset,
                         "duplicate member \"%.64s\"", m[dup].key);
    goto fail;
  }
done:
  v->type = CSAT__J_OBJECT;
  v->offset = (uint32_t)start;
  v->len = count;
  v->u.members = m;
  return CSAT_OK;
fail:
  while (count > 0)
    free_value(&p->d->alloc, &m[--count].val);
  csat__free(&p->d->alloc, m);
  return rc;
}

static int parse_array(jp *p, csat__jval *v) {
  size_t start = p->i, comma = 0;
  csat__jval *items = NULL;
  uint32_t count = 0, cap = 0;
  int rc;
  p->i++;
  skip_ws(p);
  if (p->i < p->n && p->s[p->i] == ']') {
    p->i++;
    goto done;
  }
  for (;;) {
    skip_ws(p);
    if (count > 0 && p->i < p->n && p->s[p->i] == ']') {
      rc = fail(p, CSAT_ERR_PARSE, comma, "trailing comma in array");
      goto fail;
    }
    if (count == cap) {
      csat__jval *ni = grow(p, items, &cap, sizeof *items);
      if (ni == NULL) {
        rc = CSAT_ERR_NOMEM;
        goto fail;
      }
      items = ni;
    }
    memset(&items[count], 0, sizeof items[count]);
    if ((rc = parse_value(p, &items[count])) != CSAT_OK)
      goto fail;
    count++;
    skip_ws(p);
    if (p->i < p->n && p->s[p->i] == ',') {
      comma = p->i++;
      continue;
    }
    if (p->i < p->n && p->s[p->i] == ']') {
      p->i++;
      break;
    }
    rc = fail(p, CSAT_ERR_PARSE, p->i, "expected ',' or ']' after array element");
    goto fail;
  }
done:
  v->type = CSAT__J_ARRAY;
  v->offset = (uint32_t)start;
  v->len = count;
  v->u.items = items;
  return CSAT_OK;
fail:
  while (count > 0)
    free_value(&p->d->alloc, &items[--count]);
  csat__free(&p->d->alloc, items);
  return rc;
}

static int literal(jp *p, const char *word, size_t n) {
  if (p->n - p->i < n || memcmp(p->s + p->i, word, n) != 0)
    return fail(p, CSAT_ERR_PARSE, p->i, "invalid literal (true, false or null expected)");
  p->i += n;
  return CSAT_OK;
}

/* On failure nothing stays allocated under v. */
static int parse_value(jp *p, csat__jval *v) {
  unsigned char c;
  int rc;
  skip_ws(p);
  memset(v, 0, sizeof *v);
  if (p->i >= p->n)
    return fail(p, CSAT_ERR_PARSE, p->i, "unexpected end of input");
  v->offset = (uint32_t)p->i;
  c = p->s[p->i];
  switch (c) {
  case '{':
  case '[':
    if (p->depth >= CSAT_JSON_MAX_DEPTH)
      return csat__json_fail(p->d, p->err, CSAT_ERR_LIMIT, p->i, "nesting deeper than %d levels",
                             CSAT_JSON_MAX_DEPTH);
    p->depth++;
    rc = c == '{' ? parse_object(p, v) : parse_array(p, v);
    p->depth--;
    return rc;
  case '"': v->type = CSAT__J_STRING; return parse_string(p, &v->u.str, &v->len);
  case 't':
    v->type = CSAT__J_BOOL;
    v->boolean = 1;
    return literal(p, "true", 4);
  case 'f': v->type = CSAT__J_BOOL; return literal(p, "false", 5);
  case 'n': v->type = CSAT__J_NULL; return literal(p, "null", 4);
  default:
    if (c == '-' || (c >= '0' && c <= '9'))
      return parse_number(p, v);
    if (c >= 0x80 && utf8_seq(p, p->i) == 0)
      return fail(p, CSAT_ERR_UTF8, p->i, "invalid UTF-8");
    return fail(p, CSAT_ERR_PARSE, p->i, "expected a value");
  }
}

int csat__json_parse(csat__jdoc *d, const csat__alloc *a, const char *src, size_t len,
                     csat_error *err) {
  jp p;
  int rc;
  memset(d, 0, sizeof *d);
  if (a == NULL || (src == NULL && len > 0))
    return CSAT_ERR_INVALID_ARG;
  d->alloc = *a;
  d->src = src;
  d->len = len;
  if (len > CSAT_JSON_MAX_INPUT) {
    csat__error_set(err, CSAT_ERR_LIMIT, 0, 0, CSAT_JSON_MAX_INPUT, "input is larger than %d bytes",
                    (int)CSAT_JSON_MAX_INPUT);
    return CSAT_ERR_LIMIT;
  }
  memset(&p, 0, sizeof p);
  p.d = d;
  p.err = err;
  p.s = (const unsigned char *)src;
  p.n = len;
  if (len >= 3 && p.s[0] == 0xEF && p.s[1] == 0xBB && p.s[2] == 0xBF)
    return fail(&p, CSAT_ERR_PARSE, 0, "byte order mark (BOM) is not allowed");
  d->pool = csat__malloc(a, len);
  if (d->pool == NULL)
    return fail(&p, CSAT_ERR_NOMEM, 0, "out of memory");
  rc = parse_value(&p, &d->root);
  if (rc == CSAT_OK) {
    skip_ws(&p);
    if (p.i < p.n) {
      free_value(a, &d->root);
      rc = fail(&p, CSAT_ERR_PARSE, p.i, "unexpected data after the JSON value");
    }
  }
  if (rc != CSAT_OK) {
    csat__free(a, d->pool);
    d->pool = NULL;
    memset(&d->root, 0, sizeof d->root);
  }
  return rc;
}

void csat__json_free(csat__jdoc *d) {
  if (d == NULL)
    return;
  free_value(&d->alloc, &d->root);
  csat__free(&d->alloc, d->pool);
  d->pool = NULL;
}

const csat__jval *csat__json_get(const csat__jval *obj, const char *key) {
  uint32_t k;
  size_t n;
  if (obj == NULL || obj->type != CSAT__J_OBJECT)
    return NULL;
  n = strlen(key);
  for (k = 0; k < obj->len; k++)
    if (obj->u.members[k].key_len == n && memcmp(obj->u.members[k].key, key, n) == 0)
      return &obj->u.members[k].val;
  return NULL;
}
