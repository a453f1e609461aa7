/* kernel.c - one loop nest per array task kind.
 *
 * A kind function of an array task reads the chunk shapes, offsets and
 * scalars from its constants (k) and its input chunks from `in`, so all
 * chunks of one operation share one function. The root of a (fused) task
 * decides the loop: element-wise and creation ops loop over the output
 * chunk and evaluate the fused expression per element (kernel_elem.c); a
 * per-chunk reduction loops over its input and accumulates into the small
 * partial, so the producer chunk is never stored; combine/aggregate loop
 * over partials; concatenate copies blocks; matmul calls the runtime;
 * from_npy reads its block (kernel_npy.c). */
#include <stddef.h>
#include <string.h>

#include "../../runtime/taskrt.h"
#include "diag.h"
#include "kernel.h"

/* ---- classification and signature ---- */

static bool is_chunk_op(const Task *t) {
  return t->kind == TASK_CALL && op_is_chunk_kernel(t->op);
}

bool cg_is_chunk_task(const Task *t) {
  if (t->kind == TASK_FUSED)
    return t->ninner > 0 && is_chunk_op(t->inner[t->ninner - 1]);
  return is_chunk_op(t);
}

/* Which args shape the loops (their values, not only their kinds). */
static bool structural(OpId op, int a) {
  switch (op) {
  case OP_array_reduce: return a == 3 || a == 4;
  case OP_array_combine: case OP_array_aggregate: return a == 3;
  case OP_array_getitem: return a == 5;
  case OP_array_transpose: return a == 3;
  case OP_array_map_blocks: return a == 3;
  case OP_array_cumulate: return a == 3 || a == 4;
  case OP_array_tensordot: case OP_array_einsum: return a == 4;
  case OP_array_topk: return a == 3 || a == 4 || a == 6;
  case OP_array_bincount: return a == 4;
  case OP_array_histogram: return a == 5;
  default: return false;
  }
}

static int64_t static_dim(const Task *t, int d);

/* Bit d: axis d of t has a run-time length. */
static int64_t unknown_axes(const Task *t) {
  int64_t m = 0;
  for (int d = 0; d < KERNEL_MAXDIM; d++)
    if (static_dim(t, d) == -1)
      m |= (int64_t)1 << d;
  return m;
}

static void sig_val(const Val *v, void (*put)(void *, int64_t), void *ctx,
                    int depth) {
  put(ctx, v->kind);
  if (v->kind == VAL_REF) {
    put(ctx, (int64_t)(intptr_t)v->ref->type);
    put(ctx, unknown_axes(v->ref)); /* which operand axis gives a length */
  } else if (v->kind >= VAL_TUPLE && v->kind <= VAL_DICT && depth < 4) {
    put(ctx, v->seq.n);
    for (int i = 0; i < v->seq.n && i < 64; i++)
      sig_val(v->seq.items[i], put, ctx, depth + 1);
  }
}

/* The static length of axis d of array task t (fused: its root's): -1
 * when it is known only at run time (a chunk of boolean-mask indexing,
 * docs/arrays.md), -2 when t carries no shape. */
static int64_t static_dim(const Task *t, int d) {
  if (t->kind == TASK_FUSED && t->ninner > 0)
    t = t->inner[t->ninner - 1];
  if (t->kind != TASK_CALL || !t->op || t->op->rule != R_ARRAY ||
      t->nargs < 1 || t->args[0]->kind != VAL_TUPLE ||
      d >= t->args[0]->seq.n || t->args[0]->seq.items[d]->kind != VAL_INT)
    return -2;
  return t->args[0]->seq.items[d]->i < 0 ? -1 : t->args[0]->seq.items[d]->i;
}

static void sig_one(Task *t, void (*put)(void *, int64_t), void *ctx) {
  /* which axes have run-time lengths: they are read from the operands */
  put(ctx, unknown_axes(t));
  put(ctx, (int64_t)(intptr_t)t->type);
  put(ctx, (int64_t)(intptr_t)t->spec);
  for (int a = 0; a < t->nargs; a++) {
    sig_val(t->args[a], put, ctx, 0);
    if (structural(t->op->id, a) || kernel_special_pow(t, a))
      put(ctx, (int64_t)val_hash(t->args[a]));
  }
}

void cg_kernel_sig(Task *t, void (*put)(void *, int64_t), void *ctx) {
  put(ctx, 0x4a52524159ll); /* "ARRAY" */
  if (t->kind != TASK_FUSED) {
    sig_one(t, put, ctx);
    return;
  }
  for (int i = 0; i < t->ninner; i++)
    sig_one(t->inner[i], put, ctx);
}

/* ---- helpers ---- */

LLVMValueRef kernel_i64(Kernel *k, int64_t v) {
  return LLVMConstInt(k->cg->t_i64, (unsigned long long)v, 1);
}

Type *kernel_dtype(const Task *t) { return t->type->elem; }
int kernel_ndim(const Task *t) { return t->type->n; }

int kernel_index(Kernel *k, Task *t) {
  for (int i = 0; i < k->n; i++)
    if (k->tasks[i] == t)
      return i;
  return -1;
}

LLVMTypeRef kernel_type(Kernel *k, Type *dt) {
  return dt == ty_float ? k->cg->t_f64 : dt == ty_int ? k->cg->t_i64
                                                      : k->cg->t_i1;
}

LLVMTypeRef kernel_mem_type(Kernel *k, Type *dt) {
  return dt == ty_bool ? k->cg->t_i8 : kernel_type(k, dt);
}

/* Run `emit` with the builder at the end of the entry block. */
static LLVMBasicBlockRef enter(Kernel *k) {
  LLVMBasicBlockRef here = LLVMGetInsertBlock(k->cg->b);
  LLVMPositionBuilderAtEnd(k->cg->b, k->entry);
  return here;
}

static void leave(Kernel *k, LLVMBasicBlockRef here) {
  LLVMPositionBuilderAtEnd(k->cg->b, here);
}

static LLVMValueRef payload(Kernel *k, LLVMValueRef base, int i) {
  Cg *cg = k->cg;
  LLVMValueRef off = kernel_i64(k, 16 * (int64_t)i + 8);
  return LLVMBuildInBoundsGEP2(cg->b, cg->t_i8, base, &off, 1, "");
}

LLVMValueRef kernel_const_i64(Kernel *k, int m) {
  if (m < 0 || m >= k->nconsts)
    diag_fatal("internal error: array kernel constant %d out of range", m);
  if (!k->const_cache[m]) {
    LLVMBasicBlockRef here = enter(k);
    k->const_cache[m] =
        LLVMBuildLoad2(k->cg->b, k->cg->t_i64, payload(k, k->consts, m), "k");
    leave(k, here);
  }
  return k->const_cache[m];
}

/* The payload of constant m, m known only at run time (array.literal). */
LLVMValueRef kernel_const_at(Kernel *k, LLVMValueRef m) {
  Cg *cg = k->cg;
  LLVMValueRef off = LLVMBuildNSWAdd(
      cg->b, LLVMBuildNSWMul(cg->b, m, kernel_i64(k, 16), ""),
      kernel_i64(k, 8), "");
  LLVMValueRef p = LLVMBuildInBoundsGEP2(cg->b, cg->t_i8, k->consts, &off, 1, "");
  return LLVMBuildLoad2(cg->b, cg->t_i64, p, "lit");
}

LLVMValueRef kernel_const_f64(Kernel *k, int m) {
  LLVMValueRef v = kernel_const_i64(k, m);
  LLVMBasicBlockRef here = enter(k);
  LLVMValueRef f = LLVMBuildBitCast(k->cg->b, v, k->cg->t_f64, "");
  leave(k, here);
  return f;
}

