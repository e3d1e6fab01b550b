/* Survey JSON: canonical writer, round trips of every field, the strict
 * reader's errors with exact line:column, limits, out-of-memory loops, and
 * the example surveys in tests/data/surveys. */
#include "registry.h"
#include "fail_alloc.h"
#include "base/json.h"
#include "survey_kit.h"

#include <stdlib.h>
#include <string.h>

static csat_error fresh_err(void) {
  csat_error e;
  memset(&e, 0, sizeof e);
  e.struct_size = sizeof e;
  return e;
}

static int expect_err(int at, const char *json, size_t len, int code, int32_t line, int32_t column,
                      const char *part) {
  csat_survey *s = NULL;
  csat_error e = fresh_err();
  int rc = csat_survey_from_json(&s, json, len, NULL, &e);
  int ok = rc == code && e.code == code && e.line == line && e.column == column && s == NULL &&
           (part == NULL || strstr(e.message, part) != NULL);
  check_count++;
  if (!ok) {
    check_failures++;
    fprintf(stderr, "%s:%d: expected %d at %d:%d (\"%s\"), got %d at %d:%d offset %d: \"%s\"\n",
            __FILE__, at, code, (int)line, (int)column, part ? part : "", rc, (int)e.line,
            (int)e.column, (int)e.offset, e.message);
  }
  csat_survey_free(s);
  return ok;
}

#define EXPECT_ERR(json, code, line, col, part) \
  expect_err(__LINE__, json, strlen(json), code, line, col, part)

/* Parse json (must succeed) and return the survey. */
static csat_survey *load(int at, const char *json) {
  csat_survey *s = NULL;
  csat_error e = fresh_err();
  int rc = csat_survey_from_json(&s, json, strlen(json), NULL, &e);
  check_count++;
  if (rc != CSAT_OK) {
    check_failures++;
    fprintf(stderr, "%s:%d: from_json failed with %d: %s\n", __FILE__, at, rc, e.message);
  }
  return s;
}
#define LOAD(json) load(__LINE__, json)

#define Q1                                                          \
  "{\"id\": \"q1\", \"type\": \"rating\", \"min\": 1, \"max\": 5, " \
  "\"prompts\": {\"question\": {\"en\": \"Rate\"}}}"

TEST(canonical_form) {
  csat_survey_builder *b = NULL;
  csat_survey *s = NULL;
  char buf[4096], small[16];
  size_t needed = 0;
  char expected[4096];
  CHECK_INT(csat_survey_builder_new(&b, "tiny", 1, NULL), CSAT_OK);
  CHECK_INT(csat_survey_builder_add_question(b, "q1", CSAT_Q_RATING, 1, 5, NULL), CSAT_OK);
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, 0, NULL, "Rate us", NULL), 0);
  CHECK_INT(csat_survey_builder_set_flag(b, 0, 1, 3), CSAT_OK);
  CHECK_INT(csat_survey_builder_finish(b, &s, NULL), CSAT_OK);
  if (s == NULL)
    return;
  csat__msg_set(expected, sizeof expected,
                "{\n"
                "  \"id\": \"tiny\",\n"
                "  \"version\": 1,\n"
                "  \"name\": \"\",\n"
                "  \"default_language\": \"en\",\n"
                "  \"mode\": \"on_demand\",\n"
                "  \"input\": {\"first_digit_timeout_ms\": 5000, \"inter_digit_timeout_ms\": 3000, "
                "\"terminator\": \"#\", \"max_repeats\": 3},\n"
                "  \"text\": {\"window_ms\": 86400000, \"multiple_answers\": false},\n"
                "  \"prompts\": {},\n"
                "  \"questions\": [\n"
                "    {\n"
                "      \"id\": \"q1\",\n"
                "      \"type\": \"rating\",\n"
                "      \"min\": 1,\n"
                "      \"max\": 5,\n"
                "      \"prompts\": {\n"
                "        \"question\": {\n"
                "          \"en\": {\"text\": \"Rate us\", \"audio\": null}\n"
                "        }\n"
                "      },\n"
                "      \"flag\": {\"enabled\": true, \"threshold\": 3},\n"
                "      \"attempts\": {\"max\": 3, \"on_exhausted\": \"skip\"},\n"
                "      \"ask_if\": null\n"
                "    }\n"
                "  ],\n"
                "  \"escalation\": {\"enabled\": false, \"below\": 3, \"transfer_target\": null, "
                "\"callback\": false},\n"
                "  \"task\": {\n"
                "    \"enabled\": true,\n"
                "    \"name\": \"%s\",\n"
                "    \"description\": \"%s\",\n"
                "    \"category\": \"csat-review\",\n"
                "    \"target\": \"\",\n"
                "    \"rule_name\": \"csat-low-score\"\n"
                "  }\n"
                "}\n",
                csat__default_task_name, csat__default_task_description);
  CHECK_INT(csat_survey_to_json(s, buf, sizeof buf, &needed), CSAT_OK);
  CHECK_STR(buf, expected);
  CHECK_INT(needed, strlen(expected));
  /* buffer convention */
  needed = 0;
  CHECK_INT(csat_survey_to_json(s, NULL, 0, &needed), CSAT_ERR_BUFFER_TOO_SMALL);
  CHECK_INT(needed, strlen(expected));
  CHECK_INT(csat_survey_to_json(s, small, sizeof small, &needed), CSAT_ERR_BUFFER_TOO_SMALL);
  CHECK_INT(small[sizeof small - 1], '\0');
  CHECK(memcmp(small, expected, sizeof small - 1) == 0);
  CHECK_INT(csat_survey_to_json(s, buf, needed, NULL), CSAT_ERR_BUFFER_TOO_SMALL);
  CHECK_INT(csat_survey_to_json(s, buf, needed + 1, NULL), CSAT_OK);
  CHECK_INT(csat_survey_to_json(NULL, buf, sizeof buf, &needed), CSAT_ERR_INVALID_ARG);
  /* the fingerprint is FNV-1a over exactly these bytes */
  CHECK(s->fingerprint == csat__hash_fnv1a(CSAT__HASH_FNV_INIT, expected, strlen(expected)));
  csat_survey_free(s);
}

