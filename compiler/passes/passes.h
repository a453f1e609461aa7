/* passes.h - the graph optimisations (docs/language.md §6, docs/passes.md), one file and one entry
 * point each. Every pass keeps results unchanged; run_passes runs the
 * pipeline cse -> cull -> tree_reduce -> fuse -> order with the switches.
 * CSE runs first so that unoptimised pictures (drawn by the after_cse hook)
 * show pure calls merged, as Dask's do, even for values cull would drop. */
#ifndef TASKC_PASSES_H
#define TASKC_PASSES_H

#include <stdbool.h>
#include <stdio.h>

#include "ir.h"

typedef struct PassOptions {
  bool cull, cse, tree_reduce, fuse; /* order always runs */
  int split_every;                   /* fan-in of reduction trees, >= 2 */
  FILE *stats;                       /* --stats: report here, or NULL */
  bool verify;                       /* graph_verify after every pass */
  void (*after_cse)(Graph *g, void *ctx); /* called once, right after cse
                                             (or where it would run) */
  void *hook_ctx;
} PassOptions;

void run_passes(Graph *g, const PassOptions *o);

void pass_cull(Graph *g);        /* keep what the outputs need */
void pass_cse(Graph *g);         /* merge identical pure tasks */
void pass_tree_reduce(Graph *g, int split_every);
void pass_fuse(Graph *g);        /* linear chains become one task */
void pass_order(Graph *g);       /* static priorities, low peak memory */

#endif
