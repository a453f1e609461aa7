/* array.c - array values: metadata, block grids, chunk tasks, and the
 * evaluator's entry points (attributes, methods, module functions). */
#include <string.h>

#include "array.h"

DArray *da_alloc(Eval *e, const char *prefix, Type *dtype, int ndim,
                 const int64_t *shape) {
  DArray *x = ARENA_NEW(e->a, DArray);
  memset(x, 0, sizeof *x);
  x->name = arena_printf(e->a, "%s-%d", prefix, ++e->g->next_key);
  x->dtype = dtype;
  x->ndim = ndim;
  for (int d = 0; d < ndim; d++)
    x->shape[d] = shape[d];
  return x;
}

void da_set_chunks(Eval *e, DArray *x, int64_t **chunks, const int *nblocks) {
  int64_t nb = 1;
  for (int d = 0; d < x->ndim; d++) {
    x->nblocks[d] = nblocks[d];
    x->chunks[d] = chunks[d];
    x->starts[d] = ARENA_ARRAY(e->a, int64_t, nblocks[d] + 1);
    x->starts[d][0] = 0;
    for (int b = 0; b < nblocks[d]; b++)
      x->starts[d][b + 1] = x->starts[d][b] + chunks[d][b];
    nb *= nblocks[d];
    if (nb > 100000000)
      diag_error(e->loc, "too many chunks (more than 100 million); use "
                 "larger chunks");
  }
  x->nb = (int)nb;
  step(e, e->loc, nb); /* a block grid is work: the evaluator's step limit */
  x->blocks = ARENA_ARRAY(e->a, Task *, x->nb);
}

Value *da_value(Eval *e, DArray *x) {
  Value *v = ARENA_NEW(e->a, Value);
  v->kind = V_ARRAY;
  v->arr = x;
  return v;
}

DArray *da_of(Eval *e, Value *v, Loc loc) {
  if (v->kind != V_ARRAY)
    diag_error(loc, "expected a dask array, got %s", v_type_name(v));
  (void)e;
  return v->arr;
}

int64_t da_size(const DArray *x) {
  int64_t n = 1;
  for (int d = 0; d < x->ndim; d++)
    n *= x->shape[d];
  return n;
}

const char *da_dtype_name(Type *t) {
  return t == ty_float ? "float64" : t == ty_int ? "int64" : "bool";
}

Type *da_dtype_from(Eval *e, Value *v, Loc loc) {
  (void)e;
  if (v->kind == V_STR) {
    const char *s = v->str.s;
    if (!strcmp(s, "float64") || !strcmp(s, "float") || !strcmp(s, "f8"))
      return ty_float;
    if (!strcmp(s, "int64") || !strcmp(s, "int") || !strcmp(s, "i8"))
      return ty_int;
    if (!strcmp(s, "bool"))
      return ty_bool;
  } else if (v->kind == V_BUILTIN) {
    if (!strcmp(v->bi.name, "float"))
      return ty_float;
    if (!strcmp(v->bi.name, "int"))
      return ty_int;
    if (!strcmp(v->bi.name, "bool"))
      return ty_bool;
  }
  diag_error(loc, "unsupported dtype %s (use float64, int64 or bool)",
             v_repr(e->a, v));
}

void da_block_coords(const DArray *x, int flat, int *coords) {
  for (int d = x->ndim - 1; d >= 0; d--) {
    coords[d] = flat % x->nblocks[d];
    flat /= x->nblocks[d];
  }
}

int da_block_flat(const DArray *x, const int *coords) {
  int f = 0;
  for (int d = 0; d < x->ndim; d++)
    f = f * x->nblocks[d] + coords[d];
  return f;
}

void da_block_shape(const DArray *x, const int *coords, int64_t *shape) {
  for (int d = 0; d < x->ndim; d++)
    shape[d] = x->chunks[d][coords[d]];
}

void da_block_offset(const DArray *x, const int *coords, int64_t *off) {
  for (int d = 0; d < x->ndim; d++)
    off[d] = x->starts[d][coords[d]];
}

int64_t da_int(Eval *e, Value *v, Loc loc, const char *what) {
  if (v->kind == V_FLOAT && v->f == (double)(int64_t)v->f)
    return (int64_t)v->f; /* 1e6 as a size, as NumPy accepts */
  return need_int(e, v, loc, what);
}

