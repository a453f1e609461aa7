/* array_chunks.c - chunks= as Dask reads it (dask/array/core.py,
 * normalize_chunks and auto_chunks; rechunk.py for rechunk's forms).
 *
 * A spec is an int, -1 or None (the whole axis), a tuple of sizes, 'auto',
 * a byte size ('100 MiB': 'auto' under that limit), or a tuple or dict
 * (rechunk) of those per axis. 'auto' picks chunk sizes so that a block
 * holds about array.chunk-size bytes (128 MiB, Dask's default), the same
 * floating-point arithmetic as Dask's, so the chunks are Dask's: without
 * previous chunks (array creation) every auto axis gets the same size,
 * rounded to the axis; with them (rechunk) each auto axis grows or shrinks
 * from the median of its chunks, keeping the common chunk size's
 * multiples. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../coll_files.h"
#include "array.h"

enum { CHUNK_SIZE_LIMIT = 128 << 20 }; /* Dask's array.chunk-size */

/* One axis of a spec while it is being resolved. */
typedef enum { AX_SIZE, AX_TUPLE, AX_AUTO } AxKind;
typedef struct Ax {
  AxKind kind;
  double size;      /* AX_SIZE (Dask's auto sizes may be floats) */
  int64_t *chunks;  /* AX_TUPLE */
  int n;
} Ax;

static void regular_chunks(Eval *e, int64_t len, int64_t size, int64_t **out,
                           int *n, Loc loc) {
  if (size == -1 || size >= len || len == 0)
    size = len > 0 ? len : 1;
  if (size <= 0)
    diag_error(loc, "chunk sizes must be positive");
  /* counted in int64 without len + size - 1 (it may overflow), checked
   * before it narrows to int */
  int64_t count = len == 0 ? 1 : len / size + (len % size != 0);
  if (count > 100000000)
    diag_error(loc, "too many chunks (%lld along one axis; at most 100 "
               "million)", (long long)count);
  *n = (int)count;
  *out = ARENA_ARRAY(eval_arena(e), int64_t, *n);
  for (int i = 0; i < *n; i++)
    (*out)[i] = len - (int64_t)i * size < size ? len - (int64_t)i * size : size;
  if (len == 0)
    (*out)[0] = 0;
}

/* Dask's round_to: c below s stays (at least 1), else a multiple of s. */
static double round_to(double c, double s) {
  return c <= s ? fmax(1, floor(c)) : floor(c / s) * s;
}

static double largest_block(const Ax *ax, int nd) {
  double p = 1;
  for (int d = 0; d < nd; d++) {
    if (ax[d].kind == AX_SIZE)
      p *= ax[d].size;
    else if (ax[d].kind == AX_TUPLE) {
      int64_t mx = 0;
      for (int i = 0; i < ax[d].n; i++)
        mx = ax[d].chunks[i] > mx ? ax[d].chunks[i] : mx;
      p *= (double)mx;
    }
  }
  return p;
}

/* Creation: every auto axis gets (limit / itemsize / rest) ** (1/autos);
 * axes shorter than that are whole, and the rest is recomputed. */
