/*
 * csat_toolkit: the crash-safe file store (tool_store.h).
 * SPDX-License-Identifier: MIT
 */
#define _POSIX_C_SOURCE 200809L

#include "tool_store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/types.h>
#include <unistd.h>

int tool_store_path(char *out, const char *dir, const char *name, const char *suffix) {
  int n = snprintf(out, TOOL_PATH_MAX, "%s/%s%s", dir, name, suffix ? suffix : "");
  if (n < 0 || n >= TOOL_PATH_MAX) {
    errno = ENAMETOOLONG;
    return -1;
  }
  return 0;
}

int tool_store_read(const char *path, size_t max, tool_buf *out) {
  char chunk[8192];
  size_t start = out->len;
  int fd = open(path, O_RDONLY | O_CLOEXEC), e = 0;
  if (fd < 0)
    return -1;
  for (;;) {
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      e = errno;
      break;
    }
    if (n == 0)
      break;
    /* Counted from where this file started: out may hold other bytes. */
    if (out->len - start + (size_t)n > max) {
      e = EFBIG;
      break;
    }
    if (tool_buf_add(out, chunk, (size_t)n) != 0) {
      e = ENOMEM;
      break;
    }
  }
  close(fd);
  if (e == 0 && tool_buf_add(out, "", 0) != 0)
    e = ENOMEM;
  errno = e;
  return e ? -1 : 0;
}

static int write_all(int fd, const char *p, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return -1;
    if (n == 0) {
      errno = ENOSPC;
      return -1;
    }
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

int tool_store_fsync_dir(const char *dir) {
  int fd = open(dir, O_RDONLY | O_CLOEXEC), rc;
  if (fd < 0)
    return -1;
  rc = fsync(fd);
  /* Some file systems cannot fsync a directory; the rename stands anyway. */
  if (rc != 0 && (errno == EINVAL || errno == ENOTSUP))
    rc = 0;
  close(fd);
  return rc;
}

int tool_store_write_atomic(const char *dir, const char *name, const void *data, size_t len) {
  char tmp[TOOL_PATH_MAX], dst[TOOL_PATH_MAX], tmpname[160];
  int fd, e;
  /* The pid keeps two writers of one name from sharing a temporary file. */
  if (snprintf(tmpname, sizeof tmpname, ".%s.tmp.%ld", name, (long)getpid()) >=
          (int)sizeof tmpname ||
      tool_store_path(tmp, dir, tmpname, NULL) != 0 || tool_store_path(dst, dir, name, NULL) != 0) {
    errno = ENAMETOOLONG;
    return -1;
  }
  fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return -1;
  if (write_all(fd, data, len) != 0 || fsync(fd) != 0) {
    e = errno;
    close(fd);
    unlink(tmp);
    errno = e;
    return -1;
  }
  if (close(fd) != 0 || rename(tmp, dst) != 0) {
    e = errno;
    unlink(tmp);
    errno = e;
    return -1;
  }
  return tool_store_fsync_dir(dir);
}

int tool_store_append(const char *dir, const char *name, const void *data, size_t len) {
  char path[TOOL_PATH_MAX];
  ssize_t n;
  int fd, e;
  if (tool_store_path(path, dir, name, NULL) != 0)
    return -1;
  fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0)
    return -1;
  /* One write: a record is never split around another process's. */
  do
    n = write(fd, data, len);
  while (n < 0 && errno == EINTR);
  if (n != (ssize_t)len || fsync(fd) != 0) {
    e = n >= 0 && n != (ssize_t)len ? ENOSPC : errno;
    close(fd);
    errno = e;
    return -1;
  }
  return close(fd);
}

int tool_store_rename(const char *dir, const char *old_name, const char *new_name) {
  char from[TOOL_PATH_MAX], to[TOOL_PATH_MAX];
  if (tool_store_path(from, dir, old_name, NULL) != 0 ||
      tool_store_path(to, dir, new_name, NULL) != 0 || rename(from, to) != 0)
    return -1;
  return tool_store_fsync_dir(dir);
}
