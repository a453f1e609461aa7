/* array_mask.c - arrays whose chunk sizes are unknown (nan), as Dask's
 * boolean-mask indexing makes them: x[x > 12], x[mask], da.compress.
 *
 * An unknown length is -1 in the DArray (shape and chunks) and in the
 * chunk tasks' static shape (args[0]); the chunk value itself carries its
 * length (a TrArray, runtime/array_mask.c). Element-wise ops and
 * reductions work on them (generated loops take the length from the
 * operand chunk, kernel.c's kernel_shape); what needs the sizes while the
 * graph is built gives Dask's error text, or says it is a taskc limit
 * where Dask would go on (docs/arrays.md, "Unknown chunk sizes"). */
#include <math.h>
#include <string.h>

#include "array.h"

static const char unknown_chunk_message[] =
    "\n\nA possible solution: "
    "https://docs.dask.org/en/latest/array-chunks.html#unknown-chunks\n"
    "Summary: to compute chunks sizes, use\n\n"
    "   x.compute_chunk_sizes()  # for Dask Array `x`\n"
    "   ddf.to_dask_array(lengths=True)  # for Dask DataFrame `ddf`";

bool da_unknown(const DArray *x) {
  for (int d = 0; d < x->ndim; d++)
    if (x->shape[d] < 0)
      return true;
  return false;
}

/* x.shape as Python prints it: (nan, 4), (nan,), () */
const char *da_shape_text(Eval *e, const DArray *x) {
  Arena *a = eval_arena(e);
  const char *s = "(";
  for (int d = 0; d < x->ndim; d++) {
    const char *n = x->shape[d] < 0
                        ? "nan"
                        : arena_printf(a, "%lld", (long long)x->shape[d]);
    s = arena_printf(a, "%s%s%s", s, d ? ", " : "", n);
  }
  return arena_printf(a, "%s%s)", s, x->ndim == 1 ? "," : "");
}

void da_unknown_fail(Eval *e, const DArray *x, const char *what,
                     const char *dask_msg, Loc loc) {
  (void)e;
  if (x->run_sizes)
    diag_error(loc, "%s needs the chunk sizes while the graph is built; "
               "after compute_chunk_sizes() they are known only when the "
               "program runs (a taskc limit)", what);
  if (dask_msg)
    diag_error(loc, "%s", dask_msg);
  diag_error(loc, "%s of an array with unknown chunk sizes (nan) is not "
             "supported (a taskc limit)", what);
}

void da_need_known(Eval *e, const DArray *x, const char *what, Loc loc) {
  if (da_unknown(x))
    da_unknown_fail(e, x, what, NULL, loc);
}

const char *da_unknown_msg(Eval *e, const char *head) {
  return arena_printf(eval_arena(e), "%s%s", head, unknown_chunk_message);
}

/* The slicing error (dask/array/slicing.py) */
void da_unknown_slice(Eval *e, const DArray *x, Loc loc) {
  da_unknown_fail(e, x, "slicing",
                  da_unknown_msg(e, arena_printf(eval_arena(e),
                                                 "Arrays chunk sizes are "
                                                 "unknown: %s",
                                                 da_shape_text(e, x))),
                  loc);
}

/* ---- masks ---- */

static int64_t *unknown_chunks(Eval *e, int n) {
  int64_t *c = ARENA_ARRAY(eval_arena(e), int64_t, n);
  for (int i = 0; i < n; i++)
    c[i] = -1;
  return c;
}

/* x[m], m a bool array of x's shape: per block the selected elements in C
 * order, one 1-d block of unknown length each, in row-major block order
 * (Dask's slice_with_bool_dask_array: known n-d shapes are raveled first;
 * with unknown ones the blocks' order is kept, as Dask warns). */
