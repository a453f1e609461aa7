/* npyhead.c - the strict .npy header parser (npyhead.h). The dict is read
 * by a small recursive-descent parser over the subset of Python literals a
 * header holds; anything else is refused with what is wrong. */
#include "npyhead.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct P {
  const char *s, *end;
  char *err;
} P;

__attribute__((format(printf, 2, 3))) static bool fail(P *p, const char *fmt,
                                                       ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(p->err, NPYHEAD_ERR, fmt, ap);
  va_end(ap);
  return false;
}

static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

static void skip_space(P *p) {
  while (p->s < p->end && is_space(*p->s))
    p->s++;
}

/* the next character after spaces, or 0 at the end */
static char peek(P *p) {
  skip_space(p);
  return p->s < p->end ? *p->s : 0;
}

static bool expect(P *p, char c, const char *where) {
  if (peek(p) != c)
    return fail(p, "malformed .npy header: expected '%c' %s", c, where);
  p->s++;
  return true;
}

/* A quoted string ('...' or "..."); its raw text (escapes kept as
 * written: no key or dtype has one) in *s, *n. */
static bool string(P *p, const char **s, int *n) {
  char q = peek(p);
  if (q != '\'' && q != '"')
    return fail(p, "malformed .npy header: expected a quoted string");
  const char *a = ++p->s;
  for (; p->s < p->end && *p->s != q; p->s++) {
    if (*p->s == '\n')
      break;
    if (*p->s == '\\' && p->s + 1 < p->end)
      p->s++;
  }
  if (p->s >= p->end || *p->s != q)
    return fail(p, "malformed .npy header: unterminated string");
  *s = a;
  *n = (int)(p->s - a);
  p->s++;
  return true;
}

static bool is_word(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_';
}

static bool descr(P *p, NpyHead *out) {
  const char *s;
  int n;
  if (peek(p) == '[')
    return fail(p, "unsupported dtype: structured dtypes are not supported");
  if (!string(p, &s, &n))
    return false;
  static const char *const names[] = {"<f8", "<i8", "|b1"};
  for (int i = 0; i < 3; i++)
    if (n == 3 && !memcmp(s, names[i], 3)) {
      out->dtype = (NpyDtype)i;
      return true;
    }
  return fail(p, "unsupported dtype '%.*s' (float64 '<f8', int64 '<i8' and "
              "bool '|b1' are supported)", n > 40 ? 40 : n, s);
}

static bool fortran_order(P *p) {
  peek(p);
  const char *w = p->s;
  while (p->s < p->end && is_word(*p->s))
    p->s++;
  int n = (int)(p->s - w);
  if (n == 5 && !memcmp(w, "False", 5))
    return true;
  if (n == 4 && !memcmp(w, "True", 4))
    return fail(p, "Fortran-ordered .npy files are not supported");
  return fail(p, "malformed .npy header: 'fortran_order' must be True or "
              "False");
}

/* one dimension: a decimal int, as Python writes it */
static bool dim(P *p, int64_t *v) {
  char c = peek(p);
  if (c == '-')
    return fail(p, "negative dimension in the .npy header's shape");
  if (c < '0' || c > '9')
    return fail(p, "malformed .npy header: 'shape' must be a tuple of ints");
  const char *a = p->s;
  int64_t x = 0;
  bool big = false;
  for (; p->s < p->end && *p->s >= '0' && *p->s <= '9'; p->s++)
    big |= __builtin_mul_overflow(x, 10, &x) ||
           __builtin_add_overflow(x, *p->s - '0', &x);
  int n = (int)(p->s - a);
  if ((p->s < p->end && is_word(*p->s)) || (n > 1 && *a == '0'))
    return fail(p, "malformed .npy header: 'shape' must be a tuple of ints");
  if (big)
    return fail(p, "dimension %.*s%s in the .npy header is too large",
                n > 24 ? 24 : n, a, n > 24 ? "..." : "");
  *v = x;
  return true;
}

/* (), (n,), (n, m), (n, m,) */
static bool shape(P *p, NpyHead *out) {
  if (peek(p) != '(')
    return fail(p, "malformed .npy header: 'shape' must be a tuple of ints");
  p->s++;
  out->ndim = 0;
  while (peek(p) != ')') {
    if (out->ndim == NPYHEAD_MAXDIM)
      return fail(p, "too many dimensions in the .npy file (at most %d)",
                  NPYHEAD_MAXDIM);
    if (!dim(p, &out->shape[out->ndim++]))
      return false;
    if (peek(p) == ',')
      p->s++;
    else if (peek(p) != ')' || out->ndim == 1) /* (3) is an int */
      return fail(p, "malformed .npy header: 'shape' must be a tuple of "
                  "ints");
  }
  p->s++;
  return true;
}

/* The element count times itemsize, refused past int64. */
static bool data_bytes(P *p, NpyHead *h) {
  int64_t n = npyhead_itemsize(h->dtype);
  bool big = false;
  for (int d = 0; d < h->ndim; d++) {
    if (h->shape[d] == 0) {
      h->data_bytes = 0;
      return true;
    }
    big |= __builtin_mul_overflow(n, h->shape[d], &n);
  }
  if (big)
    return fail(p, "shape in the .npy header is too large");
  h->data_bytes = n;
  return true;
}

static const char *const keys[] = {"descr", "fortran_order", "shape"};

