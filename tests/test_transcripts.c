/*
 * Golden transcripts for voice and text sessions: every *.txt file in
 * tests/transcripts is a script of host events paired with the exact host
 * actions the contract in csat.h ("How a voice session behaves", "How a text
 * session behaves") asks for. The format is described in
 * tests/transcripts/README.md.
 *
 * Each transcript is replayed in three modes:
 *   1 (whole)     one session receives every event;
 *   2 (stepwise)  the session is saved, freed and restored before every event
 *                 (so between every two); the actions must be the same;
 *   3 (roundtrip) one session receives every event; after each event it is
 *                 saved, restored and saved again: both blobs must be equal
 *                 and the restored session must report the same state.
 * In every mode restoring must not call the host.
 *
 * Usage: test_transcripts [--mode 1|2|3] [-v] [file.txt ...]
 * Without files it reads every *.txt in ./transcripts (ctest runs it from
 * tests/). Without --mode it runs all three modes.
 *
 * Uses only the public API (it links the shared library) and POSIX opendir.
 */
#define _POSIX_C_SOURCE 200809L

#include "csat.h"
#include "record_host.h"
#include "textbuf.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Small utilities                                                          */
/* ------------------------------------------------------------------------ */

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) {
    fprintf(stderr, "test_transcripts: out of memory\n");
    exit(2);
  }
  return p;
}

static char *xstrdup(const char *s) {
  size_t n = strlen(s);
  char *p = xmalloc(n + 1);
  memcpy(p, s, n + 1);
  return p;
}

typedef struct strlist {
  char **v;
  int *line; /* source line of each entry (expected lines), 0 otherwise */
  size_t n, cap;
} strlist;

static void sl_push(strlist *l, const char *s, int line) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 8;
    char **v = xmalloc(cap * sizeof *v);
    int *ln = xmalloc(cap * sizeof *ln);
    if (l->n) {
      memcpy(v, l->v, l->n * sizeof *v);
      memcpy(ln, l->line, l->n * sizeof *ln);
    }
    free(l->v);
    free(l->line);
    l->v = v;
    l->line = ln;
    l->cap = cap;
  }
  l->v[l->n] = xstrdup(s);
  l->line[l->n] = line;
  l->n++;
}

static void sl_clear(strlist *l) {
  size_t i;
  for (i = 0; i < l->n; i++)
    free(l->v[i]);
  l->n = 0;
}

static void sl_free(strlist *l) {
  sl_clear(l);
  free(l->v);
  free(l->line);
  l->v = NULL;
  l->line = NULL;
  l->cap = 0;
}

/* A string in double quotes: \" \\ \n \t and \xHH for other control bytes;
 * UTF-8 passes through. NULL is written as null. */
static void sb_quoted(textbuf *b, const char *s) {
  if (!s) {
    tb_str(b, "null");
    return;
  }
  tb_str(b, "\"");
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"')
      tb_str(b, "\\\"");
    else if (c == '\\')
      tb_str(b, "\\\\");
    else if (c == '\n')
      tb_str(b, "\\n");
    else if (c == '\t')
      tb_str(b, "\\t");
    else if (c < 0x20 || c == 0x7f)
      tb_printf(b, "\\x%02X", (unsigned)c);
    else
      tb_add(b, s, 1);
  }
  tb_str(b, "\"");
}

/* Parse a signed decimal integer that fills the whole string. */
static int parse_i64(const char *s, int64_t *out) {
  int neg = 0;
  int64_t v = 0;
  if (*s == '-') {
    neg = 1;
    s++;
  }
  if (!*s)
    return 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9')
      return 0;
    if (v > (INT64_MAX - 9) / 10)
      return 0;
    v = v * 10 + (*s - '0');
  }
  *out = neg ? -v : v;
  return 1;
}

static char *trim(char *s) {
  char *e;
  while (*s == ' ' || *s == '\t')
    s++;
  e = s + strlen(s);
  while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
    e--;
  *e = '\0';
  return s;
}

/* Glob match where the token "<*>" in the pattern matches any text. */
static int glob_match(const char *pat, const char *s) {
  while (*pat) {
    if (strncmp(pat, "<*>", 3) == 0) {
      const char *rest = pat + 3;
      for (;; s++) {
        if (glob_match(rest, s))
          return 1;
        if (!*s)
          return 0;
      }
    }
    if (*pat != *s)
      return 0;
    pat++;
    s++;
  }
  return *s == '\0';
}

/* ------------------------------------------------------------------------ */
/* Names                                                                    */
/* ------------------------------------------------------------------------ */

static const char *prompt_kind_name(int32_t k) {
  static const char *const names[] = {
      "?",          "intro",        "outro",   "question",         "invalid_input",
      "no_input",   "max_attempts", "thanks",  "already_answered", "opt_in_offer",
      "escalation", "invitation",   "opt_out", "expired"};
  if (k < 1 || k > 13)
    return "?";
  return names[k];
}

static const char *outcome_name(int32_t o) {
  static const char *const names[] = {
      "none",      "completed",          "partial",   "abandoned", "declined",
      "timed_out", "attempts_exhausted", "opted_out", "expired",   "already_answered"};
  if (o < 0 || o > 9)
    return "?";
  return names[o];
}

static const char *status_name(int32_t s) {
  static const char *const names[] = {"not_asked", "answered",  "no_input",
                                      "invalid",   "condition", "not_applicable"};
  if (s < 0 || s > 5)
    return "?";
  return names[s];
}

