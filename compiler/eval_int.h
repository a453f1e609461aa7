/* eval_int.h - what the evaluator's files share (eval.c statements,
 * eval_expr.c expressions, eval_call.c calls and methods, eval_builtin.c the
 * builtin functions, eval_task.c delayed values/outputs/futures, eval_dict.c
 * Dask's dict graphs, purity.c purity inference). Not a public header. */
#ifndef TASKC_EVAL_INT_H
#define TASKC_EVAL_INT_H

#include <stdint.h>

#include "collections/builder.h"
#include "diag.h"
#include "eval.h"
#include "value.h"

/* The functions collections call too (eval, mk_int, call_value, args_*,
 * new_task, to_val, ...) and Args are declared in collections/builder.h. */

/* Names bound in one scope: the module, a comprehension, a lambda call. */
struct Scope {
  Scope *parent;
  const char **names;
  Value **vals;
  int n, cap;
};

/* A task whose purity is the function's inferred purity, set at the end. */
typedef struct PendingPure {
  Task *task;
  Func *fn;
} PendingPure;

/* What the evaluator works out once per node: the Value of a literal, the
 * interned string of a name. A hash table keyed by the node's address. */
typedef struct NodeEntry {
  Node *node;
  void *val;
  int slot;     /* names: the name's slot in the global scope ... */
  unsigned ver; /* ... while Eval.globals_ver is this */
} NodeEntry;

typedef struct NodeCache {
  NodeEntry *ents;
  int n, cap;
  int shift; /* 64 - log2(cap): Fibonacci hashing takes the top bits */
} NodeCache;

/* A pointer mixed so that its low bits index a table (interned names sit
 * at regular distances in memory). */
static inline unsigned ptr_hash(const void *p) {
  uint64_t x = (uint64_t)(uintptr_t)p;
  x ^= x >> 29;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 32;
  return (unsigned)x;
}

/* The cache entry of n, or its empty slot (node NULL). */
static inline NodeEntry *node_find(const NodeCache *c, const Node *n) {
  unsigned mask = (unsigned)c->cap - 1;
  unsigned i = (unsigned)(((uint64_t)(uintptr_t)n * 0x9E3779B97F4A7C15ull) >>
                          c->shift);
  while (c->ents[i].node && c->ents[i].node != n)
    i = (i + 1) & mask;
  return &c->ents[i];
}

/* Interned names: one pointer per spelling, so scopes compare pointers. */
typedef struct Names {
  const char **names;
  int n, cap;
} Names;

struct Eval {
  Arena *a;
  Graph *g;
  long steps, limit;
  int depth;           /* nested calls/expressions, bounded */
  int loops;           /* enclosing loops, for break/continue */
  Loc loop_loc;        /* innermost loop: where a runaway loop is reported */
  Scope *builtins;     /* len, range, ... */
  Scope *globals;
  Scope *scope;        /* current innermost */
  Loc loc;             /* the node being evaluated, for errors deep inside */
  const char *callee;  /* qualified name of the builtin being called */
  int unnamed;         /* out0, out1, ... */
  FuncInfo **funcs;
  int nfuncs, capfuncs;
  PtrVec method_funcs; /* eval_method_func's defs, one per method and call shape */
  int progress_depth;  /* eval_ctx.c: inside `with ProgressBar()` */
  int cfg_threads;     /* eval_ctx.c: dask.config.set's thread count, 0 none */
  PendingPure *pending;
  int npending, cappending;
  PtrVec graph_cache;  /* eval_dict.c: tasks of dicts already handed to get */
  Args *free_args;     /* eval_call.c: records of finished calls, to reuse */
  NodeCache cache;     /* eval.c: node_entry */
  unsigned globals_ver; /* bumped when the global scope's slots move */
  Names interned;      /* eval.c: intern */
  int pin_all;         /* > 0: inside code that may keep any value it sees
                          (collections, builtins that do not count holders):
                          eval pins what it returns (Value.refs) */
  PtrVec spine;        /* eval_expr.c: the nodes of the operator chains being
                          evaluated (a stack: a chain inside an operand
                          pushes its own above) */
  Value **bind_buf;    /* eval_call.c: bind_params' result when not kept */
  int bind_cap;
  void *coll_state[COLL_COUNT]; /* each collection's own (eval_coll_state) */
  int call_depth;      /* eval_def.c: defs being interpreted */
  const char *def_name; /* eval_def.c: the innermost of them */
  Scope *free_scopes;  /* eval_def.c: the scopes of finished calls */
  long lambdas;        /* lambdas made so far (they hold their scope) */
  Value *ret;          /* eval_def.c: the value `return` gave, while
                          EVAL_CTL_RETURN unwinds the body */
  Task *last_print;    /* eval_runval.c: the latest top-level print task */
  PtrVec runval_funcs; /* eval_runval.c: the task functions it wrote */
};

