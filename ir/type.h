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
  TY_DICT,  /* key, val; a record also has fields (see ty_record) */
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
  int nfields;              /* TY_DICT of a record: its str keys, sorted */
  const char **fnames;      /*   by strcmp, and each key's value type */
  Type **ftypes;
  const char *name;         /* "list[int]", built once */
};

/* The interned scalars. */
extern Type *ty_any, *ty_none, *ty_bool, *ty_int, *ty_float, *ty_str;

Type *ty_list(Type *elem);
Type *ty_tuple(Type **elems, int n);
Type *ty_dict(Type *key, Type *val);
Type *ty_array(Type *dtype, int ndim);

/* A record: a dict with str keys that also knows, per key, the static type
 * of its value ({"name": "Bob", "age": 25}). It is a TY_DICT whose key is
 * str and whose val is the join of the field types (any when they differ),
 * so every dict operation works on it; a read with a literal key gets the
 * key's own type. Names need not be sorted; of a repeated name the last
 * counts (as in a display); more than TY_MAX_FIELDS distinct names give
 * the plain dict[str, V]. Names are C strings: a caller with a key that
 * holds a NUL makes a plain dict instead (ir/val.c). This raw
 * form keeps every key, also when all values share one type, so that
 * joining the records of a list keeps keys only some of them have;
 * ty_settle then makes a record whose fields all have one type the plain
 * dict[str, T] (what bodies and tasks see). */
enum { TY_MAX_FIELDS = 64 };
Type *ty_record(const char **names, Type **types, int n);
Type *ty_settle(Type *t);
bool ty_is_record(const Type *t);
/* The type of record r's field `name`, NULL if r has no such key. */
Type *ty_field(const Type *r, const char *name);

/* The type both a and b fit in: int+float -> float, bool+int -> int (as a
 * list element), list[int] + list[float] -> list[float]; two records make
 * the record of all their keys, a key both have gets the join of its two
 * types (a key only one has keeps its type: reading it from the other is a
 * KeyError at run time, as in Python); otherwise ty_any. */
Type *ty_join(Type *a, Type *b);
bool ty_is_numeric(const Type *t); /* bool, int, float */
const char *ty_name(const Type *t);

#endif