LLVMValueRef kernel_input(Kernel *k, int j) {
  if (j < 0 || j >= k->ninputs)
    diag_fatal("internal error: array kernel input %d out of range", j);
  if (!k->input_arr[j]) {
    LLVMBasicBlockRef here = enter(k);
    k->input_arr[j] =
        LLVMBuildLoad2(k->cg->b, k->cg->t_ptr, payload(k, k->in, j), "chunk");
    leave(k, here);
  }
  return k->input_arr[j];
}

static LLVMValueRef field(Kernel *k, LLVMValueRef arr, size_t off,
                          LLVMTypeRef t) {
  LLVMValueRef o = kernel_i64(k, (int64_t)off);
  LLVMValueRef p = LLVMBuildInBoundsGEP2(k->cg->b, k->cg->t_i8, arr, &o, 1, "");
  return LLVMBuildLoad2(k->cg->b, t, p, "");
}

LLVMValueRef kernel_arr_shape(Kernel *k, LLVMValueRef arr, int d) {
  return field(k, arr, offsetof(TrArray, shape) + 8 * (size_t)d, k->cg->t_i64);
}

LLVMValueRef kernel_arr_data(Kernel *k, LLVMValueRef arr) {
  return field(k, arr, offsetof(TrArray, data), k->cg->t_ptr);
}

LLVMValueRef kernel_load_elem(Kernel *k, Type *dt, LLVMValueRef data,
                              LLVMValueRef i) {
  Cg *cg = k->cg;
  LLVMTypeRef mt = kernel_mem_type(k, dt);
  LLVMValueRef p = LLVMBuildInBoundsGEP2(cg->b, mt, data, &i, 1, "");
  LLVMValueRef v = LLVMBuildLoad2(cg->b, mt, p, "");
  if (dt == ty_bool)
    v = LLVMBuildICmp(cg->b, LLVMIntNE, v, LLVMConstInt(cg->t_i8, 0, 0), "");
  return v;
}

void kernel_store_elem(Kernel *k, Type *dt, LLVMValueRef data, LLVMValueRef i,
                       LLVMValueRef v) {
  Cg *cg = k->cg;
  LLVMTypeRef mt = kernel_mem_type(k, dt);
  if (dt == ty_bool)
    v = LLVMBuildZExt(cg->b, v, cg->t_i8, "");
  LLVMValueRef p = LLVMBuildInBoundsGEP2(cg->b, mt, data, &i, 1, "");
  LLVMBuildStore(cg->b, v, p);
}

LLVMValueRef kernel_conv(Kernel *k, LLVMValueRef v, Type *from, Type *to) {
  Cg *cg = k->cg;
  if (from == to)
    return v;
  if (to == ty_float)
    return from == ty_bool ? LLVMBuildUIToFP(cg->b, v, cg->t_f64, "")
                           : LLVMBuildSIToFP(cg->b, v, cg->t_f64, "");
  if (to == ty_int)
    return from == ty_bool ? LLVMBuildZExt(cg->b, v, cg->t_i64, "")
                           : LLVMBuildFPToSI(cg->b, v, cg->t_i64, "");
  if (from == ty_float) /* to bool */
    return LLVMBuildFCmp(cg->b, LLVMRealUNE, v, LLVMConstReal(cg->t_f64, 0), "");
  return LLVMBuildICmp(cg->b, LLVMIntNE, v, kernel_i64(k, 0), "");
}

LLVMValueRef kernel_intrinsic(Kernel *k, const char *name, LLVMTypeRef t,
                              LLVMValueRef *args, unsigned n) {
  Cg *cg = k->cg;
  unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
  LLVMTypeRef tys[1] = {t};
  LLVMValueRef f = LLVMGetIntrinsicDeclaration(cg->mod, id, tys, 1);
  LLVMTypeRef ft = LLVMIntrinsicGetType(cg->ctx, id, tys, 1);
  return LLVMBuildCall2(cg->b, ft, f, args, n, "");
}

/* The position of the r-th unknown axis of t, or -1. */
static int nth_unknown(const Task *t, int r) {
  for (int d = 0; d < kernel_ndim(t); d++)
    if (static_dim(t, d) == -1 && r-- == 0)
      return d;
  return -1;
}

/* Axis d of task i has a run-time length (static_dim -1): it is taken from
 * an operand whose axis is unknown too. Element-wise ops align axes from
 * the right, as broadcasting, a transpose permutes; a reduction's partial and a combine keep
 * their input's axes; an aggregate drops reduced (known, length 1) axes
 * only, so its r-th unknown axis is its partial's r-th. */
static LLVMValueRef run_time_dim(Kernel *k, int i, int d) {
  Task *t = k->tasks[i];
  int nd = kernel_ndim(t), rank = 0;
  for (int e = 0; e < d; e++)
    rank += static_dim(t, e) == -1;
  bool elem = t->op->family == CHUNK_ELEM;
  for (int a = 2; a < t->nargs; a++) {
    const Val *v = t->args[a];
    if (v->kind == VAL_LIST && v->seq.n > 0) /* combine: its first part */
      v = v->seq.items[0];
    if (v->kind != VAL_REF || !v->ref->type || v->ref->type->kind != TY_ARRAY)
      continue;
    Task *o = v->ref;
    int od = t->op->id == OP_array_transpose
                 ? (int)t->args[3]->seq.items[d]->i /* output d is input perm[d] */
             : elem ? d - (nd - kernel_ndim(o))
             : t->op->id == OP_array_aggregate ? nth_unknown(o, rank) : d;
    if (od < 0 || od >= kernel_ndim(o) || static_dim(o, od) != -1)
      continue;
    int j = kernel_index(k, o);
    if (j >= 0)
      return kernel_shape(k, j, od);
    LLVMBasicBlockRef here = enter(k);
    LLVMValueRef n = kernel_arr_shape(k, kernel_input(k, k->first_input[i][a]), od);
    leave(k, here);
    return n;
  }
  diag_fatal("internal error: no operand of %s gives the run-time length of "
             "axis %d", t->op->name, d);
}

LLVMValueRef kernel_shape(Kernel *k, int i, int d) {
  if (static_dim(k->tasks[i], d) == -1)
    return run_time_dim(k, i, d);
  return kernel_const_i64(k, k->first_const[i][0] + d);
}

/* ---- the leaf layout (the order of cg_task_leaves) ---- */

static void count_leaves(Kernel *k, const Val *v, int *j, int *m, int depth) {
  if (depth > 64)
    diag_fatal("internal error: array task argument nested too deeply");
  if (v->kind == VAL_REF) {
    if (kernel_index(k, v->ref) < 0)
      (*j)++;
  } else if (v->kind <= VAL_STR) {
    (*m)++;
  } else {
    for (int i = 0; i < v->seq.n; i++)
      count_leaves(k, v->seq.items[i], j, m, depth + 1);
  }
}

static void layout(Kernel *k) {
  int j = 0, m = 0;
  k->first_const = ARENA_ARRAY(k->cg->a, int *, k->n);
  k->first_input = ARENA_ARRAY(k->cg->a, int *, k->n);
  for (int i = 0; i < k->n; i++) {
    Task *t = k->tasks[i];
    k->first_const[i] = ARENA_ARRAY(k->cg->a, int, t->nargs + 1);
    k->first_input[i] = ARENA_ARRAY(k->cg->a, int, t->nargs + 1);
    for (int a = 0; a < t->nargs; a++) {
      k->first_const[i][a] = m;
      k->first_input[i][a] = j;
      count_leaves(k, t->args[a], &j, &m, 0);
    }
  }
  k->nconsts = m;
  k->ninputs = j;
  k->const_cache = ARENA_ARRAY(k->cg->a, LLVMValueRef, m + 1);
  k->input_arr = ARENA_ARRAY(k->cg->a, LLVMValueRef, j + 1);
  memset(k->const_cache, 0, sizeof(LLVMValueRef) * (size_t)(m + 1));
  memset(k->input_arr, 0, sizeof(LLVMValueRef) * (size_t)(j + 1));
  k->npy_block = ARENA_ARRAY(k->cg->a, LLVMValueRef, k->n);
  memset(k->npy_block, 0, sizeof(LLVMValueRef) * (size_t)k->n);
  k->rng_buf = ARENA_ARRAY(k->cg->a, LLVMValueRef, k->n);
  memset(k->rng_buf, 0, sizeof(LLVMValueRef) * (size_t)k->n);
  k->rng_key = ARENA_ARRAY(k->cg->a, LLVMValueRef, 2 * k->n);
  memset(k->rng_key, 0, sizeof(LLVMValueRef) * 2 * (size_t)k->n);
}

