/* sema_recur.c - recursion, direct and mutual.
 *
 * A body is typed in one forward pass, so a recursive call needs the
 * callee's return type before the callee's body has been fully checked.
 * An annotation (`-> int`) gives it. Otherwise the type comes from the
 * non-recursive returns, as a reader would infer it: the first recursive
 * call that needs it jumps back to the callee's check (sema.c,
 * check_spec), which checks the body once *guessing* -- statements whose
 * typing fails (a recursive call with no type yet, or what follows from
 * skipping one) are skipped, and the first return whose value, or a branch
 * of it (`n if n < 2 else fib(n - 1) + fib(n - 2)`), has a type gives the
 * guess -- and then once more for real, with recursive calls typed by the
 * guess. The real check decides: if the function returns anything else,
 * that is an error asking for an annotation. Specs created while guessing
 * are dropped when a statement is skipped (sema_truncate). */
#include <string.h>

#include "sema_impl.h"

static int active_index(const Sema *sema, const Spec *s) {
  for (int i = sema->nactive - 1; i >= 0; i--)
    if (sema->active[i].spec == s)
      return i;
  return -1;
}

Type *sema_recur_call(Sema *sema, Spec *s, Loc loc) {
  int k = active_index(sema, s);
  if (k < 0)
    return s->ret;
  /* every Spec from s up to the caller is on the cycle */
  for (int i = k; i < sema->nactive; i++)
    sema->active[i].spec->recursive = true;
  if (s->ret)
    return s->ret; /* annotated */
  if (s->guess)
    return s->guess;
  if (!sema->active[k].guessing)
    longjmp(*sema->active[k].retry, 1);
  /* while guessing s: skips the statement (sema_recur_stmt) */
  diag_error(loc, "the return type of '%s' is not known yet",
             sema_fn_name(s->fn));
}

void sema_recur_guess(Sema *sema, Spec *s) {
  /* the outermost guess opens it and closes it (compilations in one
   * process, the fuzzer's, must not keep a file each) */
  bool opened = !sema->quiet;
  if (opened && !(sema->quiet = fopen("/dev/null", "w")))
    diag_fatal("cannot open /dev/null");
  Active *e = &sema->active[sema->nactive - 1];
  e->guessing = true;
  Diag quiet = {.out = sema->quiet};
  Diag *prev = diag_use(&quiet);
  sema_check_body(sema, s, true);
  diag_use(prev);
  e->guessing = false;
  if (opened) {
    fclose(sema->quiet);
    sema->quiet = NULL;
  }
  if (!s->guess)
    diag_error(s->fn->loc, "cannot infer the return type of recursive "
               "function '%s' (no return outside a recursive call has a "
               "type); annotate it, e.g. 'def %s(...) -> int:'",
               sema_fn_name(s->fn), sema_fn_name(s->fn));
}

void sema_recur_verify(Spec *s) {
  if (s->guess && !s->fn->ret_type && s->ret != s->guess)
    diag_error(s->fn->loc, "recursive function '%s' returns %s, but its "
               "recursive calls were typed %s from its first return; "
               "annotate its return type", sema_fn_name(s->fn),
               ty_name(s->ret), ty_name(s->guess));
}

bool sema_recur_stmt(Checker *c, Node *n, bool (*stmt)(Checker *, Node *)) {
  Sema *sema = c->sema;
  jmp_buf jb;
  Diag skip = {.out = sema->quiet, .recover = &jb};
  Diag *const prev = diag_use(&skip);
  const int nspecs = sema->n, nactive = sema->nactive, loops = c->loops;
  if (setjmp(jb)) {
    diag_use(prev);
    sema->nactive = nactive;
    sema_truncate(sema, nspecs);
    c->loops = loops;
    return true;
  }
  bool falls = stmt(c, n);
  diag_use(prev);
  return falls;
}

/* The type of e, or of the first of its branches that has one; NULL if
 * none has (each try is a skipped statement when it fails). */
static Type *try_type(Checker *c, Node *e) {
  if (e->kind == N_IFEXP) {
    Type *t = try_type(c, e->then);
    return t ? t : try_type(c, e->els);
  }
  if (e->kind == N_BOOLOP) {
    Type *t = try_type(c, e->lhs);
    return t ? t : try_type(c, e->rhs);
  }
  Sema *sema = c->sema;
  jmp_buf jb;
  Diag skip = {.out = sema->quiet, .recover = &jb};
  Diag *const prev = diag_use(&skip);
  const int nspecs = sema->n, nactive = sema->nactive;
  if (setjmp(jb)) {
    diag_use(prev);
    sema->nactive = nactive;
    sema_truncate(sema, nspecs);
    return NULL;
  }
  Type *t = sema_expr(c, e);
  diag_use(prev);
  return t;
}

void sema_recur_return(Checker *c, Node *n) {
  Spec *s = c->spec;
  if (s->guess)
    return;
  Type *t = n->lhs ? try_type(c, n->lhs) : ty_none;
  if (t && t->kind != TY_ANY)
    s->guess = t;
}
