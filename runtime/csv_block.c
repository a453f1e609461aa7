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
 * their '\r'). */
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

/* Just after the first '\n' at or after POS in DATA[0, SIZE), or SIZE. */
static int64_t after_newline(const char *data, int64_t size, int64_t pos) {
  if (pos >= size)
    return size;
  const char *nl = memchr(data + pos, '\n', (size_t)(size - pos));
  return nl ? nl - data + 1 : size;
}

void csv_block_lines(const char *data, int64_t size, int64_t offset, int64_t length,
                     int64_t *start, int64_t *end) {
  /* fsspec's seek_delimiter does not search at position 0 */
  *start = offset == 0 ? 0 : after_newline(data, size, offset);
  *end = offset + length == 0 ? 0 : after_newline(data, size, offset + length);
}

/* after_newline for the file FD, read in chunks: 0, or -1 on a read error. */
static int after_newline_fd(int fd, int64_t size, int64_t pos, int64_t *at) {
  char buf[1 << 14];
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
    const char *nl = memchr(buf, '\n', (size_t)got);
    if (nl) {
      *at = pos + (nl - buf) + 1;
      return 0;
    }
    pos += got;
  }
  *at = size;
  return 0;
}

int csv_block_lines_fd(int fd, int64_t size, int64_t offset, int64_t length, int64_t *start,
                       int64_t *end) {
  *start = 0;
  *end = 0;
  if (offset != 0 && after_newline_fd(fd, size, offset, start) != 0)
    return -1;
  if (offset + length != 0 && after_newline_fd(fd, size, offset + length, end) != 0)
    return -1;
  return 0;
}
