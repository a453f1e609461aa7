/* body_dict.c - dicts and sets in bodies (typed by compiler/sema_dict.c),
 * lowered to TrDicts and the helpers of runtime/dict.c. A set is a TrDict
 * whose values are None.
 *
 * References: a display or comprehension is a new dict; the dict owns its
 * keys and values (stores take new references); d[k] is borrowed from d
 * (increfed when d itself is a temporary); method results are new. */
#include <string.h>

#include "../diag.h"
#include "body.h"
#include "body_str.h"

static LLVMValueRef boxed(FnBody *f, Type *t, LLVMValueRef v) {
  LLVMValueRef box = body_alloca(f, f->cg->t_value, "box");
  cg_box(f->cg, t, v, box);
  return box;
}

static LLVMValueRef none_box(FnBody *f) {
  return boxed(f, ty_none, body_bool(f, false));
}

static LLVMValueRef call(FnBody *f, const char *name, LLVMTypeRef ret,
                         LLVMValueRef *args, unsigned n) {
  LLVMTypeRef pt[4];
  for (unsigned i = 0; i < n; i++)
    pt[i] = LLVMTypeOf(args[i]);
  return body_call(f, name, ret, pt, n, args);
}

/* The key of a record's field read or written with literal key k (its
 * values are checked against the field's type naming it), else NULL. */
static const char *field_key(Type *dt, Node *k) {
  return ty_is_record(dt) && k->kind == N_STR ? k->str : NULL;
}

/* t of the TrValue at p; a field's value is checked naming its key. */
static LLVMValueRef unbox_at(FnBody *f, Type *t, LLVMValueRef p,
                             const char *key) {
  return key ? cg_unbox_key(f->cg, t, p, key) : cg_unbox(f->cg, t, p);
}

/* Does a value of type t convert to u (an int to a float, say)? */
static bool converts(Type *t, Type *u) {
  return t == u || (u == ty_float && ty_is_numeric(t)) ||
         (u == ty_int && t == ty_bool);
}

/* tr_dict_set(d, k, v) with new references to n's key and value; a
 * record's values keep their own types, as does a value that a later one
 * of the same key replaces ({"a": 1, "a": "x"} is a dict[str, str]). */
static void store_kv(FnBody *f, LLVMValueRef d, Type *dt, Node *k, Node *v) {
  LLVMValueRef kb = boxed(f, dt->key, body_expr_owned(f, k, dt->key));
  Type *own = v ? body_type(f, v) : NULL;
  Type *vt = v && (ty_is_record(dt) || !converts(own, dt->val)) ? own
                                                                : dt->val;
  LLVMValueRef vb = v ? boxed(f, vt, body_expr_owned(f, v, vt))
                      : none_box(f);
  call(f, "tr_dict_set", f->cg->t_void, (LLVMValueRef[]){d, kb, vb}, 3);
}

static LLVMValueRef new_dict(FnBody *f) {
  return body_call(f, "tr_dict_new", f->cg->t_ptr, NULL, 0, NULL);
}

static void dict_leaf(FnBody *f, Node *n, LLVMValueRef d) {
  store_kv(f, d, body_type(f, n), n->key, n->lhs);
}

static void set_leaf(FnBody *f, Node *n, LLVMValueRef d) {
  store_kv(f, d, body_type(f, n), n->lhs, NULL);
}

LLVMValueRef body_dict_expr(FnBody *f, Node *n) {
  Type *t = body_type(f, n);
  LLVMValueRef d = new_dict(f);
  if (n->kind == N_DICTCOMP) {
    body_comp_loops(f, n, d, dict_leaf);
  } else if (n->kind == N_SET && n->ncomps) {
    body_comp_loops(f, n, d, set_leaf);
  } else {
    for (int i = 0; i < n->nitems; i++) {
      if (n->kind == N_DICT && !n->keys[i]) { /* {**r, ...}: sema_record.c */
        LLVMValueRef o = body_expr(f, n->items[i]);
        call(f, "tr_dict_update", f->cg->t_void, (LLVMValueRef[]){d, o}, 2);
        body_release(f, n->items[i], o);
        continue;
      }
      store_kv(f, d, t, n->kind == N_SET ? n->items[i] : n->keys[i],
               n->kind == N_SET ? NULL : n->items[i]);
    }
  }
  return d;
}

