/* The shared utilities: UTF-8 handling, the output writer, CSV cells, the
 * blob encodings (varints, zigzag), error text. */
#include "registry.h"
#include "base/base.h"

#include <string.h>

TEST(utf8) {
  const char *ok = "Za\xC5\xBC\xC3\xB3\xC5\x82\xC4\x87 \xED\x95\x9C"; /* Zażółć 한 */
  CHECK(csat__utf8_valid(ok, strlen(ok)));
  CHECK_INT(csat__utf8_count(ok, strlen(ok)), 8);
  /* 3 characters of "Zaż" are 4 bytes: never cut inside 'ż'. */
  CHECK_INT(csat__utf8_prefix(ok, strlen(ok), 3), 4);
  CHECK_INT(csat__utf8_prefix(ok, strlen(ok), 100), strlen(ok));
  CHECK(!csat__utf8_valid("\xC0\x80", 2));         /* overlong NUL */
  CHECK(!csat__utf8_valid("\xED\xA0\x80", 3));     /* surrogate */
  CHECK(!csat__utf8_valid("\xF4\x90\x80\x80", 4)); /* above U+10FFFF */
  CHECK(!csat__utf8_valid("\xE2\x82", 2));         /* truncated */
  CHECK_INT(csat__utf8_invalid_at("ab\xFF", 3), 2);
  {
    size_t i = 0;
    CHECK_INT(csat__utf8_next("\xED\x95\x9C", 3, &i), 0xD55C);
    CHECK_INT(i, 3);
  }
  {
    /* the encoder at each length's bounds, read back by the decoder */
    static const uint32_t cps[] = {0,     0x41,   0x7F,   0x80,    0x17C,   0x7FF,
                                   0x800, 0xD55C, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF};
    static const size_t lens[] = {1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4};
    char b[4];
    size_t k, n, i;
    for (k = 0; k < sizeof cps / sizeof cps[0]; k++) {
      n = csat__utf8_put(b, cps[k]);
      CHECK_INT(n, lens[k]);
      CHECK(csat__utf8_valid(b, n));
      i = 0;
      CHECK_INT(csat__utf8_next(b, n, &i), cps[k]);
      CHECK_INT(i, n);
    }
    CHECK_INT(csat__utf8_put(b, 0x17C), 2);
    CHECK(memcmp(b, "\xC5\xBC", 2) == 0); /* ż */
  }
}

TEST(out) {
  char buf[8];
  size_t needed = 0;
  csat__out o;
  csat__out_init(&o, buf, sizeof buf);
  csat__out_str(&o, "abc");
  csat__out_i64(&o, -42);
  CHECK_INT(csat__out_finish_text(&o, &needed), CSAT_OK);
  CHECK_STR(buf, "abc-42");
  CHECK_INT(needed, 6);

  csat__out_init(&o, buf, sizeof buf);
  csat__out_str(&o, "abcdefgh"); /* 8 bytes + NUL does not fit in 8 */
  CHECK_INT(csat__out_finish_text(&o, &needed), CSAT_ERR_BUFFER_TOO_SMALL);
  CHECK_INT(needed, 8);
  CHECK_INT(buf[7], '\0');

  csat__out_init(&o, NULL, 0);
  csat__out_json_str(&o, "a\"\n\x01", 4);
  CHECK_INT(csat__out_finish_text(&o, &needed), CSAT_ERR_BUFFER_TOO_SMALL);
  CHECK_INT(needed, strlen("\"a\\\"\\n\\u0001\""));
  {
    char j[64];
    csat__out_init(&o, j, sizeof j);
    csat__out_json_str(&o, "a\"\n\x01", 4);
    csat__out_i64(&o, INT64_MIN);
    CHECK_INT(csat__out_finish_text(&o, NULL), CSAT_OK);
    CHECK_STR(j, "\"a\\\"\\n\\u0001\"-9223372036854775808");
  }
}

/* The cell a + b through csat__out_csv_text, as a C string. */
static const char *cell(const char *a, const char *b) {
  static char buf[128];
  csat__out o;
  csat__out_init(&o, buf, sizeof buf);
  csat__out_csv_text(&o, a, strlen(a), b, strlen(b));
  return csat__out_finish_text(&o, NULL) == CSAT_OK ? buf : "(too long)";
}

/* A put function of one's own (the report stream's path): bytes appended. */
typedef struct collect {
  char buf[64];
  size_t n, calls;
} collect;

