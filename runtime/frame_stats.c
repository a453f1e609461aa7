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
 *          100, merged by merge_percentiles(method="lower"); or at the
 *          percentiles= given (sorted, with 50%), labelled f"{p * 100:g}%".
 *
 * A chunk's statistics travel as a list of floats: per column
 * [count, sum, M2, min, max, p0, p25, p50, p75, p100] (more percentiles
 * with percentiles=). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"

enum { ST_COUNT, ST_SUM, ST_M2, ST_MIN, ST_MAX, ST_P0, MAXQ = 64 };
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

/* np.percentile(a of n > 0, q / 100), method "linear" (NumPy 1.24): the
 * ranks it reads (*prev, *next) and its weight of the next. */
static double percentile_ranks(int64_t n, double q, int64_t *prev, int64_t *next) {
  double v = (double)(n - 1) * (q / 100);
  if (v >= (double)(n - 1)) {
    *prev = *next = n - 1;
    return v + 1; /* NumPy's index -1 */
  }
  *prev = (int64_t)floor(v);
  *next = *prev + 1;
  return v - (double)*prev;
}

/* The percentile from the values at those ranks. */
static double percentile(double lo, double hi, double gamma) {
  double diff = hi - lo;
  return gamma >= 0.5 ? hi - diff * (1 - gamma) : lo + diff * gamma;
}

/* The percentiles Dask computes per partition: calc[0..n) = 0, the
 * describe percentiles * 100 (sorted, with 50), 100. */
typedef struct Qs {
  double calc[MAXQ + 2];
  int n;
} Qs;

/* From the tuple of describe's percentiles (floats in [0, 1]). */
static Qs qs_of(const TrValue *v) {
  const TrSeq *t = v->u.p;
  Qs q = {{0}, 0};
  if (t->len > MAXQ)
    tr_fail("describe: too many percentiles");
  q.calc[q.n++] = 0;
  for (int64_t i = 0; i < t->len; i++)
    q.calc[q.n++] = t->items[i].u.f * 100; /* np.asarray(q) * 100 */
  q.calc[q.n++] = 100;
  return q;
}

/* Room for a partition's worth of doubles, kept over its columns. */
typedef struct Scratch {
  double *sq, *vals; /* squares (and NaN as 0); the values without NaN */
  int64_t n;
} Scratch;

static double *room(double **p, int64_t n) {
  if (!*p && !(*p = malloc((size_t)(n ? n : 1) * sizeof **p)))
    tr_fail("out of memory");
  return *p;
}

/* The statistics of one column (as doubles) into st[ST_P0 + q->n]. Reads
 * x where it can (no NaN: np.sum's input and the selection's are x). */
static void column_stats(const double *x, int64_t n, const Qs *q, double *st, Scratch *w) {
  int64_t cnt = 0;
  double mn = NAN, mx = NAN;
  for (int64_t i = 0; i < n; i++) {
    if (isnan(x[i]))
      continue;
    mn = cnt == 0 || x[i] < mn ? x[i] : mn;
    mx = cnt == 0 || x[i] > mx ? x[i] : mx;
    cnt++;
  }
  double *sq = room(&w->sq, w->n);
  const double *vals = x;
  double total;
  if (cnt < n) { /* NaN: summed as 0, left out of the selection */
    double *v = room(&w->vals, w->n);
    for (int64_t i = 0, k = 0; i < n; i++) {
      bool ok = !isnan(x[i]);
      sq[i] = ok ? x[i] : 0.0;
      if (ok)
        v[k++] = x[i];
    }
    total = frame_np_sum(sq, n);
    vals = v;
  } else {
    total = frame_np_sum(x, n);
  }
  double u = total / (double)cnt;
  for (int64_t i = 0; i < n; i++) {
    double d = x[i] - u;
    sq[i] = isnan(x[i]) ? 0.0 : d * d;
  }
  st[ST_COUNT] = (double)cnt;
  st[ST_SUM] = total;
  st[ST_M2] = frame_np_sum(sq, n);
  st[ST_MIN] = mn;
  st[ST_MAX] = mx;
  int64_t want[2 * (MAXQ + 2)];
  double gamma[MAXQ + 2], at[2 * (MAXQ + 2)];
  for (int k = 0; k < q->n && cnt; k++) /* the neighbours each percentile reads */
    gamma[k] = percentile_ranks(cnt, q->calc[k], &want[2 * k], &want[2 * k + 1]);
  if (cnt)
    frame_select(vals, cnt, want, 2 * q->n, mn, mx, at);
  for (int k = 0; k < q->n; k++)
    st[ST_P0 + k] = cnt ? percentile(at[2 * k], at[2 * k + 1], gamma[k]) : NAN;
}

