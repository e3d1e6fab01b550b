/*
 * struct_growth: a host program that passes and receives every struct with a
 * struct_size through the public API, and prints what it got back.
 *
 * tests/struct_growth/ builds it twice, against today's csat.h and against a
 * generated copy in which every such struct has a member appended (a newer
 * header), and links it with today's library and with one built from the
 * grown header (a newer library). Every pairing must succeed and print the
 * same text: an old host runs unchanged on a newer library, a newer host on
 * an older one. The program also checks that the library filled no output
 * struct past min(the caller's size, its own) and said so in struct_size.
 * SPDX-License-Identifier: MIT
 */
#include <csat.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* End of member m: the v1 sizes (the smallest struct_size a library reports). */
#define END(t, m) (offsetof(t, m) + sizeof(((t *)0)->m))

#ifdef CSAT_GROWN_HEADER
/* A newer host sets members today's library does not know: they must be ignored. */
#  define SET_GROWN(p) ((p)->grown_test_member_ = (int64_t)0x5a5a5a5a5a5a5a5aLL)
#  define TODAY_SIZE(t) offsetof(t, grown_test_member_)
#else
#  define SET_GROWN(p) ((void)0)
#  define TODAY_SIZE(t) sizeof(t)
#endif

/* argv[1]: "today" or "grown", the header the library was built from. */
static int lib_grown;

/* The struct_size a library must report for an output struct of type t:
 * min(this program's size, the library's). */
#define FILLED(t) filled(sizeof(t), TODAY_SIZE(t))
static size_t filled(size_t ours, size_t today) {
  size_t lib = today + (lib_grown ? sizeof(int64_t) : 0);
  return ours < lib ? ours : lib;
}

static int failures;

static void fail(const char *what, const char *detail) {
  fprintf(stderr, "FAIL: %s: %s\n", what, detail);
  failures++;
}

static void must(int rc, const char *what) {
  if (rc != CSAT_OK)
    fail(what, csat_strerror(rc));
}

/* ---- output structs in a guarded slab ------------------------------------ */

#define GUARD 64
#define POISON 0xA5
static union {
  unsigned char b[16384];
  long double ld;
  int64_t i;
  void *p;
} slab;

static size_t slab_n; /* structs in the slab */

/* n structs of `size` bytes (this program's sizeof), poisoned, struct_size set. */
static void *out_begin(size_t size, size_t n) {
  size_t i;
  slab_n = n;
  if (size * n + GUARD > sizeof slab.b) {
    fail("slab", "too small");
    exit(1);
  }
  memset(slab.b, POISON, size * n + GUARD);
  for (i = 0; i < n; i++)
    memcpy(slab.b + i * size, &size, sizeof size);
  return slab.b;
}

/* The first n elements report struct_size `want` (0: any in [v1, size]) and
 * no byte past it was written; the elements after them and the guard are
 * untouched. */
static void out_check(const char *what, size_t size, size_t v1, size_t want, size_t n) {
  size_t i, j, got, from;
  char msg[128];
  for (i = 0; i < slab_n; i++) {
    const unsigned char *e = slab.b + i * size;
    size_t end = size + (i + 1 == slab_n ? GUARD : 0);
    memcpy(&got, e, sizeof got);
    if (i < n && (got < v1 || got > size || (want != 0 && got != want))) {
      snprintf(msg, sizeof msg, "element %u: struct_size %u, not %u in [%u, %u]", (unsigned)i,
               (unsigned)got, (unsigned)want, (unsigned)v1, (unsigned)size);
      fail(what, msg);
      continue;
    }
    if (i >= n && got != size) {
      snprintf(msg, sizeof msg, "element %u of %u written", (unsigned)i, (unsigned)n);
      fail(what, msg);
      continue;
    }
    from = i < n ? got : sizeof got;
    for (j = from; j < end; j++)
      if (e[j] != POISON) {
        snprintf(msg, sizeof msg, "element %u: byte %u written past %u", (unsigned)i, (unsigned)j,
                 (unsigned)from);
        fail(what, msg);
        break;
      }
  }
}

