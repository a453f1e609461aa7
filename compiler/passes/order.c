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
 * Iterative and O(E log deg). Graphs have a million tasks and the walk
 * jumps all over them, so it works on task indices (g->edges) and small
 * arrays by index, and touches a Task only to read a root's id and to
 * write the priorities at the end. */
#include <stdint.h>
#include <stdlib.h>

#include "util.h"

enum { NEW, ENTERED, PLACED }; /* where a task is in the walk */

typedef struct Order {
  const int *dep_start, *dep_ids;   /* g->edges */
  const int *user_start, *user_ids;
  uint8_t *state; /* by index: NEW, ENTERED or PLACED */
  int *left;      /* by index: deps not placed yet; ready at 0 */
  int *notready;  /* by index: users not ready yet; at 0 all are placed */
  int *sorted;    /* each task's deps in the order to run them (the rows
                     of dep_ids, reordered) */
  int *stack;
  int *next;      /* per stack entry: the next dep to look at */
  int *eager;     /* tasks to place now (each user once per dep: <= E) */
  int *placed;    /* the schedule: placed[k] has priority k */
  int counter;
} Order;

/* Biggest need first, ties to the lower index. */
static bool before(const int *need, int a, int b) {
  if (need[a] != need[b])
    return need[a] > need[b];
  return a < b;
}

/* A long row is sorted by qsort on keys that hold the whole order: the
 * complement of the need above the index, so ascending keys are the order
 * of before() and the comparator needs no state. */
static uint64_t sort_key(const int *need, int i) {
  return (uint64_t)(uint32_t)(INT32_MAX - need[i]) << 32 | (uint32_t)i;
}

static int by_key(const void *pa, const void *pb) {
  uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
  return a < b ? -1 : a > b;
}

/* Rows are mostly a handful of deps: insertion sort, qsort past that. The
 * order is total (indices differ), so both give the same rows. */
static void sort_row(const int *need, int *row, int n) {
  if (n > 16) {
    uint64_t *keys = pass_xmalloc(sizeof *keys * (size_t)n);
    for (int i = 0; i < n; i++)
      keys[i] = sort_key(need, row[i]);
    qsort(keys, (size_t)n, sizeof *keys, by_key);
    for (int i = 0; i < n; i++)
      row[i] = (int)(uint32_t)keys[i];
    free(keys);
    return;
  }
  for (int i = 1; i < n; i++) {
    int x = row[i], j = i;
    for (; j > 0 && before(need, x, row[j - 1]); j--)
      row[j] = row[j - 1];
    row[j] = x;
  }
}

static void compute_needs(Order *o, const Graph *g) {
  int n = g->ntasks;
  int *topo = pass_xmalloc(sizeof(int) * ((size_t)n + 1));
  int *need = pass_xmalloc(sizeof(int) * ((size_t)n + 1));
  int ntopo = pass_topo_order(g, topo);
  for (int i = 0; i < n; i++)
    need[i] = 1;
  for (int k = 0; k < ntopo; k++) {
    int t = topo[k], base = o->dep_start[t];
    int *deps = o->sorted + base, nd = o->dep_start[t + 1] - base;
    sort_row(need, deps, nd);
    int m = 1;
    for (int i = 0; i < nd; i++)
      if (need[deps[i]] + i > m)
        m = need[deps[i]] + i;
    need[t] = m;
  }
  free(need);
  free(topo);
}

/* v has become ready: if it was the last reader of a dep d not ready yet,
 * all readers of d can run now, so they are queued to be placed (in
 * reverse, so the first in program order is placed first). */
static void became_ready(Order *o, int v, int *esp) {
  for (int i = o->dep_start[v]; i < o->dep_start[v + 1]; i++) {
    int d = o->dep_ids[i];
    if (--o->notready[d] != 0)
      continue;
    for (int j = o->user_start[d + 1] - 1; j >= o->user_start[d]; j--)
      if (o->state[o->user_ids[j]] != PLACED)
        o->eager[(*esp)++] = o->user_ids[j];
  }
}

