/* eval_builtin.c - the builtin functions at compile time (len, range, min,
 * sum, round, ...), the math module, and what the supported modules export.
 * A builtin value carries its qualified name; when it is used as a task
 * function (delayed(sum), a dict-graph task) the op is found by that name
 * in ir/ops.def, so this file never decides what runs at run time. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval_int.h"

static double num(Eval *e, Value *v, Loc loc, const char *fname) {
  double d;
  if (v->kind == V_BIG)
    return eval_big_to_float(v, loc);
  if (v_as_double(v, &d))
    return d;
  if (v->kind == V_DELAYED || v->kind == V_COMPUTED)
    eval_runtime_only(e, v, loc, arena_printf(e->a, "%s() needs its value", fname));
  diag_error(loc, "%s() needs a number, not '%s'", fname, v_type_name(v));
}

static Value *bi_len(Eval *e, Args *a) {
  eval_args_no_kw(e, a, "len");
  eval_args_count(e, a, "len", 1, 1);
  Value *v = a->pos[0];
  switch (v->kind) {
  case V_LIST: case V_TUPLE: return eval_mk_int(e, v->seq.n);
  case V_DICT: return eval_mk_int(e, v->dict->n);
  case V_STR: {
    int n = 0;
    for (int i = 0; i < v->str.len; i++)
      n += ((unsigned char)v->str.s[i] & 0xc0) != 0x80;
    return eval_mk_int(e, n);
  }
  case V_RANGE: {
    int64_t n = eval_range_len(v);
    eval_step(e, a->loc, (long)n); /* as iterating it would */
    return eval_mk_int(e, n);
  }
  case V_COLL: /* Python's len(x) is x.__len__(), if the collection has one */
    if (v->coll->ops->method) {
      v_pin(v);
      Value *r = v->coll->ops->method(e, v, "__len__", eval_args_new(e, a->loc, 0, NULL));
      if (r)
        return r;
    }
    diag_error(a->pos_loc[0], "object of type '%s' has no len()", v_type_name(v));
  case V_DELAYED: case V_COMPUTED:
    eval_runtime_only(e, v, a->pos_loc[0], "its len() is only known at run time");
  default:
    diag_error(a->pos_loc[0], "object of type '%s' has no len()", v_type_name(v));
  }
}

static Value *bi_range(Eval *e, Args *a) {
  eval_args_no_kw(e, a, "range");
  eval_args_count(e, a, "range", 1, 3);
  int64_t x[3];
  for (int i = 0; i < a->npos; i++)
    x[i] = eval_need_int(e, a->pos[i], a->pos_loc[i], "an argument of range()");
  Value *r = v_new(e->a, V_RANGE);
  r->range.start = a->npos == 1 ? 0 : x[0];
  r->range.stop = a->npos == 1 ? x[0] : x[1];
  r->range.step = a->npos == 3 ? x[2] : 1;
  if (!r->range.step)
    diag_error(a->pos_loc[2], "range() arg 3 must not be zero");
  return r;
}

/* min/max: one iterable or several arguments; key= and default=. */
static Value *minmax(Eval *e, Args *a, bool is_max) {
  const char *name = is_max ? "max" : "min";
  static const char *kws[] = {"key", "default", NULL};
  eval_args_check_kw(e, a, name, kws);
  eval_args_count(e, a, name, 1, -1);
  Value **items = a->pos;
  int n = a->npos;
  if (n == 1)
    items = eval_iterate(e, a->pos[0], a->pos_loc[0], &n);
  if (!n) {
    Value *d = eval_arg_kw(a, "default", NULL);
    if (d)
      return d;
    diag_error(a->loc, "%s() arg is an empty sequence", name);
  }
  Value *key = eval_arg_kw(a, "key", NULL);
  Value *best = items[0];
  Value *bk = key ? eval_call_value(e, key, eval_args_new(e, a->loc, 1, &best)) : best;
  for (int i = 1; i < n; i++) {
    Value *k = key ? eval_call_value(e, key, eval_args_new(e, a->loc, 1, &items[i])) : items[i];
    if (is_max ? eval_less_than(e, bk, k, a->loc) : eval_less_than(e, k, bk, a->loc)) {
      best = items[i];
      bk = k;
    }
  }
  return best;
}

