/* ops_seq.c - builtins over sequences: sum, min, max, any, all, len, list,
 * tuple, sorted, operator.getitem. */
#include <stdlib.h>
#include <string.h>

#include "rt.h"

void tr_op_sum(const TrValue *a, int64_t n, TrValue *out) {
  TrValue tmp;
  int64_t len;
  const TrValue *it = tr_iter(&a[0], &len, &tmp);
  TrValue acc = n > 1 ? a[1] : tr_int(0);
  tr_guard(&tmp);
  if (acc.tag == TR_STR)
    tr_error("sum() can't sum strings [use ''.join(seq) instead]");
  tr_incref(&acc);
  tr_guard(&acc);
  for (int64_t i = 0; i < len; i++) {
    if (acc.tag == TR_INT && it[i].tag == TR_INT) { /* the common case */
      int64_t a = acc.u.i, b = it[i].u.i;
      if (tr_is_big(a) || tr_is_big(b) || __builtin_add_overflow(a, b, &acc.u.i) ||
          tr_is_big(acc.u.i))
        acc.u.i = tr_int_add_slow(a, b);
      continue;
    }
    TrValue next = tr_arith(AR_ADD, &acc, &it[i]);
    tr_decref(&acc);
    acc = next;
  }
  tr_unguard(2);
  tr_decref(&tmp);
  *out = acc;
}

static void minmax(const TrValue *a, int64_t n, TrValue *out, int op, const char *name) {
  TrValue tmp = {0};
  int64_t len = n;
  const TrValue *it = n == 1 ? tr_iter(&a[0], &len, &tmp) : a;
  if (len == 0)
    tr_fail("%s() arg is an empty sequence", name);
  tr_guard(&tmp);
  const TrValue *best = &it[0];
  for (int64_t i = 1; i < len; i++)
    if (tr_compare(&it[i], best, op))
      best = &it[i];
  *out = *best;
  tr_incref(out);
  tr_unguard(1);
  tr_decref(&tmp);
}

void tr_op_min(const TrValue *a, int64_t n, TrValue *out) { minmax(a, n, out, CMP_LT, "min"); }
void tr_op_max(const TrValue *a, int64_t n, TrValue *out) { minmax(a, n, out, CMP_GT, "max"); }

static void anyall(const TrValue *a, TrValue *out, bool want) {
  TrValue tmp;
  int64_t len;
  const TrValue *it = tr_iter(&a[0], &len, &tmp);
  bool r = !want;
  for (int64_t i = 0; i < len; i++)
    if (tr_truthy(&it[i]) == want) {
      r = want;
      break;
    }
  tr_decref(&tmp);
  *out = tr_bool(r);
}

void tr_op_any(const TrValue *a, int64_t n, TrValue *out) { anyall(a, out, true); }
void tr_op_all(const TrValue *a, int64_t n, TrValue *out) { anyall(a, out, false); }

/* Code points in UTF-8 text. */
static int64_t utf8_len(const TrStr *s) {
  int64_t n = 0;
  for (int64_t i = 0; i < s->len; i++)
    n += (s->data[i] & 0xc0) != 0x80;
  return n;
}

void tr_op_len(const TrValue *a, int64_t n, TrValue *out) {
  switch (a->tag) {
  case TR_STR: *out = tr_int(utf8_len(a->u.p)); return;
  case TR_LIST:
  case TR_TUPLE: *out = tr_int(((const TrSeq *)a->u.p)->len); return;
  case TR_DICT: *out = tr_int(((const TrDict *)a->u.p)->len); return;
  default: tr_fail("object of type '%s' has no len()", tr_type_name(a));
  }
}

static TrValue copy_seq(const TrValue *v, int64_t tag) {
  TrValue tmp;
  int64_t len;
  const TrValue *it = tr_iter(v, &len, &tmp);
  TrSeq *s = tr_seq_new(len);
  for (int64_t i = 0; i < len; i++) {
    s->items[i] = it[i];
    tr_incref(&s->items[i]);
  }
  tr_decref(&tmp);
  return tr_obj(tag, s);
}

void tr_op_list(const TrValue *a, int64_t n, TrValue *out) {
  *out = n == 0 ? tr_obj(TR_LIST, tr_seq_new(0)) : copy_seq(&a[0], TR_LIST);
}

