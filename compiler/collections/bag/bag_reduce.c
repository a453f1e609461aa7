/* bag_reduce.c - reductions of a bag, as Dask's Bag.reduction builds them:
 * one task per partition, then a tree of aggregates split_every wide (8
 * by default), keyed '<name>-part-<token>' and '<name>-aggregate-<token>'.
 * Dask skips the result of an empty partition (its no_result) unless it
 * is the only one; here a partial result is a list of zero or one
 * values, so an aggregate sees exactly the results Dask's sees.
 * foldby builds its own tree (Dask's reduceby + merge_with). */
#include <string.h>

#include "bag.h"

/* A reduction: expressions in Python source over _p (the partition) and
 * _r (the list of partial results), with the defs they call written. */
typedef struct Reduce {
  const char *part_name, *agg_name; /* Dask's key names' words */
  const char *part, *agg;
  int split_every;                  /* 0: all partitions at once */
  bool bag;                         /* out_type=Bag: one partition */
  /* optional, over a chain's elements one at a time instead of part over
   * a list of them: statements before the loop, the sink (over @x), the
   * result and whether any element came */
  const char *s_before, *s_sink, *s_result, *s_any;
} Reduce;

static const char *concat_r = "[_v for _l in _r for _v in _l]";

/* The per-partition tasks into level[]: r->part over the partition, or
 * over a chain's elements gathered in the same def, or r's sink fed one
 * element at a time. */
static void per_partition(Eval *e, Bag *b, const Reduce *r, const char *pname, Task **level,
                          Loc loc) {
  Arena *ar = eval_arena(e);
  const char *nonempty = b->nparts == 1 ? "" : " if len(_p) > 0 else []";
  Value *part = bag_def(e, loc, "def %s(_p):\n    return [%s]%s\n", bag_fresh(e, "part"),
                        r->part, nonempty);
  Value **extra = NULL;
  int nextra = 0;
  Bag *src = b;
  if (b->chain) {
    const char *fn = bag_fresh(e, "part");
    const char *text =
        r->s_sink
            ? bag_chain_def(e, b, fn, r->s_before, r->s_sink,
                            arena_printf(ar, "    return [%s]%s\n", r->s_result,
                                         b->nparts == 1 ? ""
                                                        : arena_printf(ar, " if %s else []",
                                                                       r->s_any)),
                            &extra, &nextra, &src)
            : bag_chain_def(e, b, fn, "    _q = []\n", "_q.append(@x)",
                            arena_printf(ar, "    return %s(_q)\n",
                                         part->func->fn->name),
                            &extra, &nextra, &src);
    part = eval_def_text(e, text, loc);
  }
  Value **args = ARENA_ARRAY(ar, Value *, nextra + 1);
  if (nextra)
    memcpy(args + 1, extra, sizeof *args * (size_t)nextra);
  for (int i = 0; i < b->nparts; i++) {
    args[0] = bag_part(e, src, i);
    level[i] = bag_task(e, part, bag_key(e, pname, i), args, 1 + nextra, loc);
    bag_note_stages(e, b, level[i]);
  }
}

/* Dask's reduction tree; the final task, keyed as an Item or a Bag's. */
static Task *reduction(Eval *e, Bag *b, const Reduce *r, const char *what, Loc loc) {
  Arena *ar = eval_arena(e);
  int every = r->split_every > 0 ? r->split_every : b->nparts;
  if (every < 2)
    every = 2;
  const char *token = bag_name(e, "", b, arena_printf(ar, "%s|%s|%s|%d", r->part, r->agg, what,
                                                     every)) + 1;
  const char *pname = arena_printf(ar, "%s-part-%s", r->part_name, token);
  const char *fmt = arena_printf(ar, "%s-aggregate-%s", r->agg_name, token);
  int k = b->nparts;
  Task **level = ARENA_ARRAY(ar, Task *, k + 1);
  per_partition(e, b, r, pname, level, loc);
  Value *agg = bag_def(e, loc, "def %s(_rs):\n    _r = [_v for _l in _rs for _v in _l]\n"
                               "    return [%s] if len(_r) > 0 else []\n",
                       bag_fresh(e, "aggregate"), r->agg);
  for (int depth = 0; k > every; depth++) {
    const char *c = arena_printf(ar, "%s%d", fmt, depth);
    int n = (k + every - 1) / every;
    for (int i = 0; i < n; i++) {
      int lo = i * every, hi = lo + every < k ? lo + every : k;
      Value **ins = ARENA_ARRAY(ar, Value *, hi - lo);
      for (int j = lo; j < hi; j++)
        ins[j - lo] = v_task(ar, V_DELAYED, level[j]);
      Value *list = eval_mk_list(e, ins, hi - lo);
      level[i] = bag_task(e, agg, bag_key(e, c, i), &list, 1, loc);
    }
    k = n;
  }
  Value *last = bag_def(e, loc, "def %s(_rs):\n    _r = [_v for _l in _rs for _v in _l]\n"
                                "    return %s\n", bag_fresh(e, "aggregate"), r->agg);
  Value **ins = ARENA_ARRAY(ar, Value *, k);
  for (int j = 0; j < k; j++)
    ins[j] = v_task(ar, V_DELAYED, level[j]);
  Value *list = eval_mk_list(e, ins, k);
  Val *key = r->bag ? bag_key(e, fmt, 0) : val_str(ar, fmt, (int)strlen(fmt));
  Task *t = bag_task(e, last, key, &list, 1, loc);
  pic_note_mirror(e, t); /* a delayed value: its picture is the bag's */
  return t;
}

