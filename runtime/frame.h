/* frame.h - dataframe partitions inside libtaskrt (not part of the ABI):
 *
 *   frame.c        TrFrame objects, head, column selection
 *   frame_ops.c    element-wise arithmetic and comparisons, boolean filters
 *   frame_reduce.c Series sum, count, min, max, mean and len
 *   frame_csv.c    a read_csv block into a frame
 *   frame_csv_map.c  its file opened and checked, the block mapped
 *   frame_stats.c  describe(): per-partition statistics and their aggregate
 *   frame_groupby.c  groupby aggregations and value_counts (Dask's aca)
 *   frame_transform.c  assign, dropna, fillna, astype
 *   frame_print.c  a frame or series as pandas prints it
 *   frame_json.c   a frame or series as --format json writes it
 *   frame_dates.c  datetime64[ns] columns: .dt fields, their text
 *   frame_write.c  a frame as pandas' to_csv writes it (to_csv, --save) */
#ifndef TASKRT_FRAME_H
#define TASKRT_FRAME_H

#include "rt.h"

/* The column of frame f named (s, n), or -1. */
int64_t frame_find_col(const TrFrame *f, const char *s, int64_t n);
const char *frame_dtype_name(int64_t dtype); /* "float64", ... */
/* Column names that are int labels (read_csv(header=None): 0, 1, ...) are
 * '\x1e' then the digits; the text shows the digits, JSON an int. */
bool frame_name_is_int(const TrStr *name);
const char *frame_name_text(const TrStr *name); /* without the mark */
/* dst's index: src's labels of the rows ROWS[0 .. dst->nrows) (NULL: the
 * first dst->nrows rows). */
void frame_copy_index(TrFrame *dst, const TrFrame *src, const int64_t *rows);
void frame_free(TrFrame *f);
/* Rows [lo, lo + dst->nrows) of column c of src into column c2 of dst,
 * name and all. */
void frame_copy_rows(TrFrame *dst, int64_t c2, const TrFrame *src, int64_t c, int64_t lo);
/* v as a frame, or the task fails naming op. */
const TrFrame *frame_arg(const TrValue *v, const char *op);                 /* value.c's free of a TR_FRAME */
/* frame_stats.c: NumPy's float sums, Dask's variance */
typedef struct Moment { /* Dask's moment parts of a column: total, n, M2 */
  double total, m2;
  int64_t n;
} Moment;
/* da.nanvar(split_every=False, ddof=1) of the parts m[0..k) (clobbered) */
double frame_nanvar(Moment *m, int64_t k);
double frame_pairwise(const double *a, int64_t n); /* pairwise_sum: 0.0 + ... */
double frame_np_sum(const double *a, int64_t n);   /* np.sum: buffers of 8192 */
/* The values at ranks want[0..nw) (ascending) of a[0..n) (n > 0, no NaN,
 * min mn, max mx) into out: np.partition's. */
void frame_select(const double *a, int64_t n, const int64_t *want, int nw, double mn,
                  double mx, double *out);
/* np.argsort(v[0..num), kind="quicksort") of NumPy 1.24 into tosort */
void frame_np_argsort(const double *v, int64_t *tosort, int64_t num);
/* frame_print.c: pandas' repr */
void repr_frame(Buf *b, const TrFrame *f);
/* frame_dates.c: datetime64[ns] text: -1 dates only, else fraction digits */
int frame_dt_precision(const int64_t *v, int64_t n);
void frame_dt_text(Buf *b, int64_t ns, int prec);
void frame_dt_iso(Buf *b, int64_t ns); /* quoted; not NaT */
/* frame_write.c: pandas' to_csv of f (sep, whether the index and the
 * header are written) */
void frame_csv_text(Buf *b, const TrFrame *f, char sep, bool index, bool header);
/* frame_csv_fast.c: a read_csv block of N bytes at T in one pass (its
 * first LIMIT rows if LIMIT >= 0), or NULL where frame_csv.c must read it
 * the general way */
TrFrame *frame_csv_fast(const char *t, int64_t n, bool header, char sep, const TrSeq *names,
                        const TrSeq *dtypes, int64_t limit);
/* frame_csv.c: the same block read the general way (the cell table and
 * pandas' passes); TEXT (malloc'd) is freed */
TrFrame *frame_csv_general(char *text, int64_t len, bool header, char sep, const TrSeq *names,
                           const TrSeq *dtypes);
/* frame_csv_map.c: a read_csv block's file, checked, and the block mapped */
/* The file at PATH opened, if its size and modification time (ns) are
 * those the compiler saw; else the task fails. */
int frame_csv_open(const char *path, int64_t size, int64_t mtime);
typedef struct FrameMap {
  void *base; /* the mapping (NULL for an empty block) */
  size_t len;
  const char *text; /* the block's lines: N bytes */
  int64_t n;
} FrameMap;
/* The lines of the block (OFFSET, LENGTH) of the file at PATH (as
 * csv_block_lines), mapped: true, or false when it cannot be (read it
 * instead). Until frame_csv_unmap, a SIGBUS from the file being cut short
 * ends the process with an error naming it. */
bool frame_csv_map(const char *path, int64_t offset, int64_t length, int64_t size,
                   int64_t mtime, FrameMap *m);
void frame_csv_unmap(FrameMap *m);
/* frame_json.c */
void json_frame(Buf *b, const TrFrame *f);

#endif
