/*
 * The tests' recording host: a csat_host whose callbacks log a compact line
 * each ("intro", "question@0", "collect@0:1-1", "store:completed", ...) into
 * th.log, count their calls, remember what was stored and tasked, and fail on
 * request, either the next fail[i] calls of callback i or its fail_call[i]-th
 * call. Used by the session tests, the fault loops and test_agg.
 * SPDX-License-Identifier: MIT
 */
#ifndef CSAT_TEST_RECORD_HOST_H
#define CSAT_TEST_RECORD_HOST_H

#include "check.h"
#include "csat.h"

enum { CB_PLAY, CB_COLLECT, CB_RECORD, CB_TRANSFER, CB_CALLBACK, CB_STORE, CB_TASK,
       CB_ALREADY, CB_ENDED, CB_OPTED_OUT, CB_COUNT };

/* Callback names, indexed by CB_*. */
extern const char *const th_cb_names[CB_COUNT];

typedef struct th {
  char log[8192];
  int fail[CB_COUNT];      /* the next fail[i] calls of callback i return -1 */
  int fail_call[CB_COUNT]; /* ... and so does its fail_call[i]-th call (1-based; 0: none) */
  int calls[CB_COUNT];
  int already;        /* what already_surveyed answers */
  char task_key[256]; /* idempotency key of the last task */
  char task_name[600];
  int tasks_created;  /* successful create_task calls */
  int stores;         /* successful store calls */
  char last_outcome[32];     /* outcome name of the last successful store */
  int32_t stored_scores[4];  /* scores of its first four answers */
} th;

/* The name of a prompt kind as the log writes it. */
const char *kit_prompt_name(int32_t kind);

/* Point every callback of vt at h (vt->user = h). */
void kit_host(csat_host *vt, th *h);

/* Compare the log and clear it. */
#define CHECK_LOG(h, expected)                                                 \
  do {                                                                         \
    CHECK_STR((h)->log, expected);                                             \
    (h)->log[0] = '\0';                                                        \
  } while (0)

#endif
