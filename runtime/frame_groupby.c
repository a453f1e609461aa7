/* frame_groupby.c - groupby aggregations and value_counts as Dask 2022.12
 * computes them: apply-concat-apply (aca) over the partitions.
 *
 *   df.gb_chunk(part, key, spec)  pandas' part.groupby(key)[col].<stat>()
 *       for each (stat, col) of spec: one frame of partial results indexed
 *       by the group keys (missing keys dropped). spec = (sort, stats,
 *       cols): stats one letter each, s sum, c count, z size, n min,
 *       x max, q sum of squares (Dask's _compute_sum_of_squares); sort 1
 *       orders the groups by key (pandas' default sort=True, Dask's
 *       _apply_chunk and _var_chunk), 0 keeps them as they first appear
 *       (Dask's agg path, sort=False).
 *   df.gb_agg(partials, comb, final, names)  pd.concat of the partials,
 *       then .groupby(level=0, sort=False) with comb's letter per column
 *       (s sum, n min, x max); final None: that is all (a tree's combine
 *       node). Else final lists the result columns, ';' separated:
 *       tI (column I), mS,C (S / C: Dask's mean), vS,C,Q,K (Dask's
 *       _finalize_var, K = 1 clamps negatives to 0 as _var_agg does),
 *       dS,C,Q,K (its sqrt: std). A leading "V;" is value_counts'
 *       aggregate: groups by key, then sort_values(ascending=False) of
 *       column 0 (pandas' nargsort: NumPy's quicksort of the reversed
 *       values, reversed); flags before the ';' change that (see
 *       value_counts below); a leading "K;" orders the groups by key
 *       (groupby(sort=True)). names = (index name or None, 0 a frame,
 *       1 a series, 2 a frame of MultiIndex columns named "top\x1fname",
 *       (result names or None, ...)).
 *
 * pandas' group sums of floats are Kahan-compensated (group_sum), NaN
 * skipped; ints add with wrap-around. min and max skip NaN (none: NaN). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"

static void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p)
    tr_fail("out of memory");
  return p;
}

/* ---- the groups: keys in order of first appearance ---- */

/* Keys are text (skey) or, in ikey, ints, the bits of floats, or bools:
 * kind is a TR_LABEL_*. Floats compare as numbers (0.0 == -0.0). */
typedef struct Groups {
  bool text;
  int64_t kind;
  int64_t n, cap, nslot;
  int64_t *slot;   /* group + 1, 0 empty */
  TrStr **skey;    /* borrowed */
  int64_t *ikey;
} Groups;

static uint64_t hash_text(const TrStr *s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (int64_t i = 0; i < s->len; i++)
    h = (h ^ (unsigned char)s->data[i]) * 0x100000001b3ull;
  return h;
}

static uint64_t hash_int(int64_t v) {
  uint64_t h = (uint64_t)v * 0x9e3779b97f4a7c15ull;
  return h ^ (h >> 29);
}

static double key_f(int64_t bits) {
  double x;
  memcpy(&x, &bits, sizeof x);
  return x;
}

static bool same_key(const Groups *g, int64_t a, int64_t b) {
  return g->kind == TR_LABEL_F64 ? key_f(a) == key_f(b) : a == b;
}

static bool same_text(const TrStr *a, const TrStr *b) {
  return a->len == b->len && !memcmp(a->data, b->data, (size_t)a->len);
}

static void groups_init(Groups *g, bool text, int64_t kind, int64_t rows) {
  memset(g, 0, sizeof *g);
  g->text = text;
  g->kind = kind;
  g->nslot = 16;
  while (g->nslot < 2 * rows)
    g->nslot *= 2;
  g->slot = xcalloc((size_t)g->nslot, sizeof *g->slot);
  g->cap = rows;
  g->skey = xcalloc((size_t)rows, sizeof *g->skey);
  g->ikey = xcalloc((size_t)rows, sizeof *g->ikey);
}

static void groups_free(Groups *g) {
  free(g->slot);
  free(g->skey);
  free(g->ikey);
}

