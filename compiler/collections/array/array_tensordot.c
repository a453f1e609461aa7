/* array_tensordot.c - da.tensordot as Dask 2022.12 builds it
 * (dask/array/routines.py):
 *
 *   intermediate = blockwise(_tensordot, ...)   one np.tensordot per pair of
 *       blocks, the contracted axes of the left operand kept with length 1
 *       (adjust_chunks: 1 per block), so the intermediate has one "row" per
 *       contracted block;
 *   result = intermediate.sum(axis=left_axes)    Dask's sum reduction.
 *
 * The block product is array.tensordot (runtime/array_tensordot.c: NumPy's
 * own choice of BLAS routine per block), the sum is da_reduce's, so the
 * result has Dask's chunks and its bits. Operands whose contracted axes are
 * chunked differently are rechunked to the common refinement first, as
 * blockwise's unify_chunks does.
 *
 * da.einsum (dask/array/einsumfuncs.py) is built the same way: blockwise
 * over the output indices and then the contracted ones (one block long
 * each), np.einsum per block (array.einsum, optimize=False: NumPy's C loops,
 * not BLAS), then a sum over the trailing contracted axes. We take the
 * common contractions: 'ij,jk->ik', 'ij->', 'i->', 'ij->i', 'ij->j',
 * 'i,i->', 'ij,ij->ij', 'i,i->i', 'ii->i' (any letters, implicit output). */
#include <string.h>

#include "array.h"

/* Dask's tuple repr of a chunks tuple of tuples: ((2, 2), (5,)) */
static const char *chunks_repr(Eval *e, int64_t **chunks, const int *nb,
                               int nd) {
  Arena *a = eval_arena(e);
  const char *s = "(";
  for (int d = 0; d < nd; d++) {
    s = arena_printf(a, "%s%s(", s, d ? ", " : "");
    for (int b = 0; b < nb[d]; b++)
      s = arena_printf(a, "%s%s%lld", s, b ? ", " : "",
                       (long long)chunks[d][b]);
    s = arena_printf(a, "%s%s)", s, nb[d] == 1 ? "," : "");
  }
  return arena_printf(a, "%s%s)", s, nd == 1 ? "," : "");
}

static const char *shape_repr(Eval *e, const int64_t *shape, int nd) {
  Arena *a = eval_arena(e);
  const char *s = "(";
  for (int d = 0; d < nd; d++)
    s = arena_printf(a, "%s%s%lld", s, d ? ", " : "", (long long)shape[d]);
  return arena_printf(a, "%s%s)", s, nd == 1 ? "," : "");
}

/* x with axis d's chunks replaced by c (n blocks): Dask's rechunk, whose
 * error names the chunks when they do not add up to the shape. */
static DArray *rechunk_axis(Eval *e, DArray *x, int d, int64_t *c, int n,
                            Loc loc) {
  int64_t *chunks[DA_MAXDIM];
  int nb[DA_MAXDIM];
  int64_t sum = 0;
  for (int a = 0; a < x->ndim; a++) {
    chunks[a] = x->chunks[a];
    nb[a] = x->nblocks[a];
  }
  chunks[d] = c;
  nb[d] = n;
  for (int b = 0; b < n; b++)
    sum += c[b];
  if (sum != x->shape[d])
    diag_error(loc, "Chunks do not add up to shape. Got chunks=%s, shape=%s",
               chunks_repr(e, chunks, nb, x->ndim),
               shape_repr(e, x->shape, x->ndim));
  return da_rechunk(e, x, chunks, nb, loc);
}

/* Dask's common_blockdim of two chunk tuples: the multi-block one when the
 * other is one block (both one block: the longer), else every boundary of
 * either. False when they already agree. */
