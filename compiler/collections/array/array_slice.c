/* array_slice.c - basic indexing (slices with steps, ints), transpose,
 * rechunk and the concatenation of all blocks into one array.
 *
 * A slice keeps the block structure: each input block that holds selected
 * elements gives one output block (one getitem task reading one block).
 * Slicing the result of a reduction along axes it did not reduce slices
 * its input instead and reduces again, so x.mean(axis=0)[::100] only ever
 * generates the kept columns (docs/arrays.md). */
#include <string.h>

#include "array.h"

/* ---- evaluating the index ---- */

/* Python's slice.indices(len), as for lists (eval_expr.c). */
static Sel slice_sel(Eval *e, Node *s, int64_t len) {
  SliceIdx r = eval_slice_indices(e, s, len);
  return (Sel){false, r.start, r.step, r.count};
}

/* x[index]: slices, ints and None (a new axis of length 1, as NumPy's
 * newaxis): select first, then insert the new axes where they stand in the
 * result (each slice or None before one makes one axis of the result). */
/* Is the slice node `:` (no bounds, no step)? */
static bool full_slice(const Node *s) {
  return s->kind == N_SLICE && !s->lhs && !s->rhs && !s->els;
}

static bool all_full(Node **items, int n) {
  for (int d = 0; d < n; d++)
    if (!full_slice(items[d]))
      return false;
  return true;
}

/* x[m] and x[:, m] with m a dask array of bools (array_mask.c); NULL when
 * no index is a dask array. */
static DArray *bool_index(Eval *e, DArray *x, Node **items, Value **vals,
                          int n, int nnew, Loc loc) {
  int at = -1;
  for (int d = 0; d < n; d++)
    if (vals[d] && da_is(vals[d])) {
      if (da_arr(vals[d])->dtype != ty_bool)
        diag_error(items[d]->loc, "only basic indexing (ints, slices and "
                   "None) and boolean dask arrays are supported as indices "
                   "of dask arrays");
      at = d;
    }
  if (at < 0)
    return NULL;
  DArray *m = da_arr(vals[at]);
  if (n == 1 && !nnew)
    return da_mask(e, x, m, loc);
  for (int d = 0; d < n; d++)
    if (d != at && !full_slice(items[d]))
      diag_error(loc, "a boolean dask array index next to indices other than "
                 "':' is not supported (a taskc limit)");
  if (nnew)
    diag_error(loc, "None next to a boolean dask array index is not "
               "supported (a taskc limit)");
  return da_mask_axis(e, x, m, at, loc);
}

Value *array_getitem(Eval *e, Value *v, Node *idx) {
  DArray *x = da_arr(v);
  Node **all = &idx;
  int nall = 1;
  if (idx->kind == N_TUPLE) {
    all = idx->items;
    nall = idx->nitems;
  }
  Node *items[DA_MAXDIM];
  int n = 0, nnew = 0, newpos[DA_MAXDIM], out = 0;
  for (int i = 0; i < nall; i++) {
    if (all[i]->kind == N_NONE) {
      if (nnew == DA_MAXDIM)
        diag_error(all[i]->loc, "too many new axes");
      newpos[nnew++] = out++;
      continue;
    }
    if (n == x->ndim)
      diag_error(idx->loc, "too many indices for array: array is %d-"
                 "dimensional, but %d were indexed", x->ndim, n + 1);
    out += all[i]->kind == N_SLICE;
    items[n++] = all[i];
  }
  Value *vals[DA_MAXDIM] = {0};
  for (int d = 0; d < n; d++)
    if (items[d]->kind != N_SLICE)
      vals[d] = eval_expr(e, items[d]);
  DArray *m = bool_index(e, x, items, vals, n, nnew, idx->loc);
  if (!m && n == 1 && !nnew && vals[0])
    m = da_mask_literal(e, x, vals[0], idx->loc);
  if (m)
    return da_value(e, m);
  if (da_unknown(x)) { /* only x[:] and x[:, :] keep unknown chunks */
    if (nnew || !all_full(items, n))
      da_unknown_slice(e, x, idx->loc);
    return v;
  }
  Sel sel[DA_MAXDIM] = {{0}};
  for (int d = 0; d < x->ndim; d++) {
    sel[d] = (Sel){false, 0, 1, x->shape[d]};
    if (d >= n)
      continue;
    Node *it = items[d];
    if (it->kind == N_SLICE) {
      sel[d] = slice_sel(e, it, x->shape[d]);
      continue;
    }
    Value *k = vals[d];
    if (da_is(k) || k->kind == V_LIST)
      diag_error(it->loc, "only basic indexing (ints, slices and None) is "
                 "supported on dask arrays");
    int64_t i = eval_need_int(e, k, it->loc, "an array index");
    if (i < -x->shape[d] || i >= x->shape[d])
      diag_error(it->loc, "index %lld is out of bounds for axis %d with size "
                 "%lld", (long long)i, d, (long long)x->shape[d]);
    sel[d] = (Sel){true, i < 0 ? i + x->shape[d] : i, 1, 1};
  }
  DArray *r = da_select(e, x, sel, idx->loc);
  for (int i = 0; i < nnew; i++)
    r = da_expand_dims(e, r, newpos[i], idx->loc);
  return da_value(e, r);
}

