/* text.c - one partition of dask.bag.read_text as Dask 2022.12 makes it:
 *
 *   bag.read_text(path, offset, length, linedelimiter)
 *
 * length -1 is blocksize=None: the whole file through file_to_blocks (a
 * text-mode file with newline=linedelimiter for the five standard ones,
 * else str.split). length >= 0 is blocksize=N: read_bytes' block (offset,
 * length) cut on linedelimiter (b'\n' for None; runtime/csv_block.c), then
 * decode() (io.StringIO for the standard ones, else split). Lines keep
 * their ending; text.h says how each mode ends them. The bytes must be
 * strict UTF-8, as Dask's default encoding decodes them.
 *
 * The block is read once into the thread's buffer and each line copied
 * into its own str: the list is the partition, its strs outlive the
 * buffer. */
#define _GNU_SOURCE /* memmem */
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "rt.h"

TextMode text_mode(const char *delim, int64_t dlen, bool blocked) {
  if (!delim)
    return TEXT_UNIVERSAL;
  if (dlen == 0)
    return TEXT_ANY;
  if (dlen == 1 && delim[0] == '\n')
    return TEXT_DELIM;
  bool cr = dlen == 1 && delim[0] == '\r', crlf = dlen == 2 && !memcmp(delim, "\r\n", 2);
  if (blocked && cr)
    return TEXT_CR_AS;
  if (blocked && crlf)
    return TEXT_CRLF_AS;
  return cr || crlf ? TEXT_DELIM : blocked ? TEXT_DELIM_BLOCK : TEXT_DELIM_ALL;
}

/* ---- the list ---- */

typedef struct Lines {
  TrValue *items;
  int64_t n, cap;
} Lines;

/* A new str of BODY[0, LEN) then the ending END[0, ELEN). */
static void add(Lines *l, const char *body, int64_t len, const char *end, int64_t elen) {
  if (l->n == l->cap) {
    int64_t cap = l->cap ? l->cap * 2 : 256;
    TrValue *items = realloc(l->items, (size_t)cap * sizeof *items);
    if (!items)
      tr_fail("out of memory");
    l->items = items;
    l->cap = cap;
  }
  TrStr *s = tr_str_alloc(len + elen);
  memcpy(s->data, body, (size_t)len);
  memcpy(s->data + len, end, (size_t)elen);
  l->items[l->n++] = tr_obj(TR_STR, s);
}

static TrSeq *to_list(Lines *l) {
  TrSeq *s = tr_seq_new(l->n);
  if (l->n)
    memcpy(s->items, l->items, (size_t)l->n * sizeof *l->items);
  free(l->items);
  return s;
}

/* ---- cutting ---- */

/* The first '\r' or '\n' in [P, END), or END. HAS_CR false: no '\r' in the
 * text, so memchr for '\n' alone (the common case). */
static const char *next_eol(const char *p, const char *end, bool has_cr) {
  const char *nl = memchr(p, '\n', (size_t)(end - p));
  if (!nl)
    nl = end;
  if (!has_cr)
    return nl;
  const char *cr = memchr(p, '\r', (size_t)(nl - p));
  return cr ? cr : nl;
}

/* newline None, '' and StringIO's '\r' and '\r\n': a line ends at the
 * first '\r' or '\n' ('\r\n' together for the first two). */
static void cut_newlines(Lines *l, const char *p, const char *end, TextMode mode) {
  bool has_cr = memchr(p, '\r', (size_t)(end - p)) != NULL;
  while (p < end) {
    const char *e = mode == TEXT_CRLF_AS ? memchr(p, '\n', (size_t)(end - p))
                                         : next_eol(p, end, has_cr);
    if (!e || e == end) {
      add(l, p, end - p, "", 0); /* the last line, without an ending */
      return;
    }
    int64_t elen = *e == '\r' && e + 1 < end && e[1] == '\n' ? 2 : 1;
    switch (mode) {
    case TEXT_UNIVERSAL: add(l, p, e - p, "\n", 1); break;
    case TEXT_ANY: add(l, p, e - p + elen, "", 0); break;
    case TEXT_CR_AS: add(l, p, e - p, "\r", 1), elen = 1; break;
    default: add(l, p, e - p, "\r\n", 2), elen = 1; break; /* TEXT_CRLF_AS */
    }
    p = e + elen;
  }
}

