/* eval_runval.c - run-time values at the top level (docs/language.md §2).
 *
 * What compute(), result() and gather() return is known only when the
 * program runs: a V_COMPUTED value, the reference to its task. Python code
 * goes on with it (`total = total + f.result()`, `print(r * 2)`,
 * f"{m.compute():.3f}"), so each operation on one becomes a task whose
 * result is a run-time value in turn, and a top-level print() becomes a
 * task that prints at run time. Only what needs the value now, such as
 * branching on it, stays a located error (eval_truthy).
 *
 * An operation the runtime has as an op (ir/ops.def: operator.add, str,
 * len, ...) is that op, as on delayed values: the op takes any value, also
 * one whose type is only known at run time (a dataframe reduction's). The
 * others (`%` on a str, repr, format with a spec, methods, keywords) are
 * task functions taskc writes, `def rv_repr(p0): return repr(p0)`,
 * compiled as any def (docs/functions.md), so they have exactly the
 * semantics of task bodies. One def per operation shape, made once.
 *
 * Prints run in program order: each print task (the runtime's print op,
 * which prints any value as Python does) takes the previous one's result
 * as an argument it ignores, and they are the graph's effects, kept by
 * cull although no output needs them. */
#include <string.h>

#include "eval_int.h"

enum { MAX_NEST = 50 };

typedef struct Synth {
  const char *key;
  Value *f;
} Synth;

static bool is_runval(const Value *v) { return v->kind == V_COMPUTED; }

/* v is a run-time value or a list/tuple/dict holding one. */
static bool holds_runval(const Value *v, int depth) {
  if (is_runval(v))
    return true;
  if (depth > MAX_NEST)
    return false;
  if (v->kind == V_LIST || v->kind == V_TUPLE) {
    for (int i = 0; i < v->seq.n; i++)
      if (holds_runval(v->seq.items[i], depth + 1))
        return true;
  } else if (v->kind == V_DICT) {
    for (int i = 0; i < v->dict->n; i++)
      if (holds_runval(v->dict->vals[i], depth + 1))
        return true;
  }
  return false;
}

bool eval_runval_holds(const Value *v) { return holds_runval(v, 0); }

/* Only where the compile-time answer would look at the items anyway: a
 * loop's `k in big_dict` or `xs is None` must stay O(1). */
bool eval_runval_compare(OpCode op, const Value *x, const Value *y) {
  if (is_runval(x) || is_runval(y))
    return true;
  bool seqs = (x->kind == V_LIST || x->kind == V_TUPLE) &&
              (y->kind == V_LIST || y->kind == V_TUPLE);
  if (op == OP_IN || op == OP_NOTIN)
    return (y->kind == V_LIST || y->kind == V_TUPLE) && holds_runval(y, 0);
  if (op == OP_EQ || op == OP_NE)
    return seqs && x->seq.n == y->seq.n &&
           (holds_runval(x, 0) || holds_runval(y, 0));
  return false;
}

bool eval_runval_any(Args *a) {
  for (int i = 0; i < a->npos; i++)
    if (holds_runval(a->pos[i], 0))
      return true;
  for (int i = 0; i < a->nkw; i++)
    if (holds_runval(a->kw[i], 0))
      return true;
  return false;
}

/* ---- the task functions ---- */

static Node *node(Eval *e, NodeKind kind, Loc loc) {
  Node *n = ARENA_NEW(e->a, Node);
  n->kind = kind;
  n->loc = loc;
  return n;
}

static Node *param_ref(Eval *e, int i, Loc loc) {
  Node *n = node(e, N_NAME, loc);
  n->name = arena_printf(e->a, "p%d", i);
  return n;
}

/* The def made for `key`, or a new `def name(p0..p{np-1}): return expr`
 * (expr reads the parameters through param_ref). */
static Value *synth_find(Eval *e, const char *key) {
  for (int i = 0; i < e->runval_funcs.len; i++) {
    Synth *s = e->runval_funcs.items[i];
    if (!strcmp(s->key, key))
      return s->f;
  }
  return NULL;
}

static Value *synth_make(Eval *e, const char *key, const char *name, int np,
                         Node *expr, Loc loc) {
  Param *ps = ARENA_ARRAY(e->a, Param, np + 1);
  for (int i = 0; i < np; i++)
    ps[i] = (Param){.name = arena_printf(e->a, "p%d", i), .loc = loc};
  Synth *s = ARENA_NEW(e->a, Synth);
  s->key = key;
  /* rv_: the body calls the builtin of the same name, not this def */
  s->f = eval_def_returning(e, arena_printf(e->a, "rv_%s", name), ps, np,
                            expr, loc);
  v_pin(s->f);
  ptrvec_push(e->a, &e->runval_funcs, s);
  return s->f;
}

