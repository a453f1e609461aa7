/* array_topk.c - one step of Dask's topk / argtopk reduction on a chunk
 * (dask/array/chunk.py: topk, topk_aggregate, argtopk, argtopk_aggregate).
 *
 * Along `axis`, each line keeps its |k| largest (k > 0) or smallest (k < 0)
 * elements in NumPy's order, where NaN sorts after every number. The chunk
 * and combine steps may keep them in any order (Dask's np.partition does);
 * the aggregate step sorts them, largest first for k > 0, smallest first
 * for k < 0. The top-k values are a multiset, so they equal Dask's whatever
 * its partitions did; argtopk's indices equal Dask's where values are
 * distinct (among equal values NumPy's unstable argsort picks the order).
 *
 * argtopk carries (value, global index) pairs in a trailing axis of 2 of
 * the partials' dtype (int64 for int and bool input, float64 for float,
 * whose indices are exact below 2**53); the chunk step makes them from a
 * plain chunk whose offset along the axis is `off`. */
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "memlimit.h"

enum { TOPK_PAIRS_IN = 1, TOPK_MAKE_PAIRS = 2, TOPK_AGGREGATE = 4 };

typedef struct Item {
  double f;
  int64_t i, idx;
} Item;

static int cmp_f(const void *pa, const void *pb) {
  const Item *a = pa, *b = pb;
  bool na = a->f != a->f, nb = b->f != b->f; /* NaN sorts last */
  if (na != nb)
    return na ? 1 : -1;
  if (!na && a->f != b->f)
    return a->f < b->f ? -1 : 1;
  return (a->idx > b->idx) - (a->idx < b->idx);
}

static int cmp_i(const void *pa, const void *pb) {
  const Item *a = pa, *b = pb;
  if (a->i != b->i)
    return a->i < b->i ? -1 : 1;
  return (a->idx > b->idx) - (a->idx < b->idx);
}

/* element e of x as an item (pairs: e is the pair's number) */
static Item get(const TrArray *x, int64_t e, bool pairs, int64_t idx) {
  Item it = {0, 0, idx};
  int64_t at = pairs ? 2 * e : e;
  switch (x->dtype) {
  case TR_F64:
    it.f = ((const double *)x->data)[at];
    if (pairs)
      it.idx = (int64_t)((const double *)x->data)[at + 1];
    break;
  case TR_I64:
    it.i = ((const int64_t *)x->data)[at];
    if (pairs)
      it.idx = ((const int64_t *)x->data)[at + 1];
    break;
  default: it.i = ((const uint8_t *)x->data)[at]; break;
  }
  return it;
}

static void put(TrArray *o, int64_t e, const Item *it, int flags) {
  bool pairs = !(flags & TOPK_AGGREGATE) &&
               (flags & (TOPK_PAIRS_IN | TOPK_MAKE_PAIRS));
  bool arg_out = (flags & TOPK_AGGREGATE) &&
                 (flags & (TOPK_PAIRS_IN | TOPK_MAKE_PAIRS));
  int64_t at = pairs ? 2 * e : e;
  if (arg_out) {
    ((int64_t *)o->data)[e] = it->idx;
  } else if (o->dtype == TR_F64) {
    ((double *)o->data)[at] = it->f;
    if (pairs)
      ((double *)o->data)[at + 1] = (double)it->idx;
  } else if (o->dtype == TR_I64) {
    ((int64_t *)o->data)[at] = it->i;
    if (pairs)
      ((int64_t *)o->data)[at + 1] = it->idx;
  } else {
    ((uint8_t *)o->data)[at] = (uint8_t)it->i;
  }
}

TrArray *tr_array_topk(const TrArray *x, int64_t k, int64_t axis,
                       int64_t off, int64_t flags) {
  bool pin = flags & TOPK_PAIRS_IN;
  int64_t nd = pin ? x->ndim - 1 : x->ndim;
  if (axis < 0 || axis >= nd || k == 0)
    tr_fail("topk: bad axis or k");
  int64_t n = x->shape[axis], kk = k < 0 ? -k : k, keep = kk < n ? kk : n;
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; d++)
    outer *= x->shape[d];
  for (int64_t d = axis + 1; d < nd; d++)
    inner *= x->shape[d];
  int64_t shape[TR_MAXDIM];
  int64_t ond = nd;
  memcpy(shape, x->shape, sizeof shape);
  shape[axis] = keep;
  bool agg = flags & TOPK_AGGREGATE;
  bool arg = flags & (TOPK_PAIRS_IN | TOPK_MAKE_PAIRS);
  if (arg && !agg)
    shape[ond++] = 2;
  int64_t odt = agg && arg ? TR_I64
                : (flags & TOPK_MAKE_PAIRS) && x->dtype == TR_B8 ? TR_I64
                                                                 : x->dtype;
  TrArray *o = tr_array_new(odt, ond, shape);
  Item *line = malloc((size_t)(n > 0 ? n : 1) * sizeof *line);
  if (!line)
    tr_oom();
  int (*cmp)(const void *, const void *) = x->dtype == TR_F64 ? cmp_f : cmp_i;
  for (int64_t a = 0; a < outer; a++)
    for (int64_t b = 0; b < inner; b++) {
      for (int64_t j = 0; j < n; j++)
        line[j] = get(x, (a * n + j) * inner + b, pin, off + j);
      qsort(line, (size_t)n, sizeof *line, cmp);
      for (int64_t j = 0; j < keep; j++) { /* largest first for k > 0 */
        const Item *it = k > 0 ? &line[n - 1 - j] : &line[j];
        put(o, (a * keep + j) * inner + b, it, (int)flags);
      }
    }
  free(line);
  return o;
}
