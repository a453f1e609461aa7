/* df.c - dataframe values: allocation, keys and partition tasks. */
#include <string.h>

#include "df.h"

DFrame *df_alloc(Eval *e, const char *name, int ncols, int nparts, bool series) {
  Arena *a = eval_arena(e);
  DFrame *f = ARENA_NEW(a, DFrame);
  memset(f, 0, sizeof *f);
  f->coll.ops = &df_ops;
  f->name = name;
  f->ncols = ncols;
  f->cols = ARENA_ARRAY(a, const char *, ncols + 1);
  f->dtypes = ARENA_ARRAY(a, int, ncols + 1);
  f->series = series;
  f->nparts = nparts;
  f->parts = ARENA_ARRAY(a, Task *, nparts + 1);
  eval_step(e, eval_loc(e), nparts); /* partitions are work: the step limit */
  return f;
}

Value *df_value(Eval *e, DFrame *f) { return v_coll(eval_arena(e), &f->coll); }

_Static_assert((int)DF_F64 == (int)COLL_DF_F64 && (int)DF_I64 == (int)COLL_DF_I64 &&
                   (int)DF_BOOL == (int)COLL_DF_BOOL && (int)DF_OBJ == (int)COLL_DF_OBJ,
               "dtype codes differ");

Value *coll_dataframe(Eval *e, const char *name, int ncols, const char **names,
                      const int *dtypes, int nparts, Task **parts) {
  DFrame *f = df_alloc(e, name, ncols, nparts, false);
  memcpy(f->cols, names, sizeof *names * (size_t)ncols);
  memcpy(f->dtypes, dtypes, sizeof *dtypes * (size_t)ncols);
  memcpy(f->parts, parts, sizeof *parts * (size_t)nparts);
  return df_value(e, f);
}

const char *df_dtype_name(int dtype) {
  static const char *names[] = {"float64", "int64", "bool", "object", "datetime64[ns]"};
  return names[dtype];
}

Task *df_task(Eval *e, const char *name, int i, OpId op, int nargs, Loc loc) {
  Arena *a = eval_arena(e);
  Val *key[2] = {val_str(a, name, (int)strlen(name)), val_int(a, i)};
  Task *t = eval_new_task(e, TASK_CALL, val_seq(a, VAL_TUPLE, key, 2), NULL, loc);
  t->op = op_get(op);
  t->nargs = nargs;
  t->args = ARENA_ARRAY(a, Val *, nargs);
  t->type = ty_any;
  return t;
}

Val *df_names_val(Eval *e, const char *const *names, int n) {
  Arena *a = eval_arena(e);
  Val **items = ARENA_ARRAY(a, Val *, n + 1);
  for (int i = 0; i < n; i++)
    items[i] = val_str(a, names[i], (int)strlen(names[i]));
  return val_seq(a, VAL_TUPLE, items, n);
}

const char *df_key_name(Eval *e, Value *k) {
  if (k->kind == V_STR)
    return k->str.s;
  if (k->kind == V_INT) /* header=None's labels: runtime/frame.h's mark */
    return arena_printf(eval_arena(e), "\x1e%lld", (long long)k->i);
  return NULL;
}

const char *df_name_text(const char *name) {
  return name + (name[0] == '\x1e' && name[1]);
}

int df_column_names(Eval *e, Value *k, const char ***cols, Loc loc) {
  if (k->kind == V_STR || k->kind == V_INT) {
    *cols = ARENA_ARRAY(eval_arena(e), const char *, 1);
    (*cols)[0] = df_key_name(e, k);
    return 1;
  }
  if (k->kind != V_LIST)
    return -1;
  *cols = ARENA_ARRAY(eval_arena(e), const char *, k->seq.n + 1);
  for (int i = 0; i < k->seq.n; i++) {
    (*cols)[i] = df_key_name(e, k->seq.items[i]);
    if (!(*cols)[i])
      diag_error(loc, "column names must be str (or int, as header=None names them), got %s",
                 v_type_name(k->seq.items[i]));
  }
  return k->seq.n;
}