/* ---- loops ---- */

typedef KernelBody Body;

/* for idx[0] < bound[0]: ... for idx[nd-1] < bound[nd-1]: body; the
 * innermost loop draws random members in strips when it can (kernel_rng.c) */
static void loop_nest(Kernel *k, int nd, LLVMValueRef *bound, LLVMValueRef *idx,
                      int d, Body *body, void *ctx) {
  if (d == nd) {
    body(k, idx, ctx);
    return;
  }
  if (d == nd - 1 && k->rng_from >= 0 && kernel_rng_loop(k, nd, bound, idx, body, ctx))
    return;
  Cg *cg = k->cg;
  LLVMBasicBlockRef pre = LLVMGetInsertBlock(cg->b);
  LLVMBasicBlockRef head = LLVMAppendBasicBlockInContext(cg->ctx, k->fn, "head");
  LLVMBasicBlockRef bb = LLVMAppendBasicBlockInContext(cg->ctx, k->fn, "body");
  LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(cg->ctx, k->fn, "done");
  LLVMBuildBr(cg->b, head);
  LLVMPositionBuilderAtEnd(cg->b, head);
  LLVMValueRef i = LLVMBuildPhi(cg->b, cg->t_i64, "i");
  LLVMValueRef zero = kernel_i64(k, 0);
  LLVMAddIncoming(i, &zero, &pre, 1);
  LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntSLT, i, bound[d], ""),
                  bb, done);
  LLVMPositionBuilderAtEnd(cg->b, bb);
  idx[d] = i;
  loop_nest(k, nd, bound, idx, d + 1, body, ctx);
  LLVMValueRef next = LLVMBuildNSWAdd(cg->b, i, kernel_i64(k, 1), "");
  LLVMBasicBlockRef latch = LLVMGetInsertBlock(cg->b);
  LLVMAddIncoming(i, &next, &latch, 1);
  LLVMBuildBr(cg->b, head);
  LLVMPositionBuilderAtEnd(cg->b, done);
}

void kernel_loop_nest(Kernel *k, int nd, LLVMValueRef *bound, LLVMValueRef *idx,
                      int d0, KernelBody *body, void *ctx) {
  loop_nest(k, nd, bound, idx, d0, body, ctx);
}

/* flat = sum idx[d] * stride[d] (row-major strides of shape) */
static LLVMValueRef flat_index(Kernel *k, LLVMValueRef *idx,
                               LLVMValueRef *shape, int nd) {
  Cg *cg = k->cg;
  LLVMValueRef f = kernel_i64(k, 0);
  for (int d = 0; d < nd; d++)
    f = LLVMBuildNSWAdd(cg->b, LLVMBuildNSWMul(cg->b, f, shape[d], ""), idx[d], "");
  return f;
}

/* A new TrArray of the root's dtype and shape (from its constants). */
static LLVMValueRef new_array(Kernel *k, Type *dt, LLVMValueRef *shape,
                              int nd) {
  Cg *cg = k->cg;
  LLVMBasicBlockRef here = enter(k);
  LLVMValueRef sh = LLVMBuildAlloca(cg->b, LLVMArrayType2(cg->t_i64, nd ? nd : 1), "shape");
  leave(k, here);
  for (int d = 0; d < nd; d++) {
    LLVMValueRef i = kernel_i64(k, d);
    LLVMBuildStore(cg->b, shape[d],
                   LLVMBuildInBoundsGEP2(cg->b, cg->t_i64, sh, &i, 1, ""));
  }
  LLVMTypeRef pt[] = {cg->t_i64, cg->t_i64, cg->t_ptr};
  LLVMValueRef av[] = {kernel_i64(k, dt == ty_float ? TR_F64
                                     : dt == ty_int ? TR_I64
                                                    : TR_B8),
                       kernel_i64(k, nd), sh};
  return cg_call(cg, "tr_array_new", LLVMFunctionType(cg->t_ptr, pt, 3, 0), av, 3);
}

static void store_out(Kernel *k, LLVMValueRef arr) {
  Cg *cg = k->cg;
  LLVMValueRef v = LLVMGetUndef(cg->t_value);
  v = LLVMBuildInsertValue(cg->b, v, kernel_i64(k, TR_ARRAY), 0, "");
  v = LLVMBuildInsertValue(cg->b, v, LLVMBuildPtrToInt(cg->b, arr, cg->t_i64, ""), 1, "");
  LLVMBuildStore(cg->b, v, k->out);
}

static void root_shape(Kernel *k, int ti, LLVMValueRef *shape) {
  for (int d = 0; d < kernel_ndim(k->tasks[ti]); d++)
    shape[d] = kernel_shape(k, ti, d);
}

/* ---- element-wise roots ---- */

typedef struct ElemwiseCtx {
  int ti;
  Type *dt;
  LLVMValueRef data, *shape;
} ElemwiseCtx;

static void elemwise_body(Kernel *k, LLVMValueRef *idx, void *vc) {
  ElemwiseCtx *c = vc;
  int nd = kernel_ndim(k->tasks[c->ti]);
  LLVMValueRef v = kernel_elem(k, c->ti, idx);
  kernel_store_elem(k, c->dt, c->data, flat_index(k, idx, c->shape, nd), v);
}

static void emit_elemwise(Kernel *k) {
  int ti = k->n - 1;
  Task *t = k->tasks[ti];
  int nd = kernel_ndim(t);
  LLVMValueRef shape[KERNEL_MAXDIM], idx[KERNEL_MAXDIM];
  root_shape(k, ti, shape);
  LLVMValueRef arr = new_array(k, kernel_dtype(t), shape, nd);
  ElemwiseCtx c = {ti, kernel_dtype(t), kernel_arr_data(k, arr), shape};
  k->rng_from = ti;
  loop_nest(k, nd, shape, idx, 0, elemwise_body, &c);
  k->rng_from = -1;
  store_out(k, arr);
}

/* ---- reductions ---- */

typedef enum { H_SUM, H_PROD, H_MIN, H_MAX, H_ANY, H_ALL, H_MOMENT, H_ARGMIN,
               H_ARGMAX, H_MEAN, H_STD, H_VAR, H_SUMSEQ, H_MOMENTSEQ } How;

static How how_of(const Val *v) {
  static const char *const names[] = {"sum", "prod", "min", "max", "any", "all",
                                "moment", "argmin", "argmax", "mean", "std",
                                "var", "sum-seq", "moment-seq", NULL};
  for (int i = 0; names[i]; i++)
    if (v->kind == VAL_STR && !strcmp(v->str.s, names[i]))
      return (How)i;
  diag_fatal("internal error: unknown array reduction");
}

static LLVMValueRef fconst(Kernel *k, double x) {
  return LLVMConstReal(k->cg->t_f64, x);
}

static LLVMValueRef init_value(Kernel *k, How h, Type *dt) {
  Cg *cg = k->cg;
  switch (h) {
  case H_PROD:
    return dt == ty_float ? fconst(k, 1) : kernel_i64(k, 1);
  case H_MIN:
    return dt == ty_float ? fconst(k, __builtin_inf())
           : dt == ty_int ? kernel_i64(k, INT64_MAX)
                          : LLVMConstInt(cg->t_i1, 1, 0);
  case H_MAX:
    return dt == ty_float ? fconst(k, -__builtin_inf())
           : dt == ty_int ? kernel_i64(k, INT64_MIN)
                          : LLVMConstInt(cg->t_i1, 0, 0);
  case H_ALL:
    return LLVMConstInt(cg->t_i1, 1, 0);
  case H_ANY:
    return LLVMConstInt(cg->t_i1, 0, 0);
  default:
    return dt == ty_float ? fconst(k, 0)
           : dt == ty_int ? kernel_i64(k, 0)
                          : LLVMConstInt(cg->t_i1, 0, 0);
  }
}