/* ---- allocator -------------------------------------------------------------- */

typedef struct counts {
  long live;
  long calls;
} counts;

static void *my_malloc(size_t n, void *user) {
  counts *c = user;
  void *p = malloc(n);
  if (p != NULL) {
    c->live++;
    c->calls++;
  }
  return p;
}

static void *my_realloc(void *p, size_t n, void *user) {
  counts *c = user;
  void *q = realloc(p, n);
  if (q != NULL && p == NULL)
    c->live++;
  c->calls++;
  return q;
}

static void my_free(void *p, void *user) {
  counts *c = user;
  if (p != NULL)
    c->live--;
  free(p);
}

/* ---- the host -------------------------------------------------------------- */

typedef struct host {
  int waiting; /* 1: collect, 2: record */
} host;

static void print_answers(const csat_result *r) {
  int32_t i, n = csat_result_answer_count(r);
  for (i = 0; i < n; i++) {
    csat_answer *a = out_begin(sizeof *a, 1);
    must(csat_result_answer(r, i, a), "csat_result_answer");
    out_check("csat_answer", sizeof *a, END(csat_answer, answered_ms), FILLED(csat_answer), 1);
    printf("  answer %s kind %d status %d score %d attempts %d flagged %d raw '%s' comment '%s'"
           " at %lld\n",
           a->question_id, (int)a->kind, (int)a->status, (int)a->score, (int)a->attempts,
           (int)a->flagged, a->raw, a->comment, (long long)a->answered_ms);
  }
}

static int h_play(void *user, const csat_prompt *p) {
  (void)user;
  printf("  play %d q%d '%s'\n", (int)p->kind, (int)p->question, p->text ? p->text : "");
  return 0;
}

static int h_collect(void *user, const csat_collect *c) {
  ((host *)user)->waiting = 1;
  printf("  collect q%d %d..%d\n", (int)c->question, (int)c->min_digits, (int)c->max_digits);
  return 0;
}

static int h_record(void *user, const csat_record *r) {
  ((host *)user)->waiting = 2;
  printf("  record q%d %d ms\n", (int)r->question, (int)r->max_duration_ms);
  return 0;
}

static int h_transfer(void *user, const char *target) {
  (void)user;
  printf("  transfer %s\n", target);
  return 0;
}

static int h_callback(void *user, const char *address, const char *contact_id) {
  (void)user;
  printf("  callback %s %s\n", address, contact_id);
  return 0;
}

static int h_store(void *user, const csat_result *r) {
  const csat_contact *c = csat_result_contact(r);
  (void)user;
  printf("  store %s v%d outcome %d flagged %d escalation %d contact %s agent %s attrs %u\n",
         csat_result_survey_id(r), (int)csat_result_survey_version(r), (int)csat_result_outcome(r),
         (int)csat_result_flagged(r), (int)csat_result_escalation(r), c->contact_id, c->agent_id,
         (unsigned)c->attr_count);
  print_answers(r);
  return 0;
}

static int h_task(void *user, const csat_task *t) {
  (void)user;
  printf("  task '%s' '%s' %s refs %u attrs %u\n", t->name, t->description, t->category,
         (unsigned)t->reference_count, (unsigned)t->attribute_count);
  return 0;
}

static int h_already(void *user, const char *survey_id, const char *contact_id) {
  (void)user;
  (void)survey_id;
  return strcmp(contact_id, "c-4") == 0;
}

static int h_ended(void *user, int32_t outcome) {
  (void)user;
  printf("  ended %s\n", csat_outcome_name(outcome));
  return 0;
}

static int h_opted_out(void *user, const char *address, const char *contact_id) {
  (void)user;
  printf("  opted out %s %s\n", address, contact_id);
  return 0;
}

