/* baseline_seed.c - da.random.normal(10, 0.1, size=(20000, 20000),
 * chunks=(1000, 1000)).mean(axis=0)[::100] by hand: one task per block of
 * 1000 rows sums its columns as it draws them (nothing stored), then the
 * partial sums are added. With --kept-only it draws only the 200 columns
 * that [::100] keeps, which is what pushing the slice down achieves. */
#include <string.h>

#include "baseline.h"

enum { N = 20000, CH = 1000, STEP = 100 };
static TrRngKey key;
static double *partial; /* [N / CH][N] */
static int step = 1;

static void block(int64_t b) {
  double *acc = partial + b * N;
  memset(acc, 0, N * sizeof *acc);
  for (int64_t r = b * CH; r < (b + 1) * CH; r++) {
    uint64_t base = (uint64_t)(r * N);
    for (int64_t j = 0; j < N; j += step)
      acc[j] += 10 + 0.1 * tr_rng_normal_k(key, base + (uint64_t)j);
  }
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--kept-only") == 0)
    step = STEP;
  key = tr_rng_key(1); /* the stream taskc gives the first random array */
  partial = malloc((size_t)(N / CH) * N * sizeof *partial);
  parallel_for(N / CH, block);
  int64_t n = N / STEP;
  TrArray *y = tr_array_new(TR_F64, 1, &n);
  for (int64_t j = 0; j < n; j++) {
    double s = 0;
    for (int b = 0; b < N / CH; b++)
      s += partial[b * N + j * STEP];
    ((double *)y->data)[j] = s / N;
  }
  print_value("y", (TrValue){.tag = TR_ARRAY, .u.p = y});
  free(partial);
  return 0;
}
