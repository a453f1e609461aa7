/* bag_str.c - b.str: Dask's StringAccessor. b.str.lower() is
 * b.map(methodcaller('lower')): each element's str method, keyed
 * '<method>-<token>' as Dask's funcname names a methodcaller. */
#include <string.h>

#include "bag.h"

typedef struct BagStr {
  Coll coll; /* ops: bag_str_ops */
  Value *bag;
} BagStr;

static const CollOps bag_str_ops;

Value *bag_str_accessor(Eval *e, Value *self) {
  BagStr *s = ARENA_NEW(eval_arena(e), BagStr);
  s->coll.ops = &bag_str_ops;
  s->bag = self;
  v_pin(self); /* the accessor holds it */
  return v_coll(eval_arena(e), &s->coll);
}

static const char *str_repr(Arena *a, const Value *v) {
  (void)v;
  return arena_strdup(a, "<dask.bag.core.StringAccessor>");
}

static Value *str_attr(Eval *e, Value *v, const char *name, Loc loc) {
  if (!strcmp(name, "match"))
    diag_error(loc, "taskc limit: b.str.match (fnmatch patterns) is not supported; use "
               "b.filter(lambda s: ...)");
  return v_method(eval_arena(e), v, arena_strdup(eval_arena(e), name));
}

/* b.str.name(args...): `_x.name(_a1, ...)` on each element. */
static Value *str_method(Eval *e, Value *v, const char *name, Args *a) {
  Arena *ar = eval_arena(e);
  Bag *b = bag_of(((BagStr *)v->coll)->bag);
  const char *args = "", *params = "";
  for (int i = 0; i < a->npos; i++) {
    args = arena_printf(ar, "%s%s_a%d", args, i ? ", " : "", i + 1);
    params = arena_printf(ar, "%s, _a%d", params, i + 1);
  }
  for (int i = 0; i < a->nkw; i++) {
    args = arena_printf(ar, "%s%s%s=_a%d", args, a->npos || i ? ", " : "", a->kw_names[i],
                        a->npos + i + 1);
    params = arena_printf(ar, "%s, _a%d", params, a->npos + i + 1);
  }
  Value **extra = ARENA_ARRAY(ar, Value *, a->npos + a->nkw + 1);
  const char *what = name;
  for (int i = 0; i < a->npos + a->nkw; i++) {
    extra[i] = i < a->npos ? a->pos[i] : a->kw[i - a->npos];
    if (extra[i]->kind == V_COLL || extra[i]->kind == V_DELAYED)
      diag_error(a->loc, "taskc limit: the arguments of b.str.%s must be known at compile time",
                 name);
    what = arena_printf(ar, "%s|%s", what, v_repr(ar, extra[i]));
  }
  Value *def = bag_def(e, a->loc, "def _bag_str_%s(_p%s):\n    return [_x.%s(%s) for _x in _p]\n",
                       name, params, name, args);
  return bag_value(e, bag_each(e, b, bag_name(e, name, b, what), def, extra, a->npos + a->nkw,
                               a->loc));
}

static Value *str_getitem(Eval *e, Value *v, Node *index) {
  (void)e, (void)v;
  diag_error(index->loc, "'StringAccessor' object is not subscriptable");
}

static const CollOps bag_str_ops = {
    .type_name = "StringAccessor",
    .repr = str_repr,
    .attr = str_attr,
    .method = str_method,
    .getitem = str_getitem,
};
