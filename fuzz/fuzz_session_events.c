/*
 * Fuzz target: the session state machine (voice, SMS and chat) driven by
 * arbitrary event sequences, with host callbacks that fail, callbacks that
 * are missing, and an allocator that fails, when the input says so.
 *
 * Input layout (a 6-byte header, then events):
 *   byte 0  survey: < fz_survey_count a voice survey (fz_surveys), then the
 *           text surveys (fz_text_surveys)
 *   byte 1  contact language (index into fz_languages)
 *   byte 2  host: bits 0-6 leave optional callbacks NULL (FZ_OMIT_*:
 *           already_surveyed, record, transfer, schedule_callback, store,
 *           create_task, opted_out); bit 7 already_surveyed answers 1
 *   byte 3  bits 0-2 attribute count; bits 3-4 channel (0 the survey's own:
 *           voice for fz_surveys, SMS for fz_text_surveys; 1 voice, 2 SMS,
 *           3 chat); bit 5 the allocator fails; bit 6 ... persistently
 *           (else once); bit 7 csat_session_new is first tried with an
 *           allocator that fails
 *   byte 4  bits 0-3: the event allocation that fails is the (n+1)-th;
 *           bits 4-6: the allocation csat_session_new / csat_session_restore
 *           fail at in their own tests is the (n+1)-th
 *   byte 5  k - 1 (bits 0-3): the original is saved, and the twin compared
 *           and restored, at every k-th event (and at save+restore); the
 *           checks that need to know whether an event changed the state run
 *           at those events (k = 1: at every event)
 *   then events, each: op byte [fail mask byte] [parameters]
 *     op & 0x0f  0 offer, 1 opt_in(0), 2 opt_in(1), 3 start, 4 input,
 *                5 input (voice) / text from the vocabulary (SMS, chat),
 *                6 text from the vocabulary, 7 text of raw input bytes,
 *                8 no_input, 9 recorded, 10 repeat, 11 hangup, 12 flush,
 *                13 save+restore, 14 expire, 15 a time jump (no event)
 *     op & 0x70  time step before the event
 *     op & 0x80  a fail mask byte follows: callback k of this event fails
 *                when bit k is set
 *   input: a length byte (% 5 digits), then one byte per digit;
 *   text (vocabulary): one byte, the index in fz_messages; text (raw): a length byte, then
 *   that many bytes (fewer at the end of the input), any bytes at all;
 *   time jump: one byte b: the survey window - 1 s, the window, the window
 *   + 1 ms or twice the window (b & 3), plus (b >> 2) * 13 ms.
 *
 * Every event goes to the original session and to a twin that is restored
 * from the original's save every k events; the two must make identical
 * callbacks after every event and save to the same bytes at every k-th. The
 * recording host and the twin runner (fuzz_host.c, fuzz_twin.c) check the session
 * contract; see fz_twin_step for the invariants.
 * SPDX-License-Identifier: MIT
 */
#include "fuzz_common.h"

#include <stdio.h>
#include <string.h>

#define FZ_MAX_EVENTS 256

static const char fz_digit_set[] = "0123456789*#";

/* A session created with an allocator that fails at the k-th allocation
 * either succeeds or fails with NOMEM, leaking nothing. */
