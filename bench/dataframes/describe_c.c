/* describe_c.c - the hand-written C contestant of bench/dataframes: the
 * numeric columns' describe() of the Uber-schema CSV
 * ("Date/Time","Lat","Lon","Base"), one thread, the file read whole, a
 * field split and a float parse written for this file (plain decimals,
 * the integer of the digits over a power of ten, as pandas' fast path),
 * then count, mean, std (two passes), min, the 25/50/75% (numpy's linear
 * interpolation, by quickselect) and max. Prints the best wall time of REPEAT runs and the
 * table once.
 *
 *   cc -O2 -o describe_c bench/dataframes/describe_c.c -lm && ./describe_c uber.csv [REPEAT] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const double p10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
                             1e11, 1e12, 1e13, 1e14, 1e15};

/* [-]digits[.digits] up to the comma or newline at *pp */
static double parse(const char **pp) {
  const char *p = *pp;
  int neg = *p == '-';
  p += neg;
  long long m = 0;
  int k = 0, frac = 0;
  for (;; p++) {
    if (*p >= '0' && *p <= '9') {
      m = m * 10 + (*p - '0');
      k += frac;
    } else if (*p == '.') {
      frac = 1;
    } else {
      break;
    }
  }
  *pp = p;
  double x = (double)m / p10[k];
  return neg ? -x : x;
}

/* The k-th smallest of v[0..n) (v reordered around it): Hoare's select. */
static double select_k(double *v, long n, long k) {
  long lo = 0, hi = n - 1;
  while (lo < hi) {
    double pivot = v[lo + (hi - lo) / 2];
    long i = lo, j = hi;
    while (i <= j) {
      while (v[i] < pivot)
        i++;
      while (v[j] > pivot)
        j--;
      if (i <= j) {
        double t = v[i];
        v[i++] = v[j];
        v[j--] = t;
      }
    }
    if (k <= j)
      hi = j;
    else if (k >= i)
      lo = i;
    else
      return v[k];
  }
  return v[k];
}

/* numpy's linear percentile q of v (n values; v reordered) */
static double pct(double *v, long n, double q) {
  double at = q * (double)(n - 1);
  long lo = (long)at;
  double f = at - (double)lo, a = select_k(v, n, lo);
  if (lo + 1 >= n)
    return a;
  double b = v[lo + 1]; /* the least of the values above a */
  for (long i = lo + 2; i < n; i++)
    if (v[i] < b)
      b = v[i];
  return a + (b - a) * f;
}

static void describe(double *v, long n, double out[8]) {
  double s = 0;
  for (long i = 0; i < n; i++)
    s += v[i];
  double mean = s / (double)n, ss = 0;
  for (long i = 0; i < n; i++)
    ss += (v[i] - mean) * (v[i] - mean);
  double lo = v[0], hi = v[0];
  for (long i = 1; i < n; i++) {
    lo = v[i] < lo ? v[i] : lo;
    hi = v[i] > hi ? v[i] : hi;
  }
  double r[8] = {(double)n, mean, n > 1 ? __builtin_sqrt(ss / (double)(n - 1)) : 0, lo,
                 pct(v, n, 0.25), pct(v, n, 0.5), pct(v, n, 0.75), hi};
  memcpy(out, r, sizeof r);
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: describe_c FILE [REPEAT]\n");
    return 2;
  }
  int repeat = argc > 2 ? atoi(argv[2]) : 5;
  double best = 1e9, out[2][8];
  for (int r = 0; r < repeat; r++) {
    double t0 = now();
    FILE *f = fopen(argv[1], "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st) != 0) {
      perror(argv[1]);
      return 1;
    }
    char *buf = malloc((size_t)st.st_size + 1);
    if (!buf || fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
      perror(argv[1]);
      return 1;
    }
    fclose(f);
    buf[st.st_size] = 0;
    long cap = st.st_size / 20 + 16, n = 0;
    double *lat = malloc(sizeof *lat * (size_t)cap), *lon = malloc(sizeof *lon * (size_t)cap);
    const char *p = strchr(buf, '\n') + 1, *end = buf + st.st_size;
    while (p < end && n < cap) {
      p = strchr(p + 1, '"') + 2; /* the quoted date, its comma */
      lat[n] = parse(&p);
      p++;
      lon[n] = parse(&p);
      n++;
      p = strchr(p, '\n') + 1;
    }
    describe(lat, n, out[0]);
    describe(lon, n, out[1]);
    free(lat);
    free(lon);
    free(buf);
    double t = now() - t0;
    if (t < best)
      best = t;
  }
  printf("C reader describe (1 thread): best of %d: %.1f ms\n", repeat, best * 1e3);
  static const char *rows[] = {"count", "mean", "std", "min", "25%", "50%", "75%", "max"};
  for (int i = 0; i < 8; i++)
    printf("  %-6s %20.9f %20.9f\n", rows[i], out[0][i], out[1][i]);
  return 0;
}
