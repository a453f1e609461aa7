/* str_fmt.c - formatting in task bodies: f-strings, str.format, "% args",
 * repr() and str(), through ir/pyformat.c, the copy the compiler's
 * evaluator uses, so a value formats the same at compile time and at run
 * time. Arguments are borrowed, results new (taskrt.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bigint_weak.h"
#include "pyformat.h"
#include "rt.h"

/* A TrValue as pyformat sees it; lists, tuples, ... are rendered first
 * (the caller frees *tmp). */
static void to_arg(const TrValue *v, PyfArg *a, char **tmp) {
  *a = (PyfArg){0};
  *tmp = NULL;
  switch (v->tag) {
  case TR_NONE: a->kind = PYF_NONE; break;
  case TR_BOOL: a->kind = PYF_BOOL; a->i = v->u.i; break;
  case TR_INT:
    a->kind = PYF_INT;
    a->i = v->u.i;
    if (tr_big(v->u.i)) { /* pyformat.h: digits, sign and float value */
      size_t n;
      char *t = tr_int_text(v->u.i, &n);
      bool neg = t[0] == '-';
      *tmp = t;
      a->s = t + neg;
      a->n = n - neg;
      a->i = neg ? -1 : 1;
      a->f = strtod(t, NULL); /* correctly rounded, as Python's float() */
      if (isinf(a->f))
        a->f = NAN;
    }
    break;
  case TR_FLOAT: a->kind = PYF_FLOAT; a->f = v->u.f; break;
  case TR_STR: {
    const TrStr *s = v->u.p;
    a->kind = PYF_STR;
    a->s = s->data;
    a->n = (size_t)s->len;
    break;
  }
  default: {
    Buf b = {0};
    repr_value(&b, v); /* containers: str() is repr() */
    *tmp = buf_cstr(&b);
    a->kind = PYF_OTHER;
    a->s = a->r = *tmp;
    a->n = a->rn = strlen(*tmp);
    a->type = tr_type_name(v);
    break;
  }
  }
}

static TrStr *take(PyfBuf *b) {
  TrStr *r = tr_str_new(b->p ? b->p : "", (int64_t)b->len);
  pyf_free(b);
  return r;
}

/* format(v, spec) after conv appended to out; false with err set. */
static bool format_into(PyfBuf *out, const TrValue *v, const TrStr *spec, int64_t conv,
                        char *err) {
  if (!conv && (!spec || spec->len == 0)) { /* f"{s}", f"{i}": no spec */
    if (v->tag == TR_STR) {
      const TrStr *s = v->u.p;
      pyf_put(out, s->data, (size_t)s->len);
      return true;
    }
    if (v->tag == TR_INT && !tr_big(v->u.i)) {
      char d[24], *e = d + sizeof d, *q = e;
      uint64_t u = v->u.i < 0 ? 0 - (uint64_t)v->u.i : (uint64_t)v->u.i;
      do
        *--q = (char)('0' + u % 10);
      while (u /= 10);
      if (v->u.i < 0)
        *--q = '-';
      pyf_put(out, q, (size_t)(e - q));
      return true;
    }
  }
  if (!conv && spec && spec->len == 3 && v->tag == TR_FLOAT && spec->data[0] == '.' &&
      spec->data[1] >= '0' && spec->data[1] <= '9' && spec->data[2] == 'f' &&
      pyf_fixed(out, v->u.f, spec->data[1] - '0')) /* f"{x:.2f}" */
    return true;
  PyfArg a;
  char *tmp;
  to_arg(v, &a, &tmp);
  char small[128];
  PyfBuf cv = PYF_BUF_ON(small);
  if (conv) {
    if (conv == 's')
      pyf_str(&cv, &a);
    else
      pyf_repr(&cv, &a);
    a = (PyfArg){.kind = PYF_STR, .s = cv.p ? cv.p : "", .n = cv.len};
  }
  bool ok = spec ? pyf_format(out, &a, spec->data, (size_t)spec->len, err)
                 : pyf_format(out, &a, "", 0, err);
  pyf_free(&cv);
  free(tmp);
  return ok;
}

TrStr *tr_str_build(const TrFmtPiece *pieces, int64_t n) {
  char small[512];
  PyfBuf out = PYF_BUF_ON(small);
  char err[PYF_ERR];
  for (int64_t i = 0; i < n; i++) {
    const TrFmtPiece *p = &pieces[i];
    if (p->lit) {
      pyf_put(&out, p->lit->data, (size_t)p->lit->len);
    } else if (!format_into(&out, p->val, p->spec, p->conv, err)) {
      pyf_free(&out);
      tr_fail("%s", err);
    }
  }
  return take(&out);
}

TrStr *tr_str_format(const TrValue *v, const TrStr *spec, int64_t conv) {
  TrFmtPiece p = {.val = v, .spec = spec, .conv = conv};
  return tr_str_build(&p, 1);
}

TrStr *tr_str_percent(const TrStr *fmt, const TrValue *args, int64_t n) {
  PyfArg stack[8] = {0};
  char *tmps[8];
  PyfArg *pa = n <= 8 ? stack : malloc(sizeof(PyfArg) * (size_t)n);
  char **tp = n <= 8 ? tmps : malloc(sizeof(char *) * (size_t)n);
  if (!pa || !tp)
    tr_fail("out of memory");
  for (int64_t i = 0; i < n; i++)
    to_arg(&args[i], &pa[i], &tp[i]);
  char small[256];
  PyfBuf out = PYF_BUF_ON(small);
  char err[PYF_ERR];
  bool ok = pyf_percent(&out, fmt->data, (size_t)fmt->len, pa, (size_t)n, err);
  for (int64_t i = 0; i < n; i++)
    free(tp[i]);
  if (pa != stack) {
    free(pa);
    free(tp);
  }
  if (!ok) {
    pyf_free(&out);
    tr_fail("%s", err);
  }
  return take(&out);
}

TrStr *tr_str_repr(const TrValue *v) {
  Buf b = {0};
  repr_value(&b, v);
  TrStr *r = tr_str_new(b.p ? b.p : "", (int64_t)b.len);
  free(b.p);
  return r;
}
