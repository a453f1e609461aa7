/* test_rt_place.c - placement and ranks' shares (exec_place.c) and the
 * pool's gated tasks, without MPI: R "ranks" run their shares at once in
 * one process, each on its own pool of 1 or 2 threads, and a send task
 * delivers its value straight to the readers' proxies (encoded and
 * decoded with msg.c, released with tr_gate_release from the sender's
 * worker thread). The totals must equal the one-pool run, every task
 * runs on exactly one rank, nothing leaks, and a map + tree sum sends a
 * few messages per rank, not one per chunk: at most R*(log2 R + 1) for
 * the tree taskc builds for a sum over 10,000 chunks, R = 2..8, while no
 * rank gets more than 1.25 times its share of the chunks. Also run under TSan
 * (tests/unit/sanitize.sh). */
#include <pthread.h>

#include "exec_place.h"
#include "msg.h"
#include "test_rt_util.h"

enum { MAXR = 8 };

static void k_leaf(const TrValue *in, const TrValue *k, TrValue *out) {
  TrSeq *s = tr_seq_new(1);
  s->items[0] = k[0];
  *out = tr_obj(TR_LIST, s);
}
/* the first item of each input list, plus one */
static void k_inc(const TrValue *in, const TrValue *k, TrValue *out) {
  int64_t n = k[0].u.i, acc = 1;
  for (int64_t i = 0; i < n; i++)
    acc += ((const TrSeq *)in[i].u.p)->items[0].u.i;
  *out = tr_int(acc);
}
static void k_sum(const TrValue *in, const TrValue *k, TrValue *out) {
  int64_t acc = 0;
  for (int64_t i = 0; i < k[0].u.i; i++)
    acc += in[i].u.i;
  *out = tr_int(acc);
}

/* n leaves -> n incs (reading leaf i, and leaf (i + n/2) % n if cross)
 * -> a 4-ary tree of sums. */
static const TrProgram *map_tree(Builder *b, uint32_t n, bool cross) {
  b_init(b, 3 * n, 4 * n, 3 * n);
  uint32_t leaf = b_kind(b, k_leaf, "leaf"), inc = b_kind(b, k_inc, "inc"),
           sum = b_kind(b, k_sum, "sum");
  uint32_t *lv = malloc(n * sizeof *lv), *level = malloc(n * sizeof *level), m = n;
  for (uint32_t i = 0; i < n; i++) {
    TrValue k = tr_int(i);
    lv[i] = b_task(b, leaf, NULL, 0, &k, 1, (int32_t)i, NULL);
  }
  for (uint32_t i = 0; i < n; i++) {
    uint32_t ins[2] = {lv[i], lv[(i + n / 2) % n]};
    TrValue k = tr_int(cross ? 2 : 1);
    level[i] = b_task(b, inc, ins, cross ? 2 : 1, &k, 1, (int32_t)(n + i), NULL);
  }
  while (m > 1) {
    uint32_t j = 0;
    for (uint32_t i = 0; i < m; i += 4) {
      uint32_t fan = m - i < 4 ? m - i : 4;
      TrValue k = tr_int(fan);
      level[j++] = b_task(b, sum, level + i, fan, &k, 1, 3 * (int32_t)n, NULL);
    }
    m = j;
  }
  b_output(b, "total", level[0]);
  free(lv);
  free(level);
  return b_finish(b, "map_tree");
}

static void k_num(const TrValue *in, const TrValue *k, TrValue *out) { *out = k[0]; }

/* What taskc builds for `da.arange(10 * n, chunks=10) ... .sum()`: n
 * fused chunk tasks, then levels of combines of fan-in 4 in order, a lone
 * last item carried up to the next level (tree_reduce.c), then the
 * aggregate (`taskc --emit=graph` of tests/lit/mpi/many-chunks.tg: 13,335
 * tasks for n = 10,000; the old placement sent 10/24/28 messages at
 * R = 2/3/4 here, as mpirun measured). */
