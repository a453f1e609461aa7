/* diag.h - every message taskc prints about the user's program goes through
 * here, so the format is the same everywhere:
 *
 *   FILE:LINE:COL: error: MESSAGE
 *     source line
 *     ^
 *
 * An error ends the compilation: diag_error() does not return. By default it
 * exits with status 1; a caller that must survive errors (the fuzzer, tests)
 * sets a recovery point with DIAG_TRY. */
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

/* Where messages go (default stderr); tests may redirect. */
extern FILE *diag_out;
/* When non-NULL, diag_error/diag_fatal longjmp here (value 1) instead of
 * calling exit(1). */
extern jmp_buf *diag_recover;
extern int diag_error_count;

#endif
