/* kernel_rng.c - random members of a fused loop drawn in strips, on vector
 * lanes.
 *
 * Inline, a normal sample is a hash, two table loads and a branch to the
 * rare slow path: a loop with it does not vectorise. So the innermost loop
 * of a loop nest runs in strips of STRIP elements: per strip, each random
 * member's samples are drawn first by the runtime (tr_rng_normal_run /
 * tr_rng_uniform_run: AVX-512, AVX2 or scalar, chosen at run time, the same
 * bits on every path) into a buffer that stays in L1, and the fused
 * expression then reads them (kernel_elem.c: random_elem), a branch-free
 * loop that LLVM vectorises.
 *
 * A member qualifies when exactly one operand path leads to it from the
 * loop's member and every step of that path maps indices affinely
 * (element-wise with broadcasting, getitem, transpose, the reduction's
 * input; not reshape): then
 * its global index along the innermost loop is g0 + j * stride, with g0 and
 * stride computed before the loop from the index at j = 0 and j = 1. */
#include "../../runtime/taskrt.h"
#include "kernel.h"

enum { STRIP = 512 };

static bool is_random(const Task *t) {
  return t->op->id == OP_array_normal || t->op->id == OP_array_uniform;
}

/* the chain member that argument a of member ti refers to, or -1 */
static int member_arg(Kernel *k, int ti, int a) {
  const Val *v = k->tasks[ti]->args[a];
  return v->kind == VAL_REF ? kernel_index(k, v->ref) : -1;
}

/* Do member ti's operands share its index (up to broadcasting), or move it
 * affinely (getitem, transpose: operand_index)? Ops added later count as
 * neither until they are listed here: their strips would read the wrong
 * elements. */
static bool affine_operands(const Task *t) {
  OpId op = t->op->id;
  return (op >= OP_array_add && op <= OP_array_isfinite) || op == OP_array_where ||
         op == OP_array_map_blocks || op == OP_array_poisson || op == OP_array_getitem ||
         op == OP_array_transpose || op == OP_array_reduce;
}

/* Paths from member ti to member r, saturated at 2; -1 when one goes
 * through an op that is not affine_operands (reshape). memo[i] < -1: not
 * known yet. */
static int paths(Kernel *k, int ti, int r, int *memo) {
  if (ti == r)
    return 1;
  if (memo[ti] >= -1)
    return memo[ti];
  Task *t = k->tasks[ti];
  int n = 0;
  for (int a = 0; a < t->nargs && n >= 0; a++) {
    int p = member_arg(k, ti, a);
    int c = p < 0 ? 0 : paths(k, p, r, memo);
    if (c < 0 || (c > 0 && !affine_operands(t)))
      n = -1;
    else
      n = n + c > 2 ? 2 : n + c;
  }
  memo[ti] = n;
  return n;
}

/* the rank of the index a loop over member ti walks: a reduction walks its
 * input's */
static int loop_rank(Kernel *k, int ti) {
  Task *t = k->tasks[ti];
  if (t->op->id == OP_array_reduce)
    return kernel_ndim(t->args[2]->ref);
  return kernel_ndim(t);
}

/* The index argument a of member ti is read at (kernel_elem.c: getitem,
 * transpose, kernel_operand), before broadcasting; returns its rank. */
static int operand_index(Kernel *k, int ti, int a, LLVMValueRef *idx,
                         LLVMValueRef *in) {
  LLVMBuilderRef b = k->cg->b;
  Task *t = k->tasks[ti];
  OpId op = t->op->id;
  if (op == OP_array_getitem && a == 2) {
    const Val *map = t->args[5];
    for (int d = 0; d < map->seq.n; d++) {
      LLVMValueRef s = kernel_const_i64(k, k->first_const[ti][3] + d);
      int64_t o = map->seq.items[d]->i;
      in[d] = o < 0 ? s
                    : LLVMBuildNSWAdd(
                          b, s,
                          LLVMBuildNSWMul(b, kernel_const_i64(k, k->first_const[ti][4] + d),
                                          idx[o], ""),
                          "");
    }
    return map->seq.n;
  }
  if (op == OP_array_transpose && a == 2) {
    const Val *perm = t->args[3];
    for (int d = 0; d < perm->seq.n; d++)
      in[perm->seq.items[d]->i] = idx[d];
    return perm->seq.n;
  }
  int nd = loop_rank(k, ti);
  for (int d = 0; d < nd; d++)
    in[d] = idx[d];
  return nd;
}

