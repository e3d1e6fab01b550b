/*
 * 03_text_session.c: a survey by SMS (chat works the same way).
 *
 * A text session is the voice state machine fed with whole messages
 * (csat_session_text) instead of digits. Every prompt, the invitation
 * included, comes out of the play callback as a message to send. The
 * library reads replies as people write them ("5", "4. долго ждал") and
 * never guesses: a message that is not a score gets a re-prompt. Opt-out
 * words (STOP, СТОП, ...) end the survey and call opted_out, so the host
 * can stop texting that number.
 */
#include <csat.h>
#include <stdio.h>
#include <string.h>

static int send_sms(void *user, const csat_prompt *p) {
  printf("  > sms to %s: %s\n", (const char *)user, p->text);
  return 0;
}

static int opted_out(void *user, const char *address, const char *contact_id) {
  (void)user;
  printf("  > opted out: %s (contact %s): never survey this number again\n", address, contact_id);
  return 0;
}

static int store(void *user, const csat_result *r) {
  int32_t i;
  (void)user;
  printf("  > store: outcome %s\n", csat_outcome_name(csat_result_outcome(r)));
  for (i = 0; i < csat_result_answer_count(r); i++) {
    csat_answer a;
    a.struct_size = sizeof a;
    if (csat_result_answer(r, i, &a) == CSAT_OK && a.status == CSAT_ANSWER_ANSWERED)
      printf("      %s = %d, comment \"%s\"\n", a.question_id, a.score, a.comment);
  }
  return 0;
}

/* One customer: the survey starts (the invitation is sent), then each of
 * their replies arrives, an hour apart. */
static int survey_by_sms(const csat_survey *survey, const char *contact_id, const char *phone,
                         const char *const *replies, size_t n) {
  csat_host host = {0};
  csat_contact contact = {0};
  csat_session *s;
  int64_t now = 1767258000000;
  size_t i;

  host.struct_size = sizeof host;
  host.user = (void *)phone; /* handed back to every callback */
  host.play = send_sms;      /* required on text channels: it sends the messages */
  host.store = store;
  host.opted_out = opted_out;
  contact.struct_size = sizeof contact;
  contact.contact_id = contact_id;
  contact.channel = CSAT_CHANNEL_SMS;
  contact.customer_address = phone;
  if (csat_session_new(&s, survey, &contact, &host, NULL) != CSAT_OK)
    return -1;

  printf("%s: survey starts after the call\n", contact_id);
  csat_session_start(s, now);
  for (i = 0; i < n && !csat_session_ended(s); i++) {
    now += 3600000;
    printf("  < sms from %s: %s\n", phone, replies[i]);
    if (csat_session_text(s, replies[i], strlen(replies[i]), now) != CSAT_OK) {
      fprintf(stderr, "%s\n", csat_session_errmsg(s));
      csat_session_free(s);
      return -1;
    }
  }
  printf("  outcome: %s\n", csat_outcome_name(csat_session_outcome(s)));
  csat_session_free(s);
  return 0;
}

int main(void) {
  static const char *const anna[] = {"не знаю", "5", "4. долго ждал"};
  static const char *const boris[] = {"СТОП"};
  csat_survey_builder *b;
  csat_survey *survey;
  int32_t q;
  int rc = 0;

  if (csat_survey_builder_new(&b, "post-call-sms", 1, NULL) != CSAT_OK)
    return 1;
  /* The invitation replaces the first question's text: one SMS, not two. */
  csat_survey_builder_set_prompt(b, CSAT_PROMPT_INVITATION, -1, NULL,
                                 "Thanks for calling Acme! How satisfied were you, 1-5? "
                                 "Reply STOP to opt out.",
                                 NULL);
  csat_survey_builder_set_prompt(b, CSAT_PROMPT_INVALID_INPUT, -1, NULL,
                                 "Sorry, please reply with a number from 1 to 5.", NULL);
  csat_survey_builder_set_prompt(b, CSAT_PROMPT_THANKS, -1, NULL, "Thank you!", NULL);
  csat_survey_builder_set_prompt(b, CSAT_PROMPT_OPT_OUT, -1, NULL,
                                 "You will get no more surveys from us.", NULL);
  csat_survey_builder_add_question(b, "satisfied", CSAT_Q_RATING, 1, 5, &q);
  csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, q, NULL, "How satisfied were you, 1-5?",
                                 NULL);
  csat_survey_builder_add_question(b, "wait", CSAT_Q_RATING, 1, 5, &q);
  csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, q, NULL,
                                 "And the time you waited, 1-5? Add a word if you like.", NULL);
  if (csat_survey_builder_finish(b, &survey, NULL) != CSAT_OK) {
    fprintf(stderr, "%s\n", csat_survey_builder_errmsg(b));
    csat_survey_builder_free(b);
    return 1;
  }

  /* Anna answers, once with words that hold no score; Boris opts out. */
  if (survey_by_sms(survey, "call-2001", "+48600100200", anna, 3) != 0)
    rc = 1;
  if (survey_by_sms(survey, "call-2002", "+48600300400", boris, 1) != 0)
    rc = 1;
  csat_survey_free(survey);
  return rc;
}
