/* sema_lambda.c - lambdas as values in bodies: `f = lambda x: x * 2`
 * then `f(3)`. The lambda becomes a function (a Func named "lambda" whose
 * body returns the lambda's expression), specialised per call like a def,
 * so its parameters take the types of each call. It sees its parameters
 * only: a lambda using the body's other variables is a located error
 * (closures are a taskc limit). `key=lambda ...` does not come here: it
 * is inlined as a comprehension (sema_seq.c). */
#include <string.h>

#include "sema_impl.h"

/* One Func per lambda expression, for the whole compilation. */
static Func *lambda_func(Checker *c, Node *lam) {
  Sema *sema = c->sema;
  for (int i = 0; i < sema->nlambdas; i++)
    if (sema->lambdas[i].node == lam)
      return sema->lambdas[i].fn;
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
  Func *fn = ARENA_NEW(c->a, Func);
  fn->name = "lambda";
  fn->def = def;
  fn->loc = lam->loc;
  fn->pure = true;
  fn->nparams = lam->nparams;
  fn->param_names = ARENA_ARRAY(c->a, const char *, lam->nparams + 1);
  for (int i = 0; i < lam->nparams; i++)
    fn->param_names[i] = lam->params[i].name;
  if (sema->nlambdas == sema->caplambdas) {
    int cap = sema->caplambdas ? 2 * sema->caplambdas : 8;
    sema->lambdas = arena_realloc(c->a, sema->lambdas,
                                  sizeof *sema->lambdas *
                                      (size_t)sema->caplambdas,
                                  sizeof *sema->lambdas * (size_t)cap);
    sema->caplambdas = cap;
  }
  sema->lambdas[sema->nlambdas].node = lam;
  sema->lambdas[sema->nlambdas++].fn = fn;
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
  Func *fn = lambda_func(c, n->rhs);
  for (int i = 0; i < c->nbound; i++)
    if (!strcmp(c->bound[i].name, t->name)) {
      c->bound[i].fn = fn; /* the latest assignment wins */
      return true;
    }
  if (c->nbound == (int)(sizeof c->bound / sizeof *c->bound))
    diag_error(t->loc, "too many lambdas in one function body");
  c->bound[c->nbound].name = t->name;
  c->bound[c->nbound++].fn = fn;
  return true;
}

Func *sema_lambda_find(Checker *c, const char *name) {
  for (int i = c->nbound - 1; i >= 0; i--)
    if (!strcmp(c->bound[i].name, name))
      return c->bound[i].fn;
  return NULL;
}
