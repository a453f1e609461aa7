/* util.c - helpers shared by the passes (util.h). */
#include "util.h"

#include <stdlib.h>

#include "diag.h"

void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p)
    diag_fatal("out of memory");
  return p;
}

void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p)
    diag_fatal("out of memory");
  return p;
}

/* Kahn's algorithm with a FIFO seeded in id order: programs create deps
 * before users, so this mostly keeps the original order. */
int topo_order(const Graph *g, Task **out) {
  int n = g->ntasks, head = 0, tail = 0;
  int *left = xmalloc(sizeof(int) * ((size_t)n + 1));
  for (int i = 0; i < n; i++) {
    left[i] = g->tasks[i]->ndeps;
    if (!left[i])
      out[tail++] = g->tasks[i];
  }
  while (head < tail) {
    Task *t = out[head++];
    for (int j = 0; j < t->nusers; j++)
      if (--left[t->users[j]->id] == 0)
        out[tail++] = t->users[j];
  }
  free(left);
  return tail;
}

void mark_vis_roots(const Graph *g, bool *out) {
  for (int i = 0; i < g->ntasks; i++)
    out[i] = false;
  for (int i = 0; i < g->nvis; i++)
    for (int j = 0; g->vis[i].optimize && j < g->vis[i].nroots; j++) {
      Task *t = g->vis[i].roots[j];
      if (t->id >= 0 && t->id < g->ntasks && g->tasks[t->id] == t)
        out[t->id] = true;
    }
}
