/* Survey definitions as JSON: the canonical writer (also the basis of the
 * content fingerprint) and the strict reader of the format in csat.h.
 * SPDX-License-Identifier: MIT */
#include "base/json.h"
#include "survey.h"

#include <string.h>

/* ------------------------------------------------------------------------ */
/* Writer                                                                   */
/* ------------------------------------------------------------------------ */

/* One writer for two sinks: a caller's buffer, or an FNV-1a hash of the very
 * same bytes (so the fingerprint needs no allocation). */
typedef struct jw {
  csat__out *o;
  int hashing;
  uint64_t h;
} jw;

static void w_raw(jw *w, const char *p, size_t n) {
  if (w->hashing)
    w->h = csat__hash_fnv1a(w->h, p, n);
  else
    csat__out_bytes(w->o, p, n);
}

static void w_lit(jw *w, const char *s) { w_raw(w, s, strlen(s)); }

static void w_str(jw *w, const char *s) {
  size_t n, i;
  if (s == NULL) {
    w_lit(w, "null");
    return;
  }
  n = strlen(s);
  if (!w->hashing) {
    csat__out_json_str(w->o, s, n);
    return;
  }
  /* Escaping is per byte, so escaping slices and dropping their quotes
   * produces exactly the bytes of the whole literal. */
  w_raw(w, "\"", 1);
  for (i = 0; i < n; i += 32) {
    char tmp[6 * 32 + 2];
    csat__out t;
    size_t c = n - i < 32 ? n - i : 32;
    csat__out_init(&t, tmp, sizeof tmp);
    csat__out_json_str(&t, s + i, c);
    w_raw(w, tmp + 1, t.len - 2);
  }
  w_raw(w, "\"", 1);
}

static void w_int(jw *w, int64_t v) {
  char tmp[24];
  csat__out t;
  csat__out_init(&t, tmp, sizeof tmp);
  csat__out_i64(&t, v);
  w_raw(w, tmp, t.len);
}

static void w_bool(jw *w, int32_t v) { w_lit(w, v ? "true" : "false"); }

static void w_nl(jw *w, int level) {
  int k;
  w_raw(w, "\n", 1);
  for (k = 0; k < level; k++)
    w_raw(w, "  ", 2);
}

/* Start a member of a multi-line object. */
static void w_member(jw *w, int *first, int level, const char *key) {
  if (!*first)
    w_raw(w, ",", 1);
  *first = 0;
  w_nl(w, level);
  w_str(w, key);
  w_raw(w, ": ", 2);
}

/* Start a member of a one-line object. */
static void w_inline(jw *w, int *first, const char *key) {
  if (!*first)
    w_raw(w, ", ", 2);
  *first = 0;
  w_str(w, key);
  w_raw(w, ": ", 2);
}

static void write_prompts(jw *w, const csat__prompt_set *sets, int level) {
  int32_t k, i;
  int first = 1;
  w_raw(w, "{", 1);
  for (k = 1; k < CSAT__PROMPT_SLOTS; k++) {
    int lfirst = 1;
    if (sets[k].count == 0)
      continue;
    w_member(w, &first, level + 1, csat__survey_prompt_kind_name(k));
    w_raw(w, "{", 1);
    for (i = 0; i < sets[k].count; i++) {
      int pfirst = 1;
      w_member(w, &lfirst, level + 2, sets[k].items[i].lang);
      w_raw(w, "{", 1);
      w_inline(w, &pfirst, "text");
      w_str(w, sets[k].items[i].text);
      w_inline(w, &pfirst, "audio");
      w_str(w, sets[k].items[i].audio);
      w_raw(w, "}", 1);
    }
    w_nl(w, level + 1);
    w_raw(w, "}", 1);
  }
  if (!first)
    w_nl(w, level);
  w_raw(w, "}", 1);
}

