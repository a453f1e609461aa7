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

/* The pieces of a split are counted first, so the list is allocated once
 * at its size (one allocation, no growth): splitting is the hot path of
 * text processing. */
static void set_str(TrSeq *l, int64_t i, const char *p, int64_t n) {
  l->items[i] = tr_obj(TR_STR, tr_str_new(p, n));
}

/* Whitespace split of [p, end): stores the pieces when out is set; returns
 * how many there are. */
static int64_t split_ws(const char *p, const char *end, int64_t maxsplit, TrSeq *out) {
  int64_t n = 0;
  for (;;) {
    while (p < end && is_space((unsigned char)*p))
      p++;
    if (p == end)
      return n;
    const char *q = p;
    if (maxsplit >= 0 && n == maxsplit) {
      q = end; /* the rest, trailing whitespace and all, as Python keeps it */
    } else {
      while (q < end && !is_space((unsigned char)*q))
        q++;
    }
    if (out)
      set_str(out, n, p, q - p);
    n++;
    p = q;
  }
}

static int64_t split_sep(const char *p, const char *end, const TrStr *sep, int64_t maxsplit,
                         TrSeq *out) {
  int64_t n = 0;
  for (;;) {
    const char *q = maxsplit >= 0 && n == maxsplit
                        ? NULL
                    : sep->len == 1 ? memchr(p, sep->data[0], (size_t)(end - p))
                                    : memmem(p, (size_t)(end - p), sep->data, (size_t)sep->len);
    if (!q) {
      if (out)
        set_str(out, n, p, end - p);
      return n + 1;
    }
    if (out)
      set_str(out, n, p, q - p);
    n++;
    p = q + sep->len;
  }
}

TrSeq *tr_str_split(const TrStr *s, const TrStr *sep, int64_t maxsplit) {
  const char *p = s->data, *end = p + s->len;
  if (sep && sep->len == 0)
    tr_fail("empty separator");
  int64_t n = sep ? split_sep(p, end, sep, maxsplit, NULL) : split_ws(p, end, maxsplit, NULL);
  TrSeq *out = tr_seq_new(n);
  if (sep)
    split_sep(p, end, sep, maxsplit, out);
  else
    split_ws(p, end, maxsplit, out);
  return out;
}

TrStr *tr_str_join(const TrStr *sep, const TrSeq *items) {
  int64_t total = 0;
  for (int64_t i = 0; i < items->len; i++) {
    if (items->items[i].tag != TR_STR)
      tr_fail("sequence item %lld: expected str instance, %s found", (long long)i,
              tr_type_name(&items->items[i]));
    total += ((const TrStr *)items->items[i].u.p)->len;
  }
  if (items->len > 1)
    total += sep->len * (items->len - 1);
  TrStr *r = tr_str_alloc(total);
  char *o = r->data;
  for (int64_t i = 0; i < items->len; i++) {
    const TrStr *it = items->items[i].u.p;
    if (i && sep->len) {
      memcpy(o, sep->data, (size_t)sep->len);
      o += sep->len;
    }
    memcpy(o, it->data, (size_t)it->len);
    o += it->len;
  }
  return r;
}

static bool strip_char(const TrStr *chars, char c) {
  return chars ? memchr(chars->data, c, (size_t)chars->len) != NULL : is_space((unsigned char)c);
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
  return tr_str_new(s->data + lo, hi - lo);
}

TrStr *tr_str_case(const TrStr *s, int64_t upper) {
  TrStr *r = tr_str_new(s->data, s->len);
  for (int64_t i = 0; i < r->len; i++) {
    char c = r->data[i];
    if (upper && c >= 'a' && c <= 'z')
      r->data[i] = (char)(c - 32);
    else if (!upper && c >= 'A' && c <= 'Z')
      r->data[i] = (char)(c + 32);
  }
  return r;
}

TrStr *tr_str_replace(const TrStr *s, const TrStr *old, const TrStr *new_, int64_t count) {
  Buf b = {0};
  const char *p = s->data, *end = p + s->len;
  int64_t done = 0;
  if (old->len == 0) { /* 'ab'.replace('', '-') == '-a-b-' */
    for (int64_t i = 0; i <= s->len; i++) {
      if (count < 0 || done < count) {
        buf_putn(&b, new_->data, (size_t)new_->len);
        done++;
      }
      if (i < s->len)
        buf_putc(&b, s->data[i]);
    }
  } else {
    while (count < 0 || done < count) {
      const char *q = memmem(p, (size_t)(end - p), old->data, (size_t)old->len);
      if (!q)
        break;
      buf_putn(&b, p, (size_t)(q - p));
      buf_putn(&b, new_->data, (size_t)new_->len);
      p = q + old->len;
      done++;
    }
    buf_putn(&b, p, (size_t)(end - p));
  }
  TrStr *r = tr_str_new(b.p ? b.p : "", (int64_t)b.len);
  free(b.p);
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

/* mode 0 find, 1 rfind, 2 index, 3 rindex, 4 count. */
int64_t tr_str_find(const TrStr *s, const TrStr *sub, int64_t lo, int64_t hi, int64_t mode) {
  bounds(s->len, &lo, &hi);
  int64_t k = sub->len, count = 0, found = -1;
  if (lo <= s->len && hi - lo >= k && k > 0 && (mode == 0 || mode == 2 || mode == 4)) {
    /* forward: memmem/memchr, not a compare per position */
    const char *p = s->data + lo, *end = s->data + hi;
    for (;;) {
      const char *q = k == 1 ? memchr(p, sub->data[0], (size_t)(end - p))
                             : memmem(p, (size_t)(end - p), sub->data, (size_t)k);
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