static const char *escalation_name(int32_t e) {
  static const char *const names[] = {"none", "offered", "transfer", "callback"};
  if (e < 0 || e > 3)
    return "?";
  return names[e];
}

static const char *rc_name(int rc) {
  switch (rc) {
  case CSAT_OK: return "OK";
  case CSAT_ERR_INVALID_ARG: return "INVALID_ARG";
  case CSAT_ERR_NOMEM: return "NOMEM";
  case CSAT_ERR_BUFFER_TOO_SMALL: return "BUFFER_TOO_SMALL";
  case CSAT_ERR_PARSE: return "PARSE";
  case CSAT_ERR_INVALID_SURVEY: return "INVALID_SURVEY";
  case CSAT_ERR_LIMIT: return "LIMIT";
  case CSAT_ERR_STATE: return "STATE";
  case CSAT_ERR_BLOB: return "BLOB";
  case CSAT_ERR_BLOB_VERSION: return "BLOB_VERSION";
  case CSAT_ERR_MISMATCH: return "MISMATCH";
  case CSAT_ERR_CALLBACK: return "CALLBACK";
  case CSAT_ERR_NOT_FOUND: return "NOT_FOUND";
  case CSAT_ERR_UTF8: return "UTF8";
  case CSAT_ERR_UNSUPPORTED: return "UNSUPPORTED";
  default: return "?";
  }
}

/* Host callbacks, for fault settings and "without". */
static int cb_index(const char *name) {
  int i;
  for (i = 0; i < CB_COUNT; i++)
    if (strcmp(th_cb_names[i], name) == 0)
      return i;
  return -1;
}

/* ------------------------------------------------------------------------ */
/* The result summary line (from the accessors, independent of JSONL)      */
/* ------------------------------------------------------------------------ */

static void summarise_result(textbuf *b, const csat_result *r) {
  int32_t i, n;
  int text;
  if (!r) {
    tb_str(b, "(no result)");
    return;
  }
  text = csat_result_contact(r)->channel != CSAT_CHANNEL_VOICE;
  n = csat_result_answer_count(r);
  tb_printf(b, "outcome=%s flagged=%d escalation=%s", outcome_name(csat_result_outcome(r)),
            csat_result_flagged(r) ? 1 : 0, escalation_name(csat_result_escalation(r)));
  for (i = 0; i < n; i++) {
    csat_answer a;
    int rc;
    memset(&a, 0, sizeof a);
    a.struct_size = sizeof a;
    rc = csat_result_answer(r, i, &a);
    if (rc != CSAT_OK) {
      tb_printf(b, " #%d=error(%s)", (int)i, rc_name(rc));
      continue;
    }
    tb_printf(b, " %s=", a.question_id ? a.question_id : "(null)");
    if (a.score < 0)
      tb_str(b, "-");
    else
      tb_printf(b, "%d", (int)a.score);
    tb_printf(b, "/%s/%d", status_name(a.status), (int)a.attempts);
    if (a.flagged)
      tb_str(b, "/flagged");
    if (a.comment && a.comment[0]) {
      tb_str(b, "/");
      sb_quoted(b, a.comment);
    }
    /* Raw input is part of the text contract (the message's first bytes). */
    if (text && a.raw && a.raw[0]) {
      tb_str(b, "/raw=");
      sb_quoted(b, a.raw);
    }
  }
}

/* ------------------------------------------------------------------------ */
/* The recording host                                                       */
/* ------------------------------------------------------------------------ */

/* What a run records beside the test kit's host (th.ctx points here): the
 * action lines of the current event and the first task key. */
typedef struct rec_host {
  strlist out;        /* action lines of the current event */
  char task_key[512]; /* idempotency key of the first task of the run */
  int task_key_set;
  int task_key_changed;
  textbuf line;
} rec_host;

static void rec_emit(rec_host *h) {
  sl_push(&h->out, h->line.p ? h->line.p : "", 0);
  tb_reset(&h->line);
}

static void sb_attrs(textbuf *b, const csat_attr *a, size_t n, int with_values) {
  size_t i;
  tb_str(b, "[");
  for (i = 0; i < n; i++) {
    if (i)
      tb_str(b, ",");
    tb_str(b, a[i].key ? a[i].key : "(null)");
    if (with_values) {
      tb_str(b, "=");
      tb_str(b, a[i].value ? a[i].value : "(null)");
    }
  }
  tb_str(b, "]");
}

/* th's on_call hook: one action line per callback (already_surveyed, whose
 * answer the transcript sets, writes none); th decides what it returns. */
