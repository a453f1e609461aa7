/* kinds.c - groups tasks into kinds and emits one function per kind.
 *
 * A million inc(i) tasks with different constants i must cost one LLVM
 * function and a million table rows, not a million functions. So a task is
 * reduced to its *signature*: what it calls (op, specialisation, data, or a
 * fused chain of those) and the *shape* of its argument trees, where each
 * leaf is only "an input" (read from in[j]) or "a constant" (read from k[m]).
 * Tasks with equal signatures share a kind function
 *
 *     void kind.LABEL.N(const TrValue *in, const TrValue *k, TrValue *out)
 *
 * and differ only in their table rows (tables.c), which list the producers
 * of their inputs and their constants in the same leaf order
 * (cg_task_leaves). Inputs are borrowed; *out is owned (+1). */
#include <stdint.h>
#include <string.h>

#include "../../runtime/taskrt.h"
#include "body.h"
#include "cg.h"
#include "diag.h"
#include "kernel.h"

/* Values nested deeper than this are refused rather than recursed into. */
#define MAX_DEPTH 1000

/* ---------------- argument shapes ---------------- */

typedef enum {
  SH_REF,        /* an input: in[j] */
  SH_INNER,      /* fused: the result of an earlier inner task */
  SH_CONST,      /* a scalar constant: k[m] */
  SH_SEQ_REFS,   /* list/tuple of n inputs (built with a loop) */
  SH_SEQ_CONSTS, /* list/tuple of n scalar constants (loop) */
  SH_SEQ,        /* any other list/tuple */
  SH_DICT,
} Shape;

static bool is_scalar(const Val *v) {
  return v->kind <= VAL_STR;
}

/* Index of ref among the inner tasks of f that run before inner[cur], or -1.
 * graph_link numbers inner tasks by their place in the chain. */
static int inner_index(Task *f, int cur, Task *ref) {
  if (!f || ref->id < 0 || ref->id >= cur || f->inner[ref->id] != ref)
    return -1;
  return ref->id;
}

static bool is_outer_ref(const Val *v, Task *f, int cur) {
  return v->kind == VAL_REF && inner_index(f, cur, v->ref) < 0;
}

static Shape shape_of(const Val *v, Task *f, int cur) {
  if (v->kind == VAL_REF)
    return inner_index(f, cur, v->ref) < 0 ? SH_REF : SH_INNER;
  if (is_scalar(v))
    return SH_CONST;
  if (v->kind == VAL_DICT)
    return SH_DICT;
  int n = v->seq.n, refs = 0, consts = 0;
  for (int i = 0; i < n; i++) {
    refs += is_outer_ref(v->seq.items[i], f, cur);
    consts += is_scalar(v->seq.items[i]);
  }
  if (n > 0 && refs == n)
    return SH_SEQ_REFS;
  if (n > 0 && consts == n)
    return SH_SEQ_CONSTS;
  return SH_SEQ;
}

static void check_depth(Task *t, int depth) {
  if (depth > MAX_DEPTH)
    diag_error(t->loc, "argument of task %s nested more than %d levels deep",
               t->name ? t->name : "?", MAX_DEPTH);
}

static void check_inner(Task *f) {
  for (int i = 0; i < f->ninner; i++)
    if (f->inner[i]->kind == TASK_FUSED)
      diag_fatal("internal error: fused task %s contains a fused task",
                 f->name ? f->name : "?");
}

/* ---------------- the leaves, in kind order ---------------- */

typedef struct LeafWalk {
  Task *top, *fused;
  int cur;
  void (*fn)(void *ctx, Task *ref, const Val *k);
  void *ctx;
} LeafWalk;

static void leaves_val(LeafWalk *w, const Val *v, int depth) {
  check_depth(w->top, depth);
  if (v->kind == VAL_REF) {
    if (inner_index(w->fused, w->cur, v->ref) < 0)
      w->fn(w->ctx, v->ref, NULL);
  } else if (is_scalar(v)) {
    w->fn(w->ctx, NULL, v);
  } else {
    for (int i = 0; i < v->seq.n; i++)
      leaves_val(w, v->seq.items[i], depth + 1);
  }
}

