/* array_print.c - arrays as NumPy 1.24 prints them (np.array repr with the
 * default print options: precision 8, threshold 1000, edgeitems 3,
 * linewidth 75, floatmode 'maxprec'), and as JSON nested lists.
 *
 * Layout follows numpy's arrayprint._formatArray: rows wrap at the line
 * width with a hanging indent, higher axes are separated by blank lines,
 * and an axis longer than 6 is summarised as 3 items, '...', 3 items when
 * the array has more than 1000 elements. Floats share one format chosen
 * from the values shown (FloatingFormat.fillFormat): positional with at most
 * 8 fractional digits, or scientific when the largest magnitude is >= 1e8 or
 * the smallest nonzero < 1e-4 or their ratio > 1000. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"

enum { PRECISION = 8, THRESHOLD = 1000, EDGE = 3, LINEWIDTH = 75 };

static double get_f(const TrArray *a, int64_t i) { return ((const double *)a->data)[i]; }
static int64_t get_i(const TrArray *a, int64_t i) { return ((const int64_t *)a->data)[i]; }
static bool get_b(const TrArray *a, int64_t i) { return ((const uint8_t *)a->data)[i] != 0; }

/* ---- float digits ---- */

/* Positional: integer and fraction parts (sign in ip), the fraction cut to
 * PRECISION digits as dragon4_positional(unique, fractional) does. */
static void positional(double x, char ip[40], char fp[40]) {
  char *o = ip;
  if (signbit(x))
    *o++ = '-';
  if (x == 0) {
    strcpy(o, "0");
    fp[0] = 0;
    return;
  }
  char d[32];
  int e = pyfloat_digits(x, 17, d), nd = (int)strlen(d);
  if (nd - (e + 1) > PRECISION) { /* too many fraction digits: round there */
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.*f", PRECISION, fabs(x));
    char *dot = strchr(tmp, '.');
    *dot = 0;
    strcpy(o, tmp);
    strcpy(fp, dot + 1);
    for (int n = (int)strlen(fp); n > 0 && fp[n - 1] == '0'; n--)
      fp[n - 1] = 0;
    return;
  }
  if (e < 0) {
    strcpy(o, "0");
    int z = -e - 1;
    memset(fp, '0', (size_t)z);
    strcpy(fp + z, d);
  } else {
    for (int i = 0; i <= e; i++)
      *o++ = i < nd ? d[i] : '0';
    *o = 0;
    strcpy(fp, nd > e + 1 ? d + e + 1 : "");
  }
}

/* Scientific, first pass: mantissa digits (first one, then the fraction,
 * at most prec) and the exponent. */
static int scientific(double x, int prec, char d[32]) {
  if (x == 0) {
    strcpy(d, "0");
    return 0;
  }
  return pyfloat_digits(x, prec + 1, d);
}

/* ---- the shared format of one array's elements ---- */

typedef struct Fmt {
  int64_t dtype;
  bool exp;          /* scientific notation */
  int prec;          /* scientific: fraction digits, all padded to it */
  int pad_left, pad_right, exp_size;
  int width;         /* int64: %*lld */
} Fmt;

static int ndigits_exp(int e) {
  int n = 0;
  for (e = abs(e); e; e /= 10)
    n++;
  return n < 2 ? 2 : n;
}

