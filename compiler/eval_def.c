/* eval_def.c - a plain def called at the top level runs at compile time
 * (docs/language.md §2): the evaluator interprets its body, as Python runs
 * a helper that builds keys, lists or tasks while the script builds its
 * graph. The same def passed to delayed() is a task function and is
 * compiled (docs/functions.md); nothing here touches that.
 *
 * A call gets its own scope over the module's (parameters and locals,
 * Python's LEGB without closures), `return` ends the body through the
 * statement control code (EVAL_CTL_RETURN), recursion is bounded with a
 * located error, and the step limit counts the body's statements as at the
 * top level. An error inside the body is located in the body, with a note
 * that points at each call on the way (diag_push_frame). */
#include <string.h>

#include "eval_int.h"

/* Python's default recursion limit is 1000; each interpreted call costs a
 * few KB of the compiler thread's stack (more under the sanitizers), and
 * expressions nest on the same stack (MAX_EVAL_DEPTH), so fewer. */
enum { MAX_CALL_DEPTH = 400 };

/* What the body may not do at compile time: said before it runs, so the
 * error is the same whatever branch a call takes. */
static void check_body(Eval *e, FuncInfo *fi, Node **body, int n) {
  for (int i = 0; i < n; i++) {
    Node *s = body[i];
    switch (s->kind) {
    case N_DEF:
      diag_error(s->loc, "a def inside a function called at the top level is "
                 "not supported (a taskc limit); define '%s' at the top level",
                 s->name);
    case N_GLOBAL:
      diag_error(s->loc, "'global' in a function called at the top level is "
                 "not supported (a taskc limit); return the value instead");
    case N_TRY: case N_RAISE:
      diag_error(s->loc, "'%s' in a function called at the top level is not "
                 "supported (a taskc limit); make '%s' a task with delayed(%s)",
                 s->kind == N_TRY ? "try" : "raise", fi->fn->name, fi->fn->name);
    default:
      break;
    }
    check_body(e, fi, s->body, s->nbody);
    check_body(e, fi, s->orelse, s->norelse);
  }
}

/* A scope for a call: a finished call's when there is one. A million
 * calls of a small helper (fib) would otherwise each leave one behind. */
static Scope *scope_take(Eval *e) {
  Scope *s = e->free_scopes;
  if (!s)
    return eval_scope_new(e, e->globals);
  e->free_scopes = s->parent;
  s->parent = e->globals;
  return s;
}

/* The call is over: nothing holds its scope unless a lambda made during
 * the call does (its own or a comprehension's inside it). The values bound
 * there keep the count this scope gave them: they are never recycled. */
static void scope_give_back(Eval *e, Scope *s, long lambdas_before) {
  if (e->lambdas != lambdas_before)
    return;
  memset(s->names, 0, sizeof *s->names * (size_t)s->cap);
  memset(s->vals, 0, sizeof *s->vals * (size_t)s->cap);
  s->n = 0;
  s->parent = e->free_scopes;
  e->free_scopes = s;
}

Value *eval_def_call(Eval *e, Value *f, Args *a) {
  FuncInfo *fi = f->func;
  Func *fn = fi->fn;
  Node *def = fi->def;
  if (fn->is_extern)
    diag_error(a->loc, "@extern function '%s' runs at run time; wrap it with "
               "delayed(%s) to make a task", fn->name, fn->name);
  if (e->call_depth >= MAX_CALL_DEPTH)
    diag_error(a->loc, "recursion too deep: more than %d nested calls of "
               "functions at compile time (in '%s')", MAX_CALL_DEPTH, fn->name);
  Value **vals = eval_bind_params(e, fn->name, def->params, def->nparams,
                                  fi->defaults, a);
  long lambdas_before = e->lambdas;
  Scope *local = scope_take(e);
  for (int i = 0; i < def->nparams; i++) /* before vals' buffer is reused */
    eval_bind(e, local, def->params[i].name, vals[i]);
  eval_step(e, a->loc, 1);

  DiagFrame frame = {.loc = a->loc, .what = fn->name};
  diag_push_frame(&frame);
  if (!fi->interp_checked) {
    check_body(e, fi, def->body, def->nbody);
    fi->interp_checked = true;
  }
  Scope *saved_scope = e->scope;
  int saved_loops = e->loops; /* break/continue do not cross a call */
  Loc saved_loop_loc = e->loop_loc;
  Value *saved_ret = e->ret;
  const char *saved_name = e->def_name;
  e->def_name = fn->name;
  e->scope = local;
  e->loops = 0;
  e->loop_loc = (Loc){0};
  e->ret = NULL;
  e->call_depth++;
  int ctl = 0;
  eval_exec_block(e, def->body, def->nbody, &ctl);
  Value *r = e->ret ? e->ret : v_none();
  e->call_depth--;
  e->ret = saved_ret;
  e->def_name = saved_name;
  e->loop_loc = saved_loop_loc;
  e->loops = saved_loops;
  e->scope = saved_scope;
  scope_give_back(e, local, lambdas_before);
  diag_pop_frame(&frame);
  return r;
}

void eval_return(Eval *e, Node *n, int *ctl) {
  if (!e->call_depth)
    diag_error(n->loc, "'return' outside a function (the top level runs at "
               "compile time)");
  e->ret = n->lhs ? eval_expr(e, n->lhs) : v_none();
  *ctl = EVAL_CTL_RETURN;
}
