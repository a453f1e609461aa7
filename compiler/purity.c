/* purity.c - which functions are pure (docs/language.md §2 "Purity").
 *
 * A function is impure when its body calls an IMPURE op of ir/ops.def
 * (time.sleep, random.random, print, ...), an @extern function not declared
 * pure=True, or, transitively, another def that is impure. Explicit pure=
 * (decorator) wins. Calls are resolved against the module's final globals,
 * as Python resolves them when the body runs. Recursion and mutual
 * recursion are a fixed point: a function is impure only if some chain of
 * calls reaches an impure builtin. */
#include <string.h>

#include "eval_int.h"

typedef struct Callee {
  FuncInfo *fi;
  Loc loc;
} Callee;

typedef struct Facts {
  const char *direct;  /* "calls time.sleep at 3:5", or NULL */
  Callee *callees;
  int ncallees, cap;
  const char **locals; /* parameters and assigned names */
  int nlocals, caplocals;
} Facts;

/* ---- locally bound names ---- */

static void add_local(Eval *e, Facts *f, const char *name) {
  for (int i = 0; i < f->nlocals; i++)
    if (!strcmp(f->locals[i], name))
      return;
  if (f->nlocals == f->caplocals) {
    int cap = f->caplocals * 2 + 8;
    f->locals = arena_realloc(e->a, f->locals, sizeof(char *) * (size_t)f->caplocals,
                              sizeof(char *) * (size_t)cap);
    f->caplocals = cap;
  }
  f->locals[f->nlocals++] = name;
}

static void add_target(Eval *e, Facts *f, Node *t) {
  if (!t)
    return;
  if (t->kind == N_NAME)
    add_local(e, f, t->name);
  else if (t->kind == N_TUPLE || t->kind == N_LIST)
    for (int i = 0; i < t->nitems; i++)
      add_target(e, f, t->items[i]);
  else if (t->kind == N_STARRED)
    add_target(e, f, t->lhs);
}

static bool is_local(Facts *f, const char *name) {
  for (int i = 0; i < f->nlocals; i++)
    if (!strcmp(f->locals[i], name))
      return true;
  return false;
}

/* ---- walking a body ---- */

typedef void Visit(Eval *e, Facts *f, Node *n);

static void walk(Eval *e, Facts *f, Node *n, Visit *visit);

static void walk_list(Eval *e, Facts *f, Node **v, int n, Visit *visit) {
  for (int i = 0; i < n; i++)
    walk(e, f, v[i], visit);
}

/* walk() of `a + b + c + ...`, as deep as it is long, in a loop over its
 * left spine (on the evaluator's spine stack) in the same order. */
static void walk_chain(Eval *e, Facts *f, Node *n, Visit *visit) {
  int base = e->spine.len;
  for (Node *s = n; s->kind == N_BINOP; s = s->lhs) {
    visit(e, f, s);
    ptrvec_push(e->a, &e->spine, s);
  }
  int top = e->spine.len - 1;
  walk(e, f, ((Node *)e->spine.items[top])->lhs, visit);
  for (int i = top; i >= base; i--)
    walk(e, f, ((Node *)e->spine.items[i])->rhs, visit);
  e->spine.len = base;
}

/* Every node below n, pre-order (so an outer call is seen before the calls
 * in its arguments). Depth is bounded by the parser's nesting limit. */
static void walk(Eval *e, Facts *f, Node *n, Visit *visit) {
  if (!n)
    return;
  if (n->kind == N_BINOP && n->lhs->kind == N_BINOP) {
    walk_chain(e, f, n, visit);
    return;
  }
  visit(e, f, n);
  walk(e, f, n->lhs, visit);
  walk(e, f, n->rhs, visit);
  walk(e, f, n->cond, visit);
  walk(e, f, n->then, visit);
  walk(e, f, n->els, visit);
  walk(e, f, n->key, visit);
  walk_list(e, f, n->items, n->nitems, visit);
  for (int i = 0; i < n->nkeys; i++)
    walk(e, f, n->keys[i], visit);
  walk_list(e, f, n->kws, n->nkws, visit);
  walk_list(e, f, n->comps, n->ncomps, visit);
  walk_list(e, f, n->body, n->nbody, visit);
  walk_list(e, f, n->orelse, n->norelse, visit);
  for (int i = 0; i < n->nparams; i++)
    walk(e, f, n->params[i].deflt, visit);
}

static void visit_binding(Eval *e, Facts *f, Node *n) {
  switch (n->kind) {
  case N_ASSIGN:
    for (int i = 0; i < n->nitems; i++)
      add_target(e, f, n->items[i]);
    break;
  case N_AUGASSIGN: case N_ANNASSIGN: case N_FOR: case N_COMPFOR:
    add_target(e, f, n->lhs);
    break;
  case N_DEF:
    add_local(e, f, n->name);
    break;
  case N_IMPORT: case N_FROMIMPORT:
    add_local(e, f, n->asname ? n->asname : n->name);
    break;
  default:
    break;
  }
}

