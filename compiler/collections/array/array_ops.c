/* array_ops.c - what the evaluator calls for arrays: their ops table
 * (attributes, methods, operators, indexing, truth, the whole-array task)
 * and the functions of the dask.array and numpy modules. */
#include <math.h>
#include <string.h>

#include "array.h"

/* ---- attributes and methods ---- */

/* ints, and nan for an unknown size (-1), as Dask prints chunks */
static Value *int_tuple(Eval *e, const int64_t *v, int n) {
  Value **items = ARENA_ARRAY(eval_arena(e), Value *, n + 1);
  for (int i = 0; i < n; i++)
    items[i] = v[i] < 0 ? eval_mk_float(e, NAN) : eval_mk_int(e, v[i]);
  return eval_mk_tuple(e, items, n);
}

static Value *chunks_attr(Eval *e, DArray *x, bool size) {
  Value **items = ARENA_ARRAY(eval_arena(e), Value *, x->ndim + 1);
  for (int d = 0; d < x->ndim; d++) {
    int64_t mx = 0;
    for (int i = 0; i < x->nblocks[d] && mx >= 0; i++)
      mx = x->chunks[d][i] > mx || x->chunks[d][i] < 0 ? x->chunks[d][i] : mx;
    items[d] = size ? int_tuple(e, &mx, 1)->seq.items[0]
                    : int_tuple(e, x->chunks[d], x->nblocks[d]);
  }
  return eval_mk_tuple(e, items, x->ndim);
}

static Value *array_attr(Eval *e, Value *v, const char *name, Loc loc) {
  DArray *x = da_arr(v);
  Arena *a = eval_arena(e);
  if (da_unknown(x)) {
    Value *r = da_unknown_attr(e, x, name, loc);
    if (r)
      return r;
  }
  if (!strcmp(name, "shape"))
    return int_tuple(e, x->shape, x->ndim);
  if (!strcmp(name, "ndim"))
    return eval_mk_int(e, x->ndim);
  if (!strcmp(name, "dtype"))
    return v_cstr(a, da_dtype_name(x->dtype));
  if (!strcmp(name, "size"))
    return eval_mk_int(e, da_size_attr(e, x, 1, "size", loc));
  if (!strcmp(name, "itemsize"))
    return eval_mk_int(e, x->dtype == ty_bool ? 1 : 8);
  if (!strcmp(name, "nbytes"))
    return eval_mk_int(
        e, da_size_attr(e, x, x->dtype == ty_bool ? 1 : 8, "nbytes", loc));
  if (!strcmp(name, "npartitions"))
    return eval_mk_int(e, x->nb);
  if (!strcmp(name, "numblocks")) {
    int64_t nb[DA_MAXDIM];
    for (int d = 0; d < x->ndim; d++)
      nb[d] = x->nblocks[d];
    return int_tuple(e, nb, x->ndim);
  }
  if (!strcmp(name, "name"))
    return v_cstr(a, x->name);
  if (!strcmp(name, "chunks") || !strcmp(name, "chunksize"))
    return chunks_attr(e, x, !strcmp(name, "chunksize"));
  if (!strcmp(name, "T")) {
    int perm[DA_MAXDIM];
    for (int d = 0; d < x->ndim; d++)
      perm[d] = x->ndim - 1 - d;
    return da_value(e, da_transpose(e, x, perm, loc));
  }
  static const char *methods[] = {
      "compute", "persist", "sum", "mean", "min", "max", "prod", "std", "var",
      "any", "all", "argmin", "argmax", "astype", "rechunk", "transpose",
      "dot", "map_blocks", "visualize", "squeeze", "swapaxes", "reshape",
      "ravel", "flatten", "round", "clip", "cumsum", "cumprod", "topk",
      "argtopk", "compute_chunk_sizes", NULL};
  for (int i = 0; methods[i]; i++)
    if (!strcmp(name, methods[i]))
      return v_method(a, v, methods[i]);
  diag_error(loc, "'Array' object has no attribute '%s' (or it is not "
             "supported)", name);
}

