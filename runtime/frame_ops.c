/* frame_ops.c - element-wise operations of Series partitions, as pandas
 * does them: + - * / with a scalar or a Series of the same partition
 * (float64 if a float is involved or for /, else int64 that wraps), the six
 * comparisons (bool; NaN compares unequal, a missing text too; strings
 * compare by code point, and with str scalars only), and df[mask]: the rows where a bool Series
 * is True, keeping their index labels. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"

typedef enum { B_ADD, B_SUB, B_MUL, B_DIV, B_AND, B_OR, B_LT, B_LE, B_GT, B_GE, B_EQ, B_NE, B_COUNT } BinOp;

static BinOp binop_of(const TrValue *v) {
  static const char *names[B_COUNT] = {"+", "-", "*", "/", "&", "|", "<", "<=", ">", ">=", "==", "!="};
  const TrStr *s = v->u.p;
  for (int i = 0; i < B_COUNT; i++)
    if (!strcmp(s->data, names[i]))
      return (BinOp)i;
  tr_fail("dataframe: unknown operator '%s'", s->data);
}

/* One operand: a Series' column or a scalar. */
typedef struct Operand {
  const TrColumn *col; /* NULL: scalar */
  const TrValue *v;
} Operand;

static bool operand_float(const Operand *o) {
  return o->col ? o->col->dtype == TR_COL_F64 : o->v->tag == TR_FLOAT;
}

static bool operand_text(const Operand *o) {
  return o->col ? o->col->dtype == TR_COL_OBJ : o->v->tag == TR_STR;
}

static double get_f(const Operand *o, int64_t r) {
  if (!o->col)
    return o->v->tag == TR_FLOAT ? o->v->u.f : (double)o->v->u.i;
  switch (o->col->dtype) {
  case TR_COL_F64: return ((const double *)o->col->data)[r];
  case TR_COL_I64: return (double)((const int64_t *)o->col->data)[r];
  default: return ((const uint8_t *)o->col->data)[r];
  }
}

static int64_t get_i(const Operand *o, int64_t r) {
  if (!o->col)
    return o->v->u.i;
  return o->col->dtype == TR_COL_I64 ? ((const int64_t *)o->col->data)[r]
                                     : ((const uint8_t *)o->col->data)[r];
}

static const TrStr *get_s(const Operand *o, int64_t r) {
  return o->col ? ((TrStr *const *)o->col->data)[r] : o->v->u.p;
}

static bool compare_text(const TrStr *a, const TrStr *b, BinOp op) {
  if (!a || !b) /* pandas' scalar_compare: a missing value is only != */
    return op == B_NE;
  int64_t n = a->len < b->len ? a->len : b->len;
  int c = memcmp(a->data, b->data, (size_t)n);
  if (!c)
    c = (a->len > b->len) - (a->len < b->len);
  switch (op) {
  case B_LT: return c < 0;
  case B_LE: return c <= 0;
  case B_GT: return c > 0;
  case B_GE: return c >= 0;
  case B_EQ: return c == 0;
  default: return c != 0;
  }
}

static bool compare_num(double a, double b, BinOp op) {
  switch (op) {
  case B_LT: return a < b;
  case B_LE: return a <= b;
  case B_GT: return a > b;
  case B_GE: return a >= b;
  case B_EQ: return a == b;
  default: return a != b;
  }
}

/* Ints compare as ints (exact beyond 2^53). */
static bool compare_int(int64_t a, int64_t b, BinOp op) {
  return compare_num((double)((a > b) - (a < b)), 0.0, op);
}

static void fill(TrColumn *out, const Operand *x, const Operand *y, BinOp op, int64_t n) {
  bool text = operand_text(x) || operand_text(y);
  bool flt = operand_float(x) || operand_float(y);
  if (op >= B_LT) {
    if (text && !(operand_text(x) && operand_text(y)))
      tr_fail("TypeError: cannot compare text with numbers");
    uint8_t *o = out->data;
    for (int64_t r = 0; r < n; r++)
      o[r] = text ? compare_text(get_s(x, r), get_s(y, r), op)
             : flt ? compare_num(get_f(x, r), get_f(y, r), op)
                   : compare_int(get_i(x, r), get_i(y, r), op);
    return;
  }
  if (text)
    tr_fail("TypeError: unsupported operand type(s) for arithmetic: text");
  if (op == B_AND || op == B_OR) { /* bools only (the compiler checks) */
    uint8_t *o = out->data;
    for (int64_t r = 0; r < n; r++)
      o[r] = op == B_AND ? (get_i(x, r) & get_i(y, r)) != 0 : (get_i(x, r) | get_i(y, r)) != 0;
    return;
  }
  if (out->dtype == TR_COL_F64) {
    double *o = out->data;
    for (int64_t r = 0; r < n; r++) {
      double a = get_f(x, r), b = get_f(y, r);
      o[r] = op == B_ADD ? a + b : op == B_SUB ? a - b : op == B_MUL ? a * b : a / b;
    }
    return;
  }
  int64_t *o = out->data;
  for (int64_t r = 0; r < n; r++) {
    uint64_t a = (uint64_t)get_i(x, r), b = (uint64_t)get_i(y, r); /* NumPy wraps */
    o[r] = (int64_t)(op == B_ADD ? a + b : op == B_SUB ? a - b : a * b);
  }
}