static Value *item(Eval *e, Task *t) { return bag_item(e, t); }

/* A bag of one partition, the task t keyed (name, 0). */
static Value *one_part_bag(Eval *e, Task *t) {
  Bag *out = bag_alloc(e, t->key->seq.items[0]->str.s, 1);
  out->parts[0] = t;
  return bag_value(e, out);
}

static int split_every(Eval *e, Args *a) {
  int at;
  Value *v = eval_arg_kw(a, "split_every", &at);
  if (!v || v->kind == V_NONE)
    return 8;
  if (v->kind == V_BOOL && !v->i)
    return 0;
  return (int)eval_need_int(e, v, a->kw_loc[at], "split_every");
}

/* sum, count, min, max, any, all: a builtin per partition and over the
 * partial results */
static Value *simple(Eval *e, Bag *b, const char *name, Args *a) {
  static const char *kws[] = {"split_every", NULL};
  eval_args_check_kw(e, a, name, kws);
  eval_args_count(e, a, name, 0, 0);
  Arena *ar = eval_arena(e);
  bool count = !strcmp(name, "count");
  const char *agg = count ? "sum" : name;
  Reduce r = {count ? "count" : name, agg, arena_printf(ar, "%s(_p)", count ? "len" : name),
              arena_printf(ar, "%s(_r)", agg), split_every(e, a), false, NULL, NULL, NULL, NULL};
  if (count) { /* a chain's elements counted as they come */
    r.s_before = "    _n = 0\n";
    r.s_sink = "_n += 1";
    r.s_result = "_n";
    r.s_any = "_n > 0";
  }
  return item(e, reduction(e, b, &r, name, a->loc));
}

/* mean and var: Dask's chunk and aggregate functions, one pass each */
static Value *moments(Eval *e, Bag *b, const char *name, Args *a) {
  bool var = strcmp(name, "mean") != 0;
  static const char *kws[] = {"ddof", NULL};
  eval_args_check_kw(e, a, name, var ? kws : kws + 1);
  eval_args_count(e, a, name, 0, var ? 1 : 0);
  int64_t ddof = 0;
  int at;
  Value *d = eval_arg_kw(a, "ddof", &at);
  if (d)
    ddof = eval_need_int(e, d, a->kw_loc[at], "ddof");
  else if (a->npos)
    ddof = eval_need_int(e, a->pos[0], a->pos_loc[0], "ddof");
  const char *chunk = bag_fresh(e, "chunk"), *agg = bag_fresh(e, "aggregate");
  if (!var) {
    bag_def(e, a->loc, "def %s(_p):\n    _t = 0.0\n    _n = 0\n    for _x in _p:\n"
                       "        _t += _x\n        _n += 1\n    return (_t, _n)\n", chunk);
    bag_def(e, a->loc, "def %s(_r):\n    return 1.0 * sum([_c[0] for _c in _r]) / "
                       "sum([_c[1] for _c in _r])\n", agg);
  } else {
    bag_def(e, a->loc, "def %s(_p):\n    _s = 0.0\n    _t = 0.0\n    _n = 0\n"
                       "    for _x in _p:\n        _s += _x ** 2\n        _t += _x\n"
                       "        _n += 1\n    return (_s, _t, _n)\n", chunk);
    bag_def(e, a->loc, "def %s(_r):\n    _x2 = float(sum([_c[0] for _c in _r]))\n"
                       "    _x = float(sum([_c[1] for _c in _r]))\n"
                       "    _n = sum([_c[2] for _c in _r])\n"
                       "    _v = (_x2 / _n) - (_x / _n) ** 2\n"
                       "    return _v * _n / (_n - %lld)\n", agg, (long long)ddof);
  }
  Arena *ar = eval_arena(e);
  Reduce r = {var ? "var_chunk" : "mean_chunk", var ? "var_aggregate" : "mean_aggregate",
              arena_printf(ar, "%s(_p)", chunk), arena_printf(ar, "%s(_r)", agg), 0, false, NULL, NULL, NULL, NULL};
  Task *t = reduction(e, b, &r, arena_printf(ar, "%s|%lld", name, (long long)ddof), a->loc);
  if (strcmp(name, "std"))
    return item(e, t);
  /* Item.apply(math.sqrt) */
  Value *v = item(e, t);
  const char *key = bag_name(e, "sqrt", NULL, val_repr(ar, t->key));
  return item(e, eval_op_task(e, "math.sqrt", val_str(ar, key, (int)strlen(key)), &v, 1, a->loc));
}