static bool common_chunks(Eval *e, const DArray *a, int xd, const DArray *b,
                          int yd, int64_t **cp, int *np, Loc loc) {
  int na = a->nblocks[xd], nb = b->nblocks[yd];
  bool same = na == nb;
  for (int i = 0; same && i < na; i++)
    same = a->chunks[xd][i] == b->chunks[yd][i];
  if (same)
    return false;
  if (na > 1 && nb > 1 && a->shape[xd] != b->shape[yd])
    diag_error(loc, "Chunks do not add up to same value: %lld and %lld",
               (long long)a->shape[xd], (long long)b->shape[yd]);
  int64_t *c;
  int n = 0;
  if (nb <= 1 || na <= 1) {
    bool use_a = na > 1 || (nb <= 1 && a->shape[xd] >= b->shape[yd]);
    c = use_a ? a->chunks[xd] : b->chunks[yd];
    n = use_a ? na : nb;
  } else {
    c = ARENA_ARRAY(eval_arena(e), int64_t, na + nb);
    int64_t at = 0;
    for (int i = 1, j = 1; i <= na || j <= nb;) {
      int64_t ea = i <= na ? a->starts[xd][i] : INT64_MAX;
      int64_t eb = j <= nb ? b->starts[yd][j] : INT64_MAX;
      int64_t end = ea < eb ? ea : eb;
      if (end > at)
        c[n++] = end - at;
      at = end;
      i += ea == end;
      j += eb == end;
    }
  }
  *cp = c;
  *np = n;
  return true;
}

/* x's axis xd and y's axis yd to common chunks, x first as in Dask */
static void unify_axis(Eval *e, DArray **x, int xd, DArray **y, int yd,
                       Loc loc) {
  int64_t *c;
  int n;
  if (!common_chunks(e, *x, xd, *y, yd, &c, &n, loc))
    return;
  *x = rechunk_axis(e, *x, xd, c, n, loc);
  *y = rechunk_axis(e, *y, yd, c, n, loc); /* x == y: on top of x's */
}

DArray *da_tensordot(Eval *e, DArray *x, DArray *y, int n, const int *la,
                     const int *ra, Loc loc) {
  da_need_known(e, x, "tensordot", loc);
  da_need_known(e, y, "tensordot", loc);
  if (x->dtype == ty_bool || y->dtype == ty_bool)
    diag_error(loc, "tensordot of bool arrays is not supported (use "
               ".astype(int))");
  bool inx[DA_MAXDIM] = {0}, iny[DA_MAXDIM] = {0};
  for (int i = 0; i < n; i++) {
    if (la[i] >= x->ndim || ra[i] >= y->ndim)
      diag_error(loc, "list index out of range");
    if (inx[la[i]] || iny[ra[i]])
      diag_error(loc, "tensordot: repeated axis in axes");
    inx[la[i]] = iny[ra[i]] = true;
  }
  for (int i = 0; i < n; i++)
    unify_axis(e, &x, la[i], &y, ra[i], loc);
  int nd = x->ndim + y->ndim - n;
  if (nd > DA_MAXDIM)
    diag_error(loc, "tensordot: the result has more than %d dimensions",
               DA_MAXDIM);
  /* the intermediate: x's axes (contracted ones one block long each), then
   * y's free axes */
  int64_t shape[DA_MAXDIM], *chunks[DA_MAXDIM];
  int nb[DA_MAXDIM], yfree[DA_MAXDIM], pair[DA_MAXDIM], nf = 0;
  for (int d = 0; d < x->ndim; d++) {
    nb[d] = x->nblocks[d];
    chunks[d] = x->chunks[d];
    shape[d] = x->shape[d];
    if (inx[d]) {
      chunks[d] = ARENA_ARRAY(eval_arena(e), int64_t, nb[d] + 1);
      for (int b = 0; b < nb[d]; b++)
        chunks[d][b] = 1;
      shape[d] = nb[d];
    }
  }
  for (int i = 0; i < n; i++)
    pair[ra[i]] = la[i];
  for (int d = 0; d < y->ndim; d++)
    if (!iny[d]) {
      int o = x->ndim + nf;
      yfree[nf++] = d;
      nb[o] = y->nblocks[d];
      chunks[o] = y->chunks[d];
      shape[o] = y->shape[d];
    }
  Type *dt = x->dtype == ty_float || y->dtype == ty_float ? ty_float : ty_int;
  DArray *t = da_alloc(e, "tensordot", dt, nd, shape);
  da_set_chunks(e, t, chunks, nb);
  int64_t packed = n;
  for (int i = 0; i < n; i++)
    packed |= (int64_t)la[i] << (4 + 4 * i) | (int64_t)ra[i] << (36 + 4 * i);
  for (int f = 0; f < t->nb; f++) {
    int c[DA_MAXDIM], xc[DA_MAXDIM], yc[DA_MAXDIM];
    da_block_coords(t, f, c);
    for (int d = 0; d < x->ndim; d++)
      xc[d] = c[d];
    for (int j = 0; j < nf; j++)
      yc[yfree[j]] = c[x->ndim + j];
    for (int d = 0; d < y->ndim; d++)
      if (iny[d])
        yc[d] = c[pair[d]];
    Task *k = da_block_task(e, t, f, OP_array_tensordot, 5, loc);
    k->args[2] = val_ref(eval_arena(e), x->blocks[da_block_flat(x, xc)]);
    k->args[3] = val_ref(eval_arena(e), y->blocks[da_block_flat(y, yc)]);
    k->args[4] = val_int(eval_arena(e), packed);
  }
  if (n == 0) /* sum over no axes: Dask's reduction keeps the values */
    return t;
  bool axes[DA_MAXDIM] = {false};
  for (int i = 0; i < n; i++)
    axes[la[i]] = true;
  return da_reduce(e, t, "sum", axes, false, 4, 0, loc);
}

