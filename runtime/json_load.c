/* json_load.c - json.loads(s) as CPython 3.11's C scanner (Modules/_json.c)
 * reads a str: the same grammar (NaN, Infinity, -Infinity accepted; only
 * " \t\n\r" as whitespace; control characters rejected inside strings),
 * the same values (objects -> dicts in document order, a repeated key keeps
 * its first place and its last value), and failures with the same
 * JSONDecodeError texts at the same positions.
 *
 * Our strs are UTF-8 bytes while Python counts code points: the parser
 * works on bytes and turns the byte offset of an error into a code point
 * offset only when it formats the message. Every byte the grammar looks at
 * is ASCII, so bytes of multi-byte characters only ever pass through
 * strings. A lone surrogate escape (\ud800), which Python keeps in its str,
 * becomes its 3-byte generalized UTF-8 form (WTF-8), so json.dumps writes
 * it back as \ud800, as Python does.
 *
 * Ints must fit int64 (taskc's int); a bigger one in the result fails the
 * task (after the whole text parsed, as Python would have). A failure
 * while parsing unwinds through return values, releasing what was built,
 * and only then fails the task (tr_raise: JSONDecodeError is a ValueError,
 * so `except ValueError` catches it in a body). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "memlimit.h"
#include "rt.h"

/* CPython raises RecursionError past its recursion limit; nesting deeper
 * than this fails the same way instead of overflowing the C stack. */
enum { JSON_MAX_DEPTH = 990 };

/* Stands for an int beyond int64 while parsing (immortal, never printed). */
static TrStr big_marker = {.h = {-1}, .len = 0};

typedef struct Parser {
  const char *s;
  int64_t len;
  const char *err;  /* the message, without its position */
  int64_t err_pos;  /* byte offset the message points at */
  int depth;
  bool err_other;   /* not a JSONDecodeError: err is the whole message */
  char big[160];    /* the message about the first int too big, or "" */
  TrJsonKeys *keys; /* object keys to share, or NULL */
} Parser;

/* The key s[0, n) from the cache: JSON lines repeat the same keys in every
 * record, so one str per distinct key saves an allocation per key, and
 * lookups by the same str compare pointers. A slot keeps the last key
 * hashed to it. */
