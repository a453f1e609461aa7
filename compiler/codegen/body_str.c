/* body_str.c - strings in function bodies; see body_str.h. Arguments are
 * evaluated left to right (the receiver first), passed borrowed, and the
 * temporaries among them released after the call. */
#include <stdlib.h>
#include <string.h>

#include "../sema_str.h"
#include "body_str.h"

static LLVMValueRef null_ptr(FnBody *f) { return LLVMConstNull(f->cg->t_ptr); }

/* A TrValue on the stack holding v of type t (borrowed). */
static LLVMValueRef boxed(FnBody *f, Type *t, LLVMValueRef v) {
  LLVMValueRef p = body_alloca(f, f->cg->t_value, "fmt.arg");
  cg_box(f->cg, t, v, p);
  return p;
}

static LLVMValueRef call_rt(FnBody *f, const char *name, LLVMTypeRef ret, LLVMValueRef *args,
                            unsigned n, const char *kinds) {
  Cg *cg = f->cg;
  LLVMTypeRef pt[8];
  for (unsigned i = 0; i < n; i++)
    pt[i] = kinds[i] == 'p' ? cg->t_ptr : cg->t_i64;
  return body_call(f, name, ret, pt, n, args);
}

/* The evaluated arguments of a call, for release after it. */
typedef struct Held {
  Node *node[4];
  LLVMValueRef val[4];
  int n;
} Held;

static LLVMValueRef hold(FnBody *f, Held *h, Node *n) {
  LLVMValueRef v = body_expr(f, n);
  h->node[h->n] = n;
  h->val[h->n++] = v;
  return v;
}

static void release_all(FnBody *f, Held *h) {
  for (int i = 0; i < h->n; i++)
    body_release(f, h->node[i], h->val[i]);
}

/* Optional argument i: a str (NULL when absent or None). */
static LLVMValueRef opt_str(FnBody *f, Held *h, Node *n, int i) {
  if (i >= n->nitems)
    return null_ptr(f);
  LLVMValueRef v = hold(f, h, n->items[i]);
  return body_type(f, n->items[i]) == ty_none ? null_ptr(f) : v;
}

/* Optional argument i: an int (dflt when absent or None). */
static LLVMValueRef opt_int(FnBody *f, Node *n, int i, int64_t dflt) {
  if (i >= n->nitems || body_type(f, n->items[i]) == ty_none) {
    if (i < n->nitems)
      body_expr(f, n->items[i]);
    return body_i64(f, dflt);
  }
  return body_expr_as(f, n->items[i], ty_int);
}

static LLVMValueRef to_bool(FnBody *f, LLVMValueRef v) {
  return LLVMBuildICmp(f->b, LLVMIntNE, v, body_i64(f, 0), "");
}

static LLVMValueRef method(FnBody *f, Node *n, int m) {
  Cg *cg = f->cg;
  Held h = {0};
  LLVMValueRef s = hold(f, &h, n->lhs->lhs), r;
  switch (m) {
  case STR_SPLIT: {
    LLVMValueRef sep = opt_str(f, &h, n, 0);
    LLVMValueRef a[] = {s, sep, opt_int(f, n, 1, -1)};
    r = call_rt(f, "tr_str_split", cg->t_ptr, a, 3, "ppi");
    break;
  }
  case STR_JOIN: {
    LLVMValueRef a[] = {s, hold(f, &h, n->items[0])};
    r = call_rt(f, "tr_str_join", cg->t_ptr, a, 2, "pp");
    break;
  }
  case STR_STRIP: case STR_LSTRIP: case STR_RSTRIP: {
    LLVMValueRef a[] = {s, opt_str(f, &h, n, 0),
                        body_i64(f, m == STR_STRIP ? 3 : m == STR_LSTRIP ? 1 : 2)};
    r = call_rt(f, "tr_str_strip", cg->t_ptr, a, 3, "ppi");
    break;
  }
  case STR_LOWER: case STR_UPPER: {
    LLVMValueRef a[] = {s, body_i64(f, m == STR_UPPER)};
    r = call_rt(f, "tr_str_case", cg->t_ptr, a, 2, "pi");
    break;
  }
  case STR_REPLACE: {
    LLVMValueRef old = hold(f, &h, n->items[0]), new_ = hold(f, &h, n->items[1]);
    LLVMValueRef a[] = {s, old, new_, opt_int(f, n, 2, -1)};
    r = call_rt(f, "tr_str_replace", cg->t_ptr, a, 4, "pppi");
    break;
  }
  case STR_STARTSWITH: case STR_ENDSWITH: {
    LLVMValueRef a[] = {s, hold(f, &h, n->items[0]), body_i64(f, m == STR_ENDSWITH)};
    r = to_bool(f, call_rt(f, "tr_str_affix", cg->t_i64, a, 3, "ppi"));
    break;
  }
  case STR_FIND: case STR_RFIND: case STR_INDEX: case STR_RINDEX: case STR_COUNT: {
    LLVMValueRef sub = hold(f, &h, n->items[0]);
    LLVMValueRef lo = opt_int(f, n, 1, INT64_MIN), hi = opt_int(f, n, 2, INT64_MIN);
    LLVMValueRef a[] = {s, sub, lo, hi, body_i64(f, m - STR_FIND)};
    r = call_rt(f, "tr_str_find", cg->t_i64, a, 5, "ppiii");
    break;
  }
  default: { /* is*() */
    static const char cls[] = {[STR_ISDIGIT - STR_ISDIGIT] = 'd', [STR_ISALPHA - STR_ISDIGIT] = 'a',
                               [STR_ISSPACE - STR_ISDIGIT] = 's', [STR_ISALNUM - STR_ISDIGIT] = 'n',
                               [STR_ISUPPER - STR_ISDIGIT] = 'u', [STR_ISLOWER - STR_ISDIGIT] = 'l'};
    LLVMValueRef a[] = {s, body_i64(f, cls[m - STR_ISDIGIT])};
    r = to_bool(f, call_rt(f, "tr_str_is", cg->t_i64, a, 2, "pi"));
    break;
  }
  }
  release_all(f, &h);
  return r;
}

