/* Survey definitions: the builder, validation, prompt lookup, accessors.
 * SPDX-License-Identifier: MIT */
#include "survey.h"

#include <string.h>

const char csat__default_task_name[] = "Low CSAT score on [Question] for contact [ContactId]";
const char csat__default_task_description[] =
    "Survey [SurveyId] ([SurveyName]): question [Question] was answered with score "
    "[Score] (rule [RuleName]). Contact [ContactId], agent [AgentId], queue [QueueId]. "
    "Comment: [Comment]";
const char csat__default_task_category[] = "csat-review";
const char csat__default_task_rule_name[] = "csat-low-score";

static const char *const prompt_kind_names[CSAT__PROMPT_SLOTS] = {
    NULL,         "intro",        "outro",   "question",         "invalid_input",
    "no_input",   "max_attempts", "thanks",  "already_answered", "opt_in_offer",
    "escalation", "invitation",   "opt_out", "expired"};

static const char *const question_kind_names[] = {NULL, "rating", "yes_no", "voice_comment",
                                                  "text_comment"};

const char *csat__survey_prompt_kind_name(int32_t kind) {
  return kind >= 1 && kind <= CSAT_PROMPT_KIND_MAX ? prompt_kind_names[kind] : NULL;
}

int32_t csat__survey_prompt_kind_from_name(const char *name) {
  int32_t k;
  for (k = 1; k <= CSAT_PROMPT_KIND_MAX; k++)
    if (strcmp(prompt_kind_names[k], name) == 0)
      return k;
  return 0;
}

int csat__survey_prompt_kind_per_question(int32_t kind) {
  return kind == CSAT_PROMPT_QUESTION || kind == CSAT_PROMPT_INVALID_INPUT ||
         kind == CSAT_PROMPT_NO_INPUT || kind == CSAT_PROMPT_MAX_ATTEMPTS;
}

const char *csat__survey_question_kind_name(int32_t kind) {
  return kind >= CSAT_Q_RATING && kind <= CSAT_Q_TEXT_COMMENT ? question_kind_names[kind] : NULL;
}

int32_t csat__survey_question_kind_from_name(const char *name) {
  int32_t k;
  for (k = CSAT_Q_RATING; k <= CSAT_Q_TEXT_COMMENT; k++)
    if (strcmp(question_kind_names[k], name) == 0)
      return k;
  return 0;
}

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

/* Compare a[0..an) and b[0..bn) ignoring ASCII case. */
static int lang_eqn(const char *a, size_t an, const char *b, size_t bn) {
  size_t i;
  if (an != bn)
    return 0;
  for (i = 0; i < an; i++)
    if (lower(a[i]) != lower(b[i]))
      return 0;
  return 1;
}

int csat__survey_lang_eq(const char *a, const char *b) {
  return lang_eqn(a, strlen(a), b, strlen(b));
}

/* Length of the primary subtag ("pl" of "pl-PL"). */
static size_t primary_len(const char *tag) {
  size_t i = 0;
  while (tag[i] != '\0' && tag[i] != '-')
    i++;
  return i;
}

/* ------------------------------------------------------------------------ */
/* Freeing                                                                  */
/* ------------------------------------------------------------------------ */

static void prompt_set_free(const csat__alloc *a, csat__prompt_set *set) {
  int32_t i;
  for (i = 0; i < set->count; i++) {
    csat__free(a, set->items[i].lang);
    csat__free(a, set->items[i].text);
    csat__free(a, set->items[i].audio);
  }
  csat__free(a, set->items);
  set->items = NULL;
  set->count = 0;
}

static void survey_destroy(csat_survey *s) {
  csat__alloc a;
  int32_t i, k;
  if (s == NULL)
    return;
  a = s->alloc;
  for (k = 0; k < CSAT__PROMPT_SLOTS; k++)
    prompt_set_free(&a, &s->prompts[k]);
  for (i = 0; i < s->question_count; i++) {
    csat__question *q = &s->questions[i];
    csat__free(&a, q->id);
    for (k = 0; k < CSAT__PROMPT_SLOTS; k++)
      prompt_set_free(&a, &q->prompts[k]);
  }
  csat__free(&a, s->questions);
  csat__free(&a, s->id);
  csat__free(&a, s->name);
  csat__free(&a, s->default_language);
  csat__free(&a, s->esc_transfer_target);
  csat__free(&a, s->task_name);
  csat__free(&a, s->task_description);
  csat__free(&a, s->task_category);
  csat__free(&a, s->task_target);
  csat__free(&a, s->task_rule_name);
  csat__free(&a, s);
}

void csat_survey_free(csat_survey *s) { survey_destroy(s); }

void csat_survey_builder_free(csat_survey_builder *b) {
  csat__alloc a;
  if (b == NULL)
    return;
  a = b->s->alloc;
  survey_destroy(b->s);
  csat__free(&a, b);
}

/* ------------------------------------------------------------------------ */
/* Argument checks                                                          */
/* ------------------------------------------------------------------------ */

static int bfail(csat_survey_builder *b, int code, const char *fmt, ...) CSAT__PRINTF(3, 4);

static int bfail(csat_survey_builder *b, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  csat__msg_vset(b->errmsg, sizeof b->errmsg, fmt, ap);
  va_end(ap);
  return code;
}

