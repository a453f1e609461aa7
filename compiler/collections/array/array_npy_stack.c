/* array_npy_stack.c - da.to_npy_stack(dirname, x, axis=0) and
 * da.from_npy_stack(dirname), Dask's layout: DIRNAME/info, a pickle of
 * {'chunks': ..., 'dtype': dtype(...), 'axis': ...}, and DIRNAME/I.npy per
 * block along the axis (the other axes whole).
 *
 * to_npy_stack rechunks as Dask does and adds one effect task (kept by
 * cull, no output, as Dask's returns None) that writes the files when the
 * program runs (runtime/array_npy_stack.c). from_npy_stack reads the info
 * at compile time, as from_npy reads a header (the path relative to the
 * .tg file's directory), and each block's .npy header, so the chunks are
 * known; the blocks are from_npy reads (array.from_npy), fused like any. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "npyhead.h"

/* ---- to_npy_stack ---- */

Value *da_to_npy_stack_builtin_fn(Eval *e, Args *a) {
  static const char *kws[] = {"axis", NULL};
  eval_args_check_kw(e, a, "to_npy_stack", kws);
  eval_args_count(e, a, "to_npy_stack", 2, 3);
  Arena *ar = eval_arena(e);
  if (a->pos[0]->kind != V_STR)
    diag_error(a->pos_loc[0], "to_npy_stack() needs a directory name (a "
               "str), got %s", v_type_name(a->pos[0]));
  DArray *x = da_of(e, a->pos[1], a->pos_loc[1]);
  da_need_known(e, x, "to_npy_stack", a->loc);
  Value *axv = a->npos > 2 ? a->pos[2] : eval_arg_kw(a, "axis", NULL);
  int64_t axis = axv ? eval_need_int(e, axv, a->loc, "an axis") : 0;
  if (x->ndim == 0 || axis < 0 || axis >= x->ndim)
    diag_error(a->loc, "tuple index out of range"); /* Dask's x.chunks[axis] */
  /* the other axes whole */
  int64_t *chunks[DA_MAXDIM];
  int nb[DA_MAXDIM];
  for (int d = 0; d < x->ndim; d++) {
    chunks[d] = d == axis ? x->chunks[d] : &x->shape[d];
    nb[d] = d == axis ? x->nblocks[d] : 1;
  }
  x = da_rechunk(e, x, chunks, nb, a->loc);
  Val **axes = ARENA_ARRAY(ar, Val *, x->ndim);
  for (int d = 0; d < x->ndim; d++)
    axes[d] = da_ituple(e, x->chunks[d], x->nblocks[d]);
  Val **blocks = ARENA_ARRAY(ar, Val *, x->nb);
  for (int f = 0; f < x->nb; f++)
    blocks[f] = val_ref(ar, x->blocks[f]);
  Task *t = eval_new_task(e, TASK_CALL, NULL, "to-npy-stack", a->loc);
  t->op = op_get(OP_array_to_npy_stack);
  t->nargs = 5;
  t->args = ARENA_ARRAY(ar, Val *, 5);
  t->args[0] = val_str(ar, a->pos[0]->str.s, a->pos[0]->str.len);
  const char *dn = da_dtype_name(x->dtype);
  t->args[1] = val_str(ar, dn, (int)strlen(dn));
  t->args[2] = val_int(ar, axis);
  t->args[3] = val_seq(ar, VAL_TUPLE, axes, x->ndim);
  t->args[4] = val_seq(ar, VAL_LIST, blocks, x->nb);
  graph_add_effect(eval_graph(e), t);
  return v_none();
}

/* ---- the info pickle ---- */

/* What a pickle holds here: ints, strs, tuples, the dict, numpy.dtype */
typedef enum { PK_INT, PK_STR, PK_TUPLE, PK_DICT, PK_NONE, PK_BOOL, PK_GLOBAL,
               PK_DTYPE, PK_MARK } PkKind;

typedef struct Pk Pk;
struct Pk {
  PkKind kind;
  int64_t i;           /* INT, BOOL */
  const char *s;       /* STR; GLOBAL "module.name"; DTYPE its code */
  Pk **items;          /* TUPLE; DICT keys and values alternating */
  int n;
};

