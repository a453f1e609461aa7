/* ops_arith.c - the arithmetic operators on tagged values (operator.add and
 * friends, abs, unary - and +), with Python's coercions: bool acts as int,
 * int meets float as float, str/list/tuple concatenate and repeat. */
#include <math.h>
#include <string.h>

#include "rt.h"

static const char *sym[] = {"+", "-", "*", "/", "//", "%", "** or pow()"};

static inline bool is_intlike(const TrValue *v) { return v->tag == TR_INT || v->tag == TR_BOOL; }
static inline bool is_num(const TrValue *v) { return is_intlike(v) || v->tag == TR_FLOAT; }
static inline double as_f(const TrValue *v) {
  return v->tag == TR_FLOAT ? v->u.f : tr_int_to_float_slow(v->u.i);
}

static TrValue int_arith(int op, int64_t a, int64_t b) {
  int64_t r;
  switch (op) {
  case AR_ADD:
    if (tr_is_big(a) || tr_is_big(b) || __builtin_add_overflow(a, b, &r) || tr_is_big(r))
      r = tr_int_add_slow(a, b);
    return tr_int(r);
  case AR_SUB:
    if (tr_is_big(a) || tr_is_big(b) || __builtin_sub_overflow(a, b, &r) || tr_is_big(r))
      r = tr_int_sub_slow(a, b);
    return tr_int(r);
  case AR_MUL:
    if (tr_is_big(a) || tr_is_big(b) || __builtin_mul_overflow(a, b, &r) || tr_is_big(r))
      r = tr_int_mul_slow(a, b);
    return tr_int(r);
  case AR_TRUEDIV:
    if (b == 0)
      tr_zero_division("division by zero");
    if (tr_is_big(a) || tr_is_big(b)) /* through floats, not Python's exact quotient */
      return tr_float(tr_int_to_float_slow(a) / tr_int_to_float_slow(b));
    return tr_float((double)a / (double)b);
  case AR_FLOORDIV: return tr_int(tr_int_floordiv(a, b));
  case AR_MOD: return tr_int(tr_int_mod(a, b));
  default:
    if (tr_is_big(b) || b >= 0)
      return tr_int(tr_int_pow(a, b));
    if (a == 0)
      tr_zero_division("0.0 cannot be raised to a negative power");
    return tr_float(pow(tr_int_to_float_slow(a), (double)b)); /* Python: int ** -n is a float */
  }
}

static TrValue float_arith(int op, double a, double b) {
  switch (op) {
  case AR_ADD: return tr_float(a + b);
  case AR_SUB: return tr_float(a - b);
  case AR_MUL: return tr_float(a * b);
  case AR_TRUEDIV:
    if (b == 0)
      tr_zero_division("float division by zero");
    return tr_float(a / b);
  case AR_FLOORDIV: return tr_float(tr_float_floordiv(a, b));
  case AR_MOD: return tr_float(tr_float_mod(a, b));
  default: return tr_float(tr_float_pow(a, b));
  }
}

static TrValue concat(const TrValue *a, const TrValue *b) {
  if (a->tag == TR_STR) {
    const TrStr *x = a->u.p, *y = b->u.p;
    TrStr *s = tr_str_alloc(x->len + y->len);
    memcpy(s->data, x->data, (size_t)x->len);
    memcpy(s->data + x->len, y->data, (size_t)y->len);
    return tr_obj(TR_STR, s);
  }
  const TrSeq *x = a->u.p, *y = b->u.p;
  TrSeq *s = tr_seq_new(x->len + y->len);
  for (int64_t i = 0; i < x->len; i++)
    s->items[i] = x->items[i];
  for (int64_t i = 0; i < y->len; i++)
    s->items[x->len + i] = y->items[i];
  for (int64_t i = 0; i < s->len; i++)
    tr_incref(&s->items[i]);
  return tr_obj(a->tag, s);
}