/* An id: 1..128 bytes of printable ASCII without spaces. */
static int id_check(const char *s, size_t *len) {
  size_t n, i;
  if (s == NULL)
    return CSAT_ERR_INVALID_ARG;
  n = csat__strnlen(s, CSAT__MAX_ID);
  if (n > CSAT__MAX_ID)
    return CSAT_ERR_LIMIT;
  if (n == 0)
    return CSAT_ERR_INVALID_ARG;
  for (i = 0; i < n; i++)
    if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7E)
      return CSAT_ERR_INVALID_ARG;
  *len = n;
  return CSAT_OK;
}

static int check_id(csat_survey_builder *b, const char *what, const char *s, size_t *len) {
  int rc = id_check(s, len);
  if (rc == CSAT_ERR_LIMIT)
    return bfail(b, rc, "%s is longer than %d bytes", what, CSAT__MAX_ID);
  if (rc != CSAT_OK)
    return bfail(b, rc, "%s must be 1..%d bytes of printable ASCII without spaces", what,
                 CSAT__MAX_ID);
  return CSAT_OK;
}

/* Language tag: subtags of 1..8 ASCII letters or digits joined by '-'. */
static int lang_valid(const char *s, size_t n) {
  size_t i, run = 0;
  if (n == 0)
    return 0;
  for (i = 0; i < n; i++) {
    char c = s[i];
    if (c == '-') {
      if (run == 0)
        return 0;
      run = 0;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      if (++run > 8)
        return 0;
    } else {
      return 0;
    }
  }
  return run > 0;
}

static int check_lang(csat_survey_builder *b, const char *lang, size_t *len) {
  size_t n = 0;
  if (lang == NULL)
    return bfail(b, CSAT_ERR_INVALID_ARG, "language tag is NULL");
  n = csat__strnlen(lang, CSAT__MAX_ID);
  if (n > CSAT__MAX_ID)
    return bfail(b, CSAT_ERR_LIMIT, "language tag is longer than %d bytes", CSAT__MAX_ID);
  if (!lang_valid(lang, n))
    return bfail(b, CSAT_ERR_INVALID_ARG,
                 "language tag \"%.32s\" is not subtags of 1..8 letters or digits joined by '-'",
                 lang);
  *len = n;
  return CSAT_OK;
}

/* A UTF-8 string of at most max bytes. */
static int check_text(csat_survey_builder *b, const char *what, const char *s, size_t max,
                      size_t *len) {
  size_t n = 0;
  if (s == NULL)
    return bfail(b, CSAT_ERR_INVALID_ARG, "%s is NULL", what);
  n = csat__strnlen(s, max);
  if (n > max)
    return bfail(b, CSAT_ERR_LIMIT, "%s is longer than %d bytes", what, (int)max);
  if (!csat__utf8_valid(s, n))
    return bfail(b, CSAT_ERR_UTF8, "%s is not valid UTF-8 (at byte %d)", what,
                 (int)csat__utf8_invalid_at(s, n));
  *len = n;
  return CSAT_OK;
}

/* Replace *slot with a copy of s[0..n) (s NULL: NULL). The old value is freed
 * only after the copy succeeded, so s may alias it. */
static int replace_str(csat_survey_builder *b, char **slot, const char *s, size_t n) {
  char *copy = NULL;
  if (s != NULL) {
    copy = csat__strndup(&b->s->alloc, s, n);
    if (copy == NULL)
      return bfail(b, CSAT_ERR_NOMEM, "out of memory");
  }
  csat__free(&b->s->alloc, *slot);
  *slot = copy;
  return CSAT_OK;
}

static int check_question(csat_survey_builder *b, int32_t question) {
  if (question < 0 || question >= b->s->question_count)
    return bfail(b, CSAT_ERR_INVALID_ARG, "no question with index %d", (int)question);
  return CSAT_OK;
}

static int has_score(int32_t kind) { return kind == CSAT_Q_RATING || kind == CSAT_Q_YES_NO; }

/* Common start of every setter: NULL check and a fresh message. */
#define BEGIN(b)                   \
  do {                             \
    if ((b) == NULL)               \
      return CSAT_ERR_INVALID_ARG; \
    (b)->errmsg[0] = '\0';         \
  } while (0)

/* ------------------------------------------------------------------------ */
/* Builder                                                                  */
/* ------------------------------------------------------------------------ */

