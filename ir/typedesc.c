/* typedesc.c - a static type written as a short string (typedesc.h).
 *
 * An op whose result type the compiler decides from data it read (the
 * records of bag.read_json, inferred from a sample of the files) carries
 * the type as a constant str argument: sema reads it back here, and the
 * run-time check (runtime/json_fit.c) walks the same string, so the type
 * a body was compiled for and the type the loaded values are checked
 * against cannot drift apart. */
#include "typedesc.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"

static void put(FILE *b, const Type *t) {
  switch (t->kind) {
  case TY_ANY: fputc('a', b); return;
  case TY_NONE: fputc('n', b); return;
  case TY_BOOL: fputc('b', b); return;
  case TY_INT: fputc('i', b); return;
  case TY_FLOAT: fputc('f', b); return;
  case TY_STR: fputc('s', b); return;
  case TY_LIST:
    fputc('l', b);
    put(b, t->elem);
    return;
  case TY_DICT:
    if (!ty_is_record(t)) {
      fputc('d', b);
      put(b, t->val);
      return;
    }
    fprintf(b, "r%d;", t->nfields);
    for (int i = 0; i < t->nfields; i++) {
      fprintf(b, "%zu:%s", strlen(t->fnames[i]), t->fnames[i]);
      put(b, t->ftypes[i]);
    }
    return;
  default: /* tuples and arrays never come from JSON: any, checked as such */
    fputc('a', b);
    return;
  }
}

char *ty_desc(Arena *a, const Type *t) {
  char *p = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&p, &n);
  if (!f)
    return NULL;
  put(f, t);
  fclose(f);
  char *s = p ? arena_strndup(a, p, n) : NULL;
  free(p);
  return s;
}

static long number(const char **s, char end) {
  char *e;
  long n = strtol(*s, &e, 10);
  if (e == *s || *e != end || n < 0 || n > 1 << 20)
    return -1;
  *s = e + 1;
  return n;
}

static Type *parse(const char **s, int depth) {
  if (depth > 64)
    return NULL;
  switch (*(*s)++) {
  case 'a': return ty_any;
  case 'n': return ty_none;
  case 'b': return ty_bool;
  case 'i': return ty_int;
  case 'f': return ty_float;
  case 's': return ty_str;
  case 'l': {
    Type *e = parse(s, depth + 1);
    return e ? ty_list(e) : NULL;
  }
  case 'd': {
    Type *v = parse(s, depth + 1);
    return v ? ty_dict(ty_str, v) : NULL;
  }
  case 'r': break;
  default: return NULL;
  }
  long n = number(s, ';');
  if (n < 0 || n > TY_MAX_FIELDS)
    return NULL;
  const char *names[TY_MAX_FIELDS];
  Type *types[TY_MAX_FIELDS];
  char *copies[TY_MAX_FIELDS];
  Type *r = NULL;
  int got = 0;
  for (; got < n; got++) {
    long len = number(s, ':');
    if (len < 0 || (long)strnlen(*s, (size_t)len) < len)
      break;
    copies[got] = strndup(*s, (size_t)len);
    *s += len;
    names[got] = copies[got];
    types[got] = parse(s, depth + 1);
    if (!copies[got] || !types[got]) {
      got++;
      break;
    }
  }
  if (got == n && (n == 0 || types[n - 1]))
    r = ty_record(names, types, (int)n);
  for (int i = 0; i < got; i++)
    free(copies[i]);
  return r;
}

Type *ty_from_desc(const char *s) {
  Type *t = parse(&s, 0);
  return t && !*s ? t : NULL;
}