/* ---- survey and sessions ---------------------------------------------------- */

static csat_survey *make_survey(const csat_allocator *al) {
  csat_survey_builder *b = NULL;
  csat_survey *s = NULL;
  csat_error *err;
  int32_t q;
  must(csat_survey_builder_new(&b, "growth", 2, al), "builder");
  must(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INTRO, -1, "en", "Hello.", NULL), "p");
  must(csat_survey_builder_set_prompt(b, CSAT_PROMPT_OUTRO, -1, "en", "Bye.", NULL), "p");
  must(csat_survey_builder_set_prompt(b, CSAT_PROMPT_INVALID_INPUT, -1, "en", "Invalid.", NULL),
       "p");
  must(csat_survey_builder_set_prompt(b, CSAT_PROMPT_NO_INPUT, -1, "en", "Silence.", NULL), "p");
  must(csat_survey_builder_set_prompt(b, CSAT_PROMPT_MAX_ATTEMPTS, -1, "en", "Moving on.", NULL),
       "p");
  must(csat_survey_builder_set_prompt(b, CSAT_PROMPT_ALREADY_ANSWERED, -1, "en", "Done before.",
                                      NULL),
       "p");
  must(csat_survey_builder_set_prompt(b, CSAT_PROMPT_ESCALATION, -1, "en", "1 or 2?", NULL), "p");
  must(csat_survey_builder_add_question(b, "sat", CSAT_Q_RATING, 1, 5, &q), "q");
  must(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, q, "en", "Rate 1-5.", NULL), "p");
  must(csat_survey_builder_set_flag(b, q, 1, 2), "flag");
  must(csat_survey_builder_add_question(b, "nps", CSAT_Q_RATING, 0, 10, &q), "q");
  must(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, q, "en", "Rate 0-10.", NULL), "p");
  must(csat_survey_builder_add_question(b, "why", CSAT_Q_VOICE_COMMENT, 0, 0, &q), "q");
  must(csat_survey_builder_set_prompt(b, CSAT_PROMPT_QUESTION, q, "en", "Why?", NULL), "p");
  must(csat_survey_builder_set_condition(b, q, 0, 2), "condition");
  must(csat_survey_builder_set_escalation(b, 1, 2, "supervisors", 1), "escalation");
  must(csat_survey_builder_set_task(b, 1, "Review [ContactId]", "Said: [Comment]", "csat", "flow-1",
                                    "rule-1"),
       "task");
  err = out_begin(sizeof *err, 1);
  must(csat_survey_builder_finish(b, &s, err), "finish");
  return s;
}

static void set_host(csat_host *vt, host *h) {
  memset(vt, 0, sizeof *vt);
  vt->struct_size = sizeof *vt;
  vt->user = h;
  vt->play = h_play;
  vt->collect = h_collect;
  vt->record = h_record;
  vt->transfer = h_transfer;
  vt->schedule_callback = h_callback;
  vt->store = h_store;
  vt->create_task = h_task;
  vt->already_surveyed = h_already;
  vt->ended = h_ended;
  vt->opted_out = h_opted_out;
  SET_GROWN(vt);
}

/* One call: the digits the caller presses, in order, with a save and restore
 * after the first. Returns the ended session. */
