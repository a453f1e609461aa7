/* body_comp.c - loops over range/enumerate/zip/reversed/tuples/dicts and
 * list comprehensions (generator expressions too: sema types them as the
 * list they yield).
 *
 * Every such loop is one hidden counter k = 0, 1, ... over its sources in
 * lockstep (zip stops at the shortest): a range gives start + k*step, a
 * list or tuple its item k (its length read again each time, as Python's
 * iterator does), a str its character k, reversed(...) counts from the end
 * of the length it had when the loop started. enumerate and zip bind the
 * parts of their tuples straight to `for i, x in ...` targets; a single
 * name gets a tuple. The loop holds a reference to each sequence it runs
 * over (docs/functions.md, "Values and references"). */
#include "../diag.h"
#include "body.h"

enum { SRC_RANGE, SRC_SEQ, SRC_STR, SRC_DICT };

typedef struct Src {
  int kind;
  bool rev;
  LLVMValueRef seq;        /* SEQ/STR/DICT: an owned reference */
  Type *seqt;
  LLVMValueRef start, step, len; /* RANGE; len also the start length of rev */
  Type *elem;
} Src;

typedef struct Iter {
  Src src[SEMA_MAX_ZIP];
  int n;
  int shape;               /* SEMA_IT_NONE (one source), _ENUMERATE, _ZIP */
  LLVMValueRef estart;     /* enumerate's start */
  LLVMValueRef ctr;
  LLVMBasicBlockRef head, body, next, end;
  int held;                /* how many sources went onto f->held */
} Iter;

static LLVMValueRef seq_len(FnBody *f, LLVMValueRef p) {
  return body_load_at(f, f->cg->t_i64, p, 8); /* TrSeq, TrStr, TrDict */
}

static void src_begin(FnBody *f, Node *e, Src *s) {
  Cg *cg = f->cg;
  NodeInfo *ni = body_info(f, e);
  *s = (Src){0};
  if (ni->method == SEMA_IT_RANGE) {
    s->kind = SRC_RANGE;
    s->elem = ty_int;
    s->start = body_i64(f, 0);
    s->step = body_i64(f, 1);
    LLVMValueRef stop;
    if (e->nitems == 1) {
      stop = body_expr_as(f, e->items[0], ty_int);
    } else {
      s->start = body_expr_as(f, e->items[0], ty_int);
      stop = body_expr_as(f, e->items[1], ty_int);
      if (e->nitems == 3)
        s->step = body_expr_as(f, e->items[2], ty_int);
    }
    body_range_args(f, &s->start, &stop, &s->step); /* body_int.c: bigs */
    LLVMTypeRef pt[] = {cg->t_i64, cg->t_i64, cg->t_i64};
    LLVMValueRef av[] = {s->start, stop, s->step};
    s->len = body_call(f, "tr_range_len", cg->t_i64, pt, 3, av);
    return;
  }
  if (ni->method == SEMA_IT_REVERSED) {
    src_begin(f, e->items[0], s);
    s->rev = true;
    if (s->kind != SRC_RANGE)
      s->len = seq_len(f, s->seq);
    return;
  }
  Type *t = ni->type;
  s->seqt = t;
  s->seq = body_expr_owned(f, e, t);
  if (t == ty_str) {
    s->kind = SRC_STR;
    s->elem = ty_str;
  } else if (t->kind == TY_DICT) {
    s->kind = SRC_DICT;
    s->elem = t->key;
  } else {
    s->kind = SRC_SEQ;
    s->elem = t->kind == TY_LIST ? t->elem : t->elems[0];
  }
}

/* The index a reversed source reads at step k. */
static LLVMValueRef rev_index(FnBody *f, Src *s, LLVMValueRef k) {
  return LLVMBuildSub(f->b, LLVMBuildSub(f->b, s->len, body_i64(f, 1), ""), k,
                      "");
}

static LLVMValueRef src_more(FnBody *f, Src *s, LLVMValueRef k) {
  LLVMBuilderRef b = f->b;
  if (s->kind == SRC_RANGE)
    return LLVMBuildICmp(b, LLVMIntSLT, k, s->len, "");
  LLVMValueRef now = seq_len(f, s->seq);
  if (!s->rev)
    return LLVMBuildICmp(b, LLVMIntSLT, k, now, "");
  /* reversed: within its first length, and the list has not shrunk past */
  return LLVMBuildAnd(b, LLVMBuildICmp(b, LLVMIntSLT, k, s->len, ""),
                      LLVMBuildICmp(b, LLVMIntSLT, rev_index(f, s, k), now,
                                    ""),
                      "");
}

