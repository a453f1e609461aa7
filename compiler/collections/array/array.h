/* array.h - dask.array at compile time (docs/arrays.md).
 *
 * An array value is a DArray: Dask's metadata (dtype, shape, chunks) and the
 * grid of its chunk tasks, keyed as Dask keys them: ('normal-3', i, j).
 * Every operation makes new chunk tasks of the array.* ops of ir/ops.def,
 * whose args[0] is the chunk's shape and args[1] its dtype name. Not a
 * public header: the evaluator reaches arrays through their ops table
 * (da_ops, collections.h) and the registry's rows for dask.array and numpy. */
#ifndef TASKC_ARRAY_H
#define TASKC_ARRAY_H

#include "../builder.h"
#include "../collections.h"

enum { DA_MAXDIM = 8 };

typedef struct DArray DArray;
struct DArray {
  Coll coll;                 /* ops: da_ops */
  const char *name;          /* 'normal-3': the first item of block keys */
  Type *dtype;               /* ty_float, ty_int or ty_bool */
  int ndim;
  int64_t shape[DA_MAXDIM];
  int nblocks[DA_MAXDIM];    /* blocks along each axis */
  int64_t *chunks[DA_MAXDIM];/* their sizes */
  int64_t *starts[DA_MAXDIM];/* their offsets (prefix sums of chunks) */
  Task **blocks;             /* the block grid, row-major */
  int nb;
  Task *whole;               /* the concatenated array, once asked for */
  /* A reduction's result remembers its input, so that slicing the result
   * can slice the input instead (docs/arrays.md, slice push-down). */
  DArray *red_src;
  const char *red_fn;
  bool red_axes[DA_MAXDIM];
  bool red_keep;
  int red_split, red_ddof;
  /* Unknown chunk sizes (nan in Dask) are -1 in shape and chunks
   * (array_mask.c); unk_id names the mask an unknown axis comes from, so
   * that element-wise operands agree on it. run_sizes: after
   * compute_chunk_sizes(), the sizes exist at run time. */
  const char *unk_id[DA_MAXDIM];
  bool run_sizes;
};

/* One axis of a basic index: an int (the axis goes away) or a slice. */
typedef struct Sel {
  bool is_int;
  int64_t start, step, count;
} Sel;

/* What arrays keep per compilation (eval_coll_state, COLL_ARRAY). */
typedef struct ArrayState {
  /* array.c: the Vals that chunk tasks share */
  Val *dtype[3];            /* float64, int64, bool */
  Val *shape;               /* the last chunk shape ... */
  int64_t last[DA_MAXDIM + 1]; /* ... its numbers */
  int nd;
  const char *key_name;     /* the last key name ... */
  Val *key_val;             /* ... as a Val */
  /* array_create.c: the stream id of the last random array of the global
   * random functions (da.random.normal, ...) */
  int64_t next_stream;
} ArrayState;

/* array_ops.c: what the evaluator calls */
extern const CollOps da_ops;
CollModuleAttr array_module_attr; /* dask.array, dask.array.random */
CollModuleAttr array_numpy_attr;  /* numpy: its functions of dask arrays */
static inline bool da_is(const Value *v) {
  return v->kind == V_COLL && v->coll->ops == &da_ops;
}
static inline DArray *da_arr(const Value *v) { return (DArray *)v->coll; }
Value *array_method(Eval *e, Value *x, const char *name, Args *a);

/* array.c */
ArrayState *da_state(Eval *e);
/* "prefix-N" with the graph's counter of generated keys: 'normal-3' */
const char *da_name(Eval *e, const char *prefix);
DArray *da_alloc(Eval *e, const char *prefix, Type *dtype, int ndim,
                 const int64_t *shape);
void da_set_chunks(Eval *e, DArray *x, int64_t **chunks, const int *nblocks);
Value *da_value(Eval *e, DArray *x);
DArray *da_of(Eval *e, Value *v, Loc loc); /* error if not an array */
/* The element count, INT64_MAX when it does not fit (never wraps). */
int64_t da_size(const DArray *x);
/* x.size (itemsize 1) or x.nbytes: exact, else a located "array too
 * large" error naming the exact value */
int64_t da_size_attr(Eval *e, const DArray *x, int64_t itemsize,
                     const char *what, Loc loc);
