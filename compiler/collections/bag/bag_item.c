/* bag_item.c - dask.bag.Item: the one value a bag reduction gives (b.sum(),
 * b.count(), b.fold(...), ...), with what Dask's class has: compute(),
 * persist(), visualize(), key, to_delayed(), and apply(f), a task f(item)
 * keyed '<funcname>-<token>' (Dask's Item.apply: b.sum().apply(str)). As
 * in Dask an Item has no operators, attributes of its value, indexing or
 * calls: to_delayed() gives a delayed value that has them. */
#include <string.h>

#include "bag.h"

typedef struct BagItem {
  Coll coll;
  Task *task;
} BagItem;

static const CollOps item_ops;

Value *bag_item(Eval *e, Task *t) {
  BagItem *it = ARENA_NEW(eval_arena(e), BagItem);
  it->coll.ops = &item_ops;
  it->task = t;
  return v_coll(eval_arena(e), &it->coll);
}

static Task *item_task(Eval *e, Value *v, Loc loc) {
  (void)e, (void)loc;
  return ((BagItem *)v->coll)->task;
}

static const char *key_text(Arena *a, const Value *v) {
  const Val *key = ((const BagItem *)v->coll)->task->key;
  return key && key->kind == VAL_STR ? key->str.s : val_repr(a, key);
}

static const char *item_repr(Arena *a, const Value *v) {
  return arena_printf(a, "Item('%s')", key_text(a, v));
}

static const char *methods[] = {"apply", "compute", "persist", "visualize", "to_delayed", NULL};

static Value *item_attr(Eval *e, Value *v, const char *name, Loc loc) {
  Arena *a = eval_arena(e);
  if (!strcmp(name, "key") || !strcmp(name, "name")) {
    const char *k = key_text(a, v);
    return v_str(a, k, (int)strlen(k));
  }
  for (int i = 0; methods[i]; i++)
    if (!strcmp(name, methods[i]))
      return v_method(a, v, methods[i]);
  diag_error(loc, "'Item' object has no attribute '%s' (an Item has apply, compute, persist, "
             "visualize, to_delayed and key; .to_delayed() gives a delayed value)", name);
}

/* item.apply(func): Dask's Item.apply, a task func(item) */
static Value *apply(Eval *e, Value *v, Args *a) {
  eval_args_no_kw(e, a, "apply");
  eval_args_count(e, a, "apply", 1, 1);
  Value *f = a->pos[0];
  if (!v_is_callable(f))
    diag_error(a->pos_loc[0], "apply() takes a function, got %s", v_type_name(f));
  Arena *ar = eval_arena(e);
  const char *call = bag_call(e, f, a->pos_node ? a->pos_node[0] : NULL, "_v", a->loc);
  Value *def = bag_def(e, a->loc, "def %s(_v):\n    return %s\n", bag_fresh(e, "apply"), call);
  const char *name = bag_name(e, bag_funcname(f), NULL,
                              arena_printf(ar, "%s|%s|apply", key_text(ar, v), call));
  return bag_item(e, bag_task(e, def, val_str(ar, name, (int)strlen(name)), &v, 1, a->loc));
}

static Value *item_method(Eval *e, Value *v, const char *name, Args *a) {
  if (!strcmp(name, "apply"))
    return apply(e, v, a);
  if (!strcmp(name, "compute") || !strcmp(name, "persist"))
    return eval_compute(e, v, a, !strcmp(name, "persist"));
  if (!strcmp(name, "visualize"))
    return eval_visualize(e, v, a);
  if (!strcmp(name, "to_delayed")) {
    static const char *kws[] = {"optimize_graph", NULL};
    eval_args_check_kw(e, a, "to_delayed", kws);
    eval_args_count(e, a, "to_delayed", 0, 0);
    return v_task(eval_arena(e), V_DELAYED, ((BagItem *)v->coll)->task);
  }
  diag_error(a->loc, "'Item' object has no attribute '%s' (an Item has apply, compute, "
             "persist, visualize, to_delayed and key; .to_delayed() gives a delayed value)",
             name);
}

static Value *item_getitem(Eval *e, Value *v, Node *index) {
  (void)e, (void)v;
  diag_error(index->loc, "'Item' object is not subscriptable (use .apply(f) or .to_delayed())");
}

static bool item_truthy(Eval *e, Value *v, Loc loc) {
  (void)e, (void)v;
  diag_error(loc, "the truth value of an Item is only known at run time (Dask's bool() "
             "computes it; use .compute())");
}

/* Pictures (coll_picture.h): the item's task is the root, drawn as the
 * bag's tasks are, with Dask's layers for the stages it fused. */
static int item_roots(Eval *e, Value *self, Task ***out) {
  Task **r = ARENA_ARRAY(eval_arena(e), Task *, 1);
  r[0] = ((BagItem *)self->coll)->task;
  *out = r;
  return 1;
}

static PicLayer *item_picture(Eval *e, Value *self, bool optimize) {
  if (optimize)
    return NULL;
  return pic_mirror(e, &((BagItem *)self->coll)->task, 1);
}

static const CollOps item_ops = {
    .type_name = "Item",
    .repr = item_repr,
    .attr = item_attr,
    .method = item_method,
    .getitem = item_getitem,
    .truthy = item_truthy,
    .task = item_task,
    .roots = item_roots,
    .picture = item_picture,
};