static bool item(P *p, NpyHead *out, bool seen[3]) {
  const char *k;
  int n;
  if (!string(p, &k, &n))
    return false;
  int i = 0;
  while (i < 3 && !((int)strlen(keys[i]) == n && !memcmp(k, keys[i], n)))
    i++;
  if (i == 3)
    return fail(p, "unexpected key '%.*s' in the .npy header (only 'descr', "
                "'fortran_order' and 'shape')", n > 40 ? 40 : n, k);
  if (seen[i])
    return fail(p, "duplicate key '%s' in the .npy header", keys[i]);
  seen[i] = true;
  if (!expect(p, ':', "after a key"))
    return false;
  return i == 0 ? descr(p, out) : i == 1 ? fortran_order(p) : shape(p, out);
}

bool npyhead_dict(const char *h, size_t n, NpyHead *out,
                  char err[NPYHEAD_ERR]) {
  P p = {h, h + n, err};
  bool seen[3] = {false, false, false};
  if (!expect(&p, '{', "at the start of the header"))
    return false;
  while (peek(&p) != '}') {
    if (!item(&p, out, seen))
      return false;
    if (peek(&p) == ',')
      p.s++;
    else if (peek(&p) != '}')
      return expect(&p, ',', "between items");
  }
  p.s++;
  skip_space(&p);
  if (p.s < p.end)
    return fail(&p, "malformed .npy header: text after the dict");
  for (int i = 0; i < 3; i++)
    if (!seen[i])
      return fail(&p, "missing key '%s' in the .npy header", keys[i]);
  return data_bytes(&p, out);
}

/* magic and version of pre[0..10); the dict's length and offset */
static bool preamble(const unsigned char *pre, size_t n, size_t *hlen,
                     size_t *at, char *err) {
  P p = {NULL, NULL, err};
  if (n < 10 || memcmp(pre, "\x93NUMPY", 6) != 0)
    return fail(&p, "not a .npy file (bad magic)");
  if (pre[6] < 1 || pre[6] > 3 || pre[7] != 0)
    return fail(&p, "unsupported .npy format version %d.%d", pre[6], pre[7]);
  *hlen = pre[8] | (size_t)pre[9] << 8;
  *at = 10;
  if (pre[6] >= 2) { /* versions 2 and 3: a 4-byte length */
    if (n < 12)
      return fail(&p, "truncated .npy header");
    *hlen |= (size_t)pre[10] << 16 | (size_t)pre[11] << 24;
    *at = 12;
  }
  if (*hlen > NPYHEAD_MAXLEN)
    return fail(&p, "malformed .npy header (longer than %d bytes)",
                NPYHEAD_MAXLEN);
  return true;
}

bool npyhead_parse(const unsigned char *buf, size_t n, NpyHead *out,
                   char err[NPYHEAD_ERR]) {
  size_t hlen, at;
  if (!preamble(buf, n, &hlen, &at, err))
    return false;
  if (n - at < hlen) {
    snprintf(err, NPYHEAD_ERR, "truncated .npy header");
    return false;
  }
  out->data_off = (int64_t)(at + hlen);
  return npyhead_dict((const char *)buf + at, hlen, out, err);
}

FILE *npyhead_open(const char *path, char err[NPYHEAD_ERR]) {
  /* O_NONBLOCK: opening a FIFO for reading must not wait for a writer */
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    int e = errno;
    snprintf(err, NPYHEAD_ERR, "%s", strerror(e));
    if (fd >= 0)
      close(fd);
    errno = e;
    return NULL;
  }
  if (!S_ISREG(st.st_mode)) {
    snprintf(err, NPYHEAD_ERR, "not a regular file (%s)",
             S_ISFIFO(st.st_mode)  ? "a FIFO"
             : S_ISDIR(st.st_mode) ? "a directory"
                                   : "a device or socket");
    close(fd);
    errno = EINVAL;
    return NULL;
  }
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  FILE *f = fdopen(fd, "rb");
  if (!f) {
    snprintf(err, NPYHEAD_ERR, "%s", strerror(errno));
    close(fd);
  }
  return f;
}

bool npyhead_read(FILE *f, NpyHead *out, char err[NPYHEAD_ERR]) {
  unsigned char pre[12];
  size_t hlen, at, got = fread(pre, 1, 10, f);
  if (got == 10 && pre[6] >= 2 && fread(pre + 10, 1, 2, f) == 2)
    got = 12;
  if (!preamble(pre, got, &hlen, &at, err))
    return false;
  char *h = malloc(hlen + 1);
  if (!h) {
    snprintf(err, NPYHEAD_ERR, "out of memory");
    return false;
  }
  bool ok = fread(h, 1, hlen, f) == hlen;
  if (!ok)
    snprintf(err, NPYHEAD_ERR, "truncated .npy header");
  ok = ok && npyhead_dict(h, hlen, out, err);
  free(h);
  if (!ok)
    return false;
  out->data_off = (int64_t)(at + hlen);
  struct stat st;
  if (fstat(fileno(f), &st) != 0 || out->data_bytes > INT64_MAX - out->data_off ||
      (int64_t)st.st_size < out->data_off + out->data_bytes) {
    snprintf(err, NPYHEAD_ERR, "file is shorter than its .npy header says");
    return false;
  }
  return true;
}

int64_t npyhead_itemsize(NpyDtype dt) { return dt == NPYHEAD_B1 ? 1 : 8; }
