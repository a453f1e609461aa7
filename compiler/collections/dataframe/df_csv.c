/* df_csv.c - dd.read_csv(path | glob | list of paths, blocksize=, usecols=) as Dask
 * 2022.12 builds it: the files (a glob sorted), each cut into byte blocks
 * by read_bytes' arithmetic (runtime/csv_block.c, shared), one task per
 * block, ('read-csv-<token>', i) over all files. The header and the column
 * dtypes come from Dask's sample: the first 256000 bytes of the first file
 * (to the end of a line), of which pandas reads the header and the first
 * 10 rows (sample_rows) and types each column by its passes
 * (runtime/csv_type.c, shared). Paths are relative to the .tg file, as
 * from_npy's (coll_files.c, shared); each file's size and mtime go into its tasks, which fail if
 * the file changed since. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "../../../runtime/csv.h"
#include "../coll_files.h"
#include "df_csv.h"

enum { SAMPLE_BYTES = 256000, SAMPLE_ROWS = 10, MAX_COLS = 256 };

/* the files: coll_files.h, shared with db.read_text */
typedef CollFile CsvFile;
typedef CollFiles FileList;

/* Dask's AUTO_BLOCKSIZE: min(total RAM // cpu count / 10, 64e6), as
 * psutil sees them. */
static int64_t auto_blocksize(void) {
  struct sysinfo si;
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  if (sysinfo(&si) != 0 || cpus < 1)
    return (int64_t)1 << 25; /* Dask's fallback without psutil */
  int64_t total = (int64_t)si.totalram * (int64_t)si.mem_unit;
  int64_t b = (int64_t)((double)(total / cpus) / 10);
  return b < 64000000 ? b : 64000000;
}

/* blocksize=: an int, an integral float, None (whole files). 0: None. */
static int64_t blocksize_arg(Eval *e, Value *v, Loc loc) {
  if (!v)
    return auto_blocksize();
  if (v->kind == V_NONE)
    return 0;
  if (v->kind == V_STR && !strcmp(v->str.s, "default"))
    return auto_blocksize();
  if (v->kind == V_FLOAT && v->f == (double)(int64_t)v->f && v->f > 0)
    return (int64_t)v->f;
  if (v->kind == V_INT && v->i > 0)
    return v->i;
  diag_error(loc, "blocksize must be a positive integer or None, got %s",
             v_repr(eval_arena(e), v));
}

/* ---- the sample ---- */

typedef struct Sample {
  char *text;
  int64_t len;
} Sample;

static Sample read_sample(Eval *e, const CsvFile *f, Loc loc) {
  FILE *fp = fopen(f->path, "rb");
  if (!fp)
    diag_error(loc, "cannot open '%s': %s", f->path, strerror(errno));
  Sample s = {arena_alloc(eval_arena(e), SAMPLE_BYTES + 1), 0};
  s.len = (int64_t)fread(s.text, 1, SAMPLE_BYTES, fp);
  /* read_bytes' sample goes on to the end of the line */
  int64_t cap = SAMPLE_BYTES;
  int c;
  while (s.len > 0 && s.text[s.len - 1] != '\n' && (c = fgetc(fp)) != EOF) {
    if (s.len == cap) {
      s.text = arena_realloc(eval_arena(e), s.text, (size_t)cap + 1, (size_t)cap * 2 + 1);
      cap *= 2;
    }
    s.text[s.len++] = (char)c;
  }
  fclose(fp);
  s.text[s.len] = 0;
  return s;
}

/* The next non-blank line of the sample from *pos, without its '\n' (and
 * '\r'); false at the end. */
static bool next_line(const Sample *s, char sep, int64_t *pos, const char **line,
                      int64_t *n) {
  while (*pos < s->len) {
    const char *p = s->text + *pos;
    int64_t len = csv_line_end(p, s->len - *pos, sep);
    *pos += len + 1;
    if (len && p[len - 1] == '\r')
      len--;
    if (len) {
      *line = p;
      *n = len;
      return true;
    }
  }
  return false;
}

