/*
 * Shared pieces of libcsat's fuzz targets, one concern per file:
 *   fuzz_log.c       invariant checks that abort, a growing text log, a small
 *                    input reader;
 *   fuzz_validate.c  validators for UTF-8, JSON and CSV output;
 *   fuzz_outputs.c   save/export through size queries, result consistency;
 *   fuzz_host.c      a recording host whose callbacks check the contract;
 *   fuzz_twin.c      a "twin" runner that drives two sessions with the same
 *                    events (one of them saved and restored after every
 *                    event that changed its state) and demands identical
 *                    behaviour; its text-channel checks in fuzz_twin_text.c;
 *   fuzz_surveys.c   the embedded surveys.
 * The failing allocator is the test kit's (tests/support/fail_alloc.h).
 * SPDX-License-Identifier: MIT
 */
#ifndef CSAT_FUZZ_COMMON_H
#define CSAT_FUZZ_COMMON_H

#include "csat.h"
#include "fail_alloc.h"  /* tests/support: the failing allocator */
#include "record_host.h" /* tests/support: the recording host */
#include "textbuf.h"     /* tests/support: a growing text buffer */

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#  define FZ_NORETURN __attribute__((noreturn))
#else
#  define FZ_NORETURN
#endif

/* The libFuzzer entry point every target defines (replay.c calls it too). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant failed: print where and why, then abort() so that libFuzzer
 * (and the replay driver under ctest) report the input. */
