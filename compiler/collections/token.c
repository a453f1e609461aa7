/* token.c - key names of collections: prefix-<32 hex digits>, a hash of
 * what made them, as Dask's tokenize names keys (not Dask's digits: the
 * same operation on the same input gets the same name, a different one
 * another). */
#include <stdint.h>

#include "builder.h"

/* FNV-1a, twice with different seeds: 128 bits, 32 hex digits. */
static uint64_t fnv(const char *s, uint64_t h) {
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
  return h;
}

const char *coll_token_name(Eval *e, const char *prefix, const char *what) {
  uint64_t h1 = fnv(what, 0xcbf29ce484222325ull), h2 = fnv(what, 0x84222325cbf29ce4ull);
  return arena_printf(eval_arena(e), "%s-%016llx%016llx", prefix, (unsigned long long)h1,
                      (unsigned long long)h2);
}
