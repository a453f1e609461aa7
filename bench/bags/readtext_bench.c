/* readtext_bench.c - throughput of the op bag.read_text (runtime/text.c),
 * the first task of every db.read_text partition, on one thread: each
 * block of each FILE (read_bytes' blocks for BLOCKSIZE, linedelimiter
 * None) read into its list of str lines and freed, best of REPEAT runs.
 *
 *   readtext_bench BLOCKSIZE REPEAT FILE...
 *
 * Prints MB/s, lines, and ns per line, in CPU time (the machine is
 * shared). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "csv.h"
#include "rt.h"

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: readtext_bench BLOCKSIZE REPEAT FILE...\n");
    return 2;
  }
  int64_t bs = atoll(argv[1]);
  int repeat = atoi(argv[2]);
  double best = 1e30;
  int64_t bytes = 0, lines = 0;
  for (int r = 0; r < repeat; r++) {
    bytes = lines = 0;
    double t0 = now();
    for (int i = 3; i < argc; i++) {
      struct stat st;
      if (stat(argv[i], &st) != 0) {
        perror(argv[i]);
        return 2;
      }
      int64_t n = csv_block_plan(st.st_size, bs, NULL, 0);
      CsvBlock *plan = malloc(sizeof *plan * (size_t)(n + 1));
      csv_block_plan(st.st_size, bs, plan, n);
      TrValue path = tr_str_value(argv[i], (int64_t)strlen(argv[i]));
      for (int64_t k = 0; k < n; k++) {
        TrValue args[4] = {path, {TR_INT, {.i = plan[k].offset}},
                           {TR_INT, {.i = plan[k].length}}, {TR_NONE, {0}}};
        TrValue out;
        tr_op_bag_read_text(args, 4, &out);
        lines += ((TrSeq *)out.u.p)->len;
        tr_decref(&out);
      }
      tr_decref(&path);
      free(plan);
      bytes += st.st_size;
    }
    double t = now() - t0;
    best = t < best ? t : best;
  }
  printf("read_text op: %.0f MB/s, %lld lines, %.1f ns/line (one thread, CPU time, best of %d)\n",
         (double)bytes / 1e6 / best, (long long)lines, best * 1e9 / (double)lines, repeat);
  return 0;
}
