/* pyformat_int.h - what pyformat.c shares with pyformat_pct.c (the
 * printf-style % operator): not part of the API in pyformat.h. */
#ifndef TASKC_PYFORMAT_INT_H
#define TASKC_PYFORMAT_INT_H

#include "pyformat.h"

/* A parsed format spec. */
typedef struct Spec {
  char fill[4];
  size_t filln;
  char align; /* < > = ^, or 0 for the type's default */
  char sign;  /* + - space, or 0 */
  bool z, alt;
  int64_t width;  /* -1: none */
  char group;     /* , _ or 0 */
  int64_t prec;   /* -1: none */
  char type;      /* 0: none */
} Spec;

void pyf_fill(PyfBuf *b, const char *fill, size_t filln, int64_t count);
int pyf_utf8(const unsigned char *s, size_t left, int32_t *cp);
int64_t pyf_width(const char *s, size_t n);
size_t pyf_udigits(char out[72], int64_t v, int base, bool upper);
/* chr(v) as UTF-8 into u (*k bytes); false with err out of range. */
bool pyf_chr(int64_t v, char u[4], size_t *k, char *err);
void pyf_float_text(PyfBuf *o, double x, char t, int prec, bool alt, bool add_dot_0);
void pyf_number(PyfBuf *b, const Spec *sp, bool neg, const char *prefix, const char *digits,
                size_t nd, const char *rest, size_t nrest);

#endif
