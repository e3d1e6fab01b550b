/*
 * session.h: the session layer of libcsat (src/lib/session/): one contact's
 * survey as a state machine (session.c, voice; session_text.c, SMS and
 * chat), its save/restore (session_blob.c), its result record (result.c)
 * and review task (task.c). The session's structure is known to this layer
 * only: other layers read results through the public accessors. Depends on
 * base, survey and reply. Not installed.
 * SPDX-License-Identifier: MIT
 */
#ifndef CSAT_SESSION_H
#define CSAT_SESSION_H

#include "base/base.h"
#include "survey/survey.h"

/* ---- session (session.c, session_blob.c) -------------------------------- */

/* Session states. Stored in blobs: values never change. */
#define CSAT__ST_NEW 1        /* created, not started */
#define CSAT__ST_OFFER 2      /* opt-in offer played, waiting for 1/2 */
#define CSAT__ST_QUESTION 3   /* waiting for the answer to `current` */
#define CSAT__ST_RECORDING 4  /* waiting for a voice comment to `current` */
#define CSAT__ST_ESCALATION 5 /* escalation offer played, waiting for 1/2 */
#define CSAT__ST_ENDED 6

/* Text session flags (csat_session.text_flags). Stored in blobs. */
#define CSAT__TF_OPTED_OUT 1u /* an opt-out was honoured (confirmation sent, host told) */
#define CSAT__TF_NOTICE 2u /* the one notice after the end (EXPIRED / ALREADY_ANSWERED) went out */
#define CSAT__TF_ALL 3u

typedef struct csat__answer {
  int32_t status;   /* CSAT_ANSWER_* */
  int32_t score;    /* -1 when none */
  int32_t attempts; /* attempts used on this question */
  int32_t repeats;  /* '*' presses on this question */
  int32_t flagged;
  char raw[CSAT__MAX_DIGITS + 1]; /* last raw input, NUL-terminated: the DTMF digits, or
                                     the first 32 bytes of a text message (whole characters) */
  char *comment;                  /* NULL or owned NUL-terminated text / recording ref */
  int64_t answered_ms;
} csat__answer;

struct csat_result {
  const struct csat_session *session;
};

struct csat_session {
  csat__alloc alloc;
  const csat_survey *survey;
  csat_host host;        /* copied; members past the host's struct_size are NULL */
  csat_contact contact;  /* library-owned copy; strings point into `strings` */
  csat_attr *attrs;      /* owned copy of the attributes */
  char *strings;         /* one block holding every contact string */
  size_t strings_len;    /* size of that block */
  int32_t state;         /* CSAT__ST_* */
  int32_t opt_in;        /* -1 unknown, 0 refused, 1 accepted */
  int32_t current;       /* current question index (-1 before the first) */
  int32_t menu_attempts; /* attempts at the offer / escalation menu */
  int32_t outcome;       /* CSAT_OUTCOME_* */
  int32_t escalation;    /* CSAT_ESCALATION_* */
  uint32_t pending;      /* CSAT_PENDING_* */
  int32_t task_done;     /* a task was created for this contact */
  int32_t text_flags;    /* CSAT__TF_* (text channels; 0 on voice) */
  int64_t started_ms;
  int64_t ended_ms;
  csat__answer *answers; /* survey->question_count entries */
  struct csat_result result;
  char errmsg[256];
  const char *in_callback; /* the host callback running now ("play", ...), else NULL */
};

/* Set the session's error message and return code (for `return csat__fail(...)`). */
int csat__session_fail(csat_session *s, int code, const char *fmt, ...) CSAT__PRINTF(3, 4);
/* CSAT_ERR_STATE when a callback of s is running: `call` (the public
 * function's name) re-entered the session. The callers return it at once,
 * before any other check, so that nothing changes. */
int csat__session_reentered(csat_session *s, const char *call);
/* Run `expr` (a host callback call) with s->in_callback set to `name`. */
#define CSAT__SESSION_CALLBACK(s, name, expr) \
  ((s)->in_callback = (name), csat__session_cb_done((s), (expr)))
/* Clears s->in_callback and passes the callback's return value through. */
int csat__session_cb_done(csat_session *s, int r);

/* ---- tasks (task.c) ----------------------------------------------------- */
/* A task built from a session's result, with every string owned. */
typedef struct csat__task_data {
  csat_task task;  /* points into the memory below */
  char *mem;       /* one block for every string */
  csat_attr *refs; /* task.references */
} csat__task_data;

