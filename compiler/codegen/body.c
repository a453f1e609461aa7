/* body.c - function bodies (sema Specs) lowered to LLVM with native types.
 *
 * One LLVM function per Spec, internal linkage, named after the Spec
 * ("inc.int"). Parameters and the result use the native representation of
 * cg.h; locals are allocas (mem2reg turns them into registers). Python's
 * semantics are kept where results depend on them: checked int arithmetic,
 * floor division, true division, errors for out-of-range indices.
 *
 * References (docs/functions.md, "Values and references"): parameters are
 * borrowed; every other heap local owns one reference, and so does a
 * parameter the body assigns (increfed on entry); assignment takes a
 * reference to the new value and drops the old one; temporaries are
 * released after their use; a return moves a new reference to the caller
 * and releases every local and every sequence a loop iterates over. */
#include <string.h>

#include "../diag.h"
#include "body.h"

/* ---- helpers shared with body_expr.c and body_call.c ---- */

NodeInfo *body_info(FnBody *f, const Node *n) {
  NodeInfo *ni = sema_info(f->spec, n);
  if (!ni)
    diag_error(n->loc, "internal error: node not typed by sema");
  return ni;
}

Type *body_type(FnBody *f, const Node *n) { return body_info(f, n)->type; }

LLVMBasicBlockRef body_block(FnBody *f, const char *name) {
  return LLVMAppendBasicBlockInContext(f->cg->ctx, f->fn, name);
}

LLVMValueRef cg_entry_alloca(LLVMBuilderRef b, LLVMBasicBlockRef entry,
                             LLVMTypeRef t, const char *name) {
  LLVMBasicBlockRef here = LLVMGetInsertBlock(b);
  LLVMValueRef first = LLVMGetFirstInstruction(entry);
  if (first)
    LLVMPositionBuilderBefore(b, first);
  else
    LLVMPositionBuilderAtEnd(b, entry);
  LLVMValueRef a = LLVMBuildAlloca(b, t, name);
  LLVMPositionBuilderAtEnd(b, here);
  return a;
}

LLVMValueRef body_alloca(FnBody *f, LLVMTypeRef t, const char *name) {
  return cg_entry_alloca(f->b, f->entry, t, name);
}

LLVMValueRef body_index_head(FnBody *f, LLVMValueRef ctr, LLVMValueRef seq,
                             LLVMBasicBlockRef body, LLVMBasicBlockRef end) {
  LLVMValueRef i = LLVMBuildLoad2(f->b, f->cg->t_i64, ctr, "i");
  LLVMValueRef len = body_load_at(f, f->cg->t_i64, seq, 8);
  LLVMBuildCondBr(f->b, LLVMBuildICmp(f->b, LLVMIntSLT, i, len, ""), body,
                  end);
  LLVMPositionBuilderAtEnd(f->b, body);
  return i;
}

LLVMBasicBlockRef body_fail_if(FnBody *f, LLVMValueRef cond) {
  LLVMBasicBlockRef bad = body_block(f, "fail"), ok = body_block(f, "ok");
  LLVMBuildCondBr(f->b, cond, bad, ok);
  LLVMPositionBuilderAtEnd(f->b, bad);
  return ok;
}

void body_fail_end(FnBody *f, LLVMBasicBlockRef ok) {
  LLVMBuildUnreachable(f->b);
  LLVMPositionBuilderAtEnd(f->b, ok);
}

LLVMValueRef body_call(FnBody *f, const char *name, LLVMTypeRef ret,
                       LLVMTypeRef *pt, unsigned np, LLVMValueRef *args) {
  LLVMTypeRef fnty = LLVMFunctionType(ret, pt, np, 0);
  return cg_call(f->cg, name, fnty, args, np);
}

/* if (cond) tr_fail(msg) -- msg must not contain '%' */
void body_fail_msg(FnBody *f, LLVMValueRef cond, const char *msg) {
  LLVMBasicBlockRef ok = body_fail_if(f, cond);
  LLVMTypeRef fty = LLVMFunctionType(f->cg->t_void, &f->cg->t_ptr, 1, 1);
  LLVMValueRef arg = LLVMBuildGlobalStringPtr(f->b, msg, "msg");
  cg_call(f->cg, "tr_fail", fty, &arg, 1);
  body_fail_end(f, ok);
}

