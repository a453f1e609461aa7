/* array_elemwise.c - element-wise operators and functions with NumPy
 * broadcasting: one chunk task per output block, whose operands are the
 * matching blocks (a size-1 axis broadcasts its one block) or scalars. */
#include <string.h>

#include "array.h"

static Type *scalar_dtype(Value *v) {
  return v->kind == V_FLOAT ? ty_float : v->kind == V_BOOL ? ty_bool : ty_int;
}

static Type *promote(Type *a, Type *b) {
  if (a == ty_float || b == ty_float)
    return ty_float;
  if (a == ty_int || b == ty_int)
    return ty_int;
  return ty_bool;
}

/* NumPy's result dtype (bool arithmetic gives int64 here: docs/arrays.md). */
static Type *result_dtype(Eval *e, OpId op, Value **v, int n, Loc loc) {
  Type *t = NULL;
  for (int i = op == OP_array_where ? 1 : 0; i < n; i++) {
    Type *d = da_is(v[i]) ? da_arr(v[i])->dtype : scalar_dtype(v[i]);
    t = t ? promote(t, d) : d;
  }
  switch (op) {
  case OP_array_poisson:
    return ty_int;
  case OP_array_eq: case OP_array_ne: case OP_array_lt: case OP_array_le:
  case OP_array_gt: case OP_array_ge: case OP_array_not:
  case OP_array_isnan: case OP_array_isinf: case OP_array_isfinite:
    return ty_bool;
  case OP_array_and: case OP_array_or:
    if (t != ty_bool)
      diag_error(loc, "& and | are supported on bool arrays only");
    return ty_bool;
  case OP_array_truediv: case OP_array_sqrt: case OP_array_exp:
  case OP_array_log: case OP_array_sin: case OP_array_cos:
  case OP_array_rint:
    return ty_float;
  case OP_array_where: case OP_array_maximum: case OP_array_minimum:
  case OP_array_astype:
    return t;
  case OP_array_abs: case OP_array_neg:
    return t == ty_bool ? ty_int : t;
  default:
    (void)e;
    return t == ty_bool ? ty_int : t;
  }
}

/* The operand's block for output block coords (right-aligned axes). */
static Val *operand_val(Eval *e, Value *v, const DArray *out, const int *c,
                        Loc loc) {
  if (!da_is(v))
    return eval_to_val(e, v, loc);
  DArray *x = da_arr(v);
  int lead = out->ndim - x->ndim, xc[DA_MAXDIM];
  for (int d = 0; d < x->ndim; d++)
    xc[d] = x->nblocks[d] == 1 ? 0 : c[d + lead];
  return val_ref(eval_arena(e), x->blocks[da_block_flat(x, xc)]);
}

/* Operand v's array if it has output axis d (of nd) as its axis *xd and
 * is not broadcast along it (length 1); else NULL. */
static DArray *along(Value *v, int d, int nd, int *xd) {
  if (!da_is(v))
    return NULL;
  DArray *x = da_arr(v);
  *xd = d - (nd - x->ndim);
  return *xd >= 0 && x->shape[*xd] != 1 ? x : NULL;
}

/* The chunks Dask gives axis d (of nd) when operands disagree (its
 * common_blockdim): every block boundary of any operand not broadcast along
 * it is a boundary of the result. false when they already agree, or when
 * lengths differ (broadcast reports that). */
static bool common_chunks(Eval *e, Value **v, int n, int d, int nd,
                          int64_t **out, int *nout) {
  int64_t len = -1, maxb = 0;
  bool differ = false;
  const DArray *first = NULL;
  for (int i = 0; i < n; i++) {
    int xd;
    DArray *x = along(v[i], d, nd, &xd);
    if (!x)
      continue;
    if (len >= 0 && x->shape[xd] != len)
      return false;
    len = x->shape[xd];
    maxb += x->nblocks[xd];
    if (!first) {
      first = x;
      continue;
    }
    int fd = d - (nd - first->ndim);
    differ |= x->nblocks[xd] != first->nblocks[fd] ||
              memcmp(x->chunks[xd], first->chunks[fd],
                     sizeof(int64_t) * (size_t)x->nblocks[xd]);
  }
  if (!differ)
    return false;
  /* walk the boundaries of all of them together, smallest first */
  int64_t *c = ARENA_ARRAY(eval_arena(e), int64_t, maxb), at = 0;
  int m = 0;
  while (at < len) {
    int64_t next = len;
    for (int i = 0; i < n; i++) {
      int xd;
      DArray *x = along(v[i], d, nd, &xd);
      if (!x)
        continue;
      for (int b = 0; b < x->nblocks[xd]; b++)
        if (x->starts[xd][b] + x->chunks[xd][b] > at) {
          if (x->starts[xd][b] + x->chunks[xd][b] < next)
            next = x->starts[xd][b] + x->chunks[xd][b];
          break;
        }
    }
    c[m++] = next - at;
    at = next;
  }
  *out = c;
  *nout = m;
  return true;
}