/* Build the task for a flagged result (templates expanded, limits applied,
 * idempotency key derived from survey id and contact id). OK or NOMEM. */
int csat__task_build(const csat_session *s, csat__task_data *out);
void csat__task_data_free(const csat_session *s, csat__task_data *t);
/* Expand a template's placeholders for this session into o (task.c). */
void csat__task_template_expand(const csat_session *s, const char *tpl, csat__out *o);

/* A string that is not (yet) NUL-terminated: a host string or a blob slice. */
typedef struct csat__span {
  const char *p; /* may be NULL when n == 0 */
  size_t n;
} csat__span;

/* ---- contacts and host vtables (session.c, session_blob.c) -------------- */
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
int csat__session_contact_check(const csat__contact_in *c, char *msg, size_t cap);

/* Copy a host vtable, reading only the members its struct_size covers.
 * INVALID_ARG (NULL, too small) or UNSUPPORTED (voice without play/collect). */
int csat__session_host_copy(csat_host *dst, const csat_host *src, int32_t channel, char *msg,
                            size_t cap);

/* Allocate a session in state "new" for a checked contact and copied host.
 * OK or NOMEM (nothing allocated then). */
int csat__session_create(csat_session **out, const csat_survey *survey, const csat__contact_in *c,
                         const csat_host *host, const csat__alloc *a);

/* Number of menu attempts (opt-in offer, escalation offer). */
#define CSAT__MENU_ATTEMPTS 3

/* ---- the state machine shared by voice and text (session.c) ------------ */
/* What session_text.c uses of session.c. `rc` collects the first failure of
 * an event (CALLBACK, NOMEM); the sequence always runs to its end. */

/* STATE with "EVENT is not expected in state ..." as the message. */
int csat__session_state_error(csat_session *s, const char *event);
/* Record a failed callback in *rc (the first failure wins). */
void csat__session_cb_failed(csat_session *s, int *rc, const char *what, int ret);
/* The prompt the session would play/send for (kind, question) in the
 * contact's language chain, or NULL (text: a prompt without text is none). */
const csat__prompt_text *csat__session_prompt(const csat_session *s, int32_t kind,
                                              int32_t question);
/* Play/send that prompt; 1 when it exists (even if play failed), else 0. */
int csat__session_play(csat_session *s, int *rc, int32_t kind, int32_t question);
/* End the session: state, outcome, time, delivery (opt-out, store, task),
 * then the ended callback. */
void csat__session_finish(csat_session *s, int *rc, int32_t outcome, int64_t now);
/* Call opted_out when CSAT_PENDING_OPT_OUT is set (cleared on success). */
void csat__session_deliver_opt_out(csat_session *s, int *rc);
/* The outcome after the last question. */
int32_t csat__session_final_outcome(const csat_session *s);
int csat__session_any_answered(const csat_session *s);
/* A follow-up condition on a parent with this status and score. */
int csat__session_condition_holds(const csat__question *qq, int32_t parent_status,
                                  int32_t parent_score);
/* The status question q is skipped with (CONDITION, NOT_APPLICABLE), or
 * NOT_ASKED when it is asked. Parents are read from status[]/score[] when
 * given (tentative answers), else from the session's answers. */
int32_t csat__session_skip_status(const csat_session *s, int32_t q, const int32_t *status,
                                  const int32_t *score);
/* Mark the questions from `from` on that do not apply with their skip
 * status; return the first that applies, or question_count. Sends nothing. */
int32_t csat__session_next_question(csat_session *s, int32_t from);
/* Ask the first question from `from` on that applies, or end the survey. */
void csat__session_advance(csat_session *s, int *rc, int32_t from, int64_t now);
/* The current question's answer failed (INVALID or NO_INPUT): an attempt. */
void csat__session_attempt_failed(csat_session *s, int *rc, int32_t status, int64_t now);

/* ---- text channels (session_text.c) ------------------------------------ */
/* Send what asks question q on a text channel: the INVITATION for the first
 * question asked (when the survey has one), its QUESTION otherwise. */
void csat__session_text_ask(csat_session *s, int *rc, int32_t q);
/* The first question a text session asks (voice comments never apply on
 * text, and the first question that applies has no condition), or -1. */
int32_t csat__session_text_first_question(const csat_survey *sv);
/* The prompt kind of the one notice a message after an end with this
 * outcome gets (EXPIRED, ALREADY_ANSWERED), or 0 for none. */
int32_t csat__session_text_notice(int32_t outcome);

#endif /* CSAT_SESSION_H */
