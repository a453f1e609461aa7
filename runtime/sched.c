/* sched.c - the worker pool that runs a TrProgram.
 *
 * Counters (per run, preallocated; see docs/runtime.md):
 *   deps[t]  producers of t not finished yet; t is ready at 0.
 *   refs[p]  input references to p (over all consumers, repeats counted)
 *            not yet consumed; p's value is freed at 0 unless an output.
 * Counting references rather than distinct consumers lets a consumer
 * release its inputs with one decrement per in_idx entry, no dedup.
 *
 * One thread: no threads, no locks, one heap. N threads: N workers, each
 * with a heap under its own lock; a worker pops its own heap, then steals,
 * then sleeps on idle_cv. The calling thread waits on main_cv. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sched.h"

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define STORE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELEASE)
#define ADD(x, v) __atomic_add_fetch(&(x), (v), __ATOMIC_SEQ_CST)
#define SUB(x, v) __atomic_sub_fetch(&(x), (v), __ATOMIC_ACQ_REL)

typedef struct Run Run;

typedef struct Worker {
  pthread_mutex_t mu; /* guards q */
  Heap q;
  uint32_t count;     /* q.n, readable without the lock */
  int in_task;        /* inside a kind function (for abandoning on failure) */
  uint32_t id;
  Run *run;
  TrValue *scratch;   /* the inputs of the running task */
  pthread_t th;
  int started;
} __attribute__((aligned(64))) Worker;

struct Run {
  const TrProgram *p;
  TrValue *slots;
  uint32_t *deps, *refs;
  Worker *w;
  int nw;
  uint32_t left;    /* tasks not finished */
  int64_t nready;   /* tasks sitting in queues */
  int nsleep;       /* workers waiting on idle_cv */
  int stop;         /* all done, or failed */
  int failed;
  int alive;        /* workers not exited; under idle_mu */
  TrFailure fail;
  pthread_mutex_t idle_mu;
  pthread_cond_t idle_cv, main_cv;
};

static void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size);
  if (!p) {
    fputs("error: out of memory\n", stderr);
    exit(1);
  }
  return p;
}

/* Gather the inputs, call the kind, release the inputs' references. */
static inline void exec_task(Run *r, TrValue *in, uint32_t t, bool mt) {
  const TrProgram *p = r->p;
  const TrTask *tk = &p->tasks[t];
  const uint32_t *ii = p->in_idx + tk->in_off;
  TrValue *slots = r->slots;
  for (uint32_t j = 0; j < tk->nin; j++)
    in[j] = slots[ii[j]];
  tr_cur_task = t;
  p->kinds[tk->kind](in, p->consts + tk->k_off, &slots[t]);
  for (uint32_t j = 0; j < tk->nin; j++) {
    uint32_t q = ii[j];
    uint32_t left = mt ? SUB(r->refs[q], 1) : --r->refs[q];
    if (left == 0 && p->tasks[q].nout == 0)
      tr_decref(&slots[q]);
  }
  if (r->refs[t] == 0 && tk->nout == 0) /* nobody reads it */
    tr_decref(&slots[t]);
}

/* Counters for this run; returns the largest nin. */
static uint32_t init_counters(Run *r) {
  const TrProgram *p = r->p;
  uint32_t maxin = 1;
  for (uint32_t t = 0; t < p->ntasks; t++) {
    const TrTask *tk = &p->tasks[t];
    r->deps[t] = tk->ndeps;
    if (tk->nin > maxin)
      maxin = tk->nin;
    for (uint32_t j = 0; j < tk->nin; j++)
      r->refs[p->in_idx[tk->in_off + j]]++;
  }
  return maxin;
}

/* ---------------- one thread ---------------- */

