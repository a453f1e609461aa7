/* collections.h - the hooks the evaluator calls for dask collections
 * (compiler/collections/). Today: dask.array. */
#ifndef TASKC_COLLECTIONS_H
#define TASKC_COLLECTIONS_H

#include "../eval_int.h"

/* `dask.array.NAME` (also dask.array.random.NAME); NULL if unknown. */
Value *array_module_attr(Eval *e, const char *module, const char *name,
                         Loc loc);
/* `numpy.NAME` of a function NumPy hands to Dask when given a dask array
 * (np.sqrt(x), np.mean(x), np.where(...), ...): the dask.array function
 * under NumPy's name; NULL for the rest of numpy. */
Value *array_numpy_attr(Eval *e, const char *name);
/* x.shape, x.T, ...; x.sum (a method value) */
Value *array_attr(Eval *e, Value *x, const char *name, Loc loc);
Value *array_method(Eval *e, Value *x, const char *name, Args *a);
/* operators where one operand is an array */
Value *array_binop(Eval *e, OpCode op, Value *x, Value *y, Loc loc);
Value *array_unop(Eval *e, OpCode op, Value *x, Loc loc);
/* x[index]: the index expression node (slices, ints, tuples of them) */
Value *array_getitem(Eval *e, Value *x, Node *index);
/* The task holding the whole array (compute, outputs, task arguments). */
Task *array_task(Eval *e, Value *x, Loc loc);

#endif
