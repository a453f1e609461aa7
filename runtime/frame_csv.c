/* frame_csv.c - one block of dd.read_csv into a partition, as Dask 2022.12
 * reads it: the lines the block owns (csv_block.c), the first line of the
 * file's first block is the header, blank lines skipped, fields split as
 * pandas' tokenizer does; each column typed by pandas' passes over the
 * block (csv_type.c) and then coerced to the dtype the compiler inferred
 * from Dask's sample as Dask's coerce_dtypes does: int64 -> float64 and
 * bool -> float64/int64 are cast, text -> numbers by Python's float() and
 * int() (csv_py.c), uint64 by numpy's casts; float64 -> int64, and text
 * Python cannot read, fail the task with Dask's "Mismatched dtypes".
 *
 * args: path, offset, length, names (tuple of str: all the file's
 * columns), dtypes (tuple of str; "" for a column usecols= leaves out,
 * "=int64" and such for one dtype= gives: read as that type, not coerced;
 * "datetime64[ns]" for parse_dates=), the file's size and mtime in ns when
 * compiled (a changed file fails the task, as from_npy's do), sep (a str
 * of one byte), header (1: the file's first line names the columns), and
 * optionally a row limit (head(n): the rows after it may go unread). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "frame.h"

typedef struct Block {
  char *text, *fields; /* the lines; their fields, unquoted */
  CsvText *cells;      /* rows x ncols, row-major */
  CsvText *col;        /* one column's cells, gathered */
  int64_t nrows, cap, ncols;
  char sep;
} Block;

static void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q)
    tr_fail("out of memory");
  return q;
}

static void block_free(Block *b) {
  free(b->text);
  free(b->fields);
  free(b->cells);
  free(b->col);
  free(b);
}

/* The block's bytes: [start, end) of the file, checked against what the
 * compiler saw. */
static char *read_block(const char *path, int64_t offset, int64_t length, int64_t size,
                        int64_t mtime, int64_t max, int64_t *n) {
  int fd = frame_csv_open(path, size, mtime);
  int64_t start, end;
  if (csv_block_lines_fd(fd, size, offset, length, &start, &end) != 0) {
    close(fd);
    tr_fail("cannot read '%s': %s", path, strerror(errno));
  }
  if (max >= 0 && end - start > max)
    end = start + max; /* a prefix: head(n) */
  char *buf = malloc((size_t)(end - start) + 1);
  int64_t got = 0;
  while (buf && got < end - start) {
    ssize_t r = pread(fd, buf + got, (size_t)(end - start - got), start + got);
    if (r <= 0)
      break;
    got += r;
  }
  close(fd);
  if (!buf || got != end - start) {
    free(buf);
    tr_fail("cannot read '%s'", path);
  }
  *n = got;
  return buf;
}

static void add_row(Block *b, const char *line, int64_t len, int64_t *fpos, int64_t lineno) {
  CsvField f[256];
  char *out = b->fields + *fpos;
  int64_t nf = csv_split_sep(line, (size_t)len, b->sep, out, f, 256);
  if (nf > b->ncols)
    tr_fail("Error tokenizing data. C error: Expected %lld fields in line %lld, saw %lld",
            (long long)b->ncols, (long long)lineno, (long long)nf);
  if (b->nrows == b->cap) {
    b->cap = b->cap ? b->cap * 2 : 1024;
    b->cells = xrealloc(b->cells, (size_t)(b->cap * b->ncols) * sizeof *b->cells);
  }
  CsvText *row = b->cells + b->nrows * b->ncols;
  for (int64_t c = 0; c < b->ncols; c++) {
    row[c].s = c < nf ? out + f[c].off : "";
    row[c].len = c < nf ? f[c].len : 0; /* missing fields are NA */
  }
  *fpos += len;
  b->nrows++;
}