/* The group of a key (at most g->cap groups: the rows given to init). */
static int64_t group_of(Groups *g, TrStr *s, int64_t i) {
  uint64_t h = g->text                     ? hash_text(s)
               : g->kind == TR_LABEL_F64 && key_f(i) == 0 ? hash_int(0) /* -0.0 too */
                                                   : hash_int(i);
  for (uint64_t at = h & (uint64_t)(g->nslot - 1);; at = (at + 1) & (uint64_t)(g->nslot - 1)) {
    int64_t k = g->slot[at] - 1;
    if (k < 0) {
      k = g->n++;
      g->slot[at] = k + 1;
      g->skey[k] = s;
      g->ikey[k] = i;
      return k;
    }
    if (g->text ? same_text(g->skey[k], s) : same_key(g, g->ikey[k], i))
      return k;
  }
}

static int cmp_text(const TrStr *a, const TrStr *b) {
  int64_t n = a->len < b->len ? a->len : b->len;
  int c = memcmp(a->data, b->data, (size_t)n);
  return c ? c : (a->len > b->len) - (a->len < b->len);
}

typedef struct KeyAt { /* a group and its key, for qsort */
  const TrStr *s;
  int64_t i, group;
} KeyAt;

static int cmp_text_at(const void *x, const void *y) {
  return cmp_text(((const KeyAt *)x)->s, ((const KeyAt *)y)->s);
}

static int cmp_int_at(const void *x, const void *y) {
  int64_t a = ((const KeyAt *)x)->i, b = ((const KeyAt *)y)->i;
  return (a > b) - (a < b);
}

static int cmp_float_at(const void *x, const void *y) {
  double a = key_f(((const KeyAt *)x)->i), b = key_f(((const KeyAt *)y)->i);
  return (a > b) - (a < b);
}

/* The groups in key order (pandas sorts text by code point: UTF-8 bytes;
 * keys are distinct, so qsort's instability does not show). */
static int64_t *key_order(const Groups *g) {
  KeyAt *k = xcalloc((size_t)g->n, sizeof *k);
  for (int64_t i = 0; i < g->n; i++)
    k[i] = (KeyAt){g->skey[i], g->ikey[i], i};
  qsort(k, (size_t)g->n, sizeof *k,
        g->text ? cmp_text_at : g->kind == TR_LABEL_F64 ? cmp_float_at : cmp_int_at);
  int64_t *o = xcalloc((size_t)g->n, sizeof *o);
  for (int64_t i = 0; i < g->n; i++)
    o[i] = k[i].group;
  free(k);
  return o;
}

/* ---- keys of one or several levels (a MultiIndex) ---- */

enum { MAX_LEVELS = 16 };

/* One key level's values by row: a column, or a partial's index. */
typedef struct KeyCol {
  int64_t dtype; /* how data holds them: TR_COL_OBJ, TR_COL_BOOL (bytes), else int64s */
  int64_t kind;  /* TR_LABEL_* for non-text keys */
  const void *data;
} KeyCol;

static KeyCol keycol_of(const TrColumn *c) {
  return (KeyCol){c->dtype,
                  c->dtype == TR_COL_F64    ? TR_LABEL_F64
                  : c->dtype == TR_COL_BOOL ? TR_LABEL_BOOL
                                            : TR_LABEL_INT,
                  c->data};
}

static KeyCol keycol_of_index(const TrFrame *p) {
  if (p->index)
    return (KeyCol){TR_COL_OBJ, TR_LABEL_INT, p->index};
  return (KeyCol){TR_COL_I64, p->label_kind, p->labels};
}

static TrStr *key_text(const KeyCol *k, int64_t r) {
  return k->dtype == TR_COL_OBJ ? ((TrStr *const *)k->data)[r] : NULL;
}

static int64_t key_int(const KeyCol *k, int64_t r) {
  return k->dtype == TR_COL_OBJ    ? 0
         : k->dtype == TR_COL_BOOL ? ((const uint8_t *)k->data)[r]
                                   : ((const int64_t *)k->data)[r];
}

static bool key_missing(const KeyCol *k, int64_t r) {
  return k->dtype == TR_COL_OBJ ? !key_text(k, r)
                                : k->kind == TR_LABEL_F64 && isnan(key_f(key_int(k, r)));
}

