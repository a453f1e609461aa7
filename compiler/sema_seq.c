/* sema_seq.c - list methods, slices, and the builtins over sequences in
 * bodies: any, all, list, sorted, and sorted/min/max with key= and
 * reverse= (also list.sort).
 *
 * A key= (a lambda, a def, or a builtin such as len) is typed as the
 * comprehension that computes the keys: `sorted(xs, key=lambda p: p[1])`
 * keeps xs in a hidden local (evaluated once) and types `[p[1] for p in
 * <hidden>]`; codegen (body_method.c) builds that list and sorts by it. The
 * lambda's parameter is scoped like a comprehension variable. */
#include <string.h>

#include "sema_impl.h"

static Node *synth(Checker *c, NodeKind kind, Loc loc) {
  Node *n = ARENA_NEW(c->a, Node);
  n->kind = kind;
  n->loc = loc;
  return n;
}

static Node *synth_name(Checker *c, const char *name, Loc loc) {
  Node *n = synth(c, N_NAME, loc);
  n->name = name;
  return n;
}

/* Elements of a list or a tuple of one element type, or NULL. */
static Type *seq_elem(Type *t) {
  if (t->kind == TY_DICT) /* its keys */
    return t->key->kind == TY_ANY ? NULL : t->key;
  if (t->kind == TY_LIST)
    return t->elem->kind == TY_ANY ? NULL : t->elem;
  if (t->kind == TY_TUPLE && t->n > 0) {
    for (int i = 1; i < t->n; i++)
      if (t->elems[i] != t->elems[0])
        return NULL;
    return t->elems[0];
  }
  return NULL;
}

static Type *want_seq(Node *e, Type *t, const char *fname) {
  Type *el = seq_elem(t);
  if (!el)
    diag_error(e->loc, "%s() of %s is not supported in function bodies (a "
               "list, or a tuple of one element type, is)", fname,
               ty_name(t));
  return el;
}

/* ---- key= ---- */

/* keys: the comprehension computing the key of each element of the value
 * held in hidden local `held` (elements of type el). */
static Node *key_comp(Checker *c, Node *key, Node *held, Type *el) {
  Node *body, *param;
  if (key->kind == N_LAMBDA) {
    if (key->nparams != 1 || key->params[0].star || key->params[0].deflt)
      diag_error(key->loc, "a key function takes one argument");
    param = synth_name(c, key->params[0].name, key->loc);
    body = key->lhs;
  } else if (key->kind == N_NAME || key->kind == N_ATTR) {
    param = synth_name(c, "key.arg", key->loc);
    body = synth(c, N_CALL, key->loc);
    body->lhs = key;
    body->items = ARENA_ARRAY(c->a, Node *, 1);
    body->items[0] = synth_name(c, "key.arg", key->loc);
    body->nitems = 1;
  } else {
    diag_error(key->loc, "key= must be a lambda or a function name in "
               "function bodies");
  }
  (void)el;
  Node *g = synth(c, N_COMPFOR, key->loc);
  g->lhs = param;
  g->rhs = held;
  Node *comp = synth(c, N_LISTCOMP, key->loc);
  comp->lhs = body;
  comp->comps = ARENA_ARRAY(c->a, Node *, 1);
  comp->comps[0] = g;
  comp->ncomps = 1;
  Type *kt = sema_expr(c, comp);
  Type *k = kt->elem;
  if (!sema_is_num(k) && k != ty_str && k->kind != TY_TUPLE)
    diag_error(key->loc, "the key function returns %s; bodies sort by "
               "numbers, strs or tuples", ty_name(k));
  return comp;
}

/* NodeInfo.args of a keyed call: [0] the hidden name holding the sequence,
 * [1] the keys comprehension (NULL: the items are the keys), [2] reverse
 * (NULL: False). The sequence is n->items[0] or, for xs.sort(), xs. */
