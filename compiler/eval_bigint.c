/* eval_bigint.c - Python's ints past int64 at the top level (V_BIG).
 *
 * The evaluator's ints are int64 (V_INT); an operation whose result does
 * not fit, or a literal past int64, makes a V_BIG: the decimal text of the
 * int (a leading '-' when negative) in the value's str. Arithmetic on them
 * goes through GMP and normalises back: a result that fits is a V_INT, so
 * equal ints are equal V_INTs and a V_BIG never holds an int64. Task
 * arguments carry the text (VAL_BIG), which the executable turns into its
 * own big ints when it starts (codegen/tables.c). A V_BIG where a machine
 * int is needed (an index, a range bound, a count) is a located taskc
 * limit (eval_need_int). */
#include <gmp.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval_int.h"

bool eval_is_intlike(const Value *v) {
  return v->kind == V_INT || v->kind == V_BOOL || v->kind == V_BIG;
}

/* v (V_INT, V_BOOL or V_BIG) into z, initialised here. */
static void to_mpz(mpz_t z, const Value *v) {
  if (v->kind == V_BIG) {
    mpz_init_set_str(z, v->str.s, 10);
    return;
  }
  int64_t i = v->kind == V_BOOL ? v->b : v->i;
  mpz_init(z);
  mpz_set_si(z, (long)i);
}

/* z as a Value (an int64 when it fits), z cleared. */
static Value *from_mpz(Eval *e, mpz_t z) {
  Value *r;
  if (mpz_fits_slong_p(z)) {
    r = eval_mk_int(e, (int64_t)mpz_get_si(z));
  } else {
    size_t n = mpz_sizeinbase(z, 10) + 2;
    char *s = arena_alloc(e->a, n);
    mpz_get_str(s, 10, z);
    r = v_new(e->a, V_BIG);
    r->str.s = s;
    r->str.len = (int)strlen(s);
  }
  mpz_clear(z);
  return r;
}

Value *eval_big_literal(Eval *e, const char *digits, bool neg) {
  mpz_t z;
  mpz_init_set_str(z, digits, 10);
  if (neg)
    mpz_neg(z, z);
  return from_mpz(e, z);
}

/* Python's int -> float: correctly rounded (strtod rounds the decimal text
 * half to even, as CPython rounds the binary), OverflowError past it. */
double eval_big_to_float(const Value *v, Loc loc) {
  if (v->kind != V_BIG)
    return v->kind == V_BOOL ? v->b : (double)v->i;
  double d = strtod(v->str.s, NULL);
  if (isinf(d))
    diag_error(loc, "int too large to convert to float");
  return d;
}

/* The power x ** y for y >= 0, bounded so that a runaway loop of squares
 * is an error, not an exhausted machine. */
static void power(mpz_t r, const mpz_t x, const mpz_t y, Loc loc) {
  if (!mpz_fits_ulong_p(y) || (mpz_cmpabs_ui(x, 1) > 0 &&
                               mpz_sizeinbase(x, 2) * mpz_get_ui(y) > (size_t)1 << 26))
    diag_error(loc, "taskc limit: the result of ** would have more than 2**26 bits");
  mpz_pow_ui(r, x, mpz_get_ui(y));
}

/* Python's true division of ints: the exact quotient correctly rounded
 * (half to even), from a 55-56 bit quotient and whether anything is left
 * over, as CPython's long_true_divide. */
static Value *true_div(Eval *e, mpz_t a, mpz_t b, Loc loc) {
  int neg = mpz_sgn(a) * mpz_sgn(b) < 0;
  mpz_t n, d, q, r;
  mpz_inits(n, d, q, r, NULL);
  mpz_abs(n, a);
  mpz_abs(d, b);
  long k = 55 - ((long)mpz_sizeinbase(n, 2) - (long)mpz_sizeinbase(d, 2));
  if (!mpz_sgn(n))
    k = 0;
  if (k >= 0)
    mpz_mul_2exp(n, n, (mp_bitcnt_t)k);
  else
    mpz_mul_2exp(d, d, (mp_bitcnt_t)-k);
  mpz_tdiv_qr(q, r, n, d);
  long extra = (long)mpz_sizeinbase(q, 2) - 53;
  if (extra < 0 || !mpz_sgn(q))
    extra = 0;
  mpz_t m, low;
  mpz_inits(m, low, NULL);
  mpz_tdiv_q_2exp(m, q, (mp_bitcnt_t)extra);
  mpz_tdiv_r_2exp(low, q, (mp_bitcnt_t)extra);
  if (extra) {
    int c = mpz_cmp_ui(low, 1ul << (extra - 1)); /* against half */
    if (c > 0 || (c == 0 && (mpz_sgn(r) || mpz_odd_p(m))))
      mpz_add_ui(m, m, 1);
  }
  double f = ldexp((double)mpz_get_ui(m), (int)(extra - k));
  mpz_clears(n, d, q, r, m, low, NULL);
  if (isinf(f))
    diag_error(loc, "integer division result too large for a float");
  return eval_mk_float(e, neg ? -f : f);
}

