/* ops_misc.c - the impure builtins: print, time.sleep, time.time,
 * random.random, random.uniform. print output is serialised by one lock so
 * lines of different tasks never interleave. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "rt.h"

static pthread_mutex_t stdout_mu = PTHREAD_MUTEX_INITIALIZER;

void tr_stdout_lock(void) { pthread_mutex_lock(&stdout_mu); }
void tr_stdout_unlock(void) { pthread_mutex_unlock(&stdout_mu); }

void tr_print(const TrValue *args, int64_t n) {
  Buf b = {0};
  for (int64_t i = 0; i < n; i++) {
    if (i)
      buf_putc(&b, ' ');
    str_value(&b, &args[i]);
  }
  buf_putc(&b, '\n');
  tr_stdout_lock();
  fwrite(b.p, 1, b.len, stdout);
  fflush(stdout);
  tr_stdout_unlock();
  free(b.p);
}

void tr_op_print(const TrValue *a, int64_t n, TrValue *out) {
  tr_print(a, n);
  *out = (TrValue){.tag = TR_NONE};
}

/* print(args[1:]): args[0] only orders it after the previous print */
void tr_op_taskc_print_after(const TrValue *a, int64_t n, TrValue *out) {
  tr_print(a + 1, n - 1);
  *out = (TrValue){.tag = TR_NONE};
}

void tr_sleep(double s) {
  if (isnan(s))
    tr_error("Invalid value NaN (not a number)");
  if (s < 0)
    tr_error("sleep length must be non-negative");
  if (s > 1e12)
    s = 1e12;
  struct timespec ts = {.tv_sec = (time_t)s, .tv_nsec = (long)((s - floor(s)) * 1e9)};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
    ;
}

void tr_op_time_sleep(const TrValue *a, int64_t n, TrValue *out) {
  tr_sleep(tr_real(a));
  *out = (TrValue){.tag = TR_NONE};
}

void tr_op_time_time(const TrValue *a, int64_t n, TrValue *out) { *out = tr_float(tr_time()); }
void tr_op_random_random(const TrValue *a, int64_t n, TrValue *out) { *out = tr_float(tr_random()); }

void tr_op_random_uniform(const TrValue *a, int64_t n, TrValue *out) {
  double lo = tr_real(&a[0]), hi = tr_real(&a[1]);
  *out = tr_float(lo + (hi - lo) * tr_random());
}