static csat_session *run_call(const csat_survey *sv, const csat_allocator *al, int i,
                              const char *const *digits, int64_t now) {
  static const csat_attr attrs[2] = {{"tier", "gold"}, {"case", "42"}};
  static const char *const agents[3] = {"alice", "bob", "carol"};
  char id[16];
  csat_contact c;
  csat_host vt;
  host h;
  csat_session *s = NULL;
  int k = 0;

  memset(&c, 0, sizeof c);
  c.struct_size = sizeof c;
  snprintf(id, sizeof id, "c-%d", i);
  c.contact_id = id;
  c.agent_id = agents[i % 3];
  c.queue_id = "billing";
  c.department = "care";
  c.channel = CSAT_CHANNEL_VOICE;
  c.language = "en";
  c.customer_address = "+48600100200";
  c.started_ms = now - 600000;
  c.ended_ms = now;
  c.wait_ms = 1000 * (i + 1);
  c.talk_ms = 60000 + 5000 * i;
  c.attrs = attrs;
  c.attr_count = 2;
  SET_GROWN(&c);
  memset(&h, 0, sizeof h);
  set_host(&vt, &h);
  printf("call %d\n", i);
  must(csat_session_new(&s, sv, &c, &vt, al), "csat_session_new");
  if (s == NULL)
    return NULL;
  must(csat_session_start(s, now), "start");
  while (!csat_session_ended(s)) {
    now += 4000;
    if (k == 1) { /* save and restore mid-call (host and allocator again) */
      size_t need = 0;
      void *blob;
      csat_session *r = NULL;
      csat_error *err;
      if (csat_session_save(s, NULL, 0, &need) != CSAT_ERR_BUFFER_TOO_SMALL)
        fail("csat_session_save", "sizing");
      blob = malloc(need);
      must(csat_session_save(s, blob, need, &need), "csat_session_save");
      err = out_begin(sizeof *err, 1);
      must(csat_session_restore(&r, sv, blob, need, &vt, al, err), "csat_session_restore");
      free(blob);
      csat_session_free(s);
      s = r;
      if (s == NULL)
        return NULL;
    }
    if (digits[k] == NULL) {
      must(csat_session_hangup(s, now), "hangup");
    } else if (h.waiting == 2) {
      h.waiting = 0;
      must(csat_session_recorded(s, digits[k], strlen(digits[k]), now), "recorded");
      k++;
    } else if (h.waiting == 1) {
      h.waiting = 0;
      if (digits[k][0] == '-')
        must(csat_session_no_input(s, now), "no input");
      else
        must(csat_session_input(s, digits[k], strlen(digits[k]), now), "input");
      k++;
    } else {
      fail("session", "waits for nothing");
      must(csat_session_hangup(s, now), "hangup");
    }
  }
  printf("  outcome %s pending %u\n", csat_outcome_name(csat_session_outcome(s)),
         (unsigned)csat_session_pending(s));
  return s;
}

static void errors(const csat_allocator *al) {
  static const char bad[] = "{\n  \"id\": \"x\",\n  \"version\": }";
  csat_survey *s = NULL;
  csat_error *err = out_begin(sizeof *err, 1);
  int rc = csat_survey_from_json(&s, bad, sizeof bad - 1, al, err);
  out_check("csat_error", sizeof *err, END(csat_error, message), 0, 1);
  printf("json error rc %d code %d at %d:%d offset %u: %s\n", rc, err->code, (int)err->line,
         (int)err->column, (unsigned)err->offset, err->message);
  if (rc == CSAT_OK || err->code != rc)
    fail("csat_survey_from_json", "the error was not reported in csat_error");
  csat_survey_free(s);
}

static void replies(void) {
  static const char *const texts[] = {"5 great service", "4 or 5", "STOP", "yes, thanks", ""};
  static const int32_t kinds[] = {CSAT_Q_RATING, CSAT_Q_RATING, CSAT_Q_RATING, CSAT_Q_YES_NO,
                                  CSAT_Q_RATING};
  size_t i;
  for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
    csat_reply *r = out_begin(sizeof *r, 1);
    must(csat_reply_parse(texts[i], strlen(texts[i]), kinds[i], 1, 5, r), "csat_reply_parse");
    out_check("csat_reply", sizeof *r, END(csat_reply, comment_length), FILLED(csat_reply), 1);
    printf("reply '%s': kind %d score %d reason %d answer %u+%u comment %u+%u\n", texts[i],
           (int)r->kind, (int)r->score, (int)r->reason, (unsigned)r->answer_offset,
           (unsigned)r->answer_length, (unsigned)r->comment_offset, (unsigned)r->comment_length);
  }
}

