/* array_dot.c - x @ y and map_blocks.
 *
 * x @ y for 2-d arrays: output block (i, j) is the sum over l of the chunk
 * products x[i, l] @ y[l, j] (array.matmul: OpenBLAS's DGEMM, as NumPy;
 * array.matmul_t when y's block is the transpose of x's, NumPy's DSYRK
 * case), summed by a tree of fan-in 4 of element-wise combine tasks.
 *
 * With a 1-d operand (NumPy's rules: vector . vector is a scalar, matrix .
 * vector and vector . matrix drop the vector's axis) the product is an
 * element-wise multiply and a sum reduction, so it fuses into one loop per
 * chunk and works for int64 too. */
#include <string.h>

#include "array.h"

static Task *sum_tree(Eval *e, const char *name, int *c, Task **parts, int n,
                      const int64_t *shape, Type *dt, Loc loc) {
  int seq = 0; /* the third key item numbers the combine tasks */
  while (n > 1) {
    int m = (n + 3) / 4;
    for (int i = 0; i < m; i++) {
      int k = n - 4 * i < 4 ? n - 4 * i : 4;
      if (k == 1) {
        parts[i] = parts[4 * i];
        continue;
      }
      Val **items = ARENA_ARRAY(eval_arena(e), Val *, k);
      for (int j = 0; j < k; j++)
        items[j] = val_ref(eval_arena(e), parts[4 * i + j]);
      c[2] = seq++;
      Task *t = da_task(e, name, c, 3, shape, 2, dt, OP_array_combine, 4, loc);
      t->args[2] = val_seq(eval_arena(e), VAL_LIST, items, k);
      t->args[3] = val_str(eval_arena(e), "sum", 3);
      parts[i] = t;
    }
    n = m;
  }
  return parts[0];
}

static const char *shape_str(Eval *e, const DArray *x) {
  if (x->ndim == 1)
    return arena_printf(eval_arena(e), "(%lld,)", (long long)x->shape[0]);
  return arena_printf(eval_arena(e), "(%lld, %lld)", (long long)x->shape[0],
                      (long long)x->shape[1]);
}

/* The axes contracted by x @ y must agree in length and in chunks. */
static void check_inner(Eval *e, DArray *x, int xd, DArray *y, int yd,
                        Loc loc) {
  if (x->shape[xd] != y->shape[yd])
    diag_error(loc, "matmul: shapes %s and %s are not aligned: %lld (dim "
               "%d) != %lld (dim %d)", shape_str(e, x), shape_str(e, y),
               (long long)x->shape[xd], xd, (long long)y->shape[yd], yd);
  bool same = x->nblocks[xd] == y->nblocks[yd];
  for (int b = 0; same && b < x->nblocks[xd]; b++)
    same = x->chunks[xd][b] == y->chunks[yd][b];
  if (!same)
    diag_error(loc, "matmul: the chunks of the inner axes do not line up; "
               "rechunk one operand first");
}

/* x @ y with a 1-d operand: sum(x * y) over the contracted axis. */
static DArray *dot_vector(Eval *e, DArray *x, DArray *y, Loc loc) {
  if (x->dtype == ty_bool || y->dtype == ty_bool)
    diag_error(loc, "matmul of bool arrays is not supported (use "
               ".astype(int))");
  check_inner(e, x, x->ndim - 1, y, 0, loc);
  if (y->ndim == 2) { /* v @ B == sum(B.T * v, axis=1) */
    int perm[2] = {1, 0};
    DArray *t = y;
    y = x;
    x = da_transpose(e, t, perm, loc);
  }
  Value *ops[2] = {da_value(e, x), da_value(e, y)};
  DArray *p = da_elemwise(e, OP_array_mul, ops, 2, loc);
  bool axes[DA_MAXDIM] = {false};
  axes[p->ndim - 1] = true;
  return da_reduce(e, p, "sum", axes, false, 4, 0, loc);
}

/* Whether block b is the transpose of block a: in Dask a view of a's
 * buffer, so that NumPy's matmul takes its A @ A.T path (DSYRK), whose
 * rounding differs from DGEMM's. */
static bool transpose_of(const Task *b, const Task *a) {
  return b->kind == TASK_CALL && b->op && b->op->id == OP_array_transpose &&
         b->nargs == 4 && b->args[2]->kind == VAL_REF && b->args[2]->ref == a;
}

