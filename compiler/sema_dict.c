/* sema_dict.c - dicts and sets in bodies.
 *
 * A dict has one key type (int, str, bool, float, or tuples of them) and
 * one value type, like a list's one element type; ints and floats among
 * the values make float values. `d = {}` takes its types from the first
 * `d[k] = v` (as `xs = []` from the first append).
 *
 * A set is a dict whose values are a marker type (sema_set_of): at run
 * time a TrDict whose values are None, so lookups, insertion order and
 * reference counting are the dict's. Sets live inside a body: a set cannot
 * be returned, printed or stored (the run-time kind would say dict); the
 * body passes on sorted(s), list(s) or len(s). */
#include <string.h>

#include "sema_impl.h"

Type *sema_set_of(Type *key) { return ty_dict(key, ty_list(ty_none)); }

bool sema_is_set(const Type *t) {
  return t->kind == TY_DICT && t->val->kind == TY_LIST &&
         t->val->elem == ty_none;
}

static bool hashable(Type *t) {
  if (t == ty_int || t == ty_str || t == ty_bool || t == ty_float)
    return true;
  if (t->kind != TY_TUPLE)
    return false;
  for (int i = 0; i < t->n; i++)
    if (!hashable(t->elems[i]))
      return false;
  return true;
}

static void want_key(Node *at, Type *k) {
  if (k->kind == TY_LIST || k->kind == TY_DICT)
    diag_error(at->loc, "unhashable type: '%s'", sema_is_set(k) ? "set"
                                                               : sema_pyname(k));
  if (!hashable(k))
    diag_error(at->loc, "a %s key is not supported in function bodies (int, "
               "str, float, bool or tuples of them are)", ty_name(k));
}

/* The joined type of two values of one slot: equal, or int and float. */
static Type *join(Node *at, Type *a, Type *b, const char *what) {
  if (a == b)
    return a;
  if (sema_is_num(a) && sema_is_num(b))
    return a == ty_float || b == ty_float ? ty_float : ty_int;
  diag_error(at->loc, "%s have different types (%s and %s); a function body "
             "needs one type", what, ty_name(a), ty_name(b));
}

void sema_no_set(Node *at, Type *t, const char *what) {
  if (sema_is_set(t))
    diag_error(at->loc, "a set cannot %s in taskc (the set stays inside the "
               "function body): use sorted(s), list(s) or len(s)", what);
  if (t->kind == TY_LIST)
    sema_no_set(at, t->elem, what);
  if (t->kind == TY_DICT && !sema_is_set(t))
    sema_no_set(at, t->val, what);
  if (t->kind == TY_TUPLE)
    for (int i = 0; i < t->n; i++)
      sema_no_set(at, t->elems[i], what);
}

Type *sema_dict_display(Checker *c, Node *n) {
  if (!n->nitems)
    return ty_dict(ty_any, ty_any); /* types come from later stores */
  Type *r = sema_record_display(c, n); /* sema_record.c */
  if (r)
    return r;
  Type *k = NULL, *v = NULL;
  for (int i = 0; i < n->nitems; i++) {
    if (!n->keys[i])
      diag_error(n->items[i]->loc, "'**' in a dict display is not supported "
                 "in function bodies");
    Type *ki = sema_expr(c, n->keys[i]), *vi = sema_expr(c, n->items[i]);
    want_key(n->keys[i], ki);
    sema_no_set(n->items[i], vi, "be a dict value");
    k = k ? join(n->keys[i], k, ki, "dict keys") : ki;
    v = v ? join(n->items[i], v, vi, "dict values") : vi;
  }
  return ty_dict(k, v);
}

Type *sema_set_display(Checker *c, Node *n) {
  if (n->ncomps) { /* {e for x in xs} */
    int first = sema_comp_fors(c, n);
    Type *k = sema_expr(c, n->lhs);
    sema_comp_close(c, first);
    want_key(n->lhs, k);
    return sema_set_of(k);
  }
  Type *k = NULL;
  for (int i = 0; i < n->nitems; i++) {
    if (n->items[i]->kind == N_STARRED)
      diag_error(n->items[i]->loc, "'*' is not supported in function bodies");
    Type *ki = sema_expr(c, n->items[i]);
    want_key(n->items[i], ki);
    k = k ? join(n->items[i], k, ki, "set elements") : ki;
  }
  return sema_set_of(k);
}

Type *sema_dictcomp(Checker *c, Node *n) {
  int first = sema_comp_fors(c, n);
  Type *k = sema_expr(c, n->key), *v = sema_expr(c, n->lhs);
  sema_comp_close(c, first);
  want_key(n->key, k);
  if (v->kind == TY_ANY)
    diag_error(n->lhs->loc, "an empty list needs a type here; build it in a "
               "variable first");
  sema_no_set(n->lhs, v, "be a dict value");
  return ty_dict(k, v);
}

