/*
 * Text sessions (SMS, chat): every state against every event, the "once"
 * rules (opt-out confirmation, the notice after the end), raw input and
 * comment bounds, the window, several answers in one message, hosts with
 * fewer callbacks, failing callbacks, and an allocation-failure loop over a
 * whole text survey. Every cell of the state table also checks that the
 * session saves, restores and re-saves to the same bytes.
 */
#include "session/session.h"
#include "fail_alloc.h"
#include "registry.h"
#include "session_kit.h"

#include <stdint.h>

#define ID "post-call"
#define CID "C-000123456"
#define OPTED "opted_out:+48600100200:" CID
#define ALREADY_Q "already?" ID ":" CID

/* ---- helpers ------------------------------------------------------------ */

static csat_session *open_text(const csat_survey *sv, th *h, csat_host *vt, int32_t channel,
                               int already) {
  csat_contact c;
  csat_session *s = NULL;
  memset(h, 0, sizeof *h);
  kit_host(vt, h);
  h->already = already;
  kit_contact(&c, channel);
  if (csat_session_new(&s, sv, &c, vt, NULL) != CSAT_OK)
    exit(2);
  return s;
}

/* Run events at 1000, 2000, ... and clear the log. Every event must be OK. */
static void run(csat_session *s, th *h, const char *const *events) {
  int i;
  for (i = 0; events[i] != NULL; i++) {
    int rc = kit_event(s, events[i], 1000 * (i + 1));
    if (rc != CSAT_OK) {
      fprintf(stderr, "setup event %s: %d (%s)\n", events[i], rc, csat_session_errmsg(s));
      exit(2);
    }
  }
  h->log[0] = '\0';
}

static csat_answer answer(const csat_session *s, int32_t q) {
  csat_answer a;
  memset(&a, 0, sizeof a);
  a.struct_size = sizeof a;
  if (csat_result_answer(csat_session_result(s), q, &a) != CSAT_OK) {
    fprintf(stderr, "no answer %d\n", (int)q);
    exit(2);
  }
  return a;
}

/* The session saves, restores (no callback) and re-saves to the same bytes. */
static int roundtrips(const csat_session *s, const csat_survey *sv) {
  th h;
  csat_host vt;
  csat_session *r = NULL;
  unsigned char *b1, *b2;
  size_t l1 = 0, l2 = 0;
  int ok;
  memset(&h, 0, sizeof h);
  kit_host(&vt, &h);
  b1 = kit_save(s, &l1);
  if (csat_session_restore(&r, sv, b1, l1, &vt, NULL, NULL) != CSAT_OK) {
    free(b1);
    return 0;
  }
  b2 = kit_save(r, &l2);
  ok = l1 == l2 && memcmp(b1, b2, l1) == 0 && h.log[0] == '\0' &&
       csat_session_pending(r) == csat_session_pending(s) &&
       csat_session_outcome(r) == csat_session_outcome(s);
  free(b1);
  free(b2);
  csat_session_free(r);
  return ok;
}

/* ---- every state against every event ------------------------------------ */

typedef struct text_state {
  const char *name;
  int opts, already;
  const char *setup[8];
  const char *valid; /* a message that answers the current question */
} text_state;

static const text_state states[] = {
    {"new", KS_TEXT, 0, {NULL}, "5"},
    {"rating", KS_TEXT, 0, {"start", NULL}, "5"},
    {"yes/no", KS_TEXT, 0, {"start", "txt:4", "txt:7", NULL}, "yes"},
    {"comment", KS_TEXT, 0, {"start", "txt:4", "txt:7", "txt:no", NULL}, "ok"},
    {"completed", KS_TEXT, 0, {"start", "txt:4", "txt:7", "txt:no", "txt:fine", NULL}, "5"},
    {"opted out", KS_TEXT, 0, {"start", "txt:STOP", NULL}, "5"},
    {"expired", KS_TEXT, 0, {"start", "exp", NULL}, "5"},
    {"already answered", KS_TEXT, 1, {"start", NULL}, "5"},
    {"abandoned", KS_TEXT, 0, {"hang", NULL}, "5"},
    {"declined", KS_TEXT | KS_OPT_IN, 0, {"optin:0", "start", NULL}, "5"},
};

/* Columns: the state's valid answer, not understood, HELP, empty, STOP, a
 * late message, the window timer, repeat, hang-up. */
#define NCOL 9
static const char *const columns[NCOL] = {"valid",  "txt:what", "txt:HELP", "txt:", "txt:STOP",
                                          "late:5", "exp",      "rep",      "hang"};

typedef struct cell {
  int rc;
  const char *log;
} cell;

