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

/* ---- matmul: C = A @ B, blocked so the working set stays in cache ----
 *
 * Loop order i-k-j: the inner loop runs along a row of B and a row of C,
 * both contiguous, so it vectorises. Blocks of K and N keep a KB x NB panel
 * of B (256 KB) in L2 while MB rows of A and C stream past it. */
enum { MB = 64, KB = 128, NB = 256 };

static void mm_block(const double *restrict a, const double *restrict b,
                     double *restrict c, int64_t k, int64_t n, int64_t i0,
                     int64_t i1, int64_t k0, int64_t k1, int64_t j0, int64_t j1) {
  for (int64_t i = i0; i < i1; i++) {
    double *restrict ci = c + i * n;
    const double *ai = a + i * k;
    int64_t p = k0;
    /* four rows of B per pass: a quarter of the loads and stores of C */
    for (; p + 4 <= k1; p += 4) {
      double a0 = ai[p], a1 = ai[p + 1], a2 = ai[p + 2], a3 = ai[p + 3];
      const double *b0 = b + p * n, *b1 = b0 + n, *b2 = b1 + n, *b3 = b2 + n;
      for (int64_t j = j0; j < j1; j++)
        ci[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
    }
    for (; p < k1; p++) {
      double ap = ai[p];
      const double *bp = b + p * n;
      for (int64_t j = j0; j < j1; j++)
        ci[j] += ap * bp[j];
    }
  }
}

static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }

TrArray *tr_array_matmul(const TrArray *a, const TrArray *b) {
  if (a->ndim != 2 || b->ndim != 2 || a->dtype != TR_F64 || b->dtype != TR_F64)
    tr_fail("matmul: expected 2-D float64 chunks");
  int64_t m = a->shape[0], k = a->shape[1], n = b->shape[1];
  if (b->shape[0] != k)
    tr_fail("matmul: Input operand 1 has a mismatch in its core dimension 0, "
            "with gufunc signature (n?,k),(k,m?)->(n?,m?) (size %lld is different from %lld)",
            (long long)b->shape[0], (long long)k);
  int64_t shape[2] = {m, n};
  TrArray *c = tr_array_new(TR_F64, 2, shape);
  memset(c->data, 0, (size_t)(m * n) * sizeof(double));
  for (int64_t j0 = 0; j0 < n; j0 += NB)
    for (int64_t k0 = 0; k0 < k; k0 += KB)
      for (int64_t i0 = 0; i0 < m; i0 += MB)
        mm_block(a->data, b->data, c->data, k, n, i0, min64(i0 + MB, m), k0,
                 min64(k0 + KB, k), j0, min64(j0 + NB, n));
  return c;
}
