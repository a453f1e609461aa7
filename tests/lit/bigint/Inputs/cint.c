#include <stdint.h>

int64_t c_min(void) { return INT64_MIN; }
int64_t c_half(int64_t x) { return x / 2; }
