/* array_create.c - da.linspace, arange, ones, zeros, full and da.random.*.
 *
 * Creation chunks compute their elements from the element's global index,
 * so no chunk depends on another and the values do not depend on the
 * chunking, except linspace: as Dask builds it, each block is its own
 * np.linspace(blockstart, blockstop, bs) (i * step_b + start_b, the last
 * element exactly blockstop) with blockstart summed block by block, so its
 * values (and sums) are Dask's bit for bit. Random numbers come from the
 * runtime's counter-based generator keyed by (--seed, the array's stream
 * id, global flat index). A RandomState is a collection value of its own
 * kind (rs_ops), whose methods make arrays with the streams of its seed. */
#include <stdint.h>
#include <string.h>

#include "array.h"

/* Fills the blocks of x with `op` tasks; extra(e, x, coords, t) sets
 * args[2..]. */
typedef void Extra(Eval *e, DArray *x, const int *coords, Task *t, void *ctx);

static void fill_blocks(Eval *e, DArray *x, OpId op, int nargs, Extra *fn,
                        void *ctx, Loc loc) {
  for (int f = 0; f < x->nb; f++) {
    Task *t = da_block_task(e, x, f, op, nargs, loc);
    int c[DA_MAXDIM];
    da_block_coords(x, f, c);
    fn(e, x, c, t, ctx);
  }
}

static Value *kw(Args *a, const char *name) { return eval_arg_kw(a, name, NULL); }

/* positional i or keyword name, else dflt */
static Value *param(Args *a, int i, const char *name, Value *dflt) {
  if (i < a->npos)
    return a->pos[i];
  Value *v = kw(a, name);
  return v ? v : dflt;
}

static DArray *new_array(Eval *e, Args *a, const char *prefix, Type *dtype,
                         int ndim, const int64_t *shape) {
  DArray *x = da_alloc(e, prefix, dtype, ndim, shape);
  int64_t *chunks[DA_MAXDIM];
  int nb[DA_MAXDIM];
  da_normalize_chunks(e, kw(a, "chunks"), ndim, shape, dtype, NULL, chunks, nb,
                      a->loc);
  da_set_chunks(e, x, chunks, nb);
  return x;
}

static Type *dtype_kw(Eval *e, Args *a, Type *dflt) {
  int at;
  Value *v = eval_arg_kw(a, "dtype", &at);
  return v && v->kind != V_NONE ? da_dtype_from(e, v, a->kw_loc[at]) : dflt;
}

/* ---- linspace ---- */

typedef struct Lin {
  double start, step; /* the whole array's start and Dask's step */
  bool endpoint;
} Lin;

/* dask.array.linspace: block b is np.linspace(bstart, bstart + (bs - 1) *
 * step, bs) (bs * step without the endpoint), then bstart += step * bs.
 * np.linspace(a, z, n): y = arange(n) * ((z - a) / div) + a, or
 * (arange(n) / div) * (z - a) + a when that step is 0; y[-1] = z with the
 * endpoint. The kernel reads the block's local index. Blocks are filled in
 * order, so l->start walks along as Dask's blockstart does. */
static void lin_args(Eval *e, DArray *x, const int *c, Task *t, void *ctx) {
  Lin *l = ctx;
  int64_t off[DA_MAXDIM];
  da_block_offset(x, c, off);
  int64_t bs = x->chunks[0][c[0]];
  double a = l->start;
  double z = a + (double)(l->endpoint ? bs - 1 : bs) * l->step;
  int64_t div = l->endpoint ? bs - 1 : bs;
  double delta = z - a, step = div > 0 ? delta / (double)div : 0;
  l->start = a + l->step * (double)bs;
  Arena *ar = eval_arena(e);
  t->args[2] = da_ituple(e, off, 1);
  t->args[3] = val_float(ar, a);
  t->args[4] = val_float(ar, step);
  t->args[5] = val_float(ar, z);
  t->args[6] = val_int(ar, l->endpoint && bs > 1 ? bs - 1 : -1);
  t->args[7] = val_float(ar, div > 0 ? delta : 0);
  t->args[8] = val_float(ar, div > 0 ? (double)div : 1);
}

