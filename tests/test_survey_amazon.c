/* Import of the "Contact Surveys for Amazon Connect" item format. */
#include "registry.h"
#include "fail_alloc.h"
#include "survey_kit.h"

#include <stdlib.h>
#include <string.h>

/* A realistic item: 12 questions listed in text order (question_10 before
 * question_2), numbers as strings and as numbers, -1 and "" for "no flag",
 * and the extra attributes the solution's table carries. */
static const char item[] =
    "{\n"
    "  \"surveyId\": \"6f1c2e4a-8b5d-4c1e-9a7f-2d3b4c5d6e7f\",\n"
    "  \"surveyName\": \"Post-contact CSAT (Zespó\\u0142 wsparcia)\",\n"
    "  \"min\": \"1\",\n"
    "  \"max\": 5,\n"
    "  \"introPrompt\": \"Thank you for calling. Please answer a few questions.\",\n"
    "  \"outroPrompt\": \"Thank you for your time. Goodbye.\",\n"
    "  \"question_1\": \"How satisfied are you with the agent?\",\n"
    "  \"question_10\": \"Was the hold time acceptable?\",\n"
    "  \"question_11\": \"Would you call us again?\",\n"
    "  \"question_12\": \"How would you rate us overall?\",\n"
    "  \"question_2\": \"Was your issue resolved?\",\n"
    "  \"question_3\": \"How easy was it to reach us?\",\n"
    "  \"question_4\": \"How clear was the explanation?\",\n"
    "  \"question_5\": \"How fast was the service?\",\n"
    "  \"question_6\": \"How polite was the agent?\",\n"
    "  \"question_7\": \"How likely are you to recommend us?\",\n"
    "  \"question_8\": \"How well did we understand your needs?\",\n"
    "  \"question_9\": \"How satisfied are you with the outcome?\",\n"
    "  \"flag_question_1\": \"3\",\n"
    "  \"flag_question_2\": -1,\n"
    "  \"flag_question_3\": \"-1\",\n"
    "  \"flag_question_4\": \"\",\n"
    "  \"flag_question_5\": 1,\n"
    "  \"flag_question_10\": \"2\",\n"
    "  \"flag_question_12\": 5,\n"
    "  \"lastUpdatedAt\": \"2023-04-05T10:11:12Z\",\n"
    "  \"questionCount\": 12,\n"
    "  \"question_text\": \"not a question\"\n"
    "}\n";

static csat_error fresh_err(void) {
  csat_error e;
  memset(&e, 0, sizeof e);
  e.struct_size = sizeof e;
  return e;
}

static void expect_err(int at, const char *json, int code, int32_t line, int32_t column,
                       const char *part) {
  csat_survey *s = NULL;
  csat_error e = fresh_err();
  int rc = csat_survey_from_amazon_json(&s, json, strlen(json), NULL, &e);
  check_count++;
  if (rc != code || e.code != code || e.line != line || e.column != column || s != NULL ||
      strstr(e.message, part) == NULL) {
    check_failures++;
    fprintf(stderr, "%s:%d: expected %d at %d:%d (\"%s\"), got %d at %d:%d: \"%s\"\n", __FILE__, at,
            code, (int)line, (int)column, part, rc, (int)e.line, (int)e.column, e.message);
  }
  csat_survey_free(s);
}
#define EXPECT_ERR(json, code, line, col, part) expect_err(__LINE__, json, code, line, col, part)

