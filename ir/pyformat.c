/* pyformat.c - Python's format(), str(), repr(); see pyformat.h.
 * Follows CPython 3.11's Python/formatter_unicode.c (the spec) and
 * Python/pystrtod.c (float layout); printf-style % is in pyformat_pct.c. */
#include "pyformat.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyfloat.h"
#include "pyformat_int.h"

/* ---- buffer ---- */

void pyf_put_grow(PyfBuf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 64;
    while (cap < b->len + n + 1)
      cap *= 2;
    bool on_stack = b->p && b->p == b->stack;
    char *p = b->grow ? b->grow(b->ctx, on_stack ? NULL : b->p,
                                on_stack ? 0 : b->cap, cap)
              : on_stack ? malloc(cap)
                         : realloc(b->p, cap);
    if (!p)
      abort();
    if (b->p && b->p == b->stack)
      memcpy(p, b->p, b->len);
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = 0;
}

void pyf_putc(PyfBuf *b, char c) {
  if (b->len + 2 <= b->cap) { /* the common case, without memcpy */
    b->p[b->len++] = c;
    b->p[b->len] = 0;
    return;
  }
  pyf_put(b, &c, 1);
}

void pyf_free(PyfBuf *b) {
  if (b->p != b->stack && !b->grow)
    free(b->p);
}

void pyf_fill(PyfBuf *b, const char *fill, size_t filln, int64_t count) {
  for (int64_t i = 0; i < count; i++)
    pyf_put(b, fill, filln);
}

/* ---- str and repr ---- */

const char *pyf_type_name(const PyfArg *a) {
  switch (a->kind) {
  case PYF_NONE: return "NoneType";
  case PYF_BOOL: return "bool";
  case PYF_INT: return "int";
  case PYF_FLOAT: return "float";
  case PYF_STR: return "str";
  default: return a->type ? a->type : "object";
  }
}

/* Length of the UTF-8 sequence at s (1 for an invalid byte); *cp gets the
 * code point, or -1 for an invalid byte. */
int pyf_utf8(const unsigned char *s, size_t left, int32_t *cp) {
  unsigned c = s[0];
  size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (n == 0 || n > left) {
    *cp = -1;
    return 1;
  }
  int32_t v = n == 1 ? (int32_t)c : (int32_t)(c & (0x7f >> n));
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xc0) != 0x80) {
      *cp = -1;
      return 1;
    }
    v = (v << 6) | (s[i] & 0x3f);
  }
  *cp = v;
  return (int)n;
}

/* Code points in s[0..n): what Python's len() and widths count. */
int64_t pyf_width(const char *s, size_t n) {
  int64_t w = 0;
  for (size_t i = 0; i < n; i++)
    w += ((unsigned char)s[i] & 0xc0) != 0x80;
  return w;
}

void pyf_repr_str(PyfBuf *b, const char *s, size_t n) {
  bool sq = memchr(s, '\'', n) != NULL;
  bool dq = memchr(s, '"', n) != NULL;
  char q = sq && !dq ? '"' : '\'';
  pyf_putc(b, q);
  const unsigned char *p = (const unsigned char *)s;
  char tmp[8];
  for (size_t i = 0; i < n;) {
    int32_t cp;
    int k = pyf_utf8(p + i, n - i, &cp);
    if (cp == q || cp == '\\') {
      pyf_putc(b, '\\');
      pyf_putc(b, (char)cp);
    } else if (cp == '\n') {
      pyf_put(b, "\\n", 2);
    } else if (cp == '\r') {
      pyf_put(b, "\\r", 2);
    } else if (cp == '\t') {
      pyf_put(b, "\\t", 2);
    } else if (cp < 0) {
      pyf_put(b, tmp, (size_t)snprintf(tmp, sizeof tmp, "\\x%02x", p[i])); /* not UTF-8 */
    } else if (cp < 0x20 || (cp >= 0x7f && cp <= 0xa0) || cp == 0xad) {
      pyf_put(b, tmp, (size_t)snprintf(tmp, sizeof tmp, "\\x%02x", (unsigned)cp));
    } else {
      pyf_put(b, s + i, (size_t)k);
    }
    i += (size_t)k;
  }
  pyf_putc(b, q);
}