#define OPT_OUT_END "opt_out " OPTED " store:opted_out ended:opted_out"
#define OPT_OUT_AFTER "opt_out " OPTED
#define EXPIRE_REPLY "expired store:expired ended:expired"
#define EXPIRE_TIMER "store:expired ended:expired"
#define ST \
  { CSAT_ERR_STATE, "" }

static const cell expected[sizeof states / sizeof states[0]][NCOL] = {
    /* new */
    {ST, ST, ST, ST, ST, ST, ST, ST, {0, "store:abandoned ended:abandoned"}},
    /* rating (the first question: its message is the invitation) */
    {{0, "question@1"},
     {0, "invalid@0"},
     {0, "invitation"},
     {0, "invalid@0"},
     {0, OPT_OUT_END},
     {0, EXPIRE_REPLY},
     {0, EXPIRE_TIMER},
     {0, "invitation"},
     {0, "store:abandoned ended:abandoned"}},
    /* yes/no: 4 > 2 skips the voice comment's condition, then the note */
    {{0, "question@4"},
     {0, "invalid@2"},
     {0, "question@2"},
     {0, "invalid@2"},
     {0, OPT_OUT_END},
     {0, EXPIRE_REPLY},
     {0, EXPIRE_TIMER},
     {0, "question@2"},
     {0, "store:partial ended:partial"}},
    /* text comment: any text is the comment, empty skips it */
    {{0, "thanks store:completed ended:completed"},
     {0, "thanks store:completed ended:completed"},
     {0, "question@4"},
     {0, "thanks store:partial ended:partial"},
     {0, OPT_OUT_END},
     {0, EXPIRE_REPLY},
     {0, EXPIRE_TIMER},
     {0, "question@4"},
     {0, "store:partial ended:partial"}},
    /* completed: one notice; STOP still honoured */
    {{0, "already"},
     {0, "already"},
     {0, "already"},
     {0, "already"},
     {0, OPT_OUT_AFTER},
     {0, "already"},
     ST,
     ST,
     ST},
    /* opted out: nothing more */
    {{0, ""}, {0, ""}, {0, ""}, {0, ""}, {0, ""}, {0, ""}, ST, ST, ST},
    /* expired by the timer: the first reply gets EXPIRED */
    {{0, "expired"},
     {0, "expired"},
     {0, "expired"},
     {0, "expired"},
     {0, OPT_OUT_AFTER},
     {0, "expired"},
     ST,
     ST,
     ST},
    /* already answered (nothing was sent at start) */
    {{0, "already"},
     {0, "already"},
     {0, "already"},
     {0, "already"},
     {0, OPT_OUT_AFTER},
     {0, "already"},
     ST,
     ST,
     ST},
    /* abandoned before start: no notice, STOP honoured */
    {{0, ""}, {0, ""}, {0, ""}, {0, ""}, {0, OPT_OUT_AFTER}, {0, ""}, ST, ST, ST},
    /* declined (opt-in refused) */
    {{0, ""}, {0, ""}, {0, ""}, {0, ""}, {0, OPT_OUT_AFTER}, {0, ""}, ST, ST, ST},
};

TEST(state_table) {
  size_t i;
  int col, ch;
  for (ch = 0; ch < 2; ch++) {
    int32_t channel = ch == 0 ? CSAT_CHANNEL_SMS : CSAT_CHANNEL_CHAT;
    for (i = 0; i < sizeof states / sizeof states[0]; i++) {
      csat_survey *sv = kit_survey(ID, 1, states[i].opts);
      for (col = 0; col < NCOL; col++) {
        th h;
        csat_host vt;
        csat_session *s = open_text(sv, &h, &vt, channel, states[i].already);
        char ev[64];
        int rc;
        uint32_t pending_before;
        int32_t outcome_before;
        run(s, &h, states[i].setup);
        if (col == 0)
          snprintf(ev, sizeof ev, "txt:%s", states[i].valid);
        else
          snprintf(ev, sizeof ev, "%s", columns[col]);
        pending_before = csat_session_pending(s);
        outcome_before = csat_session_outcome(s);
        rc = kit_event(s, ev, 50000);
        if (rc != expected[i][col].rc || strcmp(h.log, expected[i][col].log) != 0) {
          check_failures++;
          fprintf(stderr, "state %s, event %s: rc %d log \"%s\", expected rc %d log \"%s\"\n",
                  states[i].name, ev, rc, h.log, expected[i][col].rc, expected[i][col].log);
        }
        check_count++;
        /* After the end a message never changes the outcome or the result. */
        if (outcome_before != CSAT_OUTCOME_NONE)
          CHECK_INT(csat_session_outcome(s), outcome_before);
        if (rc == CSAT_ERR_STATE)
          CHECK_INT(csat_session_pending(s), pending_before);
        CHECK(roundtrips(s, sv));
        /* Voice-only events: UNSUPPORTED in every state, nothing called. */
        h.log[0] = '\0';
        CHECK_INT(kit_event(s, "in:1", 60000), CSAT_ERR_UNSUPPORTED);
        CHECK_INT(kit_event(s, "noin", 60000), CSAT_ERR_UNSUPPORTED);
        CHECK_INT(kit_event(s, "rec:a.wav", 60000), CSAT_ERR_UNSUPPORTED);
        CHECK_STR(h.log, "");
        csat_session_free(s);
      }
      csat_survey_free(sv);
    }
  }
}