/* Splits the lines of text into rows; the header line first if HEADER. */
static void split_rows(Block *b, int64_t n, bool header) {
  b->fields = malloc((size_t)n + 1);
  if (!b->fields)
    tr_fail("out of memory");
  int64_t fpos = 0, lineno = 1;
  for (int64_t i = 0; i < n; lineno++) {
    int64_t e = i + csv_line_end(b->text + i, n - i, b->sep), len = e - i;
    const char *line = b->text + i;
    i = e + 1;
    if (len && line[len - 1] == '\r')
      len--;
    if (len == 0)
      continue; /* skip_blank_lines */
    if (header) {
      header = false;
      continue;
    }
    add_row(b, line, len, &fpos, lineno);
  }
}

static int64_t want_dtype(const TrValue *v) {
  const TrStr *s = v->u.p;
  const char *name = s->data[0] == '=' ? s->data + 1 : s->data;
  for (int64_t d = 0; d <= TR_COL_DT; d++)
    if (!strcmp(name, frame_dtype_name(d)))
      return d;
  tr_fail("read_csv: unknown dtype '%s'", s->data);
}

static const char *found_name(CsvType t) {
  static const char *names[] = {"int64", "float64", "bool", "object", "uint64", "object"};
  return names[t];
}

/* Column c's texts, gathered into b->col. */
static CsvText *column_texts(Block *b, int64_t c) {
  if (!b->col)
    b->col = xrealloc(NULL, (size_t)(b->nrows ? b->nrows : 1) * sizeof *b->col);
  for (int64_t r = 0; r < b->nrows; r++)
    b->col[r] = b->cells[r * b->ncols + c];
  return b->col;
}

static bool is_true(const CsvText *t) { return t->len == 4; } /* "true", any case */

static bool is_bool_word(const char *s, size_t n) {
  return (n == 4 && !strncasecmp(s, "true", 4)) || (n == 5 && !strncasecmp(s, "false", 5));
}

/* A column pandas typed object (RAW: its NA strings kept as text) cast to
 * WANT as Dask's astype does: Python's float() / int() of each string, NA
 * (NaN) as NaN, bool() true but for ''; false if astype would raise. */
static bool cast_text(void *data, int64_t want, bool raw, const CsvText *t, int64_t n) {
  for (int64_t r = 0; r < n; r++) {
    const char *s = t[r].s;
    size_t len = (size_t)t[r].len;
    bool na = !raw && csv_is_na(s, len);
    if (want == TR_COL_F64) {
      double *x = &((double *)data)[r];
      if (na)
        *x = __builtin_nan("");
      else if (csv_py_float(s, len, x) != CSV_OK)
        return false;
    } else if (want == TR_COL_I64) {
      if (na || csv_py_int(s, len, &((int64_t *)data)[r]) != CSV_OK)
        return false; /* int(NaN) raises too */
    } else {
      ((uint8_t *)data)[r] = na || len > 0;
    }
  }
  return true;
}

/* A column pandas typed uint64 cast by astype: to float64 rounded, to
 * int64 wrapping (numpy does not check), to bool as != 0. */
static void cast_u64(void *data, int64_t want, const CsvText *t, int64_t n) {
  for (int64_t r = 0; r < n; r++) {
    uint64_t u = 0;
    csv_parse_u64(t[r].s, (size_t)t[r].len, &u);
    if (want == TR_COL_F64)
      ((double *)data)[r] = (double)u;
    else if (want == TR_COL_I64)
      ((int64_t *)data)[r] = (int64_t)u;
    else
      ((uint8_t *)data)[r] = u != 0;
  }
}

/* Fills column c of f (dtype want) from texts of pandas type found; false
 * if Dask's coerce_dtypes would refuse. */