static void collect_put(void *ctx, const char *p, size_t n) {
  collect *c = ctx;
  if (n > 0 && c->n + n < sizeof c->buf) {
    memcpy(c->buf + c->n, p, n);
    c->n += n;
  }
  c->buf[c->n] = '\0';
  c->calls++;
}

TEST(csv) {
  collect c;
  CHECK_STR(cell("plain", ""), "plain");
  CHECK_STR(cell("", ""), "");
  CHECK_STR(cell("q1", "_comment"), "q1_comment");
  CHECK_STR(cell("a,b", ""), "\"a,b\"");
  CHECK_STR(cell("say \"hi\"", ""), "\"say \"\"hi\"\"\"");
  CHECK_STR(cell("\"", ""), "\"\"\"\"");
  CHECK_STR(cell("two\nlines", ""), "\"two\nlines\"");
  CHECK_STR(cell("two\r\nlines", ""), "\"two\r\nlines\"");
  /* either part makes the whole cell quoted, the quotes of both doubled */
  CHECK_STR(cell("id", ",x\""), "\"id,x\"\"\"");
  CHECK_STR(cell("a\"", "b"), "\"a\"\"b\"");
  /* each formula lead: a single quote in front, inside the quotes */
  CHECK_STR(cell("=1+1", ""), "'=1+1");
  CHECK_STR(cell("+1", ""), "'+1");
  CHECK_STR(cell("-1", ""), "'-1");
  CHECK_STR(cell("@SUM(A1)", ""), "'@SUM(A1)");
  CHECK_STR(cell("\tx", ""), "'\tx");
  CHECK_STR(cell("\rx", ""), "\"'\rx\"");
  CHECK_STR(cell("=HYPERLINK(\"x\",\"y\")", ""), "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
  /* the lead is the cell's first byte: the suffix's when the text is empty */
  CHECK_STR(cell("", "=x"), "'=x");
  CHECK_STR(cell("a", "=x"), "a=x");
  CHECK_STR(cell("a=b-c", ""), "a=b-c");
  CHECK_STR(cell(" =x", ""), " =x");
  /* the same bytes through a put function of one's own */
  memset(&c, 0, sizeof c);
  csat__csv_text(collect_put, &c, "-x,", 3, "\"", 1);
  CHECK_STR(c.buf, "\"'-x,\"\"\"");
  memset(&c, 0, sizeof c);
  csat__csv_text(collect_put, &c, "abc", 3, "", 0);
  CHECK_STR(c.buf, "abc");
  /* JSON strings take the same path in reports */
  memset(&c, 0, sizeof c);
  csat__json_str(collect_put, &c, "\\\b\f\t\x1f/\"x", 8);
  CHECK_STR(c.buf, "\"\\\\\\b\\f\\t\\u001f/\\\"x\"");
  memset(&c, 0, sizeof c);
  csat__json_str(collect_put, &c, NULL, 3);
  CHECK_STR(c.buf, "\"\"");
}

/* Decode hex bytes; answers the status, the value and where it stopped. */
static int dec(const char *bytes, size_t n, uint64_t *v, size_t *pos) {
  *pos = 0;
  *v = 0xdeadbeef;
  return csat__varint_decode((const unsigned char *)bytes, n, pos, v);
}

TEST(varint) {
  static const struct {
    uint64_t v;
    const char *enc;
    size_t n;
  } k[] = {
      {0, "\x00", 1},
      {1, "\x01", 1},
      {127, "\x7f", 1},
      {128, "\x80\x01", 2},
      {300, "\xac\x02", 2},
      {16383, "\xff\x7f", 2},
      {16384, "\x80\x80\x01", 3},
      {(uint64_t)1 << 63, "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01", 10},
      {UINT64_MAX, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 10},
  };
  unsigned char b[CSAT__VARINT_MAX];
  char buf[16];
  uint64_t v;
  size_t i, pos, n;
  int sh, d;
  csat__out o;
  for (i = 0; i < sizeof k / sizeof k[0]; i++) {
    n = csat__varint_encode(b, k[i].v);
    CHECK_INT(n, k[i].n);
    CHECK(memcmp(b, k[i].enc, k[i].n) == 0);
    csat__out_init(&o, buf, sizeof buf);
    csat__out_varint(&o, k[i].v);
    CHECK_INT(o.len, k[i].n);
    CHECK(memcmp(buf, k[i].enc, k[i].n) == 0);
    CHECK_INT(dec(k[i].enc, k[i].n, &v, &pos), CSAT__VARINT_OK);
    CHECK(v == k[i].v);
    CHECK_INT(pos, k[i].n);
    /* one byte short: truncated, stopped at the end */
    CHECK_INT(dec(k[i].enc, k[i].n - 1, &v, &pos), CSAT__VARINT_TRUNCATED);
    CHECK_INT(pos, k[i].n - 1);
    CHECK(v == 0xdeadbeef);
  }
  /* round trips around every power of two */
  for (sh = 0; sh < 64; sh++)
    for (d = -1; d <= 1; d++) {
      uint64_t x = ((uint64_t)1 << sh) + (uint64_t)(int64_t)d;
      n = csat__varint_encode(b, x);
      pos = 0;
      CHECK_INT(csat__varint_decode(b, n, &pos, &v), CSAT__VARINT_OK);
      CHECK(v == x && pos == n);
    }
  /* a varint inside a larger buffer: read from *pos, stop after it */
  pos = 1;
  CHECK_INT(csat__varint_decode((const unsigned char *)"\x05\x80\x01\x07", 4, &pos, &v),
            CSAT__VARINT_OK);
  CHECK(v == 128 && pos == 3);
  /* not the shortest form: a zero last byte, stopped after it */
  CHECK_INT(dec("\x80\x00", 2, &v, &pos), CSAT__VARINT_LONG);
  CHECK_INT(pos, 2);
  CHECK_INT(dec("\x81\x80\x00", 3, &v, &pos), CSAT__VARINT_LONG);
  CHECK_INT(pos, 3);
  CHECK_INT(dec("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x00", 10, &v, &pos), CSAT__VARINT_LONG);
  CHECK(v == 0xdeadbeef);
  /* overflow: the 10th byte holds more than bit 63, or continues */
  CHECK_INT(dec("\x80\x80\x80\x80\x80\x80\x80\x80\x80\x02", 10, &v, &pos), CSAT__VARINT_OVERFLOW);
  CHECK_INT(pos, 10);
  CHECK_INT(dec("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f", 10, &v, &pos), CSAT__VARINT_OVERFLOW);
  CHECK_INT(dec("\x80\x80\x80\x80\x80\x80\x80\x80\x80\x81\x00", 11, &v, &pos),
            CSAT__VARINT_OVERFLOW);
  CHECK_INT(pos, 10);
  CHECK_INT(dec("\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80", 10, &v, &pos), CSAT__VARINT_OVERFLOW);
  CHECK(v == 0xdeadbeef);
  /* nothing to read */
  CHECK_INT(dec("", 0, &v, &pos), CSAT__VARINT_TRUNCATED);
  CHECK_INT(pos, 0);
  pos = 0;
  CHECK_INT(csat__varint_decode(NULL, 0, &pos, &v), CSAT__VARINT_TRUNCATED);
}

TEST(zigzag) {
  static const struct {
    int64_t s;
    uint64_t u;
  } k[] = {
      {0, 0},
      {-1, 1},
      {1, 2},
      {-2, 3},
      {63, 126},
      {-64, 127},
      {64, 128},
      {INT32_MIN, 0xffffffffu},
      {INT64_MAX, UINT64_MAX - 1},
      {INT64_MIN, UINT64_MAX},
  };
  size_t i;
  for (i = 0; i < sizeof k / sizeof k[0]; i++) {
    CHECK(csat__zigzag(k[i].s) == k[i].u);
    CHECK(csat__unzigzag(k[i].u) == k[i].s);
  }
}

TEST(errors) {
  int code;
  for (code = 0; code >= CSAT_ERR_UNSUPPORTED; code--)
    CHECK(strcmp(csat_strerror(code), "unknown error") != 0);
  CHECK_STR(csat_strerror(-999), "unknown error");
  CHECK_STR(csat_outcome_name(CSAT_OUTCOME_ATTEMPTS_EXHAUSTED), "attempts_exhausted");
  CHECK_STR(csat_outcome_name(99), "unknown");
  CHECK_STR(csat_version(), CSAT_VERSION_STRING);
  CHECK_INT(csat_version_num(), CSAT_VERSION_NUM);
}

static const test_case tests[] = {
    TEST_ENTRY(utf8),   TEST_ENTRY(out),    TEST_ENTRY(csv),
    TEST_ENTRY(varint), TEST_ENTRY(zigzag), TEST_ENTRY(errors),
};

TEST_MAIN(tests)
