/* body_call.c - calls in function bodies: user functions (their own
 * specialised LLVM functions), @extern C functions, list.append, and the
 * builtins of ir/ops.def lowered natively (math.* through LLVM intrinsics
 * with Python's domain checks) or through their run-time implementation
 * tr_op_<id> on boxed values. */
#include <string.h>

#include "../../runtime/taskrt.h"
#include "body.h"

static LLVMValueRef intr1(Fb *f, const char *name, LLVMValueRef x) {
  return fb_call(f, name, f->cg->t_f64, &f->cg->t_f64, 1, &x);
}

static LLVMValueRef fcmp(Fb *f, LLVMRealPredicate p, LLVMValueRef a,
                         double b) {
  return LLVMBuildFCmp(f->b, p, a, fb_f64(f, b), "");
}

static LLVMValueRef is_inf(Fb *f, LLVMValueRef x) {
  return fcmp(f, LLVMRealOEQ, intr1(f, "llvm.fabs.f64", x), 1.0 / 0.0);
}

LLVMValueRef fb_float_to_int(Fb *f, LLVMValueRef d) {
  fb_fail_msg(f, LLVMBuildFCmp(f->b, LLVMRealUNO, d, d, ""),
              "cannot convert float NaN to integer");
  fb_fail_msg(f, is_inf(f, d), "cannot convert float infinity to integer");
  /* beyond int64: Python would make a big int */
  LLVMValueRef big = LLVMBuildOr(f->b, fcmp(f, LLVMRealOGE, d, 0x1p63),
                                 fcmp(f, LLVMRealOLT, d, -0x1p63), "");
  LLVMBasicBlockRef ok = fb_fail_if(f, big);
  fb_call(f, "tr_overflow", f->cg->t_void, NULL, 0, NULL);
  fb_fail_end(f, ok);
  return LLVMBuildFPToSI(f->b, d, f->cg->t_i64, "");
}

/* min/max of scalars: Python keeps the first of equal values and compares
 * each next one against the best so far. */
static LLVMValueRef minmax(Fb *f, Node *n, bool is_max) {
  Type *t = fb_type(f, n);
  LLVMValueRef best = fb_expr_as(f, n->items[0], t);
  for (int i = 1; i < n->nitems; i++) {
    LLVMValueRef v = fb_expr_as(f, n->items[i], t);
    LLVMValueRef better =
        t == ty_float
            ? LLVMBuildFCmp(f->b, is_max ? LLVMRealOGT : LLVMRealOLT, v, best,
                            "")
            : LLVMBuildICmp(f->b, is_max ? LLVMIntSGT : LLVMIntSLT, v, best,
                            "");
    best = LLVMBuildSelect(f->b, better, v, best, "");
  }
  return best;
}

static LLVMValueRef abs_(Fb *f, Node *n) {
  Type *t = fb_type(f, n);
  LLVMValueRef v = fb_expr_as(f, n->items[0], t);
  if (t == ty_float)
    return intr1(f, "llvm.fabs.f64", v);
  LLVMValueRef min = LLVMBuildICmp(f->b, LLVMIntEQ, v, fb_i64(f, INT64_MIN),
                                   "");
  LLVMBasicBlockRef ok = fb_fail_if(f, min);
  fb_call(f, "tr_overflow", f->cg->t_void, NULL, 0, NULL);
  fb_fail_end(f, ok);
  LLVMValueRef neg = LLVMBuildICmp(f->b, LLVMIntSLT, v, fb_i64(f, 0), "");
  return LLVMBuildSelect(f->b, neg, LLVMBuildNeg(f->b, v, ""), v, "");
}

static LLVMValueRef len_(Fb *f, Node *n) {
  LLVMValueRef v = fb_expr(f, n->items[0]);
  LLVMValueRef len = fb_load_at(f, f->cg->t_i64, v, 8);
  fb_release(f, n->items[0], v);
  return len;
}