static DArray *mask_full(Eval *e, DArray *x, DArray *m, Loc loc) {
  for (int d = 0; d < x->ndim; d++)
    if (x->shape[d] != m->shape[d] ||
        (x->shape[d] < 0 && x->nblocks[d] != m->nblocks[d]))
      diag_error(loc, "boolean index did not match indexed array: shapes "
                 "%s and %s", da_shape_text(e, x), da_shape_text(e, m));
  if (x->ndim > 1 && !da_unknown(x) && !da_unknown(m)) {
    /* Dask ravels both first, so the order is NumPy's */
    int64_t n = da_size(x);
    x = da_reshape(e, x, &n, 1, loc);
    m = da_reshape(e, m, &n, 1, loc);
  }
  Value *v[2] = {da_value(e, x), da_value(e, m)};
  da_unify_chunks(e, v, 2, -1, loc);
  x = da_arr(v[0]);
  m = da_arr(v[1]);
  int64_t len = -1;
  DArray *r = da_alloc(e, "getitem", x->dtype, 1, &len);
  int64_t *chunks[1] = {unknown_chunks(e, x->nb)};
  int nb = x->nb;
  da_set_chunks(e, r, chunks, &nb);
  r->unk_id[0] = r->name;
  for (int f = 0; f < r->nb; f++) {
    Task *t = da_block_task(e, r, f, OP_array_mask, 5, loc);
    t->args[2] = val_ref(eval_arena(e), x->blocks[f]);
    t->args[3] = val_ref(eval_arena(e), m->blocks[f]);
    t->args[4] = val_int(eval_arena(e), -1);
  }
  return r;
}

/* x[..., m, ...], m 1-d bool along `axis`: that axis' blocks become
 * blocks of unknown length, the others keep their chunks. */
DArray *da_mask_axis(Eval *e, DArray *x, DArray *m, int axis, Loc loc) {
  if (m->ndim != 1)
    diag_error(loc, "Slicing with dask.array of bools only permitted when "
               "the indexer has only one dimension or when it has the same "
               "dimension as the sliced array");
  if (m->shape[0] != x->shape[axis] ||
      (m->shape[0] < 0 && m->nblocks[0] != x->nblocks[axis]))
    diag_error(loc, "boolean index did not match indexed array along "
               "dimension %d; dimension is %s but corresponding boolean "
               "dimension is %s", axis,
               x->shape[axis] < 0 ? "nan" : arena_printf(eval_arena(e), "%lld", (long long)x->shape[axis]),
               m->shape[0] < 0 ? "nan" : arena_printf(eval_arena(e), "%lld", (long long)m->shape[0]));
  if (m->shape[0] >= 0 &&
      (m->nblocks[0] != x->nblocks[axis] ||
       memcmp(m->chunks[0], x->chunks[axis],
              sizeof(int64_t) * (size_t)m->nblocks[0])))
    m = da_rechunk(e, m, &x->chunks[axis], &x->nblocks[axis], loc);
  if (m->dtype != ty_bool)
    m = da_astype(e, m, ty_bool, loc);
  DArray *r = da_alloc(e, "getitem", x->dtype, x->ndim, x->shape);
  r->shape[axis] = -1;
  int64_t *chunks[DA_MAXDIM];
  for (int d = 0; d < x->ndim; d++) {
    chunks[d] = d == axis ? unknown_chunks(e, x->nblocks[d]) : x->chunks[d];
    r->unk_id[d] = d == axis ? r->name : x->unk_id[d];
  }
  da_set_chunks(e, r, chunks, x->nblocks);
  for (int f = 0; f < r->nb; f++) {
    int c[DA_MAXDIM];
    da_block_coords(r, f, c);
    Task *t = da_block_task(e, r, f, OP_array_mask, 5, loc);
    t->args[2] = val_ref(eval_arena(e), x->blocks[f]);
    t->args[3] = val_ref(eval_arena(e), m->blocks[c[axis]]);
    t->args[4] = val_int(eval_arena(e), axis);
  }
  return r;
}

