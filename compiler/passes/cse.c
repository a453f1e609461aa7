/* cse.c - common-subexpression elimination: identical pure tasks become
 * one.
 *
 * Two tasks are identical when they are pure calls of the same op or
 * function with equal arguments (val_equal: 1, 1.0 and True differ), or
 * data tasks with equal values. Keys do not matter: Dask names pure tasks
 * by hashing exactly this, which is why its inc(1) is computed once.
 *
 * Tasks are visited in topological order and each task's refs are first
 * redirected to the representatives of its deps, so whole chains of
 * duplicates (add(inc(1), 2) twice) merge in one pass. One hash table,
 * linear time. Of each class the task with the lowest id is kept.
 *
 * Big graphs mostly have little to merge, so only tasks with a merged dep
 * are rewritten (found in g->edges, without walking args), and a pass that
 * merged nothing leaves the graph as it was, linked. */
#include <stdlib.h>

#include "util.h"

/* A leader and its hash side by side: one cache miss per probe. */
typedef struct Slot {
  uint64_t hash;
  Task *t;
} Slot;

typedef struct Cse {
  Graph *g;
  bool keep_tuple_keys; /* PassOptions: tuple-keyed tasks stay apart */
  int *rep;     /* by index: the class leader (first seen in topo order) */
  int *best;    /* by index of a leader: its member with the lowest index */
  Slot *table;  /* open addressing over leaders */
  size_t cap;
} Cse;

static bool in_graph(const Graph *g, const Task *r) {
  return r->id >= 0 && r->id < g->ntasks && g->tasks[r->id] == r;
}

static void to_leader(Val *ref, void *ctx) {
  Cse *c = ctx;
  if (in_graph(c->g, ref->ref))
    ref->ref = c->g->tasks[c->rep[ref->ref->id]];
}

static void to_keeper(Val *ref, void *ctx) {
  Cse *c = ctx;
  if (in_graph(c->g, ref->ref))
    ref->ref = c->g->tasks[c->best[c->rep[ref->ref->id]]];
}

static void visit_args(Task *t, void (*fn)(Val *, void *), void *ctx) {
  for (int i = 0; i < t->nargs; i++)
    val_visit_refs(t->args[i], fn, ctx);
  for (int i = 0; i < t->ninner; i++)
    visit_args(t->inner[i], fn, ctx);
}

/* Whether some dep of task i is represented by another task: by[d] != d.
 * Read from g->edges, so tasks with nothing to redirect (nearly all of a
 * big graph) are not walked. */
static bool dep_moved(const Graph *g, int i, const int *rep, const int *by) {
  const GraphEdges *e = &g->edges;
  for (int k = e->dep_start[i]; k < e->dep_start[i + 1]; k++) {
    int d = e->dep_ids[k];
    if ((by ? by[rep[d]] : rep[d]) != d)
      return true;
  }
  return false;
}

static bool mergeable(const Task *t, bool keep_tuple_keys) {
  if (keep_tuple_keys && t->key && t->key->kind == VAL_TUPLE)
    return false;
  return (t->kind == TASK_CALL && t->pure) || t->kind == TASK_DATA;
}

static uint64_t task_hash(const Task *t) {
  uint64_t h = (uint64_t)t->kind * 0x9e3779b97f4a7c15ull;
  h ^= (uint64_t)(uintptr_t)t->op * 31 + (uint64_t)(uintptr_t)t->fn * 17;
  h = h * 0xff51afd7ed558ccdull + (uint64_t)t->nargs;
  for (int i = 0; i < t->nargs; i++)
    h = (h ^ val_hash(t->args[i])) * 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 31);
}

static bool same_task(const Task *a, const Task *b) {
  if (a->kind != b->kind || a->op != b->op || a->fn != b->fn ||
      a->nargs != b->nargs)
    return false;
  for (int i = 0; i < a->nargs; i++)
    if (!val_equal(a->args[i], b->args[i]))
      return false;
  return true;
}

/* The leader t merges into, or t itself after adding it to the table. */
static Task *find_or_add(Cse *c, Task *t, uint64_t h) {
  size_t i = h & (c->cap - 1);
  for (; c->table[i].t; i = (i + 1) & (c->cap - 1))
    if (c->table[i].hash == h && same_task(c->table[i].t, t))
      return c->table[i].t;
  c->table[i] = (Slot){h, t};
  return t;
}

