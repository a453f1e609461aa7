/* rng_vec.h - the array generator (taskrt.h: tr_rng_normal_k) on vector
 * lanes, for rng_vec.c and the vectorised C baseline in bench/arrays.
 *
 * Lane l of a step holds element index0 + l * stride: its hash input
 * add + index * mul advances by a constant per step, so a step costs one
 * vector add before the mix. The ziggurat's tables are read with gathers,
 * the fast-path test is a mask; lanes that miss it (about 1.5%) call the
 * scalar tr_rng_normal_slow, so every lane's value is the scalar path's bit
 * for bit (the same integer hash, the same exact int->double conversion,
 * the same one multiply and compare). Include after taskrt.h. */
#ifndef TASKRT_RNG_VEC_H
#define TASKRT_RNG_VEC_H

#include <immintrin.h>

#define TR_AVX512 __attribute__((target("avx512f,avx512dq,avx512vl"), always_inline)) static inline
#define TR_AVX2 __attribute__((target("avx2"), always_inline)) static inline

/* ---- AVX-512: 8 lanes ---- */

TR_AVX512 __m512i tr_v8_mix(__m512i z) {
  z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 30)),
                         _mm512_set1_epi64((long long)0xbf58476d1ce4e5b9ull));
  z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 27)),
                         _mm512_set1_epi64((long long)0x94d049bb133111ebull));
  return _mm512_xor_si512(z, _mm512_srli_epi64(z, 31));
}

/* The hash inputs of lanes 0..7 and the step between two vectors. */
TR_AVX512 __m512i tr_v8_start(TrRngKey k, uint64_t index0, uint64_t stride, __m512i *step) {
  __m512i lane = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
  __m512i dm = _mm512_set1_epi64((long long)(stride * k.mul));
  *step = _mm512_set1_epi64((long long)(8 * stride * k.mul));
  return _mm512_add_epi64(_mm512_set1_epi64((long long)(k.add + index0 * k.mul)),
                          _mm512_mullo_epi64(lane, dm));
}

/* (tr_zig_x[i], tr_zig_x[i + 1]) of layer i in one 128-bit load: the
 * layer's width and the fast path's limit (tr_zig_w[i] is tr_zig_x[i] *
 * 2^-53 exactly, so u * w rounds as (u * x) * 2^-53 does). Faster than two
 * gathers on the CPUs we measured. */
#define TR_ZIG_PAIR(q, l) _mm_loadu_pd(tr_zig_x + _mm_extract_epi64(q, l))

/* Normals of hashes h: the fast path; *slow marks the lanes it missed. */
TR_AVX512 __m512d tr_v8_normal_fast(__m512i h, __mmask8 *slow) {
  __m512i i = _mm512_and_si512(h, _mm512_set1_epi64(255));
  __m256i lo = _mm512_castsi512_si256(i), hi = _mm512_extracti64x4_epi64(i, 1);
  __m128i q0 = _mm256_castsi256_si128(lo), q1 = _mm256_extracti128_si256(lo, 1);
  __m128i q2 = _mm256_castsi256_si128(hi), q3 = _mm256_extracti128_si256(hi, 1);
  /* a: the pairs of lanes 0, 2, 4, 6; b: of lanes 1, 3, 5, 7 */
  __m512d a = _mm512_castpd128_pd512(TR_ZIG_PAIR(q0, 0));
  a = _mm512_insertf64x2(a, TR_ZIG_PAIR(q1, 0), 1);
  a = _mm512_insertf64x2(a, TR_ZIG_PAIR(q2, 0), 2);
  a = _mm512_insertf64x2(a, TR_ZIG_PAIR(q3, 0), 3);
  __m512d b = _mm512_castpd128_pd512(TR_ZIG_PAIR(q0, 1));
  b = _mm512_insertf64x2(b, TR_ZIG_PAIR(q1, 1), 1);
  b = _mm512_insertf64x2(b, TR_ZIG_PAIR(q2, 1), 2);
  b = _mm512_insertf64x2(b, TR_ZIG_PAIR(q3, 1), 3);
  __m512d w = _mm512_unpacklo_pd(a, b), lim = _mm512_unpackhi_pd(a, b);
  __m512d x = _mm512_mul_pd(_mm512_mul_pd(_mm512_cvtepi64_pd(_mm512_srli_epi64(h, 11)), w),
                            _mm512_set1_pd(0x1.0p-53));
  *slow = _mm512_cmp_pd_mask(x, lim, _CMP_NLT_UQ);
  __m512i sign = _mm512_slli_epi64(_mm512_and_si512(h, _mm512_set1_epi64(256)), 55);
  return _mm512_castsi512_pd(_mm512_xor_si512(_mm512_castpd_si512(x), sign));
}