LLVMValueRef body_i64(FnBody *f, int64_t v) {
  return LLVMConstInt(f->cg->t_i64, (unsigned long long)v, 1);
}

LLVMValueRef body_f64(FnBody *f, double v) {
  return LLVMConstReal(f->cg->t_f64, v);
}

LLVMValueRef body_bool(FnBody *f, bool v) {
  return LLVMConstInt(f->cg->t_i1, v, 0);
}

static LLVMValueRef gep8(FnBody *f, LLVMValueRef p, int off) {
  LLVMValueRef ix = body_i64(f, off);
  return LLVMBuildInBoundsGEP2(f->b, f->cg->t_i8, p, &ix, 1, "");
}

LLVMValueRef body_load_at(FnBody *f, LLVMTypeRef t, LLVMValueRef p, int off) {
  return LLVMBuildLoad2(f->b, t, gep8(f, p, off), "");
}

/* &seq->items[i] (TrSeq: refcount, len, cap, items) */
LLVMValueRef body_seq_item(FnBody *f, LLVMValueRef seq, LLVMValueRef i) {
  LLVMValueRef items = body_load_at(f, f->cg->t_ptr, seq, 24);
  return LLVMBuildInBoundsGEP2(f->b, f->cg->t_value, items, &i, 1, "");
}

bool body_is_heap(Type *t) {
  return t->kind == TY_STR || t->kind == TY_LIST || t->kind == TY_TUPLE ||
         t->kind == TY_DICT;
}

/* Code after return/break/continue goes to a block nothing jumps to. */
static void dead_block(FnBody *f) {
  LLVMPositionBuilderAtEnd(f->b, body_block(f, "dead"));
}

/* ---- statements ---- */

static void block(FnBody *f, Node **body, int n);

static Type *local_type(FnBody *f, int slot) {
  return ((BodyInfo *)f->spec->info)->locals[slot].type;
}

/* The variable takes a reference to v (moved if fresh, else increfed) and
 * drops its old value, after the incref: `x = x` keeps x alive. */
static void store_local(FnBody *f, Node *target, LLVMValueRef v, Type *t,
                        bool fresh) {
  int slot = body_info(f, target)->slot;
  Type *lt = local_type(f, slot);
  v = body_conv(f, v, t, lt);
  if (!body_is_heap(lt)) {
    LLVMBuildStore(f->b, v, f->slots[slot]);
    return;
  }
  if (!f->owns[slot])
    diag_error(target->loc, "internal error: assignment to a borrowed "
               "parameter");
  if (!fresh)
    body_incref(f, lt, v);
  LLVMValueRef old = LLVMBuildLoad2(f->b, f->cg->t_ptr, f->slots[slot], "");
  LLVMBuildStore(f->b, v, f->slots[slot]);
  body_decref(f, lt, old);
}

/* Drops what the function holds before it returns: the owned locals and
 * the sequences of the loops it is inside. */
static void release_all(FnBody *f) {
  int n = ((BodyInfo *)f->spec->info)->nlocals;
  for (int i = 0; i < n; i++) {
    Type *t = local_type(f, i);
    if (f->owns[i] && body_is_heap(t))
      body_decref(f, t, LLVMBuildLoad2(f->b, f->cg->t_ptr, f->slots[i], ""));
  }
  for (int i = 0; i < f->nheld; i++)
    body_decref(f, f->held_type[i], f->held[i]);
  if (f->spec->recursive)
    body_call(f, "tr_rec_leave", f->cg->t_void, NULL, 0, NULL);
  body_try_leave(f, 0);
}

/* xs[i] with Python's negative indices and a bounds check; returns the
 * address of the item. */
static LLVMValueRef list_slot(FnBody *f, LLVMValueRef seq, LLVMValueRef i) {
  Cg *cg = f->cg;
  LLVMValueRef len = body_load_at(f, cg->t_i64, seq, 8);
  LLVMValueRef neg = LLVMBuildICmp(f->b, LLVMIntSLT, i, body_i64(f, 0), "");
  LLVMValueRef j = LLVMBuildSelect(f->b, neg, LLVMBuildAdd(f->b, i, len, ""),
                                   i, "");
  LLVMValueRef bad = LLVMBuildICmp(f->b, LLVMIntUGE, j, len, "");
  LLVMBasicBlockRef ok = body_fail_if(f, bad);
  LLVMTypeRef pt[] = {cg->t_i64, cg->t_i64};
  LLVMValueRef args[] = {i, len};
  body_call(f, "tr_index_error", cg->t_void, pt, 2, args);
  body_fail_end(f, ok);
  return body_seq_item(f, seq, j);
}

