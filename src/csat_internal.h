/*
 * Internal declarations shared by libcsat's source files. Not installed.
 * Names with the csat__ prefix are internal and hidden from the ABI.
 * SPDX-License-Identifier: MIT
 */
#ifndef CSAT_INTERNAL_H
#define CSAT_INTERNAL_H

#include "csat.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define CSAT__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CSAT__PRINTF(f, a)
#endif

/* ---- limits (documented in csat.h) ------------------------------------- */
#define CSAT__MAX_ID 128          /* survey/question ids, names, language tags */
#define CSAT__MAX_PROMPT 4096     /* prompt text */
#define CSAT__MAX_AUDIO 1024      /* audio reference / recording reference */
#define CSAT__MAX_TEMPLATE 8192   /* task templates */
#define CSAT__MAX_QUESTIONS 64
#define CSAT__MAX_LANGUAGES 32
#define CSAT__MAX_ATTRS 32
#define CSAT__MAX_ATTR_KEY 128
#define CSAT__MAX_ATTR_VALUE 1024
#define CSAT__MAX_DIGITS 32       /* csat_session_input */
#define CSAT__MAX_COMMENT 4096    /* comment kept with an answer, in characters */
#define CSAT__MAX_COMMENT_BYTES (4 * CSAT__MAX_COMMENT) /* the same in bytes, at most */
#define CSAT__TEXT_MAX_RAW CSAT__MAX_DIGITS /* bytes of a text message kept as raw input */
#define CSAT__WINDOW_MIN 60000LL                /* text survey window bounds, ms */
#define CSAT__WINDOW_MAX (30LL * 24 * 3600 * 1000)
#define CSAT__WINDOW_DEFAULT (24LL * 3600 * 1000)

/* Task limits, in characters (Unicode code points). */
#define CSAT__TASK_NAME_MAX 512
#define CSAT__TASK_DESC_MAX 4096
#define CSAT__TASK_CATEGORY_MAX 200
#define CSAT__TASK_REFS_MAX 25
#define CSAT__TASK_REF_MAX 4096

/* ---- allocator (alloc.c) ------------------------------------------------ */
typedef struct csat__alloc {
  void *(*malloc)(size_t size, void *user);
  void *(*realloc)(void *ptr, size_t size, void *user);
  void (*free)(void *ptr, void *user);
  void *user;
} csat__alloc;

/* Copy a host allocator (NULL or incomplete -> libc). Returns INVALID_ARG when
 * the host struct is too small or misses a function. */
int csat__alloc_init(csat__alloc *a, const csat_allocator *host);
void *csat__malloc(const csat__alloc *a, size_t n);
void *csat__calloc(const csat__alloc *a, size_t n); /* zeroed */
void *csat__realloc(const csat__alloc *a, void *p, size_t n);
void csat__free(const csat__alloc *a, void *p);
/* Copy n bytes and add a NUL. s may be NULL when n == 0. */
char *csat__strndup(const csat__alloc *a, const char *s, size_t n);
/* Bounded strlen: returns max + 1 when s is longer than max bytes. */
size_t csat__strnlen(const char *s, size_t max);

/* ---- errors (error.c) --------------------------------------------------- */
/* Fill a caller-owned csat_error (ignored when err is NULL or too small). */
void csat__error_set(csat_error *err, int code, int32_t line, int32_t column, size_t offset,
                     const char *fmt, ...) CSAT__PRINTF(6, 7);
/* Format into a fixed message buffer (always NUL-terminated). */
void csat__msg_set(char *buf, size_t cap, const char *fmt, ...) CSAT__PRINTF(3, 4);
void csat__msg_vset(char *buf, size_t cap, const char *fmt, va_list ap);

/* ---- output writer (out.c) --------------------------------------------- */
/* Writes into a caller-owned buffer and keeps counting past its end, so one
 * pass answers both "here is the text" and "this much space is needed". */
typedef struct csat__out {
  char *buf;
  size_t cap;
  size_t len;   /* total bytes produced so far (may exceed cap) */
  int overflow; /* len arithmetic overflowed SIZE_MAX */
} csat__out;

void csat__out_init(csat__out *o, char *buf, size_t cap);
void csat__out_bytes(csat__out *o, const void *p, size_t n);
void csat__out_str(csat__out *o, const char *s); /* NULL writes nothing */
void csat__out_char(csat__out *o, char c);
void csat__out_i64(csat__out *o, int64_t v);     /* locale-independent decimal */
void csat__out_u64_hex(csat__out *o, uint64_t v, int digits);
/* Where the text writers (JSON strings, CSV cells) put their bytes: a
 * csat__out (csat__out_put, ctx the csat__out) or a report's buffered stream. */
