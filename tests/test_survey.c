/* The survey builder: every setter, every validation error, prompt fallback
 * order, accessors, fingerprint, out-of-memory behaviour. */
#include "registry.h"
#include "survey/survey.h"
#include "fail_alloc.h"
#include "survey_kit.h"

#include <string.h>

static char big[CSAT__MAX_TEMPLATE + 2];

/* A string of n 'x' (n <= sizeof big - 1). */
static const char *xs(size_t n) {
  memset(big, 'x', n);
  big[n] = '\0';
  return big;
}

static csat_survey_builder *new_builder(void) {
  csat_survey_builder *b = NULL;
  CHECK_INT(csat_survey_builder_new(&b, "s1", 1, NULL), CSAT_OK);
  return b;
}

/* A builder with one rating question "q1" 1..5 and its question prompt. */
static csat_survey_builder *one_question(void) {
  csat_survey_builder *b = new_builder();
  int32_t idx = -1;
  CHECK_INT(csat_survey_builder_add_question(b, "q1", CSAT_Q_RATING, 1, 5, &idx), CSAT_OK);
  CHECK_INT(idx, 0);
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, 0, NULL, "Rate us", NULL),
            CSAT_OK);
  return b;
}

TEST(new) {
  csat_survey_builder *b = NULL;
  csat_allocator bad;
  char id[CSAT__MAX_ID + 2];
  CHECK_INT(csat_survey_builder_new(NULL, "s", 1, NULL), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_new(&b, NULL, 1, NULL), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_new(&b, "", 1, NULL), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_new(&b, "a b", 1, NULL), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_new(&b, "\xC5\xBC", 1, NULL), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_new(&b, "a\x7F", 1, NULL), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_new(&b, "s", 0, NULL), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_new(&b, "s", -3, NULL), CSAT_ERR_INVALID_ARG);
  CHECK(b == NULL);
  memset(&bad, 0, sizeof bad);
  bad.struct_size = sizeof bad - 1;
  CHECK_INT(csat_survey_builder_new(&b, "s", 1, &bad), CSAT_ERR_INVALID_ARG);
  memset(id, 'a', CSAT__MAX_ID + 1);
  id[CSAT__MAX_ID + 1] = '\0';
  CHECK_INT(csat_survey_builder_new(&b, id, 1, NULL), CSAT_ERR_INVALID_ARG);
  id[CSAT__MAX_ID] = '\0';
  CHECK_INT(csat_survey_builder_new(&b, id, 1, NULL), CSAT_OK);
  CHECK_STR(csat_survey_builder_errmsg(b), "");
  csat_survey_builder_free(b);
  csat_survey_builder_free(NULL);
  CHECK_STR(csat_survey_builder_errmsg(NULL), "");
}

TEST(defaults) {
  csat_survey_builder *b = one_question();
  csat_survey *s = NULL;
  const csat__question *q;
  CHECK_INT(csat_survey_builder_finish(b, &s, NULL), CSAT_OK);
  CHECK(s != NULL);
  if (s == NULL)
    return;
  CHECK_STR(s->id, "s1");
  CHECK_INT(s->version, 1);
  CHECK_STR(s->name, "");
  CHECK_STR(s->default_language, "en");
  CHECK_INT(s->mode, CSAT_MODE_ON_DEMAND);
  CHECK_INT(s->first_digit_timeout_ms, 5000);
  CHECK_INT(s->inter_digit_timeout_ms, 3000);
  CHECK_INT(s->terminator, '#');
  CHECK_INT(s->max_repeats, 3);
  CHECK_INT(s->esc_enabled, 0);
  CHECK_INT(s->esc_below, 3);
  CHECK(s->esc_transfer_target == NULL);
  CHECK_INT(s->esc_callback, 0);
  CHECK_INT(s->task_enabled, 1);
  CHECK_STR(s->task_name, csat__default_task_name);
  CHECK_STR(s->task_description, csat__default_task_description);
  CHECK_STR(s->task_category, "csat-review");
  CHECK_STR(s->task_rule_name, "csat-low-score");
  CHECK_STR(s->task_target, "");
  CHECK(strstr(csat__default_task_name, "[Question]") != NULL);
  CHECK(strstr(csat__default_task_name, "[ContactId]") != NULL);
  CHECK(strstr(csat__default_task_description, "[ContactId]") != NULL);
  CHECK(strstr(csat__default_task_description, "[AgentId]") != NULL);
  CHECK(strstr(csat__default_task_description, "[QueueId]") != NULL);
  CHECK(strstr(csat__default_task_description, "[SurveyId]") != NULL);
  CHECK(strstr(csat__default_task_description, "[Score]") != NULL);
  CHECK(strstr(csat__default_task_description, "[Comment]") != NULL);
  CHECK(s->fingerprint != 0);
  q = &s->questions[0];
  CHECK_INT(q->kind, CSAT_Q_RATING);
  CHECK_INT(q->min, 1);
  CHECK_INT(q->max, 5);
  CHECK_INT(q->flag_enabled, 0);
  CHECK_INT(q->flag_threshold, 1);
  CHECK_INT(q->max_attempts, 3);
  CHECK_INT(q->on_exhausted, CSAT_EXHAUSTED_SKIP);
  CHECK_INT(q->cond_parent, -1);
  CHECK_INT(q->max_duration_ms, 60000);
  CHECK_INT(q->silence_timeout_ms, 3000);
  csat_survey_free(s);
  csat_survey_free(NULL);
}

