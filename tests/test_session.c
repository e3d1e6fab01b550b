/*
 * Voice sessions through the public API: creation checks, every event's
 * STATE errors, DTMF parsing, conditions, voice comments, escalation,
 * hang-up in every state, delivery failures and retries, already-surveyed,
 * the opt-in offer, and out-of-memory loops over creation and restore.
 */
#include "session/session.h"
#include "fail_alloc.h"
#include "registry.h"
#include "session_kit.h"

#define ID "post-call"
#define ALREADY "already?" ID ":C-000123456"
#define Q0 "question@0 collect@0:1-1"
#define Q1 "question@1 collect@1:1-2"
#define Q2 "question@2 collect@2:1-1"
#define Q3 "question@3 record@3"
#define MENU_ESC "escalation collect@-1:1-1"
#define MENU_OFFER "offer collect@-1:1-1"

static csat_answer answer(const csat_session *s, int32_t i) {
  csat_answer a;
  memset(&a, 0, sizeof a);
  a.struct_size = sizeof a;
  CHECK_INT(csat_result_answer(csat_session_result(s), i, &a), CSAT_OK);
  return a;
}

static csat_session *new_session(const csat_survey *sv, th *h, csat_host *vt) {
  csat_contact c;
  csat_session *s = NULL;
  memset(h, 0, sizeof *h);
  kit_host(vt, h);
  kit_contact(&c, CSAT_CHANNEL_VOICE);
  CHECK_INT(csat_session_new(&s, sv, &c, vt, NULL), CSAT_OK);
  if (s == NULL)
    exit(2);
  return s;
}

/* Start and clear the start's actions from the log. */
static csat_session *started(const csat_survey *sv, th *h, csat_host *vt) {
  csat_session *s = new_session(sv, h, vt);
  CHECK_INT(csat_session_start(s, 1000), CSAT_OK);
  CHECK_LOG(h, ALREADY " intro " Q0);
  return s;
}

static int in(csat_session *s, const char *d) { return csat_session_input(s, d, strlen(d), 2000); }

/* ---- creation ----------------------------------------------------------- */

/* Arguments, contact fields and attributes: each limit and its refusal. */
TEST(create_args) {
  csat_survey *sv = kit_survey(ID, 1, 0);
  csat_contact c;
  csat_host vt;
  th h;
  csat_session *s = (csat_session *)(void *)&h;
  csat_attr many[33];
  char long_id[200];
  csat_allocator bad_alloc;
  size_t i;

  memset(&h, 0, sizeof h);
  kit_host(&vt, &h);
  kit_contact(&c, CSAT_CHANNEL_VOICE);
  CHECK_INT(csat_session_new(NULL, sv, &c, &vt, NULL), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_session_new(&s, NULL, &c, &vt, NULL), CSAT_ERR_INVALID_ARG);
  CHECK(s == NULL); /* cleared on failure */
  CHECK_INT(csat_session_new(&s, sv, NULL, &vt, NULL), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_session_new(&s, sv, &c, NULL, NULL), CSAT_ERR_INVALID_ARG);
  memset(&bad_alloc, 0, sizeof bad_alloc);
  CHECK_INT(csat_session_new(&s, sv, &c, &vt, &bad_alloc), CSAT_ERR_INVALID_ARG);

  c.struct_size = sizeof c - 1;
  CHECK_INT(csat_session_new(&s, sv, &c, &vt, NULL), CSAT_ERR_INVALID_ARG);
  kit_contact(&c, 0);
  CHECK_INT(csat_session_new(&s, sv, &c, &vt, NULL), CSAT_ERR_INVALID_ARG);
  kit_contact(&c, 4);
  CHECK_INT(csat_session_new(&s, sv, &c, &vt, NULL), CSAT_ERR_INVALID_ARG);
  kit_contact(&c, CSAT_CHANNEL_VOICE);
  c.contact_id = NULL;
  CHECK_INT(csat_session_new(&s, sv, &c, &vt, NULL), CSAT_ERR_INVALID_ARG);
  c.contact_id = "";
  CHECK_INT(csat_session_new(&s, sv, &c, &vt, NULL), CSAT_ERR_INVALID_ARG);

  memset(long_id, 'x', sizeof long_id);
  long_id[129] = '\0';
  kit_contact(&c, CSAT_CHANNEL_VOICE);
  c.agent_id = long_id;
  CHECK_INT(csat_session_new(&s, sv, &c, &vt, NULL), CSAT_ERR_LIMIT);
  long_id[128] = '\0'; /* exactly at the limit */
  CHECK_INT(csat_session_new(&s, sv, &c, &vt, NULL), CSAT_OK);
  csat_session_free(s);
  s = NULL;
  kit_contact(&c, CSAT_CHANNEL_VOICE);
  c.department = "Obs\xC3";
  CHECK_INT(csat_session_new(&s, sv, &c, &vt, NULL), CSAT_ERR_UTF8);
  kit_contact(&c, CSAT_CHANNEL_VOICE);
  c.language = "\xED\xA0\x80"; /* a surrogate */
  CHECK_INT(csat_session_new(&s, sv, &c, &vt, NULL), CSAT_ERR_UTF8);

  for (i = 0; i < 33; i++) {
    many[i].key = "k";
    many[i].value = "v";
  }
  kit_contact(&c, CSAT_CHANNEL_VOICE);
  c.attrs = many;
  c.attr_count = 33;
  CHECK_INT(csat_session_new(&s, sv, &c, &vt, NULL), CSAT_ERR_LIMIT);
  c.attr_count = 32;
  CHECK_INT(csat_session_new(&s, sv, &c, &vt, NULL), CSAT_OK);
  csat_session_free(s);
  s = NULL;
  c.attrs = NULL;
  c.attr_count = 1;
  CHECK_INT(csat_session_new(&s, sv, &c, &vt, NULL), CSAT_ERR_INVALID_ARG);
  c.attrs = many;
  many[0].key = NULL;
  CHECK_INT(csat_session_new(&s, sv, &c, &vt, NULL), CSAT_ERR_INVALID_ARG);
  many[0].key = "k";
  {
    static char big[1100];
    memset(big, 'v', sizeof big - 1);
    many[0].value = big;
    CHECK_INT(csat_session_new(&s, sv, &c, &vt, NULL), CSAT_ERR_LIMIT);
    big[1024] = '\0';
    CHECK_INT(csat_session_new(&s, sv, &c, &vt, NULL), CSAT_OK);
    csat_session_free(s);
    s = NULL;
  }
  many[0].value = NULL; /* stored as "" */
  CHECK_INT(csat_session_new(&s, sv, &c, &vt, NULL), CSAT_OK);
  CHECK_STR(csat_result_contact(csat_session_result(s))->attrs[0].value, "");
  csat_session_free(s);
  csat_survey_free(sv);
}