/* The groups of nlev key levels: each level's distinct keys, and for
 * several levels the distinct tuples, found by chaining (the group of
 * levels < l, the key of level l) pairs; groups in order of first
 * appearance. */
typedef struct Keys {
  int64_t nlev, n, cap;
  Groups lev[MAX_LEVELS];
  Groups chain[MAX_LEVELS]; /* [l], l >= 1 */
  int64_t *codes;           /* several levels: codes[g * nlev + l], group g's level l key */
} Keys;

static void keys_init(Keys *k, const KeyCol *kc, int64_t nlev, int64_t rows) {
  memset(k, 0, sizeof *k);
  if (nlev < 1 || nlev > MAX_LEVELS)
    tr_fail("groupby: %lld key columns (taskc takes 1 to %d)", (long long)nlev, MAX_LEVELS);
  k->nlev = nlev;
  k->cap = rows;
  for (int64_t l = 0; l < nlev; l++) {
    groups_init(&k->lev[l], kc[l].dtype == TR_COL_OBJ, kc[l].kind, rows);
    if (l)
      groups_init(&k->chain[l], false, TR_LABEL_INT, rows);
  }
  if (nlev > 1)
    k->codes = xcalloc((size_t)(rows * nlev), sizeof *k->codes);
}

static void keys_free(Keys *k) {
  for (int64_t l = 0; l < k->nlev; l++) {
    groups_free(&k->lev[l]);
    if (l)
      groups_free(&k->chain[l]);
  }
  free(k->codes);
}

/* The group of row r of the key levels kc, or -1 when a key is missing
 * (pandas' dropna=True). */
static int64_t keys_group(Keys *k, const KeyCol *kc, int64_t r) {
  for (int64_t l = 0; l < k->nlev; l++)
    if (key_missing(&kc[l], r))
      return -1;
  int64_t code[MAX_LEVELS] = {0};
  for (int64_t l = 0; l < k->nlev; l++)
    code[l] = group_of(&k->lev[l], key_text(&kc[l], r), key_int(&kc[l], r));
  if (k->nlev == 1) {
    k->n = k->lev[0].n;
    return code[0];
  }
  int64_t g = code[0];
  for (int64_t l = 1; l < k->nlev; l++)
    g = group_of(&k->chain[l], NULL, g * k->cap + code[l]);
  if (g == k->n) { /* a new tuple */
    memcpy(k->codes + g * k->nlev, code, (size_t)k->nlev * sizeof *code);
    k->n++;
  }
  return g;
}

/* The groups sorted by key: by level 0's key, then level 1's, ... (pandas'
 * lexicographic order), by stable counting sorts from the last level. */
static int64_t *keys_order(const Keys *k) {
  if (k->nlev == 1)
    return key_order(&k->lev[0]);
  int64_t n = k->n, *o = xcalloc((size_t)n, sizeof *o), *t = xcalloc((size_t)n, sizeof *t);
  for (int64_t i = 0; i < n; i++)
    o[i] = i;
  for (int64_t l = k->nlev - 1; l >= 0; l--) {
    int64_t m = k->lev[l].n, *ord = key_order(&k->lev[l]);
    int64_t *rank = xcalloc((size_t)m, sizeof *rank);
    int64_t *count = xcalloc((size_t)m + 1, sizeof *count);
    for (int64_t i = 0; i < m; i++)
      rank[ord[i]] = i;
    for (int64_t i = 0; i < n; i++)
      count[rank[k->codes[o[i] * k->nlev + l]] + 1]++;
    for (int64_t i = 0; i < m; i++)
      count[i + 1] += count[i];
    for (int64_t i = 0; i < n; i++)
      t[count[rank[k->codes[o[i] * k->nlev + l]]]++] = o[i];
    memcpy(o, t, (size_t)n * sizeof *o);
    free(ord);
    free(rank);
    free(count);
  }
  free(t);
  return o;
}

/* ---- accumulators: one per output column ---- */

