/* csv_type.c - the type pandas gives a column: its passes over all the
 * fields (int64, float64, bool, object; docs/dataframes.md). Shared with the
 * compiler, which types the columns of Dask's sample the same way. */
#include <strings.h>

#include "csv.h"

static bool is_bool_text(const char *s, size_t n) {
  return (n == 4 && !strncasecmp(s, "true", 4)) ||
         (n == 5 && !strncasecmp(s, "false", 5));
}

/* pandas' uint64 pass, tried after an int64 overflow: stops at the first
 * field that is no int (-> the float64 pass: CSV_T_F64 here means "go
 * on") or overflows uint64 (-> object, NA filtered). */
static CsvType uint64_pass(const CsvText *f, int64_t n) {
  bool null = false, sint = false, uint = false;
  for (int64_t i = 0; i < n; i++) {
    uint64_t v;
    CsvStatus st = csv_parse_u64(f[i].s, (size_t)f[i].len, &v);
    if (st == CSV_BAD)
      return CSV_T_F64;
    if (st == CSV_OVERFLOW)
      return CSV_T_OBJ;
    null |= st == CSV_NA;
    sint |= st == CSV_NEGATIVE;
    uint |= st == CSV_OK && v > (uint64_t)INT64_MAX;
  }
  if (uint && (sint || null))
    return CSV_T_OBJ_RAW; /* pandas' ValueError: retyped with na_filter off */
  return sint ? CSV_T_OBJ : CSV_T_U64;
}

CsvType csv_column_type(const CsvText *f, int64_t n) {
  if (n == 0)
    return CSV_T_OBJ; /* a header and no rows */
  bool na = false, overflow = false, bad = false;
  for (int64_t i = 0; i < n && !bad && !overflow; i++) {
    int64_t v;
    CsvStatus st = csv_parse_i64(f[i].s, (size_t)f[i].len, &v);
    na |= st == CSV_NA;
    overflow |= st == CSV_OVERFLOW;
    bad |= st == CSV_BAD;
  }
  CsvType u = overflow ? uint64_pass(f, n) : CSV_T_F64;
  if (u != CSV_T_F64)
    return u;
  if (!bad && !overflow)
    return na ? CSV_T_F64 : CSV_T_I64;
  bad = false;
  for (int64_t i = 0; i < n && !bad; i++) {
    double d;
    bad = csv_parse_f64(f[i].s, (size_t)f[i].len, &d) == CSV_BAD;
  }
  if (!bad)
    return CSV_T_F64;
  na = false;
  for (int64_t i = 0; i < n; i++) {
    if (csv_is_na(f[i].s, (size_t)f[i].len))
      na = true;
    else if (!is_bool_text(f[i].s, (size_t)f[i].len))
      return CSV_T_OBJ;
  }
  return na ? CSV_T_OBJ : CSV_T_BOOL; /* bools with NA are objects */
}
