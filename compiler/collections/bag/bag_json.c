/* bag_json.c - db.read_text(...).map(json.loads): records typed at compile
 * time from a sample of the files, as dd.read_csv infers its dtypes.
 *
 * The elements of such a bag are JSON values, known only when the program
 * runs; bodies need static types. So the collection reads the start of
 * the files now (SAMPLE_BYTES of each, SAMPLE_TOTAL in all), infers each
 * line's type and joins them (a JSON object is a record: its keys and the
 * type of each key's value, ir/type.h). The partitions then become tasks
 * of one op, bag.read_json (runtime/text_json.c): read_text's lines,
 * json.loads of each, and a check that each value fits the inferred type,
 * which fails the task naming the file, the line and the key otherwise.
 * Keyed as Dask's map over the read_text bag ('loads-<token>', i): the
 * read and the map are one task per partition, as Dask's optimisation
 * fuses them.
 *
 * Inference joins as ty_join does (ints and floats make float, other
 * differences make any), except that an empty list takes the type of the
 * other lists it meets: [] and ["a"] are a list[str] (an empty list's type
 * is held apart while joining, as a list of the empty tuple, a type JSON
 * never makes). A line that is not JSON is left out of the sample: its
 * task fails at run time with Python's message, as Dask's would. */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "typedesc.h"
#include "bag.h"

enum { SAMPLE_BYTES = 256000, SAMPLE_TOTAL = 1 << 20, LINE_MAX = 64 << 20, MAX_DEPTH = 30 };

typedef struct Scan {
  const char *s, *end;
  int depth;
} Scan;

static Type *empty_list(void) { return ty_list(ty_tuple(NULL, 0)); }

static void ws(Scan *c) {
  while (c->s < c->end && (*c->s == ' ' || *c->s == '\t' || *c->s == '\n' || *c->s == '\r'))
    c->s++;
}

static bool word(Scan *c, const char *w) {
  size_t n = strlen(w);
  if ((size_t)(c->end - c->s) < n || memcmp(c->s, w, n))
    return false;
  c->s += n;
  return true;
}

/* A JSON string's text (escapes kept as they are: keys with escapes are
 * decoded by decode_key). */
static bool string_span(Scan *c, const char **start, size_t *len, bool *escaped) {
  if (c->s >= c->end || *c->s != '"')
    return false;
  *start = ++c->s;
  *escaped = false;
  while (c->s < c->end && *c->s != '"') {
    if ((unsigned char)*c->s < 0x20)
      return false;
    if (*c->s == '\\') {
      *escaped = true;
      c->s++;
    }
    c->s++;
  }
  if (c->s >= c->end)
    return false;
  *len = (size_t)(c->s - *start);
  c->s++;
  return true;
}

static Type *value(Scan *c, Arena *a);

static Type *number(Scan *c) {
  const char *p = c->s;
  bool is_float = false;
  if (p < c->end && *p == '-')
    p++;
  if (p >= c->end || *p < '0' || *p > '9')
    return NULL;
  while (p < c->end && ((*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' || *p == 'E' ||
                        *p == '+' || *p == '-')) {
    is_float |= *p == '.' || *p == 'e' || *p == 'E';
    p++;
  }
  c->s = p;
  return is_float ? ty_float : ty_int;
}

/* An object's key with \" and \\ (the escapes keys in practice carry)
 * decoded; NULL for other escapes, which make the object a plain dict. */
static char *decode_key(Arena *a, const char *s, size_t n, bool escaped) {
  if (!escaped)
    return arena_strndup(a, s, n);
  char *k = arena_alloc(a, n + 1), *o = k;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\\') {
      i++;
      if (s[i] != '"' && s[i] != '\\' && s[i] != '/')
        return NULL;
    }
    *o++ = s[i];
  }
  *o = 0;
  return k;
}

static Type *object(Scan *c, Arena *a) {
  const char *names[TY_MAX_FIELDS + 1];
  Type *types[TY_MAX_FIELDS + 1];
  int n = 0;
  bool plain = false;
  Type *val = NULL;
  ws(c);
  if (c->s < c->end && *c->s == '}') {
    c->s++;
    return ty_record(names, types, 0);
  }
  for (;;) {
    const char *k;
    size_t klen;
    bool esc;
    ws(c);
    if (!string_span(c, &k, &klen, &esc))
      return NULL;
    ws(c);
    if (!word(c, ":"))
      return NULL;
    Type *t = value(c, a);
    if (!t)
      return NULL;
    char *name = decode_key(a, k, klen, esc);
    if (!name || n == TY_MAX_FIELDS)
      plain = true;
    else {
      names[n] = name;
      types[n++] = t;
    }
    val = ty_join(val, t);
    ws(c);
    if (word(c, "}"))
      break;
    if (!word(c, ","))
      return NULL;
  }
  return plain ? ty_dict(ty_str, val) : ty_record(names, types, n);
}

