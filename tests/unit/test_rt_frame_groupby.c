/* test_rt_frame_groupby.c - groupby, value_counts and the partition-wise
 * methods in the runtime (frame_groupby.c, frame_transform.c), called as
 * tasks call them: pandas' Kahan group sums, Dask's value_counts order
 * with ties past 16 keys (expected values from pandas 1.5), missing keys
 * dropped, and every object released (also run under ASan and TSan). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "rt.h"
#include "test_rt_check.h"

static TrValue str(const char *s) { return tr_obj(TR_STR, tr_str_new(s, (int64_t)strlen(s))); }

static TrValue tuple(int n, const TrValue *items) {
  TrSeq *t = tr_seq_new(n);
  for (int i = 0; i < n; i++)
    t->items[i] = items[i];
  return tr_obj(TR_TUPLE, t);
}

/* A frame: column k (text, NULL missing) and v (float64). */
static TrFrame *frame_kv(const char *const *keys, const double *v, int64_t n) {
  TrFrame *f = tr_frame_new(2, n);
  tr_frame_alloc_col(f, 0, TR_COL_OBJ);
  tr_frame_alloc_col(f, 1, TR_COL_F64);
  f->cols[0].name = tr_str_new("k", 1);
  f->cols[1].name = tr_str_new("v", 1);
  for (int64_t r = 0; r < n; r++) {
    ((TrStr **)f->cols[0].data)[r] = keys[r] ? tr_str_new(keys[r], (int64_t)strlen(keys[r])) : NULL;
    ((double *)f->cols[1].data)[r] = v[r];
  }
  return f;
}

/* chunk(part, "k", (sorted, stats, cols)) */
static TrValue chunk(TrFrame *f, int sorted, const char *stats, const char *col) {
  int ns = (int)strlen(stats);
  TrValue cols[8];
  for (int i = 0; i < ns; i++)
    cols[i] = str(col);
  TrValue spec[3] = {tr_int(sorted), str(stats), tuple(ns, cols)};
  TrValue args[3] = {tr_obj(TR_FRAME, f), str("k"), tuple(3, spec)}, out;
  tr_incref(&args[0]);
  tr_op_df_gb_chunk(args, 3, &out);
  for (int i = 0; i < 3; i++)
    tr_decref(&args[i]);
  return out;
}

/* agg(partials, comb, final, (index name, series, (name,))) */
static TrValue agg(TrValue *parts, int n, const char *comb, const char *final, int series) {
  TrSeq *l = tr_seq_new(n);
  for (int i = 0; i < n; i++)
    l->items[i] = parts[i];
  TrValue nm = str("v"), names[3] = {str("k"), tr_int(series), tuple(1, &nm)};
  TrValue args[4] = {tr_obj(TR_LIST, l), str(comb), final ? str(final) : (TrValue){0},
                     tuple(3, names)}, out;
  tr_op_df_gb_agg(args, 4, &out);
  for (int i = 0; i < 4; i++)
    tr_decref(&args[i]);
  return out;
}

static void test_kahan_and_order(void) {
  int64_t live = tr_live_objects();
  const char *keys[12] = {"b", "a", "b", "b", "b", "b", "b", "b", "b", "b", "b", NULL};
  double v[12] = {0.1, 2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 5};
  TrFrame *f = frame_kv(keys, v, 12);
  TrValue parts[1] = {chunk(f, 1, "sc", "v")};
  const TrFrame *p = parts[0].u.p;
  CHECK(p->nrows == 2, "groups: %lld (a missing key is none)", (long long)p->nrows);
  CHECK(p->index && !strcmp(p->index[0]->data, "a"), "sorted chunk: a first");
  TrValue r = agg(parts, 1, "ss", "m0,1", 1);
  const TrFrame *m = r.u.p;
  CHECK(m->nrows == 2 && m->series, "a series of 2");
  double sum_b = ((const double *)m->cols[0].data)[1] * 10;
  CHECK(sum_b == 1.0, "Kahan: ten 0.1 sum to 1.0 as pandas' group_sum, got %.17g", sum_b);
  CHECK(m->index_name && !strcmp(m->index_name->data, "k"), "index named k");
  tr_decref(&r);
  /* unsorted chunk: first appearance */
  TrValue q = chunk(f, 0, "z", "v");
  CHECK(!strcmp(((const TrFrame *)q.u.p)->index[0]->data, "b"), "unsorted chunk: b first");
  tr_decref(&q);
  TrValue fv = tr_obj(TR_FRAME, f);
  tr_decref(&fv);
  CHECK(tr_live_objects() == live, "objects left: %lld", (long long)(tr_live_objects() - live));
}

