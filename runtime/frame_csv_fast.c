/* frame_csv_fast.c - the common read_csv block in one pass: fields found
 * in place (no copy unless a quoted field doubles its quotes), each parsed
 * straight into its column, unused columns skipped, no table of cells.
 * It gives up (NULL) wherever pandas' typing passes could end elsewhere
 * than the dtype Dask expects (a field not of the type, an int column
 * read as float64, an int past int64 before any field that is no int,
 * bool or dtype= columns, a row with too many fields,
 * text after a closing quote), and frame_csv.c then reads the block the
 * general way, so the results and errors are the same. With LIMIT >= 0 it
 * stops after that many rows (head(n)): the rest is neither read nor
 * typed. */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "csv_marks.h"
#include "frame.h"

enum { K_SKIP, K_F64, K_I64, K_OBJ, K_DT };

typedef struct Col {
  int kind;
  void *data;
  bool nonint; /* a field that is no int: pandas' int64 pass stopped there */
} Col;

static int kind_of(const TrStr *d) {
  if (!d->len)
    return K_SKIP;
  if (!strcmp(d->data, "float64"))
    return K_F64;
  if (!strcmp(d->data, "int64"))
    return K_I64;
  if (!strcmp(d->data, "object"))
    return K_OBJ;
  if (!strcmp(d->data, "datetime64[ns]"))
    return K_DT;
  return -1; /* bool, dtype=: the general way */
}

/* pandas' int64 pass over a float64 or object column stops at its first
 * field that is no int (then the float64 pass types it). An overflow
 * before that starts its uint64 pass, which may type the column object,
 * uint64 or object with the NA strings as text: the general way. So each
 * field is checked until the first non-int; false: give up. */
static bool int_pass(Col *c, const char *s, int64_t n) {
  if (c->nonint)
    return true;
  int64_t v;
  CsvStatus st = csv_parse_i64(s, (size_t)n, &v);
  c->nonint = st == CSV_BAD;
  return st != CSV_OVERFLOW;
}

/* One field into row r of column c; false: give up. */
static bool put(Col *c, int64_t r, const char *s, int64_t n) {
  switch (c->kind) {
  case K_F64:
    return int_pass(c, s, n) && csv_parse_f64(s, (size_t)n, &((double *)c->data)[r]) != CSV_BAD;
  case K_I64: return csv_parse_i64(s, (size_t)n, &((int64_t *)c->data)[r]) == CSV_OK;
  case K_DT: return csv_parse_date(s, (size_t)n, &((int64_t *)c->data)[r]) != CSV_BAD;
  case K_OBJ:
    if (!int_pass(c, s, n))
      return false;
    if (!csv_is_na(s, (size_t)n))
      ((TrStr **)c->data)[r] = tr_str_new(s, n);
    return true;
  default: return true;
  }
}

/* The number of '\n' in the N bytes at T. */
static int64_t count_lines(const char *t, int64_t n) {
  int64_t lines = 0, i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, t + i, 8); /* each found byte's 0x80 -> 1, summed by the multiply */
    lines += (int64_t)(((csv_zero_bytes(w ^ (CSV_ONES * '\n')) >> 7) * CSV_ONES) >> 56);
  }
  for (; i < n; i++)
    lines += t[i] == '\n';
  return lines;
}

/* Room for the rows of the N bytes at T: the lines of its first 64 KB
 * scaled to N, and some more; grow() when short. (Counting every line
 * first costs a tenth of the parse.) */
static int64_t estimate_rows(const char *t, int64_t n) {
  int64_t part = n < 65536 ? n : 65536, lines = count_lines(t, part) + 1;
  return part == n ? lines : lines * n / part + lines / 8 + 16;
}

/* Room for more rows in the used columns of f (f->nrows is the room, so
 * that freeing f on giving up sees only NULL past the rows read). */
static void grow(TrFrame *f, Col *cols, int64_t ncols) {
  int64_t old = f->nrows, room = old + old / 2 + 16;
  for (int64_t c = 0, k = 0; c < ncols; c++) {
    if (cols[c].kind == K_SKIP)
      continue;
    size_t es = cols[c].kind == K_OBJ ? sizeof(TrStr *) : sizeof(int64_t);
    char *p = realloc(f->cols[k].data, (size_t)room * es);
    if (!p)
      tr_fail("out of memory");
    memset(p + (size_t)old * es, 0, (size_t)(room - old) * es);
    f->cols[k++].data = cols[c].data = p;
  }
  f->nrows = room;
}

/* Scans one record from *pos: its fields into row r. Returns the number
 * of fields, 0 for a blank line, -1 to give up. */
