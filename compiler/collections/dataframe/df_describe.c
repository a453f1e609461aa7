/* df_describe.c - df.describe(percentiles=) of the numeric columns (Dask's
 * _describe_numeric). Dask's graph has one task per statistic and
 * partition (count, sum, var moments, min, max, percentiles) and then
 * their aggregates; we make one task per partition that computes all of
 * them (df.describe_chunk) and one that aggregates them in Dask's
 * order (df.describe_agg, runtime/frame_stats.c): the same numbers,
 * bit for bit, with fewer tasks. */
#include <stdlib.h>
#include <string.h>

#include "df.h"

static int cmp_double(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

/* percentiles=: numbers in [0, 1]; Dask appends 0.5 and takes np.unique
 * (sorted, no repeats). None or absent: 0.25, 0.5, 0.75. */
static Val *percentiles(Eval *e, Value *v, Loc loc) {
  Arena *ar = eval_arena(e);
  double p[66] = {0.25, 0.5, 0.75};
  int n = 3;
  if (v && v->kind != V_NONE) {
    if (v->kind != V_LIST && v->kind != V_TUPLE)
      diag_error(loc, "percentiles must be a list of numbers in [0, 1]");
    if (v->seq.n > 64)
      diag_error(loc, "taskc takes at most 64 percentiles");
    n = 0;
    for (int i = 0; i < v->seq.n; i++) {
      double x;
      if (!v_as_double(v->seq.items[i], &x) || !(x >= 0 && x <= 1))
        diag_error(loc, "percentiles should all be in the interval [0, 1]. Try %s instead.",
                   v_repr(ar, v->seq.items[i]));
      p[n++] = x;
    }
    p[n++] = 0.5;
  }
  qsort(p, (size_t)n, sizeof *p, cmp_double);
  Val **items = ARENA_ARRAY(ar, Val *, n + 1);
  int m = 0;
  for (int i = 0; i < n; i++)
    if (!m || p[i] != p[i - 1])
      items[m++] = val_float(ar, p[i]);
  return val_seq(ar, VAL_TUPLE, items, m);
}

Value *df_describe(Eval *e, DFrame *f, Args *a) {
  static const char *kws[] = {"percentiles", NULL};
  eval_args_check_kw(e, a, "describe", kws);
  if (a->npos) /* Dask's first parameter is split_every */
    diag_error(a->pos_loc[0], "describe()'s first parameter is Dask's split_every, which taskc "
               "does not take yet; give percentiles= by name");
  Arena *ar = eval_arena(e);
  int pi = -1;
  Value *pv = eval_arg_kw(a, "percentiles", &pi);
  Val *pcts = percentiles(e, pv, pi >= 0 ? a->kw_loc[pi] : a->loc);
  if (f->series)
    diag_error(a->loc, "describe() of a Series is not supported by taskc yet");
  const char **num = ARENA_ARRAY(ar, const char *, f->ncols + 1);
  int n = 0;
  bool bools = false;
  for (int c = 0; c < f->ncols; c++) {
    if (f->dtypes[c] == DF_F64 || f->dtypes[c] == DF_I64)
      num[n++] = f->cols[c];
    bools |= f->dtypes[c] == DF_BOOL;
  }
  if (!n || bools)
    diag_error(a->loc, "describe() of a DataFrame %s is not supported by taskc yet (only "
               "numeric columns next to text ones are)",
               n ? "with bool columns" : "without numeric columns");
  Val *names = df_names_val(e, num, n);
  const char *what = arena_printf(ar, "%s|%s", f->name, val_repr(ar, pcts));
  const char *chunk = coll_token_name(e, "describe-chunk", what);
  Val **refs = ARENA_ARRAY(ar, Val *, f->nparts + 1);
  for (int p = 0; p < f->nparts; p++) {
    Task *t = df_task(e, chunk, p, OP_df_describe_chunk, 3, a->loc);
    t->args[0] = val_ref(ar, df_csv_project(e, f->parts[p], num, n));
    t->args[1] = names;
    t->args[2] = pcts;
    refs[p] = val_ref(ar, t);
  }
  DFrame *r = df_alloc(e, coll_token_name(e, "describe-numeric-", what), n, 1, false);
  memcpy(r->cols, num, sizeof *num * (size_t)n);
  for (int c = 0; c < n; c++)
    r->dtypes[c] = DF_F64;
  Task *t = df_task(e, r->name, 0, OP_df_describe_agg, 3, a->loc);
  t->args[0] = val_seq(ar, VAL_LIST, refs, f->nparts);
  t->args[1] = names;
  t->args[2] = pcts;
  r->parts[0] = t;
  r->pic = df_pic_describe(e, f, n);
  return df_value(e, r);
}
