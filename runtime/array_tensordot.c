/* array_tensordot.c - np.tensordot of two chunks, as NumPy 1.24 computes it.
 *
 * Dask's tensordot (and so einsum-free contractions, dot of >2-d arrays)
 * calls np.tensordot per pair of blocks: the contracted axes of a move to
 * its end and those of b to its front (a transpose, a view), each is
 * reshaped to 2-d (a view where NumPy's _attempt_nocopy_reshape finds one,
 * else a C-order copy), and np.dot of the two 2-d arrays runs NumPy's
 * cblas_matrixproduct: by the operands' shapes a scalar product (DAXPY), a
 * dot product (DDOT), a matrix-vector product (DGEMV, row- or column-major
 * by the view's layout) or DGEMM with transposition flags for
 * Fortran-ordered views. NumPy's DSYRK case (both operands views of one
 * buffer) is left out: Dask's blockwise fusion computes the two operands
 * of tensordot(x, x) separately, so NumPy sees two buffers and calls DGEMM
 * (checked against Dask: tests/lit/differential/array_tensordot.tg). The BLAS routine
 * and its flags decide the rounding, so we follow NumPy's choice step by
 * step, with the strides NumPy's views would have. int64 products are exact
 * (wrapping) sums, in any order. The result gets Dask's length-1 axes at
 * the contracted axes of a (_tensordot's x[ind] with None), which only
 * changes the shape. */
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "memlimit.h"

enum { ROW_MAJOR = 101, COL_MAJOR = 102, NO_TRANS = 111, TRANS = 112 };
void cblas_dgemm(int order, int ta, int tb, int m, int n, int k, double alpha,
                 const double *a, int lda, const double *b, int ldb,
                 double beta, double *c, int ldc);
void cblas_dgemv(int order, int trans, int m, int n, double alpha,
                 const double *a, int lda, const double *x, int incx,
                 double beta, double *y, int incy);
void cblas_daxpy(int n, double alpha, const double *x, int incx, double *y,
                 int incy);
double cblas_ddot(int n, const double *x, int incx, const double *y,
                  int incy);

/* A strided view of float64 or int64 data (strides in elements). */
typedef struct View {
  const void *p;
  int nd;
  int64_t dims[TR_MAXDIM], st[TR_MAXDIM];
} View;

/* NumPy's C_CONTIGUOUS (fortran false) or F_CONTIGUOUS flag: size-1 axes
 * take any stride, an empty view is both. */
static bool contig(const View *v, bool fortran) {
  int64_t want = 1;
  for (int i = 0; i < v->nd; i++) {
    int d = fortran ? i : v->nd - 1 - i;
    if (v->dims[d] == 0)
      return true;
    if (v->dims[d] != 1) {
      if (v->st[d] != want)
        return false;
      want *= v->dims[d];
    }
  }
  return true;
}

static bool c_contig(const View *v) { return contig(v, false); }
static bool f_contig(const View *v) { return contig(v, true); }

/* NumPy's _attempt_nocopy_reshape (C order): new strides or false. */
static bool nocopy_reshape(const View *v, int nn, const int64_t *nd,
                           int64_t *ns) {
  int64_t od[TR_MAXDIM], os[TR_MAXDIM];
  int on = 0;
  for (int i = 0; i < v->nd; i++)
    if (v->dims[i] != 1) {
      od[on] = v->dims[i];
      os[on++] = v->st[i];
    }
  int oi = 0, oj = 1, ni = 0, nj = 1;
  while (ni < nn && oi < on) {
    int64_t np = nd[ni], op = od[oi];
    while (np != op) {
      if (np < op)
        np *= nd[nj++];
      else
        op *= od[oj++];
    }
    for (int ok = oi; ok < oj - 1; ok++)
      if (os[ok] != od[ok + 1] * os[ok + 1])
        return false;
    ns[nj - 1] = os[oj - 1];
    for (int nk = nj - 1; nk > ni; nk--)
      ns[nk - 1] = ns[nk] * nd[nk];
    ni = nj++;
    oi = oj++;
  }
  int64_t last = ni >= 1 ? ns[ni - 1] : 1;
  for (int nk = ni; nk < nn; nk++)
    ns[nk] = last;
  return true;
}

