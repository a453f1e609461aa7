/* kernel.h - chunk tasks as generated loop nests (docs/arrays.md).
 *
 * kinds.c sends every task whose op is a chunk op (a CHUNK_* family of
 * ir/ops.def; or a fused task ending in one) here: cg_kernel_sig adds what
 * its loop structure depends on to the kind signature, cg_kernel_emit
 * writes the kind function. */
#ifndef TASKC_KERNEL_H
#define TASKC_KERNEL_H

#include "cg.h"

/* Is t (or the root of fused t) a call of a chunk op? */
bool cg_is_chunk_task(const Task *t);
void cg_kernel_sig(Task *t, void (*put)(void *ctx, int64_t w), void *ctx);
/* Body of fn (void (ptr in, ptr k, ptr out)) for chunk task t. */
void cg_kernel_emit(Cg *cg, LLVMValueRef fn, Task *t);

/* ---- shared by kernel*.c ---- */

enum { KERNEL_MAXDIM = 8 };

/* The state of generating one kernel: the kind function of a chunk task. */
typedef struct Kernel {
  Cg *cg;
  Task **tasks; /* the fused chain (or the task alone); the last is the root */
  int n;
  /* the kind function's parameters: inputs, constants (k[] of
   * docs/codegen.md), result */
  LLVMValueRef in, consts, out, fn;
  LLVMBasicBlockRef entry;
  /* per task i and argument a: its first constant leaf (an index into
   * consts) and its first input leaf (into in) */
  int **first_const, **first_input;
  LLVMValueRef *const_cache; /* constants loaded in the entry block */
  int nconsts;
  LLVMValueRef *input_arr; /* per input leaf: TrArray*, loaded in entry */
  int ninputs;
  LLVMValueRef *npy_block; /* per member: its from_npy block (entry),
                              freed when the kernel returns */
  /* kernel_rng.c: the member whose index the loops being emitted walk
   * (-1: none), per member its strip of random samples while the
   * innermost loop reads them (else NULL), at index rng_j, and per member
   * its stream's key (add, mul: 2 values, once in the entry block) */
  int rng_from;
  LLVMValueRef *rng_buf, rng_j, *rng_key;
} Kernel;

typedef void KernelBody(Kernel *k, LLVMValueRef *idx, void *ctx);

/* kernel.c */
LLVMValueRef kernel_i64(Kernel *k, int64_t v);
LLVMValueRef kernel_const_i64(Kernel *k, int m); /* k[m] as i64 (entry block) */
LLVMValueRef kernel_const_f64(Kernel *k, int m); /* k[m] as double */
LLVMValueRef kernel_const_at(Kernel *k, LLVMValueRef m); /* k[m], m at run time */
LLVMValueRef kernel_input(Kernel *k, int j); /* in[j] payload as ptr (entry) */
LLVMValueRef kernel_arr_shape(Kernel *k, LLVMValueRef arr, int d); /* (entry) */
LLVMValueRef kernel_arr_data(Kernel *k, LLVMValueRef arr);
LLVMTypeRef kernel_type(Kernel *k, Type *dtype);     /* double, i64, i1 */
LLVMTypeRef kernel_mem_type(Kernel *k, Type *dtype); /* double, i64, i8 */
LLVMValueRef kernel_load_elem(Kernel *k, Type *dt, LLVMValueRef data,
                              LLVMValueRef i);
void kernel_store_elem(Kernel *k, Type *dt, LLVMValueRef data, LLVMValueRef i,
                       LLVMValueRef v);
LLVMValueRef kernel_conv(Kernel *k, LLVMValueRef v, Type *from, Type *to);
LLVMValueRef kernel_intrinsic(Kernel *k, const char *name, LLVMTypeRef t,
                              LLVMValueRef *args, unsigned n);
Type *kernel_dtype(const Task *t); /* element type of an array task */
int kernel_ndim(const Task *t);
int kernel_index(Kernel *k, Task *t); /* position of t in the chain, or -1 */
/* x ** c with a constant c that NumPy computes without pow (2: square,
 * 1: copy, and for floats 0.5: sqrt, -1: reciprocal); c is then part of the
 * kind, so the loop does the same. a is the argument asked about. */
bool kernel_special_pow(const Task *t, int a);
/* The shape of task i (its args[0] constants). */
LLVMValueRef kernel_shape(Kernel *k, int i, int d);

/* kernel_npy.c: the block of from_npy member ti, read once (entry) */
LLVMValueRef kernel_npy_block(Kernel *k, int ti);
LLVMValueRef kernel_npy_elem(Kernel *k, int ti, LLVMValueRef *idx);
void kernel_npy_free(Kernel *k); /* at the kernel's return */

/* kernel_pairwise.c: NumPy's float summation order (np.sum) */
typedef LLVMValueRef KernelElemFn(Kernel *k, LLVMValueRef *idx, void *ctx);
/* n values of type t on the stack, allocated in the entry block */
LLVMValueRef kernel_alloca(Kernel *k, LLVMTypeRef t, int n);
/* The sum, in np.sum's order, of elem(idx) over the reduced axes r0..nd-1
 * (idx[0..r0-1] are given; the others run in index order). */
LLVMValueRef kernel_pairwise_sum(Kernel *k, int nd, int r0, LLVMValueRef *shape,
                                 LLVMValueRef *idx, KernelElemFn *elem,
                                 void *ctx);
/* np.sum of n values in this order */
LLVMValueRef kernel_pairwise_list(Kernel *k, LLVMValueRef *v, int n);

/* kernel_rng.c: the innermost loop (idx[nd-1] < bound[nd-1]) of a loop nest
 * over member k->rng_from's index, in strips whose random members' samples
 * are drawn first on vector lanes (tr_rng_*_run); false (nothing emitted)
 * when no random member is reached by one affine index path. */
bool kernel_rng_loop(Kernel *k, int nd, LLVMValueRef *bound, LLVMValueRef *idx,
                     KernelBody *body, void *ctx);

/* kernel.c: loops d0 .. nd-1 of a loop nest over bound (idx[0..d0-1] given) */
void kernel_loop_nest(Kernel *k, int nd, LLVMValueRef *bound, LLVMValueRef *idx,
                      int d0, KernelBody *body, void *ctx);
/* kernel_rng.c: does member ti's value depend on a random member? */
bool kernel_rng_draws(Kernel *k, int ti);
/* kernel_moment.c: Dask's moment_chunk partial (n, total, M2) per slot of
 * data in one pass over the fused values of reduce member ti (reduced axes
 * r0 .. nd-1 of ishape; ostride: the partial's strides, cnt: n as double) */
void kernel_moment_once(Kernel *k, int ti, int nd, int r0, LLVMValueRef *ishape,
                        LLVMValueRef *ostride, LLVMValueRef data, LLVMValueRef cnt);

/* kernel_elem.c: the global flat index of random member ti's element idx,
 * and its stream's key (add; *mul), computed once in the entry block */
LLVMValueRef kernel_random_index(Kernel *k, int ti, LLVMValueRef *idx);
LLVMValueRef kernel_random_key(Kernel *k, int ti, LLVMValueRef *mul);

/* kernel_elem.c: element i (index vector idx of task ti's rank) of task ti */
LLVMValueRef kernel_elem(Kernel *k, int ti, LLVMValueRef *idx);
/* operand a of task ti at consumer index idx (rank nd), broadcasting;
 * *type receives its element type */
LLVMValueRef kernel_operand(Kernel *k, int ti, int a, LLVMValueRef *idx, int nd,
                            Type **type);

#endif
