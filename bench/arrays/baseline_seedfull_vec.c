/* baseline_seedfull_vec.c - the full draw of baseline_seedfull.c with the
 * generator and ziggurat on vector lanes, fused with the column sums: per
 * row of a block, 8 (AVX-512) or 4 (AVX2) columns at a time are hashed,
 * looked up, tested with a mask (the rare slow lanes are listed and done by
 * the scalar tr_rng_normal_slow after the row) into a row buffer in L1,
 * then added to the block's partial sums (also in L1). CH (1000) is a
 * multiple of 8. The same numbers as the scalar baseline (runtime/rng_vec.h).
 * The path is chosen at run time from the CPU. */
#include "baseline.h"
#include "rng_vec.h"

enum { N = 20000, CH = 1000 };
static TrRngKey key;
static double *partial; /* [N / CH][N] */

/* a row of the block: its CH normals into buf (L1), then added to acc */
__attribute__((target("avx512f,avx512dq,avx512vl"))) static void rows512(double *acc, uint64_t base) {
  __m512d loc = _mm512_set1_pd(10), scale = _mm512_set1_pd(0.1);
  double buf[CH];
  for (int64_t r = 0; r < CH; r++, base += N) {
    for (int j = 0; j < CH; j += TR_RNG_BLOCK)
      tr_v8_normal_block(key, base + (uint64_t)j, 1, CH - j < TR_RNG_BLOCK ? CH - j : TR_RNG_BLOCK,
                         buf + j);
    for (int j = 0; j < CH; j += 8) {
      __m512d v = _mm512_add_pd(loc, _mm512_mul_pd(scale, _mm512_loadu_pd(buf + j)));
      _mm512_storeu_pd(acc + j, _mm512_add_pd(_mm512_loadu_pd(acc + j), v));
    }
  }
}

__attribute__((target("avx2"))) static void rows256(double *acc, uint64_t base) {
  __m256d loc = _mm256_set1_pd(10), scale = _mm256_set1_pd(0.1);
  double buf[CH];
  for (int64_t r = 0; r < CH; r++, base += N) {
    for (int j = 0; j < CH; j += TR_RNG_BLOCK)
      tr_v4_normal_block(key, base + (uint64_t)j, 1, CH - j < TR_RNG_BLOCK ? CH - j : TR_RNG_BLOCK,
                         buf + j);
    for (int j = 0; j < CH; j += 4) {
      __m256d v = _mm256_add_pd(loc, _mm256_mul_pd(scale, _mm256_loadu_pd(buf + j)));
      _mm256_storeu_pd(acc + j, _mm256_add_pd(_mm256_loadu_pd(acc + j), v));
    }
  }
}

static bool has512;

static void block(int64_t b) {
  int64_t rb = b / (N / CH), cb = b % (N / CH);
  double *acc = partial + rb * N + cb * CH;
  for (int j = 0; j < CH; j++)
    acc[j] = 0;
  uint64_t base = (uint64_t)(rb * CH * N + cb * CH);
  if (has512)
    rows512(acc, base);
  else
    rows256(acc, base);
}

int main(void) {
  has512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
  key = tr_rng_key(1);
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
