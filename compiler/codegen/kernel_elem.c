/* kernel_elem.c - the value of one element of a fused array expression.
 *
 * kernel_elem(ti, idx) emits the scalar value of element idx of chain member
 * ti: creation ops compute it from the global index, element-wise ops from
 * their operands at the same index (broadcast: size-1 axes read index 0),
 * getitem and transpose from their operand at a moved index. An operand
 * that is another chain member is evaluated in place (never stored); an
 * input chunk is read from memory. */
#include <math.h>
#include <string.h>

#include "../../runtime/taskrt.h"
#include "diag.h"
#include "kernel.h"

static LLVMValueRef f64(Kernel *k, double x) {
  return LLVMConstReal(k->cg->t_f64, x);
}

/* A scalar constant operand (its kind picks the type). */
static LLVMValueRef scalar(Kernel *k, const Val *v, int m, Type **type) {
  LLVMBuilderRef b = k->cg->b;
  if (v->kind == VAL_FLOAT) {
    *type = ty_float;
    return kernel_const_f64(k, m);
  }
  if (v->kind == VAL_BOOL) {
    *type = ty_bool;
    return LLVMBuildTrunc(b, kernel_const_i64(k, m), k->cg->t_i1, "");
  }
  *type = ty_int;
  return kernel_const_i64(k, m);
}

LLVMValueRef kernel_operand(Kernel *k, int ti, int a, LLVMValueRef *idx, int nd,
                            Type **type) {
  LLVMBuilderRef b = k->cg->b;
  const Val *v = k->tasks[ti]->args[a];
  if (v->kind != VAL_REF)
    return scalar(k, v, k->first_const[ti][a], type);
  Task *p = v->ref;
  int pi = kernel_index(k, p);
  int pn = kernel_ndim(p), lead = nd - pn;
  *type = kernel_dtype(p);
  LLVMValueRef pidx[KERNEL_MAXDIM], one = kernel_i64(k, 1),
                                    zero = kernel_i64(k, 0);
  if (pi >= 0) {
    for (int d = 0; d < pn; d++) {
      LLVMValueRef b1 =
          LLVMBuildICmp(b, LLVMIntEQ, kernel_shape(k, pi, d), one, "");
      pidx[d] = LLVMBuildSelect(b, b1, zero, idx[d + lead], "");
    }
    return kernel_elem(k, pi, pidx);
  }
  /* an input chunk: row-major with size-1 axes broadcast */
  LLVMValueRef arr = kernel_input(k, k->first_input[ti][a]);
  LLVMValueRef f = zero;
  for (int d = 0; d < pn; d++) {
    LLVMValueRef n = kernel_arr_shape(k, arr, d);
    LLVMValueRef i = LLVMBuildSelect(b, LLVMBuildICmp(b, LLVMIntEQ, n, one, ""),
                                     zero, idx[d + lead], "");
    f = LLVMBuildNSWAdd(b, LLVMBuildNSWMul(b, f, n, ""), i, "");
  }
  return kernel_load_elem(k, *type, kernel_arr_data(k, arr), f);
}

/* global flat index of element idx of a creation chunk (args off, gs) */
static LLVMValueRef global_index(Kernel *k, int ti, LLVMValueRef *idx, int nd,
                                 int aoff, int ags) {
  LLVMBuilderRef b = k->cg->b;
  LLVMValueRef g = kernel_i64(k, 0);
  for (int d = 0; d < nd; d++) {
    LLVMValueRef o = kernel_const_i64(k, k->first_const[ti][aoff] + d);
    LLVMValueRef x = LLVMBuildNSWAdd(b, o, idx[d], "");
    LLVMValueRef s = ags >= 0 ? kernel_const_i64(k, k->first_const[ti][ags] + d)
                              : kernel_i64(k, 1);
    g = LLVMBuildNSWAdd(b, g, LLVMBuildNSWMul(b, x, s, ""), "");
  }
  return g;
}

