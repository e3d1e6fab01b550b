/* The twin runner: two sessions driven by the same events, one saved and
 * restored between events, compared after each (see fuzz_common.h).
 * SPDX-License-Identifier: MIT */
#include "fuzz_twin.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Save s into *buf, grown as needed (capacity *cap); returns the length. */
static size_t fz_save_buf(const csat_session *s, unsigned char **buf, size_t *cap) {
  size_t needed = 0, again = 0;
  int rc = csat_session_save(s, *buf, *cap, &needed);
  if (rc == CSAT_ERR_BUFFER_TOO_SMALL) {
    FZ_CHECK(needed > *cap && needed <= CSAT_BLOB_MAX);
    free(*buf);
    *cap = needed < 1024 ? 1024 : needed * 2;
    *buf = fz_xmalloc(*cap);
    rc = csat_session_save(s, *buf, *cap, &again);
    FZ_CHECK(rc == CSAT_OK && again == needed);
  } else {
    FZ_CHECK(rc == CSAT_OK);
    FZ_CHECK(needed > 0 && needed <= *cap);
  }
  return needed;
}

static int fz_apply(csat_session *s, const fz_event *e) {
  switch (e->kind) {
  case FZ_EV_OFFER: return csat_session_offer(s, e->now);
  case FZ_EV_OPT_IN: return csat_session_opt_in(s, e->accepted, e->now);
  case FZ_EV_START: return csat_session_start(s, e->now);
  case FZ_EV_INPUT: return csat_session_input(s, e->digits, e->ndigits, e->now);
  case FZ_EV_NO_INPUT: return csat_session_no_input(s, e->now);
  case FZ_EV_RECORDED: return csat_session_recorded(s, e->digits, e->ndigits, e->now);
  case FZ_EV_REPEAT: return csat_session_repeat(s, e->now);
  case FZ_EV_HANGUP: return csat_session_hangup(s, e->now);
  case FZ_EV_FLUSH: return csat_session_flush(s, e->now);
  case FZ_EV_TEXT: return csat_session_text(s, e->text, e->ntext, e->now);
  case FZ_EV_EXPIRE: return csat_session_expire(s, e->now);
  default: return CSAT_OK;
  }
}

static int fz_trace(void) {
  static int trace = -1;
  if (trace < 0)
    trace = getenv("FUZZ_TRACE") != NULL;
  return trace;
}

static void fz_dump_logs(const fz_twin *t) {
  fprintf(stderr, "--- original:\n%s\n--- restored twin:\n%s\n",
          t->side[0].h.log.p ? t->side[0].h.log.p : "",
          t->side[1].h.log.p ? t->side[1].h.log.p : "");
}

/* The twin saves to the bytes of the original's last save. */
static void fz_twin_compare(fz_twin *t) {
  size_t len1 = fz_save_buf(t->side[1].s, &t->spare, &t->spare_cap);
  if (!(len1 == t->blob_len && memcmp(t->spare, t->blob, len1) == 0)) {
    fz_dump_logs(t);
    fz_fail(__FILE__, __LINE__, "original and restored twin saved different blobs");
  }
}

/* Replace the twin by a restore of the original's last save (t->blob). */
static void fz_twin_restore(fz_twin *t) {
  csat_session *r;
  unsigned char *exact = fz_xmalloc(t->blob_len);
  memcpy(exact, t->blob, t->blob_len);
  r = fz_restore_exact(t->survey, exact, t->blob_len, &t->side[1].vt, &t->side[1].h);
  free(exact);
  FZ_CHECK(csat_session_outcome(r) == csat_session_outcome(t->side[0].s) &&
           csat_session_ended(r) == csat_session_ended(t->side[0].s) &&
           csat_session_pending(r) == csat_session_pending(t->side[0].s));
  csat_session_free(t->side[1].s);
  t->side[1].s = r;
}

void fz_twin_begin(fz_twin *t) {
  int i;
  for (i = 0; i < 2; i++)
    fz_host_adopt(&t->side[i].h, t->side[i].s);
  t->outcome_seen = csat_session_outcome(t->side[0].s);
  FZ_CHECK(csat_session_outcome(t->side[1].s) == t->outcome_seen);
  /* The two start in the same state; the twin goes on as a restore of it. */
  t->blob_len = fz_save_buf(t->side[0].s, &t->blob, &t->blob_cap);
  t->blob_fresh = 1;
  t->dirty = 0;
  fz_twin_compare(t);
  fz_twin_restore(t);
}