/* C-order copy of a view (NumPy's reshape when no view exists). */
static void *copy_c(const View *v, size_t esz, void **owned) {
  int64_t n = 1;
  for (int d = 0; d < v->nd; d++)
    n *= v->dims[d];
  char *out = malloc(n > 0 ? (size_t)n * esz : 1);
  if (!out)
    tr_oom();
  int64_t idx[TR_MAXDIM] = {0};
  for (int64_t i = 0; i < n; i++) {
    int64_t off = 0;
    for (int d = 0; d < v->nd; d++)
      off += idx[d] * v->st[d];
    memcpy(out + (size_t)i * esz, (const char *)v->p + (size_t)off * esz, esz);
    for (int d = v->nd - 1; d >= 0 && ++idx[d] == v->dims[d]; d--)
      idx[d] = 0;
  }
  *owned = out;
  return out;
}

/* x.transpose(perm).reshape((r0, r1)) as NumPy builds it. */
static void view2d(const TrArray *x, const void *data, const int *perm,
                   int64_t r0, int64_t r1, size_t esz, View *out,
                   void **owned) {
  View t = {data, (int)x->ndim, {0}, {0}};
  int64_t cst[TR_MAXDIM], s = 1;
  for (int d = (int)x->ndim - 1; d >= 0; d--) {
    cst[d] = s;
    s *= x->shape[d];
  }
  for (int d = 0; d < t.nd; d++) {
    t.dims[d] = x->shape[perm[d]];
    t.st[d] = cst[perm[d]];
  }
  int64_t nd[2] = {r0, r1}, ns[2];
  out->nd = 2;
  out->dims[0] = r0;
  out->dims[1] = r1;
  if (t.nd == 2 && t.dims[0] == r0 && t.dims[1] == r1) { /* same shape */
    out->p = t.p;
    out->st[0] = t.st[0];
    out->st[1] = t.st[1];
    return;
  }
  if (c_contig(&t)) {
    out->p = t.p;
    out->st[0] = r1;
    out->st[1] = 1;
    return;
  }
  if (nocopy_reshape(&t, 2, nd, ns)) {
    out->p = t.p;
    out->st[0] = ns[0];
    out->st[1] = ns[1];
    return;
  }
  out->p = copy_c(&t, esz, owned);
  out->st[0] = r1;
  out->st[1] = 1;
}

static void check_int(int64_t v) {
  if (v > INT32_MAX) /* Debian's OpenBLAS takes 32-bit ints */
    tr_fail("tensordot: a chunk dimension is larger than %d", INT32_MAX);
}

typedef enum { SCALAR, COLUMN, ROW, MATRIX } Shape;

static Shape shape_of(const View *v) {
  if (v->dims[0] > 1)
    return v->dims[1] > 1 ? MATRIX : COLUMN;
  return v->dims[1] > 1 ? ROW : SCALAR;
}

static int64_t ld(int64_t d) { return d > 1 ? d : 1; }

/* A copy of a view that is neither C- nor F-contiguous (cblas's PyArray_Copy:
 * C order). */
static void make_segment(View *v, void **owned) {
  if (c_contig(v) || f_contig(v))
    return;
  v->p = copy_c(v, sizeof(double), owned);
  v->st[0] = v->dims[1];
  v->st[1] = 1;
}

/* np.dot(a, b) of 2-d float64 views into out (m x n, zeroed, C order):
 * NumPy's cblas_matrixproduct. */
static void dot_f64(View a, View b, double *out, void **owned) {
  Shape sa = shape_of(&a), sb = shape_of(&b);
  int64_t m = a.dims[0], n = b.dims[1], k = a.dims[1];
  if (m * n == 0 || k == 0)
    return;
  check_int(m);
  check_int(n);
  check_int(k);
  if (sa == SCALAR || sb == SCALAR) {
    View x = a, s = b;
    Shape sx = sa;
    if (sa == SCALAR) {
      x = b;
      s = a;
      sx = sb;
    }
    int64_t xst = sx == ROW ? x.st[1] : x.st[0];
    int64_t l = sx == ROW ? n : m; /* nd == 2 */
    double v = *(const double *)s.p;
    if (l == 1)
      out[0] = v * *(const double *)x.p;
    else if (sx != MATRIX)
      cblas_daxpy((int)l, v, x.p, (int)xst, out, 1);
    else
      tr_fail("tensordot: internal error: scalar times a matrix");
    return;
  }
  if (sb == COLUMN && sa != MATRIX) {
    out[0] = 0.0 + cblas_ddot((int)k, a.p, (int)(sa == ROW ? a.st[1] : a.st[0]),
                              b.p, (int)b.st[0]);
    return;
  }
  if (sa == MATRIX && sb != MATRIX) {
    make_segment(&a, &owned[2]);
    bool c = c_contig(&a);
    cblas_dgemv(c ? ROW_MAJOR : COL_MAJOR, NO_TRANS, (int)m, (int)k, 1.0, a.p,
                (int)(c ? ld(k) : ld(m)), b.p, (int)b.st[0], 0.0, out, 1);
    return;
  }
  if (sa != MATRIX && sb == MATRIX) {
    make_segment(&b, &owned[2]);
    bool c = c_contig(&b);
    cblas_dgemv(c ? ROW_MAJOR : COL_MAJOR, TRANS, (int)k, (int)n, 1.0, b.p,
                (int)(c ? ld(n) : ld(k)), a.p,
                (int)(sa == ROW ? a.st[1] : a.st[0]), 0.0, out, 1);
    return;
  }
  make_segment(&b, &owned[2]);
  make_segment(&a, &owned[3]);
  int ta = NO_TRANS, tb = NO_TRANS;
  int64_t lda = ld(k), ldb = ld(n);
  if (f_contig(&a)) {
    ta = TRANS;
    lda = ld(m);
  }
  if (f_contig(&b)) {
    tb = TRANS;
    ldb = ld(k);
  }
  cblas_dgemm(ROW_MAJOR, ta, tb, (int)m, (int)n, (int)k, 1.0, a.p, (int)lda,
              b.p, (int)ldb, 0.0, out, (int)ld(n));
}