int csat_survey_builder_new(csat_survey_builder **out, const char *id, int32_t version,
                            const csat_allocator *alloc) {
  csat__alloc a;
  csat_survey_builder *b;
  csat_survey *s;
  size_t n = 0;
  if (out == NULL)
    return CSAT_ERR_INVALID_ARG;
  *out = NULL;
  if (csat__alloc_init(&a, alloc) != CSAT_OK || id_check(id, &n) != CSAT_OK || version < 1)
    return CSAT_ERR_INVALID_ARG;
  b = csat__calloc(&a, sizeof *b);
  if (b == NULL)
    return CSAT_ERR_NOMEM;
  s = csat__calloc(&a, sizeof *s);
  if (s == NULL) {
    csat__free(&a, b);
    return CSAT_ERR_NOMEM;
  }
  b->s = s;
  s->alloc = a;
  s->version = version;
  s->mode = CSAT_MODE_ON_DEMAND;
  s->esc_enabled = 0;
  s->esc_below = 3;
  s->esc_callback = 0;
  s->task_enabled = 1;
  s->first_digit_timeout_ms = 5000;
  s->inter_digit_timeout_ms = 3000;
  s->terminator = '#';
  s->max_repeats = 3;
  s->text_window_ms = CSAT__WINDOW_DEFAULT;
  s->text_multiple = 0;
  s->id = csat__strndup(&a, id, n);
  s->name = csat__strndup(&a, "", 0);
  s->default_language = csat__strndup(&a, "en", 2);
  s->task_name = csat__strndup(&a, csat__default_task_name, sizeof csat__default_task_name - 1);
  s->task_description =
      csat__strndup(&a, csat__default_task_description, sizeof csat__default_task_description - 1);
  s->task_category =
      csat__strndup(&a, csat__default_task_category, sizeof csat__default_task_category - 1);
  s->task_target = csat__strndup(&a, "", 0);
  s->task_rule_name =
      csat__strndup(&a, csat__default_task_rule_name, sizeof csat__default_task_rule_name - 1);
  if (s->id == NULL || s->name == NULL || s->default_language == NULL || s->task_name == NULL ||
      s->task_description == NULL || s->task_category == NULL || s->task_target == NULL ||
      s->task_rule_name == NULL) {
    csat_survey_builder_free(b);
    return CSAT_ERR_NOMEM;
  }
  *out = b;
  return CSAT_OK;
}

const char *csat_survey_builder_errmsg(const csat_survey_builder *b) {
  return b == NULL ? "" : b->errmsg;
}

int csat_survey_builder_set_name(csat_survey_builder *b, const char *name) {
  size_t n = 0;
  int rc;
  BEGIN(b);
  if ((rc = check_text(b, "name", name, CSAT__MAX_ID, &n)) != CSAT_OK)
    return rc;
  return replace_str(b, &b->s->name, name, n);
}

int csat_survey_builder_set_default_language(csat_survey_builder *b, const char *lang) {
  size_t n = 0;
  int rc;
  BEGIN(b);
  if ((rc = check_lang(b, lang, &n)) != CSAT_OK)
    return rc;
  return replace_str(b, &b->s->default_language, lang, n);
}

int csat_survey_builder_set_mode(csat_survey_builder *b, int32_t mode) {
  BEGIN(b);
  if (mode != CSAT_MODE_ON_DEMAND && mode != CSAT_MODE_OPT_IN)
    return bfail(b, CSAT_ERR_INVALID_ARG, "mode must be CSAT_MODE_ON_DEMAND or CSAT_MODE_OPT_IN");
  b->s->mode = mode;
  return CSAT_OK;
}

static int32_t prompt_find(const csat__prompt_set *set, const char *lang, size_t n) {
  int32_t i;
  for (i = 0; i < set->count; i++)
    if (lang_eqn(set->items[i].lang, strlen(set->items[i].lang), lang, n))
      return i;
  return -1;
}

/* Prompt sets of a survey by a flat index: the survey's own, then each question's. */
static int32_t set_total(const csat_survey *s) {
  return (s->question_count + 1) * CSAT__PROMPT_SLOTS;
}

static const csat__prompt_set *set_at(const csat_survey *s, int32_t idx) {
  int32_t q = idx / CSAT__PROMPT_SLOTS - 1, k = idx % CSAT__PROMPT_SLOTS;
  return q < 0 ? &s->prompts[k] : &s->questions[q].prompts[k];
}

/* Would adding `lang` exceed the limit of distinct languages per survey? */
static int too_many_languages(const csat_survey *s, const char *lang, size_t n) {
  const char *seen[CSAT__MAX_LANGUAGES];
  int32_t count = 0, x, i, j, total = set_total(s);
  for (x = 0; x < total; x++)
    if (prompt_find(set_at(s, x), lang, n) >= 0)
      return 0; /* already in use */
  for (x = 0; x < total; x++) {
    const csat__prompt_set *set = set_at(s, x);
    for (i = 0; i < set->count; i++) {
      const char *l = set->items[i].lang;
      for (j = 0; j < count; j++)
        if (csat__survey_lang_eq(seen[j], l))
          break;
      if (j == count) {
        if (count == CSAT__MAX_LANGUAGES)
          return 1; /* cannot happen: the limit holds on every insert */
        seen[count++] = l;
      }
    }
  }
  return count >= CSAT__MAX_LANGUAGES;
}