static void check_key(Checker *c, Node *at, Type *d, Type *k) {
  if (d->key->kind == TY_ANY)
    diag_error(at->loc, "the key type of this empty dict is unknown here; "
               "annotate it, e.g. 'd: dict[str, int] = {}'");
  if (!sema_accepts(d->key, k) &&
      !(sema_is_num(d->key) && sema_is_num(k)))
    diag_error(at->loc, "a %s key in a %s", ty_name(k), ty_name(d));
  (void)c;
}

Type *sema_dict_subscript(Checker *c, Node *n, Type *d) {
  if (sema_is_set(d))
    diag_error(n->loc, "'set' object is not subscriptable");
  Type *k = sema_expr(c, n->rhs);
  check_key(c, n->rhs, d, k);
  if (ty_is_record(d))
    return sema_record_item(c, d, n->rhs, false);
  if (d->val->kind == TY_ANY)
    diag_error(n->loc, "the value type of this empty dict is unknown here; "
               "annotate it, e.g. 'd: dict[str, int] = {}'");
  return d->val;
}

/* d[k] = v; a pending `d = {}` local takes its types here. */
Type *sema_dict_store(Checker *c, Node *target, Type *d, Type *v) {
  if (sema_is_set(d))
    diag_error(target->loc, "'set' object does not support item assignment");
  Type *k = sema_expr(c, target->rhs);
  Node *base = target->lhs;
  int slot = base->kind == N_NAME ? sema_local_find(c, base->name) : -1;
  Local *l = slot >= 0 ? &c->info->locals[slot] : NULL;
  if (d->key->kind == TY_ANY && l && l->pending) {
    want_key(target->rhs, k);
    sema_no_set(target, v, "be a dict value");
    l->type = d = ty_dict(k, v);
    l->pending = false;
    l->line = target->loc.line;
    sema_set_type(c, base, d);
  }
  check_key(c, target->rhs, d, k);
  Type *want = ty_is_record(d) ? sema_record_item(c, d, target->rhs, true)
                               : d->val;
  if (!sema_accepts(want, v) && ty_is_record(d))
    diag_error(target->loc, "cannot store %s at this key of a %s (its "
               "values there are %s)", ty_name(v), ty_name(d), ty_name(want));
  if (!sema_accepts(want, v))
    diag_error(target->loc, "cannot store %s in a %s", ty_name(v),
               ty_name(d));
  return want;
}

/* ---- methods ---- */

static const struct {
  const char *name;
  int id, min, max;
  bool set;
} methods[] = {
    {"get", SEMA_DM_GET, 1, 2, false},
    {"items", SEMA_DM_ITEMS, 0, 0, false},
    {"keys", SEMA_DM_KEYS, 0, 0, false},
    {"values", SEMA_DM_VALUES, 0, 0, false},
    {"setdefault", SEMA_DM_SETDEFAULT, 2, 2, false},
    {"pop", SEMA_DM_POP, 1, 2, false},
    {"update", SEMA_DM_UPDATE, 1, 1, false},
    {"copy", SEMA_DM_COPY, 0, 0, false},
    {"clear", SEMA_DM_CLEAR, 0, 0, false},
    {"add", SEMA_DM_ADD, 1, 1, true},
    {"discard", SEMA_DM_DISCARD, 1, 1, true},
    {"copy", SEMA_DM_COPY, 0, 0, true},
    {"clear", SEMA_DM_CLEAR, 0, 0, true},
    {"update", SEMA_DM_UPDATE, 1, 1, true},
};

/* A value (or default) for key values of type vt in dict d. */
static void want_val(Checker *c, Node *e, Type *d, Type *vt) {
  Type *t = sema_expr(c, e);
  if (!sema_accepts(vt, t) && !(t->kind == TY_LIST && vt->kind == TY_LIST &&
                                t->elem->kind == TY_ANY)) {
    if (ty_is_record(d))
      diag_error(e->loc, "a %s value for this key of a %s (its values "
                 "there are %s)", ty_name(t), ty_name(d), ty_name(vt));
    diag_error(e->loc, "a %s value for a %s", ty_name(t), ty_name(d));
  }
}

/* counts = {} ... counts.get(w, 0): the first get or setdefault with a
 * default decides the types of an empty dict, as the first append does a
 * list's (`d.setdefault(k, [])` leaves the list's element type open, so
 * it needs an annotation). */