static Value *linspace(Eval *e, Args *a) {
  static const char *kws[] = {"num", "endpoint", "chunks", "dtype", NULL};
  eval_args_check_kw(e, a, "linspace", kws);
  eval_args_count(e, a, "linspace", 2, 3);
  Value *nv = param(a, 2, "num", eval_mk_int(e, 50));
  int64_t num = da_int(e, nv, a->loc, "num");
  if (num < 0)
    diag_error(a->loc, "Number of samples, %lld, must be non-negative.",
               (long long)num);
  Value *ep = kw(a, "endpoint");
  bool endpoint = !ep || eval_truthy(e, ep, a->loc);
  Lin l;
  l.start = da_num(e, a->pos[0], a->pos_loc[0], "start");
  double stop = da_num(e, a->pos[1], a->pos_loc[1], "stop");
  int64_t div = endpoint ? num - 1 : num;
  l.step = (stop - l.start) / (double)(div > 0 ? div : 1); /* Dask's step */
  l.endpoint = endpoint;
  DArray *x = new_array(e, a, "linspace", dtype_kw(e, a, ty_float), 1, &num);
  if (x->dtype != ty_float)
    diag_error(a->loc, "linspace supports dtype float64 only");
  fill_blocks(e, x, OP_array_linspace, 9, lin_args, &l, a->loc);
  return da_value(e, x);
}

/* ---- arange ---- */

/* Integer arguments stay integers (Python ints, as Dask computes block
 * starts): start + i * step is exact in int64 wherever the element fits. */
typedef struct Ar {
  bool ints;             /* start, stop and step are ints */
  int64_t istart, istep; /* when ints */
  double fstart, fstep;  /* otherwise */
} Ar;

/* Integer blocks read start + global index * step. A float block is
 * Dask's np.arange(blockstart, ..., step) with blockstart = start + off *
 * step (exact for ints, as Python computes it); NumPy fills it as
 * a0 + i * (next - a0) with next = blockstart + step (again exact for
 * ints, then rounded): the block passes a0 and that delta and the kernel
 * reads its local index. */
static void ar_args(Eval *e, DArray *x, const int *c, Task *t, void *ctx) {
  Ar *r = ctx;
  Arena *ar = eval_arena(e);
  int64_t off[DA_MAXDIM];
  da_block_offset(x, c, off);
  t->args[2] = da_ituple(e, off, 1);
  if (x->dtype != ty_float) {
    t->args[3] = val_int(ar, r->istart);
    t->args[4] = val_int(ar, r->istep);
    return;
  }
  double a0, next;
  if (r->ints) {
    __int128 b0 = (__int128)r->istart + (__int128)off[0] * r->istep;
    a0 = (double)b0;
    next = (double)(b0 + r->istep);
  } else {
    a0 = r->fstart + (double)off[0] * r->fstep;
    next = a0 + r->fstep;
  }
  t->args[3] = val_float(ar, a0);
  t->args[4] = val_float(ar, next - a0);
}

static bool is_int(const Value *v) {
  return v->kind == V_INT || v->kind == V_BOOL;
}

/* Dask's length of an integer arange, ceil((stop - start) / step), exact
 * (Dask divides Python ints with true division: the same below 2**53). */
static int64_t int_length(int64_t start, int64_t stop, int64_t step, Loc loc) {
  __int128 d = (__int128)stop - start, q = d / step, rem = d % step;
  if (rem != 0 && (rem > 0) == (step > 0))
    q++;
  if (q > INT64_MAX) /* |stop - start| < 2**64, so q is too */
    diag_error(loc, "array too large: arange of %llu elements (at most "
               "2**63 - 1)", (unsigned long long)q);
  return q > 0 ? (int64_t)q : 0;
}