TEST(name_language_mode) {
  csat_survey_builder *b = new_builder();
  CHECK_INT(csat_survey_builder_set_name(b, "Ankieta \xC5\xBC"), CSAT_OK);
  CHECK_STR(csat_survey_builder_errmsg(b), "");
  CHECK_INT(csat_survey_builder_set_name(b, NULL), CSAT_ERR_INVALID_ARG);
  CHECK(csat_survey_builder_errmsg(b)[0] != '\0');
  CHECK_INT(csat_survey_builder_set_name(b, xs(CSAT__MAX_ID + 1)), CSAT_ERR_LIMIT);
  CHECK_INT(csat_survey_builder_set_name(b, "bad \xC3"), CSAT_ERR_UTF8);
  CHECK_STR(b->s->name, "Ankieta \xC5\xBC");
  CHECK_INT(csat_survey_builder_set_name(b, xs(CSAT__MAX_ID)), CSAT_OK);
  CHECK_INT(csat_survey_builder_set_name(b, ""), CSAT_OK);
  CHECK_STR(b->s->name, "");

  CHECK_INT(csat_survey_builder_set_default_language(b, "pl-PL"), CSAT_OK);
  CHECK_INT(csat_survey_builder_set_default_language(b, "uz-Latn"), CSAT_OK);
  CHECK_INT(csat_survey_builder_set_default_language(b, NULL), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_default_language(b, ""), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_default_language(b, "en_US"), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_default_language(b, "en-"), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_default_language(b, "-en"), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_default_language(b, "en--US"), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_default_language(b, "abcdefghi"), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_default_language(b, xs(CSAT__MAX_ID + 1)), CSAT_ERR_LIMIT);
  CHECK_STR(b->s->default_language, "uz-Latn");

  CHECK_INT(csat_survey_builder_set_mode(b, CSAT_MODE_OPT_IN), CSAT_OK);
  CHECK_INT(csat_survey_builder_set_mode(b, 0), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_mode(b, 3), CSAT_ERR_INVALID_ARG);
  CHECK_INT(b->s->mode, CSAT_MODE_OPT_IN);
  CHECK_INT(csat_survey_builder_set_mode(b, CSAT_MODE_ON_DEMAND), CSAT_OK);
  CHECK_INT(b->s->mode, CSAT_MODE_ON_DEMAND);
  csat_survey_builder_free(b);
}

TEST(prompts) {
  csat_survey_builder *b = one_question();
  const csat__prompt_set *set;
  char lang[8];
  int k;
  /* kind range, QUESTION per question only, (q) kinds only per question */
  CHECK_INT(csat_survey_builder_set_prompt(b, 0, -1, NULL, "x", NULL), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_KIND_MAX + 1, -1, NULL, "x", NULL),
            CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_prompt(b, -5, -1, NULL, "x", NULL), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, -1, NULL, "x", NULL),
            CSAT_ERR_INVALID_ARG);
  for (k = 1; k <= CSAT_PROMPT_KIND_MAX; k++) {
    int per_q = k == CSAT_PROMPT_QUESTION || k == CSAT_PROMPT_INVALID_INPUT ||
                k == CSAT_PROMPT_NO_INPUT || k == CSAT_PROMPT_MAX_ATTEMPTS;
    CHECK_INT(csat_survey_builder_set_prompt(b, k, 0, "en", "x", NULL),
              per_q ? CSAT_OK : CSAT_ERR_INVALID_ARG);
  }
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, 1, NULL, "x", NULL),
            CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INVALID_INPUT, -2, NULL, "x", NULL),
            CSAT_ERR_INVALID_ARG);
  /* text and audio */
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INTRO, -1, NULL, NULL, NULL),
            CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INTRO, -1, NULL, NULL, ""),
            CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INTRO, -1, NULL, xs(CSAT__MAX_PROMPT + 1),
                                           NULL),
            CSAT_ERR_LIMIT);
  CHECK_INT(
      csat_survey_builder_set_prompt(b, CSAT_PROMPT_INTRO, -1, NULL, NULL, xs(CSAT__MAX_AUDIO + 1)),
      CSAT_ERR_LIMIT);
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INTRO, -1, NULL, "\xFF", NULL),
            CSAT_ERR_UTF8);
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INTRO, -1, NULL, NULL, "a\xC0\x80"),
            CSAT_ERR_UTF8);
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INTRO, -1, "e n", "x", NULL),
            CSAT_ERR_INVALID_ARG);
  CHECK_INT(
      csat_survey_builder_set_prompt(b, CSAT_PROMPT_INTRO, -1, xs(CSAT__MAX_ID + 1), "x", NULL),
      CSAT_ERR_LIMIT);
  CHECK_INT(b->s->prompts[CSAT_PROMPT_INTRO].count, 0);
  CHECK_INT(
      csat_survey_builder_set_prompt(b, CSAT_PROMPT_INTRO, -1, NULL, xs(CSAT__MAX_PROMPT), NULL),
      CSAT_OK);
  CHECK_INT(
      csat_survey_builder_set_prompt(b, CSAT_PROMPT_OUTRO, -1, NULL, NULL, xs(CSAT__MAX_AUDIO)),
      CSAT_OK);
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_THANKS, -1, NULL, "", NULL), CSAT_OK);
  /* NULL language = the default language at the time of the call */
  set = &b->s->prompts[CSAT_PROMPT_INTRO];
  CHECK_INT(set->count, 1);
  CHECK_STR(set->items[0].lang, "en");
  CHECK(set->items[0].audio == NULL);
  /* replacing keeps the position (and the first spelling of the tag) */
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INTRO, -1, "pl", "Witamy", NULL),
            CSAT_OK);
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INTRO, -1, "EN", "Hello", "hi.wav"),
            CSAT_OK);
  CHECK_INT(set->count, 2);
  CHECK_STR(set->items[0].lang, "en");
  CHECK_STR(set->items[0].text, "Hello");
  CHECK_STR(set->items[0].audio, "hi.wav");
  CHECK_STR(set->items[1].lang, "pl");
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INTRO, -1, "en", NULL, "only.wav"),
            CSAT_OK);
  CHECK(set->items[0].text == NULL);
  CHECK_STR(set->items[0].audio, "only.wav");
  /* failed replacement leaves the old prompt */
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INTRO, -1, "en", "\xFF", NULL),
            CSAT_ERR_UTF8);
  CHECK_STR(set->items[0].audio, "only.wav");
  /* 32 distinct languages across the survey; the 33rd is refused wherever it goes */
  for (k = 2; k < CSAT__MAX_LANGUAGES; k++) { /* en and pl exist */
    lang[0] = 'l';
    lang[1] = (char)('a' + k / 26);
    lang[2] = (char)('a' + k % 26);
    lang[3] = '\0';
    if (k % 3 == 0) /* some languages appear only in a question's prompts */
      CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_NO_INPUT, 0, lang, "t", NULL),
                CSAT_OK);
    else
      CHECK_INT(csat_survey_builder_set_prompt(b, k % 2 ? CSAT_PROMPT_OUTRO : CSAT_PROMPT_EXPIRED,
                                               -1, lang, "t", NULL),
                CSAT_OK);
  }
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_EXPIRED, -1, "zz", "t", NULL),
            CSAT_ERR_LIMIT);
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, 0, "zz", "t", NULL),
            CSAT_ERR_LIMIT);
  /* a language already used elsewhere is no new language */
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_EXPIRED, -1, "PL", "t", NULL), CSAT_OK);
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_EXPIRED, -1, lang, "t", NULL), CSAT_OK);
  csat_survey_builder_free(b);
}

