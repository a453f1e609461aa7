/* rng_vec.c - runs of random array samples on vector lanes.
 *
 * tr_rng_normal_run / tr_rng_uniform_run fill out[j] with the sample of
 * element index0 + j * stride (j < n): generated kernels call them once per
 * strip of their innermost loop (compiler/codegen/kernel_rng.c) and then
 * read the strip from L1. The path is chosen once, at the first call, from
 * the CPU (cpuid): AVX-512 (8 lanes), AVX2 (4 lanes) or the scalar loop;
 * TASKC_RNG_PATH=scalar|avx2|avx512 forces one (a path the CPU lacks falls
 * back to the best it has), so tests can compare them: every path gives the
 * same bits (rng_vec.h). */
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "rng_vec.h"

typedef void RunFn(TrRngKey k, uint64_t index0, uint64_t stride, int64_t n, double *out);

static void normal_scalar(TrRngKey k, uint64_t index0, uint64_t stride, int64_t n, double *out) {
  for (int64_t j = 0; j < n; j++)
    out[j] = tr_rng_normal_k(k, index0 + (uint64_t)j * stride);
}

static void uniform_scalar(TrRngKey k, uint64_t index0, uint64_t stride, int64_t n, double *out) {
  for (int64_t j = 0; j < n; j++)
    out[j] = tr_rng_uniform_k(k, index0 + (uint64_t)j * stride);
}

/* the last n % lanes elements: the scalar path */
#define TAIL(scalar)                                                                 \
  if (j < n)                                                                         \
  scalar(k, index0 + (uint64_t)j * stride, stride, n - j, out + j)

__attribute__((target("avx512f,avx512dq,avx512vl"))) static void
normal_avx512(TrRngKey k, uint64_t index0, uint64_t stride, int64_t n, double *out) {
  int64_t j = 0;
  for (int64_t m; (m = (n - j < TR_RNG_BLOCK ? n - j : TR_RNG_BLOCK) & ~7); j += m)
    tr_v8_normal_block(k, index0 + (uint64_t)j * stride, stride, m, out + j);
  TAIL(normal_scalar);
}

__attribute__((target("avx512f,avx512dq,avx512vl"))) static void
uniform_avx512(TrRngKey k, uint64_t index0, uint64_t stride, int64_t n, double *out) {
  __m512i step, z = tr_v8_start(k, index0, stride, &step);
  int64_t j = 0;
  for (; j + 8 <= n; j += 8, z = _mm512_add_epi64(z, step))
    _mm512_storeu_pd(out + j, tr_v8_uniform(tr_v8_mix(z)));
  TAIL(uniform_scalar);
}

__attribute__((target("avx2"))) static void
normal_avx2(TrRngKey k, uint64_t index0, uint64_t stride, int64_t n, double *out) {
  int64_t j = 0;
  for (int64_t m; (m = (n - j < TR_RNG_BLOCK ? n - j : TR_RNG_BLOCK) & ~3); j += m)
    tr_v4_normal_block(k, index0 + (uint64_t)j * stride, stride, m, out + j);
  TAIL(normal_scalar);
}

__attribute__((target("avx2"))) static void
uniform_avx2(TrRngKey k, uint64_t index0, uint64_t stride, int64_t n, double *out) {
  __m256i step, z = tr_v4_start(k, index0, stride, &step);
  int64_t j = 0;
  for (; j + 4 <= n; j += 4, z = _mm256_add_epi64(z, step))
    _mm256_storeu_pd(out + j, tr_v4_uniform(tr_v4_mix(z)));
  TAIL(uniform_scalar);
}

/* 0 scalar, 1 AVX2, 2 AVX-512: the best the CPU has */
static int best_path(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
                 __builtin_cpu_supports("avx512vl")
             ? 2
         : __builtin_cpu_supports("avx2") ? 1
                                          : 0;
}

/* set once, at the first run (a race on it writes the same value), or by
 * tr_rng_set_path (tests) */
static int path = -1;

int tr_rng_set_path(int want) {
  int best = best_path(), p = want < best ? want : best;
  __atomic_store_n(&path, p, __ATOMIC_RELAXED);
  return p;
}

int tr_rng_path(void) {
  int p = __atomic_load_n(&path, __ATOMIC_RELAXED);
  if (p < 0) {
    const char *e = getenv("TASKC_RNG_PATH");
    p = tr_rng_set_path(!e ? 2 : !strcmp(e, "scalar") ? 0 : !strcmp(e, "avx2") ? 1 : 2);
  }
  return p;
}

void tr_rng_normal_run(uint64_t add, uint64_t mul, uint64_t index0, uint64_t stride, int64_t n,
                       double *out) {
  static RunFn *const fns[] = {normal_scalar, normal_avx2, normal_avx512};
  fns[tr_rng_path()]((TrRngKey){add, mul}, index0, stride, n, out);
}

void tr_rng_uniform_run(uint64_t add, uint64_t mul, uint64_t index0, uint64_t stride, int64_t n,
                        double *out) {
  static RunFn *const fns[] = {uniform_scalar, uniform_avx2, uniform_avx512};
  fns[tr_rng_path()]((TrRngKey){add, mul}, index0, stride, n, out);
}
