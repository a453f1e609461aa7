/* C functions for bodies/extern-calls.tg: str in, str out, bool in. */
#include <string.h>
#include <stdint.h>
#include <stdbool.h>
int64_t clen(const char *s) { return (int64_t)strlen(s); }
double twice(double x) { return 2 * x; }
const char *hello(bool b) { return b ? "yes" : "no"; }
