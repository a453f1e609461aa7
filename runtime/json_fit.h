/* json_fit.h - checking loaded values against a static type given as the
 * string of ir/typedesc.h (runtime/json_fit.c). */
#ifndef TR_JSON_FIT_H
#define TR_JSON_FIT_H

#include "rt.h"

typedef struct TrFit TrFit;

/* NULL if desc is malformed */
TrFit *tr_fit_parse(const char *desc);
void tr_fit_free(TrFit *f);
/* the element type of a list type, NULL for another */
const TrFit *tr_fit_elem(const TrFit *f);
/* true if v fits; else false with where and why appended to *why
 * ("the value at ['age'] is str, not int") */
bool tr_fit_check(const TrFit *f, const TrValue *v, Buf *why);

#endif
