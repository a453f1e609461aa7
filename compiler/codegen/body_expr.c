/* body_expr.c - expressions of function bodies: constants, locals,
 * operators with Python's semantics, comparisons, short-circuit logic,
 * subscripts and displays. */
#include <math.h>
#include <string.h>

#include "../../runtime/taskrt.h"
#include "../diag.h"
#include "../sema_str.h"
#include "body.h"
#include "body_str.h"

static bool is_intlike(Type *t) { return t == ty_int || t == ty_bool; }

LLVMValueRef body_conv(FnBody *f, LLVMValueRef v, Type *from, Type *to) {
  if (from == to || !from || !to)
    return v;
  if (to == ty_float && from == ty_int)
    return body_int_to_float(f, v);
  if (to == ty_float && from == ty_bool)
    return LLVMBuildUIToFP(f->b, v, f->cg->t_f64, "");
  if (to == ty_int && from == ty_bool)
    return LLVMBuildZExt(f->b, v, f->cg->t_i64, "");
  return v; /* same native type (list[any] and list[int] are both ptr) */
}

LLVMValueRef body_expr_as(FnBody *f, Node *n, Type *t) {
  return body_conv(f, body_expr(f, n), body_type(f, n), t);
}

static void refcall(FnBody *f, const char *fn, Type *t, LLVMValueRef v) {
  if (!body_is_heap(t))
    return;
  LLVMValueRef tmp = body_alloca(f, f->cg->t_value, "ref");
  cg_box(f->cg, t, v, tmp);
  body_call(f, fn, f->cg->t_void, &f->cg->t_ptr, 1, &tmp);
}

void body_incref(FnBody *f, Type *t, LLVMValueRef v) {
  refcall(f, "tr_incref", t, v);
}

void body_decref(FnBody *f, Type *t, LLVMValueRef v) {
  refcall(f, "tr_decref", t, v);
}

void body_release(FnBody *f, Node *n, LLVMValueRef v) {
  if (body_is_fresh(f, n))
    body_decref(f, body_type(f, n), v);
}

LLVMValueRef body_expr_owned(FnBody *f, Node *n, Type *t) {
  LLVMValueRef v = body_expr_as(f, n, t);
  if (!body_is_fresh(f, n))
    body_incref(f, t, v);
  return v;
}

bool body_is_fresh(FnBody *f, Node *n) {
  if (!body_is_heap(body_type(f, n)))
    return false; /* scalars are not counted */
  switch (n->kind) {
  case N_LIST:
  case N_TUPLE:
  case N_BINOP: /* str + str, str % x, str * n, set | set, xs + ys */
  case N_FSTRING:
  case N_LISTCOMP:
  case N_DICT:
  case N_DICTCOMP:
  case N_SET:
    return true;
  case N_CALL: {
    NodeInfo *ni = body_info(f, n);
    /* str methods make new values; pop() moves its item out; copy() is new */
    if (ni->callee || ni->lowered || ni->method == SEMA_M_METHOD ||
        ni->method >= SEMA_M_STR)
      return true;
    /* str(s) of a str is s itself; other builtins make new values */
    if (ni->op && ni->op->id == OP_str && body_type(f, n->items[0]) == ty_str)
      return body_is_fresh(f, n->items[0]);
    return ni->op != NULL;
  }
  case N_SUBSCRIPT: /* s[i] is a new str; an item of a new list is increfed
                       before the list is released; a slice is new */
    if (n->rhs->kind == N_SLICE)
      return true;
    return body_type(f, n->lhs) == ty_str || body_is_fresh(f, n->lhs);
  case N_BOOLOP: /* a new reference if either side is one (see boolop) */
    return body_is_fresh(f, n->lhs) || body_is_fresh(f, n->rhs);
  case N_IFEXP:
    return body_is_fresh(f, n->then) || body_is_fresh(f, n->els);
  default: /* names, constants: borrowed */
    return false;
  }
}