static void keyed(Checker *c, Node *n, Node *seq, Type *t, const char *fname,
                  bool allow_reverse) {
  Type *el = want_seq(seq, t, fname);
  NodeInfo *ni = sema_note(c, n);
  ni->args = ARENA_ARRAY(c->a, Node *, 3);
  Node *key = NULL;
  for (int i = 0; i < n->nkws; i++) {
    Node *kw = n->kws[i];
    if (kw->name && !strcmp(kw->name, "key")) {
      if (kw->lhs->kind != N_NONE)
        key = kw->lhs;
    } else if (kw->name && allow_reverse && !strcmp(kw->name, "reverse")) {
      sema_cond(c, kw->lhs);
      ni->args[2] = kw->lhs;
    } else {
      diag_error(kw->loc, "%s() got an unexpected keyword argument '%s'",
                 fname, kw->name ? kw->name : "**");
    }
  }
  const char *hidden = arena_printf(c->a, "%s.seq%d", fname,
                                    c->info->nlocals);
  /* a dict or set is sorted as the list of its keys */
  int slot = sema_local_add(c, hidden, t->kind == TY_DICT ? ty_list(el) : t,
                            n->loc.line);
  c->defined[slot] = true;
  Node *held = synth_name(c, hidden, n->loc);
  sema_expr(c, held);
  ni->args[0] = held;
  if (key)
    ni->args[1] = key_comp(c, key, held, el);
  else if (!sema_is_num(el) && el != ty_str && el->kind != TY_TUPLE)
    diag_error(seq->loc, "%s() of %s is not supported in function bodies",
               fname, ty_name(t));
}

/* ---- builtins ---- */

Type *sema_seq_builtin(Checker *c, Node *n, const Op *op) {
  int na = n->nitems;
  switch (op->id) {
  case OP_sorted:
  case OP_min:
  case OP_max: {
    bool sorted = op->id == OP_sorted;
    if (!sorted && !n->nkws)
      return NULL; /* min(a, b), min(xs): sema_call.c */
    if (na != 1)
      diag_error(n->loc, "%s() with key= takes one list in function bodies",
                 op->name);
    Type *t = sema_expr(c, n->items[0]);
    keyed(c, n, n->items[0], t, op->name, sorted);
    sema_note(c, n)->op = op;
    Type *el = seq_elem(t);
    return sorted ? ty_list(el) : el;
  }
  case OP_any:
  case OP_all:
  case OP_list: {
    if (n->nkws)
      diag_error(n->kws[0]->loc, "%s() takes no keyword arguments",
                 op->name);
    if (na == 0 && op->id == OP_list) {
      sema_note(c, n)->op = op;
      return ty_list(ty_any);
    }
    if (na != 1)
      diag_error(n->loc, "%s() takes exactly one argument (%d given)",
                 op->name, na);
    Type *t = sema_expr(c, n->items[0]);
    Type *el = t == ty_str ? ty_str : seq_elem(t);
    if (t->kind == TY_DICT)
      el = t->key;
    if (op->id == OP_list && sema_is_set(t))
      diag_error(n->items[0]->loc, "list() of a set is not supported in "
                 "taskc (its order is CPython's hash order): use sorted(s)");
    if (!el)
      diag_error(n->items[0]->loc, "%s() of %s is not supported in function "
                 "bodies", op->name, ty_name(t));
    sema_note(c, n)->op = op;
    return op->id == OP_list ? ty_list(el) : ty_bool;
  }
  default:
    return NULL;
  }
}

/* ---- methods ---- */

static const struct {
  const char *name;
  int id, min, max;
} list_methods[] = {
    {"extend", SEMA_LM_EXTEND, 1, 1}, {"pop", SEMA_LM_POP, 0, 1},
    {"insert", SEMA_LM_INSERT, 2, 2}, {"index", SEMA_LM_INDEX, 1, 1},
    {"count", SEMA_LM_COUNT, 1, 1},   {"remove", SEMA_LM_REMOVE, 1, 1},
    {"reverse", SEMA_LM_REVERSE, 0, 0}, {"sort", SEMA_LM_SORT, 0, 0},
    {"copy", SEMA_LM_COPY, 0, 0},     {"clear", SEMA_LM_CLEAR, 0, 0},
};

static void want_int(Checker *c, Node *e) {
  Type *t = sema_expr(c, e);
  if (t != ty_int && t != ty_bool)
    diag_error(e->loc, "'%s' object cannot be interpreted as an integer",
               sema_pyname(t));
}

static void want_item(Checker *c, Node *e, Type *el, const char *what) {
  Type *t = sema_expr(c, e);
  if (!sema_accepts(el, t))
    diag_error(e->loc, "cannot %s %s in a list[%s]", what, ty_name(t),
               ty_name(el));
}

