/* cmp.c - Python's ==, <, truthiness and iteration over TrValues.
 *
 * bool, int and float compare as numbers (1 == 1.0 == True); an int and a
 * float compare exactly through long double (64-bit mantissa on x86-64).
 * Sequences compare lexicographically: first unequal item decides. */
#include <math.h>
#include <string.h>

#include "bigint_weak.h"
#include "rt.h"

static inline bool is_num(const TrValue *v) {
  return v->tag == TR_BOOL || v->tag == TR_INT || v->tag == TR_FLOAT;
}

/* -1, 0, 1, or 2 when unordered (NaN). */
static int num_cmp(const TrValue *a, const TrValue *b) {
  if (a->tag != TR_FLOAT && b->tag != TR_FLOAT) {
    if (tr_big(a->u.i) || tr_big(b->u.i))
      return (int)tr_int_cmp_slow(a->u.i, b->u.i);
    return a->u.i < b->u.i ? -1 : a->u.i > b->u.i;
  }
  if (a->tag != TR_FLOAT && tr_big(a->u.i))
    return (int)tr_int_float_cmp(a->u.i, b->u.f);
  if (b->tag != TR_FLOAT && tr_big(b->u.i)) {
    int c = (int)tr_int_float_cmp(b->u.i, a->u.f);
    return c == 2 ? 2 : -c;
  }
  long double x = a->tag == TR_FLOAT ? (long double)a->u.f : (long double)a->u.i;
  long double y = b->tag == TR_FLOAT ? (long double)b->u.f : (long double)b->u.i;
  if (isnan(x) || isnan(y))
    return 2;
  return x < y ? -1 : x > y;
}

static int str_cmp(const TrStr *a, const TrStr *b) {
  int64_t n = a->len < b->len ? a->len : b->len;
  int c = memcmp(a->data, b->data, (size_t)n);
  if (c)
    return c < 0 ? -1 : 1;
  return a->len < b->len ? -1 : a->len > b->len;
}

static bool dict_equal(const TrDict *a, const TrDict *b) {
  if (a->len != b->len)
    return false;
  for (int64_t i = 0; i < a->len; i++) {
    const TrValue *v = tr_dict_get(b, &a->keys[i]);
    if (!v || !tr_equal(&a->vals[i], v))
      return false;
  }
  return true;
}

bool tr_equal(const TrValue *a, const TrValue *b) {
  if (is_num(a) && is_num(b))
    return num_cmp(a, b) == 0;
  if (a->tag != b->tag)
    return false;
  switch (a->tag) {
  case TR_NONE: return true;
  case TR_STR: {
    const TrStr *x = a->u.p, *y = b->u.p;
    return x == y || (x->len == y->len && !memcmp(x->data, y->data, (size_t)x->len));
  }
  case TR_LIST:
  case TR_TUPLE: {
    const TrSeq *x = a->u.p, *y = b->u.p;
    if (x->len != y->len)
      return false;
    for (int64_t i = 0; i < x->len; i++)
      if (!tr_equal(&x->items[i], &y->items[i]))
        return false;
    return true;
  }
  case TR_DICT: return dict_equal(a->u.p, b->u.p);
  default: return false;
  }
}

static bool apply(int c, int op) {
  if (c == 2) /* NaN: only != holds */
    return op == CMP_NE;
  switch (op) {
  case CMP_LT: return c < 0;
  case CMP_LE: return c <= 0;
  case CMP_EQ: return c == 0;
  case CMP_NE: return c != 0;
  case CMP_GT: return c > 0;
  default: return c >= 0;
  }
}

static const char *op_text[] = {"<", "<=", "==", "!=", ">", ">="};

bool tr_compare(const TrValue *a, const TrValue *b, int op) {
  if (op == CMP_EQ)
    return tr_equal(a, b);
  if (op == CMP_NE)
    return !tr_equal(a, b);
  if (is_num(a) && is_num(b))
    return apply(num_cmp(a, b), op);
  if (a->tag == b->tag && a->tag == TR_STR)
    return apply(str_cmp(a->u.p, b->u.p), op);
  if (a->tag == b->tag && (a->tag == TR_LIST || a->tag == TR_TUPLE)) {
    const TrSeq *x = a->u.p, *y = b->u.p;
    int64_t n = x->len < y->len ? x->len : y->len;
    for (int64_t i = 0; i < n; i++)
      if (!tr_equal(&x->items[i], &y->items[i]))
        return tr_compare(&x->items[i], &y->items[i], op);
    return apply(x->len < y->len ? -1 : x->len > y->len, op);
  }
  tr_fail("'%s' not supported between instances of '%s' and '%s'", op_text[op],
          tr_type_name(a), tr_type_name(b));
}

bool tr_truthy(const TrValue *v) {
  switch (v->tag) {
  case TR_NONE: return false;
  case TR_BOOL:
  case TR_INT: return v->u.i != 0;
  case TR_FLOAT: return v->u.f != 0;
  case TR_STR: return ((const TrStr *)v->u.p)->len != 0;
  case TR_LIST:
  case TR_TUPLE: return ((const TrSeq *)v->u.p)->len != 0;
  case TR_DICT: return ((const TrDict *)v->u.p)->len != 0;
  default: return true;
  }
}

const TrValue *tr_items(const TrValue *v, int64_t *n, bool *is_str) {
  *is_str = false;
  switch (v->tag) {
  case TR_LIST:
  case TR_TUPLE: {
    const TrSeq *s = v->u.p;
    *n = s->len;
    return s->items;
  }
  case TR_DICT: {
    const TrDict *d = v->u.p;
    *n = d->len;
    return d->keys;
  }
  case TR_STR:
    *is_str = true;
    *n = 0;
    return NULL;
  default: tr_fail("'%s' object is not iterable", tr_type_name(v));
  }
}

/* A str iterates over its code points, each a new 1-char str. */
const TrValue *tr_iter(const TrValue *v, int64_t *n, TrValue *tmp) {
  bool is_str;
  const TrValue *items = tr_items(v, n, &is_str);
  *tmp = (TrValue){0};
  if (!is_str)
    return items;
  const TrStr *s = v->u.p;
  TrSeq *chars = tr_seq_new(0);
  for (int64_t i = 0; i < s->len;) {
    int64_t j = i + 1;
    while (j < s->len && (s->data[j] & 0xc0) == 0x80)
      j++;
    TrValue c = tr_str_value(s->data + i, j - i);
    tr_list_append(chars, &c);
    i = j;
  }
  *tmp = tr_obj(TR_TUPLE, chars);
  *n = chars->len;
  return chars->items;
}
