/* array_reshape.c - x.reshape(shape), da.reshape, ravel, flatten.
 *
 * Dask's rules (dask/array/reshape.py): walking the axes from the last,
 * equal lengths keep their chunks; an axis that merges several input axes
 * needs those inner axes whole, and splitting one input axis into several
 * needs its chunks to be multiples of the inner output axes' product. The
 * input is rechunked to the planned chunks, then each block is reshaped on
 * its own (row-major), block i of the input giving block i of the output.
 * Reshapes that split or merge axes unevenly are NotImplemented in Dask:
 * a located error here. The per-block reshape is an element-wise op
 * (array.reshape): an output element reads the input element at the same
 * row-major position, so it fuses with its producer and its consumers. */
#include <string.h>

#include "array.h"

typedef struct Plan {
  int64_t *in[DA_MAXDIM], *out[DA_MAXDIM];
  int nin[DA_MAXDIM], nout[DA_MAXDIM];
} Plan;

static int64_t prod(const int64_t *v, int lo, int hi) { /* v[lo..hi] */
  int64_t p = 1;
  for (int i = lo; i <= hi; i++)
    p *= v[i];
  return p;
}

static void set(Plan *p, bool in, int axis, int64_t *c, int n) {
  (in ? p->in : p->out)[axis] = c;
  (in ? p->nin : p->nout)[axis] = n;
}

static int64_t *one_chunk(Eval *e, int64_t len) {
  int64_t *c = ARENA_ARRAY(eval_arena(e), int64_t, 1);
  c[0] = len;
  return c;
}

/* Dask's expand_tuple: each chunk cut into about `factor` parts. */
static int expand(Eval *e, const int64_t *c, int n, int64_t factor,
                  int64_t **out) {
  int64_t total = 0;
  for (int i = 0; i < n; i++)
    total += c[i];
  int64_t *r = ARENA_ARRAY(eval_arena(e), int64_t, total + 1);
  int m = 0;
  for (int i = 0; i < n; i++) {
    int64_t x = c[i];
    double part = (double)x / (double)factor < 1 ? 1 : (double)x / (double)factor;
    while ((double)x >= 2 * part) {
      r[m++] = (int64_t)part;
      x -= (int64_t)part;
    }
    if (x)
      r[m++] = x;
  }
  *out = r;
  return m;
}

/* Dask's contract_tuple: chunks made multiples of factor. */
static int contract(Eval *e, const int64_t *c, int n, int64_t factor,
                    int64_t **out) {
  int64_t *r = ARENA_ARRAY(eval_arena(e), int64_t, n + 1), residual = 0;
  int m = 0;
  for (int i = 0; i < n; i++) {
    int64_t chunk = c[i] + residual;
    residual = chunk % factor;
    if (chunk / factor)
      r[m++] = factor * (chunk / factor);
  }
  *out = r;
  return m;
}

static _Noreturn void uneven(Loc loc) {
  diag_error(loc, "Dask's reshape only supports operations that merge or "
             "split existing dimensions evenly (for example (6, 5, 4) to "
             "(3, 2, 5, 4) or to (30, 4), not to (4, 5, 6)); reshape in "
             "several steps");
}