static void leaves_args(LeafWalk *w, Task *t) {
  int n = t->kind == TASK_DATA ? 1 : t->nargs;
  for (int i = 0; i < n; i++)
    leaves_val(w, t->args[i], 0);
}

void cg_task_leaves(Task *t, void (*fn)(void *ctx, Task *ref, const Val *k),
                    void *ctx) {
  LeafWalk w = {.top = t, .fn = fn, .ctx = ctx};
  if (t->kind != TASK_FUSED) {
    leaves_args(&w, t);
    return;
  }
  check_inner(t);
  w.fused = t;
  bool keys = !cg_is_chunk_task(t);
  for (w.cur = 0; w.cur < t->ninner; w.cur++) {
    if (keys && w.cur < t->ninner - 1) { /* read by emit_inners */
      const char *name = t->inner[w.cur]->name;
      Val key = {.kind = VAL_STR, .str = {name, (int)strlen(name)}};
      fn(ctx, NULL, &key);
    }
    leaves_args(&w, t->inner[w.cur]);
  }
}

/* ---------------- signatures ---------------- */

enum { S_OP = 1, S_FN, S_DATA, S_FUSED };

typedef struct Sig {
  Arena *a;
  int64_t *w;
  int n, cap;
} Sig;

static void put(Sig *s, int64_t x) {
  if (s->n == s->cap) {
    int cap = s->cap ? 2 * s->cap : 256;
    s->w = arena_realloc(s->a, s->w, sizeof *s->w * (size_t)s->cap,
                         sizeof *s->w * (size_t)cap);
    s->cap = cap;
  }
  s->w[s->n++] = x;
}

static void sig_val(Sig *s, Task *top, const Val *v, Task *f, int cur,
                    int depth) {
  check_depth(top, depth);
  Shape sh = shape_of(v, f, cur);
  put(s, sh);
  switch (sh) {
  case SH_REF: case SH_CONST:
    return;
  case SH_INNER:
    put(s, inner_index(f, cur, v->ref));
    return;
  case SH_SEQ_REFS: case SH_SEQ_CONSTS:
    put(s, v->kind);
    put(s, v->seq.n);
    return;
  case SH_SEQ: case SH_DICT:
    put(s, v->kind);
    put(s, v->seq.n);
    for (int i = 0; i < v->seq.n; i++)
      sig_val(s, top, v->seq.items[i], f, cur, depth + 1);
    return;
  }
}

static void sig_put(void *s, int64_t w) { put(s, w); }

static void sig_task(Sig *s, Task *top, Task *t, Task *f, int cur) {
  switch (t->kind) {
  case TASK_CALL:
    if (t->op) {
      put(s, S_OP);
      put(s, t->op->id);
    } else {
      if (!t->spec)
        diag_error(t->loc, "internal error: call of '%s' has no "
                   "specialisation", t->fn ? t->fn->name : "?");
      put(s, S_FN);
      put(s, (int64_t)(intptr_t)t->spec);
    }
    put(s, t->nargs);
    for (int i = 0; i < t->nargs; i++)
      sig_val(s, top, t->args[i], f, cur, 0);
    return;
  case TASK_DATA:
    put(s, S_DATA);
    sig_val(s, top, t->args[0], f, cur, 0);
    return;
  case TASK_FUSED:
    check_inner(t);
      put(s, S_FUSED);
    put(s, t->ninner);
    for (int i = 0; i < t->ninner; i++)
      sig_task(s, top, t->inner[i], t, i);
    return;
  }
}

static uint64_t sig_hash(const Sig *s) {
  uint64_t h = 1469598103934665603ull;
  for (int i = 0; i < s->n; i++) {
    h ^= (uint64_t)s->w[i];
    h *= 1099511628211ull;
    h ^= h >> 29;
  }
  return h;
}

/* Open-addressing table from signatures to kind indices. */
typedef struct KindTab {
  Arena *a;
  int *slot; /* kind index + 1, 0 = empty */
  int cap;
  int64_t **sig;
  int *siglen;
  uint64_t *hash;
  Kind **kinds;
  int n, kcap;
} KindTab;