/* The callbacks a voice host must have, and an older, shorter vtable. */
TEST(create_host) {
  csat_survey *sv = kit_survey(ID, 1, 0);
  csat_contact c;
  csat_host vt;
  th h;
  csat_session *s = NULL;

  memset(&h, 0, sizeof h);
  kit_host(&vt, &h);
  /* Voice needs play and collect. */
  kit_contact(&c, CSAT_CHANNEL_VOICE);
  vt.play = NULL;
  CHECK_INT(csat_session_new(&s, sv, &c, &vt, NULL), CSAT_ERR_UNSUPPORTED);
  kit_host(&vt, &h);
  vt.collect = NULL;
  CHECK_INT(csat_session_new(&s, sv, &c, &vt, NULL), CSAT_ERR_UNSUPPORTED);
  kit_host(&vt, &h);
  vt.struct_size = offsetof(csat_host, collect); /* collect lies beyond the host's struct */
  CHECK_INT(csat_session_new(&s, sv, &c, &vt, NULL), CSAT_ERR_UNSUPPORTED);
  vt.struct_size = sizeof(size_t);
  CHECK_INT(csat_session_new(&s, sv, &c, &vt, NULL), CSAT_ERR_INVALID_ARG);

  /* An older host vtable ending before store: store, task, ended are NULL. */
  kit_host(&vt, &h);
  vt.struct_size = offsetof(csat_host, store);
  CHECK_INT(csat_session_new(&s, sv, &c, &vt, NULL), CSAT_OK);
  CHECK_INT(csat_session_start(s, 1000), CSAT_OK);
  CHECK_LOG(&h, "intro " Q0); /* no already_surveyed either */
  CHECK_INT(in(s, "1"), CSAT_OK);
  CHECK_INT(in(s, "0"), CSAT_OK);
  CHECK_INT(in(s, "1"), CSAT_OK);
  CHECK_INT(csat_session_recorded(s, "r.wav", 5, 3000), CSAT_OK);
  CHECK_LOG(&h, Q1 " " Q2 " " Q3 " outro");
  CHECK_INT(csat_session_ended(s), 1);
  CHECK_INT(csat_session_pending(s), 0); /* no store: delivered; no create_task: no task */
  csat_session_free(s);
  csat_survey_free(sv);
}

/* The contact is the session's own copy. */
TEST(create_contact_copy) {
  csat_survey *sv = kit_survey(ID, 1, 0);
  csat_contact c;
  csat_host vt;
  th h;
  csat_session *s = NULL;
  char id_buf[16];

  memset(&h, 0, sizeof h);
  /* The contact is copied; NULL strings read as "". */
  kit_host(&vt, &h);
  kit_contact(&c, CSAT_CHANNEL_VOICE);
  memcpy(id_buf, "C-42", 5);
  c.contact_id = id_buf;
  c.agent_id = NULL;
  c.language = NULL;
  CHECK_INT(csat_session_new(&s, sv, &c, &vt, NULL), CSAT_OK);
  id_buf[0] = 'X';
  {
    const csat_contact *rc = csat_result_contact(csat_session_result(s));
    CHECK_STR(rc->contact_id, "C-42");
    CHECK_STR(rc->agent_id, "");
    CHECK_STR(rc->language, "");
    CHECK_STR(rc->attrs[1].key, "tier");
    CHECK_INT(rc->attr_count, 2);
    CHECK_INT(rc->talk_ms, 195000);
  }
  CHECK_INT(csat_session_start(s, 1), CSAT_OK); /* default language prompts */
  CHECK_LOG(&h, "already?" ID ":C-42 intro " Q0);
  csat_session_free(s);
  csat_survey_free(sv);
}

/* Text channels: play is required, collect is not. */
TEST(create_text_channels) {
  csat_survey *sv = kit_survey(ID, 1, 0);
  csat_contact c;
  csat_host vt, full;
  th h;
  csat_session *s = NULL;

  memset(&h, 0, sizeof h);
  /* Text channels need play (it sends the messages), not collect. */
  kit_host(&full, &h);
  memset(&vt, 0, sizeof vt);
  vt.struct_size = sizeof vt;
  vt.user = &h;
  vt.store = full.store;
  kit_contact(&c, CSAT_CHANNEL_SMS);
  CHECK_INT(csat_session_new(&s, sv, &c, &vt, NULL), CSAT_ERR_UNSUPPORTED);
  c.channel = CSAT_CHANNEL_CHAT;
  CHECK_INT(csat_session_new(&s, sv, &c, &vt, NULL), CSAT_ERR_UNSUPPORTED);
  vt.play = full.play;
  CHECK_INT(csat_session_new(&s, sv, &c, &vt, NULL), CSAT_OK);
  CHECK_INT(csat_session_ended(s), 0);
  CHECK_INT(csat_session_hangup(s, 2), CSAT_OK);
  CHECK_LOG(&h, "store:abandoned");
  csat_session_free(s);
  csat_session_free(NULL);
  csat_survey_free(sv);
}

/* ---- STATE errors ------------------------------------------------------- */

/* Every event that is not expected now returns STATE and calls nothing. */
static void check_refused(csat_session *s, th *h, const char *events) {
  char buf[256], *ev;
  int32_t outcome = csat_session_outcome(s), ended = csat_session_ended(s);
  snprintf(buf, sizeof buf, "%s", events);
  for (ev = strtok(buf, " "); ev != NULL; ev = strtok(NULL, " ")) {
    int rc = kit_event(s, ev, 5000);
    if (rc != CSAT_ERR_STATE)
      fprintf(stderr, "event %s: %d\n", ev, rc);
    CHECK_INT(rc, CSAT_ERR_STATE);
    CHECK(csat_session_errmsg(s)[0] != '\0');
  }
  CHECK_LOG(h, "");
  CHECK_INT(csat_session_outcome(s), outcome);
  CHECK_INT(csat_session_ended(s), ended);
}