static TrValue json_key(TrJsonKeys *k, const char *s, int64_t n) {
  uint64_t h = 1469598103934665603ull;
  for (int64_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  TrValue *slot = &k->slot[h % TR_JSON_KEYS];
  if (slot->tag == TR_STR) {
    const TrStr *t = slot->u.p;
    if (t->len == n && !memcmp(t->data, s, (size_t)n)) {
      tr_incref(slot);
      return *slot;
    }
    tr_decref(slot);
  }
  *slot = tr_str_value(s, n);
  tr_incref(slot);
  return *slot;
}

void tr_json_keys_free(TrJsonKeys *k) {
  for (int i = 0; i < TR_JSON_KEYS; i++)
    tr_decref(&k->slot[i]);
}

static bool fail_at(Parser *p, const char *msg, int64_t pos) {
  p->err = msg;
  p->err_pos = pos;
  return false;
}

static bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static int64_t skip_ws(const Parser *p, int64_t i) {
  while (i < p->len && is_ws(p->s[i]))
    i++;
  return i;
}

static bool parse_value(Parser *p, int64_t i, int64_t *end, TrValue *out);

/* ---- strings ---- */

static void put_utf8(Buf *b, uint32_t c) {
  char u[4];
  int n;
  if (c < 0x80) {
    u[0] = (char)c;
    n = 1;
  } else if (c < 0x800) {
    u[0] = (char)(0xc0 | c >> 6);
    u[1] = (char)(0x80 | (c & 0x3f));
    n = 2;
  } else if (c < 0x10000) { /* surrogates too: WTF-8 */
    u[0] = (char)(0xe0 | c >> 12);
    u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
    u[2] = (char)(0x80 | (c & 0x3f));
    n = 3;
  } else {
    u[0] = (char)(0xf0 | c >> 18);
    u[1] = (char)(0x80 | ((c >> 12) & 0x3f));
    u[2] = (char)(0x80 | ((c >> 6) & 0x3f));
    u[3] = (char)(0x80 | (c & 0x3f));
    n = 4;
  }
  buf_putn(b, u, (size_t)n);
}

/* Four hex digits at s[i..i+4) into *c; false on a non-hex one. */
static bool hex4(const char *s, int64_t i, uint32_t *c) {
  uint32_t v = 0;
  for (int k = 0; k < 4; k++) {
    char d = s[i + k];
    int x = d >= '0' && d <= '9'   ? d - '0'
            : d >= 'a' && d <= 'f' ? d - 'a' + 10
            : d >= 'A' && d <= 'F' ? d - 'A' + 10
                                   : -1;
    if (x < 0)
      return false;
    v = v << 4 | (uint32_t)x;
  }
  *c = v;
  return true;
}

/* A \uXXXX escape whose 'u' is at s[i] (a surrogate pair joined as
 * scanstring_unicode joins it); *next is just after it. */
static bool unicode_escape(Parser *p, int64_t i, int64_t *next, uint32_t *c) {
  int64_t end = i + 5;
  if (end >= p->len || !hex4(p->s, i + 1, c))
    return fail_at(p, "Invalid \\uXXXX escape", i);
  if (*c >= 0xd800 && *c <= 0xdbff && end + 6 < p->len && p->s[end] == '\\' &&
      p->s[end + 1] == 'u') {
    uint32_t c2;
    if (!hex4(p->s, end + 2, &c2))
      return fail_at(p, "Invalid \\uXXXX escape", end + 1);
    if (c2 >= 0xdc00 && c2 <= 0xdfff) {
      *c = 0x10000 + ((*c - 0xd800) << 10) + (c2 - 0xdc00);
      end += 6;
    }
  }
  *next = end;
  return true;
}

static char simple_escape(char c) {
  switch (c) {
  case '"': return '"';
  case '\\': return '\\';
  case '/': return '/';
  case 'b': return '\b';
  case 'f': return '\f';
  case 'n': return '\n';
  case 'r': return '\r';
  case 't': return '\t';
  default: return 0;
  }
}

/* The string whose opening quote is at s[q]; *end just after its closing
 * quote. */
/* A str without escapes, the common case: made from the text in place.
 * false (nothing made) when an escape, a control character or the end
 * comes first. */
static bool plain_string(Parser *p, int64_t q, int64_t *end, TrValue *out, bool key) {
  const char *s = p->s + q + 1, *stop = p->s + p->len, *c = s;
  while (c < stop && *c != '"' && *c != '\\' && (unsigned char)*c > 0x1f)
    c++;
  if (c >= stop || *c != '"')
    return false;
  *out = key && p->keys ? json_key(p->keys, s, c - s) : tr_str_value(s, c - s);
  *end = c - p->s + 1;
  return true;
}

static bool parse_string(Parser *p, int64_t q, int64_t *end, TrValue *out) {
  if (plain_string(p, q, end, out, false))
    return true;
  Buf b = {0};
  int64_t i = q + 1;
  for (;;) {
    int64_t run = i;
    while (i < p->len && p->s[i] != '"' && p->s[i] != '\\') {
      if ((unsigned char)p->s[i] <= 0x1f) {
        free(b.p);
        return fail_at(p, "Invalid control character at", i);
      }
      i++;
    }
    buf_putn(&b, p->s + run, (size_t)(i - run));
    if (i >= p->len || (p->s[i] == '\\' && i + 1 >= p->len)) {
      free(b.p);
      return fail_at(p, "Unterminated string starting at", q);
    }
    if (p->s[i] == '"')
      break;
    char e = p->s[i + 1];
    if (e != 'u') {
      char c = simple_escape(e);
      if (!c) {
        free(b.p);
        return fail_at(p, "Invalid \\escape", i);
      }
      buf_putc(&b, c);
      i += 2;
      continue;
    }
    uint32_t c;
    if (!unicode_escape(p, i + 1, &i, &c)) {
      free(b.p);
      return false;
    }
    put_utf8(&b, c);
  }
  *out = tr_str_value(b.p ? b.p : "", (int64_t)b.len);
  free(b.p);
  *end = i + 1;
  return true;
}

/* ---- numbers: _match_number_unicode ---- */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool parse_number(Parser *p, int64_t start, int64_t *end, TrValue *out) {
  const char *s = p->s;
  int64_t i = start, n = p->len;
  bool is_float = false;
  if (s[i] == '-' && ++i >= n)
    return fail_at(p, "Expecting value", start);
  if (s[i] >= '1' && s[i] <= '9') {
    while (i < n && is_digit(s[i]))
      i++;
  } else if (s[i] == '0') {
    i++;
  } else {
    return fail_at(p, "Expecting value", start);
  }
  if (i + 1 < n && s[i] == '.' && is_digit(s[i + 1])) {
    is_float = true;
    i += 2;
    while (i < n && is_digit(s[i]))
      i++;
  }
  if (i + 1 < n && (s[i] == 'e' || s[i] == 'E')) {
    int64_t e = i++;
    if (i + 1 < n && (s[i] == '-' || s[i] == '+'))
      i++;
    while (i < n && is_digit(s[i]))
      i++;
    if (is_digit(s[i - 1]))
      is_float = true;
    else
      i = e; /* "1e" or "1e+": the number ends before the 'e' */
  }
  char stack[64], *t = i - start < (int64_t)sizeof stack ? stack : malloc((size_t)(i - start + 1));
  if (!t)
    tr_oom();
  memcpy(t, s + start, (size_t)(i - start));
  t[i - start] = 0;
  errno = 0;
  if (is_float) {
    *out = tr_float(strtod(t, NULL)); /* correctly rounded, as float() */
  } else {
    long long v = strtoll(t, NULL, 10);
    if (errno == ERANGE) {
      /* Python would parse on: a later syntax error wins, and a repeated
       * key may drop this value; a marker stands for it until the end */
      if (!p->big[0])
        snprintf(p->big, sizeof p->big, "json.loads: the int %.60s%s does not fit in 64 bits "
                 "(taskc's ints are int64)", t, strlen(t) > 60 ? "..." : "");
      *out = tr_obj(TR_STR, &big_marker);
    } else {
      *out = tr_int(v);
    }
  }
  if (t != stack)
    free(t);
  *end = i;
  return true;
}

/* ---- arrays and objects ---- */

static bool release(TrValue *v) {
  tr_decref(v);
  return false;
}

static bool parse_array(Parser *p, int64_t i, int64_t *end, TrValue *out) {
  TrValue l = tr_obj(TR_LIST, tr_seq_new(0));
  i = skip_ws(p, i);
  if (i < p->len && p->s[i] == ']') {
    *out = l;
    *end = i + 1;
    return true;
  }
  for (;;) {
    TrValue v;
    if (!parse_value(p, i, &i, &v))
      return release(&l);
    tr_list_append(l.u.p, &v);
    i = skip_ws(p, i);
    if (i < p->len && p->s[i] == ']')
      break;
    if (i >= p->len || p->s[i] != ',')
      return fail_at(p, "Expecting ',' delimiter", i) || release(&l);
    i = skip_ws(p, i + 1);
  }
  *out = l;
  *end = i + 1;
  return true;
}

static bool parse_object(Parser *p, int64_t i, int64_t *end, TrValue *out) {
  TrValue d = tr_obj(TR_DICT, tr_dict_new());
  i = skip_ws(p, i);
  if (i < p->len && p->s[i] == '}') {
    *out = d;
    *end = i + 1;
    return true;
  }
  for (;;) {
    TrValue k, v;
    if (i >= p->len || p->s[i] != '"')
      return fail_at(p, "Expecting property name enclosed in double quotes", i) ||
             release(&d);
    if (!plain_string(p, i, &i, &k, true) && !parse_string(p, i, &i, &k))
      return release(&d);
    i = skip_ws(p, i);
    if (i >= p->len || p->s[i] != ':') {
      tr_decref(&k);
      return fail_at(p, "Expecting ':' delimiter", i) || release(&d);
    }
    i = skip_ws(p, i + 1);
    if (!parse_value(p, i, &i, &v)) {
      tr_decref(&k);
      return release(&d);
    }
    tr_dict_set(d.u.p, &k, &v); /* a repeated key: first place, last value */
    i = skip_ws(p, i);
    if (i < p->len && p->s[i] == '}')
      break;
    if (i >= p->len || p->s[i] != ',')
      return fail_at(p, "Expecting ',' delimiter", i) || release(&d);
    i = skip_ws(p, i + 1);
  }
  *out = d;
  *end = i + 1;
  return true;
}

/* ---- values: scan_once_unicode ---- */

static bool word_at(const Parser *p, int64_t i, const char *w) {
  size_t n = strlen(w);
  return p->len - i >= (int64_t)n && !memcmp(p->s + i, w, n);
}

static bool nested(Parser *p, int64_t i, int64_t *end, TrValue *out, bool array) {
  if (++p->depth > JSON_MAX_DEPTH) {
    p->err_other = true;
    p->err = array ? "maximum recursion depth exceeded while decoding a JSON "
                     "array from a unicode string"
                   : "maximum recursion depth exceeded while decoding a JSON "
                     "object from a unicode string";
    return false;
  }
  bool ok = array ? parse_array(p, i + 1, end, out) : parse_object(p, i + 1, end, out);
  p->depth--;
  return ok;
}

static bool parse_value(Parser *p, int64_t i, int64_t *end, TrValue *out) {
  if (i >= p->len)
    return fail_at(p, "Expecting value", i);
  static const struct {
    const char *word;
    int64_t tag;
    double f;
  } words[] = {{"null", TR_NONE, 0},          {"true", TR_BOOL, 1},
               {"false", TR_BOOL, 0},         {"NaN", TR_FLOAT, NAN},
               {"Infinity", TR_FLOAT, INFINITY}, {"-Infinity", TR_FLOAT, -INFINITY}};
  switch (p->s[i]) {
  case '"': return parse_string(p, i, end, out);
  case '[': return nested(p, i, end, out, true);
  case '{': return nested(p, i, end, out, false);
  default: break;
  }
  for (size_t w = 0; w < sizeof words / sizeof *words; w++)
    if (word_at(p, i, words[w].word)) {
      *out = words[w].tag == TR_FLOAT ? tr_float(words[w].f)
             : words[w].tag == TR_BOOL ? tr_bool(words[w].f != 0)
                                       : (TrValue){.tag = TR_NONE};
      *end = i + (int64_t)strlen(words[w].word);
      return true;
    }
  return parse_number(p, i, end, out);
}

/* ---- the op ---- */

static bool holds_marker(const TrValue *v) {
  if (v->tag == TR_STR)
    return v->u.p == &big_marker;
  if (v->tag == TR_LIST) {
    const TrSeq *l = v->u.p;
    for (int64_t i = 0; i < l->len; i++)
      if (holds_marker(&l->items[i]))
        return true;
  }
  if (v->tag == TR_DICT) {
    const TrDict *d = v->u.p;
    for (int64_t i = 0; i < d->len; i++)
      if (holds_marker(&d->vals[i]))
        return true;
  }
  return false;
}

/* JSONDecodeError's text: "MSG: line L column C (char N)", N in code
 * points as Python counts them. */
static void decode_text(const Parser *p, Buf *b) {
  int64_t chars = 0, line = 1, line_start = 0; /* in code points */
  for (int64_t i = 0; i < p->err_pos && i < p->len; i++) {
    if (((unsigned char)p->s[i] & 0xc0) == 0x80)
      continue; /* a continuation byte: not a new code point */
    if (p->s[i] == '\n') {
      line++;
      line_start = chars + 1;
    }
    chars++;
  }
  buf_printf(b, "%s: line %lld column %lld (char %lld)", p->err, (long long)line,
             (long long)(chars - line_start + 1), (long long)chars);
}

static TrStr *decode_error(const Parser *p) {
  Buf b = {0};
  decode_text(p, &b);
  TrStr *m = tr_str_new(b.p, (int64_t)b.len);
  free(b.p);
  return m;
}

static _Noreturn void fail(const Parser *p) {
  if (p->err_other)
    tr_error(p->err);
  tr_raise(TR_EXC_VALUE, decode_error(p), true);
}

/* The value of the whole text, or false with the failure in *p. */
static bool parse_text(Parser *p, TrValue *out) {
  if (p->len >= 3 && !memcmp(p->s, "\xef\xbb\xbf", 3))
    return fail_at(p, "Unexpected UTF-8 BOM (decode using utf-8-sig)", 0);
  int64_t end;
  if (!parse_value(p, skip_ws(p, 0), &end, out))
    return false;
  end = skip_ws(p, end);
  if (end != p->len) {
    tr_decref(out);
    return fail_at(p, "Extra data", end);
  }
  if (p->big[0] && holds_marker(out)) {
    tr_decref(out);
    p->err = p->big;
    p->err_other = true;
    return false;
  }
  return true;
}

void tr_json_loads(const char *s, int64_t len, TrValue *out) {
  Parser p = {.s = s, .len = len};
  if (!parse_text(&p, out))
    fail(&p);
}

bool tr_json_parse(const char *s, int64_t len, TrValue *out, Buf *why, TrJsonKeys *keys) {
  Parser p = {.s = s, .len = len, .keys = keys};
  if (parse_text(&p, out))
    return true;
  if (p.err_other)
    buf_printf(why, "%s", p.err);
  else
    decode_text(&p, why);
  return false;
}

void tr_op_json_loads(const TrValue *a, int64_t n, TrValue *out) {
  (void)n;
  if (a->tag != TR_STR)
    tr_fail("the JSON object must be str, bytes or bytearray, not %s", tr_type_name(a));
  const TrStr *s = a->u.p;
  tr_json_loads(s->data, s->len, out);
}
