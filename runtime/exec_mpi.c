/* exec_mpi.c - the MPI executor (docs/mpi.md): one process per rank, each
 * running its share of the graph (exec_place.c) on its own thread pool.
 *
 * One thread at a time calls MPI (MPI_THREAD_SERIALIZED), holding
 * mpi_mu: mostly the communication thread; a `send` task that finds
 * mpi_mu free encodes and sends its value itself (saving a hand-over to
 * the communication thread, about a third of a small message's time on
 * this host), else it leaves the value in the outbox. The main thread
 * calls MPI_Init and MPI_Finalize before and after. The communication
 * thread loops over:
 *   - the outbox: values the `send` tasks handed over; each is encoded
 *     once (msg.c) and sent with MPI_Isend to every rank that reads it;
 *   - incoming messages (MPI_Iprobe): a value goes into its proxy's slot,
 *     and the proxy is released to the pool (tr_gate_release);
 *     on rank 0 also DONE (a rank finished, with its statistics) and FAIL
 *     (a task failed there: rank 0 prints the error and sends STOP to
 *     every rank; each one finalizes and exits with status 1);
 *   - the sends in flight (MPI_Test), freeing finished buffers.
 * It sleeps on a condition variable when nothing happens for a while; the
 * send tasks signal it. Idle workers poll too (worker_poll, between their
 * spins before they sleep), when mpi_mu is free: a value arriving for a
 * waiting rank is then received and run by the same thread, no wake-up
 * (bench/mpi: ~1-2 us per small message between ranks, was ~40 us of
 * thread hand-overs on this 2-core host). Workers never block on
 * communication. */
#include <limits.h>
#include <mpi.h>
#include <pthread.h>
#include <stdlib.h>
#include <sched.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exec.h"
#include "exec_place.h"
#include "msg.h"

enum { TAG_VALUE = 1, TAG_DONE = 2, TAG_FAIL = 3, TAG_DATA = 4, TAG_STOP = 5 };
/* Arrays of at least this many data bytes go as a header and their raw
 * data (msg.h): MPI reads and writes the arrays' own memory. */
enum { SPLIT_MIN = 32768 };
enum { NSTAT = 5 }; /* tasks run, messages sent, bytes sent, received, bytes */
/* Idle polling: yield IDLE_SPINS times, then sleep on the outbox's
 * condition variable for WAIT_MIN_US, doubling up to WAIT_MAX_US while
 * nothing happens (a rank busy computing costs ~1000 wake-ups a second;
 * a send task wakes the thread at once, a message waits at most that). */
enum { IDLE_SPINS = 2000, WAIT_MIN_US = 10, WAIT_MAX_US = 1000 };

static int my_rank, nranks;

typedef struct Blob { /* one encoded value, shared by its sends */
  int refs;
  Buf b;
} Blob;

typedef struct Pending {
  MPI_Request req;
  Blob *blob;   /* or NULL */
  TrValue hold; /* a value whose memory is being sent, or None */
} Pending;

typedef struct OutItem {
  uint32_t send; /* index of the send task */
  TrValue v;
} OutItem;

typedef struct Comm {
  TrShare sh;
  uint32_t ntasks;     /* of the whole program */
  TrValue *slots;      /* the share's slots */
  TrGate *gate;
  pthread_mutex_t mu;  /* outbox and state */
  pthread_cond_t cv;
  pthread_mutex_t mpi_mu; /* held to call MPI, and for the fields below */
  OutItem *out;
  uint32_t nout, cap;
  int state;           /* 0 running, 1 finished, 2 failed */
  char fail_text[2 * TR_MSG_MAX + 64];
  /* under mpi_mu (mostly the communication thread's) */
  Pending *pend;
  uint32_t npend, pcap;
  uint32_t received;   /* proxies filled */
  int ndone;           /* rank 0: other ranks finished */
  int64_t stat[NSTAT];
  int64_t (*all)[NSTAT]; /* rank 0: every rank's statistics */
} Comm;

static Comm *the_comm; /* the run in progress: the kinds below reach it */

static void oom(void) {
  fputs("error: out of memory\n", stderr);
  exit(1);
}

/* ---------------- kinds of the share's extra tasks ---------------- */

