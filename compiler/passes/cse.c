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
 * linear time. Of each class the task with the lowest id is kept. */
#include <stdlib.h>

#include "util.h"

typedef struct Cse {
  Graph *g;
  Task **rep;   /* by id: the class leader (first seen in topo order) */
  Task **best;  /* by id of a leader: its member with the lowest id */
  Task **table; /* open addressing over leaders */
  uint64_t *hash;
  size_t cap;
} Cse;

static bool in_graph(const Graph *g, const Task *r) {
  return r->id >= 0 && r->id < g->ntasks && g->tasks[r->id] == r;
}

static void to_leader(Val *ref, void *ctx) {
  Cse *c = ctx;
  if (in_graph(c->g, ref->ref))
    ref->ref = c->rep[ref->ref->id];
}

static void to_keeper(Val *ref, void *ctx) {
  Cse *c = ctx;
  if (in_graph(c->g, ref->ref))
    ref->ref = c->best[c->rep[ref->ref->id]->id];
}

static void visit_args(Task *t, void (*fn)(Val *, void *), void *ctx) {
  for (int i = 0; i < t->nargs; i++)
    val_visit_refs(t->args[i], fn, ctx);
  for (int i = 0; i < t->ninner; i++)
    visit_args(t->inner[i], fn, ctx);
}

static bool mergeable(const Task *t) {
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
static Task *find_or_add(Cse *c, Task *t) {
  uint64_t h = task_hash(t);
  size_t i = h & (c->cap - 1);
  for (; c->table[i]; i = (i + 1) & (c->cap - 1))
    if (c->hash[i] == h && same_task(c->table[i], t))
      return c->table[i];
  c->table[i] = t;
  c->hash[i] = h;
  return t;
}

static void redirect_roots(Cse *c) {
  Graph *g = c->g;
  for (int i = 0; i < g->noutputs; i++) {
    Task *t = g->outputs[i].task;
    if (in_graph(g, t))
      g->outputs[i].task = c->best[c->rep[t->id]->id];
  }
  for (int i = 0; i < g->nvis; i++)
    for (int j = 0; j < g->vis[i].nroots; j++) {
      Task *t = g->vis[i].roots[j];
      if (in_graph(g, t))
        g->vis[i].roots[j] = c->best[c->rep[t->id]->id];
    }
}

void pass_cse(Graph *g) {
  int n = g->ntasks;
  Cse c = {.g = g};
  c.rep = xmalloc(sizeof(Task *) * ((size_t)n + 1));
  c.best = xmalloc(sizeof(Task *) * ((size_t)n + 1));
  for (c.cap = 16; c.cap < (size_t)n * 2; c.cap *= 2)
    ;
  c.table = xcalloc(c.cap, sizeof(Task *));
  c.hash = xcalloc(c.cap, sizeof(uint64_t));
  for (int i = 0; i < n; i++)
    c.rep[i] = c.best[i] = g->tasks[i];

  Task **order = xmalloc(sizeof(Task *) * ((size_t)n + 1));
  int norder = topo_order(g, order); /* tasks on a cycle are left alone */
  for (int k = 0; k < norder; k++) {
    Task *t = order[k];
    visit_args(t, to_leader, &c);
    if (!mergeable(t))
      continue;
    Task *leader = find_or_add(&c, t);
    c.rep[t->id] = leader;
    if (t->id < c.best[leader->id]->id)
      c.best[leader->id] = t;
  }

  bool *keep = arena_alloc(g->arena, (size_t)n + 1);
  for (int i = 0; i < n; i++)
    keep[i] = c.best[c.rep[i]->id] == g->tasks[i];
  for (int i = 0; i < n; i++)
    if (keep[i])
      visit_args(g->tasks[i], to_keeper, &c);
  redirect_roots(&c);
  free(order);
  free(c.rep);
  free(c.best);
  free(c.table);
  free(c.hash);
  graph_compact(g, keep);
}
