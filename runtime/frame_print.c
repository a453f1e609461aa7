/* frame_print.c - a DataFrame or Series as pandas 1.5 prints it (repr,
 * default display options: precision 6), for the text outputs:
 *
 * - a float column: every value as '{: .6f}', then trailing zeros trimmed
 *   while all values end in 0 (one kept after the point); scientific
 *   '{: .6e}' if some nonzero |value| < 1e-6, or a value > 1e6 makes a
 *   string longer than 12; NaN. Ints ' %d'; bools and strings with a
 *   leading space; missing strings NaN.
 * - a DataFrame: each column right-justified to its widest cell or header
 *   (numeric headers get a leading space), the index left-justified,
 *   columns joined by one space; no rows: "Empty DataFrame".
 * - a Series: index, three spaces, values; then "Name: x, dtype: float64".
 * Past 60 rows, the first and last 5 with a dots row between, and the
 * size ("[80 rows x 4 columns]", "Length: 80"). Wide frames are not wrapped
 * (pandas would, past 80 columns of text). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"

typedef struct Cells {
  char **s; /* n malloc'd strings */
  int64_t n;
  size_t width;
} Cells;

static char *dup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *dup_printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *s = malloc((size_t)(n > 0 ? n : 0) + 1);
  if (!s)
    tr_fail("out of memory");
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

static void cells_free(Cells *c) {
  for (int64_t i = 0; i < c->n; i++)
    free(c->s[i]);
  free(c->s);
}

static bool is_decimal_number(const char *s) {
  while (*s == ' ')
    s++;
  if (*s == '+' || *s == '-')
    s++;
  const char *d = s;
  while (*s >= '0' && *s <= '9')
    s++;
  if (s == d || *s != '.')
    return false;
  for (s++; *s >= '0' && *s <= '9'; s++)
    ;
  return *s == 0;
}

/* pandas' _trim_zeros_float */
static void trim_zeros(Cells *c) {
  for (;;) {
    bool any = false, all0 = true;
    for (int64_t i = 0; i < c->n; i++)
      if (is_decimal_number(c->s[i])) {
        any = true;
        all0 &= c->s[i][strlen(c->s[i]) - 1] == '0';
      }
    if (!any || !all0)
      break;
    for (int64_t i = 0; i < c->n; i++)
      if (is_decimal_number(c->s[i]))
        c->s[i][strlen(c->s[i]) - 1] = 0;
  }
  for (int64_t i = 0; i < c->n; i++) {
    size_t len = strlen(c->s[i]);
    if (is_decimal_number(c->s[i]) && c->s[i][len - 1] == '.') {
      char *t = dup_printf("%s0", c->s[i]);
      free(c->s[i]);
      c->s[i] = t;
    }
  }
}

static void format_floats(Cells *c, const double *x, bool sci) {
  for (int64_t i = 0; i < c->n; i++)
    c->s[i] = isnan(x[i]) ? dup_printf("NaN") : dup_printf(sci ? "% .6e" : "% .6f", x[i]);
}

static void float_cells(Cells *c, const double *x) {
  format_floats(c, x, false);
  size_t maxlen = 0;
  bool large = false, small = false;
  for (int64_t i = 0; i < c->n; i++) {
    maxlen = strlen(c->s[i]) > maxlen ? strlen(c->s[i]) : maxlen;
    double a = fabs(x[i]);
    large |= a > 1e6;
    small |= a < 1e-6 && a > 0;
  }
  if (small || (maxlen > 12 && large)) {
    for (int64_t i = 0; i < c->n; i++)
      free(c->s[i]);
    format_floats(c, x, true);
  }
  trim_zeros(c);
}

/* The rows shown: all, or pandas' first and last 5 past 60 rows. */
typedef struct View {
  int64_t rows[10], n; /* n shown; rows[] when truncated */
  bool cut;
} View;

static View view_of(const TrFrame *f) {
  View v = {{0}, f->nrows, f->nrows > 60};
  if (v.cut) {
    v.n = 10;
    for (int i = 0; i < 5; i++) {
      v.rows[i] = i;
      v.rows[5 + i] = f->nrows - 5 + i;
    }
  }
  return v;
}

