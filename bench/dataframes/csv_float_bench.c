/* csv_float_bench.c - throughput of the runtime's CSV float parser
 * (csv_parse_f64, pandas' rules) against glibc's strtod on the same
 * fields, in one run, one thread.
 *
 *   csv_float_bench FILE [REPEAT]     (default REPEAT 5; best run counted)
 *
 * FILE holds numeric fields separated by ',' and '\n' (no header), e.g.
 * "40.769,-73.9549" lines. Three timings, each in MB/s of FILE:
 *   split+parse  find each field and parse it (csv_parse_f64)
 *   parse        parse fields whose bounds were found beforehand
 *   strtod       glibc strtod on the same fields (it stops at the delimiter)
 * and the count of fields where strtod's value differs from pandas'. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csv.h"

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t); /* CPU time: the machine is shared */
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static char *load(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f || fseek(f, 0, SEEK_END) != 0)
    return NULL;
  long n = ftell(f);
  char *data = malloc((size_t)n + 1);
  rewind(f);
  if (!data || fread(data, 1, (size_t)n, f) != (size_t)n)
    return NULL;
  fclose(f);
  data[n] = 0;
  *size = (size_t)n;
  return data;
}

/* Field starts (and one past the last field's end + 1) in DATA. */
static size_t split(const char *data, size_t size, size_t **starts) {
  size_t n = 1;
  for (size_t i = 0; i < size; i++)
    n += data[i] == ',' || data[i] == '\n';
  size_t *s = malloc(sizeof *s * (n + 1)), k = 0;
  s[k++] = 0;
  for (size_t i = 0; i < size; i++)
    if (data[i] == ',' || data[i] == '\n')
      s[k++] = i + 1;
  if (size && data[size - 1] == '\n')
    k--; /* no field after the final newline */
  else
    s[k] = size + 1;
  *starts = s;
  return k;
}

static double split_and_parse(const char *data, size_t size, long *bad) {
  double sum = 0;
  const char *p = data, *end = data + size;
  while (p < end) {
    const char *q = p;
    while (q < end && *q != ',' && *q != '\n')
      q++;
    double x;
    if (csv_parse_f64(p, (size_t)(q - p), &x) == CSV_OK)
      sum += x;
    else
      ++*bad;
    p = q + 1;
  }
  return sum;
}

static double parse(const char *data, const size_t *starts, size_t n, double *out) {
  double sum = 0;
  for (size_t i = 0; i < n; i++) {
    const char *p = data + starts[i];
    if (csv_parse_f64(p, starts[i + 1] - 1 - starts[i], &out[i]) == CSV_OK)
      sum += out[i];
  }
  return sum;
}

static double parse_strtod(const char *data, const size_t *starts, size_t n, double *out) {
  double sum = 0;
  for (size_t i = 0; i < n; i++)
    sum += out[i] = strtod(data + starts[i], NULL);
  return sum;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s FILE [REPEAT]\n", argv[0]);
    return 2;
  }
  int repeat = argc > 2 ? atoi(argv[2]) : 5;
  size_t size, *starts;
  char *data = load(argv[1], &size);
  if (!data) {
    perror(argv[1]);
    return 2;
  }
  size_t n = split(data, size, &starts);
  double *ours = malloc(sizeof *ours * n), *theirs = malloc(sizeof *theirs * n);
  double best[3] = {1e9, 1e9, 1e9}, sums[3] = {0};
  long bad = 0;
  for (int r = 0; r < repeat; r++) {
    double t0 = now();
    bad = 0;
    sums[0] = split_and_parse(data, size, &bad);
    double t1 = now();
    sums[1] = parse(data, starts, n, ours);
    double t2 = now();
    sums[2] = parse_strtod(data, starts, n, theirs);
    double t3 = now();
    double t[3] = {t1 - t0, t2 - t1, t3 - t2};
    for (int k = 0; k < 3; k++)
      best[k] = t[k] < best[k] ? t[k] : best[k];
  }
  long differ = 0;
  for (size_t i = 0; i < n; i++)
    differ += memcmp(&ours[i], &theirs[i], sizeof(double)) != 0;
  double mb = (double)size / 1e6;
  printf("%s: %.1f MB, %zu fields, %ld not numbers, best of %d\n", argv[1], mb, n, bad, repeat);
  printf("  split+parse  %7.0f MB/s  %5.1f ns/field\n", mb / best[0], 1e9 * best[0] / (double)n);
  printf("  parse        %7.0f MB/s  %5.1f ns/field\n", mb / best[1], 1e9 * best[1] / (double)n);
  printf("  strtod       %7.0f MB/s  %5.1f ns/field\n", mb / best[2], 1e9 * best[2] / (double)n);
  printf("  strtod differs from pandas on %ld fields (sums %.17g %.17g %.17g)\n", differ,
         sums[0], sums[1], sums[2]);
  free(ours);
  free(theirs);
  free(starts);
  free(data);
  return 0;
}
