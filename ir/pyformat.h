/* pyformat.h - Python's text formatting, the one copy shared by the
 * compiler's evaluator (the top level runs at compile time) and the runtime
 * (task bodies), so that f"{x:.3f}", "%5d" % i and "{}".format(s) give
 * the same text wherever they run, and the same text as CPython:
 *
 *   - format(v, spec): the format-spec mini-language
 *     [[fill]align][sign][z][#][0][width][,|_][.precision][type]
 *     for int, bool, float, str (and None/others with an empty spec);
 *   - str(v) and repr(v) of those (float repr through ir/pyfloat.c);
 *   - printf-style "fmt % args";
 *   - the pieces of a str.format template.
 *
 * Strings are bytes (UTF-8 when they are text): widths count code points,
 * as Python's do. Needs only libc and libm (it is compiled into libtaskrt).
 * Errors are Python's messages, written to err (the caller raises them as
 * a located compile-time error or a task failure). */
#ifndef TASKC_PYFORMAT_H
#define TASKC_PYFORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { PYF_ERR = 160 };

/* A growing byte buffer: p is malloc'd (free it when done), or starts in
 * the caller's array `stack` (PYF_BUF_ON; release with pyf_free), which
 * saves the allocations of the hot formatting paths. With `grow` set, the
 * memory comes from there instead (the compiler's arena: an error that
 * leaves through diag_error then leaks nothing) and pyf_free does
 * nothing. */
typedef struct PyfBuf {
  char *p;
  size_t len, cap;
  char *stack;
  void *(*grow)(void *ctx, void *old, size_t oldsize, size_t newsize);
  void *ctx;
} PyfBuf;
#define PYF_BUF_ON(arr) {.p = (arr), .cap = sizeof(arr), .stack = (arr)}
void pyf_free(PyfBuf *b);

void pyf_put_grow(PyfBuf *b, const char *s, size_t n);
/* Appends n bytes. The pieces of a format are a few bytes each, where a
 * memcpy call costs more than the copy: they are copied inline. */
static inline void pyf_put(PyfBuf *b, const char *s, size_t n) {
  if (n > 16 || b->len + n + 1 > b->cap) {
    pyf_put_grow(b, s, n);
    return;
  }
  char *d = b->p + b->len;
  for (size_t i = 0; i < n; i++)
    d[i] = s[i];
  d[n] = 0;
  b->len += n;
}
void pyf_putc(PyfBuf *b, char c);
/* A big int's decimal digits (no sign) in base 2, 8 or 16, appended. */
void pyf_big_digits(PyfBuf *out, const char *dec, size_t n, int base, bool upper);

typedef enum { PYF_NONE, PYF_BOOL, PYF_INT, PYF_FLOAT, PYF_STR, PYF_OTHER } PyfKind;

/* A value to format. INT/BOOL use i, FLOAT f, STR s/n. OTHER (a list,
 * tuple, dict, ...) comes pre-rendered: str in s/n, repr in r/rn, and its
 * Python type name in type (for the messages). A big int (beyond int64,
 * runtime/bigint.c) is an INT with s/n set to its decimal digits (no sign),
 * i its sign (-1 or 1) and f its value as a float (NaN if too large). */
typedef struct PyfArg {
  PyfKind kind;
  int64_t i;
  double f;
  const char *s;
  size_t n;
  const char *r;
  size_t rn;
  const char *type;
} PyfArg;

/* Python's type name of a: "int", "float", "str", ... */
const char *pyf_type_name(const PyfArg *a);

/* str(a) and repr(a) appended to b. */
void pyf_str(PyfBuf *b, const PyfArg *a);
void pyf_repr(PyfBuf *b, const PyfArg *a);
/* repr of the bytes s[0..n) as a Python str: quotes chosen as Python does
 * ('...' unless the text has ' and no "), escapes \\ \n \r \t \xNN. */
void pyf_repr_str(PyfBuf *b, const char *s, size_t n);

/* format(a, spec) appended to b; false with err set on a bad spec. */
bool pyf_format(PyfBuf *b, const PyfArg *a, const char *spec, size_t specn, char err[PYF_ERR]);
/* format(x, '.Nf') of a float appended, the same text pyf_format makes,
 * when it takes the short way (x finite, |x| < 1e9, N <= 9); false (and
 * nothing appended) otherwise. The hot spec of f-strings. */
bool pyf_fixed(PyfBuf *b, double x, int prec);

/* fmt % args appended to b. A single non-tuple right operand is one arg
 * with is_tuple false. Mappings (%(name)s) are not supported: err says so,
 * with limit set so that the caller can word it as a taskc limit. */
bool pyf_percent(PyfBuf *b, const char *fmt, size_t n, const PyfArg *args, size_t nargs,
                 char err[PYF_ERR]);

/* One piece of a str.format template: literal text (with {{ and }}
 * undoubled, into lit), then, when has_field, a replacement field
 * {name!conv:spec}. name is the field name as written ("" for automatic
 * numbering); conv is 0, 'r', 's' or 'a'; spec may itself hold nested
 * fields ({:{w}}), which the caller expands with pyf_template_next too. */
typedef struct PyfField {
  bool has_field;
  const char *name;
  size_t namen;
  char conv;
  const char *spec;
  size_t specn;
} PyfField;

/* Reads the piece of t[0..n) at *pos into lit (reset first) and f; returns
 * 1 for a piece, 0 at the end, -1 on a malformed template (err set). */
int pyf_template_next(const char *t, size_t n, size_t *pos, PyfBuf *lit, PyfField *f,
                      char err[PYF_ERR]);

/* The index of an all-digit field name ("0", "12"), or -1. */
int64_t pyf_field_index(const char *name, size_t n);

#endif
