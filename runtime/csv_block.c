/* csv_block.c - the byte blocks of dd.read_csv: Dask 2022.12's
 * read_bytes(path, delimiter=b'\n', blocksize=B, sample=False) cuts a
 * file into blocks (offset, length) and each block's task reads with
 * fsspec's read_block the whole lines that start in it:
 *   start: 0 for the block at offset 0, else just after the first '\n' at
 *          or after the offset (the file's end if there is none);
 *   end:   just after the first '\n' at or after offset + length (the
 *          file's end if there is none).
 * A line that spans blocks belongs to the block it starts in; a block in
 * which no line starts is empty ('\r' is an ordinary byte: CRLF lines keep
 * their '\r').
 *
 * dask.bag.read_text cuts its blocks the same way on its line delimiter,
 * any byte string (fsspec's seek_delimiter): the *_delim functions take it,
 * and the '\n' ones are those with "\n". An empty delimiter means no
 * alignment at all (read_block's `if delimiter:`): [offset, offset+length). */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"

int64_t csv_block_plan(int64_t size, int64_t blocksize, CsvBlock *out, int64_t cap) {
  if (size <= 0 || blocksize <= 0)
    return 0;
  /* Dask spreads the spare bytes over the blocks with Python floats: a
   * float block size when BLOCKSIZE does not divide SIZE, cut at
   * int(place). Doubles hold every offset of a file below 2^53 bytes
   * exactly, so Python's int arithmetic of the other case is the same. */
  double bs = (size % blocksize && size > blocksize)
                  ? (double)size / (double)(size / blocksize)
                  : (double)blocksize;
  double place = 0;
  int64_t count = 0, prev = 0;
  while ((double)size - place > bs * 2 - 1) {
    place += bs;
    int64_t off = (int64_t)place;
    if (count < cap)
      out[count] = (CsvBlock){prev, off - prev};
    count++;
    prev = off;
  }
  if (count < cap)
    out[count] = (CsvBlock){prev, size - prev};
  return count + 1;
}

/* Just after the first DELIM at or after POS in DATA[0, SIZE), or SIZE. */
static int64_t after_delim(const char *data, int64_t size, int64_t pos, const char *delim,
                           int64_t dlen) {
  if (pos >= size)
    return size;
  const char *hit = dlen == 1 ? memchr(data + pos, delim[0], (size_t)(size - pos))
                              : memmem(data + pos, (size_t)(size - pos), delim, (size_t)dlen);
  return hit ? hit - data + dlen : size;
}

void csv_block_span(const char *data, int64_t size, int64_t offset, int64_t length,
                    const char *delim, int64_t dlen, int64_t *start, int64_t *end) {
  if (dlen == 0) { /* no delimiter: the bytes themselves */
    *start = offset < size ? offset : size;
    *end = offset + length < size ? offset + length : size;
    return;
  }
  /* fsspec's seek_delimiter does not search at position 0 */
  *start = offset == 0 ? 0 : after_delim(data, size, offset, delim, dlen);
  *end = offset + length == 0 ? 0 : after_delim(data, size, offset + length, delim, dlen);
}

void csv_block_lines(const char *data, int64_t size, int64_t offset, int64_t length,
                     int64_t *start, int64_t *end) {
  csv_block_span(data, size, offset, length, "\n", 1, start, end);
}

/* after_delim for the file FD, read in chunks that overlap by DLEN - 1
 * bytes (a delimiter may straddle two): 0, or -1 on a read error. */
static int after_delim_fd(int fd, int64_t size, int64_t pos, const char *delim, int64_t dlen,
                          int64_t *at) {
  char buf[1 << 14];
  if (dlen >= (int64_t)sizeof buf / 2) {
    errno = EINVAL; /* a delimiter of 8 KiB: not worth a second buffer */
    return -1;
  }
  while (pos < size) {
    size_t want = size - pos < (int64_t)sizeof buf ? (size_t)(size - pos) : sizeof buf;
    ssize_t got = pread(fd, buf, want, (off_t)pos);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0) {
      if (got == 0)
        errno = EIO; /* the file shrank under us */
      return -1;
    }
    const char *hit = dlen == 1 ? memchr(buf, delim[0], (size_t)got)
                                : memmem(buf, (size_t)got, delim, (size_t)dlen);
    if (hit) {
      *at = pos + (hit - buf) + dlen;
      return 0;
    }
    if (pos + got >= size)
      break;
    pos += got > dlen - 1 ? got - (dlen - 1) : got;
  }
  *at = size;
  return 0;
}

int csv_block_span_fd(int fd, int64_t size, int64_t offset, int64_t length, const char *delim,
                      int64_t dlen, int64_t *start, int64_t *end) {
  if (dlen == 0) {
    *start = offset < size ? offset : size;
    *end = offset + length < size ? offset + length : size;
    return 0;
  }
  *start = 0;
  *end = 0;
  if (offset != 0 && after_delim_fd(fd, size, offset, delim, dlen, start) != 0)
    return -1;
  if (offset + length != 0 && after_delim_fd(fd, size, offset + length, delim, dlen, end) != 0)
    return -1;
  return 0;
}

int csv_block_lines_fd(int fd, int64_t size, int64_t offset, int64_t length, int64_t *start,
                       int64_t *end) {
  return csv_block_span_fd(fd, size, offset, length, "\n", 1, start, end);
}