static Value *arange(Eval *e, Args *a) {
  static const char *kws[] = {"chunks", "dtype", "step", "stop", "start", NULL};
  eval_args_check_kw(e, a, "arange", kws);
  eval_args_count(e, a, "arange", 1, 3);
  Value *start = eval_mk_int(e, 0), *stop, *step = param(a, 2, "step", eval_mk_int(e, 1));
  if (a->npos == 1) {
    stop = a->pos[0];
  } else {
    start = a->pos[0];
    stop = a->pos[1];
  }
  Ar r = {is_int(start) && is_int(stop) && is_int(step), 0, 0, 0, 0};
  r.fstart = da_num(e, start, a->loc, "start");
  double s1 = da_num(e, stop, a->loc, "stop");
  r.fstep = da_num(e, step, a->loc, "step");
  if (r.fstep == 0)
    diag_error(a->loc, "arange: step must not be zero");
  int64_t num;
  if (r.ints) {
    r.istart = eval_need_int(e, start, a->loc, "start");
    r.istep = eval_need_int(e, step, a->loc, "step");
    num = int_length(r.istart, eval_need_int(e, stop, a->loc, "stop"), r.istep,
                     a->loc);
  } else {
    double n = __builtin_ceil((s1 - r.fstart) / r.fstep);
    if (n >= 0x1p63)
      diag_error(a->loc, "array too large: arange of %g elements", n);
    num = n > 0 ? (int64_t)n : 0;
  }
  Type *dt = dtype_kw(e, a, r.ints ? ty_int : ty_float);
  if (dt == ty_bool)
    diag_error(a->loc, "arange does not make bool arrays");
  if (dt == ty_int && !r.ints)
    diag_error(a->loc, "arange with float arguments and dtype int64 is not "
               "supported");
  DArray *x = new_array(e, a, "arange", dt, 1, &num);
  fill_blocks(e, x, OP_array_arange, 5, ar_args, &r, a->loc);
  return da_value(e, x);
}

/* ---- ones, zeros, full ---- */

static void full_args(Eval *e, DArray *x, const int *c, Task *t, void *ctx) {
  (void)x;
  (void)c;
  t->args[2] = eval_to_val(e, ctx, t->loc);
}

static Type *value_dtype(Value *v) {
  return v->kind == V_FLOAT ? ty_float : v->kind == V_BOOL ? ty_bool : ty_int;
}

/* The fill value as dtype dt, as np.full casts it: an int stays exact
 * (never through double), a float is truncated to an int64 it fits. */
static Value *fill_as(Eval *e, Value *fill, Type *dt, Loc loc) {
  double f = da_num(e, fill, loc, "fill_value");
  if (dt == ty_float)
    return eval_mk_float(e, f);
  if (dt == ty_bool)
    return v_bool(f != 0);
  if (is_int(fill))
    return eval_mk_int(e, eval_need_int(e, fill, loc, "fill_value"));
  if (!(f >= -0x1p63 && f < 0x1p63))
    diag_error(loc, "fill_value %g does not fit in int64", f);
  return eval_mk_int(e, (int64_t)f);
}

static Value *full(Eval *e, Args *a, const char *fname) {
  static const char *kws[] = {"chunks", "dtype", "fill_value", "shape", NULL};
  eval_args_check_kw(e, a, fname, kws);
  bool isfull = !strcmp(fname, "full");
  eval_args_count(e, a, fname, isfull ? 1 : 0, isfull ? 2 : 1);
  Value *sv = param(a, 0, "shape", NULL);
  if (!sv)
    diag_error(a->loc, "%s() needs a shape", fname);
  int64_t shape[DA_MAXDIM];
  int nd = da_shape_arg(e, sv, shape, a->loc);
  Value *fill = isfull ? param(a, 1, "fill_value", NULL)
                       : eval_mk_float(e, fname[0] == 'o' ? 1.0 : 0.0);
  if (!fill || !v_is_number(fill))
    diag_error(a->loc, "full() needs a numeric fill_value");
  Type *dt = dtype_kw(e, a, isfull ? value_dtype(fill) : ty_float);
  fill = fill_as(e, fill, dt, a->loc);
  DArray *x = new_array(e, a, fname, dt, nd, shape);
  fill_blocks(e, x, OP_array_full, 3, full_args, fill, a->loc);
  return da_value(e, x);
}

