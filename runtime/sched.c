/* sched.c - the worker pool that runs a TrProgram (docs/runtime.md).
 *
 * Counters (TrCtr, prep.c; computed once per process when the program is
 * constant, and left by a run as it found them):
 *   deps   producers of t not finished yet; t is ready at 0. Reset to
 *          ndeps when t runs (nobody else touches it by then).
 *   refs   input references to t (over all consumers, repeats counted)
 *          not yet consumed; t's value is freed at 0. Set to nrefs when t
 *          runs, before any consumer can read it; an output has one more
 *          reference than its consumers, so it is never freed.
 *
 * Ready tasks live in three places, all ordered by the packed key
 * (priority, task id) so the static order is followed:
 *   init     the initially ready tasks, sorted once per run; workers claim
 *            batches of it with one fetch_add per batch;
 *   q        each worker's private heap of tasks it made ready (no lock);
 *   pub      a small per-worker box the owner fills from its heap or batch
 *            when some worker is hungry; thieves empty it under a spinlock.
 * A worker that finishes a task runs the best newly ready user directly
 * (no queue at all for chains). So the common path takes no lock and no
 * shared write except the deps/refs decrements, and those are skipped when
 * the counter shows we are the last one.
 *
 * One thread runs the same loop with plain counters and no threads. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bigint_weak.h"
#include "scheduler.h"

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define RELAXED(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define STORE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELEASE)
#define SEQ_LOAD(x) __atomic_load_n(&(x), __ATOMIC_SEQ_CST)
#define SEQ_ADD(x, v) __atomic_add_fetch(&(x), (v), __ATOMIC_SEQ_CST)
#define SUB(x, v) __atomic_sub_fetch(&(x), (v), __ATOMIC_ACQ_REL)

#define PUB_CAP 32          /* tasks handed over at once */
#define FLUSH_EVERY 4096    /* finished tasks between updates of r->left */
#define SPINS 1000          /* idle polls before sleeping */
#define NONE UINT64_MAX
#define AHEAD 8             /* batch entries prefetched ahead */

/* Compile-time modes: each combination is its own copy of the hot loop,
 * so tracing and statistics cost nothing when off. */
enum { M_MT = 1, M_TRACE = 2, M_STATS = 4 };
#define HOT static inline __attribute__((always_inline))

typedef struct Run Run;

typedef struct Worker {
  Heap q;                   /* owner only */
  const uint64_t *blo, *bhi; /* claimed batch of r->init, owner only */
  uint32_t done;            /* finished, not yet taken off r->left */
  uint32_t id;
  Run *run;
  TrValue *scratch;         /* the inputs of the running task */
  int in_task;              /* inside a kind function (abandon on failure) */
  int started;
  pthread_t th;
  /* shared with thieves, on its own cache line */
  _Alignas(64) int pub_lock;
  uint32_t pub_n;
  uint64_t pub[PUB_CAP];
} __attribute__((aligned(64))) Worker;

struct Run {
  const TrProgram *p;
  TrValue *slots;
  TrCtr *c;                 /* per-task counters (setup.ctr) */
  const uint64_t *init;     /* keys of the initially ready tasks, sorted */
  uint32_t ninit;
  TrSetup setup;
  int nw;
  Worker *w;
  int mode;                 /* M_* */
  bool threaded;            /* worker threads (else the caller's loop) */
  TrGate *gate;             /* tasks released from outside, or NULL */
  bool fifo;                /* ignore priorities (--no-priority) */
  TrTraceEv *trace;
  int64_t live, peak;       /* with M_STATS */
  _Alignas(64) uint32_t init_next; /* first unclaimed entry of init */
  _Alignas(64) uint32_t left;      /* tasks not yet counted as finished */
  _Alignas(64) int hungry;         /* workers looking for work */
  int nsleep;               /* workers waiting on idle_cv */
  int stop;                 /* all done, or failed */
  int failed;
  int alive;                /* workers not exited; under idle_mu */
  TrFailure fail;
  pthread_mutex_t idle_mu;
  pthread_cond_t idle_cv, main_cv;
};

