/* value.c - compile-time values: constructors, containers, and Python's
 * equality, hashing and repr (see value.h). */
#include "value.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collections/collections.h"

/* Nesting deeper than this is a self-containing list (a.append(a)); stop
 * there instead of recursing forever. */
enum { MAX_DEPTH = 200 };

Value v_none_value = {.kind = V_NONE, .refs = -1};
Value v_true_value = {.kind = V_BOOL, .refs = -1, .b = true};
Value v_false_value = {.kind = V_BOOL, .refs = -1, .b = false};

Value *v_none(void) { return &v_none_value; }
Value *v_bool(bool b) { return b ? &v_true_value : &v_false_value; }

Value *v_new(Arena *a, VKind kind) {
  Value *v = arena_alloc_reuse(a, sizeof(Value));
  v->kind = kind;
  return v;
}

/* ---- reference counts ---- */

void v_ref(Value *v) {
  if (v && v->refs >= 0 && v->refs < INT_MAX)
    v->refs++;
}

void v_unref(Value *v) {
  if (v && v->refs > 0 && v->refs < INT_MAX)
    v->refs--;
}

static bool is_seq(const Value *v) {
  return v->kind == V_LIST || v->kind == V_TUPLE;
}

/* A stack of values for the walks below: lists may nest deeply, and the
 * C stack must not grow with them. */
typedef struct VStack {
  Value **items;
  size_t n, cap;
  Value *small[32];
} VStack;

static void vs_push(VStack *s, Value *v) {
  if (s->n == s->cap) {
    size_t cap = s->cap * 2;
    Value **p = s->items == s->small ? malloc(sizeof *p * cap)
                                     : realloc(s->items, sizeof *p * cap);
    if (!p) {
      fprintf(stderr, "taskc: error: out of memory\n");
      exit(1);
    }
    if (s->items == s->small)
      memcpy(p, s->small, sizeof s->small);
    s->items = p;
    s->cap = cap;
  }
  s->items[s->n++] = v;
}

static void vs_init(VStack *s) {
  s->items = s->small;
  s->n = 0;
  s->cap = sizeof s->small / sizeof *s->small;
}

static void vs_done(VStack *s) {
  if (s->items != s->small)
    free(s->items);
}

/* Pinned containers hold only pinned values (v_list_push keeps it so), so
 * the walk stops at anything already pinned. */
void v_pin(Value *v) {
  if (!v || v->refs < 0)
    return;
  v->refs = -1;
  if (!is_seq(v))
    return;
  VStack st;
  vs_init(&st);
  vs_push(&st, v);
  while (st.n) {
    Value *x = st.items[--st.n];
    for (int i = 0; i < x->seq.n; i++) {
      Value *it = x->seq.items[i];
      if (it->refs >= 0) {
        it->refs = -1;
        if (is_seq(it))
          vs_push(&st, it);
      }
    }
  }
  vs_done(&st);
}

/* Only values whose every holder is counted come back: numbers, ranges,
 * lists and tuples, and the wrappers of tasks (the Task itself stays). */
static bool reusable(const Value *v) {
  switch (v->kind) {
  case V_INT: case V_FLOAT: case V_RANGE: case V_LIST: case V_TUPLE:
  case V_DELAYED: case V_COMPUTED:
    return true;
  default:
    return false;
  }
}

void v_release(Arena *a, Value *v) {
  if (!v || v->refs <= 0 || v->refs == INT_MAX || --v->refs || !reusable(v))
    return;
  if (!is_seq(v)) { /* the common case: a number */
    arena_recycle(a, v, sizeof(Value));
    return;
  }
  VStack st;
  vs_init(&st);
  vs_push(&st, v);
  while (st.n) {
    Value *x = st.items[--st.n];
    if (!reusable(x))
      continue;
    if (is_seq(x)) {
      for (int i = 0; i < x->seq.n; i++) {
        Value *it = x->seq.items[i];
        if (it->refs > 0 && it->refs < INT_MAX && !--it->refs)
          vs_push(&st, it);
      }
      arena_recycle(a, x->seq.items, sizeof(Value *) * (size_t)x->seq.cap);
    }
    arena_recycle(a, x, sizeof(Value));
  }
  vs_done(&st);
}

