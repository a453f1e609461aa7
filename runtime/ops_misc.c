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

/* Python's print(*args, sep=sep, end=end); sep, end NULL: ' ', '\n'. */
static void print_sep(const TrValue *args, int64_t n, const TrStr *sep,
                      const TrStr *end) {
  Buf b = {0};
  for (int64_t i = 0; i < n; i++) {
    if (i && sep)
      buf_putn(&b, sep->data, (size_t)sep->len);
    else if (i)
      buf_putc(&b, ' ');
    str_value(&b, &args[i]);
  }
  if (end)
    buf_putn(&b, end->data, (size_t)end->len);
  else
    buf_putc(&b, '\n');
  tr_stdout_lock();
  fwrite(b.p, 1, b.len, stdout);
  fflush(stdout);
  tr_stdout_unlock();
  free(b.p);
}

void tr_print(const TrValue *args, int64_t n) { print_sep(args, n, NULL, NULL); }

/* sep= / end= of print: a str, or None for the default. */
static const TrStr *print_kw(const TrValue *v, const char *name) {
  if (v->tag == TR_NONE)
    return NULL;
  if (v->tag != TR_STR)
    tr_fail("%s must be None or a string, not %s", name, tr_type_name(v));
  return v->u.p;
}

void tr_op_print(const TrValue *a, int64_t n, TrValue *out) {
  tr_print(a, n);
  *out = (TrValue){.tag = TR_NONE};
}

/* print(*args[3:], sep=args[1], end=args[2]): args[0] only orders it
 * after the previous print */
void tr_op_taskc_print_after(const TrValue *a, int64_t n, TrValue *out) {
  print_sep(a + 3, n - 3, print_kw(&a[1], "sep"), print_kw(&a[2], "end"));
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
