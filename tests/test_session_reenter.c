/*
 * Callbacks must not re-enter their session (issue 13, item 9). Every
 * public session call, made from inside every kind of host callback, voice
 * and text, returns CSAT_ERR_STATE with a message naming the call and the
 * callback, and changes nothing: each scenario runs once plainly and once
 * with every call tried inside every callback, and the two runs must give
 * the same return codes, the same callbacks in the same order and the same
 * saved session, byte for byte.
 * SPDX-License-Identifier: MIT
 */
#include "registry.h"
#include "session_kit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The library's names of the callbacks, indexed by CB_*. */
static const char *const lib_cb_names[CB_COUNT] = {
    "play",  "collect",     "record",           "transfer", "schedule_callback",
    "store", "create_task", "already_surveyed", "ended",    "opted_out"};

/* ---- the calls a callback may try --------------------------------------- */

typedef int (*reenter_fn)(csat_session *s, int64_t now);

static int r_offer(csat_session *s, int64_t now) { return csat_session_offer(s, now); }
static int r_opt_in(csat_session *s, int64_t now) { return csat_session_opt_in(s, 1, now); }
static int r_start(csat_session *s, int64_t now) { return csat_session_start(s, now); }
static int r_input(csat_session *s, int64_t now) { return csat_session_input(s, "1", 1, now); }
static int r_no_input(csat_session *s, int64_t now) { return csat_session_no_input(s, now); }
static int r_recorded(csat_session *s, int64_t now) {
  return csat_session_recorded(s, "rec.wav", 7, now);
}
static int r_repeat(csat_session *s, int64_t now) { return csat_session_repeat(s, now); }
static int r_hangup(csat_session *s, int64_t now) { return csat_session_hangup(s, now); }
static int r_flush(csat_session *s, int64_t now) { return csat_session_flush(s, now); }
static int r_text(csat_session *s, int64_t now) { return csat_session_text(s, "1", 1, now); }
static int r_stop(csat_session *s, int64_t now) { return csat_session_text(s, "STOP", 4, now); }
static int r_expire(csat_session *s, int64_t now) { return csat_session_expire(s, now); }
static int r_save(csat_session *s, int64_t now) {
  unsigned char buf[4096];
  size_t needed = 0;
  (void)now;
  return csat_session_save(s, buf, sizeof buf, &needed);
}

static const struct {
  const char *name; /* as the message names it; NULL: a reader, no message */
  reenter_fn fn;
} calls[] = {{"csat_session_offer", r_offer},
             {"csat_session_opt_in", r_opt_in},
             {"csat_session_start", r_start},
             {"csat_session_input", r_input},
             {"csat_session_no_input", r_no_input},
             {"csat_session_recorded", r_recorded},
             {"csat_session_repeat", r_repeat},
             {"csat_session_hangup", r_hangup},
             {"csat_session_flush", r_flush},
             {"csat_session_text", r_text},
             {"csat_session_text", r_stop},
             {"csat_session_expire", r_expire},
             {NULL, r_save}};
#define NCALLS (sizeof calls / sizeof calls[0])

/* ---- the host ------------------------------------------------------------ */

typedef struct run {
  csat_session *s;
  int reenter; /* try every call inside every callback */
  int depth;   /* only the outermost callback tries (today's code recursed) */
  char seq[2048];
  int seen[CB_COUNT];
} run;

typedef struct snapshot {
  uint32_t pending;
  int32_t ended, outcome, answers;
  char errmsg[256];
} snapshot;

static void snap(const csat_session *s, snapshot *o) {
  memset(o, 0, sizeof *o);
  o->pending = csat_session_pending(s);
  o->ended = csat_session_ended(s);
  o->outcome = csat_session_outcome(s);
  o->answers = csat_result_answer_count(csat_session_result(s));
  snprintf(o->errmsg, sizeof o->errmsg, "%s", csat_session_errmsg(s));
}

static int on_call(th *h, int cb, const th_call *call, int rc) {
  run *r = h->ctx;
  size_t i, n = strlen(r->seq);
  (void)call;
  snprintf(r->seq + n, sizeof r->seq - n, "%s%s", n ? " " : "", lib_cb_names[cb]);
  r->seen[cb]++;
  if (!r->reenter || r->depth > 0)
    return rc;
  r->depth++;
  for (i = 0; i < NCALLS; i++) {
    snapshot before, after;
    char want[160];
    int got;
    snap(r->s, &before);
    got = calls[i].fn(r->s, 1717172000000);
    snap(r->s, &after);
    if (got != CSAT_ERR_STATE)
      fprintf(stderr, "  %s inside %s\n", calls[i].name ? calls[i].name : "save", lib_cb_names[cb]);
    CHECK_INT(got, CSAT_ERR_STATE);
    CHECK_INT(after.pending, before.pending);
    CHECK_INT(after.ended, before.ended);
    CHECK_INT(after.outcome, before.outcome);
    CHECK_INT(after.answers, before.answers);
    if (calls[i].name != NULL) {
      snprintf(want, sizeof want,
               "%s called from inside the %s callback: callbacks must not re-enter their session",
               calls[i].name, lib_cb_names[cb]);
      CHECK_STR(after.errmsg, want);
    } else {
      CHECK_STR(after.errmsg, before.errmsg); /* save is a reader */
    }
  }
  r->depth--;
  return rc;
}

