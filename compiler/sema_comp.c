/* sema_comp.c - iteration in bodies: what a `for` or a comprehension runs
 * over, and list comprehensions / generator expressions.
 *
 * An iterable is range(...), a list, a str, a tuple of one element type,
 * reversed(...) of one of these, or enumerate(X[, start]) / zip(X, Y, ...)
 * of them, which give tuples (unpacked by `for i, x in ...` without
 * building one). Sema marks each call node with its SEMA_IT_* kind; codegen
 * (body_comp.c) lowers every such loop as one counter over its sources.
 *
 * A comprehension's variables are its own (Python 3 scoping): they are new
 * locals that shadow any of the same name while the comprehension is typed
 * and are renamed afterwards so later code cannot see them. A generator
 * expression (N_LISTCOMP with len 1) is typed as the list it yields. */
#include <string.h>

#include "sema_impl.h"

static bool is_builtin(Checker *c, Node *call, const char *name) {
  return call->kind == N_CALL && call->lhs->kind == N_NAME &&
         !strcmp(call->lhs->name, name) &&
         sema_local_find(c, name) < 0 && !sema_find_func(c->g, name);
}

static void want_int(Checker *c, Node *e, const char *what) {
  Type *t = sema_expr(c, e);
  if (t != ty_int && t != ty_bool)
    diag_error(e->loc, "'%s' object cannot be interpreted as an integer%s",
               sema_pyname(t), what);
}

static void no_kws(Node *call, const char *name) {
  if (call->nkws)
    diag_error(call->kws[0]->loc, "%s() takes no keyword arguments in "
               "function bodies", name);
}

/* The element type of a plain iterable value of type t. */
static Type *value_elem(Node *e, Type *t) {
  if (t->kind == TY_LIST)
    return sema_elem_known(e, t);
  if (t == ty_str)
    return ty_str;
  if (t->kind == TY_TUPLE && t->n > 0) {
    for (int i = 1; i < t->n; i++)
      if (t->elems[i] != t->elems[0])
        diag_error(e->loc, "iterating over a tuple of different types (%s) "
                   "is not supported in function bodies", ty_name(t));
    return t->elems[0];
  }
  if (sema_is_set(t))
    diag_error(e->loc, "iterating over a set is not supported in taskc (its "
               "order is CPython's hash order): iterate over sorted(s)");
  if (t->kind == TY_DICT)
    return t->key; /* iterating a dict gives its keys */
  diag_error(e->loc, "'%s' object is not iterable in a function body (a "
             "list, str, tuple, dict, range, enumerate, zip or reversed is)",
             sema_pyname(t));
}

/* range(...), reversed(...) or a value: one source of a loop. */
static Type *source(Checker *c, Node *e) {
  NodeInfo *ni;
  if (is_builtin(c, e, "range")) {
    no_kws(e, "range");
    if (e->nitems < 1 || e->nitems > 3)
      diag_error(e->loc, "range expected 1 to 3 arguments, got %d",
                 e->nitems);
    for (int i = 0; i < e->nitems; i++)
      want_int(c, e->items[i], "");
    ni = sema_note(c, e);
    ni->method = SEMA_IT_RANGE;
    ni->type = ty_list(ty_int); /* not a value: only for messages */
    return ty_int;
  }
  if (is_builtin(c, e, "reversed")) {
    no_kws(e, "reversed");
    if (e->nitems != 1)
      diag_error(e->loc, "reversed expected 1 argument, got %d", e->nitems);
    Node *x = e->items[0];
    Type *elem;
    if (is_builtin(c, x, "range")) {
      elem = source(c, x);
    } else {
      Type *t = sema_expr(c, x);
      if (t->kind == TY_DICT)
        diag_error(x->loc, "reversed() of a dict is not supported in "
                   "function bodies");
      elem = value_elem(x, t);
    }
    ni = sema_note(c, e);
    ni->method = SEMA_IT_REVERSED;
    ni->type = ty_list(elem);
    return elem;
  }
  return value_elem(e, sema_expr(c, e));
}

