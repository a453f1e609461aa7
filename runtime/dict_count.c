/* dict_count.c - the word count loop as one call (taskrt.h):
 *
 *     for w in s.split(sep, maxsplit):
 *         d[w] = d.get(w, c) + inc
 *
 * Each piece is looked up by its bytes (tr_dict_find_bytes), so a str is
 * made only for a word d does not hold yet; the loop's variable is read by
 * nothing else (codegen/body_dict.c checks). Counts add as Python's ints:
 * int64, and add_slow (the generated code's tr_int_add_slow, passed in so
 * that this file does not bring GMP into every program) past it. */
#include "rt.h"

static int64_t add(int64_t a, int64_t b, int64_t (*add_slow)(int64_t, int64_t)) {
  int64_t r;
  if (tr_is_big(a) || tr_is_big(b) || __builtin_add_overflow(a, b, &r) || tr_is_big(r))
    return add_slow(a, b);
  return r;
}

static void count(TrDict *d, const char *p, int64_t n, uint64_t h, int64_t c, int64_t inc,
                  int64_t (*add_slow)(int64_t, int64_t)) {
  TrValue *v = tr_dict_find_bytes(d, p, n, h);
  if (v) {
    v->u.i = add(v->u.i, inc, add_slow);
    return;
  }
  TrValue k = tr_obj(TR_STR, tr_str_new(p, n)), x = tr_int(add(c, inc, add_slow));
  tr_dict_set(d, &k, &x); /* takes the new key */
}

void tr_dict_count_split(TrDict *d, const TrStr *s, const TrStr *sep, int64_t maxsplit,
                         int64_t c, int64_t inc, int64_t (*add_slow)(int64_t, int64_t)) {
  const char *at[TR_PIECES_MAX];
  int64_t len[TR_PIECES_MAX];
  int64_t n = tr_str_pieces(s, sep, maxsplit, at, len);
  if (n <= TR_PIECES_MAX) {
    /* the line's words hashed first and what their lookups read fetched
     * ahead: a big dict misses the cache on most of its rare words, and
     * the misses of one line then overlap instead of queueing */
    uint64_t h[TR_PIECES_MAX];
    for (int64_t i = 0; i < n; i++)
      h[i] = tr_str_hash(at[i], len[i]);
    tr_dict_prefetch(d, h, n);
    for (int64_t i = 0; i < n; i++)
      count(d, at[i], len[i], h[i], c, inc, add_slow);
    return;
  }
  TrSeq *all = tr_str_split(s, sep, maxsplit); /* a long line: its pieces made */
  for (int64_t i = 0; i < all->len; i++) {
    const TrStr *w = all->items[i].u.p;
    count(d, w->data, w->len, tr_str_hash(w->data, w->len), c, inc, add_slow);
  }
  TrValue v = tr_obj(TR_LIST, all);
  tr_decref(&v);
}
