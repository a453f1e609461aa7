/* df_mapfn.c - map_partitions(f): a def (or lambda) of the program applied
 * to each partition. Defs run at run time and cannot take a partition
 * there, so the collection reads the def itself: its body, statement by
 * statement, over the collection (where every operation it allows is
 * partition-wise, so f(collection) is map_partitions(f)). The subset:
 *   statements  name = expr, return expr, pass, a docstring;
 *   expressions the parameters and local names, globals of the program
 *               (compile-time values), literals, lists and tuples, dicts of
 *               literals, x.col, x[...], + - * / & |, comparisons, - ~,
 *               abs(x), and x.method(...) of a DataFrame or Series.
 * Anything else, and any operation across partitions (a reduction, len,
 * head, groupby, compute), is a located error. */
#include <string.h>

#include "df.h"

enum { MAX_LOCALS = 64 };

typedef struct Env {
  Eval *e;
  int n;
  const char *names[MAX_LOCALS];
  Value *vals[MAX_LOCALS];
} Env;

static _Noreturn void outside(Loc loc, const char *what) {
  diag_error(loc, "%s inside map_partitions(f) is not supported by taskc (f's body may use "
             "assignments, return, columns, [...], operators, comparisons, abs() and the "
             "partition-wise methods of the DataFrame or Series)", what);
}

static void bind(Env *env, const char *name, Value *v, Loc loc) {
  for (int i = 0; i < env->n; i++)
    if (!strcmp(env->names[i], name)) {
      env->vals[i] = v;
      return;
    }
  if (env->n == MAX_LOCALS)
    diag_error(loc, "taskc takes at most %d local names in map_partitions(f)", MAX_LOCALS);
  env->names[env->n] = name;
  env->vals[env->n++] = v;
}

static Value *expr(Env *env, Node *n);

static Value *seq(Env *env, Node *n) {
  Value **items = ARENA_ARRAY(eval_arena(env->e), Value *, n->nitems + 1);
  for (int i = 0; i < n->nitems; i++)
    items[i] = expr(env, n->items[i]);
  return n->kind == N_LIST ? eval_mk_list(env->e, items, n->nitems)
                           : eval_mk_tuple(env->e, items, n->nitems);
}

static Value *dict(Env *env, Node *n) {
  Value *d = v_dict(eval_arena(env->e));
  for (int i = 0; i < n->nitems; i++) {
    if (!n->keys[i])
      outside(n->loc, "'**' in a dict");
    Value *k = expr(env, n->keys[i]);
    if (k->kind != V_STR)
      outside(n->keys[i]->loc, "a dict key other than a str");
    v_dict_set(eval_arena(env->e), d->dict, k, expr(env, n->items[i]), n->keys[i]->loc);
  }
  return d;
}

static Value *unary(Env *env, Node *n) {
  Value *x = expr(env, n->lhs);
  if (df_is(x)) {
    Value *r = df_unop(env->e, n->op, x, n->loc);
    if (r)
      return r;
  } else if (n->op == OP_NEG && x->kind == V_INT && x->i != INT64_MIN) {
    return eval_mk_int(env->e, -x->i);
  } else if (n->op == OP_NEG && x->kind == V_FLOAT) {
    return eval_mk_float(env->e, -x->f);
  }
  outside(n->loc, arena_printf(eval_arena(env->e), "'%s' of %s", ast_opcode_str(n->op),
                               v_type_name(x)));
}

static Value *binary(Env *env, OpCode op, Value *x, Value *y, Loc loc) {
  if (df_is(x) || df_is(y)) {
    Value *r = df_binop(env->e, op, x, y, loc);
    if (r)
      return r;
  }
  outside(loc, arena_printf(eval_arena(env->e), "'%s' between %s and %s", ast_opcode_str(op),
                            v_type_name(x), v_type_name(y)));
}