TEST(round_trip_full) {
  csat_survey *a = NULL, *b = NULL;
  char *j1, *j2;
  size_t l1 = 0, l2 = 0;
  csat_error e = fresh_err();
  CHECK_INT(kit_build_full(NULL, 0, &a), CSAT_OK);
  if (a == NULL)
    return;
  j1 = kit_to_json(a, &l1);
  CHECK(j1 != NULL);
  if (j1 == NULL)
    return;
  CHECK_INT(csat_survey_from_json(&b, j1, l1, NULL, &e), CSAT_OK);
  if (b == NULL) {
    fprintf(stderr, "%s\n%s\n", e.message, j1);
    free(j1);
    csat_survey_free(a);
    return;
  }
  CHECK_INT(kit_survey_diff(a, b), 0);
  /* spot checks that every field really travelled */
  CHECK_INT(b->mode, CSAT_MODE_OPT_IN);
  CHECK_STR(b->default_language, "pl");
  CHECK_INT(b->terminator, 0);
  CHECK_INT(b->max_repeats, 2);
  CHECK_INT(b->first_digit_timeout_ms, 4000);
  CHECK_INT(b->inter_digit_timeout_ms, 2500);
  CHECK(b->text_window_ms == 2592000000LL);
  CHECK_INT(b->text_multiple, 1);
  CHECK_STR(b->prompts[CSAT_PROMPT_INTRO].items[0].text, KIT_NASTY);
  CHECK_STR(b->prompts[CSAT_PROMPT_OPT_OUT].items[2].lang, "ko-KR");
  CHECK(b->prompts[CSAT_PROMPT_OPT_OUT].items[2].text == NULL);
  CHECK_STR(b->prompts[CSAT_PROMPT_OPT_OUT].items[2].audio, "sounds/ko.wav");
  CHECK_STR(b->questions[0].prompts[CSAT_PROMPT_NO_INPUT].items[0].audio, "silence.wav");
  CHECK_INT(b->questions[0].flag_enabled, 1);
  CHECK_INT(b->questions[0].flag_threshold, 2);
  CHECK_INT(b->questions[0].max_attempts, 4);
  CHECK_INT(b->questions[0].on_exhausted, CSAT_EXHAUSTED_END);
  CHECK_INT(b->questions[1].flag_enabled, 0);
  CHECK_INT(b->questions[1].flag_threshold, 6);
  CHECK_INT(b->questions[2].kind, CSAT_Q_YES_NO);
  CHECK_INT(b->questions[2].cond_parent, 0);
  CHECK_INT(b->questions[2].cond_at_most, 3);
  CHECK_INT(b->questions[3].max_duration_ms, 120000);
  CHECK_INT(b->questions[3].silence_timeout_ms, 5000);
  CHECK_INT(b->questions[3].cond_parent, 1);
  CHECK_INT(b->questions[4].kind, CSAT_Q_TEXT_COMMENT);
  CHECK_INT(b->esc_enabled, 1);
  CHECK_INT(b->esc_below, 4);
  CHECK_STR(b->esc_transfer_target, "sup-queue");
  CHECK_INT(b->esc_callback, 1);
  CHECK_INT(b->task_enabled, 0);
  CHECK_STR(b->task_description, "D [Comment]\n");
  CHECK_STR(b->task_target, "flow-1");
  CHECK_STR(b->task_rule_name, "rule-x");
  j2 = kit_to_json(b, &l2);
  CHECK(j2 != NULL && l1 == l2 && memcmp(j1, j2, l1) == 0);
  free(j1);
  free(j2);
  csat_survey_free(a);
  csat_survey_free(b);
}

TEST(reader_forms) {
  csat_survey *s;
  /* the shortest valid survey: defaults for everything optional */
  s = LOAD("{\"id\": \"s\", \"version\": 1, \"questions\": [" Q1 "]}");
  if (s != NULL) {
    CHECK_STR(s->name, "");
    CHECK_INT(s->mode, CSAT_MODE_ON_DEMAND);
    CHECK_INT(s->terminator, '#');
    CHECK_STR(s->questions[0].prompts[CSAT_PROMPT_QUESTION].items[0].text, "Rate");
    CHECK(s->questions[0].prompts[CSAT_PROMPT_QUESTION].items[0].audio == NULL);
    CHECK_STR(s->task_name, csat__default_task_name);
  }
  csat_survey_free(s);
  /* escapes, surrogate pairs, nulls, members in any order, whitespace */
  s = LOAD("\r\n\t {\"questions\": [" Q1 ", {\"type\": \"yes_no\", \"id\": \"y\", "
           "\"ask_if\": {\"at_most\": 2, \"question\": \"q1\"}, \"prompts\": {\"question\": "
           "{\"en\": {\"audio\": \"y.wav\", \"text\": null}}}}], \"version\": 3, "
           "\"name\": \"\\u00e9\\uD83D\\uDE00\\\"\\\\\\/\\b\\f\\n\\r\\t\", "
           "\"input\": {\"terminator\": \"\"}, "
           "\"escalation\": {\"transfer_target\": null, \"enabled\": true}, \"id\": \"s\", "
           "\"prompts\": {\"escalation\": {\"en\": \"Sorry\"}}} ");
  if (s != NULL) {
    CHECK_STR(s->name, "\xC3\xA9\xF0\x9F\x98\x80\"\\/\b\f\n\r\t");
    CHECK_INT(s->version, 3);
    CHECK_INT(s->terminator, 0);
    CHECK_INT(s->esc_enabled, 1);
    CHECK(s->esc_transfer_target == NULL);
    CHECK_INT(s->questions[1].cond_parent, 0);
    CHECK_INT(s->questions[1].cond_at_most, 2);
    CHECK(s->questions[1].prompts[CSAT_PROMPT_QUESTION].items[0].text == NULL);
  }
  csat_survey_free(s);
  /* 12 questions whose ids sort wrongly as text keep their order */
  {
    char json[4096];
    size_t n = 0;
    int i;
    n += (size_t)snprintf(json + n, sizeof json - n,
                          "{\"id\": \"twelve\", \"version\": 1, "
                          "\"questions\": [");
    for (i = 1; i <= 12; i++)
      n += (size_t)snprintf(json + n, sizeof json - n,
                            "%s{\"id\": \"q%d\", \"type\": \"rating\", \"min\": 1, \"max\": 5, "
                            "\"prompts\": {\"question\": {\"en\": \"Q%d\"}}}",
                            i > 1 ? ", " : "", i, i);
    snprintf(json + n, sizeof json - n, "]}");
    s = LOAD(json);
    if (s != NULL) {
      char id[8];
      CHECK_INT(csat_survey_question_count(s), 12);
      for (i = 0; i < 12; i++) {
        snprintf(id, sizeof id, "q%d", i + 1);
        CHECK_STR(csat_survey_question_id(s, i), id);
      }
      CHECK_INT(csat_survey_question_index(s, "q10"), 9);
      CHECK_INT(csat_survey_question_index(s, "q2"), 1);
    }
    csat_survey_free(s);
  }
}