FZ_NORETURN void fz_fail(const char *file, int line, const char *what);
#define FZ_CHECK(c)                    \
  do {                                 \
    if (!(c))                          \
      fz_fail(__FILE__, __LINE__, #c); \
  } while (0)

/* malloc / strdup that abort on failure (fz_strdup(NULL) is NULL). */
void *fz_xmalloc(size_t n);
char *fz_strdup(const char *s);

/* ---- log ---------------------------------------------------------------- */
/* The log is the test kit's text buffer (tb_add, tb_printf, tb_reset,
 * tb_free), with two formats of its own: */
typedef textbuf fz_log;

/* A string as <len>:"bytes" so that two logs compare without ambiguity; NULL as "-". */
void fz_log_str(fz_log *l, const char *s);
/* Any bytes as <len>:"..." with the unprintable ones escaped, at most 48 shown. */
void fz_log_bytes(fz_log *l, const char *s, size_t n);

/* ---- input reader ------------------------------------------------------- */
typedef struct fz_in {
  const uint8_t *p;
  size_t n, i;
} fz_in;

/* Next byte, 0 once the input is exhausted. */
uint8_t fz_byte(fz_in *in);
int fz_more(const fz_in *in);

/* ---- validators --------------------------------------------------------- */
/* Independent of the library's own code on purpose. */
int fz_utf8_valid(const char *s, size_t n);
size_t fz_utf8_count(const char *s, size_t n);
/* One complete RFC 8259 JSON value (surrounded by optional whitespace). */
int fz_json_valid(const char *s, size_t n);
/* Parse one RFC 4180 record ending in CRLF at s[0..n) (the whole of s).
 * Returns the number of fields, or -1 when malformed. When check_formula is
 * set, a field whose value starts with = + - @ TAB or CR also gives -1. */
int fz_csv_record(const char *s, size_t n, int check_formula);

/* ---- the embedded surveys (fuzz_surveys.c) ------------------------------ */
typedef struct fz_survey_def {
  const char *json;
  const char *default_language;
  const char *transfer_target; /* NULL: transfer must never be asked for */
  /* One token per question, space-separated, in question order: "<min>-<max>"
   * (rating), "yn", "vc" (voice comment), "tc" (text comment). */
  const char *scales;
  int64_t window_ms; /* the text survey window ("text"."window_ms") */
  /* Non-zero when OPT_OUT, EXPIRED and ALREADY_ANSWERED have a text in the
   * default language, so that every contact language finds them. */
  int text_notices;
} fz_survey_def;

/* Voice surveys (what the voice-only targets index). */
extern const fz_survey_def fz_surveys[];
extern const size_t fz_survey_count;
/* Index in fz_surveys of the rich survey the blob target restores against. */
#define FZ_BLOB_SURVEY 3
/* SMS / chat surveys (the events target indexes both tables). */
extern const fz_survey_def fz_text_surveys[];
extern const size_t fz_text_survey_count;
extern const char *const fz_languages[];
extern const size_t fz_language_count;

/* Parse fz_surveys[i] / fz_text_surveys[i] once per process (aborts if an
 * embedded survey is refused). */
const csat_survey *fz_survey_get(size_t i);
const csat_survey *fz_text_survey_get(size_t i);

/* Customer messages for text events. A NULL s marks a long one: n = 0 a
 * score with a comment of 4100 characters, n = 1 a message of CSAT_TEXT_MAX
 * bytes, n = 2 one of CSAT_TEXT_MAX + 1 (fz_message_get gives the text). */
typedef struct fz_message {
  const char *s;
  size_t n;
} fz_message;
extern const fz_message fz_messages[];
extern const size_t fz_message_count;
void fz_message_get(size_t i, const char **text, size_t *len);

/* The scale of question q of def (parsed from def->scales): kind CSAT_Q_*,
 * and [min, max] for ratings (yes/no: [0, 1]). Returns 0 when unknown. */
int fz_scale(const fz_survey_def *def, int32_t q, int32_t *kind, int32_t *min, int32_t *max);

/* ---- buffers ------------------------------------------------------------ */
/* Save s into a malloc'd buffer of exactly *len bytes (aborts on failure). */
unsigned char *fz_save(const csat_session *s, size_t *len);
/* Check the size-query and short-buffer answers of csat_session_save for the
 * session whose blob is blob[0..len). */
void fz_save_conventions(const csat_session *s, const unsigned char *blob, size_t len);
/* csat_result_to_jsonl / csat_result_to_csv / csat_survey_csv_header /
 * csat_survey_to_json with the buffer conventions checked (NULL/0 query,
 * too-short buffers of several sizes, exact size). Returns the malloc'd text
 * (NUL-terminated) and its length; NULL when the call fails with something
 * other than the buffer answers (its code in *rc_out). */
typedef int (*fz_text_fn)(const void *obj, char *buf, size_t cap, size_t *needed);
char *fz_text(fz_text_fn fn, const void *obj, size_t *len, int *rc_out);
int fz_jsonl_fn(const void *r, char *buf, size_t cap, size_t *needed);
int fz_csv_fn(const void *r, char *buf, size_t cap, size_t *needed);
int fz_csv_header_fn(const void *s, char *buf, size_t cap, size_t *needed);
int fz_survey_json_fn(const void *s, char *buf, size_t cap, size_t *needed);

/* Check every result accessor for internal consistency. */
void fz_check_result(const csat_result *r, const csat_survey *sv, int strict_times);

/* ---- recording host ----------------------------------------------------- */
/* Bits of fz_host_setup's `omit`: optional callbacks left NULL. */
#define FZ_OMIT_ALREADY 1u
#define FZ_OMIT_RECORD 2u
#define FZ_OMIT_TRANSFER 4u
#define FZ_OMIT_CALLBACK 8u
#define FZ_OMIT_STORE 16u
#define FZ_OMIT_TASK 32u
#define FZ_OMIT_OPTED_OUT 64u

/* The checking host: the test kit's recording host (th) underneath, every
 * call checked against the contract in fuzz_host.c. */
typedef struct fz_host {
  th th; /* its on_call hook is fz_host.c's */
  fz_log log;
  /* configuration */
  const char *survey_json;      /* prompts must be tagged texts of this JSON; NULL: skip */
  const char *default_language; /* NULL: skip the language check */
  const char *transfer_target;  /* checked when survey_json is set */
  const char *survey_id;
  int32_t question_count;
  int already_answer;       /* what already_surveyed answers when it does not fail */
  const fz_survey_def *def; /* NULL: skip the per-question scale checks */
  unsigned omit;            /* FZ_OMIT_* given to fz_host_setup */
  fail_alloc *fa;           /* the allocator of this side's sessions, or NULL; */
  csat_allocator alloc;     /* paused but while an event runs; alloc allocates through it */
  /* the contact (copied from the session's result) */
  char *contact_id, *language, *address;
  size_t attr_count;
  int voice;             /* the contact's channel is voice */
  uint32_t pending_mask; /* csat_session_pending bits possible for it */
  /* per event */
  int fail_on;
  unsigned fail_mask, ncalls;
  int failed_any, failed_required, task_calls_event, store_calls_event;
  /* whole life of the contact */
  int in_restore;
  int ended_calls;
  int32_t ended_outcome;
  int store_calls, store_ok, task_calls, task_ok;
  char *task_key;
  /* text channels */
  int optout_sent; /* a message that reads as an opt-out was sent */
  int optout_done; /* the opt-out was honoured: nothing more may be sent */
  int optout_calls, optout_ok, optout_calls_event;
  int optout_owed; /* opted_out failed and has not succeeded since */
  int notices;     /* ALREADY_ANSWERED / EXPIRED messages sent */
  int32_t notice_kind;
  int optout_after_end; /* ... and it came after the end */
  int plays_event, notices_event, optout_prompts_event;
} fz_host;

void fz_host_setup(fz_host *h, csat_host *vt, unsigned omit);
/* Copy the contact from the session's result and derive what the session's
 * current state says about work already done (a restored blob may be ended). */
void fz_host_adopt(fz_host *h, const csat_session *s);
void fz_host_event(fz_host *h, int fail_on, unsigned fail_mask);
void fz_host_free(fz_host *h);

/* Restore blob[0..len) (exactly sized) for h; no callback may fire. */
csat_session *fz_restore_exact(const csat_survey *sv, const unsigned char *blob, size_t len,
                               const csat_host *vt, fz_host *h);
/* Save s and restore it for the same host (no callback may fire); the copy
 * must save to the same bytes, handed back in *resaved when non-NULL. Frees s. */
csat_session *fz_save_restore(csat_session *s, const csat_survey *sv, const csat_host *vt,
                              fz_host *h, unsigned char **resaved, size_t *resaved_len);

/* ---- events and the twin runner ----------------------------------------- */
enum {
  FZ_EV_OFFER,
  FZ_EV_OPT_IN,
  FZ_EV_START,
  FZ_EV_INPUT,
  FZ_EV_NO_INPUT,
  FZ_EV_RECORDED,
  FZ_EV_REPEAT,
  FZ_EV_HANGUP,
  FZ_EV_FLUSH,
  FZ_EV_SAVE_RESTORE,
  FZ_EV_TEXT,   /* csat_session_text(text, ntext) */
  FZ_EV_EXPIRE, /* csat_session_expire */
  FZ_EV_COUNT
};

typedef struct fz_event {
  int kind;
  char digits[8];
  size_t ndigits;
  int32_t accepted;
  int fail_on;
  unsigned fail_mask;
  int64_t now;
  const char *text; /* FZ_EV_TEXT: the message (may hold NULs, any bytes) */
  size_t ntext;
} fz_event;

typedef struct fz_side {
  csat_session *s;
  fz_host h;
  csat_host vt;
} fz_side;

typedef struct fz_twin {
  const csat_survey *survey;
  fz_side side[2]; /* side[1] is restored from side[0] (see every) */
  int32_t outcome_seen;
  int lax_times; /* restored from a hostile blob: times may be anything */
  /* Save side[0], compare and restore the twin at every k-th step only (0 or
   * 1: every step); callbacks and codes are compared at every step. */
  unsigned every;
  unsigned char *blob; /* side[0] saved after the last step */
  size_t blob_len;
  /* internal: reused buffers and a step counter */
  unsigned char *spare; /* a second buffer of spare_cap bytes */
  size_t blob_cap, spare_cap;
  unsigned steps;
  int blob_fresh; /* blob holds side[0] as it is now */
  int dirty;      /* side[0] may have changed since the twin was compared */
} fz_twin;

/* After side[i].s, side[i].h (setup) and side[i].vt are in place. */
void fz_twin_begin(fz_twin *t);
/*
 * Apply e to both sessions and check (abort on violation):
 *  - the twin (a restore of the original's state at an earlier checked
 *    step) makes the same callbacks with the same arguments and returns the
 *    same code, and at every checked step (every t->every-th, and explicit
 *    saves) ends in the same state byte for byte (restore is exact,
 *    callback-free);
 *  - documented codes only, each for its own reason: UNSUPPORTED for an
 *    event of the other channel, INVALID_ARG / LIMIT / UTF8 for a message
 *    with a NUL / too long / not UTF-8, NOMEM only when the allocator
 *    failed; STATE and those call nothing and (checked steps) change
 *    nothing; NOMEM either changes nothing or leaves the task pending;
 *    CALLBACK iff a callback failed;
 *  - the outcome is set once and never changes; store, task, ended and
 *    opted_out as the pending bits say (missing callbacks: never pending);
 *  - every answer lies in its question's scale (h->def), and a kind the
 *    channel or host cannot carry is never asked;
 *  - text channels: no voice-only prompt or callback; nothing is sent after
 *    an opt-out was honoured (also one that came after the end);
 *    opted_out is called only after an opt-out message and succeeds at most
 *    once; at most one ALREADY_ANSWERED / EXPIRED notice per session, of the
 *    kind the outcome gives; an opt-out message is stored nowhere; a
 *    message after the window expires the survey; expire ends a running
 *    survey silently.
 */
void fz_twin_step(fz_twin *t, const fz_event *e);
/* Free both sessions (checking that every block went back to fail_alloc). */
void fz_twin_free(fz_twin *t);

#endif
