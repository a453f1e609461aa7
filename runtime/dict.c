/* dict.c - dict and set helpers for generated function bodies (taskrt.h).
 *
 * A set is a TrDict whose values are None (compiler/sema_dict.c). Lookups
 * are TrDict's (tr_dict_get, linear in the length). Arguments are
 * borrowed unless said otherwise. */
#include <stdlib.h>
#include <string.h>

#include "rt.h"

static _Noreturn void key_error(const TrValue *k) {
  char *r = tr_repr(k), m[TR_MSG_MAX];
  snprintf(m, sizeof m, "KeyError: %s", r);
  free(r);
  tr_error(m);
}

TrValue *tr_dict_getitem(const TrDict *d, const TrValue *k) {
  TrValue *v = tr_dict_get(d, k);
  if (!v)
    key_error(k);
  return v;
}

const TrValue *tr_dict_get_or(const TrDict *d, const TrValue *k,
                              const TrValue *dflt) {
  const TrValue *v = tr_dict_get(d, k);
  return v ? v : dflt;
}

/* Stores borrowed k and v (increfed) unless k is there already. */
static TrValue *insert(TrDict *d, const TrValue *k, const TrValue *v) {
  TrValue *old = tr_dict_get(d, k);
  if (old)
    return old;
  TrValue kk = *k, vv = *v;
  tr_incref(&kk);
  tr_incref(&vv);
  tr_dict_set(d, &kk, &vv);
  return &d->vals[d->len - 1];
}

TrValue *tr_dict_setdefault(TrDict *d, const TrValue *k, const TrValue *v) {
  return insert(d, k, v);
}

static void remove_at(TrDict *d, int64_t i) {
  tr_decref(&d->keys[i]);
  size_t n = (size_t)(d->len - i - 1);
  memmove(&d->keys[i], &d->keys[i + 1], n * sizeof *d->keys);
  memmove(&d->vals[i], &d->vals[i + 1], n * sizeof *d->vals);
  d->len--;
}

/* out: the value, moved out, or a new reference to dflt. */
void tr_dict_pop(TrDict *d, const TrValue *k, const TrValue *dflt,
                 TrValue *out) {
  TrValue *v = tr_dict_get(d, k);
  if (!v) {
    if (!dflt)
      key_error(k);
    *out = *dflt;
    tr_incref(out);
    return;
  }
  *out = *v;
  remove_at(d, v - d->vals);
}

/* d.keys(), d.values(), d.items() as new lists (what bodies iterate). */
TrSeq *tr_dict_list(const TrDict *d, int64_t what) {
  TrSeq *s = tr_seq_new(d->len);
  for (int64_t i = 0; i < d->len; i++) {
    if (what == 2) {
      TrSeq *t = tr_seq_new(2);
      t->items[0] = d->keys[i];
      t->items[1] = d->vals[i];
      tr_incref(&t->items[0]);
      tr_incref(&t->items[1]);
      s->items[i] = tr_obj(TR_TUPLE, t);
    } else {
      s->items[i] = what == 0 ? d->keys[i] : d->vals[i];
      tr_incref(&s->items[i]);
    }
  }
  return s;
}

void tr_dict_update(TrDict *d, const TrDict *o) {
  int64_t n = o->len; /* d.update(d) changes nothing */
  for (int64_t i = 0; i < n; i++) {
    TrValue k = o->keys[i], v = o->vals[i];
    tr_incref(&k);
    tr_incref(&v);
    tr_dict_set(d, &k, &v);
  }
}

TrDict *tr_dict_copy(const TrDict *d) {
  TrDict *c = tr_dict_new();
  tr_dict_update(c, d);
  return c;
}

void tr_dict_clear(TrDict *d) {
  while (d->len > 0) {
    d->len--;
    tr_decref(&d->keys[d->len]);
    tr_decref(&d->vals[d->len]);
  }
}

void tr_set_add(TrDict *s, const TrValue *k) {
  TrValue none = {0};
  insert(s, k, &none);
}

void tr_set_discard(TrDict *s, const TrValue *k) {
  TrValue *v = tr_dict_get(s, k);
  if (v)
    remove_at(s, v - s->vals);
}

/* a | b, a & b, a - b, a ^ b (op 0..3) as a new set, in Python's order
 * for small sets: a's elements first, then b's. */
TrDict *tr_set_op(const TrDict *a, const TrDict *b, int64_t op) {
  TrDict *r = tr_dict_new();
  for (int64_t i = 0; i < a->len; i++) {
    bool in_b = tr_dict_get(b, &a->keys[i]) != NULL;
    if (op == 0 || (op == 1 && in_b) || (op >= 2 && !in_b))
      tr_set_add(r, &a->keys[i]);
  }
  if (op == 0 || op == 3)
    for (int64_t i = 0; i < b->len; i++)
      if (op == 0 || !tr_dict_get(a, &b->keys[i]))
        tr_set_add(r, &b->keys[i]);
  return r;
}
