/* df_reduce.c - Series sum, mean, min, max, count, std, var, nunique and
 * len(df) as Dask builds them with split_every=False:
 * ('series-sum-chunk-<token>', i) per partition and one
 * ('series-sum-agg-<token>', 0) over all of them (runtime/frame_reduce.c);
 * mean is Dask's mean_aggregate of a sum and a count; var and std are
 * da.nanvar of the column (a moment chunk per partition; the aggregate does
 * Dask's tree of 4); nunique counts the union of the partitions' distinct
 * values. The result is a lazy scalar (a delayed value); len() is computed
 * at once, an output, as Dask's __len__ computes it. */
#include <string.h>

#include "df.h"

static Task *reduction(Eval *e, DFrame *f, const char *kind, const char *prefix, Loc loc) {
  Arena *a = eval_arena(e);
  const char *tok = coll_token_name(e, "", arena_printf(a, "%s|%s", kind, f->name)) + 1;
  const char *chunk = arena_printf(a, "%s-chunk-%s", prefix, tok);
  Val *kv = val_str(a, kind, (int)strlen(kind));
  Val **refs = ARENA_ARRAY(a, Val *, f->nparts + 1);
  for (int p = 0; p < f->nparts; p++) {
    Task *t = df_task(e, chunk, p, OP_df_reduce_chunk, 2, loc);
    t->args[0] = val_ref(a, f->parts[p]);
    t->args[1] = kv;
    refs[p] = val_ref(a, t);
  }
  Task *t = df_task(e, arena_printf(a, "%s-agg-%s", prefix, tok), 0, OP_df_reduce_agg, 2, loc);
  t->args[0] = val_seq(a, VAL_LIST, refs, f->nparts);
  t->args[1] = kv;
  return t;
}

static Task *mean(Eval *e, DFrame *f, Loc loc) {
  Arena *a = eval_arena(e);
  Val *parts[2] = {val_ref(a, reduction(e, f, "sum", "series-sum", loc)),
                   val_ref(a, reduction(e, f, "count", "series-count", loc))};
  Task *t = df_task(e, coll_token_name(e, "series-mean", f->name), 0, OP_df_reduce_agg, 2, loc);
  t->args[0] = val_seq(a, VAL_LIST, parts, 2);
  t->args[1] = val_str(a, "mean", 4);
  return t;
}

bool df_is_reduction(const char *name) {
  static const char *names[] = {"sum", "mean", "min", "max", "count", "std", "var", "nunique",
                                NULL};
  for (int i = 0; names[i]; i++)
    if (!strcmp(name, names[i]))
      return true;
  return false;
}

Value *df_reduce(Eval *e, DFrame *f, const char *name, Args *a) {
  eval_args_check_kw(e, a, name, (const char *[]){NULL});
  bool var = !strcmp(name, "var") || !strcmp(name, "std");
  eval_args_count(e, a, name, 0, 0);
  if (!f->series)
    diag_error(a->loc, "DataFrame.%s() is not supported by taskc yet (select a column: "
               "df['a'].%s())", name, name);
  int dt = f->dtypes[0];
  if (dt == DF_OBJ && strcmp(name, "count") && strcmp(name, "nunique"))
    diag_error(a->loc, "%s() of a text column is not supported by taskc yet", name);
  if (dt == DF_DT && strcmp(name, "count"))
    diag_error(a->loc, "%s() of a datetime column is not supported by taskc yet (count() and "
               "the .dt fields' reductions are)", name);
  if (dt == DF_BOOL && (!strcmp(name, "mean") || var))
    diag_error(a->loc, "%s() of a bool column is not supported by taskc yet", name);
  Task *t = !strcmp(name, "mean")
                ? mean(e, f, a->loc)
                : reduction(e, f, name, arena_printf(eval_arena(e), "series-%s", name), a->loc);
  PicLayer *pic = df_pic_reduce(e, f, name);
  if (pic)
    pic_note_task(e, t, pic);
  return v_task(eval_arena(e), V_DELAYED, t);
}

Value *df_len(Eval *e, Value *v, DFrame *f, Args *a) {
  eval_args_count(e, a, "len", 0, 0);
  (void)v;
  Task *t = reduction(e, f, "len", "len", a->loc);
  DFrame *r = df_alloc(e, "len", 0, 1, false);
  r->parts[0] = t;
  return eval_compute(e, df_value(e, r), eval_args_new(e, a->loc, 0, NULL), false);
}
