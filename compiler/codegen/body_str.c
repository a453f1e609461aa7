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

static bool join_display(FnBody *f, Node *arg);
static LLVMValueRef join_items(FnBody *f, LLVMValueRef sep, Node *arg);

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
    if (join_display(f, n->items[0])) {
      r = join_items(f, s, n->items[0]);
      break;
    }
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

/* ---- split and join without the intermediate list ---- */

static bool is_split(FnBody *f, Node *n) {
  if (n->kind != N_CALL || n->lhs->kind != N_ATTR)
    return false;
  NodeInfo *ni = sema_info(f->spec, n); /* `for i in range(n)`: none */
  return ni && ni->method == SEMA_M_STR + STR_SPLIT;
}

/* An index that evaluates without effects (a literal or a name), so that
 * evaluating it before the split, not after, cannot change what fails. */
static bool plain_index(FnBody *f, Node *i) {
  if (body_type(f, i) != ty_int)
    return false;
  if (i->kind == N_UNARY && i->op == OP_NEG)
    i = i->lhs;
  return i->kind == N_INT || i->kind == N_NAME;
}

bool body_str_split_fusable(FnBody *f, Node *n, Node *index) {
  return is_split(f, n) && (!index || plain_index(f, index));
}

/* s.split(sep, maxsplit)[index] (index set) or len(s.split(...)) (index
 * NULL) in one runtime call that makes only the piece asked for: the list
 * is never built (split is the hot path of text processing). */
LLVMValueRef body_str_split_with(FnBody *f, Node *n, const char *rt, LLVMTypeRef ret,
                                 LLVMValueRef *before, int nb, LLVMValueRef *after, int na) {
  Held h = {0};
  LLVMValueRef a[12];
  LLVMTypeRef pt[12];
  if (nb) /* memcpy from NULL is undefined even for 0 bytes */
    memcpy(a, before, sizeof *a * (size_t)nb);
  a[nb] = hold(f, &h, n->lhs->lhs);
  a[nb + 1] = opt_str(f, &h, n, 0);
  a[nb + 2] = opt_int(f, n, 1, -1);
  if (na)
    memcpy(a + nb + 3, after, sizeof *a * (size_t)na);
  for (int i = 0; i < nb + 3 + na; i++)
    pt[i] = LLVMTypeOf(a[i]);
  LLVMValueRef r = body_call(f, rt, ret, pt, (unsigned)(nb + 3 + na), a);
  release_all(f, &h);
  return r;
}

LLVMValueRef body_str_split_use(FnBody *f, Node *n, Node *index) {
  if (!index)
    return body_str_split_with(f, n, "tr_str_split_count", f->cg->t_i64, NULL, 0, NULL, 0);
  LLVMValueRef k = body_expr_as(f, index, ty_int); /* plain: no effects */
  return body_str_split_with(f, n, "tr_str_split_item", f->cg->t_ptr, NULL, 0, &k, 1);
}

/* sep.join([a, b, ...]) of a display of strs: the items are passed as an
 * array of borrowed TrStr pointers, not as a new list. */
static bool join_display(FnBody *f, Node *arg) {
  if (arg->kind != N_LIST || arg->nitems == 0)
    return false;
  for (int i = 0; i < arg->nitems; i++)
    if (arg->items[i]->kind == N_STARRED || body_type(f, arg->items[i]) != ty_str)
      return false;
  return true;
}

static LLVMValueRef join_items(FnBody *f, LLVMValueRef sep, Node *arg) {
  Cg *cg = f->cg;
  int n = arg->nitems;
  LLVMTypeRef at = LLVMArrayType2(cg->t_ptr, (unsigned)n);
  LLVMValueRef arr = body_alloca(f, at, "join.items");
  LLVMValueRef *vals = ARENA_ARRAY(cg->a, LLVMValueRef, n);
  for (int i = 0; i < n; i++) {
    vals[i] = body_expr(f, arg->items[i]);
    LLVMValueRef idx[] = {body_i64(f, 0), body_i64(f, i)};
    LLVMBuildStore(f->b, vals[i], LLVMBuildInBoundsGEP2(f->b, at, arr, idx, 2, ""));
  }
  LLVMValueRef a[] = {sep, arr, body_i64(f, n)};
  LLVMValueRef r = call_rt(f, "tr_str_join_strs", cg->t_ptr, a, 3, "ppi");
  for (int i = 0; i < n; i++)
    body_release(f, arg->items[i], vals[i]);
  return r;
}

