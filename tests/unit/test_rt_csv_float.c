/* test_rt_csv_float.c - the per-field number parsers of runtime/csv_*.c.
 *
 *   test_rt_csv_float                 checks against values pandas 1.5 gave
 *   test_rt_csv_float f64|i64|u64 FILE
 *       reads FILE, one field a line, and prints one line a field:
 *       "OK <hex>" (the value's bits; the int itself for i64/u64), "NA",
 *       "BAD", "OVERFLOW" or "NEGATIVE". tests/csv/float_diff.py compares
 *       that with pd.read_csv.
 *   test_rt_csv_float pyf|pyi FILE
 *       the same for Python's float() / int() (csv_py.c; any NaN printed
 *       as 7ff8000000000000); tests/csv/py_diff.py compares. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "test_rt_check.h"

static const char *status_name(CsvStatus st) {
  static const char *names[] = {"OK", "NA", "BAD", "OVERFLOW", "NEGATIVE"};
  return names[st];
}

static uint64_t bits(double x) {
  uint64_t b;
  memcpy(&b, &x, sizeof b);
  return b;
}

/* S parses as float64 with status ST and bits WANT (when ST is not BAD) */
static void check_f64(const char *s, CsvStatus st, uint64_t want) {
  double x = 0;
  CsvStatus got = csv_parse_f64(s, strlen(s), &x);
  CHECK(got == st, "[%s]: status %s, want %s", s, status_name(got), status_name(st));
  if (got == st && st != CSV_BAD)
    CHECK(bits(x) == want, "[%s]: %016" PRIx64 ", want %016" PRIx64, s, bits(x), want);
}

/* What pd.read_csv gave for these fields (tests/csv/float_diff.py checks
 * millions more). */
static void test_f64(void) {
  check_f64("40.769", CSV_OK, 0x4044626e978d4fdfu);
  check_f64("-73.9549", CSV_OK, 0xc0527d1d14e3bcd3u);
  check_f64(" 1.5 ", CSV_OK, 0x3ff8000000000000u);
  check_f64("\t2.5\t", CSV_OK, 0x4004000000000000u);
  check_f64("1.", CSV_OK, 0x3ff0000000000000u);
  check_f64(".5", CSV_OK, 0x3fe0000000000000u);
  check_f64("-.5e3", CSV_OK, 0xc07f400000000000u);
  check_f64("-0", CSV_OK, 0x8000000000000000u);
  check_f64("-1e-700", CSV_OK, 0); /* below 1e-616: +0.0 */
  check_f64("1e-400", CSV_OK, 0);
  check_f64("1e4294967297", CSV_OK, 0x4024000000000000u); /* the int exponent wraps */
  check_f64("1e4294967296", CSV_OK, 0x3ff0000000000000u);
  check_f64("1e00000000000000001", CSV_OK, 0x4024000000000000u); /* 17 exponent digits */
  check_f64("1e000000000000000001", CSV_BAD, 0);                  /* 18 */
  check_f64("0.1", CSV_OK, 0x3fb999999999999au);
  check_f64("1e400", CSV_BAD, 0);
  check_f64("0e400", CSV_BAD, 0);
  check_f64("1.8e308", CSV_BAD, 0); /* infinite */
  check_f64("-2e308", CSV_BAD, 0);
  check_f64("", CSV_NA, 0x7ff8000000000000u);
  check_f64("nan", CSV_NA, 0x7ff8000000000000u);
  check_f64("-1.#IND", CSV_NA, 0x7ff8000000000000u);
  check_f64("#N/A N/A", CSV_NA, 0x7ff8000000000000u);
  check_f64(" nan", CSV_BAD, 0);
  check_f64("NAN", CSV_BAD, 0);
  check_f64("inf", CSV_OK, 0x7ff0000000000000u);
  check_f64("+INF", CSV_OK, 0x7ff0000000000000u);
  check_f64("-Infinity", CSV_OK, 0xfff0000000000000u);
  check_f64(" inf", CSV_BAD, 0);
  check_f64(".", CSV_BAD, 0);
  check_f64("1e", CSV_BAD, 0);
  check_f64("1e+", CSV_BAD, 0);
  check_f64("0x10", CSV_BAD, 0);
  check_f64("1_000", CSV_BAD, 0);
  check_f64("1d5", CSV_BAD, 0);
}

