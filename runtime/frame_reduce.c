/* frame_reduce.c - Series reductions as Dask 2022.12 does them
 * (split_every=False: one chunk task per partition, then one aggregate over
 * all of them): the chunk is pandas' reduction of the partition, the
 * aggregate pandas' reduction of pd.Series(chunk results).
 *   sum    float: np.sum with NaN as 0; then np.sum's pairwise order over
 *          the partitions. int/bool: int64 (wraps).
 *   count  non-missing values; len: rows (DataFrames too). Summed.
 *   min, max  NaN skipped; an empty or all-NaN partition gives NaN, and
 *          then the result is a float even for int columns.
 *   mean   [sum, count] -> sum / count (NaN when count is 0).
 *   nunique  the distinct non-missing values per partition, then of their
 *          union: a count (Dask's drop_duplicates().count()).
 *   var, std  da.nanvar of the column (float64): moment chunks, then the
 *          tree of split_every 4 (frame_stats.c); std its sqrt. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"

typedef enum { R_SUM, R_COUNT, R_LEN, R_MIN, R_MAX, R_MEAN, R_VAR, R_STD, R_NUNIQUE } Kind;

static Kind kind_of(const TrValue *v) {
  static const char *names[] = {"sum",  "count", "len", "min",    "max",
                                "mean", "var",   "std", "nunique"};
  const TrStr *s = v->u.p;
  for (int i = 0; i <= R_NUNIQUE; i++)
    if (!strcmp(s->data, names[i]))
      return (Kind)i;
  tr_fail("dataframe: unknown reduction '%s'", s->data);
}

static int64_t count_col(const TrColumn *c, int64_t n) {
  int64_t k = 0;
  for (int64_t r = 0; r < n; r++)
    k += c->dtype == TR_COL_F64 ? !isnan(((const double *)c->data)[r])
         : c->dtype == TR_COL_OBJ ? ((TrStr *const *)c->data)[r] != NULL
         : c->dtype == TR_COL_DT  ? ((const int64_t *)c->data)[r] != INT64_MIN /* NaT */
                                  : 1;
  return k;
}

static TrValue sum_col(const TrColumn *c, int64_t n) {
  if (c->dtype == TR_COL_F64) {
    double *z = malloc((size_t)(n ? n : 1) * sizeof *z);
    if (!z)
      tr_fail("out of memory");
    for (int64_t r = 0; r < n; r++) {
      double x = ((const double *)c->data)[r];
      z[r] = isnan(x) ? 0.0 : x;
    }
    double s = frame_np_sum(z, n);
    free(z);
    return tr_float(s);
  }
  uint64_t s = 0;
  for (int64_t r = 0; r < n; r++)
    s += c->dtype == TR_COL_I64 ? (uint64_t)((const int64_t *)c->data)[r]
                                : ((const uint8_t *)c->data)[r];
  return tr_int((int64_t)s);
}

static TrValue minmax_col(const TrColumn *c, int64_t n, bool max) {
  if (c->dtype == TR_COL_F64) {
    double m = NAN;
    for (int64_t r = 0; r < n; r++) {
      double x = ((const double *)c->data)[r];
      if (!isnan(x) && (isnan(m) || (max ? x > m : x < m)))
        m = x;
    }
    return tr_float(m);
  }
  if (!n)
    return tr_float(NAN);
  if (c->dtype == TR_COL_BOOL) {
    const uint8_t *b = c->data;
    uint8_t m = b[0];
    for (int64_t r = 1; r < n; r++)
      m = max ? (m | b[r]) : (m & b[r]);
    return tr_bool(m);
  }
  const int64_t *v = c->data;
  int64_t m = v[0];
  for (int64_t r = 1; r < n; r++)
    m = max ? (v[r] > m ? v[r] : m) : (v[r] < m ? v[r] : m);
  return tr_int(m);
}

/* da.nanvar's moment_chunk of a column (as float64): n, total = np.sum
 * with NaN as 0, M2 = the same sum of (x - total / n)^2. */