static bool same_sig(const KindTab *kt, int k, const Sig *s, uint64_t h) {
  return kt->hash[k] == h && kt->siglen[k] == s->n &&
         !memcmp(kt->sig[k], s->w, sizeof *s->w * (size_t)s->n);
}

static void kt_grow(KindTab *kt) {
  int cap = kt->cap ? 2 * kt->cap : 64;
  kt->slot = ARENA_ARRAY(kt->a, int, cap);
  kt->cap = cap;
  for (int k = 0; k < kt->n; k++) {
    int i = (int)(kt->hash[k] & (uint64_t)(cap - 1));
    while (kt->slot[i])
      i = (i + 1) & (cap - 1);
    kt->slot[i] = k + 1;
  }
}

static void kt_push(KindTab *kt, const Sig *s, uint64_t h, Task *example) {
  if (kt->n == kt->kcap) {
    int c = kt->kcap ? 2 * kt->kcap : 16, o = kt->kcap;
    kt->sig = arena_realloc(kt->a, kt->sig, sizeof(void *) * o, sizeof(void *) * c);
    kt->siglen = arena_realloc(kt->a, kt->siglen, sizeof(int) * o, sizeof(int) * c);
    kt->hash = arena_realloc(kt->a, kt->hash, 8 * (size_t)o, 8 * (size_t)c);
    kt->kinds = arena_realloc(kt->a, kt->kinds, sizeof(void *) * o, sizeof(void *) * c);
    kt->kcap = c;
  }
  int k = kt->n++;
  kt->sig[k] = ARENA_ARRAY(kt->a, int64_t, s->n);
  memcpy(kt->sig[k], s->w, sizeof *s->w * (size_t)s->n);
  kt->siglen[k] = s->n;
  kt->hash[k] = h;
  kt->kinds[k] = ARENA_NEW(kt->a, Kind);
  kt->kinds[k]->example = example;
}

/* The kind index of signature s, adding a kind for a new one. */
static int kt_find(KindTab *kt, const Sig *s, Task *t) {
  if (2 * (kt->n + 1) > kt->cap)
    kt_grow(kt);
  uint64_t h = sig_hash(s);
  int i = (int)(h & (uint64_t)(kt->cap - 1));
  for (; kt->slot[i]; i = (i + 1) & (kt->cap - 1))
    if (same_sig(kt, kt->slot[i] - 1, s, h))
      return kt->slot[i] - 1;
  kt_push(kt, s, h, t);
  kt->slot[i] = kt->n;
  return kt->n - 1;
}

/* ---------------- emitting a kind function ---------------- */

typedef enum { BORROWED, OWNED, IMMORTAL } Own;

/* The state of emitting one kind function (or one segment of a long
 * fused chain): its parameters in and k, and the leaves read so far. */
typedef struct KindEmitter {
  Cg *cg;
  LLVMValueRef in, consts;
  int next_in, next_const; /* index of the next input / constant leaf */
  Task *fused;             /* the fused task being emitted, or NULL */
  int cur;                 /* index of the inner task being emitted */
  struct Chain *chain;     /* fused: where the inner results live */
  LLVMValueRef slots;      /* fused: the slot array of this function */
  LLVMBasicBlockRef entry;
} KindEmitter;

static LLVMValueRef rt_call(Cg *cg, const char *name, LLVMTypeRef ret,
                            LLVMTypeRef *pt, unsigned np, LLVMValueRef *args) {
  return cg_call(cg, name, LLVMFunctionType(ret, pt, np, 0), args, np);
}

static void call_ptr1(Cg *cg, const char *name, LLVMValueRef p) {
  rt_call(cg, name, cg->t_void, &cg->t_ptr, 1, &p);
}

static LLVMValueRef elem(Cg *cg, LLVMValueRef base, LLVMValueRef idx) {
  return LLVMBuildInBoundsGEP2(cg->b, cg->t_value, base, &idx, 1, "");
}

static LLVMValueRef i64c(Cg *cg, int64_t v) {
  return LLVMConstInt(cg->t_i64, (unsigned long long)v, 1);
}

