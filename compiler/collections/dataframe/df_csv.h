/* df_csv.h - read_csv's keyword options (df_csv_opts.c), read by df_csv.c. */
#ifndef TASKC_DF_CSV_H
#define TASKC_DF_CSV_H

#include "df.h"

typedef struct CsvOpts {
  char sep;            /* sep=: one byte */
  bool header;         /* the first line names the columns (header=0) */
  const char **names;  /* names=, or NULL */
  int nnames;
  Value *dtype;        /* dtype=: a dict or one dtype, or NULL */
  Loc dtype_loc;
  Value *parse_dates;  /* parse_dates=: a list of names or positions, or NULL */
  Loc dates_loc;
  bool assume_missing;
} CsvOpts;

/* sep=, header=, names=, assume_missing=; dtype= and parse_dates= are
 * kept for df_csv_column_opts. */
CsvOpts df_csv_opts(Eval *e, Args *a);
/* What dtype= and parse_dates= say of each of the NCOLS columns named
 * COLS: forced[c] is the DF_* dtype= gives (-1: none), date[c] whether
 * parse_dates= names it. */
void df_csv_column_opts(Eval *e, const CsvOpts *o, const char *const *cols, int ncols,
                        int *forced, bool *date);

#endif