static void test_value_counts_ties(void) {
  int64_t live = tr_live_objects();
  const char *rows = "mjefnskseemckpcrmnmffeoinklkaokffnnfmihomteilacgohjlohhtlsmmlntibjcfsslnsqfl"
                     "prtrghoisasdoqmplfooh";
  int64_t n = (int64_t)strlen(rows);
  const char **keys = malloc((size_t)n * sizeof *keys);
  double *v = calloc((size_t)n, sizeof *v);
  static char letters[26][2];
  for (int i = 0; i < 26; i++)
    letters[i][0] = (char)('a' + i);
  for (int64_t i = 0; i < n; i++)
    keys[i] = letters[rows[i] - 'a'];
  /* three partitions, as Dask's chunks */
  TrValue parts[3];
  int64_t cut[4] = {0, n / 3, 2 * n / 3, n};
  for (int p = 0; p < 3; p++) {
    TrFrame *f = frame_kv(keys + cut[p], v + cut[p], cut[p + 1] - cut[p]);
    parts[p] = chunk(f, 0, "z", "k");
    TrValue fv = tr_obj(TR_FRAME, f);
    tr_decref(&fv);
  }
  TrValue r = agg(parts, 3, "s", "V;t0", 1);
  const TrFrame *m = r.u.p;
  const char *want = "ofmlsnhkeitcjpragqbd"; /* Dask 2022.12 on the same rows */
  CHECK(m->nrows == 20, "keys: %lld", (long long)m->nrows);
  for (int64_t i = 0; i < m->nrows && i < 20; i++)
    CHECK(m->index[i]->data[0] == want[i], "rank %lld: %s, want %c", (long long)i,
          m->index[i]->data, want[i]);
  tr_decref(&r);
  free(keys);
  free(v);
  CHECK(tr_live_objects() == live, "objects left: %lld", (long long)(tr_live_objects() - live));
}

static void test_transform(void) {
  int64_t live = tr_live_objects();
  const char *keys[4] = {"x", NULL, "y", NULL};
  double v[4] = {1.5, NAN, NAN, 4};
  TrFrame *f = frame_kv(keys, v, 4);
  TrValue fv = tr_obj(TR_FRAME, f), out;
  TrValue d[3] = {fv, (TrValue){0}, tr_int(0)};
  tr_op_df_dropna(d, 3, &out);
  CHECK(((const TrFrame *)out.u.p)->nrows == 1, "dropna keeps 1 row");
  CHECK(((const TrFrame *)out.u.p)->labels[0] == 0, "its label 0");
  tr_decref(&out);
  d[2] = tr_int(1);
  tr_op_df_dropna(d, 3, &out);
  CHECK(((const TrFrame *)out.u.p)->nrows == 3, "dropna(how='all') keeps 3 rows");
  tr_decref(&out);
  TrValue per_col[2] = {str("?"), (TrValue){0}}; /* fillna({'k': '?'}) */
  TrValue fill[2] = {fv, tuple(2, per_col)};
  tr_op_df_fillna(fill, 2, &out);
  CHECK(!strcmp(((TrStr **)((const TrFrame *)out.u.p)->cols[0].data)[1]->data, "?"), "fillna");
  tr_decref(&out);
  tr_decref(&fill[1]);
  TrValue dts[2] = {tr_int(TR_COL_OBJ), tr_int(TR_COL_OBJ)};
  TrValue as[2] = {fv, tuple(2, dts)};
  tr_op_df_astype(as, 2, &out);
  const TrFrame *t = out.u.p;
  CHECK(!strcmp(((TrStr **)t->cols[1].data)[0]->data, "1.5") &&
            !strcmp(((TrStr **)t->cols[1].data)[1]->data, "nan") &&
            !strcmp(((TrStr **)t->cols[0].data)[1]->data, "nan"),
        "astype(str): 1.5, nan");
  tr_decref(&out);
  tr_decref(&as[1]);
  TrValue asg[3] = {fv, str("w"), tr_int(7)};
  tr_op_df_assign(asg, 3, &out);
  t = out.u.p;
  CHECK(t->ncols == 3 && ((const int64_t *)t->cols[2].data)[3] == 7 &&
            !strcmp(t->cols[2].name->data, "w"), "assign(w=7) appends");
  tr_decref(&out);
  tr_decref(&asg[1]);
  tr_decref(&fv);
  CHECK(tr_live_objects() == live, "objects left: %lld", (long long)(tr_live_objects() - live));
}