static Value *call(Env *env, Node *n) {
  Eval *e = env->e;
  Arena *a = eval_arena(e);
  bool is_abs = n->lhs->kind == N_NAME && !strcmp(n->lhs->name, "abs");
  if (n->lhs->kind != N_ATTR && !is_abs)
    outside(n->loc, "a call other than x.method(...) or abs(x)");
  Args *args = eval_args_new(e, n->loc, 0, NULL);
  args->pos = ARENA_ARRAY(a, Value *, n->nitems + 1);
  args->pos_loc = ARENA_ARRAY(a, Loc, n->nitems + 1);
  args->pos_node = ARENA_ARRAY(a, Node *, n->nitems + 1);
  for (int i = 0; i < n->nitems; i++) {
    if (n->items[i]->kind == N_STARRED)
      outside(n->items[i]->loc, "'*' in a call");
    args->pos[i] = expr(env, n->items[i]);
    args->pos_loc[i] = n->items[i]->loc;
    args->pos_node[i] = n->items[i];
  }
  args->npos = args->pos_cap = n->nitems;
  args->kw_names = ARENA_ARRAY(a, const char *, n->nkws + 1);
  args->kw = ARENA_ARRAY(a, Value *, n->nkws + 1);
  args->kw_loc = ARENA_ARRAY(a, Loc, n->nkws + 1);
  for (int i = 0; i < n->nkws; i++) {
    if (!n->kws[i]->name)
      outside(n->kws[i]->loc, "'**' in a call");
    args->kw_names[i] = n->kws[i]->name;
    args->kw[i] = expr(env, n->kws[i]->lhs);
    args->kw_loc[i] = n->kws[i]->loc;
  }
  args->nkw = args->kw_cap = n->nkws;
  if (is_abs) {
    eval_args_count(e, args, "abs", 1, 1);
    if (!df_is(args->pos[0]))
      outside(n->loc, "abs() of something other than a Series");
    return df_unop(e, OP_NONE, args->pos[0], n->loc);
  }
  Value *self = expr(env, n->lhs->lhs);
  if (!df_is(self))
    outside(n->loc, arena_printf(a, "a method of %s", v_type_name(self)));
  return self->coll->ops->method(e, self, n->lhs->name, args);
}

static Value *expr(Env *env, Node *n) {
  Eval *e = env->e;
  switch (n->kind) {
  case N_NAME:
    for (int i = env->n - 1; i >= 0; i--)
      if (!strcmp(env->names[i], n->name))
        return env->vals[i];
    return eval_expr(e, n); /* a global of the program */
  case N_INT:
  case N_FLOAT:
  case N_STR:
  case N_TRUE:
  case N_FALSE:
  case N_NONE: return eval_expr(e, n);
  case N_LIST:
  case N_TUPLE: return seq(env, n);
  case N_DICT: return dict(env, n);
  case N_UNARY: return unary(env, n);
  case N_BINOP: return binary(env, n->op, expr(env, n->lhs), expr(env, n->rhs), n->loc);
  case N_COMPARE:
    if (n->nitems != 2)
      outside(n->loc, "a chained comparison");
    return binary(env, n->ops[0], expr(env, n->items[0]), expr(env, n->items[1]), n->loc);
  case N_ATTR: {
    Value *x = expr(env, n->lhs);
    if (!df_is(x))
      outside(n->loc, arena_printf(eval_arena(e), "an attribute of %s", v_type_name(x)));
    return x->coll->ops->attr(e, x, n->name, n->loc);
  }
  case N_SUBSCRIPT: {
    Value *x = expr(env, n->lhs);
    if (!df_is(x) || n->rhs->kind == N_SLICE)
      outside(n->loc, "this indexing");
    return df_index(e, x, expr(env, n->rhs), n->loc);
  }
  case N_CALL: return call(env, n);
  default: outside(n->loc, "this expression");
  }
}

/* Runs the statements of a def body; the value returned (NULL: none). */
static Value *run(Env *env, Node **body, int n) {
  for (int i = 0; i < n; i++) {
    Node *s = body[i];
    switch (s->kind) {
    case N_PASS: break;
    case N_EXPR:
      if (s->lhs->kind != N_STR) /* a docstring */
        outside(s->loc, "an expression statement");
      break;
    case N_ASSIGN:
      if (s->nitems != 1 || s->items[0]->kind != N_NAME)
        outside(s->loc, "an assignment to anything but one name");
      bind(env, s->items[0]->name, expr(env, s->rhs), s->loc);
      break;
    case N_RETURN:
      if (!s->lhs)
        outside(s->loc, "a return without a value");
      return expr(env, s->lhs);
    default: outside(s->loc, "this statement");
    }
  }
  return NULL;
}

/* f(pos[0], ..., pos[npos - 1]) read over the collection. */
Value *df_apply_def(Eval *e, Value *fn, Value **pos, int npos, Loc loc) {
  Node *def = fn->kind == V_FUNC ? fn->func->def : fn->lambda.node;
  Env env = {.e = e};
  int np = def->nparams;
  for (int i = 0; i < np; i++) {
    Param *p = &def->params[i];
    if (p->star)
      outside(p->loc, "a * or ** parameter");
    Value *v = i < npos ? pos[i] : NULL;
    if (!v && fn->kind == V_FUNC && fn->func->defaults && fn->func->defaults[i])
      v = fn->func->defaults[i];
    if (!v && fn->kind == V_LAMBDA && fn->lambda.defaults && fn->lambda.defaults[i])
      v = fn->lambda.defaults[i];
    if (!v)
      diag_error(loc, "map_partitions(f): f's parameter '%s' gets no value", p->name);
    bind(&env, p->name, v, p->loc);
  }
  if (npos > np)
    diag_error(loc, "map_partitions(f): f takes %d parameters, %d given", np, npos);
  Value *r = fn->kind == V_FUNC ? run(&env, def->body, def->nbody) : expr(&env, def->lhs);
  if (!r)
    diag_error(def->loc, "map_partitions(f): f returns nothing");
  return r;
}
