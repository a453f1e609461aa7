/* rt.h - internals shared by the files of libtaskrt.a (not part of the ABI).
 *
 *   main.c    the executable's command line
 *   sched.c   the worker pool: counters, ready queues, stealing, sleeping
 *   prep.c    what a run needs first (counters, initial keys), cached per process
 *   heap.c    the per-worker priority queue
 *   fail.c    task failure: tr_fail, the longjmp back to the worker
 *   value.c   objects and reference counts
 *   cmp.c     equality, ordering, truthiness
 *   arith.c   checked arithmetic helpers (tr_int_*, tr_float_*)
 *   ops_arith.c  + - * / // % ** abs neg pos on tagged values
 *   ops_seq.c    sum min max any all len list tuple sorted getitem
 *   ops_conv.c   int float bool str round, comparison operators
 *   ops_math.c   math.*
 *   ops_misc.c   print, time.*, random.*
 *   buf.c     growable byte buffer
 *   repr.c    Python repr / str, shortest round-trip floats
 *   json.c    JSON as Python's json.dumps writes it (the --format json output)
 *   json_load.c, json_dump.c  json.loads and json.dumps for programs
 *   output.c  the outputs on stdout (text or JSON)
 *   save.c    --save DIR
 *   rng.c     per-thread xoshiro256**
 *   bench.c   --bench */
#ifndef TASKRT_RT_H
#define TASKRT_RT_H

#include <setjmp.h>
#include <stdio.h>

#include "pyfloat.h" /* pyfloat_repr, pyfloat_digits: shared with taskc */
#include "taskrt.h"

/* ---- buf.c ---- */
typedef struct Buf {
  char *p;
  size_t len, cap;
} Buf;
void buf_putc(Buf *b, char c);
void buf_puts(Buf *b, const char *s);
void buf_putn(Buf *b, const char *s, size_t n);
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *buf_cstr(Buf *b); /* NUL-terminated; the caller owns b->p */
/* file_write.c: writes the file whole (making its folders); its absolute,
 * normalised path, as Dask's writers return it. A failure fails the task. */
TrStr *tr_write_whole(const char *path, const char *data, size_t len);

/* ---- repr.c ---- */
void repr_value(Buf *b, const TrValue *v);
void repr_int(Buf *b, int64_t i); /* str() of an int, also a big */
void str_value(Buf *b, const TrValue *v); /* Python str() */
const char *tr_type_name(const TrValue *v);

/* ---- json.c ---- */
/* Appends the JSON text of v; on a value JSON can't hold (a tuple as a dict
 * key) returns false with *err set. */
bool json_value(Buf *b, const TrValue *v, const char **err);
/* x as json.dumps writes a float (NaN, Infinity, -Infinity). */
void json_float(Buf *b, double x);
/* A str as json.dumps writes it (ensure_ascii: \uXXXX, surrogate pairs). */
void json_str(Buf *b, const char *s, int64_t len);

/* ---- json_load.c, json_dump.c: json.loads and json.dumps ---- */
/* json.loads of the UTF-8 text s[0..len) into *out (owned); fails the task
 * with Python's JSONDecodeError text. */
void tr_json_loads(const char *s, int64_t len, TrValue *out);
/* The same, but a malformed text gives false with the message appended to
 * *why (and *out untouched) instead of failing the task. KEYS (or NULL),
 * zeroed before the first parse and freed with tr_json_keys_free after the
 * last, shares the objects' keys between the values parsed. */
enum { TR_JSON_KEYS = 64 };
typedef struct TrJsonKeys {
  TrValue slot[TR_JSON_KEYS];
} TrJsonKeys;
bool tr_json_parse(const char *s, int64_t len, TrValue *out, Buf *why, TrJsonKeys *keys);
void tr_json_keys_free(TrJsonKeys *k);
/* json.dumps(v) with the default arguments, appended to b; fails the task
 * with Python's TypeError text on what JSON cannot hold (b released). */
void tr_json_dumps(Buf *b, const TrValue *v);

/* ---- value.c ---- */
int64_t tr_live_objects(void);   /* objects alive, for tests */
void tr_live_flush(void);        /* fold this thread's count in (worker exit) */
TrValue tr_int(int64_t i);
TrValue tr_float(double f);
TrValue tr_bool(bool b);
TrValue tr_obj(int64_t tag, void *p);
TrStr *tr_str_alloc(int64_t len); /* data for the caller to fill */
/* A new str from C text, as a value (refcount 1). */
TrValue tr_str_value(const char *s, int64_t len);
/* Dict lookup by Python equality; NULL if missing. */
TrValue *tr_dict_get(const TrDict *d, const TrValue *k);
/* dict.c: lookup through the hash index; keeping it after an insertion */
TrValue *tr_dict_find(const TrDict *d, const TrValue *k);
void tr_dict_indexed(TrDict *d);