/* groupby(['k', 'n']): a MultiIndex of levels k (text) and n (int64). */
static TrFrame *frame_kn(const char *const *keys, const int64_t *n, int64_t rows) {
  double v[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  TrFrame *f = frame_kv(keys, v, rows);
  TrFrame *g = tr_frame_new(3, rows);
  for (int64_t c = 0; c < 2; c++) { /* k, v, then n */
    g->cols[c] = f->cols[c];
    f->cols[c] = (TrColumn){0};
  }
  f->ncols = 0;
  TrValue fv = tr_obj(TR_FRAME, f);
  tr_decref(&fv);
  tr_frame_alloc_col(g, 2, TR_COL_I64);
  g->cols[2].name = tr_str_new("n", 1);
  memcpy(g->cols[2].data, n, (size_t)rows * sizeof *n);
  return g;
}

static TrValue chunk_kn(TrFrame *f, int sorted) {
  TrValue cols[1] = {str("v")}, keys[2] = {str("k"), str("n")};
  TrValue spec[3] = {tr_int(sorted), str("s"), tuple(1, cols)};
  TrValue args[3] = {tr_obj(TR_FRAME, f), tuple(2, keys), tuple(3, spec)}, out;
  tr_op_df_gb_chunk(args, 3, &out);
  for (int i = 0; i < 3; i++)
    tr_decref(&args[i]);
  return out;
}

static const char *level_text(const TrFrame *f, int64_t r) {
  return ((TrStr *const *)f->levels->cols[0].data)[r]->data;
}

static int64_t level_int(const TrFrame *f, int64_t r) {
  return ((const int64_t *)f->levels->cols[1].data)[r];
}

static void test_multi_keys(void) {
  int64_t live = tr_live_objects();
  const char *k0[5] = {"b", "a", "b", NULL, "a"}, *k1[3] = {"c", "a", "b"};
  int64_t n0[5] = {2, 5, 1, 1, 5}, n1[3] = {0, 1, 2};
  TrValue parts[2] = {chunk_kn(frame_kn(k0, n0, 5), 1), chunk_kn(frame_kn(k1, n1, 3), 0)};
  const TrFrame *p = parts[0].u.p;
  CHECK(p->nrows == 3 && p->levels && p->levels->ncols == 2, "3 groups of 2 levels (one "
        "missing key dropped), got %lld", (long long)p->nrows);
  CHECK(!strcmp(level_text(p, 0), "a") && level_int(p, 0) == 5 && level_int(p, 1) == 1 &&
            level_int(p, 2) == 2, "sorted chunk: (a, 5), (b, 1), (b, 2)");
  CHECK(((const double *)p->cols[0].data)[0] == 7, "(a, 5) sums 2 + 5");
  p = parts[1].u.p;
  CHECK(!strcmp(level_text(p, 0), "c") && !strcmp(level_text(p, 2), "b"), "unsorted chunk");
  TrValue r = agg(parts, 2, "s", "t0", 1);
  const TrFrame *m = r.u.p;
  CHECK(m->nrows == 5 && m->levels, "5 groups, got %lld", (long long)m->nrows);
  CHECK(!strcmp(level_text(m, 3), "c") && !strcmp(level_text(m, 4), "a") &&
            level_int(m, 4) == 1, "first appearance order over the partials");
  CHECK(!strcmp(m->levels->cols[0].name->data, "k") &&
            !strcmp(m->levels->cols[1].name->data, "n"), "levels named k, n");
  Buf b = {0};
  repr_frame(&b, m);
  char *text = buf_cstr(&b);
  const char *want = "k  n\na  5    7.0\nb  1    3.0\n   2    4.0\nc  0    1.0\na  1    2.0\n"
                     "Name: v, dtype: float64";
  CHECK(!strcmp(text, want), "repr:\n%s", text);
  free(text);
  tr_decref(&r);
  CHECK(tr_live_objects() == live, "objects left: %lld", (long long)(tr_live_objects() - live));
}

int main(void) {
  test_kahan_and_order();
  test_value_counts_ties();
  test_transform();
  test_multi_keys();
  if (failures)
    printf("%d failures\n", failures);
  return failures != 0;
}