/* A container slot now holds `item`: counted, or pinned in a pinned one. */
static void hold(Value *container, Value *item) {
  if (container->refs < 0)
    v_pin(item);
  else
    v_ref(item);
}

Value *v_int(Arena *a, int64_t i) {
  Value *v = v_new(a, V_INT);
  v->i = i;
  return v;
}

Value *v_float(Arena *a, double f) {
  Value *v = v_new(a, V_FLOAT);
  v->f = f;
  return v;
}

Value *v_str(Arena *a, const char *s, int len) {
  Value *v = v_new(a, V_STR);
  v->str.s = arena_strndup(a, s, (size_t)len);
  v->str.len = len;
  return v;
}

Value *v_cstr(Arena *a, const char *s) { return v_str(a, s, (int)strlen(s)); }

Value *v_seq(Arena *a, VKind kind, Value **items, int n) {
  Value *v = v_new(a, kind);
  int cap = n < 4 ? 4 : n;
  v->seq.items = arena_alloc_reuse(a, sizeof(Value *) * (size_t)cap);
  if (n)
    memcpy(v->seq.items, items, sizeof *items * (size_t)n);
  for (int i = 0; i < n; i++)
    v_ref(items[i]);
  v->seq.n = n;
  v->seq.cap = cap;
  return v;
}

Value *v_dict(Arena *a) {
  Value *v = v_new(a, V_DICT);
  v->dict = ARENA_NEW(a, VDict);
  return v;
}

Value *v_task(Arena *a, VKind kind, Task *t) {
  Value *v = v_new(a, kind);
  v->task = t;
  return v;
}

Value *v_builtin(Arena *a, const char *name, BuiltinFn *fn) {
  Value *v = v_new(a, V_BUILTIN);
  v->bi.name = name;
  v->bi.fn = fn;
  return v;
}

Value *v_module(Arena *a, const char *name) {
  Value *v = v_new(a, V_MODULE);
  v->module = name;
  return v;
}

Value *v_method(Arena *a, Value *self, const char *name) {
  Value *v = v_new(a, V_METHOD);
  v->method.self = self;
  v->method.name = name;
  return v;
}

Value *v_coll(Arena *a, Coll *c) {
  Value *v = v_new(a, V_COLL);
  v->coll = c;
  return v;
}

/* ---- lists ---- */

static void list_grow(Arena *a, Value *l, int need) {
  if (need <= l->seq.cap)
    return;
  int cap = l->seq.cap * 2 > need ? l->seq.cap * 2 : need;
  size_t old = sizeof(Value *) * (size_t)l->seq.cap;
  Value **items = arena_alloc_reuse(a, sizeof(Value *) * (size_t)cap);
  memcpy(items, l->seq.items, old);
  arena_recycle(a, l->seq.items, old);
  l->seq.items = items;
  l->seq.cap = cap;
}

void v_list_push(Arena *a, Value *l, Value *item) {
  list_grow(a, l, l->seq.n + 1);
  l->seq.items[l->seq.n++] = item;
  hold(l, item);
}

void v_list_insert(Arena *a, Value *l, int at, Value *item) {
  list_grow(a, l, l->seq.n + 1);
  hold(l, item);
  memmove(l->seq.items + at + 1, l->seq.items + at,
          sizeof(Value *) * (size_t)(l->seq.n - at));
  l->seq.items[at] = item;
  l->seq.n++;
}

void v_list_remove_at(Value *l, int at) {
  v_unref(l->seq.items[at]);
  memmove(l->seq.items + at, l->seq.items + at + 1,
          sizeof(Value *) * (size_t)(l->seq.n - at - 1));
  l->seq.n--;
}

/* ---- dicts ---- */