typedef struct Unpickler {
  Eval *e;
  const unsigned char *p, *end;
  Pk **stack, **memo;
  int sp, nmemo, cap;
  const char *err;
} Unpickler;

enum { PK_MAX = 4096 };

static Pk *pk_new(Unpickler *u, PkKind kind) {
  Pk *v = ARENA_NEW(eval_arena(u->e), Pk);
  memset(v, 0, sizeof *v);
  v->kind = kind;
  return v;
}

static bool need(Unpickler *u, int64_t n) {
  if (n < 0 || u->end - u->p < n) {
    u->err = "the file ends early";
    return false;
  }
  return true;
}

static uint64_t le(Unpickler *u, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; i++)
    v |= (uint64_t)u->p[i] << (8 * i);
  u->p += n;
  return v;
}

static bool push(Unpickler *u, Pk *v) {
  if (u->sp == PK_MAX) {
    u->err = "too deeply nested";
    return false;
  }
  u->stack[u->sp++] = v;
  return true;
}

static Pk *pop(Unpickler *u) {
  if (u->sp == 0 || u->stack[u->sp - 1]->kind == PK_MARK) {
    u->err = "a malformed pickle";
    return NULL;
  }
  return u->stack[--u->sp];
}

static int mark_at(Unpickler *u) {
  for (int i = u->sp - 1; i >= 0; i--)
    if (u->stack[i]->kind == PK_MARK)
      return i;
  u->err = "a malformed pickle (no mark)";
  return -1;
}

static bool str_op(Unpickler *u, int lenbytes) {
  if (!need(u, lenbytes))
    return false;
  uint64_t n = le(u, lenbytes);
  if (!need(u, (int64_t)n))
    return false;
  Pk *v = pk_new(u, PK_STR);
  v->s = arena_printf(eval_arena(u->e), "%.*s", (int)n, (const char *)u->p);
  u->p += n;
  return push(u, v);
}

static bool int_op(Unpickler *u, int64_t v) {
  Pk *k = pk_new(u, PK_INT);
  k->i = v;
  return push(u, k);
}

static bool tuple_of(Unpickler *u, int from) {
  Pk *t = pk_new(u, PK_TUPLE);
  t->n = u->sp - from;
  t->items = ARENA_ARRAY(eval_arena(u->e), Pk *, t->n + 1);
  memcpy(t->items, u->stack + from, sizeof(Pk *) * (size_t)t->n);
  u->sp = from;
  return push(u, t);
}

static bool memo_put(Unpickler *u, uint64_t i) {
  if (u->sp == 0 || i >= PK_MAX) {
    u->err = "a malformed pickle (memo)";
    return false;
  }
  u->memo[i] = u->stack[u->sp - 1];
  if ((int)i >= u->nmemo)
    u->nmemo = (int)i + 1;
  return true;
}

static bool memo_get(Unpickler *u, uint64_t i) {
  if (i >= (uint64_t)u->nmemo || !u->memo[i]) {
    u->err = "a malformed pickle (memo)";
    return false;
  }
  return push(u, u->memo[i]);
}

/* dict[key] = value for the pairs above `from` */
static bool set_items(Unpickler *u, int from) {
  if (from < 1 || u->stack[from - 1]->kind != PK_DICT ||
      (u->sp - from) % 2) {
    u->err = "a malformed pickle (setitems)";
    return false;
  }
  Pk *d = u->stack[from - 1];
  int add = u->sp - from;
  Pk **items = ARENA_ARRAY(eval_arena(u->e), Pk *, d->n + add + 1);
  if (d->n) /* an empty dict has no items yet (memcpy of NULL is UB) */
    memcpy(items, d->items, sizeof(Pk *) * (size_t)d->n);
  memcpy(items + d->n, u->stack + from, sizeof(Pk *) * (size_t)add);
  d->items = items;
  d->n += add;
  u->sp = from;
  return true;
}

/* numpy.dtype('f8', False, True): the dtype of that code */
static bool reduce_op(Unpickler *u) {
  Pk *args = pop(u), *f = args ? pop(u) : NULL;
  if (!f)
    return false;
  if (f->kind != PK_GLOBAL || strcmp(f->s, "numpy.dtype") ||
      args->kind != PK_TUPLE || args->n < 1 || args->items[0]->kind != PK_STR) {
    u->err = "a pickle of something other than the dict Dask writes";
    return false;
  }
  Pk *v = pk_new(u, PK_DTYPE);
  v->s = args->items[0]->s;
  return push(u, v);
}