/* An immortal TrStr constant: { refcount -1, len, bytes + NUL }. */
LLVMValueRef body_str_const(FnBody *f, const char *s, int len) {
  Cg *cg = f->cg;
  LLVMValueRef bytes = LLVMConstStringInContext(cg->ctx, s, (unsigned)len, 0);
  LLVMValueRef fields[] = {LLVMConstInt(cg->t_i64, (unsigned long long)-1, 1),
                           LLVMConstInt(cg->t_i64, (unsigned long long)len, 0),
                           bytes};
  LLVMValueRef init = LLVMConstStructInContext(cg->ctx, fields, 3, 0);
  LLVMValueRef g = LLVMAddGlobal(cg->mod, LLVMTypeOf(init), "str");
  LLVMSetInitializer(g, init);
  LLVMSetLinkage(g, LLVMPrivateLinkage);
  LLVMSetAlignment(g, 8);
  return g;
}

LLVMValueRef body_op_call(FnBody *f, int opid, LLVMValueRef *vals, Type **types,
                          int n, Type *res) {
  Cg *cg = f->cg;
  const Op *op = op_get((OpId)opid);
  if (!op->rt_symbol) /* sema keeps chunk ops out of function bodies */
    diag_fatal("internal error: chunk op %s in a function body", op->name);
  LLVMValueRef args = body_alloca(
      f, LLVMArrayType2(cg->t_value, (unsigned)(n ? n : 1)), "args");
  for (int i = 0; i < n; i++)
    cg_box(cg, types[i], vals[i],
           LLVMBuildInBoundsGEP2(f->b, cg->t_value, args,
                                 (LLVMValueRef[]){body_i64(f, i)}, 1, ""));
  LLVMValueRef out = body_alloca(f, cg->t_value, "out");
  LLVMTypeRef pt[] = {cg->t_ptr, cg->t_i64, cg->t_ptr};
  LLVMValueRef av[] = {args, body_i64(f, n), out};
  body_call(f, op->rt_symbol, cg->t_void, pt, 3, av);
  return cg_unbox(cg, res, out);
}

/* ---- arithmetic ---- */

static LLVMValueRef rt2(FnBody *f, const char *name, LLVMTypeRef t,
                        LLVMValueRef a, LLVMValueRef b) {
  LLVMTypeRef pt[] = {t, t};
  LLVMValueRef args[] = {a, b};
  return body_call(f, name, t, pt, 2, args);
}

static void zero_division(FnBody *f, LLVMValueRef is_zero, const char *msg) {
  LLVMBasicBlockRef ok = body_fail_if(f, is_zero);
  LLVMValueRef m = LLVMBuildGlobalStringPtr(f->b, msg, "");
  body_call(f, "tr_zero_division", f->cg->t_void, &f->cg->t_ptr, 1, &m);
  body_fail_end(f, ok);
}

static LLVMValueRef float_op(FnBody *f, OpCode op, LLVMValueRef a,
                             LLVMValueRef b) {
  LLVMTypeRef d = f->cg->t_f64;
  switch (op) {
  case OP_ADD: return LLVMBuildFAdd(f->b, a, b, "");
  case OP_SUB: return LLVMBuildFSub(f->b, a, b, "");
  case OP_MUL: return LLVMBuildFMul(f->b, a, b, "");
  case OP_FLOORDIV: return rt2(f, "tr_float_floordiv", d, a, b);
  case OP_MOD: return rt2(f, "tr_float_mod", d, a, b);
  default: return rt2(f, "tr_float_pow", d, a, b);
  }
}

LLVMValueRef body_binop(FnBody *f, OpCode op, LLVMValueRef l, Type *lt,
                        LLVMValueRef r, Type *rt, Type *res) {
  if (res == ty_str && op != OP_ADD) /* str % x, str * n */
    return body_str_binop(f, op, l, lt, r, rt);
  if (res->kind == TY_DICT) /* s | t, s & t, s - t, s ^ t */
    return body_set_binop(f, op, l, r);
  if (res->kind == TY_LIST || res->kind == TY_TUPLE) /* xs + ys, xs * n */
    return body_seq_binop(f, op, l, lt, r, rt);
  if (res == ty_str) { /* str + str */
    LLVMValueRef vals[] = {l, r};
    Type *types[] = {lt, rt};
    return body_op_call(f, OP_add, vals, types, 2, ty_str);
  }
  if (op == OP_DIV) {
    LLVMValueRef a = body_conv(f, l, lt, ty_float);
    LLVMValueRef b = body_conv(f, r, rt, ty_float);
    zero_division(f, LLVMBuildFCmp(f->b, LLVMRealOEQ, b, body_f64(f, 0), ""),
                  is_intlike(lt) && is_intlike(rt) ? "division by zero"
                                                   : "float division by zero");
    return LLVMBuildFDiv(f->b, a, b, "");
  }
  if (res == ty_bool) { /* & | ^ of bools */
    return op == OP_BITAND  ? LLVMBuildAnd(f->b, l, r, "")
           : op == OP_BITOR ? LLVMBuildOr(f->b, l, r, "")
                            : LLVMBuildXor(f->b, l, r, "");
  }
  if (res == ty_float)
    return float_op(f, op, body_conv(f, l, lt, ty_float),
                    body_conv(f, r, rt, ty_float));
  return body_int_op(f, op, body_conv(f, l, lt, ty_int),
                     body_conv(f, r, rt, ty_int));
}