TEST(questions) {
  csat_survey_builder *b = new_builder();
  int32_t idx = -1, k;
  char id[16];
  CHECK_INT(csat_survey_builder_add_question(b, NULL, CSAT_Q_RATING, 1, 5, NULL),
            CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_add_question(b, "", CSAT_Q_RATING, 1, 5, NULL),
            CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_add_question(b, "a b", CSAT_Q_RATING, 1, 5, NULL),
            CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_add_question(b, "tab\t", CSAT_Q_RATING, 1, 5, NULL),
            CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_add_question(b, xs(CSAT__MAX_ID + 1), CSAT_Q_RATING, 1, 5, NULL),
            CSAT_ERR_LIMIT);
  CHECK_INT(csat_survey_builder_add_question(b, "q", 0, 1, 5, NULL), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_add_question(b, "q", 5, 1, 5, NULL), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_add_question(b, "q", CSAT_Q_RATING, -1, 5, NULL),
            CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_add_question(b, "q", CSAT_Q_RATING, 5, 5, NULL),
            CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_add_question(b, "q", CSAT_Q_RATING, 3, 2, NULL),
            CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_add_question(b, "q", CSAT_Q_RATING, 0, 11, NULL),
            CSAT_ERR_INVALID_ARG);
  CHECK_INT(b->s->question_count, 0);
  CHECK_INT(csat_survey_builder_add_question(b, xs(CSAT__MAX_ID), CSAT_Q_RATING, 0, 10, &idx),
            CSAT_OK);
  CHECK_INT(idx, 0);
  CHECK_INT(csat_survey_builder_add_question(b, "yn", CSAT_Q_YES_NO, 3, 7, &idx), CSAT_OK);
  CHECK_INT(idx, 1);
  CHECK_INT(b->s->questions[1].min, 0);
  CHECK_INT(b->s->questions[1].max, 1);
  CHECK_INT(b->s->questions[1].flag_threshold, 0);
  CHECK_INT(csat_survey_builder_add_question(b, "vc", CSAT_Q_VOICE_COMMENT, 1, 5, NULL), CSAT_OK);
  CHECK_INT(csat_survey_builder_add_question(b, "tc", CSAT_Q_TEXT_COMMENT, 1, 5, NULL), CSAT_OK);
  CHECK_INT(b->s->questions[2].min, 0);
  CHECK_INT(b->s->questions[2].max, 0);
  CHECK_INT(b->s->questions[3].max, 0);
  CHECK_INT(csat_survey_builder_add_question(b, "yn", CSAT_Q_RATING, 1, 5, NULL),
            CSAT_ERR_INVALID_ARG);
  CHECK(strstr(csat_survey_builder_errmsg(b), "duplicate") != NULL);
  /* up to 64 questions */
  for (k = 4; k < CSAT__MAX_QUESTIONS; k++) {
    csat__msg_set(id, sizeof id, "q%d", (int)k);
    CHECK_INT(csat_survey_builder_add_question(b, id, CSAT_Q_RATING, 1, 5, &idx), CSAT_OK);
    CHECK_INT(idx, k);
  }
  CHECK_INT(csat_survey_builder_add_question(b, "one-more", CSAT_Q_RATING, 1, 5, &idx),
            CSAT_ERR_LIMIT);
  CHECK_INT(idx, CSAT__MAX_QUESTIONS - 1);
  CHECK_INT(b->s->question_count, CSAT__MAX_QUESTIONS);
  csat_survey_builder_free(b);
}