/* A borrowed box of key expression k (released by the caller). */
static LLVMValueRef key_box(FnBody *f, Node *k, LLVMValueRef *kv) {
  *kv = body_expr(f, k);
  return boxed(f, body_type(f, k), *kv);
}

LLVMValueRef body_dict_get(FnBody *f, Node *n) {
  Type *dt = body_type(f, n->lhs), *vt = body_type(f, n);
  LLVMValueRef d = body_expr(f, n->lhs), kv;
  LLVMValueRef p = call(f, "tr_dict_getitem", f->cg->t_ptr,
                        (LLVMValueRef[]){d, key_box(f, n->rhs, &kv)}, 2);
  body_release(f, n->rhs, kv);
  LLVMValueRef v = unbox_at(f, vt, p, field_key(dt, n->rhs));
  if (body_is_fresh(f, n->lhs)) { /* the item outlives its dict */
    body_incref(f, vt, v);
    body_release(f, n->lhs, d);
  }
  return v;
}

void body_dict_store(FnBody *f, Node *target, LLVMValueRef v, Type *t,
                     bool fresh) {
  Type *dt = body_type(f, target->lhs), *vt = body_type(f, target);
  LLVMValueRef d = body_expr(f, target->lhs);
  LLVMValueRef k = body_expr_owned(f, target->rhs, dt->key);
  if (ty_is_record(dt)) /* an int stays an int in a float key, as in Python */
    vt = t;                /* (reads of the key convert it) */
  v = body_conv(f, v, t, vt);
  if (!fresh)
    body_incref(f, vt, v);
  call(f, "tr_dict_set", f->cg->t_void,
       (LLVMValueRef[]){d, boxed(f, dt->key, k), boxed(f, vt, v)}, 3);
  body_release(f, target->lhs, d);
}

/* A plain operand: evaluating it has no effects and cannot fail. */
static bool plain(Node *n) {
  return n->kind == N_NAME || n->kind == N_INT || n->kind == N_FLOAT || n->kind == N_STR;
}

static bool same_plain(Node *a, Node *b) {
  if (a->kind != b->kind)
    return false;
  switch (a->kind) {
  case N_NAME: return !strcmp(a->name, b->name);
  case N_STR: return a->len == b->len && !memcmp(a->str, b->str, (size_t)a->len);
  case N_INT: return !a->str && !b->str && a->ival == b->ival;
  default: return false;
  }
}

/* The get call of `d[k] = d.get(k, c) op e`, or NULL. */
static Node *count_get(FnBody *f, Node *n) {
  if (n->nitems != 1 || n->items[0]->kind != N_SUBSCRIPT)
    return NULL;
  Node *t = n->items[0], *r = n->rhs;
  Type *dt = body_type(f, t->lhs);
  if (t->lhs->kind != N_NAME || dt->kind != TY_DICT || ty_is_record(dt) || sema_is_set(dt) ||
      (dt->val != ty_int && dt->val != ty_float) || t->rhs->kind == N_SLICE)
    return NULL;
  if (r->kind != N_BINOP || (r->op != OP_ADD && r->op != OP_SUB && r->op != OP_MUL) ||
      body_type(f, r) != dt->val || !plain(r->rhs) || r->lhs->kind != N_CALL)
    return NULL;
  Node *g = r->lhs;
  NodeInfo *gi = body_info(f, g);
  if (gi->method != SEMA_M_METHOD || gi->slot != SEMA_DM_GET || g->nitems != 2 || g->nkws ||
      g->lhs->kind != N_ATTR || !same_plain(g->lhs->lhs, t->lhs) ||
      !same_plain(g->items[0], t->rhs) || !plain(g->items[1]) ||
      !ty_is_numeric(body_type(f, g->items[1])))
    return NULL;
  return g;
}

/* d[k] = d.get(k, c) op e: the slot of k (set to c when k is new: one
 * probe, tr_dict_setdefault), then its value updated in place, instead of
 * a get and a set (two probes and two key compares): the counting idiom of
 * word counts and of bag.frequencies. Every operand is plain, so doing the
 * insertion before the arithmetic changes nothing a program can see. */