/* Merging input axes ileft+1..ii (with part of ileft) into output axis oi. */
static int merge(Eval *e, const DArray *x, const int64_t *outshape, int ii,
                 int oi, Plan *p, Loc loc) {
  const int64_t *in = x->shape;
  int64_t dout = outshape[oi];
  int ileft = ii - 1;
  while (ileft >= 0 && prod(in, ileft, ii) < dout)
    ileft--;
  if (ileft < 0 || prod(in, ileft, ii) != dout)
    uneven(loc);
  bool all_ones = true; /* every lower axis chunked by 1: blocks just move */
  for (int i = 0; i < ii; i++)
    all_ones &= x->nblocks[i] == in[i];
  if (all_ones) {
    for (int i = 0; i <= ii; i++)
      set(p, true, i, x->chunks[i], x->nblocks[i]);
    int64_t reps = 1;
    for (int i = ileft; i < ii; i++)
      reps *= x->nblocks[i];
    int n = x->nblocks[ii];
    int64_t *c = ARENA_ARRAY(eval_arena(e), int64_t, n * reps + 1);
    for (int64_t r = 0; r < reps; r++)
      memcpy(c + r * n, x->chunks[ii], sizeof(int64_t) * (size_t)n);
    set(p, false, oi, c, (int)(n * reps));
  } else {
    for (int i = ileft + 1; i <= ii; i++)
      set(p, true, i, one_chunk(e, in[i]), 1);
    int64_t reduction = 1;
    for (int i = ileft + 1; i <= ii; i++)
      reduction *= x->nblocks[i];
    int64_t *c = x->chunks[ileft];
    int n = x->nblocks[ileft];
    if (reduction > 1)
      n = expand(e, x->chunks[ileft], x->nblocks[ileft], reduction, &c);
    set(p, true, ileft, c, n);
    int64_t inner = prod(in, ileft + 1, ii);
    int64_t *o = ARENA_ARRAY(eval_arena(e), int64_t, n + 1);
    for (int i = 0; i < n; i++)
      o[i] = inner * c[i];
    set(p, false, oi, o, n);
  }
  return ileft - 1;
}

/* Splitting input axis ii into output axes oleft..oi. */
static int split(Eval *e, const DArray *x, const int64_t *outshape, int ii,
                 int oi, Plan *p, Loc loc) {
  int64_t din = x->shape[ii];
  int oleft = oi - 1;
  while (oleft >= 0 && prod(outshape, oleft, oi) < din)
    oleft--;
  if (oleft < 0 || prod(outshape, oleft, oi) != din)
    uneven(loc);
  int64_t cs = prod(outshape, oleft + 1, oi);
  int64_t *c;
  int n = contract(e, x->chunks[ii], x->nblocks[ii], cs, &c);
  set(p, true, ii, c, n);
  for (int i = oleft + 1; i <= oi; i++)
    set(p, false, i, one_chunk(e, outshape[i]), 1);
  int64_t *o = ARENA_ARRAY(eval_arena(e), int64_t, n + 1);
  for (int i = 0; i < n; i++)
    o[i] = c[i] / cs;
  set(p, false, oleft, o, n);
  return oleft - 1;
}

/* Dask's reshape_rechunk. */
static void plan(Eval *e, const DArray *x, const int64_t *outshape, int on,
                 Plan *p, Loc loc) {
  int ii = x->ndim - 1, oi = on - 1;
  while (ii >= 0 || oi >= 0) {
    int64_t din = ii >= 0 ? x->shape[ii] : -1, dout = oi >= 0 ? outshape[oi] : -1;
    if (ii >= 0 && oi >= 0 && din == dout) {
      set(p, true, ii, x->chunks[ii], x->nblocks[ii]);
      set(p, false, oi, x->chunks[ii], x->nblocks[ii]);
      ii--;
      oi--;
    } else if (ii >= 0 && din == 1) {
      set(p, true, ii--, one_chunk(e, 1), 1);
    } else if (oi >= 0 && dout == 1) {
      set(p, false, oi--, one_chunk(e, 1), 1);
    } else if (ii < 0 || oi < 0) {
      uneven(loc);
    } else if (din < dout) {
      ii = merge(e, x, outshape, ii, oi, p, loc);
      oi--;
    } else {
      oi = split(e, x, outshape, ii, oi, p, loc);
      ii--;
    }
  }
}

/* The shape asked for, with -1 resolved; errors as NumPy/Dask give them. */
static int target_shape(Eval *e, const DArray *x, Value **items, int n,
                        int64_t *shape, Loc loc) {
  if (n > DA_MAXDIM)
    diag_error(loc, "arrays of more than %d dimensions are not supported",
               DA_MAXDIM);
  int unknown = -1;
  int64_t known = 1;
  for (int i = 0; i < n; i++) {
    shape[i] = eval_need_int(e, items[i], loc, "a dimension");
    if (shape[i] == -1) {
      if (unknown >= 0)
        diag_error(loc, "can only specify one unknown dimension");
      unknown = i;
    } else if (shape[i] < 0) {
      diag_error(loc, "negative dimensions not allowed");
    } else if (__builtin_mul_overflow(known, shape[i], &known)) {
      diag_error(loc, "total size of new array must be unchanged");
    }
  }
  int64_t size = da_size(x);
  if (unknown >= 0) {
    if (known == 0 || size % known)
      diag_error(loc, "cannot reshape array of size %lld into the shape "
                 "asked for", (long long)size);
    shape[unknown] = size / known;
    known = size;
  }
  if (known != size)
    diag_error(loc, "total size of new array must be unchanged");
  return n;
}