static const TrProgram *dask_sum(Builder *b, uint32_t n) {
  b_init(b, 2 * n + 2, 2 * n + 2, 2 * n + 2);
  uint32_t num = b_kind(b, k_num, "chunk"), sum = b_kind(b, k_sum, "combine");
  uint32_t *level = malloc(n * sizeof *level), m = n;
  for (uint32_t i = 0; i < n; i++) {
    TrValue k = tr_int(i);
    level[i] = b_task(b, num, NULL, 0, &k, 1, (int32_t)i, NULL);
  }
  while (m > 1) {
    uint32_t j = 0, carry = UINT32_MAX;
    for (uint32_t i = 0; i < m; i += 4) {
      uint32_t fan = m - i < 4 ? m - i : 4;
      if (fan == 1) {
        carry = level[i];
        break;
      }
      TrValue k = tr_int(fan);
      level[j++] = b_task(b, sum, level + i, fan, &k, 1, (int32_t)b->nt, NULL);
    }
    if (carry != UINT32_MAX)
      level[j++] = carry;
    m = j;
  }
  TrValue one = tr_int(1);
  b_output(b, "total", b_task(b, sum, level, 1, &one, 1, (int32_t)b->nt, NULL));
  free(level);
  return b_finish(b, "dask_sum");
}

/* ---- R ranks in one process ---- */

typedef struct Rank {
  TrShare sh;
  TrGate *gate;
  TrValue *slots;
  int threads;
  bool ok;
  pthread_t th;
} Rank;

static Rank ranks[MAXR];
static int64_t nmsgs; /* atomic */

/* Rank r's send task: encode once, decode into each reader's proxy. */
static void deliver(int r, const TrValue *v) {
  Rank *me = &ranks[r];
  uint32_t s = tr_cur_task - (me->sh.nlocal + me->sh.nproxy), orig = me->sh.orig[tr_cur_task];
  Buf b = {0};
  tr_msg_encode(&b, v);
  for (uint32_t j = me->sh.dst_off[s]; j < me->sh.dst_off[s + 1]; j++) {
    Rank *to = &ranks[me->sh.dst[j]];
    uint32_t proxy = to->sh.proxy[orig];
    size_t used;
    CHECK(proxy != UINT32_MAX);
    CHECK(tr_msg_decode(b.p, b.len, &used, &to->slots[proxy]));
    __atomic_add_fetch(&nmsgs, 1, __ATOMIC_RELAXED);
    tr_gate_release(to->gate, proxy);
  }
  free(b.p);
}

#define SEND(r)                                                                 \
  static void k_send##r(const TrValue *in, const TrValue *k, TrValue *out) {    \
    deliver(r, &in[0]);                                                         \
    *out = (TrValue){.tag = TR_NONE};                                           \
  }
SEND(0) SEND(1) SEND(2) SEND(3) SEND(4) SEND(5) SEND(6) SEND(7)
static const TrKindFn sends[MAXR] = {k_send0, k_send1, k_send2, k_send3,
                                     k_send4, k_send5, k_send6, k_send7};
static void k_recv(const TrValue *in, const TrValue *k, TrValue *out) {}

static void *rank_main(void *arg) {
  Rank *rk = arg;
  TrRunOpts o = {.nthreads = rk->threads, .gate = rk->gate};
  TrFailure f;
  rk->ok = tr_run_opts(&rk->sh.sub, &o, rk->slots, &f);
  tr_live_flush();
  return NULL;
}

/* Runs p on nr ranks; returns the output's int value, or -1. */
static int64_t run_ranks(const TrProgram *p, int nr, int threads) {
  int32_t *owner = tr_place(p, nr);
  uint32_t total = 0;
  for (int r = 0; r < nr; r++) {
    Rank *rk = &ranks[r];
    tr_share_build(p, owner, nr, r, k_recv, sends[r], &rk->sh);
    rk->gate = tr_gate_new();
    rk->slots = calloc(rk->sh.sub.ntasks + 1, sizeof *rk->slots);
    rk->threads = threads;
    total += rk->sh.nlocal;
  }
  CHECK(total == p->ntasks); /* every task on exactly one rank */
  CHECK(owner[p->outputs[0].task] == 0);
  for (int r = 0; r < nr; r++)
    CHECK(pthread_create(&ranks[r].th, NULL, rank_main, &ranks[r]) == 0);
  for (int r = 0; r < nr; r++)
    pthread_join(ranks[r].th, NULL);
  int64_t got = -1;
  for (int r = 0; r < nr; r++) {
    Rank *rk = &ranks[r];
    CHECK(rk->ok);
    if (r == 0) {
      CHECK(rk->sh.sub.noutputs == 1);
      TrValue *v = &rk->slots[rk->sh.sub.outputs[0].task];
      got = v->tag == TR_INT ? v->u.i : -1;
      tr_run_free_outputs(&rk->sh.sub, rk->slots);
    }
    tr_gate_free(rk->gate);
    free(rk->slots);
    tr_share_free(&rk->sh);
  }
  free(owner);
  return got;
}

