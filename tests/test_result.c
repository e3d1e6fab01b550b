/* Result accessors and the JSON Lines / CSV serialisations, on survey and
 * session structs filled by hand (only what result.c reads). */
#include "registry.h"
#include "result_fixture.h"

#include <stdlib.h>
#include <string.h>

static void fx_init(fixture *f, int32_t nq) {
  fixture_init(f, nq);
  f->attrs[1].key = "note";
  f->attrs[1].value = "say \"hi\"\n";
  f->s.contact.department = "care";
  f->s.contact.language = "pl";
  f->s.contact.customer_address = "+48123";
  f->s.contact.started_ms = 1000;
  f->s.contact.ended_ms = 2000;
  f->s.contact.wait_ms = 30;
  f->s.contact.talk_ms = 900;
  f->s.outcome = CSAT_OUTCOME_COMPLETED;
  f->s.escalation = CSAT_ESCALATION_NONE;
  f->s.started_ms = 1700000000000;
  f->s.ended_ms = 1700000060000;
}

static void answer(fixture *f, int32_t q, int32_t status, int32_t score, int32_t attempts,
                   int32_t flagged, const char *raw, const char *comment, int64_t ms) {
  csat__answer *a = &f->ans[q];
  a->status = status;
  a->score = score;
  a->attempts = attempts;
  a->flagged = flagged;
  strcpy(a->raw, raw);
  a->comment = (char *)comment;
  a->answered_ms = ms;
}

typedef int (*writer)(const csat_result *, char *, size_t, size_t *);

/* Run a writer with the buffer convention and return its text (caller frees). */
static char *render(const csat_result *r, writer w) {
  size_t needed = 0, again = 0;
  char *buf;
  CHECK_INT(w(r, NULL, 0, &needed), CSAT_ERR_BUFFER_TOO_SMALL);
  buf = malloc(needed + 1);
  if (buf == NULL)
    abort();
  CHECK_INT(w(r, buf, needed + 1, &again), CSAT_OK);
  CHECK_INT(again, needed);
  CHECK_INT(strlen(buf), needed);
  return buf;
}

static int header_w(const csat_result *r, char *buf, size_t cap, size_t *needed) {
  return csat_survey_csv_header(r->session->survey, buf, cap, needed);
}

