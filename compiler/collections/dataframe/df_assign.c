/* df_assign.c - the partition-wise methods: assign, dropna, fillna,
 * astype (one task per partition each, runtime/frame_transform.c), and
 * map_partitions(f): f's body is read over the collection itself
 * (df_mapfn.c), which is map_partitions exactly when it only uses
 * partition-wise operations (selection, operators, filters, the methods
 * above); anything that looks across partitions (reductions, len, head,
 * groupby, value_counts, compute) is a located error inside f. */
#include <string.h>

#include "df.h"

typedef struct DfState {
  int mapping; /* map_partitions calls in progress */
} DfState;

static DfState *state(Eval *e) { return eval_coll_state(e, COLL_DATAFRAME, sizeof(DfState)); }

void df_check_partitionwise(Eval *e, const char *name, Loc loc) {
  if (state(e)->mapping)
    diag_error(loc, "'%s' inside map_partitions(f) is not supported by taskc: f's body is read "
               "at compile time over the whole collection, so only partition-wise operations "
               "(columns, operators, filters, assign, dropna, fillna, astype, abs) may be used",
               name);
}

/* A copy of f's metadata under a new name, one task of op per partition
 * with the partition as the first of nargs arguments. */
static DFrame *each_part(Eval *e, DFrame *f, const char *prefix, const char *what, OpId op,
                         int nargs, int ncols, Loc loc) {
  Arena *a = eval_arena(e);
  DFrame *r = df_alloc(e, coll_token_name(e, prefix, arena_printf(a, "%s|%s", f->name, what)),
                       ncols, f->nparts, f->series);
  int n = f->ncols < ncols ? f->ncols : ncols;
  memcpy(r->cols, f->cols, sizeof *r->cols * (size_t)n);
  memcpy(r->dtypes, f->dtypes, sizeof *r->dtypes * (size_t)n);
  r->pic = df_pic_each(e, prefix, f, NULL);
  for (int p = 0; p < f->nparts; p++) {
    Task *t = df_task(e, r->name, p, op, nargs, loc);
    t->args[0] = val_ref(a, f->parts[p]);
    r->parts[p] = t;
  }
  return r;
}

static int scalar_dtype(const Value *v) {
  switch (v->kind) {
  case V_BOOL: return DF_BOOL;
  case V_INT: return DF_I64;
  case V_FLOAT: return DF_F64;
  case V_STR: return DF_OBJ;
  default: return -1;
  }
}

static Val *scalar_val(Eval *e, const Value *v) {
  Arena *a = eval_arena(e);
  switch (v->kind) {
  case V_BOOL: return val_bool(a, v->b);
  case V_INT: return val_int(a, v->i);
  case V_FLOAT: return val_float(a, v->f);
  default: return val_str(a, v->str.s, v->str.len);
  }
}

/* df.assign(name=value, ...): Dask's assign, one column after the other. */
Value *df_assign(Eval *e, DFrame *f, Args *a) {
  if (f->series)
    diag_error(a->loc, "'Series' object has no attribute 'assign'");
  eval_args_count(e, a, "assign", 0, 0);
  for (int k = 0; k < a->nkw; k++) {
    const char *name = a->kw_names[k];
    Value *v = a->kw[k];
    Loc loc = a->kw_loc[k];
    int c = 0;
    while (c < f->ncols && strcmp(f->cols[c], name))
      c++;
    int dt;
    if (df_is(v)) {
      DFrame *s = (DFrame *)v->coll;
      if (!s->series)
        diag_error(loc, "assign(%s=...) takes a Series or a scalar, not a DataFrame", name);
      if (s->nparts != f->nparts)
        diag_error(loc, "assign(%s=...): the Series has %d partitions, the frame %d; taskc "
                   "assigns Series of the same frame only", name, s->nparts, f->nparts);
      dt = s->dtypes[0];
    } else if ((dt = scalar_dtype(v)) < 0) {
      diag_error(loc, "assign(%s=...) takes a Series or a scalar (int, float, bool, str), got "
                 "%s (callables are not supported by taskc yet)", name, v_type_name(v));
    }
    DFrame *r = each_part(e, f, "assign", name, OP_df_assign, 3, c < f->ncols ? f->ncols : c + 1,
                          loc);
    r->cols[c] = name;
    r->dtypes[c] = dt;
    r->pic = df_pic_assign(e, f, v);
    Val *nv = val_str(eval_arena(e), name, (int)strlen(name));
    for (int p = 0; p < f->nparts; p++) {
      r->parts[p]->args[1] = nv;
      r->parts[p]->args[2] = df_is(v) ? val_ref(eval_arena(e), ((DFrame *)v->coll)->parts[p])
                                      : scalar_val(e, v);
    }
    f = r;
  }
  return df_value(e, f);
}