/* An alloca of n TrValues at the top of the function. */
static LLVMValueRef alloca_values(KindEmitter *e, int n) {
  Cg *cg = e->cg;
  LLVMTypeRef ty = n == 1 ? cg->t_value : LLVMArrayType2(cg->t_value, (uint64_t)n);
  LLVMValueRef a = cg_entry_alloca(cg->b, e->entry, ty, "");
  LLVMSetAlignment(a, 8);
  return a;
}

static void copy_value(Cg *cg, LLVMValueRef dst, LLVMValueRef src) {
  LLVMBuildStore(cg->b, LLVMBuildLoad2(cg->b, cg->t_value, src, ""), dst);
}

/* *dst = {tag, (i64)obj}: a TrValue holding a fresh heap object. */
static void store_obj(Cg *cg, LLVMValueRef dst, int64_t tag, LLVMValueRef obj) {
  LLVMValueRef v = LLVMGetUndef(cg->t_value);
  v = LLVMBuildInsertValue(cg->b, v, i64c(cg, tag), 0, "");
  v = LLVMBuildInsertValue(cg->b, v, LLVMBuildPtrToInt(cg->b, obj, cg->t_i64, ""), 1, "");
  LLVMBuildStore(cg->b, v, dst);
}

static int64_t seq_tag(const Val *v) {
  return v->kind == VAL_TUPLE ? TR_TUPLE : TR_LIST;
}

/* A new TrSeq of n items (None) and its items pointer. */
static LLVMValueRef new_seq(Cg *cg, int n, LLVMValueRef *items) {
  LLVMValueRef len = i64c(cg, n);
  LLVMValueRef seq = rt_call(cg, "tr_seq_new", cg->t_ptr, &cg->t_i64, 1, &len);
  LLVMValueRef off = i64c(cg, (int64_t)offsetof(TrSeq, items));
  LLVMValueRef pp = LLVMBuildInBoundsGEP2(cg->b, cg->t_i8, seq, &off, 1, "");
  *items = LLVMBuildLoad2(cg->b, cg->t_ptr, pp, "items");
  return seq;
}

/* items[i] = src[i] for i < n, increfing each if refs: one loop for a list of
 * a million inputs, not a million instructions. */
static void copy_loop(KindEmitter *e, LLVMValueRef items, LLVMValueRef src,
                      int n, bool refs) {
  Cg *cg = e->cg;
  LLVMValueRef fn = LLVMGetBasicBlockParent(LLVMGetInsertBlock(cg->b));
  LLVMBasicBlockRef pre = LLVMGetInsertBlock(cg->b);
  LLVMBasicBlockRef body = LLVMAppendBasicBlockInContext(cg->ctx, fn, "copy");
  LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(cg->ctx, fn, "copied");
  LLVMBuildBr(cg->b, body);
  LLVMPositionBuilderAtEnd(cg->b, body);
  LLVMValueRef i = LLVMBuildPhi(cg->b, cg->t_i64, "i");
  LLVMValueRef dst = elem(cg, items, i);
  copy_value(cg, dst, elem(cg, src, i));
  if (refs)
    call_ptr1(cg, "tr_incref", dst);
  LLVMValueRef next = LLVMBuildAdd(cg->b, i, i64c(cg, 1), "");
  LLVMValueRef zero = i64c(cg, 0);
  LLVMAddIncoming(i, &zero, &pre, 1);
  LLVMAddIncoming(i, &next, &body, 1);
  LLVMValueRef more = LLVMBuildICmp(cg->b, LLVMIntSLT, next, i64c(cg, n), "");
  LLVMBuildCondBr(cg->b, more, body, done);
  LLVMPositionBuilderAtEnd(cg->b, done);
}

static LLVMValueRef emit_val(KindEmitter *e, const Val *v, Own *own);
static LLVMValueRef inner_slot(KindEmitter *e, int inner);

/* Store the value of item into *dst as an owned reference. */
static void store_owned(KindEmitter *e, LLVMValueRef dst, const Val *item) {
  Own o;
  LLVMValueRef p = emit_val(e, item, &o);
  copy_value(e->cg, dst, p);
  if (o == BORROWED)
    call_ptr1(e->cg, "tr_incref", dst);
}

