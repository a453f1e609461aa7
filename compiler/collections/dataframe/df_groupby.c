/* df_groupby.c - df.groupby(col): DataFrameGroupBy / SeriesGroupBy values
 * and their aggregations, built as Dask 2022.12 builds them:
 * apply-concat-apply with split_every 8 (a chunk task per partition,
 * combine tasks over groups of 8 while more than 8 remain, one aggregate;
 * runtime/frame_groupby.c).
 *
 * Two of Dask's paths give different bits, so both are kept:
 * - g.sum() count() size() min() max() mean() (_single_agg: chunks sorted
 *   by key; mean is sum / count) and g.var() std() (_var_chunk/_var_agg,
 *   negatives clamped to 0);
 * - g.agg(...) (_groupby_apply_funcs: chunks in order of first appearance;
 *   mean, var, std from sum, count and sum of squares, no clamp).
 * Dask's groupby(sort=None), its default, never sorts the result: the
 * groups come in the order they first appear in the concatenated chunk
 * results (so does sort=False); sort=True sorts the aggregate by key. */
#include <string.h>

#include "df.h"

typedef struct DGroupBy {
  Coll coll;          /* ops: df_groupby_ops */
  DFrame *src;
  int nkeys;          /* the columns grouped by: several make a MultiIndex */
  const char **keys;
  bool series;        /* a SeriesGroupBy: one value column */
  bool sort;          /* groupby(sort=True): the result sorted by key */
  int ncols;          /* the value columns */
  const char **cols;
  int *dtypes;
  bool projected;     /* agg({...}): Dask selects its columns first */
} DGroupBy;

static const CollOps df_groupby_ops;

enum { MAX_STATS = 64 };

/* What one aggregation computes: the per-partition statistics (one letter
 * each, runtime/frame_groupby.c), the result columns and how each is
 * made from them. */
typedef struct Plan {
  bool spec;  /* agg(...): Dask's _build_agg_args refuses a repeat */
  const char *oaggs[MAX_STATS], *ocols[MAX_STATS];
  int nstat;
  char kinds[MAX_STATS + 1];
  const char *scols[MAX_STATS];
  int nout;
  const char *onames[MAX_STATS];
  int odt[MAX_STATS];
  const char *fin; /* the finalizer text */
} Plan;

static const char *agg_names[] = {"sum", "mean", "count", "size", "min", "max", "std", "var",
                                  NULL};

static bool is_agg(const char *s) {
  for (int i = 0; agg_names[i]; i++)
    if (!strcmp(s, agg_names[i]))
      return true;
  return false;
}

static int stat(Eval *e, Plan *p, char kind, const char *col, Loc loc) {
  for (int i = 0; i < p->nstat; i++)
    if (p->kinds[i] == kind && !strcmp(p->scols[i], col))
      return i;
  if (p->nstat == MAX_STATS)
    diag_error(loc, "taskc takes at most %d groupby statistics", MAX_STATS);
  (void)e;
  p->kinds[p->nstat] = kind;
  p->scols[p->nstat] = col;
  return p->nstat++;
}

/* Adds the result column `name`: aggregation `agg` of column col (dtype
 * dt). clamp: the var path's. */
