/* The twin runner's checks of text events: opt-out, answers a message may
 * change, notices (see fz_twin_step).
 * SPDX-License-Identifier: MIT */
#include "fuzz_twin.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int fz_reads_as_opt_out(const char *text, size_t len) {
  csat_reply r;
  memset(&r, 0, sizeof r);
  r.struct_size = sizeof r;
  FZ_CHECK(csat_reply_parse(text, len, CSAT_Q_TEXT_COMMENT, 0, 0, &r) == CSAT_OK);
  return r.kind == CSAT_REPLY_OPT_OUT;
}

static uint64_t fz_hash(const char *s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 0x100000001b3ull;
  }
  return h;
}

void fz_snap_take(const csat_result *r, fz_snap *sn) {
  int32_t i;
  sn->n = csat_result_answer_count(r);
  FZ_CHECK(sn->n >= 0 && sn->n <= 64);
  for (i = 0; i < sn->n; i++) {
    csat_answer a;
    memset(&a, 0, sizeof a);
    a.struct_size = sizeof a;
    FZ_CHECK(csat_result_answer(r, i, &a) == CSAT_OK);
    sn->a[i].status = a.status;
    sn->a[i].score = a.score;
    sn->a[i].attempts = a.attempts;
    sn->a[i].flagged = a.flagged;
    sn->a[i].answered_ms = a.answered_ms;
    sn->a[i].raw = fz_hash(a.raw);
    sn->a[i].comment = fz_hash(a.comment);
  }
}

static int fz_snap_same(const fz_snap *x, const fz_snap *y) {
  int32_t i;
  if (x->n != y->n)
    return 0;
  for (i = 0; i < x->n; i++)
    if (x->a[i].status != y->a[i].status || x->a[i].score != y->a[i].score ||
        x->a[i].attempts != y->a[i].attempts || x->a[i].flagged != y->a[i].flagged ||
        x->a[i].answered_ms != y->a[i].answered_ms || x->a[i].raw != y->a[i].raw ||
        x->a[i].comment != y->a[i].comment)
      return 0;
  return 1;
}
static int fz_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

void fz_check_answers(const fz_host *h, const csat_result *r) {
  int32_t i, n = csat_result_answer_count(r);
  for (i = 0; i < n; i++) {
    csat_answer a;
    int32_t kind = 0, min = 0, max = 0;
    size_t cl, chars;
    memset(&a, 0, sizeof a);
    a.struct_size = sizeof a;
    FZ_CHECK(csat_result_answer(r, i, &a) == CSAT_OK);
    FZ_CHECK(fz_scale(h->def, i, &kind, &min, &max));
    FZ_CHECK(a.kind == kind);
    cl = strlen(a.comment);
    chars = fz_utf8_count(a.comment, cl);
    FZ_CHECK(chars <= 4096);
    /* Text comments are trimmed, then cut to 4096 characters. */
    if (cl > 0 && !h->voice)
      FZ_CHECK(!fz_ascii_space(a.comment[0]) &&
               (chars == 4096 || !fz_ascii_space(a.comment[cl - 1])));
    if (a.status == CSAT_ANSWER_ANSWERED && (kind == CSAT_Q_RATING || kind == CSAT_Q_YES_NO))
      FZ_CHECK(a.score >= min && a.score <= max); /* inside the question's own scale */
    if (kind == CSAT_Q_RATING || kind == CSAT_Q_YES_NO)
      FZ_CHECK(strlen(a.raw) <= 32);
    /* A kind the channel (or the host) cannot carry is never asked. */
    if ((kind == CSAT_Q_VOICE_COMMENT && (!h->voice || (h->omit & FZ_OMIT_RECORD))) ||
        (kind == CSAT_Q_TEXT_COMMENT && h->voice))
      FZ_CHECK(a.status != CSAT_ANSWER_ANSWERED && a.status != CSAT_ANSWER_NO_INPUT &&
               a.status != CSAT_ANSWER_INVALID && a.attempts == 0);
    if (kind == CSAT_Q_TEXT_COMMENT && a.status == CSAT_ANSWER_ANSWERED)
      FZ_CHECK(a.score == -1 && a.raw[0] == '\0' && cl > 0);
    if (kind == CSAT_Q_TEXT_COMMENT)
      FZ_CHECK(a.status != CSAT_ANSWER_INVALID);
  }
}

/* The one notice a message after an end with this outcome gets, or 0. */
static int32_t fz_notice_for(int32_t outcome) {
  switch (outcome) {
  case CSAT_OUTCOME_EXPIRED: return CSAT_PROMPT_EXPIRED;
  case CSAT_OUTCOME_COMPLETED:
  case CSAT_OUTCOME_PARTIAL:
  case CSAT_OUTCOME_TIMED_OUT:
  case CSAT_OUTCOME_ATTEMPTS_EXHAUSTED:
  case CSAT_OUTCOME_ALREADY_ANSWERED: return CSAT_PROMPT_ALREADY_ANSWERED;
  default: return 0;
  }
}

