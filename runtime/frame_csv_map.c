/* frame_csv_map.c - a read_csv block's file opened and checked against
 * what the compiler saw, and the block mapped rather than read.
 *
 * Mapped, the page cache's pages are the block: no copy into a fresh
 * buffer and no page faults on one, a fifth of a describe() process. A
 * file cut short while it is mapped would make the read past its new
 * end a SIGBUS: a handler turns that into an error naming the file (exit
 * 1) instead of a crash. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "frame.h"

int frame_csv_open(const char *path, int64_t size, int64_t mtime) {
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    tr_fail("[Errno %d] %s: '%s'", errno, strerror(errno), path); /* as Python says it */
  struct stat st;
  if (fstat(fd, &st) != 0 || st.st_size != size ||
      (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec != mtime) {
    close(fd);
    tr_fail("'%s' changed since the program was compiled (size or modification "
            "time); compile it again", path);
  }
  return fd;
}

static _Thread_local const char *mapped_path; /* while this thread reads a mapping */

static void put(const char *s) {
  ssize_t r = write(2, s, strlen(s));
  (void)r;
}

static void on_sigbus(int sig) {
  if (!mapped_path) { /* not ours: as if there were no handler */
    signal(sig, SIG_DFL);
    raise(sig);
    return;
  }
  put("error: '");
  put(mapped_path);
  put("' was cut short while it was read; compile the program again\n");
  _exit(1);
}

static void install(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigbus;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGBUS, &sa, NULL);
}

bool frame_csv_map(const char *path, int64_t offset, int64_t length, int64_t size,
                   int64_t mtime, FrameMap *m) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  memset(m, 0, sizeof *m);
  int fd = frame_csv_open(path, size, mtime);
  int64_t start, end;
  if (csv_block_lines_fd(fd, size, offset, length, &start, &end) != 0) {
    close(fd);
    return false;
  }
  m->n = end - start;
  m->text = "";
  if (end > start) {
    int64_t page = sysconf(_SC_PAGESIZE), from = start - start % page;
    void *p = mmap(NULL, (size_t)(end - from), PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, from);
    if (p == MAP_FAILED) {
      close(fd);
      return false;
    }
    pthread_once(&once, install);
    m->base = p;
    m->len = (size_t)(end - from);
    m->text = (const char *)p + (start - from);
  }
  close(fd);
  mapped_path = path;
  return true;
}

void frame_csv_unmap(FrameMap *m) {
  if (m->base)
    munmap(m->base, m->len);
  m->base = NULL;
  mapped_path = NULL;
}