typedef void (*csat__put_fn)(void *ctx, const char *p, size_t n);
void csat__out_put(void *ctx, const char *p, size_t n);
/* A JSON string literal with quotes; s may be NULL (written as ""). */
void csat__json_str(csat__put_fn put, void *ctx, const char *s, size_t n);
void csat__out_json_str(csat__out *o, const char *s, size_t n);
/* Text convention: NUL-terminate if it fits; *needed = len; OK or BUFFER_TOO_SMALL. */
int csat__out_finish_text(csat__out *o, size_t *needed);
/* Binary convention: no NUL; *needed = len; OK or BUFFER_TOO_SMALL. */
int csat__out_finish_bin(csat__out *o, size_t *needed);

/* ---- CSV cells (csv.c) -------------------------------------------------- */
/* One RFC 4180 text cell holding a[0..na) then b[0..nb) (so "<id>_comment"
 * needs no copy), without a separator: quoted when it holds , " CR or LF,
 * quotes doubled; a cell starting with = + - @ TAB or CR gets a single quote
 * in front so that a spreadsheet keeps it text. Only text from outside goes
 * here; numbers the library formats are written verbatim (a negative number
 * stays a number). */
void csat__csv_text(csat__put_fn put, void *ctx, const char *a, size_t na, const char *b,
                    size_t nb);
void csat__out_csv_text(csat__out *o, const char *a, size_t na, const char *b, size_t nb);

/* ---- compact binary encoding (wire.c) ---------------------------------- */
/* Unsigned LEB128: 7 bits a byte, low first, the high bit set on every byte
 * but the last; always the shortest form, so a value has one encoding. */
#define CSAT__VARINT_MAX 10 /* bytes of a 64-bit value, at most */
/* Encode v into b; returns the length (1..10). */
size_t csat__varint_encode(unsigned char b[CSAT__VARINT_MAX], uint64_t v);
void csat__out_varint(csat__out *o, uint64_t v);

/* csat__varint_decode's answers. */
#define CSAT__VARINT_OK 0
#define CSAT__VARINT_TRUNCATED 1 /* p[*pos..end) ends inside the varint */
#define CSAT__VARINT_OVERFLOW 2  /* more than 64 bits */
#define CSAT__VARINT_LONG 3      /* not the shortest form (a zero last byte) */
/* Read one varint at p[*pos], reading nothing at or past end. *pos moves past
 * every byte read: the varint on OK, else the byte that showed the fault (end
 * when truncated). *v is set only on OK. Inline: readers call it per field. */
static inline int csat__varint_decode(const unsigned char *p, size_t end, size_t *pos,
                                      uint64_t *v) {
  uint64_t x = 0;
  unsigned shift = 0;
  for (;;) {
    unsigned b;
    if (*pos >= end)
      return CSAT__VARINT_TRUNCATED;
    b = p[(*pos)++];
    /* The 10th byte may hold only bit 63. */
    if (shift == 63 && (b & 0x7eu) != 0)
      return CSAT__VARINT_OVERFLOW;
    x |= (uint64_t)(b & 0x7fu) << shift;
    if ((b & 0x80u) == 0) {
      /* A zero last byte adds nothing: the encoding would not be unique. */
      if (b == 0 && shift > 0)
        return CSAT__VARINT_LONG;
      *v = x;
      return CSAT__VARINT_OK;
    }
    if (shift == 63)
      return CSAT__VARINT_OVERFLOW;
    shift += 7;
  }
}

/* Zigzag: signed to unsigned with small magnitudes small (0, -1, 1, -2 ... ->
 * 0, 1, 2, 3 ...), total over int64_t. */
uint64_t csat__zigzag(int64_t v);
int64_t csat__unzigzag(uint64_t u);

/* ---- UTF-8 (utf8.c) ----------------------------------------------------- */
/* 1 when s[0..n) is valid UTF-8 (no overlongs, surrogates or > U+10FFFF). */
int csat__utf8_valid(const char *s, size_t n);
/* Byte offset of the first invalid sequence, or n when valid. */
size_t csat__utf8_invalid_at(const char *s, size_t n);
/* Number of code points in valid UTF-8. */
size_t csat__utf8_count(const char *s, size_t n);
/* Length in bytes of the longest prefix of valid UTF-8 s[0..n) holding at
 * most max_chars code points; never splits a character. */
