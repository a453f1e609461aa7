/* frame_dates.c - datetime64[ns] columns (read_csv(parse_dates=)): the
 * Series.dt fields, and their text as pandas 1.5 prints them and as
 * Timestamp.isoformat() writes them (--format json). */
#include <string.h>

#include "csv.h"
#include "frame.h"

enum { NS_PER_DAY = 86400000000000LL };

typedef struct Parts {
  int64_t y, mo, d, h, mi, s, ns, wday; /* wday: Monday is 0 */
} Parts;

static Parts parts_of(int64_t ns) {
  Parts p;
  int64_t days = ns / NS_PER_DAY, rem = ns % NS_PER_DAY;
  if (rem < 0) {
    rem += NS_PER_DAY;
    days--;
  }
  csv_civil_from_days(days, &p.y, &p.mo, &p.d);
  p.wday = ((days % 7) + 7 + 3) % 7; /* 1970-01-01 was a Thursday */
  p.ns = rem % 1000000000;
  rem /= 1000000000;
  p.s = rem % 60;
  p.mi = rem / 60 % 60;
  p.h = rem / 3600;
  return p;
}

/* How pandas shows a column's values: -1 dates only, else the digits of
 * the seconds' fraction (0, 3, 6 or 9) any value needs. NaT is ignored. */
int frame_dt_precision(const int64_t *v, int64_t n) {
  bool dates = true;
  int prec = 0;
  for (int64_t i = 0; i < n; i++) {
    if (v[i] == CSV_NAT)
      continue;
    Parts p = parts_of(v[i]);
    dates &= p.h == 0 && p.mi == 0 && p.s == 0 && p.ns == 0;
    int need = p.ns % 1000 ? 9 : p.ns % 1000000 ? 6 : p.ns ? 3 : 0;
    prec = need > prec ? need : prec;
  }
  return dates ? -1 : prec;
}

void frame_dt_text(Buf *b, int64_t ns, int prec) {
  if (ns == CSV_NAT) {
    buf_puts(b, "NaT");
    return;
  }
  Parts p = parts_of(ns);
  buf_printf(b, "%04lld-%02lld-%02lld", (long long)p.y, (long long)p.mo, (long long)p.d);
  if (prec < 0)
    return;
  buf_printf(b, " %02lld:%02lld:%02lld", (long long)p.h, (long long)p.mi, (long long)p.s);
  if (prec)
    buf_printf(b, ".%0*lld", prec, (long long)(p.ns / (prec == 3 ? 1000000 : prec == 6 ? 1000 : 1)));
}

void frame_dt_iso(Buf *b, int64_t ns) {
  Parts p = parts_of(ns);
  buf_printf(b, "\"%04lld-%02lld-%02lldT%02lld:%02lld:%02lld", (long long)p.y, (long long)p.mo,
             (long long)p.d, (long long)p.h, (long long)p.mi, (long long)p.s);
  if (p.ns % 1000)
    buf_printf(b, ".%09lld", (long long)p.ns);
  else if (p.ns)
    buf_printf(b, ".%06lld", (long long)(p.ns / 1000));
  buf_puts(b, "\"");
}

/* One field of a Parts, by its pandas name. */
static int field_of(const char *name) {
  static const char *names[] = {"year",    "month",   "day",       "hour",
                                "minute",  "second",  "weekday",   "dayofweek",
                                "day_of_week", NULL};
  for (int i = 0; names[i]; i++)
    if (!strcmp(names[i], name))
      return i;
  tr_fail("Series.dt: unknown field '%s'", name);
}

static int64_t field_value(const Parts *p, int k) {
  switch (k) {
  case 0: return p->y;
  case 1: return p->mo;
  case 2: return p->d;
  case 3: return p->h;
  case 4: return p->mi;
  case 5: return p->s;
  default: return p->wday;
  }
}

/* s.dt.<field>: int64, or float64 with NaN where s has NaT (pandas 1.5). */
void tr_op_df_dt_field(const TrValue *args, int64_t n, TrValue *out) {
  (void)n;
  const TrFrame *f = frame_arg(&args[0], "dt");
  if (f->ncols != 1 || f->cols[0].dtype != TR_COL_DT)
    tr_fail("Can only use .dt accessor with datetimelike values");
  int k = field_of(((const TrStr *)args[1].u.p)->data);
  const int64_t *v = f->cols[0].data;
  bool nat = false;
  for (int64_t r = 0; r < f->nrows && !nat; r++)
    nat = v[r] == CSV_NAT;
  TrFrame *g = tr_frame_new(1, f->nrows);
  g->series = 1;
  tr_frame_alloc_col(g, 0, nat ? TR_COL_F64 : TR_COL_I64);
  if (f->cols[0].name)
    g->cols[0].name = tr_str_new(f->cols[0].name->data, f->cols[0].name->len);
  for (int64_t r = 0; r < f->nrows; r++) {
    Parts p = parts_of(v[r] == CSV_NAT ? 0 : v[r]);
    int64_t x = field_value(&p, k);
    if (nat)
      ((double *)g->cols[0].data)[r] = v[r] == CSV_NAT ? __builtin_nan("") : (double)x;
    else
      ((int64_t *)g->cols[0].data)[r] = x;
  }
  frame_copy_index(g, f, NULL);
  *out = tr_obj(TR_FRAME, g);
}