DArray *da_astype(Eval *e, DArray *x, Type *dt, Loc loc) {
  if (dt == x->dtype)
    return x;
  Value *xv = da_value(e, x);
  DArray *r = da_elemwise(e, OP_array_astype, &xv, 1, loc);
  /* da_elemwise keeps the operand's dtype for astype; set the target */
  r->dtype = dt;
  for (int i = 0; i < r->nb; i++) {
    const char *dn = da_dtype_name(dt);
    r->blocks[i]->args[1] = val_str(eval_arena(e), dn, (int)strlen(dn));
    r->blocks[i]->type = ty_array(dt, r->ndim);
  }
  return r;
}

static Value *astype(Eval *e, DArray *x, Args *a) {
  eval_args_no_kw(e, a, "astype");
  eval_args_count(e, a, "astype", 1, 1);
  Type *dt = da_dtype_from(e, a->pos[0], a->pos_loc[0]);
  return da_value(e, da_astype(e, x, dt, a->loc));
}

static Value *transpose_method(Eval *e, DArray *x, Args *a) {
  eval_args_no_kw(e, a, "transpose");
  int perm[DA_MAXDIM];
  Value **items = a->pos;
  int n = a->npos;
  if (n == 1 && (items[0]->kind == V_TUPLE || items[0]->kind == V_LIST)) {
    n = items[0]->seq.n;
    items = items[0]->seq.items;
  }
  if (n == 0) {
    for (int d = 0; d < x->ndim; d++)
      perm[d] = x->ndim - 1 - d;
  } else {
    if (n != x->ndim)
      diag_error(a->loc, "axes don't match array");
    bool seen[DA_MAXDIM] = {0};
    for (int d = 0; d < n; d++) {
      int64_t p = eval_need_int(e, items[d], a->loc, "an axis");
      if (p < 0)
        p += x->ndim;
      if (p < 0 || p >= x->ndim || seen[p])
        diag_error(a->loc, "axes don't match array");
      seen[p] = true;
      perm[d] = (int)p;
    }
  }
  return da_value(e, da_transpose(e, x, perm, a->loc));
}

/* Dask's errors for rechunking unknown chunks: normalize_chunks shows the
 * chunks asked for per axis (-1 is the unknown length: nan). */
static _Noreturn void rechunk_unknown(Eval *e, DArray *x, Value *spec,
                                      Loc loc) {
  Arena *ar = eval_arena(e);
  if (!spec || spec->kind == V_STR)
    da_unknown_fail(e, x, "rechunk",
                    da_unknown_msg(e, "Can not perform automatic rechunking "
                                      "with unknown (nan) chunk sizes."),
                    loc);
  Value **items = &spec;
  int n = 1;
  if (spec->kind == V_TUPLE || spec->kind == V_LIST) {
    items = spec->seq.items;
    n = spec->seq.n;
  }
  const char *c = "(";
  for (int d = 0; d < x->ndim; d++) {
    Value *v = items[n == 1 ? 0 : d < n ? d : n - 1];
    if (v->kind != V_INT)
      da_unknown_fail(e, x, "rechunk", NULL, loc);
    const char *one = v->i == -1 ? "nan" : arena_printf(ar, "%lld", (long long)v->i);
    c = arena_printf(ar, "%s%s%s", c, d ? ", " : "", one);
  }
  c = arena_printf(ar, "%s%s)", c, x->ndim == 1 ? "," : "");
  da_unknown_fail(e, x, "rechunk",
                  da_unknown_msg(e, arena_printf(ar, "Array chunk sizes are "
                                                 "unknown. shape: %s, chunks: "
                                                 "%s", da_shape_text(e, x), c)),
                  loc);
}

