/* bag_map.c - the element-wise methods of a bag: map, filter, remove,
 * flatten, pluck, starmap (stages of a chain, bag_chain.c, that become
 * tasks when something needs them), map_partitions and map over other
 * bags (one def over a partition and one task of it per partition,
 * bag_each), keyed as Dask keys them. */
#include <string.h>

#include "bag.h"
#include "ops.h"

/* The call of f inside a written def: f(self, <extra>) with the extra
 * arguments of a->pos[from..] and a->kw as the def's parameters _a1...;
 * element-wise (self "_x"), bags are zipped with the partition (`for _x,
 * _y1 in zip(_p, _a1)`); partition-wise (self "_p") they are partitions
 * too. Anything else is passed as it is. */
typedef struct Call {
  const char *text;   /* F(_x, _a1, k=_a2) */
  const char *params; /* ", _a1, _a2" */
  const char *loop;   /* "_x in _p" or "_x, _a1 in zip(_p, _a1)" */
  Value **extra;
  int nextra;
} Call;

static Call call_of(Eval *e, Value *f, Node *fx, Args *a, int from, const char *self) {
  Arena *ar = eval_arena(e);
  Call c = {0};
  int n = a->npos - from + a->nkw;
  c.extra = ARENA_ARRAY(ar, Value *, n + 1);
  bool zip = !strcmp(self, "_x");
  const char *args = self, *params = "", *targets = "_x", *iters = "_p";
  for (int i = 0; i < n; i++) {
    bool pos = i < a->npos - from;
    Value *v = pos ? a->pos[from + i] : a->kw[i - (a->npos - from)];
    const char *p = arena_printf(ar, "_a%d", i + 1);
    const char *use = p;
    if (bag_is(v) && zip) {
      use = arena_printf(ar, "_y%d", i + 1);
      targets = arena_printf(ar, "%s, %s", targets, use);
      iters = arena_printf(ar, "%s, %s", iters, p);
    }
    args = pos ? arena_printf(ar, "%s, %s", args, use)
               : arena_printf(ar, "%s, %s=%s", args, a->kw_names[i - (a->npos - from)], use);
    params = arena_printf(ar, "%s, %s", params, p);
    c.extra[c.nextra++] = v;
  }
  c.text = bag_call(e, f, fx, args, a->loc);
  c.params = params;
  c.loop = strchr(targets, ',') ? arena_printf(ar, "%s in zip(%s)", targets, iters)
                                 : "_x in _p";
  return c;
}

/* The token of a call: the function and its arguments. */
static const char *what_of(Eval *e, Args *a) {
  Arena *ar = eval_arena(e);
  const char *w = arena_printf(ar, "%d", a->loc.line);
  for (int i = 0; i < a->npos; i++)
    w = arena_printf(ar, "%s|%s", w, bag_is(a->pos[i]) ? bag_of(a->pos[i])->name
                                                       : v_repr(ar, a->pos[i]));
  for (int i = 0; i < a->nkw; i++)
    w = arena_printf(ar, "%s|%s=%s", w, a->kw_names[i], v_repr(ar, a->kw[i]));
  return w;
}

static void need_func(Eval *e, Args *a, const char *method) {
  if (a->npos < 1)
    diag_error(a->loc, "%s() missing 1 required positional argument", method);
  (void)e;
}

/* The call of f on the element and the arguments a->pos[from..], a->kw
 * as a chain stage's text (@x, @c0..); NULL when one is a bag (zipped by
 * a task of its own) or there are more than ten. */
static const char *stage_call(Eval *e, Value *f, Node *fx, Args *a, int from, Value ***extra,
                              int *nextra) {
  Arena *ar = eval_arena(e);
  int n = a->npos - from + a->nkw;
  if (n > 10)
    return NULL;
  *extra = ARENA_ARRAY(ar, Value *, n + 1);
  const char *args = "@x";
  for (int i = 0; i < n; i++) {
    bool pos = i < a->npos - from;
    Value *v = pos ? a->pos[from + i] : a->kw[i - (a->npos - from)];
    if (bag_is(v))
      return NULL;
    args = pos ? arena_printf(ar, "%s, @c%d", args, i)
               : arena_printf(ar, "%s, %s=@c%d", args, a->kw_names[i - (a->npos - from)], i);
    (*extra)[i] = v;
  }
  *nextra = n;
  return bag_call(e, f, fx, args, a->loc);
}