TEST(state_errors) {
  csat_survey *sv = kit_survey(ID, 1, KS_ESCALATION);
  csat_survey *oi = kit_survey(ID, 1, KS_OPT_IN);
  csat_host vt;
  th h;
  csat_session *s = new_session(sv, &h, &vt);

  check_refused(s, &h, "offer optin:1 in:1 noin rec:a.wav rep");
  CHECK_INT(csat_session_start(s, 1000), CSAT_OK);
  h.log[0] = '\0';
  check_refused(s, &h, "start offer optin:1 rec:a.wav");
  CHECK_INT(in(s, "1"), CSAT_OK);
  CHECK_INT(in(s, "1"), CSAT_OK);
  CHECK_INT(in(s, "1"), CSAT_OK); /* -> recording */
  h.log[0] = '\0';
  check_refused(s, &h, "start offer in:1 in:");
  CHECK_INT(csat_session_recorded(s, "a.wav", 5, 3000), CSAT_OK); /* -> escalation */
  CHECK_LOG(&h, MENU_ESC);
  check_refused(s, &h, "start offer rec:a.wav");
  CHECK_INT(csat_session_hangup(s, 4000), CSAT_OK);
  h.log[0] = '\0';
  check_refused(s, &h, "start offer optin:1 in:1 noin rec:a.wav rep hang");
  CHECK_INT(csat_session_flush(s, 5000), CSAT_OK); /* nothing pending: fine */
  csat_session_free(s);

  s = new_session(oi, &h, &vt);
  CHECK_INT(csat_session_offer(s, 1), CSAT_OK);
  CHECK_LOG(&h, MENU_OFFER);
  check_refused(s, &h, "start offer optin:1 rec:a.wav");
  csat_session_free(s);

  /* NULL sessions. */
  CHECK_INT(csat_session_start(NULL, 0), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_session_offer(NULL, 0), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_session_opt_in(NULL, 1, 0), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_session_input(NULL, "1", 1, 0), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_session_no_input(NULL, 0), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_session_recorded(NULL, "a", 1, 0), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_session_repeat(NULL, 0), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_session_hangup(NULL, 0), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_session_flush(NULL, 0), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_session_pending(NULL), 0);
  CHECK_INT(csat_session_outcome(NULL), 0);
  CHECK_INT(csat_session_ended(NULL), 0);
  CHECK(csat_session_result(NULL) == NULL);
  CHECK_STR(csat_session_errmsg(NULL), "");
  csat_survey_free(sv);
  csat_survey_free(oi);
}

/* ---- DTMF parsing ------------------------------------------------------- */

TEST(input_parsing) {
  csat_survey *sv = kit_survey(ID, 1, 0);
  csat_survey *nt = kit_survey(ID, 1, KS_NO_TERM);
  csat_host vt;
  th h;
  csat_session *s = started(sv, &h, &vt);
  char digits[40];
  csat_answer a;

  /* Bad arguments change nothing. */
  memset(digits, '1', sizeof digits);
  CHECK_INT(csat_session_input(s, digits, 33, 1), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_session_input(s, "12a", 3, 1), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_session_input(s, "1 ", 2, 1), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_session_input(s, NULL, 1, 1), CSAT_ERR_INVALID_ARG);
  CHECK_LOG(&h, "");
  a = answer(s, 0);
  CHECK_INT(a.attempts, 0);
  CHECK_STR(a.raw, "");

  /* '*' replays, three times (max_repeats), then counts as invalid. */
  CHECK_INT(in(s, "*"), CSAT_OK);
  CHECK_INT(in(s, "*5"), CSAT_OK);
  CHECK_INT(csat_session_repeat(s, 1), CSAT_OK); /* the host's replay is free */
  CHECK_INT(in(s, "*"), CSAT_OK);
  CHECK_LOG(&h, Q0 " " Q0 " " Q0 " " Q0);
  CHECK_INT(answer(s, 0).attempts, 0);
  CHECK_INT(in(s, "*"), CSAT_OK);
  CHECK_LOG(&h, "invalid@0 " Q0);
  CHECK_INT(in(s, "0"), CSAT_OK); /* 0 is outside 1..5 */
  CHECK_LOG(&h, "invalid@0 " Q0);
  CHECK_INT(in(s, "05"), CSAT_OK); /* third attempt: skip */
  CHECK_LOG(&h, "max@0 " Q1);
  a = answer(s, 0);
  CHECK_INT(a.status, CSAT_ANSWER_INVALID);
  CHECK_INT(a.attempts, 3);
  CHECK_INT(a.score, -1);
  CHECK_STR(a.raw, "05");

  /* 0..10: '#' alone and "" are no input; "10#" is ten. */
  CHECK_INT(in(s, "#"), CSAT_OK);
  CHECK_LOG(&h, "no_input@1 " Q1);
  CHECK_INT(in(s, ""), CSAT_OK);
  CHECK_LOG(&h, "no_input@1 " Q1);
  CHECK_INT(in(s, "10#"), CSAT_OK);
  CHECK_LOG(&h, Q2);
  a = answer(s, 1);
  CHECK_INT(a.status, CSAT_ANSWER_ANSWERED);
  CHECK_INT(a.score, 10);
  CHECK_INT(a.attempts, 3);
  CHECK_STR(a.raw, "10#");
  CHECK_INT(a.answered_ms, 2000);

  /* Yes/no: 1 = yes, 2 = no; anything else is invalid. */
  CHECK_INT(in(s, "0"), CSAT_OK);
  CHECK_INT(in(s, "3"), CSAT_OK);
  CHECK_LOG(&h, "invalid@2 " Q2 " invalid@2 " Q2);
  CHECK_INT(in(s, "2#"), CSAT_OK);
  a = answer(s, 2);
  CHECK_INT(a.status, CSAT_ANSWER_ANSWERED);
  CHECK_INT(a.score, 0);
  /* csat has no score: the comment's condition fails; the text comment is
   * not applicable on voice. */
  CHECK_LOG(&h, "outro store:partial ended:partial");
  CHECK_INT(answer(s, 3).status, CSAT_ANSWER_CONDITION);
  CHECK_INT(answer(s, 4).status, CSAT_ANSWER_NOT_APPLICABLE);
  CHECK_INT(csat_session_outcome(s), CSAT_OUTCOME_PARTIAL);
  csat_session_free(s);

  /* More shapes: two digits on a 1-digit scale, leading zeros, zero on 0..10,
   * 32 digits, yes/no "1". */
  s = started(sv, &h, &vt);
  CHECK_INT(in(s, "55"), CSAT_OK);
  CHECK_INT(csat_session_input(s, digits, 32, 2), CSAT_OK); /* legal, but invalid */
  CHECK_LOG(&h, "invalid@0 " Q0 " invalid@0 " Q0);
  CHECK_INT(in(s, "5#"), CSAT_OK);
  CHECK_INT(in(s, "00"), CSAT_OK);
  CHECK_INT(in(s, "11"), CSAT_OK);
  CHECK_INT(in(s, "0"), CSAT_OK);
  CHECK_LOG(&h, Q1 " invalid@1 " Q1 " invalid@1 " Q1 " " Q2);
  CHECK_INT(answer(s, 1).score, 0);
  CHECK_INT(in(s, "1"), CSAT_OK);
  CHECK_INT(answer(s, 2).score, 1);
  CHECK_LOG(&h, "outro store:completed ended:completed");
  CHECK_INT(answer(s, 0).flagged, 0);
  csat_session_free(s);

  /* Without a terminator '#' is just an invalid digit. */
  s = new_session(nt, &h, &vt);
  CHECK_INT(csat_session_start(s, 1), CSAT_OK);
  h.log[0] = '\0';
  CHECK_INT(in(s, "5#"), CSAT_OK);
  CHECK_INT(in(s, "#"), CSAT_OK);
  CHECK_LOG(&h, "invalid@0 " Q0 " invalid@0 " Q0);
  CHECK_INT(in(s, "4"), CSAT_OK);
  CHECK_LOG(&h, Q1);
  csat_session_free(s);
  csat_survey_free(sv);
  csat_survey_free(nt);
}

