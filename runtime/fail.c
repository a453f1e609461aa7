/* fail.c - failing the running task.
 *
 * Each worker sets tr_fail_jmp once, before its loop (not per task: the
 * task id lives in tr_cur_task). tr_fail formats the message into a
 * thread-local buffer and longjmps there; the worker then stops the run.
 * Outside a run (no jmp_buf) the message is printed and the process exits. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "rt.h"

_Thread_local jmp_buf *tr_fail_jmp;
_Thread_local char tr_fail_msg[TR_MSG_MAX];
_Thread_local uint32_t tr_cur_task;

/* Set by fused kinds before each inner task (NULL before the last one, whose
 * key is the fused task's own), so a failure names the task the program
 * wrote, not the chain. */
static _Thread_local const TrValue *subtask;

void tr_subtask(const TrValue *key) { subtask = key; }

const char *tr_subtask_key(void) {
  return subtask && subtask->tag == TR_STR ? ((TrStr *)subtask->u.p)->data
                                           : NULL;
}

static _Thread_local const TrValue *guard[8];
static _Thread_local int nguard, nlost;

void tr_guard(const TrValue *v) {
  if (nguard < 8)
    guard[nguard++] = v;
  else
    nlost++; /* too deep: leaked on failure, never mis-freed */
}

void tr_unguard(int n) {
  for (; n > 0; n--) {
    if (nlost > 0)
      nlost--;
    else if (nguard > 0)
      nguard--;
  }
}

static _Noreturn void unwind(void) {
  while (nguard > 0)
    tr_decref(guard[--nguard]);
  nlost = 0;
  if (tr_fail_jmp)
    longjmp(*tr_fail_jmp, 1);
  fflush(stdout);
  fprintf(stderr, "error: %s\n", tr_fail_msg);
  exit(1);
}

void tr_fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(tr_fail_msg, TR_MSG_MAX, fmt, ap);
  va_end(ap);
  unwind();
}

void tr_error(const char *msg) {
  snprintf(tr_fail_msg, TR_MSG_MAX, "%s", msg ? msg : "error");
  unwind();
}

void tr_overflow(void) { tr_error("integer overflow"); }

void tr_zero_division(const char *what) {
  tr_error(what && *what ? what : "division by zero");
}

void tr_index_error(int64_t i, int64_t len) {
  (void)len;
  if (tr_is_big(i)) /* Python's IndexError for an int past Py_ssize_t */
    tr_error(TR_BIG_INDEX_MSG);
  tr_error("list index out of range");
}

/* KEY is already a repr: 'inc-3' keeps its own quotes, ('a', 0) has none. */
void tr_report_failure(FILE *f, const char *key, const char *msg) {
  fprintf(f, "error: task %s failed: %s\n", key ? key : "?", msg);
  fflush(f);
}
