/* The shared utilities: UTF-8 handling, the output writer, CSV cells, the
 * blob encodings (varints, zigzag), error text. */
#include "check.h"
#include "csat_internal.h"

#include <string.h>

static void test_utf8(void) {
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
}

static void test_out(void) {
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

static void test_csv(void) {
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
}

static void test_errors(void) {
  int code;
  for (code = 0; code >= CSAT_ERR_UNSUPPORTED; code--)
    CHECK(strcmp(csat_strerror(code), "unknown error") != 0);
  CHECK_STR(csat_strerror(-999), "unknown error");
  CHECK_STR(csat_outcome_name(CSAT_OUTCOME_ATTEMPTS_EXHAUSTED), "attempts_exhausted");
  CHECK_STR(csat_outcome_name(99), "unknown");
  CHECK_STR(csat_version(), CSAT_VERSION_STRING);
  CHECK_INT(csat_version_num(), CSAT_VERSION_NUM);
}

int main(void) {
  test_utf8();
  test_out();
  test_csv();
  test_errors();
  return CHECK_DONE();
}
