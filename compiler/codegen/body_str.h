/* body_str.h - strings in function bodies (body_str.c): str methods,
 * f-strings, "% args", str.format, repr(), format(), slices, repetition,
 * lowered to calls of the runtime's tr_str_* (runtime/str*.c). Every value
 * they make is a new reference (body_is_fresh). */
#ifndef TASKC_BODY_STR_H
#define TASKC_BODY_STR_H

#include "body.h"

/* A call sema marked SEMA_M_STR + StrCall. */
LLVMValueRef body_str_call(FnBody *f, Node *n, int which);
LLVMValueRef body_fstring(FnBody *f, Node *n);
/* str % x, str * int, int * str (the operands stay the caller's). */
LLVMValueRef body_str_binop(FnBody *f, OpCode op, LLVMValueRef l, Type *lt, LLVMValueRef r,
                            Type *rt);
/* s.split(...)[index] / len(s.split(...)) (index NULL) as one call that
 * builds no list; fusable when n is such a split and index is plain. */
bool body_str_split_fusable(FnBody *f, Node *n, Node *index);
LLVMValueRef body_str_split_use(FnBody *f, Node *n, Node *index);
/* rt(before..., s, sep, maxsplit, after...) for the split call n, its
 * receiver and separator evaluated here and released after. */
LLVMValueRef body_str_split_with(FnBody *f, Node *n, const char *rt, LLVMTypeRef ret,
                                 LLVMValueRef *before, int nb, LLVMValueRef *after, int na);
/* s[a:b:c] */
LLVMValueRef body_str_slice(FnBody *f, Node *n);

#endif