TEST(syntax_errors) {
  char buf[256];
  /* structure */
  EXPECT_ERR("", CSAT_ERR_PARSE, 1, 1, "unexpected end of input");
  EXPECT_ERR("   \n  ", CSAT_ERR_PARSE, 2, 3, "unexpected end of input");
  EXPECT_ERR("{\"id\": \"s\",}", CSAT_ERR_PARSE, 1, 11, "trailing comma in object");
  EXPECT_ERR("{\"questions\": [1,]}", CSAT_ERR_PARSE, 1, 17, "trailing comma in array");
  EXPECT_ERR("{\n  \"id\" \"s\"\n}", CSAT_ERR_PARSE, 2, 8, "expected ':' after member name");
  EXPECT_ERR("{\n  \"id\": \"s\",\n  \"version\": 1 \"x\"\n}", CSAT_ERR_PARSE, 3, 16,
             "3:16: expected ',' or '}' after member");
  EXPECT_ERR("{\"questions\": [1 2]}", CSAT_ERR_PARSE, 1, 18,
             "expected ',' or ']' after array element");
  EXPECT_ERR("{\"id\": \"s\"", CSAT_ERR_PARSE, 1, 11, "expected ',' or '}'");
  EXPECT_ERR("{1: 2}", CSAT_ERR_PARSE, 1, 2, "expected a member name string");
  EXPECT_ERR("{\"id\": }", CSAT_ERR_PARSE, 1, 8, "expected a value");
  EXPECT_ERR("{\"id\": tru}", CSAT_ERR_PARSE, 1, 8, "invalid literal");
  EXPECT_ERR("{\"id\": nul", CSAT_ERR_PARSE, 1, 8, "invalid literal");
  EXPECT_ERR("{} x", CSAT_ERR_PARSE, 1, 4, "unexpected data after the JSON value");
  EXPECT_ERR("{}{}", CSAT_ERR_PARSE, 1, 3, "unexpected data");
  EXPECT_ERR("{\"id\": 'x'}", CSAT_ERR_PARSE, 1, 8, "expected a value");
  EXPECT_ERR("{\"id\": \"abc", CSAT_ERR_PARSE, 1, 8, "unterminated string");
  EXPECT_ERR("{\"id\": \"a\nb\"}", CSAT_ERR_PARSE, 1, 10, "control character");
  /* escapes */
  EXPECT_ERR("{\"id\": \"a\\qb\"}", CSAT_ERR_PARSE, 1, 10, "invalid escape sequence");
  EXPECT_ERR("{\"id\": \"\\u12G4\"}", CSAT_ERR_PARSE, 1, 9, "invalid \\u escape");
  EXPECT_ERR("{\"id\": \"\\u12\"}", CSAT_ERR_PARSE, 1, 9, "invalid \\u escape");
  EXPECT_ERR("{\"id\": \"\\uD800x\"}", CSAT_ERR_PARSE, 1, 9, "lone surrogate");
  EXPECT_ERR("{\"id\": \"\\uDC00\"}", CSAT_ERR_PARSE, 1, 9, "lone surrogate");
  EXPECT_ERR("{\"id\": \"ab\\uD83D\\u0041\"}", CSAT_ERR_PARSE, 1, 11, "lone surrogate");
  EXPECT_ERR("{\"id\": \"\\uD83D\\uD83D\"}", CSAT_ERR_PARSE, 1, 9, "lone surrogate");
  EXPECT_ERR("{\"id\": \"a\\u0000\"}", CSAT_ERR_PARSE, 1, 10, "\\u0000 is not allowed");
  /* encoding */
  EXPECT_ERR("{\"id\": \"a\xC3(\"}", CSAT_ERR_UTF8, 1, 10, "invalid UTF-8");
  EXPECT_ERR("{\"id\": \"\xC0\x80\"}", CSAT_ERR_UTF8, 1, 9, "invalid UTF-8");
  EXPECT_ERR("{\"id\": \"\xED\xA0\x80\"}", CSAT_ERR_UTF8, 1, 9, "invalid UTF-8");
  EXPECT_ERR("{\"id\": \"\xF4\x90\x80\x80\"}", CSAT_ERR_UTF8, 1, 9, "invalid UTF-8");
  EXPECT_ERR("{\n\"id\": \"ok \xE2\x82", CSAT_ERR_UTF8, 2, 11, "invalid UTF-8");
  EXPECT_ERR("{\"id\": \xFF}", CSAT_ERR_UTF8, 1, 8, "invalid UTF-8");
  EXPECT_ERR("\xEF\xBB\xBF{\"id\": \"s\"}", CSAT_ERR_PARSE, 1, 1, "byte order mark");
  /* numbers */
  EXPECT_ERR("{\"id\": \"s\", \"version\": 01}", CSAT_ERR_PARSE, 1, 24, "leading zeros");
  EXPECT_ERR("{\"id\": \"s\", \"version\": -01}", CSAT_ERR_PARSE, 1, 24, "leading zeros");
  EXPECT_ERR("{\"id\": \"s\", \"version\": -}", CSAT_ERR_PARSE, 1, 25, "expected a digit");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1.}", CSAT_ERR_PARSE, 1, 26, "after '.'");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1e+}", CSAT_ERR_PARSE, 1, 27, "exponent");
  EXPECT_ERR("{\"id\": \"s\", \"version\": +1}", CSAT_ERR_PARSE, 1, 24, "expected a value");
  EXPECT_ERR("{\"id\": \"s\", \"version\": .5}", CSAT_ERR_PARSE, 1, 24, "expected a value");
  /* duplicates, small and large objects */
  EXPECT_ERR("{\"id\": \"s\", \"id\": \"t\"}", CSAT_ERR_PARSE, 1, 13, "duplicate member \"id\"");
  {
    size_t n = 0;
    int i;
    buf[n++] = '{';
    for (i = 0; i < 30; i++)
      n += (size_t)snprintf(buf + n, sizeof buf - n, "\"m%d\":0,", i);
    n += (size_t)snprintf(buf + n, sizeof buf - n, "\"m7\":1,\"m3\":2}");
    /* the first repeated name in document order is reported: "m7" */
    expect_err(__LINE__, buf, n, CSAT_ERR_PARSE, 1, (int32_t)(n - 14 + 1),
               "duplicate member \"m7\"");
  }
  /* a nested object's duplicate is found even inside arrays */
  EXPECT_ERR("{\"questions\": [{\"a\": 1, \"a\": 1}]}", CSAT_ERR_PARSE, 1, 25,
             "duplicate member \"a\"");
}

