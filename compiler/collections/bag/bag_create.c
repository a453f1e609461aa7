/* bag_create.c - the functions of dask.bag that make bags: from_sequence,
 * range, from_delayed (read_text: bag_text.c), with Dask 2022.12's
 * partitioning and key names. */
#include <stdio.h>
#include <string.h>

#include "bag.h"

/* An optional int keyword or positional argument; dflt when absent or None. */
static int64_t int_arg(Eval *e, Args *a, int pos, const char *kw, int64_t dflt) {
  int at;
  Value *v = eval_arg_kw(a, kw, &at);
  Loc loc = v ? a->kw_loc[at] : a->loc;
  if (!v && a->npos > pos) {
    v = a->pos[pos];
    loc = a->pos_loc[pos];
  }
  if (!v || v->kind == V_NONE)
    return dflt;
  return eval_need_int(e, v, loc, kw);
}

/* db.from_sequence(seq, partition_size=None, npartitions=None) */
Value *bag_from_sequence(Eval *e, Args *a) {
  static const char *kws[] = {"partition_size", "npartitions", NULL};
  eval_args_check_kw(e, a, "from_sequence", kws);
  eval_args_count(e, a, "from_sequence", 1, 3);
  int n;
  Value **items = eval_iterate(e, a->pos[0], a->pos_loc[0], &n);
  int64_t size = int_arg(e, a, 1, "partition_size", 0);
  int64_t nparts = int_arg(e, a, 2, "npartitions", 0);
  if (nparts && !size)
    size = (n + nparts - 1) / nparts;
  if (!size)
    size = n < 100 ? 1 : n / 100;
  if (size < 0)
    diag_error(a->loc, "partition_size must be positive, got %lld", (long long)size);
  int count = n ? (int)((n + size - 1) / size) : 1;
  const char *name = bag_name(e, "from_sequence", NULL,
                              arena_printf(eval_arena(e), "%s|%lld", v_repr(eval_arena(e),
                                           a->pos[0]), (long long)size));
  Bag *b = bag_alloc(e, name, count);
  for (int i = 0; i < count; i++) {
    int lo = (int)(i * size), hi = lo + (int)size < n ? lo + (int)size : n;
    Value *part = eval_mk_list(e, items + lo, hi - lo);
    Task *t = eval_new_task(e, TASK_DATA, bag_key(e, name, i), NULL, a->loc);
    t->args = ARENA_ARRAY(eval_arena(e), Val *, 1);
    t->args[0] = eval_to_val(e, part, a->loc);
    t->nargs = 1;
    b->parts[i] = t;
  }
  return bag_value(e, b);
}

/* db.range(n, npartitions) */
Value *bag_range(Eval *e, Args *a) {
  static const char *kws[] = {"npartitions", NULL};
  eval_args_check_kw(e, a, "range", kws);
  eval_args_count(e, a, "range", 1, 2);
  int64_t n = eval_need_int(e, a->pos[0], a->pos_loc[0], "range(n)");
  int64_t np = int_arg(e, a, 1, "npartitions", -1);
  if (np <= 0)
    diag_error(a->loc, "range() needs npartitions > 0");
  int64_t size = n / np;
  if (size <= 0)
    diag_error(a->loc, "range() arg 3 must not be zero (n=%lld is less than npartitions=%lld)",
               (long long)n, (long long)np);
  const char *name = arena_printf(eval_arena(e), "range-%lld-npartitions-%lld", (long long)n,
                                  (long long)np);
  Value *def = bag_def(e, a->loc, "def _bag_range(_lo, _hi):\n"
                                  "    return [_i for _i in range(_lo, _hi)]\n");
  Bag *b = bag_alloc(e, name, (int)np);
  for (int i = 0; i < np; i++) {
    int64_t lo = i * size, hi = i == np - 1 ? n : lo + size;
    Value *args[2] = {eval_mk_int(e, lo), eval_mk_int(e, hi)};
    b->parts[i] = bag_task(e, def, bag_key(e, name, i), args, 2, a->loc);
  }
  return bag_value(e, b);
}

/* db.from_delayed(values): each delayed value is a partition. */
Value *bag_from_delayed(Eval *e, Args *a) {
  eval_args_no_kw(e, a, "from_delayed");
  eval_args_count(e, a, "from_delayed", 1, 1);
  int n = 1;
  Value **vals = &a->pos[0];
  if (a->pos[0]->kind != V_DELAYED)
    vals = eval_iterate(e, a->pos[0], a->pos_loc[0], &n);
  Arena *ar = eval_arena(e);
  char **keys = ARENA_ARRAY(ar, char *, n + 1);
  size_t len = 1;
  for (int i = 0; i < n; i++) {
    if (vals[i]->kind != V_DELAYED)
      diag_error(a->pos_loc[0], "from_delayed takes delayed values, got %s",
                 v_type_name(vals[i]));
    keys[i] = val_repr(ar, vals[i]->task->key);
    len += strlen(keys[i]) + 1;
  }
  char *what = arena_alloc(ar, len), *w = what;
  for (int i = 0; i < n; i++)
    w += sprintf(w, "%s|", keys[i]);
  *w = 0;
  const char *name = bag_name(e, "bag-from-delayed", NULL, what);
  Value *def = bag_def(e, a->loc, "def _bag_reify(_v):\n    return list(_v)\n");
  Bag *b = bag_alloc(e, name, n);
  for (int i = 0; i < n; i++)
    b->parts[i] = bag_task(e, def, bag_key(e, name, i), &vals[i], 1, a->loc);
  return bag_value(e, b);
}
