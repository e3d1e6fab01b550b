/*
 * Saving and restoring a session: a compact, versioned, checksummed and
 * endian-independent blob. Every multi-byte number is written byte by byte
 * (little-endian or LEB128 varints), so the format does not depend on the
 * machine. Format version 1:
 *
 *   "CSAT"  u8 format version (1)
 *   str survey id | sv survey version | 8 bytes survey fingerprint (LE)
 *   u8 state | u8 opt_in + 1 | uv current + 1 | uv menu_attempts
 *   u8 outcome | u8 escalation | u8 pending | u8 task_done
 *   sv started_ms | sv ended_ms
 *   uv answer count, then per answer:
 *     u8 status | uv score + 1 | uv attempts | uv repeats | u8 flagged
 *     str raw | str comment ("" = none) | sv answered_ms
 *   contact: u8 channel | str contact_id, agent_id, queue_id, department,
 *     language, customer_address | sv started, ended, wait, talk
 *     | uv attribute count, then str key, str value per attribute
 *   text channels only (SMS, chat): u8 text flags (CSAT__TF_*)
 *   4 bytes CRC-32 (LE) of every byte before it
 *
 * Raw input is DTMF on voice and the first bytes of a message on text
 * (UTF-8, at most 32 bytes); comments are recording references on voice and
 * text of at most 4096 characters on text.
 *
 * uv: unsigned LEB128, minimal (the encoding of a value is unique);
 * sv: zigzag then uv; str: uv length then the bytes (no NUL).
 *
 * Restore validates everything (bounds, limits, UTF-8, ranges, consistency
 * with the survey and the state) before it builds the session, so a hostile
 * blob yields an error, never a session the state machine cannot run.
 * SPDX-License-Identifier: MIT
 */
#include "session.h"

#include <string.h>

#define BLOB_FORMAT 1
#define HEADER_LEN 5 /* magic + format version */
#define CRC_LEN 4

/* ---- CRC-32 (IEEE 802.3, reflected), one nibble at a time --------------- */

static uint32_t crc32_update(uint32_t crc, const void *p, size_t n) {
  static const uint32_t t[16] = {0x00000000u, 0x1DB71064u, 0x3B6E20C8u, 0x26D930ACu,
                                 0x76DC4190u, 0x6B6B51F4u, 0x4DB26158u, 0x5005713Cu,
                                 0xEDB88320u, 0xF00F9344u, 0xD6D6A3E8u, 0xCB61B38Cu,
                                 0x9B64C2B0u, 0x86D3D2D4u, 0xA00AE278u, 0xBDBDF21Cu};
  const unsigned char *b = p;
  size_t i;
  crc = ~crc;
  for (i = 0; i < n; i++) {
    crc ^= b[i];
    crc = (crc >> 4) ^ t[crc & 15u];
    crc = (crc >> 4) ^ t[crc & 15u];
  }
  return ~crc;
}

/* ---- writer ------------------------------------------------------------- */

typedef struct blob_w {
  csat__out o;
  uint32_t crc; /* of every byte produced, stored in the buffer or not */
} blob_w;

static void put(blob_w *w, const void *p, size_t n) {
  w->crc = crc32_update(w->crc, p, n);
  csat__out_bytes(&w->o, p, n);
}

static void put_u8(blob_w *w, uint32_t v) {
  unsigned char b = (unsigned char)v;
  put(w, &b, 1);
}

static void put_uv(blob_w *w, uint64_t v) {
  unsigned char b[CSAT__VARINT_MAX];
  put(w, b, csat__varint_encode(b, v)); /* through put: the CRC covers it */
}

static void put_sv(blob_w *w, int64_t v) { put_uv(w, csat__zigzag(v)); }

static void put_str(blob_w *w, const char *s) {
  size_t n = s != NULL ? strlen(s) : 0;
  put_uv(w, n);
  if (n > 0)
    put(w, s, n);
}

static void put_le(blob_w *w, uint64_t v, size_t bytes) {
  unsigned char b[8];
  size_t i;
  for (i = 0; i < bytes; i++)
    b[i] = (unsigned char)(v >> (8 * i));
  put(w, b, bytes);
}