static bool global_op(Unpickler *u, Pk *mod, Pk *name) {
  if (!mod || !name || mod->kind != PK_STR || name->kind != PK_STR) {
    u->err = "a malformed pickle (global)";
    return false;
  }
  Pk *g = pk_new(u, PK_GLOBAL);
  g->s = arena_printf(eval_arena(u->e), "%s.%s", mod->s, name->s);
  return push(u, g);
}

/* GLOBAL's two text lines */
static const char *line(Unpickler *u) {
  const unsigned char *nl = memchr(u->p, '\n', (size_t)(u->end - u->p));
  if (!nl) {
    u->err = "the file ends early";
    return NULL;
  }
  const char *s = arena_printf(eval_arena(u->e), "%.*s", (int)(nl - u->p),
                               (const char *)u->p);
  u->p = nl + 1;
  return s;
}

static bool step(Unpickler *u, unsigned char op) {
  int m;
  switch (op) {
  case 0x80: return need(u, 1) && (u->p++, true);               /* PROTO */
  case 0x95: return need(u, 8) && (u->p += 8, true);            /* FRAME */
  case '}': return push(u, pk_new(u, PK_DICT));                 /* EMPTY_DICT */
  case ')': return tuple_of(u, u->sp);                          /* EMPTY_TUPLE */
  case '(': return push(u, pk_new(u, PK_MARK));                 /* MARK */
  case 'N': return push(u, pk_new(u, PK_NONE));
  case 0x88: case 0x89: {                                       /* NEWTRUE/FALSE */
    Pk *b = pk_new(u, PK_BOOL);
    b->i = op == 0x88;
    return push(u, b);
  }
  case 'K': return need(u, 1) && int_op(u, (int64_t)le(u, 1)); /* BININT1 */
  case 'M': return need(u, 2) && int_op(u, (int64_t)le(u, 2)); /* BININT2 */
  case 'J': return need(u, 4) && int_op(u, (int32_t)le(u, 4)); /* BININT */
  case 0x8a: {                                                  /* LONG1 */
    if (!need(u, 1))
      return false;
    int n = *u->p++;
    if (n > 8 || !need(u, n)) {
      u->err = "an int past 64 bits";
      return false;
    }
    uint64_t v = le(u, n);
    if (n && n < 8 && (v >> (8 * n - 1)) & 1)
      v |= ~(uint64_t)0 << (8 * n); /* sign-extend */
    return int_op(u, (int64_t)v);
  }
  case 0x8c: return str_op(u, 1);                               /* SHORT_BINUNICODE */
  case 'X': return str_op(u, 4);                                /* BINUNICODE */
  case 0x8d: return str_op(u, 8);                               /* BINUNICODE8 */
  case 0x85: case 0x86: case 0x87:                              /* TUPLE1..3 */
    if (u->sp < op - 0x84 + 0) {
      u->err = "a malformed pickle";
      return false;
    }
    for (int i = 1; i <= op - 0x84; i++)
      if (u->stack[u->sp - i]->kind == PK_MARK) {
        u->err = "a malformed pickle";
        return false;
      }
    return tuple_of(u, u->sp - (op - 0x84));
  case 't':                                                     /* TUPLE */
    if ((m = mark_at(u)) < 0 || !tuple_of(u, m + 1))
      return false;
    u->stack[m] = u->stack[m + 1]; /* drop the mark */
    u->sp = m + 1;
    return true;
  case 0x94: return memo_put(u, (uint64_t)u->nmemo);            /* MEMOIZE */
  case 'q': return need(u, 1) && memo_put(u, le(u, 1));         /* BINPUT */
  case 'r': return need(u, 4) && memo_put(u, le(u, 4));         /* LONG_BINPUT */
  case 'h': return need(u, 1) && memo_get(u, le(u, 1));         /* BINGET */
  case 'j': return need(u, 4) && memo_get(u, le(u, 4));         /* LONG_BINGET */
  case 's':                                                     /* SETITEM */
    return u->sp >= 3 && set_items(u, u->sp - 2);
  case 'u':                                                     /* SETITEMS */
    if ((m = mark_at(u)) < 0)
      return false;
    memmove(u->stack + m, u->stack + m + 1,
            sizeof(Pk *) * (size_t)(u->sp - m - 1));
    u->sp--;
    return set_items(u, m);
  case 0x93: {                                                  /* STACK_GLOBAL */
    Pk *name = pop(u), *mod = name ? pop(u) : NULL;
    return global_op(u, mod, name);
  }
  case 'c': {                                                   /* GLOBAL */
    Pk *mod = pk_new(u, PK_STR), *name = pk_new(u, PK_STR);
    mod->s = line(u);
    name->s = mod->s ? line(u) : NULL;
    return name->s && global_op(u, mod, name);
  }
  case 'R': return reduce_op(u);                                /* REDUCE */
  case 'b':                                                     /* BUILD */
    return pop(u) != NULL && u->sp > 0; /* the dtype's state: ignored */
  default:
    u->err = arena_printf(eval_arena(u->e), "a pickle opcode taskc does not "
                          "read (0x%02x)", op);
    return false;
  }
}

