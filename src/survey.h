/*
 * What the survey builder (survey.c) shares with the JSON loaders and the
 * writer (survey_json.c, survey_amazon.c). Not installed.
 * SPDX-License-Identifier: MIT
 */
#ifndef CSAT_SURVEY_H
#define CSAT_SURVEY_H

#include "csat_internal.h"

/* JSON names of prompt kinds ("intro", ..., "expired"); NULL when out of range. */
const char *csat__prompt_kind_name(int32_t kind);
/* The CSAT_PROMPT_* called name, or 0. */
int32_t csat__prompt_kind_from_name(const char *name);
/* 1 when kind may be set per question (QUESTION and the (q) kinds). */
int csat__prompt_kind_per_question(int32_t kind);
/* JSON names of question kinds ("rating", ...); NULL when out of range. */
const char *csat__question_kind_name(int32_t kind);
int32_t csat__question_kind_from_name(const char *name);

/* ASCII case-insensitive comparison of language tags (BCP 47 tags are). */
int csat__lang_eq(const char *a, const char *b);

/* Everything csat_survey_builder_finish checks. OK, or INVALID_SURVEY with a
 * message in msg and *question set to the offending question index (-1 when
 * the problem is not about one question). */
int csat__survey_validate(const csat_survey *s, char *msg, size_t cap, int32_t *question);

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
typedef struct csat__sreader {
  const struct csat__jdoc *doc;
  csat_error *err;
  csat_survey_builder *b;
  /* The survey's own object (a reader may step into a wrapper) and where
   * each question was read: where validation errors are reported. */
  const struct csat__jval *root;
  size_t qoff[CSAT__MAX_QUESTIONS];
} csat__sreader;
int csat__sreader_fail(csat__sreader *r, int code, size_t offset, const char *fmt, ...)
    CSAT__PRINTF(4, 5);
int csat__sreader_builder(csat__sreader *r, int rc, size_t offset);

/* Fill r->b (created by the reader) from the parsed document's root. */
typedef int (*csat__survey_reader)(csat__sreader *r, const struct csat__jval *root,
                                   const csat_allocator *alloc);
/* The body of both public readers: check the arguments, parse, run `read`,
 * then validate the survey (errors at the question's offset) and finish. */
int csat__survey_json_read(csat_survey **out, const char *json, size_t len,
                           const csat_allocator *alloc, csat_error *err,
                           csat__survey_reader read);

#endif /* CSAT_SURVEY_H */