/* v_hash keeps consecutive numbers (and tuples ending in them)
 * consecutive, and linear probing turns such a run into one long cluster
 * that every missing key landing in it walks to the end (quadratic graphs
 * with ('x', i) keys): scramble all bits first (MurmurHash3's finaliser). */
static uint64_t scramble(const Value *key) {
  uint64_t h = v_hash(key);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

/* The index slot of key (or the empty slot where it would go). */
static int find_slot(const VDict *d, const Value *key, uint64_t h) {
  uint32_t tag = (uint32_t)(h >> 32);
  for (int i = (int)(h & (uint64_t)(d->icap - 1));; i = (i + 1) & (d->icap - 1)) {
    const VSlot *s = &d->index[i];
    if (!s->entry || (s->hash == tag && v_equal(d->keys[s->entry - 1], key)))
      return i;
  }
}

static void put_slot(VDict *d, int entry, uint64_t h) {
  int i = (int)(h & (uint64_t)(d->icap - 1));
  while (d->index[i].entry)
    i = (i + 1) & (d->icap - 1);
  d->index[i] = (VSlot){entry + 1, (uint32_t)(h >> 32)};
}

int v_dict_find(const VDict *d, const Value *key) {
  if (!d->icap)
    return -1;
  return d->index[find_slot(d, key, scramble(key))].entry - 1;
}

Value *v_dict_get(const VDict *d, const Value *key) {
  int i = v_dict_find(d, key);
  return i < 0 ? NULL : d->vals[i];
}

static void dict_reindex(Arena *a, VDict *d) {
  int icap = 8;
  while (icap < d->n * 2 + 2)
    icap *= 2;
  d->index = ARENA_ARRAY(a, VSlot, icap);
  d->icap = icap;
  for (int e = 0; e < d->n; e++)
    put_slot(d, e, scramble(d->keys[e]));
}

void v_dict_clear(VDict *d) {
  d->n = 0;
  d->version++;
  memset(d->index, 0, sizeof(VSlot) * (size_t)d->icap);
}

void v_dict_set(Arena *a, VDict *d, Value *key, Value *val, Loc loc) {
  /* dict entries are not counted */
  v_pin(key);
  v_pin(val);
  d->version++;
  uint64_t h = scramble(key);
  int at = d->icap ? d->index[find_slot(d, key, h)].entry - 1 : -1;
  if (at >= 0) {
    d->vals[at] = val; /* Python keeps the first key and its position */
    d->locs[at] = loc;
    return;
  }
  if (d->n == d->cap) {
    int cap = d->cap ? d->cap * 2 : 8;
    d->keys = arena_realloc(a, d->keys, sizeof(Value *) * (size_t)d->cap,
                            sizeof(Value *) * (size_t)cap);
    d->vals = arena_realloc(a, d->vals, sizeof(Value *) * (size_t)d->cap,
                            sizeof(Value *) * (size_t)cap);
    d->locs = arena_realloc(a, d->locs, sizeof(Loc) * (size_t)d->cap,
                            sizeof(Loc) * (size_t)cap);
    d->cap = cap;
  }
  d->keys[d->n] = key;
  d->vals[d->n] = val;
  d->locs[d->n] = loc;
  d->n++;
  if (d->n * 2 + 2 > d->icap)
    dict_reindex(a, d);
  else
    put_slot(d, d->n - 1, h);
}

bool v_dict_remove(Arena *a, VDict *d, const Value *key) {
  int at = v_dict_find(d, key);
  if (at < 0)
    return false;
  d->version++;
  for (int e = at; e + 1 < d->n; e++) {
    d->keys[e] = d->keys[e + 1];
    d->vals[e] = d->vals[e + 1];
    d->locs[e] = d->locs[e + 1];
  }
  d->n--;
  dict_reindex(a, d); /* rare: rebuilding keeps the probing simple */
  return true;
}

Value *v_dict_copy(Arena *a, const VDict *d) {
  Value *v = v_dict(a);
  for (int i = 0; i < d->n; i++)
    v_dict_set(a, v->dict, d->keys[i], d->vals[i], d->locs[i]);
  return v;
}

/* ---- Python semantics ---- */

bool v_as_double(const Value *v, double *out) {
  switch (v->kind) {
  case V_FLOAT: *out = v->f; return true;
  case V_INT: *out = (double)v->i; return true;
  case V_BOOL: *out = v->b; return true;
  default: return false;
  }
}

bool v_is_number(const Value *v) {
  return v->kind == V_BOOL || v->kind == V_INT || v->kind == V_FLOAT || v->kind == V_BIG;
}

/* A big int (V_BIG) equal to the float f: f is integral and its exact
 * decimal text (glibc prints a double's exact value) is the big's. */
static bool big_eq_float(const Value *big, double f) {
  char t[400];
  if (!isfinite(f) || f != floor(f))
    return false;
  snprintf(t, sizeof t, "%.0f", f);
  return (int)strlen(t) == big->str.len && !memcmp(t, big->str.s, (size_t)big->str.len);
}

bool v_is_callable(const Value *v) {
  switch (v->kind) {
  case V_FUNC: case V_BUILTIN: case V_LAMBDA: case V_METHOD: case V_DFUNC:
    return true;
  default:
    return false;
  }
}

static bool hashable(const Value *v, int depth) {
  if (depth > MAX_DEPTH)
    return false;
  switch (v->kind) {
  case V_LIST: case V_DICT: case V_DELAYED: case V_COMPUTED:
    return false;
  case V_TUPLE:
    for (int i = 0; i < v->seq.n; i++)
      if (!hashable(v->seq.items[i], depth + 1))
        return false;
    return true;
  default:
    return true;
  }
}

bool v_hashable(const Value *v) { return hashable(v, 0); }

static int64_t num_i(const Value *v) { return v->kind == V_BOOL ? v->b : v->i; }

/* int == float without losing precision on large ints. */
static bool int_eq_float(int64_t i, double f) {
  if (f != f || f < -9.3e18 || f > 9.3e18 || f != floor(f))
    return false;
  if (f >= 9.2233720368547758e18 || f < -9.2233720368547758e18)
    return false;
  return (int64_t)f == i;
}

static bool equal(const Value *x, const Value *y, int depth) {
  if (x == y)
    return true;
  if (depth > MAX_DEPTH)
    return false;
  if (v_is_number(x) && v_is_number(y)) {
    if (x->kind == V_BIG || y->kind == V_BIG) { /* normalised: never an int64 */
      const Value *b = x->kind == V_BIG ? x : y, *o = b == x ? y : x;
      if (o->kind == V_FLOAT)
        return big_eq_float(b, o->f);
      return o->kind == V_BIG && o->str.len == b->str.len &&
             !memcmp(o->str.s, b->str.s, (size_t)b->str.len);
    }
    if (x->kind != V_FLOAT && y->kind != V_FLOAT)
      return num_i(x) == num_i(y);
    if (x->kind == V_FLOAT && y->kind == V_FLOAT)
      return x->f == y->f;
    return x->kind == V_FLOAT ? int_eq_float(num_i(y), x->f)
                              : int_eq_float(num_i(x), y->f);
  }
  if (x->kind != y->kind)
    return false;
  switch (x->kind) {
  case V_NONE:
    return true;
  case V_STR:
    return x->str.len == y->str.len && !memcmp(x->str.s, y->str.s, (size_t)x->str.len);
  case V_TUPLE: case V_LIST:
    if (x->seq.n != y->seq.n)
      return false;
    for (int i = 0; i < x->seq.n; i++)
      if (!equal(x->seq.items[i], y->seq.items[i], depth + 1))
        return false;
    return true;
  case V_DICT:
    if (x->dict->n != y->dict->n)
      return false;
    for (int i = 0; i < x->dict->n; i++) {
      Value *o = v_dict_get(y->dict, x->dict->keys[i]);
      if (!o || !equal(x->dict->vals[i], o, depth + 1))
        return false;
    }
    return true;
  case V_RANGE:
    return x->range.start == y->range.start && x->range.stop == y->range.stop &&
           x->range.step == y->range.step;
  case V_MODULE:
    return !strcmp(x->module, y->module);
  case V_BUILTIN:
    return !strcmp(x->bi.name, y->bi.name);
  case V_FUNC:
    return x->func == y->func;
  case V_DELAYED: case V_COMPUTED:
    return x->task == y->task;
  default:
    return false;
  }
}

bool v_equal(const Value *x, const Value *y) { return equal(x, y, 0); }

static uint64_t mix(uint64_t h, uint64_t x) {
  h ^= x + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h;
}

static uint64_t hash_bytes(const char *s, int n) {
  uint64_t h = 1469598103934665603ull;
  for (int i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return h;
}

static uint64_t hash(const Value *v, int depth) {
  switch (v->kind) {
  case V_NONE:
    return 0x6e6f6e65;
  case V_BOOL: case V_INT:
    return mix(1, (uint64_t)num_i(v));
  case V_FLOAT: {
    /* equal numbers hash equally: 2.0 like 2 */
    if (v->f == floor(v->f) && fabs(v->f) < 9.2e18)
      return mix(1, (uint64_t)(int64_t)v->f);
    uint64_t bits;
    memcpy(&bits, &v->f, sizeof bits);
    return mix(2, bits);
  }
  case V_STR:
    return hash_bytes(v->str.s, v->str.len);
  case V_BIG: { /* as the float it equals, if any (2**70 like 2.0**70) */
    double f = strtod(v->str.s, NULL);
    uint64_t bits;
    memcpy(&bits, &f, sizeof bits);
    return big_eq_float(v, f) ? mix(2, bits) : mix(5, hash_bytes(v->str.s, v->str.len));
  }
  case V_TUPLE: {
    uint64_t h = 3;
    for (int i = 0; i < v->seq.n && depth < MAX_DEPTH; i++)
      h = mix(h, hash(v->seq.items[i], depth + 1));
    return h;
  }
  case V_RANGE:
    return mix(mix(mix(4, (uint64_t)v->range.start), (uint64_t)v->range.stop),
               (uint64_t)v->range.step);
  case V_MODULE:
    return hash_bytes(v->module, (int)strlen(v->module));
  case V_BUILTIN:
    return hash_bytes(v->bi.name, (int)strlen(v->bi.name));
  default:
    return (uint64_t)(uintptr_t)v->func; /* identity of the pointed object */
  }
}

uint64_t v_hash(const Value *v) { return hash(v, 0); }

const char *v_type_name(const Value *v) {
  static const char *names[V_KIND_COUNT] = {
      "NoneType", "bool", "int", "float", "str", "tuple", "list", "dict",
      "range", "function", "builtin_function", "function", "module",
      "method", "Delayed", "computed value", "delayed function", "Client",
      NULL, "int"};
  return v->kind == V_COLL ? v->coll->ops->type_name : names[v->kind];
}

const char *v_func_name(const Value *v) {
  switch (v->kind) {
  case V_FUNC: return v->func->fn->name;
  case V_BUILTIN: return v->bi.name;
  case V_LAMBDA: return "<lambda>";
  case V_METHOD: return v->method.name;
  case V_DFUNC: return v->dfunc.target ? v_func_name(v->dfunc.target) : "delayed";
  default: return v_type_name(v);
  }
}

/* Python's float repr: the shortest digits that read back the same, in
 * fixed notation for exponents -4..15, else scientific. */
void v_fmt_float(char buf[40], double f) { pyfloat_repr(buf, f); }

typedef struct Buf {
  Arena *a;
  char *s;
  size_t len, cap;
} Buf;

static void put(Buf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = (b->cap + n + 1) * 2;
    b->s = arena_realloc(b->a, b->s, b->cap, cap);
    b->cap = cap;
  }
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = 0;
}

static void puts_(Buf *b, const char *s) { put(b, s, strlen(s)); }

static void repr_str(Buf *b, const char *s, int n) {
  char q = memchr(s, '\'', (size_t)n) && !memchr(s, '"', (size_t)n) ? '"' : '\'';
  put(b, &q, 1);
  for (int i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    char tmp[8];
    if (c == (unsigned char)q || c == '\\') {
      tmp[0] = '\\';
      tmp[1] = (char)c;
      put(b, tmp, 2);
    } else if (c == '\n') {
      puts_(b, "\\n");
    } else if (c == '\t') {
      puts_(b, "\\t");
    } else if (c == '\r') {
      puts_(b, "\\r");
    } else if (c < 0x20 || c == 0x7f) {
      snprintf(tmp, sizeof tmp, "\\x%02x", c);
      puts_(b, tmp);
    } else {
      put(b, (char *)&c, 1);
    }
  }
  put(b, &q, 1);
}

static void repr(Buf *b, const Value *v, int depth) {
  char tmp[64];
  if (depth > MAX_DEPTH) {
    puts_(b, "...");
    return;
  }
  switch (v->kind) {
  case V_NONE: puts_(b, "None"); break;
  case V_BOOL: puts_(b, v->b ? "True" : "False"); break;
  case V_INT:
    snprintf(tmp, sizeof tmp, "%lld", (long long)v->i);
    puts_(b, tmp);
    break;
  case V_FLOAT:
    v_fmt_float(tmp, v->f);
    puts_(b, tmp);
    break;
  case V_STR: repr_str(b, v->str.s, v->str.len); break;
  case V_BIG: put(b, v->str.s, v->str.len); break;
  case V_TUPLE: case V_LIST:
    puts_(b, v->kind == V_LIST ? "[" : "(");
    for (int i = 0; i < v->seq.n; i++) {
      if (i)
        puts_(b, ", ");
      repr(b, v->seq.items[i], depth + 1);
    }
    if (v->kind == V_TUPLE && v->seq.n == 1)
      puts_(b, ",");
    puts_(b, v->kind == V_LIST ? "]" : ")");
    break;
  case V_DICT:
    puts_(b, "{");
    for (int i = 0; i < v->dict->n; i++) {
      if (i)
        puts_(b, ", ");
      repr(b, v->dict->keys[i], depth + 1);
      puts_(b, ": ");
      repr(b, v->dict->vals[i], depth + 1);
    }
    puts_(b, "}");
    break;
  case V_RANGE:
    if (v->range.step == 1)
      snprintf(tmp, sizeof tmp, "range(%lld, %lld)", (long long)v->range.start,
               (long long)v->range.stop);
    else
      snprintf(tmp, sizeof tmp, "range(%lld, %lld, %lld)",
               (long long)v->range.start, (long long)v->range.stop,
               (long long)v->range.step);
    puts_(b, tmp);
    break;
  case V_MODULE:
    puts_(b, "<module '");
    puts_(b, v->module);
    puts_(b, "'>");
    break;
  case V_DELAYED: case V_COMPUTED:
    puts_(b, v->kind == V_DELAYED ? "Delayed(" : "Computed(");
    puts_(b, v->task->name ? v->task->name : "?");
    puts_(b, ")");
    break;
  case V_CLIENT: puts_(b, "<Client>"); break;
  case V_COLL: puts_(b, v->coll->ops->repr(b->a, v)); break;
  default:
    puts_(b, "<function ");
    puts_(b, v_func_name(v));
    puts_(b, ">");
    break;
  }
}

char *v_repr(Arena *a, const Value *v) {
  Buf b = {.a = a};
  put(&b, "", 0);
  repr(&b, v, 0);
  return b.s;
}

char *v_str_of(Arena *a, const Value *v) {
  if (v->kind == V_STR)
    return arena_strndup(a, v->str.s, (size_t)v->str.len);
  return v_repr(a, v);
}