static void auto_fresh(Ax *ax, int nd, const int64_t *shape, double limit,
                       double itemsize) {
  for (;;) {
    int nauto = 0;
    for (int d = 0; d < nd; d++)
      nauto += ax[d].kind == AX_AUTO;
    if (!nauto)
      return;
    double size = pow(limit / itemsize / largest_block(ax, nd), 1.0 / nauto);
    bool small = false;
    for (int d = 0; d < nd; d++)
      if (ax[d].kind == AX_AUTO && (double)shape[d] < size) {
        ax[d] = (Ax){AX_SIZE, (double)shape[d], NULL, 0};
        small = true;
      }
    if (small)
      continue;
    for (int d = 0; d < nd; d++)
      if (ax[d].kind == AX_AUTO)
        ax[d] = (Ax){AX_SIZE, round_to(size, (double)shape[d]), NULL, 0};
    return;
  }
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

static double median(Eval *e, const int64_t *c, int n) {
  int64_t *s = ARENA_ARRAY(eval_arena(e), int64_t, n);
  memcpy(s, c, sizeof(int64_t) * (size_t)n);
  qsort(s, (size_t)n, sizeof *s, cmp_i64);
  return n % 2 ? (double)s[n / 2] : ((double)s[n / 2 - 1] + (double)s[n / 2]) / 2;
}

/* The most frequent chunk size if it is above 1 and covers half of the
 * chunks (first seen wins a tie, as Python's max over a dict), else the
 * axis length: what auto sizes are rounded to. */
static double ideal(const DArray *prev, int d) {
  int64_t best = 0;
  int count = 0;
  for (int i = 0; i < prev->nblocks[d]; i++) {
    int k = 0;
    for (int j = 0; j < prev->nblocks[d]; j++)
      k += prev->chunks[d][j] == prev->chunks[d][i];
    bool seen = false;
    for (int j = 0; j < i; j++)
      seen |= prev->chunks[d][j] == prev->chunks[d][i];
    if (!seen && k > count) {
      best = prev->chunks[d][i];
      count = k;
    }
  }
  return best > 1 && count >= prev->nblocks[d] / 2.0 ? (double)best
                                                     : (double)prev->shape[d];
}

static double multiplier(double limit, double itemsize, double largest,
                         const double *result, const bool *in, int nd) {
  double p = 1;
  for (int d = 0; d < nd; d++)
    if (in[d] && result[d] != 0)
      p *= result[d];
  return limit / itemsize / largest / p;
}

/* Rechunk: each auto axis scales from its median chunk until the block
 * holds `limit` bytes, axes that reach their length stop (Dask's loop). */
static void auto_previous(Eval *e, Ax *ax, int nd, const int64_t *shape,
                          const DArray *prev, double limit, double itemsize) {
  bool autos[DA_MAXDIM] = {false}, last[DA_MAXDIM] = {false};
  double result[DA_MAXDIM] = {0}, id[DA_MAXDIM];
  int nauto = 0;
  for (int d = 0; d < nd; d++) {
    id[d] = ideal(prev, d);
    if (ax[d].kind == AX_AUTO) {
      autos[d] = true;
      nauto++;
      result[d] = median(e, prev->chunks[d], prev->nblocks[d]);
    }
  }
  double largest = largest_block(ax, nd);
  double m = multiplier(limit, itemsize, largest, result, autos, nd), lastm = 0;
  while (m != lastm || memcmp(autos, last, sizeof autos)) {
    lastm = m;
    memcpy(last, autos, sizeof autos);
    int n = nauto;
    for (int d = 0; d < nd; d++) {
      if (!autos[d])
        continue;
      if (id[d] == 0) {
        result[d] = 0;
        continue;
      }
      double proposed = result[d] * pow(m, 1.0 / n);
      if (proposed > (double)shape[d]) {
        autos[d] = false;
        nauto--;
        largest *= (double)shape[d];
        ax[d] = (Ax){AX_SIZE, (double)shape[d], NULL, 0};
      } else {
        result[d] = round_to(proposed, id[d]);
      }
    }
    m = multiplier(limit, itemsize, largest, result, autos, nd);
  }
  for (int d = 0; d < nd; d++)
    if (autos[d])
      ax[d] = (Ax){AX_SIZE, result[d], NULL, 0};
}

/* One axis of the spec: an int, -1/None (whole; None keeps the previous
 * chunks in rechunk), a tuple of sizes, 'auto' or a byte size. */
static Ax read_axis(Eval *e, Value *c, int d, const int64_t *shape,
                    const DArray *prev, int64_t *limit, Loc loc) {
  if (c->kind == V_NONE && prev)
    return (Ax){AX_TUPLE, 0, prev->chunks[d], prev->nblocks[d]};
  if (c->kind == V_NONE)
    return (Ax){AX_SIZE, (double)shape[d], NULL, 0};
  if (c->kind == V_STR) {
    if (strcmp(c->str.s, "auto")) {
      int64_t b = coll_parse_bytes(c->str.s);
      if (b < 0)
        diag_error(loc, "Could not interpret '%s' as a byte size", c->str.s);
      if (*limit && b != *limit)
        diag_error(loc, "Only one consistent value of limit or chunk is "
                   "allowed.Used %lld != %lld", (long long)b,
                   (long long)*limit);
      *limit = b;
    }
    return (Ax){AX_AUTO, 0, NULL, 0};
  }
  if (c->kind == V_TUPLE || c->kind == V_LIST) {
    int64_t sum = 0, *ch = ARENA_ARRAY(eval_arena(e), int64_t, c->seq.n + 1);
    for (int i = 0; i < c->seq.n; i++) {
      ch[i] = da_int(e, c->seq.items[i], loc, "a chunk size");
      if (ch[i] < 0)
        diag_error(loc, "chunk sizes must not be negative");
      sum += ch[i];
    }
    if (sum != shape[d] || c->seq.n == 0)
      diag_error(loc, "chunks %s do not add up to the shape %lld of axis %d",
                 v_repr(eval_arena(e), c), (long long)shape[d], d);
    return (Ax){AX_TUPLE, 0, ch, c->seq.n};
  }
  int64_t n = da_int(e, c, loc, "a chunk size");
  return (Ax){AX_SIZE, n == -1 ? (double)shape[d] : (double)n, NULL, 0};
}

/* The per-axis specs of `spec`: one for all axes, a tuple or list with
 * one per axis (a 1-d array also takes a tuple of sizes), or a dict of
 * axis -> spec (the others keep their chunks in rechunk, else whole). */
static void read_spec(Eval *e, Value *spec, int nd, const int64_t *shape,
                      const DArray *prev, Ax *ax, int64_t *limit, Loc loc) {
  if (spec->kind == V_DICT) {
    Value *none = v_none();
    for (int d = 0; d < nd; d++)
      ax[d] = read_axis(e, none, d, shape, prev, limit, loc);
    for (int i = 0; i < spec->dict->n; i++) {
      int64_t a = eval_need_int(e, spec->dict->keys[i], loc, "an axis");
      if (a < -nd || a >= nd)
        diag_error(loc, "axis %lld is out of bounds for array of dimension "
                   "%d", (long long)a, nd);
      int d = (int)(a < 0 ? a + nd : a);
      ax[d] = read_axis(e, spec->dict->vals[i], d, shape, prev, limit, loc);
    }
    return;
  }
  bool seq = spec->kind == V_TUPLE || spec->kind == V_LIST;
  bool flat = seq && nd == 1 && spec->seq.n > 1;
  for (int i = 0; flat && i < spec->seq.n; i++)
    flat = spec->seq.items[i]->kind == V_INT;
  if (seq && !flat && spec->seq.n != nd)
    diag_error(loc, "chunks %s do not match an array of %d dimension%s",
               v_repr(eval_arena(e), spec), nd, nd == 1 ? "" : "s");
  for (int d = 0; d < nd; d++)
    ax[d] = read_axis(e, seq && !flat ? spec->seq.items[d] : spec, d, shape,
                      prev, limit, loc);
}

void da_normalize_chunks(Eval *e, Value *spec, int ndim, const int64_t *shape,
                         Type *dtype, const DArray *prev, int64_t **chunks,
                         int *nblocks, Loc loc) {
  if (spec && spec->kind == V_NONE)
    diag_error(loc, "You must specify a chunks= keyword argument. This "
               "specifies the chunksize of your array blocks.");
  Value autos = {.kind = V_STR, .str = {.s = "auto", .len = 4}};
  Ax ax[DA_MAXDIM];
  int64_t limit = 0;
  read_spec(e, spec ? spec : &autos, ndim, shape, prev, ax, &limit, loc);
  double lim = limit ? (double)(limit > 1 ? limit : 1) : CHUNK_SIZE_LIMIT;
  double itemsize = dtype == ty_bool ? 1 : 8;
  if (prev)
    auto_previous(e, ax, ndim, shape, prev, lim, itemsize);
  else
    auto_fresh(ax, ndim, shape, lim, itemsize);
  for (int d = 0; d < ndim; d++) {
    if (ax[d].kind == AX_TUPLE) {
      chunks[d] = ax[d].chunks;
      nblocks[d] = ax[d].n;
    } else {
      regular_chunks(e, shape[d], (int64_t)ax[d].size, &chunks[d],
                     &nblocks[d], loc);
    }
  }
}
