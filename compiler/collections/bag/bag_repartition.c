/* bag_repartition.c - b.repartition(npartitions) and db.zip(*bags), as
 * Dask lays them out: fewer partitions concatenate neighbours
 * ('repartition-<n>-<token>', i), more split each partition into equal
 * pieces ('split-<token>', i, then one getitem per piece); zip pairs the
 * partitions' elements ('zip-<token>', i); product pairs every partition
 * of one bag with every partition of the other. */
#include <string.h>

#include "bag.h"

Value *bag_concat_def(Eval *e, Loc loc) {
  return bag_def(e, loc, "def %s(_ps):\n    return [_x for _q in _ps for _x in _q]\n",
                 bag_fresh(e, "concat"));
}

Task *bag_concat_task(Eval *e, Bag *src, int lo, int hi, Value *def, Val *key, Loc loc) {
  Value **ins = ARENA_ARRAY(eval_arena(e), Value *, hi - lo + 1);
  for (int j = lo; j < hi; j++)
    ins[j - lo] = bag_part(e, src, j);
  Value *list = eval_mk_list(e, ins, hi - lo);
  return bag_task(e, def, key, &list, 1, loc);
}

/* fewer: new partition i is old [int(i * ratio), int((i + 1) * ratio)) */
static Value *merge(Eval *e, Bag *b, int n, const char *name, Loc loc) {
  Value *def = bag_concat_def(e, loc);
  Bag *out = bag_alloc(e, name, n);
  double ratio = (double)b->nparts / n;
  for (int i = 0; i < n; i++) {
    int lo = (int)(i * ratio), hi = i == n - 1 ? b->nparts : (int)((i + 1) * ratio);
    out->parts[i] = bag_concat_task(e, b, lo, hi, def, bag_key(e, name, i), loc);
  }
  return bag_value(e, out);
}

void bag_split_defs(Eval *e, Loc loc, Value **cut, Value **get, Value **same) {
  *cut = bag_def(e, loc, "def %s(_p, _n):\n    _part = len(_p) / _n\n"
                         "    _out = [_p[int(_part * _i):int(_part * (_i + 1))] "
                         "for _i in range(_n - 1)]\n"
                         "    _out.append(_p[int(_part * (_n - 1)):])\n    return _out\n",
                 bag_fresh(e, "split"));
  *get = bag_def(e, loc, "def %s(_s, _j):\n    return _s[_j]\n", bag_fresh(e, "getitem"));
  *same = bag_def(e, loc, "def %s(_p):\n    return _p\n", bag_fresh(e, "alias"));
}

/* more: partition i in div pieces (the last in div + mod), Dask's split() */
static Value *split(Eval *e, Bag *b, int n, const char *name, Loc loc) {
  Arena *ar = eval_arena(e);
  Value *cut, *get, *same;
  bag_split_defs(e, loc, &cut, &get, &same);
  const char *sname = bag_name(e, "split", b, arena_printf(ar, "%d", n));
  int div = n / b->nparts, mod = n % b->nparts, j = 0;
  Bag *out = bag_alloc(e, name, n);
  for (int i = 0; i < b->nparts; i++) {
    int k = div + (i == b->nparts - 1 ? mod : 0);
    Value *p = bag_part(e, b, i);
    if (k == 1) {
      out->parts[j] = bag_task(e, same, bag_key(e, name, j), &p, 1, loc);
      j++;
      continue;
    }
    Value *args[2] = {p, eval_mk_int(e, k)};
    Value *pieces = v_task(ar, V_DELAYED, bag_task(e, cut, bag_key(e, sname, i), args, 2, loc));
    for (int jj = 0; jj < k; jj++) {
      Value *gargs[2] = {pieces, eval_mk_int(e, jj)};
      out->parts[j] = bag_task(e, get, bag_key(e, name, j), gargs, 2, loc);
      j++;
    }
  }
  return bag_value(e, out);
}