static void plan_add(Eval *e, Plan *p, const char *name, const char *agg, const char *col, int dt,
                     bool clamp, Loc loc) {
  Arena *a = eval_arena(e);
  if (!is_agg(agg))
    diag_error(loc, "groupby aggregation '%s' is not supported by taskc yet (supported: sum, "
               "mean, count, size, min, max, std, var)", agg);
  bool counting = !strcmp(agg, "count") || !strcmp(agg, "size");
  bool minmax = !strcmp(agg, "min") || !strcmp(agg, "max");
  if (!counting && (dt == DF_OBJ || (dt == DF_BOOL && minmax)))
    diag_error(loc, "groupby %s() of the %s column '%s' is not supported by taskc yet",
               agg, df_dtype_name(dt), col);
  if (p->nout == MAX_STATS)
    diag_error(loc, "taskc takes at most %d groupby results", MAX_STATS);
  for (int i = 0; i < p->nout && p->spec; i++)
    if (!strcmp(p->oaggs[i], agg) && !strcmp(p->ocols[i], col))
      diag_error(loc, "ValueError: conflicting aggregation functions: [('%s', '%s'), ('%s', "
                 "'%s')]", agg, col, agg, col);
  p->oaggs[p->nout] = agg;
  p->ocols[p->nout] = col;
  const char *f;
  int odt = DF_F64;
  if (!strcmp(agg, "mean")) {
    f = arena_printf(a, "m%d,%d", stat(e, p, 's', col, loc), stat(e, p, 'c', col, loc));
  } else if (!strcmp(agg, "var") || !strcmp(agg, "std")) {
    int s = stat(e, p, 's', col, loc), c = stat(e, p, 'c', col, loc);
    f = arena_printf(a, "%c%d,%d,%d,%d", agg[0] == 'v' ? 'v' : 'd', s, c, stat(e, p, 'q', col, loc),
                     clamp);
  } else {
    char k = !strcmp(agg, "sum") ? 's' : !strcmp(agg, "count") ? 'c'
             : !strcmp(agg, "size")  ? 'z' : !strcmp(agg, "min") ? 'n' : 'x';
    f = arena_printf(a, "t%d", stat(e, p, k, col, loc));
    odt = counting || dt == DF_BOOL ? DF_I64 : dt; /* a bool sum counts */
  }
  p->fin = p->fin ? arena_printf(a, "%s;%s", p->fin, f) : f;
  p->onames[p->nout] = name;
  p->odt[p->nout++] = odt;
}

static Val *str_val(Arena *a, const char *s) {
  return s ? val_str(a, s, (int)strlen(s)) : val_none(a);
}

static Val *strs_val(Arena *a, const char *const *s, int n) {
  Val **items = ARENA_ARRAY(a, Val *, n + 1);
  for (int i = 0; i < n; i++)
    items[i] = str_val(a, s[i]);
  return val_seq(a, VAL_TUPLE, items, n);
}

/* Dask's aca over the partitions of src: the result's only partition.
 * what names the tasks; final prefixes the finalizer text ("V;": value
 * counts' order). */
static DFrame *aca(Eval *e, DFrame *src, const char *what, const char *const *keys, int nkeys,
                   const Plan *p, bool sorted, const char *index_name, int kind,
                   const char *final, Loc loc) {
  Arena *a = eval_arena(e);
  const char *key = keys[0]; /* the token's text: the keys joined */
  for (int i = 1; i < nkeys; i++)
    key = arena_printf(a, "%s\x1f%s", key, keys[i]);
  /* one key: a str; several: a tuple of them (a MultiIndex, its levels
   * named by the partials, no index_name) */
  char comb[MAX_STATS + 1];
  for (int i = 0; i < p->nstat; i++)
    comb[i] = p->kinds[i] == 'n' || p->kinds[i] == 'x' ? p->kinds[i] : 's';
  comb[p->nstat] = 0;
  const char *tok = coll_token_name(e, "", arena_printf(a, "%s|%s|%s|%s|%s|%d", what, src->name,
                                                       key, p->kinds, p->fin, sorted)) + 1;
  Val *spec[3] = {val_int(a, sorted), val_str(a, p->kinds, p->nstat),
                  strs_val(a, p->scols, p->nstat)};
  Val *specv = val_seq(a, VAL_TUPLE, spec, 3);
  Val *keyv = nkeys == 1 ? str_val(a, keys[0]) : strs_val(a, keys, nkeys);
  Val *combv = val_str(a, comb, p->nstat);
  int k = src->nparts;
  Val **refs = ARENA_ARRAY(a, Val *, k + 1);
  const char *chunk = arena_printf(a, "%s-chunk-%s", what, tok);
  for (int i = 0; i < k; i++) {
    Task *t = df_task(e, chunk, i, OP_df_gb_chunk, 3, loc);
    t->args[0] = val_ref(a, src->parts[i]);
    t->args[1] = keyv;
    t->args[2] = specv;
    refs[i] = val_ref(a, t);
  }
  for (int depth = 1; k > 8; depth++) { /* DataFrameTreeReduction's levels */
    const char *node = arena_printf(a, "%s-combine-%s-%d", what, tok, depth);
    int m = 0;
    for (int lo = 0; lo < k; lo += 8, m++) {
      int hi = lo + 8 < k ? lo + 8 : k;
      Task *t = df_task(e, node, m, OP_df_gb_agg, 4, loc);
      t->args[0] = val_seq(a, VAL_LIST, refs + lo, hi - lo);
      t->args[1] = combv;
      t->args[2] = val_none(a);
      t->args[3] = val_none(a);
      refs[m] = val_ref(a, t);
    }
    k = m;
  }
  const char *name = arena_printf(a, "%s-agg-%s", what, tok);
  Task *t = df_task(e, name, 0, OP_df_gb_agg, 4, loc);
  t->args[0] = val_seq(a, VAL_LIST, refs, k);
  t->args[1] = combv;
  t->args[2] = val_str(a, arena_printf(a, "%s%s", final, p->fin),
                       (int)strlen(final) + (int)strlen(p->fin));
  bool series = kind == 1;
  Val *names[3] = {str_val(a, index_name), val_int(a, kind),
                   strs_val(a, p->onames, p->nout)};
  t->args[3] = val_seq(a, VAL_TUPLE, names, 3);
  DFrame *r = df_alloc(e, name, p->nout, 1, series);
  for (int i = 0; i < p->nout; i++) {
    r->cols[i] = p->onames[i] ? p->onames[i] : "";
    r->dtypes[i] = p->odt[i];
  }
  r->parts[0] = t;
  return r;
}

