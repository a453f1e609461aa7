/* bag_text.h - the compile-time half of db.read_text(urlpath, blocksize=,
 * linedelimiter=): its files and each file's blocks, one partition per
 * block. The run-time half is the op bag.read_text (ir/ops.def,
 * runtime/text.c):
 *
 *   bag.read_text(path, offset, length, linedelimiter) -> list[str]
 *
 * with (offset, length) a BagTextBlock of path (length -1: the whole file,
 * blocksize=None) and linedelimiter a str or None, as given.
 *
 * How Dask 2022.12 builds it (dask/bag/text.py), for the graph's shape:
 *   - files: one path, a glob (sorted) or a list of those (bag_text_files).
 *   - blocksize=None (the default): one partition per file, even an empty
 *     one (whose partition is []).
 *   - blocksize=N (an int or a str like "128MiB", parse_bytes): read_bytes'
 *     blocks of each file in file order (bag_text_blocks); an empty file has
 *     none. No blocks at all is Dask's
 *     ValueError: ('No files found', urlpath).
 *   - the partitions are a from_delayed bag. Keys, for a program's
 *     visualize() and errors: the bag is named 'bag-from-delayed-<token>'
 *     and partition i is ('bag-from-delayed-<token>', i). Below each one
 *     Dask has, for blocksize=None, 'list-<token>' over
 *     'file_to_blocks-<token>' (one token per file), and for blocksize=N
 *     'decode-<token>' over 'read-block-<offset>-<token>' (the token is
 *     per file, the offset the block's). taskc runs each partition as one
 *     task, bag.read_text, keyed ('bag-from-delayed-<token>', i).
 *   - Dask errors when blocksize= and files_per_partition= are both given
 *     ("Only one of blocksize or files_per_partition can be set"), and for
 *     compressed files with a blocksize ("Cannot do chunked reads on
 *     compressed files. To read, set blocksize=None"). */
#ifndef TASKC_BAG_TEXT_H
#define TASKC_BAG_TEXT_H

#include <stdint.h>

#include "../coll_files.h"

typedef struct BagTextBlock {
  int64_t offset, length; /* length -1: the whole file */
} BagTextBlock;

/* The blocks Dask's read_bytes cuts the file PATH into for BLOCKSIZE, in
 * *OUT (allocated in A): their number, 0 for an empty file; BLOCKSIZE <= 0
 * (None) is one block (0, -1), empty file or not. -1 (errno set) when
 * PATH cannot be stat'ed (or would have 2^31 blocks: EFBIG). The same arithmetic as dd.read_csv's
 * (runtime/csv_block.c: csv_block_plan). */
int bag_text_blocks(Arena *a, const char *path, int64_t blocksize, BagTextBlock **out);

/* read_text's urlpath argument V as files (coll_files: sorted globs, list
 * order, relative to the program; errors at LOC name read_text). */
CollFiles bag_text_files(Eval *e, Value *v, Loc loc);

#endif
