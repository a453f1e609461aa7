/* repr.c - Python's repr() and str() of TrValues.
 * Floats print through ir/pyfloat.c, the copy the compiler uses too. */
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "bigint_weak.h"
#include "frame.h"
#include "pyformat.h"

const char *tr_type_name(const TrValue *v) {
  static const char *names[] = {"NoneType", "bool", "int",   "float",
                                "str",      "list", "tuple", "dict"};
  if (v->tag == TR_ARRAY)
    return "numpy.ndarray";
  if (v->tag == TR_FRAME)
    return ((const TrFrame *)v->u.p)->series ? "Series" : "DataFrame";
  return v->tag >= 0 && v->tag <= TR_DICT ? names[v->tag] : "object";
}

/* Python's repr of a str: one implementation, shared with the compiler
 * (ir/pyformat.c), so compile-time and run-time text agree. */
static void repr_str(Buf *b, const TrStr *s) {
  char stack[256];
  PyfBuf pb = PYF_BUF_ON(stack);
  pyf_repr_str(&pb, s->data, (size_t)s->len);
  buf_putn(b, pb.p, pb.len);
  pyf_free(&pb);
}

static void repr_items(Buf *b, const TrValue *items, int64_t n) {
  for (int64_t i = 0; i < n; i++) {
    if (i)
      buf_puts(b, ", ");
    repr_value(b, &items[i]);
  }
}

void repr_int(Buf *b, int64_t i) {
  if (!tr_big(i)) {
    buf_printf(b, "%lld", (long long)i);
    return;
  }
  size_t n;
  char *s = tr_int_text(i, &n);
  buf_putn(b, s, n);
  free(s);
}

void repr_value(Buf *b, const TrValue *v) {
  char tmp[PYFLOAT_MAX];
  switch (v->tag) {
  case TR_NONE: buf_puts(b, "None"); break;
  case TR_BOOL: buf_puts(b, v->u.i ? "True" : "False"); break;
  case TR_INT: repr_int(b, v->u.i); break;
  case TR_FLOAT:
    pyfloat_repr(tmp, v->u.f);
    buf_puts(b, tmp);
    break;
  case TR_STR: repr_str(b, v->u.p); break;
  case TR_LIST: {
    const TrSeq *s = v->u.p;
    buf_putc(b, '[');
    repr_items(b, s->items, s->len);
    buf_putc(b, ']');
    break;
  }
  case TR_TUPLE: {
    const TrSeq *s = v->u.p;
    buf_putc(b, '(');
    repr_items(b, s->items, s->len);
    buf_puts(b, s->len == 1 ? ",)" : ")");
    break;
  }
  case TR_DICT: {
    const TrDict *d = v->u.p;
    buf_putc(b, '{');
    for (int64_t i = 0; i < d->len; i++) {
      if (i)
        buf_puts(b, ", ");
      repr_value(b, &d->keys[i]);
      buf_puts(b, ": ");
      repr_value(b, &d->vals[i]);
    }
    buf_putc(b, '}');
    break;
  }
  case TR_ARRAY: repr_array(b, v->u.p); break;
  case TR_FRAME: repr_frame(b, v->u.p); break;
  default: buf_printf(b, "<tag %lld>", (long long)v->tag); break;
  }
}

void str_value(Buf *b, const TrValue *v) {
  if (v->tag == TR_STR) {
    const TrStr *s = v->u.p;
    buf_putn(b, s->data, (size_t)s->len);
  } else if (v->tag == TR_ARRAY) {
    str_array(b, v->u.p);
  } else {
    repr_value(b, v);
  }
}

char *tr_repr(const TrValue *v) {
  Buf b = {0};
  repr_value(&b, v);
  return buf_cstr(&b);
}