static CsvField *split(Eval *e, char sep, const char *line, int64_t n, char **buf,
                       int64_t *nf) {
  CsvField *f = ARENA_ARRAY(eval_arena(e), CsvField, MAX_COLS);
  *buf = arena_alloc(eval_arena(e), (size_t)n + 1);
  *nf = csv_split_sep(line, (size_t)n, sep, *buf, f, MAX_COLS);
  return f;
}

/* pandas reads Dask's sample with dtype= too: its errors come at compile
 * time, in pandas' words. */
static void check_forced(const CsvText *t, int n, int forced, const char *path, const char *col,
                         Loc loc) {
  for (int r = 0; r < n; r++) {
    const char *s = t[r].s;
    size_t len = (size_t)t[r].len;
    double x;
    int64_t i;
    bool na = csv_is_na(s, len);
    if (forced == DF_F64 && csv_parse_f64(s, len, &x) == CSV_BAD)
      diag_error(loc, "'%s': could not convert string to float: '%.*s' (column '%s')", path,
                 (int)len, s, col);
    if (forced == DF_I64 && na)
      diag_error(loc, "'%s': Integer column has NA values in column '%s'", path, col);
    if (forced == DF_I64 && csv_parse_i64(s, len, &i) != CSV_OK)
      diag_error(loc, "'%s': cannot read '%.*s' as int64 (column '%s')", path, (int)len, s,
                 col);
    if (forced == DF_BOOL && na)
      diag_error(loc, "'%s': Bool column has NA values in column '%s'", path, col);
    if (forced == DF_BOOL && csv_column_type(&t[r], 1) != CSV_T_BOOL)
      diag_error(loc, "'%s': cannot read '%.*s' as bool (column '%s')", path, (int)len, s, col);
  }
}

/* The DF_* dtype of a sample column of N fields: dtype= first, then
 * parse_dates= (the dates pandas reads, else it leaves the column as it
 * was), then pandas' passes, then assume_missing=. */
static int column_dtype(const CsvText *t, int n, int forced, bool date, bool assume_missing,
                        const char *path, const char *col, Loc loc) {
  col = df_name_text(col); /* the errors name header=None's columns 0, 1, .. */
  CsvType ct = csv_column_type(t, n);
  if (date) {
    bool ok = true;
    for (int r = 0; r < n && ok; r++) {
      int64_t ns;
      ok = csv_parse_date(t[r].s, (size_t)t[r].len, &ns) != CSV_BAD;
    }
    if (ok)
      return DF_DT;
    if (ct != CSV_T_OBJ)
      diag_error(loc, "'%s': parse_dates column '%s' is not text in a date form taskc reads "
                 "(ISO 'YYYY-MM-DD HH:MM:SS' or 'M/D/YYYY H:MM:SS')", path, col);
  }
  if (forced >= 0) {
    check_forced(t, n, forced, path, col, loc);
    return forced;
  }
  if (ct == CSV_T_U64)
    diag_error(loc, "'%s': column '%s' is uint64 in the sample (not supported by taskc)",
               path, col);
  int dt = ct == CSV_T_I64 ? DF_I64 : ct == CSV_T_F64 ? DF_F64 : ct == CSV_T_BOOL ? DF_BOOL
                                                                                  : DF_OBJ;
  return dt == DF_I64 && assume_missing ? DF_F64 : dt;
}

/* usecols=: a list of names or positions of the file's columns; which are
 * kept (in the file's order, as pandas keeps them) goes to keep[]. */
