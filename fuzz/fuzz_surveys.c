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
    "\"prompts\":{\"question\":{\"en\":\"K3 Q0 Len: rate us 1 to 5\",\"pl\":\"K3 Q0 Lpl: "
    "oce\xc5\x84 nas\"}},"
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
    "\"ru\":\"K1 Q-1 Lru: "
    "\xd0\xb7\xd0\xb4\xd1\x80\xd0\xb0\xd0\xb2\xd1\x81\xd1\x82\xd0\xb2\xd1\x83\xd0\xb9\xd1\x82\xd0"
    "\xb5\"},"
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
    "\"prompts\":{\"question\":{\"en\":\"K3 Q0 Len: overall\",\"pl\":\"K3 Q0 Lpl: "
    "og\xc3\xb3lnie\"}},"
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
    "\"escalation\":{\"en\":{\"audio\":\"K10 Q-1 Len.wav\"},\"de\":\"K10 Q-1 Lde: "
    "Entschuldigung\"},"
    "\"invalid_input\":{\"en\":{\"audio\":\"K4 Q-1 Len.wav\"}},"
    "\"no_input\":{\"en\":{\"audio\":\"K5 Q-1 Len.wav\"}}},"
    "\"questions\":["
    "{\"id\":\"q1\",\"type\":\"rating\",\"min\":1,\"max\":5,"
    "\"prompts\":{\"question\":{\"en\":{\"audio\":\"K3 Q0 Len.wav\"},\"de\":\"K3 Q0 Lde: "
    "bewerten\"}},"
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
    "\"escalation\":{\"pl\":\"K10 Q-1 Lpl: 1 kierownik\"},"
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

#define FZ_DAY 86400000
const fz_survey_def fz_surveys[] = {
    {s_rate5, "en", NULL, "1-5", FZ_DAY, 0},
    {s_nps, "en", NULL, "0-10 yn", FZ_DAY, 0},
    {s_yesno_voice, "en", NULL, "yn vc", FZ_DAY, 0},
    {s_conditions, "en", "sup-queue", "1-5 vc yn 0-10 tc", FZ_DAY, 0},
    {s_escalation, "en", NULL, "1-5 2-9", FZ_DAY, 0},
    {s_optin, "pl", "sup", "1-3", FZ_DAY, 0},
    {s_min, "en", NULL, "0-1", FZ_DAY, 0},
};
const size_t fz_survey_count = sizeof fz_surveys / sizeof fz_surveys[0];

/* ---- text surveys (SMS / chat) ------------------------------------------ */

/* T0: SMS. The shortest window, several answers per message, a follow-up
 * comment on a low score, yes/no, a voice comment (never on text) and an
 * NPS that ends the survey when its attempts run out. Voice-only prompts
 * are defined so that sending one is caught. */
