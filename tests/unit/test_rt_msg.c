/* test_rt_msg.c - the message encoding (runtime/msg.c): every value kind
 * round-trips to an equal value (bit-equal floats, same tags, same frame
 * layout), no object leaks, and every truncation or corruption of an
 * encoding is refused or decoded without crashing (ASan build). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "test_rt_check.h"

static bool str_eq(const TrStr *a, const TrStr *b) {
  if (!a || !b)
    return a == b;
  return a->len == b->len && !memcmp(a->data, b->data, (size_t)a->len) && !b->data[b->len];
}

static bool value_eq(const TrValue *a, const TrValue *b);

static bool array_eq(const TrArray *a, const TrArray *b) {
  if (a->dtype != b->dtype || a->ndim != b->ndim || a->size != b->size)
    return false;
  for (int64_t d = 0; d < a->ndim; d++)
    if (a->shape[d] != b->shape[d])
      return false;
  if (((uintptr_t)b->data & 63) != 0)
    return false; /* data must stay 64-byte aligned */
  size_t n = (size_t)a->size * (a->dtype == TR_B8 ? 1 : 8);
  return n == 0 || !memcmp(a->data, b->data, n);
}

static bool column_eq(const TrFrame *fa, const TrColumn *a, const TrColumn *b) {
  if (a->dtype != b->dtype || !str_eq(a->name, b->name))
    return false;
  if (a->dtype == TR_COL_OBJ) {
    for (int64_t r = 0; r < fa->nrows; r++)
      if (!str_eq(((TrStr **)a->data)[r], ((TrStr **)b->data)[r]))
        return false;
    return true;
  }
  size_t n = (size_t)fa->nrows * (a->dtype == TR_COL_BOOL ? 1 : 8);
  return n == 0 || !memcmp(a->data, b->data, n);
}

static bool frame_eq(const TrFrame *a, const TrFrame *b) {
  if (a->ncols != b->ncols || a->nrows != b->nrows || a->series != b->series ||
      !a->index != !b->index || !a->labels != !b->labels || !a->levels != !b->levels ||
      a->label_kind != b->label_kind || a->col_levels != b->col_levels ||
      !str_eq(a->index_name, b->index_name) || (a->levels && !frame_eq(a->levels, b->levels)))
    return false;
  for (int64_t r = 0; r < a->nrows; r++)
    if ((a->index && !str_eq(a->index[r], b->index[r])) ||
        (a->labels && a->labels[r] != b->labels[r]))
      return false;
  for (int64_t c = 0; c < a->ncols; c++)
    if (!column_eq(a, &a->cols[c], &b->cols[c]))
      return false;
  return true;
}

static bool value_eq(const TrValue *a, const TrValue *b) {
  if (a->tag != b->tag)
    return false;
  switch (a->tag) {
  case TR_NONE:
    return true;
  case TR_INT: /* a big (runtime/bigint*.c) decodes as a new, equal one */
    if (tr_is_big(a->u.i) && tr_is_big(b->u.i))
      return tr_int_cmp_slow(a->u.i, b->u.i) == 0;
    return a->u.i == b->u.i;
  case TR_BOOL:
  case TR_FLOAT: /* bit-equal: NaN payloads, -0.0 */
    return a->u.i == b->u.i;
  case TR_STR:
    return str_eq(a->u.p, b->u.p);
  case TR_LIST:
  case TR_TUPLE: {
    const TrSeq *x = a->u.p, *y = b->u.p;
    if (x->len != y->len)
      return false;
    for (int64_t i = 0; i < x->len; i++)
      if (!value_eq(&x->items[i], &y->items[i]))
        return false;
    return true;
  }
  case TR_DICT: {
    const TrDict *x = a->u.p, *y = b->u.p;
    if (x->len != y->len)
      return false;
    for (int64_t i = 0; i < x->len; i++) /* the order is part of a dict */
      if (!value_eq(&x->keys[i], &y->keys[i]) || !value_eq(&x->vals[i], &y->vals[i]))
        return false;
    return true;
  }
  case TR_ARRAY:
    return array_eq(a->u.p, b->u.p);
  case TR_FRAME:
    return frame_eq(a->u.p, b->u.p);
  }
  return false;
}