struct TrGate {
  pthread_mutex_t mu;
  uint32_t *ready;  /* released, not yet taken by a worker */
  uint32_t n, cap;  /* n read without mu by idle workers */
  Run *run;         /* the pool's run while one is going on, under mu */
  void (*poll)(void *); /* or NULL */
  void *poll_ctx;
};

static void *xalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size);
  if (!p) {
    fputs("error: out of memory\n", stderr);
    exit(1);
  }
  return p;
}

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ volatile("yield");
#endif
}

static inline uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline void spin_lock(int *l) {
  while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
    while (RELAXED(*l))
      cpu_relax();
}
static inline void spin_unlock(int *l) { STORE(*l, 0); }

/* ---------------- sleeping and waking ---------------- */

static void wake_all(Run *r) {
  pthread_mutex_lock(&r->idle_mu);
  pthread_cond_broadcast(&r->idle_cv);
  pthread_cond_broadcast(&r->main_cv);
  pthread_mutex_unlock(&r->idle_mu);
}

/* After making work visible (seq_cst store): pairs with the sleeper's
 * nsleep++ then work check, so one of the two sees the other. */
static void wake_one(Run *r) {
  if (SEQ_LOAD(r->nsleep) == 0)
    return;
  pthread_mutex_lock(&r->idle_mu);
  pthread_cond_signal(&r->idle_cv);
  pthread_mutex_unlock(&r->idle_mu);
}

static bool work_visible(Run *r) {
  if (SEQ_LOAD(r->stop) || SEQ_LOAD(r->init_next) < r->ninit)
    return true;
  if (r->gate && SEQ_LOAD(r->gate->n) > 0)
    return true;
  for (int k = 0; k < r->nw; k++)
    if (SEQ_LOAD(r->w[k].pub_n) > 0)
      return true;
  return false;
}

static void sleep_until_work(Run *r) {
  pthread_mutex_lock(&r->idle_mu);
  SEQ_ADD(r->nsleep, 1);
  while (!work_visible(r))
    pthread_cond_wait(&r->idle_cv, &r->idle_mu);
  SEQ_ADD(r->nsleep, -1);
  pthread_mutex_unlock(&r->idle_mu);
}

/* ---------------- counters ---------------- */

HOT void live_add(Run *r, int64_t d, int mode) {
  if (!(mode & M_STATS))
    return;
  if (!(mode & M_MT)) {
    r->live += d;
    if (r->live > r->peak)
      r->peak = r->live;
    return;
  }
  int64_t v = SEQ_ADD(r->live, d), pk = RELAXED(r->peak);
  while (v > pk && !__atomic_compare_exchange_n(&r->peak, &pk, v, true, __ATOMIC_RELAXED,
                                                __ATOMIC_RELAXED))
    ;
}

/* Count down *c (the caller holds one of its units); true at 0. Seeing 1
 * means ours is the only unit left, so nobody else writes *c: no RMW. */
HOT bool count_down(uint32_t *c, int mode) {
  if (!(mode & M_MT))
    return --*c == 0;
  if (LOAD(*c) == 1)
    return true;
  return SUB(*c, 1) == 0;
}

/* Take this worker's finished tasks off r->left; the one reaching 0 ends
 * the run. */
static void flush_done(Run *r, Worker *w) {
  if (w->done == 0)
    return;
  uint32_t left = SUB(r->left, w->done);
  __atomic_store_n(&w->done, 0, __ATOMIC_RELAXED);
  if (left == 0 && r->threaded) {
    STORE(r->stop, 1);
    wake_all(r);
  }
}

/* ---------------- running tasks ---------------- */