static LLVMValueRef src_value(FnBody *f, Src *s, LLVMValueRef k,
                              bool *fresh) {
  LLVMValueRef i = s->rev ? rev_index(f, s, k) : k;
  *fresh = false;
  switch (s->kind) {
  case SRC_RANGE: /* within the range: no overflow */
    return LLVMBuildAdd(f->b, s->start, LLVMBuildMul(f->b, i, s->step, ""),
                        "");
  case SRC_STR: {
    LLVMValueRef vals[] = {s->seq, i};
    Type *types[] = {ty_str, ty_int};
    *fresh = true;
    return body_op_call(f, OP_getitem, vals, types, 2, ty_str);
  }
  case SRC_DICT: { /* TrDict: refcount, len, cap, keys, vals */
    LLVMValueRef keys = body_load_at(f, f->cg->t_ptr, s->seq, 24);
    return cg_unbox(f->cg, s->elem,
                    LLVMBuildInBoundsGEP2(f->b, f->cg->t_value, keys, &i, 1,
                                          ""));
  }
  default:
    return cg_unbox(f->cg, s->elem, body_seq_item(f, s->seq, i));
  }
}

/* A tuple of parts (each a new reference afterwards). */
static LLVMValueRef make_tuple(FnBody *f, Type *t, LLVMValueRef *v,
                               bool *fresh) {
  LLVMValueRef tup = body_call(f, "tr_seq_new", f->cg->t_ptr, &f->cg->t_i64,
                               1, (LLVMValueRef[]){body_i64(f, t->n)});
  for (int i = 0; i < t->n; i++) {
    if (!fresh[i])
      body_incref(f, t->elems[i], v[i]);
    cg_box(f->cg, t->elems[i], v[i], body_seq_item(f, tup, body_i64(f, i)));
  }
  return tup;
}

static void bind(FnBody *f, Iter *it, Node *target, LLVMValueRef k) {
  LLVMValueRef v[SEMA_MAX_ZIP + 1];
  bool fresh[SEMA_MAX_ZIP + 1];
  Type *types[SEMA_MAX_ZIP + 1];
  int n = 0;
  if (it->shape == SEMA_IT_ENUMERATE) {
    v[n] = LLVMBuildAdd(f->b, it->estart, k, "");
    fresh[n] = false;
    types[n++] = ty_int;
  }
  for (int i = 0; i < it->n; i++) {
    v[n] = src_value(f, &it->src[i], k, &fresh[n]);
    types[n++] = it->src[i].elem;
  }
  if (it->shape == SEMA_IT_NONE) {
    body_assign(f, target, v[0], types[0], fresh[0]);
    return;
  }
  if ((target->kind == N_TUPLE || target->kind == N_LIST) &&
      target->nitems == n) {
    /* every part is owned before the first store (as in a, b = b, a) */
    for (int i = 0; i < n; i++)
      if (!fresh[i]) {
        body_incref(f, types[i], v[i]);
        fresh[i] = true;
      }
    for (int i = 0; i < n; i++)
      body_assign(f, target->items[i], v[i], types[i], true);
    return;
  }
  Type *t = ty_tuple(types, n);
  body_assign(f, target, make_tuple(f, t, v, fresh), t, true);
}

/* Evaluates the sources, opens the loop and binds loop->lhs; the builder
 * is in the body. hold: the sources go onto f->held (a return inside the
 * loop releases them). */
