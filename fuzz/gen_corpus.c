/*
 * Seed generator: writes the generated part of fuzz/corpus/ (the embedded
 * surveys as JSON, valid session blobs in many states, encoded event scripts
 * and export inputs). Deterministic; run it again when the blob format or an
 * embedded survey changes:
 *     fuzz_gen_corpus fuzz/corpus
 * (ctest fuzz_corpus_fresh fails until then).
 * SPDX-License-Identifier: MIT
 */
#define _POSIX_C_SOURCE 200809L

#include "fuzz_common.h"
#include "gen_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *g_root;

/* ---- event scripts -------------------------------------------------------
 * Tokens separated by spaces: O offer, Y opt-in yes, D opt-in no, S start,
 * I<digits> input, N no input, R recorded, P repeat, H hang-up, F flush,
 * X save+restore, E expire, T<message> a message of fz_messages ('_' stands
 * for a space; TLONG, TMAX and TMAX+ the long ones), W<hex bytes> a message
 * of raw bytes, J<decimal byte> a time jump around the survey window; a
 * prefix !<two hex digits> makes the event's callbacks fail per that mask. */

static unsigned message_index(const char *tok, size_t n) {
  char want[128];
  size_t i, k, special = 3;
  if (n == 4 && memcmp(tok, "LONG", 4) == 0)
    special = 0;
  else if (n == 3 && memcmp(tok, "MAX", 3) == 0)
    special = 1;
  else if (n == 4 && memcmp(tok, "MAX+", 4) == 0)
    special = 2;
  for (i = 0; i < fz_message_count; i++) {
    if (special < 3) {
      if (fz_messages[i].s == NULL && fz_messages[i].n == special)
        return (unsigned)i;
      continue;
    }
    if (fz_messages[i].s == NULL || fz_messages[i].n != n || n >= sizeof want)
      continue;
    for (k = 0; k < n; k++)
      want[k] = tok[k] == '_' ? ' ' : tok[k];
    if (memcmp(want, fz_messages[i].s, n) == 0)
      return (unsigned)i;
  }
  fprintf(stderr, "gen_corpus: no message %.*s\n", (int)n, tok);
  exit(1);
}

static void encode_events(gen_buf *g, const char *script) {
  static const char digit_set[] = "0123456789*#";
  const char *p = script;
  unsigned step = 1;
  while (*p) {
    unsigned fail = 0, mask = 0, code = 0;
    const char *arg = NULL;
    size_t nd = 0, k;
    while (*p == ' ')
      p++;
    if (!*p)
      break;
    if (*p == '!') {
      fail = 0x80;
      mask = (unsigned)strtoul((char[]){p[1], p[2], 0}, NULL, 16);
      p += 3;
    }
    arg = p + 1;
    while (arg[nd] && arg[nd] != ' ')
      nd++;
    switch (*p) {
    case 'O': code = 0; break;
    case 'D': code = 1; break;
    case 'Y': code = 2; break;
    case 'S': code = 3; break;
    case 'I': code = 4; break;
    case 'T': code = 6; break;
    case 'W': code = 7; break;
    case 'N': code = 8; break;
    case 'R': code = 9; break;
    case 'P': code = 10; break;
    case 'H': code = 11; break;
    case 'F': code = 12; break;
    case 'X': code = 13; break;
    case 'E': code = 14; break;
    case 'J': code = 15; break;
    default: fprintf(stderr, "gen_corpus: bad token in %s\n", script); exit(1);
    }
    gen_put(g, code | fail | ((step % 8u) << 4));
    step = step * 5 + 3;
    if (fail)
      gen_put(g, mask);
    if (code == 4) {
      gen_put(g, (unsigned)nd);
      for (k = 0; k < nd; k++)
        gen_put(g, (unsigned)(strchr(digit_set, arg[k]) - digit_set));
    } else if (code == 6) {
      gen_put(g, message_index(arg, nd));
    } else if (code == 7) {
      gen_put(g, (unsigned)(nd / 2));
      for (k = 0; k + 1 < nd; k += 2)
        gen_put(g, (unsigned)strtoul((char[]){arg[k], arg[k + 1], 0}, NULL, 16));
    } else if (code == 15) {
      gen_put(g, (unsigned)strtoul(arg, NULL, 10));
    }
    while (*p && *p != ' ')
      p++;
  }
}

/* Header: survey (voice 0..6, then text 7..), language, host byte (omit
 * bits, 0x80 already surveyed), byte 3 (attributes, channel << 3, 0x20
 * failing allocator, 0x40 persistently, 0x80 session_new tried failing),
 * byte 4 (which allocation fails), byte 5 (k - 1: the twin is compared
 * every k events; 0 in every other seed, 7 in the rest). See
 * fuzz_session_events.c. */