int csat_session_save(const csat_session *s, void *buf, size_t cap, size_t *needed) {
  const csat_contact *c;
  blob_w w;
  int32_t i;
  size_t k;
  if (needed != NULL)
    *needed = 0;
  if (s == NULL || (buf == NULL && cap > 0))
    return CSAT_ERR_INVALID_ARG;
  /* Inside a callback the session is halfway through an event: a blob of it
   * would replay the event's rest twice. A reader leaves errmsg alone. */
  if (s->in_callback != NULL)
    return CSAT_ERR_STATE;
  csat__out_init(&w.o, buf, cap);
  w.crc = 0;
  put(&w, "CSAT", 4);
  put_u8(&w, BLOB_FORMAT);
  put_str(&w, s->survey->id);
  put_sv(&w, s->survey->version);
  put_le(&w, s->survey->fingerprint, 8);
  put_u8(&w, (uint32_t)s->state);
  put_u8(&w, (uint32_t)(s->opt_in + 1));
  put_uv(&w, (uint64_t)(s->current + 1));
  put_uv(&w, (uint64_t)s->menu_attempts);
  put_u8(&w, (uint32_t)s->outcome);
  put_u8(&w, (uint32_t)s->escalation);
  put_u8(&w, s->pending);
  put_u8(&w, (uint32_t)s->task_done);
  put_sv(&w, s->started_ms);
  put_sv(&w, s->ended_ms);
  put_uv(&w, (uint64_t)s->survey->question_count);
  for (i = 0; i < s->survey->question_count; i++) {
    const csat__answer *a = &s->answers[i];
    put_u8(&w, (uint32_t)a->status);
    put_uv(&w, (uint64_t)(a->score + 1));
    put_uv(&w, (uint64_t)a->attempts);
    put_uv(&w, (uint64_t)a->repeats);
    put_u8(&w, (uint32_t)(a->flagged != 0));
    put_str(&w, a->raw);
    put_str(&w, a->comment);
    put_sv(&w, a->answered_ms);
  }
  c = &s->contact;
  put_u8(&w, (uint32_t)c->channel);
  put_str(&w, c->contact_id);
  put_str(&w, c->agent_id);
  put_str(&w, c->queue_id);
  put_str(&w, c->department);
  put_str(&w, c->language);
  put_str(&w, c->customer_address);
  put_sv(&w, c->started_ms);
  put_sv(&w, c->ended_ms);
  put_sv(&w, c->wait_ms);
  put_sv(&w, c->talk_ms);
  put_uv(&w, c->attr_count);
  for (k = 0; k < c->attr_count; k++) {
    put_str(&w, c->attrs[k].key);
    put_str(&w, c->attrs[k].value);
  }
  if (c->channel != CSAT_CHANNEL_VOICE)
    put_u8(&w, (uint32_t)s->text_flags);
  put_le(&w, w.crc, CRC_LEN);
  if (w.o.len > CSAT_BLOB_MAX) {
    if (needed != NULL)
      *needed = w.o.len;
    return CSAT_ERR_LIMIT;
  }
  return csat__out_finish_bin(&w.o, needed);
}

/* ---- reader ------------------------------------------------------------- */

typedef struct blob_r {
  const unsigned char *p;
  size_t end; /* the checksum's offset: nothing at or past it is read */
  size_t pos;
  csat_error *err;
} blob_r;

static int bad(blob_r *r, int code, size_t at, const char *what) {
  csat__error_set(r->err, code, 0, 0, at, "session blob: %s at byte %d", what, (int)at);
  return code;
}

static int truncated(blob_r *r) { return bad(r, CSAT_ERR_BLOB, r->pos, "truncated"); }

static int get_u8(blob_r *r, int32_t *v) {
  if (r->pos >= r->end)
    return truncated(r);
  *v = r->p[r->pos++];
  return CSAT_OK;
}

/* Truncation is reported where the blob ends, any other fault at the
 * integer's first byte. */
static int get_uv(blob_r *r, uint64_t *v) {
  size_t start = r->pos;
  switch (csat__varint_decode(r->p, r->end, &r->pos, v)) {
  case CSAT__VARINT_OK: return CSAT_OK;
  case CSAT__VARINT_TRUNCATED: return truncated(r);
  case CSAT__VARINT_LONG: return bad(r, CSAT_ERR_BLOB, start, "non-minimal integer");
  default: return bad(r, CSAT_ERR_BLOB, start, "integer overflow");
  }
}

static int get_sv(blob_r *r, int64_t *v) {
  uint64_t u;
  int rc = get_uv(r, &u);
  if (rc == CSAT_OK)
    *v = csat__unzigzag(u);
  return rc;
}

