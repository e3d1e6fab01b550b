/*
 * Fuzz target: reply understanding (csat_reply_parse and the several-answer
 * reader csat__reply_parse_seq) on hostile customer messages.
 *
 * Input layout:
 *   byte 0  kind of the first question: (b % 3) rating / yes-no / text comment;
 *           (b >> 4) % 4 + 1 questions for the several-answer reader
 *   byte 1  min of the rating scale (b % 10)
 *   byte 2  max of the rating scale (min + 1 + b % (10 - min))
 *   rest    the message (any bytes)
 *
 * Invariants: the call succeeds; INVALID_UTF8 exactly when the bytes are not
 * UTF-8; every offset and length stays inside the
 * message; a SCORE lies on its question's scale; YES/NO carry 1/0; a reason
 * is given exactly for UNKNOWN; the comment never overlaps the answer and is
 * valid UTF-8; only the last of several readings may carry a comment or be
 * something other than an answer; reading one question through the
 * several-answer reader gives exactly csat_reply_parse's reading; the same
 * message read twice gives the same reading.
 * SPDX-License-Identifier: MIT
 */
#include "fuzz_common.h"

#include "reply/reply.h"

#include <stdlib.h>
#include <string.h>

#define FZ_MAX_Q 4

static int fz_same(const csat_reply *a, const csat_reply *b) {
  return a->kind == b->kind && a->score == b->score && a->reason == b->reason &&
         a->answer_offset == b->answer_offset && a->answer_length == b->answer_length &&
         a->comment_offset == b->comment_offset && a->comment_length == b->comment_length;
}

static void fz_check_reading(const csat_reply *r, int32_t kind, int32_t min, int32_t max,
                             const char *msg, size_t len) {
  FZ_CHECK(r->struct_size == sizeof *r);
  FZ_CHECK(r->kind >= CSAT_REPLY_SCORE && r->kind <= CSAT_REPLY_COMMENT);
  FZ_CHECK(r->answer_offset <= len && r->answer_length <= len - r->answer_offset);
  FZ_CHECK(r->comment_offset <= len && r->comment_length <= len - r->comment_offset);
  if (r->kind == CSAT_REPLY_SCORE) {
    FZ_CHECK(kind == CSAT_Q_RATING);
    FZ_CHECK(r->score >= min && r->score <= max);
    FZ_CHECK(r->answer_length > 0);
  } else if (r->kind == CSAT_REPLY_YES) {
    FZ_CHECK(kind == CSAT_Q_YES_NO && r->score == 1);
  } else if (r->kind == CSAT_REPLY_NO) {
    FZ_CHECK(kind == CSAT_Q_YES_NO && r->score == 0);
  } else {
    FZ_CHECK(r->score == -1);
  }
  if (r->kind == CSAT_REPLY_COMMENT)
    FZ_CHECK(kind == CSAT_Q_TEXT_COMMENT && r->comment_length > 0);
  FZ_CHECK((r->kind == CSAT_REPLY_UNKNOWN) == (r->reason != CSAT_REASON_NONE));
  FZ_CHECK(r->reason >= CSAT_REASON_NONE && r->reason <= CSAT_REASON_INVALID_UTF8);
  if (r->comment_length) {
    FZ_CHECK(r->answer_length == 0 || r->comment_offset >= r->answer_offset + r->answer_length ||
             r->comment_offset + r->comment_length <= r->answer_offset);
    FZ_CHECK(fz_utf8_valid(msg + r->comment_offset, r->comment_length));
  }
  if (r->kind == CSAT_REPLY_EMPTY || r->kind == CSAT_REPLY_OPT_OUT || r->kind == CSAT_REPLY_HELP)
    FZ_CHECK(r->comment_length == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const int32_t kinds3[3] = {CSAT_Q_RATING, CSAT_Q_YES_NO, CSAT_Q_TEXT_COMMENT};
  int32_t kinds[FZ_MAX_Q], mins[FZ_MAX_Q], maxs[FZ_MAX_Q], n, count = 0, i;
  csat_reply one, again, seq[FZ_MAX_Q];
  const char *msg;
  size_t len;
  char *copy;
  if (size < 3)
    return 0;
  n = (int32_t)((data[0] >> 4) % FZ_MAX_Q) + 1;
  for (i = 0; i < n; i++) {
    /* the first question from byte 0, the others rotate through the kinds */
    kinds[i] = kinds3[(data[0] + i) % 3];
    mins[i] = (int32_t)(data[1] % 10);
    maxs[i] = mins[i] + 1 + (int32_t)(data[2] % (10 - (unsigned)mins[i]));
  }
  len = size - 3;
  /* an exact-size copy so that a read past the end is caught by ASan */
  copy = malloc(len ? len : 1);
  FZ_CHECK(copy != NULL);
  if (len)
    memcpy(copy, data + 3, len);
  msg = copy;

  one.struct_size = sizeof one;
  FZ_CHECK(csat_reply_parse(msg, len, kinds[0], mins[0], maxs[0], &one) == CSAT_OK);
  fz_check_reading(&one, kinds[0], mins[0], maxs[0], msg, len);
  FZ_CHECK((one.kind == CSAT_REPLY_UNKNOWN && one.reason == CSAT_REASON_INVALID_UTF8) ==
           !fz_utf8_valid(msg, len));
  again.struct_size = sizeof again;
  FZ_CHECK(csat_reply_parse(msg, len, kinds[0], mins[0], maxs[0], &again) == CSAT_OK);
  FZ_CHECK(fz_same(&one, &again));

  FZ_CHECK(csat__reply_parse_seq(msg, len, kinds, mins, maxs, 1, seq, &count) == CSAT_OK);
  FZ_CHECK(count == 1 && fz_same(&seq[0], &one));

  FZ_CHECK(csat__reply_parse_seq(msg, len, kinds, mins, maxs, n, seq, &count) == CSAT_OK);
  FZ_CHECK(count >= 1 && count <= n);
  for (i = 0; i < count; i++) {
    fz_check_reading(&seq[i], kinds[i], mins[i], maxs[i], msg, len);
    if (i + 1 < count) {
      FZ_CHECK(seq[i].kind == CSAT_REPLY_SCORE || seq[i].kind == CSAT_REPLY_YES ||
               seq[i].kind == CSAT_REPLY_NO);
      FZ_CHECK(seq[i].comment_length == 0);
      /* readings follow one another through the message */
      FZ_CHECK(seq[i].answer_offset + seq[i].answer_length <= seq[i + 1].answer_offset ||
               seq[i + 1].kind == CSAT_REPLY_COMMENT);
    }
  }
  free(copy);
  return 0;
}