/* tr_str_format(v, spec, conv) of node x's value (released after). */
static LLVMValueRef format_value(FnBody *f, Node *x, LLVMValueRef spec, char conv) {
  LLVMValueRef v = body_expr(f, x);
  LLVMValueRef a[] = {boxed(f, body_type(f, x), v), spec, body_i64(f, conv)};
  LLVMValueRef r = call_rt(f, "tr_str_format", f->cg->t_ptr, a, 3, "ppi");
  body_release(f, x, v);
  return r;
}

/* The concatenation of parts[0..n) (each a new or immortal TrStr). */
static LLVMValueRef concat(FnBody *f, LLVMValueRef *parts, int n) {
  Cg *cg = f->cg;
  LLVMValueRef arr = body_alloca(f, LLVMArrayType2(cg->t_ptr, (unsigned)(n ? n : 1)), "parts");
  for (int i = 0; i < n; i++)
    LLVMBuildStore(f->b, parts[i],
                   LLVMBuildInBoundsGEP2(f->b, cg->t_ptr, arr, (LLVMValueRef[]){body_i64(f, i)},
                                         1, ""));
  LLVMValueRef a[] = {arr, body_i64(f, n)};
  return call_rt(f, "tr_str_concat", cg->t_ptr, a, 2, "pi");
}

LLVMValueRef body_fstring(FnBody *f, Node *n) {
  LLVMValueRef *parts = ARENA_ARRAY(f->cg->a, LLVMValueRef, n->nitems + 1);
  for (int i = 0; i < n->nitems; i++) {
    Node *p = n->items[i];
    if (p->kind == N_STR) {
      parts[i] = body_str_const(f, p->str, p->len);
      continue;
    }
    LLVMValueRef spec = p->rhs ? body_expr(f, p->rhs) : null_ptr(f);
    parts[i] = format_value(f, p->lhs, spec, (char)p->ival);
    if (p->rhs)
      body_release(f, p->rhs, spec);
  }
  return concat(f, parts, n->nitems);
}

/* "template".format(...): the arguments first (left to right), then the
 * pieces, as Python does. */
