/* Task building: template expansion, limits in characters at UTF-8
 * boundaries, references, idempotency key, and out-of-memory behaviour, on
 * survey and session structs filled by hand (only what task.c reads). */
#include "registry.h"
#include "result_fixture.h"
#include "fail_alloc.h"

#include <stdlib.h>
#include <string.h>

static void fx_init(fixture *f, int32_t nq) {
  fixture_init(f, nq);
  f->sv.task_enabled = 1;
  f->sv.task_name = (char *)"Low score [ContactId]";
  f->sv.task_description = (char *)"[Question]: [Score]";
  f->sv.task_category = (char *)"CSAT";
  f->sv.task_target = (char *)"flow-123";
  f->sv.task_rule_name = (char *)"Low CSAT";
  f->attrs[1].key = "case";
  f->attrs[1].value = "42";
}

static void answer(fixture *f, int32_t q, int32_t score, int32_t flagged, const char *comment) {
  f->ans[q].status = CSAT_ANSWER_ANSWERED;
  f->ans[q].score = score;
  f->ans[q].attempts = 1;
  f->ans[q].flagged = flagged;
  f->ans[q].comment = (char *)comment;
}

/* Expand a template into a fresh string (caller frees). */
static char *expand(const fixture *f, const char *tpl) {
  csat__out o;
  size_t n = 0;
  char *buf;
  csat__out_init(&o, NULL, 0);
  csat__task_template_expand(&f->s, tpl, &o);
  CHECK_INT(csat__out_finish_text(&o, &n), CSAT_ERR_BUFFER_TOO_SMALL);
  buf = malloc(n + 1);
  if (buf == NULL)
    abort();
  csat__out_init(&o, buf, n + 1);
  csat__task_template_expand(&f->s, tpl, &o);
  CHECK_INT(csat__out_finish_text(&o, NULL), CSAT_OK);
  return buf;
}

/* `times` copies of unit (caller frees). */
static char *rep(const char *prefix, const char *unit, size_t times, const char *suffix) {
  size_t u = strlen(unit), p = strlen(prefix), s = strlen(suffix), i;
  char *b = malloc(p + u * times + s + 1);
  if (b == NULL)
    abort();
  memcpy(b, prefix, p);
  for (i = 0; i < times; i++)
    memcpy(b + p + i * u, unit, u);
  memcpy(b + p + u * times, suffix, s + 1);
  return b;
}

TEST(expand) {
  fixture f;
  char *e;
  fx_init(&f, 4);
  answer(&f, 0, 2, 1, NULL);
  answer(&f, 1, 5, 0, "great agent");
  answer(&f, 2, 1, 1, NULL);
  answer(&f, 3, 3, 0, "slow [ContactId]");

  e = expand(&f, "[ContactId]|[AgentId]|[QueueId]|[RuleName]|[SurveyId]|[SurveyName]|"
                 "[Question]|[Score]|[Comment]");
  CHECK_STR(e, "c1|agent7|support|Low CSAT|post-call|Post-call CSAT|q1, q3|2, 1|great agent");
  free(e);
  /* Unknown, differently cased, nested and unclosed placeholders stay as written. */
  e = expand(&f, "[Unknown] [contactid] [[ContactId]] [ContactId [] [ ]x[");
  CHECK_STR(e, "[Unknown] [contactid] [c1] [ContactId [] [ ]x[");
  free(e);
  e = expand(&f, "");
  CHECK_STR(e, "");
  free(e);
  e = expand(&f, NULL);
  CHECK_STR(e, "");
  free(e);

  /* Comments of the flagged answers win, joined by " | "; values are never
   * expanded again (a customer cannot inject a placeholder). */
  answer(&f, 0, 2, 1, "rude");
  answer(&f, 2, 1, 1, "hung up [AgentId]");
  e = expand(&f, "[Comment]");
  CHECK_STR(e, "rude | hung up [AgentId]");
  free(e);
  answer(&f, 0, 2, 1, "");
  answer(&f, 2, 1, 1, NULL);
  answer(&f, 1, 5, 0, NULL);
  e = expand(&f, "<[Comment]>");
  CHECK_STR(e, "<slow [ContactId]>");
  free(e);

  /* Nothing flagged, nothing commented, strings missing. */
  fx_init(&f, 2);
  f.s.contact.agent_id = NULL;
  f.sv.name = NULL;
  e = expand(&f, "a[Question]b[Score]c[Comment]d[AgentId]e[SurveyName]f");
  CHECK_STR(e, "abcdef");
  free(e);
}