TEST(item) {
  csat_survey *s = NULL;
  csat_error e = fresh_err();
  const csat__prompt_text *p;
  char id[16];
  int32_t i;
  CHECK_INT(csat_survey_from_amazon_json(&s, item, strlen(item), NULL, &e), CSAT_OK);
  if (s == NULL) {
    fprintf(stderr, "%s\n", e.message);
    return;
  }
  CHECK_STR(csat_survey_id(s), "6f1c2e4a-8b5d-4c1e-9a7f-2d3b4c5d6e7f");
  CHECK_INT(csat_survey_version(s), 1);
  CHECK_STR(csat_survey_name(s), "Post-contact CSAT (Zesp\xC3\xB3\xC5\x82 wsparcia)");
  CHECK_STR(s->default_language, "en");
  CHECK_INT(csat_survey_question_count(s), 12);
  for (i = 0; i < 12; i++) {
    snprintf(id, sizeof id, "question_%d", (int)i + 1);
    CHECK_STR(csat_survey_question_id(s, i), id);
    CHECK_INT(s->questions[i].kind, CSAT_Q_RATING);
    CHECK_INT(s->questions[i].min, 1);
    CHECK_INT(s->questions[i].max, 5);
  }
  p = csat__survey_prompt(s, CSAT_PROMPT_QUESTION, 9, "en");
  CHECK(p != NULL && strcmp(p->text, "Was the hold time acceptable?") == 0);
  p = csat__survey_prompt(s, CSAT_PROMPT_QUESTION, 1, "pl-PL"); /* falls back to en */
  CHECK(p != NULL && strcmp(p->text, "Was your issue resolved?") == 0);
  p = csat__survey_prompt(s, CSAT_PROMPT_INTRO, -1, NULL);
  CHECK(p != NULL && strcmp(p->text, "Thank you for calling. Please answer a few questions.") == 0);
  p = csat__survey_prompt(s, CSAT_PROMPT_OUTRO, -1, NULL);
  CHECK(p != NULL && strcmp(p->text, "Thank you for your time. Goodbye.") == 0);
  /* flags: 1 -> 3, 5 -> 1, 10 -> 2, 12 -> 5; -1, "-1", "" and absent are off */
  CHECK_INT(s->questions[0].flag_enabled, 1);
  CHECK_INT(s->questions[0].flag_threshold, 3);
  CHECK_INT(s->questions[1].flag_enabled, 0);
  CHECK_INT(s->questions[2].flag_enabled, 0);
  CHECK_INT(s->questions[3].flag_enabled, 0);
  CHECK_INT(s->questions[4].flag_enabled, 1);
  CHECK_INT(s->questions[4].flag_threshold, 1);
  for (i = 5; i < 9; i++)
    CHECK_INT(s->questions[i].flag_enabled, 0);
  CHECK_INT(s->questions[9].flag_enabled, 1);
  CHECK_INT(s->questions[9].flag_threshold, 2);
  CHECK_INT(s->questions[10].flag_enabled, 0);
  CHECK_INT(s->questions[11].flag_enabled, 1);
  CHECK_INT(s->questions[11].flag_threshold, 5);
  /* a disabled flag keeps a threshold inside the scale (never -1) */
  for (i = 0; i < 12; i++)
    CHECK(s->questions[i].flag_threshold >= 1 && s->questions[i].flag_threshold <= 5);
  /* the import saves as our own format and reads back equal */
  {
    size_t len = 0;
    char *json = kit_to_json(s, &len);
    csat_survey *back = NULL;
    CHECK(json != NULL);
    if (json != NULL) {
      CHECK_INT(csat_survey_from_json(&back, json, len, NULL, NULL), CSAT_OK);
      if (back != NULL)
        CHECK_INT(kit_survey_diff(s, back), 0);
      csat_survey_free(back);
      free(json);
    }
  }
  csat_survey_free(s);
}

/* Seed 000's worked example: question 1 flagged at threshold 3, and the
 * caller "answers 3 (a score lower than or equal to the threshold)" to get a
 * task. The solution's processReviewFlags flags score <= flag_question_N;
 * the import must keep that meaning (no N-1 shift): 3 flags, 4 does not. */
TEST(flag_threshold_meaning) {
  static const char seed000[] =
      "{\"surveyId\": \"seed000\", \"min\": 0, \"max\": 5, "
      "\"question_1\": \"How would you rate the service?\", "
      "\"question_2\": \"Was your issue resolved?\", \"flag_question_1\": \"3\"}";
  csat_survey *s = NULL;
  const csat__question *q;
  int32_t score;
  CHECK_INT(csat_survey_from_amazon_json(&s, seed000, strlen(seed000), NULL, NULL), CSAT_OK);
  if (s == NULL)
    return;
  q = &s->questions[0];
  CHECK_INT(q->flag_enabled, 1);
  CHECK_INT(q->flag_threshold, 3);
  /* the session's rule (session.c): flag_enabled && score <= flag_threshold */
  for (score = 0; score <= 5; score++)
    CHECK_INT(q->flag_enabled && score <= q->flag_threshold, score <= 3);
  CHECK_INT(s->questions[1].flag_enabled, 0);
  csat_survey_free(s);
}

