/* df_picture.c - Dask 2022.12's layers of the dataframe expressions, for
 * visualize() (coll_picture.h). Each function mirrors the graph Dask
 * builds for one operation, measured with
 *   dict(x.__dask_graph__()) and dask.optimize(x)
 * on CSVs of 1, 2, 3 and 10 partitions (tests/lit/dot/df-*.tg). A NULL
 * input layer (a frame whose layers are not known, bag.to_dataframe's)
 * gives NULL: the picture is then the executed graph. */
#include <string.h>

#include "df.h"

/* Dask's aca reductions (split_every None) combine in 8s; Series.sum()
 * and its kin (split_every=False) do not; da's moments in 4s. */
enum { ACA_SPLIT = 8, ARRAY_SPLIT = 4 };

PicLayer *df_pic_each(Eval *e, const char *prefix, const DFrame *x, const DFrame *y) {
  if (!x || !x->pic || (y && !y->pic))
    return NULL;
  return pic_each(e, prefix, x->nparts, x->pic, y ? y->pic : NULL);
}

/* chunk per partition (blockwise) and its aca tree. */
static PicLayer *aca(Eval *e, PicLayer *src, int n, const char *prefix, int split_every) {
  Arena *a = eval_arena(e);
  PicLayer *chunk = pic_each(e, arena_printf(a, "%s-chunk", prefix), n, src, NULL);
  return pic_aca(e, chunk, prefix, split_every);
}

/* Dask's var of numbers: values, moment_chunk, da's tree of moments, then
 * '<kind>-var' (one task). */
static PicLayer *var(Eval *e, PicLayer *src, int n, const char *kind) {
  PicLayer *values = pic_each(e, "values", n, src, NULL);
  PicLayer *chunk = pic_each(e, "moment_chunk", n, values, NULL);
  PicLayer *agg = pic_array_tree(e, chunk, "moment_combine-partial", "moment_agg-aggregate",
                                 ARRAY_SPLIT);
  PicLayer *v = pic_layer(e, arena_printf(eval_arena(e), "%s-var", kind), 1, false);
  pic_dep(e, v, agg, PIC_EACH, 0);
  return v;
}

/* s.sum() and the other Series reductions of df_reduce.c. */
PicLayer *df_pic_reduce(Eval *e, const DFrame *f, const char *name) {
  if (!f->pic)
    return NULL;
  Arena *a = eval_arena(e);
  int n = f->nparts;
  if (!strcmp(name, "mean")) {
    PicLayer *m = pic_layer(e, "series-mean", 1, false);
    pic_dep(e, m, aca(e, f->pic, n, "series-sum", 0), PIC_EACH, 0);
    pic_dep(e, m, aca(e, f->pic, n, "series-count", 0), PIC_EACH, 0);
    return m;
  }
  if (!strcmp(name, "var") || !strcmp(name, "std")) {
    PicLayer *v = var(e, f->pic, n, "series");
    return name[0] == 's' ? pic_each(e, "series-std", 1, v, NULL) : v;
  }
  if (!strcmp(name, "nunique")) { /* drop_duplicates().count() */
    PicLayer *d = aca(e, f->pic, n, "drop-duplicates", ACA_SPLIT);
    return aca(e, d, 1, "series-count", 0);
  }
  return aca(e, f->pic, n, arena_printf(a, "series-%s", name), 0);
}

PicLayer *df_pic_value_counts(Eval *e, const DFrame *f) {
  return f->pic ? aca(e, f->pic, f->nparts, "value-counts", ACA_SPLIT) : NULL;
}

/* g.<what>() of df.groupby(...) (series: of a column, g.v.sum());
 * project: Dask selects the columns first (a column's groupby, or
 * agg({...})). */