/* Every string must be valid UTF-8 of at most `max` characters. */
static void check_text(const char *s, size_t max) {
  CHECK(s != NULL);
  if (s == NULL)
    return;
  CHECK(csat__utf8_valid(s, strlen(s)));
  CHECK(csat__utf8_count(s, strlen(s)) <= max);
}

static void build_ok(fixture *f, csat__task_data *t) {
  CHECK_INT(csat__task_build(&f->s, t), CSAT_OK);
}

TEST(fields) {
  fixture f;
  csat__task_data t;
  fx_init(&f, 3);
  f.qs[1].kind = CSAT_Q_YES_NO;
  f.qs[1].min = 0;
  f.qs[1].max = 1;
  answer(&f, 0, 2, 1, NULL);
  answer(&f, 1, 0, 1, "never again");
  answer(&f, 2, 5, 0, NULL);
  build_ok(&f, &t);
  CHECK_INT(t.task.struct_size, sizeof(csat_task));
  CHECK_STR(t.task.name, "Low score c1");
  CHECK_STR(t.task.description, "q1, q2: 2, 0");
  CHECK_STR(t.task.category, "CSAT");
  CHECK_STR(t.task.target, "flow-123");
  CHECK_STR(t.task.previous_contact_id, "c1");
  CHECK(t.task.previous_contact_id != f.s.contact.contact_id); /* owned copy */
  CHECK(t.task.attributes == f.attrs);
  CHECK_INT(t.task.attribute_count, 2);
  CHECK_INT(t.task.reference_count, 3);
  if (t.task.reference_count == 3) {
    CHECK_STR(t.task.references[0].key, "q1");
    CHECK_STR(t.task.references[0].value, "2 of 1..5");
    CHECK_STR(t.task.references[1].key, "q2");
    CHECK_STR(t.task.references[1].value, "no: never again");
    CHECK_STR(t.task.references[2].key, "survey");
    CHECK_STR(t.task.references[2].value, "post-call v3");
  }
  check_text(t.task.idempotency_key, 21);
  csat__task_data_free(&f.s, &t);
  CHECK(t.mem == NULL && t.refs == NULL && t.task.name == NULL);
  csat__task_data_free(&f.s, &t); /* twice is harmless */

  /* Missing survey strings become "". */
  f.sv.task_category = NULL;
  f.sv.task_target = NULL;
  f.sv.task_name = NULL;
  f.s.contact.attrs = NULL;
  build_ok(&f, &t);
  CHECK_STR(t.task.name, "");
  CHECK_STR(t.task.category, "");
  CHECK_STR(t.task.target, "");
  CHECK_INT(t.task.attribute_count, 0);
  csat__task_data_free(&f.s, &t);
}

TEST(references) {
  fixture f;
  csat__task_data t;
  int32_t i;
  char *long_comment;
  fx_init(&f, 30);
  for (i = 0; i < 30; i++)
    answer(&f, i, 1, 1, NULL);
  build_ok(&f, &t);
  CHECK_INT(t.task.reference_count, CSAT__TASK_REFS_MAX);
  if (t.task.reference_count == CSAT__TASK_REFS_MAX) {
    CHECK_STR(t.task.references[0].key, "q1");
    CHECK_STR(t.task.references[9].key, "q10"); /* question order, not text order */
    CHECK_STR(t.task.references[24].key, "q25");
    CHECK_STR(t.task.references[24].value, "1 of 1..5");
  }
  csat__task_data_free(&f.s, &t);

  /* 24 flagged: the survey reference still fits as the 25th. */
  fx_init(&f, 30);
  for (i = 0; i < 24; i++)
    answer(&f, i, 1, 1, NULL);
  build_ok(&f, &t);
  CHECK_INT(t.task.reference_count, 25);
  if (t.task.reference_count == 25)
    CHECK_STR(t.task.references[24].key, "survey");
  csat__task_data_free(&f.s, &t);

  /* A reference value is cut at 4096 characters, Korean at the boundary. */
  fx_init(&f, 1);
  long_comment = rep("", "\xED\x95\x9C", 5000, ""); /* 한 x 5000 */
  answer(&f, 0, 1, 1, long_comment);
  build_ok(&f, &t);
  {
    const char *v = t.task.references[0].value;
    CHECK(strncmp(v, "1 of 1..5: \xED\x95\x9C", 14) == 0);
    CHECK(csat__utf8_valid(v, strlen(v)));
    CHECK_INT(csat__utf8_count(v, strlen(v)), CSAT__TASK_REF_MAX);
    CHECK_INT(strlen(v), 11 + (CSAT__TASK_REF_MAX - 11) * 3);
  }
  csat__task_data_free(&f.s, &t);
  free(long_comment);
}