#define V 0x08 /* channel: voice */
#define SMS 0x10
#define CHAT 0x18
#define AF 0x20 /* the allocator fails once ... */
#define AP 0x60 /* ... or persistently */
#define NF 0x80 /* csat_session_new first tried failing */

static void gen_events(void) {
  static const struct {
    unsigned survey, lang, host, b3, b4;
    const char *script;
  } seeds[] = {
      /* voice */
      {0, 1, 0, 0, 0, "S I1"},
      {0, 2, 0, 1, 0, "S I6 I0 N I4"},
      {0, 3, 0, 2, 0, "S !01I1 F !ffF F"},
      {0, 1, 0x80, 0, 0, "S"},
      {0, 1, 0, 0, 0, "!01S S I2 X F"},
      {0, 0, 0x01, 0, 0, "S N N N"},
      {0, 1, 0x30, 0, 0, "S I1 F H"},
      {1, 4, 0, 0, 0, "S I10# I1"},
      {1, 5, 0, 0, 0, "S I* I* I* I11 N I7 I2"},
      {1, 1, 0, 3, 0, "S I0 X I2 H F"},
      {2, 6, 0, 0, 0, "S I2 R"},
      {2, 1, 0, 0, 0, "S N N N"},
      {2, 1, 0x02, 0, 0, "S I2 R H"},
      {3, 1, 0, 0, 0, "S I1 R I2 I0 I1"},
      {3, 3, 0, 0, 0, "S I2 N I1 I2"},
      {3, 1, 0, 7, 0, "S I1 R I1 I2 F"},
      {3, 2, 0, 0, 0, "S I3 I2 I3 X I9 N P"},
      {3, 1, 0x04, 0, 0, "S I1 R !02I1 I1 F"},
      {3, 1, 0x08, 0, 0, "S I2 X I2 I1 I2"},
      {3, 0, 0, 0, 0, "S P I1 P R P H"},
      {3, 1, 0, AF, 0x00, "S I1 R I1 I2 F"},
      {3, 1, 0, AP | NF, 0x21, "S I1 R I2 I1 X H F F"},
      {4, 7, 0, 0, 0, "S I1 I3 I1 N I7 N"},
      {5, 2, 0, 0, 0, "O I1 S I1 I1"},
      {5, 1, 0, 0, 0, "O I3 N I2 S"},
      {5, 3, 0, 0, 0, "Y S I1 I1"},
      {5, 2, 0, 0, 0, "O X I1 X S X I3"},
      {6, 0, 0, 0, 0, "S I1# H F"},
      {6, 1, 0, 0, 0, "!ffS !ffS S !ffI0 F F"},
      /* SMS survey (T0: window 60 s, several answers per message) */
      {7, 1, 0, 0, 0, "S T5 Tyes T9"},
      {7, 1, 0, 2, 0, "S T2 T1_why_so_slow Tno T3"},
      {7, 1, 0, 0, 0, "S T5_4_5 T5"},
      {7, 2, 0, 0, 0, "S T5,_4,_5_-_slow T2_5_no_7"},
      {7, 1, 0, 0, 0, "S T4 TSTOP TSTOP X T1"},
      {7, 5, 0, 0, 0, "S T5 Tyes T10 T5 T5 TSTOP T5"},
      {7, 1, 0, 0, 0, "S T5 Tyes T10 TSTOP T5 T5"},
      {7, 1, 0, 0, 0, "S T5 J1 T4 T4 TSTOP"},
      {7, 1, 0, 0, 0, "S J2 T4 T4"},
      {7, 1, 0, 0, 0, "S E T1 T2"},
      {7, 1, 0, 0, 0, "S Thelp Thelp Thelp T45 T0 T4_or_5 Tfive"},
      {7, 4, 0, 0, 0, "S T\xeb\x8b\xa4\xec\x84\xaf T\xeb\x84\xa4 T10"},
      {7, 2, 0, 0, 0, "S Tpi\xc4\x99\xc4\x87 Ttak Tcztery"},
      {7, 6, 0, 0, 0, "S Tto'rt Tha Tbesh"},
      {7, 1, 0, 0, 0,
       "S T5\xef\xb8\x8f\xe2\x83\xa3 T\xe2\x98\x85\xe2\x98\x85\xe2\x98\x85\xe2\x98\x85\xe2\x98\x85 "
       "T4\xe2\x83\xa3"},
      {7, 1, 0, 0, 0, "S W35ff W3500 Wc3 W20202035 TMAX+ TLONG T3 TMAX"},
      {7, 5, 0, 0, 0, "S T\xd1\x81\xd1\x82\xd0\xbe\xd0\xbf F T1"},
      {7, 1, 0, 0, 0, "S T2 !01T1_why_so_slow F !02TSTOP F F"},
      {7, 1, 0x70, 0, 0, "S T1 Tno T0 TSTOP T5"},
      {7, 1, 0, AF, 0x00, "S T2 T1_why_so_slow F Tno T3 F"},
      {7, 1, 0, AP | NF, 0x31, "S T1 T3_-_slow_but_ok Tno X T0 F F H"},
      {7, 1, 0x80, 0, 0, "S T5 TSTOP T5"},
      {7, 1, 0, CHAT, 0, "S Thelp Thelp T4._comment T5!!!_thanks"},
      {7, 1, 0, V, 0, "S I2 I1 I9"},
      /* chat minimum (T1) */
      {8, 1, 0, CHAT, 0, "S T9 T3"},
      {8, 1, 0, CHAT, 0, "TSTOP S Thelp TSTOP TSTOP"},
      /* opt-in, Polish (T2) */
      {9, 2, 0, 0, 0, "Y S T1 Tfatalnie,_nikt_nie_odbiera Ttak Ttak"},
      {9, 1, 0, CHAT, 0, "Y S T2 X Tnie"},
      {9, 2, 0, 0, 0, "D S T1"},
      {9, 0, 0, 0, 0, "H TSTOP T1"},
      /* voice surveys on text channels */
      {3, 1, 0, SMS, 0, "S T1 Tbad T1 T2"},
  };
  size_t i;
  for (i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
    gen_buf g;
    char name[64];
    gen_buf_reset(&g, 1024);
    gen_put(&g, seeds[i].survey);
    gen_put(&g, seeds[i].lang);
    gen_put(&g, seeds[i].host);
    gen_put(&g, seeds[i].b3);
    gen_put(&g, seeds[i].b4);
    gen_put(&g, (i & 1u) ? 7 : 0);
    encode_events(&g, seeds[i].script);
    snprintf(name, sizeof name, "gen-%02zu-s%u", i, seeds[i].survey);
    gen_write(g_root, "fuzz_session_events", name, g.p, g.n);
  }
}