static bool run_single(Run *r) {
  const TrProgram *p = r->p;
  Worker *w = r->w;
  for (uint32_t t = 0; t < p->ntasks; t++)
    if (p->tasks[t].ndeps == 0)
      heap_push(&w->q, heap_key(p->tasks[t].priority, t));
  jmp_buf jb, *const prev = tr_fail_jmp;
  if (setjmp(jb)) {
    tr_fail_jmp = prev;
    r->fail.task = tr_cur_task;
    memcpy(r->fail.msg, tr_fail_msg, TR_MSG_MAX);
    return false;
  }
  tr_fail_jmp = &jb;
  while (w->q.n > 0) {
    uint32_t t = (uint32_t)heap_pop(&w->q);
    exec_task(r, w->scratch, t, false);
    const TrTask *tk = &p->tasks[t];
    for (uint32_t k = 0; k < tk->nusers; k++) {
      uint32_t u = p->users[tk->users_off + k];
      if (--r->deps[u] == 0)
        heap_push(&w->q, heap_key(p->tasks[u].priority, u));
    }
  }
  tr_fail_jmp = prev;
  return true;
}

/* ---------------- N threads ---------------- */

static void wake_all(Run *r) {
  pthread_mutex_lock(&r->idle_mu);
  pthread_cond_broadcast(&r->idle_cv);
  pthread_cond_broadcast(&r->main_cv);
  pthread_mutex_unlock(&r->idle_mu);
}

static void push_ready(Run *r, Worker *w, uint32_t u) {
  pthread_mutex_lock(&w->mu);
  heap_push(&w->q, heap_key(r->p->tasks[u].priority, u));
  STORE(w->count, w->q.n);
  pthread_mutex_unlock(&w->mu);
  ADD(r->nready, 1);
  /* seq_cst pairs with the sleeper's nsleep++ then nready check: one of
   * the two sees the other, so no wakeup is lost. */
  if (__atomic_load_n(&r->nsleep, __ATOMIC_SEQ_CST) > 0) {
    pthread_mutex_lock(&r->idle_mu);
    pthread_cond_signal(&r->idle_cv);
    pthread_mutex_unlock(&r->idle_mu);
  }
}

static bool pop_from(Run *r, Worker *v, uint32_t *t) {
  if (LOAD(v->count) == 0)
    return false;
  bool ok = false;
  pthread_mutex_lock(&v->mu);
  if (v->q.n > 0) {
    *t = (uint32_t)heap_pop(&v->q);
    STORE(v->count, v->q.n);
    ok = true;
  }
  pthread_mutex_unlock(&v->mu);
  if (ok)
    SUB(r->nready, 1);
  return ok;
}

/* Next task for w: its own queue, then steal, then sleep. false = stop. */
static bool next_task(Run *r, Worker *w, uint32_t *t) {
  for (;;) {
    if (LOAD(r->stop))
      return false;
    for (int k = 0; k < r->nw; k++)
      if (pop_from(r, &r->w[(w->id + k) % r->nw], t))
        return true;
    pthread_mutex_lock(&r->idle_mu);
    __atomic_add_fetch(&r->nsleep, 1, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&r->nready, __ATOMIC_SEQ_CST) == 0 && !LOAD(r->stop))
      pthread_cond_wait(&r->idle_cv, &r->idle_mu);
    __atomic_sub_fetch(&r->nsleep, 1, __ATOMIC_SEQ_CST);
    pthread_mutex_unlock(&r->idle_mu);
  }
}

static void record_failure(Run *r) {
  int expect = 0;
  if (__atomic_compare_exchange_n(&r->failed, &expect, 1, false, __ATOMIC_ACQ_REL,
                                  __ATOMIC_ACQUIRE)) {
    r->fail.task = tr_cur_task;
    memcpy(r->fail.msg, tr_fail_msg, TR_MSG_MAX);
  }
  STORE(r->stop, 1);
  wake_all(r);
}

