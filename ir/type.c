/* type.c - interned types (type.h).
 *
 * Types are interned in one process-wide table, so equal types are the same
 * pointer and == compares them. They are never freed: the set of distinct
 * types a program uses is small, and sharing them across compilations (the
 * unit tests run several) is harmless.
 *
 * Nesting is capped at MAX_DEPTH: a type deeper than that becomes TY_ANY.
 * This keeps every recursive walk over types (names, joins) bounded even for
 * a value like [[[...]]] built a million levels deep by a top-level loop. */
#include "type.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

enum { MAX_DEPTH = 32 };

/* What the table stores: the public Type plus its nesting depth. */
typedef struct Interned {
  Type t;
  int depth;
} Interned;

static Arena *types_arena; /* process-wide; see the comment at the top */
static Interned **table;   /* open addressing, power-of-two capacity */
static size_t table_cap, table_len;

static Interned scalars[] = {
    {{.kind = TY_ANY, .name = "any"}, 0},
    {{.kind = TY_NONE, .name = "None"}, 0},
    {{.kind = TY_BOOL, .name = "bool"}, 0},
    {{.kind = TY_INT, .name = "int"}, 0},
    {{.kind = TY_FLOAT, .name = "float"}, 0},
    {{.kind = TY_STR, .name = "str"}, 0},
};

Type *ty_any = &scalars[0].t, *ty_none = &scalars[1].t,
     *ty_bool = &scalars[2].t, *ty_int = &scalars[3].t,
     *ty_float = &scalars[4].t, *ty_str = &scalars[5].t;

static int depth_of(const Type *t) { return ((const Interned *)t)->depth; }

static uint64_t mix(uint64_t h, uint64_t x) {
  h ^= x + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h;
}

/* Components are interned already, so pointers identify them. */
static uint64_t hash_parts(TypeKind k, Type *elem, Type **elems, int n,
                           Type *key, Type *val) {
  uint64_t h = mix(1469598103934665603ull, (uint64_t)k);
  h = mix(h, (uint64_t)(uintptr_t)elem);
  h = mix(h, (uint64_t)n);
  for (int i = 0; elems && i < n; i++)
    h = mix(h, (uint64_t)(uintptr_t)elems[i]);
  h = mix(h, (uint64_t)(uintptr_t)key);
  return mix(h, (uint64_t)(uintptr_t)val);
}

static bool same_parts(const Type *t, TypeKind k, Type *elem, Type **elems,
                       int n, Type *key, Type *val) {
  if (t->kind != k || t->elem != elem || t->n != n || t->key != key ||
      t->val != val)
    return false;
  for (int i = 0; elems && i < n; i++)
    if (t->elems[i] != elems[i])
      return false;
  return true;
}

static uint64_t hash_type(const Type *t) {
  return hash_parts(t->kind, t->elem, t->elems, t->n, t->key, t->val);
}

static void table_grow(void) {
  size_t ncap = table_cap ? table_cap * 2 : 64;
  Interned **nt = arena_alloc(types_arena, ncap * sizeof *nt);
  for (size_t i = 0; i < table_cap; i++) {
    if (!table[i])
      continue;
    size_t j = hash_type(&table[i]->t) & (ncap - 1);
    while (nt[j])
      j = (j + 1) & (ncap - 1);
    nt[j] = table[i];
  }
  table = nt;
  table_cap = ncap;
}

static const char *build_name(TypeKind k, Type *elem, Type **elems, int n,
                              Type *key, Type *val) {
  if (k == TY_LIST)
    return arena_printf(types_arena, "list[%s]", elem->name);
  if (k == TY_DICT)
    return arena_printf(types_arena, "dict[%s, %s]", key->name, val->name);
  if (k == TY_ARRAY)
    return arena_printf(types_arena, "array[%s, %d]",
                        elem == ty_float ? "float64" : elem == ty_int ? "int64"
                                                                      : "bool",
                        n);
  if (n == 0)
    return "tuple[()]";
  size_t len = 16;
  for (int i = 0; i < n; i++)
    len += strlen(elems[i]->name) + 2;
  char *s = arena_alloc(types_arena, len), *p = s;
  p += sprintf(p, "tuple[");
  for (int i = 0; i < n; i++)
    p += sprintf(p, "%s%s", i ? ", " : "", elems[i]->name);
  strcpy(p, "]");
  return s;
}

