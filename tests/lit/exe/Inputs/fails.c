#include <stdint.h>

#include "taskrt.h"

int64_t c_check(int64_t x) {
  if (x < 0)
    tr_error("negative input");
  return x;
}