/* One side of axes=: an int or a list/tuple of ints. */
static int axes_side(Eval *e, Value *v, int *out, Loc loc) {
  Value **items = &v;
  int n = 1;
  if (v->kind == V_LIST || v->kind == V_TUPLE) {
    items = v->seq.items;
    n = v->seq.n;
  }
  if (n > 7)
    diag_error(loc, "tensordot: at most 7 contracted axes are supported");
  for (int i = 0; i < n; i++) {
    int64_t a = eval_need_int(e, items[i], loc, "an axis");
    if (a < 0) /* Dask indexes its index lists with them: a wrong result */
      diag_error(loc, "tensordot: negative axes are not supported (Dask "
                 "2022.12 mis-chunks them); give axes from 0");
    if (a >= DA_MAXDIM)
      diag_error(loc, "list index out of range");
    out[i] = (int)a;
  }
  return n;
}

/* da.tensordot(a, b, axes=2) */
Value *da_tensordot_builtin_fn(Eval *e, Args *a) {
  static const char *kws[] = {"axes", NULL};
  eval_args_check_kw(e, a, "tensordot", kws);
  eval_args_count(e, a, "tensordot", 2, 3);
  DArray *x = da_of(e, a->pos[0], a->pos_loc[0]);
  DArray *y = da_of(e, a->pos[1], a->pos_loc[1]);
  Value *ax = a->npos > 2 ? a->pos[2] : eval_arg_kw(a, "axes", NULL);
  int la[DA_MAXDIM], ra[DA_MAXDIM], n;
  if (!ax || ax->kind == V_INT) {
    int64_t k = ax ? ax->i : 2;
    if (k < 0 || k > x->ndim || k > y->ndim)
      diag_error(a->loc, k < 0 ? "tensordot: axes must be non-negative"
                               : "list index out of range");
    n = (int)k;
    for (int i = 0; i < n; i++) {
      la[i] = x->ndim - n + i;
      ra[i] = i;
    }
  } else if ((ax->kind == V_LIST || ax->kind == V_TUPLE) && ax->seq.n == 2) {
    n = axes_side(e, ax->seq.items[0], la, a->loc);
    int m = axes_side(e, ax->seq.items[1], ra, a->loc);
    if (m != n) /* np.tensordot's check, in the first block product */
      diag_error(a->loc, "shape-mismatch for sum");
  } else if (ax->kind == V_LIST || ax->kind == V_TUPLE) {
    diag_error(a->loc, "not enough values to unpack (expected 2, got %d)",
               ax->seq.n);
  } else {
    diag_error(a->loc, "tensordot: axes must be an int or a pair of axis "
               "lists, got %s", v_type_name(ax));
  }
  return da_value(e, da_tensordot(e, x, y, n, la, ra, a->loc));
}

/* ---- einsum ---- */

typedef struct Pattern {
  const char *canon; /* letters renamed by first appearance */
  int kind;          /* runtime/array_tensordot.c's EIN_* */
} Pattern;

static const Pattern patterns[] = {
    {"ab,bc->ac", 1}, {"ab->", 2}, {"a->", 2}, {"ab->a", 3}, {"ab->b", 4},
    {"a,a->", 5}, {"ab,ab->ab", 6}, {"a,a->a", 6}, {"aa->a", 7}, {NULL, 0}};

