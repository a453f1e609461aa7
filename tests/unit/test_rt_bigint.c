/* test_rt_bigint.c - the slow paths of Python's ints (runtime/bigint*.c):
 * random operands near and past int64 against __int128 arithmetic where
 * the result fits it, exact decimal strings past it (from /usr/bin/python3),
 * normalisation, float rounding, and the arena a task's bigs live in. */
#include "test_rt_util.h"

/* v's decimal text (the runtime's own, GMP's mpz_get_str) */
static char text[4096];
static const char *dec(int64_t v) {
  size_t n;
  char *s = tr_int_text(v, &n);
  snprintf(text, sizeof text, "%s", s);
  free(s);
  return text;
}

static const char *dec128(__int128 x) {
  static char buf[64];
  char tmp[64];
  int n = 0;
  unsigned __int128 u = x < 0 ? -(unsigned __int128)x : (unsigned __int128)x;
  do
    tmp[n++] = (char)('0' + (int)(u % 10));
  while (u /= 10);
  int k = 0;
  if (x < 0)
    buf[k++] = '-';
  while (n)
    buf[k++] = tmp[--n];
  buf[k] = 0;
  return buf;
}

static uint64_t rng = 88172645463325252ull;
static int64_t rand64(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  switch (rng % 5) { /* near the edges, small, -1, and anything plain */
  case 4: return -1;
  case 0: return INT64_MAX - (int64_t)(rng >> 40);
  case 1: return TR_BIG_LIMIT + (int64_t)(rng >> 40);
  case 2: return (int64_t)(rng >> 50) - 8192;
  default: return tr_is_big((int64_t)rng) ? 7 : (int64_t)rng;
  }
}

/* a plain value iff it fits outside the reserved range */
static void check_norm(int64_t v, __int128 want) {
  bool plain = want >= TR_BIG_LIMIT && want <= INT64_MAX;
  CHECK(tr_is_big(v) != plain);
  if (plain)
    CHECK(v == (int64_t)want);
}

static void test_random_vs_int128(void) {
  for (int i = 0; i < 20000; i++) {
    int64_t a = rand64(), b = rand64();
    __int128 s = (__int128)a + b, d = (__int128)a - b, p = (__int128)a * b;
    int64_t rs = tr_int_add_slow(a, b), rd = tr_int_sub_slow(a, b), rp = tr_int_mul_slow(a, b);
    check_norm(rs, s);
    check_norm(rd, d);
    check_norm(rp, p);
    CHECK_STR(dec(rs), dec128(s));
    CHECK_STR(dec(rd), dec128(d));
    CHECK_STR(dec(rp), dec128(p));
    /* back down: (a*b + a) // b == a (+ floor), (a*b) % b == 0 */
    if (b != 0) {
      CHECK(tr_int_floordiv(rp, b) == a);
      CHECK(tr_int_mod(rp, b) == 0);
      CHECK(tr_int_cmp_slow(tr_int_sub_slow(rp, b), rp) == (b > 0 ? -1 : 1));
    }
    CHECK(tr_int_cmp_slow(a, b) == (a < b ? -1 : a > b));
    if (b != 0) { /* floor division and modulo of plain operands */
      __int128 q = (__int128)a / b, m = (__int128)a % b;
      if (m != 0 && ((m < 0) != (b < 0))) {
        q--;
        m += b;
      }
      int64_t rq = tr_int_floordiv(a, b), rm = tr_int_mod(a, b);
      check_norm(rq, q);
      check_norm(rm, m);
      CHECK_STR(dec(rq), dec128(q));
    }
    CHECK(tr_int_sub_slow(rs, b) == a); /* (a + b) - b normalises to a */
  }
}