static TrValue str(const char *s) { return tr_obj(TR_STR, tr_str_new(s, (int64_t)strlen(s))); }

static TrValue seq(int64_t tag, int n, const TrValue *items) {
  TrSeq *s = tr_seq_new(n);
  if (n) /* takes the refs */
    memcpy(s->items, items, (size_t)n * sizeof *items);
  return tr_obj(tag, s);
}

static TrValue array(int64_t dtype, int64_t ndim, const int64_t *shape) {
  TrArray *a = tr_array_new(dtype, ndim, shape);
  for (int64_t i = 0; i < a->size; i++) {
    if (dtype == TR_F64)
      ((double *)a->data)[i] = i == 1 ? NAN : i * 0.1 - 3;
    else if (dtype == TR_I64)
      ((int64_t *)a->data)[i] = i % 2 ? INT64_MIN + i : INT64_MAX - i;
    else
      ((uint8_t *)a->data)[i] = (uint8_t)(i % 3 == 0);
  }
  return tr_obj(TR_ARRAY, a);
}

/* A partition with every column dtype, missing strings and names, an
 * index or labels as asked. */
static TrValue frame(int64_t nrows, bool index, bool labels, bool series) {
  TrFrame *f = tr_frame_new(series ? 1 : 4, nrows);
  f->series = series;
  for (int64_t c = 0; c < f->ncols; c++) {
    tr_frame_alloc_col(f, c, series ? TR_COL_OBJ : c);
    f->cols[c].name = c == 2 ? NULL : tr_str_new("col", 3 - c % 3);
    for (int64_t r = 0; r < nrows; r++) {
      void *d = f->cols[c].data;
      switch (f->cols[c].dtype) {
      case TR_COL_F64: ((double *)d)[r] = r == 0 ? -0.0 : r / 7.0; break;
      case TR_COL_I64: ((int64_t *)d)[r] = -r * 1000003; break;
      case TR_COL_BOOL: ((uint8_t *)d)[r] = (uint8_t)(r & 1); break;
      default: ((TrStr **)d)[r] = r % 3 == 1 ? NULL : tr_str_new("ab\0c", r % 5); break;
      }
    }
  }
  if (index) {
    f->index = calloc((size_t)nrows + 1, sizeof *f->index);
    for (int64_t r = 0; r < nrows; r++)
      f->index[r] = r == 2 ? NULL : tr_str_new("count", r % 6);
  }
  if (labels) {
    f->labels = calloc((size_t)nrows + 1, sizeof *f->labels);
    for (int64_t r = 0; r < nrows; r++)
      f->labels[r] = r * r - 5;
  }
  return tr_obj(TR_FRAME, f);
}

/* A groupby result by two keys: a MultiIndex (levels), its labels' kind,
 * the index's name, a datetime column, MultiIndex columns. */
static TrValue grouped(int64_t nrows) {
  TrValue v = frame(nrows, false, true, false);
  TrFrame *f = v.u.p;
  f->label_kind = TR_LABEL_F64;
  f->col_levels = 2;
  f->index_name = tr_str_new("when", 4);
  TrValue lv = frame(nrows, false, false, false);
  TrFrame *l = lv.u.p;
  free(l->cols[0].data); /* the f64 column becomes a datetime one */
  tr_frame_alloc_col(l, 0, TR_COL_DT);
  for (int64_t r = 0; r < nrows; r++)
    ((int64_t *)l->cols[0].data)[r] = r == 1 ? INT64_MIN : r * 86400000000000;
  f->levels = l;
  return v;
}

