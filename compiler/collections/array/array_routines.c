/* array_routines.c - NumPy routines that are compositions of element-wise
 * operations, slicing and reductions: round/around, clip, isnan, isinf,
 * isfinite, isclose, allclose, outer, diff, nansum, nanprod, nanmean,
 * count_nonzero.
 *
 * Each is built from the operations NumPy's own definition performs, in the
 * same order, so it fuses into the generated loops and rounds as NumPy
 * does: np.round is x * 10**d, rint, / 10**d; np.isclose is
 * |x - y| <= atol + rtol * |y| where both are finite and x == y elsewhere;
 * Dask's diff is a[1:] - a[:-1] (so its chunks are Dask's); Dask's nansum
 * sums the blocks with NaN replaced by 0, and nanmean divides that by the
 * count of the others. */
#include <math.h>
#include <string.h>

#include "array.h"

static Value *elem(Eval *e, OpId op, Value *x, Value *y, Loc loc) {
  Value *v[2] = {x, y};
  return da_value(e, da_elemwise(e, op, v, y ? 2 : 1, loc));
}

static Value *where(Eval *e, Value *c, Value *x, Value *y, Loc loc) {
  Value *v[3] = {c, x, y};
  return da_value(e, da_elemwise(e, OP_array_where, v, 3, loc));
}

static double num_kw(Eval *e, Args *a, const char *name, int pos,
                     double dflt) {
  Value *v = a->npos > pos ? a->pos[pos] : eval_arg_kw(a, name, NULL);
  return v ? da_num(e, v, a->loc, name) : dflt;
}

/* NumPy's power_of_ten: exact up to 1e22, as the table and product are. */
static double power_of_ten(int64_t n) {
  double r = 1;
  while (n-- > 0)
    r *= 10;
  return r;
}

static Value *round_fn(Eval *e, DArray *x, Args *a, int first) {
  static const char *kws[] = {"decimals", NULL};
  eval_args_check_kw(e, a, "round", kws);
  eval_args_count(e, a, "round", first, first + 1);
  Value *dv = a->npos > first ? a->pos[first] : eval_arg_kw(a, "decimals", NULL);
  int64_t d = dv ? eval_need_int(e, dv, a->loc, "decimals") : 0;
  Value *xv = da_value(e, x);
  if (x->dtype != ty_float) {
    if (d >= 0) /* NumPy: integers already have no decimals */
      return xv;
    diag_error(a->loc, "round() of an integer array with negative decimals "
               "is not supported");
  }
  if (d > 22 || d < -22)
    diag_error(a->loc, "round(): decimals must be within -22..22");
  if (d == 0)
    return elem(e, OP_array_rint, xv, NULL, a->loc);
  Value *f = eval_mk_float(e, power_of_ten(d < 0 ? -d : d));
  Value *y = elem(e, d > 0 ? OP_array_mul : OP_array_truediv, xv, f, a->loc);
  y = elem(e, OP_array_rint, y, NULL, a->loc);
  return elem(e, d > 0 ? OP_array_truediv : OP_array_mul, y, f, a->loc);
}

/* np.clip: minimum(maximum(x, lo), hi); None leaves a side open. */
static Value *clip_fn(Eval *e, Value *x, Args *a, int first) {
  static const char *kws[] = {"min", "max", "a_min", "a_max", NULL};
  eval_args_check_kw(e, a, "clip", kws);
  eval_args_count(e, a, "clip", first, first + 2);
  Value *lo = a->npos > first ? a->pos[first] : eval_arg_kw(a, "min", NULL);
  Value *hi = a->npos > first + 1 ? a->pos[first + 1]
                                  : eval_arg_kw(a, "max", NULL);
  lo = lo ? lo : eval_arg_kw(a, "a_min", NULL);
  hi = hi ? hi : eval_arg_kw(a, "a_max", NULL);
  if ((!lo || lo->kind == V_NONE) && (!hi || hi->kind == V_NONE))
    diag_error(a->loc, "One of max or min must be given");
  if (lo && lo->kind != V_NONE)
    x = elem(e, OP_array_maximum, x, lo, a->loc);
  if (hi && hi->kind != V_NONE)
    x = elem(e, OP_array_minimum, x, hi, a->loc);
  return x;
}