Value *bag_repartition(Eval *e, Bag *b, Args *a) {
  static const char *kws[] = {"npartitions", "partition_size", NULL};
  eval_args_check_kw(e, a, "repartition", kws);
  eval_args_count(e, a, "repartition", 0, 1);
  int at;
  Value *size = eval_arg_kw(a, "partition_size", &at);
  if (size && size->kind == V_NONE)
    size = NULL;
  if (size && (eval_arg_kw(a, "npartitions", NULL) || a->npos))
    diag_error(a->loc, "Please provide exactly one of npartitions= or partition_size= keyword "
               "arguments");
  if (size)
    return bag_repartition_size(e, b, size, a->kw_loc[at]);
  Value *nv = eval_arg_kw(a, "npartitions", &at);
  Loc nl = nv ? a->kw_loc[at] : a->loc;
  if (!nv && a->npos) {
    nv = a->pos[0];
    nl = a->pos_loc[0];
  }
  if (!nv)
    diag_error(a->loc, "Please provide exactly one of npartitions= or partition_size= keyword "
               "arguments");
  int64_t n = eval_need_int(e, nv, nl, "npartitions");
  if (n < 1)
    diag_error(nl, "npartitions must be positive, got %lld", (long long)n);
  if (n == b->nparts)
    return bag_value(e, b);
  const char *token = bag_name(e, "", b, arena_printf(eval_arena(e), "%lld", (long long)n)) + 1;
  const char *name = arena_printf(eval_arena(e), "repartition-%lld-%s", (long long)n, token);
  return n < b->nparts ? merge(e, b, (int)n, name, a->loc) : split(e, b, (int)n, name, a->loc);
}

/* db.zip(*bags) */
Value *bag_zip(Eval *e, Args *a) {
  eval_args_no_kw(e, a, "zip");
  if (a->npos < 1)
    diag_error(a->loc, "zip() needs at least one bag");
  Arena *ar = eval_arena(e);
  const char *params = "", *targets = "", *what = "";
  for (int i = 0; i < a->npos; i++) {
    if (!bag_is(a->pos[i]))
      diag_error(a->pos_loc[i], "zip() takes bags, got %s", v_type_name(a->pos[i]));
    if (bag_of(a->pos[i])->nparts != bag_of(a->pos[0])->nparts)
      diag_error(a->pos_loc[i], "all bags must have the same number of partitions (%d and %d)",
                 bag_of(a->pos[0])->nparts, bag_of(a->pos[i])->nparts);
    params = arena_printf(ar, "%s%s_q%d", params, i ? ", " : "", i);
    targets = arena_printf(ar, "%s%s_x%d", targets, i ? ", " : "", i);
    what = arena_printf(ar, "%s|%s", what, bag_of(a->pos[i])->name);
  }
  Value *def = a->npos == 1
                   ? bag_def(e, a->loc, "def %s(_q0):\n    return [(_x0,) for _x0 in _q0]\n",
                             bag_fresh(e, "zip"))
                   : bag_def(e, a->loc, "def %s(%s):\n    return [(%s) for %s in zip(%s)]\n",
                             bag_fresh(e, "zip"), params, targets, targets, params);
  Bag *first = bag_of(a->pos[0]);
  const char *name = bag_name(e, "zip", NULL, what);
  Bag *out = bag_alloc(e, name, first->nparts);
  out->dask_sizeof = 64; /* a zip iterator */
  Value **args = ARENA_ARRAY(ar, Value *, a->npos);
  for (int p = 0; p < first->nparts; p++) {
    for (int i = 0; i < a->npos; i++)
      args[i] = bag_part(e, bag_of(a->pos[i]), p);
    out->parts[p] = bag_task(e, def, bag_key(e, name, p), args, a->npos, a->loc);
  }
  return bag_value(e, out);
}

/* b.product(other): partition i * m + j pairs partition i of b with
 * partition j of other (itertools.product). */
Value *bag_product(Eval *e, Bag *b, Args *a) {
  eval_args_no_kw(e, a, "product");
  eval_args_count(e, a, "product", 1, 1);
  if (!bag_is(a->pos[0]))
    diag_error(a->pos_loc[0], "product() takes a bag, got %s", v_type_name(a->pos[0]));
  Bag *o = bag_of(a->pos[0]);
  Value *def = bag_def(e, a->loc, "def %s(_q0, _q1):\n"
                                  "    return [(_x, _y) for _x in _q0 for _y in _q1]\n",
                       bag_fresh(e, "product"));
  const char *name = bag_name(e, "product", b, o->name);
  Bag *out = bag_alloc(e, name, b->nparts * o->nparts);
  for (int i = 0; i < b->nparts; i++)
    for (int j = 0; j < o->nparts; j++) {
      Value *args[2] = {bag_part(e, b, i), bag_part(e, o, j)};
      out->parts[i * o->nparts + j] =
          bag_task(e, def, bag_key(e, name, i * o->nparts + j), args, 2, a->loc);
    }
  return bag_value(e, out);
}
