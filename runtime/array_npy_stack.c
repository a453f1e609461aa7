/* array_npy_stack.c - da.to_npy_stack(dirname, x, axis): Dask's layout.
 *
 * DIRNAME/info is a pickle of {'chunks': chunks, 'dtype': dtype('<f8'),
 * 'axis': axis} (Dask pickles that dict; we write protocol 2 opcodes, which
 * pickle.load reads as the same dict), DIRNAME/I.npy the I-th block along
 * the axis (the other axes whole), as np.save writes it (npy.c). The
 * compiler reads such an info file for da.from_npy_stack
 * (compiler/collections/array/array_npy_stack.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "array.h"

static void put_int(Buf *b, int64_t v) {
  if (v >= 0 && v < 256) {
    buf_putc(b, 'K'); /* BININT1 */
    buf_putc(b, (char)v);
  } else if (v >= 0 && v < 65536) {
    buf_putc(b, 'M'); /* BININT2 */
    buf_putc(b, (char)(v & 0xff));
    buf_putc(b, (char)(v >> 8));
  } else {
    buf_putc(b, '\x8a'); /* LONG1: 8 bytes, little-endian two's complement */
    buf_putc(b, 8);
    for (int i = 0; i < 8; i++)
      buf_putc(b, (char)(((uint64_t)v >> (8 * i)) & 0xff));
  }
}

static void put_str(Buf *b, const char *s) {
  size_t n = strlen(s);
  buf_putc(b, 'X'); /* BINUNICODE: 4-byte length, UTF-8 */
  for (int i = 0; i < 4; i++)
    buf_putc(b, (char)((n >> (8 * i)) & 0xff));
  buf_puts(b, s);
}

/* a tuple of n items already on the stack after a MARK (or of 0..3) */
static void end_tuple(Buf *b, int64_t n) {
  static const char small[] = {')', '\x85', '\x86', '\x87'};
  buf_putc(b, n <= 3 ? small[n] : 't');
}

static void put_chunks(Buf *b, const TrSeq *chunks) {
  if (chunks->len > 3)
    buf_putc(b, '('); /* MARK */
  for (int64_t d = 0; d < chunks->len; d++) {
    const TrSeq *c = chunks->items[d].u.p;
    if (c->len > 3)
      buf_putc(b, '(');
    for (int64_t i = 0; i < c->len; i++)
      put_int(b, c->items[i].u.i);
    end_tuple(b, c->len);
  }
  end_tuple(b, chunks->len);
}

/* the info dict, as pickle.load reads it */
static void info_pickle(Buf *b, const TrSeq *chunks, int64_t dtype,
                        int64_t axis) {
  buf_puts(b, "\x80\x02}("); /* PROTO 2, EMPTY_DICT, MARK */
  put_str(b, "chunks");
  put_chunks(b, chunks);
  put_str(b, "dtype");
  buf_puts(b, "cnumpy\ndtype\n"); /* GLOBAL numpy.dtype */
  put_str(b, dtype == TR_F64 ? "f8" : dtype == TR_I64 ? "i8" : "b1");
  buf_puts(b, "\x89\x88\x87R("); /* (code, False, True), REDUCE, MARK */
  put_int(b, 3);                 /* the dtype's state, as NumPy's */
  put_str(b, dtype == TR_B8 ? "|" : "<");
  buf_puts(b, "NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xff");
  put_int(b, 0);
  buf_puts(b, "tb"); /* TUPLE, BUILD */
  put_str(b, "axis");
  put_int(b, axis);
  buf_puts(b, "u."); /* SETITEMS, STOP */
}

static bool write_file(const char *path, const char *data, size_t n) {
  FILE *f = fopen(path, "wb");
  return tr_close_written(f, f && fwrite(data, 1, n, f) == n);
}

static _Noreturn void fail_path(const char *path) {
  int err = errno;
  tr_fail("[Errno %d] %s: '%s'", err, strerror(err), path);
}

/* array.to_npy_stack(dirname, dtype, axis, chunks, [blocks]) */
void tr_op_array_to_npy_stack(const TrValue *args, int64_t n, TrValue *out) {
  (void)n;
  const TrStr *dir = args[0].u.p;
  const TrStr *dt = args[1].u.p;
  int64_t dtype = !strcmp(dt->data, "float64") ? TR_F64
                  : !strcmp(dt->data, "int64") ? TR_I64 : TR_B8;
  const TrSeq *blocks = args[4].u.p;
  char path[4096];
  struct stat st;
  if (stat(dir->data, &st) != 0 && mkdir(dir->data, 0777) != 0)
    fail_path(dir->data);
  if (snprintf(path, sizeof path, "%s/info", dir->data) >= (int)sizeof path)
    tr_fail("to_npy_stack: the directory name is too long");
  Buf b = {0};
  info_pickle(&b, args[3].u.p, dtype, args[2].u.i);
  bool ok = write_file(path, b.p, b.len);
  free(b.p);
  if (!ok)
    fail_path(path);
  for (int64_t i = 0; i < blocks->len; i++) {
    snprintf(path, sizeof path, "%s/%lld.npy", dir->data, (long long)i);
    if (blocks->items[i].tag != TR_ARRAY)
      tr_fail("to_npy_stack: block %lld is not an array", (long long)i);
    if (!npy_write(path, blocks->items[i].u.p))
      fail_path(path);
  }
  *out = (TrValue){TR_NONE, {0}};
}