static void write_question(jw *w, const csat_survey *s, const csat__question *q) {
  int first = 1, f;
  w_raw(w, "{", 1);
  w_member(w, &first, 3, "id");
  w_str(w, q->id);
  w_member(w, &first, 3, "type");
  w_str(w, csat__survey_question_kind_name(q->kind));
  if (q->kind == CSAT_Q_RATING) {
    w_member(w, &first, 3, "min");
    w_int(w, q->min);
    w_member(w, &first, 3, "max");
    w_int(w, q->max);
  }
  w_member(w, &first, 3, "prompts");
  write_prompts(w, q->prompts, 3);
  if (q->kind == CSAT_Q_RATING || q->kind == CSAT_Q_YES_NO) {
    w_member(w, &first, 3, "flag");
    f = 1;
    w_raw(w, "{", 1);
    w_inline(w, &f, "enabled");
    w_bool(w, q->flag_enabled);
    w_inline(w, &f, "threshold");
    w_int(w, q->flag_threshold);
    w_raw(w, "}", 1);
  }
  w_member(w, &first, 3, "attempts");
  f = 1;
  w_raw(w, "{", 1);
  w_inline(w, &f, "max");
  w_int(w, q->max_attempts);
  w_inline(w, &f, "on_exhausted");
  w_str(w, q->on_exhausted == CSAT_EXHAUSTED_END ? "end" : "skip");
  w_raw(w, "}", 1);
  w_member(w, &first, 3, "ask_if");
  if (q->cond_parent < 0 || q->cond_parent >= s->question_count) {
    w_lit(w, "null");
  } else {
    f = 1;
    w_raw(w, "{", 1);
    w_inline(w, &f, "question");
    w_str(w, s->questions[q->cond_parent].id);
    w_inline(w, &f, "at_most");
    w_int(w, q->cond_at_most);
    w_raw(w, "}", 1);
  }
  if (q->kind == CSAT_Q_VOICE_COMMENT) {
    w_member(w, &first, 3, "recording");
    f = 1;
    w_raw(w, "{", 1);
    w_inline(w, &f, "max_duration_ms");
    w_int(w, q->max_duration_ms);
    w_inline(w, &f, "silence_timeout_ms");
    w_int(w, q->silence_timeout_ms);
    w_raw(w, "}", 1);
  }
  w_nl(w, 2);
  w_raw(w, "}", 1);
}

static void write_survey(jw *w, const csat_survey *s) {
  int first = 1, f;
  int32_t i;
  w_raw(w, "{", 1);
  w_member(w, &first, 1, "id");
  w_str(w, s->id);
  w_member(w, &first, 1, "version");
  w_int(w, s->version);
  w_member(w, &first, 1, "name");
  w_str(w, s->name);
  w_member(w, &first, 1, "default_language");
  w_str(w, s->default_language);
  w_member(w, &first, 1, "mode");
  w_str(w, s->mode == CSAT_MODE_OPT_IN ? "opt_in" : "on_demand");
  w_member(w, &first, 1, "input");
  f = 1;
  w_raw(w, "{", 1);
  w_inline(w, &f, "first_digit_timeout_ms");
  w_int(w, s->first_digit_timeout_ms);
  w_inline(w, &f, "inter_digit_timeout_ms");
  w_int(w, s->inter_digit_timeout_ms);
  w_inline(w, &f, "terminator");
  w_str(w, s->terminator == '#' ? "#" : "");
  w_inline(w, &f, "max_repeats");
  w_int(w, s->max_repeats);
  w_raw(w, "}", 1);
  w_member(w, &first, 1, "text");
  f = 1;
  w_raw(w, "{", 1);
  w_inline(w, &f, "window_ms");
  w_int(w, s->text_window_ms);
  w_inline(w, &f, "multiple_answers");
  w_bool(w, s->text_multiple);
  w_raw(w, "}", 1);
  w_member(w, &first, 1, "prompts");
  write_prompts(w, s->prompts, 1);
  w_member(w, &first, 1, "questions");
  w_raw(w, "[", 1);
  for (i = 0; i < s->question_count; i++) {
    if (i > 0)
      w_raw(w, ",", 1);
    w_nl(w, 2);
    write_question(w, s, &s->questions[i]);
  }
  w_nl(w, 1);
  w_raw(w, "]", 1);
  w_member(w, &first, 1, "escalation");
  f = 1;
  w_raw(w, "{", 1);
  w_inline(w, &f, "enabled");
  w_bool(w, s->esc_enabled);
  w_inline(w, &f, "below");
  w_int(w, s->esc_below);
  w_inline(w, &f, "transfer_target");
  w_str(w, s->esc_transfer_target);
  w_inline(w, &f, "callback");
  w_bool(w, s->esc_callback);
  w_raw(w, "}", 1);
  w_member(w, &first, 1, "task");
  f = 1;
  w_raw(w, "{", 1);
  w_member(w, &f, 2, "enabled");
  w_bool(w, s->task_enabled);
  w_member(w, &f, 2, "name");
  w_str(w, s->task_name);
  w_member(w, &f, 2, "description");
  w_str(w, s->task_description);
  w_member(w, &f, 2, "category");
  w_str(w, s->task_category);
  w_member(w, &f, 2, "target");
  w_str(w, s->task_target);
  w_member(w, &f, 2, "rule_name");
  w_str(w, s->task_rule_name);
  w_nl(w, 1);
  w_raw(w, "}", 1);
  w_nl(w, 0);
  w_raw(w, "}\n", 2);
}