TEST(dynamodb_typed) {
  static const char typed[] =
      "{\"Item\": {\"id\": {\"S\": \"nps-1\"}, \"surveyName\": {\"S\": \"NPS\"}, "
      "\"min\": {\"N\": \"0\"}, \"max\": {\"N\": \"10\"}, "
      "\"question_2\": {\"S\": \"Second\"}, \"question_1\": {\"S\": \"First\"}, "
      "\"question_3\": {\"S\": \"\"}, \"flag_question_3\": {\"N\": \"4\"}, "
      "\"flag_question_1\": {\"N\": \"6\"}, \"flag_question_2\": {\"N\": \"-1\"}}}";
  csat_survey *s = NULL;
  CHECK_INT(csat_survey_from_amazon_json(&s, typed, strlen(typed), NULL, NULL), CSAT_OK);
  if (s == NULL)
    return;
  CHECK_STR(csat_survey_id(s), "nps-1");
  CHECK_STR(csat_survey_name(s), "NPS");
  CHECK_INT(csat_survey_question_count(s), 2); /* the empty question_3 is no question */
  CHECK_STR(csat_survey_question_id(s, 0), "question_1");
  CHECK_STR(csat_survey_question_id(s, 1), "question_2");
  CHECK_INT(s->questions[0].min, 0);
  CHECK_INT(s->questions[0].max, 10);
  CHECK_INT(s->questions[0].flag_enabled, 1);
  CHECK_INT(s->questions[0].flag_threshold, 6);
  CHECK_INT(s->questions[1].flag_enabled, 0);
  CHECK(s->prompts[CSAT_PROMPT_INTRO].count == 0);
  csat_survey_free(s);
  /* surveyId wins over id, whatever the order */
  s = NULL;
  {
    static const char both[] =
        "{\"id\": \"old\", \"surveyId\": \"new\", \"min\": 1, \"max\": 3, \"question_1\": \"Q\"}";
    CHECK_INT(csat_survey_from_amazon_json(&s, both, strlen(both), NULL, NULL), CSAT_OK);
  }
  if (s != NULL)
    CHECK_STR(csat_survey_id(s), "new");
  csat_survey_free(s);
}