/* The source of a key function applied to _e: a callable (taking the
 * element, or its items when it takes several), or an index. */
static const char *key_call(Eval *e, Value *k, Node *kx, Loc loc) {
  Arena *ar = eval_arena(e);
  if (k->kind == V_INT || k->kind == V_STR)
    return arena_printf(ar, "_e[%s]", v_repr(ar, k));
  int n = 1;
  if (k->kind == V_LAMBDA)
    n = k->lambda.node->nparams;
  else if (k->kind == V_FUNC)
    n = k->func->def->nparams;
  const char *args = "_e";
  if (n > 1) { /* Dask: partial(apply, key) */
    args = "";
    for (int i = 0; i < n; i++)
      args = arena_printf(ar, "%s%s_e[%d]", args, i ? ", " : "", i);
  }
  return bag_call(e, k, kx, args, loc);
}

/* a keyword or the positional argument at pos */
static Value *arg(Args *a, int pos, const char *kw, Node **node, Loc *loc) {
  int at;
  Value *v = eval_arg_kw(a, kw, &at);
  if (v) {
    *node = NULL;
    *loc = a->kw_loc[at];
    return v;
  }
  if (a->npos > pos) {
    *node = a->pos_node ? a->pos_node[pos] : NULL;
    *loc = a->pos_loc[pos];
    return a->pos[pos];
  }
  *node = NULL;
  *loc = a->loc;
  return NULL;
}

static Value *topk(Eval *e, Bag *b, Args *a) {
  static const char *kws[] = {"k", "key", "split_every", NULL};
  eval_args_check_kw(e, a, "topk", kws);
  eval_args_count(e, a, "topk", 0, 2);
  Arena *ar = eval_arena(e);
  Node *kx;
  Loc kl;
  Value *kv = arg(a, 0, "k", &kx, &kl);
  if (!kv)
    diag_error(a->loc, "topk() missing 1 required positional argument: 'k'");
  int64_t k = eval_need_int(e, kv, kl, "topk(k)");
  Value *key = arg(a, 1, "key", &kx, &kl);
  const char *by = "";
  if (key && key->kind != V_NONE) {
    const char *fn = bag_fresh(e, "key");
    bag_def(e, a->loc, "def %s(_e):\n    return %s\n", fn, key_call(e, key, kx, kl));
    by = arena_printf(ar, "key=%s, ", fn);
  }
  /* toolz.topk is heapq.nlargest: sorted(reverse=True)[:k], stable */
  Reduce r = {"topk", "topk", arena_printf(ar, "sorted(_p, %sreverse=True)[:%lld]", by,
                                           (long long)k),
              arena_printf(ar, "sorted(%s, %sreverse=True)[:%lld]", concat_r, by, (long long)k),
              split_every(e, a), true, NULL, NULL, NULL, NULL};
  return one_part_bag(e, reduction(e, b, &r, arena_printf(ar, "%lld", (long long)k), a->loc));
}