/* ---- a whole survey, answers and the "once" rules ------------------------ */

TEST(happy_path) {
  csat_survey *sv = kit_survey(ID, 1, KS_TEXT);
  th h;
  csat_host vt;
  csat_session *s = open_text(sv, &h, &vt, CSAT_CHANNEL_SMS, 0);
  csat_answer a;
  CHECK_INT(kit_event(s, "start", 1000), CSAT_OK);
  CHECK_LOG(&h, ALREADY_Q " invitation"); /* no intro on text */
  CHECK_INT(kit_event(s, "txt:2 - slow", 2000), CSAT_OK);
  CHECK_LOG(&h, "question@1");
  CHECK_INT(kit_event(s, "txt:10", 3000), CSAT_OK);
  CHECK_LOG(&h, "question@2");
  /* csat 2 makes the voice comment's condition hold: not applicable on text */
  CHECK_INT(kit_event(s, "txt:yes", 4000), CSAT_OK);
  CHECK_LOG(&h, "question@4");
  CHECK_INT(kit_event(s, "txt:  All good now.  ", 5000), CSAT_OK);
  /* flagged: the task; escalation (enabled in no kit text survey) never */
  CHECK_LOG(&h, "thanks store:completed task ended:completed");
  a = answer(s, 0);
  CHECK_INT(a.score, 2);
  CHECK_INT(a.flagged, 1);
  CHECK_STR(a.comment, "slow");
  CHECK_STR(a.raw, "2 - slow");
  CHECK(a.answered_ms == 2000);
  a = answer(s, 1);
  CHECK_INT(a.score, 10);
  CHECK_STR(a.comment, "");
  a = answer(s, 2);
  CHECK_INT(a.score, 1);
  CHECK_STR(a.raw, "yes");
  a = answer(s, 3);
  CHECK_INT(a.status, CSAT_ANSWER_NOT_APPLICABLE);
  a = answer(s, 4);
  CHECK_INT(a.status, CSAT_ANSWER_ANSWERED);
  CHECK_INT(a.score, -1);
  CHECK_STR(a.comment, "All good now.");
  CHECK_STR(a.raw, "");
  CHECK_INT(csat_session_outcome(s), CSAT_OUTCOME_COMPLETED);
  /* ALREADY_ANSWERED once, then silence (an autoresponder cannot ping-pong) */
  CHECK_INT(kit_event(s, "txt:Thanks!", 6000), CSAT_OK);
  CHECK_LOG(&h, "already");
  CHECK_INT(kit_event(s, "txt:Thanks!", 7000), CSAT_OK);
  CHECK_INT(kit_event(s, "late:5", 8000), CSAT_OK);
  CHECK_INT(kit_event(s, "txt:HELP", 9000), CSAT_OK);
  CHECK_LOG(&h, "");
  /* an opt-out after the end: honoured once, the result unchanged */
  CHECK_INT(kit_event(s, "txt:stop", 10000), CSAT_OK);
  CHECK_LOG(&h, OPT_OUT_AFTER);
  CHECK_INT(kit_event(s, "txt:STOP", 11000), CSAT_OK);
  CHECK_INT(kit_event(s, "txt:5", 12000), CSAT_OK);
  CHECK_LOG(&h, "");
  CHECK_INT(csat_session_outcome(s), CSAT_OUTCOME_COMPLETED);
  CHECK(roundtrips(s, sv));
  csat_session_free(s);
  csat_survey_free(sv);
}