/* kind: 0 a DataFrame, 1 a Series, 2 a DataFrame of MultiIndex columns */
static Value *result(Eval *e, DGroupBy *g, const Plan *p, const char *what, bool sorted,
                     int kind, Loc loc) {
  const char *prefix = g->series ? "series-groupby" : "dataframe-groupby";
  DFrame *r = aca(e, g->src, arena_printf(eval_arena(e), "%s-%s", prefix, what), g->keys,
                  g->nkeys, p, sorted, g->nkeys == 1 ? g->keys[0] : NULL, kind,
                  g->sort ? "K;" : "", loc);
  r->pic = df_pic_groupby(e, g->src, g->series, g->series || g->projected, what);
  return df_value(e, r);
}

/* g.sum() and the others: Dask's _single_agg (and var's own path). */
static Value *single(Eval *e, DGroupBy *g, const char *agg, Args *a) {
  eval_args_check_kw(e, a, agg, (const char *[]){NULL});
  eval_args_count(e, a, agg, 0, 0);
  Plan p = {0};
  bool var = !strcmp(agg, "var") || !strcmp(agg, "std");
  if (!strcmp(agg, "size")) { /* rows per group: the key column will do */
    plan_add(e, &p, g->series ? g->cols[0] : NULL, "size", g->keys[0], DF_I64, false, a->loc);
    return result(e, g, &p, agg, true, 1, a->loc);
  }
  /* pandas 1.5's numeric_only: sum, mean, std, var of a DataFrameGroupBy
   * leave text columns out (min and max would compare them) */
  bool numeric = strcmp(agg, "count") && strcmp(agg, "min") && strcmp(agg, "max");
  for (int c = 0; c < g->ncols; c++)
    if (g->series || !numeric || g->dtypes[c] != DF_OBJ)
      plan_add(e, &p, g->cols[c], agg, g->cols[c], g->dtypes[c], var, a->loc);
  if (!p.nout)
    diag_error(a->loc, "groupby %s(): no numeric columns to aggregate", agg);
  return result(e, g, &p, agg, true, g->series ? 1 : 0, a->loc);
}

static const char *need_str(Eval *e, Value *v, Loc loc, const char *what) {
  if (v->kind != V_STR)
    diag_error(loc, "%s must be a str naming an aggregation, got %s", what,
               v_repr(eval_arena(e), v));
  return v->str.s;
}

/* The value column named col, or a located KeyError. */
static int value_col(const DGroupBy *g, const char *col, Loc loc) {
  for (int c = 0; c < g->ncols; c++)
    if (!strcmp(g->cols[c], col))
      return c;
  diag_error(loc, "KeyError: '%s' is not a value column of this groupby", df_name_text(col));
}

