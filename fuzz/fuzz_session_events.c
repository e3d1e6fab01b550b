/*
 * Fuzz target: the voice session state machine driven by arbitrary event
 * sequences, with host callbacks that fail when the input says so.
 *
 * Input layout:
 *   byte 0  survey (index into fz_surveys)
 *   byte 1  contact language (index into fz_languages)
 *   byte 2  host: bit 0-3 omit optional callbacks (FZ_OMIT_*), bit 4
 *           already_surveyed answers 1, bit 5-7 attribute count
 *   then events, each: op byte [fail mask byte] [parameters]
 *     op & 0x0f  event: 0 offer, 1 opt_in(0), 2 opt_in(1), 3 start,
 *                4..7 input, 8 no_input, 9 recorded, 10 repeat, 11 hangup,
 *                12 flush, 13 save+restore, 14 input "1", 15 no_input
 *     op & 0x70  time step
 *     op & 0x80  a fail mask byte follows: callback k of this event fails
 *                when bit k is set
 *   input: length byte (% 5 digits), then one byte per digit.
 *
 * Every event goes to the original session and to a twin that is saved and
 * restored after every event; the two must make identical callbacks. The
 * recording host (fuzz_util.c) checks the session contract in each callback.
 * SPDX-License-Identifier: MIT
 */
#include "fuzz_common.h"

#include <stdio.h>
#include <string.h>

#define FZ_MAX_EVENTS 256

static const char fz_digit_set[] = "0123456789*#";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz_in in;
  size_t si, li, k;
  unsigned flags, omit;
  const csat_survey *sv;
  csat_contact contact;
  csat_attr attrs[7];
  static const char *const attr_keys[] = {"segment", "ticket", "\xc5\xbc\xc3\xb3\xc5\x82w",
                                          "=cmd", "empty", "a,b", "q\"uote"};
  static const char *const attr_values[] = {"gold", "T-1", "\xd0\xb4\xd0\xb0", "+1",
                                            "", "x\r\ny", "@sum"};
  fz_twin t;
  int rc, i, events = 0;
  int64_t now = 1700000000000;

  in.p = data;
  in.n = size;
  in.i = 0;
  si = fz_byte(&in) % fz_survey_count;
  li = fz_byte(&in) % fz_language_count;
  flags = fz_byte(&in);
  omit = flags & 0x0fu;
  sv = fz_survey_get(si);

  memset(&contact, 0, sizeof contact);
  contact.struct_size = sizeof contact;
  contact.contact_id = "c-7f3a9e";
  contact.agent_id = "agent-12";
  contact.queue_id = "queue-support";
  contact.department = "Support";
  contact.channel = CSAT_CHANNEL_VOICE;
  contact.language = fz_languages[li];
  contact.customer_address = "+48123456789";
  contact.started_ms = now - 600000;
  contact.ended_ms = now - 1000;
  contact.wait_ms = 30000;
  contact.talk_ms = 500000;
  contact.attr_count = (flags >> 5) & 7u;
  for (k = 0; k < contact.attr_count; k++) {
    attrs[k].key = attr_keys[k];
    attrs[k].value = attr_values[k];
  }
  contact.attrs = contact.attr_count ? attrs : NULL;

  memset(&t, 0, sizeof t);
  t.survey = sv;
  for (i = 0; i < 2; i++) {
    fz_host *h = &t.side[i].h;
    fz_host_setup(h, &t.side[i].vt, omit);
    h->survey_json = fz_surveys[si].json;
    h->default_language = fz_surveys[si].default_language;
    h->transfer_target = fz_surveys[si].transfer_target;
    h->question_count = csat_survey_question_count(sv);
    h->already_answer = (flags & 0x10u) ? 1 : 0;
    rc = csat_session_new(&t.side[i].s, sv, &contact, &t.side[i].vt, NULL);
    if (rc != CSAT_OK) {
      /* Only a missing callback the survey needs may refuse this contact. */
      if (rc != CSAT_ERR_UNSUPPORTED)
        fprintf(stderr, "csat_session_new: %d\n", rc);
      FZ_CHECK(rc == CSAT_ERR_UNSUPPORTED && i == 0);
      FZ_CHECK(omit != 0);
      fz_host_free(h);
      return 0;
    }
  }
  fz_twin_begin(&t);

  while (fz_more(&in) && events < FZ_MAX_EVENTS) {
    fz_event e;
    unsigned op = fz_byte(&in);
    memset(&e, 0, sizeof e);
    e.fail_on = (op & 0x80u) != 0;
    e.fail_mask = e.fail_on ? fz_byte(&in) : 0;
    now += 1 + (int64_t)((op >> 4) & 7u) * 1499;
    e.now = now;
    switch (op & 0x0fu) {
    case 0: e.kind = FZ_EV_OFFER; break;
    case 1: e.kind = FZ_EV_OPT_IN; e.accepted = 0; break;
    case 2: e.kind = FZ_EV_OPT_IN; e.accepted = 1; break;
    case 3: e.kind = FZ_EV_START; break;
    case 4: case 5: case 6: case 7: {
      size_t n = fz_byte(&in) % 5u;
      e.kind = FZ_EV_INPUT;
      for (k = 0; k < n; k++)
        e.digits[k] = fz_digit_set[fz_byte(&in) % 12u];
      e.ndigits = n;
      break;
    }
    case 8: case 15: e.kind = FZ_EV_NO_INPUT; break;
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
    default: e.kind = FZ_EV_INPUT; e.digits[0] = '1'; e.ndigits = 1; break;
    }
    fz_twin_step(&t, &e);
    events++;
  }
  fz_twin_free(&t);
  return 0;
}