/* ---- conditions, comments, attempts ------------------------------------- */

TEST(comments) {
  csat_survey *sv = kit_survey(ID, 1, 0);
  csat_host vt;
  th h;
  csat_session *s = started(sv, &h, &vt);
  static char big[1100];
  csat_answer a;

  CHECK_INT(in(s, "2"), CSAT_OK); /* flags, and asks for the comment */
  CHECK_INT(in(s, "3"), CSAT_OK);
  CHECK_INT(in(s, "1"), CSAT_OK);
  CHECK_LOG(&h, Q1 " " Q2 " " Q3);
  CHECK_INT(csat_session_recorded(s, NULL, 3, 1), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_session_recorded(s, "x", 0, 1), CSAT_ERR_INVALID_ARG);
  memset(big, 'r', sizeof big);
  CHECK_INT(csat_session_recorded(s, big, 1025, 1), CSAT_ERR_LIMIT);
  CHECK_INT(csat_session_recorded(s, "a\0b", 3, 1), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_session_recorded(s, "\xff", 1, 1), CSAT_ERR_UTF8);
  CHECK_INT(in(s, "1"), CSAT_ERR_STATE);
  CHECK_INT(csat_session_repeat(s, 1), CSAT_OK);
  CHECK_LOG(&h, Q3);
  CHECK_INT(csat_session_recorded(s, big, 1024, 3000), CSAT_OK);
  CHECK_LOG(&h, "outro store:completed task ended:completed");
  a = answer(s, 3);
  CHECK_INT(a.status, CSAT_ANSWER_ANSWERED);
  CHECK_INT(a.score, -1);
  CHECK_INT(a.attempts, 1);
  CHECK_INT(strlen(a.comment), 1024);
  CHECK_INT(a.answered_ms, 3000);
  CHECK_INT(answer(s, 0).flagged, 1);
  CHECK_INT(csat_result_flagged(csat_session_result(s)), 1);
  CHECK_INT(h.tasks_created, 1);
  CHECK(h.task_key[0] != '\0');
  csat_session_free(s);

  /* No recording: skipped without a re-prompt. */
  s = started(sv, &h, &vt);
  CHECK_INT(in(s, "1"), CSAT_OK);
  CHECK_INT(csat_session_no_input(s, 1), CSAT_OK);
  CHECK_INT(csat_session_no_input(s, 1), CSAT_OK);
  CHECK_INT(csat_session_no_input(s, 1), CSAT_OK);
  CHECK_LOG(&h, Q1 " no_input@1 " Q1 " no_input@1 " Q1 " max@1 " Q2);
  CHECK_INT(answer(s, 1).status, CSAT_ANSWER_NO_INPUT);
  CHECK_INT(in(s, "1"), CSAT_OK);
  CHECK_INT(csat_session_no_input(s, 1), CSAT_OK);
  CHECK_LOG(&h, Q3 " outro store:partial task ended:partial");
  CHECK_INT(answer(s, 3).status, CSAT_ANSWER_NO_INPUT);
  CHECK_INT(answer(s, 3).attempts, 1);
  csat_session_free(s);

  /* A host without record: the voice comment is not applicable. */
  s = new_session(sv, &h, &vt);
  csat_session_free(s);
  vt.record = NULL;
  {
    csat_contact c;
    kit_contact(&c, CSAT_CHANNEL_VOICE);
    CHECK_INT(csat_session_new(&s, sv, &c, &vt, NULL), CSAT_OK);
  }
  CHECK_INT(csat_session_start(s, 1), CSAT_OK);
  CHECK_INT(in(s, "1"), CSAT_OK);
  CHECK_INT(in(s, "1"), CSAT_OK);
  CHECK_INT(in(s, "1"), CSAT_OK);
  CHECK_INT(answer(s, 3).status, CSAT_ANSWER_NOT_APPLICABLE);
  CHECK_INT(csat_session_outcome(s), CSAT_OUTCOME_COMPLETED);
  csat_session_free(s);
  csat_survey_free(sv);
}

