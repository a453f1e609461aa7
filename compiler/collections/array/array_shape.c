/* array_shape.c - operations that rearrange blocks or axes without
 * computing: concatenate, stack, expand_dims (and None in an index),
 * squeeze, swapaxes, moveaxis, flip, flipud, fliplr.
 *
 * Each follows dask/array/core.py and routines.py: the same checks and
 * messages, the same chunks (unify_chunks across the inputs, empty inputs
 * dropped, dtypes promoted). Concatenating moves no data: the output's
 * block grid points at the input blocks themselves, as Dask's
 * concatenate-* keys alias them. A new axis is a getitem task per block
 * whose output has one more axis than it reads (kernel_elem.c reads input
 * axis d at start + step * idx[map[d]], and the new axis maps to nothing). */
#include <string.h>

#include "array.h"

/* The sequence argument of concatenate/stack as arrays (at least one). */
static int seq_arg(Eval *e, Value *v, Loc loc, const char *fname,
                   DArray ***out) {
  if (v->kind != V_LIST && v->kind != V_TUPLE)
    diag_error(loc, "%s() takes a list or tuple of arrays, not %s", fname,
               v_type_name(v));
  int n = v->seq.n;
  if (n == 0)
    diag_error(loc, "Need array(s) to %s", !strcmp(fname, "stack")
                                               ? "stack" : "concatenate");
  DArray **xs = ARENA_ARRAY(eval_arena(e), DArray *, n);
  for (int i = 0; i < n; i++)
    xs[i] = da_of(e, v->seq.items[i], loc);
  *out = xs;
  return n;
}

/* NumPy's promotion of our dtypes: bool < int64 < float64. */
static void promote(Eval *e, DArray **xs, int n, Loc loc) {
  Type *dt = ty_bool;
  for (int i = 0; i < n; i++)
    if (xs[i]->dtype == ty_float || (xs[i]->dtype == ty_int && dt == ty_bool))
      dt = xs[i]->dtype;
  for (int i = 0; i < n; i++)
    xs[i] = da_astype(e, xs[i], dt, loc);
}

static int norm_axis(int64_t axis, int ndim, Loc loc) {
  if (axis < -ndim || axis >= ndim)
    diag_error(loc, "axis %lld is out of bounds for array of dimension %d",
               (long long)axis, ndim);
  return (int)(axis < 0 ? axis + ndim : axis);
}

static int64_t axis_kw(Eval *e, Args *a, int pos, int64_t dflt) {
  Value *v = a->npos > pos ? a->pos[pos] : eval_arg_kw(a, "axis", NULL);
  return v && v->kind != V_NONE ? eval_need_int(e, v, a->loc, "an axis")
                                 : dflt;
}

/* Rechunks xs to common chunks on every axis but `skip` (Dask's
 * unify_chunks); the arrays are replaced in place. */
static void unify(Eval *e, DArray **xs, int n, int skip, Loc loc) {
  Value **v = ARENA_ARRAY(eval_arena(e), Value *, n);
  for (int i = 0; i < n; i++)
    v[i] = da_value(e, xs[i]);
  da_unify_chunks(e, v, n, skip, loc);
  for (int i = 0; i < n; i++)
    xs[i] = da_arr(v[i]);
}

/* Dask drops the empty inputs (all of them empty: keeps them all). */
static int drop_empty(Eval *e, DArray **xs, int n, DArray ***keep) {
  DArray **k = ARENA_ARRAY(eval_arena(e), DArray *, n);
  int m = 0;
  for (int i = 0; i < n; i++)
    if (da_size(xs[i]) != 0) /* nan sizes (negative) are kept */
      k[m++] = xs[i];
  *keep = m ? k : xs;
  return m ? m : n;
}

static void shape_text(char *buf, size_t cap, const DArray *x) {
  int k = snprintf(buf, cap, "(");
  for (int d = 0; d < x->ndim && (size_t)k < cap; d++)
    k += snprintf(buf + k, cap - (size_t)k, d ? ", %lld" : "%lld",
                  (long long)x->shape[d]);
  if ((size_t)k < cap)
    snprintf(buf + k, cap - (size_t)k, x->ndim == 1 ? ",)" : ")");
}

