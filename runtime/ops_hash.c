/* ops_hash.c - hash(x) as CPython 3.11 computes it for ints, floats,
 * bools and tuples of them (numbers hash modulo the Mersenne prime
 * 2^61 - 1, so hash(2.0) == hash(2); tuples with xxHash's mixing), which is
 * what a shuffle that buckets by hash (dask.bag's groupby) needs to put
 * keys where Dask puts them. Strings: CPython salts their hash anew in
 * every process (PYTHONHASHSEED), so no value is Python's; ours is FNV-1a,
 * the same in every run. */
#include <math.h>
#include <stdint.h>

#include "bigint_weak.h"
#include "rt.h"

enum { HASH_BITS = 61 };
static const uint64_t HASH_MOD = ((uint64_t)1 << HASH_BITS) - 1;

static int64_t fix_minus_one(int64_t h) { return h == -1 ? -2 : h; }

static int64_t hash_int(int64_t x) {
  uint64_t m = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
  int64_t h = (int64_t)(m % HASH_MOD);
  return fix_minus_one(x < 0 ? -h : h);
}

/* A big int: its magnitude modulo 2^61 - 1 from its 64-bit limbs, most
 * significant first (2^64 is 8 modulo 2^61 - 1), with its sign. */
static int64_t hash_big(int64_t v) {
  int64_t n, neg;
  const uint64_t *limbs = tr_int_limbs(v, &n, &neg);
  unsigned __int128 r = 0;
  for (int64_t i = n - 1; i >= 0; i--)
    r = (r * 8 + limbs[i]) % HASH_MOD;
  int64_t h = (int64_t)r;
  return fix_minus_one(neg ? -h : h);
}

/* CPython's _Py_HashDouble: the value's fraction read 28 bits at a time
 * modulo 2^61 - 1, then the exponent as a rotation. */
static int64_t hash_float(double v) {
  if (isinf(v))
    return v > 0 ? 314159 : -314159;
  if (isnan(v))
    return 0;
  int e;
  double m = frexp(v, &e);
  int sign = 1;
  if (m < 0) {
    sign = -1;
    m = -m;
  }
  uint64_t x = 0;
  while (m) {
    x = ((x << 28) & HASH_MOD) | x >> (HASH_BITS - 28);
    m *= 268435456.0;
    e -= 28;
    uint64_t y = (uint64_t)m;
    m -= (double)y;
    x += y;
    if (x >= HASH_MOD)
      x -= HASH_MOD;
  }
  e = e >= 0 ? e % HASH_BITS : HASH_BITS - 1 - ((-1 - e) % HASH_BITS);
  x = ((x << e) & HASH_MOD) | x >> (HASH_BITS - e);
  return fix_minus_one((int64_t)x * sign);
}

static int64_t hash_str(const TrStr *s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (int64_t i = 0; i < s->len; i++)
    h = (h ^ (unsigned char)s->data[i]) * 0x100000001b3ull;
  return fix_minus_one((int64_t)h);
}

static int64_t hash_value(const TrValue *v);

/* CPython 3.8+'s tuplehash (xxHash's round and constants). */
static int64_t hash_tuple(const TrSeq *t) {
  const uint64_t p1 = 11400714785074694791ull, p2 = 14029467366897019727ull,
                 p5 = 2870177450012600261ull;
  uint64_t acc = p5;
  for (int64_t i = 0; i < t->len; i++) {
    acc += (uint64_t)hash_value(&t->items[i]) * p2;
    acc = (acc << 31) | (acc >> 33);
    acc *= p1;
  }
  acc += (uint64_t)t->len ^ (p5 ^ 3527539ull);
  return acc == (uint64_t)-1 ? 1546275796 : (int64_t)acc;
}

static int64_t hash_value(const TrValue *v) {
  switch (v->tag) {
  case TR_NONE: return 0x7e0f1ce5; /* CPython: from the object's address */
  case TR_BOOL: return hash_int(v->u.i);
  case TR_INT: return tr_big(v->u.i) ? hash_big(v->u.i) : hash_int(v->u.i);
  case TR_FLOAT: return hash_float(v->u.f);
  case TR_STR: return hash_str(v->u.p);
  case TR_TUPLE: return hash_tuple(v->u.p);
  default: tr_fail("unhashable type: '%s'", tr_type_name(v));
  }
}

void tr_op_hash(const TrValue *a, int64_t n, TrValue *out) {
  (void)n;
  *out = tr_int(hash_value(a));
}
