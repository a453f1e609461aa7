/* diag.h - every message taskc prints about the user's program goes through
 * here, so the format is the same everywhere:
 *
 *   FILE:LINE:COL: error: MESSAGE
 *     source line
 *     ^
 *
 * An error ends the compilation: diag_error() does not return. By default it
 * exits with status 1; a caller that must survive errors (the fuzzer, tests,
 * a program that compiles several files) gives its compilation a Diag with a
 * recovery point (diag_use). */
#ifndef TASKC_DIAG_H
#define TASKC_DIAG_H

#include <setjmp.h>
#include <stdio.h>

#include "../ir/loc.h"

#define DIAG_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Located error: prints and ends the compilation. */
_Noreturn void diag_error(Loc loc, const char *fmt, ...) DIAG_PRINTF(2, 3);
/* Error without a location (command line, I/O): "taskc: error: ...". */
_Noreturn void diag_fatal(const char *fmt, ...) DIAG_PRINTF(1, 2);
/* A note attached to the previous error or warning (e.g. "cycle: a -> b"). */
void diag_note(Loc loc, const char *fmt, ...) DIAG_PRINTF(2, 3);
void diag_warning(Loc loc, const char *fmt, ...) DIAG_PRINTF(2, 3);

/* A call in progress whose callee's errors should say where it was called
 * from (a def the evaluator runs at compile time): an error made while
 * frames are pushed is followed by one note per frame, innermost first,
 * "in a call of 'what'" at its location. Frames live on the caller's
 * stack, per thread; an error drops them all (the compilation ends). */
typedef struct DiagFrame {
  struct DiagFrame *up;
  Loc loc;
  const char *what;
} DiagFrame;
void diag_push_frame(DiagFrame *f);
void diag_pop_frame(DiagFrame *f);

/* The diagnostics of one compilation, owned by its caller. */
typedef struct Diag {
  FILE *out;        /* where messages go; NULL: stderr */
  jmp_buf *recover; /* non-NULL: diag_error/diag_fatal longjmp here (value
                       1) instead of calling exit(1) */
  int errors;       /* errors reported through this Diag */
} Diag;

/* Makes d the Diag of the calling thread's compilation and returns the one
 * it replaces; NULL goes back to the default (stderr, exit(1) on error).
 *
 * Why not a parameter of diag_error: errors are reported from hundreds of
 * places deep in the parser, the evaluator, sema, the passes and codegen,
 * and never return (they exit or longjmp), so every function between the
 * driver and an error would have to carry the context only to hand it on.
 * A thread-local pointer that the caller sets around one compilation keeps
 * diag_error(loc, ...) short and still shares nothing: compilations one
 * after the other, or on two threads, each report to their own Diag. */
Diag *diag_use(Diag *d);

#endif
