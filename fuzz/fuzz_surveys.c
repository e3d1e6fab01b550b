/* Surveys the session fuzz targets run. Every prompt text and audio reference
 * starts with a tag "K<kind> Q<question> L<lang>" so that the recording host
 * can check each prompt it is asked to play against what the survey defines.
 * SPDX-License-Identifier: MIT */
#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 0: one 1..5 rating, two languages, flag and task. */
static const char s_rate5[] =
    "{\"id\":\"fz-rate5\",\"version\":1,\"name\":\"Rating 1-5\",\"default_language\":\"en\","
    "\"prompts\":{"
    "\"intro\":{\"en\":\"K1 Q-1 Len: welcome\",\"pl\":\"K1 Q-1 Lpl: witamy\"},"
    "\"outro\":{\"en\":\"K2 Q-1 Len: goodbye\","
    "\"pl\":{\"text\":\"K2 Q-1 Lpl: do widzenia\",\"audio\":\"K2 Q-1 Lpl.wav\"}},"
    "\"invalid_input\":{\"en\":\"K4 Q-1 Len: invalid\",\"pl\":\"K4 Q-1 Lpl: niepoprawne\"},"
    "\"no_input\":{\"en\":{\"text\":\"K5 Q-1 Len: nothing heard\",\"audio\":\"K5 Q-1 Len.wav\"}},"
    "\"max_attempts\":{\"en\":\"K6 Q-1 Len: too many attempts\"},"
    "\"already_answered\":{\"en\":\"K8 Q-1 Len: already answered\"}},"
    "\"questions\":[{\"id\":\"sat\",\"type\":\"rating\",\"min\":1,\"max\":5,"
    "\"prompts\":{\"question\":{\"en\":\"K3 Q0 Len: rate us 1 to 5\",\"pl\":\"K3 Q0 Lpl: oce\xc5\x84 nas\"}},"
    "\"flag\":{\"enabled\":true,\"threshold\":2}}],"
    "\"task\":{\"enabled\":true,\"name\":\"Low score [Score] from [ContactId]\","
    "\"description\":\"[SurveyName]: [Question]=[Score] agent [AgentId] queue [QueueId] "
    "rule [RuleName] [Comment]\",\"category\":\"csat\",\"target\":\"queue-supervisors\","
    "\"rule_name\":\"low-score\"}}";

/* 1: NPS 0..10 with terminator, then yes/no; Korean and Russian. */
static const char s_nps[] =
    "{\"id\":\"fz-nps\",\"version\":3,\"name\":\"NPS\",\"default_language\":\"en\","
    "\"input\":{\"first_digit_timeout_ms\":4000,\"inter_digit_timeout_ms\":2000,"
    "\"terminator\":\"#\",\"max_repeats\":2},"
    "\"prompts\":{"
    "\"intro\":{\"en\":\"K1 Q-1 Len: nps intro\",\"ko\":\"K1 Q-1 Lko: \xec\x95\x88\xeb\x85\x95\","
    "\"ru\":\"K1 Q-1 Lru: \xd0\xb7\xd0\xb4\xd1\x80\xd0\xb0\xd0\xb2\xd1\x81\xd1\x82\xd0\xb2\xd1\x83\xd0\xb9\xd1\x82\xd0\xb5\"},"
    "\"outro\":{\"en\":\"K2 Q-1 Len: thanks bye\",\"ru\":\"K2 Q-1 Lru: spasibo\"},"
    "\"invalid_input\":{\"en\":\"K4 Q-1 Len: not valid\"},"
    "\"no_input\":{\"en\":\"K5 Q-1 Len: no input\"},"
    "\"max_attempts\":{\"en\":\"K6 Q-1 Len: giving up\"}},"
    "\"questions\":["
    "{\"id\":\"nps\",\"type\":\"rating\",\"min\":0,\"max\":10,"
    "\"prompts\":{\"question\":{\"en\":\"K3 Q0 Len: 0 to 10 then hash\",\"ko\":\"K3 Q0 Lko: 0-10\","
    "\"ru\":\"K3 Q0 Lru: 0-10\"},"
    "\"invalid_input\":{\"en\":\"K4 Q0 Len: 0 to 10 only\"}},"
    "\"flag\":{\"enabled\":true,\"threshold\":6},"
    "\"attempts\":{\"max\":2,\"on_exhausted\":\"skip\"}},"
    "{\"id\":\"recommend\",\"type\":\"yes_no\","
    "\"prompts\":{\"question\":{\"en\":\"K3 Q1 Len: 1 yes 2 no\",\"ko\":\"K3 Q1 Lko: 1 2\"},"
    "\"no_input\":{\"en\":\"K5 Q1 Len: press 1 or 2\"},"
    "\"max_attempts\":{\"en\":\"K6 Q1 Len: skipping\"}},"
    "\"flag\":{\"enabled\":true,\"threshold\":0}}]}";

