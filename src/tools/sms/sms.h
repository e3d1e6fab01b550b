/*
 * csat_sms internals: what is particular to SMS and Kannel. The helpers any
 * program shares (buffer, file store, lock, escaping, options) are in
 * src/tools/common (tool_*.h). sms_text.c: SMS text codecs; sms_store.c:
 * phone numbers and the opt-out list; sms_http.c: Kannel's sendsms.
 * SPDX-License-Identifier: MIT
 */
#ifndef CSAT_SMS_H
#define CSAT_SMS_H

#include "tool_buf.h"

#include <stddef.h>
#include <stdint.h>

/* ---- sms_text.c ---------------------------------------------------------- */

/* UCS-2 / UTF-16BE (Kannel coding 2) as UTF-8; bad units become U+FFFD. */
int sms_utf16be_to_utf8(const unsigned char *s, size_t len, tool_buf *out);
/* The message as the library accepts it: valid UTF-8 without NUL bytes
 * (NUL becomes a space, an invalid sequence U+FFFD), at most `max` bytes
 * cut at a character boundary (the score stands at the start). */
int sms_clean_text(const char *s, size_t len, size_t max, tool_buf *out);

/* ---- sms_store.c --------------------------------------------------------- */

#define SMS_MAX_DIGITS 20
#define SMS_KEY_MAX (SMS_MAX_DIGITS + 2) /* "p" + digits + NUL */

/*
 * A phone number as the store knows it: digits with an optional leading '+';
 * spaces, dashes, dots and parentheses are dropped. `addr` gets the
 * normalised number ("+4799..."), `key` the file name stem ("p4799...").
 * Both need SMS_KEY_MAX bytes. 0, or -1 when it is no phone number.
 */
int sms_number_key(const char *num, char *addr, char *key);
/* Is the line `addr` in dir/name (the opt-out list)? 1 yes, 0 no (also when
 * the file is missing), -1 error with errno. */
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