/* Build with name/description/category set as given and check one of them
 * equals `expect`. */
static void check_limit(const char *tpl_name, const char *tpl_desc, const char *category, int which,
                        const char *expect, size_t max) {
  fixture f;
  csat__task_data t;
  const char *got;
  fx_init(&f, 1);
  answer(&f, 0, 1, 1, NULL);
  f.sv.task_name = (char *)tpl_name;
  f.sv.task_description = (char *)tpl_desc;
  f.sv.task_category = (char *)category;
  build_ok(&f, &t);
  got = which == 0 ? t.task.name : which == 1 ? t.task.description : t.task.category;
  check_text(got, max);
  CHECK(got != NULL && strcmp(got, expect) == 0);
  if (got != NULL && strcmp(got, expect) != 0)
    fprintf(stderr, "  limit %d: got %zu bytes, expected %zu\n", which, strlen(got),
            strlen(expect));
  csat__task_data_free(&f.s, &t);
}

TEST(truncation) {
  /* 2-, 3- and 4-byte characters straddling each limit. */
  static const char *const chars[] = {"\xC5\xBC" /* ż */, "\xED\x95\x9C" /* 한 */,
                                      "\xF0\x9F\x99\x82" /* 🙂 */};
  static const size_t limits[] = {CSAT__TASK_NAME_MAX, CSAT__TASK_DESC_MAX,
                                  CSAT__TASK_CATEGORY_MAX};
  int which;
  size_t c;
  for (which = 0; which < 3; which++) {
    size_t max = limits[which];
    char *exact = rep("", "a", max, "");
    char *over = rep("", "a", max + 1, "");
    check_limit(which == 0 ? exact : "n", which == 1 ? exact : "d", which == 2 ? exact : "c", which,
                exact, max);
    check_limit(which == 0 ? over : "n", which == 1 ? over : "d", which == 2 ? over : "c", which,
                exact, max);
    free(over);
    for (c = 0; c < 3; c++) {
      /* max-1 ASCII then multi-byte characters: exactly one of them fits. */
      char *in = rep("", "a", max - 1, "");
      char *tail = rep("", chars[c], 3, "");
      char *full = rep(in, "", 0, tail);
      char *expect = rep(in, chars[c], 1, "");
      check_limit(which == 0 ? full : "n", which == 1 ? full : "d", which == 2 ? full : "c", which,
                  expect, max);
      free(in);
      free(tail);
      free(full);
      free(expect);
      /* Only multi-byte characters: the limit is characters, not bytes. */
      full = rep("", chars[c], max + 7, "");
      expect = rep("", chars[c], max, "");
      check_limit(which == 0 ? full : "n", which == 1 ? full : "d", which == 2 ? full : "c", which,
                  expect, max);
      free(full);
      free(expect);
    }
    free(exact);
  }

  /* Through expansion: a long Polish comment in the name. */
  {
    fixture f;
    csat__task_data t;
    char *comment = rep("", "\xC5\xBC\xC3\xB3\xC5\x82w ", 400, ""); /* "żółw " x 400 */
    char *expect;
    fx_init(&f, 1);
    answer(&f, 0, 1, 1, comment);
    f.sv.task_name = (char *)"[ContactId]: [Comment]";
    build_ok(&f, &t);
    /* 512 - 4 = 508 characters of the comment: 101 x "żółw " and "żół". */
    expect = rep("c1: ", "\xC5\xBC\xC3\xB3\xC5\x82w ", 101, "\xC5\xBC\xC3\xB3\xC5\x82");
    CHECK_STR(t.task.name, expect);
    check_text(t.task.name, CSAT__TASK_NAME_MAX);
    CHECK_INT(csat__utf8_count(t.task.name, strlen(t.task.name)), CSAT__TASK_NAME_MAX);
    csat__task_data_free(&f.s, &t);
    free(expect);

    /* A template repeating [Comment] thousands of times stays bounded. */
    {
      char *tpl = rep("", "[Comment]", 900, "");
      f.sv.task_description = tpl;
      build_ok(&f, &t);
      CHECK_INT(csat__utf8_count(t.task.description, strlen(t.task.description)),
                CSAT__TASK_DESC_MAX);
      check_text(t.task.description, CSAT__TASK_DESC_MAX);
      csat__task_data_free(&f.s, &t);
      free(tpl);
    }
    free(comment);
  }
}

