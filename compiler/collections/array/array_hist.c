/* array_hist.c - da.bincount and da.histogram as Dask 2022.12 builds them
 * (dask/array/routines.py):
 *
 *   bincount(x, weights=None, minlength=0, split_every=None): per block
 *     np.bincount(minlength=...) (array.bincount), then _tree_reduce with
 *     _bincount_agg: groups of split_every blocks added in order from 0
 *     (array.combine "sum-seq"). Dask's output chunks are (minlength,),
 *     and a value past minlength fails the task. Without minlength they are
 *     unknown ((nan,),): each block has max + 1 bins (array.bincount_any)
 *     and each aggregate pads its parts to the longest (array.bincount_agg,
 *     Dask's _bincount_agg).
 *   histogram(a, bins=, range=, weights=): the edges are np.linspace(*range,
 *     bins + 1) or the given list; per block np.histogram(block, edges)
 *     (array.histogram, shape (1, nbins)), stacked (nchunks, nbins) and
 *     summed over axis 0 by Dask's sum. Returns (counts, edges).
 * Runtime: runtime/array_hist.c. */
#include <math.h>
#include <string.h>

#include "array.h"

static DArray *one_block(Eval *e, const char *prefix, Type *dt, int nd,
                         const int64_t *shape) {
  DArray *x = da_alloc(e, prefix, dt, nd, shape);
  int64_t *chunks[DA_MAXDIM];
  int nb[DA_MAXDIM];
  for (int d = 0; d < nd; d++) {
    chunks[d] = ARENA_ARRAY(eval_arena(e), int64_t, 1);
    chunks[d][0] = shape[d];
    nb[d] = 1;
  }
  da_set_chunks(e, x, chunks, nb);
  return x;
}

static void check_weights(Eval *e, DArray *x, DArray *w, const char *msg,
                          Loc loc) {
  (void)e;
  bool same = x->ndim == w->ndim;
  for (int d = 0; same && d < x->ndim; d++) {
    same = x->nblocks[d] == w->nblocks[d];
    for (int b = 0; same && b < x->nblocks[d]; b++)
      same = x->chunks[d][b] == w->chunks[d][b];
  }
  if (!same)
    diag_error(loc, "%s", msg);
}

/* Dask's _tree_reduce over the blocks of a 1-d array of partials, groups of
 * split consecutive blocks added in order from 0 (array.combine; parts of
 * unknown length, shape -1: array.bincount_agg). */
static Task *tree_sum(Eval *e, Task **parts, int n, int split,
                      const int64_t *shape, int nd, Type *dt, Loc loc) {
  bool pad = shape[0] < 0;
  int depth = n > 1 ? (int)ceil(log((double)n) / log((double)split)) : 1;
  if (depth < 1)
    depth = 1;
  for (int lv = 0; lv < depth; lv++) {
    int s = lv == depth - 1 ? n : split; /* the last level takes the rest */
    const char *name = da_name(e, lv == depth - 1 ? "bincount-aggregate"
                                                  : "bincount-partial");
    int m = (n + s - 1) / s;
    for (int g = 0; g < m; g++) {
      int k = n - g * s < s ? n - g * s : s;
      if (k == 1) {
        parts[g] = parts[g * s];
        continue;
      }
      Val **items = ARENA_ARRAY(eval_arena(e), Val *, k);
      for (int j = 0; j < k; j++)
        items[j] = val_ref(eval_arena(e), parts[g * s + j]);
      int c[1] = {g};
      Task *t = da_task(e, name, c, 1, shape, nd, dt,
                        pad ? OP_array_bincount_agg : OP_array_combine,
                        pad ? 3 : 4, loc);
      t->args[2] = val_seq(eval_arena(e), VAL_LIST, items, k);
      if (!pad)
        t->args[3] = val_str(eval_arena(e), "sum-seq", 7);
      parts[g] = t;
    }
    n = m;
  }
  return parts[0];
}

/* x and the weights w share their chunks (unknown ones: the same mask) */
static void check_bincount_weights(Eval *e, DArray *x, DArray *w, Loc loc) {
  const char *msg = "Chunks of input array x and weights must match.";
  check_weights(e, x, w, msg, loc);
  if (da_unknown(x) != da_unknown(w) ||
      (da_unknown(x) && x->unk_id[0] != w->unk_id[0]))
    diag_error(loc, "bincount: weights must come from the same mask as x "
               "when its chunks are unknown (a taskc limit; Dask compares "
               "their lengths when it runs)");
}

