/* array.c - array values: metadata, block grids and chunk tasks. What the
 * evaluator calls (attributes, methods, operators, the module) is in
 * array_ops.c. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "array.h"

ArrayState *da_state(Eval *e) {
  return eval_coll_state(e, COLL_ARRAY, sizeof(ArrayState));
}

const char *da_name(Eval *e, const char *prefix) {
  return arena_printf(eval_arena(e), "%s-%d", prefix,
                      ++eval_graph(e)->next_key);
}

DArray *da_alloc(Eval *e, const char *prefix, Type *dtype, int ndim,
                 const int64_t *shape) {
  Arena *a = eval_arena(e);
  DArray *x = ARENA_NEW(a, DArray);
  memset(x, 0, sizeof *x);
  x->coll.ops = &da_ops;
  x->name = da_name(e, prefix);
  x->dtype = dtype;
  x->ndim = ndim;
  for (int d = 0; d < ndim; d++)
    x->shape[d] = shape[d];
  return x;
}

void da_set_chunks(Eval *e, DArray *x, int64_t **chunks, const int *nblocks) {
  Arena *a = eval_arena(e);
  int64_t nb = 1;
  for (int d = 0; d < x->ndim; d++) {
    x->nblocks[d] = nblocks[d];
    x->chunks[d] = chunks[d];
    x->starts[d] = ARENA_ARRAY(a, int64_t, nblocks[d] + 1);
    x->starts[d][0] = 0;
    for (int b = 0; b < nblocks[d]; b++)
      x->starts[d][b + 1] = x->starts[d][b] + chunks[d][b];
    nb *= nblocks[d];
    if (nb > 100000000)
      diag_error(eval_loc(e), "too many chunks (more than 100 million); use "
                 "larger chunks");
  }
  x->nb = (int)nb;
  eval_step(e, eval_loc(e), nb); /* a block grid is work: the step limit */
  x->blocks = ARENA_ARRAY(a, Task *, x->nb);
}

Value *da_value(Eval *e, DArray *x) {
  return v_coll(eval_arena(e), &x->coll);
}

DArray *da_of(Eval *e, Value *v, Loc loc) {
  if (!da_is(v))
    diag_error(loc, "expected a dask array, got %s", v_type_name(v));
  (void)e;
  return da_arr(v);
}

/* The element count times itemsize; false when that does not fit in
 * int64 (a lazy array may be that large: Dask's size is a Python int). */
static bool size_fits(const DArray *x, int64_t itemsize, int64_t *out) {
  int64_t n = itemsize;
  bool ok = true;
  for (int d = 0; d < x->ndim; d++) {
    if (x->shape[d] == 0) {
      *out = 0;
      return true;
    }
    ok = ok && !__builtin_mul_overflow(n, x->shape[d], &n);
  }
  *out = ok ? n : INT64_MAX;
  return ok;
}

int64_t da_size(const DArray *x) {
  int64_t n;
  size_fits(x, 1, &n);
  return n;
}

/* Exact decimal of the product of shape and itemsize, in base-1e9 limbs
 * (at most 8 factors below 2**63 and one of 8: under 20 limbs). */
static const char *exact_product(Eval *e, const DArray *x, int64_t itemsize) {
  uint32_t limb[24] = {(uint32_t)itemsize};
  int n = 1;
  for (int d = 0; d < x->ndim; d++) {
    unsigned __int128 carry = 0;
    for (int i = 0; i < n; i++) {
      unsigned __int128 v = (unsigned __int128)limb[i] * (uint64_t)x->shape[d] + carry;
      limb[i] = (uint32_t)(v % 1000000000u);
      carry = v / 1000000000u;
    }
    for (; carry; carry /= 1000000000u)
      limb[n++] = (uint32_t)(carry % 1000000000u);
  }
  char buf[24 * 9 + 1], *p = buf;
  p += sprintf(p, "%u", limb[n - 1]);
  for (int i = n - 2; i >= 0; i--)
    p += sprintf(p, "%09u", limb[i]);
  return arena_printf(eval_arena(e), "%s", buf);
}

int64_t da_size_attr(Eval *e, const DArray *x, int64_t itemsize,
                     const char *what, Loc loc) {
  int64_t n;
  if (!size_fits(x, itemsize, &n))
    diag_error(loc, "array too large: its %s, %s, does not fit in a 64-bit "
               "int (compile-time ints are int64)", what,
               exact_product(e, x, itemsize));
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
             v_repr(eval_arena(e), v));
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
  if (v->kind == V_FLOAT && v->f >= -0x1p63 && v->f < 0x1p63 &&
      v->f == (double)(int64_t)v->f)
    return (int64_t)v->f; /* 1e6 as a size, as NumPy accepts */
  return eval_need_int(e, v, loc, what);
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
    int64_t ax = eval_need_int(e, items[i], loc, "an axis");
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

/* ---- tasks ---- */

Val *da_ituple(Eval *e, const int64_t *v, int n) {
  Arena *a = eval_arena(e);
  Val **items = ARENA_ARRAY(a, Val *, n + 1);
  for (int i = 0; i < n; i++)
    items[i] = val_int(a, v[i]);
  return val_seq(a, VAL_TUPLE, items, n);
}

Val *da_shape_val(Eval *e, const int64_t *shape, int n) {
  return da_ituple(e, shape, n);
}

/* Chunk tasks of one array mostly share their shape and dtype: share the
 * Vals too (a million chunks must not cost a million tuples). */
static Val *shared_shape(Eval *e, ArrayState *st, const int64_t *shape,
                         int n) {
  if (!st->shape || st->nd != n ||
      memcmp(st->last, shape, sizeof(int64_t) * (size_t)n)) {
    st->shape = da_shape_val(e, shape, n);
    st->nd = n;
    memcpy(st->last, shape, sizeof(int64_t) * (size_t)n);
  }
  return st->shape;
}

static Val *shared_dtype(Eval *e, ArrayState *st, Type *dt) {
  int i = dt == ty_float ? 0 : dt == ty_int ? 1 : 2;
  if (!st->dtype[i]) {
    const char *dn = da_dtype_name(dt);
    st->dtype[i] = val_str(eval_arena(e), dn, (int)strlen(dn));
  }
  return st->dtype[i];
}

Task *da_task(Eval *e, const char *name, const int *coords, int ncoords,
              const int64_t *shape, int ndim, Type *dtype, OpId op,
              int nargs, Loc loc) {
  Arena *a = eval_arena(e);
  ArrayState *st = da_state(e);
  Val **key = ARENA_ARRAY(a, Val *, ncoords + 1);
  if (name != st->key_name) {
    st->key_name = name;
    st->key_val = val_str(a, name, (int)strlen(name));
  }
  key[0] = st->key_val;
  for (int d = 0; d < ncoords; d++)
    key[d + 1] = val_int(a, coords[d]);
  Task *t = eval_new_task(e, TASK_CALL, val_seq(a, VAL_TUPLE, key, ncoords + 1),
                     NULL, loc);
  t->op = op_get(op);
  t->nargs = nargs;
  t->args = ARENA_ARRAY(a, Val *, nargs);
  t->args[0] = shared_shape(e, st, shape, ndim);
  t->args[1] = shared_dtype(e, st, dtype);
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
  DArray *x = da_arr(v);
  if (!x->whole)
    x->whole = x->nb == 1    ? x->blocks[0]
               : da_unknown(x) ? da_concat_grid_task(e, x, loc)
                               : da_concat_task(e, x, loc);
  return x->whole;
}