static Operand operand(const TrValue *v, const TrFrame **series) {
  if (v->tag != TR_FRAME)
    return (Operand){NULL, v};
  const TrFrame *f = v->u.p;
  if (!*series)
    *series = f;
  else if ((*series)->nrows != f->nrows)
    tr_fail("ValueError: Series partitions of %lld and %lld rows do not line up",
            (long long)(*series)->nrows, (long long)f->nrows);
  return (Operand){&f->cols[0], v};
}

/* args: x, y (a Series partition or a scalar, one at least a Series), the
 * operator as text. */
void tr_op_df_binop(const TrValue *args, int64_t n, TrValue *out) {
  (void)n;
  const TrFrame *s = NULL;
  Operand x = operand(&args[0], &s), y = operand(&args[1], &s);
  BinOp op = binop_of(&args[2]);
  if (!s)
    tr_fail("dataframe binop without a Series");
  TrFrame *r = tr_frame_new(1, s->nrows);
  TrValue rv = tr_obj(TR_FRAME, r);
  tr_guard(&rv);
  r->series = 1;
  int64_t dt = op >= B_AND ? TR_COL_BOOL
               : op == B_DIV || operand_float(&x) || operand_float(&y) ? TR_COL_F64
                                                                       : TR_COL_I64;
  tr_frame_alloc_col(r, 0, dt);
  /* pandas keeps the name when the other side is a scalar or has the same */
  const TrStr *nx = x.col ? x.col->name : NULL, *ny = y.col ? y.col->name : NULL;
  const TrStr *name = !x.col ? ny : !y.col ? nx
                      : nx && ny && nx->len == ny->len && !memcmp(nx->data, ny->data, (size_t)nx->len) ? nx
                                                                                                  : NULL;
  if (name)
    r->cols[0].name = tr_str_new(name->data, name->len);
  fill(&r->cols[0], &x, &y, op, s->nrows);
  frame_copy_index(r, s, NULL);
  tr_unguard(1);
  *out = rv;
}

/* -s, ~s (bools), abs(s): args: the Series partition, "-", "~" or "abs". */
void tr_op_df_unop(const TrValue *args, int64_t n, TrValue *out) {
  (void)n;
  const TrFrame *s = frame_arg(&args[0], "unary operator");
  const char *op = ((const TrStr *)args[1].u.p)->data;
  const TrColumn *c = &s->cols[0];
  TrFrame *r = tr_frame_new(1, s->nrows);
  r->series = 1;
  tr_frame_alloc_col(r, 0, c->dtype);
  if (c->name)
    r->cols[0].name = tr_str_new(c->name->data, c->name->len);
  for (int64_t i = 0; i < s->nrows; i++) {
    if (c->dtype == TR_COL_F64) {
      double x = ((const double *)c->data)[i];
      ((double *)r->cols[0].data)[i] = op[0] == '-' ? -x : fabs(x);
    } else if (c->dtype == TR_COL_I64) {
      uint64_t x = (uint64_t)((const int64_t *)c->data)[i]; /* NumPy wraps */
      bool neg = op[0] == '-' || (int64_t)x < 0;
      ((int64_t *)r->cols[0].data)[i] = (int64_t)(neg ? 0 - x : x);
    } else {
      ((uint8_t *)r->cols[0].data)[i] = !((const uint8_t *)c->data)[i];
    }
  }
  frame_copy_index(r, s, NULL);
  *out = tr_obj(TR_FRAME, r);
}

