/* json_fit.c - does a loaded value fit the static type the compiler gave it?
 *
 * Compiled bodies trust a list's elements and a record's fields to have
 * their static types (only a record field read is tag-checked), so values
 * that come from data at run time (JSON records, bag.read_json) are
 * checked whole, once, when they are loaded. The type arrives as the
 * string of ir/typedesc.h, parsed here once per task into a small tree.
 * What fits is what the compiled code's unboxing accepts: a bool where an
 * int is wanted, a bool or an int where a float is (runtime/values.c in
 * the code generator, `unbox`). A record may lack a field (reading it is a
 * KeyError, as in Python) or have more (they print, nothing reads them
 * typed). */
#include <stdlib.h>
#include <string.h>

#include "json_fit.h"

struct TrFit {
  char kind;       /* a n b i f s l d r, as in the description */
  TrFit *elem;     /* l, d */
  int nfields;     /* r: sorted by strcmp, as ir/type.c keeps them */
  char **names;
  int64_t *lens;
  TrFit **fields;
};

static TrFit *parse(const char **s, int depth);

static bool number(const char **s, char end, long *n) {
  char *e;
  *n = strtol(*s, &e, 10);
  if (e == *s || *e != end || *n < 0 || *n > 1 << 20)
    return false;
  *s = e + 1;
  return true;
}

static bool parse_record(TrFit *f, const char **s, int depth) {
  long n;
  if (!number(s, ';', &n))
    return false;
  f->names = calloc((size_t)n + 1, sizeof *f->names);
  f->lens = calloc((size_t)n + 1, sizeof *f->lens);
  f->fields = calloc((size_t)n + 1, sizeof *f->fields);
  if (!f->names || !f->lens || !f->fields)
    return false;
  for (; f->nfields < n; f->nfields++) {
    long len;
    if (!number(s, ':', &len) || (long)strnlen(*s, (size_t)len) < len)
      return false;
    f->names[f->nfields] = strndup(*s, (size_t)len);
    f->lens[f->nfields] = len;
    *s += len;
    f->fields[f->nfields] = parse(s, depth + 1);
    if (!f->names[f->nfields] || !f->fields[f->nfields]) {
      f->nfields++;
      return false;
    }
  }
  return true;
}

static TrFit *parse(const char **s, int depth) {
  TrFit *f = calloc(1, sizeof *f);
  if (!f || depth > 64 || !strchr("anbifsldr", **s) || !**s) {
    free(f);
    return NULL;
  }
  f->kind = *(*s)++;
  bool ok = true;
  if (f->kind == 'l' || f->kind == 'd')
    ok = (f->elem = parse(s, depth + 1)) != NULL;
  else if (f->kind == 'r')
    ok = parse_record(f, s, depth);
  if (!ok) {
    tr_fit_free(f);
    return NULL;
  }
  return f;
}

TrFit *tr_fit_parse(const char *desc) {
  TrFit *f = parse(&desc, 0);
  if (f && *desc) {
    tr_fit_free(f);
    return NULL;
  }
  return f;
}

void tr_fit_free(TrFit *f) {
  if (!f)
    return;
  tr_fit_free(f->elem);
  for (int i = 0; i < f->nfields; i++) {
    free(f->names[i]);
    tr_fit_free(f->fields[i]);
  }
  free(f->names);
  free(f->lens);
  free(f->fields);
  free(f);
}

static const char *want_name(char kind) {
  switch (kind) {
  case 'n': return "None";
  case 'b': return "bool";
  case 'i': return "int";
  case 'f': return "float";
  case 's': return "str";
  case 'l': return "list";
  default: return "dict";
  }
}

static bool tag_fits(char kind, int64_t tag) {
  switch (kind) {
  case 'a': return true;
  case 'n': return tag == TR_NONE;
  case 'b': return tag == TR_BOOL;
  case 'i': return tag == TR_INT || tag == TR_BOOL;
  case 'f': return tag == TR_FLOAT || tag == TR_INT || tag == TR_BOOL;
  case 's': return tag == TR_STR;
  case 'l': return tag == TR_LIST;
  default: return tag == TR_DICT;
  }
}

/* The field of record f named by the str key k, NULL if none. */
static const TrFit *field(const TrFit *f, const TrStr *k) {
  int lo = 0, hi = f->nfields - 1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    int c = strcmp(f->names[mid], k->data);
    if (c == 0 && f->lens[mid] == k->len)
      return f->fields[mid];
    if (c < 0 || (c == 0 && f->lens[mid] < k->len))
      lo = mid + 1;
    else
      hi = mid - 1;
  }
  return NULL;
}

/* Where a value sits, for the message: ['user']['tags'][2]. */
static void path_key(Buf *b, const TrStr *k) {
  buf_puts(b, "['");
  for (int64_t i = 0; i < k->len && i < 40; i++) {
    char c = k->data[i];
    if (c == '\'' || c == '\\')
      buf_putc(b, '\\');
    buf_putc(b, c);
  }
  buf_puts(b, k->len > 40 ? "...']" : "']");
}

/* Does v fit f? With PATH (not NULL) it also says where and why it does
 * not: a second walk, only for the value that failed the first. */
static bool check(const TrFit *f, const TrValue *v, Buf *path, Buf *why) {
  if (!tag_fits(f->kind, v->tag)) {
    if (path)
      buf_printf(why, "the value%s%.*s is %s, not %s", path->len ? " at " : "",
                 (int)path->len, path->p ? path->p : "", tr_type_name(v), want_name(f->kind));
    return false;
  }
  size_t at = path ? path->len : 0;
  if (f->kind == 'l') {
    const TrSeq *l = v->u.p;
    for (int64_t i = 0; i < l->len; i++) {
      if (path)
        buf_printf(path, "[%lld]", (long long)i);
      if (!check(f->elem, &l->items[i], path, why))
        return false;
      if (path)
        path->len = at;
    }
  } else if (f->kind == 'd' || f->kind == 'r') {
    const TrDict *d = v->u.p;
    for (int64_t i = 0; i < d->len; i++) {
      if (d->keys[i].tag != TR_STR)
        continue; /* JSON keys are strs */
      const TrFit *g = f->kind == 'd' ? f->elem : field(f, d->keys[i].u.p);
      if (!g)
        continue;
      if (path)
        path_key(path, d->keys[i].u.p);
      if (!check(g, &d->vals[i], path, why))
        return false;
      if (path)
        path->len = at;
    }
  }
  return true;
}

const TrFit *tr_fit_elem(const TrFit *f) { return f->kind == 'l' ? f->elem : NULL; }

bool tr_fit_check(const TrFit *f, const TrValue *v, Buf *why) {
  if (check(f, v, NULL, NULL))
    return true;
  Buf path = {0};
  check(f, v, &path, why);
  free(path.p);
  return false;
}
