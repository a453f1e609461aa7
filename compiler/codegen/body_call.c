/* body_call.c - calls in function bodies: user functions (their own
 * specialised LLVM functions), @extern C functions, list.append, and the
 * builtins of ir/ops.def lowered natively (math.* through LLVM intrinsics
 * with Python's domain checks) or through their run-time implementation
 * tr_op_<id> on boxed values. */
#include <string.h>

#include "../../runtime/taskrt.h"
#include "../sema_str.h"
#include "body.h"
#include "body_str.h"

static LLVMValueRef intr1(FnBody *f, const char *name, LLVMValueRef x) {
  return body_call(f, name, f->cg->t_f64, &f->cg->t_f64, 1, &x);
}

static LLVMValueRef fcmp(FnBody *f, LLVMRealPredicate p, LLVMValueRef a,
                         double b) {
  return LLVMBuildFCmp(f->b, p, a, body_f64(f, b), "");
}

static LLVMValueRef is_inf(FnBody *f, LLVMValueRef x) {
  return fcmp(f, LLVMRealOEQ, intr1(f, "llvm.fabs.f64", x), 1.0 / 0.0);
}

LLVMValueRef body_float_to_int(FnBody *f, LLVMValueRef d) {
  body_fail_msg(f, LLVMBuildFCmp(f->b, LLVMRealUNO, d, d, ""),
                "cannot convert float NaN to integer");
  body_fail_msg(f, is_inf(f, d), "cannot convert float infinity to integer");
  /* beyond int64 (or in its reserved range): a big int, as Python's */
  LLVMValueRef big = LLVMBuildOr(f->b, fcmp(f, LLVMRealOGE, d, 0x1p63),
                                 fcmp(f, LLVMRealOLT, d, -0x1p62), "");
  LLVMValueRef safe = LLVMBuildSelect(f->b, big, body_f64(f, 0), d, "");
  LLVMValueRef r = LLVMBuildFPToSI(f->b, safe, f->cg->t_i64, "");
  LLVMValueRef t = intr1(f, "llvm.trunc.f64", d);
  return body_int_slow_if(f, big, r, "tr_int_from_float_slow", &t, 1);
}

/* min/max of scalars: Python keeps the first of equal values and compares
 * each next one against the best so far. */
static LLVMValueRef minmax(FnBody *f, Node *n, bool is_max) {
  Type *t = body_type(f, n);
  LLVMValueRef best = body_expr_as(f, n->items[0], t);
  for (int i = 1; i < n->nitems; i++) {
    LLVMValueRef v = body_expr_as(f, n->items[i], t);
    LLVMValueRef better =
        t == ty_float
            ? LLVMBuildFCmp(f->b, is_max ? LLVMRealOGT : LLVMRealOLT, v, best,
                            "")
            : body_int_cmp(f, is_max ? LLVMIntSGT : LLVMIntSLT, v, best);
    best = LLVMBuildSelect(f->b, better, v, best, "");
  }
  return best;
}

static LLVMValueRef abs_(FnBody *f, Node *n) {
  Type *t = body_type(f, n);
  LLVMValueRef v = body_expr_as(f, n->items[0], t);
  if (t == ty_float)
    return intr1(f, "llvm.fabs.f64", v);
  return body_int_abs(f, v);
}

static LLVMValueRef len_(FnBody *f, Node *n) {
  if (body_str_split_fusable(f, n->items[0], NULL))
    return body_str_split_use(f, n->items[0], NULL); /* len(s.split()) */
  LLVMValueRef v = body_expr(f, n->items[0]);
  LLVMValueRef len = body_load_at(f, f->cg->t_i64, v, 8);
  body_release(f, n->items[0], v);
  return len;
}

static LLVMValueRef round_(FnBody *f, Node *n) {
  Type *t = body_type(f, n->items[0]);
  if (n->nitems == 2) {
    LLVMTypeRef pt[] = {f->cg->t_f64, f->cg->t_i64};
    LLVMValueRef x = body_expr_as(f, n->items[0], ty_float);
    LLVMValueRef args[] = {x, body_expr_as(f, n->items[1], ty_int)};
    return body_call(f, "tr_round_half_even", f->cg->t_f64, pt, 2, args);
  }
  if (t != ty_float)
    return body_expr_as(f, n->items[0], ty_int);
  return body_float_to_int(
      f, intr1(f, "llvm.roundeven.f64", body_expr(f, n->items[0])));
}

/* int(x), math.floor(x), math.ceil(x) */
static LLVMValueRef to_int(FnBody *f, Node *n, const char *intr) {
  Type *t = body_type(f, n->items[0]);
  if (t != ty_float)
    return body_expr_as(f, n->items[0], ty_int);
  return body_float_to_int(f, intr1(f, intr, body_expr(f, n->items[0])));
}

