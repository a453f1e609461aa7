/* sema_str.h - strings in function bodies: str methods, formatting
 * (f-strings, "% args", str.format, format(), repr()), slicing and
 * repetition. sema_str.c types them; codegen/body_str.c lowers them to the
 * runtime's tr_str_* (runtime/str*.c). */
#ifndef TASKC_SEMA_STR_H
#define TASKC_SEMA_STR_H

#include "../ir/pyformat.h"
#include "sema_impl.h"

/* NodeInfo.method of a call handled here: SEMA_M_STR + a StrCall (far
 * above the SEMA_M_* of sema.h, so that both can grow). */
enum { SEMA_M_STR = 1000 };

typedef enum StrCall {
  STR_SPLIT, STR_JOIN, STR_STRIP, STR_LSTRIP, STR_RSTRIP, STR_LOWER, STR_UPPER,
  STR_REPLACE, STR_STARTSWITH, STR_ENDSWITH, STR_FIND, STR_RFIND, STR_INDEX, STR_RINDEX,
  STR_COUNT, STR_ISDIGIT, STR_ISALPHA, STR_ISSPACE, STR_ISALNUM, STR_ISUPPER, STR_ISLOWER,
  STR_FORMAT,  /* "...".format(...): a constant template */
  STR_REPR,    /* repr(x) */
  STR_FORMAT_BUILTIN, /* format(x[, spec]) */
  STR_TO_INT, STR_TO_FLOAT, /* int(s), float(s) */
  STR_CALL_COUNT
} StrCall;

/* A call that is a str method or repr()/format(): its type, or NULL when
 * n is some other call. */
Type *sema_str_call(Checker *c, Node *n);
bool sema_str_container(const Type *t);
/* int(s) or float(s) of a str (n a call of the builtin): its type, noted
 * for codegen; NULL for other arguments. */
Type *sema_str_number(Checker *c, Node *n, bool is_int, Type *arg);
/* str % x and str * int / int * str: str; NULL for other operands. */
Type *sema_str_binop(OpCode op, Type *l, Type *r);
Type *sema_fstring(Checker *c, Node *n);
/* s[a:b:c] (n an N_SUBSCRIPT of an N_SLICE; t the type of s). */
Type *sema_str_slice(Checker *c, Node *n, Type *t);

/* The argument node a str.format field refers to (call n is
 * `template.format(...)`); auto_next counts {} fields. Errors are located
 * at the call. */
Node *sema_str_format_arg(Node *n, const PyfField *f, int *auto_next);

#endif
