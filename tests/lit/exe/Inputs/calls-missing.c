/* Refers to a C function that nothing defines: the link fails. */
#include <stdint.h>

int64_t missing_helper(int64_t x);

int64_t uses_missing(int64_t x) { return missing_helper(x) + 1; }
