/* bigint_ops.c - the slow paths of int arithmetic (taskrt.h): generated
 * code calls them when an operand is a big or the int64 result overflowed
 * (or fell into the reserved range); the result is normalised by
 * big_finish. Python's semantics: // and % floor, shifts and bit
 * operations act on an infinite two's complement (as GMP's mpz_and ...). */
#include "bigint.h"
#include "rt.h"

#define VIEW(name, v)                                                         \
  mpz_t name##_t;                                                             \
  mp_limb_t name##_l;                                                         \
  mpz_srcptr name = big_view(v, name##_t, &name##_l)

typedef void (*BinFn)(mpz_ptr, mpz_srcptr, mpz_srcptr);

static int64_t bin(BinFn fn, int64_t a, int64_t b) {
  VIEW(x, a);
  VIEW(y, b);
  TrBig *r = big_alloc();
  fn(r->z, x, y);
  return big_finish(r);
}

int64_t tr_int_add_slow(int64_t a, int64_t b) { return bin(mpz_add, a, b); }
int64_t tr_int_sub_slow(int64_t a, int64_t b) { return bin(mpz_sub, a, b); }
int64_t tr_int_mul_slow(int64_t a, int64_t b) { return bin(mpz_mul, a, b); }

int64_t tr_int_neg_slow(int64_t a) {
  VIEW(x, a);
  TrBig *r = big_alloc();
  mpz_neg(r->z, x);
  return big_finish(r);
}

int64_t tr_int_abs_slow(int64_t a) {
  VIEW(x, a);
  TrBig *r = big_alloc();
  mpz_abs(r->z, x);
  return big_finish(r);
}

int64_t tr_int_cmp_slow(int64_t a, int64_t b) {
  if (!tr_is_big(a) && !tr_is_big(b))
    return a < b ? -1 : a > b;
  VIEW(x, a);
  VIEW(y, b);
  int c = mpz_cmp(x, y);
  return c < 0 ? -1 : c > 0;
}

/* Called by tr_int_floordiv/mod (arith.c) when an operand is big; b != 0. */
int64_t tr_int_divmod_slow(int64_t a, int64_t b, bool mod) {
  return bin(mod ? mpz_fdiv_r : mpz_fdiv_q, a, b);
}

/* a ** b for b >= 0 (arith.c checks). A big exponent only fits for a base
 * of 0, 1 or -1; anything else would not fit in memory. */
int64_t tr_int_pow_slow(int64_t a, int64_t b) {
  if (tr_is_big(b) && mpz_sgn(big_of(b)->z) < 0)
    tr_error("negative int exponent is not supported (int64)");
  if (tr_is_big(b) || b > ((int64_t)1 << 32)) {
    if (a == 0 || a == 1)
      return a;
    if (a == -1)
      return tr_is_big(b) ? (mpz_odd_p(big_of(b)->z) ? -1 : 1) : (b & 1 ? -1 : 1);
    tr_error("integer too large: ** exponent out of range");
  }
  VIEW(x, a);
  TrBig *r = big_alloc();
  mpz_pow_ui(r->z, x, (unsigned long)b);
  return big_finish(r);
}

int64_t tr_int_shift_slow(int64_t a, int64_t b, int64_t left) {
  if (!tr_is_big(b) && b < 0)
    tr_error("negative shift count");
  VIEW(x, a);
  if (tr_is_big(b) || b > ((int64_t)1 << 32)) {
    if (!left) /* everything shifted out: the sign is left */
      return mpz_sgn(x) < 0 ? -1 : 0;
    if (mpz_sgn(x) == 0)
      return 0;
    tr_error("too many digits in integer");
  }
  TrBig *r = big_alloc();
  if (left)
    mpz_mul_2exp(r->z, x, (mp_bitcnt_t)b);
  else
    mpz_fdiv_q_2exp(r->z, x, (mp_bitcnt_t)b);
  return big_finish(r);
}

int64_t tr_int_bit_slow(int64_t a, int64_t b, int64_t op) {
  if (op == '~') {
    VIEW(x, a);
    TrBig *r = big_alloc();
    mpz_com(r->z, x);
    return big_finish(r);
  }
  return bin(op == '&' ? mpz_and : op == '|' ? mpz_ior : mpz_xor, a, b);
}

int64_t tr_range_arg(int64_t v, int64_t is_stop) {
  if (!tr_is_big(v))
    return v;
  if (!is_stop)
    tr_error("range() start and step beyond 64 bits are not supported by taskc");
  return mpz_sgn(big_of(v)->z) > 0 ? INT64_MAX : TR_BIG_LIMIT;
}

int64_t tr_int_from_c(int64_t raw) {
  TrBig *r = big_alloc();
  mpz_set_si(r->z, raw);
  return big_finish(r);
}