PicLayer *df_pic_groupby(Eval *e, const DFrame *src, bool series, bool project,
                         const char *what) {
  if (!src->pic)
    return NULL;
  Arena *a = eval_arena(e);
  int n = src->nparts;
  PicLayer *in = project ? pic_each(e, "getitem", n, src->pic, NULL) : src->pic;
  const char *kind = series ? "series-groupby" : "dataframe-groupby";
  if (!strcmp(what, "aggregate")) {
    PicLayer *agg = aca(e, in, n, "aggregate", ACA_SPLIT);
    return series ? pic_each(e, "getitem", 1, agg, NULL) : agg;
  }
  if (!strcmp(what, "mean")) { /* sum / count */
    PicLayer *count = aca(e, in, n, arena_printf(a, "%s-count", kind), ACA_SPLIT);
    if (!series)
      count = pic_each(e, "getitem", 1, count, NULL);
    PicLayer *sum = aca(e, in, n, arena_printf(a, "%s-sum", kind), ACA_SPLIT);
    return pic_each(e, "truediv", 1, sum, count);
  }
  if (!strcmp(what, "var") || !strcmp(what, "std")) {
    PicLayer *v = aca(e, in, n, arena_printf(a, "%s-var", kind), ACA_SPLIT);
    if (series) /* the column of the aggregate's frame */
      v = pic_each(e, "getitem", 1, v, NULL);
    return what[0] == 's' ? pic_each(e, "sqrt", 1, v, NULL) : v;
  }
  return aca(e, in, n, arena_printf(a, "%s-%s", kind, what), ACA_SPLIT);
}

/* df.describe() of ncols numeric columns (Dask's _describe_numeric): the
 * numeric columns ('dataframe'), a reduction per statistic over them,
 * each column's quantiles, and 'describe-numeric' of all of them. */
PicLayer *df_pic_describe(Eval *e, const DFrame *f, int ncols) {
  if (!f->pic)
    return NULL;
  int n = f->nparts;
  PicLayer *num = pic_each(e, "dataframe", n, f->pic, NULL);
  PicLayer *out = pic_layer(e, "describe-numeric", 1, false);
  PicLayer *count = aca(e, num, n, "dataframe-count", 0);
  PicLayer *mean = pic_layer(e, "dataframe-mean", 1, false);
  pic_dep(e, mean, aca(e, num, n, "dataframe-sum", 0), PIC_EACH, 0);
  pic_dep(e, mean, count, PIC_EACH, 0);
  PicLayer *std = var(e, pic_each(e, "getitem", n, num, NULL), n, "dataframe");
  std = pic_each(e, "astype", 1, pic_each(e, "dataframe-std", 1, std, NULL), NULL);
  PicLayer *concat = pic_layer(e, "quantiles-concat", 1, false);
  for (int c = 0; c < ncols; c++) {
    PicLayer *col = pic_each(e, "dropna", n, pic_each(e, "getitem", n, num, NULL), NULL);
    PicLayer *q = pic_layer(e, "quantiles", n, false);
    pic_dep(e, q, col, PIC_EACH, 0);
    PicLayer *merged = pic_layer(e, "quantiles", 1, false);
    pic_dep(e, merged, q, PIC_ALL, 0);
    pic_dep(e, concat, merged, PIC_EACH, 0);
  }
  pic_dep(e, out, count, PIC_EACH, 0);
  pic_dep(e, out, mean, PIC_EACH, 0);
  pic_dep(e, out, std, PIC_EACH, 0);
  pic_dep(e, out, aca(e, num, n, "dataframe-min", 0), PIC_EACH, 0);
  pic_dep(e, out, concat, PIC_EACH, 0);
  pic_dep(e, out, aca(e, num, n, "dataframe-max", 0), PIC_EACH, 0);
  return out;
}

/* One k=v of df.assign(...) (Dask: a layer per keyword): of the frame,
 * and of v if it is a Series. */
PicLayer *df_pic_assign(Eval *e, const DFrame *f, Value *v) {
  return df_pic_each(e, "assign", f, df_is(v) ? (const DFrame *)v->coll : NULL);
}

/* map_partitions(fn, args...): one layer named as Dask's funcname names
 * fn ('lambda' for a lambda), of the collections among args. */
PicLayer *df_pic_map_partitions(Eval *e, Value *fn, Value **args, int nargs) {
  const char *name = fn->kind == V_FUNC ? fn->func->fn->name : "lambda";
  const DFrame *f = (const DFrame *)args[0]->coll;
  if (!f->pic)
    return NULL;
  PicLayer *l = pic_layer(e, name, f->nparts, true);
  for (int i = 0; i < nargs; i++)
    if (df_is(args[i])) {
      const DFrame *x = (const DFrame *)args[i]->coll;
      if (!x->pic)
        return NULL;
      pic_dep(e, l, x->pic, PIC_EACH, 0);
    }
  return l;
}

/* ---- the hooks of df_ops ---- */

int df_roots(Eval *e, Value *self, Task ***out) {
  (void)e;
  DFrame *f = (DFrame *)self->coll;
  *out = f->parts;
  return f->nparts;
}

PicLayer *df_picture(Eval *e, Value *self, bool optimize) {
  (void)e;
  return pic_drawable(((DFrame *)self->coll)->pic, optimize);
}
