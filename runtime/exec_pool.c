/* exec_pool.c - the thread pool (sched.c) as an executor, and the choice
 * of executor. */
#include "exec.h"

static bool pool_writes(void) { return true; }
static int pool_finish(int rc) { return rc; }
static int pool_rank(void) { return -1; }

const TrExecutor tr_exec_pool = {
    .name = "threads",
    .run = tr_run_opts,
    .writes_outputs = pool_writes,
    .rank = pool_rank,
    .finish = pool_finish,
};

/* Defined by exec_mpi.c; `taskc --mpi` links it in with -u tr_exec_mpi,
 * so executables without --mpi do not even reference libmpi. */
extern const TrExecutor tr_exec_mpi __attribute__((weak));

const TrExecutor *tr_exec_pick(void) {
  return &tr_exec_mpi ? &tr_exec_mpi : &tr_exec_pool;
}