static void fill_float(Fmt *f, const double *v, int64_t n) {
  double maxv = 0, minv = INFINITY;
  bool finite = false, nonfinite = false, neginf = false;
  for (int64_t i = 0; i < n; i++) {
    double a = fabs(v[i]);
    if (!isfinite(v[i])) {
      nonfinite = true;
      neginf |= isinf(v[i]) && v[i] < 0;
      continue;
    }
    finite = true;
    if (a != 0) {
      maxv = fmax(maxv, a);
      minv = fmin(minv, a);
    }
  }
  f->exp = minv != INFINITY && (maxv >= 1e8 || minv < 1e-4 || maxv / minv > 1000.);
  f->pad_left = f->pad_right = 0;
  f->exp_size = -1;
  if (finite && f->exp) {
    int prec = 0;
    f->exp_size = 2;
    for (int64_t i = 0; i < n; i++) {
      if (!isfinite(v[i]))
        continue;
      char d[32];
      int e = scientific(v[i], PRECISION, d);
      int fr = (int)strlen(d) - 1;
      prec = fr > prec ? fr : prec;
      int ne = ndigits_exp(e);
      f->exp_size = ne > f->exp_size ? ne : f->exp_size;
      int il = signbit(v[i]) ? 2 : 1;
      f->pad_left = il > f->pad_left ? il : f->pad_left;
    }
    f->prec = prec;
    f->pad_right = f->exp_size + 2 + prec;
  } else if (finite) {
    for (int64_t i = 0; i < n; i++) {
      if (!isfinite(v[i]))
        continue;
      char ip[40], fp[40];
      positional(v[i], ip, fp);
      int il = (int)strlen(ip), fl = (int)strlen(fp);
      f->pad_left = il > f->pad_left ? il : f->pad_left;
      f->pad_right = fl > f->pad_right ? fl : f->pad_right;
    }
  }
  if (nonfinite) {
    int offset = f->pad_right + 1;
    int need = 3 - offset, needinf = 3 + neginf - offset;
    f->pad_left = need > f->pad_left ? need : f->pad_left;
    f->pad_left = needinf > f->pad_left ? needinf : f->pad_left;
  }
}

static void put_float(Buf *b, const Fmt *f, double x) {
  if (!isfinite(x)) {
    const char *s = isnan(x) ? "nan" : x > 0 ? "inf" : "-inf";
    buf_printf(b, "%*s", f->pad_left + f->pad_right + 1, s);
    return;
  }
  if (f->exp) {
    /* all values get exactly prec fraction digits, correctly rounded: numpy
     * prints more exact digits, not zeros, past the shortest repr (this
     * shows for subnormals: 5e-324 is 4.9e-324 next to 1.5e-323) */
    char m[40];
    snprintf(m, sizeof m, "%.*e", f->prec, fabs(x));
    char *e = strchr(m, 'e');
    int ex = atoi(e + 1);
    *e = 0;
    buf_printf(b, "%*s%s", f->pad_left - 1, signbit(x) ? "-" : "", m);
    if (f->prec == 0)
      buf_putc(b, '.');
    buf_printf(b, "e%c%0*d", ex < 0 ? '-' : '+', f->exp_size, abs(ex));
    return;
  }
  char ip[40], fp[40];
  positional(x, ip, fp);
  buf_printf(b, "%*s.%-*s", f->pad_left, ip, f->pad_right, fp);
}

static int int_len(int64_t v) {
  char tmp[24];
  return snprintf(tmp, sizeof tmp, "%lld", (long long)v);
}

static void put_elem(Buf *b, const Fmt *f, const TrArray *a, int64_t i) {
  switch (a->dtype) {
  case TR_F64: put_float(b, f, get_f(a, i)); break;
  case TR_I64: buf_printf(b, "%*lld", f->width, (long long)get_i(a, i)); break;
  default: buf_puts(b, get_b(a, i) ? " True" : "False"); break;
  }
}

/* ---- which elements are shown ---- */

typedef struct View {
  const TrArray *a;
  bool summary;
  int64_t stride[TR_MAXDIM];
} View;

static bool cut(const View *v, int axis) { return v->summary && v->a->shape[axis] > 2 * EDGE; }

/* Calls fn on every shown element (flat index) in C order. */
static void each_shown(const View *v, int axis, int64_t off, void (*fn)(void *, int64_t), void *ctx) {
  if (axis == v->a->ndim) {
    fn(ctx, off);
    return;
  }
  int64_t len = v->a->shape[axis];
  for (int64_t i = 0; i < len; i++) {
    if (cut(v, axis) && i == EDGE)
      i = len - EDGE;
    each_shown(v, axis + 1, off + i * v->stride[axis], fn, ctx);
  }
}