TEST(question_settings) {
  csat_survey_builder *b = new_builder();
  const csat__question *q;
  CHECK_INT(csat_survey_builder_add_question(b, "r", CSAT_Q_RATING, 1, 5, NULL), CSAT_OK);
  CHECK_INT(csat_survey_builder_add_question(b, "yn", CSAT_Q_YES_NO, 0, 0, NULL), CSAT_OK);
  CHECK_INT(csat_survey_builder_add_question(b, "vc", CSAT_Q_VOICE_COMMENT, 0, 0, NULL), CSAT_OK);
  CHECK_INT(csat_survey_builder_add_question(b, "tc", CSAT_Q_TEXT_COMMENT, 0, 0, NULL), CSAT_OK);
  q = b->s->questions;

  /* flag */
  CHECK_INT(csat_survey_builder_set_flag(b, -1, 1, 3), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_flag(b, 4, 1, 3), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_flag(b, 0, 1, 0), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_flag(b, 0, 1, 6), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_flag(b, 2, 1, 0), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_flag(b, 3, 0, 0), CSAT_ERR_INVALID_ARG);
  CHECK_INT(q[0].flag_enabled, 0);
  CHECK_INT(csat_survey_builder_set_flag(b, 0, 7, 3), CSAT_OK);
  CHECK_INT(q[0].flag_enabled, 1);
  CHECK_INT(q[0].flag_threshold, 3);
  CHECK_INT(csat_survey_builder_set_flag(b, 0, 0, 5), CSAT_OK);
  CHECK_INT(q[0].flag_enabled, 0);
  CHECK_INT(q[0].flag_threshold, 5); /* kept while disabled */
  CHECK_INT(csat_survey_builder_set_flag(b, 1, 1, 1), CSAT_OK);
  CHECK_INT(csat_survey_builder_set_flag(b, 1, 1, 2), CSAT_ERR_INVALID_ARG);

  /* attempts */
  CHECK_INT(csat_survey_builder_set_attempts(b, 0, 0, CSAT_EXHAUSTED_SKIP), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_attempts(b, 0, 10, CSAT_EXHAUSTED_SKIP), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_attempts(b, 0, 3, 0), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_attempts(b, 0, 3, 3), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_attempts(b, 9, 3, CSAT_EXHAUSTED_END), CSAT_ERR_INVALID_ARG);
  CHECK_INT(q[0].max_attempts, 3);
  CHECK_INT(csat_survey_builder_set_attempts(b, 0, 9, CSAT_EXHAUSTED_END), CSAT_OK);
  CHECK_INT(q[0].max_attempts, 9);
  CHECK_INT(q[0].on_exhausted, CSAT_EXHAUSTED_END);
  CHECK_INT(csat_survey_builder_set_attempts(b, 3, 1, CSAT_EXHAUSTED_SKIP), CSAT_OK);

  /* condition */
  CHECK_INT(csat_survey_builder_set_condition(b, 0, 0, 2), CSAT_ERR_INVALID_ARG); /* itself */
  CHECK_INT(csat_survey_builder_set_condition(b, 1, 2, 0), CSAT_ERR_INVALID_ARG); /* later */
  CHECK_INT(csat_survey_builder_set_condition(b, 3, 2, 0), CSAT_ERR_INVALID_ARG); /* comment */
  CHECK_INT(csat_survey_builder_set_condition(b, 1, 0, 0), CSAT_ERR_INVALID_ARG); /* < min */
  CHECK_INT(csat_survey_builder_set_condition(b, 1, 0, 6), CSAT_ERR_INVALID_ARG); /* > max */
  CHECK_INT(csat_survey_builder_set_condition(b, 1, -2, 1), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_condition(b, 7, 0, 1), CSAT_ERR_INVALID_ARG);
  CHECK_INT(q[1].cond_parent, -1);
  CHECK_INT(csat_survey_builder_set_condition(b, 1, 0, 2), CSAT_OK);
  CHECK_INT(q[1].cond_parent, 0);
  CHECK_INT(q[1].cond_at_most, 2);
  CHECK_INT(csat_survey_builder_set_condition(b, 3, 1, 0), CSAT_OK);  /* yes/no parent */
  CHECK_INT(csat_survey_builder_set_condition(b, 1, -1, 0), CSAT_OK); /* removed */
  CHECK_INT(q[1].cond_parent, -1);

  /* recording */
  CHECK_INT(csat_survey_builder_set_recording(b, 0, 60000, 3000), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_recording(b, 3, 60000, 3000), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_recording(b, 2, 999, 3000), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_recording(b, 2, 600001, 3000), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_recording(b, 2, 60000, 499), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_recording(b, 2, 60000, 60001), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_recording(b, 5, 60000, 3000), CSAT_ERR_INVALID_ARG);
  CHECK_INT(q[2].max_duration_ms, 60000);
  CHECK_INT(csat_survey_builder_set_recording(b, 2, 1000, 500), CSAT_OK);
  CHECK_INT(csat_survey_builder_set_recording(b, 2, 600000, 60000), CSAT_OK);
  CHECK_INT(q[2].max_duration_ms, 600000);
  CHECK_INT(q[2].silence_timeout_ms, 60000);
  csat_survey_builder_free(b);
}