typedef struct Acc {
  char kind;      /* s c z n x q */
  int64_t dtype;  /* of the result: TR_COL_F64 or TR_COL_I64 */
  double *f, *comp;
  int64_t *i;
  uint8_t *seen;
} Acc;

static void acc_init(Acc *a, char kind, int64_t dtype, int64_t n) {
  a->kind = kind;
  a->dtype = dtype;
  a->f = xcalloc((size_t)n, sizeof *a->f);
  a->comp = xcalloc((size_t)n, sizeof *a->comp);
  a->i = xcalloc((size_t)n, sizeof *a->i);
  a->seen = xcalloc((size_t)n, 1);
}

static void acc_free(Acc *a) {
  free(a->f);
  free(a->comp);
  free(a->i);
  free(a->seen);
}

static bool missing(const TrColumn *c, int64_t r) {
  return c->dtype == TR_COL_F64   ? isnan(((const double *)c->data)[r])
         : c->dtype == TR_COL_OBJ ? ((TrStr *const *)c->data)[r] == NULL
                                  : false;
}

/* pandas' group_sum step (Kahan). */
static void kahan(Acc *a, int64_t g, double x) {
  double y = x - a->comp[g];
  double t = a->f[g] + y;
  a->comp[g] = t - a->f[g] - y;
  a->f[g] = t;
}

/* Adds row r of column c (a source column or a partial) to group g. */
static void acc_add(Acc *a, int64_t g, const TrColumn *c, int64_t r) {
  if (a->kind == 'z') {
    a->i[g]++;
    return;
  }
  if (missing(c, r))
    return;
  if (a->kind == 'c') {
    a->i[g]++;
    return;
  }
  bool flt = c->dtype == TR_COL_F64; /* else int64, or bool as 0/1 */
  double x = flt ? ((const double *)c->data)[r] : 0;
  int64_t v = flt                       ? 0
              : c->dtype == TR_COL_BOOL ? ((const uint8_t *)c->data)[r]
                                        : ((const int64_t *)c->data)[r];
  switch (a->kind) {
  case 's':
    if (flt)
      kahan(a, g, x);
    else
      a->i[g] = (int64_t)((uint64_t)a->i[g] + (uint64_t)v);
    break;
  case 'q':
    if (flt)
      kahan(a, g, x * x);
    else
      a->i[g] = (int64_t)((uint64_t)a->i[g] + (uint64_t)v * (uint64_t)v);
    break;
  default: { /* n, x */
    bool max = a->kind == 'x';
    if (flt) {
      if (!a->seen[g] || (max ? x > a->f[g] : x < a->f[g]))
        a->f[g] = x;
    } else if (!a->seen[g] || (max ? v > a->i[g] : v < a->i[g])) {
      a->i[g] = v;
    }
    a->seen[g] = 1;
  }
  }
}

/* The accumulated column, rows in the order o[0..n). */
static void acc_store(TrFrame *out, int64_t c, const Acc *a, const int64_t *o) {
  tr_frame_alloc_col(out, c, a->dtype);
  for (int64_t r = 0; r < out->nrows; r++) {
    int64_t g = o[r];
    if (a->dtype == TR_COL_F64) {
      bool none = (a->kind == 'n' || a->kind == 'x') && !a->seen[g];
      ((double *)out->cols[c].data)[r] = none ? NAN : a->f[g];
    } else {
      ((int64_t *)out->cols[c].data)[r] = a->i[g];
    }
  }
}

static TrStr *ref(TrStr *s) {
  if (s) {
    TrValue v = tr_obj(TR_STR, s);
    tr_incref(&v);
  }
  return s;
}

/* out's index: the keys of the groups o[0..n), named name. */
static void store_keys(TrFrame *out, const Groups *g, const int64_t *o, TrStr *name) {
  if (g->text) {
    out->index = xcalloc((size_t)out->nrows, sizeof *out->index);
    for (int64_t r = 0; r < out->nrows; r++)
      out->index[r] = ref(g->skey[o[r]]);
  } else {
    out->labels = xcalloc((size_t)out->nrows, sizeof *out->labels);
    for (int64_t r = 0; r < out->nrows; r++)
      out->labels[r] = g->ikey[o[r]];
    out->label_kind = g->kind;
  }
  out->index_name = ref(name);
}