static LLVMValueRef unary(FnBody *f, Node *n) {
  if (n->op == OP_NOT)
    return LLVMBuildNot(f->b, body_cond(f, n->lhs), "");
  Type *t = body_type(f, n->lhs), *res = body_type(f, n);
  LLVMValueRef v = body_conv(f, body_expr(f, n->lhs), t, res);
  switch (n->op) {
  case OP_NEG:
    if (res == ty_float)
      return LLVMBuildFNeg(f->b, v, "");
    return body_int_neg(f, v);
  case OP_INVERT:
    return body_int_invert(f, v);
  default:
    return v;
  }
}

/* ---- comparisons and truth ---- */

LLVMValueRef body_truth(FnBody *f, LLVMValueRef v, Type *t) {
  switch (t->kind) {
  case TY_BOOL: return v;
  case TY_NONE:
    return body_bool(f, false);
  case TY_INT:
    return LLVMBuildICmp(f->b, LLVMIntNE, v, body_i64(f, 0), "");
  case TY_FLOAT:
    return LLVMBuildFCmp(f->b, LLVMRealUNE, v, body_f64(f, 0), "");
  default: /* str, list, tuple: non-empty */
    return LLVMBuildICmp(f->b, LLVMIntNE, body_load_at(f, f->cg->t_i64, v, 8),
                         body_i64(f, 0), "");
  }
}

static LLVMValueRef num_compare(FnBody *f, OpCode op, LLVMValueRef a, Type *at,
                                LLVMValueRef b, Type *bt) {
  static const LLVMRealPredicate fp[] = {
      [OP_LT] = LLVMRealOLT, [OP_LE] = LLVMRealOLE, [OP_GT] = LLVMRealOGT,
      [OP_GE] = LLVMRealOGE, [OP_EQ] = LLVMRealOEQ, [OP_NE] = LLVMRealUNE};
  /* an int against a float compares exactly (a big may not fit a double) */
  if (at == ty_int && bt == ty_float)
    return body_int_float_cmp(f, fp[op], a, b);
  static const OpCode swapped[] = {[OP_LT] = OP_GT, [OP_LE] = OP_GE,
                                   [OP_GT] = OP_LT, [OP_GE] = OP_LE,
                                   [OP_EQ] = OP_EQ, [OP_NE] = OP_NE};
  if (at == ty_float && bt == ty_int)
    return body_int_float_cmp(f, fp[swapped[op]], b, a);
  if (at == ty_float || bt == ty_float)
    return LLVMBuildFCmp(f->b, fp[op], body_conv(f, a, at, ty_float),
                         body_conv(f, b, bt, ty_float), "");
  static const LLVMIntPredicate p[] = {
      [OP_LT] = LLVMIntSLT, [OP_LE] = LLVMIntSLE, [OP_GT] = LLVMIntSGT,
      [OP_GE] = LLVMIntSGE, [OP_EQ] = LLVMIntEQ, [OP_NE] = LLVMIntNE};
  return body_int_cmp(f, p[op], body_conv(f, a, at, ty_int),
                      body_conv(f, b, bt, ty_int));
}

static LLVMValueRef str_compare(FnBody *f, OpCode op, LLVMValueRef a,
                                LLVMValueRef b) {
  static const OpId ids[] = {[OP_LT] = OP_lt, [OP_LE] = OP_le,
                             [OP_GT] = OP_gt, [OP_GE] = OP_ge,
                             [OP_EQ] = OP_eq, [OP_NE] = OP_ne};
  LLVMValueRef vals[] = {a, b};
  Type *types[] = {ty_str, ty_str};
  return body_op_call(f, ids[op], vals, types, 2, ty_bool);
}