/* np.dot of int64 views: wrapping sums of products. */
static void dot_i64(const View *a, const View *b, int64_t *out) {
  int64_t m = a->dims[0], n = b->dims[1], k = a->dims[1];
  const int64_t *pa = a->p, *pb = b->p;
  for (int64_t i = 0; i < m; i++)
    for (int64_t j = 0; j < n; j++) {
      uint64_t s = 0;
      for (int64_t l = 0; l < k; l++)
        s += (uint64_t)pa[i * a->st[0] + l * a->st[1]] *
             (uint64_t)pb[l * b->st[0] + j * b->st[1]];
      out[i * n + j] = (int64_t)s;
    }
}

/* The block's data as dtype (NumPy casts before np.dot, keeping the
 * layout: the same element offsets). */
static const void *as_dtype(const TrArray *x, int64_t dtype, void **owned) {
  if (x->dtype == dtype)
    return x->data;
  if (dtype != TR_F64 || x->dtype != TR_I64)
    tr_fail("tensordot: expected float64 or int64 chunks");
  double *d = malloc(x->size > 0 ? (size_t)x->size * sizeof(double) : 1);
  if (!d)
    tr_oom();
  for (int64_t i = 0; i < x->size; i++)
    d[i] = (double)((const int64_t *)x->data)[i];
  *owned = d;
  return d;
}

/* axes packs the contracted axes: bits 0-3 their count n, then a's axes
 * 4 bits each from bit 4, b's 4 bits each from bit 36. */
TrArray *tr_array_tensordot(const TrArray *a, const TrArray *b, int64_t axes,
                            int64_t dtype) {
  int n = (int)(axes & 15);
  int la[TR_MAXDIM], lb[TR_MAXDIM], pa[TR_MAXDIM], pb[TR_MAXDIM];
  bool ina[TR_MAXDIM] = {0}, inb[TR_MAXDIM] = {0};
  int64_t K = 1, M = 1, N = 1, oshape[TR_MAXDIM];
  int fa = 0, fb = 0, on = 0;
  for (int i = 0; i < n; i++) {
    la[i] = (int)((axes >> (4 + 4 * i)) & 15);
    lb[i] = (int)((axes >> (36 + 4 * i)) & 15);
    if (la[i] >= a->ndim || lb[i] >= b->ndim ||
        a->shape[la[i]] != b->shape[lb[i]])
      tr_fail("tensordot: shape-mismatch for sum");
    ina[la[i]] = inb[lb[i]] = true;
    K *= a->shape[la[i]];
  }
  for (int d = 0; d < a->ndim; d++)
    if (!ina[d]) {
      pa[fa++] = d;
      M *= a->shape[d];
    }
  for (int i = 0; i < n; i++) {
    pa[fa + i] = la[i];
    pb[i] = lb[i];
  }
  for (int d = 0; d < b->ndim; d++)
    if (!inb[d]) {
      pb[n + fb++] = d;
      N *= b->shape[d];
    }
  /* the output: a's free axes with a 1 at each contracted axis, b's free
   * axes */
  for (int d = 0, f = 0; d < a->ndim; d++)
    oshape[on++] = ina[d] ? 1 : a->shape[pa[f++]];
  for (int j = 0; j < fb; j++)
    oshape[on++] = b->shape[pb[n + j]];
  if (on > TR_MAXDIM)
    tr_fail("tensordot: the result has more than %d dimensions", TR_MAXDIM);
  TrArray *out = tr_array_new(dtype, on, oshape);
  memset(out->data, 0, (size_t)(M * N) * sizeof(double));
  void *owned[6] = {0};
  size_t esz = sizeof(double); /* float64 and int64 alike */
  View va, vb;
  view2d(a, as_dtype(a, dtype, &owned[4]), pa, M, K, esz, &va, &owned[0]);
  view2d(b, as_dtype(b, dtype, &owned[5]), pb, K, N, esz, &vb, &owned[1]);
  if (dtype == TR_F64)
    dot_f64(va, vb, out->data, owned);
  else
    dot_i64(&va, &vb, out->data);
  for (int i = 0; i < 6; i++)
    free(owned[i]);
  return out;
}