static Type *join(Type *a, Type *b);

static Type *array(Scan *c, Arena *a) {
  ws(c);
  if (word(c, "]"))
    return empty_list();
  Type *elem = NULL;
  for (;;) {
    Type *t = value(c, a);
    if (!t)
      return NULL;
    elem = join(elem, t);
    ws(c);
    if (word(c, "]"))
      return ty_list(elem);
    if (!word(c, ","))
      return NULL;
  }
}

static Type *value(Scan *c, Arena *a) {
  ws(c);
  if (c->s >= c->end || ++c->depth > MAX_DEPTH)
    return NULL;
  Type *t = NULL;
  const char *s;
  size_t n;
  bool esc;
  switch (*c->s) {
  case '{': c->s++; t = object(c, a); break;
  case '[': c->s++; t = array(c, a); break;
  case '"': t = string_span(c, &s, &n, &esc) ? ty_str : NULL; break;
  default:
    if (word(c, "true") || word(c, "false"))
      t = ty_bool;
    else if (word(c, "null"))
      t = ty_none;
    else if (word(c, "NaN") || word(c, "Infinity") || word(c, "-Infinity"))
      t = ty_float;
    else
      t = number(c);
  }
  c->depth--;
  return t;
}

/* ty_join, but an empty list gives way to any other list, also inside
 * lists and records. */
static Type *join_records(Type *a, Type *b) {
  const char *names[2 * TY_MAX_FIELDS];
  Type *types[2 * TY_MAX_FIELDS];
  int n = 0;
  for (int i = 0; i < a->nfields; i++) {
    Type *f = ty_field(b, a->fnames[i]);
    names[n] = a->fnames[i];
    types[n++] = f ? join(a->ftypes[i], f) : a->ftypes[i];
  }
  for (int i = 0; i < b->nfields; i++)
    if (!ty_field(a, b->fnames[i])) {
      names[n] = b->fnames[i];
      types[n++] = b->ftypes[i];
    }
  return ty_record(names, types, n);
}

static Type *join(Type *a, Type *b) {
  if (!a || a == b)
    return b;
  if (!b)
    return a;
  if (a == empty_list() && b->kind == TY_LIST)
    return b;
  if (b == empty_list() && a->kind == TY_LIST)
    return a;
  if (a->kind == TY_LIST && b->kind == TY_LIST)
    return ty_list(join(a->elem, b->elem));
  if (ty_is_record(a) && ty_is_record(b))
    return join_records(a, b);
  return ty_join(a, b);
}

/* The inferred type made final: empty lists left are list[any]. */
static Type *finish(Type *t) {
  if (!t)
    return ty_any;
  if (t == empty_list())
    return ty_list(ty_any);
  if (t->kind == TY_LIST)
    return ty_list(finish(t->elem));
  if (ty_is_record(t)) {
    Type *types[TY_MAX_FIELDS];
    for (int i = 0; i < t->nfields; i++)
      types[i] = finish(t->ftypes[i]);
    return ty_record(t->fnames, types, t->nfields);
  }
  if (t->kind == TY_DICT)
    return ty_dict(ty_str, finish(t->val));
  return t;
}

/* The joined type of the lines of TEXT[0, N), cut at DELIM. */
static Type *infer_text(Arena *a, const char *text, size_t n, const char *delim, size_t dlen,
                        Type *t) {
  const char *p = text, *end = text + n;
  while (p < end) {
    const char *eol = memmem(p, (size_t)(end - p), delim, dlen);
    const char *stop = eol ? eol : end;
    Scan c = {p, stop, 0};
    Type *line = value(&c, a);
    ws(&c);
    if (line && c.s == stop)
      t = join(t, line);
    p = eol ? eol + dlen : end;
  }
  return t;
}

/* The start of PATH: up to MAX bytes, cut after its last delimiter when
 * the file goes on; a first line longer than MAX is read whole (up to
 * LINE_MAX bytes). */
static char *sample(const char *path, size_t max, const char *delim, size_t dlen, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  size_t cap = max, got = 0;
  char *buf = NULL;
  bool more = true, cut = false;
  while (more && !cut) {
    char *nb = realloc(buf, cap + 1);
    if (!nb)
      break;
    buf = nb;
    got += fread(buf + got, 1, cap - got, f);
    more = got == cap && fgetc(f) != EOF && !fseek(f, -1, SEEK_CUR);
    cut = memmem(buf, got, delim, dlen) != NULL;
    if (more && !cut && cap < LINE_MAX)
      cap *= 2;
    else
      break;
  }
  fclose(f);
  if (!buf)
    return NULL;
  if (more) {
    size_t keep = 0;
    for (size_t i = 0; i + dlen <= got; i++)
      if (!memcmp(buf + i, delim, dlen))
        keep = i + dlen;
    got = keep;
  }
  *n = got;
  return buf;
}