TEST(opt_out) {
  csat_survey *sv = kit_survey(ID, 1, KS_TEXT);
  th h;
  csat_host vt;
  csat_session *s = open_text(sv, &h, &vt, CSAT_CHANNEL_CHAT, 0);
  csat_answer a;
  /* The opt-out keeps answers given, and the question being asked keeps its
   * attempts; the STOP itself is stored nowhere. */
  run(s, &h, (const char *const[]){"start", "txt:1", "txt:what", NULL});
  a = answer(s, 1);
  CHECK_INT(a.attempts, 1);
  CHECK_STR(a.raw, "what");
  h.fail[CB_OPTED_OUT] = 1;
  CHECK_INT(kit_event(s, "txt:STOP", 5000), CSAT_ERR_CALLBACK);
  CHECK_LOG(&h, "opt_out " OPTED " ! store:opted_out task ended:opted_out");
  CHECK_INT(csat_session_pending(s), CSAT_PENDING_OPT_OUT);
  a = answer(s, 0);
  CHECK_INT(a.score, 1);
  a = answer(s, 1);
  CHECK_INT(a.status, CSAT_ANSWER_NOT_ASKED);
  CHECK_INT(a.attempts, 1);
  CHECK_STR(a.raw, "what");
  CHECK_STR(a.comment, "");
  CHECK(roundtrips(s, sv));
  /* a second STOP neither confirms again nor retries: flush does */
  CHECK_INT(kit_event(s, "txt:STOP", 6000), CSAT_OK);
  CHECK_LOG(&h, "");
  CHECK_INT(csat_session_pending(s), CSAT_PENDING_OPT_OUT);
  h.fail[CB_OPTED_OUT] = 1;
  CHECK_INT(kit_event(s, "flush", 7000), CSAT_ERR_CALLBACK);
  CHECK_LOG(&h, OPTED " !");
  CHECK_INT(kit_event(s, "flush", 8000), CSAT_OK);
  CHECK_LOG(&h, OPTED);
  CHECK_INT(csat_session_pending(s), 0);
  CHECK_INT(kit_event(s, "flush", 9000), CSAT_OK);
  CHECK_INT(kit_event(s, "txt:5", 9000), CSAT_OK);
  CHECK_LOG(&h, "");
  csat_session_free(s);

  /* The opt-out confirmation fails to send: the rest still happens. */
  s = open_text(sv, &h, &vt, CSAT_CHANNEL_SMS, 0);
  run(s, &h, (const char *const[]){"start", NULL});
  h.fail[CB_PLAY] = 1;
  h.fail[CB_STORE] = 1;
  CHECK_INT(kit_event(s, "txt:UNSUBSCRIBE", 2000), CSAT_ERR_CALLBACK);
  CHECK_LOG(&h, "opt_out ! " OPTED " store:opted_out ! ended:opted_out");
  CHECK_INT(csat_session_pending(s), CSAT_PENDING_STORE);
  CHECK_INT(kit_event(s, "flush", 3000), CSAT_OK);
  CHECK_LOG(&h, "store:opted_out");
  csat_session_free(s);

  /* A host built before opted_out existed: the opt-out still ends it. */
  s = NULL;
  {
    csat_contact c;
    memset(&h, 0, sizeof h);
    kit_host(&vt, &h);
    vt.struct_size = offsetof(csat_host, opted_out);
    kit_contact(&c, CSAT_CHANNEL_SMS);
    CHECK_INT(csat_session_new(&s, sv, &c, &vt, NULL), CSAT_OK);
  }
  run(s, &h, (const char *const[]){"start", NULL});
  CHECK_INT(kit_event(s, "txt:STOP", 2000), CSAT_OK);
  CHECK_LOG(&h, "opt_out store:opted_out ended:opted_out");
  CHECK_INT(csat_session_pending(s), 0);
  csat_session_free(s);
  csat_survey_free(sv);
}

/* ---- prompts: fallbacks and what text never sends ----------------------- */

static csat_survey *small_survey(int invitation_audio_only, int with_invalid) {
  csat_survey_builder *b = NULL;
  csat_survey *s = NULL;
  if (csat_survey_builder_new(&b, "small", 1, NULL) != CSAT_OK)
    exit(2);
  KB(csat_survey_builder_add_question(b, "v", CSAT_Q_VOICE_COMMENT, 0, 0, NULL));
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, 0, NULL, "Speak", "speak.wav"));
  KB(csat_survey_builder_add_question(b, "r", CSAT_Q_RATING, 1, 3, NULL));
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, 1, NULL, "Rate 1-3", NULL));
  KB(csat_survey_builder_set_attempts(b, 1, 2, CSAT_EXHAUSTED_SKIP));
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INTRO, -1, NULL, "Intro", NULL));
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_NO_INPUT, -1, NULL, "Silence", NULL));
  if (invitation_audio_only)
    KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INVITATION, -1, NULL, NULL, "inv.wav"));
  if (with_invalid)
    KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INVALID_INPUT, -1, NULL, "Bad", NULL));
  /* audio only: never sent on text */
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_MAX_ATTEMPTS, -1, NULL, NULL, "max.wav"));
  KB(csat_survey_builder_set_prompt(b, CSAT_PROMPT_THANKS, -1, "en", "Thx", "thx.wav"));
  if (csat_survey_builder_finish(b, &s, NULL) != CSAT_OK)
    exit(2);
  return s;
}

