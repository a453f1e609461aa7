/* csv_plain.h - the common CSV float field, inline in its readers: the
 * fast path of csv_parse_f64 (csv.h; csv_float.c has pandas' converter for
 * every other field and says why the two agree). Inline because it runs
 * once per field of every numeric column: a call costs a sixth of it. */
#ifndef TASKRT_CSV_PLAIN_H
#define TASKRT_CSV_PLAIN_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* 10^0 .. 10^15: exact doubles, as pandas' table has them */
static const double csvp_p10[16] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                    1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

/* ---- the common field, eight bytes at a time ----
 * "[-+]digits[.digits]" in at most 16 bytes, at most 15 digits, nothing
 * else: pandas' value is the integer of the digits (exact) divided once
 * by 10^(fraction digits). We read the field into two little-endian words
 * and classify and convert all eight bytes of a word at once. */

static const uint64_t csvp_ip10[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
                                 100000000};

static inline uint64_t csvp_load8(const char *p) {
  uint64_t w;
  memcpy(&w, p, 8);
  return w;
}

static inline uint64_t csvp_load4(const char *p) {
  uint32_t w;
  memcpy(&w, p, 4);
  return w;
}

/* Bytes 0..7 and 8..15 of the N bytes at S (1 <= N <= 16), zeros past N,
 * without reading outside them: overlapping loads put each byte in place
 * once or twice (OR of equal bytes). */
static inline void csvp_load_field(const char *s, size_t n, uint64_t *w0, uint64_t *w1) {
  if (n >= 8) {
    *w0 = csvp_load8(s);
    *w1 = n == 8 ? 0 : csvp_load8(s + n - 8) >> (8 * (16 - n));
  } else if (n >= 4) {
    *w0 = csvp_load4(s) | csvp_load4(s + n - 4) << (8 * (n - 4));
    *w1 = 0;
  } else {
    *w0 = (uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[n / 2] << (8 * (n / 2)) |
          (uint64_t)(unsigned char)s[n - 1] << (8 * (n - 1));
    *w1 = 0;
  }
}

#define CSVP_ONES 0x0101010101010101u
#define CSVP_TOPS (0x80 * CSVP_ONES)

/* 0x80 in each byte of W that is not an ASCII digit. With each byte's top
 * bit set (or cleared) first, no byte borrows from or carries into the
 * next. */
static inline uint64_t csvp_non_digits(uint64_t w) {
  uint64_t below = ~((w | CSVP_TOPS) - '0' * CSVP_ONES) & CSVP_TOPS;
  uint64_t above = ((w & ~CSVP_TOPS) + (0x80 - ':') * CSVP_ONES) & CSVP_TOPS;
  return below | above | (w & CSVP_TOPS);
}

/* The number of leading digit bytes of W (0..8). */
static inline int csvp_digit_run(uint64_t w) {
  uint64_t f = csvp_non_digits(w);
  return f ? __builtin_ctzll(f) / 8 : 8;
}

/* The integer of the first K (0..8) digit bytes of W: left-aligned so the
 * zero bytes below act as leading zeros, then pairs, quads, the octet. */
static inline uint64_t csvp_digits_value(uint64_t w, int k) {
  if (k == 0)
    return 0;
  w = (w << (8 * (8 - k))) & 0x0f0f0f0f0f0f0f0fu;
  w = (w * 10 + (w >> 8)) & 0x00ff00ff00ff00ffu;
  w = (w * 100 + (w >> 16)) & 0x0000ffff0000ffffu;
  return (w * 10000 + (w >> 32)) & 0xffffffffu;
}

/* The 16 bytes W0:W1 shifted down by K bytes (1..8). */
static inline uint64_t csvp_shift_down(uint64_t w0, uint64_t w1, int k) {
  return k == 8 ? w1 : w0 >> (8 * k) | w1 << (64 - 8 * k);
}

/* pandas' value of the digits M with K fraction digits, sign NEG. */
static inline void csvp_plain_value(uint64_t m, int k, bool neg, double *out) {
  double x = (double)(int64_t)m; /* below 10^15: exact */
  if (neg)
    x = -x;
  *out = k ? x / csvp_p10[k] : x;
}

/* N (1..8) bytes in W: digits with at most one '.', which we drop by
 * moving the bytes after it down. */
static inline bool csvp_plain_word(uint64_t w, int n, bool neg, double *out) {
  uint64_t dots = csvp_non_digits(w) & (~0ull >> (64 - 8 * n));
  int k = 0;
  if (dots) {
    int at = __builtin_ctzll(dots) / 8;
    if ((dots & (dots - 1)) || ((w >> (8 * at)) & 0xff) != '.' || n == 1)
      return false;
    uint64_t before = (1ull << (8 * at)) - 1;
    w = (w & before) | ((w >> 8) & ~before);
    n--;
    k = n - at;
  }
  csvp_plain_value(csvp_digits_value(w, n), k, neg, out);
  return true;
}

/* N (9..16) bytes in W0:W1: up to 7 integer digits, '.', the rest digits. */
static inline bool csvp_plain_words(uint64_t w0, uint64_t w1, int n, bool neg, double *out) {
  int k1 = csvp_digit_run(w0);
  if (k1 == 8 || ((w0 >> (8 * k1)) & 0xff) != '.')
    return false;
  uint64_t f = csvp_shift_down(w0, w1, k1 + 1);
  int k2 = csvp_digit_run(f);
  if (k1 + 1 + k2 != n)
    return false;
  csvp_plain_value(csvp_digits_value(w0, k1) * csvp_ip10[k2] + csvp_digits_value(f, k2), k2, neg, out);
  return true;
}

static inline bool csvp_plain(const char *s, size_t n, double *out) {
  if (n == 0 || n > 16)
    return false;
  uint64_t w0, w1;
  csvp_load_field(s, n, &w0, &w1);
  int c = (int)(w0 & 0xff);
  bool neg = c == '-';
  if (neg || c == '+') {
    w0 = csvp_shift_down(w0, w1, 1);
    w1 >>= 8;
    if (--n == 0)
      return false;
  }
  return n <= 8 ? csvp_plain_word(w0, (int)n, neg, out) : csvp_plain_words(w0, w1, (int)n, neg, out);
}

#endif