int csat_survey_to_json(const csat_survey *s, char *buf, size_t cap, size_t *needed) {
  csat__out o;
  jw w;
  if (needed != NULL)
    *needed = 0;
  if (s == NULL)
    return CSAT_ERR_INVALID_ARG;
  csat__out_init(&o, buf, cap);
  w.o = &o;
  w.hashing = 0;
  w.h = 0;
  write_survey(&w, s);
  return csat__out_finish_text(&o, needed);
}

uint64_t csat__survey_fingerprint(const csat_survey *s) {
  jw w;
  w.o = NULL;
  w.hashing = 1;
  w.h = CSAT__HASH_FNV_INIT;
  write_survey(&w, s);
  return w.h;
}

/* ------------------------------------------------------------------------ */
/* Reader                                                                   */
/* ------------------------------------------------------------------------ */

int csat__survey_reader_fail(csat__survey_json_reader *r, int code, size_t offset, const char *fmt,
                             ...) {
  char msg[224];
  va_list ap;
  va_start(ap, fmt);
  csat__msg_vset(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return csat__json_fail(r->doc, r->err, code, offset, "%s", msg);
}

int csat__survey_reader_builder(csat__survey_json_reader *r, int rc, size_t offset) {
  if (rc == CSAT_OK)
    return CSAT_OK;
  return csat__survey_reader_fail(r, rc == CSAT_ERR_INVALID_ARG ? CSAT_ERR_INVALID_SURVEY : rc,
                                  offset, "%s", csat_survey_builder_errmsg(r->b));
}

static int name_index(const char *const *names, const char *key) {
  int k;
  for (k = 0; names[k] != NULL; k++)
    if (strcmp(names[k], key) == 0)
      return k;
  return -1;
}

/* v must be an object whose members are all in names. */
static int want_object(csat__survey_json_reader *r, const csat__jval *v, const char *what,
                       const char *const *names) {
  uint32_t k;
  if (v->type != CSAT__J_OBJECT)
    return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, v->offset, "%s must be an object",
                                    what);
  for (k = 0; names != NULL && k < v->len; k++)
    if (name_index(names, v->u.members[k].key) < 0)
      return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, v->u.members[k].key_offset,
                                      "unknown member \"%.64s\" in %s", v->u.members[k].key, what);
  return CSAT_OK;
}

static int want_int(csat__survey_json_reader *r, const csat__jval *v, const char *what,
                    int32_t *out) {
  if (v->type != CSAT__J_NUMBER)
    return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, v->offset, "%s must be an integer",
                                    what);
  if (!v->is_int)
    return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, v->offset,
                                    "%s must be an integer (no fraction or exponent)", what);
  if (v->big || v->num < INT32_MIN || v->num > INT32_MAX)
    return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, v->offset, "%s is out of range",
                                    what);
  *out = (int32_t)v->num;
  return CSAT_OK;
}

static int want_i64(csat__survey_json_reader *r, const csat__jval *v, const char *what,
                    int64_t *out) {
  if (v->type != CSAT__J_NUMBER)
    return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, v->offset, "%s must be an integer",
                                    what);
  if (!v->is_int)
    return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, v->offset,
                                    "%s must be an integer (no fraction or exponent)", what);
  if (v->big)
    return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, v->offset, "%s is out of range",
                                    what);
  *out = v->num;
  return CSAT_OK;
}

static int want_bool(csat__survey_json_reader *r, const csat__jval *v, const char *what,
                     int32_t *out) {
  if (v->type != CSAT__J_BOOL)
    return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, v->offset,
                                    "%s must be true or false", what);
  *out = v->boolean;
  return CSAT_OK;
}