TEST(accessors) {
  fixture f;
  csat_answer a;
  const csat_result *r;
  fx_init(&f, 3);
  r = &f.s.result;
  answer(&f, 0, CSAT_ANSWER_ANSWERED, 2, 1, 1, "2#", NULL, 1700000010000);
  answer(&f, 1, CSAT_ANSWER_NO_INPUT, -1, 3, 0, "", NULL, 0);
  f.qs[2].kind = CSAT_Q_VOICE_COMMENT;
  answer(&f, 2, CSAT_ANSWER_ANSWERED, -1, 1, 0, "", "rec/1.wav", 1700000020000);
  f.s.escalation = CSAT_ESCALATION_CALLBACK;

  CHECK_INT(csat_result_outcome(r), CSAT_OUTCOME_COMPLETED);
  CHECK_STR(csat_result_survey_id(r), "post-call");
  CHECK_INT(csat_result_survey_version(r), 3);
  CHECK(csat_result_contact(r) == &f.s.contact);
  CHECK_STR(csat_result_contact(r)->contact_id, "c1");
  CHECK_INT(csat_result_answer_count(r), 3);
  CHECK_INT(csat_result_flagged(r), 1);
  CHECK_INT(csat_result_escalation(r), CSAT_ESCALATION_CALLBACK);
  CHECK_INT(csat_result_started_ms(r), 1700000000000);
  CHECK_INT(csat_result_ended_ms(r), 1700000060000);

  memset(&a, 0, sizeof a);
  a.struct_size = sizeof a;
  CHECK_INT(csat_result_answer(r, 0, &a), CSAT_OK);
  CHECK_STR(a.question_id, "q1");
  CHECK_INT(a.kind, CSAT_Q_RATING);
  CHECK_INT(a.status, CSAT_ANSWER_ANSWERED);
  CHECK_INT(a.score, 2);
  CHECK_INT(a.attempts, 1);
  CHECK_INT(a.flagged, 1);
  CHECK_STR(a.raw, "2#");
  CHECK_STR(a.comment, "");
  CHECK_INT(a.answered_ms, 1700000010000);
  CHECK_INT(a.struct_size, sizeof a);
  CHECK_INT(csat_result_answer(r, 1, &a), CSAT_OK);
  CHECK_INT(a.status, CSAT_ANSWER_NO_INPUT);
  CHECK_INT(a.score, -1);
  CHECK_INT(a.attempts, 3);
  CHECK_INT(csat_result_answer(r, 2, &a), CSAT_OK);
  CHECK_INT(a.kind, CSAT_Q_VOICE_COMMENT);
  CHECK_INT(a.score, -1);
  CHECK_STR(a.comment, "rec/1.wav");

  /* A score left on an unanswered question is not reported. */
  f.ans[1].score = 4;
  CHECK_INT(csat_result_answer(r, 1, &a), CSAT_OK);
  CHECK_INT(a.score, -1);

  CHECK_INT(csat_result_answer(r, -1, &a), CSAT_ERR_NOT_FOUND);
  CHECK_INT(csat_result_answer(r, 3, &a), CSAT_ERR_NOT_FOUND);
  CHECK_INT(csat_result_answer(NULL, 0, &a), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_result_answer(r, 0, NULL), CSAT_ERR_INVALID_ARG);

  /* An older, shorter struct: only the members it covers are written. */
  memset(&a, 0x5A, sizeof a);
  a.struct_size = offsetof(csat_answer, status) + sizeof a.status;
  CHECK_INT(csat_result_answer(r, 0, &a), CSAT_OK);
  CHECK_STR(a.question_id, "q1");
  CHECK_INT(a.status, CSAT_ANSWER_ANSWERED);
  CHECK_INT(a.score, 0x5A5A5A5A);
  CHECK_INT(a.answered_ms, 0x5A5A5A5A5A5A5A5A);
  CHECK_INT(a.struct_size, offsetof(csat_answer, status) + sizeof a.status);
  /* Too small for the question id. */
  a.struct_size = sizeof(size_t);
  CHECK_INT(csat_result_answer(r, 0, &a), CSAT_ERR_INVALID_ARG);
  a.struct_size = offsetof(csat_answer, question_id) + sizeof a.question_id - 1;
  CHECK_INT(csat_result_answer(r, 0, &a), CSAT_ERR_INVALID_ARG);
  /* A newer, larger struct: told how much was filled. */
  {
    union {
      csat_answer a;
      unsigned char bytes[sizeof(csat_answer) + 32];
    } big;
    memset(&big, 0x5A, sizeof big);
    big.a.struct_size = sizeof big;
    CHECK_INT(csat_result_answer(r, 0, &big.a), CSAT_OK);
    CHECK_INT(big.a.struct_size, sizeof(csat_answer));
    CHECK_INT(big.a.score, 2);
    CHECK_INT(big.bytes[sizeof big - 1], 0x5A);
  }

  CHECK_INT(csat_result_outcome(NULL), 0);
  CHECK(csat_result_survey_id(NULL) == NULL);
  CHECK(csat_result_contact(NULL) == NULL);
  CHECK_INT(csat_result_answer_count(NULL), 0);
  CHECK_INT(csat_result_flagged(NULL), 0);

  answer(&f, 0, CSAT_ANSWER_ANSWERED, 4, 1, 0, "4", NULL, 1);
  CHECK_INT(csat_result_flagged(r), 0);
}

