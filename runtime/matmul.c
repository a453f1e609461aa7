/* matmul.c - C = A @ B for one pair of chunks, by OpenBLAS's DGEMM.
 *
 * A hand-written blocked kernel reached a tenth of NumPy on OpenBLAS
 * (4000x4000: 8-11 s against 0.8-0.9 s); a tuned BLAS is the right tool.
 * We link Debian's serial OpenBLAS statically (libopenblas-serial-dev):
 * executables stay standalone, and parallelism stays with our scheduler,
 * one block product per task, as Dask runs NumPy's matmul per block. The
 * serial build guards its buffer pool with a lock, so workers may call it
 * at once. This file is alone so that only programs with a matrix product
 * pull OpenBLAS into their executable (a static archive member is linked
 * only when referenced). NumPy makes the same call for C-contiguous
 * float64 operands: cblas_dgemm(RowMajor, NoTrans, NoTrans, m, n, k, 1.0,
 * A, k, B, n, 0.0, C, n). */
#include <stdint.h>
#include <string.h>

#include "array.h"

/* The CBLAS routines we call, declared from the CBLAS standard's ABI
 * (OpenBLAS's cblas.h would need its include folder on every runtime
 * file's command line for two prototypes). The enums are C ints; Debian's
 * libopenblas0-serial indexes with 32-bit ints. */
enum { CBLAS_ROW_MAJOR = 101, CBLAS_NO_TRANS = 111, CBLAS_UPPER = 121 };
void cblas_dgemm(int order, int transa, int transb, int m, int n, int k,
                 double alpha, const double *a, int lda, const double *b,
                 int ldb, double beta, double *c, int ldc);
void cblas_dsyrk(int order, int uplo, int trans, int n, int k, double alpha,
                 const double *a, int lda, double beta, double *c, int ldc);

static void check_dims(int64_t m, int64_t n, int64_t k) {
  /* OpenBLAS takes int dimensions (its 32-bit-index build). */
  if (m > INT32_MAX || n > INT32_MAX || k > INT32_MAX)
    tr_fail("matmul: a chunk dimension is larger than %d", INT32_MAX);
}

TrArray *tr_array_matmul(const TrArray *a, const TrArray *b) {
  if (a->ndim != 2 || b->ndim != 2 || a->dtype != TR_F64 || b->dtype != TR_F64)
    tr_fail("matmul: expected 2-D float64 chunks");
  int64_t m = a->shape[0], k = a->shape[1], n = b->shape[1];
  if (b->shape[0] != k)
    tr_fail("matmul: Input operand 1 has a mismatch in its core dimension 0, "
            "with gufunc signature (n?,k),(k,m?)->(n?,m?) (size %lld is different from %lld)",
            (long long)b->shape[0], (long long)k);
  check_dims(m, n, k);
  int64_t shape[2] = {m, n};
  TrArray *c = tr_array_new(TR_F64, 2, shape);
  if (m == 0 || n == 0)
    return c;
  if (k == 0) { /* DGEMM with k = 0 scales C by beta = 0: zeros */
    memset(c->data, 0, (size_t)(m * n) * sizeof(double));
    return c;
  }
  cblas_dgemm(CBLAS_ROW_MAJOR, CBLAS_NO_TRANS, CBLAS_NO_TRANS, (int)m, (int)n, (int)k,
              1.0, a->data, (int)k, b->data, (int)n, 0.0, c->data, (int)n);
  return c;
}

/* NumPy's matmul sees A @ A.T when both operands are views of one buffer
 * (Dask's x @ x.T on a diagonal block) and calls DSYRK for the upper
 * triangle, then copies it to the lower one: rounding differs from DGEMM's,
 * so we do the same to give the same bits. */
TrArray *tr_array_matmul_t(const TrArray *a) {
  if (a->ndim != 2 || a->dtype != TR_F64)
    tr_fail("matmul: expected 2-D float64 chunks");
  int64_t n = a->shape[0], k = a->shape[1];
  check_dims(n, n, k);
  int64_t shape[2] = {n, n};
  TrArray *c = tr_array_new(TR_F64, 2, shape);
  double *out = c->data;
  if (n == 0)
    return c;
  if (k == 0) {
    memset(out, 0, (size_t)(n * n) * sizeof(double));
    return c;
  }
  cblas_dsyrk(CBLAS_ROW_MAJOR, CBLAS_UPPER, CBLAS_NO_TRANS, (int)n, (int)k, 1.0,
              a->data, (int)k, 0.0, out, (int)n);
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = i + 1; j < n; j++)
      out[j * n + i] = out[i * n + j];
  return c;
}
