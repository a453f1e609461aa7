/* exc.c - try/except and raise in function bodies (taskrt.h).
 *
 * A failure (tr_fail, tr_error) longjmps to tr_fail_jmp. A try block
 * points it at its own TrTry for its duration; a failure inside lands in
 * the body's handler code, which asks what kind of exception it was. The
 * runtime fails with messages, not exception objects, so the kind is
 * classified from the message (one table, below) unless `raise` set it.
 * A caught failure restores the recursion depth counted at the try. */
#include <stdlib.h>
#include <string.h>

#include "rt.h"

static _Thread_local int64_t raised = -1; /* kind set by tr_raise */
/* The whole text str(e) gives, when tr_fail_msg (TR_MSG_MAX bytes) may cut
 * it: a raise's message, a missing key's repr, int()'s and float()'s
 * ValueError. Plain malloc'd text, not a str, so that the live objects
 * count nothing a task never sees. Held until str(e) reads it, another
 * such failure replaces it, a failure without one is caught, or the
 * worker exits. */
static _Thread_local char *long_msg;
static _Thread_local size_t long_len;
static _Thread_local bool long_kept; /* the failure being handled set it */

static void drop_long_msg(void) {
  free(long_msg);
  long_msg = NULL;
  long_kept = false;
}

/* Takes m (malloc'd, n bytes and a NUL). */
static void keep_long_msg(char *m, size_t n) {
  drop_long_msg();
  long_msg = m;
  long_len = n;
  long_kept = true;
}

void tr_exc_thread_end(void) { drop_long_msg(); }

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
  if (!long_kept)
    drop_long_msg();
  long_kept = false;
  char m[TR_MSG_MAX];
  unquoted(tr_fail_msg, m, sizeof m);
  for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
    if (strstr(m, kinds[i].text))
      return kinds[i].kind;
  return TR_EXC_OTHER;
}

/* str(e): the message, without the "KeyError: " the task's message has. */
TrStr *tr_exc_str(void) {
  if (long_msg) {
    TrStr *s = tr_str_new(long_msg, (int64_t)long_len);
    drop_long_msg();
    return s;
  }
  const char *m = tr_fail_msg;
  if (!strncmp(m, "KeyError: ", 10))
    m += 10;
  return tr_str_new(m, (int64_t)strlen(m));
}

/* A failure whose message may pass TR_MSG_MAX (Python's ValueError of
 * float() quotes the whole str): classified as any failure, and str(e) of
 * it is the whole message. Takes msg (malloc'd, NUL after n bytes). */
void tr_fail_long(char *msg, size_t n) {
  char m[TR_MSG_MAX];
  snprintf(m, sizeof m, "%.*s", (int)(n < TR_MSG_MAX ? n : TR_MSG_MAX - 1), msg);
  msg[n] = 0;
  keep_long_msg(msg, n);
  tr_error(m);
}

/* d[k] of a missing key: the message "KeyError: " + repr(k), and str(e)
 * is all of repr(k), however long the key. */
void tr_key_error(const TrValue *k) {
  char *r = tr_repr(k), m[TR_MSG_MAX];
  snprintf(m, sizeof m, "KeyError: %s", r);
  keep_long_msg(r, strlen(r));
  tr_error(m);
}

void tr_raise(int64_t kind, TrStr *msg, bool owned) {
  char m[TR_MSG_MAX];
  snprintf(m, sizeof m, "%s", msg ? msg->data : "");
  drop_long_msg();
  if (msg) { /* kept whole for str(e): str(KeyError(k)) is repr(k) */
    TrValue v = tr_obj(TR_STR, msg);
    if (kind == TR_EXC_KEY) { /* uncaught, it reads as d[k]'s: KeyError: 'k' */
      char *r = tr_repr(&v);
      snprintf(m, sizeof m, "KeyError: %s", r);
      keep_long_msg(r, strlen(r));
    } else {
      char *c = malloc((size_t)msg->len + 1);
      if (c) {
        memcpy(c, msg->data, (size_t)msg->len + 1);
        keep_long_msg(c, (size_t)msg->len);
      }
    }
    if (owned) /* a temporary of the raise statement */
      tr_decref(&v);
  }
  long_kept = false; /* a raise is told apart by its kind */
  raised = kind;
  tr_error(m);
}

typedef struct Held {
  char *long_msg;
  size_t long_len;
  char msg[TR_MSG_MAX];
} Held;
_Static_assert(sizeof(Held) <= TR_EXC_HELD, "TR_EXC_HELD too small");

void tr_exc_hold(void *buf) {
  Held *h = buf;
  memcpy(h->msg, tr_fail_msg, TR_MSG_MAX);
  h->long_msg = long_msg; /* taken: the block's own failures replace it */
  h->long_len = long_len;
  long_msg = NULL;
  long_kept = false;
}

void tr_exc_resume(void *buf, int64_t kind) {
  Held *h = buf;
  memcpy(tr_fail_msg, h->msg, TR_MSG_MAX);
  drop_long_msg();
  if (h->long_msg)
    keep_long_msg(h->long_msg, h->long_len);
  tr_reraise(kind);
}

void tr_reraise(int64_t kind) {
  char m[TR_MSG_MAX];
  memcpy(m, tr_fail_msg, sizeof m);
  raised = kind;
  tr_error(m);
}
