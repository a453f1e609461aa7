/* bench.c - --bench [--repeat N]: run the graph N times, print no results
 * but a timing summary. Outputs are freed between runs. */
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "scheduler.h"

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int tr_bench(const TrProgram *p, int nthreads, int repeat) {
  double *ms = calloc((size_t)repeat, sizeof *ms);
  TrValue *slots = calloc(p->ntasks ? p->ntasks : 1, sizeof *slots);
  if (!ms || !slots) {
    fputs("error: out of memory\n", stderr);
    return 1;
  }
  for (int i = 0; i < repeat; i++) {
    TrFailure fail;
    double t0 = now_ms();
    bool ok = tr_run(p, nthreads, slots, &fail);
    ms[i] = now_ms() - t0;
    if (!ok) {
      fflush(stdout);
      tr_report_failure(stderr,
                        fail.subkey ? fail.subkey : p->tasks[fail.task].key,
                        fail.msg);
      return 1;
    }
    tr_run_free_outputs(p, slots);
  }
  qsort(ms, (size_t)repeat, sizeof *ms, cmp_double);
  double median = repeat % 2 ? ms[repeat / 2] : (ms[repeat / 2 - 1] + ms[repeat / 2]) / 2;
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  printf("tasks: %u\n", p->ntasks);
  printf("threads: %d\n", nthreads);
  printf("repeat: %d\n", repeat);
  printf("wall time (ms): median %.3f, min %.3f, max %.3f\n", median, ms[0], ms[repeat - 1]);
  printf("per-task overhead (ns): %.1f\n", p->ntasks ? median * 1e6 / p->ntasks : 0.0);
  printf("peak RSS (MB): %.1f\n", (double)ru.ru_maxrss / 1024.0);
  fflush(stdout);
  free(ms);
  free(slots);
  return 0;
}
