/* bigint_weak.h - how generic runtime code (printing, hashing, comparing,
 * the executor) reaches runtime/bigint*.c: weakly, so that GMP comes only
 * with the programs that can make a big (a strong reference from generated
 * code to a tr_int_*_slow links bigint.c, which links these in). Without
 * them no big exists and they are never called. Not for bigint*.c itself
 * (its references must stay strong). */
#ifndef TASKRT_BIGINT_WEAK_H
#define TASKRT_BIGINT_WEAK_H

#include "taskrt.h"

#define TR_BIG_WEAK __attribute__((weak))
TR_BIG_WEAK char *tr_int_text(int64_t v, size_t *n);
TR_BIG_WEAK uint64_t tr_int_hash_slow(int64_t v);
TR_BIG_WEAK int64_t tr_int_cmp_slow(int64_t a, int64_t b);
TR_BIG_WEAK int64_t tr_int_float_cmp(int64_t a, double b);
TR_BIG_WEAK double tr_int_to_float_slow(int64_t a);
TR_BIG_WEAK const uint64_t *tr_int_limbs(int64_t v, int64_t *n, int64_t *neg);
TR_BIG_WEAK int64_t tr_int_from_limbs(const uint64_t *limbs, int64_t n, bool neg);
TR_BIG_WEAK void tr_big_task_begin(void);
TR_BIG_WEAK void tr_big_task_end(TrValue *result);
/* Is v a big (only possible when bigint.c is linked in)? */
static inline bool tr_big(int64_t v) { return tr_is_big(v) && tr_int_text; }

#endif
