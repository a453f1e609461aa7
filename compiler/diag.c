/* diag.c - the one place that formats diagnostics; see diag.h. */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The calling thread's Diag (see diag_use in diag.h); NULL: defaults. */
static _Thread_local Diag *current;

Diag *diag_use(Diag *d) {
  Diag *old = current;
  current = d;
  return old;
}

/* The calling thread's calls in progress (diag.h: DiagFrame). */
static _Thread_local DiagFrame *frames;

void diag_push_frame(DiagFrame *f) {
  f->up = frames;
  frames = f;
}

void diag_pop_frame(DiagFrame *f) { frames = f->up; }

static FILE *out(void) {
  return current && current->out ? current->out : stderr;
}

/* Print the source line of loc with a caret under the column. Tabs are kept
 * so the caret lines up under the same characters. */
static void show_line(Loc loc) {
  if (!loc.file || !loc.file->text || loc.line <= 0)
    return;
  const char *p = loc.file->text, *end = p + loc.file->len;
  for (int line = 1; line < loc.line && p < end; p++)
    if (*p == '\n')
      line++;
  const char *eol = p;
  while (eol < end && *eol != '\n' && *eol != '\r')
    eol++;
  int len = (int)(eol - p);
  if (len > 400) /* binary garbage can make very long "lines" */
    len = 400;
  fprintf(out(), "%.*s\n", len, p);
  for (int i = 1; i < loc.col && i <= len; i++)
    fputc(p[i - 1] == '\t' ? '\t' : ' ', out());
  fputs("^\n", out());
}

static void vreport(Loc loc, const char *kind, const char *fmt, va_list ap) {
  if (loc.file)
    fprintf(out(), "%s:%d:%d: %s: ", loc.file->name, loc.line, loc.col, kind);
  else
    fprintf(out(), "taskc: %s: ", kind);
  vfprintf(out(), fmt, ap);
  fputc('\n', out());
  show_line(loc);
}

static void report_frame(const DiagFrame *f) {
  fprintf(out(), "%s:%d:%d: note: in a call of '%s'\n",
          f->loc.file ? f->loc.file->name : "taskc", f->loc.line, f->loc.col,
          f->what);
  show_line(f->loc);
}

/* The notes of the calls in progress: a deep recursion shows its innermost
 * few and the outermost. A longjmp leaves their stack: they are dropped. */
static void report_frames(void) {
  int n = 0;
  for (DiagFrame *f = frames; f; f = f->up)
    n++;
  int i = 0;
  for (DiagFrame *f = frames; f; f = f->up, i++) {
    if (i < 3 || i == n - 1)
      report_frame(f);
    else if (i == 3)
      fprintf(out(), "taskc: note: ... %d more call%s\n", n - 4,
              n - 4 == 1 ? "" : "s");
  }
  frames = NULL;
}

static _Noreturn void stop(void) {
  report_frames();
  fflush(out());
  if (current) {
    current->errors++;
    if (current->recover)
      longjmp(*current->recover, 1);
  }
  exit(1);
}

void diag_error(Loc loc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vreport(loc, "error", fmt, ap);
  va_end(ap);
  stop();
}

void diag_fatal(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vreport((Loc){0}, "error", fmt, ap);
  va_end(ap);
  stop();
}

void diag_note(Loc loc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vreport(loc, "note", fmt, ap);
  va_end(ap);
}

void diag_warning(Loc loc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vreport(loc, "warning", fmt, ap);
  va_end(ap);
}