/* Statement control (eval_exec_block's ctl): a block stops at any but 0. */
enum { EVAL_CTL_BREAK = 1, EVAL_CTL_CONTINUE = 2, EVAL_CTL_RETURN = 3 };

/* eval.c */
/* The cache entry of node n, made on first use (val NULL, ver 0). */
NodeEntry *eval_node_entry_new(Eval *e, Node *n);
static inline NodeEntry *eval_node_entry(Eval *e, Node *n) {
  if (e->cache.cap) {
    NodeEntry *en = node_find(&e->cache, n);
    if (en->node)
      return en;
  }
  return eval_node_entry_new(e, n);
}
/* The one pointer for this spelling of a name (scopes hold only these). */
const char *eval_intern(Eval *e, const char *name);
Value *eval_lookup(Eval *e, const char *name, Loc loc);
Value *eval_lookup_node(Eval *e, Node *n); /* N_NAME: name not defined is an error */
Value *eval_lookup_global(Eval *e, const char *name); /* NULL if unbound */
/* name in scope s or its parents; NULL if unbound */
Value *eval_scope_get(Eval *e, Scope *s, const char *name);
void eval_bind(Eval *e, Scope *s, const char *name, Value *v);
Scope *eval_scope_new(Eval *e, Scope *parent);
void eval_exec_block(Eval *e, Node **body, int n, int *ctl);
void eval_assign(Eval *e, Node *target, Value *v);

/* eval_expr.c */
Value *eval_binop(Eval *e, OpCode op, Value *x, Value *y, Loc loc);
Value *eval_unop(Eval *e, OpCode op, Value *x, Loc loc);
Value *eval_compare(Eval *e, OpCode op, Value *x, Value *y, Loc loc);
Value *eval_subscript(Eval *e, Value *obj, Value *key, Loc loc);
void eval_set_item(Eval *e, Value *obj, Value *key, Value *v, Loc loc);
Value *eval_attribute(Eval *e, Value *obj, const char *name, Loc loc);
/* An error about a value only known at run time (delayed or computed). */
_Noreturn void eval_runtime_only(Eval *e, Value *v, Loc loc, const char *what);
int64_t eval_range_len(const Value *r);
/* v, the value of node n, is no longer referenced by anything: when n is
 * arithmetic (so v is a fresh number) its memory is recycled. */
void eval_spare_number(Eval *e, Node *n, Value *v);
bool eval_less_than(Eval *e, Value *x, Value *y, Loc loc);

/* eval_bigint.c: ints past int64 (V_BIG), through GMP; results that fit
 * are V_INTs again. */
bool eval_is_intlike(const Value *v); /* int, bool or big */
Value *eval_big_literal(Eval *e, const char *digits, bool neg);
Value *eval_big_binop(Eval *e, OpCode op, const Value *x, const Value *y, Loc loc);
Value *eval_big_unop(Eval *e, OpCode op, const Value *x, Loc loc);
Value *eval_big_abs(Eval *e, const Value *x);
int eval_big_cmp(const Value *x, const Value *y); /* -1 0 1; 2 unordered */
double eval_big_to_float(const Value *v, Loc loc); /* int, bool or big */

/* eval_str.c: f-strings, "fmt % args", and str methods beyond eval_call.c's
 * (format, join, find, index, count, is*; NULL for others). */
Value *eval_fstring(Eval *e, Node *n);
Value *eval_str_percent(Eval *e, Value *fmt, Value *args, Loc loc);
Value *eval_str_method_more(Eval *e, Value *s, const char *m, Args *a);

/* eval_coll.c: a collection's ops for the evaluator; NULL when the
 * collection leaves it to the generic code. binop: x or y is a collection
 * (x's table is asked first); cmp: a comparison (< <= > >= == !=).
 * getitem: only for a collection with a getitem entry. */
Value *eval_coll_binop(Eval *e, OpCode op, Value *x, Value *y, Loc loc,
                       bool cmp);
Value *eval_coll_unop(Eval *e, OpCode op, Value *x, Loc loc);
Value *eval_coll_attr(Eval *e, Value *x, const char *name, Loc loc);
Value *eval_coll_getitem(Eval *e, Value *x, Node *index);

/* eval_call.c */
Value *eval_call(Eval *e, Node *n);
Value *eval_call_method(Eval *e, Value *self, const char *name, Args *args);
/* Bind call arguments to parameters (keywords, defaults); errors name the
 * function. Returns one value per parameter. */
Value **eval_bind_params(Eval *e, const char *fname, Param *params, int np,
                    Value **defaults, Args *args);