static Value *distinct(Eval *e, Bag *b, Args *a) {
  static const char *kws[] = {"key", NULL};
  eval_args_check_kw(e, a, "distinct", kws);
  eval_args_count(e, a, "distinct", 0, 1);
  Arena *ar = eval_arena(e);
  Node *kx;
  Loc kl;
  Value *key = arg(a, 0, "key", &kx, &kl);
  const char *by = key && key->kind != V_NONE ? key_call(e, key, kx, kl) : "_e";
  const char *fn = bag_fresh(e, "unique");
  /* toolz.unique: first occurrences, in order */
  bag_def(e, a->loc, "def %s(_s):\n    _seen = {%s: 1 for _e in _s[:0]}\n    _out = []\n"
                     "    for _e in _s:\n"
                     "        _k = %s\n        if _k not in _seen:\n"
                     "            _seen[_k] = 1\n            _out.append(_e)\n    return _out\n",
          fn, by, by);
  Reduce r = {"distinct", "distinct", arena_printf(ar, "%s(_p)", fn),
              arena_printf(ar, "%s(%s)", fn, concat_r), 8, true, NULL, NULL, NULL, NULL};
  return one_part_bag(e, reduction(e, b, &r, by, a->loc));
}

/* A one-partition bag of def(t) (frequencies' dictitems, its sort). */
static Value *then(Eval *e, Task *t, const char *prefix, const char *body, Loc loc) {
  const char *name = bag_name(e, prefix, NULL, val_repr(eval_arena(e), t->key));
  Value *def = bag_def(e, loc, "def %s(_p):\n    return %s\n", bag_fresh(e, prefix), body);
  Value *in = item(e, t);
  return one_part_bag(e, bag_task(e, def, bag_key(e, name, 0), &in, 1, loc));
}

static Value *frequencies(Eval *e, Bag *b, Args *a) {
  static const char *kws[] = {"split_every", "sort", NULL};
  eval_args_check_kw(e, a, "frequencies", kws);
  eval_args_count(e, a, "frequencies", 0, 0);
  Arena *ar = eval_arena(e);
  const char *count = bag_fresh(e, "frequencies"), *merge = bag_fresh(e, "merge");
  bag_def(e, a->loc, "def %s(_p):\n    _d = {}\n    for _x in _p:\n"
                     "        _d[_x] = _d.get(_x, 0) + 1\n    return _d\n", count);
  bag_def(e, a->loc, "def %s(_r):\n    _out = {}\n    for _d in _r:\n"
                     "        for _k, _v in _d.items():\n"
                     "            _out[_k] = _out.get(_k, 0) + _v\n    return _out\n", merge);
  Reduce r = {"frequencies", "frequencies", arena_printf(ar, "%s(_p)", count),
              arena_printf(ar, "%s(_r)", merge), split_every(e, a), true,
              "    _d = {}\n", "_d[@x] = _d.get(@x, 0) + 1", "_d", "len(_d) > 0"};
  Task *t = reduction(e, b, &r, "", a->loc);
  Value *items = then(e, t, "dictitems", "list(_p.items())", a->loc);
  int at;
  Value *sort = eval_arg_kw(a, "sort", &at);
  if (!sort || !eval_truthy(e, sort, a->kw_loc[at]))
    return items;
  return then(e, bag_of(items)->parts[0], "sorted",
              "sorted(_p, key=lambda _kv: _kv[1], reverse=True)", a->loc);
}

/* fold(binop, combine=None, initial=no_default): functools.reduce per
 * partition and over the partial results */
static Value *fold(Eval *e, Bag *b, Args *a) {
  static const char *kws[] = {"binop", "combine", "initial", "split_every", "out_type", NULL};
  eval_args_check_kw(e, a, "fold", kws);
  eval_args_count(e, a, "fold", 0, 3);
  Arena *ar = eval_arena(e);
  Node *bx, *cx, *ix;
  Loc bl, cl, il;
  Value *binop = arg(a, 0, "binop", &bx, &bl);
  Value *combine = arg(a, 1, "combine", &cx, &cl);
  Value *initial = arg(a, 2, "initial", &ix, &il);
  if (!binop)
    diag_error(a->loc, "fold() missing 1 required positional argument: 'binop'");
  if (!combine || combine->kind == V_NONE) {
    combine = binop;
    cx = bx;
  }
  if (initial && (initial->kind == V_COLL || initial->kind == V_DELAYED))
    diag_error(il, "taskc limit: fold(initial=) must be known at compile time");
  const char *part = bag_fresh(e, "reduce"), *agg = bag_fresh(e, "reduce");
  const char *empty = "    if len(_s) == 0:\n        raise ValueError("
                      "'reduce() of empty iterable with no initial value')\n";
  if (initial)
    bag_def(e, a->loc, "def %s(_s):\n    _acc = %s\n    for _x in _s:\n"
                       "        _acc = %s\n    return _acc\n", part, v_repr(ar, initial),
            bag_call(e, binop, bx, "_acc, _x", bl));
  else
    bag_def(e, a->loc, "def %s(_s):\n%s    _acc = _s[0]\n    for _x in _s[1:]:\n"
                       "        _acc = %s\n    return _acc\n", part, empty,
            bag_call(e, binop, bx, "_acc, _x", bl));
  bag_def(e, a->loc, "def %s(_s):\n%s    _acc = _s[0]\n    for _x in _s[1:]:\n"
                     "        _acc = %s\n    return _acc\n", agg, empty,
          bag_call(e, combine, cx, "_acc, _x", cl));
  const char *name = initial ? "_reduce" : "reduce";
  Reduce r = {name, name, arena_printf(ar, "%s(_p)", part), arena_printf(ar, "%s(_r)", agg),
              split_every(e, a), false, NULL, NULL, NULL, NULL};
  return item(e, reduction(e, b, &r, "fold", a->loc));
}