/* A restore that runs out of memory fails cleanly and leaks nothing. */
static void fz_restore_nomem(const fz_twin *t, const unsigned char *blob, size_t len) {
  const fz_host *h = &t->side[0].h;
  fail_alloc fa;
  csat_allocator alloc;
  csat_session *r = NULL;
  unsigned char *exact = fz_xmalloc(len);
  int rc;
  memcpy(exact, blob, len);
  alloc = fail_alloc_init(&fa, (h->fa->fail_at - 1) % 12 + 1, h->fa->persistent);
  rc = csat_session_restore(&r, t->survey, exact, len, &t->side[0].vt, &alloc, NULL);
  fa.paused = 1;
  FZ_CHECK(rc == CSAT_OK || (rc == CSAT_ERR_NOMEM && fa.failures > 0));
  if (rc == CSAT_OK)
    csat_session_free(r);
  FZ_CHECK(fa.live == 0);
  free(exact);
}

static int fz_channel_mismatch(int voice, int kind) {
  if (voice)
    return kind == FZ_EV_TEXT || kind == FZ_EV_EXPIRE;
  return kind == FZ_EV_OFFER || kind == FZ_EV_INPUT || kind == FZ_EV_NO_INPUT ||
         kind == FZ_EV_RECORDED;
}

void fz_twin_step(fz_twin *t, const fz_event *e) {
  int rc[2], i, unchanged, checked, saved;
  unsigned every = t->every > 1 ? t->every : 1;
  int32_t outcome, ended, prev_outcome = t->outcome_seen;
  uint32_t pending;
  size_t after_len = 0;
  fz_host *h = &t->side[0].h;
  csat_session *s = t->side[0].s;
  const csat_result *r0 = csat_session_result(s);
  int text_checks = !h->voice && h->def != NULL;
  int prev_ended = csat_session_ended(s) != 0;
  int prev_new = !prev_ended && csat_result_started_ms(r0) == 0;
  int prev_optout_done = h->optout_done, prev_notices = h->notices;
  int mismatch = fz_channel_mismatch(h->voice, e->kind);
  int msg_valid = 1, msg_optout = 0;
  long failures_before = h->fa ? h->fa->failures : 0;
  fz_snap before, after;
  unsigned char *tmp;

  if (e->kind == FZ_EV_TEXT) {
    msg_valid = e->ntext <= CSAT_TEXT_MAX &&
                (e->ntext == 0 || memchr(e->text, 0, e->ntext) == NULL) &&
                fz_utf8_valid(e->text, e->ntext);
    msg_optout = msg_valid && fz_reads_as_opt_out(e->text, e->ntext);
    if (msg_optout && !mismatch && !prev_new)
      t->side[0].h.optout_sent = t->side[1].h.optout_sent = 1;
  }
  if (text_checks && (e->kind == FZ_EV_TEXT || e->kind == FZ_EV_EXPIRE))
    fz_snap_take(r0, &before);

  for (i = 0; i < 2; i++) {
    fz_host *hi = &t->side[i].h;
    fz_host_event(hi, e->fail_on, e->fail_mask);
    tb_printf(&hi->log, "event %d t=%lld", e->kind, (long long)e->now);
    if (e->kind == FZ_EV_TEXT)
      fz_log_bytes(&hi->log, e->text, e->ntext);
    tb_add(&hi->log, "\n", 1);
    if (e->kind == FZ_EV_SAVE_RESTORE) {
      if (i == 0) {
        if (h->fa != NULL && h->fa->fail_at != 0)
          fz_restore_nomem(t, t->blob, t->blob_len);
        t->side[0].s = fz_save_restore(t->side[0].s, t->survey, &t->side[0].vt, h, NULL, NULL);
      }
      rc[i] = CSAT_OK;
    } else {
      if (hi->fa)
        hi->fa->paused = 0;
      rc[i] = fz_apply(t->side[i].s, e);
      if (hi->fa)
        hi->fa->paused = 1;
    }
    s = t->side[i].s;
    tb_printf(&hi->log, "-> rc=%d outcome=%d ended=%d pending=%u\n", rc[i],
              (int)csat_session_outcome(s), (int)csat_session_ended(s),
              (unsigned)csat_session_pending(s));
  }
  /* A restored session behaves exactly as the original. */
  if (rc[0] != rc[1] || t->side[0].h.log.len != t->side[1].h.log.len ||
      memcmp(t->side[0].h.log.p, t->side[1].h.log.p, t->side[0].h.log.len) != 0) {
    fz_dump_logs(t);
    fz_fail(__FILE__, __LINE__, "original and restored twin diverged");
  }

  if (fz_trace())
    fprintf(stderr, "%s", t->side[0].h.log.p);
  s = t->side[0].s;
  outcome = csat_session_outcome(s);
  ended = csat_session_ended(s);
  pending = csat_session_pending(s);
  /* Documented codes only, each for its own reason. */
  switch (rc[0]) {
  case CSAT_OK:
  case CSAT_ERR_STATE:
  case CSAT_ERR_CALLBACK: break;
  case CSAT_ERR_NOMEM: FZ_CHECK(h->fa != NULL && h->fa->failures > failures_before); break;
  case CSAT_ERR_UNSUPPORTED: FZ_CHECK(mismatch); break;
  case CSAT_ERR_INVALID_ARG:
    FZ_CHECK(e->kind == FZ_EV_TEXT && e->ntext > 0 && memchr(e->text, 0, e->ntext) != NULL);
    break;
  case CSAT_ERR_LIMIT: FZ_CHECK(e->kind == FZ_EV_TEXT && e->ntext > CSAT_TEXT_MAX); break;
  case CSAT_ERR_UTF8: FZ_CHECK(e->kind == FZ_EV_TEXT && !fz_utf8_valid(e->text, e->ntext)); break;
  default:
    fz_dump_logs(t);
    fz_fail(__FILE__, __LINE__, "undocumented return code for a well-formed event");
  }
  if (e->kind == FZ_EV_TEXT && !msg_valid)
    FZ_CHECK(rc[0] == CSAT_ERR_INVALID_ARG || rc[0] == CSAT_ERR_LIMIT || rc[0] == CSAT_ERR_UTF8 ||
             rc[0] == CSAT_ERR_UNSUPPORTED);
  if (mismatch) {
    if (e->kind == FZ_EV_OFFER || (e->kind == FZ_EV_TEXT && !msg_valid))
      FZ_CHECK(rc[0] != CSAT_OK && rc[0] != CSAT_ERR_CALLBACK && rc[0] != CSAT_ERR_NOMEM);
    else
      FZ_CHECK(rc[0] == CSAT_ERR_UNSUPPORTED);
  }
  /* CALLBACK exactly when a callback the contract names failed. */
  if (rc[0] == CSAT_ERR_CALLBACK)
    FZ_CHECK(h->failed_any);
  if (h->failed_required)
    FZ_CHECK(rc[0] == CSAT_ERR_CALLBACK);
  FZ_CHECK(csat_session_errmsg(s) != NULL);

  /* The outcome, once set, never changes; ended <=> outcome set. */
  FZ_CHECK(outcome >= 0 && outcome <= CSAT_OUTCOME_MAX);
  if (t->outcome_seen != 0)
    FZ_CHECK(outcome == t->outcome_seen);
  t->outcome_seen = outcome;
  FZ_CHECK((ended != 0) == (outcome != 0));
  FZ_CHECK((pending & ~h->pending_mask) == 0);
  if (!ended) {
    FZ_CHECK(pending == 0);
    FZ_CHECK(h->ended_calls == 0 && h->store_calls == 0 && h->task_calls == 0);
    FZ_CHECK(h->optout_calls == 0);
  } else {
    FZ_CHECK(h->ended_calls == 1 && h->ended_outcome == outcome);
    if (outcome == CSAT_OUTCOME_ALREADY_ANSWERED)
      FZ_CHECK((pending & ~(uint32_t)CSAT_PENDING_OPT_OUT) == 0 && h->store_calls == 0 &&
               h->task_calls == 0);
    else if (!(h->omit & FZ_OMIT_STORE))
      FZ_CHECK(((pending & CSAT_PENDING_STORE) != 0) == (h->store_ok == 0));
    if (pending & CSAT_PENDING_TASK)
      FZ_CHECK(h->task_ok == 0);
    if (pending & CSAT_PENDING_OPT_OUT)
      FZ_CHECK(h->optout_ok == 0 && h->optout_sent);
    else if (h->optout_calls > 0)
      FZ_CHECK(h->optout_ok);
  }
  if (outcome == CSAT_OUTCOME_OPTED_OUT) {
    /* On text only, and nothing may be sent from now on. */
    FZ_CHECK(!h->voice && h->optout_sent);
    t->side[0].h.optout_done = t->side[1].h.optout_done = 1;
  }
  if (h->voice)
    FZ_CHECK(outcome != CSAT_OUTCOME_EXPIRED && outcome != CSAT_OUTCOME_OPTED_OUT);
  if (h->task_calls_event || (pending & CSAT_PENDING_TASK))
    FZ_CHECK(csat_result_flagged(csat_session_result(s)));
  if (e->kind == FZ_EV_FLUSH)
    FZ_CHECK((rc[0] == CSAT_OK || rc[0] == CSAT_ERR_NOMEM || rc[0] == CSAT_ERR_CALLBACK) &&
             (rc[0] == CSAT_OK) == (pending == 0));

  /* Side 0 is saved into the spare buffer at checked steps (every k-th,
   * k = t->every), the step before each and at explicit saves; compared
   * with the blob of the step before when that step saved too. Saving at
   * every step cost most of the run (issue 13, item 21). unchanged is 1, 0,
   * or -1 when not known (the checks that need it then let it pass). */
  checked = t->steps % every == 0;
  saved = checked || (t->steps + 1) % every == 0 || e->kind == FZ_EV_SAVE_RESTORE;
  unchanged = -1;
  if (saved) {
    after_len = fz_save_buf(s, &t->spare, &t->spare_cap);
    if (t->blob_fresh)
      unchanged = after_len == t->blob_len && memcmp(t->spare, t->blob, after_len) == 0;
  }
  if (unchanged != 1)
    t->dirty = 1;
  /* The result, when anything changed (or may have). */
  if ((saved && unchanged != 1) || t->steps == 0) {
    fz_check_result(csat_session_result(s), t->survey, !t->lax_times);
    if (h->def != NULL)
      fz_check_answers(h, csat_session_result(s));
  }
  /* STATE and the argument errors: the event was refused, nothing changed. */
  if (rc[0] == CSAT_ERR_STATE || rc[0] == CSAT_ERR_UNSUPPORTED || rc[0] == CSAT_ERR_INVALID_ARG ||
      rc[0] == CSAT_ERR_LIMIT || rc[0] == CSAT_ERR_UTF8)
    FZ_CHECK(h->ncalls == 0 && unchanged != 0);
  /* NOMEM: either nothing changed (a copy failed first), or the event was
   * applied and the task it could not build is pending. */
  if (rc[0] == CSAT_ERR_NOMEM)
    FZ_CHECK((h->ncalls == 0 && unchanged != 0) || (pending & CSAT_PENDING_TASK));
  if (text_checks) {
    if (e->kind == FZ_EV_TEXT || e->kind == FZ_EV_EXPIRE)
      fz_snap_take(csat_session_result(s), &after);
    fz_check_text_event(t, e, rc[0], prev_outcome, prev_new, prev_ended, prev_optout_done,
                        prev_notices, msg_optout, &before, &after, unchanged);
  }
  t->blob_fresh = saved;
  if (saved) {
    /* The spare buffer becomes the blob of this step. */
    tmp = t->blob;
    t->blob = t->spare;
    t->spare = tmp;
    {
      size_t c = t->blob_cap;
      t->blob_cap = t->spare_cap;
      t->spare_cap = c;
    }
    t->blob_len = after_len;
  }
  /* The buffer conventions of save: at explicit saves (they cost two more). */
  if (e->kind == FZ_EV_SAVE_RESTORE)
    fz_save_conventions(s, t->blob, t->blob_len);
  t->steps++;

  for (i = 0; i < 2; i++)
    tb_reset(&t->side[i].h.log);
  /* At a checked step after a change (since the last one): the twin must be
   * in the same state, byte for byte; then it is replaced by a restore of
   * that state. The restore is checked by the next comparison (or the last
   * one in fz_twin_free), at once now and then. An unchanged state needs
   * neither: the twin is already a restore of it. */
  if ((checked && t->dirty) || e->kind == FZ_EV_SAVE_RESTORE) {
    fz_twin_compare(t);
    fz_twin_restore(t);
    t->dirty = 0;
    if ((t->steps & 7u) == 0)
      fz_twin_compare(t);
  }
}

void fz_twin_free(fz_twin *t) {
  int i;
  /* The last comparison, and now and then the buffer conventions of save
   * (also checked at every explicit save and restore). */
  if (t->side[0].s != NULL && t->side[1].s != NULL && t->blob != NULL) {
    static unsigned count;
    if (!t->blob_fresh) /* the last steps were not saved */
      t->blob_len = fz_save_buf(t->side[0].s, &t->blob, &t->blob_cap);
    fz_twin_compare(t);
    if ((count++ & 7u) == 0)
      fz_save_conventions(t->side[0].s, t->blob, t->blob_len);
  }
  for (i = 0; i < 2; i++) {
    csat_session_free(t->side[i].s);
    t->side[i].s = NULL;
    /* Every block of the side's sessions went back to its allocator. */
    if (t->side[i].h.fa != NULL)
      FZ_CHECK(t->side[i].h.fa->live == 0);
    fz_host_free(&t->side[i].h);
  }
  free(t->blob);
  free(t->spare);
  t->blob = t->spare = NULL;
  t->blob_cap = t->spare_cap = 0;
}
