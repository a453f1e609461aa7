/* bigint.h - internals of runtime/bigint*.c (not part of the ABI): the
 * TrBig object behind an encoded int (taskrt.h, TR_BIG_LIMIT). */
#ifndef TASKRT_BIGINT_H
#define TASKRT_BIGINT_H

#include <gmp.h>

#include "taskrt.h"

typedef struct TrBig {
  struct TrBig *next; /* the arena's list, or the kept list */
  int64_t kept;       /* 1: outlives its task (until the process exits) */
  mpz_t z;
} TrBig;

static inline TrBig *big_of(int64_t v) {
  return (TrBig *)(uintptr_t)((uint64_t)v - (uint64_t)INT64_MIN);
}

/* A TrBig with z initialised to 0, not yet owned by anyone. */
TrBig *big_alloc(void);
/* The int of b->z: a plain int64 (b freed) when it fits outside the
 * reserved range, else b encoded and put into this task's arena. */
int64_t big_finish(TrBig *b);
/* v as an mpz to read: a big's own, or a view of a plain value on limb. */
mpz_srcptr big_view(int64_t v, mpz_ptr tmp, mp_limb_t *limb);

#endif
