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
  Type *settled; /* ty_settle's memo */
} Interned;

static Arena *types_arena; /* process-wide; see the comment at the top */
static Interned **table;   /* open addressing, power-of-two capacity */
static size_t table_cap, table_len;

static Interned scalars[] = {
    {{.kind = TY_ANY, .name = "any"}, 0, NULL},
    {{.kind = TY_NONE, .name = "None"}, 0, NULL},
    {{.kind = TY_BOOL, .name = "bool"}, 0, NULL},
    {{.kind = TY_INT, .name = "int"}, 0, NULL},
    {{.kind = TY_FLOAT, .name = "float"}, 0, NULL},
    {{.kind = TY_STR, .name = "str"}, 0, NULL},
};

Type *ty_any = &scalars[0].t, *ty_none = &scalars[1].t,
     *ty_bool = &scalars[2].t, *ty_int = &scalars[3].t,
     *ty_float = &scalars[4].t, *ty_str = &scalars[5].t;

static int depth_of(const Type *t) { return ((const Interned *)t)->depth; }

/* What identifies a type: the parts intern() compares. */
typedef struct Parts {
  TypeKind kind;
  Type *elem;
  Type **elems;
  int n;
  Type *key, *val;
  int nfields;
  const char **fnames;
  Type **ftypes;
} Parts;

static uint64_t mix(uint64_t h, uint64_t x) {
  h ^= x + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h;
}

static uint64_t hash_str(uint64_t h, const char *s) {
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return mix(h, 0);
}

/* Components are interned already, so pointers identify them; field
 * names are compared by content. */
static uint64_t hash_parts(const Parts *p) {
  uint64_t h = mix(1469598103934665603ull, (uint64_t)p->kind);
  h = mix(h, (uint64_t)(uintptr_t)p->elem);
  h = mix(h, (uint64_t)p->n);
  for (int i = 0; p->elems && i < p->n; i++)
    h = mix(h, (uint64_t)(uintptr_t)p->elems[i]);
  h = mix(h, (uint64_t)(uintptr_t)p->key);
  h = mix(h, (uint64_t)(uintptr_t)p->val);
  for (int i = 0; i < p->nfields; i++)
    h = mix(hash_str(h, p->fnames[i]), (uint64_t)(uintptr_t)p->ftypes[i]);
  return h;
}

static bool same_parts(const Type *t, const Parts *p) {
  if (t->kind != p->kind || t->elem != p->elem || t->n != p->n ||
      t->key != p->key || t->val != p->val || t->nfields != p->nfields)
    return false;
  for (int i = 0; p->elems && i < p->n; i++)
    if (t->elems[i] != p->elems[i])
      return false;
  for (int i = 0; i < p->nfields; i++)
    if (t->ftypes[i] != p->ftypes[i] || strcmp(t->fnames[i], p->fnames[i]))
      return false;
  return true;
}

static Parts parts_of(const Type *t) {
  return (Parts){t->kind, t->elem, t->elems, t->n, t->key, t->val,
                 t->nfields, t->fnames, t->ftypes};
}

static void table_grow(void) {
  size_t ncap = table_cap ? table_cap * 2 : 64;
  Interned **nt = arena_alloc(types_arena, ncap * sizeof *nt);
  for (size_t i = 0; i < table_cap; i++) {
    if (!table[i])
      continue;
    Parts p = parts_of(&table[i]->t);
    size_t j = hash_parts(&p) & (ncap - 1);
    while (nt[j])
      j = (j + 1) & (ncap - 1);
    nt[j] = table[i];
  }
  table = nt;
  table_cap = ncap;
}

/* A key as the name shows it: 'k', with quotes, backslashes and
 * unprintable bytes escaped as Python's repr would. */
static const char *key_repr(const char *k) {
  size_t n = strlen(k);
  char *s = arena_alloc(types_arena, 4 * n + 3), *p = s;
  *p++ = '\'';
  for (; *k; k++) {
    unsigned char c = (unsigned char)*k;
    if (c == '\'' || c == '\\')
      p += sprintf(p, "\\%c", c);
    else if (c < 32 || c == 127)
      p += sprintf(p, "\\x%02x", c);
    else
      *p++ = (char)c;
  }
  strcpy(p, "'");
  return s;
}

/* dict{'age': int, 'name': str} */
static const char *record_name(const Parts *p) {
  const char *s = "dict{";
  for (int i = 0; i < p->nfields; i++)
    s = arena_printf(types_arena, "%s%s%s: %s", s, i ? ", " : "",
                     key_repr(p->fnames[i]), p->ftypes[i]->name);
  return arena_printf(types_arena, "%s}", s);
}