TEST(attempts) {
  csat_survey *end = kit_survey(ID, 1, KS_END);
  csat_survey *sv = kit_survey(ID, 1, 0);
  csat_host vt;
  th h;
  csat_session *s = started(end, &h, &vt);
  int i;

  /* Two attempts, then the survey ends: no outro, status after the last kind. */
  CHECK_INT(in(s, "9"), CSAT_OK);
  CHECK_INT(csat_session_no_input(s, 1), CSAT_OK);
  CHECK_LOG(&h, "invalid@0 " Q0 " max@0 store:attempts_exhausted ended:attempts_exhausted");
  CHECK_INT(answer(s, 0).status, CSAT_ANSWER_NO_INPUT);
  CHECK_INT(answer(s, 1).status, CSAT_ANSWER_NOT_ASKED);
  csat_session_free(s);

  /* Everything invalid on one question, silence on the others. */
  s = started(sv, &h, &vt);
  for (i = 0; i < 3; i++)
    CHECK_INT(in(s, "7"), CSAT_OK);
  for (i = 0; i < 6; i++)
    CHECK_INT(csat_session_no_input(s, 1), CSAT_OK);
  CHECK_INT(csat_session_outcome(s), CSAT_OUTCOME_ATTEMPTS_EXHAUSTED);
  csat_session_free(s);

  /* Only silence: timed out. */
  s = started(sv, &h, &vt);
  for (i = 0; i < 9; i++)
    CHECK_INT(csat_session_no_input(s, 1), CSAT_OK);
  CHECK_INT(csat_session_outcome(s), CSAT_OUTCOME_TIMED_OUT);
  CHECK_INT(csat_session_no_input(s, 1), CSAT_ERR_STATE);
  csat_session_free(s);
  csat_survey_free(sv);
  csat_survey_free(end);
}

/* ---- escalation --------------------------------------------------------- */

/* csat 1 (flags, escalates), nps 5, resolved yes, a recording: the menu. */
static csat_session *at_escalation(const csat_survey *sv, th *h, csat_host *vt) {
  csat_session *s = started(sv, h, vt);
  CHECK_INT(in(s, "1"), CSAT_OK);
  CHECK_INT(in(s, "5"), CSAT_OK);
  CHECK_INT(in(s, "1"), CSAT_OK);
  CHECK_INT(csat_session_recorded(s, "r.wav", 5, 1), CSAT_OK);
  CHECK_LOG(h, Q1 " " Q2 " " Q3 " " MENU_ESC);
  CHECK_INT(csat_result_escalation(csat_session_result(s)), CSAT_ESCALATION_OFFERED);
  return s;
}

TEST(escalation) {
  csat_survey *sv = kit_survey(ID, 1, KS_ESCALATION);
  csat_survey *nt = kit_survey(ID, 1, KS_ESCALATION | KS_NO_TARGET);
  csat_host vt;
  th h;
  csat_session *s = at_escalation(sv, &h, &vt);

  CHECK_INT(in(s, "3"), CSAT_OK);
  CHECK_LOG(&h, "invalid " MENU_ESC);
  CHECK_INT(csat_session_repeat(s, 1), CSAT_OK);
  CHECK_LOG(&h, MENU_ESC);
  CHECK_INT(csat_session_no_input(s, 1), CSAT_OK);
  CHECK_LOG(&h, "no_input " MENU_ESC);
  CHECK_INT(in(s, "1#"), CSAT_OK); /* transfer: no outro */
  CHECK_LOG(&h, "transfer:sup store:completed task ended:completed");
  CHECK_INT(csat_result_escalation(csat_session_result(s)), CSAT_ESCALATION_TRANSFER);
  csat_session_free(s);

  s = at_escalation(sv, &h, &vt);
  CHECK_INT(in(s, "2"), CSAT_OK);
  CHECK_LOG(&h, "outro callback:+48600100200:C-000123456 store:completed task ended:completed");
  CHECK_INT(csat_result_escalation(csat_session_result(s)), CSAT_ESCALATION_CALLBACK);
  csat_session_free(s);

  /* Three failures: the offer lapses. */
  s = at_escalation(sv, &h, &vt);
  CHECK_INT(in(s, "9"), CSAT_OK);
  CHECK_INT(in(s, "*"), CSAT_OK);
  CHECK_INT(in(s, "12"), CSAT_OK);
  CHECK_LOG(&h, "invalid " MENU_ESC " invalid " MENU_ESC " outro store:completed task "
                "ended:completed");
  CHECK_INT(csat_result_escalation(csat_session_result(s)), CSAT_ESCALATION_OFFERED);
  csat_session_free(s);

  /* Without a target "1" is not an option. */
  s = at_escalation(nt, &h, &vt);
  CHECK_INT(in(s, "1"), CSAT_OK);
  CHECK_LOG(&h, "invalid " MENU_ESC);
  CHECK_INT(in(s, "2"), CSAT_OK);
  CHECK_INT(csat_result_escalation(csat_session_result(s)), CSAT_ESCALATION_CALLBACK);
  csat_session_free(s);

  /* Hang-up at the menu: the outcome after the last question. */
  s = at_escalation(sv, &h, &vt);
  CHECK_INT(csat_session_hangup(s, 9), CSAT_OK);
  CHECK_LOG(&h, "store:completed task ended:completed");
  CHECK_INT(csat_result_escalation(csat_session_result(s)), CSAT_ESCALATION_OFFERED);
  csat_session_free(s);

  /* Good scores (and a "no" on yes/no) do not escalate. */
  s = started(sv, &h, &vt);
  CHECK_INT(in(s, "3"), CSAT_OK);
  CHECK_INT(in(s, "3"), CSAT_OK);
  CHECK_INT(in(s, "2"), CSAT_OK);
  CHECK_LOG(&h, Q1 " " Q2 " outro store:completed ended:completed");
  CHECK_INT(csat_result_escalation(csat_session_result(s)), CSAT_ESCALATION_NONE);
  csat_session_free(s);

  /* A low nps escalates too. */
  s = started(sv, &h, &vt);
  CHECK_INT(in(s, "4"), CSAT_OK);
  CHECK_INT(in(s, "2"), CSAT_OK);
  CHECK_INT(in(s, "1"), CSAT_OK);
  CHECK_LOG(&h, Q1 " " Q2 " " MENU_ESC);
  csat_session_free(s);
  csat_survey_free(sv);
  csat_survey_free(nt);
}