/* Stable merge sort with Python's <; key may be NULL. */
void eval_sort_values(Eval *e, Value **items, int n, Value *key, bool reverse,
                 Loc loc);

/* eval_builtin.c */
BuiltinFn *eval_builtin_fn(const char *name);  /* compile-time implementation */
/* The builtin f neither keeps its arguments nor hands out values that
 * something uncounted holds (see Value.refs): len, range, min, ... */
bool eval_builtin_counts_holders(const Value *f);
/* len and range: they only read their arguments during the call. */
bool eval_builtin_args_reusable(const Value *f);
void eval_builtins_install(Eval *e, Scope *s); /* len, range, get, extern, ... */
Value *eval_module_attr(Eval *e, const char *module, const char *name, Loc loc);

/* eval_task.c */
Value *eval_call_delayed(Eval *e, Value *target, int pure, Args *args);
/* A lambda used as a task function, as a def (eval.c). */
Value *eval_lambda_func(Eval *e, Value *lambda);
/* A def node the compiler made, registered as a task function. */
Value *eval_register_def(Eval *e, Node *def);
/* `def name(params): return expr`, registered as a task function. */
Value *eval_def_returning(Eval *e, const char *name, Param *params,
                          int nparams, Node *expr, Loc loc);
/* The task function of d.name(npos positional, keywords kws[0..nkw)) on a
 * delayed value: `def name(self, a0, ..): return self.name(a0, .., k=k)`,
 * made once per method name and call shape. */
Value *eval_attr_func(Eval *e, const char *name, Loc loc);
Value *eval_method_func(Eval *e, const char *name, int npos,
                        const char **kws, int nkw, Loc loc);
Value *eval_delayed_binop(Eval *e, const char *opname, Value *x, Value *y, Loc loc);
Value *eval_delayed_unop(Eval *e, const char *opname, Value *x, Loc loc);
Value *eval_delayed_attr(Eval *e, Value *d, const char *name, Loc loc);
Value *eval_delayed_method(Eval *e, Value *d, const char *name, Args *args);
Value *eval_client_method(Eval *e, Value *c, const char *name, Args *args);
Value *eval_mark_output(Eval *e, Value *v, Node *expr, Loc loc);
void eval_mark_named_output(Eval *e, Task *t, const char *name, Loc loc);
Value *bi_delayed(Eval *e, Args *args);
Value *bi_compute(Eval *e, Args *args);
Value *bi_persist(Eval *e, Args *args);
Value *bi_visualize(Eval *e, Args *args);
Value *bi_client(Eval *e, Args *args);
Value *bi_as_completed(Eval *e, Args *args);
Value *bi_progress(Eval *e, Args *args);
/* eval_ctx.c: `with`, ProgressBar, dask.config.set */
Value *bi_progress_bar(Eval *e, Args *args);
Value *bi_config_set(Eval *e, Args *args);
void eval_with(Eval *e, Node *n, int *ctl);
void eval_note_compute(Eval *e); /* run defaults of a compute marked now */
void eval_pending_pure(Eval *e, Task *t, Func *fn);

/* eval_def.c: a plain def called at the top level, interpreted; `return`. */
Value *eval_def_call(Eval *e, Value *f, Args *a);
void eval_return(Eval *e, Node *n, int *ctl);

/* eval_runval.c: run-time values (V_COMPUTED, the results of compute(),
 * result(), gather()): operations on them become tasks whose results are
 * run-time values too; top-level print() is a task run in program order.
 * Each returns NULL when it does not apply. */
bool eval_runval_holds(const Value *v); /* v is or holds a run-time value */
/* The comparison x op y needs the run time (x or y holds a run-time value
 * that decides it). */
bool eval_runval_compare(OpCode op, const Value *x, const Value *y);
bool eval_runval_any(Args *a); /* an argument is or holds a run-time value */
Value *eval_runval_binop(Eval *e, OpCode op, Value *x, Value *y, Loc loc,
                         bool cmp);
Value *eval_runval_unop(Eval *e, OpCode op, Value *x, Loc loc);
Value *eval_runval_subscript(Eval *e, Value *obj, Value *index, Loc loc);
Value *eval_runval_builtin(Eval *e, Value *f, Args *a);
Value *eval_runval_method(Eval *e, Value *self, const char *name, Args *a);
/* format(v, spec) after the conversion conv ('r', 's' or 0) */
Value *eval_runval_format(Eval *e, Value *v, int conv, Value *spec, Loc loc);
Value *eval_runval_print(Eval *e, Args *a);
/* eval_dict.c */
Value *bi_get(Eval *e, Args *args);

/* purity.c */
void purity_infer(Eval *e);

#endif
