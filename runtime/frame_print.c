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
 * size ("[80 rows x 4 columns]", "Length: 80"). Past 80 characters a
 * frame shows the columns that fit, half from each end, around " ...",
 * as pandas fits a repr to an 80-column terminal. */
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

/* pandas' trim_front: leading spaces that every cell has */
static void trim_front(Cells *c) {
  for (;;) {
    for (int64_t i = 0; i < c->n; i++)
      if (c->s[i][0] != ' ')
        return;
    for (int64_t i = 0; i < c->n; i++)
      memmove(c->s[i], c->s[i] + 1, strlen(c->s[i]));
  }
}

/* A float64 or bool index (a groupby's keys): formatted as a column of
 * them, then trim_front; left-justified by the caller. */
static Cells typed_index_cells(const TrFrame *f, const View *v) {
  TrColumn col = {f->label_kind == TR_LABEL_F64 ? TR_COL_F64 : TR_COL_BOOL, NULL, NULL};
  double *x = malloc((size_t)(f->nrows ? f->nrows : 1) * sizeof *x);
  uint8_t *bl = malloc((size_t)(f->nrows ? f->nrows : 1));
  if (!x || !bl)
    tr_fail("out of memory");
  for (int64_t r = 0; r < f->nrows; r++) {
    memcpy(&x[r], &f->labels[r], sizeof x[r]);
    bl[r] = f->labels[r] != 0;
  }
  col.data = col.dtype == TR_COL_F64 ? (void *)x : (void *)bl;
  Cells c = column_cells(&col, v);
  free(x);
  free(bl);
  trim_front(&c);
  c.width = 0;
  for (int64_t i = 0; i < c.n; i++)
    c.width = strlen(c.s[i]) > c.width ? strlen(c.s[i]) : c.width;
  return c;
}

static void pad(Buf *b, size_t n) {
  for (; n > 0; n--)
    buf_putc(b, ' ');
}

/* One level of a MultiIndex as Index.format shows it: text as is, numbers
 * and bools formatted as a column of them, then trim_front. */
static Cells level_cells(const TrColumn *col, const View *v) {
  Cells c = column_cells(col, v);
  if (col->dtype == TR_COL_OBJ)
    for (int64_t i = 0; i < c.n; i++)
      if (c.s[i][0] == ' ')
        memmove(c.s[i], c.s[i] + 1, strlen(c.s[i])); /* text_cell's space */
  trim_front(&c);
  c.width = 0;
  for (int64_t i = 0; i < c.n; i++)
    c.width = strlen(c.s[i]) > c.width ? strlen(c.s[i]) : c.width;
  return c;
}

/* A MultiIndex as MultiIndex.format(names=True) lays it out: each level
 * formatted, a label left out while it and the levels before it equal the
 * row above's (sparsify_labels; never the last level), the levels
 * left-justified to their widest label or name and joined with SPACE
 * spaces (adjoin). *names gets the line of level names. */
static Cells multi_index_cells(const TrFrame *f, const View *v, size_t space, char **names) {
  const TrFrame *lv = f->levels;
  int64_t nl = lv->ncols;
  Cells *lc = calloc((size_t)(nl ? nl : 1), sizeof *lc);
  size_t *w = calloc((size_t)(nl ? nl : 1), sizeof *w);
  Cells c = {calloc((size_t)(v->n ? v->n : 1), sizeof(char *)), v->n, 0};
  if (!lc || !w || !c.s)
    tr_fail("out of memory");
  for (int64_t l = 0; l < nl; l++) {
    lc[l] = level_cells(&lv->cols[l], v);
    size_t nm = lv->cols[l].name ? strlen(frame_name_text(lv->cols[l].name)) : 0;
    w[l] = nm > lc[l].width ? nm : lc[l].width;
    if (l < nl - 1)
      w[l] += space;
  }
  Buf nb = {0};
  for (int64_t l = 0; l < nl; l++) {
    const char *nm = lv->cols[l].name ? frame_name_text(lv->cols[l].name) : "";
    buf_puts(&nb, nm);
    pad(&nb, w[l] - strlen(nm));
  }
  *names = buf_cstr(&nb);
  for (int64_t i = 0; i < v->n; i++) {
    Buf b = {0};
    bool same = i > 0; /* so far equal to the row above */
    for (int64_t l = 0; l < nl; l++) {
      same = same && l < nl - 1 && !strcmp(lc[l].s[i], lc[l].s[i - 1]);
      const char *t = same ? "" : lc[l].s[i];
      buf_puts(&b, t);
      pad(&b, w[l] - strlen(t));
    }
    c.s[i] = buf_cstr(&b);
    c.width = strlen(c.s[i]) > c.width ? strlen(c.s[i]) : c.width;
  }
  for (int64_t l = 0; l < nl; l++)
    cells_free(&lc[l]);
  free(lc);
  free(w);
  return c;
}