static int want_str(csat__survey_json_reader *r, const csat__jval *v, const char *what,
                    const char **out) {
  if (v->type != CSAT__J_STRING)
    return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, v->offset, "%s must be a string",
                                    what);
  *out = v->u.str;
  return CSAT_OK;
}

static int want_str_or_null(csat__survey_json_reader *r, const csat__jval *v, const char *what,
                            const char **out) {
  if (v->type == CSAT__J_NULL) {
    *out = NULL;
    return CSAT_OK;
  }
  if (v->type != CSAT__J_STRING)
    return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, v->offset,
                                    "%s must be a string or null", what);
  *out = v->u.str;
  return CSAT_OK;
}

static int read_prompts(csat__survey_json_reader *r, const csat__jval *v, int32_t question) {
  static const char *const pnames[] = {"text", "audio", NULL};
  uint32_t k, l;
  int rc;
  if ((rc = want_object(r, v, "prompts", NULL)) != CSAT_OK)
    return rc;
  for (k = 0; k < v->len; k++) {
    const csat__jmem *km = &v->u.members[k];
    int32_t kind = csat__survey_prompt_kind_from_name(km->key);
    if (kind == 0)
      return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, km->key_offset,
                                      "unknown prompt kind \"%.64s\"", km->key);
    if (question < 0 && kind == CSAT_PROMPT_QUESTION)
      return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, km->key_offset,
                                      "question prompts belong to a question");
    if (question >= 0 && !csat__survey_prompt_kind_per_question(kind))
      return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, km->key_offset,
                                      "%s prompts cannot be set per question", km->key);
    if (km->val.type != CSAT__J_OBJECT)
      return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, km->val.offset,
                                      "%s prompts must be an object of languages", km->key);
    for (l = 0; l < km->val.len; l++) {
      const csat__jmem *lm = &km->val.u.members[l];
      const char *text = NULL, *audio = NULL;
      const csat__jval *t;
      if (lm->val.type == CSAT__J_STRING) {
        text = lm->val.u.str;
      } else if (lm->val.type == CSAT__J_OBJECT) {
        if ((rc = want_object(r, &lm->val, "a prompt", pnames)) != CSAT_OK)
          return rc;
        if ((t = csat__json_get(&lm->val, "text")) != NULL &&
            (rc = want_str_or_null(r, t, "\"text\"", &text)) != CSAT_OK)
          return rc;
        if ((t = csat__json_get(&lm->val, "audio")) != NULL &&
            (rc = want_str_or_null(r, t, "\"audio\"", &audio)) != CSAT_OK)
          return rc;
      } else {
        return csat__survey_reader_fail(
            r, CSAT_ERR_INVALID_SURVEY, lm->val.offset,
            "a prompt must be a string or an object with \"text\" and \"audio\"");
      }
      rc = csat_survey_builder_set_prompt(r->b, kind, question, lm->key, text, audio);
      if (rc != CSAT_OK) {
        /* Too long a text or audio reference is the value's fault; anything
         * else (language tag, language count) the key's. */
        int value = (text != NULL && strlen(text) > CSAT__MAX_PROMPT) ||
                    (audio != NULL && strlen(audio) > CSAT__MAX_AUDIO) ||
                    (text == NULL && audio == NULL);
        return csat__survey_reader_builder(r, rc, value ? lm->val.offset : lm->key_offset);
      }
    }
  }
  return CSAT_OK;
}