/* the subscripts with an explicit output, letters checked */
static const char *full_subscripts(Eval *e, const char *s, Loc loc) {
  Arena *ar = eval_arena(e);
  char buf[128];
  int n = 0;
  for (const char *p = s; *p && n < 100; p++)
    if (*p != ' ')
      buf[n++] = *p;
  buf[n] = 0;
  char *arrow = strstr(buf, "->");
  for (int i = 0; i < n; i++) {
    char ch = buf[i];
    bool letter = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
    if (!letter && ch != ',' && !(arrow && (buf + i == arrow ||
                                            buf + i == arrow + 1)))
      diag_error(loc, "einsum: character '%c' is not a valid symbol "
                 "(ellipses are not supported)", ch);
  }
  if (arrow)
    return arena_printf(ar, "%s", buf);
  int count[128] = {0}; /* implicit output: the letters seen once, sorted */
  for (int i = 0; i < n; i++)
    if (buf[i] != ',')
      count[(int)buf[i]]++;
  const char *out = "";
  for (int ch = 'A'; ch <= 'z'; ch++)
    if (count[ch] == 1)
      out = arena_printf(ar, "%s%c", out, ch);
  return arena_printf(ar, "%s->%s", buf, out);
}

/* How one kind is laid out: the intermediate's axes (output indices, then
 * contracted ones, each taken from an operand's axis) and, per operand
 * axis, the intermediate axis that gives its block coordinate. */
typedef struct Layout {
  int nd, ncontract;
  int from_op[3], from_axis[3]; /* per intermediate axis */
  int src[2][2];                /* per operand axis */
} Layout;

static Layout layout_of(int kind, int ndim0) {
  switch (kind) {
  case 1: return (Layout){3, 1, {0, 1, 0}, {0, 1, 1}, {{0, 2}, {2, 1}}};
  case 2:
    return ndim0 == 2 ? (Layout){2, 2, {0, 0}, {0, 1}, {{0, 1}, {0}}}
                      : (Layout){1, 1, {0}, {0}, {{0}, {0}}};
  case 3: return (Layout){2, 1, {0, 0}, {0, 1}, {{0, 1}, {0}}};
  case 4: return (Layout){2, 1, {0, 0}, {1, 0}, {{1, 0}, {0}}};
  case 5: return (Layout){1, 1, {0}, {0}, {{0}, {0}}};
  case 6:
    return ndim0 == 2 ? (Layout){2, 0, {0, 0}, {0, 1}, {{0, 1}, {0, 1}}}
                      : (Layout){1, 0, {0}, {0}, {{0}, {0}}};
  default: return (Layout){1, 0, {0}, {0}, {{0, 0}, {0}}}; /* diagonal */
  }
}

DArray *da_einsum(Eval *e, DArray **ops, int nops, int kind, int split,
                  Loc loc) {
  for (int i = 0; i < nops; i++)
    da_need_known(e, ops[i], "einsum", loc);
  Type *dt = ty_int;
  for (int i = 0; i < nops; i++) {
    if (ops[i]->dtype == ty_bool)
      diag_error(loc, "einsum of bool arrays is not supported (use "
                 ".astype(int))");
    if (ops[i]->dtype == ty_float)
      dt = ty_float;
  }
  for (int i = 0; i < nops; i++) /* NumPy casts to the common dtype */
    ops[i] = da_astype(e, ops[i], dt, loc);
  Layout L = layout_of(kind, ops[0]->ndim);
  /* operand axes that share an index get common chunks (unify_chunks) */
  if (kind == 1)
    unify_axis(e, &ops[0], 1, &ops[1], 0, loc);
  else if (kind == 5 || kind == 6)
    for (int d = 0; d < ops[0]->ndim; d++)
      unify_axis(e, &ops[0], d, &ops[1], d, loc);
  else if (kind == 7) { /* Dask pairs block (i, i) without rechunking */
    DArray *x = ops[0];
    if (x->nblocks[0] != x->nblocks[1])
      diag_error(loc, "Shapes do not align {'.0': {%d, %d}}",
                 x->nblocks[0] < x->nblocks[1] ? x->nblocks[0] : x->nblocks[1],
                 x->nblocks[0] < x->nblocks[1] ? x->nblocks[1] : x->nblocks[0]);
    for (int b = 0; b < x->nblocks[0]; b++)
      if (x->chunks[0][b] != x->chunks[1][b])
        diag_error(loc, "einsum: the diagonal needs square blocks (equal "
                   "chunks on both axes); Dask's blocks would not be");
  }
  if ((kind == 5 || kind == 6) && ops[0]->shape[0] != ops[1]->shape[0])
    diag_error(loc, "einsum: operands could not be broadcast together");
  int64_t shape[3], *chunks[3];
  int nb[3];
  bool red[DA_MAXDIM] = {false};
  for (int d = 0; d < L.nd; d++) {
    DArray *o = ops[L.from_op[d]];
    int ax = L.from_axis[d];
    nb[d] = o->nblocks[ax];
    chunks[d] = o->chunks[ax];
    shape[d] = o->shape[ax];
    if (d >= L.nd - L.ncontract) { /* contracted: one block long each */
      red[d] = true;
      chunks[d] = ARENA_ARRAY(eval_arena(e), int64_t, nb[d] + 1);
      for (int b = 0; b < nb[d]; b++)
        chunks[d][b] = 1;
      shape[d] = nb[d];
    }
  }
  DArray *t = da_alloc(e, "einsum", dt, L.nd, shape);
  da_set_chunks(e, t, chunks, nb);
  for (int f = 0; f < t->nb; f++) {
    int c[DA_MAXDIM];
    da_block_coords(t, f, c);
    Task *k = da_block_task(e, t, f, OP_array_einsum, 5, loc);
    for (int i = 0; i < 2; i++) {
      DArray *o = ops[i < nops ? i : 0];
      int oc[DA_MAXDIM];
      for (int d = 0; d < o->ndim; d++)
        oc[d] = c[L.src[i < nops ? i : 0][d]];
      k->args[2 + i] = val_ref(eval_arena(e), o->blocks[da_block_flat(o, oc)]);
    }
    k->args[4] = val_int(eval_arena(e), kind | L.ncontract << 8);
  }
  if (!L.ncontract)
    return t;
  return da_reduce(e, t, "sum", red, false, split, 0, loc);
}