void pyf_str(PyfBuf *b, const PyfArg *a) {
  char tmp[PYFLOAT_MAX];
  switch (a->kind) {
  case PYF_NONE: pyf_put(b, "None", 4); break;
  case PYF_BOOL: a->i ? pyf_put(b, "True", 4) : pyf_put(b, "False", 5); break;
  case PYF_INT: {
    char d[72];
    if (a->i < 0)
      pyf_putc(b, '-');
    if (a->s) /* a big int's digits */
      pyf_put(b, a->s, a->n);
    else
      pyf_put(b, d, pyf_udigits(d, a->i, 10, false));
    break;
  }
  case PYF_FLOAT: pyf_put(b, tmp, (size_t)pyfloat_repr(tmp, a->f)); break;
  case PYF_STR:
  case PYF_OTHER: pyf_put(b, a->s, a->n); break;
  }
}

void pyf_repr(PyfBuf *b, const PyfArg *a) {
  if (a->kind == PYF_STR)
    pyf_repr_str(b, a->s, a->n);
  else if (a->kind == PYF_OTHER)
    pyf_put(b, a->r, a->rn);
  else
    pyf_str(b, a);
}

/* ---- the spec ---- */

/* Whether c (not NUL) is one of set's characters: strchr without a call,
 * on the path of every formatted number. */
static bool in_set(const char *set, char c) {
  for (; *set; set++)
    if (*set == c)
      return true;
  return false;
}


static bool is_align(char c) { return c == '<' || c == '>' || c == '=' || c == '^'; }

static bool read_int(const char *s, size_t n, size_t *i, int64_t *out, char *err) {
  int64_t v = 0;
  size_t start = *i;
  for (; *i < n && s[*i] >= '0' && s[*i] <= '9'; (*i)++) {
    if (v > (INT64_C(1) << 40)) {
      snprintf(err, PYF_ERR, "Too many decimal digits in format string");
      return false;
    }
    v = v * 10 + (s[*i] - '0');
  }
  *out = *i > start ? v : -1;
  return true;
}

/* CPython's parse_internal_render_format_spec; default_align is '<' for
 * str and '>' for numbers (the 0 flag means '=' only for numbers). */
static bool parse_spec(const char *s, size_t n, char default_align, const char *tname, Spec *sp,
                       char *err) {
  *sp = (Spec){.fill = " ", .filln = 1, .width = -1, .prec = -1};
  size_t i = 0;
  bool fill_given = false, align_given = false;
  int32_t cp;
  size_t k = n ? (size_t)pyf_utf8((const unsigned char *)s, n, &cp) : 0;
  if (n > k && is_align(s[k])) {
    memcpy(sp->fill, s, k);
    sp->filln = k;
    sp->align = s[k];
    i = k + 1;
    fill_given = align_given = true;
  } else if (n > 0 && is_align(s[0])) {
    sp->align = s[0];
    i = 1;
    align_given = true;
  }
  if (i < n && (s[i] == '+' || s[i] == '-' || s[i] == ' '))
    sp->sign = s[i++];
  if (i < n && s[i] == 'z') {
    sp->z = true;
    i++;
  }
  if (i < n && s[i] == '#') {
    sp->alt = true;
    i++;
  }
  if (i < n && s[i] == '0') {
    if (!fill_given) {
      sp->fill[0] = '0';
      sp->filln = 1;
    }
    if (!align_given && default_align == '>')
      sp->align = '=';
    i++;
  }
  if (!read_int(s, n, &i, &sp->width, err))
    return false;
  if (i < n && (s[i] == ',' || s[i] == '_')) {
    sp->group = s[i++];
    if (i < n && (s[i] == ',' || s[i] == '_')) {
      snprintf(err, PYF_ERR, "Cannot specify both ',' and '_'.");
      return false;
    }
  }
  if (i < n && s[i] == '.') {
    i++;
    if (!read_int(s, n, &i, &sp->prec, err))
      return false;
    if (sp->prec < 0) {
      snprintf(err, PYF_ERR, "Format specifier missing precision");
      return false;
    }
  }
  if (n - i > 1) {
    snprintf(err, PYF_ERR, "Invalid format specifier '%.*s' for object of type '%s'", (int)n,
             s, tname);
    return false;
  }
  if (i < n)
    sp->type = s[i];
  if (sp->group) {
    const char *ok = sp->group == ',' ? "defgEGF%" : "defgEGF%boxX";
    if (!sp->type || !strchr(ok, sp->type)) {
      if (sp->type) {
        snprintf(err, PYF_ERR, "Cannot specify '%c' with '%c'.", sp->group, sp->type);
        return false;
      }
    }
  }
  if (!sp->align)
    sp->align = default_align;
  return true;
}