static FuncInfo *func_of(Eval *e, Value *v) {
  while (v && v->kind == V_DFUNC)
    v = v->dfunc.target;
  if (!v || v->kind != V_FUNC)
    return NULL;
  (void)e;
  return v->func;
}

static const char *impure_op(Value *v) {
  while (v && v->kind == V_DFUNC)
    v = v->dfunc.target;
  if (!v || v->kind != V_BUILTIN)
    return NULL;
  const Op *op = op_lookup(v->bi.name);
  return op && op->purity == IMPURE ? op->name : NULL;
}

static void visit_call(Eval *e, Facts *f, Node *n) {
  if (n->kind != N_CALL)
    return;
  Node *c = n->lhs;
  const char *op = NULL;
  Value *v = NULL;
  if (c->kind == N_NAME && !is_local(f, c->name)) {
    v = eval_lookup_global(e, c->name);
    op = impure_op(v);
  } else if (c->kind == N_ATTR && c->lhs->kind == N_NAME &&
             !is_local(f, c->lhs->name)) {
    Value *m = eval_lookup_global(e, c->lhs->name);
    if (m && m->kind == V_MODULE) {
      const Op *o = op_lookup(arena_printf(e->a, "%s.%s", m->module, c->name));
      op = o && o->purity == IMPURE ? o->name : NULL;
    }
  }
  if (op && !f->direct)
    f->direct = arena_printf(e->a, "calls %s at %d:%d", op, n->loc.line,
                             n->loc.col);
  FuncInfo *fi = func_of(e, v);
  if (!fi)
    return;
  if (f->ncallees == f->cap) {
    int cap = f->cap * 2 + 4;
    f->callees = arena_realloc(e->a, f->callees, sizeof(Callee) * (size_t)f->cap,
                               sizeof(Callee) * (size_t)cap);
    f->cap = cap;
  }
  f->callees[f->ncallees++] = (Callee){fi, n->loc};
}

static void gather_facts(Eval *e, FuncInfo *fi, Facts *f) {
  Node *def = fi->def;
  for (int i = 0; i < def->nparams; i++)
    add_local(e, f, def->params[i].name);
  walk_list(e, f, def->body, def->nbody, visit_binding);
  walk_list(e, f, def->body, def->nbody, visit_call);
}

/* ---- the fixed point ---- */

static int index_of(Eval *e, FuncInfo *fi) {
  for (int i = 0; i < e->nfuncs; i++)
    if (e->funcs[i] == fi)
      return i;
  return -1;
}

void purity_infer(Eval *e) {
  int n = e->nfuncs;
  Facts *facts = ARENA_ARRAY(e->a, Facts, n + 1);
  const char **why = ARENA_ARRAY(e->a, const char *, n + 1); /* body's reason */
  for (int i = 0; i < n; i++) {
    Func *fn = e->funcs[i]->fn;
    if (fn->is_extern) {
      if (!fn->pure_explicit || !fn->pure)
        why[i] = "is an extern C function not declared pure=True";
      continue;
    }
    gather_facts(e, e->funcs[i], &facts[i]);
    why[i] = facts[i].direct;
  }
  /* A callee makes its caller impure when the callee is impure in effect
   * (declared, or inferred so far). Monotone, so this terminates. */
  for (bool changed = true; changed;) {
    changed = false;
    for (int i = 0; i < n; i++) {
      if (why[i])
        continue;
      for (int k = 0; k < facts[i].ncallees; k++) {
        Callee *c = &facts[i].callees[k];
        int j = index_of(e, c->fi);
        Func *cf = c->fi->fn;
        bool impure = cf->pure_explicit ? !cf->pure : j >= 0 && why[j];
        if (!impure)
          continue;
        const char *reason = cf->pure_explicit && !cf->is_extern
                                 ? "is declared pure=False"
                                 : why[j];
        why[i] = arena_printf(e->a, "calls %s at %d:%d, which %s", cf->name,
                              c->loc.line, c->loc.col, reason);
        changed = true;
        break;
      }
    }
  }
  for (int i = 0; i < n; i++) {
    Func *fn = e->funcs[i]->fn;
    if (!fn->pure_explicit)
      fn->pure = why[i] == NULL;
    fn->impure_why = why[i];
  }
  for (int i = 0; i < e->npending; i++)
    e->pending[i].task->pure = e->pending[i].fn->pure;
}

void purity_explain(FILE *out, const Graph *g) {
  for (int i = 0; i < g->nfuncs; i++) {
    Func *fn = g->funcs[i];
    const char *why = fn->impure_why;
    if (fn->pure_explicit) {
      const char *decl = fn->pure ? "pure (declared pure=True" : "impure (declared pure=False";
      if (why && !fn->is_extern)
        fprintf(out, "%s: %s; its body %s)\n", fn->name, decl, why);
      else
        fprintf(out, "%s: %s)\n", fn->name, decl);
    } else if (fn->pure) {
      fprintf(out, "%s: pure (calls no impure builtin)\n", fn->name);
    } else {
      fprintf(out, "%s: impure: %s\n", fn->name, why ? why : "unknown");
    }
  }
}