static int rec_on_call(th *host, int cb, const th_call *call, int rc) {
  rec_host *h = host->ctx;
  switch (cb) {
  case CB_PLAY: {
    const csat_prompt *p = call->prompt;
    tb_printf(&h->line, "play %s", prompt_kind_name(p->kind));
    if (p->kind == CSAT_PROMPT_QUESTION)
      tb_printf(&h->line, " q=%d", (int)p->question);
    tb_printf(&h->line, " %s", p->language ? p->language : "(null)");
    if (p->text) {
      tb_str(&h->line, " ");
      sb_quoted(&h->line, p->text);
    }
    if (p->audio)
      tb_printf(&h->line, " audio=%s", p->audio);
    rec_emit(h);
    break;
  }
  case CB_COLLECT: {
    const csat_collect *c = call->collect;
    tb_printf(&h->line, "collect q=%d digits=%d..%d term=", (int)c->question, (int)c->min_digits,
              (int)c->max_digits);
    if (c->terminator == 0)
      tb_str(&h->line, "none");
    else if (c->terminator > 32 && c->terminator < 127)
      tb_printf(&h->line, "%c", (char)c->terminator);
    else
      tb_printf(&h->line, "%d", (int)c->terminator);
    tb_printf(&h->line, " timeouts=%d/%d", (int)c->first_digit_timeout_ms,
              (int)c->inter_digit_timeout_ms);
    rec_emit(h);
    break;
  }
  case CB_RECORD: {
    const csat_record *r = call->record;
    tb_printf(&h->line, "record q=%d max=%d silence=%d", (int)r->question, (int)r->max_duration_ms,
              (int)r->silence_timeout_ms);
    rec_emit(h);
    break;
  }
  case CB_TRANSFER: {
    const char *target = call->target;
    tb_printf(&h->line, "transfer %s", target ? target : "(null)");
    rec_emit(h);
    break;
  }
  case CB_CALLBACK: {
    const char *address = call->address, *contact_id = call->contact_id;
    tb_printf(&h->line, "callback %s %s", address ? address : "(null)",
              contact_id ? contact_id : "(null)");
    rec_emit(h);
    break;
  }
  case CB_STORE: {
    const csat_result *r = call->result;
    tb_str(&h->line, "store ");
    summarise_result(&h->line, r);
    rec_emit(h);
    break;
  }
  case CB_TASK: {
    const csat_task *t = call->task;
    const char *key = t->idempotency_key ? t->idempotency_key : "";
    tb_str(&h->line, "task name=");
    sb_quoted(&h->line, t->name);
    tb_str(&h->line, " desc=");
    sb_quoted(&h->line, t->description);
    tb_str(&h->line, " category=");
    sb_quoted(&h->line, t->category);
    tb_str(&h->line, " target=");
    sb_quoted(&h->line, t->target);
    tb_printf(&h->line,
              " prev=%s key=%s refs=", t->previous_contact_id ? t->previous_contact_id : "(null)",
              key);
    sb_attrs(&h->line, t->references, t->reference_count, 0);
    tb_str(&h->line, " attrs=");
    sb_attrs(&h->line, t->attributes, t->attribute_count, 1);
    rec_emit(h);
    /* A retried task must carry the same key; an empty key is no key. */
    if (!h->task_key_set) {
      size_t n = strlen(key);
      if (n >= sizeof h->task_key)
        n = sizeof h->task_key - 1;
      memcpy(h->task_key, key, n);
      h->task_key[n] = '\0';
      h->task_key_set = 1;
      if (!key[0])
        h->task_key_changed = 1;
    } else if (strncmp(h->task_key, key, sizeof h->task_key - 1) != 0) {
      h->task_key_changed = 1;
    }
    break;
  }
  case CB_ENDED: {
    int32_t outcome = call->outcome;
    tb_printf(&h->line, "ended %s", outcome_name(outcome));
    rec_emit(h);
    break;
  }
  case CB_OPTED_OUT: {
    const char *address = call->address, *contact_id = call->contact_id;
    tb_printf(&h->line, "opted_out %s %s", address ? address : "(null)",
              contact_id ? contact_id : "(null)");
    rec_emit(h);
    break;
  }
  default: break;
  }
  return rc;
}

/* ------------------------------------------------------------------------ */
/* Transcript files                                                         */
/* ------------------------------------------------------------------------ */

typedef struct event {
  int line;       /* line of the '>' in the file */
  char *text;     /* the event line without '>' (for messages) */
  char *name;     /* start, input, ... */
  char *arg;      /* argument or NULL */
  int64_t t;      /* @time */
  strlist expect; /* expected lines without the "< " / "= " marker kept */
} event;

typedef struct transcript {
  char *path;
  char *survey_path;
  char *contact_id, *agent_id, *queue_id, *department, *language, *address;
  int32_t channel;
  int64_t started_ms, ended_ms, wait_ms, talk_ms;
  csat_attr attrs[40];
  size_t attr_count;
  int fail_first[CB_COUNT];
  int without[CB_COUNT];
  int already_value;
  event *events;
  size_t event_count;
} transcript;

static void transcript_free(transcript *t) {
  size_t i;
  free(t->path);
  free(t->survey_path);
  free(t->contact_id);
  free(t->agent_id);
  free(t->queue_id);
  free(t->department);
  free(t->language);
  free(t->address);
  for (i = 0; i < t->attr_count; i++) {
    free((char *)t->attrs[i].key);
    free((char *)t->attrs[i].value);
  }
  for (i = 0; i < t->event_count; i++) {
    free(t->events[i].text);
    free(t->events[i].name);
    free(t->events[i].arg);
    sl_free(&t->events[i].expect);
  }
  free(t->events);
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf;
  size_t cap = 4096, n = 0;
  if (!f)
    return NULL;
  buf = xmalloc(cap);
  for (;;) {
    size_t got;
    if (n + 1 >= cap) {
      char *nb = xmalloc(cap * 2);
      memcpy(nb, buf, n);
      free(buf);
      buf = nb;
      cap *= 2;
    }
    got = fread(buf + n, 1, cap - n - 1, f);
    if (got == 0)
      break;
    n += got;
  }
  fclose(f);
  buf[n] = '\0';
  if (len)
    *len = n;
  return buf;
}

