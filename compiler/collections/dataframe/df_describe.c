/* df_describe.c - df.describe() of the numeric columns (Dask's
 * _describe_numeric). Dask's graph has one task per statistic and
 * partition (count, sum, var moments, min, max, percentiles) and then
 * their aggregates; we make one task per partition that computes all of
 * them (df.describe_chunk) and one that aggregates them in Dask's
 * order (df.describe_agg, runtime/frame_stats.c): the same numbers,
 * bit for bit, with fewer tasks. */
#include <string.h>

#include "df.h"

Value *df_describe(Eval *e, DFrame *f, Args *a) {
  eval_args_no_kw(e, a, "describe");
  eval_args_count(e, a, "describe", 0, 0);
  Arena *ar = eval_arena(e);
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
  const char *chunk = df_token_name(e, "describe-chunk", f->name);
  Val **refs = ARENA_ARRAY(ar, Val *, f->nparts + 1);
  for (int p = 0; p < f->nparts; p++) {
    Task *t = df_task(e, chunk, p, OP_df_describe_chunk, 2, a->loc);
    t->args[0] = val_ref(ar, f->parts[p]);
    t->args[1] = names;
    refs[p] = val_ref(ar, t);
  }
  DFrame *r = df_alloc(e, df_token_name(e, "describe-numeric-", f->name), n, 1, false);
  memcpy(r->cols, num, sizeof *num * (size_t)n);
  for (int c = 0; c < n; c++)
    r->dtypes[c] = DF_F64;
  Task *t = df_task(e, r->name, 0, OP_df_describe_agg, 2, a->loc);
  t->args[0] = val_seq(ar, VAL_LIST, refs, f->nparts);
  t->args[1] = names;
  r->parts[0] = t;
  return df_value(e, r);
}