/* ---- layout ---- */

/* The padding of a field of w code points: left and right counts. */
static void pad_counts(const Spec *sp, int64_t w, int64_t *left, int64_t *right) {
  int64_t total = sp->width > w ? sp->width - w : 0;
  *left = *right = 0;
  if (sp->align == '<')
    *right = total;
  else if (sp->align == '^') {
    *left = total / 2;
    *right = total - *left;
  } else
    *left = total; /* > and = (the caller puts = padding after the sign) */
}

/* digits[0..nd) grouped by sep every `every` from the right, zero-padded
 * to at least min_width characters when min_width > 0 (Python puts the
 * separators into the zero padding too: format(1234, '010,')). */
static void put_grouped(PyfBuf *b, const char *digits, size_t nd, char sep, int every,
                        int64_t min_width) {
  char tmp[512];
  char *big = NULL;
  size_t cap = nd * 2 + (size_t)(min_width > 0 ? min_width : 0) * 2 + 8;
  char *o = cap <= sizeof tmp ? tmp : (big = malloc(cap));
  if (!o)
    abort();
  size_t len = 0; /* filled from the end of o backwards */
  char *end = o + cap;
  int count = 0;
  size_t left = nd;
  while (left > 0 || (int64_t)len < min_width) {
    if (sep && count == every) {
      *--end = sep;
      len++;
      count = 0;
    }
    *--end = left > 0 ? digits[--left] : '0';
    len++;
    count++;
  }
  pyf_put(b, end, len);
  free(big);
}

/* A number: sign, prefix (0x), integer digits, then the rest (fraction,
 * exponent, %), laid out by the spec with grouping and padding. */
void pyf_number(PyfBuf *b, const Spec *sp, bool neg, const char *prefix, const char *digits,
                size_t nd, const char *rest, size_t nrest) {
  char sign = neg ? '-' : sp->sign == '+' ? '+' : sp->sign == ' ' ? ' ' : 0;
  int every = sp->type == 'b' || sp->type == 'o' || sp->type == 'x' || sp->type == 'X' ? 4 : 3;
  size_t np = strlen(prefix);
  int64_t fixed = (sign ? 1 : 0) + (int64_t)np + (int64_t)nrest;
  bool zero_pad = sp->align == '=' && sp->filln == 1 && sp->fill[0] == '0';
  if (zero_pad && sp->group && nd > 0) {
    /* the zeros are digits: they get separators */
    if (sign)
      pyf_putc(b, sign);
    pyf_put(b, prefix, np);
    put_grouped(b, digits, nd, sp->group, every, sp->width - fixed);
    pyf_put(b, rest, nrest);
    return;
  }
  PyfBuf body = {0};
  if (sp->group)
    put_grouped(&body, digits, nd, sp->group, every, 0);
  const char *bp = sp->group ? body.p : digits;
  size_t bn = sp->group ? body.len : nd;
  int64_t w = fixed + pyf_width(bp ? bp : "", bn);
  int64_t left, right;
  pad_counts(sp, w, &left, &right);
  if (sp->align != '=')
    pyf_fill(b, sp->fill, sp->filln, left);
  if (sign)
    pyf_putc(b, sign);
  pyf_put(b, prefix, np);
  if (sp->align == '=')
    pyf_fill(b, sp->fill, sp->filln, left);
  pyf_put(b, bp ? bp : "", bn);
  pyf_put(b, rest, nrest);
  pyf_fill(b, sp->fill, sp->filln, right);
  free(body.p);
}

static void put_padded(PyfBuf *b, const Spec *sp, const char *s, size_t n) {
  int64_t left, right;
  pad_counts(sp, pyf_width(s, n), &left, &right);
  pyf_fill(b, sp->fill, sp->filln, left);
  pyf_put(b, s, n);
  pyf_fill(b, sp->fill, sp->filln, right);
}

