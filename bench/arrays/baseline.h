/* baseline.h - what the hand-written C baselines share: a parallel for over
 * blocks with pthreads (an atomic counter hands out block indices), and the
 * runtime's printing, so outputs look like the taskc executable's. Random
 * numbers are the runtime's generator, inlined (taskrt.h). */
#ifndef BASELINE_H
#define BASELINE_H

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "taskrt.h"

typedef void (*BlockFn)(int64_t block);

static BlockFn pf_fn;
static int64_t pf_n, pf_next;

static void *pf_worker(void *arg) {
  (void)arg;
  for (;;) {
    int64_t b = __atomic_fetch_add(&pf_next, 1, __ATOMIC_RELAXED);
    if (b >= pf_n)
      return NULL;
    pf_fn(b);
  }
}

/* fn(0) .. fn(n-1) on all online CPUs (or $THREADS) */
static void parallel_for(int64_t n, BlockFn fn) {
  const char *env = getenv("THREADS");
  long nt = env ? atol(env) : sysconf(_SC_NPROCESSORS_ONLN);
  if (nt < 1)
    nt = 1;
  pthread_t th[256];
  pf_fn = fn;
  pf_n = n;
  pf_next = 0;
  for (long t = 0; t < nt && t < 256; t++)
    pthread_create(&th[t], NULL, pf_worker, NULL);
  for (long t = 0; t < nt && t < 256; t++)
    pthread_join(th[t], NULL);
}

static void print_value(const char *name, TrValue v) {
  char *s = tr_repr(&v);
  printf("%s = %s\n", name, s);
  free(s);
  tr_decref(&v);
}

#endif