static void store_item(FnBody *f, Node *target, LLVMValueRef v, Type *t,
                       bool fresh) {
  Type *lt = body_type(f, target->lhs);
  if (lt->kind == TY_DICT) {
    body_dict_store(f, target, v, t, fresh); /* body_dict.c */
    return;
  }
  LLVMValueRef seq = body_expr(f, target->lhs);
  LLVMValueRef i = body_expr_as(f, target->rhs, ty_int);
  LLVMValueRef p = list_slot(f, seq, i);
  v = body_conv(f, v, t, lt->elem);
  if (body_is_heap(lt->elem)) {
    if (!fresh)
      body_incref(f, lt->elem, v);
    body_call(f, "tr_decref", f->cg->t_void, &f->cg->t_ptr, 1, &p);
  }
  cg_box(f->cg, lt->elem, v, p);
  body_release(f, target->lhs, seq);
}

/* Stores v into target. A fresh v is moved into a name or an item; a
 * tuple target takes references to v's items and releases a fresh v. */
void body_assign(FnBody *f, Node *target, LLVMValueRef v, Type *t,
                 bool fresh) {
  switch (target->kind) {
  case N_NAME:
    store_local(f, target, v, t, fresh);
    return;
  case N_SUBSCRIPT:
    store_item(f, target, v, t, fresh);
    return;
  default: /* a tuple of targets; sema checked the shape */
    for (int i = 0; i < target->nitems; i++) {
      LLVMValueRef p = body_seq_item(f, v, body_i64(f, i));
      Type *et = t->elems[i];
      body_assign(f, target->items[i], cg_unbox(f->cg, et, p), et, false);
    }
    if (fresh)
      body_decref(f, t, v);
  }
}

static void stmt_assign(FnBody *f, Node *n) {
  Node *rhs = n->rhs;
  if (rhs->kind == N_LAMBDA)
    return; /* f = lambda ...: calls of f call its function */
  /* a, b = b, a: evaluate every item first, build no tuple */
  if (n->nitems == 1 && rhs->kind == N_TUPLE &&
      (n->items[0]->kind == N_TUPLE || n->items[0]->kind == N_LIST)) {
    /* every value is owned before the first store: `a, b = b, a` must not
     * free b's old value while it is still to be stored into a */
    Node *tg = n->items[0];
    LLVMValueRef *vals = ARENA_ARRAY(f->cg->a, LLVMValueRef, rhs->nitems + 1);
    for (int i = 0; i < rhs->nitems; i++)
      vals[i] = body_expr_owned(f, rhs->items[i], body_type(f, rhs->items[i]));
    for (int i = 0; i < tg->nitems; i++)
      body_assign(f, tg->items[i], vals[i], body_type(f, rhs->items[i]), true);
    return;
  }
  if (body_dict_count_update(f, n)) /* d[w] = d.get(w, 0) + 1 */
    return;
  LLVMValueRef v = body_expr(f, rhs);
  Type *t = body_type(f, rhs);
  bool fresh = body_is_fresh(f, rhs);
  /* a = b = v: the first target takes v, the others a new reference */
  for (int i = 0; i < n->nitems; i++)
    body_assign(f, n->items[i], v, t, fresh && i == 0);
}

static void stmt_annassign(FnBody *f, Node *n) {
  if (n->rhs)
    store_local(f, n->lhs, body_expr(f, n->rhs), body_type(f, n->rhs),
                body_is_fresh(f, n->rhs));
}