static LLVMValueRef print_(FnBody *f, Node *n) {
  Cg *cg = f->cg;
  int k = n->nitems;
  LLVMValueRef arr = body_alloca(
      f, LLVMArrayType2(cg->t_value, (unsigned)(k ? k : 1)), "print");
  for (int i = 0; i < k; i++) {
    LLVMValueRef p = LLVMBuildInBoundsGEP2(
        f->b, cg->t_value, arr, (LLVMValueRef[]){body_i64(f, i)}, 1, "");
    cg_box(cg, body_type(f, n->items[i]), body_expr(f, n->items[i]), p);
  }
  LLVMTypeRef pt[] = {cg->t_ptr, cg->t_i64};
  LLVMValueRef args[] = {arr, body_i64(f, k)};
  body_call(f, "tr_print", cg->t_void, pt, 2, args);
  for (int i = 0; i < k; i++)
    if (body_is_heap(body_type(f, n->items[i])) &&
        body_is_fresh(f, n->items[i])) {
      LLVMValueRef p = LLVMBuildInBoundsGEP2(
          f->b, cg->t_value, arr, (LLVMValueRef[]){body_i64(f, i)}, 1, "");
      body_call(f, "tr_decref", cg->t_void, &cg->t_ptr, 1, &p);
    }
  return body_bool(f, false);
}

static LLVMValueRef arg_f(FnBody *f, Node *n, int i) {
  return body_expr_as(f, n->items[i], ty_float);
}

static void domain_error(FnBody *f, LLVMValueRef cond) {
  body_fail_msg(f, cond, "math domain error");
}

/* math.log(x) or math.log(x, base) */
static LLVMValueRef log_(FnBody *f, Node *n) {
  LLVMValueRef x = arg_f(f, n, 0);
  domain_error(f, fcmp(f, LLVMRealOLE, x, 0));
  LLVMValueRef r = intr1(f, "llvm.log.f64", x);
  if (n->nitems == 1)
    return r;
  LLVMValueRef b = arg_f(f, n, 1);
  domain_error(f, fcmp(f, LLVMRealOLE, b, 0));
  LLVMValueRef lb = intr1(f, "llvm.log.f64", b);
  LLVMBasicBlockRef ok = body_fail_if(f, fcmp(f, LLVMRealOEQ, lb, 0));
  LLVMValueRef m = LLVMBuildGlobalStringPtr(f->b, "float division by zero", "");
  body_call(f, "tr_zero_division", f->cg->t_void, &f->cg->t_ptr, 1, &m);
  body_fail_end(f, ok);
  return LLVMBuildFDiv(f->b, r, lb, "");
}

/* exp and pow overflow to inf from finite arguments: "math range error" */
static LLVMValueRef range_checked(FnBody *f, LLVMValueRef r,
                                  LLVMValueRef finite) {
  LLVMValueRef over = LLVMBuildAnd(f->b, is_inf(f, r), finite, "");
  body_fail_msg(f, over, "math range error");
  return r;
}

static LLVMValueRef is_finite(FnBody *f, LLVMValueRef x) {
  return fcmp(f, LLVMRealOLT, intr1(f, "llvm.fabs.f64", x), 1.0 / 0.0);
}

static LLVMValueRef mpow(FnBody *f, Node *n) {
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
  LLVMValueRef r = body_call(f, "llvm.pow.f64", f->cg->t_f64, pt, 2, args);
  return range_checked(
      f, r, LLVMBuildAnd(f->b, is_finite(f, x), is_finite(f, y), ""));
}

