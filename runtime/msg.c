/* msg.c - the binary encoding of values (msg.h).
 *
 *   none   K_NONE
 *   bool   K_BOOL  u8
 *   int    K_INT   i64
 *   float  K_FLOAT f64 (bit pattern: NaN payloads and -0.0 survive)
 *   str    K_STR   i64 len, bytes
 *   list, tuple    K_LIST/K_TUPLE i64 len, items
 *   dict   K_DICT  i64 len, (key, value) pairs in insertion order
 *   array  K_ARRAY i64 dtype, i64 ndim, i64 shape[ndim], raw C-order data
 *   array header   K_ARRAY_HEAD, the same without the data (msg.h)
 *   frame  K_FRAME i64 ncols, nrows, series, u8 has_index, u8 has_labels,
 *                  [index: nrows optional strs], [labels: i64 nrows],
 *                  optional str index_name, i64 label_kind, i64 col_levels,
 *                  u8 has_levels, [levels: a frame of nrows rows, as this],
 *                  per column: i64 dtype, optional str name, data
 *                  (obj columns: nrows optional strs; NULL is NaN)
 *   optional str: u8 0 (NULL) or 1 then the str's len and bytes
 *
 * Kind bytes are this file's own numbers, not TrValue tags, so the
 * encoding stays fixed when tags are added. Big ints (arbitrary-precision
 * integers, runtime/bigint*.c) get K_BIGINT: sign byte, i64 limb count,
 * 64-bit limbs, little end first. */
#include "msg.h"

#include <stdlib.h>
#include <string.h>

#include "bigint_weak.h"
#include "frame.h"

enum {
  K_NONE = 0, K_BOOL = 1, K_INT = 2, K_FLOAT = 3, K_STR = 4, K_LIST = 5,
  K_TUPLE = 6, K_DICT = 7, K_ARRAY = 8, K_FRAME = 9,
  K_BIGINT = 10, /* reserved (see above) */
  K_ARRAY_HEAD = 11, /* an array's dtype and shape; its data follows apart */
};

/* ---------------- encoding ---------------- */

static void put_u8(Buf *b, uint8_t x) { buf_putc(b, (char)x); }
static void put_i64(Buf *b, int64_t x) { buf_putn(b, (const char *)&x, 8); }

static void put_str(Buf *b, const TrStr *s) {
  put_i64(b, s->len);
  buf_putn(b, s->data, (size_t)s->len);
}

static void put_opt_str(Buf *b, const TrStr *s) {
  put_u8(b, s != NULL);
  if (s)
    put_str(b, s);
}

static size_t array_elem(int64_t dtype) { return dtype == TR_B8 ? 1 : 8; }

static void put_array(Buf *b, const TrArray *a, bool data) {
  put_i64(b, a->dtype);
  put_i64(b, a->ndim);
  for (int64_t d = 0; d < a->ndim; d++)
    put_i64(b, a->shape[d]);
  if (data && a->size > 0)
    buf_putn(b, a->data, (size_t)a->size * array_elem(a->dtype));
}

static void put_column(Buf *b, const TrFrame *f, const TrColumn *c) {
  put_i64(b, c->dtype);
  put_opt_str(b, c->name);
  if (c->dtype == TR_COL_OBJ) {
    for (int64_t r = 0; r < f->nrows; r++)
      put_opt_str(b, ((TrStr *const *)c->data)[r]);
  } else if (f->nrows > 0) {
    buf_putn(b, c->data, (size_t)f->nrows * (c->dtype == TR_COL_BOOL ? 1 : 8));
  }
}

static void put_frame(Buf *b, const TrFrame *f) {
  put_i64(b, f->ncols);
  put_i64(b, f->nrows);
  put_i64(b, f->series);
  put_u8(b, f->index != NULL);
  put_u8(b, f->labels != NULL);
  if (f->index)
    for (int64_t r = 0; r < f->nrows; r++)
      put_opt_str(b, f->index[r]);
  if (f->labels && f->nrows > 0)
    buf_putn(b, (const char *)f->labels, (size_t)f->nrows * 8);
  put_opt_str(b, f->index_name);
  put_i64(b, f->label_kind);
  put_i64(b, f->col_levels);
  put_u8(b, f->levels != NULL);
  if (f->levels)
    put_frame(b, f->levels);
  for (int64_t c = 0; c < f->ncols; c++)
    put_column(b, f, &f->cols[c]);
}