static LLVMValueRef linspace(Kernel *k, int ti, LLVMValueRef *idx) {
  LLVMBuilderRef b = k->cg->b;
  int m = k->first_const[ti][3];
  LLVMValueRef g = idx[0]; /* Dask: each block is its own np.linspace */
  LLVMValueRef start = kernel_const_f64(k, m),
               step = kernel_const_f64(k, m + 1);
  LLVMValueRef stop = kernel_const_f64(k, m + 2),
               last = kernel_const_i64(k, m + 3);
  LLVMValueRef delta = kernel_const_f64(k, m + 4),
               div = kernel_const_f64(k, m + 5);
  LLVMValueRef gf = LLVMBuildSIToFP(b, g, k->cg->t_f64, "");
  /* NumPy: arange(num) * step + start, or (i / div) * delta + start when
   * the step underflows to zero; the endpoint is exactly stop (all of the
   * block: array_create.c) */
  LLVMValueRef a = LLVMBuildFAdd(b, LLVMBuildFMul(b, gf, step, ""), start, "");
  LLVMValueRef z = LLVMBuildFAdd(
      b, LLVMBuildFMul(b, LLVMBuildFDiv(b, gf, div, ""), delta, ""), start, "");
  LLVMValueRef v = LLVMBuildSelect(
      b, LLVMBuildFCmp(b, LLVMRealOEQ, step, f64(k, 0), ""), z, a, "");
  return LLVMBuildSelect(b, LLVMBuildICmp(b, LLVMIntEQ, g, last, ""), stop, v,
                         "");
}

static LLVMValueRef arange(Kernel *k, int ti, LLVMValueRef *idx) {
  LLVMBuilderRef b = k->cg->b;
  int m = k->first_const[ti][3];
  LLVMValueRef g = global_index(k, ti, idx, 1, 2, -1);
  if (kernel_dtype(k->tasks[ti]) == ty_float) /* per block (array_create.c) */
    return LLVMBuildFAdd(
        b, kernel_const_f64(k, m),
        LLVMBuildFMul(b, LLVMBuildSIToFP(b, idx[0], k->cg->t_f64, ""),
                      kernel_const_f64(k, m + 1), ""),
        "");
  return LLVMBuildAdd(b, kernel_const_i64(k, m),
                      LLVMBuildMul(b, g, kernel_const_i64(k, m + 1), ""), "");
}

/* The runtime's generator inlined (runtime/taskrt.h: tr_rng_normal_k):
 * the key of the stream is drawn once per kernel call, each element is one
 * hash; uniform samples need no branch (so loops vectorise), normal ones
 * take the ziggurat's fast path inline and call tr_rng_normal_slow rarely.
 * Inside a strip (kernel_rng.c) the sample is read from the strip. */
LLVMValueRef kernel_random_key(Kernel *k, int ti, LLVMValueRef *mul) {
  if (!k->rng_key[2 * ti]) {
    LLVMBuilderRef b = k->cg->b;
    Cg *cg = k->cg;
    LLVMValueRef s = kernel_const_i64(k, k->first_const[ti][4]);
    LLVMBasicBlockRef here = LLVMGetInsertBlock(b);
    LLVMPositionBuilderAtEnd(b, k->entry);
    LLVMTypeRef kt = LLVMStructTypeInContext(cg->ctx, (LLVMTypeRef[]){cg->t_i64, cg->t_i64}, 2, 0);
    LLVMValueRef key = cg_call(cg, "tr_rng_key", LLVMFunctionType(kt, &cg->t_i64, 1, 0), &s, 1);
    k->rng_key[2 * ti] = LLVMBuildExtractValue(b, key, 0, "add");
    k->rng_key[2 * ti + 1] = LLVMBuildExtractValue(b, key, 1, "mul");
    LLVMPositionBuilderAtEnd(b, here);
  }
  *mul = k->rng_key[2 * ti + 1];
  return k->rng_key[2 * ti];
}