static bool fill_column(TrFrame *f, int64_t c, int64_t want, CsvType found, const CsvText *t) {
  int64_t n = f->nrows;
  tr_frame_alloc_col(f, c, want);
  void *data = f->cols[c].data;
  if (want == TR_COL_OBJ) {
    bool raw = found == CSV_T_OBJ_RAW;
    for (int64_t r = 0; r < n; r++)
      ((TrStr **)data)[r] = !raw && csv_is_na(t[r].s, (size_t)t[r].len)
                                ? NULL
                                : tr_str_new(t[r].s, t[r].len);
    return true;
  }
  if (n == 0)
    return true; /* an empty object column casts to anything */
  if (found == CSV_T_OBJ || found == CSV_T_OBJ_RAW)
    return cast_text(data, want, found == CSV_T_OBJ_RAW, t, n);
  if (found == CSV_T_U64) {
    cast_u64(data, want, t, n);
    return true;
  }
  /* pandas' int pass typed the column float64 only because of NA fields:
   * its ints convert exactly, not through the float converter */
  bool ints = found == CSV_T_I64;
  if (found == CSV_T_F64) {
    ints = true;
    for (int64_t r = 0; r < n && ints; r++) {
      int64_t i;
      ints = csv_parse_i64(t[r].s, (size_t)t[r].len, &i) != CSV_BAD;
    }
  }
  for (int64_t r = 0; r < n; r++) {
    const char *s = t[r].s;
    size_t len = (size_t)t[r].len;
    double x = 0;
    int64_t i = 0;
    if (found == CSV_T_BOOL) {
      i = is_true(&t[r]);
      x = (double)i;
    } else if (ints && csv_parse_i64(s, len, &i) == CSV_OK) {
      x = (double)i;
    } else {
      csv_parse_f64(s, len, &x); /* NA is NaN */
      if (want == TR_COL_I64)
        return false; /* float64 found, int64 expected */
    }
    if (want == TR_COL_F64)
      ((double *)data)[r] = x;
    else if (want == TR_COL_I64)
      ((int64_t *)data)[r] = i;
    else
      ((uint8_t *)data)[r] = x != 0;
  }
  return true;
}

/* Column c (the file's column FILE_COL) as read_csv(dtype=) or
 * parse_dates= reads it: each field as the type, not coerced. False for
 * a date column with text that is no date (pandas keeps it as text,
 * which Dask then finds mismatched). */
static bool fill_forced(TrFrame *f, int64_t c, int64_t want, const CsvText *t, int64_t file_col) {
  int64_t n = f->nrows;
  tr_frame_alloc_col(f, c, want);
  void *data = f->cols[c].data;
  for (int64_t r = 0; r < n; r++) {
    const char *s = t[r].s;
    size_t len = (size_t)t[r].len;
    CsvStatus st;
    if (want == TR_COL_OBJ) {
      ((TrStr **)data)[r] = csv_is_na(s, len) ? NULL : tr_str_new(s, (int64_t)len);
    } else if (want == TR_COL_DT) {
      if (csv_parse_date(s, len, &((int64_t *)data)[r]) == CSV_BAD)
        return false;
    } else if (want == TR_COL_F64) {
      if (csv_parse_f64(s, len, &((double *)data)[r]) == CSV_BAD)
        tr_fail("could not convert string to float: '%.*s'", (int)len, s);
    } else if (want == TR_COL_I64) {
      st = csv_parse_i64(s, len, &((int64_t *)data)[r]);
      if (st == CSV_NA)
        tr_fail("Integer column has NA values in column %lld", (long long)file_col);
      if (st != CSV_OK)
        tr_fail("invalid literal for int64 in column %lld: '%.*s'", (long long)file_col,
                (int)len, s);
    } else {
      if (csv_is_na(s, len))
        tr_fail("Bool column has NA values in column %lld", (long long)file_col);
      if (!is_bool_word(s, len))
        tr_fail("invalid literal for bool in column %lld: '%.*s'", (long long)file_col,
                (int)len, s);
      ((uint8_t *)data)[r] = len == 4;
    }
  }
  return true;
}