static void stmt_augassign(FnBody *f, Node *n) {
  Type *res = body_type(f, n);
  Type *rt = body_type(f, n->rhs);
  if (n->lhs->kind == N_NAME) {
    Type *lt = body_type(f, n->lhs);
    LLVMValueRef l = body_expr(f, n->lhs);
    LLVMValueRef r = body_expr(f, n->rhs);
    LLVMValueRef v = body_binop(f, n->op, l, lt, r, rt, res);
    body_release(f, n->rhs, r);
    store_local(f, n->lhs, v, res, true); /* a new str, or a scalar */
    return;
  }
  /* xs[i] op= v: the index is evaluated once */
  Node *s = n->lhs;
  Type *et = body_type(f, s);
  LLVMValueRef seq = body_expr(f, s->lhs);
  LLVMValueRef p = body_type(f, s->lhs)->kind == TY_DICT
                       ? body_dict_slot(f, s, seq) /* body_dict.c */
                       : list_slot(f, seq, body_expr_as(f, s->rhs, ty_int));
  LLVMValueRef old = cg_unbox(f->cg, et, p);
  LLVMValueRef r = body_expr(f, n->rhs);
  LLVMValueRef v = body_binop(f, n->op, old, et, r, rt, res);
  body_release(f, n->rhs, r);
  if (body_is_heap(et))
    body_call(f, "tr_decref", f->cg->t_void, &f->cg->t_ptr, 1, &p);
  cg_box(f->cg, et, body_conv(f, v, res, et), p);
  body_release(f, s->lhs, seq);
}

static void stmt_if(FnBody *f, Node *n) {
  LLVMBasicBlockRef then = body_block(f, "then"), els = body_block(f, "else"),
                    end = body_block(f, "endif");
  LLVMBuildCondBr(f->b, body_cond(f, n->cond), then, els);
  LLVMPositionBuilderAtEnd(f->b, then);
  block(f, n->body, n->nbody);
  LLVMBuildBr(f->b, end);
  LLVMPositionBuilderAtEnd(f->b, els);
  block(f, n->orelse, n->norelse);
  LLVMBuildBr(f->b, end);
  LLVMPositionBuilderAtEnd(f->b, end);
}

void body_loop_body(FnBody *f, Node *n, LLVMBasicBlockRef brk,
                    LLVMBasicBlockRef cont) {
  if (f->nloops == BODY_MAX_LOOPS)
    diag_error(n->loc, "loops nested too deeply");
  f->brk[f->nloops] = brk;
  f->loop_tries[f->nloops] = f->ntries;
  f->cont[f->nloops++] = cont;
  block(f, n->body, n->nbody);
  f->nloops--;
  LLVMBuildBr(f->b, cont);
}

static void stmt_while(FnBody *f, Node *n) {
  LLVMBasicBlockRef head = body_block(f, "while"), body = body_block(f, "do"),
                    end = body_block(f, "endwhile");
  LLVMBuildBr(f->b, head);
  LLVMPositionBuilderAtEnd(f->b, head);
  LLVMBuildCondBr(f->b, body_cond(f, n->cond), body, end);
  LLVMPositionBuilderAtEnd(f->b, body);
  body_loop_body(f, n, end, head);
  LLVMPositionBuilderAtEnd(f->b, end);
}

/* The blocks of a for loop (for, for.body, for.next, endfor), with the
 * builder moved into the head. */
static void for_blocks(FnBody *f, LLVMBasicBlockRef *head,
                       LLVMBasicBlockRef *body, LLVMBasicBlockRef *next,
                       LLVMBasicBlockRef *end) {
  *head = body_block(f, "for");
  *body = body_block(f, "for.body");
  *next = body_block(f, "for.next");
  *end = body_block(f, "endfor");
  LLVMBuildBr(f->b, *head);
  LLVMPositionBuilderAtEnd(f->b, *head);
}

/* for i in range(a, b, step): a hidden counter, so assigning to i in the
 * body does not change the iteration (as in Python). */
