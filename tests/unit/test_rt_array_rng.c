/* test_rt_array_rng.c - the counter-based generator of random arrays:
 * moments, Kolmogorov-Smirnov statistics against the exact CDFs, the tail,
 * correlation of neighbours and of streams, purity in (seed, stream, index).
 * The samples are a fixed function of seed 0, so the test cannot flake; the
 * thresholds are still ~5 standard deviations wide, so any sound generator
 * passes with any seed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taskrt.h"
#include "test_rt_check.h"

enum { N = 1000000 };

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double normal_cdf(double x) { return 0.5 * erfc(-x / sqrt(2.0)); }
static double uniform_cdf(double x) { return x < 0 ? 0 : x > 1 ? 1 : x; }

/* sup |F_n - F| of the sorted sample */
static double ks(double *v, int n, double (*cdf)(double)) {
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  double d = 0;
  for (int i = 0; i < n; i++) {
    double f = cdf(v[i]);
    double lo = f - (double)i / n, hi = (double)(i + 1) / n - f;
    d = fmax(d, fmax(lo, hi));
  }
  return d;
}

static double corr(const double *x, const double *y, int n) {
  double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
  for (int i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  for (int i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / sqrt(sxx * syy);
}

static void test_normal(void) {
  double *v = malloc(N * sizeof *v);
  double sum = 0, sq = 0;
  int over3 = 0, tail = 0;
  for (int i = 0; i < N; i++) {
    v[i] = tr_rng_normal(7, (uint64_t)i);
    sum += v[i];
    sq += v[i] * v[i];
    over3 += fabs(v[i]) > 3;
    tail += fabs(v[i]) > 3.6541528853610088;
  }
  double mean = sum / N, var = sq / N - mean * mean;
  CHECK(fabs(mean) < 0.005, "normal mean %g", mean);     /* sd 0.001 */
  CHECK(fabs(var - 1) < 0.007, "normal variance %g", var); /* sd 0.0014 */
  /* P(|x| > 3) = 0.0026998 -> 2700 +- 52; beyond the ziggurat's R: 258 +- 16 */
  CHECK(over3 > 2450 && over3 < 2950, "P(|x|>3): %d per million", over3);
  CHECK(tail > 180 && tail < 340, "tail beyond R: %d per million", tail);
  /* neighbours: indices i and i+1 (chunks are runs of indices) */
  CHECK(fabs(corr(v, v + 1, N - 1)) < 0.005, "lag-1 correlation %g", corr(v, v + 1, N - 1));
  double d = ks(v, N, normal_cdf);
  /* sqrt(n) D > 1.95 has probability 0.001 */
  CHECK(d * sqrt((double)N) < 1.95, "normal KS sqrt(n)D = %g", d * sqrt((double)N));
  free(v);
}

static void test_uniform(void) {
  double *v = malloc(N * sizeof *v), *w = malloc(N * sizeof *w);
  double sum = 0;
  for (int i = 0; i < N; i++) {
    v[i] = tr_rng_uniform(3, (uint64_t)i);
    w[i] = tr_rng_uniform(4, (uint64_t)i); /* the next array */
    CHECK(v[i] >= 0 && v[i] < 1, "uniform out of [0, 1): %g", v[i]);
    sum += v[i];
  }
  CHECK(fabs(sum / N - 0.5) < 0.0015, "uniform mean %g", sum / N); /* sd 0.00029 */
  CHECK(fabs(corr(v, v + 1, N - 1)) < 0.005, "lag-1 correlation %g", corr(v, v + 1, N - 1));
  CHECK(fabs(corr(v, w, N)) < 0.005, "streams 3 and 4 correlate: %g", corr(v, w, N));
  double d = ks(v, N, uniform_cdf);
  CHECK(d * sqrt((double)N) < 1.95, "uniform KS sqrt(n)D = %g", d * sqrt((double)N));
  free(v);
  free(w);
}

/* a value depends on (seed, stream, index) only, and the inline path agrees */
static void test_purity(void) {
  double a = tr_rng_normal(1, 12345);
  for (int i = 0; i < 1000; i++)
    tr_rng_normal(1, (uint64_t)i);
  CHECK(tr_rng_normal(1, 12345) == a, "not a pure function of the index");
  TrRngKey k = tr_rng_key(1);
  for (uint64_t i = 0; i < 100000; i++)
    if (tr_rng_normal_k(k, i) != tr_rng_normal(1, i) ||
        tr_rng_uniform_k(k, i) != tr_rng_uniform(1, i)) {
      CHECK(0, "inline and out-of-line differ at %llu", (unsigned long long)i);
      break;
    }
  double row[300], urow[300];
  tr_rng_normal_fill(1, 12300, 300, row);
  tr_rng_uniform_fill(1, 12300, 300, urow);
  CHECK(row[45] == a && urow[7] == tr_rng_uniform(1, 12307), "fill differs");
  CHECK(tr_rng_normal(2, 12345) != a, "streams 1 and 2 agree");
  tr_set_seed(1);
  double b = tr_rng_normal(1, 12345);
  tr_set_seed(0);
  CHECK(b != a, "--seed changes nothing");
  CHECK(tr_rng_normal(1, 12345) == a, "seed 0 is not reproducible");
}

/* tr_rng_*_run on every path the CPU has (scalar, AVX2, AVX-512) gives
 * tr_rng_*_k's bits at index0 + j * stride: runs shorter than a vector,
 * not a multiple of the lanes, longer than a block (512), strides 1, 7 and
 * a transposed row's, and an index0 whose hash inputs wrap around. */
static void test_paths(void) {
  enum { M = 1300 };
  static const struct { uint64_t index0, stride; int64_t n; } runs[] = {
      {0, 1, M}, {12345, 1, 3}, {999, 7, 1029}, {5, 20000, 517}, {~0ull - 100, 1, 300}};
  double *out = malloc(M * sizeof *out);
  TrRngKey k = tr_rng_key(9);
  int had = 0;
  for (int want = 0; want <= 2; want++) {
    int p = tr_rng_set_path(want);
    if (p != want) {
      printf("path %d: not on this CPU (ran %d)\n", want, p);
      continue;
    }
    had++;
    for (size_t r = 0; r < sizeof runs / sizeof *runs; r++) {
      uint64_t i0 = runs[r].index0, st = runs[r].stride;
      int64_t n = runs[r].n, bad = -1;
      tr_rng_normal_run(k.add, k.mul, i0, st, n, out);
      for (int64_t j = 0; j < n && bad < 0; j++)
        if (memcmp(&out[j], &(double){tr_rng_normal_k(k, i0 + (uint64_t)j * st)}, 8))
          bad = j;
      CHECK(bad < 0, "path %d: normal run %zu differs at %lld", p, r, (long long)bad);
      tr_rng_uniform_run(k.add, k.mul, i0, st, n, out);
      bad = -1;
      for (int64_t j = 0; j < n && bad < 0; j++)
        if (memcmp(&out[j], &(double){tr_rng_uniform_k(k, i0 + (uint64_t)j * st)}, 8))
          bad = j;
      CHECK(bad < 0, "path %d: uniform run %zu differs at %lld", p, r, (long long)bad);
    }
  }
  CHECK(had >= 1, "no path ran");
  tr_rng_set_path(2);
  free(out);
}

int main(void) {
  test_paths();
  test_purity();
  test_normal();
  test_uniform();
  if (failures)
    printf("%d failure(s)\n", failures);
  return failures != 0;
}