/* A TrFmtPiece array of n entries on the stack, and a store into one. */
static LLVMTypeRef piece_type(FnBody *f) {
  LLVMTypeRef el[] = {f->cg->t_ptr, f->cg->t_ptr, f->cg->t_ptr, f->cg->t_i64};
  return LLVMStructTypeInContext(f->cg->ctx, el, 4, 0);
}

static void set_piece(FnBody *f, LLVMValueRef arr, int i, LLVMValueRef lit, LLVMValueRef val,
                      LLVMValueRef spec, int64_t conv) {
  LLVMTypeRef pt = piece_type(f);
  LLVMValueRef at = LLVMBuildInBoundsGEP2(f->b, pt, arr, (LLVMValueRef[]){body_i64(f, i)}, 1, "");
  LLVMValueRef fields[] = {lit, val, spec, body_i64(f, conv)};
  for (unsigned k = 0; k < 4; k++)
    LLVMBuildStore(f->b, fields[k], LLVMBuildStructGEP2(f->b, pt, at, k, ""));
}

static LLVMValueRef pieces_alloca(FnBody *f, int n) {
  return body_alloca(f, LLVMArrayType2(piece_type(f), (unsigned)(n ? n : 1)), "pieces");
}

static LLVMValueRef build(FnBody *f, LLVMValueRef arr, int n) {
  LLVMValueRef a[] = {arr, body_i64(f, n)};
  return call_rt(f, "tr_str_build", f->cg->t_ptr, a, 2, "pi");
}

/* The pieces are evaluated left to right into one TrFmtPiece array, and
 * the runtime formats them into one new str (one allocation); the field
 * values and computed specs are released after. */
LLVMValueRef body_fstring(FnBody *f, Node *n) {
  LLVMValueRef arr = pieces_alloca(f, n->nitems);
  LLVMValueRef *vals = ARENA_ARRAY(f->cg->a, LLVMValueRef, n->nitems + 1);
  LLVMValueRef *specs = ARENA_ARRAY(f->cg->a, LLVMValueRef, n->nitems + 1);
  for (int i = 0; i < n->nitems; i++) {
    Node *p = n->items[i];
    if (p->kind == N_STR) {
      set_piece(f, arr, i, body_str_const(f, p->str, p->len), null_ptr(f), null_ptr(f), 0);
      continue;
    }
    vals[i] = body_expr(f, p->lhs);
    specs[i] = p->rhs ? body_expr(f, p->rhs) : null_ptr(f);
    set_piece(f, arr, i, null_ptr(f), boxed(f, body_type(f, p->lhs), vals[i]), specs[i],
              p->ival);
  }
  LLVMValueRef r = build(f, arr, n->nitems);
  for (int i = 0; i < n->nitems; i++) {
    Node *p = n->items[i];
    if (p->kind == N_STR)
      continue;
    body_release(f, p->lhs, vals[i]);
    if (p->rhs)
      body_release(f, p->rhs, specs[i]);
  }
  return r;
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
  /* count the pieces first: the array is sized before it is filled */
  size_t pos = 0;
  PyfBuf lit = {0};
  PyfField fld;
  char err[PYF_ERR];
  int np = 0, auto_next = 0;
  while (pyf_template_next(t->str, (size_t)t->len, &pos, &lit, &fld, err) == 1)
    np += (lit.len > 0) + fld.has_field;
  LLVMValueRef arr = pieces_alloca(f, np);
  pos = 0;
  int i = 0;
  while (pyf_template_next(t->str, (size_t)t->len, &pos, &lit, &fld, err) == 1) {
    if (lit.len)
      set_piece(f, arr, i++, body_str_const(f, lit.p, (int)lit.len), null_ptr(f), null_ptr(f),
                0);
    if (!fld.has_field)
      continue;
    Node *x = sema_str_format_arg(n, &fld, &auto_next);
    int k = 0;
    while (args[k] != x)
      k++;
    LLVMValueRef spec = fld.specn ? body_str_const(f, fld.spec, (int)fld.specn) : null_ptr(f);
    set_piece(f, arr, i++, null_ptr(f), boxed(f, body_type(f, x), vals[k]), spec, fld.conv);
  }
  free(lit.p);
  LLVMValueRef r = build(f, arr, np);
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
