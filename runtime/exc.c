/* exc.c - try/except and raise in function bodies (taskrt.h).
 *
 * A failure (tr_fail, tr_error) longjmps to tr_fail_jmp. A try block
 * points it at its own TrTry for its duration; a failure inside lands in
 * the body's handler code, which asks what kind of exception it was. The
 * runtime fails with messages, not exception objects, so the kind is
 * classified from the message (one table, below) unless `raise` set it.
 * A caught failure restores the recursion depth counted at the try. */
#include <string.h>

#include "rt.h"

static _Thread_local int64_t raised = -1; /* kind set by tr_raise */
/* The whole message of the last `raise` on this thread (tr_fail_msg keeps
 * only TR_MSG_MAX bytes): str(e) of a raised exception is all of it. Held
 * from tr_raise until str(e) takes it, another raise replaces it, or a
 * failure that is not a raise is caught. */
static _Thread_local TrStr *raised_msg;
static _Thread_local bool long_failure; /* raised_msg is a tr_fail_long's */

static void drop_raised_msg(void) {
  if (raised_msg) {
    TrValue v = tr_obj(TR_STR, raised_msg);
    raised_msg = NULL;
    tr_decref(&v);
  }
}

void tr_try_push(TrTry *t) {
  t->prev = tr_fail_jmp;
  t->depth = tr_rec_get();
  tr_fail_jmp = (jmp_buf *)t->jb;
}

void tr_try_pop(TrTry *t) { tr_fail_jmp = t->prev; }

static const struct {
  const char *text;   /* a substring of the message */
  int64_t kind;
} kinds[] = {
    {"KeyError: ", TR_EXC_KEY},
    {"by zero", TR_EXC_ZERODIV},
    {"index out of range", TR_EXC_INDEX},
    {"into an index-sized integer", TR_EXC_INDEX},
    {"pop from empty list", TR_EXC_INDEX},
    {"is not in list", TR_EXC_VALUE},
    {"x not in list", TR_EXC_VALUE},
    {"math domain error", TR_EXC_VALUE},
    {"invalid literal", TR_EXC_VALUE},
    {"for integer string conversion", TR_EXC_VALUE},
    {"could not convert", TR_EXC_VALUE},
    {"must not be zero", TR_EXC_VALUE},
    {"cannot be zero", TR_EXC_VALUE},
    {"empty sequence", TR_EXC_VALUE},
    {"cannot convert float NaN", TR_EXC_VALUE},
    {"math range error", TR_EXC_OVERFLOW},
    {"integer overflow", TR_EXC_OVERFLOW},
    {"cannot convert float infinity", TR_EXC_OVERFLOW},
    {"too large to convert", TR_EXC_OVERFLOW}, /* int too large ... float */
    {"integer too large", TR_EXC_OVERFLOW},
    {"too many digits", TR_EXC_OVERFLOW},
    {"maximum recursion depth", TR_EXC_RECURSION},
    {"assertion failed", TR_EXC_ASSERT},
    {"substring not found", TR_EXC_VALUE},
    {"empty separator", TR_EXC_VALUE},
    {"Unknown format code", TR_EXC_VALUE},
    {"format specifier", TR_EXC_VALUE}, /* Invalid ..., Sign not allowed in ... */
    {"Cannot specify", TR_EXC_VALUE},   /* Cannot specify ',' with 's'. */
    {"alignment not allowed", TR_EXC_VALUE},
    {"unsupported format string", TR_EXC_TYPE},
    {"arguments for format string", TR_EXC_TYPE},
    {"converted during string formatting", TR_EXC_TYPE},
    {"format: a ", TR_EXC_TYPE},        /* %d format: a real number is required */
    {"unsupported operand", TR_EXC_TYPE},
    {"must be", TR_EXC_TYPE},
};

/* The message without its quoted parts: those are the program's values
 * (`invalid literal for int() with base 10: 'list index out of range'`
 * is a ValueError, whatever the str said). Quotes are Python's reprs, with
 * backslash escapes. */
static void unquoted(const char *m, char *out, size_t cap) {
  size_t n = 0;
  char q = 0;
  for (; *m && n + 1 < cap; m++) {
    if (q) {
      if (*m == '\\' && m[1])
        m++;
      else if (*m == q)
        q = 0;
    } else if (*m == '\'' || *m == '"') {
      q = *m;
    } else {
      out[n++] = *m;
    }
  }
  out[n] = 0;
}

int64_t tr_try_caught(TrTry *t) {
  tr_fail_jmp = t->prev;
  tr_rec_set(t->depth);
  if (raised >= 0) {
    int64_t k = raised;
    raised = -1;
    return k;
  }
  if (!long_failure)
    drop_raised_msg();
  long_failure = false;
  char m[TR_MSG_MAX];
  unquoted(tr_fail_msg, m, sizeof m);
  for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
    if (strstr(m, kinds[i].text))
      return kinds[i].kind;
  return TR_EXC_OTHER;
}

/* str(e): the message, without the "KeyError: " the task's message has. */
TrStr *tr_exc_str(void) {
  if (raised_msg) {
    TrStr *s = raised_msg;
    raised_msg = NULL;
    return s;
  }
  const char *m = tr_fail_msg;
  if (!strncmp(m, "KeyError: ", 10))
    m += 10;
  return tr_str_new(m, (int64_t)strlen(m));
}

/* A failure whose message may pass TR_MSG_MAX (Python's ValueError of
 * float() quotes the whole str): classified as any failure, and str(e) of
 * it is the whole message. Takes msg. */
void tr_fail_long(TrStr *msg) {
  drop_raised_msg();
  raised_msg = msg;
  long_failure = true;
  char m[TR_MSG_MAX];
  snprintf(m, sizeof m, "%s", msg->data);
  tr_error(m);
}

void tr_raise(int64_t kind, TrStr *msg, bool owned) {
  char m[TR_MSG_MAX];
  snprintf(m, sizeof m, "%s", msg ? msg->data : "");
  drop_raised_msg();
  long_failure = false;
  if (msg) { /* kept whole for str(e); a temporary of the raise is ours */
    TrValue v = tr_obj(TR_STR, msg);
    if (kind == TR_EXC_KEY) { /* str(KeyError(k)) is repr(k) */
      raised_msg = tr_str_repr(&v);
      if (owned)
        tr_decref(&v);
    } else {
      if (!owned)
        tr_incref(&v);
      raised_msg = msg;
    }
  }
  raised = kind;
  tr_error(m);
}

void tr_reraise(int64_t kind) {
  char m[TR_MSG_MAX];
  memcpy(m, tr_fail_msg, sizeof m);
  raised = kind;
  tr_error(m);
}