static void for_range(FnBody *f, Node *n) {
  Node *r = n->rhs;
  LLVMValueRef start = body_i64(f, 0), stop, step = body_i64(f, 1);
  if (r->nitems == 1) {
    stop = body_expr_as(f, r->items[0], ty_int);
  } else {
    start = body_expr_as(f, r->items[0], ty_int);
    stop = body_expr_as(f, r->items[1], ty_int);
    if (r->nitems == 3) {
      step = body_expr_as(f, r->items[2], ty_int);
      body_fail_msg(f, LLVMBuildICmp(f->b, LLVMIntEQ, step, body_i64(f, 0), ""),
                    "range() arg 3 must not be zero");
    }
  }
  body_range_args(f, &start, &stop, &step); /* body_int.c: bigs */
  LLVMValueRef ctr = body_alloca(f, f->cg->t_i64, "range.i");
  LLVMBuildStore(f->b, start, ctr);
  LLVMBasicBlockRef head, body, next, end;
  for_blocks(f, &head, &body, &next, &end);
  LLVMValueRef i = LLVMBuildLoad2(f->b, f->cg->t_i64, ctr, "i");
  LLVMValueRef up = LLVMBuildICmp(f->b, LLVMIntSGT, step, body_i64(f, 0), "");
  LLVMValueRef more = LLVMBuildSelect(
      f->b, up, LLVMBuildICmp(f->b, LLVMIntSLT, i, stop, ""),
      LLVMBuildICmp(f->b, LLVMIntSGT, i, stop, ""), "");
  LLVMBuildCondBr(f->b, more, body, end);
  LLVMPositionBuilderAtEnd(f->b, body);
  body_assign(f, n->lhs, i, ty_int, false);
  body_loop_body(f, n, end, next);
  LLVMPositionBuilderAtEnd(f->b, next);
  /* i + step overflowing means we are past stop */
  LLVMTypeRef st_el[] = {f->cg->t_i64, f->cg->t_i1};
  LLVMTypeRef st = LLVMStructTypeInContext(f->cg->ctx, st_el, 2, 0);
  LLVMTypeRef pt[] = {f->cg->t_i64, f->cg->t_i64};
  LLVMValueRef cur = LLVMBuildLoad2(f->b, f->cg->t_i64, ctr, "");
  LLVMValueRef args[] = {cur, step};
  LLVMValueRef res =
      body_call(f, "llvm.sadd.with.overflow.i64", st, pt, 2, args);
  LLVMBuildStore(f->b, LLVMBuildExtractValue(f->b, res, 0, ""), ctr);
  LLVMBuildCondBr(f->b, LLVMBuildExtractValue(f->b, res, 1, ""), end, head);
  LLVMPositionBuilderAtEnd(f->b, end);
}

/* for x in xs (a list, or the characters of a str); the length is read
 * again each time, as Python's list iterator does. */
static void for_seq(FnBody *f, Node *n) {
  Type *t = body_info(f, n)->type;
  /* the loop holds a reference: the body may reassign the variable that
   * held the sequence (Python's iterator keeps it alive too) */
  LLVMValueRef seq = body_expr_owned(f, n->rhs, body_type(f, n->rhs));
  LLVMValueRef ctr = body_alloca(f, f->cg->t_i64, "iter.i");
  LLVMBuildStore(f->b, body_i64(f, 0), ctr);
  LLVMBasicBlockRef head, body, next, end;
  for_blocks(f, &head, &body, &next, &end);
  LLVMValueRef i = body_index_head(f, ctr, seq, body, end);
  if (t == ty_str) {
    LLVMValueRef vals[] = {seq, i};
    Type *types[] = {ty_str, ty_int};
    body_assign(f, n->lhs, body_op_call(f, OP_getitem, vals, types, 2, ty_str),
           ty_str, true);
  } else {
    body_assign(f, n->lhs, cg_unbox(f->cg, t->elem, body_seq_item(f, seq, i)),
           t->elem, false);
  }
  f->held[f->nheld] = seq; /* loop_body bounds the nesting */
  f->held_type[f->nheld++] = body_type(f, n->rhs);
  body_loop_body(f, n, end, next);
  f->nheld--;
  LLVMPositionBuilderAtEnd(f->b, next);
  LLVMValueRef cur = LLVMBuildLoad2(f->b, f->cg->t_i64, ctr, "");
  LLVMBuildStore(f->b, LLVMBuildAdd(f->b, cur, body_i64(f, 1), ""), ctr);
  LLVMBuildBr(f->b, head);
  LLVMPositionBuilderAtEnd(f->b, end);
  body_decref(f, body_type(f, n->rhs), seq);
}

/* The result is a new reference for the caller (a borrowed one, e.g. a
 * local about to be released, is increfed first). */
static void stmt_return(FnBody *f, Node *n) {
  Type *ret = f->spec->ret;
  if (ret == ty_none) {
    if (n->lhs)
      body_release(f, n->lhs, body_expr(f, n->lhs));
    body_finally_leave(f, 0);
    release_all(f);
    LLVMBuildRet(f->b, body_bool(f, false));
  } else {
    /* the value first, then the finally blocks, as Python does (one that
     * returns instead wins; this value then leaks) */
    LLVMValueRef v = body_expr_owned(f, n->lhs, ret);
    body_finally_leave(f, 0);
    release_all(f);
    LLVMBuildRet(f->b, v);
  }
  dead_block(f);
}

