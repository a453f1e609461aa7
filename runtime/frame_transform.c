/* frame_transform.c - partition-wise DataFrame methods, as pandas 1.5 does
 * them on each partition (Dask's map_partitions):
 *   df.assign(part, name, value)  a column replaced in place or appended:
 *       a Series of the same partition (same rows) or a scalar broadcast.
 *   df.dropna(part, subset, all)  the rows without a missing value in the
 *       subset's columns (None: all), keeping their index labels; all 1
 *       (how='all') drops only rows missing in every one of them.
 *   df.fillna(part, value)  NaN (float) and missing text set to value
 *       (a tuple: a value per column, None leaves it).
 *   df.astype(part, dtypes)  per column: -1 keeps it, else TR_COL_*;
 *       TR_COL_OBJ is astype(str): Python's str() of each value. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../ir/pyfloat.h"
#include "frame.h"

static TrFrame *copy_frame(const TrFrame *f, int64_t ncols) {
  TrFrame *r = tr_frame_new(ncols, f->nrows);
  r->series = f->series;
  for (int64_t c = 0; c < f->ncols && c < ncols; c++)
    frame_copy_rows(r, c, f, c, 0);
  frame_copy_index(r, f, NULL);
  return r;
}

static TrStr *new_str(const char *s) { return tr_str_new(s, (int64_t)strlen(s)); }

static void free_col(TrColumn *c, int64_t nrows) {
  if (c->dtype == TR_COL_OBJ && c->data)
    for (int64_t r = 0; r < nrows; r++) {
      TrStr *s = ((TrStr **)c->data)[r];
      if (s) {
        TrValue v = tr_obj(TR_STR, s);
        tr_decref(&v);
      }
    }
  free(c->data);
  c->data = NULL;
}

/* Column c of r set to the scalar v, every row. */
static void broadcast(TrFrame *r, int64_t c, const TrValue *v) {
  int64_t dt = v->tag == TR_FLOAT ? TR_COL_F64 : v->tag == TR_INT ? TR_COL_I64
               : v->tag == TR_BOOL ? TR_COL_BOOL : TR_COL_OBJ;
  if (dt == TR_COL_OBJ && v->tag != TR_STR && v->tag != TR_NONE)
    tr_fail("assign: a %s value is not supported", tr_type_name(v));
  tr_frame_alloc_col(r, c, dt);
  for (int64_t i = 0; i < r->nrows; i++)
    switch (dt) {
    case TR_COL_F64: ((double *)r->cols[c].data)[i] = v->u.f; break;
    case TR_COL_I64: ((int64_t *)r->cols[c].data)[i] = v->u.i; break;
    case TR_COL_BOOL: ((uint8_t *)r->cols[c].data)[i] = (uint8_t)v->u.i; break;
    default:
      if (v->tag == TR_STR) {
        tr_incref(v);
        ((TrStr **)r->cols[c].data)[i] = v->u.p;
      }
    }
}

void tr_op_df_assign(const TrValue *args, int64_t n, TrValue *out) {
  (void)n;
  const TrFrame *f = frame_arg(&args[0], "assign");
  const TrStr *name = args[1].u.p;
  int64_t c = frame_find_col(f, name->data, name->len);
  TrFrame *r = copy_frame(f, c < 0 ? f->ncols + 1 : f->ncols);
  TrValue rv = tr_obj(TR_FRAME, r);
  tr_guard(&rv);
  if (c < 0)
    c = f->ncols;
  else
    free_col(&r->cols[c], r->nrows);
  if (args[2].tag == TR_FRAME) {
    const TrFrame *s = args[2].u.p;
    if (s->nrows != f->nrows)
      tr_fail("assign: the Series has %lld rows, the partition %lld (taskc assigns Series "
              "of the same rows only)", (long long)s->nrows, (long long)f->nrows);
    TrStr *keep = r->cols[c].name;
    r->cols[c].name = NULL;
    frame_copy_rows(r, c, s, 0, 0);
    if (r->cols[c].name) {
      TrValue v = tr_obj(TR_STR, r->cols[c].name);
      tr_decref(&v);
    }
    r->cols[c].name = keep;
  } else {
    broadcast(r, c, &args[2]);
  }
  if (!r->cols[c].name)
    r->cols[c].name = tr_str_new(name->data, name->len);
  tr_unguard(1);
  *out = rv;
}

static bool missing(const TrColumn *c, int64_t r) {
  return c->dtype == TR_COL_F64   ? isnan(((const double *)c->data)[r])
         : c->dtype == TR_COL_OBJ ? ((TrStr *const *)c->data)[r] == NULL
                                  : false;
}

