/*
 * survey.h: the survey layer of libcsat (src/lib/survey/): the survey model,
 * shared by the builder (survey.c), the JSON reader and writer
 * (survey_json.c) and the Amazon import (survey_amazon.c), and read by the
 * session layer. Depends on base only. Not installed.
 * SPDX-License-Identifier: MIT
 */
#ifndef CSAT_SURVEY_H
#define CSAT_SURVEY_H

#include "base/base.h"

/* ---- survey model (survey.c) ------------------------------------------- */
typedef struct csat__prompt_text {
  char *lang;  /* never NULL */
  char *text;  /* NULL when absent */
  char *audio; /* NULL when absent */
} csat__prompt_text;

typedef struct csat__prompt_set {
  csat__prompt_text *items; /* one per language, in insertion order */
  int32_t count;
} csat__prompt_set;

#define CSAT__PROMPT_SLOTS (CSAT_PROMPT_KIND_MAX + 1) /* index = CSAT_PROMPT_* */

typedef struct csat__question {
  char *id;
  int32_t kind;     /* CSAT_Q_* */
  int32_t min, max; /* rating scale; yes/no: 0..1; comments: 0..0 */
  int32_t flag_enabled;
  int32_t flag_threshold;                       /* flags when score <= threshold and enabled */
  int32_t max_attempts;                         /* 1..9, default 3 */
  int32_t on_exhausted;                         /* CSAT_EXHAUSTED_* */
  int32_t cond_parent;                          /* -1: always asked */
  int32_t cond_at_most;                         /* asked when answers[cond_parent].score <= this */
  int32_t max_duration_ms;                      /* voice comment, default 60000 */
  int32_t silence_timeout_ms;                   /* voice comment, default 3000 */
  csat__prompt_set prompts[CSAT__PROMPT_SLOTS]; /* QUESTION and the (q) kinds */
} csat__question;

struct csat_survey {
  csat__alloc alloc;
  char *id;
  int32_t version;
  char *name;             /* "" when unset */
  char *default_language; /* default "en" */
  int32_t mode;           /* CSAT_MODE_* */
  csat__prompt_set prompts[CSAT__PROMPT_SLOTS];
  csat__question *questions;
  int32_t question_count;
  int32_t question_cap;
  /* escalation */
  int32_t esc_enabled;
  int32_t esc_below;         /* default 3: any rating score < below triggers */
  char *esc_transfer_target; /* NULL: no transfer offered */
  int32_t esc_callback;
  /* tasks */
  int32_t task_enabled; /* default 1 */
  char *task_name;      /* templates; never NULL once built (defaults) */
  char *task_description;
  char *task_category;
  char *task_target; /* "" when unset */
  char *task_rule_name;
  /* DTMF */
  int32_t first_digit_timeout_ms; /* default 5000 */
  int32_t inter_digit_timeout_ms; /* default 3000 */
  int32_t terminator;             /* default '#', 0 = none */
  int32_t max_repeats;            /* default 3 */
  /* text channels (SMS, chat) */
  int64_t text_window_ms; /* survey window, default 24 h */
  int32_t text_multiple;  /* 1: one message may answer several questions */
  /* identity of the content, set by finish: sessions refuse blobs of another */
  uint64_t fingerprint;
};

struct csat_survey_builder {
  struct csat_survey *s;
  char errmsg[256];
};

/* Default task templates (survey.c). */
extern const char csat__default_task_name[];
extern const char csat__default_task_description[];
extern const char csat__default_task_category[];
extern const char csat__default_task_rule_name[];

/* Find the prompt of `kind` for `question` (-1: survey level) in `lang`.
 * Languages are tried in order (lang, its primary subtag "pl" for "pl-PL",
 * the default language, its primary subtag); within a language the
 * question's own prompt wins over the survey-level one (QUESTION prompts
 * exist only per question). NULL when none. */
const csat__prompt_text *csat__survey_prompt(const csat_survey *s, int32_t kind, int32_t question,
                                             const char *lang);

/* JSON names of prompt kinds ("intro", ..., "expired"); NULL when out of range. */
const char *csat__survey_prompt_kind_name(int32_t kind);
/* The CSAT_PROMPT_* called name, or 0. */
int32_t csat__survey_prompt_kind_from_name(const char *name);
/* 1 when kind may be set per question (QUESTION and the (q) kinds). */
int csat__survey_prompt_kind_per_question(int32_t kind);
/* JSON names of question kinds ("rating", ...); NULL when out of range. */
const char *csat__survey_question_kind_name(int32_t kind);
int32_t csat__survey_question_kind_from_name(const char *name);

/* ASCII case-insensitive comparison of language tags (BCP 47 tags are). */
int csat__survey_lang_eq(const char *a, const char *b);

/* Everything csat_survey_builder_finish checks. OK, or INVALID_SURVEY with a
 * message in msg and *question set to the offending question index (-1 when
 * the problem is not about one question). */
int csat__survey_validate(const csat_survey *s, char *msg, size_t cap, int32_t *question);

/* ---- the JSON reader and writer (survey_json.c, survey_amazon.c) -------- */
/* FNV-1a 64 over the canonical JSON text csat_survey_to_json writes
 * (survey_json.c); computed without allocating. */
uint64_t csat__survey_fingerprint(const csat_survey *s);
/* The common start of the survey JSON readers (survey_json.c): check the
 * arguments, clear *out and parse json into doc (freed by the caller with
 * csat__json_free on success). */
struct csat__jdoc;

/* What the survey JSON readers (survey_json.c, survey_amazon.c) carry while
 * they build a survey, and their two error helpers (survey_json.c): fail
 * reports at a byte offset of the input; builder turns a builder setter's
 * result into one (argument errors become survey errors, with the builder's
 * message). */
typedef struct csat__survey_json_reader {
  const struct csat__jdoc *doc;
  csat_error *err;
  csat_survey_builder *b;
  /* The survey's own object (a reader may step into a wrapper) and where
   * each question was read: where validation errors are reported. */
  const struct csat__jval *root;
  size_t qoff[CSAT__MAX_QUESTIONS];
} csat__survey_json_reader;
int csat__survey_reader_fail(csat__survey_json_reader *r, int code, size_t offset, const char *fmt,
                             ...) CSAT__PRINTF(4, 5);
int csat__survey_reader_builder(csat__survey_json_reader *r, int rc, size_t offset);

/* Fill r->b (created by the reader) from the parsed document's root. */
typedef int (*csat__survey_reader)(csat__survey_json_reader *r, const struct csat__jval *root,
                                   const csat_allocator *alloc);
/* The body of both public readers: check the arguments, parse, run `read`,
 * then validate the survey (errors at the question's offset) and finish. */
int csat__survey_json_read(csat_survey **out, const char *json, size_t len,
                           const csat_allocator *alloc, csat_error *err, csat__survey_reader read);

#endif /* CSAT_SURVEY_H */
