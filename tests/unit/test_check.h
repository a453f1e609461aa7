/* test_check.h - the failure counter and CHECK of the compiler's unit tests
 * (test_ir, test_passes, test_dot): a failed check prints where and what
 * to stderr and the test goes on; main returns failures != 0. */
#ifndef TEST_CHECK_H
#define TEST_CHECK_H

#include <stdio.h>

static int failures;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      failures++;                                                              \
    }                                                                          \
  } while (0)

#endif
