/* typedesc.h - a static type as a short string, carried by an op as a
 * constant argument when the compiler decides the op's result type from
 * data (bag.read_json's records) and the run time must check values
 * against it (runtime/json_fit.c reads the same grammar):
 *
 *   a any   n None   b bool   i int   f float   s str
 *   l T                     list[T]
 *   d T                     dict[str, T]
 *   r N ; (LEN : NAME T)*N  a record (ty_record), fields sorted by strcmp
 *
 * Tuples and arrays, which JSON never makes, are written as `a`. */
#ifndef TASKC_TYPEDESC_H
#define TASKC_TYPEDESC_H

#include "arena.h"
#include "type.h"

char *ty_desc(Arena *a, const Type *t);
/* NULL if s is not a whole, well-formed description */
Type *ty_from_desc(const char *s);

#endif
