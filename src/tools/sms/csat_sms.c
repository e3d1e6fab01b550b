/*
 * csat_sms - an SMS survey service for the Kannel gateway, built on libcsat.
 *
 * One program, several subcommands (see usage() and README.md):
 *
 *   csat_sms invite --store DIR --survey FILE.json --to NUMBER --contact ID ...
 *       starts a survey for one customer: creates a text session, saves it
 *       in the store and sends the invitation (through Kannel's sendsms
 *       interface with --sendsms, else prints it).
 *   csat_sms reply --store DIR --survey FILE.json --from NUMBER --text MSG ...
 *       run by Kannel's sms-service `exec` for every customer message:
 *       restores the customer's session, feeds the message, saves the
 *       session and sends (or prints) what the library asked to send.
 *   csat_sms expire --store DIR --survey FILE.json [--older-than SECONDS]
 *       the host's timer (cron): ends surveys started longer ago than the
 *       window that are still waiting for a reply, so their results are
 *       stored too.
 *
 * The store is a directory of small files:
 *   <key>.session     the session blob of one number (key: the number's
 *                     digits, "p" in front for a leading '+'), replaced
 *                     atomically (temp file, fsync, rename, fsync of the dir)
 *   <key>.session.corrupt-<ms>   a blob that could not be read, set aside
 *   results.jsonl     one result per line (csat_result_to_jsonl), appended
 *   tasks.jsonl       one review task per line (flagged results)
 *   optouts.txt       one number per line: never surveyed or answered again
 *   .lock             serialises the processes working on the store
 *
 * Unknown numbers and opted-out numbers get no reply at all (answering
 * strangers invites auto-responder loops); a corrupt blob is set aside and
 * its customer gets nothing.
 *
 * All I/O lives here and in the helpers (src/tools/common: files, lock,
 * escaping, options; sms_http.c: sendsms; sms_text.c: SMS codecs); the
 * library only decides. POSIX C99.
 * SPDX-License-Identifier: MIT
 */
#define _POSIX_C_SOURCE 200809L

#include <csat.h>

#include "sms.h"
#include "tool_buf.h"
#include "tool_escape.h"
#include "tool_lock.h"
#include "tool_opts.h"
#include "tool_store.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

/* Exit codes (README.md lists them too). Kannel ignores them; scripts and
 * operators read them. */
#define EXIT_DONE 0       /* handled (the reply may be empty: opted-out number) */
#define EXIT_INTERNAL 1   /* out of memory or an unexpected library error */
#define EXIT_USAGE 2      /* bad command line or number */
#define EXIT_UNKNOWN 3    /* no session for this number: nothing sent */
#define EXIT_CORRUPT 4    /* the session blob was unreadable: set aside, nothing sent */
#define EXIT_STORE 5      /* the store could not be read or written */
#define EXIT_SURVEY 6     /* the survey file is unreadable or does not match the session */
#define EXIT_SUPPRESSED 7 /* invite: the number opted out, nothing sent */
#define EXIT_SEND 8       /* the sendsms request failed */

#define LOCK_WAIT_MS 10000    /* another csat_sms holding the store */
#define HTTP_TIMEOUT_MS 10000 /* one sendsms request, all in */

static const char *prog = "csat_sms";

static void note(const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "%s: ", prog);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

/* ---- command line -------------------------------------------------------- */

typedef struct opts {
  const char *store, *survey, *to, *from, *text, *contact, *agent, *queue, *department;
  const char *lang, *sendsms, *sender, *coding;
  int plain;    /* --plain: --from/--text are not URL-encoded */
  int have_now; /* --now-ms given (tests) */
  int64_t now_ms;
  int64_t older_than; /* expire: seconds */
  char **rest;        /* the message as remaining arguments */
  int nrest;
} opts;

