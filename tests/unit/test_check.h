/* test_check.h - the failure counter and CHECK of the compiler's unit tests
 * (test_ir, test_passes, test_dot, test_sema, test_value_dict,
 * test_compile_twice): a failed check prints where and what
 * to stderr and the test goes on; main returns failures != 0. */
#ifndef TEST_CHECK_H
#define TEST_CHECK_H

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include "ir.h"

static int failures;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      failures++;                                                              \
    }                                                                          \
  } while (0)

/* CHECK with a printf-style message saying what was wrong. */
#define CHECK_MSG(cond, ...)                                                   \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                          \
      fprintf(stderr, __VA_ARGS__);                                            \
      fputc('\n', stderr);                                                     \
      failures++;                                                              \
    }                                                                          \
  } while (0)

/* graph_verify reports on stderr; keep the test's output clean. */
static inline bool verify_quietly(const Graph *g) {
  fflush(stderr);
  int saved = dup(2), null = open("/dev/null", O_WRONLY);
  dup2(null, 2);
  bool ok = graph_verify(g, "test");
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  close(null);
  return ok;
}

#endif
