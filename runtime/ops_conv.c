/* ops_conv.c - conversions (int, float, bool, str, round) and the
 * comparison operators (operator.eq ... ge, not_). */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rt.h"

/* Text of s without surrounding whitespace and with the underscores Python
 * allows between digits removed; NULL if an underscore is misplaced. */
static char *clean_number(const TrStr *s) {
  int64_t b = 0, e = s->len;
  while (b < e && isspace((unsigned char)s->data[b]))
    b++;
  while (e > b && isspace((unsigned char)s->data[e - 1]))
    e--;
  char *t = malloc((size_t)(e - b) + 1), *o = t;
  if (!t)
    tr_error("out of memory");
  for (int64_t i = b; i < e; i++) {
    char c = s->data[i];
    if (c == '_') {
      if (i == b || i + 1 == e || !isdigit((unsigned char)s->data[i - 1]) ||
          !isdigit((unsigned char)s->data[i + 1])) {
        free(t);
        return NULL;
      }
      continue;
    }
    *o++ = c;
  }
  *o = 0;
  return t;
}

static _Noreturn void bad_literal(const char *fmt, const TrValue *v) {
  char *r = tr_repr(v), m[TR_MSG_MAX];
  snprintf(m, sizeof m, fmt, r);
  free(r);
  tr_error(m);
}

static int64_t int_from_str(const TrValue *v) {
  char *t = clean_number(v->u.p);
  const char *p = t;
  bool ok = t != NULL;
  if (ok && (*p == '+' || *p == '-'))
    p++;
  ok = ok && isdigit((unsigned char)*p);
  for (const char *q = p; ok && *q; q++)
    ok = isdigit((unsigned char)*q);
  if (!ok) {
    free(t);
    bad_literal("invalid literal for int() with base 10: %s", v);
  }
  bool neg = t[0] == '-';
  int64_t r = 0;
  size_t nd = strlen(p);
  if (nd > 18) { /* may not fit int64: GMP's exact parse */
    r = tr_int_from_digits(p, nd, neg);
    free(t);
    return r;
  }
  for (; *p; p++)
    r = r * 10 + (*p - '0');
  free(t);
  return neg ? -r : r;
}

static int64_t int_from_float(double x) {
  if (isnan(x))
    tr_error("cannot convert float NaN to integer");
  if (isinf(x))
    tr_error("cannot convert float infinity to integer");
  x = trunc(x);
  if (x >= 0x1p63 || x < -0x1p62)
    return tr_int_from_float_slow(x);
  return (int64_t)x;
}

void tr_op_int(const TrValue *a, int64_t n, TrValue *out) {
  switch (a->tag) {
  case TR_BOOL:
  case TR_INT: *out = tr_int(a->u.i); return;
  case TR_FLOAT: *out = tr_int(int_from_float(a->u.f)); return;
  case TR_STR: *out = tr_int(int_from_str(a)); return;
  default:
    tr_fail("int() argument must be a string, a bytes-like object or a real number, not '%s'",
            tr_type_name(a));
  }
}

static double float_from_str(const TrValue *v) {
  char *t = clean_number(v->u.p);
  if (t) {
    const char *p = t + (*t == '+' || *t == '-');
    double sign = *t == '-' ? -1.0 : 1.0;
    if (!strcasecmp(p, "inf") || !strcasecmp(p, "infinity")) {
      free(t);
      return sign * INFINITY;
    }
    if (!strcasecmp(p, "nan")) {
      free(t);
      return sign * NAN;
    }
    char *end;
    double x = strtod(t, &end);
    /* strtod also takes hex floats and "infinity" spellings Python refuses */
    bool ok = *t && !*end && !strpbrk(t, "xXpPnN");
    free(t);
    if (ok)
      return x;
  }
  bad_literal("could not convert string to float: %s", v);
}

void tr_op_float(const TrValue *a, int64_t n, TrValue *out) {
  switch (a->tag) {
  case TR_BOOL:
  case TR_INT: *out = tr_float(tr_int_to_float_slow(a->u.i)); return;
  case TR_FLOAT: *out = *a; return;
  case TR_STR: *out = tr_float(float_from_str(a)); return;
  default:
    tr_fail("float() argument must be a string or a real number, not '%s'", tr_type_name(a));
  }
}

void tr_op_bool(const TrValue *a, int64_t n, TrValue *out) { *out = tr_bool(tr_truthy(a)); }

void tr_op_str(const TrValue *a, int64_t n, TrValue *out) {
  if (a->tag == TR_STR) {
    *out = *a;
    tr_incref(out);
    return;
  }
  Buf b = {0};
  str_value(&b, a);
  *out = tr_str_value(b.p, (int64_t)b.len);
  free(b.p);
}

/* round(i, nd) for nd < 0: to a multiple of 10**-nd, ties to even. */
static int64_t round_int(int64_t x, int64_t nd) {
  if (nd >= 0)
    return x;
  if (nd < -18)
    return 0;
  int64_t p = 1;
  for (int64_t i = 0; i < -nd; i++)
    p *= 10;
  int64_t q = tr_int_floordiv(x, p), r = x - q * p; /* 0 <= r < p */
  if (r > p - r || (r == p - r && (q & 1)))
    q++;
  int64_t res;
  if (__builtin_mul_overflow(q, p, &res))
    tr_overflow();
  return res;
}

void tr_op_round(const TrValue *a, int64_t n, TrValue *out) {
  const TrValue *x = &a[0];
  bool has_nd = n > 1 && a[1].tag != TR_NONE;
  if (has_nd && a[1].tag != TR_INT && a[1].tag != TR_BOOL)
    tr_fail("'%s' object cannot be interpreted as an integer", tr_type_name(&a[1]));
  if (x->tag == TR_INT || x->tag == TR_BOOL) {
    *out = tr_int(has_nd ? round_int(x->u.i, a[1].u.i) : x->u.i);
  } else if (x->tag == TR_FLOAT) {
    if (has_nd)
      *out = tr_float(tr_round_half_even(x->u.f, a[1].u.i));
    else
      *out = tr_int(int_from_float(nearbyint(x->u.f))); /* ties to even */
  } else {
    tr_fail("type %s doesn't define __round__ method", tr_type_name(x));
  }
}

void tr_op_eq(const TrValue *a, int64_t n, TrValue *out) { *out = tr_bool(tr_equal(&a[0], &a[1])); }
void tr_op_ne(const TrValue *a, int64_t n, TrValue *out) { *out = tr_bool(!tr_equal(&a[0], &a[1])); }
void tr_op_lt(const TrValue *a, int64_t n, TrValue *out) {
  *out = tr_bool(tr_compare(&a[0], &a[1], CMP_LT));
}
void tr_op_le(const TrValue *a, int64_t n, TrValue *out) {
  *out = tr_bool(tr_compare(&a[0], &a[1], CMP_LE));
}
void tr_op_gt(const TrValue *a, int64_t n, TrValue *out) {
  *out = tr_bool(tr_compare(&a[0], &a[1], CMP_GT));
}
void tr_op_ge(const TrValue *a, int64_t n, TrValue *out) {
  *out = tr_bool(tr_compare(&a[0], &a[1], CMP_GE));
}
void tr_op_not_(const TrValue *a, int64_t n, TrValue *out) { *out = tr_bool(!tr_truthy(a)); }