static const char *build_name(const Parts *p) {
  TypeKind k = p->kind;
  if (k == TY_LIST)
    return arena_printf(types_arena, "list[%s]", p->elem->name);
  if (k == TY_DICT && p->nfields)
    return record_name(p);
  if (k == TY_DICT)
    return arena_printf(types_arena, "dict[%s, %s]", p->key->name,
                        p->val->name);
  if (k == TY_ARRAY)
    return arena_printf(types_arena, "array[%s, %d]",
                        p->elem == ty_float ? "float64"
                        : p->elem == ty_int ? "int64"
                                            : "bool",
                        p->n);
  int n = p->n;
  if (n == 0)
    return "tuple[()]";
  size_t len = 16;
  for (int i = 0; i < n; i++)
    len += strlen(p->elems[i]->name) + 2;
  char *s = arena_alloc(types_arena, len), *q = s;
  q += sprintf(q, "tuple[");
  for (int i = 0; i < n; i++)
    q += sprintf(q, "%s%s", i ? ", " : "", p->elems[i]->name);
  strcpy(q, "]");
  return s;
}

static int parts_depth(const Parts *p) {
  int d = 0;
  if (p->elem && depth_of(p->elem) > d)
    d = depth_of(p->elem);
  for (int j = 0; p->elems && j < p->n; j++)
    if (depth_of(p->elems[j]) > d)
      d = depth_of(p->elems[j]);
  if (p->key && depth_of(p->key) > d)
    d = depth_of(p->key);
  if (p->val && depth_of(p->val) > d)
    d = depth_of(p->val);
  for (int j = 0; j < p->nfields; j++)
    if (depth_of(p->ftypes[j]) > d)
      d = depth_of(p->ftypes[j]);
  return d + 1;
}

static Type *intern(const Parts *p) {
  if (!types_arena)
    types_arena = arena_new();
  if ((table_len + 1) * 2 > table_cap)
    table_grow();
  size_t i = hash_parts(p) & (table_cap - 1);
  for (; table[i]; i = (i + 1) & (table_cap - 1))
    if (same_parts(&table[i]->t, p))
      return &table[i]->t;
  Interned *it = ARENA_NEW(types_arena, Interned);
  it->t = (Type){.kind = p->kind, .elem = p->elem, .n = p->n, .key = p->key,
                 .val = p->val, .nfields = p->nfields};
  if (p->n && p->elems) {
    it->t.elems = ARENA_ARRAY(types_arena, Type *, p->n);
    memcpy(it->t.elems, p->elems, sizeof(Type *) * (size_t)p->n);
  }
  if (p->nfields) {
    it->t.fnames = ARENA_ARRAY(types_arena, const char *, p->nfields);
    it->t.ftypes = ARENA_ARRAY(types_arena, Type *, p->nfields);
    for (int j = 0; j < p->nfields; j++)
      it->t.fnames[j] = arena_strdup(types_arena, p->fnames[j]);
    memcpy(it->t.ftypes, p->ftypes, sizeof(Type *) * (size_t)p->nfields);
  }
  it->depth = parts_depth(p);
  Parts q = parts_of(&it->t);
  it->t.name = build_name(&q);
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
  return intern(&(Parts){.kind = TY_LIST, .elem = elem});
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
  Type *t = deep ? ty_any
                 : intern(&(Parts){.kind = TY_TUPLE, .elems = e, .n = n});
  if (e != small)
    free(e);
  return t;
}

Type *ty_dict(Type *key, Type *val) {
  key = known(key);
  val = known(val);
  if (depth_of(key) >= MAX_DEPTH || depth_of(val) >= MAX_DEPTH)
    return ty_any;
  return intern(&(Parts){.kind = TY_DICT, .key = key, .val = val});
}

/* Arrays keep ndim in n with no elems: hash_parts and same_parts compare n
 * and stop at elems, which stays NULL. */
Type *ty_array(Type *dtype, int ndim) {
  return intern(&(Parts){.kind = TY_ARRAY, .elem = dtype, .n = ndim});
}

/* ---- records ---- */

/* A record from fields sorted by name (without duplicates). */
static Type *record_sorted(const char **names, Type **types, int n) {
  Type *val = NULL;
  for (int i = 0; i < n; i++) {
    if (depth_of(types[i]) >= MAX_DEPTH)
      return ty_any;
    val = i ? ty_join(val, types[i]) : types[i];
  }
  if (!n)
    return ty_dict(ty_any, ty_any);
  return intern(&(Parts){.kind = TY_DICT, .key = ty_str, .val = val,
                         .nfields = n, .fnames = names, .ftypes = types});
}

typedef struct Field {
  const char *name;
  Type *type;
  int at; /* its place among the given fields: a later one wins */
} Field;

static int field_order(const void *a, const void *b) {
  const Field *x = a, *y = b;
  int c = strcmp(x->name, y->name);
  return c ? c : (x->at > y->at) - (x->at < y->at);
}

/* Sorted by name, the last of equal names kept: into names/types. */
static int dedup_fields(Field *f, int n, const char **names, Type **types) {
  qsort(f, (size_t)n, sizeof *f, field_order);
  int m = 0;
  for (int i = 0; i < n; i++) {
    if (m && !strcmp(names[m - 1], f[i].name)) {
      types[m - 1] = f[i].type;
      continue;
    }
    names[m] = f[i].name;
    types[m++] = f[i].type;
  }
  return m;
}

