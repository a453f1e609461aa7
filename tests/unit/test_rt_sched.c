/* test_rt_sched.c - the scheduler on hand-built graphs at 1, 2 and 4
 * threads: a wide map + tree reduction, a long chain, a diamond, repeated
 * inputs, priorities, values freed after their last use, and programs
 * declared constant (state reused from run to run, also after a failure). */
#include "test_rt_util.h"

/* leaf: [k0] (a heap value, so freeing is observable) */
static void k_leaf(const TrValue *in, const TrValue *k, TrValue *out) {
  TrSeq *s = tr_seq_new(1);
  s->items[0] = k[0];
  *out = tr_obj(TR_LIST, s);
}
/* inc: in0[0] + 1 */
static void k_inc(const TrValue *in, const TrValue *k, TrValue *out) {
  const TrSeq *s = in[0].u.p;
  *out = tr_int(s->items[0].u.i + 1);
}
/* sum of all inputs through the runtime's own op */
static void k_sum(const TrValue *in, const TrValue *k, TrValue *out) {
  int64_t n = k[0].u.i;
  TrValue acc = tr_int(0);
  for (int64_t i = 0; i < n; i++)
    acc = tr_int(acc.u.i + in[i].u.i);
  *out = acc;
}

/* 10000 leaves -> 10000 incs -> a 4-ary tree of sums. */
static const TrProgram *wide(Builder *b) {
  enum { N = 10000 };
  b_init(b, 3 * N, 3 * N, 3 * N);
  uint32_t leaf = b_kind(b, k_leaf, "leaf"), inc = b_kind(b, k_inc, "inc"),
           sum = b_kind(b, k_sum, "sum");
  uint32_t *level = malloc(N * sizeof *level), n = N;
  for (uint32_t i = 0; i < N; i++) {
    TrValue k = tr_int(i);
    uint32_t l = b_task(b, leaf, NULL, 0, &k, 1, (int32_t)(2 * i), NULL);
    level[i] = b_task(b, inc, &l, 1, NULL, 0, (int32_t)(2 * i + 1), NULL);
  }
  while (n > 1) {
    uint32_t m = 0;
    for (uint32_t i = 0; i < n; i += 4) {
      uint32_t fan = n - i < 4 ? n - i : 4;
      TrValue k = tr_int(fan);
      level[m++] = b_task(b, sum, level + i, fan, &k, 1, 3 * N, NULL);
    }
    n = m;
  }
  b_output(b, "total", level[0]);
  free(level);
  return b_finish(b, "wide");
}

/* chain: each link builds a new list [prev[0] + 1]; in one thread at most
 * two lists may be alive at any time. */
static int64_t chain_max_live;
static void k_link(const TrValue *in, const TrValue *k, TrValue *out) {
  int64_t prev = ((const TrSeq *)in[0].u.p)->items[0].u.i;
  TrSeq *s = tr_seq_new(1);
  s->items[0] = tr_int(prev + 1);
  *out = tr_obj(TR_LIST, s);
  int64_t live = tr_live_objects();
  if (live > chain_max_live)
    chain_max_live = live;
}

static const TrProgram *chain(Builder *b, uint32_t n) {
  b_init(b, n, n, n);
  uint32_t leaf = b_kind(b, k_leaf, "leaf"), link = b_kind(b, k_link, "link");
  TrValue zero = tr_int(0);
  uint32_t t = b_task(b, leaf, NULL, 0, &zero, 1, 0, "'start'");
  for (uint32_t i = 1; i < n; i++)
    t = b_task(b, link, &t, 1, NULL, 0, (int32_t)i, NULL);
  b_output(b, "end", t);
  return b_finish(b, "chain");
}

/* diamond a -> (b, c) -> d, with d reading b twice: d = b + b + c */
static void k_const(const TrValue *in, const TrValue *k, TrValue *out) { *out = k[0]; }
static void k_add3(const TrValue *in, const TrValue *k, TrValue *out) {
  tr_op_add(in, 2, out);
  TrValue t = *out;
  TrValue args[2] = {t, in[2]};
  tr_op_add(args, 2, out);
  tr_decref(&t);
}
static void k_double(const TrValue *in, const TrValue *k, TrValue *out) {
  TrValue args[2] = {in[0], in[0]};
  tr_op_add(args, 2, out);
}

static const TrProgram *diamond(Builder *b) {
  b_init(b, 8, 8, 8);
  uint32_t c = b_kind(b, k_const, "const"), dbl = b_kind(b, k_double, "double"),
           add3 = b_kind(b, k_add3, "add3");
  static TrStr hello = {{-1}, 2, "ab"}; /* an immortal constant */
  TrValue k = tr_obj(TR_STR, &hello);
  uint32_t a = b_task(b, c, NULL, 0, &k, 1, 0, "'a'");
  uint32_t bb = b_task(b, dbl, &a, 1, NULL, 0, 1, "'b'");
  uint32_t cc = b_task(b, dbl, &bb, 1, NULL, 0, 2, "'c'");
  uint32_t ins[3] = {bb, bb, cc};
  uint32_t d = b_task(b, add3, ins, 3, NULL, 0, 3, "'d'");
  b_output(b, "d", d);
  b_output(b, "b", bb);
  return b_finish(b, "diamond");
}