/* out's index: the keys of the groups o[0..n), one level named names[0]
 * or a MultiIndex of the levels. */
static void keys_store(TrFrame *out, const Keys *k, const int64_t *o, TrStr *const *names) {
  if (k->nlev == 1) {
    store_keys(out, &k->lev[0], o, names[0]);
    return;
  }
  TrFrame *lv = tr_frame_new(k->nlev, out->nrows);
  for (int64_t l = 0; l < k->nlev; l++) {
    const Groups *g = &k->lev[l];
    int64_t dt = g->text                     ? TR_COL_OBJ
                 : g->kind == TR_LABEL_F64  ? TR_COL_F64
                 : g->kind == TR_LABEL_BOOL ? TR_COL_BOOL
                                            : TR_COL_I64;
    tr_frame_alloc_col(lv, l, dt);
    lv->cols[l].name = ref(names[l]);
    for (int64_t r = 0; r < out->nrows; r++) {
      int64_t code = k->codes[o[r] * k->nlev + l];
      if (dt == TR_COL_OBJ)
        ((TrStr **)lv->cols[l].data)[r] = ref(g->skey[code]);
      else if (dt == TR_COL_BOOL)
        ((uint8_t *)lv->cols[l].data)[r] = g->ikey[code] != 0;
      else /* int64s, or a float's bits */
        ((int64_t *)lv->cols[l].data)[r] = g->ikey[code];
    }
  }
  out->levels = lv;
}

static const TrSeq *seq_arg(const TrValue *v, const char *what) {
  if (v->tag != TR_TUPLE && v->tag != TR_LIST)
    tr_fail("%s: expected a sequence", what);
  return v->u.p;
}

static int64_t result_dtype(char kind, int64_t src) {
  if (kind == 'c' || kind == 'z')
    return TR_COL_I64;
  return src == TR_COL_F64 ? TR_COL_F64 : TR_COL_I64;
}

static const TrColumn *column_arg(const TrFrame *f, const TrStr *name) {
  int64_t c = f->series ? 0 : frame_find_col(f, name->data, name->len);
  if (c < 0)
    tr_fail("KeyError: '%s'", name->data);
  return &f->cols[c];
}

/* args: a partition, the key column's name (or a tuple of them: several
 * levels), (sort, stats, cols). */
void tr_op_df_gb_chunk(const TrValue *args, int64_t n, TrValue *out) {
  (void)n;
  const TrFrame *f = frame_arg(&args[0], "groupby");
  bool one = args[1].tag != TR_TUPLE && args[1].tag != TR_LIST; /* None: a Series' own */
  const TrValue *keyv = one ? &args[1] : seq_arg(&args[1], "groupby")->items;
  int64_t nlev = one ? 1 : ((const TrSeq *)args[1].u.p)->len;
  const TrSeq *spec = seq_arg(&args[2], "groupby");
  bool sorted = spec->items[0].u.i != 0;
  const TrStr *stats = spec->items[1].u.p;
  const TrSeq *cols = seq_arg(&spec->items[2], "groupby");
  KeyCol kc[MAX_LEVELS];
  TrStr *names[MAX_LEVELS];
  for (int64_t l = 0; l < nlev && l < MAX_LEVELS; l++) {
    const TrColumn *c = column_arg(f, keyv[l].u.p);
    kc[l] = keycol_of(c);
    names[l] = c->name;
  }
  int64_t ns = stats->len;
  const TrColumn **src = xcalloc((size_t)ns, sizeof *src);
  for (int64_t k = 0; k < ns; k++)
    src[k] = column_arg(f, cols->items[k].u.p);
  Keys g;
  keys_init(&g, kc, nlev, f->nrows);
  Acc *acc = xcalloc((size_t)ns, sizeof *acc);
  for (int64_t k = 0; k < ns; k++)
    acc_init(&acc[k], stats->data[k], result_dtype(stats->data[k], src[k]->dtype), f->nrows);
  for (int64_t r = 0; r < f->nrows; r++) {
    int64_t grp = keys_group(&g, kc, r);
    if (grp < 0)
      continue; /* dropna: a missing key is no group */
    for (int64_t k = 0; k < ns; k++)
      acc_add(&acc[k], grp, src[k], r);
  }
  int64_t *o = sorted ? keys_order(&g) : NULL;
  if (!o) {
    o = xcalloc((size_t)g.n, sizeof *o);
    for (int64_t i = 0; i < g.n; i++)
      o[i] = i;
  }
  TrFrame *p = tr_frame_new(ns, g.n);
  for (int64_t k = 0; k < ns; k++) {
    acc_store(p, k, &acc[k], o);
    acc_free(&acc[k]);
  }
  keys_store(p, &g, o, names);
  free(o);
  free(acc);
  free(src);
  keys_free(&g);
  *out = tr_obj(TR_FRAME, p);
}

