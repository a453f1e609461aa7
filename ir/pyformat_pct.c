/* pyformat_pct.c - printf-style "fmt % args", as CPython 3.11's
 * PyUnicode_Format does it; see pyformat.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyformat_int.h"

typedef struct Conv {
  bool left, plus, space, alt, zero;
  int64_t width, prec; /* -1: none */
  char type;
} Conv;

/* Pads body (after sign and prefix) to the conversion's width. Zero padding
 * goes between the prefix and the digits, as C's %05d. */
static void put_field(PyfBuf *b, const Conv *c, char sign, const char *prefix, const char *s,
                      size_t n) {
  size_t np = strlen(prefix);
  int64_t w = (sign ? 1 : 0) + (int64_t)np + pyf_width(s, n);
  int64_t pad = c->width > w ? c->width - w : 0;
  if (!c->left && !c->zero)
    pyf_fill(b, " ", 1, pad);
  if (sign)
    pyf_putc(b, sign);
  pyf_put(b, prefix, np);
  if (!c->left && c->zero)
    pyf_fill(b, "0", 1, pad);
  pyf_put(b, s, n);
  if (c->left)
    pyf_fill(b, " ", 1, pad);
}

static char sign_of(const Conv *c, bool neg) {
  return neg ? '-' : c->plus ? '+' : c->space ? ' ' : 0;
}

static bool conv_int(PyfBuf *b, const Conv *c, const PyfArg *a, char *err) {
  int64_t v;
  bool decimal = c->type == 'd' || c->type == 'i' || c->type == 'u';
  if (a->kind == PYF_INT || a->kind == PYF_BOOL) {
    v = a->i;
  } else if (a->kind == PYF_FLOAT && decimal) {
    if (isnan(a->f)) {
      snprintf(err, PYF_ERR, "cannot convert float NaN to integer");
      return false;
    }
    if (isinf(a->f)) {
      snprintf(err, PYF_ERR, "cannot convert float infinity to integer");
      return false;
    }
    if (!(a->f > -9.3e18 && a->f < 9.3e18)) {
      snprintf(err, PYF_ERR, "int too large to convert (taskc ints are 64-bit)");
      return false;
    }
    v = (int64_t)a->f;
  } else {
    snprintf(err, PYF_ERR, decimal ? "%%%c format: a real number is required, not %s"
                                   : "%%%c format: an integer is required, not %s",
             c->type, pyf_type_name(a));
    return false;
  }
  int base = decimal ? 10 : c->type == 'o' ? 8 : 16;
  char d[72];
  bool big = a->kind == PYF_INT && a->s;
  PyfBuf bd = {0};
  if (big && base != 10)
    pyf_big_digits(&bd, a->s, a->n, base, c->type == 'X');
  const char *ds = bd.len ? bd.p : big ? a->s : d;
  size_t nd = bd.len ? bd.len : big ? a->n : pyf_udigits(d, v, base, c->type == 'X');
  PyfBuf digits = {0};
  if (c->prec > (int64_t)nd)
    pyf_fill(&digits, "0", 1, c->prec - (int64_t)nd);
  pyf_put(&digits, ds, nd);
  pyf_free(&bd);
  const char *prefix = !c->alt || base == 10 ? "" : base == 8 ? "0o" : c->type == 'X' ? "0X" : "0x";
  put_field(b, c, sign_of(c, v < 0), prefix, digits.p, digits.len);
  free(digits.p);
  return true;
}

static bool conv_float(PyfBuf *b, const Conv *c, const PyfArg *a, char *err) {
  double x;
  if (a->kind == PYF_FLOAT)
    x = a->f;
  else if (a->kind == PYF_INT && a->s && isnan(a->f)) {
    snprintf(err, PYF_ERR, "int too large to convert to float");
    return false;
  } else if (a->kind == PYF_INT || a->kind == PYF_BOOL)
    x = a->s ? a->f : (double)a->i;
  else {
    snprintf(err, PYF_ERR, "must be real number, not %s", pyf_type_name(a));
    return false;
  }
  int prec = c->prec < 0 ? 6 : (int)(c->prec > 10000 ? 10000 : c->prec);
  PyfBuf txt = {0};
  pyf_float_text(&txt, x, c->type, prec, c->alt, false);
  put_field(b, c, sign_of(c, !isnan(x) && signbit(x)), "", txt.p, txt.len);
  free(txt.p);
  return true;
}

static bool conv_text(PyfBuf *b, const Conv *c, const PyfArg *a, char *err) {
  PyfBuf txt = {0};
  if (c->type == 's')
    pyf_str(&txt, a);
  else
    pyf_repr(&txt, a);
  size_t n = txt.len;
  if (c->prec >= 0) { /* at most prec code points */
    size_t i = 0;
    for (int64_t cps = 0; i < n; i++)
      if (((unsigned char)txt.p[i] & 0xc0) != 0x80 && cps++ == c->prec)
        break;
    n = i;
  }
  Conv plain = *c;
  plain.zero = false;
  put_field(b, &plain, 0, "", txt.p ? txt.p : "", n);
  free(txt.p);
  return true;
}