static int col_index(const DFrame *f, const char *name) {
  for (int c = 0; c < f->ncols; c++)
    if (!strcmp(f->cols[c], name))
      return c;
  return -1;
}

/* dropna(how='any', subset=None) */
Value *df_dropna(Eval *e, DFrame *f, Args *a) {
  static const char *kws[] = {"how", "subset", NULL};
  eval_args_check_kw(e, a, "dropna", kws);
  eval_args_count(e, a, "dropna", 0, 0);
  int si = -1;
  Value *sub = eval_arg_kw(a, "subset", &si);
  Arena *ar = eval_arena(e);
  Val *subv = val_none(ar);
  if (sub && sub->kind != V_NONE) {
    Loc loc = a->kw_loc[si];
    if (f->series)
      diag_error(loc, "Series.dropna() takes no subset");
    Value *one[1] = {sub};
    Value **items = sub->kind == V_STR ? one : sub->seq.items;
    bool seq = sub->kind == V_LIST || sub->kind == V_TUPLE;
    int n = sub->kind == V_STR ? 1 : seq ? sub->seq.n : -1;
    if (n < 0)
      diag_error(loc, "dropna(subset=...) takes a column name or a list of them");
    Val **names = ARENA_ARRAY(ar, Val *, n + 1);
    for (int i = 0; i < n; i++) {
      if (items[i]->kind != V_STR || col_index(f, items[i]->str.s) < 0)
        diag_error(loc, "KeyError: [%s] (dropna's subset must name columns of the frame)",
                   v_repr(ar, items[i]));
      names[i] = val_str(ar, items[i]->str.s, items[i]->str.len);
    }
    subv = val_seq(ar, VAL_TUPLE, names, n);
  }
  int hi = -1;
  Value *how = eval_arg_kw(a, "how", &hi);
  if (how && f->series) /* Dask's Series.dropna has no how */
    diag_error(a->kw_loc[hi], "Series.dropna() got an unexpected keyword argument 'how'");
  if (how && (how->kind != V_STR || (strcmp(how->str.s, "any") && strcmp(how->str.s, "all"))))
    diag_error(a->kw_loc[hi], "invalid how option: %s", v_repr(ar, how));
  bool all = how && !strcmp(how->str.s, "all");
  DFrame *r = each_part(e, f, "dropna",
                        arena_printf(ar, "%s|%d", v_repr(ar, sub ? sub : v_none()), all),
                        OP_df_dropna, 3, f->ncols, a->loc);
  for (int p = 0; p < f->nparts; p++) {
    r->parts[p]->args[1] = subv;
    r->parts[p]->args[2] = val_int(ar, all);
  }
  return df_value(e, r);
}

/* fillna(value): a number fills float columns, a str text columns; a
 * dict {column: value} fills those columns only. */
Value *df_fillna(Eval *e, DFrame *f, Args *a) {
  static const char *kws[] = {"value", NULL};
  eval_args_check_kw(e, a, "fillna", kws);
  eval_args_count(e, a, "fillna", 0, 1);
  Value *v = a->npos ? a->pos[0] : eval_arg_kw(a, "value", NULL);
  Loc loc = a->npos ? a->pos_loc[0] : a->loc;
  Arena *ar = eval_arena(e);
  bool dict = v && v->kind == V_DICT && !f->series;
  if (!v || (!dict && v->kind != V_INT && v->kind != V_FLOAT && v->kind != V_STR))
    diag_error(loc, "fillna() takes an int, a float, a str or a dict of them by column "
               "(methods and bools are not supported by taskc yet)");
  Val *fill = dict ? NULL : scalar_val(e, v);
  if (dict) { /* a value per column, None where the dict has none */
    Val **items = ARENA_ARRAY(ar, Val *, f->ncols + 1);
    for (int c = 0; c < f->ncols; c++)
      items[c] = val_none(ar);
    for (int i = 0; i < v->dict->n; i++) {
      Value *k = v->dict->keys[i], *x = v->dict->vals[i];
      int c = k->kind == V_STR ? col_index(f, k->str.s) : -1;
      if (c < 0)
        continue; /* pandas ignores keys that are no column */
      if (x->kind != V_INT && x->kind != V_FLOAT && x->kind != V_STR)
        diag_error(loc, "fillna({%s: %s}): the values must be int, float or str",
                   v_repr(ar, k), v_repr(ar, x));
      items[c] = scalar_val(e, x);
    }
    fill = val_seq(ar, VAL_TUPLE, items, f->ncols);
  }
  /* a value of the other kind fails at run time if it has to fill a column */
  DFrame *r = each_part(e, f, "fillna", v_repr(ar, v), OP_df_fillna, 2, f->ncols, a->loc);
  for (int p = 0; p < f->nparts; p++)
    r->parts[p]->args[1] = fill;
  return df_value(e, r);
}