/* Dask's unify_chunks (array.h). */
void da_unify_chunks(Eval *e, Value **v, int n, int skip, Loc loc) {
  int nd = 0;
  for (int i = 0; i < n; i++)
    if (da_is(v[i]) && da_arr(v[i])->ndim > nd)
      nd = da_arr(v[i])->ndim;
  int64_t *target[DA_MAXDIM];
  int nt[DA_MAXDIM];
  bool any = false;
  for (int d = 0; d < nd; d++) {
    target[d] = NULL;
    if (d != skip)
      any |= common_chunks(e, v, n, d, nd, &target[d], &nt[d]);
  }
  if (!any)
    return;
  for (int i = 0; i < n; i++) {
    if (!da_is(v[i]))
      continue;
    DArray *x = da_arr(v[i]);
    int64_t *chunks[DA_MAXDIM];
    int nb[DA_MAXDIM];
    for (int xd = 0; xd < x->ndim; xd++) {
      int d = xd + (nd - x->ndim);
      bool take = target[d] && x->shape[xd] != 1;
      chunks[xd] = take ? target[d] : x->chunks[xd];
      nb[xd] = take ? nt[d] : x->nblocks[xd];
    }
    DArray *r = da_rechunk(e, x, chunks, nb, loc);
    if (r != x)
      v[i] = da_value(e, r);
  }
}

/* Output shape and chunks: each axis takes them from an operand whose
 * axis is longer than 1; the others must match its length (unify_chunks
 * has made their chunks agree). */
static void broadcast(Eval *e, Value **v, int n, DArray *out, Loc loc) {
  int nd = 0;
  for (int i = 0; i < n; i++)
    if (da_is(v[i]) && da_arr(v[i])->ndim > nd)
      nd = da_arr(v[i])->ndim;
  out->ndim = nd;
  int64_t *chunks[DA_MAXDIM];
  int nb[DA_MAXDIM];
  for (int d = 0; d < nd; d++) {
    DArray *from = NULL;
    for (int i = 0; i < n; i++) {
      if (!da_is(v[i]))
        continue;
      DArray *x = da_arr(v[i]);
      int xd = d - (nd - x->ndim);
      if (xd < 0 || (from && x->shape[xd] == 1))
        continue;
      if (!from || from->shape[d - (nd - from->ndim)] == 1) {
        from = x;
        continue;
      }
      int fd = d - (nd - from->ndim);
      if (from->shape[fd] != x->shape[xd])
        diag_error(loc, "operands could not be broadcast together: axis %d "
                   "has length %lld and %lld", d, (long long)from->shape[fd],
                   (long long)x->shape[xd]);
    }
    int fd = d - (nd - from->ndim);
    out->shape[d] = from->shape[fd];
    out->unk_id[d] = from->unk_id[fd];
    chunks[d] = from->chunks[fd];
    nb[d] = from->nblocks[fd];
  }
  da_set_chunks(e, out, chunks, nb);
}

DArray *da_elemwise(Eval *e, OpId op, Value **v, int n, Loc loc) {
  for (int i = 0; i < n; i++)
    if (!da_is(v[i]) && !v_is_number(v[i]))
      diag_error(loc, "unsupported operand for an array operation: %s",
                 v_type_name(v[i]));
  const char *label = op_get(op)->label;
  DArray *out = da_alloc(e, label, result_dtype(e, op, v, n, loc), 0, NULL);
  Value **u = ARENA_ARRAY(eval_arena(e), Value *, n);
  memcpy(u, v, sizeof *v * (size_t)n);
  v = u; /* unify_chunks may put rechunked operands in the caller's place */
  da_check_unknown_operands(e, v, n, loc);
  da_unify_chunks(e, v, n, -1, loc);
  broadcast(e, v, n, out, loc);
  for (int i = 0; i < n; i++)
    if (da_is(v[i]) && da_arr(v[i])->run_sizes)
      out->run_sizes = da_unknown(out);
  for (int f = 0; f < out->nb; f++) {
    Task *t = da_block_task(e, out, f, op, 2 + n, loc);
    int c[DA_MAXDIM];
    da_block_coords(out, f, c);
    for (int i = 0; i < n; i++)
      t->args[2 + i] = operand_val(e, v[i], out, c, loc);
  }
  return out;
}

