/* test_rt_ops.c - the tr_op_* builtins and arithmetic helpers against
 * CPython 3.11's results and messages (expected values taken from
 * /usr/bin/python3). A failing op shows as "!MESSAGE". */
#include "test_rt_util.h"

typedef void (*OpFn)(const TrValue *, int64_t, TrValue *);

/* values made by the test, freed at the end */
static TrValue pool[256];
static int npool;
static TrValue keep(TrValue v) { return pool[npool++] = v; }
static TrValue I(int64_t i) { return tr_int(i); }
static TrValue F(double f) { return tr_float(f); }
static TrValue B(bool b) { return tr_bool(b); }
static TrValue S(const char *s) { return keep(tr_str_value(s, (int64_t)strlen(s))); }
static TrValue seq(int64_t tag, int n, const TrValue *v) {
  TrSeq *s = tr_seq_new(n);
  for (int i = 0; i < n; i++) {
    s->items[i] = v[i];
    tr_incref(&v[i]);
  }
  return keep(tr_obj(tag, s));
}
#define L(...) seq(TR_LIST, sizeof((TrValue[]){__VA_ARGS__}) / sizeof(TrValue), (TrValue[]){__VA_ARGS__})
#define T(...) seq(TR_TUPLE, sizeof((TrValue[]){__VA_ARGS__}) / sizeof(TrValue), (TrValue[]){__VA_ARGS__})
static const TrValue EMPTY_LIST_ARGS[1];

static char result[TR_MSG_MAX + 8];

