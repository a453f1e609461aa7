/* df.h - dask.dataframe at compile time (docs/dataframes.md).
 *
 * A dataframe value is a DFrame: Dask's metadata (column names and dtypes,
 * whether it is a Series) and its partition tasks, keyed as Dask keys them:
 * ('read-csv-<token>', i). The partitions are TR_FRAME values at run time,
 * made and read by the df.* ops of ir/ops.def (runtime/frame*.c).
 * Not a public header: the evaluator reaches dataframes through their ops
 * table (df_ops) and the registry's row for dask.dataframe. */
#ifndef TASKC_DF_H
#define TASKC_DF_H

#include "../builder.h"
#include "../coll_picture.h"
#include "../collections.h"

/* Column dtypes, as the runtime's TR_COL_* (taskrt.h). */
enum { DF_F64 = 0, DF_I64 = 1, DF_BOOL = 2, DF_OBJ = 3, DF_DT = 4 };

typedef struct DFrame {
  Coll coll;           /* ops: df_ops */
  const char *name;    /* 'read-csv-<token>': the first item of the keys */
  int ncols;
  const char **cols;   /* names */
  int *dtypes;         /* DF_* */
  bool series;         /* a Series: one column, named cols[0] */
  int nparts;
  Task **parts;
  Task *whole;         /* the partitions concatenated, once asked for */
  bool dt_accessor;    /* s.dt of a datetime Series: only its fields may follow */
  PicLayer *pic;       /* Dask's last layer of it, for pictures (df_picture.c);
                          NULL: not known */
} DFrame;

extern const CollOps df_ops;
CollModuleAttr dataframe_module_attr; /* dask.dataframe */

static inline bool df_is(const Value *v) {
  return v->kind == V_COLL && v->coll->ops == &df_ops;
}

/* df.c */
DFrame *df_alloc(Eval *e, const char *name, int ncols, int nparts, bool series);
Value *df_value(Eval *e, DFrame *f);
const char *df_dtype_name(int dtype);
/* A task of op with key (name, i) and nargs arguments for the caller. */
Task *df_task(Eval *e, const char *name, int i, OpId op, int nargs, Loc loc);
Val *df_names_val(Eval *e, const char *const *names, int n);
/* A column's name from a key: a str, or an int (read_csv(header=None)'s
 * labels, marked as runtime/frame.h says); NULL for anything else. */
const char *df_key_name(Eval *e, Value *k);
const char *df_name_text(const char *name); /* as the user wrote it */
/* The column names of an index k: a str or int (one), a list of them, or
 * -1 for anything else (the caller's error). */
int df_column_names(Eval *e, Value *k, const char ***cols, Loc loc);

/* df_ops.c: v[k] for an evaluated k (a column name, a list of them, a
 * bool Series) */
Value *df_index(Eval *e, Value *v, Value *k, Loc loc);

/* df_csv.c: dd.read_csv; a read task projected on the columns COLS (any
 * other task unchanged) */
Value *df_read_csv_fn(Eval *e, Args *a);
Task *df_csv_project(Eval *e, Task *t, const char *const *cols, int n);
Task *df_csv_head(Eval *e, Task *t, int64_t n); /* may stop after n rows */

/* df_elemwise.c: operators (NULL: not for dataframes), df[mask] */
Value *df_binop(Eval *e, OpCode op, Value *x, Value *y, Loc loc);
Value *df_unop(Eval *e, OpCode op, Value *x, Loc loc); /* OP_NONE: abs */
Value *df_filter(Eval *e, DFrame *f, DFrame *mask, Loc loc);

/* df_reduce.c: Series reductions (lazy scalars) and len(df) (at once) */
bool df_is_reduction(const char *name);
Value *df_reduce(Eval *e, DFrame *f, const char *name, Args *a);
Value *df_len(Eval *e, Value *v, DFrame *f, Args *a);

/* df_groupby.c: df.groupby(col) and Series.value_counts() */
Value *df_groupby(Eval *e, DFrame *f, Args *a);
Value *df_value_counts(Eval *e, DFrame *f, Args *a);

/* df_assign.c: partition-wise methods and map_partitions(f); the check
 * that fails an operation across partitions inside f */
Value *df_assign(Eval *e, DFrame *f, Args *a);
Value *df_dropna(Eval *e, DFrame *f, Args *a);
Value *df_fillna(Eval *e, DFrame *f, Args *a);
Value *df_astype(Eval *e, DFrame *f, Args *a);
Value *df_map_partitions(Eval *e, Value *self, DFrame *f, Args *a);
void df_check_partitionwise(Eval *e, const char *name, Loc loc);
/* df_mapfn.c: fn (a def or lambda) applied to pos[0..npos) by reading its
 * body over the collection */
Value *df_apply_def(Eval *e, Value *fn, Value **pos, int npos, Loc loc);

/* df_dates.c: s.dt and s.dt.<field> */
Value *df_dt_accessor(Eval *e, DFrame *f, Loc loc);
Value *df_dt_attr(Eval *e, DFrame *f, const char *name, Loc loc);

/* df_write.c: df.to_csv(...), computed at once */
Value *df_to_csv(Eval *e, DFrame *f, Args *a);

/* df_picture.c: Dask's layers of the operations (coll_picture.h); NULL
 * when an input's are not known. */
PicLayer *df_pic_each(Eval *e, const char *prefix, const DFrame *x, const DFrame *y);
PicLayer *df_pic_reduce(Eval *e, const DFrame *f, const char *name);
PicLayer *df_pic_value_counts(Eval *e, const DFrame *f);
PicLayer *df_pic_groupby(Eval *e, const DFrame *src, bool series, bool project,
                         const char *what);
PicLayer *df_pic_describe(Eval *e, const DFrame *f, int ncols);
PicLayer *df_pic_assign(Eval *e, const DFrame *f, Value *v);
PicLayer *df_pic_map_partitions(Eval *e, Value *fn, Value **args, int nargs);
int df_roots(Eval *e, Value *self, Task ***out);               /* df_ops' hooks */
PicLayer *df_picture(Eval *e, Value *self, bool optimize);

/* df_describe.c */
Value *df_describe(Eval *e, DFrame *f, Args *a);

#endif
