/* progress.c - --progress: a bar on stderr, like Dask's ProgressBar,
 *   [#########                               ] | 23% Completed | 230000/1000000 tasks | 1.2s
 * drawn by its own thread every 100 ms while the run goes (only when
 * stderr is a terminal: redrawing with \r into a file or pipe would be
 * noise), and once, finished, at the end (always: a log shows the total).
 * It reads the run's counters (sched.c: run_done) without locks, so the
 * run pays nothing per task. stdout is never touched. */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "scheduler.h"

struct TrProgress {
  pthread_t th;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  uint32_t (*done)(void *);
  void *ctx;
  uint32_t total;
  bool stop, tty;
  struct timespec t0;
};

static double elapsed(const TrProgress *pg) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)(ts.tv_sec - pg->t0.tv_sec) + (double)(ts.tv_nsec - pg->t0.tv_nsec) * 1e-9;
}

static void draw(const TrProgress *pg, const char *end) {
  enum { WIDTH = 40 };
  uint32_t done = pg->done(pg->ctx);
  done = done > pg->total ? pg->total : done;
  double frac = pg->total ? (double)done / pg->total : 1.0;
  char bar[WIDTH + 1];
  int fill = (int)(frac * WIDTH);
  for (int i = 0; i < WIDTH; i++)
    bar[i] = i < fill ? '#' : ' ';
  bar[WIDTH] = 0;
  fprintf(stderr, "\r[%s] | %3d%% Completed | %u/%u tasks | %.1fs%s", bar, (int)(frac * 100),
          done, pg->total, elapsed(pg), end);
  fflush(stderr);
}

static void *progress_main(void *arg) {
  TrProgress *pg = arg;
  pthread_mutex_lock(&pg->mu);
  while (!pg->stop) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 100 * 1000000;
    if (ts.tv_nsec >= 1000000000) {
      ts.tv_sec++;
      ts.tv_nsec -= 1000000000;
    }
    pthread_cond_timedwait(&pg->cv, &pg->mu, &ts);
    if (!pg->stop)
      draw(pg, "");
  }
  pthread_mutex_unlock(&pg->mu);
  return NULL;
}

TrProgress *tr_progress_start(uint32_t (*done)(void *ctx), void *ctx, uint32_t total) {
  TrProgress *pg = calloc(1, sizeof *pg);
  if (!pg)
    return NULL;
  pg->done = done;
  pg->ctx = ctx;
  pg->total = total;
  pg->tty = isatty(STDERR_FILENO);
  clock_gettime(CLOCK_MONOTONIC, &pg->t0);
  pthread_mutex_init(&pg->mu, NULL);
  pthread_cond_init(&pg->cv, NULL);
  if (pg->tty && pthread_create(&pg->th, NULL, progress_main, pg) != 0)
    pg->tty = false; /* no thread: only the final line */
  return pg;
}

/* The final bar; a failed run leaves it where it stopped, on its own line,
 * so the error message that follows starts a line. */
void tr_progress_stop(TrProgress *pg, bool finished) {
  (void)finished;
  if (pg->tty) {
    pthread_mutex_lock(&pg->mu);
    pg->stop = true;
    pthread_cond_signal(&pg->cv);
    pthread_mutex_unlock(&pg->mu);
    pthread_join(pg->th, NULL);
  }
  draw(pg, "\n");
  pthread_mutex_destroy(&pg->mu);
  pthread_cond_destroy(&pg->cv);
  free(pg);
}