/* The communication thread filled the slot before releasing the task. */
static void recv_kind(const TrValue *in, const TrValue *k, TrValue *out) {}

static void send_value(Comm *c, OutItem *it);

static void send_kind(const TrValue *in, const TrValue *k, TrValue *out) {
  Comm *c = the_comm;
  uint32_t s = tr_cur_task - (c->sh.nlocal + c->sh.nproxy);
  tr_incref(&in[0]); /* until encoded; the task's own reference goes as usual */
  *out = (TrValue){.tag = TR_NONE};
  if (pthread_mutex_trylock(&c->mpi_mu) == 0) { /* MPI is free: send it now */
    send_value(c, &(OutItem){s, in[0]});
    pthread_mutex_unlock(&c->mpi_mu);
    pthread_mutex_lock(&c->mu); /* a sleeping communication thread polls again: */
    pthread_cond_signal(&c->cv); /* the reply may come soon */
    pthread_mutex_unlock(&c->mu);
    return;
  }
  pthread_mutex_lock(&c->mu);
  if (c->nout == c->cap) {
    c->cap = c->cap ? 2 * c->cap : 64;
    c->out = realloc(c->out, c->cap * sizeof *c->out);
    if (!c->out)
      oom();
  }
  c->out[c->nout++] = (OutItem){s, in[0]};
  pthread_cond_signal(&c->cv);
  pthread_mutex_unlock(&c->mu);
}

/* ---------------- the communication thread ---------------- */

static void add_pending(Comm *c, MPI_Request req, Blob *blob, const TrValue *hold) {
  if (c->npend == c->pcap) {
    c->pcap = c->pcap ? 2 * c->pcap : 64;
    c->pend = realloc(c->pend, c->pcap * sizeof *c->pend);
    if (!c->pend)
      oom();
  }
  c->pend[c->npend++] = (Pending){req, blob, {.tag = TR_NONE}};
  if (hold) {
    tr_incref(hold);
    c->pend[c->npend - 1].hold = *hold;
  }
}

/* Encode one handed-over value and start its sends. */
static void send_value(Comm *c, OutItem *it) {
  Blob *blob = calloc(1, sizeof *blob);
  if (!blob)
    oom();
  uint32_t orig = c->sh.orig[c->sh.nlocal + c->sh.nproxy + it->send];
  buf_putn(&blob->b, (const char *)&orig, sizeof orig);
  size_t data = tr_msg_head_bytes(&it->v, SPLIT_MIN);
  if (data)
    tr_msg_encode_head(&blob->b, &it->v);
  else
    tr_msg_encode(&blob->b, &it->v);
  if (blob->b.len > INT_MAX || data > INT_MAX) {
    fprintf(stderr, "error: task %s: its value (%zu bytes) is too large for one MPI "
                    "message (2 GiB at most)\n", c->sh.tasks[c->sh.nlocal + c->sh.nproxy + it->send].key,
            blob->b.len + data);
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  for (uint32_t j = c->sh.dst_off[it->send]; j < c->sh.dst_off[it->send + 1]; j++) {
    MPI_Request req;
    MPI_Isend(blob->b.p, (int)blob->b.len, MPI_BYTE, c->sh.dst[j], TAG_VALUE, MPI_COMM_WORLD,
              &req);
    blob->refs++;
    add_pending(c, req, blob, NULL);
    if (data) { /* right behind its header: MPI keeps their order */
      const TrArray *a = it->v.u.p;
      MPI_Isend(a->data, (int)data, MPI_BYTE, c->sh.dst[j], TAG_DATA, MPI_COMM_WORLD, &req);
      add_pending(c, req, NULL, &it->v);
    }
    c->stat[1]++;
    c->stat[2] += (int64_t)(blob->b.len + data);
  }
  tr_decref(&it->v);
  if (blob->refs == 0) {
    free(blob->b.p);
    free(blob);
  }
}

static bool drain_outbox(Comm *c) {
  pthread_mutex_lock(&c->mu);
  uint32_t n = c->nout;
  OutItem *items = NULL;
  if (n) {
    items = malloc(n * sizeof *items);
    if (!items)
      oom();
    memcpy(items, c->out, n * sizeof *items);
    c->nout = 0;
  }
  pthread_mutex_unlock(&c->mu);
  for (uint32_t i = 0; i < n; i++)
    send_value(c, &items[i]);
  free(items);
  return n > 0;
}

static bool test_pending(Comm *c) {
  uint32_t k = 0;
  bool any = false;
  for (uint32_t i = 0; i < c->npend; i++) {
    int done = 0;
    MPI_Test(&c->pend[i].req, &done, MPI_STATUS_IGNORE);
    if (!done) {
      c->pend[k++] = c->pend[i];
      continue;
    }
    any = true;
    tr_decref(&c->pend[i].hold);
    Blob *b = c->pend[i].blob;
    if (b && --b->refs == 0) {
      free(b->b.p);
      free(b);
    }
  }
  c->npend = k;
  return any;
}

static _Noreturn void abort_run(const char *text) {
  fflush(stdout);
  fputs(text, stderr);
  fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, 1);
  exit(1); /* not reached */
}