/* ---- aggregation ------------------------------------------------------------ */

#define DAY 86400000LL
#define T0 1794816000000LL /* Monday 2026-11-16 00:00 UTC */

static void set_cfg(csat_agg_config *cfg) {
  memset(cfg, 0, sizeof *cfg);
  cfg->struct_size = sizeof *cfg;
  cfg->dimensions = CSAT_DIM_AGENT;
  cfg->period = CSAT_PERIOD_DAY;
  cfg->utc_offset_min = 60;
  cfg->hash_seed[0] = 11;
  cfg->hash_seed[3] = 7;
  cfg->terms = 1;
  SET_GROWN(cfg);
}

static void ingest(csat_agg *a) {
  static const char *const agents[3] = {"alice", "bob", "carol"};
  static const char *const comments[5] = {"long wait and rude agent", "", "great help",
                                          "slow slow slow", "fine"};
  csat_agg_answer one, rows[24];
  csat_agg_record recs[4];
  csat_agg_record_answer ra[4][2];
  size_t i, done = 0;
  for (i = 0; i < 24; i++) {
    csat_agg_answer *x = &rows[i];
    memset(x, 0, sizeof *x);
    x->struct_size = sizeof *x;
    x->time_ms = T0 + (int64_t)(i % 4) * DAY + 3600000;
    x->agent_id = agents[i % 3];
    x->queue_id = "billing";
    x->channel = CSAT_CHANNEL_SMS;
    x->survey_id = "growth";
    x->question_id = "sat";
    x->language = "en";
    x->scale_min = 1;
    x->scale_max = 5;
    x->score = (int32_t)(1 + (i * 7) % 5);
    x->comment = comments[i % 5];
    x->outcome = i % 2 ? CSAT_OUTCOME_COMPLETED : 0;
    x->flagged = x->score <= 2;
    x->wait_ms = (int64_t)(i * 1500);
    x->talk_ms = i % 3 ? (int64_t)(i * 20000) : -1;
    SET_GROWN(x);
  }
  one = rows[0];
  one.score = 2;
  must(csat_agg_add_answer(a, &one), "csat_agg_add_answer");
  must(csat_agg_add_answers(a, rows, 24, &done), "csat_agg_add_answers");
  for (i = 0; i < 4; i++) {
    csat_agg_record *r = &recs[i];
    int j;
    for (j = 0; j < 2; j++) {
      csat_agg_record_answer *y = &ra[i][j];
      memset(y, 0, sizeof *y);
      y->struct_size = sizeof *y;
      y->question_id = j ? "nps" : "sat";
      y->scale_min = j ? 0 : 1;
      y->scale_max = j ? 10 : 5;
      y->score = (int32_t)(j ? (i * 3) % 11 : 1 + i % 5);
      y->comment = j ? "" : comments[(i + 2) % 5];
      SET_GROWN(y);
    }
    memset(r, 0, sizeof *r);
    r->struct_size = sizeof *r;
    r->time_ms = T0 + (int64_t)i * DAY + 7200000;
    r->agent_id = agents[(i + 1) % 3];
    r->channel = CSAT_CHANNEL_CHAT;
    r->survey_id = "growth";
    r->outcome = CSAT_OUTCOME_COMPLETED;
    r->wait_ms = 30000;
    r->talk_ms = 90000;
    r->answers = ra[i];
    r->answer_count = 2;
    SET_GROWN(r);
  }
  must(csat_agg_add_records(a, recs, 4, &done), "csat_agg_add_records");
}

