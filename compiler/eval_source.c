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
    eval_def_returning(e, name, n->params, n->nparams, n->lhs, n->loc);
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
