/* exec.h - the engines that run a program's graph (docs/runtime.md).
 *
 * runtime/main.c parses the command line, picks one executor, runs the
 * graph through it and writes the outputs. The thread pool (sched.c) is
 * always there; another engine is one new file defining a TrExecutor
 * (exec_mpi.c, in libtaskrt_mpi.a, linked only by `taskc --mpi`). */
#ifndef TASKRT_EXEC_H
#define TASKRT_EXEC_H

#include "scheduler.h"

typedef struct TrExecutor {
  const char *name;
  /* Before the first run (MPI_Init); NULL: nothing to do. */
  void (*start)(int *argc, char ***argv);
  /* Runs p as tr_run_opts does: the outputs' values in slots[task] of
   * the process that writes them, false with *fail on a task failure. */
  bool (*run)(const TrProgram *p, TrRunOpts *o, TrValue *slots, TrFailure *fail);
  /* Whether this process writes the outputs (and reports failures). */
  bool (*writes_outputs)(void);
  /* This process's rank, or -1 when the run is one process (--trace
   * writes one file per rank). */
  int (*rank)(void);
  /* After the outputs are written; returns the exit status (MPI_Finalize). */
  int (*finish)(int rc);
} TrExecutor;

extern const TrExecutor tr_exec_pool; /* exec_pool.c: the worker pool */

/* The executor of this executable: MPI when exec_mpi.c is linked in. */
const TrExecutor *tr_exec_pick(void);

#endif