double da_num(Eval *e, Value *v, Loc loc, const char *what) {
  (void)e;
  double d;
  if (v_as_double(v, &d))
    return d;
  diag_error(loc, "%s must be a number, got %s", what, v_type_name(v));
}

int da_shape_arg(Eval *e, Value *v, int64_t *shape, Loc loc) {
  if (v->kind != V_TUPLE && v->kind != V_LIST) {
    shape[0] = da_int(e, v, loc, "a shape");
    if (shape[0] < 0)
      diag_error(loc, "negative dimensions are not allowed");
    return 1;
  }
  if (v->seq.n > DA_MAXDIM)
    diag_error(loc, "arrays have at most %d dimensions", DA_MAXDIM);
  for (int d = 0; d < v->seq.n; d++) {
    shape[d] = da_int(e, v->seq.items[d], loc, "a shape");
    if (shape[d] < 0)
      diag_error(loc, "negative dimensions are not allowed");
  }
  return v->seq.n;
}

void da_axes_arg(Eval *e, Value *v, int ndim, bool *axes, Loc loc) {
  for (int d = 0; d < ndim; d++)
    axes[d] = !v || v->kind == V_NONE;
  if (!v || v->kind == V_NONE)
    return;
  Value **items = &v;
  int n = 1;
  if (v->kind == V_TUPLE || v->kind == V_LIST) {
    items = v->seq.items;
    n = v->seq.n;
  }
  for (int i = 0; i < n; i++) {
    int64_t ax = need_int(e, items[i], loc, "an axis");
    if (ax < -ndim || ax >= ndim)
      diag_error(loc, "axis %lld is out of bounds for array of dimension %d",
                 (long long)ax, ndim);
    if (ax < 0)
      ax += ndim;
    if (axes[ax])
      diag_error(loc, "duplicate value in 'axis'");
    axes[ax] = true;
  }
}

/* ---- chunks ---- */

static void regular_chunks(Eval *e, int64_t len, int64_t size, int64_t **out,
                           int *n, Loc loc) {
  if (size == -1 || size >= len || len == 0)
    size = len > 0 ? len : 1;
  if (size <= 0)
    diag_error(loc, "chunk sizes must be positive");
  *n = len == 0 ? 1 : (int)((len + size - 1) / size);
  if (*n > 100000000)
    diag_error(loc, "too many chunks (%d)", *n);
  *out = ARENA_ARRAY(e->a, int64_t, *n);
  for (int i = 0; i < *n; i++)
    (*out)[i] = len - (int64_t)i * size < size ? len - (int64_t)i * size : size;
  if (len == 0)
    (*out)[0] = 0;
}

void da_normalize_chunks(Eval *e, Value *spec, int ndim, const int64_t *shape,
                         int64_t **chunks, int *nblocks, Loc loc) {
  if (!spec || spec->kind == V_NONE || (spec->kind == V_STR))
    diag_error(loc, "chunks= is required (an int or a tuple), as the "
               "compiler does not pick chunk sizes");
  bool seq = spec->kind == V_TUPLE || spec->kind == V_LIST;
  if (seq && spec->seq.n != ndim)
    diag_error(loc, "chunks %s do not match an array of %d dimension%s",
               v_repr(e->a, spec), ndim, ndim == 1 ? "" : "s");
  for (int d = 0; d < ndim; d++) {
    Value *c = seq ? spec->seq.items[d] : spec;
    if (c->kind == V_NONE) {
      regular_chunks(e, shape[d], -1, &chunks[d], &nblocks[d], loc);
    } else if (c->kind == V_TUPLE || c->kind == V_LIST) {
      int64_t sum = 0;
      nblocks[d] = c->seq.n;
      chunks[d] = ARENA_ARRAY(e->a, int64_t, c->seq.n + 1);
      for (int i = 0; i < c->seq.n; i++) {
        chunks[d][i] = da_int(e, c->seq.items[i], loc, "a chunk size");
        if (chunks[d][i] < 0)
          diag_error(loc, "chunk sizes must not be negative");
        sum += chunks[d][i];
      }
      if (sum != shape[d] || c->seq.n == 0)
        diag_error(loc, "chunks %s do not add up to the shape %lld of axis %d",
                   v_repr(e->a, c), (long long)shape[d], d);
    } else {
      regular_chunks(e, shape[d], da_int(e, c, loc, "a chunk size"),
                     &chunks[d], &nblocks[d], loc);
    }
  }
}