static int64_t row_of(const View *v, int64_t i) { return v->cut ? v->rows[i] : i; }

/* A text cell as pandas' pprint_thing shows it: tabs, CRs and newlines
 * escaped (a quoted CSV field may hold them). */
static char *text_cell(const TrStr *s) {
  Buf b = {0};
  buf_puts(&b, " ");
  for (int64_t i = 0; i < s->len; i++) {
    char ch = s->data[i];
    if (ch == '\n' || ch == '\t' || ch == '\r')
      buf_printf(&b, "\\%c", ch == '\n' ? 'n' : ch == '\t' ? 't' : 'r');
    else
      buf_printf(&b, "%c", ch);
  }
  return buf_cstr(&b);
}

/* datetime64[ns]: one format for the shown values, as pandas picks it */
static void dt_cells(Cells *c, const TrColumn *col, const View *v) {
  int64_t *x = malloc((size_t)(v->n ? v->n : 1) * sizeof *x);
  if (!x)
    tr_fail("out of memory");
  for (int64_t i = 0; i < v->n; i++)
    x[i] = ((const int64_t *)col->data)[row_of(v, i)];
  int prec = frame_dt_precision(x, v->n);
  for (int64_t i = 0; i < v->n; i++) {
    Buf b = {0}; /* no sign column, unlike numbers */
    frame_dt_text(&b, x[i], prec);
    c->s[i] = buf_cstr(&b);
  }
  free(x);
}

static Cells column_cells(const TrColumn *col, const View *v) {
  int64_t n = v->n;
  Cells c = {calloc((size_t)(n ? n : 1), sizeof(char *)), n, 0};
  if (!c.s)
    tr_fail("out of memory");
  if (col->dtype == TR_COL_F64) {
    double *x = malloc((size_t)(n ? n : 1) * sizeof *x);
    if (!x)
      tr_fail("out of memory");
    for (int64_t i = 0; i < n; i++)
      x[i] = ((const double *)col->data)[row_of(v, i)];
    float_cells(&c, x);
    free(x);
  }
  if (col->dtype == TR_COL_DT)
    dt_cells(&c, col, v);
  for (int64_t i = 0; i < n && col->dtype != TR_COL_F64 && col->dtype != TR_COL_DT; i++) {
    int64_t r = row_of(v, i);
    if (col->dtype == TR_COL_I64)
      c.s[i] = dup_printf("% lld", (long long)((const int64_t *)col->data)[r]);
    else if (col->dtype == TR_COL_BOOL)
      c.s[i] = dup_printf(" %s", ((const uint8_t *)col->data)[r] ? "True" : "False");
    else {
      const TrStr *s = ((TrStr *const *)col->data)[r];
      c.s[i] = s ? text_cell(s) : dup_printf(" NaN");
    }
  }
  for (int64_t i = 0; i < n; i++)
    c.width = strlen(c.s[i]) > c.width ? strlen(c.s[i]) : c.width;
  return c;
}

static Cells index_cells(const TrFrame *f, const View *v) {
  Cells c = {calloc((size_t)(v->n ? v->n : 1), sizeof(char *)), v->n, 0};
  if (!c.s)
    tr_fail("out of memory");
  for (int64_t i = 0; i < v->n; i++) {
    int64_t r = row_of(v, i);
    c.s[i] = f->index    ? dup_printf("%s", f->index[r]->data)
             : f->labels ? dup_printf("%lld", (long long)f->labels[r])
                         : dup_printf("%lld", (long long)r);
    c.width = strlen(c.s[i]) > c.width ? strlen(c.s[i]) : c.width;
  }
  return c;
}

static void pad(Buf *b, size_t n) {
  for (; n > 0; n--)
    buf_putc(b, ' ');
}

/* Python's str.center */
static void center(Buf *b, const char *s, size_t width) {
  size_t len = strlen(s), marg = width > len ? width - len : 0;
  size_t left = marg / 2 + (marg & width & 1);
  pad(b, left);
  buf_puts(b, s);
  pad(b, marg - left);
}

