/*
 * What session.c shares with session_blob.c: building a session from a
 * validated contact, so csat_session_new and csat_session_restore apply the
 * same checks and the same memory layout. Not installed.
 * SPDX-License-Identifier: MIT
 */
#ifndef CSAT_SESSION_IMPL_H
#define CSAT_SESSION_IMPL_H

#include "csat_internal.h"

/* A string that is not (yet) NUL-terminated: a host string or a blob slice. */
typedef struct csat__span {
  const char *p; /* may be NULL when n == 0 */
  size_t n;
} csat__span;

/* Order of the contact strings in csat__contact_in.str and in blobs. */
#define CSAT__C_CONTACT_ID 0
#define CSAT__C_AGENT_ID 1
#define CSAT__C_QUEUE_ID 2
#define CSAT__C_DEPARTMENT 3
#define CSAT__C_LANGUAGE 4
#define CSAT__C_ADDRESS 5
#define CSAT__C_STRINGS 6

/* A contact before it is copied into a session. */
typedef struct csat__contact_in {
  csat__span str[CSAT__C_STRINGS];
  int32_t channel;
  int64_t started_ms, ended_ms, wait_ms, talk_ms;
  csat__span keys[CSAT__MAX_ATTRS];
  csat__span values[CSAT__MAX_ATTRS];
  size_t attr_count;
} csat__contact_in;

/* Check every documented limit of a contact: INVALID_ARG, LIMIT or UTF8 with
 * a message in msg, OK otherwise. */
int csat__contact_check(const csat__contact_in *c, char *msg, size_t cap);

/* Copy a host vtable, reading only the members its struct_size covers.
 * INVALID_ARG (NULL, too small) or UNSUPPORTED (voice without play/collect). */
int csat__host_copy(csat_host *dst, const csat_host *src, int32_t channel, char *msg,
                    size_t cap);

/* Allocate a session in state "new" for a checked contact and copied host.
 * OK or NOMEM (nothing allocated then). */
int csat__session_create(csat_session **out, const csat_survey *survey,
                         const csat__contact_in *c, const csat_host *host,
                         const csat__alloc *a);

/* Number of menu attempts (opt-in offer, escalation offer). */
#define CSAT__MENU_ATTEMPTS 3

/* ---- the state machine shared by voice and text (session.c) ------------ */
/* What session_text.c uses of session.c. `rc` collects the first failure of
 * an event (CALLBACK, NOMEM); the sequence always runs to its end. */

/* STATE with "EVENT is not expected in state ..." as the message. */
int csat__state_error(csat_session *s, const char *event);
/* Record a failed callback in *rc (the first failure wins). */
void csat__cb_failed(csat_session *s, int *rc, const char *what, int ret);
/* The prompt the session would play/send for (kind, question) in the
 * contact's language chain, or NULL (text: a prompt without text is none). */
const csat__prompt_text *csat__session_prompt(const csat_session *s, int32_t kind,
                                              int32_t question);
/* Play/send that prompt; 1 when it exists (even if play failed), else 0. */
int csat__play(csat_session *s, int *rc, int32_t kind, int32_t question);
/* End the session: state, outcome, time, delivery (opt-out, store, task),
 * then the ended callback. */
void csat__finish(csat_session *s, int *rc, int32_t outcome, int64_t now);
/* Call opted_out when CSAT_PENDING_OPT_OUT is set (cleared on success). */
void csat__deliver_opt_out(csat_session *s, int *rc);
/* The outcome after the last question. */
int32_t csat__final_outcome(const csat_session *s);
int csat__any_answered(const csat_session *s);
/* A follow-up condition on a parent with this status and score. */
int csat__condition_holds(const csat__question *qq, int32_t parent_status,
                          int32_t parent_score);
/* The status question q is skipped with (CONDITION, NOT_APPLICABLE), or
 * NOT_ASKED when it is asked. Parents are read from status[]/score[] when
 * given (tentative answers), else from the session's answers. */
int32_t csat__skip_status(const csat_session *s, int32_t q, const int32_t *status,
                          const int32_t *score);
/* Mark the questions from `from` on that do not apply with their skip
 * status; return the first that applies, or question_count. Sends nothing. */
int32_t csat__next_question(csat_session *s, int32_t from);
/* Ask the first question from `from` on that applies, or end the survey. */
void csat__advance(csat_session *s, int *rc, int32_t from, int64_t now);
/* The current question's answer failed (INVALID or NO_INPUT): an attempt. */
void csat__attempt_failed(csat_session *s, int *rc, int32_t status, int64_t now);

/* ---- text channels (session_text.c) ------------------------------------ */
/* Send what asks question q on a text channel: the INVITATION for the first
 * question asked (when the survey has one), its QUESTION otherwise. */
void csat__text_ask(csat_session *s, int *rc, int32_t q);
/* The first question a text session asks (voice comments never apply on
 * text, and the first question that applies has no condition), or -1. */
int32_t csat__text_first_question(const csat_survey *sv);
/* The prompt kind of the one notice a message after an end with this
 * outcome gets (EXPIRED, ALREADY_ANSWERED), or 0 for none. */
int32_t csat__text_notice(int32_t outcome);

#endif /* CSAT_SESSION_IMPL_H */