/* SIZE: dask.sizeof of the iterator Dask's partition is (Bag.dask_sizeof) */
static Value *stage(Eval *e, Bag *b, const char *name, BagStage kind, const char *text,
                    Value **extra, int nextra, int size) {
  Arena *ar = eval_arena(e);
  Bag *out = bag_stage(e, b, name, kind, text, extra, nextra, key_split(ar, name));
  out->dask_sizeof = size;
  return bag_value(e, out);
}

enum { MAP_CHUNK = 56, ITERATOR = 48 }; /* _MapChunk; map, filter, starmap */

/* map(json.loads) straight over read_text: typed records (bag_json.c) */
static bool loads_text(Bag *b, Args *a) {
  Value *f = a->pos[0];
  const Op *op = f->kind == V_BUILTIN ? op_lookup(f->bi.name) : NULL;
  return b->text_args && !b->chain && a->npos == 1 && !a->nkw && op &&
         op->id == OP_json_loads;
}

static Value *map(Eval *e, Bag *b, Args *a) {
  need_func(e, a, "map");
  const char *name = bag_name(e, bag_funcname(a->pos[0]), b, what_of(e, a));
  if (loads_text(b, a)) {
    Bag *r = bag_json_records(e, b, name, a->loc);
    r->dask_sizeof = MAP_CHUNK;
    return bag_value(e, r);
  }
  Node *fx = a->pos_node ? a->pos_node[0] : NULL;
  Value **extra;
  int nextra;
  const char *text = stage_call(e, a->pos[0], fx, a, 1, &extra, &nextra);
  if (text)
    return stage(e, b, name, BAG_MAP, text, extra, nextra, MAP_CHUNK);
  Call c = call_of(e, a->pos[0], fx, a, 1, "_x");
  Value *def = bag_def(e, a->loc, "def _bag_map(_p%s):\n    return [%s for %s]\n", c.params,
                       c.text, c.loop);
  Bag *out = bag_each(e, b, name, def, c.extra, c.nextra, a->loc);
  out->dask_sizeof = MAP_CHUNK;
  return bag_value(e, out);
}

/* filter(pred) and remove(pred) */
static Value *select(Eval *e, Bag *b, Args *a, bool keep) {
  const char *method = keep ? "filter" : "remove";
  eval_args_no_kw(e, a, method);
  eval_args_count(e, a, method, 1, 1);
  const char *test = bag_call(e, a->pos[0], a->pos_node ? a->pos_node[0] : NULL, "@x", a->loc);
  const char *prefix = arena_printf(eval_arena(e), "%s-%s", method, bag_funcname(a->pos[0]));
  return stage(e, b, bag_name(e, prefix, b, what_of(e, a)), BAG_FILTER,
               keep ? test : arena_printf(eval_arena(e), "not %s", test), NULL, 0, ITERATOR);
}

static Value *flatten(Eval *e, Bag *b, Args *a) {
  eval_args_no_kw(e, a, "flatten");
  eval_args_count(e, a, "flatten", 0, 0);
  return stage(e, b, bag_name(e, "flatten", b, ""), BAG_FLATTEN, "@x", NULL, 0, 0);
}

/* A key of pluck as Python source: an int or a str. */
static const char *key_text(Eval *e, Value *k, Loc loc) {
  if (k->kind != V_INT && k->kind != V_STR)
    diag_error(loc, "taskc limit: pluck keys are ints or strs, got %s", v_type_name(k));
  return v_repr(eval_arena(e), k);
}

