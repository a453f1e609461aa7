/* order.c - static priorities (the role of dask.order): a task's priority
 * is its position in one sequential schedule, 0 first; the runtime runs
 * ready tasks lowest priority first.
 *
 * The schedule is a depth-first walk from the outputs (in program order)
 * that finishes one dependency subtree before starting the next, so
 * intermediate results are consumed soon after they are made. Among the
 * deps of a task it first runs the one whose subtree needs the most memory
 * (Sethi-Ullman order): while the bigger subtree runs, nothing else is
 * held; while the smaller ones run, only the bigger one's single result is.
 *
 *   need(t) = max over deps d_i sorted by need, largest first, of
 *             need(d_i) + i   (and at least 1)
 *
 * counts the results alive at the worst moment when t's deps form a tree;
 * on a DAG it is an estimate. Ties go to the lower id, which keeps the
 * order of the program. Iterative and O(E log deg): graphs have a million
 * tasks. */
#include <stdlib.h>

#include "util.h"

static int *need_of; /* for the comparator: need by id */

static int by_need(const void *pa, const void *pb) {
  const Task *a = *(Task *const *)pa, *b = *(Task *const *)pb;
  if (need_of[a->id] != need_of[b->id])
    return need_of[a->id] > need_of[b->id] ? -1 : 1;
  return (a->id > b->id) - (a->id < b->id);
}

typedef struct Order {
  Graph *g;
  int *need;
  Task **sorted;  /* each task's deps in the order to run them */
  int *start;     /* sorted[start[id] .. start[id + 1]) */
  bool *entered;
  Task **stack;
  int *next;      /* per stack entry: the next dep to look at */
  int counter;
} Order;

static void compute_needs(Order *o) {
  Graph *g = o->g;
  Task **topo = xmalloc(sizeof(Task *) * ((size_t)g->ntasks + 1));
  int n = topo_order(g, topo);
  for (int i = 0; i < g->ntasks; i++)
    o->need[i] = 1;
  need_of = o->need;
  for (int k = 0; k < n; k++) {
    Task *t = topo[k];
    Task **deps = o->sorted + o->start[t->id];
    qsort(deps, (size_t)t->ndeps, sizeof *deps, by_need);
    int need = 1;
    for (int i = 0; i < t->ndeps; i++)
      if (need_of[deps[i]->id] + i > need)
        need = need_of[deps[i]->id] + i;
    o->need[t->id] = need;
  }
  free(topo);
}

/* Post-order: a task is numbered once all its deps are. */
static void walk_from(Order *o, Task *root) {
  const Graph *g = o->g;
  if (!root || root->id < 0 || root->id >= g->ntasks ||
      g->tasks[root->id] != root || o->entered[root->id])
    return;
  int sp = 0;
  o->entered[root->id] = true;
  o->stack[sp] = root;
  o->next[sp++] = 0;
  while (sp > 0) {
    Task *t = o->stack[sp - 1];
    int i = o->next[sp - 1];
    if (i < t->ndeps) {
      o->next[sp - 1]++;
      Task *d = o->sorted[o->start[t->id] + i];
      if (!o->entered[d->id]) {
        o->entered[d->id] = true;
        o->stack[sp] = d;
        o->next[sp++] = 0;
      }
      continue;
    }
    t->priority = o->counter++;
    sp--;
  }
}

void pass_order(Graph *g) {
  int n = g->ntasks;
  Order o = {.g = g};
  o.need = xmalloc(sizeof(int) * ((size_t)n + 1));
  o.start = xmalloc(sizeof(int) * ((size_t)n + 2));
  o.sorted = xmalloc(sizeof(Task *) * ((size_t)graph_nedges(g) + 1));
  o.entered = xcalloc((size_t)n + 1, sizeof(bool));
  o.stack = xmalloc(sizeof(Task *) * ((size_t)n + 1));
  o.next = xmalloc(sizeof(int) * ((size_t)n + 1));
  o.start[0] = 0;
  for (int i = 0; i < n; i++) {
    Task *t = g->tasks[i];
    for (int j = 0; j < t->ndeps; j++)
      o.sorted[o.start[i] + j] = t->deps[j];
    o.start[i + 1] = o.start[i] + t->ndeps;
  }
  compute_needs(&o);
  for (int i = 0; i < g->noutputs; i++)
    walk_from(&o, g->outputs[i].task);
  for (int i = 0; i < g->nvis; i++)
    for (int j = 0; j < g->vis[i].nroots; j++)
      walk_from(&o, g->vis[i].roots[j]);
  for (int i = 0; i < n; i++) /* what no output needs (with --no-cull) */
    if (g->tasks[i]->nusers == 0)
      walk_from(&o, g->tasks[i]);
  for (int i = 0; i < n; i++) /* only tasks on a cycle are left */
    walk_from(&o, g->tasks[i]);
  free(o.need);
  free(o.start);
  free(o.sorted);
  free(o.entered);
  free(o.stack);
  free(o.next);
}