/* x.name(...); NULL for a name arrays do not have (the evaluator's error) */
Value *array_method(Eval *e, Value *v, const char *name, Args *a) {
  DArray *x = da_arr(v);
  if (!strcmp(name, "compute") || !strcmp(name, "persist"))
    return eval_compute(e, v, a, !strcmp(name, "persist"));
  if (da_is_reduction(name))
    return da_reduce_call(e, x, name, a, 0);
  if (!strcmp(name, "astype"))
    return astype(e, x, a);
  if (!strcmp(name, "transpose"))
    return transpose_method(e, x, a);
  if (!strcmp(name, "rechunk")) {
    eval_args_count(e, a, "rechunk", 0, 1);
    Value *spec = a->npos ? a->pos[0] : eval_arg_kw(a, "chunks", NULL);
    if (da_unknown(x))
      rechunk_unknown(e, x, spec, a->loc);
    int64_t *chunks[DA_MAXDIM];
    int nblocks[DA_MAXDIM];
    da_normalize_chunks(e, spec, x->ndim, x->shape, x->dtype, x, chunks,
                        nblocks, a->loc);
    return da_value(e, da_rechunk(e, x, chunks, nblocks, a->loc));
  }
  if (!strcmp(name, "dot")) {
    eval_args_count(e, a, "dot", 1, 1);
    return da_value(e, da_matmul(e, x, da_of(e, a->pos[0], a->pos_loc[0]),
                                 a->loc));
  }
  if (!strcmp(name, "map_blocks")) {
    eval_args_count(e, a, "map_blocks", 1, 1);
    return da_value(e, da_map_blocks(e, a->pos[0], x, a->loc));
  }
  if (!strcmp(name, "visualize"))
    return eval_visualize(e, v, a);
  if (!strcmp(name, "reshape") || !strcmp(name, "ravel") ||
      !strcmp(name, "flatten"))
    return da_reshape_call(e, x, a, 0, strcmp(name, "reshape"));
  if (!strcmp(name, "cumsum") || !strcmp(name, "cumprod"))
    return da_cumulate_call(e, x, name, a, 0);
  if (!strcmp(name, "topk") || !strcmp(name, "argtopk"))
    return da_topk_call(e, x, name, a, 0);
  if (!strcmp(name, "round") || !strcmp(name, "clip"))
    return da_routine_method(e, v, name, a);
  if (!strcmp(name, "squeeze")) {
    static const char *kws[] = {"axis", NULL};
    eval_args_check_kw(e, a, "squeeze", kws);
    eval_args_count(e, a, "squeeze", 0, 1);
    Value *ax = a->npos ? a->pos[0] : eval_arg_kw(a, "axis", NULL);
    return da_value(e, da_squeeze(e, x, ax, a->loc));
  }
  if (!strcmp(name, "swapaxes")) {
    eval_args_no_kw(e, a, "swapaxes");
    eval_args_count(e, a, "swapaxes", 2, 2);
    int64_t i = eval_need_int(e, a->pos[0], a->pos_loc[0], "an axis");
    int64_t j = eval_need_int(e, a->pos[1], a->pos_loc[1], "an axis");
    return da_value(e, da_swapaxes(e, x, i, j, a->loc));
  }
  if (!strcmp(name, "__len__"))
    return da_len(e, x, a->loc);
  if (!strcmp(name, "compute_chunk_sizes")) {
    /* Dask computes them now; here they exist when the program runs */
    eval_args_no_kw(e, a, name);
    eval_args_count(e, a, name, 0, 0);
    x->run_sizes = da_unknown(x);
    return v;
  }
  if (!strcmp(name, "__abs__"))
    return da_value(e, da_elemwise(e, OP_array_abs, &v, 1, a->loc));
  return NULL;
}

/* ---- the value's table ---- */

static bool array_truthy(Eval *e, Value *v, Loc loc) {
  (void)e;
  (void)v;
  diag_error(loc, "the truth value of a dask array is ambiguous (and only "
             "known at run time)");
}

static const char *array_repr(Arena *a, const Value *v) {
  (void)a;
  (void)v;
  return "dask.array<...>";
}

const CollOps da_ops = {
    .type_name = "Array",
    .repr = array_repr,
    .attr = array_attr,
    .method = array_method,
    .binop = array_binop,
    .unop = array_unop,
    .compare = array_binop, /* element-wise, as the arithmetic */
    .getitem = array_getitem,
    .truthy = array_truthy,
    .task = array_task,
};

/* ---- the modules ---- */

/* dask.array's functions of arrays; all but map_blocks are NumPy's too. */
static const char *funcs[] = {
    "sqrt", "exp", "log", "sin", "cos", "abs", "absolute", "where",
    "maximum", "minimum", "sum", "mean", "min", "max", "prod", "std", "var",
    "any", "all", "argmin", "argmax", "dot", "matmul", "transpose",
    "map_blocks", NULL};

/* The tutorial imports numpy next to dask.array (to compare with it), so
 * the import is accepted. NumPy's functions of dask arrays are Dask's
 * (np.sqrt(x) is da.sqrt(x), as NumPy dispatches); the rest of numpy would
 * run at compile time: an error. */
