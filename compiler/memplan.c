/* memplan.c - the memory a run will need, known before it runs.
 *
 * Dask users fight workers that run out of memory; a compiled graph can
 * say beforehand. The order pass fixes a static priority for every task,
 * and one worker runs the ready task of lowest priority next (the
 * runtime's rule, runtime/sched.c), so the lifetime of every value of a
 * one-thread run is known at compile time: a value lives from the end of
 * its task until the last of its consumers has run (outputs until the
 * end). Replaying that order with each array chunk's size (the shape and
 * dtype its op carries, the R_ARRAY rule of ir/ops.h) gives the peak bytes
 * of array data alive at once, which the executable's --stats measures
 * (runtime/memlimit.c counts the same bytes). More threads hold more
 * values at once; the plan is for one. */
#include "memplan.h"

#include <stdlib.h>
#include <string.h>

#include "ops.h"

/* As the runtime allocates a chunk (runtime/array.c): int64/float64 take
 * 8 bytes, bool 1, in 64-byte aligned blocks of at least one block. */
enum { BLOCK = 64 };

int64_t memplan_task_bytes(const Task *t) {
  if (t->kind == TASK_FUSED && t->ninner > 0)
    t = t->inner[t->ninner - 1];
  if (t->kind != TASK_CALL || !t->op || t->op->rule != R_ARRAY ||
      t->nargs < 2 || t->args[0]->kind != VAL_TUPLE ||
      t->args[1]->kind != VAL_STR)
    return -1;
  int64_t n = strcmp(t->args[1]->str.s, "bool") ? 8 : 1;
  for (int i = 0; i < t->args[0]->seq.n; i++) {
    const Val *d = t->args[0]->seq.items[i];
    if (d->kind != VAL_INT || d->i < 0)
      return -1;
    if (__builtin_mul_overflow(n, d->i, &n))
      return INT64_MAX;
  }
  if (n > INT64_MAX - (BLOCK - 1))
    return INT64_MAX;
  n = (n + BLOCK - 1) / BLOCK * BLOCK;
  return n ? n : BLOCK;
}

/* A binary min-heap of task ids keyed by priority (unique after the order
 * pass; the id breaks ties before it ran). */
typedef struct Ready {
  int *a;
  int n;
  const Graph *g;
} Ready;

static bool before(const Ready *q, int x, int y) {
  int px = q->g->tasks[x]->priority, py = q->g->tasks[y]->priority;
  return px != py ? px < py : x < y;
}

static void push(Ready *q, int t) {
  int i = q->n++;
  for (; i > 0 && before(q, t, q->a[(i - 1) / 2]); i = (i - 1) / 2)
    q->a[i] = q->a[(i - 1) / 2];
  q->a[i] = t;
}

static int pop(Ready *q) {
  int top = q->a[0], last = q->a[--q->n], i = 0;
  for (;;) {
    int c = 2 * i + 1;
    if (c >= q->n)
      break;
    if (c + 1 < q->n && before(q, q->a[c + 1], q->a[c]))
      c++;
    if (!before(q, q->a[c], last))
      break;
    q->a[i] = q->a[c];
    i = c;
  }
  q->a[i] = last;
  return top;
}

static int64_t saturating_add(int64_t a, int64_t b) {
  int64_t s;
  return __builtin_add_overflow(a, b, &s) ? INT64_MAX : s;
}

void memplan_run(const Graph *g, MemPlan *mp) {
  *mp = (MemPlan){0};
  int n = g->ntasks;
  int64_t *bytes = calloc((size_t)n + 1, sizeof *bytes);
  int *waiting = calloc((size_t)n + 1, sizeof *waiting); /* deps not run */
  int *readers = calloc((size_t)n + 1, sizeof *readers); /* users not run */
  Ready q = {.a = calloc((size_t)n + 1, sizeof(int)), .g = g};
  for (int i = 0; i < n; i++) {
    const Task *t = g->tasks[i];
    int64_t b = memplan_task_bytes(t);
    if (b < 0 && t->type && t->type->kind == TY_ARRAY)
      mp->unknown++;
    bytes[i] = b > 0 ? b : 0;
    waiting[i] = t->ndeps;
    readers[i] = t->nusers;
    if (t->ndeps == 0)
      push(&q, i);
  }
  int64_t live = 0;
  while (q.n > 0) {
    const Task *t = g->tasks[pop(&q)];
    /* The result exists while the inputs are still held. */
    live = saturating_add(live, bytes[t->id]);
    if (live > mp->peak)
      mp->peak = live;
    for (int d = 0; d < t->ndeps; d++) {
      const Task *in = t->deps[d];
      if (--readers[in->id] == 0 && in->nout == 0)
        live -= bytes[in->id];
    }
    if (t->nusers == 0 && t->nout == 0)
      live -= bytes[t->id];
    for (int u = 0; u < t->nusers; u++)
      if (--waiting[t->users[u]->id] == 0)
        push(&q, t->users[u]->id);
  }
  for (int i = 0; i < n; i++)
    if (g->tasks[i]->nout > 0)
      mp->outputs = saturating_add(mp->outputs, bytes[i]);
  free(bytes);
  free(waiting);
  free(readers);
  free(q.a);
}
