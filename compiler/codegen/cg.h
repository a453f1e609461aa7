/* cg.h - state shared by the files of compiler/codegen.
 *
 *   codegen.c          entry point: module, target machine, LLVM passes, emit
 *   kinds.c            groups tasks into kinds; one TrKindFn per kind (unbox
 *                      inputs, call the op or the specialised function, box
 *                      the result); chunk tasks go to kernel.c
 *   tables.c           the TrProgram constant tables and main()
 *   values.c           boxing/unboxing TrValues, runtime declarations
 *   body.c             function bodies (sema Specs) lowered with native
 *                      types: functions, statements (body.h)
 *   body_expr.c        expressions and operators in bodies
 *   body_call.c        builtins (ir/ops.def) and calls in bodies
 *   kernel.c           chunk tasks as loop nests, one per root kind
 *                      (kernel.h): element-wise, reductions, combine,
 *                      aggregate, concatenate, matmul
 *   kernel_elem.c      the value of one element of a fused chunk expression
 *   kernel_npy.c       from_npy blocks inside kernels
 *   kernel_pairwise.c  NumPy's pairwise order of float sums
 *
 * Native representation of a Type inside generated functions:
 *   int -> i64, float -> double, bool -> i1, None -> i1 (always 0),
 *   str/list/tuple/dict -> ptr to the runtime object (TrStr*, TrSeq*, TrDict*),
 *   any -> ptr to a TrValue. */
#ifndef TASKC_CG_H
#define TASKC_CG_H

#include <llvm-c/Core.h>
#include <llvm-c/Target.h>

#include "ir.h"
#include "sema.h"

typedef struct Cg {
  Arena *a;
  Graph *g;
  LLVMContextRef ctx;
  LLVMModuleRef mod;
  LLVMBuilderRef b;
  LLVMTargetDataRef td;
  /* common types */
  LLVMTypeRef t_void, t_i1, t_i8, t_i32, t_i64, t_f64, t_ptr;
  LLVMTypeRef t_value; /* %TrValue = type { i64, i64 } (payload as bits) */
  LLVMTypeRef t_kindfn; /* void (ptr in, ptr k, ptr out) */
  /* values.c: the failure block shared by the tag checks of badtag_fn */
  LLVMValueRef badtag_fn, badtag_msg, badtag_tag;
  LLVMBasicBlockRef badtag_bb;
} Cg;

/* values.c */
LLVMTypeRef cg_native_type(Cg *cg, Type *t);
/* Declare (once) a function of the runtime, e.g. "tr_int_pow". */
LLVMValueRef cg_runtime_fn(Cg *cg, const char *name, LLVMTypeRef fnty);
/* Call a runtime function declared with cg_runtime_fn. */
LLVMValueRef cg_call(Cg *cg, const char *name, LLVMTypeRef fnty,
                     LLVMValueRef *args, unsigned n);
/* Load the TrValue at `ptr` as a native value of type t (checking the tag
 * where t is precise; a wrong tag fails the task). */
LLVMValueRef cg_unbox(Cg *cg, Type *t, LLVMValueRef ptr);
/* cg_unbox of the value of dict key `key`: a wrong tag fails the task with
 * "the value of key 'KEY' is str, not int (...)". */
LLVMValueRef cg_unbox_key(Cg *cg, Type *t, LLVMValueRef ptr,
                          const char *key);
/* Store native value v of type t as a TrValue at `ptr`. Heap values are
 * stored as they are (the reference moves into the TrValue). */
void cg_box(Cg *cg, Type *t, LLVMValueRef v, LLVMValueRef ptr);

/* body.c: the LLVM function of a Spec, with native parameter and return
 * types; defined on first request and memoised in spec->llvm_fn. For an
 * @extern function it is the declaration of the C function. */
LLVMValueRef cg_spec_fn(Cg *cg, Spec *s);

/* kinds.c: one TrKindFn per kind; returns the kinds in a vector and sets
 * each task's kind index (task->aux = (void *)(intptr_t)kind). */
typedef struct Kind {
  const char *name;    /* for traces: "inc", "sum", "inc+add" */
  LLVMValueRef fn;     /* void (ptr in, ptr k, ptr out) */
  Task *example;       /* the first task of this kind */
} Kind;
Kind **cg_kinds(Cg *cg, int *nkinds);
/* The leaves of t's argument trees in the order its kind reads them: fn gets
 * (ref, NULL) for an input (in[j], produced by task ref) and (NULL, val) for
 * a scalar constant (k[m]). Refs between the inner tasks of a fused task are
 * not leaves. tables.c lays out in_idx and consts with it. */
void cg_task_leaves(Task *t, void (*fn)(void *ctx, Task *ref, const Val *k),
                    void *ctx);

/* tables.c: the tr_program global and main(). */
void cg_tables(Cg *cg, Kind **kinds, int nkinds, const char *prog_name);

#endif