/* ---- push-down through a reduction ---- */

static bool trivial(const DArray *x, const Sel *s) {
  for (int d = 0; d < x->ndim; d++)
    if (s[d].is_int || s[d].start || s[d].step != 1 ||
        s[d].count != x->shape[d])
      return false;
  return true;
}

/* sel is on the axes of r = reduce(src); when it only touches axes that
 * were not reduced, slice src and reduce again. NULL if it cannot. */
static DArray *push_down(Eval *e, DArray *r, const Sel *sel, Loc loc) {
  DArray *src = r->red_src;
  if (!src)
    return NULL;
  Sel ssel[DA_MAXDIM];
  bool axes[DA_MAXDIM];
  int o = 0, drop = 0;
  for (int d = 0; d < src->ndim; d++) {
    axes[d] = r->red_axes[d];
    if (r->red_axes[d]) {
      ssel[d] = (Sel){false, 0, 1, src->shape[d]};
      if (r->red_keep) { /* a kept axis of length 1: only [:] keeps it */
        Sel k = sel[o++];
        if (k.is_int || k.start || k.count != 1)
          return NULL;
      }
      continue;
    }
    ssel[d] = sel[o++];
    drop += ssel[d].is_int;
  }
  (void)drop;
  /* int indices drop axes of src: the reduced axes renumber */
  DArray *s = da_select(e, src, ssel, loc);
  bool naxes[DA_MAXDIM];
  for (int d = 0, k = 0; d < src->ndim; d++)
    if (!ssel[d].is_int)
      naxes[k++] = axes[d];
  return da_reduce(e, s, r->red_fn, naxes, r->red_keep, r->red_split,
                   r->red_ddof, loc);
}

/* ---- select ---- */

/* The input blocks along axis d that hold elements of s, in the order the
 * output visits them: their counts, the local index of the first selected
 * element in each, and their numbers. Returns how many. */
static int blocks_up(const DArray *x, int d, Sel s, int64_t *cnt,
                     int64_t *lstart, int *src) {
  int n = 0;
  int64_t last = s.start + (s.count - 1) * s.step;
  for (int b = 0; b < x->nblocks[d] && s.count > 0; b++) {
    int64_t lo = x->starts[d][b], hi = lo + x->chunks[d][b];
    /* first selected index >= lo */
    int64_t first = s.start >= lo ? s.start
                    : s.start + ((lo - s.start + s.step - 1) / s.step) * s.step;
    if (first < hi && first <= last) {
      int64_t end = hi - 1 < last ? hi - 1 : last;
      cnt[n] = (end - first) / s.step + 1;
      lstart[n] = first - lo;
      src[n++] = b;
    }
  }
  return n;
}

/* A negative step walks the blocks from the last one down. */
static int blocks_down(const DArray *x, int d, Sel s, int64_t *cnt,
                       int64_t *lstart, int *src) {
  int n = 0;
  int64_t st = -s.step, last = s.start - (s.count - 1) * st;
  for (int b = x->nblocks[d] - 1; b >= 0 && s.count > 0; b--) {
    int64_t lo = x->starts[d][b], hi = lo + x->chunks[d][b];
    /* first selected index <= hi - 1 */
    int64_t first = s.start <= hi - 1 ? s.start
                    : s.start - ((s.start - (hi - 1) + st - 1) / st) * st;
    if (first >= lo && first >= last) {
      int64_t end = lo > last ? lo : last;
      cnt[n] = (first - end) / st + 1;
      lstart[n] = first - lo;
      src[n++] = b;
    }
  }
  return n;
}