static Value *isclose_fn(Eval *e, Args *a, bool all) {
  static const char *kws[] = {"rtol", "atol", "equal_nan", NULL};
  eval_args_check_kw(e, a, all ? "allclose" : "isclose", kws);
  eval_args_count(e, a, all ? "allclose" : "isclose", 2, 5);
  Loc l = a->loc;
  Value *x = a->pos[0], *y = a->pos[1];
  if (!da_is(x) && !da_is(y))
    diag_error(l, "isclose() needs a dask array argument");
  double rtol = num_kw(e, a, "rtol", 2, 1e-5), atol = num_kw(e, a, "atol", 3, 1e-8);
  Value *en = a->npos > 4 ? a->pos[4] : eval_arg_kw(a, "equal_nan", NULL);
  bool equal_nan = en && eval_truthy(e, en, l);
  /* y as float, as NumPy's result_type(y, 1.) */
  if (da_is(y))
    y = da_value(e, da_astype(e, da_arr(y), ty_float, l));
  else
    y = eval_mk_float(e, da_num(e, y, l, "a number"));
  Value *tol = elem(e, OP_array_abs, elem(e, OP_array_sub, x, y, l), NULL, l);
  Value *bound = elem(e, OP_array_mul, eval_mk_float(e, rtol),
                      elem(e, OP_array_abs, y, NULL, l), l);
  bound = elem(e, OP_array_add, eval_mk_float(e, atol), bound, l);
  Value *within = elem(e, OP_array_le, tol, bound, l);
  Value *finite = elem(e, OP_array_and, elem(e, OP_array_isfinite, x, NULL, l),
                       elem(e, OP_array_isfinite, y, NULL, l), l);
  Value *r = where(e, finite, within, elem(e, OP_array_eq, x, y, l), l);
  if (equal_nan)
    r = elem(e, OP_array_or, r,
             elem(e, OP_array_and, elem(e, OP_array_isnan, x, NULL, l),
                  elem(e, OP_array_isnan, y, NULL, l), l), l);
  if (!all)
    return r;
  bool axes[DA_MAXDIM];
  DArray *ra = da_arr(r);
  for (int d = 0; d < ra->ndim; d++)
    axes[d] = true;
  return da_value(e, da_reduce(e, ra, "all", axes, false, 4, 0, l));
}

/* Dask's outer: blockwise np.outer of the flattened operands. */
static Value *outer_fn(Eval *e, Args *a) {
  eval_args_no_kw(e, a, "outer");
  eval_args_count(e, a, "outer", 2, 2);
  DArray *x = da_of(e, a->pos[0], a->pos_loc[0]);
  DArray *y = da_of(e, a->pos[1], a->pos_loc[1]);
  int64_t n = da_size(x), m = da_size(y);
  x = da_expand_dims(e, da_reshape(e, x, &n, 1, a->loc), 1, a->loc);
  y = da_expand_dims(e, da_reshape(e, y, &m, 1, a->loc), 0, a->loc);
  return elem(e, OP_array_mul, da_value(e, x), da_value(e, y), a->loc);
}

/* Dask's diff: n times a[1:] - a[:-1] along the axis. */
static Value *diff_fn(Eval *e, Args *a) {
  static const char *kws[] = {"n", "axis", NULL};
  eval_args_check_kw(e, a, "diff", kws);
  eval_args_count(e, a, "diff", 1, 3);
  DArray *x = da_of(e, a->pos[0], a->pos_loc[0]);
  Value *nv = a->npos > 1 ? a->pos[1] : eval_arg_kw(a, "n", NULL);
  Value *av = a->npos > 2 ? a->pos[2] : eval_arg_kw(a, "axis", NULL);
  int64_t n = nv ? eval_need_int(e, nv, a->loc, "n") : 1;
  int64_t axis = av ? eval_need_int(e, av, a->loc, "an axis") : -1;
  if (n < 0)
    diag_error(a->loc, "order must be non-negative but got %lld", (long long)n);
  if (axis < -x->ndim || axis >= x->ndim)
    diag_error(a->loc, "axis %lld is out of bounds for array of dimension %d",
               (long long)axis, x->ndim);
  int ax = (int)(axis < 0 ? axis + x->ndim : axis);
  Value *r = da_value(e, x);
  for (int64_t k = 0; k < n; k++) {
    DArray *cur = da_arr(r);
    Sel hi[DA_MAXDIM], lo[DA_MAXDIM];
    for (int d = 0; d < cur->ndim; d++)
      hi[d] = lo[d] = (Sel){false, 0, 1, cur->shape[d]};
    int64_t len = cur->shape[ax] > 0 ? cur->shape[ax] - 1 : 0;
    hi[ax] = (Sel){false, cur->shape[ax] > 0 ? 1 : 0, 1, len};
    lo[ax] = (Sel){false, 0, 1, len};
    r = elem(e, OP_array_sub, da_value(e, da_select(e, cur, hi, a->loc)),
             da_value(e, da_select(e, cur, lo, a->loc)), a->loc);
  }
  return r;
}