static int parse_error(const char *path, int line, const char *msg, const char *what) {
  fprintf(stderr, "%s:%d: %s%s%s\n", path, line, msg, what ? ": " : "", what ? what : "");
  return 0;
}

/* The survey path is relative to the transcript's directory. */
static char *resolve_path(const char *base, const char *rel) {
  const char *slash = strrchr(base, '/');
  size_t dl;
  char *p;
  if (rel[0] == '/' || !slash)
    return xstrdup(rel);
  dl = (size_t)(slash - base) + 1;
  p = xmalloc(dl + strlen(rel) + 1);
  memcpy(p, base, dl);
  strcpy(p + dl, rel);
  return p;
}

static int parse_header(transcript *t, char *s, int lineno) {
  char *key = s, *val;
  while (*s && *s != ' ' && *s != '\t')
    s++;
  if (*s)
    *s++ = '\0';
  val = trim(s);
  if (strcmp(key, "survey") == 0) {
    free(t->survey_path);
    t->survey_path = resolve_path(t->path, val);
  } else if (strcmp(key, "contact_id") == 0) {
    free(t->contact_id);
    t->contact_id = xstrdup(val);
  } else if (strcmp(key, "agent_id") == 0) {
    free(t->agent_id);
    t->agent_id = xstrdup(val);
  } else if (strcmp(key, "queue_id") == 0) {
    free(t->queue_id);
    t->queue_id = xstrdup(val);
  } else if (strcmp(key, "department") == 0) {
    free(t->department);
    t->department = xstrdup(val);
  } else if (strcmp(key, "language") == 0) {
    free(t->language);
    t->language = strcmp(val, "-") == 0 ? NULL : xstrdup(val);
  } else if (strcmp(key, "address") == 0) {
    free(t->address);
    t->address = xstrdup(val);
  } else if (strcmp(key, "channel") == 0) {
    if (strcmp(val, "voice") == 0)
      t->channel = CSAT_CHANNEL_VOICE;
    else if (strcmp(val, "sms") == 0)
      t->channel = CSAT_CHANNEL_SMS;
    else if (strcmp(val, "chat") == 0)
      t->channel = CSAT_CHANNEL_CHAT;
    else
      return parse_error(t->path, lineno, "unknown channel", val);
  } else if (strcmp(key, "started_ms") == 0 || strcmp(key, "ended_ms") == 0 ||
             strcmp(key, "wait_ms") == 0 || strcmp(key, "talk_ms") == 0) {
    int64_t v;
    if (!parse_i64(val, &v))
      return parse_error(t->path, lineno, "bad number", val);
    if (key[0] == 's')
      t->started_ms = v;
    else if (key[0] == 'e')
      t->ended_ms = v;
    else if (key[0] == 'w')
      t->wait_ms = v;
    else
      t->talk_ms = v;
  } else if (strcmp(key, "attr") == 0) {
    char *eq = strchr(val, '=');
    if (!eq)
      return parse_error(t->path, lineno, "attr needs KEY=VALUE", val);
    if (t->attr_count >= sizeof t->attrs / sizeof t->attrs[0])
      return parse_error(t->path, lineno, "too many attrs", NULL);
    *eq = '\0';
    t->attrs[t->attr_count].key = xstrdup(val);
    t->attrs[t->attr_count].value = xstrdup(eq + 1);
    t->attr_count++;
  } else if (strcmp(key, "without") == 0) {
    int cb = cb_index(val);
    if (cb < 0)
      return parse_error(t->path, lineno, "unknown callback", val);
    t->without[cb] = 1;
  } else if (strcmp(key, "already_surveyed") == 0 && strncmp(val, "fails", 5) != 0) {
    int64_t v;
    if (!parse_i64(val, &v))
      return parse_error(t->path, lineno, "bad number", val);
    t->already_value = (int)v;
  } else {
    /* "<callback> fails N": the callback's first N calls fail. */
    int cb = cb_index(key);
    int64_t v;
    if (cb < 0 || strncmp(val, "fails", 5) != 0 || !parse_i64(trim(val + 5), &v) || v < 0)
      return parse_error(t->path, lineno, "unknown header line", key);
    t->fail_first[cb] = (int)v;
  }
  return 1;
}

static int parse_event(transcript *t, char *s, int lineno) {
  event *e;
  char *at, *name, *arg;
  int64_t v;
  s = trim(s);
  at = strrchr(s, '@');
  if (!at || (at > s && at[-1] != ' ' && at[-1] != '\t') || !parse_i64(at + 1, &v))
    return parse_error(t->path, lineno, "event needs a trailing @time", s);
  {
    event *ne = xmalloc((t->event_count + 1) * sizeof *ne);
    if (t->event_count)
      memcpy(ne, t->events, t->event_count * sizeof *ne);
    free(t->events);
    t->events = ne;
  }
  e = &t->events[t->event_count++];
  memset(e, 0, sizeof *e);
  e->line = lineno;
  e->text = xstrdup(s);
  e->t = v;
  *at = '\0';
  name = trim(s);
  arg = name;
  while (*arg && *arg != ' ' && *arg != '\t')
    arg++;
  if (*arg)
    *arg++ = '\0';
  arg = trim(arg);
  e->name = xstrdup(name);
  if (*arg)
    e->arg = xstrdup(strcmp(arg, "\"\"") == 0 ? "" : arg);
  return 1;
}

