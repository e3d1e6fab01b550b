/* The task a flagged result creates: templates expanded, limits applied in
 * characters without ever splitting a UTF-8 character, and an idempotency
 * key so a host that retries does not create the task twice.
 * SPDX-License-Identifier: MIT */
#include "session.h"

#include <string.h>

/* ---- template expansion ------------------------------------------------- */

enum {
  PH_CONTACT_ID,
  PH_AGENT_ID,
  PH_QUEUE_ID,
  PH_RULE_NAME,
  PH_SURVEY_ID,
  PH_SURVEY_NAME,
  PH_QUESTION,
  PH_SCORE,
  PH_COMMENT
};

static const struct {
  const char *text; /* with the brackets, matched case-sensitively */
  size_t len;
  int id;
} placeholders[] = {
    {"[ContactId]", 11, PH_CONTACT_ID}, {"[AgentId]", 9, PH_AGENT_ID},
    {"[QueueId]", 9, PH_QUEUE_ID},      {"[RuleName]", 10, PH_RULE_NAME},
    {"[SurveyId]", 10, PH_SURVEY_ID},   {"[SurveyName]", 12, PH_SURVEY_NAME},
    {"[Question]", 10, PH_QUESTION},    {"[Score]", 7, PH_SCORE},
    {"[Comment]", 9, PH_COMMENT},
};

static const char *nz(const char *s) { return s != NULL ? s : ""; }

static int32_t question_count(const csat_session *s) {
  return s->answers != NULL ? s->survey->question_count : 0;
}

static int has_comment(const csat__answer *a) {
  return a->comment != NULL && a->comment[0] != '\0';
}

/* The joined values of the flagged answers. `limit` lets a measuring pass
 * stop early: a template may repeat [Comment] thousands of times. */
static void write_joined(const csat_session *s, int id, csat__out *o, size_t limit) {
  int32_t q, n = question_count(s);
  int any = 0;
  for (q = 0; q < n && o->len < limit; q++) {
    const csat__answer *a = &s->answers[q];
    if (!a->flagged)
      continue;
    if (id == PH_QUESTION) {
      if (any)
        csat__out_str(o, ", ");
      csat__out_str(o, s->survey->questions[q].id);
    } else if (id == PH_SCORE) {
      if (any)
        csat__out_str(o, ", ");
      if (a->score >= 0)
        csat__out_i64(o, a->score);
    } else {
      if (!has_comment(a))
        continue;
      if (any)
        csat__out_str(o, " | ");
      csat__out_str(o, a->comment);
    }
    any = 1;
  }
  /* No flagged answer carries a comment (the usual case: the comment is a
   * follow-up question of its own): give the first comment of the result. */
  if (id == PH_COMMENT && !any)
    for (q = 0; q < n; q++)
      if (has_comment(&s->answers[q])) {
        csat__out_str(o, s->answers[q].comment);
        break;
      }
}

/* Single pass, so a value that itself contains "[ContactId]" (a customer's
 * comment) is written as it is and never expanded. */
static void expand(const csat_session *s, const char *tpl, csat__out *o, size_t limit) {
  size_t i = 0, start = 0, k;
  if (tpl == NULL)
    return;
  while (tpl[i] != '\0' && o->len < limit) {
    int id = -1;
    if (tpl[i] != '[') {
      i++;
      continue;
    }
    for (k = 0; k < sizeof placeholders / sizeof placeholders[0]; k++)
      if (strncmp(tpl + i, placeholders[k].text, placeholders[k].len) == 0) {
        id = placeholders[k].id;
        break;
      }
    if (id < 0) { /* unknown: left as written */
      i++;
      continue;
    }
    csat__out_bytes(o, tpl + start, i - start);
    i += placeholders[k].len;
    start = i;
    switch (id) {
    case PH_CONTACT_ID: csat__out_str(o, s->contact.contact_id); break;
    case PH_AGENT_ID: csat__out_str(o, s->contact.agent_id); break;
    case PH_QUEUE_ID: csat__out_str(o, s->contact.queue_id); break;
    case PH_RULE_NAME: csat__out_str(o, s->survey->task_rule_name); break;
    case PH_SURVEY_ID: csat__out_str(o, s->survey->id); break;
    case PH_SURVEY_NAME: csat__out_str(o, s->survey->name); break;
    default: write_joined(s, id, o, limit); break;
    }
  }
  csat__out_bytes(o, tpl + start, i - start);
}

void csat__task_template_expand(const csat_session *s, const char *tpl, csat__out *o) {
  expand(s, tpl, o, SIZE_MAX);
}

/* The default description (csat__default_task_description), written in
 * parts: " ([SurveyName])" only when the survey has a name and
 * " Comment: [Comment]" only when [Comment] has something to say, so neither
 * "Survey s ()" nor a dangling "Comment: " appears. A host's own template is
 * expanded as written. */
