/* body.h - shared by body.c (functions, statements), body_expr.c
 * (expressions, operators) and body_call.c (builtins and calls). */
#ifndef TASKC_BODY_H
#define TASKC_BODY_H

#include "../ast.h"
#include "cg.h"

enum { BODY_MAX_LOOPS = 256 };

/* The state of lowering one Spec's body. */
typedef struct FnBody {
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
  /* the try blocks (TrTry allocas) the code is inside, and how many were
   * open when each loop began: return/break/continue pop them */
  LLVMValueRef tries[BODY_MAX_LOOPS];
  Node *finally[BODY_MAX_LOOPS]; /* per try: its try/finally node, or NULL */
  int ntries;
  int loop_tries[BODY_MAX_LOOPS];
  bool has_try;               /* compiled unoptimised (body_try.c) */
} FnBody;

/* body_int.c: Python's ints, int64 with a slow path to the runtime's big
 * ints (taskrt.h TR_BIG_LIMIT). */
LLVMValueRef body_int_big(FnBody *f, LLVMValueRef v); /* is v a big? */
/* cond ? fn(args) : fast, the call in its own block (n <= 3 arguments) */
LLVMValueRef body_int_slow_if(FnBody *f, LLVMValueRef cond, LLVMValueRef fast,
                              const char *fn, LLVMValueRef *args, int n);
LLVMValueRef body_int_op(FnBody *f, OpCode op, LLVMValueRef a, LLVMValueRef b);
LLVMValueRef body_int_neg(FnBody *f, LLVMValueRef v);
LLVMValueRef body_int_abs(FnBody *f, LLVMValueRef v);
LLVMValueRef body_int_invert(FnBody *f, LLVMValueRef v);
LLVMValueRef body_int_cmp(FnBody *f, LLVMIntPredicate p, LLVMValueRef a,
                          LLVMValueRef b);
LLVMValueRef body_int_to_float(FnBody *f, LLVMValueRef v);
/* An int to an int64_t parameter of C (a big fails: OverflowError), and an
 * int64_t from C to an int (one in the reserved range becomes a big). */
LLVMValueRef body_int_to_c(FnBody *f, LLVMValueRef v);
LLVMValueRef body_int_from_c(FnBody *f, LLVMValueRef v);
LLVMValueRef body_big_literal(FnBody *f, const char *digits, int n);
/* range(start, stop, step) of ints that may be bigs: a big stop is clamped
 * to int64 (the counter stops there), a big start or step fails. */
void body_range_args(FnBody *f, LLVMValueRef *start, LLVMValueRef *stop,
                     LLVMValueRef *step);
LLVMValueRef body_int_float_cmp(FnBody *f, LLVMRealPredicate p, LLVMValueRef a,
                                LLVMValueRef b);

/* body.c: helpers */
NodeInfo *body_info(FnBody *f, const Node *n);
Type *body_type(FnBody *f, const Node *n);
LLVMBasicBlockRef body_block(FnBody *f, const char *name);
LLVMValueRef body_alloca(FnBody *f, LLVMTypeRef t, const char *name);
/* An alloca at the top of `entry` (so it runs once, and mem2reg sees it),
 * leaving the builder where it was; kinds.c uses it too. */
LLVMValueRef cg_entry_alloca(LLVMBuilderRef b, LLVMBasicBlockRef entry,
                             LLVMTypeRef t, const char *name);
/* The head of a counted loop: `i = *ctr; if (i < len) body else end`,
 * leaving the builder in body; returns i. */
LLVMValueRef body_index_head(FnBody *f, LLVMValueRef ctr, LLVMValueRef seq,
                             LLVMBasicBlockRef body, LLVMBasicBlockRef end);
/* if (cond) { ...the caller emits the failure... } : positions the builder
 * in the failure block and returns the block to continue in. */
LLVMBasicBlockRef body_fail_if(FnBody *f, LLVMValueRef cond);
/* Ends the failure block (unreachable) and continues in `ok`. */
void body_fail_end(FnBody *f, LLVMBasicBlockRef ok);
/* Calls a function of the runtime (or libc/libm/intrinsic) by name. */
LLVMValueRef body_call(FnBody *f, const char *name, LLVMTypeRef ret,
                       LLVMTypeRef *pt, unsigned np, LLVMValueRef *args);
void body_fail_msg(FnBody *f, LLVMValueRef cond, const char *msg);
LLVMValueRef body_i64(FnBody *f, int64_t v);
LLVMValueRef body_f64(FnBody *f, double v);
LLVMValueRef body_bool(FnBody *f, bool v);
/* Load/GEP at a byte offset of a runtime object (TrStr, TrSeq). */
LLVMValueRef body_load_at(FnBody *f, LLVMTypeRef t, LLVMValueRef p, int off);
LLVMValueRef body_seq_item(FnBody *f, LLVMValueRef seq, LLVMValueRef i);
bool body_is_heap(Type *t);

