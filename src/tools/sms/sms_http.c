/*
 * csat_sms: one message through Kannel's sendsms interface, as a minimal
 * HTTP/1.0 GET. Every wait is bounded by one deadline; no shell, no
 * external program.
 * SPDX-License-Identifier: MIT
 */
#define _POSIX_C_SOURCE 200809L

#include "sms.h"
#include "tool_escape.h"
#include "tool_opts.h"

#include <csat.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define MAX_RESPONSE 16384

static int64_t mono_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for `events` on fd until the deadline (monotonic ms). */
static int wait_fd(int fd, short events, int64_t deadline) {
  for (;;) {
    struct pollfd p;
    int64_t left = deadline - mono_ms();
    int n;
    if (left <= 0) {
      errno = ETIMEDOUT;
      return -1;
    }
    p.fd = fd;
    p.events = events;
    p.revents = 0;
    n = poll(&p, 1, (int)left);
    if (n > 0)
      return 0;
    if (n < 0 && errno != EINTR)
      return -1;
  }
}

static int connect_to(const char *host, const char *port, int64_t deadline, char *err,
                      size_t errcap) {
  struct addrinfo hints, *res = NULL, *ai;
  int fd = -1, rc;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
    snprintf(err, errcap, "cannot resolve %s: %s", host, gai_strerror(rc));
    return -1;
  }
  for (ai = res; ai != NULL; ai = ai->ai_next) {
    int soerr = 0, flags;
    socklen_t sl = sizeof soerr;
    fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (fd < 0)
      continue;
    (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
    flags = fcntl(fd, F_GETFL);
    if (flags != -1 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 &&
        (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ||
         (errno == EINPROGRESS && wait_fd(fd, POLLOUT, deadline) == 0 &&
          getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 && soerr == 0)))
      break;
    snprintf(err, errcap, "cannot connect to %s port %s: %s", host, port,
             strerror(soerr ? soerr : errno));
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  return fd;
}

/* Split http://host[:port]/rest into host, port and the request target. */
static int parse_url(const char *url, char *host, size_t hostcap, char *port, size_t portcap,
                     const char **authority, const char **target, char *err, size_t errcap) {
  const char *auth, *path, *p, *hend;
  size_t hlen;
  int64_t v;
  for (p = url; *p; p++)
    if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7F || *p == '#') {
      snprintf(err, errcap, "the sendsms URL holds a space, control character or '#'");
      return -1;
    }
  if (strncmp(url, "http://", 7) != 0) {
    snprintf(err, errcap, "the sendsms URL must start with http://");
    return -1;
  }
  auth = url + 7;
  path = auth + strcspn(auth, "/?");
  if (*auth == '[') { /* an IPv6 literal */
    hend = memchr(auth, ']', (size_t)(path - auth));
    if (hend == NULL) {
      snprintf(err, errcap, "bad host in the sendsms URL");
      return -1;
    }
    hlen = (size_t)(hend - auth - 1);
    p = hend + 1;
    auth++;
  } else {
    hend = memchr(auth, ':', (size_t)(path - auth));
    p = hend ? hend : path;
    hlen = (size_t)(p - auth);
  }
  if (hlen == 0 || hlen >= hostcap || (p != path && *p != ':')) {
    snprintf(err, errcap, "bad host in the sendsms URL");
    return -1;
  }
  memcpy(host, auth, hlen);
  host[hlen] = '\0';
  if (*p == ':') {
    size_t plen = (size_t)(path - p - 1);
    if (plen == 0 || plen >= portcap) {
      snprintf(err, errcap, "bad port in the sendsms URL");
      return -1;
    }
    memcpy(port, p + 1, plen);
    port[plen] = '\0';
  } else {
    snprintf(port, portcap, "80");
  }
  if (tool_parse_uint(port, 65535, &v) != 0 || v < 1) {
    snprintf(err, errcap, "bad port in the sendsms URL");
    return -1;
  }
  *authority = url + 7;
  *target = path;
  return 0;
}

