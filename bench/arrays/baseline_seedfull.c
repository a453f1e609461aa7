/* baseline_seedfull.c - da.random.normal(10, 0.1, size=(20000, 20000),
 * chunks=(1000, 1000)).mean(axis=0) by hand with the scalar ziggurat
 * (tr_rng_normal_k, inline): one task per 1000 x 1000 block sums its
 * columns as it draws them (nothing stored), then the partial sums of each
 * column are added in block order, as taskc does. */
#include "baseline.h"

enum { N = 20000, CH = 1000 };
static TrRngKey key;
static double *partial; /* [N / CH][N] */

static void block(int64_t b) {
  int64_t rb = b / (N / CH), cb = b % (N / CH);
  double *acc = partial + rb * N + cb * CH;
  for (int j = 0; j < CH; j++)
    acc[j] = 0;
  for (int64_t r = rb * CH; r < (rb + 1) * CH; r++) {
    uint64_t base = (uint64_t)(r * N + cb * CH);
    for (int64_t j = 0; j < CH; j++)
      acc[j] += 10 + 0.1 * tr_rng_normal_k(key, base + (uint64_t)j);
  }
}

int main(void) {
  key = tr_rng_key(1); /* the stream taskc gives the first random array */
  partial = malloc((size_t)(N / CH) * N * sizeof *partial);
  parallel_for((N / CH) * (N / CH), block);
  int64_t n = N;
  TrArray *y = tr_array_new(TR_F64, 1, &n);
  for (int64_t j = 0; j < n; j++) {
    double s = 0;
    for (int b = 0; b < N / CH; b++)
      s += partial[b * N + j];
    ((double *)y->data)[j] = s / N;
  }
  print_value("y", (TrValue){.tag = TR_ARRAY, .u.p = y});
  free(partial);
  return 0;
}