/* Independent FNV-1a 64, to pin the key's definition. */
static uint64_t fnv(uint64_t h, const char *p, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    h ^= (unsigned char)p[i];
    h *= 1099511628211ull;
  }
  return h;
}

TEST(idempotency) {
  fixture f;
  csat__task_data t1, t2, t3;
  char expect[32];
  uint64_t h;
  int i;
  fx_init(&f, 2);
  answer(&f, 0, 1, 1, NULL);
  build_ok(&f, &t1);
  answer(&f, 1, 1, 1, "later answer"); /* content changes, key does not */
  f.sv.task_name = (char *)"other";
  build_ok(&f, &t2);
  CHECK_STR(t1.task.idempotency_key, t2.task.idempotency_key);
  h = fnv(14695981039346656037ull, "post-call", 9);
  h = fnv(h, "", 1);
  h = fnv(h, "c1", 2);
  memcpy(expect, "csat-", 5);
  for (i = 0; i < 16; i++)
    expect[5 + i] = "0123456789abcdef"[(h >> (60 - 4 * i)) & 0xf];
  expect[21] = '\0';
  CHECK_STR(t1.task.idempotency_key, expect);

  f.s.contact.contact_id = "c2";
  build_ok(&f, &t3);
  CHECK(strcmp(t1.task.idempotency_key, t3.task.idempotency_key) != 0);
  csat__task_data_free(&f.s, &t3);
  /* The NUL separator: ("post-call", "c1") differs from ("post-callc", "1"). */
  f.sv.id = (char *)"post-callc";
  f.s.contact.contact_id = "1";
  build_ok(&f, &t3);
  CHECK(strcmp(t1.task.idempotency_key, t3.task.idempotency_key) != 0);
  csat__task_data_free(&f.s, &t3);
  f.sv.id = (char *)"other-survey";
  f.s.contact.contact_id = "c1";
  build_ok(&f, &t3);
  CHECK(strcmp(t1.task.idempotency_key, t3.task.idempotency_key) != 0);
  csat__task_data_free(&f.s, &t3);
  csat__task_data_free(&f.s, &t1);
  csat__task_data_free(&f.s, &t2);
}

TEST(nomem) {
  int persistent;
  for (persistent = 0; persistent < 2; persistent++) {
    long k;
    int succeeded = 0;
    for (k = 1; k < 100 && !succeeded; k++) {
      fixture f;
      csat__task_data t;
      fail_alloc fa;
      csat_allocator host = fail_alloc_init(&fa, k, persistent);
      int rc;
      fx_init(&f, 3);
      answer(&f, 0, 1, 1, "bad");
      answer(&f, 2, 2, 1, NULL);
      CHECK_INT(csat__alloc_init(&f.s.alloc, &host), CSAT_OK);
      memset(&t, 0x5A, sizeof t);
      rc = csat__task_build(&f.s, &t);
      if (rc == CSAT_OK) {
        succeeded = 1;
        CHECK_STR(t.task.name, "Low score c1");
        CHECK_INT(t.task.reference_count, 3);
        CHECK(fa.live > 0);
        csat__task_data_free(&f.s, &t);
      } else {
        CHECK_INT(rc, CSAT_ERR_NOMEM);
        CHECK(t.mem == NULL && t.refs == NULL); /* nothing to free */
        csat__task_data_free(&f.s, &t);
      }
      CHECK_INT(fa.live, 0);
    }
    CHECK(succeeded);
    CHECK(k > 2); /* at least two allocations were exercised */
  }
}

