/* kernel_pairwise.c - NumPy's order of float summation, generated inline.
 *
 * Our promise is Dask's results bit for bit, and a float sum depends on
 * the order of its additions. np.sum over contiguous elements does:
 *
 *   out = 0.0; for each buffer of <= 8192 elements: out = out + pw(buffer)
 *   pw(n < 8)    = 0.0 + a0 + a1 + ...                 (one by one)
 *   pw(n <= 128) = eight accumulators r[j] += a[i + j], then
 *                  ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)),
 *                  then the n % 8 rest added one by one
 *   pw(n)        = pw(first n2) + pw(rest), n2 = n/2 - (n/2) % 8
 *
 * (checked against NumPy 1.24 by experiment; the 8192 is the iterator's
 * buffer size). The chunk loop keeps the fusion: elements are evaluated
 * as they are added, in index order, never stored. The recursion becomes
 * an explicit stack of pending left halves, so the leaves (<= 128
 * elements) are plain loops, and eight accumulators are also faster than
 * one: the adds no longer wait on each other. The eight accumulators
 * are the lanes of one <8 x double>, so the element is evaluated for
 * eight indices side by side and vectorizes (hash and all). */
#include "kernel.h"

enum { PW_BLOCK = 128, NP_BUFSIZE = 8192, PW_STACK = 16 };

typedef struct Pairwise {
  Kernel *k;
  int nd, r0;            /* reduced axes are r0 .. nd-1 */
  LLVMValueRef *shape, *idx;
  LLVMValueRef ridx[KERNEL_MAXDIM]; /* the reduced index, in allocas */
  KernelElemFn *elem;
  void *ctx;
  LLVMValueRef buf;            /* [8 x double]: eight elements of a row */
} Pairwise;

LLVMValueRef kernel_alloca(Kernel *k, LLVMTypeRef t, int n) {
  LLVMBuilderRef b = k->cg->b;
  LLVMBasicBlockRef here = LLVMGetInsertBlock(b);
  LLVMPositionBuilderAtEnd(b, k->entry);
  LLVMValueRef p = LLVMBuildAlloca(b, n > 1 ? LLVMArrayType2(t, (unsigned)n) : t,
                                   "pw");
  LLVMPositionBuilderAtEnd(b, here);
  return p;
}

static LLVMBasicBlockRef block(Kernel *k, const char *name) {
  return LLVMAppendBasicBlockInContext(k->cg->ctx, k->fn, name);
}

static LLVMValueRef ld(Kernel *k, LLVMTypeRef t, LLVMValueRef p) {
  return LLVMBuildLoad2(k->cg->b, t, p, "");
}

static LLVMValueRef at(Kernel *k, LLVMTypeRef t, LLVMValueRef base,
                       LLVMValueRef i) {
  return LLVMBuildInBoundsGEP2(k->cg->b, t, base, &i, 1, "");
}

static LLVMValueRef fadd(Kernel *k, LLVMValueRef a, LLVMValueRef b) {
  return LLVMBuildFAdd(k->cg->b, a, b, "");
}

/* The next element in index order; then the reduced index moves on. */
static LLVMValueRef next(Pairwise *p) {
  Kernel *k = p->k;
  LLVMBuilderRef b = k->cg->b;
  LLVMTypeRef i64 = k->cg->t_i64;
  for (int d = p->r0; d < p->nd; d++)
    p->idx[d] = ld(k, i64, p->ridx[d]);
  LLVMValueRef v = p->elem(k, p->idx, p->ctx);
  LLVMValueRef carry = kernel_i64(k, 1);
  for (int d = p->nd - 1; d >= p->r0; d--) {
    LLVMValueRef n = LLVMBuildNSWAdd(b, p->idx[d], carry, "");
    if (d > p->r0) { /* the outermost reduced axis never wraps */
      LLVMValueRef wrap = LLVMBuildICmp(b, LLVMIntEQ, n, p->shape[d], "");
      n = LLVMBuildSelect(b, wrap, kernel_i64(k, 0), n, "");
      carry = LLVMBuildZExt(b, wrap, i64, "");
    }
    LLVMBuildStore(b, n, p->ridx[d]);
  }
  return v;
}

