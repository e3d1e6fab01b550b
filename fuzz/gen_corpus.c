/*
 * Seed generator: writes the generated part of fuzz/corpus/ (the embedded
 * surveys as JSON, valid session blobs in many states, encoded event scripts
 * and export inputs). Deterministic; run it again when the blob format or an
 * embedded survey changes:
 *     fuzz_gen_corpus fuzz/corpus
 * SPDX-License-Identifier: MIT
 */
#define _POSIX_C_SOURCE 200809L

#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *g_root;

static void write_file(const char *dir, const char *name, const void *data, size_t len) {
  char path[1024];
  FILE *f;
  snprintf(path, sizeof path, "%s/%s/%s", g_root, dir, name);
  f = fopen(path, "wb");
  if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
    fprintf(stderr, "gen_corpus: cannot write %s\n", path);
    exit(1);
  }
}

/* ---- event scripts -------------------------------------------------------
 * Tokens separated by spaces: O offer, Y opt-in yes, D opt-in no, S start,
 * I<digits> input, N no input, R recorded, P repeat, H hang-up, F flush,
 * X save+restore; a prefix !<two hex digits> makes the event's callbacks
 * fail per that mask. */

typedef struct gbuf {
  unsigned char b[1024];
  size_t n;
} gbuf;

static void put(gbuf *g, unsigned v) {
  if (g->n < sizeof g->b)
    g->b[g->n++] = (unsigned char)v;
}

static void encode_events(gbuf *g, const char *script) {
  static const char digit_set[] = "0123456789*#";
  const char *p = script;
  unsigned step = 1;
  while (*p) {
    unsigned fail = 0, mask = 0, code = 0;
    const char *digits = NULL;
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
    switch (*p) {
    case 'O': code = 0; break;
    case 'D': code = 1; break;
    case 'Y': code = 2; break;
    case 'S': code = 3; break;
    case 'I':
      code = 4;
      digits = p + 1;
      while (digits[nd] && digits[nd] != ' ')
        nd++;
      break;
    case 'N': code = 8; break;
    case 'R': code = 9; break;
    case 'P': code = 10; break;
    case 'H': code = 11; break;
    case 'F': code = 12; break;
    case 'X': code = 13; break;
    default:
      fprintf(stderr, "gen_corpus: bad token in %s\n", script);
      exit(1);
    }
    put(g, code | fail | ((step % 8u) << 4));
    step = step * 5 + 3;
    if (fail)
      put(g, mask);
    if (code == 4) {
      put(g, (unsigned)nd);
      for (k = 0; k < nd; k++)
        put(g, (unsigned)(strchr(digit_set, digits[k]) - digit_set));
    }
    while (*p && *p != ' ')
      p++;
  }
}

static void gen_events(void) {
  static const struct {
    unsigned survey, lang, flags;
    const char *script;
  } seeds[] = {
      {0, 1, 0, "S I1"},
      {0, 2, 0x20, "S I6 I0 N I4"},
      {0, 3, 0x40, "S !01I1 F !ffF F"},
      {0, 1, 0x10, "S"},
      {0, 1, 0x00, "!01S S I2 X F"},
      {0, 0, 0x01, "S N N N"},
      {1, 4, 0x00, "S I10# I1"},
      {1, 5, 0x00, "S I* I* I* I11 N I7 I2"},
      {1, 1, 0x60, "S I0 X I2 H F"},
      {2, 6, 0x00, "S I2 R"},
      {2, 1, 0x00, "S I1"},
      {2, 1, 0x00, "S N N N"},
      {2, 1, 0x02, "S I2 R H"},
      {3, 1, 0x00, "S I1 R I2 I0 I1"},
      {3, 3, 0x00, "S I2 N I1 I2"},
      {3, 1, 0x00, "S I5"},
      {3, 1, 0x00, "S I9 I9"},
      {3, 1, 0xe0, "S I1 R I1 I2 F"},
      {3, 2, 0x00, "S I3 I2 I3 X I9 N P"},
      {3, 1, 0x04, "S I1 R !02I1 I1 F"},
      {3, 1, 0x08, "S I2 X I2 I1 I2"},
      {3, 0, 0x00, "S P I1 P R P H"},
      {4, 1, 0x00, "S I1 I3 I2"},
      {4, 7, 0x00, "S I1 I3 I1 N I7 N"},
      {4, 1, 0x00, "S I12 I9 I5 I1"},
      {5, 2, 0x00, "O I1 S I1 I1"},
      {5, 1, 0x00, "O I3 N I2 S"},
      {5, 3, 0x00, "Y S I1 I1"},
      {5, 1, 0x00, "D S"},
      {5, 1, 0x00, "H"},
      {5, 2, 0x00, "O X I1 X S X I3"},
      {6, 0, 0x00, "S I0"},
      {6, 0, 0x00, "S I1# H F"},
      {6, 1, 0x00, "H F F"},
      {6, 1, 0x00, "!ffS !ffS S !ffI0 F F"},
  };
  size_t i;
  for (i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
    gbuf g;
    char name[64];
    g.n = 0;
    put(&g, seeds[i].survey);
    put(&g, seeds[i].lang);
    put(&g, seeds[i].flags);
    encode_events(&g, seeds[i].script);
    snprintf(name, sizeof name, "gen-%02zu-s%u", i, seeds[i].survey);
    write_file("fuzz_session_events", name, g.b, g.n);
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
  static const csat_attr attrs[] = {
      {"segment", "gold"}, {"ticket", "T-42"}, {"note", "=1+1"}};
  size_t i;
  const csat_survey *sv = fz_survey_get(FZ_BLOB_SURVEY);
  for (i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
    fz_twin t;
    csat_contact c;
    gbuf g;
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
    g.n = 0;
    encode_events(&g, seeds[i].script);
    in.p = g.b;
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
      case 2: e.kind = FZ_EV_OPT_IN; e.accepted = 1; break;
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
    write_file("fuzz_session_blob", name, blob, len);
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
    write_file("fuzz_survey_json", name, fz_surveys[i].json, strlen(fz_surveys[i].json));
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
      {3, 0x00, {"c-\xc5\xbc\xc3\xb3\xc5\x82w", "\xe4\xb8\xad\xe6\x96\x87", "", "", "uz-Latn",
                 "", "attr", "\xf0\x9f\x98\x80", NULL}},
      {3, 0xff, {"c-9", NULL}},
      {5, 0x11, {"c-5", "a", "q", "d", "", "addr", "k1", "v1", "k2", "v2", "k3", "v3"}},
      {2, 0x04, {"c-bad\xc3", "a"}},
      {4, 0x33, {"", "a"}},
  };
  size_t i, k;
  for (i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
    gbuf g;
    char name[64];
    g.n = 0;
    put(&g, seeds[i].survey);
    put(&g, seeds[i].answers);
    for (k = 0; k < 12 && seeds[i].fields[k] != NULL; k++) {
      const char *f = seeds[i].fields[k];
      if (k)
        put(&g, 0);
      while (*f)
        put(&g, (unsigned char)*f++);
    }
    snprintf(name, sizeof name, "gen-%02zu", i);
    write_file("fuzz_result_csv", name, g.b, g.n);
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
