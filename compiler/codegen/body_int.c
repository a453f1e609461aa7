/* body_int.c - Python's ints in function bodies: int64 on the fast path,
 * the runtime's big ints (runtime/bigint*.c, GMP) past it. An int is an
 * i64 whose values below TR_BIG_LIMIT encode a big (taskrt.h), so every
 * operation here is the plain instruction plus one test -- an operand or
 * the result in the reserved range, or an overflow -- that branches to a
 * call of the runtime's tr_int_*_slow, which gives the exact result. */
#include "../../runtime/taskrt.h"
#include "body.h"

LLVMValueRef body_int_big(FnBody *f, LLVMValueRef v) {
  return LLVMBuildICmp(f->b, LLVMIntSLT, v, body_i64(f, TR_BIG_LIMIT), "big");
}

LLVMValueRef body_int_slow_if(FnBody *f, LLVMValueRef cond, LLVMValueRef fast,
                              const char *fn, LLVMValueRef *args, int n) {
  LLVMBasicBlockRef here = LLVMGetInsertBlock(f->b);
  LLVMBasicBlockRef slow = body_block(f, "int.slow");
  LLVMBasicBlockRef join = body_block(f, "int.join");
  LLVMBuildCondBr(f->b, cond, slow, join);
  LLVMPositionBuilderAtEnd(f->b, slow);
  LLVMTypeRef pt[3];
  for (int i = 0; i < n && i < 3; i++)
    pt[i] = LLVMTypeOf(args[i]);
  LLVMValueRef r = body_call(f, fn, LLVMTypeOf(fast), pt, (unsigned)n, args);
  LLVMBasicBlockRef slow_end = LLVMGetInsertBlock(f->b);
  LLVMBuildBr(f->b, join);
  LLVMPositionBuilderAtEnd(f->b, join);
  LLVMValueRef phi = LLVMBuildPhi(f->b, LLVMTypeOf(fast), "");
  LLVMValueRef in[] = {fast, r};
  LLVMBasicBlockRef from[] = {here, slow_end};
  LLVMAddIncoming(phi, in, from, 2);
  return phi;
}

static LLVMValueRef either_big(FnBody *f, LLVMValueRef a, LLVMValueRef b) {
  return LLVMBuildOr(f->b, body_int_big(f, a), body_int_big(f, b), "");
}

/* + - * through llvm.s*.with.overflow.i64 */
static LLVMValueRef overflowing(FnBody *f, const char *intr, const char *slow,
                                LLVMValueRef a, LLVMValueRef b) {
  Cg *cg = f->cg;
  LLVMTypeRef el[] = {cg->t_i64, cg->t_i1};
  LLVMTypeRef st = LLVMStructTypeInContext(cg->ctx, el, 2, 0);
  LLVMTypeRef pt[] = {cg->t_i64, cg->t_i64};
  LLVMValueRef args[] = {a, b};
  LLVMValueRef rv = body_call(f, intr, st, pt, 2, args);
  LLVMValueRef r = LLVMBuildExtractValue(f->b, rv, 0, "");
  LLVMValueRef bad = LLVMBuildOr(f->b, LLVMBuildExtractValue(f->b, rv, 1, ""),
                                 body_int_big(f, r), "");
  bad = LLVMBuildOr(f->b, bad, either_big(f, a, b), "");
  return body_int_slow_if(f, bad, r, slow, args, 2);
}

/* & | ^: exact on plain ints, but may land in the reserved range */
static LLVMValueRef bitwise(FnBody *f, LLVMValueRef r, LLVMValueRef a,
                            LLVMValueRef b, char op) {
  LLVMValueRef bad = LLVMBuildOr(f->b, either_big(f, a, b), body_int_big(f, r), "");
  LLVMValueRef args[] = {a, b, body_i64(f, op)};
  return body_int_slow_if(f, bad, r, "tr_int_bit_slow", args, 3);
}

