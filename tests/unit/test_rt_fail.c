/* test_rt_fail.c - a failing task stops the run: exact error line on
 * stderr, exit status 1, no hang while other workers sleep (in a long task
 * or idle), print() output of earlier tasks kept. */
#include "test_rt_util.h"

static void k_int(const TrValue *in, const TrValue *k, TrValue *out) { *out = k[0]; }
static void k_div(const TrValue *in, const TrValue *k, TrValue *out) {
  *out = tr_int(tr_int_floordiv(in[0].u.i, k[0].u.i));
}
static void k_extern_err(const TrValue *in, const TrValue *k, TrValue *out) {
  tr_error("bad input from C");
}
static void k_sleep(const TrValue *in, const TrValue *k, TrValue *out) {
  tr_sleep(k[0].u.f);
  *out = tr_int(1);
}
static void k_add(const TrValue *in, const TrValue *k, TrValue *out) {
  TrValue a[2] = {in[0], k[0]};
  tr_op_add(a, 2, out);
}
static void k_print(const TrValue *in, const TrValue *k, TrValue *out) {
  tr_print(k, 1);
  *out = tr_int(0);
}

static void check_fail(const TrProgram *p, const char *want_err, bool fast) {
  for (int th = 1; th <= 4; th *= 2) {
    char n[12]; /* any int */
    snprintf(n, sizeof n, "%d", th);
    const char *args[] = {"--threads", n, NULL};
    Child c;
    run_child(p, args, &c);
    CHECK(c.status == 1);
    CHECK_STR(c.err, want_err);
    if (fast && c.secs > 2.0) {
      fprintf(stderr, "threads %d: took %.2fs\n", th, c.secs);
      failures++;
    }
  }
}

static void test_div_zero(void) {
  Builder b;
  b_init(&b, 8, 8, 8);
  uint32_t ki = b_kind(&b, k_int, "int"), kd = b_kind(&b, k_div, "div");
  TrValue seven = tr_int(7), zero = tr_int(0);
  uint32_t x = b_task(&b, ki, NULL, 0, &seven, 1, 0, "'x'");
  uint32_t d = b_task(&b, kd, &x, 1, &zero, 1, 1, "'div-3'");
  b_output(&b, "d", d);
  check_fail(b_finish(&b, "div"),
             "error: task 'div-3' failed: integer division or modulo by zero\n", false);
  b_free(&b);
}

static void test_tuple_key(void) {
  Builder b;
  b_init(&b, 8, 8, 8);
  uint32_t ke = b_kind(&b, k_extern_err, "ext");
  uint32_t t = b_task(&b, ke, NULL, 0, NULL, 0, 0, "('a', 0)");
  b_output(&b, "t", t);
  check_fail(b_finish(&b, "tuple"), "error: task ('a', 0) failed: bad input from C\n", false);
  b_free(&b);
}

/* The failing task runs first; three others sleep 5 s each. */
static void test_fail_while_sleeping(void) {
  Builder b;
  b_init(&b, 8, 8, 8);
  uint32_t ks = b_kind(&b, k_sleep, "sleep"), ke = b_kind(&b, k_extern_err, "ext");
  TrValue secs = tr_float(5.0);
  uint32_t e = b_task(&b, ke, NULL, 0, NULL, 0, 0, "'boom'");
  b_output(&b, "e", e);
  for (int i = 0; i < 3; i++)
    b_output(&b, "s", b_task(&b, ks, NULL, 0, &secs, 1, 1 + i, "'nap'"));
  check_fail(b_finish(&b, "sleepers"), "error: task 'boom' failed: bad input from C\n", true);
  b_free(&b);
}

/* A serial chain ends in a division by zero: the other workers are idle on
 * the condition variable and must be woken to exit. */
static void test_fail_while_idle(void) {
  Builder b;
  enum { N = 1000 };
  b_init(&b, N + 1, N + 1, N + 1);
  uint32_t ki = b_kind(&b, k_int, "int"), ka = b_kind(&b, k_add, "add");
  uint32_t kd = b_kind(&b, k_div, "div");
  TrValue start = tr_int(0), one = tr_int(1), zero = tr_int(0);
  uint32_t t = b_task(&b, ki, NULL, 0, &start, 1, 0, "'start'");
  for (int i = 1; i < N - 1; i++)
    t = b_task(&b, ka, &t, 1, &one, 1, i, "'add'");
  t = b_task(&b, kd, &t, 1, &zero, 1, N - 1, "('div', 999)");
  b_output(&b, "t", t);
  check_fail(b_finish(&b, "idle"),
             "error: task ('div', 999) failed: integer division or modulo by zero\n", true);
  b_free(&b);
}

static void test_output_kept(void) {
  Builder b;
  b_init(&b, 8, 8, 8);
  uint32_t kp = b_kind(&b, k_print, "print"), ka = b_kind(&b, k_add, "add");
  static TrStr hello = {{-1}, 5, "hello"};
  TrValue h = tr_obj(TR_STR, &hello);
  uint32_t p = b_task(&b, kp, NULL, 0, &h, 1, 0, "'p'");
  uint32_t a = b_task(&b, ka, &p, 1, &h, 1, 1, "'a'"); /* 0 + 'hello' */
  b_output(&b, "a", a);
  const TrProgram *prog = b_finish(&b, "kept");
  check_fail(prog, "error: task 'a' failed: unsupported operand type(s) for +: 'int' and 'str'\n",
             false);
  Child c;
  const char *args[] = {"--threads", "2", NULL};
  run_child(prog, args, &c);
  CHECK_STR(c.out, "hello\n");
  b_free(&b);
}

int main(void) {
  test_div_zero();
  test_tuple_key();
  test_fail_while_sleeping();
  test_fail_while_idle();
  test_output_kept();
  if (failures)
    fprintf(stderr, "%d check(s) failed\n", failures);
  return failures != 0;
}
