/* sema_impl.h - shared by the files of sema (not a public header).
 *
 *   sema.c        the graph: task types, the Spec memo, NodeInfo tables
 *   sema_body.c   statements of a body, locals, returns
 *   sema_expr.c   expressions
 *   sema_call.c   calls: builtins, user functions, @extern, methods, imports
 *   sema_comp.c   iterables of loops, comprehensions
 *   sema_seq.c    list methods, slices, sorted/min/max key=, any/all
 *   sema_dict.c   dicts and sets
 *   sema_record.c records: dicts whose values differ in type per key
 *   sema_try.c    exceptions of try/except and raise
 *   sema_lambda.c lambdas bound to names in bodies
 *   sema_recur.c  recursion: the return type of a recursive Spec
 */
#ifndef TASKC_SEMA_IMPL_H
#define TASKC_SEMA_IMPL_H

#include <setjmp.h>
#include <stdio.h>

#include "ast.h"
#include "diag.h"
#include "sema.h"

/* A Spec whose body is being checked (sema_spec), innermost last. */
typedef struct Active {
  Spec *spec;
  jmp_buf *retry;  /* a recursive call that needs its return type jumps
                      here to check the body again, guessing first */
  bool guessing;   /* the body is being checked for a guess */
} Active;

/* One compilation's typing (sema.h). */
struct Sema {
  Graph *g;
  Node *module;      /* imports and globals of the program, or NULL */
  Spec **list;       /* every Spec, in creation order */
  int n, cap;
  Spec **table;      /* open addressing on (fn, params) */
  int tcap;
  Active active[64]; /* Specs whose bodies are being checked */
  int nactive;
  FILE *quiet;       /* where errors of a guessing check go (/dev/null) */
  struct { Node *node; Func *fn; } *lambdas; /* sema_lambda.c's Funcs */
  int nlambdas, caplambdas;
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
  bool guessing;       /* sema_recur.c: looking for the return type only */
  struct { const char *name; Func *fn; } bound[32]; /* f = lambda ... */
  int nbound;
} Checker;

/* sema.c */
NodeInfo *sema_note(Checker *c, const Node *n);   /* get or create */
Type *sema_set_type(Checker *c, const Node *n, Type *t);
/* An annotation's type: int, float, bool, str, None, list[T], ... */
Type *sema_annotation(Arena *a, Node *annot);
bool sema_accepts(Type *param, Type *arg); /* arg may be passed as param */
const char *sema_fn_name(Func *fn);
/* Drops the Specs created after the first n (a failed guess). */
void sema_truncate(Sema *sema, int n);

/* sema_comp.c */
/* The element type of what a for loop or comprehension iterates over;
 * marks range/enumerate/zip/reversed calls with their SEMA_IT_* kind. */
Type *sema_iter(Checker *c, Node *iterable);
int sema_comp_fors(Checker *c, Node *comp);   /* returns the first local */
void sema_comp_close(Checker *c, int first);  /* hides the comp's locals */
Type *sema_listcomp(Checker *c, Node *n);

/* sema_seq.c */
/* any/all/list/sorted, and min/max/sorted with key=; NULL: not handled
 * here (sema_call.c types it). */
Type *sema_seq_builtin(Checker *c, Node *n, const Op *op);
/* A method other than append of list t (slot: the local, or -1). */
Type *sema_list_method(Checker *c, Node *n, Type *t, int slot);
/* sema_body.c: a tuple target (a, b) = t: t must be a tuple of as many
 * values (located errors); types the target node. */
void sema_check_unpack(Checker *c, Node *target, Type *t);
/* A method call on a value that is not a local (f(x).pop()), of a list or
 * dict; NULL when the receiver is of another type. */
Type *sema_value_method(Checker *c, Node *n);
/* The same when the receiver's type t is already known (sema_str.c typed
 * it to see whether it is a str); NULL if t has no such methods. */
Type *sema_value_method_of(Checker *c, Node *n, Type *t);
/* t[lo:hi:step] of a list or tuple t; NULL for other types. */
Type *sema_slice(Checker *c, Node *n, Type *t);
Type *sema_seq_binop(Checker *c, OpCode op, Type *l, Type *r, Loc loc);
/* Does this call make a sequence by iterating (range, enumerate, zip,
 * reversed) outside a for? It is typed as the list it yields. */
bool sema_iter_call(Checker *c, Node *n);
Type *sema_iter_lowered(Checker *c, Node *n); /* sets NodeInfo.lowered */

/* sema_dict.c */
Type *sema_dict_display(Checker *c, Node *n);
Type *sema_set_display(Checker *c, Node *n);   /* also {e for x in xs} */
Type *sema_dictcomp(Checker *c, Node *n);
Type *sema_dict_subscript(Checker *c, Node *n, Type *d);
/* d[k] = v: returns the stored type */
Type *sema_dict_store(Checker *c, Node *target, Type *d, Type *v);
Type *sema_dict_method(Checker *c, Node *n, Type *d);
Type *sema_set_binop(OpCode op, Type *l, Type *r, Loc loc);
/* Errors if t holds a set (what: "be returned", ...). */
void sema_no_set(Node *at, Type *t, const char *what);

/* sema_record.c */
/* {"k": v, ...} with str literal keys: its (settled) record type, NULL if
 * a key is not a literal (then it is typed as a plain dict). */
Type *sema_record_display(Checker *c, Node *n);
/* The type of d[key] for record d (store: of d[key] = v); located errors
 * for a computed key, a key the record lacks, a key of mixed types. */
Type *sema_record_item(Checker *c, Type *d, Node *key, bool store);
/* The value type of d.get/pop/setdefault("k", ...) (id: SEMA_DM_*); NULL
 * for d.get("k", v) of a key no record has (the default's type). */
Type *sema_record_method(Checker *c, Node *n, Type *d, int id);

/* sema_try.c */
/* The exception kinds an except clause catches (e NULL: all). */
int64_t sema_exc_mask(Checker *c, Node *e);
/* raise E(msg): NodeInfo.method the kind, args[0] the message or none. */
void sema_raise(Checker *c, Node *n);

/* sema_lambda.c */
/* `f = lambda ...`: binds f to the lambda's function (true), or false when
 * the value is not a lambda. */
bool sema_lambda_assign(Checker *c, Node *assign);
Func *sema_lambda_find(Checker *c, const char *name); /* NULL if none */
void sema_nested_def(Checker *c, Node *def);
bool sema_is_nested_def(Checker *c, const Func *fn);
void sema_nested_self(Checker *c, Func *fn); /* a nested def may call itself */

/* sema_recur.c */
/* A call of s, which is being checked: s's return type (its annotation or
 * the guess), or a jump back to s's check to find the guess first. */
Type *sema_recur_call(Sema *sema, Spec *s, Loc loc);
/* Checks s's body for its guess, then sets s->guess (or errors). */
void sema_recur_guess(Sema *sema, Spec *s);
/* After the real check: the guess must have been right. */
void sema_recur_verify(Spec *s);
/* A statement while guessing: an error skips it. */
bool sema_recur_stmt(Checker *c, Node *n, bool (*stmt)(Checker *, Node *));
/* A return while guessing: the first return whose value (or a branch of
 * it) has a type gives the guess. */
void sema_recur_return(Checker *c, Node *n);

/* sema_body.c */
void sema_check_body(Sema *sema, Spec *s, bool guessing);
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