static void stmt_assert(FnBody *f, Node *n) {
  LLVMValueRef ok = body_cond(f, n->cond);
  LLVMBasicBlockRef cont = body_fail_if(f, LLVMBuildNot(f->b, ok, ""));
  Cg *cg = f->cg;
  LLVMTypeRef fty = LLVMFunctionType(cg->t_void, &cg->t_ptr, 1, 1);
  if (n->lhs) {
    LLVMValueRef s = body_expr(f, n->lhs);
    LLVMValueRef args[] = {
        LLVMBuildGlobalStringPtr(f->b, "assertion failed: %s", "msg"),
        LLVMBuildInBoundsGEP2(f->b, cg->t_i8, s,
                              (LLVMValueRef[]){body_i64(f, 16)}, 1, "")};
    cg_call(cg, "tr_fail", fty, args, 2);
  } else {
    LLVMValueRef msg = LLVMBuildGlobalStringPtr(f->b, "assertion failed", "");
    cg_call(cg, "tr_fail", fty, &msg, 1);
  }
  body_fail_end(f, cont);
}

static void stmt(FnBody *f, Node *n) {
  switch (n->kind) {
  case N_EXPR:
    if (n->lhs->kind != N_ELLIPSIS && n->lhs->kind != N_STR)
      body_release(f, n->lhs, body_expr(f, n->lhs));
    return;
  case N_ASSIGN: stmt_assign(f, n); return;
  case N_ANNASSIGN: stmt_annassign(f, n); return;
  case N_AUGASSIGN: stmt_augassign(f, n); return;
  case N_IF: stmt_if(f, n); return;
  case N_WHILE: stmt_while(f, n); return;
  case N_FOR:
    if (body_dict_count_split(f, n)) /* the word count loop */
      return;
    if (body_info(f, n)->method == SEMA_M_RANGE)
      for_range(f, n);
    else if (body_info(f, n)->method == SEMA_M_ITER)
      body_for_iter(f, n);
    else
      for_seq(f, n);
    return;
  case N_BREAK:
  case N_CONTINUE:
    body_finally_leave(f, f->loop_tries[f->nloops - 1]);
    body_try_leave(f, f->loop_tries[f->nloops - 1]);
    LLVMBuildBr(f->b, n->kind == N_BREAK ? f->brk[f->nloops - 1]
                                         : f->cont[f->nloops - 1]);
    dead_block(f);
    return;
  case N_RETURN: stmt_return(f, n); return;
  case N_ASSERT: stmt_assert(f, n); return;
  case N_TRY: body_try(f, n); return;    /* body_try.c */
  case N_DEF: return; /* a nested def: a function of its own (sema_lambda.c) */
  case N_RAISE: body_raise(f, n); return;
  default: return; /* pass; sema rejected the rest */
  }
}

static void block(FnBody *f, Node **body, int n) {
  for (int i = 0; i < n; i++)
    stmt(f, body[i]);
}

void body_stmts(FnBody *f, Node **body, int n) { block(f, body, n); }

/* ---- functions ---- */

static LLVMTypeRef ret_type(Cg *cg, Type *t) { return cg_native_type(cg, t); }

/* ---- which parameters the body assigns (those own a reference) ---- */

static void mark_target(FnBody *f, Node *t) {
  if (t->kind == N_TUPLE || t->kind == N_LIST) {
    for (int i = 0; i < t->nitems; i++)
      mark_target(f, t->items[i]);
    return;
  }
  NodeInfo *ni = t->kind == N_NAME ? sema_info(f->spec, t) : NULL;
  if (ni)
    f->owns[ni->slot] = true;
}

static void mark_assigned(FnBody *f, Node **body, int n) {
  for (int i = 0; i < n; i++) {
    Node *s = body[i];
    switch (s->kind) {
    case N_ASSIGN:
      for (int k = 0; k < s->nitems; k++)
        mark_target(f, s->items[k]);
      break;
    case N_ANNASSIGN:
    case N_AUGASSIGN:
      mark_target(f, s->lhs);
      break;
    case N_FOR:
      mark_target(f, s->lhs);
      /* fallthrough */
    case N_TRY:
      for (int k = 0; k < s->nitems; k++)
        mark_assigned(f, s->items[k]->body, s->items[k]->nbody);
      /* fallthrough */
    case N_IF:
    case N_WHILE:
      mark_assigned(f, s->body, s->nbody);
      mark_assigned(f, s->orelse, s->norelse);
      break;
    default:
      break;
    }
  }
}