/* Dask's coerce_dtypes error, with its table. */
static _Noreturn void mismatch(const char **cols, const char **found, const char **want, int n) {
  Buf b = {0};
  size_t w0 = 6, w1 = 5, w2 = 8;
  for (int i = 0; i < n; i++) {
    w0 = strlen(cols[i]) > w0 ? strlen(cols[i]) : w0;
    w1 = strlen(found[i]) > w1 ? strlen(found[i]) : w1;
    w2 = strlen(want[i]) > w2 ? strlen(want[i]) : w2;
  }
  char rule[256];
  snprintf(rule, sizeof rule, "+-%.*s-+-%.*s-+-%.*s-+\n", (int)w0,
           "--------------------------------------------------------------------------------",
           (int)w1, "----------------------------------------", (int)w2,
           "----------------------------------------");
  buf_puts(&b, "Mismatched dtypes found in `pd.read_csv`/`pd.read_table`.\n\n");
  buf_puts(&b, rule);
  buf_printf(&b, "| %-*s | %-*s | %-*s |\n", (int)w0, "Column", (int)w1, "Found", (int)w2,
             "Expected");
  buf_puts(&b, rule);
  for (int i = 0; i < n; i++)
    buf_printf(&b, "| %-*s | %-*s | %-*s |\n", (int)w0, cols[i], (int)w1, found[i], (int)w2,
               want[i]);
  buf_puts(&b, rule);
  buf_puts(&b, "\nUsually this is due to dask's dtype inference failing, and\n*may* be fixed "
               "by specifying dtypes manually by adding:\n\ndtype={");
  for (int i = 0; i < n; i++)
    buf_printf(&b, "%s'%s': '%s'", i ? ",\n       " : "", cols[i], found[i]);
  buf_puts(&b, "}\n\nto the call to `read_csv`/`read_table`.");
  char *msg = buf_cstr(&b);
  char copy[TR_MSG_MAX];
  snprintf(copy, sizeof copy, "%s", msg);
  free(msg);
  tr_fail("%s", copy);
}

/* A dtype "" marks a column usecols= leaves out: pandas does not type it. */
static bool used(const TrValue *dtype) { return ((const TrStr *)dtype->u.p)->len > 0; }

static TrFrame *to_frame(Block *b, const TrSeq *names, const TrSeq *dtypes) {
  int64_t nused = 0;
  for (int64_t c = 0; c < b->ncols; c++)
    nused += used(&dtypes->items[c]);
  TrFrame *f = tr_frame_new(nused, b->nrows);
  TrValue fv = tr_obj(TR_FRAME, f);
  tr_guard(&fv);
  const char *bad[64], *found[64], *want[64];
  int nbad = 0;
  for (int64_t c = 0, k = 0; c < b->ncols; c++) {
    if (!used(&dtypes->items[c]))
      continue;
    const TrStr *name = names->items[c].u.p;
    f->cols[k].name = tr_str_new(name->data, name->len);
    int64_t wd = want_dtype(&dtypes->items[c]);
    CsvText *t = column_texts(b, c);
    bool forced = ((const TrStr *)dtypes->items[c].u.p)->data[0] == '=' || wd == TR_COL_DT;
    CsvType ft = forced ? CSV_T_OBJ : csv_column_type(t, b->nrows);
    bool ok = forced ? fill_forced(f, k++, wd, t, c) : fill_column(f, k++, wd, ft, t);
    if (!ok && nbad < 64) {
      bad[nbad] = name->data;
      found[nbad] = found_name(ft);
      want[nbad++] = frame_dtype_name(wd);
    }
  }
  if (nbad) /* the columns in Dask's order: sorted by name */
    for (int i = 1; i < nbad; i++)
      for (int j = i; j > 0 && strcmp(bad[j - 1], bad[j]) > 0; j--) {
        const char *t0 = bad[j], *t1 = found[j], *t2 = want[j];
        bad[j] = bad[j - 1], found[j] = found[j - 1], want[j] = want[j - 1];
        bad[j - 1] = t0, found[j - 1] = t1, want[j - 1] = t2;
      }
  if (nbad)
    mismatch(bad, found, want, nbad);
  tr_unguard(1);
  return f;
}

