/* util.c - helpers shared by the passes (util.h). */
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "diag.h"

enum { HUGE_PAGE = 2 << 20 };

/* Scratch arrays as long as the graph are read in random order: on 4 KiB
 * pages nearly every access would also miss the TLB, so big ones ask for
 * huge pages where they have whole ones (the arena does the same for its
 * blocks). */
static void *huge(void *p, size_t n) {
#ifdef MADV_HUGEPAGE
  if (p && n >= 2 * (size_t)HUGE_PAGE) {
    uintptr_t a = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    uintptr_t b = ((uintptr_t)p + n) & ~(uintptr_t)(HUGE_PAGE - 1);
    if (b > a)
      madvise((void *)a, b - a, MADV_HUGEPAGE);
  }
#endif
  return p;
}

void *pass_xmalloc(size_t n) {
  void *p = huge(malloc(n ? n : 1), n);
  if (!p)
    diag_fatal("out of memory");
  return p;
}

void *pass_xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p)
    diag_fatal("out of memory");
  return huge(p, n * size);
}

/* Programs mostly create deps before users: then the order of the tasks
 * is already topological, and walking it in that order reads the Tasks
 * one after the other rather than all over memory. */
static bool ids_ordered(const Graph *g) {
  const GraphEdges *e = &g->edges;
  for (int i = 0; i < g->ntasks; i++)
    for (int k = e->dep_start[i]; k < e->dep_start[i + 1]; k++)
      if (e->dep_ids[k] >= i)
        return false;
  return true;
}

/* Otherwise Kahn's algorithm with a FIFO seeded in id order, which mostly
 * keeps the original order. */
int pass_topo_order(const Graph *g, int *out) {
  const GraphEdges *e = &g->edges;
  int n = g->ntasks, head = 0, tail = 0;
  if (ids_ordered(g)) {
    for (int i = 0; i < n; i++)
      out[i] = i;
    return n;
  }
  int *left = pass_xmalloc(sizeof(int) * ((size_t)n + 1));
  for (int i = 0; i < n; i++) {
    left[i] = e->dep_start[i + 1] - e->dep_start[i];
    if (!left[i])
      out[tail++] = i;
  }
  while (head < tail) {
    int t = out[head++];
    for (int k = e->user_start[t]; k < e->user_start[t + 1]; k++)
      if (--left[e->user_ids[k]] == 0)
        out[tail++] = e->user_ids[k];
  }
  free(left);
  return tail;
}

void pass_mark_vis_roots(const Graph *g, bool *out) {
  for (int i = 0; i < g->ntasks; i++)
    out[i] = false;
  for (int i = 0; i < g->nvis; i++)
    for (int j = 0; g->vis[i].optimize && j < g->vis[i].nroots; j++) {
      Task *t = g->vis[i].roots[j];
      if (t->id >= 0 && t->id < g->ntasks && g->tasks[t->id] == t)
        out[t->id] = true;
    }
}