static void test_wide(void) {
  Builder b;
  const TrProgram *p = wide(&b);
  for (int th = 1; th <= 4; th *= 2) {
    TrValue *slots = calloc(p->ntasks, sizeof *slots);
    TrFailure f;
    int64_t live0 = tr_live_objects();
    CHECK(tr_run(p, th, slots, &f));
    CHECK(slots[p->outputs[0].task].tag == TR_INT);
    CHECK(slots[p->outputs[0].task].u.i == 50005000);
    CHECK(tr_live_objects() == live0); /* every leaf list freed */
    tr_run_free_outputs(p, slots);
    free(slots);
  }
  b_free(&b);
}

static void test_chain(void) {
  Builder b;
  const TrProgram *p = chain(&b, 100000);
  for (int th = 1; th <= 4; th *= 2) {
    TrValue *slots = calloc(p->ntasks, sizeof *slots);
    TrFailure f;
    int64_t live0 = tr_live_objects();
    chain_max_live = 0;
    CHECK(tr_run(p, th, slots, &f));
    const TrValue *end = &slots[p->outputs[0].task];
    CHECK(end->tag == TR_LIST && ((TrSeq *)end->u.p)->items[0].u.i == 99999);
    CHECK(tr_live_objects() == live0 + 1); /* only the output */
    if (th == 1)
      CHECK(chain_max_live <= live0 + 2);
    tr_run_free_outputs(p, slots);
    CHECK(tr_live_objects() == live0);
    free(slots);
  }
  b_free(&b);
}

static void test_diamond(void) {
  Builder b;
  const TrProgram *p = diamond(&b);
  for (int th = 1; th <= 4; th *= 2) {
    char n[12]; /* any int */
    snprintf(n, sizeof n, "%d", th);
    const char *args[] = {"--threads", n, "--format", "json", NULL};
    Child c;
    run_child(p, args, &c);
    CHECK(c.status == 0);
    CHECK_STR(c.out, "{\"d\": \"abababababababab\", \"b\": \"abab\"}\n");
    const char *targs[] = {"--threads", n, NULL};
    run_child(p, targs, &c);
    CHECK_STR(c.out, "d = 'abababababababab'\nb = 'abab'\n");
  }
  b_free(&b);
}

/* One thread runs ready tasks strictly by priority. */
static int order[8], norder;
static void k_record(const TrValue *in, const TrValue *k, TrValue *out) {
  order[norder++] = (int)k[0].u.i;
  *out = tr_int(0);
}

static void test_priority(void) {
  Builder b;
  b_init(&b, 8, 8, 8);
  uint32_t rec = b_kind(&b, k_record, "rec");
  int32_t prio[5] = {3, 1, 4, 0, 2};
  for (int i = 0; i < 5; i++) {
    TrValue k = tr_int(i);
    b_task(&b, rec, NULL, 0, &k, 1, prio[i], NULL);
  }
  const TrProgram *p = b_finish(&b, "prio");
  TrValue slots[5] = {{0}};
  TrFailure f;
  norder = 0;
  CHECK(tr_run(p, 1, slots, &f));
  int want[5] = {3, 1, 4, 0, 2};
  CHECK(norder == 5);
  for (int i = 0; i < 5; i++)
    CHECK(order[i] == want[i]);
  b_free(&b);
}

/* A heap value read twice by each of two consumers is freed exactly once,
 * after the last read. */
static void k_len2(const TrValue *in, const TrValue *k, TrValue *out) {
  TrValue a, b;
  tr_op_len(&in[0], 1, &a);
  tr_op_len(&in[1], 1, &b);
  *out = tr_int(a.u.i + b.u.i);
}

static void test_repeated_inputs(void) {
  Builder b;
  b_init(&b, 8, 8, 8);
  uint32_t leaf = b_kind(&b, k_leaf, "leaf"), len2 = b_kind(&b, k_len2, "len2");
  TrValue k = tr_int(5);
  uint32_t a = b_task(&b, leaf, NULL, 0, &k, 1, 0, NULL);
  uint32_t aa[2] = {a, a};
  b_output(&b, "x", b_task(&b, len2, aa, 2, NULL, 0, 1, NULL));
  b_output(&b, "y", b_task(&b, len2, aa, 2, NULL, 0, 2, NULL));
  const TrProgram *p = b_finish(&b, "repeat");
  CHECK(p->tasks[a].nusers == 2 && p->tasks[1].ndeps == 1);
  for (int th = 1; th <= 4; th *= 2) {
    TrValue slots[3] = {{0}};
    TrFailure f;
    int64_t live0 = tr_live_objects();
    CHECK(tr_run(p, th, slots, &f));
    CHECK(slots[1].u.i == 2 && slots[2].u.i == 2);
    CHECK(tr_live_objects() == live0);
  }
  b_free(&b);
}