static LLVMValueRef emit_seq(KindEmitter *e, const Val *v, Shape sh) {
  Cg *cg = e->cg;
  LLVMValueRef slot = alloca_values(e, 1), items;
  LLVMValueRef seq = new_seq(cg, v->seq.n, &items);
  if (sh == SH_SEQ_REFS) {
    copy_loop(e, items, elem(cg, e->in, i64c(cg, e->next_in)), v->seq.n, true);
    e->next_in += v->seq.n;
  } else if (sh == SH_SEQ_CONSTS) {
    copy_loop(e, items, elem(cg, e->consts, i64c(cg, e->next_const)), v->seq.n,
              false);
    e->next_const += v->seq.n;
  } else {
    for (int i = 0; i < v->seq.n; i++)
      store_owned(e, elem(cg, items, i64c(cg, i)), v->seq.items[i]);
  }
  store_obj(cg, slot, seq_tag(v), seq);
  return slot;
}

static LLVMValueRef emit_dict(KindEmitter *e, const Val *v) {
  Cg *cg = e->cg;
  LLVMValueRef slot = alloca_values(e, 1), pair = alloca_values(e, 2);
  LLVMValueRef d = rt_call(cg, "tr_dict_new", cg->t_ptr, NULL, 0, NULL);
  LLVMValueRef kp = elem(cg, pair, i64c(cg, 0)), vp = elem(cg, pair, i64c(cg, 1));
  for (int i = 0; i + 1 < v->seq.n; i += 2) {
    store_owned(e, kp, v->seq.items[i]);
    store_owned(e, vp, v->seq.items[i + 1]);
    LLVMTypeRef pt[] = {cg->t_ptr, cg->t_ptr, cg->t_ptr};
    LLVMValueRef args[] = {d, kp, vp};
    rt_call(cg, "tr_dict_set", cg->t_void, pt, 3, args);
  }
  store_obj(cg, slot, TR_DICT, d);
  return slot;
}

/* A pointer to a TrValue holding v; *own says who must release it. */
static LLVMValueRef emit_val(KindEmitter *e, const Val *v, Own *own) {
  Cg *cg = e->cg;
  Shape sh = shape_of(v, e->fused, e->cur);
  *own = sh == SH_REF || sh == SH_INNER ? BORROWED
         : sh == SH_CONST               ? IMMORTAL
                                        : OWNED;
  switch (sh) {
  case SH_REF:
    return elem(cg, e->in, i64c(cg, e->next_in++));
  case SH_CONST:
    return elem(cg, e->consts, i64c(cg, e->next_const++));
  case SH_INNER:
    return inner_slot(e, inner_index(e->fused, e->cur, v->ref));
  case SH_DICT:
    return emit_dict(e, v);
  default:
    return emit_seq(e, v, sh);
  }
}

static bool all_shape(Task *t, KindEmitter *e, Shape want) {
  for (int i = 0; i < t->nargs; i++)
    if (shape_of(t->args[i], e->fused, e->cur) != want)
      return false;
  return true;
}

static void emit_op(KindEmitter *e, Task *t, LLVMValueRef dst) {
  Cg *cg = e->cg;
  if (!t->op->rt_symbol) /* chunk ops are kernels: cg_kernel_emit */
    diag_fatal("internal error: chunk op %s outside a kernel", t->op->name);
  int n = t->nargs;
  LLVMValueRef args, *owned = ARENA_ARRAY(cg->a, LLVMValueRef, n + 1);
  int nowned = 0;
  if (n == 0) {
    args = LLVMConstNull(cg->t_ptr);
  } else if (all_shape(t, e, SH_REF)) { /* the inputs are the arguments */
    args = elem(cg, e->in, i64c(cg, e->next_in));
    e->next_in += n;
  } else if (all_shape(t, e, SH_CONST)) {
    args = elem(cg, e->consts, i64c(cg, e->next_const));
    e->next_const += n;
  } else {
    args = alloca_values(e, n);
    for (int i = 0; i < n; i++) {
      Own o;
      LLVMValueRef p = emit_val(e, t->args[i], &o);
      copy_value(cg, elem(cg, args, i64c(cg, i)), p);
      if (o == OWNED)
        owned[nowned++] = p;
    }
  }
  LLVMTypeRef pt[] = {cg->t_ptr, cg->t_i64, cg->t_ptr};
  LLVMValueRef av[] = {args, i64c(cg, n), dst};
  rt_call(cg, t->op->rt_symbol, cg->t_void, pt, 3, av);
  for (int i = 0; i < nowned; i++)
    call_ptr1(cg, "tr_decref", owned[i]);
}