static LLVMValueRef is_nan(Kernel *k, LLVMValueRef v) {
  return LLVMBuildFCmp(k->cg->b, LLVMRealUNO, v, v, "");
}

/* acc (op) v for the simple reductions; NaN propagates through min/max as
 * in NumPy. */
static LLVMValueRef accumulate(Kernel *k, How h, Type *dt, LLVMValueRef acc,
                               LLVMValueRef v) {
  LLVMBuilderRef b = k->cg->b;
  bool f = dt == ty_float;
  switch (h) {
  case H_SUM: return f ? LLVMBuildFAdd(b, acc, v, "") : LLVMBuildAdd(b, acc, v, "");
  case H_PROD: return f ? LLVMBuildFMul(b, acc, v, "") : LLVMBuildMul(b, acc, v, "");
  case H_ANY: return LLVMBuildOr(b, acc, v, "");
  case H_ALL: return LLVMBuildAnd(b, acc, v, "");
  case H_MIN: case H_MAX: {
    bool mn = h == H_MIN;
    if (dt == ty_bool)
      return mn ? LLVMBuildAnd(b, acc, v, "") : LLVMBuildOr(b, acc, v, "");
    if (!f)
      return LLVMBuildSelect(b, LLVMBuildICmp(b, mn ? LLVMIntSLT : LLVMIntSGT,
                                              v, acc, ""), v, acc, "");
    LLVMValueRef take = LLVMBuildFCmp(b, mn ? LLVMRealOLT : LLVMRealOGT, v, acc, "");
    take = LLVMBuildOr(b, take, is_nan(k, v), "");
    take = LLVMBuildAnd(b, take, LLVMBuildNot(b, is_nan(k, acc), ""), "");
    return LLVMBuildSelect(b, take, v, acc, "");
  }
  default:
    return acc;
  }
}

typedef struct ReduceCtx {
  How h;
  Type *pdt;           /* partial dtype */
  LLVMValueRef data;   /* partial data */
  LLVMValueRef ostride[KERNEL_MAXDIM]; /* per input axis: 0 on reduced axes */
  bool axes[KERNEL_MAXDIM];
  int nd, naxes, extra;
  int ti;              /* the reduce task */
  LLVMValueRef off[KERNEL_MAXDIM], gs[KERNEL_MAXDIM];
  LLVMValueRef cnt;    /* moment: elements per partial slot, as double */
  int pass;            /* moment: 1 adds the total, 2 the squares */
} ReduceCtx;

static LLVMValueRef slot(Kernel *k, LLVMValueRef data, LLVMValueRef o,
                         int extra, int c) {
  LLVMBuilderRef b = k->cg->b;
  LLVMValueRef i = LLVMBuildNSWAdd(
      b, LLVMBuildNSWMul(b, o, kernel_i64(k, extra), ""), kernel_i64(k, c), "");
  return LLVMBuildInBoundsGEP2(b, k->cg->t_f64, data, &i, 1, "");
}

/* Dask's moment_chunk in index order (NumPy's order when a reduced axis
 * is not trailing): pass 1 adds v to the total (slot 1), pass 2 adds
 * (v - u) ** 2 to M (slot 2), u = total / n waiting in slot 0. */
static void moment_update(Kernel *k, const ReduceCtx *c, LLVMValueRef o,
                          LLVMValueRef v) {
  LLVMBuilderRef b = k->cg->b;
  LLVMTypeRef f = k->cg->t_f64;
  LLVMValueRef p = slot(k, c->data, o, 3, c->pass == 1 ? 1 : 2);
  if (c->pass == 2) {
    LLVMValueRef u = LLVMBuildLoad2(b, f, slot(k, c->data, o, 3, 0), "");
    LLVMValueRef d = LLVMBuildFSub(b, v, u, "");
    v = LLVMBuildFMul(b, d, d, ""); /* NumPy's ** 2 is np.square */
  }
  LLVMBuildStore(b, LLVMBuildFAdd(b, LLVMBuildLoad2(b, f, p, ""), v, ""), p);
}

/* (best, index) at p[0..1]: take v when it is better, or the first. */
static void arg_update(Kernel *k, How h, LLVMValueRef data, LLVMValueRef o,
                       LLVMValueRef v, LLVMValueRef gi) {
  LLVMBuilderRef b = k->cg->b;
  LLVMTypeRef f = k->cg->t_f64;
  LLVMValueRef pv = slot(k, data, o, 2, 0), pi = slot(k, data, o, 2, 1);
  LLVMValueRef best = LLVMBuildLoad2(b, f, pv, ""), bi = LLVMBuildLoad2(b, f, pi, "");
  LLVMValueRef better = LLVMBuildFCmp(b, h == H_ARGMIN ? LLVMRealOLT : LLVMRealOGT,
                                      v, best, "");
  better = LLVMBuildOr(b, better, LLVMBuildAnd(b, is_nan(k, v),
                       LLVMBuildNot(b, is_nan(k, best), ""), ""), "");
  better = LLVMBuildAnd(b, better, LLVMBuildNot(b, is_nan(k, best), ""), "");
  LLVMValueRef first = LLVMBuildFCmp(b, LLVMRealOLT, bi, fconst(k, 0), "");
  LLVMValueRef take = LLVMBuildOr(b, better, first, "");
  LLVMBuildStore(b, LLVMBuildSelect(b, take, v, best, ""), pv);
  LLVMBuildStore(b, LLVMBuildSelect(b, take, LLVMBuildSIToFP(b, gi, f, ""), bi, ""), pi);
}

static void reduce_body(Kernel *k, LLVMValueRef *idx, void *vc) {
  ReduceCtx *c = vc;
  LLVMBuilderRef b = k->cg->b;
  Type *vt;
  LLVMValueRef v = kernel_operand(k, c->ti, 2, idx, c->nd, &vt);
  LLVMValueRef o = kernel_i64(k, 0);
  for (int d = 0; d < c->nd; d++)
    if (!c->axes[d])
      o = LLVMBuildNSWAdd(b, o, LLVMBuildNSWMul(b, idx[d], c->ostride[d], ""), "");
  if (c->h == H_MOMENT) {
    moment_update(k, c, o, kernel_conv(k, v, vt, ty_float));
    return;
  }
  if (c->h == H_ARGMIN || c->h == H_ARGMAX) {
    LLVMValueRef gi = kernel_i64(k, 0);
    for (int d = 0; d < c->nd; d++) {
      LLVMValueRef g = LLVMBuildNSWAdd(b, c->off[d], idx[d], "");
      if (c->naxes == c->nd)
        gi = LLVMBuildNSWAdd(b, gi, LLVMBuildNSWMul(b, g, c->gs[d], ""), "");
      else if (c->axes[d])
        gi = g;
    }
    arg_update(k, c->h, c->data, o, kernel_conv(k, v, vt, ty_float), gi);
    return;
  }
  v = kernel_conv(k, v, vt, c->pdt);
  LLVMValueRef acc = kernel_load_elem(k, c->pdt, c->data, o);
  kernel_store_elem(k, c->pdt, c->data, o, accumulate(k, c->h, c->pdt, acc, v));
}

typedef struct InitCtx {
  How h;
  Type *dt;
  LLVMValueRef data;
  int extra;
} InitCtx;

/* A float sum over trailing axes r0..nd-1 (axis=None, or the last axes):
 * np.sum walks them as one contiguous run, in its pairwise order. Any
 * other float sum adds in index order (NumPy: row by row), as reduce_body.
 * moment_chunk's two sums follow the same rule. */