DArray *da_reshape(Eval *e, DArray *x, const int64_t *shape, int on, Loc loc) {
  bool same = on == x->ndim;
  for (int d = 0; same && d < on; d++)
    same = shape[d] == x->shape[d];
  if (same)
    return x;
  da_need_known(e, x, "reshape", loc);
  Plan p = {0};
  if (x->nb == 1) {
    for (int d = 0; d < on; d++)
      set(&p, false, d, one_chunk(e, shape[d]), 1);
  } else {
    plan(e, x, shape, on, &p, loc);
    x = da_rechunk(e, x, p.in, p.nin, loc);
  }
  DArray *out = da_alloc(e, "reshape", x->dtype, on, shape);
  da_set_chunks(e, out, p.out, p.nout);
  if (out->nb != x->nb)
    diag_error(loc, "internal error: reshape planned %d blocks from %d",
               out->nb, x->nb);
  for (int f = 0; f < out->nb; f++) {
    Task *t = da_block_task(e, out, f, OP_array_reshape, 3, loc);
    t->args[2] = val_ref(eval_arena(e), x->blocks[f]);
  }
  return out;
}

/* Dask's errors for unknown chunks (a 1-d ravel is x itself) */
static Value *reshape_unknown(Eval *e, DArray *x, Args *a, int first,
                              bool ravel) {
  if (ravel && x->ndim == 1 && a->npos == first)
    return da_value(e, x);
  const char *msg = arena_printf(
      eval_arena(e), "Array chunk size or shape is unknown. shape: %s\n\n"
      "Possible solution with x.compute_chunk_sizes()", da_shape_text(e, x));
  Value **items = a->pos + first;
  int n = a->npos - first;
  if (n == 1 && (items[0]->kind == V_TUPLE || items[0]->kind == V_LIST)) {
    n = items[0]->seq.n;
    items = items[0]->seq.items;
  }
  for (int i = 0; i < n && !ravel; i++)
    if (items[i]->kind == V_INT && items[i]->i == -1)
      msg = "cannot convert float NaN to integer";
  da_unknown_fail(e, x, ravel ? "ravel" : "reshape", msg, a->loc);
}

/* x.reshape((3, 4)), x.reshape(3, 4), da.reshape(x, shape); x.ravel(),
 * da.ravel(x), x.flatten() (ravel: Dask's reshape to (-1,)). The shape
 * starts at positional argument `first`. */
Value *da_reshape_call(Eval *e, DArray *x, Args *a, int first, bool ravel) {
  int64_t shape[DA_MAXDIM];
  int n;
  if (da_unknown(x))
    return reshape_unknown(e, x, a, first, ravel);
  if (ravel) {
    eval_args_no_kw(e, a, "ravel");
    eval_args_count(e, a, "ravel", first, first);
    shape[0] = da_size(x);
    return da_value(e, da_reshape(e, x, shape, 1, a->loc));
  }
  static const char *kws[] = {"merge_chunks", "limit", NULL};
  eval_args_check_kw(e, a, "reshape", kws);
  if (a->npos <= first)
    diag_error(a->loc, "reshape() needs a shape");
  Value **items = a->pos + first;
  n = a->npos - first;
  if (n == 1 && (items[0]->kind == V_TUPLE || items[0]->kind == V_LIST)) {
    n = items[0]->seq.n;
    items = items[0]->seq.items;
  }
  target_shape(e, x, items, n, shape, a->loc);
  return da_value(e, da_reshape(e, x, shape, n, a->loc));
}
