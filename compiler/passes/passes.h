/* passes.h - the graph optimisations (docs/language.md §6, docs/passes.md),
 * one file and one entry point each, all with the same signature. Every
 * pass keeps results unchanged. passes_run runs the table of run.c:
 * cse -> cull -> tree_reduce -> fuse -> order, with the switches below.
 * Unoptimised pictures (the after_cse hook) are drawn before the pipeline,
 * after a CSE that merges what Dask's keys merge (pure calls, not the
 * chunks of collections: keep_tuple_keys), so they show values cull would
 * drop. */
#ifndef TASKC_PASSES_H
#define TASKC_PASSES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ir.h"

typedef struct PassOptions {
  bool cull, cse, tree_reduce, fuse; /* order always runs */
  int split_every;                   /* fan-in of reduction trees, >= 2 */
  FILE *stats;                       /* --stats: report here, or NULL */
  bool verify;                       /* graph_verify after every pass */
  /* --dump-after: print the graph (graph_print) to dump after the pass of
   * this name, or after every pass with "all"; NULL: none. A pass that is
   * switched off prints nothing. */
  const char *dump_after;
  FILE *dump;
  void (*after_cse)(Graph *g, void *ctx); /* called once, before the
                                             passes, after the pictures'
                                             CSE (below) when cse is on */
  void *hook_ctx;
  /* CSE leaves tasks with tuple keys apart: set for the CSE the pictures
   * see (Dask names every chunk of a collection, and every tuple key of a
   * dict graph, apart; only its pure calls share content-hashed keys). */
  bool keep_tuple_keys;
} PassOptions;

void passes_run(Graph *g, const PassOptions *o);

/* Is name a pass of the table, or "all" (for --dump-after)? */
bool passes_known(const char *name);
/* The names of the passes in pipeline order, "cse, cull, ...", into buf. */
void passes_names(char *buf, size_t size);

/* The passes. o is the pipeline's options; most passes need none of it. */
void pass_cse(Graph *g, const PassOptions *o);  /* merge identical pure tasks */
void pass_cull(Graph *g, const PassOptions *o); /* keep what outputs need */
void pass_tree_reduce(Graph *g, const PassOptions *o); /* o->split_every */
void pass_fuse(Graph *g, const PassOptions *o); /* chains become one task */
void pass_order(Graph *g, const PassOptions *o); /* priorities, low memory */

#endif
