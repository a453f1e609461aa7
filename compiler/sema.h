/* sema.h - types the graph and the function bodies (LANGUAGE.md §3).
 *
 * Every task gets its result type; every user function called by a task is
 * type-checked once per distinct argument-type signature (a Spec). Type
 * errors are located diagnostics. Codegen lowers the Specs. */
#ifndef TASKC_SEMA_H
#define TASKC_SEMA_H

#include "ir.h"

/* One specialisation of a user function: the types of its parameters at
 * some call sites, and the return type sema inferred from the body. */
typedef struct Spec {
  Func *fn;
  Type **params;      /* fn->nparams types */
  Type *ret;
  const char *name;   /* unique symbol, e.g. "inc.int" */
  void *info;         /* sema's typing of the body (node types, locals),
                         read by codegen/body.c */
  void *llvm_fn;      /* codegen's memo */
} Spec;

/* Types every task (task->type) and sets task->spec for calls of user
 * functions. Tasks created later by passes get their types from
 * op_result_type. */
void sema_graph(Graph *g);

/* All specialisations created, in creation order. */
Spec **sema_specs(int *n);

#endif
