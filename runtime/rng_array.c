/* rng_array.c - the counter-based generator of random arrays.
 *
 * A sample is a pure function of (seed, stream, index): the 64-bit hash
 * tr_rng_hash(tr_rng_key(stream), index) (taskrt.h) feeds a 256-layer
 * ziggurat (Marsaglia & Tsang, 2000) for normals, or its top 53 bits make a
 * uniform. The fast path is inline in taskrt.h; this file holds the seed,
 * the tables, and the rare slow path (wedges, tail, re-draws), whose extra
 * random bits come from a splitmix64 sequence started at the sample's hash,
 * so it too depends on nothing but the element. */
#include <math.h>

#include "array.h"

static uint64_t seed_key; /* mix(seed); seed 0 -> 0 */
double tr_zig_x[257];
double tr_zig_w[256];
static double zig_f[257]; /* exp(-x^2/2) at the layer edges */

/* Marsaglia & Tsang's constants for 256 layers: the start of the tail and
 * the area of each layer under the unnormalised density exp(-x^2/2). */
#define ZIG_R 3.6541528853610088
#define ZIG_V 0.00492867323399

void tr_set_seed(uint64_t seed) { seed_key = tr_rng_mix(seed); }

/* SplittableRandom's mixGamma: an odd multiplier whose bits change often
 * enough (a multiplier like 1 or 0x5555...5 makes correlated hashes). */
static uint64_t gamma_of(uint64_t z) {
  z = tr_rng_mix(z) | 1;
  if (__builtin_popcountll(z ^ (z >> 1)) < 24)
    z ^= 0xaaaaaaaaaaaaaaaaull;
  return z;
}

TrRngKey tr_rng_key(uint64_t stream) {
  uint64_t s = seed_key + stream * 0x9e3779b97f4a7c15ull;
  return (TrRngKey){tr_rng_mix(s ^ 0x243f6a8885a308d3ull), gamma_of(s ^ 0x13198a2e03707344ull)};
}

/* Layer i spans x in [0, X[i]) between heights f(X[i]) and f(X[i+1]); all
 * layers have area V. Layer 0 is the base strip plus the tail beyond R,
 * folded into a rectangle of width V / f(R). Computed before main(), so
 * workers only read them. */
__attribute__((constructor)) static void zig_init(void) {
  double f = exp(-0.5 * ZIG_R * ZIG_R);
  tr_zig_x[0] = ZIG_V / f;
  tr_zig_x[1] = ZIG_R;
  for (int i = 1; i < 255; i++) {
    double x = tr_zig_x[i];
    tr_zig_x[i + 1] = sqrt(-2 * log(ZIG_V / x + exp(-0.5 * x * x)));
  }
  tr_zig_x[256] = 0;
  for (int i = 0; i <= 256; i++)
    zig_f[i] = exp(-0.5 * tr_zig_x[i] * tr_zig_x[i]);
  for (int i = 0; i < 256; i++)
    tr_zig_w[i] = tr_zig_x[i] * 0x1.0p-53;
}

static uint64_t next(uint64_t *s) {
  *s += 0x9e3779b97f4a7c15ull;
  return tr_rng_mix(*s);
}

static double unit(uint64_t bits) { return (double)(int64_t)(bits >> 11) * 0x1.0p-53; }

/* x from the tail beyond R (Marsaglia 1964); (0, 1] avoids log(0) */
static double tail(uint64_t *s) {
  for (;;) {
    double x = -log(1.0 - unit(next(s))) / ZIG_R;
    double y = -log(1.0 - unit(next(s)));
    if (y + y >= x * x)
      return ZIG_R + x;
  }
}

double tr_rng_normal_slow(uint64_t h) {
  uint64_t s = h;
  for (;;) {
    unsigned i = (unsigned)(h & 255);
    bool neg = h & 256;
    double x = (double)(int64_t)(h >> 11) * tr_zig_w[i];
    if (x < tr_zig_x[i + 1])
      return neg ? -x : x;
    if (i == 0) {
      x = tail(&s);
      return neg ? -x : x;
    }
    /* the wedge between the rectangle and the curve */
    double y = zig_f[i] + unit(next(&s)) * (zig_f[i + 1] - zig_f[i]);
    if (y < exp(-0.5 * x * x))
      return neg ? -x : x;
    h = next(&s);
  }
}

/* Kernels that call per element mostly ask for one stream many times in a
 * row: remember the last key per thread. */
static _Thread_local struct {
  uint64_t stream, seed_key;
  TrRngKey k;
  bool valid;
} last;

static TrRngKey key_of(uint64_t stream) {
  if (!last.valid || last.stream != stream || last.seed_key != seed_key) {
    last.k = tr_rng_key(stream);
    last.stream = stream;
    last.seed_key = seed_key;
    last.valid = true;
  }
  return last.k;
}

double tr_rng_uniform(uint64_t stream, uint64_t index) {
  return tr_rng_uniform_k(key_of(stream), index);
}

double tr_rng_normal(uint64_t stream, uint64_t index) {
  return tr_rng_normal_k(key_of(stream), index);
}

void tr_rng_uniform_fill(uint64_t stream, uint64_t index0, int64_t n, double *out) {
  TrRngKey k = key_of(stream);
  for (int64_t i = 0; i < n; i++)
    out[i] = tr_rng_uniform_k(k, index0 + (uint64_t)i);
}

void tr_rng_normal_fill(uint64_t stream, uint64_t index0, int64_t n, double *out) {
  TrRngKey k = key_of(stream);
  for (int64_t i = 0; i < n; i++)
    out[i] = tr_rng_normal_k(k, index0 + (uint64_t)i);
}
