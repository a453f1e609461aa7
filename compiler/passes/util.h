/* util.h - small helpers shared by the passes in this folder (not part of
 * the passes.h contract). */
#ifndef TASKC_PASSES_UTIL_H
#define TASKC_PASSES_UTIL_H

#include "passes.h"

/* A topological order of g (deps before users) as task indices: 0, 1, 2,
 * ... when every task's deps have lower indices (as programs mostly build
 * graphs), else Kahn's with ties broken by index. Tasks on a cycle are left
 * out. Returns how many were placed in out, which must hold g->ntasks. The
 * graph must be linked: this reads g->edges, not the Tasks. Callers must
 * not depend on which topological order they get. */
int pass_topo_order(const Graph *g, int *out);

/* malloc that ends the compilation on failure, for scratch arrays freed at
 * the end of a pass (the arena keeps what outlives the pass). */
void *pass_xmalloc(size_t n);
void *pass_xcalloc(size_t n, size_t size);

/* Marks tasks that a picture drawn after the passes names as a root:
 * passes must keep them as separate tasks. out has g->ntasks entries. */
void pass_mark_vis_roots(const Graph *g, bool *out);

#endif
