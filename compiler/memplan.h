/* memplan.h - predicted memory of a run, from the static order
 * (memplan.c): the peak bytes of array data alive at once when one worker
 * runs the tasks in priority order, as the executable's --stats measures. */
#ifndef TASKC_MEMPLAN_H
#define TASKC_MEMPLAN_H

#include <stdint.h>

#include "ir.h"

typedef struct MemPlan {
  int64_t peak;    /* bytes of array data alive at once, at most */
  int64_t outputs; /* of which the outputs hold at the end */
  int unknown;     /* array tasks whose size is not known at compile time */
} MemPlan;

/* The bytes of a task's array result from its op's shape and dtype
 * arguments; -1 if not known, INT64_MAX if it does not fit in 64 bits. */
int64_t memplan_task_bytes(const Task *t);
/* Replays the one-thread order; needs the order pass's priorities. */
void memplan_run(const Graph *g, MemPlan *mp);

#endif
