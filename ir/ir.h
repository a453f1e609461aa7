/* ir.h - the task graph shared by every pass and backend.
 *
 * A Graph is a list of Tasks. A task computes one value from its arguments.
 * Each argument is a Val: a constant tree (None, bool, int, float, str,
 * tuple, list, dict) whose leaves may be VAL_REF, a reference to another
 * task's result. This is exactly Dask's task spec with the keys already
 * resolved: `(add, 'x', [('a', 0), 1])` becomes args {REF x, LIST[REF a0, 1]}.
 *
 * deps/users are derived from the args by graph_link(); passes edit args and
 * call graph_link() again rather than patching edges by hand. */
#ifndef TASKC_IR_H
#define TASKC_IR_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "loc.h"
#include "ops.h"
#include "pyfloat.h"
#include "type.h"

typedef struct Task Task;
typedef struct Val Val;

typedef enum {
  VAL_NONE,
  VAL_BOOL,
  VAL_INT,
  VAL_FLOAT,
  VAL_BIG,  /* an int past int64: its decimal text in str ('-' first if < 0) */
  VAL_STR,
  VAL_TUPLE,
  VAL_LIST,
  VAL_DICT, /* items[2k] is a key, items[2k+1] its value, insertion order */
  VAL_REF,  /* the result of task `ref` */
} ValKind;

struct Val {
  ValKind kind;
  union {
    bool b;
    int64_t i;
    double f;
    struct {
      const char *s; /* NUL-terminated, may also contain NULs */
      int len;
    } str;
    struct {
      Val **items;
      int n; /* number of items (for a dict: 2 * number of pairs) */
    } seq;
    Task *ref;
  };
};

Val *val_none(Arena *a);
Val *val_bool(Arena *a, bool b);
Val *val_int(Arena *a, int64_t i);
Val *val_float(Arena *a, double f);
Val *val_str(Arena *a, const char *s, int len);
Val *val_big(Arena *a, const char *digits, int len);
Val *val_seq(Arena *a, ValKind kind, Val **items, int n);
Val *val_ref(Arena *a, Task *t);
/* Structural equality; VAL_REF compares task identity. 1 and 1.0 and True
 * are NOT equal here (different kinds), because results would differ. */
bool val_equal(const Val *x, const Val *y);
uint64_t val_hash(const Val *v);
/* Python repr: 'x', ('a', 0), [1, 2.5], {'k': None}; refs print the key. */
void val_print(FILE *out, const Val *v);
char *val_repr(Arena *a, const Val *v);
/* Static type of a Val: constants by kind, refs by their task's type (NULL
 * if not known yet). */
Type *val_type(const Val *v);
/* Result type of op applied to these argument Vals: op_result_type of their
 * val_types, except that a constant index into a tuple picks that element's
 * type. Unknown (NULL) argument types count as any. (ir/ops.c) */
Type *op_type_of_args(const Op *op, Val **args, int n, OpError *err);

/* A user-defined function: a def in the program. The compiler fills this in;
 * the IR only needs its name and purity, and keeps `def` opaque. */
typedef struct Func {
  const char *name;
  const char *label;     /* what pictures call its tasks; NULL: name */
  struct Node *def;      /* the N_DEF node (compiler/ast.h) */
  Loc loc;
  bool pure;             /* after inference / explicit pure= */
  bool pure_explicit;    /* pure= was given */
  const char *impure_why;/* e.g. "calls time.sleep (line 3)" */
  bool is_extern;        /* @extern: body is in C */
  const char *extern_src;/* "slow.c", "m", ... */
  int nparams;
  int ncaptured;         /* a nested def or lambda: its last ncaptured params
                            are the enclosing function's variables it reads,
                            passed by every call (sema_lambda.c) */
  const char **param_names;
  Type **param_types;    /* annotations, NULL where absent */
  Type *ret_type;        /* annotation or NULL */
} Func;

typedef enum {
  TASK_DATA,  /* a value: args[0] with every REF replaced by that task's
                 value. A literal ('x': 1), an alias ('c': 'b' is REF b),
                 or a list/tuple/dict built from other results. */
  TASK_CALL,  /* op or fn applied to args */
  TASK_FUSED, /* a chain of tasks run as one: inner[0..ninner-1] in order,
                 the last one's value is the result; inner tasks' args refer
                 to earlier inner tasks or to this task's deps */
} TaskKind;

struct Task {
  int id;            /* index in graph->tasks after graph_link */
  TaskKind kind;
  Val *key;          /* str, int, float or tuple of those */
  const char *name;  /* repr of key, e.g. "'inc-3'" or "('a', 0)"; see
                        task_label() for the short human name */
  const Op *op;      /* TASK_CALL with a builtin */
  Func *fn;          /* TASK_CALL with a user function */
  Val **args;
  int nargs;
  bool pure;
  Loc loc;           /* where the program created it */

