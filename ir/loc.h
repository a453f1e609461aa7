/* loc.h - source files and locations, shared by every stage. */
#ifndef TASKC_LOC_H
#define TASKC_LOC_H

#include <stddef.h>

typedef struct SrcFile {
  const char *name; /* as given on the command line */
  const char *text; /* whole contents, NUL-terminated */
  size_t len;
} SrcFile;

/* line and col are 1-based; col counts bytes. A Loc with file == NULL means
 * "no location" (e.g. a task created by a pass). */
typedef struct Loc {
  const SrcFile *file;
  int line, col;
} Loc;

#endif