static bool conv_char(PyfBuf *b, const Conv *c, const PyfArg *a, char *err) {
  char u[4];
  size_t k = 0;
  if (a->kind == PYF_INT || a->kind == PYF_BOOL) {
    if (!pyf_chr(a->i, u, &k, err))
      return false;
  } else if (a->kind == PYF_STR && pyf_width(a->s, a->n) == 1 && a->n <= 4) {
    memcpy(u, a->s, a->n);
    k = a->n;
  } else {
    snprintf(err, PYF_ERR, "%%c requires int or char");
    return false;
  }
  Conv plain = *c;
  plain.zero = false;
  put_field(b, &plain, 0, "", u, k);
  return true;
}

/* The next argument, or an error when they have run out. */
static const PyfArg *take(const PyfArg *args, size_t nargs, size_t *next, char *err) {
  if (*next >= nargs) {
    snprintf(err, PYF_ERR, "not enough arguments for format string");
    return NULL;
  }
  return &args[(*next)++];
}

/* A width or precision: digits, or * taking an int argument. */
static bool read_num(const char *f, size_t n, size_t *i, const PyfArg *args, size_t nargs,
                     size_t *next, int64_t *out, char *err) {
  if (*i < n && f[*i] == '*') {
    (*i)++;
    const PyfArg *a = take(args, nargs, next, err);
    if (!a)
      return false;
    if (a->kind != PYF_INT && a->kind != PYF_BOOL) {
      snprintf(err, PYF_ERR, "* wants int");
      return false;
    }
    *out = a->i;
    return true;
  }
  int64_t v = -1;
  for (; *i < n && f[*i] >= '0' && f[*i] <= '9'; (*i)++) {
    if (v > (INT64_C(1) << 40)) {
      snprintf(err, PYF_ERR, "width too big");
      return false;
    }
    v = (v < 0 ? 0 : v * 10) + (f[*i] - '0');
  }
  *out = v;
  return true;
}

/* One conversion after its %, at *i. */
static bool one(PyfBuf *b, const char *f, size_t n, size_t *i, const PyfArg *args, size_t nargs,
                size_t *next, char *err) {
  if (*i < n && f[*i] == '(') {
    snprintf(err, PYF_ERR, "%%(name) mapping keys in %%-formatting are a taskc limit: "
                           "use an f-string");
    return false;
  }
  Conv c = {.width = -1, .prec = -1};
  for (bool flag = true; flag && *i < n; (*i) += flag) {
    switch (f[*i]) {
    case '-': c.left = true; break;
    case '+': c.plus = true; break;
    case ' ': c.space = true; break;
    case '#': c.alt = true; break;
    case '0': c.zero = true; break;
    default: flag = false; break;
    }
  }
  if (!read_num(f, n, i, args, nargs, next, &c.width, err))
    return false;
  if (c.width < 0 && f[*i - 1] == '*') { /* '%*d' % (-5, 1): left-justified */
    c.left = true;
    c.width = -c.width;
  }
  if (*i < n && f[*i] == '.') {
    (*i)++;
    if (!read_num(f, n, i, args, nargs, next, &c.prec, err))
      return false;
    if (c.prec < 0)
      c.prec = 0;
  }
  while (*i < n && (f[*i] == 'h' || f[*i] == 'l' || f[*i] == 'L'))
    (*i)++;
  if (*i >= n) {
    snprintf(err, PYF_ERR, "incomplete format");
    return false;
  }
  c.type = f[(*i)++];
  if (c.left)
    c.zero = false;
  if (c.type == '%') {
    pyf_putc(b, '%');
    return true;
  }
  if (!c.type || !memchr("sradiuoxXeEfFgGc", c.type, 16)) {
    unsigned char ch = (unsigned char)c.type;
    snprintf(err, PYF_ERR, "unsupported format character '%c' (0x%x) at index %zu",
             ch >= 0x20 && ch < 0x7f ? ch : '?', ch, *i - 1);
    return false;
  }
  const PyfArg *a = take(args, nargs, next, err);
  if (!a)
    return false;
  switch (c.type) {
  case 's': case 'r': case 'a': return conv_text(b, &c, a, err);
  case 'c': return conv_char(b, &c, a, err);
  case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': return conv_float(b, &c, a, err);
  default: return conv_int(b, &c, a, err);
  }
}

bool pyf_percent(PyfBuf *b, const char *fmt, size_t n, const PyfArg *args, size_t nargs,
                 char err[PYF_ERR]) {
  size_t next = 0;
  for (size_t i = 0; i < n;) {
    const char *pct = memchr(fmt + i, '%', n - i);
    size_t lit = pct ? (size_t)(pct - (fmt + i)) : n - i;
    pyf_put(b, fmt + i, lit);
    i += lit;
    if (i >= n)
      break;
    i++; /* the % */
    if (!one(b, fmt, n, &i, args, nargs, &next, err))
      return false;
  }
  if (next < nargs) {
    snprintf(err, PYF_ERR, "not all arguments converted during string formatting");
    return false;
  }
  if (!b->p)
    pyf_put(b, "", 0);
  return true;
}