static Value *bi_min(Eval *e, Args *a) { return minmax(e, a, false); }
static Value *bi_max(Eval *e, Args *a) { return minmax(e, a, true); }

/* sum adds with +, so a list of delayed values becomes a chain of add
 * tasks, as it does in Dask. */
static Value *bi_sum(Eval *e, Args *a) {
  static const char *kws[] = {"start", NULL};
  eval_args_check_kw(e, a, "sum", kws);
  eval_args_count(e, a, "sum", 1, 2);
  Value *acc = a->npos > 1 ? a->pos[1] : eval_arg_kw(a, "start", NULL);
  if (!acc)
    acc = eval_mk_int(e, 0);
  int n;
  Value **items = eval_iterate(e, a->pos[0], a->pos_loc[0], &n);
  for (int i = 0; i < n; i++)
    acc = eval_binop(e, OP_ADD, acc, items[i], a->loc);
  return acc;
}

static Value *bi_abs(Eval *e, Args *a) {
  eval_args_no_kw(e, a, "abs");
  eval_args_count(e, a, "abs", 1, 1);
  Value *v = a->pos[0];
  if (v->kind == V_DELAYED)
    return eval_delayed_unop(e, "abs", v, a->loc);
  if (v->kind == V_COLL) /* Python's abs(x) is x.__abs__() */
    return eval_call_method(e, v, "__abs__", eval_args_new(e, a->loc, 0, NULL));
  if (v->kind == V_FLOAT)
    return eval_mk_float(e, fabs(v->f));
  if (v->kind == V_BIG)
    return eval_big_abs(e, v);
  int64_t i = eval_need_int(e, v, a->pos_loc[0], "an argument of abs()");
  return i < 0 ? eval_unop(e, OP_NEG, eval_mk_int(e, i), a->loc) : eval_mk_int(e, i);
}

/* The int of an integral float f: a big past int64 (its exact decimal
 * text, as glibc prints a double). */
static Value *float_to_int(Eval *e, double f, Loc loc) {
  if (f != f)
    diag_error(loc, "cannot convert float NaN to integer");
  if (isinf(f))
    diag_error(loc, "cannot convert float infinity to integer");
  if (f > -9.2233720368547758e18 && f < 9.2233720368547758e18)
    return eval_mk_int(e, (int64_t)f);
  char t[400];
  snprintf(t, sizeof t, "%.0f", fabs(f));
  return eval_big_literal(e, t, f < 0);
}

/* round half to even, as Python 3 does */
static Value *bi_round(Eval *e, Args *a) {
  static const char *kws[] = {"ndigits", NULL};
  eval_args_check_kw(e, a, "round", kws);
  eval_args_count(e, a, "round", 1, 2);
  Value *x = a->pos[0];
  Value *nd = a->npos > 1 ? a->pos[1] : eval_arg_kw(a, "ndigits", NULL);
  if (x->kind == V_DELAYED || x->kind == V_COMPUTED)
    eval_runtime_only(e, x, a->pos_loc[0], "round() needs its value");
  if (x->kind == V_BIG && (!nd || nd->kind == V_NONE ||
                          eval_need_int(e, nd, a->loc, "ndigits") >= 0))
    return x;
  if (!nd || nd->kind == V_NONE) {
    if (x->kind != V_FLOAT)
      return eval_mk_int(e, eval_need_int(e, x, a->pos_loc[0], "an argument of round()"));
    return float_to_int(e, nearbyint(x->f), a->loc);
  }
  int64_t n = eval_need_int(e, nd, a->loc, "ndigits");
  if (x->kind != V_FLOAT) {
    int64_t i = eval_need_int(e, x, a->pos_loc[0], "an argument of round()");
    if (n >= 0)
      return eval_mk_int(e, i);
    if (n < -18)
      return eval_mk_int(e, 0);
    int64_t p = 1;
    for (int64_t k = 0; k < -n; k++)
      p *= 10;
    int64_t q = i / p, r = i % p;
    if (r < 0) {
      r += p;
      q--;
    }
    if (2 * r > p || (2 * r == p && (q & 1)))
      q++;
    return eval_binop(e, OP_MUL, eval_mk_int(e, q), eval_mk_int(e, p), a->loc);
  }
  if (!isfinite(x->f))
    return x;
  if (n > 300)
    return x;
  if (n >= 0) {
    /* printf rounds the exact binary value correctly, as Python does */
    char buf[400];
    snprintf(buf, sizeof buf, "%.*f", (int)n, x->f);
    return eval_mk_float(e, strtod(buf, NULL));
  }
  double p = pow(10.0, (double)-n);
  return eval_mk_float(e, nearbyint(x->f / p) * p);
}