Type *sema_list_method(Checker *c, Node *n, Type *t, int slot) {
  Node *f = n->lhs;
  int k = -1;
  for (size_t i = 0; i < sizeof list_methods / sizeof *list_methods; i++)
    if (!strcmp(f->name, list_methods[i].name))
      k = (int)i;
  if (k < 0)
    diag_error(f->loc, "'list' object has no attribute '%s' in function "
               "bodies", f->name);
  int id = list_methods[k].id;
  if (id != SEMA_LM_SORT && n->nkws)
    diag_error(n->kws[0]->loc, "%s() takes no keyword arguments", f->name);
  if (n->nitems < list_methods[k].min || n->nitems > list_methods[k].max)
    diag_error(n->loc, "%s() takes %d to %d arguments (%d given)", f->name,
               list_methods[k].min, list_methods[k].max, n->nitems);
  NodeInfo *ni = sema_note(c, n);
  ni->method = SEMA_M_METHOD;
  ni->slot = id;
  Type *el = t->elem;
  if (id == SEMA_LM_EXTEND) {
    Type *src = sema_expr(c, n->items[0]);
    Type *se = src->kind == TY_LIST ? src->elem : NULL;
    Local *l = slot >= 0 ? &c->info->locals[slot] : NULL;
    if (l && l->pending && l->type == t && se && se->kind != TY_ANY) {
      l->type = t = ty_list(se); /* the first extend types an empty list */
      l->pending = false;
      l->line = n->loc.line;
      sema_set_type(c, f->lhs, t);
      el = se;
    }
    if (!se || (se->kind != TY_ANY && !sema_accepts(el, se)))
      diag_error(n->items[0]->loc, "cannot extend %s with %s in a function "
                 "body (a list of its element type)", ty_name(t),
                 ty_name(src));
    return ty_none;
  }
  if (el->kind == TY_ANY && id != SEMA_LM_CLEAR && id != SEMA_LM_COPY &&
      id != SEMA_LM_REVERSE)
    sema_elem_known(f->lhs, t);
  switch (id) {
  case SEMA_LM_POP:
    if (n->nitems)
      want_int(c, n->items[0]);
    return el;
  case SEMA_LM_INSERT:
    want_int(c, n->items[0]);
    want_item(c, n->items[1], el, "insert");
    return ty_none;
  case SEMA_LM_INDEX:
  case SEMA_LM_COUNT:
    want_item(c, n->items[0], el, "look for");
    return ty_int;
  case SEMA_LM_REMOVE:
    want_item(c, n->items[0], el, "remove");
    return ty_none;
  case SEMA_LM_SORT:
    keyed(c, n, f->lhs, t, "sort", true);
    ni->method = SEMA_M_METHOD;
    ni->slot = id;
    return ty_none;
  case SEMA_LM_COPY:
    return t;
  default: /* reverse, clear */
    return ty_none;
  }
}

/* ---- slices ---- */

static void slice_part(Checker *c, Node *e) {
  if (e && e->kind != N_NONE)
    want_int(c, e);
}

/* A constant int of a slice bound (a literal, maybe negated), or false. */
static bool const_int(const Node *e, int64_t *v) {
  bool neg = e->kind == N_UNARY && e->op == OP_NEG;
  const Node *lit = neg ? e->lhs : e;
  if (lit->kind != N_INT || lit->str)
    return false;
  *v = neg ? -lit->ival : lit->ival;
  return true;
}

/* The indices of a tuple of n items that t[lo:hi:step] keeps, with
 * Python's clamping; the count, or -1 when a bound is not a constant. */
static int tuple_slice(Node *s, int n, int *idx) {
  int64_t v[3] = {0, 0, 1};
  bool has[3] = {false, false, false};
  Node *parts[3] = {s->lhs, s->rhs, s->els};
  for (int i = 0; i < 3; i++)
    if (parts[i] && parts[i]->kind != N_NONE) {
      if (!const_int(parts[i], &v[i]))
        return -1;
      has[i] = true;
    }
  int64_t step = v[2];
  if (step == 0)
    diag_error(s->loc, "slice step cannot be zero");
  int64_t b[2];
  for (int i = 0; i < 2; i++) {
    int64_t x = v[i];
    if (!has[i] && i == 0)
      x = step > 0 ? 0 : n - 1;
    else if (!has[i])
      x = step > 0 ? n : -1;
    else if (x < 0)
      x = x + n < 0 ? (step > 0 ? 0 : -1) : x + n;
    else if (x >= n)
      x = step > 0 ? n : n - 1;
    b[i] = x;
  }
  int k = 0;
  for (int64_t i = b[0]; step > 0 ? i < b[1] : i > b[1]; i += step)
    idx[k++] = (int)i;
  return k;
}