/* ---- the aggregate ---- */

/* The key levels of a partial: its MultiIndex's columns or its index. */
static int64_t partial_keys(const TrFrame *p, KeyCol *kc, TrStr **names) {
  if (!p->levels) {
    kc[0] = keycol_of_index(p);
    names[0] = p->index_name;
    return 1;
  }
  for (int64_t l = 0; l < p->levels->ncols && l < MAX_LEVELS; l++) {
    kc[l] = keycol_of(&p->levels->cols[l]);
    names[l] = p->levels->cols[l].name;
  }
  return p->levels->ncols;
}

/* The partials concatenated and grouped by their index (sort=False). */
static TrFrame *combine(const TrSeq *parts, const TrStr *comb, Keys *g) {
  int64_t rows = 0, nc = comb->len, nlev = 1;
  KeyCol kc[MAX_LEVELS] = {{TR_COL_OBJ, TR_LABEL_INT, NULL}};
  TrStr *names[MAX_LEVELS] = {NULL};
  for (int64_t i = 0; i < parts->len; i++) {
    const TrFrame *p = frame_arg(&parts->items[i], "groupby aggregate");
    rows += p->nrows;
    if (!i)
      nlev = partial_keys(p, kc, names);
    if (p->ncols != nc)
      tr_fail("groupby aggregate: %lld partial columns, expected %lld", (long long)p->ncols,
              (long long)nc);
  }
  keys_init(g, kc, nlev, rows);
  Acc *acc = xcalloc((size_t)nc, sizeof *acc);
  for (int64_t c = 0; c < nc; c++) {
    int64_t dt = TR_COL_I64;
    for (int64_t i = 0; i < parts->len; i++)
      if (((const TrFrame *)parts->items[i].u.p)->cols[c].dtype == TR_COL_F64)
        dt = TR_COL_F64;
    acc_init(&acc[c], comb->data[c], dt, rows);
  }
  for (int64_t i = 0; i < parts->len; i++) {
    const TrFrame *p = parts->items[i].u.p;
    TrStr *pn[MAX_LEVELS];
    if (partial_keys(p, kc, pn) != nlev)
      tr_fail("groupby aggregate: partials of different key levels");
    for (int64_t r = 0; r < p->nrows; r++) {
      int64_t grp = keys_group(g, kc, r);
      for (int64_t c = 0; c < nc && grp >= 0; c++)
        acc_add(&acc[c], grp, &p->cols[c], r);
    }
  }
  int64_t *o = xcalloc((size_t)g->n, sizeof *o);
  for (int64_t i = 0; i < g->n; i++)
    o[i] = i;
  TrFrame *out = tr_frame_new(nc, g->n);
  for (int64_t c = 0; c < nc; c++) {
    acc_store(out, c, &acc[c], o);
    acc_free(&acc[c]);
  }
  keys_store(out, g, o, names);
  free(o);
  free(acc);
  return out;
}

static double cell(const TrFrame *f, int64_t c, int64_t r) {
  const TrColumn *col = &f->cols[c];
  return col->dtype == TR_COL_F64 ? ((const double *)col->data)[r]
                                  : (double)((const int64_t *)col->data)[r];
}