/* ---- blobs: a real session for the blob survey, saved in many states ---- */

static void gen_blobs(void) {
  static const struct {
    const char *lang;
    size_t attrs;
    const char *script;
  } seeds[] = {
      {"en", 0, ""},
      {"en", 0, "S"},
      {"pl-PL", 2, "S I2"},
      {"en", 1, "S I2 R"},
      {"en", 0, "S I9"},
      {"en", 0, "S I1 R I2"},
      {"en", 0, "S I1 R I2 I0"},
      {"en", 0, "S I1 R I1 I9"},
      {"en", 0, "S I1 R I1 I2 N"},
      {"en", 3, "S I1 R I1 I2 I1"},
      {"en", 0, "S I1 R I1 I2 I2"},
      {"en", 0, "S I5"},
      {"ko", 0, "S I4 I1 H"},
      {"en", 0, "H"},
      {"en", 0, "S !04I5"},
      {"en", 0, "S I1 R I1 !08I2 I2"},
      {"en", 0, "S I9 I9"},
      {"en", 0, "S P I* I* N"},
  };
  static const csat_attr attrs[] = {{"segment", "gold"}, {"ticket", "T-42"}, {"note", "=1+1"}};
  size_t i;
  const csat_survey *sv = fz_survey_get(FZ_BLOB_SURVEY);
  for (i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
    fz_twin t;
    csat_contact c;
    gen_buf g;
    fz_in in;
    size_t k, len = 0;
    unsigned char *blob;
    char name[64];
    int64_t now = 1700000000000;
    memset(&c, 0, sizeof c);
    c.struct_size = sizeof c;
    c.contact_id = "c-blob-1";
    c.agent_id = "agent-7";
    c.queue_id = "q-main";
    c.department = "Billing";
    c.channel = CSAT_CHANNEL_VOICE;
    c.language = seeds[i].lang;
    c.customer_address = "+441632960000";
    c.started_ms = now - 300000;
    c.ended_ms = now - 2000;
    c.attrs = attrs;
    c.attr_count = seeds[i].attrs;
    memset(&t, 0, sizeof t);
    t.survey = sv;
    for (k = 0; k < 2; k++) {
      fz_host *h = &t.side[k].h;
      fz_host_setup(h, &t.side[k].vt, 0);
      h->survey_json = fz_surveys[FZ_BLOB_SURVEY].json;
      h->default_language = fz_surveys[FZ_BLOB_SURVEY].default_language;
      h->transfer_target = fz_surveys[FZ_BLOB_SURVEY].transfer_target;
      h->question_count = csat_survey_question_count(sv);
      if (csat_session_new(&t.side[k].s, sv, &c, &t.side[k].vt, NULL) != CSAT_OK) {
        fprintf(stderr, "gen_corpus: csat_session_new failed\n");
        exit(1);
      }
    }
    fz_twin_begin(&t);
    /* Reuse the event encoder and decode it here the way the events target does. */
    gen_buf_reset(&g, 1024);
    encode_events(&g, seeds[i].script);
    in.p = g.p;
    in.n = g.n;
    in.i = 0;
    while (fz_more(&in)) {
      fz_event e;
      unsigned op = fz_byte(&in);
      static const char digit_set[] = "0123456789*#";
      memset(&e, 0, sizeof e);
      e.fail_on = (op & 0x80u) != 0;
      e.fail_mask = e.fail_on ? fz_byte(&in) : 0;
      e.now = (now += 1000);
      switch (op & 0x0fu) {
      case 0: e.kind = FZ_EV_OFFER; break;
      case 1: e.kind = FZ_EV_OPT_IN; break;
      case 2:
        e.kind = FZ_EV_OPT_IN;
        e.accepted = 1;
        break;
      case 3: e.kind = FZ_EV_START; break;
      case 4:
        e.kind = FZ_EV_INPUT;
        e.ndigits = fz_byte(&in);
        for (k = 0; k < e.ndigits; k++)
          e.digits[k] = digit_set[fz_byte(&in) % 12u];
        break;
      case 8: e.kind = FZ_EV_NO_INPUT; break;
      case 9:
        e.kind = FZ_EV_RECORDED;
        memcpy(e.digits, "r1.wav", 6);
        e.ndigits = 6;
        break;
      case 10: e.kind = FZ_EV_REPEAT; break;
      case 11: e.kind = FZ_EV_HANGUP; break;
      case 12: e.kind = FZ_EV_FLUSH; break;
      default: e.kind = FZ_EV_SAVE_RESTORE; break;
      }
      fz_twin_step(&t, &e);
    }
    blob = fz_save(t.side[0].s, &len);
    snprintf(name, sizeof name, "gen-%02zu.blob", i);
    gen_write(g_root, "fuzz_session_blob", name, blob, len);
    free(blob);
    fz_twin_free(&t);
  }
}