int csat_survey_builder_set_prompt(csat_survey_builder *b, int32_t kind, int32_t question,
                                   const char *lang, const char *text, const char *audio) {
  csat_survey *s;
  csat__prompt_set *set;
  csat__prompt_text *items;
  size_t ln = 0, tn = 0, an = 0;
  char *nl = NULL, *nt = NULL, *na = NULL;
  int32_t i;
  int rc;
  BEGIN(b);
  s = b->s;
  if (kind < 1 || kind > CSAT_PROMPT_KIND_MAX)
    return bfail(b, CSAT_ERR_INVALID_ARG, "unknown prompt kind %d", (int)kind);
  if (question == -1) {
    if (kind == CSAT_PROMPT_QUESTION)
      return bfail(b, CSAT_ERR_INVALID_ARG, "question prompts are set per question");
    set = &s->prompts[kind];
  } else {
    if ((rc = check_question(b, question)) != CSAT_OK)
      return rc;
    if (!csat__survey_prompt_kind_per_question(kind))
      return bfail(b, CSAT_ERR_INVALID_ARG, "%s prompts cannot be set per question",
                   prompt_kind_names[kind]);
    set = &s->questions[question].prompts[kind];
  }
  if (lang == NULL)
    lang = s->default_language;
  if ((rc = check_lang(b, lang, &ln)) != CSAT_OK)
    return rc;
  if (text == NULL && audio == NULL)
    return bfail(b, CSAT_ERR_INVALID_ARG, "a prompt needs a text or an audio reference");
  if (text != NULL && (rc = check_text(b, "prompt text", text, CSAT__MAX_PROMPT, &tn)) != CSAT_OK)
    return rc;
  if (audio != NULL) {
    if ((rc = check_text(b, "audio reference", audio, CSAT__MAX_AUDIO, &an)) != CSAT_OK)
      return rc;
    if (an == 0)
      return bfail(b, CSAT_ERR_INVALID_ARG, "audio reference is empty");
  }
  i = prompt_find(set, lang, ln);
  if (i < 0 && too_many_languages(s, lang, ln))
    return bfail(b, CSAT_ERR_LIMIT, "more than %d languages", CSAT__MAX_LANGUAGES);
  if ((text != NULL && (nt = csat__strndup(&s->alloc, text, tn)) == NULL) ||
      (audio != NULL && (na = csat__strndup(&s->alloc, audio, an)) == NULL))
    goto nomem;
  if (i < 0) {
    if ((nl = csat__strndup(&s->alloc, lang, ln)) == NULL)
      goto nomem;
    items = csat__realloc(&s->alloc, set->items, (size_t)(set->count + 1) * sizeof *items);
    if (items == NULL)
      goto nomem;
    set->items = items;
    i = set->count++;
    items[i].lang = nl;
    items[i].text = NULL;
    items[i].audio = NULL;
  }
  csat__free(&s->alloc, set->items[i].text);
  csat__free(&s->alloc, set->items[i].audio);
  set->items[i].text = nt;
  set->items[i].audio = na;
  return CSAT_OK;
nomem:
  csat__free(&s->alloc, nl);
  csat__free(&s->alloc, nt);
  csat__free(&s->alloc, na);
  return bfail(b, CSAT_ERR_NOMEM, "out of memory");
}

int csat_survey_builder_add_question(csat_survey_builder *b, const char *id, int32_t kind,
                                     int32_t min, int32_t max, int32_t *index_out) {
  csat_survey *s;
  csat__question *q;
  size_t n = 0;
  char *nid;
  int32_t i;
  int rc;
  BEGIN(b);
  s = b->s;
  if ((rc = check_id(b, "question id", id, &n)) != CSAT_OK)
    return rc;
  for (i = 0; i < s->question_count; i++)
    if (strcmp(s->questions[i].id, id) == 0)
      return bfail(b, CSAT_ERR_INVALID_ARG, "duplicate question id \"%s\"", id);
  switch (kind) {
  case CSAT_Q_RATING:
    if (min < 0 || min >= max || max > 10)
      return bfail(b, CSAT_ERR_INVALID_ARG,
                   "rating scale must satisfy 0 <= min < max <= 10 (got %d..%d)", (int)min,
                   (int)max);
    break;
  case CSAT_Q_YES_NO:
    min = 0;
    max = 1;
    break;
  case CSAT_Q_VOICE_COMMENT:
  case CSAT_Q_TEXT_COMMENT:
    min = 0;
    max = 0;
    break;
  default: return bfail(b, CSAT_ERR_INVALID_ARG, "unknown question kind %d", (int)kind);
  }
  if (s->question_count >= CSAT__MAX_QUESTIONS)
    return bfail(b, CSAT_ERR_LIMIT, "more than %d questions", CSAT__MAX_QUESTIONS);
  if ((nid = csat__strndup(&s->alloc, id, n)) == NULL)
    return bfail(b, CSAT_ERR_NOMEM, "out of memory");
  if (s->question_count == s->question_cap) {
    int32_t cap = s->question_cap ? s->question_cap * 2 : 4;
    csat__question *qs;
    if (cap > CSAT__MAX_QUESTIONS)
      cap = CSAT__MAX_QUESTIONS;
    qs = csat__realloc(&s->alloc, s->questions, (size_t)cap * sizeof *qs);
    if (qs == NULL) {
      csat__free(&s->alloc, nid);
      return bfail(b, CSAT_ERR_NOMEM, "out of memory");
    }
    s->questions = qs;
    s->question_cap = cap;
  }
  q = &s->questions[s->question_count];
  memset(q, 0, sizeof *q);
  q->id = nid;
  q->kind = kind;
  q->min = min;
  q->max = max;
  q->flag_enabled = 0;
  q->flag_threshold = min;
  q->max_attempts = 3;
  q->on_exhausted = CSAT_EXHAUSTED_SKIP;
  q->cond_parent = -1;
  q->cond_at_most = 0;
  q->max_duration_ms = 60000;
  q->silence_timeout_ms = 3000;
  if (index_out != NULL)
    *index_out = s->question_count;
  s->question_count++;
  return CSAT_OK;
}