static void *worker_main(void *arg) {
  Worker *const w = arg;
  Run *const r = w->run;
  const TrProgram *const p = r->p;
  tr_rng_init(w->id);
  jmp_buf jb;
  if (setjmp(jb)) {
    STORE(w->in_task, 0);
    record_failure(r);
    goto out;
  }
  tr_fail_jmp = &jb;
  uint32_t t;
  while (next_task(r, w, &t)) {
    STORE(w->in_task, 1);
    exec_task(r, w->scratch, t, true);
    STORE(w->in_task, 0);
    const TrTask *tk = &p->tasks[t];
    for (uint32_t k = 0; k < tk->nusers; k++) {
      uint32_t u = p->users[tk->users_off + k];
      if (SUB(r->deps[u], 1) == 0)
        push_ready(r, w, u);
    }
    if (SUB(r->left, 1) == 0) {
      STORE(r->stop, 1);
      wake_all(r);
    }
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

static bool run_multi(Run *r, bool *joined) {
  const TrProgram *p = r->p;
  uint32_t next = 0;
  for (uint32_t t = 0; t < p->ntasks; t++)
    if (p->tasks[t].ndeps == 0) {
      Worker *w = &r->w[next++ % (uint32_t)r->nw];
      heap_push(&w->q, heap_key(p->tasks[t].priority, t));
      w->count = w->q.n;
      r->nready++;
    }
  pthread_mutex_init(&r->idle_mu, NULL);
  pthread_cond_init(&r->idle_cv, NULL);
  pthread_cond_init(&r->main_cv, NULL);
  for (int k = 0; k < r->nw; k++) {
    Worker *w = &r->w[k];
    pthread_mutex_lock(&r->idle_mu);
    r->alive++;
    pthread_mutex_unlock(&r->idle_mu);
    w->started = 1;
    if (pthread_create(&w->th, NULL, worker_main, w) != 0) {
      /* fewer workers: the others steal this one's queue */
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
  if (LOAD(r->failed))
    return false;
  return true;
}

bool tr_run(const TrProgram *p, int nthreads, TrValue *slots, TrFailure *fail) {
  if (nthreads < 1)
    nthreads = 1;
  Run *r = xcalloc(1, sizeof *r);
  r->p = p;
  r->slots = slots;
  r->deps = xcalloc(p->ntasks, sizeof *r->deps);
  r->refs = xcalloc(p->ntasks, sizeof *r->refs);
  r->left = p->ntasks;
  r->nw = nthreads;
  uint32_t maxin = init_counters(r);
  r->w = aligned_alloc(64, sizeof(Worker) * (size_t)nthreads);
  if (!r->w) {
    fputs("error: out of memory\n", stderr);
    exit(1);
  }
  memset(r->w, 0, sizeof(Worker) * (size_t)nthreads);
  for (int k = 0; k < nthreads; k++) {
    Worker *w = &r->w[k];
    w->id = (uint32_t)k;
    w->run = r;
    w->scratch = xcalloc(maxin, sizeof(TrValue));
    pthread_mutex_init(&w->mu, NULL);
  }
  bool ok, joined = true;
  if (p->ntasks == 0)
    ok = true;
  else if (nthreads == 1)
    ok = run_single(r);
  else
    ok = run_multi(r, &joined);
  if (!ok)
    *fail = r->fail;
  if (!joined)
    return false; /* workers still running: leave everything to them */
  for (int k = 0; k < nthreads; k++) {
    heap_free(&r->w[k].q);
    free(r->w[k].scratch);
    pthread_mutex_destroy(&r->w[k].mu);
  }
  if (nthreads > 1 && p->ntasks > 0) {
    pthread_mutex_destroy(&r->idle_mu);
    pthread_cond_destroy(&r->idle_cv);
    pthread_cond_destroy(&r->main_cv);
  }
  free(r->w);
  free(r->deps);
  free(r->refs);
  free(r);
  return ok;
}

void tr_run_free_outputs(const TrProgram *p, TrValue *slots) {
  for (uint32_t t = 0; t < p->ntasks; t++)
    if (p->tasks[t].nout > 0) {
      tr_decref(&slots[t]);
      slots[t].tag = TR_NONE;
    }
}