static LLVMValueRef mix(Kernel *k, LLVMValueRef z) {
  LLVMBuilderRef b = k->cg->b;
  z = LLVMBuildMul(
      b, LLVMBuildXor(b, z, LLVMBuildLShr(b, z, kernel_i64(k, 30), ""), ""),
      kernel_i64(k, (int64_t)0xbf58476d1ce4e5b9ull), "");
  z = LLVMBuildMul(
      b, LLVMBuildXor(b, z, LLVMBuildLShr(b, z, kernel_i64(k, 27), ""), ""),
      kernel_i64(k, (int64_t)0x94d049bb133111ebull), "");
  return LLVMBuildXor(b, z, LLVMBuildLShr(b, z, kernel_i64(k, 31), ""), "");
}

static LLVMValueRef table(Kernel *k, const char *name, int n) {
  Cg *cg = k->cg;
  LLVMValueRef g = LLVMGetNamedGlobal(cg->mod, name);
  if (!g)
    g = LLVMAddGlobal(cg->mod, LLVMArrayType2(cg->t_f64, (uint64_t)n), name);
  return g;
}

static LLVMValueRef at(Kernel *k, LLVMValueRef tab, LLVMValueRef i) {
  LLVMBuilderRef b = k->cg->b;
  LLVMValueRef p = LLVMBuildInBoundsGEP2(b, k->cg->t_f64, tab, &i, 1, "");
  return LLVMBuildLoad2(b, k->cg->t_f64, p, "");
}

static LLVMValueRef normal_of(Kernel *k, LLVMValueRef h) {
  Cg *cg = k->cg;
  LLVMBuilderRef b = k->cg->b;
  LLVMValueRef i = LLVMBuildAnd(b, h, kernel_i64(k, 255), "");
  LLVMValueRef x = LLVMBuildFMul(
      b,
      LLVMBuildSIToFP(b, LLVMBuildLShr(b, h, kernel_i64(k, 11), ""), cg->t_f64,
                      ""),
      at(k, table(k, "tr_zig_w", 256), i), "");
  LLVMValueRef lim = at(k, table(k, "tr_zig_x", 257),
                        LLVMBuildAdd(b, i, kernel_i64(k, 1), ""));
  LLVMBasicBlockRef pre = LLVMGetInsertBlock(b);
  LLVMBasicBlockRef slow = LLVMAppendBasicBlockInContext(cg->ctx, k->fn, "zig.slow");
  LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(cg->ctx, k->fn, "zig.done");
  LLVMValueRef sign = LLVMBuildShl(
      b, LLVMBuildAnd(b, h, kernel_i64(k, 256), ""), kernel_i64(k, 55), "");
  LLVMValueRef fast = LLVMBuildBitCast(b, LLVMBuildXor(b, LLVMBuildBitCast(b, x, cg->t_i64, ""),
                                                       sign, ""), cg->t_f64, "");
  LLVMBuildCondBr(b, LLVMBuildFCmp(b, LLVMRealOLT, x, lim, ""), done, slow);
  LLVMPositionBuilderAtEnd(b, slow);
  LLVMValueRef sv = cg_call(cg, "tr_rng_normal_slow",
                            LLVMFunctionType(cg->t_f64, &cg->t_i64, 1, 0), &h, 1);
  LLVMBasicBlockRef slow_end = LLVMGetInsertBlock(b);
  LLVMBuildBr(b, done);
  LLVMPositionBuilderAtEnd(b, done);
  LLVMValueRef phi = LLVMBuildPhi(b, cg->t_f64, "z");
  LLVMAddIncoming(phi, &fast, &pre, 1);
  LLVMAddIncoming(phi, &sv, &slow_end, 1);
  return phi;
}

LLVMValueRef kernel_random_index(Kernel *k, int ti, LLVMValueRef *idx) {
  return global_index(k, ti, idx, kernel_ndim(k->tasks[ti]), 2, 3);
}

