/*
 * Session blobs: save/restore round trips in every state (byte-identical
 * re-save, and the restored session behaves exactly like the original from
 * then on), every truncation and every single-bit flip refused, survey
 * mismatches, format versions, and re-signed random mutations that must
 * either be refused or restore into a session that re-saves to the same
 * bytes and runs without crashing. Voice and text (SMS, chat) sessions.
 */
#include "session/session.h"
#include "fail_alloc.h"
#include "registry.h"
#include "session_kit.h"

#define ID "post-call"

/* A plain bitwise CRC-32, independent of the library's table. */
static uint32_t ref_crc32(const unsigned char *p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  size_t i;
  int k;
  for (i = 0; i < n; i++) {
    c ^= p[i];
    for (k = 0; k < 8; k++)
      c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c;
}

static void resign(unsigned char *b, size_t n) {
  uint32_t c = ref_crc32(b, n - 4);
  b[n - 4] = (unsigned char)c;
  b[n - 3] = (unsigned char)(c >> 8);
  b[n - 2] = (unsigned char)(c >> 16);
  b[n - 1] = (unsigned char)(c >> 24);
}

typedef struct scenario {
  const char *name;
  int survey_opts;
  int fail_store, fail_task, already;
  const char *events[16];
  int32_t channel;  /* 0: voice */
  int fail_opt_out; /* the first N opted_out calls fail */
} scenario;

static const scenario scenarios[] = {
    {"escalation",
     KS_ESCALATION,
     0,
     0,
     0,
     {"start", "in:*", "in:7", "in:2", "noin", "in:10", "in:1", "rep", "rec:rec-1.wav", "in:9",
      "in:2", NULL},
     0,
     0},
    {"opt-in",
     KS_OPT_IN,
     0,
     0,
     0,
     {"offer", "in:3", "noin", "in:1", "start", "in:5", "in:0", "hang", NULL},
     0,
     0},
    {"delivery failures",
     KS_ESCALATION,
     1,
     1,
     0,
     {"start", "in:1", "in:1", "in:1", "rec:x.wav", "in:1", "flush", "flush", NULL},
     0,
     0},
    {"attempts end", KS_END, 0, 0, 0, {"start", "in:9", "noin", NULL}, 0, 0},
    {"already answered", 0, 0, 0, 1, {"start", NULL}, 0, 0},
    {"hang-up before start", 0, 0, 0, 0, {"hang", NULL}, 0, 0},
    {"escalation lapses",
     KS_ESCALATION,
     0,
     0,
     0,
     {"start", "in:3", "in:1", "in:2", "in:5", "noin", "in:8", NULL},
     0,
     0},
    /* text sessions */
    {"sms survey",
     KS_TEXT,
     0,
     0,
     0,
     {"start", "txt:HELP", "txt:what?", "txt:2 - slow", "txt:10", "txt:no, not yet", "txt:a note",
      "txt:thanks", "txt:more", "txt:STOP", "flush", NULL},
     CSAT_CHANNEL_SMS,
     0},
    {"chat opt-out, callbacks failing",
     KS_TEXT | KS_END,
     1,
     0,
     0,
     {"start", "txt:1 rude", "txt:what", "txt:STOP", "txt:STOP", "flush", "flush", "txt:5", NULL},
     CSAT_CHANNEL_CHAT,
     2},
    {"sms expire timer",
     KS_TEXT,
     0,
     0,
     0,
     {"start", "txt:4", "exp", "txt:late", "txt:later", "txt:STOP", NULL},
     CSAT_CHANNEL_SMS,
     0},
    {"sms window",
     KS_TEXT,
     0,
     0,
     0,
     {"start", "txt:3", "late:5", "txt:again", "txt:STOP", "txt:STOP", NULL},
     CSAT_CHANNEL_SMS,
     0},
    {"chat several answers",
     KS_MULTI,
     0,
     0,
     0,
     {"start", "txt:1 2", "txt:HELP", "txt:maybe", "txt:yes", "txt:the rest", "txt:ok", NULL},
     CSAT_CHANNEL_CHAT,
     0},
    {"sms already surveyed",
     KS_TEXT,
     0,
     0,
     1,
     {"start", "txt:5", "txt:5", "txt:stop", NULL},
     CSAT_CHANNEL_SMS,
     0},
    {"sms attempts end",
     KS_TEXT | KS_END,
     0,
     0,
     0,
     {"start", "txt:x", "txt:", "txt:5", "txt:5", NULL},
     CSAT_CHANNEL_SMS,
     0},
};

#define SC_SMS 7     /* "sms survey" */
#define SC_OPT_OUT 8 /* "chat opt-out, callbacks failing" */

static csat_session *open_session(const csat_survey *sv, th *h, csat_host *vt, const scenario *sc) {
  csat_contact c;
  csat_session *s = NULL;
  memset(h, 0, sizeof *h);
  kit_host(vt, h);
  h->fail[CB_STORE] = sc->fail_store;
  h->fail[CB_TASK] = sc->fail_task;
  h->fail[CB_OPTED_OUT] = sc->fail_opt_out;
  h->already = sc->already;
  kit_contact(&c, sc->channel != 0 ? sc->channel : CSAT_CHANNEL_VOICE);
  if (csat_session_new(&s, sv, &c, vt, NULL) != CSAT_OK)
    exit(2);
  return s;
}

static int same_blob(const csat_session *a, const csat_session *b) {
  size_t la = 0, lb = 0;
  unsigned char *ba = kit_save(a, &la), *bb = kit_save(b, &lb);
  int same = la == lb && memcmp(ba, bb, la) == 0;
  free(ba);
  free(bb);
  return same;
}

/* For every split point: run the prefix, save, restore, compare the re-save,
 * then run the rest on both sessions and compare every action. */
TEST(roundtrip) {
  size_t i;
  int states_seen[8] = {0};
  for (i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) {
    const scenario *sc = &scenarios[i];
    csat_survey *sv = kit_survey(ID, 1, sc->survey_opts);
    int split, n = 0;
    while (sc->events[n] != NULL)
      n++;
    for (split = 0; split <= n; split++) {
      th ha, hb;
      csat_host va, vb;
      csat_session *a = open_session(sv, &ha, &va, sc), *b = NULL;
      unsigned char *blob;
      size_t len = 0;
      csat_error err;
      int e, rc;
      for (e = 0; e < split; e++)
        kit_event(a, sc->events[e], 1000 * (e + 1));
      states_seen[a->state] = 1;
      blob = kit_save(a, &len);
      hb = ha;
      hb.log[0] = '\0';
      kit_host(&vb, &hb);
      err.struct_size = sizeof err;
      rc = csat_session_restore(&b, sv, blob, len, &vb, NULL, &err);
      CHECK_INT(rc, CSAT_OK);
      if (rc != CSAT_OK) {
        fprintf(stderr, "%s split %d: %s\n", sc->name, split, err.message);
        exit(1);
      }
      CHECK_LOG(&hb, ""); /* restore calls no callback */
      CHECK(same_blob(a, b));
      CHECK_INT(csat_session_pending(a), csat_session_pending(b));
      CHECK_INT(csat_session_ended(a), csat_session_ended(b));
      CHECK_INT(csat_session_outcome(a), csat_session_outcome(b));
      ha.log[0] = '\0';
      for (e = split; e < n; e++) {
        int ra = kit_event(a, sc->events[e], 1000 * (e + 1));
        int rb = kit_event(b, sc->events[e], 1000 * (e + 1));
        CHECK_INT(ra, rb);
        CHECK_STR(ha.log, hb.log);
        if (strcmp(ha.log, hb.log) != 0)
          fprintf(stderr, "  scenario %s, split %d, event %s\n", sc->name, split, sc->events[e]);
        ha.log[0] = hb.log[0] = '\0';
        states_seen[a->state] = 1;
      }
      CHECK(same_blob(a, b));
      /* Each world (the original, the restored copy) creates one task at most. */
      CHECK(ha.tasks_created <= 1 && hb.tasks_created <= 1);
      free(blob);
      csat_session_free(a);
      csat_session_free(b);
    }
    csat_survey_free(sv);
  }
  for (i = CSAT__ST_NEW; i <= CSAT__ST_ENDED; i++)
    CHECK_INT(states_seen[i], 1);
}

/* Blobs of a scenario after each event, for the damage tests. */
static unsigned char *scenario_blob_of(const csat_survey *sv, int sc, int steps, size_t *len) {
  th h;
  csat_host vt;
  csat_session *s = open_session(sv, &h, &vt, &scenarios[sc]);
  unsigned char *blob;
  int e;
  for (e = 0; e < steps && scenarios[sc].events[e] != NULL; e++)
    kit_event(s, scenarios[sc].events[e], 1000 * (e + 1));
  blob = kit_save(s, len);
  csat_session_free(s);
  return blob;
}

/* The "escalation" scenario (voice). */
static unsigned char *scenario_blob(const csat_survey *sv, int steps, size_t *len) {
  return scenario_blob_of(sv, 0, steps, len);
}

static int try_restore(const csat_survey *sv, const unsigned char *b, size_t len, csat_error *err) {
  th h;
  csat_host vt;
  csat_session *s = (csat_session *)(void *)&h;
  fail_alloc t;
  csat_allocator a = fail_alloc_init(&t, 0, 0);
  int rc;
  memset(&h, 0, sizeof h);
  kit_host(&vt, &h);
  err->struct_size = sizeof *err;
  err->code = 0;
  rc = csat_session_restore(&s, sv, b, len, &vt, &a, err);
  if (rc == CSAT_OK)
    csat_session_free(s);
  else
    CHECK(s == NULL);
  CHECK_INT(t.live, 0);
  CHECK_LOG(&h, "");
  return rc;
}

static void damage(int sc, int opts) {
  csat_survey *sv = kit_survey(ID, 1, opts);
  int steps;
  long flips = 0, cuts = 0;
  for (steps = 0; steps <= 11; steps += 1) {
    size_t len = 0, i, cut;
    unsigned char *blob = scenario_blob_of(sv, sc, steps, &len);
    unsigned char *copy = malloc(len);
    csat_error err;
    int bit;
    CHECK_INT(try_restore(sv, blob, len, &err), CSAT_OK);
    /* The library's CRC is the standard one. */
    memcpy(copy, blob, len);
    resign(copy, len);
    CHECK(memcmp(copy, blob, len) == 0);
    for (cut = 0; cut < len; cut++) {
      int rc = try_restore(sv, blob, cut, &err);
      CHECK_INT(rc, CSAT_ERR_BLOB);
      CHECK_INT(err.code, CSAT_ERR_BLOB);
      CHECK(err.offset <= cut);
      cuts++;
    }
    for (i = 0; i < len; i++) {
      for (bit = 0; bit < 8; bit++) {
        int rc;
        memcpy(copy, blob, len);
        copy[i] ^= (unsigned char)(1u << bit);
        rc = try_restore(sv, copy, len, &err);
        CHECK_INT(rc, i == 4 ? CSAT_ERR_BLOB_VERSION : CSAT_ERR_BLOB);
        CHECK_INT(err.code, rc);
        CHECK(err.message[0] != '\0');
        flips++;
      }
    }
    free(copy);
    free(blob);
  }
  printf("%s: refused %ld truncations and %ld bit flips\n", scenarios[sc].name, cuts, flips);
  csat_survey_free(sv);
}

TEST(damage) {
  damage(0, KS_ESCALATION);
  damage(SC_SMS, KS_TEXT);
  damage(SC_OPT_OUT, KS_TEXT | KS_END);
}

TEST(identity) {
  csat_survey *sv = kit_survey(ID, 1, KS_ESCALATION);
  csat_survey *other_id = kit_survey("post-chat", 1, KS_ESCALATION);
  csat_survey *other_version = kit_survey(ID, 2, KS_ESCALATION);
  csat_survey *other_text = kit_survey(ID, 1, KS_ESCALATION | KS_OTHER_TEXT);
  csat_survey *other_rules = kit_survey(ID, 1, 0);
  size_t len = 0;
  unsigned char *blob = scenario_blob(sv, 4, &len);
  csat_error err;

  CHECK_INT(try_restore(other_id, blob, len, &err), CSAT_ERR_MISMATCH);
  CHECK_INT(err.code, CSAT_ERR_MISMATCH);
  CHECK_INT(try_restore(other_version, blob, len, &err), CSAT_ERR_MISMATCH);
  CHECK_INT(try_restore(other_text, blob, len, &err), CSAT_ERR_MISMATCH);
  CHECK_INT(try_restore(other_rules, blob, len, &err), CSAT_ERR_MISMATCH);
  CHECK_INT(try_restore(sv, blob, len, &err), CSAT_OK);

  /* Another format version, even correctly signed. */
  blob[4] = 2;
  CHECK_INT(try_restore(sv, blob, len, &err), CSAT_ERR_BLOB_VERSION);
  resign(blob, len);
  CHECK_INT(try_restore(sv, blob, len, &err), CSAT_ERR_BLOB_VERSION);
  CHECK_INT(err.offset, 4);
  blob[4] = 0;
  CHECK_INT(try_restore(sv, blob, len, &err), CSAT_ERR_BLOB_VERSION);
  blob[4] = 1;
  resign(blob, len);
  CHECK_INT(try_restore(sv, blob, len, &err), CSAT_OK);
  blob[0] = 'X';
  resign(blob, len);
  CHECK_INT(try_restore(sv, blob, len, &err), CSAT_ERR_BLOB);

  free(blob);
  csat_survey_free(sv);
  csat_survey_free(other_id);
  csat_survey_free(other_version);
  csat_survey_free(other_text);
  csat_survey_free(other_rules);
}

/* Offset of the state byte: magic, version, id, survey version, fingerprint. */
#define AT_STATE (4 + 1 + 1 + 9 + 1 + 8)

TEST(hostile_fields) {
  csat_survey *sv = kit_survey(ID, 1, KS_ESCALATION);
  size_t len = 0;
  unsigned char *blob = scenario_blob(sv, 4, &len), *copy = malloc(len);
  csat_error err;
  static const struct {
    size_t at;
    unsigned char value;
  } edits[] = {
      {AT_STATE, 0},                  /* unknown state */
      {AT_STATE, 7},                  /* unknown state */
      {AT_STATE, CSAT__ST_NEW},       /* answers before the start */
      {AT_STATE, CSAT__ST_RECORDING}, /* a rating question while recording */
      {AT_STATE, CSAT__ST_ESCALATION},
      {AT_STATE, CSAT__ST_ENDED}, /* ended without an outcome */
      {AT_STATE + 1, 2},          /* opt-in answer in on-demand mode */
      {AT_STATE + 1, 9},
      {AT_STATE + 2, 0},  /* no current question while asking */
      {AT_STATE + 2, 5},  /* current question is the voice comment */
      {AT_STATE + 2, 70}, /* out of range */
      {AT_STATE + 3, 3},  /* menu attempts outside a menu: fine? no, see below */
      {AT_STATE + 4, 1},  /* an outcome while running */
      {AT_STATE + 5, 2},  /* escalation while running */
      {AT_STATE + 6, 1},  /* pending while running */
      {AT_STATE + 7, 1},  /* task done while running */
  };
  size_t i;
  CHECK_INT(blob[AT_STATE], CSAT__ST_QUESTION);
  for (i = 0; i < sizeof edits / sizeof edits[0]; i++) {
    int rc;
    memcpy(copy, blob, len);
    copy[edits[i].at] = edits[i].value;
    resign(copy, len);
    rc = try_restore(sv, copy, len, &err);
    if (edits[i].at == AT_STATE + 3) {
      CHECK_INT(rc, CSAT_OK); /* left over from an earlier menu: harmless */
      continue;
    }
    if (rc != CSAT_ERR_BLOB)
      fprintf(stderr, "edit %d accepted\n", (int)i);
    CHECK_INT(rc, CSAT_ERR_BLOB);
  }
  /* Trailing bytes; a longer (re-signed) blob. */
  {
    unsigned char *longer = malloc(len + 1);
    memcpy(longer, blob, len - 4);
    longer[len - 4] = 0;
    resign(longer, len + 1);
    CHECK_INT(try_restore(sv, longer, len + 1, &err), CSAT_ERR_BLOB);
    free(longer);
  }
  free(copy);
  free(blob);
  csat_survey_free(sv);
}

/* Edit one byte of a text blob (re-signed) and restore it: the validator
 * must answer `want` (CSAT_ERR_BLOB: refused; CSAT_OK: accepted). */
static void expect_edit(const csat_survey *sv, const unsigned char *blob, size_t len, size_t at,
                        unsigned char value, int want, const char *what) {
  unsigned char *copy = malloc(len);
  csat_error err;
  int rc;
  memcpy(copy, blob, len);
  copy[at] = value;
  resign(copy, len);
  rc = try_restore(sv, copy, len, &err);
  if (rc != want)
    fprintf(stderr, "text blob edit %s: %s (%d: %s)\n", want == CSAT_OK ? "refused" : "accepted",
            what, rc, err.message);
  CHECK_INT(rc, want);
  free(copy);
}

TEST(hostile_text) {
  csat_survey *sv = kit_survey(ID, 1, KS_TEXT);
  csat_survey *sv_end = kit_survey(ID, 1, KS_TEXT | KS_END);
  csat_survey *voice = kit_survey(ID, 1, KS_ESCALATION);
  size_t len = 0, flags;
  unsigned char *blob;

  /* Running: after start and HELP (question 0 repeated once). */
  blob = scenario_blob_of(sv, SC_SMS, 2, &len);
  flags = len - 5; /* the text flags: the last byte before the checksum */
  CHECK_INT(blob[AT_STATE], CSAT__ST_QUESTION);
  CHECK_INT(blob[flags], 0);
  CHECK_INT(try_restore(sv, blob, len, &(csat_error){0}), CSAT_OK);
  expect_edit(sv, blob, len, flags, CSAT__TF_OPTED_OUT, CSAT_ERR_BLOB, "opted out while running");
  expect_edit(sv, blob, len, flags, CSAT__TF_NOTICE, CSAT_ERR_BLOB, "notice while running");
  expect_edit(sv, blob, len, flags, 4, CSAT_ERR_BLOB, "unknown text flag");
  expect_edit(sv, blob, len, AT_STATE, CSAT__ST_RECORDING, CSAT_ERR_BLOB, "recording on text");
  expect_edit(sv, blob, len, AT_STATE, CSAT__ST_ESCALATION, CSAT_ERR_BLOB,
              "escalation menu on text");
  expect_edit(sv, blob, len, AT_STATE, CSAT__ST_OFFER, CSAT_ERR_BLOB, "offer on text");
  expect_edit(sv, blob, len, AT_STATE + 2, 4, CSAT_ERR_BLOB, "current: the voice comment");
  expect_edit(sv, blob, len, AT_STATE + 5, CSAT_ESCALATION_OFFERED, CSAT_ERR_BLOB,
              "escalation on text");
  expect_edit(sv, blob, len, AT_STATE + 6, CSAT_PENDING_OPT_OUT, CSAT_ERR_BLOB,
              "pending while running");
  free(blob);
  /* A trailing byte missing: a text blob needs its flags. */
  blob = scenario_blob_of(sv, SC_SMS, 2, &len);
  {
    unsigned char *shorter = malloc(len - 1);
    csat_error err;
    memcpy(shorter, blob, len - 5);
    resign(shorter, len - 1);
    CHECK_INT(try_restore(sv, shorter, len - 1, &err), CSAT_ERR_BLOB);
    free(shorter);
  }
  free(blob);

  /* Ended by an opt-out whose callback is still pending. */
  blob = scenario_blob_of(sv_end, SC_OPT_OUT, 4, &len);
  flags = len - 5;
  CHECK_INT(blob[AT_STATE], CSAT__ST_ENDED);
  CHECK_INT(blob[AT_STATE + 4], CSAT_OUTCOME_OPTED_OUT);
  CHECK_INT(blob[AT_STATE + 6], CSAT_PENDING_OPT_OUT | CSAT_PENDING_STORE);
  CHECK_INT(blob[flags], CSAT__TF_OPTED_OUT);
  CHECK_INT(try_restore(sv_end, blob, len, &(csat_error){0}), CSAT_OK);
  expect_edit(sv_end, blob, len, flags, 0, CSAT_ERR_BLOB, "opted out without the flag");
  expect_edit(sv_end, blob, len, flags, CSAT__TF_OPTED_OUT | CSAT__TF_NOTICE, CSAT_ERR_BLOB,
              "a notice after an opt-out");
  expect_edit(sv_end, blob, len, AT_STATE + 6, 8, CSAT_ERR_BLOB, "unknown pending bit");
  expect_edit(sv_end, blob, len, AT_STATE + 6, CSAT_PENDING_STORE, CSAT_OK, "opt-out delivered");
  expect_edit(sv_end, blob, len, AT_STATE + 4, CSAT_OUTCOME_PARTIAL, CSAT_OK,
              "an opt-out after a partial survey");
  free(blob);

  /* Voice: no text outcome, no pending opt-out. */
  blob = scenario_blob(voice, 11, &len);
  CHECK_INT(blob[AT_STATE], CSAT__ST_ENDED);
  expect_edit(voice, blob, len, AT_STATE + 4, CSAT_OUTCOME_OPTED_OUT, CSAT_ERR_BLOB,
              "opted out on voice");
  expect_edit(voice, blob, len, AT_STATE + 4, CSAT_OUTCOME_EXPIRED, CSAT_ERR_BLOB,
              "expired on voice");
  expect_edit(voice, blob, len, AT_STATE + 6, CSAT_PENDING_OPT_OUT, CSAT_ERR_BLOB,
              "opt-out on voice");
  free(blob);
  csat_survey_free(sv);
  csat_survey_free(sv_end);
  csat_survey_free(voice);
}

/* A small deterministic generator (xorshift32). */
static uint32_t rnd(uint32_t *x) {
  *x ^= *x << 13;
  *x ^= *x >> 17;
  *x ^= *x << 5;
  return *x;
}

/* Re-signed random damage: refused cleanly, or a session that re-saves to
 * exactly the same bytes and survives any event. */
static void mutations(int sc, int opts, const char *const *events, size_t nev) {
  csat_survey *sv = kit_survey(ID, 1, opts);
  uint32_t seed = 0x1234567u;
  long accepted = 0, refused = 0, iter;
  int steps;
  for (steps = 0; steps <= 11; steps++) {
    size_t len = 0;
    unsigned char *blob = scenario_blob_of(sv, sc, steps, &len);
    unsigned char *copy = malloc(len + 8);
    for (iter = 0; iter < 4000; iter++) {
      size_t n = len, k, edits = 1 + rnd(&seed) % 3;
      th h;
      csat_host vt;
      csat_session *s = NULL;
      csat_error err;
      int rc;
      memcpy(copy, blob, len);
      for (k = 0; k < edits; k++) {
        size_t at = 5 + rnd(&seed) % (n - 9); /* keep magic and version */
        switch (rnd(&seed) % 4) {
        case 0: copy[at] = (unsigned char)rnd(&seed); break;
        case 1: copy[at] = (unsigned char)(copy[at] + 1); break;
        case 2: copy[at] = (unsigned char)(copy[at] - 1); break;
        default:
          if (rnd(&seed) % 2 && n < len + 8) { /* insert */
            memmove(copy + at + 1, copy + at, n - at);
            n++;
          } else if (n > 12) { /* delete */
            memmove(copy + at, copy + at + 1, n - at - 1);
            n--;
          }
          break;
        }
      }
      resign(copy, n);
      memset(&h, 0, sizeof h);
      kit_host(&vt, &h);
      err.struct_size = sizeof err;
      rc = csat_session_restore(&s, sv, copy, n, &vt, NULL, &err);
      if (rc != CSAT_OK) {
        CHECK(rc == CSAT_ERR_BLOB || rc == CSAT_ERR_LIMIT || rc == CSAT_ERR_UTF8 ||
              rc == CSAT_ERR_MISMATCH);
        CHECK(err.offset <= n);
        refused++;
        continue;
      }
      accepted++;
      {
        size_t l2 = 0;
        unsigned char *again = kit_save(s, &l2);
        CHECK(l2 == n && memcmp(again, copy, n) == 0);
        free(again);
      }
      for (k = 0; k < 12; k++)
        kit_event(s, events[rnd(&seed) % nev], 99999);
      csat_session_free(s);
    }
    free(copy);
    free(blob);
  }
  printf("%s, re-signed mutations: %ld refused, %ld accepted and exercised\n", scenarios[sc].name,
         refused, accepted);
  csat_survey_free(sv);
}

TEST(resigned_mutations) {
  static const char *const voice[] = {"rep", "in:1",  "noin",  "rec:x.wav", "in:2",
                                      "in:", "start", "offer", "hang",      "flush"};
  static const char *const text[] = {"rep",   "txt:1",   "txt:what", "txt:HELP", "txt:STOP",
                                     "txt:",  "txt:yes", "txt:5 4",  "late:2",   "exp",
                                     "start", "hang",    "flush",    "in:1"};
  mutations(0, KS_ESCALATION, voice, sizeof voice / sizeof voice[0]);
  mutations(SC_SMS, KS_TEXT, text, sizeof text / sizeof text[0]);
  mutations(SC_OPT_OUT, KS_TEXT | KS_END, text, sizeof text / sizeof text[0]);
}

TEST(api) {
  csat_survey *sv = kit_survey(ID, 1, KS_ESCALATION);
  th h;
  csat_host vt;
  csat_session *s = open_session(sv, &h, &vt, &scenarios[0]), *r = NULL;
  unsigned char buf[1024];
  size_t need = 0, len = 0;
  csat_error err;
  unsigned char *blob;

  CHECK_INT(csat_session_save(NULL, buf, sizeof buf, &need), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_session_save(s, NULL, 10, &need), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_session_save(s, NULL, 0, &need), CSAT_ERR_BUFFER_TOO_SMALL);
  CHECK(need > 0);
  CHECK_INT(csat_session_save(s, buf, need - 1, &len), CSAT_ERR_BUFFER_TOO_SMALL);
  CHECK_INT(len, need);
  CHECK_INT(csat_session_save(s, buf, need, &len), CSAT_OK);
  CHECK_INT(csat_session_save(s, buf, sizeof buf, NULL), CSAT_OK);

  err.struct_size = sizeof err;
  CHECK_INT(csat_session_restore(NULL, sv, buf, len, &vt, NULL, &err), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_session_restore(&r, NULL, buf, len, &vt, NULL, &err), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_session_restore(&r, sv, NULL, len, &vt, NULL, &err), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_session_restore(&r, sv, buf, len, NULL, NULL, &err), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat_session_restore(&r, sv, buf, CSAT_BLOB_MAX + 1, &vt, NULL, &err), CSAT_ERR_LIMIT);
  CHECK_INT(csat_session_restore(&r, sv, buf, 0, &vt, NULL, NULL), CSAT_ERR_BLOB);
  vt.play = NULL;
  CHECK_INT(csat_session_restore(&r, sv, buf, len, &vt, NULL, &err), CSAT_ERR_UNSUPPORTED);
  kit_host(&vt, &h);
  CHECK_INT(csat_session_restore(&r, sv, buf, len, &vt, NULL, NULL), CSAT_OK);
  CHECK(r != NULL);
  csat_session_free(r);
  csat_session_free(s);

  /* Sizes of the five-question survey, mid-survey and at the end. */
  blob = scenario_blob(sv, 4, &len);
  printf("blob, five questions, mid-survey (question 2, after retries): %d bytes\n", (int)len);
  free(blob);
  blob = scenario_blob(sv, 11, &len);
  printf("blob, five questions, ended with a recording and a callback: %d bytes\n", (int)len);
  CHECK(len < 400);
  free(blob);
  csat_survey_free(sv);
}

static const test_case tests[] = {
    TEST_ENTRY(roundtrip),    TEST_ENTRY(damage),
    TEST_ENTRY(identity),     TEST_ENTRY(hostile_fields),
    TEST_ENTRY(hostile_text), TEST_ENTRY(resigned_mutations),
    TEST_ENTRY(api),
};

TEST_MAIN(tests)