static void usage(FILE *f) {
  fprintf(f,
          "usage:\n"
          "  %s invite --store DIR --survey FILE.json --to NUMBER --contact ID\n"
          "           [--agent ID] [--queue ID] [--department NAME] [--lang TAG]\n"
          "           [--sendsms URL --sender NUMBER]\n"
          "  %s reply  --store DIR --survey FILE.json --from NUMBER [--text MSG | MSG...]\n"
          "           [--coding N] [--plain] [--sendsms URL --sender NUMBER]\n"
          "  %s expire --store DIR --survey FILE.json [--older-than SECONDS]\n"
          "\n"
          "reply reads --from, --sender and the message URL-encoded, as Kannel's exec\n"
          "passes %%p, %%P and %%b ('+' is a space, %%XX a byte); --plain takes them\n"
          "as they are. Every command takes --now-ms MS instead of the clock (tests)\n"
          "and --help. Options are --name VALUE or --name=VALUE.\n"
          "--coding is Kannel's %%c: 2 means the message is UTF-16BE (no mo-recode).\n"
          "--sendsms is the sendsms URL with credentials, e.g.\n"
          "  http://127.0.0.1:13013/cgi-bin/sendsms?username=u&password=p\n"
          "the text is sent as UCS-2 (coding=2, charset=UTF-8) from --sender.\n"
          "Without --sendsms the text is printed on stdout (Kannel sends stdout\n"
          "back as the reply, but as GSM 7-bit: only for Latin-script surveys).\n"
          "exit: 0 done, 1 internal, 2 usage, 3 unknown number, 4 corrupt session\n"
          "(set aside), 5 store error, 6 survey error, 7 opted out, 8 send failed\n",
          prog, prog, prog);
}

/* 0, 1 for --help, -1 said. The options come after the command (argv[1]);
 * the message's words, if any, after them. */
static int parse_args(int argc, char **argv, opts *o) {
  const tool_opt spec[] = {
      {"store", &o->store, NULL, NULL, 0, NULL},
      {"survey", &o->survey, NULL, NULL, 0, NULL},
      {"to", &o->to, NULL, NULL, 0, NULL},
      {"from", &o->from, NULL, NULL, 0, NULL},
      {"text", &o->text, NULL, NULL, 0, NULL},
      {"contact", &o->contact, NULL, NULL, 0, NULL},
      {"agent", &o->agent, NULL, NULL, 0, NULL},
      {"queue", &o->queue, NULL, NULL, 0, NULL},
      {"department", &o->department, NULL, NULL, 0, NULL},
      {"lang", &o->lang, NULL, NULL, 0, NULL},
      {"sendsms", &o->sendsms, NULL, NULL, 0, NULL},
      {"sender", &o->sender, NULL, NULL, 0, NULL},
      {"coding", &o->coding, NULL, NULL, 0, NULL},
      {"plain", NULL, &o->plain, NULL, 0, NULL},
      {"now-ms", NULL, NULL, &o->now_ms, 0, &o->have_now},
      /* In milliseconds it must still fit an int64_t. */
      {"older-than", NULL, NULL, &o->older_than, INT64_MAX / 1000, NULL},
  };
  char err[256];
  int rest = argc, rc;
  memset(o, 0, sizeof *o);
  o->older_than = 24 * 3600;
  rc = tool_opts_parse(spec, sizeof spec / sizeof spec[0], argc, argv, 2, &rest, err, sizeof err);
  if (rc == TOOL_OPTS_ERROR) {
    note("%s", err);
    return -1;
  }
  o->rest = argv + rest;
  o->nrest = argc - rest;
  return rc == TOOL_OPTS_HELP ? 1 : 0;
}

