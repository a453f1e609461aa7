/* csv_float.c - one CSV field as a float64, bit for bit as pandas 1.5's
 * read_csv (C engine, float_precision=None, which pandas maps to its
 * "high" converter precise_xstrtod).
 *
 * That converter is not correctly rounded. It reads at most 17 significant
 * digits into a double, one digit at a time (x = x * 10 + d, each step
 * rounded), counting every digit taken, leading zeros included; further
 * integer digits only raise the exponent and further fraction digits are
 * dropped. The decimal exponent (fraction digits taken, plus the 'e' part,
 * whose digits are read into a 32-bit int that wraps) then scales x once:
 * x * 10^e for 0 < e <= 308, x / 10^-e for -308 <= e < 0, two divisions
 * (by 10^(-308-e), then by 10^308) for -616 <= e < -308, +0.0 below -616,
 * and no value above 308 or when the result is infinite. Spaces (' ',
 * \t \n \v \f \r) may lead and trail; anything else left over means no
 * value. pandas tests the NA strings first and, when the converter fails,
 * the spellings of infinity.
 *
 * We keep the first 15 digits in an integer: below 10^15 every double step
 * above is exact, so the integer is the same number. Digits 16 and 17 take
 * pandas' rounded double steps. Fields of at most 15 digits without spaces
 * or exponent (most data) take a shorter path to the same operations. */
#include <math.h>
#include <string.h>

#include "csv.h"

enum { EXACT_DIGITS = 15, MAX_DIGITS = 17, MAX_EXP = 308 };

/* 10^0 .. 10^308 as the compiler rounds the literals (correctly), which
 * is how pandas' own table is made. */
#define P10_ROW(d) 1e##d##0, 1e##d##1, 1e##d##2, 1e##d##3, 1e##d##4, \
                   1e##d##5, 1e##d##6, 1e##d##7, 1e##d##8, 1e##d##9
static const double p10[MAX_EXP + 1] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
    P10_ROW(1), P10_ROW(2), P10_ROW(3), P10_ROW(4), P10_ROW(5), P10_ROW(6),
    P10_ROW(7), P10_ROW(8), P10_ROW(9), P10_ROW(10), P10_ROW(11), P10_ROW(12),
    P10_ROW(13), P10_ROW(14), P10_ROW(15), P10_ROW(16), P10_ROW(17), P10_ROW(18),
    P10_ROW(19), P10_ROW(20), P10_ROW(21), P10_ROW(22), P10_ROW(23), P10_ROW(24),
    P10_ROW(25), P10_ROW(26), P10_ROW(27), P10_ROW(28), P10_ROW(29),
    1e300, 1e301, 1e302, 1e303, 1e304, 1e305, 1e306, 1e307, 1e308};

/* The significant digits taken so far. */
typedef struct Mant {
  uint64_t m; /* the first EXACT_DIGITS digits, exactly */
  double x;   /* the value by pandas' rounded steps, past EXACT_DIGITS */
  int n;      /* digits taken */
} Mant;

/* pandas' x * 10. + d: two roundings. The volatile keeps the compiler
 * from fusing them into one FMA (which rounds once). */
static double step(double x, int d) {
  volatile double t = x * 10.0;
  return t + d;
}

/* Takes digit D if fewer than MAX_DIGITS are taken; false if not. */
static inline bool take(Mant *t, int d) {
  if (t->n < EXACT_DIGITS)
    t->m = t->m * 10 + (uint64_t)d;
  else if (t->n < MAX_DIGITS)
    t->x = step(t->n == EXACT_DIGITS ? (double)t->m : t->x, d);
  else
    return false;
  t->n++;
  return true;
}

static inline double mant_value(const Mant *t) {
  return t->n <= EXACT_DIGITS ? (double)t->m : t->x;
}

/* X scaled by 10^E as pandas does it (E <= MAX_EXP). */
static inline double scale(double x, int32_t e) {
  if (e > 0)
    return x * p10[e];
  if (e == 0) /* pandas divides by 1.0: the same value */
    return x;
  if (e >= -MAX_EXP)
    return x / p10[-e];
  if (e < -2 * MAX_EXP)
    return 0.0; /* +0.0, even for a negative x, as pandas */
  return x / p10[-MAX_EXP - e] / p10[MAX_EXP];
}

