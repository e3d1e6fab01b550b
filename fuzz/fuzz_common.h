/*
 * Shared pieces of libcsat's fuzz targets: invariant checks that abort, a
 * growing text log, a small input reader, validators for UTF-8, JSON and CSV
 * output, a recording host whose callbacks check the session contract, and a
 * "twin" runner that drives two sessions with the same events (one of them
 * saved and restored after every event) and demands identical behaviour.
 * SPDX-License-Identifier: MIT
 */
#ifndef CSAT_FUZZ_COMMON_H
#define CSAT_FUZZ_COMMON_H

#include "csat.h"

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define FZ_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define FZ_NORETURN __attribute__((noreturn))
#else
#define FZ_PRINTF(f, a)
#define FZ_NORETURN
#endif

/* The libFuzzer entry point every target defines (replay.c calls it too). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant failed: print where and why, then abort() so that libFuzzer
 * (and the replay driver under ctest) report the input. */
FZ_NORETURN void fz_fail(const char *file, int line, const char *what);
#define FZ_CHECK(c)                                                                 \
  do {                                                                              \
    if (!(c))                                                                       \
      fz_fail(__FILE__, __LINE__, #c);                                              \
  } while (0)

/* ---- log ---------------------------------------------------------------- */
typedef struct fz_log {
  char *p;
  size_t len, cap;
} fz_log;

void fz_log_add(fz_log *l, const void *s, size_t n);
void fz_log_printf(fz_log *l, const char *fmt, ...) FZ_PRINTF(2, 3);
/* A string as <len>:"bytes" so that two logs compare without ambiguity; NULL as "-". */
void fz_log_str(fz_log *l, const char *s);
void fz_log_reset(fz_log *l);
void fz_log_free(fz_log *l);

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
} fz_survey_def;

extern const fz_survey_def fz_surveys[];
extern const size_t fz_survey_count;
/* Index in fz_surveys of the rich survey the blob target restores against. */
#define FZ_BLOB_SURVEY 3
extern const char *const fz_languages[];
extern const size_t fz_language_count;

/* Parse fz_surveys[i] once per process (aborts if an embedded survey is refused). */
const csat_survey *fz_survey_get(size_t i);

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

typedef struct fz_host {
  fz_log log;
  /* configuration */
  const char *survey_json;      /* prompts must be tagged texts of this JSON; NULL: skip */
  const char *default_language; /* NULL: skip the language check */
  const char *transfer_target;  /* checked when survey_json is set */
  const char *survey_id;
  int32_t question_count;
  int already_answer; /* what already_surveyed answers when it does not fail */
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
} fz_host;

void fz_host_setup(fz_host *h, csat_host *vt, unsigned omit);
/* Copy the contact from the session's result and derive what the session's
 * current state says about work already done (a restored blob may be ended). */
void fz_host_adopt(fz_host *h, const csat_session *s);
void fz_host_event(fz_host *h, int fail_on, unsigned fail_mask);
void fz_host_free(fz_host *h);

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
} fz_event;

typedef struct fz_side {
  csat_session *s;
  fz_host h;
  csat_host vt;
} fz_side;

typedef struct fz_twin {
  const csat_survey *survey;
  fz_side side[2]; /* side[1] is saved and restored after every event */
  int32_t outcome_seen;
  int lax_times; /* restored from a hostile blob: times may be anything */
  unsigned char *blob; /* side[0] saved after the last step */
  size_t blob_len;
} fz_twin;

/* After side[i].s, side[i].h (setup) and side[i].vt are in place. */
void fz_twin_begin(fz_twin *t);
void fz_twin_step(fz_twin *t, const fz_event *e);
void fz_twin_free(fz_twin *t);

#endif
