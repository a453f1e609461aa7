/* df_ops.c - what the evaluator calls for dataframes: their ops table
 * (attributes, methods, indexing, the whole-value task) and the functions
 * of the dask.dataframe module. */
#include <string.h>

#include "df.h"

static const char *supported =
    "supported: head, describe, compute, persist, visualize, columns, dtypes, "
    "npartitions, df['a'], df.a, df[['a', 'b']], df[mask], len(df), Series sum, "
    "mean, min, max, count, abs, value_counts, groupby, assign, dropna, fillna, astype, map_partitions, + - * / & | ~ "
    "and comparisons";

static _Noreturn void unsupported(const DFrame *f, const char *name, Loc loc) {
  diag_error(loc, "'%s' attribute or method '%s' is not supported by taskc yet (%s)",
             f->series ? "Series" : "DataFrame", name, supported);
}

static Value *str_list(Eval *e, const char *const *s, int n) {
  Value **items = ARENA_ARRAY(eval_arena(e), Value *, n + 1);
  for (int i = 0; i < n; i++)
    items[i] = v_cstr(eval_arena(e), s[i]);
  return eval_mk_list(e, items, n);
}

static Value *select_columns(Eval *e, DFrame *f, const char **cols, int n, bool series,
                             Loc loc);

static Value *df_attr(Eval *e, Value *v, const char *name, Loc loc) {
  DFrame *f = (DFrame *)v->coll;
  Arena *a = eval_arena(e);
  if (f->dt_accessor)
    return df_dt_attr(e, f, name, loc);
  if (!strcmp(name, "dt") && f->series)
    return df_dt_accessor(e, f, loc);
  if (!strcmp(name, "npartitions"))
    return eval_mk_int(e, f->nparts);
  if (!strcmp(name, "columns") && !f->series)
    return str_list(e, f->cols, f->ncols);
  if (!strcmp(name, "name") && f->series)
    return v_cstr(a, f->cols[0]);
  if (!strcmp(name, "dtype") && f->series)
    return v_cstr(a, df_dtype_name(f->dtypes[0]));
  if (!strcmp(name, "dtypes") && !f->series) {
    const char **d = ARENA_ARRAY(a, const char *, f->ncols + 1);
    for (int c = 0; c < f->ncols; c++)
      d[c] = df_dtype_name(f->dtypes[c]);
    return str_list(e, d, f->ncols);
  }
  static const char *methods[] = {"compute",  "persist", "head",         "describe",
                                  "visualize", "groupby", "value_counts", "assign",
                                  "dropna",    "fillna",  "astype",       "map_partitions",
                                  "to_csv",    NULL};
  for (int i = 0; methods[i]; i++)
    if (!strcmp(name, methods[i]))
      return v_method(a, v, methods[i]);
  if (df_is_reduction(name) || !strcmp(name, "abs"))
    return v_method(a, v, arena_printf(a, "%s", name));
  for (int c = 0; c < f->ncols && !f->series; c++)
    if (!strcmp(f->cols[c], name))
      return select_columns(e, f, &name, 1, true, loc);
  unsupported(f, name, loc);
}

/* head(n=5): the first n rows of the first partition (Dask's default
 * npartitions=1), computed at once: an output, as Dask computes it. */
static Value *head(Eval *e, Value *v, DFrame *f, Args *a) {
  static const char *kws[] = {"n", NULL};
  eval_args_check_kw(e, a, "head", kws);
  eval_args_count(e, a, "head", 0, 1);
  Value *nv = a->npos ? a->pos[0] : eval_arg_kw(a, "n", NULL);
  int64_t n = nv ? eval_need_int(e, nv, a->loc, "head(n)") : 5;
  (void)v;
  if (!f->nparts)
    diag_error(a->loc, "head() of a dataframe without partitions");
  const char *name = arena_printf(eval_arena(e), "head-1-%lld-%s", (long long)n, f->name);
  Task *t = df_task(e, name, 0, OP_df_head, 2, a->loc);
  t->args[0] = val_ref(eval_arena(e), df_csv_head(e, f->parts[0], n));
  t->args[1] = val_int(eval_arena(e), n);
  DFrame *h = df_alloc(e, name, f->ncols, 1, f->series);
  memcpy(h->cols, f->cols, sizeof *h->cols * (size_t)f->ncols);
  memcpy(h->dtypes, f->dtypes, sizeof *h->dtypes * (size_t)f->ncols);
  h->parts[0] = t;
  if (f->pic) {
    h->pic = pic_layer(e, "head", 1, false);
    pic_dep(e, h->pic, f->pic, PIC_FIRST, 0);
  }
  return eval_compute(e, df_value(e, h), eval_args_new(e, a->loc, 0, NULL), false);
}

static bool partitionwise(const char *name) {
  static const char *names[] = {"assign", "dropna", "fillna", "astype", "map_partitions",
                                "abs", "__abs__", NULL};
  for (int i = 0; names[i]; i++)
    if (!strcmp(name, names[i]))
      return true;
  return false;
}