static LLVMValueRef lane(Kernel *k, int j) {
  return LLVMConstInt(k->cg->t_i32, (unsigned long long)j, 0);
}

/* Eight elements of one row of the last axis, from index cur on, as a
 * counted loop storing to a buffer: the loop vectorizer's favourite shape
 * (hash and all: twice as fast as eight evaluations left to the SLP
 * vectorizer), and the buffer is one vector load afterwards. */
static LLVMValueRef row8(Pairwise *p, LLVMValueRef cur) {
  Kernel *k = p->k;
  LLVMBuilderRef b = k->cg->b;
  LLVMTypeRef i64 = k->cg->t_i64;
  int last = p->nd - 1;
  for (int d = p->r0; d < last; d++)
    p->idx[d] = ld(k, i64, p->ridx[d]);
  LLVMBasicBlockRef pre = LLVMGetInsertBlock(b), body = block(k, "pw.row8"),
                    after = block(k, "pw.row8end");
  LLVMBuildBr(b, body);
  LLVMPositionBuilderAtEnd(b, body);
  LLVMValueRef j = LLVMBuildPhi(b, i64, "j");
  p->idx[last] = LLVMBuildNSWAdd(b, cur, j, "");
  LLVMBuildStore(b, p->elem(k, p->idx, p->ctx), at(k, k->cg->t_f64, p->buf, j));
  LLVMValueRef j1 = LLVMBuildNSWAdd(b, j, kernel_i64(k, 1), "");
  LLVMValueRef inc_v[2] = {kernel_i64(k, 0), j1};
  LLVMBasicBlockRef inc_b[2] = {pre, LLVMGetInsertBlock(b)};
  LLVMAddIncoming(j, inc_v, inc_b, 2);
  LLVMBuildCondBr(b, LLVMBuildICmp(b, LLVMIntSLT, j1, kernel_i64(k, 8), ""),
                  body, after);
  LLVMPositionBuilderAtEnd(b, after);
  LLVMBuildStore(b, LLVMBuildNSWAdd(b, cur, kernel_i64(k, 8), ""),
                 p->ridx[last]);
  return ld(k, LLVMVectorType(k->cg->t_f64, 8), p->buf);
}

/* The next eight elements as one vector: lane j is accumulator r_j, so a
 * vector add gives each r_j exactly its scalar sequence of adds. Eight
 * in one row (the common case) go through row8; otherwise they are taken
 * one by one with the carries from axis to axis. */
static LLVMValueRef next8(Pairwise *p) {
  Kernel *k = p->k;
  LLVMBuilderRef b = k->cg->b;
  LLVMTypeRef v8 = LLVMVectorType(k->cg->t_f64, 8);
  int last = p->nd - 1;
  LLVMValueRef cur = ld(k, k->cg->t_i64, p->ridx[last]);
  LLVMValueRef end = LLVMBuildNSWAdd(b, cur, kernel_i64(k, 8), "");
  /* the outermost reduced axis never wraps; inner ones must not here */
  LLVMValueRef fits = LLVMBuildICmp(b, last > p->r0 ? LLVMIntSLT : LLVMIntSLE,
                                    end, p->shape[last], "");
  LLVMBasicBlockRef fast = block(k, "pw.fast8"), slow = block(k, "pw.carry8"),
                    join = block(k, "pw.got8");
  LLVMBuildCondBr(b, fits, fast, slow);
  LLVMPositionBuilderAtEnd(b, fast);
  LLVMValueRef vals[2];
  vals[0] = row8(p, cur);
  LLVMBasicBlockRef ends[2] = {LLVMGetInsertBlock(b), NULL};
  LLVMBuildBr(b, join);
  LLVMPositionBuilderAtEnd(b, slow);
  vals[1] = LLVMGetUndef(v8);
  for (int i = 0; i < 8; i++)
    vals[1] = LLVMBuildInsertElement(b, vals[1], next(p), lane(k, i), "");
  ends[1] = LLVMGetInsertBlock(b);
  LLVMBuildBr(b, join);
  LLVMPositionBuilderAtEnd(b, join);
  LLVMValueRef phi = LLVMBuildPhi(b, v8, "");
  LLVMAddIncoming(phi, vals, ends, 2);
  return phi;
}

