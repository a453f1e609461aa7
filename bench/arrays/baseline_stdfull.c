/* baseline_stdfull.c - da.random.normal(10, 0.1, size=(20000, 20000),
 * chunks=(1000, 1000)).std() by hand with the scalar ziggurat: one task
 * per block draws each number once and sums the shifted values d = v - K
 * (K the block's first value) and d * d; the blocks' (n, total, M2) are
 * then merged as Dask's moment_combine does. */
#include <math.h>

#include "baseline.h"

enum { N = 20000, CH = 1000, NB = (N / CH) * (N / CH) };
static TrRngKey key;
static double part[NB][2]; /* total, M2 */

static void block(int64_t b) {
  int64_t rb = b / (N / CH), cb = b % (N / CH);
  uint64_t base = (uint64_t)(rb * CH * N + cb * CH);
  double k = 10 + 0.1 * tr_rng_normal_k(key, base), s1 = 0, s2 = 0;
  for (int64_t r = 0; r < CH; r++, base += N) {
    double r1 = 0, r2 = 0;
    for (int64_t j = 0; j < CH; j++) {
      double d = (10 + 0.1 * tr_rng_normal_k(key, base + (uint64_t)j)) - k;
      r1 += d;
      r2 += d * d;
    }
    s1 += r1;
    s2 += r2;
  }
  double n = (double)CH * CH;
  part[b][0] = n * k + s1;
  part[b][1] = s2 - s1 * s1 / n;
}

int main(void) {
  key = tr_rng_key(1);
  parallel_for(NB, block);
  double n = (double)CH * CH, total = 0, m2 = 0;
  for (int b = 0; b < NB; b++)
    total += part[b][0];
  double mu = total / ((double)N * N);
  for (int b = 0; b < NB; b++) {
    double d = part[b][0] / n - mu;
    m2 += part[b][1] + n * d * d;
  }
  print_value("s", (TrValue){.tag = TR_FLOAT, .u.f = sqrt(m2 / ((double)N * N))});
  return 0;
}
