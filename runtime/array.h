/* array.h - internals of the array files of libtaskrt.a (not the ABI):
 *
 *   array.c        allocation, the 2-D float64 chunk product
 *   array_print.c  NumPy's repr of arrays, JSON nested lists
 *   npy.c          .npy files (format 1.0): --save, reading
 *   rng_array.c    counter-based random numbers, the ziggurat tables */
#ifndef TASKRT_ARRAY_H
#define TASKRT_ARRAY_H

#include "rt.h"

/* value.c: arrays count themselves in tr_live_objects() */
void tr_live_add(int64_t d);

/* array.c */
int64_t tr_dtype_size(int64_t dtype); /* bytes per element */
/* Frees a's data block and gives its bytes back to the memory budget
 * (memlimit.h); value.c frees the header. */
void tr_array_free_data(TrArray *a);

/* array_print.c: appends numpy's repr of a (a 0-d array prints as the NumPy
 * scalar Dask's compute() returns: 5500000.000000018, 3, True) */
void repr_array(Buf *b, const TrArray *a);
void str_array(Buf *b, const TrArray *a); /* numpy's str(a), print(a) */
/* appends nested JSON lists with full precision (0-d: a scalar) */
void json_array(Buf *b, const TrArray *a);

/* array_tensordot.c: np.tensordot of two chunks with Dask's length-1 axes
 * at a's contracted axes; axes packs them (count in bits 0-3, a's axes 4
 * bits each from bit 4, b's from bit 36); dtype TR_F64 or TR_I64. */
TrArray *tr_array_tensordot(const TrArray *a, const TrArray *b, int64_t axes,
                            int64_t dtype);

/* np.einsum of one block (b = a for one operand) for the contractions
 * array_tensordot.c lists; how: the kind in bits 0-7, Dask's trailing
 * length-1 axes in bits 8-15. */
TrArray *tr_array_einsum(const TrArray *a, const TrArray *b, int64_t how,
                         int64_t dtype);

/* array_topk.c: one step of Dask's topk/argtopk along axis (k < 0: the
 * smallest); flags: 1 pairs in, 2 make (value, off + index) pairs, 4 the
 * aggregate (sorted; with pairs: the indices). */
TrArray *tr_array_topk(const TrArray *x, int64_t k, int64_t axis,
                       int64_t off, int64_t flags);

/* array_hist.c: np.bincount of a chunk into nbins (w: weights when
 * weighted, float64 result), np.histogram of a chunk against the edges
 * (shape (1, nbins)) */
TrArray *tr_array_bincount(const TrArray *x, const TrArray *w, int64_t nbins,
                           int64_t weighted);
TrArray *tr_array_histogram(const TrArray *x, const TrArray *w,
                            const TrArray *edges, int64_t weighted);

/* array_poisson.c: the Poisson(lam) variate of the uniform u in [0, 1):
 * the smallest k with P(X <= k) > u (inversion). */
int64_t tr_rng_poisson_inv(double u, double lam);

/* Element i of a float64, int64 or bool array as a double / as an int64
 * (int64 or bool): the readers of the SCALAR array ops. */
static inline double tr_array_get_f64(const TrArray *x, int64_t i) {
  switch (x->dtype) {
  case TR_F64: return ((const double *)x->data)[i];
  case TR_I64: return (double)((const int64_t *)x->data)[i];
  default: return ((const uint8_t *)x->data)[i];
  }
}

static inline int64_t tr_array_get_i64(const TrArray *x, int64_t i) {
  return x->dtype == TR_I64 ? ((const int64_t *)x->data)[i] : ((const uint8_t *)x->data)[i];
}

/* npy.c: writes a as PATH (format 1.0); false with errno set on failure */
bool npy_write(const char *path, const TrArray *a);
/* The same into an open stream (save.c writes a temporary file). */
bool npy_write_file(FILE *f, const TrArray *a);
/* Closes f (NULL: it did not open) after writes that went ok or not: false
 * with errno of the first failure, the close's included. */
bool tr_close_written(FILE *f, bool ok);

#endif