/* ---- str ---- */

static bool format_str(PyfBuf *b, const char *s, size_t n, const Spec *sp, char *err) {
  if (sp->type && sp->type != 's') {
    snprintf(err, PYF_ERR, "Unknown format code '%c' for object of type 'str'", sp->type);
    return false;
  }
  const char *why = sp->sign ? "Sign not allowed in string format specifier"
                    : sp->z ? "Negative zero coercion (z) not allowed in string format specifier"
                    : sp->alt ? "Alternate form (#) not allowed in string format specifier"
                    : sp->align == '=' ? "'=' alignment not allowed in string format specifier"
                                       : NULL;
  if (sp->group) {
    snprintf(err, PYF_ERR, "Cannot specify '%c' with 's'.", sp->group);
    return false;
  }
  if (why) {
    snprintf(err, PYF_ERR, "%s", why);
    return false;
  }
  if (sp->prec >= 0) { /* truncate to prec code points */
    size_t i = 0;
    for (int64_t cps = 0; i < n; i++) {
      if (((unsigned char)s[i] & 0xc0) != 0x80 && cps++ == sp->prec)
        break;
    }
    n = i;
  }
  put_padded(b, sp, s, n);
  return true;
}

/* ---- int ---- */

/* |v| in base (2, 8, 10, 16; upper for X) into out (no sign), its length. */
size_t pyf_udigits(char out[72], int64_t v, int base, bool upper) {
  uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char tmp[72];
  size_t n = 0;
  if (base == 10) { /* the common case: a constant divisor is a multiply */
    do {
      tmp[n++] = (char)('0' + u % 10);
      u /= 10;
    } while (u);
    for (size_t i = 0; i < n; i++)
      out[i] = tmp[n - 1 - i];
    return n;
  }
  do {
    tmp[n++] = dig[u % (unsigned)base];
    u /= (unsigned)base;
  } while (u);
  for (size_t i = 0; i < n; i++)
    out[i] = tmp[n - 1 - i];
  return n;
}

/* A big int's decimal digits dec[0..n) in base 2, 8 or 16 into out: the
 * digits become 32-bit limbs (9 decimal digits at a time, limbs * 10^9 +
 * chunk), then the limbs' bits are read from the low end in groups of 1,
 * 3 or 4. Quadratic, like CPython's own str -> int. */
void pyf_big_digits(PyfBuf *out, const char *dec, size_t n, int base, bool upper) {
  size_t cap = n / 9 + 2, nl = 0;
  uint32_t *l = calloc(cap, sizeof *l);
  if (!l)
    abort();
  for (size_t i = 0; i < n;) {
    size_t k = (n - i) % 9 ? (n - i) % 9 : 9;
    uint64_t chunk = 0, mul = 1;
    for (size_t j = 0; j < k; j++, i++) {
      chunk = chunk * 10 + (uint64_t)(dec[i] - '0');
      mul *= 10;
    }
    for (size_t j = 0; j < nl; j++) {
      uint64_t t = (uint64_t)l[j] * mul + chunk;
      l[j] = (uint32_t)t;
      chunk = t >> 32;
    }
    if (chunk)
      l[nl++] = (uint32_t)chunk;
  }
  int bits = base == 2 ? 1 : base == 8 ? 3 : 4;
  const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  size_t total = nl * 32, start = out->len;
  for (size_t pos = 0; pos < total; pos += (size_t)bits) {
    unsigned d = 0;
    for (int b = 0; b < bits && pos + (size_t)b < total; b++)
      d |= (unsigned)(l[(pos + (size_t)b) / 32] >> ((pos + (size_t)b) % 32) & 1) << b;
    pyf_putc(out, dig[d]);
  }
  free(l);
  while (out->len > start + 1 && out->p[out->len - 1] == '0') /* leading zeros */
    out->len--;
  for (size_t i = start, j = out->len - 1; i < j; i++, j--) { /* low digit first */
    char t = out->p[i];
    out->p[i] = out->p[j];
    out->p[j] = t;
  }
}

static bool format_float_spec(PyfBuf *b, double x, Spec *sp, char *err);

