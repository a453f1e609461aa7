/* baseline_linspace.c - da.linspace(1, 10, 1000000, chunks=(1000,)).sum()
 * by hand: one task per 1000 elements, partial sums added in order. */
#include "baseline.h"

enum { N = 1000000, CH = 1000 };
static double partial[N / CH];

static void block(int64_t b) {
  double step = 9.0 / (N - 1), s = 0;
  for (int64_t i = b * CH; i < (b + 1) * CH; i++)
    s += 1 + (double)i * step;
  partial[b] = s;
}

int main(void) {
  parallel_for(N / CH, block);
  double s = 0;
  for (int b = 0; b < N / CH; b++)
    s += partial[b];
  print_value("total", (TrValue){.tag = TR_FLOAT, .u.f = s});
  return 0;
}