/* Queue key of task u: (priority, id), or the id alone with --no-priority. */
HOT int32_t prio_of(const Run *r, uint32_t u) { return r->fifo ? 0 : r->p->tasks[u].priority; }
HOT uint64_t task_key(const Run *r, uint32_t u) { return heap_key(prio_of(r, u), u); }

/* Release a value nobody will read again; only heap values hold memory. */
HOT void drop(Run *r, TrValue *v, int mode) {
  if (v->tag >= TR_STR)
    tr_decref(v);
  live_add(r, -1, mode);
}

/* Reset t's counters for this run and the next, gather the inputs, call
 * the kind, release the inputs' references. A single input is passed in
 * place: its slot does not change while any reader is still to finish. */
HOT void exec_task(Run *r, Worker *w, uint32_t t, const TrTask *tk, int mode) {
  const TrProgram *p = r->p;
  const uint32_t *ii = p->in_idx + tk->in_off;
  TrValue *slots = r->slots;
  TrCtr *c = r->c;
  uint32_t nin = tk->nin, nrefs = c[t].nrefs;
  c[t].deps = tk->ndeps;
  c[t].refs = nrefs;
  const TrValue *in = w->scratch;
  if (nin == 1)
    in = &slots[ii[0]];
  else
    for (uint32_t j = 0; j < nin; j++)
      w->scratch[j] = slots[ii[j]];
  tr_cur_task = t;
  uint64_t t0 = mode & M_TRACE ? now_ns() : 0;
  if (mode & M_MT)
    STORE(w->in_task, 1);
  if (tr_big_task_begin) /* linked in with the first big (bigint.c) */
    tr_big_task_begin();
  p->kinds[tk->kind](in, p->consts + tk->k_off, &slots[t]);
  if (tr_big_task_end)
    tr_big_task_end(&slots[t]);
  if (mode & M_MT)
    STORE(w->in_task, 0);
  if (mode & M_TRACE)
    r->trace[t] = (TrTraceEv){.start = t0, .end = now_ns(), .worker = w->id};
  live_add(r, 1, mode);
  for (uint32_t j = 0; j < nin; j++)
    if (count_down(&c[ii[j]].refs, mode))
      drop(r, &slots[ii[j]], mode);
  if (nrefs == 0) /* nobody reads it and not an output */
    drop(r, &slots[t], mode);
}

/* Claim the next batch of initially ready tasks; small batches near the
 * end so the last ones spread over the workers. */
static bool claim(Run *r, Worker *w) {
  uint32_t n = RELAXED(r->init_next);
  if (n >= r->ninit)
    return false;
  uint32_t b = (r->ninit - n) / (4 * (uint32_t)r->nw);
  b = b < 1 ? 1 : b > 64 ? 64 : b;
  uint32_t lo = __atomic_fetch_add(&r->init_next, b, __ATOMIC_RELAXED);
  if (lo >= r->ninit)
    return false;
  uint32_t hi = r->ninit - lo < b ? r->ninit : lo + b;
  w->blo = r->init + lo;
  w->bhi = r->init + hi;
  return true;
}

/* The best task this worker holds: its heap top or its batch's next. A
 * batch is claimed when the next unclaimed initial task beats the heap. */
HOT bool next_local(Run *r, Worker *w, uint32_t *t, int mode) {
  bool hq = w->q.n > 0;
  if (w->blo == w->bhi && (mode & M_MT)) {
    uint32_t n = RELAXED(r->init_next);
    if (n < r->ninit && (!hq || r->init[n] < heap_top(&w->q)))
      claim(r, w);
  }
  if (w->blo < w->bhi && (!hq || *w->blo < heap_top(&w->q))) {
    *t = (uint32_t)*w->blo++;
    if (w->bhi - w->blo > AHEAD) { /* a batch is a list of future tasks */
      uint32_t f = (uint32_t)w->blo[AHEAD];
      __builtin_prefetch(&r->p->tasks[f]);
      __builtin_prefetch(&r->c[f]);
    }
    return true;
  }
  if (!hq)
    return false;
  *t = (uint32_t)heap_pop(&w->q);
  return true;
}