static const char t_sms[] =
    "{\"id\":\"fz-sms\",\"version\":2,\"name\":\"SMS CSAT\",\"default_language\":\"en\","
    "\"input\":{\"max_repeats\":1},"
    "\"text\":{\"window_ms\":60000,\"multiple_answers\":true},"
    "\"prompts\":{"
    "\"invitation\":{\"en\":\"K11 Q-1 Len: thanks for calling, rate us 1-5, STOP to opt out\","
    "\"pl\":\"K11 Q-1 Lpl: dzi\xc4\x99kujemy, oce\xc5\x84 nas 1-5\","
    "\"ko\":\"K11 Q-1 Lko: \xea\xb0\x90\xec\x82\xac\xed\x95\xa9\xeb\x8b\x88\xeb\x8b\xa4 1-5\"},"
    "\"invalid_input\":{\"en\":\"K4 Q-1 Len: sorry, reply 1 to 5\","
    "\"pl\":\"K4 Q-1 Lpl: odpowiedz 1-5\"},"
    "\"max_attempts\":{\"en\":\"K6 Q-1 Len: no worries, moving on\"},"
    "\"thanks\":{\"en\":\"K7 Q-1 Len: thank you\","
    "\"ru\":\"K7 Q-1 Lru: \xd1\x81\xd0\xbf\xd0\xb0\xd1\x81\xd0\xb8\xd0\xb1\xd0\xbe\"},"
    "\"already_answered\":{\"en\":\"K8 Q-1 Len: you already answered\"},"
    "\"opt_out\":{\"en\":\"K12 Q-1 Len: you will get no more surveys\","
    "\"pl\":\"K12 Q-1 Lpl: wypisano\"},"
    "\"expired\":{\"en\":\"K13 Q-1 Len: this survey has closed\"},"
    "\"intro\":{\"en\":\"K1 Q-1 Len: voice only\"},"
    "\"outro\":{\"en\":\"K2 Q-1 Len: voice only\"},"
    "\"no_input\":{\"en\":\"K5 Q-1 Len: voice only\"},"
    "\"escalation\":{\"en\":\"K10 Q-1 Len: voice only\"}},"
    "\"questions\":["
    "{\"id\":\"sat\",\"type\":\"rating\",\"min\":1,\"max\":5,"
    "\"prompts\":{\"question\":{\"en\":\"K3 Q0 Len: how satisfied 1-5\","
    "\"uz-Latn\":\"K3 Q0 Luz-Latn: baholang 1-5\"}},"
    "\"flag\":{\"enabled\":true,\"threshold\":2},"
    "\"attempts\":{\"max\":2,\"on_exhausted\":\"skip\"}},"
    "{\"id\":\"why\",\"type\":\"text_comment\","
    "\"prompts\":{\"question\":{\"en\":\"K3 Q1 Len: what went wrong\"}},"
    "\"ask_if\":{\"question\":\"sat\",\"at_most\":3}},"
    "{\"id\":\"resolved\",\"type\":\"yes_no\","
    "\"prompts\":{\"question\":{\"en\":\"K3 Q2 Len: resolved, yes or no\"},"
    "\"invalid_input\":{\"en\":\"K4 Q2 Len: yes or no please\"}},"
    "\"flag\":{\"enabled\":true,\"threshold\":0}},"
    "{\"id\":\"callme\",\"type\":\"voice_comment\","
    "\"prompts\":{\"question\":{\"en\":\"K3 Q3 Len: voice only\"}}},"
    "{\"id\":\"nps\",\"type\":\"rating\",\"min\":0,\"max\":10,"
    "\"prompts\":{\"question\":{\"en\":\"K3 Q4 Len: recommend us 0-10\",\"ko\":\"K3 Q4 Lko: "
    "0-10\"},"
    "\"max_attempts\":{\"en\":\"K6 Q4 Len: we stop here\"}},"
    "\"flag\":{\"enabled\":true,\"threshold\":6},"
    "\"attempts\":{\"max\":3,\"on_exhausted\":\"end\"}}],"
    "\"task\":{\"enabled\":true,\"name\":\"SMS low [Score] [ContactId]\","
    "\"description\":\"[Question]=[Score] [Comment]\",\"target\":\"q-sms\"}}";

/* T1: chat, the minimum: no invitation (the question is sent), no
 * INVALID_INPUT (the question is sent again), no notices, no repeats, one
 * attempt that ends the survey, the default window. */
static const char t_chat_min[] =
    "{\"id\":\"fz-chat-min\",\"version\":1,\"input\":{\"max_repeats\":0},"
    "\"prompts\":{\"thanks\":{\"en\":\"K7 Q-1 Len: thx\"},"
    "\"opt_out\":{\"en\":\"K12 Q-1 Len: bye\"}},"
    "\"questions\":[{\"id\":\"q\",\"type\":\"rating\",\"min\":1,\"max\":5,"
    "\"prompts\":{\"question\":{\"en\":\"K3 Q0 Len: 1-5?\"}},"
    "\"attempts\":{\"max\":1,\"on_exhausted\":\"end\"}}]}";

/* T2: opt-in, Polish default, a voice comment first (the invitation goes
 * with the second question), a comment asked only after the lowest score,
 * a yes/no that ends the survey, an audio-only THANKS in English (never
 * sent on text), a 2-minute window. */