/* ---- cmp.c ---- */
enum { CMP_LT, CMP_LE, CMP_EQ, CMP_NE, CMP_GT, CMP_GE };
bool tr_equal(const TrValue *a, const TrValue *b);
bool tr_compare(const TrValue *a, const TrValue *b, int op); /* fails on bad types */
bool tr_truthy(const TrValue *v);
/* Items of a list/tuple/dict(keys) without copying; str gives NULL and
 * *is_str. Fails "'T' object is not iterable" otherwise. */
const TrValue *tr_items(const TrValue *v, int64_t *n, bool *is_str);
/* As tr_items, but a str becomes a fresh tuple of 1-char strs in *tmp. */
const TrValue *tr_iter(const TrValue *v, int64_t *n, TrValue *tmp);

/* ---- ops_arith.c ---- */
enum { AR_ADD, AR_SUB, AR_MUL, AR_TRUEDIV, AR_FLOORDIV, AR_MOD, AR_POW };
TrValue tr_arith(int op, const TrValue *a, const TrValue *b); /* owned result */

/* ---- bigint_ops.c: the big paths of arith.c's helpers ---- */
int64_t tr_int_divmod_slow(int64_t a, int64_t b, bool mod); /* b != 0 */
int64_t tr_int_pow_slow(int64_t a, int64_t b);              /* b >= 0 */

/* ---- fail.c ---- */
#define TR_MSG_MAX 512
/* Per thread: where tr_fail jumps to (NULL outside a task: print and exit). */
extern _Thread_local jmp_buf *tr_fail_jmp;
extern _Thread_local char tr_fail_msg[TR_MSG_MAX];
extern _Thread_local uint32_t tr_cur_task; /* the task this thread runs */
/* Temporaries of a running op (pointers to its locals), released if the op
 * fails so a caught failure leaks nothing; LIFO, at most 8 deep. */
void tr_guard(const TrValue *v);
void tr_unguard(int n);
/* Print "error: task KEY failed: MSG" exactly as the executable does. */
void tr_report_failure(FILE *f, const char *key, const char *msg);
/* The key of the inner task a fused task is running (tr_subtask), or NULL. */
const char *tr_subtask_key(void);

/* ---- rng.c ---- */
extern uint64_t tr_seed;           /* from --seed, else time-based */
void tr_rng_init(uint64_t worker);  /* this thread's generator */
uint64_t tr_rng_next(void);

/* ---- output.c, save.c, bench.c: what the executable does after a run ---- */
/* Text (`name = repr` lines) or one JSON object on stdout; 0 or exit status. */
int tr_write_outputs(const TrProgram *p, const TrValue *slots, bool json);
/* Says that stdout could not be written (errno) and returns 1. */
int tr_stdout_error(void);
/* An output's name as text output shows it: control characters escaped as
 * in a Python string literal ("a\\nb"), so one output is one line. A '\\'
 * stays as it is: tuple keys' names are already reprs (docs/runtime.md). */
void tr_put_name(Buf *b, const char *name);
int tr_save_outputs(const TrProgram *p, const TrValue *slots, const char *dir);
int tr_bench(const TrProgram *p, int nthreads, int repeat);

/* ---- print lock (ops_misc.c): stdout writes from tasks are serialised ---- */
void tr_stdout_lock(void);
void tr_stdout_unlock(void);

/* ---- ops_math.c ---- */
/* An int, bool or float as a double; anything else fails the task with
 * CPython's "must be real number" TypeError (math.* and time/random use it). */
double tr_real(const TrValue *v);

/* str.c: the bounds of s.split(sep, maxsplit)'s pieces without making
 * them: the first TR_PIECES_MAX into at/len; returns how many there are. */
enum { TR_PIECES_MAX = 64 };
int64_t tr_str_pieces(const TrStr *s, const TrStr *sep, int64_t maxsplit, const char **at,
                      int64_t *len);
/* dict.c: the value of the str key with these bytes (h: tr_str_hash of
 * them), or NULL. */
uint64_t tr_str_hash(const char *p, int64_t n);
TrValue *tr_dict_find_bytes(const TrDict *d, const char *p, int64_t n, uint64_t h);
/* Loads ahead what looking up keys of these hashes will read. */
void tr_dict_prefetch(const TrDict *d, const uint64_t *h, int64_t n);

#endif
