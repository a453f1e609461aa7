/* builder.h - what a collection may call back into the compile-time
 * evaluator: its per-compilation state, evaluating an index, calling
 * values, reading call arguments, small constructors, making tasks and
 * outputs. The evaluator implements it (eval*.c); a collection includes
 * this, collections.h and its own headers, never eval_int.h. Errors about
 * the program go through diag.h's diag_error. */
#ifndef TASKC_BUILDER_H
#define TASKC_BUILDER_H

#include <stdint.h>

#include "../diag.h"
#include "../value.h"
#include "collections.h"

/* Evaluated call arguments. */
struct Args {
  Value **pos;
  Loc *pos_loc;
  int npos;
  const char **kw_names;
  Value **kw;
  Loc *kw_loc;
  int nkw;
  Loc loc;       /* the call */
  Node *call;    /* the N_CALL node, NULL for internal calls */
  Node **pos_node; /* the argument expressions (NULL entries for *args) */
  int pos_cap, kw_cap; /* room in the arrays, kept when the record is reused */
  Args *next_free;     /* Eval.free_args chain */
};

/* ---- the evaluator's state (eval.c) ---- */
Arena *eval_arena(Eval *e);   /* the compilation's arena */
Graph *eval_graph(Eval *e);   /* the graph being built */
Loc eval_loc(Eval *e);        /* the node being evaluated, for errors */
/* The qualified name of the builtin being called ("dask.array.sqrt"): one
 * BuiltinFn may serve several names. */
const char *eval_callee(Eval *e);
/* The collection's per-compilation state: `size` zeroed bytes, made on the
 * first call for that id, the same pointer after. */
void *eval_coll_state(Eval *e, CollId id, size_t size);
void eval_step(Eval *e, Loc loc, long n); /* count work; error past the limit */

/* ---- values (eval_expr.c) ---- */
Value *eval_expr(Eval *e, Node *n);
Value *eval_mk_int(Eval *e, int64_t i);
Value *eval_mk_float(Eval *e, double f);
Value *eval_mk_list(Eval *e, Value **items, int n);
Value *eval_mk_tuple(Eval *e, Value **items, int n);
int64_t eval_need_int(Eval *e, Value *v, Loc loc, const char *what);
bool eval_truthy(Eval *e, Value *v, Loc loc);
/* Iterate: snapshot of the items (lists: at the time of the call), with
 * steps charged. Errors for non-iterables and delayed values. */
Value **eval_iterate(Eval *e, Value *v, Loc loc, int *n);
/* Python's slice.indices(len) of the slice node s (x[lo:hi:step]): the
 * first index, the step and the number of items; evaluates the bounds. */
typedef struct SliceIdx {
  int64_t start, step, count;
} SliceIdx;
SliceIdx eval_slice_indices(Eval *e, Node *s, int64_t len);

/* ---- calls (eval_call.c) ---- */
Value *eval_call_value(Eval *e, Value *f, Args *args);
Args *eval_args_new(Eval *e, Loc loc, int npos, Value **pos);
Value *eval_arg_kw(Args *a, const char *name, int *index); /* NULL if absent */
void eval_args_no_kw(Eval *e, Args *a, const char *fname);
void eval_args_count(Eval *e, Args *a, const char *fname, int min, int max);
/* Reject keywords other than the NULL-terminated list `allowed`. */
void eval_args_check_kw(Eval *e, Args *a, const char *fname, const char **allowed);

/* ---- key names (collections/token.c) ---- */
/* prefix-<32 hex digits>: a token of `what`, as Dask's tokenize names keys */
const char *coll_token_name(Eval *e, const char *prefix, const char *what);

/* ---- tasks and outputs (eval_task.c) ---- */
/* A task of the graph; key NULL: "prefix-N" */
Task *eval_new_task(Eval *e, TaskKind kind, Val *key, const char *prefix, Loc loc);
/* A task calling the op named opname (ir/ops.def) on xs; key NULL:
 * "label-N". */
Task *eval_op_task(Eval *e, const char *opname, Val *key, Value **xs, int n, Loc loc);
/* A task calling the def fn (a V_FUNC) on xs, in order. */
Task *eval_fn_task(Eval *e, Value *fn, Val *key, Value **xs, int n, Loc loc);

/* ---- defs the compiler writes (eval_source.c) ---- */
/* One def given as Python source, typed and compiled like the program's
 * own; its nodes are located at loc (the call that asked for it). */
Value *eval_def_text(Eval *e, const char *text, Loc loc);
/* The name by which a written def calls f (a def, a lambda, a builtin);
 * expr is the expression that gave f, for builtins spelled through an
 * import (math.sqrt). */
const char *eval_callable_name(Eval *e, Value *f, Node *expr, Loc loc);

/* A value as a task argument (a collection: a reference to its task). */
Val *eval_to_val(Eval *e, Value *v, Loc loc);
/* self.compute(**kw), self.persist(**kw): self becomes an output of the
 * program (named after the receiver when it is a name); the computed value,
 * or self for persist. */
Value *eval_compute(Eval *e, Value *self, Args *a, bool persist);
/* self.visualize(...): dask.visualize(self, ...). */
Value *eval_visualize(Eval *e, Value *self, Args *a);

#endif
