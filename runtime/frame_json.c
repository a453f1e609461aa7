/* frame_json.c - a DataFrame as pandas' to_json(orient="split") lays it
 * out, {"columns": [...], "index": [...], "data": [[row], ...]}, and a
 * Series as {"name": ..., "index": [...], "data": [...]}; floats at full
 * precision (json.dumps' repr), NaN and missing values as null. The Dask
 * oracle (tests/dask/prelude.py, plain()) writes the same. */
#include <math.h>
#include <string.h>

#include "frame.h"

static void json_text(Buf *b, TrStr *s) {
  if (!s) {
    buf_puts(b, "null");
    return;
  }
  TrValue v = tr_obj(TR_STR, s);
  const char *err = NULL;
  json_value(b, &v, &err);
}

/* A column's or index's name: an int label as an int. */
static void json_name(Buf *b, TrStr *s) {
  if (frame_name_is_int(s))
    buf_puts(b, frame_name_text(s));
  else
    json_text(b, s);
}

static void json_cell(Buf *b, const TrColumn *c, int64_t r) {
  switch (c->dtype) {
  case TR_COL_F64: {
    double x = ((const double *)c->data)[r];
    if (isnan(x))
      buf_puts(b, "null");
    else
      json_float(b, x);
    break;
  }
  case TR_COL_I64: buf_printf(b, "%lld", (long long)((const int64_t *)c->data)[r]); break;
  case TR_COL_BOOL: buf_puts(b, ((const uint8_t *)c->data)[r] ? "true" : "false"); break;
  case TR_COL_DT: {
    int64_t ns = ((const int64_t *)c->data)[r];
    if (ns == INT64_MIN)
      buf_puts(b, "null"); /* NaT */
    else
      frame_dt_iso(b, ns);
    break;
  }
  default: json_text(b, ((TrStr *const *)c->data)[r]); break;
  }
}

static void json_index(Buf *b, const TrFrame *f) {
  buf_puts(b, "\"index\": [");
  for (int64_t r = 0; r < f->nrows; r++) {
    if (r)
      buf_puts(b, ", ");
    if (f->levels) { /* a MultiIndex: each label a list, as prelude.py's tuples */
      buf_putc(b, '[');
      for (int64_t l = 0; l < f->levels->ncols; l++) {
        if (l)
          buf_puts(b, ", ");
        json_cell(b, &f->levels->cols[l], r);
      }
      buf_putc(b, ']');
    } else if (f->index)
      json_text(b, f->index[r]);
    else if (f->labels && f->label_kind == TR_LABEL_F64)
      json_cell(b, &(TrColumn){TR_COL_F64, NULL, &f->labels[r]}, 0);
    else if (f->labels && f->label_kind == TR_LABEL_BOOL)
      buf_puts(b, f->labels[r] ? "true" : "false");
    else
      buf_printf(b, "%lld", (long long)(f->labels ? f->labels[r] : r));
  }
  buf_puts(b, "], ");
  if (f->index_name && !f->levels) { /* prelude.py writes a named index's name */
    buf_puts(b, "\"index_name\": ");
    json_name(b, f->index_name);
    buf_puts(b, ", ");
  }
}

void json_frame(Buf *b, const TrFrame *f) {
  if (f->series) {
    buf_puts(b, "{\"name\": ");
    json_name(b, f->cols[0].name);
    buf_puts(b, ", ");
    json_index(b, f);
    buf_puts(b, "\"data\": [");
    for (int64_t r = 0; r < f->nrows; r++) {
      if (r)
        buf_puts(b, ", ");
      json_cell(b, &f->cols[0], r);
    }
    buf_puts(b, "]}");
    return;
  }
  buf_puts(b, "{\"columns\": [");
  for (int64_t c = 0; c < f->ncols; c++) {
    if (c)
      buf_puts(b, ", ");
    const TrStr *n = f->cols[c].name;
    const char *sep = f->col_levels == 2 ? memchr(n->data, '\x1f', (size_t)n->len) : NULL;
    if (sep) { /* a MultiIndex column: [top, name] */
      TrStr *top = tr_str_new(n->data, sep - n->data); /* its marks kept: json_name */
      TrStr *sub = tr_str_new(sep + 1, n->len - (sep - n->data) - 1);
      buf_putc(b, '[');
      json_name(b, top);
      buf_puts(b, ", ");
      json_name(b, sub);
      buf_putc(b, ']');
      TrValue t = tr_obj(TR_STR, top), s = tr_obj(TR_STR, sub);
      tr_decref(&t);
      tr_decref(&s);
      continue;
    }
    json_name(b, f->cols[c].name);
  }
  buf_puts(b, "], ");
  json_index(b, f);
  buf_puts(b, "\"data\": [");
  for (int64_t r = 0; r < f->nrows; r++) {
    buf_puts(b, r ? ", [" : "[");
    for (int64_t c = 0; c < f->ncols; c++) {
      if (c)
        buf_puts(b, ", ");
      json_cell(b, &f->cols[c], r);
    }
    buf_putc(b, ']');
  }
  buf_puts(b, "]}");
}
