/*
 * The tests' recording host: a csat_host whose callbacks log a compact line
 * each ("intro", "question@0", "collect@0:1-1", "store:completed", ...) into
 * th.log, count their calls, remember what was stored and tasked, and fail on
 * request, either the next fail[i] calls of callback i or its fail_call[i]-th
 * call. A host that needs more (test_transcripts' golden action lines, the
 * fuzz targets' contract checks) sets th.on_call: it then sees every call
 * instead of the log, and has the last word on what the callback returns.
 * Used by the session tests, the fault loops, test_agg, test_transcripts
 * and the fuzz harness (fuzz/fuzz_host.c).
 * SPDX-License-Identifier: MIT
 */
#ifndef CSAT_TEST_RECORD_HOST_H
#define CSAT_TEST_RECORD_HOST_H

#include "check.h"
#include "csat.h"

enum {
  CB_PLAY,
  CB_COLLECT,
  CB_RECORD,
  CB_TRANSFER,
  CB_CALLBACK,
  CB_STORE,
  CB_TASK,
  CB_ALREADY,
  CB_ENDED,
  CB_OPTED_OUT,
  CB_COUNT
};

/* Callback names, indexed by CB_* (as transcripts spell them). */
extern const char *const th_cb_names[CB_COUNT];

/* The arguments of one callback: those of its kind are set, the rest NULL. */
typedef struct th_call {
  const csat_prompt *prompt;   /* play */
  const csat_collect *collect; /* collect */
  const csat_record *record;   /* record */
  const char *target;          /* transfer */
  const char *address;         /* schedule_callback, opted_out */
  const char *contact_id;      /* schedule_callback, opted_out, already_surveyed */
  const char *survey_id;       /* already_surveyed */
  const csat_result *result;   /* store */
  const csat_task *task;       /* create_task */
  int32_t outcome;             /* ended */
} th_call;

typedef struct th th;

struct th {
  char log[8192];
  int fail[CB_COUNT];      /* the next fail[i] calls of callback i return -1 */
  int fail_call[CB_COUNT]; /* ... and so does its fail_call[i]-th call (1-based; 0: none) */
  int calls[CB_COUNT];
  int already;        /* what already_surveyed answers */
  char task_key[256]; /* idempotency key of the last task */
  char task_name[600];
  int tasks_created;        /* successful create_task calls */
  int stores;               /* successful store calls */
  char last_outcome[32];    /* outcome name of the last successful store */
  int32_t stored_scores[4]; /* scores of its first four answers */
  unsigned omit;            /* kit_host leaves callback i NULL when bit 1u << i is set */
  int in_restore;           /* set by a test around csat_session_restore ... */
  int calls_in_restore;     /* ... which must leave this 0 */
  /* When set: called for every call instead of writing the log, with rc
   * what th would return (-1 when it fails the call, already_surveyed's
   * answer, else 0); the callback returns what on_call returns. */
  int (*on_call)(th *h, int cb, const th_call *call, int rc);
  void *ctx; /* for on_call */
};

/* The name of a prompt kind as the log writes it. */
const char *kit_prompt_name(int32_t kind);

/* Point the callbacks of vt at h (vt->user = h), all but those in h->omit. */
void kit_host(csat_host *vt, th *h);

/* Compare the log and clear it. */
#define CHECK_LOG(h, expected)     \
  do {                             \
    CHECK_STR((h)->log, expected); \
    (h)->log[0] = '\0';            \
  } while (0)

#endif