void tr_op_df_dropna(const TrValue *args, int64_t n, TrValue *out) {
  (void)n;
  const TrFrame *f = frame_arg(&args[0], "dropna");
  bool *use = calloc((size_t)(f->ncols ? f->ncols : 1), sizeof *use);
  int64_t *rows = malloc((size_t)(f->nrows ? f->nrows : 1) * sizeof *rows);
  if (!use || !rows)
    tr_fail("out of memory");
  if (args[1].tag == TR_NONE) {
    for (int64_t c = 0; c < f->ncols; c++)
      use[c] = true;
  } else {
    const TrSeq *sub = args[1].u.p;
    for (int64_t k = 0; k < sub->len; k++) {
      const TrStr *s = sub->items[k].u.p;
      int64_t c = frame_find_col(f, s->data, s->len);
      if (c < 0)
        tr_fail("KeyError: ['%s']", s->data);
      use[c] = true;
    }
  }
  bool all = args[2].u.i != 0;
  int64_t m = 0;
  for (int64_t r = 0; r < f->nrows; r++) {
    int64_t used = 0, miss = 0;
    for (int64_t c = 0; c < f->ncols; c++)
      if (use[c]) {
        used++;
        miss += missing(&f->cols[c], r);
      }
    if (all ? miss < used || !used : miss == 0)
      rows[m++] = r;
  }
  TrFrame *d = tr_frame_new(f->ncols, m);
  d->series = f->series;
  for (int64_t c = 0; c < f->ncols; c++) {
    const TrColumn *from = &f->cols[c];
    tr_frame_alloc_col(d, c, from->dtype);
    if (from->name) {
      TrValue v = tr_obj(TR_STR, from->name);
      tr_incref(&v);
      d->cols[c].name = from->name;
    }
    size_t es = from->dtype == TR_COL_BOOL ? 1 : 8;
    for (int64_t i = 0; i < m; i++)
      memcpy((char *)d->cols[c].data + (size_t)i * es,
             (const char *)from->data + (size_t)rows[i] * es, es);
    if (from->dtype == TR_COL_OBJ)
      for (int64_t i = 0; i < m; i++) {
        TrStr *s = ((TrStr **)d->cols[c].data)[i];
        if (s) {
          TrValue v = tr_obj(TR_STR, s);
          tr_incref(&v);
        }
      }
  }
  frame_copy_index(d, f, rows);
  free(use);
  free(rows);
  *out = tr_obj(TR_FRAME, d);
}

void tr_op_df_fillna(const TrValue *args, int64_t n, TrValue *out) {
  (void)n;
  const TrFrame *f = frame_arg(&args[0], "fillna");
  TrFrame *r = copy_frame(f, f->ncols);
  TrValue rv = tr_obj(TR_FRAME, r);
  tr_guard(&rv);
  bool per_col = args[1].tag == TR_TUPLE; /* fillna({col: value}): None skips */
  for (int64_t c = 0; c < r->ncols; c++) {
    TrColumn *col = &r->cols[c];
    const TrValue *v = per_col ? &((const TrSeq *)args[1].u.p)->items[c] : &args[1];
    for (int64_t i = 0; i < r->nrows && v->tag != TR_NONE; i++) {
      if (!missing(col, i))
        continue;
      if (col->dtype == TR_COL_F64 && (v->tag == TR_FLOAT || v->tag == TR_INT)) {
        ((double *)col->data)[i] = v->tag == TR_FLOAT ? v->u.f : (double)v->u.i;
      } else if (col->dtype == TR_COL_OBJ && v->tag == TR_STR) {
        tr_incref(v);
        ((TrStr **)col->data)[i] = v->u.p;
      } else {
        tr_fail("fillna(%s) of the %s column '%s' with missing values is not supported by "
                "taskc (pandas would change its dtype)", tr_type_name(v),
                frame_dtype_name(col->dtype), col->name ? col->name->data : "");
      }
    }
  }
  tr_unguard(1);
  *out = rv;
}

/* ---- astype ---- */

static bool py_space(char ch) { return ch == ' ' || (ch >= '\t' && ch <= '\r'); }

/* Python's float(s) for the plain decimal forms, nan and inf(inity). */
static double parse_float(const TrStr *s) {
  const char *p = s->data, *end = s->data + s->len;
  while (p < end && py_space(*p))
    p++;
  while (end > p && py_space(end[-1]))
    end--;
  char buf[400];
  size_t len = (size_t)(end - p);
  if (len == 0 || len >= sizeof buf)
    tr_fail("ValueError: could not convert string to float: '%s'", s->data);
  memcpy(buf, p, len);
  buf[len] = 0;
  const char *q = buf + (buf[0] == '+' || buf[0] == '-');
  if (!strcasecmp(q, "nan") || !strcasecmp(q, "inf") || !strcasecmp(q, "infinity")) {
    double x = (q[0] == 'n' || q[0] == 'N') ? NAN : INFINITY;
    return buf[0] == '-' ? -x : x;
  }
  const char *d = q;
  int digits = 0;
  while (*d >= '0' && *d <= '9')
    d++, digits++;
  if (*d == '.')
    for (d++; *d >= '0' && *d <= '9'; d++)
      digits++;
  if (digits && (*d == 'e' || *d == 'E')) {
    d++;
    d += *d == '+' || *d == '-';
    const char *e0 = d;
    while (*d >= '0' && *d <= '9')
      d++;
    if (d == e0)
      digits = 0;
  }
  if (!digits || *d)
    tr_fail("ValueError: could not convert string to float: '%s'", s->data);
  errno = 0;
  return strtod(buf, NULL); /* correctly rounded, as Python's */
}