TEST(jsonl) {
  fixture f;
  char *j;
  fx_init(&f, 3);
  answer(&f, 0, CSAT_ANSWER_ANSWERED, 2, 2, 1, "2", NULL, 1700000010000);
  answer(&f, 1, CSAT_ANSWER_INVALID, -1, 3, 0, "9", NULL, 0);
  f.qs[2].kind = CSAT_Q_TEXT_COMMENT;
  answer(&f, 2, CSAT_ANSWER_ANSWERED, -1, 1, 0, "",
         "Bad \"service\"\r\n\x01\tend \\ Za\xC5\xBC\xC3\xB3\xC5\x82\xC4\x87 \xED\x95\x9C",
         1700000020000);
  f.s.escalation = CSAT_ESCALATION_OFFERED;
  j = render(&f.s.result, csat_result_to_jsonl);
  CHECK_STR(j, "{\"contact_id\":\"c1\",\"agent_id\":\"agent7\",\"queue_id\":\"support\","
               "\"department\":\"care\",\"channel\":\"voice\",\"language\":\"pl\","
               "\"customer_address\":\"+48123\",\"contact_started_ms\":1000,"
               "\"contact_ended_ms\":2000,\"wait_ms\":30,\"talk_ms\":900,"
               "\"attributes\":{\"tier\":\"gold\",\"note\":\"say \\\"hi\\\"\\n\"},"
               "\"survey_id\":\"post-call\",\"survey_version\":3,\"outcome\":\"completed\","
               "\"flagged\":true,\"escalation\":\"offered\",\"started_ms\":1700000000000,"
               "\"ended_ms\":1700000060000,\"answers\":["
               "{\"id\":\"q1\",\"kind\":\"rating\",\"status\":\"answered\",\"score\":2,"
               "\"attempts\":2,\"flagged\":true,\"raw\":\"2\",\"comment\":\"\","
               "\"answered_ms\":1700000010000},"
               "{\"id\":\"q2\",\"kind\":\"rating\",\"status\":\"invalid\",\"score\":null,"
               "\"attempts\":3,\"flagged\":false,\"raw\":\"9\",\"comment\":\"\","
               "\"answered_ms\":0},"
               "{\"id\":\"q3\",\"kind\":\"text_comment\",\"status\":\"answered\","
               "\"score\":null,\"attempts\":1,\"flagged\":false,\"raw\":\"\","
               "\"comment\":\"Bad \\\"service\\\"\\r\\n\\u0001\\tend \\\\ "
               "Za\xC5\xBC\xC3\xB3\xC5\x82\xC4\x87 \xED\x95\x9C\","
               "\"answered_ms\":1700000020000}]}\n");
  /* One line: the only newline is the terminator; no raw control characters. */
  {
    size_t i, n = strlen(j);
    int ctl = 0;
    for (i = 0; i + 1 < n; i++)
      ctl |= (unsigned char)j[i] < 0x20;
    CHECK(!ctl);
    CHECK_INT(j[n - 1], '\n');
  }
  free(j);

  /* Empty language falls back to the survey's default; NULL strings are "". */
  f.s.contact.language = "";
  f.s.contact.agent_id = NULL;
  f.s.contact.attr_count = 0;
  f.s.outcome = CSAT_OUTCOME_NONE;
  j = render(&f.s.result, csat_result_to_jsonl);
  CHECK(strstr(j, "\"language\":\"en\"") != NULL);
  CHECK(strstr(j, "\"agent_id\":\"\"") != NULL);
  CHECK(strstr(j, "\"attributes\":{}") != NULL);
  CHECK(strstr(j, "\"outcome\":\"none\"") != NULL);
  free(j);
}