static void check_i64(const char *s, CsvStatus st, int64_t want) {
  int64_t v = 0;
  CsvStatus got = csv_parse_i64(s, strlen(s), &v);
  CHECK(got == st, "[%s]: status %s, want %s", s, status_name(got), status_name(st));
  if (got == st && st == CSV_OK)
    CHECK(v == want, "[%s]: %" PRId64 ", want %" PRId64, s, v, want);
}

static void check_u64(const char *s, CsvStatus st, uint64_t want) {
  uint64_t v = 0;
  CsvStatus got = csv_parse_u64(s, strlen(s), &v);
  CHECK(got == st, "[%s]: status %s, want %s", s, status_name(got), status_name(st));
  if (got == st && st == CSV_OK)
    CHECK(v == want, "[%s]: %" PRIu64 ", want %" PRIu64, s, v, want);
}

static void test_ints(void) {
  check_i64(" 12 ", CSV_OK, 12);
  check_i64("+7", CSV_OK, 7);
  check_i64("-9223372036854775808", CSV_OK, INT64_MIN);
  check_i64("9223372036854775807", CSV_OK, INT64_MAX);
  check_i64("9223372036854775808", CSV_OVERFLOW, 0);
  check_i64("-9223372036854775809", CSV_OVERFLOW, 0);
  check_i64("99999999999999999999x", CSV_OVERFLOW, 0); /* found before the junk */
  check_i64("1.0", CSV_BAD, 0);
  check_i64("1e3", CSV_BAD, 0);
  check_i64("-", CSV_BAD, 0);
  check_i64("", CSV_NA, 0);
  check_i64("NA", CSV_NA, 0);
  check_i64("-1.#IND", CSV_NA, 0);
  check_u64("18446744073709551615", CSV_OK, UINT64_MAX);
  check_u64("18446744073709551616", CSV_OVERFLOW, 0);
  check_u64(" -5", CSV_NEGATIVE, 0);
  check_u64("-abc", CSV_NEGATIVE, 0);
  check_u64("-nan", CSV_NA, 0);
  check_u64("+9223372036854775808", CSV_OK, 9223372036854775808u);
  check_u64("x", CSV_BAD, 0);
}

/* ---- driver mode ---- */

static void print_field(const char *kind, const char *s, size_t n) {
  CsvStatus st;
  if (strcmp(kind, "f64") == 0) {
    double x;
    st = csv_parse_f64(s, n, &x);
    if (st == CSV_OK) {
      printf("OK %016" PRIx64 "\n", bits(x));
      return;
    }
  } else if (strcmp(kind, "i64") == 0) {
    int64_t v;
    st = csv_parse_i64(s, n, &v);
    if (st == CSV_OK) {
      printf("OK %" PRId64 "\n", v);
      return;
    }
  } else if (strcmp(kind, "pyf") == 0) {
    double x;
    st = csv_py_float(s, n, &x);
    if (st == CSV_OK) {
      printf("OK %016" PRIx64 "\n", isnan(x) ? (uint64_t)0x7ff8000000000000 : bits(x));
      return;
    }
  } else if (strcmp(kind, "pyi") == 0) {
    int64_t v;
    st = csv_py_int(s, n, &v);
    if (st == CSV_OK) {
      printf("OK %" PRId64 "\n", v);
      return;
    }
  } else {
    uint64_t v;
    st = csv_parse_u64(s, n, &v);
    if (st == CSV_OK) {
      printf("OK %" PRIu64 "\n", v);
      return;
    }
  }
  printf("%s\n", status_name(st));
}

static int drive(const char *kind, const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return 2;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  while ((len = getline(&line, &cap, f)) >= 0) {
    if (len > 0 && line[len - 1] == '\n')
      len--;
    print_field(kind, line, (size_t)len);
  }
  free(line);
  fclose(f);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 3)
    return drive(argv[1], argv[2]);
  test_f64();
  test_ints();
  if (failures)
    printf("%d failures\n", failures);
  return failures != 0;
}