static TrValue repeat(const TrValue *seq, int64_t n) {
  if (n < 0)
    n = 0;
  if (seq->tag == TR_STR) {
    const TrStr *x = seq->u.p;
    int64_t len;
    if (__builtin_mul_overflow(x->len, n, &len))
      tr_overflow();
    TrStr *s = tr_str_alloc(len);
    for (int64_t i = 0; i < n; i++)
      memcpy(s->data + i * x->len, x->data, (size_t)x->len);
    return tr_obj(TR_STR, s);
  }
  const TrSeq *x = seq->u.p;
  int64_t len;
  if (__builtin_mul_overflow(x->len, n, &len))
    tr_overflow();
  TrSeq *s = tr_seq_new(len);
  for (int64_t i = 0; i < len; i++) {
    s->items[i] = x->items[i % x->len];
    tr_incref(&s->items[i]);
  }
  return tr_obj(seq->tag, s);
}

static bool is_seq(const TrValue *v) {
  return v->tag == TR_STR || v->tag == TR_LIST || v->tag == TR_TUPLE;
}

TrValue tr_arith(int op, const TrValue *a, const TrValue *b) {
  if (is_intlike(a) && is_intlike(b))
    return int_arith(op, a->u.i, b->u.i);
  if (is_num(a) && is_num(b))
    return float_arith(op, as_f(a), as_f(b));
  if (op == AR_ADD && a->tag == b->tag && is_seq(a))
    return concat(a, b);
  if (op == AR_MUL && is_seq(a) && is_intlike(b))
    return repeat(a, b->u.i);
  if (op == AR_MUL && is_intlike(a) && is_seq(b))
    return repeat(b, a->u.i);
  if (op == AR_MUL && (is_seq(a) || is_seq(b)))
    tr_fail("can't multiply sequence by non-int of type '%s'",
            tr_type_name(is_seq(a) ? b : a));
  tr_fail("unsupported operand type(s) for %s: '%s' and '%s'", sym[op], tr_type_name(a),
          tr_type_name(b));
}

void tr_op_add(const TrValue *a, int64_t n, TrValue *out) { *out = tr_arith(AR_ADD, &a[0], &a[1]); }
void tr_op_sub(const TrValue *a, int64_t n, TrValue *out) { *out = tr_arith(AR_SUB, &a[0], &a[1]); }
void tr_op_mul(const TrValue *a, int64_t n, TrValue *out) { *out = tr_arith(AR_MUL, &a[0], &a[1]); }
void tr_op_truediv(const TrValue *a, int64_t n, TrValue *out) {
  *out = tr_arith(AR_TRUEDIV, &a[0], &a[1]);
}
void tr_op_floordiv(const TrValue *a, int64_t n, TrValue *out) {
  *out = tr_arith(AR_FLOORDIV, &a[0], &a[1]);
}
void tr_op_mod(const TrValue *a, int64_t n, TrValue *out) { *out = tr_arith(AR_MOD, &a[0], &a[1]); }
void tr_op_pow(const TrValue *a, int64_t n, TrValue *out) { *out = tr_arith(AR_POW, &a[0], &a[1]); }

void tr_op_neg(const TrValue *a, int64_t n, TrValue *out) {
  if (is_intlike(a)) {
    int64_t v = a->u.i, r = -v; /* of a plain v, -v may be reserved */
    *out = tr_int(tr_is_big(v) || tr_is_big(r) ? tr_int_neg_slow(v) : r);
  } else if (a->tag == TR_FLOAT) {
    *out = tr_float(-a->u.f);
  } else {
    tr_fail("bad operand type for unary -: '%s'", tr_type_name(a));
  }
}

void tr_op_pos(const TrValue *a, int64_t n, TrValue *out) {
  if (!is_num(a))
    tr_fail("bad operand type for unary +: '%s'", tr_type_name(a));
  *out = a->tag == TR_BOOL ? tr_int(a->u.i) : *a;
}

void tr_op_abs(const TrValue *a, int64_t n, TrValue *out) {
  if (is_intlike(a)) {
    int64_t v = a->u.i;
    *out = tr_int(tr_is_big(v) ? tr_int_abs_slow(v) : v < 0 ? -v : v);
  } else if (a->tag == TR_FLOAT) {
    *out = tr_float(fabs(a->u.f));
  } else {
    tr_fail("bad operand type for abs(): '%s'", tr_type_name(a));
  }
}