TEST(csv) {
  fixture f;
  char *c;
  fx_init(&f, 3);
  answer(&f, 0, CSAT_ANSWER_ANSWERED, 2, 1, 1, "2", "a, b", 1);
  answer(&f, 1, CSAT_ANSWER_NO_INPUT, -1, 3, 0, "", "say \"no\"\r\nthen", 0);
  answer(&f, 2, CSAT_ANSWER_ANSWERED, 0, 1, 0, "",
         "Za\xC5\xBC\xC3\xB3\xC5\x82\xC4\x87 "
         "\xED\x95\x9C\xEA\xB5\xAD \xF0\x9F\x99\x82",
         2);
  c = render(&f.s.result, header_w);
  CHECK_STR(c, "contact_id,survey_id,survey_version,agent_id,queue_id,department,channel,"
               "language,outcome,started,ended,flagged,escalation,q1,q1_comment,q2,"
               "q2_comment,q3,q3_comment\r\n");
  free(c);
  c = render(&f.s.result, csat_result_to_csv);
  CHECK_STR(c, "c1,post-call,3,agent7,support,care,voice,pl,completed,1700000000000,"
               "1700000060000,1,none,2,\"a, b\",,\"say \"\"no\"\"\r\nthen\",0,"
               "Za\xC5\xBC\xC3\xB3\xC5\x82\xC4\x87 \xED\x95\x9C\xEA\xB5\xAD "
               "\xF0\x9F\x99\x82\r\n");
  free(c);

  /* Formula injection: each of = + - @ TAB CR at the start of host text. */
  f.s.contact.contact_id = "=HYPERLINK(\"http://x\")";
  f.s.contact.agent_id = "+1";
  f.s.contact.queue_id = "-2+3";
  f.s.contact.department = "@SUM(A1)";
  answer(&f, 0, CSAT_ANSWER_ANSWERED, 2, 1, 1, "2", "\tx", 1);
  answer(&f, 1, CSAT_ANSWER_NO_INPUT, -1, 3, 0, "", "\rcmd", 0);
  answer(&f, 2, CSAT_ANSWER_ANSWERED, 5, 1, 0, "", "=1+1,2", 2);
  f.s.started_ms = 0; /* not reached: empty cell */
  f.s.ended_ms = 0;
  c = render(&f.s.result, csat_result_to_csv);
  CHECK_STR(c, "\"'=HYPERLINK(\"\"http://x\"\")\",post-call,3,'+1,'-2+3,'@SUM(A1),voice,pl,"
               "completed,,,1,none,2,'\tx,,\"'\rcmd\",5,\"'=1+1,2\"\r\n");
  free(c);

  /* Header cells are quoted and guarded too: ids are any printable ASCII. */
  f.qs[0].id = (char *)"=q";
  f.qs[1].id = (char *)"a,b";
  f.qs[2].id = (char *)"x\"y";
  c = render(&f.s.result, header_w);
  CHECK(strstr(c, ",escalation,'=q,'=q_comment,\"a,b\",\"a,b_comment\",\"x\"\"y\","
                  "\"x\"\"y_comment\"\r\n") != NULL);
  free(c);
}

TEST(csv_many_questions) {
  fixture f;
  char *c;
  int32_t i;
  fx_init(&f, 12);
  for (i = 0; i < 12; i++)
    answer(&f, i, CSAT_ANSWER_ANSWERED, i % 5 + 1, 1, 0, "", NULL, 1);
  answer(&f, 10, CSAT_ANSWER_NOT_ASKED, -1, 0, 0, "", NULL, 0);
  c = render(&f.s.result, header_w);
  CHECK_STR(c, "contact_id,survey_id,survey_version,agent_id,queue_id,department,channel,"
               "language,outcome,started,ended,flagged,escalation,"
               "q1,q1_comment,q2,q2_comment,q3,q3_comment,q4,q4_comment,q5,q5_comment,"
               "q6,q6_comment,q7,q7_comment,q8,q8_comment,q9,q9_comment,q10,q10_comment,"
               "q11,q11_comment,q12,q12_comment\r\n");
  free(c);
  c = render(&f.s.result, csat_result_to_csv);
  CHECK_STR(c, "c1,post-call,3,agent7,support,care,voice,pl,completed,1700000000000,"
               "1700000060000,0,none,1,,2,,3,,4,,5,,1,,2,,3,,4,,5,,,,2,\r\n");
  free(c);
  f.sv.question_count = 64;
  c = render(&f.s.result, header_w);
  {
    size_t commas = 0;
    const char *p;
    for (p = c; *p; p++)
      commas += *p == ',';
    CHECK_INT(commas, 13 + 2 * 64 - 1);
  }
  free(c);
}

