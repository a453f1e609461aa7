/* csv.h - reading CSV files at run time as pandas 1.5 (read_csv, C engine,
 * default options) and Dask 2022.12 (read_bytes with delimiter b'\n') do.
 *
 *   csv_float.c   one field as a float64: pandas' default converter
 *                 (precise_xstrtod), its NA strings and inf spellings
 *   csv_int.c     one field as an int64 or uint64, as pandas' int passes
 *   csv_block.c   Dask's byte blocks of a file and the lines each owns
 *   csv_split.c   a line into fields (pandas' default dialect)
 *   csv_type.c    the dtype pandas gives a column
 *   csv_date.c    a date field (parse_dates=) as nanoseconds
 *   csv_py.c      a text field as Python's float() / int() (Dask's astype)
 *
 * A field is the text the tokenizer leaves (quotes removed, nothing
 * stripped): S with N bytes, no terminating NUL needed. */
#ifndef CSV_H
#define CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csv_plain.h"

/* What a field is, for one column type. */
typedef enum CsvStatus {
  CSV_OK,       /* a value of the type */
  CSV_NA,       /* one of pandas' default NA strings (the empty field too) */
  CSV_BAD,      /* not of the type: pandas tries the next column type */
  CSV_OVERFLOW, /* digits beyond the type's range (ints only) */
  CSV_NEGATIVE, /* a '-' sign where only uint64 would do (csv_parse_u64 only) */
} CsvStatus;

/* pandas' isdigit_ascii and isspace_ascii (C's isspace in the "C" locale:
 * ' ', \t, \n, \v, \f, \r); bytes above 0x7f are neither. */
static inline bool csv_is_digit(char c) { return (unsigned char)(c - '0') < 10; }
static inline bool csv_is_space(char c) { return c == ' ' || (unsigned char)(c - '\t') < 5; }

/* pandas' default NA strings: "", "NA", "NaN", "nan", "null", "#N/A", ... */
bool csv_is_na(const char *s, size_t n);

/* A float64 field, bit for bit as pandas: CSV_OK with *OUT the value,
 * CSV_NA with *OUT NaN, or CSV_BAD (pandas then makes the column object). */
CsvStatus csv_parse_f64_slow(const char *s, size_t n, double *out); /* any field */
static inline CsvStatus csv_parse_f64(const char *s, size_t n, double *out) {
  return csvp_plain(s, n, out) ? CSV_OK : csv_parse_f64_slow(s, n, out);
}

/* An int64 field as pandas' int64 pass: CSV_OK, CSV_NA, CSV_OVERFLOW (more
 * than int64 holds) or CSV_BAD. */
CsvStatus csv_parse_i64(const char *s, size_t n, int64_t *out);

/* A uint64 field as pandas' uint64 pass (tried after an int64 overflow):
 * CSV_OK, CSV_NA, CSV_NEGATIVE (any field that starts with '-' after
 * spaces), CSV_OVERFLOW or CSV_BAD. */
CsvStatus csv_parse_u64(const char *s, size_t n, uint64_t *out);

/* ---- csv_py.c: Dask's coerce_dtypes casts object columns with astype ---- */

/* A text field as Python 3.11's float(s): CSV_OK with the correctly
 * rounded *OUT (inf, nan spellings; '_' between digits; Unicode spaces and
 * digits), or CSV_BAD where Python raises ValueError. */
CsvStatus csv_py_float(const char *s, size_t n, double *out);
/* A text field as int(s) then into an int64 (numpy's cast): CSV_OK,
 * CSV_OVERFLOW past int64, or CSV_BAD. */
CsvStatus csv_py_int(const char *s, size_t n, int64_t *out);

/* ---- csv_split.c: a line into fields ---- */

typedef struct CsvField {
  int64_t off, len; /* in the caller's buffer */
} CsvField;

/* Splits the line S of N bytes (no line terminator) into fields: their
 * text, unquoted, goes to BUF (room for N bytes), where each starts and
 * how long it is to F (the first CAP fields). Returns the number of fields. */
