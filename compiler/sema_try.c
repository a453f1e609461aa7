/* sema_try.c - the exceptions of try/except and raise in bodies.
 *
 * Bodies fail with the runtime's messages (runtime/exc.c classifies them
 * into kinds); an except clause is the mask of the kinds its classes
 * cover, following Python's hierarchy (LookupError covers IndexError and
 * KeyError, Exception covers all). `except E as e` binds e to str(e): a
 * str, which is what bodies do with it (print, format, compare). */
#include <string.h>

#include "sema_impl.h"

static const struct {
  const char *name;
  int64_t mask;  /* the kinds an except clause of it catches */
  int64_t kind;  /* the kind `raise` of it fails with */
} classes[] = {
    {"Exception", TR_EXC_ALL_KINDS, TR_EXC_OTHER_KIND},
    {"BaseException", TR_EXC_ALL_KINDS, TR_EXC_OTHER_KIND},
    {"ArithmeticError", 1 | 16, 16},
    {"ZeroDivisionError", 1, 1},
    {"OverflowError", 16, 16},
    {"LookupError", 2 | 4, 2},
    {"IndexError", 2, 2},
    {"KeyError", 4, 4},
    {"ValueError", 8, 8},
    {"RuntimeError", 32 | TR_EXC_OTHER_KIND, TR_EXC_OTHER_KIND},
    {"RecursionError", 32, 32},
    {"AssertionError", 64, 64},
    {"TypeError", 128, 128},
};

static int find(Checker *c, Node *e) {
  if (e->kind != N_NAME || sema_local_find(c, e->name) >= 0)
    return -1;
  for (size_t i = 0; i < sizeof classes / sizeof *classes; i++)
    if (!strcmp(e->name, classes[i].name))
      return (int)i;
  return -1;
}

static _Noreturn void not_class(Node *e) {
  diag_error(e->loc, "except in a function body names the exceptions the "
             "runtime raises (ZeroDivisionError, IndexError, KeyError, "
             "ValueError, OverflowError, RecursionError, AssertionError, "
             "TypeError, their bases, or Exception)");
}

int64_t sema_exc_mask(Checker *c, Node *e) {
  if (!e)
    return TR_EXC_ALL_KINDS;
  if (e->kind == N_TUPLE) {
    int64_t m = 0;
    for (int i = 0; i < e->nitems; i++)
      m |= sema_exc_mask(c, e->items[i]);
    return m;
  }
  int k = find(c, e);
  if (k < 0)
    not_class(e);
  return classes[k].mask;
}

void sema_raise(Checker *c, Node *n) {
  Node *e = n->lhs;
  if (!e)
    diag_error(n->loc, "a bare 'raise' is not supported in function bodies; "
               "raise an exception, e.g. raise ValueError('...')");
  Node *cls = e->kind == N_CALL ? e->lhs : e;
  int k = find(c, cls);
  if (k < 0)
    not_class(cls);
  NodeInfo *ni = sema_note(c, n);
  ni->method = (int)classes[k].kind;
  if (e->kind != N_CALL)
    return;
  if (e->nkws || e->nitems > 1)
    diag_error(e->loc, "an exception in a function body takes one message");
  if (e->nitems == 1) {
    Type *t = sema_expr(c, e->items[0]);
    if (t != ty_str)
      diag_error(e->items[0]->loc, "the message of an exception in a "
                 "function body must be a str (use str() or an f-string)");
    ni->args = ARENA_ARRAY(c->a, Node *, 1);
    ni->args[0] = e->items[0];
  }
}
