#include <csat.h>
#include <stdio.h>

static int play(void *user, const csat_prompt *p) {
  (void)user;
  printf("play: %s\n", p->text ? p->text : p->audio); /* TTS, sound file, SMS... */
  return 0;
}
static int collect(void *user, const csat_collect *c) {
  /* arm DTMF collection; answer later with csat_session_input */
  (void)user;
  (void)c;
  return 0;
}
static int store(void *user, const csat_result *r) {
  char line[4096];
  (void)user;
  if (csat_result_to_jsonl(r, line, sizeof line, NULL) != CSAT_OK)
    return -1;
  fputs(line, stdout); /* write to your database; a failure keeps it pending */
  return 0;
}

int main(void) {
  csat_survey_builder *b;
  csat_survey *survey;
  csat_session *s;
  csat_host host = {0};
  csat_contact contact = {0};
  int32_t q;

  /* 1. A survey: one 1..5 rating; a score <= 2 flags the call for review. */
  if (csat_survey_builder_new(&b, "post-call", 1, NULL) != CSAT_OK)
    return 1;
  csat_survey_builder_add_question(b, "q1", CSAT_Q_RATING, 1, 5, &q);
  csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, q, NULL,
                                 "How satisfied were you? Press 1 to 5.", NULL);
  csat_survey_builder_set_flag(b, q, 1, 2);
  if (csat_survey_builder_finish(b, &survey, NULL) != CSAT_OK) {
    fprintf(stderr, "%s\n", csat_survey_builder_errmsg(b));
    csat_survey_builder_free(b);
    return 1;
  }

  /* 2. The host's callbacks and the contact, one session per call. */
  host.struct_size = sizeof host;
  host.play = play;
  host.collect = collect;
  host.store = store;
  contact.struct_size = sizeof contact;
  contact.contact_id = "call-42";
  contact.agent_id = "agent-7";
  contact.channel = CSAT_CHANNEL_VOICE;
  if (csat_session_new(&s, survey, &contact, &host, NULL) != CSAT_OK)
    return 1;

  /* 3. Feed events from your event loop, stamped with your clock (ms). */
  csat_session_start(s, 1767225600000);
  csat_session_input(s, "4", 1, 1767225604000); /* the caller pressed 4 */

  printf("outcome: %s\n", csat_outcome_name(csat_session_outcome(s)));
  csat_session_free(s);
  csat_survey_free(survey);
  return 0;
}
