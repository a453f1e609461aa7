/* sema.h - types the graph and the function bodies (docs/language.md §3).
 *
 * Every task gets its result type; every user function called by a task is
 * type-checked once per distinct argument-type signature (a Spec). Type
 * errors are located diagnostics. Codegen lowers the Specs. */
#ifndef TASKC_SEMA_H
#define TASKC_SEMA_H

#include "ir.h"

struct Node;

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
  Type *guess;        /* recursion: the return type its non-recursive
                         returns gave (sema_recur.c), NULL if not needed */
  bool recursive;     /* on a cycle of calls: codegen counts its depth */
} Spec;

/* The typing of one compilation: its Specs (memoised by function and
 * argument types) and the module whose names bodies use. Everything sema
 * keeps lives here, in the graph's arena, so compilations one after the
 * other (or side by side) share nothing. */
typedef struct Sema Sema;

/* Types every task (task->type) and sets task->spec for calls of user
 * functions; returns the compilation's Sema. `module` (N_MODULE) is the
 * program whose imports name the modules inside bodies (`import math as
 * m`, `from time import sleep`) and whose top-level assignments are the
 * globals bodies may not use; NULL parses it again from the source of the
 * first def, and without any source `math.`, `time.` and `random.` are
 * assumed imported under their own names. Tasks created later by passes
 * get their types from op_result_type. */
Sema *sema_graph(Graph *g, struct Node *module);

/* All specialisations created, in creation order. */
Spec **sema_specs(const Sema *s, int *n);

/* The specialisation of fn for these argument types (checks the body the
 * first time). Used by sema itself and by passes that create calls. */
Spec *sema_spec(Sema *s, Func *fn, Type **args, int nargs, Loc loc);

/* ---- the typing of one body: what codegen/body.c reads (Spec.info) ---- */

/* A local variable of a body; parameters come first, in order. */
typedef struct Local {
  const char *name;
  Type *type;
  int line;             /* where it got its type (for messages) */
  bool pending;         /* `xs = []`: element type still open (list[any]) */
} Local;

/* What sema learned about one node of the body. */
typedef struct NodeInfo {
  Type *type;           /* expressions: the value's type */
  int slot;             /* N_NAME, assignment and for targets: the local */
  const Op *op;         /* N_CALL of a builtin */
  const char *qname;    /* N_ATTR/N_NAME constant: "math.pi", "math.inf" */
  Spec *callee;         /* N_CALL of a user or @extern function */
  struct Node **args;   /* N_CALL of a user function: one argument per
                           parameter, defaults filled in */
  bool cond;            /* N_BOOLOP used only for its truth value (its
                           operands may differ in type) */
  int method;           /* N_CALL of a method, N_FOR: SEMA_M_* */
  struct Node *lowered; /* N_CALL that sema rewrote: list(zip(a, b)) is the
                           comprehension [v for v in zip(a, b)] */
} NodeInfo;

/* N_CALL: list.append; N_FOR: over range(...) (else over its iterable, whose
 * type is the N_FOR's NodeInfo.type). */
enum { SEMA_M_NONE, SEMA_M_APPEND, SEMA_M_RANGE,
       SEMA_M_ITER,   /* N_FOR over range/enumerate/zip/reversed sources,
                         lowered by codegen/body_comp.c */
       SEMA_M_METHOD  /* N_CALL of another method: NodeInfo.slot says which
                         (SEMA_LM_*), codegen/body_method.c lowers it */
};

/* NodeInfo.method of an N_ATTR read on a number (x.real; codegen/body_expr.c). */
enum { SEMA_A_NONE, SEMA_A_REAL, SEMA_A_IMAG, SEMA_A_NUMERATOR, SEMA_A_DENOMINATOR };

/* NodeInfo.method of an iterable call inside a for or comprehension. */
enum { SEMA_IT_NONE = 0, SEMA_IT_RANGE = 10, SEMA_IT_REVERSED,
       SEMA_IT_ENUMERATE, SEMA_IT_ZIP };
enum { SEMA_MAX_ZIP = 8 };

/* NodeInfo.slot of a SEMA_M_METHOD call on a list. */
enum { SEMA_LM_EXTEND, SEMA_LM_POP, SEMA_LM_INSERT, SEMA_LM_INDEX,
       SEMA_LM_COUNT, SEMA_LM_REMOVE, SEMA_LM_REVERSE, SEMA_LM_SORT,
       SEMA_LM_COPY, SEMA_LM_CLEAR,
       /* of a dict or set (sema_dict.c) */
       SEMA_DM_GET, SEMA_DM_ITEMS, SEMA_DM_KEYS, SEMA_DM_VALUES,
       SEMA_DM_SETDEFAULT, SEMA_DM_POP, SEMA_DM_UPDATE, SEMA_DM_COPY,
       SEMA_DM_CLEAR, SEMA_DM_ADD, SEMA_DM_DISCARD };

/* The exception kinds of try/except: runtime/taskrt.h's TR_EXC_* bits. */
enum { TR_EXC_ALL_KINDS = 511, TR_EXC_OTHER_KIND = 256 };

/* A set is a dict whose value type is this marker (sema_dict.c). */
Type *sema_set_of(Type *key);
bool sema_is_set(const Type *t);

typedef struct BodyInfo {
  Local *locals;
  int nlocals;
  /* Node* -> NodeInfo*, open addressing */
  const struct Node **keys;
  NodeInfo **vals;
  int cap, used;
} BodyInfo;

/* The NodeInfo sema recorded for n in spec s (NULL if none). */
NodeInfo *sema_info(const Spec *s, const struct Node *n);

#endif