static void test_ranks(bool cross, uint32_t n) {
  Builder b;
  const TrProgram *p = map_tree(&b, n, cross);
  TrValue *slots = calloc(p->ntasks, sizeof *slots);
  TrFailure f;
  CHECK(tr_run(p, 2, slots, &f));
  int64_t want = slots[p->outputs[0].task].u.i;
  tr_run_free_outputs(p, slots);
  free(slots);
  for (int nr = 1; nr <= MAXR; nr++)
    for (int th = 1; th <= 2; th++) {
      int64_t live0 = tr_live_objects();
      nmsgs = 0;
      int64_t got = run_ranks(p, nr, th);
      if (got != want)
        fprintf(stderr, "cross %d, %d ranks, %d threads: %lld, want %lld\n", cross, nr, th,
                (long long)got, (long long)want);
      CHECK(got == want);
      CHECK(tr_live_objects() == live0); /* received values are freed too */
      if (!cross) /* partial sums cross, not chunks: (fan-in - 1) per level and boundary */
        CHECK(nmsgs <= 3 * (nr - 1) * 6);
      if (cross) /* each inc on another rank than its second leaf reads it */
        CHECK(nmsgs >= (nr > 1 ? (int64_t)n / 2 : 0));
    }
  b_free(&b);
}

/* The sources of p in contiguous ranges, rank by rank, none holding more
 * than 1.25 times its share (each boundary moves by at most 1/8 of one). */
static void check_ranges(const TrProgram *p, const int32_t *owner, int nr) {
  uint32_t count[MAXR] = {0}, nsrc = 0;
  int32_t last = 0;
  for (uint32_t t = 0; t < p->ntasks; t++)
    if (p->tasks[t].nin == 0) {
      CHECK(owner[t] >= last && owner[t] < nr);
      last = owner[t];
      count[owner[t]]++;
      nsrc++;
    }
  for (int r = 0; r < nr; r++)
    CHECK(count[r] * 4 * (uint32_t)nr <= 5 * nsrc + 4 * (uint32_t)nr);
}

/* Placement rules on the map + tree: chunks in contiguous ranges, the map
 * with its chunk, a tree node with its first input, the output on 0. */
static void test_place(void) {
  Builder b;
  const TrProgram *p = map_tree(&b, 100, false);
  int32_t *owner = tr_place(p, 4);
  check_ranges(p, owner, 4);
  for (uint32_t i = 0; i < 100; i++)
    CHECK(owner[100 + i] == owner[i]); /* inc i with leaf i */
  for (uint32_t t = 200; t < p->ntasks; t++)
    CHECK(owner[t] == owner[p->in_idx[p->tasks[t].in_off]]);
  CHECK(owner[p->outputs[0].task] == 0);
  /* the boundary moves from 25 to 28: it cuts 4 edges there, 7 at 25 */
  CHECK(owner[27] == 0 && owner[28] == 1);
  free(owner);
  b_free(&b);
}

/* The sum over 10,000 chunks: messages (one per value per reading rank,
 * as the shares' send lists count them) at most R*(log2 R + 1), and the
 * ranks' shares compute the single pool's total. */
static void test_tree_messages(void) {
  Builder b;
  const TrProgram *p = dask_sum(&b, 10000);
  CHECK(p->ntasks == 13335);
  for (int nr = 2; nr <= MAXR; nr++) {
    int32_t *owner = tr_place(p, nr);
    check_ranges(p, owner, nr);
    uint32_t msgs = 0;
    for (int r = 0; r < nr; r++) {
      TrShare sh;
      tr_share_build(p, owner, nr, r, k_recv, k_recv, &sh);
      msgs += sh.dst_off[sh.nsend];
      tr_share_free(&sh);
    }
    if (msgs > nr * (log2(nr) + 1))
      fprintf(stderr, "%d ranks: %u messages\n", nr, msgs);
    CHECK(msgs <= nr * (log2(nr) + 1));
    free(owner);
    nmsgs = 0;
    CHECK(run_ranks(p, nr, 1) == 10000LL * 9999 / 2);
    CHECK(nmsgs == msgs);
  }
  b_free(&b);
}

int main(void) {
  test_place();
  test_tree_messages();
  test_ranks(false, 4096);
  test_ranks(true, 2000);
  if (failures)
    fprintf(stderr, "%d failures\n", failures);
  return failures != 0;
}