static void usecols_arg(Eval *e, const DFrame *df, Value *v, bool *keep, Loc loc) {
  for (int c = 0; c < df->ncols; c++)
    keep[c] = !v || v->kind == V_NONE;
  if (!v || v->kind == V_NONE)
    return;
  if (v->kind != V_LIST && v->kind != V_TUPLE)
    diag_error(loc, "usecols must be a list of column names or positions");
  for (int i = 0; i < v->seq.n; i++) {
    Value *x = v->seq.items[i];
    int c = -1;
    if (x->kind != v->seq.items[0]->kind)
      diag_error(loc, "'usecols' must either be list-like of all strings, all unicode, all "
                 "integers or a callable.");
    if (x->kind == V_STR) {
      for (c = 0; c < df->ncols && strcmp(df->cols[c], x->str.s); c++)
        ;
      if (c == df->ncols)
        diag_error(loc, "Usecols do not match columns, columns expected but not found: "
                   "['%s']", x->str.s);
    } else if (x->kind == V_INT) {
      if (x->i < 0 || x->i >= df->ncols)
        diag_error(loc, "Usecols do not match columns, columns expected but not found: "
                   "[%lld]", (long long)x->i);
      c = (int)x->i;
    } else {
      diag_error(loc, "usecols must be a list of column names or positions");
    }
    keep[c] = true;
  }
}

/* Column names and dtypes from the sample, as pandas reads it; which
 * columns dtype= gives a type to goes to *FORCED. */
static void infer_columns(Eval *e, DFrame *df, const Sample *s, const char *path,
                          const CsvOpts *o, int **forced, Args *args, bool **keep, Loc loc) {
  Arena *a = eval_arena(e);
  int64_t pos = 0, n, nf;
  const char *line;
  char *buf;
  if (!next_line(s, o->sep, &pos, &line, &n))
    diag_error(loc, "'%s': no columns to parse from file", path);
  CsvField *hf = split(e, o->sep, line, n, &buf, &nf);
  if (!o->header)
    pos = 0; /* the first line is data */
  if (o->names && o->nnames != nf)
    diag_error(loc, "'%s' has %lld columns and names= gives %d (taskc needs one name per "
               "column)", path, (long long)nf, o->nnames);

  if (nf > MAX_COLS)
    diag_error(loc, "'%s' has %lld columns; taskc reads at most %d", path, (long long)nf,
               MAX_COLS);
  df->ncols = (int)nf;
  df->cols = ARENA_ARRAY(a, const char *, nf + 1);
  df->dtypes = ARENA_ARRAY(a, int, nf + 1);
  for (int c = 0; c < nf; c++) {
    df->cols[c] = o->names   ? o->names[c]
                  : !o->header ? arena_printf(a, "\x1e%d", c) /* 0, 1, ..: df_key_name's mark */
                  : hf[c].len  ? arena_printf(a, "%.*s", (int)hf[c].len, buf + hf[c].off)
                               : arena_printf(a, "Unnamed: %d", c);
    for (int d = 0; d < c; d++)
      if (!strcmp(df->cols[d], df->cols[c]))
        diag_error(loc, "'%s': duplicate column name '%s' (not supported by taskc)", path,
                   df->cols[c]);
  }
  CsvText *cells = ARENA_ARRAY(a, CsvText, SAMPLE_ROWS * nf + 1);
  int rows = 0;
  for (; rows < SAMPLE_ROWS && next_line(s, o->sep, &pos, &line, &n); rows++) {
    int64_t rf;
    CsvField *f = split(e, o->sep, line, n, &buf, &rf);
    if (rf > nf)
      diag_error(loc, "'%s': Error tokenizing data. C error: Expected %lld fields in line "
                 "%d, saw %lld", path, (long long)nf, rows + 1 + o->header, (long long)rf);
    for (int c = 0; c < nf; c++)
      cells[c * SAMPLE_ROWS + rows] =
          c < rf ? (CsvText){buf + f[c].off, f[c].len} : (CsvText){"", 0};
  }
  int ui = -1;
  Value *uv = eval_arg_kw(args, "usecols", &ui);
  *keep = ARENA_ARRAY(a, bool, nf + 1);
  usecols_arg(e, df, uv, *keep, uv ? args->kw_loc[ui] : args->loc);
  *forced = ARENA_ARRAY(a, int, nf + 1);
  bool *date = ARENA_ARRAY(a, bool, nf + 1);
  df_csv_column_opts(e, o, df->cols, (int)nf, *forced, date);
  for (int c = 0; c < nf; c++) {
    if (!(*keep)[c]) { /* pandas neither types nor keeps it */
      df->dtypes[c] = DF_OBJ;
      continue;
    }
    df->dtypes[c] = column_dtype(cells + c * SAMPLE_ROWS, rows, (*forced)[c], date[c],
                                 o->assume_missing, path, df->cols[c], loc);
    if (df->dtypes[c] == DF_DT)
      (*forced)[c] = -1; /* a date column is read as dates, checked against Dask's meta */
  }
}