Type *bag_json_type(Eval *e, Value **text_args, int nparts, Loc loc) {
  Arena *a = eval_arena(e);
  Type *t = NULL;
  size_t total = 0;
  const char *last = NULL;
  for (int i = 0; i < nparts && total < SAMPLE_TOTAL; i++) {
    Value *path = text_args[4 * i], *d = text_args[4 * i + 3];
    if (last && !strcmp(last, path->str.s))
      continue; /* the blocks of one file: its start is read once */
    last = path->str.s;
    const char *delim = d->kind == V_STR ? d->str.s : "\n";
    size_t dlen = d->kind == V_STR ? (size_t)d->str.len : 1, n;
    char *text = sample(path->str.s, SAMPLE_BYTES, delim, dlen, &n);
    if (!text)
      diag_error(loc, "read_text: cannot read '%s': %s", path->str.s, strerror(errno));
    t = infer_text(a, text, n, delim, dlen, t);
    total += n;
    free(text);
  }
  if (!t && total > 0)
    diag_error(loc, "taskc limit: json.loads over read_text needs a JSON line among the "
               "first %d bytes of the files to infer the records' type from, and none of "
               "the %zu bytes read is one", SAMPLE_BYTES, total);
  /* empty files: no element to type; a dict, checked if one appears */
  return ty_list(t ? ty_settle(finish(t)) : ty_dict(ty_str, ty_any));
}

/* The keys of the object on the first line of TEXT[0, N), in order, and
 * their values' types (to_dataframe's metadata); names NULL when that
 * line is not an object. */
static BagFirst first_record(Arena *a, const char *text, size_t n, const char *delim,
                             size_t dlen) {
  BagFirst f = {0};
  const char *eol = memmem(text, n, delim, dlen);
  Scan c = {text, eol ? eol : text + n, 0};
  ws(&c);
  if (!word(&c, "{"))
    return f;
  const char **names = ARENA_ARRAY(a, const char *, TY_MAX_FIELDS + 1);
  Type **types = ARENA_ARRAY(a, Type *, TY_MAX_FIELDS + 1);
  ws(&c);
  for (int i = 0; !word(&c, "}"); i++) {
    const char *k;
    size_t klen;
    bool esc;
    ws(&c);
    if (i == TY_MAX_FIELDS || !string_span(&c, &k, &klen, &esc) ||
        !(names[i] = decode_key(a, k, klen, esc)))
      return f;
    ws(&c);
    if (!word(&c, ":") || !(types[i] = value(&c, a)))
      return f;
    types[i] = finish(types[i]);
    f.n = i + 1;
    ws(&c);
    if (!word(&c, ",") && (c.s >= c.end || *c.s != '}'))
      return (BagFirst){0};
  }
  f.names = names;
  f.types = types;
  return f;
}

Bag *bag_json_records(Eval *e, Bag *b, const char *name, Loc loc) {
  Arena *a = eval_arena(e);
  Type *t = bag_json_type(e, b->text_args, b->nparts, loc);
  const char *desc = ty_desc(a, t);
  Bag *r = bag_alloc(e, name, b->nparts);
  Value *path = b->text_args[0], *d = b->text_args[3];
  if (b->nparts && b->text_args[1]->i == 0) { /* partition 0 starts its file */
    const char *delim = d->kind == V_STR ? d->str.s : "\n";
    size_t dlen = d->kind == V_STR ? (size_t)d->str.len : 1, n;
    char *text = sample(path->str.s, SAMPLE_BYTES, delim, dlen, &n);
    if (text)
      r->json_first = first_record(a, text, n, delim, dlen);
    free(text);
  }
  for (int i = 0; i < b->nparts; i++) {
    Value *args[5];
    memcpy(args, b->text_args + 4 * i, 4 * sizeof *args);
    args[4] = v_str(a, desc, (int)strlen(desc));
    r->parts[i] = eval_op_task(e, "bag.read_json", bag_key(e, name, i), args, 5, loc);
    /* Dask: read_text's tasks, then the map(json.loads) */
    pic_copy_sources(e, r->parts[i], b->parts[i]);
    pic_note_stages(e, r->parts[i], (const char *const *)&b->name, 1);
  }
  return r;
}
