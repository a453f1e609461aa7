/* test_rt_check.h - the failure counter and CHECK(cond, fmt, ...) of the
 * array runtime tests: a failed check prints FAIL, where, and the message
 * to stdout, and the test goes on; main returns failures != 0. */
#ifndef TEST_RT_CHECK_H
#define TEST_RT_CHECK_H

#include <stdio.h>

static int failures;
#define CHECK(cond, ...)                                                       \
  do {                                                                         \
    if (!(cond)) {                                                             \
      printf("FAIL %s:%d: ", __FILE__, __LINE__);                              \
      printf(__VA_ARGS__);                                                     \
      printf("\n");                                                            \
      failures++;                                                              \
    }                                                                          \
  } while (0)

#endif