/* int(x) and float(x): the one optional argument, NULL when absent. */
static Value *conversion_arg(Eval *e, Args *a, const char *name) {
  eval_args_no_kw(e, a, name);
  eval_args_count(e, a, name, 0, 1);
  return a->npos ? a->pos[0] : NULL;
}

/* s: optional blanks and sign, digits, optional blanks (strtoll said so). */
static Value *int_text_big(Eval *e, const char *s) {
  while (*s == ' ' || *s == '\n' || *s == '\t')
    s++;
  bool neg = *s == '-';
  if (*s == '-' || *s == '+')
    s++;
  size_t n = strspn(s, "0123456789");
  return eval_big_literal(e, arena_strndup(e->a, s, n), neg);
}

static Value *bi_int(Eval *e, Args *a) {
  Value *v = conversion_arg(e, a, "int");
  if (!v)
    return eval_mk_int(e, 0);
  switch (v->kind) {
  case V_INT: case V_BIG: return v;
  case V_BOOL: return eval_mk_int(e, v->b);
  case V_FLOAT: return float_to_int(e, trunc(v->f), a->loc);
  case V_STR: {
    char *s = arena_strndup(e->a, v->str.s, (size_t)v->str.len), *end;
    errno = 0;
    long long i = strtoll(s, &end, 10);
    while (*end == ' ' || *end == '\n' || *end == '\t')
      end++;
    if (end == s || *end)
      diag_error(a->pos_loc[0], "invalid literal for int(): %s",
                 v_repr(e->a, v));
    if (errno) /* past int64: the same digits as a big */
      return int_text_big(e, s);
    return eval_mk_int(e, i);
  }
  default:
    num(e, v, a->pos_loc[0], "int");
    return NULL;
  }
}

static Value *bi_float(Eval *e, Args *a) {
  Value *v = conversion_arg(e, a, "float");
  if (!v)
    return eval_mk_float(e, 0);
  if (v->kind == V_STR) {
    char *s = arena_strndup(e->a, v->str.s, (size_t)v->str.len), *end;
    double f = strtod(s, &end);
    while (*end == ' ' || *end == '\n' || *end == '\t')
      end++;
    if (end == s || *end)
      diag_error(a->pos_loc[0], "could not convert string to float: %s",
                 v_repr(e->a, v));
    return eval_mk_float(e, f);
  }
  return eval_mk_float(e, num(e, v, a->pos_loc[0], "float"));
}

static Value *bi_str(Eval *e, Args *a) {
  eval_args_no_kw(e, a, "str");
  eval_args_count(e, a, "str", 0, 1);
  if (!a->npos)
    return v_str(e->a, "", 0);
  Value *v = a->pos[0];
  if (v->kind == V_DELAYED || v->kind == V_COMPUTED)
    eval_runtime_only(e, v, a->pos_loc[0], "str() needs its value");
  return v_cstr(e->a, v_str_of(e->a, v));
}