TEST(prompts) {
  csat_survey *sv = small_survey(1, 0);
  th h;
  csat_host vt;
  csat_session *s = open_text(sv, &h, &vt, CSAT_CHANNEL_SMS, 0);
  /* The voice comment does not apply; the invitation has no text: the first
   * question asked is sent as its QUESTION. No intro. */
  CHECK_INT(kit_event(s, "start", 1000), CSAT_OK);
  CHECK_LOG(&h, "already?small:" CID " question@1");
  /* Without INVALID_INPUT the question is sent again. */
  CHECK_INT(kit_event(s, "txt:4", 2000), CSAT_OK);
  CHECK_LOG(&h, "question@1");
  /* MAX_ATTEMPTS has no text: not sent; skip; THANKS (text and audio) */
  CHECK_INT(kit_event(s, "txt:", 3000), CSAT_OK);
  CHECK_LOG(&h, "thanks store:attempts_exhausted ended:attempts_exhausted");
  CHECK_INT(answer(s, 0).status, CSAT_ANSWER_NOT_APPLICABLE);
  CHECK_INT(answer(s, 1).status, CSAT_ANSWER_INVALID);
  CHECK_INT(answer(s, 1).attempts, 2);
  CHECK_STR(answer(s, 1).raw, "");
  csat_session_free(s);
  csat_survey_free(sv);

  /* With INVALID_INPUT it is sent alone. */
  sv = small_survey(0, 1);
  s = open_text(sv, &h, &vt, CSAT_CHANNEL_CHAT, 0);
  run(s, &h, (const char *const[]){"start", NULL});
  CHECK_INT(kit_event(s, "txt:0", 2000), CSAT_OK);
  CHECK_LOG(&h, "invalid@1");
  CHECK_INT(kit_event(s, "txt:3", 3000), CSAT_OK);
  CHECK_LOG(&h, "thanks store:completed ended:completed");
  csat_session_free(s);
  csat_survey_free(sv);
}

/* ---- bounds: raw input, comments, message size, the window --------------- */