DArray *da_concatenate(Eval *e, DArray **xs, int n, int64_t axis, Loc loc) {
  for (int i = 1; i < n; i++)
    if (xs[i]->ndim != xs[0]->ndim)
      diag_error(loc, "all the input arrays must have same number of "
                 "dimensions, but the array at index 0 has %d dimension(s) "
                 "and the array at index %d has %d dimension(s)",
                 xs[0]->ndim, i, xs[i]->ndim);
  int nd = xs[0]->ndim;
  if (nd == 0)
    diag_error(loc, "zero-dimensional arrays cannot be concatenated");
  int ax = norm_axis(axis, nd, loc);
  /* unknown sizes (nan) only along the axis: the blocks just follow */
  bool unknown = false;
  for (int i = 0; i < n; i++)
    for (int d = 0; d < nd; d++) {
      if (d != ax && xs[i]->shape[d] < 0)
        da_unknown_fail(e, xs[i], "concatenate along an axis other than the "
                        "unknown one", NULL, loc);
      unknown |= xs[i]->shape[d] < 0;
    }
  promote(e, xs, n, loc);
  int64_t shape[DA_MAXDIM];
  for (int d = 0; d < nd; d++) {
    shape[d] = d == ax ? 0 : xs[0]->shape[d];
    for (int i = 0; d == ax && i < n; i++)
      shape[d] += xs[i]->shape[d];
  }
  if (unknown)
    shape[ax] = -1;
  DArray **keep;
  int m = drop_empty(e, xs, n, &keep);
  if (m == 1)
    return keep[0];
  for (int i = 1; i < m; i++)
    for (int d = 0; d < nd; d++)
      if (d != ax && keep[i]->shape[d] != keep[0]->shape[d]) {
        char s0[128], si[128];
        shape_text(s0, sizeof s0, keep[0]);
        shape_text(si, sizeof si, keep[i]);
        diag_error(loc, "Shapes do not align: %s and %s", s0, si);
      }
  unify(e, keep, m, ax, loc);
  int64_t *chunks[DA_MAXDIM];
  int nb[DA_MAXDIM];
  for (int d = 0; d < nd; d++) {
    chunks[d] = keep[0]->chunks[d];
    nb[d] = keep[0]->nblocks[d];
  }
  int total = 0;
  for (int i = 0; i < m; i++)
    total += keep[i]->nblocks[ax];
  chunks[ax] = ARENA_ARRAY(eval_arena(e), int64_t, total);
  nb[ax] = 0;
  for (int i = 0; i < m; i++)
    for (int b = 0; b < keep[i]->nblocks[ax]; b++)
      chunks[ax][nb[ax]++] = keep[i]->chunks[ax][b];
  DArray *out = da_alloc(e, "concatenate", keep[0]->dtype, nd, shape);
  da_set_chunks(e, out, chunks, nb);
  if (unknown)
    out->unk_id[ax] = out->name; /* a new mixture of lengths */
  for (int f = 0; f < out->nb; f++) {
    int c[DA_MAXDIM];
    da_block_coords(out, f, c);
    int i = 0;
    while (c[ax] >= keep[i]->nblocks[ax])
      c[ax] -= keep[i++]->nblocks[ax];
    out->blocks[f] = keep[i]->blocks[da_block_flat(keep[i], c)];
  }
  return out;
}