TEST(survey_settings) {
  csat_survey_builder *b = new_builder();
  csat_survey *s = b->s;
  /* escalation */
  CHECK_INT(csat_survey_builder_set_escalation(b, 1, 0, NULL, 1), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_escalation(b, 1, 11, NULL, 1), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_escalation(b, 1, 3, xs(CSAT__MAX_ID + 1), 1), CSAT_ERR_LIMIT);
  CHECK_INT(csat_survey_builder_set_escalation(b, 1, 3, "\xC3", 1), CSAT_ERR_UTF8);
  CHECK_INT(s->esc_enabled, 0);
  CHECK_INT(csat_survey_builder_set_escalation(b, 5, 4, "supervisors", 9), CSAT_OK);
  CHECK_INT(s->esc_enabled, 1);
  CHECK_INT(s->esc_below, 4);
  CHECK_STR(s->esc_transfer_target, "supervisors");
  CHECK_INT(s->esc_callback, 1);
  /* its own target passed back in (what the JSON reader does) */
  CHECK_INT(csat_survey_builder_set_escalation(b, 1, 5, s->esc_transfer_target, 0), CSAT_OK);
  CHECK_STR(s->esc_transfer_target, "supervisors");
  CHECK_INT(csat_survey_builder_set_escalation(b, 0, 3, "", 0), CSAT_OK);
  CHECK(s->esc_transfer_target == NULL);
  CHECK_INT(csat_survey_builder_set_escalation(b, 1, 10, NULL, 1), CSAT_OK);

  /* task */
  CHECK_INT(csat_survey_builder_set_task(b, 1, xs(CSAT__MAX_TEMPLATE + 1), NULL, NULL, NULL, NULL),
            CSAT_ERR_LIMIT);
  CHECK_INT(csat_survey_builder_set_task(b, 1, NULL, NULL, NULL, xs(CSAT__MAX_ID + 1), NULL),
            CSAT_ERR_LIMIT);
  CHECK_INT(csat_survey_builder_set_task(b, 0, "new name", NULL, NULL, NULL, xs(CSAT__MAX_ID + 1)),
            CSAT_ERR_LIMIT);
  CHECK_INT(csat_survey_builder_set_task(b, 0, "new name", "\xFF", NULL, NULL, NULL),
            CSAT_ERR_UTF8);
  CHECK_STR(s->task_name, csat__default_task_name); /* unchanged after errors */
  CHECK_INT(s->task_enabled, 1);
  CHECK_INT(
      csat_survey_builder_set_task(b, 0, xs(CSAT__MAX_TEMPLATE), NULL, "review", "flow-7", NULL),
      CSAT_OK);
  CHECK_INT(s->task_enabled, 0);
  CHECK_INT((int)strlen(s->task_name), CSAT__MAX_TEMPLATE);
  CHECK_STR(s->task_description, csat__default_task_description);
  CHECK_STR(s->task_category, "review");
  CHECK_STR(s->task_target, "flow-7");
  CHECK_STR(s->task_rule_name, "csat-low-score");
  CHECK_INT(csat_survey_builder_set_task(b, 1, NULL, "D", NULL, "", "rule"), CSAT_OK);
  CHECK_INT(s->task_enabled, 1);
  CHECK_STR(s->task_description, "D");
  CHECK_STR(s->task_target, "");
  CHECK_STR(s->task_rule_name, "rule");

  /* input */
  CHECK_INT(csat_survey_builder_set_input(b, 99, 3000, '#', 3), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_input(b, 600001, 3000, '#', 3), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_input(b, 5000, 99, '#', 3), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_input(b, 5000, 600001, '#', 3), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_input(b, 5000, 3000, '*', 3), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_input(b, 5000, 3000, '1', 3), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_input(b, 5000, 3000, '#', -1), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_input(b, 5000, 3000, '#', 10), CSAT_ERR_INVALID_ARG);
  CHECK_INT(s->first_digit_timeout_ms, 5000);
  CHECK_INT(csat_survey_builder_set_input(b, 100, 600000, 0, 0), CSAT_OK);
  CHECK_INT(s->first_digit_timeout_ms, 100);
  CHECK_INT(s->inter_digit_timeout_ms, 600000);
  CHECK_INT(s->terminator, 0);
  CHECK_INT(s->max_repeats, 0);
  CHECK_INT(csat_survey_builder_set_input(b, 600000, 100, '#', 9), CSAT_OK);

  /* text channels: window 1 minute .. 30 days, multiple answers as a flag */
  CHECK(s->text_window_ms == 86400000LL);
  CHECK_INT(s->text_multiple, 0);
  CHECK_INT(csat_survey_builder_set_text(b, 59999, 0), CSAT_ERR_INVALID_ARG);
  CHECK(strstr(csat_survey_builder_errmsg(b), "window_ms") != NULL);
  CHECK_INT(csat_survey_builder_set_text(b, 2592000001LL, 0), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_text(b, -1, 1), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_text(b, INT64_MAX, 1), CSAT_ERR_INVALID_ARG);
  CHECK(s->text_window_ms == 86400000LL);
  CHECK_INT(s->text_multiple, 0);
  CHECK_INT(csat_survey_builder_set_text(b, 60000, 5), CSAT_OK);
  CHECK(s->text_window_ms == 60000);
  CHECK_INT(s->text_multiple, 1);
  CHECK_INT(csat_survey_builder_set_text(b, 2592000000LL, 0), CSAT_OK);
  CHECK(s->text_window_ms == 2592000000LL);
  CHECK_INT(s->text_multiple, 0);
  csat_survey_builder_free(b);
}

TEST(null_builder) {
  csat_survey *s = (csat_survey *)&s;
  csat_error err;
  CHECK_INT(csat_survey_builder_set_name(NULL, "x"), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_default_language(NULL, "en"), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_mode(NULL, 1), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_prompt(NULL, 1, -1, NULL, "x", NULL), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_add_question(NULL, "q", 1, 1, 5, NULL), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_flag(NULL, 0, 1, 1), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_attempts(NULL, 0, 1, 1), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_condition(NULL, 1, 0, 1), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_escalation(NULL, 1, 3, NULL, 1), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_task(NULL, 1, NULL, NULL, NULL, NULL, NULL),
            CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_recording(NULL, 0, 60000, 3000), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_input(NULL, 5000, 3000, '#', 3), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_survey_builder_set_text(NULL, 86400000, 0), CSAT_ERR_INVALID_ARG);
  memset(&err, 0, sizeof err);
  err.struct_size = sizeof err;
  CHECK_INT(csat_survey_builder_finish(NULL, &s, &err), CSAT_ERR_INVALID_ARG);
  CHECK(s == NULL);
  CHECK_INT(err.code, CSAT_ERR_INVALID_ARG);
}