/* Every value kind, nested. */
static int make_values(TrValue *v) {
  int n = 0;
  v[n++] = (TrValue){.tag = TR_NONE};
  v[n++] = tr_bool(true);
  v[n++] = tr_bool(false);
  v[n++] = tr_int(TR_BIG_LIMIT); /* the least plain int */
  v[n++] = tr_int(tr_int_pow(-3, 99)); /* a big (runtime/bigint*.c) */
  v[n++] = tr_int(INT64_MAX);
  v[n++] = tr_float(-0.0);
  v[n++] = tr_float(NAN);
  v[n++] = tr_float(-INFINITY);
  v[n++] = tr_float(5e-324);
  v[n++] = str("");
  v[n++] = tr_obj(TR_STR, tr_str_new("nul\0inside \xc3\xa9", 14));
  v[n++] = seq(TR_LIST, 0, NULL);
  v[n++] = seq(TR_TUPLE, 0, NULL);
  TrValue inner[3] = {tr_int(1), str("two"), tr_float(3.5)};
  TrValue tup = seq(TR_TUPLE, 3, inner);
  TrValue outer[2] = {tup, seq(TR_LIST, 0, NULL)};
  v[n++] = seq(TR_LIST, 2, outer);
  TrDict *d = tr_dict_new();
  TrValue k1 = str("a"), v1 = array(TR_F64, 1, (int64_t[]){5});
  TrValue kin[2] = {tr_int(1), tr_int(2)};
  TrValue k2 = seq(TR_TUPLE, 2, kin), v2 = seq(TR_LIST, 0, NULL);
  TrValue k3 = tr_int(-7), v3 = (TrValue){.tag = TR_NONE};
  tr_dict_set(d, &k1, &v1);
  tr_dict_set(d, &k2, &v2);
  tr_dict_set(d, &k3, &v3);
  v[n++] = tr_obj(TR_DICT, d);
  v[n++] = tr_obj(TR_DICT, tr_dict_new());
  for (int64_t dt = TR_F64; dt <= TR_B8; dt++) {
    v[n++] = array(dt, 0, NULL);                     /* NumPy scalar */
    v[n++] = array(dt, 1, (int64_t[]){0});           /* empty */
    v[n++] = array(dt, 2, (int64_t[]){3, 17});
    v[n++] = array(dt, 3, (int64_t[]){2, 0, 4});     /* empty axis in the middle */
    v[n++] = array(dt, TR_MAXDIM, (int64_t[]){1, 2, 1, 2, 1, 2, 1, 3});
  }
  v[n++] = array(TR_F64, 1, (int64_t[]){100000}); /* a big one: 800 KB */
  v[n++] = frame(0, false, false, false);
  v[n++] = frame(9, false, false, false);
  v[n++] = frame(6, true, false, false);
  v[n++] = frame(7, false, true, false);
  v[n++] = frame(5, false, false, true);
  v[n++] = grouped(6);
  return n;
}

static void test_round_trip(void) {
  TrValue v[64];
  int n = make_values(v);
  int64_t live0 = tr_live_objects();
  for (int i = 0; i < n; i++) {
    Buf b = {0};
    buf_putc(&b, 'x'); /* encodings append: decode from an odd offset */
    tr_msg_encode(&b, &v[i]);
    buf_putc(&b, 'y');
    TrValue out;
    size_t used = 0;
    bool ok = tr_msg_decode(b.p + 1, b.len - 1, &used, &out);
    CHECK(ok, "value %d does not decode", i);
    CHECK(used == b.len - 2, "value %d: used %zu of %zu", i, used, b.len - 2);
    CHECK(ok && value_eq(&v[i], &out), "value %d differs after a round trip", i);
    /* every shorter prefix is refused, cleanly */
    size_t step = b.len > 4000 ? 997 : 1;
    for (size_t k = 0; k + 2 < b.len; k += step) {
      TrValue cut;
      CHECK(!tr_msg_decode(b.p + 1, k, &used, &cut) && cut.tag == TR_NONE,
            "value %d: a %zu-byte prefix decodes", i, k);
    }
    /* flipping any byte must not crash (it may decode to something else) */
    for (size_t k = 1; k + 1 < b.len && k < 600; k++) {
      char save = b.p[k];
      b.p[k] = (char)(save ^ 0xa5);
      TrValue bad;
      if (tr_msg_decode(b.p + 1, b.len - 2, &used, &bad))
        tr_decref(&bad);
      b.p[k] = save;
    }
    if (ok)
      tr_decref(&out);
    free(b.p);
  }
  CHECK(tr_live_objects() == live0, "leaked %lld objects", (long long)(tr_live_objects() - live0));
  for (int i = 0; i < n; i++)
    tr_decref(&v[i]);
}

