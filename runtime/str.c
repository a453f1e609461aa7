/* str.c - str methods for task bodies (split, join, strip, lower/upper,
 * replace, startswith/endswith, find/rfind/index/count, is*(), slicing,
 * repetition), with Python's semantics on strings kept as bytes (UTF-8 text
 * passes through; case mapping and character classes are ASCII). Arguments
 * are borrowed, results new (taskrt.h). */
#define _GNU_SOURCE /* memmem */
#include <stdlib.h>
#include <string.h>

#include "rt.h"

static bool is_space(unsigned char c) {
  return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

/* A split finds its pieces in one pass, keeping their bounds on the stack
 * (up to SPLIT_STACK pieces; a longer split counts first and fills a second
 * pass), so the list is allocated once at its size: splitting is the hot
 * path of text processing. */
enum { SPLIT_STACK = TR_PIECES_MAX };

typedef struct Pieces {
  const char *at[SPLIT_STACK];
  int64_t len[SPLIT_STACK];
  TrSeq *out; /* set: store into it; NULL: keep the first SPLIT_STACK bounds */
  int64_t n;
} Pieces;

static inline void piece(Pieces *ps, const char *p, int64_t n) {
  if (ps->out)
    ps->out->items[ps->n] = tr_obj(TR_STR, tr_str_new(p, n));
  else if (ps->n < SPLIT_STACK) {
    ps->at[ps->n] = p;
    ps->len[ps->n] = n;
  }
  ps->n++;
}

/* Whitespace split of [p, end) into ps. */
static void split_ws(const char *p, const char *end, int64_t maxsplit, Pieces *ps) {
  for (;;) {
    while (p < end && is_space((unsigned char)*p))
      p++;
    if (p == end)
      return;
    const char *q = p;
    if (maxsplit >= 0 && ps->n == maxsplit) {
      q = end; /* the rest, trailing whitespace and all, as Python keeps it */
    } else {
      while (q < end && !is_space((unsigned char)*q))
        q++;
    }
    piece(ps, p, q - p);
    p = q;
  }
}

/* The next sep in [p, end), or NULL. Short texts are scanned byte by byte:
 * a memchr call costs more than the scan of a CSV field. */
static const char *find_sep(const char *p, const char *end, const TrStr *sep) {
  if (sep->len == 1) {
    char c = sep->data[0];
    if (end - p <= 32) {
      for (; p < end; p++)
        if (*p == c)
          return p;
      return NULL;
    }
    return memchr(p, c, (size_t)(end - p));
  }
  return memmem(p, (size_t)(end - p), sep->data, (size_t)sep->len);
}

/* A one-byte separator (the common case: ",", "|", "\t"): one scan of
 * the text, not a search per piece. */
static void split_char(const char *p, const char *end, char c, int64_t maxsplit, Pieces *ps) {
  const char *start = p;
  if (maxsplit < 0) {
    for (; p < end; p++)
      if (*p == c) {
        piece(ps, start, p - start);
        start = p + 1;
      }
  } else {
    for (; p < end && ps->n < maxsplit; p++)
      if (*p == c) {
        piece(ps, start, p - start);
        start = p + 1;
      }
  }
  piece(ps, start, end - start);
}

static void split_sep(const char *p, const char *end, const TrStr *sep, int64_t maxsplit,
                      Pieces *ps) {
  if (sep->len == 1) {
    split_char(p, end, sep->data[0], maxsplit, ps);
    return;
  }
  for (;;) {
    const char *q = maxsplit >= 0 && ps->n == maxsplit ? NULL : find_sep(p, end, sep);
    if (!q) {
      piece(ps, p, end - p);
      return;
    }
    piece(ps, p, q - p);
    p = q + sep->len;
  }
}

static void split_into(const TrStr *s, const TrStr *sep, int64_t maxsplit, Pieces *ps) {
  const char *p = s->data, *end = p + s->len;
  if (sep && sep->len == 0)
    tr_fail("empty separator");
  if (sep)
    split_sep(p, end, sep, maxsplit, ps);
  else
    split_ws(p, end, maxsplit, ps);
}

TrSeq *tr_str_split(const TrStr *s, const TrStr *sep, int64_t maxsplit) {
  Pieces ps; /* not zeroed: 1 KB per call */
  ps.out = NULL;
  ps.n = 0;
  split_into(s, sep, maxsplit, &ps);
  TrSeq *out = tr_seq_new(ps.n);
  if (ps.n <= SPLIT_STACK) {
    for (int64_t i = 0; i < ps.n; i++)
      out->items[i] = tr_obj(TR_STR, tr_str_new(ps.at[i], ps.len[i]));
    return out;
  }
  ps = (Pieces){.out = out};
  split_into(s, sep, maxsplit, &ps);
  return out;
}

int64_t tr_str_pieces(const TrStr *s, const TrStr *sep, int64_t maxsplit, const char **at,
                      int64_t *len) {
  Pieces ps; /* not zeroed: 1 KB per call */
  ps.out = NULL;
  ps.n = 0;
  split_into(s, sep, maxsplit, &ps);
  int64_t k = ps.n < SPLIT_STACK ? ps.n : SPLIT_STACK;
  memcpy(at, ps.at, sizeof *at * (size_t)k);
  memcpy(len, ps.len, sizeof *len * (size_t)k);
  return ps.n;
}

/* len(s.split(sep, maxsplit)) without building the pieces. */
int64_t tr_str_split_count(const TrStr *s, const TrStr *sep, int64_t maxsplit) {
  Pieces ps; /* not zeroed: 1 KB per call */
  ps.out = NULL;
  ps.n = 0;
  split_into(s, sep, maxsplit, &ps);
  return ps.n;
}

/* s.split(sep, maxsplit)[k] without building the other pieces: negative k
 * counts from the end, out of range is Python's IndexError. */
TrStr *tr_str_split_item(const TrStr *s, const TrStr *sep, int64_t maxsplit, int64_t k) {
  Pieces ps; /* not zeroed: 1 KB per call */
  ps.out = NULL;
  ps.n = 0;
  split_into(s, sep, maxsplit, &ps);
  int64_t i = k < 0 ? k + ps.n : k;
  if (i < 0 || i >= ps.n)
    tr_index_error(k, ps.n);
  if (i < SPLIT_STACK)
    return tr_str_new(ps.at[i], ps.len[i]);
  TrSeq *all = tr_str_split(s, sep, maxsplit);
  TrStr *r = all->items[i].u.p;
  TrValue item = all->items[i], list = tr_obj(TR_LIST, all);
  tr_incref(&item);
  tr_decref(&list);
  return r;
}

/* The strs of a join: the items of a list (checked), or an array of them
 * (a display the compiler typed as strs). */
static const TrStr *join_at(const TrSeq *items, TrStr *const *strs, int64_t i) {
  return strs ? strs[i] : items->items[i].u.p;
}

static TrStr *join(const TrStr *sep, const TrSeq *items, TrStr *const *strs, int64_t n) {
  int64_t total = n > 1 ? sep->len * (n - 1) : 0;
  for (int64_t i = 0; i < n; i++)
    total += join_at(items, strs, i)->len;
  TrStr *r = tr_str_alloc(total);
  char *o = r->data;
  for (int64_t i = 0; i < n; i++) {
    const TrStr *it = join_at(items, strs, i);
    if (i && sep->len) {
      memcpy(o, sep->data, (size_t)sep->len);
      o += sep->len;
    }
    memcpy(o, it->data, (size_t)it->len);
    o += it->len;
  }
  return r;
}

TrStr *tr_str_join(const TrStr *sep, const TrSeq *items) {
  for (int64_t i = 0; i < items->len; i++)
    if (items->items[i].tag != TR_STR)
      tr_fail("sequence item %lld: expected str instance, %s found", (long long)i,
              tr_type_name(&items->items[i]));
  return join(sep, items, NULL, items->len);
}

TrStr *tr_str_join_strs(const TrStr *sep, TrStr *const *items, int64_t n) {
  return join(sep, NULL, items, n);
}

static bool strip_char(const TrStr *chars, char c) {
  return chars ? memchr(chars->data, c, (size_t)chars->len) != NULL : is_space((unsigned char)c);
}

/* s itself, with one more reference: strs are immutable, so a method that
 * changes nothing returns its receiver, as CPython's do (no copy). */
static TrStr *same(const TrStr *s) {
  TrValue v = tr_obj(TR_STR, (void *)s);
  tr_incref(&v);
  return (TrStr *)s;
}

/* which: 1 lstrip, 2 rstrip, 3 strip; chars NULL strips whitespace. */
TrStr *tr_str_strip(const TrStr *s, const TrStr *chars, int64_t which) {
  int64_t lo = 0, hi = s->len;
  if (which & 1)
    while (lo < hi && strip_char(chars, s->data[lo]))
      lo++;
  if (which & 2)
    while (hi > lo && strip_char(chars, s->data[hi - 1]))
      hi--;
  if (lo == 0 && hi == s->len)
    return same(s);
  return tr_str_new(s->data + lo, hi - lo);
}

TrStr *tr_str_case(const TrStr *s, int64_t upper) {
  char lo = upper ? 'a' : 'A', hi = upper ? 'z' : 'Z';
  int64_t i = 0;
  while (i < s->len && !(s->data[i] >= lo && s->data[i] <= hi))
    i++;
  if (i == s->len)
    return same(s);
  TrStr *r = tr_str_new(s->data, s->len);
  for (; i < r->len; i++) {
    char c = r->data[i];
    if (c >= lo && c <= hi)
      r->data[i] = (char)(c ^ 32);
  }
  return r;
}

/* 'ab'.replace('', '-', count) == '-a-b-' */
static TrStr *replace_empty(const TrStr *s, const TrStr *new_, int64_t count) {
  Buf b = {0};
  int64_t done = 0;
  for (int64_t i = 0; i <= s->len; i++) {
    if (count < 0 || done < count) {
      buf_putn(&b, new_->data, (size_t)new_->len);
      done++;
    }
    if (i < s->len)
      buf_putc(&b, s->data[i]);
  }
  TrStr *r = tr_str_new(b.p ? b.p : "", (int64_t)b.len);
  free(b.p);
  return r;
}

/* Occurrences are counted first, so the result is allocated once at its
 * size; none found returns s itself. */
TrStr *tr_str_replace(const TrStr *s, const TrStr *old, const TrStr *new_, int64_t count) {
  if (old->len == 0)
    return replace_empty(s, new_, count);
  const char *p = s->data, *end = p + s->len, *q;
  int64_t n = 0;
  while ((count < 0 || n < count) && (q = find_sep(p, end, old))) {
    n++;
    p = q + old->len;
  }
  if (n == 0)
    return same(s);
  TrStr *r = tr_str_alloc(s->len + n * (new_->len - old->len));
  char *o = r->data;
  p = s->data;
  for (int64_t i = 0; i < n; i++) {
    q = find_sep(p, end, old);
    memcpy(o, p, (size_t)(q - p));
    o += q - p;
    memcpy(o, new_->data, (size_t)new_->len);
    o += new_->len;
    p = q + old->len;
  }
  memcpy(o, p, (size_t)(end - p));
  return r;
}

int64_t tr_str_affix(const TrStr *s, const TrStr *p, int64_t suffix) {
  if (p->len > s->len)
    return 0;
  int64_t off = suffix ? s->len - p->len : 0;
  return memcmp(s->data + off, p->data, (size_t)p->len) == 0;
}

/* Python's slice bounds of [start, end) clamped to len (start/end as
 * given: INT64_MIN means omitted). */
static void bounds(int64_t len, int64_t *lo, int64_t *hi) {
  if (*lo == INT64_MIN)
    *lo = 0;
  else if (*lo < 0)
    *lo = *lo + len < 0 ? 0 : *lo + len;
  if (*hi == INT64_MIN || *hi > len)
    *hi = len;
  else if (*hi < 0)
    *hi = *hi + len < 0 ? 0 : *hi + len;
}

/* The first sub in [p, end), or NULL: a short text with a one-byte sub is
 * scanned inline (a memchr call costs more than the scan). */
static const char *search(const char *p, const char *end, const TrStr *sub) {
  if (sub->len == 0)
    return p;
  return find_sep(p, end, sub);
}

int64_t tr_str_contains(const TrStr *s, const TrStr *sub) {
  return search(s->data, s->data + s->len, sub) != NULL;
}

/* mode 0 find, 1 rfind, 2 index, 3 rindex, 4 count. */
int64_t tr_str_find(const TrStr *s, const TrStr *sub, int64_t lo, int64_t hi, int64_t mode) {
  bounds(s->len, &lo, &hi);
  int64_t k = sub->len, count = 0, found = -1;
  if (lo <= s->len && hi - lo >= k && k > 0 && (mode == 0 || mode == 2 || mode == 4)) {
    /* forward: memmem/memchr, not a compare per position */
    const char *p = s->data + lo, *end = s->data + hi;
    for (;;) {
      const char *q = search(p, end, sub);
      if (!q)
        break;
      if (mode != 4) {
        found = q - s->data;
        break;
      }
      count++;
      p = q + k;
    }
  } else if (lo <= s->len && hi - lo >= k) {
    if (mode == 4 && k == 0)
      return hi - lo + 1;
    for (int64_t i = mode == 1 || mode == 3 ? hi - k : lo;
         mode == 1 || mode == 3 ? i >= lo : i + k <= hi;) {
      if (memcmp(s->data + i, sub->data, (size_t)k) == 0) {
        if (mode != 4) {
          found = i;
          break;
        }
        count++;
        i += k;
      } else {
        i += mode == 1 || mode == 3 ? -1 : 1;
      }
    }
  }
  if (mode == 4)
    return count;
  if (found < 0 && mode >= 2)
    tr_fail("substring not found");
  return found;
}

/* cls: 'd' isdigit, 'a' isalpha, 's' isspace, 'n' isalnum, 'u' isupper,
 * 'l' islower (ASCII classes). */
int64_t tr_str_is(const TrStr *s, int64_t cls) {
  if (s->len == 0)
    return 0;
  bool cased = false;
  for (int64_t i = 0; i < s->len; i++) {
    unsigned char c = (unsigned char)s->data[i];
    bool digit = c >= '0' && c <= '9', up = c >= 'A' && c <= 'Z', lo = c >= 'a' && c <= 'z';
    bool ok;
    switch (cls) {
    case 'd': ok = digit; break;
    case 'a': ok = up || lo; break;
    case 's': ok = is_space(c); break;
    case 'n': ok = digit || up || lo; break;
    case 'u': ok = !lo; cased |= up; break;
    default: ok = !up; cased |= lo; break;
    }
    if (!ok)
      return 0;
  }
  return cls == 'u' || cls == 'l' ? cased : 1;
}

/* s[lo:hi:step]; INT64_MIN marks an omitted bound. */
TrStr *tr_str_slice(const TrStr *s, int64_t lo, int64_t hi, int64_t step) {
  int64_t len = s->len;
  if (step == 0)
    tr_fail("slice step cannot be zero");
  if (step > 0) {
    bounds(len, &lo, &hi);
    if (step == 1)
      return tr_str_new(s->data + lo, hi > lo ? hi - lo : 0);
  } else {
    /* Python's PySlice_AdjustIndices for a negative step */
    if (lo == INT64_MIN)
      lo = len - 1;
    else if (lo < 0)
      lo = lo + len < 0 ? -1 : lo + len;
    else if (lo >= len)
      lo = len - 1;
    if (hi == INT64_MIN)
      hi = -1;
    else if (hi < 0)
      hi = hi + len < 0 ? -1 : hi + len;
    else if (hi >= len)
      hi = len - 1;
  }
  int64_t n = 0;
  if (step > 0 && hi > lo)
    n = (hi - lo - 1) / step + 1;
  else if (step < 0 && lo > hi)
    n = (lo - hi - 1) / (-step) + 1;
  TrStr *r = tr_str_alloc(n);
  for (int64_t i = 0; i < n; i++)
    r->data[i] = s->data[lo + i * step];
  return r;
}

TrStr *tr_str_repeat(const TrStr *s, int64_t times) {
  if (times <= 0 || s->len == 0)
    return tr_str_new("", 0);
  if (times > INT64_MAX / 2 / s->len)
    tr_fail("repeated string is too long");
  TrStr *r = tr_str_alloc(s->len * times);
  for (int64_t i = 0; i < times; i++)
    memcpy(r->data + i * s->len, s->data, (size_t)s->len);
  return r;
}

/* The text of s without leading and trailing whitespace, for int()/float(). */
static void trimmed(const TrStr *s, const char **p, const char **end) {
  *p = s->data;
  *end = s->data + s->len;
  while (*p < *end && is_space((unsigned char)**p))
    (*p)++;
  while (*end > *p && is_space((unsigned char)(*end)[-1]))
    (*end)--;
}

/* Digits with single underscores between them (Python's literal rule)
 * copied to out without the underscores; false if malformed. */
static bool digits_only(const char *p, const char *end, char *out, bool allow_other) {
  char prev = 0;
  for (; p < end; p++) {
    char c = *p;
    bool dig = c >= '0' && c <= '9';
    if (c == '_') {
      if (!(prev >= '0' && prev <= '9') || p + 1 == end || !(p[1] >= '0' && p[1] <= '9'))
        return false;
    } else if (!dig && !allow_other) {
      return false;
    } else {
      *out++ = c;
    }
    prev = c;
  }
  *out = 0;
  return true;
}

/* Python's ValueError: int() quotes at most 200 characters of the repr
 * (CPython's %.200R), float() all of it. */
static _Noreturn void bad_literal(const TrStr *s, const char *what, size_t most) {
  Buf b = {0};
  buf_puts(&b, what);
  buf_puts(&b, ": ");
  size_t at = b.len;
  TrValue v = {.tag = TR_STR, .u.p = (void *)s};
  repr_value(&b, &v);
  size_t chars = 0, cut = b.len;
  for (size_t i = at; i < b.len; i++) /* code points: count the lead bytes */
    if (((unsigned char)b.p[i] & 0xc0) != 0x80 && chars++ == most) {
      cut = i;
      break;
    }
  tr_fail_long(b.p, cut); /* takes b.p */
}

int64_t tr_str_int(const TrStr *s) {
  const char *p, *end;
  trimmed(s, &p, &end);
  bool neg = p < end && *p == '-';
  if (p < end && (*p == '-' || *p == '+'))
    p++;
  char *d = malloc((size_t)(end - p) + 1);
  if (!d)
    tr_fail("out of memory");
  bool ok = p < end && digits_only(p, end, d, false);
  if (!ok) {
    free(d);
    bad_literal(s, "invalid literal for int() with base 10", 200);
  }
  size_t nd = strlen(d);
  if (nd > 18) { /* may not fit int64: GMP's exact parse (bigint_conv.c) */
    int64_t r = tr_int_from_digits(d, nd, neg);
    free(d);
    return r;
  }
  int64_t v = 0;
  for (char *q = d; *q; q++)
    v = v * 10 + (*q - '0');
  free(d);
  return neg ? -v : v;
}

/* "123.45", "-7", ".5": at most 15 digits and no exponent is an exact
 * integer over an exact power of ten, whose quotient is correctly rounded
 * (Clinger's fast path), so strtod is not needed. False: another form. */
static bool simple_float(const char *p, const char *end, double *out) {
  static const double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
                                 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  bool neg = p < end && *p == '-';
  if (p < end && (*p == '-' || *p == '+'))
    p++;
  int64_t m = 0;
  int nd = 0, frac = -1;
  for (; p < end; p++) {
    if (*p == '.' && frac < 0) {
      frac = 0;
    } else if (*p >= '0' && *p <= '9') {
      if (++nd > 15)
        return false;
      m = m * 10 + (*p - '0');
      frac += frac >= 0;
    } else {
      return false;
    }
  }
  if (!nd)
    return false;
  double v = (double)m / pow10[frac > 0 ? frac : 0];
  *out = neg ? -v : v;
  return true;
}

double tr_str_float(const TrStr *s) {
  const char *p, *end;
  trimmed(s, &p, &end);
  double fast;
  if (simple_float(p, end, &fast))
    return fast;
  char *d = malloc((size_t)(end - p) + 1);
  if (!d)
    tr_fail("out of memory");
  /* strtod also reads hex and nan(...): Python's float() does not */
  bool ok = p < end && digits_only(p, end, d, true) && !strpbrk(d, "xX(");
  char *stop = d;
  double v = ok ? strtod(d, &stop) : 0;
  ok = ok && stop != d && *stop == 0;
  free(d);
  if (!ok)
    bad_literal(s, "could not convert string to float", SIZE_MAX);
  return v;
}