/* Hand some work to hungry workers: heap leaves (the owner keeps its best
 * tasks), or the tail of the batch. */
static void publish(Run *r, Worker *w) {
  uint32_t nb = (uint32_t)(w->bhi - w->blo);
  if (w->q.n < 2 && nb < 2)
    return;
  spin_lock(&w->pub_lock);
  uint32_t k = 0;
  if (w->pub_n == 0) {
    if (w->q.n >= 2) {
      for (uint32_t want = w->q.n / 2; k < want && k < PUB_CAP; k++)
        w->pub[k] = w->q.a[--w->q.n];
    } else {
      for (uint32_t want = nb / 2; k < want && k < PUB_CAP; k++)
        w->pub[k] = *--w->bhi;
    }
    __atomic_store_n(&w->pub_n, k, __ATOMIC_SEQ_CST);
  }
  spin_unlock(&w->pub_lock);
  if (k)
    wake_one(r);
}

/* Move everything in some worker's box (own first) into our heap. */
static bool steal(Run *r, Worker *w) {
  for (int k = 0; k < r->nw; k++) {
    Worker *v = &r->w[(w->id + (uint32_t)k) % (uint32_t)r->nw];
    if (LOAD(v->pub_n) == 0)
      continue;
    spin_lock(&v->pub_lock);
    uint32_t n = v->pub_n;
    for (uint32_t i = 0; i < n; i++)
      heap_push(&w->q, v->pub[i]);
    STORE(v->pub_n, 0);
    spin_unlock(&v->pub_lock);
    if (n)
      return true;
  }
  return false;
}

/* Hand the worker's surplus to hungry workers; the common case (nothing
 * to spare, or nobody hungry) costs two relaxed loads. */
HOT void maybe_publish(Run *r, Worker *w, int mode) {
  if ((mode & M_MT) && RELAXED(r->hungry) > 0 && RELAXED(w->pub_n) == 0 &&
      (w->q.n >= 2 || w->bhi - w->blo >= 2))
    publish(r, w);
}

/* Run t, then keep running the best task it made ready while that beats
 * everything else this worker holds (the chain fast path: no queue, and
 * no key computed when the worker holds nothing else). */
HOT void run_from(Run *r, Worker *w, uint32_t t, int mode) {
  const TrProgram *p = r->p;
  const TrTask *tasks = p->tasks;
  TrCtr *c = r->c;
  for (;;) {
    const TrTask *tk = &tasks[t];
    exec_task(r, w, t, tk, mode);
    /* relaxed store: the progress thread reads it (run_done) */
    __atomic_store_n(&w->done, w->done + 1, __ATOMIC_RELAXED);
    if (w->done == FLUSH_EVERY)
      flush_done(r, w);
    const uint32_t *us = p->users + tk->users_off;
    uint32_t nu = tk->nusers, next = UINT32_MAX;
    uint64_t nkey = NONE; /* key of next, once computed */
    for (uint32_t k = 0; k < nu; k++) {
      uint32_t u = us[k];
      if (!count_down(&c[u].deps, mode)) {
        __builtin_prefetch(&tasks[u]); /* it may well run soon */
        continue;
      }
      if (next == UINT32_MAX) {
        next = u;
        continue;
      }
      if (nkey == NONE)
        nkey = task_key(r, next);
      uint64_t key = task_key(r, u);
      if (key < nkey) {
        heap_push(&w->q, nkey);
        nkey = key;
        next = u;
      } else {
        heap_push(&w->q, key);
      }
    }
    maybe_publish(r, w, mode);
    if (next == UINT32_MAX)
      return;
    if (w->q.n > 0 || w->blo < w->bhi || ((mode & M_MT) && RELAXED(r->stop))) {
      if (nkey == NONE)
        nkey = task_key(r, next);
      if ((w->q.n > 0 && heap_top(&w->q) < nkey) || (w->blo < w->bhi && *w->blo < nkey) ||
          ((mode & M_MT) && RELAXED(r->stop))) {
        heap_push(&w->q, nkey);
        return;
      }
    }
    t = next;
  }
}