static int pairwise_from(const ReduceCtx *c) {
  if (!(c->h == H_SUM && c->pdt == ty_float) && c->h != H_MOMENT)
    return -1;
  if (c->naxes == 0)
    return -1;
  int r0 = c->nd - c->naxes;
  for (int d = r0; d < c->nd; d++)
    if (!c->axes[d])
      return -1;
  return r0;
}

static LLVMValueRef pw_elem(Kernel *k, LLVMValueRef *idx, void *vc) {
  ReduceCtx *c = vc;
  Type *vt;
  LLVMValueRef v = kernel_operand(k, c->ti, 2, idx, c->nd, &vt);
  return kernel_conv(k, v, vt, ty_float);
}

typedef struct PairwiseCtx {
  ReduceCtx *c;
  int r0;
  LLVMValueRef *ishape;
} PairwiseCtx;

/* The partial's offset for the kept (leading) axes 0 .. r0-1 of idx. */
static LLVMValueRef kept_offset(Kernel *k, const ReduceCtx *c,
                                LLVMValueRef *idx, int r0) {
  LLVMValueRef o = kernel_i64(k, 0);
  for (int d = 0; d < r0; d++)
    o = LLVMBuildNSWAdd(k->cg->b, o,
                        LLVMBuildNSWMul(k->cg->b, idx[d], c->ostride[d], ""), "");
  return o;
}

static void pw_body(Kernel *k, LLVMValueRef *idx, void *vc) {
  PairwiseCtx *p = vc;
  ReduceCtx *c = p->c;
  LLVMValueRef o = kept_offset(k, c, idx, p->r0);
  LLVMValueRef s =
      kernel_pairwise_sum(k, c->nd, p->r0, p->ishape, idx, pw_elem, c);
  kernel_store_elem(k, ty_float, c->data, o, s);
}

/* moment_chunk with the reduced axes trailing: total and M are np.sum's
 * pairwise sums, two passes over the fused element expression (u must be
 * known before M; the chunk is never stored). */
typedef struct DevCtx {
  ReduceCtx *c;
  LLVMValueRef u;
} DevCtx;

static LLVMValueRef dev2_elem(Kernel *k, LLVMValueRef *idx, void *vc) {
  DevCtx *m = vc;
  LLVMValueRef d = LLVMBuildFSub(k->cg->b, pw_elem(k, idx, m->c), m->u, "");
  return LLVMBuildFMul(k->cg->b, d, d, "");
}

static void pw_moment_body(Kernel *k, LLVMValueRef *idx, void *vc) {
  PairwiseCtx *p = vc;
  ReduceCtx *c = p->c;
  LLVMBuilderRef b = k->cg->b;
  LLVMValueRef o = kept_offset(k, c, idx, p->r0);
  LLVMValueRef t =
      kernel_pairwise_sum(k, c->nd, p->r0, p->ishape, idx, pw_elem, c);
  DevCtx m = {c, LLVMBuildFDiv(b, t, c->cnt, "")};
  LLVMValueRef q =
      kernel_pairwise_sum(k, c->nd, p->r0, p->ishape, idx, dev2_elem, &m);
  LLVMBuildStore(b, c->cnt, slot(k, c->data, o, 3, 0));
  LLVMBuildStore(b, t, slot(k, c->data, o, 3, 1));
  LLVMBuildStore(b, q, slot(k, c->data, o, 3, 2));
}

typedef struct SlotCtx {
  LLVMValueRef data, cnt;
  bool mean; /* slot 0 = total / n (before pass 2), else n */
} SlotCtx;

static void slot0_body(Kernel *k, LLVMValueRef *idx, void *vc) {
  SlotCtx *s = vc;
  LLVMBuilderRef b = k->cg->b;
  LLVMValueRef v = s->cnt;
  if (s->mean)
    v = LLVMBuildFDiv(b, LLVMBuildLoad2(b, k->cg->t_f64,
                                        slot(k, s->data, idx[0], 3, 1), ""),
                      s->cnt, "");
  LLVMBuildStore(b, v, slot(k, s->data, idx[0], 3, 0));
}

static void init_body(Kernel *k, LLVMValueRef *idx, void *vc) {
  InitCtx *c = vc;
  if (c->extra == 3) {
    for (int i = 0; i < 3; i++)
      LLVMBuildStore(k->cg->b, fconst(k, 0), slot(k, c->data, idx[0], 3, i));
  } else if (c->extra == 2) {
    LLVMBuildStore(k->cg->b, fconst(k, c->h == H_ARGMIN ? __builtin_inf()
                                                        : -__builtin_inf()),
                   slot(k, c->data, idx[0], 2, 0));
    LLVMBuildStore(k->cg->b, fconst(k, -1), slot(k, c->data, idx[0], 2, 1));
  } else {
    kernel_store_elem(k, c->dt, c->data, idx[0], init_value(k, c->h, c->dt));
  }
}

static void emit_reduce(Kernel *k) {
  int ti = k->n - 1;
  Task *t = k->tasks[ti];
  ReduceCtx c;
  memset(&c, 0, sizeof c);
  c.ti = ti;
  c.h = how_of(t->args[3]);
  c.pdt = kernel_dtype(t);
  c.extra = c.h == H_MOMENT ? 3 : (c.h == H_ARGMIN || c.h == H_ARGMAX) ? 2 : 0;
  int pn = kernel_ndim(t);
  LLVMValueRef pshape[KERNEL_MAXDIM + 1];
  root_shape(k, ti, pshape);
  LLVMValueRef arr = new_array(k, c.pdt, pshape, pn);
  c.data = kernel_arr_data(k, arr);
  /* the input: an inner producer (its shape constants) or a chunk */
  const Val *x = t->args[2];
  int pi = x->kind == VAL_REF ? kernel_index(k, x->ref) : -1;
  Task *xt = x->ref;
  c.nd = kernel_ndim(xt);
  LLVMValueRef ishape[KERNEL_MAXDIM], idx[KERNEL_MAXDIM];
  for (int d = 0; d < c.nd; d++)
    ishape[d] =
        pi >= 0
            ? kernel_shape(k, pi, d)
            : kernel_arr_shape(k, kernel_input(k, k->first_input[ti][2]), d);
  const Val *ax = t->args[4];
  for (int i = 0; i < ax->seq.n; i++)
    c.axes[ax->seq.items[i]->i] = true;
  c.naxes = ax->seq.n;
  for (int d = 0; d < c.nd; d++) {
    c.off[d] = kernel_const_i64(k, k->first_const[ti][5] + d);
    c.gs[d] = kernel_const_i64(k, k->first_const[ti][6] + d);
  }
  /* strides of the partial (without the extra axis; slot() scales) */
  LLVMValueRef s = kernel_i64(k, 1);
  for (int d = c.nd - 1; d >= 0; d--) {
    c.ostride[d] = s;
    if (!c.axes[d])
      s = LLVMBuildNSWMul(k->cg->b, s, ishape[d], "");
  }
  LLVMValueRef cnt = kernel_i64(k, 1);
  for (int d = 0; d < c.nd; d++)
    if (c.axes[d])
      cnt = LLVMBuildNSWMul(k->cg->b, cnt, ishape[d], "");
  c.cnt = LLVMBuildSIToFP(k->cg->b, cnt, k->cg->t_f64, "");
  int r0 = pairwise_from(&c);
  if (r0 >= 0 && c.h == H_MOMENT && kernel_rng_draws(k, ti)) {
    /* random values are not Dask's anyway: draw each once (kernel_moment.c) */
    kernel_moment_once(k, ti, c.nd, r0, ishape, c.ostride, c.data, c.cnt);
    store_out(k, arr);
    return;
  }
  if (r0 >= 0) {
    PairwiseCtx pc = {&c, r0, ishape};
    loop_nest(k, r0, ishape, idx, 0, c.h == H_MOMENT ? pw_moment_body : pw_body,
              &pc);
    store_out(k, arr);
    return;
  }
  InitCtx ic = {c.h, c.pdt, c.data, c.extra};
  LLVMValueRef n1[1] = {s}, i1[1];
  loop_nest(k, 1, n1, i1, 0, init_body, &ic);
  c.pass = 1;
  k->rng_from = ti;
  loop_nest(k, c.nd, ishape, idx, 0, reduce_body, &c);
  k->rng_from = -1;
  if (c.h == H_MOMENT) { /* u into slot 0, pass 2, then n into slot 0 */
    SlotCtx sc = {c.data, c.cnt, true};
    loop_nest(k, 1, n1, i1, 0, slot0_body, &sc);
    c.pass = 2;
    k->rng_from = ti;
    loop_nest(k, c.nd, ishape, idx, 0, reduce_body, &c);
    k->rng_from = -1;
    sc.mean = false;
    loop_nest(k, 1, n1, i1, 0, slot0_body, &sc);
  }
  store_out(k, arr);
}