static void iter_begin(FnBody *f, Node *loop, Iter *it, bool hold) {
  Node *e = loop->rhs;
  NodeInfo *ni = body_info(f, e);
  *it = (Iter){.shape = SEMA_IT_NONE};
  if (ni->method == SEMA_IT_ENUMERATE) {
    it->shape = SEMA_IT_ENUMERATE;
    src_begin(f, e->items[0], &it->src[it->n++]);
    it->estart = ni->args[0] ? body_expr_as(f, ni->args[0], ty_int)
                             : body_i64(f, 0);
  } else if (ni->method == SEMA_IT_ZIP) {
    it->shape = SEMA_IT_ZIP;
    for (int i = 0; i < e->nitems; i++)
      src_begin(f, e->items[i], &it->src[it->n++]);
  } else {
    src_begin(f, e, &it->src[it->n++]);
  }
  for (int i = 0; hold && i < it->n; i++)
    if (it->src[i].seq) {
      if (f->nheld == BODY_MAX_LOOPS)
        diag_error(loop->loc, "loops nested too deeply");
      f->held[f->nheld] = it->src[i].seq;
      f->held_type[f->nheld++] = it->src[i].seqt;
      it->held++;
    }
  it->ctr = body_alloca(f, f->cg->t_i64, "iter.k");
  LLVMBuildStore(f->b, body_i64(f, 0), it->ctr);
  it->head = body_block(f, "iter");
  it->body = body_block(f, "iter.body");
  it->next = body_block(f, "iter.next");
  it->end = body_block(f, "enditer");
  LLVMBuildBr(f->b, it->head);
  LLVMPositionBuilderAtEnd(f->b, it->head);
  LLVMValueRef k = LLVMBuildLoad2(f->b, f->cg->t_i64, it->ctr, "k");
  LLVMValueRef more = src_more(f, &it->src[0], k);
  for (int i = 1; i < it->n; i++)
    more = LLVMBuildAnd(f->b, more, src_more(f, &it->src[i], k), "");
  LLVMBuildCondBr(f->b, more, it->body, it->end);
  LLVMPositionBuilderAtEnd(f->b, it->body);
  bind(f, it, loop->lhs, k);
}

/* Closes the loop (the builder was at the end of the body, which has
 * branched to it->next) and releases the sources. */
static void iter_end(FnBody *f, Iter *it) {
  LLVMPositionBuilderAtEnd(f->b, it->next);
  LLVMValueRef k = LLVMBuildLoad2(f->b, f->cg->t_i64, it->ctr, "");
  LLVMBuildStore(f->b, LLVMBuildAdd(f->b, k, body_i64(f, 1), ""), it->ctr);
  LLVMBuildBr(f->b, it->head);
  LLVMPositionBuilderAtEnd(f->b, it->end);
  f->nheld -= it->held;
  for (int i = 0; i < it->n; i++)
    if (it->src[i].seq)
      body_decref(f, it->src[i].seqt, it->src[i].seq);
}

void body_for_iter(FnBody *f, Node *n) {
  Iter it;
  iter_begin(f, n, &it, true);
  body_loop_body(f, n, it.end, it.next);
  iter_end(f, &it);
}

/* ---- comprehensions ---- */

typedef void (*CompLeaf)(FnBody *f, Node *n, LLVMValueRef acc);

/* The loops of generators i.. of n, then leaf for each element. */
static void comp_level(FnBody *f, Node *n, int i, LLVMValueRef acc,
                       CompLeaf leaf) {
  if (i == n->ncomps) {
    leaf(f, n, acc);
    return;
  }
  Node *g = n->comps[i];
  Iter it;
  iter_begin(f, g, &it, false);
  for (int k = 0; k < g->nitems; k++) {
    LLVMBasicBlockRef yes = body_block(f, "comp.if");
    LLVMBuildCondBr(f->b, body_cond(f, g->items[k]), yes, it.next);
    LLVMPositionBuilderAtEnd(f->b, yes);
  }
  comp_level(f, n, i + 1, acc, leaf);
  LLVMBuildBr(f->b, it.next);
  iter_end(f, &it);
}

static void list_leaf(FnBody *f, Node *n, LLVMValueRef list) {
  Type *et = body_type(f, n)->elem;
  LLVMValueRef v = body_expr_owned(f, n->lhs, et); /* the list keeps it */
  LLVMValueRef box = body_alloca(f, f->cg->t_value, "item");
  cg_box(f->cg, et, v, box);
  LLVMTypeRef pt[] = {f->cg->t_ptr, f->cg->t_ptr};
  LLVMValueRef args[] = {list, box};
  body_call(f, "tr_list_append", f->cg->t_void, pt, 2, args);
}

void body_comp_loops(FnBody *f, Node *n, LLVMValueRef acc,
                     void (*leaf)(FnBody *, Node *, LLVMValueRef)) {
  comp_level(f, n, 0, acc, leaf);
}

LLVMValueRef body_listcomp(FnBody *f, Node *n) {
  LLVMValueRef list = body_call(f, "tr_seq_new", f->cg->t_ptr, &f->cg->t_i64,
                                1, (LLVMValueRef[]){body_i64(f, 0)});
  comp_level(f, n, 0, list, list_leaf);
  return list;
}
