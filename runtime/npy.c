/* npy.c - NumPy's .npy files. Written in format 1.0, as numpy.save writes them:
 *   "\x93NUMPY" 1 0, a little-endian uint16 header length, then the header
 *   "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }" padded
 *   with spaces and ended by '\n' so that the data starts at a multiple of
 *   64 bytes, then the data in C order. Read (da.from_npy's chunks) with
 *   the header parser shared with the compiler, ir/npyhead.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "npyhead.h"

static const char *descr(int64_t dtype) {
  return dtype == TR_F64 ? "<f8" : dtype == TR_I64 ? "<i8" : "|b1";
}

static void header(Buf *h, const TrArray *a) {
  buf_printf(h, "{'descr': '%s', 'fortran_order': False, 'shape': (", descr(a->dtype));
  for (int d = 0; d < a->ndim; d++)
    buf_printf(h, d ? ", %lld" : "%lld", (long long)a->shape[d]);
  buf_puts(h, a->ndim == 1 ? ",), }" : "), }");
  while ((10 + h->len + 1) % 64)
    buf_putc(h, ' ');
  buf_putc(h, '\n');
}

bool npy_write_file(FILE *f, const TrArray *a) {
  Buf h = {0};
  header(&h, a);
  unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                           (unsigned char)(h.len & 0xff), (unsigned char)(h.len >> 8)};
  size_t bytes = (size_t)a->size * (size_t)tr_dtype_size(a->dtype);
  bool ok = fwrite(pre, 1, 10, f) == 10 && fwrite(h.p, 1, h.len, f) == h.len &&
            (bytes == 0 || fwrite(a->data, 1, bytes, f) == bytes);
  free(h.p);
  return ok;
}

bool tr_close_written(FILE *f, bool ok) {
  int err = errno;
  if (f && fclose(f) != 0 && ok) {
    ok = false;
    err = errno;
  }
  errno = err;
  return ok;
}

bool npy_write(const char *path, const TrArray *a) {
  FILE *f = fopen(path, "wb");
  return tr_close_written(f, f && npy_write_file(f, a));
}

/* ---- reading (da.from_npy): the header, then blocks of the data ---- */

static int64_t tr_dtype_of(NpyDtype dt) {
  return dt == NPYHEAD_F8 ? TR_F64 : dt == NPYHEAD_I8 ? TR_I64 : TR_B8;
}

_Static_assert((int)NPYHEAD_MAXDIM == (int)TR_MAXDIM, "one limit on dimensions");

/* Fails the task unless the file's dtype and shape are what the compiler
 * read (expect_ndim < 0: any), so a file that changed since compiling is
 * never read with the wrong layout. */
static TrArray *read_block(const char *path, int64_t expect_dtype,
                           int64_t expect_ndim, const int64_t *expect_full,
                           const int64_t *start, const int64_t *shape) {
  char err[NPYHEAD_ERR];
  FILE *f = npyhead_open(path, err);
  if (!f && errno == EINVAL) /* not a regular file: a FIFO would hang */
    tr_fail("%s: %s", path, err);
  if (!f) /* as Python says it */
    tr_fail("[Errno %d] %s: '%s'", errno, strerror(errno), path);
  NpyHead h;
  memset(&h, 0, sizeof h);
  bool ok = npyhead_read(f, &h, err);
  int64_t dtype = tr_dtype_of(h.dtype), ndim = h.ndim, *full = h.shape;
  const char *why = ok ? NULL : err;
  if (!why && expect_ndim >= 0) {
    bool same = dtype == expect_dtype && ndim == expect_ndim;
    for (int64_t d = 0; same && d < ndim; d++)
      same = full[d] == expect_full[d];
    if (!same)
      why = "dtype or shape differs from when the program was compiled";
  }
  for (int64_t d = 0; !why && d < ndim; d++)
    if (start[d] < 0 || shape[d] < 0 || start[d] > full[d] - shape[d])
      why = "block out of range (the file changed since compiling?)";
  if (why) {
    fclose(f);
    tr_fail("%s: %s", path, why);
  }
  long off = (long)h.data_off;
  TrArray *a = tr_array_new(dtype, ndim, shape);
  int64_t es = tr_dtype_size(dtype), row = ndim ? shape[ndim - 1] : 1;
  int64_t nrows = row ? a->size / row : 0;
  for (int64_t r = 0; r < nrows; r++) {
    /* global flat index of this block row's first element */
    int64_t rest = r, g = 0, mul = 1;
    for (int64_t d = ndim - 1; d >= 0; d--) {
      int64_t i = d == ndim - 1 ? 0 : rest % shape[d];
      if (d != ndim - 1)
        rest /= shape[d];
      g += (start[d] + i) * mul;
      mul *= full[d];
    }
    char *dst = (char *)a->data + r * row * es;
    if (fseek(f, off + (long)(g * es), SEEK_SET) != 0 ||
        fread(dst, (size_t)es, (size_t)row, f) != (size_t)row) {
      fclose(f);
      TrValue v = tr_obj(TR_ARRAY, a);
      tr_decref(&v);
      tr_fail("%s: file is shorter than its header says", path);
    }
  }
  fclose(f);
  return a;
}

TrArray *tr_npy_read_block(const char *path, const int64_t *start, const int64_t *shape) {
  return read_block(path, 0, -1, NULL, start, shape);
}

TrArray *tr_npy_read_chunk(const char *path, int64_t dtype, int64_t ndim, const int64_t *full,
                           const int64_t *start, const int64_t *shape) {
  return read_block(path, dtype, ndim, full, start, shape);
}
