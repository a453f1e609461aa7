/* array_unique.c - np.unique of a chunk, as Dask's _unique_internal uses
 * it (da.unique: per block, then once more over the concatenated blocks).
 *
 * The values are sorted, NaN last and kept once (NumPy 1.24's
 * equal_nan=True). With counts, Dask sums counts[ar == v] per value v, so
 * NaN, equal to nothing, counts 0; we do the same. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"

static int cmp_f(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  if (isnan(x) || isnan(y))
    return isnan(x) - isnan(y); /* NaN last */
  return (x > y) - (x < y);
}

static int cmp_i(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* The sorted distinct values of x in a new array of x's dtype. */
static TrArray *distinct(const TrArray *x) {
  int64_t n = x->size, m = 0;
  TrArray *r;
  if (x->dtype == TR_F64) {
    double *v = malloc(sizeof(double) * (size_t)(n ? n : 1));
    if (!v)
      tr_fail("out of memory in unique");
    memcpy(v, x->data, sizeof(double) * (size_t)n);
    qsort(v, (size_t)n, sizeof *v, cmp_f);
    for (int64_t i = 0; i < n; i++)
      if (i == 0 || (isnan(v[i]) ? !isnan(v[m - 1]) : v[i] != v[m - 1]))
        v[m++] = v[i];
    r = tr_array_new(TR_F64, 1, &m);
    memcpy(r->data, v, sizeof(double) * (size_t)m);
    free(v);
    return r;
  }
  int64_t *v = malloc(sizeof(int64_t) * (size_t)(n ? n : 1));
  if (!v)
    tr_fail("out of memory in unique");
  for (int64_t i = 0; i < n; i++)
    v[i] = tr_array_get_i64(x, i);
  qsort(v, (size_t)n, sizeof *v, cmp_i);
  for (int64_t i = 0; i < n; i++)
    if (i == 0 || v[i] != v[m - 1])
      v[m++] = v[i];
  r = tr_array_new(x->dtype, 1, &m);
  for (int64_t i = 0; i < m; i++) {
    if (x->dtype == TR_I64)
      ((int64_t *)r->data)[i] = v[i];
    else
      ((uint8_t *)r->data)[i] = (uint8_t)v[i];
  }
  free(v);
  return r;
}

/* counts[i] = sum of w (1 each when w is NULL) where x == u[i] */
static TrArray *counts(const TrArray *x, const TrArray *w) {
  TrArray *u = distinct(x);
  TrValue uv = tr_obj(TR_ARRAY, u);
  tr_guard(&uv);
  TrArray *c = tr_array_new(TR_I64, 1, &u->size);
  int64_t *cd = c->data;
  memset(cd, 0, sizeof(int64_t) * (size_t)u->size);
  /* u is sorted: find each x by binary search (NaN finds nothing) */
  for (int64_t i = 0; i < x->size; i++) {
    double xv = tr_array_get_f64(x, i);
    if (isnan(xv))
      continue;
    int64_t lo = 0, hi = u->size;
    while (lo < hi) {
      int64_t mid = lo + (hi - lo) / 2;
      bool less = x->dtype == TR_F64 ? tr_array_get_f64(u, mid) < xv
                                     : tr_array_get_i64(u, mid) < tr_array_get_i64(x, i);
      if (less)
        lo = mid + 1;
      else
        hi = mid;
    }
    cd[lo] += w ? tr_array_get_i64(w, i) : 1;
  }
  tr_unguard(1);
  tr_decref(&uv);
  return c;
}

/* array.unique(shape, dtype, x, w, what): what 0 the sorted distinct
 * values of x; 1 their counts, weighted by the int array w (an int: none,
 * every element counts 1) */
void tr_op_array_unique(const TrValue *args, int64_t n, TrValue *out) {
  (void)n;
  if (args[2].tag != TR_ARRAY)
    tr_fail("unique: expected an array chunk");
  const TrArray *x = args[2].u.p;
  const TrArray *w = args[3].tag == TR_ARRAY ? args[3].u.p : NULL;
  if (w && w->size != x->size)
    tr_fail("unique: counts of another length");
  *out = tr_obj(TR_ARRAY, args[4].u.i ? counts(x, w) : distinct(x));
}
