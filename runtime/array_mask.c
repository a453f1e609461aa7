/* array_mask.c - chunks whose length is known only at run time.
 *
 * Boolean-mask indexing (x[x > 12], da.compress, x[mask]) and da.unique
 * make chunks whose lengths Dask leaves unknown (nan) until they are
 * computed. Here such a chunk is an ordinary TrArray: it carries its own
 * shape, and the compiler marks the unknown axes -1 in the chunk's static
 * shape (docs/arrays.md, "Unknown chunk sizes"). These ops produce and
 * gather them; generated loops over them read the length from the chunk
 * (compiler/codegen/kernel.c, kernel_shape). */
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "memlimit.h"

static const TrArray *arr_arg(const TrValue *v, const char *what) {
  if (v->tag != TR_ARRAY)
    tr_fail("%s: expected an array chunk", what);
  return v->u.p;
}

static const TrSeq *seq_arg(const TrValue *v, const char *what) {
  if (v->tag != TR_LIST && v->tag != TR_TUPLE)
    tr_fail("%s: expected a list", what);
  return v->u.p;
}

static bool mask_at(const TrArray *m, int64_t i) {
  switch (m->dtype) {
  case TR_B8: return ((const uint8_t *)m->data)[i] != 0;
  case TR_I64: return ((const int64_t *)m->data)[i] != 0;
  default: return ((const double *)m->data)[i] != 0;
  }
}

/* x[m] of one block: m of x's shape selects elements in C order (a 1-d
 * result, as NumPy's x[m]); a 1-d m selects along `axis` (np.compress). */
static TrArray *mask_block(const TrArray *x, const TrArray *m, int64_t axis) {
  int64_t es = tr_dtype_size(x->dtype);
  if (axis < 0) {
    if (m->size != x->size)
      tr_fail("boolean index did not match indexed array: %lld elements and "
              "%lld", (long long)m->size, (long long)x->size);
    int64_t n = 0;
    for (int64_t i = 0; i < m->size; i++)
      n += mask_at(m, i);
    TrArray *r = tr_array_new(x->dtype, 1, &n);
    char *dst = r->data;
    const char *src = x->data;
    for (int64_t i = 0; i < m->size; i++)
      if (mask_at(m, i)) {
        memcpy(dst, src + i * es, (size_t)es);
        dst += es;
      }
    return r;
  }
  if (axis >= x->ndim || m->ndim != 1 || m->shape[0] != x->shape[axis])
    tr_fail("boolean index did not match axis %lld of the indexed array",
            (long long)axis);
  int64_t outer = 1, inner = es, n = 0, shape[TR_MAXDIM];
  for (int64_t d = 0; d < axis; d++)
    outer *= x->shape[d];
  for (int64_t d = axis + 1; d < x->ndim; d++)
    inner *= x->shape[d];
  for (int64_t i = 0; i < m->shape[0]; i++)
    n += mask_at(m, i);
  memcpy(shape, x->shape, sizeof shape);
  shape[axis] = n;
  TrArray *r = tr_array_new(x->dtype, x->ndim, shape);
  char *dst = r->data;
  const char *src = x->data;
  for (int64_t o = 0; o < outer; o++)
    for (int64_t i = 0; i < m->shape[0]; i++)
      if (mask_at(m, i)) {
        memcpy(dst, src + (o * m->shape[0] + i) * inner, (size_t)inner);
        dst += inner;
      }
  return r;
}

/* array.mask(shape, dtype, x, m, axis) */
void tr_op_array_mask(const TrValue *args, int64_t n, TrValue *out) {
  (void)n;
  *out = tr_obj(TR_ARRAY, mask_block(arr_arg(&args[2], "mask"),
                                     arr_arg(&args[3], "mask"), args[4].u.i));
}

/* The row-major block grid `parts` (nblocks per axis) as one array: the
 * offsets come from the parts' own shapes. */
