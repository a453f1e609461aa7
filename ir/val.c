/* val.c - constant trees with task references (ir.h): construction,
 * equality and hashing for CSE, Python repr, static types.
 *
 * Vals can be nested as deep as a top-level loop makes them
 * (x = [x] a million times), so every walk here uses an explicit stack
 * instead of recursion. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"

/* Dense: the passes follow refs from task to task (arena.h). */
static Val *val_new(Arena *a, ValKind kind) {
  Val *v = arena_alloc_dense(a, sizeof(Val));
  v->kind = kind;
  return v;
}

Val *val_none(Arena *a) { return val_new(a, VAL_NONE); }

Val *val_bool(Arena *a, bool b) {
  Val *v = val_new(a, VAL_BOOL);
  v->b = b;
  return v;
}

Val *val_int(Arena *a, int64_t i) {
  Val *v = val_new(a, VAL_INT);
  v->i = i;
  return v;
}

Val *val_float(Arena *a, double f) {
  Val *v = val_new(a, VAL_FLOAT);
  v->f = f;
  return v;
}

Val *val_str(Arena *a, const char *s, int len) {
  Val *v = val_new(a, VAL_STR);
  v->str.s = arena_strndup(a, s, (size_t)len);
  v->str.len = len;
  return v;
}

Val *val_big(Arena *a, const char *digits, int len) {
  Val *v = val_str(a, digits, len);
  v->kind = VAL_BIG;
  return v;
}

Val *val_seq(Arena *a, ValKind kind, Val **items, int n) {
  Val *v = val_new(a, kind);
  v->seq.n = n;
  v->seq.items = arena_alloc_dense(a, sizeof(Val *) * (size_t)(n ? n : 1));
  if (n)
    memcpy(v->seq.items, items, sizeof(Val *) * (size_t)n);
  return v;
}

Val *val_ref(Arena *a, Task *t) {
  Val *v = val_new(a, VAL_REF);
  v->ref = t;
  return v;
}

static bool is_seq(ValKind k) {
  return k == VAL_TUPLE || k == VAL_LIST || k == VAL_DICT;
}

/* ---- a stack of pointers for the walks ---- */

typedef struct Stack {
  const void **items;
  size_t len, cap;
  const void *small[64];
} Stack;

static void stack_init(Stack *s) {
  s->items = s->small;
  s->len = 0;
  s->cap = 64;
}

static void push(Stack *s, const void *p) {
  if (s->len == s->cap) {
    size_t ncap = s->cap * 2;
    const void **n = malloc(ncap * sizeof *n);
    if (!n) {
      fprintf(stderr, "taskc: error: out of memory\n");
      exit(1);
    }
    memcpy(n, s->items, s->len * sizeof *n);
    if (s->items != s->small)
      free(s->items);
    s->items = n;
    s->cap = ncap;
  }
  s->items[s->len++] = p;
}

static const void *pop(Stack *s) { return s->items[--s->len]; }

static void stack_free(Stack *s) {
  if (s->items != s->small)
    free(s->items);
}

/* ---- equality and hashing ---- */

static bool same_leaf(const Val *x, const Val *y) {
  switch (x->kind) {
  case VAL_NONE: return true;
  case VAL_BOOL: return x->b == y->b;
  case VAL_INT: return x->i == y->i;
  /* Bits, not ==: 0.0 and -0.0 print differently; NaN equals itself. */
  case VAL_FLOAT: return !memcmp(&x->f, &y->f, sizeof x->f);
  case VAL_STR: case VAL_BIG:
    return x->str.len == y->str.len &&
           !memcmp(x->str.s, y->str.s, (size_t)x->str.len);
  case VAL_REF: return x->ref == y->ref;
  default: return x->seq.n == y->seq.n;
  }
}

bool val_equal(const Val *x, const Val *y) {
  Stack s;
  stack_init(&s);
  push(&s, x);
  push(&s, y);
  bool eq = true;
  while (eq && s.len) {
    const Val *b = pop(&s), *a = pop(&s);
    if (a == b)
      continue;
    eq = a->kind == b->kind && same_leaf(a, b);
    for (int i = 0; eq && is_seq(a->kind) && i < a->seq.n; i++) {
      push(&s, a->seq.items[i]);
      push(&s, b->seq.items[i]);
    }
  }
  stack_free(&s);
  return eq;
}

static uint64_t mix(uint64_t h, uint64_t x) {
  h ^= x;
  h *= 0x100000001b3ull;
  return h ^ (h >> 29);
}

