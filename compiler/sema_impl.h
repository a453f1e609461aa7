/* sema_impl.h - shared by the files of sema (not a public header).
 *
 *   sema.c        the graph: task types, the Spec memo, NodeInfo tables
 *   sema_body.c   statements of a body, locals, returns
 *   sema_expr.c   expressions
 *   sema_call.c   calls: builtins, user functions, @extern, methods, imports
 */
#ifndef TASKC_SEMA_IMPL_H
#define TASKC_SEMA_IMPL_H

#include "ast.h"
#include "diag.h"
#include "sema.h"

/* One compilation's typing (sema.h). */
struct Sema {
  Graph *g;
  Node *module;      /* imports and globals of the program, or NULL */
  Spec **list;       /* every Spec, in creation order */
  int n, cap;
  Spec **table;      /* open addressing on (fn, params) */
  int tcap;
  Func *active[64];  /* functions whose bodies are being checked */
  int nactive;
};

/* The state of checking one body (one Spec). */
typedef struct Checker {
  Sema *sema;
  Graph *g;
  Arena *a;
  Spec *spec;
  BodyInfo *info;
  int cap_locals;
  /* definite assignment: defined[i] for local i on the current path */
  bool *defined;
  int loops;           /* enclosing loops, for break/continue */
  Type *ret;           /* first return's type, NULL before */
  int ret_line;
} Checker;

/* sema.c */
NodeInfo *sema_note(Checker *c, const Node *n);   /* get or create */
Type *sema_set_type(Checker *c, const Node *n, Type *t);
/* An annotation's type: int, float, bool, str, None, list[T], ... */
Type *sema_annotation(Arena *a, Node *annot);
bool sema_accepts(Type *param, Type *arg); /* arg may be passed as param */
const char *sema_fn_name(Func *fn);

/* sema_body.c */
void sema_check_body(Sema *sema, Spec *s);
int sema_local_find(Checker *c, const char *name);
int sema_local_add(Checker *c, const char *name, Type *t, int line);
/* Python's name of a type in messages: 'int', 'list', 'NoneType'. */
const char *sema_pyname(Type *t);

/* sema_expr.c */
Type *sema_expr(Checker *c, Node *n);
/* An expression used for its truth value (if, while, not, and/or). */
void sema_cond(Checker *c, Node *n);
bool sema_is_num(Type *t);
/* The element type of list t, or an error located at `at` when it is
 * unknown (an empty list argument, or elements of mixed types). */
Type *sema_elem_known(const Node *at, Type *t);

/* sema_call.c */
Type *sema_call(Checker *c, Node *n);
/* The qualified builtin a dotted name means here ("math.sqrt"), or NULL. */
const char *sema_resolve(Checker *c, Node *n);
Func *sema_find_func(Graph *g, const char *name);
/* Is name assigned at the top level (a global variable)? */
bool sema_is_global(const Sema *sema, const char *name);

#endif
