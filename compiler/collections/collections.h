/* collections.h - the seam between the compile-time evaluator and the dask
 * collections (dask.array, dask.dataframe and dask.bag; docs/architecture.md, "How to add a
 * collection").
 *
 * A collection value is a V_COLL Value pointing at an object that begins
 * with a Coll: its ops table is everything the evaluator does with the
 * value. A module whose attributes are a collection's functions (dask.array,
 * numpy) is a row of the registry (registry.c). A collection calls back into
 * the evaluator only through builder.h. */
#ifndef TASKC_COLLECTIONS_H
#define TASKC_COLLECTIONS_H

#include <stddef.h>

#include "../value.h"

typedef struct CollOps CollOps;
typedef struct PicLayer PicLayer; /* coll_picture.h */

/* The head of every collection object (DArray, ...). */
typedef struct Coll {
  const CollOps *ops;
} Coll;

/* What the evaluator asks of a collection value. The evaluator pins the
 * values these calls see and return (a collection may keep any of them).
 * type_name and repr are required. A NULL entry, or a NULL result of attr,
 * method, binop, unop or compare, leaves the value to the evaluator's
 * generic behaviour (mostly an error naming type_name). */
struct CollOps {
  const char *type_name; /* "Array", as Python's type(x).__name__ */
  const char *(*repr)(Arena *a, const Value *self);
  /* self.name; NULL: no such attribute */
  Value *(*attr)(Eval *e, Value *self, const char *name, Loc loc);
  /* self.name(...); NULL: no such method. abs(self) is self.__abs__(). */
  Value *(*method)(Eval *e, Value *self, const char *name, Args *a);
  /* x op y, where x or y is a collection: x's table is asked first, then
   * y's; NULL: not handled (Python's NotImplemented) */
  Value *(*binop)(Eval *e, OpCode op, Value *x, Value *y, Loc loc);
  /* op x (-x, +x, ~x; `not x` is truthy's) */
  Value *(*unop)(Eval *e, OpCode op, Value *x, Loc loc);
  /* x < y, <=, >, >=, ==, != as binop; NULL: Python's default (== is
   * identity, < an error) */
  Value *(*compare)(Eval *e, OpCode op, Value *x, Value *y, Loc loc);
  /* self[index]: the collection evaluates the index expression itself
   * (x[1:5, ::2] has slices, which are no values); never NULL */
  Value *(*getitem)(Eval *e, Value *self, Node *index);
  /* bool(self), if/while/and/or/not; may be an error */
  bool (*truthy)(Eval *e, Value *self, Loc loc);
  /* The task holding the whole value: for compute(), outputs and task
   * arguments. NULL: not graph-valued (cannot be a task argument). */
  Task *(*task)(Eval *e, Value *self, Loc loc);
  /* `with self:` around a block (context managers, eval_ctx.c); both or
   * neither */
  void (*enter)(Eval *e, Value *self, Loc loc);
  void (*exit)(Eval *e, Value *self);
  /* visualize(self) of the executed graph: the tasks holding the value's
   * partitions (not ops->task's concatenation, which Dask's graph has
   * not), drawn with what they need; returns how many, *out the array.
   * NULL: the picture draws the whole program's graph. */
  int (*roots)(Eval *e, Value *self, Task ***out);
  /* visualize(self) as Dask draws it: the last of Dask's layers of the
   * value (coll_picture.h), whose picture is drawn instead of the
   * executed graph. optimize: optimize_graph=True. NULL, or a NULL
   * result: draw the executed graph's roots. */
  PicLayer *(*picture)(Eval *e, Value *self, bool optimize);
};

/* `module.name` of a collection's module (m is the module or a submodule
 * of the registered one, as dask.array.random); NULL: no such name. */
typedef Value *CollModuleAttr(Eval *e, const char *m, const char *name,
                              Loc loc);

typedef struct CollModule {
  const char *name;     /* "dask.array": it and its submodules */
  CollModuleAttr *attr; /* NULL: importable, not supported yet */
} CollModule;

/* The registry row of module m, or NULL. */
const CollModule *coll_module(const char *m);
/* The row of the module named exactly parent.name (dask + array), or NULL. */
const CollModule *coll_submodule(const char *parent, const char *name);

/* A dask.dataframe whose partitions are tasks another collection made
 * (bag.to_dataframe): keyed (name, i), columns named names with dtypes
 * COLL_DF_* (as the run time's TR_COL_*). Implemented by the dataframe
 * collection (dataframe/df.c). */
enum { COLL_DF_F64 = 0, COLL_DF_I64 = 1, COLL_DF_BOOL = 2, COLL_DF_OBJ = 3 };
Value *coll_dataframe(Eval *e, const char *name, int ncols, const char **names,
                      const int *dtypes, int nparts, Task **parts);

/* Each collection's slot for its per-compilation state in the evaluator
 * (builder.h, eval_coll_state): one row per collection. */
typedef enum CollId {
  COLL_ARRAY,
  COLL_DATAFRAME,
  COLL_BAG,
  COLL_PICTURE, /* the layers of Dask's pictures (coll_picture.c) */
  COLL_COUNT
} CollId;

#endif
