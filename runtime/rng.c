/* rng.c - random.random for tasks: one xoshiro256** generator per thread,
 * seeded by splitmix64 from (--seed, worker index), so threads never share
 * state. A thread that never called tr_rng_init (e.g. a test calling an op
 * directly) seeds itself as worker 0 on first use. */
#include <time.h>

#include "rt.h"

uint64_t tr_seed;
static _Thread_local uint64_t st[4];
static _Thread_local bool seeded;

static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

void tr_rng_init(uint64_t worker) {
  uint64_t x = tr_seed ^ (worker * 0xd1b54a32d192ed03ull);
  for (int i = 0; i < 4; i++)
    st[i] = splitmix64(&x);
  seeded = true;
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t tr_rng_next(void) {
  if (!seeded)
    tr_rng_init(0);
  uint64_t r = rotl(st[1] * 5, 7) * 9;
  uint64_t t = st[1] << 17;
  st[2] ^= st[0];
  st[3] ^= st[1];
  st[1] ^= st[2];
  st[0] ^= st[3];
  st[2] ^= t;
  st[3] = rotl(st[3], 45);
  return r;
}

/* 53 random bits in [0, 1), like CPython's random(). */
double tr_random(void) { return (double)(tr_rng_next() >> 11) * 0x1.0p-53; }

double tr_time(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