DArray *da_select(Eval *e, DArray *x, const Sel *sel, Loc loc) {
  if (trivial(x, sel))
    return x;
  if (da_unknown(x))
    da_unknown_slice(e, x, loc);
  DArray *p = push_down(e, x, sel, loc);
  if (p)
    return p;
  /* per axis: which input blocks hold selected elements, their counts and
   * the local start of the first one */
  int64_t *cnt[DA_MAXDIM], *lstart[DA_MAXDIM];
  int *src[DA_MAXDIM], nk[DA_MAXDIM];
  int64_t oshape[DA_MAXDIM];
  int on = 0;
  for (int d = 0; d < x->ndim; d++) {
    Sel s = sel[d];
    cnt[d] = ARENA_ARRAY(eval_arena(e), int64_t, x->nblocks[d] + 1);
    lstart[d] = ARENA_ARRAY(eval_arena(e), int64_t, x->nblocks[d] + 1);
    src[d] = ARENA_ARRAY(eval_arena(e), int, x->nblocks[d] + 1);
    nk[d] = 0;
    nk[d] = s.step > 0 ? blocks_up(x, d, s, cnt[d], lstart[d], src[d])
                       : blocks_down(x, d, s, cnt[d], lstart[d], src[d]);
    if (nk[d] == 0) { /* an empty selection: one empty block */
      cnt[d][0] = 0;
      lstart[d][0] = 0;
      src[d][0] = 0;
      nk[d] = 1;
    }
    if (!s.is_int)
      oshape[on++] = s.count;
  }
  DArray *out = da_alloc(e, "getitem", x->dtype, on, oshape);
  int64_t *chunks[DA_MAXDIM];
  int nb[DA_MAXDIM];
  for (int d = 0, o = 0; d < x->ndim; d++)
    if (!sel[d].is_int) {
      chunks[o] = cnt[d];
      nb[o++] = nk[d];
    }
  da_set_chunks(e, out, chunks, nb);
  int64_t steps[DA_MAXDIM], map[DA_MAXDIM];
  for (int d = 0, o = 0; d < x->ndim; d++) {
    steps[d] = sel[d].step;
    map[d] = sel[d].is_int ? -1 : o++;
  }
  Val *stepv = da_ituple(e, steps, x->ndim), *mapv = da_ituple(e, map, x->ndim);
  for (int f = 0; f < out->nb; f++) {
    int oc[DA_MAXDIM], ic[DA_MAXDIM];
    int64_t starts[DA_MAXDIM];
    da_block_coords(out, f, oc);
    for (int d = 0, o = 0; d < x->ndim; d++) {
      int k = sel[d].is_int ? 0 : oc[o++];
      ic[d] = src[d][k];
      starts[d] = lstart[d][k];
    }
    Task *t = da_block_task(e, out, f, OP_array_getitem, 6, loc);
    t->args[2] = val_ref(eval_arena(e), x->blocks[da_block_flat(x, ic)]);
    t->args[3] = da_ituple(e, starts, x->ndim);
    t->args[4] = stepv;
    t->args[5] = mapv;
  }
  return out;
}

/* ---- transpose ---- */

DArray *da_transpose(Eval *e, DArray *x, const int *perm, Loc loc) {
  int64_t shape[DA_MAXDIM], p[DA_MAXDIM];
  int64_t *chunks[DA_MAXDIM];
  int nb[DA_MAXDIM];
  bool ident = true;
  for (int d = 0; d < x->ndim; d++) {
    shape[d] = x->shape[perm[d]];
    chunks[d] = x->chunks[perm[d]];
    nb[d] = x->nblocks[perm[d]];
    p[d] = perm[d];
    ident &= perm[d] == d;
  }
  if (ident)
    return x;
  DArray *out = da_alloc(e, "transpose", x->dtype, x->ndim, shape);
  da_set_chunks(e, out, chunks, nb);
  for (int d = 0; d < x->ndim; d++) /* unknown (nan) axes move along */
    out->unk_id[d] = x->unk_id[perm[d]];
  out->run_sizes = x->run_sizes;
  Val *pv = da_ituple(e, p, x->ndim);
  for (int f = 0; f < out->nb; f++) {
    int oc[DA_MAXDIM], ic[DA_MAXDIM];
    da_block_coords(out, f, oc);
    for (int d = 0; d < x->ndim; d++)
      ic[perm[d]] = oc[d];
    Task *t = da_block_task(e, out, f, OP_array_transpose, 4, loc);
    t->args[2] = val_ref(eval_arena(e), x->blocks[da_block_flat(x, ic)]);
    t->args[3] = pv;
  }
  return out;
}

/* ---- concatenation of blocks ---- */

/* A task assembling `n` blocks (refs) at the given offsets into one array of
 * `shape`. */
static Task *concat(Eval *e, const char *name, const int *coords, int ndim,
                    const int64_t *shape, Type *dtype, Task **parts,
                    int64_t *offs, int n, Loc loc) {
  Val **items = ARENA_ARRAY(eval_arena(e), Val *, n);
  for (int i = 0; i < n; i++)
    items[i] = val_ref(eval_arena(e), parts[i]);
  Task *t = da_task(e, name, coords, ndim, shape, ndim, dtype,
                    OP_array_concatenate, 4, loc);
  t->args[2] = val_seq(eval_arena(e), VAL_LIST, items, n);
  t->args[3] = da_ituple(e, offs, n * ndim);
  return t;
}