/* finish must fail with INVALID_SURVEY, leave the builder usable, and say `what`. */
static void expect_invalid(csat_survey_builder *b, const char *what) {
  csat_survey *s = (csat_survey *)&s;
  csat_error err;
  memset(&err, 0, sizeof err);
  err.struct_size = sizeof err;
  CHECK_INT(csat_survey_builder_finish(b, &s, &err), CSAT_ERR_INVALID_SURVEY);
  CHECK(s == NULL);
  CHECK_INT(err.code, CSAT_ERR_INVALID_SURVEY);
  CHECK_INT(err.line, 0);
  if (strstr(err.message, what) == NULL || strstr(csat_survey_builder_errmsg(b), what) == NULL) {
    check_failures++;
    fprintf(stderr, "expected \"%s\" in \"%s\"\n", what, err.message);
  }
}

TEST(finish_validation) {
  csat_survey_builder *b = new_builder();
  csat_survey *s = NULL;
  csat__question *q;
  char *saved;
  int32_t saved_int;

  expect_invalid(b, "at least one question");
  CHECK_INT(csat_survey_builder_add_question(b, "q1", CSAT_Q_RATING, 1, 5, NULL), CSAT_OK);
  expect_invalid(b, "no question prompt in the default language");
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, 0, "pl", "Ocen", NULL),
            CSAT_OK);
  expect_invalid(b, "no question prompt in the default language \"en\"");
  /* a survey-level prompt in the default language does not count */
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INVALID_INPUT, -1, "en", "x", NULL),
            CSAT_OK);
  expect_invalid(b, "\"q1\"");
  CHECK_INT(csat_survey_builder_set_default_language(b, "pl-PL"), CSAT_OK); /* falls back to pl */
  CHECK_INT(csat_survey_builder_add_question(b, "q2", CSAT_Q_YES_NO, 0, 0, NULL), CSAT_OK);
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, 1, NULL, "Tak?", NULL),
            CSAT_OK);
  CHECK_STR(b->s->questions[1].prompts[CSAT_PROMPT_QUESTION].items[0].lang, "pl-PL");

  /* What the setters never let through, forced in to prove finish checks it. */
  q = &b->s->questions[0];
  saved_int = q->flag_threshold;
  q->flag_threshold = 6;
  expect_invalid(b, "flag threshold");
  q->flag_threshold = saved_int;
  q->max_attempts = 0;
  expect_invalid(b, "attempts");
  q->max_attempts = 10;
  expect_invalid(b, "attempts");
  q->max_attempts = 3;
  q->on_exhausted = 7;
  expect_invalid(b, "attempts");
  q->on_exhausted = CSAT_EXHAUSTED_SKIP;
  q->min = 5;
  expect_invalid(b, "0 <= min < max <= 10");
  q->min = -1;
  expect_invalid(b, "0 <= min < max <= 10");
  q->min = 1;
  q->max = 11;
  expect_invalid(b, "0 <= min < max <= 10");
  q->max = 5;
  b->s->questions[1].max = 2;
  expect_invalid(b, "yes/no scale");
  b->s->questions[1].max = 1;
  q->cond_parent = 1; /* a later question */
  expect_invalid(b, "earlier question");
  q->cond_parent = -1;
  b->s->questions[1].cond_parent = 0;
  b->s->questions[1].cond_at_most = 9;
  expect_invalid(b, "condition");
  b->s->questions[1].cond_at_most = 1;
  CHECK_INT(csat_survey_builder_add_question(b, "c", CSAT_Q_TEXT_COMMENT, 0, 0, NULL), CSAT_OK);
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, 2, NULL, "Why?", NULL),
            CSAT_OK);
  b->s->questions[2].cond_parent = 0;
  b->s->questions[2].cond_at_most = 3;
  b->s->questions[2].max = 1;
  expect_invalid(b, "comment has no score");
  b->s->questions[2].max = 0;
  b->s->questions[2].flag_enabled = 1;
  expect_invalid(b, "comment has no score");
  b->s->questions[2].flag_enabled = 0;
  b->s->questions[2].kind = 9;
  expect_invalid(b, "unknown kind");
  b->s->questions[2].kind = CSAT_Q_TEXT_COMMENT;
  b->s->questions[2].cond_parent = 2; /* itself */
  expect_invalid(b, "earlier question");
  b->s->questions[2].cond_parent = 0;
  b->s->questions[2].max_duration_ms = 10;
  expect_invalid(b, "recording");
  b->s->questions[2].max_duration_ms = 60000;
  saved = b->s->questions[2].id;
  b->s->questions[2].id = (char *)"q1";
  expect_invalid(b, "duplicate id");
  b->s->questions[2].id = (char *)"a b";
  expect_invalid(b, "id is invalid");
  b->s->questions[2].id = saved;
  saved = b->s->name;
  b->s->name = (char *)"\xFF";
  expect_invalid(b, "name");
  b->s->name = saved;
  b->s->terminator = '*';
  expect_invalid(b, "input");
  b->s->terminator = '#';
  b->s->text_window_ms = 1000;
  expect_invalid(b, "text settings");
  b->s->text_window_ms = 86400000;
  b->s->text_multiple = 2;
  expect_invalid(b, "text settings");
  b->s->text_multiple = 0;
  b->s->esc_below = 0;
  expect_invalid(b, "escalation");
  b->s->esc_below = 3;
  saved = b->s->task_category;
  b->s->task_category = NULL;
  expect_invalid(b, "task");
  b->s->task_category = saved;
  b->s->mode = 0;
  expect_invalid(b, "mode");
  b->s->mode = CSAT_MODE_OPT_IN;
  /* Menus need their prompt in the default language ("pl-PL" here, so "pl"
   * counts, "en" does not): the caller must not be asked for a digit after
   * hearing nothing. */
  expect_invalid(b, "opt_in_offer prompt in the default language \"pl-PL\"");
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_OPT_IN_OFFER, -1, "en", "1 yes", NULL),
            CSAT_OK);
  expect_invalid(b, "opt_in_offer");
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_OPT_IN_OFFER, -1, "pl", NULL, "o.wav"),
            CSAT_OK);
  CHECK_INT(csat_survey_builder_set_escalation(b, 1, 3, "sup", 0), CSAT_OK);
  expect_invalid(b, "escalation prompt in the default language \"pl-PL\"");
  CHECK_INT(
      csat_survey_builder_set_prompt(b, CSAT_PROMPT_ESCALATION, -1, "pl", "1 kierownik", NULL),
      CSAT_OK);

  /* the builder survived every failure and now finishes */
  CHECK_INT(csat_survey_builder_finish(b, &s, NULL), CSAT_OK);
  CHECK(s != NULL);
  CHECK_INT(csat_survey_question_count(s), 3);
  csat_survey_free(s);
}