Type *sema_iter(Checker *c, Node *e) {
  if (is_builtin(c, e, "enumerate")) {
    Node *start = e->nitems == 2 ? e->items[1] : NULL;
    for (int k = 0; k < e->nkws; k++) {
      if (!e->kws[k]->name || strcmp(e->kws[k]->name, "start") || start)
        diag_error(e->kws[k]->loc, "enumerate() takes an iterable and start");
      start = e->kws[k]->lhs;
    }
    if (e->nitems < 1 || e->nitems > 2)
      diag_error(e->loc, "enumerate() takes an iterable and start");
    Type *elems[2] = {ty_int, source(c, e->items[0])};
    if (start)
      want_int(c, start, "");
    NodeInfo *ni = sema_note(c, e);
    ni->method = SEMA_IT_ENUMERATE;
    ni->args = ARENA_ARRAY(c->a, Node *, 1);
    ni->args[0] = start;
    return sema_set_type(c, e, ty_tuple(elems, 2));
  }
  if (is_builtin(c, e, "zip")) {
    no_kws(e, "zip");
    if (e->nitems < 1 || e->nitems > SEMA_MAX_ZIP)
      diag_error(e->loc, "zip() of 1 to %d iterables is supported in "
                 "function bodies", SEMA_MAX_ZIP);
    Type **elems = ARENA_ARRAY(c->a, Type *, e->nitems);
    for (int i = 0; i < e->nitems; i++)
      elems[i] = source(c, e->items[i]);
    sema_note(c, e)->method = SEMA_IT_ZIP;
    return sema_set_type(c, e, ty_tuple(elems, e->nitems));
  }
  return source(c, e);
}

/* A comprehension's target: new locals, whatever the names meant before. */
static void bind_new(Checker *c, Node *target, Type *t) {
  if (target->kind == N_NAME) {
    int slot = sema_local_add(c, target->name, t, target->loc.line);
    c->defined[slot] = true;
    NodeInfo *ni = sema_note(c, target);
    ni->slot = slot;
    ni->type = t;
    return;
  }
  if (target->kind != N_TUPLE && target->kind != N_LIST)
    diag_error(target->loc, "a comprehension target must be a name or a "
               "tuple of names");
  sema_check_unpack(c, target, t);
  for (int i = 0; i < target->nitems; i++)
    bind_new(c, target->items[i], t->elems[i]);
}

/* Types the generators of comprehension n; returns the first new local. */
int sema_comp_fors(Checker *c, Node *n) {
  int first = c->info->nlocals;
  for (int i = 0; i < n->ncomps; i++) {
    Node *g = n->comps[i];
    Type *elem = sema_iter(c, g->rhs);
    bind_new(c, g->lhs, elem);
    for (int k = 0; k < g->nitems; k++)
      sema_cond(c, g->items[k]);
  }
  return first;
}

/* The comprehension's variables go out of scope. */
void sema_comp_close(Checker *c, int first) {
  for (int i = first; i < c->info->nlocals; i++) {
    Local *l = &c->info->locals[i];
    if (!strchr(l->name, '.'))
      l->name = arena_printf(c->a, "%s.comp", l->name);
  }
}

Type *sema_listcomp(Checker *c, Node *n) {
  int first = sema_comp_fors(c, n);
  Type *et = sema_expr(c, n->lhs);
  sema_comp_close(c, first);
  if (et->kind == TY_ANY)
    diag_error(n->lhs->loc, "an empty list needs a type here; build it in a "
               "variable first");
  if (et == ty_none)
    diag_error(n->lhs->loc, "a list of None is not supported in function "
               "bodies");
  return ty_list(et);
}

bool sema_iter_call(Checker *c, Node *n) {
  static const char *names[] = {"range", "enumerate", "zip", "reversed"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (is_builtin(c, n, names[i]))
      return true;
  return false;
}

static Node *synth_name(Checker *c, Loc loc) {
  Node *n = ARENA_NEW(c->a, Node);
  n->kind = N_NAME;
  n->loc = loc;
  n->name = "iter.v";
  return n;
}

Type *sema_iter_lowered(Checker *c, Node *n) {
  Node *g = ARENA_NEW(c->a, Node);
  g->kind = N_COMPFOR;
  g->loc = n->loc;
  g->lhs = synth_name(c, n->loc);
  g->rhs = n;
  Node *comp = ARENA_NEW(c->a, Node);
  comp->kind = N_LISTCOMP;
  comp->loc = n->loc;
  comp->lhs = synth_name(c, n->loc);
  comp->comps = ARENA_ARRAY(c->a, Node *, 1);
  comp->comps[0] = g;
  comp->ncomps = 1;
  Type *t = sema_expr(c, comp);
  sema_note(c, n)->lowered = comp;
  return t;
}
