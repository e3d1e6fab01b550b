/*
 * csat_sms internals: the pieces of the SMS example that are not about the
 * survey itself. sms_text.c: buffers and text codecs; sms_store.c: the file
 * store; sms_http.c: Kannel's sendsms interface.
 * SPDX-License-Identifier: MIT
 */
#ifndef CSAT_SMS_H
#define CSAT_SMS_H

#include <stddef.h>
#include <stdint.h>

/* ---- sms_text.c ---------------------------------------------------------- */

/* A growable byte buffer, always NUL-terminated once non-empty. */
typedef struct sms_buf {
  char *p;
  size_t len, cap;
} sms_buf;

/* Append bytes / a string. 0, or -1 when out of memory. */
int sms_buf_add(sms_buf *b, const void *data, size_t n);
int sms_buf_str(sms_buf *b, const char *s);
void sms_buf_free(sms_buf *b);

int sms_parse_u64(const char *s, int64_t *out); /* decimal digits only; 0 or -1 */

/* Kannel's placeholders: %XX is a byte, '+' a space (with plus_is_space; a
 * phone number keeps its '+': "%2B4711" and "+4711" are the same number); a
 * '%' without two hex digits stays. In place; returns the length (the
 * result may hold NULs). */
size_t sms_url_decode(char *s, int plus_is_space);
/* Percent-encode everything but A-Z a-z 0-9 - _ . ~ */
int sms_url_encode(sms_buf *b, const char *s, size_t len);
/* UCS-2 / UTF-16BE (Kannel coding 2) as UTF-8; bad units become U+FFFD. */
int sms_utf16be_to_utf8(const unsigned char *s, size_t len, sms_buf *out);
/* The message as the library accepts it: valid UTF-8 without NUL bytes
 * (NUL becomes a space, an invalid sequence U+FFFD), at most `max` bytes
 * cut at a character boundary (the score stands at the start). */
int sms_clean_text(const char *s, size_t len, size_t max, sms_buf *out);
/* A JSON string literal. */
int sms_json_str(sms_buf *b, const char *s);

/* ---- sms_store.c --------------------------------------------------------- */

#define SMS_MAX_PATH 4096
#define SMS_MAX_DIGITS 20
#define SMS_KEY_MAX (SMS_MAX_DIGITS + 2) /* "p" + digits + NUL */

/*
 * A phone number as the store knows it: digits with an optional leading '+';
 * spaces, dashes, dots and parentheses are dropped. `addr` gets the
 * normalised number ("+4799..."), `key` the file name stem ("p4799...").
 * Both need SMS_KEY_MAX bytes. 0, or -1 when it is no phone number.
 */
int sms_number_key(const char *num, char *addr, char *key);

/* dir/name+suffix into out (SMS_MAX_PATH bytes). 0, or -1 when too long. */
int sms_path(char *out, const char *dir, const char *name, const char *suffix);
/* A whole file of at most max bytes. 0, or -1 with errno (EFBIG: too big). */
int sms_read_file(const char *path, size_t max, sms_buf *out);
/* Replace dir/name atomically: temp file, fsync, rename, fsync of dir. */
int sms_write_atomic(const char *dir, const char *name, const void *data, size_t len);
/* Append one record with a single O_APPEND write, then fsync. */
int sms_append(const char *dir, const char *name, const char *data, size_t len);
/* Rename dir/old to dir/new and fsync dir. */
int sms_rename(const char *dir, const char *old_name, const char *new_name);
int sms_fsync_dir(const char *dir);
/* Lock the store (fcntl on dir/.lock, waiting at most wait_ms): the
 * descriptor, closing it unlocks; -1 with errno (ETIMEDOUT). */
int sms_lock(const char *dir, int wait_ms);
/* Is the line `addr` in dir/name? 1 yes, 0 no, -1 error. */
int sms_listed(const char *dir, const char *name, const char *addr);

/* ---- sms_http.c ---------------------------------------------------------- */

/*
 * One message through Kannel's sendsms: GET base + from, to, coding=2,
 * charset=UTF-8 and text, over HTTP/1.0, bounded by timeout_ms in all.
 * `base` is http://host[:port]/path?credentials. 0 on a 2xx answer, else -1
 * with a message in err.
 */
int sms_sendsms(const char *base, const char *from, const char *to, const char *text,
                int timeout_ms, char *err, size_t errcap);

#endif