Value *da_einsum_builtin_fn(Eval *e, Args *a) {
  static const char *kws[] = {"split_every", NULL};
  eval_args_check_kw(e, a, "einsum", kws);
  eval_args_count(e, a, "einsum", 2, 3);
  if (a->pos[0]->kind != V_STR)
    diag_error(a->pos_loc[0], "einsum: the subscripts must be a string "
               "(the interleaved operand form is not supported)");
  const char *sub = full_subscripts(e, a->pos[0]->str.s, a->pos_loc[0]);
  int nops = a->npos - 1, nin = 1;
  for (const char *p = sub; *p != '-'; p++)
    nin += *p == ',';
  if (nin != nops)
    diag_error(a->loc, "Number of einsum subscripts must be equal to the "
               "number of operands.");
  DArray *ops[2];
  for (int i = 0; i < nops; i++)
    ops[i] = da_of(e, a->pos[1 + i], a->pos_loc[1 + i]);
  /* the canonical form: letters renamed in order of first appearance */
  char canon[128], map[128] = {0}, next = 'a';
  int n = 0;
  for (const char *p = sub; *p && n < 120; p++) {
    char ch = *p;
    if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) {
      if (!map[(int)ch]) {
        if (strchr(strstr(sub, "->"), ch) && p > strstr(sub, "->"))
          diag_error(a->loc, "einsum: output subscript '%c' does not "
                     "appear in the input", ch);
        map[(int)ch] = next++;
      }
      ch = map[(int)ch];
    }
    canon[n++] = ch;
  }
  canon[n] = 0;
  int kind = 0;
  for (int i = 0; patterns[i].canon; i++)
    if (!strcmp(canon, patterns[i].canon))
      kind = patterns[i].kind;
  if (!kind)
    diag_error(a->loc, "einsum: '%s' is not supported; supported are "
               "'ij,jk->ik', 'ij->', 'i->', 'ij->i', 'ij->j', 'i,i->', "
               "'ij,ij->ij', 'i,i->i', 'ii->i' (any letters)", sub);
  /* operand ndims against their subscripts */
  const char *in = canon;
  for (int i = 0; i < nops; i++) {
    int len = 0;
    while (in[len] && in[len] != ',' && in[len] != '-')
      len++;
    if (len != ops[i]->ndim)
      diag_error(a->pos_loc[1 + i], "einstein sum subscripts string "
                 "contains too %s subscripts for operand %d",
                 len > ops[i]->ndim ? "many" : "few", i);
    in += len + 1;
  }
  Value *se = eval_arg_kw(a, "split_every", NULL);
  int split = se && se->kind != V_NONE
                  ? (int)eval_need_int(e, se, a->loc, "split_every") : 4;
  if (split < 2)
    diag_error(a->loc, "split_every must be at least 2");
  return da_value(e, da_einsum(e, ops, nops, kind, split, a->loc));
}
