/*
 * csat_toolkit: an exclusive lock between processes, on a lock file.
 *
 * Host-side helper for the programs in src/tools (not part of libcsat, not
 * installed). The lock is a POSIX record lock (fcntl F_SETLK, F_WRLCK) on
 * the whole file, so it also holds across NFS with lockd and is released
 * by the kernel when the process dies. Record locks belong to the process:
 * two threads of one process do not exclude each other, and closing ANY
 * descriptor of the lock file in the holding process drops the lock.
 * SPDX-License-Identifier: MIT
 */
#ifndef CSAT_TOOL_LOCK_H
#define CSAT_TOOL_LOCK_H

/* Take the lock on path (the file is created 0600 if missing), retrying
 * every 20 ms for at most wait_ms (0: one try). Returns the descriptor that
 * holds it (release with tool_lock_release), or -1 with errno: ETIMEDOUT
 * when another process still held it, else the error of open/fcntl. */
int tool_lock_take(const char *path, int wait_ms);
/* Release a lock taken by tool_lock_take (closes its descriptor). A
 * negative fd is ignored. */
void tool_lock_release(int fd);

#endif
