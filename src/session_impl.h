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

#endif /* CSAT_SESSION_IMPL_H */