/* while (*i < limit) { body; *i += step } : the caller emits the body
 * between loop_begin and loop_end. */
typedef struct Loop {
  LLVMBasicBlockRef head, done;
  LLVMValueRef i;
} Loop;

static Loop loop_begin(Kernel *k, LLVMValueRef islot, int64_t from,
                       LLVMValueRef limit) {
  LLVMBuilderRef b = k->cg->b;
  Loop l = {block(k, "pw.head"), block(k, "pw.done"), islot};
  LLVMBuildStore(b, kernel_i64(k, from), islot);
  LLVMBuildBr(b, l.head);
  LLVMPositionBuilderAtEnd(b, l.head);
  LLVMBasicBlockRef body = block(k, "pw.body");
  LLVMValueRef i = ld(k, k->cg->t_i64, islot);
  LLVMBuildCondBr(b, LLVMBuildICmp(b, LLVMIntSLT, i, limit, ""), body, l.done);
  LLVMPositionBuilderAtEnd(b, body);
  return l;
}

static void loop_end(Kernel *k, Loop *l, int64_t step) {
  LLVMBuilderRef b = k->cg->b;
  LLVMValueRef i = ld(k, k->cg->t_i64, l->i);
  LLVMBuildStore(b, LLVMBuildNSWAdd(b, i, kernel_i64(k, step), ""), l->i);
  LLVMBuildBr(b, l->head);
  LLVMPositionBuilderAtEnd(b, l->done);
}

/* s = pw(len) for a leaf (len <= 128), then branch to `join`. */
static void leaf(Pairwise *p, LLVMValueRef len, LLVMValueRef s,
                 LLVMValueRef islot, LLVMValueRef r, LLVMBasicBlockRef join) {
  Kernel *k = p->k;
  LLVMBuilderRef b = k->cg->b;
  LLVMTypeRef f64 = k->cg->t_f64;
  LLVMBasicBlockRef small = block(k, "pw.small"), big = block(k, "pw.big");
  LLVMBuildCondBr(b, LLVMBuildICmp(b, LLVMIntSLT, len, kernel_i64(k, 8), ""),
                  small, big);

  LLVMPositionBuilderAtEnd(b, small);
  LLVMBuildStore(b, LLVMConstReal(f64, 0), s);
  Loop l = loop_begin(k, islot, 0, len);
  LLVMBuildStore(b, fadd(k, ld(k, f64, s), next(p)), s);
  loop_end(k, &l, 1);
  LLVMBuildBr(b, join);

  LLVMPositionBuilderAtEnd(b, big);
  LLVMTypeRef v8 = LLVMVectorType(f64, 8);
  LLVMBuildStore(b, next8(p), r);
  LLVMValueRef lim =
      LLVMBuildNSWSub(b, len, LLVMBuildSRem(b, len, kernel_i64(k, 8), ""), "");
  l = loop_begin(k, islot, 8, lim);
  LLVMBuildStore(b, fadd(k, ld(k, v8, r), next8(p)), r);
  loop_end(k, &l, 8);
  LLVMValueRef acc = ld(k, v8, r), v[8];
  for (int j = 0; j < 8; j++)
    v[j] = LLVMBuildExtractElement(b, acc, lane(k, j), "");
  LLVMValueRef res = fadd(k, fadd(k, fadd(k, v[0], v[1]), fadd(k, v[2], v[3])),
                          fadd(k, fadd(k, v[4], v[5]), fadd(k, v[6], v[7])));
  LLVMBuildStore(b, res, s);
  /* the rest, one by one: islot already stands at lim */
  LLVMBasicBlockRef head = block(k, "pw.rest"), body = block(k, "pw.restb");
  LLVMBuildBr(b, head);
  LLVMPositionBuilderAtEnd(b, head);
  LLVMValueRef i = ld(k, k->cg->t_i64, islot);
  LLVMBuildCondBr(b, LLVMBuildICmp(b, LLVMIntSLT, i, len, ""), body, join);
  LLVMPositionBuilderAtEnd(b, body);
  LLVMBuildStore(b, fadd(k, ld(k, f64, s), next(p)), s);
  LLVMBuildStore(b, LLVMBuildNSWAdd(b, i, kernel_i64(k, 1), ""), islot);
  LLVMBuildBr(b, head);
}

