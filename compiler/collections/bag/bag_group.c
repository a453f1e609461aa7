/* bag_group.c - b.groupby(grouper): Dask's shuffle, as its default
 * (disk) method lays it out: per input partition a task puts each element
 * in bucket abs(hash(key)) % npartitions ('groupby-part-<f>-<token>', i),
 * then per bucket a task groups what every input put there by key, in
 * order of appearance ('groupby-collect-<token>', j): a bag of
 * (key, [elements]) pairs. hash() is CPython's for numbers and tuples, so
 * number keys land in the partitions Dask puts them in; elements arrive in
 * partition order (Dask's disk shuffle appends in the order its tasks
 * happen to run). */
#include <string.h>

#include "bag.h"

/* The source of the key of _x: grouper(_x), or _x[k] for an index k. */
static const char *key_of(Eval *e, Value *g, Node *gx, Loc loc) {
  Arena *ar = eval_arena(e);
  if (g->kind == V_INT || g->kind == V_STR)
    return arena_printf(ar, "_x[%s]", v_repr(ar, g));
  return bag_call(e, g, gx, "_x", loc);
}

Value *bag_groupby(Eval *e, Bag *b, Args *a) {
  static const char *kws[] = {"grouper", "method", "npartitions", "blocksize", "max_branch",
                              "shuffle", NULL};
  eval_args_check_kw(e, a, "groupby", kws);
  eval_args_count(e, a, "groupby", 0, 1);
  Arena *ar = eval_arena(e);
  int at;
  Value *g = eval_arg_kw(a, "grouper", &at);
  Node *gx = NULL;
  Loc gl = g ? a->kw_loc[at] : a->loc;
  if (!g && a->npos) {
    g = a->pos[0];
    gx = a->pos_node ? a->pos_node[0] : NULL;
    gl = a->pos_loc[0];
  }
  if (!g)
    diag_error(a->loc, "groupby() missing 1 required positional argument: 'grouper'");
  Value *np = eval_arg_kw(a, "npartitions", &at);
  int64_t n = np && np->kind != V_NONE ? eval_need_int(e, np, a->kw_loc[at], "npartitions")
                                       : b->nparts;
  if (n < 1)
    diag_error(a->kw_loc[at], "npartitions must be positive, got %lld", (long long)n);
  const char *key = key_of(e, g, gx, gl);
  Value *part = bag_def(e, a->loc, "def %s(_p, _n):\n"
                                   "    _out = [_p[:0] for _j in range(_n)]\n"
                                   "    for _x in _p:\n"
                                   "        _out[abs(hash(%s)) %% _n].append(_x)\n"
                                   "    return _out\n", bag_fresh(e, "partition"), key);
  Value *collect = bag_def(e, a->loc, "def %s(_parts, _j):\n"
                                      "    _d = {%s: [_x] for _x in _parts[0][0][:0]}\n"
                                      "    for _q in _parts:\n"
                                      "        for _x in _q[_j]:\n"
                                      "            _k = %s\n"
                                      "            if _k in _d:\n"
                                      "                _d[_k].append(_x)\n"
                                      "            else:\n"
                                      "                _d[_k] = [_x]\n"
                                      "    return list(_d.items())\n",
                           bag_fresh(e, "collect"), key, key);
  const char *what = arena_printf(ar, "%s|%lld|%d", key, (long long)n, a->loc.line);
  const char *token = bag_name(e, "", b, what) + 1;
  const char *pname = arena_printf(ar, "groupby-part-%s-%s", g->kind == V_INT || g->kind == V_STR ? "getter" : bag_funcname(g), token);
  Value **parts = ARENA_ARRAY(ar, Value *, b->nparts + 1);
  for (int i = 0; i < b->nparts; i++) {
    Value *args[2] = {bag_part(e, b, i), eval_mk_int(e, n)};
    parts[i] = v_task(ar, V_DELAYED, bag_task(e, part, bag_key(e, pname, i), args, 2, a->loc));
  }
  Value *all = eval_mk_list(e, parts, b->nparts);
  const char *cname = arena_printf(ar, "groupby-collect-%s", token);
  Bag *out = bag_alloc(e, cname, (int)n);
  for (int j = 0; j < n; j++) {
    Value *args[2] = {all, eval_mk_int(e, j)};
    out->parts[j] = bag_task(e, collect, bag_key(e, cname, j), args, 2, a->loc);
  }
  Task **ptasks = ARENA_ARRAY(ar, Task *, b->nparts + 1);
  for (int i = 0; i < b->nparts; i++)
    ptasks[i] = parts[i]->task;
  bag_groupby_picture(e, ptasks, b->nparts, out, token);
  return bag_value(e, out);
}