/* The top-level object of the pickle in data[0..n), or NULL with *err. */
static Pk *unpickle(Eval *e, const unsigned char *data, size_t n,
                    const char **err) {
  Unpickler u = {e, data, data + n, NULL, NULL, 0, 0, 0, NULL};
  u.stack = ARENA_ARRAY(eval_arena(e), Pk *, PK_MAX);
  u.memo = ARENA_ARRAY(eval_arena(e), Pk *, PK_MAX);
  memset(u.memo, 0, sizeof(Pk *) * PK_MAX);
  while (u.p < u.end) {
    unsigned char op = *u.p++;
    if (op == '.') {
      if (u.sp != 1) {
        *err = "a malformed pickle";
        return NULL;
      }
      return u.stack[0];
    }
    eval_step(e, eval_loc(e), 1);
    if (!step(&u, op)) {
      *err = u.err ? u.err : "a malformed pickle";
      return NULL;
    }
  }
  *err = "the file ends early";
  return NULL;
}

static Pk *dict_get(Pk *d, const char *key) {
  for (int i = 0; i + 1 < d->n; i += 2)
    if (d->items[i]->kind == PK_STR && !strcmp(d->items[i]->s, key))
      return d->items[i + 1];
  return NULL;
}

/* ---- from_npy_stack ---- */

typedef struct Info {
  Type *dtype;
  int ndim, axis;
  int64_t shape[DA_MAXDIM];
  int nb;               /* blocks along the axis */
  int64_t *sizes;       /* their lengths */
} Info;

static void read_info(Eval *e, const char *dir, Info *in, Loc loc) {
  const char *path = arena_printf(eval_arena(e), "%s/info", dir);
  FILE *f = fopen(path, "rb");
  if (!f)
    diag_error(loc, "[Errno %d] %s: '%s'", errno, strerror(errno), path);
  unsigned char buf[1 << 16];
  size_t n = fread(buf, 1, sizeof buf, f);
  fclose(f);
  const char *err = NULL;
  Pk *d = unpickle(e, buf, n, &err);
  if (d && d->kind != PK_DICT)
    err = "not the dict Dask writes";
  Pk *ch = d && !err ? dict_get(d, "chunks") : NULL;
  Pk *dt = d && !err ? dict_get(d, "dtype") : NULL;
  Pk *ax = d && !err ? dict_get(d, "axis") : NULL;
  if (!err && (!ch || !dt || !ax || ch->kind != PK_TUPLE ||
               dt->kind != PK_DTYPE || ax->kind != PK_INT))
    err = "not the dict Dask writes ('chunks', 'dtype', 'axis')";
  if (err)
    diag_error(loc, "%s: %s", path, err);
  const char *c = dt->s;
  in->dtype = !strcmp(c, "f8") || !strcmp(c, "<f8") || !strcmp(c, "float64")
                  ? ty_float
              : !strcmp(c, "i8") || !strcmp(c, "<i8") || !strcmp(c, "int64")
                  ? ty_int
              : !strcmp(c, "b1") || !strcmp(c, "|b1") || !strcmp(c, "bool")
                  ? ty_bool : NULL;
  if (!in->dtype)
    diag_error(loc, "%s: dtype '%s' is not supported (float64, int64, bool)",
               path, c);
  in->ndim = ch->n;
  if (in->ndim < 1 || in->ndim > DA_MAXDIM || ax->i < 0 || ax->i >= in->ndim)
    diag_error(loc, "%s: %d axes and axis %lld", path, in->ndim,
               (long long)ax->i);
  in->axis = (int)ax->i;
  for (int d = 0; d < in->ndim; d++) {
    Pk *cd = ch->items[d];
    if (cd->kind != PK_TUPLE || cd->n < 1 || (d != in->axis && cd->n != 1))
      diag_error(loc, "%s: the chunks of axis %d are not Dask's layout (one "
                 "chunk on every axis but %d)", path, d, in->axis);
    in->shape[d] = 0;
    for (int b = 0; b < cd->n; b++) {
      if (cd->items[b]->kind != PK_INT || cd->items[b]->i < 0)
        diag_error(loc, "%s: chunk sizes must be ints >= 0", path);
      in->shape[d] += cd->items[b]->i;
    }
    if (d == in->axis) {
      in->nb = cd->n;
      in->sizes = ARENA_ARRAY(eval_arena(e), int64_t, cd->n);
      for (int b = 0; b < cd->n; b++)
        in->sizes[b] = cd->items[b]->i;
    }
  }
}