/* ---- the graph ---- */

static const char *token_text(Eval *e, const FileList *l, int64_t blocksize) {
  const char *s = arena_printf(eval_arena(e), "%lld", (long long)blocksize);
  for (int i = 0; i < l->n; i++)
    s = arena_printf(eval_arena(e), "%s|%s|%lld|%lld", s, l->f[i].path,
                     (long long)l->f[i].size, (long long)l->f[i].mtime);
  return s;
}

static void make_tasks(Eval *e, DFrame *df, const FileList *l, int64_t blocksize,
                       const bool *keep, const int *forced, const CsvOpts *o, Loc loc) {
  Arena *a = eval_arena(e);
  Val *names = df_names_val(e, df->cols, df->ncols);
  const char **dn = ARENA_ARRAY(a, const char *, df->ncols + 1);
  for (int c = 0; c < df->ncols; c++)
    dn[c] = !keep[c]         ? ""
            : forced[c] >= 0 ? arena_printf(a, "=%s", df_dtype_name(df->dtypes[c]))
                             : df_dtype_name(df->dtypes[c]);
  Val *dtypes = df_names_val(e, dn, df->ncols);
  int64_t total = 0;
  for (int i = 0; i < l->n; i++)
    total += blocksize ? csv_block_plan(l->f[i].size, blocksize, NULL, 0) : 1;
  if (total > 10000000)
    diag_error(loc, "read_csv() would make %lld partitions; use a larger blocksize",
               (long long)total);
  df->nparts = (int)total;
  df->parts = ARENA_ARRAY(a, Task *, total + 1);
  eval_step(e, loc, total);
  int p = 0;
  for (int i = 0; i < l->n; i++) {
    const CsvFile *f = &l->f[i];
    int64_t nb = blocksize ? csv_block_plan(f->size, blocksize, NULL, 0) : 1;
    CsvBlock *b = ARENA_ARRAY(a, CsvBlock, nb + 1);
    if (blocksize)
      csv_block_plan(f->size, blocksize, b, nb);
    else
      b[0] = (CsvBlock){0, f->size};
    Val *path = val_str(a, f->path, (int)strlen(f->path));
    for (int64_t k = 0; k < nb; k++, p++) {
      Task *t = df_task(e, df->name, p, OP_df_read_csv, 9, loc);
      t->args[0] = path;
      t->args[1] = val_int(a, b[k].offset);
      t->args[2] = val_int(a, b[k].length);
      t->args[3] = names;
      t->args[4] = dtypes;
      t->args[5] = val_int(a, f->size);
      t->args[6] = val_int(a, f->mtime);
      t->args[7] = val_str(a, &o->sep, 1);
      t->args[8] = val_int(a, o->header);
      df->parts[p] = t;
    }
  }
}

/* Only the kept columns stay in the value's metadata. */
static void drop_columns(DFrame *df, const bool *keep) {
  int k = 0;
  for (int c = 0; c < df->ncols; c++)
    if (keep[c]) {
      df->cols[k] = df->cols[c];
      df->dtypes[k++] = df->dtypes[c];
    }
  df->ncols = k;
}