/* Every local but a parameter owns its value; a parameter the body never
 * assigns stays borrowed (no refcount traffic on a shared input), one it
 * assigns is increfed on entry so that assigning it may drop the old value. */
static void own_locals(FnBody *f, int nlocals) {
  int np = f->spec->fn->nparams;
  f->owns = ARENA_ARRAY(f->cg->a, bool, nlocals + 1);
  for (int i = 0; i < nlocals; i++)
    f->owns[i] = i >= np;
  Node *def = f->spec->fn->def;
  mark_assigned(f, def->body, def->nbody);
  for (int i = 0; i < np; i++)
    if (f->owns[i])
      body_incref(f, local_type(f, i), LLVMGetParam(f->fn, (unsigned)i));
}

enum { BODY_MAX_OPT_BLOCKS = 20000 };
static void dont_optimise(Cg *cg, LLVMValueRef fn);

static void define_body(Cg *cg, Spec *s, LLVMValueRef fn) {
  BodyInfo *bi = s->info;
  FnBody f = {.cg = cg, .b = cg->b, .spec = s, .fn = fn};
  f.entry = body_block(&f, "entry");
  LLVMPositionBuilderAtEnd(f.b, f.entry);
  f.slots = ARENA_ARRAY(cg->a, LLVMValueRef, bi->nlocals + 1);
  for (int i = 0; i < bi->nlocals; i++) {
    Type *t = bi->locals[i].type;
    f.slots[i] = LLVMBuildAlloca(f.b, cg_native_type(cg, t),
                                 bi->locals[i].name);
    if (i < s->fn->nparams)
      continue;
    /* a defined start value keeps the IR free of undef reads */
    LLVMBuildStore(f.b, LLVMConstNull(cg_native_type(cg, t)), f.slots[i]);
  }
  for (int i = 0; i < s->fn->nparams; i++)
    LLVMBuildStore(f.b, LLVMGetParam(fn, (unsigned)i), f.slots[i]);
  own_locals(&f, bi->nlocals);
  if (s->recursive) /* a depth counter instead of a stack overflow */
    body_call(&f, "tr_rec_enter", cg->t_void, NULL, 0, NULL);
  LLVMBasicBlockRef body = body_block(&f, "body");
  LLVMBuildBr(f.b, body);
  LLVMPositionBuilderAtEnd(f.b, body);
  Node *def = s->fn->def;
  block(&f, def->body, def->nbody);
  if (!LLVMGetBasicBlockTerminator(LLVMGetInsertBlock(f.b))) {
    if (s->ret == ty_none) {
      release_all(&f);
      LLVMBuildRet(f.b, body_bool(&f, false));
    } else {
      LLVMBuildUnreachable(f.b); /* sema: every path returned */
    }
  }
  if (LLVMCountBasicBlocks(fn) > BODY_MAX_OPT_BLOCKS || f.has_try)
    dont_optimise(cg, fn); /* a try: see body_try.c */
}

/* Some of LLVM's passes (block placement, the X86 instruction selector)
 * are quadratic in a function's size: a body summing 100,000 terms (a
 * slow-path block for big ints per `+`, body_int.c) took over a minute at -O2. A body
 * that big is compiled as at -O0, in linear time. */
static void dont_optimise(Cg *cg, LLVMValueRef fn) {
  static const char *attrs[] = {"optnone", "noinline"};
  for (int i = 0; i < 2; i++) {
    unsigned k = LLVMGetEnumAttributeKindForName(attrs[i], strlen(attrs[i]));
    LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                            LLVMCreateEnumAttribute(cg->ctx, k, 0));
  }
}

static LLVMTypeRef c_type(Cg *cg, Type *t) {
  if (t == ty_none)
    return cg->t_void;
  return cg_native_type(cg, t); /* str: const char * (a ptr) */
}

/* @extern: the C function itself; with a str or an int in its signature, a
 * wrapper that passes TrStr->data and makes a TrStr of a returned char *,
 * and keeps big ints on the Python side (body_int_to_c, body_int_from_c). */