static int read_question(csat__survey_json_reader *r, const csat__jval *v, int32_t index) {
  static const char *const names[] = {"id",   "type",     "min",    "max",       "prompts",
                                      "flag", "attempts", "ask_if", "recording", NULL};
  static const char *const flag_names[] = {"enabled", "threshold", NULL};
  static const char *const att_names[] = {"max", "on_exhausted", NULL};
  static const char *const cond_names[] = {"question", "at_most", NULL};
  static const char *const rec_names[] = {"max_duration_ms", "silence_timeout_ms", NULL};
  csat_survey_builder *b = r->b;
  const csat__jval *idv, *typev, *minv, *maxv, *x;
  const char *id = NULL, *type = NULL;
  int32_t kind, min = 0, max = 0, idx = -1;
  uint32_t k;
  int rc;
  if ((rc = want_object(r, v, "a question", names)) != CSAT_OK)
    return rc;
  if (index >= CSAT__MAX_QUESTIONS)
    return csat__survey_reader_fail(r, CSAT_ERR_LIMIT, v->offset, "more than %d questions",
                                    CSAT__MAX_QUESTIONS);
  if ((idv = csat__json_get(v, "id")) == NULL)
    return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, v->offset,
                                    "question has no \"id\"");
  if ((rc = want_str(r, idv, "\"id\"", &id)) != CSAT_OK)
    return rc;
  if ((typev = csat__json_get(v, "type")) == NULL)
    return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, v->offset,
                                    "question has no \"type\"");
  if ((rc = want_str(r, typev, "\"type\"", &type)) != CSAT_OK)
    return rc;
  if ((kind = csat__survey_question_kind_from_name(type)) == 0)
    return csat__survey_reader_fail(
        r, CSAT_ERR_INVALID_SURVEY, typev->offset,
        "\"type\" must be rating, yes_no, voice_comment or text_comment");
  minv = csat__json_get(v, "min");
  maxv = csat__json_get(v, "max");
  if (kind == CSAT_Q_RATING) {
    if (minv == NULL || maxv == NULL)
      return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, v->offset,
                                      "a rating question needs \"min\" and \"max\"");
    if ((rc = want_int(r, minv, "\"min\"", &min)) != CSAT_OK ||
        (rc = want_int(r, maxv, "\"max\"", &max)) != CSAT_OK)
      return rc;
    if (min < 0 || min > 9)
      return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, minv->offset,
                                      "\"min\" must be 0..9");
    if (max <= min || max > 10)
      return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, maxv->offset,
                                      "\"max\" must be greater than \"min\" and at most 10");
  } else if (minv != NULL || maxv != NULL) {
    return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY,
                                    (minv != NULL ? minv : maxv)->offset,
                                    "\"min\" and \"max\" apply only to rating questions");
  }
  rc = csat_survey_builder_add_question(b, id, kind, min, max, &idx);
  if (rc != CSAT_OK)
    return csat__survey_reader_builder(r, rc, idv->offset);
  for (k = 0; k < v->len; k++) {
    const csat__jmem *m = &v->u.members[k];
    const csat__question *q = &b->s->questions[idx];
    uint32_t j;
    if (strcmp(m->key, "prompts") == 0) {
      if ((rc = read_prompts(r, &m->val, idx)) != CSAT_OK)
        return rc;
    } else if (strcmp(m->key, "flag") == 0) {
      if ((rc = want_object(r, &m->val, "\"flag\"", flag_names)) != CSAT_OK)
        return rc;
      for (j = 0; j < m->val.len; j++) {
        const csat__jmem *f = &m->val.u.members[j];
        int32_t en = q->flag_enabled, th = q->flag_threshold;
        rc = f->key[0] == 'e' ? want_bool(r, &f->val, "\"enabled\"", &en)
                              : want_int(r, &f->val, "\"threshold\"", &th);
        if (rc != CSAT_OK ||
            (rc = csat__survey_reader_builder(r, csat_survey_builder_set_flag(b, idx, en, th),
                                              f->val.offset)) != CSAT_OK)
          return rc;
      }
    } else if (strcmp(m->key, "attempts") == 0) {
      if ((rc = want_object(r, &m->val, "\"attempts\"", att_names)) != CSAT_OK)
        return rc;
      for (j = 0; j < m->val.len; j++) {
        const csat__jmem *f = &m->val.u.members[j];
        int32_t mx = q->max_attempts, ex = q->on_exhausted;
        const char *how = NULL;
        if (f->key[0] == 'm') {
          rc = want_int(r, &f->val, "\"max\"", &mx);
        } else if ((rc = want_str(r, &f->val, "\"on_exhausted\"", &how)) == CSAT_OK) {
          if (strcmp(how, "skip") == 0)
            ex = CSAT_EXHAUSTED_SKIP;
          else if (strcmp(how, "end") == 0)
            ex = CSAT_EXHAUSTED_END;
          else
            rc = csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, f->val.offset,
                                          "\"on_exhausted\" must be \"skip\" or \"end\"");
        }
        if (rc != CSAT_OK ||
            (rc = csat__survey_reader_builder(r, csat_survey_builder_set_attempts(b, idx, mx, ex),
                                              f->val.offset)) != CSAT_OK)
          return rc;
      }
    } else if (strcmp(m->key, "ask_if") == 0) {
      const char *pid = NULL;
      int32_t parent, at_most = 0;
      if (m->val.type == CSAT__J_NULL)
        continue;
      if ((rc = want_object(r, &m->val, "\"ask_if\"", cond_names)) != CSAT_OK)
        return rc;
      if ((x = csat__json_get(&m->val, "question")) == NULL ||
          csat__json_get(&m->val, "at_most") == NULL)
        return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, m->val.offset,
                                        "\"ask_if\" needs \"question\" and \"at_most\"");
      if ((rc = want_str(r, x, "\"question\"", &pid)) != CSAT_OK)
        return rc;
      parent = csat_survey_question_index(b->s, pid);
      if (parent < 0 || parent >= idx)
        return csat__survey_reader_fail(
            r, CSAT_ERR_INVALID_SURVEY, x->offset,
            "\"ask_if\" names \"%.64s\", which is not an earlier question", pid);
      x = csat__json_get(&m->val, "at_most");
      if ((rc = want_int(r, x, "\"at_most\"", &at_most)) != CSAT_OK ||
          (rc = csat__survey_reader_builder(
               r, csat_survey_builder_set_condition(b, idx, parent, at_most), x->offset)) !=
              CSAT_OK)
        return rc;
    } else if (strcmp(m->key, "recording") == 0) {
      if ((rc = want_object(r, &m->val, "\"recording\"", rec_names)) != CSAT_OK)
        return rc;
      for (j = 0; j < m->val.len; j++) {
        const csat__jmem *f = &m->val.u.members[j];
        int32_t du = q->max_duration_ms, si = q->silence_timeout_ms;
        rc = f->key[0] == 'm' ? want_int(r, &f->val, "\"max_duration_ms\"", &du)
                              : want_int(r, &f->val, "\"silence_timeout_ms\"", &si);
        if (rc != CSAT_OK ||
            (rc = csat__survey_reader_builder(r, csat_survey_builder_set_recording(b, idx, du, si),
                                              f->val.offset)) != CSAT_OK)
          return rc;
      }
    }
  }
  return CSAT_OK;
}

