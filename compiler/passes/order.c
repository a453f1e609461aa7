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
 * order of the program.
 *
 * Release first: the walk alone keeps a value with several readers alive
 * until the walk reaches its last reader, maybe in the subtree of the last
 * output. So once every reader of a placed value is ready (all its deps
 * placed), all of them are placed at once, and the value can be freed.
 * The check runs when a task becomes ready: it counts down notready[d] of
 * each of its deps d. Such eager placements cascade depth-first (a stack),
 * so a reader's own readers follow it before the next reader starts.
 * Iterative and O(E log deg): graphs have a million tasks. */
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
  bool *placed;
  Task **stack;
  int *next;      /* per stack entry: the next dep to look at */
  int *left;      /* deps not placed yet; ready at 0 */
  int *notready;  /* users not ready yet; at 0 they all are placed */
  Task **eager;   /* tasks to place now (each user once per dep: <= E) */
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

/* u has become ready: if it was the last reader of a dep d not ready yet,
 * all readers of d can run now, so they are queued to be placed (in
 * reverse, so the first in program order is placed first). */
static void became_ready(Order *o, Task *u, int *esp) {
  for (int i = 0; i < u->ndeps; i++) {
    Task *d = u->deps[i];
    if (--o->notready[d->id] != 0)
      continue;
    for (int j = d->nusers - 1; j >= 0; j--)
      if (!o->placed[d->users[j]->id])
        o->eager[(*esp)++] = d->users[j];
  }
}

/* Numbers t, then whatever it lets run early (see the header comment). */
static void place(Order *o, Task *t) {
  int esp = 0;
  o->eager[esp++] = t;
  while (esp > 0) {
    Task *u = o->eager[--esp];
    if (o->placed[u->id])
      continue;
    o->placed[u->id] = true;
    u->priority = o->counter++;
    for (int i = 0; i < u->nusers; i++) {
      Task *v = u->users[i];
      if (--o->left[v->id] == 0 && !o->placed[v->id])
        became_ready(o, v, &esp);
    }
  }
}

/* Post-order: a task is placed once all its deps are. */
static void walk_from(Order *o, Task *root) {
  const Graph *g = o->g;
  if (!root || root->id < 0 || root->id >= g->ntasks ||
      g->tasks[root->id] != root || o->entered[root->id] ||
      o->placed[root->id])
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
      if (!o->entered[d->id] && !o->placed[d->id]) {
        o->entered[d->id] = true;
        o->stack[sp] = d;
        o->next[sp++] = 0;
      }
      continue;
    }
    if (!o->placed[t->id])
      place(o, t);
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
  o.placed = xcalloc((size_t)n + 1, sizeof(bool));
  o.left = xmalloc(sizeof(int) * ((size_t)n + 1));
  o.notready = xmalloc(sizeof(int) * ((size_t)n + 1));
  o.eager = xmalloc(sizeof(Task *) * ((size_t)graph_nedges(g) + 1));
  o.start[0] = 0;
  for (int i = 0; i < n; i++) {
    Task *t = g->tasks[i];
    for (int j = 0; j < t->ndeps; j++)
      o.sorted[o.start[i] + j] = t->deps[j];
    o.start[i + 1] = o.start[i] + t->ndeps;
    o.left[i] = t->ndeps;
    o.notready[i] = t->nusers;
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
  free(o.placed);
  free(o.left);
  free(o.notready);
  free(o.eager);
}