static const char t_optin[] =
    "{\"id\":\"fz-chat-optin\",\"version\":4,\"default_language\":\"pl\",\"mode\":\"opt_in\","
    "\"input\":{\"max_repeats\":2},"
    "\"text\":{\"window_ms\":120000,\"multiple_answers\":true},"
    "\"prompts\":{"
    "\"invitation\":{\"pl\":\"K11 Q-1 Lpl: dzi\xc4\x99kujemy za rozmow\xc4\x99, oce\xc5\x84 1-3\"},"
    "\"invalid_input\":{\"pl\":\"K4 Q-1 Lpl: nie rozumiemy\"},"
    "\"max_attempts\":{\"pl\":\"K6 Q-1 Lpl: dalej\"},"
    "\"thanks\":{\"pl\":\"K7 Q-1 Lpl: dzi\xc4\x99kujemy\",\"en\":{\"audio\":\"K7 Q-1 Len.wav\"}},"
    "\"already_answered\":{\"pl\":\"K8 Q-1 Lpl: ju\xc5\xbc by\xc5\x82o\"},"
    "\"opt_out\":{\"pl\":\"K12 Q-1 Lpl: wypisano\","
    "\"ru\":\"K12 Q-1 Lru: \xd0\xbe\xd1\x82\xd0\xbf\xd0\xb8\xd1\x81\xd0\xb0\xd0\xbd\xd1\x8b\"},"
    "\"expired\":{\"pl\":\"K13 Q-1 Lpl: za p\xc3\xb3\xc5\xba"
    "no\"},"
    "\"opt_in_offer\":{\"pl\":\"K9 Q-1 Lpl: voice only\"}},"
    "\"questions\":["
    "{\"id\":\"voice\",\"type\":\"voice_comment\","
    "\"prompts\":{\"question\":{\"pl\":\"K3 Q0 Lpl: nagraj\"}}},"
    "{\"id\":\"easy\",\"type\":\"rating\",\"min\":1,\"max\":3,"
    "\"prompts\":{\"question\":{\"pl\":\"K3 Q1 Lpl: \xc5\x82"
    "atwo 1-3\",\"en\":\"K3 Q1 Len: easy 1-3\"}},"
    "\"flag\":{\"enabled\":true,\"threshold\":1},"
    "\"attempts\":{\"max\":3,\"on_exhausted\":\"skip\"}},"
    "{\"id\":\"what\",\"type\":\"text_comment\","
    "\"prompts\":{\"question\":{\"pl\":\"K3 Q2 Lpl: co poprawi\xc4\x87\"}},"
    "\"ask_if\":{\"question\":\"easy\",\"at_most\":1}},"
    "{\"id\":\"again\",\"type\":\"yes_no\","
    "\"prompts\":{\"question\":{\"pl\":\"K3 Q3 Lpl: tak czy nie\","
    "\"ko\":\"K3 Q3 Lko: \xeb\x84\xa4 \xec\x95\x84\xeb\x8b\x88\xec\x9a\x94\"},"
    "\"max_attempts\":{\"pl\":\"K6 Q3 Lpl: trudno\"}},"
    "\"attempts\":{\"max\":2,\"on_exhausted\":\"end\"}}],"
    "\"task\":{\"enabled\":true}}";

const fz_survey_def fz_text_surveys[] = {
    {t_sms, "en", NULL, "1-5 tc yn vc 0-10", 60000, 1},
    {t_chat_min, "en", NULL, "1-5", FZ_DAY, 0},
    {t_optin, "pl", NULL, "vc 1-3 tc yn", 120000, 1},
};
const size_t fz_text_survey_count = sizeof fz_text_surveys / sizeof fz_text_surveys[0];

/* ---- customer messages ------------------------------------------------- */

#define FZ_W(lit) \
  { lit, sizeof lit - 1 }
/* Customer messages: answers in several languages and notations, the
 * ambiguous and the out-of-scale, opt-out and help words, several answers
 * in one, comments, and invalid ones (a NUL, bad UTF-8). The entries with a
 * NULL text stand for long messages (see fz_message_get). */
