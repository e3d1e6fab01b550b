/*
 * base.h: the base layer of libcsat (src/lib/base/), the one internal header
 * every other layer includes: limits, the allocator hook, error text, the
 * bounded output writer, UTF-8 and hashing. It knows nothing of surveys,
 * sessions or aggregation. Not installed. Names with the csat__ prefix are
 * internal and hidden from the ABI.
 * SPDX-License-Identifier: MIT
 */
#ifndef CSAT_BASE_H
#define CSAT_BASE_H

#include "csat.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#  define CSAT__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#  define CSAT__PRINTF(f, a)
#endif

/* ---- limits: short names for the public CSAT_MAX_* of csat.h ------------ */
#define CSAT__MAX_ID CSAT_MAX_ID_BYTES /* survey/question ids, names, language tags */
#define CSAT__MAX_PROMPT CSAT_MAX_PROMPT_BYTES
#define CSAT__MAX_AUDIO CSAT_MAX_AUDIO_BYTES /* audio reference / recording reference */
#define CSAT__MAX_TEMPLATE CSAT_MAX_TEMPLATE_BYTES
#define CSAT__MAX_QUESTIONS CSAT_MAX_QUESTIONS
#define CSAT__MAX_LANGUAGES CSAT_MAX_LANGUAGES
#define CSAT__MAX_ATTRS CSAT_MAX_ATTRS
#define CSAT__MAX_ATTR_KEY CSAT_MAX_ATTR_KEY_BYTES
#define CSAT__MAX_ATTR_VALUE CSAT_MAX_ATTR_VALUE_BYTES
#define CSAT__MAX_DIGITS CSAT_MAX_DIGITS                /* csat_session_input */
#define CSAT__MAX_COMMENT CSAT_MAX_COMMENT_CHARS        /* comment kept with an answer */
#define CSAT__MAX_COMMENT_BYTES (4 * CSAT__MAX_COMMENT) /* the same in bytes, at most */
#define CSAT__TEXT_MAX_RAW CSAT__MAX_DIGITS      /* bytes of a text message kept as raw input */
#define CSAT__WINDOW_MIN CSAT_MIN_TEXT_WINDOW_MS /* text survey window bounds, ms */
#define CSAT__WINDOW_MAX CSAT_MAX_TEXT_WINDOW_MS
#define CSAT__WINDOW_DEFAULT (24LL * 3600 * 1000)

/* Task limits, in characters (Unicode code points). */
#define CSAT__TASK_NAME_MAX CSAT_MAX_TASK_NAME_CHARS
#define CSAT__TASK_DESC_MAX CSAT_MAX_TASK_DESCRIPTION_CHARS
#define CSAT__TASK_CATEGORY_MAX CSAT_MAX_TASK_CATEGORY_CHARS
#define CSAT__TASK_REFS_MAX CSAT_MAX_TASK_REFERENCES
#define CSAT__TASK_REF_MAX CSAT_MAX_TASK_REFERENCE_CHARS

/* ---- caller structs across versions (struct_size) ----------------------- */
/* A struct the caller fills or sizes carries struct_size: a host built against
 * an older header passes a shorter struct, one built against a newer header a
 * longer one; neither is refused for that. The library reads and writes only
 * the members the caller's size covers (the others are absent: defaults) and
 * never past its own sizeof. Never compare struct_size with today's sizeof: the
 * day the struct grows, every existing host would be refused. */
#define CSAT__END(type, member) (offsetof(type, member) + sizeof(((type *)0)->member))
/* The caller's struct of `size` bytes holds `member`. */
#define CSAT__COVERS(type, size, member) ((size) >= CSAT__END(type, member))
/* Bytes of a caller's struct of `size` the library fills: min(caller, ours). */
#define CSAT__FILL_SIZE(type, size) ((size) < sizeof(type) ? (size) : sizeof(type))
/* The v1 size of a struct: the end of its last member as of 0.1.0. FROZEN:
 * when a struct grows, these stay; the smallest struct accepted where a
 * whole struct is required. */
#define CSAT__V1_SIZE(type) CSAT__V1_##type
#define CSAT__V1_csat_error CSAT__END(csat_error, message)
#define CSAT__V1_csat_allocator CSAT__END(csat_allocator, user)
#define CSAT__V1_csat_contact CSAT__END(csat_contact, attr_count)
#define CSAT__V1_csat_host CSAT__END(csat_host, opted_out)
#define CSAT__V1_csat_reply CSAT__END(csat_reply, comment_length)
#define CSAT__V1_csat_answer CSAT__END(csat_answer, answered_ms)
#define CSAT__V1_csat_agg_config CSAT__END(csat_agg_config, terms)
#define CSAT__V1_csat_agg_answer CSAT__END(csat_agg_answer, talk_ms)
#define CSAT__V1_csat_agg_record_answer CSAT__END(csat_agg_record_answer, comment)
#define CSAT__V1_csat_agg_record CSAT__END(csat_agg_record, answer_count)
#define CSAT__V1_csat_agg_key CSAT__END(csat_agg_key, period_label)
#define CSAT__V1_csat_metrics CSAT__END(csat_metrics, comments_positive)
#define CSAT__V1_csat_category_counts CSAT__END(csat_category_counts, positive)
#define CSAT__V1_csat_comparison CSAT__END(csat_comparison, mean_diff)
#define CSAT__V1_csat_alert_params CSAT__END(csat_alert_params, ewma_l)
#define CSAT__V1_csat_alert CSAT__END(csat_alert, ewma_ucl)
#define CSAT__V1_csat_rank_params CSAT__END(csat_rank_params, min_count)
#define CSAT__V1_csat_rank CSAT__END(csat_rank, small_sample)
#define CSAT__V1_csat_term CSAT__END(csat_term, z)
#define CSAT__V1_csat_report_options CSAT__END(csat_report_options, alerts)

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
void csat__out_i64(csat__out *o, int64_t v); /* locale-independent decimal */
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

/* ---- hashing (hash.c) --------------------------------------------------- */
#define CSAT__HASH_FNV_INIT 0xcbf29ce484222325ull
uint64_t csat__hash_fnv1a(uint64_t h, const void *p, size_t n);

#endif /* CSAT_BASE_H */