Value *array_numpy_attr(Eval *e, const char *m, const char *name, Loc loc) {
  (void)m;
  for (int i = 0; funcs[i]; i++)
    if (!strcmp(name, funcs[i]) && strcmp(name, "map_blocks"))
      return v_builtin(eval_arena(e),
                       arena_printf(eval_arena(e), "numpy.%s", name),
                       da_func_builtin_fn);
  for (int i = 0; da_shape_funcs[i]; i++)
    if (!strcmp(name, da_shape_funcs[i]))
      return v_builtin(eval_arena(e),
                       arena_printf(eval_arena(e), "numpy.%s", name),
                       da_shape_builtin_fn);
  for (int i = 0; da_routine_funcs[i]; i++)
    if (!strcmp(name, da_routine_funcs[i]))
      return v_builtin(eval_arena(e),
                       arena_printf(eval_arena(e), "numpy.%s", name),
                       da_routine_builtin_fn);
  diag_error(loc, "numpy.%s is not available: the top level runs at compile "
             "time, where a NumPy array would be built in the compiler; use "
             "dask.array (da.%s), which becomes fused native loops", name,
             name);
}

Value *array_module_attr(Eval *e, const char *m, const char *name, Loc loc) {
  (void)loc;
  Arena *a = eval_arena(e);
  static const char *create[] = {"linspace", "arange", "ones", "zeros",
                                 "full", NULL};
  static const char *random[] = {"normal", "uniform", "random",
                                 "random_sample", "RandomState",
                                 "standard_normal", "exponential", "randint",
                                 "choice", "poisson", NULL};
  const char *const *list = create;
  BuiltinFn *fn = da_create_builtin_fn;
  if (!strcmp(m, "dask.array.random")) {
    list = random;
  } else if (!strcmp(m, "dask.array")) {
    if (!strcmp(name, "random"))
      return v_module(a, "dask.array.random");
    if (!strcmp(name, "tensordot"))
      return v_builtin(a, "dask.array.tensordot", da_tensordot_builtin_fn);
    if (!strcmp(name, "topk") || !strcmp(name, "argtopk"))
      return v_builtin(a, arena_printf(a, "dask.array.%s", name),
                       da_topk_builtin_fn);
    if (!strcmp(name, "block"))
      return v_builtin(a, "dask.array.block", da_block_builtin_fn);
    if (!strcmp(name, "bincount"))
      return v_builtin(a, "dask.array.bincount", da_bincount_builtin_fn);
    if (!strcmp(name, "histogram"))
      return v_builtin(a, "dask.array.histogram", da_histogram_builtin_fn);
    if (!strcmp(name, "einsum"))
      return v_builtin(a, "dask.array.einsum", da_einsum_builtin_fn);
    if (!strcmp(name, "to_npy_stack"))
      return v_builtin(a, "dask.array.to_npy_stack", da_to_npy_stack_builtin_fn);
    if (!strcmp(name, "from_npy_stack"))
      return v_builtin(a, "dask.array.from_npy_stack",
                       da_from_npy_stack_builtin_fn);
    if (!strcmp(name, "unique"))
      return v_builtin(a, "dask.array.unique", da_unique_builtin_fn);
    if (!strcmp(name, "compress"))
      return v_builtin(a, "dask.array.compress", da_compress_builtin_fn);
    if (!strcmp(name, "from_npy"))
      return v_builtin(a, "dask.array.from_npy", da_npy_builtin_fn);
    if (!strcmp(name, "from_array") || !strcmp(name, "asarray"))
      return v_builtin(a, arena_printf(a, "%s.%s", m, name),
                       da_literal_builtin_fn);
    for (int i = 0; funcs[i]; i++)
      if (!strcmp(name, funcs[i]))
        return v_builtin(a, arena_printf(a, "%s.%s", m, name),
                         da_func_builtin_fn);
    for (int i = 0; da_shape_funcs[i]; i++)
      if (!strcmp(name, da_shape_funcs[i]))
        return v_builtin(a, arena_printf(a, "%s.%s", m, name),
                         da_shape_builtin_fn);
    for (int i = 0; da_routine_funcs[i]; i++)
      if (!strcmp(name, da_routine_funcs[i]))
        return v_builtin(a, arena_printf(a, "%s.%s", m, name),
                         da_routine_builtin_fn);
  } else {
    return NULL;
  }
  for (int i = 0; list[i]; i++)
    if (!strcmp(name, list[i]))
      return v_builtin(a, arena_printf(a, "%s.%s", m, name), fn);
  return NULL;
}
