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
  (void)loc;
  return v_method(eval_arena(e), v, arena_strdup(eval_arena(e), name));
}

/* fnmatch.fnmatch(s, pat) written in Python: '*', '?', '[seq]', '[!seq]'
 * with ranges, an unclosed '[' literal; a '*' backtracks to the latest
 * star. (Strings are bytes: '?' is one byte of a multi-byte character.) */
static const char *fnmatch_def(Eval *e, Loc loc) {
  const char *cls = bag_fresh(e, "fnmatch_class"), *fn = bag_fresh(e, "fnmatch");
  bag_def(e, loc,
          "def %s(_c, _p, _j):\n"
          "    _k = _j + 1\n"
          "    _neg = _k < len(_p) and _p[_k] == '!'\n"
          "    if _neg:\n"
          "        _k += 1\n"
          "    _e = _k + 1 if _k < len(_p) and _p[_k] == ']' else _k\n"
          "    while _e < len(_p) and _p[_e] != ']':\n"
          "        _e += 1\n"
          "    if _e >= len(_p):\n"
          "        return (-1, False)\n"
          "    _hit = False\n"
          "    while _k < _e:\n"
          "        if _k + 2 < _e and _p[_k + 1] == '-':\n"
          "            _hit = _hit or _p[_k] <= _c <= _p[_k + 2]\n"
          "            _k += 3\n"
          "        else:\n"
          "            _hit = _hit or _p[_k] == _c\n"
          "            _k += 1\n"
          "    return (_e + 1, _hit != _neg)\n",
          cls);
  bag_def(e, loc,
          "def %s(_s, _p):\n"
          "    _i = 0\n"
          "    _j = 0\n"
          "    _star = -1\n"
          "    _mark = 0\n"
          "    while _i < len(_s):\n"
          "        if _j < len(_p) and _p[_j] == '*':\n"
          "            _star = _j\n"
          "            _mark = _i\n"
          "            _j += 1\n"
          "            continue\n"
          "        if _j < len(_p) and _p[_j] == '[':\n"
          "            _r = %s(_s[_i], _p, _j)\n"
          "            if _r[0] >= 0 and _r[1]:\n"
          "                _i += 1\n"
          "                _j = _r[0]\n"
          "                continue\n"
          "            if _r[0] < 0 and _s[_i] == '[':\n"
          "                _i += 1\n"
          "                _j += 1\n"
          "                continue\n"
          "        elif _j < len(_p) and (_p[_j] == '?' or _p[_j] == _s[_i]):\n"
          "            _i += 1\n"
          "            _j += 1\n"
          "            continue\n"
          "        if _star < 0:\n"
          "            return False\n"
          "        _mark += 1\n"
          "        _i = _mark\n"
          "        _j = _star + 1\n"
          "    while _j < len(_p) and _p[_j] == '*':\n"
          "        _j += 1\n"
          "    return _j == len(_p)\n",
          fn, cls);
  return fn;
}

/* b.str.match(pattern): Dask's filter(fnmatch(pat=pattern)). */
static Value *match(Eval *e, Bag *b, Args *a) {
  eval_args_no_kw(e, a, "match");
  eval_args_count(e, a, "match", 1, 1);
  Value *pat = a->pos[0];
  if (pat->kind != V_STR)
    diag_error(a->pos_loc[0], "b.str.match takes a pattern (str), got %s", v_type_name(pat));
  Arena *ar = eval_arena(e);
  const char *text = arena_printf(ar, "%s(@x, @c0)", fnmatch_def(e, a->loc));
  const char *name = bag_name(e, "filter-fnmatch", b, pat->str.s);
  Bag *out = bag_stage(e, b, name, BAG_FILTER, text, &pat, 1, "filter-fnmatch");
  out->dask_sizeof = 48; /* a filter iterator (repartition(partition_size=)) */
  return bag_value(e, out);
}

/* b.str.name(args...): `@x.name(@c0, ...)` on each element, a chain stage. */
/* Dask's b.str.<name>(...) is b.map(operator.methodcaller(name, ...)),
 * whose keys funcname names str(methodcaller)[:50]. */
static const char *methodcaller(Eval *e, const char *name, Args *a) {
  Arena *ar = eval_arena(e);
  const char *s = arena_printf(ar, "operator.methodcaller(%s",
                               v_repr(ar, v_str(ar, name, (int)strlen(name))));
  for (int i = 0; i < a->npos; i++)
    s = arena_printf(ar, "%s, %s", s, v_repr(ar, a->pos[i]));
  for (int i = 0; i < a->nkw; i++)
    s = arena_printf(ar, "%s, %s=%s", s, a->kw_names[i], v_repr(ar, a->kw[i]));
  s = arena_printf(ar, "%s)", s);
  return strlen(s) > 50 ? arena_strndup(ar, s, 50) : s;
}

static Value *str_method(Eval *e, Value *v, const char *name, Args *a) {
  Arena *ar = eval_arena(e);
  Bag *b = bag_of(((BagStr *)v->coll)->bag);
  if (!strcmp(name, "match"))
    return match(e, b, a);
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
  Bag *out = bag_stage(e, b, bag_name(e, methodcaller(e, name, a), b, what), BAG_MAP, text,
                       extra, a->npos + a->nkw, name);
  out->dask_sizeof = 56; /* Dask maps a methodcaller: a _MapChunk */
  return bag_value(e, out);
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
