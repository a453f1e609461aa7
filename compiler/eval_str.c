/* eval_str.c - string formatting and the str methods the top level needs
 * beyond eval_call.c's: f-strings, "fmt % args", str.format, join, find,
 * count, is*(). The text comes from ir/pyformat.c, the copy the runtime
 * uses in task bodies, so both give CPython's output. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eval_int.h"
#include "pyformat.h"

/* Formatting buffers live in the compilation's arena: a field whose
 * evaluation fails leaves through diag_error with buffers still open, and
 * must not leak them (the fuzzer runs many compilations in one process). */
static void *arena_grow(void *ctx, void *old, size_t oldsize, size_t newsize) {
  return arena_realloc(ctx, old, oldsize, newsize);
}

static PyfBuf ebuf(Eval *e) { return (PyfBuf){.grow = arena_grow, .ctx = e->a}; }

/* A value as pyformat sees it; lists, dicts, ... come pre-rendered. */
static void to_arg(Eval *e, Value *v, Loc loc, PyfArg *a) {
  *a = (PyfArg){0};
  switch (v->kind) {
  case V_NONE: a->kind = PYF_NONE; break;
  case V_BOOL: a->kind = PYF_BOOL; a->i = v->b; break;
  case V_INT: a->kind = PYF_INT; a->i = v->i; break;
  case V_FLOAT: a->kind = PYF_FLOAT; a->f = v->f; break;
  case V_BIG: { /* pyformat.h: digits, sign and float value of a big */
    bool neg = v->str.s[0] == '-';
    a->kind = PYF_INT;
    a->s = v->str.s + neg;
    a->n = (size_t)v->str.len - neg;
    a->i = neg ? -1 : 1;
    a->f = strtod(v->str.s, NULL);
    if (isinf(a->f))
      a->f = NAN;
    break;
  }
  case V_STR:
    a->kind = PYF_STR;
    a->s = v->str.s;
    a->n = (size_t)v->str.len;
    break;
  case V_DELAYED:
  case V_COMPUTED:
    eval_runtime_only(e, v, loc, "formatting needs its value; format it inside a task");
  default:
    a->kind = PYF_OTHER;
    a->s = v_str_of(e->a, v);
    a->n = strlen(a->s);
    a->r = v_repr(e->a, v);
    a->rn = strlen(a->r);
    a->type = v_type_name(v);
    break;
  }
}

/* The buffer as a str value (the buffer is freed). */
static Value *take_str(Eval *e, PyfBuf *b, Loc loc) {
  if (b->len > 0x7fffffff)
    diag_error(loc, "the formatted string is too long");
  eval_step(e, loc, (long)(b->len / 64));
  Value *v = v_str(e->a, b->p ? b->p : "", (int)b->len);
  pyf_free(b);
  return v;
}

/* format(v, spec) after the conversion (!r !s !a make a str first). */
static void format_into(Eval *e, PyfBuf *out, Value *v, char conv, const char *spec,
                        size_t specn, Loc loc) {
  PyfArg a;
  to_arg(e, v, loc, &a);
  PyfBuf conv_buf = ebuf(e);
  if (conv) {
    if (conv == 's')
      pyf_str(&conv_buf, &a);
    else
      pyf_repr(&conv_buf, &a); /* 'a' is repr: taskc strings are kept as bytes */
    a = (PyfArg){.kind = PYF_STR, .s = conv_buf.p ? conv_buf.p : "", .n = conv_buf.len};
  }
  char err[PYF_ERR];
  bool ok = pyf_format(out, &a, spec, specn, err);
  pyf_free(&conv_buf);
  if (!ok) {
    pyf_free(out);
    diag_error(loc, "%s", err);
  }
}

/* ---- f-strings ---- */

static void fstring_into(Eval *e, Node *n, PyfBuf *out);
static void ffield_value_into(Eval *e, Node *f, Value *v, PyfBuf *out);