/* df[mask], s[mask]: the rows where the bool Series mask is True. */
void tr_op_df_filter(const TrValue *args, int64_t n, TrValue *out) {
  (void)n;
  const TrFrame *f = frame_arg(&args[0], "filter"), *m = frame_arg(&args[1], "filter");
  if (m->ncols != 1 || m->cols[0].dtype != TR_COL_BOOL)
    tr_fail("filter: the mask must be a bool Series");
  if (m->nrows != f->nrows)
    tr_fail("filter: the mask has %lld rows, the frame %lld", (long long)m->nrows,
            (long long)f->nrows);
  const uint8_t *keep = m->cols[0].data;
  int64_t *rows = malloc((size_t)(f->nrows ? f->nrows : 1) * sizeof *rows), k = 0;
  if (!rows)
    tr_fail("out of memory");
  for (int64_t r = 0; r < f->nrows; r++)
    if (keep[r])
      rows[k++] = r;
  TrFrame *g = tr_frame_new(f->ncols, k);
  g->series = f->series;
  for (int64_t c = 0; c < f->ncols; c++) {
    const TrColumn *from = &f->cols[c];
    tr_frame_alloc_col(g, c, from->dtype);
    if (from->name)
      g->cols[c].name = tr_str_new(from->name->data, from->name->len);
    for (int64_t i = 0; i < k; i++) {
      int64_t r = rows[i];
      switch (from->dtype) {
      case TR_COL_F64: ((double *)g->cols[c].data)[i] = ((const double *)from->data)[r]; break;
      case TR_COL_I64:
      case TR_COL_DT: ((int64_t *)g->cols[c].data)[i] = ((const int64_t *)from->data)[r]; break;
      case TR_COL_BOOL: ((uint8_t *)g->cols[c].data)[i] = ((const uint8_t *)from->data)[r]; break;
      default: {
        TrStr *s = ((TrStr *const *)from->data)[r];
        if (s) {
          TrValue v = tr_obj(TR_STR, s);
          tr_incref(&v);
        }
        ((TrStr **)g->cols[c].data)[i] = s;
      }
      }
    }
  }
  frame_copy_index(g, f, rows);
  free(rows);
  *out = tr_obj(TR_FRAME, g);
}

/* pd.concat of the partitions: their rows in order, each keeping its index
 * labels (every partition of read_csv starts at 0 again, as in Dask). */
void tr_op_df_concat(const TrValue *args, int64_t n, TrValue *out) {
  (void)n;
  const TrSeq *l = args[0].u.p;
  if (l->len == 0)
    tr_fail("concat: no partitions");
  const TrFrame *first = frame_arg(&l->items[0], "concat");
  int64_t rows = 0;
  for (int64_t i = 0; i < l->len; i++) {
    const TrFrame *f = frame_arg(&l->items[i], "concat");
    if (f->ncols != first->ncols)
      tr_fail("concat: partitions of %lld and %lld columns", (long long)first->ncols,
              (long long)f->ncols);
    rows += f->nrows;
  }
  TrFrame *g = tr_frame_new(first->ncols, rows);
  TrValue gv = tr_obj(TR_FRAME, g);
  tr_guard(&gv);
  g->series = first->series;
  g->labels = malloc((size_t)(rows ? rows : 1) * sizeof *g->labels);
  if (!g->labels)
    tr_fail("out of memory");
  for (int64_t c = 0; c < g->ncols; c++) {
    int64_t dt = first->cols[c].dtype; /* int64 next to float64 is float64, as pandas */
    for (int64_t i = 1; i < l->len; i++)
      if (dt == TR_COL_I64 && ((const TrFrame *)l->items[i].u.p)->cols[c].dtype == TR_COL_F64)
        dt = TR_COL_F64;
    tr_frame_alloc_col(g, c, dt);
    if (first->cols[c].name)
      g->cols[c].name = tr_str_new(first->cols[c].name->data, first->cols[c].name->len);
  }
  int64_t at = 0;
  for (int64_t i = 0; i < l->len; i++) {
    const TrFrame *f = l->items[i].u.p;
    for (int64_t r = 0; r < f->nrows; r++)
      g->labels[at + r] = f->labels ? f->labels[r] : r;
    for (int64_t c = 0; c < g->ncols; c++) {
      const TrColumn *from = &f->cols[c];
      if (from->dtype == TR_COL_I64 && g->cols[c].dtype == TR_COL_F64) {
        for (int64_t r = 0; r < f->nrows; r++)
          ((double *)g->cols[c].data)[at + r] = (double)((const int64_t *)from->data)[r];
        continue;
      }
      if (from->dtype != g->cols[c].dtype)
        tr_fail("concat: column '%s' changes its dtype between partitions",
                from->name ? from->name->data : "?");
      size_t es = from->dtype == TR_COL_BOOL ? 1 : 8;
      memcpy((char *)g->cols[c].data + (size_t)at * es, from->data, (size_t)f->nrows * es);
      if (from->dtype == TR_COL_OBJ)
        for (int64_t r = 0; r < f->nrows; r++) {
          TrStr *s = ((TrStr *const *)from->data)[r];
          if (s) {
            TrValue v = tr_obj(TR_STR, s);
            tr_incref(&v);
          }
        }
    }
    at += f->nrows;
  }
  tr_unguard(1);
  *out = gv;
}
