/* eval_source.c - defs the compiler writes as Python source: a collection
 * (dask.bag) expresses its partition functions as small defs over the
 * program's own functions, typed by sema and compiled like any task
 * function. The def's nodes take the location of the user's call, so a
 * type error inside one points at the line that asked for it. */
#include <string.h>

#include "ast.h"
#include "collections/builder.h"
#include "eval_int.h"

/* Every node of the tree n gets loc. */
static void relocate(Node *n, Loc loc, int depth) {
  if (!n || depth > PARSE_MAX_DEPTH)
    return;
  n->loc = loc;
  Node *one[] = {n->lhs, n->rhs, n->cond, n->then, n->els, n->annot, n->key};
  for (size_t i = 0; i < sizeof one / sizeof *one; i++)
    relocate(one[i], loc, depth + 1);
  Node **lists[] = {n->items, n->keys, n->kws, n->comps, n->body, n->orelse};
  int counts[] = {n->nitems, n->nkeys, n->nkws, n->ncomps, n->nbody, n->norelse};
  for (size_t l = 0; l < sizeof lists / sizeof *lists; l++)
    for (int i = 0; lists[l] && i < counts[l]; i++)
      relocate(lists[l][i], loc, depth + 1);
  for (int i = 0; i < n->nparams; i++) {
    n->params[i].loc = loc;
    relocate(n->params[i].annot, loc, depth + 1);
    relocate(n->params[i].deflt, loc, depth + 1);
  }
}

Value *eval_def_text(Eval *e, const char *text, Loc loc) {
  SrcFile *src = src_from_text(e->a, "<taskc>", text, strlen(text));
  Node *module = parse_file(e->a, src);
  if (module->nbody != 1 || module->body[0]->kind != N_DEF)
    diag_fatal("internal error: a written def is not one def:\n%s", text);
  Node *def = module->body[0];
  relocate(def, loc, 0);
  return eval_register_def(e, def);
}

/* The def a body reaches by this name: the last one, as in Python. */
static Func *last_def(Eval *e, const char *name) {
  for (int i = e->g->nfuncs - 1; i >= 0; i--)
    if (e->g->funcs[i]->name && !strcmp(e->g->funcs[i]->name, name))
      return e->g->funcs[i];
  return NULL;
}

/* The dotted name an expression spells (math.sqrt), or NULL. */
static const char *dotted(Eval *e, Node *n) {
  if (n && n->kind == N_NAME)
    return n->name;
  if (n && n->kind == N_ATTR) {
    const char *base = dotted(e, n->lhs);
    return base ? arena_printf(e->a, "%s.%s", base, n->name) : NULL;
  }
  return NULL;
}

/* ---- lambdas over the program's constants ---- */

/* Names a lambda binds itself: its parameters and comprehension targets. */
typedef struct Bound {
  const char **names;
  int n, cap;
} Bound;

static void bind_targets(Eval *e, Bound *b, Node *t) {
  if (!t)
    return;
  if (t->kind == N_NAME) {
    if (b->n == b->cap) {
      int cap = b->cap ? 2 * b->cap : 8;
      const char **names = ARENA_ARRAY(e->a, const char *, cap);
      if (b->n)
        memcpy(names, b->names, sizeof *names * (size_t)b->n);
      b->names = names;
      b->cap = cap;
    }
    b->names[b->n++] = t->name;
  }
  for (int i = 0; i < t->nitems; i++)
    bind_targets(e, b, t->items[i]);
  if (t->kind == N_STARRED)
    bind_targets(e, b, t->lhs);
}

static void collect_bound(Eval *e, Bound *b, Node *n, int depth) {
  if (!n || depth > PARSE_MAX_DEPTH)
    return;
  if (n->kind == N_COMPFOR)
    bind_targets(e, b, n->lhs);
  for (int i = 0; i < n->nparams; i++) {
    Node name = {.kind = N_NAME, .name = n->params[i].name};
    bind_targets(e, b, &name);
  }
  Node *one[] = {n->lhs, n->rhs, n->cond, n->then, n->els, n->key};
  for (size_t i = 0; i < sizeof one / sizeof *one; i++)
    collect_bound(e, b, one[i], depth + 1);
  Node **lists[] = {n->items, n->keys, n->kws, n->comps};
  int counts[] = {n->nitems, n->nkeys, n->nkws, n->ncomps};
  for (size_t l = 0; l < sizeof lists / sizeof *lists; l++)
    for (int i = 0; lists[l] && i < counts[l]; i++)
      collect_bound(e, b, lists[l][i], depth + 1);
}

static bool is_bound(const Bound *b, const char *name) {
  for (int i = 0; i < b->n; i++)
    if (!strcmp(b->names[i], name))
      return true;
  return false;
}

/* The literal node of a constant value (ints, floats, strs, bools, None,
 * tuples and lists of them), or NULL. */