static LLVMValueRef round_(Fb *f, Node *n) {
  Type *t = fb_type(f, n->items[0]);
  if (n->nitems == 2) {
    LLVMTypeRef pt[] = {f->cg->t_f64, f->cg->t_i64};
    LLVMValueRef x = fb_expr_as(f, n->items[0], ty_float);
    LLVMValueRef args[] = {x, fb_expr_as(f, n->items[1], ty_int)};
    return fb_call(f, "tr_round_half_even", f->cg->t_f64, pt, 2, args);
  }
  if (t != ty_float)
    return fb_expr_as(f, n->items[0], ty_int);
  return fb_float_to_int(
      f, intr1(f, "llvm.roundeven.f64", fb_expr(f, n->items[0])));
}

/* int(x), math.floor(x), math.ceil(x) */
static LLVMValueRef to_int(Fb *f, Node *n, const char *intr) {
  Type *t = fb_type(f, n->items[0]);
  if (t != ty_float)
    return fb_expr_as(f, n->items[0], ty_int);
  return fb_float_to_int(f, intr1(f, intr, fb_expr(f, n->items[0])));
}

static LLVMValueRef print_(Fb *f, Node *n) {
  Cg *cg = f->cg;
  int k = n->nitems;
  LLVMValueRef arr = fb_alloca(
      f, LLVMArrayType2(cg->t_value, (unsigned)(k ? k : 1)), "print");
  for (int i = 0; i < k; i++) {
    LLVMValueRef p = LLVMBuildInBoundsGEP2(f->b, cg->t_value, arr,
                                           (LLVMValueRef[]){fb_i64(f, i)}, 1,
                                           "");
    cg_box(cg, fb_type(f, n->items[i]), fb_expr(f, n->items[i]), p);
  }
  LLVMTypeRef pt[] = {cg->t_ptr, cg->t_i64};
  LLVMValueRef args[] = {arr, fb_i64(f, k)};
  fb_call(f, "tr_print", cg->t_void, pt, 2, args);
  for (int i = 0; i < k; i++)
    if (fb_is_heap(fb_type(f, n->items[i])) && fb_is_fresh(f, n->items[i])) {
      LLVMValueRef p = LLVMBuildInBoundsGEP2(
          f->b, cg->t_value, arr, (LLVMValueRef[]){fb_i64(f, i)}, 1, "");
      fb_call(f, "tr_decref", cg->t_void, &cg->t_ptr, 1, &p);
    }
  return fb_bool(f, false);
}

static LLVMValueRef arg_f(Fb *f, Node *n, int i) {
  return fb_expr_as(f, n->items[i], ty_float);
}

static void domain_error(Fb *f, LLVMValueRef cond) {
  fb_fail_msg(f, cond, "math domain error");
}

/* math.log(x) or math.log(x, base) */
static LLVMValueRef log_(Fb *f, Node *n) {
  LLVMValueRef x = arg_f(f, n, 0);
  domain_error(f, fcmp(f, LLVMRealOLE, x, 0));
  LLVMValueRef r = intr1(f, "llvm.log.f64", x);
  if (n->nitems == 1)
    return r;
  LLVMValueRef b = arg_f(f, n, 1);
  domain_error(f, fcmp(f, LLVMRealOLE, b, 0));
  LLVMValueRef lb = intr1(f, "llvm.log.f64", b);
  LLVMBasicBlockRef ok = fb_fail_if(f, fcmp(f, LLVMRealOEQ, lb, 0));
  LLVMValueRef m = LLVMBuildGlobalStringPtr(f->b, "float division by zero", "");
  fb_call(f, "tr_zero_division", f->cg->t_void, &f->cg->t_ptr, 1, &m);
  fb_fail_end(f, ok);
  return LLVMBuildFDiv(f->b, r, lb, "");
}