void tr_msg_encode(Buf *b, const TrValue *v) {
  switch (v->tag) {
  case TR_NONE:
    put_u8(b, K_NONE);
    return;
  case TR_BOOL:
    put_u8(b, K_BOOL);
    put_u8(b, v->u.i != 0);
    return;
  case TR_INT:
    if (tr_big(v->u.i)) {
      int64_t n, neg;
      const uint64_t *l = tr_int_limbs(v->u.i, &n, &neg);
      put_u8(b, K_BIGINT);
      put_u8(b, (uint8_t)neg);
      put_i64(b, n);
      buf_putn(b, (const char *)l, (size_t)n * 8);
      return;
    }
    put_u8(b, K_INT);
    put_i64(b, v->u.i);
    return;
  case TR_FLOAT:
    put_u8(b, K_FLOAT);
    buf_putn(b, (const char *)&v->u.f, 8);
    return;
  case TR_STR:
    put_u8(b, K_STR);
    put_str(b, v->u.p);
    return;
  case TR_LIST:
  case TR_TUPLE: {
    const TrSeq *s = v->u.p;
    put_u8(b, v->tag == TR_LIST ? K_LIST : K_TUPLE);
    put_i64(b, s->len);
    for (int64_t i = 0; i < s->len; i++)
      tr_msg_encode(b, &s->items[i]);
    return;
  }
  case TR_DICT: {
    const TrDict *d = v->u.p;
    put_u8(b, K_DICT);
    put_i64(b, d->len);
    for (int64_t i = 0; i < d->len; i++) {
      tr_msg_encode(b, &d->keys[i]);
      tr_msg_encode(b, &d->vals[i]);
    }
    return;
  }
  case TR_ARRAY:
    put_u8(b, K_ARRAY);
    put_array(b, v->u.p, true);
    return;
  case TR_FRAME:
    put_u8(b, K_FRAME);
    put_frame(b, v->u.p);
    return;
  default: /* a kind added to taskrt.h without an encoding */
    fprintf(stderr, "error: cannot send a value of tag %lld to another rank\n",
            (long long)v->tag);
    abort();
  }
}

size_t tr_msg_head_bytes(const TrValue *v, size_t min) {
  if (v->tag != TR_ARRAY)
    return 0;
  const TrArray *a = v->u.p;
  size_t n = (size_t)a->size * array_elem(a->dtype);
  return n >= min && n > 0 ? n : 0;
}

void tr_msg_encode_head(Buf *b, const TrValue *v) {
  put_u8(b, K_ARRAY_HEAD);
  put_array(b, v->u.p, false);
}

bool tr_msg_is_head(const char *p, size_t n) { return n > 0 && (uint8_t)p[0] == K_ARRAY_HEAD; }

/* ---------------- decoding ---------------- */

typedef struct Reader {
  const char *p, *end;
  bool bad;
} Reader;

/* n bytes, or NULL (and bad) past the end. */
static const char *take(Reader *r, size_t n) {
  if (r->bad || (size_t)(r->end - r->p) < n) {
    r->bad = true;
    return NULL;
  }
  const char *s = r->p;
  r->p += n;
  return s;
}

static uint8_t get_u8(Reader *r) {
  const char *s = take(r, 1);
  return s ? (uint8_t)*s : 0;
}

static int64_t get_i64(Reader *r) {
  int64_t x = 0;
  const char *s = take(r, 8);
  if (s)
    memcpy(&x, s, 8);
  return x;
}

/* A count of items of at least `min` bytes each that fits in what is
 * left: a corrupt length cannot make us allocate wildly. */
static int64_t get_len(Reader *r, size_t min) {
  int64_t n = get_i64(r);
  if (n < 0 || (min > 0 && (uint64_t)n > (uint64_t)(r->end - r->p) / min))
    r->bad = true;
  return r->bad ? 0 : n;
}

static TrStr *get_str(Reader *r) {
  int64_t n = get_len(r, 1);
  const char *s = take(r, (size_t)n);
  return r->bad ? NULL : tr_str_new(s, n);
}