/* A task of f on vals; its result is a run-time value. */
static Value *run_task(Eval *e, Value *f, Value **vals, int n, Loc loc) {
  Args *a = eval_args_new(e, loc, n, vals);
  Value *d = eval_call_delayed(e, f, -1, a);
  return v_task(e->a, V_COMPUTED, d->task);
}

static const char *op_name(OpCode op) {
  switch (op) {
  case OP_ADD: return "add";
  case OP_SUB: return "sub";
  case OP_MUL: return "mul";
  case OP_DIV: return "truediv";
  case OP_FLOORDIV: return "floordiv";
  case OP_MOD: return "mod";
  case OP_POW: return "pow";
  case OP_BITAND: return "and_";
  case OP_BITOR: return "or_";
  case OP_BITXOR: return "xor";
  case OP_LSHIFT: return "lshift";
  case OP_RSHIFT: return "rshift";
  case OP_LT: return "lt";
  case OP_LE: return "le";
  case OP_GT: return "gt";
  case OP_GE: return "ge";
  case OP_EQ: return "eq";
  case OP_NE: return "ne";
  case OP_IN: return "contains";
  case OP_NOTIN: return "not_in";
  case OP_IS: return "is_";
  case OP_ISNOT: return "is_not";
  case OP_NEG: return "neg";
  case OP_POS: return "pos";
  case OP_INVERT: return "invert";
  default: return NULL;
  }
}

/* The op of a delayed value's operator, as a task on run-time values. */
static Value *op_task(Eval *e, const char *opname, Value **xs, int n, Loc loc) {
  Value *d = n == 2 ? eval_delayed_binop(e, opname, xs[0], xs[1], loc)
                    : eval_delayed_unop(e, opname, xs[0], loc);
  return v_task(e->a, V_COMPUTED, d->task);
}

Value *eval_runval_binop(Eval *e, OpCode op, Value *x, Value *y, Loc loc,
                         bool cmp) {
  const char *name = op_name(op);
  /* str % args formats: the body's % has Python's formatting */
  bool ops = op != OP_IN && op != OP_NOTIN && op != OP_IS && op != OP_ISNOT &&
             op != OP_INVERT && !(op == OP_MOD && x->kind == V_STR);
  if (name && ops && op_lookup(arena_printf(e->a, "operator.%s", name))) {
    Value *xs[2] = {x, y};
    return op_task(e, arena_printf(e->a, "operator.%s", name), xs, 2, loc);
  }
  if (!name)
    eval_runtime_only(e, is_runval(x) ? x : y, loc, arena_printf(
        e->a, "operator %s on it is not supported (a taskc limit)",
        ast_opcode_str(op)));
  const char *key = arena_printf(e->a, "bin:%s", name);
  Value *f = synth_find(e, key);
  if (!f) {
    Node *x0 = param_ref(e, 0, loc), *y0 = param_ref(e, 1, loc);
    Node *ex;
    if (cmp) {
      ex = node(e, N_COMPARE, loc);
      ex->items = ARENA_ARRAY(e->a, Node *, 2);
      ex->items[0] = x0;
      ex->items[1] = y0;
      ex->nitems = 2;
      ex->ops = ARENA_ARRAY(e->a, OpCode, 1);
      ex->ops[0] = op;
    } else {
      ex = node(e, N_BINOP, loc);
      ex->op = op;
      ex->lhs = x0;
      ex->rhs = y0;
    }
    f = synth_make(e, key, name, 2, ex, loc);
  }
  Value *xs[2] = {x, y};
  return run_task(e, f, xs, 2, loc);
}

Value *eval_runval_unop(Eval *e, OpCode op, Value *x, Loc loc) {
  const char *name = op_name(op);
  if (!name)
    eval_runtime_only(e, x, loc, "this operator on it is not supported");
  if (op == OP_NEG || op == OP_POS)
    return op_task(e, arena_printf(e->a, "operator.%s", name), &x, 1, loc);
  const char *key = arena_printf(e->a, "un:%s", name);
  Value *f = synth_find(e, key);
  if (!f) {
    Node *ex = node(e, N_UNARY, loc);
    ex->op = op;
    ex->lhs = param_ref(e, 0, loc);
    f = synth_make(e, key, name, 1, ex, loc);
  }
  return run_task(e, f, &x, 1, loc);
}

