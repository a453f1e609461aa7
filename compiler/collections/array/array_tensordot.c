/* array_tensordot.c - da.tensordot as Dask 2022.12 builds it
 * (dask/array/routines.py):
 *
 *   intermediate = blockwise(_tensordot, ...)   one np.tensordot per pair of
 *       blocks, the contracted axes of the left operand kept with length 1
 *       (adjust_chunks: 1 per block), so the intermediate has one "row" per
 *       contracted block;
 *   result = intermediate.sum(axis=left_axes)    Dask's sum reduction.
 *
 * The block product is array.tensordot (runtime/array_tensordot.c: NumPy's
 * own choice of BLAS routine per block), the sum is da_reduce's, so the
 * result has Dask's chunks and its bits. Operands whose contracted axes are
 * chunked differently are rechunked to the common refinement first, as
 * blockwise's unify_chunks does. */
#include <string.h>

#include "array.h"

/* Dask's tuple repr of a chunks tuple of tuples: ((2, 2), (5,)) */
static const char *chunks_repr(Eval *e, int64_t **chunks, const int *nb,
                               int nd) {
  Arena *a = eval_arena(e);
  const char *s = "(";
  for (int d = 0; d < nd; d++) {
    s = arena_printf(a, "%s%s(", s, d ? ", " : "");
    for (int b = 0; b < nb[d]; b++)
      s = arena_printf(a, "%s%s%lld", s, b ? ", " : "",
                       (long long)chunks[d][b]);
    s = arena_printf(a, "%s%s)", s, nb[d] == 1 ? "," : "");
  }
  return arena_printf(a, "%s%s)", s, nd == 1 ? "," : "");
}

static const char *shape_repr(Eval *e, const int64_t *shape, int nd) {
  Arena *a = eval_arena(e);
  const char *s = "(";
  for (int d = 0; d < nd; d++)
    s = arena_printf(a, "%s%s%lld", s, d ? ", " : "", (long long)shape[d]);
  return arena_printf(a, "%s%s)", s, nd == 1 ? "," : "");
}

/* x with axis d's chunks replaced by c (n blocks): Dask's rechunk, whose
 * error names the chunks when they do not add up to the shape. */
static DArray *rechunk_axis(Eval *e, DArray *x, int d, int64_t *c, int n,
                            Loc loc) {
  int64_t *chunks[DA_MAXDIM];
  int nb[DA_MAXDIM];
  int64_t sum = 0;
  for (int a = 0; a < x->ndim; a++) {
    chunks[a] = x->chunks[a];
    nb[a] = x->nblocks[a];
  }
  chunks[d] = c;
  nb[d] = n;
  for (int b = 0; b < n; b++)
    sum += c[b];
  if (sum != x->shape[d])
    diag_error(loc, "Chunks do not add up to shape. Got chunks=%s, shape=%s",
               chunks_repr(e, chunks, nb, x->ndim),
               shape_repr(e, x->shape, x->ndim));
  return da_rechunk(e, x, chunks, nb, loc);
}

/* Dask's common_blockdim of two chunk tuples: the multi-block one when the
 * other is one block, else every boundary of either. */
static void unify_axis(Eval *e, DArray **x, int xd, DArray **y, int yd,
                       Loc loc) {
  DArray *a = *x, *b = *y;
  int na = a->nblocks[xd], nb = b->nblocks[yd];
  bool same = na == nb;
  for (int i = 0; same && i < na; i++)
    same = a->chunks[xd][i] == b->chunks[yd][i];
  if (same)
    return;
  if (na > 1 && nb > 1 && a->shape[xd] != b->shape[yd])
    diag_error(loc, "Chunks do not add up to same value: %lld and %lld",
               (long long)a->shape[xd], (long long)b->shape[yd]);
  int64_t *c;
  int n = 0;
  if (nb <= 1 || na <= 1) { /* both one block: the longer, as Dask */
    bool use_a = na > 1 || (nb <= 1 && a->shape[xd] >= b->shape[yd]);
    c = use_a ? a->chunks[xd] : b->chunks[yd];
    n = use_a ? na : nb;
  } else {
    c = ARENA_ARRAY(eval_arena(e), int64_t, na + nb);
    int64_t at = 0;
    for (int i = 1, j = 1; i <= na || j <= nb;) {
      int64_t ea = i <= na ? a->starts[xd][i] : INT64_MAX;
      int64_t eb = j <= nb ? b->starts[yd][j] : INT64_MAX;
      int64_t end = ea < eb ? ea : eb;
      if (end > at)
        c[n++] = end - at;
      at = end;
      i += ea == end;
      j += eb == end;
    }
  }
  *x = rechunk_axis(e, a, xd, c, n, loc); /* the first operand first */
  *y = rechunk_axis(e, b, yd, c, n, loc);
}

