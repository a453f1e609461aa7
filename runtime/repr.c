/* repr.c - Python's repr() and str() of TrValues.
 * Floats print through ir/pyfloat.c, the copy the compiler uses too. */
#include <string.h>

#include "array.h"
#include "frame.h"

const char *tr_type_name(const TrValue *v) {
  static const char *names[] = {"NoneType", "bool", "int",   "float",
                                "str",      "list", "tuple", "dict"};
  if (v->tag == TR_ARRAY)
    return "numpy.ndarray";
  if (v->tag == TR_FRAME)
    return ((const TrFrame *)v->u.p)->series ? "Series" : "DataFrame";
  return v->tag >= 0 && v->tag <= TR_DICT ? names[v->tag] : "object";
}

/* Length of the UTF-8 sequence at s (1 for an invalid byte); *cp gets the
 * code point, or -1 for an invalid byte. */
static int utf8_decode(const unsigned char *s, int64_t left, int32_t *cp) {
  unsigned c = s[0];
  int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (n == 0 || n > left) {
    *cp = -1;
    return 1;
  }
  int32_t v = n == 1 ? (int32_t)c : (int32_t)(c & (0x7f >> n));
  for (int i = 1; i < n; i++) {
    if ((s[i] & 0xc0) != 0x80) {
      *cp = -1;
      return 1;
    }
    v = (v << 6) | (s[i] & 0x3f);
  }
  *cp = v;
  return n;
}

static void repr_str(Buf *b, const TrStr *s) {
  bool sq = memchr(s->data, '\'', (size_t)s->len) != NULL;
  bool dq = memchr(s->data, '"', (size_t)s->len) != NULL;
  char q = sq && !dq ? '"' : '\'';
  buf_putc(b, q);
  const unsigned char *p = (const unsigned char *)s->data;
  for (int64_t i = 0; i < s->len;) {
    int32_t cp;
    int n = utf8_decode(p + i, s->len - i, &cp);
    if (cp == q || cp == '\\') {
      buf_putc(b, '\\');
      buf_putc(b, (char)cp);
    } else if (cp == '\n') {
      buf_puts(b, "\\n");
    } else if (cp == '\r') {
      buf_puts(b, "\\r");
    } else if (cp == '\t') {
      buf_puts(b, "\\t");
    } else if (cp < 0) {
      buf_printf(b, "\\x%02x", p[i]); /* not UTF-8: show the byte */
    } else if (cp < 0x20 || (cp >= 0x7f && cp <= 0xa0) || cp == 0xad) {
      buf_printf(b, "\\x%02x", (unsigned)cp);
    } else {
      buf_putn(b, (const char *)p + i, (size_t)n);
    }
    i += n;
  }
  buf_putc(b, q);
}

static void repr_items(Buf *b, const TrValue *items, int64_t n) {
  for (int64_t i = 0; i < n; i++) {
    if (i)
      buf_puts(b, ", ");
    repr_value(b, &items[i]);
  }
}

void repr_value(Buf *b, const TrValue *v) {
  char tmp[PYFLOAT_MAX];
  switch (v->tag) {
  case TR_NONE: buf_puts(b, "None"); break;
  case TR_BOOL: buf_puts(b, v->u.i ? "True" : "False"); break;
  case TR_INT: buf_printf(b, "%lld", (long long)v->u.i); break;
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
  } else {
    repr_value(b, v);
  }
}

char *tr_repr(const TrValue *v) {
  Buf b = {0};
  repr_value(&b, v);
  return buf_cstr(&b);
}