/* ---- combine and aggregate ---- */

typedef struct CombineCtx {
  How h;
  Type *dt;
  LLVMValueRef out, *parts;
  int n;
} CombineCtx;

/* np.sum of n values along a reduced axis: pairwise when the axis is
 * trailing (contiguous), else row by row from 0.0. */
static LLVMValueRef order_sum(Kernel *k, LLVMValueRef *v, int n, bool pw) {
  if (pw)
    return kernel_pairwise_list(k, v, n);
  LLVMValueRef s = fconst(k, 0);
  for (int p = 0; p < n; p++)
    s = LLVMBuildFAdd(k->cg->b, s, v[p], "");
  return s;
}

/* Dask's moment_combine (and moment_agg before its division) over parts
 * (n, total, M) at o: n = sum(ns), mu = sum(totals) / n, inner = totals/ns
 * - mu, M = sum(Ms) + sum(ns * inner ** 2), each sum as np.sum. The
 * result goes to out at slot oo. */
static void moment_merge(Kernel *k, LLVMValueRef *parts, int m, LLVMValueRef o,
                         LLVMValueRef out, LLVMValueRef oo, bool pw) {
  LLVMBuilderRef b = k->cg->b;
  LLVMTypeRef f = k->cg->t_f64;
  LLVMValueRef *v[4];
  for (int i = 0; i < 4; i++)
    v[i] = ARENA_ARRAY(k->cg->a, LLVMValueRef, m);
  for (int p = 0; p < m; p++)
    for (int i = 0; i < 3; i++)
      v[i][p] = LLVMBuildLoad2(b, f, slot(k, parts[p], o, 3, i), "");
  LLVMValueRef n = order_sum(k, v[0], m, pw), t = order_sum(k, v[1], m, pw);
  LLVMValueRef mu = LLVMBuildFDiv(b, t, n, "");
  for (int p = 0; p < m; p++) {
    LLVMValueRef in = LLVMBuildFSub(b, LLVMBuildFDiv(b, v[1][p], v[0][p], ""), mu, "");
    v[3][p] = LLVMBuildFMul(b, v[0][p], LLVMBuildFMul(b, in, in, ""), "");
  }
  LLVMValueRef q = LLVMBuildFAdd(b, order_sum(k, v[2], m, pw),
                                 order_sum(k, v[3], m, pw), "");
  LLVMBuildStore(b, n, slot(k, out, oo, 3, 0));
  LLVMBuildStore(b, t, slot(k, out, oo, 3, 1));
  LLVMBuildStore(b, q, slot(k, out, oo, 3, 2));
}

static void combine_body(Kernel *k, LLVMValueRef *idx, void *vc) {
  CombineCtx *c = vc;
  LLVMBuilderRef b = k->cg->b;
  LLVMTypeRef f = k->cg->t_f64;
  LLVMValueRef o = idx[0];
  int ex = (c->h == H_ARGMIN || c->h == H_ARGMAX) ? 2 : 1;
  if ((c->h == H_SUM || c->h == H_SUMSEQ) && c->dt == ty_float) {
    /* np.sum of the concatenated parts: pairwise in Dask's concatenation
     * order along trailing reduced axes, else row by row from 0.0 */
    LLVMValueRef *v = ARENA_ARRAY(k->cg->a, LLVMValueRef, c->n);
    for (int p = 0; p < c->n; p++)
      v[p] = kernel_load_elem(k, c->dt, c->parts[p], o);
    kernel_store_elem(k, c->dt, c->out, o,
                      order_sum(k, v, c->n, c->h == H_SUM));
    return;
  }
  if (c->h == H_MOMENT || c->h == H_MOMENTSEQ) {
    moment_merge(k, c->parts, c->n, o, c->out, o, c->h == H_MOMENT);
    return;
  }
  for (int i = 0; i < ex; i++) { /* out = parts[0] */
    LLVMValueRef j = LLVMBuildNSWAdd(
        b, LLVMBuildNSWMul(b, o, kernel_i64(k, ex), ""), kernel_i64(k, i), "");
    kernel_store_elem(k, c->dt, c->out, j,
                      kernel_load_elem(k, c->dt, c->parts[0], j));
  }
  for (int p = 1; p < c->n; p++) {
    if (ex == 2) {
      LLVMValueRef v = LLVMBuildLoad2(b, f, slot(k, c->parts[p], o, 2, 0), "");
      LLVMValueRef gi = LLVMBuildLoad2(b, f, slot(k, c->parts[p], o, 2, 1), "");
      arg_update(k, c->h, c->out, o, v, LLVMBuildFPToSI(b, gi, k->cg->t_i64, ""));
    } else {
      LLVMValueRef acc = kernel_load_elem(k, c->dt, c->out, o);
      LLVMValueRef v = kernel_load_elem(k, c->dt, c->parts[p], o);
      kernel_store_elem(k, c->dt, c->out, o,
                        accumulate(k, c->h, c->dt, acc, v));
    }
  }
}

static LLVMValueRef size_of(Kernel *k, LLVMValueRef *shape, int nd) {
  LLVMValueRef s = kernel_i64(k, 1);
  for (int d = 0; d < nd; d++)
    s = LLVMBuildNSWMul(k->cg->b, s, shape[d], "");
  return s;
}

static void emit_combine(Kernel *k) {
  int ti = k->n - 1;
  Task *t = k->tasks[ti];
  CombineCtx c = {how_of(t->args[3]), kernel_dtype(t), NULL, NULL,
                  t->args[2]->seq.n};
  if (c.h == H_SUMSEQ && c.dt != ty_float)
    c.h = H_SUM;
  int nd = kernel_ndim(t);
  LLVMValueRef shape[KERNEL_MAXDIM + 1], i1[1];
  root_shape(k, ti, shape);
  LLVMValueRef arr = new_array(k, c.dt, shape, nd);
  c.out = kernel_arr_data(k, arr);
  c.parts = ARENA_ARRAY(k->cg->a, LLVMValueRef, c.n);
  for (int p = 0; p < c.n; p++)
    c.parts[p] = kernel_arr_data(k, kernel_input(k, k->first_input[ti][2] + p));
  int ex = c.h == H_MOMENT || c.h == H_MOMENTSEQ ? 3
           : (c.h == H_ARGMIN || c.h == H_ARGMAX) ? 2 : 1;
  LLVMValueRef n = size_of(k, shape, nd);
  if (ex > 1)
    n = LLVMBuildSDiv(k->cg->b, n, kernel_i64(k, ex), "");
  loop_nest(k, 1, &n, i1, 0, combine_body, &c);
  store_out(k, arr);
}

typedef struct AggregateCtx {
  How h;
  Type *in, *out;
  LLVMValueRef src, dst, count, ddof;
} AggregateCtx;

