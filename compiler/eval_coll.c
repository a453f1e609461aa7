/* eval_coll.c - the evaluator's half of the collection seam
 * (collections/collections.h): operators, attributes and subscripts of
 * V_COLL values go through their ops table here, pinning what the
 * collection sees; and the evaluator's state as builder.h hands it out. */
#include <string.h>

#include "eval_int.h"

/* ---- what collections read (builder.h) ---- */

Arena *eval_arena(Eval *e) { return e->a; }
Graph *eval_graph(Eval *e) { return e->g; }
Loc eval_loc(Eval *e) { return e->loc; }
const char *eval_callee(Eval *e) { return e->callee; }

void *eval_coll_state(Eval *e, CollId id, size_t size) {
  if (!e->coll_state[id]) {
    e->coll_state[id] = arena_alloc(e->a, size);
    memset(e->coll_state[id], 0, size);
  }
  return e->coll_state[id];
}

/* ---- calls through the ops table ---- */

/* A collection's code may keep the values it is given or sees and hand out
 * values it keeps (Value.refs): all of them are pinned. Calls enter and
 * leave through these two. */
static void coll_enter(Eval *e, Value *x, Value *y) {
  v_pin(x);
  if (y)
    v_pin(y);
  e->pin_all++;
}

static Value *coll_leave(Eval *e, Value *r) {
  e->pin_all--;
  if (r)
    v_pin(r);
  return r;
}

typedef Value *CollBinop(Eval *e, OpCode op, Value *x, Value *y, Loc loc);

Value *eval_coll_binop(Eval *e, OpCode op, Value *x, Value *y, Loc loc,
                       bool cmp) {
  const CollOps *xo = x->kind == V_COLL ? x->coll->ops : NULL;
  const CollOps *yo = y->kind == V_COLL ? y->coll->ops : NULL;
  CollBinop *fx = !xo ? NULL : cmp ? xo->compare : xo->binop;
  CollBinop *fy = !yo || yo == xo ? NULL : cmp ? yo->compare : yo->binop;
  if (!fx && !fy)
    return NULL;
  coll_enter(e, x, y);
  Value *r = fx ? fx(e, op, x, y, loc) : NULL;
  if (!r && fy)
    r = fy(e, op, x, y, loc);
  return coll_leave(e, r);
}

Value *eval_coll_unop(Eval *e, OpCode op, Value *x, Loc loc) {
  if (!x->coll->ops->unop)
    return NULL;
  coll_enter(e, x, NULL);
  return coll_leave(e, x->coll->ops->unop(e, op, x, loc));
}

Value *eval_coll_attr(Eval *e, Value *x, const char *name, Loc loc) {
  if (!x->coll->ops->attr)
    return NULL;
  coll_enter(e, x, NULL);
  return coll_leave(e, x->coll->ops->attr(e, x, name, loc));
}

Value *eval_coll_getitem(Eval *e, Value *x, Node *index) {
  coll_enter(e, x, NULL);
  return coll_leave(e, x->coll->ops->getitem(e, x, index));
}