LLVMValueRef kernel_pairwise_sum(Kernel *k, int nd, int r0, LLVMValueRef *shape,
                                 LLVMValueRef *idx, KernelElemFn *elem,
                                 void *ctx) {
  Cg *cg = k->cg;
  LLVMBuilderRef b = cg->b;
  LLVMTypeRef i64 = cg->t_i64, f64 = cg->t_f64;
  Pairwise p = {k,     nd,  r0,
                shape, idx, {0},
                elem,  ctx, kernel_alloca(k, LLVMVectorType(cg->t_f64, 8), 1)};
  /* the eight lanes fill one 512-bit register where the CPU has them;
   * LLVM otherwise stops at 256 bits and splits the element's hash */
  LLVMAddAttributeAtIndex(
      k->fn, LLVMAttributeFunctionIndex,
      LLVMCreateStringAttribute(cg->ctx, "prefer-vector-width", 19, "512", 3));
  LLVMValueRef n = kernel_i64(k, 1);
  for (int d = r0; d < nd; d++) {
    p.ridx[d] = kernel_alloca(k, i64, 1);
    LLVMBuildStore(b, kernel_i64(k, 0), p.ridx[d]);
    n = LLVMBuildNSWMul(b, n, shape[d], "");
  }
  LLVMValueRef total = kernel_alloca(k, f64, 1),
               done = kernel_alloca(k, i64, 1), len = kernel_alloca(k, i64, 1),
               sp = kernel_alloca(k, i64, 1), s = kernel_alloca(k, f64, 1),
               islot = kernel_alloca(k, i64, 1),
               lv = kernel_alloca(k, f64, PW_STACK),
               rn = kernel_alloca(k, i64, PW_STACK);
  LLVMValueRef r = kernel_alloca(k, LLVMVectorType(f64, 8), 1);
  LLVMBuildStore(b, LLVMConstReal(f64, 0), total);

  /* for each buffer of <= 8192 elements */
  Loop buf = loop_begin(k, done, 0, n);
  LLVMValueRef d0 = ld(k, i64, done);
  LLVMValueRef rem = LLVMBuildNSWSub(b, n, d0, "");
  LLVMValueRef bl = LLVMBuildSelect(
      b, LLVMBuildICmp(b, LLVMIntSLT, rem, kernel_i64(k, NP_BUFSIZE), ""), rem,
      kernel_i64(k, NP_BUFSIZE), "");
  LLVMBuildStore(b, bl, len);
  LLVMBuildStore(b, kernel_i64(k, 0), sp);
  LLVMBasicBlockRef descend = block(k, "pw.descend"), split = block(k, "pw.split"),
                    lf = block(k, "pw.leaf"), ascend = block(k, "pw.ascend"),
                    top = block(k, "pw.top"), pop = block(k, "pw.pop"),
                    merge = block(k, "pw.merge"), right = block(k, "pw.right"),
                    next_buf = block(k, "pw.nextbuf");
  LLVMBuildBr(b, descend);

  /* descend: split while longer than a leaf, remembering right halves */
  LLVMPositionBuilderAtEnd(b, descend);
  LLVMValueRef l = ld(k, i64, len);
  LLVMBuildCondBr(b,
                  LLVMBuildICmp(b, LLVMIntSGT, l, kernel_i64(k, PW_BLOCK), ""),
                  split, lf);
  LLVMPositionBuilderAtEnd(b, split);
  LLVMValueRef h = LLVMBuildSDiv(b, l, kernel_i64(k, 2), "");
  LLVMValueRef n2 =
      LLVMBuildNSWSub(b, h, LLVMBuildSRem(b, h, kernel_i64(k, 8), ""), "");
  LLVMValueRef top_i = ld(k, i64, sp);
  LLVMBuildStore(b, LLVMBuildNSWSub(b, l, n2, ""), at(k, i64, rn, top_i));
  LLVMBuildStore(b, LLVMBuildNSWAdd(b, top_i, kernel_i64(k, 1), ""), sp);
  LLVMBuildStore(b, n2, len);
  LLVMBuildBr(b, descend);

  LLVMPositionBuilderAtEnd(b, lf);
  leaf(&p, l, s, islot, r, ascend);

  /* ascend: a finished left half waits for its right half; a finished
   * right half is added to its left one (pw(left) + pw(right)) */
  LLVMPositionBuilderAtEnd(b, ascend);
  LLVMValueRef spv = ld(k, i64, sp);
  LLVMBuildCondBr(b, LLVMBuildICmp(b, LLVMIntEQ, spv, kernel_i64(k, 0), ""),
                  top, pop);
  LLVMPositionBuilderAtEnd(b, top);
  LLVMBuildStore(b, fadd(k, ld(k, f64, total), ld(k, f64, s)), total);
  LLVMBuildStore(b, LLVMBuildNSWAdd(b, d0, bl, ""), done);
  LLVMBuildBr(b, next_buf);
  LLVMPositionBuilderAtEnd(b, pop);
  LLVMValueRef t = LLVMBuildNSWSub(b, spv, kernel_i64(k, 1), "");
  LLVMValueRef rr = ld(k, i64, at(k, i64, rn, t));
  LLVMBuildCondBr(b, LLVMBuildICmp(b, LLVMIntSLT, rr, kernel_i64(k, 0), ""),
                  merge, right);
  LLVMPositionBuilderAtEnd(b, merge);
  LLVMBuildStore(b, fadd(k, ld(k, f64, at(k, f64, lv, t)), ld(k, f64, s)), s);
  LLVMBuildStore(b, t, sp);
  LLVMBuildBr(b, ascend);
  LLVMPositionBuilderAtEnd(b, right);
  LLVMBuildStore(b, ld(k, f64, s), at(k, f64, lv, t));
  LLVMBuildStore(b, kernel_i64(k, -1), at(k, i64, rn, t));
  LLVMBuildStore(b, rr, len);
  LLVMBuildBr(b, descend);

  /* the buffer loop's step is already taken (done += bl) */
  LLVMPositionBuilderAtEnd(b, next_buf);
  loop_end(k, &buf, 0);
  return ld(k, f64, total);
}