TEST(limits_of_reader) {
  char *big;
  size_t n, i, pre;
  /* 32 levels (the root object plus 31 arrays) parse; the 33rd is refused */
  big = malloc(256);
  if (big == NULL)
    return;
  n = (size_t)snprintf(big, 256, "{\"x\":");
  pre = n;
  for (i = 0; i < 31; i++)
    big[n++] = '[';
  for (i = 0; i < 31; i++)
    big[n++] = ']';
  big[n++] = '}';
  big[n] = '\0';
  /* well-formed: the error is the unknown member, not the depth */
  expect_err(__LINE__, big, n, CSAT_ERR_INVALID_SURVEY, 1, 2, "unknown member \"x\"");
  n = pre;
  for (i = 0; i < 40; i++)
    big[n++] = '[';
  big[n] = '\0';
  expect_err(__LINE__, big, n, CSAT_ERR_LIMIT, 1, (int32_t)(pre + 31 + 1), "nesting deeper");
  free(big);

  /* input size: exactly 1 MiB is read, one byte more is refused */
  big = malloc(CSAT_JSON_MAX_INPUT + 2);
  if (big == NULL)
    return;
  n = (size_t)snprintf(big, CSAT_JSON_MAX_INPUT,
                       "{\"id\": \"s\", \"version\": 1, \"questions\": "
                       "[" Q1 "]}");
  memset(big + n, ' ', CSAT_JSON_MAX_INPUT + 1 - n);
  {
    csat_survey *s = NULL;
    csat_error e = fresh_err();
    CHECK_INT(csat_survey_from_json(&s, big, CSAT_JSON_MAX_INPUT, NULL, &e), CSAT_OK);
    csat_survey_free(s);
    s = NULL;
    CHECK_INT(csat_survey_from_json(&s, big, CSAT_JSON_MAX_INPUT + 1, NULL, &e), CSAT_ERR_LIMIT);
    CHECK(s == NULL);
    CHECK_INT(e.code, CSAT_ERR_LIMIT);
    CHECK_INT(e.line, 0);
    CHECK(strstr(e.message, "larger than 1048576 bytes") != NULL);
  }
  free(big);
}

/* Semantic errors: code, line:column and message of the survey reader. */
TEST(semantic_errors_root) {
  EXPECT_ERR("[]", CSAT_ERR_INVALID_SURVEY, 1, 1, "a survey must be an object");
  EXPECT_ERR("{\"version\": 1, \"questions\": []}", CSAT_ERR_INVALID_SURVEY, 1, 1,
             "missing member \"id\"");
  EXPECT_ERR("{\"id\": \"s\", \"questions\": []}", CSAT_ERR_INVALID_SURVEY, 1, 1,
             "missing member \"version\"");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1}", CSAT_ERR_INVALID_SURVEY, 1, 1,
             "missing member \"questions\"");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1, \"questions\": []}", CSAT_ERR_INVALID_SURVEY, 1, 40,
             "must not be empty");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1, \"questions\": {}}", CSAT_ERR_INVALID_SURVEY, 1, 40,
             "must be an array");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1, \"colour\": 1, \"questions\": [" Q1 "]}",
             CSAT_ERR_INVALID_SURVEY, 1, 27, "unknown member \"colour\"");
}

TEST(semantic_errors_text) {
  /* text settings: "{"id": "s", "version": 1, "text": " is 34 bytes */
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1, \"text\": 5, \"questions\": [" Q1 "]}",
             CSAT_ERR_INVALID_SURVEY, 1, 35, "\"text\" must be an object");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1, \"text\": {\"window\": 1}, \"questions\": [" Q1 "]}",
             CSAT_ERR_INVALID_SURVEY, 1, 36, "unknown member \"window\"");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1, \"text\": {\"window_ms\": 59999}, \"questions\": [" Q1
             "]}",
             CSAT_ERR_INVALID_SURVEY, 1, 49, "window_ms must be 60000..2592000000");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1, \"text\": {\"window_ms\": 2592000001}, "
             "\"questions\": [" Q1 "]}",
             CSAT_ERR_INVALID_SURVEY, 1, 49, "window_ms");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1, \"text\": {\"window_ms\": 6e4}, \"questions\": [" Q1
             "]}",
             CSAT_ERR_INVALID_SURVEY, 1, 49, "no fraction or exponent");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1, \"text\": {\"window_ms\": "
             "99999999999999999999}, \"questions\": [" Q1 "]}",
             CSAT_ERR_INVALID_SURVEY, 1, 49, "out of range");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1, \"text\": {\"multiple_answers\": 1}, "
             "\"questions\": [" Q1 "]}",
             CSAT_ERR_INVALID_SURVEY, 1, 56, "true or false");
  {
    csat_survey *t = LOAD("{\"id\": \"s\", \"version\": 1, \"text\": {\"multiple_answers\": "
                          "true}, \"questions\": [" Q1 "]}");
    if (t != NULL) {
      CHECK(t->text_window_ms == 86400000LL);
      CHECK_INT(t->text_multiple, 1);
    }
    csat_survey_free(t);
    t = LOAD("{\"id\": \"s\", \"version\": 1, \"text\": {}, \"questions\": [" Q1 "]}");
    if (t != NULL)
      CHECK(t->text_window_ms == 86400000LL && t->text_multiple == 0);
    csat_survey_free(t);
  }
}