const char *da_dtype_name(Type *dtype);
Type *da_dtype_from(Eval *e, Value *v, Loc loc); /* 'float64', float, ... */
/* block coordinates <-> flat block number */
void da_block_coords(const DArray *x, int flat, int *coords);
int da_block_flat(const DArray *x, const int *coords);
void da_block_shape(const DArray *x, const int *coords, int64_t *shape);
void da_block_offset(const DArray *x, const int *coords, int64_t *off);
/* array_chunks.c: chunks= as Dask reads it (int, -1/None = whole axis,
 * tuple of sizes, 'auto', a byte size, per axis in a tuple or a dict;
 * spec NULL = 'auto'), for an array of `dtype` (auto sizes count bytes).
 * prev: the array being rechunked (None keeps its chunks; 'auto' scales
 * them), or NULL when an array is made. Fills chunks/nblocks. */
void da_normalize_chunks(Eval *e, Value *spec, int ndim, const int64_t *shape,
                         Type *dtype, const DArray *prev, int64_t **chunks,
                         int *nblocks, Loc loc);
/* Vals */
Val *da_ituple(Eval *e, const int64_t *v, int n);
Val *da_shape_val(Eval *e, const int64_t *shape, int n);
/* A chunk task of op for block `flat` of x: args[0..1] are filled in
 * (shape, dtype), the caller fills args[2..nargs-1]. */
Task *da_block_task(Eval *e, DArray *x, int flat, OpId op, int nargs,
                    Loc loc);
/* A task with key (name, coords...) of the given chunk shape. */
Task *da_task(Eval *e, const char *name, const int *coords, int ncoords,
              const int64_t *shape, int ndim, Type *dtype, OpId op,
              int nargs, Loc loc);
int64_t da_int(Eval *e, Value *v, Loc loc, const char *what);
double da_num(Eval *e, Value *v, Loc loc, const char *what);
/* Shape from an int or a tuple of ints. */
int da_shape_arg(Eval *e, Value *v, int64_t *shape, Loc loc);
/* Axis argument: None (all), int or tuple; marks axes[]. */
void da_axes_arg(Eval *e, Value *v, int ndim, bool *axes, Loc loc);
/* The task of the whole array (outputs, task arguments): the block, or
 * the blocks concatenated. */
Task *array_task(Eval *e, Value *x, Loc loc);

/* array_create.c */
/* dask.array.linspace, ..., dask.array.random.*: the name is e->callee */
Value *da_create_builtin_fn(Eval *e, Args *a);

/* array_npy.c: dask.array.from_npy */
Value *da_npy_builtin_fn(Eval *e, Args *a);
/* path relative to the .tg file's directory, made absolute (an error if it
 * does not exist) */
const char *da_npy_path(Eval *e, const char *path, Loc loc);

/* array_npy_stack.c: da.to_npy_stack, da.from_npy_stack */
Value *da_to_npy_stack_builtin_fn(Eval *e, Args *a);
Value *da_from_npy_stack_builtin_fn(Eval *e, Args *a);

/* array_elemwise.c */
DArray *da_elemwise(Eval *e, OpId op, Value **operands, int n, Loc loc);
Value *da_func_builtin_fn(Eval *e, Args *a); /* da.sqrt, da.where, da.sum.. */
/* Dask's unify_chunks: operands (values; arrays among them) whose chunks
 * disagree along an axis other than `skip` (-1: none) are rechunked to the
 * common refinement, in place. */
void da_unify_chunks(Eval *e, Value **v, int n, int skip, Loc loc);
/* x as another dtype (x itself when it has it) */
DArray *da_astype(Eval *e, DArray *x, Type *dtype, Loc loc);
/* operators where one operand is an array */
Value *array_binop(Eval *e, OpCode op, Value *x, Value *y, Loc loc);
Value *array_unop(Eval *e, OpCode op, Value *x, Loc loc);

/* array_reduce.c */
DArray *da_reduce(Eval *e, DArray *x, const char *fn, bool *axes,
                  bool keepdims, int split_every, int ddof, Loc loc);
Value *da_reduce_call(Eval *e, DArray *x, const char *fn, Args *a, int first);
bool da_is_reduction(const char *name);

/* array_slice.c */
/* x[index]: the index expression node (slices, ints, tuples of them) */
Value *array_getitem(Eval *e, Value *x, Node *index);
DArray *da_select(Eval *e, DArray *x, const Sel *sel, Loc loc);
DArray *da_transpose(Eval *e, DArray *x, const int *perm, Loc loc);
DArray *da_rechunk(Eval *e, DArray *x, int64_t **chunks, const int *nblocks,
                   Loc loc);
Task *da_concat_task(Eval *e, DArray *x, Loc loc);

/* array_shape.c: concatenate, stack, expand_dims, squeeze, swapaxes,
 * moveaxis, flip (da_shape_funcs names them for the modules) */
