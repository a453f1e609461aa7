/* kernel_npy.c - da.from_npy blocks inside array kernels.
 *
 * A from_npy member (args: shape, dtype, path, start, full shape) is read
 * once per kernel call, in the entry block, with the runtime's
 * tr_npy_read_chunk (which fails the task if the file vanished or changed
 * since compiling); its elements are then loads at the local index, so a
 * fused consumer (element-wise chain, reduction, getitem) never stores a
 * copy. The block is freed when the kernel returns, unless it is the
 * kernel's result. */
#include <stddef.h>

#include "../../runtime/taskrt.h"
#include "kernel.h"

/* An i64[n] on the stack (entry block) holding constants k[m .. m+n). */
static LLVMValueRef const_array(Kernel *k, int m, int n) {
  Cg *cg = k->cg;
  LLVMValueRef a = LLVMBuildAlloca(cg->b, LLVMArrayType2(cg->t_i64, (uint64_t)n), "");
  for (int d = 0; d < n; d++) {
    LLVMValueRef i = kernel_i64(k, d);
    LLVMBuildStore(cg->b, kernel_const_i64(k, m + d),
                   LLVMBuildInBoundsGEP2(cg->b, cg->t_i64, a, &i, 1, ""));
  }
  return a;
}

LLVMValueRef kernel_npy_block(Kernel *k, int ti) {
  if (k->npy_block[ti])
    return k->npy_block[ti];
  Cg *cg = k->cg;
  Task *t = k->tasks[ti];
  int nd = kernel_ndim(t);
  Type *dt = kernel_dtype(t);
  LLVMBasicBlockRef here = LLVMGetInsertBlock(cg->b);
  LLVMPositionBuilderAtEnd(cg->b, k->entry);
  /* the path constant is an immortal TrStr: its bytes follow the header */
  LLVMValueRef str = LLVMBuildIntToPtr(
      cg->b, kernel_const_i64(k, k->first_const[ti][2]), cg->t_ptr, "");
  LLVMPositionBuilderAtEnd(cg->b, k->entry);
  LLVMValueRef off = kernel_i64(k, (int64_t)offsetof(TrStr, data));
  LLVMValueRef path = LLVMBuildInBoundsGEP2(cg->b, cg->t_i8, str, &off, 1, "");
  LLVMValueRef full = const_array(k, k->first_const[ti][4], nd);
  LLVMPositionBuilderAtEnd(cg->b, k->entry);
  LLVMValueRef start = const_array(k, k->first_const[ti][3], nd);
  LLVMPositionBuilderAtEnd(cg->b, k->entry);
  LLVMValueRef shape = const_array(k, k->first_const[ti][0], nd);
  LLVMPositionBuilderAtEnd(cg->b, k->entry);
  LLVMTypeRef pt[] = {cg->t_ptr, cg->t_i64, cg->t_i64, cg->t_ptr, cg->t_ptr, cg->t_ptr};
  LLVMValueRef av[] = {path,
                       kernel_i64(k, dt == ty_float ? TR_F64
                                     : dt == ty_int ? TR_I64
                                                    : TR_B8),
                       kernel_i64(k, nd),
                       full,
                       start,
                       shape};
  k->npy_block[ti] = cg_call(cg, "tr_npy_read_chunk",
                             LLVMFunctionType(cg->t_ptr, pt, 6, 0), av, 6);
  LLVMPositionBuilderAtEnd(cg->b, here);
  return k->npy_block[ti];
}

LLVMValueRef kernel_npy_elem(Kernel *k, int ti, LLVMValueRef *idx) {
  LLVMValueRef arr = kernel_npy_block(k, ti);
  LLVMBasicBlockRef here = LLVMGetInsertBlock(k->cg->b);
  LLVMPositionBuilderAtEnd(k->cg->b, k->entry);
  LLVMValueRef data = kernel_arr_data(k, arr);
  LLVMPositionBuilderAtEnd(k->cg->b, here);
  LLVMValueRef f = kernel_i64(k, 0);
  for (int d = 0; d < kernel_ndim(k->tasks[ti]); d++)
    f = LLVMBuildNSWAdd(
        k->cg->b, LLVMBuildNSWMul(k->cg->b, f, kernel_shape(k, ti, d), ""),
        idx[d], "");
  return kernel_load_elem(k, kernel_dtype(k->tasks[ti]), data, f);
}

void kernel_npy_free(Kernel *k) {
  Cg *cg = k->cg;
  for (int i = 0; i < k->n; i++) {
    if (!k->npy_block[i])
      continue;
    LLVMBasicBlockRef here = LLVMGetInsertBlock(cg->b);
    LLVMPositionBuilderAtEnd(cg->b, k->entry);
    LLVMValueRef slot = LLVMBuildAlloca(cg->b, cg->t_value, "npy");
    LLVMPositionBuilderAtEnd(cg->b, here);
    LLVMValueRef v = LLVMGetUndef(cg->t_value);
    v = LLVMBuildInsertValue(cg->b, v, kernel_i64(k, TR_ARRAY), 0, "");
    v = LLVMBuildInsertValue(
        cg->b, v, LLVMBuildPtrToInt(cg->b, k->npy_block[i], cg->t_i64, ""), 1,
        "");
    LLVMBuildStore(cg->b, v, slot);
    cg_call(cg, "tr_decref", LLVMFunctionType(LLVMVoidTypeInContext(cg->ctx), &cg->t_ptr, 1, 0),
            &slot, 1);
  }
}
