/* type.h - static types of run-time values.
 *
 * Types are interned: two equal types are the same pointer, so == compares
 * them. TY_ANY is a value whose type is only known at run time (a
 * heterogeneous list element, say); task boundaries carry dynamically tagged
 * values, function bodies use the precise types. */
#ifndef TASKC_TYPE_H
#define TASKC_TYPE_H

#include <stdbool.h>
#include <stdio.h>

typedef enum {
  TY_ANY,
  TY_NONE,
  TY_BOOL,
  TY_INT,   /* int64, overflow is a run-time error */
  TY_FLOAT, /* IEEE double */
  TY_STR,
  TY_LIST,  /* elem */
  TY_TUPLE, /* n, elems */
  TY_DICT,  /* key, val */
  TY_ARRAY, /* a NumPy-like array (a chunk at run time): elem is the dtype
               (ty_float = float64, ty_int = int64, ty_bool = bool), n the
               number of dimensions */
  TY_KIND_COUNT
} TypeKind;

typedef struct Type Type;
struct Type {
  TypeKind kind;
  Type *elem;               /* TY_LIST */
  int n;                    /* TY_TUPLE */
  Type **elems;             /* TY_TUPLE */
  Type *key, *val;          /* TY_DICT */
  const char *name;         /* "list[int]", built once */
};

/* The interned scalars. */
extern Type *ty_any, *ty_none, *ty_bool, *ty_int, *ty_float, *ty_str;

Type *ty_list(Type *elem);
Type *ty_tuple(Type **elems, int n);
Type *ty_dict(Type *key, Type *val);
Type *ty_array(Type *dtype, int ndim);

/* The type both a and b fit in: int+float -> float, bool+int -> int (as a
 * list element), list[int] + list[float] -> list[float]; otherwise ty_any. */
Type *ty_join(Type *a, Type *b);
bool ty_is_numeric(const Type *t); /* bool, int, float */
const char *ty_name(const Type *t);

#endif
