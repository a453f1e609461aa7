/* dict.c - dict and set helpers for generated function bodies (taskrt.h).
 *
 * A set is a TrDict whose values are None (compiler/sema_dict.c). Lookups
 * are linear in small dicts and go through a hash index from
 * TR_DICT_INDEX_MIN entries on (below: built and kept by the writers
 * only). Arguments are borrowed unless said otherwise. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bigint_weak.h"
#include "rt.h"

static _Noreturn void key_error(const TrValue *k) { tr_key_error(k); }

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

static void rebuild(TrDict *d);

static void remove_at(TrDict *d, int64_t i) {
  tr_decref(&d->keys[i]);
  size_t n = (size_t)(d->len - i - 1);
  memmove(&d->keys[i], &d->keys[i + 1], n * sizeof *d->keys);
  memmove(&d->vals[i], &d->vals[i + 1], n * sizeof *d->vals);
  d->len--;
  rebuild(d); /* entry numbers moved */
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
  rebuild(d);
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

/* ---- the hash index (TrDict.index) ---- */

/* A hash consistent with tr_equal: 1, 1.0 and True are equal, so numbers
 * hash by value; false when the key cannot be hashed (then the dict is
 * searched linearly, as before). */
uint64_t tr_str_hash(const char *p, int64_t n) {
  uint64_t x = 1469598103934665603ull; /* FNV-1a */
  for (int64_t i = 0; i < n; i++)
    x = (x ^ (unsigned char)p[i]) * 1099511628211ull;
  return x;
}

static bool hash_of(const TrValue *k, uint64_t *h) {
  switch (k->tag) {
  case TR_NONE:
    *h = 0x9e37;
    return true;
  case TR_BOOL:
  case TR_INT:
    *h = tr_big(k->u.i) ? tr_int_hash_slow(k->u.i)
                        : (uint64_t)k->u.i * 0x9e3779b97f4a7c15ull;
    return true;
  case TR_FLOAT: {
    double f = k->u.f;
    if (f == (double)(int64_t)f && f > -9.2e18 && f < 9.2e18) {
      *h = (uint64_t)(int64_t)f * 0x9e3779b97f4a7c15ull;
      return true;
    }
    uint64_t bits;
    memcpy(&bits, &f, sizeof bits);
    *h = f == 0 ? 0 : bits * 0xff51afd7ed558ccdull;
    return true;
  }
  case TR_STR: {
    const TrStr *s = k->u.p;
    *h = tr_str_hash(s->data, s->len);
    return true;
  }
  case TR_TUPLE: {
    const TrSeq *t = k->u.p;
    uint64_t x = 0x345678;
    for (int64_t i = 0; i < t->len; i++) {
      uint64_t e;
      if (!hash_of(&t->items[i], &e))
        return false;
      x = (x ^ e) * 1000003ull;
    }
    *h = x;
    return true;
  }
  default:
    return false;
  }
}

static void drop_index(TrDict *d) {
  free(d->index);
  d->index = NULL;
  d->icap = 0;
}

/* An index slot: entry + 1 in the low 32 bits, the top 32 bits of the
 * key's hash above them, so that a probe compares keys (tr_equal) only
 * when their hashes agree there. */
static int64_t slot_of(uint64_t h, int64_t i) {
  return (int64_t)((h & 0xffffffff00000000ull) | (uint64_t)(i + 1));
}

static int64_t slot_entry(int64_t e) { return (int64_t)((uint64_t)e & 0xffffffffu) - 1; }

static bool slot_may_hold(int64_t e, uint64_t h) {
  return ((uint64_t)e >> 32) == (h >> 32);
}

/* Puts entry i into the index; false if its key cannot be hashed. */
static bool index_put(TrDict *d, int64_t i) {
  uint64_t h;
  if (!hash_of(&d->keys[i], &h))
    return false;
  for (int64_t j = (int64_t)(h & (uint64_t)(d->icap - 1));;
       j = (j + 1) & (d->icap - 1))
    if (!d->index[j]) {
      d->index[j] = slot_of(h, i);
      return true;
    }
}