static void check_convention(const csat_result *r, writer w) {
  size_t needed = 0, n2 = 0;
  char *buf;
  CHECK_INT(w(r, NULL, 0, &needed), CSAT_ERR_BUFFER_TOO_SMALL);
  CHECK(needed > 0);
  CHECK_INT(w(r, NULL, 0, NULL), CSAT_ERR_BUFFER_TOO_SMALL);
  CHECK_INT(w(r, NULL, 5, &n2), CSAT_ERR_INVALID_ARG);
  buf = malloc(needed + 1);
  if (buf == NULL)
    abort();
  /* Exactly the text plus its NUL. */
  memset(buf, 'X', needed + 1);
  CHECK_INT(w(r, buf, needed + 1, &n2), CSAT_OK);
  CHECK_INT(n2, needed);
  CHECK_INT(buf[needed], '\0');
  /* One byte short: the NUL does not fit; the buffer stays terminated. */
  memset(buf, 'X', needed + 1);
  n2 = 0;
  CHECK_INT(w(r, buf, needed, &n2), CSAT_ERR_BUFFER_TOO_SMALL);
  CHECK_INT(n2, needed);
  CHECK_INT(buf[needed - 1], '\0');
  CHECK_INT(buf[needed], 'X');
  CHECK_INT(w(r, buf, 1, &n2), CSAT_ERR_BUFFER_TOO_SMALL);
  CHECK_INT(buf[0], '\0');
  free(buf);
  CHECK_INT(w(NULL, NULL, 0, &n2), CSAT_ERR_INVALID_ARG);
}

static int header_w_null_safe(const csat_result *r, char *buf, size_t cap, size_t *needed) {
  return csat_survey_csv_header(r ? r->session->survey : NULL, buf, cap, needed);
}

TEST(buffers) {
  fixture f;
  fx_init(&f, 2);
  answer(&f, 0, CSAT_ANSWER_ANSWERED, 5, 1, 0, "5", "fine", 1);
  check_convention(&f.s.result, csat_result_to_jsonl);
  check_convention(&f.s.result, csat_result_to_csv);
  check_convention(&f.s.result, header_w_null_safe);
}

/* The facts csat_agg_add_result reads without the session's internals. */
TEST(language_and_scale) {
  fixture f;
  const csat_result *r;
  int32_t min = -1, max = -1;
  fx_init(&f, 4);
  r = &f.s.result;
  f.qs[0].min = 0;
  f.qs[0].max = 10;
  f.qs[1].kind = CSAT_Q_YES_NO;
  f.qs[1].min = 3; /* whatever the survey left there, yes/no is 0..1 */
  f.qs[1].max = 7;
  f.qs[2].kind = CSAT_Q_TEXT_COMMENT;
  f.qs[3].min = 2;
  f.qs[3].max = 4;
  CHECK_INT(csat_result_answer_scale(r, 0, &min, &max), CSAT_OK);
  CHECK(min == 0 && max == 10);
  CHECK_INT(csat_result_answer_scale(r, 1, &min, &max), CSAT_OK);
  CHECK(min == 0 && max == 1);
  CHECK_INT(csat_result_answer_scale(r, 2, &min, &max), CSAT_OK);
  CHECK(min == 0 && max == 0);
  CHECK_INT(csat_result_answer_scale(r, 3, &min, &max), CSAT_OK);
  CHECK(min == 2 && max == 4);
  CHECK_INT(csat_result_answer_scale(r, 4, &min, &max), CSAT_ERR_NOT_FOUND);
  CHECK_INT(csat_result_answer_scale(r, -1, &min, &max), CSAT_ERR_NOT_FOUND);
  CHECK_INT(csat_result_answer_scale(r, 0, NULL, &max), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_result_answer_scale(r, 0, &min, NULL), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_result_answer_scale(NULL, 0, &min, &max), CSAT_ERR_INVALID_ARG);
  /* the contact's language, else the survey's default, else "" */
  f.s.contact.language = NULL;
  CHECK_STR(csat_result_language(r), "en");
  f.s.contact.language = "";
  CHECK_STR(csat_result_language(r), "en");
  f.s.contact.language = "pl";
  CHECK_STR(csat_result_language(r), "pl");
  f.s.contact.language = NULL;
  f.sv.default_language = NULL;
  CHECK_STR(csat_result_language(r), "");
  CHECK(csat_result_language(NULL) == NULL);
}

static const test_case tests[] = {
    TEST_ENTRY(accessors), TEST_ENTRY(language_and_scale), TEST_ENTRY(jsonl),
    TEST_ENTRY(csv),       TEST_ENTRY(csv_many_questions), TEST_ENTRY(buffers),
};

TEST_MAIN(tests)