const fz_message fz_messages[] = {
    FZ_W("1"),
    FZ_W("2"),
    FZ_W("3"),
    FZ_W("4"),
    FZ_W("5"),
    FZ_W("6"),
    FZ_W("7"),
    FZ_W("8"),
    FZ_W("9"),
    FZ_W("0"),
    FZ_W("10"),
    FZ_W("45"),
    FZ_W("-3"),
    FZ_W("4.5"),
    FZ_W("4 or 5"),
    FZ_W("4-5"),
    FZ_W("5 4 5"),
    FZ_W("5, 4, 5 - slow"),
    FZ_W("1 tak"),
    FZ_W("2 5 no 7"),
    FZ_W("5 4"),
    FZ_W("1 1 1 1 1 1"),
    FZ_W("4. comment"),
    FZ_W("5!!! thanks"),
    FZ_W("  5  "),
    FZ_W("5\n\nthe agent was great"),
    FZ_W("3 - slow but ok"),
    FZ_W("1 why so slow"),
    FZ_W("bad"),
    FZ_W("fatalnie, nikt nie odbiera"),
    FZ_W("yes"),
    FZ_W("no"),
    FZ_W("YES!"),
    FZ_W("nope"),
    FZ_W("five"),
    /* opt-out */
    FZ_W("STOP"),
    FZ_W("stop"),
    FZ_W("Stop "),
    FZ_W("\xd1\x81\xd1\x82\xd0\xbe\xd0\xbf"), /* стоп */
    FZ_W("\xd0\xa1\xd0\xa2\xd0\x9e\xd0\x9f"), /* СТОП */
    FZ_W("UNSUBSCRIBE"),
    FZ_W("STOP please"),
    FZ_W("WYPISZ"),
    FZ_W("\xec\x88\x98\xec\x8b\xa0\xea\xb1\xb0\xeb\xb6\x80"), /* 수신거부 */
    /* help, empty */
    FZ_W("help"),
    FZ_W("HELP"),
    FZ_W("?"),
    FZ_W(""),
    FZ_W("   "),
    FZ_W("!!!"),
    /* Korean, Polish, Uzbek, Russian words */
    FZ_W("\xeb\x8b\xa4\xec\x84\xaf"),             /* 다섯 */
    FZ_W("\xeb\x84\xb7"),                         /* 넷 */
    FZ_W("\xec\x98\xa4"),                         /* 오 */
    FZ_W("\xeb\x84\xa4"),                         /* 네 */
    FZ_W("\xec\x95\x84\xeb\x8b\x88\xec\x9a\x94"), /* 아니요 */
    FZ_W("pi\xc4\x99\xc4\x87"),
    FZ_W("cztery"),
    FZ_W("tak"),
    FZ_W("nie"),
    FZ_W("pi\xc4\x99\xc4\x87, super obs\xc5\x82uga"),
    FZ_W("besh"),
    FZ_W("to'rt"),
    FZ_W("uch"),
    FZ_W("ha"),
    FZ_W("yo'q"),
    FZ_W("\xd0\xbf\xd1\x8f\xd1\x82\xd1\x8c"), /* пять */
    FZ_W("\xd0\xb4\xd0\xb0"),
    FZ_W("\xd0\xbd\xd0\xb5\xd1\x82"),
    /* keycaps, stars, emoji */
    FZ_W("5\xef\xb8\x8f\xe2\x83\xa3"),
    FZ_W("4\xe2\x83\xa3"),
    FZ_W("1\xef\xb8\x8f\xe2\x83\xa3"
         "0\xef\xb8\x8f\xe2\x83\xa3"),
    FZ_W("\xe2\x98\x85\xe2\x98\x85\xe2\x98\x85\xe2\x98\x85\xe2\x98\x85"),
    FZ_W("\xe2\xad\x90\xe2\xad\x90\xe2\xad\x90\xe2\xad\x90"),
    FZ_W("\xe2\x98\x85\xe2\x98\x85\xe2\x98\x85\xe2\x98\x86\xe2\x98\x86"),
    FZ_W("\xf0\x9f\x91\x8d"),
    /* not acceptable: a NUL, bad UTF-8 (invalid byte, truncated, surrogate, overlong) */
    FZ_W("5\0 hidden"),
    FZ_W("5 \xff"),
    FZ_W("\xc3"),
    FZ_W("\xed\xa0\x80"),
    FZ_W("\xc0\xaf"),
    /* a comment over 4096 characters, the longest message, one byte more */
    {NULL, 0},
    {NULL, 1},
    {NULL, 2},
};
const size_t fz_message_count = sizeof fz_messages / sizeof fz_messages[0];