TEST(bounds) {
  csat_survey *sv = kit_survey(ID, 1, KS_TEXT);
  th h;
  csat_host vt;
  csat_session *s = open_text(sv, &h, &vt, CSAT_CHANNEL_SMS, 0);
  char *big;
  size_t i;
  csat_answer a;

  run(s, &h, (const char *const[]){"start", NULL});
  /* 31 ASCII bytes then a 2-byte letter across byte 32: raw keeps 31 */
  CHECK_INT(kit_event(s, "txt:abcdefghijklmnopqrstuvwxyz01234\xC5\xBC", 2000), CSAT_OK);
  CHECK_LOG(&h, "invalid@0");
  CHECK_STR(answer(s, 0).raw, "abcdefghijklmnopqrstuvwxyz01234");
  CHECK_INT(kit_event(s,
                      "txt:\xC5\xBC\xC5\xBC\xC5\xBC\xC5\xBC\xC5\xBC\xC5\xBC\xC5\xBC\xC5\xBC"
                      "\xC5\xBC\xC5\xBC\xC5\xBC\xC5\xBC\xC5\xBC\xC5\xBC\xC5\xBC\xC5\xBC"
                      "\xC5\xBC",
                      2500),
            CSAT_OK); /* 34 bytes of ż: 16 whole letters */
  CHECK_LOG(&h, "invalid@0");
  CHECK_INT(strlen(answer(s, 0).raw), 32);

  /* argument errors change nothing */
  CHECK_INT(csat_session_text(NULL, "5", 1, 3000), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_session_text(s, NULL, 1, 3000), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_session_text(s, "5\0", 2, 3000), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_session_text(s, "\xC5", 1, 3000), CSAT_ERR_UTF8);
  CHECK_INT(csat_session_text(s, "\xED\xA0\x80", 3, 3000), CSAT_ERR_UTF8); /* a surrogate */
  big = malloc(CSAT_TEXT_MAX + 1);
  if (big == NULL)
    exit(2);
  CHECK_INT(csat_session_text(s, big, (size_t)CSAT_TEXT_MAX + 1, 3000), CSAT_ERR_LIMIT);
  CHECK_LOG(&h, "");
  CHECK_INT(answer(s, 0).attempts, 2);
  /* NULL with length 0 is an empty message: not understood (the last attempt) */
  CHECK_INT(csat_session_text(s, NULL, 0, 3000), CSAT_OK);
  CHECK_LOG(&h, "max@0 question@1");
  CHECK_INT(answer(s, 0).status, CSAT_ANSWER_INVALID);
  CHECK_STR(answer(s, 0).raw, "");

  /* A comment of exactly CSAT_TEXT_MAX bytes of 2-byte letters: kept to 4096
   * letters; and the blob carries it. */
  run(s, &h, (const char *const[]){"txt:7", "txt:no", NULL});
  for (i = 0; i + 1 < CSAT_TEXT_MAX; i += 2) {
    big[i] = '\xC3';
    big[i + 1] = '\xA9'; /* é */
  }
  CHECK_INT(csat_session_text(s, big, CSAT_TEXT_MAX, 4000), CSAT_OK);
  CHECK_LOG(&h, "thanks store:partial ended:partial");
  a = answer(s, 4);
  CHECK_INT(strlen(a.comment), 2 * 4096);
  CHECK_INT(csat__utf8_count(a.comment, strlen(a.comment)), 4096);
  CHECK(roundtrips(s, sv));
  csat_session_free(s);

  /* A score with a very long comment: the same bound. */
  s = open_text(sv, &h, &vt, CSAT_CHANNEL_SMS, 0);
  run(s, &h, (const char *const[]){"start", NULL});
  big[0] = '4';
  big[1] = ' ';
  CHECK_INT(csat_session_text(s, big, CSAT_TEXT_MAX, 4000), CSAT_OK);
  a = answer(s, 0);
  CHECK_INT(a.score, 4);
  CHECK_INT(csat__utf8_count(a.comment, strlen(a.comment)), 4096);
  CHECK_INT(strlen(a.raw), 32);
  CHECK(roundtrips(s, sv));
  csat_session_free(s);
  free(big);

  /* The window: exactly at its end still in time, a millisecond later not. */
  s = open_text(sv, &h, &vt, CSAT_CHANNEL_SMS, 0);
  CHECK_INT(kit_event(s, "start", 1000), CSAT_OK);
  CHECK_INT(kit_event(s, "txt:5", 61000), CSAT_OK);
  CHECK_INT(kit_event(s, "txt:9", 61001), CSAT_OK);
  CHECK_LOG(&h, ALREADY_Q " invitation question@1 expired store:expired ended:expired");
  CHECK_INT(answer(s, 0).score, 5);
  CHECK_INT(answer(s, 1).status, CSAT_ANSWER_NOT_ASKED);
  CHECK_STR(answer(s, 1).raw, "");
  CHECK_INT(kit_event(s, "txt:9", 62000), CSAT_OK);
  CHECK_LOG(&h, "");
  csat_session_free(s);

  /* A window ending beyond the clock's range never passes. */
  s = open_text(sv, &h, &vt, CSAT_CHANNEL_SMS, 0);
  CHECK_INT(csat_session_start(s, INT64_MAX - 10), CSAT_OK);
  CHECK_INT(csat_session_text(s, "5", 1, INT64_MAX), CSAT_OK);
  CHECK_LOG(&h, ALREADY_Q " invitation question@1");
  CHECK(roundtrips(s, sv));
  csat_session_free(s);
  csat_survey_free(sv);
}

/* ---- channels ------------------------------------------------------------ */

TEST(channels) {
  csat_survey *sv = kit_survey(ID, 1, KS_TEXT);
  th h;
  csat_host vt;
  csat_session *s = open_text(sv, &h, &vt, CSAT_CHANNEL_VOICE, 0);
  run(s, &h, (const char *const[]){"start", NULL});
  CHECK_INT(kit_event(s, "txt:5", 2000), CSAT_ERR_UNSUPPORTED);
  CHECK_INT(kit_event(s, "exp", 2000), CSAT_ERR_UNSUPPORTED);
  CHECK_INT(csat_session_expire(NULL, 1), CSAT_ERR_INVALID_ARG);
  CHECK_LOG(&h, "");
  /* voice never sends the text prompts */
  CHECK_INT(kit_event(s, "in:5", 3000), CSAT_OK);
  CHECK_LOG(&h, "question@1 collect@1:1-2");
  csat_session_free(s);

  /* The play failing on text: the event is applied, CALLBACK. */
  s = open_text(sv, &h, &vt, CSAT_CHANNEL_CHAT, 0);
  h.fail[CB_PLAY] = 1;
  CHECK_INT(kit_event(s, "start", 1000), CSAT_ERR_CALLBACK);
  CHECK_LOG(&h, ALREADY_Q " invitation !");
  CHECK_INT(kit_event(s, "rep", 1500), CSAT_OK);
  CHECK_LOG(&h, "invitation");
  CHECK_INT(kit_event(s, "txt:3", 2000), CSAT_OK);
  CHECK_LOG(&h, "question@1");
  csat_session_free(s);

  /* opt-in mode: the offer is a voice menu; the host records the answer */
  csat_survey_free(sv);
  sv = kit_survey(ID, 1, KS_TEXT | KS_OPT_IN);
  s = open_text(sv, &h, &vt, CSAT_CHANNEL_SMS, 0);
  CHECK_INT(kit_event(s, "offer", 500), CSAT_ERR_UNSUPPORTED);
  CHECK_INT(kit_event(s, "optin:1", 600), CSAT_OK);
  CHECK_INT(kit_event(s, "start", 1000), CSAT_OK);
  CHECK_LOG(&h, ALREADY_Q " invitation");
  csat_session_free(s);
  csat_survey_free(sv);
}

