/* bigint_conv.c - ints (plain or big, taskrt.h) to and from text and
 * float, their hash and their exact comparison with a float, as Python
 * does them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bigint.h"
#include "memlimit.h"
#include "rt.h"

#define VIEW(name, v)                                                         \
  mpz_t name##_t;                                                             \
  mp_limb_t name##_l;                                                         \
  mpz_srcptr name = big_view(v, name##_t, &name##_l)

/* CPython 3.11's sys.get_int_max_str_digits(): int <-> decimal text of
 * more digits fails (ValueError), so that a program does what it does
 * under Dask. */
enum { MAX_STR_DIGITS = 4300 };

char *tr_int_text(int64_t v, size_t *n) {
  VIEW(x, v);
  if (mpz_sizeinbase(x, 10) > MAX_STR_DIGITS + 1) /* exact or one more */
    tr_error("Exceeds the limit (4300 digits) for integer string conversion; "
             "use sys.set_int_max_str_digits() to increase the limit");
  char *s = mpz_get_str(NULL, 10, x);
  *n = strlen(s);
  if (*n - (s[0] == '-') > MAX_STR_DIGITS) {
    free(s);
    tr_error("Exceeds the limit (4300 digits) for integer string conversion; "
             "use sys.set_int_max_str_digits() to increase the limit");
  }
  return s;
}

int64_t tr_int_from_digits(const char *digits, size_t n, bool neg) {
  if (n > MAX_STR_DIGITS)
    tr_fail("Exceeds the limit (4300 digits) for integer string conversion: "
            "value has %zu digits; use sys.set_int_max_str_digits() to increase "
            "the limit", n);
  char *s = malloc(n + 1);
  if (!s)
    tr_oom();
  memcpy(s, digits, n);
  s[n] = 0;
  TrBig *r = big_alloc();
  mpz_set_str(r->z, s, 10);
  free(s);
  if (neg)
    mpz_neg(r->z, r->z);
  return big_finish(r);
}

void tr_consts_bigs(TrValue *consts, const uint32_t *idx, int64_t n, const char *pool) {
  for (int64_t i = 0; i < n; i++) {
    TrValue *c = &consts[idx[i]];
    const TrStr *t = (const TrStr *)(pool + c->u.i);
    bool neg = t->data[0] == '-';
    c->u.i = tr_int_from_digits(t->data + neg, (size_t)(t->len - neg), neg);
  }
}

/* Python's int -> float: round half to even on the bits past the 53rd,
 * OverflowError past the largest double. */
double tr_int_to_float_slow(int64_t v) {
  if (!tr_is_big(v))
    return (double)v;
  mpz_srcptr z = big_of(v)->z;
  mpz_t a; /* |z| as a view: tstbit reads two's complement for negatives */
  mpz_roinit_n(a, mpz_limbs_read(z), (mp_size_t)mpz_size(z));
  size_t nbits = mpz_sizeinbase(a, 2);
  double r;
  if (nbits <= 53) {
    r = mpz_get_d(a);
  } else {
    mp_bitcnt_t e = (mp_bitcnt_t)(nbits - 53);
    mpz_t q;
    mpz_init(q);
    mpz_fdiv_q_2exp(q, a, e); /* the top 53 bits */
    bool half = mpz_tstbit(a, e - 1);
    bool below = mpz_scan1(a, 0) < e - 1; /* any bit under the half */
    if (half && (below || mpz_odd_p(q)))
      mpz_add_ui(q, q, 1);
    r = e > 2000 ? INFINITY : ldexp(mpz_get_d(q), (int)e);
    mpz_clear(q);
  }
  if (isinf(r))
    tr_error("int too large to convert to float");
  return mpz_sgn(z) < 0 ? -r : r;
}

int64_t tr_int_from_float_slow(double d) {
  TrBig *r = big_alloc();
  mpz_set_d(r->z, d); /* exact: d is integral */
  return big_finish(r);
}

int64_t tr_int_float_cmp(int64_t a, double b) {
  if (isnan(b))
    return 2;
  if (!tr_is_big(a)) { /* long double holds every int64 exactly */
    long double x = (long double)a;
    return x < b ? -1 : x > b;
  }
  if (isinf(b))
    return b > 0 ? -1 : 1;
  int c = mpz_cmp_d(big_of(a)->z, b);
  return c < 0 ? -1 : c > 0;
}

/* Python's hash of an int: the value modulo 2^61 - 1 with its sign, which
 * plain ints hash to in dict.c by their own formula; only equality with
 * other bigs matters here (a plain int never equals a big). */
uint64_t tr_int_hash_slow(int64_t v) {
  mpz_srcptr z = big_of(v)->z;
  uint64_t h = mpz_fdiv_ui(z, ((unsigned long)1 << 61) - 1);
  return (mpz_sgn(z) < 0 ? ~h : h) * 0x9e3779b97f4a7c15ull;
}

const uint64_t *tr_int_limbs(int64_t v, int64_t *n, int64_t *neg) {
  _Static_assert(sizeof(mp_limb_t) == 8, "64-bit limbs");
  mpz_srcptr z = big_of(v)->z;
  *n = (int64_t)mpz_size(z);
  *neg = mpz_sgn(z) < 0;
  return (const uint64_t *)mpz_limbs_read(z);
}

int64_t tr_int_from_limbs(const uint64_t *limbs, int64_t n, bool neg) {
  TrBig *r = big_alloc();
  mpz_import(r->z, (size_t)n, -1, 8, 0, 0, limbs);
  if (neg)
    mpz_neg(r->z, r->z);
  return big_finish(r);
}