DArray *da_matmul(Eval *e, DArray *x, DArray *y, Loc loc) {
  da_need_known(e, x, "matmul", loc);
  da_need_known(e, y, "matmul", loc);
  if (x->ndim < 1 || x->ndim > 2 || y->ndim < 1 || y->ndim > 2)
    diag_error(loc, "matmul is supported for 1-d and 2-d arrays only (got "
               "%d-d and %d-d)", x->ndim, y->ndim);
  if (x->ndim == 1 || y->ndim == 1)
    return dot_vector(e, x, y, loc);
  if (x->shape[1] != y->shape[0])
    diag_error(loc, "matmul: shapes (%lld, %lld) and (%lld, %lld) are not "
               "aligned", (long long)x->shape[0], (long long)x->shape[1],
               (long long)y->shape[0], (long long)y->shape[1]);
  bool same = x->nblocks[1] == y->nblocks[0];
  for (int b = 0; same && b < x->nblocks[1]; b++)
    same = x->chunks[1][b] == y->chunks[0][b];
  if (!same)
    diag_error(loc, "matmul: the chunks of the inner axes do not line up; "
               "rechunk one operand first");
  if (x->dtype != ty_float || y->dtype != ty_float)
    diag_error(loc, "matmul is supported for float64 arrays only (use "
               ".astype(float))");
  int64_t shape[2] = {x->shape[0], y->shape[1]};
  DArray *out = da_alloc(e, "matmul", ty_float, 2, shape);
  int64_t *chunks[2] = {x->chunks[0], y->chunks[1]};
  int nb[2] = {x->nblocks[0], y->nblocks[1]};
  da_set_chunks(e, out, chunks, nb);
  const char *pname = da_name(e, "matmul-partial");
  const char *sname = da_name(e, "matmul-sum");
  int nl = x->nblocks[1];
  for (int f = 0; f < out->nb; f++) {
    int c[3];
    int64_t bs[2];
    da_block_coords(out, f, c);
    da_block_shape(out, c, bs);
    Task **parts = ARENA_ARRAY(eval_arena(e), Task *, nl);
    for (int l = 0; l < nl; l++) {
      int xc[2] = {c[0], l}, yc[2] = {l, c[1]}, pc[3] = {c[0], c[1], l};
      Task *xb = x->blocks[da_block_flat(x, xc)];
      Task *yb = y->blocks[da_block_flat(y, yc)];
      OpId op = transpose_of(yb, xb) ? OP_array_matmul_t : OP_array_matmul;
      int nargs = op == OP_array_matmul_t ? 3 : 4;
      Task *t = nl == 1 ? da_block_task(e, out, f, op, nargs, loc)
                        : da_task(e, pname, pc, 3, bs, 2, ty_float, op,
                                  nargs, loc);
      t->args[2] = val_ref(eval_arena(e), xb);
      if (nargs == 4)
        t->args[3] = val_ref(eval_arena(e), yb);
      parts[l] = t;
    }
    if (nl > 1)
      out->blocks[f] = sum_tree(e, sname, c, parts, nl, bs, ty_float, loc);
  }
  return out;
}

DArray *da_map_blocks(Eval *e, Value *f, DArray *x, Loc loc) {
  da_need_known(e, x, "map_blocks", loc);
  if (f->kind != V_FUNC)
    diag_error(loc, "map_blocks needs a def of the program (applied to each "
               "element), got %s", v_type_name(f));
  Func *fn = f->func->fn;
  if (fn->nparams != 1)
    diag_error(loc, "the function given to map_blocks must take one "
               "parameter (an element)");
  int fi = -1;
  for (int i = 0; i < eval_graph(e)->nfuncs; i++)
    if (eval_graph(e)->funcs[i] == fn)
      fi = i;
  if (fi < 0)
    diag_error(loc, "internal error: unknown function '%s'", fn->name);
  Type *dt = fn->ret_type == ty_int ? ty_int
             : fn->ret_type == ty_bool ? ty_bool : ty_float;
  DArray *out = da_alloc(e, fn->name, dt, x->ndim, x->shape);
  da_set_chunks(e, out, x->chunks, x->nblocks);
  for (int b = 0; b < out->nb; b++) {
    Task *t = da_block_task(e, out, b, OP_array_map_blocks, 4, loc);
    t->args[2] = val_ref(eval_arena(e), x->blocks[b]);
    t->args[3] = val_int(eval_arena(e), fi);
  }
  return out;
}
