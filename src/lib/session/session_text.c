/*
 * Text sessions (SMS, chat): customer messages read against the current
 * question. The questions, attempts and the end are the state machine of
 * session.c; this file decides what a message means for the session. The
 * behaviour is the contract in csat.h ("How a text session behaves").
 *
 * Memory: a message allocates at most one string, the comment it carries,
 * and does so before anything changes, so NOMEM leaves the session as it was.
 * SPDX-License-Identifier: MIT
 */
#include "reply/reply.h"
#include "session.h"

#include <string.h>

#define UNRESOLVED (-1) /* a tentative status: answered later in this message, maybe */

/* ---- asking ------------------------------------------------------------- */

int32_t csat__session_text_first_question(const csat_survey *sv) {
  int32_t q;
  for (q = 0; q < sv->question_count; q++)
    if (sv->questions[q].kind != CSAT_Q_VOICE_COMMENT)
      return q;
  return -1;
}

void csat__session_text_ask(csat_session *s, int *rc, int32_t q) {
  if (q == csat__session_text_first_question(s->survey) &&
      csat__session_play(s, rc, CSAT_PROMPT_INVITATION, -1))
    return;
  (void)csat__session_play(s, rc, CSAT_PROMPT_QUESTION, q);
}

/* ---- small helpers ------------------------------------------------------ */

static int window_passed(const csat_session *s, int64_t now) {
  int64_t w = s->survey->text_window_ms;
  if (s->started_ms > INT64_MAX - w)
    return 0; /* the window ends beyond the clock's range */
  return now > s->started_ms + w;
}

/* The first bytes of the message as raw input: at most CSAT__TEXT_MAX_RAW
 * bytes, cut back to the start of a character. */
static void set_raw(csat__answer *a, const char *text, size_t len) {
  size_t n = len < CSAT__TEXT_MAX_RAW ? len : CSAT__TEXT_MAX_RAW;
  if (n < len)
    while (n > 0 && ((unsigned char)text[n] & 0xC0u) == 0x80u)
      n--;
  if (n > 0)
    memcpy(a->raw, text, n);
  a->raw[n] = '\0';
}

static int is_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* A comment's bytes: the span trimmed of ASCII white space and truncated to
 * CSAT__MAX_COMMENT characters. NULL with *nomem = 0 when nothing is left. */
static char *copy_comment(csat_session *s, const char *p, size_t n, int *nomem) {
  char *c;
  *nomem = 0;
  while (n > 0 && is_space((unsigned char)p[0])) {
    p++;
    n--;
  }
  while (n > 0 && is_space((unsigned char)p[n - 1]))
    n--;
  if (n == 0)
    return NULL;
  n = csat__utf8_prefix(p, n, CSAT__MAX_COMMENT);
  c = csat__strndup(&s->alloc, p, n);
  if (c == NULL)
    *nomem = 1;
  return c;
}

static int scored(int32_t kind) { return kind == CSAT_Q_RATING || kind == CSAT_Q_YES_NO; }

/* The score a reading gives question qq, or -1 when it is no answer to it. */
static int32_t reading_score(const csat__question *qq, const csat_reply *r) {
  if (qq->kind == CSAT_Q_RATING)
    return r->kind == CSAT_REPLY_SCORE && r->score >= qq->min && r->score <= qq->max ? r->score
                                                                                     : -1;
  if (qq->kind == CSAT_Q_YES_NO)
    return r->kind == CSAT_REPLY_YES ? 1 : r->kind == CSAT_REPLY_NO ? 0 : -1;
  return -1;
}

/* A reading that answers question qq (a score, or a comment for a text
 * comment question). */
static int usable(const csat__question *qq, const csat_reply *r) {
  if (qq->kind == CSAT_Q_TEXT_COMMENT)
    return r->kind == CSAT_REPLY_COMMENT;
  return reading_score(qq, r) >= 0;
}

static int read_one(const csat__question *qq, const char *text, size_t len, csat_reply *r) {
  memset(r, 0, sizeof *r);
  r->struct_size = sizeof *r;
  return csat_reply_parse(text, len, qq->kind, qq->kind == CSAT_Q_RATING ? qq->min : 0,
                          qq->kind == CSAT_Q_RATING ? qq->max : qq->kind == CSAT_Q_YES_NO, r);
}

/* ---- several answers in one message ------------------------------------- */

/*
 * The questions a message answers, from the current one on: each next
 * question is the first that applies given the answers before it, the
 * earlier answers of this message included. While the readings are not
 * known, a question whose condition depends on an answer still to be read
 * counts as applying. `readings` (count n, may be 0) are aligned with the
 * chain being built. Returns the chain's length.
 */