int csat_survey_builder_set_flag(csat_survey_builder *b, int32_t question, int32_t enabled,
                                 int32_t threshold) {
  csat__question *q;
  int rc;
  BEGIN(b);
  if ((rc = check_question(b, question)) != CSAT_OK)
    return rc;
  q = &b->s->questions[question];
  if (!has_score(q->kind))
    return bfail(b, CSAT_ERR_INVALID_ARG, "question \"%s\" has no score to flag", q->id);
  if (threshold < q->min || threshold > q->max)
    return bfail(b, CSAT_ERR_INVALID_ARG, "flag threshold %d is outside the scale %d..%d",
                 (int)threshold, (int)q->min, (int)q->max);
  q->flag_enabled = enabled != 0;
  q->flag_threshold = threshold;
  return CSAT_OK;
}

int csat_survey_builder_set_attempts(csat_survey_builder *b, int32_t question, int32_t max_attempts,
                                     int32_t on_exhausted) {
  int rc;
  BEGIN(b);
  if ((rc = check_question(b, question)) != CSAT_OK)
    return rc;
  if (max_attempts < 1 || max_attempts > 9)
    return bfail(b, CSAT_ERR_INVALID_ARG, "attempts must be 1..9 (got %d)", (int)max_attempts);
  if (on_exhausted != CSAT_EXHAUSTED_SKIP && on_exhausted != CSAT_EXHAUSTED_END)
    return bfail(b, CSAT_ERR_INVALID_ARG,
                 "on_exhausted must be CSAT_EXHAUSTED_SKIP or CSAT_EXHAUSTED_END");
  b->s->questions[question].max_attempts = max_attempts;
  b->s->questions[question].on_exhausted = on_exhausted;
  return CSAT_OK;
}

int csat_survey_builder_set_condition(csat_survey_builder *b, int32_t question, int32_t parent,
                                      int32_t at_most) {
  const csat__question *p;
  int rc;
  BEGIN(b);
  if ((rc = check_question(b, question)) != CSAT_OK)
    return rc;
  if (parent == -1) { /* remove the condition */
    b->s->questions[question].cond_parent = -1;
    b->s->questions[question].cond_at_most = 0;
    return CSAT_OK;
  }
  if (parent < 0 || parent >= question)
    return bfail(b, CSAT_ERR_INVALID_ARG, "the condition's parent must be an earlier question");
  p = &b->s->questions[parent];
  if (!has_score(p->kind))
    return bfail(b, CSAT_ERR_INVALID_ARG, "the condition's parent \"%s\" has no score", p->id);
  if (at_most < p->min || at_most > p->max)
    return bfail(b, CSAT_ERR_INVALID_ARG, "condition bound %d is outside the scale %d..%d",
                 (int)at_most, (int)p->min, (int)p->max);
  b->s->questions[question].cond_parent = parent;
  b->s->questions[question].cond_at_most = at_most;
  return CSAT_OK;
}

int csat_survey_builder_set_escalation(csat_survey_builder *b, int32_t enabled, int32_t below,
                                       const char *transfer_target, int32_t callback) {
  size_t n = 0;
  int rc;
  BEGIN(b);
  if (below < 1 || below > 10)
    return bfail(b, CSAT_ERR_INVALID_ARG, "escalation bound must be 1..10 (got %d)", (int)below);
  if (transfer_target != NULL) {
    if ((rc = check_text(b, "transfer target", transfer_target, CSAT__MAX_ID, &n)) != CSAT_OK)
      return rc;
    if (n == 0)
      transfer_target = NULL; /* "" offers no transfer, like NULL */
  }
  if ((rc = replace_str(b, &b->s->esc_transfer_target, transfer_target, n)) != CSAT_OK)
    return rc;
  b->s->esc_enabled = enabled != 0;
  b->s->esc_below = below;
  b->s->esc_callback = callback != 0;
  return CSAT_OK;
}

int csat_survey_builder_set_task(csat_survey_builder *b, int32_t enabled, const char *name_template,
                                 const char *description_template, const char *category,
                                 const char *target, const char *rule_name) {
  const char *in[5];
  static const char *const what[5] = {"task name template", "task description template",
                                      "task category", "task target", "rule name"};
  static const size_t max[5] = {CSAT__MAX_TEMPLATE, CSAT__MAX_TEMPLATE, CSAT__MAX_TEMPLATE,
                                CSAT__MAX_ID, CSAT__MAX_ID};
  char *copy[5] = {NULL, NULL, NULL, NULL, NULL};
  char **slot[5];
  size_t n[5] = {0, 0, 0, 0, 0};
  int k, rc;
  BEGIN(b);
  in[0] = name_template;
  in[1] = description_template;
  in[2] = category;
  in[3] = target;
  in[4] = rule_name;
  slot[0] = &b->s->task_name;
  slot[1] = &b->s->task_description;
  slot[2] = &b->s->task_category;
  slot[3] = &b->s->task_target;
  slot[4] = &b->s->task_rule_name;
  for (k = 0; k < 5; k++)
    if (in[k] != NULL && (rc = check_text(b, what[k], in[k], max[k], &n[k])) != CSAT_OK)
      return rc;
  for (k = 0; k < 5; k++) {
    if (in[k] != NULL && (copy[k] = csat__strndup(&b->s->alloc, in[k], n[k])) == NULL) {
      while (k-- > 0)
        csat__free(&b->s->alloc, copy[k]);
      return bfail(b, CSAT_ERR_NOMEM, "out of memory");
    }
  }
  for (k = 0; k < 5; k++) {
    if (copy[k] != NULL) {
      csat__free(&b->s->alloc, *slot[k]);
      *slot[k] = copy[k];
    }
  }
  b->s->task_enabled = enabled != 0;
  return CSAT_OK;
}