static Value *bi_repr(Eval *e, Args *a) {
  eval_args_no_kw(e, a, "repr");
  eval_args_count(e, a, "repr", 1, 1);
  if (a->pos[0]->kind == V_DELAYED || a->pos[0]->kind == V_COMPUTED)
    eval_runtime_only(e, a->pos[0], a->pos_loc[0], "repr() needs its value");
  return v_cstr(e->a, v_repr(e->a, a->pos[0]));
}

static Value *bi_bool(Eval *e, Args *a) {
  eval_args_no_kw(e, a, "bool");
  eval_args_count(e, a, "bool", 0, 1);
  return v_bool(a->npos && eval_truthy(e, a->pos[0], a->pos_loc[0]));
}

static Value *to_seq(Eval *e, Args *a, const char *name, VKind kind) {
  eval_args_no_kw(e, a, name);
  eval_args_count(e, a, name, 0, 1);
  if (!a->npos)
    return v_seq(e->a, kind, NULL, 0);
  int n;
  Value **items = eval_iterate(e, a->pos[0], a->pos_loc[0], &n);
  return v_seq(e->a, kind, items, n);
}

static Value *bi_list(Eval *e, Args *a) { return to_seq(e, a, "list", V_LIST); }
static Value *bi_tuple(Eval *e, Args *a) { return to_seq(e, a, "tuple", V_TUPLE); }

static Value *bi_dict(Eval *e, Args *a) {
  eval_args_count(e, a, "dict", 0, 1);
  Value *d = v_dict(e->a);
  Args *u = ARENA_NEW(e->a, Args);
  *u = *a;
  return eval_call_method(e, d, "update", u), d;
}

static Value *bi_enumerate(Eval *e, Args *a) {
  static const char *kws[] = {"start", NULL};
  eval_args_check_kw(e, a, "enumerate", kws);
  eval_args_count(e, a, "enumerate", 1, 2);
  Value *st = a->npos > 1 ? a->pos[1] : eval_arg_kw(a, "start", NULL);
  int64_t start = st ? eval_need_int(e, st, a->loc, "enumerate() start") : 0;
  int n;
  Value **items = eval_iterate(e, a->pos[0], a->pos_loc[0], &n);
  Value **out = ARENA_ARRAY(e->a, Value *, n + 1);
  for (int i = 0; i < n; i++) {
    Value *pair[2] = {eval_mk_int(e, start + i), items[i]};
    out[i] = eval_mk_tuple(e, pair, 2);
  }
  return eval_mk_list(e, out, n);
}

static Value *bi_zip(Eval *e, Args *a) {
  eval_args_no_kw(e, a, "zip");
  int k = a->npos, n = k ? 1 << 30 : 0;
  Value ***cols = ARENA_ARRAY(e->a, Value **, k + 1);
  for (int j = 0; j < k; j++) {
    int m;
    cols[j] = eval_iterate(e, a->pos[j], a->pos_loc[j], &m);
    n = m < n ? m : n;
  }
  Value **out = ARENA_ARRAY(e->a, Value *, n + 1);
  for (int i = 0; i < n; i++) {
    Value **t = ARENA_ARRAY(e->a, Value *, k + 1);
    for (int j = 0; j < k; j++)
      t[j] = cols[j][i];
    out[i] = eval_mk_tuple(e, t, k);
  }
  return eval_mk_list(e, out, n);
}

static Value *bi_sorted(Eval *e, Args *a) {
  static const char *kws[] = {"key", "reverse", NULL};
  eval_args_check_kw(e, a, "sorted", kws);
  eval_args_count(e, a, "sorted", 1, 1);
  int n;
  Value **items = eval_iterate(e, a->pos[0], a->pos_loc[0], &n);
  Value *rev = eval_arg_kw(a, "reverse", NULL);
  eval_sort_values(e, items, n, eval_arg_kw(a, "key", NULL), rev && eval_truthy(e, rev, a->loc),
              a->loc);
  return eval_mk_list(e, items, n);
}