/* The status code of a complete-enough HTTP answer, or -1. */
static int status_of(const tool_buf *r) {
  const char *p = r->p;
  if (p == NULL || r->len < 12 || strncmp(p, "HTTP/1.", 7) != 0 || p[8] != ' ')
    return -1;
  if (p[9] < '1' || p[9] > '5' || p[10] < '0' || p[10] > '9' || p[11] < '0' || p[11] > '9')
    return -1;
  return (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
}

/* Has the whole answer arrived (headers and Content-Length bytes of body)? */
static int complete(const tool_buf *r) {
  const char *eoh = r->p ? strstr(r->p, "\r\n\r\n") : NULL, *line;
  int64_t want = -1;
  if (eoh == NULL)
    return 0;
  for (line = strchr(r->p, '\n'); line != NULL && line < eoh; line = strchr(line, '\n')) {
    line++;
    if (strncmp(line, "Content-Length:", 15) == 0 || strncmp(line, "content-length:", 15) == 0) {
      const char *v = line + 15;
      want = 0;
      while (*v == ' ')
        v++;
      while (*v >= '0' && *v <= '9' && want <= MAX_RESPONSE)
        want = want * 10 + (*v++ - '0');
    }
  }
  return want >= 0 && (int64_t)(r->len - (size_t)(eoh + 4 - r->p)) >= want;
}

int sms_sendsms(const char *base, const char *from, const char *to, const char *text,
                int timeout_ms, char *err, size_t errcap) {
  char host[256], port[8];
  const char *authority, *target;
  tool_buf req = {0}, resp = {0};
  int64_t deadline = mono_ms() + timeout_ms;
  int fd = -1, ok = -1, status;
  size_t i;
  if (parse_url(base, host, sizeof host, port, sizeof port, &authority, &target, err, errcap) != 0)
    return -1;
  if (tool_buf_str(&req, "GET ") || (*target != '/' && tool_buf_str(&req, "/")) ||
      tool_buf_str(&req, target) ||
      tool_buf_str(&req, strchr(target, '?') == NULL         ? "?"
                         : target[strlen(target) - 1] == '?' ? ""
                                                             : "&") ||
      tool_buf_str(&req, "from=") || tool_url_encode(&req, from, strlen(from)) ||
      tool_buf_str(&req, "&to=") || tool_url_encode(&req, to, strlen(to)) ||
      tool_buf_str(&req, "&coding=2&charset=UTF-8&text=") ||
      tool_url_encode(&req, text, strlen(text)) || tool_buf_str(&req, " HTTP/1.0\r\nHost: ") ||
      tool_buf_add(&req, authority, (size_t)(target - authority)) ||
      tool_buf_str(&req, "\r\nUser-Agent: csat_sms/" CSAT_VERSION_STRING
                         "\r\nConnection: close\r\n\r\n")) {
    snprintf(err, errcap, "out of memory");
    goto done;
  }
  if ((fd = connect_to(host, port, deadline, err, errcap)) < 0)
    goto done;
  for (i = 0; i < req.len;) {
    ssize_t n;
    if (wait_fd(fd, POLLOUT, deadline) != 0) {
      snprintf(err, errcap, "sending to %s port %s: %s", host, port, strerror(errno));
      goto done;
    }
    n = write(fd, req.p + i, req.len - i);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
      continue;
    if (n <= 0) {
      snprintf(err, errcap, "sending to %s port %s: %s", host, port, strerror(errno));
      goto done;
    }
    i += (size_t)n;
  }
  /* Until the server closes, or the body's Content-Length is in. */
  while (!complete(&resp)) {
    char chunk[2048];
    ssize_t n;
    if (wait_fd(fd, POLLIN, deadline) != 0) {
      snprintf(err, errcap, "waiting for %s port %s: %s", host, port, strerror(errno));
      goto done;
    }
    n = read(fd, chunk, sizeof chunk);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
      continue;
    if (n < 0) {
      snprintf(err, errcap, "reading from %s port %s: %s", host, port, strerror(errno));
      goto done;
    }
    if (n == 0 || resp.len + (size_t)n > MAX_RESPONSE || tool_buf_add(&resp, chunk, (size_t)n) != 0)
      break; /* the status line is what counts */
  }
  status = status_of(&resp);
  if (status / 100 == 2) {
    ok = 0;
  } else if (status < 0) {
    snprintf(err, errcap, "no HTTP answer from %s port %s", host, port);
  } else {
    const char *body = strstr(resp.p, "\r\n\r\n");
    body = body ? body + 4 : "";
    snprintf(err, errcap, "sendsms answered %d: %.*s", status, (int)strcspn(body, "\r\n"), body);
  }
done:
  if (fd >= 0)
    close(fd);
  tool_buf_free(&req);
  tool_buf_free(&resp);
  return ok;
}
