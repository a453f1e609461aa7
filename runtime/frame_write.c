/* frame_write.c - a partition as pandas 1.5's to_csv writes it with its
 * defaults (the index first, under an empty name; a header; ','; "\n";
 * floats as repr, NaN, NaT and missing text as empty fields; text quoted
 * when it holds the separator, a quote, '\n' or '\r', quotes doubled;
 * dates as pandas prints them), for dd.to_csv and --save of a DataFrame
 * or Series. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "frame.h"

static void text_field(Buf *b, const char *s, int64_t n, char sep) {
  bool quote = false;
  for (int64_t i = 0; i < n && !quote; i++)
    quote = s[i] == sep || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
  if (!quote) {
    buf_putn(b, s, (size_t)n);
    return;
  }
  buf_putc(b, '"');
  for (int64_t i = 0; i < n; i++) {
    if (s[i] == '"')
      buf_putc(b, '"');
    buf_putc(b, s[i]);
  }
  buf_putc(b, '"');
}

static void cell(Buf *b, const TrColumn *c, int64_t r, int prec, char sep) {
  switch (c->dtype) {
  case TR_COL_F64: {
    double x = ((const double *)c->data)[r];
    char d[PYFLOAT_MAX];
    if (x == x) /* NaN: an empty field */
      buf_putn(b, d, (size_t)pyfloat_repr(d, x));
    break;
  }
  case TR_COL_I64: buf_printf(b, "%lld", (long long)((const int64_t *)c->data)[r]); break;
  case TR_COL_BOOL: buf_puts(b, ((const uint8_t *)c->data)[r] ? "True" : "False"); break;
  case TR_COL_DT: {
    int64_t ns = ((const int64_t *)c->data)[r];
    if (ns != INT64_MIN)
      frame_dt_text(b, ns, prec);
    break;
  }
  default: {
    const TrStr *s = ((TrStr *const *)c->data)[r];
    if (s)
      text_field(b, s->data, s->len, sep);
  }
  }
}

/* Row r's index: a label, or a MultiIndex's levels (one field each). */
static void index_cell(Buf *b, const TrFrame *f, int64_t r, char sep) {
  if (f->levels)
    for (int64_t l = 0; l < f->levels->ncols; l++) {
      if (l)
        buf_putc(b, sep);
      cell(b, &f->levels->cols[l], r, 0, sep);
    }
  else if (f->index)
    text_field(b, f->index[r]->data, f->index[r]->len, sep);
  else if (f->labels && f->label_kind == TR_LABEL_F64)
    cell(b, &(TrColumn){TR_COL_F64, NULL, &f->labels[r]}, 0, 0, sep);
  else if (f->labels && f->label_kind == TR_LABEL_BOOL)
    buf_puts(b, f->labels[r] ? "True" : "False");
  else
    buf_printf(b, "%lld", (long long)(f->labels ? f->labels[r] : r));
}

/* The index's header fields: its name or its levels' names (or empty). */
static void index_header(Buf *b, const TrFrame *f, char sep) {
  for (int64_t l = 0; l < (f->levels ? f->levels->ncols : 1); l++) {
    if (l)
      buf_putc(b, sep);
    const TrStr *name = f->levels ? f->levels->cols[l].name : f->index_name;
    if (name)
      text_field(b, frame_name_text(name), name->len - frame_name_is_int(name), sep);
  }
}

void frame_csv_text(Buf *b, const TrFrame *f, char sep, bool index, bool header) {
  int *prec = calloc((size_t)(f->ncols ? f->ncols : 1), sizeof *prec);
  if (!prec)
    tr_fail("out of memory");
  for (int64_t c = 0; c < f->ncols; c++)
    if (f->cols[c].dtype == TR_COL_DT)
      prec[c] = frame_dt_precision(f->cols[c].data, f->nrows);
  if (header) {
    if (index)
      index_header(b, f, sep);
    for (int64_t c = 0; c < f->ncols; c++) {
      if (c || index)
        buf_putc(b, sep);
      const TrStr *name = f->cols[c].name;
      if (name)
        text_field(b, frame_name_text(name), name->len - frame_name_is_int(name), sep);
      else if (f->series)
        buf_putc(b, '0'); /* an unnamed Series' header */
    }
    buf_putc(b, '\n');
  }
  for (int64_t r = 0; r < f->nrows; r++) {
    if (index)
      index_cell(b, f, r, sep);
    for (int64_t c = 0; c < f->ncols; c++) {
      if (c || index)
        buf_putc(b, sep);
      cell(b, &f->cols[c], r, prec[c], sep);
    }
    buf_putc(b, '\n');
  }
  free(prec);
}

/* args: the partition, the file's path, (sep, index, header): writes the
 * file whole and returns its absolute path, as Dask's _write_csv does. */
void tr_op_df_to_csv(const TrValue *args, int64_t n, TrValue *out) {
  (void)n;
  const TrFrame *f = frame_arg(&args[0], "to_csv");
  const char *path = ((const TrStr *)args[1].u.p)->data;
  const TrSeq *o = args[2].u.p;
  Buf text = {0};
  frame_csv_text(&text, f, ((const TrStr *)o->items[0].u.p)->data[0], o->items[1].u.i,
                 o->items[2].u.i);
  TrStr *written = tr_write_whole(path, text.p, text.len);
  free(text.p);
  *out = tr_obj(TR_STR, written);
}
