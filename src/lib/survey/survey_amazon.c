/* Import of the survey item format of "Contact Surveys for Amazon Connect":
 * surveyId (or id), surveyName, min, max, introPrompt, outroPrompt,
 * question_N and flag_question_N. Values may be plain JSON or DynamoDB typed
 * attributes ({"S": "..."}, {"N": "3"}), and the item may be wrapped in
 * {"Item": {...}}. Numbers may be JSON integers or numeric strings. Unknown
 * members are ignored: this is a migration path, not our own format.
 * SPDX-License-Identifier: MIT */
#include "base/json.h"
#include "survey.h"

#include <string.h>

typedef struct aq {
  uint32_t number;
  const csat__jmem *m;
} aq;

/* A DynamoDB typed attribute {"S": x} or {"N": x} stands for x. */
static const csat__jval *unwrap(const csat__jval *v) {
  if (v->type == CSAT__J_OBJECT && v->len == 1 &&
      (strcmp(v->u.members[0].key, "S") == 0 || strcmp(v->u.members[0].key, "N") == 0))
    return &v->u.members[0].val;
  return v;
}

/* "question_12" -> 12. Returns 1 for a canonical positive number, -1 for
 * digits that are not one (0, leading zeros, too long), 0 for no digits-only
 * suffix (another member: ignored). */
static int suffix_number(const char *key, const char *prefix, uint32_t *n) {
  size_t pl = strlen(prefix), i;
  uint32_t v = 0;
  if (strncmp(key, prefix, pl) != 0 || key[pl] == '\0')
    return 0;
  for (i = pl; key[i] != '\0'; i++)
    if (key[i] < '0' || key[i] > '9')
      return 0;
  if (key[pl] == '0' || i - pl > 9)
    return -1;
  for (i = pl; key[i] != '\0'; i++)
    v = v * 10 + (uint32_t)(key[i] - '0');
  *n = v;
  return 1;
}

/* An integer given as a JSON number or a numeric string ("-1", "5").
 * *absent = 1 for null or "" (when the caller allows it). */
static int want_num(csat__survey_json_reader *r, const csat__jval *v, const char *what,
                    int32_t *out, int *absent) {
  v = unwrap(v);
  if (absent != NULL)
    *absent = 0;
  if (v->type == CSAT__J_NUMBER) {
    if (!v->is_int || v->big || v->num < INT32_MIN || v->num > INT32_MAX)
      return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, v->offset,
                                      "%s must be an integer", what);
    *out = (int32_t)v->num;
    return CSAT_OK;
  }
  if (absent != NULL && (v->type == CSAT__J_NULL || (v->type == CSAT__J_STRING && v->len == 0))) {
    *absent = 1;
    return CSAT_OK;
  }
  if (v->type == CSAT__J_STRING) {
    const char *s = v->u.str;
    int neg = s[0] == '-';
    int64_t m = 0;
    size_t i = (size_t)neg;
    if (s[i] == '\0')
      goto bad;
    for (; s[i] != '\0'; i++) {
      if (s[i] < '0' || s[i] > '9')
        goto bad;
      m = m * 10 + (s[i] - '0');
      if (m > (int64_t)INT32_MAX + 1)
        goto bad;
    }
    if (neg)
      m = -m;
    if (m < INT32_MIN || m > INT32_MAX)
      goto bad;
    *out = (int32_t)m;
    return CSAT_OK;
  }
bad:
  return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, v->offset,
                                  "%s must be an integer or a string holding one", what);
}

static int want_text(csat__survey_json_reader *r, const csat__jval *v, const char *what,
                     const char **out) {
  v = unwrap(v);
  if (v->type != CSAT__J_STRING)
    return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, v->offset, "%s must be a string",
                                    what);
  *out = v->u.str;
  return CSAT_OK;
}

