/* body.h - shared by body.c (functions, statements), body_expr.c
 * (expressions, operators) and body_call.c (builtins and calls). */
#ifndef TASKC_BODY_H
#define TASKC_BODY_H

#include "../ast.h"
#include "cg.h"

enum { BODY_MAX_LOOPS = 256 };

/* The state of lowering one Spec's body. */
typedef struct Fb {
  Cg *cg;
  LLVMBuilderRef b;
  Spec *spec;
  LLVMValueRef fn;
  LLVMBasicBlockRef entry;  /* allocas go here */
  LLVMValueRef *slots;      /* one alloca per local */
  bool *owns;               /* per local: holds a reference (heap locals,
                               and parameters the body assigns) */
  LLVMBasicBlockRef brk[BODY_MAX_LOOPS], cont[BODY_MAX_LOOPS];
  int nloops;
  /* the sequences `for x in seq` loops iterate over, each an owned
   * reference released when its loop ends (or at a return inside it) */
  LLVMValueRef held[BODY_MAX_LOOPS];
  Type *held_type[BODY_MAX_LOOPS];
  int nheld;
} Fb;

/* body.c: helpers */
NodeInfo *fb_info(Fb *f, const Node *n);
Type *fb_type(Fb *f, const Node *n);
LLVMBasicBlockRef fb_block(Fb *f, const char *name);
LLVMValueRef fb_alloca(Fb *f, LLVMTypeRef t, const char *name);
/* An alloca at the top of `entry` (so it runs once, and mem2reg sees it),
 * leaving the builder where it was; kinds.c uses it too. */
LLVMValueRef cg_entry_alloca(LLVMBuilderRef b, LLVMBasicBlockRef entry,
                             LLVMTypeRef t, const char *name);
/* The head of a counted loop: `i = *ctr; if (i < len) body else end`,
 * leaving the builder in body; returns i. */
LLVMValueRef fb_index_head(Fb *f, LLVMValueRef ctr, LLVMValueRef seq,
                           LLVMBasicBlockRef body, LLVMBasicBlockRef end);
/* if (cond) { ...the caller emits the failure... } : positions the builder
 * in the failure block and returns the block to continue in. */
LLVMBasicBlockRef fb_fail_if(Fb *f, LLVMValueRef cond);
/* Ends the failure block (unreachable) and continues in `ok`. */
void fb_fail_end(Fb *f, LLVMBasicBlockRef ok);
/* Calls a function of the runtime (or libc/libm/intrinsic) by name. */
LLVMValueRef fb_call(Fb *f, const char *name, LLVMTypeRef ret,
                     LLVMTypeRef *pt, unsigned np, LLVMValueRef *args);
void fb_fail_msg(Fb *f, LLVMValueRef cond, const char *msg);
LLVMValueRef fb_i64(Fb *f, int64_t v);
LLVMValueRef fb_f64(Fb *f, double v);
LLVMValueRef fb_bool(Fb *f, bool v);
/* Load/GEP at a byte offset of a runtime object (TrStr, TrSeq). */
LLVMValueRef fb_load_at(Fb *f, LLVMTypeRef t, LLVMValueRef p, int off);
LLVMValueRef fb_seq_item(Fb *f, LLVMValueRef seq, LLVMValueRef i);
bool fb_is_heap(Type *t);

/* body_expr.c */
LLVMValueRef fb_expr(Fb *f, Node *n);
/* The value of n converted to type t (int -> float, bool -> int). */
LLVMValueRef fb_expr_as(Fb *f, Node *n, Type *t);
LLVMValueRef fb_conv(Fb *f, LLVMValueRef v, Type *from, Type *to);
LLVMValueRef fb_cond(Fb *f, Node *n);
LLVMValueRef fb_truth(Fb *f, LLVMValueRef v, Type *t);
LLVMValueRef fb_binop(Fb *f, OpCode op, LLVMValueRef l, Type *lt,
                      LLVMValueRef r, Type *rt, Type *res);
/* Is the value of n a new reference (a temporary the code that evaluates
 * n owns: storing it moves it, otherwise it must be released)? The other
 * values are borrowed: owned by a variable, a container, the caller, or
 * immortal constants. See "Values and references" in docs/functions.md. */
bool fb_is_fresh(Fb *f, Node *n);
/* Drops v, the value of n, if it is a new reference (a temporary used up). */
void fb_release(Fb *f, Node *n, LLVMValueRef v);
/* The value of n converted to t as a new reference: a borrowed heap value
 * is increfed. */
LLVMValueRef fb_expr_owned(Fb *f, Node *n, Type *t);
/* tr_incref / tr_decref of heap value v of type t (no-op for scalars). */
void fb_incref(Fb *f, Type *t, LLVMValueRef v);
void fb_decref(Fb *f, Type *t, LLVMValueRef v);
LLVMValueRef fb_str_const(Fb *f, const char *s, int len);
/* float -> int as Python's int() checks it: NaN and inf fail, too large
 * overflows. */
LLVMValueRef fb_float_to_int(Fb *f, LLVMValueRef d);
/* Calls builtin op `id`'s run-time implementation on boxed values. */
LLVMValueRef fb_op_call(Fb *f, int opid, LLVMValueRef *vals, Type **types,
                        int n, Type *res);

/* body_call.c */
LLVMValueRef fb_call_expr(Fb *f, Node *n);

#endif
