/* frame.h - dataframe partitions inside libtaskrt (not part of the ABI):
 *
 *   frame.c        TrFrame objects, head, column selection
 *   frame_csv.c    a read_csv block into a frame
 *   frame_stats.c  describe(): per-partition statistics and their aggregate
 *   frame_print.c  a frame or series as pandas prints it
 *   frame_json.c   a frame or series as --format json writes it */
#ifndef TASKRT_FRAME_H
#define TASKRT_FRAME_H

#include "rt.h"

/* The column of frame f named (s, n), or -1. */
int64_t frame_find_col(const TrFrame *f, const char *s, int64_t n);
const char *frame_dtype_name(int64_t dtype); /* "float64", ... */
void frame_free(TrFrame *f);                 /* value.c's free of a TR_FRAME */
/* frame_print.c: pandas' repr */
void repr_frame(Buf *b, const TrFrame *f);
/* frame_json.c */
void json_frame(Buf *b, const TrFrame *f);

#endif