/* body_expr.c */
LLVMValueRef body_expr(FnBody *f, Node *n);
/* The value of n converted to type t (int -> float, bool -> int). */
LLVMValueRef body_expr_as(FnBody *f, Node *n, Type *t);
LLVMValueRef body_conv(FnBody *f, LLVMValueRef v, Type *from, Type *to);
LLVMValueRef body_cond(FnBody *f, Node *n);
LLVMValueRef body_truth(FnBody *f, LLVMValueRef v, Type *t);
LLVMValueRef body_binop(FnBody *f, OpCode op, LLVMValueRef l, Type *lt,
                        LLVMValueRef r, Type *rt, Type *res);
/* Is the value of n a new reference (a temporary the code that evaluates
 * n owns: storing it moves it, otherwise it must be released)? The other
 * values are borrowed: owned by a variable, a container, the caller, or
 * immortal constants. See "Values and references" in docs/functions.md. */
bool body_is_fresh(FnBody *f, Node *n);
/* Drops v, the value of n, if it is a new reference (a temporary used up). */
void body_release(FnBody *f, Node *n, LLVMValueRef v);
/* The value of n converted to t as a new reference: a borrowed heap value
 * is increfed. */
LLVMValueRef body_expr_owned(FnBody *f, Node *n, Type *t);
/* tr_incref / tr_decref of heap value v of type t (no-op for scalars). */
void body_incref(FnBody *f, Type *t, LLVMValueRef v);
void body_decref(FnBody *f, Type *t, LLVMValueRef v);
LLVMValueRef body_str_const(FnBody *f, const char *s, int len);
/* float -> int as Python's int() checks it: NaN and inf fail, too large
 * becomes a big int. */
LLVMValueRef body_float_to_int(FnBody *f, LLVMValueRef d);
/* Calls builtin op `id`'s run-time implementation on boxed values. */
LLVMValueRef body_op_call(FnBody *f, int opid, LLVMValueRef *vals, Type **types,
                          int n, Type *res);

/* body.c: statements that body_comp.c reuses */
/* Stores v (of type t, a new reference if fresh) into target. */
void body_assign(FnBody *f, Node *target, LLVMValueRef v, Type *t, bool fresh);
/* The statements of loop n with break -> brk, continue -> cont; ends with
 * a branch to cont. */
void body_loop_body(FnBody *f, Node *n, LLVMBasicBlockRef brk,
                    LLVMBasicBlockRef cont);

/* The statements of a block. */
void body_stmts(FnBody *f, Node **body, int n);

/* body_try.c */
void body_try(FnBody *f, Node *n);
void body_raise(FnBody *f, Node *n);
/* Pops the try blocks from index `from` on (leaving them by a jump). */
void body_try_leave(FnBody *f, int from);
/* Runs the finally blocks of the tries from `from` on that a return, break
 * or continue leaves, innermost first. */
void body_finally_leave(FnBody *f, int from);

/* body_comp.c */
void body_for_iter(FnBody *f, Node *n);        /* sema's SEMA_M_ITER loops */
LLVMValueRef body_listcomp(FnBody *f, Node *n);
/* The loops of comprehension n, calling leaf for each element (acc is the
 * container being built). */
void body_comp_loops(FnBody *f, Node *n, LLVMValueRef acc,
                     void (*leaf)(FnBody *, Node *, LLVMValueRef));

/* body_method.c */
/* A list method (other than append), or sorted/min/max with key=. */
LLVMValueRef body_seq_call(FnBody *f, Node *n);
LLVMValueRef body_slice(FnBody *f, Node *n);   /* xs[a:b:c] */
LLVMValueRef body_seq_binop(FnBody *f, OpCode op, LLVMValueRef l, Type *lt,
                            LLVMValueRef r, Type *rt); /* + and * */

/* body_dict.c */
LLVMValueRef body_dict_expr(FnBody *f, Node *n);  /* {..}, dict/set comps */
LLVMValueRef body_dict_get(FnBody *f, Node *n);   /* d[k] */
void body_dict_store(FnBody *f, Node *target, LLVMValueRef v, Type *t,
                     bool fresh);                 /* d[k] = v */
/* The address of d[k]'s value (KeyError if missing), for d[k] op= v. */
LLVMValueRef body_dict_slot(FnBody *f, Node *s, LLVMValueRef d);
/* `d[k] = d.get(k, c) op e` as one probe; false (nothing emitted) when the
 * assignment n is not that idiom. */
bool body_dict_count_update(FnBody *f, Node *n);
/* `for w in s.split(..): d[w] = d.get(w, c) + e` as one call; false
 * (nothing emitted) when loop is not that. */
bool body_dict_count_split(FnBody *f, Node *loop);
/* a == b, a != b of two dicts (records, sets): Python's equality. */
LLVMValueRef body_dict_equal(FnBody *f, OpCode op, LLVMValueRef a, Type *at,
                             LLVMValueRef b, Type *bt);
LLVMValueRef body_dict_contains(FnBody *f, LLVMValueRef k, Type *kt,
                                LLVMValueRef d);
LLVMValueRef body_set_binop(FnBody *f, OpCode op, LLVMValueRef l,
                            LLVMValueRef r);
LLVMValueRef body_dict_method(FnBody *f, Node *n, NodeInfo *ni);

/* body_call.c */
LLVMValueRef body_call_expr(FnBody *f, Node *n);

#endif