/* << and >>: a count past 63 or bits shifted out take the slow path, which
 * also fails a negative count of a big operand */
static LLVMValueRef shift(FnBody *f, OpCode op, LLVMValueRef a, LLVMValueRef b) {
  LLVMValueRef anybig = either_big(f, a, b);
  LLVMValueRef neg = LLVMBuildICmp(f->b, LLVMIntSLT, b, body_i64(f, 0), "");
  body_fail_msg(f, LLVMBuildAnd(f->b, neg, LLVMBuildNot(f->b, anybig, ""), ""),
                "negative shift count");
  LLVMValueRef far = LLVMBuildICmp(f->b, LLVMIntUGT, b, body_i64(f, 63), "");
  LLVMValueRef s = LLVMBuildSelect(f->b, far, body_i64(f, 63), b, "");
  bool left = op == OP_LSHIFT;
  LLVMValueRef r, bad = anybig;
  if (left) {
    r = LLVMBuildShl(f->b, a, s, "");
    LLVMValueRef lost = LLVMBuildICmp(f->b, LLVMIntNE,
                                      LLVMBuildAShr(f->b, r, s, ""), a, "");
    LLVMValueRef nz = LLVMBuildICmp(f->b, LLVMIntNE, a, body_i64(f, 0), "");
    lost = LLVMBuildOr(f->b, lost, LLVMBuildAnd(f->b, far, nz, ""), "");
    bad = LLVMBuildOr(f->b, LLVMBuildOr(f->b, bad, lost, ""), body_int_big(f, r), "");
    r = LLVMBuildSelect(f->b, far, body_i64(f, 0), r, "");
  } else { /* >> 64 and more leaves only the sign */
    r = LLVMBuildAShr(f->b, a, s, "");
  }
  LLVMValueRef args[] = {a, b, body_i64(f, left)};
  return body_int_slow_if(f, bad, r, "tr_int_shift_slow", args, 3);
}

static LLVMValueRef rt2(FnBody *f, const char *name, LLVMValueRef a,
                        LLVMValueRef b) {
  LLVMTypeRef pt[] = {f->cg->t_i64, f->cg->t_i64};
  LLVMValueRef args[] = {a, b};
  return body_call(f, name, f->cg->t_i64, pt, 2, args);
}

/* // and % floor (the remainder takes the divisor's sign). Inline for
 * plain operands and a divisor other than 0 and -1 (then the result is
 * plain too, and a constant divisor becomes a multiplication); else
 * tr_int_floordiv / tr_int_mod, which fail on zero and take bigs. */
static LLVMValueRef divmod(FnBody *f, LLVMValueRef a, LLVMValueRef b, bool mod) {
  LLVMBuilderRef B = f->b;
  LLVMValueRef odd = LLVMBuildOr(
      B, LLVMBuildICmp(B, LLVMIntEQ, b, body_i64(f, 0), ""),
      LLVMBuildICmp(B, LLVMIntEQ, b, body_i64(f, -1), ""), "");
  LLVMValueRef slow = LLVMBuildOr(B, odd, either_big(f, a, b), "");
  LLVMValueRef d = LLVMBuildSelect(B, slow, body_i64(f, 1), b, "");
  LLVMValueRef q = LLVMBuildSDiv(B, a, d, "");
  LLVMValueRef r = LLVMBuildSRem(B, a, d, "");
  LLVMValueRef fix = LLVMBuildAnd(
      B, LLVMBuildICmp(B, LLVMIntNE, r, body_i64(f, 0), ""),
      LLVMBuildICmp(B, LLVMIntSLT, LLVMBuildXor(B, r, d, ""), body_i64(f, 0), ""), "");
  LLVMValueRef fast =
      mod ? LLVMBuildSelect(B, fix, LLVMBuildAdd(B, r, d, ""), r, "")
          : LLVMBuildSelect(B, fix, LLVMBuildSub(B, q, body_i64(f, 1), ""), q, "");
  LLVMValueRef args[] = {a, b};
  return body_int_slow_if(f, slow, fast, mod ? "tr_int_mod" : "tr_int_floordiv", args, 2);
}

