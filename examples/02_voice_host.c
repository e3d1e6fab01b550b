/*
 * 02_voice_host.c: the host side of a voice survey.
 *
 * The library never touches the phone line. It asks the host to play
 * prompts and to collect digits (callbacks), and the host tells it what the
 * caller did (events). Here the caller is a script, so the whole call reads
 * top to bottom in the output: '<' is an event the host feeds, '>' a request
 * the library makes.
 */
#include <csat.h>
#include <stdio.h>
#include <string.h>

static int play(void *user, const csat_prompt *p) {
  (void)user;
  printf("  > play: %s\n", p->text);
  return 0;
}

/* A real host arms its DTMF detector with these limits, then answers with
 * csat_session_input (digits) or csat_session_no_input (its timer ran out). */
static int collect(void *user, const csat_collect *c) {
  (void)user;
  printf("  > collect: %d..%d digit(s), terminator '%c', %d ms for the first\n", c->min_digits,
         c->max_digits, c->terminator, c->first_digit_timeout_ms);
  return 0;
}

static int store(void *user, const csat_result *r) {
  (void)user;
  printf("  > store: outcome %s\n", csat_outcome_name(csat_result_outcome(r)));
  return 0;
}

/* What the caller does, in order. */
typedef struct step {
  char event; /* 'd' digits, 's' silence until the timeout, 'h' hang-up */
  const char *digits;
  const char *why;
} step;

static const step script[] = {
    {'d', "*", "'*' asks to hear the question again (no attempt used)"},
    {'d', "7", "7 is outside 1..5: an invalid attempt, then the question again"},
    {'d', "4#", "4, ended with the terminator: the answer"},
    {'s', NULL, "silence: a no-input attempt, then the question again"},
    {'d', "1", "1 = yes on a yes/no question"},
    {'h', NULL, "the caller hangs up during the last question"},
};

static const char *status_name(int32_t status) {
  static const char *const names[] = {"not asked", "answered",          "no input",
                                      "invalid",   "condition not met", "not applicable"};
  return status >= 0 && status <= CSAT_ANSWER_NOT_APPLICABLE ? names[status] : "?";
}

int main(void) {
  csat_survey_builder *b;
  csat_survey *survey;
  csat_session *s;
  csat_host host = {0};
  csat_contact contact = {0};
  const csat_result *r;
  int64_t now = 1767225600000; /* the host's clock, ms since the epoch */
  int32_t q, i;
  size_t k;

  if (csat_survey_builder_new(&b, "post-call", 1, NULL) != CSAT_OK)
    return 1;
  csat_survey_builder_set_prompt(b, CSAT_PROMPT_INTRO, -1, NULL,
                                 "Please rate the call you just had.", NULL);
  csat_survey_builder_set_prompt(b, CSAT_PROMPT_INVALID_INPUT, -1, NULL,
                                 "Sorry, that is not one of the choices.", NULL);
  csat_survey_builder_set_prompt(b, CSAT_PROMPT_NO_INPUT, -1, NULL,
                                 "Sorry, I did not hear anything.", NULL);
  csat_survey_builder_set_prompt(b, CSAT_PROMPT_OUTRO, -1, NULL, "Thank you, goodbye.", NULL);
  csat_survey_builder_add_question(b, "satisfied", CSAT_Q_RATING, 1, 5, &q);
  csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, q, NULL,
                                 "How satisfied were you? Press 1 to 5.", NULL);
  csat_survey_builder_add_question(b, "resolved", CSAT_Q_YES_NO, 0, 0, &q);
  csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, q, NULL,
                                 "Was your problem solved? 1 for yes, 2 for no.", NULL);
  /* 0..10 needs two digits: the collect request says so. */
  csat_survey_builder_add_question(b, "recommend", CSAT_Q_RATING, 0, 10, &q);
  csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, q, NULL,
                                 "From 0 to 10, would you recommend us? Then press hash.", NULL);
  if (csat_survey_builder_finish(b, &survey, NULL) != CSAT_OK) {
    fprintf(stderr, "%s\n", csat_survey_builder_errmsg(b));
    csat_survey_builder_free(b);
    return 1;
  }

  host.struct_size = sizeof host;
  host.play = play;
  host.collect = collect;
  host.store = store;
  contact.struct_size = sizeof contact;
  contact.contact_id = "call-1001";
  contact.agent_id = "agent-7";
  contact.channel = CSAT_CHANNEL_VOICE;
  if (csat_session_new(&s, survey, &contact, &host, NULL) != CSAT_OK)
    return 1;

  printf("< start (the agent has left the call)\n");
  csat_session_start(s, now);
  for (k = 0; k < sizeof script / sizeof script[0]; k++) {
    const step *e = &script[k];
    int rc;
    now += 4000; /* the caller takes a few seconds each time */
    if (e->event == 'd') {
      printf("< digits \"%s\": %s\n", e->digits, e->why);
      rc = csat_session_input(s, e->digits, strlen(e->digits), now);
    } else if (e->event == 's') {
      printf("< no input: %s\n", e->why);
      rc = csat_session_no_input(s, now);
    } else {
      printf("< hang-up: %s\n", e->why);
      rc = csat_session_hangup(s, now);
    }
    if (rc != CSAT_OK) { /* a host checks every event: a failed store stays pending */
      fprintf(stderr, "%s: %s\n", csat_strerror(rc), csat_session_errmsg(s));
      return 1;
    }
  }

  /* A hang-up keeps every answer given: the result says what was asked. */
  r = csat_session_result(s);
  printf("outcome: %s\n", csat_outcome_name(csat_session_outcome(s)));
  for (i = 0; i < csat_result_answer_count(r); i++) {
    csat_answer a;
    a.struct_size = sizeof a;
    if (csat_result_answer(r, i, &a) != CSAT_OK)
      return 1;
    printf("  %-9s %-9s score %2d, attempts %d, last input \"%s\"\n", a.question_id,
           status_name(a.status), a.score, a.attempts, a.raw);
  }
  csat_session_free(s);
  csat_survey_free(survey);
  return 0;
}