static void print_metrics(const char *what, const csat_agg *a, size_t g) {
  csat_metrics *m = out_begin(sizeof *m, 1);
  must(csat_agg_metrics(a, g, m), "csat_agg_metrics");
  out_check("csat_metrics", sizeof *m, END(csat_metrics, comments_positive), FILLED(csat_metrics),
            1);
  printf("%s: n %lld mean %.17g sd %.17g pct %.17g csat %.17g [%.17g %.17g] neg %.17g nps %lld "
         "%.17g contacts %lld answered %lld flagged %lld wait %.17g/%.17g talk %.17g/%.17g "
         "comments %lld %lld %lld d1 %lld d5 %lld\n",
         what, (long long)m->count, m->mean, m->sd, m->mean_pct, m->csat, m->csat_lo, m->csat_hi,
         m->negative_share, (long long)m->nps_count, m->nps, (long long)m->contacts,
         (long long)m->answered, (long long)m->flagged, m->wait_mean_s, m->wait_median_s,
         m->talk_mean_s, m->talk_median_s, (long long)m->comments, (long long)m->comments_negative,
         (long long)m->comments_positive, (long long)m->distribution[1],
         (long long)m->distribution[5]);
}

static void query(csat_agg *a) {
  size_t g, n = csat_agg_group_count(a), first = 0, len = 0, count = 0, i;
  int32_t c, nc = csat_agg_category_count(a);
  csat_alert_params ap;
  csat_rank_params rp;
  printf("groups %u\n", (unsigned)n);
  for (g = 0; g < n; g++) {
    csat_agg_key key, *k = out_begin(sizeof *k, 1);
    size_t found = (size_t)-1;
    char name[32];
    must(csat_agg_group_key(a, g, k), "csat_agg_group_key");
    out_check("csat_agg_key", sizeof *k, END(csat_agg_key, period_label), FILLED(csat_agg_key), 1);
    printf("group %u: agent %s channel %d period %d start %lld label %s\n", (unsigned)g,
           k->agent_id, (int)k->channel, (int)k->period, (long long)k->period_start,
           k->period_label);
    memcpy(&key, k, sizeof key);
    key.struct_size = sizeof key;
    SET_GROWN(&key);
    must(csat_agg_group_find(a, &key, &found), "csat_agg_group_find");
    if (found != g)
      fail("csat_agg_group_find", "another group");
    snprintf(name, sizeof name, "  metrics %u", (unsigned)g);
    print_metrics(name, a, g);
    for (c = 0; c < nc; c++) {
      csat_category_counts *cc = out_begin(sizeof *cc, 1);
      must(csat_agg_category(a, g, c, cc), "csat_agg_category");
      out_check("csat_category_counts", sizeof *cc, END(csat_category_counts, positive),
                FILLED(csat_category_counts), 1);
      printf("  category %s: %lld %lld %lld\n", cc->name, (long long)cc->comments,
             (long long)cc->negative, (long long)cc->positive);
    }
  }
  print_metrics("all", a, CSAT_AGG_ALL);

  must(csat_agg_series(a, 0, &first, &len), "csat_agg_series");
  printf("series of 0: %u + %u\n", (unsigned)first, (unsigned)len);
  if (len >= 2) {
    csat_comparison *cmp = out_begin(sizeof *cmp, 1);
    must(csat_agg_compare(a, first, first + 1, cmp), "csat_agg_compare");
    out_check("csat_comparison", sizeof *cmp, END(csat_comparison, mean_diff),
              FILLED(csat_comparison), 1);
    printf("compare: %lld %lld csat %.17g %.17g z %.17g p %.17g nps %.17g mean %.17g\n",
           (long long)cmp->count_a, (long long)cmp->count_b, cmp->csat_a, cmp->csat_b, cmp->csat_z,
           cmp->csat_p, cmp->nps_diff, cmp->mean_diff);
  }

  memset(&ap, 0, sizeof ap);
  ap.struct_size = sizeof ap;
  ap.baseline = 2;
  ap.sigma = 2.5;
  ap.lambda = 0.3;
  ap.ewma_l = 2.8;
  SET_GROWN(&ap);
  {
    csat_alert *al = out_begin(sizeof *al, len);
    must(csat_agg_alerts(a, 0, &ap, al, len, &count), "csat_agg_alerts");
    out_check("csat_alert", sizeof *al, END(csat_alert, ewma_ucl), FILLED(csat_alert), count);
    for (i = 0; i < count; i++)
      printf("alert %u: group %u n %lld neg %lld share %.17g center %.17g [%.17g %.17g] %d "
             "ewma %.17g ucl %.17g %d\n",
             (unsigned)i, (unsigned)al[i].group, (long long)al[i].count, (long long)al[i].negative,
             al[i].share, al[i].center, al[i].lcl, al[i].ucl, (int)al[i].p_alarm, al[i].ewma,
             al[i].ewma_ucl, (int)al[i].ewma_alarm);
  }

  memset(&rp, 0, sizeof rp);
  rp.struct_size = sizeof rp;
  rp.metric = CSAT_RANK_MEAN;
  rp.by_period = 1;
  rp.min_count = 2;
  SET_GROWN(&rp);
  {
    csat_rank *rk = out_begin(sizeof *rk, n);
    must(csat_agg_rank(a, &rp, rk, n, &count), "csat_agg_rank");
    out_check("csat_rank", sizeof *rk, END(csat_rank, small_sample), FILLED(csat_rank), count);
    for (i = 0; i < count; i++)
      printf("rank %u: group %u n %lld value %.17g shrunk %.17g prior %.17g rank %d small %d\n",
             (unsigned)i, (unsigned)rk[i].group, (long long)rk[i].count, rk[i].value, rk[i].shrunk,
             rk[i].prior, (int)rk[i].rank, (int)rk[i].small_sample);
  }
  {
    csat_term *t = out_begin(sizeof *t, 8);
    must(csat_agg_top_terms(a, CSAT_AGG_ALL, CSAT_TERMS_NEGATIVE, 1, t, 8, &count),
         "csat_agg_top_terms");
    out_check("csat_term", sizeof *t, END(csat_term, z), FILLED(csat_term), count);
    for (i = 0; i < count; i++)
      printf("term %s: %lld %lld log-odds %.17g z %.17g\n", t[i].term,
             (long long)t[i].count_negative, (long long)t[i].count_positive, t[i].log_odds, t[i].z);
  }
}