static void expand_default_description(const csat_session *s, csat__out *o, size_t limit) {
  int32_t q, n = question_count(s);
  int comment = 0;
  for (q = 0; q < n && !comment; q++)
    comment = has_comment(&s->answers[q]); /* [Comment] falls back to any comment */
  expand(s, "Survey [SurveyId]", o, limit);
  if (s->survey->name != NULL && s->survey->name[0] != '\0')
    expand(s, " ([SurveyName])", o, limit);
  expand(s,
         ": question [Question] was answered with score [Score] (rule [RuleName]). "
         "Contact [ContactId], agent [AgentId], queue [QueueId].",
         o, limit);
  if (comment)
    expand(s, " Comment: [Comment]", o, limit);
}

static int is_default_description(const char *tpl) {
  return tpl != NULL && strcmp(tpl, csat__default_task_description) == 0;
}

/* The words of a task reference in the survey's default language (the
 * language its tasks are read in); others read English. */
typedef struct ref_words {
  const char *lang; /* primary subtag */
  const char *yes, *no, *of;
} ref_words;

static const ref_words ref_words_table[] = {
    {"en", "yes", "no", " of "},
    {"pl", "tak", "nie", " z "},
    {"ru", "\xD0\xB4\xD0\xB0", "\xD0\xBD\xD0\xB5\xD1\x82", " \xD0\xB8\xD0\xB7 "},
    {"uk", "\xD1\x82\xD0\xB0\xD0\xBA", "\xD0\xBD\xD1\x96", " \xD0\xB7 "},
    {"de", "ja", "nein", " von "},
    {"fr", "oui", "non", " sur "},
    {"es", "s\xC3\xAD", "no", " de "},
    {"ko", "\xEC\x98\x88", "\xEC\x95\x84\xEB\x8B\x88\xEC\x9A\x94", " / "},
};

static const ref_words *words_for(const csat_survey *sv) {
  const char *l = nz(sv->default_language);
  size_t k, len = 0;
  while (l[len] != '\0' && l[len] != '-' && l[len] != '_')
    len++;
  for (k = 0; k < sizeof ref_words_table / sizeof ref_words_table[0]; k++) {
    const char *t = ref_words_table[k].lang;
    if (strlen(t) == len && (l[0] | 0x20) == t[0] && (l[1] | 0x20) == t[1])
      return &ref_words_table[k];
  }
  return &ref_words_table[0];
}

/* ---- building the task -------------------------------------------------- */

/* Every string of the task is a "piece" written twice: once to measure it,
 * once into the single block. */
enum { P_TEMPLATE, P_DEFAULT_DESC, P_TEXT, P_REF_VALUE, P_SURVEY_REF, P_KEY };

typedef struct piece {
  int kind;
  const char *str;  /* P_TEMPLATE, P_TEXT */
  int32_t q;        /* P_REF_VALUE: question index */
  size_t max_chars; /* 0: no limit */
  size_t budget;    /* bytes reserved (without the NUL) */
  const char **dst; /* where the finished string's address goes */
} piece;

/* "3 of 1..5", "no" for yes/no (in the survey's language: "3 z 1..5",
 * "nie"), then the answer's comment if it has one. */
static void write_ref_value(const csat_session *s, int32_t q, csat__out *o) {
  const csat__question *qq = &s->survey->questions[q];
  const csat__answer *a = &s->answers[q];
  const ref_words *w = words_for(s->survey);
  int scored = a->score >= 0;
  if (scored && qq->kind == CSAT_Q_YES_NO) {
    csat__out_str(o, a->score ? w->yes : w->no);
  } else if (scored) {
    csat__out_i64(o, a->score);
    csat__out_str(o, w->of);
    csat__out_i64(o, qq->min);
    csat__out_str(o, "..");
    csat__out_i64(o, qq->max);
  }
  if (has_comment(a)) {
    if (scored)
      csat__out_str(o, ": ");
    csat__out_str(o, a->comment);
  }
}

/* FNV-1a 64 over survey id, NUL, contact id: the NUL keeps ("ab","c") and
 * ("a","bc") apart. Depends on nothing else, so every retry, restore or
 * process agrees on it. */
static void write_key(const csat_session *s, csat__out *o) {
  const char *sid = nz(s->survey->id), *cid = nz(s->contact.contact_id);
  uint64_t h = csat__hash_fnv1a(CSAT__HASH_FNV_INIT, sid, strlen(sid));
  h = csat__hash_fnv1a(h, "", 1);
  h = csat__hash_fnv1a(h, cid, strlen(cid));
  csat__out_str(o, "csat-");
  csat__out_u64_hex(o, h, 16);
}

static void piece_write(const csat_session *s, const piece *p, csat__out *o, size_t limit) {
  switch (p->kind) {
  case P_TEMPLATE: expand(s, p->str, o, limit); break;
  case P_DEFAULT_DESC: expand_default_description(s, o, limit); break;
  case P_TEXT: csat__out_str(o, p->str); break;
  case P_REF_VALUE: write_ref_value(s, p->q, o); break;
  case P_SURVEY_REF:
    csat__out_str(o, s->survey->id);
    csat__out_str(o, " v");
    csat__out_i64(o, s->survey->version);
    break;
  default: write_key(s, o); break;
  }
}