static void repr_series(Buf *b, const TrFrame *f) {
  const TrColumn *col = &f->cols[0];
  View vw = view_of(f);
  if (f->nrows) {
    Cells ix = index_cells(f, &vw), v = column_cells(col, &vw);
    for (int64_t r = 0; r < vw.n; r++) {
      if (vw.cut && r == 5) { /* the dots row, centred under the values */
        pad(b, ix.width + 3);
        center(b, v.width > 3 ? "..." : "..", v.width);
        buf_putc(b, '\n');
      }
      buf_puts(b, ix.s[r]);
      pad(b, ix.width - strlen(ix.s[r]) + 3 + v.width - strlen(v.s[r]));
      buf_puts(b, v.s[r]);
      buf_putc(b, '\n');
    }
    cells_free(&ix);
    cells_free(&v);
  } else {
    buf_puts(b, "Series([], ");
  }
  if (col->name)
    buf_printf(b, "Name: %s, ", col->name->data);
  if (vw.cut)
    buf_printf(b, "Length: %lld, ", (long long)f->nrows);
  buf_printf(b, "dtype: %s", frame_dtype_name(col->dtype));
  if (!f->nrows)
    buf_putc(b, ')');
}

static void repr_empty(Buf *b, const TrFrame *f) {
  buf_puts(b, "Empty DataFrame\nColumns: [");
  for (int64_t c = 0; c < f->ncols; c++)
    buf_printf(b, "%s%s", c ? ", " : "", f->cols[c].name->data);
  buf_puts(b, "]\nIndex: []");
}

/* pandas' dots row: "..." in columns wider than 3, ".." else; the index's
 * on the left, the others on the right. */
static void dots_row(Buf *b, const Cells *ix, const Cells *cols, int64_t ncols) {
  buf_putc(b, '\n');
  const char *d = ix->width > 3 ? "..." : "..";
  buf_puts(b, d);
  pad(b, ix->width - strlen(d));
  for (int64_t c = 0; c < ncols; c++) {
    d = cols[c].width > 3 ? "..." : "..";
    pad(b, 1 + cols[c].width - strlen(d));
    buf_puts(b, d);
  }
}

void repr_frame(Buf *b, const TrFrame *f) {
  if (f->series) {
    repr_series(b, f);
    return;
  }
  if (!f->nrows) {
    repr_empty(b, f);
    return;
  }
  View vw = view_of(f);
  Cells ix = index_cells(f, &vw);
  Cells *cols = calloc((size_t)(f->ncols ? f->ncols : 1), sizeof *cols);
  char **heads = calloc((size_t)(f->ncols ? f->ncols : 1), sizeof *heads);
  if (!cols || !heads)
    tr_fail("out of memory");
  for (int64_t c = 0; c < f->ncols; c++) {
    cols[c] = column_cells(&f->cols[c], &vw);
    bool num = f->cols[c].dtype != TR_COL_OBJ;
    heads[c] = dup_printf("%s%s", num ? " " : "", f->cols[c].name->data);
    if (strlen(heads[c]) > cols[c].width)
      cols[c].width = strlen(heads[c]);
  }
  pad(b, ix.width);
  for (int64_t c = 0; c < f->ncols; c++) {
    pad(b, 1 + cols[c].width - strlen(heads[c]));
    buf_puts(b, heads[c]);
  }
  for (int64_t r = 0; r < vw.n; r++) {
    if (vw.cut && r == 5)
      dots_row(b, &ix, cols, f->ncols);
    buf_putc(b, '\n');
    buf_puts(b, ix.s[r]);
    pad(b, ix.width - strlen(ix.s[r]));
    for (int64_t c = 0; c < f->ncols; c++) {
      pad(b, 1 + cols[c].width - strlen(cols[c].s[r]));
      buf_puts(b, cols[c].s[r]);
    }
  }
  if (vw.cut)
    buf_printf(b, "\n\n[%lld rows x %lld columns]", (long long)f->nrows, (long long)f->ncols);
  for (int64_t c = 0; c < f->ncols; c++) {
    cells_free(&cols[c]);
    free(heads[c]);
  }
  free(cols);
  free(heads);
  cells_free(&ix);
}