/* idx (member ti's) carried along the one path to member r: r's index */
static void map_index(Kernel *k, int ti, LLVMValueRef *idx, int r, int *memo,
                      LLVMValueRef *out) {
  if (ti == r) {
    for (int d = 0; d < kernel_ndim(k->tasks[r]); d++)
      out[d] = idx[d];
    return;
  }
  LLVMBuilderRef b = k->cg->b;
  Task *t = k->tasks[ti];
  for (int a = 0; a < t->nargs; a++) {
    int p = member_arg(k, ti, a);
    if (p < 0 || paths(k, p, r, memo) <= 0)
      continue;
    LLVMValueRef in[KERNEL_MAXDIM], pidx[KERNEL_MAXDIM];
    int nd = operand_index(k, ti, a, idx, in);
    int pn = kernel_ndim(k->tasks[p]), lead = nd - pn;
    for (int d = 0; d < pn; d++) { /* broadcasting, as kernel_operand */
      LLVMValueRef one = LLVMBuildICmp(b, LLVMIntEQ, kernel_shape(k, p, d), kernel_i64(k, 1), "");
      pidx[d] = LLVMBuildSelect(b, one, kernel_i64(k, 0), in[d + lead], "");
    }
    map_index(k, p, pidx, r, memo, out);
    return;
  }
}

/* r's global index with the innermost loop index at j */
static LLVMValueRef index_at(Kernel *k, int nd, LLVMValueRef *idx, int r, int *memo, int64_t j) {
  LLVMValueRef at[KERNEL_MAXDIM], ridx[KERNEL_MAXDIM];
  for (int d = 0; d < nd - 1; d++)
    at[d] = idx[d];
  at[nd - 1] = kernel_i64(k, j);
  map_index(k, k->rng_from, at, r, memo, ridx);
  return kernel_random_index(k, r, ridx);
}

typedef struct Strip {
  int r;
  LLVMValueRef g0, stride, buf;
} Strip;

/* for (i = 0; i < n; i++) with the phi in *i; returns the exit block */
static LLVMBasicBlockRef loop_open(Kernel *k, LLVMValueRef n, LLVMValueRef *i,
                                   LLVMBasicBlockRef *head) {
  Cg *cg = k->cg;
  LLVMBasicBlockRef pre = LLVMGetInsertBlock(cg->b);
  *head = LLVMAppendBasicBlockInContext(cg->ctx, k->fn, "strip.head");
  LLVMBasicBlockRef body = LLVMAppendBasicBlockInContext(cg->ctx, k->fn, "strip.body");
  LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(cg->ctx, k->fn, "strip.done");
  LLVMBuildBr(cg->b, *head);
  LLVMPositionBuilderAtEnd(cg->b, *head);
  *i = LLVMBuildPhi(cg->b, cg->t_i64, "j");
  LLVMValueRef zero = kernel_i64(k, 0);
  LLVMAddIncoming(*i, &zero, &pre, 1);
  LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntSLT, *i, n, ""), body, done);
  LLVMPositionBuilderAtEnd(cg->b, body);
  return done;
}