static int transcript_load(transcript *t, const char *path) {
  size_t len;
  char *text = read_file(path, &len), *p;
  int lineno = 0, ok = 1;
  memset(t, 0, sizeof *t);
  t->path = xstrdup(path);
  t->channel = CSAT_CHANNEL_VOICE;
  if (!text) {
    fprintf(stderr, "%s: cannot read\n", path);
    return 0;
  }
  if (strlen(text) != len) {
    free(text);
    return parse_error(path, 1, "NUL byte in transcript", NULL);
  }
  p = text;
  while (ok && *p) {
    char *nl = strchr(p, '\n'), *s;
    if (nl)
      *nl = '\0';
    lineno++;
    s = trim(p);
    if (*s == '\0' || *s == '#') {
      /* blank or comment */
    } else if (*s == '>') {
      ok = parse_event(t, s + 1, lineno);
    } else if ((*s == '<' || *s == '=') && (s[1] == ' ' || s[1] == '\0')) {
      if (!t->event_count)
        ok = parse_error(path, lineno, "expected line before any event", s);
      else
        sl_push(&t->events[t->event_count - 1].expect, s, lineno);
    } else if (t->event_count) {
      ok = parse_error(path, lineno, "header line after the first event", s);
    } else {
      ok = parse_header(t, s, lineno);
    }
    if (!nl)
      break;
    p = nl + 1;
  }
  free(text);
  if (ok && !t->survey_path)
    ok = parse_error(path, 1, "no survey line", NULL);
  if (ok && !t->event_count)
    ok = parse_error(path, 1, "no events", NULL);
  return ok;
}

/* ------------------------------------------------------------------------ */
/* Running                                                                  */
/* ------------------------------------------------------------------------ */

typedef struct run_ctx {
  const transcript *t;
  const csat_survey *survey;
  csat_host host;
  csat_contact contact;
  th host_state; /* the test kit's recording host */
  rec_host rec;
  int mode;
  int verbose;
  strlist all_actual; /* every line of the run, for comparing modes */
} run_ctx;

static void setup_host(run_ctx *c) {
  const transcript *t = c->t;
  int i;
  memset(&c->host_state, 0, sizeof c->host_state);
  for (i = 0; i < CB_COUNT; i++)
    if (t->without[i])
      c->host_state.omit |= 1u << i;
  memcpy(c->host_state.fail, t->fail_first, sizeof c->host_state.fail);
  c->host_state.already = t->already_value;
  c->host_state.on_call = rec_on_call;
  c->host_state.ctx = &c->rec;
  kit_host(&c->host, &c->host_state);

  memset(&c->contact, 0, sizeof c->contact);
  c->contact.struct_size = sizeof c->contact;
  c->contact.contact_id = t->contact_id ? t->contact_id : "C-1";
  c->contact.agent_id = t->agent_id;
  c->contact.queue_id = t->queue_id;
  c->contact.department = t->department;
  c->contact.channel = t->channel;
  c->contact.language = t->language;
  c->contact.customer_address = t->address;
  c->contact.started_ms = t->started_ms;
  c->contact.ended_ms = t->ended_ms;
  c->contact.wait_ms = t->wait_ms;
  c->contact.talk_ms = t->talk_ms;
  c->contact.attrs = t->attr_count ? t->attrs : NULL;
  c->contact.attr_count = t->attr_count;
}

/* Save a session into a new buffer. Returns NULL (and prints) on failure. */
static unsigned char *save_blob(const run_ctx *c, const csat_session *s, size_t *len,
                                const event *e) {
  size_t need = 0;
  unsigned char *buf;
  int rc = csat_session_save(s, NULL, 0, &need);
  if (rc != CSAT_OK && rc != CSAT_ERR_BUFFER_TOO_SMALL) {
    fprintf(stderr, "%s:%d: [mode %d] csat_session_save(size) failed: %s (%s)\n", c->t->path,
            e->line, c->mode, rc_name(rc), csat_session_errmsg(s));
    return NULL;
  }
  buf = xmalloc(need);
  rc = csat_session_save(s, buf, need, len);
  if (rc != CSAT_OK || *len != need) {
    fprintf(stderr, "%s:%d: [mode %d] csat_session_save failed: %s (%s), %zu vs %zu bytes\n",
            c->t->path, e->line, c->mode, rc_name(rc), csat_session_errmsg(s), *len, need);
    free(buf);
    return NULL;
  }
  return buf;
}

static csat_session *restore_blob(run_ctx *c, const unsigned char *blob, size_t len,
                                  const event *e) {
  csat_session *r = NULL;
  csat_error err;
  int rc, before = c->host_state.calls_in_restore;
  memset(&err, 0, sizeof err);
  err.struct_size = sizeof err;
  c->host_state.in_restore = 1;
  rc = csat_session_restore(&r, c->survey, blob, len, &c->host, NULL, &err);
  c->host_state.in_restore = 0;
  if (rc != CSAT_OK || !r) {
    fprintf(stderr, "%s:%d: [mode %d] csat_session_restore failed: %s: %s\n", c->t->path, e->line,
            c->mode, rc_name(rc), err.message);
    csat_session_free(r);
    return NULL;
  }
  if (c->host_state.calls_in_restore != before) {
    fprintf(stderr, "%s:%d: [mode %d] csat_session_restore called the host\n", c->t->path, e->line,
            c->mode);
    csat_session_free(r);
    return NULL;
  }
  return r;
}

