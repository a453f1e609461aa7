/* omp_graph.c FILE.graph THREADS REPEAT - the graph as OpenMP tasks with
 * depend clauses, created by one thread in id order (deps come first).
 * Prints "ns_per_task value" (median over REPEAT runs; a run = the
 * parallel region, task creation included, as OpenMP works). */
#include <omp.h>
#include <time.h>

#include "graph_file.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}
static void run(const Graph *g, int64_t *v, int threads) {
#pragma omp parallel num_threads(threads)
#pragma omp single
  for (uint32_t i = 0; i < g->n; i++) {
    const uint32_t *d = g->dep + g->off[i];
    switch (g->off[i + 1] - g->off[i]) {
    case 0:
#pragma omp task firstprivate(i) depend(out : v[i])
      v[i] = graph_task(g, v, i);
      break;
    case 1:
#pragma omp task firstprivate(i) depend(in : v[d[0]]) depend(out : v[i])
      v[i] = graph_task(g, v, i);
      break;
    case 2:
#pragma omp task firstprivate(i) depend(in : v[d[0]], v[d[1]]) depend(out : v[i])
      v[i] = graph_task(g, v, i);
      break;
    default: /* 4 (gen.py writes 0, 1, 2 or 4 deps) */
#pragma omp task firstprivate(i) depend(in : v[d[0]], v[d[1]], v[d[2]], v[d[3]]) depend(out : v[i])
      v[i] = graph_task(g, v, i);
      break;
    }
  }
}

int main(int argc, char **argv) {
  if (argc != 4)
    return 2;
  Graph g = graph_read(argv[1]);
  int threads = atoi(argv[2]), repeat = atoi(argv[3]);
  int64_t *v = (int64_t *)g_alloc(g.n * sizeof *v);
  double *t = (double *)g_alloc((size_t)repeat * sizeof *t);
  for (int r = 0; r < repeat; r++) {
    double t0 = now();
    run(&g, v, threads);
    t[r] = now() - t0;
  }
  qsort(t, (size_t)repeat, sizeof *t, cmp_double);
  printf("%.1f %lld\n", t[repeat / 2] * 1e9 / g.n, (long long)v[g.n - 1]);
  return 0;
}
