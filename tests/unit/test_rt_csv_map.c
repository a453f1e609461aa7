/* test_rt_csv_map.c - a read_csv block mapped from its file
 * (frame_csv_map.c): the block's lines as csv_block_lines cuts them, an
 * empty block, and a file cut short while mapped: an error naming it and
 * exit 1 (the SIGBUS handler), not a crash. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "csv.h"
#include "frame.h"
#include "test_rt_check.h"

static char path[] = "/tmp/taskc-test-map-XXXXXX";

static int64_t mtime_of(const struct stat *st) {
  return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

int main(void) {
  int fd = mkstemp(path);
  enum { N = 3 * 8192 };
  char *text = malloc(N);
  for (int i = 0; i < N; i++)
    text[i] = i % 10 == 9 ? '\n' : (char)('0' + i % 10);
  if (fd < 0 || write(fd, text, N) != N)
    return 2;
  close(fd);
  struct stat st;
  stat(path, &st);
  int64_t offsets[] = {0, 5, 4000, 8191}, start, end;
  for (int k = 0; k < 4; k++) {
    FrameMap m;
    CHECK(frame_csv_map(path, offsets[k], 5000, N, mtime_of(&st), &m), "map %d", k);
    csv_block_lines(text, N, offsets[k], 5000, &start, &end);
    CHECK(m.n == end - start && !memcmp(m.text, text + start, (size_t)m.n),
          "block at %lld: %lld bytes, want %lld", (long long)offsets[k], (long long)m.n,
          (long long)(end - start));
    frame_csv_unmap(&m);
  }
  FrameMap m;
  CHECK(frame_csv_map(path, N - 3, 3, N, mtime_of(&st), &m) && m.n == 0, "an empty block");
  frame_csv_unmap(&m);
  int err[2];
  if (pipe(err) != 0)
    return 2;
  pid_t pid = fork();
  if (pid == 0) { /* map, cut the file short, read past its new end */
    dup2(err[1], 2);
    FrameMap c;
    if (!frame_csv_map(path, 0, N, N, mtime_of(&st), &c) || truncate(path, 0) != 0)
      _exit(3);
    volatile char x = c.text[N - 100];
    (void)x;
    _exit(0);
  }
  close(err[1]);
  char msg[512] = {0};
  ssize_t got = 0, r;
  while ((r = read(err[0], msg + got, sizeof msg - 1 - (size_t)got)) > 0) /* to the end */
    got += r;
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1, "cut short: status %#x", status);
  CHECK(got > 0 && strstr(msg, path) && strstr(msg, "was cut short while it was read"),
        "cut short: message '%s'", msg);
  unlink(path);
  free(text);
  if (failures)
    printf("%d failures\n", failures);
  return failures != 0;
}