static int32_t implied_chain(const csat_session *s, const csat_reply *readings, int32_t n,
                             int32_t *chain) {
  const csat_survey *sv = s->survey;
  int32_t status[CSAT__MAX_QUESTIONS], score[CSAT__MAX_QUESTIONS];
  int32_t q, len = 0, known = 1; /* readings so far were all usable */
  for (q = 0; q < sv->question_count; q++) {
    status[q] = s->answers[q].status;
    score[q] = s->answers[q].score;
  }
  q = s->current;
  while (q < sv->question_count) {
    const csat__question *qq = &sv->questions[q];
    int32_t next;
    chain[len] = q;
    if (known && len < n && usable(qq, &readings[len])) {
      status[q] = CSAT_ANSWER_ANSWERED;
      score[q] = reading_score(qq, &readings[len]);
    } else {
      known = 0;
      status[q] = UNRESOLVED;
    }
    len++;
    for (next = q + 1; next < sv->question_count; next++) {
      int32_t p = sv->questions[next].cond_parent;
      if (p >= 0 && status[p] == UNRESOLVED) {
        if (sv->questions[next].kind != CSAT_Q_VOICE_COMMENT)
          break; /* may apply: the parent's answer is still to be read */
        continue;
      }
      if (csat__session_skip_status(s, next, status, score) == CSAT_ANSWER_NOT_ASKED)
        break;
    }
    q = next;
  }
  return len;
}

/* Read the message against the chain of questions it may answer, until the
 * chain the readings imply is the chain they were read with. Returns the
 * number of readings (0: no consistent reading, the message is not
 * understood). */
static int32_t read_sequence(const csat_session *s, const char *text, size_t len,
                             csat_reply *readings, int32_t *chain) {
  const csat_survey *sv = s->survey;
  int32_t kinds[CSAT__MAX_QUESTIONS], mins[CSAT__MAX_QUESTIONS], maxs[CSAT__MAX_QUESTIONS];
  int32_t used[CSAT__MAX_QUESTIONS];
  int32_t n = 0, count = 0, round, k;
  n = implied_chain(s, readings, 0, chain);
  /* Each round fixes at least one more question of the chain unless the
   * message cannot be aligned at all: a bound, not an expected count. */
  for (round = 0; round < sv->question_count + 2; round++) {
    int32_t m;
    for (k = 0; k < n; k++) {
      const csat__question *qq = &sv->questions[chain[k]];
      used[k] = chain[k];
      kinds[k] = qq->kind;
      mins[k] = qq->kind == CSAT_Q_RATING ? qq->min : 0;
      maxs[k] = qq->kind == CSAT_Q_RATING ? qq->max : qq->kind == CSAT_Q_YES_NO;
    }
    memset(readings, 0, (size_t)n * sizeof *readings);
    if (csat__reply_parse_seq(text, len, kinds, mins, maxs, n, readings, &count) != CSAT_OK ||
        count < 1 || count > n)
      return 0;
    m = implied_chain(s, readings, count, chain);
    if (m == n && memcmp(chain, used, (size_t)n * sizeof *chain) == 0)
      return count;
    n = m;
  }
  return 0;
}

/* ---- outcomes of a message ---------------------------------------------- */

/* Store an answer to question q (the comment, if any, already copied). */
static void store_answer(csat_session *s, int32_t q, int32_t score, char *comment, int64_t now) {
  const csat__question *qq = &s->survey->questions[q];
  csat__answer *a = &s->answers[q];
  a->status = CSAT_ANSWER_ANSWERED;
  a->score = score;
  a->attempts++;
  a->answered_ms = now;
  a->flagged = score >= 0 && qq->flag_enabled && score <= qq->flag_threshold;
  csat__free(&s->alloc, a->comment);
  a->comment = comment;
}

/* An opt-out, honoured once per session: the confirmation, the host told
 * (kept pending when that fails), and the end when the survey runs. */
static int opt_out(csat_session *s, int64_t now) {
  int rc = CSAT_OK;
  if (s->text_flags & CSAT__TF_OPTED_OUT)
    return rc;
  s->text_flags |= CSAT__TF_OPTED_OUT;
  (void)csat__session_play(s, &rc, CSAT_PROMPT_OPT_OUT, -1);
  s->pending |= CSAT_PENDING_OPT_OUT;
  if (s->state == CSAT__ST_ENDED)
    csat__session_deliver_opt_out(s, &rc);
  else
    csat__session_finish(s, &rc, CSAT_OUTCOME_OPTED_OUT, now);
  return rc;
}