bool body_dict_count_update(FnBody *f, Node *n) {
  Node *g = count_get(f, n);
  if (!g)
    return false;
  Node *t = n->items[0], *r = n->rhs;
  Type *vt = body_type(f, t->lhs)->val;
  LLVMValueRef d = body_expr(f, t->lhs), kv;
  LLVMValueRef kb = key_box(f, t->rhs, &kv);
  LLVMValueRef c = body_expr_as(f, g->items[1], vt);
  LLVMValueRef slot = call(f, "tr_dict_setdefault", f->cg->t_ptr,
                           (LLVMValueRef[]){d, kb, boxed(f, vt, c)}, 3);
  LLVMValueRef old = cg_unbox(f->cg, vt, slot);
  LLVMValueRef e = body_expr(f, r->rhs);
  LLVMValueRef v = body_binop(f, r->op, old, vt, e, body_type(f, r->rhs), vt);
  cg_box(f->cg, vt, v, slot);
  body_release(f, t->rhs, kv);
  return true;
}

/* ---- for w in s.split(): d[w] = d.get(w, c) + e ---- */

typedef struct NameUses {
  const char *name;
  int n;
} NameUses;

static void count_name(Node *n, void *ctx) {
  NameUses *u = ctx;
  if (n->kind == N_NAME && !strcmp(n->name, u->name))
    u->n++;
}

/* Is loop `for w in s.split(..): d[w] = d.get(w, c) + e` over a dict of
 * str to int, w read nowhere else in the function (so the loop need not
 * assign it)? */
static bool count_split_loop(FnBody *f, Node *loop) {
  if (loop->lhs->kind != N_NAME || loop->norelse || loop->nbody != 1 ||
      loop->body[0]->kind != N_ASSIGN || !body_str_split_fusable(f, loop->rhs, NULL))
    return false;
  Node *a = loop->body[0], *g = count_get(f, a);
  if (!g)
    return false;
  Node *t = a->items[0];
  Type *dt = body_type(f, t->lhs);
  if (dt->key != ty_str || dt->val != ty_int || a->rhs->op != OP_ADD ||
      t->rhs->kind != N_NAME || strcmp(t->rhs->name, loop->lhs->name) ||
      body_type(f, g->items[1]) != ty_int || body_type(f, a->rhs->rhs) != ty_int)
    return false;
  NameUses u = {loop->lhs->name, 0};
  Node *def = f->spec->fn->def;
  for (int i = 0; def && i < def->nbody; i++)
    ast_walk(def->body[i], count_name, &u);
  return u.n == 3; /* the loop's target, d[w] and d.get(w, ...) */
}

/* The word count loop as one runtime call (runtime/dict_count.c), which
 * looks each piece up by its bytes and makes a str only for a new word. */
bool body_dict_count_split(FnBody *f, Node *loop) {
  if (!count_split_loop(f, loop))
    return false;
  Cg *cg = f->cg;
  Node *a = loop->body[0], *g = a->rhs->lhs;
  LLVMValueRef d = body_expr(f, a->items[0]->lhs);
  LLVMValueRef c = body_expr(f, g->items[1]), e = body_expr(f, a->rhs->rhs);
  LLVMTypeRef at[] = {cg->t_i64, cg->t_i64};
  LLVMValueRef slow = cg_runtime_fn(cg, "tr_int_add_slow", LLVMFunctionType(cg->t_i64, at, 2, 0));
  LLVMValueRef after[] = {c, e, slow};
  body_str_split_with(f, loop->rhs, "tr_dict_count_split", LLVMVoidTypeInContext(cg->ctx), &d,
                      1, after, 3);
  return true;
}

LLVMValueRef body_dict_slot(FnBody *f, Node *s, LLVMValueRef d) {
  LLVMValueRef kv;
  LLVMValueRef p = call(f, "tr_dict_getitem", f->cg->t_ptr,
                        (LLVMValueRef[]){d, key_box(f, s->rhs, &kv)}, 2);
  body_release(f, s->rhs, kv);
  return p;
}

LLVMValueRef body_dict_contains(FnBody *f, LLVMValueRef k, Type *kt,
                                LLVMValueRef d) {
  LLVMValueRef p = call(f, "tr_dict_get", f->cg->t_ptr,
                        (LLVMValueRef[]){d, boxed(f, kt, k)}, 2);
  return LLVMBuildIsNotNull(f->b, p, "");
}

LLVMValueRef body_dict_equal(FnBody *f, OpCode op, LLVMValueRef a, Type *at,
                             LLVMValueRef b, Type *bt) {
  if (sema_is_set(at) != sema_is_set(bt)) /* a set is never a dict */
    return body_bool(f, op == OP_NE);
  LLVMValueRef vals[] = {a, b};
  Type *types[] = {at, bt};
  return body_op_call(f, op == OP_EQ ? OP_eq : OP_ne, vals, types, 2,
                      ty_bool);
}