static int import(csat__survey_json_reader *r, const csat__jval *root,
                  const csat_allocator *alloc) {
  const csat__jval *idv = NULL, *namev = NULL, *minv = NULL, *maxv = NULL, *intro = NULL,
                   *outro = NULL;
  aq qs[CSAT__MAX_QUESTIONS];
  int32_t nq = 0, min = 0, max = 0, i;
  uint32_t k, n;
  const char *id = NULL, *text = NULL;
  int rc, kind;

  if (root->type == CSAT__J_OBJECT && root->len == 1 &&
      strcmp(root->u.members[0].key, "Item") == 0 && root->u.members[0].val.type == CSAT__J_OBJECT)
    r->root = root = &root->u.members[0].val;
  if (root->type != CSAT__J_OBJECT)
    return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, root->offset,
                                    "a survey item must be an object");

  for (k = 0; k < root->len; k++) {
    const csat__jmem *m = &root->u.members[k];
    if (strcmp(m->key, "surveyId") == 0)
      idv = &m->val;
    else if (strcmp(m->key, "id") == 0 && idv == NULL)
      idv = &m->val;
    else if (strcmp(m->key, "surveyName") == 0)
      namev = &m->val;
    else if (strcmp(m->key, "min") == 0)
      minv = &m->val;
    else if (strcmp(m->key, "max") == 0)
      maxv = &m->val;
    else if (strcmp(m->key, "introPrompt") == 0)
      intro = &m->val;
    else if (strcmp(m->key, "outroPrompt") == 0)
      outro = &m->val;
    else if ((kind = suffix_number(m->key, "question_", &n)) != 0) {
      if (kind < 0)
        return csat__survey_reader_fail(
            r, CSAT_ERR_INVALID_SURVEY, m->key_offset,
            "\"%.64s\": question numbers are positive, without leading zeros", m->key);
      if ((rc = want_text(r, &m->val, "a question", &text)) != CSAT_OK)
        return rc;
      if (text[0] == '\0')
        continue; /* an empty question slot: not asked */
      if (nq == CSAT__MAX_QUESTIONS)
        return csat__survey_reader_fail(r, CSAT_ERR_LIMIT, m->key_offset, "more than %d questions",
                                        CSAT__MAX_QUESTIONS);
      /* Insert in numeric order: question_10 comes after question_2. */
      for (i = nq; i > 0 && qs[i - 1].number > n; i--)
        qs[i] = qs[i - 1];
      qs[i].number = n;
      qs[i].m = m;
      nq++;
    }
  }
  if (idv == NULL)
    return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, root->offset,
                                    "missing member \"surveyId\"");
  if (minv == NULL || maxv == NULL)
    return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, root->offset,
                                    "missing member \"%s\"", minv == NULL ? "min" : "max");
  if (nq == 0)
    return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, root->offset,
                                    "the item has no question_N");
  if ((rc = want_text(r, idv, "the survey id", &id)) != CSAT_OK ||
      (rc = want_num(r, minv, "\"min\"", &min, NULL)) != CSAT_OK ||
      (rc = want_num(r, maxv, "\"max\"", &max, NULL)) != CSAT_OK)
    return rc;
  if (min < 0 || min > 9)
    return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, unwrap(minv)->offset,
                                    "\"min\" must be 0..9");
  if (max <= min || max > 10)
    return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, unwrap(maxv)->offset,
                                    "\"max\" must be greater than \"min\" and at most 10");

  rc = csat_survey_builder_new(&r->b, id, 1, alloc);
  if (rc == CSAT_ERR_NOMEM)
    return csat__survey_reader_fail(r, rc, root->offset, "out of memory");
  if (rc != CSAT_OK)
    return csat__survey_reader_fail(
        r, strlen(id) > CSAT__MAX_ID ? CSAT_ERR_LIMIT : CSAT_ERR_INVALID_SURVEY,
        unwrap(idv)->offset, "the survey id must be 1..%d bytes of printable ASCII without spaces",
        CSAT__MAX_ID);
  if (namev != NULL) {
    if ((rc = want_text(r, namev, "\"surveyName\"", &text)) != CSAT_OK ||
        (rc = csat__survey_reader_builder(r, csat_survey_builder_set_name(r->b, text),
                                          unwrap(namev)->offset)) != CSAT_OK)
      return rc;
  }
  if (intro != NULL) {
    if ((rc = want_text(r, intro, "\"introPrompt\"", &text)) != CSAT_OK)
      return rc;
    if (text[0] != '\0' &&
        (rc = csat__survey_reader_builder(
             r, csat_survey_builder_set_prompt(r->b, CSAT_PROMPT_INTRO, -1, "en", text, NULL),
             unwrap(intro)->offset)) != CSAT_OK)
      return rc;
  }
  if (outro != NULL) {
    if ((rc = want_text(r, outro, "\"outroPrompt\"", &text)) != CSAT_OK)
      return rc;
    if (text[0] != '\0' &&
        (rc = csat__survey_reader_builder(
             r, csat_survey_builder_set_prompt(r->b, CSAT_PROMPT_OUTRO, -1, "en", text, NULL),
             unwrap(outro)->offset)) != CSAT_OK)
      return rc;
  }
  for (i = 0; i < nq; i++) {
    const csat__jmem *m = qs[i].m;
    int32_t idx;
    if ((rc = csat__survey_reader_builder(
             r, csat_survey_builder_add_question(r->b, m->key, CSAT_Q_RATING, min, max, &idx),
             m->key_offset)) != CSAT_OK ||
        (rc = csat__survey_reader_builder(
             r,
             csat_survey_builder_set_prompt(r->b, CSAT_PROMPT_QUESTION, idx, "en",
                                            unwrap(&m->val)->u.str, NULL),
             unwrap(&m->val)->offset)) != CSAT_OK)
      return rc;
    r->qoff[i] = m->key_offset;
  }
  for (k = 0; k < root->len; k++) {
    const csat__jmem *m = &root->u.members[k];
    int32_t th = -1, idx;
    int absent;
    if (suffix_number(m->key, "flag_question_", &n) == 0)
      continue;
    if (suffix_number(m->key, "flag_question_", &n) < 0)
      return csat__survey_reader_fail(
          r, CSAT_ERR_INVALID_SURVEY, m->key_offset,
          "\"%.64s\": question numbers are positive, without leading zeros", m->key);
    if ((rc = want_num(r, &m->val, "a flag threshold", &th, &absent)) != CSAT_OK)
      return rc;
    if (absent || th < 0)
      continue; /* the solution's way of saying "no flag" */
    idx = csat_survey_question_index(r->b->s, m->key + 5); /* "question_N" */
    if (idx < 0) {
      if (csat__json_get(root, m->key + 5) != NULL)
        continue; /* the question slot is empty: nothing to flag */
      return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, m->key_offset,
                                      "\"%.64s\" has no \"%.64s\"", m->key, m->key + 5);
    }
    if ((rc = csat__survey_reader_builder(r, csat_survey_builder_set_flag(r->b, idx, 1, th),
                                          unwrap(&m->val)->offset)) != CSAT_OK)
      return rc;
  }
  return CSAT_OK;
}

int csat_survey_from_amazon_json(csat_survey **out, const char *json, size_t len,
                                 const csat_allocator *alloc, csat_error *err) {
  return csat__survey_json_read(out, json, len, alloc, err, import);
}
