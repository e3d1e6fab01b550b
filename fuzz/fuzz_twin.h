/* What fuzz_twin.c and fuzz_twin_text.c share (the twin runner's text
 * checks live apart from the runner itself).
 * SPDX-License-Identifier: MIT */
#ifndef CSAT_FUZZ_TWIN_H
#define CSAT_FUZZ_TWIN_H

#include "fuzz_common.h"

/* The answers of a result, condensed: what a message may or may not change. */
typedef struct fz_snap {
  int32_t n;
  struct {
    int32_t status, score, attempts, flagged;
    int64_t answered_ms;
    uint64_t raw, comment;
  } a[64];
} fz_snap;

/* What a message means for the opt-out rule. The contract makes an opt-out
 * word one whatever the question (the whole message is STOP, ...), so the
 * reading as a text comment will do. */
int fz_reads_as_opt_out(const char *text, size_t len);
void fz_snap_take(const csat_result *r, fz_snap *sn);
/* Every answer against its question: the kind, the scale, what a channel
 * can give. */
void fz_check_answers(const fz_host *h, const csat_result *r);
/* Text-channel rules for one event that went through (h: side 0);
 * unchanged: 1, 0, or -1 when the step was not saved (checks that need it
 * let it pass). */
void fz_check_text_event(fz_twin *t, const fz_event *e, int rc, int32_t prev_outcome, int prev_new,
                         int prev_ended, int prev_optout_done, int prev_notices, int msg_optout,
                         const fz_snap *before, const fz_snap *after, int unchanged);

#endif