int32_t csat__session_text_notice(int32_t outcome) {
  switch (outcome) {
  case CSAT_OUTCOME_EXPIRED: return CSAT_PROMPT_EXPIRED;
  case CSAT_OUTCOME_COMPLETED:
  case CSAT_OUTCOME_PARTIAL:
  case CSAT_OUTCOME_TIMED_OUT:
  case CSAT_OUTCOME_ATTEMPTS_EXHAUSTED:
  case CSAT_OUTCOME_ALREADY_ANSWERED: return CSAT_PROMPT_ALREADY_ANSWERED;
  default: /* opted out, declined, abandoned: the customer hears nothing more */ return 0;
  }
}

static int after_end(csat_session *s, const char *text, size_t len) {
  int rc = CSAT_OK;
  int32_t kind = csat__session_text_notice(s->outcome);
  csat_reply r;
  memset(&r, 0, sizeof r);
  r.struct_size = sizeof r;
  (void)csat_reply_parse(text, len, CSAT_Q_TEXT_COMMENT, 0, 0, &r);
  if (r.kind == CSAT_REPLY_OPT_OUT)
    return opt_out(s, 0);
  /* An opt-out after the end leaves the outcome as it was, but the number
   * must hear nothing more from us. */
  if (kind != 0 && !(s->text_flags & (CSAT__TF_NOTICE | CSAT__TF_OPTED_OUT))) {
    s->text_flags |= CSAT__TF_NOTICE;
    (void)csat__session_play(s, &rc, kind, -1);
  }
  return rc;
}

/* HELP: the question again, bounded like voice's '*'. Returns 1 when it was
 * handled as a repeat. */
static int help(csat_session *s, int *rc, int32_t q) {
  csat__answer *a = &s->answers[q];
  if (a->repeats >= s->survey->max_repeats)
    return 0;
  a->repeats++;
  csat__session_text_ask(s, rc, q);
  return 1;
}

/* The current question is a text comment. */
static int comment_message(csat_session *s, const csat_reply *r, const char *text, size_t len,
                           int64_t now) {
  int rc = CSAT_OK, nomem = 0;
  int32_t q = s->current;
  const char *p = text;
  size_t n = len;
  char *comment;
  if (r->kind == CSAT_REPLY_HELP && help(s, &rc, q))
    return rc;
  if (r->kind == CSAT_REPLY_COMMENT && r->comment_length > 0 && r->comment_offset <= len &&
      r->comment_length <= len - r->comment_offset) {
    p = text + r->comment_offset;
    n = r->comment_length;
  }
  comment = r->kind == CSAT_REPLY_EMPTY ? NULL : copy_comment(s, p, n, &nomem);
  if (nomem)
    return csat__session_fail(s, CSAT_ERR_NOMEM, "out of memory copying the comment");
  if (comment == NULL) {
    /* No comment left: skipped, as a voice comment nobody recorded. */
    s->answers[q].attempts++;
    s->answers[q].status = CSAT_ANSWER_NO_INPUT;
  } else {
    store_answer(s, q, -1, comment, now);
  }
  csat__session_advance(s, &rc, q + 1, now);
  return rc;
}