static const TrFrame *frame_of(const TrValue *v) {
  if (v->tag != TR_FRAME)
    tr_fail("describe: expected a dataframe partition, got %s", tr_type_name(v));
  return v->u.p;
}

/* args: the partition, the names of its numeric columns, the percentiles. */
void tr_op_df_describe_chunk(const TrValue *args, int64_t n, TrValue *out) {
  (void)n;
  const TrFrame *f = frame_of(&args[0]);
  const TrSeq *cols = args[1].u.p;
  Qs q = qs_of(&args[2]);
  int nstat = ST_P0 + q.n;
  TrSeq *res = tr_seq_new(cols->len * nstat);
  Scratch w = {NULL, NULL, f->nrows};
  double *ints = NULL; /* an int64 column as doubles */
  for (int64_t k = 0; k < cols->len; k++) {
    const TrStr *name = cols->items[k].u.p;
    int64_t c = frame_find_col(f, name->data, name->len);
    if (c < 0)
      tr_fail("describe: no column '%s'", name->data);
    const TrColumn *col = &f->cols[c];
    const double *x = col->data;
    if (col->dtype != TR_COL_F64) {
      double *d = room(&ints, f->nrows);
      for (int64_t r = 0; r < f->nrows; r++)
        d[r] = (double)((const int64_t *)col->data)[r];
      x = d;
    }
    double st[ST_P0 + MAXQ + 2];
    column_stats(x, f->nrows, &q, st, &w);
    for (int s = 0; s < nstat; s++)
      res->items[k * nstat + s] = tr_float(st[s]);
  }
  free(ints);
  free(w.sq);
  free(w.vals);
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

/* NumPy 1.24's np.argsort (kind "quicksort": introsort of indexes, median
 * of 3, insertion sort below 16, heapsort past the depth limit), exactly:
 * merge_percentiles' "lower" reads the element before the crossing, so
 * the order of equal values changes results. v has no NaN. */
enum { SMALL_QUICKSORT = 15, PYA_QS_STACK = 128 };

#define ISWAP(a, b) do { int64_t t_ = (a); (a) = (b); (b) = t_; } while (0)

/* Moves tmp down from slot i of the 1-based heap a[1..n] (max at the top,
 * by v), as NumPy's heapsort does. */
static void sift_down(const double *v, int64_t *a, int64_t i, int64_t n,
                      int64_t tmp) {
  for (int64_t j = i << 1; j <= n; i = j, j += j) {
    if (j < n && v[a[j]] < v[a[j + 1]])
      j++;
    if (!(v[tmp] < v[a[j]]))
      break;
    a[i] = a[j];
  }
  a[i] = tmp;
}

static void aheapsort(const double *v, int64_t *tosort, int64_t n) {
  int64_t *a = tosort - 1; /* 1-based */
  for (int64_t l = n >> 1; l > 0; --l)
    sift_down(v, a, l, n, a[l]);
  for (; n > 1; n--) {
    int64_t tmp = a[n];
    a[n] = a[1];
    sift_down(v, a, 1, n - 1, tmp);
  }
}

static int msb(int64_t n) {
  int depth = 0;
  while (n >>= 1)
    depth++;
  return depth;
}

void frame_np_argsort(const double *v, int64_t *tosort, int64_t num) {
  for (int64_t i = 0; i < num; i++)
    tosort[i] = i;
  if (num < 2)
    return;
  int64_t *pl = tosort, *pr = tosort + num - 1, *stack[PYA_QS_STACK], **sptr = stack;
  int depth[PYA_QS_STACK], *psdepth = depth, cdepth = msb(num) * 2;
  for (;;) {
    if (cdepth < 0) {
      aheapsort(v, pl, pr - pl + 1);
      goto stack_pop;
    }
    while (pr - pl > SMALL_QUICKSORT) {
      int64_t *pm = pl + ((pr - pl) >> 1), *pi, *pj;
      if (v[*pm] < v[*pl])
        ISWAP(*pm, *pl);
      if (v[*pr] < v[*pm])
        ISWAP(*pr, *pm);
      if (v[*pm] < v[*pl])
        ISWAP(*pm, *pl);
      double vp = v[*pm];
      pi = pl;
      pj = pr - 1;
      ISWAP(*pm, *pj);
      for (;;) {
        do
          ++pi;
        while (v[*pi] < vp);
        do
          --pj;
        while (vp < v[*pj]);
        if (pi >= pj)
          break;
        ISWAP(*pi, *pj);
      }
      ISWAP(*pi, *(pr - 1));
      if (pi - pl < pr - pi) { /* the larger part waits on the stack */
        *sptr++ = pi + 1;
        *sptr++ = pr;
        pr = pi - 1;
      } else {
        *sptr++ = pl;
        *sptr++ = pi - 1;
        pl = pi + 1;
      }
      *psdepth++ = --cdepth;
    }
    for (int64_t *pi = pl + 1; pi <= pr; ++pi) { /* insertion sort */
      int64_t vi = *pi, *pj = pi, *pk = pi - 1;
      double x = v[vi];
      while (pj > pl && x < v[*pk])
        *pj-- = *pk--;
      *pj = vi;
    }
  stack_pop:
    if (sptr == stack)
      break;
    pr = *(--sptr);
    pl = *(--sptr);
    cdepth = *(--psdepth);
  }
}

/* merge_percentiles(finalq = the describe percentiles, method="lower") of
 * the parts' percentiles at q->calc; out[q->n - 2]. */
static void merge_percentiles(const double *const *st, int64_t k, const Qs *q, double *out) {
  size_t cap = (size_t)(k * q->n + 1);
  double *vals = malloc(cap * sizeof *vals), *counts = malloc(cap * sizeof *counts);
  double *cq = malloc(cap * sizeof *cq);
  int64_t *order = malloc(cap * sizeof *order);
  if (!vals || !counts || !cq || !order)
    tr_fail("out of memory");
  int64_t m = 0, total = 0;
  for (int64_t i = 0; i < k; i++) {
    int64_t n = (int64_t)st[i][ST_COUNT];
    if (!n)
      continue; /* Dask drops empty partitions */
    total += n;
    for (int j = 0; j < q->n; j++, m++) { /* count[0] = q[0], then np.diff; *= N */
      vals[m] = st[i][ST_P0 + j];
      counts[m] = (j ? q->calc[j] - q->calc[j - 1] : q->calc[0]) * (double)n;
    }
  }
  frame_np_argsort(vals, order, m);
  for (int64_t i = 0; i < m; i++) /* np.cumsum of the sorted counts */
    cq[i] = i ? cq[i - 1] + counts[order[i]] : counts[order[i]];
  for (int j = 0; j < q->n - 2; j++) {
    if (!m) {
      out[j] = NAN;
      continue;
    }
    double want = q->calc[j + 1] * (double)total;
    int64_t left = 0, right = 0; /* np.searchsorted left, right - 1 */
    while (left < m && cq[left] < want)
      left++;
    while (right < m && cq[right] <= want)
      right++;
    right--;
    if (left > m - 1)
      left = m - 1;
    out[j] = vals[order[left < right ? left : right]];
  }
  free(vals);
  free(counts);
  free(cq);
  free(order);
}

/* The aggregate of one column over the k chunk lists; res[q->n + 4]:
 * count, mean, std, min, the percentiles, max. */
static void column_describe(const TrSeq *const *chunks, int64_t k, int64_t col, const Qs *q,
                            double *res) {
  int nstat = ST_P0 + q->n;
  double *sums = malloc((size_t)k * sizeof *sums);
  Moment *mom = malloc((size_t)k * sizeof *mom);
  const double **st = malloc((size_t)k * sizeof *st);
  double *buf = malloc((size_t)(k * nstat) * sizeof *buf);
  if (!sums || !mom || !st || !buf)
    tr_fail("out of memory");
  int64_t count = 0;
  double mn = NAN, mx = NAN;
  for (int64_t i = 0; i < k; i++) {
    double *b = buf + i * nstat;
    for (int s = 0; s < nstat; s++)
      b[s] = chunks[i]->items[col * nstat + s].u.f;
    st[i] = b;
    count += (int64_t)b[ST_COUNT];
    sums[i] = b[ST_SUM];
    mom[i] = (Moment){b[ST_SUM], b[ST_M2], (int64_t)b[ST_COUNT]};
    if (!isnan(b[ST_MIN]) && (isnan(mn) || b[ST_MIN] < mn))
      mn = b[ST_MIN];
    if (!isnan(b[ST_MAX]) && (isnan(mx) || b[ST_MAX] > mx))
      mx = b[ST_MAX];
  }
  res[0] = (double)count;
  res[1] = frame_pairwise(sums, k) / (double)count;
  res[2] = sqrt(frame_nanvar(mom, k));
  res[3] = mn;
  merge_percentiles(st, k, q, res + 4);
  res[q->n + 2] = mx;
  free(sums);
  free(mom);
  free(st);
  free(buf);
}

/* args: the list of chunk statistics, the column names, the percentiles. */
void tr_op_df_describe_agg(const TrValue *args, int64_t n, TrValue *out) {
  (void)n;
  const TrSeq *parts = args[0].u.p, *cols = args[1].u.p, *pcts = args[2].u.p;
  Qs q = qs_of(&args[2]);
  const TrSeq **chunks = malloc((size_t)(parts->len ? parts->len : 1) * sizeof *chunks);
  if (!chunks)
    tr_fail("out of memory");
  for (int64_t i = 0; i < parts->len; i++)
    chunks[i] = parts->items[i].u.p;
  int64_t nrows = q.n + 3;
  TrFrame *f = tr_frame_new(cols->len, nrows);
  f->index = calloc((size_t)nrows, sizeof *f->index);
  static const char *head[4] = {"count", "mean", "std", "min"};
  for (int r = 0; r < 4; r++)
    f->index[r] = tr_str_new(head[r], (int64_t)strlen(head[r]));
  for (int64_t j = 0; j < pcts->len; j++) { /* f"{l * 100:g}%" */
    char label[48];
    snprintf(label, sizeof label, "%g%%", pcts->items[j].u.f * 100);
    f->index[4 + j] = tr_str_new(label, (int64_t)strlen(label));
  }
  f->index[nrows - 1] = tr_str_new("max", 3);
  for (int64_t c = 0; c < cols->len; c++) {
    const TrStr *name = cols->items[c].u.p;
    tr_frame_alloc_col(f, c, TR_COL_F64);
    f->cols[c].name = tr_str_new(name->data, name->len);
    column_describe(chunks, parts->len, c, &q, f->cols[c].data);
  }
  free(chunks);
  *out = tr_obj(TR_FRAME, f);
}