/* An unsigned integer that must not exceed max. */
static int get_small(blob_r *r, uint64_t max, int32_t *v, const char *what) {
  size_t at = r->pos;
  uint64_t u;
  int rc = get_uv(r, &u);
  if (rc != CSAT_OK)
    return rc;
  if (u > max)
    return bad(r, CSAT_ERR_BLOB, at, what);
  *v = (int32_t)u;
  return CSAT_OK;
}

/* A string of at most max bytes: valid UTF-8, without NUL bytes. */
static int get_str(blob_r *r, size_t max, csat__span *sp, const char *what) {
  size_t at = r->pos, badat;
  uint64_t n;
  int rc = get_uv(r, &n);
  if (rc != CSAT_OK)
    return rc;
  if (n > r->end - r->pos)
    return truncated(r);
  if (n > max)
    return bad(r, CSAT_ERR_LIMIT, at, what);
  sp->p = (const char *)r->p + r->pos;
  sp->n = (size_t)n;
  if (n > 0 && memchr(sp->p, '\0', sp->n) != NULL)
    return bad(r, CSAT_ERR_BLOB, r->pos, "NUL byte in a string");
  badat = csat__utf8_invalid_at(sp->p, sp->n);
  if (badat != sp->n)
    return bad(r, CSAT_ERR_UTF8, r->pos + badat, "invalid UTF-8");
  r->pos += sp->n;
  return CSAT_OK;
}

/* What the reader takes from a blob before anything is allocated. */
typedef struct blob_state {
  int32_t state, opt_in, current, menu_attempts, outcome, escalation, task_done;
  int32_t pending, text_flags;
  int64_t started_ms, ended_ms;
  size_t answers_at; /* offset of the first answer, read again when building */
  csat__contact_in contact;
} blob_state;

typedef struct blob_answer {
  int32_t status, score, attempts, repeats, flagged;
  csat__span raw, comment;
  int64_t answered_ms;
} blob_answer;

static int get_answer(blob_r *r, blob_answer *a) {
  int rc;
  if ((rc = get_u8(r, &a->status)) != CSAT_OK ||
      (rc = get_small(r, 11, &a->score, "score out of range")) != CSAT_OK ||
      (rc = get_small(r, 9, &a->attempts, "attempts out of range")) != CSAT_OK ||
      (rc = get_small(r, 9, &a->repeats, "repeats out of range")) != CSAT_OK ||
      (rc = get_u8(r, &a->flagged)) != CSAT_OK ||
      (rc = get_str(r, CSAT__MAX_DIGITS, &a->raw, "raw input too long")) != CSAT_OK ||
      (rc = get_str(r, CSAT__MAX_COMMENT_BYTES, &a->comment, "comment too long")) != CSAT_OK ||
      (rc = get_sv(r, &a->answered_ms)) != CSAT_OK)
    return rc;
  a->score -= 1;
  return CSAT_OK;
}

static int is_dtmf(const csat__span *sp) {
  size_t i;
  for (i = 0; i < sp->n; i++) {
    char c = sp->p[i];
    if (!((c >= '0' && c <= '9') || c == '*' || c == '#'))
      return 0;
  }
  return 1;
}

/* The follow-up condition of question q holds for these answers. */
static int condition_holds(const csat__question *qq, const int8_t *status, const int8_t *score) {
  int32_t p = qq->cond_parent;
  if (p < 0)
    return 1;
  return status[p] == CSAT_ANSWER_ANSWERED && score[p] >= 0 && score[p] <= qq->cond_at_most;
}