/* reduction(perpartition, aggregate, split_every=None, out_type=Item, name=None) */
static Value *user_reduction(Eval *e, Bag *b, Args *a) {
  static const char *kws[] = {"perpartition", "aggregate", "split_every", "out_type", "name",
                              NULL};
  eval_args_check_kw(e, a, "reduction", kws);
  eval_args_count(e, a, "reduction", 0, 2);
  Arena *ar = eval_arena(e);
  Node *px, *ax;
  Loc pl, al;
  Value *per = arg(a, 0, "perpartition", &px, &pl);
  Value *agg = arg(a, 1, "aggregate", &ax, &al);
  if (!per || !agg)
    diag_error(a->loc, "reduction() needs perpartition and aggregate");
  int at;
  Value *out = eval_arg_kw(a, "out_type", &at);
  bool bag = out && out->kind == V_COLL;
  Value *nm = eval_arg_kw(a, "name", &at);
  const char *pname = eval_callable_name(e, per, px, pl);
  const char *aname = eval_callable_name(e, agg, ax, al);
  Reduce r = {nm && nm->kind == V_STR ? nm->str.s : pname,
              nm && nm->kind == V_STR ? nm->str.s : aname, arena_printf(ar, "%s(_p)", pname),
              arena_printf(ar, "%s(_r)", aname), split_every(e, a), bag, NULL, NULL, NULL, NULL};
  Task *t = reduction(e, b, &r, "reduction", a->loc);
  return bag ? one_part_bag(e, t) : item(e, t);
}

/* foldby(key, binop, initial=no_default, combine=None,
 * combine_initial=no_default, split_every=None): per partition toolz's
 * reduceby into a dict, then dicts merged split_every at a time
 * (merge_with reduce(combine), or reduceby with combine_initial), then
 * its items: a bag of one partition. */