LLVMValueRef body_int_op(FnBody *f, OpCode op, LLVMValueRef a, LLVMValueRef b) {
  switch (op) {
  case OP_ADD:
    return overflowing(f, "llvm.sadd.with.overflow.i64", "tr_int_add_slow", a, b);
  case OP_SUB:
    return overflowing(f, "llvm.ssub.with.overflow.i64", "tr_int_sub_slow", a, b);
  case OP_MUL:
    return overflowing(f, "llvm.smul.with.overflow.i64", "tr_int_mul_slow", a, b);
  case OP_FLOORDIV: return divmod(f, a, b, false);
  case OP_MOD: return divmod(f, a, b, true);
  case OP_POW: return rt2(f, "tr_int_pow", a, b);
  case OP_BITAND: return bitwise(f, LLVMBuildAnd(f->b, a, b, ""), a, b, '&');
  case OP_BITOR: return bitwise(f, LLVMBuildOr(f->b, a, b, ""), a, b, '|');
  case OP_BITXOR: return bitwise(f, LLVMBuildXor(f->b, a, b, ""), a, b, '^');
  default: return shift(f, op, a, b);
  }
}

LLVMValueRef body_int_neg(FnBody *f, LLVMValueRef v) {
  LLVMValueRef r = LLVMBuildNeg(f->b, v, "");
  LLVMValueRef bad = LLVMBuildOr(f->b, body_int_big(f, v), body_int_big(f, r), "");
  return body_int_slow_if(f, bad, r, "tr_int_neg_slow", &v, 1);
}

LLVMValueRef body_int_abs(FnBody *f, LLVMValueRef v) {
  LLVMValueRef neg = LLVMBuildICmp(f->b, LLVMIntSLT, v, body_i64(f, 0), "");
  LLVMValueRef r = LLVMBuildSelect(f->b, neg, LLVMBuildNeg(f->b, v, ""), v, "");
  return body_int_slow_if(f, body_int_big(f, v), r, "tr_int_abs_slow", &v, 1);
}

LLVMValueRef body_int_invert(FnBody *f, LLVMValueRef v) {
  return bitwise(f, LLVMBuildNot(f->b, v, ""), v, body_i64(f, 0), '~');
}

LLVMValueRef body_int_cmp(FnBody *f, LLVMIntPredicate p, LLVMValueRef a,
                          LLVMValueRef b) {
  LLVMValueRef args[] = {a, b};
  LLVMValueRef c = body_int_slow_if(f, either_big(f, a, b), body_i64(f, 0),
                                    "tr_int_cmp_slow", args, 2);
  /* plain operands: c is 0 and a, b themselves decide */
  LLVMValueRef plain = LLVMBuildICmp(f->b, p, a, b, "");
  LLVMValueRef slow = LLVMBuildICmp(f->b, p, c, body_i64(f, 0), "");
  return LLVMBuildSelect(f->b, either_big(f, a, b), slow, plain, "");
}

LLVMValueRef body_int_to_c(FnBody *f, LLVMValueRef v) {
  body_fail_msg(f, body_int_big(f, v), "Python int too large to convert to C int64_t");
  return v;
}

LLVMValueRef body_int_from_c(FnBody *f, LLVMValueRef v) {
  return body_int_slow_if(f, body_int_big(f, v), v, "tr_int_from_c", &v, 1);
}

static LLVMValueRef range_arg(FnBody *f, LLVMValueRef v, int64_t is_stop) {
  if (LLVMIsAConstantInt(v))
    return v;
  LLVMValueRef args[] = {v, body_i64(f, is_stop)};
  return body_int_slow_if(f, body_int_big(f, v), v, "tr_range_arg", args, 2);
}