/* Check one answer against its question and the session state. */
static const char *answer_problem(const csat_survey *sv, const blob_state *st, int32_t i,
                                  const blob_answer *a, const int8_t *status, const int8_t *score) {
  const csat__question *qq = &sv->questions[i];
  int voice = st->contact.channel == CSAT_CHANNEL_VOICE;
  int is_current =
      i == st->current && (st->state == CSAT__ST_QUESTION || st->state == CSAT__ST_RECORDING ||
                           st->state == CSAT__ST_ENDED);
  int scored = qq->kind == CSAT_Q_RATING || qq->kind == CSAT_Q_YES_NO;
  /* the comment kind this channel takes: a recording or a text */
  int32_t comment_kind = voice ? CSAT_Q_VOICE_COMMENT : CSAT_Q_TEXT_COMMENT;
  int32_t flag;

  if (a->status < CSAT_ANSWER_NOT_ASKED || a->status > CSAT_ANSWER_NOT_APPLICABLE)
    return "unknown answer status";
  if (a->status == CSAT_ANSWER_ANSWERED && scored) {
    if (a->score < qq->min || a->score > qq->max)
      return "score outside the question's scale";
  } else if (a->score != -1) {
    return "score without an answer";
  }
  flag = a->score >= 0 && qq->flag_enabled && a->score <= qq->flag_threshold;
  if (a->flagged != flag)
    return "flag does not match the score";
  if (a->attempts > qq->max_attempts || a->repeats > sv->max_repeats)
    return "attempts or repeats beyond the question's limits";
  /* HELP repeats a text comment question; nothing repeats a recording. */
  if (a->repeats > 0 && !scored && (voice || qq->kind != CSAT_Q_TEXT_COMMENT))
    return "repeats on a comment question";
  if (voice ? !is_dtmf(&a->raw) : a->raw.n > CSAT__TEXT_MAX_RAW)
    return "raw input does not match the channel";
  /* The format holds comments up to CSAT__MAX_COMMENT_BYTES. On voice only a
   * recorded comment has one, a recording reference bounded like one; on
   * text any answer may carry a comment (a text comment question must),
   * bounded in characters. */
  if (voice) {
    if ((a->comment.n > 0) !=
            (a->status == CSAT_ANSWER_ANSWERED && qq->kind == CSAT_Q_VOICE_COMMENT) ||
        a->comment.n > CSAT__MAX_AUDIO)
      return "comment does not match the answer";
  } else if ((a->comment.n > 0 && a->status != CSAT_ANSWER_ANSWERED) ||
             (a->status == CSAT_ANSWER_ANSWERED && qq->kind == CSAT_Q_TEXT_COMMENT &&
              a->comment.n == 0) ||
             csat__utf8_count(a->comment.p, a->comment.n) > CSAT__MAX_COMMENT) {
    return "comment does not match the answer";
  }
  if (a->answered_ms != 0 && a->status != CSAT_ANSWER_ANSWERED)
    return "answer time without an answer";
  switch (a->status) {
  case CSAT_ANSWER_NOT_ASKED:
    /* Only the question being asked (or hung up on) has used attempts, and
     * fewer than all of them: the last one resolves the question. */
    if (!is_current && (a->attempts != 0 || a->repeats != 0 || a->raw.n != 0))
      return "attempts on a question never asked";
    if (a->attempts >= qq->max_attempts || (!scored && a->attempts != 0))
      return "attempts on an unresolved question";
    if (is_current && st->state != CSAT__ST_ENDED && !condition_holds(qq, status, score))
      return "current question's condition does not hold";
    break;
  case CSAT_ANSWER_ANSWERED:
  case CSAT_ANSWER_NO_INPUT:
  case CSAT_ANSWER_INVALID:
    if (!scored && qq->kind != comment_kind)
      return "answer to a question not possible on this channel";
    if (!condition_holds(qq, status, score))
      return "answer to a question whose condition does not hold";
    if (!scored) {
      if (a->status == CSAT_ANSWER_INVALID || a->attempts != 1)
        return "comment attempts inconsistent";
    } else if (a->attempts < 1 ||
               (a->status != CSAT_ANSWER_ANSWERED && a->attempts != qq->max_attempts)) {
      return "attempts inconsistent with the status";
    } else if (!voice && a->status == CSAT_ANSWER_NO_INPUT) {
      return "no-input status on a text channel"; /* an empty message is not understood */
    }
    break;
  case CSAT_ANSWER_CONDITION:
    if (qq->cond_parent < 0 || condition_holds(qq, status, score))
      return "condition status without a failed condition";
    break;
  default: /* NOT_APPLICABLE */
    if (voice ? qq->kind == CSAT_Q_RATING || qq->kind == CSAT_Q_YES_NO
              : qq->kind != CSAT_Q_VOICE_COMMENT)
      return "not-applicable status on an applicable question";
    break;
  }
  if ((a->status == CSAT_ANSWER_CONDITION || a->status == CSAT_ANSWER_NOT_APPLICABLE) &&
      (a->attempts != 0 || a->repeats != 0 || a->raw.n != 0))
    return "attempts on a skipped question";
  if (!scored && a->raw.n != 0)
    return "raw input on a comment question";
  return NULL;
}