static LLVMValueRef extern_fn(Cg *cg, Spec *s) {
  Func *fn = s->fn;
  int n = fn->nparams;
  LLVMTypeRef *pt = ARENA_ARRAY(cg->a, LLVMTypeRef, n + 1);
  bool strs = s->ret == ty_str || s->ret == ty_int;
  for (int i = 0; i < n; i++) {
    pt[i] = c_type(cg, s->params[i]);
    strs |= s->params[i] == ty_str || s->params[i] == ty_int;
  }
  LLVMTypeRef fty = LLVMFunctionType(c_type(cg, s->ret), pt, (unsigned)n, 0);
  LLVMValueRef cfn = cg_runtime_fn(cg, fn->name, fty);
  for (int i = 0; i < n; i++)
    if (s->params[i] == ty_bool) {
      unsigned k = LLVMGetEnumAttributeKindForName("zeroext", 7);
      LLVMAddAttributeAtIndex(
          cfn, (unsigned)i + 1,
          LLVMCreateEnumAttribute(cg->ctx, k, 0));
    }
  if (!strs)
    return cfn;
  LLVMValueRef w = LLVMAddFunction(
      cg->mod, arena_printf(cg->a, "%s.wrap", fn->name), fty);
  LLVMSetLinkage(w, LLVMInternalLinkage);
  FnBody f = {.cg = cg, .b = cg->b, .spec = s, .fn = w};
  f.entry = body_block(&f, "entry");
  LLVMPositionBuilderAtEnd(f.b, f.entry);
  LLVMValueRef *args = ARENA_ARRAY(cg->a, LLVMValueRef, n + 1);
  for (int i = 0; i < n; i++) {
    args[i] = LLVMGetParam(w, (unsigned)i);
    if (s->params[i] == ty_str)
      args[i] = LLVMBuildInBoundsGEP2(
          f.b, cg->t_i8, args[i], (LLVMValueRef[]){body_i64(&f, 16)}, 1, "");
    if (s->params[i] == ty_int)
      args[i] = body_int_to_c(&f, args[i]);
  }
  LLVMValueRef r = LLVMBuildCall2(f.b, fty, cfn, args, (unsigned)n, "");
  if (s->ret == ty_none) {
    LLVMBuildRetVoid(f.b);
  } else if (s->ret == ty_str) {
    LLVMValueRef len = body_call(&f, "strlen", cg->t_i64, &cg->t_ptr, 1, &r);
    LLVMTypeRef spt[] = {cg->t_ptr, cg->t_i64};
    LLVMValueRef sargs[] = {r, len};
    LLVMBuildRet(f.b, body_call(&f, "tr_str_new", cg->t_ptr, spt, 2, sargs));
  } else if (s->ret == ty_int) {
    LLVMBuildRet(f.b, body_int_from_c(&f, r));
  } else {
    LLVMBuildRet(f.b, r);
  }
  return w;
}

LLVMValueRef cg_spec_fn(Cg *cg, Spec *s) {
  if (s->llvm_fn)
    return s->llvm_fn;
  LLVMBasicBlockRef here = LLVMGetInsertBlock(cg->b);
  if (s->fn->is_extern) {
    s->llvm_fn = extern_fn(cg, s);
  } else {
    int n = s->fn->nparams;
    LLVMTypeRef *pt = ARENA_ARRAY(cg->a, LLVMTypeRef, n + 1);
    for (int i = 0; i < n; i++)
      pt[i] = cg_native_type(cg, s->params[i]);
    LLVMTypeRef fty = LLVMFunctionType(ret_type(cg, s->ret), pt,
                                       (unsigned)n, 0);
    LLVMValueRef fn = LLVMAddFunction(cg->mod, s->name, fty);
    LLVMSetLinkage(fn, LLVMInternalLinkage);
    for (int i = 0; i < n; i++)
      LLVMSetValueName2(LLVMGetParam(fn, (unsigned)i), s->fn->param_names[i],
                        strlen(s->fn->param_names[i]));
    s->llvm_fn = fn; /* before the body: calls inside it find it */
    define_body(cg, s, fn);
  }
  if (here)
    LLVMPositionBuilderAtEnd(cg->b, here);
  return s->llvm_fn;
}
