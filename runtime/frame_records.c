/* frame_records.c - df.from_records: one partition of bag.to_dataframe, as
 * Dask makes it: pd.DataFrame(partition, columns=cols).astype(dtypes).
 *
 * args: the partition (a list of dicts), the column names (a tuple of
 * strs), their dtypes (a tuple of TR_COL_* ints, from the first record).
 * A record without a column's key gives pandas' NaN there, which astype
 * makes NaN in a float64 column, True in a bool one (NaN is truthy), and
 * an error in an int64 one. Ints, floats and bools convert as astype
 * converts them (a float in an int64 column is truncated). What pandas
 * would keep as a Python object (None, a str in a number column, a number
 * or a list in a str column) is a taskc limit: object columns hold strs. */
#include <math.h>

#include "frame.h"

static _Noreturn void limit(const TrStr *col, const char *dtype, const TrValue *v) {
  tr_fail("taskc limit: to_dataframe(): column '%s' is %s (from the first record), and a "
          "record holds %s there", col->data, dtype, tr_type_name(v));
}

static void put(TrFrame *f, int64_t c, int64_t r, const TrValue *v) {
  TrColumn *col = &f->cols[c];
  bool num = v && (v->tag == TR_INT || v->tag == TR_FLOAT || v->tag == TR_BOOL);
  double x = !v ? NAN : v->tag == TR_FLOAT ? v->u.f : num ? (double)v->u.i : 0;
  switch (col->dtype) {
  case TR_COL_F64:
    if (v && !num && v->tag != TR_NONE)
      limit(col->name, "float64", v);
    ((double *)col->data)[r] = v && v->tag == TR_NONE ? NAN : x;
    return;
  case TR_COL_I64:
    if (!v || v->tag == TR_NONE || (v->tag == TR_FLOAT && !isfinite(v->u.f)))
      tr_fail("Cannot convert non-finite values (NA or inf) to integer (column '%s')",
              col->name->data);
    if (!num)
      limit(col->name, "int64", v);
    ((int64_t *)col->data)[r] = v->tag == TR_FLOAT ? (int64_t)v->u.f : v->u.i;
    return;
  case TR_COL_BOOL:
    if (v && !num && v->tag != TR_NONE)
      limit(col->name, "bool", v);
    ((uint8_t *)col->data)[r] = !v || (v->tag != TR_NONE && x != 0);
    return;
  default:
    if (v && v->tag != TR_STR)
      limit(col->name, "object", v);
    if (v)
      tr_incref(v);
    ((TrStr **)col->data)[r] = v ? v->u.p : NULL; /* NULL: NaN */
  }
}

void tr_op_df_from_records(const TrValue *args, int64_t n, TrValue *out) {
  (void)n;
  const TrSeq *rows = args[0].u.p, *names = args[1].u.p, *dtypes = args[2].u.p;
  TrFrame *f = tr_frame_new(names->len, rows->len);
  TrValue fv = tr_obj(TR_FRAME, f);
  for (int64_t c = 0; c < names->len; c++) {
    tr_frame_alloc_col(f, c, dtypes->items[c].u.i);
    tr_incref(&names->items[c]);
    f->cols[c].name = names->items[c].u.p;
  }
  for (int64_t r = 0; r < rows->len; r++) {
    const TrValue *row = &rows->items[r];
    if (row->tag != TR_DICT) {
      tr_decref(&fv);
      tr_fail("taskc limit: to_dataframe() of a bag of records (dicts); an element is %s",
              tr_type_name(row));
    }
    for (int64_t c = 0; c < names->len; c++)
      put(f, c, r, tr_dict_get(row->u.p, &names->items[c]));
  }
  *out = fv;
}