/* g.agg(arg): Dask's aggregate (the spec path, chunks unsorted). */
static Value *agg(Eval *e, DGroupBy *g, Args *a) {
  static const char *kws[] = {"arg", NULL};
  eval_args_check_kw(e, a, "agg", kws);
  eval_args_count(e, a, "agg", 0, 1);
  Value *arg = a->npos ? a->pos[0] : eval_arg_kw(a, "arg", NULL);
  Loc loc = a->npos ? a->pos_loc[0] : a->loc;
  if (!arg)
    diag_error(a->loc, "agg() needs an aggregation (named aggregations are not supported by "
               "taskc yet)");
  Plan p = {.spec = true};
  if (arg->kind == V_STR) {
    if (!strcmp(arg->str.s, "size") && !g->series) { /* Dask: self.size() */
      plan_add(e, &p, NULL, "size", g->keys[0], DF_I64, false, loc);
      return result(e, g, &p, "size", true, 1, loc);
    }
    for (int c = 0; c < g->ncols; c++)
      plan_add(e, &p, g->cols[c], arg->str.s, g->cols[c], g->dtypes[c], false, loc);
    return result(e, g, &p, "aggregate", false, g->series ? 1 : 0, loc);
  }
  if (arg->kind == V_LIST || arg->kind == V_TUPLE) {
    /* a SeriesGroupBy's columns are the names; a DataFrameGroupBy's are
     * (column, name) for every value column: MultiIndex columns */
    for (int c = 0; c < (g->series ? 1 : g->ncols); c++)
      for (int i = 0; i < arg->seq.n; i++) {
        const char *s = need_str(e, arg->seq.items[i], loc, "an agg() list item");
        const char *name = g->series ? s : arena_printf(eval_arena(e), "%s\x1f%s", g->cols[c], s);
        plan_add(e, &p, name, s, g->cols[c], g->dtypes[c], false, loc);
      }
    return result(e, g, &p, "aggregate", false, g->series ? 0 : 2, loc);
  }
  if (arg->kind == V_DICT) {
    if (g->series)
      diag_error(loc, "nested renamer is not supported (a dict given to a SeriesGroupBy's agg)");
    VDict *d = arg->dict;
    bool multi = false; /* any list: every column gets two levels */
    for (int i = 0; i < d->n; i++)
      multi |= d->vals[i]->kind == V_LIST || d->vals[i]->kind == V_TUPLE;
    for (int i = 0; i < d->n; i++) {
      const char *name = df_key_name(e, d->keys[i]);
      if (!name)
        diag_error(loc, "agg() dict keys must be column names, got %s",
                   v_repr(eval_arena(e), d->keys[i]));
      int c = value_col(g, name, loc);
      const char *col = g->cols[c];
      Value *v = d->vals[i];
      bool list = v->kind == V_LIST || v->kind == V_TUPLE;
      for (int k = 0; k < (list ? v->seq.n : 1); k++) {
        const char *s = need_str(e, list ? v->seq.items[k] : v, loc, "an agg() dict value");
        const char *name = multi ? arena_printf(eval_arena(e), "%s\x1f%s", col, s) : col;
        plan_add(e, &p, name, s, col, g->dtypes[c], false, loc);
      }
    }
    DGroupBy projected = *g;
    projected.projected = true;
    return result(e, &projected, &p, "aggregate", false, multi ? 2 : 0, loc);
  }
  diag_error(loc, "agg() takes an aggregation name, a list of them or a dict, got %s",
             v_repr(eval_arena(e), arg));
}

static DGroupBy *gb_new(Eval *e, DFrame *src, const char **keys, int nkeys, int ncols) {
  Arena *a = eval_arena(e);
  DGroupBy *g = ARENA_NEW(a, DGroupBy);
  memset(g, 0, sizeof *g);
  g->coll.ops = &df_groupby_ops;
  g->src = src;
  g->keys = keys;
  g->nkeys = nkeys;
  g->cols = ARENA_ARRAY(a, const char *, ncols + 1);
  g->dtypes = ARENA_ARRAY(a, int, ncols + 1);
  return g;
}

