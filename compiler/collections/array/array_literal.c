/* array_literal.c - da.from_array / da.asarray of literal lists and tuples
 * (any depth), the arrays a program writes out in its source.
 *
 * The nested sequence must be rectangular, as NumPy needs it; its dtype is
 * NumPy's: float64 if any number is a float, else int64 if any is an int,
 * else bool. Chunks as Dask's from_array takes them ('auto' by default).
 * Each block is an array.literal task holding its own values in row-major
 * order; the kernel reads element p of the block from the task's constants,
 * so a literal block fuses with what uses it like any creation op. */
#include <string.h>

#include "array.h"

typedef struct Lit {
  int nd;
  int64_t shape[DA_MAXDIM];
  Value **flat; /* the numbers in row-major order */
  int64_t n, cap;
  Type *dtype;
} Lit;

static bool is_seq(const Value *v) {
  return v->kind == V_LIST || v->kind == V_TUPLE;
}

static void walk(Eval *e, Lit *l, Value *v, int depth, Loc loc) {
  if (!is_seq(v)) {
    if (depth != l->nd)
      diag_error(loc, "from_array: the nested lists are not rectangular "
                 "(a number at depth %d of %d)", depth, l->nd);
    if (!v_is_number(v))
      diag_error(loc, "from_array: elements must be numbers or bools, not %s",
                 v_type_name(v));
    Type *t = v->kind == V_FLOAT ? ty_float : v->kind == V_BOOL ? ty_bool : ty_int;
    if (t == ty_float || (t == ty_int && l->dtype == ty_bool))
      l->dtype = t;
    if (l->n == l->cap) {
      int64_t cap = l->cap ? 2 * l->cap : 64;
      l->flat = arena_realloc(eval_arena(e), l->flat,
                              sizeof(Value *) * (size_t)l->cap,
                              sizeof(Value *) * (size_t)cap);
      l->cap = cap;
    }
    l->flat[l->n++] = v;
    return;
  }
  if (depth >= l->nd || v->seq.n != l->shape[depth])
    diag_error(loc, "from_array: the nested lists are not rectangular "
               "(lengths differ at depth %d)", depth);
  eval_step(e, loc, v->seq.n);
  for (int i = 0; i < v->seq.n; i++)
    walk(e, l, v->seq.items[i], depth + 1, loc);
}

static void read_literal(Eval *e, Value *v, Lit *l, Loc loc) {
  *l = (Lit){.dtype = ty_bool};
  for (Value *s = v; is_seq(s); s = s->seq.n ? s->seq.items[0] : NULL) {
    if (l->nd == DA_MAXDIM)
      diag_error(loc, "from_array: more than %d dimensions", DA_MAXDIM);
    l->shape[l->nd++] = s->seq.n;
    if (!s->seq.n)
      break;
  }
  if (l->nd == 0)
    diag_error(loc, "from_array needs a list or tuple (a 0-d array is not "
               "supported)");
  walk(e, l, v, 0, loc);
}

static Val *as_val(Eval *e, const Value *v, Type *dt) {
  Arena *a = eval_arena(e);
  int64_t i = v->kind == V_BOOL ? v->b : v->kind == V_INT ? v->i : 0;
  double f = v->kind == V_FLOAT ? v->f : (double)i;
  if (dt == ty_float)
    return val_float(a, f);
  if (dt == ty_int)
    return val_int(a, v->kind == V_FLOAT ? (int64_t)f : i);
  return val_bool(a, v->kind == V_FLOAT ? f != 0 : i != 0);
}

Value *da_literal_builtin_fn(Eval *e, Args *a) {
  const char *name = strrchr(eval_callee(e), '.') + 1;
  static const char *kws[] = {"chunks", "dtype", NULL};
  eval_args_check_kw(e, a, name, kws);
  eval_args_count(e, a, name, 1, 2);
  if (da_is(a->pos[0]))
    return a->pos[0]; /* an array already: da.asarray(x) is x */
  if (!is_seq(a->pos[0]))
    diag_error(a->pos_loc[0], "%s() takes a (nested) list or tuple of "
               "numbers here, not %s", name, v_type_name(a->pos[0]));
  Lit l;
  read_literal(e, a->pos[0], &l, a->pos_loc[0]);
  int at;
  Value *dv = eval_arg_kw(a, "dtype", &at);
  Type *dt = dv && dv->kind != V_NONE ? da_dtype_from(e, dv, a->kw_loc[at])
                                      : l.dtype;
  DArray *x = da_alloc(e, "array", dt, l.nd, l.shape);
  int64_t *chunks[DA_MAXDIM];
  int nb[DA_MAXDIM];
  Value *cv = a->npos > 1 ? a->pos[1] : eval_arg_kw(a, "chunks", NULL);
  da_normalize_chunks(e, cv, l.nd, l.shape, dt, NULL, chunks, nb, a->loc);
  da_set_chunks(e, x, chunks, nb);
  for (int f = 0; f < x->nb; f++) {
    int c[DA_MAXDIM];
    int64_t off[DA_MAXDIM], bs[DA_MAXDIM], n = 1;
    da_block_coords(x, f, c);
    da_block_offset(x, c, off);
    da_block_shape(x, c, bs);
    for (int d = 0; d < l.nd; d++)
      n *= bs[d];
    Val **items = ARENA_ARRAY(eval_arena(e), Val *, n + 1);
    for (int64_t p = 0; p < n; p++) { /* block position p -> global flat */
      int64_t rem = p, g = 0, stride = 1;
      for (int d = l.nd - 1; d >= 0; d--) {
        g += (off[d] + rem % bs[d]) * stride;
        rem /= bs[d];
        stride *= l.shape[d];
      }
      items[p] = as_val(e, l.flat[g], dt);
    }
    Task *t = da_block_task(e, x, f, OP_array_literal, 3, a->loc);
    t->args[2] = val_seq(eval_arena(e), VAL_LIST, items, (int)n);
  }
  return da_value(e, x);
}
