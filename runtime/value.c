/* value.c - heap objects (str, list, tuple, dict) and their refcounts.
 *
 * Refcounts are atomic because a value made by one worker is read and
 * released by others. Constants from the compiler have refcount < 0 and
 * are never touched. Live objects are counted per thread (no shared cache
 * line on the hot path) and folded into a global when a worker exits. */
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "frame.h"
#include "memlimit.h"
#include "rt.h"

static int64_t live_total;
static _Thread_local int64_t live_local;

int64_t tr_live_objects(void) {
  return __atomic_load_n(&live_total, __ATOMIC_ACQUIRE) + live_local;
}

/* Objects made outside this file (arrays) count themselves in. */
void tr_live_add(int64_t d) { live_local += d; }

/* Short strs come and go by the million in string code (a split, a
 * strip, a format per line): each thread keeps the blocks of the ones it
 * freed, by size class of 32 bytes up to STR_CACHE_MAX, and reuses them,
 * which skips malloc and free. A block's class comes from the str's
 * length, which never grows after tr_str_alloc, so it is never larger than
 * the block. A worker drains its cache when it exits (tr_live_flush).
 * Under AddressSanitizer nothing is kept, so that a str used after its
 * free is still reported. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer) /* clang */
#define TR_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(TR_ASAN) /* gcc, clang */
enum { STR_CLASS = 32, STR_CLASSES = 4, STR_CACHE_MAX = 0 };
#else
enum { STR_CLASS = 32, STR_CLASSES = 4, STR_CACHE_MAX = 512 };
#endif
typedef struct StrCache {
  void *head[STR_CLASSES]; /* blocks linked through their first word */
  int n[STR_CLASSES];
} StrCache;
static _Thread_local StrCache str_cache;

static void str_cache_drain(void) {
  for (int k = 0; k < STR_CLASSES; k++) {
    while (str_cache.head[k]) {
      void *b = str_cache.head[k];
      str_cache.head[k] = *(void **)b;
      free(b);
    }
    str_cache.n[k] = 0;
  }
}

void tr_live_flush(void) {
  __atomic_add_fetch(&live_total, live_local, __ATOMIC_ACQ_REL);
  live_local = 0;
  str_cache_drain();
  tr_exc_thread_end();
}

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p)
    tr_oom(); /* fails the running task, naming it */
  return p;
}

TrValue tr_int(int64_t i) { return (TrValue){.tag = TR_INT, .u.i = i}; }
TrValue tr_float(double f) { return (TrValue){.tag = TR_FLOAT, .u.f = f}; }
TrValue tr_bool(bool b) { return (TrValue){.tag = TR_BOOL, .u.i = b}; }
TrValue tr_obj(int64_t tag, void *p) { return (TrValue){.tag = tag, .u.p = p}; }

static inline bool is_heap(const TrValue *v) { return v->tag >= TR_STR && v->u.p; }

void tr_incref(const TrValue *v) {
  if (!is_heap(v))
    return;
  TrObj *o = v->u.p;
  if (__atomic_load_n(&o->refcount, __ATOMIC_RELAXED) >= 0)
    __atomic_add_fetch(&o->refcount, 1, __ATOMIC_RELAXED);
}

static size_t str_size(int64_t len) { return sizeof(TrStr) + (size_t)len + 1; }

static void free_str(TrStr *s) {
  size_t n = str_size(s->len);
  if (n <= STR_CLASS * STR_CLASSES) {
    int k = (int)((n - 1) / STR_CLASS);
    if (str_cache.n[k] < STR_CACHE_MAX) {
      *(void **)s = str_cache.head[k];
      str_cache.head[k] = s;
      str_cache.n[k]++;
      return;
    }
  }
  free(s);
}

static void free_obj(int64_t tag, void *p) {
  if (tag == TR_STR) {
    free_str(p);
    live_local--;
    return;
  }
  if (tag == TR_LIST || tag == TR_TUPLE) {
    TrSeq *s = p;
    for (int64_t i = 0; i < s->len; i++)
      tr_decref(&s->items[i]);
    if (s->items != (TrValue *)(s + 1))
      free(s->items);
  } else if (tag == TR_DICT) {
    TrDict *d = p;
    for (int64_t i = 0; i < d->len; i++) {
      tr_decref(&d->keys[i]);
      tr_decref(&d->vals[i]);
    }
    free(d->keys);
    free(d->vals);
    free(d->index);
  } else if (tag == TR_FRAME) {
    frame_free(p);
  } else if (tag == TR_ARRAY) {
    tr_array_free_data(p); /* aligned_alloc'd apart from the header */
  }
  free(p);
  live_local--;
}