/* pandas' strcasecmp of the whole field with "inf", "+inf", "Infinity",
 * "+Infinity" (+1), "-inf", "-Infinity" (-1); 0 for anything else. */
static int inf_sign(const char *s, size_t n) {
  int sign = 1;
  if (n && (*s == '+' || *s == '-')) {
    sign = *s == '-' ? -1 : 1;
    s++, n--;
  }
  static const char word[] = "infinity";
  if (n != 3 && n != 8)
    return 0;
  for (size_t i = 0; i < n; i++)
    if ((s[i] | 0x20) != word[i])
      return 0;
  return sign;
}

/* The field is no number for the converter: NA, infinity, or nothing. */
static CsvStatus not_a_number(const char *s, size_t n, double *out) {
  if (csv_is_na(s, n)) {
    *out = NAN;
    return CSV_NA;
  }
  int sign = inf_sign(s, n);
  if (!sign)
    return CSV_BAD;
  *out = sign * HUGE_VAL;
  return CSV_OK;
}

/* Reads "e[sign]digits" at *P into *EXP (wrapping, as pandas' int):
 * false if no digit follows, or more than MAX_DIGITS do (pandas stops
 * there and finds the rest left over). */
static bool read_exponent(const char **pp, const char *end, uint32_t *exp) {
  const char *p = *pp + 1;
  bool neg = false;
  if (p < end && (*p == '-' || *p == '+'))
    neg = *p++ == '-';
  uint32_t n = 0;
  int digits = 0;
  for (; digits < MAX_DIGITS && p < end && csv_is_digit(*p); p++, digits++)
    n = n * 10 + (uint32_t)(*p - '0');
  if (digits == 0)
    return false;
  *exp = neg ? *exp - n : *exp + n;
  *pp = p;
  return true;
}

/* pandas' converter step by step, for any field. */
static CsvStatus convert(const char *s, size_t n, double *out) {
  const char *p = s, *end = s + n;
  while (p < end && csv_is_space(*p))
    p++;
  bool neg = false;
  if (p < end && (*p == '-' || *p == '+'))
    neg = *p++ == '-';
  Mant t = {0, 0.0, 0};
  uint32_t exp = 0; /* pandas' int exponent, wrapping */
  for (; p < end && csv_is_digit(*p); p++)
    if (!take(&t, *p - '0'))
      exp++;
  if (p < end && *p == '.')
    for (p++; p < end && csv_is_digit(*p); p++)
      if (take(&t, *p - '0'))
        exp--;
  if (t.n == 0)
    return not_a_number(s, n, out);
  double x = mant_value(&t);
  if (neg)
    x = -x;
  if (p < end && (*p | 0x20) == 'e' && !read_exponent(&p, end, &exp))
    return not_a_number(s, n, out);
  int32_t e = (int32_t)exp;
  if (e > MAX_EXP)
    return not_a_number(s, n, out);
  x = scale(x, e);
  while (p < end && csv_is_space(*p))
    p++;
  if (p != end || isinf(x))
    return not_a_number(s, n, out);
  *out = x;
  return CSV_OK;
}

CsvStatus csv_parse_f64_slow(const char *s, size_t n, double *out) {
  return convert(s, n, out);
}

/* ---- pandas' default NA strings (STR_NA_VALUES of pandas 1.5) ---- */

static const char *const na_strings[] = {
    "",    "NA",   "N/A",  "n/a",  "#NA",  "NaN",    "nan",     "-NaN",     "-nan",
    "<NA>", "NULL", "null", "#N/A", "1.#IND", "-1.#IND", "1.#QNAN", "-1.#QNAN", "#N/A N/A"};

bool csv_is_na(const char *s, size_t n) {
  /* most fields are not NA: every NA string has at most 8 bytes and starts
   * with one of these */
  if (n > 8 || (n && !strchr("Nn#-<1", s[0])))
    return false;
  for (size_t i = 0; i < sizeof na_strings / sizeof *na_strings; i++)
    if (strlen(na_strings[i]) == n && memcmp(na_strings[i], s, n) == 0)
      return true;
  return false;
}
