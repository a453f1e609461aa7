/* baseline_stdfull_vec.c - baseline_stdfull.c with the generator on vector
 * lanes (runtime/rng_vec.h): per row of a block, the 1000 normals into a
 * buffer in L1 (AVX-512, or AVX2), then the shifted sums in 8 or 4 lanes. */
#include <math.h>

#include "baseline.h"
#include "rng_vec.h"

enum { N = 20000, CH = 1000, NB = (N / CH) * (N / CH) };
static TrRngKey key;
static double part[NB][2]; /* total, M2 */
static bool has512;

__attribute__((target("avx512f,avx512dq,avx512vl"))) static void rows512(uint64_t base, double k,
                                                                        double *s) {
  __m512d loc = _mm512_set1_pd(10), scale = _mm512_set1_pd(0.1), kk = _mm512_set1_pd(k);
  double buf[CH];
  for (int64_t r = 0; r < CH; r++, base += N) {
    for (int j = 0; j < CH; j += TR_RNG_BLOCK)
      tr_v8_normal_block(key, base + (uint64_t)j, 1, CH - j < TR_RNG_BLOCK ? CH - j : TR_RNG_BLOCK,
                         buf + j);
    __m512d r1 = _mm512_setzero_pd(), r2 = _mm512_setzero_pd();
    for (int j = 0; j < CH; j += 8) {
      __m512d d = _mm512_sub_pd(_mm512_add_pd(loc, _mm512_mul_pd(scale, _mm512_loadu_pd(buf + j))), kk);
      r1 = _mm512_add_pd(r1, d);
      r2 = _mm512_add_pd(r2, _mm512_mul_pd(d, d));
    }
    s[0] += _mm512_reduce_add_pd(r1);
    s[1] += _mm512_reduce_add_pd(r2);
  }
}

__attribute__((target("avx2"))) static void rows256(uint64_t base, double k, double *s) {
  __m256d loc = _mm256_set1_pd(10), scale = _mm256_set1_pd(0.1), kk = _mm256_set1_pd(k);
  double buf[CH], t[4];
  for (int64_t r = 0; r < CH; r++, base += N) {
    for (int j = 0; j < CH; j += TR_RNG_BLOCK)
      tr_v4_normal_block(key, base + (uint64_t)j, 1, CH - j < TR_RNG_BLOCK ? CH - j : TR_RNG_BLOCK,
                         buf + j);
    __m256d r1 = _mm256_setzero_pd(), r2 = _mm256_setzero_pd();
    for (int j = 0; j < CH; j += 4) {
      __m256d d = _mm256_sub_pd(_mm256_add_pd(loc, _mm256_mul_pd(scale, _mm256_loadu_pd(buf + j))), kk);
      r1 = _mm256_add_pd(r1, d);
      r2 = _mm256_add_pd(r2, _mm256_mul_pd(d, d));
    }
    _mm256_storeu_pd(t, r1);
    s[0] += (t[0] + t[1]) + (t[2] + t[3]);
    _mm256_storeu_pd(t, r2);
    s[1] += (t[0] + t[1]) + (t[2] + t[3]);
  }
}

static void block(int64_t b) {
  int64_t rb = b / (N / CH), cb = b % (N / CH);
  uint64_t base = (uint64_t)(rb * CH * N + cb * CH);
  double k = 10 + 0.1 * tr_rng_normal_k(key, base), s[2] = {0, 0};
  if (has512)
    rows512(base, k, s);
  else
    rows256(base, k, s);
  double n = (double)CH * CH;
  part[b][0] = n * k + s[0];
  part[b][1] = s[1] - s[0] * s[0] / n;
}

int main(void) {
  has512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512vl");
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
