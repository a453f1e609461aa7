/* csv_date.c - a read_csv(parse_dates=) field as pandas 1.5's to_datetime
 * reads it, for the two forms taskc knows: ISO (pandas' own parser:
 * 'YYYY-MM-DD', then ' ' or 'T' and 'HH:MM', ':SS', '.fraction') and the
 * month-first 'M/D/YYYY H:MM:SS' dateutil reads (the Uber file's form;
 * a first number above 12 is the day, as dateutil swaps it). Shared with
 * the compiler, which types the sample's date columns the same way. */
#include "csv.h"

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian
 * calendar. */
int64_t csv_days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void csv_civil_from_days(int64_t z, int64_t *y, int64_t *m, int64_t *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yoe + era * 400 + (*m <= 2);
}

/* Reads MIN..MAX digits at *i into *v; false if fewer. */
static bool digits(const char *s, size_t n, size_t *i, int min, int max, int64_t *v) {
  int k = 0;
  *v = 0;
  while (*i < n && k < max && csv_is_digit(s[*i])) {
    *v = *v * 10 + (s[*i] - '0');
    (*i)++;
    k++;
  }
  return k >= min;
}

static bool eat(const char *s, size_t n, size_t *i, char c) {
  if (*i < n && s[*i] == c) {
    (*i)++;
    return true;
  }
  return false;
}

static bool leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static bool valid_day(int64_t y, int64_t m, int64_t d) {
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  /* pandas' nanoseconds hold 1677-09-21 .. 2262-04-11; whole years only */
  return y >= 1678 && y <= 2261 && m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1] + (m == 2 && leap(y));
}

/* ' HH:MM[:SS[.f]]' (SEP is the byte before the hours); ns of the day. */
static bool time_part(const char *s, size_t n, size_t *i, bool fraction, int64_t *ns) {
  int64_t h, mi, sec = 0, frac = 0;
  if (!digits(s, n, i, 1, 2, &h) || !eat(s, n, i, ':') || !digits(s, n, i, 2, 2, &mi))
    return false;
  if (eat(s, n, i, ':')) {
    if (!digits(s, n, i, 2, 2, &sec))
      return false;
    if (fraction && eat(s, n, i, '.')) {
      int k = 0;
      for (; *i < n && csv_is_digit(s[*i]); (*i)++, k++)
        if (k < 9)
          frac = frac * 10 + (s[*i] - '0');
      if (k == 0)
        return false;
      for (; k < 9; k++)
        frac *= 10;
    }
  }
  if (h > 23 || mi > 59 || sec > 59)
    return false;
  *ns = ((h * 60 + mi) * 60 + sec) * 1000000000 + frac;
  return true;
}

static bool iso(const char *s, size_t n, int64_t *out) {
  size_t i = 0;
  int64_t y, m, d, t = 0;
  if (!digits(s, n, &i, 4, 4, &y) || !eat(s, n, &i, '-') || !digits(s, n, &i, 1, 2, &m) ||
      !eat(s, n, &i, '-') || !digits(s, n, &i, 1, 2, &d) || !valid_day(y, m, d))
    return false;
  if (i < n && (s[i] == ' ' || s[i] == 'T')) {
    i++;
    if (!time_part(s, n, &i, true, &t))
      return false;
  }
  if (i != n)
    return false;
  *out = csv_days_from_civil(y, m, d) * 86400000000000 + t;
  return true;
}

static bool month_first(const char *s, size_t n, int64_t *out) {
  size_t i = 0;
  int64_t m, d, y, t = 0;
  if (!digits(s, n, &i, 1, 2, &m) || !eat(s, n, &i, '/') || !digits(s, n, &i, 1, 2, &d) ||
      !eat(s, n, &i, '/') || !digits(s, n, &i, 4, 4, &y))
    return false;
  if (m > 12 && d <= 12) { /* dateutil reads 13/1/2014 as the 13th of January */
    int64_t x = m;
    m = d;
    d = x;
  }
  if (!valid_day(y, m, d))
    return false;
  if (eat(s, n, &i, ' ') && !time_part(s, n, &i, false, &t))
    return false;
  if (i != n)
    return false;
  *out = csv_days_from_civil(y, m, d) * 86400000000000 + t;
  return true;
}

CsvStatus csv_parse_date(const char *s, size_t n, int64_t *out) {
  *out = CSV_NAT;
  if (csv_is_na(s, n) || (n == 3 && s[0] == 'N' && s[1] == 'a' && s[2] == 'T'))
    return CSV_NA;
  return iso(s, n, out) || month_first(s, n, out) ? CSV_OK : CSV_BAD;
}