static LLVMValueRef random_elem(Kernel *k, int ti, LLVMValueRef *idx,
                                bool normal) {
  LLVMBuilderRef b = k->cg->b;
  Cg *cg = k->cg;
  int m = k->first_const[ti][4];
  LLVMValueRef r;
  if (k->rng_buf[ti]) {
    LLVMValueRef p = LLVMBuildInBoundsGEP2(b, cg->t_f64, k->rng_buf[ti], &k->rng_j, 1, "");
    r = LLVMBuildLoad2(b, cg->t_f64, p, "rnd");
  } else {
    LLVMValueRef g = kernel_random_index(k, ti, idx), mul;
    LLVMValueRef add = kernel_random_key(k, ti, &mul);
    LLVMValueRef h = mix(k, LLVMBuildAdd(b, add, LLVMBuildMul(b, g, mul, ""), ""));
    r = normal ? normal_of(k, h)
               : LLVMBuildFMul(b,
                               LLVMBuildSIToFP(b, LLVMBuildLShr(b, h, kernel_i64(k, 11), ""),
                                               cg->t_f64, ""),
                               f64(k, 0x1.0p-53), "");
  }
  return LLVMBuildFAdd(b, kernel_const_f64(k, m + 1),
                       LLVMBuildFMul(b, kernel_const_f64(k, m + 2), r, ""), "");
}

static Type *promote(Type *a, Type *b) {
  return a == ty_float || b == ty_float ? ty_float
         : a == ty_int || b == ty_int   ? ty_int : ty_bool;
}

/* Python's floor division and modulo on int64; by zero both give 0, as
 * NumPy does (with a warning there). */
static LLVMValueRef int_divmod(Kernel *k, LLVMValueRef a, LLVMValueRef b,
                               bool mod) {
  LLVMBuilderRef bl = k->cg->b;
  LLVMValueRef zero = kernel_i64(k, 0);
  LLVMValueRef bz = LLVMBuildICmp(bl, LLVMIntEQ, b, zero, "");
  LLVMValueRef bs = LLVMBuildSelect(bl, bz, kernel_i64(k, 1), b, "");
  LLVMValueRef q = LLVMBuildSDiv(bl, a, bs, ""), r = LLVMBuildSRem(bl, a, bs, "");
  LLVMValueRef adj = LLVMBuildAnd(bl, LLVMBuildICmp(bl, LLVMIntNE, r, zero, ""),
      LLVMBuildICmp(bl, LLVMIntNE, LLVMBuildICmp(bl, LLVMIntSLT, r, zero, ""),
                    LLVMBuildICmp(bl, LLVMIntSLT, bs, zero, ""), ""), "");
  LLVMValueRef v =
      mod ? LLVMBuildSelect(bl, adj, LLVMBuildAdd(bl, r, bs, ""), r, "")
          : LLVMBuildSelect(bl, adj, LLVMBuildSub(bl, q, kernel_i64(k, 1), ""),
                            q, "");
  return LLVMBuildSelect(bl, bz, zero, v, "");
}

static LLVMValueRef float_mod(Kernel *k, LLVMValueRef a, LLVMValueRef b) {
  LLVMBuilderRef bl = k->cg->b;
  LLVMValueRef r = LLVMBuildFRem(bl, a, b, "");
  LLVMValueRef adj = LLVMBuildAnd(bl, LLVMBuildFCmp(bl, LLVMRealONE, r, f64(k, 0), ""),
      LLVMBuildXor(bl, LLVMBuildFCmp(bl, LLVMRealOLT, r, f64(k, 0), ""),
                   LLVMBuildFCmp(bl, LLVMRealOLT, b, f64(k, 0), ""), ""), "");
  return LLVMBuildSelect(bl, adj, LLVMBuildFAdd(bl, r, b, ""), r, "");
}

