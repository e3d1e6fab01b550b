/*
 * csat_toolkit: escaping and encoding of text for the programs in src/tools
 * (URL query strings, JSON string literals).
 *
 * Host-side helper (not part of libcsat, not installed). Functions that
 * append to a tool_buf return 0, or -1 when out of memory (the buffer may
 * then hold part of the output).
 * SPDX-License-Identifier: MIT
 */
#ifndef CSAT_TOOL_ESCAPE_H
#define CSAT_TOOL_ESCAPE_H

#include "tool_buf.h"

#include <stddef.h>

/* Decode %XX (either case) to its byte, in place; with plus_is_space, '+'
 * becomes a space (form encoding; without it '+' stays: a phone number's
 * "%2B4711" and "+4711" are the same). A '%' not followed by two hex digits
 * is kept as it is. Returns the new length; the result is NUL-terminated
 * but may hold NUL bytes (from %00), so use the length. */
size_t tool_url_decode(char *s, int plus_is_space);
/* Append s[0..len) percent-encoded (upper-case hex), keeping only the RFC
 * 3986 unreserved bytes A-Z a-z 0-9 - _ . ~ as they are. */
int tool_url_encode(tool_buf *b, const char *s, size_t len);
/* Append s as a JSON string literal, quotes included: '"' and '\\' are
 * escaped, control bytes below 0x20 become \u00XX, other bytes (UTF-8)
 * pass unchanged, so valid UTF-8 in gives valid JSON out. NULL is "". */
int tool_json_string(tool_buf *b, const char *s);

#endif