static Value *shift(Eval *e, OpCode op, mpz_t r, mpz_t x, mpz_t y, Loc loc) {
  if (mpz_sgn(y) < 0)
    diag_error(loc, "negative shift count");
  if (op == OP_RSHIFT) {
    if (!mpz_fits_ulong_p(y))
      mpz_set_si(r, mpz_sgn(x) < 0 ? -1 : 0);
    else
      mpz_fdiv_q_2exp(r, x, mpz_get_ui(y));
  } else {
    if (mpz_sgn(x) && (!mpz_fits_ulong_p(y) || mpz_get_ui(y) > (1ul << 26)))
      diag_error(loc, "taskc limit: the result of << would have more than 2**26 bits");
    mpz_mul_2exp(r, x, mpz_sgn(x) ? mpz_get_ui(y) : 0);
  }
  return from_mpz(e, r);
}

Value *eval_big_binop(Eval *e, OpCode op, const Value *xv, const Value *yv, Loc loc) {
  mpz_t x, y, r;
  to_mpz(x, xv);
  to_mpz(y, yv);
  mpz_init(r);
  Value *out = NULL;
  switch (op) {
  case OP_ADD: mpz_add(r, x, y); break;
  case OP_SUB: mpz_sub(r, x, y); break;
  case OP_MUL: mpz_mul(r, x, y); break;
  case OP_BITAND: mpz_and(r, x, y); break;
  case OP_BITOR: mpz_ior(r, x, y); break;
  case OP_BITXOR: mpz_xor(r, x, y); break;
  case OP_FLOORDIV: case OP_MOD:
    if (!mpz_sgn(y))
      diag_error(loc, "integer division or modulo by zero");
    if (op == OP_FLOORDIV)
      mpz_fdiv_q(r, x, y);
    else
      mpz_fdiv_r(r, x, y); /* floor: the sign of the divisor, as Python */
    break;
  case OP_DIV:
    if (!mpz_sgn(y))
      diag_error(loc, "division by zero");
    out = true_div(e, x, y, loc);
    break;
  case OP_POW:
    if (mpz_sgn(y) < 0) {
      if (!mpz_sgn(x))
        diag_error(loc, "0 cannot be raised to a negative power");
      out = eval_mk_float(e, pow(eval_big_to_float(xv, loc), eval_big_to_float(yv, loc)));
      break;
    }
    power(r, x, y, loc);
    break;
  case OP_LSHIFT: case OP_RSHIFT:
    out = shift(e, op, r, x, y, loc);
    mpz_clears(x, y, NULL);
    return out;
  default:
    diag_error(loc, "unsupported operator %s for ints", ast_opcode_str(op));
  }
  mpz_clears(x, y, NULL);
  if (out) {
    mpz_clear(r);
    return out;
  }
  return from_mpz(e, r);
}

Value *eval_big_unop(Eval *e, OpCode op, const Value *x, Loc loc) {
  mpz_t z;
  to_mpz(z, x);
  if (op == OP_NEG)
    mpz_neg(z, z);
  else if (op == OP_INVERT)
    mpz_com(z, z);
  else if (op != OP_POS)
    diag_error(loc, "bad operand type for unary %s: 'int'", ast_opcode_str(op));
  return from_mpz(e, z);
}

Value *eval_big_abs(Eval *e, const Value *x) {
  mpz_t z;
  to_mpz(z, x);
  mpz_abs(z, z);
  return from_mpz(e, z);
}

/* -1, 0, 1, or 2 when unordered (a NaN): exact, also against floats. */
int eval_big_cmp(const Value *x, const Value *y) {
  if (x->kind == V_FLOAT || y->kind == V_FLOAT) {
    const Value *b = x->kind == V_FLOAT ? y : x;
    double f = x->kind == V_FLOAT ? x->f : y->f;
    if (isnan(f))
      return 2;
    mpz_t z;
    to_mpz(z, b);
    int c = isinf(f) ? (f > 0 ? -1 : 1) : mpz_cmp_d(z, f);
    mpz_clear(z);
    c = c < 0 ? -1 : c > 0;
    return x->kind == V_FLOAT ? -c : c;
  }
  mpz_t a, b;
  to_mpz(a, x);
  to_mpz(b, y);
  int c = mpz_cmp(a, b);
  mpz_clears(a, b, NULL);
  return c < 0 ? -1 : c > 0;
}