static uint64_t leaf_hash(const Val *v) {
  uint64_t h = mix(0xcbf29ce484222325ull, (uint64_t)v->kind);
  switch (v->kind) {
  case VAL_BOOL: return mix(h, v->b);
  case VAL_INT: return mix(h, (uint64_t)v->i);
  case VAL_FLOAT: {
    uint64_t bits;
    memcpy(&bits, &v->f, sizeof bits);
    return mix(h, bits);
  }
  case VAL_STR: case VAL_BIG:
    for (int i = 0; i < v->str.len; i++)
      h = mix(h, (unsigned char)v->str.s[i]);
    return mix(h, (uint64_t)v->str.len);
  case VAL_REF: return mix(h, (uint64_t)(uintptr_t)v->ref);
  case VAL_NONE: return h;
  default: return mix(h, (uint64_t)v->seq.n);
  }
}

/* Pre-order over the tree; the position of each node is part of the
 * sequence, so [[1], 2] and [[1, 2]] hash differently through seq.n. */
uint64_t val_hash(const Val *v) {
  Stack s;
  stack_init(&s);
  push(&s, v);
  uint64_t h = 0x84222325cbf29ce4ull;
  while (s.len) {
    const Val *x = pop(&s);
    h = mix(h, leaf_hash(x));
    if (is_seq(x->kind))
      for (int i = x->seq.n - 1; i >= 0; i--)
        push(&s, x->seq.items[i]);
  }
  stack_free(&s);
  return h;
}

void val_visit_refs(Val *v, void (*fn)(Val *ref, void *ctx), void *ctx) {
  Stack s;
  stack_init(&s);
  push(&s, v);
  while (s.len) {
    Val *x = (Val *)pop(&s);
    if (x->kind == VAL_REF)
      fn(x, ctx);
    else if (is_seq(x->kind))
      for (int i = x->seq.n - 1; i >= 0; i--)
        push(&s, x->seq.items[i]);
  }
  stack_free(&s);
}

/* ---- Python repr ---- */

typedef struct Buf {
  char *p;
  size_t len, cap;
} Buf;

