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

/* Every error is found before GMP allocates anything: a located error
 * longjmps out (diag_error), and GMP's memory, unlike the arena's, would
 * then leak. */

static int sign_of(const Value *v) {
  if (v->kind == V_BIG)
    return v->str.s[0] == '-' ? -1 : 1;
  int64_t i = v->kind == V_BOOL ? v->b : v->i;
  return (i > 0) - (i < 0);
}

/* At least the bits of |v|; a big's from its decimal digits. */
static double bits_of(const Value *v) {
  if (v->kind == V_BIG)
    return (double)v->str.len * 3.33;
  int64_t i = v->kind == V_BOOL ? v->b : v->i;
  return i ? 64 - __builtin_clzll(i < 0 ? 0 - (uint64_t)i : (uint64_t)i) : 0;
}

/* y as a count (shift, power), or -1 past 2**26 */
static int64_t small_count(const Value *y) {
  if (y->kind == V_BIG)
    return -1;
  int64_t i = y->kind == V_BOOL ? y->b : y->i;
  return i > ((int64_t)1 << 26) ? -1 : i;
}

static void check(OpCode op, const Value *x, const Value *y, Loc loc) {
  switch (op) {
  case OP_ADD: case OP_SUB: case OP_MUL: case OP_BITAND: case OP_BITOR: case OP_BITXOR:
    return;
  case OP_FLOORDIV: case OP_MOD:
    if (!sign_of(y))
      diag_error(loc, "integer division or modulo by zero");
    return;
  case OP_DIV:
    if (!sign_of(y))
      diag_error(loc, "division by zero");
    return;
  case OP_POW:
    if (sign_of(y) < 0 && !sign_of(x))
      diag_error(loc, "0 cannot be raised to a negative power");
    if (sign_of(y) > 0 && bits_of(x) > 1 &&
        (small_count(y) < 0 || bits_of(x) * (double)small_count(y) > (double)(1 << 26)))
      diag_error(loc, "taskc limit: the result of ** would have more than 2**26 bits");
    return;
  case OP_LSHIFT: case OP_RSHIFT:
    if (sign_of(y) < 0)
      diag_error(loc, "negative shift count");
    if (op == OP_LSHIFT && sign_of(x) && small_count(y) < 0)
      diag_error(loc, "taskc limit: the result of << would have more than 2**26 bits");
    return;
  default:
    diag_error(loc, "unsupported operator %s for ints", ast_opcode_str(op));
  }
}

/* Python's true division of ints: the exact quotient correctly rounded
 * (half to even), from a 55-56 bit quotient and whether anything is left
 * over, as CPython's long_true_divide. Infinite when it does not fit. */
static double true_div(mpz_t a, mpz_t b) {
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
  return neg ? -f : f;
}

static void shift(OpCode op, mpz_t r, mpz_t x, const Value *yv) {
  int64_t y = small_count(yv);
  if (op == OP_RSHIFT) {
    if (y < 0) /* past 2**26 bits: all of them gone */
      mpz_set_si(r, mpz_sgn(x) < 0 ? -1 : 0);
    else
      mpz_fdiv_q_2exp(r, x, (mp_bitcnt_t)y);
  } else {
    mpz_mul_2exp(r, x, mpz_sgn(x) ? (mp_bitcnt_t)y : 0);
  }
}

Value *eval_big_binop(Eval *e, OpCode op, const Value *xv, const Value *yv, Loc loc) {
  check(op, xv, yv, loc);
  if (op == OP_POW && sign_of(yv) < 0) /* a float: no big needed */
    return eval_mk_float(e, pow(eval_big_to_float(xv, loc), eval_big_to_float(yv, loc)));
  if (op == OP_POW && small_count(yv) < 0) { /* a huge power of 0, 1 or -1 */
    bool odd = yv->kind == V_BIG ? (yv->str.s[yv->str.len - 1] - '0') % 2 : yv->i % 2;
    return eval_mk_int(e, sign_of(xv) < 0 && !odd ? 1 : sign_of(xv));
  }
  mpz_t x, y, r;
  to_mpz(x, xv);
  to_mpz(y, yv);
  mpz_init(r);
  double f = 0;
  switch (op) {
  case OP_ADD: mpz_add(r, x, y); break;
  case OP_SUB: mpz_sub(r, x, y); break;
  case OP_MUL: mpz_mul(r, x, y); break;
  case OP_BITAND: mpz_and(r, x, y); break;
  case OP_BITOR: mpz_ior(r, x, y); break;
  case OP_BITXOR: mpz_xor(r, x, y); break;
  case OP_FLOORDIV: mpz_fdiv_q(r, x, y); break;
  case OP_MOD: mpz_fdiv_r(r, x, y); break; /* floor: the divisor's sign, as Python */
  case OP_DIV: f = true_div(x, y); break;
  case OP_POW: mpz_pow_ui(r, x, (unsigned long)small_count(yv)); break;
  default: shift(op, r, x, yv); break; /* << >> (check() let no other op by) */
  }
  mpz_clears(x, y, NULL);
  if (op != OP_DIV)
    return from_mpz(e, r);
  mpz_clear(r);
  if (isinf(f))
    diag_error(loc, "integer division result too large for a float");
  return eval_mk_float(e, f);
}

Value *eval_big_unop(Eval *e, OpCode op, const Value *x, Loc loc) {
  if (op != OP_NEG && op != OP_INVERT && op != OP_POS)
    diag_error(loc, "bad operand type for unary %s: 'int'", ast_opcode_str(op));
  mpz_t z;
  to_mpz(z, x);
  if (op == OP_NEG)
    mpz_neg(z, z);
  else if (op == OP_INVERT)
    mpz_com(z, z);
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