static void ffield_into(Eval *e, Node *f, PyfBuf *out) {
  Value *v = eval_expr(e, f->lhs);
  if (v->kind == V_COMPUTED) /* a spec f"{x:{w}}" must be known now */
    eval_runtime_only(e, v, f->loc, "a format spec needs its value");
  ffield_value_into(e, f, v, out);
}

static void ffield_value_into(Eval *e, Node *f, Value *v, PyfBuf *out) {
  if (!f->rhs) {
    if (!f->ival && v->kind == V_STR) { /* the common f"{name}" */
      pyf_put(out, v->str.s, (size_t)v->str.len);
      return;
    }
    if (!f->ival && v->kind == V_INT) {
      char tmp[24];
      int k = snprintf(tmp, sizeof tmp, "%lld", (long long)v->i);
      pyf_put(out, tmp, (size_t)k);
      return;
    }
    format_into(e, out, v, (char)f->ival, "", 0, f->loc);
    return;
  }
  if (f->rhs->kind == N_STR) {
    format_into(e, out, v, (char)f->ival, f->rhs->str, (size_t)f->rhs->len, f->loc);
    return;
  }
  PyfBuf spec = ebuf(e);
  fstring_into(e, f->rhs, &spec);
  format_into(e, out, v, (char)f->ival, spec.p ? spec.p : "", spec.len, f->loc);
  pyf_free(&spec);
}

static void fstring_into(Eval *e, Node *n, PyfBuf *out) {
  for (int i = 0; i < n->nitems; i++) {
    Node *p = n->items[i];
    if (p->kind == N_STR)
      pyf_put(out, p->str, (size_t)p->len);
    else
      ffield_into(e, p, out);
  }
}

/* The spec of field f as a str known now. */
static Value *field_spec(Eval *e, Node *f) {
  if (!f->rhs)
    return v_str(e->a, "", 0);
  if (f->rhs->kind == N_STR)
    return v_str(e->a, f->rhs->str, f->rhs->len);
  PyfBuf spec = ebuf(e);
  fstring_into(e, f->rhs, &spec);
  return take_str(e, &spec, f->loc);
}

/* acc + s, where acc may be a run-time value (NULL: nothing yet). */
static Value *append(Eval *e, Value *acc, Value *s, Loc loc) {
  if (!acc)
    return s;
  if (s->kind == V_STR && !s->str.len)
    return acc;
  return eval_runval_binop(e, OP_ADD, acc, s, loc, false);
}

/* A field that is a run-time value makes the rest of the string a
 * run-time value: the text so far + format(value, spec) + ... as tasks. */
Value *eval_fstring(Eval *e, Node *n) {
  PyfBuf out = ebuf(e);
  Value *acc = NULL;
  for (int i = 0; i < n->nitems; i++) {
    Node *p = n->items[i];
    if (p->kind == N_STR) {
      pyf_put(&out, p->str, (size_t)p->len);
      continue;
    }
    Value *v = eval_expr(e, p->lhs);
    if (v->kind != V_COMPUTED) {
      ffield_value_into(e, p, v, &out);
      continue;
    }
    Value *text = take_str(e, &out, n->loc);
    out = ebuf(e);
    Value *fv = eval_runval_format(e, v, (int)p->ival, field_spec(e, p), p->loc);
    acc = append(e, acc, text, n->loc);
    acc = acc->kind == V_STR && !acc->str.len
              ? fv : eval_runval_binop(e, OP_ADD, acc, fv, p->loc, false);
  }
  return append(e, acc, take_str(e, &out, n->loc), n->loc);
}

/* ---- fmt % args ---- */

