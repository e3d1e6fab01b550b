/*
 * 06_report.c: results of real sessions into a CSV and a JSON report.
 *
 * Each finished session's result goes into the aggregator as it is
 * (csat_agg_add_result), contact figures included: outcome, wait, talk. A
 * report then writes one row (CSV) or object (JSON) per group with every
 * figure and its n, in fixed decimals whatever the locale. CSV is written
 * into a buffer sized first; JSON is streamed in pieces through a callback,
 * the way to write a report too big for one buffer.
 */
#include <csat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Text sessions need play; this example only reports, so nothing is sent. */
static int send_nothing(void *user, const csat_prompt *p) {
  (void)user;
  (void)p;
  return 0;
}

static int write_stdout(void *user, const char *data, size_t len) {
  (void)user;
  return fwrite(data, 1, len, stdout) == len ? 0 : -1; /* non-zero stops the report */
}

/* The day's contacts: who took the call, how long the customer waited, and
 * the one SMS they sent back. */
typedef struct contact_day {
  const char *contact_id;
  const char *agent_id;
  int64_t wait_ms;
  const char *reply;
} contact_day;

static const contact_day contacts[] = {
    {"call-1", "agent-7", 20000, "5"},   {"call-2", "agent-7", 45000, "4, very friendly"},
    {"call-3", "agent-7", 30000, "5!!"}, {"call-4", "agent-8", 400000, "2 - waited far too long"},
    {"call-5", "agent-8", 250000, "4"},  {"call-6", "agent-8", 600000, "STOP"},
};

int main(void) {
  csat_survey_builder *b;
  csat_survey *survey;
  csat_agg_config cfg = {0};
  csat_agg *a;
  csat_host host = {0};
  csat_report_options opt = {0};
  int64_t t = 1767600000000; /* 2026-01-05 08:00 UTC */
  size_t i, needed = 0;
  char *csv;
  int32_t q;
  int rc;

  if (csat_survey_builder_new(&b, "post-call-sms", 1, NULL) != CSAT_OK)
    return 1;
  csat_survey_builder_add_question(b, "satisfied", CSAT_Q_RATING, 1, 5, &q);
  csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, q, NULL,
                                 "How satisfied were you with your call, 1-5?", NULL);
  if (csat_survey_builder_finish(b, &survey, NULL) != CSAT_OK) {
    fprintf(stderr, "%s\n", csat_survey_builder_errmsg(b));
    csat_survey_builder_free(b);
    return 1;
  }

  cfg.struct_size = sizeof cfg;
  cfg.dimensions = CSAT_DIM_AGENT;
  cfg.period = CSAT_PERIOD_DAY;
  if (csat_agg_new(&a, &cfg, NULL) != CSAT_OK)
    return 1;

  host.struct_size = sizeof host;
  host.play = send_nothing;
  for (i = 0; i < sizeof contacts / sizeof contacts[0]; i++) {
    const contact_day *c = &contacts[i];
    csat_contact contact = {0};
    csat_session *s;
    contact.struct_size = sizeof contact;
    contact.contact_id = c->contact_id;
    contact.agent_id = c->agent_id;
    contact.channel = CSAT_CHANNEL_SMS;
    contact.wait_ms = c->wait_ms;
    contact.talk_ms = 240000;
    t += 3600000;
    if (csat_session_new(&s, survey, &contact, &host, NULL) != CSAT_OK)
      return 1;
    csat_session_start(s, t);
    csat_session_text(s, c->reply, strlen(c->reply), t + 60000);
    /* Only an ended session has a final result to count. */
    if (csat_agg_add_result(a, csat_session_result(s)) != CSAT_OK) {
      fprintf(stderr, "%s: %s\n", c->contact_id, csat_agg_errmsg(a));
      return 1;
    }
    csat_session_free(s);
  }

  /* CSV: ask the length, then write (the buffer takes a NUL too). A total
   * row ("*" in the key cells) sums every group. */
  opt.struct_size = sizeof opt;
  opt.flags = CSAT_REPORT_TOTAL;
  csat_agg_report_csv(a, &opt, NULL, 0, &needed);
  if ((csv = malloc(needed + 1)) == NULL)
    return 1;
  rc = csat_agg_report_csv(a, &opt, csv, needed + 1, NULL);
  if (rc == CSAT_OK)
    printf("---- CSV (RFC 4180, CRLF line ends)\n%s", csv);
  free(csv);

  /* JSON: the same figures, streamed; null where a figure has no data. */
  if (rc == CSAT_OK)
    printf("---- JSON (one group per line)\n");
  if (rc == CSAT_OK)
    rc = csat_agg_report_json_write(a, &opt, write_stdout, NULL);
  if (rc != CSAT_OK)
    fprintf(stderr, "report: %s: %s\n", csat_strerror(rc), csat_agg_errmsg(a));

  csat_agg_free(a);
  csat_survey_free(survey);
  return rc == CSAT_OK ? 0 : 1;
}
