/* sema_lambda.c - lambdas as values in bodies: `f = lambda x: x * 2`
 * then `f(3)`, and nested defs. Each becomes a function (a Func; a lambda's
 * is named "lambda" and returns the lambda's expression), specialised per
 * call like a def, so its parameters take the types of each call.
 *
 * Closures by lambda lifting: the variables of the enclosing function that
 * the body reads (assigned before the def or lambda) become trailing
 * parameters, and every call passes their values at the time of the call
 * (sema_call.c), which is what Python's closure cells give when the inner
 * function only reads them. `key=lambda ...` does not come here: it is
 * inlined as a comprehension (sema_seq.c). */
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

/* ---- the variables a nested function captures ---- */

typedef struct Names {
  Arena *a;
  const char **v;
  int n, cap;
} Names;

static bool names_has(const Names *s, const char *x) {
  for (int i = 0; i < s->n; i++)
    if (!strcmp(s->v[i], x))
      return true;
  return false;
}

static void names_add(Names *s, const char *x) {
  if (!x || names_has(s, x))
    return;
  if (s->n == s->cap) {
    int cap = s->cap ? 2 * s->cap : 16;
    s->v = arena_realloc(s->a, s->v, sizeof *s->v * (size_t)s->cap, sizeof *s->v * (size_t)cap);
    s->cap = cap;
  }
  s->v[s->n++] = x;
}

typedef struct Scan {
  Names bound, read, called; /* called: names of functions, never values */
} Scan;

static void bind_target(Names *b, Node *t) {
  if (!t)
    return;
  if (t->kind == N_NAME)
    names_add(b, t->name);
  else if (t->kind == N_STARRED)
    bind_target(b, t->lhs);
  else if (t->kind == N_TUPLE || t->kind == N_LIST)
    for (int i = 0; i < t->nitems; i++)
      bind_target(b, t->items[i]);
}

/* Names bound anywhere in the body (Python makes them local to it, for
 * the whole body) and names read. */
static void scan_node(Node *n, void *ctx) {
  Scan *s = ctx;
  switch (n->kind) {
  case N_NAME: names_add(&s->read, n->name); break;
  case N_CALL:
    if (n->lhs->kind == N_NAME)
      names_add(&s->called, n->lhs->name);
    break;
  case N_ASSIGN:
    for (int i = 0; i < n->nitems; i++)
      bind_target(&s->bound, n->items[i]);
    break;
  case N_AUGASSIGN: case N_ANNASSIGN: case N_FOR: case N_COMPFOR:
    bind_target(&s->bound, n->lhs);
    break;
  case N_DEF: case N_EXCEPT: names_add(&s->bound, n->name); break;
  case N_WITH:
    for (int i = 0; i < n->nkeys; i++)
      bind_target(&s->bound, n->keys[i]);
    break;
  default: break;
  }
  if (n->kind == N_DEF || n->kind == N_LAMBDA)
    for (int i = 0; i < n->nparams; i++)
      names_add(&s->bound, n->params[i].name);
}

static void scan_body(Scan *s, Node *def) {
  for (int i = 0; i < def->nparams; i++)
    names_add(&s->bound, def->params[i].name);
  for (int i = 0; i < def->nbody; i++)
    ast_walk(def->body[i], scan_node, s);
}

/* The variables of the enclosing function that def's body reads and does
 * not bind itself, appended to fn's parameters. A variable counts when the
 * enclosing function binds it anywhere (as Python decides); each call
 * checks that it has a value there (sema_call.c). */
static void capture(Checker *c, Node *def, Func *fn) {
  Func *outer = c->spec->fn;
  Scan inner = {.bound = {.a = c->a}, .read = {.a = c->a}, .called = {.a = c->a}};
  Scan around = {.bound = {.a = c->a}, .read = {.a = c->a}, .called = {.a = c->a}};
  scan_body(&inner, def);
  scan_body(&around, outer->def);
  for (int i = 0; i < outer->nparams; i++) /* its own captured ones too */
    names_add(&around.bound, outer->param_names[i]);
  Names cap = {.a = c->a};
  for (int i = 0; i < inner.read.n; i++) {
    const char *x = inner.read.v[i];
    if (names_has(&around.bound, x) && !names_has(&inner.bound, x) &&
        !names_has(&inner.called, x))
      names_add(&cap, x);
  }
  if (!cap.n)
    return;
  const char **names = ARENA_ARRAY(c->a, const char *, fn->nparams + cap.n + 1);
  memcpy(names, fn->param_names, sizeof *names * (size_t)fn->nparams);
  memcpy(names + fn->nparams, cap.v, sizeof *names * (size_t)cap.n);
  fn->param_names = names;
  fn->nparams += cap.n;
  fn->ncaptured = cap.n;
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
 * may be called (specialised per call), and sees its own names and the
 * enclosing function's variables it captures. */
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
    capture(c, def, fn);
    remember(c, def, fn);
  }
  bind(c, def, def->name, fn);
}

void sema_nested_self(Checker *c, Func *fn) {
  if (sema_is_nested_def(c, fn))
    bind(c, fn->def, fn->name, fn); /* so that it may call itself */
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
  capture(c, def, fn);
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