Value *eval_str_percent(Eval *e, Value *fmt, Value *args, Loc loc) {
  if (args->kind == V_DICT)
    diag_error(loc, "%%-formatting with a dict (%%(name)s) is a taskc limit: use an f-string");
  Value **items = &args;
  int n = 1;
  if (args->kind == V_TUPLE) {
    items = args->seq.items;
    n = args->seq.n;
  }
  PyfArg *pa = ARENA_ARRAY(e->a, PyfArg, n + 1); /* to_arg may fail */
  for (int i = 0; i < n; i++)
    to_arg(e, items[i], loc, &pa[i]);
  PyfBuf out = ebuf(e);
  char err[PYF_ERR];
  bool ok = pyf_percent(&out, fmt->str.s, (size_t)fmt->str.len, pa, (size_t)n, err);
  if (!ok) {
    pyf_free(&out);
    diag_error(loc, "%s", err);
  }
  return take_str(e, &out, loc);
}

/* ---- str.format ---- */

typedef struct FmtState {
  Args *a;
  int auto_next; /* -1 once a field was numbered by hand */
  bool manual;
} FmtState;

static Value *field_value(Eval *e, FmtState *st, const PyfField *f) {
  Args *a = st->a;
  for (size_t i = 0; i < f->namen; i++)
    if (f->name[i] == '.' || f->name[i] == '[')
      diag_error(a->loc, "str.format field '%.*s': indexing and attributes in a field are a "
                         "taskc limit (compute the value first)", (int)f->namen, f->name);
  if (f->namen == 0) {
    if (st->manual)
      diag_error(a->loc, "cannot switch from manual field specification to automatic field "
                         "numbering");
    int k = st->auto_next++;
    if (k >= a->npos)
      diag_error(a->loc, "Replacement index %d out of range for positional args tuple", k);
    return a->pos[k];
  }
  int64_t k = pyf_field_index(f->name, f->namen);
  if (k >= 0) {
    if (st->auto_next > 0)
      diag_error(a->loc, "cannot switch from automatic field numbering to manual field "
                         "specification");
    st->manual = true;
    if (k >= a->npos)
      diag_error(a->loc, "Replacement index %lld out of range for positional args tuple",
                 (long long)k);
    return a->pos[k];
  }
  for (int i = 0; i < a->nkw; i++)
    if (strlen(a->kw_names[i]) == f->namen && !memcmp(a->kw_names[i], f->name, f->namen))
      return a->kw[i];
  diag_error(a->loc, "KeyError: '%.*s'", (int)f->namen, f->name);
}

static void template_into(Eval *e, FmtState *st, const char *t, size_t n, PyfBuf *out,
                          int depth) {
  size_t pos = 0;
  PyfBuf lit = ebuf(e);
  PyfField f;
  char err[PYF_ERR];
  int r;
  while ((r = pyf_template_next(t, n, &pos, &lit, &f, err)) == 1) {
    pyf_put(out, lit.p ? lit.p : "", lit.len);
    if (!f.has_field)
      continue;
    if (depth > 1) {
      pyf_free(&lit);
      diag_error(st->a->loc, "Max string recursion exceeded");
    }
    Value *v = field_value(e, st, &f);
    PyfBuf spec = ebuf(e);
    template_into(e, st, f.spec, f.specn, &spec, depth + 1);
    format_into(e, out, v, f.conv, spec.p ? spec.p : "", spec.len, st->a->loc);
    pyf_free(&spec);
  }
  pyf_free(&lit);
  if (r < 0)
    diag_error(st->a->loc, "%s", err);
}

static Value *str_format(Eval *e, Value *s, Args *a) {
  for (int i = 0; i < a->npos; i++)
    if (!a->pos_node || a->pos_node[i] == NULL)
      diag_error(a->loc, "str.format(*args) is a taskc limit: pass the arguments one by one");
  FmtState st = {.a = a};
  PyfBuf out = ebuf(e);
  template_into(e, &st, s->str.s, (size_t)s->str.len, &out, 0);
  return take_str(e, &out, a->loc);
}

/* ---- other methods ---- */