static Node *literal(Eval *e, Value *v, Loc loc, int depth) {
  if (depth > 32)
    return NULL;
  Node *n = ARENA_NEW(e->a, Node);
  n->loc = loc;
  switch (v->kind) {
  case V_NONE: n->kind = N_NONE; return n;
  case V_BOOL: n->kind = v->i ? N_TRUE : N_FALSE; return n;
  case V_INT: n->kind = N_INT; n->ival = v->i; return n;
  case V_FLOAT: n->kind = N_FLOAT; n->fval = v->f; return n;
  case V_BIG: { /* a literal past int64 (its digits), negated if negative */
    bool neg = v->str.s[0] == '-';
    n->kind = N_INT;
    n->str = v->str.s + neg;
    n->len = v->str.len - neg;
    if (!neg)
      return n;
    Node *m = ARENA_NEW(e->a, Node);
    m->kind = N_UNARY;
    m->op = OP_NEG;
    m->loc = loc;
    m->lhs = n;
    return m;
  }
  case V_STR:
    n->kind = N_STR;
    n->str = v->str.s;
    n->len = v->str.len;
    return n;
  case V_TUPLE:
  case V_LIST:
    n->kind = v->kind == V_TUPLE ? N_TUPLE : N_LIST;
    n->nitems = v->seq.n;
    n->items = ARENA_ARRAY(e->a, Node *, v->seq.n + 1);
    for (int i = 0; i < v->seq.n; i++)
      if (!(n->items[i] = literal(e, v->seq.items[i], loc, depth + 1)))
        return NULL;
    return n;
  default:
    return NULL;
  }
}

static Node *closed(Eval *e, Node *n, Scope *env, const Bound *b, int depth);

static Node **closed_list(Eval *e, Node **xs, int n, Scope *env, const Bound *b, int depth) {
  if (!xs)
    return NULL;
  Node **out = ARENA_ARRAY(e->a, Node *, n + 1);
  for (int i = 0; i < n; i++)
    out[i] = closed(e, xs[i], env, b, depth + 1);
  return out;
}

/* A copy of n in which each free name bound in env to a constant is that
 * constant: `lambda x: x > limit` with `limit = 10` at the top level
 * becomes `lambda x: x > 10` (bodies cannot read globals). */
static Node *closed(Eval *e, Node *n, Scope *env, const Bound *b, int depth) {
  if (!n || depth > PARSE_MAX_DEPTH)
    return n;
  if (n->kind == N_NAME && !is_bound(b, n->name)) {
    Value *v = eval_scope_get(e, env, n->name);
    Node *lit = v ? literal(e, v, n->loc, 0) : NULL;
    return lit ? lit : n;
  }
  Node *c = ARENA_NEW(e->a, Node);
  *c = *n;
  c->lhs = closed(e, n->lhs, env, b, depth + 1);
  c->rhs = closed(e, n->rhs, env, b, depth + 1);
  c->cond = closed(e, n->cond, env, b, depth + 1);
  c->then = closed(e, n->then, env, b, depth + 1);
  c->els = closed(e, n->els, env, b, depth + 1);
  c->key = closed(e, n->key, env, b, depth + 1);
  c->items = closed_list(e, n->items, n->nitems, env, b, depth);
  c->keys = closed_list(e, n->keys, n->nkeys, env, b, depth);
  c->kws = closed_list(e, n->kws, n->nkws, env, b, depth);
  c->comps = closed_list(e, n->comps, n->ncomps, env, b, depth);
  if (n->kind == N_COMPFOR)
    c->lhs = n->lhs; /* targets stay names */
  return c;
}

static Node *closed_body(Eval *e, Value *lam) {
  Bound b = {0};
  collect_bound(e, &b, lam->lambda.node, 0);
  return closed(e, lam->lambda.node->lhs, lam->lambda.env, &b, 0);
}

const char *eval_callable_name(Eval *e, Value *f, Node *expr, Loc loc) {
  while (f->kind == V_DFUNC)
    f = f->dfunc.target;
  if (f->kind == V_FUNC) {
    const char *name = f->func->fn->name;
    if (last_def(e, name) != f->func->fn)
      diag_error(loc, "taskc limit: function '%s' is hidden by a later def of "
                 "the same name; give it a name of its own", name);
    return name;
  }
  if (f->kind == V_LAMBDA) {
    /* a def of its own under a name a body can call */
    Node *n = f->lambda.node;
    const char *name = arena_printf(e->a, "lambda_%d", e->nfuncs);
    eval_def_returning(e, name, n->params, n->nparams, closed_body(e, f), n->loc);
    return name;
  }
  if (f->kind == V_BUILTIN) {
    if (!strchr(f->bi.name, '.'))
      return f->bi.name; /* len, str, sum, ... */
    const char *spelled = dotted(e, expr);
    if (spelled)
      return spelled; /* as the program imported it */
    diag_error(loc, "taskc limit: pass %s by its name here", f->bi.name);
  }
  diag_error(loc, "'%s' object is not callable", v_type_name(f));
}