/* "2 " and then 'ż' up to CSAT_TEXT_MAX bytes, then '!': CSAT_TEXT_MAX + 1.
 * Its first 8202 bytes are a score with a comment of 4100 characters (cut to
 * 4096), the cheap one; the longest ones cost a parse of 64 KiB. */
static const char *fz_long_message(void) {
  static char *buf;
  if (buf == NULL) {
    size_t i;
    buf = malloc(CSAT_TEXT_MAX + 1);
    FZ_CHECK(buf != NULL);
    buf[0] = '2';
    buf[1] = ' ';
    for (i = 2; i + 1 < CSAT_TEXT_MAX; i += 2) {
      buf[i] = '\xc5';
      buf[i + 1] = '\xbc';
    }
    FZ_CHECK(i == CSAT_TEXT_MAX);
    buf[CSAT_TEXT_MAX] = '!';
  }
  return buf;
}

void fz_message_get(size_t i, const char **text, size_t *len) {
  FZ_CHECK(i < fz_message_count);
  if (fz_messages[i].s != NULL) {
    *text = fz_messages[i].s;
    *len = fz_messages[i].n;
  } else {
    *text = fz_long_message();
    *len = fz_messages[i].n == 0 ? 2 + 2 * 4100 : CSAT_TEXT_MAX + fz_messages[i].n - 1;
  }
}

const char *const fz_languages[] = {"",      "en",      "pl", "pl-PL", "ko",
                                    "ru-RU", "uz-Latn", "de", "PL-pl"};
const size_t fz_language_count = sizeof fz_languages / sizeof fz_languages[0];

static const csat_survey *fz_parse_cached(csat_survey **slot, const fz_survey_def *def, size_t i) {
  /* Parsed once per process and kept (reachable, so not reported as leaks). */
  if (*slot == NULL) {
    csat_error err;
    int rc;
    memset(&err, 0, sizeof err);
    err.struct_size = sizeof err;
    rc = csat_survey_from_json(slot, def->json, strlen(def->json), NULL, &err);
    if (rc != CSAT_OK) {
      fprintf(stderr, "embedded survey %s%zu refused: %d %d:%d %s\n",
              def == &fz_text_surveys[i] ? "T" : "", i, rc, (int)err.line, (int)err.column,
              err.message);
      abort();
    }
  }
  return *slot;
}

const csat_survey *fz_survey_get(size_t i) {
  static csat_survey *cache[sizeof fz_surveys / sizeof fz_surveys[0]];
  return fz_parse_cached(&cache[i], &fz_surveys[i], i);
}

const csat_survey *fz_text_survey_get(size_t i) {
  static csat_survey *cache[sizeof fz_text_surveys / sizeof fz_text_surveys[0]];
  return fz_parse_cached(&cache[i], &fz_text_surveys[i], i);
}

int fz_scale(const fz_survey_def *def, int32_t q, int32_t *kind, int32_t *min, int32_t *max) {
  const char *p = def->scales;
  int32_t i;
  if (p == NULL || q < 0)
    return 0;
  for (i = 0; i < q; i++) {
    p = strchr(p, ' ');
    if (p == NULL)
      return 0;
    p++;
  }
  if (p[0] == 'y' && p[1] == 'n') {
    *kind = CSAT_Q_YES_NO;
    *min = 0;
    *max = 1;
  } else if (p[0] == 'v' && p[1] == 'c') {
    *kind = CSAT_Q_VOICE_COMMENT;
    *min = *max = -1;
  } else if (p[0] == 't' && p[1] == 'c') {
    *kind = CSAT_Q_TEXT_COMMENT;
    *min = *max = -1;
  } else {
    char *end;
    long lo = strtol(p, &end, 10), hi;
    FZ_CHECK(*end == '-');
    hi = strtol(end + 1, &end, 10);
    FZ_CHECK(lo >= 0 && lo < hi && hi <= 10);
    *kind = CSAT_Q_RATING;
    *min = (int32_t)lo;
    *max = (int32_t)hi;
  }
  return 1;
}