static int read_input(csat__survey_json_reader *r, const csat__jval *v) {
  static const char *const names[] = {"first_digit_timeout_ms", "inter_digit_timeout_ms",
                                      "terminator", "max_repeats", NULL};
  uint32_t k;
  int rc;
  if ((rc = want_object(r, v, "\"input\"", names)) != CSAT_OK)
    return rc;
  for (k = 0; k < v->len; k++) {
    const csat__jmem *m = &v->u.members[k];
    const csat_survey *s = r->b->s;
    int32_t fd = s->first_digit_timeout_ms, id = s->inter_digit_timeout_ms;
    int32_t term = s->terminator, rep = s->max_repeats;
    const char *t = NULL;
    switch (name_index(names, m->key)) {
    case 0: rc = want_int(r, &m->val, "\"first_digit_timeout_ms\"", &fd); break;
    case 1: rc = want_int(r, &m->val, "\"inter_digit_timeout_ms\"", &id); break;
    case 2:
      if ((rc = want_str(r, &m->val, "\"terminator\"", &t)) != CSAT_OK)
        break;
      if (strcmp(t, "#") == 0)
        term = '#';
      else if (t[0] == '\0')
        term = 0;
      else
        rc = csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, m->val.offset,
                                      "\"terminator\" must be \"#\" or \"\"");
      break;
    default: rc = want_int(r, &m->val, "\"max_repeats\"", &rep); break;
    }
    if (rc != CSAT_OK ||
        (rc = csat__survey_reader_builder(r, csat_survey_builder_set_input(r->b, fd, id, term, rep),
                                          m->val.offset)) != CSAT_OK)
      return rc;
  }
  return CSAT_OK;
}

static int read_text(csat__survey_json_reader *r, const csat__jval *v) {
  static const char *const names[] = {"window_ms", "multiple_answers", NULL};
  uint32_t k;
  int rc;
  if ((rc = want_object(r, v, "\"text\"", names)) != CSAT_OK)
    return rc;
  for (k = 0; k < v->len; k++) {
    const csat__jmem *m = &v->u.members[k];
    int64_t window = r->b->s->text_window_ms;
    int32_t multiple = r->b->s->text_multiple;
    if (name_index(names, m->key) == 0)
      rc = want_i64(r, &m->val, "\"window_ms\"", &window);
    else
      rc = want_bool(r, &m->val, "\"multiple_answers\"", &multiple);
    if (rc != CSAT_OK ||
        (rc = csat__survey_reader_builder(r, csat_survey_builder_set_text(r->b, window, multiple),
                                          m->val.offset)) != CSAT_OK)
      return rc;
  }
  return CSAT_OK;
}