static OpId binop_id(OpCode op) {
  switch (op) {
  case OP_ADD: return OP_array_add;
  case OP_SUB: return OP_array_sub;
  case OP_MUL: return OP_array_mul;
  case OP_DIV: return OP_array_truediv;
  case OP_FLOORDIV: return OP_array_floordiv;
  case OP_MOD: return OP_array_mod;
  case OP_POW: return OP_array_pow;
  case OP_EQ: return OP_array_eq;
  case OP_NE: return OP_array_ne;
  case OP_LT: return OP_array_lt;
  case OP_LE: return OP_array_le;
  case OP_GT: return OP_array_gt;
  case OP_GE: return OP_array_ge;
  case OP_BITAND: return OP_array_and;
  case OP_BITOR: return OP_array_or;
  default: return OP_COUNT;
  }
}

Value *array_binop(Eval *e, OpCode op, Value *x, Value *y, Loc loc) {
  if (op == OP_MATMUL)
    return da_value(e, da_matmul(e, da_of(e, x, loc), da_of(e, y, loc), loc));
  OpId id = binop_id(op);
  if (id == OP_COUNT)
    diag_error(loc, "operator %s is not supported on dask arrays",
               ast_opcode_str(op));
  Value *v[2] = {x, y};
  return da_value(e, da_elemwise(e, id, v, 2, loc));
}

Value *array_unop(Eval *e, OpCode op, Value *x, Loc loc) {
  if (op == OP_POS)
    return x;
  if (op == OP_NOT)
    diag_error(loc, "the truth value of an array is ambiguous");
  OpId id = op == OP_NEG ? OP_array_neg
            : op == OP_INVERT && da_arr(x)->dtype == ty_bool ? OP_array_not
                                                          : OP_COUNT;
  if (id == OP_COUNT)
    diag_error(loc, "operator %s is not supported on dask arrays",
               ast_opcode_str(op));
  return da_value(e, da_elemwise(e, id, &x, 1, loc));
}

/* da.sqrt(x), da.where(c, x, y), da.sum(x, axis=...), ... */
Value *da_func_builtin_fn(Eval *e, Args *a) {
  const char *q = eval_callee(e), *dot = strrchr(q, '.');
  const char *name = dot ? dot + 1 : q;
  static const struct { const char *name; OpId op; int n; } fns[] = {
      {"sqrt", OP_array_sqrt, 1}, {"exp", OP_array_exp, 1},
      {"log", OP_array_log, 1},   {"sin", OP_array_sin, 1},
      {"cos", OP_array_cos, 1},   {"abs", OP_array_abs, 1},
      {"absolute", OP_array_abs, 1}, {"where", OP_array_where, 3},
      {"maximum", OP_array_maximum, 2}, {"minimum", OP_array_minimum, 2}};
  for (size_t i = 0; i < sizeof fns / sizeof *fns; i++) {
    if (strcmp(name, fns[i].name))
      continue;
    eval_args_no_kw(e, a, name);
    eval_args_count(e, a, name, fns[i].n, fns[i].n);
    bool any = false;
    for (int k = 0; k < a->npos; k++)
      any |= da_is(a->pos[k]);
    if (!any)
      diag_error(a->loc, "%s.%s() needs a dask array argument here%s",
                 strncmp(q, "numpy.", 6) ? "da" : "np", name,
                 strncmp(q, "numpy.", 6) ? "" : " (NumPy itself does not "
                 "run at compile time; for a number use math)");
    return da_value(e, da_elemwise(e, fns[i].op, a->pos, a->npos, a->loc));
  }
  if (da_is_reduction(name)) {
    eval_args_count(e, a, name, 1, 1);
    return da_reduce_call(e, da_of(e, a->pos[0], a->pos_loc[0]), name, a, 1);
  }
  if (!strcmp(name, "dot") || !strcmp(name, "matmul")) {
    eval_args_no_kw(e, a, name);
    eval_args_count(e, a, name, 2, 2);
    return da_value(e, da_matmul(e, da_of(e, a->pos[0], a->pos_loc[0]),
                                 da_of(e, a->pos[1], a->pos_loc[1]), a->loc));
  }
  if (!strcmp(name, "transpose")) {
    eval_args_count(e, a, name, 1, 2);
    da_of(e, a->pos[0], a->pos_loc[0]); /* np.transpose(5): an error */
    return array_method(e, a->pos[0], "transpose",
                        eval_args_new(e, a->loc, a->npos - 1, a->pos + 1));
  }
  if (!strcmp(name, "map_blocks")) {
    eval_args_count(e, a, name, 2, 2);
    return da_value(e, da_map_blocks(e, a->pos[0],
                                     da_of(e, a->pos[1], a->pos_loc[1]),
                                     a->loc));
  }
  diag_error(a->loc, "da.%s is not supported", name);
}