void tr_op_tuple(const TrValue *a, int64_t n, TrValue *out) {
  if (n > 0 && a[0].tag == TR_TUPLE) { /* immutable: share it, as Python does */
    *out = a[0];
    tr_incref(out);
    return;
  }
  *out = n == 0 ? tr_obj(TR_TUPLE, tr_seq_new(0)) : copy_seq(&a[0], TR_TUPLE);
}

/* Stable merge sort on `<` only, like Python's list.sort. */
static void merge_sort(TrValue *v, TrValue *tmp, int64_t n) {
  if (n < 2)
    return;
  int64_t m = n / 2;
  merge_sort(v, tmp, m);
  merge_sort(v + m, tmp, n - m);
  memcpy(tmp, v, (size_t)m * sizeof *v);
  int64_t i = 0, j = m, k = 0;
  while (i < m && j < n) {
    if (tr_compare(&v[j], &tmp[i], CMP_LT))
      v[k++] = v[j++];
    else
      v[k++] = tmp[i++];
  }
  while (i < m)
    v[k++] = tmp[i++];
}

/* Raw storage that tr_guard can release: a list of length 0. */
static TrValue scratch(int64_t n, TrValue **items) {
  TrSeq *s = tr_seq_new(n);
  s->len = 0;
  *items = s->items;
  return tr_obj(TR_LIST, s);
}

/* Sorts borrowed copies, so a failing comparison leaves no refcount
 * half-moved; the result list takes its references at the end. */
void tr_op_sorted(const TrValue *a, int64_t n, TrValue *out) {
  TrValue tmp, *v, *half;
  int64_t len;
  const TrValue *it = tr_iter(&a[0], &len, &tmp);
  TrValue work = scratch(len, &v), aux = scratch(len / 2 + 1, &half);
  tr_guard(&tmp);
  tr_guard(&work);
  tr_guard(&aux);
  memcpy(v, it, (size_t)len * sizeof *v);
  merge_sort(v, half, len);
  TrSeq *s = tr_seq_new(len);
  for (int64_t i = 0; i < len; i++) {
    s->items[i] = v[i];
    tr_incref(&v[i]);
  }
  tr_unguard(3);
  tr_decref(&aux);
  tr_decref(&work);
  tr_decref(&tmp);
  *out = tr_obj(TR_LIST, s);
}

static int64_t index_of(const TrValue *k, int64_t len, const char *what) {
  int64_t i = k->u.i;
  if (k->tag == TR_INT && tr_is_big(i))
    tr_fail(TR_BIG_INDEX_MSG);
  if (i < 0)
    i += len;
  if (i < 0 || i >= len)
    tr_fail("%s index out of range", what);
  return i;
}

static void getitem_str(const TrStr *s, const TrValue *k, TrValue *out) {
  if (k->tag != TR_INT && k->tag != TR_BOOL)
    tr_fail("string indices must be integers, not '%s'", tr_type_name(k));
  int64_t i = index_of(k, utf8_len(s), "string");
  int64_t b = 0;
  for (int64_t cp = 0;; b++) /* byte offset of code point i */
    if ((s->data[b] & 0xc0) != 0x80 && cp++ == i)
      break;
  int64_t e = b + 1;
  while (e < s->len && (s->data[e] & 0xc0) == 0x80)
    e++;
  *out = tr_str_value(s->data + b, e - b);
}

void tr_op_getitem(const TrValue *a, int64_t n, TrValue *out) {
  const TrValue *o = &a[0], *k = &a[1];
  switch (o->tag) {
  case TR_LIST:
  case TR_TUPLE: {
    const char *what = o->tag == TR_LIST ? "list" : "tuple";
    if (k->tag != TR_INT && k->tag != TR_BOOL)
      tr_fail("%s indices must be integers or slices, not %s", what, tr_type_name(k));
    const TrSeq *s = o->u.p;
    *out = s->items[index_of(k, s->len, what)];
    tr_incref(out);
    return;
  }
  case TR_STR: getitem_str(o->u.p, k, out); return;
  case TR_DICT: {
    TrValue *v = tr_dict_get(o->u.p, k);
    if (!v)
      tr_key_error(k);
    *out = *v;
    tr_incref(out);
    return;
  }
  default: tr_fail("'%s' object is not subscriptable", tr_type_name(o));
  }
}