/* Python's int(s), base 10. */
static int64_t parse_int(const TrStr *s) {
  const char *p = s->data, *end = s->data + s->len;
  while (p < end && py_space(*p))
    p++;
  while (end > p && py_space(end[-1]))
    end--;
  bool neg = p < end && *p == '-';
  p += p < end && (*p == '+' || *p == '-');
  if (p == end)
    tr_fail("ValueError: invalid literal for int() with base 10: '%s'", s->data);
  uint64_t v = 0;
  for (; p < end; p++) {
    if (*p < '0' || *p > '9')
      tr_fail("ValueError: invalid literal for int() with base 10: '%s'", s->data);
    if (v > (UINT64_MAX - 9) / 10)
      tr_fail("OverflowError: Python int too large to convert to C long");
    v = v * 10 + (uint64_t)(*p - '0');
  }
  if (v > (uint64_t)INT64_MAX + neg)
    tr_fail("OverflowError: Python int too large to convert to C long");
  return neg ? (int64_t)(0 - v) : (int64_t)v;
}

static TrStr *to_text(const TrColumn *c, int64_t r) {
  char buf[PYFLOAT_MAX + 32];
  switch (c->dtype) {
  case TR_COL_F64: pyfloat_repr(buf, ((const double *)c->data)[r]); break;
  case TR_COL_I64:
    snprintf(buf, sizeof buf, "%lld", (long long)((const int64_t *)c->data)[r]);
    break;
  case TR_COL_BOOL: return new_str(((const uint8_t *)c->data)[r] ? "True" : "False");
  default: {
    TrStr *s = ((TrStr *const *)c->data)[r];
    if (!s)
      return new_str("nan");
    TrValue v = tr_obj(TR_STR, s);
    tr_incref(&v);
    return s;
  }
  }
  return new_str(buf);
}

static void convert(TrColumn *to, const TrColumn *from, int64_t nrows) {
  for (int64_t r = 0; r < nrows; r++) {
    const TrStr *s = from->dtype == TR_COL_OBJ ? ((TrStr *const *)from->data)[r] : NULL;
    double x = from->dtype == TR_COL_F64 ? ((const double *)from->data)[r]
               : from->dtype == TR_COL_I64 ? (double)((const int64_t *)from->data)[r]
               : from->dtype == TR_COL_BOOL ? ((const uint8_t *)from->data)[r] : 0;
    switch (to->dtype) {
    case TR_COL_F64:
      ((double *)to->data)[r] = from->dtype != TR_COL_OBJ ? x : s ? parse_float(s) : NAN;
      break;
    case TR_COL_I64:
      if (from->dtype == TR_COL_OBJ) {
        if (!s)
          tr_fail("ValueError: cannot convert float NaN to integer");
        ((int64_t *)to->data)[r] = parse_int(s);
      } else if (from->dtype == TR_COL_I64) {
        ((int64_t *)to->data)[r] = ((const int64_t *)from->data)[r];
      } else {
        if (!isfinite(x))
          tr_fail("IntCastingNaNError: Cannot convert non-finite values (NA or inf) to "
                  "integer");
        if (!(x > -9223372036854775809.0 && x < 9223372036854775808.0))
          tr_fail("astype(int64): %g is out of range", x);
        ((int64_t *)to->data)[r] = (int64_t)x;
      }
      break;
    case TR_COL_BOOL: /* truthiness; NaN is truthy, a missing text (NaN) too */
      ((uint8_t *)to->data)[r] = from->dtype == TR_COL_OBJ ? (!s || s->len > 0)
                                 : x != 0; /* NaN != 0 */
      break;
    default: ((TrStr **)to->data)[r] = to_text(from, r);
    }
  }
}

void tr_op_df_astype(const TrValue *args, int64_t n, TrValue *out) {
  (void)n;
  const TrFrame *f = frame_arg(&args[0], "astype");
  const TrSeq *dts = args[1].u.p;
  TrFrame *r = copy_frame(f, f->ncols);
  TrValue rv = tr_obj(TR_FRAME, r);
  tr_guard(&rv);
  for (int64_t c = 0; c < r->ncols && c < dts->len; c++) {
    int64_t dt = dts->items[c].u.i;
    if (dt < 0 || (dt == f->cols[c].dtype && dt != TR_COL_OBJ))
      continue;
    free_col(&r->cols[c], r->nrows);
    tr_frame_alloc_col(r, c, dt);
    convert(&r->cols[c], &f->cols[c], r->nrows);
  }
  tr_unguard(1);
  *out = rv;
}