static bool format_int(PyfBuf *b, const PyfArg *a, Spec *sp, const char *tname, char *err) {
  int64_t v = a->i;
  char t = sp->type;
  if (t && in_set("eEfFgG%", t)) {
    if (a->s && isnan(a->f)) {
      snprintf(err, PYF_ERR, "int too large to convert to float");
      return false;
    }
    return format_float_spec(b, a->s ? a->f : (double)v, sp, err);
  }
  if (t && !in_set("bcdoxXn", t)) {
    snprintf(err, PYF_ERR, "Unknown format code '%c' for object of type '%s'", t, tname);
    return false;
  }
  if (sp->prec >= 0) {
    snprintf(err, PYF_ERR, "Precision not allowed in integer format specifier");
    return false;
  }
  if (sp->z) {
    snprintf(err, PYF_ERR, "Negative zero coercion (z) not allowed in integer format specifier");
    return false;
  }
  if (t == 'c') {
    if (sp->sign) {
      snprintf(err, PYF_ERR, "Sign not allowed with integer format specifier 'c'");
      return false;
    }
    if (sp->alt) {
      snprintf(err, PYF_ERR, "Alternate form (#) not allowed with integer format specifier 'c'");
      return false;
    }
    if (sp->group) {
      snprintf(err, PYF_ERR, "Cannot specify '%c' with 'c'.", sp->group);
      return false;
    }
    char u[4];
    size_t k;
    if (!pyf_chr(a->s ? -1 : v, u, &k, err))
      return false;
    put_padded(b, sp, u, k);
    return true;
  }
  int base = t == 'b' ? 2 : t == 'o' ? 8 : t == 'x' || t == 'X' ? 16 : 10;
  char d[72];
  PyfBuf bd = {0};
  if (a->s && base != 10)
    pyf_big_digits(&bd, a->s, a->n, base, t == 'X');
  const char *ds = bd.len ? bd.p : a->s ? a->s : d;
  size_t nd = bd.len ? bd.len : a->s ? a->n : pyf_udigits(d, v, base, t == 'X');
  const char *prefix = !sp->alt || base == 10 ? ""
                       : base == 2            ? "0b"
                       : base == 8            ? "0o"
                       : t == 'X'             ? "0X"
                                              : "0x";
  pyf_number(b, sp, v < 0, prefix, ds, nd, "", 0);
  pyf_free(&bd);
  return true;
}

bool pyf_chr(int64_t v, char u[4], size_t *k, char *err) {
  if (v < 0 || v > 0x10ffff) {
    snprintf(err, PYF_ERR, "%%c arg not in range(0x110000)");
    return false;
  }
  uint32_t c = (uint32_t)v;
  if (c < 0x80) {
    u[0] = (char)c;
    *k = 1;
  } else if (c < 0x800) {
    u[0] = (char)(0xc0 | c >> 6);
    u[1] = (char)(0x80 | (c & 0x3f));
    *k = 2;
  } else if (c < 0x10000) {
    u[0] = (char)(0xe0 | c >> 12);
    u[1] = (char)(0x80 | (c >> 6 & 0x3f));
    u[2] = (char)(0x80 | (c & 0x3f));
    *k = 3;
  } else {
    u[0] = (char)(0xf0 | c >> 18);
    u[1] = (char)(0x80 | (c >> 12 & 0x3f));
    u[2] = (char)(0x80 | (c >> 6 & 0x3f));
    u[3] = (char)(0x80 | (c & 0x3f));
    *k = 4;
  }
  return true;
}

/* ---- float ---- */

/* CPython's format_float_short for the 'g' and 'r' modes: digits d
 * (significant, no trailing zeros), decpt (digits before the point). */
