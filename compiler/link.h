/* link.h - turns the object file into an executable with the system C
 * compiler, libtaskrt.a and the @extern sources of the program. */
#ifndef TASKC_LINK_H
#define TASKC_LINK_H

#include <stdbool.h>

#include "ir.h"

typedef struct LinkOptions {
  const char *obj;     /* the program's object file */
  const char *src_dir; /* the .tg file's directory: @extern paths are
                          relative to it (NULL: ".") */
  const char *out;     /* the executable to write */
  bool verbose;        /* print the command run (taskc -v) */
  bool mpi;            /* link libtaskrt_mpi.a and MPI (taskc --mpi) */
} LinkOptions;

/* Directory holding libtaskrt.a and taskrt.h: next to the taskc binary (build
 * tree) or ../lib/taskc (installed). diag_fatal if not found. */
const char *link_runtime_dir(void);
/* Links o->obj with the runtime and every @extern source/object/library
 * named by the graph's functions into o->out. */
void link_executable(const Graph *g, const LinkOptions *o);

#endif