/* ---- tasks ---- */

Val *da_ituple(Eval *e, const int64_t *v, int n) {
  Val **items = ARENA_ARRAY(e->a, Val *, n + 1);
  for (int i = 0; i < n; i++)
    items[i] = val_int(e->a, v[i]);
  return val_seq(e->a, VAL_TUPLE, items, n);
}

Val *da_shape_val(Eval *e, const int64_t *shape, int n) {
  return da_ituple(e, shape, n);
}

/* Chunk tasks of one array mostly share their shape and dtype: share the
 * Vals too (a million chunks must not cost a million tuples). */
static struct {
  Arena *a;
  Val *dtype[3];
  Val *shape;
  int64_t last[DA_MAXDIM + 1];
  int nd;
} VC;

static Val *shared_shape(Eval *e, const int64_t *shape, int n) {
  if (VC.a != e->a) {
    memset(&VC, 0, sizeof VC);
    VC.a = e->a;
  }
  if (!VC.shape || VC.nd != n ||
      memcmp(VC.last, shape, sizeof(int64_t) * (size_t)n)) {
    VC.shape = da_shape_val(e, shape, n);
    VC.nd = n;
    memcpy(VC.last, shape, sizeof(int64_t) * (size_t)n);
  }
  return VC.shape;
}

static Val *shared_dtype(Eval *e, Type *dt) {
  int i = dt == ty_float ? 0 : dt == ty_int ? 1 : 2;
  if (!VC.dtype[i]) {
    const char *dn = da_dtype_name(dt);
    VC.dtype[i] = val_str(e->a, dn, (int)strlen(dn));
  }
  return VC.dtype[i];
}

Task *da_task(Eval *e, const char *name, const int *coords, int ncoords,
              const int64_t *shape, int ndim, Type *dtype, OpId op,
              int nargs, Loc loc) {
  Val **key = ARENA_ARRAY(e->a, Val *, ncoords + 1);
  static const char *last_name;
  static Val *last_key;
  if (name != last_name || VC.a != e->a) {
    last_name = name;
    last_key = val_str(e->a, name, (int)strlen(name));
  }
  key[0] = last_key;
  for (int d = 0; d < ncoords; d++)
    key[d + 1] = val_int(e->a, coords[d]);
  Task *t = new_task(e, TASK_CALL, val_seq(e->a, VAL_TUPLE, key, ncoords + 1),
                     NULL, loc);
  t->op = op_get(op);
  t->nargs = nargs;
  t->args = ARENA_ARRAY(e->a, Val *, nargs);
  t->args[0] = shared_shape(e, shape, ndim);
  t->args[1] = shared_dtype(e, dtype);
  t->type = ty_array(dtype, ndim);
  return t;
}

Task *da_block_task(Eval *e, DArray *x, int flat, OpId op, int nargs,
                    Loc loc) {
  int c[DA_MAXDIM];
  int64_t shape[DA_MAXDIM];
  da_block_coords(x, flat, c);
  da_block_shape(x, c, shape);
  Task *t = da_task(e, x->name, c, x->ndim, shape, x->ndim, x->dtype, op,
                    nargs, loc);
  x->blocks[flat] = t;
  return t;
}

Task *array_task(Eval *e, Value *v, Loc loc) {
  DArray *x = v->arr;
  if (!x->whole)
    x->whole = x->nb == 1 ? x->blocks[0] : da_concat_task(e, x, loc);
  return x->whole;
}

/* ---- attributes and methods ---- */

static Value *int_tuple(Eval *e, const int64_t *v, int n) {
  Value **items = ARENA_ARRAY(e->a, Value *, n + 1);
  for (int i = 0; i < n; i++)
    items[i] = mk_int(e, v[i]);
  return mk_tuple(e, items, n);
}

static Value *method_value(Eval *e, Value *self, const char *name) {
  Value *m = ARENA_NEW(e->a, Value);
  m->kind = V_METHOD;
  m->method.self = self;
  m->method.name = name;
  return m;
}

