/* test_rt_csv_fast.c - the one-pass block reader (frame_csv_fast.c)
 * against the general one (frame_csv.c: the cell table and pandas'
 * passes) on random blocks: ints, floats (ints among them, NA, inf,
 * exponents, huge ints), text (quoted, with separators, doubled quotes
 * and newlines), dates in both forms, bools; CRLF, blank lines, short
 * rows, a header or none, ',' or ';'. Wherever the fast reader answers,
 * its frame must be the general one's, bit for bit; it must answer for
 * most blocks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "frame.h"
#include "test_rt_check.h"

enum { MAXC = 5, MAXR = 40 };

static unsigned long long state = 88172645463325252ull;
static unsigned rnd(unsigned n) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return (unsigned)(state % n);
}

typedef struct Cell {
  char text[48]; /* the field's value, unquoted */
} Cell;

static void gen_field(int kind, char *out) {
  static const char *na[] = {"", "NA", "nan", "NULL"};
  if (rnd(10) == 0) {
    strcpy(out, na[rnd(4)]);
    return;
  }
  switch (kind) {
  case 0: sprintf(out, "%s%u", rnd(4) ? "" : "-", rnd(100000)); break;
  case 1:
    switch (rnd(8)) {
    case 0: sprintf(out, "%u", rnd(1000)); break;
    case 1: strcpy(out, rnd(2) ? "inf" : "-Infinity"); break;
    case 2: sprintf(out, "%u.%ue%d", rnd(10), rnd(1000), (int)rnd(40) - 20); break;
    case 3: strcpy(out, rnd(2) ? "99999999999999999999" : "12345678901234567.5"); break;
    default: sprintf(out, "%s%u.%0*u", rnd(3) ? "" : "-", rnd(100), 1 + (int)rnd(6), rnd(100000));
    }
    break;
  case 2: {
    static const char *t[] = {"plain", "a,b", "a;b", "q\"uote", "line\nbreak", "x y", "1"};
    strcpy(out, t[rnd(7)]);
    break;
  }
  case 3:
    if (rnd(2))
      sprintf(out, "20%02u-%02u-%02u %02u:%02u:%02u", rnd(30), 1 + rnd(12), 1 + rnd(28),
              rnd(24), rnd(60), rnd(60));
    else
      sprintf(out, "%u/%u/20%02u %u:%02u:%02u", 1 + rnd(12), 1 + rnd(28), rnd(30), rnd(24),
              rnd(60), rnd(60));
    break;
  default: strcpy(out, rnd(2) ? "True" : "false");
  }
}

static void put_field(char **p, const char *s, char sep) {
  bool quote = strchr(s, sep) || strchr(s, '"') || strchr(s, '\n') || (s[0] && rnd(4) == 0);
  if (!quote) {
    *p += sprintf(*p, "%s", s);
    return;
  }
  *(*p)++ = '"';
  for (; *s; s++) {
    if (*s == '"')
      *(*p)++ = '"';
    *(*p)++ = *s;
  }
  *(*p)++ = '"';
}

static TrValue str_val(const char *s) { return tr_obj(TR_STR, tr_str_new(s, (int64_t)strlen(s))); }

static bool same_frames(const TrFrame *a, const TrFrame *b) {
  if (a->ncols != b->ncols || a->nrows != b->nrows)
    return false;
  for (int64_t c = 0; c < a->ncols; c++) {
    const TrColumn *x = &a->cols[c], *y = &b->cols[c];
    if (x->dtype != y->dtype || x->name->len != y->name->len ||
        memcmp(x->name->data, y->name->data, (size_t)x->name->len))
      return false;
    for (int64_t r = 0; r < a->nrows; r++) {
      if (x->dtype == TR_COL_OBJ) {
        const TrStr *s = ((TrStr **)x->data)[r], *t = ((TrStr **)y->data)[r];
        if (!s != !t || (s && (s->len != t->len || memcmp(s->data, t->data, (size_t)s->len))))
          return false;
      } else {
        size_t es = x->dtype == TR_COL_BOOL ? 1 : 8;
        if (memcmp((char *)x->data + r * es, (char *)y->data + r * es, es))
          return false;
      }
    }
  }
  return true;
}

