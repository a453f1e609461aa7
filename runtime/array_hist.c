/* array_hist.c - np.bincount and np.histogram of one chunk, as Dask calls
 * them per block (dask/array/routines.py: bincount, _block_hist).
 *
 * bincount: out[x[i]] += w[i] (as float64) or 1, in order from 0, minlength bins; a
 * value past them fails the task (Dask's chunks would claim minlength
 * while NumPy returns more). Without minlength (array.bincount_any) a
 * block has max + 1 bins, and array.bincount_agg is Dask's _bincount_agg:
 * zeros as long as the longest part, each part added to its prefix.
 *
 * histogram: Dask always hands NumPy an array of edges, so NumPy takes its
 * non-uniform path: per run of 65536 elements, the run sorted, counts as
 * differences of searchsorted positions (inner bins [e_i, e_i+1), the last
 * bin closed), and with weights the differences of the sorted run's
 * cumulative weights at those positions (so a bin's total is
 * cw[hi] - cw[lo], rounded as NumPy rounds it), added over the runs. Among
 * equal values NumPy's unstable argsort may order the weights otherwise. */
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "memlimit.h"

TrArray *tr_array_bincount(const TrArray *x, const TrArray *w, int64_t nbins,
                           int64_t weighted) {
  int64_t dt = weighted ? TR_F64 : TR_I64; /* NumPy: float64 weights */
  TrArray *o = tr_array_new(dt, 1, &nbins);
  memset(o->data, 0, (size_t)nbins * 8);
  for (int64_t i = 0; i < x->size; i++) {
    int64_t v = tr_array_get_i64(x, i);
    if (v < 0)
      tr_fail("'list' argument must have no negative elements");
    if (v >= nbins)
      tr_fail("bincount: value %lld is not below minlength=%lld (Dask's "
              "chunks would claim %lld bins)", (long long)v, (long long)nbins,
              (long long)nbins);
    if (dt == TR_F64)
      ((double *)o->data)[v] += tr_array_get_f64(w, i);
    else
      ((int64_t *)o->data)[v] += 1;
  }
  return o;
}

static const TrArray *chunk_arg(const TrValue *v) {
  if (v->tag != TR_ARRAY)
    tr_fail("bincount: expected an array chunk");
  return v->u.p;
}

/* array.bincount_any(shape, dtype, x, w, weighted): np.bincount of a block
 * without minlength: max + 1 bins, none for an empty block */
void tr_op_array_bincount_any(const TrValue *args, int64_t n, TrValue *out) {
  (void)n;
  const TrArray *x = chunk_arg(&args[2]), *w = chunk_arg(&args[3]);
  if (args[4].u.i && w->size != x->size)
    tr_fail("bincount: weights of another length than the block (%lld, "
            "%lld)", (long long)w->size, (long long)x->size);
  int64_t mx = -1;
  for (int64_t i = 0; i < x->size; i++)
    if (tr_array_get_i64(x, i) > mx)
      mx = tr_array_get_i64(x, i);
  *out = tr_obj(TR_ARRAY, tr_array_bincount(x, w, mx + 1, args[4].u.i));
}

/* array.bincount_agg(shape, dtype, [parts]): Dask's _bincount_agg */
void tr_op_array_bincount_agg(const TrValue *args, int64_t n, TrValue *out) {
  (void)n;
  if (args[2].tag != TR_LIST)
    tr_fail("bincount: expected a list of parts");
  const TrSeq *parts = args[2].u.p;
  const TrStr *ds = args[1].u.p;
  int64_t len = 0, dt = strcmp(ds->data, "float64") ? TR_I64 : TR_F64;
  for (int64_t p = 0; p < parts->len; p++) {
    const TrArray *b = chunk_arg(&parts->items[p]);
    if (b->dtype != dt || b->ndim != 1)
      tr_fail("bincount: a part of another dtype or rank");
    len = b->size > len ? b->size : len;
  }
  TrArray *o = tr_array_new(dt, 1, &len);
  memset(o->data, 0, (size_t)len * 8);
  for (int64_t p = 0; p < parts->len; p++) {
    const TrArray *b = parts->items[p].u.p;
    for (int64_t i = 0; i < b->size; i++)
      if (dt == TR_F64)
        ((double *)o->data)[i] += ((const double *)b->data)[i];
      else
        ((int64_t *)o->data)[i] += ((const int64_t *)b->data)[i];
  }
  *out = tr_obj(TR_ARRAY, o);
}

