/* csv_int.c - one CSV field as an int64 or a uint64, as pandas 1.5's
 * read_csv (C engine) tries a column: its str_to_int64 / str_to_uint64.
 *
 * Spaces may lead and trail, then an optional sign and at least one digit;
 * no '.', no exponent, no thousands separator (pandas' default). An
 * overflow is reported at the digit where it happens, even if junk follows.
 * pandas tests its NA strings first; none of them is an int, so we test
 * them only when the digits fail (except for '-' in the uint64 pass).
 *
 * How pandas types a column from these (done by the caller): the int64
 * pass over every field, stopping at the first failure; CSV_BAD -> the
 * float64 pass; CSV_OVERFLOW -> the uint64 pass; success with NA fields ->
 * float64 (each int converted, NA -> NaN). The uint64 pass: CSV_BAD ->
 * the float64 pass; CSV_OVERFLOW -> object; a value above INT64_MAX next
 * to NA or a negative field -> object with the NA strings kept as text;
 * only negative fields -> object; else uint64 (csv_type.c). */
#include "csv.h"

/* The digits at P into *MAG while MAG stays <= LIMIT; then the trailing
 * spaces, which must end the field. */
static CsvStatus digits(const char *p, const char *end, uint64_t limit, uint64_t *mag) {
  if (p == end || !csv_is_digit(*p))
    return CSV_BAD;
  uint64_t v = 0;
  for (; p < end && csv_is_digit(*p); p++) {
    uint64_t d = (uint64_t)(*p - '0');
    if (v > (limit - d) / 10)
      return CSV_OVERFLOW;
    v = v * 10 + d;
  }
  while (p < end && csv_is_space(*p))
    p++;
  if (p != end)
    return CSV_BAD;
  *mag = v;
  return CSV_OK;
}

static const char *skip_spaces(const char *p, const char *end) {
  while (p < end && csv_is_space(*p))
    p++;
  return p;
}

CsvStatus csv_parse_i64(const char *s, size_t n, int64_t *out) {
  const char *p = skip_spaces(s, s + n), *end = s + n;
  bool neg = false;
  if (p < end && (*p == '-' || *p == '+'))
    neg = *p++ == '-';
  uint64_t mag;
  CsvStatus st = digits(p, end, neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX, &mag);
  if (st == CSV_BAD && csv_is_na(s, n))
    return CSV_NA;
  if (st != CSV_OK)
    return st;
  /* -2^63 has no positive int64: negate in uint64, then convert */
  *out = neg ? (int64_t)(0 - mag) : (int64_t)mag;
  return CSV_OK;
}

CsvStatus csv_parse_u64(const char *s, size_t n, uint64_t *out) {
  const char *p = skip_spaces(s, s + n), *end = s + n;
  if (p < end && *p == '-') {
    *out = 0; /* pandas stores 0 and remembers a signed field */
    return csv_is_na(s, n) ? CSV_NA : CSV_NEGATIVE;
  }
  if (p < end && *p == '+')
    p++;
  CsvStatus st = digits(p, end, UINT64_MAX, out);
  if (st == CSV_BAD && csv_is_na(s, n))
    return CSV_NA;
  return st;
}
