/* dot_gvc.h - the gvc half of dot.c. Graphviz's gvc.h declares names that
 * clash with ir/ops.h (R_NONE), so layout and rendering live in their own
 * file that never sees the IR. */
#ifndef TASKC_DOT_GVC_H
#define TASKC_DOT_GVC_H

#include <stdbool.h>
#include <stdio.h>

#include <graphviz/cgraph.h>

/* Lay out ag with the dot engine and render it as format ("svg", "png",
 * "pdf") to out. False if Graphviz failed; a failed write is left in
 * ferror(out) for the caller. */
bool dot_gvc_render(Agraph_t *ag, const char *format, FILE *out);

#endif