static Value *bi_reversed(Eval *e, Args *a) {
  eval_args_no_kw(e, a, "reversed");
  eval_args_count(e, a, "reversed", 1, 1);
  int n;
  Value **items = eval_iterate(e, a->pos[0], a->pos_loc[0], &n);
  Value **out = ARENA_ARRAY(e->a, Value *, n + 1);
  for (int i = 0; i < n; i++)
    out[i] = items[n - 1 - i];
  return eval_mk_list(e, out, n);
}

static Value *anyall(Eval *e, Args *a, bool is_all) {
  eval_args_no_kw(e, a, is_all ? "all" : "any");
  eval_args_count(e, a, is_all ? "all" : "any", 1, 1);
  int n;
  Value **items = eval_iterate(e, a->pos[0], a->pos_loc[0], &n);
  for (int i = 0; i < n; i++)
    if (eval_truthy(e, items[i], a->pos_loc[0]) != is_all)
      return v_bool(!is_all);
  return v_bool(is_all);
}

static Value *bi_any(Eval *e, Args *a) { return anyall(e, a, false); }
static Value *bi_all(Eval *e, Args *a) { return anyall(e, a, true); }

/* print() at the top level prints at run time, in program order
 * (eval_runval.c). */
static Value *bi_print(Eval *e, Args *a) { return eval_runval_print(e, a); }

static Value *bi_extern(Eval *e, Args *a) {
  (void)e;
  diag_error(a->loc, "extern(...) is only allowed as a decorator of a def: "
             "@extern(\"file.c\")");
}

/* operator.X at compile time: the same operators as in expressions. */
static Value *bi_operator(Eval *e, Args *a) {
  static const struct { const char *name; OpCode op; int unary; } ops[] = {
      {"operator.add", OP_ADD, 0}, {"operator.sub", OP_SUB, 0},
      {"operator.mul", OP_MUL, 0}, {"operator.truediv", OP_DIV, 0},
      {"operator.floordiv", OP_FLOORDIV, 0}, {"operator.mod", OP_MOD, 0},
      {"operator.pow", OP_POW, 0}, {"operator.neg", OP_NEG, 1},
      {"operator.pos", OP_POS, 1}, {"operator.not_", OP_NOT, 1},
      {"operator.eq", OP_EQ, 2}, {"operator.ne", OP_NE, 2},
      {"operator.lt", OP_LT, 2}, {"operator.le", OP_LE, 2},
      {"operator.gt", OP_GT, 2}, {"operator.ge", OP_GE, 2}};
  const char *name = e->callee;
  const char *short_name = strchr(name, '.') + 1;
  eval_args_no_kw(e, a, short_name);
  if (!strcmp(name, "operator.getitem")) {
    eval_args_count(e, a, short_name, 2, 2);
    return eval_subscript(e, a->pos[0], a->pos[1], a->loc);
  }
  for (int i = 0; i < (int)(sizeof ops / sizeof *ops); i++) {
    if (strcmp(ops[i].name, name))
      continue;
    eval_args_count(e, a, short_name, ops[i].unary == 1 ? 1 : 2, ops[i].unary == 1 ? 1 : 2);
    if (ops[i].unary == 1)
      return eval_unop(e, ops[i].op, a->pos[0], a->loc);
    if (ops[i].unary == 2)
      return eval_compare(e, ops[i].op, a->pos[0], a->pos[1], a->loc);
    return eval_binop(e, ops[i].op, a->pos[0], a->pos[1], a->loc);
  }
  diag_error(a->loc, "%s() is not available at compile time", name);
}

