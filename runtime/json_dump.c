/* json_dump.c - json.dumps(v) with Python's default arguments: ", " and
 * ": " separators, ensure_ascii, floats as repr (NaN, Infinity), tuples as
 * arrays, dict keys that are int, float, bool or None turned into strings
 * as Python turns them. Strings and floats are written by json.c, the
 * executable's own JSON printer, so the two never disagree.
 *
 * What JSON cannot hold fails the task with Python's TypeError text, after
 * the text written so far is released (the walker returns false instead of
 * failing in the middle). */
#include <stdlib.h>
#include <string.h>

#include "rt.h"

/* CPython's encoder raises RecursionError past its recursion limit. */
enum { JSON_MAX_DEPTH = 990 };

typedef struct Dumper {
  Buf *b;
  int depth;
  char err[160];
} Dumper;

/* A class name as Python's messages print it (type(x).__name__). */
static const char *class_name(const TrValue *v) {
  return v->tag == TR_ARRAY ? "ndarray" : tr_type_name(v);
}

static bool key(Dumper *d, const TrValue *k) {
  Buf *b = d->b;
  switch (k->tag) {
  case TR_STR: {
    const TrStr *s = k->u.p;
    json_str(b, s->data, s->len);
    return true;
  }
  case TR_INT: buf_printf(b, "\"%lld\"", (long long)k->u.i); return true;
  case TR_BOOL: buf_puts(b, k->u.i ? "\"true\"" : "\"false\""); return true;
  case TR_NONE: buf_puts(b, "\"null\""); return true;
  case TR_FLOAT:
    buf_putc(b, '"');
    json_float(b, k->u.f);
    buf_putc(b, '"');
    return true;
  default:
    snprintf(d->err, sizeof d->err, "keys must be str, int, float, bool or None, not %s",
             class_name(k));
    return false;
  }
}

static bool value(Dumper *d, const TrValue *v);

static bool items(Dumper *d, const TrSeq *s) {
  buf_putc(d->b, '[');
  for (int64_t i = 0; i < s->len; i++) {
    if (i)
      buf_puts(d->b, ", ");
    if (!value(d, &s->items[i]))
      return false;
  }
  buf_putc(d->b, ']');
  return true;
}

static bool object(Dumper *d, const TrDict *o) {
  buf_putc(d->b, '{');
  for (int64_t i = 0; i < o->len; i++) {
    if (i)
      buf_puts(d->b, ", ");
    if (!key(d, &o->keys[i]))
      return false;
    buf_puts(d->b, ": ");
    if (!value(d, &o->vals[i]))
      return false;
  }
  buf_putc(d->b, '}');
  return true;
}

static bool nested(Dumper *d, const TrValue *v) {
  if (++d->depth > JSON_MAX_DEPTH) {
    snprintf(d->err, sizeof d->err, "maximum recursion depth exceeded while encoding a "
                                    "JSON object");
    return false;
  }
  bool ok = v->tag == TR_DICT ? object(d, v->u.p) : items(d, v->u.p);
  d->depth--;
  return ok;
}

static bool value(Dumper *d, const TrValue *v) {
  Buf *b = d->b;
  switch (v->tag) {
  case TR_NONE: buf_puts(b, "null"); return true;
  case TR_BOOL: buf_puts(b, v->u.i ? "true" : "false"); return true;
  case TR_INT: buf_printf(b, "%lld", (long long)v->u.i); return true;
  case TR_FLOAT: json_float(b, v->u.f); return true;
  case TR_STR: {
    const TrStr *s = v->u.p;
    json_str(b, s->data, s->len);
    return true;
  }
  case TR_LIST:
  case TR_TUPLE:
  case TR_DICT: return nested(d, v);
  default:
    snprintf(d->err, sizeof d->err, "Object of type %s is not JSON serializable",
             class_name(v));
    return false;
  }
}

void tr_json_dumps(Buf *b, const TrValue *v) {
  Dumper d = {.b = b};
  if (value(&d, v))
    return;
  free(b->p);
  *b = (Buf){0};
  bool recursion = d.err[0] == 'm';
  tr_raise(recursion ? TR_EXC_RECURSION : TR_EXC_TYPE, tr_str_new(d.err, (int64_t)strlen(d.err)),
           true);
}

void tr_op_json_dumps(const TrValue *a, int64_t n, TrValue *out) {
  (void)n;
  Buf b = {0};
  tr_json_dumps(&b, a);
  *out = tr_str_value(b.p ? b.p : "", (int64_t)b.len);
  free(b.p);
}
