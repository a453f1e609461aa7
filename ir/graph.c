/* graph.c - the graph container: adding tasks and outputs, deriving edges
 * from the args (graph_link), removing tasks (graph_compact).
 *
 * Inner tasks of a TASK_FUSED are not in g->tasks; graph_link numbers them
 * by their position in the chain (inner[i]->id == i), which is how a ref is
 * recognised as pointing inside its own chain. */
#include <stdlib.h>
#include <string.h>

#include "ir.h"

Graph *graph_new(Arena *a) {
  Graph *g = ARENA_NEW(a, Graph);
  g->arena = a;
  return g;
}

Task *graph_add(Graph *g, TaskKind kind, Val *key, const char *prefix,
                Loc loc) {
  Arena *a = g->arena;
  if (!key) {
    /* Fresh numbers only; a user key spelled the same ('inc-1' in a dict
     * graph) is a different task all the same: tasks are pointers. */
    char *s = arena_printf(a, "%s-%d", prefix ? prefix : "task", ++g->next_key);
    key = val_str(a, s, (int)strlen(s));
  }
  Task *t = arena_alloc_dense(a, sizeof(Task));
  t->kind = kind;
  t->key = key;
  t->name = val_repr(a, key);
  t->loc = loc;
  t->priority = -1;
  if (g->ntasks == g->cap) {
    int ncap = g->cap ? g->cap * 2 : 64;
    g->tasks = arena_realloc(a, g->tasks, sizeof(Task *) * (size_t)g->cap,
                             sizeof(Task *) * (size_t)ncap);
    g->cap = ncap;
  }
  t->id = g->ntasks;
  g->tasks[g->ntasks++] = t;
  return t;
}

void graph_add_output(Graph *g, const char *name, Task *t, Loc loc) {
  if (g->noutputs == g->capout) {
    int ncap = g->capout ? g->capout * 2 : 8;
    g->outputs = arena_realloc(g->arena, g->outputs,
                               sizeof(Output) * (size_t)g->capout,
                               sizeof(Output) * (size_t)ncap);
    g->capout = ncap;
  }
  g->outputs[g->noutputs++] = (Output){.name = name, .task = t, .loc = loc};
  t->nout++;
}

/* ---- graph_link ---- */

typedef struct Linker {
  Graph *g;
  Task *t;        /* the task whose deps are being collected */
  int *seen;      /* seen[id] == stamp: already a dep of t */
  int stamp;
  Task **buf;     /* the deps found so far */
  int n, cap;
} Linker;

static bool in_graph(const Graph *g, const Task *r) {
  return r->id >= 0 && r->id < g->ntasks && g->tasks[r->id] == r;
}

static bool in_chain(const Task *fused, const Task *r) {
  return fused->kind == TASK_FUSED && r->id >= 0 && r->id < fused->ninner &&
         fused->inner[r->id] == r;
}

static void collect_dep(Val *ref, void *ctx) {
  Linker *l = ctx;
  Task *r = ref->ref;
  if (in_chain(l->t, r))
    return;
  if (in_graph(l->g, r)) {
    if (l->seen[r->id] == l->stamp)
      return;
    l->seen[r->id] = l->stamp;
  }
  /* A ref outside the graph is kept as a dep so graph_verify reports it. */
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 16;
    Task **nb = realloc(l->buf, sizeof(Task *) * (size_t)l->cap);
    if (!nb) {
      fprintf(stderr, "taskc: error: out of memory\n");
      exit(1);
    }
    l->buf = nb;
  }
  l->buf[l->n++] = r;
}

static void collect_args(Linker *l, Task *t) {
  for (int i = 0; i < t->nargs; i++)
    if (t->args[i])
      val_visit_refs(t->args[i], collect_dep, l);
}

/* deps of t in first-use order; the old array is reused when it is big
 * enough, since passes mostly shrink graphs and link after each pass. */
static void link_deps(Linker *l, Task *t) {
  l->t = t;
  l->n = 0;
  l->stamp++;
  if (t->kind == TASK_FUSED) {
    for (int i = 0; i < t->ninner; i++)
      t->inner[i]->id = i;
    for (int i = 0; i < t->ninner; i++)
      collect_args(l, t->inner[i]);
  } else {
    collect_args(l, t);
  }
  if (l->n > t->ndeps)
    t->deps = ARENA_ARRAY(l->g->arena, Task *, l->n);
  if (l->n)
    memcpy(t->deps, l->buf, sizeof(Task *) * (size_t)l->n);
  t->ndeps = l->n;
}