Value *df_read_csv_fn(Eval *e, Args *a) {
  static const char *kws[] = {"blocksize", "usecols",        "dtype", "parse_dates",
                              "sep",       "assume_missing", "header", "names", NULL};
  eval_args_check_kw(e, a, "read_csv", kws);
  eval_args_count(e, a, "read_csv", 1, 1);
  Loc ploc = a->pos_loc[0];
  FileList l = coll_files(e, a->pos[0], "read_csv", ploc);
  int bi = -1;
  Value *bv = eval_arg_kw(a, "blocksize", &bi);
  int64_t blocksize = blocksize_arg(e, bv, bv ? a->kw_loc[bi] : a->loc);
  /* the keywords are part of the token: two reads that differ get two names */
  const char *what = token_text(e, &l, blocksize);
  for (int k = 1; kws[k]; k++) {
    Value *v = eval_arg_kw(a, kws[k], NULL);
    if (v)
      what = arena_printf(eval_arena(e), "%s|%s=%s", what, kws[k], v_repr(eval_arena(e), v));
  }
  DFrame *df = df_alloc(e, coll_token_name(e, "read-csv", what), 0, 0, false);
  CsvOpts o = df_csv_opts(e, a);
  Sample s = read_sample(e, &l.f[0], ploc);
  int *forced;
  bool *keep;
  infer_columns(e, df, &s, l.f[0].path, &o, &forced, a, &keep, ploc);
  make_tasks(e, df, &l, blocksize, keep, forced, &o, a->loc);
  drop_columns(df, keep);
  df->pic = pic_layer(e, "read-csv", df->nparts, true);
  return df_value(e, df);
}

/* A read_csv partition task that may stop after N rows, for head(n)
 * (the issue allows it: Dask reads the whole block); any other task, or
 * N < 0, unchanged. */
Task *df_csv_head(Eval *e, Task *t, int64_t n) {
  if (t->op != op_get(OP_df_read_csv) || n < 0 || t->nargs != 9)
    return t;
  Arena *a = eval_arena(e);
  const Val *key = t->key;
  const char *what = arena_printf(a, "%s|head|%lld", key->seq.items[0]->str.s, (long long)n);
  Task *p = df_task(e, coll_token_name(e, "read-csv", what), (int)key->seq.items[1]->i,
                    OP_df_read_csv, 10, t->loc);
  for (int i = 0; i < t->nargs; i++)
    p->args[i] = t->args[i];
  p->args[9] = val_int(a, n);
  return p;
}

/* A read_csv partition task reading only the columns COLS of its frame
 * (Dask's column projection into read_csv, which describe() and df[...]
 * get from its optimizer): the others are split but neither typed nor
 * kept. Any other task is returned as it is. */
Task *df_csv_project(Eval *e, Task *t, const char *const *cols, int n) {
  if (t->op != op_get(OP_df_read_csv))
    return t;
  Arena *a = eval_arena(e);
  const Val *names = t->args[3], *dtypes = t->args[4];
  Val **dn = ARENA_ARRAY(a, Val *, names->seq.n + 1);
  bool changed = false;
  const Val *key = t->key; /* (name, i): one name for all the partitions */
  const char *what = key->seq.items[0]->str.s;
  for (int c = 0; c < names->seq.n; c++) {
    bool want = false;
    for (int k = 0; k < n && !want; k++)
      want = !strcmp(names->seq.items[c]->str.s, cols[k]);
    dn[c] = dtypes->seq.items[c];
    if (!want && dtypes->seq.items[c]->str.len) {
      dn[c] = val_str(a, "", 0);
      changed = true;
    }
    what = arena_printf(a, "%s|%s", what, dn[c]->str.s);
  }
  if (!changed)
    return t;
  Task *p = df_task(e, coll_token_name(e, "read-csv", what), (int)key->seq.items[1]->i,
                    OP_df_read_csv, t->nargs, t->loc);
  for (int i = 0; i < t->nargs; i++)
    p->args[i] = t->args[i];
  p->args[4] = val_seq(a, VAL_TUPLE, dn, names->seq.n);
  return p;
}