/* Numbers t, then whatever it lets run early (see the header comment). */
static void place(Order *o, int t) {
  int esp = 0;
  o->eager[esp++] = t;
  while (esp > 0) {
    int u = o->eager[--esp];
    if (o->state[u] == PLACED)
      continue;
    o->state[u] = PLACED;
    o->placed[o->counter++] = u;
    for (int i = o->user_start[u]; i < o->user_start[u + 1]; i++) {
      int v = o->user_ids[i];
      if (--o->left[v] == 0 && o->state[v] != PLACED)
        became_ready(o, v, &esp);
    }
  }
}

/* Post-order: a task is placed once all its deps are. */
static void walk_from(Order *o, int root) {
  if (o->state[root] != NEW)
    return;
  int sp = 0;
  o->state[root] = ENTERED;
  o->stack[sp] = root;
  o->next[sp++] = o->dep_start[root];
  while (sp > 0) {
    int t = o->stack[sp - 1];
    int k = o->next[sp - 1];
    if (k < o->dep_start[t + 1]) {
      o->next[sp - 1]++;
      int d = o->sorted[k];
      if (o->state[d] == NEW) {
        o->state[d] = ENTERED;
        o->stack[sp] = d;
        o->next[sp++] = o->dep_start[d];
      }
      continue;
    }
    if (o->state[t] != PLACED)
      place(o, t);
    sp--;
  }
}

static void walk_from_task(Order *o, const Graph *g, const Task *root) {
  if (root && root->id >= 0 && root->id < g->ntasks &&
      g->tasks[root->id] == root)
    walk_from(o, root->id);
}

void pass_order(Graph *g, const PassOptions *opt) {
  int n = g->ntasks;
  const GraphEdges *e = &g->edges;
  int ne = e->dep_start[n];
  Order o = {.dep_start = e->dep_start, .dep_ids = e->dep_ids,
             .user_start = e->user_start, .user_ids = e->user_ids};
  o.state = pass_xcalloc((size_t)n + 1, sizeof(uint8_t));
  o.sorted = pass_xmalloc(sizeof(int) * ((size_t)ne + 1));
  o.stack = pass_xmalloc(sizeof(int) * ((size_t)n + 1));
  o.next = pass_xmalloc(sizeof(int) * ((size_t)n + 1));
  o.eager = pass_xmalloc(sizeof(int) * ((size_t)ne + 1));
  o.placed = pass_xmalloc(sizeof(int) * ((size_t)n + 1));
  for (int k = 0; k < ne; k++)
    o.sorted[k] = e->dep_ids[k];
  o.left = pass_xmalloc(sizeof(int) * ((size_t)n + 1));
  o.notready = pass_xmalloc(sizeof(int) * ((size_t)n + 1));
  for (int i = 0; i < n; i++) {
    o.left[i] = e->dep_start[i + 1] - e->dep_start[i];
    o.notready[i] = e->user_start[i + 1] - e->user_start[i];
  }
  compute_needs(&o, g);
  for (int i = 0; i < g->noutputs; i++)
    walk_from_task(&o, g, g->outputs[i].task);
  for (int i = 0; i < g->nvis; i++)
    for (int j = 0; j < g->vis[i].nroots; j++)
      walk_from_task(&o, g, g->vis[i].roots[j]);
  for (int i = 0; i < n; i++) /* what no output needs (with --no-cull) */
    if (e->user_start[i + 1] == e->user_start[i])
      walk_from(&o, i);
  for (int i = 0; i < n; i++) /* only tasks on a cycle are left */
    walk_from(&o, i);
  for (int k = 0; k < o.counter; k++)
    g->tasks[o.placed[k]]->priority = k;
  free(o.left);
  free(o.notready);
  free(o.state);
  free(o.sorted);
  free(o.stack);
  free(o.next);
  free(o.eager);
  free(o.placed);
}