LLVMValueRef body_set_binop(FnBody *f, OpCode op, LLVMValueRef l,
                            LLVMValueRef r) {
  int k = op == OP_BITOR ? 0 : op == OP_BITAND ? 1 : op == OP_SUB ? 2 : 3;
  return call(f, "tr_set_op", f->cg->t_ptr,
              (LLVMValueRef[]){l, r, body_i64(f, k)}, 3);
}

/* ---- methods ---- */

/* A new reference to the value at p (a TrValue* of type t). */
static LLVMValueRef owned_at(FnBody *f, Type *t, LLVMValueRef p,
                             const char *key) {
  LLVMValueRef v = unbox_at(f, t, p, key);
  body_incref(f, t, v);
  return v;
}

LLVMValueRef body_dict_method(FnBody *f, Node *n, NodeInfo *ni) {
  Cg *cg = f->cg;
  Node *dn = n->lhs->lhs;
  Type *dt = body_type(f, dn), *vt = body_type(f, n); /* get/setdefault/pop */
  LLVMValueRef d = body_expr(f, dn);
  LLVMValueRef r = body_bool(f, false), kv = NULL, kb = NULL;
  Node *karg = n->nitems ? n->items[0] : NULL;
  if (karg && ni->slot != SEMA_DM_UPDATE)
    kb = key_box(f, karg, &kv);
  const char *fk = karg ? field_key(dt, karg) : NULL;
  switch (ni->slot) {
  case SEMA_DM_GET: {
    LLVMValueRef dv = body_expr_as(f, n->items[1], vt);
    LLVMValueRef p = call(f, "tr_dict_get_or", cg->t_ptr,
                          (LLVMValueRef[]){d, kb, boxed(f, vt, dv)}, 3);
    r = owned_at(f, vt, p, fk);
    body_release(f, n->items[1], dv);
    break;
  }
  case SEMA_DM_ITEMS:
  case SEMA_DM_KEYS:
  case SEMA_DM_VALUES: {
    int what = ni->slot == SEMA_DM_KEYS ? 0 : ni->slot == SEMA_DM_VALUES ? 1
                                                                          : 2;
    r = call(f, "tr_dict_list", cg->t_ptr,
             (LLVMValueRef[]){d, body_i64(f, what)}, 2);
    break;
  }
  case SEMA_DM_SETDEFAULT: {
    LLVMValueRef dv = body_expr_as(f, n->items[1], vt);
    LLVMValueRef p = call(f, "tr_dict_setdefault", cg->t_ptr,
                          (LLVMValueRef[]){d, kb, boxed(f, vt, dv)}, 3);
    r = owned_at(f, vt, p, fk);
    body_release(f, n->items[1], dv);
    break;
  }
  case SEMA_DM_POP: {
    LLVMValueRef out = body_alloca(f, cg->t_value, "popped"), dv = NULL;
    LLVMValueRef dflt = LLVMConstNull(cg->t_ptr);
    if (n->nitems == 2) {
      dv = body_expr_as(f, n->items[1], vt);
      dflt = boxed(f, vt, dv);
    }
    call(f, "tr_dict_pop", cg->t_void, (LLVMValueRef[]){d, kb, dflt, out}, 4);
    r = unbox_at(f, vt, out, fk);
    if (dv)
      body_release(f, n->items[1], dv);
    break;
  }
  case SEMA_DM_UPDATE: {
    LLVMValueRef o = body_expr(f, n->items[0]);
    call(f, "tr_dict_update", cg->t_void, (LLVMValueRef[]){d, o}, 2);
    body_release(f, n->items[0], o);
    break;
  }
  case SEMA_DM_COPY:
    r = call(f, "tr_dict_copy", cg->t_ptr, &d, 1);
    break;
  case SEMA_DM_CLEAR:
    call(f, "tr_dict_clear", cg->t_void, &d, 1);
    break;
  case SEMA_DM_ADD:
    call(f, "tr_set_add", cg->t_void, (LLVMValueRef[]){d, kb}, 2);
    break;
  default: /* discard */
    call(f, "tr_set_discard", cg->t_void, (LLVMValueRef[]){d, kb}, 2);
  }
  if (kv)
    body_release(f, karg, kv);
  body_release(f, dn, d);
  return r;
}