/* Issue 13 item 20: the default description names the survey only when it
 * has a name and ends with "Comment: ..." only when there is a comment. */
TEST(default_description) {
  fixture f;
  csat__task_data t;
  char *full;
  fx_init(&f, 2);
  f.sv.task_description = (char *)csat__default_task_description;
  answer(&f, 0, 2, 1, NULL);
  answer(&f, 1, 5, 0, "slow");
  /* with a name and a comment: the template as written */
  full = expand(&f, csat__default_task_description);
  build_ok(&f, &t);
  CHECK_STR(t.task.description, full);
  CHECK(strstr(t.task.description, "Survey post-call (Post-call CSAT): ") != NULL);
  CHECK(strstr(t.task.description, "queue support. Comment: slow") != NULL);
  csat__task_data_free(&f.s, &t);
  free(full);
  /* no comment anywhere: no dangling "Comment: " */
  answer(&f, 1, 5, 0, NULL);
  build_ok(&f, &t);
  CHECK_STR(t.task.description,
            "Survey post-call (Post-call CSAT): question q1 was answered with score 2 (rule Low "
            "CSAT). Contact c1, agent agent7, queue support.");
  csat__task_data_free(&f.s, &t);
  /* no name: no "()" */
  f.sv.name = (char *)"";
  build_ok(&f, &t);
  CHECK(strncmp(t.task.description, "Survey post-call: question q1 ", 30) == 0);
  csat__task_data_free(&f.s, &t);
  f.sv.name = NULL;
  build_ok(&f, &t);
  CHECK(strncmp(t.task.description, "Survey post-call: question q1 ", 30) == 0);
  csat__task_data_free(&f.s, &t);
  /* a host's own template is expanded as written */
  f.sv.task_description = (char *)"([SurveyName]) Comment: [Comment]";
  build_ok(&f, &t);
  CHECK_STR(t.task.description, "() Comment: ");
  csat__task_data_free(&f.s, &t);
}

/* Issue 13 item 20: reference values speak the survey's default language. */
TEST(reference_language) {
  fixture f;
  csat__task_data t;
  fx_init(&f, 2);
  f.qs[1].kind = CSAT_Q_YES_NO;
  f.qs[1].min = 0;
  f.qs[1].max = 1;
  answer(&f, 0, 2, 1, NULL);
  answer(&f, 1, 0, 1, "nikogda");
  f.sv.default_language = (char *)"ru-RU";
  build_ok(&f, &t);
  CHECK_INT(t.task.reference_count, 3);
  if (t.task.reference_count == 3) {
    CHECK_STR(t.task.references[0].value, "2 \xD0\xB8\xD0\xB7 1..5");           /* 2 из 1..5 */
    CHECK_STR(t.task.references[1].value, "\xD0\xBD\xD0\xB5\xD1\x82: nikogda"); /* нет */
    CHECK_STR(t.task.references[2].value, "post-call v3");
  }
  csat__task_data_free(&f.s, &t);
  f.sv.default_language = (char *)"PL";
  answer(&f, 1, 1, 1, NULL);
  build_ok(&f, &t);
  if (t.task.reference_count == 3) {
    CHECK_STR(t.task.references[0].value, "2 z 1..5");
    CHECK_STR(t.task.references[1].value, "tak");
  }
  csat__task_data_free(&f.s, &t);
  f.sv.default_language = (char *)"uz-Latn"; /* not in the table: English */
  build_ok(&f, &t);
  if (t.task.reference_count == 3)
    CHECK_STR(t.task.references[0].value, "2 of 1..5");
  csat__task_data_free(&f.s, &t);
}

static const test_case tests[] = {
    TEST_ENTRY(expand),
    TEST_ENTRY(fields),
    TEST_ENTRY(references),
    TEST_ENTRY(truncation),
    TEST_ENTRY(idempotency),
    TEST_ENTRY(nomem),
    TEST_ENTRY(default_description),
    TEST_ENTRY(reference_language),
};

TEST_MAIN(tests)