Value *eval_runval_subscript(Eval *e, Value *obj, Value *index, Loc loc) {
  Value *xs[2] = {obj, index};
  return op_task(e, "operator.getitem", xs, 2, loc);
}

/* A call `callee(p0, .., k=pK, ..)` of npos positional and nkw keyword
 * arguments, as a task function named name. */
static Value *call_func(Eval *e, const char *key, const char *name,
                        Node *callee, int npos, const char **kws, int nkw,
                        Loc loc) {
  const char *k = key;
  for (int i = 0; i < nkw; i++)
    k = arena_printf(e->a, "%s,%s", k, kws[i]);
  Value *f = synth_find(e, k);
  if (f)
    return f;
  Node *call = node(e, N_CALL, loc);
  call->lhs = callee;
  call->items = ARENA_ARRAY(e->a, Node *, npos + 1);
  call->kws = ARENA_ARRAY(e->a, Node *, nkw + 1);
  for (int i = 0; i < npos; i++)
    call->items[call->nitems++] = param_ref(e, i, loc);
  for (int i = 0; i < nkw; i++) {
    Node *kn = node(e, N_KEYWORD, loc);
    kn->name = kws[i];
    kn->lhs = param_ref(e, npos + i, loc);
    call->kws[call->nkws++] = kn;
  }
  return synth_make(e, k, name, npos + nkw, call, loc);
}

/* The arguments of a as one array: positional, then keywords. */
static Value **flat_args(Eval *e, Args *a, Value *first) {
  int off = first != NULL;
  Value **vals = ARENA_ARRAY(e->a, Value *, off + a->npos + a->nkw + 1);
  if (first)
    vals[0] = first;
  for (int i = 0; i < a->npos; i++)
    vals[off + i] = a->pos[i];
  for (int i = 0; i < a->nkw; i++)
    vals[off + a->npos + i] = a->kw[i];
  return vals;
}

/* The builtins a task body has that make sense on a run-time value. len
 * of a list is known now, whatever it holds: only len(r) itself waits. */
static bool body_builtin(const char *name) {
  static const char *names[] = {"str", "repr", "format", "int", "float",
                                "bool", "abs", "round", "min", "max", "sum",
                                "sorted", "len", NULL};
  for (int i = 0; names[i]; i++)
    if (!strcmp(names[i], name))
      return true;
  return false;
}

Value *eval_runval_builtin(Eval *e, Value *f, Args *a) {
  /* cheap for the common call: only a container argument is searched */
  bool top = false, inside = false;
  for (int i = 0; i < a->npos; i++) {
    top |= is_runval(a->pos[i]);
    inside |= a->pos[i]->kind == V_LIST || a->pos[i]->kind == V_TUPLE ||
              a->pos[i]->kind == V_DICT;
  }
  for (int i = 0; i < a->nkw; i++)
    top |= is_runval(a->kw[i]);
  const char *name = f->bi.name;
  if ((!top && !inside) || !body_builtin(name))
    return NULL;
  if (!top && (!strcmp(name, "len") || !eval_runval_any(a)))
    return NULL; /* len of a list is known now, whatever it holds */
  if (!a->nkw && op_lookup(name)) { /* str(r), len(r), max(r, 0), ... */
    Value *d = eval_call_delayed(e, f, -1, a);
    return v_task(e->a, V_COMPUTED, d->task);
  }
  Node *callee = node(e, N_NAME, a->loc);
  callee->name = name;
  Value *fn = call_func(e, arena_printf(e->a, "call:%s/%d", name, a->npos),
                        name, callee, a->npos, a->kw_names, a->nkw, a->loc);
  return run_task(e, fn, flat_args(e, a, NULL), a->npos + a->nkw, a->loc);
}

Value *eval_runval_method(Eval *e, Value *self, const char *name, Args *a) {
  if (!strcmp(name, "compute") || !strcmp(name, "result") ||
      !strcmp(name, "persist") || !strcmp(name, "visualize"))
    eval_runtime_only(e, self, a->loc, arena_printf(
        e->a, "it is a value, not a delayed one: it has no %s()", name));
  if (self->kind == V_STR) {
    /* "{} {}".format(r, i), ", ".join(rs): the template stays a literal,
     * as bodies want it */
    Node *lit = node(e, N_STR, a->loc);
    lit->str = self->str.s;
    lit->len = self->str.len;
    Node *callee = node(e, N_ATTR, a->loc);
    callee->lhs = lit;
    callee->name = name;
    const char *key = arena_printf(e->a, "strmeth:%s/%d:%.*s", name, a->npos,
                                   self->str.len, self->str.s);
    Value *fn = call_func(e, key, name, callee, a->npos, a->kw_names, a->nkw,
                          a->loc);
    return run_task(e, fn, flat_args(e, a, NULL), a->npos + a->nkw, a->loc);
  }
  Value *fn = eval_method_func(e, name, a->npos, a->kw_names, a->nkw, a->loc);
  return run_task(e, fn, flat_args(e, a, self), 1 + a->npos + a->nkw, a->loc);
}