/* The delimiter modes: after each DELIM; what happens to the last piece
 * differs (text.h). */
static void cut_delim(Lines *l, const char *text, const char *end, const char *d, int64_t dlen,
                      TextMode mode) {
  const char *p = text;
  while (p < end) {
    const char *e = dlen == 1 ? memchr(p, d[0], (size_t)(end - p))
                              : memmem(p, (size_t)(end - p), d, (size_t)dlen);
    if (!e)
      break;
    add(l, p, e - p + dlen, "", 0);
    p = e + dlen;
  }
  bool keep = mode == TEXT_DELIM_ALL ? true
              : mode == TEXT_DELIM   ? p < end
                                     : end - text < dlen || memcmp(end - dlen, d, (size_t)dlen);
  if (keep)
    add(l, p, end - p, "", 0);
}

TrSeq *text_lines(const char *text, int64_t len, TextMode mode, const char *delim,
                  int64_t dlen) {
  Lines l = {0};
  if (len > 0) {
    if (mode == TEXT_DELIM || mode == TEXT_DELIM_ALL || mode == TEXT_DELIM_BLOCK)
      cut_delim(&l, text, text + len, delim, dlen, mode);
    else
      cut_newlines(&l, text, text + len, mode);
  }
  return to_list(&l);
}

/* ---- UTF-8 ---- */

/* CPython's strict decoder: the valid range of each continuation byte
 * after lead byte C (no overlongs, no surrogates, nothing past U+10FFFF). */
static int64_t utf8_seq(const unsigned char *s, int64_t n, int64_t i, const char **why,
                        int64_t *bad) {
  unsigned c = s[i];
  int need = c >= 0xC2 && c <= 0xDF ? 1 : c >= 0xE0 && c <= 0xEF ? 2 : c >= 0xF0 && c <= 0xF4 ? 3 : 0;
  if (!need) {
    *why = "invalid start byte";
    *bad = 1;
    return -1;
  }
  unsigned lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
  unsigned hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
  for (int k = 1; k <= need; k++) {
    if (i + k >= n) {
      *why = "unexpected end of data";
      *bad = k;
      return -1;
    }
    unsigned b = s[i + k];
    if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) {
      *why = "invalid continuation byte";
      *bad = k;
      return -1;
    }
  }
  return need + 1;
}

int64_t text_utf8_error(const char *text, int64_t n, const char **why, int64_t *bad) {
  const unsigned char *s = (const unsigned char *)text;
  int64_t i = 0;
  while (i < n) {
    /* eight ASCII bytes at a time: most text is all ASCII */
    while (i + 8 <= n) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      if (w & 0x8080808080808080ull)
        break;
      i += 8;
    }
    if (i >= n)
      break;
    if (s[i] < 0x80) {
      i++;
      continue;
    }
    int64_t k = utf8_seq(s, n, i, why, bad);
    if (k < 0)
      return i;
    i += k;
  }
  return -1;
}

/* ---- the op ---- */

static _Noreturn void fail_errno(const char *path) {
  tr_fail("[Errno %d] %s: '%s'", errno, strerror(errno), path); /* as Python says it */
}

/* Each thread keeps its read buffer between tasks: a fresh malloc per
 * block of megabytes is an mmap, page faults on zeroed pages and a munmap
 * (or a heap trim), which cost as much as cutting the lines. The buffer is
 * freed when the thread ends (a key's destructor); one above KEEP_MAX is
 * freed after its task. */
enum { KEEP_MAX = 64 << 20 };
static pthread_key_t buf_key;
static pthread_once_t buf_once = PTHREAD_ONCE_INIT;
static _Thread_local char *tl_buf;
static _Thread_local size_t tl_cap;

static void make_key(void) { pthread_key_create(&buf_key, free); }

/* Room for N bytes, NULL when out of memory; give it back with
 * release_buffer. */
static char *get_buffer(size_t n) {
  if (n <= tl_cap)
    return tl_buf;
  pthread_once(&buf_once, make_key);
  free(tl_buf);
  tl_buf = NULL;
  tl_cap = 0;
  pthread_setspecific(buf_key, NULL);
  char *b = malloc(n);
  if (b && n <= KEEP_MAX) {
    tl_buf = b;
    tl_cap = n;
    pthread_setspecific(buf_key, b);
  }
  return b;
}