Type *ty_record(const char **names, Type **types, int n) {
  Field *f = malloc(sizeof *f * (size_t)(n ? n : 1));
  const char **nm = malloc(sizeof *nm * (size_t)(n ? n : 1));
  Type **ty = malloc(sizeof *ty * (size_t)(n ? n : 1));
  Type *r = ty_any;
  if (f && nm && ty) {
    for (int i = 0; i < n; i++)
      f[i] = (Field){names[i], known(types[i]), i};
    int m = dedup_fields(f, n, nm, ty);
    if (m <= TY_MAX_FIELDS) {
      r = record_sorted(nm, ty, m);
    } else { /* too many keys to track: the plain dict */
      Type *val = NULL;
      for (int i = 0; i < m; i++)
        val = ty_join(val, ty[i]);
      r = ty_dict(ty_str, val);
    }
  }
  free(f);
  free(nm);
  free(ty);
  return r;
}

bool ty_is_record(const Type *t) {
  return t && t->kind == TY_DICT && t->nfields > 0;
}

Type *ty_field(const Type *r, const char *name) {
  int lo = 0, hi = r->nfields - 1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2, c = strcmp(r->fnames[mid], name);
    if (!c)
      return r->ftypes[mid];
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid - 1;
  }
  return NULL;
}

/* The record of all keys of a and b (both sorted): a merge. */
static Type *join_records(Type *a, Type *b) {
  const char *nm[2 * TY_MAX_FIELDS];
  Type *ty[2 * TY_MAX_FIELDS];
  int i = 0, j = 0, m = 0;
  while (i < a->nfields || j < b->nfields) {
    int c = i == a->nfields   ? 1
            : j == b->nfields ? -1
                              : strcmp(a->fnames[i], b->fnames[j]);
    nm[m] = c <= 0 ? a->fnames[i] : b->fnames[j];
    ty[m++] = c < 0   ? a->ftypes[i++]
              : c > 0 ? b->ftypes[j++]
                      : ty_join(a->ftypes[i++], b->ftypes[j++]);
  }
  if (m > TY_MAX_FIELDS)
    return ty_dict(ty_str, ty_join(a->val, b->val));
  return record_sorted(nm, ty, m);
}

/* A record and a plain dict[str, T]: any of its keys may hold a T. */
static Type *join_record_dict(Type *r, Type *d) {
  if (d->key != ty_str && d->key != ty_any)
    return ty_dict(ty_join(r->key, d->key), ty_join(r->val, d->val));
  if (d->val == ty_any && d->key == ty_any)
    return r; /* {}: no keys at all */
  Type *ty[TY_MAX_FIELDS];
  for (int i = 0; i < r->nfields; i++)
    ty[i] = ty_join(r->ftypes[i], d->val);
  return record_sorted((const char **)r->fnames, ty, r->nfields);
}

static Type *settle_tuple(Type *t) {
  Type *small[8];
  Type **e = t->n <= 8 ? small : malloc(sizeof(Type *) * (size_t)t->n);
  if (!e)
    return ty_any;
  for (int i = 0; i < t->n; i++)
    e[i] = ty_settle(t->elems[i]);
  Type *r = ty_tuple(e, t->n);
  if (e != small)
    free(e);
  return r;
}

static Type *settle_record(Type *t) {
  Type *ty[TY_MAX_FIELDS];
  bool same = true;
  for (int i = 0; i < t->nfields; i++) {
    ty[i] = ty_settle(t->ftypes[i]);
    same &= i == 0 || ty[i] == ty[0];
  }
  if (same)
    return ty_dict(ty_str, ty[0]);
  return record_sorted((const char **)t->fnames, ty, t->nfields);
}

/* Recursion depth is bounded by MAX_DEPTH (see the top). */
Type *ty_settle(Type *t) {
  if (!t || t->kind <= TY_STR || t->kind == TY_ARRAY)
    return t;
  Interned *it = (Interned *)t;
  if (it->settled)
    return it->settled;
  Type *s = t;
  if (t->kind == TY_LIST)
    s = ty_list(ty_settle(t->elem));
  else if (t->kind == TY_TUPLE)
    s = settle_tuple(t);
  else if (ty_is_record(t))
    s = settle_record(t);
  else if (t->kind == TY_DICT)
    s = ty_dict(ty_settle(t->key), ty_settle(t->val));
  it->settled = s;
  return s;
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
    if (ty_is_record(a) && ty_is_record(b))
      return join_records(a, b);
    if (ty_is_record(a) || ty_is_record(b))
      return ty_is_record(a) ? join_record_dict(a, b) : join_record_dict(b, a);
    return ty_dict(ty_join(a->key, b->key), ty_join(a->val, b->val));
  case TY_TUPLE:
    return a->n == b->n ? join_tuples(a, b) : ty_any;
  default:
    return ty_any;
  }
}

const char *ty_name(const Type *t) { return t ? t->name : "?"; }