/* format(v, spec) after the conversion !r / !s (conv 0: none). */
Value *eval_runval_format(Eval *e, Value *v, int conv, Value *spec, Loc loc) {
  if ((!conv || conv == 's') && spec->kind == V_STR && !spec->str.len) {
    /* f"{r}": format(r, '') is str(r) for the values a task makes */
    Value *d = eval_call_delayed(e, v_builtin(e->a, "str", NULL), -1,
                                 eval_args_new(e, loc, 1, &v));
    return v_task(e->a, V_COMPUTED, d->task);
  }
  const char *key = arena_printf(e->a, "format:%c", conv ? conv : '-');
  Value *f = synth_find(e, key);
  if (!f) {
    Node *arg = param_ref(e, 0, loc);
    if (conv) {
      Node *c = node(e, N_CALL, loc);
      c->lhs = node(e, N_NAME, loc);
      c->lhs->name = conv == 's' ? "str" : "repr";
      c->items = ARENA_ARRAY(e->a, Node *, 1);
      c->items[c->nitems++] = arg;
      arg = c;
    }
    Node *call = node(e, N_CALL, loc);
    call->lhs = node(e, N_NAME, loc);
    call->lhs->name = "format";
    call->items = ARENA_ARRAY(e->a, Node *, 2);
    call->items[call->nitems++] = arg;
    call->items[call->nitems++] = param_ref(e, 1, loc);
    f = synth_make(e, key, "format", 2, call, loc);
  }
  Value *xs[2] = {v, spec};
  return run_task(e, f, xs, 2, loc);
}

/* ---- print ---- */

static void no_graph_value(Eval *e, Value *v, Loc loc, int depth) {
  if (v->kind == V_DELAYED || v->kind == V_COLL)
    diag_error(loc, "print() of a %s at the top level would print its "
               "placeholder, not its value (as Dask prints Delayed('...')); "
               "print(x.compute()) prints the value at run time",
               v->kind == V_DELAYED ? "delayed value" : "dask collection");
  if (depth > MAX_NEST)
    return;
  if (v->kind == V_LIST || v->kind == V_TUPLE)
    for (int i = 0; i < v->seq.n; i++)
      no_graph_value(e, v->seq.items[i], loc, depth + 1);
}

/* print(a, b, ...) at the top level: a task that prints at run time, after
 * the previous top-level print (program order) and what it prints. */
Value *eval_runval_print(Eval *e, Args *a) {
  /* after, sep, end, then what is printed */
  Value **vals = ARENA_ARRAY(e->a, Value *, 3 + a->npos);
  vals[0] = e->last_print ? v_task(e->a, V_COMPUTED, e->last_print) : v_none();
  vals[1] = vals[2] = v_none();
  for (int i = 0; i < a->nkw; i++) {
    const char *k = a->kw_names[i];
    Value *v = a->kw[i];
    if (!strcmp(k, "flush"))
      continue;
    if (strcmp(k, "sep") && strcmp(k, "end"))
      diag_error(a->kw_loc[i], "print(%s=...) at the top level is not "
                 "supported (a taskc limit; sep= and end= are)", k);
    if (v->kind != V_STR && v->kind != V_NONE && !is_runval(v))
      diag_error(a->kw_loc[i], "%s must be None or a string, not %s", k,
                 v_type_name(v));
    vals[k[0] == 's' ? 1 : 2] = v;
  }
  for (int i = 0; i < a->npos; i++) {
    no_graph_value(e, a->pos[i], a->pos_loc[i], 0);
    vals[3 + i] = a->pos[i];
  }
  /* the runtime's print op takes any value, as Python's print does */
  Args *b = eval_args_new(e, a->loc, 3 + a->npos, vals);
  for (int i = 0; i < a->npos; i++)
    b->pos_loc[3 + i] = a->pos_loc[i];
  Value *f = v_builtin(e->a, "taskc.print_after", NULL);
  Task *t = eval_call_delayed(e, f, 0, b)->task;
  e->last_print = t;
  graph_add_effect(e->g, t);
  return v_none();
}