static Value *foldby(Eval *e, Bag *b, Args *a) {
  static const char *kws[] = {"key", "binop", "initial", "combine", "combine_initial",
                              "split_every", NULL};
  eval_args_check_kw(e, a, "foldby", kws);
  eval_args_count(e, a, "foldby", 0, 5);
  Arena *ar = eval_arena(e);
  Node *kx, *bx, *ix, *cx, *cix;
  Loc kl, bl, il, cl, cil;
  Value *key = arg(a, 0, "key", &kx, &kl);
  Value *binop = arg(a, 1, "binop", &bx, &bl);
  Value *initial = arg(a, 2, "initial", &ix, &il);
  Value *combine = arg(a, 3, "combine", &cx, &cl);
  Value *cinit = arg(a, 4, "combine_initial", &cix, &cil);
  if (!key || !binop)
    diag_error(a->loc, "foldby() needs key and binop");
  if (!combine || combine->kind == V_NONE) {
    combine = binop;
    cx = bx;
  }
  for (int i = 0; i < 2; i++) {
    Value *v = i ? cinit : initial;
    if (v && (v->kind == V_COLL || v->kind == V_DELAYED))
      diag_error(i ? cil : il, "taskc limit: foldby's initial values must be known at "
                 "compile time");
  }
  const char *reduceby = bag_fresh(e, "reduceby"), *merge = bag_fresh(e, "merge_with");
  const char *first = "_x";
  if (initial) {
    bool call = initial->kind == V_FUNC || initial->kind == V_LAMBDA ||
                initial->kind == V_BUILTIN;
    const char *init = call ? bag_call(e, initial, ix, "", il) : v_repr(ar, initial);
    first = bag_call(e, binop, bx, arena_printf(ar, "%s, _x", init), bl);
  }
  const char *by = key->kind == V_INT || key->kind == V_STR
                       ? arena_printf(ar, "_x[%s]", v_repr(ar, key))
                       : bag_call(e, key, kx, "_x", kl);
  /* the empty comprehensions type the dicts before their first `in` */
  Value *part = bag_def(e, a->loc, "def %s(_p):\n    _d = {%s: %s for _x in _p[:0]}\n"
                                   "    for _x in _p:\n        _k = %s\n"
                                   "        if _k in _d:\n            _d[_k] = %s\n"
                                   "        else:\n            _d[_k] = %s\n    return _d\n",
                        reduceby, by, first, by, bag_call(e, binop, bx, "_d[_k], _x", bl),
                        first);
  const char *start = cinit ? bag_call(e, combine, cx,
                                       arena_printf(ar, "%s, _v", v_repr(ar, cinit)), cl)
                            : "_v";
  Value *mdef = bag_def(e, a->loc, "def %s(_ds):\n"
                                   "    _out = {_k: %s for _d in _ds[:0] for _k, _v in _d.items()}\n"
                                   "    for _d in _ds:\n"
                                   "        for _k, _v in _d.items():\n"
                                   "            if _k in _out:\n"
                                   "                _out[_k] = %s\n"
                                   "            else:\n                _out[_k] = %s\n"
                                   "    return _out\n",
                        merge, start, bag_call(e, combine, cx, "_out[_k], _v", cl), start);
  const char *token = bag_name(e, "", b, arena_printf(ar, "foldby|%d", a->loc.line)) + 1;
  const char *name = arena_printf(ar, "foldby-a-%s", token);
  int k = b->nparts, every = split_every(e, a);
  if (every == 0 || every > k)
    every = k > 1 ? k : 2;
  Task **level = ARENA_ARRAY(ar, Task *, k + 1);
  for (int i = 0; i < k; i++) {
    Value *p = bag_part(e, b, i);
    level[i] = bag_task(e, part, bag_key(e, name, i), &p, 1, a->loc);
  }
  for (int depth = 0; k > every; depth++) {
    name = arena_printf(ar, "%s%d", name, depth);
    int n = (k + every - 1) / every;
    for (int i = 0; i < n; i++) {
      int lo = i * every, hi = lo + every < k ? lo + every : k;
      Value **ins = ARENA_ARRAY(ar, Value *, hi - lo);
      for (int j = lo; j < hi; j++)
        ins[j - lo] = item(e, level[j]);
      Value *list = eval_mk_list(e, ins, hi - lo);
      level[i] = bag_task(e, mdef, bag_key(e, name, i), &list, 1, a->loc);
    }
    k = n;
  }
  Value *last = bag_def(e, a->loc, "def %s(_ds):\n    return list(%s(_ds).items())\n",
                        bag_fresh(e, "dictitems"), merge);
  Value **ins = ARENA_ARRAY(ar, Value *, k);
  for (int j = 0; j < k; j++)
    ins[j] = item(e, level[j]);
  Value *list = eval_mk_list(e, ins, k);
  const char *fin = arena_printf(ar, "foldby-b-%s", token);
  return one_part_bag(e, bag_task(e, last, bag_key(e, fin, 0), &list, 1, a->loc));
}

Value *bag_reduce_method(Eval *e, Bag *b, const char *name, Args *a) {
  static const char *simple_names[] = {"sum", "count", "min", "max", "any", "all", NULL};
  for (int i = 0; simple_names[i]; i++)
    if (!strcmp(name, simple_names[i]))
      return simple(e, b, name, a);
  if (!strcmp(name, "mean") || !strcmp(name, "var") || !strcmp(name, "std"))
    return moments(e, b, name, a);
  if (!strcmp(name, "topk"))
    return topk(e, b, a);
  if (!strcmp(name, "distinct"))
    return distinct(e, b, a);
  if (!strcmp(name, "frequencies"))
    return frequencies(e, b, a);
  if (!strcmp(name, "fold"))
    return fold(e, b, a);
  if (!strcmp(name, "reduction"))
    return user_reduction(e, b, a);
  if (!strcmp(name, "foldby"))
    return foldby(e, b, a);
  return NULL;
}