static void test_exact(void) {
  CHECK_STR(dec(tr_int_pow(2, 70)), "1180591620717411303424");
  CHECK_STR(dec(tr_int_pow(-3, 41)), "-36472996377170786403");
  int64_t f = 1;
  for (int i = 2; i <= 30; i++)
    f = tr_int_mul_slow(f, i);
  CHECK_STR(dec(f), "265252859812191058636308480000000");
  CHECK_STR(dec(tr_int_floordiv(tr_int_neg_slow(tr_int_pow(2, 70)), 7)),
            "-168655945816773043347");
  CHECK(tr_int_mod(tr_int_pow(2, 70), -7) == -5);
  CHECK_STR(dec(tr_int_floordiv(INT64_MAX, -1)), "-9223372036854775807"); /* reserved */
  CHECK_STR(dec(tr_int_shift_slow(1, 100, 1)), "1267650600228229401496703205376");
  CHECK(tr_int_shift_slow(tr_int_neg_slow(tr_int_pow(2, 100)), 99, 0) == -2);
  CHECK_STR(dec(tr_int_bit_slow(tr_int_pow(2, 70), 0, '~')), "-1180591620717411303425");
  CHECK(tr_int_bit_slow(tr_int_pow(2, 70), tr_int_sub_slow(tr_int_pow(2, 70), 1), '&') == 0);
  CHECK_STR(dec(tr_int_from_digits("123456789012345678901234567890", 30, true)),
            "-123456789012345678901234567890");
  CHECK(tr_int_from_digits("000000000000000000000042", 24, false) == 42);
  CHECK_STR(dec(tr_int_from_float_slow(1e30)), "1000000000000000019884624838656");
  /* -2^63 is in the reserved range: a big, printed exactly */
  CHECK_STR(dec(tr_int_neg_slow(tr_int_pow(2, 63))), "-9223372036854775808");
  CHECK(tr_is_big(tr_int_sub_slow(TR_BIG_LIMIT, 1)));
  CHECK(tr_int_add_slow(tr_int_sub_slow(TR_BIG_LIMIT, 1), 1) == TR_BIG_LIMIT);
}

static void test_float(void) {
  CHECK(tr_int_to_float_slow(tr_int_pow(2, 80)) == 0x1p80);
  /* 2^54 + 3 rounds half to even up to 2^54 + 4; 2^54 + 1 down */
  CHECK(tr_int_to_float_slow(tr_int_add_slow(tr_int_pow(2, 60), 0)) == 0x1p60);
  int64_t h = tr_int_add_slow(tr_int_pow(2, 80), tr_int_pow(2, 27)); /* a tie */
  CHECK(tr_int_to_float_slow(h) == 0x1p80);
  int64_t up = tr_int_add_slow(h, 1);
  CHECK(tr_int_to_float_slow(up) == 0x1p80 + 0x1p28);
  int64_t odd = tr_int_add_slow(tr_int_pow(2, 80), 3 * ((int64_t)1 << 27)); /* tie, odd */
  CHECK(tr_int_to_float_slow(odd) == 0x1p80 + 0x1p29);
  CHECK(tr_int_float_cmp(tr_int_pow(2, 70), 0x1p70) == 0);
  CHECK(tr_int_float_cmp(tr_int_add_slow(tr_int_pow(2, 70), 1), 0x1p70) == 1);
  CHECK(tr_int_float_cmp(tr_int_pow(10, 400), INFINITY) == -1);
  CHECK(tr_int_float_cmp(tr_int_pow(10, 400), NAN) == 2);
  CHECK(tr_int_hash_slow(tr_int_pow(2, 70)) == tr_int_hash_slow(tr_int_mul_slow(tr_int_pow(2, 35), tr_int_pow(2, 35))));
}

/* A task's bigs are freed when it ends; those of its result are kept. */
static void test_arena(void) {
  tr_big_task_begin();
  int64_t t = tr_int_pow(7, 100);
  TrSeq *s = tr_seq_new(2);
  s->items[0] = tr_int(tr_int_pow(2, 90));
  s->items[1] = tr_int(5);
  TrValue res = tr_obj(TR_LIST, s);
  (void)t;
  tr_big_task_end(&res);
  CHECK(tr_is_big(s->items[0].u.i));
  char *r = tr_repr(&res);
  CHECK_STR(r, "[1237940039285380274899124224, 5]");
  free(r);
  tr_decref(&res);
}

int main(void) {
  test_random_vs_int128();
  test_exact();
  test_float();
  test_arena();
  return failures != 0;
}