/* ---- random ---- */

typedef struct Rnd {
  int64_t stream;
  double p, q;
  Val *gs; /* the full array's strides, shared by its chunks */
} Rnd;

static void rnd_args(Eval *e, DArray *x, const int *c, Task *t, void *ctx) {
  Rnd *r = ctx;
  int64_t off[DA_MAXDIM], gs[DA_MAXDIM];
  da_block_offset(x, c, off);
  if (!r->gs) {
    int64_t s = 1;
    for (int d = x->ndim - 1; d >= 0; d--) {
      gs[d] = s;
      s *= x->shape[d];
    }
    r->gs = da_ituple(e, gs, x->ndim);
  }
  Arena *a = eval_arena(e);
  t->args[2] = da_ituple(e, off, x->ndim);
  t->args[3] = r->gs;
  t->args[4] = val_int(a, r->stream);
  t->args[5] = val_float(a, r->p);
  t->args[6] = val_float(a, r->q);
}

/* A RandomState: its seed and how many arrays it has made, so that two
 * RandomState(42) give the same arrays and one gives new ones per call. */
typedef struct RandomState {
  Coll coll; /* ops: rs_ops */
  int64_t seed, count;
} RandomState;

static uint64_t mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/* The stream id of the next array: the global functions count 1, 2, ...
 * (per compilation); a RandomState's streams come from its seed. */
static int64_t next_stream(Eval *e, RandomState *rs) {
  if (!rs)
    return ++da_state(e)->next_stream;
  uint64_t s = mix((uint64_t)rs->seed ^ 0x5851f42d4c957f2dull);
  return (int64_t)(mix(s + (uint64_t)rs->count++) | (1ull << 62));
}

/* normal, uniform, random (random_sample) of rs, or of the module when rs
 * is NULL */
static Value *derived_random(Eval *e, Args *a, const char *fname,
                             RandomState *rs);

static Value *random_array(Eval *e, Args *a, const char *fname,
                           RandomState *rs) {
  bool std = !strcmp(fname, "standard_normal"); /* normal(0, 1) */
  if (!strcmp(fname, "exponential") || !strcmp(fname, "randint") ||
      !strcmp(fname, "choice") || !strcmp(fname, "poisson"))
    return derived_random(e, a, fname, rs);
  static const char *kws[] = {"size", "chunks", "loc", "scale", "low", "high",
                              NULL};
  eval_args_check_kw(e, a, fname, kws);
  bool normal = std || !strcmp(fname, "normal");
  bool uni = !strcmp(fname, "uniform");
  Rnd r = {0, 0, 1, NULL};
  int np = (normal && !std) || uni ? 2 : 0;
  eval_args_count(e, a, fname, 0, np + 1);
  if (np) {
    Value *p = param(a, 0, normal ? "loc" : "low", NULL);
    Value *q = param(a, 1, normal ? "scale" : "high", NULL);
    if (p)
      r.p = da_num(e, p, a->loc, normal ? "loc" : "low");
    if (q)
      r.q = da_num(e, q, a->loc, normal ? "scale" : "high");
  }
  if (uni) /* low + (high - low) * u */
    r.q -= r.p;
  Value *sv = param(a, np, "size", NULL);
  if (!sv || sv->kind == V_NONE)
    diag_error(a->loc, "%s() needs size= (scalars are not supported)", fname);
  int64_t shape[DA_MAXDIM];
  int nd = da_shape_arg(e, sv, shape, a->loc);
  r.stream = next_stream(e, rs);
  DArray *x = new_array(e, a, fname, ty_float, nd, shape);
  if (da_size(x) == INT64_MAX) /* elements are keyed by an int64 index */
    diag_error(a->loc, "array too large: random arrays hold at most 2**63 - 2 "
               "elements");
  fill_blocks(e, x, normal ? OP_array_normal : OP_array_uniform, 7, rnd_args,
              &r, a->loc);
  return da_value(e, x);
}

