/* link.h - turns the object file into an executable with the system C
 * compiler, libtaskrt.a and the @extern sources of the program. */
#ifndef TASKC_LINK_H
#define TASKC_LINK_H

#include <stdbool.h>

#include "ir.h"

/* Print the commands run (taskc -v). */
extern bool link_verbose;

/* Directory holding libtaskrt.a and taskrt.h: next to the taskc binary (build
 * tree) or ../lib/taskc (installed). diag_fatal if not found. */
const char *link_runtime_dir(void);
/* Links obj with the runtime and every @extern source/object/library named
 * by the graph's functions (paths relative to the .tg file's directory). */
void link_executable(const Graph *g, const char *obj, const char *src_dir,
                     const char *out);

#endif
