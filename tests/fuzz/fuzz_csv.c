/* fuzz_csv.c - libFuzzer target for the CSV reader of dd.read_csv's
 * partitions: the one-pass reader (runtime/frame_csv_fast.c) against the
 * general one (runtime/frame_csv.c), on the same block.
 *
 * The input's first bytes choose the shape: the number of columns (1-4),
 * each column's dtype (as the compiler passes them: float64, int64,
 * object, datetime64[ns], bool, "" for a column usecols= leaves out,
 * "=int64" for dtype=), the separator and whether the block starts with
 * the header; the rest is the block's text. Beyond not crashing: when the
 * fast reader gives a partition, the general one must give the same
 * (written as --format json writes it) and not fail; a failure of the
 * general reader is a task failure with a message (tr_fail), never a
 * crash. A failed general read frees its block on the way out, so leaks
 * are checked too. Build and run with tests/fuzz/run.sh. */
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"

static const char *const dtypes_all[] = {"float64", "int64",          "object", "datetime64[ns]",
                                         "bool",    "",               "=int64", "=float64",
                                         "=object", "=datetime64[ns]"};
static const char seps[] = {',', ';', '\t', '|'};

static TrSeq *strs(const char *const *s, int n) {
  TrSeq *t = tr_seq_new(n);
  for (int i = 0; i < n; i++)
    t->items[i] = tr_str_value(s[i], (int64_t)strlen(s[i]));
  return t;
}

/* The general reader's partition as JSON text, or NULL if it failed. */
static char *general(const char *text, size_t n, bool header, char sep, const TrSeq *names,
                     const TrSeq *dtypes) {
  static jmp_buf jb;
  tr_fail_jmp = &jb;
  if (setjmp(jb)) {
    tr_fail_jmp = NULL;
    if (!tr_fail_msg[0])
      abort(); /* a failure without a message */
    return NULL;
  }
  char *copy = malloc(n + 1); /* frame_csv_general takes it */
  memcpy(copy, text, n);
  copy[n] = 0;
  TrFrame *f = frame_csv_general(copy, (int64_t)n, header, sep, names, dtypes);
  tr_fail_jmp = NULL;
  Buf b = {0};
  json_frame(&b, f);
  TrValue fv = tr_obj(TR_FRAME, f);
  tr_decref(&fv);
  return buf_cstr(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 6)
    return 0;
  int ncols = 1 + data[0] % 4;
  const char *cols[4], *types[4];
  static const char *const names_all[] = {"a", "b", "c", "d"};
  for (int c = 0; c < ncols; c++) {
    cols[c] = names_all[c];
    types[c] = dtypes_all[data[1 + c] % (sizeof dtypes_all / sizeof *dtypes_all)];
  }
  char sep = seps[data[5] % 4];
  bool header = data[5] & 4;
  const char *text = (const char *)data + 6;
  size_t n = size - 6;
  TrSeq *names = strs(cols, ncols), *dtypes = strs(types, ncols);
  static jmp_buf jb;
  tr_fail_jmp = &jb;
  TrFrame *fast = NULL;
  if (!setjmp(jb))
    fast = frame_csv_fast(text, (int64_t)n, header, sep, names, dtypes, -1);
  else
    abort(); /* the fast reader gives up (NULL), it does not fail */
  tr_fail_jmp = NULL;
  char *slow = general(text, n, header, sep, names, dtypes);
  if (fast) {
    Buf b = {0};
    json_frame(&b, fast);
    char *quick = buf_cstr(&b);
    if (!slow || strcmp(quick, slow))
      abort(); /* the two readers disagree */
    free(quick);
    TrValue fv = tr_obj(TR_FRAME, fast);
    tr_decref(&fv);
  }
  free(slow);
  TrValue nv = tr_obj(TR_TUPLE, names), dv = tr_obj(TR_TUPLE, dtypes);
  tr_decref(&nv);
  tr_decref(&dv);
  return 0;
}
