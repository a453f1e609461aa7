/* baseline_chain.c - ((x * 2 + y) ** 2).mean(axis=1) on two 10000 x 10000
 * uniform arrays by hand, fused: one task per 1000 rows, each element drawn,
 * combined and summed into its row without storing x or y. */
#include "baseline.h"

enum { N = 10000, CH = 1000 };
static TrRngKey kx, ky;
static double *out;

static void block(int64_t b) {
  for (int64_t r = b * CH; r < (b + 1) * CH; r++) {
    uint64_t base = (uint64_t)(r * N);
    double s = 0;
    for (int64_t j = 0; j < N; j++) {
      double t = tr_rng_uniform_k(kx, base + (uint64_t)j) * 2 +
                 tr_rng_uniform_k(ky, base + (uint64_t)j);
      s += t * t;
    }
    out[r] = s / N;
  }
}

int main(void) {
  kx = tr_rng_key(1); /* the streams taskc gives x and y */
  ky = tr_rng_key(2);
  int64_t n = N;
  TrArray *z = tr_array_new(TR_F64, 1, &n);
  out = z->data;
  parallel_for(N / CH, block);
  print_value("z", (TrValue){.tag = TR_ARRAY, .u.p = z});
  return 0;
}
