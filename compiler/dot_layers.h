/* dot_layers.h - the layer view of a big graph (one node per layer, as
 * Dask's HighLevelGraph pictures), which dot_render draws instead of every
 * task past a size Graphviz cannot lay out quickly. */
#ifndef TASKC_DOT_LAYERS_H
#define TASKC_DOT_LAYERS_H

#include <graphviz/cgraph.h>
#include <stdbool.h>

#include "ir.h"

/* The cgraph of the layers of the tasks with keep[id]; *nlayers says how
 * many. The caller closes it with agclose. */
Agraph_t *dot_layers_build(Graph *g, const bool *keep, const char *rankdir,
                           int *nlayers);

/* Shared with dot.c: a Graphviz attribute, and a label as dot.c cleans
 * labels (Dask tokens left out, escapes doubled, long ones cut). */
void dot_set(void *obj, const char *name, const char *value);
const char *dot_label(Arena *a, const char *s);

#endif