static TrValue moments(const TrColumn *c, int64_t n) {
  double *z = malloc((size_t)(n ? n : 1) * sizeof *z), *x = malloc((size_t)(n ? n : 1) * sizeof *x);
  if (!z || !x)
    tr_fail("out of memory");
  int64_t cnt = 0;
  for (int64_t r = 0; r < n; r++) {
    x[r] = c->dtype == TR_COL_F64 ? ((const double *)c->data)[r]
           : c->dtype == TR_COL_I64 ? (double)((const int64_t *)c->data)[r]
                                    : ((const uint8_t *)c->data)[r];
    cnt += !isnan(x[r]);
    z[r] = isnan(x[r]) ? 0.0 : x[r];
  }
  double total = frame_np_sum(z, n), u = total / (double)cnt;
  for (int64_t r = 0; r < n; r++)
    z[r] = isnan(x[r]) ? 0.0 : (x[r] - u) * (x[r] - u);
  TrSeq *l = tr_seq_new(3);
  l->items[0] = tr_int(cnt);
  l->items[1] = tr_float(total);
  l->items[2] = tr_float(frame_np_sum(z, n));
  free(z);
  free(x);
  return tr_obj(TR_LIST, l);
}

/* Distinct values: numbers compare as doubles (0.0 == -0.0, as pandas'
 * hash table), text by bytes. */
static int cmp_key(const void *x, const void *y) {
  const TrValue *a = x, *b = y;
  if (a->tag == TR_STR) {
    const TrStr *s = a->u.p, *t = b->u.p;
    int64_t n = s->len < t->len ? s->len : t->len;
    int c = memcmp(s->data, t->data, (size_t)n);
    return c ? c : (s->len > t->len) - (s->len < t->len);
  }
  double u = a->u.f, v = b->u.f;
  return (u > v) - (u < v);
}

/* The sorted distinct values of items[0..n) (borrowed floats or strs)
 * into a new list. */
static TrValue distinct(TrValue *items, int64_t n) {
  qsort(items, (size_t)n, sizeof *items, cmp_key);
  TrSeq *l = tr_seq_new(0);
  for (int64_t i = 0; i < n; i++)
    if (i == 0 || cmp_key(&items[i - 1], &items[i])) {
      tr_incref(&items[i]); /* the list takes a reference */
      tr_list_append(l, &items[i]);
    }
  return tr_obj(TR_LIST, l);
}

/* Series.nunique's chunk: the distinct non-missing values (numbers as
 * floats: an int64 column's are exact below 2^53). */
static TrValue uniques(const TrColumn *c, int64_t n) {
  TrValue *v = malloc((size_t)(n ? n : 1) * sizeof *v);
  if (!v)
    tr_fail("out of memory");
  int64_t k = 0;
  for (int64_t r = 0; r < n; r++) {
    if (c->dtype == TR_COL_OBJ) {
      TrStr *s = ((TrStr *const *)c->data)[r];
      if (s)
        v[k++] = tr_obj(TR_STR, s);
    } else {
      double x = c->dtype == TR_COL_F64 ? ((const double *)c->data)[r]
                 : c->dtype == TR_COL_I64 ? (double)((const int64_t *)c->data)[r]
                                          : ((const uint8_t *)c->data)[r];
      if (!isnan(x))
        v[k++] = tr_float(x);
    }
  }
  TrValue r = distinct(v, k);
  free(v);
  return r;
}

/* args: a partition, the reduction's name. */
void tr_op_df_reduce_chunk(const TrValue *args, int64_t n, TrValue *out) {
  (void)n;
  const TrFrame *f = frame_arg(&args[0], "reduction");
  Kind k = kind_of(&args[1]);
  if (k == R_LEN) {
    *out = tr_int(f->nrows);
    return;
  }
  const TrColumn *c = &f->cols[0];
  if (k == R_VAR || k == R_STD) { /* Dask's moment_chunk: [n, total, M2] */
    *out = moments(c, f->nrows);
    return;
  }
  if (k == R_NUNIQUE) {
    *out = uniques(c, f->nrows);
    return;
  }
  switch (k) {
  case R_SUM: *out = sum_col(c, f->nrows); break;
  case R_COUNT: *out = tr_int(count_col(c, f->nrows)); break;
  default: *out = minmax_col(c, f->nrows, k == R_MAX); break;
  }
}

