/* C side of extern.tg's scale(); extern.py has its Python stand-in. */
#include <stdint.h>

int64_t scale(int64_t x, int64_t k) { return x * k + 1; }
