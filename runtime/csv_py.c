/* csv_py.c - a text field as Python 3.11's float() and int() read it.
 *
 * Dask's coerce_dtypes casts a block's object column to the sample's
 * float64 or int64 with astype, which calls float(s) / int(s) on each
 * string (not pandas' own converter): pandas types a column object when
 * its int passes overflow (a run of 20+ digits, even with a fraction),
 * and then the value is Python's, correctly rounded. Python first maps
 * Unicode spaces to ' ' and Unicode decimal digits to ASCII ones
 * (_PyUnicode_TransformDecimalAndSpaceToASCII; any other non-ASCII
 * character fails), then allows single '_' between digits, strips ASCII
 * spaces, and reads a decimal (float also inf, infinity, nan, any case). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv.h"

/* The zeros of Unicode's decimal digit runs (each the first of ten), and
 * its spaces above ASCII, as Python 3.11 (Unicode 14) has them. */
static const unsigned zeros[] = {
    0x660,   0x6f0,   0x7c0,   0x966,   0x9e6,   0xa66,   0xae6,   0xb66,   0xbe6,   0xc66,
    0xce6,   0xd66,   0xde6,   0xe50,   0xed0,   0xf20,   0x1040,  0x1090,  0x17e0,  0x1810,
    0x1946,  0x19d0,  0x1a80,  0x1a90,  0x1b50,  0x1bb0,  0x1c40,  0x1c50,  0xa620,  0xa8d0,
    0xa900,  0xa9d0,  0xa9f0,  0xaa50,  0xabf0,  0xff10,  0x104a0, 0x10d30, 0x11066, 0x110f0,
    0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650, 0x116c0, 0x11730, 0x118e0, 0x11950,
    0x11c50, 0x11d50, 0x11da0, 0x16a60, 0x16ac0, 0x16b50, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec,
    0x1d7f6, 0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0};
static const unsigned spaces[] = {0x85,   0xa0,   0x1680, 0x2000, 0x2001, 0x2002, 0x2003,
                                  0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a,
                                  0x2028, 0x2029, 0x202f, 0x205f, 0x3000};

/* One UTF-8 code point at S (N > 0 bytes) into *CP; its length, or 0 if
 * it is not valid UTF-8 (pandas would not have read the file). */
static int utf8(const unsigned char *s, size_t n, unsigned *cp) {
  int len = s[0] < 0xc2 ? 0 : s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : s[0] < 0xf5 ? 4 : 0;
  if (!len || (size_t)len > n)
    return 0;
  unsigned c = s[0] & (0x7f >> len);
  for (int i = 1; i < len; i++) {
    if ((s[i] & 0xc0) != 0x80)
      return 0;
    c = c << 6 | (s[i] & 0x3f);
  }
  static const unsigned least[] = {0, 0, 0x80, 0x800, 0x10000};
  if (c < least[len] || (c >= 0xd800 && c < 0xe000) || c > 0x10ffff)
    return 0;
  *cp = c;
  return len;
}

/* A non-ASCII code point as Python's transform maps it, or 0 (fails). */
static char ascii_of(unsigned c) {
  for (size_t i = 0; i < sizeof spaces / sizeof *spaces; i++)
    if (c == spaces[i])
      return ' ';
  for (size_t i = 0; i < sizeof zeros / sizeof *zeros; i++)
    if (c >= zeros[i] && c < zeros[i] + 10)
      return (char)('0' + (c - zeros[i]));
  return 0;
}

static bool py_space(char c) { return c == ' ' || (unsigned char)(c - '\t') < 5; }

/* The field as the ASCII text Python parses: transformed, underscores
 * checked and removed, spaces stripped; NUL-terminated in OUT (room for
 * N + 1). False if Python fails already. */
static bool prepare(const char *s, size_t n, char *out) {
  size_t k = 0;
  char prev = 0;
  for (size_t i = 0; i < n;) {
    char c = s[i];
    if ((unsigned char)c >= 0x80) {
      unsigned cp;
      int len = utf8((const unsigned char *)s + i, n - i, &cp);
      if (!len || !(c = ascii_of(cp)))
        return false;
      i += (size_t)len;
    } else {
      if (c == 0 || c == 0x7f)
        return false; /* an embedded NUL; DEL is no digit or space */
      i++;
    }
    if (c == '_') {
      if (!csv_is_digit(prev))
        return false; /* only after a digit */
    } else {
      if (prev == '_' && !csv_is_digit(c))
        return false; /* and only before one */
      out[k++] = c;
    }
    prev = c;
  }
  if (prev == '_')
    return false;
  out[k] = 0;
  size_t a = 0;
  while (a < k && py_space(out[a]))
    a++;
  while (k > a && py_space(out[k - 1]))
    k--;
  memmove(out, out + a, k - a);
  out[k - a] = 0;
  return true;
}

/* Python's decimal float grammar: sign, digits, '.', digits (one digit at
 * least), then e, sign, digits. */
static bool decimal_text(const char *p) {
  if (*p == '+' || *p == '-')
    p++;
  int digits = 0;
  while (csv_is_digit(*p))
    p++, digits++;
  if (*p == '.')
    for (p++; csv_is_digit(*p); p++)
      digits++;
  if (!digits)
    return false;
  if (*p == 'e' || *p == 'E') {
    p++;
    if (*p == '+' || *p == '-')
      p++;
    if (!csv_is_digit(*p))
      return false;
    while (csv_is_digit(*p))
      p++;
  }
  return *p == 0;
}

CsvStatus csv_py_float(const char *s, size_t n, double *out) {
  char small[64], *buf = n < sizeof small ? small : malloc(n + 1);
  if (!buf)
    return CSV_BAD;
  CsvStatus st = CSV_BAD;
  if (prepare(s, n, buf)) {
    const char *p = buf + (buf[0] == '+' || buf[0] == '-');
    bool neg = buf[0] == '-';
    if (!strcasecmp(p, "inf") || !strcasecmp(p, "infinity")) {
      *out = neg ? -__builtin_inf() : __builtin_inf();
      st = CSV_OK;
    } else if (!strcasecmp(p, "nan")) {
      *out = neg ? -__builtin_nan("") : __builtin_nan("");
      st = CSV_OK;
    } else if (decimal_text(buf)) {
      *out = strtod(buf, NULL); /* glibc's is correctly rounded, as Python's */
      st = CSV_OK;
    }
  }
  if (buf != small)
    free(buf);
  return st;
}

CsvStatus csv_py_int(const char *s, size_t n, int64_t *out) {
  char small[64], *buf = n < sizeof small ? small : malloc(n + 1);
  if (!buf)
    return CSV_BAD;
  CsvStatus st = CSV_BAD;
  if (prepare(s, n, buf)) {
    const char *p = buf + (buf[0] == '+' || buf[0] == '-');
    bool neg = buf[0] == '-';
    uint64_t v = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    st = *p && p[strspn(p, "0123456789")] == 0 ? CSV_OK : CSV_BAD;
    for (; *p && st == CSV_OK; p++) {
      uint64_t d = (uint64_t)(*p - '0');
      if (v > (limit - d) / 10)
        st = CSV_OVERFLOW; /* numpy: "Python int too large to convert" */
      else
        v = v * 10 + d;
    }
    if (st == CSV_OK)
      *out = neg ? (int64_t)(0 - v) : (int64_t)v;
  }
  if (buf != small)
    free(buf);
  return st;
}