static void buf_put(Buf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t ncap = b->cap ? b->cap : 64;
    while (ncap < b->len + n + 1)
      ncap *= 2;
    char *p = realloc(b->p, ncap);
    if (!p) {
      fprintf(stderr, "taskc: error: out of memory\n");
      exit(1);
    }
    b->p = p;
    b->cap = ncap;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

static void buf_puts(Buf *b, const char *s) { buf_put(b, s, strlen(s)); }

/* Python's quoting: single quotes unless the text has a ' and no ". */
static void repr_str(Buf *b, const char *s, int len) {
  bool single = memchr(s, '\'', (size_t)len) != NULL;
  bool dbl = memchr(s, '"', (size_t)len) != NULL;
  char q = single && !dbl ? '"' : '\'';
  buf_put(b, &q, 1);
  for (int i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    char tmp[8];
    if (c == '\\' || c == (unsigned char)q)
      snprintf(tmp, sizeof tmp, "\\%c", c);
    else if (c == '\n')
      strcpy(tmp, "\\n");
    else if (c == '\r')
      strcpy(tmp, "\\r");
    else if (c == '\t')
      strcpy(tmp, "\\t");
    else if (c < 0x20 || c == 0x7f)
      snprintf(tmp, sizeof tmp, "\\x%02x", c);
    else
      tmp[0] = (char)c, tmp[1] = '\0';
    buf_puts(b, tmp);
  }
  buf_put(b, &q, 1);
}

static void repr_leaf(Buf *b, const Val *v) {
  char tmp[32];
  switch (v->kind) {
  case VAL_NONE: buf_puts(b, "None"); break;
  case VAL_BOOL: buf_puts(b, v->b ? "True" : "False"); break;
  case VAL_INT:
    snprintf(tmp, sizeof tmp, "%lld", (long long)v->i);
    buf_puts(b, tmp);
    break;
  case VAL_FLOAT: {
    char f[PYFLOAT_MAX];
    pyfloat_repr(f, v->f);
    buf_puts(b, f);
    break;
  }
  case VAL_STR: repr_str(b, v->str.s, v->str.len); break;
  case VAL_BIG: buf_put(b, v->str.s, (size_t)v->str.len); break;
  default: break;
  }
}

/* Marks on the print stack: what to write after the items of a sequence. */
static const char CLOSE_LIST[] = "]", CLOSE_TUPLE[] = ")", CLOSE_DICT[] = "}",
                  CLOSE_ONE[] = ",)", SEP[] = ", ", COLON[] = ": ";

static bool is_mark(const void *p) {
  return p == CLOSE_LIST || p == CLOSE_TUPLE || p == CLOSE_DICT ||
         p == CLOSE_ONE || p == SEP || p == COLON;
}

static void push_seq(Stack *s, Buf *b, const Val *v) {
  int n = v->seq.n;
  if (v->kind == VAL_LIST) {
    buf_puts(b, "[");
    push(s, CLOSE_LIST);
  } else if (v->kind == VAL_DICT) {
    buf_puts(b, "{");
    push(s, CLOSE_DICT);
  } else {
    buf_puts(b, "(");
    push(s, n == 1 ? CLOSE_ONE : CLOSE_TUPLE);
  }
  for (int i = n - 1; i >= 0; i--) {
    push(s, v->seq.items[i]);
    if (i > 0)
      push(s, v->kind == VAL_DICT && i % 2 ? COLON : SEP);
  }
}

static void repr_ref(Buf *b, const Task *t, Stack *s) {
  if (t->name)
    buf_puts(b, t->name);
  else if (t->key)
    push(s, t->key);
  else
    buf_puts(b, "<task>");
}

static void repr_val(Buf *b, const Val *v) {
  Stack s;
  stack_init(&s);
  push(&s, v);
  while (s.len) {
    const void *top = pop(&s);
    if (is_mark(top)) {
      buf_puts(b, top);
      continue;
    }
    const Val *x = top;
    if (is_seq(x->kind))
      push_seq(&s, b, x);
    else if (x->kind == VAL_REF)
      repr_ref(b, x->ref, &s);
    else
      repr_leaf(b, x);
  }
  stack_free(&s);
}

void val_print(FILE *out, const Val *v) {
  Buf b = {0};
  repr_val(&b, v);
  if (b.p)
    fwrite(b.p, 1, b.len, out);
  free(b.p);
}

char *val_repr(Arena *a, const Val *v) {
  Buf b = {0};
  repr_val(&b, v);
  char *s = arena_strndup(a, b.p ? b.p : "", b.len);
  free(b.p);
  return s;
}

/* ---- static types ---- */

enum { TYPE_DEPTH = 40 }; /* deeper than type.c keeps: any */

static Type *type_at(const Val *v, int depth);

/* A list's elements or a dict's keys and values joined (ty_join). */
static Type *joined_type(const Val *v, int depth) {
  int n = v->seq.n, step = v->kind == VAL_DICT ? 2 : 1;
  Type *k = NULL, *t = NULL;
  for (int i = 0; i < n; i += step) {
    Type *x = type_at(v->seq.items[i], depth + 1);
    Type *y = step == 2 ? type_at(v->seq.items[i + 1], depth + 1) : ty_any;
    if (!x || !y)
      return NULL;
    k = ty_join(k, x);
    t = ty_join(t, y);
  }
  return step == 2 ? ty_dict(k, t) : ty_list(k);
}

/* A dict whose keys are all strs (without NULs) is a record: the type of
 * each key's value (raw, see ty_record; val_type settles it). NULL if a
 * value's type is not known yet; a dict with another key is a plain
 * dict. */
static Type *record_type(const Val *v, int depth) {
  const char *names[TY_MAX_FIELDS];
  Type *types[TY_MAX_FIELDS];
  int n = v->seq.n / 2;
  for (int i = 0; i < n; i++) {
    const Val *k = v->seq.items[2 * i];
    if (k->kind != VAL_STR || (int)strlen(k->str.s) != k->str.len)
      return joined_type(v, depth);
    names[i] = k->str.s;
    if (!(types[i] = type_at(v->seq.items[2 * i + 1], depth + 1)))
      return NULL;
  }
  return ty_record(names, types, n);
}

static Type *seq_type(const Val *v, int depth) {
  int n = v->seq.n;
  if (v->kind == VAL_TUPLE) {
    Type *small[8];
    Type **e = n <= 8 ? small : malloc(sizeof(Type *) * (size_t)n);
    if (!e)
      return ty_any;
    bool unknown = false;
    for (int i = 0; i < n; i++)
      unknown |= !(e[i] = type_at(v->seq.items[i], depth + 1));
    Type *t = unknown ? NULL : ty_tuple(e, n);
    if (e != small)
      free(e);
    return t;
  }
  if (v->kind == VAL_DICT && n && n / 2 <= TY_MAX_FIELDS)
    return record_type(v, depth);
  return joined_type(v, depth);
}

static Type *type_at(const Val *v, int depth) {
  switch (v->kind) {
  case VAL_NONE: return ty_none;
  case VAL_BOOL: return ty_bool;
  case VAL_INT: case VAL_BIG: return ty_int;
  case VAL_FLOAT: return ty_float;
  case VAL_STR: return ty_str;
  case VAL_REF: return v->ref->type;
  default: return depth > TYPE_DEPTH ? ty_any : seq_type(v, depth);
  }
}

Type *val_type(const Val *v) { return ty_settle(type_at(v, 0)); }