static void emit_call_fn(KindEmitter *e, Task *t, LLVMValueRef dst) {
  Cg *cg = e->cg;
  Spec *s = t->spec;
  if (t->nargs != s->fn->nparams)
    diag_error(t->loc, "internal error: task calls '%s' with %d arguments, "
               "its specialisation has %d", s->fn->name, t->nargs,
               s->fn->nparams);
  LLVMBasicBlockRef here = LLVMGetInsertBlock(cg->b);
  LLVMValueRef fn = cg_spec_fn(cg, s); /* may build another function */
  LLVMPositionBuilderAtEnd(cg->b, here);
  LLVMValueRef *argv = ARENA_ARRAY(cg->a, LLVMValueRef, t->nargs + 1);
  LLVMValueRef *owned = ARENA_ARRAY(cg->a, LLVMValueRef, t->nargs + 1);
  int nowned = 0;
  for (int i = 0; i < t->nargs; i++) {
    Own o;
    LLVMValueRef p = emit_val(e, t->args[i], &o);
    argv[i] = cg_unbox(cg, s->params[i], p);
    if (o == OWNED)
      owned[nowned++] = p;
  }
  LLVMTypeRef fnty = LLVMGlobalGetValueType(fn);
  LLVMValueRef r = LLVMBuildCall2(cg->b, fnty, fn, argv,
                                  (unsigned)t->nargs, "");
  if (LLVMGetTypeKind(LLVMGetReturnType(fnty)) == LLVMVoidTypeKind)
    r = LLVMConstInt(cg->t_i1, 0, 0);
  for (int i = 0; i < nowned; i++)
    call_ptr1(cg, "tr_decref", owned[i]);
  cg_box(cg, s->ret, r, dst);
}

static void emit_data(KindEmitter *e, Task *t, LLVMValueRef dst) {
  Own o;
  LLVMValueRef p = emit_val(e, t->args[0], &o);
  copy_value(e->cg, dst, p);
  if (o == BORROWED) /* an alias: the result is a new reference */
    call_ptr1(e->cg, "tr_incref", dst);
}

static void emit_task(KindEmitter *e, Task *t, LLVMValueRef dst);

static void note_uses(const Val *v, Task *f, int i, int *last) {
  int x = v->kind == VAL_REF ? inner_index(f, i, v->ref) : -1;
  if (x >= 0)
    last[x] = i;
  if (v->kind >= VAL_TUPLE && v->kind <= VAL_DICT) /* depth checked before */
    for (int c = 0; c < v->seq.n; c++)
      note_uses(v->seq.items[c], f, i, last);
}

/* The inner task after which each inner result is dead (-1: never used). */
static int *last_uses(Cg *cg, Task *f) {
  int *last = ARENA_ARRAY(cg->a, int, f->ninner);
  for (int i = 0; i < f->ninner; i++)
    last[i] = -1;
  for (int i = 0; i < f->ninner; i++)
    for (int a = 0; a < f->inner[i]->nargs; a++)
      note_uses(f->inner[i]->args[a], f, i, last);
  return last;
}

/* A fused chain keeps its inner results in an array of TrValue slots; a
 * slot is reused once its value is dead, so a linear chain needs two
 * whatever its length. Long chains are cut into segments of CHAIN_SEG inner
 * tasks, each its own function taking the slot array: LLVM's cost grows
 * faster than linearly in the size of one function (a 10,000-task chain in
 * one function took minutes at -O2), and linearly in the number of them. */
#define CHAIN_SEG 128

typedef struct Chain {
  Task *f;
  int *last;        /* last reader of each inner result (-1: none) */
  int *head, *next; /* lists of the results whose last reader is inner i */
  int *slot;        /* slot of each inner result */
  int *free, nfree; /* free slots */
  int nslots;
} Chain;

static LLVMValueRef slot_ptr(KindEmitter *e, int slot) {
  return elem(e->cg, e->slots, i64c(e->cg, slot));
}