Task *da_concat_task(Eval *e, DArray *x, Loc loc) {
  int64_t *offs =
      ARENA_ARRAY(eval_arena(e), int64_t, (size_t)x->nb * x->ndim + 1);
  for (int f = 0; f < x->nb; f++) {
    int c[DA_MAXDIM];
    da_block_coords(x, f, c);
    da_block_offset(x, c, offs + (size_t)f * x->ndim);
  }
  const char *name = da_name(e, "concatenate");
  int zero[DA_MAXDIM] = {0};
  return concat(e, name, zero, x->ndim, x->shape, x->dtype, x->blocks, offs,
                x->nb, loc);
}

/* ---- rechunk ---- */

DArray *da_rechunk(Eval *e, DArray *x, int64_t **chunks, const int *nblocks,
                   Loc loc) {
  bool same = true;
  for (int d = 0; d < x->ndim && same; d++) {
    same = x->nblocks[d] == nblocks[d];
    for (int b = 0; same && b < nblocks[d]; b++)
      same = x->chunks[d][b] == chunks[d][b];
  }
  if (same)
    return x;
  da_need_known(e, x, "rechunk", loc);
  DArray *out = da_alloc(e, "rechunk-merge", x->dtype, x->ndim, x->shape);
  da_set_chunks(e, out, (int64_t **)chunks, nblocks);
  const char *split = da_name(e, "rechunk-split");
  int nsplit = 0;
  for (int f = 0; f < out->nb; f++) {
    int oc[DA_MAXDIM];
    int64_t olo[DA_MAXDIM], oshape[DA_MAXDIM];
    da_block_coords(out, f, oc);
    da_block_offset(out, oc, olo);
    da_block_shape(out, oc, oshape);
    /* the input blocks overlapping this output block, per axis */
    int first[DA_MAXDIM], count[DA_MAXDIM], total = 1;
    for (int d = 0; d < x->ndim; d++) {
      int64_t lo = 0;
      first[d] = -1;
      count[d] = 0;
      for (int b = 0; b < x->nblocks[d]; b++) {
        int64_t hi = lo + x->chunks[d][b];
        if (hi > olo[d] && lo < olo[d] + oshape[d]) {
          if (first[d] < 0)
            first[d] = b;
          count[d]++;
        }
        lo = hi;
      }
      total *= count[d];
    }
    Task **parts = ARENA_ARRAY(eval_arena(e), Task *, total);
    int64_t *offs =
        ARENA_ARRAY(eval_arena(e), int64_t, (size_t)total * x->ndim + 1);
    for (int i = 0; i < total; i++) {
      int ic[DA_MAXDIM], r = i;
      for (int d = x->ndim - 1; d >= 0; d--) {
        ic[d] = first[d] + r % count[d];
        r /= count[d];
      }
      int64_t ilo[DA_MAXDIM], ishape[DA_MAXDIM], lo[DA_MAXDIM],
          pshape[DA_MAXDIM];
      da_block_offset(x, ic, ilo);
      da_block_shape(x, ic, ishape);
      bool whole = true;
      for (int d = 0; d < x->ndim; d++) {
        int64_t a = ilo[d] > olo[d] ? ilo[d] : olo[d];
        int64_t b = ilo[d] + ishape[d] < olo[d] + oshape[d]
                        ? ilo[d] + ishape[d] : olo[d] + oshape[d];
        lo[d] = a - ilo[d];
        pshape[d] = b - a;
        offs[(size_t)i * x->ndim + d] = a - olo[d];
        whole &= pshape[d] == ishape[d];
      }
      Task *in = x->blocks[da_block_flat(x, ic)];
      if (!whole) {
        int sc[1] = {nsplit++};
        int64_t ones[DA_MAXDIM], map[DA_MAXDIM];
        for (int d = 0; d < x->ndim; d++) {
          ones[d] = 1;
          map[d] = d;
        }
        Task *t = da_task(e, split, sc, 1, pshape, x->ndim, x->dtype,
                          OP_array_getitem, 6, loc);
        t->args[2] = val_ref(eval_arena(e), in);
        t->args[3] = da_ituple(e, lo, x->ndim);
        t->args[4] = da_ituple(e, ones, x->ndim);
        t->args[5] = da_ituple(e, map, x->ndim);
        in = t;
      }
      parts[i] = in;
    }
    out->blocks[f] = total == 1 ? parts[0]
                     : concat(e, out->name, oc, x->ndim, oshape, x->dtype,
                              parts, offs, total, loc);
  }
  return out;
}
