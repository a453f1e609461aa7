/* run.c - the pass pipeline: one table row per pass, run in order, each
 * switchable by its flag in PassOptions except order. The graph is linked
 * before the first pass (unless it already is: sema_graph links it) and
 * stays linked; it is verified after every pass when asked (debug builds do
 * by default); --stats prints one row for the input and one per pass run;
 * --dump-after prints the graph after the named pass.
 *
 * Like LLVM's -print-after and QBE's -d, --dump-after does not stop the
 * compilation: the dump goes out as the pass finishes and the compiler
 * carries on to the output asked for (`-o /dev/null` when only the dump is
 * wanted). */
#include <string.h>
#include <time.h>

#include "diag.h"
#include "passes.h"

enum { ALWAYS = -1 }; /* a pass without a switch */

typedef struct Pass {
  const char *name; /* in --stats, --dump-after and messages */
  void (*run)(Graph *g, const PassOptions *o);
  int on;           /* offsetof the bool in PassOptions, or ALWAYS */
} Pass;

static const Pass passes[] = {
  {"cse", pass_cse, offsetof(PassOptions, cse)},
  {"cull", pass_cull, offsetof(PassOptions, cull)},
  {"tree_reduce", pass_tree_reduce, offsetof(PassOptions, tree_reduce)},
  {"fuse", pass_fuse, offsetof(PassOptions, fuse)},
  {"order", pass_order, ALWAYS},
};
enum { NPASSES = sizeof passes / sizeof *passes };

bool passes_known(const char *name) {
  if (!strcmp(name, "all"))
    return true;
  for (int i = 0; i < NPASSES; i++)
    if (!strcmp(name, passes[i].name))
      return true;
  return false;
}

void passes_names(char *buf, size_t size) {
  size_t len = 0;
  buf[0] = 0;
  for (int i = 0; i < NPASSES && len < size; i++)
    len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
                            passes[i].name);
}

static bool switched_on(const Pass *p, const PassOptions *o) {
  return p->on == ALWAYS || *(const bool *)((const char *)o + p->on);
}

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

static void dump(const PassOptions *o, const char *name, const Graph *g) {
  if (!o->dump_after || !o->dump ||
      (strcmp(o->dump_after, name) && strcmp(o->dump_after, "all")))
    return;
  fprintf(o->dump, "# after %s\n", name);
  graph_print(o->dump, g);
  fflush(o->dump);
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
  dump(o, name, g);
}

void passes_run(Graph *g, const PassOptions *o) {
  double t0 = now_ms();
  if (!g->linked)
    graph_link(g);
  if (o->stats)
    fprintf(o->stats, "%-12s %9s %9s %9s\n", "pass", "tasks", "edges", "ms");
  stats_row(o, "input", g, now_ms() - t0);
  if (o->verify && !graph_verify(g, "input"))
    diag_fatal("internal error: the graph is invalid before the passes");
  /* Dask gives equal pure calls one key as it builds the graph, but every
   * chunk of a collection a key of its own, so its unoptimised pictures
   * show the graph after a CSE that keeps tuple keys apart: draw them here,
   * before the pipeline's CSE merges equal chunks too and cull removes
   * what only a picture needs. */
  if (o->after_cse) {
    if (o->cse) {
      PassOptions po = *o;
      po.keep_tuple_keys = true;
      pass_cse(g, &po);
    }
    o->after_cse(g, o->hook_ctx);
  }
  for (const Pass *p = passes; p < passes + NPASSES; p++) {
    if (switched_on(p, o)) {
      t0 = now_ms();
      p->run(g, o);
      after(g, o, p->name, t0);
    }
  }
}