/* 2: yes/no, then a voice comment asked only after "no". */
static const char s_yesno_voice[] =
    "{\"id\":\"fz-yesno-voice\",\"version\":1,\"default_language\":\"en\","
    "\"prompts\":{"
    "\"intro\":{\"en\":\"K1 Q-1 Len: two questions\",\"uz-Latn\":\"K1 Q-1 Luz-Latn: salom\"},"
    "\"outro\":{\"en\":\"K2 Q-1 Len: done\"},"
    "\"no_input\":{\"en\":\"K5 Q-1 Len: still there\"}},"
    "\"questions\":["
    "{\"id\":\"resolved\",\"type\":\"yes_no\","
    "\"prompts\":{\"question\":{\"en\":\"K3 Q0 Len: resolved?\","
    "\"uz-Latn\":\"K3 Q0 Luz-Latn: hal qilindimi\"}},"
    "\"attempts\":{\"max\":3,\"on_exhausted\":\"end\"},"
    "\"flag\":{\"enabled\":true,\"threshold\":0}},"
    "{\"id\":\"why\",\"type\":\"voice_comment\","
    "\"prompts\":{\"question\":{\"en\":\"K3 Q1 Len: tell us why after the beep\"}},"
    "\"ask_if\":{\"question\":\"resolved\",\"at_most\":0},"
    "\"recording\":{\"max_duration_ms\":30000,\"silence_timeout_ms\":2000}}],"
    "\"task\":{\"enabled\":true,\"target\":\"flow-callback\"}}";

/* 3: conditions, every question kind, escalation with transfer and callback.
 * Also the survey of the blob target (FZ_BLOB_SURVEY). */
