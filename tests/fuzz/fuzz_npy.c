/* fuzz_npy.c - libFuzzer target for the .npy header parser (ir/npyhead.c),
 * which reads files the user names, at compile time and in every chunk task
 * at run time.
 *
 * Each input is a whole file's start (magic, version, length, dict) and
 * also, on its own, a dict text. Beyond not crashing, an accepted header
 * must describe an array the callers can trust: at most NPYHEAD_MAXDIM
 * non-negative dimensions whose byte count is exact, and a data offset
 * inside the input; else abort(), which libFuzzer reports. Build and run
 * with tests/fuzz/run.sh. */
#include <stdint.h>
#include <stdlib.h>

#include "npyhead.h"

static void check(const NpyHead *h, bool whole, size_t size) {
  if (h->ndim < 0 || h->ndim > NPYHEAD_MAXDIM || h->dtype > NPYHEAD_B1)
    abort();
  int64_t n = npyhead_itemsize(h->dtype);
  for (int d = 0; d < h->ndim; d++) {
    if (h->shape[d] < 0)
      abort();
    if (__builtin_mul_overflow(n, h->shape[d], &n))
      n = -1; /* only an array with a zero dimension may get here */
  }
  bool empty = false;
  for (int d = 0; d < h->ndim; d++)
    empty |= h->shape[d] == 0;
  if (h->data_bytes != (empty ? 0 : n) || h->data_bytes < 0)
    abort();
  if (whole && (h->data_off < 10 || (size_t)h->data_off > size))
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  NpyHead h;
  char err[NPYHEAD_ERR];
  if (npyhead_parse(data, size, &h, err))
    check(&h, true, size);
  if (npyhead_dict((const char *)data, size, &h, err))
    check(&h, false, size);
  return 0;
}