void tr_decref(const TrValue *v) {
  if (!is_heap(v))
    return;
  TrObj *o = v->u.p;
  int64_t rc = __atomic_load_n(&o->refcount, __ATOMIC_ACQUIRE);
  if (rc < 0)
    return;
  /* The only reference (most temporaries): no other thread holds one, so
   * none can change the count, and the locked decrement is not needed. */
  if (rc == 1 || __atomic_sub_fetch(&o->refcount, 1, __ATOMIC_ACQ_REL) == 0)
    free_obj(v->tag, o);
}

TrStr *tr_str_alloc(int64_t len) {
  size_t n = str_size(len);
  TrStr *r;
  int k = (int)((n - 1) / STR_CLASS);
  if (n <= STR_CLASS * STR_CLASSES && str_cache.head[k]) {
    r = str_cache.head[k];
    str_cache.head[k] = *(void **)r;
    str_cache.n[k]--;
  } else {
    /* a short str gets its whole class, so that its block can be reused */
    r = xmalloc(n <= STR_CLASS * STR_CLASSES ? (size_t)(k + 1) * STR_CLASS : n);
  }
  r->h.refcount = 1;
  r->len = len;
  r->data[len] = 0;
  live_local++;
  return r;
}

TrStr *tr_str_new(const char *s, int64_t len) {
  TrStr *r = tr_str_alloc(len);
  if (len > 0)
    memcpy(r->data, s, (size_t)len);
  return r;
}

TrValue tr_str_value(const char *s, int64_t len) {
  return tr_obj(TR_STR, tr_str_new(s, len));
}

/* Items live just after the header until the first growth. */
TrSeq *tr_seq_new(int64_t len) {
  TrSeq *s = xmalloc(sizeof *s + (size_t)len * sizeof(TrValue));
  s->h.refcount = 1;
  s->len = s->cap = len;
  s->items = (TrValue *)(s + 1);
  memset(s->items, 0, (size_t)len * sizeof(TrValue));
  live_local++;
  return s;
}

void tr_list_append(TrSeq *l, const TrValue *v) {
  if (l->len == l->cap) {
    int64_t cap = l->cap < 4 ? 8 : l->cap * 2;
    TrValue *items;
    if (l->items == (TrValue *)(l + 1)) {
      items = xmalloc((size_t)cap * sizeof *items);
      memcpy(items, l->items, (size_t)l->len * sizeof *items);
    } else {
      items = realloc(l->items, (size_t)cap * sizeof *items);
      if (!items)
        tr_oom();
    }
    l->items = items;
    l->cap = cap;
  }
  l->items[l->len++] = *v;
}

TrDict *tr_dict_new(void) {
  TrDict *d = xmalloc(sizeof *d);
  d->h.refcount = 1;
  d->len = d->cap = 0;
  d->keys = d->vals = NULL;
  d->index = NULL;
  d->icap = 0;
  live_local++;
  return d;
}

TrValue *tr_dict_get(const TrDict *d, const TrValue *k) {
  if (d->index)
    return tr_dict_find(d, k); /* dict.c: the hash index */
  for (int64_t i = 0; i < d->len; i++)
    if (tr_equal(&d->keys[i], k))
      return &d->vals[i];
  return NULL;
}

/* Like Python, an existing key keeps its first key object. */
void tr_dict_set(TrDict *d, const TrValue *k, const TrValue *v) {
  TrValue *old = tr_dict_get(d, k);
  if (old) {
    tr_decref(old);
    *old = *v;
    tr_decref(k);
    return;
  }
  if (d->len == d->cap) {
    int64_t cap = d->cap ? d->cap * 2 : 4;
    TrValue *keys = realloc(d->keys, (size_t)cap * sizeof *keys);
    if (!keys)
      tr_oom();
    d->keys = keys; /* the old block is gone: keep the new one */
    TrValue *vals = realloc(d->vals, (size_t)cap * sizeof *vals);
    if (!vals)
      tr_oom();
    d->vals = vals;
    d->cap = cap;
  }
  d->keys[d->len] = *k;
  d->vals[d->len] = *v;
  d->len++;
  tr_dict_indexed(d); /* dict.c */
}