/* ---- np.einsum of one block (Dask's chunk_einsum, optimize=False) ----
 *
 * NumPy's C einsum iterates with nditer and calls its sum-of-products
 * loops (einsum_sumprod.c.src, baseline SSE: 2 lanes of float64, no FMA).
 * For the contractions we support, checked against NumPy 1.24 by
 * experiment:
 *   - a contiguous run reduced to one value (sum_of_arr, and the dot loop)
 *     keeps 2-lane accumulators over groups of 4 vectors, then adds the
 *     lanes; a whole block reduced to one value comes 8192 elements at a
 *     time (the iterator's buffer), each run's total added to the output,
 *     while the rows of a row-wise reduction come whole;
 *   - reductions whose output moves with the inner loop add term by term
 *     in the order of the reduced index (a multiply, then an add). */

enum { EIN_MATMUL = 1, EIN_SUM = 2, EIN_ROWS = 3, EIN_COLS = 4, EIN_DOT = 5,
       EIN_MUL = 6, EIN_DIAG = 7 };
enum { EIN_BUF = 8192 };

/* NumPy's sum_of_arr with 2 lanes */
static double sum_run(const double *d, int64_t n) {
  double v0 = 0, v1 = 0;
  for (; n >= 8; n -= 8, d += 8) {
    double a0 = (d[0] + d[2]) + (d[4] + d[6]);
    double a1 = (d[1] + d[3]) + (d[5] + d[7]);
    v0 = a0 + v0;
    v1 = a1 + v1;
  }
  for (; n > 0; n -= 2, d += 2) {
    v0 = d[0] + v0;
    v1 = (n > 1 ? d[1] : 0.0) + v1;
  }
  return v0 + v1;
}

/* NumPy's contig_contig_outstride0_two with 2 lanes */
static double dot_run(const double *a, const double *b, int64_t n) {
  double v0 = 0, v1 = 0;
  for (; n >= 8; n -= 8, a += 8, b += 8)
    for (int k = 6; k >= 0; k -= 2) {
      v0 = a[k] * b[k] + v0;
      v1 = a[k + 1] * b[k + 1] + v1;
    }
  for (; n > 0; n -= 2, a += 2, b += 2) {
    v0 = a[0] * b[0] + v0;
    v1 = (n > 1 ? a[1] * b[1] : 0.0) + v1;
  }
  return v0 + v1;
}

/* a contiguous reduction as the buffered iterator feeds it (b: NULL for a
 * plain sum) */
static double reduce_runs(const double *a, const double *b, int64_t n) {
  double out = 0.0;
  for (int64_t i = 0; i < n; i += EIN_BUF) {
    int64_t m = n - i < EIN_BUF ? n - i : EIN_BUF;
    out = out + (b ? dot_run(a + i, b + i, m) : sum_run(a + i, m));
  }
  return out;
}

/* one contiguous row of several: the iterator hands it over whole (no
 * 8192 runs), a lone row is the flat case above */
static double row_run(const double *a, const double *b, int64_t m,
                      int64_t nrows) {
  if (nrows == 1)
    return reduce_runs(a, b, m);
  return 0.0 + (b ? dot_run(a, b, m) : sum_run(a, m));
}

