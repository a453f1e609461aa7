/* pyfloat.h - Python's repr() of a float, the one copy shared by the
 * compiler (ir/val.c, compiler/value.c) and the runtime (runtime/repr.c,
 * array printing, JSON), so a value prints the same whether the evaluator
 * computed it at compile time or the executable at run time. CMakeLists.txt
 * compiles pyfloat.c into both libtaskir and libtaskrt; it needs only libc
 * and libm, as the runtime must. */
#ifndef TASKC_PYFLOAT_H
#define TASKC_PYFLOAT_H

/* Room for any repr: "-1.7976931348623157e+308" and the NUL. */
enum { PYFLOAT_MAX = 32 };

/* Writes repr(x) to out: the shortest digits that read back as the same
 * double, fixed notation when -4 <= exponent < 16, else d.ddde+XX; "nan",
 * "inf", "-inf", "-0.0". Returns its length. */
int pyfloat_repr(char out[PYFLOAT_MAX], double x);

/* The significant digits of |x| (no trailing zeros) into d, and returns
 * the decimal exponent of the first. The digits are the shortest that read
 * back as x, or, when that needs more than maxsig digits, x rounded to
 * maxsig (numpy's unique mode with a cutoff; 17 always reads back). */
int pyfloat_digits(double x, int maxsig, char d[PYFLOAT_MAX]);

#endif