static TrStr *get_opt_str(Reader *r) {
  uint8_t has = get_u8(r);
  if (has > 1)
    r->bad = true;
  return has == 1 && !r->bad ? get_str(r) : NULL;
}

static void decode_value(Reader *r, TrValue *out, int depth);

static void get_seq(Reader *r, TrValue *out, int64_t tag, int depth) {
  int64_t n = get_len(r, 1);
  TrSeq *s = tr_seq_new(n);
  *out = tr_obj(tag, s);
  for (int64_t i = 0; i < n && !r->bad; i++)
    decode_value(r, &s->items[i], depth + 1);
}

static void get_dict(Reader *r, TrValue *out, int depth) {
  int64_t n = get_len(r, 2);
  TrDict *d = tr_dict_new();
  *out = tr_obj(TR_DICT, d);
  for (int64_t i = 0; i < n && !r->bad; i++) {
    TrValue k = {0}, v = {0};
    decode_value(r, &k, depth + 1);
    decode_value(r, &v, depth + 1);
    tr_dict_set(d, &k, &v); /* takes both; keys arrive distinct */
  }
}

/* with_data false: a K_ARRAY_HEAD (the data comes apart, msg.h) */
static void get_array(Reader *r, TrValue *out, bool with_data) {
  int64_t dtype = get_i64(r), ndim = get_i64(r), shape[TR_MAXDIM];
  if (r->bad || (dtype != TR_F64 && dtype != TR_I64 && dtype != TR_B8) || ndim < 0 ||
      ndim > TR_MAXDIM) {
    r->bad = true;
    return;
  }
  uint64_t size = 1;
  bool wraps = false, zero = false; /* a zero-length axis: size 0 */
  for (int64_t d = 0; d < ndim; d++) {
    shape[d] = get_len(r, 0);
    zero |= shape[d] == 0;
    wraps |= __builtin_mul_overflow(size, (uint64_t)shape[d], &size);
  }
  uint64_t left = (uint64_t)(r->end - r->p);
  if (zero) {
    wraps = false;
    size = 0;
  }
  if (r->bad || wraps || (with_data && size > left / array_elem(dtype)) ||
      size > (uint64_t)INT64_MAX / 8) {
    r->bad = true;
    return;
  }
  size_t bytes = (size_t)size * array_elem(dtype);
  TrArray *a = tr_array_new(dtype, ndim, shape);
  if (bytes && with_data)
    memcpy(a->data, take(r, bytes), bytes);
  *out = tr_obj(TR_ARRAY, a);
}

static void get_column(Reader *r, TrFrame *f, int64_t c) {
  int64_t dtype = get_i64(r);
  if (dtype < TR_COL_F64 || dtype > TR_COL_DT) {
    r->bad = true;
    return;
  }
  tr_frame_alloc_col(f, c, dtype);
  f->cols[c].name = get_opt_str(r);
  if (dtype == TR_COL_OBJ) {
    for (int64_t i = 0; i < f->nrows && !r->bad; i++)
      ((TrStr **)f->cols[c].data)[i] = get_opt_str(r);
    return;
  }
  size_t bytes = (size_t)f->nrows * (dtype == TR_COL_BOOL ? 1 : 8);
  const char *s = take(r, bytes);
  if (s && bytes)
    memcpy(f->cols[c].data, s, bytes);
}