static const char s_conditions[] =
    "{\"id\":\"fz-conditions\",\"version\":7,\"name\":\"Conditions and escalation\","
    "\"default_language\":\"en\","
    "\"input\":{\"first_digit_timeout_ms\":5000,\"inter_digit_timeout_ms\":3000,"
    "\"terminator\":\"#\",\"max_repeats\":1},"
    "\"prompts\":{"
    "\"intro\":{\"en\":\"K1 Q-1 Len: hello\",\"pl\":\"K1 Q-1 Lpl: cze\xc5\x9b\xc4\x87\"},"
    "\"outro\":{\"en\":\"K2 Q-1 Len: bye\",\"pl\":\"K2 Q-1 Lpl: pa\"},"
    "\"invalid_input\":{\"en\":\"K4 Q-1 Len: invalid\"},"
    "\"no_input\":{\"en\":\"K5 Q-1 Len: no input\"},"
    "\"max_attempts\":{\"en\":\"K6 Q-1 Len: max attempts\",\"pl\":\"K6 Q-1 Lpl: limit\"},"
    "\"already_answered\":{\"en\":\"K8 Q-1 Len: seen you\"},"
    "\"escalation\":{\"en\":\"K10 Q-1 Len: sorry 1 supervisor 2 callback\","
    "\"pl\":\"K10 Q-1 Lpl: przepraszamy\"}},"
    "\"questions\":["
    "{\"id\":\"overall\",\"type\":\"rating\",\"min\":1,\"max\":5,"
    "\"prompts\":{\"question\":{\"en\":\"K3 Q0 Len: overall\",\"pl\":\"K3 Q0 Lpl: og\xc3\xb3lnie\"}},"
    "\"flag\":{\"enabled\":true,\"threshold\":2},"
    "\"attempts\":{\"max\":2,\"on_exhausted\":\"end\"}},"
    "{\"id\":\"comment\",\"type\":\"voice_comment\","
    "\"prompts\":{\"question\":{\"en\":\"K3 Q1 Len: what went wrong\"}},"
    "\"ask_if\":{\"question\":\"overall\",\"at_most\":2},"
    "\"recording\":{\"max_duration_ms\":20000,\"silence_timeout_ms\":1500}},"
    "{\"id\":\"agent\",\"type\":\"yes_no\","
    "\"prompts\":{\"question\":{\"en\":\"K3 Q2 Len: agent helpful\"},"
    "\"invalid_input\":{\"en\":\"K4 Q2 Len: 1 or 2\"}},"
    "\"ask_if\":{\"question\":\"overall\",\"at_most\":3},"
    "\"attempts\":{\"max\":1,\"on_exhausted\":\"skip\"}},"
    "{\"id\":\"effort\",\"type\":\"rating\",\"min\":0,\"max\":10,"
    "\"prompts\":{\"question\":{\"en\":\"K3 Q3 Len: effort 0 to 10\"},"
    "\"max_attempts\":{\"en\":\"K6 Q3 Len: moving on\"}},"
    "\"ask_if\":{\"question\":\"agent\",\"at_most\":0},"
    "\"flag\":{\"enabled\":false,\"threshold\":4}},"
    "{\"id\":\"text\",\"type\":\"text_comment\","
    "\"prompts\":{\"question\":{\"en\":\"K3 Q4 Len: type a comment\"}}}],"
    "\"escalation\":{\"enabled\":true,\"below\":3,\"transfer_target\":\"sup-queue\","
    "\"callback\":true},"
    "\"task\":{\"enabled\":true,\"name\":\"[RuleName]: [SurveyId] [Score]\","
    "\"description\":\"[Question] [Score] [Comment]\",\"category\":\"complaint\","
    "\"target\":\"flow-1\",\"rule_name\":\"cond\"}}";

/* 4: audio-only prompts, no terminator, no repeats, 9 attempts, escalation
 * with a callback but no transfer target, tasks off. */
static const char s_escalation[] =
    "{\"id\":\"fz-escalation\",\"version\":2,\"default_language\":\"en\",\"mode\":\"on_demand\","
    "\"input\":{\"first_digit_timeout_ms\":100,\"inter_digit_timeout_ms\":600000,"
    "\"terminator\":\"\",\"max_repeats\":0},"
    "\"prompts\":{"
    "\"intro\":{\"en\":{\"audio\":\"K1 Q-1 Len.wav\"}},"
    "\"escalation\":{\"en\":{\"audio\":\"K10 Q-1 Len.wav\"},\"de\":\"K10 Q-1 Lde: Entschuldigung\"},"
    "\"invalid_input\":{\"en\":{\"audio\":\"K4 Q-1 Len.wav\"}},"
    "\"no_input\":{\"en\":{\"audio\":\"K5 Q-1 Len.wav\"}}},"
    "\"questions\":["
    "{\"id\":\"q1\",\"type\":\"rating\",\"min\":1,\"max\":5,"
    "\"prompts\":{\"question\":{\"en\":{\"audio\":\"K3 Q0 Len.wav\"},\"de\":\"K3 Q0 Lde: bewerten\"}},"
    "\"flag\":{\"enabled\":true,\"threshold\":1},"
    "\"attempts\":{\"max\":9,\"on_exhausted\":\"skip\"}},"
    "{\"id\":\"q2\",\"type\":\"rating\",\"min\":2,\"max\":9,"
    "\"prompts\":{\"question\":{\"en\":{\"text\":\"K3 Q1 Len: two to nine\","
    "\"audio\":\"K3 Q1 Len.wav\"}}}}],"
    "\"escalation\":{\"enabled\":true,\"below\":4,\"transfer_target\":null,\"callback\":true},"
    "\"task\":{\"enabled\":false}}";