int csat_survey_builder_set_recording(csat_survey_builder *b, int32_t question,
                                      int32_t max_duration_ms, int32_t silence_timeout_ms) {
  csat__question *q;
  int rc;
  BEGIN(b);
  if ((rc = check_question(b, question)) != CSAT_OK)
    return rc;
  q = &b->s->questions[question];
  if (q->kind != CSAT_Q_VOICE_COMMENT)
    return bfail(b, CSAT_ERR_INVALID_ARG, "question \"%s\" is not a voice comment", q->id);
  if (max_duration_ms < 1000 || max_duration_ms > 600000)
    return bfail(b, CSAT_ERR_INVALID_ARG, "max_duration_ms must be 1000..600000 (got %d)",
                 (int)max_duration_ms);
  if (silence_timeout_ms < 500 || silence_timeout_ms > 60000)
    return bfail(b, CSAT_ERR_INVALID_ARG, "silence_timeout_ms must be 500..60000 (got %d)",
                 (int)silence_timeout_ms);
  q->max_duration_ms = max_duration_ms;
  q->silence_timeout_ms = silence_timeout_ms;
  return CSAT_OK;
}

int csat_survey_builder_set_input(csat_survey_builder *b, int32_t first_digit_timeout_ms,
                                  int32_t inter_digit_timeout_ms, int32_t terminator,
                                  int32_t max_repeats) {
  BEGIN(b);
  if (first_digit_timeout_ms < 100 || first_digit_timeout_ms > 600000)
    return bfail(b, CSAT_ERR_INVALID_ARG, "first_digit_timeout_ms must be 100..600000 (got %d)",
                 (int)first_digit_timeout_ms);
  if (inter_digit_timeout_ms < 100 || inter_digit_timeout_ms > 600000)
    return bfail(b, CSAT_ERR_INVALID_ARG, "inter_digit_timeout_ms must be 100..600000 (got %d)",
                 (int)inter_digit_timeout_ms);
  if (terminator != '#' && terminator != 0)
    return bfail(b, CSAT_ERR_INVALID_ARG, "terminator must be '#' or 0 ('*' repeats)");
  if (max_repeats < 0 || max_repeats > 9)
    return bfail(b, CSAT_ERR_INVALID_ARG, "max_repeats must be 0..9 (got %d)", (int)max_repeats);
  b->s->first_digit_timeout_ms = first_digit_timeout_ms;
  b->s->inter_digit_timeout_ms = inter_digit_timeout_ms;
  b->s->terminator = terminator;
  b->s->max_repeats = max_repeats;
  return CSAT_OK;
}

int csat_survey_builder_set_text(csat_survey_builder *b, int64_t window_ms,
                                 int32_t multiple_answers) {
  BEGIN(b);
  if (window_ms < CSAT__WINDOW_MIN || window_ms > CSAT__WINDOW_MAX)
    return bfail(b, CSAT_ERR_INVALID_ARG,
                 "window_ms must be 60000..2592000000 (1 minute to 30 days)");
  b->s->text_window_ms = window_ms;
  b->s->text_multiple = multiple_answers != 0;
  return CSAT_OK;
}

/* ------------------------------------------------------------------------ */
/* Validation and finish                                                    */
/* ------------------------------------------------------------------------ */

static int vfail(char *msg, size_t cap, int32_t *qout, int32_t q, const char *fmt, ...)
    CSAT__PRINTF(5, 6);

static int vfail(char *msg, size_t cap, int32_t *qout, int32_t q, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  csat__msg_vset(msg, cap, fmt, ap);
  va_end(ap);
  *qout = q;
  return CSAT_ERR_INVALID_SURVEY;
}

static int str_ok(const char *s, size_t max, int may_be_null) {
  size_t n = 0;
  if (s == NULL)
    return may_be_null;
  n = csat__strnlen(s, max);
  return n <= max && csat__utf8_valid(s, n);
}

static int set_ok(const csat__prompt_set *set) {
  int32_t i;
  for (i = 0; i < set->count; i++) {
    const csat__prompt_text *p = &set->items[i];
    size_t ln;
    if (p->lang == NULL || (ln = csat__strnlen(p->lang, CSAT__MAX_ID)) > CSAT__MAX_ID ||
        !lang_valid(p->lang, ln) || (p->text == NULL && p->audio == NULL) ||
        !str_ok(p->text, CSAT__MAX_PROMPT, 1) || !str_ok(p->audio, CSAT__MAX_AUDIO, 1))
      return 0;
  }
  return 1;
}

