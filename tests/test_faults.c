/*
 * Fault loops, SQLite style: a representative call is run again and again
 * while the allocator fails at the k-th allocation (once, then persistently,
 * for every k until the scenario no longer reaches the failure), and while
 * each host callback fails at its n-th call. Each run must end without a
 * crash, without a leak, with documented error codes only, and with nothing
 * lost: the result stored exactly once and the task created exactly once
 * after the host retries.
 */
#include "fail_alloc.h"
#include "registry.h"
#include "session_kit.h"

#include <csat.h>

#include <stdlib.h>
#include <string.h>

/* A survey with a flag, a follow-up voice comment and an escalation: every
 * kind of work the library does in one call. */
static const char survey_json[] =
    "{\"id\":\"faults\",\"version\":2,\"name\":\"Fault loop survey\",\"default_language\":\"en\","
    "\"prompts\":{\"intro\":{\"en\":\"Welcome\"},\"outro\":{\"en\":\"Bye\"},"
    "\"invalid_input\":{\"en\":\"Invalid\"},\"no_input\":{\"en\":\"Nothing heard\"},"
    "\"escalation\":{\"en\":\"Sorry. 1 supervisor, 2 callback\"}},"
    "\"questions\":["
    "{\"id\":\"sat\",\"type\":\"rating\",\"min\":1,\"max\":5,"
    "\"prompts\":{\"question\":{\"en\":\"Rate us 1 to 5\"}},"
    "\"flag\":{\"enabled\":true,\"threshold\":2}},"
    "{\"id\":\"why\",\"type\":\"voice_comment\","
    "\"prompts\":{\"question\":{\"en\":\"Tell us "
    "why\"}},\"ask_if\":{\"question\":\"sat\",\"at_most\":2}},"
    "{\"id\":\"nps\",\"type\":\"rating\",\"min\":0,\"max\":10,"
    "\"prompts\":{\"question\":{\"en\":\"Recommend us 0 to 10\"}}}],"
    "\"escalation\":{\"enabled\":true,\"below\":3,\"transfer_target\":\"supervisors\",\"callback\":"
    "true},"
    "\"task\":{\"enabled\":true,\"name\":\"Low score [Score] for [ContactId]\","
    "\"target\":\"review\"}}";

static csat_survey *load_survey(const csat_allocator *alloc) {
  csat_survey *s = NULL;
  if (csat_survey_from_json(&s, survey_json, sizeof survey_json - 1, alloc, NULL) != CSAT_OK)
    return NULL;
  return s;
}

static int ok_or_documented(int rc) {
  return rc == CSAT_OK || rc == CSAT_ERR_NOMEM || rc == CSAT_ERR_CALLBACK;
}

/*
 * The call: start, "2" on sat (flags), a recording, "10#" on nps, "2" at the
 * escalation (callback), with a save + restore in the middle. Every step that
 * fails with NOMEM before changing anything is retried, as a host would. The
 * run ends with the host flushing until nothing is pending. Returns 1 when the
 * scenario got through, 0 when it gave up on persistent failure.
 */