/* 5: opt-in mode, Polish default, text-channel prompts that voice must never play. */
static const char s_optin[] =
    "{\"id\":\"fz-optin\",\"version\":1,\"default_language\":\"pl\",\"mode\":\"opt_in\","
    "\"prompts\":{"
    "\"opt_in_offer\":{\"pl\":\"K9 Q-1 Lpl: 1 aby wzi\xc4\x85\xc4\x87 udzia\xc5\x82\","
    "\"en\":\"K9 Q-1 Len: press 1 for a survey\"},"
    "\"intro\":{\"pl\":\"K1 Q-1 Lpl: ankieta\"},"
    "\"invalid_input\":{\"pl\":\"K4 Q-1 Lpl: z\xc5\x82y wyb\xc3\xb3r\"},"
    "\"no_input\":{\"en\":\"K5 Q-1 Len: nothing\"},"
    "\"thanks\":{\"en\":\"K7 Q-1 Len: thanks text\"},"
    "\"invitation\":{\"en\":\"K11 Q-1 Len: invitation\"},"
    "\"opt_out\":{\"en\":\"K12 Q-1 Len: opted out\"},"
    "\"expired\":{\"en\":\"K13 Q-1 Len: expired\"}},"
    "\"questions\":[{\"id\":\"easy\",\"type\":\"rating\",\"min\":1,\"max\":3,"
    "\"prompts\":{\"question\":{\"pl\":\"K3 Q0 Lpl: \xc5\x82\x61two 1 do 3\","
    "\"en\":\"K3 Q0 Len: easy 1 to 3\"}},"
    "\"flag\":{\"enabled\":true,\"threshold\":1}}],"
    "\"escalation\":{\"enabled\":true,\"below\":2,\"transfer_target\":\"sup\",\"callback\":false}}";

/* 6: the minimum: defaults everywhere. */
static const char s_min[] =
    "{\"id\":\"fz-min\",\"version\":1,\"questions\":[{\"id\":\"q\",\"type\":\"rating\","
    "\"min\":0,\"max\":1,\"prompts\":{\"question\":{\"en\":\"K3 Q0 Len: zero or one\"}}}]}";

const fz_survey_def fz_surveys[] = {
    {s_rate5, "en", NULL},       {s_nps, "en", NULL},       {s_yesno_voice, "en", NULL},
    {s_conditions, "en", "sup-queue"}, {s_escalation, "en", NULL}, {s_optin, "pl", "sup"},
    {s_min, "en", NULL},
};
const size_t fz_survey_count = sizeof fz_surveys / sizeof fz_surveys[0];

const char *const fz_languages[] = {"", "en", "pl", "pl-PL", "ko", "ru-RU", "uz-Latn", "de", "PL-pl"};
const size_t fz_language_count = sizeof fz_languages / sizeof fz_languages[0];

const csat_survey *fz_survey_get(size_t i) {
  /* Parsed once per process and kept (reachable, so not reported as leaks). */
  static csat_survey *cache[sizeof fz_surveys / sizeof fz_surveys[0]];
  if (cache[i] == NULL) {
    csat_error err;
    int rc;
    memset(&err, 0, sizeof err);
    err.struct_size = sizeof err;
    rc = csat_survey_from_json(&cache[i], fz_surveys[i].json, strlen(fz_surveys[i].json), NULL,
                               &err);
    if (rc != CSAT_OK) {
      fprintf(stderr, "embedded survey %zu refused: %d %d:%d %s\n", i, rc, (int)err.line,
              (int)err.column, err.message);
      abort();
    }
  }
  return cache[i];
}