static LLVMValueRef binary(Kernel *k, OpId op, LLVMValueRef x, Type *tx,
                           LLVMValueRef y, Type *ty, Type *rt) {
  LLVMBuilderRef b = k->cg->b;
  Type *ct = promote(tx, ty);
  bool cmp = op >= OP_array_eq && op <= OP_array_ge;
  if (!cmp && op != OP_array_and && op != OP_array_or)
    ct = op == OP_array_truediv ? ty_float : (ct == ty_bool ? ty_int : ct);
  if (op == OP_array_and || op == OP_array_or)
    ct = ty_bool;
  x = kernel_conv(k, x, tx, ct);
  y = kernel_conv(k, y, ty, ct);
  bool f = ct == ty_float;
  if (cmp) {
    static const LLVMRealPredicate fp[] = {LLVMRealOEQ, LLVMRealUNE, LLVMRealOLT,
                                           LLVMRealOLE, LLVMRealOGT, LLVMRealOGE};
    static const LLVMIntPredicate ip[] = {LLVMIntEQ, LLVMIntNE, LLVMIntSLT,
                                          LLVMIntSLE, LLVMIntSGT, LLVMIntSGE};
    int i = op - OP_array_eq;
    if (ct == ty_bool) {
      x = kernel_conv(k, x, ty_bool, ty_int);
      y = kernel_conv(k, y, ty_bool, ty_int);
      f = false;
    }
    return f ? LLVMBuildFCmp(b, fp[i], x, y, "") : LLVMBuildICmp(b, ip[i], x, y, "");
  }
  LLVMValueRef r;
  switch (op) {
  case OP_array_add: r = f ? LLVMBuildFAdd(b, x, y, "") : LLVMBuildAdd(b, x, y, ""); break;
  case OP_array_sub: r = f ? LLVMBuildFSub(b, x, y, "") : LLVMBuildSub(b, x, y, ""); break;
  case OP_array_mul: r = f ? LLVMBuildFMul(b, x, y, "") : LLVMBuildMul(b, x, y, ""); break;
  case OP_array_truediv: r = LLVMBuildFDiv(b, x, y, ""); break;
  case OP_array_floordiv:
    if (f) {
      LLVMValueRef q = LLVMBuildFDiv(b, x, y, "");
      r = kernel_intrinsic(k, "llvm.floor", k->cg->t_f64, &q, 1);
    } else {
      r = int_divmod(k, x, y, false);
    }
    break;
  case OP_array_mod: r = f ? float_mod(k, x, y) : int_divmod(k, x, y, true); break;
  case OP_array_pow: {
    LLVMValueRef xf = kernel_conv(k, x, ct, ty_float),
                 yf = kernel_conv(k, y, ct, ty_float);
    LLVMValueRef av[2] = {xf, yf};
    r = kernel_intrinsic(k, "llvm.pow", k->cg->t_f64, av, 2);
    r = kernel_conv(k, r, ty_float, ct);
    break;
  }
  case OP_array_maximum: case OP_array_minimum: {
    bool mx = op == OP_array_maximum;
    LLVMValueRef take;
    if (f) /* NaN propagates, as np.maximum */
      take = LLVMBuildOr(b, LLVMBuildFCmp(b, mx ? LLVMRealOGE : LLVMRealOLE, x, y, ""),
                         LLVMBuildFCmp(b, LLVMRealUNO, x, x, ""), "");
    else
      take = LLVMBuildICmp(b, mx ? LLVMIntSGE : LLVMIntSLE,
                           kernel_conv(k, x, ct, ty_int),
                           kernel_conv(k, y, ct, ty_int), "");
    r = LLVMBuildSelect(b, take, x, y, "");
    break;
  }
  case OP_array_and: r = LLVMBuildAnd(b, x, y, ""); break;
  case OP_array_or: r = LLVMBuildOr(b, x, y, ""); break;
  default: diag_fatal("internal error: array op %d", op);
  }
  return kernel_conv(k, r, ct, rt);
}

