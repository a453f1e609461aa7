/* coll_files.h - the files a collection's path argument names
 * (dd.read_csv, db.read_text), expanded as fsspec's get_fs_token_paths
 * does for reading: one path, a glob (its matches sorted), or a list or
 * tuple of those in the list's order. Shared, so that every reader finds
 * the same files the same way. */
#ifndef TASKC_COLL_FILES_H
#define TASKC_COLL_FILES_H

#include <stdint.h>

#include "builder.h"

typedef struct CollFile {
  const char *path;    /* absolute (realpath) */
  int64_t size, mtime; /* bytes; modification time in ns, when compiled */
} CollFile;

typedef struct CollFiles {
  CollFile *f;
  int n, cap;
} CollFiles;

/* The files of V (a str or a list/tuple of str). A relative path is
 * relative to the program's directory (LOC's file), as from_npy's are.
 * Errors go to LOC and name FN ("read_csv"): a missing file, a glob
 * without matches ("'x-*.txt' resolved to no files"), a non-str path,
 * no files at all. Every file must be a regular file. */
CollFiles coll_files(Eval *e, Value *v, const char *fn, Loc loc);

/* The files a writer (to_csv, to_textfiles) of n partitions writes, as
 * Dask names them: a '*' in PATH is the partition number, zero-padded to
 * the widest (build_name_function); a path without one is a folder of
 * '*.part' files. Errors at LOC name FN. */
const char **coll_write_names(Eval *e, Value *path, Loc loc, const char *fn, int n);

/* dask.utils.parse_bytes: "128MiB", "1e6", "2 GB", "kB". -1 if not one.
 * (Array chunk sizes, read_text's blocksize.) */
int64_t coll_parse_bytes(const char *text);

#endif