/* math.X at compile time */
static Value *bi_math(Eval *e, Args *a) {
  const char *name = e->callee;
  const Op *op = op_lookup(name);
  eval_args_no_kw(e, a, name);
  eval_args_count(e, a, name, op->min_args, op->max_args);
  double x = num(e, a->pos[0], a->pos_loc[0], name);
  double y = a->npos > 1 ? num(e, a->pos[1], a->pos_loc[1], name) : 0;
  const char *f = name + 5;
  double r;
  if (!strcmp(f, "isnan"))
    return v_bool(x != x);
  if (!strcmp(f, "floor") || !strcmp(f, "ceil")) {
    if (a->pos[0]->kind == V_BIG)
      return a->pos[0];
    if (a->pos[0]->kind != V_FLOAT)
      return eval_mk_int(e, eval_need_int(e, a->pos[0], a->pos_loc[0], "an argument"));
    return float_to_int(e, f[0] == 'f' ? floor(x) : ceil(x), a->loc);
  }
  if ((!strcmp(f, "sqrt") && x < 0) || (!strcmp(f, "log") && x <= 0) ||
      (!strcmp(f, "log") && a->npos > 1 && (y <= 0 || y == 1)))
    diag_error(a->loc, "math domain error in %s()", name);
  if (!strcmp(f, "sqrt")) r = sqrt(x);
  else if (!strcmp(f, "exp")) r = exp(x);
  else if (!strcmp(f, "log")) r = a->npos > 1 ? log(x) / log(y) : log(x);
  else if (!strcmp(f, "sin")) r = sin(x);
  else if (!strcmp(f, "cos")) r = cos(x);
  else if (!strcmp(f, "tan")) r = tan(x);
  else if (!strcmp(f, "fabs")) r = fabs(x);
  else if (!strcmp(f, "pow")) r = pow(x, y);
  else diag_error(a->loc, "%s() is not available at compile time", name);
  if (isinf(r) && !isinf(x))
    diag_error(a->loc, "math range error in %s()", name);
  return eval_mk_float(e, r);
}

static const struct {
  const char *name;
  BuiltinFn *fn;
} table[] = {
    {"len", bi_len}, {"range", bi_range}, {"min", bi_min}, {"max", bi_max},
    {"sum", bi_sum}, {"abs", bi_abs}, {"round", bi_round}, {"int", bi_int},
    {"float", bi_float}, {"str", bi_str}, {"repr", bi_repr}, {"bool", bi_bool},
    {"list", bi_list}, {"tuple", bi_tuple}, {"dict", bi_dict},
    {"enumerate", bi_enumerate}, {"zip", bi_zip}, {"sorted", bi_sorted},
    {"reversed", bi_reversed}, {"any", bi_any}, {"all", bi_all},
    {"print", bi_print}, {"extern", bi_extern}, {"get", bi_get},
    {"dask.delayed", bi_delayed}, {"dask.compute", bi_compute},
    {"dask.persist", bi_persist}, {"dask.visualize", bi_visualize},
    {"dask.get", bi_get}, {"dask.threaded.get", bi_get},
    {"dask.multiprocessing.get", bi_get}, {"dask.local.get_sync", bi_get},
    {"distributed.Client", bi_client}, {"distributed.Executor", bi_client},
    {"distributed.as_completed", bi_as_completed},
    {"distributed.progress", bi_progress}, {"distributed.wait", bi_progress},
    {"dask.diagnostics.ProgressBar", bi_progress_bar},
    {"dask.config.set", bi_config_set},
};

BuiltinFn *eval_builtin_fn(const char *name) {
  for (int i = 0; i < (int)(sizeof table / sizeof *table); i++)
    if (!strcmp(table[i].name, name))
      return table[i].fn;
  if (!strncmp(name, "operator.", 9))
    return bi_operator;
  if (!strncmp(name, "math.", 5))
    return bi_math;
  return NULL; /* time.sleep, random.random: run time only */
}

/* Builtins that keep none of their arguments and make their results with
 * the counted constructors (v_seq, list_push): the values they touch need
 * no pinning (Value.refs). The others (graph dicts, math, operator, the
 * collections' functions) are called with pinned arguments and give a
 * pinned result. */