/* ---------------- one thread ---------------- */

HOT void single_loop(Run *r, Worker *w, int mode) {
  uint32_t t;
  while (next_local(r, w, &t, mode))
    run_from(r, w, t, mode);
}

static bool run_single(Run *r) {
  Worker *w = r->w;
  w->blo = r->init;
  w->bhi = r->init + r->ninit;
  jmp_buf jb, *const prev = tr_fail_jmp;
  if (setjmp(jb)) {
    tr_fail_jmp = prev;
    r->fail.task = tr_cur_task;
    r->fail.subkey = tr_subtask_key();
    memcpy(r->fail.msg, tr_fail_msg, TR_MSG_MAX);
    return false;
  }
  tr_fail_jmp = &jb;
  switch (r->mode) { /* one specialised copy of the loop per mode */
  case 0:
    single_loop(r, w, 0);
    break;
  case M_TRACE:
    single_loop(r, w, M_TRACE);
    break;
  case M_STATS:
    single_loop(r, w, M_STATS);
    break;
  default:
    single_loop(r, w, M_TRACE | M_STATS);
    break;
  }
  flush_done(r, w);
  tr_fail_jmp = prev;
  return true;
}

/* ---------------- N threads ---------------- */

/* ---------------- tasks released from outside ---------------- */


TrGate *tr_gate_new(void) {
  TrGate *g = xalloc(1, sizeof *g);
  pthread_mutex_init(&g->mu, NULL);
  return g;
}

void tr_gate_free(TrGate *g) {
  pthread_mutex_destroy(&g->mu);
  free(g->ready);
  free(g);
}

/* Waking under g->mu: the run clears g->run under it before it ends, so
 * a run found here is alive. */
void tr_gate_release(TrGate *g, uint32_t task) {
  pthread_mutex_lock(&g->mu);
  if (g->n == g->cap) {
    g->cap = g->cap ? 2 * g->cap : 64;
    g->ready = realloc(g->ready, g->cap * sizeof *g->ready);
    if (!g->ready) {
      fputs("error: out of memory\n", stderr);
      exit(1);
    }
  }
  g->ready[g->n] = task;
  __atomic_store_n(&g->n, g->n + 1, __ATOMIC_SEQ_CST);
  if (g->run)
    wake_one(g->run);
  pthread_mutex_unlock(&g->mu);
}

void tr_gate_set_poll(TrGate *g, void (*poll)(void *), void *ctx) {
  g->poll = poll;
  g->poll_ctx = ctx;
}

static void gate_attach(Run *r, Run *run) {
  pthread_mutex_lock(&r->gate->mu);
  r->gate->run = run;
  pthread_mutex_unlock(&r->gate->mu);
}

/* Move every released task into this worker's heap. */
static bool take_released(Run *r, Worker *w) {
  TrGate *g = r->gate;
  if (!g || SEQ_LOAD(g->n) == 0)
    return false;
  pthread_mutex_lock(&g->mu);
  uint32_t n = g->n;
  for (uint32_t i = 0; i < n; i++)
    heap_push(&w->q, task_key(r, g->ready[i]));
  __atomic_store_n(&g->n, 0, __ATOMIC_SEQ_CST);
  pthread_mutex_unlock(&g->mu);
  return n > 0;
}

/* No local work: claim, steal, spin a little, then sleep. false = stop. */
static bool find_work(Run *r, Worker *w, uint32_t *t) {
  flush_done(r, w);
  SEQ_ADD(r->hungry, 1);
  bool found = false;
  for (int spins = 0; !LOAD(r->stop);) {
    if (claim(r, w) || steal(r, w) || take_released(r, w)) {
      found = next_local(r, w, t, M_MT);
      break;
    }
    if (++spins < SPINS) {
      if (r->gate && r->gate->poll) /* only runs with a gate (MPI) */
        r->gate->poll(r->gate->poll_ctx);
      else
        cpu_relax();
      continue;
    }
    sleep_until_work(r);
    spins = 0;
  }
  SEQ_ADD(r->hungry, -1);
  return found;
}

