/* bag_accumulate.c - b.accumulate(binop, initial=): running totals across
 * partitions, as Dask chains them: partition i continues from the last
 * value of partition i - 1 ('<f>-part-<token>', i) and the bag's
 * partitions are the first items of those results ('<f>-first-<token>',
 * i); the carried value is the second ('<f>-second-<token>', i). As
 * toolz.accumulate, an initial value is the first element. */
#include <string.h>

#include "bag.h"

Value *bag_accumulate(Eval *e, Bag *b, Args *a) {
  static const char *kws[] = {"binop", "initial", NULL};
  eval_args_check_kw(e, a, "accumulate", kws);
  eval_args_count(e, a, "accumulate", 0, 2);
  Arena *ar = eval_arena(e);
  int at;
  Value *binop = eval_arg_kw(a, "binop", &at);
  Node *bx = NULL;
  Loc bl = binop ? a->kw_loc[at] : a->loc;
  if (!binop && a->npos) {
    binop = a->pos[0];
    bx = a->pos_node ? a->pos_node[0] : NULL;
    bl = a->pos_loc[0];
  }
  if (!binop)
    diag_error(a->loc, "accumulate() missing 1 required positional argument: 'binop'");
  Value *initial = eval_arg_kw(a, "initial", &at);
  if (!initial && a->npos == 2)
    initial = a->pos[1];
  if (initial && (initial->kind == V_COLL || initial->kind == V_DELAYED))
    diag_error(a->loc, "taskc limit: accumulate(initial=) must be known at compile time");
  const char *step = bag_call(e, binop, bx, "_acc, _x", bl);
  /* the first partition starts from its first element (or initial) */
  Value *first = bag_def(e, a->loc, "def %s(_p):\n    _res = %s\n    for _x in _p%s:\n"
                                    "        _acc = _res[-1]\n        _res.append(%s)\n"
                                    "    return (_res, _res[-1])\n",
                         bag_fresh(e, "accumulate"),
                         initial ? arena_printf(ar, "[%s]", v_repr(ar, initial)) : "_p[:1]",
                         initial ? "" : "[1:]", step);
  Value *rest = bag_def(e, a->loc, "def %s(_p, _acc):\n    _res = [%s for _x in _p[:0]]\n"
                                   "    for _x in _p:\n        _acc = %s\n"
                                   "        _res.append(_acc)\n    return (_res, _acc)\n",
                        bag_fresh(e, "accumulate"), step, step);
  Value *item0 = bag_def(e, a->loc, "def %s(_r):\n    return _r[0]\n", bag_fresh(e, "first"));
  Value *item1 = bag_def(e, a->loc, "def %s(_r):\n    return _r[1]\n", bag_fresh(e, "second"));
  const char *f = bag_funcname(binop);
  const char *token = bag_name(e, "", b, arena_printf(ar, "accumulate|%s|%s", step,
                                                     initial ? v_repr(ar, initial) : "")) + 1;
  const char *pa = arena_printf(ar, "%s-part-%s", f, token);
  const char *pb = arena_printf(ar, "%s-first-%s", f, token);
  const char *pc = arena_printf(ar, "%s-second-%s", f, token);
  Bag *out = bag_alloc(e, pb, b->nparts);
  Value *carry = NULL;
  for (int i = 0; i < b->nparts; i++) {
    Value *args[2] = {bag_part(e, b, i), carry};
    Task *t = bag_task(e, i ? rest : first, bag_key(e, pa, i), args, i ? 2 : 1, a->loc);
    Value *r = v_task(ar, V_DELAYED, t);
    out->parts[i] = bag_task(e, item0, bag_key(e, pb, i), &r, 1, a->loc);
    carry = v_task(ar, V_DELAYED, bag_task(e, item1, bag_key(e, pc, i), &r, 1, a->loc));
  }
  if (b->nparts)
    bag_also_picture(e, out, carry->task);
  return bag_value(e, out);
}