static LLVMValueRef compare1(FnBody *f, OpCode op, LLVMValueRef a, Type *at,
                             LLVMValueRef b, Type *bt);

/* x in xs: a loop over the list comparing with == */
static LLVMValueRef list_contains(FnBody *f, LLVMValueRef x, Type *xt,
                                  LLVMValueRef seq, Type *et) {
  LLVMValueRef res = body_alloca(f, f->cg->t_i1, "in");
  LLVMValueRef ctr = body_alloca(f, f->cg->t_i64, "in.i");
  LLVMBuildStore(f->b, body_bool(f, false), res);
  LLVMBuildStore(f->b, body_i64(f, 0), ctr);
  LLVMBasicBlockRef head = body_block(f, "in.head"),
                    body = body_block(f, "in.body"),
                    end = body_block(f, "in.end");
  LLVMBuildBr(f->b, head);
  LLVMPositionBuilderAtEnd(f->b, head);
  LLVMValueRef i = body_index_head(f, ctr, seq, body, end);
  LLVMValueRef item = cg_unbox(f->cg, et, body_seq_item(f, seq, i));
  LLVMValueRef eq = compare1(f, OP_EQ, x, xt, item, et);
  LLVMBuildStore(f->b, eq, res);
  LLVMBuildStore(f->b, LLVMBuildAdd(f->b, i, body_i64(f, 1), ""), ctr);
  LLVMBuildCondBr(f->b, eq, end, head);
  LLVMPositionBuilderAtEnd(f->b, end);
  return LLVMBuildLoad2(f->b, f->cg->t_i1, res, "");
}

static LLVMValueRef str_contains(FnBody *f, LLVMValueRef needle,
                                 LLVMValueRef hay) {
  Cg *cg = f->cg;
  LLVMTypeRef pt[] = {cg->t_ptr, cg->t_ptr};
  LLVMValueRef args[] = {hay, needle};
  LLVMValueRef r = body_call(f, "tr_str_contains", cg->t_i64, pt, 2, args);
  return LLVMBuildICmp(f->b, LLVMIntNE, r, body_i64(f, 0), "");
}

static LLVMValueRef compare1(FnBody *f, OpCode op, LLVMValueRef a, Type *at,
                             LLVMValueRef b, Type *bt) {
  if (op == OP_IN || op == OP_NOTIN) {
    LLVMValueRef r = bt == ty_str ? str_contains(f, a, b)
                     : bt->kind == TY_DICT
                         ? body_dict_contains(f, a, at, b) /* body_dict.c */
                         : list_contains(f, a, at, b, bt->elem);
    return op == OP_IN ? r : LLVMBuildNot(f->b, r, "");
  }
  if (op == OP_IS || op == OP_ISNOT) /* sema: one side is None */
    return body_bool(f, (at == bt) == (op == OP_IS));
  bool anum = at == ty_int || at == ty_float || at == ty_bool;
  bool bnum = bt == ty_int || bt == ty_float || bt == ty_bool;
  if (anum && bnum)
    return num_compare(f, op, a, at, b, bt);
  if (at == ty_str && bt == ty_str)
    return str_compare(f, op, a, b);
  if (at == ty_none && bt == ty_none)
    return body_bool(f, op == OP_EQ || op == OP_LE || op == OP_GE);
  if (at->kind == TY_DICT && bt->kind == TY_DICT) /* sema: == or != */
    return body_dict_equal(f, op, a, at, b, bt); /* body_dict.c */
  return body_bool(f, op == OP_NE); /* different kinds are never equal */
}