static LLVMValueRef unary(Kernel *k, OpId op, LLVMValueRef x, Type *tx,
                          Type *rt) {
  LLVMBuilderRef b = k->cg->b;
  LLVMTypeRef d = k->cg->t_f64;
  switch (op) {
  case OP_array_neg:
    x = kernel_conv(k, x, tx, rt);
    return rt == ty_float ? LLVMBuildFNeg(b, x, "") : LLVMBuildNeg(b, x, "");
  case OP_array_abs:
    x = kernel_conv(k, x, tx, rt);
    if (rt == ty_float)
      return kernel_intrinsic(k, "llvm.fabs", d, &x, 1);
    return LLVMBuildSelect(
        b, LLVMBuildICmp(b, LLVMIntSLT, x, kernel_i64(k, 0), ""),
        LLVMBuildNeg(b, x, ""), x, "");
  case OP_array_not:
    return LLVMBuildNot(b, kernel_conv(k, x, tx, ty_bool), "");
  case OP_array_astype:
    return kernel_conv(k, x, tx, rt);
  case OP_array_isnan: /* unordered only with itself when NaN */
    x = kernel_conv(k, x, tx, ty_float);
    return LLVMBuildFCmp(b, LLVMRealUNO, x, x, "");
  case OP_array_isinf:
  case OP_array_isfinite: {
    x = kernel_conv(k, x, tx, ty_float);
    LLVMValueRef m = kernel_intrinsic(k, "llvm.fabs", d, &x, 1);
    LLVMValueRef inf = LLVMConstReal(d, INFINITY);
    return LLVMBuildFCmp(b, op == OP_array_isinf ? LLVMRealOEQ : LLVMRealOLT,
                         m, inf, "");
  }
  case OP_array_rint: /* NumPy's rint: to nearest, ties to even */
    x = kernel_conv(k, x, tx, ty_float);
    return kernel_intrinsic(k, "llvm.roundeven", d, &x, 1);
  default: {
    static const struct { OpId op; const char *name; } fns[] = {
        {OP_array_sqrt, "llvm.sqrt"}, {OP_array_exp, "llvm.exp"},
        {OP_array_log, "llvm.log"},   {OP_array_sin, "llvm.sin"},
        {OP_array_cos, "llvm.cos"}};
    x = kernel_conv(k, x, tx, ty_float);
    for (size_t i = 0; i < sizeof fns / sizeof *fns; i++)
      if (fns[i].op == op)
        return kernel_intrinsic(k, fns[i].name, d, &x, 1);
    diag_fatal("internal error: array op %d", op);
  }
  }
}

/* getitem: input axis d reads start[d] + step[d] * idx[map[d]] */
static LLVMValueRef getitem(Kernel *k, int ti, LLVMValueRef *idx) {
  LLVMBuilderRef b = k->cg->b;
  Task *t = k->tasks[ti];
  const Val *map = t->args[5];
  int nd = map->seq.n;
  LLVMValueRef in[KERNEL_MAXDIM];
  for (int d = 0; d < nd; d++) {
    LLVMValueRef s = kernel_const_i64(k, k->first_const[ti][3] + d);
    int64_t o = map->seq.items[d]->i;
    in[d] = o < 0 ? s
                  : LLVMBuildNSWAdd(
                        b, s,
                        LLVMBuildNSWMul(
                            b, kernel_const_i64(k, k->first_const[ti][4] + d),
                            idx[o], ""),
                        "");
  }
  Type *tt;
  return kernel_operand(k, ti, 2, in, nd, &tt);
}

/* reshape of one chunk: the output element at row-major position p reads
 * the input element at position p (the input's shape: its fused
 * producer's, or the input chunk's at run time). */
