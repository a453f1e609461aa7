/* seq.c - sequence helpers for generated function bodies (taskrt.h). */
#include <stdlib.h>
#include <string.h>

#include "rt.h"

int64_t tr_range_len(int64_t start, int64_t stop, int64_t step) {
  if (step == 0)
    tr_error("range() arg 3 must not be zero");
  /* in 128 bits: stop - start may not fit in 64 */
  __int128 span = (__int128)stop - start;
  if (step > 0)
    return span <= 0 ? 0 : (int64_t)((span + step - 1) / step);
  return span >= 0 ? 0 : (int64_t)((-span + (-(__int128)step) - 1) /
                                   -(__int128)step);
}

/* ---- list methods of function bodies (values are TrValues) ---- */

void tr_list_extend(TrSeq *l, const TrSeq *src) {
  int64_t n = src->len; /* xs.extend(xs) adds each item once */
  for (int64_t i = 0; i < n; i++) {
    TrValue v = src->items[i];
    tr_incref(&v);
    tr_list_append(l, &v);
  }
}

void tr_list_pop(TrSeq *l, int64_t i, TrValue *out) {
  if (l->len == 0)
    tr_error("pop from empty list");
  if (i < 0)
    i += l->len;
  if (i < 0 || i >= l->len)
    tr_error("pop index out of range");
  *out = l->items[i]; /* moved out: a new reference for the caller */
  memmove(&l->items[i], &l->items[i + 1],
          (size_t)(l->len - i - 1) * sizeof *l->items);
  l->len--;
}

void tr_list_insert(TrSeq *l, int64_t i, const TrValue *v) {
  if (i < 0)
    i = i + l->len < 0 ? 0 : i + l->len;
  if (i > l->len)
    i = l->len;
  TrValue none = {0};
  tr_list_append(l, &none); /* grows; the None slot moves to i */
  memmove(&l->items[i + 1], &l->items[i],
          (size_t)(l->len - 1 - i) * sizeof *l->items);
  l->items[i] = *v;
}

static int64_t find(const TrSeq *l, const TrValue *v) {
  for (int64_t i = 0; i < l->len; i++)
    if (tr_equal(&l->items[i], v))
      return i;
  return -1;
}

int64_t tr_list_index(const TrSeq *l, const TrValue *v) {
  int64_t i = find(l, v);
  if (i < 0) {
    char *r = tr_repr(v), m[TR_MSG_MAX];
    snprintf(m, sizeof m, "%s is not in list", r);
    free(r);
    tr_error(m);
  }
  return i;
}

int64_t tr_list_count(const TrSeq *l, const TrValue *v) {
  int64_t n = 0;
  for (int64_t i = 0; i < l->len; i++)
    n += tr_equal(&l->items[i], v);
  return n;
}

void tr_list_remove(TrSeq *l, const TrValue *v) {
  int64_t i = find(l, v);
  if (i < 0)
    tr_error("list.remove(x): x not in list");
  TrValue old;
  tr_list_pop(l, i, &old);
  tr_decref(&old);
}

static void reverse(TrValue *v, int64_t n) {
  for (int64_t i = 0, j = n - 1; i < j; i++, j--) {
    TrValue t = v[i];
    v[i] = v[j];
    v[j] = t;
  }
}

void tr_list_reverse(TrSeq *l) { reverse(l->items, l->len); }

/* Stable merge sort of idx by keys[idx] on `<` only, as list.sort. */
static void sort_idx(int64_t *idx, int64_t *tmp, int64_t n,
                     const TrValue *keys) {
  if (n < 2)
    return;
  int64_t m = n / 2;
  sort_idx(idx, tmp, m, keys);
  sort_idx(idx + m, tmp, n - m, keys);
  memcpy(tmp, idx, (size_t)m * sizeof *idx);
  int64_t i = 0, j = m, k = 0;
  while (i < m && j < n) {
    if (tr_compare(&keys[idx[j]], &keys[tmp[i]], CMP_LT))
      idx[k++] = idx[j++];
    else
      idx[k++] = tmp[i++];
  }
  while (i < m)
    idx[k++] = tmp[i++];
}