static LLVMValueRef inner_slot(KindEmitter *e, int inner) {
  return slot_ptr(e, e->chain->slot[inner]);
}

static Chain *chain_new(Cg *cg, Task *f) {
  int n = f->ninner;
  Chain *c = ARENA_NEW(cg->a, Chain);
  c->f = f;
  c->last = last_uses(cg, f);
  c->head = ARENA_ARRAY(cg->a, int, n);
  c->next = ARENA_ARRAY(cg->a, int, n);
  c->slot = ARENA_ARRAY(cg->a, int, n);
  c->free = ARENA_ARRAY(cg->a, int, n);
  for (int i = 0; i < n; i++)
    c->head[i] = -1;
  for (int r = 0; r < n; r++)
    if (c->last[r] >= 0)
      c->next[r] = c->head[c->last[r]], c->head[c->last[r]] = r;
  return c;
}

static void release(KindEmitter *e, int inner) {
  Chain *c = e->chain;
  call_ptr1(e->cg, "tr_decref", inner_slot(e, inner));
  c->free[c->nfree++] = c->slot[inner];
}

/* Inner tasks [from, to) into the current function; the last one of the
 * chain writes dst. */
static void emit_inners(KindEmitter *e, int from, int to, LLVMValueRef dst) {
  Chain *c = e->chain;
  int n = c->f->ninner;
  for (int i = from; i < to; i++) {
    e->cur = i;
    LLVMValueRef out = dst;
    if (i < n - 1) {
      c->slot[i] = c->nfree ? c->free[--c->nfree] : c->nslots++;
      out = inner_slot(e, i);
    }
    /* name the inner task for failures (runtime/fail.c); its key is the
     * constant before its own (cg_task_leaves) */
    LLVMValueRef key =
        i < n - 1 ? elem(e->cg, e->consts, i64c(e->cg, e->next_const++))
                  : LLVMConstNull(e->cg->t_ptr);
    call_ptr1(e->cg, "tr_subtask", key);
    emit_task(e, c->f->inner[i], out);
    for (int r = c->head[i]; r >= 0; r = c->next[r])
      release(e, r);
    if (c->last[i] < 0 && i < n - 1) /* never read: drop it now */
      release(e, i);
  }
}

/* One segment as a function (in, k, slots, out); returns it. */
static LLVMValueRef emit_segment(KindEmitter *e, int from, int to,
                                 const char *name) {
  Cg *cg = e->cg;
  LLVMTypeRef pt[] = {cg->t_ptr, cg->t_ptr, cg->t_ptr, cg->t_ptr};
  LLVMTypeRef fnty = LLVMFunctionType(cg->t_void, pt, 4, 0);
  LLVMValueRef fn = LLVMAddFunction(cg->mod, name, fnty);
  LLVMSetLinkage(fn, LLVMInternalLinkage);
  /* inlining the segments back would rebuild the one huge function */
  unsigned noinline = LLVMGetEnumAttributeKindForName("noinline", 8);
  LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                          LLVMCreateEnumAttribute(cg->ctx, noinline, 0));
  KindEmitter sub = *e;
  sub.in = LLVMGetParam(fn, 0);
  sub.consts = LLVMGetParam(fn, 1);
  sub.slots = LLVMGetParam(fn, 2);
  sub.entry = LLVMAppendBasicBlockInContext(cg->ctx, fn, "entry");
  LLVMPositionBuilderAtEnd(cg->b, sub.entry);
  emit_inners(&sub, from, to, LLVMGetParam(fn, 3));
  LLVMBuildRetVoid(cg->b);
  e->next_in = sub.next_in, e->next_const = sub.next_const;
  return fn;
}