int csat__survey_validate(const csat_survey *s, char *msg, size_t cap, int32_t *question) {
  int32_t i, j, k;
  size_t n = 0;
  *question = -1;
  if (msg != NULL && cap > 0)
    msg[0] = '\0';
  if (id_check(s->id, &n) != CSAT_OK || s->version < 1)
    return vfail(msg, cap, question, -1, "survey id or version is invalid");
  if (!str_ok(s->name, CSAT__MAX_ID, 0))
    return vfail(msg, cap, question, -1, "survey name is invalid");
  if (s->default_language == NULL ||
      (n = csat__strnlen(s->default_language, CSAT__MAX_ID)) > CSAT__MAX_ID ||
      !lang_valid(s->default_language, n))
    return vfail(msg, cap, question, -1, "default language is invalid");
  if (s->mode != CSAT_MODE_ON_DEMAND && s->mode != CSAT_MODE_OPT_IN)
    return vfail(msg, cap, question, -1, "mode is invalid");
  if (s->question_count < 1)
    return vfail(msg, cap, question, -1, "a survey needs at least one question");
  if (s->question_count > CSAT__MAX_QUESTIONS)
    return vfail(msg, cap, question, -1, "more than %d questions", CSAT__MAX_QUESTIONS);
  for (k = 1; k < CSAT__PROMPT_SLOTS; k++) {
    if (!set_ok(&s->prompts[k]) || (k == CSAT_PROMPT_QUESTION && s->prompts[k].count != 0))
      return vfail(msg, cap, question, -1, "survey-level %s prompt is invalid",
                   prompt_kind_names[k]);
  }
  for (i = 0; i < s->question_count; i++) {
    const csat__question *q = &s->questions[i];
    if (id_check(q->id, &n) != CSAT_OK)
      return vfail(msg, cap, question, i, "question %d: id is invalid", (int)i);
    for (j = 0; j < i; j++)
      if (strcmp(s->questions[j].id, q->id) == 0)
        return vfail(msg, cap, question, i, "question %d: duplicate id \"%s\"", (int)i, q->id);
    switch (q->kind) {
    case CSAT_Q_RATING:
      if (q->min < 0 || q->min >= q->max || q->max > 10)
        return vfail(msg, cap, question, i,
                     "question \"%s\": rating scale must satisfy 0 <= min < max <= 10", q->id);
      break;
    case CSAT_Q_YES_NO:
      if (q->min != 0 || q->max != 1)
        return vfail(msg, cap, question, i, "question \"%s\": yes/no scale must be 0..1", q->id);
      break;
    case CSAT_Q_VOICE_COMMENT:
    case CSAT_Q_TEXT_COMMENT:
      if (q->min != 0 || q->max != 0 || q->flag_enabled)
        return vfail(msg, cap, question, i, "question \"%s\": a comment has no score", q->id);
      break;
    default: return vfail(msg, cap, question, i, "question %d: unknown kind", (int)i);
    }
    if (q->flag_threshold < q->min || q->flag_threshold > q->max)
      return vfail(msg, cap, question, i, "question \"%s\": flag threshold outside the scale",
                   q->id);
    if (q->max_attempts < 1 || q->max_attempts > 9 ||
        (q->on_exhausted != CSAT_EXHAUSTED_SKIP && q->on_exhausted != CSAT_EXHAUSTED_END))
      return vfail(msg, cap, question, i, "question \"%s\": attempts are invalid", q->id);
    if (q->cond_parent != -1) {
      const csat__question *p;
      if (q->cond_parent < 0 || q->cond_parent >= i)
        return vfail(msg, cap, question, i,
                     "question \"%s\": condition parent must be an earlier question", q->id);
      p = &s->questions[q->cond_parent];
      if (!has_score(p->kind) || q->cond_at_most < p->min || q->cond_at_most > p->max)
        return vfail(msg, cap, question, i,
                     "question \"%s\": condition must bound a score of its parent's scale", q->id);
    }
    if (q->max_duration_ms < 1000 || q->max_duration_ms > 600000 || q->silence_timeout_ms < 500 ||
        q->silence_timeout_ms > 60000)
      return vfail(msg, cap, question, i, "question \"%s\": recording limits are invalid", q->id);
    for (k = 1; k < CSAT__PROMPT_SLOTS; k++)
      if (!set_ok(&q->prompts[k]) ||
          (!csat__survey_prompt_kind_per_question(k) && q->prompts[k].count != 0))
        return vfail(msg, cap, question, i, "question \"%s\": %s prompt is invalid", q->id,
                     prompt_kind_names[k]);
    if (csat__survey_prompt(s, CSAT_PROMPT_QUESTION, i, s->default_language) == NULL)
      return vfail(msg, cap, question, i,
                   "question \"%s\" has no question prompt in the default language \"%s\"", q->id,
                   s->default_language);
  }
  /* A menu asks for a digit: without its prompt the caller would be asked
   * to press a key after hearing nothing. */
  if (s->mode == CSAT_MODE_OPT_IN &&
      csat__survey_prompt(s, CSAT_PROMPT_OPT_IN_OFFER, -1, s->default_language) == NULL)
    return vfail(msg, cap, question, -1,
                 "opt-in mode needs an opt_in_offer prompt in the default language \"%s\"",
                 s->default_language);
  if (s->esc_enabled &&
      csat__survey_prompt(s, CSAT_PROMPT_ESCALATION, -1, s->default_language) == NULL)
    return vfail(msg, cap, question, -1,
                 "escalation needs an escalation prompt in the default language \"%s\"",
                 s->default_language);
  if (s->first_digit_timeout_ms < 100 || s->first_digit_timeout_ms > 600000 ||
      s->inter_digit_timeout_ms < 100 || s->inter_digit_timeout_ms > 600000 ||
      (s->terminator != '#' && s->terminator != 0) || s->max_repeats < 0 || s->max_repeats > 9)
    return vfail(msg, cap, question, -1, "input settings are invalid");
  if (s->text_window_ms < CSAT__WINDOW_MIN || s->text_window_ms > CSAT__WINDOW_MAX ||
      (s->text_multiple != 0 && s->text_multiple != 1))
    return vfail(msg, cap, question, -1, "text settings are invalid");
  if (s->esc_below < 1 || s->esc_below > 10 ||
      (s->esc_transfer_target != NULL &&
       (s->esc_transfer_target[0] == '\0' || !str_ok(s->esc_transfer_target, CSAT__MAX_ID, 0))))
    return vfail(msg, cap, question, -1, "escalation settings are invalid");
  if (!str_ok(s->task_name, CSAT__MAX_TEMPLATE, 0) ||
      !str_ok(s->task_description, CSAT__MAX_TEMPLATE, 0) ||
      !str_ok(s->task_category, CSAT__MAX_TEMPLATE, 0) ||
      !str_ok(s->task_target, CSAT__MAX_ID, 0) || !str_ok(s->task_rule_name, CSAT__MAX_ID, 0))
    return vfail(msg, cap, question, -1, "task settings are invalid");
  return CSAT_OK;
}