/* A program declared constant reuses its counters and initial keys from
 * run to run (prep.c): repeated runs at 1, 2 and 4 threads, in priority
 * and in id order, keep computing the same values and freeing the same. */
static void check_wide_chain(const TrProgram *w, const TrProgram *c, int th, bool fifo) {
  TrValue *ws = calloc(w->ntasks, sizeof *ws), *cs = calloc(c->ntasks, sizeof *cs);
  TrFailure f;
  int64_t live0 = tr_live_objects();
  TrRunOpts o = {.nthreads = th, .fifo = fifo};
  CHECK(tr_run_opts(w, &o, ws, &f));
  CHECK(ws[w->outputs[0].task].u.i == 50005000);
  CHECK(tr_run_opts(c, &o, cs, &f));
  const TrValue *end = &cs[c->outputs[0].task];
  CHECK(end->tag == TR_LIST && ((TrSeq *)end->u.p)->items[0].u.i == 99999);
  CHECK(tr_live_objects() == live0 + 1);
  tr_run_free_outputs(w, ws);
  tr_run_free_outputs(c, cs);
  CHECK(tr_live_objects() == live0);
  free(ws);
  free(cs);
}

static void test_constant(void) {
  Builder bw, bc, bd;
  const TrProgram *w = wide(&bw), *c = chain(&bc, 100000), *d = diamond(&bd);
  tr_sched_constant(w);
  tr_sched_constant(c);
  tr_sched_constant(d);
  for (int rep = 0; rep < 3; rep++)
    for (int th = 1; th <= 4; th *= 2)
      check_wide_chain(w, c, th, rep == 1);
  for (int th = 1; th <= 4; th *= 2) { /* b: an output that d reads twice */
    TrValue slots[4] = {{0}};
    TrFailure f;
    CHECK(tr_run(d, th, slots, &f));
    CHECK(slots[3].tag == TR_STR && ((TrStr *)slots[3].u.p)->len == 16);
    CHECK(slots[1].tag == TR_STR && ((TrStr *)slots[1].u.p)->len == 4);
    tr_run_free_outputs(d, slots);
  }
  tr_sched_forget(w);
  tr_sched_forget(c);
  tr_sched_forget(d);
  b_free(&bw);
  b_free(&bc);
  b_free(&bd);
}

/* A failed run of a constant program leaves counters half counted down:
 * the next run must not reuse them. a (first) and b (last, fails once)
 * feed c, which comes before b in priority: reused counters would make c
 * ready as soon as a finished, before b. */
static bool fail_b;
static void k_b(const TrValue *in, const TrValue *k, TrValue *out) {
  if (fail_b)
    tr_fail("boom");
  *out = k[0];
}
static void k_sum2(const TrValue *in, const TrValue *k, TrValue *out) {
  *out = tr_int(in[0].u.i + in[1].u.i);
}

static void test_constant_after_failure(void) {
  Builder b;
  b_init(&b, 8, 8, 8);
  uint32_t kc = b_kind(&b, k_const, "const"), kb = b_kind(&b, k_b, "b"),
           ks = b_kind(&b, k_sum2, "sum2");
  TrValue one = tr_int(1), two = tr_int(2);
  uint32_t ab[2];
  ab[0] = b_task(&b, kc, NULL, 0, &one, 1, 0, "'a'");
  ab[1] = b_task(&b, kb, NULL, 0, &two, 1, 2, "'b'");
  uint32_t c = b_task(&b, ks, ab, 2, NULL, 0, 1, "'c'");
  b_output(&b, "c", c);
  const TrProgram *p = b_finish(&b, "fail");
  tr_sched_constant(p);
  TrValue slots[3] = {{0}};
  TrFailure f;
  fail_b = true;
  CHECK(!tr_run(p, 1, slots, &f));
  CHECK(f.task == ab[1] && strcmp(f.msg, "boom") == 0);
  fail_b = false;
  for (int rep = 0; rep < 2; rep++) {
    memset(slots, 0, sizeof slots);
    CHECK(tr_run(p, 1, slots, &f));
    CHECK(slots[c].tag == TR_INT && slots[c].u.i == 3);
  }
  tr_sched_forget(p);
  b_free(&b);
}

int main(void) {
  test_constant();
  test_constant_after_failure();
  test_repeated_inputs();
  test_wide();
  test_chain();
  test_diamond();
  test_priority();
  if (failures)
    fprintf(stderr, "%d check(s) failed\n", failures);
  return failures != 0;
}