/* Up to TR_RNG_BLOCK normals of a run (n a multiple of 8). Lanes that miss
 * the fast path are listed (compressed, no branch) and done after the loop
 * by the scalar slow path: a branch per vector would mispredict often
 * (one vector in nine has such a lane). */
enum { TR_RNG_BLOCK = 512 };
TR_AVX512 void tr_v8_normal_block(TrRngKey k, uint64_t index0, uint64_t stride, int64_t n,
                                  double *out) {
  uint64_t sh[TR_RNG_BLOCK + 8];
  int64_t sp[TR_RNG_BLOCK + 8], ns = 0;
  __m512i step, z = tr_v8_start(k, index0, stride, &step);
  __m512i pos = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0), eight = _mm512_set1_epi64(8);
  for (int64_t j = 0; j < n; j += 8) {
    __mmask8 slow;
    __m512i h = tr_v8_mix(z);
    _mm512_storeu_pd(out + j, tr_v8_normal_fast(h, &slow));
    _mm512_storeu_si512(sh + ns, _mm512_maskz_compress_epi64(slow, h));
    _mm512_storeu_si512(sp + ns, _mm512_maskz_compress_epi64(slow, pos));
    ns += __builtin_popcount(slow);
    z = _mm512_add_epi64(z, step);
    pos = _mm512_add_epi64(pos, eight);
  }
  for (int64_t s = 0; s < ns; s++)
    out[sp[s]] = tr_rng_normal_slow(sh[s]);
}

TR_AVX512 __m512d tr_v8_uniform(__m512i h) {
  return _mm512_mul_pd(_mm512_cvtepi64_pd(_mm512_srli_epi64(h, 11)), _mm512_set1_pd(0x1.0p-53));
}

/* ---- AVX2: 4 lanes; 64-bit multiply and int->double by hand ---- */

/* low 64 bits of a * b, b given as (b, b >> 32) */
TR_AVX2 __m256i tr_v4_mul(__m256i a, __m256i b, __m256i bhi) {
  __m256i lo = _mm256_mul_epu32(a, b);
  __m256i cross = _mm256_add_epi64(_mm256_mul_epu32(_mm256_srli_epi64(a, 32), b),
                                   _mm256_mul_epu32(a, bhi));
  return _mm256_add_epi64(lo, _mm256_slli_epi64(cross, 32));
}

TR_AVX2 __m256i tr_v4_mulc(__m256i a, uint64_t c) {
  return tr_v4_mul(a, _mm256_set1_epi64x((long long)c), _mm256_set1_epi64x((long long)(c >> 32)));
}

TR_AVX2 __m256i tr_v4_mix(__m256i z) {
  z = tr_v4_mulc(_mm256_xor_si256(z, _mm256_srli_epi64(z, 30)), 0xbf58476d1ce4e5b9ull);
  z = tr_v4_mulc(_mm256_xor_si256(z, _mm256_srli_epi64(z, 27)), 0x94d049bb133111ebull);
  return _mm256_xor_si256(z, _mm256_srli_epi64(z, 31));
}

/* v < 2^53 to double, exactly: hi * 2^32 + lo, both parts exact (the
 * 2^52 / 2^84 magic), and their sum is representable. */
TR_AVX2 __m256d tr_v4_to_f64(__m256i v) {
  __m256i lo = _mm256_blend_epi32(v, _mm256_set1_epi64x(0x4330000000000000ll), 0xaa);
  __m256i hi = _mm256_or_si256(_mm256_srli_epi64(v, 32), _mm256_set1_epi64x(0x4530000000000000ll));
  __m256d h = _mm256_sub_pd(_mm256_castsi256_pd(hi), _mm256_set1_pd(0x1.0p84));
  return _mm256_add_pd(h, _mm256_sub_pd(_mm256_castsi256_pd(lo), _mm256_set1_pd(0x1.0p52)));
}

TR_AVX2 __m256i tr_v4_start(TrRngKey k, uint64_t index0, uint64_t stride, __m256i *step) {
  uint64_t d = stride * k.mul, z = k.add + index0 * k.mul;
  *step = _mm256_set1_epi64x((long long)(4 * d));
  return _mm256_set_epi64x((long long)(z + 3 * d), (long long)(z + 2 * d), (long long)(z + d),
                           (long long)z);
}