static int64_t now_ms(const opts *o) {
  struct timespec ts;
  if (o->have_now)
    return o->now_ms;
  if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
    return 0;
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- JSON for task records ---------------------------------------------- */

static int json_pairs(tool_buf *b, const char *name, const csat_attr *a, size_t n) {
  size_t i;
  int rc = tool_buf_str(b, ",\"") || tool_buf_str(b, name) || tool_buf_str(b, "\":{");
  for (i = 0; i < n && rc == 0; i++)
    rc = (i > 0 && tool_buf_str(b, ",")) || tool_json_string(b, a[i].key) || tool_buf_str(b, ":") ||
         tool_json_string(b, a[i].value);
  return rc || tool_buf_str(b, "}");
}

/* ---- the host: what the library asks this service to do ------------------- */

typedef struct sms_host {
  const char *store;
  tool_buf out; /* texts to send for this event, joined by '\n' */
  int texts;
} sms_host;

static int host_play(void *user, const csat_prompt *p) {
  sms_host *h = user;
  if (p->text == NULL || p->text[0] == '\0')
    return 0; /* an audio-only prompt has nothing to say by SMS */
  if ((h->texts > 0 && tool_buf_add(&h->out, "\n", 1) != 0) || tool_buf_str(&h->out, p->text) != 0)
    return -1;
  h->texts++;
  return 0;
}

static int host_store(void *user, const csat_result *r) {
  sms_host *h = user;
  size_t needed = 0;
  char *line;
  int rc;
  if (csat_result_to_jsonl(r, NULL, 0, &needed) != CSAT_ERR_BUFFER_TOO_SMALL ||
      (line = malloc(needed + 1)) == NULL)
    return -1;
  rc = csat_result_to_jsonl(r, line, needed + 1, NULL) == CSAT_OK &&
               tool_store_append(h->store, "results.jsonl", line, needed) == 0
           ? 0
           : -1;
  if (rc != 0)
    note("could not store a result in %s/results.jsonl: %s (kept in the session)", h->store,
         strerror(errno));
  free(line);
  return rc;
}

static int host_task(void *user, const csat_task *t) {
  sms_host *h = user;
  tool_buf b = {0};
  int rc = tool_buf_str(&b, "{\"idempotency_key\":") || tool_json_string(&b, t->idempotency_key) ||
           tool_buf_str(&b, ",\"name\":") || tool_json_string(&b, t->name) ||
           tool_buf_str(&b, ",\"description\":") || tool_json_string(&b, t->description) ||
           tool_buf_str(&b, ",\"category\":") || tool_json_string(&b, t->category) ||
           tool_buf_str(&b, ",\"target\":") || tool_json_string(&b, t->target) ||
           tool_buf_str(&b, ",\"previous_contact_id\":") ||
           tool_json_string(&b, t->previous_contact_id) ||
           json_pairs(&b, "references", t->references, t->reference_count) ||
           json_pairs(&b, "attributes", t->attributes, t->attribute_count) ||
           tool_buf_str(&b, "}\n");
  if (rc == 0)
    rc = tool_store_append(h->store, "tasks.jsonl", b.p, b.len);
  if (rc != 0)
    note("could not write a task to %s/tasks.jsonl (kept in the session)", h->store);
  tool_buf_free(&b);
  return rc ? -1 : 0;
}

static int host_opted_out(void *user, const char *address, const char *contact_id) {
  sms_host *h = user;
  tool_buf line = {0};
  int rc;
  (void)contact_id;
  rc = sms_listed(h->store, "optouts.txt", address);
  if (rc == 0)
    rc = tool_buf_str(&line, address) || tool_buf_add(&line, "\n", 1) ||
                 tool_store_append(h->store, "optouts.txt", line.p, line.len)
             ? -1
             : 0;
  tool_buf_free(&line);
  if (rc < 0)
    note("could not add %s to %s/optouts.txt", address, h->store);
  return rc < 0 ? -1 : 0;
}

static void host_init(sms_host *h, csat_host *vt, const char *store) {
  memset(h, 0, sizeof *h);
  h->store = store;
  memset(vt, 0, sizeof *vt);
  vt->struct_size = sizeof *vt;
  vt->user = h;
  vt->play = host_play;
  vt->store = host_store;
  vt->create_task = host_task;
  vt->opted_out = host_opted_out;
}

/* ---- survey and sessions ----------------------------------------------------- */

/* The store's lock (dir/.lock), waiting up to LOCK_WAIT_MS for another
 * csat_sms: its fd, or -1 with errno. */
static int take_lock(const char *store) {
  char path[TOOL_PATH_MAX];
  if (tool_store_path(path, store, ".lock", NULL) != 0)
    return -1;
  return tool_lock_take(path, LOCK_WAIT_MS);
}

/* The same, saying why it failed. */
static int lock_store(const char *store) {
  int fd = take_lock(store);
  if (fd < 0)
    note("cannot lock the store %s: %s", store, strerror(errno));
  return fd;
}

static int load_survey(const char *path, csat_survey **out) {
  tool_buf b = {0};
  csat_error err;
  int rc;
  if (tool_store_read(path, CSAT_JSON_MAX_INPUT, &b) != 0) {
    note("cannot read the survey %s: %s", path, strerror(errno));
    tool_buf_free(&b);
    return EXIT_SURVEY;
  }
  memset(&err, 0, sizeof err);
  err.struct_size = sizeof err;
  rc = csat_survey_from_json(out, b.p, b.len, NULL, &err);
  tool_buf_free(&b);
  if (rc != CSAT_OK) {
    note("%s:%d:%d: %s", path, (int)err.line, (int)err.column,
         err.message[0] ? err.message : csat_strerror(rc));
    return rc == CSAT_ERR_NOMEM ? EXIT_INTERNAL : EXIT_SURVEY;
  }
  return EXIT_DONE;
}

/* Move dir/<key>.session out of the way as <key>.session.<tag>-<ms>. */
static int set_aside(const char *store, const char *key, const char *tag, int64_t now,
                     char *aside) {
  char from[64], to[96];
  snprintf(from, sizeof from, "%s.session", key);
  snprintf(to, sizeof to, "%s.session.%s-%lld", key, tag, (long long)now);
  snprintf(aside, TOOL_PATH_MAX, "%s/%s", store, to);
  return tool_store_rename(store, from, to);
}

/* Restore the session of `key`. EXIT_DONE, EXIT_UNKNOWN (no file),
 * EXIT_CORRUPT (set aside), EXIT_SURVEY (saved for another survey or a newer
 * library: kept), EXIT_STORE, EXIT_INTERNAL. */
static int load_session(const char *store, const char *key, const csat_survey *survey,
                        const csat_host *vt, int64_t now, csat_session **out) {
  char path[TOOL_PATH_MAX], aside[TOOL_PATH_MAX];
  tool_buf blob = {0};
  csat_error err;
  int rc;
  if (tool_store_path(path, store, key, ".session") != 0)
    return EXIT_USAGE;
  if (tool_store_read(path, CSAT_BLOB_MAX, &blob) != 0) {
    int e = errno;
    tool_buf_free(&blob);
    if (e == ENOENT)
      return EXIT_UNKNOWN;
    if (e != EFBIG) {
      note("cannot read %s: %s", path, strerror(e));
      return EXIT_STORE;
    }
    rc = CSAT_ERR_LIMIT; /* bigger than any blob: treat as corrupt */
  } else {
    memset(&err, 0, sizeof err);
    err.struct_size = sizeof err;
    rc = csat_session_restore(out, survey, blob.p, blob.len, vt, NULL, &err);
    tool_buf_free(&blob);
    if (rc == CSAT_OK)
      return EXIT_DONE;
    if (rc == CSAT_ERR_NOMEM)
      return EXIT_INTERNAL;
    if (rc == CSAT_ERR_MISMATCH || rc == CSAT_ERR_BLOB_VERSION) {
      note("%s: %s; the file is kept", path,
           rc == CSAT_ERR_MISMATCH ? "saved for another survey or survey version"
                                   : "saved by a newer library");
      return EXIT_SURVEY;
    }
  }
  if (set_aside(store, key, "corrupt", now, aside) != 0) {
    note("%s is corrupt (%s) and could not be set aside: %s", path, csat_strerror(rc),
         strerror(errno));
    return EXIT_STORE;
  }
  note("%s is corrupt (%s); moved to %s", path, csat_strerror(rc), aside);
  return EXIT_CORRUPT;
}

static int save_session(const char *store, const char *key, const csat_session *s) {
  char name[64];
  size_t needed = 0;
  void *blob;
  int rc;
  if (snprintf(name, sizeof name, "%s.session", key) >= (int)sizeof name)
    return EXIT_USAGE;
  if (csat_session_save(s, NULL, 0, &needed) != CSAT_ERR_BUFFER_TOO_SMALL ||
      (blob = malloc(needed)) == NULL)
    return EXIT_INTERNAL;
  if (csat_session_save(s, blob, needed, NULL) != CSAT_OK) {
    free(blob);
    return EXIT_INTERNAL;
  }
  rc = tool_store_write_atomic(store, name, blob, needed);
  free(blob);
  if (rc != 0) {
    note("cannot save the session %s/%s: %s", store, name, strerror(errno));
    return EXIT_STORE;
  }
  return EXIT_DONE;
}

/* ---- sending: Kannel's sendsms over HTTP/1.0 --------------------------------- */

/* Deliver what the library asked to send: through sendsms, or on stdout
 * (for Kannel's exec without a trailing newline: it would become part of
 * the SMS). */
static int deliver(const opts *o, const char *from, const char *to, const tool_buf *text,
                   int newline) {
  char err[512];
  if (text->len == 0)
    return EXIT_DONE;
  if (o->sendsms == NULL) {
    if (fwrite(text->p, 1, text->len, stdout) != text->len ||
        (newline && fputc('\n', stdout) == EOF) || fflush(stdout) != 0) {
      note("cannot write the reply: %s", strerror(errno));
      return EXIT_SEND;
    }
    return EXIT_DONE;
  }
  if (sms_sendsms(o->sendsms, from, to, text->p, HTTP_TIMEOUT_MS, err, sizeof err) != 0) {
    note("sending to %s failed: %s", to, err);
    return EXIT_SEND;
  }
  return EXIT_DONE;
}

/* ---- subcommands ----------------------------------------------------------- */

static int need(const char *value, const char *name) {
  if (value == NULL || value[0] == '\0') {
    note("--%s is required", name);
    return -1;
  }
  return 0;
}

static int check_sending(const opts *o) {
  if (o->sendsms != NULL && need(o->sender, "sender (with --sendsms)") != 0)
    return -1;
  return 0;
}

static int cmd_invite(const opts *o) {
  char addr[SMS_KEY_MAX], key[SMS_KEY_MAX], path[TOOL_PATH_MAX];
  csat_survey *survey = NULL;
  csat_session *s = NULL;
  csat_contact c;
  csat_host vt;
  sms_host h;
  int64_t now = now_ms(o);
  int lock = -1, ex, rc;
  if (need(o->store, "store") || need(o->survey, "survey") || need(o->to, "to") ||
      need(o->contact, "contact") || check_sending(o))
    return EXIT_USAGE;
  if (sms_number_key(o->to, addr, key) != 0) {
    note("--to %s is not a phone number", o->to);
    return EXIT_USAGE;
  }
  if (mkdir(o->store, 0700) != 0 && errno != EEXIST) {
    note("cannot create the store %s: %s", o->store, strerror(errno));
    return EXIT_STORE;
  }
  if ((ex = load_survey(o->survey, &survey)) != EXIT_DONE)
    return ex;
  host_init(&h, &vt, o->store);
  if ((lock = lock_store(o->store)) < 0) {
    ex = EXIT_STORE;
    goto done;
  }
  if ((rc = sms_listed(o->store, "optouts.txt", addr)) != 0) {
    if (rc > 0)
      note("%s opted out: no invitation sent", addr);
    else
      note("cannot read %s/optouts.txt: %s", o->store, strerror(errno));
    ex = rc > 0 ? EXIT_SUPPRESSED : EXIT_STORE;
    goto done;
  }
  /* A survey still running for this number ends as expired (its answers
   * are kept and stored) before the new one replaces it. */
  ex = load_session(o->store, key, survey, &vt, now, &s);
  if (ex == EXIT_DONE) {
    if (!csat_session_ended(s)) {
      note("%s: the unfinished survey of contact %s ends as expired", addr,
           csat_result_contact(csat_session_result(s))->contact_id);
      csat_session_expire(s, now);
    }
    if (csat_session_pending(s) != 0) {
      /* Its result could not be stored: keep it rather than replace it. */
      note("%s: the previous survey's result could not be stored; no new invitation", addr);
      save_session(o->store, key, s);
      ex = EXIT_STORE;
      goto done;
    }
    csat_session_free(s);
    s = NULL;
  } else if (ex == EXIT_SURVEY) {
    /* Saved for an earlier version of the survey: this file cannot answer
     * its customer any more; keep it for inspection and start afresh. */
    if (set_aside(o->store, key, "stale", now, path) != 0) {
      note("cannot set the old session aside: %s", strerror(errno));
      ex = EXIT_STORE;
      goto done;
    }
    note("%s: a session of another survey version moved to %s", addr, path);
  } else if (ex != EXIT_UNKNOWN && ex != EXIT_CORRUPT) {
    goto done;
  }
  tool_buf_free(&h.out);
  h.texts = 0;

  memset(&c, 0, sizeof c);
  c.struct_size = sizeof c;
  c.contact_id = o->contact;
  c.agent_id = o->agent;
  c.queue_id = o->queue;
  c.department = o->department;
  c.channel = CSAT_CHANNEL_SMS;
  c.language = o->lang;
  c.customer_address = addr;
  c.ended_ms = now;
  if ((rc = csat_session_new(&s, survey, &c, &vt, NULL)) != CSAT_OK) {
    note("cannot create the session: %s", csat_strerror(rc));
    ex = rc == CSAT_ERR_NOMEM ? EXIT_INTERNAL : EXIT_USAGE;
    goto done;
  }
  rc = csat_session_start(s, now);
  if (rc != CSAT_OK && rc != CSAT_ERR_CALLBACK) {
    note("cannot start the survey: %s (%s)", csat_strerror(rc), csat_session_errmsg(s));
    ex = EXIT_INTERNAL;
    goto done;
  }
  if ((ex = save_session(o->store, key, s)) != EXIT_DONE)
    goto done;
  tool_lock_release(lock);
  lock = -1;
  if (h.out.len == 0)
    note("%s: the survey has no invitation text to send", addr);
  if ((ex = deliver(o, o->sender, addr, &h.out, 1)) != EXIT_DONE) {
    /* The customer never saw the invitation: forget the session. */
    if ((lock = take_lock(o->store)) >= 0 &&
        tool_store_path(path, o->store, key, ".session") == 0 && unlink(path) == 0)
      tool_store_fsync_dir(o->store);
  }
done:
  if (lock >= 0)
    tool_lock_release(lock);
  csat_session_free(s);
  csat_survey_free(survey);
  tool_buf_free(&h.out);
  return ex;
}

/* The customer's message from --text or the remaining arguments, decoded
 * and cleaned into what the library accepts. */
static int message_text(const opts *o, tool_buf *msg) {
  tool_buf raw = {0}, utf8 = {0};
  int i, rc = tool_buf_add(&raw, "", 0);
  if (o->text != NULL) {
    rc = rc || tool_buf_str(&raw, o->text);
  } else {
    for (i = 0; i < o->nrest && rc == 0; i++)
      rc = (i > 0 && tool_buf_add(&raw, o->plain ? " " : "+", 1)) || tool_buf_str(&raw, o->rest[i]);
  }
  if (rc == 0 && !o->plain)
    raw.len = tool_url_decode(raw.p, 1);
  if (rc == 0 && o->coding != NULL && strcmp(o->coding, "2") == 0) {
    rc = sms_utf16be_to_utf8((const unsigned char *)raw.p, raw.len, &utf8);
    tool_buf_free(&raw);
    raw = utf8;
  }
  rc = rc || sms_clean_text(raw.p, raw.len, CSAT_TEXT_MAX, msg);
  tool_buf_free(&raw);
  return rc ? -1 : 0;
}

/* A copy of a phone number from Kannel (%p, %P), URL-decoded unless
 * --plain; a literal '+' stays a plus. */
static char *decoded_number(const opts *o, const char *value) {
  char *s;
  if (value == NULL || (s = malloc(strlen(value) + 1)) == NULL)
    return NULL;
  strcpy(s, value);
  if (!o->plain)
    tool_url_decode(s, 0);
  return s;
}

static int cmd_reply(const opts *o) {
  char addr[SMS_KEY_MAX], key[SMS_KEY_MAX];
  char *from = NULL, *sender = NULL;
  tool_buf msg = {0};
  csat_survey *survey = NULL;
  csat_session *s = NULL;
  csat_host vt;
  sms_host h;
  int64_t now = now_ms(o);
  int lock = -1, ex, rc;
  host_init(&h, &vt, o->store);
  if (need(o->store, "store") || need(o->survey, "survey") || need(o->from, "from") ||
      check_sending(o))
    return EXIT_USAGE;
  from = decoded_number(o, o->from);
  sender = decoded_number(o, o->sender);
  if (from == NULL || (o->sender != NULL && sender == NULL) || message_text(o, &msg) != 0) {
    ex = EXIT_INTERNAL;
    goto done;
  }
  if (sms_number_key(from, addr, key) != 0) {
    note("--from %s is not a phone number", o->from);
    ex = EXIT_USAGE;
    goto done;
  }
  if ((ex = load_survey(o->survey, &survey)) != EXIT_DONE)
    goto done;
  if ((lock = lock_store(o->store)) < 0) {
    ex = EXIT_STORE;
    goto done;
  }
  /* An opted-out number gets nothing, whatever it sends. */
  if ((rc = sms_listed(o->store, "optouts.txt", addr)) != 0) {
    if (rc > 0)
      note("%s opted out: message ignored", addr);
    ex = rc > 0 ? EXIT_DONE : EXIT_STORE;
    goto done;
  }
  /* Unknown numbers get nothing either: answering strangers invites
   * auto-responder loops and costs money. */
  if ((ex = load_session(o->store, key, survey, &vt, now, &s)) != EXIT_DONE) {
    if (ex == EXIT_UNKNOWN)
      note("%s has no survey: message ignored", addr);
    goto done;
  }
  if (csat_session_pending(s) != 0 && csat_session_flush(s, now) != CSAT_OK)
    note("%s: earlier work is still pending", addr);
  rc = csat_session_text(s, msg.p, msg.len, now);
  if (rc != CSAT_OK)
    note("%s: %s (%s)", addr, csat_strerror(rc), csat_session_errmsg(s));
  if (rc != CSAT_OK && rc != CSAT_ERR_CALLBACK && rc != CSAT_ERR_NOMEM) {
    /* Nothing changed; whatever was asked to be sent is not sent. */
    ex = rc == CSAT_ERR_STATE ? EXIT_DONE : EXIT_INTERNAL;
    goto done;
  }
  if ((ex = save_session(o->store, key, s)) != EXIT_DONE)
    goto done; /* not sending a reply for a state that was not kept */
  tool_lock_release(lock);
  lock = -1;
  ex = deliver(o, sender, addr, &h.out, 0);
done:
  if (lock >= 0)
    tool_lock_release(lock);
  csat_session_free(s);
  csat_survey_free(survey);
  tool_buf_free(&h.out);
  tool_buf_free(&msg);
  free(from);
  free(sender);
  return ex;
}

static int cmd_expire(const opts *o) {
  csat_survey *survey = NULL;
  csat_host vt;
  sms_host h;
  DIR *d = NULL;
  struct dirent *e;
  int64_t now = now_ms(o);
  int lock = -1, ex, worst = EXIT_DONE, ended = 0;
  if (need(o->store, "store") || need(o->survey, "survey"))
    return EXIT_USAGE;
  if ((ex = load_survey(o->survey, &survey)) != EXIT_DONE)
    return ex;
  host_init(&h, &vt, o->store);
  if ((lock = take_lock(o->store)) < 0 || (d = opendir(o->store)) == NULL) {
    note("cannot open the store %s: %s", o->store, strerror(errno));
    worst = EXIT_STORE;
    goto done;
  }
  while ((e = readdir(d)) != NULL) {
    char key[SMS_KEY_MAX];
    size_t n = strlen(e->d_name);
    csat_session *s = NULL;
    int64_t started;
    if (n <= 8 || n - 8 > SMS_MAX_DIGITS + 1 || strcmp(e->d_name + n - 8, ".session") != 0)
      continue;
    memcpy(key, e->d_name, n - 8);
    key[n - 8] = '\0';
    ex = load_session(o->store, key, survey, &vt, now, &s);
    if (ex != EXIT_DONE) {
      worst = worst == EXIT_DONE ? ex : worst;
      continue;
    }
    started = csat_result_started_ms(csat_session_result(s));
    if (!csat_session_ended(s) && now - started >= o->older_than * 1000) {
      csat_session_expire(s, now);
      if ((ex = save_session(o->store, key, s)) != EXIT_DONE)
        worst = ex;
      else
        ended++;
    } else if (csat_session_pending(s) != 0) {
      /* A result (or opt-out) the store refused earlier: try again. */
      if (csat_session_flush(s, now) != CSAT_OK)
        worst = EXIT_STORE;
      if ((ex = save_session(o->store, key, s)) != EXIT_DONE)
        worst = ex;
    }
    csat_session_free(s);
  }
  note("%d survey(s) ended as expired", ended);
done:
  if (d != NULL)
    closedir(d);
  if (lock >= 0)
    tool_lock_release(lock);
  csat_survey_free(survey);
  tool_buf_free(&h.out);
  return worst;
}

int main(int argc, char **argv) {
  opts o;
  struct sigaction sa;
  /* A peer closing the HTTP connection must be an error, not a signal. */
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &sa, NULL);
  if (argc < 2 || strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0) {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? EXIT_USAGE : EXIT_DONE;
  }
  switch (parse_args(argc, argv, &o)) {
  case 0: break;
  case 1: usage(stdout); return EXIT_DONE;
  default: usage(stderr); return EXIT_USAGE;
  }
  if (strcmp(argv[1], "invite") == 0)
    return cmd_invite(&o);
  if (strcmp(argv[1], "reply") == 0)
    return cmd_reply(&o);
  if (strcmp(argv[1], "expire") == 0)
    return cmd_expire(&o);
  note("unknown command '%s'", argv[1]);
  usage(stderr);
  return EXIT_USAGE;
}
