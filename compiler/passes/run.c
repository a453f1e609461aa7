/* run.c - the pass pipeline: cse -> cull -> tree_reduce -> fuse -> order,
 * each one switchable except order. The graph is linked before the first
 * pass (unless it already is: sema_graph links it) and stays linked; it is
 * verified after every pass when asked (debug builds do by default);
 * --stats prints one row for the input and one per pass run. */
#include <time.h>

#include "diag.h"
#include "passes.h"

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void stats_row(const PassOptions *o, const char *name, const Graph *g,
                      double ms) {
  if (o->stats)
    fprintf(o->stats, "%-12s %9d %9d %9.2f\n", name, g->ntasks,
            graph_nedges(g), ms);
}

/* Each pass leaves the graph linked (it relinks, by graph_compact, only
 * when it changed something; order changes no edge), so there is no
 * graph_link here: on a million tasks it would cost as much as the pass.
 * graph_verify catches a pass that forgot. */
static void after(Graph *g, const PassOptions *o, const char *name,
                  double t0) {
  stats_row(o, name, g, now_ms() - t0);
  if (o->verify && !graph_verify(g, name))
    diag_fatal("internal error: the graph is invalid after %s", name);
}

void run_passes(Graph *g, const PassOptions *o) {
  double t0 = now_ms();
  if (!g->linked)
    graph_link(g);
  if (o->stats)
    fprintf(o->stats, "%-12s %9s %9s %9s\n", "pass", "tasks", "edges", "ms");
  stats_row(o, "input", g, now_ms() - t0);
  if (o->verify && !graph_verify(g, "input"))
    diag_fatal("internal error: the graph is invalid before the passes");
  if (o->cse) {
    t0 = now_ms();
    pass_cse(g);
    after(g, o, "cse", t0);
  }
  /* Dask gives equal pure calls one key as it builds the graph, so its
   * unoptimised pictures show CSE's graph: draw them here, before cull
   * removes what only a picture needs. */
  if (o->after_cse)
    o->after_cse(g, o->hook_ctx);
  if (o->cull) {
    t0 = now_ms();
    pass_cull(g);
    after(g, o, "cull", t0);
  }
  if (o->tree_reduce) {
    t0 = now_ms();
    pass_tree_reduce(g, o->split_every);
    after(g, o, "tree_reduce", t0);
  }
  if (o->fuse) {
    t0 = now_ms();
    pass_fuse(g);
    after(g, o, "fuse", t0);
  }
  t0 = now_ms();
  pass_order(g);
  after(g, o, "order", t0);
}
