/* cull.c - keep only what is needed: the outputs, the effects (top-level
 * prints), the roots of pictures
 * drawn after the passes (visualize(..., optimize_graph=True)), and
 * everything they depend on. A program that names no output and asks for
 * no optimised picture keeps its whole graph, so that --emit=graph and
 * --emit=dot still show what it built. */
#include <stdlib.h>

#include "util.h"

static void mark(const Graph *g, bool *keep, int *stack, int *n,
                 const Task *t) {
  if (t && t->id >= 0 && t->id < g->ntasks && g->tasks[t->id] == t &&
      !keep[t->id]) {
    keep[t->id] = true;
    stack[(*n)++] = t->id;
  }
}

/* The walk reads g->edges (indices), not the Tasks: on a big graph that is
 * the difference between cache hits and a miss per edge. */
void pass_cull(Graph *g, const PassOptions *o) {
  int nroots = g->noutputs + g->neffects;
  for (int i = 0; i < g->nvis; i++)
    nroots += g->vis[i].optimize ? g->vis[i].nroots : 0;
  if (nroots == 0)
    return;
  const GraphEdges *e = &g->edges;
  bool *keep = pass_xcalloc((size_t)g->ntasks + 1, sizeof(bool));
  /* Each task is pushed at most once: the stack never exceeds ntasks. */
  int *stack = pass_xmalloc(sizeof(int) * ((size_t)g->ntasks + 1));
  int n = 0;
  for (int i = 0; i < g->noutputs; i++)
    mark(g, keep, stack, &n, g->outputs[i].task);
  for (int i = 0; i < g->neffects; i++)
    mark(g, keep, stack, &n, g->effects[i]);
  for (int i = 0; i < g->nvis; i++)
    for (int j = 0; g->vis[i].optimize && j < g->vis[i].nroots; j++)
      mark(g, keep, stack, &n, g->vis[i].roots[j]);
  while (n > 0) {
    int t = stack[--n];
    for (int k = e->dep_start[t]; k < e->dep_start[t + 1]; k++)
      if (!keep[e->dep_ids[k]]) {
        keep[e->dep_ids[k]] = true;
        stack[n++] = e->dep_ids[k];
      }
  }
  free(stack);
  int kept = 0;
  for (int i = 0; i < g->ntasks; i++)
    kept += keep[i];
  if (kept < g->ntasks)
    graph_compact(g, keep);
  free(keep);
}