/* Checks of the session fields that do not need the answers. */
static const char *state_problem(const csat_survey *sv, const blob_state *st) {
  int32_t nq = sv->question_count;
  int voice = st->contact.channel == CSAT_CHANNEL_VOICE;
  if (st->state < CSAT__ST_NEW || st->state > CSAT__ST_ENDED)
    return "unknown state";
  if (st->opt_in < -1 || st->opt_in > 1 || (sv->mode != CSAT_MODE_OPT_IN && st->opt_in != -1))
    return "opt-in answer out of range";
  if (st->current < -1 || st->current >= nq)
    return "current question out of range";
  if (st->menu_attempts > CSAT__MENU_ATTEMPTS)
    return "menu attempts out of range";
  if (st->escalation < CSAT_ESCALATION_NONE || st->escalation > CSAT_ESCALATION_CALLBACK ||
      (st->escalation != CSAT_ESCALATION_NONE && !sv->esc_enabled))
    return "escalation out of range";
  if (st->task_done < 0 || st->task_done > 1 ||
      (st->pending & ~(int32_t)(CSAT_PENDING_STORE | CSAT_PENDING_TASK | CSAT_PENDING_OPT_OUT)) !=
          0 ||
      ((st->pending & (int32_t)CSAT_PENDING_TASK) && st->task_done))
    return "pending work out of range";
  if ((st->pending & (int32_t)CSAT_PENDING_OPT_OUT) &&
      !(st->text_flags & (int32_t)CSAT__TF_OPTED_OUT))
    return "pending opt-out without an opt-out";
  if (!voice && (st->state == CSAT__ST_OFFER || st->state == CSAT__ST_RECORDING ||
                 st->state == CSAT__ST_ESCALATION || st->escalation != CSAT_ESCALATION_NONE))
    return "voice state in a text session";
  if (st->state == CSAT__ST_ENDED) {
    if (st->outcome < CSAT_OUTCOME_COMPLETED || st->outcome > CSAT_OUTCOME_MAX)
      return "ended without an outcome";
    if (voice && (st->outcome == CSAT_OUTCOME_OPTED_OUT || st->outcome == CSAT_OUTCOME_EXPIRED))
      return "text outcome in a voice session";
    /* An opt-out ends a running survey; the one notice needs an outcome
     * that has one (csat__session_text_notice). */
    if ((st->outcome == CSAT_OUTCOME_OPTED_OUT &&
         !(st->text_flags & (int32_t)CSAT__TF_OPTED_OUT)) ||
        ((st->text_flags & (int32_t)CSAT__TF_NOTICE) &&
         csat__session_text_notice(st->outcome) == 0))
      return "text flags do not match the outcome";
    /* A contact surveyed before is neither stored nor given a task again. */
    if (st->outcome == CSAT_OUTCOME_ALREADY_ANSWERED &&
        ((st->pending & (int32_t)(CSAT_PENDING_STORE | CSAT_PENDING_TASK)) != 0 || st->task_done))
      return "delivery for an already answered contact";
    if ((st->escalation == CSAT_ESCALATION_TRANSFER &&
         (sv->esc_transfer_target == NULL || sv->esc_transfer_target[0] == '\0')) ||
        (st->escalation == CSAT_ESCALATION_CALLBACK && !sv->esc_callback))
      return "escalation the survey does not offer";
    return NULL;
  }
  if (st->outcome != CSAT_OUTCOME_NONE || st->pending != 0 || st->task_done != 0 ||
      st->ended_ms != 0 || st->text_flags != 0)
    return "end data in a running session";
  switch (st->state) {
  case CSAT__ST_NEW:
  case CSAT__ST_OFFER:
    if (st->current != -1 || st->started_ms != 0 || st->escalation != CSAT_ESCALATION_NONE)
      return "survey data before the start";
    if (st->state == CSAT__ST_OFFER &&
        (sv->mode != CSAT_MODE_OPT_IN || !voice || st->menu_attempts >= CSAT__MENU_ATTEMPTS))
      return "offer state inconsistent";
    break;
  case CSAT__ST_QUESTION:
  case CSAT__ST_RECORDING:
    if (st->current < 0 || st->escalation != CSAT_ESCALATION_NONE)
      return "question state inconsistent";
    if ((sv->questions[st->current].kind == CSAT_Q_VOICE_COMMENT) !=
        (st->state == CSAT__ST_RECORDING))
      return "current question kind does not match the state";
    if (sv->questions[st->current].kind == (voice ? CSAT_Q_TEXT_COMMENT : CSAT_Q_VOICE_COMMENT))
      return "current question not possible on this channel";
    break;
  default: /* ESCALATION */
    if (!voice || st->escalation != CSAT_ESCALATION_OFFERED ||
        st->menu_attempts >= CSAT__MENU_ATTEMPTS)
      return "escalation state inconsistent";
    break;
  }
  return NULL;
}