static Value *str_join(Eval *e, Value *s, Args *a) {
  eval_args_no_kw(e, a, "join");
  eval_args_count(e, a, "join", 1, 1);
  int n;
  Value **items = eval_iterate(e, a->pos[0], a->pos_loc[0], &n);
  PyfBuf out = ebuf(e);
  for (int i = 0; i < n; i++) {
    if (items[i]->kind != V_STR) {
      pyf_free(&out);
      diag_error(a->pos_loc[0], "sequence item %d: expected str instance, %s found", i,
                 v_type_name(items[i]));
    }
    if (i)
      pyf_put(&out, s->str.s, (size_t)s->str.len);
    pyf_put(&out, items[i]->str.s, (size_t)items[i]->str.len);
  }
  return take_str(e, &out, a->loc);
}

/* s.find/count(sub[, start[, end]]): the window [lo, hi) of s. */
static void window(Eval *e, Value *s, Args *a, const char *m, int64_t *lo, int64_t *hi) {
  int64_t len = s->str.len;
  *lo = 0;
  *hi = len;
  for (int k = 1; k < a->npos && k < 3; k++) {
    if (a->pos[k]->kind == V_NONE)
      continue;
    int64_t v = eval_need_int(e, a->pos[k], a->pos_loc[k], m);
    if (v < 0)
      v = v + len < 0 ? 0 : v + len;
    if (v > len)
      v = len;
    *(k == 1 ? lo : hi) = v;
  }
}

static Value *find_count(Eval *e, Value *s, Args *a, const char *m) {
  eval_args_no_kw(e, a, m);
  eval_args_count(e, a, m, 1, 3);
  Value *sub = a->pos[0];
  if (sub->kind != V_STR)
    diag_error(a->pos_loc[0], "must be str, not %s", v_type_name(sub));
  int64_t lo, hi, k = sub->str.len, count = 0;
  window(e, s, a, m, &lo, &hi);
  eval_step(e, a->loc, (long)(s->str.len / 64));
  bool find = m[0] == 'f' || m[0] == 'i';
  for (int64_t i = lo; i + k <= hi;) {
    if (!memcmp(s->str.s + i, sub->str.s, (size_t)k)) {
      if (find)
        return eval_mk_int(e, i);
      count++;
      i += k ? k : 1;
    } else {
      i++;
    }
  }
  if (!find)
    return eval_mk_int(e, k == 0 && hi >= lo ? hi - lo + 1 : count);
  if (m[0] == 'i')
    diag_error(a->loc, "substring not found");
  return eval_mk_int(e, -1);
}

/* isdigit/isalpha/isspace/isalnum: ASCII classes (strings are bytes). */
static Value *is_class(Eval *e, Value *s, Args *a, const char *m) {
  eval_args_no_kw(e, a, m);
  eval_args_count(e, a, m, 0, 0);
  if (s->str.len == 0)
    return v_bool(false);
  for (int i = 0; i < s->str.len; i++) {
    unsigned char c = (unsigned char)s->str.s[i];
    bool digit = c >= '0' && c <= '9', alpha = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    bool space = c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
    bool ok = m[2] == 'd' ? digit : m[2] == 's' ? space : m[4] == 'n' ? digit || alpha : alpha;
    if (!ok)
      return v_bool(false);
  }
  return v_bool(true);
}

Value *eval_str_method_more(Eval *e, Value *s, const char *m, Args *a) {
  if (!strcmp(m, "format"))
    return str_format(e, s, a);
  if (!strcmp(m, "join"))
    return str_join(e, s, a);
  if (!strcmp(m, "find") || !strcmp(m, "count") || !strcmp(m, "index"))
    return find_count(e, s, a, m);
  if (!strcmp(m, "isdigit") || !strcmp(m, "isalpha") || !strcmp(m, "isspace") ||
      !strcmp(m, "isalnum"))
    return is_class(e, s, a, m);
  return NULL;
}