TEST(prompt_lookup) {
  csat_survey_builder *b = new_builder();
  csat_survey *s = NULL;
  const csat__prompt_text *p;
  CHECK_INT(csat_survey_builder_add_question(b, "q1", CSAT_Q_RATING, 1, 5, NULL), CSAT_OK);
  CHECK_INT(csat_survey_builder_add_question(b, "q2", CSAT_Q_RATING, 1, 5, NULL), CSAT_OK);
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, 0, "en", "Q en", NULL), 0);
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, 0, "pl", "Q pl", NULL), 0);
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, 0, "pl-PL", "Q pl-PL", NULL),
            0);
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, 1, "en", "Q2 en", NULL), 0);
  /* INVALID_INPUT: q1 has its own in en only; the survey has pl and en */
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INVALID_INPUT, 0, "en", "I q1 en", NULL),
            0);
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INVALID_INPUT, -1, "pl", "I pl", NULL),
            0);
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INVALID_INPUT, -1, "en", "I en", NULL),
            0);
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INTRO, -1, "ko", "Intro ko", NULL), 0);
  CHECK_INT(csat_survey_builder_finish(b, &s, NULL), CSAT_OK);
  if (s == NULL)
    return;

#define TEXT(kind, q, lang) ((p = csat__survey_prompt(s, kind, q, lang)) ? p->text : "(none)")
  CHECK_STR(TEXT(CSAT_PROMPT_QUESTION, 0, "pl-PL"), "Q pl-PL"); /* exact */
  CHECK_STR(TEXT(CSAT_PROMPT_QUESTION, 0, "PL-pl"), "Q pl-PL"); /* case-insensitive */
  CHECK_STR(TEXT(CSAT_PROMPT_QUESTION, 0, "pl"), "Q pl");
  CHECK_STR(TEXT(CSAT_PROMPT_QUESTION, 0, "pl-XX"), "Q pl"); /* primary subtag */
  CHECK_STR(TEXT(CSAT_PROMPT_QUESTION, 0, "ko-KR"), "Q en"); /* default language */
  CHECK_STR(TEXT(CSAT_PROMPT_QUESTION, 0, NULL), "Q en");
  CHECK_STR(TEXT(CSAT_PROMPT_QUESTION, 0, ""), "Q en");
  CHECK_STR(TEXT(CSAT_PROMPT_QUESTION, 1, "pl"), "Q2 en");
  CHECK_STR(p->lang, "en"); /* the language it was found in */
  /* the caller's language wins: the survey's Polish beats q1's own English */
  CHECK_STR(TEXT(CSAT_PROMPT_INVALID_INPUT, 0, "pl"), "I pl");
  /* within one language the question's own prompt beats the survey's */
  CHECK_STR(TEXT(CSAT_PROMPT_INVALID_INPUT, 0, "en"), "I q1 en");
  CHECK_STR(TEXT(CSAT_PROMPT_INVALID_INPUT, 0, "de"), "I q1 en");
  CHECK_STR(TEXT(CSAT_PROMPT_INVALID_INPUT, 1, "pl-PL"), "I pl");
  CHECK_STR(TEXT(CSAT_PROMPT_INVALID_INPUT, 1, "de"), "I en");
  CHECK_STR(TEXT(CSAT_PROMPT_INVALID_INPUT, -1, "pl"), "I pl");
  CHECK_STR(TEXT(CSAT_PROMPT_INTRO, -1, "ko-KR"), "Intro ko");
  CHECK(csat__survey_prompt(s, CSAT_PROMPT_INTRO, -1, "en") == NULL); /* no default, no ko */
  CHECK(csat__survey_prompt(s, CSAT_PROMPT_INTRO, 0, "ko") != NULL);  /* survey level */
  CHECK(csat__survey_prompt(s, CSAT_PROMPT_OUTRO, -1, "en") == NULL);
  CHECK(csat__survey_prompt(s, CSAT_PROMPT_QUESTION, -1, "en") == NULL);
  CHECK(csat__survey_prompt(s, CSAT_PROMPT_QUESTION, 2, "en") == NULL);
  CHECK(csat__survey_prompt(s, CSAT_PROMPT_QUESTION, -2, "en") == NULL);
  CHECK(csat__survey_prompt(s, 0, 0, "en") == NULL);
  CHECK(csat__survey_prompt(s, CSAT_PROMPT_KIND_MAX + 1, 0, "en") == NULL);
  CHECK(csat__survey_prompt(NULL, CSAT_PROMPT_QUESTION, 0, "en") == NULL);
  csat_survey_free(s);

  /* a regional default language falls back to its primary subtag too */

  b = new_builder();
  s = NULL;
  CHECK_INT(csat_survey_builder_set_default_language(b, "en-US"), 0);
  CHECK_INT(csat_survey_builder_add_question(b, "q1", CSAT_Q_RATING, 1, 5, NULL), 0);
  CHECK_INT(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, 0, "en", "Q en", NULL), 0);
  CHECK_INT(csat_survey_builder_finish(b, &s, NULL), CSAT_OK);
  CHECK_STR(TEXT(CSAT_PROMPT_QUESTION, 0, "fr"), "Q en");
