/* frame_stats.c - describe() of numeric columns as Dask 2022.12 computes
 * it (dask/dataframe/core.py _describe_numeric), bit for bit:
 *
 *   count  per-partition counts, summed.
 *   mean   per-partition pandas sums (np.sum's order: out = 0.0, then
 *          out += pw(buffer) per 8192 elements, NaN as 0), summed over all
 *          partitions at once with np.sum's pairwise order, / count.
 *   std    sqrt of da.nanvar over df.values: per partition total, n and
 *          M2 = sum((x - total/n)^2) (np.sum's order), then moment_combine
 *          over groups of 4 (split_every 4) until one group is left, and
 *          moment_agg: M / (n - 1).
 *   min, max  per-partition, then over partitions (NaN skipped).
 *   25% 50% 75%  np.percentile(linear) of each partition at 0, 25, 50, 75,
 *          100, merged by merge_percentiles(method="lower").
 *
 * A chunk's statistics travel as a list of floats: per column
 * [count, sum, M2, min, max, p0, p25, p50, p75, p100]. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"

enum { ST_COUNT, ST_SUM, ST_M2, ST_MIN, ST_MAX, ST_P0, NSTAT = ST_P0 + 5 };
enum { PW_BLOCK = 128, NP_BUFSIZE = 8192 };

/* NumPy's pairwise sum of n doubles. */
double frame_pairwise(const double *a, int64_t n) {
  if (n < 8) {
    double r = 0.0;
    for (int64_t i = 0; i < n; i++)
      r += a[i];
    return r;
  }
  if (n <= PW_BLOCK) {
    double r[8];
    for (int j = 0; j < 8; j++)
      r[j] = a[j];
    int64_t i = 8;
    for (; i < n - n % 8; i += 8)
      for (int j = 0; j < 8; j++)
        r[j] += a[i + j];
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++)
      res += a[i];
    return res;
  }
  int64_t n2 = n / 2;
  n2 -= n2 % 8;
  return frame_pairwise(a, n2) + frame_pairwise(a + n2, n - n2);
}

/* np.sum of a contiguous float64 array: buffers of 8192. */
double frame_np_sum(const double *a, int64_t n) {
  double out = 0.0;
  for (int64_t i = 0; i < n; i += NP_BUFSIZE)
    out = out + frame_pairwise(a + i, n - i < NP_BUFSIZE ? n - i : NP_BUFSIZE);
  return out;
}