static Cells index_cells(const TrFrame *f, const View *v) {
  if (f->labels && !f->index && f->label_kind != TR_LABEL_INT)
    return typed_index_cells(f, v);
  Cells c = {calloc((size_t)(v->n ? v->n : 1), sizeof(char *)), v->n, 0};
  if (!c.s)
    tr_fail("out of memory");
  bool neg = false; /* pandas' ' %d', trimmed unless a label is negative */
  for (int64_t i = 0; i < v->n && f->labels && !f->index; i++)
    neg |= f->labels[row_of(v, i)] < 0;
  for (int64_t i = 0; i < v->n; i++) {
    int64_t r = row_of(v, i);
    c.s[i] = f->index    ? dup_printf("%s", f->index[r]->data)
             : f->labels ? dup_printf(neg ? "% lld" : "%lld", (long long)f->labels[r])
                         : dup_printf("%lld", (long long)r);
    c.width = strlen(c.s[i]) > c.width ? strlen(c.s[i]) : c.width;
  }
  return c;
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
  if (f->index_name && f->nrows && !f->levels)
    buf_printf(b, "%s\n", frame_name_text(f->index_name)); /* pandas' header line */
  if (f->nrows) {
    char *names = NULL; /* a MultiIndex's header line: its level names */
    Cells ix = f->levels ? multi_index_cells(f, &vw, 2, &names) : index_cells(f, &vw);
    Cells v = column_cells(col, &vw);
    if (names)
      buf_printf(b, "%s\n", names);
    free(names);
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
    buf_printf(b, "Name: %s, ", frame_name_text(col->name));
  if (vw.cut)
    buf_printf(b, "Length: %lld, ", (long long)f->nrows);
  buf_printf(b, "dtype: %s", frame_dtype_name(col->dtype));
  if (!f->nrows)
    buf_putc(b, ')');
}

/* Level lv (0 or 1) of a two-level column name "top\x1fname". */
static char *level_of(const TrStr *name, int lv) {
  const char *sep = memchr(name->data, '\x1f', (size_t)name->len), *s = frame_name_text(name);
  if (!sep)
    return dup_printf("%s", lv ? "" : s);
  if (lv)
    return dup_printf("%s", sep + 1 + (sep[1] == '\x1e' && sep[2]));
  return dup_printf("%.*s", (int)(sep - s), s);
}

static void repr_empty(Buf *b, const TrFrame *f) {
  buf_puts(b, "Empty DataFrame\nColumns: [");
  for (int64_t c = 0; c < f->ncols; c++) {
    if (f->col_levels == 2) {
      char *t = level_of(f->cols[c].name, 0), *s = level_of(f->cols[c].name, 1);
      buf_printf(b, "%s(%s, %s)", c ? ", " : "", t, s);
      free(t);
      free(s);
      continue;
    }
    buf_printf(b, "%s%s", c ? ", " : "", frame_name_text(f->cols[c].name));
  }
  buf_puts(b, "]\nIndex: []");
}

/* pandas' dots row: "..." in columns wider than 3, ".." else; the index's
 * on the left, the others on the right. */
static void dots_row(Buf *b, const Cells *ix, const int64_t *show, const size_t *width,
                     int64_t n) {
  buf_putc(b, '\n');
  const char *d = ix->width > 3 ? "..." : "..";
  buf_puts(b, d);
  pad(b, ix->width - strlen(d));
  for (int64_t k = 0; k < n; k++) {
    d = width[k] > 3 || show[k] < 0 ? "..." : "..";
    pad(b, 1 + width[k] - strlen(d));
    buf_puts(b, d);
  }
}

/* The headers of the columns show[0..n) (-1: the dots column): heads and,
 * for MultiIndex columns, the top level sparsified over those shown; each
 * width the widest of cells and headers. */
static void headers(const TrFrame *f, Cells *cols, const int64_t *show, int64_t n, char **heads,
                    char **tops, size_t *width) {
  bool multi = f->col_levels == 2; /* no leading spaces; the top sparsified */
  char *prev = NULL;                /* the last top level shown */
  for (int64_t k = 0; k < n; k++) {
    free(heads[k]);
    free(tops[k]);
    heads[k] = tops[k] = NULL;
    int64_t c = show[k];
    if (c < 0) { /* pandas' " ..." column */
      heads[k] = dup_printf(" ...");
      tops[k] = multi ? dup_printf(" ...") : NULL;
      width[k] = 4;
      prev = NULL;
      continue;
    }
    if (multi) {
      heads[k] = level_of(f->cols[c].name, 1);
      tops[k] = level_of(f->cols[c].name, 0);
      if (prev && !strcmp(tops[k], prev))
        tops[k][0] = 0; /* the same top as the column before */
      else
        prev = tops[k];
    } else {
      heads[k] = dup_printf("%s%s", f->cols[c].dtype != TR_COL_OBJ ? " " : "",
                            frame_name_text(f->cols[c].name));
    }
    width[k] = cols[c].width;
    width[k] = strlen(heads[k]) > width[k] ? strlen(heads[k]) : width[k];
    width[k] = tops[k] && strlen(tops[k]) > width[k] ? strlen(tops[k]) : width[k];
  }
}

/* pandas' _fit_strcols_to_terminal_width (a width of 80): while the lines
 * are too long (+1), drop the middle column (round half to even) of the
 * strcols, index included; then max(fitting - 1, 2) columns are shown,
 * half from each end, around a " ..." column. Returns the count in show. */
static int64_t fit_columns(size_t ixw, const size_t *width, int64_t ncols, int64_t *show) {
  int64_t n = ncols + 1, *alive = malloc((size_t)n * sizeof *alive);
  if (!alive)
    tr_fail("out of memory");
  int64_t len = (int64_t)ixw + ncols; /* adjoin(1): a space after all but the last */
  for (int64_t c = 0; c < ncols; c++)
    len += (int64_t)width[c];
  for (int64_t i = 0; i < n; i++)
    alive[i] = i;
  for (int64_t dif = len - 80 + 1; dif > 0 && n > 1;) {
    int64_t mid = n / 2 + ((n & 1) && ((n / 2) & 1)); /* round(n / 2) */
    dif -= (alive[mid] ? (int64_t)width[alive[mid] - 1] : (int64_t)ixw) + 1;
    memmove(alive + mid, alive + mid + 1, (size_t)(n - mid - 1) * sizeof *alive);
    n--;
  }
  free(alive);
  int64_t fitted = n - 1 > 2 ? n - 1 : 2, k = 0;
  if (ncols <= fitted) {
    for (; k < ncols; k++)
      show[k] = k;
    return k;
  }
  for (int64_t c = 0; c < fitted / 2; c++)
    show[k++] = c;
  show[k++] = -1;
  for (int64_t c = ncols - fitted / 2; c < ncols; c++)
    show[k++] = c;
  return k;
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
  /* the row of index names: a MultiIndex's comes from multi_index_cells */
  char *iname_s = f->index_name && !f->levels ? strdup(frame_name_text(f->index_name)) : NULL;
  Cells ix = f->levels ? multi_index_cells(f, &vw, 1, &iname_s) : index_cells(f, &vw);
  int64_t nc = f->ncols, m = nc + 1;
  Cells *cols = calloc((size_t)m, sizeof *cols);
  char **heads = calloc((size_t)m, sizeof *heads), **tops = calloc((size_t)m, sizeof *tops);
  size_t *width = calloc((size_t)m, sizeof *width);
  int64_t *show = calloc((size_t)m, sizeof *show);
  if (!cols || !heads || !tops || !width || !show)
    tr_fail("out of memory");
  for (int64_t c = 0; c < nc; c++) {
    cols[c] = column_cells(&f->cols[c], &vw);
    show[c] = c;
  }
  size_t iname = iname_s ? strlen(iname_s) : 0, line = 0;
  ix.width = iname > ix.width ? iname : ix.width;
  headers(f, cols, show, nc, heads, tops, width);
  int64_t ns = fit_columns(ix.width, width, nc, show);
  bool cut_h = false;
  for (int64_t k = 0; k < ns; k++)
    cut_h |= show[k] < 0;
  if (cut_h) /* pandas formats the truncated frame again */
    headers(f, cols, show, ns, heads, tops, width);
  for (int64_t k = 0; k < ns && f->col_levels == 2; k++) { /* the top level's row */
    if (!k)
      pad(b, ix.width);
    pad(b, 1 + width[k] - strlen(tops[k]));
    buf_puts(b, tops[k]);
    if (k == ns - 1)
      buf_putc(b, '\n');
  }
  pad(b, ix.width);
  for (int64_t k = 0; k < ns; k++) {
    pad(b, 1 + width[k] - strlen(heads[k]));
    buf_puts(b, heads[k]);
    line += 1 + width[k];
  }
  if (iname_s) { /* pandas' row of index names, padded to the width */
    buf_printf(b, "\n%s", iname_s);
    for (int64_t k = 0; k < ns; k++)
      if (show[k] < 0) { /* the dots column has its dots here too */
        pad(b, ix.width - iname);
        for (int64_t j = 0; j < k; j++)
          pad(b, 1 + width[j]);
        buf_puts(b, "  ...");
        for (int64_t j = k + 1; j < ns; j++)
          pad(b, 1 + width[j]);
        iname = (size_t)-1;
        break;
      }
    if (iname != (size_t)-1)
      pad(b, ix.width - iname + line);
  }
  for (int64_t r = 0; r < vw.n; r++) {
    if (vw.cut && r == 5)
      dots_row(b, &ix, show, width, ns);
    buf_putc(b, '\n');
    buf_puts(b, ix.s[r]);
    pad(b, ix.width - strlen(ix.s[r]));
    for (int64_t k = 0; k < ns; k++) {
      const char *cell = show[k] < 0 ? " ..." : cols[show[k]].s[r];
      pad(b, 1 + width[k] - strlen(cell));
      buf_puts(b, cell);
    }
  }
  if (vw.cut || cut_h)
    buf_printf(b, "\n\n[%lld rows x %lld columns]", (long long)f->nrows, (long long)f->ncols);
  for (int64_t c = 0; c < m; c++) {
    if (c < nc)
      cells_free(&cols[c]);
    free(heads[c]);
    free(tops[c]);
  }
  free(cols);
  free(heads);
  free(tops);
  free(width);
  free(show);
  free(iname_s);
  cells_free(&ix);
}