DArray *da_mask(Eval *e, DArray *x, DArray *m, Loc loc) {
  if (m->dtype != ty_bool)
    diag_error(loc, "only basic indexing (ints, slices and None) and boolean "
               "dask arrays are supported as indices of dask arrays");
  if (m->ndim == x->ndim && x->ndim != 1)
    return mask_full(e, x, m, loc);
  if (x->ndim == 1 && m->ndim == 1)
    return mask_full(e, x, m, loc);
  return da_mask_axis(e, x, m, 0, loc);
}

/* A condition given as a list or tuple (of bools or numbers): its truth
 * values, or NULL when it is not one. */
static bool *literal_cond(Eval *e, Value *v, int64_t *n, Loc loc) {
  if (v->kind != V_LIST && v->kind != V_TUPLE)
    return NULL;
  bool *c = ARENA_ARRAY(eval_arena(e), bool, v->seq.n + 1);
  for (int i = 0; i < v->seq.n; i++) {
    Value *it = v->seq.items[i];
    double d;
    if (it->kind == V_BOOL)
      c[i] = it->b;
    else if (v_as_double(it, &d))
      c[i] = d != 0;
    else
      diag_error(loc, "a condition of bools or numbers is needed, not %s",
                 v_type_name(it));
  }
  *n = v->seq.n;
  return c;
}

/* x along axis where the literal c[0..len) is true (len the axis' length):
 * Dask makes it integer indices (np.nonzero) and takes them, so the chunks
 * are known: the count per block, blocks without any left out (one empty
 * block when none is). Each block is an array.mask of a literal mask. */
static DArray *compress_literal(Eval *e, DArray *x, const bool *c, int axis,
                                Loc loc) {
  Arena *a = eval_arena(e);
  int nbx = x->nblocks[axis], nk = 0;
  int *kept = ARENA_ARRAY(a, int, nbx + 1);
  int64_t *counts = ARENA_ARRAY(a, int64_t, nbx + 1);
  for (int b = 0; b < nbx; b++) {
    int64_t k = 0;
    for (int64_t i = 0; i < x->chunks[axis][b]; i++)
      k += c[x->starts[axis][b] + i];
    if (k) {
      kept[nk] = b;
      counts[nk++] = k;
    }
  }
  if (!nk) { /* one empty block, from the first */
    kept[0] = 0;
    counts[nk++] = 0;
  }
  DArray *r = da_alloc(e, "getitem", x->dtype, x->ndim, x->shape);
  int64_t total = 0;
  for (int k = 0; k < nk; k++)
    total += counts[k];
  r->shape[axis] = total;
  int64_t *chunks[DA_MAXDIM];
  int nb[DA_MAXDIM];
  for (int d = 0; d < x->ndim; d++) {
    chunks[d] = d == axis ? counts : x->chunks[d];
    nb[d] = d == axis ? nk : x->nblocks[d];
  }
  da_set_chunks(e, r, chunks, nb);
  Task **masks = ARENA_ARRAY(a, Task *, nk);
  for (int k = 0; k < nk; k++) {
    int64_t len = x->chunks[axis][kept[k]], off = x->starts[axis][kept[k]];
    Val **items = ARENA_ARRAY(a, Val *, len + 1);
    for (int64_t i = 0; i < len; i++)
      items[i] = val_bool(a, c[off + i]);
    int zero = k;
    masks[k] = da_task(e, da_name(e, "array"), &zero, 1, &len, 1, ty_bool,
                       OP_array_literal, 3, loc);
    masks[k]->args[2] = val_seq(a, VAL_LIST, items, (int)len);
  }
  for (int f = 0; f < r->nb; f++) {
    int rc[DA_MAXDIM], xc[DA_MAXDIM];
    da_block_coords(r, f, rc);
    memcpy(xc, rc, sizeof xc);
    xc[axis] = kept[rc[axis]];
    Task *t = da_block_task(e, r, f, OP_array_mask, 5, loc);
    t->args[2] = val_ref(a, x->blocks[da_block_flat(x, xc)]);
    t->args[3] = val_ref(a, masks[rc[axis]]);
    t->args[4] = val_int(a, axis);
  }
  return r;
}