/* pw over values known at compile time (a combine's parts, in the order
 * Dask concatenates them), with NumPy's buffers. */
static LLVMValueRef pw_list(Kernel *k, LLVMValueRef *v, int n) {
  if (n < 8) {
    LLVMValueRef s = LLVMConstReal(k->cg->t_f64, 0);
    for (int i = 0; i < n; i++)
      s = fadd(k, s, v[i]);
    return s;
  }
  if (n <= PW_BLOCK) {
    LLVMValueRef r[8];
    int i;
    for (i = 0; i < 8; i++)
      r[i] = v[i];
    for (; i < n - n % 8; i += 8)
      for (int j = 0; j < 8; j++)
        r[j] = fadd(k, r[j], v[i + j]);
    LLVMValueRef s = fadd(k, fadd(k, fadd(k, r[0], r[1]), fadd(k, r[2], r[3])),
                          fadd(k, fadd(k, r[4], r[5]), fadd(k, r[6], r[7])));
    for (; i < n; i++)
      s = fadd(k, s, v[i]);
    return s;
  }
  int n2 = n / 2;
  n2 -= n2 % 8;
  return fadd(k, pw_list(k, v, n2), pw_list(k, v + n2, n - n2));
}

LLVMValueRef kernel_pairwise_list(Kernel *k, LLVMValueRef *v, int n) {
  LLVMValueRef total = LLVMConstReal(k->cg->t_f64, 0);
  for (int i = 0; i < n; i += NP_BUFSIZE)
    total = fadd(k, total, pw_list(k, v + i, n - i < NP_BUFSIZE ? n - i
                                                                 : NP_BUFSIZE));
  return total;
}
