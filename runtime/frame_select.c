/* frame_select.c - the few order statistics describe's percentiles read,
 * as np.partition gives them (values, not positions, matter).
 *
 * A quickselect over a whole partition (~100k values, a dozen ranks)
 * makes several passes whose branches mispredict half the time. Instead
 * one pass counts the values in B buckets of equal width between min and
 * max ((x - min) * scale is monotone in x, so bucket order is value
 * order), a second gathers the values of the few buckets holding a
 * wanted rank, and quickselect runs on those only. Without a finite
 * spread (one value, inf) it is quickselect on everything. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"

enum { MIN_BUCKETED = 4096, BUCKETS = 4096 };

static void swap(double *a, int64_t i, int64_t j) {
  double t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/* Puts a[k] in its sorted place for every k in want[0..nw) (ascending),
 * everything before it no larger, after it no smaller. No NaN in a. */
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

static inline int64_t bucket(double x, double mn, double scale) {
  int64_t b = (int64_t)((x - mn) * scale);
  return b < BUCKETS ? b : BUCKETS - 1; /* max, or a rounding past it */
}

/* Bucketed: counts, then the wanted buckets gathered into g. */
static void select_bucketed(const double *a, int64_t n, const int64_t *want, int nw, double mn,
                            double scale, double *out) {
  int64_t *start = calloc(BUCKETS + 1, sizeof *start), *pos = malloc(BUCKETS * sizeof *pos);
  double *g = NULL;
  int64_t gk[2 * 66];
  if (!start || !pos || nw > 2 * 66)
    tr_fail("out of memory");
  for (int64_t i = 0; i < n; i++)
    start[bucket(a[i], mn, scale) + 1]++;
  for (int b = 0; b < BUCKETS; b++) {
    start[b + 1] += start[b];
    pos[b] = -1;
  }
  int64_t ng = 0;
  for (int k = 0, b = 0; k < nw; k++) { /* the bucket of each rank; its room in g */
    while (start[b + 1] <= want[k])
      b++;
    if (pos[b] < 0) {
      pos[b] = ng;
      ng += start[b + 1] - start[b];
    }
    gk[k] = pos[b] + want[k] - start[b];
  }
  g = malloc((size_t)ng * sizeof *g);
  if (!g)
    tr_fail("out of memory");
  for (int64_t i = 0; i < n; i++) {
    int64_t b = bucket(a[i], mn, scale);
    if (pos[b] >= 0)
      g[pos[b]++] = a[i];
  }
  select_ks(g, 0, ng - 1, gk, nw);
  for (int k = 0; k < nw; k++)
    out[k] = g[gk[k]];
  free(g);
  free(pos);
  free(start);
}

void frame_select(const double *a, int64_t n, const int64_t *want, int nw, double mn,
                  double mx, double *out) {
  double scale = BUCKETS / (mx - mn);
  if (n < MIN_BUCKETED || !(mx > mn) || !isfinite(scale) || !(scale > 0)) {
    double *c = malloc((size_t)n * sizeof *c);
    if (!c)
      tr_fail("out of memory");
    memcpy(c, a, (size_t)n * sizeof *c);
    select_ks(c, 0, n - 1, want, nw);
    for (int k = 0; k < nw; k++)
      out[k] = c[want[k]];
    free(c);
    return;
  }
  select_bucketed(a, n, want, nw, mn, scale, out);
}