/* A code point takes at most 4 bytes, so 4 * max_chars bytes always hold the
 * longest string the limit allows. */
static size_t byte_cap(size_t max_chars) {
  return max_chars == 0 || max_chars > SIZE_MAX / 4 ? SIZE_MAX : max_chars * 4;
}

static void add_piece(piece *ps, size_t *n, int kind, const char *str, int32_t q, size_t max_chars,
                      const char **dst) {
  piece *p = &ps[(*n)++];
  p->kind = kind;
  p->str = str;
  p->q = q;
  p->max_chars = max_chars;
  p->budget = 0;
  p->dst = dst;
}

int csat__task_build(const csat_session *s, csat__task_data *out) {
  const csat_survey *sv = s->survey;
  piece ps[6 + 2 * CSAT__TASK_REFS_MAX];
  size_t np = 0, nrefs = 0, total = 0, i;
  int32_t q, n = question_count(s);
  csat_attr *refs;
  char *mem, *at;

  memset(out, 0, sizeof *out);
  /* References are built in place, so count them first. */
  for (q = 0; q < n; q++)
    if (s->answers[q].flagged && nrefs < CSAT__TASK_REFS_MAX)
      nrefs++;
  if (nrefs < CSAT__TASK_REFS_MAX)
    nrefs++; /* "survey", when there is room */
  refs = csat__malloc(&s->alloc, nrefs * sizeof *refs);
  if (refs == NULL)
    return CSAT_ERR_NOMEM;

  add_piece(ps, &np, P_TEMPLATE, sv->task_name, 0, CSAT__TASK_NAME_MAX, &out->task.name);
  add_piece(ps, &np, is_default_description(sv->task_description) ? P_DEFAULT_DESC : P_TEMPLATE,
            sv->task_description, 0, CSAT__TASK_DESC_MAX, &out->task.description);
  add_piece(ps, &np, P_TEXT, nz(sv->task_category), 0, CSAT__TASK_CATEGORY_MAX,
            &out->task.category);
  add_piece(ps, &np, P_TEXT, nz(sv->task_target), 0, 0, &out->task.target);
  add_piece(ps, &np, P_TEXT, nz(s->contact.contact_id), 0, 0, &out->task.previous_contact_id);
  add_piece(ps, &np, P_KEY, NULL, 0, 0, &out->task.idempotency_key);
  i = 0;
  for (q = 0; q < n && i < nrefs; q++) {
    if (!s->answers[q].flagged)
      continue;
    add_piece(ps, &np, P_TEXT, nz(sv->questions[q].id), 0, 0, &refs[i].key);
    add_piece(ps, &np, P_REF_VALUE, NULL, q, CSAT__TASK_REF_MAX, &refs[i].value);
    i++;
  }
  if (i < nrefs) {
    add_piece(ps, &np, P_TEXT, "survey", 0, 0, &refs[i].key);
    add_piece(ps, &np, P_SURVEY_REF, NULL, 0, CSAT__TASK_REF_MAX, &refs[i].value);
  }

  /* Measure: never reserve more than the limit can use. */
  for (i = 0; i < np; i++) {
    csat__out m;
    size_t cap = byte_cap(ps[i].max_chars);
    csat__out_init(&m, NULL, 0);
    piece_write(s, &ps[i], &m, cap);
    ps[i].budget = m.len < cap ? m.len : cap;
    if (ps[i].budget >= SIZE_MAX - 1 - total) {
      csat__free(&s->alloc, refs);
      return CSAT_ERR_NOMEM; /* cannot be allocated anyway */
    }
    total += ps[i].budget + 1;
  }
  mem = csat__malloc(&s->alloc, total);
  if (mem == NULL) {
    csat__free(&s->alloc, refs);
    return CSAT_ERR_NOMEM;
  }

  /* Write each piece into its slot and cut it to its limit in characters;
   * csat__utf8_prefix also drops a character the byte budget split. */
  at = mem;
  for (i = 0; i < np; i++) {
    csat__out w;
    size_t len;
    csat__out_init(&w, at, ps[i].budget);
    piece_write(s, &ps[i], &w, ps[i].budget);
    len = w.len < ps[i].budget ? w.len : ps[i].budget;
    if (ps[i].max_chars != 0)
      len = csat__utf8_prefix(at, len, ps[i].max_chars);
    at[len] = '\0';
    *ps[i].dst = at;
    at += ps[i].budget + 1;
  }

  out->mem = mem;
  out->refs = refs;
  out->task.struct_size = sizeof(csat_task);
  out->task.references = refs;
  out->task.reference_count = nrefs;
  /* The session owns the attributes and outlives the task. */
  out->task.attributes = s->contact.attrs;
  out->task.attribute_count = s->contact.attrs != NULL ? s->contact.attr_count : 0;
  return CSAT_OK;
}

void csat__task_data_free(const csat_session *s, csat__task_data *t) {
  if (t == NULL)
    return;
  csat__free(&s->alloc, t->mem);
  csat__free(&s->alloc, t->refs);
  memset(t, 0, sizeof *t);
}
