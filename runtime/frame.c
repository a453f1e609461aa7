/* frame.c - TrFrame objects (a pandas DataFrame or Series), head(n) and
 * column selection. */
#include <stdlib.h>
#include <string.h>

#include "frame.h"

void tr_live_add(int64_t d); /* value.c */

static void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p)
    tr_fail("out of memory");
  return p;
}

TrFrame *tr_frame_new(int64_t ncols, int64_t nrows) {
  TrFrame *f = xcalloc(1, sizeof *f);
  f->h.refcount = 1;
  f->ncols = ncols;
  f->nrows = nrows;
  f->cols = xcalloc((size_t)ncols, sizeof *f->cols);
  tr_live_add(1);
  return f;
}

static size_t elem_size(int64_t dtype) {
  return dtype == TR_COL_BOOL ? 1 : dtype == TR_COL_OBJ ? sizeof(TrStr *) : 8;
}

void tr_frame_alloc_col(TrFrame *f, int64_t c, int64_t dtype) {
  f->cols[c].dtype = dtype;
  f->cols[c].data = xcalloc((size_t)f->nrows, elem_size(dtype));
}

static void decref_str(TrStr *s) {
  if (s) {
    TrValue v = tr_obj(TR_STR, s);
    tr_decref(&v);
  }
}

void frame_free(TrFrame *f) {
  for (int64_t c = 0; c < f->ncols; c++) {
    TrColumn *col = &f->cols[c];
    if (col->dtype == TR_COL_OBJ && col->data)
      for (int64_t r = 0; r < f->nrows; r++)
        decref_str(((TrStr **)col->data)[r]);
    decref_str(col->name);
    free(col->data);
  }
  if (f->index) {
    for (int64_t r = 0; r < f->nrows; r++)
      decref_str(f->index[r]);
    free(f->index);
  }
  free(f->labels);
  free(f->cols);
  decref_str(f->index_name);
  if (f->levels) {
    TrValue lv = tr_obj(TR_FRAME, f->levels);
    tr_decref(&lv);
  }
}

int64_t frame_find_col(const TrFrame *f, const char *s, int64_t n) {
  for (int64_t c = 0; c < f->ncols; c++) {
    const TrStr *name = f->cols[c].name;
    if (name && name->len == n && !memcmp(name->data, s, (size_t)n))
      return c;
  }
  return -1;
}

bool frame_name_is_int(const TrStr *name) {
  return name && name->len > 1 && name->data[0] == '\x1e';
}

const char *frame_name_text(const TrStr *name) {
  return name->data + frame_name_is_int(name);
}

const char *frame_dtype_name(int64_t dtype) {
  static const char *names[] = {"float64", "int64", "bool", "object", "datetime64[ns]"};
  return dtype >= 0 && dtype <= TR_COL_DT ? names[dtype] : "?";
}

static TrStr *ref_str(TrStr *s) {
  if (s) {
    TrValue v = tr_obj(TR_STR, s);
    tr_incref(&v);
  }
  return s;
}

/* Rows [lo, lo + n) of column c of src into column c2 of dst. */
void frame_copy_rows(TrFrame *dst, int64_t c2, const TrFrame *src, int64_t c, int64_t lo) {
  const TrColumn *from = &src->cols[c];
  tr_frame_alloc_col(dst, c2, from->dtype);
  dst->cols[c2].name = ref_str(from->name);
  size_t es = elem_size(from->dtype);
  memcpy(dst->cols[c2].data, (const char *)from->data + (size_t)lo * es,
         (size_t)dst->nrows * es);
  if (from->dtype == TR_COL_OBJ)
    for (int64_t r = 0; r < dst->nrows; r++)
      ref_str(((TrStr **)dst->cols[c2].data)[r]);
}

/* Rows rows[0 .. dst->nrows) (NULL: the first) of column c of src into
 * column c of dst, name and all. */
