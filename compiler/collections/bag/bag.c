/* bag.c - bag values: allocation, keys, the defs a bag writes, and the ops
 * table the evaluator sees (attributes, methods, the whole-value task). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bag.h"

Bag *bag_alloc(Eval *e, const char *name, int nparts) {
  Arena *a = eval_arena(e);
  Bag *b = ARENA_NEW(a, Bag);
  memset(b, 0, sizeof *b);
  b->coll.ops = &bag_ops;
  b->name = name;
  b->nparts = nparts;
  b->parts = ARENA_ARRAY(a, Task *, nparts + 1);
  eval_step(e, eval_loc(e), nparts); /* partitions are work: the step limit */
  return b;
}

Value *bag_value(Eval *e, Bag *b) { return v_coll(eval_arena(e), &b->coll); }

Val *bag_key(Eval *e, const char *name, int i) {
  Arena *a = eval_arena(e);
  Val *key[2] = {val_str(a, name, (int)strlen(name)), val_int(a, i)};
  return val_seq(a, VAL_TUPLE, key, 2);
}

const char *bag_name(Eval *e, const char *prefix, const Bag *b, const char *what) {
  return coll_token_name(e, prefix,
                         arena_printf(eval_arena(e), "%s|%s|%s", prefix, b ? b->name : "", what));
}

typedef struct BagState {
  int ndefs; /* written defs so far: their names' numbers */
} BagState;

const char *bag_fresh(Eval *e, const char *what) {
  BagState *s = eval_coll_state(e, COLL_BAG, sizeof *s);
  return arena_printf(eval_arena(e), "_bag_%s_%d", what, ++s->ndefs);
}

Value *bag_def(Eval *e, Loc loc, const char *fmt, ...) {
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *text = arena_alloc(eval_arena(e), (size_t)n + 1);
  vsnprintf(text, (size_t)n + 1, fmt, ap2);
  va_end(ap2);
  return eval_def_text(e, text, loc);
}

const char *bag_call(Eval *e, Value *f, Node *fx, const char *args, Loc loc) {
  return arena_printf(eval_arena(e), "%s(%s)", eval_callable_name(e, f, fx, loc), args);
}

Task *bag_task(Eval *e, Value *def, Val *key, Value **args, int n, Loc loc) {
  Func *fn = def->func->fn;
  if (!fn->label && key) {
    const Val *name = key->kind == VAL_TUPLE ? key->seq.items[0] : key;
    fn->label = key_split(eval_arena(e), name->str.s);
  }
  return eval_fn_task(e, def, key, args, n, loc);
}

Bag *bag_each(Eval *e, Bag *b, const char *name, Value *def, Value **extra, int nextra,
              Loc loc) {
  Arena *a = eval_arena(e);
  Bag *out = bag_alloc(e, name, b->nparts);
  Value **args = ARENA_ARRAY(a, Value *, nextra + 1);
  for (int i = 0; i < b->nparts; i++) {
    args[0] = bag_part(e, b, i);
    for (int j = 0; j < nextra; j++) {
      if (!bag_is(extra[j])) {
        args[1 + j] = extra[j];
        continue;
      }
      Bag *o = bag_of(extra[j]);
      if (o->nparts != b->nparts)
        diag_error(loc, "all bags must have the same number of partitions (%d and %d)",
                   b->nparts, o->nparts);
      args[1 + j] = bag_part(e, o, i);
    }
    out->parts[i] = bag_task(e, def, bag_key(e, name, i), args, 1 + nextra, loc);
  }
  return out;
}

/* dask.utils.funcname: how Dask names a function in keys. */
const char *bag_funcname(Value *f) {
  while (f->kind == V_DFUNC)
    f = f->dfunc.target;
  if (f->kind == V_FUNC)
    return f->func->fn->name;
  if (f->kind == V_LAMBDA)
    return "lambda";
  if (f->kind == V_BUILTIN) {
    const char *dot = strrchr(f->bi.name, '.');
    return dot ? dot + 1 : f->bi.name;
  }
  return v_type_name(f);
}

/* ---- what the evaluator asks ---- */

/* dask.utils.key_split of the name: its leading words, without the token. */
static const char *kind_of(Arena *a, const char *name) {
  const char *dash = strrchr(name, '-');
  return dash && strlen(dash + 1) == 32 ? arena_strndup(a, name, (size_t)(dash - name)) : name;
}

static const char *bag_repr(Arena *a, const Value *v) {
  const Bag *b = (const Bag *)v->coll;
  return arena_printf(a, "dask.bag<%s, npartitions=%d>", kind_of(a, b->name), b->nparts);
}

static const char *supported =
    "supported: map, filter, remove, flatten, pluck, starmap, map_partitions, str, sum, count, "
    "min, max, any, all, mean, var, std, frequencies, topk, distinct, foldby, fold, reduction, "
    "groupby, accumulate, repartition, product, to_textfiles, to_dataframe, "
    "take, compute, persist, visualize, npartitions, name";

static Value *bag_attr(Eval *e, Value *v, const char *name, Loc loc) {
  Bag *b = bag_of(v);
  if (!strcmp(name, "npartitions"))
    return eval_mk_int(e, b->nparts);
  if (!strcmp(name, "name"))
    return v_str(eval_arena(e), b->name, (int)strlen(b->name));
  if (!strcmp(name, "str"))
    return bag_str_accessor(e, v);
  static const char *methods[] = {
      "map", "filter", "remove", "flatten", "pluck", "starmap", "map_partitions", "sum",
      "count", "min", "max", "any", "all", "mean", "var", "std", "frequencies", "topk",
      "distinct", "foldby", "fold", "reduction", "groupby", "accumulate", "repartition",
      "to_textfiles", "to_dataframe", "product", "take", "compute", "persist", "visualize",
      NULL};
  for (int i = 0; methods[i]; i++)
    if (!strcmp(name, methods[i]))
      return v_method(eval_arena(e), v, methods[i]);
  diag_error(loc, "'Bag' attribute '%s' is not supported by taskc (%s)", name, supported);
}