static void aggregate_body(Kernel *k, LLVMValueRef *idx, void *vc) {
  AggregateCtx *c = vc;
  LLVMBuilderRef b = k->cg->b;
  LLVMTypeRef f = k->cg->t_f64;
  LLVMValueRef o = idx[0], v;
  switch (c->h) {
  case H_MEAN: /* mean_agg: np.sum of the totals (from 0.0) / n */
    v = LLVMBuildFAdd(b, fconst(k, 0), kernel_load_elem(k, c->in, c->src, o),
                      "");
    v = LLVMBuildFDiv(b, v, c->count, "");
    break;
  case H_SUM: /* the aggregate's np.sum starts from 0.0: never -0.0 */
    v = kernel_load_elem(k, c->in, c->src, o);
    if (c->in == ty_float)
      v = LLVMBuildFAdd(b, fconst(k, 0), v, "");
    v = kernel_conv(k, v, c->in, c->out);
    break;
  case H_STD: case H_VAR: {
    /* moment_agg over the one remaining part (the tree merged the rest:
     * the same numbers as Dask's aggregate over the last group), then
     * M / (n - ddof), NaN when that is negative; std = np.sqrt */
    LLVMValueRef src = c->src, q = kernel_alloca(k, LLVMArrayType2(f, 3), 1);
    moment_merge(k, &src, 1, o, q, kernel_i64(k, 0), true);
    LLVMValueRef n =
        LLVMBuildLoad2(b, f, slot(k, q, kernel_i64(k, 0), 3, 0), "");
    LLVMValueRef den = LLVMBuildFSub(b, LLVMBuildFAdd(b, fconst(k, 0), n, ""),
                                     c->ddof, "");
    den = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOLT, den, fconst(k, 0), ""),
                          fconst(k, __builtin_nan("")), den, "");
    v = LLVMBuildFDiv(
        b, LLVMBuildLoad2(b, f, slot(k, q, kernel_i64(k, 0), 3, 2), ""), den,
        "");
    if (c->h == H_STD)
      v = kernel_intrinsic(k, "llvm.sqrt", f, &v, 1);
    break;
  }
  case H_ARGMIN: case H_ARGMAX:
    v = LLVMBuildFPToSI(b, LLVMBuildLoad2(b, f, slot(k, c->src, o, 2, 1), ""),
                        k->cg->t_i64, "");
    break;
  default:
    v = kernel_conv(k, kernel_load_elem(k, c->in, c->src, o), c->in, c->out);
  }
  kernel_store_elem(k, c->out, c->dst, o, v);
}

static void emit_aggregate(Kernel *k) {
  int ti = k->n - 1;
  Task *t = k->tasks[ti];
  Task *src = t->args[2]->ref;
  AggregateCtx c = {how_of(t->args[3]),
                    kernel_dtype(src),
                    kernel_dtype(t),
                    NULL,
                    NULL,
                    NULL,
                    NULL};
  int nd = kernel_ndim(t);
  LLVMValueRef shape[KERNEL_MAXDIM], i1[1];
  root_shape(k, ti, shape);
  LLVMValueRef arr = new_array(k, c.out, shape, nd);
  c.dst = kernel_arr_data(k, arr);
  c.src = kernel_arr_data(k, kernel_input(k, k->first_input[ti][2]));
  c.count = LLVMBuildSIToFP(
      k->cg->b, kernel_const_i64(k, k->first_const[ti][4]), k->cg->t_f64, "");
  c.ddof = LLVMBuildSIToFP(k->cg->b, kernel_const_i64(k, k->first_const[ti][5]),
                           k->cg->t_f64, "");
  LLVMValueRef n = size_of(k, shape, nd);
  loop_nest(k, 1, &n, i1, 0, aggregate_body, &c);
  store_out(k, arr);
}

/* ---- concatenate and matmul ---- */

typedef struct ConcatCtx {
  Type *dt;
  int nd;
  LLVMValueRef src, dst, off[KERNEL_MAXDIM], *pshape, *oshape;
} ConcatCtx;

static void concat_body(Kernel *k, LLVMValueRef *idx, void *vc) {
  ConcatCtx *c = vc;
  LLVMValueRef g[KERNEL_MAXDIM];
  for (int d = 0; d < c->nd; d++)
    g[d] = LLVMBuildNSWAdd(k->cg->b, idx[d], c->off[d], "");
  LLVMValueRef v =
      kernel_load_elem(k, c->dt, c->src, flat_index(k, idx, c->pshape, c->nd));
  kernel_store_elem(k, c->dt, c->dst, flat_index(k, g, c->oshape, c->nd), v);
}

typedef struct PartsCtx {
  ConcatCtx cat;
  int j0, m0;
} PartsCtx;

/* one part p: its chunk from in[j0 + p], its offsets from k[m0 + p*nd] */
static void part_body(Kernel *k, LLVMValueRef *pidx, void *vc) {
  PartsCtx *c = vc;
  Cg *cg = k->cg;
  LLVMBuilderRef b = cg->b;
  int nd = c->cat.nd;
  LLVMValueRef p = pidx[0];
  LLVMValueRef j = LLVMBuildNSWAdd(b, p, kernel_i64(k, c->j0), "");
  LLVMValueRef off = LLVMBuildNSWAdd(
      b, LLVMBuildNSWMul(b, j, kernel_i64(k, 16), ""), kernel_i64(k, 8), "");
  LLVMValueRef arr = LLVMBuildLoad2(b, cg->t_ptr,
      LLVMBuildInBoundsGEP2(b, cg->t_i8, k->in, &off, 1, ""), "");
  LLVMValueRef pshape[KERNEL_MAXDIM], idx[KERNEL_MAXDIM];
  ConcatCtx cc = c->cat;
  for (int d = 0; d < nd; d++) {
    pshape[d] = kernel_arr_shape(k, arr, d);
    LLVMValueRef m =
        LLVMBuildNSWAdd(b, LLVMBuildNSWMul(b, p, kernel_i64(k, nd), ""),
                        kernel_i64(k, c->m0 + d), "");
    LLVMValueRef mo = LLVMBuildNSWAdd(
        b, LLVMBuildNSWMul(b, m, kernel_i64(k, 16), ""), kernel_i64(k, 8), "");
    cc.off[d] = LLVMBuildLoad2(
        b, cg->t_i64, LLVMBuildInBoundsGEP2(b, cg->t_i8, k->consts, &mo, 1, ""),
        "");
  }
  cc.src = kernel_arr_data(k, arr);
  cc.pshape = pshape;
  loop_nest(k, nd, pshape, idx, 0, concat_body, &cc);
}

static void emit_concat(Kernel *k) {
  int ti = k->n - 1;
  Task *t = k->tasks[ti];
  int nd = kernel_ndim(t);
  LLVMValueRef shape[KERNEL_MAXDIM], i1[1];
  root_shape(k, ti, shape);
  LLVMValueRef arr = new_array(k, kernel_dtype(t), shape, nd);
  PartsCtx c;
  memset(&c, 0, sizeof c);
  c.cat.dt = kernel_dtype(t);
  c.cat.nd = nd;
  c.cat.dst = kernel_arr_data(k, arr);
  c.cat.oshape = shape;
  c.j0 = k->first_input[ti][2];
  c.m0 = k->first_const[ti][3];
  LLVMValueRef n = kernel_i64(k, t->args[2]->seq.n);
  loop_nest(k, 1, &n, i1, 0, part_body, &c);
  store_out(k, arr);
}

static void emit_matmul(Kernel *k) {
  int ti = k->n - 1;
  Cg *cg = k->cg;
  LLVMValueRef a = kernel_input(k, k->first_input[ti][2]),
               bb = kernel_input(k, k->first_input[ti][3]);
  LLVMTypeRef pt[] = {cg->t_ptr, cg->t_ptr};
  LLVMValueRef av[] = {a, bb};
  store_out(k, cg_call(cg, "tr_array_matmul", LLVMFunctionType(cg->t_ptr, pt, 2, 0),
                       av, 2));
}

/* np.cumsum/np.cumprod of one chunk (array_cum.c): axis and how are
 * structural, the same for every task of this kernel. */