/* nansum, nanprod, nanmean: NaN replaced by 0 (1 for prod) in the sum;
 * nanmean divides by the count of the others. Integer arrays have no NaN. */
static Value *nan_reduce(Eval *e, const char *name, Args *a) {
  if (a->npos < 1)
    diag_error(a->loc, "%s() needs an array", name);
  DArray *x = da_of(e, a->pos[0], a->pos_loc[0]);
  Loc l = a->loc;
  bool prod = !strcmp(name, "nanprod");
  Value *xv = da_value(e, x);
  if (x->dtype == ty_float)
    xv = where(e, elem(e, OP_array_isnan, xv, NULL, l),
               eval_mk_float(e, prod ? 1 : 0), xv, l);
  Value *total = da_reduce_call(e, da_arr(xv), prod ? "prod" : "sum", a, 1);
  if (strcmp(name, "nanmean"))
    return total;
  Value *isnum = elem(e, OP_array_not,
                      elem(e, OP_array_isnan, da_value(e, x), NULL, l), NULL, l);
  DArray *ones = da_astype(e, da_arr(isnum), ty_int, l);
  Value *count = da_reduce_call(e, ones, "sum", a, 1);
  return elem(e, OP_array_truediv, total, count, l);
}

/* count_nonzero(a, axis=None): Dask's isnonzero(a).astype(intp).sum(axis) */
static Value *count_nonzero_fn(Eval *e, Args *a) {
  static const char *kws[] = {"axis", NULL};
  eval_args_check_kw(e, a, "count_nonzero", kws);
  eval_args_count(e, a, "count_nonzero", 1, 2);
  da_of(e, a->pos[0], a->pos_loc[0]);
  Value *nz = elem(e, OP_array_ne, a->pos[0], eval_mk_int(e, 0), a->loc);
  return da_reduce_call(e, da_astype(e, da_arr(nz), ty_int, a->loc), "sum", a,
                        1);
}

Value *da_routine_builtin_fn(Eval *e, Args *a) {
  const char *q = eval_callee(e), *name = strrchr(q, '.') + 1;
  if (!strcmp(name, "isclose") || !strcmp(name, "allclose"))
    return isclose_fn(e, a, !strcmp(name, "allclose"));
  if (!strcmp(name, "outer"))
    return outer_fn(e, a);
  if (!strcmp(name, "diff"))
    return diff_fn(e, a);
  if (!strncmp(name, "nan", 3))
    return nan_reduce(e, name, a);
  if (!strcmp(name, "count_nonzero"))
    return count_nonzero_fn(e, a);
  if (a->npos < 1)
    diag_error(a->loc, "%s() needs an array", name);
  if (!strcmp(name, "clip"))
    return clip_fn(e, a->pos[0], a, 1);
  DArray *x = da_of(e, a->pos[0], a->pos_loc[0]);
  if (!strcmp(name, "cumsum") || !strcmp(name, "cumprod"))
    return da_cumulate_call(e, x, name, a, 1);
  if (!strcmp(name, "round") || !strcmp(name, "around"))
    return round_fn(e, x, a, 1);
  eval_args_no_kw(e, a, name);
  eval_args_count(e, a, name, 1, 1);
  OpId op = !strcmp(name, "isnan") ? OP_array_isnan
            : !strcmp(name, "isinf") ? OP_array_isinf : OP_array_isfinite;
  return elem(e, op, a->pos[0], NULL, a->loc);
}

/* x.round(decimals), x.clip(min, max) */
Value *da_routine_method(Eval *e, Value *x, const char *name, Args *a) {
  if (!strcmp(name, "round"))
    return round_fn(e, da_arr(x), a, 0);
  return clip_fn(e, x, a, 0);
}

const char *const da_routine_funcs[] = {
    "round", "around", "clip", "isnan", "isinf", "isfinite", "isclose",
    "allclose", "outer", "diff", "nansum", "nanprod", "nanmean", "cumsum",
    "cumprod", "count_nonzero", NULL};
