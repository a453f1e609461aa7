/* body_method.c - list methods, slices, sequences made by iterating
 * (list(zip(a, b)) is a comprehension sema made: NodeInfo.lowered), and sorted/min/max with key= and reverse= (typed by
 * compiler/sema_seq.c), lowered to the helpers of runtime/seq.c.
 *
 * References: a method borrows its list and arguments except where the
 * list keeps a value (insert takes a new reference); pop moves the item
 * out (a new reference); sorted, copy, slices and made lists are new. */
#include "../diag.h"
#include "body.h"

/* A boxed copy of value v of type t, on the stack (borrowed). */
static LLVMValueRef boxed(FnBody *f, Type *t, LLVMValueRef v) {
  LLVMValueRef box = body_alloca(f, f->cg->t_value, "box");
  cg_box(f->cg, t, v, box);
  return box;
}

static LLVMValueRef rt(FnBody *f, const char *name, LLVMTypeRef ret,
                       LLVMValueRef a, LLVMValueRef b, LLVMValueRef c) {
  Cg *cg = f->cg;
  LLVMValueRef args[] = {a, b, c};
  LLVMTypeRef pt[3];
  unsigned n = 0;
  for (; n < 3 && args[n]; n++)
    pt[n] = LLVMTypeOf(args[n]);
  (void)cg;
  return body_call(f, name, ret, pt, n, args);
}

/* tr_seq_slice(s, lo?, lo, hi?, hi, step?, step): a new list. */
static LLVMValueRef slice_call(FnBody *f, LLVMValueRef *av) {
  Cg *cg = f->cg;
  LLVMTypeRef pt[] = {cg->t_ptr, cg->t_i1, cg->t_i64, cg->t_i1,
                      cg->t_i64, cg->t_i1, cg->t_i64};
  return body_call(f, "tr_seq_slice", cg->t_ptr, pt, 7, av);
}

/* A new list with the items of list or tuple s (s[:]). */
static LLVMValueRef seq_copy(FnBody *f, LLVMValueRef s) {
  LLVMValueRef av[] = {s, body_bool(f, false), body_i64(f, 0),
                       body_bool(f, false), body_i64(f, 0),
                       body_bool(f, false), body_i64(f, 0)};
  return slice_call(f, av);
}

/* ---- key= and reverse= ---- */

/* The sequence of a keyed call (stored in its hidden local, which owns
 * it) and its keys (a new list, or the sequence itself). */
static LLVMValueRef keyed_keys(FnBody *f, NodeInfo *ni, Node *seq,
                               LLVMValueRef *keys, bool *own_keys) {
  Type *t = body_type(f, seq);
  LLVMValueRef v = body_expr_owned(f, seq, t);
  if (t->kind == TY_DICT) { /* sorted(d): the list of its keys */
    LLVMValueRef keys = body_call(
        f, "tr_dict_list", f->cg->t_ptr,
        (LLVMTypeRef[]){f->cg->t_ptr, f->cg->t_i64}, 2,
        (LLVMValueRef[]){v, body_i64(f, 0)});
    body_decref(f, t, v);
    v = keys;
    t = ty_list(t->key);
  }
  body_assign(f, ni->args[0], v, t, true);
  if (ni->args[1]) {
    *keys = body_listcomp(f, ni->args[1]);
    *own_keys = true;
  } else {
    *keys = v;
    *own_keys = false;
  }
  return v;
}

static LLVMValueRef reverse_flag(FnBody *f, NodeInfo *ni) {
  return ni->args[2] ? body_cond(f, ni->args[2]) : body_bool(f, false);
}

static LLVMValueRef keyed_builtin(FnBody *f, Node *n, NodeInfo *ni) {
  Cg *cg = f->cg;
  LLVMValueRef keys;
  bool own;
  LLVMValueRef seq = keyed_keys(f, ni, n->items[0], &keys, &own);
  Type *t = body_type(f, n);
  LLVMValueRef r;
  if (ni->op->id == OP_sorted) {
    r = seq_copy(f, seq);
    LLVMValueRef k = own ? keys : r;
    rt(f, "tr_list_sort", cg->t_void, r, k, reverse_flag(f, ni));
  } else {
    LLVMValueRef i = rt(f, "tr_best_index", cg->t_i64, keys,
                        body_bool(f, ni->op->id == OP_max), NULL);
    r = cg_unbox(cg, t, body_seq_item(f, seq, i));
    body_incref(f, t, r); /* a new reference, as sema_is_fresh says */
  }
  if (own)
    body_decref(f, ty_list(ty_any), keys);
  return r;
}

/* ---- list methods ---- */

