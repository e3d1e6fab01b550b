/*
 * Shared by test_result.c and test_task.c: a survey and an ended session
 * filled by hand (only what result.c and task.c read), so those tests do
 * not depend on the session state machine. fixture_init gives nq rating
 * questions q1..qN on 1..5, unanswered, and a voice contact "c1" of agent7
 * in queue "support" with two attributes; each test adds what it needs.
 * SPDX-License-Identifier: MIT
 */
#ifndef CSAT_TEST_RESULT_FIXTURE_H
#define CSAT_TEST_RESULT_FIXTURE_H

#include "session/session.h"

#include <string.h>

typedef struct fixture {
  struct csat_survey sv;
  csat__question qs[CSAT__MAX_QUESTIONS];
  char ids[CSAT__MAX_QUESTIONS][16];
  struct csat_session s;
  csat__answer ans[CSAT__MAX_QUESTIONS];
  csat_attr attrs[2];
} fixture;

static inline void fixture_init(fixture *f, int32_t nq) {
  int32_t i;
  memset(f, 0, sizeof *f);
  csat__alloc_init(&f->s.alloc, NULL);
  f->sv.id = (char *)"post-call";
  f->sv.version = 3;
  f->sv.name = (char *)"Post-call CSAT";
  f->sv.default_language = (char *)"en";
  f->sv.questions = f->qs;
  f->sv.question_count = nq;
  for (i = 0; i < nq; i++) {
    csat__out o;
    csat__out_init(&o, f->ids[i], sizeof f->ids[i]);
    csat__out_char(&o, 'q');
    csat__out_i64(&o, i + 1);
    csat__out_finish_text(&o, NULL);
    f->qs[i].id = f->ids[i];
    f->qs[i].kind = CSAT_Q_RATING;
    f->qs[i].min = 1;
    f->qs[i].max = 5;
    f->ans[i].score = -1;
  }
  f->attrs[0].key = "tier";
  f->attrs[0].value = "gold";
  f->s.survey = &f->sv;
  f->s.contact.struct_size = sizeof(csat_contact);
  f->s.contact.contact_id = "c1";
  f->s.contact.agent_id = "agent7";
  f->s.contact.queue_id = "support";
  f->s.contact.channel = CSAT_CHANNEL_VOICE;
  f->s.contact.attrs = f->attrs;
  f->s.contact.attr_count = 2;
  f->s.attrs = f->attrs;
  f->s.answers = f->ans;
  f->s.result.session = &f->s;
}

#endif /* CSAT_TEST_RESULT_FIXTURE_H */
