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
  g->linked = false;
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
  g->linked = false;
}

void graph_add_effect(Graph *g, Task *t) {
  if (g->neffects == g->capeffects) {
    int ncap = g->capeffects ? g->capeffects * 2 : 8;
    g->effects = arena_realloc(g->arena, g->effects,
                               sizeof(Task *) * (size_t)g->capeffects,
                               sizeof(Task *) * (size_t)ncap);
    g->capeffects = ncap;
  }
  g->effects[g->neffects++] = t;
}

/* ---- graph_link ----
 * On a million tasks this is the hot loop of the whole compile: a task's
 * deps are found by walking its args, and every ref is a Task in some
 * random place in memory. So the refs of a run of tasks are first gathered
 * (walking args touches only memory near each task), then resolved with
 * the Tasks a few refs ahead prefetched; each ref's index goes into
 * g->edges, and the users are derived from those ints, which fit in the
 * cache. */

enum { PREFETCH = 16, FEW_DEPS = 8, CHUNK = 4096 /* refs gathered at once */ };

typedef struct Linker {
  Graph *g;
  Task *t;        /* the task whose deps are being resolved */
  Task **raw;     /* every ref of a run of tasks, in order, with repeats */
  size_t nraw, capraw;
  size_t *rstart; /* where each task of the run starts in raw */
  size_t caprstart;
  int *seen;      /* seen[id] == stamp: already a dep of t (many deps) */
  int stamp;
  Task **buf;     /* the deps of t found so far */
  size_t n, cap;
  int *ids;       /* the in-graph deps of every task so far, by index */
  size_t nids, capids, base; /* ids[base..nids) are t's */
  Val **stack;    /* for walking nested args */
  size_t capstack;
} Linker;

static void *checked(void *p) {
  if (!p) {
    fprintf(stderr, "taskc: error: out of memory\n");
    exit(1);
  }
  return p;
}

static void *grow(void *p, size_t *cap, size_t elem) {
  *cap = *cap ? *cap * 2 : 64;
  return checked(realloc(p, *cap * elem));
}

static bool in_graph(const Graph *g, const Task *r) {
  return r->id >= 0 && r->id < g->ntasks && g->tasks[r->id] == r;
}

static bool in_chain(const Task *fused, const Task *r) {
  return fused->kind == TASK_FUSED && r->id >= 0 && r->id < fused->ninner &&
         fused->inner[r->id] == r;
}

static bool is_seq(ValKind k) {
  return k == VAL_TUPLE || k == VAL_LIST || k == VAL_DICT;
}

static void gather(Linker *l, Task *r) {
  if (l->nraw == l->capraw)
    l->raw = grow(l->raw, &l->capraw, sizeof *l->raw);
  l->raw[l->nraw++] = r;
}

/* The refs of v in pre-order, left to right (as val_visit_refs). */
static void gather_val(Linker *l, Val *v) {
  if (!v || v->kind == VAL_REF) {
    if (v)
      gather(l, v->ref);
    return;
  }
  if (!is_seq(v->kind))
    return;
  size_t sp = 0;
  l->stack[sp++] = v;
  while (sp > 0) {
    Val *x = l->stack[--sp];
    if (x->kind == VAL_REF) {
      gather(l, x->ref);
      continue;
    }
    if (!is_seq(x->kind))
      continue;
    while (sp + (size_t)x->seq.n > l->capstack)
      l->stack = grow(l->stack, &l->capstack, sizeof *l->stack);
    for (int i = x->seq.n - 1; i >= 0; i--)
      l->stack[sp++] = x->seq.items[i];
  }
}

static void gather_task(Linker *l, Task *t) {
  if (t->kind == TASK_FUSED) {
    for (int i = 0; i < t->ninner; i++)
      t->inner[i]->id = i;
    for (int i = 0; i < t->ninner; i++)
      for (int j = 0; j < t->inner[i]->nargs; j++)
        gather_val(l, t->inner[i]->args[j]);
    return;
  }
  for (int j = 0; j < t->nargs; j++)
    gather_val(l, t->args[j]);
}

/* Whether id is already a dep of t. Tasks mostly have a few deps: those
 * are compared directly, and only past FEW_DEPS does seen[] (a random
 * access into an array as long as the graph) take over. */
static bool seen_before(Linker *l, int id) {
  size_t m = l->nids - l->base;
  if (m < FEW_DEPS) {
    for (size_t k = l->base; k < l->nids; k++)
      if (l->ids[k] == id)
        return true;
    return false;
  }
  if (m == FEW_DEPS)
    for (size_t k = l->base; k < l->nids; k++)
      l->seen[l->ids[k]] = l->stamp;
  if (l->seen[id] == l->stamp)
    return true;
  l->seen[id] = l->stamp;
  return false;
}

static void add_dep(Linker *l, Task *r) {
  if (in_chain(l->t, r))
    return;
  /* A ref outside the graph is kept as a dep so graph_verify reports it,
   * but has no index in g->edges. */
  if (in_graph(l->g, r)) {
    if (seen_before(l, r->id))
      return;
    if (l->nids == l->capids)
      l->ids = grow(l->ids, &l->capids, sizeof *l->ids);
    l->ids[l->nids++] = r->id;
  }
  if (l->n == l->cap)
    l->buf = grow(l->buf, &l->cap, sizeof *l->buf);
  l->buf[l->n++] = r;
}