/* ---- several answers in one message --------------------------------------- */

TEST(multiple) {
  csat_survey *sv = kit_survey(ID, 1, KS_MULTI);
  th h;
  csat_host vt;
  csat_session *s = open_text(sv, &h, &vt, CSAT_CHANNEL_SMS, 0);
  csat_answer a;
  /* csat 1 opens the voice comment (not applicable on text): the third
   * answer is resolved, and the note is asked next. */
  run(s, &h, (const char *const[]){"start", NULL});
  CHECK_INT(kit_event(s, "txt:1 2 yes", 2000), CSAT_OK);
  CHECK_LOG(&h, "question@4");
  CHECK_INT(answer(s, 0).score, 1);
  CHECK_INT(answer(s, 1).score, 2);
  CHECK_INT(answer(s, 2).score, 1);
  CHECK_STR(answer(s, 2).raw, "1 2 yes");
  CHECK_INT(answer(s, 3).status, CSAT_ANSWER_NOT_APPLICABLE);
  CHECK(roundtrips(s, sv));
  /* on the text comment "5 6" is the comment */
  CHECK_INT(kit_event(s, "txt:5 6", 3000), CSAT_OK);
  CHECK_LOG(&h, "thanks store:completed task ended:completed");
  CHECK_STR(answer(s, 4).comment, "5 6");
  csat_session_free(s);

  /* every question in one message, the note taking the rest */
  s = open_text(sv, &h, &vt, CSAT_CHANNEL_CHAT, 0);
  run(s, &h, (const char *const[]){"start", NULL});
  CHECK_INT(kit_event(s, "txt:5 8 no - still broken", 2000), CSAT_OK);
  CHECK_LOG(&h, "thanks store:completed ended:completed");
  a = answer(s, 4);
  CHECK_INT(a.status, CSAT_ANSWER_ANSWERED);
  CHECK_STR(a.comment, "still broken");
  CHECK_STR(answer(s, 2).comment, "");
  CHECK_INT(answer(s, 3).status, CSAT_ANSWER_CONDITION);
  CHECK_INT(answer(s, 2).score, 0);
  csat_session_free(s);

  /* fewer answers than questions: only the next open question is sent; a
   * text comment takes the rest of a later message */
  s = open_text(sv, &h, &vt, CSAT_CHANNEL_SMS, 0);
  run(s, &h, (const char *const[]){"start", NULL});
  CHECK_INT(kit_event(s, "txt:4 4", 2000), CSAT_OK);
  CHECK_LOG(&h, "question@2");
  CHECK_INT(kit_event(s, "txt:yes 5", 3000), CSAT_OK);
  CHECK_LOG(&h, "thanks store:completed ended:completed");
  CHECK_INT(answer(s, 2).score, 1);
  CHECK_INT(answer(s, 3).status, CSAT_ANSWER_CONDITION);
  CHECK_STR(answer(s, 4).comment, "5");
  csat_session_free(s);

  /* without the setting several numbers are not understood */
  csat_survey_free(sv);
  sv = kit_survey(ID, 1, KS_TEXT);
  s = open_text(sv, &h, &vt, CSAT_CHANNEL_SMS, 0);
  run(s, &h, (const char *const[]){"start", NULL});
  CHECK_INT(kit_event(s, "txt:5 4 5", 2000), CSAT_OK);
  CHECK_LOG(&h, "invalid@0");
  CHECK_INT(answer(s, 0).status, CSAT_ANSWER_NOT_ASKED);
  CHECK_INT(answer(s, 0).attempts, 1);
  csat_session_free(s);
  csat_survey_free(sv);
}