static int64_t record(CsvMarks *m, int64_t *pos, Col *cols, int64_t ncols, int64_t r,
                      char **scratch, size_t *scap) {
  const char *t = m->t;
  int64_t i = *pos, nf = 0, n = m->n;
  char sep = m->sep;
  if (i < n && (t[i] == '\n' || (t[i] == '\r' && i + 1 < n && t[i + 1] == '\n') ||
                (t[i] == '\r' && i + 1 == n))) {
    *pos = i + (t[i] == '\r') + 1; /* a blank line */
    return 0;
  }
  for (;;) {
    const char *s;
    int64_t len;
    if (i < n && t[i] == '"') {
      int64_t start = ++i, k = 0;
      bool doubled = false;
      for (;;) { /* the closing quote */
        i = csv_marks_next(m, i, true);
        if (i + 1 < n && t[i + 1] == '"') {
          doubled = true;
          i += 2;
          continue;
        }
        break;
      }
      if (i >= n)
        return -1; /* no closing quote */
      len = i - start;
      s = t + start;
      i++; /* the closing quote */
      if (doubled) {
        if ((size_t)len > *scap) {
          *scap = (size_t)len * 2;
          free(*scratch);
          *scratch = malloc(*scap);
          if (!*scratch)
            tr_fail("out of memory");
        }
        for (int64_t j = 0; j < len; j++, k++) {
          (*scratch)[k] = s[j];
          j += s[j] == '"';
        }
        s = *scratch;
        len = k;
      }
      if (i < n && t[i] != sep && t[i] != '\n' &&
          !(t[i] == '\r' && (i + 1 == n || t[i + 1] == '\n')))
        return -1; /* text after the closing quote: pandas appends it */
    } else {
      int64_t start = i;
      i = csv_marks_next(m, i, false);
      s = t + start;
      len = i - start;
      if ((i >= n || t[i] == '\n') && len && s[len - 1] == '\r')
        len--; /* "\r\n" ends the line */
    }
    if (nf >= ncols)
      return -1; /* too many fields: the general way has pandas' error */
    Col *c = &cols[nf];
    if (c->kind == K_F64 && c->nonint) { /* the common case, inline */
      if (csv_parse_f64(s, (size_t)len, &((double *)c->data)[r]) == CSV_BAD)
        return -1;
    } else if (c->kind != K_SKIP && !put(c, r, s, len)) {
      return -1;
    }
    nf++;
    if (i < n && t[i] == sep) {
      i++;
      continue;
    }
    if (i < n && t[i] == '\r')
      i++;
    *pos = i + 1; /* past the '\n' (or the end) */
    return nf;
  }
}

TrFrame *frame_csv_fast(const char *t, int64_t n, bool header, char sep, const TrSeq *names,
                        const TrSeq *dtypes, int64_t limit) {
  int64_t ncols = names->len, nused = 0;
  for (int64_t c = 0; c < ncols; c++) {
    int k = kind_of(dtypes->items[c].u.p);
    if (k < 0)
      return NULL;
    nused += k != K_SKIP;
  }
  int64_t pos = 0;
  if (header) { /* the first non-blank line */
    while (pos < n) {
      int64_t e = pos + csv_line_end(t + pos, n - pos, sep);
      bool blank = e == pos || (e == pos + 1 && t[pos] == '\r');
      pos = e + 1;
      if (!blank)
        break;
    }
  }
  TrFrame *f = tr_frame_new(nused, estimate_rows(t + pos, n - pos));
  TrValue fv = tr_obj(TR_FRAME, f);
  Col *cols = calloc((size_t)ncols + 1, sizeof *cols);
  if (!cols)
    tr_fail("out of memory");
  for (int64_t c = 0, k = 0; c < ncols; c++) {
    cols[c].kind = kind_of(dtypes->items[c].u.p);
    if (cols[c].kind == K_SKIP)
      continue;
    const TrStr *name = names->items[c].u.p;
    int64_t dt = cols[c].kind == K_F64 ? TR_COL_F64 : cols[c].kind == K_I64 ? TR_COL_I64
                 : cols[c].kind == K_OBJ ? TR_COL_OBJ : TR_COL_DT;
    tr_frame_alloc_col(f, k, dt);
    f->cols[k].name = tr_str_new(name->data, name->len);
    cols[c].data = f->cols[k++].data;
  }
  char *scratch = NULL;
  size_t scap = 0;
  CsvMarks marks = {t, n, -64, 0, 0, sep}; /* the first search loads */
  int64_t r = 0;
  bool ok = true;
  while (ok && pos < n && r != limit) {
    if (r == f->nrows)
      grow(f, cols, ncols);
    int64_t nf = record(&marks, &pos, cols, ncols, r, &scratch, &scap);
    ok = nf >= 0;
    for (int64_t c = nf; ok && nf > 0 && c < ncols; c++)
      ok = put(&cols[c], r, "", 0); /* missing fields are NA */
    r += ok && nf > 0;
  }
  for (int64_t c = 0; c < ncols && ok; c++)
    ok = cols[c].kind != K_F64 || cols[c].nonint || r == 0;
  free(scratch);
  free(cols);
  if (!ok) {
    tr_decref(&fv);
    return NULL;
  }
  f->nrows = r; /* the columns keep their room */
  return f;
}