/* Lengths that claim more than the message holds are refused before any
 * allocation (a corrupt message cannot ask for 2^62 items). */
static void test_lengths(void) {
  const char huge_list[] = {5, 0, 0, 0, 0, 0, 0, 0, 0x40};
  const char huge_str[] = {4, -1, -1, -1, -1, -1, -1, -1, 0x7f, 'a'};
  const char neg_str[] = {4, -1, -1, -1, -1, -1, -1, -1, -1};
  char arr[1 + 8 * 4];
  int64_t hdr[4] = {TR_F64, 2, INT64_C(1) << 33, INT64_C(1) << 33}; /* wraps to 0 */
  arr[0] = 8;
  memcpy(arr + 1, hdr, sizeof hdr);
  const char unknown[] = {10, 1, 0, 0, 0, 0, 0, 0, 0};
  struct {
    const char *p;
    size_t n;
    const char *what;
  } cases[] = {{huge_list, sizeof huge_list, "huge list"}, {huge_str, sizeof huge_str, "huge str"},
               {neg_str, sizeof neg_str, "negative length"}, {arr, sizeof arr, "array size wraps"},
               {unknown, sizeof unknown, "big int kind (not sent yet)"}};
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    TrValue v;
    size_t used;
    CHECK(!tr_msg_decode(cases[i].p, cases[i].n, &used, &v), "%s decodes", cases[i].what);
  }
}

/* A large array as a header and its raw data apart (msg.h). */
static void test_head(void) {
  TrValue v = array(TR_I64, 2, (int64_t[]){64, 100}), small = array(TR_F64, 1, (int64_t[]){3});
  CHECK(tr_msg_head_bytes(&v, 32768) == 51200, "head bytes %zu", tr_msg_head_bytes(&v, 32768));
  CHECK(tr_msg_head_bytes(&small, 32768) == 0, "a small array is sent whole");
  CHECK(tr_msg_head_bytes(&(TrValue){.tag = TR_INT}, 0) == 0, "an int is sent whole");
  Buf b = {0};
  tr_msg_encode_head(&b, &v);
  CHECK(tr_msg_is_head(b.p, b.len) && b.len < 100, "header of %zu bytes", b.len);
  TrValue out;
  size_t used;
  CHECK(tr_msg_decode(b.p, b.len, &used, &out) && used == b.len, "header decodes");
  if (out.tag == TR_ARRAY) {
    TrArray *a = out.u.p, *src = v.u.p;
    memcpy(a->data, src->data, tr_msg_head_bytes(&out, 0));
    CHECK(value_eq(&v, &out), "header + data equal the array");
    tr_decref(&out);
  }
  free(b.p);
  Buf w = {0}; /* a header inside a list is not a message */
  TrValue one[1] = {tr_int(1)};
  TrValue l = seq(TR_LIST, 1, one);
  tr_msg_encode(&w, &l);
  w.p[w.len - 9] = 11; /* the item's kind byte -> K_ARRAY_HEAD */
  CHECK(!tr_msg_decode(w.p, w.len, &used, &out), "nested header decodes");
  free(w.p);
  tr_decref(&l);
  tr_decref(&v);
  tr_decref(&small);
}

int main(void) {
  test_round_trip();
  test_head();
  test_lengths();
  if (failures)
    printf("%d failures\n", failures);
  return failures != 0;
}