/* exp and pow overflow to inf from finite arguments: "math range error" */
static LLVMValueRef range_checked(Fb *f, LLVMValueRef r, LLVMValueRef finite) {
  LLVMValueRef over = LLVMBuildAnd(f->b, is_inf(f, r), finite, "");
  fb_fail_msg(f, over, "math range error");
  return r;
}

static LLVMValueRef is_finite(Fb *f, LLVMValueRef x) {
  return fcmp(f, LLVMRealOLT, intr1(f, "llvm.fabs.f64", x), 1.0 / 0.0);
}

static LLVMValueRef mpow(Fb *f, Node *n) {
  LLVMValueRef x = arg_f(f, n, 0), y = arg_f(f, n, 1);
  LLVMValueRef args[] = {x, y};
  LLVMTypeRef pt[] = {f->cg->t_f64, f->cg->t_f64};
  /* 0 ** negative, and a negative base with a fractional exponent */
  domain_error(f, LLVMBuildAnd(f->b, fcmp(f, LLVMRealOEQ, x, 0),
                               fcmp(f, LLVMRealOLT, y, 0), ""));
  LLVMValueRef frac = LLVMBuildFCmp(
      f->b, LLVMRealONE, intr1(f, "llvm.trunc.f64", y), y, "");
  LLVMValueRef negbase = LLVMBuildAnd(f->b, fcmp(f, LLVMRealOLT, x, 0),
                                      is_finite(f, x), "");
  domain_error(f, LLVMBuildAnd(f->b, negbase,
                               LLVMBuildAnd(f->b, frac, is_finite(f, y), ""),
                               ""));
  LLVMValueRef r = fb_call(f, "llvm.pow.f64", f->cg->t_f64, pt, 2, args);
  return range_checked(
      f, r, LLVMBuildAnd(f->b, is_finite(f, x), is_finite(f, y), ""));
}

static LLVMValueRef math1(Fb *f, Node *n, OpId id) {
  LLVMValueRef x = arg_f(f, n, 0);
  switch (id) {
  case OP_math_sqrt:
    domain_error(f, fcmp(f, LLVMRealOLT, x, 0));
    return intr1(f, "llvm.sqrt.f64", x);
  case OP_math_exp:
    return range_checked(f, intr1(f, "llvm.exp.f64", x), is_finite(f, x));
  case OP_math_sin:
  case OP_math_cos:
  case OP_math_tan:
    domain_error(f, is_inf(f, x));
    return intr1(f, id == OP_math_sin ? "llvm.sin.f64" : id == OP_math_cos
                                                        ? "llvm.cos.f64"
                                                        : "tan",
                 x);
  case OP_math_fabs:
    return intr1(f, "llvm.fabs.f64", x);
  default: /* isnan */
    return LLVMBuildFCmp(f->b, LLVMRealUNO, x, x, "");
  }
}

/* Arguments evaluated and passed to tr_op_<id> as TrValues. */
static LLVMValueRef via_runtime(Fb *f, Node *n, const Op *op) {
  LLVMValueRef *vals = ARENA_ARRAY(f->cg->a, LLVMValueRef, n->nitems + 1);
  Type **types = ARENA_ARRAY(f->cg->a, Type *, n->nitems + 1);
  for (int i = 0; i < n->nitems; i++) {
    vals[i] = fb_expr(f, n->items[i]);
    types[i] = fb_type(f, n->items[i]);
  }
  /* tr_op_<id> borrows its arguments and returns a new reference */
  LLVMValueRef r = fb_op_call(f, op->id, vals, types, n->nitems,
                              fb_type(f, n));
  for (int i = 0; i < n->nitems; i++)
    fb_release(f, n->items[i], vals[i]);
  return r;
}