Type *sema_slice(Checker *c, Node *n, Type *t) {
  Node *s = n->rhs;
  slice_part(c, s->lhs);
  slice_part(c, s->rhs);
  slice_part(c, s->els);
  if (t->kind == TY_LIST)
    return t;
  if (t->kind != TY_TUPLE)
    return NULL;
  int *idx = ARENA_ARRAY(c->a, int, t->n + 1);
  int k = tuple_slice(s, t->n, idx);
  if (k < 0) {
    Type *el = seq_elem(t);
    if (!el)
      diag_error(s->loc, "a slice of a tuple of different types needs "
                 "constant bounds in a function body");
    diag_error(s->loc, "a slice of a tuple needs constant bounds in a "
               "function body (its length is part of its type)");
  }
  Type **elems = ARENA_ARRAY(c->a, Type *, k + 1);
  for (int i = 0; i < k; i++)
    elems[i] = t->elems[idx[i]];
  return ty_tuple(elems, k);
}

Type *sema_value_method(Checker *c, Node *n) {
  Node *f = n->lhs;
  if (f->lhs->kind == N_CALL || f->lhs->kind == N_SUBSCRIPT ||
      f->lhs->kind == N_LIST || f->lhs->kind == N_DICT ||
      f->lhs->kind == N_LISTCOMP || f->lhs->kind == N_ATTR)
    return sema_value_method_of(c, n, sema_expr(c, f->lhs));
  return NULL;
}

Type *sema_value_method_of(Checker *c, Node *n, Type *t) {
  Node *f = n->lhs;
  {
    if (t->kind == TY_DICT)
      return sema_dict_method(c, n, t);
    if (t->kind != TY_LIST)
      return NULL;
    if (strcmp(f->name, "append"))
      return sema_list_method(c, n, t, -1);
    if (n->nitems != 1 || n->nkws)
      diag_error(n->loc, "append() takes exactly one argument");
    Type *v = sema_expr(c, n->items[0]);
    if (t->elem->kind == TY_ANY || !sema_accepts(t->elem, v))
      diag_error(n->items[0]->loc, "cannot append %s to %s", ty_name(v),
                 ty_name(t));
    sema_note(c, n)->method = SEMA_M_APPEND;
    return ty_none;
  }
  return NULL;
}

/* xs + ys (lists of one element type, or tuples), xs * n, n * xs; NULL
 * for other operands. */
Type *sema_seq_binop(Checker *c, OpCode op, Type *l, Type *r, Loc loc) {
  bool lseq = l->kind == TY_LIST || l->kind == TY_TUPLE;
  bool rseq = r->kind == TY_LIST || r->kind == TY_TUPLE;
  if (op == OP_ADD && l->kind == TY_LIST && r->kind == TY_LIST) {
    if (l->elem->kind == TY_ANY)
      return r;
    if (r->elem->kind == TY_ANY || l == r)
      return l;
    diag_error(loc, "concatenating %s and %s: a list in a function body has "
               "one element type", ty_name(l), ty_name(r));
  }
  if (op == OP_ADD && l->kind == TY_TUPLE && r->kind == TY_TUPLE) {
    Type **elems = ARENA_ARRAY(c->a, Type *, l->n + r->n + 1);
    for (int i = 0; i < l->n; i++)
      elems[i] = l->elems[i];
    for (int i = 0; i < r->n; i++)
      elems[l->n + i] = r->elems[i];
    return ty_tuple(elems, l->n + r->n);
  }
  if (op == OP_MUL && l->kind == TY_LIST && (r == ty_int || r == ty_bool))
    return l;
  if (op == OP_MUL && r->kind == TY_LIST && (l == ty_int || l == ty_bool))
    return r;
  if (op == OP_MUL && (lseq || rseq) && (l->kind == TY_TUPLE ||
                                         r->kind == TY_TUPLE))
    diag_error(loc, "tuple * int is not supported in a function body (the "
               "length of a tuple is part of its type)");
  return NULL;
}