/* x[[True, False, ...]] (NumPy: the length must be the axis'): as a
 * literal compress along axis 0. NULL when v is not such a list. */
DArray *da_mask_literal(Eval *e, DArray *x, Value *v, Loc loc) {
  int64_t n;
  if (v->kind != V_LIST || !v->seq.n || v->seq.items[0]->kind != V_BOOL)
    return NULL;
  bool *c = literal_cond(e, v, &n, loc);
  if (x->ndim == 0 || n != x->shape[0])
    diag_error(loc, "boolean index did not match indexed array along "
               "dimension 0; dimension is %s but corresponding boolean "
               "dimension is %lld",
               x->ndim ? arena_printf(eval_arena(e), "%lld",
                                      (long long)x->shape[0]) : "0",
               (long long)n);
  da_need_known(e, x, "indexing with a list of bools", loc);
  return compress_literal(e, x, c, 0, loc);
}

/* da.compress(condition, a, axis=None): Dask's (routines.py) for a dask
 * array condition: ravel when axis is None, cut `a` to the condition's
 * length along axis, then mask along it. */
Value *da_compress_builtin_fn(Eval *e, Args *a) {
  static const char *kws[] = {"axis", NULL};
  eval_args_check_kw(e, a, "compress", kws);
  eval_args_count(e, a, "compress", 2, 3);
  Value *axv = a->npos > 2 ? a->pos[2] : eval_arg_kw(a, "axis", NULL);
  int64_t nlit = 0;
  bool *lit = literal_cond(e, a->pos[0], &nlit, a->pos_loc[0]);
  if (!lit && !da_is(a->pos[0]))
    diag_error(a->pos_loc[0], "da.compress needs a condition: a dask array "
               "or a list of bools, not %s", v_type_name(a->pos[0]));
  DArray *cond = lit ? NULL : da_arr(a->pos[0]);
  DArray *x = da_of(e, a->pos[1], a->pos_loc[1]);
  if (cond && cond->ndim != 1)
    diag_error(a->pos_loc[0], "Condition must be one dimensional");
  int64_t clen = cond ? cond->shape[0] : nlit;
  int64_t axis = 0;
  if (!axv || axv->kind == V_NONE) {
    da_need_known(e, x, "compress with axis=None (ravel)", a->loc);
    int64_t n = da_size(x);
    x = da_reshape(e, x, &n, 1, a->loc);
  } else {
    axis = eval_need_int(e, axv, a->loc, "an axis");
    if (axis < -x->ndim || axis >= x->ndim)
      diag_error(a->loc, "axis %lld is out of bounds for array of dimension "
                 "%d", (long long)axis, x->ndim);
    if (axis < 0)
      axis += x->ndim;
  }
  if (clen < 0 || x->shape[axis] < 0) {
    if (clen != x->shape[axis] || lit)
      da_unknown_slice(e, clen < 0 ? cond : x, a->loc);
  } else if (clen > x->shape[axis]) {
    diag_error(a->loc, "Boolean array with size %lld is not long enough for "
               "axis %lld with size %lld", (long long)clen,
               (long long)axis, (long long)x->shape[axis]);
  } else if (clen < x->shape[axis]) {
    Sel sel[DA_MAXDIM];
    for (int d = 0; d < x->ndim; d++)
      sel[d] = (Sel){false, 0, 1, d == axis ? clen : x->shape[d]};
    x = da_select(e, x, sel, a->loc);
  }
  if (lit)
    return da_value(e, compress_literal(e, x, lit, (int)axis, a->loc));
  if (cond->dtype != ty_bool)
    cond = da_astype(e, cond, ty_bool, a->loc);
  return da_value(e, da_mask_axis(e, x, cond, (int)axis, a->loc));
}

/* ---- operations on unknown chunks ---- */