typedef struct Shown {
  const TrArray *a;
  double *f;
  int64_t n, imin, imax;
} Shown;

static void collect(void *ctx, int64_t i) {
  Shown *s = ctx;
  if (s->a->dtype == TR_F64) {
    s->f[s->n] = get_f(s->a, i);
  } else if (s->a->dtype == TR_I64) {
    int64_t x = get_i(s->a, i);
    s->imin = s->n == 0 || x < s->imin ? x : s->imin;
    s->imax = s->n == 0 || x > s->imax ? x : s->imax;
  }
  s->n++;
}

static void make_fmt(const View *v, Fmt *f) {
  const TrArray *a = v->a;
  int64_t cap = 1;
  for (int d = 0; d < a->ndim; d++)
    cap *= cut(v, d) ? 2 * EDGE : a->shape[d];
  Shown s = {a, NULL, 0, 0, 0};
  if (a->dtype == TR_F64)
    s.f = malloc((size_t)cap * sizeof(double));
  each_shown(v, 0, 0, collect, &s);
  memset(f, 0, sizeof *f);
  f->dtype = a->dtype;
  if (a->dtype == TR_F64)
    fill_float(f, s.f, s.n);
  else if (a->dtype == TR_I64) {
    int l1 = int_len(s.imin), l2 = int_len(s.imax);
    f->width = l1 > l2 ? l1 : l2;
  }
  free(s.f);
}

/* ---- layout (numpy's _formatArray and _extendLine) ---- */

typedef struct Layout {
  const View *v;
  const Fmt *f;
  Buf word;
  const char *sep;   /* between elements: ", " (repr) or " " (str) */
  const char *sep_r; /* the same without trailing spaces, at line ends */
} Layout;

static void extend_line(Buf *s, Buf *line, const char *word, size_t wlen, size_t width, size_t hang) {
  bool wrap = line->len + wlen > width && line->len > hang;
  if (wrap) {
    size_t n = line->len;
    while (n > 0 && line->p[n - 1] == ' ')
      n--;
    buf_putn(s, line->p, n);
    buf_putc(s, '\n');
    line->len = 0;
    for (size_t i = 0; i < hang; i++)
      buf_putc(line, ' ');
  }
  buf_putn(line, word, wlen);
}

static void put_spaces(Buf *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    buf_putc(b, ' ');
}

/* Appends the text of the sub-array at (axis, off) to out; hang is the
 * hanging indent (spaces), width the line width left at this depth. */
static void rec(Layout *L, Buf *out, int axis, int64_t off, size_t hang, size_t width) {
  const TrArray *a = L->v->a;
  int64_t len = a->shape[axis], stride = L->v->stride[axis];
  bool sum = cut(L->v, axis);
  Buf s = {0};
  if (axis == a->ndim - 1) {
    size_t elem_width = width - 1; /* room for ',' or ']' */
    Buf line = {0};
    put_spaces(&line, hang);
    for (int64_t i = 0; i < len; i++) {
      if (sum && i == EDGE) {
        extend_line(&s, &line, "...", 3, elem_width, hang);
        buf_puts(&line, L->sep);
        i = len - EDGE;
      }
      L->word.len = 0;
      put_elem(&L->word, L->f, a, off + i * stride);
      extend_line(&s, &line, L->word.p, L->word.len, elem_width, hang);
      if (i < len - 1)
        buf_puts(&line, L->sep);
    }
    buf_putn(&s, line.p, line.len);
    free(line.p);
  } else {
    int nl = (int)(a->ndim - axis - 1);
    for (int64_t i = 0; i < len; i++) {
      if (sum && i == EDGE) {
        put_spaces(&s, hang);
        buf_puts(&s, "...");
        buf_puts(&s, L->sep_r);
        for (int k = 0; k < nl; k++)
          buf_putc(&s, '\n');
        i = len - EDGE;
      }
      put_spaces(&s, hang);
      rec(L, &s, axis + 1, off + i * stride, hang + 1, width - 1);
      if (i < len - 1) {
        buf_puts(&s, L->sep_r);
        for (int k = 0; k < nl; k++)
          buf_putc(&s, '\n');
      }
    }
  }
  buf_putc(out, '[');
  if (s.len > hang)
    buf_putn(out, s.p + hang, s.len - hang);
  buf_putc(out, ']');
  free(s.p);
}

