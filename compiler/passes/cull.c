/* cull.c - keep only what is needed: the outputs, the roots of pictures
 * drawn after the passes (visualize(..., optimize_graph=True)), and
 * everything they depend on. A program that names no output and asks for
 * no optimised picture keeps its whole graph, so that --emit=graph and
 * --emit=dot still show what it built. */
#include <stdlib.h>

#include "passes.h"

static void mark(bool *keep, Task **stack, int *n, Task *t) {
  if (!keep[t->id]) {
    keep[t->id] = true;
    stack[(*n)++] = t;
  }
}

void pass_cull(Graph *g) {
  int nroots = g->noutputs;
  for (int i = 0; i < g->nvis; i++)
    nroots += g->vis[i].optimize ? g->vis[i].nroots : 0;
  if (nroots == 0)
    return;
  bool *keep = arena_alloc(g->arena, (size_t)g->ntasks + 1);
  /* Each task is pushed at most once: the stack never exceeds ntasks. */
  Task **stack = malloc(sizeof(Task *) * ((size_t)g->ntasks + 1));
  if (!stack)
    return;
  int n = 0;
  for (int i = 0; i < g->noutputs; i++)
    mark(keep, stack, &n, g->outputs[i].task);
  for (int i = 0; i < g->nvis; i++)
    for (int j = 0; g->vis[i].optimize && j < g->vis[i].nroots; j++)
      mark(keep, stack, &n, g->vis[i].roots[j]);
  while (n > 0) {
    Task *t = stack[--n];
    for (int j = 0; j < t->ndeps; j++)
      mark(keep, stack, &n, t->deps[j]);
  }
  free(stack);
  int kept = 0;
  for (int i = 0; i < g->ntasks; i++)
    kept += keep[i];
  if (kept < g->ntasks)
    graph_compact(g, keep);
}