static Type *intern(TypeKind k, Type *elem, Type **elems, int n, Type *key,
                    Type *val) {
  if (!types_arena)
    types_arena = arena_new();
  if ((table_len + 1) * 2 > table_cap)
    table_grow();
  size_t i = hash_parts(k, elem, elems, n, key, val) & (table_cap - 1);
  for (; table[i]; i = (i + 1) & (table_cap - 1))
    if (same_parts(&table[i]->t, k, elem, elems, n, key, val))
      return &table[i]->t;
  Interned *it = ARENA_NEW(types_arena, Interned);
  it->t.kind = k;
  it->t.elem = elem;
  it->t.n = n;
  it->t.key = key;
  it->t.val = val;
  if (n && elems) {
    it->t.elems = ARENA_ARRAY(types_arena, Type *, n);
    memcpy(it->t.elems, elems, sizeof(Type *) * (size_t)n);
  }
  int d = 0;
  if (elem && depth_of(elem) > d)
    d = depth_of(elem);
  for (int j = 0; elems && j < n; j++)
    if (depth_of(elems[j]) > d)
      d = depth_of(elems[j]);
  if (key && depth_of(key) > d)
    d = depth_of(key);
  if (val && depth_of(val) > d)
    d = depth_of(val);
  it->depth = d + 1;
  it->t.name = build_name(k, elem, it->t.elems, n, key, val);
  table[i] = it;
  table_len++;
  return &it->t;
}

/* NULL stands for "not known": inside a container it is any. */
static Type *known(Type *t) { return t ? t : ty_any; }

Type *ty_list(Type *elem) {
  elem = known(elem);
  if (depth_of(elem) >= MAX_DEPTH)
    return ty_any;
  return intern(TY_LIST, elem, NULL, 0, NULL, NULL);
}

Type *ty_tuple(Type **elems, int n) {
  Type *small[8];
  Type **e = n <= 8 ? small : malloc(sizeof(Type *) * (size_t)n);
  if (!e)
    return ty_any;
  bool deep = false;
  for (int i = 0; i < n; i++) {
    e[i] = known(elems[i]);
    deep |= depth_of(e[i]) >= MAX_DEPTH;
  }
  Type *t = deep ? ty_any : intern(TY_TUPLE, NULL, e, n, NULL, NULL);
  if (e != small)
    free(e);
  return t;
}

Type *ty_dict(Type *key, Type *val) {
  key = known(key);
  val = known(val);
  if (depth_of(key) >= MAX_DEPTH || depth_of(val) >= MAX_DEPTH)
    return ty_any;
  return intern(TY_DICT, NULL, NULL, 0, key, val);
}

/* Arrays keep ndim in n with no elems: hash_parts and same_parts compare n
 * and stop at elems, which stays NULL. */
Type *ty_array(Type *dtype, int ndim) {
  return intern(TY_ARRAY, dtype, NULL, ndim, NULL, NULL);
}

bool ty_is_numeric(const Type *t) {
  return t && (t->kind == TY_BOOL || t->kind == TY_INT || t->kind == TY_FLOAT);
}

static Type *join_tuples(Type *a, Type *b) {
  Type *small[8];
  Type **e = a->n <= 8 ? small : malloc(sizeof(Type *) * (size_t)a->n);
  if (!e)
    return ty_any;
  for (int i = 0; i < a->n; i++)
    e[i] = ty_join(a->elems[i], b->elems[i]);
  Type *t = ty_tuple(e, a->n);
  if (e != small)
    free(e);
  return t;
}

/* Recursion depth is bounded by MAX_DEPTH (see the top). */
Type *ty_join(Type *a, Type *b) {
  if (!a)
    return b;
  if (!b || a == b)
    return a;
  if (ty_is_numeric(a) && ty_is_numeric(b))
    return a->kind == TY_FLOAT || b->kind == TY_FLOAT ? ty_float : ty_int;
  if (a->kind != b->kind)
    return ty_any;
  switch (a->kind) {
  case TY_LIST:
    return ty_list(ty_join(a->elem, b->elem));
  case TY_DICT:
    return ty_dict(ty_join(a->key, b->key), ty_join(a->val, b->val));
  case TY_TUPLE:
    return a->n == b->n ? join_tuples(a, b) : ty_any;
  default:
    return ty_any;
  }
}

const char *ty_name(const Type *t) { return t ? t->name : "?"; }