/* deps of task i from its gathered refs raw[from..to), in first-use order;
 * the old array is reused when it is big enough, since passes mostly
 * shrink graphs and link after each pass. */
static void link_deps(Linker *l, int i, size_t from, size_t to) {
  Task *t = l->g->tasks[i];
  l->t = t;
  l->n = 0;
  l->base = l->nids;
  l->stamp++;
  for (size_t k = from; k < to; k++) {
    if (k + PREFETCH < l->nraw)
      __builtin_prefetch(l->raw[k + PREFETCH]);
    add_dep(l, l->raw[k]);
  }
  if ((int)l->n > t->ndeps)
    t->deps = ARENA_ARRAY(l->g->arena, Task *, l->n);
  if (l->n)
    memcpy(t->deps, l->buf, sizeof(Task *) * l->n);
  t->ndeps = (int)l->n;
}

/* g->edges big enough for n tasks and e edges. */
static void reserve_edges(Graph *g, int n, int e) {
  GraphEdges *x = &g->edges;
  if (n + 1 > x->cap_tasks) {
    x->cap_tasks = n + 1;
    x->dep_start = ARENA_ARRAY(g->arena, int, n + 1);
    x->user_start = ARENA_ARRAY(g->arena, int, n + 1);
  }
  if (e > x->cap_edges) {
    x->cap_edges = e;
    x->dep_ids = ARENA_ARRAY(g->arena, int, e);
    x->user_ids = ARENA_ARRAY(g->arena, int, e);
  }
}

/* users by index from deps by index: task i is added to the users of each
 * of its deps in increasing i, as the old pointer version did. */
static void link_users(Graph *g, int *pos) {
  GraphEdges *x = &g->edges;
  int n = g->ntasks, e = x->dep_start[n];
  memset(pos, 0, sizeof(int) * ((size_t)n + 1));
  for (int k = 0; k < e; k++)
    pos[x->dep_ids[k]]++;
  x->user_start[0] = 0;
  for (int i = 0; i < n; i++) {
    x->user_start[i + 1] = x->user_start[i] + pos[i];
    pos[i] = x->user_start[i];
  }
  for (int i = 0; i < n; i++)
    for (int k = x->dep_start[i]; k < x->dep_start[i + 1]; k++)
      x->user_ids[pos[x->dep_ids[k]]++] = i;
  for (int i = 0; i < n; i++) {
    Task *t = g->tasks[i];
    int m = x->user_start[i + 1] - x->user_start[i];
    if (m > t->nusers)
      t->users = ARENA_ARRAY(g->arena, Task *, m);
    for (int k = 0; k < m; k++) /* user_ids is NULL when there are no edges */
      t->users[k] = g->tasks[x->user_ids[x->user_start[i] + k]];
    t->nusers = m;
  }
}

/* deps of the tasks from..to-1, whose ids are set, and where the next run
 * starts: runs end after CHUNK refs, so raw stays small and in the cache. */
static int link_run(Linker *l, int from) {
  Graph *g = l->g;
  int to = from;
  l->nraw = 0;
  while (to < g->ntasks && l->nraw < CHUNK) {
    if ((size_t)(to - from) + 1 >= l->caprstart)
      l->rstart = grow(l->rstart, &l->caprstart, sizeof *l->rstart);
    l->rstart[to - from] = l->nraw;
    gather_task(l, g->tasks[to++]);
  }
  l->rstart[to - from] = l->nraw;
  for (int i = from; i < to; i++) {
    g->edges.dep_start[i] = (int)l->nids;
    link_deps(l, i, l->rstart[i - from], l->rstart[i - from + 1]);
  }
  return to;
}

void graph_link(Graph *g) {
  int n = g->ntasks;
  /* Refs are resolved by id, so every task is numbered first. */
  for (int i = 0; i < n; i++) {
    g->tasks[i]->id = i;
    g->tasks[i]->nout = 0;
  }
  reserve_edges(g, n, 0);
  Linker l = {.g = g, .capstack = 64, .capraw = 2 * CHUNK};
  l.capids = (size_t)g->edges.cap_edges + 64;
  l.raw = checked(malloc(sizeof *l.raw * l.capraw));
  l.ids = checked(malloc(sizeof *l.ids * l.capids));
  l.stack = checked(malloc(sizeof *l.stack * l.capstack));
  l.seen = checked(calloc((size_t)n + 1, sizeof *l.seen));
  for (int i = 0; i < n;)
    i = link_run(&l, i);
  g->edges.dep_start[n] = (int)l.nids;
  reserve_edges(g, n, (int)l.nids);
  if (l.nids)
    memcpy(g->edges.dep_ids, l.ids, sizeof(int) * l.nids);
  free(l.raw);
  free(l.rstart);
  free(l.ids);
  free(l.buf);
  free(l.stack);
  link_users(g, l.seen);
  free(l.seen);
  for (int i = 0; i < g->noutputs; i++)
    if (g->outputs[i].task && in_graph(g, g->outputs[i].task))
      g->outputs[i].task->nout++;
  g->linked = true;
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
    return t->fn->label ? t->fn->label : t->fn->name;
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