static double as_f(const TrValue *v) {
  return v->tag == TR_FLOAT ? v->u.f : (double)v->u.i;
}

/* pd.Series(values).sum()/min()/max() */
static TrValue agg_values(const TrValue *v, int64_t n, Kind k) {
  bool flt = false, boo = n > 0;
  for (int64_t i = 0; i < n; i++) {
    flt |= v[i].tag == TR_FLOAT;
    boo &= v[i].tag == TR_BOOL;
  }
  if (k == R_SUM && flt) {
    double *x = malloc((size_t)(n ? n : 1) * sizeof *x);
    if (!x)
      tr_fail("out of memory");
    for (int64_t i = 0; i < n; i++)
      x[i] = isnan(as_f(&v[i])) ? 0.0 : as_f(&v[i]);
    double s = frame_pairwise(x, n);
    free(x);
    return tr_float(s);
  }
  if (k == R_SUM || k == R_COUNT || k == R_LEN) {
    uint64_t s = 0;
    for (int64_t i = 0; i < n; i++)
      s += (uint64_t)v[i].u.i;
    return tr_int((int64_t)s);
  }
  /* min, max: NaN skipped; all NaN (or none) is NaN */
  int64_t best = -1;
  for (int64_t i = 0; i < n; i++) {
    if (flt && isnan(as_f(&v[i])))
      continue;
    if (best < 0 || (k == R_MAX ? as_f(&v[i]) > as_f(&v[best]) : as_f(&v[i]) < as_f(&v[best])))
      best = i;
  }
  if (best < 0)
    return tr_float(NAN);
  if (flt)
    return tr_float(as_f(&v[best]));
  return boo ? tr_bool(v[best].u.i) : tr_int(v[best].u.i);
}

/* args: the list of chunk results, the reduction's name. */
void tr_op_df_reduce_agg(const TrValue *args, int64_t n, TrValue *out) {
  (void)n;
  const TrSeq *l = args[0].u.p;
  Kind k = kind_of(&args[1]);
  if (k == R_MEAN) { /* [sum, count]: Dask's mean_aggregate */
    double s = as_f(&l->items[0]);
    int64_t c = l->items[1].u.i;
    *out = tr_float(c ? s / (double)c : (s == 0 || isnan(s) ? NAN : s / 0.0));
    return;
  }
  if (k == R_NUNIQUE) { /* the union of the chunks' distinct values */
    int64_t total = 0;
    for (int64_t i = 0; i < l->len; i++)
      total += ((const TrSeq *)l->items[i].u.p)->len;
    TrValue *all = malloc((size_t)(total ? total : 1) * sizeof *all);
    if (!all)
      tr_fail("out of memory");
    int64_t at = 0;
    for (int64_t i = 0; i < l->len; i++) {
      const TrSeq *p = l->items[i].u.p;
      memcpy(all + at, p->items, (size_t)p->len * sizeof *all);
      at += p->len;
    }
    TrValue d = distinct(all, total);
    free(all);
    *out = tr_int(((const TrSeq *)d.u.p)->len);
    tr_decref(&d);
    return;
  }
  if (k == R_VAR || k == R_STD) {
    Moment *m = malloc((size_t)(l->len ? l->len : 1) * sizeof *m);
    if (!m)
      tr_fail("out of memory");
    for (int64_t i = 0; i < l->len; i++) {
      const TrSeq *p = l->items[i].u.p;
      m[i] = (Moment){p->items[1].u.f, p->items[2].u.f, p->items[0].u.i};
    }
    double v = l->len ? frame_nanvar(m, l->len) : NAN;
    free(m);
    *out = tr_float(k == R_STD ? sqrt(v) : v);
    return;
  }
  *out = agg_values(l->items, l->len, k);
}