/* x with a new axis of length 1 at `at` (0..ndim): a getitem per block. */
DArray *da_expand_dims(Eval *e, DArray *x, int at, Loc loc) {
  da_need_known(e, x, "a new axis (None, expand_dims)", loc);
  if (x->ndim + 1 > DA_MAXDIM)
    diag_error(loc, "arrays of more than %d dimensions are not supported",
               DA_MAXDIM);
  int nd = x->ndim + 1;
  int64_t shape[DA_MAXDIM];
  int64_t *chunks[DA_MAXDIM], *one = ARENA_NEW(eval_arena(e), int64_t);
  *one = 1; /* kept by the array: not on the stack */
  int nb[DA_MAXDIM];
  for (int d = 0, s = 0; d < nd; d++) {
    bool fresh = d == at;
    shape[d] = fresh ? 1 : x->shape[s];
    chunks[d] = fresh ? one : x->chunks[s];
    nb[d] = fresh ? 1 : x->nblocks[s];
    s += !fresh;
  }
  DArray *out = da_alloc(e, "expand_dims", x->dtype, nd, shape);
  da_set_chunks(e, out, chunks, nb);
  int64_t zero[DA_MAXDIM] = {0}, steps[DA_MAXDIM], map[DA_MAXDIM];
  for (int d = 0; d < x->ndim; d++) {
    steps[d] = 1;
    map[d] = d < at ? d : d + 1;
  }
  Val *startv = da_ituple(e, zero, x->ndim), *stepv = da_ituple(e, steps, x->ndim);
  Val *mapv = da_ituple(e, map, x->ndim);
  for (int f = 0; f < out->nb; f++) {
    int oc[DA_MAXDIM], ic[DA_MAXDIM];
    da_block_coords(out, f, oc);
    for (int d = 0; d < x->ndim; d++)
      ic[d] = oc[d < at ? d : d + 1];
    Task *t = da_block_task(e, out, f, OP_array_getitem, 6, loc);
    t->args[2] = val_ref(eval_arena(e), x->blocks[da_block_flat(x, ic)]);
    t->args[3] = startv;
    t->args[4] = stepv;
    t->args[5] = mapv;
  }
  return out;
}

DArray *da_stack(Eval *e, DArray **xs, int n, int64_t axis, Loc loc) {
  for (int i = 0; i < n; i++)
    da_need_known(e, xs[i], "stack", loc);
  for (int i = 1; i < n; i++) {
    bool same = xs[i]->ndim == xs[0]->ndim;
    for (int d = 0; same && d < xs[0]->ndim; d++)
      same = xs[i]->shape[d] == xs[0]->shape[d];
    if (!same) {
      char s0[128], si[128];
      shape_text(s0, sizeof s0, xs[0]);
      shape_text(si, sizeof si, xs[i]);
      diag_error(loc, "Stacked arrays must have the same shape. The first "
                 "array had shape %s, while array %d has shape %s.", s0,
                 i + 1, si);
    }
  }
  int ax = norm_axis(axis, xs[0]->ndim + 1, loc);
  promote(e, xs, n, loc);
  DArray **keep;
  int m = drop_empty(e, xs, n, &keep);
  unify(e, keep, m, -1, loc);
  DArray **parts = ARENA_ARRAY(eval_arena(e), DArray *, m);
  for (int i = 0; i < m; i++)
    parts[i] = da_expand_dims(e, keep[i], ax, loc);
  return m == 1 ? parts[0] : da_concatenate(e, parts, m, ax, loc);
}

/* x[..., ::-1, ...] on each axis of `axes`, as Dask's flip. */
DArray *da_flip(Eval *e, DArray *x, const bool *axes, Loc loc) {
  Sel sel[DA_MAXDIM];
  for (int d = 0; d < x->ndim; d++)
    sel[d] = axes[d] && x->shape[d] > 0
                 ? (Sel){false, x->shape[d] - 1, -1, x->shape[d]}
                 : (Sel){false, 0, 1, x->shape[d]};
  return da_select(e, x, sel, loc);
}

/* Dask's squeeze: index 0 on each squeezed axis. */
DArray *da_squeeze(Eval *e, DArray *x, Value *axis, Loc loc) {
  da_need_known(e, x, "squeeze", loc);
  bool axes[DA_MAXDIM] = {false};
  if (!axis || axis->kind == V_NONE) {
    for (int d = 0; d < x->ndim; d++)
      axes[d] = x->shape[d] == 1;
  } else {
    da_axes_arg(e, axis, x->ndim, axes, loc);
    for (int d = 0; d < x->ndim; d++)
      if (axes[d] && x->shape[d] != 1)
        diag_error(loc, "cannot squeeze axis with size other than one");
  }
  Sel sel[DA_MAXDIM];
  for (int d = 0; d < x->ndim; d++)
    sel[d] = axes[d] ? (Sel){true, 0, 1, 1} : (Sel){false, 0, 1, x->shape[d]};
  return da_select(e, x, sel, loc);
}

DArray *da_swapaxes(Eval *e, DArray *x, int64_t a1, int64_t a2, Loc loc) {
  int p[DA_MAXDIM];
  for (int d = 0; d < x->ndim; d++)
    p[d] = d;
  int i = norm_axis(a1, x->ndim, loc), j = norm_axis(a2, x->ndim, loc);
  p[i] = j;
  p[j] = i;
  return da_transpose(e, x, p, loc);
}