/* A dtype given to astype: a name or the builtin float, int, bool, str. */
static int dtype_of(Eval *e, Value *v, Loc loc) {
  const char *s = v->kind == V_STR ? v->str.s : v->kind == V_BUILTIN ? v->bi.name : NULL;
  static const struct { const char *name; int dt; } names[] = {
      {"float64", DF_F64}, {"float", DF_F64}, {"f8", DF_F64}, {"int64", DF_I64},
      {"int", DF_I64},     {"i8", DF_I64},    {"bool", DF_BOOL}, {"str", DF_OBJ},
  };
  for (size_t i = 0; s && i < sizeof names / sizeof *names; i++)
    if (!strcmp(s, names[i].name))
      return names[i].dt;
  diag_error(loc, "astype(%s) is not supported by taskc yet (float64, int64, bool and str are)",
             v_repr(eval_arena(e), v));
}

Value *df_astype(Eval *e, DFrame *f, Args *a) {
  static const char *kws[] = {"dtype", NULL};
  eval_args_check_kw(e, a, "astype", kws);
  eval_args_count(e, a, "astype", 0, 1);
  Value *v = a->npos ? a->pos[0] : eval_arg_kw(a, "dtype", NULL);
  Loc loc = a->npos ? a->pos_loc[0] : a->loc;
  if (!v)
    diag_error(a->loc, "astype() needs a dtype");
  Arena *ar = eval_arena(e);
  int *to = ARENA_ARRAY(ar, int, f->ncols + 1);
  for (int c = 0; c < f->ncols; c++)
    to[c] = v->kind == V_DICT ? -1 : dtype_of(e, v, loc);
  if (v->kind == V_DICT)
    for (int i = 0; i < v->dict->n; i++) {
      Value *k = v->dict->keys[i];
      int c = k->kind == V_STR ? col_index(f, k->str.s) : -1;
      if (c < 0)
        diag_error(loc, "KeyError: Only a column name can be used for the key in a dtype "
                   "mappings argument. %s not found in columns.", v_repr(ar, k));
      to[c] = dtype_of(e, v->dict->vals[i], loc);
    }
  DFrame *r = each_part(e, f, "astype", v_repr(ar, v), OP_df_astype, 2, f->ncols, a->loc);
  Val **items = ARENA_ARRAY(ar, Val *, f->ncols + 1);
  for (int c = 0; c < f->ncols; c++) {
    items[c] = val_int(ar, to[c]);
    if (to[c] >= 0)
      r->dtypes[c] = to[c];
  }
  Val *dts = val_seq(ar, VAL_TUPLE, items, f->ncols);
  for (int p = 0; p < f->nparts; p++)
    r->parts[p]->args[1] = dts;
  return df_value(e, r);
}

/* map_partitions(f, *args, meta=...): f's body read over the collection
 * (df_mapfn.c) with only partition-wise operations allowed; meta is not
 * needed (the result's dtypes are known). */
Value *df_map_partitions(Eval *e, Value *self, DFrame *f, Args *a) {
  static const char *kws[] = {"meta", NULL};
  eval_args_check_kw(e, a, "map_partitions", kws);
  if (a->npos < 1)
    diag_error(a->loc, "map_partitions() needs a function");
  Value *fn = a->pos[0];
  if (fn->kind != V_FUNC && fn->kind != V_LAMBDA)
    diag_error(a->pos_loc[0], "map_partitions(f): f must be a def or a lambda of the program, "
               "got %s", v_type_name(fn));
  Value **pos = ARENA_ARRAY(eval_arena(e), Value *, a->npos + 1);
  pos[0] = self;
  for (int i = 1; i < a->npos; i++)
    pos[i] = a->pos[i];
  DfState *st = state(e);
  st->mapping++;
  Value *r = df_apply_def(e, fn, pos, a->npos, a->loc);
  st->mapping--;
  if (!df_is(r) || ((DFrame *)r->coll)->nparts != f->nparts)
    diag_error(a->loc, "map_partitions(f): taskc needs f to return a DataFrame or Series made "
               "from its partition (got %s)",
               df_is(r) ? "another collection" : v_type_name(r));
  /* Dask draws one layer named after f, not what f's body does */
  DFrame *c = ARENA_NEW(eval_arena(e), DFrame);
  *c = *(DFrame *)r->coll;
  c->pic = df_pic_map_partitions(e, fn, pos, a->npos);
  return df_value(e, c);
}