static void emit_fused(KindEmitter *e, Task *f, LLVMValueRef dst) {
  Cg *cg = e->cg;
  int n = f->ninner;
  e->fused = f;
  e->chain = chain_new(cg, f);
  if (n <= CHAIN_SEG) {
    e->slots = alloca_values(e, n > 1 ? n - 1 : 1);
    emit_inners(e, 0, n, dst);
  } else {
    LLVMBasicBlockRef here = LLVMGetInsertBlock(cg->b);
    const char *base = LLVMGetValueName(LLVMGetBasicBlockParent(here));
    int nseg = (n + CHAIN_SEG - 1) / CHAIN_SEG;
    LLVMValueRef *segs = ARENA_ARRAY(cg->a, LLVMValueRef, nseg);
    for (int s = 0; s < nseg; s++) {
      int to = (s + 1) * CHAIN_SEG < n ? (s + 1) * CHAIN_SEG : n;
      segs[s] = emit_segment(e, s * CHAIN_SEG, to,
                             arena_printf(cg->a, "%s.part%d", base, s));
    }
    LLVMPositionBuilderAtEnd(cg->b, here);
    LLVMValueRef slots = alloca_values(e, e->chain->nslots ? e->chain->nslots : 1);
    for (int s = 0; s < nseg; s++) {
      LLVMValueRef args[] = {e->in, e->consts, slots, dst};
      LLVMBuildCall2(cg->b, LLVMGlobalGetValueType(segs[s]), segs[s], args, 4,
                     "");
    }
  }
  e->fused = NULL;
}

static void emit_task(KindEmitter *e, Task *t, LLVMValueRef dst) {
  switch (t->kind) {
  case TASK_CALL:
    if (t->op)
      emit_op(e, t, dst);
    else
      emit_call_fn(e, t, dst);
    return;
  case TASK_DATA:
    emit_data(e, t, dst);
    return;
  case TASK_FUSED:
    check_inner(t);
    emit_fused(e, t, dst);
    return;
  }
}

/* "inc", "sum", "data", "inc+add" (long chains are cut short). */
static const char *kind_label(Arena *a, const Task *t) {
  if (t->kind == TASK_DATA)
    return "data";
  if (t->kind == TASK_CALL)
    return t->op ? t->op->label : t->fn ? t->fn->name : "call";
  char buf[80] = "";
  size_t len = 0;
  for (int i = 0; i < t->ninner; i++) {
    const char *l = kind_label(a, t->inner[i]);
    if (len + strlen(l) + 5 >= sizeof buf) {
      strcat(buf, "+...");
      break;
    }
    if (i)
      strcat(buf, "+");
    strcat(buf, l);
    len = strlen(buf);
  }
  return arena_strdup(a, buf);
}

static void emit_kind(Cg *cg, Kind *kd, int index) {
  Task *t = kd->example;
  kd->name = kind_label(cg->a, t);
  char *fname = arena_printf(cg->a, "kind.%s.%d", kd->name, index);
  kd->fn = LLVMAddFunction(cg->mod, fname, cg->t_kindfn);
  LLVMSetLinkage(kd->fn, LLVMInternalLinkage);
  if (cg_is_chunk_task(t)) { /* chunk ops are loops: kernel*.c */
    cg_kernel_emit(cg, kd->fn, t);
    return;
  }
  KindEmitter e = {.cg = cg,
                   .in = LLVMGetParam(kd->fn, 0),
                   .consts = LLVMGetParam(kd->fn, 1)};
  LLVMSetValueName2(e.in, "in", 2);
  LLVMSetValueName2(e.consts, "k", 1);
  LLVMValueRef out = LLVMGetParam(kd->fn, 2);
  LLVMSetValueName2(out, "out", 3);
  e.entry = LLVMAppendBasicBlockInContext(cg->ctx, kd->fn, "entry");
  LLVMPositionBuilderAtEnd(cg->b, e.entry);
  emit_task(&e, t, out);
  LLVMBuildRetVoid(cg->b);
}

Kind **cg_kinds(Cg *cg, int *nkinds) {
  Graph *g = cg->g;
  KindTab kt = {.a = cg->a};
  Sig s = {.a = cg->a};
  for (int i = 0; i < g->ntasks; i++) {
    Task *t = g->tasks[i];
    s.n = 0;
    sig_task(&s, t, t, NULL, 0);
    if (cg_is_chunk_task(t))
      cg_kernel_sig(t, sig_put, &s);
    t->aux = (void *)(intptr_t)kt_find(&kt, &s, t);
  }
  for (int k = 0; k < kt.n; k++)
    emit_kind(cg, kt.kinds[k], k);
  *nkinds = kt.n;
  return kt.kinds;
}
