/* array_reduce.c - reductions as Dask builds them: a partial per chunk,
 * a tree of combine tasks of fan-in split_every along the reduced axes, and
 * one aggregate task per output block.
 *
 * Partials keep the reduced axes with length 1, so the partials a combine
 * merges have equal shapes and it is element-wise. mean is a sum whose
 * aggregate divides by the (static) count; std/var carry Dask's
 * moment_chunk partial (n, total, M2) in a trailing axis of 3 and merge
 * them as moment_combine / moment_agg do; argmin/argmax carry (value,
 * global index) in a trailing axis of 2. */
#include <stdint.h>
#include <string.h>

#include "array.h"

static const char *const reductions[] = {
    "sum", "mean", "min", "max", "prod", "std", "var", "any", "all",
    "argmin", "argmax", NULL};

bool da_is_reduction(const char *name) {
  for (int i = 0; reductions[i]; i++)
    if (!strcmp(name, reductions[i]))
      return true;
  return false;
}

/* The partial's element kind: what the chunk and combine kernels do. */
static const char *partial_how(const char *fn) {
  if (!strcmp(fn, "mean"))
    return "sum";
  if (!strcmp(fn, "std") || !strcmp(fn, "var"))
    return "moment";
  return fn;
}

static int extra_axis(const char *how) {
  return !strcmp(how, "moment") ? 3 : !strncmp(how, "arg", 3) ? 2 : 0;
}

static Type *partial_dtype(const char *fn, Type *in) {
  if (!strcmp(fn, "sum") || !strcmp(fn, "prod"))
    return in == ty_float ? ty_float : ty_int;
  if (!strcmp(fn, "min") || !strcmp(fn, "max"))
    return in;
  if (!strcmp(fn, "any") || !strcmp(fn, "all"))
    return ty_bool;
  return ty_float; /* mean, moments, arg pairs */
}

static Type *final_dtype(const char *fn, Type *in) {
  if (!strncmp(fn, "arg", 3))
    return ty_int;
  if (!strcmp(fn, "mean") || !strcmp(fn, "std") || !strcmp(fn, "var"))
    return ty_float;
  return partial_dtype(fn, in);
}

static Val *str_val(Eval *e, const char *s) {
  return val_str(eval_arena(e), s, (int)strlen(s));
}

static Val *axes_val(Eval *e, const bool *axes, int ndim) {
  int64_t ax[DA_MAXDIM];
  int n = 0;
  for (int d = 0; d < ndim; d++)
    if (axes[d])
      ax[n++] = d;
  return da_ituple(e, ax, n);
}

/* A grid of partial blocks: chunk shapes per axis (reduced axes are 1 per
 * block), the tasks, and the trailing extra axis. */
typedef struct Grid {
  int ndim, nb[DA_MAXDIM], extra;
  int64_t *chunks[DA_MAXDIM];
  Task **t;
  int n;
} Grid;

static int grid_flat(const Grid *g, const int *c) {
  int f = 0;
  for (int d = 0; d < g->ndim; d++)
    f = f * g->nb[d] + c[d];
  return f;
}

static void grid_coords(const Grid *g, int f, int *c) {
  for (int d = g->ndim - 1; d >= 0; d--) {
    c[d] = f % g->nb[d];
    f /= g->nb[d];
  }
}

static void grid_shape(const Grid *g, const int *c, int64_t *shape) {
  for (int d = 0; d < g->ndim; d++)
    shape[d] = g->chunks[d][c[d]];
  if (g->extra)
    shape[g->ndim] = g->extra;
}

static void partials(Eval *e, DArray *x, const char *how, const bool *axes,
                     Type *pdt, Grid *g, Loc loc) {
  const char *name = da_name(e, how);
  g->ndim = x->ndim;
  g->extra = extra_axis(how);
  for (int d = 0; d < x->ndim; d++) {
    g->nb[d] = x->nblocks[d];
    g->chunks[d] = x->chunks[d];
    if (axes[d]) {
      g->chunks[d] = ARENA_ARRAY(eval_arena(e), int64_t, x->nblocks[d]);
      for (int b = 0; b < x->nblocks[d]; b++)
        g->chunks[d][b] = 1;
    }
  }
  g->n = x->nb;
  g->t = ARENA_ARRAY(eval_arena(e), Task *, x->nb);
  /* global strides (for flat indices); they saturate rather than wrap in a
   * lazy array past int64, whose elements no run could visit anyway */
  int64_t gs[DA_MAXDIM], s = 1;
  for (int d = x->ndim - 1; d >= 0; d--) {
    gs[d] = s;
    if (__builtin_mul_overflow(s, x->shape[d], &s))
      s = INT64_MAX;
  }
  Val *ax = axes_val(e, axes, x->ndim), *gsv = da_ituple(e, gs, x->ndim);
  for (int f = 0; f < x->nb; f++) {
    int c[DA_MAXDIM];
    int64_t shape[DA_MAXDIM + 1], off[DA_MAXDIM];
    grid_coords(g, f, c);
    grid_shape(g, c, shape);
    da_block_offset(x, c, off);
    Task *t = da_task(e, name, c, x->ndim, shape, x->ndim + (g->extra > 0),
                      pdt, OP_array_reduce, 7, loc);
    t->args[2] = val_ref(eval_arena(e), x->blocks[f]);
    t->args[3] = str_val(e, how);
    t->args[4] = ax;
    t->args[5] = da_ituple(e, off, x->ndim);
    t->args[6] = gsv;
    g->t[f] = t;
  }
}

