/* ops.h - the op registry: the table in ops.def, with lookups.
 * To add a builtin: one line in ops.def; for a SCALAR op, tr_op_<id> in
 * runtime/ops_*.c and (optionally) a native lowering in
 * compiler/codegen/body_call.c; for a chunk op, its loop in
 * compiler/codegen/kernel*.c. See "The op table" in docs/ir.md. */
#ifndef TASKC_OPS_H
#define TASKC_OPS_H

#include <stdbool.h>

#include "type.h"

typedef enum {
#define OP(id, name, mina, maxa, purity, fold, rule, family) OP_##id,
#include "ops.def"
#undef OP
  OP_COUNT
} OpId;

typedef enum { PURE, IMPURE } Purity;
typedef enum { NOFOLD, LISTFOLD, BINFOLD } FoldKind;
typedef enum {
  R_FOLD, R_MINMAX, R_BOOL, R_INT, R_FLOAT, R_STR, R_NONE, R_LIST, R_TUPLE,
  R_SAME, R_ROUND, R_ARITH, R_POW, R_GETITEM,
  R_ARRAY, /* dask.array chunk ops: type from args[0] (shape), args[1] (dtype) */
  R_LIST_STR, /* list[str] whatever the arguments (bag.read_text's lines) */
  R_DESC,  /* the type written in the last argument, a str (ir/typedesc.h) */
  R_ANY    /* known only at run time (dataframe partitions) */
} TypeRule;
/* How an op is lowered; the families are described in ops.def. */
typedef enum { SCALAR, CHUNK_ELEM, CHUNK_REDUCE, CHUNK_BLOCK } OpFamily;

typedef struct Op {
  OpId id;
  const char *name;    /* "operator.add" */
  const char *label;   /* "add": the part after the last dot, for pictures */
  int min_args, max_args;
  Purity purity;
  FoldKind fold;
  TypeRule rule;
  OpFamily family;
  const char *rt_symbol; /* "tr_op_add"; NULL for a chunk op (no tr_op_) */
} Op;

extern const Op op_table[OP_COUNT];

/* Lookup by qualified name ("sum", "operator.add", "math.sqrt"); NULL if
 * there is no such builtin. */
const Op *op_lookup(const char *name);
static inline const Op *op_get(OpId id) { return &op_table[id]; }

/* Is op (NULL: not an op) lowered as a chunk kernel, a loop nest generated
 * by compiler/codegen/kernel*.c, rather than a call of tr_op_<id>? */
static inline bool op_is_chunk_kernel(const Op *op) {
  return op && op->family != SCALAR;
}

/* The constants of module math ("math.pi", "math.e", "math.tau",
 * "math.inf", "math.nan"): true with *v set when qname names one. The
 * evaluator, sema and codegen all read them here. */
bool op_constant(const char *qname, double *v);

/* Why an op's argument types are wrong, written by op_result_type. */
typedef struct OpError {
  char msg[256];
} OpError;

/* Result type of op applied to arguments of these types, or NULL with
 * err->msg set ("unsupported operand types for +: 'str' and 'int'"); err
 * may be NULL. */
Type *op_result_type(const Op *op, Type **args, int n, OpError *err);

#endif