extern const char *const da_shape_funcs[];
Value *da_shape_builtin_fn(Eval *e, Args *a);
DArray *da_concatenate(Eval *e, DArray **xs, int n, int64_t axis, Loc loc);
DArray *da_stack(Eval *e, DArray **xs, int n, int64_t axis, Loc loc);
DArray *da_expand_dims(Eval *e, DArray *x, int at, Loc loc);
DArray *da_flip(Eval *e, DArray *x, const bool *axes, Loc loc);
DArray *da_squeeze(Eval *e, DArray *x, Value *axis, Loc loc);
DArray *da_swapaxes(Eval *e, DArray *x, int64_t a1, int64_t a2, Loc loc);

/* array_routines.c: round, clip, isnan/isinf/isfinite, isclose, allclose,
 * outer, diff, nansum/nanprod/nanmean (da_routine_funcs names them) */
extern const char *const da_routine_funcs[];
Value *da_routine_builtin_fn(Eval *e, Args *a);
Value *da_routine_method(Eval *e, Value *x, const char *name, Args *a);

/* array_cum.c: cumsum, cumprod (Dask's sequential method) */
DArray *da_cumulate(Eval *e, DArray *x, bool prod, Value *axis, Loc loc);
Value *da_cumulate_call(Eval *e, DArray *x, const char *name, Args *a,
                        int first);

/* array_literal.c: da.from_array / da.asarray of literal nested lists */
Value *da_literal_builtin_fn(Eval *e, Args *a);

/* array_reshape.c */
DArray *da_reshape(Eval *e, DArray *x, const int64_t *shape, int n, Loc loc);
Value *da_reshape_call(Eval *e, DArray *x, Args *a, int first, bool ravel);

/* array_tensordot.c: da.tensordot (la/ra: the n contracted axes) */
DArray *da_tensordot(Eval *e, DArray *x, DArray *y, int n, const int *la,
                     const int *ra, Loc loc);
Value *da_tensordot_builtin_fn(Eval *e, Args *a);
/* da.einsum of the common contractions (kind: runtime's EIN_*) */
DArray *da_einsum(Eval *e, DArray **ops, int nops, int kind, int split,
                  Loc loc);
Value *da_einsum_builtin_fn(Eval *e, Args *a);

/* array_topk.c: topk, argtopk (Dask's chunk/combine/aggregate) */
DArray *da_topk(Eval *e, DArray *x, int64_t k, int64_t axis, int split,
                bool arg, Loc loc);
Value *da_topk_call(Eval *e, DArray *x, const char *name, Args *a,
                    int first);
Value *da_topk_builtin_fn(Eval *e, Args *a);

/* array_hist.c: da.bincount, da.histogram */
Value *da_bincount_builtin_fn(Eval *e, Args *a);
Value *da_histogram_builtin_fn(Eval *e, Args *a);

/* array_block.c: da.block */
Value *da_block_builtin_fn(Eval *e, Args *a);

/* array_mask.c: unknown chunk sizes (boolean masks) */
bool da_unknown(const DArray *x);            /* some axis is nan */
const char *da_shape_text(Eval *e, const DArray *x); /* (nan, 4) */
/* Dask's message head + its unknown_chunk_message */
const char *da_unknown_msg(Eval *e, const char *head);
/* The error for `what` on unknown chunks: after compute_chunk_sizes() a
 * taskc limit, else dask_msg (Dask's text), else a taskc limit. */
_Noreturn void da_unknown_fail(Eval *e, const DArray *x, const char *what,
                               const char *dask_msg, Loc loc);
void da_need_known(Eval *e, const DArray *x, const char *what, Loc loc);
_Noreturn void da_unknown_slice(Eval *e, const DArray *x, Loc loc);
DArray *da_mask(Eval *e, DArray *x, DArray *m, Loc loc);
DArray *da_mask_axis(Eval *e, DArray *x, DArray *m, int axis, Loc loc);
Value *da_compress_builtin_fn(Eval *e, Args *a);
DArray *da_mask_literal(Eval *e, DArray *x, Value *v, Loc loc);
void da_check_unknown_operands(Eval *e, Value **v, int n, Loc loc);
DArray *da_reduce_unknown(Eval *e, DArray *x, const char *fn, bool *axes,
                          bool keepdims, int split_every, Loc loc);
Task *da_concat_grid_task(Eval *e, DArray *x, Loc loc);
Value *da_run_sizes(Eval *e, DArray *x, int what, Loc loc);
Value *da_unknown_attr(Eval *e, DArray *x, const char *name, Loc loc);
Value *da_len(Eval *e, DArray *x, Loc loc);

/* array_unique.c: da.unique */
Value *da_unique_builtin_fn(Eval *e, Args *a);

/* array_dot.c */
DArray *da_matmul(Eval *e, DArray *x, DArray *y, Loc loc);
DArray *da_map_blocks(Eval *e, Value *f, DArray *x, Loc loc);

#endif