static int cmp_double(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

static void swap(double *a, int64_t i, int64_t j) {
  double t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/* Puts a[k] in its sorted place for every k in want[0..nw) (ascending),
 * everything before it no larger, after it no smaller: NumPy's
 * np.partition for the few order statistics percentiles read (values are
 * what matter, not the order of ties). No NaN in a. */
static void select_ks(double *a, int64_t lo, int64_t hi, const int64_t *want, int nw) {
  while (nw > 0 && hi - lo > 16) {
    int64_t mid = lo + (hi - lo) / 2;
    if (a[mid] < a[lo])
      swap(a, mid, lo);
    if (a[hi] < a[lo])
      swap(a, hi, lo);
    if (a[hi] < a[mid])
      swap(a, hi, mid);
    double p = a[mid];
    int64_t i = lo, j = hi;
    while (i <= j) { /* Hoare: [lo, j] <= p <= [i, hi] */
      while (a[i] < p)
        i++;
      while (a[j] > p)
        j--;
      if (i <= j)
        swap(a, i++, j--);
    }
    int split = 0; /* want[0..split) lie in [lo, j], the rest from i */
    while (split < nw && want[split] <= j)
      split++;
    int rest = split;
    while (rest < nw && want[rest] < i)
      rest++; /* between j and i: equal to p, in place */
    select_ks(a, lo, j, want, split);
    want += rest;
    nw -= rest;
    lo = i;
  }
  if (nw > 0) /* a short range: insertion sort */
    for (int64_t x = lo + 1; x <= hi; x++)
      for (int64_t y = x; y > lo && a[y] < a[y - 1]; y--)
        swap(a, y, y - 1);
}

/* np.percentile(sorted a of n > 0, q / 100), method "linear" (NumPy 1.24). */
static double percentile(const double *a, int64_t n, double q) {
  double v = (double)(n - 1) * (q / 100);
  int64_t prev, next;
  double gamma;
  if (v >= (double)(n - 1)) {
    prev = next = n - 1;
    gamma = v + 1; /* NumPy's index -1 */
  } else {
    prev = (int64_t)floor(v);
    next = prev + 1;
    gamma = v - (double)prev;
  }
  double lo = a[prev], hi = a[next], diff = hi - lo;
  return gamma >= 0.5 ? hi - diff * (1 - gamma) : lo + diff * gamma;
}

static const double calc_qs[5] = {0, 25, 50, 75, 100};

/* The statistics of one column (as doubles) into st[NSTAT]. */
static void column_stats(const double *x, int64_t n, double *st) {
  double *vals = malloc((size_t)(n ? n : 1) * sizeof *vals);
  double *zeroed = malloc((size_t)(n ? n : 1) * sizeof *zeroed);
  if (!vals || !zeroed)
    tr_fail("out of memory");
  int64_t cnt = 0;
  double mn = NAN, mx = NAN;
  for (int64_t i = 0; i < n; i++) {
    bool ok = !isnan(x[i]);
    zeroed[i] = ok ? x[i] : 0.0;
    if (ok) {
      vals[cnt++] = x[i];
      mn = cnt == 1 || x[i] < mn ? x[i] : mn;
      mx = cnt == 1 || x[i] > mx ? x[i] : mx;
    }
  }
  double total = frame_np_sum(zeroed, n), u = total / (double)cnt;
  for (int64_t i = 0; i < n; i++) {
    double d = x[i] - u;
    zeroed[i] = isnan(x[i]) ? 0.0 : d * d;
  }
  st[ST_COUNT] = (double)cnt;
  st[ST_SUM] = total;
  st[ST_M2] = frame_np_sum(zeroed, n);
  st[ST_MIN] = mn;
  st[ST_MAX] = mx;
  int64_t want[10];
  int nw = 0;
  for (int k = 0; k < 5 && cnt; k++) { /* the neighbours each percentile reads */
    double v = (double)(cnt - 1) * (calc_qs[k] / 100);
    int64_t lo = v >= (double)(cnt - 1) ? cnt - 1 : (int64_t)floor(v);
    want[nw++] = lo;
    want[nw++] = lo + 1 < cnt ? lo + 1 : cnt - 1;
  }
  if (cnt)
    select_ks(vals, 0, cnt - 1, want, nw);
  for (int k = 0; k < 5; k++)
    st[ST_P0 + k] = cnt ? percentile(vals, cnt, calc_qs[k]) : NAN;
  free(vals);
  free(zeroed);
}

static const TrFrame *frame_of(const TrValue *v) {
  if (v->tag != TR_FRAME)
    tr_fail("describe: expected a dataframe partition, got %s", tr_type_name(v));
  return v->u.p;
}

/* args: the partition, the names of its numeric columns. */
void tr_op_df_describe_chunk(const TrValue *args, int64_t n, TrValue *out) {
  (void)n;
  const TrFrame *f = frame_of(&args[0]);
  const TrSeq *cols = args[1].u.p;
  TrSeq *res = tr_seq_new(cols->len * NSTAT);
  double *x = malloc((size_t)(f->nrows ? f->nrows : 1) * sizeof *x);
  if (!x)
    tr_fail("out of memory");
  for (int64_t k = 0; k < cols->len; k++) {
    const TrStr *name = cols->items[k].u.p;
    int64_t c = frame_find_col(f, name->data, name->len);
    if (c < 0)
      tr_fail("describe: no column '%s'", name->data);
    const TrColumn *col = &f->cols[c];
    for (int64_t r = 0; r < f->nrows; r++)
      x[r] = col->dtype == TR_COL_F64 ? ((const double *)col->data)[r]
                                      : (double)((const int64_t *)col->data)[r];
    double st[NSTAT];
    column_stats(x, f->nrows, st);
    for (int s = 0; s < NSTAT; s++)
      res->items[k * NSTAT + s] = tr_float(st[s]);
  }
  free(x);
  *out = tr_obj(TR_LIST, res);
}


/* moment_combine / moment_agg over parts p[0..k): sums in row order. */
static Moment moment_merge(const Moment *p, int64_t k) {
  Moment r = {p[0].total, p[0].m2, p[0].n};
  for (int64_t i = 1; i < k; i++) {
    r.total += p[i].total;
    r.m2 += p[i].m2;
    r.n += p[i].n;
  }
  double mu = r.total / (double)r.n, s = 0.0;
  for (int64_t i = 0; i < k; i++) {
    double inner = p[i].total / (double)p[i].n - mu;
    double t = (double)p[i].n * (inner * inner);
    t = isnan(t) ? 0.0 : t; /* np.nansum */
    s = i ? s + t : t;
  }
  r.m2 += s;
  return r;
}

/* da.nanvar(split_every=False) = the tree of split_every 4. */
double frame_nanvar(Moment *m, int64_t k) {
  int depth = k > 1 ? (int)ceil(log((double)k) / log(4.0)) : 1;
  for (int d = 1; d < depth; d++) {
    int64_t j = 0;
    for (int64_t i = 0; i < k; i += 4, j++)
      m[j] = moment_merge(m + i, k - i < 4 ? k - i : 4);
    k = j;
  }
  Moment r = moment_merge(m, k);
  double denom = (double)r.n - 1;
  return r.m2 / (denom < 0 ? NAN : denom);
}

typedef struct Sorted {
  double v, count;
} Sorted;

static int cmp_sorted(const void *x, const void *y) {
  return cmp_double(&((const Sorted *)x)->v, &((const Sorted *)y)->v);
}

/* merge_percentiles(finalq=[25, 50, 75], method="lower") of the parts'
 * percentiles at calc_qs; out[3]. */
static void merge_percentiles(const double *const *st, int64_t k, double *out) {
  Sorted *s = malloc((size_t)(k * 5 + 1) * sizeof *s);
  if (!s)
    tr_fail("out of memory");
  int64_t m = 0, total = 0;
  for (int64_t i = 0; i < k; i++) {
    int64_t n = (int64_t)st[i][ST_COUNT];
    if (!n)
      continue; /* Dask drops empty partitions */
    total += n;
    for (int q = 0; q < 5; q++)
      s[m++] = (Sorted){st[i][ST_P0 + q], q ? (calc_qs[q] - calc_qs[q - 1]) * (double)n : 0.0};
  }
  if (!m) {
    out[0] = out[1] = out[2] = NAN;
    free(s);
    return;
  }
  qsort(s, (size_t)m, sizeof *s, cmp_sorted);
  for (int64_t i = 1; i < m; i++)
    s[i].count += s[i - 1].count; /* np.cumsum */
  for (int q = 0; q < 3; q++) {
    double want = calc_qs[q + 1] * (double)total;
    int64_t left = 0, right = 0;
    while (left < m && s[left].count < want)
      left++;
    while (right < m && s[right].count <= want)
      right++;
    right--;
    if (left > m - 1)
      left = m - 1;
    out[q] = s[left < right ? left : right].v;
  }
  free(s);
}

/* The aggregate of one column over the k chunk lists; res[8]. */
static void column_describe(const TrSeq *const *chunks, int64_t k, int64_t col, double *res) {
  double *sums = malloc((size_t)k * sizeof *sums);
  Moment *mom = malloc((size_t)k * sizeof *mom);
  const double **st = malloc((size_t)k * sizeof *st);
  double(*buf)[NSTAT] = malloc((size_t)k * sizeof *buf);
  if (!sums || !mom || !st || !buf)
    tr_fail("out of memory");
  int64_t count = 0;
  double mn = NAN, mx = NAN;
  for (int64_t i = 0; i < k; i++) {
    for (int s = 0; s < NSTAT; s++)
      buf[i][s] = chunks[i]->items[col * NSTAT + s].u.f;
    st[i] = buf[i];
    count += (int64_t)buf[i][ST_COUNT];
    sums[i] = buf[i][ST_SUM];
    mom[i] = (Moment){buf[i][ST_SUM], buf[i][ST_M2], (int64_t)buf[i][ST_COUNT]};
    if (!isnan(buf[i][ST_MIN]) && (isnan(mn) || buf[i][ST_MIN] < mn))
      mn = buf[i][ST_MIN];
    if (!isnan(buf[i][ST_MAX]) && (isnan(mx) || buf[i][ST_MAX] > mx))
      mx = buf[i][ST_MAX];
  }
  res[0] = (double)count;
  res[1] = frame_pairwise(sums, k) / (double)count;
  res[2] = sqrt(frame_nanvar(mom, k));
  res[3] = mn;
  merge_percentiles(st, k, res + 4);
  res[7] = mx;
  free(sums);
  free(mom);
  free(st);
  free(buf);
}

/* args: the list of chunk statistics, the column names. */
void tr_op_df_describe_agg(const TrValue *args, int64_t n, TrValue *out) {
  (void)n;
  static const char *rows[8] = {"count", "mean", "std", "min", "25%", "50%", "75%", "max"};
  const TrSeq *parts = args[0].u.p, *cols = args[1].u.p;
  const TrSeq **chunks = malloc((size_t)(parts->len ? parts->len : 1) * sizeof *chunks);
  if (!chunks)
    tr_fail("out of memory");
  for (int64_t i = 0; i < parts->len; i++)
    chunks[i] = parts->items[i].u.p;
  TrFrame *f = tr_frame_new(cols->len, 8);
  f->index = calloc(8, sizeof *f->index);
  for (int r = 0; r < 8; r++)
    f->index[r] = tr_str_new(rows[r], (int64_t)strlen(rows[r]));
  for (int64_t c = 0; c < cols->len; c++) {
    const TrStr *name = cols->items[c].u.p;
    tr_frame_alloc_col(f, c, TR_COL_F64);
    f->cols[c].name = tr_str_new(name->data, name->len);
    column_describe(chunks, parts->len, c, f->cols[c].data);
  }
  free(chunks);
  *out = tr_obj(TR_FRAME, f);
}
