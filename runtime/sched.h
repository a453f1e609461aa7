/* sched.h - running a TrProgram once (internal API; tests use it directly).
 *
 * tr_run computes every task of the program with `nthreads` workers and
 * leaves the outputs' values in slots[task] (owned: free them with
 * tr_run_free_outputs). All other values are freed as the run goes.
 *
 * On a task failure it returns false with *fail filled in. The workers that
 * were still inside a task at that moment are abandoned (they stop after
 * their current task; the process is expected to exit soon), so the slots
 * and the run's state are deliberately leaked in that case. */
#ifndef TASKRT_SCHED_H
#define TASKRT_SCHED_H

#include "rt.h"

typedef struct TrFailure {
  uint32_t task;
  char msg[TR_MSG_MAX];
} TrFailure;

bool tr_run(const TrProgram *p, int nthreads, TrValue *slots, TrFailure *fail);
void tr_run_free_outputs(const TrProgram *p, TrValue *slots);

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

#endif