/* a < b < c: each operand evaluated once, stop at the first false */
static LLVMValueRef compare(FnBody *f, Node *n) {
  LLVMValueRef res = body_alloca(f, f->cg->t_i1, "cmp");
  LLVMBasicBlockRef end = body_block(f, "cmp.end");
  LLVMValueRef a = body_expr(f, n->items[0]);
  Type *at = body_type(f, n->items[0]);
  for (int i = 1; i < n->nitems; i++) {
    LLVMValueRef b = body_expr(f, n->items[i]);
    Type *bt = body_type(f, n->items[i]);
    LLVMValueRef c = compare1(f, n->ops[i - 1], a, at, b, bt);
    body_release(f, n->items[i - 1], a);
    if (i + 1 == n->nitems)
      body_release(f, n->items[i], b);
    LLVMBuildStore(f->b, c, res);
    if (i + 1 < n->nitems) {
      LLVMBasicBlockRef more = body_block(f, "cmp.more");
      if (body_is_fresh(f, n->items[i])) { /* b is not read again */
        LLVMBasicBlockRef stop = body_block(f, "cmp.stop");
        LLVMBuildCondBr(f->b, c, more, stop);
        LLVMPositionBuilderAtEnd(f->b, stop);
        body_release(f, n->items[i], b);
        LLVMBuildBr(f->b, end);
      } else {
        LLVMBuildCondBr(f->b, c, more, end);
      }
      LLVMPositionBuilderAtEnd(f->b, more);
    }
    a = b;
    at = bt;
  }
  LLVMBuildBr(f->b, end);
  LLVMPositionBuilderAtEnd(f->b, end);
  return LLVMBuildLoad2(f->b, f->cg->t_i1, res, "");
}

/* and/or for a truth value: operands of any types */
LLVMValueRef body_cond(FnBody *f, Node *n) {
  if (n->kind == N_UNARY && n->op == OP_NOT)
    return LLVMBuildNot(f->b, body_cond(f, n->lhs), "");
  if (n->kind != N_BOOLOP || !body_info(f, n)->cond) {
    LLVMValueRef v = body_expr(f, n);
    LLVMValueRef c = body_truth(f, v, body_type(f, n));
    body_release(f, n, v);
    return c;
  }
  LLVMValueRef res = body_alloca(f, f->cg->t_i1, "cond");
  LLVMBasicBlockRef rhs = body_block(f, "cond.rhs");
  LLVMBasicBlockRef end = body_block(f, "cond.end");
  LLVMValueRef l = body_cond(f, n->lhs);
  LLVMBuildStore(f->b, l, res);
  if (n->op == OP_AND)
    LLVMBuildCondBr(f->b, l, rhs, end);
  else
    LLVMBuildCondBr(f->b, l, end, rhs);
  LLVMPositionBuilderAtEnd(f->b, rhs);
  LLVMBuildStore(f->b, body_cond(f, n->rhs), res);
  LLVMBuildBr(f->b, end);
  LLVMPositionBuilderAtEnd(f->b, end);
  return LLVMBuildLoad2(f->b, f->cg->t_i1, res, "");
}

/* `a and b` as a value: a if a is false, else b (one type, from sema).
 * If either side is a new reference the result is one too: both sides are
 * taken as new references and a left side that is not the result is
 * released. */
static LLVMValueRef boolop(FnBody *f, Node *n) {
  if (body_info(f, n)->cond)
    return body_cond(f, n);
  Type *t = body_type(f, n);
  bool own = body_is_fresh(f, n);
  LLVMValueRef res = body_alloca(f, cg_native_type(f->cg, t), "boolop");
  LLVMBasicBlockRef rhs = body_block(f, "bool.rhs");
  LLVMBasicBlockRef end = body_block(f, "bool.end");
  LLVMValueRef l = own ? body_expr_owned(f, n->lhs, t) : body_expr(f, n->lhs);
  LLVMBuildStore(f->b, l, res);
  LLVMValueRef c = body_truth(f, l, t);
  if (n->op == OP_AND)
    LLVMBuildCondBr(f->b, c, rhs, end);
  else
    LLVMBuildCondBr(f->b, c, end, rhs);
  LLVMPositionBuilderAtEnd(f->b, rhs);
  if (own)
    body_decref(f, t, l);
  LLVMBuildStore(
      f->b, own ? body_expr_owned(f, n->rhs, t) : body_expr(f, n->rhs), res);
  LLVMBuildBr(f->b, end);
  LLVMPositionBuilderAtEnd(f->b, end);
  return LLVMBuildLoad2(f->b, cg_native_type(f->cg, t), res, "");
}