static LLVMValueRef math1(FnBody *f, Node *n, OpId id) {
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
static LLVMValueRef via_runtime(FnBody *f, Node *n, const Op *op) {
  LLVMValueRef *vals = ARENA_ARRAY(f->cg->a, LLVMValueRef, n->nitems + 1);
  Type **types = ARENA_ARRAY(f->cg->a, Type *, n->nitems + 1);
  for (int i = 0; i < n->nitems; i++) {
    vals[i] = body_expr(f, n->items[i]);
    types[i] = body_type(f, n->items[i]);
  }
  /* tr_op_<id> borrows its arguments and returns a new reference */
  LLVMValueRef r =
      body_op_call(f, op->id, vals, types, n->nitems, body_type(f, n));
  for (int i = 0; i < n->nitems; i++) {
    body_release(f, n->items[i], vals[i]);
    /* a value of type any straight from an op (json.dumps(json.loads(s)))
     * is a new TrValue that body_release does not count */
    if (types[i]->kind == TY_ANY && n->items[i]->kind == N_CALL)
      body_call(f, "tr_decref", f->cg->t_void, &f->cg->t_ptr, 1, &vals[i]);
  }
  return r;
}

static LLVMValueRef builtin(FnBody *f, Node *n, const Op *op) {
  Cg *cg = f->cg;
  switch (op->id) {
  case OP_abs: return abs_(f, n);
  case OP_min:
  case OP_max:
    if (n->nitems == 1)
      return via_runtime(f, n, op);
    return minmax(f, n, op->id == OP_max);
  case OP_sum:
  case OP_any:
  case OP_all:
  case OP_list:
  case OP_sorted:
  case OP_hash:
  case OP_json_loads:
  case OP_json_dumps:
    return via_runtime(f, n, op);
  case OP_len: return len_(f, n);
  case OP_round: return round_(f, n);
  case OP_int: return to_int(f, n, "llvm.trunc.f64");
  case OP_math_floor: return to_int(f, n, "llvm.floor.f64");
  case OP_math_ceil: return to_int(f, n, "llvm.ceil.f64");
  case OP_float: return arg_f(f, n, 0);
  case OP_bool:
    return body_cond(f, n->items[0]);
  case OP_str:
    if (body_type(f, n->items[0]) == ty_str)
      return body_expr(f, n->items[0]);
    return via_runtime(f, n, op);
  case OP_print: return print_(f, n);
  case OP_math_log: return log_(f, n);
  case OP_math_pow: return mpow(f, n);
  case OP_time_sleep: {
    LLVMValueRef x = arg_f(f, n, 0);
    body_call(f, "tr_sleep", cg->t_void, &cg->t_f64, 1, &x);
    return body_bool(f, false);
  }
  case OP_time_time:
    return body_call(f, "tr_time", cg->t_f64, NULL, 0, NULL);
  case OP_random_random:
    return body_call(f, "tr_random", cg->t_f64, NULL, 0, NULL);
  case OP_random_uniform: {
    LLVMValueRef a = arg_f(f, n, 0), b = arg_f(f, n, 1);
    LLVMValueRef r = body_call(f, "tr_random", cg->t_f64, NULL, 0, NULL);
    return LLVMBuildFAdd(f->b, a,
                         LLVMBuildFMul(f->b, LLVMBuildFSub(f->b, b, a, ""), r,
                                       ""),
                         "");
  }
  default:
    return math1(f, n, op->id);
  }
}

static LLVMValueRef append(FnBody *f, Node *n) {
  Node *lst = n->lhs->lhs, *arg = n->items[0];
  Type *lt = body_type(f, lst);
  LLVMValueRef l = body_expr(f, lst);
  Type *et = lt->elem->kind == TY_ANY ? body_type(f, arg) : lt->elem;
  LLVMValueRef v = body_expr_owned(f, arg, et); /* the list keeps it */
  LLVMValueRef box = body_alloca(f, f->cg->t_value, "item");
  cg_box(f->cg, et, v, box);
  LLVMTypeRef pt[] = {f->cg->t_ptr, f->cg->t_ptr};
  LLVMValueRef args[] = {l, box};
  body_call(f, "tr_list_append", f->cg->t_void, pt, 2, args);
  body_release(f, lst, l);
  return body_bool(f, false);
}

/* A call of another def: its Spec's function; an @extern one may return
 * void (None). */
static LLVMValueRef user_call(FnBody *f, Node *n, NodeInfo *ni) {
  Spec *s = ni->callee;
  LLVMValueRef fn = cg_spec_fn(f->cg, s);
  int k = s->fn->nparams;
  LLVMValueRef *args = ARENA_ARRAY(f->cg->a, LLVMValueRef, k + 1);
  for (int i = 0; i < k; i++)
    args[i] = body_expr_as(f, ni->args[i], s->params[i]);
  LLVMTypeRef fty = LLVMGlobalGetValueType(fn);
  LLVMValueRef r = LLVMBuildCall2(f->b, fty, fn, args, (unsigned)k, "");
  /* the callee borrowed its arguments: temporaries are dropped now */
  for (int i = 0; i < k; i++)
    body_release(f, ni->args[i], args[i]);
  if (LLVMGetTypeKind(LLVMGetReturnType(fty)) == LLVMVoidTypeKind)
    return body_bool(f, false);
  return r;
}

LLVMValueRef body_call_expr(FnBody *f, Node *n) {
  NodeInfo *ni = body_info(f, n);
  if (ni->method >= SEMA_M_STR)
    return body_str_call(f, n, ni->method - SEMA_M_STR);
  if (ni->method == SEMA_M_APPEND)
    return append(f, n);
  if (ni->callee)
    return user_call(f, n, ni);
  if (ni->lowered) /* list(zip(a, b)): a comprehension (sema_comp.c) */
    return body_expr(f, ni->lowered);
  if (ni->method == SEMA_M_METHOD || (ni->op && ni->args))
    return body_seq_call(f, n); /* body_method.c */
  return builtin(f, n, ni->op);
}