static void repr_scalar(Buf *b, const TrArray *a) {
  char tmp[32];
  if (a->dtype == TR_F64) {
    pyfloat_repr(tmp, get_f(a, 0));
    buf_puts(b, tmp);
  } else if (a->dtype == TR_I64) {
    buf_printf(b, "%lld", (long long)get_i(a, 0));
  } else {
    buf_puts(b, get_b(a, 0) ? "True" : "False");
  }
}

static const char *dtype_name(int64_t dtype) {
  return dtype == TR_F64 ? "float64" : dtype == TR_I64 ? "int64" : "bool";
}

/* The elements as numpy's array2string lays them out after prefix (its
 * length is the hanging indent), in LINEWIDTH less the suffix's length. */
static void layout(Buf *b, const TrArray *a, const char *prefix,
                   size_t suffix_len, const char *sep, const char *sep_r) {
  View v = {.a = a, .summary = a->size > THRESHOLD};
  int64_t st = 1;
  for (int d = (int)a->ndim - 1; d >= 0; d--) {
    v.stride[d] = st;
    st *= a->shape[d];
  }
  Fmt f;
  make_fmt(&v, &f);
  Layout L = {&v, &f, {0}, sep, sep_r};
  rec(&L, b, 0, 0, strlen(prefix) + 1, LINEWIDTH - suffix_len);
  free(L.word.p);
}

/* str(a), as print(a) shows it: numpy's array_str, no "array(" and the
 * elements separated by spaces. */
void str_array(Buf *b, const TrArray *a) {
  if (a->ndim == 0) {
    repr_scalar(b, a);
    return;
  }
  if (a->size == 0) {
    buf_puts(b, "[]");
    return;
  }
  layout(b, a, "", 0, " ", "");
}

void repr_array(Buf *b, const TrArray *a) {
  if (a->ndim == 0) {
    repr_scalar(b, a);
    return;
  }
  if (a->size == 0) { /* numpy shows the dtype (and a shape other than (0,)) */
    buf_puts(b, "array([], ");
    if (a->ndim > 1) {
      buf_puts(b, "shape=(");
      for (int d = 0; d < a->ndim; d++)
        buf_printf(b, d ? ", %lld" : "%lld", (long long)a->shape[d]);
      buf_puts(b, "), ");
    }
    buf_printf(b, "dtype=%s)", dtype_name(a->dtype));
    return;
  }
  const char *prefix = "array(";
  buf_puts(b, prefix);
  /* the line width leaves room for the closing ')' */
  layout(b, a, prefix, 1, ", ", ",");
  buf_putc(b, ')');
}

/* ---- JSON ---- */

static void json_elem(Buf *b, const TrArray *a, int64_t i) {
  if (a->dtype == TR_F64) {
    json_float(b, get_f(a, i));
  } else if (a->dtype == TR_I64) {
    buf_printf(b, "%lld", (long long)get_i(a, i));
  } else {
    buf_puts(b, get_b(a, i) ? "true" : "false");
  }
}

static void json_rec(Buf *b, const TrArray *a, int axis, int64_t off, const int64_t *stride) {
  if (axis == a->ndim) {
    json_elem(b, a, off);
    return;
  }
  buf_putc(b, '[');
  for (int64_t i = 0; i < a->shape[axis]; i++) {
    if (i)
      buf_puts(b, ", ");
    json_rec(b, a, axis + 1, off + i * stride[axis], stride);
  }
  buf_putc(b, ']');
}

void json_array(Buf *b, const TrArray *a) {
  int64_t stride[TR_MAXDIM], st = 1;
  for (int d = (int)a->ndim - 1; d >= 0; d--) {
    stride[d] = st;
    st *= a->shape[d];
  }
  json_rec(b, a, 0, 0, stride);
}
