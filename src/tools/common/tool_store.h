/*
 * csat_toolkit: a store of small files in one directory, crash-safe.
 *
 * Host-side helper for the programs in src/tools (not part of libcsat, not
 * installed). A file replaced with tool_store_write_atomic is either the old
 * or the new one after a crash, never torn; tool_store_append adds a record
 * with a single O_APPEND write, so concurrent appenders never interleave
 * inside a record. Processes that read-modify-write the store serialise
 * with tool_lock.h.
 *
 * Every function returns 0, or -1 with errno set (ENAMETOOLONG for a path
 * over TOOL_PATH_MAX, EFBIG for a file over the reader's limit, ENOMEM).
 * Files are created 0600 (atomic) or 0640 (append). POSIX.
 * SPDX-License-Identifier: MIT
 */
#ifndef CSAT_TOOL_STORE_H
#define CSAT_TOOL_STORE_H

#include "tool_buf.h"

#include <stddef.h>

#define TOOL_PATH_MAX 4096 /* bytes of a joined path, NUL included */

/* dir + "/" + name + suffix (suffix may be NULL) into out, which holds
 * TOOL_PATH_MAX bytes. */
int tool_store_path(char *out, const char *dir, const char *name, const char *suffix);
/* Append the whole file at path (at most max bytes) to out, then a NUL (not
 * counted). A larger file fails with EFBIG; what was read is left in out. */
int tool_store_read(const char *path, size_t max, tool_buf *out);
/* Replace dir/name with data: a temporary file beside it, fsync, rename
 * over the old one, fsync of dir. On failure the old file is untouched and
 * the temporary removed. */
int tool_store_write_atomic(const char *dir, const char *name, const void *data, size_t len);
/* Append one record to dir/name (created if missing) with one write, then
 * fsync. A short write fails with ENOSPC. */
int tool_store_append(const char *dir, const char *name, const void *data, size_t len);
/* Rename dir/old_name to dir/new_name, then fsync dir. */
int tool_store_rename(const char *dir, const char *old_name, const char *new_name);
/* Make the directory's entries durable (after a create, rename or unlink).
 * A file system that cannot fsync a directory counts as success. */
int tool_store_fsync_dir(const char *dir);

#endif