static DArray *moveaxis(Eval *e, DArray *x, int64_t src, int64_t dst,
                        Loc loc) {
  int s = norm_axis(src, x->ndim, loc), t = norm_axis(dst, x->ndim, loc);
  int order[DA_MAXDIM], n = 0;
  for (int d = 0; d < x->ndim; d++)
    if (d != s)
      order[n++] = d;
  memmove(order + t + 1, order + t, sizeof(int) * (size_t)(n - t));
  order[t] = s;
  return da_transpose(e, x, order, loc);
}

/* ---- the functions of dask.array (and numpy) ---- */

static Value *flip_fn(Eval *e, Args *a, const char *name, DArray *x) {
  bool axes[DA_MAXDIM] = {false};
  if (!strcmp(name, "flipud") || !strcmp(name, "fliplr")) {
    eval_args_count(e, a, name, 1, 1);
    int d = !strcmp(name, "fliplr");
    if (x->ndim <= d)
      diag_error(a->loc, "Input must be >= %d-d.", d + 1);
    axes[d] = true;
  } else {
    eval_args_count(e, a, name, 1, 2);
    Value *ax = a->npos > 1 ? a->pos[1] : eval_arg_kw(a, "axis", NULL);
    if (!ax || ax->kind == V_NONE) {
      for (int d = 0; d < x->ndim; d++)
        axes[d] = true;
    } else {
      da_axes_arg(e, ax, x->ndim, axes, a->loc);
    }
  }
  return da_value(e, da_flip(e, x, axes, a->loc));
}

Value *da_shape_builtin_fn(Eval *e, Args *a) {
  const char *q = eval_callee(e), *name = strrchr(q, '.') + 1;
  if (!strcmp(name, "concatenate") || !strcmp(name, "stack")) {
    static const char *kws[] = {"axis", NULL};
    eval_args_check_kw(e, a, name, kws);
    eval_args_count(e, a, name, 1, 2);
    DArray **xs;
    int n = seq_arg(e, a->pos[0], a->pos_loc[0], name, &xs);
    int64_t axis = axis_kw(e, a, 1, 0);
    DArray *r = !strcmp(name, "stack") ? da_stack(e, xs, n, axis, a->loc)
                                       : da_concatenate(e, xs, n, axis, a->loc);
    return da_value(e, r);
  }
  if (a->npos < 1)
    diag_error(a->loc, "%s() needs an array", name);
  DArray *x = da_of(e, a->pos[0], a->pos_loc[0]);
  if (!strncmp(name, "flip", 4))
    return flip_fn(e, a, name, x);
  if (!strcmp(name, "reshape") || !strcmp(name, "ravel"))
    return da_reshape_call(e, x, a, 1, !strcmp(name, "ravel"));
  if (!strcmp(name, "expand_dims")) {
    eval_args_count(e, a, name, 1, 2);
    int64_t ax = axis_kw(e, a, 1, INT64_MIN);
    if (ax == INT64_MIN)
      diag_error(a->loc, "expand_dims() needs axis=");
    return da_value(e, da_expand_dims(e, x, norm_axis(ax, x->ndim + 1, a->loc),
                                      a->loc));
  }
  if (!strcmp(name, "squeeze")) {
    eval_args_count(e, a, name, 1, 2);
    Value *ax = a->npos > 1 ? a->pos[1] : eval_arg_kw(a, "axis", NULL);
    return da_value(e, da_squeeze(e, x, ax, a->loc));
  }
  eval_args_no_kw(e, a, name);
  eval_args_count(e, a, name, 3, 3);
  int64_t i = eval_need_int(e, a->pos[1], a->pos_loc[1], "an axis");
  int64_t j = eval_need_int(e, a->pos[2], a->pos_loc[2], "an axis");
  if (!strcmp(name, "swapaxes"))
    return da_value(e, da_swapaxes(e, x, i, j, a->loc));
  return da_value(e, moveaxis(e, x, i, j, a->loc)); /* moveaxis */
}

const char *const da_shape_funcs[] = {
    "concatenate", "stack", "expand_dims", "squeeze", "swapaxes", "moveaxis",
    "flip", "flipud", "fliplr", "reshape", "ravel", NULL};