/* g[cols]: a SeriesGroupBy (one name) or a DataFrameGroupBy of those. */
static Value *select(Eval *e, DGroupBy *g, const char **cols, int n, bool series, Loc loc) {
  if (g->series)
    diag_error(loc, "a SeriesGroupBy has no columns to select");
  DGroupBy *s = gb_new(e, g->src, g->keys, g->nkeys, n);
  s->series = series;
  s->sort = g->sort;
  s->ncols = n;
  for (int i = 0; i < n; i++) {
    int c = value_col(g, cols[i], loc);
    s->cols[i] = g->cols[c];
    s->dtypes[i] = g->dtypes[c];
  }
  return v_coll(eval_arena(e), &s->coll);
}

static _Noreturn void unsupported(const DGroupBy *g, const char *name, Loc loc) {
  diag_error(loc, "'%s' attribute or method '%s' is not supported by taskc yet (supported: "
             "sum, mean, count, size, min, max, std, var, agg and column selection)",
             g->series ? "SeriesGroupBy" : "DataFrameGroupBy", name);
}

static Value *gb_attr(Eval *e, Value *v, const char *name, Loc loc) {
  DGroupBy *g = (DGroupBy *)v->coll;
  if (is_agg(name) || !strcmp(name, "agg") || !strcmp(name, "aggregate"))
    return v_method(eval_arena(e), v, name);
  if (!g->series)
    for (int c = 0; c < g->ncols; c++)
      if (!strcmp(g->cols[c], name))
        return select(e, g, &name, 1, true, loc);
  unsupported(g, name, loc);
}

static Value *gb_method(Eval *e, Value *v, const char *name, Args *a) {
  DGroupBy *g = (DGroupBy *)v->coll;
  if (!strcmp(name, "agg") || !strcmp(name, "aggregate"))
    return agg(e, g, a);
  if (is_agg(name))
    return single(e, g, name, a);
  unsupported(g, name, a->loc);
}

static Value *gb_getitem(Eval *e, Value *v, Node *index) {
  DGroupBy *g = (DGroupBy *)v->coll;
  Loc loc = eval_loc(e);
  Value *k = eval_expr(e, index);
  const char **cols;
  int n = df_column_names(e, k, &cols, loc);
  if (n >= 0)
    return select(e, g, cols, n, k->kind != V_LIST, loc);
  diag_error(loc, "a groupby is indexed by a column name or a list of them, got %s",
             v_repr(eval_arena(e), k));
}

static bool gb_truthy(Eval *e, Value *v, Loc loc) {
  (void)e;
  (void)v;
  diag_error(loc, "the truth value of a groupby is ambiguous");
}

static const char *gb_repr(Arena *a, const Value *v) {
  const DGroupBy *g = (const DGroupBy *)v->coll;
  return arena_printf(a, "<dask.dataframe.groupby.%s object>",
                      g->series ? "SeriesGroupBy" : "DataFrameGroupBy");
}

static const CollOps df_groupby_ops = {
    .type_name = "DataFrameGroupBy",
    .repr = gb_repr,
    .attr = gb_attr,
    .method = gb_method,
    .getitem = gb_getitem,
    .truthy = gb_truthy,
};

/* The column of f named name, or a located KeyError. */
static const char *key_col(Eval *e, DFrame *f, Value *by, Loc loc) {
  const char *name = df_key_name(e, by);
  for (int k = 0; name && k < f->ncols; k++)
    if (!strcmp(f->cols[k], name))
      return f->cols[k];
  if (by->kind != V_STR)
    diag_error(loc, "groupby() by column names is supported by taskc (got %s%s)",
               v_repr(eval_arena(e), by), by->kind == V_INT ? ": no such column" : "");
  diag_error(loc, "KeyError: '%s' (the columns are known at compile time)", by->str.s);
}

/* df.groupby(by): by a column or a list of columns (text, int64, float64
 * or bool keys); several make the result's index a MultiIndex. */
