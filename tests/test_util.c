/* The shared utilities: UTF-8 handling, the output writer, error text. */
#include "registry.h"
#include "csat_internal.h"

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
    TEST_ENTRY(utf8),
    TEST_ENTRY(out),
    TEST_ENTRY(errors),
};

TEST_MAIN(tests)
