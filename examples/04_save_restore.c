/*
 * 04_save_restore.c: a text survey that lives in the host's database.
 *
 * An SMS gateway cannot keep a session object in memory for the hours
 * between a customer's messages (it restarts, it runs on several machines).
 * So after each message it saves the session to a blob, stores the blob in
 * the conversation's row, and frees the session; the next message restores
 * it. The restored session behaves exactly as if it had never been saved.
 */
#include <csat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The conversation's row in the host's database. */
typedef struct row {
  void *blob;
  size_t len;
} row;

static int send_sms(void *user, const csat_prompt *p) {
  (void)user;
  printf("  > sms: %s\n", p->text);
  return 0;
}

static int store(void *user, const csat_result *r) {
  (void)user;
  printf("  > store: outcome %s\n", csat_outcome_name(csat_result_outcome(r)));
  return 0;
}

/* Callbacks are function pointers, which no blob can carry: the host gives
 * them again on every restore (and may point user at a new connection). */
static csat_host make_host(void) {
  csat_host host = {0};
  host.struct_size = sizeof host;
  host.play = send_sms;
  host.store = store;
  return host;
}

/* Save the session into the row: ask the size first, then write. */
static int save(const csat_session *s, row *r) {
  size_t needed = 0;
  void *p;
  csat_session_save(s, NULL, 0, &needed);
  if ((p = realloc(r->blob, needed)) == NULL)
    return -1;
  r->blob = p;
  if (csat_session_save(s, r->blob, needed, &r->len) != CSAT_OK)
    return -1;
  printf("  (saved: %zu bytes in the database, the session is freed)\n", r->len);
  return 0;
}

/* A message arrives, perhaps on another machine, hours later. */
static int on_message(const csat_survey *survey, row *r, const char *text, int64_t now) {
  csat_host host = make_host();
  csat_session *s;
  csat_error err;
  int rc;

  /* The blob names its survey: restoring it against another survey, or a
   * changed version of this one, is refused with CSAT_ERR_MISMATCH. */
  err.struct_size = sizeof err;
  rc = csat_session_restore(&s, survey, r->blob, r->len, &host, NULL, &err);
  if (rc != CSAT_OK) {
    fprintf(stderr, "restore: %s: %s\n", csat_strerror(rc), err.message);
    return -1;
  }
  printf("< sms after %lld h: %s\n", (long long)(now - 1767258000000) / 3600000, text);
  rc = csat_session_text(s, text, strlen(text), now);
  /* Saved after the end too: a late reply then gets one "already answered"
   * notice, not one per message, and pending work is kept. */
  if (rc == CSAT_OK)
    rc = save(s, r);
  if (csat_session_ended(s))
    printf("  outcome: %s\n", csat_outcome_name(csat_session_outcome(s)));
  csat_session_free(s);
  return rc == CSAT_OK ? 0 : -1;
}

int main(void) {
  csat_survey_builder *b;
  csat_survey *survey;
  csat_session *s;
  csat_host host = make_host();
  csat_contact contact = {0};
  row r = {NULL, 0};
  int64_t start = 1767258000000; /* 2026-01-01 09:00 UTC */
  int32_t q;
  int rc = 0;

  if (csat_survey_builder_new(&b, "post-call-sms", 1, NULL) != CSAT_OK)
    return 1;
  csat_survey_builder_add_question(b, "satisfied", CSAT_Q_RATING, 1, 5, &q);
  csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, q, NULL,
                                 "How satisfied were you with your call, 1-5?", NULL);
  csat_survey_builder_add_question(b, "why", CSAT_Q_TEXT_COMMENT, 0, 0, &q);
  csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, q, NULL, "What could we do better?",
                                 NULL);
  csat_survey_builder_set_prompt(b, CSAT_PROMPT_THANKS, -1, NULL, "Thank you!", NULL);
  if (csat_survey_builder_finish(b, &survey, NULL) != CSAT_OK) {
    fprintf(stderr, "%s\n", csat_survey_builder_errmsg(b));
    csat_survey_builder_free(b);
    return 1;
  }

  /* The call ends: the survey starts, the first SMS goes out, and the
   * session goes to the database until the customer replies. */
  contact.struct_size = sizeof contact;
  contact.contact_id = "call-3001";
  contact.channel = CSAT_CHANNEL_SMS;
  contact.customer_address = "+48600500600";
  if (csat_session_new(&s, survey, &contact, &host, NULL) != CSAT_OK)
    return 1;
  printf("< the call ends at 09:00\n");
  csat_session_start(s, start);
  if (save(s, &r) != 0)
    rc = 1;
  csat_session_free(s);

  /* Two replies, 2 and 20 hours later, each handled by a fresh session
   * (within the survey's window, 24 h by default). */
  if (rc == 0 && on_message(survey, &r, "3", start + 2 * 3600000) != 0)
    rc = 1;
  if (rc == 0 && on_message(survey, &r, "Shorter hold music, please", start + 20 * 3600000) != 0)
    rc = 1;

  free(r.blob);
  csat_survey_free(survey);
  return rc;
}