Value *array_attr(Eval *e, Value *v, const char *name, Loc loc) {
  DArray *x = v->arr;
  if (!strcmp(name, "shape"))
    return int_tuple(e, x->shape, x->ndim);
  if (!strcmp(name, "ndim"))
    return mk_int(e, x->ndim);
  if (!strcmp(name, "dtype"))
    return v_cstr(e->a, da_dtype_name(x->dtype));
  if (!strcmp(name, "size"))
    return mk_int(e, da_size(x));
  if (!strcmp(name, "itemsize"))
    return mk_int(e, x->dtype == ty_bool ? 1 : 8);
  if (!strcmp(name, "nbytes"))
    return mk_int(e, da_size(x) * (x->dtype == ty_bool ? 1 : 8));
  if (!strcmp(name, "npartitions"))
    return mk_int(e, x->nb);
  if (!strcmp(name, "numblocks")) {
    int64_t nb[DA_MAXDIM];
    for (int d = 0; d < x->ndim; d++)
      nb[d] = x->nblocks[d];
    return int_tuple(e, nb, x->ndim);
  }
  if (!strcmp(name, "name"))
    return v_cstr(e->a, x->name);
  if (!strcmp(name, "chunks") || !strcmp(name, "chunksize")) {
    bool size = !strcmp(name, "chunksize");
    Value **items = ARENA_ARRAY(e->a, Value *, x->ndim + 1);
    for (int d = 0; d < x->ndim; d++) {
      int64_t mx = 0;
      for (int i = 0; i < x->nblocks[d]; i++)
        mx = x->chunks[d][i] > mx ? x->chunks[d][i] : mx;
      items[d] = size ? mk_int(e, mx)
                      : int_tuple(e, x->chunks[d], x->nblocks[d]);
    }
    return mk_tuple(e, items, x->ndim);
  }
  if (!strcmp(name, "T")) {
    int perm[DA_MAXDIM];
    for (int d = 0; d < x->ndim; d++)
      perm[d] = x->ndim - 1 - d;
    return da_value(e, da_transpose(e, x, perm, loc));
  }
  static const char *methods[] = {
      "compute", "persist", "sum", "mean", "min", "max", "prod", "std", "var",
      "any", "all", "argmin", "argmax", "astype", "rechunk", "transpose",
      "dot", "map_blocks", "visualize", NULL};
  for (int i = 0; methods[i]; i++)
    if (!strcmp(name, methods[i]))
      return method_value(e, v, methods[i]);
  diag_error(loc, "'Array' object has no attribute '%s' (or it is not "
             "supported)", name);
}

static Value *astype(Eval *e, DArray *x, Args *a) {
  args_no_kw(e, a, "astype");
  args_count(e, a, "astype", 1, 1);
  Type *dt = da_dtype_from(e, a->pos[0], a->pos_loc[0]);
  if (dt == x->dtype)
    return da_value(e, x);
  Value *xv = da_value(e, x);
  DArray *r = da_elemwise(e, OP_array_astype, &xv, 1, a->loc);
  /* da_elemwise keeps the operand's dtype for astype; set the target */
  r->dtype = dt;
  for (int i = 0; i < r->nb; i++) {
    const char *dn = da_dtype_name(dt);
    r->blocks[i]->args[1] = val_str(e->a, dn, (int)strlen(dn));
    r->blocks[i]->type = ty_array(dt, r->ndim);
  }
  return da_value(e, r);
}

