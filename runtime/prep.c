/* prep.c - what a run needs before its first task: the per-task counters
 * and the sorted keys of the initially ready tasks (docs/runtime.md).
 *
 * Computing them reads the whole task table (48 bytes a task), which at
 * 1M trivial tasks cost about a third of a run. A program whose tables
 * never change - the executable's own `tr_program`, or one a test declares
 * with tr_sched_constant - gets them computed once per process instead:
 * the sorted keys are shared by every run, and the counters are handed
 * from one finished run to the next. That works because a run leaves them
 * as it found them: each task resets its own `deps` when it runs and sets
 * its own `refs` before anyone reads it, so after a successful run every
 * counter is back to its start value. A failed or abandoned run keeps its
 * counters (it may still be using them); the next run builds fresh ones. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler.h"

/* The generated executable's program; NULL when linked without one (the
 * unit tests), so only a real executable takes the cached path unasked. */
extern const TrProgram tr_program __attribute__((weak));

struct TrPrep {
  TrPrep *next;
  const TrProgram *p;
  uint32_t *ready;      /* ids of the initially ready tasks, ascending */
  uint32_t nready, maxin;
  uint64_t *init[2];    /* sorted keys: [0] by priority, [1] by id; lazily */
  TrCtr *ctr;           /* counters between runs; NULL while a run has them */
};

static pthread_mutex_t prep_mu = PTHREAD_MUTEX_INITIALIZER;
static TrPrep *preps;

static void *xalloc(size_t n, size_t size) {
  void *p = malloc((n ? n : 1) * size);
  if (!p) {
    fputs("error: out of memory\n", stderr);
    exit(1);
  }
  return p;
}

/* Fresh counters: deps = ndeps, nrefs = input references to the task over
 * all consumers, +1 for an output so that its count never reaches 0. */
static TrCtr *ctr_new(const TrProgram *p) {
  TrCtr *c = xalloc(p->ntasks, sizeof *c);
  for (uint32_t t = 0; t < p->ntasks; t++)
    c[t] = (TrCtr){.deps = p->tasks[t].ndeps, .nrefs = p->tasks[t].nout > 0};
  for (uint32_t t = 0; t < p->ntasks; t++) {
    const uint32_t *ii = p->in_idx + p->tasks[t].in_off;
    for (uint32_t j = 0; j < p->tasks[t].nin; j++)
      c[ii[j]].nrefs++;
  }
  return c;
}

/* The tasks with no producers, ascending; returns the largest nin. */
static uint32_t find_ready(const TrProgram *p, uint32_t **ready, uint32_t *n) {
  uint32_t maxin = 1, k = 0, cap = 64;
  uint32_t *r = xalloc(cap, sizeof *r);
  for (uint32_t t = 0; t < p->ntasks; t++) {
    const TrTask *tk = &p->tasks[t];
    maxin = tk->nin > maxin ? tk->nin : maxin;
    if (tk->ndeps != 0)
      continue;
    if (k == cap) {
      cap *= 2;
      r = realloc(r, cap * sizeof *r);
      if (!r) {
        fputs("error: out of memory\n", stderr);
        exit(1);
      }
    }
    r[k++] = t;
  }
  *ready = r;
  *n = k;
  return maxin;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

/* Keys of the ready tasks, sorted: by id alone with fifo (already in
 * order); else by counting when the priorities are dense (the order pass
 * numbers tasks 0..n-1), which keeps ties in id order; qsort otherwise. */
static uint64_t *sort_ready(const TrProgram *p, const uint32_t *ready, uint32_t n, bool fifo) {
  uint64_t *key = xalloc(n, sizeof *key);
  if (fifo || n == 0) {
    for (uint32_t i = 0; i < n; i++)
      key[i] = heap_key(0, ready[i]);
    return key;
  }
  int32_t lo = INT32_MAX, hi = INT32_MIN;
  for (uint32_t i = 0; i < n; i++) {
    int32_t pr = p->tasks[ready[i]].priority;
    lo = pr < lo ? pr : lo;
    hi = pr > hi ? pr : hi;
  }
  uint64_t range = (uint64_t)((int64_t)hi - lo) + 1;
  if (range > 4 * (uint64_t)n + 1024) {
    for (uint32_t i = 0; i < n; i++)
      key[i] = heap_key(p->tasks[ready[i]].priority, ready[i]);
    qsort(key, n, sizeof *key, cmp_u64);
    return key;
  }
  uint32_t *at = calloc(range + 1, sizeof *at);
  if (!at) {
    fputs("error: out of memory\n", stderr);
    exit(1);
  }
  for (uint32_t i = 0; i < n; i++)
    at[p->tasks[ready[i]].priority - (int64_t)lo + 1]++;
  for (uint64_t i = 1; i <= range; i++)
    at[i] += at[i - 1];
  for (uint32_t i = 0; i < n; i++) {
    int32_t pr = p->tasks[ready[i]].priority;
    key[at[pr - (int64_t)lo]++] = heap_key(pr, ready[i]);
  }
  free(at);
  return key;
}

/* The cache entry of p, made on first use for the executable's program;
 * under prep_mu. */
static TrPrep *prep_of(const TrProgram *p, bool create) {
  for (TrPrep *e = preps; e; e = e->next)
    if (e->p == p)
      return e;
  if (!create)
    return NULL;
  TrPrep *e = xalloc(1, sizeof *e);
  *e = (TrPrep){.next = preps, .p = p};
  e->maxin = find_ready(p, &e->ready, &e->nready);
  preps = e;
  return e;
}

void tr_sched_constant(const TrProgram *p) {
  pthread_mutex_lock(&prep_mu);
  prep_of(p, true);
  pthread_mutex_unlock(&prep_mu);
}

void tr_sched_forget(const TrProgram *p) {
  pthread_mutex_lock(&prep_mu);
  for (TrPrep **ep = &preps; *ep; ep = &(*ep)->next) {
    TrPrep *e = *ep;
    if (e->p != p)
      continue;
    *ep = e->next;
    free(e->ready);
    free(e->init[0]);
    free(e->init[1]);
    free(e->ctr);
    free(e);
    break;
  }
  pthread_mutex_unlock(&prep_mu);
}

void tr_setup_get(const TrProgram *p, bool fifo, TrSetup *s) {
  memset(s, 0, sizeof *s);
  pthread_mutex_lock(&prep_mu);
  TrPrep *e = prep_of(p, p == &tr_program);
  if (e) {
    if (!e->init[fifo])
      e->init[fifo] = sort_ready(p, e->ready, e->nready, fifo);
    s->prep = e;
    s->init = e->init[fifo];
    s->ninit = e->nready;
    s->maxin = e->maxin;
    s->ctr = e->ctr; /* taken; NULL if another run has it */
    e->ctr = NULL;
  }
  pthread_mutex_unlock(&prep_mu);
  if (!e) {
    uint32_t *ready;
    s->maxin = find_ready(p, &ready, &s->ninit);
    s->init = s->own_init = sort_ready(p, ready, s->ninit, fifo);
    free(ready);
  }
  if (!s->ctr)
    s->ctr = ctr_new(p);
}

void tr_setup_put(TrSetup *s, bool reusable) {
  if (s->prep && reusable) {
    pthread_mutex_lock(&prep_mu);
    if (!s->prep->ctr) {
      s->prep->ctr = s->ctr;
      s->ctr = NULL;
    }
    pthread_mutex_unlock(&prep_mu);
  }
  free(s->ctr);
  free(s->own_init);
  s->ctr = NULL;
  s->own_init = NULL;
}