TR_AVX2 __m256d tr_v4_normal_fast(__m256i h, int *slow) {
  __m256i i = _mm256_and_si256(h, _mm256_set1_epi64x(255));
  __m128i q0 = _mm256_castsi256_si128(i), q1 = _mm256_extracti128_si256(i, 1);
  /* a: the pairs of lanes 0 and 2, b: of lanes 1 and 3 */
  __m256d a = _mm256_insertf128_pd(_mm256_castpd128_pd256(TR_ZIG_PAIR(q0, 0)), TR_ZIG_PAIR(q1, 0), 1);
  __m256d b = _mm256_insertf128_pd(_mm256_castpd128_pd256(TR_ZIG_PAIR(q0, 1)), TR_ZIG_PAIR(q1, 1), 1);
  __m256d w = _mm256_unpacklo_pd(a, b), lim = _mm256_unpackhi_pd(a, b);
  __m256d x = _mm256_mul_pd(_mm256_mul_pd(tr_v4_to_f64(_mm256_srli_epi64(h, 11)), w),
                            _mm256_set1_pd(0x1.0p-53));
  *slow = _mm256_movemask_pd(_mm256_cmp_pd(x, lim, _CMP_NLT_UQ));
  __m256i sign = _mm256_slli_epi64(_mm256_and_si256(h, _mm256_set1_epi64x(256)), 55);
  return _mm256_castsi256_pd(_mm256_xor_si256(_mm256_castpd_si256(x), sign));
}

/* tr_v8_normal_block on 4 lanes; AVX2 has no compress: a permutation per
 * mask moves the listed lanes (as 32-bit halves) to the front. */
TR_AVX2 void tr_v4_normal_block(TrRngKey k, uint64_t index0, uint64_t stride, int64_t n,
                                double *out) {
  static const int perm[16][8] = {
      {0, 1, 2, 3, 4, 5, 6, 7}, {0, 1, 0, 0, 0, 0, 0, 0}, {2, 3, 0, 0, 0, 0, 0, 0},
      {0, 1, 2, 3, 0, 0, 0, 0}, {4, 5, 0, 0, 0, 0, 0, 0}, {0, 1, 4, 5, 0, 0, 0, 0},
      {2, 3, 4, 5, 0, 0, 0, 0}, {0, 1, 2, 3, 4, 5, 0, 0}, {6, 7, 0, 0, 0, 0, 0, 0},
      {0, 1, 6, 7, 0, 0, 0, 0}, {2, 3, 6, 7, 0, 0, 0, 0}, {0, 1, 2, 3, 6, 7, 0, 0},
      {4, 5, 6, 7, 0, 0, 0, 0}, {0, 1, 4, 5, 6, 7, 0, 0}, {2, 3, 4, 5, 6, 7, 0, 0},
      {0, 1, 2, 3, 4, 5, 6, 7}};
  uint64_t sh[TR_RNG_BLOCK + 4];
  int64_t sp[TR_RNG_BLOCK + 4], ns = 0;
  __m256i step, z = tr_v4_start(k, index0, stride, &step);
  __m256i pos = _mm256_set_epi64x(3, 2, 1, 0), four = _mm256_set1_epi64x(4);
  for (int64_t j = 0; j < n; j += 4) {
    int slow;
    __m256i h = tr_v4_mix(z);
    _mm256_storeu_pd(out + j, tr_v4_normal_fast(h, &slow));
    __m256i p = _mm256_loadu_si256((const __m256i *)perm[slow]);
    _mm256_storeu_si256((__m256i *)(sh + ns), _mm256_permutevar8x32_epi32(h, p));
    _mm256_storeu_si256((__m256i *)(sp + ns), _mm256_permutevar8x32_epi32(pos, p));
    ns += __builtin_popcount((unsigned)slow);
    z = _mm256_add_epi64(z, step);
    pos = _mm256_add_epi64(pos, four);
  }
  for (int64_t s = 0; s < ns; s++)
    out[sp[s]] = tr_rng_normal_slow(sh[s]);
}

TR_AVX2 __m256d tr_v4_uniform(__m256i h) {
  return _mm256_mul_pd(tr_v4_to_f64(_mm256_srli_epi64(h, 11)), _mm256_set1_pd(0x1.0p-53));
}

#endif
