/* ops_math.c - module math as tasks, with CPython's domain and range
 * errors. */
#include <math.h>

#include "bigint_weak.h"
#include "rt.h"

double tr_real(const TrValue *v) {
  if (v->tag == TR_FLOAT)
    return v->u.f;
  if (v->tag == TR_INT || v->tag == TR_BOOL)
    return tr_big(v->u.i) ? tr_int_to_float_slow(v->u.i) : (double)v->u.i;
  tr_fail("must be real number, not %s", tr_type_name(v));
}

/* CPython's math_1: NaN out of a non-NaN is a domain error, an infinity out
 * of a finite argument a range error. */
static TrValue checked(double x, double r) {
  if (isnan(r) && !isnan(x))
    tr_error("math domain error");
  if (isinf(r) && isfinite(x))
    tr_error("math range error");
  return tr_float(r);
}

void tr_op_math_sqrt(const TrValue *a, int64_t n, TrValue *out) {
  double x = tr_real(a);
  if (x < 0)
    tr_error("math domain error");
  *out = tr_float(sqrt(x));
}

void tr_op_math_exp(const TrValue *a, int64_t n, TrValue *out) {
  double x = tr_real(a);
  *out = checked(x, exp(x));
}

static double log_of(const TrValue *v) {
  double x = tr_real(v);
  if (x <= 0) /* log(nan) is nan, as in CPython */
    tr_error("math domain error");
  return log(x);
}

void tr_op_math_log(const TrValue *a, int64_t n, TrValue *out) {
  double x = log_of(&a[0]);
  if (n > 1) {
    double b = log_of(&a[1]);
    if (b == 0)
      tr_zero_division("float division by zero");
    x /= b;
  }
  *out = tr_float(x);
}

void tr_op_math_sin(const TrValue *a, int64_t n, TrValue *out) {
  double x = tr_real(a);
  *out = checked(x, sin(x));
}

void tr_op_math_cos(const TrValue *a, int64_t n, TrValue *out) {
  double x = tr_real(a);
  *out = checked(x, cos(x));
}

void tr_op_math_tan(const TrValue *a, int64_t n, TrValue *out) {
  double x = tr_real(a);
  *out = checked(x, tan(x));
}

static TrValue to_int(const TrValue *a, double (*f)(double)) {
  if (a->tag == TR_INT || a->tag == TR_BOOL)
    return tr_int(a->u.i);
  double x = f(tr_real(a));
  if (isnan(x))
    tr_error("cannot convert float NaN to integer");
  if (isinf(x))
    tr_error("cannot convert float infinity to integer");
  if (x >= 0x1p63 || x < -0x1p62)
    return tr_int(tr_int_from_float_slow(x));
  return tr_int((int64_t)x);
}

void tr_op_math_floor(const TrValue *a, int64_t n, TrValue *out) { *out = to_int(a, floor); }
void tr_op_math_ceil(const TrValue *a, int64_t n, TrValue *out) { *out = to_int(a, ceil); }
void tr_op_math_fabs(const TrValue *a, int64_t n, TrValue *out) { *out = tr_float(fabs(tr_real(a))); }

void tr_op_math_pow(const TrValue *a, int64_t n, TrValue *out) {
  double x = tr_real(&a[0]), y = tr_real(&a[1]);
  if (isfinite(x) && isfinite(y)) {
    if ((x == 0 && y < 0) || (x < 0 && y != floor(y)))
      tr_error("math domain error");
    double r = pow(x, y);
    if (isinf(r))
      tr_error("math range error");
    *out = tr_float(r);
    return;
  }
  *out = tr_float(pow(x, y));
}

void tr_op_math_isnan(const TrValue *a, int64_t n, TrValue *out) {
  *out = tr_bool(isnan(tr_real(a))); /* tr_real() also rejects non-numbers */
}