static void record_failure(Run *r) {
  int expect = 0;
  if (__atomic_compare_exchange_n(&r->failed, &expect, 1, false, __ATOMIC_ACQ_REL,
                                  __ATOMIC_ACQUIRE)) {
    r->fail.task = tr_cur_task;
    r->fail.subkey = tr_subtask_key();
    memcpy(r->fail.msg, tr_fail_msg, TR_MSG_MAX);
  }
  STORE(r->stop, 1);
  wake_all(r);
}

HOT void worker_loop(Run *r, Worker *w, int mode) {
  uint32_t t;
  while (!RELAXED(r->stop) && (next_local(r, w, &t, mode) || find_work(r, w, &t)))
    run_from(r, w, t, mode);
}

static void *worker_main(void *arg) {
  Worker *const w = arg;
  Run *const r = w->run;
  tr_rng_init(w->id);
  jmp_buf jb;
  if (setjmp(jb)) {
    STORE(w->in_task, 0);
    record_failure(r);
    goto out;
  }
  tr_fail_jmp = &jb;
  switch (r->mode) { /* one specialised copy of the loop per mode */
  case 0:
    worker_loop(r, w, M_MT);
    break;
  case M_TRACE:
    worker_loop(r, w, M_MT | M_TRACE);
    break;
  case M_STATS:
    worker_loop(r, w, M_MT | M_STATS);
    break;
  default:
    worker_loop(r, w, M_MT | M_TRACE | M_STATS);
    break;
  }
out:
  tr_fail_jmp = NULL;
  tr_live_flush();
  pthread_mutex_lock(&r->idle_mu);
  r->alive--;
  pthread_cond_broadcast(&r->main_cv);
  pthread_mutex_unlock(&r->idle_mu);
  return NULL;
}

static bool any_in_task(Run *r) {
  for (int k = 0; k < r->nw; k++)
    if (r->w[k].started && LOAD(r->w[k].in_task))
      return true;
  return false;
}

/* Wait for the workers. On failure, give up on workers stuck in a long task
 * (returns false: nothing may be freed). */
static bool wait_workers(Run *r) {
  pthread_mutex_lock(&r->idle_mu);
  while (r->alive > 0) {
    if (!LOAD(r->failed)) { /* workers broadcast main_cv when they exit */
      pthread_cond_wait(&r->main_cv, &r->idle_mu);
      continue;
    }
    if (any_in_task(r)) {
      pthread_mutex_unlock(&r->idle_mu);
      return false;
    }
    /* a worker may be just starting a task: look again shortly */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 20 * 1000000;
    if (ts.tv_nsec >= 1000000000) {
      ts.tv_sec++;
      ts.tv_nsec -= 1000000000;
    }
    pthread_cond_timedwait(&r->main_cv, &r->idle_mu, &ts);
  }
  pthread_mutex_unlock(&r->idle_mu);
  for (int k = 0; k < r->nw; k++)
    if (r->w[k].started)
      pthread_join(r->w[k].th, NULL);
  return true;
}

/* Tasks finished so far, for the progress bar: flushed counts plus each
 * worker's unflushed ones (racy by a few tasks; only drawn). */
static uint32_t run_done(void *arg) {
  Run *r = arg;
  uint32_t done = r->p->ntasks - __atomic_load_n(&r->left, __ATOMIC_RELAXED);
  for (int k = 0; k < r->nw; k++)
    done += __atomic_load_n(&r->w[k].done, __ATOMIC_RELAXED);
  return done;
}