static Value *pluck(Eval *e, Bag *b, Args *a) {
  static const char *kws[] = {"default", NULL};
  eval_args_check_kw(e, a, "pluck", kws);
  eval_args_count(e, a, "pluck", 1, 2);
  Arena *ar = eval_arena(e);
  int at;
  Value *dflt = eval_arg_kw(a, "default", &at);
  if (!dflt && a->npos == 2)
    dflt = a->pos[1];
  Value *k = a->pos[0];
  const char *item;
  if (k->kind == V_LIST) {
    item = "(";
    for (int i = 0; i < k->seq.n; i++)
      item = arena_printf(ar, "%s%s@x[%s]", item, i ? ", " : "",
                          key_text(e, k->seq.items[i], a->pos_loc[0]));
    item = arena_printf(ar, "%s%s)", item, k->seq.n == 1 ? "," : "");
  } else if (dflt) {
    item = arena_printf(ar, "@x.get(%s, @c0)", key_text(e, k, a->pos_loc[0]));
  } else {
    item = arena_printf(ar, "@x[%s]", key_text(e, k, a->pos_loc[0]));
  }
  if (dflt && k->kind == V_LIST)
    diag_error(a->loc, "taskc limit: pluck with a list of keys and a default");
  return stage(e, b, bag_name(e, "pluck", b, what_of(e, a)), BAG_MAP, item, &dflt,
               dflt ? 1 : 0, ITERATOR);
}

/* The number of parameters of f without a default (starmap unpacks that
 * many items of each element). */
static int arity(Eval *e, Value *f, Loc loc) {
  while (f->kind == V_DFUNC)
    f = f->dfunc.target;
  Param *ps = NULL;
  int n = 0;
  if (f->kind == V_FUNC) {
    ps = f->func->def->params;
    n = f->func->def->nparams;
  } else if (f->kind == V_LAMBDA) {
    ps = f->lambda.node->params;
    n = f->lambda.node->nparams;
  } else {
    diag_error(loc, "taskc limit: starmap takes a def or a lambda, got %s", v_type_name(f));
  }
  int k = 0;
  while (k < n && !ps[k].deflt && !ps[k].star)
    k++;
  (void)e;
  return k;
}

static Value *starmap(Eval *e, Bag *b, Args *a) {
  eval_args_count(e, a, "starmap", 1, 1);
  if (a->nkw > 10)
    diag_error(a->loc, "taskc limit: starmap takes at most 10 keyword arguments");
  Arena *ar = eval_arena(e);
  int n = arity(e, a->pos[0], a->pos_loc[0]);
  const char *args = "";
  for (int i = 0; i < n; i++)
    args = arena_printf(ar, "%s%s@x[%d]", args, i ? ", " : "", i);
  for (int i = 0; i < a->nkw; i++)
    args = arena_printf(ar, "%s%s%s=@c%d", args, n || i ? ", " : "", a->kw_names[i], i);
  const char *text = bag_call(e, a->pos[0], a->pos_node ? a->pos_node[0] : NULL, args, a->loc);
  return stage(e, b, bag_name(e, bag_funcname(a->pos[0]), b, what_of(e, a)), BAG_MAP, text,
               a->kw, a->nkw, ITERATOR);
}

static Value *map_partitions(Eval *e, Bag *b, Args *a) {
  need_func(e, a, "map_partitions");
  Call c = call_of(e, a->pos[0], a->pos_node ? a->pos_node[0] : NULL, a, 1, "_p");
  Value *def = bag_def(e, a->loc, "def _bag_map_partitions(_p%s):\n    return %s\n",
                       c.params, c.text);
  const char *name = bag_name(e, bag_funcname(a->pos[0]), b, what_of(e, a));
  return bag_value(e, bag_each(e, b, name, def, c.extra, c.nextra, a->loc));
}

Value *bag_map_method(Eval *e, Bag *b, const char *name, Args *a) {
  if (!strcmp(name, "map"))
    return map(e, b, a);
  if (!strcmp(name, "filter") || !strcmp(name, "remove"))
    return select(e, b, a, name[0] == 'f');
  if (!strcmp(name, "flatten"))
    return flatten(e, b, a);
  if (!strcmp(name, "pluck"))
    return pluck(e, b, a);
  if (!strcmp(name, "starmap"))
    return starmap(e, b, a);
  if (!strcmp(name, "map_partitions"))
    return map_partitions(e, b, a);
  return NULL;
}