/* levels nest one deep (a MultiIndex's own frame has none) */
static void get_frame(Reader *r, TrValue *out, int depth) {
  int64_t ncols = get_len(r, 9), nrows = get_len(r, 0), series = get_i64(r);
  uint8_t has_index = get_u8(r), has_labels = get_u8(r);
  /* every row costs at least a byte in some column, index or labels */
  if (r->bad || has_index > 1 || has_labels > 1 || (series != 0 && series != 1) ||
      (nrows > 0 && ncols + has_index + has_labels == 0) ||
      (uint64_t)nrows > (uint64_t)(r->end - r->p)) {
    r->bad = true;
    return;
  }
  TrFrame *f = tr_frame_new(ncols, nrows);
  f->series = series;
  *out = tr_obj(TR_FRAME, f);
  if (has_index) {
    f->index = calloc((size_t)(nrows ? nrows : 1), sizeof *f->index);
    for (int64_t i = 0; i < nrows && !r->bad; i++)
      f->index[i] = get_opt_str(r);
  }
  if (has_labels) {
    f->labels = calloc((size_t)(nrows ? nrows : 1), sizeof *f->labels);
    const char *s = take(r, (size_t)nrows * 8);
    if (s && nrows)
      memcpy(f->labels, s, (size_t)nrows * 8);
  }
  if ((has_index && !f->index) || (has_labels && !f->labels)) {
    fputs("error: out of memory\n", stderr);
    exit(1);
  }
  f->index_name = get_opt_str(r);
  f->label_kind = get_i64(r);
  f->col_levels = get_i64(r);
  uint8_t has_levels = get_u8(r);
  if (r->bad || f->label_kind < TR_LABEL_INT || f->label_kind > TR_LABEL_BOOL ||
      f->col_levels < 0 || f->col_levels > 2 || has_levels > 1 || (has_levels && depth > 0)) {
    r->bad = true;
    return;
  }
  if (has_levels) {
    TrValue lv = {.tag = TR_NONE};
    get_frame(r, &lv, depth + 1);
    if (r->bad || lv.tag != TR_FRAME || ((TrFrame *)lv.u.p)->nrows != nrows) {
      tr_decref(&lv);
      r->bad = true;
      return;
    }
    f->levels = lv.u.p;
  }
  for (int64_t c = 0; c < ncols && !r->bad; c++)
    get_column(r, f, c);
}

enum { MAX_DEPTH = 10000 }; /* nesting beyond this is a corrupt message */

static void decode_value(Reader *r, TrValue *out, int depth) {
  *out = (TrValue){.tag = TR_NONE};
  uint8_t k = get_u8(r);
  if (r->bad || depth > MAX_DEPTH) {
    r->bad = true;
    return;
  }
  switch (k) {
  case K_NONE:
    return;
  case K_BOOL: {
    uint8_t b = get_u8(r);
    r->bad |= b > 1;
    *out = tr_bool(b == 1);
    return;
  }
  case K_INT:
    *out = tr_int(get_i64(r));
    return;
  case K_BIGINT: { /* only a program that has bigs sends one */
    uint8_t neg = get_u8(r);
    int64_t n = get_i64(r);
    const char *s = n > 0 && n < ((int64_t)1 << 40) ? take(r, (size_t)n * 8) : NULL;
    if (!s || neg > 1 || !tr_int_from_limbs) {
      r->bad = true;
      return;
    }
    uint64_t *l = malloc((size_t)n * 8); /* s may be unaligned */
    if (!l) {
      r->bad = true;
      return;
    }
    memcpy(l, s, (size_t)n * 8);
    *out = tr_int(tr_int_from_limbs(l, n, neg));
    free(l);
    return;
  }
  case K_FLOAT: {
    double x = 0;
    const char *s = take(r, 8);
    if (s)
      memcpy(&x, s, 8);
    *out = tr_float(x);
    return;
  }
  case K_STR: {
    TrStr *s = get_str(r);
    if (s)
      *out = tr_obj(TR_STR, s);
    return;
  }
  case K_LIST:
  case K_TUPLE:
    get_seq(r, out, k == K_LIST ? TR_LIST : TR_TUPLE, depth);
    return;
  case K_DICT:
    get_dict(r, out, depth);
    return;
  case K_ARRAY:
  case K_ARRAY_HEAD:
    if (k == K_ARRAY_HEAD && depth > 0) { /* only a whole message is a header */
      r->bad = true;
      return;
    }
    get_array(r, out, k == K_ARRAY);
    return;
  case K_FRAME:
    get_frame(r, out, 0);
    return;
  default: /* K_BIGINT is not sent yet */
    r->bad = true;
    return;
  }
}

bool tr_msg_decode(const char *p, size_t n, size_t *used, TrValue *out) {
  Reader r = {p, p + n, false};
  decode_value(&r, out, 0);
  if (r.bad) {
    tr_decref(out);
    *out = (TrValue){.tag = TR_NONE};
    return false;
  }
  *used = (size_t)(r.p - p);
  return true;
}
