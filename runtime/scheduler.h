/* scheduler.h - running a TrProgram once (internal API; tests use it directly).
 *
 * tr_run computes every task of the program with `nthreads` workers and
 * leaves the outputs' values in slots[task] (owned: free them with
 * tr_run_free_outputs). All other values are freed as the run goes.
 *
 * On a task failure it returns false with *fail filled in. The workers that
 * were still inside a task at that moment are abandoned (they stop after
 * their current task; the process is expected to exit soon), so the slots
 * and the run's state are deliberately leaked in that case. */
#ifndef TASKRT_SCHEDULER_H
#define TASKRT_SCHEDULER_H

#include "rt.h"

typedef struct TrFailure {
  uint32_t task;
  const char *subkey; /* the inner task of a fused task that failed, or NULL */
  char msg[TR_MSG_MAX];
} TrFailure;

bool tr_run(const TrProgram *p, int nthreads, TrValue *slots, TrFailure *fail);

/* One executed task, for --trace: CLOCK_MONOTONIC ns; end == 0 if the
 * task did not run. Indexed by task id (each task runs at most once). */
typedef struct TrTraceEv {
  uint64_t start, end;
  uint32_t worker;
  uint32_t pad;
} TrTraceEv;

/* Tasks made ready from outside the pool (exec_mpi.c: values that arrived
 * in messages). A gated task has ndeps == 1 but no producer, so only
 * tr_gate_release makes it ready; idle workers take released tasks. The
 * releasing thread writes the task's slot before releasing it. */
typedef struct TrGate TrGate;
TrGate *tr_gate_new(void);
void tr_gate_release(TrGate *g, uint32_t task);
void tr_gate_free(TrGate *g);
/* poll(ctx) may release tasks (an MPI run's receiving end): idle workers
 * of a run with this gate call it while they spin, before they sleep, so
 * a value that arrives then is taken without waking anyone. */
void tr_gate_set_poll(TrGate *g, void (*poll)(void *), void *ctx);

/* What a run does besides computing (all off = tr_run). */
typedef struct TrRunOpts {
  int nthreads;
  TrTraceEv *trace;   /* ntasks entries, zeroed, or NULL: no tracing */
  bool stats;         /* count live values: peak_live */
  bool progress;      /* draw a progress bar on stderr (progress.c) */
  bool fifo;          /* ignore priorities: ready tasks in id order */
  TrGate *gate;       /* tasks released from outside, or NULL */
  int64_t peak_live;  /* out, with stats: most task values alive at once */
} TrRunOpts;
bool tr_run_opts(const TrProgram *p, TrRunOpts *o, TrValue *slots, TrFailure *fail);

/* trace.c: Chrome trace-event JSON of a finished run; false on I/O error. */
bool tr_trace_write(const TrProgram *p, const TrTraceEv *ev, const char *path);

/* progress.c: a thread drawing done(ctx) tasks out of total on stderr
 * until tr_progress_stop (done is called from that thread). */
typedef struct TrProgress TrProgress;
TrProgress *tr_progress_start(uint32_t (*done)(void *ctx), void *ctx, uint32_t total);
void tr_progress_stop(TrProgress *pg, bool finished);
void tr_run_free_outputs(const TrProgram *p, TrValue *slots);

/* prep.c: the per-task counters of a run. deps: producers not finished
 * (ready at 0); refs: input references not yet consumed (the value is
 * freed at 0), set to nrefs when the task runs; nrefs: references over all
 * consumers, +1 for an output (so an output's refs never reaches 0). */
typedef struct TrCtr {
  uint32_t deps, refs, nrefs;
} TrCtr;
typedef struct TrPrep TrPrep;
/* What a run needs before its first task. */
typedef struct TrSetup {
  TrCtr *ctr;            /* deps = ndeps, nrefs filled; owned by the run */
  const uint64_t *init;  /* keys of the initially ready tasks, sorted */
  uint32_t ninit, maxin; /* maxin: largest nin (at least 1) */
  TrPrep *prep;          /* the per-process cache entry, or NULL */
  uint64_t *own_init;    /* init when not cached */
} TrSetup;
/* Computed once per process for the executable's own tr_program and for
 * programs declared constant; else per run. */
void tr_setup_get(const TrProgram *p, bool fifo, TrSetup *s);
/* After a run. reusable: it finished and every task ran, so the counters
 * are in their start state again (each task resets its own deps). */
void tr_setup_put(TrSetup *s, bool reusable);
/* p's tables will not change (until tr_sched_forget): runs of p may reuse
 * what earlier runs computed. For tests; the executable's tr_program is
 * treated so without asking. Not while a run of p is going on. */
void tr_sched_constant(const TrProgram *p);
void tr_sched_forget(const TrProgram *p);

/* heap.c: a binary min-heap of (priority, task) packed in a uint64 key, so
 * ties break by task id and comparisons are one integer compare. */
typedef struct Heap {
  uint64_t *a;
  uint32_t n, cap;
} Heap;
static inline uint64_t heap_key(int32_t prio, uint32_t task) {
  return ((uint64_t)((uint32_t)prio ^ 0x80000000u) << 32) | task;
}
void heap_push(Heap *h, uint64_t key);   /* grows by doubling */
uint64_t heap_pop(Heap *h);               /* h->n > 0 */
void heap_free(Heap *h);
static inline uint64_t heap_top(const Heap *h) { return h->a[0]; } /* n > 0 */

#endif