/* ---- hang-up ------------------------------------------------------------ */

TEST(hangup) {
  csat_survey *sv = kit_survey(ID, 1, 0);
  csat_survey *oi = kit_survey(ID, 1, KS_OPT_IN);
  csat_host vt;
  th h;
  csat_session *s = new_session(sv, &h, &vt);
  csat_answer a;

  CHECK_INT(csat_session_hangup(s, 5), CSAT_OK);
  CHECK_LOG(&h, "store:abandoned ended:abandoned");
  CHECK_INT(csat_result_started_ms(csat_session_result(s)), 0);
  CHECK_INT(csat_result_ended_ms(csat_session_result(s)), 5);
  csat_session_free(s);

  s = new_session(oi, &h, &vt);
  CHECK_INT(csat_session_hangup(s, 5), CSAT_OK);
  CHECK_LOG(&h, "store:declined ended:declined");
  csat_session_free(s);
  s = new_session(oi, &h, &vt);
  CHECK_INT(csat_session_offer(s, 5), CSAT_OK);
  CHECK_INT(csat_session_hangup(s, 5), CSAT_OK);
  CHECK_LOG(&h, MENU_OFFER " store:declined ended:declined");
  csat_session_free(s);
  s = new_session(oi, &h, &vt);
  CHECK_INT(csat_session_opt_in(s, 1, 5), CSAT_OK);
  CHECK_INT(csat_session_hangup(s, 5), CSAT_OK);
  CHECK_LOG(&h, "store:abandoned ended:abandoned");
  csat_session_free(s);

  /* During the first question, after an invalid attempt. */
  s = started(sv, &h, &vt);
  CHECK_INT(in(s, "8"), CSAT_OK);
  CHECK_INT(csat_session_hangup(s, 5), CSAT_OK);
  CHECK_LOG(&h, "invalid@0 " Q0 " store:abandoned ended:abandoned");
  a = answer(s, 0);
  CHECK_INT(a.status, CSAT_ANSWER_NOT_ASKED);
  CHECK_INT(a.attempts, 1);
  CHECK_STR(a.raw, "8");
  CHECK_INT(csat_result_started_ms(csat_session_result(s)), 1000);
  csat_session_free(s);

  /* With one answer: partial; during a recording too. */
  s = started(sv, &h, &vt);
  CHECK_INT(in(s, "4"), CSAT_OK);
  CHECK_INT(csat_session_hangup(s, 5), CSAT_OK);
  CHECK_LOG(&h, Q1 " store:partial ended:partial");
  CHECK_INT(answer(s, 2).status, CSAT_ANSWER_NOT_ASKED);
  csat_session_free(s);
  s = started(sv, &h, &vt);
  CHECK_INT(in(s, "2"), CSAT_OK);
  CHECK_INT(in(s, "2"), CSAT_OK);
  CHECK_INT(in(s, "2"), CSAT_OK);
  CHECK_INT(csat_session_hangup(s, 5), CSAT_OK);
  CHECK_LOG(&h, Q1 " " Q2 " " Q3 " store:partial task ended:partial");
  CHECK_INT(answer(s, 3).status, CSAT_ANSWER_NOT_ASKED);
  CHECK_INT(csat_session_hangup(s, 6), CSAT_ERR_STATE);
  csat_session_free(s);
  csat_survey_free(sv);
  csat_survey_free(oi);
}

/* ---- delivery ----------------------------------------------------------- */

/* csat 1 (flagged), nps 9, yes, a recording: the end (no escalation). */
static int to_end(csat_session *s) {
  CHECK_INT(in(s, "1"), CSAT_OK);
  CHECK_INT(in(s, "9"), CSAT_OK);
  CHECK_INT(in(s, "1"), CSAT_OK);
  return csat_session_recorded(s, "r.wav", 5, 3000);
}

