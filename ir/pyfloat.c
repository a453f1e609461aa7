/* pyfloat.c - Python's float repr; see pyfloat.h.
 *
 * The digits are the shortest %.Ne (N = 1..17) that strtod reads back as
 * the same double, laid out as Python's float_repr_style 'short' does. The
 * runtime prints millions of floats through here, so the layout copies
 * bytes rather than calling printf again. */
#include "pyfloat.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pyfloat_digits(double x, int maxsig, char d[PYFLOAT_MAX]) {
  char tmp[48];
  x = fabs(x);
  int prec = 1;
  for (; prec <= 17; prec++) {
    snprintf(tmp, sizeof tmp, "%.*e", prec - 1, x);
    if (strtod(tmp, NULL) == x)
      break;
  }
  if (prec > maxsig)
    snprintf(tmp, sizeof tmp, "%.*e", maxsig - 1, x);
  /* tmp = d[.ddd]e±XX */
  int n = 0;
  char *s = tmp;
  for (; *s != 'e'; s++)
    if (*s != '.')
      d[n++] = *s;
  while (n > 1 && d[n - 1] == '0')
    n--;
  d[n] = 0;
  return atoi(s + 1);
}

/* "e+XX" / "e-XXX": at least two exponent digits, as Python writes. */
static char *put_exponent(char *o, int exp) {
  *o++ = 'e';
  *o++ = exp < 0 ? '-' : '+';
  int e = abs(exp);
  if (e >= 100)
    *o++ = (char)('0' + e / 100);
  *o++ = (char)('0' + e / 10 % 10);
  *o++ = (char)('0' + e % 10);
  return o;
}

int pyfloat_repr(char out[PYFLOAT_MAX], double x) {
  if (isnan(x))
    return snprintf(out, PYFLOAT_MAX, "nan");
  if (isinf(x))
    return snprintf(out, PYFLOAT_MAX, x > 0 ? "inf" : "-inf");
  char *o = out;
  if (signbit(x)) {
    *o++ = '-';
    x = -x;
  }
  if (x == 0) {
    memcpy(o, "0.0", 4);
    return (int)(o - out) + 3;
  }
  char d[PYFLOAT_MAX];
  int exp = pyfloat_digits(x, 17, d);
  int nd = (int)strlen(d);
  int decpt = exp + 1; /* digits before the decimal point */
  if (decpt <= -4 || decpt > 16) {
    *o++ = d[0];
    if (nd > 1) {
      *o++ = '.';
      memcpy(o, d + 1, (size_t)nd - 1);
      o += nd - 1;
    }
    o = put_exponent(o, exp);
  } else if (decpt <= 0) {
    *o++ = '0';
    *o++ = '.';
    for (int i = 0; i < -decpt; i++)
      *o++ = '0';
    memcpy(o, d, (size_t)nd);
    o += nd;
  } else if (decpt < nd) {
    memcpy(o, d, (size_t)decpt);
    o += decpt;
    *o++ = '.';
    memcpy(o, d + decpt, (size_t)(nd - decpt));
    o += nd - decpt;
  } else {
    memcpy(o, d, (size_t)nd);
    o += nd;
    for (int i = nd; i < decpt; i++)
      *o++ = '0';
    *o++ = '.';
    *o++ = '0';
  }
  *o = 0;
  return (int)(o - out);
}