/* repr of op(args), or "!" + the failure message */
static const char *call(OpFn op, int n, const TrValue *args) {
  jmp_buf jb, *prev = tr_fail_jmp;
  if (setjmp(jb)) {
    tr_fail_jmp = prev;
    snprintf(result, sizeof result, "!%s", tr_fail_msg);
    return result;
  }
  tr_fail_jmp = &jb;
  TrValue out;
  op(args, n, &out);
  tr_fail_jmp = prev;
  char *r = tr_repr(&out);
  snprintf(result, sizeof result, "%s", r);
  free(r);
  tr_decref(&out);
  return result;
}
#define OP(op, want, ...) \
  CHECK_STR(call(tr_op_##op, sizeof((TrValue[]){__VA_ARGS__}) / sizeof(TrValue), (TrValue[]){__VA_ARGS__}), want)

static void test_arith(void) {
  OP(floordiv, "3", I(7), I(2));
  OP(floordiv, "-4", I(-7), I(2));
  OP(floordiv, "-4", I(7), I(-2));
  OP(floordiv, "3", I(-7), I(-2));
  OP(mod, "1", I(-7), I(2));
  OP(mod, "-1", I(7), I(-2));
  OP(floordiv, "-4.0", F(-7), I(2));
  OP(mod, "1.0", F(-7), I(2));
  OP(mod, "-1.0", F(7), F(-2));
  OP(mod, "-0.0", F(0), F(-2));
  OP(floordiv, "!integer division or modulo by zero", I(1), I(0));
  OP(mod, "!integer modulo by zero", I(1), I(0));
  OP(truediv, "!division by zero", I(1), I(0));
  OP(truediv, "!float division by zero", F(1), I(0));
  OP(floordiv, "!float floor division by zero", F(1), F(0));
  OP(mod, "!float modulo", F(1), F(0));
  OP(truediv, "0.5", I(1), I(2));
  OP(add, "2", I(1), B(true));
  OP(add, "2.5", I(1), F(1.5));
  /* past int64: Python's big ints (runtime/bigint*.c) */
  OP(add, "9223372036854775808", I(INT64_MAX), I(1));
  OP(mul, "18446744073709551614", I(INT64_MAX), I(2));
  OP(sub, "-9223231299366420482", I(TR_BIG_LIMIT), I(2)); /* tr_int(): plain only */
  OP(neg, "-9223372036854775807", I(INT64_MAX));
  OP(add, "!unsupported operand type(s) for +: 'int' and 'str'", I(1), S("a"));
  OP(add, "'ab'", S("a"), S("b"));
  OP(add, "[1, 2]", L(I(1)), L(I(2)));
  OP(add, "(1, 2)", T(I(1)), T(I(2)));
  OP(mul, "'ababab'", S("ab"), I(3));
  OP(mul, "[0, 0, 0]", I(3), L(I(0)));
  OP(mul, "!can't multiply sequence by non-int of type 'str'", S("a"), S("b"));
  OP(pow, "1024", I(2), I(10));
  OP(pow, "0.5", I(2), I(-1));
  OP(pow, "9223372036854775808", I(2), I(63));
  OP(pow, "!0.0 cannot be raised to a negative power", I(0), I(-1));
  OP(pow, "1.4142135623730951", I(2), F(0.5));
  OP(abs, "3", I(-3));
  OP(abs, "!bad operand type for abs(): 'NoneType'", (TrValue){0});
  OP(pos, "1", B(true));
}

static int64_t int_pow_neg(void) { return tr_int_pow(2, -1); }

static void test_helpers(void) {
  CHECK(tr_int_floordiv(-1, 3) == -1);
  CHECK(tr_int_mod(-1, 3) == 2);
  CHECK(tr_int_mod(TR_BIG_LIMIT, -1) == 0);
  CHECK(tr_int_pow(3, 4) == 81);
  CHECK(tr_float_floordiv(7.5, 2) == 3.0);
  CHECK(tr_float_mod(-1.0, 3) == 2.0);
  CHECK(tr_round_half_even(2.675, 2) == 2.67);
  CHECK(tr_round_half_even(0.125, 2) == 0.12);
  CHECK(tr_round_half_even(1234.5, -1) == 1230.0);
  jmp_buf jb, *prev = tr_fail_jmp;
  if (setjmp(jb) == 0) {
    tr_fail_jmp = &jb;
    int_pow_neg();
    CHECK(!"tr_int_pow(2, -1) returned");
  }
  tr_fail_jmp = prev;
  CHECK_STR(tr_fail_msg, "negative int exponent is not supported (int64)");
}

static void test_round_conv(void) {
  OP(round, "2", F(2.5));
  OP(round, "4", F(3.5));
  OP(round, "-2", F(-2.5));
  OP(round, "0", F(-0.5));
  OP(round, "2.67", F(2.675), I(2));
  OP(round, "1200", I(1250), I(-2));
  OP(round, "1400", I(1350), I(-2));
  OP(round, "-0.0", F(-0.4), I(0));
  OP(round, "!cannot convert float NaN to integer", F(NAN));
  OP(int, "12", S("  12 "));
  OP(int, "1000", S("1_000"));
  OP(int, "-9223372036854775808", S("-9223372036854775808"));
  OP(int, "9223372036854775808", S("9223372036854775808"));
  OP(int, "!invalid literal for int() with base 10: 'x'", S("x"));
  OP(int, "3", F(3.9));
  OP(int, "-3", F(-3.9));
  OP(int, "!cannot convert float infinity to integer", F(INFINITY));
  OP(float, "100000.0", S("1e5"));
  OP(float, "-inf", S("-Infinity"));
  OP(float, "!could not convert string to float: 'x'", S("x"));
  OP(float, "!could not convert string to float: '0x10'", S("0x10"));
  OP(str, "'1.5'", F(1.5));
  OP(str, "'a'", S("a"));
  OP(str, "\"[1, 'a']\"", L(I(1), S("a")));
  OP(bool, "False", L());
  OP(bool, "True", S("x"));
}

static void test_compare(void) {
  OP(lt, "True", I(1), F(1.5));
  OP(lt, "True", S("a"), S("b"));
  OP(lt, "True", L(I(1), I(2)), L(I(1), I(3)));
  OP(lt, "False", T(I(1), I(2)), T(I(1)));
  OP(eq, "True", I(1), F(1.0));
  OP(eq, "True", B(true), I(1));
  OP(eq, "False", L(I(1)), T(I(1)));
  OP(ne, "True", S("a"), S("b"));
  OP(lt, "False", F(NAN), I(1));
  OP(ge, "False", F(NAN), F(NAN));
  OP(lt, "!'<' not supported between instances of 'int' and 'str'", I(1), S("a"));
  OP(eq, "True", I(9007199254740993), I(9007199254740993));
  OP(eq, "False", I(9007199254740993), F(9007199254740992.0));
  OP(not_, "True", I(0));
}

static void test_seq(void) {
  TrDict *d = tr_dict_new();
  TrValue k = tr_str_value("a", 1), v = tr_int(1);
  tr_dict_set(d, &k, &v);
  TrValue dv = keep(tr_obj(TR_DICT, d));
  OP(getitem, "3", L(I(1), I(2), I(3)), I(-1));
  OP(getitem, "!list index out of range", L(I(1)), I(5));
  OP(getitem, "!tuple index out of range", T(I(1)), I(-2));
  OP(getitem, "!string index out of range", S("ab"), I(2));
  OP(getitem, "'\xc3\xa9'", S("h\xc3\xa9llo"), I(1));
  OP(getitem, "1", dv, S("a"));
  OP(getitem, "!KeyError: 'b'", dv, S("b"));
  OP(getitem, "!list indices must be integers or slices, not str", L(I(1)), S("a"));
  OP(getitem, "!'int' object is not subscriptable", I(1), I(0));
  OP(sum, "6", L(I(1), I(2), I(3)));
  OP(sum, "3.5", L(I(1), F(2.5)));
  OP(sum, "[1, 2]", L(L(I(1)), L(I(2))), L());
  OP(sum, "9223372036854775808", L(I(INT64_MAX), I(1)));
  OP(sum, "!sum() can't sum strings [use ''.join(seq) instead]", L(S("a")), S(""));
  OP(min, "!min() arg is an empty sequence", L());
  OP(max, "!max() arg is an empty sequence", T());
  OP(max, "3", I(3), I(1), I(2));
  OP(min, "1", L(I(3), I(1), I(2)));
  OP(max, "'c'", S("abc"));
  OP(max, "!'int' object is not iterable", I(1));
  OP(any, "True", L(I(0), I(1)));
  OP(all, "True", L());
  OP(all, "False", L(I(1), S("")));
  OP(len, "5", S("h\xc3\xa9llo"));
  OP(len, "1", dv);
  OP(len, "!object of type 'int' has no len()", I(1));
  OP(sorted, "[(0, 'z'), (1, 'a'), (1, 'b')]", L(T(I(1), S("b")), T(I(1), S("a")), T(I(0), S("z"))));
  OP(sorted, "!'<' not supported between instances of 'str' and 'int'", L(I(1), S("a")));
  OP(list, "['a', 'b']", S("ab"));
  OP(list, "['a']", dv);
  OP(tuple, "(1,)", L(I(1)));
  CHECK_STR(call(tr_op_list, 0, EMPTY_LIST_ARGS), "[]");
  CHECK_STR(call(tr_op_tuple, 0, EMPTY_LIST_ARGS), "()");
}

static void test_math(void) {
  OP(math_sqrt, "2.0", I(4));
  OP(math_sqrt, "!math domain error", F(-1));
  OP(math_sqrt, "!must be real number, not str", S("a"));
  OP(math_log, "!math domain error", I(0));
  OP(math_log, "3.0", I(8), I(2));
  OP(math_log, "!float division by zero", I(2), I(1));
  OP(math_exp, "!math range error", I(1000));
  OP(math_floor, "2", F(2.5));
  OP(math_ceil, "3", F(2.1));
  OP(math_floor, "-3", F(-2.5));
  OP(math_pow, "!math domain error", I(0), I(-1));
  OP(math_pow, "8.0", I(2), I(3));
  OP(math_isnan, "True", F(NAN));
  OP(math_fabs, "2.0", I(-2));
  OP(time_sleep, "!sleep length must be non-negative", I(-1));
  OP(time_sleep, "None", F(0.001));
  TrValue lo = F(2), hi = F(3), out;
  tr_op_random_uniform((TrValue[]){lo, hi}, 2, &out);
  CHECK(out.tag == TR_FLOAT && out.u.f >= 2 && out.u.f < 3);
  tr_op_random_random(NULL, 0, &out);
  CHECK(out.tag == TR_FLOAT && out.u.f >= 0 && out.u.f < 1);
}

/* Every SCALAR op of ir/ops.def has its tr_op_<id> in the runtime: this
 * table of their addresses does not link otherwise. */
#undef OP
enum {
#define OP(id, name, mina, maxa, purity, fold, rule, family) ROW_##id,
#include "ops.def"
#undef OP
  OP_ROWS
};
#define ADDR_SCALAR(fn) fn,
#define ADDR_CHUNK_ELEM(fn)
#define ADDR_CHUNK_REDUCE(fn)
#define ADDR_CHUNK_BLOCK(fn)
static void (*const scalar_ops[])(const TrValue *, int64_t, TrValue *) = {
#define OP(id, name, mina, maxa, purity, fold, rule, family)                   \
  ADDR_##family(tr_op_##id)
#include "ops.def"
#undef OP
};

static void test_all_defined(void) {
  size_t n = sizeof scalar_ops / sizeof *scalar_ops;
  for (size_t i = 0; i < n; i++)
    CHECK(scalar_ops[i] != NULL);
  CHECK(n > 0 && n < OP_ROWS);
}

int main(void) {
  int64_t live0 = tr_live_objects();
  test_all_defined();
  test_arith();
  test_helpers();
  test_round_conv();
  test_compare();
  test_seq();
  test_math();
  for (int i = 0; i < npool; i++)
    tr_decref(&pool[i]);
  CHECK(tr_live_objects() == live0);
  if (failures)
    fprintf(stderr, "%d check(s) failed\n", failures);
  return failures != 0;
}
