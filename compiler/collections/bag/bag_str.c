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

/* b.str.name(args...): `@x.name(@c0, ...)` on each element, a chain stage. */
static Value *str_method(Eval *e, Value *v, const char *name, Args *a) {
  Arena *ar = eval_arena(e);
  Bag *b = bag_of(((BagStr *)v->coll)->bag);
  if (a->npos + a->nkw > 10)
    diag_error(a->loc, "taskc limit: b.str.%s takes at most 10 arguments", name);
  const char *args = "";
  for (int i = 0; i < a->npos; i++)
    args = arena_printf(ar, "%s%s@c%d", args, i ? ", " : "", i);
  for (int i = 0; i < a->nkw; i++)
    args = arena_printf(ar, "%s%s%s=@c%d", args, a->npos || i ? ", " : "", a->kw_names[i],
                        a->npos + i);
  Value **extra = ARENA_ARRAY(ar, Value *, a->npos + a->nkw + 1);
  const char *what = name;
  for (int i = 0; i < a->npos + a->nkw; i++) {
    extra[i] = i < a->npos ? a->pos[i] : a->kw[i - a->npos];
    if (extra[i]->kind == V_COLL || extra[i]->kind == V_DELAYED)
      diag_error(a->loc, "taskc limit: the arguments of b.str.%s must be known at compile time",
                 name);
    what = arena_printf(ar, "%s|%s", what, v_repr(ar, extra[i]));
  }
  const char *text = arena_printf(ar, "@x.%s(%s)", name, args);
  return bag_value(e, bag_stage(e, b, bag_name(e, name, b, what), BAG_MAP, text, extra,
                                a->npos + a->nkw, name));
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
