/* arith.c - Python's arithmetic on native ints and doubles, as generated
 * code calls it: floor division and modulo take the divisor's sign, an int
 * that overflows int64 (or an operand that is one) goes to bigint_ops.c,
 * messages are CPython 3.11's. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "rt.h"

int64_t tr_int_floordiv(int64_t a, int64_t b) {
  if (b == 0)
    tr_zero_division("integer division or modulo by zero");
  if (tr_is_big(a) || tr_is_big(b) || (b == -1 && tr_is_big(-a))) /* -a may be reserved */
    return tr_int_divmod_slow(a, b, false);
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0)))
    q--;
  return q;
}

int64_t tr_int_mod(int64_t a, int64_t b) {
  if (b == 0)
    tr_zero_division("integer modulo by zero");
  if (tr_is_big(a) || tr_is_big(b))
    return tr_int_divmod_slow(a, b, true);
  if (b == -1)
    return 0; /* INT64_MIN % -1 traps in C */
  int64_t r = a % b;
  if (r != 0 && ((r < 0) != (b < 0)))
    r += b;
  return r;
}

int64_t tr_int_pow(int64_t a, int64_t b) {
  if (!tr_is_big(b) && b < 0)
    tr_error("negative int exponent is not supported (int64)");
  if (tr_is_big(a) || tr_is_big(b))
    return tr_int_pow_slow(a, b);
  int64_t r = 1, base = a, e = b;
  while (e > 0) {
    if (e & 1)
      if (__builtin_mul_overflow(r, base, &r))
        return tr_int_pow_slow(a, b);
    e >>= 1;
    if (e > 0 && __builtin_mul_overflow(base, base, &base))
      return tr_int_pow_slow(a, b);
  }
  return tr_is_big(r) ? tr_int_pow_slow(a, b) : r;
}

/* CPython's float_divmod: returns the floor quotient, *mod the modulo. */
static double float_divmod(double a, double b, double *modp) {
  double mod = fmod(a, b);
  double div = (a - mod) / b;
  if (mod != 0) {
    if ((b < 0) != (mod < 0)) {
      mod += b;
      div -= 1.0;
    }
  } else {
    mod = copysign(0.0, b);
  }
  double floordiv;
  if (div != 0) {
    floordiv = floor(div);
    if (div - floordiv > 0.5)
      floordiv += 1.0;
  } else {
    floordiv = copysign(0.0, a / b);
  }
  *modp = mod;
  return floordiv;
}

double tr_float_floordiv(double a, double b) {
  if (b == 0)
    tr_zero_division("float floor division by zero");
  double mod;
  return float_divmod(a, b, &mod);
}

double tr_float_mod(double a, double b) {
  if (b == 0)
    tr_zero_division("float modulo");
  double mod;
  float_divmod(a, b, &mod);
  return mod;
}

/* The ** of floats. Python would return a complex for a negative base and
 * a fractional exponent; taskc has no complex numbers, so that fails. */
double tr_float_pow(double a, double b) {
  if (a == 0 && b < 0)
    tr_zero_division("0.0 cannot be raised to a negative power");
  if (a < 0 && isfinite(a) && isfinite(b) && b != floor(b))
    tr_error("negative number cannot be raised to a fractional power");
  errno = 0;
  double r = pow(a, b);
  if (isinf(r) && isfinite(a) && isfinite(b))
    tr_error("(34, 'Numerical result out of range')");
  return r;
}

/* round(x, ndigits) as CPython does it: correctly rounded through the
 * exact decimal expansion (glibc's printf is exact, ties to even). */
double tr_round_half_even(double x, int64_t ndigits) {
  if (!isfinite(x) || x == 0)
    return x;
  if (ndigits > 323)
    return x;
  if (ndigits < -308)
    return 0.0 * x;
  if (ndigits >= 0) {
    char buf[720]; /* 309 integer digits + 323 decimals fit */
    snprintf(buf, sizeof buf, "%.*f", (int)ndigits, x);
    return strtod(buf, NULL);
  }
  double p = pow(10.0, (double)-ndigits);
  double y = x / p;
  double z = nearbyint(y); /* default rounding mode: ties to even */
  double r = z * p;
  if (isinf(r))
    tr_error("rounded value too large to represent");
  return copysign(r, x);
}