static LLVMValueRef builtin(Fb *f, Node *n, const Op *op) {
  Cg *cg = f->cg;
  switch (op->id) {
  case OP_abs: return abs_(f, n);
  case OP_min:
  case OP_max:
    if (n->nitems == 1)
      return via_runtime(f, n, op);
    return minmax(f, n, op->id == OP_max);
  case OP_sum: return via_runtime(f, n, op);
  case OP_len: return len_(f, n);
  case OP_round: return round_(f, n);
  case OP_int: return to_int(f, n, "llvm.trunc.f64");
  case OP_math_floor: return to_int(f, n, "llvm.floor.f64");
  case OP_math_ceil: return to_int(f, n, "llvm.ceil.f64");
  case OP_float: return arg_f(f, n, 0);
  case OP_bool: return fb_cond(f, n->items[0]);
  case OP_str:
    if (fb_type(f, n->items[0]) == ty_str)
      return fb_expr(f, n->items[0]);
    return via_runtime(f, n, op);
  case OP_print: return print_(f, n);
  case OP_math_log: return log_(f, n);
  case OP_math_pow: return mpow(f, n);
  case OP_time_sleep: {
    LLVMValueRef x = arg_f(f, n, 0);
    fb_call(f, "tr_sleep", cg->t_void, &cg->t_f64, 1, &x);
    return fb_bool(f, false);
  }
  case OP_time_time: return fb_call(f, "tr_time", cg->t_f64, NULL, 0, NULL);
  case OP_random_random: return fb_call(f, "tr_random", cg->t_f64, NULL, 0, NULL);
  case OP_random_uniform: {
    LLVMValueRef a = arg_f(f, n, 0), b = arg_f(f, n, 1);
    LLVMValueRef r = fb_call(f, "tr_random", cg->t_f64, NULL, 0, NULL);
    return LLVMBuildFAdd(f->b, a,
                         LLVMBuildFMul(f->b, LLVMBuildFSub(f->b, b, a, ""), r,
                                       ""),
                         "");
  }
  default:
    return math1(f, n, op->id);
  }
}

static LLVMValueRef append(Fb *f, Node *n) {
  Node *lst = n->lhs->lhs, *arg = n->items[0];
  Type *lt = fb_type(f, lst);
  LLVMValueRef l = fb_expr(f, lst);
  Type *et = lt->elem->kind == TY_ANY ? fb_type(f, arg) : lt->elem;
  LLVMValueRef v = fb_expr_owned(f, arg, et); /* the list keeps it */
  LLVMValueRef box = fb_alloca(f, f->cg->t_value, "item");
  cg_box(f->cg, et, v, box);
  LLVMTypeRef pt[] = {f->cg->t_ptr, f->cg->t_ptr};
  LLVMValueRef args[] = {l, box};
  fb_call(f, "tr_list_append", f->cg->t_void, pt, 2, args);
  fb_release(f, lst, l);
  return fb_bool(f, false);
}

/* A call of another def: its Spec's function; an @extern one may return
 * void (None). */
static LLVMValueRef user_call(Fb *f, Node *n, NodeInfo *ni) {
  Spec *s = ni->callee;
  LLVMValueRef fn = cg_spec_fn(f->cg, s);
  int k = s->fn->nparams;
  LLVMValueRef *args = ARENA_ARRAY(f->cg->a, LLVMValueRef, k + 1);
  for (int i = 0; i < k; i++)
    args[i] = fb_expr_as(f, ni->args[i], s->params[i]);
  LLVMTypeRef fty = LLVMGlobalGetValueType(fn);
  LLVMValueRef r = LLVMBuildCall2(f->b, fty, fn, args, (unsigned)k, "");
  /* the callee borrowed its arguments: temporaries are dropped now */
  for (int i = 0; i < k; i++)
    fb_release(f, ni->args[i], args[i]);
  if (LLVMGetTypeKind(LLVMGetReturnType(fty)) == LLVMVoidTypeKind)
    return fb_bool(f, false);
  return r;
}

LLVMValueRef fb_call_expr(Fb *f, Node *n) {
  NodeInfo *ni = fb_info(f, n);
  if (ni->method == SEMA_M_APPEND)
    return append(f, n);
  if (ni->callee)
    return user_call(f, n, ni);
  return builtin(f, n, ni->op);
}