/* Leave the job after a failed task, with status 1. Workers may still be
 * inside tasks, so only this (the communication) thread calls MPI: it
 * drops its sends in flight, finalizes and exits. Why not MPI_Abort:
 * with Debian's Open MPI 4.1 and its external PMIx, mpirun crashed or
 * hung in PMIx_server_finalize after a few percent of aborts (measured
 * on tests/lit/mpi/task-fails.tg); a job whose ranks all finalize ends
 * the ordinary way and mpirun passes the status on. */
static _Noreturn void leave_failed(Comm *c) {
  for (uint32_t i = 0; i < c->npend; i++)
    MPI_Request_free(&c->pend[i].req);
  c->npend = 0;
  fflush(NULL);
  MPI_Finalize();
  _exit(1);
}

/* Rank 0: print a failure once and stop every rank. */
static _Noreturn void stop_job(Comm *c, const char *text) {
  fflush(stdout);
  fputs(text, stderr);
  fflush(stderr);
  for (int r = 1; r < nranks; r++)
    MPI_Send(NULL, 0, MPI_BYTE, r, TAG_STOP, MPI_COMM_WORLD);
  leave_failed(c);
}

static void got_value(Comm *c, const char *p, size_t n, int from) {
  uint32_t orig;
  TrValue v;
  size_t used;
  if (n < sizeof orig)
    abort_run("error: malformed MPI message (internal error)\n");
  memcpy(&orig, p, sizeof orig);
  uint32_t proxy = orig < c->ntasks ? c->sh.proxy[orig] : UINT32_MAX;
  if (proxy == UINT32_MAX || !tr_msg_decode(p + 4, n - 4, &used, &v) || used != n - 4)
    abort_run("error: malformed MPI message (internal error)\n");
  if (tr_msg_is_head(p + 4, n - 4)) { /* the data is the sender's next message */
    size_t data = tr_msg_head_bytes(&v, 0);
    TrArray *a = v.u.p;
    MPI_Recv(a->data, (int)data, MPI_BYTE, from, TAG_DATA, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    n += data;
  }
  c->slots[proxy] = v;
  c->received++;
  c->stat[3]++;
  c->stat[4] += (int64_t)n;
  tr_gate_release(c->gate, proxy);
}

/* One incoming message, if any. */
static bool poll_incoming(Comm *c) {
  int flag = 0;
  MPI_Status st;
  MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
  if (!flag)
    return false;
  int n = 0;
  MPI_Get_count(&st, MPI_BYTE, &n);
  char *buf = malloc(n > 0 ? (size_t)n : 1);
  if (!buf)
    oom();
  MPI_Recv(buf, n, MPI_BYTE, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  if (st.MPI_TAG == TAG_VALUE) {
    got_value(c, buf, (size_t)n, st.MPI_SOURCE);
  } else if (st.MPI_TAG == TAG_DONE && my_rank == 0 && n == (int)sizeof c->all[0]) {
    memcpy(c->all[st.MPI_SOURCE], buf, sizeof c->all[0]);
    c->ndone++;
  } else if (st.MPI_TAG == TAG_FAIL && my_rank == 0) {
    buf[n > 0 ? n - 1 : 0] = 0;
    stop_job(c, buf);
  } else if (st.MPI_TAG == TAG_STOP) {
    leave_failed(c);
  }
  free(buf);
  return true;
}

/* The text rank 0 prints for a failed task. */
static void failure_text(Comm *c, const TrFailure *f) {
  const char *key = f->subkey ? f->subkey : c->sh.tasks[f->task].key;
  char num[32];
  if (!key) {
    snprintf(num, sizeof num, "#%u", c->sh.orig[f->task]);
    key = num;
  }
  snprintf(c->fail_text, sizeof c->fail_text, "error: task %s failed: %s (on rank %d)\n", key,
           f->msg, my_rank);
}

/* This rank's state changed: failed (report, then wait for the abort) or
 * finished with everything sent and received. true: leave the loop. */
static bool check_state(Comm *c, bool *reported) {
  pthread_mutex_lock(&c->mu);
  int state = c->state;
  bool outbox_empty = c->nout == 0;
  pthread_mutex_unlock(&c->mu);
  if (state == 2 && !*reported) {
    *reported = true;
    if (my_rank == 0)
      stop_job(c, c->fail_text);
    MPI_Request req; /* rank 0 stops everyone */
    MPI_Isend(c->fail_text, (int)strlen(c->fail_text) + 1, MPI_CHAR, 0, TAG_FAIL,
              MPI_COMM_WORLD, &req);
    add_pending(c, req, NULL, NULL);
  }
  if (state != 1 || !outbox_empty || c->npend > 0 || c->received < c->sh.nproxy)
    return false;
  if (my_rank != 0) {
    MPI_Send(c->stat, NSTAT, MPI_INT64_T, 0, TAG_DONE, MPI_COMM_WORLD);
    return true;
  }
  return c->ndone == nranks - 1;
}

/* An idle worker's poll (tr_gate_set_poll): if MPI is free, take what
 * arrived and finish sends, so the worker runs a released task without
 * a hand-over from the communication thread (each costs tens of us when
 * threads outnumber cores). */
static void worker_poll(void *arg) {
  Comm *c = arg;
  if (pthread_mutex_trylock(&c->mpi_mu) != 0)
    return;
  while (poll_incoming(c)) {
  }
  test_pending(c);
  pthread_mutex_unlock(&c->mpi_mu);
}

static void idle_wait(Comm *c, int us) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_nsec += us * 1000;
  if (ts.tv_nsec >= 1000000000) {
    ts.tv_sec++;
    ts.tv_nsec -= 1000000000;
  }
  pthread_mutex_lock(&c->mu);
  if (c->nout == 0)
    pthread_cond_timedwait(&c->cv, &c->mu, &ts);
  pthread_mutex_unlock(&c->mu);
}

static void *comm_main(void *arg) {
  Comm *c = arg;
  bool reported = false;
  int wait_us = WAIT_MIN_US;
  for (int idle = 0;;) {
    pthread_mutex_lock(&c->mpi_mu);
    bool busy = drain_outbox(c);
    while (poll_incoming(c))
      busy = true;
    busy |= test_pending(c);
    bool leave = check_state(c, &reported);
    pthread_mutex_unlock(&c->mpi_mu);
    if (leave)
      break;
    if (busy) {
      idle = 0;
      wait_us = WAIT_MIN_US;
    } else if (++idle < IDLE_SPINS) {
      sched_yield();
    } else {
      idle_wait(c, wait_us);
      wait_us = wait_us * 2 > WAIT_MAX_US ? WAIT_MAX_US : wait_us * 2;
    }
  }
  tr_live_flush();
  return NULL;
}

/* ---------------- the executor ---------------- */

static void set_state(Comm *c, int state) {
  pthread_mutex_lock(&c->mu);
  c->state = state;
  pthread_cond_signal(&c->cv);
  pthread_mutex_unlock(&c->mu);
}

static void print_stats(Comm *c, double ms) {
  memcpy(c->all[0], c->stat, sizeof c->all[0]);
  for (int r = 0; r < nranks; r++)
    fprintf(stderr, "rank %d: tasks run %lld, sent %lld messages (%lld bytes), received %lld "
                    "messages (%lld bytes)\n", r, (long long)c->all[r][0],
            (long long)c->all[r][1], (long long)c->all[r][2], (long long)c->all[r][3],
            (long long)c->all[r][4]);
  int64_t msgs = 0;
  for (int r = 0; r < nranks; r++)
    msgs += c->all[r][1];
  fprintf(stderr, "ranks: %d, messages: %lld, run time: %.3f ms\n", nranks, (long long)msgs, ms);
}

/* The share's trace and outputs back at the original task ids. */
static void copy_back(Comm *c, const TrRunOpts *o, const TrTraceEv *sub_trace, TrValue *slots) {
  for (uint32_t i = 0; i < c->sh.nlocal; i++) {
    uint32_t t = c->sh.orig[i];
    if (o->trace)
      o->trace[t] = sub_trace[i];
    if (c->sh.tasks[i].nout > 0)
      slots[t] = c->slots[i];
  }
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static bool mpi_run(const TrProgram *p, TrRunOpts *o, TrValue *slots, TrFailure *fail) {
  double t0 = now_ms();
  if (nranks == 1) { /* nothing to place or send: the pool as is */
    bool ok = tr_run_opts(p, o, slots, fail);
    if (ok && o->stats)
      fprintf(stderr, "ranks: 1, messages: 0, run time: %.3f ms\n", now_ms() - t0);
    return ok;
  }
  Comm *c = calloc(1, sizeof *c);
  if (!c)
    oom();
  int32_t *owner = tr_place(p, nranks);
  tr_share_build(p, owner, nranks, my_rank, recv_kind, send_kind, &c->sh);
  free(owner);
  uint32_t ns = c->sh.sub.ntasks;
  c->slots = calloc(ns ? ns : 1, sizeof *c->slots);
  c->all = calloc((size_t)nranks, sizeof *c->all);
  TrTraceEv *sub_trace = o->trace ? calloc(ns ? ns : 1, sizeof *sub_trace) : NULL;
  if (!c->slots || !c->all || (o->trace && !sub_trace))
    oom();
  c->gate = tr_gate_new();
  tr_gate_set_poll(c->gate, worker_poll, c);
  c->stat[0] = c->sh.nlocal;
  c->ntasks = p->ntasks;
  pthread_mutex_init(&c->mu, NULL);
  pthread_mutex_init(&c->mpi_mu, NULL);
  pthread_cond_init(&c->cv, NULL);
  the_comm = c;
  pthread_t th;
  if (pthread_create(&th, NULL, comm_main, c) != 0) {
    fputs("error: cannot create the communication thread\n", stderr);
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  TrRunOpts so = *o;
  so.gate = c->gate;
  so.trace = sub_trace;
  so.progress = o->progress && my_rank == 0; /* rank 0's own tasks */
  TrFailure f;
  if (!tr_run_opts(&c->sh.sub, &so, c->slots, &f)) {
    failure_text(c, &f);
    set_state(c, 2);
    pthread_join(th, NULL); /* never returns: the job stops */
  }
  o->peak_live = so.peak_live;
  set_state(c, 1);
  pthread_join(th, NULL);
  copy_back(c, o, sub_trace, slots);
  if (o->stats && my_rank == 0)
    print_stats(c, now_ms() - t0);
  the_comm = NULL;
  pthread_mutex_destroy(&c->mu);
  pthread_mutex_destroy(&c->mpi_mu);
  pthread_cond_destroy(&c->cv);
  tr_gate_free(c->gate);
  tr_share_free(&c->sh);
  free(sub_trace);
  free(c->slots);
  free(c->all);
  free(c->out);
  free(c->pend);
  free(c);
  (void)fail;
  return true;
}

static void mpi_start(int *argc, char ***argv) {
  int provided = 0;
  MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &provided);
  if (provided < MPI_THREAD_SERIALIZED) {
    fputs("error: this MPI does not support MPI_THREAD_SERIALIZED\n", stderr);
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &my_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &nranks);
}

static bool mpi_writes(void) { return my_rank == 0; }
static int mpi_rank(void) { return my_rank; }

static int mpi_finish(int rc) {
  MPI_Finalize();
  return rc;
}

const TrExecutor tr_exec_mpi = {
    .name = "mpi",
    .start = mpi_start,
    .run = mpi_run,
    .writes_outputs = mpi_writes,
    .rank = mpi_rank,
    .finish = mpi_finish,
};