size_t csat__utf8_prefix(const char *s, size_t n, size_t max_chars);
/* Decode one code point at s[*i] (valid UTF-8 assumed); advances *i. */
uint32_t csat__utf8_next(const char *s, size_t n, size_t *i);
/* Encode code point c (at most U+10FFFF) into dst, which has room for 4
 * bytes; returns the length. Inline: the tokenisers call it per character. */
static inline size_t csat__utf8_put(char *dst, uint32_t c) {
  if (c < 0x80) {
    dst[0] = (char)c;
    return 1;
  }
  if (c < 0x800) {
    dst[0] = (char)(0xC0 | (c >> 6));
    dst[1] = (char)(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    dst[0] = (char)(0xE0 | (c >> 12));
    dst[1] = (char)(0x80 | ((c >> 6) & 0x3F));
    dst[2] = (char)(0x80 | (c & 0x3F));
    return 3;
  }
  dst[0] = (char)(0xF0 | (c >> 18));
  dst[1] = (char)(0x80 | ((c >> 12) & 0x3F));
  dst[2] = (char)(0x80 | ((c >> 6) & 0x3F));
  dst[3] = (char)(0x80 | (c & 0x3F));
  return 4;
}

/* ---- hashing (alloc.c) -------------------------------------------------- */
#define CSAT__FNV_INIT 0xcbf29ce484222325ull
uint64_t csat__fnv1a(uint64_t h, const void *p, size_t n);

/* ---- survey model (survey.c) ------------------------------------------- */
typedef struct csat__prompt_text {
  char *lang;  /* never NULL */
  char *text;  /* NULL when absent */
  char *audio; /* NULL when absent */
} csat__prompt_text;

typedef struct csat__prompt_set {
  csat__prompt_text *items; /* one per language, in insertion order */
  int32_t count;
} csat__prompt_set;

#define CSAT__PROMPT_SLOTS (CSAT_PROMPT_KIND_MAX + 1) /* index = CSAT_PROMPT_* */

typedef struct csat__question {
  char *id;
  int32_t kind;            /* CSAT_Q_* */
  int32_t min, max;        /* rating scale; yes/no: 0..1; comments: 0..0 */
  int32_t flag_enabled;
  int32_t flag_threshold;  /* flags when score <= threshold and enabled */
  int32_t max_attempts;    /* 1..9, default 3 */
  int32_t on_exhausted;    /* CSAT_EXHAUSTED_* */
  int32_t cond_parent;     /* -1: always asked */
  int32_t cond_at_most;    /* asked when answers[cond_parent].score <= this */
  int32_t max_duration_ms; /* voice comment, default 60000 */
  int32_t silence_timeout_ms; /* voice comment, default 3000 */
  csat__prompt_set prompts[CSAT__PROMPT_SLOTS]; /* QUESTION and the (q) kinds */
} csat__question;

struct csat_survey {
  csat__alloc alloc;
  char *id;
  int32_t version;
  char *name;             /* "" when unset */
  char *default_language; /* default "en" */
  int32_t mode;           /* CSAT_MODE_* */
  csat__prompt_set prompts[CSAT__PROMPT_SLOTS];
  csat__question *questions;
  int32_t question_count;
  int32_t question_cap;
  /* escalation */
  int32_t esc_enabled;
  int32_t esc_below;          /* default 3: any rating score < below triggers */
  char *esc_transfer_target;  /* NULL: no transfer offered */
  int32_t esc_callback;
  /* tasks */
  int32_t task_enabled;       /* default 1 */
  char *task_name;            /* templates; never NULL once built (defaults) */
  char *task_description;
  char *task_category;
  char *task_target;          /* "" when unset */
  char *task_rule_name;
  /* DTMF */
  int32_t first_digit_timeout_ms; /* default 5000 */
  int32_t inter_digit_timeout_ms; /* default 3000 */
  int32_t terminator;             /* default '#', 0 = none */
  int32_t max_repeats;            /* default 3 */
  /* text channels (SMS, chat) */
  int64_t text_window_ms;         /* survey window, default 24 h */
  int32_t text_multiple;          /* 1: one message may answer several questions */
  /* identity of the content, set by finish: sessions refuse blobs of another */
  uint64_t fingerprint;
};

struct csat_survey_builder {
  struct csat_survey *s;
  char errmsg[256];
};

/* Default task templates (survey.c). */
extern const char csat__default_task_name[];
extern const char csat__default_task_description[];
extern const char csat__default_task_category[];
extern const char csat__default_task_rule_name[];

/* Find the prompt of `kind` for `question` (-1: survey level) in `lang`.
 * Languages are tried in order (lang, its primary subtag "pl" for "pl-PL",
 * the default language, its primary subtag); within a language the
 * question's own prompt wins over the survey-level one (QUESTION prompts
 * exist only per question). NULL when none. */
const csat__prompt_text *csat__survey_prompt(const csat_survey *s, int32_t kind,
                                             int32_t question, const char *lang);

/* ---- session (session.c, session_blob.c) -------------------------------- */

/* Session states. Stored in blobs: values never change. */
#define CSAT__ST_NEW 1        /* created, not started */
#define CSAT__ST_OFFER 2      /* opt-in offer played, waiting for 1/2 */
#define CSAT__ST_QUESTION 3   /* waiting for the answer to `current` */
#define CSAT__ST_RECORDING 4  /* waiting for a voice comment to `current` */
#define CSAT__ST_ESCALATION 5 /* escalation offer played, waiting for 1/2 */
#define CSAT__ST_ENDED 6

/* Text session flags (csat_session.text_flags). Stored in blobs. */
#define CSAT__TF_OPTED_OUT 1u /* an opt-out was honoured (confirmation sent, host told) */
#define CSAT__TF_NOTICE 2u    /* the one notice after the end (EXPIRED / ALREADY_ANSWERED) went out */
#define CSAT__TF_ALL 3u

typedef struct csat__answer {
  int32_t status;       /* CSAT_ANSWER_* */
  int32_t score;        /* -1 when none */
  int32_t attempts;     /* attempts used on this question */
  int32_t repeats;      /* '*' presses on this question */
  int32_t flagged;
  char raw[CSAT__MAX_DIGITS + 1]; /* last raw input, NUL-terminated: the DTMF digits, or
                                     the first 32 bytes of a text message (whole characters) */
  char *comment;        /* NULL or owned NUL-terminated text / recording ref */
  int64_t answered_ms;
} csat__answer;

struct csat_result {
  const struct csat_session *session;
};

struct csat_session {
  csat__alloc alloc;
  const csat_survey *survey;
  csat_host host;         /* copied; members past the host's struct_size are NULL */
  csat_contact contact;   /* library-owned copy; strings point into `strings` */
  csat_attr *attrs;       /* owned copy of the attributes */
  char *strings;          /* one block holding every contact string */
  size_t strings_len;     /* size of that block */
  int32_t state;          /* CSAT__ST_* */
  int32_t opt_in;         /* -1 unknown, 0 refused, 1 accepted */
  int32_t current;        /* current question index (-1 before the first) */
  int32_t menu_attempts;  /* attempts at the offer / escalation menu */
  int32_t outcome;        /* CSAT_OUTCOME_* */
  int32_t escalation;     /* CSAT_ESCALATION_* */
  uint32_t pending;       /* CSAT_PENDING_* */
  int32_t task_done;      /* a task was created for this contact */
  int32_t text_flags;     /* CSAT__TF_* (text channels; 0 on voice) */
  int64_t started_ms;
  int64_t ended_ms;
  csat__answer *answers;  /* survey->question_count entries */
  struct csat_result result;
  char errmsg[256];
};

/* Set the session's error message and return code (for `return csat__fail(...)`). */
int csat__session_fail(csat_session *s, int code, const char *fmt, ...) CSAT__PRINTF(3, 4);

/* ---- tasks (task.c) ----------------------------------------------------- */
/* A task built from a session's result, with every string owned. */
typedef struct csat__task_data {
  csat_task task;     /* points into the memory below */
  char *mem;          /* one block for every string */
  csat_attr *refs;    /* task.references */
} csat__task_data;

/* Build the task for a flagged result (templates expanded, limits applied,
 * idempotency key derived from survey id and contact id). OK or NOMEM. */
int csat__task_build(const csat_session *s, csat__task_data *out);
void csat__task_data_free(const csat_session *s, csat__task_data *t);
/* Expand a template's placeholders for this session into o (task.c). */
void csat__template_expand(const csat_session *s, const char *tpl, csat__out *o);

#endif /* CSAT_INTERNAL_H */