/* The message of a `text` event: a double-quoted string with the escapes
 * \" \\ \n \t \xHH (so any byte can be written). Returns a malloc'ed
 * buffer and its length in *len, or NULL when the argument is malformed. */
static char *unquote(const char *arg, size_t *len) {
  size_t n = strlen(arg), i, k = 0;
  char *out;
  if (n == 0) { /* `> text "" @t` arrives as an empty argument */
    *len = 0;
    return xstrdup("");
  }
  if (n < 2 || arg[0] != '"' || arg[n - 1] != '"')
    return NULL;
  out = xmalloc(n);
  for (i = 1; i + 1 < n; i++) {
    char c = arg[i];
    if (c == '"') {
      free(out);
      return NULL;
    }
    if (c != '\\') {
      out[k++] = c;
      continue;
    }
    if (++i + 1 >= n) {
      free(out);
      return NULL;
    }
    c = arg[i];
    if (c == 'n')
      out[k++] = '\n';
    else if (c == 't')
      out[k++] = '\t';
    else if (c == '"' || c == '\\')
      out[k++] = c;
    else if (c == 'x' && i + 3 < n) {
      unsigned v = 0;
      int d;
      for (d = 1; d <= 2; d++) {
        char h = arg[i + (size_t)d];
        v <<= 4;
        if (h >= '0' && h <= '9')
          v |= (unsigned)(h - '0');
        else if (h >= 'A' && h <= 'F')
          v |= (unsigned)(h - 'A' + 10);
        else if (h >= 'a' && h <= 'f')
          v |= (unsigned)(h - 'a' + 10);
        else {
          free(out);
          return NULL;
        }
      }
      out[k++] = (char)v;
      i += 2;
    } else {
      free(out);
      return NULL;
    }
  }
  *len = k;
  return out;
}

static int apply_event(csat_session *s, const event *e) {
  const char *n = e->name;
  if (strcmp(n, "text") == 0) {
    size_t len = 0;
    char *msg = unquote(e->arg ? e->arg : "", &len);
    int rc;
    if (!msg)
      return 1001; /* malformed: reported by the caller */
    rc = csat_session_text(s, msg, len, e->t);
    free(msg);
    return rc;
  }
  if (strcmp(n, "expire") == 0)
    return csat_session_expire(s, e->t);
  if (strcmp(n, "start") == 0)
    return csat_session_start(s, e->t);
  if (strcmp(n, "offer") == 0)
    return csat_session_offer(s, e->t);
  if (strcmp(n, "opt_in") == 0)
    return csat_session_opt_in(s, e->arg && strcmp(e->arg, "0") != 0 ? 1 : 0, e->t);
  if (strcmp(n, "input") == 0) {
    const char *d = e->arg ? e->arg : "";
    return csat_session_input(s, d, strlen(d), e->t);
  }
  if (strcmp(n, "no_input") == 0)
    return csat_session_no_input(s, e->t);
  if (strcmp(n, "recorded") == 0) {
    const char *d = e->arg ? e->arg : "";
    return csat_session_recorded(s, d, strlen(d), e->t);
  }
  if (strcmp(n, "repeat") == 0)
    return csat_session_repeat(s, e->t);
  if (strcmp(n, "hangup") == 0)
    return csat_session_hangup(s, e->t);
  if (strcmp(n, "flush") == 0)
    return csat_session_flush(s, e->t);
  return 1000; /* unknown: reported by the caller */
}

static int known_event(const char *n) {
  static const char *const names[] = {"start",  "offer",  "opt_in", "input", "no_input", "recorded",
                                      "repeat", "hangup", "flush",  "text",  "expire"};
  size_t i;
  for (i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp(names[i], n) == 0)
      return 1;
  return 0;
}

static const char *const mode_names[4] = {"", "whole", "save/restore between events",
                                          "save-restore-save after each event"};

/* Compare the lines an event produced with the expected ones. */
static int compare_event(run_ctx *c, const event *e) {
  const strlist *exp = &e->expect, *got = &c->rec.out;
  size_t i, n = exp->n > got->n ? exp->n : got->n;
  int ok = exp->n == got->n;
  for (i = 0; ok && i < exp->n; i++)
    if (!glob_match(exp->v[i], got->v[i]))
      ok = 0;
  if (ok)
    return 1;
  fprintf(stderr, "%s:%d: [mode %d: %s] actions differ after `> %s`\n", c->t->path, e->line,
          c->mode, mode_names[c->mode], e->text);
  for (i = 0; i < n; i++) {
    int same = i < exp->n && i < got->n && glob_match(exp->v[i], got->v[i]);
    if (same) {
      fprintf(stderr, "%s:%d:   ok        %s\n", c->t->path, exp->line[i], got->v[i]);
      continue;
    }
    if (i < exp->n)
      fprintf(stderr, "%s:%d: - expected  %s\n", c->t->path, exp->line[i], exp->v[i]);
    else
      fprintf(stderr, "%s:%d: - expected  (nothing more)\n", c->t->path, e->line);
    {
      int ln = i < exp->n ? exp->line[i] : e->line;
      if (i < got->n)
        fprintf(stderr, "%s:%d: + got       %s\n", c->t->path, ln, got->v[i]);
      else
        fprintf(stderr, "%s:%d: + got       (nothing more)\n", c->t->path, ln);
    }
  }
  return 0;
}