static int one_block(int iter) {
  int ncols = 1 + (int)rnd(MAXC), nrows = (int)rnd(MAXR);
  char sep = rnd(3) ? ',' : ';';
  bool header = rnd(4) != 0, crlf = rnd(3) == 0;
  int kinds[MAXC];
  static Cell cells[MAXR][MAXC];
  static char text[MAXR * MAXC * 110 + 512];
  char *p = text;
  for (int c = 0; c < ncols; c++)
    kinds[c] = (int)rnd(5);
  if (header) {
    for (int c = 0; c < ncols; c++)
      p += sprintf(p, "%sc%d", c ? (sep == ',' ? "," : ";") : "", c);
    p += sprintf(p, crlf ? "\r\n" : "\n");
  }
  for (int r = 0; r < nrows; r++) {
    if (rnd(15) == 0)
      p += sprintf(p, crlf ? "\r\n" : "\n"); /* a blank line */
    int nf = rnd(12) == 0 ? 1 + (int)rnd((unsigned)ncols) : ncols;
    for (int c = 0; c < ncols; c++) {
      if (c < nf)
        gen_field(kinds[c], cells[r][c].text);
      else
        cells[r][c].text[0] = 0;
      if (c < nf) {
        if (c)
          *p++ = sep;
        put_field(&p, cells[r][c].text, sep);
      }
    }
    if (nf == 1 && !cells[r][0].text[0])
      p += sprintf(p, "\"\""); /* not a blank line */
    if (r < nrows - 1 || rnd(3))
      p += sprintf(p, crlf ? "\r\n" : "\n");
  }
  int64_t len = p - text;
  TrSeq *names = tr_seq_new(ncols), *dtypes = tr_seq_new(ncols);
  for (int c = 0; c < ncols; c++) {
    char name[16];
    snprintf(name, sizeof name, "c%d", c);
    names->items[c] = str_val(name);
    CsvText t[MAXR];
    bool dates = true;
    for (int r = 0; r < nrows; r++) {
      t[r] = (CsvText){cells[r][c].text, (int64_t)strlen(cells[r][c].text)};
      int64_t ns;
      dates &= csv_parse_date(t[r].s, (size_t)t[r].len, &ns) != CSV_BAD;
    }
    CsvType ty = csv_column_type(t, nrows);
    const char *d = ty == CSV_T_I64 ? "int64" : ty == CSV_T_F64 ? "float64"
                    : ty == CSV_T_BOOL ? "bool" : "object";
    if (kinds[c] == 3 && dates && rnd(2))
      d = "datetime64[ns]";
    if (rnd(5) == 0)
      d = "";
    dtypes->items[c] = str_val(d);
  }
  TrFrame *fast = frame_csv_fast(text, len, header, sep, names, dtypes, -1);
  char *copy = malloc((size_t)len + 1);
  memcpy(copy, text, (size_t)len);
  TrFrame *slow = frame_csv_general(copy, len, header, sep, names, dtypes);
  CHECK(!fast || same_frames(fast, slow), "block %d differs:\n%.*s", iter, (int)len, text);
  TrValue v = tr_obj(TR_FRAME, slow);
  tr_decref(&v);
  if (fast) {
    v = tr_obj(TR_FRAME, fast);
    tr_decref(&v);
  }
  TrValue nv = tr_obj(TR_TUPLE, names), dv = tr_obj(TR_TUPLE, dtypes);
  tr_decref(&nv);
  tr_decref(&dv);
  return fast != NULL;
}

/* A block past 64 KB whose first lines are long and the rest short: the
 * fast reader sizes its columns from the first 64 KB and must grow them. */
static void test_growth(void) {
  enum { LONG = 1500, SHORT = 60000 };
  char *text = malloc((size_t)LONG * 80 + (size_t)SHORT * 16 + 16), *p = text;
  p += sprintf(p, "a,b\n");
  for (int r = 0; r < LONG; r++)
    p += sprintf(p, "%d.5,%070d\n", r, r);
  for (int r = 0; r < SHORT; r++)
    p += sprintf(p, "%d.25,x%d\n", r, r % 10);
  int64_t len = p - text;
  TrSeq *names = tr_seq_new(2), *dtypes = tr_seq_new(2);
  names->items[0] = str_val("a");
  names->items[1] = str_val("b");
  dtypes->items[0] = str_val("float64");
  dtypes->items[1] = str_val("object");
  TrFrame *fast = frame_csv_fast(text, len, true, ',', names, dtypes, -1);
  TrFrame *slow = frame_csv_general(text, len, true, ',', names, dtypes); /* takes text */
  CHECK(fast && fast->nrows == LONG + SHORT && same_frames(fast, slow),
        "a growing block: %lld rows", fast ? (long long)fast->nrows : -1LL);
  TrValue v = tr_obj(TR_FRAME, slow);
  tr_decref(&v);
  if (fast) {
    v = tr_obj(TR_FRAME, fast);
    tr_decref(&v);
  }
  TrValue nv = tr_obj(TR_TUPLE, names), dv = tr_obj(TR_TUPLE, dtypes);
  tr_decref(&nv);
  tr_decref(&dv);
}

int main(void) {
  test_growth();
  int n = 20000, answered = 0;
  for (int i = 0; i < n && failures < 5; i++)
    answered += one_block(i);
  CHECK(answered > n / 3, "the fast reader answered only %d of %d blocks", answered, n);
  printf("fast reader: %d of %d blocks\n", answered, n);
  if (failures)
    printf("%d failures\n", failures);
  return failures != 0;
}