static void layout_short(PyfBuf *o, const char *d, int nd, int decpt, char mode, int prec,
                         bool alt, bool add_dot_0, bool upper) {
  bool use_exp = false;
  int vend = nd;
  if (mode == 'r') {
    use_exp = decpt <= -4 || decpt > 16;
  } else { /* 'g' */
    use_exp = decpt <= -4 || decpt > (add_dot_0 ? prec - 1 : prec);
    if (alt)
      vend = prec;
  }
  int exp = 0;
  if (use_exp) {
    exp = decpt - 1;
    decpt = 1;
  }
  int vstart = decpt <= 0 ? decpt - 1 : 0;
  if (!use_exp && add_dot_0)
    vend = vend > decpt ? vend : decpt + 1;
  else
    vend = vend > decpt ? vend : decpt;
  size_t mark = o->len;
  if (decpt <= 0) {
    pyf_fill(o, "0", 1, decpt - vstart);
    pyf_putc(o, '.');
    pyf_fill(o, "0", 1, -decpt);
  } else {
    pyf_fill(o, "0", 1, -vstart);
  }
  if (0 < decpt && decpt <= nd) {
    pyf_put(o, d, (size_t)decpt);
    pyf_putc(o, '.');
    pyf_put(o, d + decpt, (size_t)(nd - decpt));
  } else {
    pyf_put(o, d, (size_t)nd);
  }
  if (nd < decpt) {
    pyf_fill(o, "0", 1, decpt - nd);
    pyf_putc(o, '.');
    pyf_fill(o, "0", 1, vend - decpt);
  } else {
    pyf_fill(o, "0", 1, vend - nd);
  }
  if (o->len > mark && o->p[o->len - 1] == '.' && !alt)
    o->p[--o->len] = 0;
  if (use_exp) {
    char e[16];
    pyf_put(o, e, (size_t)snprintf(e, sizeof e, "%c%+.02d", upper ? 'E' : 'e', exp));
  }
}

/* |x| in fixed notation with prec digits after the point, in integer
 * arithmetic: x = m * 2**e exactly, so x * 10**prec = m * 10**prec * 2**e
 * is a 128-bit integer shifted, and rounding it half to even is exactly
 * what printf (and Python's dtoa) do. Returns false (use printf) beyond
 * prec 9 or x >= 1e9. This is the hot path of f"{x:.2f}". */
static bool fixed_fast(PyfBuf *o, double x, int prec, bool alt) {
  static const uint64_t p10[] = {1,      10,      100,      1000,      10000,
                                 100000, 1000000, 10000000, 100000000, 1000000000};
  if (prec > 9 || !(x < 1e9))
    return false;
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  int ex = (int)(bits >> 52 & 0x7ff);
  uint64_t m = bits & ((UINT64_C(1) << 52) - 1);
  if (ex)
    m |= UINT64_C(1) << 52;
  else
    ex = 1; /* subnormal */
  int e = ex - 1075;
  unsigned __int128 prod = (unsigned __int128)m * p10[prec];
  uint64_t r;
  if (e >= 0) {
    r = (uint64_t)(prod << e);
  } else if (-e > 100) {
    r = 0; /* below 2**-40 after scaling: rounds to 0 */
  } else {
    int sh = -e;
    unsigned __int128 ip = prod >> sh, rem = prod - (ip << sh);
    unsigned __int128 half = (unsigned __int128)1 << (sh - 1);
    r = (uint64_t)ip + (rem > half || (rem == half && (ip & 1)));
  }
  char d[72];
  size_t nd = pyf_udigits(d, (int64_t)r, 10, false);
  if ((int)nd <= prec) { /* 0.0xyz: leading zeros */
    pyf_putc(o, '0');
    pyf_putc(o, '.');
    pyf_fill(o, "0", 1, prec - (int)nd);
    pyf_put(o, d, nd);
    return true;
  }
  pyf_put(o, d, nd - (size_t)prec);
  if (prec || alt)
    pyf_putc(o, '.');
  pyf_put(o, d + nd - (size_t)prec, (size_t)prec);
  return true;
}

bool pyf_fixed(PyfBuf *b, double x, int prec) {
  if (!isfinite(x) || !(fabs(x) < 1e9) || prec > 9)
    return false;
  size_t at = b->len;
  if (signbit(x))
    pyf_putc(b, '-'); /* -0.0 too: '-0.00', as Python */
  if (fixed_fast(b, fabs(x), prec, false))
    return true;
  b->len = at; /* not taken: nothing appended */
  if (b->p)
    b->p[at] = 0;
  return false;
}