static const char *chunks_text(Eval *e, const DArray *x, int d) {
  Arena *a = eval_arena(e);
  const char *s = "(";
  for (int b = 0; b < x->nblocks[d]; b++) {
    const char *n = x->chunks[d][b] < 0
                        ? "nan"
                        : arena_printf(a, "%lld", (long long)x->chunks[d][b]);
    s = arena_printf(a, "%s%s%s", s, b ? ", " : "", n);
  }
  return arena_printf(a, "%s%s)", s, x->nblocks[d] == 1 ? "," : "");
}

/* Operands of an element-wise op: an unknown axis broadcasts only against
 * length 1 or the same unknown axis (the chunks of one mask: taskc
 * compares the lengths of two masks' chunks nowhere, so two different
 * masks are a taskc limit where Dask would compare them when it runs). */
void da_check_unknown_operands(Eval *e, Value **v, int n, Loc loc) {
  int nd = 0;
  bool any = false;
  for (int i = 0; i < n; i++)
    if (da_is(v[i])) {
      DArray *x = da_arr(v[i]);
      nd = x->ndim > nd ? x->ndim : nd;
      any |= da_unknown(x);
    }
  if (!any)
    return;
  for (int d = 0; d < nd; d++) {
    const DArray *unk = NULL;
    for (int i = 0; i < n; i++) {
      if (!da_is(v[i]))
        continue;
      DArray *x = da_arr(v[i]);
      int xd = d - (nd - x->ndim);
      if (xd >= 0 && x->shape[xd] < 0)
        unk = x;
    }
    if (!unk)
      continue;
    int ud = d - (nd - unk->ndim);
    for (int i = 0; i < n; i++) {
      if (!da_is(v[i]))
        continue;
      DArray *x = da_arr(v[i]);
      int xd = d - (nd - x->ndim);
      if (xd < 0 || x->shape[xd] == 1)
        continue;
      if (x->shape[xd] >= 0) {
        const char *s = "";
        for (int j = 0; j < n; j++)
          if (da_is(v[j]))
            s = arena_printf(eval_arena(e), "%s%s%s", s, *s ? " " : "",
                             da_shape_text(e, da_arr(v[j])));
        diag_error(loc, "operands could not be broadcast together with "
                   "shapes %s", s);
      }
      if (x->nblocks[xd] != unk->nblocks[ud])
        diag_error(loc, "Arrays' chunk sizes ({%s, %s}) are unknown.\n\nA "
                   "possible solution:\n  x.compute_chunk_sizes()",
                   chunks_text(e, x, xd), chunks_text(e, unk, ud));
      if (x->unk_id[xd] != unk->unk_id[ud])
        diag_error(loc, "an element-wise operation of arrays whose unknown "
                   "chunk sizes come from different masks is not supported "
                   "(a taskc limit: their lengths are only compared when the "
                   "program runs)");
    }
  }
}

/* Reductions (array_reduce.c asks first): mean is Dask's sum of totals
 * over the sum of counts, both reductions here (the count's element is
 * where(isnan(x), 1, 1): a 1 per element, fused, nothing stored); the
 * others run as on known chunks, their loops taking the lengths from the
 * chunks. NULL: go on as usual. */
DArray *da_reduce_unknown(Eval *e, DArray *x, const char *fn, bool *axes,
                          bool keepdims, int split_every, Loc loc) {
  if (!strncmp(fn, "arg", 3))
    da_unknown_fail(e, x, fn,
                    "Arg-reductions do not work with arrays that have "
                    "unknown chunksizes. At some point in your computation "
                    "this array lost chunking information.\n\nA possible "
                    "solution is with \n  x.compute_chunk_sizes()",
                    loc);
  if (strcmp(fn, "mean"))
    return NULL;
  DArray *s = da_reduce(e, da_astype(e, x, ty_float, loc), "sum", axes,
                        keepdims, split_every, 0, loc);
  Value *xv = da_value(e, x);
  Value *w[3] = {da_value(e, da_elemwise(e, OP_array_isnan, &xv, 1, loc)),
                 eval_mk_int(e, 1), eval_mk_int(e, 1)};
  DArray *c = da_reduce(e, da_elemwise(e, OP_array_where, w, 3, loc), "sum",
                        axes, keepdims, split_every, 0, loc);
  Value *q[2] = {da_value(e, s), da_value(e, c)};
  return da_elemwise(e, OP_array_truediv, q, 2, loc);
}