/* The current question is a rating or yes/no question. */
static int score_message(csat_session *s, const csat_reply *first, const char *text, size_t len,
                         int64_t now) {
  const csat_survey *sv = s->survey;
  csat_reply readings[CSAT__MAX_QUESTIONS];
  int32_t chain[CSAT__MAX_QUESTIONS];
  int32_t count = 1, k, last;
  int rc = CSAT_OK, nomem = 0;
  char *comment = NULL;
  const csat_reply *lr;

  readings[0] = *first;
  chain[0] = s->current;
  if (first->kind == CSAT_REPLY_HELP && help(s, &rc, s->current)) {
    set_raw(&s->answers[s->current], text, len);
    return rc;
  }
  if (sv->text_multiple && first->kind != CSAT_REPLY_EMPTY && first->kind != CSAT_REPLY_HELP) {
    count = read_sequence(s, text, len, readings, chain);
    if (count == 0) { /* cannot be aligned with the questions: not understood */
      readings[0].kind = CSAT_REPLY_UNKNOWN;
      chain[0] = s->current;
      count = 1;
    }
  }
  /* Only the last reading may carry a comment; copy it before any change. */
  last = count - 1;
  lr = &readings[last];
  if (usable(&sv->questions[chain[last]], lr)) {
    const csat__question *lq = &sv->questions[chain[last]];
    size_t off = lq->kind == CSAT_Q_TEXT_COMMENT && lr->comment_length == 0 ? lr->answer_offset
                                                                            : lr->comment_offset;
    size_t cl = lq->kind == CSAT_Q_TEXT_COMMENT && lr->comment_length == 0 ? lr->answer_length
                                                                           : lr->comment_length;
    if (cl > 0 && off <= len && cl <= len - off) {
      comment = copy_comment(s, text + off, cl, &nomem);
      if (nomem)
        return csat__session_fail(s, CSAT_ERR_NOMEM, "out of memory copying the comment");
    }
    if (lq->kind == CSAT_Q_TEXT_COMMENT && comment == NULL)
      count = last; /* an empty comment answers nothing: asked next */
  }
  for (k = 0; k < count; k++) {
    int32_t q = chain[k];
    const csat__question *qq = &sv->questions[q];
    /* The chain was read with these answers: the state machine agrees. */
    s->current = q;
    if (scored(qq->kind))
      set_raw(&s->answers[q], text, len);
    if (!usable(qq, &readings[k])) {
      csat__free(&s->alloc, comment); /* the last reading is no answer: nothing to keep */
      csat__session_attempt_failed(s, &rc, CSAT_ANSWER_INVALID, now);
      return rc;
    }
    store_answer(s, q, reading_score(qq, &readings[k]), k == last ? comment : NULL, now);
    if (k + 1 < count)
      (void)csat__session_next_question(s, q + 1); /* marks what is skipped on the way */
  }
  if (count <= last)
    csat__free(&s->alloc, comment);
  csat__session_advance(s, &rc, chain[count - 1] + 1, now);
  return rc;
}

/* ---- events ------------------------------------------------------------- */

int csat_session_text(csat_session *s, const char *text, size_t len, int64_t now_ms) {
  const csat__question *qq;
  csat_reply r;
  size_t bad;
  int rc = CSAT_OK;
  if (s == NULL)
    return CSAT_ERR_INVALID_ARG;
  if (s->in_callback != NULL)
    return csat__session_reentered(s, "csat_session_text");
  if (text == NULL && len > 0)
    return csat__session_fail(s, CSAT_ERR_INVALID_ARG, "text is NULL");
  if (text == NULL)
    text = "";
  if (len > CSAT_TEXT_MAX)
    return csat__session_fail(s, CSAT_ERR_LIMIT, "a message is at most %d bytes",
                              (int)CSAT_TEXT_MAX);
  if (len > 0 && memchr(text, '\0', len) != NULL)
    return csat__session_fail(s, CSAT_ERR_INVALID_ARG, "the message contains a NUL byte");
  bad = csat__utf8_invalid_at(text, len);
  if (bad != len)
    return csat__session_fail(s, CSAT_ERR_UTF8, "the message is not valid UTF-8 (byte %d)",
                              (int)bad);
  if (s->contact.channel == CSAT_CHANNEL_VOICE)
    return csat__session_fail(s, CSAT_ERR_UNSUPPORTED,
                              "text messages do not exist on the voice channel");
  if (s->state == CSAT__ST_ENDED)
    return after_end(s, text, len);
  if (s->state != CSAT__ST_QUESTION)
    return csat__session_state_error(s, "a message");

  qq = &s->survey->questions[s->current];
  if (read_one(qq, text, len, &r) != CSAT_OK)
    r.kind = CSAT_REPLY_UNKNOWN; /* cannot happen: the arguments are checked */
  if (r.kind == CSAT_REPLY_OPT_OUT)
    return opt_out(s, now_ms);
  if (window_passed(s, now_ms)) {
    s->text_flags |= CSAT__TF_NOTICE;
    (void)csat__session_play(s, &rc, CSAT_PROMPT_EXPIRED, -1);
    csat__session_finish(s, &rc, CSAT_OUTCOME_EXPIRED, now_ms);
    return rc;
  }
  if (qq->kind == CSAT_Q_TEXT_COMMENT)
    return comment_message(s, &r, text, len, now_ms);
  return score_message(s, &r, text, len, now_ms);
}

int csat_session_expire(csat_session *s, int64_t now_ms) {
  int rc = CSAT_OK;
  if (s == NULL)
    return CSAT_ERR_INVALID_ARG;
  if (s->in_callback != NULL)
    return csat__session_reentered(s, "csat_session_expire");
  if (s->contact.channel == CSAT_CHANNEL_VOICE)
    return csat__session_fail(s, CSAT_ERR_UNSUPPORTED,
                              "the survey window exists only on text channels");
  if (s->state != CSAT__ST_QUESTION)
    return csat__session_state_error(s, "expire");
  csat__session_finish(s, &rc, CSAT_OUTCOME_EXPIRED, now_ms);
  return rc;
}