static Task *keeper(Cse *c, Task *t) {
  return c->g->tasks[c->best[c->rep[t->id]]];
}

static void redirect_roots(Cse *c) {
  Graph *g = c->g;
  for (int i = 0; i < g->noutputs; i++) {
    Task *t = g->outputs[i].task;
    if (in_graph(g, t))
      g->outputs[i].task = keeper(c, t);
  }
  for (int i = 0; i < g->neffects; i++)
    if (in_graph(g, g->effects[i]))
      g->effects[i] = keeper(c, g->effects[i]);
  for (int i = 0; i < g->nvis; i++)
    for (int j = 0; j < g->vis[i].nroots; j++) {
      Task *t = g->vis[i].roots[j];
      if (in_graph(g, t))
        g->vis[i].roots[j] = keeper(c, t);
    }
}

/* The hash of task i, its table slot asked for in advance: the table is
 * as big as the graph, and a probe that waits for memory is most of what
 * CSE costs on a big one. 0 for a task that cannot merge. */
static uint64_t hash_ahead(Cse *c, int i) {
  Task *t = c->g->tasks[i];
  if (!mergeable(t, c->keep_tuple_keys))
    return 0;
  uint64_t h = task_hash(t);
  __builtin_prefetch(&c->table[h & (c->cap - 1)]);
  return h;
}

enum { AHEAD = 16 }; /* tasks hashed ahead of the one being looked up */

/* Classes in topological order; returns whether any task merged. A task's
 * refs need redirecting only once some earlier task has merged, and only
 * if one of its own deps did; led[i] records that task i's were (and its
 * hash, taken ahead, is taken again). */
static bool find_classes(Cse *c, bool *led) {
  Graph *g = c->g;
  int n = g->ntasks;
  int *order = pass_xmalloc(sizeof(int) * ((size_t)n + 1));
  int norder = pass_topo_order(g, order); /* tasks on a cycle are left alone */
  uint64_t ring[AHEAD];
  for (int k = 0; k < AHEAD && k < norder; k++)
    ring[k] = hash_ahead(c, order[k]);
  bool merged = false;
  for (int k = 0; k < norder; k++) {
    int i = order[k];
    Task *t = g->tasks[i];
    uint64_t h = ring[k % AHEAD];
    if (k + AHEAD < norder)
      ring[k % AHEAD] = hash_ahead(c, order[k + AHEAD]);
    if (merged && dep_moved(g, i, c->rep, NULL)) {
      visit_args(t, to_leader, c);
      led[i] = true;
      h = task_hash(t);
    }
    if (!mergeable(t, c->keep_tuple_keys))
      continue;
    Task *leader = find_or_add(c, t, h);
    c->rep[i] = leader->id;
    merged |= leader != t;
    if (i < c->best[leader->id])
      c->best[leader->id] = i;
  }
  free(order);
  return merged;
}

void pass_cse(Graph *g, const PassOptions *o) {
  int n = g->ntasks;
  Cse c = {.g = g, .keep_tuple_keys = o && o->keep_tuple_keys};
  c.rep = pass_xmalloc(sizeof(int) * ((size_t)n + 1));
  c.best = pass_xmalloc(sizeof(int) * ((size_t)n + 1));
  for (c.cap = 16; c.cap < (size_t)n * 2; c.cap *= 2)
    ;
  c.table = pass_xcalloc(c.cap, sizeof(Slot));
  for (int i = 0; i < n; i++)
    c.rep[i] = c.best[i] = i;
  bool *led = pass_xcalloc((size_t)n + 1, sizeof(bool));
  bool merged = find_classes(&c, led);
  free(c.table);
  if (merged) {
    /* Every class keeps its member with the lowest index; refs move to it
     * (a task with no dep merged and refs left alone needs nothing). */
    bool *keep = pass_xmalloc((size_t)n + 1);
    for (int i = 0; i < n; i++)
      keep[i] = c.best[c.rep[i]] == i;
    for (int i = 0; i < n; i++)
      if (keep[i] && (led[i] || dep_moved(g, i, c.rep, c.best)))
        visit_args(g->tasks[i], to_keeper, &c);
    redirect_roots(&c);
    graph_compact(g, keep);
    free(keep);
  }
  free(led);
  free(c.rep);
  free(c.best);
}