TEST(delivery) {
  csat_survey *sv = kit_survey(ID, 1, 0);
  csat_survey *nt = kit_survey(ID, 1, KS_NO_TASKS);
  csat_host vt;
  th h;
  csat_session *s;
  char key[256];

  /* A failing store keeps the result pending until a flush gets through. */
  s = started(sv, &h, &vt);
  h.fail[CB_STORE] = 2;
  CHECK_INT(to_end(s), CSAT_ERR_CALLBACK);
  CHECK_LOG(&h, Q1 " " Q2 " " Q3 " outro store:completed ! task ended:completed");
  CHECK(strstr(csat_session_errmsg(s), "store") != NULL);
  CHECK_INT(csat_session_ended(s), 1);
  CHECK_INT(csat_session_pending(s), CSAT_PENDING_STORE);
  CHECK_INT(csat_session_flush(s, 4000), CSAT_ERR_CALLBACK);
  CHECK_LOG(&h, "store:completed !");
  CHECK_INT(csat_session_flush(s, 5000), CSAT_OK);
  CHECK_LOG(&h, "store:completed");
  CHECK_INT(csat_session_pending(s), 0);
  CHECK_INT(csat_session_flush(s, 6000), CSAT_OK); /* idempotent */
  CHECK_LOG(&h, "");
  CHECK_INT(h.stores, 1);
  CHECK_INT(h.tasks_created, 1);
  csat_session_free(s);

  /* A failing create_task keeps the task pending, with the same key. */
  s = started(sv, &h, &vt);
  h.fail[CB_TASK] = 1;
  CHECK_INT(to_end(s), CSAT_ERR_CALLBACK);
  CHECK_LOG(&h, Q1 " " Q2 " " Q3 " outro store:completed task ! ended:completed");
  CHECK_INT(csat_session_pending(s), CSAT_PENDING_TASK);
  snprintf(key, sizeof key, "%s", h.task_key);
  CHECK_INT(csat_session_flush(s, 4000), CSAT_OK);
  CHECK_LOG(&h, "task");
  CHECK_STR(h.task_key, key);
  CHECK_INT(csat_session_flush(s, 4000), CSAT_OK);
  CHECK_LOG(&h, "");
  CHECK_INT(h.tasks_created, 1);
  csat_session_free(s);

  /* Both fail; the ended callback failing leaves nothing pending. */
  s = started(sv, &h, &vt);
  h.fail[CB_STORE] = 1;
  h.fail[CB_TASK] = 1;
  h.fail[CB_ENDED] = 1;
  CHECK_INT(to_end(s), CSAT_ERR_CALLBACK);
  CHECK_INT(csat_session_pending(s), CSAT_PENDING_STORE | CSAT_PENDING_TASK);
  h.log[0] = '\0';
  CHECK_INT(csat_session_flush(s, 4000), CSAT_OK);
  CHECK_LOG(&h, "store:completed task");
  csat_session_free(s);
  s = started(sv, &h, &vt);
  h.fail[CB_ENDED] = 1;
  CHECK_INT(to_end(s), CSAT_ERR_CALLBACK);
  CHECK_INT(csat_session_pending(s), 0);
  csat_session_free(s);

  /* Tasks disabled: flagged, but no task. */
  s = started(nt, &h, &vt);
  CHECK_INT(to_end(s), CSAT_OK);
  CHECK_LOG(&h, Q1 " " Q2 " " Q3 " outro store:completed ended:completed");
  csat_session_free(s);

  /* A failing play still leaves the session waiting; repeat replays. */
  s = new_session(sv, &h, &vt);
  h.fail[CB_PLAY] = 1;
  CHECK_INT(csat_session_start(s, 1), CSAT_ERR_CALLBACK);
  CHECK_LOG(&h, ALREADY " intro ! " Q0);
  CHECK_INT(csat_session_repeat(s, 2), CSAT_OK);
  CHECK_LOG(&h, Q0);
  h.fail[CB_COLLECT] = 1;
  CHECK_INT(in(s, "5"), CSAT_ERR_CALLBACK);
  CHECK_LOG(&h, "question@1 collect@1:1-2 !");
  CHECK_INT(answer(s, 0).score, 5);
  CHECK_INT(in(s, "5"), CSAT_OK);
  csat_session_free(s);

  /* Out of memory building the task: applied, the task stays pending. */
  {
    fail_alloc t;
    csat_allocator a = fail_alloc_init(&t, 0, 0);
    csat_contact c;
    kit_contact(&c, CSAT_CHANNEL_VOICE);
    memset(&h, 0, sizeof h);
    kit_host(&vt, &h);
    CHECK_INT(csat_session_new(&s, sv, &c, &vt, &a), CSAT_OK);
    CHECK_INT(csat_session_start(s, 1), CSAT_OK);
    CHECK_INT(in(s, "1"), CSAT_OK);
    CHECK_INT(in(s, "9"), CSAT_OK);
    CHECK_INT(in(s, "1"), CSAT_OK);
    h.log[0] = '\0';
    t.fail_at = t.calls + 1; /* the recording copy */
    CHECK_INT(csat_session_recorded(s, "r.wav", 5, 3000), CSAT_ERR_NOMEM);
    CHECK_LOG(&h, "");
    CHECK_INT(csat_session_ended(s), 0);
    CHECK_INT(answer(s, 3).status, CSAT_ANSWER_NOT_ASKED);
    t.fail_at = t.calls + 2; /* the copy succeeds; the task build fails */
    CHECK_INT(csat_session_recorded(s, "r.wav", 5, 3000), CSAT_ERR_NOMEM);
    CHECK_LOG(&h, "outro store:completed ended:completed");
    CHECK_INT(csat_session_pending(s), CSAT_PENDING_TASK);
    t.fail_at = 0;
    CHECK_INT(csat_session_flush(s, 4000), CSAT_OK);
    CHECK_LOG(&h, "task");
    csat_session_free(s);
    CHECK_INT(t.live, 0);
  }
  csat_survey_free(sv);
  csat_survey_free(nt);
}

/* ---- already surveyed, opt-in ------------------------------------------- */

TEST(already) {
  csat_survey *sv = kit_survey(ID, 1, 0);
  csat_survey *oi = kit_survey(ID, 1, KS_OPT_IN);
  csat_host vt;
  th h;
  csat_session *s = new_session(sv, &h, &vt);

  h.already = 1;
  CHECK_INT(csat_session_start(s, 1), CSAT_OK);
  CHECK_LOG(&h, ALREADY " already ended:already_answered");
  CHECK_INT(csat_session_outcome(s), CSAT_OUTCOME_ALREADY_ANSWERED);
  CHECK_INT(csat_session_pending(s), 0);
  CHECK_INT(h.stores, 0);
  csat_session_free(s);

  s = new_session(sv, &h, &vt);
  h.fail[CB_ALREADY] = 1;
  CHECK_INT(csat_session_start(s, 1), CSAT_ERR_CALLBACK);
  CHECK_LOG(&h, ALREADY " !");
  CHECK_INT(csat_session_ended(s), 0);
  CHECK_INT(csat_session_outcome(s), 0);
  CHECK_INT(csat_result_started_ms(csat_session_result(s)), 0);
  CHECK_INT(csat_session_input(s, "1", 1, 1), CSAT_ERR_STATE); /* not started */
  CHECK_INT(csat_session_start(s, 2), CSAT_OK);
  CHECK_LOG(&h, ALREADY " intro " Q0);
  csat_session_free(s);

  /* Already answered wins over a missing opt-in. */
  s = new_session(oi, &h, &vt);
  h.already = 1;
  CHECK_INT(csat_session_start(s, 1), CSAT_OK);
  CHECK_INT(csat_session_outcome(s), CSAT_OUTCOME_ALREADY_ANSWERED);
  csat_session_free(s);
  csat_survey_free(sv);
  csat_survey_free(oi);
}