static LLVMValueRef reshape(Kernel *k, int ti, LLVMValueRef *idx) {
  LLVMBuilderRef b = k->cg->b;
  Task *t = k->tasks[ti], *p = t->args[2]->ref;
  int on = kernel_ndim(t), in = kernel_ndim(p), pi = kernel_index(k, p);
  LLVMValueRef flat = kernel_i64(k, 0);
  for (int d = 0; d < on; d++)
    flat = LLVMBuildNSWAdd(
        b, LLVMBuildNSWMul(b, flat, kernel_shape(k, ti, d), ""), idx[d], "");
  LLVMValueRef arr = pi < 0 ? kernel_input(k, k->first_input[ti][2]) : NULL;
  LLVMValueRef iidx[KERNEL_MAXDIM];
  for (int d = in - 1; d >= 0; d--) {
    LLVMValueRef n = pi >= 0 ? kernel_shape(k, pi, d) : kernel_arr_shape(k, arr, d);
    iidx[d] = d ? LLVMBuildURem(b, flat, n, "") : flat;
    if (d)
      flat = LLVMBuildUDiv(b, flat, n, "");
  }
  Type *tt;
  return kernel_operand(k, ti, 2, iidx, in, &tt);
}

/* A literal block: element p (row-major) is the task's constant p of its
 * values list, read from the constant table at a run-time index. */
static LLVMValueRef literal(Kernel *k, int ti, LLVMValueRef *idx) {
  LLVMBuilderRef b = k->cg->b;
  Task *t = k->tasks[ti];
  LLVMValueRef flat = kernel_i64(k, k->first_const[ti][2]);
  LLVMValueRef p = kernel_i64(k, 0);
  for (int d = 0; d < kernel_ndim(t); d++)
    p = LLVMBuildNSWAdd(
        b, LLVMBuildNSWMul(b, p, kernel_shape(k, ti, d), ""), idx[d], "");
  flat = LLVMBuildNSWAdd(b, flat, p, "");
  LLVMValueRef v = kernel_const_at(k, flat);
  Type *dt = kernel_dtype(t);
  if (dt == ty_float)
    return LLVMBuildBitCast(b, v, k->cg->t_f64, "");
  if (dt == ty_bool)
    return LLVMBuildTrunc(b, v, k->cg->t_i1, "");
  return v;
}

static LLVMValueRef transpose(Kernel *k, int ti, LLVMValueRef *idx) {
  const Val *perm = k->tasks[ti]->args[3];
  LLVMValueRef in[KERNEL_MAXDIM];
  for (int d = 0; d < perm->seq.n; d++)
    in[perm->seq.items[d]->i] = idx[d];
  Type *tt;
  return kernel_operand(k, ti, 2, in, perm->seq.n, &tt);
}

static LLVMValueRef map_fn(Kernel *k, int ti, LLVMValueRef *idx) {
  LLVMBuilderRef b = k->cg->b;
  Task *t = k->tasks[ti];
  Type *tx;
  LLVMValueRef x = kernel_operand(k, ti, 2, idx, kernel_ndim(t), &tx);
  Spec *s = t->spec;
  LLVMBasicBlockRef here = LLVMGetInsertBlock(b);
  LLVMValueRef fn = cg_spec_fn(k->cg, s); /* may build another function */
  LLVMPositionBuilderAtEnd(b, here);
  x = kernel_conv(k, x, tx, s->params[0]);
  LLVMValueRef r = LLVMBuildCall2(b, LLVMGlobalGetValueType(fn), fn, &x, 1, "");
  return kernel_conv(k, r, s->ret, kernel_dtype(t));
}

bool kernel_special_pow(const Task *t, int a) {
  if (a != 3 || t->kind != TASK_CALL || !t->op || t->op->id != OP_array_pow ||
      t->nargs != 4)
    return false;
  const Val *c = t->args[3];
  if (c->kind == VAL_INT)
    return c->i == 1 || c->i == 2;
  return c->kind == VAL_FLOAT &&
         (c->f == 1 || c->f == 2 || c->f == 0.5 || c->f == -1);
}

/* NumPy's fast paths for x ** c (ndarray.__pow__ with a scalar): the same
 * operations, so the same bits, and no pow call in the loop. */