/* Sorts l in place by keys (the items themselves when keys is l): Python's
 * reverse=True reverses, sorts stably, and reverses again, so equal keys
 * keep their order. A failing comparison leaves l as it was. */
void tr_list_sort(TrSeq *l, const TrSeq *keys, bool rev) {
  int64_t n = l->len;
  if (keys->len != n)
    tr_error("list modified during sort");
  int64_t *idx = malloc(sizeof *idx * (size_t)(n + 1));
  int64_t *tmp = malloc(sizeof *tmp * (size_t)(n / 2 + 1));
  TrValue *out = malloc(sizeof *out * (size_t)(n + 1));
  if (!idx || !tmp || !out)
    tr_error("out of memory");
  for (int64_t i = 0; i < n; i++)
    idx[i] = rev ? n - 1 - i : i;
  sort_idx(idx, tmp, n, keys->items);
  for (int64_t i = 0; i < n; i++)
    out[i] = l->items[idx[i]];
  if (rev)
    reverse(out, n);
  memcpy(l->items, out, (size_t)n * sizeof *out);
  free(idx);
  free(tmp);
  free(out);
}

/* min/max with key=: the index of the first smallest (largest) key. */
int64_t tr_best_index(const TrSeq *keys, bool max) {
  if (keys->len == 0)
    tr_error(max ? "max() arg is an empty sequence"
                 : "min() arg is an empty sequence");
  int64_t best = 0;
  for (int64_t i = 1; i < keys->len; i++)
    if (tr_compare(&keys->items[i], &keys->items[best], max ? CMP_GT : CMP_LT))
      best = i;
  return best;
}

/* xs[lo:hi:step] of a list or tuple, Python's clamping; has_* false for an
 * omitted bound. */
TrSeq *tr_seq_slice(const TrSeq *s, bool has_lo, int64_t lo, bool has_hi,
                    int64_t hi, bool has_step, int64_t step) {
  int64_t n = s->len;
  if (!has_step)
    step = 1;
  if (step == 0)
    tr_error("slice step cannot be zero");
  if (!has_lo)
    lo = step > 0 ? 0 : n - 1;
  else if (lo < 0)
    lo = lo + n < 0 ? (step > 0 ? 0 : -1) : lo + n;
  else if (lo >= n)
    lo = step > 0 ? n : n - 1;
  if (!has_hi)
    hi = step > 0 ? n : -1;
  else if (hi < 0)
    hi = hi + n < 0 ? (step > 0 ? 0 : -1) : hi + n;
  else if (hi >= n)
    hi = step > 0 ? n : n - 1;
  int64_t len = 0;
  if (step > 0 && lo < hi)
    len = (hi - lo - 1) / step + 1;
  else if (step < 0 && lo > hi)
    len = (lo - hi - 1) / (-step) + 1;
  TrSeq *out = tr_seq_new(len);
  for (int64_t i = 0; i < len; i++) {
    out->items[i] = s->items[lo + i * step];
    tr_incref(&out->items[i]);
  }
  return out;
}

/* xs + ys: a new sequence (the caller's type says list or tuple). */
TrSeq *tr_seq_concat(const TrSeq *a, const TrSeq *b) {
  TrSeq *s = tr_seq_new(a->len + b->len);
  for (int64_t i = 0; i < a->len + b->len; i++) {
    s->items[i] = i < a->len ? a->items[i] : b->items[i - a->len];
    tr_incref(&s->items[i]);
  }
  return s;
}

/* xs * n (n <= 0: empty). */
TrSeq *tr_seq_repeat(const TrSeq *a, int64_t n) {
  if (n < 0)
    n = 0;
  if (n > 0 && a->len > INT64_MAX / 16 / n)
    tr_error("cannot fit 'int' into an index-sized integer");
  TrSeq *s = tr_seq_new(a->len * n);
  for (int64_t i = 0; i < a->len * n; i++) {
    s->items[i] = a->items[i % a->len];
    tr_incref(&s->items[i]);
  }
  return s;
}
