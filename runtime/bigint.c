/* bigint.c - memory of Python's big ints (taskrt.h, TR_BIG_LIMIT).
 *
 * The static type int stays an int64 everywhere, so a big is not reference
 * counted: copies of it are plain int64 copies that nobody tracks. Instead
 * a big made while a task runs goes into its thread's arena, which the
 * executor empties when the task ends (tr_big_task_end). Before that, the
 * bigs the task's result holds (directly or in lists, tuples, dicts) are
 * copied to kept bigs that live until the process exits: results are few
 * next to temporaries (factorial(2000) makes 2,000 of them for one kept).
 * Inputs a task reads are kept bigs of earlier tasks, alive while it runs.
 * Bigs made outside any task are kept too. */
#include <pthread.h>
#include <stdlib.h>

#include "bigint.h"
#include "memlimit.h"
#include "rt.h"

static _Thread_local TrBig *arena;   /* this task's bigs */
static _Thread_local bool in_task;
static TrBig *kept_list;             /* reachable, for leak checkers */
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;

TrBig *big_alloc(void) {
  TrBig *b = malloc(sizeof *b);
  if (!b)
    tr_oom();
  if ((uintptr_t)b >= ((uintptr_t)1 << 47)) /* outside the encoding's range */
    tr_error("big int allocated above 2^47");
  b->next = NULL;
  b->kept = 0;
  mpz_init(b->z);
  return b;
}

static void big_free(TrBig *b) {
  mpz_clear(b->z);
  free(b);
}

static void keep(TrBig *b) {
  b->kept = 1;
  pthread_mutex_lock(&kept_lock);
  b->next = kept_list;
  kept_list = b;
  pthread_mutex_unlock(&kept_lock);
}

int64_t big_finish(TrBig *b) {
  if (mpz_fits_slong_p(b->z)) {
    long s = mpz_get_si(b->z);
    if (!tr_is_big(s)) {
      big_free(b);
      return s;
    }
  }
  if (in_task) {
    b->next = arena;
    arena = b;
  } else {
    keep(b);
  }
  return (int64_t)((uint64_t)(uintptr_t)b + (uint64_t)INT64_MIN);
}

mpz_srcptr big_view(int64_t v, mpz_ptr tmp, mp_limb_t *limb) {
  if (tr_is_big(v))
    return big_of(v)->z;
  *limb = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
  return mpz_roinit_n(tmp, limb, v < 0 ? -1 : v > 0);
}

void tr_big_task_begin(void) { in_task = true; }

/* An arena big in v becomes a kept copy. */
static void export_value(TrValue *v) {
  switch (v->tag) {
  case TR_INT:
    if (tr_is_big(v->u.i) && !big_of(v->u.i)->kept) {
      TrBig *b = big_alloc();
      mpz_set(b->z, big_of(v->u.i)->z);
      keep(b);
      v->u.i = (int64_t)((uint64_t)(uintptr_t)b + (uint64_t)INT64_MIN);
    }
    break;
  case TR_LIST:
  case TR_TUPLE: {
    TrSeq *s = v->u.p;
    for (int64_t i = 0; i < s->len; i++)
      export_value(&s->items[i]);
    break;
  }
  case TR_DICT: { /* a big key hashes by value: the index stays right */
    TrDict *d = v->u.p;
    for (int64_t i = 0; i < d->len; i++) {
      export_value(&d->keys[i]);
      export_value(&d->vals[i]);
    }
    break;
  }
  default:
    break;
  }
}

void tr_big_task_end(TrValue *result) {
  in_task = false;
  if (!arena)
    return; /* the common case: this task made no big */
  export_value(result);
  while (arena) {
    TrBig *b = arena;
    arena = b->next;
    big_free(b);
  }
}

/* Generic runtime code (printing, hashing, comparing) calls these weakly,
 * so that GMP comes only with the programs that make bigs. Every big is
 * made through big_finish, in this file: referencing them here links them
 * in whenever a big can exist. */
__attribute__((used)) static const void *const linked_with_bigs[] = {
    (const void *)tr_int_text, (const void *)tr_int_hash_slow,
    (const void *)tr_int_cmp_slow, (const void *)tr_int_float_cmp,
    (const void *)tr_int_to_float_slow, (const void *)tr_int_limbs,
    (const void *)tr_int_from_limbs};
