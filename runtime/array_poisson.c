/* array_poisson.c - Poisson variates for da.random.poisson.
 *
 * Like the other derived distributions (exponential, randint) a Poisson
 * number is a function of one counter-based uniform u in [0, 1), so it does
 * not depend on the chunking: the smallest k with P(X <= k) > u, found by
 * summing the probabilities upwards. For small lam from k = 0; for large lam
 * from 10 standard deviations below the mean (the mass below is under
 * 1e-19, below u's resolution), the first term from lgamma, so the walk is
 * O(sqrt(lam)). Not NumPy's algorithm (PTRS for lam >= 10): the values are
 * not Dask's, as for every distribution here (docs/arrays.md), but the
 * distribution is (tests/lit/arrays/random-poisson.tg). */
#include <math.h>

#include "array.h"

int64_t tr_rng_poisson_inv(double u, double lam) {
  if (!(lam > 0))
    return 0;
  double k = 0, p, f;
  if (lam < 500) {
    p = exp(-lam);
  } else {
    int sign;
    k = floor(lam - 10 * sqrt(lam));
    p = exp(-lam + k * log(lam) - lgamma_r(k + 1, &sign));
  }
  f = p;
  while (f <= u) {
    k += 1;
    p *= lam / k;
    f += p;
    if (p == 0 && k > lam) /* the tail is spent: rounding left f < 1 */
      break;
  }
  return (int64_t)k;
}
