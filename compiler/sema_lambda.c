/* sema_lambda.c - lambdas as values in bodies: `f = lambda x: x * 2`
 * then `f(3)`. The lambda becomes a function (a Func named "lambda" whose
 * body returns the lambda's expression), specialised per call like a def,
 * so its parameters take the types of each call. It sees its parameters
 * only: a lambda using the body's other variables is a located error
 * (closures are a taskc limit). `key=lambda ...` does not come here: it
 * is inlined as a comprehension (sema_seq.c). */
#include <string.h>

#include "sema_impl.h"

static void remember(Checker *c, Node *node, Func *fn) {
  Sema *sema = c->sema;
  if (sema->nlambdas == sema->caplambdas) {
    int cap = sema->caplambdas ? 2 * sema->caplambdas : 8;
    sema->lambdas = arena_realloc(c->a, sema->lambdas,
                                  sizeof *sema->lambdas *
                                      (size_t)sema->caplambdas,
                                  sizeof *sema->lambdas * (size_t)cap);
    sema->caplambdas = cap;
  }
  sema->lambdas[sema->nlambdas].node = node;
  sema->lambdas[sema->nlambdas++].fn = fn;
}

static Func *remembered(Checker *c, Node *node) {
  for (int i = 0; i < c->sema->nlambdas; i++)
    if (c->sema->lambdas[i].node == node)
      return c->sema->lambdas[i].fn;
  return NULL;
}

static void bind(Checker *c, Node *at, const char *name, Func *fn) {
  for (int i = 0; i < c->nbound; i++)
    if (!strcmp(c->bound[i].name, name)) {
      c->bound[i].fn = fn; /* the latest assignment wins */
      return;
    }
  if (c->nbound == (int)(sizeof c->bound / sizeof *c->bound))
    diag_error(at->loc, "too many lambdas and nested defs in one function body");
  c->bound[c->nbound].name = name;
  c->bound[c->nbound++].fn = fn;
}

static Func *func_of(Checker *c, Node *def, const char *name) {
  Func *fn = ARENA_NEW(c->a, Func);
  fn->name = name;
  fn->def = def;
  fn->loc = def->loc;
  fn->pure = true;
  fn->nparams = def->nparams;
  fn->param_names = ARENA_ARRAY(c->a, const char *, def->nparams + 1);
  for (int i = 0; i < def->nparams; i++)
    fn->param_names[i] = def->params[i].name;
  return fn;
}

/* A def inside a body is a function of the body, like a lambda value: it
 * may be called (specialised per call), and sees only its own parameters
 * and locals (closures are a taskc limit, sema_expr.c says so at the
 * name). */
void sema_nested_def(Checker *c, Node *def) {
  if (sema_local_find(c, def->name) >= 0)
    diag_error(def->loc, "variable '%s' is a value; a nested def needs a name of its own",
               def->name);
  if (def->nitems)
    diag_error(def->items[0]->loc, "a nested def in a function body takes no decorators");
  for (int i = 0; i < def->nparams; i++)
    if (def->params[i].star || def->params[i].deflt)
      diag_error(def->params[i].loc, "a nested def in a function body takes plain "
                 "parameters");
  Func *fn = remembered(c, def);
  if (!fn) {
    fn = func_of(c, def, def->name);
    remember(c, def, fn);
  }
  bind(c, def, def->name, fn);
}

bool sema_is_nested_def(Checker *c, const Func *fn) {
  for (int i = 0; i < c->sema->nlambdas; i++)
    if (c->sema->lambdas[i].fn == fn && c->sema->lambdas[i].node->kind == N_DEF)
      return true;
  return false;
}

/* One Func per lambda expression, for the whole compilation. */
static Func *lambda_func(Checker *c, Node *lam) {
  Func *known = remembered(c, lam);
  if (known)
    return known;
  for (int i = 0; i < lam->nparams; i++)
    if (lam->params[i].star || lam->params[i].deflt)
      diag_error(lam->params[i].loc, "a lambda in a function body takes "
                 "plain parameters");
  Node *ret = ARENA_NEW(c->a, Node);
  ret->kind = N_RETURN;
  ret->loc = lam->lhs->loc;
  ret->lhs = lam->lhs;
  Node *def = ARENA_NEW(c->a, Node);
  def->kind = N_DEF;
  def->loc = lam->loc;
  def->name = "lambda";
  def->params = lam->params;
  def->nparams = lam->nparams;
  def->body = ARENA_ARRAY(c->a, Node *, 1);
  def->body[0] = ret;
  def->nbody = 1;
  Func *fn = func_of(c, def, "lambda");
  fn->loc = lam->loc;
  remember(c, lam, fn);
  return fn;
}

bool sema_lambda_assign(Checker *c, Node *n) {
  if (n->rhs->kind != N_LAMBDA)
    return false;
  if (n->nitems != 1 || n->items[0]->kind != N_NAME)
    diag_error(n->loc, "a lambda in a function body is assigned to one "
               "name");
  Node *t = n->items[0];
  if (sema_local_find(c, t->name) >= 0)
    diag_error(t->loc, "variable '%s' is a value; a lambda needs a name of "
               "its own", t->name);
  bind(c, t, t->name, lambda_func(c, n->rhs));
  return true;
}

Func *sema_lambda_find(Checker *c, const char *name) {
  for (int i = c->nbound - 1; i >= 0; i--)
    if (!strcmp(c->bound[i].name, name))
      return c->bound[i].fn;
  return NULL;
}