static int run_call(const csat_survey *survey, const csat_allocator *alloc, th *h, fail_alloc *fa,
                    int *documented) {
  csat_host vt;
  csat_contact c;
  csat_attr attrs[1] = {{"crm", "CASE-1"}};
  csat_session *s = NULL;
  unsigned char blob[4096];
  size_t blob_len = 0;
  int rc, tries, step;
  static const char *const inputs[] = {"2", NULL, "10#", "2"};
  int64_t now = 1000;

  kit_host(&vt, h);
  kit_contact(&c, CSAT_CHANNEL_VOICE);
  c.contact_id = "C-77"; /* the task's name and key carry it */
  c.attrs = attrs;
  c.attr_count = 1;
  for (tries = 0; tries < 3; tries++) {
    rc = csat_session_new(&s, survey, &c, &vt, alloc);
    if (rc == CSAT_OK)
      break;
    if (rc != CSAT_ERR_NOMEM)
      *documented = 0;
  }
  if (s == NULL)
    return 0;
  for (tries = 0; tries < 3; tries++) {
    rc = csat_session_start(s, now);
    if (rc != CSAT_ERR_CALLBACK || csat_session_outcome(s) != CSAT_OUTCOME_NONE ||
        h->calls[CB_PLAY] > 0)
      break; /* started (a failed already_surveyed check changes nothing) */
  }
  if (!ok_or_documented(rc))
    *documented = 0;
  for (step = 0; step < 4 && !csat_session_ended(s); step++) {
    now += 1000;
    if (step == 2) { /* a host that persists between inputs */
      csat_session *r = NULL;
      if (csat_session_save(s, blob, sizeof blob, &blob_len) == CSAT_OK) {
        rc = csat_session_restore(&r, survey, blob, blob_len, &vt, alloc, NULL);
        if (rc == CSAT_OK) {
          csat_session_free(s);
          s = r;
        } else if (rc != CSAT_ERR_NOMEM) {
          *documented = 0;
        }
      }
    }
    for (tries = 0; tries < 3; tries++) {
      if (inputs[step] == NULL)
        rc = csat_session_recorded(s, "rec-77.wav", 10, now);
      else
        rc = csat_session_input(s, inputs[step], strlen(inputs[step]), now);
      if (rc != CSAT_ERR_NOMEM || inputs[step] != NULL)
        break; /* only the recording copy may fail before the state changes */
    }
    if (!ok_or_documented(rc))
      *documented = 0;
    if (rc == CSAT_ERR_NOMEM && inputs[step] == NULL)
      break; /* memory stays short: the caller gives up and hangs up */
  }
  if (!csat_session_ended(s)) {
    rc = csat_session_hangup(s, now);
    if (!ok_or_documented(rc))
      *documented = 0;
  }
  /* The host retries pending work with failures gone. */
  fa->fail_at = 0;
  memset(h->fail_call, 0, sizeof h->fail_call);
  for (tries = 0; tries < 3 && csat_session_pending(s); tries++)
    csat_session_flush(s, now);
  CHECK_INT(csat_session_pending(s), 0);
  csat_session_free(s);
  return 1;
}

TEST(alloc_loops) {
  int persistent;
  long k, points = 0;
  for (persistent = 0; persistent <= 1; persistent++) {
    for (k = 1; k < 10000; k++) {
      fail_alloc fa;
      csat_allocator alloc = fail_alloc_init(&fa, k, persistent);
      th h;
      csat_survey *survey;
      int documented = 1;
      memset(&h, 0, sizeof h);
      survey = load_survey(&alloc);
      if (survey == NULL) {
        CHECK_INT(fa.live, 0); /* a failed parse leaks nothing */
        points++;
        continue;
      }
      if (run_call(survey, &alloc, &h, &fa, &documented)) {
        /* Nothing lost: the result was stored once and the task created once. */
        CHECK_INT(h.stores, 1);
        CHECK_INT(h.tasks_created, 1);
        CHECK_INT(h.stored_scores[0], 2);
        if (!persistent) { /* one failure is retried: the call completes */
          CHECK_STR(h.last_outcome, "completed");
          CHECK_INT(h.stored_scores[2], 10);
        }
      }
      CHECK(documented);
      csat_survey_free(survey);
      CHECK_INT(fa.live, 0);
      points++;
      if (fa.failures == 0)
        break; /* k is past the last allocation: every point was covered */
    }
  }
  printf("allocation failure points exercised: %ld\n", points);
  CHECK(points > 10);
}

TEST(callback_loops) {
  int cb, n, points = 0;
  csat_survey *survey = load_survey(NULL);
  char first_key[sizeof((th *)0)->task_key] = "";
  CHECK(survey != NULL);
  if (survey == NULL)
    return;
  for (cb = 0; cb < CB_COUNT; cb++) {
    for (n = 1; n < 50; n++) {
      th h;
      fail_alloc fa;
      int documented = 1;
      memset(&h, 0, sizeof h);
      memset(&fa, 0, sizeof fa);
      h.fail_call[cb] = n;
      run_call(survey, NULL, &h, &fa, &documented);
      CHECK(documented);
      if (h.calls[cb] < n)
        break; /* this callback is called fewer than n times: done */
      points++;
      if (h.stores != 1 || h.tasks_created != 1)
        fprintf(stderr, "callback %s failing at call %d: stored %d, tasks %d\n", th_cb_names[cb], n,
                h.stores, h.tasks_created);
      CHECK_INT(h.stores, 1);
      CHECK_INT(h.tasks_created, 1);
      if (first_key[0] == '\0')
        memcpy(first_key, h.task_key, sizeof first_key);
      CHECK_STR(h.task_key, first_key); /* retries never change the key */
    }
  }
  printf("callback failure points exercised: %d\n", points);
  CHECK(points >= 8);
  csat_survey_free(survey);
}

static const test_case tests[] = {TEST_ENTRY(alloc_loops), TEST_ENTRY(callback_loops)};

TEST_MAIN(tests)