/* head(n) of a block: its first rows from a prefix of the file, when they
 * are all there and read the one-pass way; NULL otherwise. */
static TrFrame *head_rows(const TrValue *args, const char *path, char sep, int64_t limit) {
  enum { PREFIX = 1 << 20 };
  int64_t len;
  char *text = read_block(path, args[1].u.i, args[2].u.i, args[5].u.i, args[6].u.i, PREFIX,
                          &len);
  bool cut = len == PREFIX;
  if (cut) /* whole lines only */
    while (len > 0 && text[len - 1] != '\n')
      len--;
  TrFrame *f = frame_csv_fast(text, len, args[1].u.i == 0 && args[8].u.i, sep, args[3].u.p,
                              args[4].u.p, limit);
  free(text);
  if (f && cut && f->nrows < limit) {
    TrValue fv = tr_obj(TR_FRAME, f);
    tr_decref(&fv);
    f = NULL;
  }
  return f;
}

void tr_op_df_read_csv(const TrValue *args, int64_t n, TrValue *out) {
  const TrStr *path = args[0].u.p;
  int64_t limit = n > 9 ? args[9].u.i : -1;
  if (limit >= 0) {
    TrFrame *h = head_rows(args, path->data, ((const TrStr *)args[7].u.p)->data[0], limit);
    if (h) {
      *out = tr_obj(TR_FRAME, h);
      return;
    }
  }
  const TrSeq *names = args[3].u.p, *dtypes = args[4].u.p;
  char sep = ((const TrStr *)args[7].u.p)->data[0];
  bool header = args[1].u.i == 0 && args[8].u.i;
  int64_t len;
  char *text;
  FrameMap m;
  if (frame_csv_map(path->data, args[1].u.i, args[2].u.i, args[5].u.i, args[6].u.i, &m)) {
    TrFrame *f = frame_csv_fast(m.text, m.n, header, sep, names, dtypes, limit);
    if (f) {
      frame_csv_unmap(&m);
      *out = tr_obj(TR_FRAME, f);
      return;
    }
    len = m.n; /* the general reader keeps its own copy */
    text = malloc((size_t)len + 1);
    if (text)
      memcpy(text, m.text, (size_t)len);
    frame_csv_unmap(&m);
    if (!text)
      tr_fail("out of memory");
  } else {
    text = read_block(path->data, args[1].u.i, args[2].u.i, args[5].u.i, args[6].u.i, -1, &len);
    TrFrame *f = frame_csv_fast(text, len, header, sep, names, dtypes, limit);
    if (f) {
      free(text);
      *out = tr_obj(TR_FRAME, f);
      return;
    }
  }
  *out = tr_obj(TR_FRAME, frame_csv_general(text, len, header, sep, names, dtypes));
}

TrFrame *frame_csv_general(char *text, int64_t len, bool header, char sep, const TrSeq *names,
                           const TrSeq *dtypes) {
  Block *b = calloc(1, sizeof *b);
  if (!b) {
    free(text);
    tr_fail("out of memory");
  }
  b->ncols = names->len;
  b->sep = sep;
  b->text = text;
  /* A failure (pandas' errors, Dask's mismatch) frees the block before it
   * goes on to the caller's handler: long fuzz runs fail often. */
  jmp_buf here, *outer = tr_fail_jmp;
  if (setjmp(here)) {
    tr_fail_jmp = outer;
    block_free(b);
    char msg[TR_MSG_MAX];
    snprintf(msg, sizeof msg, "%s", tr_fail_msg);
    tr_fail("%s", msg);
  }
  tr_fail_jmp = &here;
  split_rows(b, len, header);
  TrFrame *f = to_frame(b, names, dtypes);
  tr_fail_jmp = outer;
  block_free(b);
  return f;
}