static void loop_close(Kernel *k, LLVMValueRef i, int64_t step, LLVMBasicBlockRef head,
                       LLVMBasicBlockRef done) {
  Cg *cg = k->cg;
  LLVMValueRef next = LLVMBuildNSWAdd(cg->b, i, kernel_i64(k, step), "");
  LLVMBasicBlockRef latch = LLVMGetInsertBlock(cg->b);
  LLVMAddIncoming(i, &next, &latch, 1);
  LLVMBuildBr(cg->b, head);
  LLVMPositionBuilderAtEnd(cg->b, done);
}

static void fill(Kernel *k, const Strip *s, LLVMValueRef s0, LLVMValueRef len) {
  Cg *cg = k->cg;
  LLVMBuilderRef b = cg->b;
  LLVMValueRef mul, add = kernel_random_key(k, s->r, &mul);
  LLVMValueRef g = LLVMBuildAdd(b, s->g0, LLVMBuildMul(b, s0, s->stride, ""), "");
  LLVMValueRef av[] = {add, mul, g, s->stride, len, s->buf};
  LLVMTypeRef pt[] = {cg->t_i64, cg->t_i64, cg->t_i64, cg->t_i64, cg->t_i64, cg->t_ptr};
  const char *fn = k->tasks[s->r]->op->id == OP_array_normal ? "tr_rng_normal_run"
                                                             : "tr_rng_uniform_run";
  cg_call(cg, fn, LLVMFunctionType(cg->t_void, pt, 6, 0), av, 6);
}

bool kernel_rng_draws(Kernel *k, int ti) {
  int *memo = ARENA_ARRAY(k->cg->a, int, k->n);
  for (int r = 0; r < k->n; r++) {
    if (!is_random(k->tasks[r]))
      continue;
    for (int i = 0; i < k->n; i++)
      memo[i] = -2;
    if (paths(k, ti, r, memo) != 0)
      return true;
  }
  return false;
}

bool kernel_rng_loop(Kernel *k, int nd, LLVMValueRef *bound, LLVMValueRef *idx,
                     KernelBody *body, void *ctx) {
  Cg *cg = k->cg;
  LLVMBuilderRef b = cg->b;
  Strip *st = ARENA_ARRAY(cg->a, Strip, k->n);
  int *memo = ARENA_ARRAY(cg->a, int, k->n), ns = 0;
  for (int r = 0; r < k->n; r++) {
    if (!is_random(k->tasks[r]))
      continue;
    for (int i = 0; i < k->n; i++)
      memo[i] = -2;
    if (paths(k, k->rng_from, r, memo) != 1)
      continue;
    LLVMValueRef g0 = index_at(k, nd, idx, r, memo, 0);
    LLVMValueRef g1 = index_at(k, nd, idx, r, memo, 1);
    st[ns++] = (Strip){r, g0, LLVMBuildSub(b, g1, g0, "stride"),
                       kernel_alloca(k, cg->t_f64, STRIP)};
  }
  if (!ns)
    return false;
  LLVMValueRef n = bound[nd - 1], s0, jj;
  LLVMBasicBlockRef head, ihead;
  LLVMBasicBlockRef done = loop_open(k, n, &s0, &head);
  LLVMValueRef rest = LLVMBuildNSWSub(b, n, s0, "");
  LLVMValueRef len = LLVMBuildSelect(
      b, LLVMBuildICmp(b, LLVMIntSLT, rest, kernel_i64(k, STRIP), ""), rest,
      kernel_i64(k, STRIP), "len");
  for (int i = 0; i < ns; i++)
    fill(k, &st[i], s0, len);
  LLVMBasicBlockRef idone = loop_open(k, len, &jj, &ihead);
  idx[nd - 1] = LLVMBuildNSWAdd(b, s0, jj, "");
  k->rng_j = jj;
  for (int i = 0; i < ns; i++)
    k->rng_buf[st[i].r] = st[i].buf;
  body(k, idx, ctx);
  for (int i = 0; i < ns; i++)
    k->rng_buf[st[i].r] = NULL;
  loop_close(k, jj, 1, ihead, idone);
  loop_close(k, s0, STRIP, head, done);
  return true;
}