/* Answers are validated in question order: a condition needs its parent's
 * status and score, and the state says which answers may be unresolved. */
static int check_answers(blob_r *r, const csat_survey *sv, const blob_state *st) {
  int8_t status[CSAT__MAX_QUESTIONS], score[CSAT__MAX_QUESTIONS];
  int32_t i, nq = sv->question_count, unresolved_from = -1, low_rating = 0, flagged = 0;
  for (i = 0; i < nq; i++) {
    blob_answer a;
    size_t at = r->pos;
    const char *why;
    int rc = get_answer(r, &a);
    if (rc != CSAT_OK)
      return rc;
    why = answer_problem(sv, st, i, &a, status, score);
    if (why != NULL)
      return bad(r, CSAT_ERR_BLOB, at, why);
    status[i] = (int8_t)a.status;
    score[i] = (int8_t)a.score;
    if (a.status == CSAT_ANSWER_NOT_ASKED) {
      if (unresolved_from < 0)
        unresolved_from = i;
    } else if (unresolved_from >= 0) {
      return bad(r, CSAT_ERR_BLOB, at, "answer after a question never asked");
    }
    if (sv->questions[i].kind == CSAT_Q_RATING && a.status == CSAT_ANSWER_ANSWERED &&
        a.score < sv->esc_below)
      low_rating = 1;
    flagged |= a.flagged;
  }
  switch (st->state) {
  case CSAT__ST_NEW:
  case CSAT__ST_OFFER:
    if (unresolved_from != 0)
      return bad(r, CSAT_ERR_BLOB, r->pos, "answers before the start");
    break;
  case CSAT__ST_QUESTION:
  case CSAT__ST_RECORDING:
    if (unresolved_from != st->current)
      return bad(r, CSAT_ERR_BLOB, r->pos, "answers do not match the current question");
    break;
  case CSAT__ST_ESCALATION:
    if (unresolved_from >= 0 || !low_rating)
      return bad(r, CSAT_ERR_BLOB, r->pos, "escalation without a low rating");
    break;
  default:
    /* A task exists only for a flagged result. */
    if ((st->task_done || (st->pending & (int32_t)CSAT_PENDING_TASK)) && !flagged)
      return bad(r, CSAT_ERR_BLOB, r->pos, "task for a result that is not flagged");
    if (unresolved_from >= 0 && st->current >= 0 && unresolved_from < st->current)
      return bad(r, CSAT_ERR_BLOB, r->pos, "answers do not match the current question");
    break;
  }
  return CSAT_OK;
}

static int get_contact(blob_r *r, csat__contact_in *c) {
  size_t i;
  int32_t count;
  int rc;
  if ((rc = get_u8(r, &c->channel)) != CSAT_OK)
    return rc;
  for (i = 0; i < CSAT__C_STRINGS; i++)
    if ((rc = get_str(r, CSAT__MAX_ID, &c->str[i], "contact string too long")) != CSAT_OK)
      return rc;
  if ((rc = get_sv(r, &c->started_ms)) != CSAT_OK || (rc = get_sv(r, &c->ended_ms)) != CSAT_OK ||
      (rc = get_sv(r, &c->wait_ms)) != CSAT_OK || (rc = get_sv(r, &c->talk_ms)) != CSAT_OK)
    return rc;
  {
    size_t at = r->pos;
    uint64_t u;
    if ((rc = get_uv(r, &u)) != CSAT_OK)
      return rc;
    if (u > CSAT__MAX_ATTRS)
      return bad(r, CSAT_ERR_LIMIT, at, "too many contact attributes");
    count = (int32_t)u;
  }
  c->attr_count = (size_t)count;
  for (i = 0; i < c->attr_count; i++)
    if ((rc = get_str(r, CSAT__MAX_ATTR_KEY, &c->keys[i], "attribute key too long")) != CSAT_OK ||
        (rc = get_str(r, CSAT__MAX_ATTR_VALUE, &c->values[i], "attribute value too long")) !=
            CSAT_OK)
      return rc;
  return CSAT_OK;
}