static TrArray *concat_grid(const TrSeq *parts, const TrSeq *nb,
                            int64_t dtype) {
  for (int64_t f = 0; f < parts->len; f++)
    if (arr_arg(&parts->items[f], "concatenate")->dtype != dtype ||
        arr_arg(&parts->items[f], "concatenate")->ndim != nb->len)
      tr_fail("concatenate: a block of another dtype or rank");
  int64_t nd = nb->len, shape[TR_MAXDIM] = {0}, stride[TR_MAXDIM];
  int64_t *off[TR_MAXDIM];
  for (int64_t d = 0; d < nd; d++) {
    /* blocks along axis d: all other coordinates 0 */
    int64_t nbd = nb->items[d].u.i, step = 1;
    for (int64_t e = d + 1; e < nd; e++)
      step *= nb->items[e].u.i;
    stride[d] = step;
    off[d] = malloc(sizeof(int64_t) * (size_t)(nbd + 1));
    if (!off[d])
      tr_oom();
    off[d][0] = 0;
    for (int64_t b = 0; b < nbd; b++) {
      const TrArray *p = arr_arg(&parts->items[b * step], "concatenate");
      off[d][b + 1] = off[d][b] + p->shape[d];
    }
    shape[d] = off[d][nbd];
  }
  bool ok = true; /* every block has its row's and column's lengths */
  for (int64_t f = 0; f < parts->len; f++) {
    const TrArray *p = parts->items[f].u.p;
    for (int64_t d = 0, rest = f; d < nd; d++) {
      int64_t c = rest / stride[d];
      rest %= stride[d];
      ok = ok && p->shape[d] == off[d][c + 1] - off[d][c];
    }
  }
  if (!ok) {
    for (int64_t d = 0; d < nd; d++)
      free(off[d]);
    tr_fail("concatenate: blocks of unknown size do not line up");
  }
  TrArray *r = tr_array_new(dtype, nd, shape);
  int64_t es = tr_dtype_size(dtype);
  for (int64_t f = 0; f < parts->len; f++) {
    const TrArray *p = arr_arg(&parts->items[f], "concatenate");
    int64_t o[TR_MAXDIM], rest = f;
    for (int64_t d = 0; d < nd; d++) {
      o[d] = off[d][rest / stride[d]];
      rest %= stride[d];
    }
    /* copy row by row along the last axis */
    int64_t rows = nd ? p->size / (p->shape[nd - 1] ? p->shape[nd - 1] : 1) : 1;
    int64_t len = nd ? p->shape[nd - 1] : 1;
    if (p->size == 0)
      continue;
    for (int64_t row = 0; row < rows; row++) {
      int64_t at = 0, rr = row;
      for (int64_t d = nd - 2; d >= 0; d--) {
        int64_t i = rr % p->shape[d];
        rr /= p->shape[d];
        int64_t s = 1;
        for (int64_t e = d + 1; e < nd; e++)
          s *= shape[e];
        at += (o[d] + i) * s;
      }
      if (nd)
        at += o[nd - 1];
      memcpy((char *)r->data + at * es, (const char *)p->data + row * len * es,
             (size_t)(len * es));
    }
  }
  for (int64_t d = 0; d < nd; d++)
    free(off[d]);
  return r;
}

static int64_t dtype_of(const TrValue *v) {
  const TrStr *s = v->u.p;
  return !strcmp(s->data, "float64") ? TR_F64
         : !strcmp(s->data, "int64") ? TR_I64 : TR_B8;
}

/* array.concat_grid(shape, dtype, [parts], nblocks) */
void tr_op_array_concat_grid(const TrValue *args, int64_t n, TrValue *out) {
  (void)n;
  *out = tr_obj(TR_ARRAY, concat_grid(seq_arg(&args[2], "concatenate"),
                                      seq_arg(&args[3], "concatenate"),
                                      dtype_of(&args[1])));
}

/* array.chunk_sizes(what, [blocks along axis 0], [... axis 1], ...): after
 * compute_chunk_sizes(), x.chunks (what 0: a tuple per axis of the blocks'
 * lengths), x.shape (1: their sums), x.chunksize (2: their maxima) or
 * len(x) (3: the sum along axis 0, an int). */
void tr_op_array_chunk_sizes(const TrValue *args, int64_t n, TrValue *out) {
  int64_t what = args[0].u.i, nd = n - 1;
  if (what == 3) {
    const TrSeq *blocks = seq_arg(&args[1], "len");
    int64_t sum = 0;
    for (int64_t b = 0; b < blocks->len; b++)
      sum += arr_arg(&blocks->items[b], "len")->shape[0];
    *out = (TrValue){TR_INT, {.i = sum}};
    return;
  }
  TrSeq *r = tr_seq_new(nd);
  TrValue rv = tr_obj(TR_TUPLE, r);
  tr_guard(&rv);
  for (int64_t d = 0; d < nd; d++) {
    const TrSeq *blocks = seq_arg(&args[d + 1], "chunk sizes");
    TrSeq *sizes = what == 0 ? tr_seq_new(blocks->len) : NULL;
    int64_t sum = 0, mx = 0;
    for (int64_t b = 0; b < blocks->len; b++) {
      int64_t len = arr_arg(&blocks->items[b], "chunk sizes")->shape[d];
      if (sizes)
        sizes->items[b] = (TrValue){TR_INT, {.i = len}};
      sum += len;
      mx = len > mx ? len : mx;
    }
    r->items[d] = sizes ? tr_obj(TR_TUPLE, sizes)
                        : (TrValue){TR_INT, {.i = what == 1 ? sum : mx}};
  }
  tr_unguard(1);
  *out = rv;
}