DArray *da_tensordot(Eval *e, DArray *x, DArray *y, int n, const int *la,
                     const int *ra, Loc loc) {
  if (x->dtype == ty_bool || y->dtype == ty_bool)
    diag_error(loc, "tensordot of bool arrays is not supported (use "
               ".astype(int))");
  bool inx[DA_MAXDIM] = {0}, iny[DA_MAXDIM] = {0};
  for (int i = 0; i < n; i++) {
    if (la[i] >= x->ndim || ra[i] >= y->ndim)
      diag_error(loc, "list index out of range");
    if (inx[la[i]] || iny[ra[i]])
      diag_error(loc, "tensordot: repeated axis in axes");
    inx[la[i]] = iny[ra[i]] = true;
  }
  for (int i = 0; i < n; i++)
    unify_axis(e, &x, la[i], &y, ra[i], loc);
  int nd = x->ndim + y->ndim - n;
  if (nd > DA_MAXDIM)
    diag_error(loc, "tensordot: the result has more than %d dimensions",
               DA_MAXDIM);
  /* the intermediate: x's axes (contracted ones one block long each), then
   * y's free axes */
  int64_t shape[DA_MAXDIM], *chunks[DA_MAXDIM];
  int nb[DA_MAXDIM], yfree[DA_MAXDIM], pair[DA_MAXDIM], nf = 0;
  for (int d = 0; d < x->ndim; d++) {
    nb[d] = x->nblocks[d];
    chunks[d] = x->chunks[d];
    shape[d] = x->shape[d];
    if (inx[d]) {
      chunks[d] = ARENA_ARRAY(eval_arena(e), int64_t, nb[d] + 1);
      for (int b = 0; b < nb[d]; b++)
        chunks[d][b] = 1;
      shape[d] = nb[d];
    }
  }
  for (int i = 0; i < n; i++)
    pair[ra[i]] = la[i];
  for (int d = 0; d < y->ndim; d++)
    if (!iny[d]) {
      int o = x->ndim + nf;
      yfree[nf++] = d;
      nb[o] = y->nblocks[d];
      chunks[o] = y->chunks[d];
      shape[o] = y->shape[d];
    }
  Type *dt = x->dtype == ty_float || y->dtype == ty_float ? ty_float : ty_int;
  DArray *t = da_alloc(e, "tensordot", dt, nd, shape);
  da_set_chunks(e, t, chunks, nb);
  int64_t packed = n;
  for (int i = 0; i < n; i++)
    packed |= (int64_t)la[i] << (4 + 4 * i) | (int64_t)ra[i] << (36 + 4 * i);
  for (int f = 0; f < t->nb; f++) {
    int c[DA_MAXDIM], xc[DA_MAXDIM], yc[DA_MAXDIM];
    da_block_coords(t, f, c);
    for (int d = 0; d < x->ndim; d++)
      xc[d] = c[d];
    for (int j = 0; j < nf; j++)
      yc[yfree[j]] = c[x->ndim + j];
    for (int d = 0; d < y->ndim; d++)
      if (iny[d])
        yc[d] = c[pair[d]];
    Task *k = da_block_task(e, t, f, OP_array_tensordot, 5, loc);
    k->args[2] = val_ref(eval_arena(e), x->blocks[da_block_flat(x, xc)]);
    k->args[3] = val_ref(eval_arena(e), y->blocks[da_block_flat(y, yc)]);
    k->args[4] = val_int(eval_arena(e), packed);
  }
  if (n == 0) /* sum over no axes: Dask's reduction keeps the values */
    return t;
  bool axes[DA_MAXDIM] = {false};
  for (int i = 0; i < n; i++)
    axes[la[i]] = true;
  return da_reduce(e, t, "sum", axes, false, 4, 0, loc);
}

/* One side of axes=: an int or a list/tuple of ints. */
static int axes_side(Eval *e, Value *v, int *out, Loc loc) {
  Value **items = &v;
  int n = 1;
  if (v->kind == V_LIST || v->kind == V_TUPLE) {
    items = v->seq.items;
    n = v->seq.n;
  }
  if (n > 7)
    diag_error(loc, "tensordot: at most 7 contracted axes are supported");
  for (int i = 0; i < n; i++) {
    int64_t a = eval_need_int(e, items[i], loc, "an axis");
    if (a < 0) /* Dask indexes its index lists with them: a wrong result */
      diag_error(loc, "tensordot: negative axes are not supported (Dask "
                 "2022.12 mis-chunks them); give axes from 0");
    if (a >= DA_MAXDIM)
      diag_error(loc, "list index out of range");
    out[i] = (int)a;
  }
  return n;
}

/* da.tensordot(a, b, axes=2) */
Value *da_tensordot_builtin_fn(Eval *e, Args *a) {
  static const char *kws[] = {"axes", NULL};
  eval_args_check_kw(e, a, "tensordot", kws);
  eval_args_count(e, a, "tensordot", 2, 3);
  DArray *x = da_of(e, a->pos[0], a->pos_loc[0]);
  DArray *y = da_of(e, a->pos[1], a->pos_loc[1]);
  Value *ax = a->npos > 2 ? a->pos[2] : eval_arg_kw(a, "axes", NULL);
  int la[DA_MAXDIM], ra[DA_MAXDIM], n;
  if (!ax || ax->kind == V_INT) {
    int64_t k = ax ? ax->i : 2;
    if (k < 0 || k > x->ndim || k > y->ndim)
      diag_error(a->loc, k < 0 ? "tensordot: axes must be non-negative"
                               : "list index out of range");
    n = (int)k;
    for (int i = 0; i < n; i++) {
      la[i] = x->ndim - n + i;
      ra[i] = i;
    }
  } else if ((ax->kind == V_LIST || ax->kind == V_TUPLE) && ax->seq.n == 2) {
    n = axes_side(e, ax->seq.items[0], la, a->loc);
    int m = axes_side(e, ax->seq.items[1], ra, a->loc);
    if (m != n) /* np.tensordot's check, in the first block product */
      diag_error(a->loc, "shape-mismatch for sum");
  } else if (ax->kind == V_LIST || ax->kind == V_TUPLE) {
    diag_error(a->loc, "not enough values to unpack (expected 2, got %d)",
               ax->seq.n);
  } else {
    diag_error(a->loc, "tensordot: axes must be an int or a pair of axis "
               "lists, got %s", v_type_name(ax));
  }
  return da_value(e, da_tensordot(e, x, y, n, la, ra, a->loc));
}