/* Header, identity and checksum: the checks that decide whose blob this is. */
static int check_envelope(blob_r *r, const csat_survey *sv, size_t len) {
  csat__span id;
  int64_t version;
  uint64_t fp = 0;
  uint32_t stored = 0;
  size_t i, at;
  int rc;
  if (len < 4 || memcmp(r->p, "CSAT", 4) != 0)
    return bad(r, CSAT_ERR_BLOB, 0, len < 4 ? "truncated" : "not a session blob");
  if (len < HEADER_LEN)
    return bad(r, CSAT_ERR_BLOB, len, "truncated");
  if (r->p[4] != BLOB_FORMAT) {
    csat__error_set(r->err, CSAT_ERR_BLOB_VERSION, 0, 0, 4,
                    "session blob format version %d is not supported (this library reads %d)",
                    (int)r->p[4], BLOB_FORMAT);
    return CSAT_ERR_BLOB_VERSION;
  }
  if (len < HEADER_LEN + CRC_LEN)
    return bad(r, CSAT_ERR_BLOB, len, "truncated");
  for (i = 0; i < CRC_LEN; i++)
    stored |= (uint32_t)r->p[len - CRC_LEN + i] << (8 * i);
  if (crc32_update(0, r->p, len - CRC_LEN) != stored)
    return bad(r, CSAT_ERR_BLOB, len - CRC_LEN, "checksum mismatch (corrupt or truncated)");

  r->pos = HEADER_LEN;
  at = r->pos;
  if ((rc = get_str(r, CSAT__MAX_ID, &id, "survey id too long")) != CSAT_OK)
    return rc;
  if (id.n != strlen(sv->id) || memcmp(id.p, sv->id, id.n) != 0)
    return bad(r, CSAT_ERR_MISMATCH, at, "saved for another survey id");
  at = r->pos;
  if ((rc = get_sv(r, &version)) != CSAT_OK)
    return rc;
  if (version != sv->version)
    return bad(r, CSAT_ERR_MISMATCH, at, "saved for another survey version");
  at = r->pos;
  if (r->end - r->pos < 8)
    return truncated(r);
  for (i = 0; i < 8; i++)
    fp |= (uint64_t)r->p[r->pos + i] << (8 * i);
  r->pos += 8;
  if (fp != sv->fingerprint)
    return bad(r, CSAT_ERR_MISMATCH, at, "saved for a survey with other content");
  return CSAT_OK;
}

static int read_blob(blob_r *r, const csat_survey *sv, size_t len, blob_state *st) {
  int rc;
  int32_t count;
  size_t at;
  char msg[200];
  const char *why;

  if ((rc = check_envelope(r, sv, len)) != CSAT_OK)
    return rc;
  if ((rc = get_u8(r, &st->state)) != CSAT_OK || (rc = get_u8(r, &st->opt_in)) != CSAT_OK ||
      (rc = get_small(r, (uint64_t)CSAT__MAX_QUESTIONS, &st->current, "current out of range")) !=
          CSAT_OK ||
      (rc = get_small(r, CSAT__MENU_ATTEMPTS, &st->menu_attempts, "menu attempts")) != CSAT_OK ||
      (rc = get_u8(r, &st->outcome)) != CSAT_OK || (rc = get_u8(r, &st->escalation)) != CSAT_OK ||
      (rc = get_u8(r, &st->pending)) != CSAT_OK || (rc = get_u8(r, &st->task_done)) != CSAT_OK ||
      (rc = get_sv(r, &st->started_ms)) != CSAT_OK || (rc = get_sv(r, &st->ended_ms)) != CSAT_OK)
    return rc;
  st->opt_in -= 1;
  st->current -= 1;
  at = r->pos;
  if ((rc = get_small(r, CSAT__MAX_QUESTIONS, &count, "too many answers")) != CSAT_OK)
    return rc;
  if (count != sv->question_count)
    return bad(r, CSAT_ERR_BLOB, at, "answer count differs from the survey's questions");

  /* The contact comes after the answers; skip over them to read it, since the
   * channel decides which answers are possible. */
  st->answers_at = r->pos;
  {
    int32_t i;
    blob_answer a;
    for (i = 0; i < count; i++)
      if ((rc = get_answer(r, &a)) != CSAT_OK)
        return rc;
  }
  at = r->pos;
  if ((rc = get_contact(r, &st->contact)) != CSAT_OK)
    return rc;
  st->text_flags = 0;
  if (st->contact.channel != CSAT_CHANNEL_VOICE) {
    size_t fat = r->pos;
    if ((rc = get_u8(r, &st->text_flags)) != CSAT_OK)
      return rc;
    if ((uint32_t)st->text_flags & ~CSAT__TF_ALL)
      return bad(r, CSAT_ERR_BLOB, fat, "unknown text flags");
  }
  if (r->pos != r->end)
    return bad(r, CSAT_ERR_BLOB, r->pos, "trailing bytes");
  rc = csat__session_contact_check(&st->contact, msg, sizeof msg);
  if (rc != CSAT_OK) {
    rc = rc == CSAT_ERR_INVALID_ARG ? CSAT_ERR_BLOB : rc;
    csat__error_set(r->err, rc, 0, 0, at, "session blob: %s", msg);
    return rc;
  }
  why = state_problem(sv, st);
  if (why != NULL)
    return bad(r, CSAT_ERR_BLOB, HEADER_LEN, why);
  r->pos = st->answers_at;
  return check_answers(r, sv, st);
}

