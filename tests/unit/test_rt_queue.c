/* test_rt_queue.c - the ready queues under load: a random DAG of 200000
 * tasks with about four inputs each, a wide map with shuffled priorities
 * (batches, stealing, the chain fast path all run), at 1, 2 and 4 threads,
 * repeated; every value is checked against a sequential evaluation and
 * every heap value must be freed. Also --trace/--stats through
 * tr_run_opts: one event per task, peak live values measured. */
#include "test_rt_util.h"

enum { M = 1000003 };

/* leaf: a one-item list [k0] (a heap value: freeing is observable) */
static void k_leaf(const TrValue *in, const TrValue *k, TrValue *out) {
  TrSeq *s = tr_seq_new(1);
  s->items[0] = k[0];
  *out = tr_obj(TR_LIST, s);
}
static int64_t val(const TrValue *v) {
  return v->tag == TR_LIST ? ((const TrSeq *)v->u.p)->items[0].u.i : v->u.i;
}
/* node: [(sum of inputs + 1) % M], nin in k0 */
static void k_node(const TrValue *in, const TrValue *k, TrValue *out) {
  int64_t acc = 1;
  for (int64_t i = 0; i < k[0].u.i; i++)
    acc += val(&in[i]);
  TrSeq *s = tr_seq_new(1);
  s->items[0] = tr_int(acc % M);
  *out = tr_obj(TR_LIST, s);
}

static uint64_t lcg(uint64_t *s) {
  *s = *s * 6364136223846793005ull + 1442695040888963407ull;
  return *s >> 33;
}

/* n tasks; task i >= 4 reads 4 random earlier ones; every task with no
 * reader is an output. want[] gets the values computed in id order. */
static const TrProgram *dag(Builder *b, uint32_t n, int64_t *want, bool shuffle) {
  b_init(b, n, 4 * n, n);
  uint32_t leaf = b_kind(b, k_leaf, "leaf"), node = b_kind(b, k_node, "node");
  uint64_t s = 42;
  bool *read = test_alloc(n);
  for (uint32_t i = 0; i < n; i++) {
    int32_t prio = shuffle ? (int32_t)(lcg(&s) % n) : (int32_t)i;
    if (i < 4) {
      TrValue k = tr_int(i + 1);
      b_task(b, leaf, NULL, 0, &k, 1, prio, NULL);
      want[i] = i + 1;
      continue;
    }
    uint32_t ins[4];
    int64_t acc = 1;
    for (int j = 0; j < 4; j++) {
      ins[j] = (uint32_t)(lcg(&s) % i);
      read[ins[j]] = true;
      acc += want[ins[j]];
    }
    TrValue k = tr_int(4);
    b_task(b, node, ins, 4, &k, 1, prio, NULL);
    want[i] = acc % M;
  }
  for (uint32_t i = 0; i < n; i++)
    if (!read[i] && b->nout < 16)
      b_output(b, "out", i);
    else if (!read[i])
      b->tasks[i].nout = 1; /* kept, checked through slots */
  free(read);
  return b_finish(b, "dag");
}

static void check_run(const TrProgram *p, const int64_t *want, int th) {
  TrValue *slots = test_alloc(p->ntasks * sizeof *slots);
  TrFailure f;
  int64_t live0 = tr_live_objects();
  CHECK(tr_run(p, th, slots, &f));
  int bad = 0;
  for (uint32_t t = 0; t < p->ntasks; t++)
    if (p->tasks[t].nout && val(&slots[t]) != want[t])
      bad++;
  CHECK(bad == 0);
  tr_run_free_outputs(p, slots);
  CHECK(tr_live_objects() == live0);
  free(slots);
}

static void test_dag(bool shuffle) {
  enum { N = 200000 };
  Builder b;
  int64_t *want = test_alloc(N * sizeof *want);
  const TrProgram *p = dag(&b, N, want, shuffle);
  for (int th = 1; th <= 4; th *= 2)
    for (int rep = 0; rep < 3; rep++)
      check_run(p, want, th);
  free(want);
  b_free(&b);
}

/* A wide map: 100000 leaves read by one node each, all outputs; many
 * ready tasks at the start (batches of the initial array). */
static void test_wide_many(void) {
  enum { N = 100000 };
  Builder b;
  b_init(&b, 2 * N, 2 * N, 2 * N);
  uint32_t leaf = b_kind(&b, k_leaf, "leaf"), node = b_kind(&b, k_node, "node");
  int64_t *want = test_alloc(2 * N * sizeof *want);
  for (uint32_t i = 0; i < N; i++) {
    TrValue k = tr_int(i);
    uint32_t l = b_task(&b, leaf, NULL, 0, &k, 1, (int32_t)(N - i), NULL);
    want[l] = i;
    k = tr_int(1);
    uint32_t u = b_task(&b, node, &l, 1, &k, 1, (int32_t)(N - i), NULL);
    want[u] = (i + 1) % M;
    b.tasks[u].nout = 1;
  }
  const TrProgram *p = b_finish(&b, "wide");
  for (int th = 1; th <= 4; th *= 2)
    check_run(p, want, th);
  free(want);
  b_free(&b);
}

/* tr_run_opts with a trace and stats: one event per task with a worker
 * id below the thread count and end >= start; peak live values at least
 * the outputs and at most all tasks. */
static void test_trace_stats(void) {
  enum { N = 20000 };
  Builder b;
  int64_t *want = test_alloc(N * sizeof *want);
  const TrProgram *p = dag(&b, N, want, false);
  uint32_t nout = 0;
  for (uint32_t t = 0; t < p->ntasks; t++)
    nout += p->tasks[t].nout > 0;
  for (int th = 1; th <= 4; th *= 2) {
    TrValue *slots = test_alloc(N * sizeof *slots);
    TrTraceEv *ev = test_alloc(N * sizeof *ev);
    TrRunOpts o = {.nthreads = th, .trace = ev, .stats = true};
    TrFailure f;
    CHECK(tr_run_opts(p, &o, slots, &f));
    int bad = 0;
    for (uint32_t t = 0; t < N; t++)
      bad += !ev[t].end || ev[t].end < ev[t].start || ev[t].worker >= (uint32_t)th;
    CHECK(bad == 0);
    CHECK(o.peak_live >= (int64_t)nout && o.peak_live <= N);
    tr_run_free_outputs(p, slots);
    free(ev);
    free(slots);
  }
  free(want);
  b_free(&b);
}

int main(void) {
  test_dag(false);
  test_dag(true);
  test_wide_many();
  test_trace_stats();
  if (failures)
    fprintf(stderr, "%d check(s) failed\n", failures);
  return failures != 0;
}