/* ---- out of memory -------------------------------------------------------- */

/* A whole text survey with a failing allocation at every point, once and from
 * then on: every event returns OK or NOMEM; NOMEM before the change leaves
 * the session byte-identical (the event is fed again), NOMEM after it (the
 * task) keeps the task pending (flushed later). The result is the same as
 * without failures and nothing leaks. */
TEST(nomem) {
  static const char *const script[] = {
      "start",           "txt:2 - slow and rude",   "txt:HELP",   "txt:what", "txt:10 great",
      "txt:no, not yet", "txt:Please call me back", "txt:thanks", "txt:STOP", NULL};
  csat_survey *sv = kit_survey(ID, 1, KS_TEXT);
  unsigned char *ref;
  size_t ref_len = 0;
  long k, points = 0, after = 0;
  int persistent, e;
  /* the reference run */
  {
    th h;
    csat_host vt;
    csat_session *s = open_text(sv, &h, &vt, CSAT_CHANNEL_SMS, 0);
    for (e = 0; script[e] != NULL; e++)
      CHECK_INT(kit_event(s, script[e], 1000 * (e + 1)), CSAT_OK);
    CHECK_INT(csat_session_outcome(s), CSAT_OUTCOME_COMPLETED);
    ref = kit_save(s, &ref_len);
    csat_session_free(s);
  }
  for (persistent = 0; persistent <= 1; persistent++) {
    for (k = 1; k < 200; k++) {
      fail_alloc t;
      csat_allocator a = fail_alloc_init(&t, 0, 0);
      csat_contact c;
      csat_host vt;
      th h;
      csat_session *s = NULL;
      int failed = 0;
      memset(&h, 0, sizeof h);
      kit_host(&vt, &h);
      kit_contact(&c, CSAT_CHANNEL_SMS);
      CHECK_INT(csat_session_new(&s, sv, &c, &vt, &a), CSAT_OK); /* creation: test_session */
      if (s == NULL)
        break;
      t.fail_at = t.calls + k;
      t.persistent = persistent;
      for (e = 0; script[e] != NULL; e++) {
        size_t l1 = 0, l2 = 0;
        unsigned char *before = kit_save(s, &l1), *now;
        int rc = kit_event(s, script[e], 1000 * (e + 1));
        if (rc == CSAT_ERR_NOMEM) {
          failed = 1;
          t.fail_at = 0; /* the allocator recovers */
          now = kit_save(s, &l2);
          if (csat_session_pending(s) & CSAT_PENDING_TASK) {
            after++;
            CHECK_INT(kit_event(s, "flush", 1000 * (e + 1)), CSAT_OK);
          } else {
            points++;
            CHECK(l1 == l2 && memcmp(before, now, l1) == 0);
            CHECK_INT(kit_event(s, script[e], 1000 * (e + 1)), CSAT_OK);
          }
          free(now);
        } else {
          CHECK_INT(rc, CSAT_OK);
        }
        free(before);
      }
      {
        size_t len = 0;
        unsigned char *b = kit_save(s, &len);
        CHECK(len == ref_len && memcmp(b, ref, len) == 0);
        free(b);
      }
      csat_session_free(s);
      CHECK_INT(t.live, 0);
      if (!failed)
        break; /* every allocation point was reached */
    }
  }
  /* comments copied before the change (4 of them), the task after it */
  CHECK(points >= 4);
  CHECK(after >= 1);
  printf("text session out of memory: %ld points before the change, %ld after\n", points, after);
  free(ref);
  csat_survey_free(sv);
}

/* The blob of a text session, for the record. */
TEST(blob_size) {
  csat_survey *sv = kit_survey(ID, 1, KS_TEXT);
  th h;
  csat_host vt;
  csat_session *s = open_text(sv, &h, &vt, CSAT_CHANNEL_SMS, 0);
  size_t len = 0;
  unsigned char *b;
  run(s, &h, (const char *const[]){"start", "txt:4. Operator was polite", NULL});
  b = kit_save(s, &len);
  printf("blob, five-question SMS session after one answer with a comment: %d bytes\n", (int)len);
  CHECK(len < 400);
  free(b);
  csat_session_free(s);
  csat_survey_free(sv);
}

static const test_case tests[] = {
    TEST_ENTRY(state_table), TEST_ENTRY(happy_path), TEST_ENTRY(opt_out),
    TEST_ENTRY(prompts),     TEST_ENTRY(bounds),     TEST_ENTRY(channels),
    TEST_ENTRY(multiple),    TEST_ENTRY(nomem),      TEST_ENTRY(blob_size),
};

TEST_MAIN(tests)