int csat_session_restore(csat_session **out, const csat_survey *survey, const void *blob,
                         size_t len, const csat_host *host, const csat_allocator *alloc,
                         csat_error *err) {
  csat__alloc a;
  csat_host h;
  csat_session *s = NULL;
  blob_state st;
  blob_r r;
  char msg[200];
  int32_t i;
  int rc;

  if (out == NULL) {
    csat__error_set(err, CSAT_ERR_INVALID_ARG, 0, 0, 0, "out is NULL");
    return CSAT_ERR_INVALID_ARG;
  }
  *out = NULL;
  if (survey == NULL || (blob == NULL && len > 0)) {
    csat__error_set(err, CSAT_ERR_INVALID_ARG, 0, 0, 0, "survey or blob is NULL");
    return CSAT_ERR_INVALID_ARG;
  }
  if (csat__alloc_init(&a, alloc) != CSAT_OK) {
    csat__error_set(err, CSAT_ERR_INVALID_ARG, 0, 0, 0, "invalid allocator");
    return CSAT_ERR_INVALID_ARG;
  }
  if (len > CSAT_BLOB_MAX) {
    csat__error_set(err, CSAT_ERR_LIMIT, 0, 0, 0, "session blob larger than %d bytes",
                    (int)CSAT_BLOB_MAX);
    return CSAT_ERR_LIMIT;
  }
  r.p = blob;
  r.end = len >= CRC_LEN ? len - CRC_LEN : 0;
  r.pos = 0;
  r.err = err;
  memset(&st, 0, sizeof st);
  rc = read_blob(&r, survey, len, &st);
  if (rc != CSAT_OK)
    return rc;
  rc = csat__session_host_copy(&h, host, st.contact.channel, msg, sizeof msg);
  if (rc != CSAT_OK) {
    csat__error_set(err, rc, 0, 0, 0, "%s", msg);
    return rc;
  }

  /* Everything is valid: build the session. Only allocation can fail now. */
  rc = csat__session_create(&s, survey, &st.contact, &h, &a);
  if (rc != CSAT_OK) {
    csat__error_set(err, rc, 0, 0, 0, "out of memory restoring the session");
    return rc;
  }
  s->state = st.state;
  s->opt_in = st.opt_in;
  s->current = st.current;
  s->menu_attempts = st.menu_attempts;
  s->outcome = st.outcome;
  s->escalation = st.escalation;
  s->pending = (uint32_t)st.pending;
  s->task_done = st.task_done;
  s->text_flags = st.text_flags;
  s->started_ms = st.started_ms;
  s->ended_ms = st.ended_ms;
  r.pos = st.answers_at;
  for (i = 0; i < survey->question_count; i++) {
    csat__answer *ans = &s->answers[i];
    blob_answer ba;
    memset(&ba, 0, sizeof ba);
    if (get_answer(&r, &ba) != CSAT_OK) { /* validated above: cannot fail */
      csat_session_free(s);
      csat__error_set(err, CSAT_ERR_BLOB, 0, 0, r.pos, "answer %d changed while restoring", (int)i);
      return CSAT_ERR_BLOB;
    }
    ans->status = ba.status;
    ans->score = ba.score;
    ans->attempts = ba.attempts;
    ans->repeats = ba.repeats;
    ans->flagged = ba.flagged;
    if (ba.raw.n > 0)
      memcpy(ans->raw, ba.raw.p, ba.raw.n);
    ans->raw[ba.raw.n] = '\0';
    ans->answered_ms = ba.answered_ms;
    if (ba.comment.n > 0) {
      ans->comment = csat__strndup(&a, ba.comment.p, ba.comment.n);
      if (ans->comment == NULL) {
        csat_session_free(s);
        csat__error_set(err, CSAT_ERR_NOMEM, 0, 0, 0, "out of memory restoring the session");
        return CSAT_ERR_NOMEM;
      }
    }
  }
  *out = s;
  return CSAT_OK;
}