static void einsum_f64(const TrArray *a, const TrArray *b, int kind,
                       double *o) {
  const double *x = a->data, *y = b->data;
  int64_t n = a->ndim > 0 ? a->shape[0] : 1;
  int64_t m = a->ndim > 1 ? a->shape[1] : 1;
  switch (kind) {
  case EIN_MATMUL: {
    int64_t k = b->shape[1];
    if (k == 1) { /* the iterator drops the axis: one dot per row */
      for (int64_t i = 0; i < n; i++)
        o[i] = row_run(x + i * m, y, m, n);
      return;
    }
    for (int64_t i = 0; i < n * k; i++)
      o[i] = 0.0;
    for (int64_t i = 0; i < n; i++)
      for (int64_t j = 0; j < m; j++)
        for (int64_t c = 0; c < k; c++)
          o[i * k + c] = x[i * m + j] * y[j * k + c] + o[i * k + c];
    return;
  }
  case EIN_SUM: o[0] = reduce_runs(x, NULL, a->size); return;
  case EIN_DOT: o[0] = reduce_runs(x, y, a->size); return;
  case EIN_ROWS:
    for (int64_t i = 0; i < n; i++)
      o[i] = row_run(x + i * m, NULL, m, n);
    return;
  case EIN_COLS:
    if (m == 1) { /* one column: a contiguous run */
      o[0] = reduce_runs(x, NULL, n);
      return;
    }
    for (int64_t j = 0; j < m; j++)
      o[j] = 0.0;
    for (int64_t i = 0; i < n; i++)
      for (int64_t j = 0; j < m; j++)
        o[j] = x[i * m + j] + o[j];
    return;
  case EIN_MUL:
    for (int64_t i = 0; i < a->size; i++)
      o[i] = x[i] * y[i];
    return;
  case EIN_DIAG:
    for (int64_t i = 0; i < n; i++)
      o[i] = x[i * m + i];
    return;
  }
}

/* int64: exact wrapping sums in any order */
static void einsum_i64(const TrArray *a, const TrArray *b, int kind,
                       int64_t *o) {
  const int64_t *x = a->data, *y = b->data;
  int64_t n = a->ndim > 0 ? a->shape[0] : 1;
  int64_t m = a->ndim > 1 ? a->shape[1] : 1;
  uint64_t s;
  switch (kind) {
  case EIN_MATMUL: {
    int64_t k = b->shape[1];
    for (int64_t i = 0; i < n; i++)
      for (int64_t c = 0; c < k; c++) {
        s = 0;
        for (int64_t j = 0; j < m; j++)
          s += (uint64_t)x[i * m + j] * (uint64_t)y[j * k + c];
        o[i * k + c] = (int64_t)s;
      }
    return;
  }
  case EIN_SUM:
  case EIN_DOT:
    s = 0;
    for (int64_t i = 0; i < a->size; i++)
      s += kind == EIN_SUM ? (uint64_t)x[i] : (uint64_t)x[i] * (uint64_t)y[i];
    o[0] = (int64_t)s;
    return;
  case EIN_ROWS:
  case EIN_COLS:
    for (int64_t r = 0; r < (kind == EIN_ROWS ? n : m); r++) {
      s = 0;
      for (int64_t i = 0; i < (kind == EIN_ROWS ? m : n); i++)
        s += (uint64_t)(kind == EIN_ROWS ? x[r * m + i] : x[i * m + r]);
      o[r] = (int64_t)s;
    }
    return;
  case EIN_MUL:
    for (int64_t i = 0; i < a->size; i++)
      o[i] = (int64_t)((uint64_t)x[i] * (uint64_t)y[i]);
    return;
  case EIN_DIAG:
    for (int64_t i = 0; i < n; i++)
      o[i] = x[i * m + i];
    return;
  }
}

/* how: the kind in bits 0-7, the number of trailing length-1 axes Dask's
 * chunk_einsum appends (one per contracted index) in bits 8-15. */
TrArray *tr_array_einsum(const TrArray *a, const TrArray *b, int64_t how,
                         int64_t dtype) {
  int kind = (int)(how & 255), extra = (int)((how >> 8) & 255);
  int64_t shape[TR_MAXDIM];
  int nd = 0;
  if (a->dtype != dtype || b->dtype != dtype)
    tr_fail("einsum: expected chunks of one dtype");
  switch (kind) {
  case EIN_MATMUL: shape[nd++] = a->shape[0]; shape[nd++] = b->shape[1]; break;
  case EIN_ROWS: case EIN_DIAG: shape[nd++] = a->shape[0]; break;
  case EIN_COLS: shape[nd++] = a->shape[1]; break;
  case EIN_MUL:
    for (; nd < a->ndim; nd++)
      shape[nd] = a->shape[nd];
    break;
  default: break;
  }
  for (int i = 0; i < extra && nd < TR_MAXDIM; i++)
    shape[nd++] = 1;
  TrArray *out = tr_array_new(dtype, nd, shape);
  if (dtype == TR_F64)
    einsum_f64(a, b, kind, out->data);
  else
    einsum_i64(a, b, kind, out->data);
  return out;
}