typedef struct HItem {
  double v;
  int64_t at; /* position in the run: ties keep it (a stable sort) */
} HItem;

static int cmp_h(const void *pa, const void *pb) {
  const HItem *a = pa, *b = pb;
  bool na = a->v != a->v, nb = b->v != b->v; /* NaN sorts last */
  if (na != nb)
    return na ? 1 : -1;
  if (!na && a->v != b->v)
    return a->v < b->v ? -1 : 1;
  return (a->at > b->at) - (a->at < b->at);
}

/* positions in the sorted run s of n: the first item >= e (left) or > e */
static int64_t search(const HItem *s, int64_t n, double e, bool right) {
  int64_t lo = 0, hi = n;
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    double v = s[mid].v;
    bool before = v != v ? false : right ? v <= e : v < e;
    if (before)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

enum { HIST_RUN = 65536 };

/* out: shape (1, nbins) of int64 counts or the weights' dtype */
TrArray *tr_array_histogram(const TrArray *x, const TrArray *w,
                            const TrArray *edges, int64_t weighted) {
  int64_t ne = edges->size, nbins = ne - 1;
  int64_t shape[2] = {1, nbins};
  int64_t dt = !weighted ? TR_I64 : w->dtype == TR_F64 ? TR_F64 : TR_I64;
  TrArray *o = tr_array_new(dt, 2, shape);
  int64_t run = x->size < HIST_RUN ? x->size : HIST_RUN;
  HItem *s = malloc((size_t)(run > 0 ? run : 1) * sizeof *s);
  int64_t *pos = malloc((size_t)ne * sizeof *pos);
  double *cum_f = calloc((size_t)ne, sizeof(double)), *cw = NULL;
  int64_t *cum_i = calloc((size_t)ne, sizeof(int64_t)), *cwi = NULL;
  if (weighted) {
    cw = malloc((size_t)(run + 1) * sizeof *cw);
    cwi = malloc((size_t)(run + 1) * sizeof *cwi);
  }
  if (!s || !pos || !cum_f || !cum_i || (weighted && (!cw || !cwi)))
    tr_oom();
  for (int64_t start = 0; start < x->size; start += HIST_RUN) {
    int64_t n = x->size - start < HIST_RUN ? x->size - start : HIST_RUN;
    for (int64_t i = 0; i < n; i++)
      s[i] = (HItem){tr_array_get_f64(x, start + i), i};
    qsort(s, (size_t)n, sizeof *s, cmp_h);
    for (int64_t j = 0; j < ne; j++)
      pos[j] = search(s, n, tr_array_get_f64(edges, j), j == ne - 1);
    if (!weighted) {
      for (int64_t j = 0; j < ne; j++)
        cum_i[j] += pos[j];
      continue;
    }
    cw[0] = 0.0; /* np.concatenate((zero, sw.cumsum())) */
    cwi[0] = 0;
    for (int64_t i = 0; i < n; i++) {
      if (dt == TR_F64)
        cw[i + 1] = cw[i] + tr_array_get_f64(w, start + s[i].at);
      else
        cwi[i + 1] = (int64_t)((uint64_t)cwi[i] +
                               (uint64_t)tr_array_get_i64(w, start + s[i].at));
    }
    for (int64_t j = 0; j < ne; j++) {
      if (dt == TR_F64)
        cum_f[j] += cw[pos[j]];
      else
        cum_i[j] += cwi[pos[j]];
    }
  }
  for (int64_t j = 0; j < nbins; j++) { /* np.diff */
    if (dt == TR_F64)
      ((double *)o->data)[j] = cum_f[j + 1] - cum_f[j];
    else
      ((int64_t *)o->data)[j] = cum_i[j + 1] - cum_i[j];
  }
  free(s);
  free(pos);
  free(cum_f);
  free(cum_i);
  free(cw);
  free(cwi);
  return o;
}