/* |x| (finite) in mode t (e f g r) with prec into o, no sign. */
static void float_body(PyfBuf *o, double x, char t, int prec, bool alt, bool add_dot_0,
                       bool upper) {
  char tmp[PYFLOAT_MAX + 8];
  x = fabs(x);
  if (t == 'f' && fixed_fast(o, x, prec, alt))
    return;
  if (t == 'e' || t == 'f') {
    const char *f = t == 'f' ? (alt ? "%#.*f" : "%.*f") : (alt ? "%#.*e" : "%.*e");
    char small[64];
    int n = snprintf(small, sizeof small, f, prec, x);
    char *s = small;
    if (n >= (int)sizeof small) {
      s = malloc((size_t)n + 1);
      if (!s)
        abort();
      snprintf(s, (size_t)n + 1, f, prec, x);
    }
    if (upper)
      for (char *p = s; *p; p++)
        if (*p == 'e')
          *p = 'E';
    pyf_put(o, s, (size_t)n);
    if (s != small)
      free(s);
    return;
  }
  char d[PYFLOAT_MAX];
  int nd, decpt;
  if (t == 'r') {
    if (x == 0) {
      d[0] = '0';
      nd = 1;
      decpt = 1;
    } else {
      decpt = pyfloat_digits(x, 17, d) + 1;
      nd = (int)strlen(d);
    }
  } else { /* g: prec significant digits, trailing zeros dropped */
    if (prec == 0)
      prec = 1;
    snprintf(tmp, sizeof tmp, "%.*e", prec - 1 > 40 ? 40 : prec - 1, x);
    nd = 0;
    char *s = tmp;
    for (; *s != 'e'; s++)
      if (*s != '.' && nd < PYFLOAT_MAX - 1)
        d[nd++] = *s;
    decpt = atoi(s + 1) + 1;
    while (nd > 1 && d[nd - 1] == '0')
      nd--;
    if (x == 0)
      decpt = 1;
  }
  layout_short(o, d, nd, decpt, t, prec, alt, add_dot_0, upper);
}

/* Python's PyOS_double_to_string without the sign: x in t (e E f F g G r)
 * with prec; nan and inf by name. */
void pyf_float_text(PyfBuf *o, double x, char t, int prec, bool alt, bool add_dot_0) {
  bool upper = t == 'E' || t == 'F' || t == 'G';
  if (isnan(x) || isinf(x)) {
    const char *s = isnan(x) ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
    pyf_put(o, s, 3);
    return;
  }
  char lt = upper ? (char)(t + ('a' - 'A')) : t;
  float_body(o, x, lt, prec, alt, add_dot_0, upper);
}

/* Whether the text of a number is all zeros (for z and -0.0). */
static bool all_zero(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (s[i] == 'e' || s[i] == 'E')
      break;
    if (s[i] >= '1' && s[i] <= '9')
      return false;
  }
  return true;
}

static bool format_float_spec(PyfBuf *b, double x, Spec *sp, char *err) {
  char t = sp->type;
  if (t && !in_set("eEfFgGn%", t)) {
    snprintf(err, PYF_ERR, "Unknown format code '%c' for object of type 'float'", t);
    return false;
  }
  bool add_dot_0 = false, pct = false;
  int defprec = 6;
  if (!t) {
    add_dot_0 = true;
    t = 'r';
    defprec = 0;
  }
  if (t == 'n')
    t = 'g';
  if (t == '%') {
    t = 'f';
    x *= 100;
    pct = true;
  }
  int prec = sp->prec < 0 ? defprec : (int)(sp->prec > 10000 ? 10000 : sp->prec);
  if (sp->prec >= 0 && t == 'r')
    t = 'g';
  char small[64];
  PyfBuf txt = PYF_BUF_ON(small);
  pyf_float_text(&txt, x, t, prec, sp->alt, add_dot_0);
  if (pct)
    pyf_putc(&txt, '%');
  bool neg = !isnan(x) && signbit(x);
  if (neg && sp->z && isfinite(x) && all_zero(txt.p, txt.len))
    neg = false;
  /* split integer digits from the rest for grouping */
  size_t nd = 0;
  while (nd < txt.len && txt.p[nd] >= '0' && txt.p[nd] <= '9')
    nd++;
  if (isnan(x) || isinf(x))
    nd = 0;
  pyf_number(b, sp, neg, "", txt.p, nd, txt.p + nd, txt.len - nd);
  pyf_free(&txt);
  return true;
}

/* ---- format() ---- */