TEST(semantic_errors_types) {
  /* types and ranges */
  EXPECT_ERR("{\"id\": \"s\", \"version\": \"1\", \"questions\": [" Q1 "]}",
             CSAT_ERR_INVALID_SURVEY, 1, 24, "\"version\" must be an integer");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1.0, \"questions\": [" Q1 "]}", CSAT_ERR_INVALID_SURVEY,
             1, 24, "no fraction or exponent");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1e0, \"questions\": [" Q1 "]}", CSAT_ERR_INVALID_SURVEY,
             1, 24, "no fraction or exponent");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 2147483648, \"questions\": [" Q1 "]}",
             CSAT_ERR_INVALID_SURVEY, 1, 24, "out of range");
  EXPECT_ERR("{\"id\": \"s\", \"version\": -2147483649, \"questions\": [" Q1 "]}",
             CSAT_ERR_INVALID_SURVEY, 1, 24, "out of range");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 99999999999999999999999, \"questions\": [" Q1 "]}",
             CSAT_ERR_INVALID_SURVEY, 1, 24, "out of range");
  EXPECT_ERR("{\"id\": \"s\", \"version\": -0, \"questions\": [" Q1 "]}", CSAT_ERR_INVALID_SURVEY,
             1, 24, "at least 1");
  EXPECT_ERR("{\"id\": 7, \"version\": 1, \"questions\": [" Q1 "]}", CSAT_ERR_INVALID_SURVEY, 1, 8,
             "\"id\" must be a string");
  EXPECT_ERR("{\"id\": \"a b\", \"version\": 1, \"questions\": [" Q1 "]}", CSAT_ERR_INVALID_SURVEY,
             1, 8, "printable ASCII");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1, \"name\": 5, \"questions\": [" Q1 "]}",
             CSAT_ERR_INVALID_SURVEY, 1, 35, "\"name\" must be a string");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1, \"mode\": \"sometimes\", \"questions\": [" Q1 "]}",
             CSAT_ERR_INVALID_SURVEY, 1, 35, "\"on_demand\" or \"opt_in\"");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1, \"default_language\": \"en_GB\", \"questions\": [" Q1
             "]}",
             CSAT_ERR_INVALID_SURVEY, 1, 47, "language tag");
  EXPECT_ERR(
      "{\"id\": \"s\", \"version\": 1, \"input\": {\"terminator\": \"*\"}, \"questions\": [" Q1
      "]}",
      CSAT_ERR_INVALID_SURVEY, 1, 51, "terminator");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1, \"input\": {\"max_repeats\": 10}, \"questions\": [" Q1
             "]}",
             CSAT_ERR_INVALID_SURVEY, 1, 52, "max_repeats must be 0..9");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1, \"input\": {\"repeats\": 1}, \"questions\": [" Q1
             "]}",
             CSAT_ERR_INVALID_SURVEY, 1, 37, "unknown member \"repeats\" in \"input\"");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1, \"escalation\": {\"enabled\": 1}, \"questions\": [" Q1
             "]}",
             CSAT_ERR_INVALID_SURVEY, 1, 53, "must be true or false");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1, \"escalation\": {\"below\": 0}, \"questions\": [" Q1
             "]}",
             CSAT_ERR_INVALID_SURVEY, 1, 51, "escalation bound");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1, \"task\": {\"name\": null}, \"questions\": [" Q1 "]}",
             CSAT_ERR_INVALID_SURVEY, 1, 44, "\"name\" must be a string");
}

TEST(semantic_errors_prompts) {
  /* prompts */
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1, \"prompts\": {\"hello\": {}}, \"questions\": [" Q1
             "]}",
             CSAT_ERR_INVALID_SURVEY, 1, 39, "unknown prompt kind \"hello\"");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1, \"prompts\": {\"question\": {}}, \"questions\": [" Q1
             "]}",
             CSAT_ERR_INVALID_SURVEY, 1, 39, "belong to a question");
  EXPECT_ERR(
      "{\"id\": \"s\", \"version\": 1, \"prompts\": {\"intro\": {\"en\": 5}}, \"questions\": "
      "[" Q1 "]}",
      CSAT_ERR_INVALID_SURVEY, 1, 55, "a prompt must be a string or an object");
  EXPECT_ERR(
      "{\"id\": \"s\", \"version\": 1, \"prompts\": {\"intro\": {\"en\": {}}}, \"questions\": "
      "[" Q1 "]}",
      CSAT_ERR_INVALID_SURVEY, 1, 55, "needs a text or an audio");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1, \"prompts\": {\"intro\": {\"e n\": \"x\"}}, "
             "\"questions\": [" Q1 "]}",
             CSAT_ERR_INVALID_SURVEY, 1, 49, "language tag");
  EXPECT_ERR(
      "{\"id\": \"s\", \"version\": 1, \"prompts\": {\"intro\": {\"en\": {\"txt\": \"x\"}}}, "
      "\"questions\": [" Q1 "]}",
      CSAT_ERR_INVALID_SURVEY, 1, 56, "unknown member \"txt\"");
  /* a menu without its prompt in the default language: reported at the survey */
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1, \"mode\": \"opt_in\", \"prompts\": "
             "{\"opt_in_offer\": {\"pl\": \"1 tak\"}}, \"questions\": [" Q1 "]}",
             CSAT_ERR_INVALID_SURVEY, 1, 1, "opt_in_offer prompt in the default language \"en\"");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1, \"escalation\": {\"enabled\": true, "
             "\"transfer_target\": \"sup\"}, \"questions\": [" Q1 "]}",
             CSAT_ERR_INVALID_SURVEY, 1, 1, "escalation prompt in the default language \"en\"");
  csat_survey_free(LOAD("{\"id\": \"s\", \"version\": 1, \"mode\": \"opt_in\", \"prompts\": "
                        "{\"opt_in_offer\": {\"en\": \"1 yes\"}, \"escalation\": {\"en\": "
                        "\"1 supervisor\"}}, \"escalation\": {\"enabled\": true}, "
                        "\"questions\": [" Q1 "]}"));
}