Value *da_bincount_builtin_fn(Eval *e, Args *a) {
  static const char *kws[] = {"weights", "minlength", "split_every", NULL};
  eval_args_check_kw(e, a, "bincount", kws);
  eval_args_count(e, a, "bincount", 1, 3);
  DArray *x = da_of(e, a->pos[0], a->pos_loc[0]);
  Value *wv = a->npos > 1 ? a->pos[1] : eval_arg_kw(a, "weights", NULL);
  Value *mv = a->npos > 2 ? a->pos[2] : eval_arg_kw(a, "minlength", NULL);
  Value *sv = eval_arg_kw(a, "split_every", NULL);
  if (x->ndim != 1)
    diag_error(a->loc, "Input array must be one dimensional. Try using "
               "x.ravel()");
  if (x->dtype == ty_float)
    diag_error(a->loc, "Cannot cast array data from dtype('float64') to "
               "dtype('int64') according to the rule 'safe'");
  DArray *w = wv && wv->kind != V_NONE ? da_of(e, wv, a->loc) : NULL;
  if (w)
    check_bincount_weights(e, x, w, a->loc);
  int64_t minlength = mv ? eval_need_int(e, mv, a->loc, "minlength") : 0;
  if (minlength < 0)
    diag_error(a->loc, "'minlength' must not be negative");
  int split = sv && sv->kind != V_NONE
                  ? (int)eval_need_int(e, sv, a->loc, "split_every") : 4;
  if (split < 2)
    diag_error(a->loc, "split_every must be at least 2");
  Type *dt = w ? ty_float : ty_int;
  int64_t shape[1] = {minlength > 0 ? minlength : -1};
  const char *name = da_name(e, "bincount");
  Task **parts = ARENA_ARRAY(eval_arena(e), Task *, x->nb);
  for (int b = 0; b < x->nb; b++) {
    int c[1] = {b};
    Task *t = da_task(e, name, c, 1, shape, 1, dt,
                      minlength > 0 ? OP_array_bincount : OP_array_bincount_any,
                      5, a->loc);
    t->args[2] = val_ref(eval_arena(e), x->blocks[b]);
    t->args[3] = val_ref(eval_arena(e), (w ? w : x)->blocks[b]);
    t->args[4] = val_int(eval_arena(e), w != NULL);
    parts[b] = t;
  }
  DArray *out = one_block(e, "bincount-aggregate", dt, 1, shape);
  out->blocks[0] = tree_sum(e, parts, x->nb, split, shape, 1, dt, a->loc);
  if (shape[0] < 0)
    out->unk_id[0] = out->name;
  return da_value(e, out);
}

/* the edges: a float64 list, or NumPy's linspace(lo, hi, n + 1) */
static int edges_of(Eval *e, Value *bins, Value *range, double **out,
                    bool *ints, Loc loc) {
  if (bins->kind == V_LIST || bins->kind == V_TUPLE) {
    int n = bins->seq.n;
    if (n < 1)
      diag_error(loc, "histogram: bins must have at least one edge");
    *out = ARENA_ARRAY(eval_arena(e), double, n);
    *ints = true;
    for (int i = 0; i < n; i++) {
      (*out)[i] = da_num(e, bins->seq.items[i], loc, "a bin edge");
      *ints = *ints && bins->seq.items[i]->kind != V_FLOAT;
      if (i && (*out)[i] < (*out)[i - 1])
        diag_error(loc, "`bins` must increase monotonically, when an array");
    }
    return n;
  }
  if (bins->kind != V_INT || !range || range->kind == V_NONE)
    diag_error(loc, "dask.array.histogram requires either specifying bins "
               "as an iterable or specifying both a range and the number "
               "of bins");
  if ((range->kind != V_TUPLE && range->kind != V_LIST) || range->seq.n != 2)
    diag_error(loc, "histogram: range must be a pair (lo, hi)");
  int64_t nb = bins->i;
  if (nb < 1)
    diag_error(loc, "`bins` must be positive, when an integer");
  double lo = da_num(e, range->seq.items[0], loc, "range");
  double hi = da_num(e, range->seq.items[1], loc, "range");
  int64_t num = nb + 1, div = nb;
  double delta = hi - lo, step = delta / (double)div;
  *out = ARENA_ARRAY(eval_arena(e), double, num);
  *ints = false;
  for (int64_t i = 0; i < num; i++) /* np.linspace */
    (*out)[i] = (step == 0 ? (double)i / (double)div * delta
                           : (double)i * step) + lo;
  (*out)[num - 1] = hi;
  return (int)num;
}

/* density=True, as Dask 2022.12: n / db / n.sum(), db the bin widths
 * np.diff(bins).astype(float) (NumPy's, here at compile time: int edges
 * subtract exactly, then convert) as one block with n's chunks. */