static void link_users(Graph *g) {
  int *count = calloc((size_t)g->ntasks + 1, sizeof *count);
  if (!count) {
    fprintf(stderr, "taskc: error: out of memory\n");
    exit(1);
  }
  for (int i = 0; i < g->ntasks; i++)
    for (int j = 0; j < g->tasks[i]->ndeps; j++)
      if (in_graph(g, g->tasks[i]->deps[j]))
        count[g->tasks[i]->deps[j]->id]++;
  for (int i = 0; i < g->ntasks; i++) {
    Task *t = g->tasks[i];
    if (count[i] > t->nusers)
      t->users = ARENA_ARRAY(g->arena, Task *, count[i]);
    t->nusers = 0;
  }
  /* deps are unique per task, so each user is added once per producer. */
  for (int i = 0; i < g->ntasks; i++)
    for (int j = 0; j < g->tasks[i]->ndeps; j++) {
      Task *d = g->tasks[i]->deps[j];
      if (in_graph(g, d))
        d->users[d->nusers++] = g->tasks[i];
    }
  free(count);
}

void graph_link(Graph *g) {
  for (int i = 0; i < g->ntasks; i++) {
    g->tasks[i]->id = i;
    g->tasks[i]->nout = 0;
  }
  Linker l = {.g = g};
  l.seen = calloc((size_t)g->ntasks + 1, sizeof *l.seen);
  if (!l.seen) {
    fprintf(stderr, "taskc: error: out of memory\n");
    exit(1);
  }
  for (int i = 0; i < g->ntasks; i++)
    link_deps(&l, g->tasks[i]);
  free(l.seen);
  free(l.buf);
  link_users(g);
  for (int i = 0; i < g->noutputs; i++)
    if (g->outputs[i].task && in_graph(g, g->outputs[i].task))
      g->outputs[i].task->nout++;
}

/* ---- graph_compact ---- */

static int keep_roots(Graph *g, VisRequest *r, const bool *keep) {
  int n = 0;
  for (int i = 0; i < r->nroots; i++) {
    Task *t = r->roots[i];
    if (in_graph(g, t) && keep[t->id])
      r->roots[n++] = t;
  }
  return n;
}

void graph_compact(Graph *g, const bool *keep) {
  for (int i = 0; i < g->nvis; i++)
    g->vis[i].nroots = keep_roots(g, &g->vis[i], keep);
  int n = 0;
  for (int i = 0; i < g->ntasks; i++)
    if (keep[i])
      g->tasks[n++] = g->tasks[i];
  g->ntasks = n;
  graph_link(g);
}

int graph_nedges(const Graph *g) {
  int n = 0;
  for (int i = 0; i < g->ntasks; i++)
    n += g->tasks[i]->ndeps;
  return n;
}

/* ---- labels ---- */

static const char *call_label(const Task *t) {
  if (t->op)
    return t->op->label;
  if (t->fn)
    return t->fn->name;
  return "?";
}

/* "inc+add"; a long chain shows its ends: "inc+inc+...+add" */
static const char *fused_label(Arena *a, const Task *t) {
  enum { SHOW = 8 };
  size_t len = 8;
  for (int i = 0; i < t->ninner; i++)
    if (t->ninner <= SHOW || i < 2 || i == t->ninner - 1)
      len += strlen(task_label(a, t->inner[i])) + 1;
  char *s = arena_alloc(a, len), *p = s;
  for (int i = 0; i < t->ninner; i++) {
    if (t->ninner > SHOW && i >= 2 && i < t->ninner - 1) {
      if (i == 2)
        p += sprintf(p, "+...");
      continue;
    }
    p += sprintf(p, "%s%s", i ? "+" : "", task_label(a, t->inner[i]));
  }
  return s;
}

const char *task_label(Arena *a, const Task *t) {
  switch (t->kind) {
  case TASK_CALL: return call_label(t);
  case TASK_FUSED: return fused_label(a, t);
  case TASK_DATA:
    if (t->key && t->key->kind == VAL_STR)
      return t->key->str.s;
    return t->name ? t->name : "?";
  }
  return "?";
}