static Value *df_method(Eval *e, Value *v, const char *name, Args *a) {
  DFrame *f = (DFrame *)v->coll;
  if (!partitionwise(name))
    df_check_partitionwise(e, name, a->loc);
  if (!strcmp(name, "assign"))
    return df_assign(e, f, a);
  if (!strcmp(name, "dropna"))
    return df_dropna(e, f, a);
  if (!strcmp(name, "fillna"))
    return df_fillna(e, f, a);
  if (!strcmp(name, "astype"))
    return df_astype(e, f, a);
  if (!strcmp(name, "map_partitions"))
    return df_map_partitions(e, v, f, a);
  if (!strcmp(name, "compute") || !strcmp(name, "persist"))
    return eval_compute(e, v, a, !strcmp(name, "persist"));
  if (!strcmp(name, "visualize"))
    return eval_visualize(e, v, a);
  if (!strcmp(name, "head"))
    return head(e, v, f, a);
  if (!strcmp(name, "describe"))
    return df_describe(e, f, a);
  if (!strcmp(name, "groupby"))
    return df_groupby(e, f, a);
  if (!strcmp(name, "value_counts"))
    return df_value_counts(e, f, a);
  if (!strcmp(name, "to_csv"))
    return df_to_csv(e, f, a);
  if (df_is_reduction(name))
    return df_reduce(e, f, name, a);
  if (!strcmp(name, "__len__"))
    return df_len(e, v, f, a);
  if (!strcmp(name, "__abs__") || !strcmp(name, "abs")) {
    eval_args_count(e, a, "abs", 0, 0);
    return df_unop(e, OP_NONE, v, a->loc);
  }
  unsupported(f, name, a->loc);
}

/* df['a'] (a Series) or df[['a', 'b']], partition by partition. */
static Value *select_columns(Eval *e, DFrame *f, const char **cols, int n, bool series,
                             Loc loc) {
  Arena *ar = eval_arena(e);
  DFrame *s = NULL;
  const char *what = f->name;
  for (int k = 0; k < n; k++)
    what = arena_printf(ar, "%s|%s", what, cols[k]);
  s = df_alloc(e, coll_token_name(e, "getitem", what), n, f->nparts, series);
  s->pic = df_pic_each(e, "getitem", f, NULL);
  for (int k = 0; k < n; k++) {
    int c = 0;
    while (c < f->ncols && strcmp(f->cols[c], cols[k]))
      c++;
    if (c == f->ncols)
      diag_error(loc, "KeyError: %s%s%s (the columns are known at compile time)",
                 df_name_text(cols[k]) == cols[k] ? "'" : "", df_name_text(cols[k]),
                 df_name_text(cols[k]) == cols[k] ? "'" : "");
    s->cols[k] = f->cols[c];
    s->dtypes[k] = f->dtypes[c];
  }
  Val *key = series ? val_str(ar, cols[0], (int)strlen(cols[0])) : df_names_val(e, cols, n);
  for (int p = 0; p < f->nparts; p++) {
    Task *t = df_task(e, s->name, p, OP_df_getitem, 2, loc);
    t->args[0] = val_ref(ar, df_csv_project(e, f->parts[p], cols, n));
    t->args[1] = key;
    s->parts[p] = t;
  }
  return df_value(e, s);
}

static Value *df_getitem(Eval *e, Value *v, Node *index) {
  Loc loc = eval_loc(e);
  return df_index(e, v, eval_expr(e, index), loc);
}

Value *df_index(Eval *e, Value *v, Value *k, Loc loc) {
  DFrame *f = (DFrame *)v->coll;
  if (df_is(k))
    return df_filter(e, f, (DFrame *)k->coll, loc);
  if (f->series)
    diag_error(loc, "indexing a Series other than by a bool Series is not supported by taskc "
               "yet");
  const char **cols;
  int n = df_column_names(e, k, &cols, loc);
  if (n >= 0)
    return select_columns(e, f, cols, n, k->kind != V_LIST, loc);
  diag_error(loc, "dataframe index %s is not supported by taskc yet (a column name, a list "
             "of them or a bool Series is)", v_repr(eval_arena(e), k));
}

static bool df_truthy(Eval *e, Value *v, Loc loc) {
  (void)e;
  diag_error(loc, "the truth value of a %s is ambiguous",
             ((DFrame *)v->coll)->series ? "Series" : "DataFrame");
}

static const char *df_repr(Arena *a, const Value *v) {
  const DFrame *f = (const DFrame *)v->coll;
  return arena_printf(a, "Dask %s Structure: %s, npartitions=%d",
                      f->series ? "Series" : "DataFrame", f->name, f->nparts);
}

/* The whole value: the only partition, or Dask's finalize, pd.concat of
 * all of them (each keeps its index: read_csv's restart at 0). */
static Task *df_whole(Eval *e, Value *v, Loc loc) {
  DFrame *f = (DFrame *)v->coll;
  if (f->nparts == 1)
    return f->parts[0];
  if (f->whole)
    return f->whole;
  Arena *a = eval_arena(e);
  Val **refs = ARENA_ARRAY(a, Val *, f->nparts + 1);
  for (int p = 0; p < f->nparts; p++)
    refs[p] = val_ref(a, f->parts[p]);
  Task *t = df_task(e, coll_token_name(e, "finalize", f->name), 0, OP_df_concat, 1, loc);
  t->args[0] = val_seq(a, VAL_LIST, refs, f->nparts);
  f->whole = t;
  return t;
}

const CollOps df_ops = {
    .type_name = "DataFrame",
    .repr = df_repr,
    .attr = df_attr,
    .method = df_method,
    .binop = df_binop,
    .compare = df_binop,
    .unop = df_unop,
    .getitem = df_getitem,
    .truthy = df_truthy,
    .task = df_whole,
    .roots = df_roots,
    .picture = df_picture,
};

Value *dataframe_module_attr(Eval *e, const char *m, const char *name, Loc loc) {
  (void)loc;
  if (strcmp(m, "dask.dataframe"))
    return NULL;
  if (!strcmp(name, "read_csv"))
    return v_builtin(eval_arena(e), "dask.dataframe.read_csv", df_read_csv_fn);
  return NULL;
}
