/*
 * csat_sms: the file store. Session blobs are replaced atomically (a crash
 * leaves the old file or the new one, never a torn one); records are
 * appended with one write each; one process at a time holds the store.
 * SPDX-License-Identifier: MIT
 */
#define _POSIX_C_SOURCE 200809L

#include "sms.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

int sms_number_key(const char *num, char *addr, char *key) {
  size_t digits = 0, a = 0, k = 0;
  const char *p = num;
  while (*p == ' ')
    p++;
  if (*p == '+') {
    addr[a++] = '+';
    key[k++] = 'p';
    p++;
  }
  for (; *p; p++) {
    if (*p >= '0' && *p <= '9') {
      if (++digits > SMS_MAX_DIGITS)
        return -1;
      addr[a++] = *p;
      key[k++] = *p;
    } else if (*p != ' ' && *p != '-' && *p != '.' && *p != '(' && *p != ')') {
      return -1;
    }
  }
  addr[a] = key[k] = '\0';
  return digits > 0 ? 0 : -1;
}

int sms_path(char *out, const char *dir, const char *name, const char *suffix) {
  int n = snprintf(out, SMS_MAX_PATH, "%s/%s%s", dir, name, suffix ? suffix : "");
  if (n < 0 || n >= SMS_MAX_PATH) {
    errno = ENAMETOOLONG;
    return -1;
  }
  return 0;
}

int sms_read_file(const char *path, size_t max, sms_buf *out) {
  char chunk[8192];
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
    if (out->len + (size_t)n > max) {
      e = EFBIG;
      break;
    }
    if (sms_buf_add(out, chunk, (size_t)n) != 0) {
      e = ENOMEM;
      break;
    }
  }
  close(fd);
  if (e == 0 && sms_buf_add(out, "", 0) != 0)
    e = ENOMEM;
  errno = e;
  return e ? -1 : 0;
}

static int write_all(int fd, const char *p, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return -1;
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

int sms_fsync_dir(const char *dir) {
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

int sms_write_atomic(const char *dir, const char *name, const void *data, size_t len) {
  char tmp[SMS_MAX_PATH], dst[SMS_MAX_PATH], tmpname[128];
  int fd, e;
  if (snprintf(tmpname, sizeof tmpname, ".%s.tmp.%ld", name, (long)getpid()) >=
          (int)sizeof tmpname ||
      sms_path(tmp, dir, tmpname, NULL) != 0 || sms_path(dst, dir, name, NULL) != 0) {
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
  return sms_fsync_dir(dir);
}

int sms_append(const char *dir, const char *name, const char *data, size_t len) {
  char path[SMS_MAX_PATH];
  ssize_t n;
  int fd, e;
  if (sms_path(path, dir, name, NULL) != 0)
    return -1;
  fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0)
    return -1;
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

int sms_rename(const char *dir, const char *old_name, const char *new_name) {
  char from[SMS_MAX_PATH], to[SMS_MAX_PATH];
  if (sms_path(from, dir, old_name, NULL) != 0 || sms_path(to, dir, new_name, NULL) != 0 ||
      rename(from, to) != 0)
    return -1;
  return sms_fsync_dir(dir);
}

int sms_lock(const char *dir, int wait_ms) {
  char path[SMS_MAX_PATH];
  int fd, waited = 0;
  if (sms_path(path, dir, ".lock", NULL) != 0)
    return -1;
  fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    return -1;
  for (;;) {
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    if (fcntl(fd, F_SETLK, &fl) == 0)
      return fd;
    if ((errno != EACCES && errno != EAGAIN && errno != EINTR) || waited >= wait_ms) {
      int e = errno == EACCES || errno == EAGAIN ? ETIMEDOUT : errno;
      close(fd);
      errno = e;
      return -1;
    } else {
      struct timespec ts;
      ts.tv_sec = 0;
      ts.tv_nsec = 20 * 1000000L;
      nanosleep(&ts, NULL);
      waited += 20;
    }
  }
}

int sms_listed(const char *dir, const char *name, const char *addr) {
  char path[SMS_MAX_PATH];
  sms_buf b = {0};
  size_t alen = strlen(addr);
  const char *p, *end;
  int found = 0;
  if (sms_path(path, dir, name, NULL) != 0)
    return -1;
  if (sms_read_file(path, (size_t)64 << 20, &b) != 0) {
    int e = errno;
    sms_buf_free(&b);
    errno = e;
    return e == ENOENT ? 0 : -1;
  }
  for (p = b.p, end = b.p + b.len; p < end && !found;) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
    found = n == alen && memcmp(p, addr, n) == 0;
    p += n + 1;
  }
  sms_buf_free(&b);
  return found;
}