static const char *const random_fns[] = {
    "normal", "uniform", "random", "random_sample", "standard_normal",
    "exponential", "randint", "choice", "poisson", NULL};

/* random_sample is random under its other name */
static const char *random_fn(const char *name) {
  for (int i = 0; random_fns[i]; i++)
    if (!strcmp(name, random_fns[i]))
      return i == 3 ? "random" : random_fns[i];
  return NULL;
}

/* The module's or rs's random(size=, chunks=) with a's size and chunks. */
static DArray *uniform01(Eval *e, Args *a, int sizepos, RandomState *rs) {
  Value *sv = param(a, sizepos, "size", NULL);
  Value *cv = eval_arg_kw(a, "chunks", NULL);
  Args *b = eval_args_new(e, a->loc, 0, NULL);
  const char *names[2] = {"size", "chunks"};
  Value *vals[2] = {sv ? sv : v_none(), cv};
  b->kw_names = ARENA_ARRAY(eval_arena(e), const char *, 2);
  b->kw = ARENA_ARRAY(eval_arena(e), Value *, 2);
  b->kw_loc = ARENA_ARRAY(eval_arena(e), Loc, 2);
  for (int i = 0; i < 2; i++)
    if (vals[i]) {
      b->kw_names[b->nkw] = names[i];
      b->kw_loc[b->nkw] = a->loc;
      b->kw[b->nkw++] = vals[i];
    }
  return da_arr(random_array(e, b, "random", rs));
}

static Value *elem2(Eval *e, OpId op, Value *x, Value *y, Loc loc) {
  Value *v[2] = {x, y};
  return da_value(e, da_elemwise(e, op, v, y ? 2 : 1, loc));
}

/* Distributions made from uniform numbers u in [0, 1), independent of the
 * chunking as they are: exponential is -log(1 - u) * scale (inverse CDF),
 * randint(low, high) is low + trunc(u * (high - low)) (at most high - 1),
 * choice(n) is randint(0, n), poisson(lam) the smallest k whose CDF
 * exceeds u (runtime/array_poisson.c). */