/* One round of the tree: groups of up to split[d] blocks along each
 * reduced axis become one combine task. */
static void combine_round(Eval *e, Grid *g, const char *how,
                          const char *chow, const int *split, Type *pdt,
                          Loc loc) {
  const char *name = arena_printf(eval_arena(e), "%s-partial-%d", how,
                                  ++eval_graph(e)->next_key);
  Grid n = *g;
  int total = 1;
  for (int d = 0; d < g->ndim; d++) {
    n.nb[d] = (g->nb[d] + split[d] - 1) / split[d];
    if (split[d] > 1) {
      n.chunks[d] = ARENA_ARRAY(eval_arena(e), int64_t, n.nb[d]);
      for (int b = 0; b < n.nb[d]; b++)
        n.chunks[d][b] = 1;
    }
    total *= n.nb[d];
  }
  n.n = total;
  n.t = ARENA_ARRAY(eval_arena(e), Task *, total);
  for (int f = 0; f < total; f++) {
    int c[DA_MAXDIM], lo[DA_MAXDIM], cnt[DA_MAXDIM], m = 1;
    grid_coords(&n, f, c);
    for (int d = 0; d < g->ndim; d++) {
      lo[d] = c[d] * split[d];
      cnt[d] = g->nb[d] - lo[d] < split[d] ? g->nb[d] - lo[d] : split[d];
      m *= cnt[d];
    }
    if (m == 1) { /* a group of one passes through, no task */
      int ic[DA_MAXDIM];
      for (int d = 0; d < g->ndim; d++)
        ic[d] = lo[d];
      n.t[f] = g->t[grid_flat(g, ic)];
      continue;
    }
    Val **items = ARENA_ARRAY(eval_arena(e), Val *, m);
    for (int i = 0; i < m; i++) {
      int r = i, ic[DA_MAXDIM];
      for (int d = g->ndim - 1; d >= 0; d--) {
        ic[d] = lo[d] + r % cnt[d];
        r /= cnt[d];
      }
      items[i] = val_ref(eval_arena(e), g->t[grid_flat(g, ic)]);
    }
    int64_t shape[DA_MAXDIM + 1];
    grid_shape(&n, c, shape);
    Task *t = da_task(e, name, c, g->ndim, shape, g->ndim + (g->extra > 0),
                      pdt, OP_array_combine, 4, loc);
    t->args[2] = val_seq(eval_arena(e), VAL_LIST, items, m);
    t->args[3] = str_val(e, chow);
    n.t[f] = t;
  }
  *g = n;
}

/* Dask's split_every per axis: an int s is spread over the reduced axes as
 * max(int(s ** (1 / naxes)), 2). */
static void split_per_axis(const bool *axes, int ndim, int s, int *split) {
  int na = 0;
  for (int d = 0; d < ndim; d++)
    na += axes[d];
  int per = s;
  if (na > 1) {
    per = 1;
    while (__builtin_pow(per + 1, na) <= s + 1e-9)
      per++;
  }
  if (per < 2)
    per = 2;
  for (int d = 0; d < ndim; d++)
    split[d] = axes[d] ? per : 1;
}

/* Dask's combines use np.sum over the concatenated partials (sum, and
 * each sum inside moment_combine): pairwise along trailing reduced axes
 * ("sum", "moment"), row by row otherwise ("sum-seq", "moment-seq"). */
static const char *combine_how(Eval *e, const char *how, const bool *axes,
                               int ndim) {
  if (strcmp(how, "sum") && strcmp(how, "moment"))
    return how;
  int d = ndim - 1;
  while (d >= 0 && axes[d])
    d--;
  for (; d >= 0; d--)
    if (axes[d])
      return arena_printf(eval_arena(e), "%s-seq", how);
  return how;
}