static LLVMValueRef method(FnBody *f, Node *n, NodeInfo *ni) {
  Cg *cg = f->cg;
  Node *lst = n->lhs->lhs;
  Type *lt = body_type(f, lst), *el = lt->elem, *res = body_type(f, n);
  if (ni->slot == SEMA_LM_SORT) {
    LLVMValueRef keys;
    bool own;
    LLVMValueRef l = keyed_keys(f, ni, lst, &keys, &own);
    rt(f, "tr_list_sort", cg->t_void, l, keys, reverse_flag(f, ni));
    if (own)
      body_decref(f, ty_list(ty_any), keys);
    return body_bool(f, false);
  }
  LLVMValueRef l = body_expr(f, lst);
  LLVMValueRef r = body_bool(f, false);
  switch (ni->slot) {
  case SEMA_LM_EXTEND: {
    LLVMValueRef src = body_expr(f, n->items[0]);
    rt(f, "tr_list_extend", cg->t_void, l, src, NULL);
    body_release(f, n->items[0], src);
    break;
  }
  case SEMA_LM_POP: {
    LLVMValueRef i = n->nitems ? body_expr_as(f, n->items[0], ty_int)
                               : body_i64(f, -1);
    LLVMValueRef out = body_alloca(f, cg->t_value, "popped");
    rt(f, "tr_list_pop", cg->t_void, l, i, out);
    r = cg_unbox(cg, el, out);
    break;
  }
  case SEMA_LM_INSERT: {
    LLVMValueRef i = body_expr_as(f, n->items[0], ty_int);
    LLVMValueRef v = body_expr_owned(f, n->items[1], el);
    rt(f, "tr_list_insert", cg->t_void, l, i, boxed(f, el, v));
    break;
  }
  case SEMA_LM_INDEX:
  case SEMA_LM_COUNT:
  case SEMA_LM_REMOVE: {
    Node *a = n->items[0];
    LLVMValueRef v = body_expr_as(f, a, el);
    LLVMValueRef box = boxed(f, el, v);
    if (ni->slot == SEMA_LM_REMOVE)
      rt(f, "tr_list_remove", cg->t_void, l, box, NULL);
    else
      r = rt(f, ni->slot == SEMA_LM_INDEX ? "tr_list_index" : "tr_list_count",
             cg->t_i64, l, box, NULL);
    body_release(f, a, v);
    break;
  }
  case SEMA_LM_REVERSE:
    rt(f, "tr_list_reverse", cg->t_void, l, NULL, NULL);
    break;
  case SEMA_LM_COPY:
    r = seq_copy(f, l);
    break;
  default: { /* clear: pop everything */
    LLVMValueRef out = body_alloca(f, cg->t_value, "cleared");
    LLVMBasicBlockRef head = body_block(f, "clear"),
                      body = body_block(f, "clear.pop"),
                      end = body_block(f, "endclear");
    LLVMBuildBr(f->b, head);
    LLVMPositionBuilderAtEnd(f->b, head);
    LLVMValueRef len = body_load_at(f, cg->t_i64, l, 8);
    LLVMBuildCondBr(f->b, LLVMBuildICmp(f->b, LLVMIntSGT, len,
                                        body_i64(f, 0), ""),
                    body, end);
    LLVMPositionBuilderAtEnd(f->b, body);
    rt(f, "tr_list_pop", cg->t_void, l, body_i64(f, -1), out);
    body_call(f, "tr_decref", cg->t_void, &cg->t_ptr, 1, &out);
    LLVMBuildBr(f->b, head);
    LLVMPositionBuilderAtEnd(f->b, end);
  }
  }
  (void)res;
  body_release(f, lst, l);
  return r;
}

LLVMValueRef body_seq_call(FnBody *f, Node *n) {
  NodeInfo *ni = body_info(f, n);
  if (ni->method == SEMA_M_METHOD && ni->slot >= SEMA_DM_GET)
    return body_dict_method(f, n, ni); /* body_dict.c */
  if (ni->method == SEMA_M_METHOD)
    return method(f, n, ni);
  return keyed_builtin(f, n, ni);
}

/* ---- slices ---- */

LLVMValueRef body_slice(FnBody *f, Node *n) {
  Node *s = n->rhs;
  LLVMValueRef base = body_expr(f, n->lhs);
  Node *parts[3] = {s->lhs, s->rhs, s->els};
  LLVMValueRef av[7] = {base};
  for (int i = 0; i < 3; i++) {
    bool has = parts[i] && parts[i]->kind != N_NONE;
    av[1 + 2 * i] = body_bool(f, has);
    av[2 + 2 * i] = has ? body_expr_as(f, parts[i], ty_int) : body_i64(f, 0);
  }
  LLVMValueRef r = slice_call(f, av);
  body_release(f, n->lhs, base);
  return r;
}

LLVMValueRef body_seq_binop(FnBody *f, OpCode op, LLVMValueRef l, Type *lt,
                            LLVMValueRef r, Type *rt) {
  Cg *cg = f->cg;
  if (op == OP_ADD) {
    LLVMTypeRef pt[] = {cg->t_ptr, cg->t_ptr};
    return body_call(f, "tr_seq_concat", cg->t_ptr, pt, 2,
                     (LLVMValueRef[]){l, r});
  }
  bool lseq = lt->kind == TY_LIST;
  LLVMValueRef seq = lseq ? l : r;
  LLVMValueRef n = body_conv(f, lseq ? r : l, lseq ? rt : lt, ty_int);
  LLVMTypeRef pt[] = {cg->t_ptr, cg->t_i64};
  return body_call(f, "tr_seq_repeat", cg->t_ptr, pt, 2,
                   (LLVMValueRef[]){seq, n});
}