TEST(errors) {
  char *json;
  size_t n = 0, cap = 8192, at65 = 0;
  int i;
  EXPECT_ERR("[1]", CSAT_ERR_INVALID_SURVEY, 1, 1, "must be an object");
  EXPECT_ERR("{\"min\": 1, \"max\": 5, \"question_1\": \"Q\"}", CSAT_ERR_INVALID_SURVEY, 1, 1,
             "missing member \"surveyId\"");
  EXPECT_ERR("{\"surveyId\": \"s\", \"max\": 5, \"question_1\": \"Q\"}", CSAT_ERR_INVALID_SURVEY, 1,
             1, "missing member \"min\"");
  EXPECT_ERR("{\"surveyId\": \"s\", \"min\": 1, \"question_1\": \"Q\"}", CSAT_ERR_INVALID_SURVEY, 1,
             1, "missing member \"max\"");
  EXPECT_ERR("{\"surveyId\": \"s\", \"min\": 1, \"max\": 5}", CSAT_ERR_INVALID_SURVEY, 1, 1,
             "no question_N");
  EXPECT_ERR("{\"surveyId\": \"s\", \"min\": \"1.5\", \"max\": 5, \"question_1\": \"Q\"}",
             CSAT_ERR_INVALID_SURVEY, 1, 26, "\"min\" must be an integer");
  EXPECT_ERR("{\"surveyId\": \"s\", \"min\": 1, \"max\": 5, \"question_1\": \"Q\", "
             "\"flag_question_1\": 9}",
             CSAT_ERR_INVALID_SURVEY, 1, 77, "threshold 9 is outside the scale 1..5");
  EXPECT_ERR("{\"surveyId\": \"s\", \"min\": 1, \"max\": 5, \"question_1\": \"Q\", "
             "\"flag_question_2\": 3}",
             CSAT_ERR_INVALID_SURVEY, 1, 58, "has no \"question_2\"");
  EXPECT_ERR("{\"surveyId\": \"s\", \"min\": 1, \"max\": 5, \"question_01\": \"Q\"}",
             CSAT_ERR_INVALID_SURVEY, 1, 39, "without leading zeros");
  EXPECT_ERR("{\"surveyId\": \"s\", \"min\": 5, \"max\": 5, \"question_1\": \"Q\"}",
             CSAT_ERR_INVALID_SURVEY, 1, 36, "\"max\" must be greater");
  EXPECT_ERR("{\"surveyId\": \"s\", \"min\": 1, \"max\": 5, \"question_1\": 7}",
             CSAT_ERR_INVALID_SURVEY, 1, 53, "a question must be a string");
  EXPECT_ERR("{\"surveyId\": \"a b\", \"min\": 1, \"max\": 5, \"question_1\": \"Q\"}",
             CSAT_ERR_INVALID_SURVEY, 1, 14, "printable ASCII");
  EXPECT_ERR("{\"surveyId\": \"s\", \"min\": \"abc\", \"max\": 5, \"question_1\": \"Q\"}",
             CSAT_ERR_INVALID_SURVEY, 1, 26, "a string holding one");
  EXPECT_ERR("{\"surveyId\": \"s\", \"min\": 1, \"max\": 5, \"question_1\": \"Q\", "
             "\"flag_question_1\": \"99999999999\"}",
             CSAT_ERR_INVALID_SURVEY, 1, 77, "a string holding one");
  EXPECT_ERR("{\"Item\": {\"surveyId\": {\"S\": \"s\"}, \"min\": {\"N\": \"1\"}, \"max\": {\"N\": "
             "\"5\"}, \"question_1\": {\"S\": \"Q\"}, \"flag_question_1\": {\"N\": \"7\"}}}",
             CSAT_ERR_INVALID_SURVEY, 1, 124, "outside the scale");
  EXPECT_ERR("{\"surveyId\": \"s\",}", CSAT_ERR_PARSE, 1, 17, "trailing comma");
  EXPECT_ERR("\xEF\xBB\xBF{}", CSAT_ERR_PARSE, 1, 1, "byte order mark");

  /* 64 questions import; the 65th is over the limit */
  json = malloc(cap);
  if (json == NULL)
    return;
  n += (size_t)snprintf(json + n, cap - n, "{\"surveyId\": \"s\", \"min\": 1, \"max\": 5");
  for (i = 1; i <= 65; i++) {
    if (i == 65)
      at65 = n + 2;
    n += (size_t)snprintf(json + n, cap - n, ", \"question_%d\": \"Q%d\"", i, i);
    if (i == 64) {
      csat_survey *s = NULL;
      snprintf(json + n, cap - n, "}");
      CHECK_INT(csat_survey_from_amazon_json(&s, json, n + 1, NULL, NULL), CSAT_OK);
      CHECK_INT(csat_survey_question_count(s), 64);
      CHECK_STR(csat_survey_question_id(s, 63), "question_64");
      csat_survey_free(s);
    }
  }
  snprintf(json + n, cap - n, "}");
  EXPECT_ERR(json, CSAT_ERR_LIMIT, 1, (int32_t)at65 + 1, "more than 64 questions");
  free(json);

  {
    csat_survey *s = (csat_survey *)&s;
    CHECK_INT(csat_survey_from_amazon_json(NULL, "{}", 2, NULL, NULL), CSAT_ERR_INVALID_ARG);
    CHECK_INT(csat_survey_from_amazon_json(&s, NULL, 1, NULL, NULL), CSAT_ERR_INVALID_ARG);
    CHECK(s == NULL);
  }
}

TEST(nomem) {
  fail_alloc ka;
  csat_allocator a;
  long k;
  int steps = 0, persistent;
  for (persistent = 0; persistent <= 1; persistent++) {
    for (k = 1; k < 10000; k++) {
      csat_survey *s = NULL;
      int rc;
      a = fail_alloc_init(&ka, k, persistent);
      rc = csat_survey_from_amazon_json(&s, item, strlen(item), &a, NULL);
      if (rc == CSAT_OK) {
        CHECK_INT(csat_survey_question_count(s), 12);
        csat_survey_free(s);
        CHECK_INT(ka.live, 0);
        break;
      }
      steps++;
      CHECK_INT(rc, CSAT_ERR_NOMEM);
      CHECK(s == NULL);
      CHECK_INT(ka.live, 0);
    }
  }
  CHECK(steps > 40);
}

static const test_case tests[] = {
    TEST_ENTRY(item),           TEST_ENTRY(flag_threshold_meaning),
    TEST_ENTRY(dynamodb_typed), TEST_ENTRY(errors),
    TEST_ENTRY(nomem),
};

TEST_MAIN(tests)