TEST(opt_in) {
  csat_survey *oi = kit_survey(ID, 1, KS_OPT_IN);
  csat_host vt;
  th h;
  csat_session *s = new_session(oi, &h, &vt);

  /* Never offered: declined, no prompt. */
  CHECK_INT(csat_session_start(s, 1), CSAT_OK);
  CHECK_LOG(&h, ALREADY " store:declined ended:declined");
  csat_session_free(s);

  s = new_session(oi, &h, &vt);
  CHECK_INT(csat_session_offer(s, 1), CSAT_OK);
  CHECK_LOG(&h, MENU_OFFER);
  CHECK_INT(csat_session_repeat(s, 1), CSAT_OK);
  CHECK_LOG(&h, MENU_OFFER);
  CHECK_INT(in(s, "1#"), CSAT_OK);
  CHECK_LOG(&h, "");
  CHECK_INT(csat_session_start(s, 2), CSAT_OK);
  CHECK_LOG(&h, ALREADY " intro " Q0);
  csat_session_free(s);

  s = new_session(oi, &h, &vt);
  CHECK_INT(csat_session_offer(s, 1), CSAT_OK);
  CHECK_INT(in(s, "2"), CSAT_OK);
  CHECK_INT(csat_session_start(s, 2), CSAT_OK);
  CHECK_LOG(&h, MENU_OFFER " " ALREADY " store:declined ended:declined");
  csat_session_free(s);

  /* Three failed attempts: refused. */
  s = new_session(oi, &h, &vt);
  CHECK_INT(csat_session_offer(s, 1), CSAT_OK);
  CHECK_INT(in(s, "3"), CSAT_OK);
  CHECK_INT(csat_session_no_input(s, 1), CSAT_OK);
  CHECK_INT(in(s, "5"), CSAT_OK);
  CHECK_LOG(&h, MENU_OFFER " invalid " MENU_OFFER " no_input " MENU_OFFER);
  CHECK_INT(csat_session_start(s, 2), CSAT_OK);
  CHECK_INT(csat_session_outcome(s), CSAT_OUTCOME_DECLINED);
  csat_session_free(s);

  /* The host asked itself. */
  s = new_session(oi, &h, &vt);
  CHECK_INT(csat_session_opt_in(s, 0, 1), CSAT_OK);
  CHECK_INT(csat_session_opt_in(s, 7, 1), CSAT_OK); /* non-zero accepts */
  CHECK_INT(csat_session_start(s, 2), CSAT_OK);
  CHECK_LOG(&h, ALREADY " intro " Q0);
  csat_session_free(s);
  csat_survey_free(oi);
}

/* ---- out of memory ------------------------------------------------------ */

TEST(alloc_loops) {
  csat_survey *sv = kit_survey(ID, 1, KS_ESCALATION);
  csat_host vt;
  th h;
  csat_contact c;
  csat_session *s;
  unsigned char *blob;
  size_t len = 0;
  int persistent;
  long k, points_new = 0, points_restore = 0;

  /* A blob with a recording: restore copies the comment too. */
  s = at_escalation(sv, &h, &vt);
  blob = kit_save(s, &len);
  csat_session_free(s);
  kit_contact(&c, CSAT_CHANNEL_VOICE);

  for (persistent = 0; persistent <= 1; persistent++) {
    for (k = 1; k < 100; k++) {
      fail_alloc t;
      csat_allocator a = fail_alloc_init(&t, k, persistent);
      int rc;
      s = (csat_session *)(void *)&h;
      rc = csat_session_new(&s, sv, &c, &vt, &a);
      if (rc == CSAT_OK) {
        CHECK(t.calls < k); /* succeeded only once no allocation failed */
        csat_session_free(s);
        CHECK_INT(t.live, 0);
        break;
      }
      CHECK_INT(rc, CSAT_ERR_NOMEM);
      CHECK(s == NULL);
      CHECK_INT(t.live, 0);
      points_new++;
    }
    for (k = 1; k < 100; k++) {
      fail_alloc t;
      csat_allocator a = fail_alloc_init(&t, k, persistent);
      csat_error err;
      int rc;
      err.struct_size = sizeof err;
      s = (csat_session *)(void *)&h;
      rc = csat_session_restore(&s, sv, blob, len, &vt, &a, &err);
      if (rc == CSAT_OK) {
        CHECK(t.calls < k);
        csat_session_free(s);
        CHECK_INT(t.live, 0);
        break;
      }
      CHECK_INT(rc, CSAT_ERR_NOMEM);
      CHECK_INT(err.code, CSAT_ERR_NOMEM);
      CHECK(s == NULL);
      CHECK_INT(t.live, 0);
      points_restore++;
    }
  }
  /* new: session, strings, attributes, answers; restore adds the comment. */
  CHECK_INT(points_new, 2 * 4);
  CHECK_INT(points_restore, 2 * 5);
  free(blob);
  csat_survey_free(sv);
}

/* Memory of a live five-question session (printed for the record). */
TEST(footprint) {
  csat_survey *sv = kit_survey(ID, 1, 0);
  fail_alloc t;
  csat_allocator a = fail_alloc_init(&t, 0, 0);
  csat_contact c;
  csat_host vt;
  th h;
  csat_session *s = NULL;
  memset(&h, 0, sizeof h);
  kit_host(&vt, &h);
  kit_contact(&c, CSAT_CHANNEL_VOICE);
  CHECK_INT(csat_session_new(&s, sv, &c, &vt, &a), CSAT_OK);
  printf("sizeof(struct csat_session) = %d, sizeof(csat__answer) = %d\n",
         (int)sizeof(struct csat_session), (int)sizeof(csat__answer));
  printf("live 5-question session: %d heap bytes in %ld allocations\n", (int)t.bytes, t.live);
  CHECK_INT(csat_session_start(s, 1), CSAT_OK);
  CHECK_INT(to_end(s), CSAT_OK);
  printf("after a recorded comment and a task: %d heap bytes live, peak %d\n", (int)t.bytes,
         (int)t.peak);
  csat_session_free(s);
  CHECK_INT(t.live, 0);
  csat_survey_free(sv);
}

static const test_case tests[] = {
    TEST_ENTRY(create_args),
    TEST_ENTRY(create_host),
    TEST_ENTRY(create_contact_copy),
    TEST_ENTRY(create_text_channels),
    TEST_ENTRY(state_errors),
    TEST_ENTRY(input_parsing),
    TEST_ENTRY(comments),
    TEST_ENTRY(attempts),
    TEST_ENTRY(escalation),
    TEST_ENTRY(hangup),
    TEST_ENTRY(delivery),
    TEST_ENTRY(already),
    TEST_ENTRY(opt_in),
    TEST_ENTRY(alloc_loops),
    TEST_ENTRY(footprint),
};

TEST_MAIN(tests)
