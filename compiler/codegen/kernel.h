/* kernel.h - array chunk tasks as generated loop nests (docs/arrays.md).
 *
 * kinds.c sends every task whose op is an array.* op (or a fused task
 * ending in one) here: cg_kernel_sig adds what its loop structure depends
 * on to the kind signature, cg_kernel_emit writes the kind function. */
#ifndef TASKC_KERNEL_H
#define TASKC_KERNEL_H

#include "cg.h"

bool cg_is_chunk_task(const Task *t);
void cg_kernel_sig(Task *t, void (*put)(void *ctx, int64_t w), void *ctx);
/* Body of fn (void (ptr in, ptr k, ptr out)) for array task t. */
void cg_kernel_emit(Cg *cg, LLVMValueRef fn, Task *t);

/* ---- shared by kernel*.c ---- */

enum { K_MAXDIM = 8 };

typedef struct K {
  Cg *cg;
  Task **tasks;  /* the fused chain (or the task alone); the last is the root */
  int n;
  int **kb, **jb; /* first constant / input leaf of each task's args */
  LLVMValueRef in, k, out, fn;
  LLVMBasicBlockRef entry;
  LLVMValueRef *kcache; /* constants loaded in the entry block, by index */
  int nk;
  LLVMValueRef *arr;    /* per input leaf: TrArray*, loaded in entry */
  int nin;
  LLVMValueRef *npy;    /* per member: its from_npy block (entry), freed
                           when the kernel returns */
} K;

/* kernel.c */
LLVMValueRef k_i64(K *k, int64_t v);
LLVMValueRef k_const_i64(K *k, int m);   /* k[m] as i64 (entry block) */
LLVMValueRef k_const_f64(K *k, int m);   /* k[m] as double */
LLVMValueRef k_input(K *k, int j);       /* in[j] payload as ptr (entry) */
LLVMValueRef k_arr_shape(K *k, LLVMValueRef arr, int d); /* (entry) */
LLVMValueRef k_arr_data(K *k, LLVMValueRef arr);
LLVMTypeRef k_type(K *k, Type *dtype);      /* double, i64, i1 */
LLVMTypeRef k_mem_type(K *k, Type *dtype);  /* double, i64, i8 */
LLVMValueRef k_load_elem(K *k, Type *dt, LLVMValueRef data, LLVMValueRef i);
void k_store_elem(K *k, Type *dt, LLVMValueRef data, LLVMValueRef i,
                  LLVMValueRef v);
LLVMValueRef k_conv(K *k, LLVMValueRef v, Type *from, Type *to);
LLVMValueRef k_intrinsic(K *k, const char *name, LLVMTypeRef t,
                         LLVMValueRef *args, unsigned n);
Type *k_dtype(const Task *t); /* element type of an array task */
int k_ndim(const Task *t);
int k_index(K *k, Task *t); /* position of t in the chain, or -1 */
/* x ** c with a constant c that NumPy computes without pow (2: square,
 * 1: copy, and for floats 0.5: sqrt, -1: reciprocal); c is then part of the
 * kind, so the loop does the same. a is the argument asked about. */
bool k_special_pow(const Task *t, int a);
/* The shape of task i (its args[0] constants). */
LLVMValueRef k_shape(K *k, int i, int d);

/* kernel_npy.c: the block of from_npy member ti, read once (entry) */
LLVMValueRef k_npy_block(K *k, int ti);
LLVMValueRef k_npy_elem(K *k, int ti, LLVMValueRef *idx);
void k_npy_free(K *k); /* at the kernel's return */

/* kernel_pairwise.c: NumPy's float summation order (np.sum) */
typedef LLVMValueRef KElemFn(K *k, LLVMValueRef *idx, void *ctx);
LLVMValueRef k_alloca(K *k, LLVMTypeRef t, int n); /* in the entry block */
/* The sum, in np.sum's order, of elem(idx) over the reduced axes r0..nd-1
 * (idx[0..r0-1] are given; the others run in index order). */
LLVMValueRef k_pairwise_sum(K *k, int nd, int r0, LLVMValueRef *shape,
                            LLVMValueRef *idx, KElemFn *elem, void *ctx);
/* np.sum of n values in this order */
LLVMValueRef k_pairwise_list(K *k, LLVMValueRef *v, int n);

/* kernel_elem.c: element i (index vector idx of task ti's rank) of task ti */
LLVMValueRef k_elem(K *k, int ti, LLVMValueRef *idx);
/* operand a of task ti at consumer index idx (rank nd), broadcasting;
 * *type receives its element type */
LLVMValueRef k_operand(K *k, int ti, int a, LLVMValueRef *idx, int nd,
                       Type **type);

#endif