static Value *derived_random(Eval *e, Args *a, const char *fname,
                             RandomState *rs) {
  Loc l = a->loc;
  if (!strcmp(fname, "exponential")) {
    static const char *kws[] = {"scale", "size", "chunks", NULL};
    eval_args_check_kw(e, a, fname, kws);
    eval_args_count(e, a, fname, 0, 2);
    Value *sc = param(a, 0, "scale", NULL);
    double scale = sc ? da_num(e, sc, l, "scale") : 1.0;
    if (scale < 0)
      diag_error(l, "scale < 0");
    Value *u = da_value(e, uniform01(e, a, 1, rs));
    Value *r = elem2(e, OP_array_sub, eval_mk_float(e, 1.0), u, l);
    r = elem2(e, OP_array_neg, elem2(e, OP_array_log, r, NULL, l), NULL, l);
    return elem2(e, OP_array_mul, r, eval_mk_float(e, scale), l);
  }
  if (!strcmp(fname, "poisson")) { /* inversion of u (array_poisson.c) */
    static const char *kws[] = {"lam", "size", "chunks", NULL};
    eval_args_check_kw(e, a, fname, kws);
    eval_args_count(e, a, fname, 0, 2);
    Value *lv = param(a, 0, "lam", NULL);
    double lam = lv ? da_num(e, lv, l, "lam") : 1.0;
    if (lam < 0 || lam != lam)
      diag_error(l, "lam < 0 or lam is NaN");
    if (lam > 9.223372006484771e18) /* NumPy's poisson_lam_max */
      diag_error(l, "lam value too large");
    Value *u = da_value(e, uniform01(e, a, 1, rs));
    return elem2(e, OP_array_poisson, u, eval_mk_float(e, lam), l);
  }
  int64_t lo, hi;
  int sizepos;
  if (!strcmp(fname, "choice")) {
    static const char *kws[] = {"size", "chunks", "replace", NULL};
    eval_args_check_kw(e, a, fname, kws);
    eval_args_count(e, a, fname, 1, 2);
    Value *rep = eval_arg_kw(a, "replace", NULL);
    if (rep && !eval_truthy(e, rep, l))
      diag_error(l, "choice(replace=False) is not supported");
    if (a->pos[0]->kind != V_INT)
      diag_error(a->pos_loc[0], "choice(a) is supported for an int a (a "
                 "range) only");
    lo = 0;
    hi = a->pos[0]->i;
    if (hi <= 0)
      diag_error(a->pos_loc[0], "a must be greater than 0 unless no samples "
                 "are taken");
    sizepos = 1;
  } else {
    static const char *kws[] = {"low", "high", "size", "chunks", "dtype", NULL};
    eval_args_check_kw(e, a, fname, kws);
    eval_args_count(e, a, fname, 1, 3);
    Value *h = param(a, 1, "high", NULL);
    lo = eval_need_int(e, param(a, 0, "low", NULL), l, "low");
    hi = h && h->kind != V_NONE ? eval_need_int(e, h, l, "high") : lo;
    if (!h || h->kind == V_NONE)
      lo = 0;
    if (lo >= hi)
      diag_error(l, "low >= high");
    sizepos = 2;
  }
  Value *u = da_value(e, uniform01(e, a, sizepos, rs));
  Value *r = elem2(e, OP_array_mul, u, eval_mk_float(e, (double)(hi - lo)), l);
  r = da_value(e, da_astype(e, da_arr(r), ty_int, l));
  r = elem2(e, OP_array_minimum, r, eval_mk_int(e, hi - lo - 1), l);
  return lo ? elem2(e, OP_array_add, r, eval_mk_int(e, lo), l) : r;
}

static Value *rs_attr(Eval *e, Value *v, const char *name, Loc loc) {
  (void)loc;
  for (int i = 0; random_fns[i]; i++)
    if (!strcmp(name, random_fns[i]))
      return v_method(eval_arena(e), v, random_fns[i]);
  return NULL;
}

static Value *rs_method(Eval *e, Value *v, const char *name, Args *a) {
  const char *fn = random_fn(name);
  return fn ? random_array(e, a, fn, (RandomState *)v->coll) : NULL;
}

static const char *rs_repr(Arena *a, const Value *v) {
  (void)a;
  (void)v;
  return "<dask.array.random.RandomState>";
}

static const CollOps rs_ops = {
    .type_name = "RandomState",
    .repr = rs_repr,
    .attr = rs_attr,
    .method = rs_method,
};

static Value *random_state(Eval *e, Args *a) {
  eval_args_no_kw(e, a, "RandomState");
  eval_args_count(e, a, "RandomState", 0, 1);
  int64_t seed = a->npos && a->pos[0]->kind != V_NONE
                     ? eval_need_int(e, a->pos[0], a->pos_loc[0], "a seed")
                     : 0;
  RandomState *rs = ARENA_NEW(eval_arena(e), RandomState);
  rs->coll.ops = &rs_ops;
  rs->seed = seed;
  rs->count = 0;
  return v_coll(eval_arena(e), &rs->coll);
}

Value *da_create_builtin_fn(Eval *e, Args *a) {
  const char *q = eval_callee(e), *dot = strrchr(q, '.');
  const char *name = dot ? dot + 1 : q;
  if (!strcmp(q, "dask.array.random.RandomState"))
    return random_state(e, a);
  if (!strncmp(q, "dask.array.random.", 18))
    return random_array(e, a, random_fn(name), NULL);
  if (!strcmp(name, "linspace"))
    return linspace(e, a);
  if (!strcmp(name, "arange"))
    return arange(e, a);
  return full(e, a, name);
}