static LLVMValueRef special_pow(Kernel *k, int ti, LLVMValueRef *idx, int nd,
                                Type *rt) {
  LLVMBuilderRef b = k->cg->b;
  Task *t = k->tasks[ti];
  Type *tx;
  LLVMValueRef x = kernel_operand(k, ti, 2, idx, nd, &tx);
  x = kernel_conv(k, x, tx, rt);
  const Val *c = t->args[3];
  double e = c->kind == VAL_INT ? (double)c->i : c->f;
  if (e == 1)
    return x;
  if (e == 2)
    return rt == ty_float ? LLVMBuildFMul(b, x, x, "")
                          : LLVMBuildMul(b, x, x, "");
  if (e == 0.5)
    return kernel_intrinsic(k, "llvm.sqrt", k->cg->t_f64, &x, 1);
  return LLVMBuildFDiv(b, f64(k, 1), x, "");
}

LLVMValueRef kernel_elem(Kernel *k, int ti, LLVMValueRef *idx) {
  LLVMBuilderRef b = k->cg->b;
  Task *t = k->tasks[ti];
  OpId op = t->op->id;
  Type *rt = kernel_dtype(t), *tx = NULL, *ty = NULL, *tz = NULL;
  int nd = kernel_ndim(t);
  switch (op) {
  case OP_array_linspace: return linspace(k, ti, idx);
  case OP_array_arange: return arange(k, ti, idx);
  case OP_array_full: {
    LLVMValueRef v = scalar(k, t->args[2], k->first_const[ti][2], &tx);
    return kernel_conv(k, v, tx, rt);
  }
  case OP_array_normal: return random_elem(k, ti, idx, true);
  case OP_array_uniform: return random_elem(k, ti, idx, false);
  case OP_array_from_npy:
    return kernel_npy_elem(k, ti, idx);
  case OP_array_getitem: return getitem(k, ti, idx);
  case OP_array_transpose: return transpose(k, ti, idx);
  case OP_array_reshape: return reshape(k, ti, idx);
  case OP_array_literal: return literal(k, ti, idx);
  case OP_array_map_blocks: return map_fn(k, ti, idx);
  case OP_array_poisson: { /* Poisson(lam) by inversion of a uniform u */
    LLVMValueRef u = kernel_operand(k, ti, 2, idx, nd, &tx);
    LLVMValueRef lam = kernel_operand(k, ti, 3, idx, nd, &ty);
    LLVMValueRef av[2] = {kernel_conv(k, u, tx, ty_float),
                          kernel_conv(k, lam, ty, ty_float)};
    LLVMTypeRef pt[2] = {k->cg->t_f64, k->cg->t_f64};
    return cg_call(k->cg, "tr_rng_poisson_inv",
                   LLVMFunctionType(k->cg->t_i64, pt, 2, 0), av, 2);
  }
  case OP_array_where: {
    LLVMValueRef c = kernel_operand(k, ti, 2, idx, nd, &tx);
    LLVMValueRef x = kernel_operand(k, ti, 3, idx, nd, &ty);
    LLVMValueRef y = kernel_operand(k, ti, 4, idx, nd, &tz);
    return LLVMBuildSelect(b, kernel_conv(k, c, tx, ty_bool),
                           kernel_conv(k, x, ty, rt), kernel_conv(k, y, tz, rt),
                           "");
  }
  default:
    break;
  }
  if (t->nargs == 3) {
    /* the operand first: it sets tx, and C leaves the order in which a
     * call's arguments are evaluated open */
    LLVMValueRef x = kernel_operand(k, ti, 2, idx, nd, &tx);
    return unary(k, op, x, tx, rt);
  }
  if (kernel_special_pow(t, 3))
    return special_pow(k, ti, idx, nd, rt);
  if (t->nargs == 4 && op >= OP_array_add && op <= OP_array_or) {
    LLVMValueRef x = kernel_operand(k, ti, 2, idx, nd, &tx);
    LLVMValueRef y = kernel_operand(k, ti, 3, idx, nd, &ty);
    return binary(k, op, x, tx, y, ty, rt);
  }
  diag_fatal("internal error: array op '%s' cannot be an element",
             t->op->name);
}