/* ---- whole arrays and compute_chunk_sizes ---- */

/* The blocks concatenated when their lengths are known only at run time */
Task *da_concat_grid_task(Eval *e, DArray *x, Loc loc) {
  Arena *a = eval_arena(e);
  int zero[DA_MAXDIM] = {0};
  int64_t nbs[DA_MAXDIM];
  for (int d = 0; d < x->ndim; d++)
    nbs[d] = x->nblocks[d];
  Task *t = da_task(e, da_name(e, "concatenate"), zero, x->ndim, x->shape,
                    x->ndim, x->dtype, OP_array_concat_grid, 4, loc);
  Val **items = ARENA_ARRAY(a, Val *, x->nb);
  for (int f = 0; f < x->nb; f++)
    items[f] = val_ref(a, x->blocks[f]);
  t->args[2] = val_seq(a, VAL_LIST, items, x->nb);
  t->args[3] = da_ituple(e, nbs, x->ndim);
  return t;
}

/* x.chunks (what 0), x.shape (1), x.chunksize (2), len(x) (3) after
 * compute_chunk_sizes(): a task reading the blocks' lengths, its result a
 * run-time value (printing it prints the real sizes when the program
 * runs). */
Value *da_run_sizes(Eval *e, DArray *x, int what, Loc loc) {
  Arena *a = eval_arena(e);
  Task *t = eval_new_task(e, TASK_CALL, NULL, "chunk_sizes", loc);
  t->op = op_get(OP_array_chunk_sizes);
  int nd = what == 3 ? 1 : x->ndim;
  t->nargs = 1 + nd;
  t->args = ARENA_ARRAY(a, Val *, t->nargs);
  t->args[0] = val_int(a, what);
  for (int d = 0; d < nd; d++) {
    Val **items = ARENA_ARRAY(a, Val *, x->nblocks[d]);
    for (int b = 0; b < x->nblocks[d]; b++) {
      int c[DA_MAXDIM] = {0};
      c[d] = b;
      items[b] = val_ref(a, x->blocks[da_block_flat(x, c)]);
    }
    t->args[1 + d] = val_seq(a, VAL_LIST, items, x->nblocks[d]);
  }
  return v_task(a, V_COMPUTED, t);
}

/* The value of x.chunks / x.shape / x.chunksize / x.size when some are
 * unknown: nan as Dask prints them; after compute_chunk_sizes(), the
 * run-time values. NULL for other names. */
Value *da_unknown_attr(Eval *e, DArray *x, const char *name, Loc loc) {
  if (x->run_sizes) {
    if (!strcmp(name, "chunks"))
      return da_run_sizes(e, x, 0, loc);
    if (!strcmp(name, "shape"))
      return da_run_sizes(e, x, 1, loc);
    if (!strcmp(name, "chunksize"))
      return da_run_sizes(e, x, 2, loc);
  }
  if (!strcmp(name, "size") || !strcmp(name, "nbytes")) {
    if (x->run_sizes)
      da_unknown_fail(e, x, arena_printf(eval_arena(e), "x.%s", name), NULL,
                      loc);
    return eval_mk_float(e, NAN);
  }
  return NULL;
}

/* len(x): Dask's error for an unknown first axis; after
 * compute_chunk_sizes() the run-time length. */
Value *da_len(Eval *e, DArray *x, Loc loc) {
  if (x->ndim == 0)
    diag_error(loc, "len() of unsized object");
  if (x->shape[0] >= 0)
    return eval_mk_int(e, x->shape[0]);
  if (x->run_sizes)
    return da_run_sizes(e, x, 3, loc);
  diag_error(loc, "%s", da_unknown_msg(e, "Cannot call len() on object with "
                                          "unknown chunk size."));
}
