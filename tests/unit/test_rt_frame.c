/* test_rt_frame.c - dataframe partitions in the runtime: the CSV line
 * splitter and column typing (shared with the compiler), and describe's
 * per-partition percentiles (a selection, not a sort; bucketed for large
 * partitions: clustered, infinite and wide values too) against the same
 * formula on fully sorted values. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "rt.h"
#include "test_rt_check.h"

static void test_split(void) {
  const char *line = "1,\"a, b\",\"q\"\"uote\",,x\"y";
  char buf[64];
  CsvField f[8];
  int64_t n = csv_split(line, strlen(line), buf, f, 8);
  CHECK(n == 5, "fields: %lld", (long long)n);
  const char *want[] = {"1", "a, b", "q\"uote", "", "x\"y"};
  for (int i = 0; i < 5 && i < n; i++)
    CHECK((size_t)f[i].len == strlen(want[i]) && !memcmp(buf + f[i].off, want[i], strlen(want[i])),
          "field %d: '%.*s'", i, (int)f[i].len, buf + f[i].off);
}

static CsvType type_of(const char *const *s, int n) {
  CsvText t[16];
  for (int i = 0; i < n; i++)
    t[i] = (CsvText){s[i], (int64_t)strlen(s[i])};
  return csv_column_type(t, n);
}

static void test_types(void) {
  const char *ints[] = {"1", " 2", "-3"}, *int_na[] = {"1", "", "3"};
  const char *flt[] = {"1", "2.5", "NaN"}, *bools[] = {"True", "false"};
  const char *bool_na[] = {"True", "NA"}, *text[] = {"1", "x"}, *big[] = {"99999999999999999999"};
  CHECK(type_of(ints, 3) == CSV_T_I64, "ints");
  CHECK(type_of(int_na, 3) == CSV_T_F64, "ints with NA are float64");
  CHECK(type_of(flt, 3) == CSV_T_F64, "floats");
  CHECK(type_of(bools, 2) == CSV_T_BOOL, "bools");
  CHECK(type_of(bool_na, 2) == CSV_T_OBJ, "bools with NA are object");
  CHECK(type_of(text, 2) == CSV_T_OBJ, "text");
  CHECK(type_of(big, 1) == CSV_T_OBJ, "past uint64: object");
}

/* Past int64, pandas' uint64 pass decides (values pandas 1.5 gave). */
static void test_long_digits(void) {
  const char *u64[] = {"7", "11111111111111111111"}, *na_u64[] = {"NA", "11111111111111111111"};
  const char *neg_u64[] = {"-5", "11111111111111111111"}, *neg[] = {"-11111111111111111111"};
  const char *frac20[] = {"11111111111111111111.25"}, *frac22[] = {"0111111111111111111111.25"};
  const char *flt_first[] = {"1.5", "0111111111111111111111.25"};
  const char *int_first[] = {"7", "0111111111111111111111.25"};
  const char *neg_frac[] = {"-111111111111111111111.5"}, *zeros[] = {"000000000000000000000001.5"};
  CHECK(type_of(u64, 2) == CSV_T_U64, "uint64");
  CHECK(type_of(na_u64, 2) == CSV_T_OBJ_RAW, "uint64 next to NA: object, NA as text");
  CHECK(type_of(neg_u64, 2) == CSV_T_OBJ_RAW, "uint64 next to a sign: object, NA as text");
  CHECK(type_of(neg, 1) == CSV_T_OBJ, "below int64: object");
  CHECK(type_of(frac20, 1) == CSV_T_F64, "a uint64 with a fraction: float64");
  CHECK(type_of(frac22, 1) == CSV_T_OBJ, "22 digits with a fraction: object");
  CHECK(type_of(flt_first, 2) == CSV_T_F64, "a float before: float64");
  CHECK(type_of(int_first, 2) == CSV_T_OBJ, "an int before: object");
  CHECK(type_of(neg_frac, 1) == CSV_T_OBJ, "a sign stops the uint64 pass");
  CHECK(type_of(zeros, 1) == CSV_T_F64, "leading zeros do not overflow");
}

static int cmp(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

/* np.percentile (linear) on sorted values, as frame_stats.c computes it */
static double pct(const double *a, int64_t n, double q) {
  double v = (double)(n - 1) * (q / 100);
  int64_t prev = v >= (double)(n - 1) ? n - 1 : (int64_t)floor(v);
  int64_t next = v >= (double)(n - 1) ? n - 1 : prev + 1;
  double g = v >= (double)(n - 1) ? v + 1 : v - (double)prev;
  double lo = a[prev], hi = a[next], d = hi - lo;
  return g >= 0.5 ? hi - d * (1 - g) : lo + d * g;
}

static void test_percentiles(void) {
  srand(7);
  for (int round = 0; round < 260; round++) {
    int64_t n = 1 + rand() % (round < 100 ? 40 : round < 200 ? 5000 : 60000);
    TrFrame *f = tr_frame_new(1, n);
    tr_frame_alloc_col(f, 0, TR_COL_F64);
    f->cols[0].name = tr_str_new("v", 1);
    double *x = f->cols[0].data, *sorted = malloc((size_t)n * sizeof *sorted);
    int64_t m = 0;
    for (int64_t i = 0; i < n; i++) {
      x[i] = rand() % 4 == 0 ? NAN : (double)(rand() % (round % 3 ? 1000 : 7)) / 8;
      if (round >= 200 && round % 4 == 1) /* clustered: most in a few buckets */
        x[i] = rand() % 50 ? 40.7 + (rand() % 100) * 1e-4 : (rand() % 2 ? 1e300 : -1e300);
      if (round >= 200 && round % 4 == 2 && rand() % 1000 == 0) /* no finite spread */
        x[i] = rand() % 2 ? INFINITY : -INFINITY;
      if (round >= 200 && round % 4 == 3) /* a wide spread: tiny and huge */
        x[i] = ldexp((double)(rand() % 1000) - 500, rand() % 200 - 100);
      if (!isnan(x[i]))
        sorted[m++] = x[i];
    }
    qsort(sorted, (size_t)m, sizeof *sorted, cmp);
    TrValue args[3] = {tr_obj(TR_FRAME, f), tr_obj(TR_TUPLE, tr_seq_new(1)),
                       tr_obj(TR_TUPLE, tr_seq_new(3))}, out;
    ((TrSeq *)args[1].u.p)->items[0] = tr_obj(TR_STR, tr_str_new("v", 1));
    for (int k = 0; k < 3; k++)
      ((TrSeq *)args[2].u.p)->items[k] = tr_float(0.25 * (k + 1));
    tr_op_df_describe_chunk(args, 3, &out);
    const TrSeq *st = out.u.p;
    CHECK(st->items[0].u.f == (double)m, "count %g of %lld", st->items[0].u.f, (long long)m);
    static const double qs[5] = {0, 25, 50, 75, 100};
    for (int k = 0; k < 5 && m; k++) {
      double want = pct(sorted, m, qs[k]), got = st->items[5 + k].u.f;
      CHECK(want == got || (isnan(want) && isnan(got)), "n %lld q %g: %.17g, want %.17g",
            (long long)n, qs[k], got, want);
    }
    tr_decref(&out);
    tr_decref(&args[0]);
    tr_decref(&args[1]);
    tr_decref(&args[2]);
    free(sorted);
  }
}

int main(void) {
  test_split();
  test_types();
  test_long_digits();
  test_percentiles();
  if (failures)
    printf("%d failures\n", failures);
  return failures != 0;
}