/* Like boolop: a new reference if either branch gives one. */
static LLVMValueRef ifexp(FnBody *f, Node *n) {
  Type *t = body_type(f, n);
  bool own = body_is_fresh(f, n);
  LLVMValueRef res = body_alloca(f, cg_native_type(f->cg, t), "ifexp");
  LLVMBasicBlockRef a = body_block(f, "ifexp.then");
  LLVMBasicBlockRef b = body_block(f, "ifexp.else");
  LLVMBasicBlockRef end = body_block(f, "ifexp.end");
  LLVMBuildCondBr(f->b, body_cond(f, n->cond), a, b);
  LLVMPositionBuilderAtEnd(f->b, a);
  LLVMBuildStore(
      f->b, own ? body_expr_owned(f, n->then, t) : body_expr_as(f, n->then, t),
      res);
  LLVMBuildBr(f->b, end);
  LLVMPositionBuilderAtEnd(f->b, b);
  LLVMBuildStore(
      f->b, own ? body_expr_owned(f, n->els, t) : body_expr_as(f, n->els, t),
      res);
  LLVMBuildBr(f->b, end);
  LLVMPositionBuilderAtEnd(f->b, end);
  return LLVMBuildLoad2(f->b, cg_native_type(f->cg, t), res, "");
}

/* ---- subscripts and displays ---- */

/* An item of a new list or tuple outlives it: a new reference to the item,
 * then the container is released. */
static LLVMValueRef item_of(FnBody *f, Node *n, LLVMValueRef base,
                            LLVMValueRef p) {
  Type *res = body_type(f, n);
  LLVMValueRef v = cg_unbox(f->cg, res, p);
  if (body_is_fresh(f, n->lhs)) {
    body_incref(f, res, v);
    body_release(f, n->lhs, base);
  }
  return v;
}

static LLVMValueRef subscript(FnBody *f, Node *n) {
  if (n->rhs->kind == N_SLICE)
    return body_type(f, n->lhs) == ty_str ? body_str_slice(f, n)
                                          : body_slice(f, n); /* body_method.c */
  Type *t = body_type(f, n->lhs);
  if (t->kind == TY_DICT)
    return body_dict_get(f, n); /* body_dict.c */
  if (body_str_split_fusable(f, n->lhs, n->rhs))
    return body_str_split_use(f, n->lhs, n->rhs); /* s.split(",")[2] */
  LLVMValueRef base = body_expr(f, n->lhs);
  if (t->kind == TY_TUPLE) {
    int i = body_info(f, n)->slot;
    return item_of(f, n, base, body_seq_item(f, base, body_i64(f, i)));
  }
  LLVMValueRef i = body_expr_as(f, n->rhs, ty_int);
  if (t == ty_str) {
    LLVMValueRef vals[] = {base, i};
    Type *types[] = {ty_str, ty_int};
    LLVMValueRef c = body_op_call(f, OP_getitem, vals, types, 2, ty_str);
    body_release(f, n->lhs, base);
    return c;
  }
  Cg *cg = f->cg;
  LLVMValueRef len = body_load_at(f, cg->t_i64, base, 8);
  LLVMValueRef neg = LLVMBuildICmp(f->b, LLVMIntSLT, i, body_i64(f, 0), "");
  LLVMValueRef j = LLVMBuildSelect(f->b, neg, LLVMBuildAdd(f->b, i, len, ""),
                                   i, "");
  LLVMBasicBlockRef ok =
      body_fail_if(f, LLVMBuildICmp(f->b, LLVMIntUGE, j, len, ""));
  LLVMTypeRef pt[] = {cg->t_i64, cg->t_i64};
  LLVMValueRef args[] = {i, len};
  body_call(f, "tr_index_error", cg->t_void, pt, 2, args);
  body_fail_end(f, ok);
  return item_of(f, n, base, body_seq_item(f, base, j));
}

/* [a, b] and (a, b): a new TrSeq whose items take references */
static LLVMValueRef display(FnBody *f, Node *n) {
  Type *t = body_type(f, n);
  LLVMValueRef seq = body_call(f, "tr_seq_new", f->cg->t_ptr, &f->cg->t_i64, 1,
                               (LLVMValueRef[]){body_i64(f, n->nitems)});
  for (int i = 0; i < n->nitems; i++) {
    Type *et = t->kind == TY_LIST ? t->elem : t->elems[i];
    LLVMValueRef v = body_expr_owned(f, n->items[i], et);
    cg_box(f->cg, et, v, body_seq_item(f, seq, body_i64(f, i)));
  }
  return seq;
}

