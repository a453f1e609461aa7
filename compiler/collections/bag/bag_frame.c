/* bag_frame.c - b.to_dataframe(columns=): a bag of records as a
 * dask.dataframe, as Dask 2022.12 makes it.
 *
 * Dask computes the bag's first element (take(1) of partition 0) to make
 * the frame's metadata: pd.DataFrame([first], columns=columns) gives the
 * columns (the record's keys in order, or `columns`) and their dtypes
 * (int64, float64, bool, object for a str). Each partition is then
 * pd.DataFrame(partition, columns=cols).astype(dtypes), keyed
 * ('to_dataframe-<token>', i), its index from 0. taskc knows the first
 * element at compile time where Dask's graph holds it as data: a bag made
 * by from_sequence, and records read by read_text(...).map(json.loads),
 * whose first line is read now (bag_json.c); elsewhere it is a taskc
 * limit. The partitions are tasks of the op df.from_records
 * (runtime/frame_records.c), handed to the dataframe collection
 * (coll_dataframe). Columns hold numbers, bools and strs: other values
 * (None, lists, dicts), which pandas keeps as Python objects, are a
 * taskc limit. */
#include <string.h>

#include "bag.h"

/* The dtype of a column of values of type t (DF_* of the dataframe
 * collection, as pandas infers it from one row), -1 for none. */
static int dtype_of(Type *t) {
  switch (t->kind) {
  case TY_INT: return COLL_DF_I64;
  case TY_FLOAT: return COLL_DF_F64;
  case TY_BOOL: return COLL_DF_BOOL;
  case TY_STR: return COLL_DF_OBJ;
  default: return -1;
  }
}

/* The first element's keys and value types, from partition 0's data. */
static bool first_of_data(Eval *e, Bag *b, BagFirst *f, Loc loc) {
  Task *t = b->chain ? NULL : b->parts[0];
  if (!t || t->kind != TASK_DATA || t->nargs != 1 || t->args[0]->kind != VAL_LIST)
    return false;
  const Val *part = t->args[0];
  if (part->seq.n == 0)
    diag_error(loc, "ValueError: `dask.bag.Bag.to_dataframe` failed to properly infer "
               "metadata, please pass in metadata via the `meta` keyword");
  const Val *r = part->seq.items[0];
  if (r->kind != VAL_DICT)
    diag_error(loc, "taskc limit: to_dataframe() of a bag of records (dicts); its first "
               "element is %s", val_repr(eval_arena(e), r));
  f->n = r->seq.n / 2;
  f->names = ARENA_ARRAY(eval_arena(e), const char *, f->n + 1);
  f->types = ARENA_ARRAY(eval_arena(e), Type *, f->n + 1);
  for (int i = 0; i < f->n; i++) {
    const Val *k = r->seq.items[2 * i];
    if (k->kind != VAL_STR)
      diag_error(loc, "taskc limit: to_dataframe() of records whose keys are strs");
    f->names[i] = k->str.s;
    Type *vt = val_type(r->seq.items[2 * i + 1]);
    f->types[i] = vt ? vt : ty_any;
  }
  return true;
}

/* columns=: a list of strs, each a key of the first record here */
static void select_columns(Eval *e, BagFirst *f, Value *cols, Loc loc) {
  int n;
  Value **items = eval_iterate(e, cols, loc, &n);
  BagFirst s = {n, ARENA_ARRAY(eval_arena(e), const char *, n + 1),
                ARENA_ARRAY(eval_arena(e), Type *, n + 1)};
  for (int i = 0; i < n; i++) {
    if (items[i]->kind != V_STR)
      diag_error(loc, "taskc limit: to_dataframe(columns=) takes strs");
    s.names[i] = items[i]->str.s;
    s.types[i] = NULL;
    for (int j = 0; j < f->n; j++)
      if (!strcmp(f->names[j], s.names[i]))
        s.types[i] = f->types[j];
    if (!s.types[i])
      diag_error(loc, "taskc limit: to_dataframe(columns=) names '%s', which the first "
                 "record lacks (pandas would make it a column of NaN objects)", s.names[i]);
  }
  *f = s;
}

Value *bag_to_dataframe(Eval *e, Bag *b, Args *a) {
  static const char *kws[] = {"meta", "columns", "optimize_graph", NULL};
  eval_args_check_kw(e, a, "to_dataframe", kws);
  eval_args_count(e, a, "to_dataframe", 0, 0);
  Arena *ar = eval_arena(e);
  int at;
  if (eval_arg_kw(a, "meta", &at))
    diag_error(a->kw_loc[at], "taskc limit: to_dataframe(meta=) is not supported (taskc "
               "takes the metadata from the first record, as Dask does without meta)");
  BagFirst f = {0};
  if (b->json_first.names && !b->chain)
    f = b->json_first;
  else if (!first_of_data(e, b, &f, a->loc))
    diag_error(a->loc, "taskc limit: to_dataframe() needs the bag's first element at "
               "compile time (Dask computes it for the frame's metadata): a bag from "
               "from_sequence or read_text(...).map(json.loads), before any map or filter");
  Value *cols = eval_arg_kw(a, "columns", &at);
  if (cols && cols->kind != V_NONE)
    select_columns(e, &f, cols, a->kw_loc[at]);
  int *dtypes = ARENA_ARRAY(ar, int, f.n + 1);
  Value **names = ARENA_ARRAY(ar, Value *, f.n + 1), **codes = ARENA_ARRAY(ar, Value *, f.n + 1);
  for (int i = 0; i < f.n; i++) {
    dtypes[i] = dtype_of(f.types[i]);
    if (dtypes[i] < 0)
      diag_error(a->loc, "taskc limit: to_dataframe() columns hold ints, floats, bools and "
                 "strs; '%s' holds %s in the first record", f.names[i], ty_name(f.types[i]));
    names[i] = v_str(ar, f.names[i], (int)strlen(f.names[i]));
    codes[i] = eval_mk_int(e, dtypes[i]);
  }
  const char *what = "";
  for (int i = 0; i < f.n; i++)
    what = arena_printf(ar, "%s|%s:%d", what, f.names[i], dtypes[i]);
  const char *name = bag_name(e, "to_dataframe", b, what);
  Task **parts = ARENA_ARRAY(ar, Task *, b->nparts + 1);
  Value *args[3] = {NULL, eval_mk_tuple(e, names, f.n), eval_mk_tuple(e, codes, f.n)};
  for (int i = 0; i < b->nparts; i++) {
    args[0] = bag_part(e, b, i);
    parts[i] = eval_op_task(e, "df.from_records", bag_key(e, name, i), args, 3, a->loc);
  }
  return coll_dataframe(e, name, f.n, f.names, dtypes, b->nparts, parts);
}