  Task **deps;       /* unique producers, in first-use order (graph_link) */
  int ndeps;
  Task **users;      /* unique consumers (graph_link) */
  int nusers;

  Task **inner;      /* TASK_FUSED */
  int ninner;

  Type *type;        /* result type (sema) */
  int priority;      /* lower runs first (order pass); -1 before */
  int nout;          /* how many outputs name this task */
  struct Spec *spec; /* sema: the specialisation of fn this task calls */
  void *aux;         /* scratch for the pass or backend currently running */
};

/* A value the executable prints, in program order. */
typedef struct Output {
  const char *name;  /* "total", "v", "out0" */
  Task *task;
  Loc loc;
} Output;

/* A picture the program asked for with visualize(...). */
typedef struct VisRequest {
  const char *filename; /* extension picks the format: svg png pdf dot */
  const char *rankdir;  /* "TB" (default), "LR", "BT" or "RL" */
  bool color_order;     /* color='order' */
  bool optimize;        /* optimize_graph=True: draw after the passes */
  Task **roots;         /* what to draw: these and everything they need */
  int nroots;
  struct Graph *picture; /* drawn instead, whole: Dask's layers of the
                            collections asked for (collections/coll_picture.h) */
  Loc loc;
} VisRequest;

/* Compressed rows of task indices; the arrays are reused by the next
 * graph_link while they are big enough. */
typedef struct GraphEdges {
  int *dep_start, *dep_ids;   /* ntasks + 1 offsets; ids */
  int *user_start, *user_ids;
  int cap_tasks, cap_edges;   /* allocated sizes */
} GraphEdges;

typedef struct Graph {
  Arena *arena;
  Task **tasks;
  int ntasks, cap;
  Output *outputs;
  int noutputs, capout;
  VisRequest *vis;
  int nvis, capvis;
  /* Tasks run for their effect (a top-level print): kept by cull as the
   * outputs are, but nothing is printed or saved for them. */
  Task **effects;
  int neffects, capeffects;
  Func **funcs;      /* every def of the program */
  int nfuncs, capfuncs;
  int next_key;      /* counter for generated keys */
  /* Run defaults the program asked for (ProgressBar, dask.config.set,
   * distributed.progress): the executable's unless its flags say else. */
  bool run_progress;
  int run_threads;   /* 0: all cores */
  /* Set by graph_link; graph_add and graph_add_output clear it, and so must
   * any code that edits the args of a linked graph in place (or it calls
   * graph_link itself). passes_run links the graph only when it is not
   * linked: on a million tasks a link costs as much as a pass. graph_verify
   * reports a graph that is not linked, or whose links are stale. */
  bool linked;
  /* The edges as task indices, filled by graph_link (valid while linked):
   * task i's deps, in t->deps order, are dep_ids[dep_start[i] ..
   * dep_start[i + 1]) and its users, in t->users order, likewise. Passes
   * that walk the whole graph read these rather than chase Task pointers
   * in random order. Refs to tasks outside the graph are not in them. */
  GraphEdges edges;
} Graph;

Graph *graph_new(Arena *a);
/* Create a task and append it. key may be NULL: a fresh key
 * "<prefix>-<n>" is generated. */
Task *graph_add(Graph *g, TaskKind kind, Val *key, const char *prefix, Loc loc);
void graph_add_output(Graph *g, const char *name, Task *t, Loc loc);
void graph_add_effect(Graph *g, Task *t);
/* Recompute ids, deps, users, nout and g->edges from args/outputs, and set
 * g->linked. Drops nothing. */
void graph_link(Graph *g);
/* Keep only tasks for which keep[t->id] is true, then graph_link. */
void graph_compact(Graph *g, const bool *keep);
/* Number of dependency edges. */
int graph_nedges(const Graph *g);

/* Visit every VAL_REF inside a Val tree. */
void val_visit_refs(Val *v, void (*fn)(Val *ref, void *ctx), void *ctx);

/* Short label for pictures and messages: the function name for a call
 * ("inc", "sum"), "inc+add" for a fused chain, the key for data. */
const char *task_label(Arena *a, const Task *t);
/* dask.utils.key_split of a string key (ir/keysplit.c). */
const char *key_split(Arena *a, const char *s);

/* --emit=graph: one line per task, in id order:
 *   'add-2' = add('inc-1', 3) :: int  [pure, prio 4]
 */
void graph_print(FILE *out, const Graph *g);

/* Check the invariants (refs point into the graph, deps/users agree with the
 * args, no cycles, outputs in the graph). Returns false and prints to stderr
 * what is wrong. Run between passes in debug builds. */
bool graph_verify(const Graph *g, const char *after_pass);

#endif
