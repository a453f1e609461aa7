/* test_rt_util.h - helpers for the runtime unit tests: build a TrProgram by
 * hand (what taskc's codegen emits as constants), run tr_main in a forked
 * child with its stdout/stderr captured, and CHECK macros. */
#ifndef TEST_RT_UTIL_H
#define TEST_RT_UTIL_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rt.h"
#include "scheduler.h"

static int failures;
#define CHECK(c)                                                           \
  do {                                                                     \
    if (!(c)) {                                                            \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #c); \
      failures++;                                                          \
    }                                                                      \
  } while (0)
#define CHECK_STR(a, b)                                                                    \
  do {                                                                                     \
    const char *a_ = (a), *b_ = (b);                                                       \
    if (strcmp(a_, b_) != 0) {                                                             \
      fprintf(stderr, "%s:%d: got [%s], want [%s]\n", __FILE__, __LINE__, a_, b_);         \
      failures++;                                                                          \
    }                                                                                      \
  } while (0)

/* ---- building programs ---- */
typedef struct Builder {
  TrTask *tasks;
  uint32_t nt;
  uint32_t *in_idx, nin;
  TrValue *consts;
  uint32_t nk;
  uint32_t *users;
  TrOutput outs[16];
  uint32_t nout;
  TrKindFn kinds[16];
  const char *kind_names[16];
  uint32_t nkinds;
  TrProgram prog;
} Builder;

static inline void *test_alloc(size_t n) {
  void *p = calloc(n ? n : 1, 1);
  if (!p)
    abort();
  return p;
}

static inline void b_init(Builder *b, uint32_t max_tasks, uint32_t max_in, uint32_t max_k) {
  memset(b, 0, sizeof *b);
  b->tasks = test_alloc(max_tasks * sizeof *b->tasks);
  b->in_idx = test_alloc(max_in * sizeof *b->in_idx);
  b->consts = test_alloc(max_k * sizeof *b->consts);
}

static inline uint32_t b_kind(Builder *b, TrKindFn f, const char *name) {
  b->kinds[b->nkinds] = f;
  b->kind_names[b->nkinds] = name;
  return b->nkinds++;
}

static inline uint32_t b_task(Builder *b, uint32_t kind, const uint32_t *ins, uint32_t nin,
                       const TrValue *k, uint32_t nk, int32_t prio, const char *key) {
  TrTask *t = &b->tasks[b->nt];
  t->kind = kind;
  t->nin = nin;
  t->in_off = b->nin;
  t->k_off = b->nk;
  t->priority = prio;
  t->key = key;
  if (nin)
    memcpy(b->in_idx + b->nin, ins, nin * sizeof *ins);
  b->nin += nin;
  if (nk)
    memcpy(b->consts + b->nk, k, nk * sizeof *k);
  b->nk += nk;
  return b->nt++;
}

static inline void b_output(Builder *b, const char *name, uint32_t t) {
  b->outs[b->nout++] = (TrOutput){.name = name, .task = t};
  b->tasks[t].nout++;
}

/* ndeps and users from in_idx, counting each producer once per consumer. */
static inline const TrProgram *b_finish(Builder *b, const char *name) {
  /* first[k]: in_idx[k] is the first input of its task from that producer,
   * so both passes below see each (producer, consumer) pair once */
  uint32_t *mark = test_alloc(b->nt * sizeof *mark), *fill;
  bool *first = test_alloc(b->nin * sizeof *first);
  for (uint32_t t = 0; t < b->nt; t++)
    mark[t] = UINT32_MAX;
  for (uint32_t t = 0; t < b->nt; t++)
    for (uint32_t k = b->tasks[t].in_off; k < b->tasks[t].in_off + b->tasks[t].nin; k++) {
      uint32_t q = b->in_idx[k];
      if (mark[q] != t) {
        mark[q] = t;
        first[k] = true;
        b->tasks[t].ndeps++;
        b->tasks[q].nusers++;
      }
    }
  uint32_t off = 0;
  for (uint32_t t = 0; t < b->nt; t++) {
    b->tasks[t].users_off = off;
    off += b->tasks[t].nusers;
  }
  b->users = test_alloc(off * sizeof *b->users);
  fill = test_alloc(b->nt * sizeof *fill);
  for (uint32_t t = 0; t < b->nt; t++)
    for (uint32_t k = b->tasks[t].in_off; k < b->tasks[t].in_off + b->tasks[t].nin; k++)
      if (first[k]) {
        uint32_t q = b->in_idx[k];
        b->users[b->tasks[q].users_off + fill[q]++] = t;
      }
  free(mark);
  free(fill);
  free(first);
  b->prog = (TrProgram){.name = name, .ntasks = b->nt, .nkinds = b->nkinds,
                        .noutputs = b->nout, .tasks = b->tasks, .in_idx = b->in_idx,
                        .users = b->users, .consts = b->consts, .kinds = b->kinds,
                        .kind_names = b->kind_names, .outputs = b->outs};
  return &b->prog;
}

static inline void b_free(Builder *b) {
  free(b->tasks);
  free(b->in_idx);
  free(b->consts);
  free(b->users);
}

/* ---- running tr_main in a child ---- */
typedef struct Child {
  int status; /* exit status, or 128 + signal */
  double secs;
  char out[8192], err[4096];
} Child;

static inline void slurp(FILE *f, char *buf, size_t n) {
  rewind(f);
  size_t got = fread(buf, 1, n - 1, f);
  buf[got] = 0;
  fclose(f);
}

static inline double test_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* argv[0] is supplied; args is NULL-terminated. A watchdog alarm turns a
 * hang into status 128 + SIGALRM. */
static inline void run_child(const TrProgram *p, const char *const *args, Child *c) {
  char *argv[32] = {"prog"};
  int argc = 1;
  for (; args && args[argc - 1]; argc++)
    argv[argc] = (char *)args[argc - 1];
  FILE *out = tmpfile(), *err = tmpfile();
  fflush(stdout);
  fflush(stderr);
  double t0 = test_now();
  pid_t pid = fork();
  if (pid == 0) {
    alarm(20);
    dup2(fileno(out), 1);
    dup2(fileno(err), 2);
    int rc = tr_main(argc, argv, p);
    fflush(stdout);
    fflush(stderr);
    _exit(rc); /* no atexit/leak checks: a failed run leaks by design */
  }
  int st = 0;
  waitpid(pid, &st, 0);
  c->secs = test_now() - t0;
  c->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  slurp(out, c->out, sizeof c->out);
  slurp(err, c->err, sizeof c->err);
}

#endif