TEST(semantic_errors_questions) {
  /* questions */
  EXPECT_ERR(
      "{\"id\": \"s\", \"version\": 1, \"questions\": [{\"id\": \"q\", \"type\": \"stars\"}]}",
      CSAT_ERR_INVALID_SURVEY, 1, 61, "\"type\" must be rating");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1, \"questions\": [{\"type\": \"yes_no\"}]}",
             CSAT_ERR_INVALID_SURVEY, 1, 41, "question has no \"id\"");
  EXPECT_ERR(
      "{\"id\": \"s\", \"version\": 1, \"questions\": [{\"id\": \"q\", \"type\": \"rating\"}]}",
      CSAT_ERR_INVALID_SURVEY, 1, 41, "needs \"min\" and \"max\"");
  EXPECT_ERR(
      "{\"id\": \"s\", \"version\": 1, \"questions\": [{\"id\": \"q\", \"type\": \"rating\", "
      "\"min\": 5, \"max\": 5}]}",
      CSAT_ERR_INVALID_SURVEY, 1, 88, "\"max\" must be greater");
  EXPECT_ERR(
      "{\"id\": \"s\", \"version\": 1, \"questions\": [{\"id\": \"q\", \"type\": \"rating\", "
      "\"min\": -1, \"max\": 5}]}",
      CSAT_ERR_INVALID_SURVEY, 1, 78, "\"min\" must be 0..9");
  EXPECT_ERR(
      "{\"id\": \"s\", \"version\": 1, \"questions\": [{\"id\": \"q\", \"type\": \"yes_no\", "
      "\"min\": 0}]}",
      CSAT_ERR_INVALID_SURVEY, 1, 78, "apply only to rating");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1, \"questions\": [" Q1 ", " Q1 "]}",
             CSAT_ERR_INVALID_SURVEY, 1, 141, "duplicate question id \"q1\"");
  EXPECT_ERR(
      "{\"id\": \"s\", \"version\": 1, \"questions\": [{\"id\": \"q1\", \"type\": \"rating\", "
      "\"min\": 1, \"max\": 5, \"flag\": {\"enabled\": true, \"threshold\": 6}}]}",
      CSAT_ERR_INVALID_SURVEY, 1, 131, "threshold 6 is outside the scale 1..5");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1, \"questions\": [{\"id\": \"q1\", \"type\": "
             "\"text_comment\", \"flag\": {\"enabled\": false}}]}",
             CSAT_ERR_INVALID_SURVEY, 1, 98, "has no score to flag");
  EXPECT_ERR(
      "{\"id\": \"s\", \"version\": 1, \"questions\": [{\"id\": \"q1\", \"type\": \"rating\", "
      "\"min\": 1, \"max\": 5, \"attempts\": {\"max\": 0}}]}",
      CSAT_ERR_INVALID_SURVEY, 1, 112, "attempts must be 1..9");
  EXPECT_ERR(
      "{\"id\": \"s\", \"version\": 1, \"questions\": [{\"id\": \"q1\", \"type\": \"rating\", "
      "\"min\": 1, \"max\": 5, \"attempts\": {\"on_exhausted\": \"stop\"}}]}",
      CSAT_ERR_INVALID_SURVEY, 1, 121, "\"skip\" or \"end\"");
  EXPECT_ERR(
      "{\"id\": \"s\", \"version\": 1, \"questions\": [{\"id\": \"q1\", \"type\": \"rating\", "
      "\"min\": 1, \"max\": 5, \"ask_if\": {\"question\": \"q1\", \"at_most\": 2}}]}",
      CSAT_ERR_INVALID_SURVEY, 1, 115, "not an earlier question");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1, \"questions\": [" Q1 ", {\"id\": \"q2\", \"type\": "
             "\"yes_no\", \"ask_if\": {\"question\": \"q1\", \"at_most\": 9}}]}",
             CSAT_ERR_INVALID_SURVEY, 1, 205, "condition bound 9");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1, \"questions\": [" Q1 ", {\"id\": \"q2\", \"type\": "
             "\"yes_no\", \"ask_if\": {\"question\": \"q1\"}}]}",
             CSAT_ERR_INVALID_SURVEY, 1, 175, "needs \"question\" and \"at_most\"");
  EXPECT_ERR(
      "{\"id\": \"s\", \"version\": 1, \"questions\": [{\"id\": \"q1\", \"type\": \"rating\", "
      "\"min\": 1, \"max\": 5, \"recording\": {\"max_duration_ms\": 5000}}]}",
      CSAT_ERR_INVALID_SURVEY, 1, 125, "not a voice comment");
  EXPECT_ERR("{\"id\": \"s\", \"version\": 1, \"questions\": [{\"id\": \"q1\", \"type\": "
             "\"rating\", \"min\": 1, \"max\": 5, \"prompts\": {\"thanks\": {}}}]}",
             CSAT_ERR_INVALID_SURVEY, 1, 104, "cannot be set per question");
  /* validation at finish points at the question */
  EXPECT_ERR("{\n  \"id\": \"s\",\n  \"version\": 1,\n  \"default_language\": \"pl\",\n"
             "  \"questions\": [\n    " Q1 "\n  ]\n}",
             CSAT_ERR_INVALID_SURVEY, 6, 5, "no question prompt in the default language \"pl\"");
}