static void pending_line(rec_host *h, uint32_t p) {
  static const struct {
    uint32_t bit;
    const char *name;
  } bits[] = {{CSAT_PENDING_STORE, "store"},
              {CSAT_PENDING_TASK, "task"},
              {CSAT_PENDING_OPT_OUT, "opt_out"}};
  size_t i;
  int first = 1;
  tb_str(&h->line, "= pending ");
  for (i = 0; i < sizeof bits / sizeof bits[0]; i++) {
    if (!(p & bits[i].bit))
      continue;
    tb_printf(&h->line, "%s%s", first ? "" : "+", bits[i].name);
    first = 0;
    p &= ~bits[i].bit;
  }
  if (p)
    tb_printf(&h->line, "%s0x%x", first ? "" : "+", (unsigned)p);
  rec_emit(h);
}

/* Compare two sessions that should be in the same state (mode 3). */
static int same_state(run_ctx *c, const csat_session *a, const csat_session *b, const event *e) {
  textbuf sa = {NULL, 0, 0}, sb2 = {NULL, 0, 0};
  int ok = 1;
  summarise_result(&sa, csat_session_result(a));
  summarise_result(&sb2, csat_session_result(b));
  tb_printf(&sa, " ended=%d pending=%u", (int)csat_session_ended(a),
            (unsigned)csat_session_pending(a));
  tb_printf(&sb2, " ended=%d pending=%u", (int)csat_session_ended(b),
            (unsigned)csat_session_pending(b));
  if (strcmp(sa.p, sb2.p) != 0) {
    fprintf(
        stderr,
        "%s:%d: [mode 3] restored session differs after `> %s`\n  original: %s\n  restored: %s\n",
        c->t->path, e->line, e->text, sa.p, sb2.p);
    ok = 0;
  }
  tb_free(&sa);
  tb_free(&sb2);
  return ok;
}

/* Run one transcript in one mode. Returns 1 on success. */
static int run_mode(const transcript *t, const csat_survey *survey, int mode, int verbose,
                    strlist *actual_out) {
  run_ctx c;
  csat_session *s = NULL;
  size_t i;
  int ok = 1, rc;
  memset(&c, 0, sizeof c);
  c.t = t;
  c.survey = survey;
  c.mode = mode;
  c.verbose = verbose;
  setup_host(&c);
  rc = csat_session_new(&s, survey, &c.contact, &c.host, NULL);
  if (rc != CSAT_OK) {
    fprintf(stderr, "%s:1: [mode %d] csat_session_new failed: %s\n", t->path, mode, rc_name(rc));
    sl_free(&c.rec.out);
    tb_free(&c.rec.line);
    return 0;
  }
  /* -v keeps going after a mismatch, to show the whole run. */
  for (i = 0; (ok || verbose) && i < t->event_count; i++) {
    const event *e = &t->events[i];
    uint32_t pend;
    if (!known_event(e->name)) {
      fprintf(stderr, "%s:%d: unknown event '%s'\n", t->path, e->line, e->name);
      ok = 0;
      break;
    }
    if (mode == 2) { /* also before the first event: a new session round-trips too */
      size_t len = 0;
      unsigned char *blob = save_blob(&c, s, &len, e);
      csat_session *r;
      if (!blob) {
        ok = 0;
        break;
      }
      csat_session_free(s);
      s = NULL;
      r = restore_blob(&c, blob, len, e);
      free(blob);
      if (!r) {
        ok = 0;
        break;
      }
      s = r;
    }
    sl_clear(&c.rec.out);
    rc = apply_event(s, e);
    if (rc == 1001) {
      fprintf(stderr,
              "%s:%d: malformed text argument (a \"quoted\" string with \\\" \\\\ "
              "\\n \\t \\xHH)\n",
              t->path, e->line);
      ok = 0;
      break;
    }
    if (rc != CSAT_OK) {
      tb_printf(&c.rec.line, "= rc %s", rc_name(rc));
      rec_emit(&c.rec);
    }
    pend = csat_session_pending(s);
    if (pend)
      pending_line(&c.rec, pend);
    if (verbose) {
      size_t k;
      printf("> %s\n", e->text);
      for (k = 0; k < c.rec.out.n; k++)
        printf("%s%s\n", c.rec.out.v[k][0] == '=' ? "" : "< ", c.rec.out.v[k]);
    }
    /* Expected lines keep their "< " marker; actions are stored bare. */
    {
      size_t k;
      for (k = 0; k < c.rec.out.n; k++) {
        if (c.rec.out.v[k][0] != '=') {
          char *v = xmalloc(strlen(c.rec.out.v[k]) + 3);
          v[0] = '<';
          v[1] = ' ';
          strcpy(v + 2, c.rec.out.v[k]);
          free(c.rec.out.v[k]);
          c.rec.out.v[k] = v;
        }
        if (actual_out)
          sl_push(actual_out, c.rec.out.v[k], e->line);
      }
    }
    if (!compare_event(&c, e))
      ok = 0;
    if (ok && mode == 3) {
      size_t len = 0, len2 = 0;
      unsigned char *blob = save_blob(&c, s, &len, e), *blob2 = NULL;
      csat_session *r = NULL;
      if (!blob)
        ok = 0;
      if (ok && !(r = restore_blob(&c, blob, len, e)))
        ok = 0;
      if (ok && !(blob2 = save_blob(&c, r, &len2, e)))
        ok = 0;
      if (ok && (len != len2 || memcmp(blob, blob2, len) != 0)) {
        size_t k = 0;
        while (k < len && k < len2 && blob[k] == blob2[k])
          k++;
        fprintf(stderr,
                "%s:%d: [mode 3] blob of the restored session differs after `> %s`: %zu vs %zu "
                "bytes, first difference at byte %zu\n",
                t->path, e->line, e->text, len, len2, k);
        ok = 0;
      }
      if (ok && !same_state(&c, s, r, e))
        ok = 0;
      csat_session_free(r);
      free(blob);
      free(blob2);
    }
  }
  if (ok && c.rec.task_key_changed) {
    fprintf(stderr, "%s: [mode %d] task idempotency key empty or changed between calls\n", t->path,
            mode);
    ok = 0;
  }
  csat_session_free(s);
  sl_free(&c.rec.out);
  tb_free(&c.rec.line);
  return ok;
}

