/* memlimit.h - the memory the executable may use, and what it has used.
 *
 * In a memory cgroup (how containers run) the kernel SIGKILLs a process
 * that goes over the limit, with no message. So at start the runtime reads
 * the limit (TASKC_MEMORY_LIMIT, else cgroup v2 memory.max, else cgroup v1
 * memory.limit_in_bytes, the smallest along the cgroup's ancestors) and
 * counts the bytes it allocates for array data; a task whose array would
 * go over the budget fails instead: "task KEY failed: out of memory (limit
 * N MB)". A malloc that fails (ulimit -v) fails the running task the same
 * way. docs/runtime.md, "Memory". */
#ifndef TASKC_MEMLIMIT_H
#define TASKC_MEMLIMIT_H

#include <stdbool.h>
#include <stdint.h>

/* Reads the limit; called once by tr_main before the run. Without it there
 * is no budget (unit tests), only failed mallocs. */
void tr_mem_init(void);
/* Counts n more bytes; fails the running task (tr_oom) if that goes over
 * the budget. */
void tr_mem_charge(int64_t n);
void tr_mem_release(int64_t n);
/* Fails the running task (or, outside a task, the process) with "out of
 * memory", naming the limit when one is known. */
_Noreturn void tr_oom(void);
/* The most bytes of array data held at once so far (--stats; the
 * compiler's --stats predicts it, compiler/memplan.c). */
int64_t tr_mem_peak(void);
/* The limit in bytes (0: none known). */
int64_t tr_mem_limit(void);

#endif