bool eval_builtin_counts_holders(const Value *f) {
  static BuiltinFn *const fns[] = {
      bi_len, bi_range, bi_min, bi_max, bi_sum, bi_abs, bi_round, bi_int,
      bi_float, bi_str, bi_repr, bi_bool, bi_list, bi_tuple, bi_enumerate,
      bi_zip, bi_sorted, bi_reversed, bi_any, bi_all, bi_delayed, bi_compute,
      bi_persist};
  for (int i = 0; i < (int)(sizeof fns / sizeof *fns); i++)
    if (f->bi.fn == fns[i])
      return true;
  return false;
}

bool eval_builtin_args_reusable(const Value *f) {
  return f->bi.fn == bi_range || f->bi.fn == bi_len;
}

static Value *builtin(Eval *e, const char *name) {
  return v_builtin(e->a, name, eval_builtin_fn(name));
}

void eval_builtins_install(Eval *e, Scope *s) {
  static const char *names[] = {
      "len", "range", "min", "max", "sum", "abs", "round", "int", "float",
      "str", "repr", "bool", "list", "tuple", "dict", "enumerate", "zip",
      "sorted", "reversed", "any", "all", "print", "extern", "get", NULL};
  for (int i = 0; names[i]; i++)
    eval_bind(e, s, names[i], builtin(e, names[i]));
}

/* What `module.name` / `from module import name` gives, or NULL. The
 * collections' modules are the rows of their registry
 * (collections/registry.c). */
Value *eval_module_attr(Eval *e, const char *m, const char *name, Loc loc) {
  const CollModule *cm = coll_module(m);
  if (cm) {
    if (!cm->attr)
      diag_error(loc, "%s is not supported yet (collections are future work; "
                 "use dask.delayed or a graph dict)", m);
    return cm->attr(e, m, name, loc);
  }
  if (!strcmp(m, "dask")) {
    cm = coll_submodule(m, name);
    if (cm)
      return v_module(e->a, cm->name);
    static const char *subs[] = {"threaded", "multiprocessing", "local",
                                 "distributed", "diagnostics", "config", NULL};
    for (int i = 0; subs[i]; i++)
      if (!strcmp(name, subs[i]))
        return v_module(e->a, arena_printf(e->a, "dask.%s", name));
    static const char *fns[] = {"delayed", "compute", "persist", "visualize",
                                "get", NULL};
    for (int i = 0; fns[i]; i++)
      if (!strcmp(name, fns[i]))
        return builtin(e, arena_printf(e->a, "dask.%s", name));
    return NULL;
  }
  if (!strcmp(m, "dask.threaded") || !strcmp(m, "dask.multiprocessing"))
    return !strcmp(name, "get") ? builtin(e, arena_printf(e->a, "%s.get", m)) : NULL;
  if (!strcmp(m, "dask.diagnostics"))
    return !strcmp(name, "ProgressBar")
               ? builtin(e, "dask.diagnostics.ProgressBar") : NULL;
  if (!strcmp(m, "dask.config"))
    return !strcmp(name, "set") ? builtin(e, "dask.config.set") : NULL;
  if (!strcmp(m, "dask.local"))
    return !strcmp(name, "get_sync") ? builtin(e, "dask.local.get_sync") : NULL;
  if (!strcmp(m, "dask.distributed") || !strcmp(m, "distributed")) {
    static const char *fns[] = {"Client", "Executor", "as_completed",
                                "progress", "wait", NULL};
    for (int i = 0; fns[i]; i++)
      if (!strcmp(name, fns[i]))
        return builtin(e, arena_printf(e->a, "distributed.%s", name));
    return NULL;
  }
  double c;
  if (!strcmp(m, "math") &&
      op_constant(arena_printf(e->a, "math.%s", name), &c))
    return eval_mk_float(e, c);
  if (!strcmp(m, "operator") || !strcmp(m, "math") || !strcmp(m, "time") ||
      !strcmp(m, "random") || !strcmp(m, "json")) {
    const char *q = arena_printf(e->a, "%s.%s", m, name);
    return op_lookup(q) ? builtin(e, q) : NULL;
  }
  return NULL;
}