#undef TEXT
  csat_survey_free(s);
}

TEST(accessors) {
  csat_survey *s = NULL;
  CHECK_INT(kit_build_full(NULL, 0, &s), CSAT_OK);
  if (s == NULL)
    return;
  CHECK_STR(csat_survey_id(s), "full-survey");
  CHECK_INT(csat_survey_version(s), 7);
  CHECK_STR(csat_survey_name(s), "Za\xC5\xBC\xC3\xB3\xC5\x82\xC4\x87 survey \xE2\x9C\x93");
  CHECK_INT(csat_survey_question_count(s), 5);
  CHECK_STR(csat_survey_question_id(s, 0), "q1");
  CHECK_STR(csat_survey_question_id(s, 4), "text");
  CHECK(csat_survey_question_id(s, 5) == NULL);
  CHECK(csat_survey_question_id(s, -1) == NULL);
  CHECK_INT(csat_survey_question_index(s, "why"), 3);
  CHECK_INT(csat_survey_question_index(s, "q1"), 0);
  CHECK_INT(csat_survey_question_index(s, "Q1"), CSAT_ERR_NOT_FOUND);
  CHECK_INT(csat_survey_question_index(s, NULL), CSAT_ERR_INVALID_ARG);
  CHECK(csat_survey_id(NULL) == NULL);
  CHECK(csat_survey_name(NULL) == NULL);
  CHECK_INT(csat_survey_version(NULL), 0);
  CHECK_INT(csat_survey_question_count(NULL), 0);
  CHECK(csat_survey_question_id(NULL, 0) == NULL);
  CHECK_INT(csat_survey_question_index(NULL, "q1"), CSAT_ERR_INVALID_ARG);
  csat_survey_free(s);
}

TEST(fingerprint) {
  csat_survey *a = NULL, *b = NULL, *c = NULL;
  csat_survey_builder *bl = one_question();
  CHECK_INT(kit_build_full(NULL, 0, &a), CSAT_OK);
  CHECK_INT(kit_build_full(NULL, 0, &b), CSAT_OK);
  CHECK_INT(csat_survey_builder_finish(bl, &c, NULL), CSAT_OK);
  if (a && b && c) {
    CHECK(a->fingerprint == b->fingerprint);
    CHECK(a->fingerprint != c->fingerprint);
    CHECK(a->fingerprint == csat__survey_fingerprint(a));
    /* one byte of one prompt changes it */
    a->questions[0].prompts[CSAT_PROMPT_QUESTION].items[0].text[0] = 'p';
    CHECK(csat__survey_fingerprint(a) != b->fingerprint);
  }
  csat_survey_free(a);
  csat_survey_free(b);
  csat_survey_free(c);
}

/* Fail the k-th allocation for k = 1.. until the whole build succeeds:
 * a clean NOMEM every time, nothing leaked. */
TEST(nomem) {
  fail_alloc ka;
  csat_allocator a;
  csat_survey *ref = NULL, *s = NULL;
  char *ref_json, *json;
  size_t ref_len = 0, len = 0;
  long k, total;
  int rc, persistent;
  a = fail_alloc_init(&ka, 0, 0);
  CHECK_INT(kit_build_full(&a, 0, &ref), CSAT_OK);
  total = ka.calls;
  CHECK(total > 50);
  ref_json = kit_to_json(ref, &ref_len);
  CHECK(ref_json != NULL);
  for (persistent = 0; persistent <= 1; persistent++) {
    for (k = 1;; k++) {
      a = fail_alloc_init(&ka, k, persistent);
      rc = kit_build_full(&a, 0, &s);
      if (rc == CSAT_OK) {
        CHECK(k > total);
        csat_survey_free(s);
        CHECK_INT(ka.live, 0);
        break;
      }
      CHECK_INT(rc, CSAT_ERR_NOMEM);
      CHECK(s == NULL);
      CHECK_INT(ka.live, 0);
      if (k > total + 5)
        break;
    }
  }
  /* A setter that failed with NOMEM left the builder unchanged: retrying it
   * gives exactly the survey built without failures. */
  for (k = 1; k <= total; k++) {
    a = fail_alloc_init(&ka, k, 0);
    rc = kit_build_full(&a, 1, &s);
    CHECK_INT(rc, CSAT_OK);
    if (rc != CSAT_OK)
      continue;
    CHECK_INT(kit_survey_diff(s, ref), 0);
    json = kit_to_json(s, &len);
    CHECK(json != NULL && ref_json != NULL && len == ref_len && memcmp(json, ref_json, len) == 0);
    free(json);
    csat_survey_free(s);
    CHECK_INT(ka.live, 0);
  }
  free(ref_json);
  csat_survey_free(ref);
}

static const test_case tests[] = {
    TEST_ENTRY(new),
    TEST_ENTRY(defaults),
    TEST_ENTRY(name_language_mode),
    TEST_ENTRY(prompts),
    TEST_ENTRY(questions),
    TEST_ENTRY(question_settings),
    TEST_ENTRY(survey_settings),
    TEST_ENTRY(null_builder),
    TEST_ENTRY(finish_validation),
    TEST_ENTRY(prompt_lookup),
    TEST_ENTRY(accessors),
    TEST_ENTRY(fingerprint),
    TEST_ENTRY(nomem),
};

TEST_MAIN(tests)
