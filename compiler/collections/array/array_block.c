/* array_block.c - da.block(nested lists of arrays), as Dask's block (a
 * copy of NumPy's): the lists must be lists (not tuples) of one depth,
 * none empty; every array gets leading axes of length 1 up to
 * max(list depth, largest ndim) (x[None, ...]); then the innermost lists
 * are concatenated along the last list axis, the next ones out along the
 * axis before, the outermost along ndim - depth (da_concatenate: Dask's
 * chunks, no copy). */
#include <string.h>

#include "array.h"

static const char *index_text(Eval *e, const int *idx, int n) {
  const char *s = "arrays";
  for (int i = 0; i < n; i++)
    s = arena_printf(eval_arena(e), "%s[%d]", s, idx[i]);
  return s;
}

/* The list depth of v (checked equal everywhere) and the largest ndim. */
static void walk(Eval *e, Value *v, int *idx, int depth, int *list_nd,
                 int *elem_nd, Loc loc) {
  if (v->kind == V_TUPLE)
    diag_error(loc, "%s is a tuple. Only lists can be used to arrange "
               "blocks, and np.block does not allow implicit conversion "
               "from tuple to ndarray.", index_text(e, idx, depth));
  int here = -1;
  if (v->kind != V_LIST) {
    if (!da_is(v))
      diag_error(loc, "block: %s is %s; dask arrays are supported",
                 index_text(e, idx, depth), v_type_name(v));
    if (da_arr(v)->ndim > *elem_nd)
      *elem_nd = da_arr(v)->ndim;
    here = depth;
  } else if (v->seq.n == 0) {
    here = depth + 1;
  } else {
    if (depth >= DA_MAXDIM)
      diag_error(loc, "block: lists nested too deeply");
    for (int i = 0; i < v->seq.n; i++) {
      idx[depth] = i;
      walk(e, v->seq.items[i], idx, depth + 1, list_nd, elem_nd, loc);
    }
    return;
  }
  if (*list_nd >= 0 && *list_nd != here)
    diag_error(loc, "List depths are mismatched. First element was at "
               "depth %d, but there is an element at depth %d (%s)",
               *list_nd, here, index_text(e, idx, depth));
  *list_nd = here;
}

static bool any_empty(Value *v) {
  if (v->kind != V_LIST)
    return false;
  if (v->seq.n == 0)
    return true;
  for (int i = 0; i < v->seq.n; i++)
    if (any_empty(v->seq.items[i]))
      return true;
  return false;
}

static DArray *build(Eval *e, Value *v, int axis, int nd, Loc loc) {
  if (v->kind != V_LIST) {
    DArray *x = da_arr(v);
    while (x->ndim < nd) /* atleast_nd: x[None, ...] */
      x = da_expand_dims(e, x, 0, loc);
    return x;
  }
  DArray **xs = ARENA_ARRAY(eval_arena(e), DArray *, v->seq.n);
  for (int i = 0; i < v->seq.n; i++)
    xs[i] = build(e, v->seq.items[i], axis + 1, nd, loc);
  return v->seq.n == 1 ? xs[0] : da_concatenate(e, xs, v->seq.n, axis, loc);
}

Value *da_block_builtin_fn(Eval *e, Args *a) {
  static const char *kws[] = {"allow_unknown_chunksizes", NULL};
  eval_args_check_kw(e, a, "block", kws);
  eval_args_count(e, a, "block", 1, 1);
  int idx[DA_MAXDIM + 1] = {0}, list_nd = -1, elem_nd = 0;
  walk(e, a->pos[0], idx, 0, &list_nd, &elem_nd, a->loc);
  if (any_empty(a->pos[0]))
    diag_error(a->loc, "Lists cannot be empty");
  int nd = list_nd > elem_nd ? list_nd : elem_nd;
  if (nd > DA_MAXDIM)
    diag_error(a->loc, "arrays of more than %d dimensions are not supported",
               DA_MAXDIM);
  return da_value(e, build(e, a->pos[0], nd - list_nd, nd, a->loc));
}