static LLVMValueRef format_method(FnBody *f, Node *n) {
  Node *t = n->lhs->lhs;
  int nargs = n->nitems + n->nkws;
  Node **args = ARENA_ARRAY(f->cg->a, Node *, nargs + 1);
  LLVMValueRef *vals = ARENA_ARRAY(f->cg->a, LLVMValueRef, nargs + 1);
  for (int i = 0; i < nargs; i++) {
    args[i] = i < n->nitems ? n->items[i] : n->kws[i - n->nitems]->lhs;
    vals[i] = body_expr(f, args[i]);
  }
  int cap = 8, np = 0, auto_next = 0;
  LLVMValueRef *parts = malloc(sizeof(LLVMValueRef) * (size_t)cap);
  size_t pos = 0;
  PyfBuf lit = {0};
  PyfField fld;
  char err[PYF_ERR];
  while (pyf_template_next(t->str, (size_t)t->len, &pos, &lit, &fld, err) == 1) {
    if (np + 2 > cap)
      parts = realloc(parts, sizeof(LLVMValueRef) * (size_t)(cap *= 2));
    if (!parts)
      abort();
    if (lit.len)
      parts[np++] = body_str_const(f, lit.p, (int)lit.len);
    if (!fld.has_field)
      continue;
    Node *x = sema_str_format_arg(n, &fld, &auto_next);
    int k = 0;
    while (args[k] != x)
      k++;
    LLVMValueRef spec = fld.specn ? body_str_const(f, fld.spec, (int)fld.specn) : null_ptr(f);
    LLVMValueRef a[] = {boxed(f, body_type(f, x), vals[k]), spec, body_i64(f, fld.conv)};
    parts[np++] = call_rt(f, "tr_str_format", f->cg->t_ptr, a, 3, "ppi");
  }
  free(lit.p);
  LLVMValueRef r = concat(f, parts, np);
  free(parts);
  for (int i = 0; i < nargs; i++)
    body_release(f, args[i], vals[i]);
  return r;
}

LLVMValueRef body_str_call(FnBody *f, Node *n, int which) {
  if (which == STR_FORMAT)
    return format_method(f, n);
  if (which == STR_TO_INT || which == STR_TO_FLOAT) {
    Node *x = n->items[0];
    LLVMValueRef v = body_expr(f, x);
    LLVMValueRef r = which == STR_TO_INT ? call_rt(f, "tr_str_int", f->cg->t_i64, &v, 1, "p")
                                         : call_rt(f, "tr_str_float", f->cg->t_f64, &v, 1, "p");
    body_release(f, x, v);
    return r;
  }
  if (which == STR_REPR) {
    Node *x = n->items[0];
    LLVMValueRef v = body_expr(f, x);
    LLVMValueRef a[] = {boxed(f, body_type(f, x), v)};
    LLVMValueRef r = call_rt(f, "tr_str_repr", f->cg->t_ptr, a, 1, "p");
    body_release(f, x, v);
    return r;
  }
  if (which == STR_FORMAT_BUILTIN) {
    Node *x = n->items[0];
    LLVMValueRef v = body_expr(f, x);
    LLVMValueRef spec = n->nitems > 1 ? body_expr(f, n->items[1]) : null_ptr(f);
    LLVMValueRef a[] = {boxed(f, body_type(f, x), v), spec, body_i64(f, 0)};
    LLVMValueRef r = call_rt(f, "tr_str_format", f->cg->t_ptr, a, 3, "ppi");
    body_release(f, x, v);
    if (n->nitems > 1)
      body_release(f, n->items[1], spec);
    return r;
  }
  return method(f, n, which);
}

LLVMValueRef body_str_binop(FnBody *f, OpCode op, LLVMValueRef l, Type *lt, LLVMValueRef r,
                            Type *rt) {
  Cg *cg = f->cg;
  if (op == OP_MUL) {
    bool str_left = lt == ty_str;
    LLVMValueRef a[] = {str_left ? l : r,
                        body_conv(f, str_left ? r : l, str_left ? rt : lt, ty_int)};
    return call_rt(f, "tr_str_repeat", cg->t_ptr, a, 2, "pi");
  }
  /* fmt % args: a tuple's items are the arguments, anything else is one */
  LLVMValueRef items, count;
  if (rt->kind == TY_TUPLE) {
    items = body_load_at(f, cg->t_ptr, r, 24);
    count = body_load_at(f, cg->t_i64, r, 8);
  } else {
    items = boxed(f, rt, r);
    count = body_i64(f, 1);
  }
  LLVMValueRef a[] = {l, items, count};
  return call_rt(f, "tr_str_percent", cg->t_ptr, a, 3, "ppi");
}

LLVMValueRef body_str_slice(FnBody *f, Node *n) {
  Node *s = n->rhs;
  LLVMValueRef base = body_expr(f, n->lhs);
  Node *parts[] = {s->lhs, s->rhs, s->els};
  LLVMValueRef v[3];
  for (int i = 0; i < 3; i++) {
    int64_t dflt = i == 2 ? 1 : INT64_MIN;
    if (!parts[i] || body_type(f, parts[i]) == ty_none) {
      if (parts[i])
        body_expr(f, parts[i]);
      v[i] = body_i64(f, dflt);
    } else {
      v[i] = body_expr_as(f, parts[i], ty_int);
    }
  }
  LLVMValueRef a[] = {base, v[0], v[1], v[2]};
  LLVMValueRef r = call_rt(f, "tr_str_slice", f->cg->t_ptr, a, 4, "piii");
  body_release(f, n->lhs, base);
  return r;
}