static Type *first_use(Checker *c, Node *n, Type *d) {
  Node *base = n->lhs->lhs;
  int slot = base->kind == N_NAME ? sema_local_find(c, base->name) : -1;
  Local *l = slot >= 0 ? &c->info->locals[slot] : NULL;
  if (!l || !l->pending)
    return d;
  Type *k = sema_expr(c, n->items[0]), *v = sema_expr(c, n->items[1]);
  if (v->kind == TY_ANY || (v->kind == TY_LIST && v->elem->kind == TY_ANY))
    return d;
  want_key(n->items[0], k);
  sema_no_set(n->items[1], v, "be a dict value");
  l->type = d = ty_dict(k, v);
  l->pending = false;
  l->line = n->loc.line;
  sema_set_type(c, base, d);
  return d;
}

Type *sema_dict_method(Checker *c, Node *n, Type *d) {
  Node *f = n->lhs;
  bool set = sema_is_set(d);
  int k = -1;
  for (size_t i = 0; i < sizeof methods / sizeof *methods; i++)
    if (methods[i].set == set && !strcmp(f->name, methods[i].name))
      k = (int)i;
  if (k < 0)
    diag_error(f->loc, "'%s' object has no attribute '%s' in function "
               "bodies", set ? "set" : "dict", f->name);
  if (n->nkws)
    diag_error(n->kws[0]->loc, "%s() takes no keyword arguments", f->name);
  if (n->nitems < methods[k].min || n->nitems > methods[k].max)
    diag_error(n->loc, "%s() takes %d to %d arguments (%d given)", f->name,
               methods[k].min, methods[k].max, n->nitems);
  int id = methods[k].id;
  if (d->key->kind == TY_ANY && (id == SEMA_DM_GET || id == SEMA_DM_SETDEFAULT)
      && n->nitems == 2)
    d = first_use(c, n, d);
  NodeInfo *ni = sema_note(c, n);
  ni->method = SEMA_M_METHOD;
  ni->slot = id;
  if (d->key->kind == TY_ANY && id != SEMA_DM_CLEAR && id != SEMA_DM_COPY)
    diag_error(f->lhs->loc, "the types of this empty %s are unknown here; "
               "annotate it, e.g. 'd: dict[str, int] = {}'",
               set ? "set" : "dict");
  if (n->nitems && id != SEMA_DM_UPDATE)
    check_key(c, n->items[0], d, sema_expr(c, n->items[0]));
  Type *kv[2] = {d->key, d->val}, *vt = d->val;
  if (ty_is_record(d) && (id == SEMA_DM_GET || id == SEMA_DM_POP ||
                          id == SEMA_DM_SETDEFAULT))
    vt = sema_record_method(c, n, d, id); /* sema_record.c */
  switch (id) {
  case SEMA_DM_GET:
    if (n->nitems == 1)
      diag_error(n->loc, "d.get(k) may return None, which a function body "
                 "cannot mix with %s values: give a default, d.get(k, "
                 "default)", ty_name(vt ? vt : d->val));
    if (!vt) /* a key no record has: always the default */
      return sema_expr(c, n->items[1]);
    want_val(c, n->items[1], d, vt);
    return vt;
  case SEMA_DM_ITEMS:
    return ty_list(ty_tuple(kv, 2));
  case SEMA_DM_KEYS:
    return ty_list(d->key);
  case SEMA_DM_VALUES:
    return ty_list(d->val);
  case SEMA_DM_SETDEFAULT:
    want_val(c, n->items[1], d, vt);
    return vt;
  case SEMA_DM_POP:
    if (n->nitems == 2)
      want_val(c, n->items[1], d, vt);
    return vt;
  case SEMA_DM_UPDATE: {
    Type *o = sema_expr(c, n->items[0]);
    if (o != d)
      diag_error(n->items[0]->loc, "update() of a %s with %s is not "
                 "supported in function bodies (the same type is)",
                 ty_name(d), ty_name(o));
    return ty_none;
  }
  case SEMA_DM_COPY:
    return d;
  default: /* clear, add, discard */
    return ty_none;
  }
}

/* s | t, s & t, s - t of two sets of one key type; NULL if not sets. */
Type *sema_set_binop(OpCode op, Type *l, Type *r, Loc loc) {
  if (!sema_is_set(l) || !sema_is_set(r))
    return NULL;
  if (op != OP_BITOR && op != OP_BITAND && op != OP_SUB && op != OP_BITXOR)
    return NULL;
  if (l != r)
    diag_error(loc, "sets of different types (%s and %s) in a function "
               "body", ty_name(l->key), ty_name(r->key));
  return l;
}
