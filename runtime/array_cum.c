/* array_cum.c - np.cumsum / np.cumprod of one chunk along one axis.
 *
 * NumPy accumulates left to right along the axis (add.accumulate), one
 * running value per position of the other axes; integer overflow wraps as
 * NumPy's int64 does. Dask runs this per block and adds the running totals
 * of the blocks before (compiler/collections/array/array_cum.c). */
#include <string.h>

#include "array.h"

static uint64_t get_u(const TrArray *x, int64_t i) {
  return x->dtype == TR_I64 ? (uint64_t)((const int64_t *)x->data)[i]
                            : ((const uint8_t *)x->data)[i];
}

TrArray *tr_array_cumulate(const TrArray *x, int64_t axis, int64_t prod,
                           int64_t dtype) {
  if (axis < 0 || axis >= x->ndim)
    tr_fail("cumulative reduction: axis %lld out of range", (long long)axis);
  TrArray *out = tr_array_new(dtype, x->ndim, x->shape);
  int64_t outer = 1, inner = 1, n = x->shape[axis];
  for (int64_t d = 0; d < axis; d++)
    outer *= x->shape[d];
  for (int64_t d = axis + 1; d < x->ndim; d++)
    inner *= x->shape[d];
  for (int64_t o = 0; o < outer; o++)
    for (int64_t i = 0; i < inner; i++) {
      int64_t at = o * n * inner + i;
      if (dtype == TR_F64) {
        double acc = prod ? 1 : 0, *r = out->data;
        for (int64_t j = 0; j < n; j++, at += inner)
          r[at] = acc = prod ? acc * tr_array_get_f64(x, at) : acc + tr_array_get_f64(x, at);
      } else {
        uint64_t acc = prod ? 1 : 0; /* wraps as NumPy's int64 */
        int64_t *r = out->data;
        for (int64_t j = 0; j < n; j++, at += inner) {
          acc = prod ? acc * get_u(x, at) : acc + get_u(x, at);
          r[at] = (int64_t)acc;
        }
      }
    }
  return out;
}