/* x ** 2 as pandas computes it: ints square with wrap-around. */
static double square(const TrFrame *f, int64_t c, int64_t r) {
  const TrColumn *col = &f->cols[c];
  if (col->dtype == TR_COL_F64) {
    double x = ((const double *)col->data)[r];
    return x * x;
  }
  uint64_t v = (uint64_t)((const int64_t *)col->data)[r];
  return (double)(int64_t)(v * v);
}

/* Dask's _finalize_var / _var_agg for one group. */
static double var_of(const TrFrame *f, int s, int c, int q, int clamp, int64_t r) {
  double n = cell(f, c, r);
  volatile double t = square(f, s, r) / n; /* no FMA: pandas rounds each step */
  double res = cell(f, q, r) - t;
  double div = n - 1 < 0 ? 0 : n - 1;
  res /= div;
  if (n - 1 == 0)
    res = NAN;
  if (clamp && res < 0)
    res = 0;
  return res;
}

/* One result column from the finalizer text at *sp. */
static void finalize_col(TrFrame *out, int64_t oc, const TrFrame *m, const char **sp) {
  const char *s = *sp;
  char what = *s++;
  int a[4] = {0, 0, 0, 0}, na = 0;
  while (na < 4) {
    a[na++] = (int)strtol(s, (char **)&s, 10);
    if (*s != ',')
      break;
    s++;
  }
  if (*s == ';')
    s++;
  *sp = s;
  if (what == 't') {
    frame_copy_rows(out, oc, m, a[0], 0);
    return;
  }
  tr_frame_alloc_col(out, oc, TR_COL_F64);
  double *d = out->cols[oc].data;
  for (int64_t r = 0; r < out->nrows; r++) {
    if (what == 'm')
      d[r] = cell(m, a[0], r) / cell(m, a[1], r);
    else {
      d[r] = var_of(m, a[0], a[1], a[2], a[3], r);
      if (what == 'd')
        d[r] = sqrt(d[r]);
    }
  }
}

static void reorder(TrFrame *m, const int64_t *o) {
  TrFrame *t = tr_frame_new(m->ncols, m->nrows);
  for (int64_t c = 0; c < m->ncols; c++) {
    TrColumn *col = &m->cols[c];
    size_t es = col->dtype == TR_COL_BOOL ? 1 : 8;
    tr_frame_alloc_col(t, c, col->dtype);
    for (int64_t r = 0; r < m->nrows; r++)
      memcpy((char *)t->cols[c].data + (size_t)r * es, (char *)col->data + (size_t)o[r] * es, es);
    void *swap = col->data;
    col->data = t->cols[c].data;
    t->cols[c].data = swap;
  }
  if (m->index) {
    TrStr **ix = xcalloc((size_t)m->nrows, sizeof *ix);
    for (int64_t r = 0; r < m->nrows; r++)
      ix[r] = m->index[o[r]];
    memcpy(m->index, ix, (size_t)m->nrows * sizeof *ix);
    free(ix);
  } else if (m->labels) {
    int64_t *lb = xcalloc((size_t)m->nrows, sizeof *lb);
    for (int64_t r = 0; r < m->nrows; r++)
      lb[r] = m->labels[o[r]];
    memcpy(m->labels, lb, (size_t)m->nrows * sizeof *lb);
    free(lb);
  } else if (m->levels) { /* a MultiIndex: its levels taken in order o */
    TrFrame *u = tr_frame_new(0, m->nrows);
    frame_copy_index(u, m, o);
    TrFrame *swap = m->levels;
    m->levels = u->levels;
    u->levels = swap;
    TrValue uv = tr_obj(TR_FRAME, u);
    tr_decref(&uv);
  }
  TrValue tv = tr_obj(TR_FRAME, t);
  tr_decref(&tv);
}

/* value_counts' order: by key (groupby(level=0).sum()), then unless
 * unsorted by the values v as Series.sort_values: pandas' nargsort, NumPy's
 * quicksort of the values, reversed before and after when descending. */