static int same_lists(const strlist *a, const strlist *b) {
  size_t i;
  if (a->n != b->n)
    return 0;
  for (i = 0; i < a->n; i++)
    if (strcmp(a->v[i], b->v[i]) != 0)
      return 0;
  return 1;
}

static csat_survey *load_survey(const transcript *t) {
  size_t len = 0;
  char *json = read_file(t->survey_path, &len);
  csat_survey *s = NULL;
  csat_error err;
  int rc;
  if (!json) {
    fprintf(stderr, "%s: cannot read survey %s\n", t->path, t->survey_path);
    return NULL;
  }
  memset(&err, 0, sizeof err);
  err.struct_size = sizeof err;
  rc = csat_survey_from_json(&s, json, len, NULL, &err);
  free(json);
  if (rc != CSAT_OK) {
    fprintf(stderr, "%s:%d:%d: survey rejected (%s): %s\n", t->survey_path, (int)err.line,
            (int)err.column, rc_name(rc), err.message);
    return NULL;
  }
  return s;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_dir(const char *dir, strlist *files) {
  DIR *d = opendir(dir);
  struct dirent *de;
  if (!d)
    return 0;
  while ((de = readdir(d)) != NULL) {
    size_t n = strlen(de->d_name);
    if (n > 4 && strcmp(de->d_name + n - 4, ".txt") == 0 && de->d_name[0] != '.') {
      char *p = xmalloc(strlen(dir) + n + 2);
      sprintf(p, "%s/%s", dir, de->d_name);
      sl_push(files, p, 0);
      free(p);
    }
  }
  closedir(d);
  if (files->n)
    qsort(files->v, files->n, sizeof files->v[0], cmp_str);
  return 1;
}

int main(int argc, char **argv) {
  strlist files = {NULL, NULL, 0, 0};
  int mode = 0, verbose = 0, i;
  int failed_runs = 0, runs = 0;
  size_t f;
  int passed[4] = {0, 0, 0, 0}, failed[4] = {0, 0, 0, 0};

  /* Diffs go to stderr: keep stdout unbuffered so the two interleave. */
  setvbuf(stdout, NULL, _IONBF, 0);

  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--mode") == 0 && i + 1 < argc) {
      mode = atoi(argv[++i]);
      if (mode < 1 || mode > 3) {
        fprintf(stderr, "--mode takes 1, 2 or 3\n");
        return 2;
      }
    } else if (strcmp(argv[i], "-v") == 0) {
      verbose = 1;
    } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
      printf("usage: %s [--mode 1|2|3] [-v] [transcript.txt ...]\n", argv[0]);
      return 0;
    } else {
      sl_push(&files, argv[i], 0);
    }
  }
  if (!files.n && !list_dir("transcripts", &files)) {
    fprintf(stderr, "no transcripts given and ./transcripts cannot be read\n");
    return 2;
  }
  if (!files.n) {
    fprintf(stderr, "no transcripts found\n");
    return 2;
  }

  for (f = 0; f < files.n; f++) {
    transcript t;
    csat_survey *survey;
    strlist whole = {NULL, NULL, 0, 0};
    int m;
    if (!transcript_load(&t, files.v[f])) {
      transcript_free(&t);
      failed_runs++;
      runs++;
      continue;
    }
    survey = load_survey(&t);
    if (!survey) {
      transcript_free(&t);
      failed_runs++;
      runs++;
      continue;
    }
    for (m = 1; m <= 3; m++) {
      strlist actual = {NULL, NULL, 0, 0};
      int ok;
      if (mode && m != mode)
        continue;
      runs++;
      ok = run_mode(&t, survey, m, verbose && (mode || m == 1), &actual);
      if (ok && m == 1) {
        size_t k;
        for (k = 0; k < actual.n; k++)
          sl_push(&whole, actual.v[k], actual.line[k]);
      } else if (ok && whole.n && !same_lists(&whole, &actual)) {
        fprintf(stderr, "%s: [mode %d] action sequence differs from mode 1\n", t.path, m);
        ok = 0;
      }
      if (ok)
        passed[m]++;
      else {
        failed[m]++;
        failed_runs++;
      }
      printf("%-4s %s [mode %d: %s]\n", ok ? "ok" : "FAIL", t.path, m, mode_names[m]);
      sl_free(&actual);
    }
    sl_free(&whole);
    csat_survey_free(survey);
    transcript_free(&t);
  }
  for (i = 1; i <= 3; i++)
    if (!mode || mode == i)
      printf("mode %d (%s): %d passed, %d failed\n", i, mode_names[i], passed[i], failed[i]);
  printf("%d runs, %d failed\n", runs, failed_runs);
  sl_free(&files);
  return failed_runs ? 1 : 0;
}
