/* kernel_moment.c - var/std of random values: each number drawn once.
 *
 * Dask's moment_chunk needs the mean before the squared deviations, so the
 * exact (Dask-equal) kernel walks the fused expression twice, and a random
 * chunk is drawn twice. Random values are not Dask's anyway, so for a
 * reduction whose values depend on a random member one pass suffices, with
 * a numerically sound update: shifted sums. K is the slot's first value (a
 * sample, so within a few deviations of the mean); per row of the innermost
 * axis d = v - K is summed as d and d * d (the row's sums are reassociable,
 * so LLVM vectorises them, and the strip of random samples comes from
 * kernel_rng.c), rows are added into the slot's totals, and
 *   total = n * K + S1,   M2 = S2 - S1 * S1 / n   (>= 0)
 * form the same (n, total, M2) partial moment_combine merges. Without a
 * random member the two-pass kernel (kernel.c) stays, equal to Dask's. */
#include "kernel.h"

typedef struct Once {
  int ti, nd, r0;
  LLVMValueRef *ishape, *ostride, data, cnt;
  LLVMValueRef shift;          /* K of the current slot */
  LLVMValueRef s1, s2, r1, r2; /* slot totals, row sums (allocas) */
} Once;

static LLVMValueRef value(Kernel *k, Once *c, LLVMValueRef *idx) {
  Type *vt;
  LLVMValueRef v = kernel_operand(k, c->ti, 2, idx, c->nd, &vt);
  return kernel_conv(k, v, vt, ty_float);
}

static LLVMValueRef ld(Kernel *k, LLVMValueRef p) {
  return LLVMBuildLoad2(k->cg->b, k->cg->t_f64, p, "");
}

/* *p += v, reassociable when the sum may be split into vector lanes */
static void add_to(Kernel *k, LLVMValueRef p, LLVMValueRef v, bool reassoc) {
  LLVMValueRef s = LLVMBuildFAdd(k->cg->b, ld(k, p), v, "");
  if (reassoc)
    LLVMSetFastMathFlags(s, LLVMFastMathAllowReassoc | LLVMFastMathNoSignedZeros);
  LLVMBuildStore(k->cg->b, s, p);
}

static void elem_body(Kernel *k, LLVMValueRef *idx, void *vc) {
  Once *c = vc;
  LLVMBuilderRef b = k->cg->b;
  LLVMValueRef d = LLVMBuildFSub(b, value(k, c, idx), c->shift, "");
  add_to(k, c->r1, d, true);
  add_to(k, c->r2, LLVMBuildFMul(b, d, d, ""), true);
}

static void row_body(Kernel *k, LLVMValueRef *idx, void *vc) {
  Once *c = vc;
  LLVMValueRef zero = LLVMConstReal(k->cg->t_f64, 0);
  LLVMBuildStore(k->cg->b, zero, c->r1);
  LLVMBuildStore(k->cg->b, zero, c->r2);
  k->rng_from = c->ti;
  kernel_loop_nest(k, c->nd, c->ishape, idx, c->nd - 1, elem_body, c);
  k->rng_from = -1;
  add_to(k, c->s1, ld(k, c->r1), false);
  add_to(k, c->s2, ld(k, c->r2), false);
}

static LLVMValueRef slot(Kernel *k, Once *c, LLVMValueRef o, int i) {
  LLVMBuilderRef b = k->cg->b;
  LLVMValueRef j = LLVMBuildNSWAdd(b, LLVMBuildNSWMul(b, o, kernel_i64(k, 3), ""),
                                   kernel_i64(k, i), "");
  return LLVMBuildInBoundsGEP2(b, k->cg->t_f64, c->data, &j, 1, "");
}

/* one slot: the kept index idx[0 .. r0-1] */
static void slot_body(Kernel *k, LLVMValueRef *idx, void *vc) {
  Once *c = vc;
  Cg *cg = k->cg;
  LLVMBuilderRef b = cg->b;
  LLVMValueRef o = kernel_i64(k, 0), zero = LLVMConstReal(cg->t_f64, 0);
  for (int d = 0; d < c->r0; d++)
    o = LLVMBuildNSWAdd(b, o, LLVMBuildNSWMul(b, idx[d], c->ostride[d], ""), "");
  LLVMBuildStore(b, c->cnt, slot(k, c, o, 0));
  LLVMBuildStore(b, zero, slot(k, c, o, 1));
  LLVMBuildStore(b, zero, slot(k, c, o, 2));
  /* an empty slot keeps (0, 0, 0), as np.sum of nothing; K needs an element */
  LLVMBasicBlockRef some = LLVMAppendBasicBlockInContext(cg->ctx, k->fn, "moment.some");
  LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(cg->ctx, k->fn, "moment.done");
  LLVMBuildCondBr(b, LLVMBuildFCmp(b, LLVMRealOGT, c->cnt, zero, ""), some, done);
  LLVMPositionBuilderAtEnd(b, some);
  for (int d = c->r0; d < c->nd; d++)
    idx[d] = kernel_i64(k, 0);
  c->shift = value(k, c, idx);
  LLVMBuildStore(b, zero, c->s1);
  LLVMBuildStore(b, zero, c->s2);
  kernel_loop_nest(k, c->nd - 1, c->ishape, idx, c->r0, row_body, c);
  LLVMValueRef s1 = ld(k, c->s1), s2 = ld(k, c->s2);
  LLVMValueRef total = LLVMBuildFAdd(b, LLVMBuildFMul(b, c->cnt, c->shift, ""), s1, "");
  LLVMValueRef m2 = LLVMBuildFSub(
      b, s2, LLVMBuildFDiv(b, LLVMBuildFMul(b, s1, s1, ""), c->cnt, ""), "");
  m2 = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOLT, m2, zero, ""), zero, m2, "");
  LLVMBuildStore(b, total, slot(k, c, o, 1));
  LLVMBuildStore(b, m2, slot(k, c, o, 2));
  LLVMBuildBr(b, done);
  LLVMPositionBuilderAtEnd(b, done);
}

void kernel_moment_once(Kernel *k, int ti, int nd, int r0, LLVMValueRef *ishape,
                        LLVMValueRef *ostride, LLVMValueRef data, LLVMValueRef cnt) {
  Once c = {ti, nd, r0, ishape, ostride, data, cnt, NULL, NULL, NULL, NULL, NULL};
  c.s1 = kernel_alloca(k, k->cg->t_f64, 1);
  c.s2 = kernel_alloca(k, k->cg->t_f64, 1);
  c.r1 = kernel_alloca(k, k->cg->t_f64, 1);
  c.r2 = kernel_alloca(k, k->cg->t_f64, 1);
  LLVMValueRef idx[KERNEL_MAXDIM];
  kernel_loop_nest(k, r0, ishape, idx, 0, slot_body, &c);
}
