/* test_rt_csv_block.c - Dask's byte blocks of a CSV file (runtime/csv_block.c).
 *
 *   test_rt_csv_block              checks on small files and random ones
 *   test_rt_csv_block FILE BLOCKSIZE
 *       prints "OFFSET LENGTH START END" for each block of FILE, the
 *       lines found through the file descriptor (after checking that the
 *       in-memory search agrees). tests/csv/block_diff.py compares the
 *       bytes [START, END) with the blocks of dask.bytes.read_bytes. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "test_rt_check.h"

/* The lines of block (OFFSET, LENGTH) of TEXT as a string, in OUT. */
static const char *lines_of(const char *text, int64_t offset, int64_t length, char *out) {
  int64_t start, end;
  csv_block_lines(text, (int64_t)strlen(text), offset, length, &start, &end);
  memcpy(out, text + start, (size_t)(end - start));
  out[end - start] = 0;
  return out;
}

#define CHECK_LINES(text, off, len, want)                                        \
  do {                                                                           \
    char got_[256];                                                              \
    lines_of(text, off, len, got_);                                              \
    CHECK(strcmp(got_, want) == 0, "block (%d, %d): [%s], want [%s]", off, len, \
          got_, want);                                                           \
  } while (0)

static void test_lines(void) {
  const char *t = "a,b\n1,2\n3,4\n";
  CHECK_LINES(t, 0, 4, "a,b\n1,2\n"); /* '\n' at offset + length ends the next line */
  CHECK_LINES(t, 0, 3, "a,b\n");
  CHECK_LINES(t, 3, 2, "1,2\n");      /* the '\n' at the offset itself starts it */
  CHECK_LINES(t, 4, 4, "3,4\n");      /* starts after the first '\n' at or after 4 */
  CHECK_LINES(t, 5, 1, "");           /* no line starts in [5, 6) */
  CHECK_LINES(t, 8, 4, "");
  CHECK_LINES("x\r\ny\r\nz", 1, 3, "y\r\n"); /* CRLF: the '\r' stays */
  CHECK_LINES("x\r\ny\r\nz", 1, 5, "y\r\nz"); /* no final '\n': to the end */
  CHECK_LINES("abc", 1, 1, "");
  CHECK_LINES("abc", 0, 1, "abc");
}

static void check_plan(int64_t size, int64_t bs, int64_t n, const CsvBlock *want) {
  CsvBlock got[16];
  int64_t k = csv_block_plan(size, bs, got, 16);
  CHECK(k == n, "plan(%lld, %lld): %lld blocks, want %lld", (long long)size, (long long)bs,
        (long long)k, (long long)n);
  for (int64_t i = 0; i < n && i < k; i++)
    CHECK(got[i].offset == want[i].offset && got[i].length == want[i].length,
          "plan(%lld, %lld)[%lld]: (%lld, %lld)", (long long)size, (long long)bs, (long long)i,
          (long long)got[i].offset, (long long)got[i].length);
}

/* Offsets as dask.bytes.read_bytes computes them (Python 3.11). */
static void test_plan(void) {
  check_plan(0, 10, 0, NULL);
  check_plan(10, 10, 1, (CsvBlock[]){{0, 10}});
  check_plan(5, 10, 1, (CsvBlock[]){{0, 5}});
  check_plan(20, 10, 2, (CsvBlock[]){{0, 10}, {10, 10}});
  check_plan(25, 10, 2, (CsvBlock[]){{0, 12}, {12, 13}});
  check_plan(100, 7, 14, (CsvBlock[]){{0, 7}, {7, 7}, {14, 7}, {21, 7}, {28, 7}, {35, 7},
                                      {42, 8}, {50, 7}, {57, 7}, {64, 7}, {71, 7}, {78, 7},
                                      {85, 7}, {92, 8}});
}

/* Random files: the blocks' lines tile the file, and the file descriptor
 * search finds what the in-memory one does. */
static void test_tiling(void) {
  char path[] = "/tmp/test_rt_csv_block_XXXXXX";
  int fd = mkstemp(path);
  CHECK(fd >= 0, "mkstemp");
  if (fd < 0)
    return;
  unlink(path);
  srand(12345);
  static char data[40000];
  CsvBlock plan[50000];
  for (int round = 0; round < 200; round++) {
    int64_t size = rand() % (int)sizeof data;
    for (int64_t i = 0; i < size; i++)
      data[i] = rand() % 8 == 0 ? '\n' : rand() % 20 == 0 ? '\r' : 'a' + rand() % 26;
    CHECK(ftruncate(fd, 0) == 0 && pwrite(fd, data, (size_t)size, 0) == size, "write");
    int64_t bs = 1 + rand() % (size + 20);
    int64_t n = csv_block_plan(size, bs, plan, 50000);
    int64_t next = 0;
    for (int64_t i = 0; i < n; i++) {
      int64_t s, e, fs = -1, fe = -1;
      csv_block_lines(data, size, plan[i].offset, plan[i].length, &s, &e);
      CHECK(csv_block_lines_fd(fd, size, plan[i].offset, plan[i].length, &fs, &fe) == 0, "pread");
      CHECK(fs == s && fe == e, "fd search differs");
      CHECK(s == next && e >= s, "round %d block %lld: [%lld, %lld) after %lld", round,
            (long long)i, (long long)s, (long long)e, (long long)next);
      next = e;
    }
    CHECK(next == size, "round %d: the blocks end at %lld of %lld", round, (long long)next,
          (long long)size);
  }
  close(fd);
}

static int drive(const char *path, int64_t bs) {
  int fd = open(path, O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    perror(path);
    return 2;
  }
  int64_t size = st.st_size;
  char *data = malloc((size_t)size + 1);
  if (!data || pread(fd, data, (size_t)size, 0) != size) {
    perror(path);
    return 2;
  }
  int64_t n = csv_block_plan(size, bs, NULL, 0);
  CsvBlock *plan = malloc(sizeof *plan * (size_t)(n + 1));
  csv_block_plan(size, bs, plan, n);
  int status = 0;
  for (int64_t i = 0; i < n; i++) {
    int64_t s, e, ms, me;
    if (csv_block_lines_fd(fd, size, plan[i].offset, plan[i].length, &s, &e) != 0) {
      perror(path);
      status = 2;
      break;
    }
    csv_block_lines(data, size, plan[i].offset, plan[i].length, &ms, &me);
    if (ms != s || me != e)
      status = 1;
    printf("%lld %lld %lld %lld\n", (long long)plan[i].offset, (long long)plan[i].length,
           (long long)s, (long long)e);
  }
  free(plan);
  free(data);
  close(fd);
  return status;
}

int main(int argc, char **argv) {
  if (argc == 3)
    return drive(argv[1], atoll(argv[2]));
  test_lines();
  test_plan();
  test_tiling();
  if (failures)
    printf("%d failures\n", failures);
  return failures != 0;
}
