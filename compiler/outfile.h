/* outfile.h - writing an output file whole or not at all.
 *
 * The bytes go to a temporary file next to the final one (same folder, so
 * the rename is atomic), which is checked (every write, the flush, the
 * close) and then renamed over it: a full disk or an error never leaves a
 * half-written file where one was asked for. Targets that are not regular
 * files (stdout "-", /dev/full, a FIFO) cannot be renamed over: the
 * temporary file is written in $TMPDIR and copied into them, checked.
 *
 * Temporary files not yet committed are removed when the process exits
 * (diag_error/diag_fatal exit), so a failed compile leaves none behind. */
#ifndef TASKC_OUTFILE_H
#define TASKC_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

#include "arena.h"

/* A new empty temporary file for FINAL ("-" is stdout), or NULL with errno
 * set. */
char *outfile_temp(Arena *a, const char *final);
/* A new empty temporary file $TMPDIR/taskc-XXXXXX<suffix> (e.g. the object
 * file of an executable), removed at exit unless outfile_remove'd. */
char *outfile_scratch(Arena *a, const char *suffix);
/* Checks and closes f: false with errno set if any write, the flush or the
 * close failed. */
bool outfile_close(FILE *f);
/* Moves the finished temporary file to FINAL (rename, or copy for stdout
 * and devices). False with errno set on failure; the temporary file is
 * removed either way. */
bool outfile_commit(const char *tmp, const char *final);
/* Removes a temporary file now. */
void outfile_remove(const char *tmp);

#endif
