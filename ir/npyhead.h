/* npyhead.h - the header of a NumPy .npy file, the one strict parser
 * shared by the compiler (da.from_npy reads the header at compile time:
 * compiler/collections/array/array_npy.c) and the runtime (each chunk task
 * reads it again: runtime/npy.c), so both accept and refuse the same files.
 * CMakeLists.txt compiles npyhead.c into libtaskir and libtaskrt; it needs
 * only libc and POSIX open/fstat, as the runtime must.
 *
 * A header is "\x93NUMPY", the format version (1.0, 2.0 or 3.0), the
 * length of the dict text (2 bytes little-endian in 1.0, 4 after), then a
 * Python dict literal with exactly the keys 'descr', 'fortran_order' and
 * 'shape' in any order, compact or spaced, padded with spaces and a '\n'.
 * The dict is parsed as Python reads it (strings are skipped as strings, so
 * a value holding "'descr': '<f8'" is no key). */
#ifndef TASKC_NPYHEAD_H
#define TASKC_NPYHEAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum {
  NPYHEAD_MAXDIM = 8,       /* as DA_MAXDIM and TR_MAXDIM */
  NPYHEAD_ERR = 200,        /* room for any message */
  NPYHEAD_MAXLEN = 1 << 20, /* longest dict text accepted */
};

/* The dtypes the compiler and runtime handle: '<f8', '<i8', '|b1'. */
typedef enum { NPYHEAD_F8, NPYHEAD_I8, NPYHEAD_B1 } NpyDtype;

typedef struct NpyHead {
  NpyDtype dtype;
  int ndim;
  int64_t shape[NPYHEAD_MAXDIM];
  int64_t data_off;   /* where the data starts in the file */
  int64_t data_bytes; /* its length: the shape's product times itemsize */
} NpyHead;

/* The dict text h[0..n) into out (all but data_off). false, with what is
 * wrong in err, unless it is a well-formed header of a supported dtype. */
bool npyhead_dict(const char *h, size_t n, NpyHead *out,
                  char err[NPYHEAD_ERR]);

/* A whole header in memory (magic, version, length, dict): buf[0..n) holds
 * at least the header. */
bool npyhead_parse(const unsigned char *buf, size_t n, NpyHead *out,
                   char err[NPYHEAD_ERR]);

/* Opens path for reading; a FIFO, device or directory is refused (without
 * blocking on it) with "not a regular file", other failures with
 * strerror. NULL on failure, with errno set. */
FILE *npyhead_open(const char *path, char err[NPYHEAD_ERR]);

/* Reads and parses the header of f (at its start) and checks that the
 * file holds all the data the header announces. */
bool npyhead_read(FILE *f, NpyHead *out, char err[NPYHEAD_ERR]);

/* Bytes per element of a dtype. */
int64_t npyhead_itemsize(NpyDtype dt);

#endif
