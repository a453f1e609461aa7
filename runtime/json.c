/* json.c - values as Python's json.dumps writes them (default arguments):
 * ", " and ": " separators, ensure_ascii (\uXXXX, surrogate pairs), NaN and
 * Infinity for non-finite floats, tuples as arrays, dict keys turned into
 * strings. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "frame.h"

void json_float(Buf *b, double x) {
  char tmp[32];
  if (isnan(x))
    buf_puts(b, "NaN");
  else if (isinf(x))
    buf_puts(b, x > 0 ? "Infinity" : "-Infinity");
  else {
    pyfloat_repr(tmp, x);
    buf_puts(b, tmp);
  }
}

static void put_u(Buf *b, unsigned u) { buf_printf(b, "\\u%04x", u); }

void json_str(Buf *b, const char *s, int64_t len) {
  const unsigned char *p = (const unsigned char *)s;
  buf_putc(b, '"');
  for (int64_t i = 0; i < len;) {
    unsigned c = p[i];
    if (c < 0x80) {
      switch (c) {
      case '"': buf_puts(b, "\\\""); break;
      case '\\': buf_puts(b, "\\\\"); break;
      case '\n': buf_puts(b, "\\n"); break;
      case '\r': buf_puts(b, "\\r"); break;
      case '\t': buf_puts(b, "\\t"); break;
      case '\b': buf_puts(b, "\\b"); break;
      case '\f': buf_puts(b, "\\f"); break;
      default:
        if (c < 0x20 || c == 0x7f) /* json.dumps escapes all but ' '..'~' */
          put_u(b, c);
        else
          buf_putc(b, (char)c);
      }
      i++;
      continue;
    }
    /* decode one UTF-8 sequence; a stray byte is written as U+FFFD */
    int n = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    uint32_t cp = n ? c & (0x7fu >> n) : 0xfffd;
    for (int k = 1; k < n; k++) {
      if (i + k >= len || (p[i + k] & 0xc0) != 0x80) {
        n = 0;
        cp = 0xfffd;
        break;
      }
      cp = (cp << 6) | (p[i + k] & 0x3f);
    }
    i += n ? n : 1;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      put_u(b, 0xd800 | (cp >> 10));
      put_u(b, 0xdc00 | (cp & 0x3ff));
    } else {
      put_u(b, cp);
    }
  }
  buf_putc(b, '"');
}

static bool json_key(Buf *b, const TrValue *k, const char **err) {
  char tmp[32];
  switch (k->tag) {
  case TR_STR: {
    const TrStr *s = k->u.p;
    json_str(b, s->data, s->len);
    return true;
  }
  case TR_INT:
    buf_putc(b, '"');
    repr_int(b, k->u.i);
    buf_putc(b, '"');
    return true;
  case TR_BOOL: buf_puts(b, k->u.i ? "\"true\"" : "\"false\""); return true;
  case TR_NONE: buf_puts(b, "\"null\""); return true;
  case TR_FLOAT: {
    Buf t = {0};
    json_float(&t, k->u.f);
    snprintf(tmp, sizeof tmp, "%s", t.p);
    free(t.p);
    buf_printf(b, "\"%s\"", tmp);
    return true;
  }
  default:
    *err = k->tag == TR_TUPLE ? "keys must be str, int, float, bool or None, not tuple"
                              : "keys must be str, int, float, bool or None";
    return false;
  }
}

bool json_value(Buf *b, const TrValue *v, const char **err) {
  switch (v->tag) {
  case TR_NONE: buf_puts(b, "null"); return true;
  case TR_BOOL: buf_puts(b, v->u.i ? "true" : "false"); return true;
  case TR_INT: repr_int(b, v->u.i); return true;
  case TR_FLOAT: json_float(b, v->u.f); return true;
  case TR_STR: {
    const TrStr *s = v->u.p;
    json_str(b, s->data, s->len);
    return true;
  }
  case TR_LIST:
  case TR_TUPLE: {
    const TrSeq *s = v->u.p;
    buf_putc(b, '[');
    for (int64_t i = 0; i < s->len; i++) {
      if (i)
        buf_puts(b, ", ");
      if (!json_value(b, &s->items[i], err))
        return false;
    }
    buf_putc(b, ']');
    return true;
  }
  case TR_DICT: {
    const TrDict *d = v->u.p;
    buf_putc(b, '{');
    for (int64_t i = 0; i < d->len; i++) {
      if (i)
        buf_puts(b, ", ");
      if (!json_key(b, &d->keys[i], err))
        return false;
      buf_puts(b, ": ");
      if (!json_value(b, &d->vals[i], err))
        return false;
    }
    buf_putc(b, '}');
    return true;
  }
  case TR_ARRAY: json_array(b, v->u.p); return true;
  case TR_FRAME: json_frame(b, v->u.p); return true;
  default: *err = "value is not JSON serializable"; return false;
  }
}