static void copy_taken(TrFrame *dst, const TrFrame *src, int64_t c, const int64_t *rows) {
  if (!rows) {
    frame_copy_rows(dst, c, src, c, 0);
    return;
  }
  const TrColumn *from = &src->cols[c];
  tr_frame_alloc_col(dst, c, from->dtype);
  dst->cols[c].name = ref_str(from->name);
  size_t es = elem_size(from->dtype);
  for (int64_t r = 0; r < dst->nrows; r++)
    memcpy((char *)dst->cols[c].data + (size_t)r * es,
           (const char *)from->data + (size_t)rows[r] * es, es);
  if (from->dtype == TR_COL_OBJ)
    for (int64_t r = 0; r < dst->nrows; r++)
      ref_str(((TrStr **)dst->cols[c].data)[r]);
}

void frame_copy_index(TrFrame *dst, const TrFrame *src, const int64_t *rows) {
  int64_t n = dst->nrows;
  dst->index_name = ref_str(src->index_name);
  dst->label_kind = src->label_kind;
  if (src->levels) { /* a MultiIndex: its level columns, the same rows */
    dst->levels = tr_frame_new(src->levels->ncols, n);
    for (int64_t c = 0; c < src->levels->ncols; c++)
      copy_taken(dst->levels, src->levels, c, rows);
    return;
  }
  if (src->index) {
    dst->index = xcalloc((size_t)n, sizeof *dst->index);
    for (int64_t r = 0; r < n; r++)
      dst->index[r] = ref_str(src->index[rows ? rows[r] : r]);
  } else if (src->labels || rows) {
    dst->labels = xcalloc((size_t)n, sizeof *dst->labels);
    for (int64_t r = 0; r < n; r++) {
      int64_t i = rows ? rows[r] : r;
      dst->labels[r] = src->labels ? src->labels[i] : i;
    }
  }
}

const TrFrame *frame_arg(const TrValue *v, const char *op) {
  if (v->tag != TR_FRAME)
    tr_fail("%s: expected a dataframe partition, got %s", op, tr_type_name(v));
  return v->u.p;
}

/* The first n rows (pandas' head: n < 0 drops the last -n). */
static TrFrame *head(const TrFrame *f, int64_t n) {
  if (n < 0)
    n = f->nrows + n < 0 ? 0 : f->nrows + n;
  if (n > f->nrows)
    n = f->nrows;
  TrFrame *h = tr_frame_new(f->ncols, n);
  h->series = f->series;
  for (int64_t c = 0; c < f->ncols; c++)
    frame_copy_rows(h, c, f, c, 0);
  frame_copy_index(h, f, NULL);
  return h;
}

void tr_op_df_head(const TrValue *args, int64_t n, TrValue *out) {
  (void)n;
  *out = tr_obj(TR_FRAME, head(frame_arg(&args[0], "head"), args[1].u.i));
}

/* frame[name]: the column as a Series; frame[(a, b)]: those columns. */
void tr_op_df_getitem(const TrValue *args, int64_t n, TrValue *out) {
  (void)n;
  const TrFrame *f = frame_arg(&args[0], "getitem");
  bool one = args[1].tag == TR_STR;
  const TrValue *keys = one ? &args[1] : ((const TrSeq *)args[1].u.p)->items;
  int64_t nk = one ? 1 : ((const TrSeq *)args[1].u.p)->len;
  TrFrame *s = tr_frame_new(nk, f->nrows);
  TrValue sv = tr_obj(TR_FRAME, s);
  tr_guard(&sv);
  s->series = one;
  for (int64_t k = 0; k < nk; k++) {
    const TrStr *key = keys[k].u.p;
    int64_t c = frame_find_col(f, key->data, key->len);
    if (c < 0)
      tr_fail("KeyError: '%s'", key->data);
    frame_copy_rows(s, k, f, c, 0);
  }
  frame_copy_index(s, f, NULL);
  tr_unguard(1);
  *out = sv;
}