static int64_t *counts_order(const Groups *g, const double *v, bool sorted, bool ascending) {
  int64_t n = g->n, *byk = key_order(g);
  if (n == 0 || !sorted)
    return byk;
  double *x = xcalloc((size_t)n, sizeof *x);
  int64_t *idx = xcalloc((size_t)n, sizeof *idx), *o = xcalloc((size_t)n, sizeof *o);
  for (int64_t i = 0; i < n; i++)
    x[i] = v[byk[ascending ? i : n - 1 - i]];
  frame_np_argsort(x, idx, n);
  for (int64_t i = 0; i < n; i++)
    o[i] = ascending ? byk[idx[i]] : byk[n - 1 - idx[n - 1 - i]];
  free(x);
  free(idx);
  free(byk);
  return o;
}

/* value_counts_aggregate: "V" then flags (u unsorted, a ascending,
 * n normalize: counts / their sum), then ';'. */
static const char *value_counts(TrFrame *m, const Groups *g, const char *spec) {
  bool sorted = true, ascending = false, normalize = false;
  for (spec++; *spec && *spec != ';'; spec++) {
    sorted &= *spec != 'u';
    ascending |= *spec == 'a';
    normalize |= *spec == 'n';
  }
  double *v = xcalloc((size_t)m->nrows, sizeof *v);
  int64_t total = 0;
  for (int64_t r = 0; r < m->nrows; r++)
    total += ((const int64_t *)m->cols[0].data)[r];
  for (int64_t r = 0; r < m->nrows; r++)
    v[r] = normalize ? (double)((const int64_t *)m->cols[0].data)[r] / (double)total
                     : (double)((const int64_t *)m->cols[0].data)[r];
  int64_t *o = counts_order(g, v, sorted, ascending);
  if (normalize) { /* the column becomes the float shares */
    free(m->cols[0].data);
    m->cols[0].dtype = TR_COL_F64;
    m->cols[0].data = v;
    v = NULL;
  }
  reorder(m, o);
  free(o);
  free(v);
  return *spec == ';' ? spec + 1 : spec;
}

static TrStr *name_arg(const TrValue *v) { return v->tag == TR_STR ? v->u.p : NULL; }

/* args: partials, comb letters, final (None: a combine node), names. */
void tr_op_df_gb_agg(const TrValue *args, int64_t n, TrValue *out) {
  (void)n;
  Keys g;
  TrFrame *m = combine(seq_arg(&args[0], "groupby aggregate"), args[1].u.p, &g);
  TrValue mv = tr_obj(TR_FRAME, m);
  if (args[2].tag == TR_NONE) {
    keys_free(&g);
    *out = mv;
    return;
  }
  tr_guard(&mv);
  const char *spec = ((const TrStr *)args[2].u.p)->data;
  if (spec[0] == 'V')
    spec = value_counts(m, &g.lev[0], spec);
  if (!strncmp(spec, "K;", 2)) { /* groupby(sort=True): the groups by key */
    int64_t *o = keys_order(&g);
    reorder(m, o);
    free(o);
    spec += 2;
  }
  keys_free(&g);
  const TrSeq *names = seq_arg(&args[3], "groupby aggregate");
  const TrSeq *rn = seq_arg(&names->items[2], "groupby aggregate");
  TrFrame *r = tr_frame_new(rn->len, m->nrows);
  TrValue rv = tr_obj(TR_FRAME, r);
  tr_guard(&rv);
  r->series = names->items[1].u.i == 1;
  r->col_levels = names->items[1].u.i == 2 ? 2 : 0; /* "top\x1fname" */
  for (int64_t c = 0; c < rn->len; c++) {
    finalize_col(r, c, m, &spec);
    TrStr *old = r->cols[c].name;
    r->cols[c].name = ref(name_arg(&rn->items[c]));
    if (old) {
      TrValue ov = tr_obj(TR_STR, old);
      tr_decref(&ov);
    }
  }
  frame_copy_index(r, m, NULL);
  TrStr *old = r->index_name;
  r->index_name = ref(name_arg(&names->items[0]));
  if (old) {
    TrValue ov = tr_obj(TR_STR, old);
    tr_decref(&ov);
  }
  tr_unguard(2);
  tr_decref(&mv);
  *out = rv;
}