static void emit_cumulate(Kernel *k) {
  int ti = k->n - 1;
  Cg *cg = k->cg;
  Task *t = k->tasks[ti];
  LLVMValueRef av[] = {
      kernel_input(k, k->first_input[ti][2]), kernel_i64(k, t->args[3]->i),
      kernel_i64(k, !strcmp(t->args[4]->str.s, "prod")),
      kernel_i64(k, kernel_dtype(t) == ty_float ? TR_F64 : TR_I64)};
  LLVMTypeRef pt[] = {cg->t_ptr, cg->t_i64, cg->t_i64, cg->t_i64};
  store_out(k, cg_call(cg, "tr_array_cumulate",
                       LLVMFunctionType(cg->t_ptr, pt, 4, 0), av, 4));
}

/* np.tensordot or np.einsum of two chunks (runtime/array_tensordot.c):
 * the packed axes or kind are structural. */
static void emit_contract(Kernel *k, const char *fn) {
  int ti = k->n - 1;
  Cg *cg = k->cg;
  Task *t = k->tasks[ti];
  LLVMValueRef av[] = {
      kernel_input(k, k->first_input[ti][2]),
      kernel_input(k, k->first_input[ti][3]), kernel_i64(k, t->args[4]->i),
      kernel_i64(k, kernel_dtype(t) == ty_float ? TR_F64 : TR_I64)};
  LLVMTypeRef pt[] = {cg->t_ptr, cg->t_ptr, cg->t_i64, cg->t_i64};
  store_out(k, cg_call(cg, fn, LLVMFunctionType(cg->t_ptr, pt, 4, 0), av,
                       4));
}

/* One step of topk/argtopk (runtime/array_topk.c): k, axis and the flags
 * are structural; the chunk's offset along the axis is read from k. */
static void emit_topk(Kernel *k) {
  int ti = k->n - 1;
  Cg *cg = k->cg;
  Task *t = k->tasks[ti];
  LLVMValueRef av[] = {kernel_input(k, k->first_input[ti][2]),
                       kernel_i64(k, t->args[3]->i),
                       kernel_i64(k, t->args[4]->i),
                       kernel_const_i64(k, k->first_const[ti][5]),
                       kernel_i64(k, t->args[6]->i)};
  LLVMTypeRef pt[] = {cg->t_ptr, cg->t_i64, cg->t_i64, cg->t_i64, cg->t_i64};
  store_out(k, cg_call(cg, "tr_array_topk",
                       LLVMFunctionType(cg->t_ptr, pt, 5, 0), av, 5));
}

/* np.bincount of a block (runtime/array_hist.c): the bin count is the
 * chunk shape, weighted or not is structural. */
static void emit_bincount(Kernel *k) {
  int ti = k->n - 1;
  Cg *cg = k->cg;
  Task *t = k->tasks[ti];
  LLVMValueRef shape[KERNEL_MAXDIM];
  root_shape(k, ti, shape);
  LLVMValueRef av[] = {kernel_input(k, k->first_input[ti][2]),
                       kernel_input(k, k->first_input[ti][3]), shape[0],
                       kernel_i64(k, t->args[4]->i)};
  LLVMTypeRef pt[] = {cg->t_ptr, cg->t_ptr, cg->t_i64, cg->t_i64};
  store_out(k, cg_call(cg, "tr_array_bincount",
                       LLVMFunctionType(cg->t_ptr, pt, 4, 0), av, 4));
}

/* np.histogram of a block against the edges' block (runtime/array_hist.c) */
static void emit_histogram(Kernel *k) {
  int ti = k->n - 1;
  Cg *cg = k->cg;
  Task *t = k->tasks[ti];
  LLVMValueRef av[] = {kernel_input(k, k->first_input[ti][2]),
                       kernel_input(k, k->first_input[ti][3]),
                       kernel_input(k, k->first_input[ti][4]),
                       kernel_i64(k, t->args[5]->i)};
  LLVMTypeRef pt[] = {cg->t_ptr, cg->t_ptr, cg->t_ptr, cg->t_i64};
  store_out(k, cg_call(cg, "tr_array_histogram",
                       LLVMFunctionType(cg->t_ptr, pt, 4, 0), av, 4));
}

/* x @ x.T of one chunk (array_dot.c: NumPy's syrk case). */
static void emit_matmul_t(Kernel *k) {
  int ti = k->n - 1;
  Cg *cg = k->cg;
  LLVMValueRef a = kernel_input(k, k->first_input[ti][2]);
  LLVMTypeRef pt[] = {cg->t_ptr};
  store_out(k, cg_call(cg, "tr_array_matmul_t",
                       LLVMFunctionType(cg->t_ptr, pt, 1, 0), &a, 1));
}

/* A from_npy block alone: the block read is the result. */
static void emit_npy(Kernel *k) {
  int ti = k->n - 1;
  store_out(k, kernel_npy_block(k, ti));
  k->npy_block[ti] = NULL; /* owned by the result, not freed */
}

/* The loop nest is the root's: its family (ir/ops.def), then the op. */
static void emit_root(Kernel *k) {
  const Op *op = k->tasks[k->n - 1]->op;
  switch (op->family) {
  case CHUNK_ELEM:
    if (op->id == OP_array_from_npy) /* alone: the block read is the result */
      emit_npy(k);
    else
      emit_elemwise(k);
    return;
  case CHUNK_REDUCE:
    emit_reduce(k);
    return;
  case CHUNK_BLOCK:
    switch (op->id) {
    case OP_array_combine: emit_combine(k); return;
    case OP_array_aggregate: emit_aggregate(k); return;
    case OP_array_concatenate: emit_concat(k); return;
    case OP_array_matmul: emit_matmul(k); return;
    case OP_array_matmul_t: emit_matmul_t(k); return;
    case OP_array_cumulate: emit_cumulate(k); return;
    case OP_array_tensordot: emit_contract(k, "tr_array_tensordot"); return;
    case OP_array_einsum: emit_contract(k, "tr_array_einsum"); return;
    case OP_array_topk: emit_topk(k); return;
    case OP_array_bincount: emit_bincount(k); return;
    case OP_array_histogram: emit_histogram(k); return;
    default: break;
    }
    break;
  case SCALAR:
    break;
  }
  diag_fatal("internal error: no chunk kernel for op %s", op->name);
}

void cg_kernel_emit(Cg *cg, LLVMValueRef fn, Task *t) {
  Kernel k;
  memset(&k, 0, sizeof k);
  k.cg = cg;
  k.fn = fn;
  if (t->kind == TASK_FUSED) {
    k.tasks = t->inner;
    k.n = t->ninner;
  } else {
    k.tasks = ARENA_ARRAY(cg->a, Task *, 1);
    k.tasks[0] = t;
    k.n = 1;
  }
  for (int i = 0; i < k.n; i++)
    if (!is_chunk_op(k.tasks[i]) || !k.tasks[i]->type ||
        k.tasks[i]->type->kind != TY_ARRAY ||
        kernel_ndim(k.tasks[i]) > KERNEL_MAXDIM)
      diag_fatal("internal error: fused array task %s holds a non-array task",
                 t->name ? t->name : "?");
  k.in = LLVMGetParam(fn, 0);
  k.consts = LLVMGetParam(fn, 1);
  k.out = LLVMGetParam(fn, 2);
  k.rng_from = -1;
  layout(&k);
  k.entry = LLVMAppendBasicBlockInContext(cg->ctx, fn, "entry");
  LLVMBasicBlockRef start = LLVMAppendBasicBlockInContext(cg->ctx, fn, "start");
  LLVMPositionBuilderAtEnd(cg->b, start);
  emit_root(&k);
  kernel_npy_free(&k);
  LLVMBuildRetVoid(cg->b);
  LLVMPositionBuilderAtEnd(cg->b, k.entry);
  LLVMBuildBr(cg->b, start);
}