/* b.take(k): the first k elements of partition 0, computed at once (an
 * output, as Dask computes it) as a tuple. */
static Value *take(Eval *e, Bag *b, Args *a) {
  static const char *kws[] = {"npartitions", "compute", "warn", NULL};
  eval_args_check_kw(e, a, "take", kws);
  eval_args_count(e, a, "take", 1, 1);
  int at;
  Value *np = eval_arg_kw(a, "npartitions", &at);
  if (np && eval_need_int(e, np, a->kw_loc[at], "npartitions") != 1)
    diag_error(a->kw_loc[at], "taskc limit: take(npartitions=) other than 1");
  int64_t k = eval_need_int(e, a->pos[0], a->pos_loc[0], "take(k)");
  Value *def = bag_def(e, a->loc, "def _bag_take(_p, _k):\n    return _p[:_k]\n");
  Value *args[2] = {bag_part(e, b, 0), eval_mk_int(e, k)};
  Task *t = eval_fn_task(e, def, NULL, args, 2, a->loc);
  Value *d = v_task(eval_arena(e), V_DELAYED, t);
  const char *name = bag_name(e, "take", b, arena_printf(eval_arena(e), "%lld", (long long)k));
  t = eval_op_task(e, "tuple", val_str(eval_arena(e), name, (int)strlen(name)), &d, 1, a->loc);
  d = v_task(eval_arena(e), V_DELAYED, t);
  return eval_compute(e, d, eval_args_new(e, a->loc, 0, NULL), false);
}

static Value *bag_method(Eval *e, Value *v, const char *name, Args *a) {
  Bag *b = bag_of(v);
  if (!strcmp(name, "compute") || !strcmp(name, "persist"))
    return eval_compute(e, v, a, !strcmp(name, "persist"));
  if (!strcmp(name, "visualize"))
    return eval_visualize(e, v, a);
  if (!strcmp(name, "take"))
    return take(e, b, a);
  if (!strcmp(name, "groupby"))
    return bag_groupby(e, b, a);
  if (!strcmp(name, "accumulate"))
    return bag_accumulate(e, b, a);
  if (!strcmp(name, "repartition"))
    return bag_repartition(e, b, a);
  if (!strcmp(name, "product"))
    return bag_product(e, b, a);
  if (!strcmp(name, "to_textfiles"))
    return bag_to_textfiles(e, b, a);
  if (!strcmp(name, "to_dataframe"))
    return bag_to_dataframe(e, b, a);
  Value *r = bag_map_method(e, b, name, a);
  if (!r)
    r = bag_reduce_method(e, b, name, a);
  if (!r)
    diag_error(a->loc, "'Bag' method '%s' is not supported by taskc (%s)", name, supported);
  return r;
}

static Value *bag_getitem(Eval *e, Value *v, Node *index) {
  (void)e, (void)v;
  diag_error(index->loc, "'Bag' object is not subscriptable (a bag has no order to index; "
             "use take, pluck or map)");
}

static bool bag_truthy(Eval *e, Value *v, Loc loc) {
  (void)e, (void)v;
  diag_error(loc, "the truth value of a Bag is only known at run time");
}

/* The whole value: Dask's finalize, the partitions concatenated. */
static Task *bag_whole(Eval *e, Value *v, Loc loc) {
  Bag *b = bag_of(v);
  if (b->whole)
    return b->whole;
  Arena *a = eval_arena(e);
  Value **parts = ARENA_ARRAY(a, Value *, b->nparts + 1);
  for (int i = 0; i < b->nparts; i++)
    parts[i] = bag_part(e, b, i);
  Value *def = bag_def(e, loc, "def _bag_concat(_ps):\n"
                               "    return [_x for _q in _ps for _x in _q]\n");
  Value *list = eval_mk_list(e, parts, b->nparts);
  b->whole = eval_fn_task(e, def, NULL, &list, 1, loc);
  def->func->fn->label = "finalize";
  return b->whole;
}

const CollOps bag_ops = {
    .type_name = "Bag",
    .repr = bag_repr,
    .attr = bag_attr,
    .method = bag_method,
    .getitem = bag_getitem,
    .truthy = bag_truthy,
    .task = bag_whole,
    .roots = bag_roots,
    .picture = bag_picture,
};

Value *bag_module_attr(Eval *e, const char *m, const char *name, Loc loc) {
  (void)loc;
  if (strcmp(m, "dask.bag"))
    return NULL;
  static const struct {
    const char *name;
    BuiltinFn *fn;
  } fns[] = {
      {"from_sequence", bag_from_sequence},
      {"range", bag_range},
      {"from_delayed", bag_from_delayed},
      {"zip", bag_zip},
      {"read_text", bag_read_text},
  };
  for (size_t i = 0; i < sizeof fns / sizeof *fns; i++)
    if (!strcmp(name, fns[i].name))
      return v_builtin(eval_arena(e), arena_printf(eval_arena(e), "dask.bag.%s", name),
                       fns[i].fn);
  return NULL;
}
