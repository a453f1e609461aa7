/* test_rt_array.c - TrArray basics: allocation (alignment, shape, size),
 * freeing through tr_decref (live object count), the chunk product against
 * a naive triple loop on shapes that don't fit the blocks, and a few reprs
 * as NumPy prints them (test_rt_array_numpy checks hundreds against NumPy). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../runtime/array.h"
#include "test_rt_check.h"

static TrArray *filled(int64_t m, int64_t n, uint64_t stream) {
  int64_t shape[2] = {m, n};
  TrArray *a = tr_array_new(TR_F64, 2, shape);
  for (int64_t i = 0; i < m * n; i++)
    ((double *)a->data)[i] = tr_rng_normal(stream, (uint64_t)i);
  return a;
}

static void test_new_free(void) {
  int64_t before = tr_live_objects();
  int64_t shape[3] = {3, 5, 7};
  TrArray *a = tr_array_new(TR_I64, 3, shape);
  CHECK(a->size == 105 && a->ndim == 3 && a->shape[2] == 7, "shape");
  CHECK(((uintptr_t)a->data & 63) == 0, "data not 64-byte aligned");
  CHECK(a->h.refcount == 1, "refcount %lld", (long long)a->h.refcount);
  TrValue v = tr_obj(TR_ARRAY, a);
  tr_incref(&v);
  tr_decref(&v);
  CHECK(tr_live_objects() == before + 1, "freed too early");
  tr_decref(&v);
  CHECK(tr_live_objects() == before, "not freed");
  TrArray *z = tr_array_new(TR_B8, 0, NULL); /* 0-d: one element */
  CHECK(z->size == 1, "0-d size");
  TrValue zv = tr_obj(TR_ARRAY, z);
  tr_decref(&zv);
}

static void test_matmul(void) {
  int64_t dims[][3] = {{1, 1, 1}, {3, 5, 2}, {65, 129, 257}, {100, 7, 300}, {2, 300, 3}};
  for (int t = 0; t < 5; t++) {
    int64_t m = dims[t][0], k = dims[t][1], n = dims[t][2];
    TrArray *a = filled(m, k, 1), *b = filled(k, n, 2);
    TrArray *c = tr_array_matmul(a, b);
    CHECK(c->shape[0] == m && c->shape[1] == n, "matmul shape");
    double err = 0;
    const double *A = a->data, *B = b->data, *C = c->data;
    for (int64_t i = 0; i < m; i++)
      for (int64_t j = 0; j < n; j++) {
        double s = 0;
        for (int64_t p = 0; p < k; p++)
          s += A[i * k + p] * B[p * n + j];
        err = fmax(err, fabs(s - C[i * n + j]));
      }
    CHECK(err < 1e-10, "matmul %lldx%lldx%lld off by %g", (long long)m, (long long)k,
          (long long)n, err);
    TrValue vs[3] = {tr_obj(TR_ARRAY, a), tr_obj(TR_ARRAY, b), tr_obj(TR_ARRAY, c)};
    for (int i = 0; i < 3; i++)
      tr_decref(&vs[i]);
  }
}

static void check_repr(TrArray *a, const char *want) {
  TrValue v = tr_obj(TR_ARRAY, a);
  char *got = tr_repr(&v);
  CHECK(strcmp(got, want) == 0, "repr\n got: %s\nwant: %s", got, want);
  free(got);
  tr_decref(&v);
}

static TrArray *f64(int ndim, const int64_t *shape, const double *v) {
  TrArray *a = tr_array_new(TR_F64, ndim, shape);
  memcpy(a->data, v, (size_t)a->size * sizeof(double));
  return a;
}

static void test_repr(void) {
  int64_t s3[1] = {3}, s22[2] = {2, 2}, s2000[1] = {2000};
  check_repr(f64(1, s3, (double[]){1, 2, 3}), "array([1., 2., 3.])");
  check_repr(f64(1, s3, (double[]){1.5, 2, -0.25}), "array([ 1.5 ,  2.  , -0.25])");
  check_repr(f64(1, s3, (double[]){1e-5, 1, NAN}), "array([1.e-05, 1.e+00,    nan])");
  check_repr(f64(0, NULL, (double[]){5500000.000000018}), "5500000.000000018");
  TrArray *i = tr_array_new(TR_I64, 2, s22);
  memcpy(i->data, (int64_t[]){1, 2, 3, 4}, 32);
  check_repr(i, "array([[1, 2],\n       [3, 4]])");
  TrArray *b = tr_array_new(TR_B8, 1, s3);
  memcpy(b->data, (uint8_t[]){1, 0, 1}, 3);
  check_repr(b, "array([ True, False,  True])");
  TrArray *r = tr_array_new(TR_F64, 1, s2000);
  for (int k = 0; k < 2000; k++)
    ((double *)r->data)[k] = k;
  check_repr(r, "array([0.000e+00, 1.000e+00, 2.000e+00, ..., 1.997e+03, 1.998e+03,\n"
                "       1.999e+03])");
}

/* a block read back from a saved .npy is the same slice of the array */
static void test_npy_block(void) {
  int64_t shape[3] = {4, 5, 6}, start[3] = {1, 2, 3}, bs[3] = {2, 3, 3};
  TrArray *a = tr_array_new(TR_I64, 3, shape);
  for (int64_t i = 0; i < a->size; i++)
    ((int64_t *)a->data)[i] = i;
  char path[64];
  snprintf(path, sizeof path, "/tmp/test_rt_array.%d.npy", (int)getpid());
  CHECK(npy_write(path, a), "npy_write");
  TrArray *b = tr_npy_read_block(path, start, bs);
  remove(path);
  CHECK(b->dtype == TR_I64 && b->ndim == 3 && b->size == 18, "block shape");
  int bad = 0;
  for (int64_t i = 0; i < 2; i++)
    for (int64_t j = 0; j < 3; j++)
      for (int64_t k = 0; k < 3; k++)
        bad += ((int64_t *)b->data)[(i * 3 + j) * 3 + k] != (1 + i) * 30 + (2 + j) * 6 + 3 + k;
  CHECK(bad == 0, "%d wrong elements in the block", bad);
  TrValue vs[2] = {tr_obj(TR_ARRAY, a), tr_obj(TR_ARRAY, b)};
  tr_decref(&vs[0]);
  tr_decref(&vs[1]);
}

int main(void) {
  test_new_free();
  test_npy_block();
  test_matmul();
  test_repr();
  CHECK(tr_live_objects() == 0, "%lld objects leaked", (long long)tr_live_objects());
  return failures != 0;
}
