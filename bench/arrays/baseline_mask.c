/* baseline_mask.c - x = da.random.normal(10, 0.1, (40_000_000,),
 * chunks=2_000_000); x[x > 10.1].sum() and .mean() by hand: one task per
 * block draws its numbers and keeps those above 10.1 in a buffer of 8192
 * (nothing else stored), summing each full buffer in NumPy's pairwise order
 * as np.sum of the masked chunk does; then Dask's tree of the block totals
 * (groups of split_every = 4, np.sum of each group) and counts. */
#include "baseline.h"

enum { N = 40000000, CH = 2000000, NB = N / CH, BUF = 8192, SPLIT = 4 };
static TrRngKey key;
static double total[NB], count[NB];

/* NumPy's pairwise_sum_DOUBLE (8 accumulators, blocks of 128) */
static double pairwise(const double *a, int64_t n) {
  if (n < 8) {
    double s = 0.;
    for (int64_t i = 0; i < n; i++)
      s += a[i];
    return s;
  }
  if (n <= 128) {
    double r[8];
    int64_t i;
    for (int j = 0; j < 8; j++)
      r[j] = a[j];
    for (i = 8; i < n - (n % 8); i += 8)
      for (int j = 0; j < 8; j++)
        r[j] += a[i + j];
    double s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++)
      s += a[i];
    return s;
  }
  int64_t n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise(a, n2) + pairwise(a + n2, n - n2);
}

static void block(int64_t b) {
  double buf[BUF], t = 0;
  int64_t k = 0, kept = 0;
  for (int64_t i = b * CH; i < (b + 1) * CH; i++) {
    double v = 10 + 0.1 * tr_rng_normal_k(key, (uint64_t)i);
    if (v > 10.1) {
      buf[k++] = v;
      if (k == BUF) {
        t += pairwise(buf, k);
        kept += k;
        k = 0;
      }
    }
  }
  total[b] = t + pairwise(buf, k);
  count[b] = (double)(kept + k);
}

/* Dask's _tree_reduce over n partials, groups of SPLIT, in place */
static double tree(double *p, int n) {
  while (n > 1) {
    int m = 0;
    for (int g = 0; g < n; g += SPLIT, m++)
      p[m] = pairwise(p + g, n - g < SPLIT ? n - g : SPLIT);
    n = m;
  }
  return p[0];
}

int main(void) {
  key = tr_rng_key(1); /* the stream taskc gives the first random array */
  parallel_for(NB, block);
  double s = tree(total, NB), c = tree(count, NB);
  print_value("s", (TrValue){.tag = TR_FLOAT, .u.f = s});
  print_value("m", (TrValue){.tag = TR_FLOAT, .u.f = s / c});
  return 0;
}