static LLVMValueRef constant(FnBody *f, const char *q) {
  double v = NAN;
  op_constant(q, &v);
  return body_f64(f, v);
}

/* n applied to l, the value of its left operand. */
static LLVMValueRef binop_step(FnBody *f, Node *n, LLVMValueRef l) {
  LLVMValueRef r = body_expr(f, n->rhs);
  LLVMValueRef v = body_binop(f, n->op, l, body_type(f, n->lhs), r,
                              body_type(f, n->rhs), body_type(f, n));
  body_release(f, n->lhs, l);
  body_release(f, n->rhs, r);
  return v;
}

/* `a + b + c + ...` is as deep as it is long: its left spine is lowered in
 * a loop, bottom up (left first, as Python), so a 100,000-term sum needs
 * no deep recursion. */
static LLVMValueRef binop_chain(FnBody *f, Node *n) {
  if (n->lhs->kind != N_BINOP)
    return binop_step(f, n, body_expr(f, n->lhs));
  int k = 0;
  for (Node *s = n; s->kind == N_BINOP; s = s->lhs)
    k++;
  Node **spine = ARENA_ARRAY(f->cg->a, Node *, k);
  k = 0;
  for (Node *s = n; s->kind == N_BINOP; s = s->lhs)
    spine[k++] = s;
  LLVMValueRef v = body_expr(f, spine[k - 1]->lhs);
  for (int i = k - 1; i >= 0; i--)
    v = binop_step(f, spine[i], v);
  return v;
}

/* x.real and x.numerator are x (a bool's as an int), x.imag 0, and
 * x.denominator 1 (sema_expr.c: numbers only); x is evaluated either way. */
static LLVMValueRef number_attr(FnBody *f, Node *n, int which) {
  Type *t = body_type(f, n->lhs);
  LLVMValueRef v = body_expr(f, n->lhs);
  if (which == SEMA_A_IMAG)
    return t == ty_float ? body_f64(f, 0.0) : body_i64(f, 0);
  if (which == SEMA_A_DENOMINATOR)
    return body_i64(f, 1);
  return t == ty_bool ? body_conv(f, v, ty_bool, ty_int) : v;
}

LLVMValueRef body_expr(FnBody *f, Node *n) {
  switch (n->kind) {
  case N_INT: /* a literal in the range kept for bigs becomes one */
    if (n->str)
      return body_big_literal(f, n->str, n->len);
    return n->ival < TR_BIG_LIMIT ? body_int_from_c(f, body_i64(f, n->ival))
                                  : body_i64(f, n->ival);
  case N_FLOAT:
    return body_f64(f, n->fval);
  case N_STR:
    return body_str_const(f, n->str, n->len);
  case N_TRUE:
    return body_bool(f, true);
  case N_FALSE:
  case N_NONE:
    return body_bool(f, false);
  case N_NAME:
  case N_ATTR: {
    NodeInfo *ni = body_info(f, n);
    if (ni->qname)
      return constant(f, ni->qname);
    if (n->kind == N_ATTR && ni->method)
      return number_attr(f, n, ni->method);
    return LLVMBuildLoad2(f->b, cg_native_type(f->cg, ni->type),
                          f->slots[ni->slot], n->name);
  }
  case N_BINOP: return binop_chain(f, n);
  case N_UNARY: return unary(f, n);
  case N_BOOLOP: return boolop(f, n);
  case N_COMPARE: return compare(f, n);
  case N_IFEXP: return ifexp(f, n);
  case N_CALL:
    return body_call_expr(f, n);
  case N_SUBSCRIPT: return subscript(f, n);
  case N_LIST:
  case N_TUPLE: return display(f, n);
  case N_FSTRING: return body_fstring(f, n);
  case N_LISTCOMP: return body_listcomp(f, n);
  case N_DICT:
  case N_DICTCOMP:
  case N_SET: return body_dict_expr(f, n); /* body_dict.c */
  default:
    diag_error(n->loc, "internal error: expression not lowered");
  }
}