static bool run_multi(Run *r, bool *joined) {
  for (int k = 0; k < r->nw; k++) {
    Worker *w = &r->w[k];
    pthread_mutex_lock(&r->idle_mu);
    r->alive++;
    pthread_mutex_unlock(&r->idle_mu);
    w->started = 1;
    if (pthread_create(&w->th, NULL, worker_main, w) != 0) {
      /* fewer workers: the others take the initial tasks and steal */
      w->started = 0;
      pthread_mutex_lock(&r->idle_mu);
      r->alive--;
      pthread_mutex_unlock(&r->idle_mu);
      if (k == 0) {
        fputs("error: cannot create a worker thread\n", stderr);
        exit(1);
      }
    }
  }
  *joined = wait_workers(r);
  return !LOAD(r->failed);
}

/* ---------------- setting up a run ---------------- */

static void free_run(Run *r) {
  for (int k = 0; k < r->nw; k++) {
    heap_free(&r->w[k].q);
    free(r->w[k].scratch);
  }
  if (r->threaded) {
    pthread_mutex_destroy(&r->idle_mu);
    pthread_cond_destroy(&r->idle_cv);
    pthread_cond_destroy(&r->main_cv);
  }
  free(r->w);
  free(r);
}

bool tr_run_opts(const TrProgram *p, TrRunOpts *o, TrValue *slots, TrFailure *fail) {
  int nw = o->nthreads < 1 ? 1 : o->nthreads;
  Run *r = xalloc(1, sizeof *r);
  r->p = p;
  r->slots = slots;
  r->left = p->ntasks;
  r->nw = nw;
  r->trace = o->trace;
  r->mode = (o->trace ? M_TRACE : 0) | (o->stats ? M_STATS : 0);
  r->fifo = o->fifo;
  r->gate = o->gate;
  r->threaded = nw > 1 || o->gate; /* released tasks need a waiting loop */
  tr_setup_get(p, o->fifo, &r->setup);
  r->c = r->setup.ctr;
  r->init = r->setup.init;
  r->ninit = r->setup.ninit;
  uint32_t maxin = r->setup.maxin;
  r->w = aligned_alloc(64, sizeof(Worker) * (size_t)nw);
  if (!r->w) {
    fputs("error: out of memory\n", stderr);
    exit(1);
  }
  memset(r->w, 0, sizeof(Worker) * (size_t)nw);
  for (int k = 0; k < nw; k++) {
    Worker *w = &r->w[k];
    w->id = (uint32_t)k;
    w->run = r;
    w->scratch = xalloc(maxin, sizeof(TrValue));
  }
  if (r->threaded) {
    pthread_mutex_init(&r->idle_mu, NULL);
    pthread_cond_init(&r->idle_cv, NULL);
    pthread_cond_init(&r->main_cv, NULL);
  }
  TrProgress *pg = o->progress ? tr_progress_start(run_done, r, p->ntasks) : NULL;
  bool ok, joined = true;
  if (p->ntasks == 0)
    ok = true;
  else if (!r->threaded)
    ok = run_single(r);
  else {
    if (r->gate)
      gate_attach(r, r);
    ok = run_multi(r, &joined);
    if (r->gate)
      gate_attach(r, NULL);
  }
  if (pg)
    tr_progress_stop(pg, ok);
  o->peak_live = r->peak;
  if (!ok)
    *fail = r->fail;
  if (joined) { /* else workers still run: leave everything to them */
    tr_setup_put(&r->setup, ok);
    free_run(r);
  }
  return ok;
}

bool tr_run(const TrProgram *p, int nthreads, TrValue *slots, TrFailure *fail) {
  TrRunOpts o = {.nthreads = nthreads};
  return tr_run_opts(p, &o, slots, fail);
}

void tr_run_free_outputs(const TrProgram *p, TrValue *slots) {
  for (uint32_t t = 0; t < p->ntasks; t++)
    if (p->tasks[t].nout > 0) {
      tr_decref(&slots[t]);
      slots[t].tag = TR_NONE;
    }
}