static DArray *density_of(Eval *e, DArray *n, const double *edges, bool ints,
                          int ne, Loc loc) {
  int64_t shape[1] = {ne - 1};
  DArray *db = one_block(e, "array", ty_float, 1, shape);
  Val **items = ARENA_ARRAY(eval_arena(e), Val *, ne);
  for (int i = 0; i + 1 < ne; i++)
    items[i] = val_float(eval_arena(e),
                         ints ? (double)((int64_t)edges[i + 1] - (int64_t)edges[i])
                              : edges[i + 1] - edges[i]);
  Task *t = da_block_task(e, db, 0, OP_array_literal, 3, loc);
  t->args[2] = val_seq(eval_arena(e), VAL_LIST, items, ne - 1);
  Value *q[2] = {da_value(e, n), da_value(e, db)};
  DArray *r = da_elemwise(e, OP_array_truediv, q, 2, loc);
  bool all[DA_MAXDIM] = {true};
  Value *d[2] = {da_value(e, r),
                 da_value(e, da_reduce(e, n, "sum", all, false, 4, 0, loc))};
  return da_elemwise(e, OP_array_truediv, d, 2, loc);
}

Value *da_histogram_builtin_fn(Eval *e, Args *a) {
  static const char *kws[] = {"bins", "range", "weights", "density",
                              "normed", NULL};
  eval_args_check_kw(e, a, "histogram", kws);
  eval_args_count(e, a, "histogram", 1, 3);
  DArray *x = da_of(e, a->pos[0], a->pos_loc[0]);
  da_need_known(e, x, "histogram", a->loc);
  Value *bins = a->npos > 1 ? a->pos[1] : eval_arg_kw(a, "bins", NULL);
  Value *range = a->npos > 2 ? a->pos[2] : eval_arg_kw(a, "range", NULL);
  Value *wv = eval_arg_kw(a, "weights", NULL);
  Value *dens = eval_arg_kw(a, "density", NULL);
  bool density = dens && dens->kind != V_NONE && eval_truthy(e, dens, a->loc);
  if (eval_arg_kw(a, "normed", NULL))
    diag_error(a->loc, "The normed argument is ignored when density is "
               "provided, and deprecated");
  if (!bins)
    bins = eval_mk_int(e, 10);
  DArray *w = wv && wv->kind != V_NONE ? da_of(e, wv, a->loc) : NULL;
  if (w)
    check_weights(e, x, w, "Input array and weights must have the same "
                  "chunked structure", a->loc);
  double *edges;
  bool ints;
  int ne = edges_of(e, bins, range, &edges, &ints, a->loc);
  /* the edges: one literal block (Dask: a NumPy array, or a dask array of
   * the list) */
  int64_t eshape[1] = {ne};
  Type *edt = ints ? ty_int : ty_float;
  DArray *ed = one_block(e, "array", edt, 1, eshape);
  Val **items = ARENA_ARRAY(eval_arena(e), Val *, ne);
  for (int i = 0; i < ne; i++)
    items[i] = ints ? val_int(eval_arena(e), (int64_t)edges[i])
                    : val_float(eval_arena(e), edges[i]);
  Task *et = da_block_task(e, ed, 0, OP_array_literal, 3, a->loc);
  et->args[2] = val_seq(eval_arena(e), VAL_LIST, items, ne);
  /* (nchunks, nbins) of per-block histograms, then Dask's sum(axis=0) */
  Type *dt = w ? w->dtype == ty_float ? ty_float : ty_int : ty_int;
  int64_t mshape[2] = {x->nb, ne - 1};
  DArray *m = da_alloc(e, "histogram-sum", dt, 2, mshape);
  int64_t *chunks[2];
  int nb[2] = {x->nb, 1};
  chunks[0] = ARENA_ARRAY(eval_arena(e), int64_t, x->nb);
  for (int b = 0; b < x->nb; b++)
    chunks[0][b] = 1;
  chunks[1] = ARENA_ARRAY(eval_arena(e), int64_t, 1);
  chunks[1][0] = mshape[1];
  da_set_chunks(e, m, chunks, nb);
  for (int b = 0; b < x->nb; b++) {
    Task *t = da_block_task(e, m, b, OP_array_histogram, 6, a->loc);
    t->args[2] = val_ref(eval_arena(e), x->blocks[b]);
    t->args[3] = val_ref(eval_arena(e), (w ? w : x)->blocks[b]);
    t->args[4] = val_ref(eval_arena(e), et);
    t->args[5] = val_int(eval_arena(e), w != NULL);
  }
  bool axes[DA_MAXDIM] = {true, false};
  DArray *n = da_reduce(e, m, "sum", axes, false, 4, 0, a->loc);
  if (density)
    n = density_of(e, n, edges, ints, ne, a->loc);
  Value *pair[2] = {da_value(e, n), da_value(e, ed)};
  return eval_mk_tuple(e, pair, 2);
}