static void reports(csat_agg *a) {
  csat_alert_params ap;
  csat_report_options o;
  size_t need = 0;
  char *buf;
  int json;
  memset(&ap, 0, sizeof ap);
  ap.struct_size = sizeof ap;
  ap.sigma = 2;
  SET_GROWN(&ap);
  memset(&o, 0, sizeof o);
  o.struct_size = sizeof o;
  o.flags = CSAT_REPORT_TOTAL | CSAT_REPORT_COMPARE | CSAT_REPORT_ALERTS | CSAT_REPORT_CATEGORIES;
  o.alerts = &ap;
  SET_GROWN(&o);
  for (json = 0; json < 2; json++) {
    int rc = json ? csat_agg_report_json(a, &o, NULL, 0, &need)
                  : csat_agg_report_csv(a, &o, NULL, 0, &need);
    if (rc != CSAT_ERR_BUFFER_TOO_SMALL)
      fail("report", "sizing");
    buf = malloc(need + 1);
    if (buf == NULL)
      exit(1);
    must(json ? csat_agg_report_json(a, &o, buf, need + 1, &need)
              : csat_agg_report_csv(a, &o, buf, need + 1, &need),
         "report");
    fputs(buf, stdout);
    free(buf);
  }
}

static void agg(const csat_allocator *al, csat_session *const *sessions, int ns) {
  static const char *const wait[2] = {"wait*", "slow"};
  static const char *const rude[1] = {"rude"};
  csat_agg_config cfg;
  csat_agg *a = NULL, *b = NULL;
  csat_error *err;
  size_t need = 0;
  void *blob;
  int i, rc;

  set_cfg(&cfg);
  must(csat_agg_new(&a, &cfg, al), "csat_agg_new");
  if (a == NULL)
    return;
  must(csat_agg_add_category(a, "waiting", wait, 2, NULL), "category");
  must(csat_agg_add_category(a, "rude", rude, 1, NULL), "category");
  for (i = 0; i < ns; i++)
    if (sessions[i] != NULL)
      must(csat_agg_add_result(a, csat_session_result(sessions[i])), "csat_agg_add_result");
  ingest(a);
  query(a);
  reports(a);

  /* Save, restore with the config (seed) and a csat_error, merge the blob back. */
  if (csat_agg_save(a, NULL, 0, &need) != CSAT_ERR_BUFFER_TOO_SMALL)
    fail("csat_agg_save", "sizing");
  blob = malloc(need);
  if (blob == NULL)
    exit(1);
  must(csat_agg_save(a, blob, need, &need), "csat_agg_save");
  err = out_begin(sizeof *err, 1);
  must(csat_agg_restore(&b, blob, need, &cfg, al, err), "csat_agg_restore");
  if (b != NULL) {
    err = out_begin(sizeof *err, 1);
    must(csat_agg_merge_blob(b, blob, need, err), "csat_agg_merge_blob");
    printf("restored and merged: %u groups\n", (unsigned)csat_agg_group_count(b));
    print_metrics("restored and merged", b, CSAT_AGG_ALL);
    csat_agg_free(b);
    b = NULL;
  }
  err = out_begin(sizeof *err, 1);
  rc = csat_agg_restore(&b, blob, need / 2, &cfg, al, err);
  out_check("csat_error", sizeof *err, END(csat_error, message), 0, 1);
  printf("truncated blob: rc %d code %d offset %u: %s\n", rc, err->code, (unsigned)err->offset,
         err->message);
  if (rc == CSAT_OK || err->code != rc)
    fail("csat_agg_restore", "the error was not reported in csat_error");
  csat_agg_free(b);
  free(blob);
  csat_agg_free(a);
}