static int read_escalation(csat__survey_json_reader *r, const csat__jval *v) {
  static const char *const names[] = {"enabled", "below", "transfer_target", "callback", NULL};
  uint32_t k;
  int rc;
  if ((rc = want_object(r, v, "\"escalation\"", names)) != CSAT_OK)
    return rc;
  for (k = 0; k < v->len; k++) {
    const csat__jmem *m = &v->u.members[k];
    const csat_survey *s = r->b->s;
    int32_t en = s->esc_enabled, below = s->esc_below, cb = s->esc_callback;
    const char *target = s->esc_transfer_target;
    switch (name_index(names, m->key)) {
    case 0: rc = want_bool(r, &m->val, "\"enabled\"", &en); break;
    case 1: rc = want_int(r, &m->val, "\"below\"", &below); break;
    case 2: rc = want_str_or_null(r, &m->val, "\"transfer_target\"", &target); break;
    default: rc = want_bool(r, &m->val, "\"callback\"", &cb); break;
    }
    if (rc != CSAT_OK || (rc = csat__survey_reader_builder(
                              r, csat_survey_builder_set_escalation(r->b, en, below, target, cb),
                              m->val.offset)) != CSAT_OK)
      return rc;
  }
  return CSAT_OK;
}

static int read_task(csat__survey_json_reader *r, const csat__jval *v) {
  static const char *const names[] = {"enabled", "name",      "description", "category",
                                      "target",  "rule_name", NULL};
  uint32_t k;
  int rc;
  if ((rc = want_object(r, v, "\"task\"", names)) != CSAT_OK)
    return rc;
  for (k = 0; k < v->len; k++) {
    const csat__jmem *m = &v->u.members[k];
    const char *str[6] = {NULL, NULL, NULL, NULL, NULL, NULL};
    int32_t en = r->b->s->task_enabled;
    int which = name_index(names, m->key);
    char what[32];
    csat__msg_set(what, sizeof what, "\"%s\"", m->key);
    if (which == 0)
      rc = want_bool(r, &m->val, what, &en);
    else
      rc = want_str(r, &m->val, what, &str[which]);
    if (rc != CSAT_OK ||
        (rc = csat__survey_reader_builder(
             r, csat_survey_builder_set_task(r->b, en, str[1], str[2], str[3], str[4], str[5]),
             m->val.offset)) != CSAT_OK)
      return rc;
  }
  return CSAT_OK;
}