static Value *transpose_method(Eval *e, DArray *x, Args *a) {
  args_no_kw(e, a, "transpose");
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
      int64_t p = need_int(e, items[d], a->loc, "an axis");
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

Value *array_method(Eval *e, Value *v, const char *name, Args *a) {
  DArray *x = v->arr;
  if (!strcmp(name, "compute") || !strcmp(name, "persist")) {
    Args *b = args_new(e, a->loc, 1, &v);
    b->pos_node = ARENA_ARRAY(e->a, Node *, 1);
    b->pos_node[0] = NULL;
    if (a->call && a->call->lhs->kind == N_ATTR)
      b->pos_node[0] = a->call->lhs->lhs;
    b->kw_names = a->kw_names;
    b->kw = a->kw;
    b->kw_loc = a->kw_loc;
    b->nkw = a->nkw;
    Value *r = bi_compute(e, b);
    return !strcmp(name, "persist") ? v : r->seq.items[0];
  }
  if (da_is_reduction(name))
    return da_reduce_call(e, x, name, a, 0);
  if (!strcmp(name, "astype"))
    return astype(e, x, a);
  if (!strcmp(name, "transpose"))
    return transpose_method(e, x, a);
  if (!strcmp(name, "rechunk")) {
    args_count(e, a, "rechunk", 0, 1);
    Value *spec = a->npos ? a->pos[0] : arg_kw(a, "chunks", NULL);
    int64_t *chunks[DA_MAXDIM];
    int nblocks[DA_MAXDIM];
    da_normalize_chunks(e, spec, x->ndim, x->shape, chunks, nblocks, a->loc);
    return da_value(e, da_rechunk(e, x, chunks, nblocks, a->loc));
  }
  if (!strcmp(name, "dot")) {
    args_count(e, a, "dot", 1, 1);
    return da_value(e, da_matmul(e, x, da_of(e, a->pos[0], a->pos_loc[0]),
                                 a->loc));
  }
  if (!strcmp(name, "map_blocks")) {
    args_count(e, a, "map_blocks", 1, 1);
    return da_value(e, da_map_blocks(e, a->pos[0], x, a->loc));
  }
  if (!strcmp(name, "visualize")) {
    Value *f = builtin_fn("dask.visualize")
                   ? v_builtin(e->a, "dask.visualize",
                               builtin_fn("dask.visualize"))
                   : NULL;
    if (!f)
      diag_error(a->loc, "visualize() is not available");
    Value **pos = ARENA_ARRAY(e->a, Value *, a->npos + 1);
    pos[0] = v;
    for (int i = 0; i < a->npos; i++)
      pos[i + 1] = a->pos[i];
    Args *b = args_new(e, a->loc, a->npos + 1, pos);
    b->kw_names = a->kw_names;
    b->kw = a->kw;
    b->kw_loc = a->kw_loc;
    b->nkw = a->nkw;
    return call_value(e, f, b);
  }
  diag_error(a->loc, "'Array' object has no method '%s' (or it is not "
             "supported)", name);
}

/* ---- the module ---- */

/* dask.array's functions of arrays; all but map_blocks are NumPy's too. */
static const char *funcs[] = {
    "sqrt", "exp", "log", "sin", "cos", "abs", "absolute", "where",
    "maximum", "minimum", "sum", "mean", "min", "max", "prod", "std", "var",
    "any", "all", "argmin", "argmax", "dot", "matmul", "transpose",
    "map_blocks", NULL};

Value *array_numpy_attr(Eval *e, const char *name) {
  for (int i = 0; funcs[i]; i++)
    if (!strcmp(name, funcs[i]) && strcmp(name, "map_blocks"))
      return v_builtin(e->a, arena_printf(e->a, "numpy.%s", name),
                       da_func_builtin_fn);
  return NULL;
}

Value *array_module_attr(Eval *e, const char *m, const char *name, Loc loc) {
  (void)loc;
  static const char *create[] = {"linspace", "arange", "ones", "zeros",
                                 "full", NULL};
  static const char *random[] = {"normal", "uniform", "random",
                                 "random_sample", "RandomState", NULL};
  const char *const *list = create;
  BuiltinFn *fn = da_create_builtin_fn;
  if (!strncmp(m, "dask.array.random", 17)) {
    list = random;
  } else if (!strcmp(m, "dask.array")) {
    if (!strcmp(name, "random"))
      return v_module(e->a, "dask.array.random");
    if (!strcmp(name, "from_npy"))
      return v_builtin(e->a, "dask.array.from_npy", da_npy_builtin_fn);
    for (int i = 0; funcs[i]; i++)
      if (!strcmp(name, funcs[i]))
        return v_builtin(e->a, arena_printf(e->a, "%s.%s", m, name),
                         da_func_builtin_fn);
  } else {
    return NULL;
  }
  for (int i = 0; list[i]; i++)
    if (!strcmp(name, list[i]))
      return v_builtin(e->a, arena_printf(e->a, "%s.%s", m, name), fn);
  return NULL;
}