TEST(limits) {
  /* 64 questions, then 65; a prompt of 4096 bytes, then 4097 */
  size_t cap = 64 * 1024, n = 0;
  char *json = malloc(cap);
  csat_survey *s;
  size_t at65 = 0;
  int i;
  if (json == NULL)
    return;
  n += (size_t)snprintf(json + n, cap - n, "{\"id\": \"s\", \"version\": 1, \"questions\": [");
  for (i = 1; i <= 65; i++) {
    if (i == 65)
      at65 = n + 2;
    n += (size_t)snprintf(json + n, cap - n,
                          "%s{\"id\": \"q%d\", \"type\": \"rating\", \"min\": 1, \"max\": 5, "
                          "\"prompts\": {\"question\": {\"en\": \"Q\"}}}",
                          i > 1 ? ", " : "", i);
    if (i == 64) {
      snprintf(json + n, cap - n, "]}");
      s = LOAD(json);
      CHECK_INT(csat_survey_question_count(s), 64);
      csat_survey_free(s);
    }
  }
  n += (size_t)snprintf(json + n, cap - n, "]}");
  expect_err(__LINE__, json, n, CSAT_ERR_LIMIT, 1, (int32_t)at65 + 1, "more than 64 questions");

  n = (size_t)snprintf(json, cap,
                       "{\"id\": \"s\", \"version\": 1, \"prompts\": {\"intro\": "
                       "{\"en\": \"");
  at65 = n; /* offset of the text's first byte */
  memset(json + n, 'x', 4096);
  n += 4096;
  n += (size_t)snprintf(json + n, cap - n, "\"}}, \"questions\": [" Q1 "]}");
  s = LOAD(json);
  if (s != NULL)
    CHECK_INT(strlen(s->prompts[CSAT_PROMPT_INTRO].items[0].text), 4096);
  csat_survey_free(s);
  n = (size_t)snprintf(json, cap,
                       "{\"id\": \"s\", \"version\": 1, \"prompts\": {\"intro\": "
                       "{\"en\": \"");
  memset(json + n, 'x', 4097);
  n += 4097;
  n += (size_t)snprintf(json + n, cap - n, "\"}}, \"questions\": [" Q1 "]}");
  expect_err(__LINE__, json, n, CSAT_ERR_LIMIT, 1, (int32_t)at65, "longer than 4096 bytes");
  /* an escaped text counts decoded bytes: 4096 x "\u00e9" is 8192 bytes */
  n = (size_t)snprintf(json, cap,
                       "{\"id\": \"s\", \"version\": 1, \"prompts\": {\"intro\": "
                       "{\"en\": \"");
  for (i = 0; i < 2048; i++)
    n += (size_t)snprintf(json + n, cap - n, "\\u00e9");
  n += (size_t)snprintf(json + n, cap - n, "\"}}, \"questions\": [" Q1 "]}");
  s = LOAD(json);
  csat_survey_free(s);
  /* an id of 129 bytes */
  n = (size_t)snprintf(json, cap, "{\"id\": \"");
  memset(json + n, 'i', 129);
  n += 129;
  n += (size_t)snprintf(json + n, cap - n, "\", \"version\": 1, \"questions\": [" Q1 "]}");
  expect_err(__LINE__, json, n, CSAT_ERR_LIMIT, 1, 8, "longer than 128 bytes");
  free(json);
}

/* Fail the k-th allocation of from_json on a full survey, k = 1.. until it
 * succeeds: NOMEM each time, no leak. */
TEST(nomem) {
  csat_survey *full = NULL, *s;
  char *json;
  size_t len = 0;
  fail_alloc ka;
  csat_allocator a;
  long k;
  int rc, persistent, steps = 0;
  CHECK_INT(kit_build_full(NULL, 0, &full), CSAT_OK);
  json = full ? kit_to_json(full, &len) : NULL;
  CHECK(json != NULL);
  if (json == NULL) {
    csat_survey_free(full);
    return;
  }
  for (persistent = 0; persistent <= 1; persistent++) {
    for (k = 1; k < 100000; k++) {
      csat_error e = fresh_err();
      s = NULL;
      a = fail_alloc_init(&ka, k, persistent);
      rc = csat_survey_from_json(&s, json, len, &a, &e);
      if (rc == CSAT_OK) {
        CHECK_INT(kit_survey_diff(s, full), 0);
        csat_survey_free(s);
        CHECK_INT(ka.live, 0);
        break;
      }
      steps++;
      CHECK_INT(rc, CSAT_ERR_NOMEM);
      CHECK_INT(e.code, CSAT_ERR_NOMEM);
      CHECK(s == NULL);
      CHECK_INT(ka.live, 0);
    }
  }
  CHECK(steps > 100);
  free(json);
  csat_survey_free(full);
}

/* The JSON reader alone: duplicate checks on a large object under NOMEM. */
TEST(json_nomem) {
  char buf[512];
  size_t n = 0;
  int i;
  long k;
  fail_alloc ka;
  csat_allocator ha;
  csat__alloc a;
  csat__jdoc d;
  buf[n++] = '[';
  buf[n++] = '{';
  for (i = 0; i < 20; i++)
    n += (size_t)snprintf(buf + n, sizeof buf - n, "%s\"k%d\": [%d, {}]", i ? "," : "", i, i);
  n += (size_t)snprintf(buf + n, sizeof buf - n, "}, \"s\", 1.5e3, -7, true, false, null]");
  for (k = 1;; k++) {
    int rc;
    ha = fail_alloc_init(&ka, k, 0);
    CHECK_INT(csat__alloc_init(&a, &ha), CSAT_OK);
    rc = csat__json_parse(&d, &a, buf, n, NULL);
    if (rc == CSAT_OK) {
      CHECK_INT(d.root.type, CSAT__J_ARRAY);
      CHECK_INT(d.root.len, 7);
      CHECK_INT(d.root.u.items[0].len, 20);
      CHECK_INT(d.root.u.items[2].is_int, 0);
      CHECK_INT(d.root.u.items[3].num, -7);
      CHECK(csat__json_get(&d.root.u.items[0], "k19") != NULL);
      CHECK(csat__json_get(&d.root.u.items[0], "k20") == NULL);
      csat__json_free(&d);
      CHECK_INT(ka.live, 0);
      break;
    }
    CHECK_INT(rc, CSAT_ERR_NOMEM);
    CHECK_INT(ka.live, 0);
    if (k > 100)
      break;
  }
  {
    /* integer edges */
    const char *t = "[9223372036854775807, -9223372036854775808, 9223372036854775808, "
                    "-9223372036854775809, 18446744073709551616, -0]";
    CHECK_INT(csat__alloc_init(&a, NULL), CSAT_OK);
    CHECK_INT(csat__json_parse(&d, &a, t, strlen(t), NULL), CSAT_OK);
    CHECK(d.root.u.items[0].num == INT64_MAX && !d.root.u.items[0].big);
    CHECK(d.root.u.items[1].num == INT64_MIN && !d.root.u.items[1].big);
    CHECK(d.root.u.items[2].big);
    CHECK(d.root.u.items[3].big);
    CHECK(d.root.u.items[4].big);
    CHECK(d.root.u.items[5].num == 0 && d.root.u.items[5].is_int);
    csat__json_free(&d);
  }
}

