/* dot.h - pictures of the graph, drawn as Dask draws them: a task is a
 * circle labelled with its function, a value a box labelled with its key.
 * Built with Graphviz cgraph and laid out/rendered in process with gvc. */
#ifndef TASKC_DOT_H
#define TASKC_DOT_H

#include <stdbool.h>

#include "ir.h"

typedef struct DotOptions {
  const char *rankdir; /* "TB" (default), "LR", "BT" or "RL" */
  bool color_order;    /* color nodes by their static priority */
  bool full;           /* every task even past the layer-view threshold */
  Task **roots;        /* draw only these and what they need; NULL = all */
  int nroots;
  Loc loc;             /* the visualize(...) call, for its errors; none for
                          --emit=dot/svg */
} DotOptions;

/* Whether format (any case) is one dot_render draws: dot svg png pdf. */
bool dot_format_supported(const char *format);
/* format: "dot", "svg", "png" or "pdf"; path "-" is stdout. The file is
 * written whole or not at all (outfile.h). Errors are diag_error at o->loc,
 * or diag_fatal without one. */
void dot_render(Graph *g, const DotOptions *o, const char *format,
                const char *path);

#endif
