/* df_dates.c - the .dt accessor of a datetime64[ns] Series (a read_csv
 * parse_dates= column): s.dt.year, .month, .day, .hour, .minute, .second,
 * .weekday / .dayofweek / .day_of_week, each an int64 Series made
 * partition by partition (runtime/frame_dates.c), as Dask maps them. */
#include <string.h>

#include "df.h"

static const char *fields[] = {"year",   "month",   "day",       "hour",        "minute",
                               "second", "weekday", "dayofweek", "day_of_week", NULL};

Value *df_dt_accessor(Eval *e, DFrame *f, Loc loc) {
  if (f->dtypes[0] != DF_DT)
    diag_error(loc, "Can only use .dt accessor with datetimelike values (the Series is %s)",
               df_dtype_name(f->dtypes[0]));
  DFrame *d = df_alloc(e, f->name, 1, f->nparts, true);
  d->cols[0] = f->cols[0];
  d->dtypes[0] = DF_DT;
  memcpy(d->parts, f->parts, sizeof *d->parts * (size_t)f->nparts);
  d->dt_accessor = true;
  d->pic = f->pic;
  return df_value(e, d);
}

Value *df_dt_attr(Eval *e, DFrame *f, const char *name, Loc loc) {
  int k = 0;
  while (fields[k] && strcmp(fields[k], name))
    k++;
  if (!fields[k])
    diag_error(loc, "'.dt.%s' is not supported by taskc yet (year, month, day, hour, minute, "
               "second, weekday and dayofweek are)", name);
  Arena *a = eval_arena(e);
  const char *what = arena_printf(a, "%s|%s", f->name, name);
  DFrame *r = df_alloc(e, coll_token_name(e, arena_printf(a, "dt-%s", name), what), 1,
                       f->nparts, true);
  r->cols[0] = f->cols[0];
  r->dtypes[0] = DF_I64;
  r->pic = df_pic_each(e, arena_printf(a, "dt-%s", name), f, NULL);
  Val *fv = val_str(a, name, (int)strlen(name));
  for (int p = 0; p < f->nparts; p++) {
    Task *t = df_task(e, r->name, p, OP_df_dt_field, 2, loc);
    t->args[0] = val_ref(a, f->parts[p]);
    t->args[1] = fv;
    r->parts[p] = t;
  }
  return df_value(e, r);
}