bool pyf_format(PyfBuf *b, const PyfArg *a, const char *spec, size_t specn, char err[PYF_ERR]) {
  if (specn == 0) {
    pyf_str(b, a);
    return true;
  }
  Spec sp;
  const char *tname = pyf_type_name(a);
  switch (a->kind) {
  case PYF_STR:
    return parse_spec(spec, specn, '<', tname, &sp, err) && format_str(b, a->s, a->n, &sp, err);
  case PYF_INT:
  case PYF_BOOL:
    return parse_spec(spec, specn, '>', tname, &sp, err) && format_int(b, a, &sp, tname, err);
  case PYF_FLOAT:
    return parse_spec(spec, specn, '>', tname, &sp, err) &&
           format_float_spec(b, a->f, &sp, err);
  default:
    snprintf(err, PYF_ERR, "unsupported format string passed to %s.__format__", tname);
    return false;
  }
}

/* ---- str.format templates ---- */

int64_t pyf_field_index(const char *name, size_t n) {
  if (n == 0 || n > 15)
    return -1;
  int64_t v = 0;
  for (size_t i = 0; i < n; i++) {
    if (name[i] < '0' || name[i] > '9')
      return -1;
    v = v * 10 + (name[i] - '0');
  }
  return v;
}

int pyf_template_next(const char *t, size_t n, size_t *pos, PyfBuf *lit, PyfField *f,
                      char err[PYF_ERR]) {
  size_t i = *pos;
  lit->len = 0;
  if (lit->p)
    lit->p[0] = 0;
  *f = (PyfField){0};
  if (i >= n)
    return 0;
  while (i < n) {
    char c = t[i];
    if (c == '{' && i + 1 < n && t[i + 1] == '{') {
      pyf_putc(lit, '{');
      i += 2;
    } else if (c == '}' && i + 1 < n && t[i + 1] == '}') {
      pyf_putc(lit, '}');
      i += 2;
    } else if (c == '}') {
      snprintf(err, PYF_ERR, "Single '}' encountered in format string");
      return -1;
    } else if (c == '{') {
      break;
    } else {
      pyf_putc(lit, c);
      i++;
    }
  }
  if (i >= n) {
    *pos = i;
    return 1;
  }
  /* a field: find its matching } (nested braces count) */
  i++;
  size_t start = i;
  int depth = 1;
  size_t name_end = (size_t)-1, conv_at = (size_t)-1, spec_at = (size_t)-1;
  for (; i < n; i++) {
    char c = t[i];
    if (c == '[' && spec_at == (size_t)-1) { /* field name indexing: skip to ] */
      while (i < n && t[i] != ']')
        i++;
      if (i >= n)
        break;
      continue;
    }
    if (c == '{') {
      depth++;
    } else if (c == '}') {
      if (--depth == 0)
        break;
    } else if (depth == 1 && spec_at == (size_t)-1) {
      if (c == '!' && conv_at == (size_t)-1) {
        if (name_end == (size_t)-1)
          name_end = i;
        conv_at = i + 1;
      } else if (c == ':') {
        if (name_end == (size_t)-1)
          name_end = i;
        spec_at = i + 1;
      }
    }
  }
  if (i >= n) {
    snprintf(err, PYF_ERR, depth > 1 ? "unmatched '{' in format spec"
                                     : "expected '}' before end of string");
    return -1;
  }
  size_t end = i;
  if (name_end == (size_t)-1)
    name_end = end;
  f->has_field = true;
  f->name = t + start;
  f->namen = name_end - start;
  if (conv_at != (size_t)-1) {
    size_t conv_end = spec_at != (size_t)-1 ? spec_at - 1 : end;
    if (conv_end == conv_at) {
      snprintf(err, PYF_ERR, "end of string while looking for conversion specifier");
      return -1;
    }
    if (conv_end - conv_at != 1) {
      snprintf(err, PYF_ERR, "expected ':' after conversion specifier");
      return -1;
    }
    f->conv = t[conv_at];
    if (!strchr("rsa", f->conv)) {
      snprintf(err, PYF_ERR, "Unknown conversion specifier %c", f->conv);
      return -1;
    }
  }
  if (spec_at != (size_t)-1) {
    f->spec = t + spec_at;
    f->specn = end - spec_at;
  } else {
    f->spec = t + end;
  }
  *pos = end + 1;
  return 1;
}