static void fz_new_nomem(const csat_survey *sv, const csat_contact *c, const csat_host *vt, long k,
                         int persistent) {
  fail_alloc fa;
  csat_session *s = NULL;
  int rc;
  csat_allocator alloc = fail_alloc_init(&fa, k, persistent);
  rc = csat_session_new(&s, sv, c, vt, &alloc);
  fa.paused = 1;
  FZ_CHECK(rc == CSAT_OK || (rc == CSAT_ERR_NOMEM && fa.failures > 0));
  if (rc == CSAT_OK) {
    FZ_CHECK(fa.failures == 0);
    csat_session_free(s);
  }
  FZ_CHECK(fa.live == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz_in in;
  size_t si, li, k;
  unsigned omit, flags, b3, b4, b5, chan;
  const fz_survey_def *def;
  const csat_survey *sv;
  csat_contact contact;
  csat_attr attrs[7];
  static const char *const attr_keys[] = {
      "segment", "ticket", "\xc5\xbc\xc3\xb3\xc5\x82w", "=cmd", "empty", "a,b", "q\"uote"};
  static const char *const attr_values[] = {"gold",   "T-1", "\xd0\xb4\xd0\xb0", "+1", "",
                                            "x\r\ny", "@sum"};
  fail_alloc fa[2];
  fz_twin t;
  int rc, i, events = 0, text;
  int64_t now = 1700000000000;

  in.p = data;
  in.n = size;
  in.i = 0;
  si = fz_byte(&in) % (fz_survey_count + fz_text_survey_count);
  li = fz_byte(&in) % fz_language_count;
  flags = fz_byte(&in);
  b3 = fz_byte(&in);
  b4 = fz_byte(&in);
  b5 = fz_byte(&in);
  omit = flags & 0x7fu;
  if (si < fz_survey_count) {
    def = &fz_surveys[si];
    sv = fz_survey_get(si);
  } else {
    def = &fz_text_surveys[si - fz_survey_count];
    sv = fz_text_survey_get(si - fz_survey_count);
  }
  chan = (b3 >> 3) & 3u;
  if (chan == 0)
    chan = si < fz_survey_count ? 1 : 2;
  text = chan != 1;

  memset(&contact, 0, sizeof contact);
  contact.struct_size = sizeof contact;
  contact.contact_id = "c-7f3a9e";
  contact.agent_id = "agent-12";
  contact.queue_id = "queue-support";
  contact.department = "Support";
  contact.channel = chan == 1   ? CSAT_CHANNEL_VOICE
                    : chan == 2 ? CSAT_CHANNEL_SMS
                                : CSAT_CHANNEL_CHAT;
  contact.language = fz_languages[li];
  contact.customer_address = chan == 3 ? "chat:visitor-42" : "+48123456789";
  contact.started_ms = now - 600000;
  contact.ended_ms = now - 1000;
  contact.wait_ms = 30000;
  contact.talk_ms = 500000;
  contact.attr_count = b3 & 7u;
  for (k = 0; k < contact.attr_count; k++) {
    attrs[k].key = attr_keys[k];
    attrs[k].value = attr_values[k];
  }
  contact.attrs = contact.attr_count ? attrs : NULL;

  memset(&t, 0, sizeof t);
  t.survey = sv;
  t.every = (b5 & 15u) + 1;
  for (i = 0; i < 2; i++) {
    fz_host *h = &t.side[i].h;
    /* Every session gets the counting allocator (it also checks that all
     * memory comes back); it fails only in the allocator mode. */
    fz_host_setup(h, &t.side[i].vt, omit);
    h->alloc = fail_alloc_init(&fa[i], (b3 & 0x20u) ? (long)(b4 & 15u) + 1 : 0, (b3 & 0x40u) != 0);
    fa[i].paused = 1; /* counted only while an event runs */
    h->fa = &fa[i];
    h->def = def;
    h->survey_json = def->json;
    h->default_language = def->default_language;
    h->transfer_target = def->transfer_target;
    h->question_count = csat_survey_question_count(sv);
    h->already_answer = (flags & 0x80u) ? 1 : 0;
    if (i == 0 && (b3 & 0x80u))
      fz_new_nomem(sv, &contact, &t.side[0].vt, (long)((b4 >> 4) & 7u) + 1, (b3 & 0x40u) != 0);
    rc = csat_session_new(&t.side[i].s, sv, &contact, &t.side[i].vt, &h->alloc);
    if (rc != CSAT_OK)
      fprintf(stderr, "csat_session_new: %d\n", rc);
    /* The host always has play and collect: nothing may refuse the contact. */
    FZ_CHECK(rc == CSAT_OK);
  }
  fz_twin_begin(&t);

  while (fz_more(&in) && events < FZ_MAX_EVENTS) {
    fz_event e;
    unsigned op = fz_byte(&in), code;
    memset(&e, 0, sizeof e);
    e.fail_on = (op & 0x80u) != 0;
    e.fail_mask = e.fail_on ? fz_byte(&in) : 0;
    now += 1 + (int64_t)((op >> 4) & 7u) * 1499;
    e.now = now;
    code = op & 0x0fu;
    if (code == 5)
      code = text ? 6 : 4;
    switch (code) {
    case 0: e.kind = FZ_EV_OFFER; break;
    case 1:
      e.kind = FZ_EV_OPT_IN;
      e.accepted = 0;
      break;
    case 2:
      e.kind = FZ_EV_OPT_IN;
      e.accepted = 1;
      break;
    case 3: e.kind = FZ_EV_START; break;
    case 4: {
      size_t n = fz_byte(&in) % 5u;
      e.kind = FZ_EV_INPUT;
      for (k = 0; k < n; k++)
        e.digits[k] = fz_digit_set[fz_byte(&in) % 12u];
      e.ndigits = n;
      break;
    }
    case 6: {
      e.kind = FZ_EV_TEXT;
      fz_message_get(fz_byte(&in) % fz_message_count, &e.text, &e.ntext);
      break;
    }
    case 7: {
      size_t n = fz_byte(&in);
      if (n > in.n - in.i)
        n = in.n - in.i;
      e.kind = FZ_EV_TEXT;
      e.text = (const char *)in.p + in.i;
      e.ntext = n;
      in.i += n;
      break;
    }
    case 8: e.kind = FZ_EV_NO_INPUT; break;
    case 9:
      e.kind = FZ_EV_RECORDED;
      memcpy(e.digits, "r0.wav", 6);
      e.digits[1] = (char)('0' + events % 10);
      e.ndigits = 6;
      break;
    case 10: e.kind = FZ_EV_REPEAT; break;
    case 11: e.kind = FZ_EV_HANGUP; break;
    case 12: e.kind = FZ_EV_FLUSH; break;
    case 13: e.kind = FZ_EV_SAVE_RESTORE; break;
    case 14: e.kind = FZ_EV_EXPIRE; break;
    default: {
      /* A time jump around the end of the survey window. */
      unsigned b = fz_byte(&in);
      static const int64_t lead[] = {-1000, 0, 1, 0};
      now += def->window_ms * ((b & 3u) == 3 ? 2 : 1) + lead[b & 3u] + (int64_t)(b >> 2) * 13;
      events++;
      continue;
    }
    }
    fz_twin_step(&t, &e);
    events++;
  }
  fz_twin_free(&t);
  return 0;
}