/* The example surveys are canonical: reading and writing gives the same bytes. */
TEST(data_files) {
  static const char *const files[] = {
      "data/surveys/seed000.json", "data/surveys/seed001_on_demand.json",
      "data/surveys/seed001_opt_in.json", "data/surveys/twelve.json"};
  size_t f;
  for (f = 0; f < sizeof files / sizeof files[0]; f++) {
    size_t len = 0, out_len = 0;
    char *text = kit_read_file(files[f], &len), *out;
    csat_survey *s = NULL;
    csat_error e = fresh_err();
    CHECK(text != NULL);
    if (text == NULL) {
      fprintf(stderr, "cannot read %s\n", files[f]);
      continue;
    }
    CHECK_INT(csat_survey_from_json(&s, text, len, NULL, &e), CSAT_OK);
    if (s == NULL) {
      fprintf(stderr, "%s: %s\n", files[f], e.message);
      free(text);
      continue;
    }
    out = kit_to_json(s, &out_len);
    CHECK(out != NULL && out_len == len && memcmp(out, text, len) == 0);
    if (f == 0) {
      CHECK_INT(csat_survey_question_count(s), 2);
      CHECK_INT(s->questions[0].min, 0);
      CHECK_INT(s->questions[0].flag_enabled, 1);
      CHECK_INT(s->questions[0].flag_threshold, 3);
      CHECK_INT(s->questions[1].min, 1);
      CHECK_INT(s->questions[1].flag_enabled, 0);
    } else if (f == 1 || f == 2) {
      CHECK_STR(csat_survey_question_id(s, 0), "EffortScore");
      CHECK_STR(csat_survey_question_id(s, 1), "PromoterScore");
      CHECK_STR(csat_survey_question_id(s, 2), "SatisfactionScore");
      CHECK_INT(s->esc_enabled, 1);
      CHECK_INT(s->esc_below, 3);
      CHECK_STR(s->esc_transfer_target, "supervisors");
      CHECK_INT(s->esc_callback, 1);
      CHECK_INT(s->mode, f == 1 ? CSAT_MODE_ON_DEMAND : CSAT_MODE_OPT_IN);
      CHECK((csat__survey_prompt(s, CSAT_PROMPT_OPT_IN_OFFER, -1, "en") != NULL) == (f == 2));
      CHECK(csat__survey_prompt(s, CSAT_PROMPT_ESCALATION, -1, "ko") != NULL);
      CHECK_STR(csat__survey_prompt(s, CSAT_PROMPT_QUESTION, 0, "ko-KR")->lang, "ko");
    } else {
      CHECK_INT(csat_survey_question_count(s), 12);
      CHECK_STR(csat_survey_question_id(s, 9), "q10");
      CHECK_INT(s->questions[9].flag_enabled + s->questions[10].flag_enabled +
                    s->questions[11].flag_enabled,
                3);
      CHECK_INT(s->questions[8].flag_enabled, 0);
      CHECK_INT(s->questions[11].flag_threshold, 2);
    }
    {
      static const int32_t kinds[] = {CSAT_PROMPT_INTRO,         CSAT_PROMPT_OUTRO,
                                      CSAT_PROMPT_INVALID_INPUT, CSAT_PROMPT_NO_INPUT,
                                      CSAT_PROMPT_MAX_ATTEMPTS,  CSAT_PROMPT_ALREADY_ANSWERED};
      size_t k;
      for (k = 0; k < 6; k++)
        CHECK(csat__survey_prompt(s, kinds[k], -1, "en") != NULL);
    }
    free(out);
    free(text);
    csat_survey_free(s);
  }
}

TEST(args) {
  csat_survey *s = (csat_survey *)&s;
  csat_allocator bad;
  csat_error e = fresh_err();
  CHECK_INT(csat_survey_from_json(NULL, "{}", 2, NULL, NULL), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_from_json(&s, NULL, 2, NULL, &e), CSAT_ERR_INVALID_ARG);
  CHECK(s == NULL);
  CHECK_INT(e.code, CSAT_ERR_INVALID_ARG);
  memset(&bad, 0, sizeof bad);
  CHECK_INT(csat_survey_from_json(&s, "{}", 2, &bad, NULL), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_from_json(&s, NULL, 0, NULL, NULL), CSAT_ERR_PARSE);
  /* err may be NULL, or too small to be written */
  e.struct_size = 4;
  e.code = 99;
  CHECK_INT(csat_survey_from_json(&s, "{", 1, NULL, &e), CSAT_ERR_PARSE);
  CHECK_INT(e.code, 99);
}

static const test_case tests[] = {
    TEST_ENTRY(canonical_form),
    TEST_ENTRY(round_trip_full),
    TEST_ENTRY(reader_forms),
    TEST_ENTRY(syntax_errors),
    TEST_ENTRY(limits_of_reader),
    TEST_ENTRY(semantic_errors_root),
    TEST_ENTRY(semantic_errors_text),
    TEST_ENTRY(semantic_errors_types),
    TEST_ENTRY(semantic_errors_prompts),
    TEST_ENTRY(semantic_errors_questions),
    TEST_ENTRY(limits),
    TEST_ENTRY(nomem),
    TEST_ENTRY(json_nomem),
    TEST_ENTRY(data_files),
    TEST_ENTRY(args),
};

TEST_MAIN(tests)