Value *da_from_npy_stack_builtin_fn(Eval *e, Args *a) {
  static const char *kws[] = {"mmap_mode", NULL};
  eval_args_check_kw(e, a, "from_npy_stack", kws);
  eval_args_count(e, a, "from_npy_stack", 1, 2);
  Arena *ar = eval_arena(e);
  if (a->pos[0]->kind != V_STR)
    diag_error(a->pos_loc[0], "from_npy_stack() needs a directory name (a "
               "str), got %s", v_type_name(a->pos[0]));
  const char *dir = da_npy_path(e, a->pos[0]->str.s, a->pos_loc[0]);
  Info in;
  read_info(e, dir, &in, a->pos_loc[0]);
  DArray *x = da_alloc(e, "from-npy-stack", in.dtype, in.ndim, in.shape);
  int64_t *chunks[DA_MAXDIM];
  int nb[DA_MAXDIM];
  for (int d = 0; d < in.ndim; d++) {
    chunks[d] = d == in.axis ? in.sizes : &x->shape[d];
    nb[d] = d == in.axis ? in.nb : 1;
  }
  da_set_chunks(e, x, chunks, nb);
  int64_t zero[DA_MAXDIM] = {0};
  Val *start = da_ituple(e, zero, in.ndim);
  for (int b = 0; b < in.nb; b++) {
    /* each block's header now, as from_npy's: shape and dtype must agree */
    const char *path = arena_printf(ar, "%s/%d.npy", dir, b);
    int c[DA_MAXDIM] = {0};
    c[in.axis] = b;
    int64_t shape[DA_MAXDIM];
    da_block_shape(x, c, shape);
    char err[NPYHEAD_ERR];
    FILE *f = npyhead_open(path, err);
    if (!f)
      diag_error(a->pos_loc[0], "cannot open '%s': %s", path, err);
    NpyHead h;
    bool ok = npyhead_read(f, &h, err);
    fclose(f);
    if (!ok)
      diag_error(a->pos_loc[0], "%s: %s", path, err);
    bool same = h.ndim == in.ndim &&
                (h.dtype == NPYHEAD_F8 ? ty_float
                 : h.dtype == NPYHEAD_I8 ? ty_int : ty_bool) == in.dtype;
    for (int d = 0; same && d < in.ndim; d++)
      same = h.shape[d] == shape[d];
    if (!same)
      diag_error(a->pos_loc[0], "%s: its shape or dtype is not what the "
                 "stack's info says", path);
    Task *t = da_block_task(e, x, da_block_flat(x, c), OP_array_from_npy, 5,
                            a->loc);
    t->args[2] = val_str(ar, path, (int)strlen(path));
    t->args[3] = start;
    t->args[4] = da_ituple(e, shape, in.ndim);
  }
  return da_value(e, x);
}
