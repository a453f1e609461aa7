/* value.h - compile-time values of the evaluator (docs/language.md §2).
 *
 * The top level of a program runs at compile time, so it needs Python's
 * values: numbers, strings, tuples, lists (mutable and aliased, so a list is
 * always handled through its Value pointer), insertion-ordered dicts, ranges,
 * functions and modules; and the graph-valued ones: a delayed value is a
 * Task of the graph being built, a collection (a dask array) an object of
 * compiler/collections/. Everything lives in the compilation arena. */
#ifndef TASKC_VALUE_H
#define TASKC_VALUE_H

#include <stdbool.h>
#include <stdint.h>

#include "ast.h"
#include "ir.h"

typedef enum {
  V_NONE,
  V_BOOL,
  V_INT,
  V_FLOAT,
  V_STR,
  V_TUPLE,
  V_LIST,
  V_DICT,
  V_RANGE,
  V_FUNC,     /* a def of the program: its FuncInfo */
  V_BUILTIN,  /* len, math.sqrt, operator.add, dask.delayed, ... */
  V_LAMBDA,   /* lambda with the scope it was made in */
  V_MODULE,   /* dask, dask.array, math, ... (only a name) */
  V_METHOD,   /* obj.name, bound, not yet called */
  V_DELAYED,  /* the result of a task (also a future) */
  V_COMPUTED, /* what compute()/result() returned: known only at run time */
  V_DFUNC,    /* a delayed function: calling it makes a task */
  V_CLIENT,   /* dask.distributed Client / Executor */
  V_COLL,     /* a dask collection: its object and ops table
                 (compiler/collections/collections.h) */
  V_BIG,      /* an int past int64: its decimal text in str (eval_bigint.c) */
  V_KIND_COUNT
} VKind;

typedef struct Value Value;
typedef struct Scope Scope;
typedef struct FuncInfo FuncInfo;
typedef struct Eval Eval;
typedef struct Args Args;
typedef struct Coll Coll;

/* A compile-time builtin: receives evaluated arguments. NULL for the
 * builtins that only exist at run time (time.sleep). */
typedef Value *BuiltinFn(Eval *e, Args *args);

/* A slot of a dict's index: entry number + 1 (0 is empty) and the key's
 * scrambled hash, compared before the key itself so that a probe past
 * other keys touches only the index. */
typedef struct VSlot {
  int entry;
  uint32_t hash;
} VSlot;

/* Insertion-ordered hash map with Python key equality (1 == 1.0 == True). */
typedef struct VDict {
  Value **keys, **vals;
  Loc *locs;      /* where each entry was set: for dict-graph errors */
  int n, cap;
  VSlot *index;   /* open addressing (linear probing) */
  int icap;
  unsigned version; /* bumped on every change */
} VDict;

struct Value {
  VKind kind;
  /* Who holds it, so that a big loop's dropped numbers and lists can be
   * reused (v_release): the scope bindings and list/tuple slots that name
   * it. Other holders are not counted, so anything that may reach one
   * (a dict, a default, a builtin that keeps its arguments) is pinned:
   * refs < 0, never reused. */
  int refs;
  union {
    bool b;
    int64_t i;
    double f;
    struct { const char *s; int len; } str;
    struct { Value **items; int n, cap; } seq;       /* tuple, list */
    VDict *dict;
    struct { int64_t start, stop, step; } range;
    FuncInfo *func;
    struct { const char *name; BuiltinFn *fn; } bi;  /* qualified name */
    struct { Node *node; Scope *env; Value **defaults; } lambda;
    const char *module;                               /* "dask.array" */
    struct { Value *self; const char *name; } method;
    Task *task;                                       /* DELAYED, COMPUTED */
    Coll *coll;                                       /* COLL */
    struct { Value *target; int pure; } dfunc; /* pure: -1 unset, 0, 1;
                                                  target NULL = delayed(pure=..)
                                                  waiting for its function */
  };
};

/* A def: the graph's Func plus what the evaluator needs to bind calls. */
struct FuncInfo {
  Func *fn;
  Node *def;
  Value **defaults; /* per parameter, NULL when it has none */
  bool interp_checked; /* eval_def.c: the body may run at compile time */
};

/* constructors */
extern Value v_none_value, v_true_value, v_false_value;
Value *v_none(void);
Value *v_bool(bool b);
Value *v_int(Arena *a, int64_t i);
Value *v_float(Arena *a, double f);
Value *v_str(Arena *a, const char *s, int len);
Value *v_cstr(Arena *a, const char *s);
Value *v_seq(Arena *a, VKind kind, Value **items, int n); /* copies items */
Value *v_dict(Arena *a);
Value *v_task(Arena *a, VKind kind, Task *t);             /* DELAYED/COMPUTED */
Value *v_builtin(Arena *a, const char *name, BuiltinFn *fn);
Value *v_module(Arena *a, const char *name);
Value *v_method(Arena *a, Value *self, const char *name); /* bound */
Value *v_coll(Arena *a, Coll *c);

/* Reference counts (see Value.refs). v_ref: one more holder. v_unref: one
 * fewer, nothing freed. v_release: one fewer, and the value's memory is
 * recycled when that was the last holder (numbers, ranges, lists and
 * tuples, whose items are released in turn). v_pin: never reuse v nor
 * anything inside it. */
void v_ref(Value *v);
void v_unref(Value *v);
void v_release(Arena *a, Value *v);
void v_pin(Value *v);
/* A fresh zeroed Value, reusing recycled memory. */
Value *v_new(Arena *a, VKind kind);

void v_list_push(Arena *a, Value *list, Value *item);
void v_list_insert(Arena *a, Value *list, int at, Value *item);
void v_list_remove_at(Value *list, int at);

/* dict; keys must be hashable (checked by the caller with v_hashable) */
Value *v_dict_get(const VDict *d, const Value *key);     /* NULL if absent */
int v_dict_find(const VDict *d, const Value *key);       /* -1 if absent */
void v_dict_set(Arena *a, VDict *d, Value *key, Value *val, Loc loc);
bool v_dict_remove(Arena *a, VDict *d, const Value *key);
void v_dict_clear(VDict *d);
Value *v_dict_copy(Arena *a, const VDict *d);

/* Python semantics */
bool v_is_number(const Value *v);  /* bool, int, float */
bool v_as_double(const Value *v, double *out); /* false if not a number */
bool v_is_callable(const Value *v);
bool v_hashable(const Value *v);   /* recursively, for tuples */
bool v_equal(const Value *x, const Value *y); /* ==, delayed by identity */
uint64_t v_hash(const Value *v);
const char *v_type_name(const Value *v);     /* "int", "list", "Delayed" */
/* repr(v) / str(v); functions print as <function f>. */
char *v_repr(Arena *a, const Value *v);
char *v_str_of(Arena *a, const Value *v);
/* Python's repr of a float: 0.1, 1e-05, 1e+16, inf, nan. */
void v_fmt_float(char buf[40], double f);
/* The name a function value is known by: "inc", "sum", "operator.add". */
const char *v_func_name(const Value *v);

#endif