void body_range_args(FnBody *f, LLVMValueRef *start, LLVMValueRef *stop,
                     LLVMValueRef *step) {
  *start = range_arg(f, *start, 0);
  *stop = range_arg(f, *stop, 1);
  *step = range_arg(f, *step, 0);
}

LLVMValueRef body_int_to_float(FnBody *f, LLVMValueRef v) {
  LLVMValueRef r = LLVMBuildSIToFP(f->b, v, f->cg->t_f64, "");
  return body_int_slow_if(f, body_int_big(f, v), r, "tr_int_to_float_slow", &v, 1);
}

/* int (a) against float (b), exact as Python compares them; NaN unordered */
LLVMValueRef body_int_float_cmp(FnBody *f, LLVMRealPredicate p, LLVMValueRef a,
                                LLVMValueRef b) {
  Cg *cg = f->cg;
  /* a big, or a plain int a double may not hold exactly (|a| > 2^53) */
  LLVMValueRef big = LLVMBuildICmp(
      f->b, LLVMIntUGT, LLVMBuildAdd(f->b, a, body_i64(f, (int64_t)1 << 53), ""),
      body_i64(f, (int64_t)1 << 54), "");
  LLVMBasicBlockRef here = LLVMGetInsertBlock(f->b);
  LLVMBasicBlockRef slow = body_block(f, "int.slow");
  LLVMBasicBlockRef join = body_block(f, "int.join");
  LLVMValueRef fast = LLVMBuildFCmp(
      f->b, p, LLVMBuildSIToFP(f->b, a, cg->t_f64, ""), b, "");
  LLVMBuildCondBr(f->b, big, slow, join);
  LLVMPositionBuilderAtEnd(f->b, slow);
  LLVMTypeRef pt[] = {cg->t_i64, cg->t_f64};
  LLVMValueRef args[] = {a, b};
  LLVMValueRef c = body_call(f, "tr_int_float_cmp", cg->t_i64, pt, 2, args);
  static const LLVMIntPredicate ip[] = {
      [LLVMRealOLT] = LLVMIntSLT, [LLVMRealOLE] = LLVMIntSLE,
      [LLVMRealOGT] = LLVMIntSGT, [LLVMRealOGE] = LLVMIntSGE,
      [LLVMRealOEQ] = LLVMIntEQ,  [LLVMRealUNE] = LLVMIntNE};
  LLVMValueRef r = LLVMBuildICmp(f->b, ip[p], c, body_i64(f, 0), "");
  LLVMValueRef nan = LLVMBuildICmp(f->b, LLVMIntEQ, c, body_i64(f, 2), "");
  r = LLVMBuildSelect(f->b, nan, body_bool(f, p == LLVMRealUNE), r, "");
  LLVMBuildBr(f->b, join);
  LLVMPositionBuilderAtEnd(f->b, join);
  LLVMValueRef phi = LLVMBuildPhi(f->b, cg->t_i1, "");
  LLVMValueRef in[] = {fast, r};
  LLVMBasicBlockRef from[] = {here, slow};
  LLVMAddIncoming(phi, in, from, 2);
  return phi;
}

/* A decimal literal past int64 (`10 ** 30` written out): a big made from
 * its digits each time it is evaluated, as the runtime's ints are. */
LLVMValueRef body_big_literal(FnBody *f, const char *digits, int n) {
  Cg *cg = f->cg;
  LLVMValueRef args[] = {LLVMBuildGlobalStringPtr(f->b, digits, "bigdigits"),
                         body_i64(f, n), LLVMConstInt(cg->t_i1, 0, 0)};
  LLVMTypeRef pt[] = {LLVMTypeOf(args[0]), cg->t_i64, cg->t_i1};
  return body_call(f, "tr_int_from_digits", cg->t_i64, pt, 3, args);
}
