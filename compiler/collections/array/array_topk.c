/* array_topk.c - x.topk(k) / da.topk(x, k) / argtopk as Dask builds them
 * (dask/array/reductions.py: a reduction with keepdims, output_size |k|):
 *
 *   chunk      per block, the |k| top elements along the axis (argtopk: as
 *              (value, global index) pairs);
 *   combine    groups of split_every consecutive blocks along the axis,
 *              concatenated, their top |k| again (depth - 1 levels, as
 *              _tree_reduce);
 *   aggregate  the remaining group concatenated, its top |k| sorted
 *              (largest first; k < 0: smallest first), argtopk keeping the
 *              indices.
 *
 * Each step is array.topk (runtime/array_topk.c) after an
 * array.concatenate of the group. The result has one chunk of |k| along
 * the axis and the input's chunks elsewhere. */
#include <math.h>
#include <string.h>

#include "array.h"

enum { TOPK_PAIRS_IN = 1, TOPK_MAKE_PAIRS = 2, TOPK_AGGREGATE = 4 };

static Task *topk_task(Eval *e, const char *name, const int *c, int nd,
                       const int64_t *shape, int ond, Type *dt, Task *in,
                       int64_t k, int axis, int64_t off, int flags, Loc loc) {
  Task *t = da_task(e, name, c, nd, shape, ond, dt, OP_array_topk, 7, loc);
  Arena *a = eval_arena(e);
  t->args[2] = val_ref(a, in);
  t->args[3] = val_int(a, k);
  t->args[4] = val_int(a, axis);
  t->args[5] = val_int(a, off);
  t->args[6] = val_int(a, flags);
  return t;
}

/* One level: the blocks of x grouped by s along axis, each group
 * concatenated (more than one block) and reduced to its top |k|. */
static DArray *level(Eval *e, DArray *x, int64_t k, int axis, int s,
                     int flags, Type *dt, const char *name, Loc loc) {
  int nd = x->ndim, pairs = !(flags & TOPK_AGGREGATE);
  int64_t kk = k < 0 ? -k : k;
  int ng = (x->nblocks[axis] + s - 1) / s;
  int64_t *chunks[DA_MAXDIM], shape[DA_MAXDIM];
  int nb[DA_MAXDIM];
  for (int d = 0; d < nd; d++) {
    chunks[d] = x->chunks[d];
    nb[d] = x->nblocks[d];
    shape[d] = x->shape[d];
  }
  nb[axis] = ng;
  chunks[axis] = ARENA_ARRAY(eval_arena(e), int64_t, ng);
  shape[axis] = 0;
  for (int g = 0; g < ng; g++) {
    int64_t len = 0;
    for (int b = g * s; b < x->nblocks[axis] && b < (g + 1) * s; b++)
      len += x->chunks[axis][b];
    chunks[axis][g] = len < kk ? len : kk;
    shape[axis] += chunks[axis][g];
  }
  DArray *out = da_alloc(e, name, x->dtype, nd, shape);
  out->dtype = x->dtype;
  da_set_chunks(e, out, chunks, nb);
  const char *cname = da_name(e, "concatenate");
  int extra = (flags & TOPK_PAIRS_IN) != 0; /* the pair axis */
  for (int f = 0; f < out->nb; f++) {
    int c[DA_MAXDIM], xc[DA_MAXDIM];
    int64_t bs[DA_MAXDIM + 1], cs[DA_MAXDIM + 1];
    da_block_coords(out, f, c);
    da_block_shape(out, c, bs);
    memcpy(xc, c, sizeof xc);
    int first = c[axis] * s, n = 0;
    Task **parts = ARENA_ARRAY(eval_arena(e), Task *, s);
    int64_t *offs = ARENA_ARRAY(eval_arena(e), int64_t, (size_t)s * (nd + 1) + 1);
    int64_t at = 0;
    for (int b = first; b < x->nblocks[axis] && b < first + s; b++) {
      xc[axis] = b;
      Task *p = x->blocks[da_block_flat(x, xc)];
      for (int d = 0; d < nd + extra; d++)
        offs[n * (nd + extra) + d] = d == axis ? at : 0;
      at += x->chunks[axis][b];
      parts[n++] = p;
    }
    Task *in = parts[0];
    if (n > 1) { /* Dask's _concatenate2 of the group */
      memcpy(cs, bs, sizeof(int64_t) * nd);
      cs[axis] = at;
      cs[nd] = 2;
      Val **items = ARENA_ARRAY(eval_arena(e), Val *, n);
      for (int i = 0; i < n; i++)
        items[i] = val_ref(eval_arena(e), parts[i]);
      in = da_task(e, cname, c, nd, cs, nd + extra, x->dtype,
                   OP_array_concatenate, 4, loc);
      in->args[2] = val_seq(eval_arena(e), VAL_LIST, items, n);
      in->args[3] = da_ituple(e, offs, n * (nd + extra));
    }
    bs[nd] = 2;
    out->blocks[f] = topk_task(e, out->name, c, nd, bs, nd + pairs * extra,
                               dt, in, k, axis, 0, flags, loc);
  }
  return out;
}