/* ---- scenarios ------------------------------------------------------------ */

typedef struct scenario {
  const char *name;
  int opts;        /* kit_survey options */
  int32_t channel; /* CSAT_CHANNEL_* */
  int already;     /* what already_surveyed answers */
  int fail_store;  /* the first store fails (a later flush retries) */
  const char *events[10];
} scenario;

static const scenario scenarios[] = {
    {"voice_opt_in_transfer",
     KS_OPT_IN | KS_ESCALATION,
     CSAT_CHANNEL_VOICE,
     0,
     0,
     {"offer", "in:1", "start", "rep", "in:1", "in:9", "in:1", "rec:r.wav", "in:1", NULL}},
    {"voice_callback_flush",
     KS_ESCALATION,
     CSAT_CHANNEL_VOICE,
     0,
     1,
     {"start", "in:1", "noin", "in:9", "in:1", "rec:r.wav", "in:2", "flush", NULL}},
    {"voice_hangup", 0, CSAT_CHANNEL_VOICE, 0, 0, {"start", "in:5", "hang", NULL}},
    {"voice_already_answered", 0, CSAT_CHANNEL_VOICE, 1, 0, {"start", NULL}},
    {"text_answers",
     KS_TEXT,
     CSAT_CHANNEL_SMS,
     0,
     1,
     {"start", "txt:1", "txt:9", "txt:yes", "txt:slow and rude", "flush", NULL}},
    {"text_opt_out", KS_TEXT, CSAT_CHANNEL_SMS, 0, 0, {"start", "txt:5", "txt:STOP", NULL}},
    {"text_expire", KS_TEXT, CSAT_CHANNEL_SMS, 0, 0, {"start", "txt:2", "exp", NULL}},
};
#define NSCENARIOS (sizeof scenarios / sizeof scenarios[0])

typedef struct outcome_log {
  int rcs[10];
  char seq[2048];
  unsigned char *blob;
  size_t len;
  int seen[CB_COUNT];
} outcome_log;

static void play_scenario(const scenario *sc, int reenter, outcome_log *out) {
  csat_survey *sv = kit_survey("reenter", 1, sc->opts);
  csat_contact c;
  csat_host vt;
  th h;
  run r;
  int i;
  memset(&h, 0, sizeof h);
  memset(&r, 0, sizeof r);
  memset(out, 0, sizeof *out);
  kit_host(&vt, &h);
  kit_contact(&c, sc->channel);
  h.already = sc->already;
  h.fail[CB_STORE] = sc->fail_store;
  h.on_call = on_call;
  h.ctx = &r;
  r.reenter = reenter;
  CHECK_INT(csat_session_new(&r.s, sv, &c, &vt, NULL), CSAT_OK);
  if (r.s == NULL) {
    csat_survey_free(sv);
    return;
  }
  for (i = 0; sc->events[i] != NULL; i++)
    out->rcs[i] = kit_event(r.s, sc->events[i], 1717171960000 + i * 1000);
  memcpy(out->seq, r.seq, sizeof out->seq);
  memcpy(out->seen, r.seen, sizeof out->seen);
  out->blob = kit_save(r.s, &out->len);
  csat_session_free(r.s);
  csat_survey_free(sv);
}

TEST(every_call_from_every_callback) {
  int covered[CB_COUNT] = {0};
  size_t k;
  int i;
  for (k = 0; k < NSCENARIOS; k++) {
    const scenario *sc = &scenarios[k];
    outcome_log plain, tried;
    int failed_before = check_failures;
    play_scenario(sc, 0, &plain);
    play_scenario(sc, 1, &tried);
    for (i = 0; sc->events[i] != NULL; i++)
      CHECK_INT(tried.rcs[i], plain.rcs[i]);
    CHECK_STR(tried.seq, plain.seq);
    CHECK_INT(tried.len, plain.len);
    CHECK(tried.blob != NULL && plain.blob != NULL && tried.len == plain.len &&
          memcmp(tried.blob, plain.blob, plain.len) == 0);
    for (i = 0; i < CB_COUNT; i++)
      covered[i] += plain.seen[i];
    if (check_failures != failed_before)
      fprintf(stderr, "  in scenario %s (callbacks: %s)\n", sc->name, plain.seq);
    free(plain.blob);
    free(tried.blob);
  }
  /* Every kind of callback was the one re-entered at least once. */
  for (i = 0; i < CB_COUNT; i++) {
    if (covered[i] == 0)
      fprintf(stderr, "  no scenario calls %s\n", lib_cb_names[i]);
    CHECK(covered[i] > 0);
  }
}

static const test_case tests[] = {TEST_ENTRY(every_call_from_every_callback)};

TEST_MAIN(tests)