DArray *da_reduce(Eval *e, DArray *x, const char *fn, bool *axes,
                  bool keepdims, int split_every, int ddof, Loc loc) {
  bool unknown = da_unknown(x);
  if (unknown) {
    DArray *r = da_reduce_unknown(e, x, fn, axes, keepdims, split_every, loc);
    if (r)
      return r;
  }
  if (!unknown && da_size(x) == 0 && strcmp(fn, "sum") && strcmp(fn, "prod") &&
      strcmp(fn, "any") && strcmp(fn, "all"))
    diag_error(loc, "zero-size array to reduction operation %s which has no "
               "identity", fn);
  const char *how = partial_how(fn);
  Type *pdt = partial_dtype(how, x->dtype);
  if (!strcmp(fn, "mean"))
    pdt = ty_float;
  Grid g;
  partials(e, x, how, axes, pdt, &g, loc);
  int split[DA_MAXDIM];
  split_per_axis(axes, x->ndim, split_every, split);
  const char *chow = combine_how(e, how, axes, x->ndim);
  for (;;) {
    bool more = false;
    for (int d = 0; d < x->ndim; d++)
      more |= axes[d] && g.nb[d] > 1;
    if (!more)
      break;
    combine_round(e, &g, how, chow, split, pdt, loc);
  }
  /* the aggregate: one task per block, reduced axes dropped unless kept */
  int64_t oshape[DA_MAXDIM], count = 1;
  int on = 0;
  for (int d = 0; d < x->ndim; d++) {
    if (axes[d] && __builtin_mul_overflow(count, x->shape[d], &count))
      count = INT64_MAX; /* saturates, as da_size */
    if (!axes[d] || keepdims)
      oshape[on++] = axes[d] ? 1 : x->shape[d];
  }
  Type *odt = final_dtype(fn, x->dtype);
  DArray *out = da_alloc(e, arena_printf(eval_arena(e), "%s-aggregate", fn),
                         odt, on, oshape);
  int64_t *chunks[DA_MAXDIM];
  int nb[DA_MAXDIM];
  for (int d = 0, o = 0; d < x->ndim; d++)
    if (!axes[d] || keepdims) {
      chunks[o] = g.chunks[d];
      out->unk_id[o] = axes[d] ? NULL : x->unk_id[d]; /* a kept nan axis */
      nb[o++] = g.nb[d];
    }
  da_set_chunks(e, out, chunks, nb);
  for (int f = 0; f < out->nb; f++) {
    Task *t = da_block_task(e, out, f, OP_array_aggregate, 6, loc);
    t->args[2] = val_ref(eval_arena(e), g.t[f]); /* same block order */
    t->args[3] = str_val(e, fn);
    t->args[4] = val_int(eval_arena(e), count);
    t->args[5] = val_int(eval_arena(e), ddof);
  }
  out->red_src = unknown ? NULL : x; /* no push-down into unknown chunks */
  out->red_fn = fn;
  memcpy(out->red_axes, axes, sizeof out->red_axes);
  out->red_keep = keepdims;
  out->red_split = split_every;
  out->red_ddof = ddof;
  return out;
}

Value *da_reduce_call(Eval *e, DArray *x, const char *fn, Args *a,
                      int first) {
  static const char *kws[] = {"axis", "keepdims", "split_every", "ddof",
                              "dtype", "out", NULL};
  eval_args_check_kw(e, a, fn, kws);
  eval_args_count(e, a, fn, first, first + 1);
  Value *axis = a->npos > first ? a->pos[first] : eval_arg_kw(a, "axis", NULL);
  bool axes[DA_MAXDIM];
  da_axes_arg(e, axis, x->ndim, axes, a->loc);
  if (!strncmp(fn, "arg", 3)) {
    int na = 0;
    for (int d = 0; d < x->ndim; d++)
      na += axes[d];
    if (axis && axis->kind == V_TUPLE)
      diag_error(a->loc, "%s takes one axis or None", fn);
    if (na != x->ndim && na != 1)
      diag_error(a->loc, "%s takes one axis or None", fn);
  }
  Value *kd = eval_arg_kw(a, "keepdims", NULL);
  Value *se = eval_arg_kw(a, "split_every", NULL);
  Value *dd = eval_arg_kw(a, "ddof", NULL);
  Value *out = eval_arg_kw(a, "out", NULL);
  if (out && out->kind != V_NONE)
    diag_error(a->loc, "out= is not supported");
  int split = se && se->kind != V_NONE
                  ? (int)eval_need_int(e, se, a->loc, "split_every")
                  : 4;
  if (split < 2)
    diag_error(a->loc, "split_every must be at least 2");
  int ddof = dd ? (int)eval_need_int(e, dd, a->loc, "ddof") : 0;
  if (dd && strcmp(fn, "std") && strcmp(fn, "var"))
    diag_error(a->loc, "ddof= is only for std and var");
  return da_value(e, da_reduce(e, x, fn, axes, kd && eval_truthy(e, kd, a->loc),
                               split, ddof, a->loc));
}