static int read_survey(csat__survey_json_reader *r, const csat__jval *root,
                       const csat_allocator *alloc) {
  static const char *const names[] = {"id",         "version", "name",    "default_language",
                                      "mode",       "input",   "prompts", "questions",
                                      "escalation", "task",    "text",    NULL};
  const csat__jval *idv, *verv, *qv;
  const char *id = NULL, *str = NULL;
  int32_t version = 0;
  uint32_t k;
  int rc;
  if ((rc = want_object(r, root, "a survey", names)) != CSAT_OK)
    return rc;
  if ((idv = csat__json_get(root, "id")) == NULL)
    return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, root->offset,
                                    "missing member \"id\"");
  if ((verv = csat__json_get(root, "version")) == NULL)
    return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, root->offset,
                                    "missing member \"version\"");
  if ((qv = csat__json_get(root, "questions")) == NULL)
    return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, root->offset,
                                    "missing member \"questions\"");
  if ((rc = want_str(r, idv, "\"id\"", &id)) != CSAT_OK ||
      (rc = want_int(r, verv, "\"version\"", &version)) != CSAT_OK)
    return rc;
  if (version < 1)
    return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, verv->offset,
                                    "\"version\" must be at least 1");
  if (idv->len > CSAT__MAX_ID)
    return csat__survey_reader_fail(r, CSAT_ERR_LIMIT, idv->offset,
                                    "\"id\" is longer than %d bytes", CSAT__MAX_ID);
  rc = csat_survey_builder_new(&r->b, id, version, alloc);
  if (rc == CSAT_ERR_NOMEM)
    return csat__survey_reader_fail(r, rc, root->offset, "out of memory");
  if (rc != CSAT_OK)
    return csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, idv->offset,
                                    "\"id\" must be 1..%d bytes of printable ASCII without spaces",
                                    CSAT__MAX_ID);
  for (k = 0; k < root->len; k++) {
    const csat__jmem *m = &root->u.members[k];
    uint32_t j;
    switch (name_index(names, m->key)) {
    case 2:
      if ((rc = want_str(r, &m->val, "\"name\"", &str)) == CSAT_OK)
        rc = csat__survey_reader_builder(r, csat_survey_builder_set_name(r->b, str), m->val.offset);
      break;
    case 3:
      if ((rc = want_str(r, &m->val, "\"default_language\"", &str)) == CSAT_OK)
        rc = csat__survey_reader_builder(r, csat_survey_builder_set_default_language(r->b, str),
                                         m->val.offset);
      break;
    case 4:
      if ((rc = want_str(r, &m->val, "\"mode\"", &str)) != CSAT_OK)
        break;
      if (strcmp(str, "on_demand") == 0 || strcmp(str, "opt_in") == 0)
        rc = csat__survey_reader_builder(
            r,
            csat_survey_builder_set_mode(r->b,
                                         str[1] == 'n' ? CSAT_MODE_ON_DEMAND : CSAT_MODE_OPT_IN),
            m->val.offset);
      else
        rc = csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, m->val.offset,
                                      "\"mode\" must be \"on_demand\" or \"opt_in\"");
      break;
    case 5: rc = read_input(r, &m->val); break;
    case 6: rc = read_prompts(r, &m->val, -1); break;
    case 7:
      if (m->val.type != CSAT__J_ARRAY) {
        rc = csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, m->val.offset,
                                      "\"questions\" must be an array");
        break;
      }
      if (m->val.len == 0) {
        rc = csat__survey_reader_fail(r, CSAT_ERR_INVALID_SURVEY, m->val.offset,
                                      "\"questions\" must not be empty");
        break;
      }
      for (j = 0; j < m->val.len && rc == CSAT_OK; j++) {
        rc = read_question(r, &m->val.u.items[j], (int32_t)j);
        if (j < CSAT__MAX_QUESTIONS)
          r->qoff[j] = m->val.u.items[j].offset;
      }
      break;
    case 8: rc = read_escalation(r, &m->val); break;
    case 9: rc = read_task(r, &m->val); break;
    case 10: rc = read_text(r, &m->val); break;
    default: break; /* id and version: done */
    }
    if (rc != CSAT_OK)
      return rc;
  }
  return CSAT_OK;
}

int csat__survey_json_read(csat_survey **out, const char *json, size_t len,
                           const csat_allocator *alloc, csat_error *err, csat__survey_reader read) {
  csat__jdoc doc;
  csat__survey_json_reader r;
  csat__alloc a;
  char msg[200];
  int32_t q;
  int rc;
  if (out == NULL || (json == NULL && len > 0) || csat__alloc_init(&a, alloc) != CSAT_OK) {
    csat__error_set(err, CSAT_ERR_INVALID_ARG, 0, 0, 0, "invalid argument");
    if (out != NULL)
      *out = NULL;
    return CSAT_ERR_INVALID_ARG;
  }
  *out = NULL;
  rc = csat__json_parse(&doc, &a, json, len, err);
  if (rc != CSAT_OK)
    return rc;
  r.doc = &doc;
  r.err = err;
  r.b = NULL;
  r.root = &doc.root;
  rc = read(&r, &doc.root, alloc);
  if (rc == CSAT_OK) {
    rc = csat__survey_validate(r.b->s, msg, sizeof msg, &q);
    if (rc != CSAT_OK)
      rc = csat__survey_reader_fail(&r, rc, q >= 0 ? r.qoff[q] : r.root->offset, "%s", msg);
  }
  if (rc == CSAT_OK) {
    rc = csat_survey_builder_finish(r.b, out, NULL);
    if (rc == CSAT_OK)
      r.b = NULL; /* finish took it */
    else
      rc = csat__survey_reader_fail(&r, rc, r.root->offset, "%s", csat_survey_builder_errmsg(r.b));
  }
  csat_survey_builder_free(r.b);
  csat__json_free(&doc);
  return rc;
}

int csat_survey_from_json(csat_survey **out, const char *json, size_t len,
                          const csat_allocator *alloc, csat_error *err) {
  return csat__survey_json_read(out, json, len, alloc, err, read_survey);
}
