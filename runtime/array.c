/* array.c - TrArray: allocation, freeing, and the 2-D float64 chunk product.
 *
 * An array is one malloc'd header and one 64-byte aligned data block (so
 * generated loops can use aligned vector loads). Arrays are heap values like
 * str/list: value.c's tr_decref calls tr_array_free at refcount 0. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "memlimit.h"

/* "(4294967296, 4294967296)" for a message */
static const char *shape_text(int64_t ndim, const int64_t *shape) {
  static _Thread_local char buf[TR_MAXDIM * 22 + 4];
  int n = snprintf(buf, sizeof buf, "(");
  for (int64_t d = 0; d < ndim; d++)
    n += snprintf(buf + n, sizeof buf - (size_t)n, d ? ", %lld" : "%lld",
                  (long long)shape[d]);
  snprintf(buf + n, sizeof buf - (size_t)n, ndim == 1 ? ",)" : ")");
  return buf;
}

int64_t tr_dtype_size(int64_t dtype) { return dtype == TR_B8 ? 1 : 8; }

/* The bytes of an array's data block: aligned_alloc wants a multiple of
 * the alignment, and never 0 bytes. -1 if it does not fit in memory. */
static int64_t data_bytes(int64_t dtype, int64_t ndim, const int64_t *shape) {
  int64_t n = tr_dtype_size(dtype);
  for (int64_t d = 0; d < ndim; d++)
    if (shape[d] == 0) /* empty, whatever the other axes say */
      return 64;
  for (int64_t d = 0; d < ndim; d++)
    if (shape[d] < 0 || __builtin_mul_overflow(n, shape[d], &n))
      return -1;
  if (n > INT64_MAX - 63)
    return -1;
  n = (n + 63) & ~(int64_t)63;
  return n ? n : 64;
}

TrArray *tr_array_new(int64_t dtype, int64_t ndim, const int64_t *shape) {
  if (ndim < 0 || ndim > TR_MAXDIM)
    tr_error("array has too many dimensions");
  /* A lazy array may be larger than memory can address (Dask lets one be
   * made): its chunk fails as NumPy's "array is too big" does, before a
   * wrapped size allocates too little. */
  int64_t bytes = data_bytes(dtype, ndim, shape);
  if (bytes < 0)
    tr_fail("array is too big: a chunk of %s elements does not fit in "
            "memory", shape_text(ndim, shape));
  tr_mem_charge(bytes); /* fails the task past the memory budget */
  TrArray *a = malloc(sizeof *a);
  void *data = a ? aligned_alloc(64, (size_t)bytes) : NULL;
  if (!data) {
    free(a);
    tr_mem_release(bytes);
    tr_oom();
  }
  memset(a, 0, sizeof *a);
  a->h.refcount = 1;
  a->dtype = dtype;
  a->ndim = ndim;
  a->size = 1;
  for (int64_t d = 0; d < ndim; d++) {
    a->shape[d] = shape[d];
    a->size *= shape[d];
  }
  a->data = data;
  tr_live_add(1);
  return a;
}

void tr_array_free_data(TrArray *a) {
  tr_mem_release(data_bytes(a->dtype, a->ndim, a->shape));
  free(a->data);
}

TrValue tr_array_value(TrArray *a) { return tr_obj(TR_ARRAY, a); }

