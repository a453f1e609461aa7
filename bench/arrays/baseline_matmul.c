/* baseline_matmul.c - (x @ y).sum() for two 4000 x 4000 uniform arrays by
 * hand: x and y drawn in parallel, then one task per 1000-row slab of x
 * multiplies it by y with the runtime's chunk product (OpenBLAS DGEMM) and
 * sums the slab. Its products span whole slabs where taskc sums 1000 x 1000
 * block products, so the last digits of the total differ. */
#include "baseline.h"

enum { N = 4000, CH = 1000 };
static TrArray *x, *y;
static double partial[N / CH];

static void draw(int64_t b) { /* rows b*CH.. of x (b < 4) or of y */
  TrArray *a = b < N / CH ? x : y;
  TrRngKey k = tr_rng_key(b < N / CH ? 1 : 2); /* taskc's streams */
  int64_t r0 = (b % (N / CH)) * CH;
  for (int64_t i = r0 * N; i < (r0 + CH) * N; i++)
    ((double *)a->data)[i] = tr_rng_uniform_k(k, (uint64_t)i);
}

static void slab(int64_t b) {
  TrArray xs = *x; /* a view of rows b*CH .. (b+1)*CH */
  xs.shape[0] = CH;
  xs.size = (int64_t)CH * N;
  xs.data = (double *)x->data + b * CH * N;
  TrArray *c = tr_array_matmul(&xs, y);
  double s = 0;
  for (int64_t i = 0; i < c->size; i++)
    s += ((double *)c->data)[i];
  partial[b] = s;
  TrValue v = {.tag = TR_ARRAY, .u.p = c};
  tr_decref(&v);
}

int main(void) {
  int64_t shape[2] = {N, N};
  x = tr_array_new(TR_F64, 2, shape);
  y = tr_array_new(TR_F64, 2, shape);
  parallel_for(2 * N / CH, draw);
  parallel_for(N / CH, slab);
  double s = 0;
  for (int b = 0; b < N / CH; b++)
    s += partial[b];
  print_value("total", (TrValue){.tag = TR_FLOAT, .u.f = s});
  return 0;
}
