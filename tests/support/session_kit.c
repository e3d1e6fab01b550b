/* Survey, contact, event scripts and save for the session tests
 * (see session_kit.h).
 * SPDX-License-Identifier: MIT */
#include "session_kit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

csat_survey *kit_survey(const char *id, int32_t version, int opts) {
  csat_survey_builder *b = NULL;
  csat_survey *s = NULL;
  csat_error err;
  int32_t q;
  if (csat_survey_builder_new(&b, id, version, NULL) != CSAT_OK)
    exit(2);
  KB(csat_survey_builder_set_name(b, "Post-call survey"));
  if (opts & KS_OPT_IN)
    KB(csat_survey_builder_set_mode(b, CSAT_MODE_OPT_IN));
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INTRO, -1, NULL,
                                    (opts & KS_OTHER_TEXT) ? "Hello!" : "Welcome", NULL));
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_OUTRO, -1, NULL, "Thank you", "bye.wav"));
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INVALID_INPUT, -1, NULL, "Invalid", NULL));
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_NO_INPUT, -1, NULL, "Nothing heard", NULL));
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_MAX_ATTEMPTS, -1, NULL, "Moving on", NULL));
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_ALREADY_ANSWERED, -1, NULL, "Done before",
                                    NULL));
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_OPT_IN_OFFER, -1, NULL, "Survey? 1/2", NULL));
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_ESCALATION, -1, NULL, "Sorry. 1 or 2", NULL));
  KB(csat_survey_builder_add_question(b, "csat", CSAT_Q_RATING, 1, 5, &q));
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, q, NULL, "Rate 1 to 5", NULL));
  KB(csat_survey_builder_set_flag(b, q, 1, 2));
  if (opts & KS_END)
    KB(csat_survey_builder_set_attempts(b, q, 2, CSAT_EXHAUSTED_END));
  KB(csat_survey_builder_add_question(b, "nps", CSAT_Q_RATING, 0, 10, &q));
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, q, NULL, "Recommend 0 to 10", NULL));
  KB(csat_survey_builder_add_question(b, "resolved", CSAT_Q_YES_NO, 0, 0, &q));
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, q, NULL, "Resolved? 1 yes 2 no",
                                    NULL));
  KB(csat_survey_builder_add_question(b, "why", CSAT_Q_VOICE_COMMENT, 0, 0, &q));
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, q, NULL, "Tell us why", NULL));
  KB(csat_survey_builder_set_condition(b, q, 0, 2));
  KB(csat_survey_builder_add_question(b, "note", CSAT_Q_TEXT_COMMENT, 0, 0, &q));
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, q, NULL, "Any note?", NULL));
  if (opts & KS_ESCALATION)
    KB(csat_survey_builder_set_escalation(b, 1, 3, (opts & KS_NO_TARGET) ? NULL : "sup", 1));
  if (opts & KS_NO_TASKS)
    KB(csat_survey_builder_set_task(b, 0, NULL, NULL, NULL, NULL, NULL));
  if (opts & KS_NO_TERM)
    KB(csat_survey_builder_set_input(b, 5000, 3000, 0, 3));
  if (opts & (KS_TEXT | KS_MULTI)) {
    KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INVITATION, -1, NULL, "Invite", NULL));
    KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_THANKS, -1, NULL, "Thanks", NULL));
    KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_OPT_OUT, -1, NULL, "Unsubscribed", NULL));
    KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_EXPIRED, -1, NULL, "Closed", NULL));
    KB(csat_survey_builder_set_text(b, 60000, (opts & KS_MULTI) != 0));
  }
  err.struct_size = sizeof err;
  if (csat_survey_builder_finish(b, &s, &err) != CSAT_OK) {
    fprintf(stderr, "survey: %s\n", err.message);
    exit(2);
  }
  return s;
}

void kit_contact(csat_contact *c, int32_t channel) {
  static const csat_attr attrs[2] = {{"crm_case", "CASE-2024-0042"}, {"tier", "gold"}};
  memset(c, 0, sizeof *c);
  c->struct_size = sizeof *c;
  c->contact_id = "C-000123456";
  c->agent_id = "agent-42";
  c->queue_id = "support-en";
  c->department = "Support";
  c->channel = channel;
  c->language = "en";
  c->customer_address = "+48600100200";
  c->started_ms = 1717171717000;
  c->ended_ms = 1717171957000;
  c->wait_ms = 45000;
  c->talk_ms = 195000;
  c->attrs = attrs;
  c->attr_count = 2;
}

int kit_event(csat_session *s, const char *ev, int64_t now) {
  if (strcmp(ev, "start") == 0)
    return csat_session_start(s, now);
  if (strcmp(ev, "offer") == 0)
    return csat_session_offer(s, now);
  if (strncmp(ev, "optin:", 6) == 0)
    return csat_session_opt_in(s, ev[6] == '1', now);
  if (strncmp(ev, "in:", 3) == 0)
    return csat_session_input(s, ev + 3, strlen(ev + 3), now);
  if (strcmp(ev, "noin") == 0)
    return csat_session_no_input(s, now);
  if (strncmp(ev, "rec:", 4) == 0)
    return csat_session_recorded(s, ev + 4, strlen(ev + 4), now);
  if (strcmp(ev, "rep") == 0)
    return csat_session_repeat(s, now);
  if (strcmp(ev, "hang") == 0)
    return csat_session_hangup(s, now);
  if (strcmp(ev, "flush") == 0)
    return csat_session_flush(s, now);
  if (strncmp(ev, "txt:", 4) == 0)
    return csat_session_text(s, ev + 4, strlen(ev + 4), now);
  if (strncmp(ev, "late:", 5) == 0)
    return csat_session_text(s, ev + 5, strlen(ev + 5), now + 86400000);
  if (strcmp(ev, "exp") == 0)
    return csat_session_expire(s, now);
  fprintf(stderr, "unknown event %s\n", ev);
  exit(2);
}

unsigned char *kit_save(const csat_session *s, size_t *len) {
  size_t need = 0;
  unsigned char *buf;
  int rc = csat_session_save(s, NULL, 0, &need);
  if (rc != CSAT_ERR_BUFFER_TOO_SMALL || need == 0) {
    fprintf(stderr, "save sizing failed: %d\n", rc);
    exit(2);
  }
  buf = malloc(need);
  if (buf == NULL || csat_session_save(s, buf, need, len) != CSAT_OK || *len != need) {
    fprintf(stderr, "save failed\n");
    exit(2);
  }
  return buf;
}
