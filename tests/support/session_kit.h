/*
 * Sessions for the tests: a five-question survey built through the public
 * builder (kit_survey), a contact, a tiny event script runner and a save
 * helper. The recording host is record_host.h.
 * SPDX-License-Identifier: MIT
 */
#ifndef CSAT_TEST_SESSION_KIT_H
#define CSAT_TEST_SESSION_KIT_H

#include "csat.h"
#include "record_host.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- surveys ------------------------------------------------------------ */

/* Survey options for kit_survey. */
#define KS_OPT_IN 1     /* opt-in mode */
#define KS_ESCALATION 2 /* escalation below 3: transfer "sup" and callback */
#define KS_END 4        /* question 0 ends the survey when attempts run out (2 attempts) */
#define KS_NO_TARGET 8  /* escalation without a transfer target */
#define KS_NO_TASKS 16
#define KS_NO_TERM 32    /* no terminator */
#define KS_OTHER_TEXT 64 /* same id and version, other content */
#define KS_TEXT 128      /* text prompts (invitation, thanks, opt-out, expired), 1-minute window */
#define KS_MULTI 256     /* text: several answers in one message */

/* A builder call that must succeed (the builder is `b`): on failure the
 * program exits with its message. */
#define KB(call)                                                                   \
  do {                                                                             \
    int kb_rc_ = (call);                                                           \
    if (kb_rc_ != CSAT_OK) {                                                       \
      fprintf(stderr, "%s:%d: %s -> %d (%s)\n", __FILE__, __LINE__, #call, kb_rc_, \
              csat_survey_builder_errmsg(b));                                      \
      exit(2);                                                                     \
    }                                                                              \
  } while (0)

/*
 * Five questions:
 *   0 "csat"     rating 1..5, flagged at <= 2
 *   1 "nps"      rating 0..10
 *   2 "resolved" yes/no
 *   3 "why"      voice comment, asked when csat <= 2
 *   4 "note"     text comment (not applicable on voice)
 * Exits the program when the builder refuses (a broken test, not a failure).
 */
csat_survey *kit_survey(const char *id, int32_t version, int opts);

/* A voice or text contact with two attributes. */
void kit_contact(csat_contact *c, int32_t channel);

/*
 * One event per string: "start", "offer", "optin:1", "in:DIGITS" ("in:" is
 * empty input), "noin", "rec:REF", "rep", "hang", "flush", "txt:MESSAGE",
 * "late:MESSAGE" (a message a day later: after any survey window), "exp".
 * Returns the event's return code.
 */
int kit_event(csat_session *s, const char *ev, int64_t now);

/* Save into a fresh heap buffer; *len receives the size. */
unsigned char *kit_save(const csat_session *s, size_t *len);

#endif
