/* df_csv_opts.c - dd.read_csv's keywords past the files and blocks: sep=,
 * header=, names=, dtype=, parse_dates=, assume_missing=, as pandas 1.5
 * reads them (Dask passes them to pandas for the sample and each block). */
#include <string.h>

#include "df_csv.h"

static Value *kw(Args *a, const char *name, Loc *loc) {
  int i = -1;
  Value *v = eval_arg_kw(a, name, &i);
  *loc = v ? a->kw_loc[i] : a->loc;
  return v;
}

static const char **str_list(Eval *e, Value *v, int *n, const char *what, Loc loc) {
  if (v->kind != V_LIST && v->kind != V_TUPLE)
    diag_error(loc, "%s must be a list of column names", what);
  const char **s = ARENA_ARRAY(eval_arena(e), const char *, v->seq.n + 1);
  for (int i = 0; i < v->seq.n; i++) {
    if (v->seq.items[i]->kind != V_STR)
      diag_error(loc, "%s must be a list of column names (str), got %s", what,
                 v_type_name(v->seq.items[i]));
    s[i] = v->seq.items[i]->str.s;
    for (int j = 0; j < i; j++)
      if (!strcmp(s[j], s[i]))
        diag_error(loc, "Duplicate names are not allowed.");
  }
  *n = v->seq.n;
  return s;
}

CsvOpts df_csv_opts(Eval *e, Args *a) {
  CsvOpts o = {.sep = ',', .header = true};
  Loc loc;
  Value *v = kw(a, "sep", &loc);
  if (v && v->kind != V_NONE) {
    if (v->kind != V_STR || v->str.len != 1 || v->str.s[0] == '"' || v->str.s[0] == '\n' ||
        v->str.s[0] == '\r')
      diag_error(loc, "sep must be one character other than a quote or a line end (taskc "
                 "reads no regex separators), got %s", v_repr(eval_arena(e), v));
    o.sep = v->str.s[0];
  }
  v = kw(a, "names", &loc);
  if (v && v->kind != V_NONE)
    o.names = str_list(e, v, &o.nnames, "names", loc);
  /* pandas: header='infer' is 0 without names=, None with them */
  o.header = !o.names;
  v = kw(a, "header", &loc);
  if (v && !(v->kind == V_STR && !strcmp(v->str.s, "infer"))) {
    if (v->kind == V_NONE)
      o.header = false;
    else if (v->kind == V_INT && v->i == 0)
      o.header = true;
    else
      diag_error(loc, "header must be 0, None or 'infer' (taskc reads no other header rows), "
                 "got %s", v_repr(eval_arena(e), v));
  }
  v = kw(a, "assume_missing", &loc);
  if (v) {
    if (v->kind != V_BOOL)
      diag_error(loc, "assume_missing must be True or False");
    o.assume_missing = v->b;
  }
  o.dtype = kw(a, "dtype", &o.dtype_loc);
  if (o.dtype && o.dtype->kind == V_NONE)
    o.dtype = NULL;
  o.parse_dates = kw(a, "parse_dates", &o.dates_loc);
  if (o.parse_dates && o.parse_dates->kind == V_BOOL && !o.parse_dates->b)
    o.parse_dates = NULL;
  return o;
}

/* A dtype's spelling as pandas takes it: 'float64', float, 'str', ... */
static int dtype_of(Eval *e, Value *v, Loc loc) {
  const char *s = v->kind == V_STR ? v->str.s : v->kind == V_BUILTIN ? v->bi.name : "";
  static const struct { const char *name; int dt; } names[] = {
      {"float64", DF_F64}, {"float", DF_F64}, {"f8", DF_F64},     {"int64", DF_I64},
      {"int", DF_I64},     {"i8", DF_I64},    {"bool", DF_BOOL},  {"str", DF_OBJ},
      {"object", DF_OBJ},  {"O", DF_OBJ},     {NULL, 0}};
  for (int i = 0; names[i].name; i++)
    if (!strcmp(s, names[i].name))
      return names[i].dt;
  diag_error(loc, "dtype %s is not supported by taskc (float64, int64, bool, str and object "
             "are)", v_repr(eval_arena(e), v));
}

static int col_index(const char *const *cols, int ncols, Value *k, const char *what, Loc loc) {
  if (k->kind == V_INT && k->i >= 0 && k->i < ncols)
    return (int)k->i;
  if (k->kind == V_STR)
    for (int c = 0; c < ncols; c++)
      if (!strcmp(cols[c], k->str.s))
        return c;
  if (k->kind == V_STR || k->kind == V_INT)
    diag_error(loc, "%s: no column %s%s%s in the file", what, k->kind == V_STR ? "'" : "",
               k->kind == V_STR ? k->str.s : "", k->kind == V_STR ? "'" : "");
  diag_error(loc, "%s: a column is named by a str or a position", what);
}

void df_csv_column_opts(Eval *e, const CsvOpts *o, const char *const *cols, int ncols,
                        int *forced, bool *date) {
  for (int c = 0; c < ncols; c++) {
    forced[c] = -1;
    date[c] = false;
  }
  if (o->dtype && o->dtype->kind == V_DICT) {
    VDict *d = o->dtype->dict;
    for (int i = 0; i < d->n; i++) {
      const char *name = df_key_name(e, d->keys[i]); /* an int: header=None's labels */
      if (!name)
        diag_error(o->dtype_loc, "dtype= keys must be column names (str, or int labels)");
      int c = -1;
      for (int k = 0; k < ncols && c < 0; k++)
        if (!strcmp(cols[k], name))
          c = k;
      if (c >= 0) /* pandas ignores names that are not columns */
        forced[c] = dtype_of(e, d->vals[i], o->dtype_loc);
    }
  } else if (o->dtype) {
    int dt = dtype_of(e, o->dtype, o->dtype_loc);
    for (int c = 0; c < ncols; c++)
      forced[c] = dt;
  }
  Value *p = o->parse_dates;
  if (!p)
    return;
  if (p->kind != V_LIST && p->kind != V_TUPLE)
    diag_error(o->dates_loc, "parse_dates must be a list of columns (taskc does not parse the "
               "index or combine columns)");
  for (int i = 0; i < p->seq.n; i++) {
    int c = col_index(cols, ncols, p->seq.items[i], "parse_dates", o->dates_loc);
    date[c] = true;
  }
}
