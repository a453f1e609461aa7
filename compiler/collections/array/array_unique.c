/* array_unique.c - da.unique(x, return_counts=): Dask's recipe. x is
 * raveled, np.unique runs per block (blocks of unknown length), then once
 * more over the blocks concatenated: one block of unknown length, sorted
 * (runtime/array_unique.c). Counts go the same way: per block, then summed
 * per value over the concatenated (values, counts) of the blocks. */
#include <string.h>

#include "array.h"

/* One array.unique task per block of x, or one over its blocks
 * concatenated (agg): the values (what 0) or counts (1, weighted by w's
 * blocks when w is given). */
static DArray *unique_step(Eval *e, DArray *x, DArray *w, int what, bool agg,
                           Loc loc) {
  Arena *a = eval_arena(e);
  int64_t len = -1;
  DArray *r = da_alloc(e, agg ? "unique-aggregate" : "unique",
                       what ? ty_int : x->dtype, 1, &len);
  int nb = agg ? 1 : x->nb;
  int64_t *ch = ARENA_ARRAY(a, int64_t, nb);
  for (int i = 0; i < nb; i++)
    ch[i] = -1;
  da_set_chunks(e, r, &ch, &nb);
  for (int f = 0; f < nb; f++) {
    Task *t = da_block_task(e, r, f, OP_array_unique, 5, loc);
    Task *xs = agg ? (x->nb == 1 ? x->blocks[0] : da_concat_grid_task(e, x, loc))
                   : x->blocks[f];
    t->args[2] = val_ref(a, xs);
    t->args[3] = val_int(a, 0);
    if (w)
      t->args[3] = val_ref(a, w->nb == 1 ? w->blocks[0]
                                         : da_concat_grid_task(e, w, loc));
    t->args[4] = val_int(a, what);
  }
  return r;
}

Value *da_unique_builtin_fn(Eval *e, Args *a) {
  static const char *kws[] = {"return_index", "return_inverse",
                              "return_counts", NULL};
  eval_args_check_kw(e, a, "unique", kws);
  eval_args_count(e, a, "unique", 1, 4);
  DArray *x = da_of(e, a->pos[0], a->pos_loc[0]);
  const char *flags[] = {"return_index", "return_inverse", "return_counts"};
  bool on[3];
  for (int i = 0; i < 3; i++) {
    Value *v = a->npos > 1 + i ? a->pos[1 + i] : eval_arg_kw(a, flags[i], NULL);
    on[i] = v && eval_truthy(e, v, a->loc);
  }
  if (on[0] || on[1])
    diag_error(a->loc, "da.unique with %s=True is not supported (a taskc "
               "limit)", on[0] ? "return_index" : "return_inverse");
  if (x->ndim != 1) {
    da_need_known(e, x, "unique of an n-d array (ravel)", a->loc);
    int64_t n = da_size(x);
    x = da_reshape(e, x, &n, 1, a->loc);
  }
  DArray *vals = unique_step(e, x, NULL, 0, false, a->loc);
  DArray *u = unique_step(e, vals, NULL, 0, true, a->loc);
  u->unk_id[0] = u->name;
  if (!on[2])
    return da_value(e, u);
  DArray *cnt = unique_step(e, x, NULL, 1, false, a->loc);
  DArray *c = unique_step(e, vals, cnt, 1, true, a->loc);
  c->unk_id[0] = u->name; /* one length: the values' */
  Value *items[2] = {da_value(e, u), da_value(e, c)};
  return eval_mk_tuple(e, items, 2);
}
