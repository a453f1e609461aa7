/* ops.h - the op registry: the table in ops.def, with lookups.
 * To add a builtin: one line in ops.def, tr_op_<id> in runtime/ops.c, and
 * (optionally) a native lowering in compiler/codegen. See docs/adding-an-op.md. */
#ifndef TASKC_OPS_H
#define TASKC_OPS_H

#include <stdbool.h>

#include "type.h"

typedef enum {
#define OP(id, name, mina, maxa, purity, fold, rule) OP_##id,
#include "ops.def"
#undef OP
  OP_COUNT
} OpId;

typedef enum { PURE, IMPURE } Purity;
typedef enum { NOFOLD, LISTFOLD, BINFOLD } FoldKind;
typedef enum {
  R_FOLD, R_MINMAX, R_BOOL, R_INT, R_FLOAT, R_STR, R_NONE, R_LIST, R_TUPLE,
  R_SAME, R_ROUND, R_ARITH, R_POW, R_GETITEM,
  R_ARRAY /* dask.array chunk ops: type from args[0] (shape), args[1] (dtype) */
} TypeRule;

typedef struct Op {
  OpId id;
  const char *name;    /* "operator.add" */
  const char *label;   /* "add": the part after the last dot, for pictures */
  int min_args, max_args;
  Purity purity;
  FoldKind fold;
  TypeRule rule;
  const char *rt_symbol; /* "tr_op_add" */
} Op;

extern const Op op_table[OP_COUNT];

/* Lookup by qualified name ("sum", "operator.add", "math.sqrt"); NULL if
 * there is no such builtin. */
const Op *op_lookup(const char *name);
static inline const Op *op_get(OpId id) { return &op_table[id]; }

/* The constants of module math ("math.pi", "math.e", "math.tau",
 * "math.inf", "math.nan"): true with *v set when qname names one. The
 * evaluator, sema and codegen all read them here. */
bool op_constant(const char *qname, double *v);

/* Result type of op applied to arguments of these types, or NULL with *err
 * set to a message ("unsupported operand types for +: 'str' and 'int'"). */
Type *op_result_type(const Op *op, Type **args, int n, const char **err);

#endif