static void release_buffer(char *b) {
  if (b != tl_buf)
    free(b);
}

/* The bytes [*START, *END) of the partition, read once. */
static char *read_part(const char *path, int64_t offset, int64_t length, const char *delim,
                       int64_t dlen, int64_t *start, int64_t *end) {
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    fail_errno(path);
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int err = errno;
    close(fd);
    errno = err;
    fail_errno(path);
  }
  if (S_ISDIR(st.st_mode)) {
    close(fd);
    errno = EISDIR;
    fail_errno(path);
  }
  int64_t size = st.st_size;
  *start = 0;
  *end = size;
  if (length >= 0 && csv_block_span_fd(fd, size, offset, length, delim, dlen, start, end) != 0) {
    int err = errno;
    close(fd);
    tr_fail("cannot read '%s': %s", path, strerror(err));
  }
  int64_t want = *end - *start, got = 0;
  char *buf = get_buffer((size_t)want + 1);
  if (!buf) {
    close(fd);
    tr_fail("out of memory reading '%s'", path);
  }
  while (got < want) {
    ssize_t r = pread(fd, buf + got, (size_t)(want - got), (off_t)(*start + got));
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      break;
    got += r;
  }
  int err = errno;
  close(fd);
  if (got != want) {
    release_buffer(buf);
    tr_fail("cannot read '%s': %s", path, got < want && err ? strerror(err) : "file changed");
  }
  return buf;
}

/* Python's UnicodeDecodeError, with the file and the byte's offset in it,
 * into MSG; false if BUF[0, LEN) decodes. */
static bool utf8_message(const char *buf, int64_t len, const char *path, int64_t start,
                         char *msg, size_t cap) {
  const char *why;
  int64_t bad;
  int64_t at = text_utf8_error(buf, len, &why, &bad);
  if (at < 0)
    return false;
  if (bad == 1)
    snprintf(msg, cap, "'%s': 'utf-8' codec can't decode byte 0x%02x in position %lld: %s",
             path, (unsigned char)buf[at], (long long)(start + at), why);
  else
    snprintf(msg, cap, "'%s': 'utf-8' codec can't decode bytes in position %lld-%lld: %s",
             path, (long long)(start + at), (long long)(start + at + bad - 1), why);
  return true;
}

TrSeq *text_read_lines(const TrValue *args, int64_t *first) {
  const TrStr *path = args[0].u.p;
  int64_t offset = args[1].u.i, length = args[2].u.i;
  const TrStr *d = args[3].tag == TR_STR ? args[3].u.p : NULL;
  /* the block's delimiter: linedelimiter, b'\n' for None */
  const char *bdelim = d ? d->data : "\n";
  int64_t bdlen = d ? d->len : 1;
  int64_t start, end;
  char *buf = read_part(path->data, offset, length, bdelim, bdlen, &start, &end);
  int64_t len = end - start;
  char msg[TR_MSG_MAX];
  if (utf8_message(buf, len, path->data, start, msg, sizeof msg)) {
    release_buffer(buf);
    tr_fail("%s", msg);
  }
  TextMode mode = text_mode(d ? d->data : NULL, d ? d->len : 0, length >= 0);
  TrSeq *lines = text_lines(buf, len, mode, d ? d->data : NULL, d ? d->len : 0);
  release_buffer(buf);
  *first = start;
  return lines;
}

int64_t text_line_number(const TrValue *args, int64_t first) {
  const TrStr *d = args[3].tag == TR_STR ? args[3].u.p : NULL;
  const char *delim = d ? d->data : "\n";
  int64_t dlen = d ? d->len : 1, before = 0, start, end;
  if (first <= 0)
    return 1;
  const TrStr *path = args[0].u.p;
  char *buf = read_part(path->data, 0, first, delim, dlen, &start, &end);
  for (const char *p = buf, *stop = buf + (first < end ? first : end);
       (p = memmem(p, (size_t)(stop - p), delim, (size_t)dlen)) != NULL; p += dlen)
    before++;
  release_buffer(buf);
  return before + 1;
}

void tr_op_bag_read_text(const TrValue *args, int64_t n, TrValue *out) {
  (void)n;
  int64_t first;
  *out = tr_obj(TR_LIST, text_read_lines(args, &first));
}