int64_t csv_split(const char *s, size_t n, char *buf, CsvField *f, int64_t cap);
/* The same with the delimiter SEP (read_csv's sep=). */
int64_t csv_split_sep(const char *s, size_t n, char sep, char *buf, CsvField *f,
                      int64_t cap);

/* Where the line starting at S (N bytes) ends: the index of its '\n', one
 * inside a quoted field not counting (pandas reads a quoted newline as
 * text), or N. */
int64_t csv_line_end(const char *s, int64_t n, char sep);

/* ---- csv_date.c: read_csv(parse_dates=) ---- */

/* pandas' NaT: the smallest int64. */
#define CSV_NAT INT64_MIN

/* A date field as pandas' to_datetime reads it into nanoseconds since
 * 1970 (*OUT): ISO 'YYYY-MM-DD[( |T)HH:MM[:SS[.f...]]]' and dateutil's
 * month-first 'M/D/YYYY[ H:MM[:SS]]'. CSV_OK, CSV_NA (*OUT NaT) or
 * CSV_BAD (another form: pandas would leave the column as text). */
CsvStatus csv_parse_date(const char *s, size_t n, int64_t *out);
/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t csv_days_from_civil(int64_t y, int64_t m, int64_t d);
void csv_civil_from_days(int64_t z, int64_t *y, int64_t *m, int64_t *d);

/* ---- csv_type.c: the type pandas gives a column ---- */

typedef enum CsvType {
  CSV_T_I64,
  CSV_T_F64,
  CSV_T_BOOL,
  CSV_T_OBJ,
  CSV_T_U64,
  CSV_T_OBJ_RAW, /* object with the NA strings kept as text */
} CsvType;

typedef struct CsvText {
  const char *s;
  int64_t len;
} CsvText;

/* The dtype of a column of these N fields under pandas' passes: int64
 * (float64 with NA fields), float64, bool (object with NA fields), object;
 * after an int64 overflow pandas' uint64 pass: uint64, object (a uint64
 * overflow, or a '-' field), or CSV_T_OBJ_RAW (a value past int64 next to
 * NA or a '-' field: pandas retypes without its NA filter); no fields:
 * object (a header without rows). */
CsvType csv_column_type(const CsvText *f, int64_t n);

/* ---- csv_block.c: Dask's read_bytes(path, delimiter=b'\n', blocksize) ---- */

typedef struct CsvBlock {
  int64_t offset, length;
} CsvBlock;

/* The blocks read_bytes cuts a file of SIZE bytes into for BLOCKSIZE (> 0):
 * their number (0 for an empty file); the first min(number, CAP) go to OUT. */
int64_t csv_block_plan(int64_t size, int64_t blocksize, CsvBlock *out, int64_t cap);

/* The bytes [*START, *END) of the lines that belong to the block (OFFSET,
 * LENGTH) of the SIZE bytes at DATA: from 0 (OFFSET 0) or after the first
 * '\n' at or after OFFSET, to after the first '\n' at or after
 * OFFSET + LENGTH, or to the end. */
void csv_block_lines(const char *data, int64_t size, int64_t offset, int64_t length,
                     int64_t *start, int64_t *end);

/* The same for the open file FD of SIZE bytes, read with pread: 0, or -1
 * with errno set when reading fails. */
int csv_block_lines_fd(int fd, int64_t size, int64_t offset, int64_t length, int64_t *start,
                       int64_t *end);

/* The two above for any delimiter DELIM of DLEN bytes (read_text's
 * linedelimiter); DLEN 0: no alignment, [OFFSET, OFFSET + LENGTH) within
 * the file. The fd one fails (-1, errno EINVAL) for a delimiter of 8 KiB or
 * more. */
void csv_block_span(const char *data, int64_t size, int64_t offset, int64_t length,
                    const char *delim, int64_t dlen, int64_t *start, int64_t *end);
int csv_block_span_fd(int fd, int64_t size, int64_t offset, int64_t length, const char *delim,
                      int64_t dlen, int64_t *start, int64_t *end);

#endif