Value *df_groupby(Eval *e, DFrame *f, Args *a) {
  static const char *kws[] = {"by", "sort", NULL};
  eval_args_check_kw(e, a, "groupby", kws);
  int si = -1;
  Value *sort = eval_arg_kw(a, "sort", &si);
  if (sort && sort->kind != V_NONE && sort->kind != V_BOOL)
    diag_error(a->kw_loc[si], "groupby(sort=...) takes None, True or False");
  eval_args_count(e, a, "groupby", 0, 1);
  Value *by = a->npos ? a->pos[0] : eval_arg_kw(a, "by", NULL);
  Loc loc = a->npos ? a->pos_loc[0] : a->loc;
  if (f->series)
    diag_error(a->loc, "Series.groupby is not supported by taskc yet (group the DataFrame: "
               "df.groupby('a').b)");
  if (!by)
    diag_error(loc, "groupby() needs the columns to group by");
  if (by->kind == V_TUPLE) /* pandas: a tuple is one column's label */
    diag_error(loc, "KeyError: %s (a tuple names one column; group by several with a list)",
               v_repr(eval_arena(e), by));
  bool list = by->kind == V_LIST;
  int nkeys = list ? by->seq.n : 1;
  if (nkeys < 1 || nkeys > 16)
    diag_error(loc, "groupby() by 1 to 16 columns is supported by taskc (got %d)", nkeys);
  const char **keys = ARENA_ARRAY(eval_arena(e), const char *, nkeys + 1);
  for (int i = 0; i < nkeys; i++) {
    keys[i] = key_col(e, f, list ? by->seq.items[i] : by, loc);
    for (int j = 0; j < i; j++)
      if (keys[j] == keys[i])
        diag_error(loc, "groupby() by the column '%s' twice is not supported by taskc",
                   keys[i]);
  }
  DGroupBy *g = gb_new(e, f, keys, nkeys, f->ncols);
  g->sort = sort && sort->kind == V_BOOL && sort->b; /* None and False: as found */
  for (int c = 0; c < f->ncols; c++) {
    bool key = false;
    for (int i = 0; i < nkeys; i++)
      key |= f->cols[c] == keys[i];
    if (!key) {
      g->cols[g->ncols] = f->cols[c];
      g->dtypes[g->ncols++] = f->dtypes[c];
    }
  }
  return v_coll(eval_arena(e), &g->coll);
}

/* s.value_counts(sort=, ascending=, normalize=): Dask's aca of
 * value_counts, value_counts_combine and value_counts_aggregate (by
 * default sorted by count, descending). */
static bool flag_arg(Eval *e, Args *a, const char *name, bool dflt) {
  int i = -1;
  Value *v = eval_arg_kw(a, name, &i);
  if (!v || v->kind == V_NONE)
    return dflt;
  if (v->kind != V_BOOL)
    diag_error(a->kw_loc[i], "value_counts(%s=...) takes True or False, got %s", name,
               v_repr(eval_arena(e), v));
  return v->b;
}

Value *df_value_counts(Eval *e, DFrame *f, Args *a) {
  static const char *kws[] = {"sort", "ascending", "normalize", NULL};
  eval_args_check_kw(e, a, "value_counts", kws);
  eval_args_count(e, a, "value_counts", 0, 0);
  /* Dask passes sort to its aca (None: sorted), ascending to the chunk and
   * the aggregate, normalize to the aggregate (counts / their sum) */
  bool sort = flag_arg(e, a, "sort", true), asc = flag_arg(e, a, "ascending", false);
  bool norm = flag_arg(e, a, "normalize", false);
  if (!f->series)
    diag_error(a->loc, "DataFrame.value_counts() is not supported by taskc yet (select a "
               "column: df['a'].value_counts())");
  Plan p = {0};
  plan_add(e, &p, f->cols[0], "size", f->cols[0], DF_I64, false, a->loc);
  const char *fl = arena_printf(eval_arena(e), "V%s%s%s;", sort ? "" : "u", asc ? "a" : "",
                                norm ? "n" : "");
  DFrame *r = aca(e, f, "value-counts", (const char *[]){f->cols[0]}, 1, &p, false, NULL, 1, fl,
                  a->loc);
  if (norm)
    r->dtypes[0] = DF_F64;
  r->pic = df_pic_value_counts(e, f);
  return df_value(e, r);
}