/* ---- surveys and export inputs ------------------------------------------- */

static void gen_surveys(void) {
  size_t i;
  for (i = 0; i < fz_survey_count; i++) {
    char name[64];
    snprintf(name, sizeof name, "embedded-%zu.json", i);
    gen_write(g_root, "fuzz_survey_json", name, fz_surveys[i].json, strlen(fz_surveys[i].json));
  }
}

static void gen_exports(void) {
  static const struct {
    unsigned survey, answers;
    const char *fields[12];
  } seeds[] = {
      {0, 0x00, {"c-1", "a-1", "q-1", "Sales", "en", "+15550100"}},
      {0, 0x01, {"=HYPERLINK(\"http://x\")", "+agent", "-queue", "@dept", "pl-PL", "\t+1"}},
      {1, 0x5a, {"c,2", "a\"b", "q\r\nnext", "d\n", "ko", "x", "key", "val", "=k", "+v"}},
      {3,
       0x00,
       {"c-\xc5\xbc\xc3\xb3\xc5\x82w", "\xe4\xb8\xad\xe6\x96\x87", "", "", "uz-Latn", "", "attr",
        "\xf0\x9f\x98\x80", NULL}},
      {3, 0xff, {"c-9", NULL}},
      {5, 0x11, {"c-5", "a", "q", "d", "", "addr", "k1", "v1", "k2", "v2", "k3", "v3"}},
      {2, 0x04, {"c-bad\xc3", "a"}},
      {4, 0x33, {"", "a"}},
  };
  size_t i, k;
  for (i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
    gen_buf g;
    char name[64];
    gen_buf_reset(&g, 1024);
    gen_put(&g, seeds[i].survey);
    gen_put(&g, seeds[i].answers);
    for (k = 0; k < 12 && seeds[i].fields[k] != NULL; k++) {
      const char *f = seeds[i].fields[k];
      if (k)
        gen_put(&g, 0);
      while (*f)
        gen_put(&g, (unsigned char)*f++);
    }
    snprintf(name, sizeof name, "gen-%02zu", i);
    gen_write(g_root, "fuzz_result_csv", name, g.p, g.n);
  }
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s <fuzz/corpus>\n", argv[0]);
    return 2;
  }
  g_root = argv[1];
  gen_surveys();
  gen_events();
  gen_blobs();
  gen_exports();
  return 0;
}