int csat_survey_builder_finish(csat_survey_builder *b, csat_survey **out, csat_error *err) {
  csat_survey *s;
  csat__alloc a;
  int32_t q;
  int rc;
  if (out != NULL)
    *out = NULL;
  if (b == NULL || out == NULL) {
    csat__error_set(err, CSAT_ERR_INVALID_ARG, 0, 0, 0, "builder or out is NULL");
    return CSAT_ERR_INVALID_ARG;
  }
  b->errmsg[0] = '\0';
  rc = csat__survey_validate(b->s, b->errmsg, sizeof b->errmsg, &q);
  if (rc != CSAT_OK) {
    csat__error_set(err, rc, 0, 0, 0, "%s", b->errmsg);
    return rc;
  }
  s = b->s;
  s->fingerprint = csat__survey_fingerprint(s);
  a = s->alloc;
  csat__free(&a, b);
  *out = s;
  return CSAT_OK;
}

/* ------------------------------------------------------------------------ */
/* Prompt lookup and accessors                                              */
/* ------------------------------------------------------------------------ */

/* The entry of `set` whose language tag equals tag[0..len), or NULL. */
static const csat__prompt_text *lookup_lang(const csat__prompt_set *set, const char *tag,
                                            size_t len) {
  int32_t i;
  for (i = 0; i < set->count; i++) {
    const char *l = set->items[i].lang;
    if (lang_eqn(l, strlen(l), tag, len))
      return &set->items[i];
  }
  return NULL;
}

/*
 * The caller's language matters more than how specific a prompt is: a Polish
 * caller hears the survey-level Polish "invalid input" rather than an English
 * one written for the question. So languages are the outer loop (the
 * requested tag, its primary subtag, the default language, its primary
 * subtag) and, within each, the question's own prompt wins over the
 * survey-level one. QUESTION prompts exist only per question.
 */
const csat__prompt_text *csat__survey_prompt(const csat_survey *s, int32_t kind, int32_t question,
                                             const char *lang) {
  const char *cand[4];
  size_t len[4];
  const csat__prompt_set *own = NULL, *common = NULL;
  const csat__prompt_text *p;
  int c;
  if (s == NULL || kind < 1 || kind > CSAT_PROMPT_KIND_MAX || question < -1 ||
      question >= s->question_count)
    return NULL;
  if (lang == NULL || lang[0] == '\0')
    lang = s->default_language;
  if (question >= 0)
    own = &s->questions[question].prompts[kind];
  if (kind != CSAT_PROMPT_QUESTION)
    common = &s->prompts[kind];
  cand[0] = lang;
  len[0] = strlen(lang);
  cand[1] = lang;
  len[1] = primary_len(lang);
  cand[2] = s->default_language;
  len[2] = strlen(s->default_language);
  cand[3] = s->default_language;
  len[3] = primary_len(s->default_language);
  for (c = 0; c < 4; c++) {
    if (c % 2 == 1 && len[c] == len[c - 1])
      continue; /* no subtag to drop */
    if (own != NULL && (p = lookup_lang(own, cand[c], len[c])) != NULL)
      return p;
    if (common != NULL && (p = lookup_lang(common, cand[c], len[c])) != NULL)
      return p;
  }
  return NULL;
}

const char *csat_survey_id(const csat_survey *s) { return s == NULL ? NULL : s->id; }

int32_t csat_survey_version(const csat_survey *s) { return s == NULL ? 0 : s->version; }

const char *csat_survey_name(const csat_survey *s) { return s == NULL ? NULL : s->name; }

int32_t csat_survey_question_count(const csat_survey *s) {
  return s == NULL ? 0 : s->question_count;
}

const char *csat_survey_question_id(const csat_survey *s, int32_t index) {
  if (s == NULL || index < 0 || index >= s->question_count)
    return NULL;
  return s->questions[index].id;
}

int32_t csat_survey_question_index(const csat_survey *s, const char *id) {
  int32_t i;
  if (s == NULL || id == NULL)
    return CSAT_ERR_INVALID_ARG;
  for (i = 0; i < s->question_count; i++)
    if (strcmp(s->questions[i].id, id) == 0)
      return i;
  return CSAT_ERR_NOT_FOUND;
}
