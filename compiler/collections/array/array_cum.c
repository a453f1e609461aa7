/* array_cum.c - cumsum and cumprod, by Dask's sequential method
 * (dask/array/reductions.py, cumreduction):
 *
 *   m_i     = np.cumsum(block i, axis)            (array.cumulate)
 *   extra_0 = zeros of the block's shape with the axis 1 long
 *   extra_i = extra_{i-1} + m_{i-1}[..., -1:, ...] (the previous block's last
 *             running value along the axis)
 *   out_0   = m_0,   out_i = extra_i + m_i
 *
 * The same additions in the same order give Dask's bits; the additions are
 * element-wise tasks, so they fuse. axis=None flattens first and rechunks
 * to chunks of npartitions elements, as Dask does. */
#include <string.h>

#include "array.h"

static Task *block_op(Eval *e, const char *name, const int *c, int nd,
                      const int64_t *shape, Type *dt, OpId op, Task *a,
                      Task *b, Loc loc) {
  Task *t = da_task(e, name, c, nd, shape, nd, dt, op, 4, loc);
  t->args[2] = val_ref(eval_arena(e), a);
  t->args[3] = val_ref(eval_arena(e), b);
  return t;
}

/* The last position along `axis` of block task m (shape bs). */
static Task *last_slab(Eval *e, const char *name, const int *c, int nd,
                       const int64_t *bs, int axis, Type *dt, Task *m,
                       Loc loc) {
  int64_t shape[DA_MAXDIM], starts[DA_MAXDIM] = {0}, steps[DA_MAXDIM], map[DA_MAXDIM];
  for (int d = 0; d < nd; d++) {
    shape[d] = d == axis ? 1 : bs[d];
    steps[d] = 1;
    map[d] = d;
  }
  starts[axis] = bs[axis] - 1;
  Task *t = da_task(e, name, c, nd, shape, nd, dt, OP_array_getitem, 6, loc);
  t->args[2] = val_ref(eval_arena(e), m);
  t->args[3] = da_ituple(e, starts, nd);
  t->args[4] = da_ituple(e, steps, nd);
  t->args[5] = da_ituple(e, map, nd);
  return t;
}

DArray *da_cumulate(Eval *e, DArray *x, bool prod, Value *axisv, Loc loc) {
  da_need_known(e, x, prod ? "cumprod" : "cumsum", loc);
  int axis = 0;
  if (!axisv || axisv->kind == V_NONE) {
    int64_t n = da_size(x);
    int nb0 = x->nb;
    x = da_reshape(e, x, &n, 1, loc);
    int64_t *chunks[1];
    int nb[1];
    Value *size = eval_mk_int(e, nb0); /* Dask: rechunk(chunks=npartitions) */
    da_normalize_chunks(e, size, 1, x->shape, x->dtype, x, chunks, nb, loc);
    x = da_rechunk(e, x, chunks, nb, loc);
  } else {
    int64_t a = eval_need_int(e, axisv, loc, "an axis");
    if (a < -x->ndim || a >= x->ndim)
      diag_error(loc, "axis %lld is out of bounds for array of dimension %d",
                 (long long)a, x->ndim);
    axis = (int)(a < 0 ? a + x->ndim : a);
  }
  const char *how = prod ? "prod" : "sum";
  Type *dt = x->dtype == ty_float ? ty_float : ty_int;
  DArray *m = da_alloc(e, prod ? "cumprod" : "cumsum", dt, x->ndim, x->shape);
  da_set_chunks(e, m, x->chunks, x->nblocks);
  for (int f = 0; f < m->nb; f++) {
    Task *t = da_block_task(e, m, f, OP_array_cumulate, 5, loc);
    t->args[2] = val_ref(eval_arena(e), x->blocks[f]);
    t->args[3] = val_int(eval_arena(e), axis);
    t->args[4] = val_str(eval_arena(e), how, (int)strlen(how));
  }
  DArray *out = da_alloc(e, prod ? "cumprod" : "cumsum", dt, x->ndim, x->shape);
  da_set_chunks(e, out, x->chunks, x->nblocks);
  const char *xname = da_name(e, prod ? "cumprod-extra" : "cumsum-extra");
  const char *sname = da_name(e, prod ? "cumprod-last" : "cumsum-last");
  OpId op = prod ? OP_array_mul : OP_array_add;
  Task **extra = ARENA_ARRAY(eval_arena(e), Task *, out->nb);
  for (int f = 0; f < out->nb; f++) { /* row-major: block i-1 comes first */
    int c[DA_MAXDIM];
    int64_t bs[DA_MAXDIM], es[DA_MAXDIM];
    da_block_coords(out, f, c);
    da_block_shape(out, c, bs);
    memcpy(es, bs, sizeof es);
    es[axis] = 1;
    if (c[axis] == 0) {
      Task *z = da_task(e, xname, c, out->ndim, es, out->ndim, dt,
                        OP_array_full, 3, loc);
      z->args[2] = dt == ty_float ? val_float(eval_arena(e), prod ? 1 : 0)
                                  : val_int(eval_arena(e), prod ? 1 : 0);
      extra[f] = z;
      out->blocks[f] = m->blocks[f];
      continue;
    }
    int pc[DA_MAXDIM];
    int64_t pbs[DA_MAXDIM];
    memcpy(pc, c, sizeof pc);
    pc[axis]--;
    int pf = da_block_flat(out, pc);
    da_block_shape(out, pc, pbs);
    Task *slab = last_slab(e, sname, pc, out->ndim, pbs, axis, dt,
                           m->blocks[pf], loc);
    extra[f] = block_op(e, xname, c, out->ndim, es, dt, op, extra[pf], slab,
                        loc);
    out->blocks[f] = block_op(e, out->name, c, out->ndim, bs, dt, op,
                              extra[f], m->blocks[f], loc);
  }
  return out;
}

/* x.cumsum(axis), da.cumsum(x, axis=None), cumprod likewise. */
Value *da_cumulate_call(Eval *e, DArray *x, const char *name, Args *a,
                        int first) {
  static const char *kws[] = {"axis", "method", NULL};
  eval_args_check_kw(e, a, name, kws);
  eval_args_count(e, a, name, first, first + 1);
  Value *method = eval_arg_kw(a, "method", NULL);
  if (method && (method->kind != V_STR || strcmp(method->str.s, "sequential")))
    diag_error(a->loc, "%s(method=...): only Dask's default 'sequential' is "
               "supported", name);
  Value *axis = a->npos > first ? a->pos[first] : eval_arg_kw(a, "axis", NULL);
  if (!axis && first == 0) /* Dask's method has no default axis */
    diag_error(a->loc, "Array.%s() missing 1 required positional argument: "
               "'axis'", name);
  return da_value(e, da_cumulate(e, x, !strcmp(name, "cumprod"), axis, a->loc));
}