void fz_check_text_event(fz_twin *t, const fz_event *e, int rc, int32_t prev_outcome, int prev_new,
                         int prev_ended, int prev_optout_done, int prev_notices, int msg_optout,
                         const fz_snap *before, const fz_snap *after, int unchanged) {
  fz_host *h = &t->side[0].h;
  const csat_result *r = csat_session_result(t->side[0].s);
  int32_t outcome = csat_session_outcome(t->side[0].s);
  int prev_running = !prev_new && !prev_ended;
  int64_t started = csat_result_started_ms(r);
  const fz_survey_def *def = h->def;

  if (h->notices) {
    if (h->notice_kind == CSAT_PROMPT_EXPIRED)
      FZ_CHECK(outcome == CSAT_OUTCOME_EXPIRED);
    else
      FZ_CHECK(fz_notice_for(outcome) == CSAT_PROMPT_ALREADY_ANSWERED);
  }
  /* Notices and opt-out confirmations answer messages only. */
  FZ_CHECK(h->notices_event == 0 || e->kind == FZ_EV_TEXT);
  FZ_CHECK(h->optout_prompts_event == 0 || (e->kind == FZ_EV_TEXT && msg_optout));
  FZ_CHECK(h->optout_calls_event == 0 || (e->kind == FZ_EV_TEXT && msg_optout) ||
           e->kind == FZ_EV_FLUSH);
  if (outcome == CSAT_OUTCOME_OPTED_OUT || outcome == CSAT_OUTCOME_EXPIRED)
    FZ_CHECK(prev_outcome == outcome || e->kind == FZ_EV_TEXT || e->kind == FZ_EV_EXPIRE);

  if (e->kind == FZ_EV_EXPIRE) {
    if (prev_running) {
      FZ_CHECK(rc != CSAT_ERR_STATE);
      FZ_CHECK(outcome == CSAT_OUTCOME_EXPIRED);
      FZ_CHECK(h->plays_event == 0); /* nothing is sent */
      FZ_CHECK(fz_snap_same(before, after));
    } else {
      FZ_CHECK(rc == CSAT_ERR_STATE);
    }
    return;
  }
  if (e->kind != FZ_EV_TEXT || rc == CSAT_ERR_INVALID_ARG || rc == CSAT_ERR_LIMIT ||
      rc == CSAT_ERR_UTF8)
    return;
  if (prev_new) {
    FZ_CHECK(rc == CSAT_ERR_STATE);
    return;
  }
  FZ_CHECK(rc != CSAT_ERR_STATE);
  if (rc == CSAT_ERR_NOMEM && unchanged)
    return; /* the comment could not be copied: nothing changed */
  if (msg_optout) {
    /* Opt-out: the message is stored nowhere, the answers stay as they were. */
    FZ_CHECK(fz_snap_same(before, after));
    if (!prev_optout_done) {
      if (def->text_notices)
        FZ_CHECK(h->optout_prompts_event == 1);
      if (!(h->omit & FZ_OMIT_OPTED_OUT))
        FZ_CHECK(h->optout_calls_event == 1);
      if (prev_running)
        FZ_CHECK(outcome == CSAT_OUTCOME_OPTED_OUT);
    } else {
      /* A second opt-out gets nothing. */
      FZ_CHECK(h->ncalls == 0 && unchanged);
    }
    if (prev_ended && !prev_optout_done)
      t->side[0].h.optout_after_end = t->side[1].h.optout_after_end = 1;
    t->side[0].h.optout_done = t->side[1].h.optout_done = 1;
    return;
  }
  FZ_CHECK(h->optout_prompts_event == 0 && h->optout_calls_event == 0);
  if (prev_ended) {
    int32_t want = fz_notice_for(prev_outcome);
    FZ_CHECK(fz_snap_same(before, after));
    FZ_CHECK(h->ncalls == (unsigned)h->plays_event); /* nothing but the notice */
    FZ_CHECK(h->plays_event == h->notices_event);
    if (prev_notices == 0 && want != 0 && def->text_notices && !prev_optout_done)
      FZ_CHECK(h->notices_event == 1 && h->notice_kind == want);
    else if (prev_notices != 0 || want == 0 || prev_optout_done)
      FZ_CHECK(h->notices_event == 0);
    return;
  }
  /* A message while the survey runs. */
  if (started <= INT64_MAX - def->window_ms && e->now > started + def->window_ms) {
    FZ_CHECK(outcome == CSAT_OUTCOME_EXPIRED);
    FZ_CHECK(fz_snap_same(before, after));
    if (def->text_notices)
      FZ_CHECK(h->notices_event == 1 && h->notice_kind == CSAT_PROMPT_EXPIRED);
  } else {
    FZ_CHECK(outcome != CSAT_OUTCOME_EXPIRED && outcome != CSAT_OUTCOME_OPTED_OUT);
    FZ_CHECK(h->notices_event == 0);
  }
}