DArray *da_topk(Eval *e, DArray *x, int64_t k, int64_t axisv, int split,
                bool arg, Loc loc) {
  da_need_known(e, x, arg ? "argtopk" : "topk", loc);
  const char *fn = arg ? "argtopk" : "topk";
  if (axisv < -x->ndim || axisv >= x->ndim)
    diag_error(loc, "axis %lld is out of bounds for array of dimension %d",
               (long long)axisv, x->ndim);
  int axis = (int)(axisv < 0 ? axisv + x->ndim : axisv);
  int64_t kk = k < 0 ? -k : k;
  if (k == 0 || kk > x->shape[axis])
    diag_error(loc, "%s: k=%lld must be non-zero and at most the length of "
               "the axis (%lld)", fn, (long long)k, (long long)x->shape[axis]);
  if (arg && x->dtype == ty_bool)
    x = da_astype(e, x, ty_int, loc);
  int nd = x->ndim;
  /* chunk: per block */
  int64_t *chunks[DA_MAXDIM];
  int nb[DA_MAXDIM];
  int64_t shape[DA_MAXDIM];
  for (int d = 0; d < nd; d++) {
    chunks[d] = x->chunks[d];
    nb[d] = x->nblocks[d];
    shape[d] = x->shape[d];
  }
  chunks[axis] = ARENA_ARRAY(eval_arena(e), int64_t, nb[axis]);
  shape[axis] = 0;
  for (int b = 0; b < nb[axis]; b++) {
    chunks[axis][b] = x->chunks[axis][b] < kk ? x->chunks[axis][b] : kk;
    shape[axis] += chunks[axis][b];
  }
  DArray *p = da_alloc(e, arg ? "argtopk" : "topk", x->dtype, nd, shape);
  da_set_chunks(e, p, chunks, nb);
  for (int f = 0; f < p->nb; f++) {
    int c[DA_MAXDIM];
    int64_t bs[DA_MAXDIM + 1], off[DA_MAXDIM];
    da_block_coords(p, f, c);
    da_block_shape(p, c, bs);
    da_block_offset(x, c, off);
    bs[nd] = 2;
    p->blocks[f] = topk_task(e, p->name, c, nd, bs, nd + arg, x->dtype,
                             x->blocks[f], k, axis, off[axis],
                             arg ? TOPK_MAKE_PAIRS : 0, loc);
  }
  /* Dask's depth: ceil(log(blocks, split_every)) */
  int depth = 1, n = nb[axis];
  if (n > 1)
    depth = (int)ceil(log((double)n) / log((double)split));
  if (depth < 1)
    depth = 1;
  int in_flag = arg ? TOPK_PAIRS_IN : 0;
  for (int i = 0; i < depth - 1; i++)
    p = level(e, p, k, axis, split, in_flag, x->dtype,
              arg ? "argtopk-partial" : "topk-partial", loc);
  DArray *out = level(e, p, k, axis, p->nblocks[axis], in_flag | TOPK_AGGREGATE,
                      arg ? ty_int : x->dtype,
                      arg ? "argtopk-aggregate" : "topk-aggregate", loc);
  out->dtype = arg ? ty_int : x->dtype;
  return out;
}

/* x.topk(k, axis=-1, split_every=None), da.topk(x, k, ...), argtopk */
Value *da_topk_call(Eval *e, DArray *x, const char *name, Args *a,
                    int first) {
  static const char *kws[] = {"k", "axis", "split_every", NULL};
  eval_args_check_kw(e, a, name, kws);
  eval_args_count(e, a, name, first, first + 3);
  Value *kv = a->npos > first ? a->pos[first] : eval_arg_kw(a, "k", NULL);
  if (!kv)
    diag_error(a->loc, "%s() missing 1 required positional argument: 'k'",
               name);
  int64_t k = eval_need_int(e, kv, a->loc, "k");
  Value *ax = a->npos > first + 1 ? a->pos[first + 1]
                                  : eval_arg_kw(a, "axis", NULL);
  int64_t axis = ax ? eval_need_int(e, ax, a->loc, "an axis") : -1;
  Value *se = a->npos > first + 2 ? a->pos[first + 2]
                                  : eval_arg_kw(a, "split_every", NULL);
  int split = se && se->kind != V_NONE
                  ? (int)eval_need_int(e, se, a->loc, "split_every") : 4;
  if (split < 2)
    diag_error(a->loc, "split_every must be at least 2");
  return da_value(e, da_topk(e, x, k, axis, split, !strcmp(name, "argtopk"),
                             a->loc));
}

/* da.topk(x, k) and da.argtopk(x, k) */
Value *da_topk_builtin_fn(Eval *e, Args *a) {
  const char *name = strrchr(eval_callee(e), '.') + 1;
  eval_args_count(e, a, name, 1, 4);
  return da_topk_call(e, da_of(e, a->pos[0], a->pos_loc[0]), name, a, 1);
}