int main(int argc, char **argv) {
  static const char *const scripts[5][8] = {
      {"5", "9", NULL},
      {"1", "1", "rec-1", "1", NULL},      /* low: comment, escalation: transfer */
      {"7", "4", "-", "10", NULL},         /* invalid, then silence */
      {"1", "2", "rec-3", "7", "2", NULL}, /* low: a wrong key, then a callback */
      {"5", NULL}};                        /* already surveyed */
  counts n = {0, 0};
  csat_allocator al;
  csat_survey *sv;
  csat_session *sessions[5];
  int i;

  if (argc != 2 || (strcmp(argv[1], "today") != 0 && strcmp(argv[1], "grown") != 0)) {
    fprintf(stderr, "usage: %s today|grown (the library's header)\n", argv[0]);
    return 2;
  }
  lib_grown = strcmp(argv[1], "grown") == 0;
  memset(&al, 0, sizeof al);
  al.struct_size = sizeof al;
  al.malloc = my_malloc;
  al.realloc = my_realloc;
  al.free = my_free;
  al.user = &n;
  SET_GROWN(&al);

  errors(&al);
  replies();
  sv = make_survey(&al);
  if (sv == NULL) {
    fail("survey", "not built");
    return 1;
  }
  for (i = 0; i < 5; i++)
    sessions[i] = run_call(sv, &al, i, scripts[i], T0 + (int64_t)i * DAY + 36000000);
  agg(&al, sessions, 5);
  for (i = 0; i < 5; i++)
    csat_session_free(sessions[i]);
  csat_survey_free(sv);
  if (n.live != 0)
    fail("allocator", "blocks left allocated");
  if (n.calls == 0)
    fail("allocator", "never used");
  if (failures != 0) {
    fprintf(stderr, "%d failure(s)\n", failures);
    return 1;
  }
  return 0;
}