static void rebuild(TrDict *d) {
  drop_index(d);
  if (d->len < TR_DICT_INDEX_MIN)
    return;
  int64_t cap = 64;
  while (cap < 4 * d->len)
    cap *= 2;
  d->index = calloc((size_t)cap, sizeof *d->index);
  if (!d->index)
    return; /* out of memory: linear search still works */
  d->icap = cap;
  for (int64_t i = 0; i < d->len; i++)
    if (!index_put(d, i)) {
      drop_index(d);
      return;
    }
}

void tr_dict_indexed(TrDict *d) {
  if (d->len < TR_DICT_INDEX_MIN)
    return;
  if (d->len >= INT32_MAX) { /* slots hold 32-bit entry numbers */
    drop_index(d);
    return;
  }
  if (!d->index || 2 * d->len > d->icap)
    rebuild(d);
  else if (!index_put(d, d->len - 1))
    drop_index(d);
}

/* What a lookup looks for: a key equal to k, or (k NULL) the str whose
 * bytes are p[0..n). */
typedef struct Want {
  const TrValue *k;
  const char *p;
  int64_t n;
} Want;

static bool matches(const TrValue *key, const Want *w) {
  if (w->k)
    return tr_equal(key, w->k);
  const TrStr *s = key->u.p;
  return key->tag == TR_STR && s->len == w->n && !memcmp(s->data, w->p, (size_t)w->n);
}

/* The value of the wanted key: through the index by hash h, or (indexed
 * false) by a scan of the entries. */
static TrValue *lookup(const TrDict *d, bool indexed, uint64_t h, const Want *w) {
  if (!indexed) {
    for (int64_t i = 0; i < d->len; i++)
      if (matches(&d->keys[i], w))
        return &d->vals[i];
    return NULL;
  }
  for (int64_t j = (int64_t)(h & (uint64_t)(d->icap - 1));;
       j = (j + 1) & (d->icap - 1)) {
    int64_t e = d->index[j];
    if (!e)
      return NULL;
    if (slot_may_hold(e, h) && matches(&d->keys[slot_entry(e)], w))
      return &d->vals[slot_entry(e)];
  }
}

/* Three rounds over the batch, each issuing the loads the next round
 * needs for every key before waiting on any: the index slots, then the
 * entries their first slots name, then those keys' strs. */
void tr_dict_prefetch(const TrDict *d, const uint64_t *h, int64_t n) {
  if (!d->index)
    return;
  uint64_t mask = (uint64_t)(d->icap - 1);
  for (int64_t i = 0; i < n; i++)
    __builtin_prefetch(&d->index[h[i] & mask]);
  for (int64_t i = 0; i < n; i++) {
    int64_t e = d->index[h[i] & mask];
    if (e && slot_may_hold(e, h[i])) {
      __builtin_prefetch(&d->keys[slot_entry(e)]);
      __builtin_prefetch(&d->vals[slot_entry(e)]);
    }
  }
  for (int64_t i = 0; i < n; i++) {
    int64_t e = d->index[h[i] & mask];
    if (e && slot_may_hold(e, h[i]) && d->keys[slot_entry(e)].tag == TR_STR)
      __builtin_prefetch(d->keys[slot_entry(e)].u.p);
  }
}

TrValue *tr_dict_find_bytes(const TrDict *d, const char *p, int64_t n, uint64_t h) {
  Want w = {NULL, p, n};
  return lookup(d, d->index != NULL, h, &w);
}

TrValue *tr_dict_find(const TrDict *d, const TrValue *k) {
  uint64_t h = 0;
  Want w = {k, NULL, 0};
  bool hashed = hash_of(k, &h); /* an unhashable key is in no index */
  return lookup(d, hashed, h, &w);
}
